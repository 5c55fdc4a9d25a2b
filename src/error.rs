//! Typed protocol errors. Every failure inside the core names the TLS alert the RFC asks for
//! (RFC 8446 §6.2, RFC 5246 §7.2.2) and a one-sentence explanation for the user.

use std::fmt;

/// Alert descriptions (RFC 8446 §6, RFC 5246 §7.2), with unknown values kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alert {
    CloseNotify,
    UnexpectedMessage,
    BadRecordMac,
    DecryptionFailed,
    RecordOverflow,
    DecompressionFailure,
    HandshakeFailure,
    NoCertificate,
    BadCertificate,
    UnsupportedCertificate,
    CertificateRevoked,
    CertificateExpired,
    CertificateUnknown,
    IllegalParameter,
    UnknownCa,
    AccessDenied,
    DecodeError,
    DecryptError,
    ExportRestriction,
    ProtocolVersion,
    InsufficientSecurity,
    InternalError,
    InappropriateFallback,
    UserCanceled,
    NoRenegotiation,
    MissingExtension,
    UnsupportedExtension,
    CertificateUnobtainable,
    UnrecognizedName,
    BadCertificateStatusResponse,
    BadCertificateHashValue,
    UnknownPskIdentity,
    CertificateRequired,
    NoApplicationProtocol,
    Unknown(u8),
}

const ALERTS: &[(Alert, u8, &str)] = &[
    (Alert::CloseNotify, 0, "close_notify"),
    (Alert::UnexpectedMessage, 10, "unexpected_message"),
    (Alert::BadRecordMac, 20, "bad_record_mac"),
    (Alert::DecryptionFailed, 21, "decryption_failed"),
    (Alert::RecordOverflow, 22, "record_overflow"),
    (Alert::DecompressionFailure, 30, "decompression_failure"),
    (Alert::HandshakeFailure, 40, "handshake_failure"),
    (Alert::NoCertificate, 41, "no_certificate"),
    (Alert::BadCertificate, 42, "bad_certificate"),
    (Alert::UnsupportedCertificate, 43, "unsupported_certificate"),
    (Alert::CertificateRevoked, 44, "certificate_revoked"),
    (Alert::CertificateExpired, 45, "certificate_expired"),
    (Alert::CertificateUnknown, 46, "certificate_unknown"),
    (Alert::IllegalParameter, 47, "illegal_parameter"),
    (Alert::UnknownCa, 48, "unknown_ca"),
    (Alert::AccessDenied, 49, "access_denied"),
    (Alert::DecodeError, 50, "decode_error"),
    (Alert::DecryptError, 51, "decrypt_error"),
    (Alert::ExportRestriction, 60, "export_restriction"),
    (Alert::ProtocolVersion, 70, "protocol_version"),
    (Alert::InsufficientSecurity, 71, "insufficient_security"),
    (Alert::InternalError, 80, "internal_error"),
    (Alert::InappropriateFallback, 86, "inappropriate_fallback"),
    (Alert::UserCanceled, 90, "user_canceled"),
    (Alert::NoRenegotiation, 100, "no_renegotiation"),
    (Alert::MissingExtension, 109, "missing_extension"),
    (Alert::UnsupportedExtension, 110, "unsupported_extension"),
    (
        Alert::CertificateUnobtainable,
        111,
        "certificate_unobtainable",
    ),
    (Alert::UnrecognizedName, 112, "unrecognized_name"),
    (
        Alert::BadCertificateStatusResponse,
        113,
        "bad_certificate_status_response",
    ),
    (
        Alert::BadCertificateHashValue,
        114,
        "bad_certificate_hash_value",
    ),
    (Alert::UnknownPskIdentity, 115, "unknown_psk_identity"),
    (Alert::CertificateRequired, 116, "certificate_required"),
    (Alert::NoApplicationProtocol, 120, "no_application_protocol"),
];

impl Alert {
    pub fn from_u8(v: u8) -> Alert {
        ALERTS
            .iter()
            .find(|(_, c, _)| *c == v)
            .map(|(a, _, _)| *a)
            .unwrap_or(Alert::Unknown(v))
    }

    pub fn to_u8(self) -> u8 {
        match self {
            Alert::Unknown(v) => v,
            a => ALERTS
                .iter()
                .find(|(x, _, _)| *x == a)
                .map(|e| e.1)
                .unwrap_or(80),
        }
    }

    /// The RFC name, e.g. `decode_error`; unknown values as `unknown(NN)`.
    pub fn name(self) -> String {
        match ALERTS.iter().find(|(x, _, _)| *x == self) {
            Some((_, _, n)) => n.to_string(),
            None => format!("unknown({})", self.to_u8()),
        }
    }
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Alert level (RFC 5246 §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertLevel {
    Warning,
    Fatal,
    Unknown(u8),
}

impl AlertLevel {
    pub fn from_u8(v: u8) -> Self {
        match v {
            1 => AlertLevel::Warning,
            2 => AlertLevel::Fatal,
            x => AlertLevel::Unknown(x),
        }
    }
    pub fn to_u8(self) -> u8 {
        match self {
            AlertLevel::Warning => 1,
            AlertLevel::Fatal => 2,
            AlertLevel::Unknown(x) => x,
        }
    }
    pub fn name(self) -> String {
        match self {
            AlertLevel::Warning => "warning".into(),
            AlertLevel::Fatal => "fatal".into(),
            AlertLevel::Unknown(x) => format!("unknown({x})"),
        }
    }
}

/// A protocol failure: the alert to send (or that was received) and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsError {
    pub alert: Alert,
    pub message: String,
    /// True when the peer sent this alert (nothing is sent back), false when we detected it.
    pub received: bool,
}

impl TlsError {
    pub fn new(alert: Alert, message: impl Into<String>) -> Self {
        TlsError {
            alert,
            message: message.into(),
            received: false,
        }
    }

    pub fn received(alert: Alert, message: impl Into<String>) -> Self {
        TlsError {
            alert,
            message: message.into(),
            received: true,
        }
    }

    pub fn decode(message: impl Into<String>) -> Self {
        Self::new(Alert::DecodeError, message)
    }

    pub fn illegal(message: impl Into<String>) -> Self {
        Self::new(Alert::IllegalParameter, message)
    }

    pub fn unexpected(message: impl Into<String>) -> Self {
        Self::new(Alert::UnexpectedMessage, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Alert::InternalError, message)
    }
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.received {
            // The message already names the alert the peer sent (handshake::alerts).
            f.write_str(&self.message)
        } else {
            write!(f, "{} (alert {})", self.message, self.alert)
        }
    }
}

impl std::error::Error for TlsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_codes_round_trip() {
        for v in 0..=255u8 {
            assert_eq!(Alert::from_u8(v).to_u8(), v);
        }
        assert_eq!(Alert::from_u8(50), Alert::DecodeError);
        assert_eq!(Alert::DecodeError.name(), "decode_error");
        assert_eq!(Alert::from_u8(200).name(), "unknown(200)");
    }
}
