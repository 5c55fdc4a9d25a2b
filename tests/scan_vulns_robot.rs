//! The scan's `robot` and `poodle_tls` checks, proven both ways on 127.0.0.1: vulnerable
//! servers scripted with tlslite-ng (tests/support/robot_server.py: an RSA key exchange that
//! answers bad PKCS#1 paddings with its own alert, weak and strong; a record layer that checks
//! only the padding length) and real servers that are not (openssl s_server, gnutls-serv,
//! tlslite-ng unpatched). Every server is stopped by its guard; every wait is bounded.

mod common;
use common::{
    gnutls_serv, loopback_target, need_gnutls, need_openssl, need_python, need_sslyze,
    need_tlslite, python, run, s_server_quiet, scan_options, scan_report, scratch, self_signed,
    CertPair, Key, Server,
};

use std::process::Command;
use std::time::Duration;

use tlsprobe::report::scan_render;
use tlsprobe::scan::vulns::{Check, Verdict};
use tlsprobe::scan::{ScanOptions, Severity, TargetReport};
use tlsprobe::wire::codepoints::ProtocolVersion;

/// Scans one target (versions narrowed when given) and checks the bounds every scan keeps.
fn scan_port(port: u16, versions: &[ProtocolVersion]) -> TargetReport {
    let opts = ScanOptions {
        versions: versions.to_vec(),
        ..scan_options(vec![loopback_target(port)])
    };
    let r = scan_report(&opts);
    let j = scan_render::to_json(&r);
    for id in ["robot", "poodle_tls"] {
        let v = j["vulnerabilities"][id].as_str().unwrap();
        if v == "unknown" || v == "not_applicable" {
            assert!(
                j["vulnerabilities_reasons"][id]
                    .as_str()
                    .is_some_and(|w| w.starts_with(&format!("{}: ", v.replace('_', " ")))),
                "{j}"
            );
        }
    }
    r
}

fn check<'a>(r: &'a TargetReport, id: &str) -> &'a Check {
    r.vulnerabilities.iter().find(|c| c.id == id).unwrap()
}

fn assert_verdict(r: &TargetReport, id: &str, v: Verdict) {
    let c = check(r, id);
    assert_eq!(c.verdict, v, "{id}: {c:?}");
    let finding = r.findings.iter().find(|f| f.id == id);
    assert_eq!(
        finding.is_some(),
        v == Verdict::Vulnerable,
        "{id}: {finding:?}"
    );
    if let Some(f) = finding {
        assert_eq!(f.severity, Severity::High);
    }
}

fn rsa_cert() -> (tempfile::TempDir, CertPair) {
    let dir = scratch();
    let pair = self_signed(dir.path(), "rsa", Key::Rsa, "localhost");
    (dir, pair)
}

/// tests/support/robot_server.py in `mode`, for at most two minutes.
fn tlslite(pair: &CertPair, mode: &str) -> Server {
    python(
        "robot_server.py",
        &[
            pair.cert.to_str().unwrap(),
            pair.key.to_str().unwrap(),
            mode,
            "120",
        ],
    )
}

fn tlslite_ready() -> bool {
    need_python() && need_tlslite()
}

#[test]
fn robot_oracles_in_tlslite_are_vulnerable() {
    if !tlslite_ready() {
        return;
    }
    let (_d, pair) = rsa_cert();
    for (mode, strength) in [("weak", "a weak"), ("strong", "a strong")] {
        let srv = tlslite(&pair, mode);
        // TLS 1.2 only: tlslite-ng's many suites make a full scan long.
        let r = scan_port(srv.port, &[ProtocolVersion::TLS12]);
        assert_verdict(&r, "robot", Verdict::Vulnerable);
        let detail = &check(&r, "robot").finding.as_ref().unwrap().1;
        assert!(detail.contains(strength), "{detail}");
        assert!(
            detail.contains("wrong first bytes: illegal_parameter alert after the Finished"),
            "{detail}"
        );
        assert!(
            detail.contains("correct padding: bad_record_mac alert after the Finished"),
            "{detail}"
        );
    }
}

#[test]
fn robot_and_poodle_tls_in_plain_tlslite_are_not_vulnerable() {
    if !tlslite_ready() {
        return;
    }
    let (_d, pair) = rsa_cert();
    let srv = tlslite(&pair, "none");
    let r = scan_port(srv.port, &[ProtocolVersion::TLS12]);
    assert_verdict(&r, "robot", Verdict::NotVulnerable);
    assert_eq!(
        check(&r, "robot").reason.as_deref(),
        Some("the same reaction to all five paddings: bad_record_mac alert after the Finished, then close")
    );
    assert_verdict(&r, "poodle_tls", Verdict::NotVulnerable);
}

#[test]
fn poodle_tls_in_tlslite_ignoring_padding_bytes_is_vulnerable() {
    if !tlslite_ready() {
        return;
    }
    let (_d, pair) = rsa_cert();
    let srv = tlslite(&pair, "poodle");
    for v in [ProtocolVersion::TLS12, ProtocolVersion::TLS10] {
        let r = scan_port(srv.port, &[v]);
        assert_verdict(&r, "poodle_tls", Verdict::Vulnerable);
        let detail = &check(&r, "poodle_tls").finding.as_ref().unwrap().1;
        assert!(detail.contains(&format!("in {v} ")), "{detail}");
        assert!(detail.contains("answered with data"), "{detail}");
        // The patch touches only the padding check: no oracle in its key exchange.
        assert_verdict(&r, "robot", Verdict::NotVulnerable);
    }
}

#[test]
fn openssl_is_not_vulnerable() {
    if !need_openssl() {
        return;
    }
    let (_d, pair) = rsa_cert();
    // RSA key exchange and CBC accepted, beside the defaults.
    let srv = s_server_quiet(&pair, &["-cipher", "AES128-SHA:AES256-GCM-SHA384:DEFAULT"]);
    let r = scan_port(srv.port, &[]);
    assert_verdict(&r, "robot", Verdict::NotVulnerable);
    assert_verdict(&r, "poodle_tls", Verdict::NotVulnerable);
    assert_eq!(
        check(&r, "poodle_tls").reason.as_deref(),
        Some("bad_record_mac alert to a record with wrong padding bytes")
    );
    // TLS 1.0 with its implicit IVs too.
    let srv = s_server_quiet(&pair, &["-tls1", "-cipher", "AES128-SHA:@SECLEVEL=0"]);
    let r = scan_port(srv.port, &[]);
    let supported: Vec<_> = r
        .protocols
        .iter()
        .filter(|p| p.supported)
        .map(|p| p.version)
        .collect();
    assert_eq!(supported, [ProtocolVersion::TLS10]);
    assert_verdict(&r, "robot", Verdict::NotVulnerable);
    assert_verdict(&r, "poodle_tls", Verdict::NotVulnerable);
}

#[test]
fn without_rsa_key_exchange_or_cbc_not_applicable() {
    if !need_openssl() {
        return;
    }
    let (_d, pair) = rsa_cert();
    let srv = s_server_quiet(&pair, &["-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]);
    let r = scan_port(srv.port, &[]);
    for id in ["robot", "poodle_tls"] {
        assert_verdict(&r, id, Verdict::NotApplicable);
    }
    assert!(check(&r, "robot")
        .reason
        .as_deref()
        .unwrap()
        .contains("no RSA key-exchange"));
}

#[test]
fn gnutls_serv_is_not_vulnerable() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let (_dir, pair) = rsa_cert();
    let prio = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-128-GCM:-KX-ALL:+ECDHE-RSA:+RSA";
    let srv = gnutls_serv(&pair, &["--priority", prio, "--quiet"]);
    let r = scan_port(srv.port, &[]);
    assert_verdict(&r, "robot", Verdict::NotVulnerable);
    assert_verdict(&r, "poodle_tls", Verdict::NotVulnerable);
}

/// sslyze's ROBOT verdict (`python3 -m sslyze --robot`) for a server on 127.0.0.1, in our
/// words; it sends the name as SNI (tlslite-ng refuses an IP address there).
fn sslyze_robot(port: u16) -> String {
    let mut c = Command::new("python3");
    c.args([
        "-m",
        "sslyze",
        "--robot",
        &format!("localhost:{port}{{127.0.0.1}}"),
    ]);
    let out = run(c, b"", Duration::from_secs(60)).stdout;
    if out.contains("VULNERABLE - Weak oracle") {
        "weak".into()
    } else if out.contains("VULNERABLE - Strong oracle") {
        "strong".into()
    } else if out.contains("OK - Not vulnerable") {
        "not_vulnerable".into()
    } else {
        panic!("sslyze said: {out}")
    }
}

/// Ours, the same way.
fn our_robot(r: &TargetReport) -> String {
    let c = check(r, "robot");
    match (&c.verdict, &c.finding) {
        (Verdict::Vulnerable, Some((_, d))) if d.contains("a weak") => "weak".into(),
        (Verdict::Vulnerable, _) => "strong".into(),
        (v, _) => v.as_str().into(),
    }
}

/// The same ROBOT verdict as sslyze on each server (about 2.5 s of sslyze per server).
/// Skips with a message without sslyze (`pip install sslyze`).
#[test]
fn robot_agrees_with_sslyze() {
    if !(tlslite_ready() && need_openssl() && need_sslyze()) {
        return;
    }
    let (_d, pair) = rsa_cert();
    let mut servers: Vec<(&str, Server)> = ["weak", "strong", "none"]
        .into_iter()
        .map(|m| (m, tlslite(&pair, m)))
        .collect();
    servers.push((
        "openssl",
        s_server_quiet(&pair, &["-cipher", "AES128-SHA:AES256-GCM-SHA384:DEFAULT"]),
    ));
    for (name, srv) in &servers {
        let ours = our_robot(&scan_port(srv.port, &[ProtocolVersion::TLS12]));
        let theirs = sslyze_robot(srv.port);
        assert_eq!(ours, theirs, "{name}");
    }
}
