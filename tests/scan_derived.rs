//! The derived vulnerability checks (lucky13, sweet32, freak, logjam, beast) against real
//! peers on 127.0.0.1: gnutls-serv with 3DES in TLS 1.0 (OpenSSL 3 here has no 3DES suites),
//! openssl s_server with AEAD only, and tests/support/export_server.py, a raw TLS 1.0 server
//! answering RSA_EXPORT or DHE_EXPORT suites (gone from OpenSSL 3). Each check is seen
//! `vulnerable` on one and not on another. Servers are stopped by their guards.

mod common;
use common::{
    gnutls_serv, need_gnutls, need_openssl, need_python, python, s_server_quiet, scan_bin, scratch,
    self_signed, Key,
};

/// `tlsprobe scan TARGET --json`, as JSON.
fn scan(target: &str) -> serde_json::Value {
    scan_bin(target, &[])
}

fn verdict(r: &serde_json::Value, id: &str) -> String {
    r["vulnerabilities"][id]
        .as_str()
        .unwrap_or("missing")
        .to_string()
}

fn has_finding(r: &serde_json::Value, id: &str) -> bool {
    let n = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .count();
    assert!(n <= 1, "{n} findings {id}: one finding per problem\n{r}");
    n == 1
}

/// Asserts each `(check, verdict)` and that exactly the vulnerable ones are findings.
fn expect(r: &serde_json::Value, want: &[(&str, &str)]) {
    for (id, v) in want {
        assert_eq!(verdict(r, id), *v, "{id} in {r}");
        assert_eq!(
            has_finding(r, id),
            *v == "vulnerable",
            "{id} finding in {r}"
        );
    }
    assert!(r["connections"].as_u64().unwrap() <= 100, "{r}");
}

#[test]
fn gnutls_3des_in_tls1_0_is_sweet32_beast_and_lucky13() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let dir = scratch();
    let gnutls_pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let prio = "NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.2:-CIPHER-ALL:+3DES-CBC:+AES-128-GCM:-KX-ALL:+RSA:+ECDHE-RSA";
    let srv = gnutls_serv(&gnutls_pair, &["--priority", prio, "--quiet"]);
    let r = scan(&format!("127.0.0.1:{}", srv.port));
    expect(
        &r,
        &[
            ("sweet32", "vulnerable"),
            ("beast", "vulnerable"),
            ("lucky13", "vulnerable"),
            ("freak", "not_vulnerable"),
            ("logjam", "not_vulnerable"),
        ],
    );
    // The old finding ids are gone: one finding per problem.
    assert!(
        !has_finding(&r, "3des") && !has_finding(&r, "cbc_tls1_0"),
        "{r}"
    );
}

#[test]
fn openssl_aead_only_is_clean() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let c = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let srv = s_server_quiet(
        &c,
        &[
            "-no_tls1_3",
            "-cipher",
            "ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256",
        ],
    );
    let r = scan(&format!("127.0.0.1:{}", srv.port));
    expect(
        &r,
        &[
            ("sweet32", "not_vulnerable"),
            ("lucky13", "not_vulnerable"),
            ("freak", "not_vulnerable"),
            ("logjam", "not_vulnerable"),
            ("beast", "not_applicable"),
        ],
    );
    assert_eq!(
        r["vulnerabilities_reasons"]["beast"],
        "not applicable: no SSL 3.0 or TLS 1.0"
    );
}

#[test]
fn export_server_is_freak_or_logjam() {
    if !need_python() || !need_openssl() {
        return;
    }
    let dir = scratch();
    let c = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let cert = c.cert.to_str().unwrap();
    for (mode, vulnerable, clean) in [("freak", "freak", "logjam"), ("logjam", "logjam", "freak")] {
        let srv = python("export_server.py", &[mode, cert]);
        let r = scan(&format!("127.0.0.1:{}", srv.port));
        expect(&r, &[(vulnerable, "vulnerable"), (clean, "not_vulnerable")]);
        let detail = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == vulnerable)
            .unwrap()["detail"]
            .to_string();
        assert!(detail.contains("_EXPORT_"), "{detail}");
        if mode == "logjam" {
            assert!(detail.contains("512-bit"), "{detail}");
        }
    }
}
