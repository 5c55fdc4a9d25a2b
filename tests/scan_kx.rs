//! Key-exchange strength and client certificates in `tlsprobe scan`: the DHE group (size and
//! well-known name, the Logjam finding), the RFC 7919 groups a TLS 1.2 server honours, the
//! groups per protocol version and per suite, and the client-certificate mode with its CA
//! names, against openssl s_server, gnutls-serv, `tlsprobe listen` and a tlslite-ng server
//! with chosen DHE parameters (tests/support/dhe_server.py). Every server runs on 127.0.0.1
//! and is killed by its guard; every wait is bounded.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tlsprobe::crypto::dh_groups::KNOWN;
use tlsprobe::report::scan_render;
use tlsprobe::scan::client_auth::ClientAuthMode;
use tlsprobe::scan::TargetReport;

/// Scans one loopback port and checks the JSON keys this feature adds.
fn scan_port(port: u16) -> TargetReport {
    // Issue 16's budget for a whole scan with every check: 100 connections per target.
    scan_within(port, 100)
}

/// Like [`scan_port`], for a server whose scan may take up to `budget` connections.
fn scan_within(port: u16, budget: usize) -> TargetReport {
    // The whole scan, vulnerability checks included, stays inside `budget`.
    let opts = scan_options(vec![loopback_target(port)]);
    let r = scan_reports(&opts, budget).pop().expect("one report");
    let j = scan_render::to_json(&r);
    for p in j["protocols"].as_array().unwrap() {
        assert!(
            p.get("groups").is_some() && p["suite_groups"].is_object(),
            "{p}"
        );
    }
    assert!(j.get("dh").is_some() && j.get("client_auth").is_some());
    r
}

fn json(r: &TargetReport) -> serde_json::Value {
    scan_render::to_json(r)
}

fn version_groups(r: &TargetReport, v: &str) -> Option<Vec<String>> {
    let j = json(r);
    let p = j["protocols"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["version"] == v)
        .cloned()?;
    serde_json::from_value(p["groups"].clone()).unwrap()
}

fn logjam(r: &TargetReport) -> Option<(String, String)> {
    r.findings
        .iter()
        .find(|f| f.id == "logjam")
        .map(|f| (f.severity.as_str().to_string(), f.detail.clone()))
}

/// DH parameters written by openssl into `dir`: `group` a name openssl knows (ffdhe3072,
/// modp_1536), or "custom1024" for fresh `openssl dhparam 1024` parameters.
fn dhparam(dir: &Path, group: &str) -> PathBuf {
    let file = dir.join(format!("{group}.pem"));
    let mut c = Command::new("openssl");
    if group == "custom1024" {
        c.args(["dhparam", "-out"]).arg(&file).arg("1024");
    } else {
        c.args(["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt"])
            .arg(format!("group:{group}"))
            .arg("-out")
            .arg(&file);
    }
    let d = run(c, b"", Duration::from_secs(60));
    assert_eq!(d.code, Some(0), "{}", d.all());
    file
}

fn rsa_leaf() -> CertPair {
    certs().leaf(Key::Rsa).clone()
}

#[test]
fn openssl_dhe_groups_are_named_and_weak_ones_found() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let leaf = rsa_leaf();
    // (parameters, bits, group, logjam severity)
    let cases = [
        ("ffdhe3072", 3072, "ffdhe3072", None),
        ("modp_1536", 1536, "modp_1536", Some("medium")),
        ("custom1024", 1024, "custom", Some("medium")),
    ];
    for (params, bits, group, severity) in cases {
        let file = dhparam(dir.path(), params);
        let s = s_server(
            &leaf,
            &[
                "-dhparam",
                file.to_str().unwrap(),
                "-cipher",
                "DEFAULT:@SECLEVEL=1",
            ],
            None,
        );
        let r = scan_port(s.port);
        let d = r.dh.clone().expect("a DHE group");
        assert_eq!((d.bits, d.group.as_str()), (bits, group), "{params}");
        assert_eq!(r.dh_min_bits, Some(bits));
        assert_eq!(
            json(&r)["dh"],
            serde_json::json!({"bits": bits, "group": group})
        );
        let found = logjam(&r);
        assert_eq!(found.as_ref().map(|f| f.0.as_str()), severity, "{params}");
        if let Some((_, detail)) = found {
            // A published prime is worse than a custom one of the same size: said so.
            assert_eq!(detail.contains("shared by many servers"), group != "custom");
        }
        // OpenSSL 3.0 uses its configured parameters whatever ffdhe groups a TLS 1.2
        // client offers: no RFC 7919 group in the TLS 1.2 list.
        let g12 = version_groups(&r, "TLS 1.2").unwrap();
        assert!(g12.iter().all(|g| !g.starts_with("ffdhe")), "{g12:?}");
        // Every DHE suite names the group, every ECDHE suite a curve of the list.
        let j = json(&r);
        let p12 = &j["protocols"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["version"] == "TLS 1.2")
            .unwrap()["suite_groups"];
        for (suite, g) in p12.as_object().unwrap() {
            let g = g.as_str().unwrap();
            if suite.contains("_DHE_") {
                let want = if group == "custom" {
                    format!("custom-{bits}")
                } else {
                    group.to_string()
                };
                assert_eq!(g, want, "{suite}");
            } else {
                assert!(g12.iter().any(|x| x == g), "{suite}: {g}");
            }
        }
    }
}

#[test]
fn openssl_groups_per_version_and_default_dh() {
    if !need_openssl() {
        return;
    }
    let s = s_server(&rsa_leaf(), &[], None);
    let r = scan_port(s.port);
    let g13 = version_groups(&r, "TLS 1.3").unwrap();
    let g12 = version_groups(&r, "TLS 1.2").unwrap();
    // OpenSSL offers the finite-field groups in TLS 1.3 (RFC 8446 §4.2.7) but does not
    // negotiate them for TLS 1.2 DHE.
    assert!(g13.contains(&"ffdhe2048".to_string()), "{g13:?}");
    assert!(g12.contains(&"x25519".to_string()), "{g12:?}");
    assert!(g12.iter().all(|g| !g.starts_with("ffdhe")), "{g12:?}");
    let top: Vec<String> = r.groups.iter().map(|g| g.to_string()).collect();
    assert_eq!(top, g13, "the top-level list stays the TLS 1.3 one");
    // Versions not supported have no list.
    assert_eq!(version_groups(&r, "SSL 3.0"), None);
    // OpenSSL's automatic DHE parameters are a published 2048-bit prime: no finding.
    let d = r.dh.clone().unwrap();
    assert_eq!(d.bits, 2048);
    assert_ne!(d.group, "custom");
    assert!(logjam(&r).is_none());
    assert_eq!(
        r.client_auth.as_ref().map(|a| a.mode),
        Some(ClientAuthMode::None)
    );
}

#[test]
fn tlslite_rfc7919_groups_and_a_768_bit_prime() {
    if !need_tlslite() {
        return;
    }
    let leaf = rsa_leaf();
    let modp768 = KNOWN.iter().find(|k| k.name == "rfc2409_group1").unwrap();
    let srv = python(
        "dhe_server.py",
        &[
            leaf.cert.to_str().unwrap(),
            leaf.key.to_str().unwrap(),
            modp768.p_hex,
            "ffdhe2048,ffdhe3072",
        ],
    );
    let r = scan_port(srv.port);
    // A client offering no ffdhe group gets the 768-bit Oakley group 1: Logjam, high.
    let d = r.dh.clone().unwrap();
    assert_eq!((d.bits, d.group.as_str()), (768, "rfc2409_group1"));
    assert_eq!(logjam(&r).map(|f| f.0), Some("high".to_string()));
    // The RFC 7919 groups it honours are in the TLS 1.2 list, the others not.
    let g12 = version_groups(&r, "TLS 1.2").unwrap();
    assert!(g12.contains(&"ffdhe2048".to_string()), "{g12:?}");
    assert!(g12.contains(&"ffdhe3072".to_string()), "{g12:?}");
    assert!(!g12.contains(&"ffdhe4096".to_string()), "{g12:?}");
    assert!(g12.contains(&"x25519".to_string()), "{g12:?}");
}

/// The client-certificate report of a scan of `port`.
fn client_auth(port: u16, budget: usize) -> (ClientAuthMode, Vec<String>, usize) {
    let r = scan_within(port, budget);
    let a = r
        .client_auth
        .clone()
        .unwrap_or_else(|| panic!("no client_auth: {:?}", r.notes));
    if a.mode != ClientAuthMode::None {
        assert!(!a.signature_algorithms.is_empty());
    }
    (a.mode, a.ca_names, r.connections)
}

#[test]
fn openssl_client_auth_modes() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let ca = c.ca.cert.to_str().unwrap();
    for versions in [&[][..], &["-tls1_2"][..]] {
        for (flag, mode) in [
            ("-verify", ClientAuthMode::Optional),
            ("-Verify", ClientAuthMode::Required),
        ] {
            let mut args = vec![flag, "1", "-CAfile", ca];
            args.extend_from_slice(versions);
            let s = s_server(&rsa_leaf(), &args, None);
            let (m, names, _) = client_auth(s.port, 100);
            assert_eq!(m, mode, "{args:?}");
            assert_eq!(names, vec!["CN=tlsprobe test CA".to_string()], "{args:?}");
        }
    }
}

#[test]
fn gnutls_client_auth_modes() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let c = certs();
    let leaf = c.leaf(Key::P256).clone();
    for (flag, mode) in [
        ("--verify-client-cert", ClientAuthMode::Optional),
        ("--require-client-cert", ClientAuthMode::Required),
    ] {
        let ca = c.ca.cert.to_str().unwrap();
        let srv = gnutls_serv(&leaf, &["--echo", flag, "--x509cafile", ca]);
        let (m, names, _) = client_auth(srv.port, 100);
        assert_eq!(m, mode, "{flag}");
        assert_eq!(names, vec!["CN=tlsprobe test CA".to_string()], "{flag}");
    }
}

#[test]
fn tlsprobe_listen_client_auth_modes() {
    let c = certs();
    for (arg, mode) in [
        ("none", ClientAuthMode::None),
        ("request", ClientAuthMode::Optional),
        ("require", ClientAuthMode::Required),
    ] {
        let ca = c.ca.cert.to_str().unwrap();
        let srv = listen_quiet("127.0.0.1:0", &["--client-auth", arg, "--ca-file", ca]);
        // tlsprobe listen accepts 75 TLS 1.2 suites (one connection each to enumerate them)
        // and every group: its scan is the longest, about 150 connections.
        let (m, _, _) = client_auth(srv.port, 160);
        assert_eq!(m, mode, "{arg}");
    }
}

/// nginx on a free port with `ssl_verify_client MODE` (TLS 1.2 and 1.3, its default suites,
/// no ssl_dhparam), every path in `dir`; one process (`master_process off`), so the guard's
/// kill leaves no worker behind.
fn nginx(dir: &Path, leaf: &CertPair, ca: &Path, mode: &str) -> Server {
    serve_on_free_port("nginx", |port| {
        let d = dir.display();
        let conf = format!(
            "master_process off;\npid {d}/nginx-{port}.pid;\nerror_log {d}/error-{port}.log;\nevents {{}}\n\
             http {{\n access_log off;\n client_body_temp_path {d}/body;\n proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\n uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n\
             server {{\n  listen 127.0.0.1:{port} ssl;\n  ssl_certificate {};\n  ssl_certificate_key {};\n\
             ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_client_certificate {};\n  ssl_verify_client {mode};\n\
             location / {{ return 200 \"ok\\n\"; }}\n }}\n}}\n",
            leaf.cert.display(),
            leaf.key.display(),
            ca.display()
        );
        let file = dir.join(format!("nginx-{port}.conf"));
        std::fs::write(&file, conf).unwrap();
        let mut c = Command::new("nginx");
        c.arg("-c")
            .arg(&file)
            .args(["-p"])
            .arg(dir)
            .args(["-g", "daemon off;"]);
        c
    })
}

#[test]
fn nginx_client_auth_and_no_dhe() {
    if !require_peer(runs("nginx", &["-v"]), "nginx", "apt-get install nginx") {
        return;
    }
    let dir = scratch();
    let c = certs();
    let leaf = rsa_leaf();
    for (mode, want) in [
        ("off", ClientAuthMode::None),
        ("optional", ClientAuthMode::Optional),
        // nginx finishes the handshake without a certificate even with `on` and refuses
        // the HTTP request instead (400): at the TLS level that is optional.
        ("on", ClientAuthMode::Optional),
    ] {
        let srv = nginx(dir.path(), &leaf, &c.ca.cert, mode);
        let r = scan_port(srv.port);
        let a = r.client_auth.clone().unwrap();
        assert_eq!(a.mode, want, "{mode}");
        if want != ClientAuthMode::None {
            assert_eq!(a.ca_names, vec!["CN=tlsprobe test CA".to_string()]);
        }
        // nginx has no DH parameters of its own since 1.11: no DHE suite, no "dh".
        assert!(r.dh.is_none(), "{:?}", r.dh);
        assert!(logjam(&r).is_none());
    }
}
