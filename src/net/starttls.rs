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
//! Every line read is bounded in length ([`MAX_LINE`]) and time (`--timeout` per read), every
//! dialogue in the number of lines; bytes are read one at a time so that nothing past the
//! upgrade answer is consumed (the TLS bytes that follow belong to the handshake, and plaintext
//! sent after the command is never carried into the TLS session: the CVE-2011-0411 lesson).
//! Each line is reported as an [`Event::Plaintext`], with control characters escaped.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::event::{Dir, Event};

/// Longest line accepted from the peer (RFC 5321 §4.5.3.1.5 allows 512 for SMTP replies;
/// IMAP and FTP servers send longer capability lines, so be generous but bounded).
pub const MAX_LINE: usize = 4096;
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
    pub fn parse(s: &str) -> Result<Starttls, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "smtp" => Starttls::Smtp,
            "imap" => Starttls::Imap,
            "pop3" | "pop" => Starttls::Pop3,
            "ftp" => Starttls::Ftp,
            "xmpp" | "jabber" => Starttls::Xmpp,
            "postgres" | "postgresql" | "pgsql" => Starttls::Postgres,
            _ => {
                return Err(format!(
                    "--starttls '{s}': unknown protocol (expected smtp, imap, pop3, ftp, xmpp or postgres)"
                ))
            }
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

    fn rfc(self) -> &'static str {
        match self {
            Starttls::Smtp => "RFC 3207",
            Starttls::Imap | Starttls::Pop3 => "RFC 2595",
            Starttls::Ftp => "RFC 4217",
            Starttls::Xmpp => "RFC 6120 §5",
            Starttls::Postgres => "PostgreSQL protocol, SSLRequest",
        }
    }
}

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

/// Blocking byte-at-a-time reads and whole writes on a socket, each bounded by the timeout,
/// every failure turned into one sentence naming the peer.
pub(crate) struct Plain<'a> {
    s: &'a mut TcpStream,
    timeout: Duration,
    /// "server", "client" or "proxy", for messages.
    peer: &'static str,
}

impl<'a> Plain<'a> {
    pub(crate) fn new(s: &'a mut TcpStream, timeout: Duration, peer: &'static str) -> Plain<'a> {
        let _ = s.set_write_timeout(Some(timeout));
        Plain { s, timeout, peer }
    }

    fn read_byte(&mut self, deadline: Instant, what: &str) -> Result<u8, String> {
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
                Ok(0) => {
                    return Err(format!(
                        "the {} closed the connection while tlsprobe waited for {what}",
                        self.peer
                    ))
                }
                Ok(_) => return Ok(b[0]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(self.timed_out(what))
                }
                Err(e) => {
                    return Err(format!(
                        "connection error while waiting for the {}'s {what}: {e}",
                        self.peer
                    ))
                }
            }
        }
    }

    fn timed_out(&self, what: &str) -> String {
        format!(
            "timed out after {:.1} s waiting for the {}'s {what}",
            self.timeout.as_secs_f64(),
            self.peer
        )
    }

    /// Reads exactly `n` bytes.
    pub(crate) fn read_exact(&mut self, n: usize, what: &str) -> Result<Vec<u8>, String> {
        let deadline = Instant::now() + self.timeout;
        let mut v = Vec::with_capacity(n);
        while v.len() < n {
            v.push(self.read_byte(deadline, what)?);
        }
        Ok(v)
    }

    /// Reads one line (LF-terminated, the CR optional), at most `MAX_LINE` bytes, and returns
    /// it without the terminator.
    pub(crate) fn read_line(&mut self, what: &str) -> Result<Vec<u8>, String> {
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
                return Err(format!(
                    "the {}'s {what} is longer than {MAX_LINE} bytes without a line end",
                    self.peer
                ));
            }
            v.push(b);
        }
    }

    /// Reads until `done` says the bytes so far are complete, at most `max` bytes.
    pub(crate) fn read_until(
        &mut self,
        max: usize,
        what: &str,
        done: impl Fn(&[u8]) -> bool,
    ) -> Result<Vec<u8>, String> {
        let deadline = Instant::now() + self.timeout;
        let mut v = Vec::new();
        while !done(&v) {
            if v.len() >= max {
                return Err(format!(
                    "the {}'s {what} is longer than {max} bytes",
                    self.peer
                ));
            }
            v.push(self.read_byte(deadline, what)?);
        }
        Ok(v)
    }

    pub(crate) fn write(&mut self, b: &[u8]) -> Result<(), String> {
        self.s
            .write_all(b)
            .and_then(|_| self.s.flush())
            .map_err(|e| format!("cannot send to the {}: {e}", self.peer))
    }
}

impl Drop for Plain<'_> {
    fn drop(&mut self) {
        // The driver's reader thread blocks without a timeout.
        let _ = self.s.set_read_timeout(None);
        let _ = self.s.set_write_timeout(None);
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
    fn send_line(&mut self, line: &str) -> Result<(), String> {
        (self.ev)(Event::Plaintext {
            dir: Dir::Out,
            from: self.me,
            text: printable(line.as_bytes()),
        });
        self.io.write(format!("{line}\r\n").as_bytes())
    }

    fn send_lines(&mut self, lines: &[&str]) -> Result<(), String> {
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
        self.io.write(all.as_bytes())
    }

    fn send_raw(&mut self, bytes: &[u8], shown: &str) -> Result<(), String> {
        (self.ev)(Event::Plaintext {
            dir: Dir::Out,
            from: self.me,
            text: shown.to_string(),
        });
        self.io.write(bytes)
    }

    fn shown_in(&mut self, text: String) {
        (self.ev)(Event::Plaintext {
            dir: Dir::In,
            from: self.peer,
            text,
        });
    }

    fn line(&mut self, what: &str) -> Result<String, String> {
        let l = self.io.read_line(what)?;
        let text = printable(&l);
        self.shown_in(text.clone());
        Ok(text)
    }

    /// An SMTP or FTP reply: `NNN text`, or multi-line `NNN-text` ... `NNN text` (RFC 5321
    /// §4.2.1; RFC 959 §4.2 lets the inner lines of an FTP reply start with anything).
    fn coded_reply(&mut self, what: &str) -> Result<(u16, Vec<String>), String> {
        let first = self.line(what)?;
        let code = reply_code(&first).ok_or_else(|| {
            format!(
                "the {}'s {what} '{}' does not start with a 3-digit reply code",
                self.peer,
                clip(&first)
            )
        })?;
        let mut lines = vec![first.clone()];
        if first.as_bytes().get(3) == Some(&b'-') {
            let end = format!("{code} ");
            loop {
                if lines.len() >= MAX_LINES {
                    return Err(format!(
                        "the {}'s {what} has more than {MAX_LINES} lines",
                        self.peer
                    ));
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

/// Shortens peer text quoted in an error message.
fn clip(s: &str) -> String {
    if s.chars().count() > 120 {
        format!("{}...", s.chars().take(120).collect::<String>())
    } else {
        s.to_string()
    }
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
) -> Result<(), String> {
    on_event(Event::Info(format!(
        "STARTTLS: {} plaintext dialogue first ({})",
        proto.name(),
        proto.rfc()
    )));
    let mut t = Talk {
        io: Plain::new(s, timeout, "server"),
        ev: on_event,
        me: "client",
        peer: "server",
    };
    match proto {
        Starttls::Smtp => smtp_client(&mut t)?,
        Starttls::Imap => imap_client(&mut t)?,
        Starttls::Pop3 => pop3_client(&mut t)?,
        Starttls::Ftp => ftp_client(&mut t)?,
        Starttls::Xmpp => xmpp_client(&mut t, host)?,
        Starttls::Postgres => postgres_client(&mut t)?,
    }
    (t.ev)(Event::Info(format!(
        "the {} server agreed to start TLS; the handshake follows",
        proto.name()
    )));
    Ok(())
}

fn smtp_client(t: &mut Talk) -> Result<(), String> {
    let (code, lines) = t.coded_reply("SMTP greeting")?;
    if code != 220 {
        return Err(format!(
            "the SMTP server's greeting is not 220: '{}'",
            clip(&lines.join(" / "))
        ));
    }
    t.send_line("EHLO tlsprobe")?;
    let (code, lines) = t.coded_reply("EHLO reply")?;
    if code != 250 {
        return Err(format!(
            "the SMTP server refused EHLO: '{}'",
            clip(&lines.join(" / "))
        ));
    }
    let offered = lines.iter().skip(1).any(|l| {
        l.get(4..)
            .is_some_and(|k| k.trim().eq_ignore_ascii_case("STARTTLS"))
    });
    if !offered {
        return Err(
            "the SMTP server does not offer STARTTLS (no STARTTLS line in its EHLO reply)".into(),
        );
    }
    t.send_line("STARTTLS")?;
    let (code, lines) = t.coded_reply("STARTTLS reply")?;
    if code != 220 {
        return Err(format!(
            "the SMTP server refused STARTTLS: '{}'",
            clip(&lines.join(" / "))
        ));
    }
    Ok(())
}

fn imap_client(t: &mut Talk) -> Result<(), String> {
    let g = t.line("IMAP greeting")?;
    let up = g.to_ascii_uppercase();
    if up.starts_with("* PREAUTH") {
        return Err("the IMAP server pre-authenticated the session (PREAUTH), so STARTTLS is not allowed (RFC 9051 §6.2.1)".into());
    }
    if !up.starts_with("* OK") {
        return Err(format!(
            "the IMAP server's greeting is not '* OK': '{}'",
            clip(&g)
        ));
    }
    t.send_line("a001 STARTTLS")?;
    for _ in 0..MAX_LINES {
        let l = t.line("STARTTLS reply")?;
        let up = l.to_ascii_uppercase();
        if up.starts_with("* BYE") {
            return Err(format!("the IMAP server said goodbye: '{}'", clip(&l)));
        }
        if let Some(rest) = up.strip_prefix("A001 ") {
            if rest.starts_with("OK") {
                return Ok(());
            }
            return Err(format!(
                "the IMAP server refused STARTTLS (it may not offer it): '{}'",
                clip(&l)
            ));
        }
    }
    Err(format!(
        "the IMAP server sent {MAX_LINES} lines without answering STARTTLS"
    ))
}

fn pop3_client(t: &mut Talk) -> Result<(), String> {
    let g = t.line("POP3 greeting")?;
    if !g.starts_with("+OK") {
        return Err(format!(
            "the POP3 server's greeting is not '+OK': '{}'",
            clip(&g)
        ));
    }
    t.send_line("STLS")?;
    let r = t.line("STLS reply")?;
    if !r.starts_with("+OK") {
        return Err(format!(
            "the POP3 server refused STLS (it may not offer it): '{}'",
            clip(&r)
        ));
    }
    Ok(())
}

fn ftp_client(t: &mut Talk) -> Result<(), String> {
    let (code, lines) = t.coded_reply("FTP greeting")?;
    if code != 220 {
        return Err(format!(
            "the FTP server's greeting is not 220: '{}'",
            clip(&lines.join(" / "))
        ));
    }
    t.send_line("AUTH TLS")?;
    let (code, lines) = t.coded_reply("AUTH TLS reply")?;
    if code != 234 {
        return Err(format!(
            "the FTP server refused AUTH TLS (it may not offer it): '{}'",
            clip(&lines.join(" / "))
        ));
    }
    Ok(())
}

/// Quotes an XML attribute value.
fn xml_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&apos;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xmpp_client(t: &mut Talk, host: &str) -> Result<(), String> {
    let header = format!(
        "<?xml version='1.0'?><stream:stream to='{}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
        xml_attr(host)
    );
    t.send_raw(header.as_bytes(), &header)?;
    // The server's stream header, then its features (RFC 6120 §4.3.2).
    let got = t.io.read_until(MAX_XML, "stream features", |v| {
        tag_is(v, "</stream:features")
            || tag_is(v, "<stream:features/")
            || tag_is(v, "</stream:stream")
            || tag_is(v, "<stream:error")
    })?;
    t.shown_in(printable(&got));
    if contains_ci(&got, "<stream:error") || contains_ci(&got, "</stream:stream>") {
        return Err("the XMPP server closed the stream with an error before its features".into());
    }
    if !contains_ci(&got, "<starttls") {
        return Err(
            "the XMPP server does not offer STARTTLS (no <starttls/> in its stream features)"
                .into(),
        );
    }
    let cmd = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    t.send_raw(cmd.as_bytes(), cmd)?;
    let got = t.io.read_until(MAX_XML, "answer to <starttls/>", |v| {
        tag_is(v, "<proceed") || tag_is(v, "<failure") || tag_is(v, "</stream:stream")
    })?;
    t.shown_in(printable(&got));
    if !tag_is(&got, "<proceed") {
        return Err("the XMPP server refused STARTTLS (no <proceed/>)".into());
    }
    Ok(())
}

fn postgres_client(t: &mut Talk) -> Result<(), String> {
    t.send_raw(
        &PG_SSL_REQUEST,
        "SSLRequest (00 00 00 08 04 d2 16 2f: length 8, code 80877103)",
    )?;
    let b = t.io.read_exact(1, "answer to SSLRequest")?[0];
    match b {
        b'S' => {
            t.shown_in("S (the server accepts SSL)".into());
            Ok(())
        }
        b'N' => {
            t.shown_in("N (the server does not accept SSL)".into());
            Err("the PostgreSQL server does not accept SSL (it answered N to SSLRequest)".into())
        }
        b'E' => {
            t.shown_in("E (error)".into());
            Err("the PostgreSQL server answered SSLRequest with an error (it is too old or not a PostgreSQL server)".into())
        }
        other => {
            t.shown_in(format!("0x{other:02x}"));
            Err(format!(
                "the server's answer to SSLRequest is 0x{other:02x}, not 'S' or 'N': not a PostgreSQL server"
            ))
        }
    }
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
) -> Result<(), String> {
    on_event(Event::Info(format!(
        "STARTTLS: {} plaintext dialogue first ({})",
        proto.name(),
        proto.rfc()
    )));
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
        Starttls::Smtp => smtp_server(&mut t, &name)?,
        Starttls::Imap => imap_server(&mut t)?,
        Starttls::Pop3 => pop3_server(&mut t)?,
        Starttls::Ftp => ftp_server(&mut t)?,
        Starttls::Xmpp => xmpp_server(&mut t, &name)?,
        Starttls::Postgres => postgres_server(&mut t)?,
    }
    (t.ev)(Event::Info(
        "the client asked to start TLS; the handshake follows".into(),
    ));
    Ok(())
}

/// The first word of a command line, upper-cased, and the rest.
fn verb(l: &str) -> (String, &str) {
    let l = l.trim_start();
    match l.split_once(' ') {
        Some((v, r)) => (v.to_ascii_uppercase(), r.trim()),
        None => (l.trim().to_ascii_uppercase(), ""),
    }
}

fn too_many(proto: &str) -> String {
    format!("the client sent {MAX_COMMANDS} {proto} commands without asking for STARTTLS")
}

fn smtp_server(t: &mut Talk, name: &str) -> Result<(), String> {
    t.send_line(&format!("220 {name} ESMTP tlsprobe"))?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("SMTP command")?;
        let (v, _) = verb(&l);
        match v.as_str() {
            "EHLO" => t.send_lines(&[
                &format!("250-{name} at your service"),
                "250-8BITMIME",
                "250 STARTTLS",
            ])?,
            "HELO" => t.send_line(&format!("250 {name}"))?,
            "STARTTLS" => {
                t.send_line("220 2.0.0 Ready to start TLS")?;
                return Ok(());
            }
            "NOOP" | "RSET" => t.send_line("250 2.0.0 OK")?,
            "QUIT" => {
                t.send_line("221 2.0.0 Bye")?;
                return Err("the client quit before STARTTLS".into());
            }
            _ => t.send_line("530 5.7.0 Must issue a STARTTLS command first")?,
        }
    }
    Err(too_many("SMTP"))
}

fn imap_server(t: &mut Talk) -> Result<(), String> {
    const CAPS: &str = "IMAP4rev1 STARTTLS LOGINDISABLED";
    t.send_line(&format!("* OK [CAPABILITY {CAPS}] tlsprobe IMAP ready"))?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("IMAP command")?;
        let (tag, rest) = match l.split_once(' ') {
            Some((tag, rest)) if !tag.is_empty() => (tag.to_string(), rest),
            _ => {
                t.send_line("* BAD missing tag")?;
                continue;
            }
        };
        let (v, _) = verb(rest);
        match v.as_str() {
            "CAPABILITY" => t.send_lines(&[
                &format!("* CAPABILITY {CAPS}"),
                &format!("{tag} OK CAPABILITY completed"),
            ])?,
            "STARTTLS" => {
                t.send_line(&format!("{tag} OK Begin TLS negotiation now"))?;
                return Ok(());
            }
            "NOOP" => t.send_line(&format!("{tag} OK NOOP completed"))?,
            "LOGOUT" => {
                t.send_lines(&["* BYE logging out", &format!("{tag} OK LOGOUT completed")])?;
                return Err("the client logged out before STARTTLS".into());
            }
            _ => t.send_line(&format!(
                "{tag} BAD only CAPABILITY, NOOP, LOGOUT and STARTTLS before TLS"
            ))?,
        }
    }
    Err(too_many("IMAP"))
}

fn pop3_server(t: &mut Talk) -> Result<(), String> {
    t.send_line("+OK tlsprobe POP3 ready")?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("POP3 command")?;
        let (v, _) = verb(&l);
        match v.as_str() {
            "CAPA" => t.send_lines(&["+OK capability list follows", "STLS", "."])?,
            "STLS" => {
                t.send_line("+OK Begin TLS negotiation")?;
                return Ok(());
            }
            "NOOP" => t.send_line("+OK")?,
            "QUIT" => {
                t.send_line("+OK bye")?;
                return Err("the client quit before STLS".into());
            }
            _ => t.send_line("-ERR only CAPA, NOOP, QUIT and STLS before TLS")?,
        }
    }
    Err(too_many("POP3"))
}

fn ftp_server(t: &mut Talk) -> Result<(), String> {
    t.send_line("220 tlsprobe FTP ready")?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("FTP command")?;
        let (v, arg) = verb(&l);
        match v.as_str() {
            "FEAT" => t.send_lines(&["211-Features:", " AUTH TLS", "211 End"])?,
            "AUTH" if matches!(arg.to_ascii_uppercase().as_str(), "TLS" | "TLS-C" | "SSL") => {
                t.send_line("234 AUTH TLS successful")?;
                return Ok(());
            }
            "AUTH" => t.send_line("504 only AUTH TLS is supported")?,
            "NOOP" => t.send_line("200 OK")?,
            "QUIT" => {
                t.send_line("221 Bye")?;
                return Err("the client quit before AUTH TLS".into());
            }
            _ => t.send_line("530 Please use AUTH TLS first")?,
        }
    }
    Err(too_many("FTP"))
}

fn xmpp_server(t: &mut Talk, name: &str) -> Result<(), String> {
    let got =
        t.io.read_until(MAX_XML, "stream header", |v| tag_is(v, "<stream:stream"))?;
    t.shown_in(printable(&got));
    let reply = format!(
        "<?xml version='1.0'?><stream:stream from='{}' id='tlsprobe' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
        xml_attr(name)
    );
    t.send_raw(reply.as_bytes(), &reply)?;
    let got = t.io.read_until(MAX_XML, "<starttls/>", |v| {
        tag_is(v, "<starttls") || tag_is(v, "</stream:stream")
    })?;
    t.shown_in(printable(&got));
    if !contains_ci(&got, "<starttls") {
        return Err("the client closed the XMPP stream before STARTTLS".into());
    }
    let p = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    t.send_raw(p.as_bytes(), p)
}

fn postgres_server(t: &mut Talk) -> Result<(), String> {
    for _ in 0..2 {
        let m = t.io.read_exact(8, "startup message")?;
        if m == PG_SSL_REQUEST {
            t.shown_in("SSLRequest (00 00 00 08 04 d2 16 2f)".into());
            return t.send_raw(b"S", "S (SSL accepted)");
        }
        if m == PG_GSSENC_REQUEST {
            t.shown_in("GSSENCRequest (00 00 00 08 04 d2 16 30)".into());
            t.send_raw(b"N", "N (no GSSAPI encryption)")?;
            continue;
        }
        t.shown_in(format!("{} (not an SSLRequest)", hex::encode(&m)));
        return Err("the client's first PostgreSQL message is not an SSLRequest".into());
    }
    Err("the client sent no SSLRequest".into())
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(printable(b"a\x1b[2Jb\r"), "a\\u{1b}[2Jb\\r");
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

    /// Hostile servers end in an error, never a hang or a panic.
    #[test]
    fn hostile_servers() {
        let cases: Vec<(Starttls, &[u8])> = vec![
            (Starttls::Smtp, b"220 hi\r\n250 only\r\n"),
            (Starttls::Smtp, b"hello\r\n"),
            (Starttls::Smtp, &[b'2'; 5000]),
            (Starttls::Imap, b"* OK hi\r\na001 BAD no\r\n"),
            (Starttls::Pop3, b"+OK\r\n-ERR no\r\n"),
            (Starttls::Ftp, b"220 hi\r\n500 no\r\n"),
            (
                Starttls::Xmpp,
                b"<stream:stream><stream:features></stream:features>",
            ),
            (Starttls::Postgres, b"N"),
            (Starttls::Postgres, b""),
        ];
        for (p, bytes) in cases {
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
            assert!(r.is_err(), "{p:?} accepted {r:?}");
            drop(c);
            srv.join().unwrap();
        }
    }
}
