//! The summary and closing facts of a saved transcript rebuilt from their JSON (cli.md
//! "JSON output": `summary`, `closed`), and the code points they name read back from the
//! names `report::json` wrote (`unknown(0x..)` for values without a name).

use serde_json::Value;

use crate::crypto::dh_groups::KNOWN;
use crate::error::Alert;
use crate::event::{CertIdentity, CloseReason, Closed, Dir, EarlyData, Summary};
use crate::handshake::psk::{PskKind, PskUse};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme};
use crate::wire::suites::CipherSuite;

/// The value inside `unknown(0x1234)` or `GREASE(0x0a0a)`, as written for unnamed code points.
pub(super) fn unnamed(s: &str) -> Option<u32> {
    let inner = s
        .strip_prefix("unknown(")
        .or_else(|| s.strip_prefix("GREASE("))?
        .strip_suffix(')')?;
    match inner.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => inner.parse().ok(),
    }
}

/// A u16 code point from its name or its `unknown(0x..)` form.
fn code16<T>(s: &str, from_name: fn(&str) -> Option<T>, make: fn(u16) -> T) -> Option<T> {
    from_name(s).or_else(|| unnamed(s).and_then(|v| u16::try_from(v).ok()).map(make))
}

pub(super) fn version(s: &str) -> Option<ProtocolVersion> {
    code16(s, ProtocolVersion::from_name, ProtocolVersion)
}

fn suite(s: &str) -> Option<CipherSuite> {
    CipherSuite::parse_user(s).or_else(|| {
        unnamed(s)
            .and_then(|v| u16::try_from(v).ok())
            .map(CipherSuite)
    })
}

/// An alert by its RFC name (`decode_error`) or `unknown(NN)`.
pub(super) fn alert(s: &str) -> Option<Alert> {
    (0..=255u8).map(Alert::from_u8).find(|a| a.name() == s)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

/// The group as the summary names it: a NamedGroup, a well-known DHE prime (`modp_2048`),
/// else (with `dh_bits`) "DH N bits".
fn put_group(s: &mut Summary, name: Option<String>) {
    let Some(name) = name else { return };
    if let Some(g) = code16(&name, NamedGroup::from_name, NamedGroup) {
        s.group = Some(g);
    } else if let Some(k) = KNOWN.iter().find(|k| k.name == name) {
        s.dh_group = Some(k.name);
    }
}

fn psk(v: &Value) -> Option<PskUse> {
    let kind = match v.get("kind")?.as_str()? {
        "external" => PskKind::External,
        "resumption" => PskKind::Resumption,
        _ => return None,
    };
    Some(PskUse {
        kind,
        identity: text(v, "identity"),
        mode: v
            .get("mode")
            .and_then(Value::as_str)
            .and_then(PskKeyExchangeMode::from_name),
    })
}

/// The `summary` event: what the JSON names, read back (a name this version does not know
/// shows as "-", as an unknown value would live).
pub(super) fn summary(v: &Value) -> Summary {
    let mut s = Summary {
        version: v.get("version").and_then(Value::as_str).and_then(version),
        cipher_suite: v
            .get("cipher_suite")
            .and_then(Value::as_str)
            .and_then(suite),
        signature_scheme: v
            .get("signature_scheme")
            .and_then(Value::as_str)
            .and_then(|n| code16(n, SignatureScheme::from_name, SignatureScheme)),
        alpn: text(v, "alpn"),
        resumed: flag(v, "resumed").unwrap_or(false),
        verified: flag(v, "verified"),
        sni: text(v, "sni"),
        extended_master_secret: flag(v, "extended_master_secret"),
        secure_renegotiation: flag(v, "secure_renegotiation"),
        session_ticket: flag(v, "session_ticket").unwrap_or(false),
        dh_bits: v
            .get("dh_bits")
            .and_then(Value::as_u64)
            .and_then(|b| u32::try_from(b).ok()),
        client_certificate: v.get("client_certificate").and_then(|c| {
            Some(CertIdentity {
                subject: text(c, "subject")?,
                key: text(c, "key").unwrap_or_default(),
            })
        }),
        early_data: match v.get("early_data").and_then(Value::as_str) {
            Some("accepted") => Some(EarlyData::Accepted),
            Some("rejected") => Some(EarlyData::Rejected),
            _ => None,
        },
        psk: v.get("psk").and_then(psk),
        ..Summary::default()
    };
    put_group(&mut s, text(v, "group"));
    s
}

fn reason(s: &str) -> CloseReason {
    match s {
        "close_notify_sent" => CloseReason::CloseNotifySent,
        "close_notify_received" => CloseReason::CloseNotifyReceived,
        "tcp_close" => CloseReason::TcpClose,
        "alert" => CloseReason::Alert,
        "verify_failed" => CloseReason::VerifyFailed,
        _ => CloseReason::Error,
    }
}

/// The `closed` event read back.
pub(super) fn closed(v: &Value) -> Closed {
    let count = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    let alert = v.get("alert").and_then(|a| {
        let dir = match a.get("dir")?.as_str()? {
            "in" => Dir::In,
            _ => Dir::Out,
        };
        Some((dir, alert(a.get("description")?.as_str()?)?))
    });
    Closed {
        reason: reason(v.get("reason").and_then(Value::as_str).unwrap_or("error")),
        detail: text(v, "detail").unwrap_or_default(),
        established: flag(v, "established").unwrap_or(false),
        close_notify_sent: flag(v, "close_notify_sent").unwrap_or(false),
        close_notify_received: flag(v, "close_notify_received").unwrap_or(false),
        alert,
        tickets: u32::try_from(count("tickets")).unwrap_or(u32::MAX),
        app_bytes_sent: count("app_bytes_sent"),
        app_bytes_received: count("app_bytes_received"),
    }
}
