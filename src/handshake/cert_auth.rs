//! Certificate authentication, both roles: the leaf key of a peer's chain (RFC 5280
//! §4.1.2.7), our verifier's judgement of the chain, the Certificate entries we send, and
//! CertificateVerify both ways (RFC 8446 §4.4.2-§4.4.3, RFC 5246 §7.4.2, §7.4.6, §7.4.8).

use std::borrow::Cow;

use super::config::{ChainCheck, ChainVerifier};
use super::side::Side;
use super::{Common, Incoming};
use crate::crypto::hash::HashAlg;
use crate::crypto::sign;
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind, Event};
use crate::wire::codepoints::SignatureScheme;
use crate::wire::extensions::Extension;
use crate::wire::handshake::{CertificateEntry, CertificateVerify, HandshakeMessage};

/// The SubjectPublicKeyInfo of a certificate (RFC 5280 §4.1.2.7); one that does not parse
/// is bad_certificate.
pub fn leaf_spki(der: &[u8]) -> Result<Vec<u8>, TlsError> {
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der).map_err(|e| {
        TlsError::new(
            Alert::BadCertificate,
            format!("the peer's certificate could not be parsed: {e}"),
        )
    })?;
    Ok(cert.tbs_certificate.subject_pki.raw.to_vec())
}

/// Hands the peer's chain (leaf first) to our verifier and reports its judgement.
pub fn verify_chain(c: &mut Common, verifier: &dyn ChainVerifier, chain: &[Vec<u8>]) -> ChainCheck {
    let r = verifier.verify(chain);
    c.emit(Event::Verify {
        ok: r.ok,
        errors: r.errors.clone(),
        detail: r.detail.clone(),
    });
    r
}

/// The entries of a Certificate message for `chain`, with `leaf_extensions` on the first.
pub fn certificate_entries(
    chain: &[Vec<u8>],
    leaf_extensions: Vec<Extension>,
) -> Vec<CertificateEntry> {
    let mut leaf_extensions = Some(leaf_extensions);
    chain
        .iter()
        .map(|der| CertificateEntry {
            der: der.clone(),
            extensions: leaf_extensions.take().unwrap_or_default(),
        })
        .collect()
}

/// What `signer`'s CertificateVerify signs: in TLS 1.3 (`tls13_hash` given) the transcript
/// hash in the signer's frame (RFC 8446 §4.4.3); in TLS 1.2 the handshake messages so far
/// (RFC 5246 §7.4.8).
pub fn signed_content(c: &Common, signer: Side, tls13_hash: Option<HashAlg>) -> Cow<'_, [u8]> {
    match tls13_hash {
        Some(h) => Cow::Owned(sign::tls13_verify_content(
            signer == Side::Server,
            &c.transcript.hash(h),
        )),
        None => Cow::Borrowed(c.transcript.bytes()),
    }
}

/// Sends our CertificateVerify (`scheme` None: TLS 1.0/1.1, which name no algorithm).
pub fn send_certificate_verify(
    c: &mut Common,
    scheme: Option<SignatureScheme>,
    signature: Vec<u8>,
) {
    c.send_handshake(
        HandshakeMessage::CertificateVerify(CertificateVerify { scheme, signature }),
        vec![],
    );
}

/// The peer's CertificateVerify (`m`): a scheme we `offered`, and a signature by its leaf
/// key `spki` over the transcript so far (`tls13_hash` as in `signed_content`); then taken
/// into the transcript and reported.
pub fn receive_certificate_verify(
    c: &mut Common,
    m: &Incoming,
    cv: &CertificateVerify,
    offered: &[SignatureScheme],
    spki: &[u8],
    tls13_hash: Option<HashAlg>,
) -> Result<(), TlsError> {
    let peer = c.side.peer();
    let Some(scheme) = cv.scheme else {
        return receive_legacy(c, m, cv, spki);
    };
    if !offered.contains(&scheme) {
        return Err(TlsError::illegal(format!(
            "the {} signed with {scheme}, which we did not offer",
            peer.name(),
        )));
    }
    let content = signed_content(c, peer, tls13_hash);
    sign::verify(scheme, spki, &content, &cv.signature, tls13_hash.is_none())?;
    c.transcript.update(&m.raw);
    let verified = CheckKind::CertificateVerify {
        scheme,
        signer: peer,
    };
    m.report(c, vec![Check::pass(verified)]);
    Ok(())
}

/// A TLS 1.0/1.1 CertificateVerify (RFC 2246 §7.4.8, RFC 4346 §7.4.8): no algorithm field;
/// RSA signs MD5 || SHA-1 of the handshake messages, ECDSA SHA-1 (RFC 4492 §5.8). RFC 9155
/// forbids these hashes in TLS 1.2 only: these versions have no other.
fn receive_legacy(
    c: &mut Common,
    m: &Incoming,
    cv: &CertificateVerify,
    spki: &[u8],
) -> Result<(), TlsError> {
    let peer = c.side.peer();
    let content = signed_content(c, peer, None);
    let how = sign::verify_legacy(spki, &content, &cv.signature)?;
    c.transcript.update(&m.raw);
    let verified = CheckKind::CertificateVerifyLegacy { how, signer: peer };
    m.report(c, vec![Check::pass(verified)]);
    Ok(())
}
