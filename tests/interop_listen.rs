//! `openssl s_client` and `curl` against `tlsprobe listen` over loopback: every suite × group
//! for each key type (one long-running listen per certificate), the self-signed certificate,
//! resumption, client authentication, the echo mode, `--once`, `--json` and a garbage client.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use common::*;
use serde_json::Value;

const T: Duration = Duration::from_secs(20);
const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

const TLS12_ECDSA: [&str; 3] = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
];
const TLS12_RSA: [&str; 5] = [
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-RSA-CHACHA20-POLY1305",
    "AES128-GCM-SHA256",
    "AES256-GCM-SHA384",
];
const TLS13: [&str; 3] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];
/// OpenSSL's group names and tlsprobe's.
const GROUPS: [(&str, &str); 3] = [
    ("X25519", "x25519"),
    ("P-256", "secp256r1"),
    ("P-384", "secp384r1"),
];

fn listen_with(pair: Option<&CertPair>, extra: &[&str]) -> Listen {
    let mut args: Vec<String> = vec![];
    if let Some(p) = pair {
        args.extend([
            "--cert".into(),
            p.cert.to_str().unwrap().into(),
            "--key".into(),
            p.key.to_str().unwrap().into(),
        ]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    listen(&a)
}

/// One s_client case against a running listen; the description of a failure, if any.
fn s_client_case(
    port: u16,
    key: Key,
    ca: &std::path::Path,
    tls: &str,
    cipher: &str,
    group: (&str, &str),
) -> Result<(), String> {
    // RFC 8422 5.1: in TLS 1.2 supported_groups also bounds the ECDSA certificate's curve
    // (OpenSSL enforces it: "wrong curve"), so the certificate's curve is offered after the
    // group under test. See `tls12_ecdsa_cert_curve_not_offered` for the strict case.
    let groups = match (key, tls) {
        (Key::P256, "1.2") if group.0 != "P-256" => format!("{}:P-256", group.0),
        (Key::P384, "1.2") if group.0 != "P-384" => format!("{}:P-384", group.0),
        _ => group.0.to_string(),
    };
    let mut args = vec![
        if tls == "1.3" { "-tls1_3" } else { "-tls1_2" },
        if tls == "1.3" {
            "-ciphersuites"
        } else {
            "-cipher"
        },
        cipher,
        "-groups",
        &groups,
        "-CAfile",
        ca.to_str().unwrap(),
        "-verify_return_error",
        "-verify_hostname",
        "localhost",
        "-servername",
        "localhost",
        "-ign_eof",
    ];
    if tls == "1.2" {
        // TLS 1.3 suites stay at their defaults; the TLS 1.2 list picks one.
        args.extend(["-ciphersuites", ""]);
        args.retain(|a| !a.is_empty());
        args.pop();
    }
    let d = s_client(port, &args, GET);
    let proto = if tls == "1.3" { "TLSv1.3" } else { "TLSv1.2" };
    let mut bad = vec![];
    if !d
        .stdout
        .contains(&format!("New, {proto}, Cipher is {cipher}"))
    {
        bad.push(format!("no 'New, {proto}, Cipher is {cipher}'"));
    }
    if !d.stdout.contains(&format!("Protocol  : {proto}")) {
        bad.push("no Protocol line".into());
    }
    if !d.stdout.contains("Verify return code: 0 (ok)") {
        bad.push("certificate did not verify".into());
    }
    if !d.stdout.contains("HTTP/1.0 200 OK") {
        bad.push("no HTTP page".into());
    }
    let version = if tls == "1.3" { "TLS 1.3" } else { "TLS 1.2" };
    let iana = tlsprobe_suite_name(cipher);
    if !d.stdout.contains(&format!("cipher suite:     {iana}")) {
        bad.push(format!("page does not say cipher suite {iana}"));
    }
    if !d.stdout.contains(&format!("version:          {version}")) {
        bad.push(format!("page does not say version {version}"));
    }
    let rsa_kx = cipher.starts_with("AES");
    // When the certificate's curve is offered too, the server's preference may pick it.
    let mut ok_groups = vec![group.1];
    if groups != group.0 {
        ok_groups.push(if key == Key::P256 {
            "secp256r1"
        } else {
            "secp384r1"
        });
    }
    if !rsa_kx
        && !ok_groups
            .iter()
            .any(|g| d.stdout.contains(&format!("group:            {g}\n")))
    {
        bad.push(format!("page does not say group {ok_groups:?}"));
    }
    if bad.is_empty() {
        Ok(())
    } else {
        let tail: String = d
            .stdout
            .lines()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .join(" | ");
        Err(format!(
            "{} (exit {:?}; stderr {}; stdout tail {tail})",
            bad.join("; "),
            d.code,
            d.stderr.trim()
        ))
    }
}

fn tlsprobe_suite_name(openssl: &str) -> String {
    match openssl {
        "ECDHE-ECDSA-AES128-GCM-SHA256" => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384" => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305" => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256" => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384" => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-RSA-CHACHA20-POLY1305" => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "AES128-GCM-SHA256" => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "AES256-GCM-SHA384" => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        other => other,
    }
    .to_string()
}

fn matrix(key: Key) {
    let pair = certs().leaf(key).clone();
    let mut l = listen_with(Some(&pair), &[]);
    let tls12: &[&str] = match key {
        Key::Rsa => &TLS12_RSA,
        Key::P256 | Key::P384 => &TLS12_ECDSA,
        // Ed25519 has no TLS 1.2 rows here; the issue 15 key types are tests/key_types.rs's.
        Key::Ed25519 | Key::RsaPss | Key::P521 | Key::Ed448 => &[],
    };
    let mut cases = vec![];
    for c in tls12 {
        for g in GROUPS {
            cases.push(("1.2", *c, g));
        }
    }
    for c in TLS13 {
        for g in GROUPS {
            cases.push(("1.3", c, g));
        }
    }
    let mut failures = vec![];
    for (tls, c, g) in &cases {
        if let Err(e) = s_client_case(l.port, key, &pair.cert, tls, c, *g) {
            failures.push(format!("{} TLS {tls} {c} {}: {e}", key.name(), g.0));
        }
    }
    assert!(
        l.proc.child.try_wait().unwrap().is_none(),
        "listen exited\n{}",
        l.proc.all()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(!l.proc.stderr().contains("panicked"));
    // Each connection's events are prefixed by its number.
    assert!(l.proc.stderr().contains("[#1] "), "{}", l.proc.all());
    assert!(
        l.proc.stderr().contains(&format!("[#{}] ", cases.len())),
        "{}",
        l.proc.all()
    );
}

#[test]
fn matrix_rsa() {
    matrix(Key::Rsa);
}

#[test]
fn matrix_p256() {
    matrix(Key::P256);
}

#[test]
fn matrix_p384() {
    matrix(Key::P384);
}

#[test]
fn matrix_ed25519_tls13() {
    matrix(Key::Ed25519);
}

/// RFC 8422 5.1/5.3: a TLS 1.2 server must not pick an ECDHE_ECDSA suite when its certificate's
/// curve is not in the client's supported_groups. With no other usable suite the handshake
/// ends with handshake_failure from the server (instead of the client aborting on the curve).
#[test]
fn tls12_ecdsa_cert_curve_not_offered() {
    let pair = certs().leaf(Key::P256).clone();
    let mut l = listen_with(Some(&pair), &[]);
    let d = s_client(
        l.port,
        &[
            "-tls1_2",
            "-cipher",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "-groups",
            "X25519",
            "-ign_eof",
        ],
        GET,
    );
    assert!(!d.stdout.contains("HTTP/1.0 200"), "{}", d.all());
    assert!(
        !d.stderr.contains("wrong curve"),
        "the server chose a certificate on a curve the client did not offer\n{}",
        d.all()
    );
    assert!(d.stderr.contains("alert handshake failure"), "{}", d.all());
    assert!(
        l.proc.wait_for("handshake_failure", Duration::from_secs(5)),
        "{}",
        l.proc.all()
    );
}

/// The first PEM certificate in s_client's output.
fn pem_from(out: &str) -> String {
    let b = out
        .find("-----BEGIN CERTIFICATE-----")
        .expect("no certificate");
    let e = out[b..].find("-----END CERTIFICATE-----").expect("no END") + b;
    format!("{}-----END CERTIFICATE-----\n", &out[b..e])
}

#[test]
fn self_signed_certificate() {
    let l = listen(&[]);
    assert!(l.proc.stderr().contains("self-signed"), "{}", l.proc.all());
    // Fetch the certificate; its SHA-256 fingerprint is the one listen printed.
    let d = s_client(l.port, &["-tls1_3", "-ign_eof"], GET);
    assert!(d.stdout.contains("New, TLSv1.3"), "{}", d.all());
    let dir = scratch();
    let pem = dir.path().join("listen.pem");
    std::fs::write(&pem, pem_from(&d.stdout)).unwrap();
    let fp = run(
        {
            let mut c = Command::new("openssl");
            c.args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
                .arg(&pem);
            c
        },
        b"",
        T,
    );
    let fp = fp.stdout.trim().rsplit('=').next().unwrap().to_string();
    assert_eq!(fp.len(), 95, "{fp}");
    // tlsprobe's one form: lowercase hex without colons.
    let fp = fp.replace(':', "").to_lowercase();
    assert!(
        l.proc.stderr().contains(&fp),
        "fingerprint {fp} not printed by listen\n{}",
        l.proc.all()
    );
    // It verifies for localhost and 127.0.0.1, and it is ECDSA P-256.
    for (check, name) in [
        ("-verify_hostname", "localhost"),
        ("-verify_ip", "127.0.0.1"),
    ] {
        let d = s_client(
            l.port,
            &[
                "-CAfile",
                pem.to_str().unwrap(),
                "-verify_return_error",
                check,
                name,
                "-ign_eof",
            ],
            GET,
        );
        assert!(
            d.stdout.contains("Verify return code: 0 (ok)"),
            "{name}: {}",
            d.all()
        );
        assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    }
    let d = s_client(
        l.port,
        &[
            "-tls1_2",
            "-cipher",
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "-ign_eof",
        ],
        GET,
    );
    assert!(
        d.stdout
            .contains("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"),
        "{}",
        d.all()
    );
    if need_curl() {
        let mut c = Command::new("curl");
        c.args(["-s", "--max-time", "10", "--cacert"])
            .arg(&pem)
            .arg("--resolve")
            .arg(format!("localhost:{}:127.0.0.1", l.port))
            .arg(format!("https://localhost:{}/", l.port));
        let d = run(c, b"", T);
        assert_eq!(d.code, Some(0), "{}", d.all());
        assert!(d.stdout.contains("tlsprobe listen"), "{}", d.all());
    }
}

#[test]
fn curl_gets_the_page() {
    if !need_curl() {
        return;
    }
    let pair = certs().leaf(Key::P256).clone();
    let l = listen_with(Some(&pair), &[]);
    let url_ip = format!("https://127.0.0.1:{}/", l.port);
    let d = run(
        {
            let mut c = Command::new("curl");
            c.args(["-sk", "--max-time", "10", &url_ip]);
            c
        },
        b"",
        T,
    );
    assert_eq!(d.code, Some(0), "{}", d.all());
    assert!(
        d.stdout.contains("tlsprobe listen: your TLS connection"),
        "{}",
        d.all()
    );
    assert!(
        d.stdout.contains("version:          TLS 1.3"),
        "{}",
        d.all()
    );
    // Verified with --cacert by name.
    for tls in ["--tlsv1.2 --tls-max 1.2", "--tlsv1.3"] {
        let mut c = Command::new("curl");
        c.args(["-s", "--max-time", "10", "--cacert"])
            .arg(&pair.cert)
            .args(tls.split(' '))
            .arg("--resolve")
            .arg(format!("localhost:{}:127.0.0.1", l.port))
            .arg(format!("https://localhost:{}/", l.port));
        let d = run(c, b"", T);
        assert_eq!(d.code, Some(0), "curl {tls}: {}", d.all());
        assert!(
            d.stdout.contains("server name:      localhost"),
            "{}",
            d.all()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Resumption

#[test]
fn resumption_tls13_sess_out_sess_in() {
    let l = listen(&[]);
    let dir = scratch();
    let sess = dir.path().join("sess.pem");
    let s = sess.to_str().unwrap();
    let d = s_client(l.port, &["-tls1_3", "-sess_out", s, "-ign_eof"], GET);
    assert!(d.stdout.contains("New, TLSv1.3"), "{}", d.all());
    assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    assert!(sess.exists(), "s_client saved no session\n{}", d.all());
    let d = s_client(l.port, &["-tls1_3", "-sess_in", s, "-ign_eof"], GET);
    assert!(d.stdout.contains("Reused, TLSv1.3"), "{}", d.all());
    assert!(d.stdout.contains("resumed:          yes"), "{}", d.all());
}

fn reconnect12(extra: &[&str]) {
    let l = listen(&[]);
    let mut args = vec!["-tls1_2", "-reconnect"];
    args.extend(extra);
    let d = s_client(l.port, &args, b"");
    // -reconnect: one full handshake, then five resumed ones.
    assert_eq!(d.stdout.matches("New, TLSv1.2").count(), 1, "{}", d.all());
    assert_eq!(
        d.stdout.matches("Reused, TLSv1.2").count(),
        5,
        "{}",
        d.all()
    );
}

#[test]
fn resumption_tls12_ticket() {
    reconnect12(&[]);
}

#[test]
fn resumption_tls12_session_id() {
    reconnect12(&["-no_ticket"]);
}

// ---------------------------------------------------------------------------------------------
// Client authentication

fn client_auth(tls: &str) {
    let c = certs();
    let l = listen_with(
        Some(c.leaf(Key::P256)),
        &[
            "--client-auth",
            "require",
            "--ca-file",
            c.ca.cert.to_str().unwrap(),
        ],
    );
    let flag = if tls == "1.3" { "-tls1_3" } else { "-tls1_2" };
    let d = s_client(
        l.port,
        &[
            flag,
            "-cert",
            c.client.cert.to_str().unwrap(),
            "-key",
            c.client.key.to_str().unwrap(),
            "-ign_eof",
        ],
        GET,
    );
    assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    assert!(
        d.stdout.contains("client cert:      CN=test client"),
        "{}",
        d.all()
    );
    // Without a certificate: refused with the alert RFC 8446 / 5246 ask for.
    let d = s_client(l.port, &[flag, "-ign_eof"], GET);
    assert!(!d.stdout.contains("HTTP/1.0 200"), "{}", d.all());
    let alert = if tls == "1.3" {
        "certificate required"
    } else {
        "handshake failure"
    };
    assert!(
        d.stderr.contains(&format!("alert {alert}")),
        "s_client should report the alert '{alert}'\n{}",
        d.all()
    );
    let want = if tls == "1.3" {
        "certificate_required"
    } else {
        "handshake_failure"
    };
    let mut p = l.proc;
    assert!(
        p.wait_for(want, Duration::from_secs(5)),
        "listen should report {want}\n{}",
        p.all()
    );
    // listen is still serving.
    assert!(p.child.try_wait().unwrap().is_none(), "{}", p.all());
}

#[test]
fn client_auth_tls13() {
    client_auth("1.3");
}

#[test]
fn client_auth_tls12() {
    client_auth("1.2");
}

// ---------------------------------------------------------------------------------------------
// Modes and options

#[test]
fn echo_mode_echoes() {
    let l = listen(&["--mode", "echo"]);
    let mut c = Command::new("openssl");
    c.arg("s_client")
        .arg("-connect")
        .arg(format!("127.0.0.1:{}", l.port))
        .arg("-quiet");
    let mut sc = Proc::spawn(c, "openssl s_client");
    sc.write_stdin(b"hello-echo-1\n");
    assert!(
        sc.wait_for("hello-echo-1", T),
        "no echo\n{}\n{}",
        sc.all(),
        l.proc.all()
    );
    sc.write_stdin(b"second-line\n");
    assert!(sc.wait_for("second-line", T), "{}", sc.all());
    // -quiet prints no trace, so stdout holds only what came back.
    assert_eq!(sc.stdout(), "hello-echo-1\nsecond-line\n");
}

#[test]
fn once_exits_after_one_connection() {
    let mut l = listen(&["--once"]);
    let d = s_client(l.port, &["-ign_eof"], GET);
    assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    let st = l
        .proc
        .wait_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("listen --once still running\n{}", l.proc.all()));
    assert_eq!(st.code(), Some(0), "{}", l.proc.all());
}

#[test]
fn once_with_a_failing_client_exits_1() {
    let mut l = listen(&["--once"]);
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let mut buf = vec![];
    let _ = s.read_to_end(&mut buf);
    let st = l
        .proc
        .wait_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("listen --once still running\n{}", l.proc.all()));
    assert_eq!(st.code(), Some(1), "{}", l.proc.all());
    assert!(l.proc.stderr().contains("error:"), "{}", l.proc.all());
}

#[test]
fn json_lines_carry_conn() {
    let l = listen(&["--json"]);
    for _ in 0..2 {
        let d = s_client(l.port, &["-ign_eof"], GET);
        assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    }
    let mut p = l.proc;
    assert!(
        p.wait_for("\"type\":\"closed\",", Duration::from_secs(5)),
        "{}",
        p.all()
    );
    // Both connections' closed events.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while p.stdout().matches("\"type\":\"closed\"").count() < 2
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = p.stdout();
    let ev: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let per_conn: Vec<&Value> = ev
        .iter()
        .filter(|e| {
            matches!(
                e["type"].as_str(),
                Some("accepted" | "handshake" | "summary" | "app_data" | "closed" | "alert")
            )
        })
        .collect();
    assert!(!per_conn.is_empty(), "{out}");
    for e in &per_conn {
        assert!(e["conn"].is_u64(), "no conn in {e}");
    }
    let conns: std::collections::BTreeSet<u64> =
        per_conn.iter().filter_map(|e| e["conn"].as_u64()).collect();
    assert_eq!(conns.into_iter().collect::<Vec<_>>(), [1, 2], "{out}");
    let sums: Vec<&&Value> = per_conn.iter().filter(|e| e["type"] == "summary").collect();
    assert_eq!(sums.len(), 2, "{out}");
    assert_eq!(sums[0]["verified"], Value::Null, "{out}");
    let chs = per_conn
        .iter()
        .filter(|e| e["type"] == "handshake" && e["msg"] == "client_hello" && e["dir"] == "in")
        .count();
    assert_eq!(chs, 2, "{out}");
    assert!(p.stderr().is_empty(), "--json: stderr\n{}", p.stderr());
}

#[test]
fn garbage_client_ends_only_its_connection() {
    let mut l = listen(&[]);
    let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let mut buf = vec![];
    let _ = s.read_to_end(&mut buf);
    // A plaintext request is no TLS record: the answer, if any, is a fatal alert record.
    if !buf.is_empty() {
        assert_eq!(buf[0], 0x15, "expected an alert record, got {buf:02x?}");
        assert_eq!(
            buf.get(5),
            Some(&2),
            "alert level must be fatal: {buf:02x?}"
        );
    }
    assert!(l.proc.wait_for("[#1]", Duration::from_secs(5)));
    // The next client is served.
    let d = s_client(l.port, &["-ign_eof"], GET);
    assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    assert!(
        l.proc.child.try_wait().unwrap().is_none(),
        "{}",
        l.proc.all()
    );
    assert!(l.proc.stderr().contains("[#2]"), "{}", l.proc.all());
    assert!(!l.proc.stderr().contains("panicked"), "{}", l.proc.all());
}

#[test]
fn tlsprobe_connect_to_listen_echo() {
    // Our own client against our own server: the pipe through echo mode.
    let l = listen(&["--mode", "echo"]);
    let c = tp([
        "connect",
        &format!("127.0.0.1:{}", l.port),
        "-k",
        "--timeout",
        "5",
    ]);
    let d = run(c, b"ping through echo\n", T);
    assert_eq!(d.code, Some(0), "{}", d.all());
    assert_eq!(d.stdout, "ping through echo\n", "{}", d.all());
}

// ---------------------------------------------------------------------------------------------
// HelloRetryRequest and KeyUpdate, with OpenSSL as the client

#[test]
fn hello_retry_request_from_listen() {
    // s_client sends a key share for its first group only (X25519); listen accepts P-384 only.
    let l = listen(&["--groups", "secp384r1", "--json"]);
    let d = s_client(
        l.port,
        &["-tls1_3", "-groups", "X25519:P-384", "-ign_eof"],
        GET,
    );
    assert!(d.stdout.contains("New, TLSv1.3"), "{}", d.all());
    assert!(
        d.stdout.contains("group:            secp384r1"),
        "{}",
        d.all()
    );
    let mut p = l.proc;
    assert!(
        p.wait_for("\"type\":\"summary\"", Duration::from_secs(5)),
        "{}",
        p.all()
    );
    let ev: Vec<Value> = p
        .stdout()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let m: Vec<String> = ev
        .iter()
        .filter(|e| e["type"] == "handshake")
        .map(|e| {
            format!(
                "{}:{}",
                e["dir"].as_str().unwrap(),
                e["msg"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        &m[..4],
        [
            "in:client_hello",
            "out:hello_retry_request",
            "in:client_hello",
            "out:server_hello"
        ],
        "{}",
        p.stdout()
    );
}

#[test]
fn key_update_from_s_client_in_echo_mode() {
    // s_client (commands enabled, i.e. no -quiet) sends a KeyUpdate with update_requested
    // when it reads a line "K"; listen must answer with its own and keep echoing.
    let l = listen(&["--mode", "echo", "--json", "--tls", "1.3"]);
    let mut c = Command::new("openssl");
    c.arg("s_client")
        .arg("-connect")
        .arg(format!("127.0.0.1:{}", l.port));
    // No -ign_eof: it disables s_client's command letters. stdin stays open until the end.
    let mut sc = Proc::spawn(c, "openssl s_client");
    sc.write_stdin(b"before-update\n");
    assert!(sc.wait_for("before-update", T), "{}", sc.all());
    sc.write_stdin(b"K\n");
    let mut p = l.proc;
    assert!(
        p.wait_for("\"msg\":\"key_update\"", T),
        "listen reported no key_update\n{}\n{}",
        p.all(),
        sc.all()
    );
    sc.write_stdin(b"after-update\n");
    assert!(
        sc.wait_for("after-update", T),
        "no echo after the KeyUpdate\n{}\n{}",
        sc.all(),
        p.all()
    );
    let ev: Vec<Value> = p
        .stdout()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let ku: Vec<(String, bool)> = ev
        .iter()
        .filter(|e| e["msg"] == "key_update")
        .map(|e| {
            (
                e["dir"].as_str().unwrap().to_string(),
                e["update_requested"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ku,
        [("in".to_string(), true), ("out".to_string(), false)],
        "{}",
        p.stdout()
    );
}

// ---------------------------------------------------------------------------------------------
// Server names

#[test]
fn sni_only_one_name_refuses_others_with_unrecognized_name() {
    let l = listen(&["--sni", "example.test"]);
    for v in ["-tls1_2", "-tls1_3"] {
        let d = s_client(l.port, &[v, "-servername", "other.test"], GET);
        assert!(
            d.stderr.contains("unrecognized name") || d.stdout.contains("unrecognized name"),
            "{v}: {}",
            d.all()
        );
        assert!(!d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
        // The same name in another case, and no name at all, are served.
        for name in [&["-servername", "EXAMPLE.test"][..], &["-noservername"][..]] {
            let mut args = vec![v, "-ign_eof"];
            args.extend_from_slice(name);
            let d = s_client(l.port, &args, GET);
            assert!(
                d.stdout.contains("HTTP/1.0 200 OK"),
                "{v} {name:?}: {}",
                d.all()
            );
        }
    }
    let log = l.proc.stderr();
    assert!(
        log.contains("this server serves only \"example.test\""),
        "{log}"
    );
}

#[test]
fn no_sni_ignores_the_clients_name() {
    for (args, want) in [(&["--no-sni"][..], "-"), (&[][..], "named.test")] {
        let l = listen(args);
        let d = s_client(
            l.port,
            &["-tls1_3", "-servername", "named.test", "-ign_eof"],
            GET,
        );
        let line = d
            .stdout
            .lines()
            .find(|l| l.starts_with("server name:"))
            .unwrap_or_else(|| panic!("no server name line: {}", d.all()));
        assert_eq!(
            line.trim_start_matches("server name:").trim(),
            want,
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Two certificates

/// s_client's "Server public key is N bit" and "Peer signature type" lines.
fn key_and_signature(d: &common::Done) -> (String, String) {
    let find = |p: &str| {
        d.stdout
            .lines()
            .find_map(|l| l.strip_prefix(p))
            .unwrap_or_else(|| panic!("no {p:?} line: {}", d.all()))
            .trim()
            .to_string()
    };
    (find("Server public key is "), find("Peer signature type: "))
}

#[test]
fn default_listen_serves_rsa_only_clients_with_its_second_certificate() {
    let l = listen(&[]);
    assert!(
        l.proc
            .stderr()
            .contains("second self-signed certificate (RSA 2048 key)"),
        "{}",
        l.proc.all()
    );
    for v in ["-tls1_2", "-tls1_3"] {
        let d = s_client(l.port, &[v, "-sigalgs", "rsa_pss_rsae_sha256"], GET);
        assert_eq!(
            key_and_signature(&d),
            ("2048 bit".into(), "RSA-PSS".into()),
            "{v}"
        );
        let d = s_client(l.port, &[v], GET);
        assert_eq!(
            key_and_signature(&d),
            ("256 bit".into(), "ECDSA".into()),
            "{v}"
        );
    }
    let d = s_client(
        l.port,
        &["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"],
        GET,
    );
    assert_eq!(key_and_signature(&d).0, "2048 bit");
}

#[test]
fn two_cert_key_pairs_from_the_command_line() {
    let c = certs();
    let (rsa, p384) = (c.leaf(Key::Rsa), c.leaf(Key::P384));
    let l = listen(&[
        "--cert",
        p384.cert.to_str().unwrap(),
        "--key",
        p384.key.to_str().unwrap(),
        "--cert",
        rsa.cert.to_str().unwrap(),
        "--key",
        rsa.key.to_str().unwrap(),
    ]);
    let d = s_client(l.port, &["-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256"], GET);
    assert_eq!(key_and_signature(&d), ("2048 bit".into(), "RSA-PSS".into()));
    let d = s_client(l.port, &["-tls1_3"], GET);
    assert_eq!(key_and_signature(&d), ("384 bit".into(), "ECDSA".into()));
}

/// tlsfuzzer's test-tls13-keyupdate-from-server: `GET /keyupdate` makes listen send a
/// KeyUpdate (update_requested) before its answer; other paths and TLS 1.2 get none.
#[test]
fn get_keyupdate_makes_listen_update_its_keys() {
    let l = listen(&[]);
    let ku = "Handshake [length 0005], KeyUpdate";
    for (v, path, want) in [
        ("-tls1_3", "/keyupdate", true),
        ("-tls1_3", "/", false),
        ("-tls1_2", "/keyupdate", false),
    ] {
        let req = format!("GET {path} HTTP/1.0\r\n\r\n");
        let d = s_client(l.port, &[v, "-ign_eof", "-msg"], req.as_bytes());
        assert!(
            d.stdout.contains("HTTP/1.0 200 OK"),
            "{v} {path}: {}",
            d.all()
        );
        assert_eq!(
            d.stdout.contains(&format!("<<< TLS 1.3, {ku}")),
            want,
            "{v} {path}: {}",
            d.all()
        );
    }
}
