//! Plaintext before TLS (proxy requests, STARTTLS dialogues): blocking byte-at-a-time reads
//! and whole writes on a socket, each bounded in time and size, so that nothing past the
//! answer is consumed (the TLS bytes that follow belong to the handshake); and the escaping
//! of peer text before it is shown.

use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Longest line accepted from the peer (RFC 5321 §4.5.3.1.5 allows 512 for SMTP replies;
/// IMAP and FTP servers send longer capability lines, so be generous but bounded).
pub const MAX_LINE: usize = 4096;

/// Escapes control characters (and everything non-UTF-8) so that a hostile peer cannot
/// drive the terminal; tabs are kept.
pub fn printable(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&c.escape_default().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a plaintext read or write failed. `peer` is "server", "client" or "proxy"; `what` names
/// what was awaited ("SMTP greeting", "SOCKS5 reply").
#[derive(Debug)]
pub enum PlainError {
    Closed {
        peer: &'static str,
        what: &'static str,
    },
    TimedOut {
        peer: &'static str,
        what: &'static str,
        after: Duration,
    },
    Read {
        peer: &'static str,
        what: &'static str,
        error: std::io::Error,
    },
    LineTooLong {
        peer: &'static str,
        what: &'static str,
    },
    TooLong {
        peer: &'static str,
        what: &'static str,
        max: usize,
    },
    Send {
        peer: &'static str,
        error: std::io::Error,
    },
}

impl fmt::Display for PlainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlainError::Closed { peer, what } => write!(
                f,
                "the {peer} closed the connection while tlsprobe waited for {what}"
            ),
            PlainError::TimedOut { peer, what, after } => write!(
                f,
                "timed out after {:.1} s waiting for the {peer}'s {what}",
                after.as_secs_f64()
            ),
            PlainError::Read { peer, what, error } => write!(
                f,
                "connection error while waiting for the {peer}'s {what}: {error}"
            ),
            PlainError::LineTooLong { peer, what } => write!(
                f,
                "the {peer}'s {what} is longer than {MAX_LINE} bytes without a line end"
            ),
            PlainError::TooLong { peer, what, max } => {
                write!(f, "the {peer}'s {what} is longer than {max} bytes")
            }
            PlainError::Send { peer, error } => write!(f, "cannot send to the {peer}: {error}"),
        }
    }
}

impl std::error::Error for PlainError {}

/// A socket in its plaintext phase. The timeouts it sets are cleared when it is dropped (the
/// driver's reader thread blocks without one).
pub struct Plain<'a> {
    s: &'a mut TcpStream,
    timeout: Duration,
    /// "server", "client" or "proxy", for messages.
    peer: &'static str,
}

impl<'a> Plain<'a> {
    pub fn new(s: &'a mut TcpStream, timeout: Duration, peer: &'static str) -> Plain<'a> {
        let _ = s.set_write_timeout(Some(timeout));
        Plain { s, timeout, peer }
    }

    fn read_byte(&mut self, deadline: Instant, what: &'static str) -> Result<u8, PlainError> {
        let peer = self.peer;
        let mut b = [0u8; 1];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.timed_out(what));
            }
            let _ = self
                .s
                .set_read_timeout(Some(left.max(Duration::from_millis(1))));
            match self.s.read(&mut b) {
                Ok(0) => return Err(PlainError::Closed { peer, what }),
                Ok(_) => return Ok(b[0]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(self.timed_out(what))
                }
                Err(error) => return Err(PlainError::Read { peer, what, error }),
            }
        }
    }

    fn timed_out(&self, what: &'static str) -> PlainError {
        PlainError::TimedOut {
            peer: self.peer,
            what,
            after: self.timeout,
        }
    }

    /// Reads exactly `n` bytes.
    pub fn read_exact(&mut self, n: usize, what: &'static str) -> Result<Vec<u8>, PlainError> {
        let deadline = Instant::now() + self.timeout;
        let mut v = Vec::with_capacity(n);
        while v.len() < n {
            v.push(self.read_byte(deadline, what)?);
        }
        Ok(v)
    }

    /// Reads one line (LF-terminated, the CR optional), at most `MAX_LINE` bytes, and returns
    /// it without the terminator.
    pub fn read_line(&mut self, what: &'static str) -> Result<Vec<u8>, PlainError> {
        let deadline = Instant::now() + self.timeout;
        let mut v = Vec::new();
        loop {
            let b = self.read_byte(deadline, what)?;
            if b == b'\n' {
                if v.last() == Some(&b'\r') {
                    v.pop();
                }
                return Ok(v);
            }
            if v.len() >= MAX_LINE {
                return Err(PlainError::LineTooLong {
                    peer: self.peer,
                    what,
                });
            }
            v.push(b);
        }
    }

    /// Reads until `done` says the bytes so far are complete, at most `max` bytes.
    pub fn read_until(
        &mut self,
        max: usize,
        what: &'static str,
        done: impl Fn(&[u8]) -> bool,
    ) -> Result<Vec<u8>, PlainError> {
        let deadline = Instant::now() + self.timeout;
        let mut v = Vec::new();
        while !done(&v) {
            if v.len() >= max {
                return Err(PlainError::TooLong {
                    peer: self.peer,
                    what,
                    max,
                });
            }
            v.push(self.read_byte(deadline, what)?);
        }
        Ok(v)
    }

    pub fn write(&mut self, b: &[u8]) -> Result<(), PlainError> {
        self.s
            .write_all(b)
            .and_then(|_| self.s.flush())
            .map_err(|error| PlainError::Send {
                peer: self.peer,
                error,
            })
    }
}

impl Drop for Plain<'_> {
    fn drop(&mut self) {
        let _ = self.s.set_read_timeout(None);
        let _ = self.s.set_write_timeout(None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable(b"a\x1b[2Jb\r"), "a\\u{1b}[2Jb\\r");
        assert_eq!(printable(b"tab\there"), "tab\there");
    }
}
