//! A client-initiated renegotiation request, for scan's client_renegotiation check: a new
//! ClientHello over an established TLS 1.0-1.2 connection (RFC 5246 §7.4.1.2), with
//! renegotiation_info carrying our client_verify_data (RFC 5746 §3.5), or in the legacy
//! form without it when the server lacks RFC 5746. The server's answer is only reported
//! (a ServerHello, or an alert): the renegotiation itself is never completed.

use super::hello;
use super::tls12::Established;
use crate::error::TlsError;
use crate::handshake::config::ClientConfig;
use crate::handshake::Common;
use crate::wire::codepoints::{ExtensionType as ET, ProtocolVersion};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::HandshakeMessage as HM;
use rand::RngCore;

/// Sends the renegotiating ClientHello under the connection's keys and marks `e` as
/// waiting for the server's answer.
pub(super) fn request(
    c: &mut Common,
    config: &ClientConfig,
    e: &mut Established,
) -> Result<(), TlsError> {
    let version = c
        .version
        .filter(|v| *v >= ProtocolVersion::TLS10 && *v <= ProtocolVersion::TLS12)
        .ok_or_else(|| TlsError::internal("renegotiation needs TLS 1.0-1.2 (RFC 8446 §4.1.2)"))?;
    // A fresh full handshake at the version in use: no session to resume, no 0-RTT.
    let fresh = ClientConfig {
        versions: vec![version],
        resume: None,
        psk: None,
        early_data: None,
        ..config.clone()
    };
    // The new hello's random; the connection keeps its own (key log lines name it).
    let kept = c.client_random;
    c.rng.fill_bytes(&mut c.client_random);
    let built = hello::build_hello(c, &fresh, hello::Shares::New(vec![]), None);
    c.client_random = kept;
    let mut ch = built?.hello;
    // RFC 5746 §3.5: "the client MUST include the "renegotiation_info" extension in the
    // ClientHello, containing the saved client_verify_data"; a server without RFC 5746 gets
    // the legacy hello, with neither the extension nor the SCSV.
    ch.extensions.retain(|x| x.typ != ET::RENEGOTIATION_INFO);
    if e.secure_renegotiation {
        ch.extensions.push(Extension::new(
            ET::RENEGOTIATION_INFO,
            ExtBody::RenegotiationInfo(c.own_verify_data.clone()),
        ));
    }
    c.send_handshake(HM::ClientHello(ch), vec![]);
    e.renegotiation_requested = true;
    Ok(())
}
