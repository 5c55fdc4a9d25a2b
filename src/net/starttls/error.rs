//! Why a STARTTLS dialogue did not end in agreement, either side; every sentence is written
//! here. Peer text quoted in a sentence is already escaped and is shortened here.

use std::fmt;

use super::{Starttls, MAX_COMMANDS, MAX_LINES};
use crate::net::plain::PlainError;

#[derive(Debug)]
pub enum StarttlsError {
    /// Reading or writing the plaintext failed.
    Io(PlainError),
    /// `--starttls` names no known protocol.
    UnknownProtocol(String),
    /// An SMTP or FTP reply line without a reply code.
    NoReplyCode {
        peer: &'static str,
        what: &'static str,
        line: String,
    },
    /// A multi-line reply that does not end.
    TooManyReplyLines {
        peer: &'static str,
        what: &'static str,
    },
    /// The server's greeting is not the protocol's "ready" (`expected`, as quoted).
    Greeting {
        proto: Starttls,
        expected: &'static str,
        got: String,
    },
    /// The server refused a command. `maybe_not_offered`: the refusal may mean the server
    /// does not offer the upgrade at all.
    Refused {
        proto: Starttls,
        command: &'static str,
        maybe_not_offered: bool,
        got: String,
    },
    /// The server's capabilities do not list the upgrade (`evidence`: where it looked).
    NotOffered {
        proto: Starttls,
        evidence: &'static str,
    },
    ImapPreauth,
    ImapBye(String),
    ImapNoAnswer,
    XmppStreamError,
    XmppNoProceed,
    PostgresRefused,
    PostgresError,
    PostgresUnknownAnswer(u8),
    /// Server side: the client ended the session before asking for TLS (`how`: "quit",
    /// "logged out"; `command`: the upgrade command).
    ClientLeft {
        how: &'static str,
        command: &'static str,
    },
    /// Server side: too many commands without STARTTLS.
    TooManyCommands(Starttls),
    XmppClientClosed,
    PostgresNotSslRequest,
    PostgresNoSslRequest,
}

impl From<PlainError> for StarttlsError {
    fn from(e: PlainError) -> Self {
        StarttlsError::Io(e)
    }
}

/// Shortens peer text quoted in an error message.
pub(super) fn clip(s: &str) -> String {
    if s.chars().count() > 120 {
        format!("{}...", s.chars().take(120).collect::<String>())
    } else {
        s.to_string()
    }
}

impl fmt::Display for StarttlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StarttlsError as E;
        match self {
            E::Io(e) => write!(f, "{e}"),
            E::UnknownProtocol(s) => write!(
                f,
                "--starttls '{s}': unknown protocol (expected smtp, imap, pop3, ftp, xmpp or postgres)"
            ),
            E::NoReplyCode { peer, what, line } => write!(
                f,
                "the {peer}'s {what} '{}' does not start with a 3-digit reply code",
                clip(line)
            ),
            E::TooManyReplyLines { peer, what } => {
                write!(f, "the {peer}'s {what} has more than {MAX_LINES} lines")
            }
            E::Greeting {
                proto,
                expected,
                got,
            } => write!(
                f,
                "the {} server's greeting is not {expected}: '{}'",
                proto.name(),
                clip(got)
            ),
            E::Refused {
                proto,
                command,
                maybe_not_offered,
                got,
            } => write!(
                f,
                "the {} server refused {command}{}: '{}'",
                proto.name(),
                if *maybe_not_offered {
                    " (it may not offer it)"
                } else {
                    ""
                },
                clip(got)
            ),
            E::NotOffered { proto, evidence } => write!(
                f,
                "the {} server does not offer STARTTLS ({evidence})",
                proto.name()
            ),
            E::ImapPreauth => f.write_str("the IMAP server pre-authenticated the session (PREAUTH), so STARTTLS is not allowed (RFC 9051 §6.2.1)"),
            E::ImapBye(l) => write!(f, "the IMAP server said goodbye: '{}'", clip(l)),
            E::ImapNoAnswer => write!(
                f,
                "the IMAP server sent {MAX_LINES} lines without answering STARTTLS"
            ),
            E::XmppStreamError => f.write_str(
                "the XMPP server closed the stream with an error before its features",
            ),
            E::XmppNoProceed => f.write_str("the XMPP server refused STARTTLS (no <proceed/>)"),
            E::PostgresRefused => f.write_str(
                "the PostgreSQL server does not accept SSL (it answered N to SSLRequest)",
            ),
            E::PostgresError => f.write_str("the PostgreSQL server answered SSLRequest with an error (it is too old or not a PostgreSQL server)"),
            E::PostgresUnknownAnswer(b) => write!(
                f,
                "the server's answer to SSLRequest is 0x{b:02x}, not 'S' or 'N': not a PostgreSQL server"
            ),
            E::ClientLeft { how, command } => {
                write!(f, "the client {how} before {command}")
            }
            E::TooManyCommands(p) => write!(
                f,
                "the client sent {MAX_COMMANDS} {} commands without asking for STARTTLS",
                p.name()
            ),
            E::XmppClientClosed => f.write_str("the client closed the XMPP stream before STARTTLS"),
            E::PostgresNotSslRequest => {
                f.write_str("the client's first PostgreSQL message is not an SSLRequest")
            }
            E::PostgresNoSslRequest => f.write_str("the client sent no SSLRequest"),
        }
    }
}

impl std::error::Error for StarttlsError {}
