//! Human-readable rendering of events: one compact block of aligned lines per event, colours
//! from one palette (green good, yellow weak, red broken; outgoing messages blue, incoming
//! magenta), and with `--hex` the annotated byte view of every record (`report::hex`) and the
//! key schedule with its values. The only user of `colored`.

use std::cell::RefCell;

use colored::{ColoredString, Colorize};

mod extensions;
mod layout;
mod messages;

use self::layout::{width, wrap_list, WIDTH};
use self::messages::message_lines;
use super::hex;
use super::hex::{self as bytes, ByteView};
use crate::error::{Alert, AlertLevel};
use crate::event::{Check, CheckKind, Closed, Dir, Event, KeyEvent, Summary};
use crate::pki::verify::now_unix;
use crate::wire::handshake::HandshakeMessage;
use crate::wire::suites::{CipherSuite, Strength};

/// Renders events as text.
#[derive(Default)]
pub struct Human {
    pub quiet: bool,
    /// Prefix for every line (listen: the connection number).
    pub prefix: String,
    /// Reveal key values in `keys` events (only when the user asked).
    pub show_secrets: bool,
    /// `--hex` level: 0 off, 1 annotated bytes (long opaque values abbreviated), 2 every byte.
    pub hex: u8,
    /// The time certificates are judged against; None = now (tests fix it).
    pub now: Option<i64>,
    view: RefCell<Option<ByteView>>,
    /// Key labels not yet printed (collapsed into one line without `--hex`).
    pending_keys: RefCell<Vec<String>>,
}

pub fn good(s: &str) -> ColoredString {
    s.green()
}
pub fn weak(s: &str) -> ColoredString {
    s.yellow()
}
pub fn bad(s: &str) -> ColoredString {
    s.red().bold()
}

fn mark(ok: bool) -> ColoredString {
    if ok {
        good("✓")
    } else {
        bad("✗")
    }
}

fn suite_colored(s: CipherSuite) -> ColoredString {
    let name = s.to_string();
    match s.info().map(|i| i.strength) {
        Some(Strength::Strong) => good(&name),
        Some(Strength::Weak) => weak(&name),
        Some(Strength::Insecure) => bad(&name),
        None => name.normal(),
    }
}

/// ✓ or ✗, or a yellow "!" for what is a warning rather than a pass: the server asks for a
/// client certificate we do not have.
fn check_mark(c: &Check) -> ColoredString {
    if matches!(
        c.kind,
        CheckKind::ClientCertificateRequested { have_cert: false }
    ) {
        weak("!")
    } else {
        mark(c.ok)
    }
}

fn checks(out: &mut Vec<String>, cs: &[Check]) {
    for c in cs {
        let (what, detail) = super::checks::describe(c);
        out.push(format!("    {} {what}: {detail}", check_mark(c)));
    }
}

/// "ClientHello" from "client_hello".
fn title(name: &str) -> String {
    bytes::title(name)
}

pub fn arrow(dir: Dir) -> ColoredString {
    match dir {
        Dir::Out => "→".blue().bold(),
        Dir::In => "←".magenta().bold(),
    }
}

pub fn dir_name(dir: Dir, name: &str) -> ColoredString {
    match dir {
        Dir::Out => name.blue().bold(),
        Dir::In => name.magenta().bold(),
    }
}

/// A check line from its words (a saved transcript's `{"what","ok","detail"}`, `tlsprobe
/// view`); `warn` gives the yellow "!" the live trace gives a request for a certificate we lack.
pub fn check_text_line(ok: bool, warn: bool, what: &str, detail: &str) -> String {
    let m = if warn { weak("!") } else { mark(ok) };
    format!("    {m} {what}: {detail}")
}

/// A handshake message's title line from words alone (a saved transcript without the
/// message's bytes, `tlsprobe view`): as the live title line, with the facts given.
pub fn plain_message_lines(
    dir: Dir,
    name: &str,
    len: u64,
    encrypted: bool,
    facts: &[String],
) -> Vec<String> {
    let mut head = vec![format!("{len} bytes")];
    if encrypted {
        head.push("encrypted".to_string());
    }
    head.extend(facts.iter().cloned());
    wrap_list(
        format!("{} {} ", arrow(dir), dir_name(dir, &title(name))),
        &head,
        4,
    )
}

/// The summary: the negotiated parameters first, then the checks.
pub fn summary_lines(s: &Summary) -> Vec<String> {
    let opt = |o: Option<String>| o.unwrap_or_else(|| "-".into());
    let suite = s
        .cipher_suite
        .map(|c| suite_colored(c).to_string())
        .unwrap_or("-".into());
    let mut out = vec![format!(
        "{} {}, {suite}, {}, {}",
        "= Summary".bold(),
        opt(s.version.map(|v| v.to_string())),
        opt(s.group_name()),
        opt(s.signature_scheme.map(|g| g.to_string())),
    )];
    let v = match s.verified {
        Some(true) => good("yes"),
        Some(false) => bad("NO"),
        None => "not checked".normal(),
    };
    let mut facts = vec![
        format!("verified {v}"),
        format!("resumed {}", if s.resumed { "yes" } else { "no" }),
        format!("ALPN {}", opt(s.alpn.clone())),
    ];
    if let Some(sni) = &s.sni {
        facts.push(format!("server name {sni}"));
    }
    if let Some(ems) = s.extended_master_secret {
        facts.push(format!(
            "extended master secret {}",
            if ems { good("yes") } else { weak("no") }
        ));
    }
    if let Some(r) = s.secure_renegotiation {
        facts.push(format!(
            "secure renegotiation {}",
            if r { good("yes") } else { weak("no") }
        ));
    }
    if s.session_ticket {
        facts.push("session ticket yes".into());
    }
    if let Some(c) = &s.client_certificate {
        facts.push(format!("client certificate {} ({})", c.subject, c.key));
    }
    if let Some(e) = s.early_data {
        facts.push(format!("early data {}", e.name()));
    }
    if let Some(p) = &s.psk {
        facts.push(p.to_string());
    }
    out.extend(wrap_list("    ".into(), &facts, 4));
    out
}

/// The closing lines: how the connection ended (marked `!` unless by close_notify), on one
/// line however long (a sentence to search for, like an error), then its totals.
pub fn closed_lines(c: &Closed) -> Vec<String> {
    let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let head = format!("Closed ({}): {}", c.reason.as_str(), c.detail);
    let totals = format!(
        "    {}; application data {} sent, {} received",
        plural(u64::from(c.tickets), "session ticket"),
        plural(c.app_bytes_sent, "byte"),
        plural(c.app_bytes_received, "byte"),
    );
    if c.clean() {
        vec![format!("* {head}"), totals.dimmed().to_string()]
    } else {
        vec![
            format!("{} {}", "!".red().bold(), head.red()),
            totals.dimmed().to_string(),
        ]
    }
}

/// "client_x" next to "server_x" become "client/server_x".
fn pair_up(keys: &[String]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for k in keys {
        if let (Some(prev), Some(rest)) = (out.last_mut(), k.strip_prefix("server_")) {
            if prev.strip_prefix("client_") == Some(rest) {
                *prev = format!("client/server_{rest}");
                continue;
            }
        }
        out.push(k.clone());
    }
    out
}

/// Keys not worth a line of their own without `--hex` (record keys, hashes, Finished inputs).
fn minor_key(k: &KeyEvent) -> bool {
    k.label.ends_with(" key")
        || k.label.ends_with(" iv")
        || k.label.contains("_write_")
        || k.label.contains("transcript hash")
        || k.label.contains("Finished")
        || k.label.contains("finished_key")
        || k.label == "session_hash"
        || k.label == "ecdhe_shared_secret"
        || k.label.contains(" shared secret")
        || k.label == "pre_master_secret"
}

impl Human {
    pub fn new(quiet: bool, show_secrets: bool, hex: u8) -> Human {
        Human {
            quiet,
            show_secrets,
            hex,
            ..Human::default()
        }
    }

    fn now(&self) -> i64 {
        self.now.unwrap_or_else(now_unix)
    }

    /// Lines still held back (keys collapsed into one line); empty when nothing is pending.
    pub fn flush(&self) -> Vec<String> {
        let keys = std::mem::take(&mut *self.pending_keys.borrow_mut());
        if keys.is_empty() {
            return vec![];
        }
        let first = format!("    {} ", "keys:".dimmed());
        let items: Vec<String> = pair_up(&keys)
            .iter()
            .map(|k| k.dimmed().to_string())
            .collect();
        let mut out = wrap_list(first, &items, 10);
        self.add_prefix(&mut out);
        out
    }

    fn add_prefix(&self, out: &mut [String]) {
        if !self.prefix.is_empty() {
            for l in out.iter_mut() {
                *l = format!("{}{l}", self.prefix);
            }
        }
    }

    fn key_lines(&self, k: &KeyEvent) -> Vec<String> {
        let mut out = vec![format!(
            "    {} {} {}",
            "key".dimmed(),
            k.label.bold(),
            format!("= {}", k.derivation).dimmed()
        )];
        if let (Some(s), true) = (&k.secret, self.show_secrets) {
            for c in s.chunks(32) {
                out.push(format!("        {}", hex(c)));
            }
        }
        out
    }

    fn record_lines(
        &self,
        dir: Dir,
        raw: &[u8],
        encrypted: bool,
        ct: crate::wire::codepoints::ContentType,
        plain: Option<&[u8]>,
    ) -> Vec<String> {
        let mut view = self.view.borrow_mut();
        let view = view.get_or_insert_with(|| ByteView::new(self.now()));
        let r = view.record(dir, raw, encrypted, ct, plain);
        let mut out = bytes::render(&r.wire, self.hex, "    ");
        if let Some(first) = out.first_mut() {
            *first = format!("  {} {}", arrow(dir), &first[4..]);
        }
        if let (Some(note), Some(inner)) = (r.inner_note, r.inner) {
            out.push(format!("    {}", note.dimmed()));
            out.extend(bytes::render(&inner, self.hex, "      "));
        }
        out
    }

    /// A handshake message: its head line (size, encrypted), its fields and the checks made.
    fn handshake_lines(
        &self,
        dir: Dir,
        msg: &HandshakeMessage,
        len: usize,
        encrypted: bool,
        cs: &[Check],
    ) -> Vec<String> {
        let name = dir_name(dir, &title(&msg.name()));
        let mut head = vec![format!("{len} bytes")];
        if encrypted {
            head.push("encrypted".to_string());
        }
        let mut body = vec![];
        message_lines(&mut body, &mut head, msg, self.now());
        let mut out = wrap_list(format!("{} {name} ", arrow(dir)), &head, 4);
        out.extend(body);
        checks(&mut out, cs);
        out
    }

    /// The lines for one event (empty when nothing is shown).
    pub fn render(&self, e: &Event) -> Vec<String> {
        let mut out = vec![];
        if let Event::Keys(k) = e {
            if !self.quiet && self.hex == 0 {
                if !minor_key(k) {
                    self.pending_keys.borrow_mut().push(k.label.clone());
                }
                return vec![];
            }
        }
        // Collapsed keys come out before whatever follows them.
        let mut held = self.flush();
        match e {
            Event::Summary(s) => out = summary_lines(s),
            Event::Closed(c) => out = closed_lines(c),
            Event::Warning(m) => out.push(format!("{} {}", weak("warning:"), m)),
            _ if self.quiet => {}
            Event::Connecting { target, addr } if target == addr => {
                out.push(format!("* Connecting to {target}"))
            }
            Event::Connecting { target, addr } => {
                out.push(format!("* Connecting to {target} ({addr})"))
            }
            Event::Connected { addr, local } => {
                out.push(format!("* Connected to {addr} from {local}"))
            }
            Event::ConnectFailed { addr, error } => out.push(format!("! {addr}: {}", bad(error))),
            Event::Accepted { peer } => out.push(format!("* Accepted a connection from {peer}")),
            Event::Record {
                dir,
                content_type,
                raw,
                encrypted,
                plaintext,
                ..
            } => {
                if self.hex > 0 {
                    out = self.record_lines(
                        *dir,
                        raw,
                        *encrypted,
                        *content_type,
                        plaintext.as_deref(),
                    );
                }
            }
            Event::Handshake {
                dir,
                msg,
                raw,
                encrypted,
                checks: cs,
            } => out = self.handshake_lines(*dir, msg, raw.len(), *encrypted, cs),
            Event::ChangeCipherSpec { dir, middlebox } => out.push(ccs_line(*dir, *middlebox)),
            Event::Alert {
                dir,
                level,
                description,
            } => out.push(alert_line(*dir, *level, *description)),
            Event::Keys(k) => out = self.key_lines(k),
            Event::Verify { ok, errors, detail } => {
                let head = if *ok {
                    format!("  {} certificate chain verified:", mark(true))
                } else {
                    format!("  {} certificate chain NOT verified:", mark(false))
                };
                out = wrap_semicolons(head, detail, errors);
            }
            Event::AppData { .. } => {}
            Event::Info(m) => out.push(format!("* {m}")),
            Event::Plaintext { from, text, .. } => out.push(format!(
                "{}: {text}",
                from.chars().next().unwrap_or('?').to_ascii_uppercase()
            )),
        }
        self.add_prefix(&mut out);
        held.extend(out);
        held
    }
}

/// A ChangeCipherSpec line, saying whether it changes anything (RFC 8446 §D.4).
fn ccs_line(dir: Dir, middlebox: bool) -> String {
    let note = if middlebox {
        "(middlebox compatibility, RFC 8446 §D.4: changes nothing)"
    } else {
        "(from here on this direction is encrypted)"
    };
    format!(
        "{} {} {}",
        arrow(dir),
        dir_name(dir, "ChangeCipherSpec"),
        note.dimmed()
    )
}

/// An alert line, marked bad unless it is close_notify.
fn alert_line(dir: Dir, level: AlertLevel, description: Alert) -> String {
    let text = format!("Alert {} {}", level.name(), description);
    let t = if description.to_u8() == 0 {
        text.normal()
    } else {
        bad(&text)
    };
    format!("{} {t}", arrow(dir))
}

/// The verification line: details joined with "; ", wrapped at WIDTH.
fn wrap_semicolons(head: String, detail: &[String], errors: &[String]) -> Vec<String> {
    let items: Vec<String> = detail
        .iter()
        .map(|d| d.to_string())
        .chain(errors.iter().map(|e| bad(e).to_string()))
        .collect();
    let mut out = vec![];
    let mut line = head;
    for (i, it) in items.iter().enumerate() {
        if i > 0 && width(&line) + 3 + width(it) > WIDTH {
            line.push(';');
            out.push(line);
            line = format!("      {it}");
        } else {
            line.push_str(if i == 0 { " " } else { "; " });
            line.push_str(it);
        }
    }
    out.push(line);
    out
}
