//! The `closed` event, the last of every connection: why it ended (one reason word) and the
//! final facts (tickets, application bytes each way), gathered by [`CloseTracker`] from the
//! events that went before and what the network layer saw (RFC 8446 §6.1, RFC 5246 §7.2.1).

use super::{Dir, Event};
use crate::error::{Alert, AlertLevel, TlsError};
use crate::wire::handshake::HandshakeMessage;

/// What ended the connection first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// We sent close_notify first (end of input, `--no-pipe`, listen's answer sent).
    CloseNotifySent,
    /// The peer sent close_notify first.
    CloseNotifyReceived,
    /// The peer closed TCP without close_notify (before ours, or during the handshake).
    TcpClose,
    /// A fatal alert, sent or received.
    Alert,
    /// A local error: timeout, socket error, no connection at all.
    Error,
    /// connect: the certificate did not verify and `-k` was not given (exit 3).
    VerifyFailed,
}

impl CloseReason {
    /// The word the JSON `reason` key carries.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::CloseNotifySent => "close_notify_sent",
            CloseReason::CloseNotifyReceived => "close_notify_received",
            CloseReason::TcpClose => "tcp_close",
            CloseReason::Alert => "alert",
            CloseReason::Error => "error",
            CloseReason::VerifyFailed => "verify_failed",
        }
    }
}

/// How a connection ended, with the facts known only at its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub reason: CloseReason,
    /// One sentence for people (the human closing line; JSON `detail`).
    pub detail: String,
    /// Whether the handshake had completed (a `summary` was written).
    pub established: bool,
    pub close_notify_sent: bool,
    pub close_notify_received: bool,
    /// The fatal alert that ended it (reason `alert`), with its direction.
    pub alert: Option<(Dir, Alert)>,
    /// NewSessionTicket messages received (TLS 1.2 and 1.3).
    pub tickets: u32,
    /// Application data bytes (plaintext) sent and received, 0-RTT data included.
    pub app_bytes_sent: u64,
    pub app_bytes_received: u64,
}

impl Closed {
    /// Ended by close_notify (from either side), nothing cut off by an alert or error.
    pub fn clean(&self) -> bool {
        matches!(
            self.reason,
            CloseReason::CloseNotifySent | CloseReason::CloseNotifyReceived
        )
    }

    /// A connection that never got to TLS (no TCP connection, a failed STARTTLS dialogue).
    pub fn before_tls(detail: impl Into<String>) -> Closed {
        CloseTracker::default().closed_with(CloseReason::Error, detail.into())
    }
}

/// Gathers the facts of the `closed` event from the connection's events and from what the
/// network layer reports (TCP end, errors). The first cause noted is the reason.
#[derive(Debug, Default)]
pub struct CloseTracker {
    cause: Option<(CloseReason, Option<(Dir, Alert)>)>,
    detail: Option<String>,
    established: bool,
    close_notify_sent: bool,
    close_notify_received: bool,
    tcp_closed: bool,
    tickets: u32,
    sent: u64,
    received: u64,
}

impl CloseTracker {
    fn note(&mut self, reason: CloseReason, alert: Option<(Dir, Alert)>, detail: Option<String>) {
        if self.cause.is_none() {
            self.cause = Some((reason, alert));
            self.detail = detail;
        }
    }

    /// Takes what an event says about the connection's end and its totals.
    pub fn observe(&mut self, e: &Event) {
        match e {
            Event::Summary(_) => self.established = true,
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => {
                if matches!(
                    **msg,
                    HandshakeMessage::NewSessionTicket12(_)
                        | HandshakeMessage::NewSessionTicket13(_)
                ) {
                    self.tickets = self.tickets.saturating_add(1);
                }
            }
            Event::AppData { dir, data } => {
                let n = data.len() as u64;
                match dir {
                    Dir::Out => self.sent = self.sent.saturating_add(n),
                    Dir::In => self.received = self.received.saturating_add(n),
                }
            }
            Event::Alert {
                dir, description, ..
            } if *description == Alert::CloseNotify => match dir {
                Dir::Out => {
                    self.close_notify_sent = true;
                    self.note(CloseReason::CloseNotifySent, None, None);
                }
                Dir::In => {
                    self.close_notify_received = true;
                    self.note(CloseReason::CloseNotifyReceived, None, None);
                }
            },
            // We send only fatal alerts besides close_notify; a received warning may be
            // tolerated, so received alerts count when the core fails on them (`tls_error`).
            Event::Alert {
                dir: Dir::Out,
                level: AlertLevel::Fatal,
                description,
            } => self.note(CloseReason::Alert, Some((Dir::Out, *description)), None),
            _ => {}
        }
    }

    /// The core refused the peer's bytes (an alert sent) or the peer's alert ended it.
    pub fn tls_error(&mut self, e: &TlsError) {
        let dir = if e.received { Dir::In } else { Dir::Out };
        self.note(
            CloseReason::Alert,
            Some((dir, e.alert)),
            Some(e.to_string()),
        );
        if matches!(self.cause, Some((CloseReason::Alert, _))) && self.detail.is_none() {
            self.detail = Some(e.to_string());
        }
    }

    /// The peer closed TCP (an EOF on the socket).
    pub fn tcp_close(&mut self) {
        self.tcp_closed = true;
        self.note(CloseReason::TcpClose, None, None);
    }

    /// A local error ended the connection (timeout, socket error, deadline).
    pub fn error(&mut self, detail: impl Into<String>) {
        self.note(CloseReason::Error, None, Some(detail.into()));
    }

    /// A deadline (listen's watchdog) cut the connection: a local error, whatever the socket
    /// said after the watchdog shut it down.
    pub fn deadline(&mut self, detail: impl Into<String>) {
        if matches!(
            self.cause,
            None | Some((CloseReason::TcpClose | CloseReason::Error, _))
        ) {
            self.cause = Some((CloseReason::Error, None));
            self.detail = Some(detail.into());
        }
    }

    /// connect's certificate check failed (exit 3): noted before the close_notify it sends.
    pub fn verify_failed(&mut self, detail: impl Into<String>) {
        self.note(CloseReason::VerifyFailed, None, Some(detail.into()));
    }

    fn closed_with(&self, reason: CloseReason, detail: String) -> Closed {
        Closed {
            reason,
            detail,
            established: self.established,
            close_notify_sent: self.close_notify_sent,
            close_notify_received: self.close_notify_received,
            alert: self.cause.and_then(|(_, a)| a),
            tickets: self.tickets,
            app_bytes_sent: self.sent,
            app_bytes_received: self.received,
        }
    }

    /// The `closed` event; `peer` names the other side ("server" or "client").
    pub fn closed(&self, peer: &str) -> Closed {
        let (reason, _) = self.cause.unwrap_or((CloseReason::Error, None));
        let detail = self
            .detail
            .clone()
            .unwrap_or_else(|| self.default_detail(reason, peer));
        self.closed_with(reason, detail)
    }

    fn default_detail(&self, reason: CloseReason, peer: &str) -> String {
        match reason {
            CloseReason::CloseNotifySent if self.close_notify_received => {
                format!("we sent close_notify and the {peer} answered with its own")
            }
            CloseReason::CloseNotifySent if self.tcp_closed => format!(
                "we sent close_notify and the {peer} closed the TCP connection without its own (RFC 8446 §6.1 allows it)"
            ),
            CloseReason::CloseNotifySent => {
                format!("we sent close_notify; the {peer} did not answer with its own")
            }
            CloseReason::CloseNotifyReceived if self.close_notify_sent => {
                format!("the {peer} sent close_notify and we answered with ours")
            }
            CloseReason::CloseNotifyReceived => format!("the {peer} sent close_notify"),
            CloseReason::TcpClose if !self.established => {
                format!("the {peer} closed the connection during the handshake")
            }
            CloseReason::TcpClose => format!(
                "the {peer} closed the TCP connection without close_notify: the data may be truncated"
            ),
            CloseReason::Alert => match self.cause.and_then(|(_, a)| a) {
                Some((Dir::Out, a)) => format!("we sent a fatal {a} alert"),
                Some((Dir::In, a)) => format!("the {peer} sent a fatal {a} alert"),
                None => "a fatal alert ended the connection".into(),
            },
            CloseReason::Error | CloseReason::VerifyFailed => {
                "the connection ended without close_notify".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(dir: Dir, level: AlertLevel, description: Alert) -> Event {
        Event::Alert {
            dir,
            level,
            description,
        }
    }

    #[test]
    fn the_first_cause_is_the_reason() {
        // We close, then the peer drops TCP (nginx): close_notify_sent, clean.
        let mut t = CloseTracker::default();
        t.observe(&alert(Dir::Out, AlertLevel::Warning, Alert::CloseNotify));
        t.tcp_close();
        let c = t.closed("server");
        assert_eq!(c.reason, CloseReason::CloseNotifySent);
        assert!(c.clean() && c.close_notify_sent && !c.close_notify_received);
        assert!(c.detail.contains("without its own"), "{}", c.detail);

        // The peer drops TCP first: tcp_close, not clean, whatever we send after.
        let mut t = CloseTracker::default();
        t.tcp_close();
        t.observe(&alert(Dir::Out, AlertLevel::Warning, Alert::CloseNotify));
        let c = t.closed("server");
        assert_eq!(c.reason, CloseReason::TcpClose);
        assert!(!c.clean());
    }

    #[test]
    fn alerts_sent_and_received_carry_the_error() {
        // We refuse: the fatal alert goes out, then the error says why.
        let mut t = CloseTracker::default();
        t.observe(&alert(Dir::Out, AlertLevel::Fatal, Alert::DecodeError));
        t.tls_error(&TlsError::new(Alert::DecodeError, "a bad length"));
        let c = t.closed("client");
        assert_eq!(c.reason, CloseReason::Alert);
        assert_eq!(c.alert, Some((Dir::Out, Alert::DecodeError)));
        assert!(c.detail.contains("a bad length"), "{}", c.detail);

        // A received warning the core tolerates is no cause; the fatal one that fails is.
        let mut t = CloseTracker::default();
        t.observe(&alert(Dir::In, AlertLevel::Warning, Alert::NoRenegotiation));
        let mut e = TlsError::new(Alert::HandshakeFailure, "the peer aborted");
        e.received = true;
        t.tls_error(&e);
        let c = t.closed("server");
        assert_eq!(c.alert, Some((Dir::In, Alert::HandshakeFailure)));
        assert!(!c.established);
    }

    #[test]
    fn a_deadline_overrides_what_the_socket_said_after() {
        let mut t = CloseTracker::default();
        t.tcp_close();
        t.deadline("timed out: the handshake took longer than 1.0 s");
        let c = t.closed("client");
        assert_eq!(c.reason, CloseReason::Error);
        assert!(c.detail.starts_with("timed out"));
        // ... but not a close_notify or an alert that came before.
        let mut t = CloseTracker::default();
        t.observe(&alert(Dir::In, AlertLevel::Warning, Alert::CloseNotify));
        t.deadline("timed out");
        assert_eq!(t.closed("client").reason, CloseReason::CloseNotifyReceived);
    }

    #[test]
    fn totals_count_tickets_and_application_bytes() {
        let mut t = CloseTracker::default();
        t.observe(&Event::AppData {
            dir: Dir::Out,
            data: vec![0; 18],
        });
        t.observe(&Event::AppData {
            dir: Dir::In,
            data: vec![0; 25],
        });
        t.observe(&Event::AppData {
            dir: Dir::In,
            data: vec![0; 5],
        });
        let c = t.closed("server");
        assert_eq!((c.app_bytes_sent, c.app_bytes_received), (18, 30));
        assert_eq!(c.tickets, 0);
        assert_eq!(c.reason, CloseReason::Error, "no cause noted: an error");
        assert!(Closed::before_tls("connection refused").detail == "connection refused");
    }
}
