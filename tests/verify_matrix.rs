//! Certificate verification through `tlsprobe connect`, against `openssl s_server` and
//! against `tlsprobe listen`, for a PKI the test builds with rcgen: a valid chain with an
//! intermediate, an expired leaf, a not-yet-valid leaf, a wrong name, an unknown CA, a
//! missing intermediate, an IP SAN, a leaf without serverAuth. Each case asserts the exit
//! code (0, or 3 without -k) and the one-sentence reason. Loopback only.

mod common;
use common::{listen, need_openssl, run, serve_on_free_port, tp, Done};

use std::net::IpAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, SanType,
};

struct Issuer {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(name: &str, parent: Option<&Issuer>) -> Issuer {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, name);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let key = KeyPair::generate().unwrap();
    let cert = match parent {
        Some(i) => p.signed_by(&key, &i.cert, &i.key).unwrap(),
        None => p.self_signed(&key).unwrap(),
    };
    Issuer { cert, key }
}

#[derive(Clone, Copy)]
enum Leaf {
    Valid,
    Expired,
    NotYetValid,
    NoServerAuth,
}

fn leaf(kind: Leaf, issuer: &Issuer) -> (String, String) {
    let mut p = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.subject_alt_names
        .push(SanType::IpAddress("127.0.0.1".parse::<IpAddr>().unwrap()));
    p.distinguished_name.push(DnType::CommonName, "localhost");
    p.extended_key_usages = match kind {
        Leaf::NoServerAuth => vec![ExtendedKeyUsagePurpose::ClientAuth],
        _ => vec![ExtendedKeyUsagePurpose::ServerAuth],
    };
    match kind {
        Leaf::Expired => {
            p.not_before = rcgen::date_time_ymd(2020, 1, 1);
            p.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        Leaf::NotYetValid => {
            p.not_before = rcgen::date_time_ymd(2090, 1, 1);
            p.not_after = rcgen::date_time_ymd(2091, 1, 1);
        }
        _ => {
            p.not_before = rcgen::date_time_ymd(2024, 1, 1);
            p.not_after = rcgen::date_time_ymd(2090, 1, 1);
        }
    }
    let key = KeyPair::generate().unwrap();
    let cert = p.signed_by(&key, &issuer.cert, &issuer.key).unwrap();
    (cert.pem(), key.serialize_pem())
}

struct Case {
    name: &'static str,
    leaf: Leaf,
    /// Send the intermediate with the leaf.
    send_intermediate: bool,
    /// Trust the real root (false: an unrelated CA).
    trust_root: bool,
    /// Host name to verify (--sni), None: connect to 127.0.0.1 and match the IP SAN.
    sni: Option<&'static str>,
    expect_code: i32,
    expect_reason: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "valid chain",
        leaf: Leaf::Valid,
        send_intermediate: true,
        trust_root: true,
        sni: Some("localhost"),
        expect_code: 0,
        expect_reason: "",
    },
    Case {
        name: "IP SAN",
        leaf: Leaf::Valid,
        send_intermediate: true,
        trust_root: true,
        sni: None,
        expect_code: 0,
        expect_reason: "",
    },
    Case {
        name: "expired",
        leaf: Leaf::Expired,
        send_intermediate: true,
        trust_root: true,
        sni: Some("localhost"),
        expect_code: 3,
        expect_reason: "expired on 2021-01-01",
    },
    Case {
        name: "not yet valid",
        leaf: Leaf::NotYetValid,
        send_intermediate: true,
        trust_root: true,
        sni: Some("localhost"),
        expect_code: 3,
        expect_reason: "not valid until 2090-01-01",
    },
    Case {
        name: "wrong name",
        leaf: Leaf::Valid,
        send_intermediate: true,
        trust_root: true,
        sni: Some("wrong.example"),
        expect_code: 3,
        expect_reason: "name wrong.example not in [localhost, 127.0.0.1]",
    },
    Case {
        name: "unknown CA",
        leaf: Leaf::Valid,
        send_intermediate: true,
        trust_root: false,
        sni: Some("localhost"),
        expect_code: 3,
        expect_reason: "unknown CA",
    },
    Case {
        name: "missing intermediate",
        leaf: Leaf::Valid,
        send_intermediate: false,
        trust_root: true,
        sni: Some("localhost"),
        expect_code: 3,
        expect_reason: "missing intermediate",
    },
    Case {
        name: "no serverAuth",
        leaf: Leaf::NoServerAuth,
        send_intermediate: true,
        trust_root: true,
        sni: Some("localhost"),
        expect_code: 3,
        expect_reason: "server authentication",
    },
];

fn connect(dir: &Path, port: u16, case: &Case, insecure: bool) -> Done {
    let mut args = vec![
        "connect".to_string(),
        format!("127.0.0.1:{port}"),
        "-n".into(),
        "--ca-file".into(),
    ];
    args.push(if case.trust_root {
        "root.pem".into()
    } else {
        "other.pem".into()
    });
    if let Some(s) = case.sni {
        args.push("--sni".into());
        args.push(s.into());
    }
    if insecure {
        args.push("-k".into());
    }
    let mut c = tp(&args);
    c.current_dir(dir);
    run(c, b"", Duration::from_secs(30))
}

fn check(dir: &Path, port: u16, case: &Case, server: &str) {
    let out = connect(dir, port, case, false);
    let stderr = &out.stderr;
    assert_eq!(
        out.code,
        Some(case.expect_code),
        "{server}, {}: {stderr}",
        case.name
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    if case.expect_code == 3 {
        // The error is the last line but for its `hint:` line.
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.starts_with("hint: "))
            .unwrap_or_default();
        assert!(
            last.starts_with("error: certificate verification failed"),
            "{server}, {}: {last}",
            case.name
        );
        assert!(
            last.contains(case.expect_reason),
            "{server}, {}: expected '{}' in: {last}",
            case.name,
            case.expect_reason
        );
        // -k continues with a warning and exit 0.
        let out = connect(dir, port, case, true);
        let stderr = &out.stderr;
        assert_eq!(
            out.code,
            Some(0),
            "{server}, {} with -k: {stderr}",
            case.name
        );
        assert!(
            stderr.contains("warning: certificate verification failed"),
            "{stderr}"
        );
    }
}

fn setup(dir: &Path, case: &Case) {
    let root = ca("Matrix Root", None);
    let inter = ca("Matrix Intermediate", Some(&root));
    let other = ca("Unrelated Root", None);
    let (leaf_pem, key_pem) = leaf(case.leaf, &inter);
    std::fs::write(dir.join("root.pem"), root.cert.pem()).unwrap();
    std::fs::write(dir.join("other.pem"), other.cert.pem()).unwrap();
    std::fs::write(dir.join("leaf.pem"), &leaf_pem).unwrap();
    std::fs::write(dir.join("leaf.key"), key_pem).unwrap();
    std::fs::write(dir.join("inter.pem"), inter.cert.pem()).unwrap();
    let chain = if case.send_intermediate {
        format!("{leaf_pem}{}", inter.cert.pem())
    } else {
        leaf_pem
    };
    std::fs::write(dir.join("chain.pem"), chain).unwrap();
}

#[test]
fn verification_against_openssl_s_server() {
    if !need_openssl() {
        return;
    }
    for case in CASES {
        let dir = common::scratch();
        let d = dir.path();
        setup(d, case);
        let srv = serve_on_free_port("openssl s_server", |port| {
            let mut c = Command::new("openssl");
            c.args(["s_server", "-accept", &port.to_string()])
                .args(["-cert", "leaf.pem", "-key", "leaf.key", "-www", "-quiet"])
                .current_dir(d);
            if case.send_intermediate {
                c.args(["-cert_chain", "inter.pem"]);
            }
            c
        });
        check(d, srv.port, case, "openssl s_server");
    }
}

#[test]
fn verification_against_tlsprobe_listen() {
    for case in CASES {
        let dir = common::scratch();
        let d = dir.path();
        setup(d, case);
        let l = listen(&[
            "--cert",
            d.join("chain.pem").to_str().unwrap(),
            "--key",
            d.join("leaf.key").to_str().unwrap(),
            "-q",
        ]);
        check(d, l.port, case, "tlsprobe listen");
    }
}
