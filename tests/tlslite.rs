//! Interop with tlslite-ng (the pure-Python TLS library that tlsfuzzer is built on), a third
//! independent implementation beside OpenSSL and GnuTLS: its client against `tlsprobe listen`
//! for every AEAD suite and ECDHE group in TLS 1.2 and 1.3 with RSA and ECDSA certificates,
//! a HelloRetryRequest, and `tlsprobe connect` against its server; and the three hybrid
//! groups of draft-ietf-tls-ecdhe-mlkem (tlslite-ng with kyber-py) one at a time, both ways.
//! Skips (saying why) when tlslite-ng is missing, unless TLSPROBE_REQUIRE_PEERS is set (CI),
//! where that fails.

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

/// The hybrids: tlslite-ng's name and tlsprobe's.
const HYBRIDS: [(&str, &str); 3] = [
    ("x25519mlkem768", "X25519MLKEM768"),
    ("secp256r1mlkem768", "SecP256r1MLKEM768"),
    ("secp384r1mlkem1024", "SecP384r1MLKEM1024"),
];

/// listen's JSON events up to the client's close_notify.
fn listen_events(l: Listen) -> Vec<Value> {
    let mut p = l.proc;
    assert!(
        p.wait_for("\"close_notify\"", Duration::from_secs(10)),
        "{}",
        p.all()
    );
    p.stdout()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// The key_share extension of the first `msg` event (e.g. "server_hello") in `events`.
fn key_share_of<'a>(events: &'a [Value], msg: &str) -> &'a Value {
    events
        .iter()
        .filter(|e| e["type"] == "handshake" && e["msg"] == msg)
        .flat_map(|e| e["extensions"].as_array().unwrap())
        .find(|x| x["name"] == "key_share")
        .unwrap_or_else(|| panic!("no key_share in a {msg}"))
}

/// The "part" labels of a JSON parts list.
fn part_labels(parts: &Value) -> Vec<&str> {
    parts
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["part"].as_str().unwrap())
        .collect()
}

#[test]
fn tlslite_client_against_listen_each_hybrid_group() {
    if !need_tlslite() {
        return;
    }
    for (name, ours) in HYBRIDS {
        let l = listen(&["--json"]);
        let v = tlslite_client(&l, "1.3", "aes128gcm", name, name);
        let page = v["reply"].as_str().unwrap();
        assert_eq!(page_field(page, "group"), ours, "{v}");
        let events = listen_events(l);
        let msgs = common::msgs(&events);
        assert!(
            !msgs.contains(&"out:hello_retry_request".to_string()),
            "{msgs:?}"
        );
        // listen's trace takes its answer apart: ciphertext and ECDHE share, in the draft's
        // order, and the shared secret's two parts.
        let ks = key_share_of(&events, "server_hello");
        assert_eq!(ks["group"], ours);
        let (kem, ecdh) = match ours {
            "X25519MLKEM768" => (0, 1),
            _ => (1, 0),
        };
        let parts = part_labels(&ks["parts"]);
        assert!(parts[kem].ends_with("ciphertext"), "{parts:?}");
        assert!(parts[ecdh].contains("public"), "{parts:?}");
        let secret = part_labels(&ks["shared_secret_parts"]);
        assert!(secret[kem].starts_with("ML-KEM"), "{secret:?}");
    }
}

#[test]
fn listen_asks_tlslite_for_a_hybrid_share_it_offered_without_one() {
    if !need_tlslite() {
        return;
    }
    // The client lists X25519MLKEM768 after x25519 and sends only an x25519 share: listen
    // prefers the hybrid and asks for its share (RFC 8446 §4.1.4).
    let l = listen(&["--json"]);
    let v = tlslite_client(&l, "1.3", "aes128gcm", "x25519,x25519mlkem768", "x25519");
    let page = v["reply"].as_str().unwrap();
    assert_eq!(page_field(page, "group"), "X25519MLKEM768", "{v}");
    let events = listen_events(l);
    let msgs = common::msgs(&events);
    assert!(
        msgs.contains(&"out:hello_retry_request".to_string()),
        "{msgs:?}"
    );
    assert_eq!(
        msgs.iter().filter(|m| *m == "in:client_hello").count(),
        2,
        "{msgs:?}"
    );
    let hrr = key_share_of(&events, "hello_retry_request");
    assert_eq!(hrr["selected_group"], "X25519MLKEM768");
}

/// A tlslite-ng server on a free port for one connection, limited to `groups` when given.
fn tlslite_server(pair: &common::CertPair, version: &str, groups: Option<&str>) -> (Proc, u16) {
    for _attempt in 0..5 {
        let port = common::free_port();
        let mut cmd = Command::new("python3");
        cmd.arg(peer_script()).args([
            "server",
            &port.to_string(),
            pair.cert.to_str().unwrap(),
            pair.key.to_str().unwrap(),
            version,
        ]);
        cmd.args(groups);
        let mut p = Proc::spawn(cmd, "tlslite server");
        if p.wait_for("LISTENING", Duration::from_secs(20)) {
            return (p, port);
        }
    }
    panic!("tlslite server did not start");
}

#[test]
fn connect_against_tlslite_server_each_hybrid_group() {
    if !need_tlslite() {
        return;
    }
    let pair = certs().leaf(Key::P256);
    for (name, ours) in HYBRIDS {
        // connect's default offer (X25519MLKEM768 and X25519 shares, the other hybrids
        // listed), then the hybrid alone in --groups.
        for groups in [None, Some(ours)] {
            let (mut server, port) = tlslite_server(pair, "1.3", Some(name));
            let mut args = vec![
                "connect".to_string(),
                format!("127.0.0.1:{port}"),
                "--ca-file".into(),
                pair.cert.to_str().unwrap().into(),
                "--tls".into(),
                "1.3".into(),
                "--json".into(),
            ];
            if let Some(g) = groups {
                args.extend(["--groups".into(), g.into()]);
            }
            let d = run(tp(args), b"ping from tlsprobe\n", Duration::from_secs(60));
            let what = format!("{ours} with --groups {groups:?}");
            assert_eq!(d.code, Some(0), "{what}:\n{}\n{}", d.all(), server.all());
            let events = d.json();
            let summary = common::summaries(&events)[0];
            assert_eq!(summary["group"], ours, "{what}: {summary}");
            assert_eq!(summary["verified"], true, "{what}: {summary}");
            assert!(d.stdout.contains("tlslite says hi"), "{what}: {}", d.all());
            // A HelloRetryRequest only when our first hello had no share for the group.
            let retried = common::msgs(&events).contains(&"in:hello_retry_request".to_string());
            let shared_at_once = groups.is_some() || ours == "X25519MLKEM768";
            assert_eq!(retried, !shared_at_once, "{what}");
            let sent = key_share_of(&events, "client_hello");
            let first = &sent["shares"][0];
            assert!(first["parts"].is_array(), "{what}: {sent}");
            assert!(
                server.wait_exit(Duration::from_secs(20)).is_some(),
                "{}",
                server.all()
            );
            let report: Value = serde_json::from_str(server.stdout().lines().last().unwrap())
                .unwrap_or_else(|e| panic!("{e}: {}", server.all()));
            assert_eq!(
                report["received"], "ping from tlsprobe\n",
                "{what}: {report}"
            );
        }
    }
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
