//! OCSP stapling both ways: `openssl s_server -status_file` stapling a response made with
//! `openssl ocsp`, shown by `tlsprobe connect`; and `tlsprobe listen --ocsp` stapling it to
//! `openssl s_client -status`. Loopback only; every server is stopped by its guard.

mod common;
use common::{free_port, openssl_in as openssl, wait_port, Kill};

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A CA, a leaf for localhost signed by it, and an OCSP response saying "good".
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
            "/CN=OCSP Test CA",
            "-days",
            "30",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "30",
            "-extfile",
            "ext.cnf",
        ],
    );
    let serial = Command::new("openssl")
        .args(["x509", "-in", "leaf.pem", "-noout", "-serial"])
        .current_dir(dir)
        .output()
        .unwrap();
    let serial = String::from_utf8_lossy(&serial.stdout)
        .trim()
        .trim_start_matches("serial=")
        .to_string();
    // index.txt: V <expiry> <revocation> <serial> unknown <subject>
    std::fs::write(
        dir.join("index.txt"),
        format!("V\t301231235959Z\t\t{serial}\tunknown\t/CN=localhost\n"),
    )
    .unwrap();
    openssl(
        dir,
        &[
            "ocsp",
            "-issuer",
            "ca.pem",
            "-cert",
            "leaf.pem",
            "-reqout",
            "req.der",
            "-no_nonce",
        ],
    );
    openssl(
        dir,
        &[
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            "ca.pem",
            "-rkey",
            "ca.key",
            "-CA",
            "ca.pem",
            "-reqin",
            "req.der",
            "-respout",
            "resp.der",
            "-ndays",
            "7",
        ],
    );
}

#[test]
fn connect_shows_stapled_response_tls12_and_tls13() {
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
                "leaf.pem",
                "-key",
                "leaf.key",
                "-status_file",
                "resp.der",
                "-www",
                "-quiet",
            ])
            .current_dir(d)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_port(port);
    for v in ["1.2", "1.3"] {
        let out = Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
            .args([
                "connect",
                &format!("127.0.0.1:{port}"),
                "--sni",
                "localhost",
                "--ca-file",
                "ca.pem",
                "-n",
                "--json",
                "--tls",
                v,
            ])
            .current_dir(d)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "TLS {v}: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        let check = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .flat_map(|v| v["checks"].as_array().cloned().unwrap_or_default())
            .find(|c| c["what"] == "OCSP")
            .unwrap_or_else(|| panic!("TLS {v}: no OCSP check in\n{stdout}"));
        let detail = check["detail"].as_str().unwrap();
        assert!(
            detail.contains("successful") && detail.contains("certificate good"),
            "TLS {v}: {detail}"
        );
        assert!(detail.contains("OCSP Test CA"), "TLS {v}: {detail}");
        assert_eq!(check["ok"], true);
    }
}

#[test]
fn listen_staples_for_s_client() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    pki(d);
    let port = free_port();
    let _srv = Kill(
        Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
            .args([
                "listen",
                &port.to_string(),
                "--cert",
                "leaf.pem",
                "--key",
                "leaf.key",
                "--ocsp",
                "resp.der",
                "-q",
            ])
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_port(port);
    for v in ["-tls1_2", "-tls1_3"] {
        let mut c = Command::new("openssl")
            .args([
                "s_client",
                "-connect",
                &format!("127.0.0.1:{port}"),
                "-status",
                v,
                "-servername",
                "localhost",
            ])
            .current_dir(d)
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
        let out = c.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("OCSP Response Status: successful"),
            "{v}: {text}"
        );
        assert!(text.contains("Cert Status: good"), "{v}: {text}");
    }
}
