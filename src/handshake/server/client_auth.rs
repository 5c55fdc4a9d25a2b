//! Client authentication, both versions: the client's Certificate (RFC 5246 §7.4.6, RFC 8446
//! §4.4.2); its CertificateVerify is checked by `cert_auth::receive_certificate_verify`.

use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind};
use crate::handshake::cert_auth::{leaf_spki, verify_chain};
use crate::handshake::config::ServerConfig;
use crate::handshake::{Common, Incoming};
use crate::wire::handshake::Certificate;

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
    receive_certificate_for(c, config, m, cert, client, &[])
}

/// As `receive_certificate`, for the CertificateRequest whose certificate_request_context
/// was `context` (empty in the handshake; RFC 8446 §4.4.2: the Certificate echoes it).
pub(super) fn receive_certificate_for(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    cert: &Certificate,
    client: &mut ClientIdentity,
    context: &[u8],
) -> Result<Option<Vec<u8>>, TlsError> {
    if let Some(ctx) = &cert.context {
        if ctx.as_slice() != context {
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
        let r = verify_chain(c, v.as_ref(), &client.chain);
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
    let required = config.client_auth.required();
    m.report(
        c,
        vec![Check::new(CheckKind::NoClientCertificate, !required)],
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
