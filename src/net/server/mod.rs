//! The server side of `net`: what can end the serving of one accepted connection.

use std::fmt;
use std::time::Duration;

use super::driver::DriveError;
use super::starttls::StarttlsError;

/// Why serving one connection ended early.
#[derive(Debug)]
pub enum ServeError {
    /// The STARTTLS dialogue before the handshake failed.
    Starttls(StarttlsError),
    /// Driving the TLS connection failed.
    Drive(DriveError),
    /// A phase of the connection (`phase`: "handshake", "HTTP request") took longer than
    /// `limit` (`--timeout`), and its socket was shut down.
    Deadline {
        phase: &'static str,
        limit: Duration,
    },
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Starttls(e) => write!(f, "{e}"),
            ServeError::Drive(e) => write!(f, "{e}"),
            ServeError::Deadline { phase, limit } => write!(
                f,
                "timed out: the {phase} took longer than {:.1} s (--timeout)",
                limit.as_secs_f64()
            ),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<DriveError> for ServeError {
    fn from(e: DriveError) -> Self {
        ServeError::Drive(e)
    }
}
