//! Handshake messages in the human trace: the facts on each message's title line and the
//! lines below it, one function per message that needs more than a line (certificates
//! summarized, extensions through `extensions`).

use colored::Colorize;

use super::extensions::{ext_name, ext_value, extensions, request_extensions};
use super::layout::{field, width, wrap_list, VALUE_COL, WIDTH};
use super::{bad, good, suite_colored, weak};
use crate::pki::summary::{format_unix, summarize};
use crate::report::{hex, hex_preview};
use crate::wire::codepoints::grease_or;
use crate::wire::extensions::Extension;
use crate::wire::handshake::{
    Certificate, CertificateRequest12, ClientHello, ClientKeyExchange, HandshakeMessage as HM,
    NewSessionTicket13, PskParams, PskPublic, ServerHello, ServerKeyExchange,
};

/// A TLS 1.0/1.1 CertificateVerify's signature, which names no algorithm (RFC 4346 §7.4.8).
const LEGACY_SIGNATURE: &str = "TLS 1.0/1.1 signature (RSA: MD5+SHA-1; ECDSA: SHA-1)";

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

/// One certificate of a Certificate message: subject and names, issuer and serial, validity,
/// key and usage, fingerprints, then its extensions (TLS 1.3).
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
            out.push(format!("{}{}", sub("sha256"), s.sha256));
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

/// The session id as a title-line fact: its first bytes and length.
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

/// The facts shown on the message's title line (`head`), and the lines below it (`out`).
pub(super) fn message_lines(out: &mut Vec<String>, head: &mut Vec<String>, msg: &HM, now: i64) {
    match msg {
        HM::ClientHello(ch) => client_hello(out, head, ch, now),
        HM::ServerHello(sh) => server_hello(out, head, sh, now),
        HM::Certificate(c) => certificate(out, head, c, now),
        HM::ServerKeyExchange(ske) => server_key_exchange(out, head, ske),
        HM::ClientKeyExchange(cke) => client_key_exchange(out, head, cke),
        HM::CertificateRequest12(r) => certificate_request12(out, r),
        HM::CertificateRequest13(r) => {
            head.push(if r.context.is_empty() {
                "context empty".into()
            } else {
                format!("context {}", hex(&r.context))
            });
            request_extensions(out, &r.extensions);
        }
        HM::CertificateVerify(cv) => {
            head.push(format!(
                "{}, signature {} bytes",
                cv.scheme
                    .map_or_else(|| LEGACY_SIGNATURE.to_string(), |s| s.to_string()),
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
        HM::NewSessionTicket13(t) => new_session_ticket13(out, head, t),
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

/// ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): version, session id and compression on
/// the title line; the random, the suites and the extensions below.
fn client_hello(out: &mut Vec<String>, head: &mut Vec<String>, ch: &ClientHello, now: i64) {
    head.push(format!("{} (0x{:04x})", ch.version, ch.version.0));
    head.push(session_id(&ch.session_id));
    head.push(format!(
        "compression {}",
        comma_list(&ch.compression_methods)
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

/// ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3), a HelloRetryRequest named by its random.
fn server_hello(out: &mut Vec<String>, head: &mut Vec<String>, sh: &ServerHello, now: i64) {
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

/// Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2): each certificate summarized.
fn certificate(out: &mut Vec<String>, head: &mut Vec<String>, c: &Certificate, now: i64) {
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

/// ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3): the server's public value and how it
/// is signed.
fn server_key_exchange(out: &mut Vec<String>, head: &mut Vec<String>, ske: &ServerKeyExchange) {
    match ske {
        ServerKeyExchange::Ecdhe {
            group,
            public,
            scheme,
            signature,
            ..
        } => {
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
        ServerKeyExchange::Dhe {
            p,
            g,
            ys,
            scheme,
            signature,
            ..
        } => {
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
        ServerKeyExchange::Psk { hint, params } => {
            field(out, "identity hint", psk_text(hint));
            match params {
                PskParams::None => {}
                PskParams::Dhe { p, g, ys } => {
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
                }
                PskParams::Ecdhe { group, public } => {
                    head.push(format!("{group}, unsigned (PSK-authenticated)"));
                    field(
                        out,
                        "public key",
                        format!("{} bytes: {}", public.len(), hex(public)),
                    );
                }
            }
        }
        ServerKeyExchange::Raw(b) => head.push(format!("params {} bytes", b.len())),
    }
}

/// A PSK identity or hint: printable text quoted, else hex; "(none)" when empty.
fn psk_text(b: &[u8]) -> String {
    if b.is_empty() {
        return "(none)".into();
    }
    let t = crate::handshake::psk::identity_text(b);
    if t.len() == b.len() {
        format!("\"{t}\"")
    } else {
        t
    }
}

/// ClientKeyExchange (RFC 8422 §5.7, RFC 5246 §7.4.7): the client's public value, or the
/// RSA-encrypted pre-master secret.
fn client_key_exchange(out: &mut Vec<String>, head: &mut Vec<String>, cke: &ClientKeyExchange) {
    match cke {
        ClientKeyExchange::Dhe(y) => {
            field(
                out,
                "dh_Yc",
                format!("{} bytes: {}", y.len(), hex_preview(y, 32)),
            );
        }
        ClientKeyExchange::Ecdhe(p) => {
            field(out, "public key", format!("{} bytes: {}", p.len(), hex(p)));
        }
        ClientKeyExchange::Rsa(p) => {
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
        ClientKeyExchange::Psk { identity, public } => {
            field(out, "psk identity", psk_text(identity));
            match public {
                PskPublic::None => {}
                PskPublic::Dhe(y) => field(
                    out,
                    "dh_Yc",
                    format!("{} bytes: {}", y.len(), hex_preview(y, 32)),
                ),
                PskPublic::Ecdhe(p) => {
                    field(out, "public key", format!("{} bytes: {}", p.len(), hex(p)))
                }
                PskPublic::Rsa(enc) => field(
                    out,
                    "encrypted pre-master",
                    format!(
                        "{} bytes, RSA-encrypted to the server's certificate key",
                        enc.len()
                    ),
                ),
            }
        }
        ClientKeyExchange::Raw(b) => head.push(format!("data {} bytes", b.len())),
    }
}

/// Items by their display names, joined with ", ".
fn comma_list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// CertificateRequest of TLS 1.2 (RFC 5246 §7.4.4): certificate types, schemes, CAs.
fn certificate_request12(out: &mut Vec<String>, r: &CertificateRequest12) {
    field(out, "cert types", comma_list(&r.certificate_types));
    field(out, "sigalgs", comma_list(&r.signature_algorithms));
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

/// NewSessionTicket of TLS 1.3 (RFC 8446 §4.6.1).
fn new_session_ticket13(out: &mut Vec<String>, head: &mut Vec<String>, t: &NewSessionTicket13) {
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
