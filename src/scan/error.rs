//! Why a scan (or one of its steps) found nothing; every sentence is written here. The
//! report keeps the sentence (`TargetReport::error`, notes), the engine the typed value.

use std::fmt;

use crate::error::{Alert, TlsError};
use crate::net::driver::DriveError;
use crate::net::target::TargetError;
use crate::net::OpenError;
use crate::wire::codepoints::ProtocolVersion;

/// Why a probe got no TLS answer at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Silence {
    Closed,
    Timeout,
    /// The bytes were not TLS (the codec's reason).
    NotTls(String),
}

impl fmt::Display for Silence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Silence::Closed => f.write_str("the server closed the connection without answering"),
            Silence::Timeout => f.write_str("the server did not answer within the timeout"),
            Silence::NotTls(m) => write!(f, "the answer is not TLS: {m}"),
        }
    }
}

/// Why a target could not be scanned.
#[derive(Debug)]
pub enum ScanError {
    Target(TargetError),
    /// No connection could be opened (resolution, TCP, proxy, STARTTLS).
    Unreachable(OpenError),
    /// Connections opened but no probe got a TLS answer.
    Silent(Silence),
    /// Every probe ended without a reason to give.
    NoAnswer,
    /// The server answered but accepted no ClientHello of the versions probed (it refused
    /// each with an alert, or answered with a version not asked for).
    NoHandshake {
        versions: Vec<ProtocolVersion>,
        alert: Option<Alert>,
    },
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::Target(e) => write!(f, "{e}"),
            ScanError::Unreachable(e) => write!(f, "{e}"),
            ScanError::Silent(s) => write!(f, "{s}"),
            ScanError::NoAnswer => f.write_str("the server answered no ClientHello"),
            ScanError::NoHandshake { versions, alert } => {
                let list: Vec<String> = versions.iter().map(|v| v.to_string()).collect();
                write!(
                    f,
                    "no TLS handshake possible: the server refused every ClientHello"
                )?;
                if let Some(a) = alert {
                    write!(f, " (first with a fatal {a} alert)")?;
                }
                write!(f, "; versions probed: {}", list.join(", "))
            }
        }
    }
}

impl std::error::Error for ScanError {}

/// Why a complete handshake (tlsprobe's own client) failed.
#[derive(Debug)]
pub enum HandshakeError {
    /// The client could not be set up.
    Config(TlsError),
    Open(OpenError),
    Drive(DriveError),
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::Config(e) => write!(f, "{e}"),
            HandshakeError::Open(e) => write!(f, "{e}"),
            HandshakeError::Drive(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for HandshakeError {}
