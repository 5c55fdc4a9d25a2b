//! Human-readable rendering of events: one block of aligned lines per event, colours from
//! one palette (green good, yellow weak, red broken; outgoing and incoming messages in
//! different colours). The only user of `colored`.

use colored::{ColoredString, Colorize};

use super::{hex, hex_preview};
use crate::event::{Check, Dir, Event, Summary};
use crate::pki::summary::{format_unix, summarize};
use crate::pki::verify::now_unix;
use crate::wire::codepoints::grease_or;
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{ClientKeyExchange, HandshakeMessage as HM, ServerKeyExchange};
use crate::wire::suites::{CipherSuite, Strength};

/// Renders events as text.
pub struct Human {
    pub quiet: bool,
    /// Prefix for every line (listen: the connection number).
    pub prefix: String,
    /// Reveal key values in `keys` events (only when the user asked).
    pub show_secrets: bool,
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
        Some(Strength::Strong) => name.green(),
        Some(Strength::Weak) => name.yellow(),
        Some(Strength::Insecure) => name.red(),
        None => name.normal(),
    }
}

fn field(out: &mut Vec<String>, name: &str, value: impl std::fmt::Display) {
    out.push(format!("    {:<16} {value}", name.dimmed()));
}

fn gmt_note(random: &[u8; 32]) -> String {
    let t = u32::from_be_bytes([random[0], random[1], random[2], random[3]]) as i64;
    let now = now_unix();
    if (t - now).abs() < 366 * 86400 {
        format!(
            "gmt_unix_time {} (a plausible time: this stack still sends it)",
            format_unix(t)
        )
    } else {
        format!(
            "gmt_unix_time 0x{:08x} is not a plausible time (modern stacks send 32 random bytes)",
            t
        )
    }
}

fn ext_value(e: &Extension) -> String {
    match &e.body {
        ExtBody::ServerName(n) if n.is_empty() => "(acknowledged)".into(),
        ExtBody::ServerName(n) => n.join(", "),
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
        ExtBody::StatusRequest { ocsp: true } if e.data.is_empty() => {
            "acknowledged: a stapled OCSP response follows".into()
        }
        ExtBody::StatusRequest { ocsp } => {
            if *ocsp {
                "OCSP".into()
            } else {
                "other".into()
            }
        }
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
        ExtBody::Padding(n) => format!("{n} zero bytes"),
        ExtBody::Heartbeat(m) => format!("mode {m}"),
        ExtBody::RecordSizeLimit(n) => format!("{n}"),
        ExtBody::Empty => "(empty)".into(),
        ExtBody::Grease | ExtBody::Unknown => {
            if e.data.is_empty() {
                "(empty)".into()
            } else {
                format!("{} bytes: {}", e.data.len(), hex_preview(&e.data, 24))
            }
        }
    }
}

fn extensions(out: &mut Vec<String>, exts: &[Extension]) {
    if exts.is_empty() {
        field(out, "extensions", "none");
        return;
    }
    field(out, "extensions", exts.len());
    for e in exts {
        let name = format!("{} ({})", e.name(), e.typ.0);
        out.push(format!("      {:<34} {}", name.cyan(), ext_value(e)));
    }
}

fn certificate_lines(out: &mut Vec<String>, i: usize, der: &[u8], exts: &[Extension]) {
    match summarize(der, now_unix()) {
        Ok(s) => {
            out.push(format!("    [{i}] {}", s.subject.bold()));
            out.push(format!("        {:<10} {}", "issuer".dimmed(), s.issuer));
            out.push(format!("        {:<10} {}", "serial".dimmed(), s.serial));
            let validity = format!("{} → {}", s.not_before, s.not_after);
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
                "        {:<10} {validity} ({status})",
                "validity".dimmed()
            ));
            let mut names: Vec<String> = s.dns_names.clone();
            names.extend(s.ip_addresses.iter().map(|i| format!("IP:{i}")));
            if !names.is_empty() {
                out.push(format!(
                    "        {:<10} {}",
                    "names".dimmed(),
                    names.join(", ")
                ));
            }
            let key = if s.key.starts_with("RSA") && s.key_bits < 2048 {
                bad(&s.key)
            } else {
                s.key.normal()
            };
            out.push(format!(
                "        {:<10} {key}, signed with {}",
                "key".dimmed(),
                s.signature_algorithm
            ));
            if !s.key_usage.is_empty() || !s.extended_key_usage.is_empty() {
                let mut u = s.key_usage.clone();
                u.extend(s.extended_key_usage.iter().cloned());
                out.push(format!("        {:<10} {}", "usage".dimmed(), u.join(", ")));
            }
            if let Some(ca) = s.is_ca {
                let pl = s
                    .path_len
                    .map(|p| format!(", path length {p}"))
                    .unwrap_or_default();
                out.push(format!(
                    "        {:<10} CA:{}{pl}",
                    "basic".dimmed(),
                    if ca { "TRUE" } else { "FALSE" }
                ));
            }
            out.push(format!("        {:<10} {}", "sha256".dimmed(), s.sha256));
            out.push(format!(
                "        {:<10} sha256//{}",
                "spki pin".dimmed(),
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
            "        {:<10} {}: {}",
            "extension".dimmed(),
            e.name(),
            ext_value(e)
        ));
    }
}

fn message_lines(out: &mut Vec<String>, msg: &HM) {
    match msg {
        HM::ClientHello(ch) => {
            field(
                out,
                "version",
                format!("{} (0x{:04x})", ch.version, ch.version.0),
            );
            field(out, "random", hex(&ch.random));
            field(out, "", gmt_note(&ch.random).dimmed());
            field(
                out,
                "session_id",
                if ch.session_id.is_empty() {
                    "empty".to_string()
                } else {
                    format!("{} bytes: {}", ch.session_id.len(), hex(&ch.session_id))
                },
            );
            field(
                out,
                "cipher_suites",
                format!("{} suites", ch.cipher_suites.len()),
            );
            for s in &ch.cipher_suites {
                out.push(format!("      0x{:04x} {}", s.0, suite_colored(*s)));
            }
            field(
                out,
                "compression",
                ch.compression_methods
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            extensions(out, &ch.extensions);
        }
        HM::ServerHello(sh) => {
            field(
                out,
                "version",
                format!("{} (0x{:04x})", sh.version, sh.version.0),
            );
            field(out, "random", hex(&sh.random));
            if !sh.is_hello_retry_request() {
                field(out, "", gmt_note(&sh.random).dimmed());
            } else {
                field(
                    out,
                    "",
                    "the special HelloRetryRequest value (RFC 8446 §4.1.3)".dimmed(),
                );
            }
            field(
                out,
                "session_id",
                if sh.session_id.is_empty() {
                    "empty".to_string()
                } else {
                    format!("{} bytes: {}", sh.session_id.len(), hex(&sh.session_id))
                },
            );
            field(
                out,
                "cipher_suite",
                format!(
                    "0x{:04x} {}",
                    sh.cipher_suite.0,
                    suite_colored(sh.cipher_suite)
                ),
            );
            field(out, "compression", sh.compression_method);
            extensions(out, &sh.extensions);
        }
        HM::Certificate(c) => {
            if let Some(ctx) = c.context.as_ref().filter(|c| !c.is_empty()) {
                field(out, "context", hex(ctx));
            }
            if c.entries.is_empty() {
                field(out, "certificates", "none (empty list)");
            }
            for (i, e) in c.entries.iter().enumerate() {
                certificate_lines(out, i, &e.der, &e.extensions);
            }
        }
        HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
            group,
            public,
            scheme,
            signature,
            ..
        }) => {
            field(out, "group", group);
            field(
                out,
                "public key",
                format!("{} bytes: {}", public.len(), hex(public)),
            );
            field(
                out,
                "signature",
                format!("{}, {} bytes", scheme_text(scheme), signature.len()),
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
            field(out, "params", format!("{} bytes", b.len()))
        }
        HM::ClientKeyExchange(ClientKeyExchange::Ecdhe(p)) => {
            field(out, "public key", format!("{} bytes: {}", p.len(), hex(p)));
        }
        HM::ClientKeyExchange(ClientKeyExchange::Rsa(p)) => {
            field(
                out,
                "encrypted",
                format!("{} bytes: {}", p.len(), hex_preview(p, 32)),
            );
            field(out, "", "the pre-master secret, RSA-encrypted to the server's certificate key: only the server can read it".dimmed());
        }
        HM::ClientKeyExchange(ClientKeyExchange::Raw(b)) => {
            field(out, "data", format!("{} bytes", b.len()))
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
                    format!("{} names", r.authorities.len())
                },
            );
        }
        HM::CertificateRequest13(r) => {
            field(
                out,
                "context",
                if r.context.is_empty() {
                    "empty".into()
                } else {
                    hex(&r.context)
                },
            );
            extensions(out, &r.extensions);
        }
        HM::CertificateVerify(cv) => {
            field(out, "scheme", cv.scheme);
            field(
                out,
                "signature",
                format!(
                    "{} bytes: {}",
                    cv.signature.len(),
                    hex_preview(&cv.signature, 16)
                ),
            );
        }
        HM::Finished(vd) => field(out, "verify_data", hex(vd)),
        HM::NewSessionTicket12(t) => {
            field(out, "lifetime hint", format!("{} s", t.lifetime_hint));
            field(out, "ticket", format!("{} bytes", t.ticket.len()));
        }
        HM::NewSessionTicket13(t) => {
            field(out, "lifetime", format!("{} s", t.lifetime));
            field(out, "age_add", t.age_add);
            field(out, "nonce", hex(&t.nonce));
            field(out, "ticket", format!("{} bytes", t.ticket.len()));
            if !t.extensions.is_empty() {
                extensions(out, &t.extensions);
            }
        }
        HM::EncryptedExtensions(e) => extensions(out, e),
        HM::KeyUpdate(r) => field(
            out,
            "update",
            if *r == 1 {
                "update_requested"
            } else {
                "update_not_requested"
            },
        ),
        HM::CertificateStatus(s) => field(
            out,
            "OCSP",
            format!("status type {}, {} bytes", s.status_type, s.response.len()),
        ),
        HM::Unknown(t, b) => field(out, "body", format!("type {}, {} bytes", t.0, b.len())),
        HM::HelloRequest | HM::EndOfEarlyData | HM::ServerHelloDone => {}
    }
}

fn checks(out: &mut Vec<String>, cs: &[Check]) {
    for c in cs {
        out.push(format!("    {} {}: {}", mark(c.ok), c.what, c.detail));
    }
}

fn title(name: &str) -> String {
    name.split('_')
        .map(|w| match w {
            "hello" => "Hello".to_string(),
            w => {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect()
}

fn arrow(dir: Dir) -> ColoredString {
    match dir {
        Dir::Out => "→".blue().bold(),
        Dir::In => "←".magenta().bold(),
    }
}

pub fn summary_lines(s: &Summary) -> Vec<String> {
    let mut out = vec![format!("{}", "= Summary".bold())];
    let opt = |o: Option<String>| o.unwrap_or_else(|| "-".into());
    field(&mut out, "version", opt(s.version.map(|v| v.to_string())));
    field(
        &mut out,
        "cipher suite",
        s.cipher_suite
            .map(suite_colored)
            .map(|c| c.to_string())
            .unwrap_or("-".into()),
    );
    field(&mut out, "group", opt(s.group.map(|g| g.to_string())));
    field(
        &mut out,
        "signature",
        opt(s.signature_scheme.map(|g| g.to_string())),
    );
    field(&mut out, "ALPN", opt(s.alpn.clone()));
    field(&mut out, "resumed", if s.resumed { "yes" } else { "no" });
    let v = match s.verified {
        Some(true) => good("yes"),
        Some(false) => bad("NO"),
        None => "not checked".normal(),
    };
    field(&mut out, "verified", v);
    if let Some(sni) = &s.sni {
        field(&mut out, "server name", sni);
    }
    if let Some(ems) = s.extended_master_secret {
        field(
            &mut out,
            "ext. master",
            if ems { good("yes") } else { weak("no") },
        );
    }
    if let Some(r) = s.secure_renegotiation {
        field(
            &mut out,
            "secure reneg.",
            if r { good("yes") } else { weak("no") },
        );
    }
    if let Some(c) = &s.client_certificate {
        field(&mut out, "client cert", c);
    }
    out
}

impl Human {
    /// The lines for one event (empty when nothing is shown).
    pub fn render(&self, e: &Event) -> Vec<String> {
        let mut out = vec![];
        match e {
            Event::Summary(s) => out = summary_lines(s),
            Event::Closed { reason, clean } if !self.quiet || !clean => {
                out.push(format!(
                    "{} {}",
                    if *clean {
                        "*".normal()
                    } else {
                        "!".red().bold()
                    },
                    if *clean {
                        reason.normal()
                    } else {
                        reason.red()
                    }
                ));
            }
            Event::Warning(m) => out.push(format!("{} {}", weak("warning:"), m)),
            _ if self.quiet => {}
            Event::Connecting { target, addr } => {
                out.push(format!("* Connecting to {target} ({addr})"))
            }
            Event::Connected { addr, local } => {
                out.push(format!("* Connected to {addr} from {local}"))
            }
            Event::ConnectFailed { addr, error } => out.push(format!("! {addr}: {}", bad(error))),
            Event::Accepted { peer } => out.push(format!("* Accepted a connection from {peer}")),
            Event::Record { .. } => {}
            Event::Handshake {
                dir,
                msg,
                raw,
                encrypted,
                checks: cs,
            } => {
                let name = title(&msg.name());
                let name = match dir {
                    Dir::Out => name.blue().bold(),
                    Dir::In => name.magenta().bold(),
                };
                let enc = if *encrypted {
                    format!(" {}", "[encrypted]".dimmed())
                } else {
                    String::new()
                };
                out.push(format!("{} {name} ({} bytes){enc}", arrow(*dir), raw.len()));
                message_lines(&mut out, msg);
                checks(&mut out, cs);
            }
            Event::ChangeCipherSpec { dir, middlebox } => {
                let note = if *middlebox {
                    " (middlebox compatibility, RFC 8446 §D.4: changes nothing)"
                        .dimmed()
                        .to_string()
                } else {
                    " (from here on this direction is encrypted)"
                        .dimmed()
                        .to_string()
                };
                let name = match dir {
                    Dir::Out => "ChangeCipherSpec".blue().bold(),
                    Dir::In => "ChangeCipherSpec".magenta().bold(),
                };
                out.push(format!("{} {name}{note}", arrow(*dir)));
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
            Event::Keys(k)
                if !self.show_secrets
                    && (k.label.ends_with(" key")
                        || k.label.ends_with(" iv")
                        || k.label.contains("_write_")) => {}
            Event::Keys(k) => {
                let value = match (&k.secret, self.show_secrets) {
                    (Some(s), true) => format!(" = {}", hex(s)),
                    _ => String::new(),
                };
                out.push(format!(
                    "    {} {}{value}",
                    "key".dimmed(),
                    format!("{}  ⇐ {}", k.label, k.derivation).dimmed()
                ));
            }
            Event::Verify { ok, errors, detail } => {
                if *ok {
                    out.push(format!("  {} certificate chain verified", mark(true)));
                } else {
                    out.push(format!("  {} certificate chain NOT verified", mark(false)));
                }
                for d in detail {
                    out.push(format!("      {d}"));
                }
                for er in errors {
                    out.push(format!("      {}", bad(er)));
                }
            }
            Event::AppData { .. } => {}
            Event::Info(m) => out.push(format!("* {m}")),
            Event::Closed { .. } => {}
        }
        if !self.prefix.is_empty() {
            for l in out.iter_mut() {
                *l = format!("{}{l}", self.prefix);
            }
        }
        out
    }
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
