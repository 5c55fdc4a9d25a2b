//! Client certificates from `tlsprobe connect --cert/--key` against
//! `openssl s_server -Verify 1 -CAfile`: TLS 1.2 and 1.3, RSA, P-256, P-384 and Ed25519
//! client keys; without --cert an empty Certificate is sent and the server refuses.

mod common;
use common::{free_port, openssl_in as openssl, wait_port, Kill};

use std::path::Path;
use std::process::{Command, Stdio};

fn pki(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=Client CA",
            "-days",
            "30",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "srv.key",
            "-out",
            "srv.pem",
            "-subj",
            "/CN=localhost",
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n",
    )
    .unwrap();
    let kinds: [(&str, &[&str]); 4] = [
        ("rsa", &["-newkey", "rsa:2048"]),
        (
            "p256",
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ),
        (
            "p384",
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        ("ed25519", &["-newkey", "ed25519"]),
    ];
    for (name, key) in kinds {
        let (kf, csr, cf) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        let subj = format!("/CN=client-{name}");
        let mut args = vec!["req"];
        args.extend_from_slice(key);
        args.extend_from_slice(&["-nodes", "-keyout", &kf, "-out", &csr, "-subj", &subj]);
        openssl(dir, &args);
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &cf,
                "-days",
                "30",
                "-extfile",
                "ext.cnf",
            ],
        );
    }
}

fn connect(dir: &Path, port: u16, tls: &str, cert: Option<&str>) -> (Option<i32>, String, String) {
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
    let o = Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
        .args(&args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn client_certificates_against_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    pki(d);
    let port = free_port();
    let _srv = Kill(
        Command::new("openssl")
            .args([
                "s_server",
                "-accept",
                &port.to_string(),
                "-cert",
                "srv.pem",
                "-key",
                "srv.key",
                "-Verify",
                "1",
                "-CAfile",
                "ca.pem",
                "-verify_return_error",
                "-www",
            ])
            .current_dir(d)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_port(port);
    for tls in ["1.2", "1.3"] {
        for key in ["rsa", "p256", "p384", "ed25519"] {
            let (code, _, err) = connect(d, port, tls, Some(key));
            assert_eq!(code, Some(0), "TLS {tls} {key}: {err}");
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
        assert_eq!(code, Some(1), "TLS {tls} without a certificate: {err}");
        assert!(err.contains("no --cert given"), "{err}");
        assert!(err.contains("CertificateRequest"), "{err}");
    }
}
