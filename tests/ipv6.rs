//! IPv6 and multi-address targets, loopback only: `listen [::1]:PORT`, `connect [::1]:PORT`,
//! `scan [::1]:PORT`, `openssl s_client` against listen on ::1, and a host name with both an
//! IPv6 and an IPv4 address (when the machine's `localhost` has both) tried in turn with each
//! attempt shown. Skipped with a printed reason when there is no IPv6 loopback.

mod common;

use std::net::ToSocketAddrs;
use std::process::Command;
use std::time::Duration;

use common::*;

fn need_ipv6() -> bool {
    if have_ipv6_loopback() {
        return true;
    }
    // Not a peer: a machine property, so CI does not fail on it.
    eprintln!("SKIPPED: this machine has no IPv6 loopback (cannot bind [::1])");
    false
}

#[test]
fn listen_and_connect_on_ipv6_loopback() {
    if !need_ipv6() {
        return;
    }
    let mut l = listen_once("[::1]:0", &[]);
    let target = format!("[::1]:{}", l.port);
    let (code, _, se) = probe(&["connect", &target, "-k", "-n"]);
    assert_eq!(code, 0, "{se}");
    assert!(
        se.contains(&format!("Connected to [::1]:{} from [::1]:", l.port)),
        "{se}"
    );
    let trace = l.output(Duration::from_secs(10));
    assert!(
        trace.contains("Accepted a connection from [::1]:"),
        "{trace}"
    );
}

#[test]
fn listen_certificate_verifies_for_ipv6_literal() {
    if !need_ipv6() {
        return;
    }
    // listen's self-signed certificate names ::1; with the certificate pinned as the trust
    // anchor, an IP-literal target verifies without -k.
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let CertPair { cert, key } = loopback_cert(dir.path());
    let l = listen_once(
        "[::1]:0",
        &[
            "--cert",
            cert.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    let (code, _, se) = probe(&[
        "connect",
        &format!("[::1]:{}", l.port),
        "--ca-file",
        cert.to_str().unwrap(),
        "-n",
    ]);
    assert_eq!(code, 0, "{se}");
}

#[test]
fn openssl_s_client_and_scan_over_ipv6() {
    if !need_ipv6() {
        return;
    }
    if !need_openssl() {
        return;
    }
    let l = listen_quiet("[::1]:0", &[]);
    let mut c = Command::new("openssl");
    c.args(["s_client", "-6", "-connect"])
        .arg(format!("[::1]:{}", l.port));
    let (_, so, se) = run(c, b"Q\n", LIMIT).parts();
    assert!(so.contains("Cipher is"), "{so}\n{se}");

    let (code, so, se) = probe(&[
        "scan",
        &format!("[::1]:{}", l.port),
        "--tls",
        "1.2,1.3",
        "--json",
    ]);
    assert_eq!(code, 0, "{so}\n{se}");
    let v: serde_json::Value = serde_json::from_str(so.trim()).unwrap();
    assert_eq!(v["ip"], "::1", "{v}");
    assert!(v["error"].is_null(), "{v}");
}

#[test]
fn a_name_with_several_addresses_is_tried_in_turn() {
    let addrs: Vec<_> = match ("localhost", 1).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(_) => vec![],
    };
    let both = addrs.iter().any(|a| a.is_ipv4()) && addrs.iter().any(|a| a.is_ipv6());
    if !both || !have_ipv6_loopback() {
        eprintln!(
            "SKIPPED: 'localhost' does not resolve to both ::1 and 127.0.0.1 here ({addrs:?}); \
             the attempt scheduler is covered by net::target's unit tests"
        );
        return;
    }
    // Only one family listens: the other attempt fails (refused) and is shown, the connection
    // still succeeds.
    for (listen_on, dead) in [("127.0.0.1:0", "[::1]"), ("[::1]:0", "127.0.0.1")] {
        let l = listen_once(listen_on, &[]);
        let (code, _, se) = probe(&["connect", &format!("localhost:{}", l.port), "-k", "-n"]);
        assert_eq!(code, 0, "{se}");
        let attempts = se.matches("* Connecting to localhost:").count();
        assert!(attempts >= 1, "{se}");
        if attempts == 2 {
            assert!(se.contains(&format!("! {dead}:{}", l.port)), "{se}");
        }
    }
}

#[test]
fn ipv6_target_forms() {
    // A bad IPv6 literal is a usage error; a closed port on ::1 is a runtime error naming it.
    let (code, _, se) = probe(&["connect", "[::g]:443"]);
    assert_eq!(code, 2, "{se}");
    if !have_ipv6_loopback() {
        eprintln!("SKIPPED (part): no IPv6 loopback");
        return;
    }
    let port = {
        let l = std::net::TcpListener::bind("[::1]:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (code, _, se) = probe(&["connect", &format!("[::1]:{port}"), "-n", "--timeout", "3"]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains(&format!("[::1]:{port}")), "{se}");
}
