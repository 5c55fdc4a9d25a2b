//! STARTTLS: the plaintext dialogue that upgrades an application protocol to TLS on the same
//! TCP connection, played before a `Connection` exists (the core stays sans-IO). Both sides:
//! `client` for `connect`/`scan --starttls`, `server` for `listen --starttls`.
//!
//! | protocol | upgrade | default port |
//! |---|---|---|
//! | SMTP | `EHLO`, `STARTTLS` → `220` (RFC 3207) | 25 |
//! | IMAP | `a001 STARTTLS` → `a001 OK` (RFC 2595 §3.1, RFC 9051 §6.2.1) | 143 |
//! | POP3 | `STLS` → `+OK` (RFC 2595 §4) | 110 |
//! | FTP | `AUTH TLS` → `234` (RFC 4217 §4) | 21 |
//! | XMPP | `<starttls/>` → `<proceed/>` (RFC 6120 §5) | 5222 |
//! | PostgreSQL | `SSLRequest` (80877103) → `S` (PostgreSQL protocol, §55.2.10 "SSL Session Encryption") | 5432 |
//!
//! Every line read is bounded in length ([`crate::net::plain::MAX_LINE`]) and time (`--timeout` per read), every
//! dialogue in the number of lines; bytes are read one at a time so that nothing past the
//! upgrade answer is consumed (the TLS bytes that follow belong to the handshake, and plaintext
//! sent after the command is never carried into the TLS session: the CVE-2011-0411 lesson).
//! Each line is reported as an [`Event::Plaintext`], with control characters escaped.

mod client;
pub mod error;
mod server;

use std::net::TcpStream;
use std::time::Duration;

pub use self::error::StarttlsError;
use crate::event::{Dir, Event, Info};
use crate::net::plain::{printable, Plain};

/// Most lines accepted in one reply or one dialogue step.
const MAX_LINES: usize = 100;
/// Most commands a `listen --starttls` client may send before STARTTLS.
const MAX_COMMANDS: usize = 32;
/// Most bytes of XMPP stream XML accepted before `<proceed/>`.
const MAX_XML: usize = 64 * 1024;

/// The PostgreSQL SSLRequest: length 8, code 1234 5679 (80877103).
pub const PG_SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
/// The PostgreSQL GSSENCRequest code (80877104), answered `N` by listen.
const PG_GSSENC_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30];

/// A protocol that can be upgraded to TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starttls {
    Smtp,
    Imap,
    Pop3,
    Ftp,
    Xmpp,
    Postgres,
}

impl Starttls {
    pub const ALL: [Starttls; 6] = [
        Starttls::Smtp,
        Starttls::Imap,
        Starttls::Pop3,
        Starttls::Ftp,
        Starttls::Xmpp,
        Starttls::Postgres,
    ];

    /// Parses a protocol name (case-insensitive; `postgresql` and `pgsql` are aliases).
    pub fn parse(s: &str) -> Result<Starttls, StarttlsError> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "smtp" => Starttls::Smtp,
            "imap" => Starttls::Imap,
            "pop3" | "pop" => Starttls::Pop3,
            "ftp" => Starttls::Ftp,
            "xmpp" | "jabber" => Starttls::Xmpp,
            "postgres" | "postgresql" | "pgsql" => Starttls::Postgres,
            _ => return Err(StarttlsError::UnknownProtocol(s.to_string())),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Starttls::Smtp => "SMTP",
            Starttls::Imap => "IMAP",
            Starttls::Pop3 => "POP3",
            Starttls::Ftp => "FTP",
            Starttls::Xmpp => "XMPP",
            Starttls::Postgres => "PostgreSQL",
        }
    }

    /// The port used when the target names none.
    pub fn default_port(self) -> u16 {
        match self {
            Starttls::Smtp => 25,
            Starttls::Imap => 143,
            Starttls::Pop3 => 110,
            Starttls::Ftp => 21,
            Starttls::Xmpp => 5222,
            Starttls::Postgres => 5432,
        }
    }

    /// The specification of the upgrade.
    pub fn rfc(self) -> &'static str {
        match self {
            Starttls::Smtp => "RFC 3207",
            Starttls::Imap | Starttls::Pop3 => "RFC 2595",
            Starttls::Ftp => "RFC 4217",
            Starttls::Xmpp => "RFC 6120 §5",
            Starttls::Postgres => "PostgreSQL protocol, SSLRequest",
        }
    }
}

/// One side of the dialogue with its event sink.
struct Talk<'a, 'b> {
    io: Plain<'a>,
    ev: &'b mut dyn FnMut(Event),
    /// Who we are: "client" or "server".
    me: &'static str,
    peer: &'static str,
}

impl Talk<'_, '_> {
    fn send_line(&mut self, line: &str) -> Result<(), StarttlsError> {
        (self.ev)(Event::Plaintext {
            dir: Dir::Out,
            from: self.me,
            text: printable(line.as_bytes()),
        });
        Ok(self.io.write(format!("{line}\r\n").as_bytes())?)
    }

    fn send_lines(&mut self, lines: &[&str]) -> Result<(), StarttlsError> {
        let mut all = String::new();
        for l in lines {
            (self.ev)(Event::Plaintext {
                dir: Dir::Out,
                from: self.me,
                text: printable(l.as_bytes()),
            });
            all.push_str(l);
            all.push_str("\r\n");
        }
        Ok(self.io.write(all.as_bytes())?)
    }

    fn send_raw(&mut self, bytes: &[u8], shown: &str) -> Result<(), StarttlsError> {
        (self.ev)(Event::Plaintext {
            dir: Dir::Out,
            from: self.me,
            text: shown.to_string(),
        });
        Ok(self.io.write(bytes)?)
    }

    fn shown_in(&mut self, text: String) {
        (self.ev)(Event::Plaintext {
            dir: Dir::In,
            from: self.peer,
            text,
        });
    }

    fn line(&mut self, what: &'static str) -> Result<String, StarttlsError> {
        let l = self.io.read_line(what)?;
        let text = printable(&l);
        self.shown_in(text.clone());
        Ok(text)
    }

    /// An SMTP or FTP reply: `NNN text`, or multi-line `NNN-text` ... `NNN text` (RFC 5321
    /// §4.2.1; RFC 959 §4.2 lets the inner lines of an FTP reply start with anything).
    fn coded_reply(&mut self, what: &'static str) -> Result<(u16, Vec<String>), StarttlsError> {
        let first = self.line(what)?;
        let Some(code) = reply_code(&first) else {
            return Err(StarttlsError::NoReplyCode {
                peer: self.peer,
                what,
                line: first,
            });
        };
        let mut lines = vec![first.clone()];
        if first.as_bytes().get(3) == Some(&b'-') {
            let end = format!("{code} ");
            loop {
                if lines.len() >= MAX_LINES {
                    return Err(StarttlsError::TooManyReplyLines {
                        peer: self.peer,
                        what,
                    });
                }
                let l = self.line(what)?;
                let last = l.starts_with(&end) || l == code.to_string();
                lines.push(l);
                if last {
                    break;
                }
            }
        }
        Ok((code, lines))
    }
}

fn reply_code(l: &str) -> Option<u16> {
    let b = l.as_bytes();
    if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if b.len() > 3 && b[3] != b' ' && b[3] != b'-' {
        return None;
    }
    l[..3].parse().ok()
}

/// The last complete XML tag of `v` (from its last `<` to the final `>`), looked for only in
/// the last 512 bytes so that checking after every byte stays cheap on hostile input.
fn last_tag(v: &[u8]) -> &[u8] {
    if !v.ends_with(b">") {
        return &[];
    }
    let tail = &v[v.len().saturating_sub(512)..];
    match tail.iter().rposition(|&b| b == b'<') {
        Some(i) => &tail[i..],
        None => &[],
    }
}

/// Whether the last tag of `v` starts with `prefix` (case-insensitive).
fn tag_is(v: &[u8], prefix: &str) -> bool {
    let t = last_tag(v);
    t.len() >= prefix.len() && t[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// The client side: runs the dialogue on `s` until the server has agreed to start TLS.
/// `host` is the name used where the protocol needs one (XMPP's `to=`).
pub fn client(
    s: &mut TcpStream,
    proto: Starttls,
    host: &str,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), StarttlsError> {
    on_event(Event::Info(Info::StarttlsDialogue { protocol: proto }));
    let mut t = Talk {
        io: Plain::new(s, timeout, "server"),
        ev: on_event,
        me: "client",
        peer: "server",
    };
    match proto {
        Starttls::Smtp => client::smtp(&mut t)?,
        Starttls::Imap => client::imap(&mut t)?,
        Starttls::Pop3 => client::pop3(&mut t)?,
        Starttls::Ftp => client::ftp(&mut t)?,
        Starttls::Xmpp => client::xmpp(&mut t, host)?,
        Starttls::Postgres => client::postgres(&mut t)?,
    }
    (t.ev)(Event::Info(Info::StarttlsAgreed { protocol: proto }));
    Ok(())
}

/// The server side, for `listen --starttls`: greets, answers the few commands a client sends
/// before upgrading, and returns once it has agreed to start TLS. `name` is the host name in
/// greetings.
pub fn server(
    s: &mut TcpStream,
    proto: Starttls,
    name: &str,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), StarttlsError> {
    on_event(Event::Info(Info::StarttlsDialogue { protocol: proto }));
    let mut t = Talk {
        io: Plain::new(s, timeout, "client"),
        ev: on_event,
        me: "server",
        peer: "client",
    };
    // Host names only: nothing from the command line may end a line early.
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '<' && *c != '>')
        .collect();
    match proto {
        Starttls::Smtp => server::smtp(&mut t, &name)?,
        Starttls::Imap => server::imap(&mut t)?,
        Starttls::Pop3 => server::pop3(&mut t)?,
        Starttls::Ftp => server::ftp(&mut t)?,
        Starttls::Xmpp => server::xmpp(&mut t, &name)?,
        Starttls::Postgres => server::postgres(&mut t)?,
    }
    (t.ev)(Event::Info(Info::StarttlsRequested { protocol: proto }));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    #[test]
    fn names_and_ports() {
        for p in Starttls::ALL {
            assert_eq!(Starttls::parse(&p.name().to_lowercase()).unwrap(), p);
        }
        assert_eq!(Starttls::parse("POSTGRESQL").unwrap().default_port(), 5432);
        assert!(Starttls::parse("gopher").is_err());
        assert_eq!(reply_code("250-x"), Some(250));
        assert_eq!(reply_code("250"), Some(250));
        assert_eq!(reply_code("25"), None);
        assert_eq!(reply_code("250x"), None);

        assert!(tag_is(b"<a><Proceed xmlns='x'/>", "<proceed"));
        assert!(!tag_is(b"<proceed/> trailing", "<proceed"));
        assert!(!tag_is(&[b'>'; 2000], "<proceed"));
    }

    /// Runs the client against the server over loopback for each protocol.
    #[test]
    fn both_sides_agree() {
        for p in Starttls::ALL {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            let a = l.local_addr().unwrap();
            let srv = std::thread::spawn(move || {
                let (mut s, _) = l.accept().unwrap();
                server(
                    &mut s,
                    p,
                    "test.example",
                    Duration::from_secs(5),
                    &mut |_| {},
                )
            });
            let mut c = TcpStream::connect(a).unwrap();
            let mut evs = vec![];
            client(
                &mut c,
                p,
                "test.example",
                Duration::from_secs(5),
                &mut |e| evs.push(e),
            )
            .unwrap_or_else(|e| panic!("{p:?}: {e}"));
            srv.join().unwrap().unwrap();
            assert!(evs
                .iter()
                .any(|e| matches!(e, Event::Plaintext { dir: Dir::In, .. })));
        }
    }

    /// Hostile servers end in an error, never a hang or a panic; the error says why.
    #[test]
    fn hostile_servers() {
        let cases: Vec<(Starttls, &[u8], &str)> = vec![
            (
                Starttls::Smtp,
                b"220 hi\r\n250 only\r\n",
                "the SMTP server does not offer STARTTLS (no STARTTLS line in its EHLO reply)",
            ),
            (
                Starttls::Smtp,
                b"hello\r\n",
                "the server's SMTP greeting 'hello' does not start with a 3-digit reply code",
            ),
            (
                Starttls::Smtp,
                &[b'2'; 5000],
                "the server's SMTP greeting is longer than 4096 bytes without a line end",
            ),
            (
                Starttls::Imap,
                b"* OK hi\r\na001 BAD no\r\n",
                "the IMAP server refused STARTTLS (it may not offer it): 'a001 BAD no'",
            ),
            (
                Starttls::Pop3,
                b"+OK\r\n-ERR no\r\n",
                "the POP3 server refused STLS (it may not offer it): '-ERR no'",
            ),
            (
                Starttls::Ftp,
                b"220 hi\r\n500 no\r\n",
                "the FTP server refused AUTH TLS (it may not offer it): '500 no'",
            ),
            (
                Starttls::Xmpp,
                b"<stream:stream><stream:features></stream:features>",
                "the XMPP server does not offer STARTTLS (no <starttls/> in its stream features)",
            ),
            (
                Starttls::Postgres,
                b"N",
                "the PostgreSQL server does not accept SSL (it answered N to SSLRequest)",
            ),
            (
                Starttls::Postgres,
                b"",
                "the server closed the connection while tlsprobe waited for answer to SSLRequest",
            ),
        ];
        for (p, bytes, why) in cases {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            let a = l.local_addr().unwrap();
            let bytes = bytes.to_vec();
            let srv = std::thread::spawn(move || {
                let (mut s, _) = l.accept().unwrap();
                let _ = s.write_all(&bytes);
                let _ = s.shutdown(std::net::Shutdown::Write);
                let mut sink = vec![];
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = s.read_to_end(&mut sink);
            });
            let mut c = TcpStream::connect(a).unwrap();
            let r = client(&mut c, p, "h", Duration::from_secs(2), &mut |_| {});
            assert_eq!(r.map_err(|e| e.to_string()), Err(why.to_string()), "{p:?}");
            drop(c);
            srv.join().unwrap();
        }
    }
}
