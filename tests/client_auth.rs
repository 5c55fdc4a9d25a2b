//! Client certificates from `tlsprobe connect --cert/--key` against
//! `openssl s_server -Verify 1 -CAfile`: TLS 1.2 and 1.3, RSA, P-256, P-384 and Ed25519
//! client keys; without --cert an empty Certificate is sent and the server refuses.

mod common;
use common::{need_openssl, run, serve_on_free_port, tp, CertSpec, Key};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A client CA (ca.pem) with a client certificate per key type (KEY.pem, KEY.key), and the
/// server's self-signed certificate (srv.pem, srv.key).
fn pki(dir: &Path) {
    let ca = CertSpec::new(Key::P256, "Client CA").self_signed(dir, "ca");
    CertSpec::new(Key::P256, "localhost")
        .ext("basicConstraints=critical,CA:FALSE")
        .ext("subjectAltName=DNS:localhost")
        .self_signed(dir, "srv");
    for key in Key::ALL {
        CertSpec::new(key, &format!("client-{}", key.name()))
            .ext("basicConstraints=critical,CA:FALSE")
            .ext("extendedKeyUsage=clientAuth")
            .issued_by(&ca, dir, key.name());
    }
}

fn connect(dir: &Path, port: u16, tls: &str, cert: Option<&str>) -> (i32, String, String) {
    let mut args = vec![
        "connect".to_string(),
        format!("127.0.0.1:{port}"),
        "--sni".into(),
        "localhost".into(),
        "--ca-file".into(),
        "srv.pem".into(),
        "-n".into(),
        "--tls".into(),
        tls.into(),
    ];
    if let Some(c) = cert {
        args.extend([
            "--cert".into(),
            format!("{c}.pem"),
            "--key".into(),
            format!("{c}.key"),
        ]);
    }
    let mut c = tp(&args);
    c.current_dir(dir);
    run(c, b"", Duration::from_secs(30)).parts()
}

#[test]
fn client_certificates_against_openssl() {
    if !need_openssl() {
        return;
    }
    let dir = common::scratch();
    let d = dir.path();
    pki(d);
    let srv = serve_on_free_port("openssl s_server", |port| {
        let mut c = Command::new("openssl");
        c.args(["s_server", "-accept", &port.to_string()])
            .args(["-cert", "srv.pem", "-key", "srv.key"])
            .args([
                "-Verify",
                "1",
                "-CAfile",
                "ca.pem",
                "-verify_return_error",
                "-www",
            ])
            .current_dir(d);
        c
    });
    let port = srv.port;
    for tls in ["1.2", "1.3"] {
        for key in Key::ALL.map(Key::name) {
            let (code, _, err) = connect(d, port, tls, Some(key));
            assert_eq!(code, 0, "TLS {tls} {key}: {err}");
            assert!(
                err.contains("CertificateRequest"),
                "TLS {tls} {key}: the trace shows the request\n{err}"
            );
            assert!(
                err.contains("→ CertificateVerify"),
                "TLS {tls} {key}: we signed\n{err}"
            );
            // The trace names the CAs the server accepts (RFC 5246 §7.4.4, RFC 8446 §4.2.4).
            assert!(
                err.contains("CN=Client CA"),
                "TLS {tls} {key}: CA names\n{err}"
            );
        }
        // Without --cert: an empty Certificate; s_server -Verify refuses.
        let (code, _, err) = connect(d, port, tls, None);
        assert_eq!(code, 1, "TLS {tls} without a certificate: {err}");
        assert!(err.contains("no --cert given"), "{err}");
        assert!(err.contains("CertificateRequest"), "{err}");
    }
}
