//! Interop with GnuTLS: `gnutls-cli` against `tlsprobe listen` for every suite and key type
//! (TLS 1.3 and 1.2), HelloRetryRequest forced by listen's group preference, resumption; and
//! `tlsprobe connect` against `gnutls-serv`. Skips (saying why) when gnutls-bin is missing,
//! unless TLSPROBE_REQUIRE_PEERS is set (CI), where a missing peer fails.

mod common;
use common::{free_port, require_peer, runs, self_signed, wait_port, Key, Kill};

fn have(cmd: &str) -> bool {
    require_peer(runs(cmd, &["--version"]), cmd, "apt-get install gnutls-bin")
}

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Key and self-signed certificate (CA:FALSE) for each key type: NAME.pem, NAME.key.
fn certs(dir: &Path) {
    for k in Key::ALL {
        self_signed(dir, k.name(), k, "localhost");
    }
}

fn gnutls_cli(dir: &Path, port: u16, priority: &str, extra: &[&str]) -> String {
    let mut c = Command::new("gnutls-cli")
        .args([
            "--port",
            &port.to_string(),
            "127.0.0.1",
            "--insecure",
            "--priority",
            priority,
        ])
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"GET / HTTP/1.0\r\n\r\n")
        .unwrap();
    let o = c.wait_with_output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn listen(dir: &Path, port: u16, args: &[&str]) -> Kill {
    let k = Kill(
        Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
            .args(["listen", &port.to_string(), "-q"])
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_port(port);
    k
}

#[test]
fn gnutls_cli_against_listen_every_suite_and_key() {
    if !have("gnutls-cli") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certs(d);
    for key in ["rsa", "p256", "p384", "ed25519"] {
        let port = free_port();
        let _l = listen(
            d,
            port,
            &[
                "--cert",
                &format!("{key}.pem"),
                "--key",
                &format!("{key}.key"),
            ],
        );
        for (cipher, desc) in [
            ("AES-128-GCM", "AES-128-GCM"),
            ("AES-256-GCM", "AES-256-GCM"),
            ("CHACHA20-POLY1305", "CHACHA20-POLY1305"),
        ] {
            let p =
                format!("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{cipher}:+SIGN-EDDSA-ED25519");
            let out = gnutls_cli(d, port, &p, &[]);
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
                let out = gnutls_cli(d, port, &p, &[]);
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
    if !have("gnutls-cli") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certs(d);
    let port = free_port();
    // gnutls sends an x25519 share first; listen prefers secp384r1 → HelloRetryRequest.
    let _l = listen(
        d,
        port,
        &[
            "--cert",
            "p256.pem",
            "--key",
            "p256.key",
            "--groups",
            "secp384r1,x25519",
        ],
    );
    let out = gnutls_cli(d, port, "NORMAL:-VERS-ALL:+VERS-TLS1.3", &[]);
    assert!(
        out.contains("ECDHE-SECP384R1") && out.contains("HTTP/1.0 200 OK"),
        "{out}"
    );
    // -r: resume (TLS 1.3 PSK from listen's ticket).
    let out = gnutls_cli(d, port, "NORMAL:-VERS-ALL:+VERS-TLS1.3", &["-r"]);
    assert!(out.contains("This is a resumed session"), "{out}");
    let out = gnutls_cli(d, port, "NORMAL:-VERS-ALL:+VERS-TLS1.2", &["-r"]);
    assert!(out.contains("This is a resumed session"), "{out}");
}

#[test]
fn connect_against_gnutls_serv() {
    if !have("gnutls-serv") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certs(d);
    for (key, tls) in [
        ("p256", "1.3"),
        ("rsa", "1.3"),
        ("p384", "1.2"),
        ("rsa", "1.2"),
    ] {
        let port = free_port();
        let _s = Kill(
            Command::new("gnutls-serv")
                .args([
                    "--port",
                    &port.to_string(),
                    "--x509certfile",
                    &format!("{key}.pem"),
                    "--x509keyfile",
                    &format!("{key}.key"),
                    "--http",
                    "--quiet",
                ])
                .current_dir(d)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_port(port);
        let o = Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
            .args([
                "connect",
                &format!("127.0.0.1:{port}"),
                "--sni",
                "localhost",
                "--ca-file",
                &format!("{key}.pem"),
                "-n",
                "--json",
                "--tls",
                tls,
                "--reconnect",
            ])
            .current_dir(d)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "{key} {tls}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let summaries: Vec<serde_json::Value> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["type"] == "summary")
            .collect();
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
