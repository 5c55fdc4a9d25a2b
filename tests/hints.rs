//! Hints: after an error where users get stuck, one `hint:` line on stderr saying what to try,
//! against real servers on loopback (openssl s_server, a plain-text TCP server, a
//! self-signed and a privately issued certificate).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::{certs, need_openssl, probe, s_server, CertSpec, Key};

/// The stderr lines of a failed connect, and its exit code.
fn connect(args: &[&str]) -> (i32, String) {
    let (code, _, err) = probe(args);
    (code, err)
}

fn hint_of(err: &str) -> &str {
    err.lines()
        .find_map(|l| l.strip_prefix("hint: "))
        .unwrap_or_else(|| panic!("no hint in:\n{err}"))
}

#[test]
fn tls10_only_server_suggests_older_versions_and_scan() {
    if !need_openssl() {
        return;
    }
    let pair = certs().leaf(Key::P256);
    let mut s = s_server(pair, &["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"], None);
    let target = format!("127.0.0.1:{}", s.port);
    let (code, err) = connect(&["connect", &target, "-n", "-k"]);
    s.proc.kill();
    assert_eq!(code, 1, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    // One sentence naming the alert once.
    assert_eq!(errors[0].matches("protocol_version").count(), 1, "{err}");
    let hint = hint_of(&err);
    assert!(hint.contains("we offered TLS 1.2, TLS 1.3"), "{hint}");
    assert!(hint.contains("--tls 1.0,1.1"), "{hint}");
    assert!(hint.contains(&format!("tlsprobe scan {target}")), "{hint}");
}

#[test]
fn no_common_suite_names_what_was_offered() {
    if !need_openssl() {
        return;
    }
    // An ECDSA server and an RSA-only suite: handshake_failure.
    let pair = certs().leaf(Key::P256);
    let mut s = s_server(pair, &[], None);
    let target = format!("127.0.0.1:{}", s.port);
    let (code, err) = connect(&[
        "connect",
        &target,
        "-n",
        "-k",
        "--tls",
        "1.2",
        "--suites",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ]);
    s.proc.kill();
    assert_eq!(code, 1, "{err}");
    let hint = hint_of(&err);
    assert!(
        hint.contains("1 suite (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)"),
        "{hint}"
    );
    // A TLS 1.2 hello offers no ML-KEM group: the hint does not claim it did.
    assert!(!hint.contains("MLKEM"), "{hint}");
    assert!(hint.contains("tlsprobe scan"), "{hint}");
}

#[test]
fn certificate_required_suggests_cert_and_key() {
    if !need_openssl() {
        return;
    }
    let pair = certs().leaf(Key::P256);
    let mut s = s_server(pair, &["-Verify", "1"], None);
    let target = format!("127.0.0.1:{}", s.port);
    let (code, err) = connect(&["connect", &target, "-n", "-k"]);
    s.proc.kill();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("certificate_required"), "{err}");
    assert!(hint_of(&err).contains("--cert and --key"), "{err}");
}

#[test]
fn self_signed_and_private_root_are_told_apart() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let dir = tempfile::tempdir_in(&c.dir).unwrap();
    // `openssl req -x509` style: CA:TRUE and self-signed.
    let ca_leaf = CertSpec::new(Key::P256, "localhost")
        .ext("basicConstraints=critical,CA:TRUE")
        .ext("subjectAltName=DNS:localhost")
        .self_signed(dir.path(), "selfca");
    let mut s = s_server(&ca_leaf, &[], None);
    let (code, err) = connect(&["connect", &format!("localhost:{}", s.port), "-n"]);
    s.proc.kill();
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("self-signed certificate not in the trust store"),
        "{err}"
    );
    assert!(!err.contains("basicConstraints"), "{err}");
    assert!(hint_of(&err).contains("self-signed"), "{err}");

    // Issued by the test CA, which is in no trust store; the server sends the root too.
    let leaf = CertSpec::new(Key::P256, "localhost")
        .ext("basicConstraints=critical,CA:FALSE")
        .ext("subjectAltName=DNS:localhost")
        .issued_by(&c.ca, dir.path(), "issued");
    let root = c.ca.cert.to_str().unwrap();
    let mut s = s_server(&leaf, &["-cert_chain", root], None);
    let (code, err) = connect(&["connect", &format!("localhost:{}", s.port), "-n"]);
    s.proc.kill();
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("that CA is not in the trust store"), "{err}");
    assert!(
        hint_of(&err).contains("root that is not in the trust store"),
        "{err}"
    );

    // Without the root, the leaf's issuer is simply missing.
    let mut s = s_server(&leaf, &[], None);
    let (code, err) = connect(&["connect", &format!("localhost:{}", s.port), "-n"]);
    s.proc.kill();
    assert_eq!(code, 3, "{err}");
    assert!(hint_of(&err).contains("--ca-file"), "{err}");
}

/// A plain-text server: "this is not TLS", naming the protocol, and the --starttls hint.
#[test]
fn plain_http_server_is_not_tls() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        l.set_nonblocking(false).unwrap();
        if let Ok((mut s, _)) = l.accept() {
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let (code, err) = connect(&["connect", &format!("127.0.0.1:{port}"), "-n"]);
    server.join().unwrap();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("this is not TLS: the peer speaks HTTP"),
        "{err}"
    );
    assert!(hint_of(&err).contains("--starttls"), "{err}");
}

/// ALPN h2 and a pipe: stderr says the pipe carries HTTP/2 frames.
#[test]
fn h2_pipe_is_announced() {
    if !need_openssl() {
        return;
    }
    let pair = certs().leaf(Key::P256);
    let mut s = s_server(pair, &["-alpn", "h2"], None);
    let (code, _, err) = probe(&[
        "connect",
        &format!("127.0.0.1:{}", s.port),
        "-k",
        "--alpn",
        "h2,http/1.1",
    ]);
    s.proc.kill();
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the pipe now carries HTTP/2 frames"), "{err}");
    // Without h2 nothing is said.
    let mut s = s_server(pair, &["-alpn", "http/1.1"], None);
    let (_, _, err) = probe(&[
        "connect",
        &format!("127.0.0.1:{}", s.port),
        "-k",
        "--alpn",
        "h2,http/1.1",
    ]);
    s.proc.kill();
    assert!(!err.contains("HTTP/2 frames"), "{err}");
}
