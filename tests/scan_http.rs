//! `tlsprobe scan`'s HTTP GET and the breach check against real servers on 127.0.0.1: nginx
//! (HSTS variants, gzip on and off), `openssl s_server -www`, and a scripted python server
//! for what real servers do not do (brotli, repeated or invalid HSTS, an endless or missing
//! head, a non-HTTP answer). Every wait is bounded; all traffic is loopback.

mod common;
use common::*;

use std::time::Duration;

use serde_json::json;
use tlsprobe::report::scan_render;
use tlsprobe::scan::findings::Severity;
use tlsprobe::scan::vulns::Verdict;
use tlsprobe::scan::{ScanOptions, TargetReport};

fn rsa_cert(dir: &std::path::Path) -> CertPair {
    CertSpec::new(Key::Rsa, "localhost")
        .days(365)
        .ext("subjectAltName=DNS:localhost,IP:127.0.0.1")
        .self_signed(dir, "rsa")
}

/// Scans `targets` with `--http` set to `http`, returns the reports in input order.
fn scan_with(targets: &[String], http: Option<bool>, timeout: u64) -> Vec<TargetReport> {
    let opts = ScanOptions {
        timeout: Duration::from_secs(timeout),
        sni: Some("localhost".into()),
        http,
        ..scan_options(targets.to_vec())
    };
    scan_reports(&opts, SCAN_BUDGET)
}

fn breach(r: &TargetReport) -> (Verdict, Option<String>) {
    let c = r.vulnerabilities.iter().find(|c| c.id == "breach").unwrap();
    (c.verdict, c.reason.clone())
}

fn finding(r: &TargetReport, id: &str) -> Option<Severity> {
    r.findings.iter().find(|f| f.id == id).map(|f| f.severity)
}

fn targets(ports: &[u16]) -> Vec<String> {
    ports.iter().map(|p| format!("127.0.0.1:{p}")).collect()
}

const HSTS_2Y: &str =
    "add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;";

#[test]
fn nginx_hsts_server_and_compression() {
    if !need_nginx() {
        return;
    }
    let dir = scratch();
    let pair = rsa_cert(dir.path());
    let ng = nginx(
        &pair,
        "",
        &[
            &format!("gzip on; gzip_types text/html; gzip_min_length 0; {HSTS_2Y}"),
            "gzip off; add_header Strict-Transport-Security \"max-age=300; Preload\" always;",
            "gzip off; server_tokens off;",
            "gzip off; add_header Strict-Transport-Security \"max-age=abc\" always;",
        ],
    );
    let r = scan_with(&targets(&ng.ports), Some(true), 5);

    // gzip and two years of HSTS: BREACH exposure, no HSTS finding.
    let h = r[0].http.as_ref().unwrap();
    assert_eq!(h.status, Some(200));
    assert!(h.server.as_deref().unwrap().starts_with("nginx/"), "{h:?}");
    assert_eq!(
        scan_render::to_json(&r[0])["http"],
        json!({"status": 200,
               "hsts": {"max_age": 63072000, "include_subdomains": true, "preload": false},
               "server": h.server, "compression": "gzip"})
    );
    assert_eq!(breach(&r[0]).0, Verdict::Vulnerable);
    assert_eq!(finding(&r[0], "breach"), Some(Severity::Medium));
    assert_eq!(finding(&r[0], "no_hsts"), None);
    assert_eq!(finding(&r[0], "hsts_short_max_age"), None);
    assert!(scan_render::human(&r[0], false).contains("HTTP (GET /): status 200"));

    // No compression: not vulnerable; a five-minute HSTS is short (info); preload in any case.
    let h = r[1].http.as_ref().unwrap();
    assert_eq!(h.compression, None);
    let x = h.hsts.as_ref().unwrap();
    assert_eq!(
        (x.max_age, x.include_subdomains, x.preload),
        (300, false, true)
    );
    assert_eq!(breach(&r[1]), (Verdict::NotVulnerable, None));
    assert_eq!(finding(&r[1], "hsts_short_max_age"), Some(Severity::Info));
    assert_eq!(finding(&r[1], "breach"), None);

    // No HSTS at all: a low finding; server_tokens off names nginx without its version.
    let h = r[2].http.as_ref().unwrap();
    assert_eq!(
        (h.hsts.as_ref(), h.server.as_deref()),
        (None, Some("nginx"))
    );
    assert_eq!(finding(&r[2], "no_hsts"), Some(Severity::Low));

    // An invalid HSTS field counts as none, with a note saying why.
    assert_eq!(r[3].http.as_ref().unwrap().hsts, None);
    assert_eq!(finding(&r[3], "no_hsts"), Some(Severity::Low));
    assert!(
        r[3].notes
            .iter()
            .any(|n| n.contains("Strict-Transport-Security header is invalid")),
        "{:?}",
        r[3].notes
    );
}

#[test]
fn off_by_default_on_other_ports_and_the_flags() {
    if !need_nginx() {
        return;
    }
    let dir = scratch();
    let pair = rsa_cert(dir.path());
    let ng = nginx(&pair, "", &[&format!("gzip on; {HSTS_2Y}")]);
    let t = targets(&ng.ports);
    let r = scan_with(&t, None, 5);
    assert!(r[0].http.is_none());
    assert_eq!(
        breach(&r[0]),
        (
            Verdict::Unknown,
            Some("not tested: not an HTTP service (use --http)".into())
        )
    );
    let j = scan_render::to_json(&r[0]);
    assert_eq!(j["http"], json!(null));
    assert_eq!(
        j["vulnerabilities_reasons"]["breach"],
        json!("not tested: not an HTTP service (use --http)")
    );
    assert!(j["profiles"]["intermediate"]["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().starts_with("HSTS")));

    // The command line: --http asks on any port; --http with --no-http is a usage error.
    let (code, out, err) = probe(&[
        "scan",
        &t[0],
        "--http",
        "--json",
        "--sni",
        "localhost",
        "--timeout",
        "5",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(j["http"]["compression"], json!("gzip"));
    assert_eq!(j["vulnerabilities"]["breach"], json!("vulnerable"));
    let (code, _, err) = probe(&["scan", &t[0], "--http", "--no-http"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = probe(&["scan", &t[0], "--no-http", "--json", "--timeout", "5"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"http\":null"));
}

#[test]
fn openssl_www_is_http_without_hsts_or_compression() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = rsa_cert(dir.path());
    let s = s_server(&pair, &["-www"], None);
    let r = scan_with(&targets(&[s.port]), Some(true), 5);
    let h = r[0].http.as_ref().unwrap();
    assert_eq!(h.status, Some(200));
    assert_eq!((h.server.as_ref(), h.compression.as_ref()), (None, None));
    assert_eq!(h.hsts, None);
    assert_eq!(breach(&r[0]).0, Verdict::NotVulnerable);
    assert_eq!(finding(&r[0], "no_hsts"), Some(Severity::Low));
}

/// The scripted server's answer in each mode, scanned with a 3 s timeout.
fn scripted(mode: &str, pair: &CertPair) -> TargetReport {
    let srv = python(
        "http_peer.py",
        &[
            mode,
            pair.cert.to_str().unwrap(),
            pair.key.to_str().unwrap(),
        ],
    );
    let mut r = scan_with(&targets(&[srv.port]), Some(true), 3);
    r.pop().unwrap()
}

#[test]
fn scripted_answers_give_clear_results() {
    if !need_python() {
        return;
    }
    let dir = scratch();
    let pair = rsa_cert(dir.path());

    // Brotli counts as compression; of two HSTS fields only the first counts (RFC 6797 §8.1);
    // the final answer is read after an interim 103 (RFC 9110 §15.2).
    let r = scripted("br", &pair);
    let h = r.http.as_ref().unwrap();
    assert_eq!(h.status, Some(200), "the interim 103 is skipped");
    assert_eq!(h.compression.as_deref(), Some("br"));
    assert_eq!(h.server.as_deref(), Some("py-peer"));
    assert_eq!(h.hsts.as_ref().map(|x| x.max_age), Some(600));
    assert_eq!(breach(&r).0, Verdict::Vulnerable);

    let r = scripted("badsts", &pair);
    assert_eq!(r.http.as_ref().unwrap().status, Some(404));
    assert_eq!(r.http.as_ref().unwrap().hsts, None);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("unterminated quoted string")),
        "{:?}",
        r.notes
    );

    // Failures: no status, a note saying why, breach unknown, never a failed target.
    for (mode, why) in [
        ("huge", "longer than 64 KiB"),
        ("garbage", "not an HTTP/1.x status line"),
        ("close", "closed the connection without an answer"),
        ("silent", "no answer within 3.0 s"),
    ] {
        let r = scripted(mode, &pair);
        assert_eq!(r.http.as_ref().unwrap().status, None, "{mode}");
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("HTTP: ") && n.contains(why)),
            "{mode}: {:?}",
            r.notes
        );
        let (v, reason) = breach(&r);
        assert_eq!(v, Verdict::Unknown, "{mode}");
        assert!(reason.unwrap().starts_with("unknown: "), "{mode}");
        assert_eq!(finding(&r, "no_hsts"), None, "{mode}");
    }
}
