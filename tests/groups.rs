//! The classic groups beyond x25519/P-256/P-384 against other implementations over loopback
//! (issue 14): secp521r1, x448, ffdhe2048 and ffdhe3072 in TLS 1.3 (RFC 8446 §4.2.8.1,
//! §4.2.8.2, §7.4.1), and secp521r1 and x448 in TLS 1.2 ECDHE (RFC 8422), with `tlsprobe
//! connect` against `openssl s_server` and `openssl s_client` against `tlsprobe listen`, one
//! group at a time; x448 and ffdhe3072 with gnutls-cli. The hybrids are in tests/tlslite.rs
//! (OpenSSL 3.0 has none). Missing peers skip (TLSPROBE_REQUIRE_PEERS makes that fail).

mod common;
use common::*;

use std::process::Command;
use std::time::Duration;

const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

/// OpenSSL's name for a group and tlsprobe's.
const TLS13_GROUPS: [(&str, &str); 4] = [
    ("P-521", "secp521r1"),
    ("X448", "x448"),
    ("ffdhe2048", "ffdhe2048"),
    ("ffdhe3072", "ffdhe3072"),
];

/// The curves TLS 1.2 ECDHE has beyond the three of the other interop tests (RFC 8422 §5.1.1).
const TLS12_GROUPS: [(&str, &str); 2] = [("P-521", "secp521r1"), ("X448", "x448")];

#[test]
fn connect_against_s_server_one_group_at_a_time() {
    if !need_openssl() {
        return;
    }
    let pair = certs().leaf(Key::Rsa);
    for (ossl, ours) in TLS13_GROUPS {
        let srv = s_server(pair, &["-www", "-tls1_3", "-groups", ossl], None);
        // The default offer lists the group without a share (a HelloRetryRequest brings
        // it); --groups puts the share in the first hello.
        for (extra, retried) in [(vec![], true), (vec!["--groups", ours], false)] {
            let mut args = vec!["--tls", "1.3"];
            args.extend(&extra);
            let d = connect_json(srv.port, &pair.cert, &args);
            let what = format!("TLS 1.3 {ours} {extra:?}");
            assert_eq!(d.code, Some(0), "{what}:\n{}\n{}", d.all(), srv.proc.all());
            let events = d.json();
            let summary = summaries(&events)[0];
            assert_eq!(summary["group"], ours, "{what}: {summary}");
            assert_eq!(summary["verified"], true, "{what}: {summary}");
            let hrr = msgs(&events).contains(&"in:hello_retry_request".to_string());
            assert_eq!(hrr, retried, "{what}: {:?}", msgs(&events));
        }
        drop(srv);
    }
    for (ossl, ours) in TLS12_GROUPS {
        let srv = s_server(
            pair,
            &[
                "-www",
                "-tls1_2",
                "-cipher",
                "ECDHE-RSA-AES128-GCM-SHA256",
                "-groups",
                ossl,
            ],
            None,
        );
        let d = connect_json(srv.port, &pair.cert, &["--tls", "1.2"]);
        let what = format!("TLS 1.2 {ours}");
        assert_eq!(d.code, Some(0), "{what}:\n{}\n{}", d.all(), srv.proc.all());
        let events = d.json();
        let summary = summaries(&events)[0];
        assert_eq!(summary["version"], "TLS 1.2", "{what}: {summary}");
        assert_eq!(summary["group"], ours, "{what}: {summary}");
        drop(srv);
    }
}

/// What listen's HTTP page says on its `name:` line.
fn page_says(out: &str, name: &str, value: &str) -> bool {
    out.lines().any(|l| {
        l.strip_prefix(&format!("{name}:"))
            .is_some_and(|v| v.trim() == value)
    })
}

#[test]
fn s_client_against_listen_one_group_at_a_time() {
    if !need_openssl() {
        return;
    }
    let pair = certs().leaf(Key::Rsa);
    let l = listen(&[
        "-q",
        "--cert",
        pair.cert.to_str().unwrap(),
        "--key",
        pair.key.to_str().unwrap(),
    ]);
    let cases = TLS13_GROUPS
        .iter()
        .map(|g| ("-tls1_3", *g))
        .chain(TLS12_GROUPS.iter().map(|g| ("-tls1_2", *g)));
    for (version, (ossl, ours)) in cases {
        let d = s_client(
            l.port,
            &[
                version,
                "-groups",
                ossl,
                "-CAfile",
                pair.cert.to_str().unwrap(),
                "-verify_return_error",
                "-ign_eof",
            ],
            GET,
        );
        let what = format!("{version} {ours}");
        assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{what}:\n{}", d.all());
        assert!(
            d.stdout.contains("Verify return code: 0 (ok)"),
            "{what}:\n{}",
            d.all()
        );
        assert!(page_says(&d.stdout, "group", ours), "{what}:\n{}", d.all());
    }
}

#[test]
fn gnutls_cli_against_listen_x448_and_ffdhe3072() {
    if !need_gnutls("gnutls-cli") {
        return;
    }
    let l = listen(&["-q"]);
    for (gnutls, ours) in [("X448", "x448"), ("FFDHE3072", "ffdhe3072")] {
        let mut c = Command::new("gnutls-cli");
        c.args([
            "--port",
            &l.port.to_string(),
            "127.0.0.1",
            "--insecure",
            "--priority",
            &format!("NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-{gnutls}"),
        ]);
        let d = run(c, GET, Duration::from_secs(30));
        let what = format!("TLS 1.3 {ours}");
        assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{what}:\n{}", d.all());
        assert!(page_says(&d.stdout, "group", ours), "{what}:\n{}", d.all());
        assert!(page_says(&d.stdout, "version", "TLS 1.3"), "{what}");
    }
}
