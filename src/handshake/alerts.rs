//! Received alerts (RFC 5246 §7.2, RFC 8446 §6): close_notify, the warnings a connection
//! goes on after, the alerts that end it, and the bound on warnings in a row
//! (CVE-2016-8610).

use super::Common;
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Dir, Event, Info};

/// Warning alerts taken in a row, with no handshake message or application data between
/// them; the next one ends the connection with unexpected_message. Warnings cost the
/// receiver work and move nothing forward, so an unbounded stream of them is a denial of
/// service (CVE-2016-8610, "SSL Death Alert"). OpenSSL allows 4 too; tlsfuzzer's
/// test-ssl-death-alert sends 4 and expects the handshake to go on, then 5 and expects a
/// fatal alert.
pub const MAX_WARNINGS_IN_A_ROW: u8 = 4;

/// An alert record's content: reported, then close_notify ends the reading side, a
/// tolerated warning is counted, and anything else ends the connection (as received: we
/// send nothing back).
pub(super) fn receive(c: &mut Common, data: &[u8]) -> Result<(), TlsError> {
    if data.len() != 2 {
        return Err(TlsError::decode(format!(
            "alert record of {} bytes (must be 2)",
            data.len()
        )));
    }
    let level = AlertLevel::from_u8(data[0]);
    let desc = Alert::from_u8(data[1]);
    c.emit(Event::Alert {
        dir: Dir::In,
        level,
        description: desc,
    });
    if desc == Alert::CloseNotify {
        c.received_close = true;
        return Ok(());
    }
    if !tolerated(c, level, desc) {
        return Err(TlsError::received(
            desc,
            format!(
                "the peer aborted the connection with a {} {desc} alert{}",
                level.name(),
                explanation(desc)
            ),
        ));
    }
    c.warnings_in_a_row = c.warnings_in_a_row.saturating_add(1);
    if c.warnings_in_a_row > MAX_WARNINGS_IN_A_ROW {
        return Err(TlsError::unexpected(format!(
            "{} warning alerts in a row without a handshake message or application data: more than {MAX_WARNINGS_IN_A_ROW} is a flood (CVE-2016-8610)",
            c.warnings_in_a_row
        )));
    }
    c.emit(Event::Info(Info::WarningAlert {
        alert: desc,
        in_a_row: c.warnings_in_a_row,
    }));
    Ok(())
}

/// What a received alert tells the user, where there is more to say than its name.
fn explanation(desc: Alert) -> &'static str {
    match desc {
        // RFC 7507 §3: the server saw TLS_FALLBACK_SCSV with a version below its highest.
        Alert::InappropriateFallback => {
            ": the server supports a higher version than offered: downgrade protection works (RFC 7507)"
        }
        _ => "",
    }
}

/// A handshake message (or part of one) or application data arrived: the warnings before
/// it no longer count.
pub(super) fn progress(c: &mut Common) {
    c.warnings_in_a_row = 0;
}

/// Whether the connection goes on after an alert other than close_notify.
///
/// TLS 1.3 (RFC 8446 §6): only user_canceled, whatever its level; "all the alerts listed
/// in Section 6.2 MUST be sent with AlertLevel=fatal and MUST be treated as error alerts".
/// TLS 1.0-1.2 (RFC 5246 §7.2): after a warning "generally the connection can continue
/// normally", except for the descriptions §7.2.2 (and later RFCs) make always fatal; a
/// no_renegotiation answers a renegotiation, so during the first handshake it ends it.
fn tolerated(c: &Common, level: AlertLevel, desc: Alert) -> bool {
    if c.tls13() {
        return desc == Alert::UserCanceled;
    }
    level == AlertLevel::Warning
        && !always_fatal(desc)
        && (desc != Alert::NoRenegotiation || c.established)
}

/// The alerts RFC 5246 §7.2.2 says are "always fatal", with inappropriate_fallback (RFC 7507
/// §2), no_application_protocol (RFC 7301 §3.2) and the TLS 1.3-only missing_extension and
/// certificate_required (RFC 8446 §6.2), which have no warning meaning in TLS 1.2 either.
fn always_fatal(desc: Alert) -> bool {
    matches!(
        desc,
        Alert::UnexpectedMessage
            | Alert::BadRecordMac
            | Alert::DecryptionFailed
            | Alert::RecordOverflow
            | Alert::DecompressionFailure
            | Alert::HandshakeFailure
            | Alert::IllegalParameter
            | Alert::UnknownCa
            | Alert::AccessDenied
            | Alert::DecodeError
            | Alert::DecryptError
            | Alert::ProtocolVersion
            | Alert::InsufficientSecurity
            | Alert::InternalError
            | Alert::UnsupportedExtension
            | Alert::InappropriateFallback
            | Alert::NoApplicationProtocol
            | Alert::MissingExtension
            | Alert::CertificateRequired
    )
}
