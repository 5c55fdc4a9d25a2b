//! `scan`'s certificate trust against `openssl s_server` and `gnutls-serv` on 127.0.0.1: the
//! chain checked as connect checks it (`--ca-file` or the system store), complete or not, in
//! order or not, self-signed, expired, name mismatch, SHA-1 signed; the OCSP staple's status;
//! the SCTs and where they came from; and `scan --ca-file`'s usage errors. Certificates are
//! made in the test (rcgen, and `openssl x509 -sha1` for the SHA-1 one). Every server is
//! killed by its guard; every wait is bounded.

mod common;
use common::{
    loopback_target, need_gnutls, need_openssl, openssl_in, run, s_server, scan_options,
    scan_report, scratch, serve_on_free_port, tp, CertPair, SServer, LIMIT,
};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use serde_json::Value;
use tlsprobe::scan::trust::Anchors;
use tlsprobe::scan::{ScanOptions, TargetReport};
use tlsprobe::wire::codepoints::ProtocolVersion;

struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(cn: &str, issuer: Option<&Ca>) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(vec![]).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2045, 1, 1);
    let cert = match issuer {
        Some(i) => p.signed_by(&key, &i.cert, &i.key).unwrap(),
        None => p.self_signed(&key).unwrap(),
    };
    Ca { cert, key }
}

/// What a leaf looks like.
struct LeafSpec {
    /// Validity years (from 1 January to 1 January).
    years: (i32, i32),
    /// An embedded SCT list extension (RFC 6962 §3.3) with this many SCTs.
    scts: usize,
}

impl Default for LeafSpec {
    fn default() -> Self {
        LeafSpec {
            years: (2025, 2040),
            scts: 0,
        }
    }
}

/// A TLS-encoded SignedCertificateTimestampList of `n` (fake, well-formed) SCTs.
fn sct_list(n: usize) -> Vec<u8> {
    let one = [0u8; 47];
    let mut items = vec![];
    for _ in 0..n {
        items.extend_from_slice(&(one.len() as u16).to_be_bytes());
        items.extend_from_slice(&one);
    }
    let mut list = (items.len() as u16).to_be_bytes().to_vec();
    list.extend(items);
    list
}

/// The certificates of one test, on disk: root.pem, inter.pem, leaf.pem/leaf.key, and the
/// files servers and --ca-file take.
struct Pki {
    dir: tempfile::TempDir,
    root: Ca,
    inter: Ca,
}

impl Pki {
    fn new() -> Pki {
        let root = ca("Trust Test Root", None);
        let inter = ca("Trust Test Intermediate", Some(&root));
        let p = Pki {
            dir: scratch(),
            root,
            inter,
        };
        p.write("root.pem", &p.root.cert.pem());
        p.write("inter.pem", &p.inter.cert.pem());
        p.write("inter.key", &p.inter.key.serialize_pem());
        p.write(
            "root_and_inter.pem",
            &format!("{}{}", p.root.cert.pem(), p.inter.cert.pem()),
        );
        p
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        std::fs::write(self.path(name), text).unwrap();
        self.path(name)
    }

    /// A leaf for localhost and 127.0.0.1 issued by the intermediate (or self-signed).
    fn leaf(&self, stem: &str, spec: LeafSpec, self_signed: bool) -> CertPair {
        let key = KeyPair::generate().unwrap();
        let mut p =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, "localhost");
        p.not_before = rcgen::date_time_ymd(spec.years.0, 1, 1);
        p.not_after = rcgen::date_time_ymd(spec.years.1, 1, 1);
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        if spec.scts > 0 {
            let list = sct_list(spec.scts);
            let mut value = vec![0x04, 0x82];
            value.extend_from_slice(&(list.len() as u16).to_be_bytes());
            value.extend(list);
            p.custom_extensions = vec![CustomExtension::from_oid_content(
                &[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2],
                value,
            )];
        }
        let cert = if self_signed {
            p.self_signed(&key).unwrap()
        } else {
            p.signed_by(&key, &self.inter.cert, &self.inter.key)
                .unwrap()
        };
        CertPair {
            cert: self.write(&format!("{stem}.pem"), &cert.pem()),
            key: self.write(&format!("{stem}.key"), &key.serialize_pem()),
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `openssl s_server` with `leaf` and the chain file `chain` (when given), plus `extra`.
fn server(leaf: &CertPair, chain: Option<&Path>, extra: &[&str]) -> SServer {
    let mut args: Vec<&str> = vec![];
    if let Some(c) = chain {
        args.extend(["-cert_chain", s(c)]);
    }
    args.extend(extra);
    s_server(leaf, &args, None)
}

/// Scans 127.0.0.1:`port` (TLS 1.2 and 1.3) through the library, trusting `ca` (the system
/// store when None).
fn scan(port: u16, ca: Option<&Path>, sni: Option<&str>) -> TargetReport {
    let opts = ScanOptions {
        versions: vec![ProtocolVersion::TLS12, ProtocolVersion::TLS13],
        concurrency: 4,
        sni: sni.map(str::to_string),
        ca: ca.map(|p| Arc::new(Anchors::from_pem_file(p).unwrap())),
        ..scan_options(vec![loopback_target(port)])
    };
    let r = scan_report(&opts);
    eprintln!("{}", tlsprobe::report::scan_render::to_json(&r)["chain"]);
    r
}

fn chain(r: &TargetReport) -> &tlsprobe::scan::trust::ChainInfo {
    r.chain.as_ref().expect("a chain was seen")
}

/// How many findings have `id`.
fn findings(r: &TargetReport, id: &str) -> usize {
    r.findings.iter().filter(|f| f.id == id).count()
}

/// The chain findings a clean chain must not have.
const CHAIN_FINDINGS: [&str; 9] = [
    "self_signed",
    "untrusted_issuer",
    "missing_intermediate",
    "chain_order",
    "certificate_expired",
    "name_mismatch",
    "sha1_certificate_signature",
    "chain_invalid",
    "certificate_revoked",
];

#[test]
fn trusted_complete_chain_in_order() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    let srv = server(&leaf, Some(&pki.path("inter.pem")), &[]);
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(c.trusted && c.complete && c.order_ok, "{c:?}");
    assert!(c.errors.is_empty() && c.details.is_empty(), "{c:?}");
    assert_eq!(
        c.sent,
        vec!["CN=localhost", "CN=Trust Test Intermediate"],
        "{c:?}"
    );
    assert!(c.ocsp.is_none());
    assert_eq!(c.sct.count, 0);
    for id in CHAIN_FINDINGS {
        assert_eq!(findings(&r, id), 0, "{id}: {:?}", r.findings);
    }
    // The same chain against the system store: an unknown issuer, one finding.
    let r = scan(srv.port, None, None);
    let c = chain(&r);
    assert!(!c.trusted && c.complete, "{c:?}");
    assert_eq!(c.errors, vec!["unknown issuer"]);
    assert!(c.anchors.starts_with("system store") || c.anchors.starts_with("built-in"));
    assert_eq!(findings(&r, "untrusted_issuer"), 1, "{:?}", r.findings);
}

/// The command line: `scan --ca-file --json` over every version, within 100 connections.
#[test]
fn cli_ca_file_and_json() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    let srv = server(&leaf, Some(&pki.path("inter.pem")), &[]);
    let target = format!("127.0.0.1:{}", srv.port);
    let root = pki.path("root.pem");
    let done = run(
        tp([
            "scan",
            &target,
            "--json",
            "--timeout",
            "5",
            "--ca-file",
            s(&root),
        ]),
        b"",
        LIMIT,
    );
    assert_eq!(done.code, Some(0), "{}", done.all());
    let j: Value = serde_json::from_str(done.stdout.trim()).unwrap();
    let c = &j["chain"];
    assert_eq!(c["trusted"], true, "{c}");
    assert_eq!(c["complete"], true);
    assert_eq!(c["order_ok"], true);
    assert_eq!(c["errors"], serde_json::json!([]));
    assert!(
        c["anchors"].as_str().unwrap().starts_with("--ca-file "),
        "{c}"
    );
    assert_eq!(c["ocsp_staple"], Value::Null);
    assert_eq!(c["sct"], serde_json::json!({"count": 0, "sources": []}));
    let n = j["connections"].as_u64().unwrap();
    assert!(n <= 100, "{n} connections");
    // The human report shows the chain.
    let done = run(
        tp([
            "scan",
            &target,
            "--timeout",
            "5",
            "--tls",
            "1.2",
            "--ca-file",
            s(&root),
        ]),
        b"",
        LIMIT,
    );
    assert!(done.stdout.contains("  trusted   yes"), "{}", done.stdout);
}

#[test]
fn ca_file_usage_errors() {
    let dir = scratch();
    let missing = dir.path().join("missing.pem");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "no certificate here\n").unwrap();
    for (f, says) in [
        (&missing, "cannot read CA file"),
        (&empty, "no CERTIFICATE block"),
    ] {
        let done = run(tp(["scan", "127.0.0.1:1", "--ca-file", s(f)]), b"", LIMIT);
        assert_eq!(done.code, Some(2), "{}", done.all());
        assert!(
            done.stderr.contains("--ca-file") && done.stderr.contains(says),
            "{}",
            done.stderr
        );
    }
}

#[test]
fn missing_intermediate() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    let srv = server(&leaf, None, &[]);
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(!c.trusted && !c.complete && c.order_ok, "{c:?}");
    assert_eq!(c.errors, vec!["missing intermediate"]);
    assert_eq!(findings(&r, "missing_intermediate"), 1, "{:?}", r.findings);
    assert_eq!(findings(&r, "untrusted_issuer"), 0, "{:?}", r.findings);
    // With the intermediate in --ca-file it verifies, but the chain is still incomplete.
    let r = scan(srv.port, Some(&pki.path("root_and_inter.pem")), None);
    let c = chain(&r);
    assert!(c.trusted && !c.complete, "{c:?}");
    assert!(c.errors.is_empty());
    assert_eq!(findings(&r, "missing_intermediate"), 1, "{:?}", r.findings);
}

#[test]
fn wrong_order() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    // Leaf, root, intermediate: the root does not issue the leaf.
    let chain_file = pki.write(
        "root_then_inter.pem",
        &format!("{}{}", pki.root.cert.pem(), pki.inter.cert.pem()),
    );
    let srv = server(&leaf, Some(&chain_file), &[]);
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(c.trusted && c.complete && !c.order_ok, "{c:?}");
    assert_eq!(c.sent.len(), 3);
    assert_eq!(findings(&r, "chain_order"), 1, "{:?}", r.findings);
}

#[test]
fn self_signed() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("selfsigned", LeafSpec::default(), true);
    let srv = server(&leaf, None, &[]);
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(!c.trusted && c.complete && c.order_ok, "{c:?}");
    assert_eq!(c.errors, vec!["self-signed"]);
    assert_eq!(findings(&r, "self_signed"), 1, "{:?}", r.findings);
    // Trusted explicitly: no finding.
    let r = scan(srv.port, Some(&leaf.cert), None);
    assert!(chain(&r).trusted, "{:?}", chain(&r));
    assert_eq!(findings(&r, "self_signed"), 0, "{:?}", r.findings);
}

#[test]
fn expired_and_name_mismatch() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let old = pki.leaf(
        "old",
        LeafSpec {
            years: (2020, 2022),
            ..LeafSpec::default()
        },
        false,
    );
    let srv = server(&old, Some(&pki.path("inter.pem")), &[]);
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(!c.trusted && c.complete, "{c:?}");
    assert_eq!(c.errors, vec!["expired"]);
    assert_eq!(findings(&r, "certificate_expired"), 1, "{:?}", r.findings);
    drop(srv);

    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    let srv = server(&leaf, Some(&pki.path("inter.pem")), &[]);
    let r = scan(srv.port, Some(&pki.path("root.pem")), Some("wrong.test"));
    let c = chain(&r);
    assert!(!c.trusted && c.complete, "{c:?}");
    assert_eq!(c.errors, vec!["name mismatch"]);
    assert_eq!(findings(&r, "name_mismatch"), 1, "{:?}", r.findings);
    assert_eq!(findings(&r, "untrusted_issuer"), 0, "{:?}", r.findings);
}

#[test]
fn sha1_signature() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let d = pki.dir.path();
    // A leaf the intermediate signs with ecdsa-with-SHA1 (openssl x509 -sha1).
    pki.write(
        "sha1.ext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    );
    openssl_in(
        d,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "sha1.key",
            "-out",
            "sha1.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    openssl_in(
        d,
        &[
            "x509",
            "-req",
            "-sha1",
            "-in",
            "sha1.csr",
            "-CA",
            "inter.pem",
            "-CAkey",
            "inter.key",
            "-CAcreateserial",
            "-days",
            "30",
            "-extfile",
            "sha1.ext",
            "-out",
            "sha1.pem",
        ],
    );
    let leaf = CertPair {
        cert: pki.path("sha1.pem"),
        key: pki.path("sha1.key"),
    };
    // OpenSSL 3 refuses to serve a SHA-1 signed certificate above security level 0.
    let srv = server(
        &leaf,
        Some(&pki.path("inter.pem")),
        &["-cipher", "DEFAULT:@SECLEVEL=0"],
    );
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(!c.trusted, "{c:?}");
    assert_eq!(c.errors, vec!["weak signature (ecdsa-with-SHA1)"], "{c:?}");
    assert_eq!(
        findings(&r, "sha1_certificate_signature"),
        1,
        "{:?}",
        r.findings
    );
    assert_eq!(findings(&r, "chain_invalid"), 0, "{:?}", r.findings);
}

/// An OCSP response for `leaf` from the intermediate: `revoked` or good.
fn ocsp_response(pki: &Pki, leaf: &CertPair, revoked: bool, out: &str) -> PathBuf {
    let d = pki.dir.path();
    let serial = Command::new("openssl")
        .args(["x509", "-in", s(&leaf.cert), "-noout", "-serial"])
        .output()
        .unwrap();
    let serial = String::from_utf8_lossy(&serial.stdout)
        .trim()
        .trim_start_matches("serial=")
        .to_string();
    let line = if revoked {
        format!("R\t401231235959Z\t250101000000Z\t{serial}\tunknown\t/CN=localhost\n")
    } else {
        format!("V\t401231235959Z\t\t{serial}\tunknown\t/CN=localhost\n")
    };
    let index = pki.write(&format!("{out}.index"), &line);
    let req = pki.path(&format!("{out}.req"));
    let resp = pki.path(out);
    openssl_in(
        d,
        &[
            "ocsp",
            "-issuer",
            "inter.pem",
            "-cert",
            s(&leaf.cert),
            "-reqout",
            s(&req),
            "-no_nonce",
        ],
    );
    openssl_in(
        d,
        &[
            "ocsp",
            "-index",
            s(&index),
            "-rsigner",
            "inter.pem",
            "-rkey",
            "inter.key",
            "-CA",
            "inter.pem",
            "-reqin",
            s(&req),
            "-respout",
            s(&resp),
            "-ndays",
            "7",
        ],
    );
    resp
}

#[test]
fn ocsp_staple_status() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    let good = ocsp_response(&pki, &leaf, false, "good.der");
    let revoked = ocsp_response(&pki, &leaf, true, "revoked.der");
    let leaf2 = pki.leaf("leaf2", LeafSpec::default(), false);
    let other = ocsp_response(&pki, &leaf2, false, "other.der");
    let inter = pki.path("inter.pem");
    let root = pki.path("root.pem");
    // TLS 1.2 (CertificateStatus) and a TLS 1.3-only server (the leaf entry's status_request,
    // read by a complete handshake).
    for only13 in [false, true] {
        let mut extra = vec!["-status_file", s(&good)];
        if only13 {
            extra.push("-tls1_3");
        }
        let srv = server(&leaf, Some(&inter), &extra);
        let r = scan(srv.port, Some(&root), None);
        let c = chain(&r);
        assert!(c.trusted && c.complete, "{c:?}");
        let o = c.ocsp.as_ref().expect("a staple");
        assert_eq!(o.status, "good", "{o:?}");
        assert!(o.next_update.is_some());
        assert_eq!(findings(&r, "certificate_revoked"), 0);
        drop(srv);

        let mut extra = vec!["-status_file", s(&revoked)];
        if only13 {
            extra.push("-tls1_3");
        }
        let srv = server(&leaf, Some(&inter), &extra);
        let r = scan(srv.port, Some(&root), None);
        let o = chain(&r).ocsp.as_ref().expect("a staple");
        assert_eq!(o.status, "revoked", "{o:?}");
        assert!(o.detail.as_deref().unwrap().contains("2025-01-01"), "{o:?}");
        assert_eq!(findings(&r, "certificate_revoked"), 1, "{:?}", r.findings);
        drop(srv);

        // A response about another certificate.
        let mut extra = vec!["-status_file", s(&other)];
        if only13 {
            extra.push("-tls1_3");
        }
        let srv = server(&leaf, Some(&inter), &extra);
        let r = scan(srv.port, Some(&root), None);
        let o = chain(&r).ocsp.as_ref().expect("a staple");
        assert_eq!(o.status, "error", "{o:?}");
        assert!(
            o.detail.as_deref().unwrap().contains("serial number"),
            "{o:?}"
        );
    }
}

#[test]
fn ocsp_staple_from_gnutls() {
    if !need_openssl() || !need_gnutls("gnutls-serv") {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf("leaf", LeafSpec::default(), false);
    let good = ocsp_response(&pki, &leaf, false, "good.der");
    let bundle = pki.write(
        "bundle.pem",
        &format!(
            "{}{}",
            std::fs::read_to_string(&leaf.cert).unwrap(),
            pki.inter.cert.pem()
        ),
    );
    let srv = serve_on_free_port("gnutls-serv", |port| {
        let mut c = Command::new("gnutls-serv");
        c.args(["--port", &port.to_string(), "--x509certfile", s(&bundle)])
            .args(["--x509keyfile", s(&leaf.key), "--ocsp-response", s(&good)])
            .arg("--ignore-ocsp-response-errors");
        c
    });
    let r = scan(srv.port, Some(&pki.path("root.pem")), None);
    let c = chain(&r);
    assert!(c.trusted && c.complete && c.order_ok, "{c:?}");
    assert_eq!(c.ocsp.as_ref().map(|o| o.status), Some("good"), "{c:?}");
}

/// SCTs: embedded in the certificate, and in the TLS extension (`s_server -serverinfo`,
/// which answers the signed_certificate_timestamp the probe offers).
#[test]
fn scts_and_their_sources() {
    if !need_openssl() {
        return;
    }
    let pki = Pki::new();
    let leaf = pki.leaf(
        "leaf",
        LeafSpec {
            scts: 2,
            ..LeafSpec::default()
        },
        false,
    );
    let inter = pki.path("inter.pem");
    let root = pki.path("root.pem");
    let srv = server(&leaf, Some(&inter), &[]);
    let r = scan(srv.port, Some(&root), None);
    let c = chain(&r);
    assert!(c.trusted, "{c:?}");
    assert_eq!(c.sct.count, 2);
    assert_eq!(c.sct.sources, vec!["certificate"]);
    drop(srv);

    // serverinfo: extension type 18, its length, the list (three SCTs).
    let list = sct_list(3);
    let mut ext = 18u16.to_be_bytes().to_vec();
    ext.extend_from_slice(&(list.len() as u16).to_be_bytes());
    ext.extend(list);
    let pem = format!(
        "-----BEGIN SERVERINFO FOR signed_certificate_timestamp-----\n{}\n-----END SERVERINFO FOR signed_certificate_timestamp-----\n",
        base64_lines(&ext)
    );
    let info = pki.write("serverinfo.pem", &pem);
    let srv = server(&leaf, Some(&inter), &["-serverinfo", s(&info)]);
    let r = scan(srv.port, Some(&root), None);
    let c = chain(&r);
    assert_eq!(c.sct.count, 5, "{c:?}");
    assert_eq!(c.sct.sources, vec!["tls_extension", "certificate"]);
}

fn base64_lines(b: &[u8]) -> String {
    use base64::Engine as _;
    let t = base64::engine::general_purpose::STANDARD.encode(b);
    t.as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A handshake message: type, 24-bit length, body.
fn hs(typ: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![typ];
    m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    m.extend_from_slice(body);
    m
}

/// A hostile TLS 1.2 server: certificates, OCSP response and SCT list that are not what they
/// claim. The scan reports them as such, without a panic.
#[test]
fn hostile_chain_staple_and_scts() {
    let mut sh = vec![3, 3];
    sh.extend_from_slice(&[7u8; 32]);
    sh.extend_from_slice(&[0, 0xc0, 0x2f, 0]);
    // Extensions: signed_certificate_timestamp with a truncated list; status_request.
    let exts = [0u8, 18, 0, 3, 0, 9, 1, 0, 5, 0, 0];
    sh.extend_from_slice(&(exts.len() as u16).to_be_bytes());
    sh.extend_from_slice(&exts);
    let mut entries = vec![];
    for der in [&[0x30u8, 0x03, 1, 2, 3][..], &[0xff; 10][..]] {
        entries.extend_from_slice(&(der.len() as u32).to_be_bytes()[1..]);
        entries.extend_from_slice(der);
    }
    let mut cert = (entries.len() as u32).to_be_bytes()[1..].to_vec();
    cert.extend(entries);
    let junk_ocsp = [0x30u8, 0x05, 0xa0, 0x03, 1, 2, 3];
    let mut status = vec![1, 0, 0, junk_ocsp.len() as u8];
    status.extend_from_slice(&junk_ocsp);
    let mut flight = hs(2, &sh);
    flight.extend(hs(11, &cert));
    flight.extend(hs(22, &status));
    flight.extend(hs(14, &[]));
    let mut answer = vec![22, 3, 3];
    answer.extend_from_slice(&(flight.len() as u16).to_be_bytes());
    answer.extend(flight);
    let srv = common::canned(Some(answer), Duration::ZERO, Duration::from_millis(200));
    let r = scan(srv.port, None, None);
    let c = chain(&r);
    assert!(!c.trusted && !c.order_ok, "{c:?}");
    assert_eq!(c.errors, vec!["unparsable certificate"], "{c:?}");
    assert_eq!(c.sent.len(), 2);
    assert_eq!(c.ocsp.as_ref().map(|o| o.status), Some("error"), "{c:?}");
    assert_eq!(c.sct.count, 0);
    assert_eq!(findings(&r, "chain_invalid"), 1, "{:?}", r.findings);
    assert!(r.connections <= 100);
}
