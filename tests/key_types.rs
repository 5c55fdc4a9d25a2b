//! The key types of issue 15 (RSA-PSS, ECDSA P-521, Ed448) in both roles, TLS 1.2 and 1.3:
//! listen against `openssl s_client` and `gnutls-cli`, connect against `openssl s_server`
//! and `gnutls-serv`, client certificates both ways, and chain verification through issuers
//! holding these keys (a mixed chain, and a look-alike CA that must not verify).

mod common;
use common::*;

use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";
const LIMIT: Duration = Duration::from_secs(30);

/// A CA certificate of key type `k` named `cn`.
fn ca_spec(k: Key, cn: &str) -> CertSpec {
    CertSpec::new(k, cn)
        .ext("basicConstraints=critical,CA:TRUE")
        .ext("keyUsage=critical,keyCertSign")
}

/// A server certificate of key type `k` for localhost and 127.0.0.1.
fn server_spec(k: Key) -> CertSpec {
    CertSpec::new(k, "localhost")
        .ext("basicConstraints=critical,CA:FALSE")
        .ext("subjectAltName=DNS:localhost,IP:127.0.0.1")
}

/// Per key type K (in `dir`): `ca-K` (a CA of that type), `K` (a server certificate for
/// localhost and 127.0.0.1 that it issued) and `client-K` (a client certificate it issued).
fn pki(dir: &Path) {
    for k in Key::MORE {
        let n = k.name();
        let ca = ca_spec(k, &format!("CA {n}")).self_signed(dir, &format!("ca-{n}"));
        server_spec(k)
            .ext("extendedKeyUsage=serverAuth")
            .issued_by(&ca, dir, n);
        CertSpec::new(k, &format!("client {n}"))
            .ext("basicConstraints=critical,CA:FALSE")
            .ext("extendedKeyUsage=clientAuth")
            .issued_by(&ca, dir, &format!("client-{n}"));
    }
}

/// A scratch directory holding `pki`'s certificates.
fn key_pki() -> tempfile::TempDir {
    let dir = scratch();
    pki(dir.path());
    dir
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).to_str().expect("a UTF-8 path").to_string()
}

/// The certificate `STEM.pem` and key `STEM.key` in `dir`.
fn pair(dir: &Path, stem: &str) -> CertPair {
    CertPair {
        cert: dir.join(format!("{stem}.pem")),
        key: dir.join(format!("{stem}.key")),
    }
}

/// openssl s_client's flag for a version ("1.2", "1.3").
fn s_client_version(tls: &str) -> &'static str {
    if tls == "1.3" {
        "-tls1_3"
    } else {
        "-tls1_2"
    }
}

/// Whether tlsprobe's summary scheme fits the key: TLS 1.3 names the one scheme (RFC 8446
/// §4.2.3); in TLS 1.2 an ECDSA key may sign with any ECDSA hash (RFC 8422 §5.10).
fn scheme_fits(k: Key, tls: &str, scheme: &str) -> bool {
    match (k, tls) {
        (_, "1.3") => scheme == k.tls13_scheme(),
        (Key::RsaPss, _) => scheme.starts_with("rsa_pss_pss_"),
        (Key::P521, _) => scheme.starts_with("ecdsa_"),
        _ => scheme == k.tls13_scheme(),
    }
}

/// The one summary of a verified `connect --json` run.
fn summary(o: &Done, what: &str) -> Value {
    assert_eq!(o.code, Some(0), "{what}: {}", o.stderr);
    let events = o.json();
    let s = summaries(&events);
    assert_eq!(s.len(), 1, "{what}: {}", o.stdout);
    assert_eq!(s[0]["verified"], true, "{what}: {}", o.stdout);
    s[0].clone()
}

/// The "key" the certificate event gives for the leaf.
fn leaf_key(o: &Done) -> String {
    o.json()
        .iter()
        .find(|e| e["msg"] == "certificate" && e["dir"] == "in")
        .and_then(|e| e["certificates"][0]["key"].as_str().map(String::from))
        .unwrap_or_default()
}

fn cert_key_words(k: Key) -> &'static str {
    match k {
        Key::RsaPss => "RSA-PSS 2048",
        Key::P521 => "EC P-521",
        _ => "Ed448",
    }
}

#[test]
fn listen_serves_each_key_type_to_openssl_and_gnutls() {
    if !need_openssl() || !need_gnutls("gnutls-cli") {
        return;
    }
    let dir = key_pki();
    let d = dir.path();
    for k in Key::MORE {
        let n = k.name();
        let mut l = listen_serving(&pair(d, n), &["-q"]);
        let ca = path(d, &format!("ca-{n}.pem"));
        for tls in ["1.2", "1.3"] {
            let v = s_client_version(tls);
            let o = s_client(
                l.port,
                &[
                    v,
                    "-CAfile",
                    &ca,
                    "-verify_return_error",
                    "-verify_hostname",
                    "localhost",
                    "-ign_eof",
                ],
                GET,
            );
            let out = o.all();
            assert!(
                out.contains("Verify return code: 0 (ok)"),
                "{n} TLS {tls}: {out}"
            );
            assert!(
                out.contains(&format!("Protocol  : TLSv{tls}"))
                    || out.contains(&format!("TLSv{tls}, Cipher")),
                "{n} TLS {tls}: {out}"
            );
            let sig = match k {
                Key::RsaPss => "Peer signature type: RSA-PSS",
                Key::P521 => "Peer signature type: ECDSA",
                _ => "Peer signature type: ed448",
            };
            assert!(out.contains(sig), "{n} TLS {tls}: {out}");
            assert!(out.contains("HTTP/1.0 200 OK"), "{n} TLS {tls}: {out}");

            let mut c = Command::new("gnutls-cli");
            c.args([
                "--port",
                &l.port.to_string(),
                "127.0.0.1",
                "--x509cafile",
                &ca,
            ])
            .args(["--verify-hostname", "localhost"])
            .args([
                "--priority",
                &format!("NORMAL:-VERS-ALL:+VERS-TLS{tls}:+SIGN-ALL"),
            ]);
            let g = run(c, GET, LIMIT);
            let out = g.all();
            let desc = match k {
                Key::RsaPss => "(RSA-PSS-SHA256)",
                Key::P521 if tls == "1.3" => "(ECDSA-SECP521R1-SHA512)",
                Key::P521 => "(ECDSA-SHA",
                _ => "(EdDSA-Ed448)",
            };
            assert!(
                out.contains(&format!("(TLS{tls}")) && out.contains(desc),
                "gnutls-cli {n} TLS {tls}: {out}"
            );
            assert!(
                out.contains("HTTP/1.0 200 OK"),
                "gnutls-cli {n} TLS {tls}: {out}"
            );
        }
        let banner = l.output(Duration::from_secs(1));
        let words = match k {
            Key::RsaPss => "RSA-PSS 2048 key",
            Key::P521 => "ECDSA P-521 key",
            _ => "Ed448 key",
        };
        assert!(
            banner.contains(words),
            "{n}: listen's banner names the key: {banner}"
        );
    }
}

#[test]
fn connect_to_openssl_and_gnutls_with_each_key_type() {
    if !need_openssl() || !need_gnutls("gnutls-serv") {
        return;
    }
    let dir = key_pki();
    let d = dir.path();
    for k in Key::MORE {
        let n = k.name();
        let pair = pair(d, n);
        let ca = d.join(format!("ca-{n}.pem"));
        let srv = s_server(&pair, &["-www"], None);
        let gnutls = gnutls_serv(
            &pair,
            &["--http", "--quiet", "--priority", "NORMAL:+SIGN-ALL"],
        );
        for (peer, port) in [("openssl", srv.port), ("gnutls", gnutls.port)] {
            for tls in ["1.2", "1.3"] {
                let what = format!("{peer} {n} TLS {tls}");
                let o = connect_json(port, &ca, &["--tls", tls, "--sni", "localhost"]);
                let s = summary(&o, &what);
                assert_eq!(s["version"], format!("TLS {tls}"), "{what}");
                let scheme = s["signature_scheme"].as_str().unwrap_or_default();
                assert!(scheme_fits(k, tls, scheme), "{what}: {scheme}");
                assert_eq!(leaf_key(&o), cert_key_words(k), "{what}");
            }
        }
    }
}

#[test]
fn client_certificates_of_each_key_type_both_ways() {
    if !need_openssl() {
        return;
    }
    let dir = key_pki();
    let d = dir.path();
    // The servers use the P-521 certificate; the client certificates chain to their own CAs.
    let server = pair(d, "p521");
    let server_ca = path(d, "ca-p521.pem");
    let cas: String = Key::MORE
        .iter()
        .map(|k| std::fs::read_to_string(d.join(format!("ca-{}.pem", k.name()))).unwrap())
        .collect();
    std::fs::write(d.join("client-cas.pem"), cas).unwrap();
    let client_cas = path(d, "client-cas.pem");
    let srv = s_server(
        &server,
        &[
            "-www",
            "-Verify",
            "1",
            "-CAfile",
            &client_cas,
            "-verify_return_error",
        ],
        None,
    );
    let mut l = listen_serving(
        &server,
        &[
            "-q",
            "--client-auth",
            "require",
            "--ca-file",
            &client_cas,
            "--json",
        ],
    );
    for k in Key::MORE {
        let n = k.name();
        let client = pair(d, &format!("client-{n}"));
        let (cert, key) = (client.cert.to_str().unwrap(), client.key.to_str().unwrap());
        for tls in ["1.2", "1.3"] {
            let what = format!("connect --cert {n} TLS {tls}");
            let o = connect_json(
                srv.port,
                Path::new(&server_ca),
                &[
                    "--tls",
                    tls,
                    "--sni",
                    "localhost",
                    "--cert",
                    cert,
                    "--key",
                    key,
                ],
            );
            summary(&o, &what);
            let ours = o.json().iter().any(|e| {
                e["msg"] == "certificate_verify"
                    && e["dir"] == "out"
                    && scheme_fits(k, tls, e["signature_scheme"].as_str().unwrap_or_default())
            });
            assert!(ours, "{what}: our CertificateVerify: {}", o.stdout);

            let v = s_client_version(tls);
            let o = s_client(
                l.port,
                &[
                    v,
                    "-CAfile",
                    &server_ca,
                    "-verify_return_error",
                    "-cert",
                    cert,
                    "-key",
                    key,
                    "-ign_eof",
                ],
                GET,
            );
            assert!(
                o.all().contains("HTTP/1.0 200 OK"),
                "s_client -cert {n} TLS {tls}: {}",
                o.all()
            );
        }
    }
    let out = l.output(Duration::from_secs(1));
    let verified = out
        .lines()
        .filter(|l| {
            l.contains("\"type\":\"summary\"")
                && l.contains("\"client_certificate\":{\"subject\":\"CN=client ")
                && l.contains("\"key\":")
        })
        .count();
    assert_eq!(
        verified, 6,
        "listen verified each client certificate: {out}"
    );
}

/// A chain whose every signature is by one of the new key types: root Ed448 -> intermediate
/// RSA-PSS -> leaf P-521; and for each type a CA with the same name but another key, which
/// must not verify (the signature is checked, not skipped).
#[test]
fn chains_through_the_new_key_types() {
    if !need_openssl() {
        return;
    }
    let dir = key_pki();
    let d = dir.path();
    let root = ca_spec(Key::Ed448, "Root Ed448").self_signed(d, "root");
    let inter = ca_spec(Key::RsaPss, "Intermediate RSA-PSS").issued_by(&root, d, "inter");
    let leaf = server_spec(Key::P521)
        .ext("extendedKeyUsage=serverAuth")
        .issued_by(&inter, d, "leaf");
    let srv = s_server(
        &leaf,
        &["-www", "-cert_chain", inter.cert.to_str().unwrap()],
        None,
    );
    let o = connect_json(srv.port, &root.cert, &["--sni", "localhost"]);
    summary(&o, "Ed448 -> RSA-PSS -> P-521");
    let verify = o
        .json()
        .into_iter()
        .find(|e| e["type"] == "verify")
        .expect("a verify event");
    assert!(
        verify.to_string().contains("Intermediate RSA-PSS"),
        "{verify}"
    );
    drop(srv);

    for k in Key::MORE {
        let n = k.name();
        // Same subject as ca-K, another key: the leaf's signature does not verify under it.
        ca_spec(k, &format!("CA {n}")).self_signed(d, &format!("fake-{n}"));
        let srv = s_server(&pair(d, n), &["-www"], None);
        let o = connect_json(
            srv.port,
            &d.join(format!("fake-{n}.pem")),
            &["--sni", "localhost"],
        );
        assert_eq!(o.code, Some(3), "{n} under a look-alike CA: {}", o.stdout);
        let o = connect_json(
            srv.port,
            &d.join(format!("ca-{n}.pem")),
            &["--sni", "localhost"],
        );
        summary(&o, &format!("{n} under its CA"));
    }
}

/// listen with an RSA and an RSA-PSS certificate chooses by the client's
/// signature_algorithms (RFC 8446 §4.2.3: rsa_pss_pss_* only from the PSS key,
/// rsa_pss_rsae_* only from the rsaEncryption one), and never uses the PSS key for RSA key
/// transport (RFC 4055 §1.2): a client offering only such suites gets handshake_failure.
#[test]
fn listen_chooses_between_rsa_and_rsa_pss_keys() {
    if !need_openssl() {
        return;
    }
    let dir = key_pki();
    let d = dir.path();
    let rsa = server_spec(Key::Rsa).self_signed(d, "rsa");
    let pss = pair(d, "rsapss");
    let l = listen_serving(
        &rsa,
        &[
            "-q",
            "--cert",
            pss.cert.to_str().unwrap(),
            "--key",
            pss.key.to_str().unwrap(),
        ],
    );
    for tls in ["-tls1_2", "-tls1_3"] {
        for (sigalgs, issuer) in [
            ("rsa_pss_pss_sha384", "CN = CA rsapss"),
            ("rsa_pss_rsae_sha384", "CN = localhost"),
        ] {
            // TLS 1.2: an ECDHE suite (RSA key transport signs nothing, so the first
            // certificate would serve it whatever the signature algorithms).
            let mut args = vec![tls, "-sigalgs", sigalgs, "-ign_eof"];
            if tls == "-tls1_2" {
                args.extend(["-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]);
            }
            let o = s_client(l.port, &args, GET);
            let out = o.all();
            assert!(out.contains("HTTP/1.0 200 OK"), "{tls} {sigalgs}: {out}");
            assert!(
                out.contains(&format!("i:{issuer}")) || out.contains(&format!("issuer={issuer}")),
                "{tls} {sigalgs}: the certificate of the right key: {out}"
            );
            assert!(
                out.contains("Peer signature type: RSA-PSS"),
                "{tls} {sigalgs}: {out}"
            );
        }
    }
    drop(l);
    let mut only_pss = listen_serving(&pss, &["-q"]);
    let o = s_client(
        only_pss.port,
        &["-tls1_2", "-cipher", "AES128-GCM-SHA256"],
        GET,
    );
    let out = o.all();
    assert!(
        !out.contains("HTTP/1.0 200 OK"),
        "RSA key transport with a PSS key: {out}"
    );
    assert!(out.contains("handshake failure"), "{out}");
    let _ = only_pss.output(Duration::from_secs(1));
}
