//! Proxies, loopback only: `tlsprobe connect` and `scan` through a small HTTP CONNECT proxy and
//! a SOCKS5 proxy (tests/support/proxy.py), with and without credentials, refusing proxies
//! (403, SOCKS reply 0x02), an unreachable proxy and bad proxy URLs; the TLS server is
//! `tlsprobe listen`. Every child is killed by its guard; every wait is bounded.

mod common;

use std::time::Duration;

use common::*;

/// A closed loopback port (reserved, then released).
fn closed_port() -> u16 {
    free_port()
}

#[test]
fn http_connect_proxy() {
    if !need_python() {
        return;
    }
    let server = listen_quiet("127.0.0.1:0", &[]);
    let target = format!("localhost:{}", server.port);
    let mut proxy = python("proxy.py", &["http"]);
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let (code, _, se) = probe(&["connect", &target, "--proxy", &url, "-k", "-n"]);
    assert_eq!(code, 0, "{se}");
    assert!(
        se.contains(&format!("C: CONNECT {target} HTTP/1.1")),
        "{se}"
    );
    assert!(se.contains("P: HTTP/1.1 200"), "{se}");
    assert!(se.contains("the proxy opened a tunnel"), "{se}");
    // The name went to the proxy unresolved.
    let log = proxy.output(Duration::from_millis(0));
    assert!(
        log.contains(&format!("TUNNEL localhost {} http", server.port)),
        "{log}"
    );
}

#[test]
fn http_proxy_credentials_and_refusals() {
    if !need_python() {
        return;
    }
    let server = listen_quiet("127.0.0.1:0", &[]);
    let target = format!("127.0.0.1:{}", server.port);
    let auth = python(
        "proxy.py",
        &["http", "--user", "alice", "--password", "s3cret"],
    );
    let p = auth.port;
    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("http://alice:s3cret@127.0.0.1:{p}"),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 0, "{se}");
    assert!(se.contains("Proxy-Authorization: Basic"), "{se}");
    assert!(
        !se.contains("s3cret"),
        "the password must not be shown: {se}"
    );

    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("http://alice:wrong@127.0.0.1:{p}"),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains("rejected the credentials (HTTP 407"), "{se}");

    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("http://127.0.0.1:{p}"),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains("requires authentication (HTTP 407"), "{se}");

    let refuse = python("proxy.py", &["http", "--refuse"]);
    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("http://127.0.0.1:{}", refuse.port),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(
        se.contains("refused to connect") && se.contains("HTTP 403"),
        "{se}"
    );
}

#[test]
fn socks5_proxy() {
    if !need_python() {
        return;
    }
    let server = listen_quiet("127.0.0.1:0", &[]);
    let mut proxy = python("proxy.py", &["socks5"]);
    let url = format!("socks5://127.0.0.1:{}", proxy.port);
    // A host name: resolved by the proxy (ATYP 3).
    let target = format!("localhost:{}", server.port);
    let (code, _, se) = probe(&["connect", &target, "--proxy", &url, "-k", "-n"]);
    assert_eq!(code, 0, "{se}");
    assert!(se.contains("host name, resolved by the proxy"), "{se}");
    assert!(se.contains("SOCKS5: the proxy connected"), "{se}");
    // An IP literal: ATYP 1.
    let target = format!("127.0.0.1:{}", server.port);
    let (code, _, se) = probe(&["connect", &target, "--proxy", &url, "-k", "-n"]);
    assert_eq!(code, 0, "{se}");
    let log = proxy.output(Duration::from_millis(0));
    assert!(
        log.contains(&format!("TUNNEL localhost {} 3", server.port)),
        "{log}"
    );
    assert!(
        log.contains(&format!("TUNNEL 127.0.0.1 {} 1", server.port)),
        "{log}"
    );
}

#[test]
fn socks5_credentials_and_refusals() {
    if !need_python() {
        return;
    }
    let server = listen_quiet("127.0.0.1:0", &[]);
    let target = format!("localhost:{}", server.port);
    let auth = python("proxy.py", &["socks5", "--user", "bob", "--password", "pw"]);
    let p = auth.port;
    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("socks5://bob:pw@127.0.0.1:{p}"),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 0, "{se}");
    assert!(se.contains("SOCKS5: authenticated"), "{se}");

    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("socks5://bob:no@127.0.0.1:{p}"),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains("rejected the user name or password"), "{se}");

    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("socks5://127.0.0.1:{p}"),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains("requires authentication"), "{se}");

    let refuse = python("proxy.py", &["socks5", "--refuse"]);
    let (code, _, se) = probe(&[
        "connect",
        &target,
        "--proxy",
        &format!("socks5://127.0.0.1:{}", refuse.port),
        "-k",
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(
        se.contains("SOCKS5 reply 0x02 (connection not allowed by ruleset)"),
        "{se}"
    );
}

#[test]
fn unreachable_proxy_and_bad_urls() {
    let port = closed_port();
    let (code, _, se) = probe(&[
        "connect",
        "localhost:443",
        "--proxy",
        &format!("http://127.0.0.1:{port}"),
        "-n",
    ]);
    assert_eq!(code, 1, "{se}");
    assert!(se.contains("error: cannot reach the proxy"), "{se}");
    for bad in [
        "ftp://h:1",
        "127.0.0.1:8080",
        "http://h:0",
        "socks5://h:1/x",
        "https://h:1",
    ] {
        let (code, _, se) = probe(&["connect", "localhost:443", "--proxy", bad]);
        assert_eq!(code, 2, "{bad}: {se}");
        assert!(se.starts_with("error: --proxy"), "{bad}: {se}");
        let (code, _, _) = probe(&["scan", "localhost:443", "--proxy", bad]);
        assert_eq!(code, 2, "{bad}");
    }
}

#[test]
fn scan_through_proxies_and_starttls_through_a_proxy() {
    if !need_python() {
        return;
    }
    let server = listen_quiet("127.0.0.1:0", &[]);
    let target = format!("localhost:{}", server.port);
    for kind in ["http", "socks5"] {
        let proxy = python("proxy.py", &[kind]);
        let url = format!("{kind}://127.0.0.1:{}", proxy.port);
        let (code, so, se) = probe(&[
            "scan", &target, "--proxy", &url, "--tls", "1.2,1.3", "--json",
        ]);
        assert_eq!(code, 0, "{kind}: {so}\n{se}");
        let v: serde_json::Value = serde_json::from_str(so.trim()).expect("JSON");
        assert!(v["error"].is_null(), "{v}");
        assert!(
            v["protocols"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["version"] == "TLS 1.3" && p["supported"] == true),
            "{v}"
        );
        // The complete handshakes went through the tunnel too.
        assert_eq!(v["features"]["session_id_resumption"], true, "{v}");
        assert_eq!(v["notes"], serde_json::json!([]), "{v}");
    }
    // A refusing proxy fails the target (exit 4) with the reason.
    let refuse = python("proxy.py", &["socks5", "--refuse"]);
    let (code, so, _) = probe(&[
        "scan",
        &target,
        "--proxy",
        &format!("socks5://127.0.0.1:{}", refuse.port),
        "--json",
    ]);
    assert_eq!(code, 4, "{so}");
    assert!(so.contains("connection not allowed by ruleset"), "{so}");

    // STARTTLS inside a SOCKS5 tunnel.
    let smtp = listen_once("127.0.0.1:0", &["--starttls", "smtp"]);
    let proxy = python("proxy.py", &["socks5"]);
    let (code, _, se) = probe(&[
        "connect",
        &format!("localhost:{}", smtp.port),
        "--proxy",
        &format!("socks5://127.0.0.1:{}", proxy.port),
        "--starttls",
        "smtp",
        "-k",
        "-n",
    ]);
    assert_eq!(code, 0, "{se}");
    let socks = se.find("SOCKS5: the proxy connected").expect("tunnel");
    let smtp_line = se.find("S: 220").expect("SMTP greeting");
    let hello = se.find("ClientHello").expect("handshake");
    assert!(socks < smtp_line && smtp_line < hello, "{se}");
}
