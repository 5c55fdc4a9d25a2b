//! Interop with GnuTLS: `gnutls-cli` against `tlsprobe listen` for every suite and key type
//! (TLS 1.3 and 1.2), HelloRetryRequest forced by listen's group preference, resumption; and
//! `tlsprobe connect` against `gnutls-serv`. Skips (saying why) when gnutls-bin is missing,
//! unless TLSPROBE_REQUIRE_PEERS is set (CI), where a missing peer fails.

mod common;
use common::{
    listen, need_gnutls, run, self_signed, serve_on_free_port, summaries, tp, Key, Listen,
};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Key and self-signed certificate (CA:FALSE) for each key type: NAME.pem, NAME.key.
fn certs(dir: &Path) {
    for k in Key::ALL {
        self_signed(dir, k.name(), k, "localhost");
    }
}

fn gnutls_cli(dir: &Path, port: u16, priority: &str, extra: &[&str]) -> String {
    let mut c = Command::new("gnutls-cli");
    c.args([
        "--port",
        &port.to_string(),
        "127.0.0.1",
        "--insecure",
        "--priority",
        priority,
    ])
    .args(extra)
    .current_dir(dir);
    let o = run(c, b"GET / HTTP/1.0\r\n\r\n", Duration::from_secs(30));
    format!("{}{}", o.stdout, o.stderr)
}

/// `tlsprobe listen -q` serving `dir/KEY.pem` with `dir/KEY.key`, plus `extra`.
fn listen_with(dir: &Path, key: &str, extra: &[&str]) -> Listen {
    let cert = dir.join(format!("{key}.pem"));
    let key = dir.join(format!("{key}.key"));
    let mut args = vec![
        "-q",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    listen(&args)
}

#[test]
fn gnutls_cli_against_listen_every_suite_and_key() {
    if !need_gnutls("gnutls-cli") {
        return;
    }
    let dir = common::scratch();
    let d = dir.path();
    certs(d);
    for key in ["rsa", "p256", "p384", "ed25519"] {
        let l = listen_with(d, key, &[]);
        for (cipher, desc) in [
            ("AES-128-GCM", "AES-128-GCM"),
            ("AES-256-GCM", "AES-256-GCM"),
            ("CHACHA20-POLY1305", "CHACHA20-POLY1305"),
        ] {
            let p =
                format!("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{cipher}:+SIGN-EDDSA-ED25519");
            let out = gnutls_cli(d, l.port, &p, &[]);
            assert!(
                out.contains("(TLS1.3") && out.contains(desc),
                "{key} TLS 1.3 {cipher}: {out}"
            );
            assert!(
                out.contains("HTTP/1.0 200 OK"),
                "{key} TLS 1.3 {cipher}: {out}"
            );
        }
        if key != "ed25519" {
            for cipher in ["AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"] {
                let p = format!("NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+{cipher}");
                let out = gnutls_cli(d, l.port, &p, &[]);
                assert!(
                    out.contains("(TLS1.2") && out.contains(cipher),
                    "{key} TLS 1.2 {cipher}: {out}"
                );
                assert!(
                    out.contains("HTTP/1.0 200 OK"),
                    "{key} TLS 1.2 {cipher}: {out}"
                );
            }
        }
    }
}

#[test]
fn gnutls_cli_hello_retry_and_resumption() {
    if !need_gnutls("gnutls-cli") {
        return;
    }
    let dir = common::scratch();
    let d = dir.path();
    certs(d);
    // gnutls sends an x25519 share first; listen prefers secp384r1 → HelloRetryRequest.
    let l = listen_with(d, "p256", &["--groups", "secp384r1,x25519"]);
    let out = gnutls_cli(d, l.port, "NORMAL:-VERS-ALL:+VERS-TLS1.3", &[]);
    assert!(
        out.contains("ECDHE-SECP384R1") && out.contains("HTTP/1.0 200 OK"),
        "{out}"
    );
    // -r: resume (TLS 1.3 PSK from listen's ticket). --waitresumption: the ticket comes after
    // the handshake (RFC 8446 §4.6.1); without it gnutls-cli reconnects without a PSK when the
    // ticket is late, as it was once on a loaded machine.
    let out = gnutls_cli(
        d,
        l.port,
        "NORMAL:-VERS-ALL:+VERS-TLS1.3",
        &["-r", "--waitresumption"],
    );
    assert!(out.contains("This is a resumed session"), "{out}");
    let out = gnutls_cli(d, l.port, "NORMAL:-VERS-ALL:+VERS-TLS1.2", &["-r"]);
    assert!(out.contains("This is a resumed session"), "{out}");
}

#[test]
fn connect_against_gnutls_serv() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let dir = common::scratch();
    let d = dir.path();
    certs(d);
    for (key, tls) in [
        ("p256", "1.3"),
        ("rsa", "1.3"),
        ("p384", "1.2"),
        ("rsa", "1.2"),
    ] {
        let srv = serve_on_free_port("gnutls-serv", |port| {
            let mut c = Command::new("gnutls-serv");
            c.args(["--port", &port.to_string()])
                .args(["--x509certfile", &format!("{key}.pem")])
                .args(["--x509keyfile", &format!("{key}.key")])
                .args(["--http", "--quiet"])
                .current_dir(d);
            c
        });
        let mut c = tp([
            "connect",
            &format!("127.0.0.1:{}", srv.port),
            "--sni",
            "localhost",
            "--ca-file",
            &format!("{key}.pem"),
            "-n",
            "--json",
            "--tls",
            tls,
            "--reconnect",
        ]);
        c.current_dir(d);
        let o = run(c, b"", Duration::from_secs(30));
        assert_eq!(o.code, Some(0), "{key} {tls}: {}", o.stderr);
        let stdout = &o.stdout;
        let events = o.json();
        let summaries = summaries(&events);
        assert_eq!(summaries.len(), 2, "{stdout}");
        assert_eq!(summaries[0]["version"], format!("TLS {tls}"));
        assert_eq!(summaries[0]["verified"], true);
        assert_eq!(
            summaries[1]["resumed"], true,
            "{key} {tls}: second handshake not resumed:\n{stdout}"
        );
        // The resumed handshake carries the first one's verification.
        assert_eq!(summaries[1]["verified"], true, "{stdout}");
    }
}
