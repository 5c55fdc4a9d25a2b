//! Client authentication, both versions: the client's Certificate (RFC 5246 §7.4.6, RFC 8446
//! §4.4.2) and its CertificateVerify (RFC 5246 §7.4.8, RFC 8446 §4.4.3).

use crate::crypto::hash::HashAlg;
use crate::crypto::sign;
use crate::error::{Alert, TlsError};
use crate::event::{Check, Event};
use crate::handshake::client::leaf_spki;
use crate::handshake::config::{ClientAuth, ServerConfig};
use crate::handshake::{Common, Incoming};
use crate::wire::handshake::{Certificate, CertificateVerify};

use super::negotiated::ClientIdentity;

/// Takes the client's Certificate into `client`: the leaf's public key when it sent a
/// certificate (a CertificateVerify follows), none when it sent an empty one (allowed unless
/// a certificate is required).
pub(super) fn receive_certificate(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    cert: &Certificate,
    client: &mut ClientIdentity,
) -> Result<Option<Vec<u8>>, TlsError> {
    if let Some(ctx) = &cert.context {
        if !ctx.is_empty() {
            return Err(TlsError::illegal(
                "client Certificate with an unexpected request context",
            ));
        }
    }
    client.chain = cert.entries.iter().map(|e| e.der.clone()).collect();
    c.transcript.update(&m.raw);
    let Some(leaf) = client.chain.first() else {
        return no_certificate(c, config, m).map(|()| None);
    };
    let spki = leaf_spki(leaf)?;
    m.report(c, vec![]);
    if let Some(v) = &config.client_verifier {
        let r = v.verify(&client.chain);
        c.emit(Event::Verify {
            ok: r.ok,
            errors: r.errors.clone(),
            detail: r.detail.clone(),
        });
        let ok = r.ok;
        client.check = Some(r);
        if !ok {
            return Err(TlsError::new(
                Alert::BadCertificate,
                "the client certificate did not verify",
            ));
        }
    }
    Ok(Some(spki))
}

/// An empty client Certificate: fatal when a certificate is required (certificate_required
/// in TLS 1.3, RFC 8446 §4.4.2.4; handshake_failure before, RFC 5246 §7.4.6).
fn no_certificate(c: &mut Common, config: &ServerConfig, m: &Incoming) -> Result<(), TlsError> {
    let required = config.client_auth == ClientAuth::Require;
    m.report(
        c,
        vec![Check::new(
            "client certificate",
            !required,
            "the client sent no certificate",
        )],
    );
    if !required {
        return Ok(());
    }
    let alert = if c.tls13() {
        Alert::CertificateRequired
    } else {
        Alert::HandshakeFailure
    };
    Err(TlsError::new(
        alert,
        "a client certificate is required and the client sent none",
    ))
}

/// Checks the client's CertificateVerify against the leaf key `spki`: over the transcript
/// hash with the TLS 1.3 context string (`hash` given), or over the handshake messages so
/// far in TLS 1.2.
pub(super) fn verify_signature(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    cv: &CertificateVerify,
    spki: &[u8],
    tls13_hash: Option<HashAlg>,
) -> Result<(), TlsError> {
    if !config.sigalgs.contains(&cv.scheme) {
        return Err(TlsError::illegal(format!(
            "the client signed with {}, which we did not offer",
            cv.scheme
        )));
    }
    let tls13_content;
    let content = match tls13_hash {
        Some(h) => {
            tls13_content = sign::tls13_verify_content(false, &c.transcript.hash(h));
            &tls13_content[..]
        }
        None => c.transcript.bytes(),
    };
    sign::verify(
        cv.scheme,
        spki,
        content,
        &cv.signature,
        tls13_hash.is_none(),
    )?;
    c.transcript.update(&m.raw);
    m.report(
        c,
        vec![Check::new(
            "signature",
            true,
            format!("{} verified with the client certificate's key", cv.scheme),
        )],
    );
    Ok(())
}
