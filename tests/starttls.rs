//! STARTTLS both ways, loopback only: `openssl s_client -starttls P` against
//! `tlsprobe listen --starttls P`; `tlsprobe connect --starttls P` against a small python3
//! STARTTLS server (tests/support/starttls_server.py) and against `listen --starttls P`; servers
//! that do not offer STARTTLS; `scan --starttls`. Every child is killed by its guard; every
//! wait is bounded; nothing is timed.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;

const LISTEN_PROTOS: [&str; 6] = ["smtp", "imap", "pop3", "ftp", "xmpp", "postgres"];
const ALL: [&str; 6] = ["smtp", "imap", "pop3", "ftp", "xmpp", "postgres"];

/// The line that shows the server agreed to upgrade, per protocol (client side).
fn upgrade_line(p: &str) -> &'static str {
    match p {
        "smtp" => "S: 220",
        "imap" => "S: a001 OK",
        "pop3" => "S: +OK",
        "ftp" => "S: 234",
        "xmpp" => "S: <proceed",
        _ => "S: S (the server accepts SSL)",
    }
}

#[test]
fn openssl_s_client_against_listen_starttls() {
    if !need_openssl() {
        return;
    }
    for p in LISTEN_PROTOS {
        let mut l = listen_once("127.0.0.1:0", &["--starttls", p]);
        let mut c = Command::new("openssl");
        c.args(["s_client", "-starttls", p, "-connect"])
            .arg(format!("127.0.0.1:{}", l.port));
        if p == "xmpp" {
            c.args(["-xmpphost", "localhost"]);
        }
        let (_, so, se) = run(c, b"Q\n", LIMIT).parts();
        assert!(
            so.contains("Cipher is"),
            "{p}: s_client did not complete the handshake:\n{so}\n{se}"
        );
        assert!(!so.contains("Cipher is (NONE)"), "{p}: {so}");
        let trace = l.output(Duration::from_secs(10));
        assert!(trace.contains("] S: "), "{p}: no server lines in\n{trace}");
        assert!(
            p == "postgres" || p == "xmpp" || trace.contains("] C: "),
            "{p}: no client lines in\n{trace}"
        );
        let plain = trace.find("] S: ").unwrap();
        let hello = trace
            .find("ClientHello")
            .unwrap_or_else(|| panic!("{p}: no ClientHello in\n{trace}"));
        assert!(
            plain < hello,
            "{p}: the dialogue must come before the handshake"
        );
    }
}

#[test]
fn connect_starttls_against_python_servers() {
    if !need_openssl() {
        return;
    }
    if !need_python() {
        return;
    }
    let dir = scratch();
    let CertPair { cert, key } = loopback_cert(dir.path());
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    for p in ALL {
        let srv = python("starttls_server.py", &[p, cert, key]);
        let target = format!("127.0.0.1:{}", srv.port);
        let (code, _, se) = probe(&["connect", &target, "--starttls", p, "-k", "-n"]);
        assert_eq!(code, 0, "{p}: {se}");
        assert!(se.contains(upgrade_line(p)), "{p}: {se}");
        assert!(se.contains("C: "), "{p}: {se}");
        let plain = se.find("S: ").unwrap();
        let hello = se.find("ClientHello").expect("ClientHello shown");
        assert!(plain < hello, "{p}: dialogue after the handshake?\n{se}");
        assert!(
            se.contains("TLS 1.3") || se.contains("TLS 1.2"),
            "{p}: {se}"
        );

        // JSON: plaintext events come before the first handshake event.
        let (code, so, se) = probe(&["connect", &target, "--starttls", p, "-k", "-n", "--json"]);
        assert_eq!(code, 0, "{p}: {se}");
        let types: Vec<String> = so
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
                v["type"].as_str().unwrap_or("").to_string()
            })
            .collect();
        let first_plain = types
            .iter()
            .position(|t| t == "plaintext")
            .expect("plaintext");
        let first_hs = types
            .iter()
            .position(|t| t == "handshake")
            .expect("handshake");
        assert!(first_plain < first_hs, "{p}: {types:?}");
        assert!(types.iter().any(|t| t == "summary"), "{p}: {types:?}");
    }
}

#[test]
fn connect_starttls_against_listen_starttls() {
    for p in ALL {
        let l = listen_once("127.0.0.1:0", &["--starttls", p]);
        let target = format!("127.0.0.1:{}", l.port);
        let (code, _, se) = probe(&["connect", &target, "--starttls", p, "-k", "-n"]);
        assert_eq!(code, 0, "{p}: {se}");
        assert!(se.contains(upgrade_line(p)), "{p}: {se}");
        drop(l);
    }
}

#[test]
fn servers_without_starttls_are_named_clearly() {
    if !need_openssl() {
        return;
    }
    if !need_python() {
        return;
    }
    let dir = scratch();
    let CertPair { cert, key } = loopback_cert(dir.path());
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    for p in ALL {
        let srv = python("starttls_server.py", &[p, cert, key, "--no-starttls"]);
        let target = format!("127.0.0.1:{}", srv.port);
        let (code, _, se) = probe(&["connect", &target, "--starttls", p, "-k", "-n"]);
        assert_eq!(code, 1, "{p}: {se}");
        let err = se.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
        assert!(
            err.contains("does not offer")
                || err.contains("refused")
                || err.contains("does not accept"),
            "{p}: unclear error: {se}"
        );
        assert!(!se.contains("panicked"), "{p}: {se}");
    }
}

#[test]
fn plaintext_server_mismatch_and_usage_errors() {
    // listen speaks SMTP, the client expects POP3: a clear error, no hang.
    let l = listen_once("127.0.0.1:0", &["--starttls", "smtp", "--timeout", "3"]);
    let target = format!("127.0.0.1:{}", l.port);
    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--starttls",
        "pop3",
        "--timeout",
        "3",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains("error: the POP3 server"), "{se}");
    drop(l);

    let (code, _, se) = probe(&["connect", "127.0.0.1:1", "--starttls", "gopher"]);
    assert_eq!(code, 2, "{se}");
    assert!(se.contains("unknown protocol"), "{se}");
    let (code, _, se) = probe(&["listen", "127.0.0.1:0", "--starttls", "nntp"]);
    assert_eq!(code, 2, "{se}");
    let (code, _, se) = probe(&["scan", "127.0.0.1:1", "--starttls", "x"]);
    assert_eq!(code, 2, "{se}");
}

#[test]
fn starttls_default_port_is_the_protocols() {
    // Nothing listens on 127.0.0.1:25 in the test environment, or something does: either way
    // the attempt must go to port 25.
    let (_, _, se) = probe(&[
        "connect",
        "127.0.0.1",
        "--starttls",
        "smtp",
        "--timeout",
        "2",
        "-n",
    ]);
    assert!(se.contains("127.0.0.1:25"), "{se}");
}

#[test]
fn scan_starttls_against_listen() {
    let _l = listen_quiet("127.0.0.1:0", &["--starttls", "smtp"]);
    let target = format!("127.0.0.1:{}", _l.port);
    let (code, so, se) = probe(&[
        "scan",
        &target,
        "--starttls",
        "smtp",
        "--tls",
        "1.2,1.3",
        "--json",
    ]);
    assert_eq!(code, 0, "{so}\n{se}");
    let v: serde_json::Value = serde_json::from_str(so.trim()).expect("one JSON object");
    assert!(v["error"].is_null(), "{v}");
    let supported: Vec<&str> = v["protocols"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["supported"] == true)
        .filter_map(|p| p["version"].as_str())
        .collect();
    assert!(supported.contains(&"TLS 1.3"), "{v}");
    // The complete handshakes went through the dialogue too.
    assert_eq!(v["features"]["session_id_resumption"], true, "{v}");
    assert_eq!(v["notes"], serde_json::json!([]), "{v}");
}
