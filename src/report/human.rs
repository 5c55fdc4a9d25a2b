//! Human-readable rendering of events: one compact block of aligned lines per event, colours
//! from one palette (green good, yellow weak, red broken; outgoing messages blue, incoming
//! magenta), and with `--hex` the annotated byte view of every record (`report::hex`) and the
//! key schedule with its values. The only user of `colored`.

use std::cell::RefCell;

use colored::{ColoredString, Colorize};

use super::hex::{self as bytes, ByteView};
use super::{hex, hex_preview};
use crate::event::{Check, Dir, Event, KeyEvent, Summary};
use crate::pki::summary::{format_unix, summarize};
use crate::pki::verify::now_unix;
use crate::wire::codepoints::grease_or;
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{ClientKeyExchange, HandshakeMessage as HM, ServerKeyExchange};
use crate::wire::suites::{CipherSuite, Strength};

/// Width the compact lines are wrapped to.
const WIDTH: usize = 100;
/// Column where field values start ("    name        value").
const VALUE_COL: usize = 20;

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

/// Visible width of a string that may hold colour escapes.
fn width(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            esc = c != 'm';
        } else if c == '\x1b' {
            esc = true;
        } else {
            n += 1;
        }
    }
    n
}

/// Items joined with ", " and wrapped at WIDTH; continuation lines start at column `col`.
fn wrap_list(first: String, items: &[String], col: usize) -> Vec<String> {
    let mut out = vec![];
    let mut line = first;
    let mut empty = true;
    for (i, it) in items.iter().enumerate() {
        let sep = if i + 1 < items.len() { "," } else { "" };
        let piece = format!("{it}{sep}");
        if !empty && width(&line) + 1 + width(&piece) > WIDTH {
            out.push(line);
            line = " ".repeat(col);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(&piece);
        empty = false;
    }
    out.push(line);
    out
}

/// "    name         value" with the value wrapped at WIDTH on ", " boundaries.
fn field(out: &mut Vec<String>, name: &str, value: impl std::fmt::Display) {
    let v = value.to_string();
    let first = format!("    {:<15} ", name.dimmed());
    if width(&first) + width(&v) <= WIDTH || !v.contains(", ") {
        out.push(format!("{first}{v}"));
        return;
    }
    let items: Vec<String> = v.split(", ").map(str::to_string).collect();
    out.extend(wrap_list(first, &items, VALUE_COL));
}

/// The first 4 random bytes read as gmt_unix_time (RFC 5246 §7.4.1.2): named when they are a
/// plausible time, else "(not a time)": modern stacks send 32 random bytes.
fn gmt_note(random: &[u8; 32], now: i64) -> Option<String> {
    let t = u32::from_be_bytes([random[0], random[1], random[2], random[3]]) as i64;
    Some(if (t - now).abs() < 366 * 86400 {
        format!(
            "(starts with gmt_unix_time {}: this stack still sends it)",
            format_unix(t)
        )
    } else {
        "(not a time)".to_string()
    })
}

fn ext_value(e: &Extension) -> String {
    match &e.body {
        ExtBody::ServerName(n) if n.is_empty() => "(acknowledged)".into(),
        ExtBody::ServerName(n) => {
            let mut s = n.host_names().join(", ");
            if n.other_types() > 0 {
                s.push_str(&format!(
                    " (+{} name(s) of unknown type, ignored)",
                    n.other_types()
                ));
            }
            s
        }
        ExtBody::SupportedGroups(g) => g
            .iter()
            .map(|x| grease_or(x.0, x))
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::EcPointFormats(f) => f
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::SignatureAlgorithms(s) | ExtBody::SignatureAlgorithmsCert(s) => s
            .iter()
            .map(|x| grease_or(x.0, x))
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::Alpn(p) => p
            .iter()
            .map(|x| String::from_utf8_lossy(x).into_owned())
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::StatusRequestEmpty => "(empty) OCSP stapling acknowledged or requested".into(),
        ExtBody::StatusRequest { status_type: 1, .. } => "OCSP".into(),
        ExtBody::StatusRequest { status_type, .. } => format!("status type {status_type}"),
        ExtBody::OcspResponse(r) => format!("stapled OCSP response, {} bytes", r.len()),
        ExtBody::SignedCertificateTimestamp(b) if b.is_empty() => "requested".into(),
        ExtBody::SignedCertificateTimestamp(b) => format!("{} bytes of SCTs", b.len()),
        ExtBody::ExtendedMasterSecret => "(empty: extended master secret, RFC 7627)".into(),
        ExtBody::EncryptThenMac => "(empty: encrypt-then-MAC, RFC 7366)".into(),
        ExtBody::RenegotiationInfo(b) if b.is_empty() => {
            "(empty: secure renegotiation supported, RFC 5746)".into()
        }
        ExtBody::RenegotiationInfo(b) => format!("renegotiated_connection {}", hex(b)),
        ExtBody::SessionTicket(t) if t.is_empty() => "(empty: tickets welcome, RFC 5077)".into(),
        ExtBody::SessionTicket(t) => format!("ticket of {} bytes", t.len()),
        ExtBody::SupportedVersionsClient(v) => v
            .iter()
            .map(|x| grease_or(x.0, x))
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::SupportedVersionsServer(v) => v.to_string(),
        ExtBody::KeyShareClient(s) => s
            .iter()
            .map(|(g, k)| {
                format!(
                    "{} ({} bytes: {})",
                    grease_or(g.0, g),
                    k.len(),
                    hex_preview(k, 8)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::KeyShareServer(g, k) => format!("{g} ({} bytes: {})", k.len(), hex_preview(k, 8)),
        ExtBody::KeyShareHrr(g) => format!("send a key share for {g}"),
        ExtBody::PskKeyExchangeModes(m) => m
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        ExtBody::PreSharedKeyClient {
            identities,
            binders,
        } => format!(
            "{} identity: ticket of {} bytes, obfuscated age {}; binder {}",
            identities.len(),
            identities[0].identity.len(),
            identities[0].obfuscated_ticket_age,
            hex_preview(&binders[0], 16)
        ),
        ExtBody::PreSharedKeyServer(i) => format!("selected_identity {i}"),
        ExtBody::EarlyData(Some(n)) => format!("max_early_data_size {n}"),
        ExtBody::EarlyData(None) => "(empty)".into(),
        ExtBody::Cookie(c) => format!("{} bytes: {}", c.len(), hex_preview(c, 16)),
        ExtBody::Padding(b) if b.iter().all(|&x| x == 0) => format!("{} zero bytes", b.len()),
        ExtBody::Padding(b) => format!(
            "{} bytes, not all zero (RFC 7685 §3 requires zeros)",
            b.len()
        ),
        ExtBody::Heartbeat(m) => format!("mode {m}"),
        ExtBody::RecordSizeLimit(n) => format!("{n}"),
        ExtBody::CertificateAuthorities(names) => names
            .iter()
            .map(|d| crate::pki::summary::dn_to_string(d))
            .collect::<Vec<_>>()
            .join("; "),
        ExtBody::Empty => "(empty)".into(),
        ExtBody::Grease | ExtBody::Unknown | ExtBody::Malformed { .. } => {
            if e.data.is_empty() {
                "(empty)".into()
            } else {
                format!("{} bytes: {}", e.data.len(), hex_preview(&e.data, 24))
            }
        }
    }
}

fn extensions(out: &mut Vec<String>, label: &str, exts: &[Extension]) {
    if exts.is_empty() {
        field(out, label, "none");
        return;
    }
    // Extensions with an empty body share one line; the others get a line each.
    let (empty, full): (Vec<&Extension>, Vec<&Extension>) = exts.iter().partition(|e| {
        matches!(&e.body, ExtBody::RenegotiationInfo(b) if b.is_empty())
            || e.data.is_empty()
                && matches!(
                    e.body,
                    ExtBody::ExtendedMasterSecret
                        | ExtBody::EncryptThenMac
                        | ExtBody::SessionTicket(_)
                        | ExtBody::Empty
                        | ExtBody::EarlyData(None)
                        | ExtBody::Grease
                        | ExtBody::Unknown
                )
    });
    let mut first = true;
    let head = |first: &mut bool| {
        let h = if *first {
            format!("    {:<15} ", format!("{label} ({})", exts.len()).dimmed())
        } else {
            " ".repeat(VALUE_COL)
        };
        *first = false;
        h
    };
    for e in full {
        let line = format!(
            "{}{} {}",
            head(&mut first),
            ext_name(e).cyan(),
            ext_value(e)
        );
        if width(&line) <= WIDTH || !line.contains(", ") {
            out.push(line);
        } else {
            let items: Vec<String> = ext_value(e).split(", ").map(str::to_string).collect();
            let start = format!("{} ", head_of(&line, e));
            out.extend(wrap_list(start, &items, VALUE_COL + 2));
        }
    }
    if !empty.is_empty() {
        let mut items: Vec<String> = empty
            .iter()
            .map(|e| format!("{} ({})", e.name(), e.typ.0).cyan().to_string())
            .collect();
        if let Some(last) = items.last_mut() {
            *last = format!("{last}: no data (flags)");
        }
        let h = head(&mut first);
        out.extend(wrap_list(h, &items, VALUE_COL + 2));
    }
}

fn ext_name(e: &Extension) -> String {
    format!("{} ({}):", e.name(), e.typ.0)
}

/// The start of an extension line up to its name (for wrapping its value).
fn head_of(line: &str, e: &Extension) -> String {
    let name = ext_name(e).cyan().to_string();
    match line.find(&name) {
        Some(i) => line[..i + name.len()].to_string(),
        None => line.to_string(),
    }
}

fn certificate_lines(out: &mut Vec<String>, i: usize, der: &[u8], exts: &[Extension], now: i64) {
    match summarize(der, now) {
        Ok(s) => {
            let mut names: Vec<String> = s.dns_names.clone();
            names.extend(s.ip_addresses.iter().map(|i| format!("IP:{i}")));
            let names = if names.is_empty() {
                String::new()
            } else {
                format!("  {} {}", "names".dimmed(), names.join(", "))
            };
            out.push(format!("    [{i}] {}{names}", s.subject.bold()));
            let sub = |n: &str| format!("        {:<8} ", n.dimmed());
            let issuer = format!(
                "{}{}{}",
                sub("issuer"),
                s.issuer,
                if s.self_signed { " (self-signed)" } else { "" }
            );
            if width(&issuer) + 9 + s.serial.len() <= WIDTH {
                out.push(format!("{issuer}; serial {}", s.serial));
            } else {
                out.push(issuer);
                out.push(format!("{}{}", sub("serial"), s.serial));
            }
            let status = if s.expired {
                bad(&format!("EXPIRED {} days ago", -s.days_left))
            } else if s.not_yet_valid {
                bad("NOT YET VALID")
            } else if s.days_left < 30 {
                weak(&format!("{} days left", s.days_left))
            } else {
                good(&format!("{} days left", s.days_left))
            };
            out.push(format!(
                "{}{} → {} ({status})",
                sub("validity"),
                s.not_before,
                s.not_after
            ));
            let key = if s.key.starts_with("RSA") && s.key_bits < 2048 {
                bad(&s.key)
            } else {
                s.key.normal()
            };
            let mut usage = s.key_usage.clone();
            usage.extend(s.extended_key_usage.iter().cloned());
            if let Some(ca) = s.is_ca {
                let pl = s
                    .path_len
                    .map(|p| format!(", path length {p}"))
                    .unwrap_or_default();
                usage.push(format!("CA:{}{pl}", if ca { "TRUE" } else { "FALSE" }));
            }
            out.push(format!(
                "{}{key}, signed with {}",
                sub("key"),
                s.signature_algorithm
            ));
            if !usage.is_empty() {
                out.push(format!("{}{}", sub("usage"), usage.join(", ")));
            }
            out.push(format!("{}{}", sub("sha256"), s.sha256.replace(':', "")));
            out.push(format!(
                "{}sha256//{}",
                sub("spki pin"),
                s.spki_sha256_base64
            ));
        }
        Err(e) => out.push(format!(
            "    [{i}] {} ({} bytes)",
            bad(&format!("unparsable certificate: {e}")),
            der.len()
        )),
    }
    for e in exts {
        out.push(format!(
            "        {:<8} {}: {}",
            "ext".dimmed(),
            e.name(),
            ext_value(e)
        ));
    }
}

fn session_id(id: &[u8]) -> String {
    if id.is_empty() {
        "session_id empty".into()
    } else {
        format!(
            "session_id {}… ({} bytes)",
            hex(&id[..id.len().min(4)]),
            id.len()
        )
    }
}

/// The facts shown on the message's title line, and the lines below it.
fn message_lines(out: &mut Vec<String>, head: &mut Vec<String>, msg: &HM, now: i64) {
    match msg {
        HM::ClientHello(ch) => {
            head.push(format!("{} (0x{:04x})", ch.version, ch.version.0));
            head.push(session_id(&ch.session_id));
            head.push(format!(
                "compression {}",
                ch.compression_methods
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            let note = gmt_note(&ch.random, now)
                .map(|n| format!(" {}", n.dimmed()))
                .unwrap_or_default();
            field(out, "random", format!("{}{note}", hex(&ch.random)));
            let suites: Vec<String> = ch
                .cipher_suites
                .iter()
                .map(|s| grease_or(s.0, suite_colored(*s)))
                .collect();
            let first = format!(
                "    {:<15} ",
                format!("suites ({})", ch.cipher_suites.len()).dimmed()
            );
            out.extend(wrap_list(first, &suites, VALUE_COL));
            extensions(out, "extensions", &ch.extensions);
        }
        HM::ServerHello(sh) => {
            head.push(format!("{} (0x{:04x})", sh.version, sh.version.0));
            head.push(session_id(&sh.session_id));
            head.push(format!("compression {}", sh.compression_method));
            let note = if sh.is_hello_retry_request() {
                Some("(the HelloRetryRequest value, RFC 8446 §4.1.3)".to_string())
            } else {
                gmt_note(&sh.random, now)
            };
            let note = note.map(|n| format!(" {}", n.dimmed())).unwrap_or_default();
            field(out, "random", format!("{}{note}", hex(&sh.random)));
            field(
                out,
                "cipher suite",
                format!(
                    "{} (0x{:04x})",
                    suite_colored(sh.cipher_suite),
                    sh.cipher_suite.0
                ),
            );
            extensions(out, "extensions", &sh.extensions);
        }
        HM::Certificate(c) => {
            if let Some(ctx) = c.context.as_ref().filter(|c| !c.is_empty()) {
                head.push(format!("context {}", hex(ctx)));
            }
            head.push(match c.entries.len() {
                0 => "no certificates (empty list)".to_string(),
                1 => "1 certificate".to_string(),
                n => format!("{n} certificates"),
            });
            for (i, e) in c.entries.iter().enumerate() {
                certificate_lines(out, i, &e.der, &e.extensions, now);
            }
        }
        HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
            group,
            public,
            scheme,
            signature,
            ..
        }) => {
            head.push(format!(
                "{group}, signed with {} ({} bytes)",
                scheme_text(scheme),
                signature.len()
            ));
            field(
                out,
                "public key",
                format!("{} bytes: {}", public.len(), hex(public)),
            );
        }
        HM::ServerKeyExchange(ServerKeyExchange::Dhe {
            p,
            g,
            ys,
            scheme,
            signature,
            ..
        }) => {
            field(
                out,
                "dh_p",
                format!("{} bits: {}", bit_len(p), hex_preview(p, 32)),
            );
            field(out, "dh_g", hex(g));
            field(
                out,
                "dh_Ys",
                format!("{} bytes: {}", ys.len(), hex_preview(ys, 32)),
            );
            field(
                out,
                "signature",
                format!("{}, {} bytes", scheme_text(scheme), signature.len()),
            );
        }
        HM::ClientKeyExchange(ClientKeyExchange::Dhe(y)) => {
            field(
                out,
                "dh_Yc",
                format!("{} bytes: {}", y.len(), hex_preview(y, 32)),
            );
        }
        HM::ServerKeyExchange(ServerKeyExchange::Raw(b)) => {
            head.push(format!("params {} bytes", b.len()))
        }
        HM::ClientKeyExchange(ClientKeyExchange::Ecdhe(p)) => {
            field(out, "public key", format!("{} bytes: {}", p.len(), hex(p)));
        }
        HM::ClientKeyExchange(ClientKeyExchange::Rsa(p)) => {
            field(
                out,
                "encrypted",
                format!("{} bytes: {}", p.len(), hex_preview(p, 24)),
            );
            field(
                out,
                "",
                "the pre-master secret, RSA-encrypted to the server's certificate key".dimmed(),
            );
        }
        HM::ClientKeyExchange(ClientKeyExchange::Raw(b)) => {
            head.push(format!("data {} bytes", b.len()))
        }
        HM::CertificateRequest12(r) => {
            field(
                out,
                "cert types",
                r.certificate_types
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            field(
                out,
                "sigalgs",
                r.signature_algorithms
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            field(
                out,
                "CAs",
                if r.authorities.is_empty() {
                    "any".to_string()
                } else {
                    r.authorities
                        .iter()
                        .map(|d| crate::pki::summary::dn_to_string(d))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            );
        }
        HM::CertificateRequest13(r) => {
            head.push(if r.context.is_empty() {
                "context empty".into()
            } else {
                format!("context {}", hex(&r.context))
            });
            extensions(out, "extensions", &r.extensions);
        }
        HM::CertificateVerify(cv) => {
            head.push(format!(
                "{}, signature {} bytes",
                cv.scheme,
                cv.signature.len()
            ));
        }
        HM::Finished(vd) if vd.len() <= 12 => head.push(format!("verify_data {}", hex(vd))),
        HM::Finished(vd) => head.push(format!("verify_data {}", hex_preview(vd, 16))),
        HM::NewSessionTicket12(t) => {
            head.push(format!(
                "lifetime hint {} s, ticket {} bytes",
                t.lifetime_hint,
                t.ticket.len()
            ));
        }
        HM::NewSessionTicket13(t) => {
            // age_add (a random obfuscation value) is in the --hex view.
            head.push(format!(
                "lifetime {} s, nonce {}, ticket {} bytes",
                t.lifetime,
                hex(&t.nonce),
                t.ticket.len()
            ));
            if !t.extensions.is_empty() {
                extensions(out, "extensions", &t.extensions);
            }
        }
        HM::EncryptedExtensions(e) if e.len() <= 1 => {
            head.push(match e.first() {
                None => "no extensions".into(),
                Some(x) => format!("{} {}", ext_name(x).cyan(), ext_value(x)),
            });
        }
        HM::EncryptedExtensions(e) => extensions(out, "extensions", e),
        HM::KeyUpdate(r) => head.push(
            if *r == 1 {
                "update_requested"
            } else {
                "update_not_requested"
            }
            .into(),
        ),
        HM::CertificateStatus(s) => head.push(format!(
            "OCSP status type {}, {} bytes",
            s.status_type,
            s.response.len()
        )),
        HM::Unknown(t, b) => head.push(format!("type {}, {} bytes", t.0, b.len())),
        HM::HelloRequest | HM::EndOfEarlyData | HM::ServerHelloDone => {}
    }
}

fn checks(out: &mut Vec<String>, cs: &[Check]) {
    for c in cs {
        let (what, detail) = super::checks::describe(c);
        out.push(format!("    {} {what}: {detail}", mark(c.ok)));
    }
}

/// "ClientHello" from "client_hello".
fn title(name: &str) -> String {
    bytes::title(name)
}

fn arrow(dir: Dir) -> ColoredString {
    match dir {
        Dir::Out => "→".blue().bold(),
        Dir::In => "←".magenta().bold(),
    }
}

fn dir_name(dir: Dir, name: &str) -> ColoredString {
    match dir {
        Dir::Out => name.blue().bold(),
        Dir::In => name.magenta().bold(),
    }
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
        opt(s.group.map(|g| g.to_string())),
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
        facts.push(format!("client certificate {c}"));
    }
    out.extend(wrap_list("    ".into(), &facts, 4));
    out
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
            Event::Closed { reason, clean } if !clean => {
                out.push(format!("{} {}", "!".red().bold(), reason.red()));
            }
            Event::Closed { reason, .. } if self.quiet => out.push(format!("* {reason}")),
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
            } => {
                let name = dir_name(*dir, &title(&msg.name()));
                let mut head = vec![format!("{} bytes", raw.len())];
                if *encrypted {
                    head.push("encrypted".to_string());
                }
                let mut body = vec![];
                message_lines(&mut body, &mut head, msg, self.now());
                out.extend(wrap_list(format!("{} {name} ", arrow(*dir)), &head, 4));
                out.extend(body);
                checks(&mut out, cs);
            }
            Event::ChangeCipherSpec { dir, middlebox } => {
                let note = if *middlebox {
                    "(middlebox compatibility, RFC 8446 §D.4: changes nothing)"
                } else {
                    "(from here on this direction is encrypted)"
                };
                out.push(format!(
                    "{} {} {}",
                    arrow(*dir),
                    dir_name(*dir, "ChangeCipherSpec"),
                    note.dimmed()
                ));
            }
            Event::Alert {
                dir,
                level,
                description,
            } => {
                let text = format!("Alert {} {}", level.name(), description);
                let t = if description.to_u8() == 0 {
                    text.normal()
                } else {
                    bad(&text)
                };
                out.push(format!("{} {t}", arrow(*dir)));
            }
            Event::Keys(k) => out = self.key_lines(k),
            Event::Verify { ok, errors, detail } => {
                let head = if *ok {
                    format!("  {} certificate chain verified:", mark(true))
                } else {
                    format!("  {} certificate chain NOT verified:", mark(false))
                };
                out.extend(wrap_semicolons(head, detail, errors));
            }
            Event::AppData { .. } => {}
            Event::Info(m) => out.push(format!("* {m}")),
            Event::Plaintext { from, text, .. } => out.push(format!(
                "{}: {text}",
                from.chars().next().unwrap_or('?').to_ascii_uppercase()
            )),
            Event::Closed { .. } => {}
        }
        self.add_prefix(&mut out);
        held.extend(out);
        held
    }
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

/// A ServerKeyExchange signature algorithm; TLS 1.0/1.1 name none (RFC 4346 §7.4.3).
fn scheme_text(s: &Option<crate::wire::codepoints::SignatureScheme>) -> String {
    match s {
        Some(s) => s.to_string(),
        None => "TLS 1.0/1.1 signature (RSA: MD5+SHA-1; ECDSA: SHA-1)".into(),
    }
}

/// Bit length of a big-endian integer.
fn bit_len(b: &[u8]) -> usize {
    match b.iter().position(|&x| x != 0) {
        Some(i) => (b.len() - i) * 8 - b[i].leading_zeros() as usize,
        None => 0,
    }
}
