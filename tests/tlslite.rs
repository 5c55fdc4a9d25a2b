//! Interop with tlslite-ng (the pure-Python TLS library that tlsfuzzer is built on), a third
//! independent implementation beside OpenSSL and GnuTLS: its client against `tlsprobe listen`
//! for every AEAD suite and ECDHE group in TLS 1.2 and 1.3 with RSA and ECDSA certificates,
//! a HelloRetryRequest, and `tlsprobe connect` against its server. Skips (saying why) when
//! tlslite-ng is missing, unless TLSPROBE_REQUIRE_PEERS is set (CI), where that fails.

mod common;
use common::{certs, listen, need_tlslite, run, support_file, tp, Key, Listen, Proc};

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

fn peer_script() -> PathBuf {
    support_file("tlslite_peer.py")
}

/// Runs the tlslite-ng client once against `l`; returns its JSON report (panics with it and
/// listen's output on failure).
fn tlslite_client(l: &Listen, version: &str, cipher: &str, groups: &str, share: &str) -> Value {
    let port = l.port;
    let mut c = Command::new("python3");
    c.arg(peer_script()).args([
        "client",
        "127.0.0.1",
        &port.to_string(),
        version,
        cipher,
        groups,
        share,
    ]);
    let d = run(c, b"", Duration::from_secs(60));
    let v: Value = serde_json::from_str(d.stdout.trim())
        .unwrap_or_else(|e| panic!("tlslite client output is not JSON ({e}):\n{}", d.all()));
    assert_eq!(
        d.code,
        Some(0),
        "tlslite client {version} {cipher} {groups}: {v}\n{}",
        l.proc.all()
    );
    v
}

/// The value of `name:` on the listen page ("group:            x25519").
fn page_field<'a>(page: &'a str, name: &str) -> &'a str {
    page.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {name}: line in the page:\n{page}"))
}

#[test]
fn tlslite_client_against_listen_every_aead_suite_and_group() {
    if !need_tlslite() {
        return;
    }
    let c = certs();
    for (key, ecdsa) in [(Key::Rsa, false), (Key::P256, true)] {
        let pair = c.leaf(key);
        let l = listen(&[
            "--cert",
            pair.cert.to_str().unwrap(),
            "--key",
            pair.key.to_str().unwrap(),
        ]);
        for version in ["1.2", "1.3"] {
            for (cipher, suite13, suite12) in [
                ("aes128gcm", "TLS_AES_128_GCM_SHA256", "AES_128_GCM_SHA256"),
                ("aes256gcm", "TLS_AES_256_GCM_SHA384", "AES_256_GCM_SHA384"),
                (
                    "chacha20-poly1305",
                    "TLS_CHACHA20_POLY1305_SHA256",
                    "CHACHA20_POLY1305_SHA256",
                ),
            ] {
                for group in ["x25519", "secp256r1", "secp384r1"] {
                    // In TLS 1.2 an ECDSA certificate's curve must be among the client's
                    // supported_groups (RFC 8422 §5.3; OpenSSL does the same), and the server
                    // then picks by its own order (x25519, secp256r1, secp384r1).
                    let (groups, expect) = if version == "1.2" && ecdsa && group != "secp256r1" {
                        let first = if group == "x25519" {
                            group
                        } else {
                            "secp256r1"
                        };
                        (format!("{group},secp256r1"), first)
                    } else {
                        (group.to_string(), group)
                    };
                    let v = tlslite_client(&l, version, cipher, &groups, group);
                    let what = format!("{key:?} {version} {cipher} {group}: {v}");
                    assert_eq!(v["version"], version, "{what}");
                    assert_eq!(v["close_notify"], true, "{what}");
                    let page = v["reply"].as_str().unwrap();
                    assert!(page.starts_with("HTTP/1.0 200 OK\r\n"), "{what}");
                    assert_eq!(page_field(page, "version"), format!("TLS {version}"));
                    assert_eq!(page_field(page, "group"), expect, "{what}");
                    let suite = page_field(page, "cipher suite");
                    if version == "1.3" {
                        assert_eq!(suite, suite13, "{what}");
                    } else {
                        let auth = if ecdsa { "ECDSA" } else { "RSA" };
                        assert_eq!(suite, format!("TLS_ECDHE_{auth}_WITH_{suite12}"), "{what}");
                    }
                }
            }
        }
        drop(l);
    }
}

#[test]
fn tlslite_client_gets_a_hello_retry_request_from_listen() {
    if !need_tlslite() {
        return;
    }
    // listen accepts only secp256r1; the client offers x25519 first with an x25519 share.
    let l = listen(&["--groups", "secp256r1", "--json"]);
    let v = tlslite_client(&l, "1.3", "aes128gcm", "x25519,secp256r1", "x25519");
    let page = v["reply"].as_str().unwrap();
    assert_eq!(page_field(page, "group"), "secp256r1", "{v}");
    let mut p = l.proc;
    assert!(
        p.wait_for("\"close_notify\"", Duration::from_secs(10)),
        "{}",
        p.all()
    );
    let events: Vec<Value> = p
        .stdout()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let msgs = common::msgs(&events);
    let hrr = msgs.iter().position(|m| m == "out:hello_retry_request");
    let hellos = msgs.iter().filter(|m| *m == "in:client_hello").count();
    assert!(hrr.is_some(), "no HelloRetryRequest sent: {msgs:?}");
    assert_eq!(hellos, 2, "{msgs:?}");
}

#[test]
fn connect_against_tlslite_server() {
    if !need_tlslite() {
        return;
    }
    let c = certs();
    for key in [Key::Rsa, Key::P256] {
        for version in ["1.2", "1.3"] {
            let pair = c.leaf(key);
            let mut server = None;
            let mut port = 0;
            for _attempt in 0..5 {
                port = common::free_port();
                let mut cmd = Command::new("python3");
                cmd.arg(peer_script()).args([
                    "server",
                    &port.to_string(),
                    pair.cert.to_str().unwrap(),
                    pair.key.to_str().unwrap(),
                    version,
                ]);
                let mut p = Proc::spawn(cmd, "tlslite server");
                if p.wait_for("LISTENING", Duration::from_secs(20)) {
                    server = Some(p);
                    break;
                }
            }
            let mut server = server.expect("tlslite server did not start");
            let d = run(
                tp([
                    "connect",
                    &format!("127.0.0.1:{port}"),
                    "--ca-file",
                    pair.cert.to_str().unwrap(),
                    "--tls",
                    version,
                    "--json",
                ]),
                b"ping from tlsprobe\n",
                Duration::from_secs(60),
            );
            assert_eq!(d.code, Some(0), "{key:?} {version}:\n{}", d.all());
            let events = d.json();
            let summary = common::summaries(&events)[0];
            assert_eq!(summary["version"], format!("TLS {version}"), "{summary}");
            assert_eq!(summary["verified"], true, "{summary}");
            assert!(d.stdout.contains("tlslite says hi"), "{}", d.all());
            assert!(
                server.wait_exit(Duration::from_secs(20)).is_some(),
                "{}",
                server.all()
            );
            let report: Value = serde_json::from_str(server.stdout().lines().last().unwrap())
                .unwrap_or_else(|e| panic!("{e}: {}", server.all()));
            assert_eq!(report["version"], version, "{report}");
            assert_eq!(report["received"], "ping from tlsprobe\n", "{report}");
        }
    }
}
