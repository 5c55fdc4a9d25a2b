//! Certificates both ways: the server's chain as received and checked (RFC 8446 §4.4.2,
//! RFC 5246 §7.4.2), its request for ours, and our Certificate and CertificateVerify
//! (RFC 8446 §4.4.2-§4.4.3, RFC 5246 §7.4.6, §7.4.8).

use super::offered;
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind};
use crate::handshake::cert_auth::{self, certificate_entries, leaf_spki, verify_chain};
use crate::handshake::config::{CertifiedKey, ChainCheck, ClientConfig};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{ExtensionType as ET, SignatureScheme};
use crate::wire::extensions::{find, ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateEntry, CertificateRequest13, HandshakeMessage as HM,
};

/// The server's Certificate: a non-empty chain whose leaf parses, with only the entry
/// extensions we asked for (RFC 8446 §4.4.2); a stapled OCSP response is described and the
/// chain handed to our verifier. Returns the leaf's public key and the verifier's judgement.
pub(super) fn receive_certificate(
    c: &mut Common,
    config: &ClientConfig,
    offer: &[Extension],
    m: &Incoming,
    cert: &Certificate,
) -> Result<(Vec<u8>, Option<ChainCheck>), TlsError> {
    if cert.entries.is_empty() {
        return Err(TlsError::decode(
            "the server sent an empty certificate chain",
        ));
    }
    if let Some(ctx) = &cert.context {
        if !ctx.is_empty() {
            return Err(TlsError::illegal(
                "server Certificate with a non-empty certificate_request_context",
            ));
        }
    }
    for e in cert.entries.iter().flat_map(|e| &e.extensions) {
        let ok = match e.typ {
            ET::STATUS_REQUEST => config.status_request,
            ET::SIGNED_CERTIFICATE_TIMESTAMP => offered(offer, e.typ),
            _ => false,
        };
        if !ok {
            return Err(TlsError::new(
                Alert::UnsupportedExtension,
                format!("certificate entry extension {} was not requested", e.name()),
            ));
        }
    }
    let spki = leaf_spki(&cert.entries[0].der)?;
    c.transcript.update(&m.raw);
    m.report(c, stapled_ocsp_checks(&cert.entries[0]));
    let check = config.verifier.as_ref().map(|verifier| {
        let chain: Vec<Vec<u8>> = cert.entries.iter().map(|e| e.der.clone()).collect();
        verify_chain(c, verifier.as_ref(), &chain)
    });
    Ok((spki, check))
}

/// RFC 8446 §4.4.2.1: a stapled OCSP response rides in the leaf's entry.
fn stapled_ocsp_checks(leaf: &CertificateEntry) -> Vec<Check> {
    leaf.extensions
        .iter()
        .filter_map(|e| match &e.body {
            ExtBody::OcspResponse(r) => Some(match crate::pki::ocsp::describe(r) {
                Ok(o) => ocsp_check(o),
                Err(err) => Check::fail(CheckKind::OcspEntryUnreadable(err)),
            }),
            _ => None,
        })
        .collect()
}

/// A stapled OCSP response that parses: it passes when it says the certificate is good.
pub(super) fn ocsp_check(o: crate::pki::ocsp::OcspSummary) -> Check {
    let good = o.cert_status.as_deref() == Some("good");
    Check::new(CheckKind::Ocsp(Box::new(o)), good)
}

/// The signature schemes a TLS 1.3 CertificateRequest accepts: its signature_algorithms,
/// which it must carry (RFC 8446 §4.3.2), else missing_extension.
pub(super) fn requested_sigalgs(
    r: &CertificateRequest13,
) -> Result<Vec<SignatureScheme>, TlsError> {
    match find(&r.extensions, ET::SIGNATURE_ALGORITHMS).map(|e| &e.body) {
        Some(ExtBody::SignatureAlgorithms(s)) => Ok(s.clone()),
        _ => Err(TlsError::new(
            Alert::MissingExtension,
            "CertificateRequest without signature_algorithms",
        )),
    }
}

/// A CertificateRequest (RFC 8446 §4.3.2, RFC 5246 §7.4.4), reported with what we will
/// answer.
pub(super) fn report_certificate_request(c: &mut Common, config: &ClientConfig, m: &Incoming) {
    c.transcript.update(&m.raw);
    let requested = CheckKind::ClientCertificateRequested {
        have_cert: config.client_cert.is_some(),
    };
    m.report(c, vec![Check::pass(requested)]);
}

/// Sends our Certificate, empty when we have none that can sign with one of `sigalgs` (None:
/// TLS 1.0/1.1, whose CertificateRequest lists no algorithms and whose CertificateVerify is
/// RSA or ECDSA over a fixed hash, RFC 4346 §7.4.8); returns the key and scheme for the
/// CertificateVerify that follows (at once in TLS 1.3, after the ClientKeyExchange before).
pub(super) fn send_client_certificate(
    c: &mut Common,
    config: &ClientConfig,
    context: Option<Vec<u8>>,
    sigalgs: Option<&[SignatureScheme]>,
    tls13: bool,
) -> Option<(CertifiedKey, Option<SignatureScheme>)> {
    let chosen = config.client_cert.clone().and_then(|ck| match sigalgs {
        Some(list) => ck.key.choose_scheme(list, tls13).map(|s| (ck, Some(s))),
        None => ck.key.signs_legacy().then_some((ck, None)),
    });
    let entries = chosen
        .as_ref()
        .map(|(ck, _)| certificate_entries(&ck.chain, vec![]))
        .unwrap_or_default();
    let checks = if chosen.is_none() {
        vec![Check::fail(CheckKind::ClientCertificateWithheld {
            have_cert: config.client_cert.is_some(),
        })]
    } else {
        vec![]
    };
    c.send_handshake(HM::Certificate(Certificate { context, entries }), checks);
    if let Some((ck, _)) = &chosen {
        c.client_cert_sent = ck
            .chain
            .first()
            .map(|d| crate::handshake::outcome::cert_identity(d));
    }
    chosen
}

/// Our CertificateVerify: `content` signed with our key (RFC 8446 §4.4.3: the transcript
/// hash in the TLS 1.3 frame; RFC 5246 §7.4.8: all handshake messages so far; `scheme`
/// None: the TLS 1.0/1.1 signature, RFC 4346 §7.4.8).
pub(super) fn send_certificate_verify(
    c: &mut Common,
    ck: CertifiedKey,
    scheme: Option<SignatureScheme>,
    content: &[u8],
) -> Result<(), TlsError> {
    let signature = match scheme {
        Some(s) => ck.key.sign(s, content, &mut c.rng)?,
        None => ck.key.sign_legacy(content, &mut c.rng)?,
    };
    cert_auth::send_certificate_verify(c, scheme, signature);
    Ok(())
}
