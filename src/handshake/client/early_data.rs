//! 0-RTT on the client (RFC 8446 §2.3, §4.2.10): early_data offered with a ticket that
//! allows it, the data sent under the client_early_traffic_secret (§7.1) right after the
//! ClientHello, what EncryptedExtensions says of it, and the EndOfEarlyData (§4.5).

use crate::crypto::key_schedule as ks;
use crate::error::TlsError;
use crate::event::{Check, CheckKind, Dir, EarlyData, EarlyDataRefusal, Event, Info};
use crate::handshake::config::ClientConfig;
use crate::handshake::install::install_early;
use crate::handshake::suite_params;
use crate::handshake::Common;
use crate::wire::codepoints::{ContentType, ExtensionType as ET, ProtocolVersion};
use crate::wire::extensions::{find, ExtBody, Extension};
use crate::wire::handshake::{ClientHello, HandshakeMessage as HM};

/// RFC 8446 §4.2.10: the empty early_data extension, in a first ClientHello only, when we
/// resume a TLS 1.3 ticket that allows early data and have data to send.
pub(super) fn offer(config: &ClientConfig, retry: bool) -> Option<Extension> {
    let s = config.resume.as_ref()?;
    let usable = s.version == ProtocolVersion::TLS13 && s.max_early_data > 0 && s.ticket.is_some();
    (!retry && usable && config.early_data.is_some())
        .then(|| Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(None)))
}

/// Right after a ClientHello that offers early_data: the middlebox-compatibility CCS (RFC
/// 8446 §D.4: "immediately after sending its first ClientHello"), the early traffic keys
/// of the ticket's suite (§4.2.10) and the data.
pub(super) fn send(
    c: &mut Common,
    config: &ClientConfig,
    hello: &ClientHello,
) -> Result<(), TlsError> {
    if find(&hello.extensions, ET::EARLY_DATA).is_none() {
        return Ok(());
    }
    let (Some(s), Some(data)) = (&config.resume, &config.early_data) else {
        return Ok(());
    };
    let p = suite_params::params(s.suite)
        .ok_or_else(|| TlsError::internal("the ticket's cipher suite is unknown"))?;
    c.early_data = Some(EarlyData::Rejected);
    if !hello.session_id.is_empty() {
        c.send_ccs(true);
    }
    let th = c.transcript.hash(p.hash);
    let early = ks::early_secret(p.hash, Some(&s.secret));
    let secret = ks::derive_secret(p.hash, &early, "c e traffic", &th);
    c.key_event(
        "client_early_traffic_secret",
        "Derive-Secret(early_secret, \"c e traffic\", ClientHello)".into(),
        Some("CLIENT_EARLY_TRAFFIC_SECRET"),
        &secret,
    );
    install_early(c, &p, &secret)?;
    if !data.is_empty() {
        c.rl.send(ContentType::APPLICATION_DATA, data);
        c.report_sent_records();
        c.emit(Event::AppData {
            dir: Dir::Out,
            data: data.clone(),
        });
    }
    Ok(())
}

/// A HelloRetryRequest refuses early data (RFC 8446 §4.1.2): the second ClientHello goes
/// out in the clear, without early_data.
pub(super) fn on_retry(c: &mut Common) {
    if c.early_data.is_some() {
        c.rl.clear_write_cipher();
    }
}

/// EncryptedExtensions (RFC 8446 §4.2.10): early_data there accepts our 0-RTT data, which
/// needs our PSK accepted; its absence rejects it. The checks for its report.
pub(super) fn on_encrypted_extensions(
    c: &mut Common,
    config: &ClientConfig,
    exts: &[Extension],
    resumed: bool,
) -> Result<Vec<Check>, TlsError> {
    if find(exts, ET::EARLY_DATA).is_none() || c.early_data.is_none() {
        return Ok(vec![]);
    }
    if !resumed {
        return Err(TlsError::illegal(
            "the server accepted our early data without our PSK (RFC 8446 §4.2.10)",
        ));
    }
    c.early_data = Some(EarlyData::Accepted);
    let bytes = config.early_data.as_ref().map_or(0, Vec::len);
    Ok(vec![Check::pass(CheckKind::EarlyDataAccepted { bytes })])
}

/// After EncryptedExtensions is reported: says so when our early data was rejected.
pub(super) fn report_rejection(c: &mut Common) {
    if c.early_data == Some(EarlyData::Rejected) {
        c.emit(Event::Info(Info::EarlyDataRejected {
            reason: EarlyDataRefusal::ByServer,
        }));
    }
}

/// Our second flight starts with EndOfEarlyData under the early keys when the server
/// accepted 0-RTT (RFC 8446 §4.5); true when the middlebox CCS already went out after the
/// ClientHello.
pub(super) fn before_second_flight(c: &mut Common) -> bool {
    if c.early_data == Some(EarlyData::Accepted) {
        c.send_handshake(HM::EndOfEarlyData, vec![]);
    }
    c.early_data.is_some()
}
