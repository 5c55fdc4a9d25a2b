//! Mozilla TLS profiles in `tlsprobe scan` against real servers on 127.0.0.1: nginx with the
//! configuration Mozilla's generator gives for intermediate (nginx 1.22, OpenSSL 3.0) is
//! intermediate-compliant and not modern; an OpenSSL server that speaks only TLS 1.0 fits
//! only old. Every wait is bounded; all traffic is loopback.

mod common;
use common::*;

use tlsprobe::report::scan_render;
use tlsprobe::scan::profiles::ProfileResult;
use tlsprobe::scan::{ScanOptions, TargetReport};

fn scan_one(target: String, http: Option<bool>) -> TargetReport {
    let opts = ScanOptions {
        sni: Some("localhost".into()),
        http,
        ..scan_options(vec![target])
    };
    scan_report(&opts)
}

fn profile<'a>(r: &'a TargetReport, name: &str) -> &'a ProfileResult {
    r.profiles.iter().find(|p| p.name == name).unwrap()
}

fn has(p: &ProfileResult, deviation: &str) -> bool {
    p.deviations.iter().any(|d| d == deviation)
}

/// Mozilla's intermediate configuration for nginx 1.22.1 and OpenSSL 3.0
/// (ssl-config.mozilla.org, guidelines 5.8; X25519MLKEM768 left out as the generator does
/// before OpenSSL 3.5), with its HSTS header.
const INTERMEDIATE: &str = "ssl_protocols TLSv1.2 TLSv1.3;
ssl_ecdh_curve X25519:prime256v1:secp384r1;
ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
ssl_prefer_server_ciphers off;
ssl_session_timeout 1d;
ssl_session_cache shared:MozSSL:10m;
ssl_session_tickets off;";

const HSTS: &str =
    "add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;";

#[test]
fn nginx_with_mozillas_intermediate_config() {
    if !need_nginx() {
        return;
    }
    let dir = scratch();
    // RSA 2048, sha256WithRSAEncryption, 365 days: what intermediate allows.
    let pair = CertSpec::new(Key::Rsa, "localhost")
        .days(365)
        .ext("subjectAltName=DNS:localhost,IP:127.0.0.1")
        .self_signed(dir.path(), "rsa");
    let ng = nginx(&pair, INTERMEDIATE, &[HSTS, ""]);
    let r = scan_one(format!("127.0.0.1:{}", ng.ports[0]), Some(true));
    let i = profile(&r, "intermediate");
    assert!(i.compliant, "{:?}", i.deviations);
    assert!(i.deviations.is_empty());
    let m = profile(&r, "modern");
    assert!(!m.compliant);
    for d in [
        "TLS 1.2 supported",
        "cipher suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 supported (TLS 1.2)",
        "certificate type rsa (profile: ecdsa)",
        "certificate lifespan of 365 days (profile: at most 90)",
    ] {
        assert!(has(m, d), "modern lacks {d:?}: {:?}", m.deviations);
    }
    // TLS 1.3 suites and the groups are modern's too: no deviation about them.
    assert!(!m
        .deviations
        .iter()
        .any(|d| d.contains("TLS 1.3") || d.contains("group")));
    let o = profile(&r, "old");
    assert!(o.compliant, "{:?}", o.deviations);
    // What the scan could not see is said, not guessed.
    assert!(i.not_checked.iter().all(|n| !n.starts_with("HSTS")));

    // JSON and the human lines.
    let j = scan_render::to_json(&r);
    assert_eq!(j["profiles"]["intermediate"]["compliant"], true);
    assert_eq!(j["profiles"]["modern"]["compliant"], false);
    assert!(
        j["profiles"]["modern"]["deviations"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
    let human = scan_render::human(&r, false);
    assert!(human.contains("Mozilla TLS profiles (guidelines 5.8):"));
    assert!(human
        .lines()
        .any(|l| l.trim_start().starts_with("intermediate  compliant")));
    assert!(human.lines().any(|l| l
        .trim_start()
        .starts_with("modern        not compliant: TLS 1.2 supported")));

    // The same server without HSTS: intermediate no more (hsts_min_age); without --http the
    // HSTS rule is not checked at all.
    let r = scan_one(format!("127.0.0.1:{}", ng.ports[1]), Some(true));
    let i = profile(&r, "intermediate");
    assert!(!i.compliant);
    assert_eq!(
        i.deviations,
        vec!["no HSTS header (profile: max-age of at least 63072000)".to_string()]
    );
    let r = scan_one(format!("127.0.0.1:{}", ng.ports[1]), None);
    let i = profile(&r, "intermediate");
    assert!(i.compliant, "{:?}", i.deviations);
    assert!(i
        .not_checked
        .contains(&"HSTS (no HTTP request: use --http)".to_string()));
}

#[test]
fn a_tls10_only_openssl_server_fits_only_old() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = CertSpec::new(Key::Rsa, "localhost")
        .days(365)
        .ext("subjectAltName=DNS:localhost,IP:127.0.0.1")
        .self_signed(dir.path(), "rsa");
    let s = s_server_quiet(
        &pair,
        &[
            "-tls1",
            "-cipher",
            "ECDHE-RSA-AES128-SHA:@SECLEVEL=0",
            "-curves",
            "X25519:prime256v1:secp384r1",
        ],
    );
    let r = scan_one(format!("127.0.0.1:{}", s.port), None);
    let m = profile(&r, "modern");
    let i = profile(&r, "intermediate");
    let o = profile(&r, "old");
    assert!(has(m, "TLS 1.0 supported"), "{:?}", m.deviations);
    assert!(has(i, "TLS 1.0 supported"), "{:?}", i.deviations);
    assert!(
        has(
            i,
            "cipher suite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA supported (TLS 1.0)"
        ),
        "{:?}",
        i.deviations
    );
    assert!(!m.compliant && !i.compliant);
    assert!(o.compliant, "{:?}", o.deviations);
    assert!(o
        .not_checked
        .contains(&"HSTS (no HTTP request: use --http)".to_string()));
}
