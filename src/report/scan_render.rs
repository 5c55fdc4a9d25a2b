//! Rendering of scan reports: one JSON object per target (the shape documented in
//! docs/cli.md) and a human-readable table by protocol version with colour by strength.

mod http_profiles;
mod vulnerabilities;

use colored::Colorize;
use serde_json::{json, Value};

use std::fmt::Write;

use crate::scan::trust::ChainInfo;
use crate::scan::{kx_groups, Features, Severity, TargetReport};
use crate::wire::suites::{CipherSuite, Strength};

fn suite_name(s: CipherSuite) -> String {
    s.name()
        .map(str::to_string)
        .unwrap_or_else(|| format!("0x{:04x}", s.0))
}

/// The report as the JSON object of `scan --json` (one line per target).
pub fn to_json(r: &TargetReport) -> Value {
    let f = &r.features;
    json!({
        "target": r.target,
        "ip": r.ip,
        "sni": r.sni,
        "protocols": r.protocols.iter().map(|p| json!({
            "version": p.version.to_string(),
            "supported": p.supported,
            "server_order": p.server_order,
            "cipher_suites": p.cipher_suites.iter().map(|s| suite_name(*s)).collect::<Vec<_>>(),
            "groups": kx_groups::of_version(r, p.version).and_then(|g| g.groups.as_ref()).map(|l| l.iter().map(|g| g.to_string()).collect::<Vec<_>>()),
            "suite_groups": kx_groups::of_version(r, p.version).map(|g| g.suite_groups.iter().map(|(s, n)| (suite_name(*s), Value::from(n.as_str()))).collect::<serde_json::Map<String, Value>>()).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "groups": r.groups.iter().map(|g| g.to_string()).collect::<Vec<_>>(),
        "groups_server_order": r.groups_server_order,
        "signature_algorithms": r.signature_algorithms.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "features": {
            "extended_master_secret": f.extended_master_secret,
            "secure_renegotiation": f.secure_renegotiation,
            "session_ticket": f.session_ticket,
            "compression": f.compression,
            "fallback_scsv": f.fallback_scsv,
            "ocsp_stapling": f.ocsp_stapling,
            "alpn": f.alpn,
            "heartbeat": f.heartbeat,
            "encrypt_then_mac": f.encrypt_then_mac,
            "session_id_resumption": f.session_id_resumption,
        },
        "features_unknown": f.unknown.iter().map(|(k, r)| (k.clone(), Value::from(r.as_str()))).collect::<serde_json::Map<String, Value>>(),
        "certificates": r.certificates.iter().map(|c| json!({
            "subject": c.subject,
            "issuer": c.issuer,
            "not_after": c.not_after,
            "key": c.key,
            "sha256": c.sha256,
            "signature_algorithm": c.signature_algorithm,
            "names": c.names,
        })).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(|x| json!({
            "id": x.id,
            "severity": x.severity.as_str(),
            "detail": x.detail,
        })).collect::<Vec<_>>(),
        "dh": r.dh.as_ref().map(|d| json!({"bits": d.bits, "group": d.group})),
        "chain": r.chain.as_ref().map(chain_json),
        "client_auth": r.client_auth.as_ref().map(|a| json!({
            "mode": a.mode.as_str(),
            "ca_names": a.ca_names,
            "signature_algorithms": a.signature_algorithms,
        })),
        "http": r.http.as_ref().map(|h| json!({
            "status": h.status,
            "hsts": h.hsts.as_ref().map(|x| json!({
                "max_age": x.max_age,
                "include_subdomains": x.include_subdomains,
                "preload": x.preload,
            })),
            "server": h.server,
            "compression": h.compression,
        })),
        "profiles": r.profiles.iter().map(|p| (p.name.to_string(), json!({
            "compliant": p.compliant,
            "deviations": p.deviations,
            "not_checked": p.not_checked,
        }))).collect::<serde_json::Map<String, Value>>(),
        "vulnerabilities": r.vulnerabilities.iter().map(|c| (c.id.to_string(), Value::from(c.verdict.as_str()))).collect::<serde_json::Map<String, Value>>(),
        "vulnerabilities_reasons": r.vulnerabilities.iter().filter_map(|c| c.reason.as_ref().map(|w| (c.id.to_string(), Value::from(w.as_str())))).collect::<serde_json::Map<String, Value>>(),
        "notes": r.notes,
        "connections": r.connections,
        "elapsed_ms": r.elapsed_ms,
        "error": r.error,
    })
}

/// The `chain` object: trust, completeness, order, the OCSP staple and the SCTs.
fn chain_json(c: &ChainInfo) -> Value {
    json!({
        "trusted": c.trusted,
        "errors": c.errors,
        "complete": c.complete,
        "order_ok": c.order_ok,
        "details": c.details,
        "anchors": c.anchors,
        "sent": c.sent,
        "ocsp_staple": c.ocsp.as_ref().map(|o| json!({
            "status": o.status,
            "detail": o.detail,
            "this_update": o.this_update,
            "next_update": o.next_update,
        })),
        "sct": {"count": c.sct.count, "sources": c.sct.sources},
    })
}

fn paint(s: &str, strength: Option<Strength>, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    match strength {
        Some(Strength::Strong) => s.green().to_string(),
        Some(Strength::Weak) => s.yellow().to_string(),
        Some(Strength::Insecure) => s.red().bold().to_string(),
        None => s.to_string(),
    }
}

fn yes_no(v: Option<bool>, good: bool, color: bool) -> String {
    let (text, ok) = match v {
        Some(true) => ("yes", good),
        Some(false) => ("no", !good),
        None => ("unknown", true),
    };
    if !color || v.is_none() {
        text.to_string()
    } else if ok {
        text.green().to_string()
    } else {
        text.red().to_string()
    }
}

fn sev(s: Severity, color: bool) -> String {
    let t = format!("[{}]", s.as_str().to_ascii_uppercase());
    if !color {
        return t;
    }
    match s {
        Severity::Critical | Severity::High => t.red().bold().to_string(),
        Severity::Medium => t.yellow().to_string(),
        Severity::Low => t.cyan().to_string(),
        Severity::Info => t.normal().to_string(),
    }
}

/// A human-readable report (several lines, ending with a newline).
pub fn human(r: &TargetReport, color: bool) -> String {
    let mut o = String::new();
    let head = format!("Scan of {}", r.target);
    let _ = write!(o, "{}", if color { head.bold().to_string() } else { head });
    if let Some(ip) = &r.ip {
        let _ = write!(o, " ({ip})");
    }
    let _ = writeln!(o, ", SNI: {}", r.sni.as_deref().unwrap_or("none"));
    if let Some(e) = &r.error {
        let msg = format!("  error: {e}");
        let _ = writeln!(o, "{}", if color { msg.red().to_string() } else { msg });
        let _ = writeln!(o, "  {} connections in {} ms", r.connections, r.elapsed_ms);
        return o;
    }
    human_protocols(&mut o, r, color);
    human_groups_and_schemes(&mut o, r);
    human_kx(&mut o, r);
    human_features(&mut o, &r.features, color);
    human_certificates(&mut o, r);
    if let Some(c) = &r.chain {
        human_chain(&mut o, c);
    }
    http_profiles::human(&mut o, r, color);
    vulnerabilities::human(&mut o, &r.vulnerabilities, color);
    if !r.findings.is_empty() {
        let _ = writeln!(o, "\nFindings:");
        for x in &r.findings {
            let _ = writeln!(o, "  {} {}: {}", sev(x.severity, color), x.id, x.detail);
        }
    }
    for n in &r.notes {
        let _ = writeln!(o, "note: {n}");
    }
    let _ = writeln!(o, "\n{} connections in {} ms", r.connections, r.elapsed_ms);
    o
}

/// Each version: supported or not, the order the server follows, and its suites by strength.
fn human_protocols(o: &mut String, r: &TargetReport, color: bool) {
    let _ = writeln!(o, "\nProtocols and cipher suites:");
    for p in &r.protocols {
        if !p.supported {
            let _ = writeln!(o, "  {:<8} not supported", p.version.to_string());
            continue;
        }
        let order = match p.server_order {
            Some(true) => "server enforces its order (listed in the server's preference)",
            Some(false) => "server follows the client's order (listed in scanner order)",
            None => "order not determined",
        };
        let _ = writeln!(
            o,
            "  {:<8} supported, {} suites; {order}",
            p.version.to_string(),
            p.cipher_suites.len()
        );
        for s in &p.cipher_suites {
            let info = s.info();
            let label = match info.map(|i| i.strength) {
                Some(Strength::Strong) => "strong",
                Some(Strength::Weak) => "weak",
                Some(Strength::Insecure) => "insecure",
                None => "unknown",
            };
            let line = format!("{:<52} {label}", suite_name(*s));
            let _ = writeln!(o, "    {}", paint(&line, info.map(|i| i.strength), color));
        }
    }
}

/// The groups (with the order the server follows) and the TLS 1.2 signature algorithms.
fn human_groups_and_schemes(o: &mut String, r: &TargetReport) {
    let gorder = match r.groups_server_order {
        Some(true) => " (server enforces its order)",
        Some(false) => " (server follows the client's order)",
        None => "",
    };
    let names = |v: Vec<String>| {
        if v.is_empty() {
            "none found".to_string()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(
        o,
        "\nGroups: {}{gorder}",
        names(r.groups.iter().map(|g| g.to_string()).collect())
    );
    let _ = writeln!(
        o,
        "Signature algorithms (TLS 1.2): {}",
        names(
            r.signature_algorithms
                .iter()
                .map(|g| g.to_string())
                .collect()
        )
    );
}

/// Per-version groups, the weakest DHE group and the client-certificate demands.
fn human_kx(o: &mut String, r: &TargetReport) {
    for g in &r.version_groups {
        if let (Some(v), Some(list)) = (g.version, &g.groups) {
            let names: Vec<String> = list.iter().map(|g| g.to_string()).collect();
            let names = if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            };
            let _ = writeln!(o, "Groups ({v}): {names}");
        }
    }
    if let Some(d) = &r.dh {
        let what = match d.source {
            Some(src) => format!("{} ({src})", d.group),
            None => "custom prime".to_string(),
        };
        let _ = writeln!(o, "DHE: weakest group {} bits, {what}", d.bits);
    }
    if let Some(a) = &r.client_auth {
        let _ = write!(o, "\nClient certificates: {}", a.mode.as_str());
        if a.mode != crate::scan::client_auth::ClientAuthMode::None {
            let cas = if a.ca_names.is_empty() {
                "any".to_string()
            } else {
                a.ca_names.join("; ")
            };
            let _ = write!(o, "\n  accepted CAs          {cas}");
            let _ = write!(
                o,
                "\n  signature algorithms  {}",
                a.signature_algorithms.join(", ")
            );
        }
        let _ = writeln!(o);
    }
}

/// The feature table: yes/no (coloured good or bad) per feature, then ALPN.
fn human_features(o: &mut String, f: &Features, color: bool) {
    let _ = writeln!(o, "\nFeatures:");
    let rows: [(&str, &str, Option<bool>, bool); 9] = [
        (
            "extended master secret",
            "extended_master_secret",
            f.extended_master_secret,
            true,
        ),
        (
            "secure renegotiation",
            "secure_renegotiation",
            f.secure_renegotiation,
            true,
        ),
        ("session tickets", "session_ticket", f.session_ticket, true),
        (
            "session-id resumption",
            "session_id_resumption",
            f.session_id_resumption,
            true,
        ),
        ("TLS_FALLBACK_SCSV", "fallback_scsv", f.fallback_scsv, true),
        ("compression", "compression", f.compression, false),
        ("OCSP stapling", "ocsp_stapling", f.ocsp_stapling, true),
        ("heartbeat", "heartbeat", f.heartbeat, false),
        (
            "encrypt_then_mac",
            "encrypt_then_mac",
            f.encrypt_then_mac,
            true,
        ),
    ];
    // An unknown value shows why (features_unknown in JSON).
    let why = |key: &str| {
        f.unknown
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, r)| r.clone())
    };
    for (name, key, v, good) in rows {
        let text = match (v, why(key)) {
            (None, Some(reason)) => reason,
            _ => yes_no(v, good, color),
        };
        let _ = writeln!(o, "  {name:<24} {text}");
    }
    let alpn = match &f.alpn {
        Some(v) if v.is_empty() => "none".to_string(),
        Some(v) => v.join(", "),
        None => why("alpn").unwrap_or_else(|| "unknown".to_string()),
    };
    let _ = writeln!(o, "  {:<24} {alpn}", "ALPN");
}

/// The certificates the server sent, one block each.
fn human_certificates(o: &mut String, r: &TargetReport) {
    if r.certificates.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nCertificates:");
    for c in &r.certificates {
        let _ = writeln!(o, "  subject   {}", c.subject);
        let _ = writeln!(o, "  issuer    {}", c.issuer);
        let _ = writeln!(
            o,
            "  key       {}  signed with {}",
            c.key, c.signature_algorithm
        );
        let _ = writeln!(o, "  expires   {}", c.not_after);
        let _ = writeln!(o, "  names     {}", c.names.join(", "));
        let _ = writeln!(o, "  sha256    {}\n", c.sha256);
    }
}

/// The chain's verdict, its OCSP staple and SCTs.
fn human_chain(o: &mut String, c: &ChainInfo) {
    let yes = |b: bool| if b { "yes" } else { "no" };
    let trusted = if c.trusted {
        "yes".to_string()
    } else {
        format!("no ({})", c.errors.join(", "))
    };
    if !o.ends_with("\n\n") {
        o.push('\n');
    }
    let _ = writeln!(o, "Chain ({}):", c.anchors);
    let _ = writeln!(o, "  trusted   {trusted}");
    for d in &c.details {
        let _ = writeln!(o, "            {d}");
    }
    let _ = writeln!(o, "  complete  {}", yes(c.complete));
    let _ = writeln!(
        o,
        "  in order  {}  ({})",
        yes(c.order_ok),
        c.sent.join(" / ")
    );
    let ocsp = match &c.ocsp {
        Some(s) => match &s.detail {
            Some(d) => format!("{} ({d})", s.status),
            None => s.status.to_string(),
        },
        None => "none".to_string(),
    };
    let _ = writeln!(o, "  OCSP      {ocsp}");
    let sct = match c.sct.count {
        0 => "none".to_string(),
        n => format!("{n} ({})", c.sct.sources.join(", ")),
    };
    let _ = writeln!(o, "  SCTs      {sct}");
}
