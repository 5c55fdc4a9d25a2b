//! TLS 1.3 post-handshake client authentication, client side (RFC 8446 §4.6.2): a
//! CertificateRequest after the handshake answered with our Certificate, CertificateVerify
//! and Finished (§4.4), or an empty Certificate and Finished without a certificate.

use super::auth;
use crate::error::TlsError;
use crate::handshake::cert_auth::signed_content;
use crate::handshake::config::ClientConfig;
use crate::handshake::finished::{report_post_handshake, send_finished};
use crate::handshake::key_update::ApplicationSecrets;
use crate::handshake::{Common, Incoming, Side};
use crate::wire::handshake::CertificateRequest13;

/// Answers the server's post-handshake CertificateRequest `r` (in `m`). The messages of the
/// exchange are hashed after the handshake's (ClientHello..client Finished, RFC 8446 §4.4:
/// "Handshake Context" of post-handshake authentication), and the transcript is put back
/// afterwards, so that each exchange starts from the handshake's.
pub(super) fn answer(
    c: &mut Common,
    config: &ClientConfig,
    secrets: &ApplicationSecrets,
    m: &Incoming,
    r: &CertificateRequest13,
) -> Result<(), TlsError> {
    // RFC 8446 §4.6.2: "A client that receives a CertificateRequest message without having
    // sent the "post_handshake_auth" extension MUST send an "unexpected_message" fatal
    // alert."
    if !config.post_handshake_auth {
        return Err(TlsError::unexpected(
            "a CertificateRequest after the handshake, but we did not offer post_handshake_auth (RFC 8446 §4.6.2)",
        ));
    }
    let sigalgs = auth::requested_sigalgs(r)?;
    let handshake_transcript = c.transcript.clone();
    auth::report_certificate_request(c, config, m);
    // RFC 8446 §4.4.2: the Certificate echoes the request's certificate_request_context.
    let context = Some(r.context.clone());
    let chosen = auth::send_client_certificate(c, config, context, Some(&sigalgs), true);
    if let Some((ck, scheme)) = chosen {
        let hash = Some(secrets.params().hash);
        let content = signed_content(c, Side::Client, hash).into_owned();
        auth::send_certificate_verify(c, ck, scheme, &content)?;
    }
    // RFC 8446 §4.4: the Finished key comes from client_application_traffic_secret_N.
    let key = secrets.post_handshake_finished_key();
    report_post_handshake(c, key);
    send_finished(c, key);
    c.transcript = handshake_transcript;
    Ok(())
}
