//! Accuracy tests for `tlsprobe scan` against `openssl s_server` on 127.0.0.1: versions,
//! suites and their order (compared with `openssl ciphers -stdname`), groups, certificates,
//! features, findings, and a 200-target fleet. Every wait is bounded; all traffic is loopback.

mod common;
use common::{need_openssl, run, scratch, serve_on_free_port, CertPair, CertSpec, Key, Server};

use std::process::Command;
use std::time::{Duration, Instant};

use tlsprobe::report::scan_render;
use tlsprobe::scan::{self, ScanOptions, TargetReport};
use tlsprobe::wire::codepoints::ProtocolVersion;

/// An RSA and an ECDSA certificate for localhost only (not 127.0.0.1: a scan of 127.0.0.1
/// without SNI must find the name mismatch).
struct Certs {
    _dir: tempfile::TempDir,
    rsa: CertPair,
    ec: CertPair,
}

fn certs() -> Certs {
    let dir = scratch();
    let spec = |key| {
        CertSpec::new(key, "localhost")
            .days(365)
            .ext("subjectAltName=DNS:localhost")
    };
    Certs {
        rsa: spec(Key::Rsa).self_signed(dir.path(), "rsa"),
        ec: spec(Key::P256).self_signed(dir.path(), "ec"),
        _dir: dir,
    }
}

/// `openssl s_server -quiet` with the RSA certificate (and the ECDSA one when `ec_too`),
/// plus `args`.
fn s_server(c: &Certs, ec_too: bool, args: &[&str]) -> Server {
    serve_on_free_port("openssl s_server", |port| {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-quiet", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&c.rsa.cert)
            .arg("-key")
            .arg(&c.rsa.key);
        if ec_too {
            cmd.arg("-dcert")
                .arg(&c.ec.cert)
                .arg("-dkey")
                .arg(&c.ec.key);
        }
        cmd.args(args);
        cmd
    })
}

fn target(s: &Server) -> String {
    format!("127.0.0.1:{}", s.port)
}

fn scan_one(target: &str, sni: Option<&str>) -> TargetReport {
    let opts = ScanOptions {
        targets: vec![target.to_string()],
        concurrency: 8,
        timeout: Duration::from_secs(5),
        sni: sni.map(str::to_string),
        ..Default::default()
    };
    let mut out = vec![];
    let failed = scan::run(&opts, &mut |r| out.push(r));
    assert_eq!(out.len(), 1);
    assert_eq!(failed, usize::from(out[0].error.is_some()));
    let r = out.pop().unwrap();
    // The JSON always has the documented keys.
    let j = scan_render::to_json(&r);
    for k in [
        "target",
        "ip",
        "sni",
        "protocols",
        "groups",
        "signature_algorithms",
        "features",
        "certificates",
        "findings",
        "connections",
        "elapsed_ms",
        "error",
    ] {
        assert!(j.get(k).is_some(), "missing key {k}");
    }
    eprintln!("{}", scan_render::human(&r, false));
    r
}

/// Expected TLS 1.2-and-below suites of an OpenSSL cipher string, in OpenSSL's order.
fn openssl_list(spec: &str) -> Vec<String> {
    let mut c = Command::new("openssl");
    c.args(["ciphers", "-stdname", spec]);
    run(c, b"", Duration::from_secs(20))
        .stdout
        .lines()
        .filter(|l| !l.contains("TLSv1.3"))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn suites(r: &TargetReport, v: ProtocolVersion) -> (bool, Option<bool>, Vec<String>) {
    let p = r.protocols.iter().find(|p| p.version == v).unwrap();
    (
        p.supported,
        p.server_order,
        p.cipher_suites
            .iter()
            .map(|s| s.name().unwrap().to_string())
            .collect(),
    )
}

fn has_finding(r: &TargetReport, id: &str) -> bool {
    r.findings.iter().any(|f| f.id == id)
}

const LIST1: &str = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:CAMELLIA128-SHA";

#[test]
fn tls12_server_order_matches_openssl() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let s = s_server(&c, false, &["-tls1_2", "-cipher", LIST1, "-serverpref"]);
    let r = scan_one(&target(&s), None);
    assert!(r.error.is_none(), "{:?}", r.error);
    let (sup, order, list) = suites(&r, ProtocolVersion::TLS12);
    assert!(sup);
    assert_eq!(order, Some(true));
    assert_eq!(list, openssl_list(LIST1));
    for v in [
        ProtocolVersion::SSL3,
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS13,
    ] {
        assert!(!suites(&r, v).0, "{v} should be unsupported");
    }
    // Certificate from the TLS 1.2 flight; 127.0.0.1 is not among its names.
    assert_eq!(r.certificates.len(), 1);
    assert_eq!(r.certificates[0].key, "RSA 2048");
    assert!(has_finding(&r, "name_mismatch"));
    assert!(has_finding(&r, "no_tls1_3"));
    assert!(has_finding(&r, "no_forward_secrecy"));
    assert_eq!(r.features.extended_master_secret, Some(true));
    assert_eq!(r.features.secure_renegotiation, Some(true));
    assert_eq!(r.features.compression, Some(false));
    assert_eq!(r.features.fallback_scsv, None);
    assert_eq!(r.features.encrypt_then_mac, Some(true));
    assert!(r
        .groups
        .contains(&tlsprobe::wire::codepoints::NamedGroup::X25519));
    assert!(r
        .signature_algorithms
        .iter()
        .any(|s| s.to_string() == "rsa_pss_rsae_sha256"));
    assert!(r.connections <= 45, "{} connections", r.connections);
    let human = scan_render::human(&r, false);
    assert!(human.contains("server enforces its order"));
    // With the SNI the names match.
    let r = scan_one(&target(&s), Some("localhost"));
    assert!(!has_finding(&r, "name_mismatch"));
    assert_eq!(r.sni.as_deref(), Some("localhost"));
}

#[test]
fn tls12_client_order_reported_truthfully() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let s = s_server(&c, false, &["-tls1_2", "-cipher", LIST1]);
    let r = scan_one(&target(&s), None);
    let (sup, order, list) = suites(&r, ProtocolVersion::TLS12);
    assert!(sup);
    assert_eq!(order, Some(false));
    // Scanner (code point) order.
    let mut expected = openssl_list(LIST1);
    expected.sort_by_key(|n| tlsprobe::wire::suites::CipherSuite::parse_user(n).unwrap());
    assert_eq!(list, expected);
    assert!(scan_render::human(&r, false).contains("server follows the client's order"));
    let j = scan_render::to_json(&r);
    assert_eq!(j["protocols"][3]["server_order"], serde_json::json!(false));
}

#[test]
fn tls13_suites_groups_and_certificates_by_full_handshake() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let s = s_server(
        &c,
        false,
        &[
            "-tls1_3",
            "-ciphersuites",
            "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
            "-groups",
            "P-384:X25519:ffdhe2048",
            "-serverpref",
        ],
    );
    let r = scan_one(&target(&s), None);
    let (sup, order, list) = suites(&r, ProtocolVersion::TLS13);
    assert!(sup);
    assert_eq!(order, Some(true));
    assert_eq!(
        list,
        vec!["TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"]
    );
    assert!(!suites(&r, ProtocolVersion::TLS12).0);
    let groups: Vec<String> = r.groups.iter().map(|g| g.to_string()).collect();
    assert_eq!(groups, vec!["secp384r1", "x25519", "ffdhe2048"]);
    assert_eq!(r.groups_server_order, Some(true));
    // TLS 1.3 certificates travel encrypted: the scan reads them with a complete handshake.
    assert_eq!(r.certificates.len(), 1, "{:?}", r.notes);
    assert!(
        r.certificates[0].subject.contains("localhost"),
        "{:?}",
        r.certificates
    );
    assert_eq!(r.features.session_id_resumption, None);
    assert!(!has_finding(&r, "no_tls1_3"));
    // OpenSSL 3.0 has no ML-KEM group.
    assert!(has_finding(&r, "no_post_quantum"));
}

#[test]
fn dhe_ecdsa_and_rsa_certificates() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let list = "ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ARIA128-GCM-SHA256";
    let s = s_server(&c, true, &["-tls1_2", "-cipher", list, "-serverpref"]);
    let r = scan_one(&target(&s), Some("localhost"));
    let (_, order, got) = suites(&r, ProtocolVersion::TLS12);
    assert_eq!(order, Some(true));
    assert_eq!(got, openssl_list(list));
    let mut keys: Vec<&str> = r.certificates.iter().map(|c| c.key.as_str()).collect();
    keys.sort();
    assert_eq!(keys, vec!["EC P-256", "RSA 2048"]);
    let algs: Vec<String> = r
        .signature_algorithms
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        algs.contains(&"ecdsa_secp256r1_sha256".to_string()),
        "{algs:?}"
    );
    assert!(
        algs.contains(&"rsa_pss_rsae_sha256".to_string()),
        "{algs:?}"
    );
    assert!(!has_finding(&r, "name_mismatch"));
}

#[test]
fn default_server_and_tls10_findings() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let s = s_server(&c, true, &[]);
    let r = scan_one(&target(&s), Some("localhost"));
    assert!(suites(&r, ProtocolVersion::TLS13).0);
    assert!(suites(&r, ProtocolVersion::TLS12).0);
    assert_eq!(suites(&r, ProtocolVersion::TLS13).2.len(), 3);
    assert_eq!(r.features.fallback_scsv, Some(true));
    assert_eq!(r.features.session_ticket, Some(true));
    assert_eq!(r.features.alpn, Some(vec![]));
    let groups: Vec<String> = r.groups.iter().map(|g| g.to_string()).collect();
    for g in ["x25519", "secp256r1", "secp384r1", "secp521r1", "x448"] {
        assert!(groups.contains(&g.to_string()), "{groups:?}");
    }
    assert_eq!(r.certificates.len(), 2);
    // Tested with two complete handshakes by tlsprobe's own client.
    assert_eq!(r.features.session_id_resumption, Some(true));
    drop(s);

    let s = s_server(&c, false, &["-tls1", "-cipher", "AES128-SHA:@SECLEVEL=0"]);
    let r = scan_one(&target(&s), None);
    let (sup, _, list) = suites(&r, ProtocolVersion::TLS10);
    assert!(sup);
    assert_eq!(list, vec!["TLS_RSA_WITH_AES_128_CBC_SHA"]);
    assert!(has_finding(&r, "tls1_0_enabled"));
    assert!(has_finding(&r, "beast"));
    assert!(!suites(&r, ProtocolVersion::TLS12).0);
}

#[test]
fn alpn_is_detected() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let s = s_server(&c, false, &["-tls1_2", "-alpn", "http/1.1"]);
    let r = scan_one(&target(&s), None);
    assert_eq!(r.features.alpn, Some(vec!["http/1.1".to_string()]));
}

#[test]
fn fleet_of_200_targets() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let servers: Vec<Server> = (0..4)
        .map(|_| s_server(&c, false, &["-tls1_2", "-cipher", LIST1]))
        .collect();
    // Dead ports: bound then closed, so connections are refused.
    let dead: Vec<u16> = (0..8).map(|_| common::free_port()).collect();
    let targets: Vec<String> = (0..200)
        .map(|i| {
            if i % 10 == 0 {
                target(&servers[(i / 10) % servers.len()])
            } else {
                format!("127.0.0.1:{}", dead[i % dead.len()])
            }
        })
        .collect();
    let opts = ScanOptions {
        concurrency: 32,
        timeout: Duration::from_secs(5),
        ..Default::default()
    };
    let t = Instant::now();
    let mut n = 0;
    let mut errors = 0;
    let failed = scan::run_iter(&opts, targets.clone().into_iter(), None, &mut |r| {
        n += 1;
        let j = scan_render::to_json(&r);
        let line = serde_json::to_string(&j).unwrap();
        assert!(!line.contains('\n'));
        if r.error.is_some() {
            errors += 1;
        } else {
            assert!(r.protocols.iter().any(|p| p.supported));
        }
    });
    eprintln!(
        "fleet: 200 targets in {:?} ({:.0} targets/s)",
        t.elapsed(),
        200.0 / t.elapsed().as_secs_f64()
    );
    assert_eq!(n, 200);
    assert_eq!(errors, 180);
    assert_eq!(failed, 180);

    // Sharding keeps index mod N == I.
    let opts = ScanOptions {
        targets: targets[..20].to_vec(),
        concurrency: 32,
        shard: Some((1, 4)),
        versions: vec![ProtocolVersion::TLS12],
        ..opts
    };
    let mut seen = vec![];
    scan::run(&opts, &mut |r| seen.push(r.target));
    assert_eq!(seen.len(), 5);
}

/// Prints the JSON scan of `$TLSPROBE_SCAN_TARGET` (for benchmarks before the CLI exists):
/// `TLSPROBE_SCAN_TARGET=127.0.0.1:4433 cargo test --release --test scan_openssl print_scan -- --ignored`
#[test]
#[ignore]
fn print_scan() {
    let Ok(t) = std::env::var("TLSPROBE_SCAN_TARGET") else {
        return;
    };
    let opts = ScanOptions {
        targets: vec![t],
        timeout: Duration::from_secs(5),
        ..Default::default()
    };
    scan::run(&opts, &mut |r| {
        println!(
            "{}",
            serde_json::to_string(&scan_render::to_json(&r)).unwrap()
        )
    });
}
