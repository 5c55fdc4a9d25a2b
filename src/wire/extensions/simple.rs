//! The extensions with one small field or none: renegotiation_info (RFC 5746 §3.2),
//! session_ticket (RFC 5077 §3.2), cookie (RFC 8446 §4.2.2), padding (RFC 7685 §3),
//! heartbeat (RFC 6520 §2), record_size_limit (RFC 8449 §4), max_fragment_length (RFC 6066
//! §4), and the empty ones
//! (extended_master_secret RFC 7627 §5.1, encrypt_then_mac RFC 7366 §2, post_handshake_auth
//! RFC 8446 §4.2.6).

use super::super::codec::{Reader, Writer};
use super::super::span::{bytes, Field};
use super::ExtBody;
use crate::error::TlsError;

/// renegotiation_info: renegotiated_connection <0..255>.
pub(super) fn read_renegotiation_info(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    let verify_data = r.vec8(Field::shown_as(what, "renegotiated_connection"))?;
    Ok(ExtBody::RenegotiationInfo(verify_data.to_vec()))
}

/// session_ticket: the ticket, all of the extension (empty: asking for one).
pub(super) fn read_session_ticket(r: &mut Reader) -> ExtBody {
    ExtBody::SessionTicket(r.take_rest_as("ticket", bytes).to_vec())
}

/// cookie: opaque cookie <1..2^16-1>.
pub(super) fn read_cookie(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    let c = r.vec16(what)?;
    if c.is_empty() {
        return Err(TlsError::decode("cookie: empty"));
    }
    Ok(ExtBody::Cookie(c.to_vec()))
}

/// padding: the bytes as sent (§3 requires zeros; a diagnostic tool shows what came).
pub(super) fn read_padding(r: &mut Reader) -> ExtBody {
    ExtBody::Padding(r.take_rest_as("padding", bytes).to_vec())
}

/// heartbeat: HeartbeatMode.
pub(super) fn read_heartbeat(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    Ok(ExtBody::Heartbeat(r.u8(Field::shown_as(what, "mode"))?))
}

/// record_size_limit: RecordSizeLimit (uint16).
pub(super) fn read_record_size_limit(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    Ok(ExtBody::RecordSizeLimit(r.u16(what)?))
}

/// max_fragment_length: MaxFragmentLength (one byte, 1..=4 for 2^9..2^12); any other value
/// is illegal_parameter (RFC 6066 §4).
pub(super) fn read_max_fragment_length(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    let v = r.u8(Field::shown_as(what, "max_fragment_length"))?;
    if !(1..=4).contains(&v) {
        return Err(TlsError::illegal(format!(
            "{what}: value {v} is not one of 1..4 (RFC 6066 §4)"
        )));
    }
    Ok(ExtBody::MaxFragmentLength(v))
}

pub(super) fn write_opaque8(b: &[u8], w: &mut Writer) {
    w.vec8(b);
}

pub(super) fn write_opaque16(b: &[u8], w: &mut Writer) {
    w.vec16(b);
}

pub(super) fn write_raw(b: &[u8], w: &mut Writer) {
    w.bytes(b);
}
