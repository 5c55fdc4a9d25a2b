//! OCSP stapling both ways: `openssl s_server -status_file` stapling a response made with
//! `openssl ocsp`, shown by `tlsprobe connect`; and `tlsprobe listen --ocsp` stapling it to
//! `openssl s_client -status`. Loopback only; every server is stopped by its guard.

mod common;
use common::{
    listen, need_openssl, openssl_in as openssl, run, s_client, serve_on_free_port, tp, CertSpec,
    Key,
};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A CA, a leaf for localhost signed by it, and an OCSP response saying "good".
fn pki(dir: &Path) {
    let ca = CertSpec::new(Key::P256, "OCSP Test CA").self_signed(dir, "ca");
    CertSpec::new(Key::P256, "localhost")
        .ext("subjectAltName=DNS:localhost,IP:127.0.0.1")
        .ext("basicConstraints=critical,CA:FALSE")
        .ext("extendedKeyUsage=serverAuth")
        .issued_by(&ca, dir, "leaf");
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
    if !need_openssl() {
        return;
    }
    let dir = common::scratch();
    let d = dir.path();
    pki(d);
    let srv = serve_on_free_port("openssl s_server", |port| {
        let mut c = Command::new("openssl");
        c.args(["s_server", "-accept", &port.to_string()])
            .args([
                "-cert",
                "leaf.pem",
                "-key",
                "leaf.key",
                "-status_file",
                "resp.der",
            ])
            .args(["-www", "-quiet"])
            .current_dir(d);
        c
    });
    for v in ["1.2", "1.3"] {
        let mut c = tp([
            "connect",
            &format!("127.0.0.1:{}", srv.port),
            "--sni",
            "localhost",
            "--ca-file",
            "ca.pem",
            "-n",
            "--json",
            "--tls",
            v,
        ]);
        c.current_dir(d);
        let out = run(c, b"", Duration::from_secs(30));
        assert_eq!(out.code, Some(0), "TLS {v}: {}", out.all());
        let check = out
            .json()
            .iter()
            .flat_map(|v| v["checks"].as_array().cloned().unwrap_or_default())
            .find(|c| c["what"] == "OCSP")
            .unwrap_or_else(|| panic!("TLS {v}: no OCSP check in\n{}", out.stdout));
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
    if !need_openssl() {
        return;
    }
    let dir = common::scratch();
    let d = dir.path();
    pki(d);
    let ocsp = d.join("resp.der");
    let l = listen(&[
        "--cert",
        d.join("leaf.pem").to_str().unwrap(),
        "--key",
        d.join("leaf.key").to_str().unwrap(),
        "--ocsp",
        ocsp.to_str().unwrap(),
        "-q",
    ]);
    for v in ["-tls1_2", "-tls1_3"] {
        let out = s_client(
            l.port,
            &["-status", v, "-servername", "localhost"],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        let text = out.stdout;
        assert!(
            text.contains("OCSP Response Status: successful"),
            "{v}: {text}"
        );
        assert!(text.contains("Cert Status: good"), "{v}: {text}");
    }
}
