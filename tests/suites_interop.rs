//! Interop for the opt-in suites (issue 15): AES-CCM and CCM-8 (TLS 1.3 and 1.2), CAMELLIA
//! (GCM and CBC) and ARIA (GCM and CBC), in both roles. `tlsprobe connect --suites X` against
//! `openssl s_server -cipher X` (one s_server per suite) and `gnutls-serv`, `openssl
//! s_client -cipher X` and `gnutls-cli --priority` against `tlsprobe listen`; an HTTP request
//! and its page cross the connection every time. OpenSSL has CCM, ARIA-GCM and CAMELLIA-CBC,
//! GnuTLS CCM, CAMELLIA-GCM and CAMELLIA-CBC; ARIA-CBC has no peer on the machine, so
//! tlsprobe's two roles check each other. Skips (saying why) when a peer is missing, unless
//! TLSPROBE_REQUIRE_PEERS is set.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use serde_json::Value;

const T: Duration = Duration::from_secs(20);
const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

/// (IANA name, OpenSSL name, certificate key): every suite of the issue OpenSSL can serve.
/// TLS 1.3 suites are the ones whose IANA name has no `_WITH_`.
const OPENSSL: &[(&str, &str, Key)] = &[
    ("TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256", Key::Rsa),
    (
        "TLS_AES_128_CCM_8_SHA256",
        "TLS_AES_128_CCM_8_SHA256",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
        "ECDHE-ECDSA-AES128-CCM",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
        "ECDHE-ECDSA-AES256-CCM",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
        "ECDHE-ECDSA-AES128-CCM8",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        "ECDHE-ECDSA-AES256-CCM8",
        Key::P256,
    ),
    (
        "TLS_DHE_RSA_WITH_AES_128_CCM",
        "DHE-RSA-AES128-CCM",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_AES_256_CCM",
        "DHE-RSA-AES256-CCM",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_AES_128_CCM_8",
        "DHE-RSA-AES128-CCM8",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_AES_256_CCM_8",
        "DHE-RSA-AES256-CCM8",
        Key::Rsa,
    ),
    ("TLS_RSA_WITH_AES_128_CCM", "AES128-CCM", Key::Rsa),
    ("TLS_RSA_WITH_AES_256_CCM", "AES256-CCM", Key::Rsa),
    ("TLS_RSA_WITH_AES_128_CCM_8", "AES128-CCM8", Key::Rsa),
    ("TLS_RSA_WITH_AES_256_CCM_8", "AES256-CCM8", Key::Rsa),
    (
        "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
        "ECDHE-ECDSA-ARIA128-GCM-SHA256",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
        "ECDHE-ECDSA-ARIA256-GCM-SHA384",
        Key::P256,
    ),
    (
        "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
        "ECDHE-ARIA128-GCM-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
        "ECDHE-ARIA256-GCM-SHA384",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
        "DHE-RSA-ARIA128-GCM-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",
        "DHE-RSA-ARIA256-GCM-SHA384",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
        "ARIA128-GCM-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
        "ARIA256-GCM-SHA384",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
        "ECDHE-ECDSA-CAMELLIA128-SHA256",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
        "ECDHE-ECDSA-CAMELLIA256-SHA384",
        Key::P256,
    ),
    (
        "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        "ECDHE-RSA-CAMELLIA128-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
        "ECDHE-RSA-CAMELLIA256-SHA384",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        "DHE-RSA-CAMELLIA128-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        "DHE-RSA-CAMELLIA256-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
        "DHE-RSA-CAMELLIA128-SHA",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
        "DHE-RSA-CAMELLIA256-SHA",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        "CAMELLIA128-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        "CAMELLIA256-SHA256",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
        "CAMELLIA128-SHA",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
        "CAMELLIA256-SHA",
        Key::Rsa,
    ),
];

/// (IANA name, GnuTLS cipher, key exchange, MAC, certificate key): every CAMELLIA-GCM suite
/// (OpenSSL has none) and CCM and CAMELLIA-CBC suites of each key exchange. TLS 1.3 suites
/// have an empty key exchange.
const GNUTLS: &[(&str, &str, &str, &str, Key)] = &[
    (
        "TLS_AES_128_CCM_SHA256",
        "AES-128-CCM",
        "",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_AES_128_CCM_8_SHA256",
        "AES-128-CCM-8",
        "",
        "AEAD",
        Key::P256,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        "CAMELLIA-128-GCM",
        "RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        "CAMELLIA-256-GCM",
        "RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        "CAMELLIA-128-GCM",
        "DHE-RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        "CAMELLIA-256-GCM",
        "DHE-RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        "CAMELLIA-128-GCM",
        "ECDHE-RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        "CAMELLIA-256-GCM",
        "ECDHE-RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",
        "CAMELLIA-128-GCM",
        "ECDHE-ECDSA",
        "AEAD",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
        "CAMELLIA-256-GCM",
        "ECDHE-ECDSA",
        "AEAD",
        Key::P256,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        "AES-256-CCM-8",
        "ECDHE-ECDSA",
        "AEAD",
        Key::P256,
    ),
    (
        "TLS_DHE_RSA_WITH_AES_128_CCM",
        "AES-128-CCM",
        "DHE-RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_AES_256_CCM",
        "AES-256-CCM",
        "RSA",
        "AEAD",
        Key::Rsa,
    ),
    (
        "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
        "CAMELLIA-256-CBC",
        "ECDHE-ECDSA",
        "SHA384",
        Key::P256,
    ),
    (
        "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        "CAMELLIA-128-CBC",
        "ECDHE-RSA",
        "SHA256",
        Key::Rsa,
    ),
    (
        "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
        "CAMELLIA-128-CBC",
        "DHE-RSA",
        "SHA1",
        Key::Rsa,
    ),
    (
        "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        "CAMELLIA-256-CBC",
        "RSA",
        "SHA256",
        Key::Rsa,
    ),
];

/// The suites no peer on this machine has (ARIA-CBC, RFC 6209): tlsprobe against itself.
const SELF_ONLY: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384",
    "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384",
    "TLS_RSA_WITH_ARIA_128_CBC_SHA256",
    "TLS_RSA_WITH_ARIA_256_CBC_SHA384",
];

fn is_tls13(iana: &str) -> bool {
    !iana.contains("_WITH_")
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `tlsprobe connect --json --suites SUITE` to `port` sending an HTTP request; asserts the
/// suite was negotiated and the page came back. `ca`: the server's self-signed certificate.
fn connect_and_get(port: u16, ca: &std::path::Path, suite: &str, extra: &[&str]) {
    let tls = if is_tls13(suite) { "1.3" } else { "1.2" };
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--ca-file",
        path(ca),
        "--json",
        "--timeout",
        "10",
        "--tls",
        tls,
        "--suites",
        suite,
    ]);
    c.args(extra);
    let d = run(c, GET, T);
    assert_eq!(d.code, Some(0), "{suite}: {}", d.all());
    let ev = d.json();
    let s = summaries(&ev);
    assert_eq!(s.len(), 1, "{suite}: {}", d.all());
    assert_eq!(s[0]["cipher_suite"], suite, "{}", d.all());
    assert_eq!(s[0]["version"], format!("TLS {tls}"), "{}", d.all());
    let page: String = ev
        .iter()
        .filter(|e| e["type"] == "app_data" && e["dir"] == "in")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(
        page.to_ascii_uppercase().starts_with("HTTP/1.0 200 OK"),
        "{suite}: no page:\n{}",
        d.all()
    );
}

/// `tlsprobe listen -q` with the RSA certificate first and the P-256 one beside it.
fn listen_rsa_and_ecdsa(extra: &[&str]) -> Listen {
    let (rsa, ec) = (certs().leaf(Key::Rsa), certs().leaf(Key::P256));
    let mut args = vec![
        "-q",
        "--cert",
        path(&rsa.cert),
        "--key",
        path(&rsa.key),
        "--cert",
        path(&ec.cert),
        "--key",
        path(&ec.key),
    ];
    args.extend_from_slice(extra);
    listen(&args)
}

#[test]
fn connect_to_openssl_s_server_every_suite() {
    if !need_openssl() {
        return;
    }
    for &(iana, ossl, key) in OPENSSL {
        let pair = certs().leaf(key).clone();
        let cipher = format!("{ossl}:@SECLEVEL=0");
        let args: Vec<&str> = if is_tls13(iana) {
            vec!["-www", "-tls1_3", "-ciphersuites", ossl]
        } else {
            vec!["-www", "-tls1_2", "-cipher", &cipher]
        };
        let srv = s_server(&pair, &args, None);
        connect_and_get(srv.port, &pair.cert, iana, &[]);
    }
}

#[test]
fn openssl_s_client_to_listen_every_suite() {
    if !need_openssl() {
        return;
    }
    let l = listen_rsa_and_ecdsa(&[]);
    for &(iana, ossl, _) in OPENSSL {
        let cipher = format!("{ossl}:@SECLEVEL=0");
        let args: Vec<&str> = if is_tls13(iana) {
            vec!["-tls1_3", "-ciphersuites", ossl, "-ign_eof"]
        } else {
            vec!["-tls1_2", "-cipher", &cipher, "-ign_eof"]
        };
        let d = s_client(l.port, &args, GET);
        let out = d.all();
        assert!(
            out.contains(&format!("Cipher is {ossl}")),
            "{iana}: not negotiated:\n{out}"
        );
        assert!(out.contains("HTTP/1.0 200 OK"), "{iana}: no page:\n{out}");
    }
}

/// The GnuTLS priority string allowing exactly one suite.
fn priority(cipher: &str, kx: &str, mac: &str) -> String {
    if kx.is_empty() {
        format!("NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{cipher}")
    } else {
        format!("NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+{cipher}:-KX-ALL:+{kx}:-MAC-ALL:+{mac}")
    }
}

#[test]
fn gnutls_cli_to_listen_camellia_ccm() {
    if !need_gnutls("gnutls-cli") {
        return;
    }
    let l = listen_rsa_and_ecdsa(&[]);
    for &(iana, cipher, kx, mac, _) in GNUTLS {
        let mut c = Command::new("gnutls-cli");
        c.args(["--port", &l.port.to_string(), "127.0.0.1", "--insecure"])
            .args(["--priority", &priority(cipher, kx, mac)]);
        let d = run(c, GET, T);
        let out = d.all();
        let version = if kx.is_empty() { "(TLS1.3" } else { "(TLS1.2" };
        let desc = out
            .lines()
            .find(|l| l.contains("- Description:"))
            .unwrap_or_else(|| panic!("{iana}: no handshake:\n{out}"));
        assert!(
            desc.contains(version) && desc.contains(&format!("-({cipher})")),
            "{iana}: {desc}"
        );
        assert!(out.contains("HTTP/1.0 200 OK"), "{iana}: no page:\n{out}");
    }
}

#[test]
fn connect_to_gnutls_serv_camellia_ccm() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let wide = "NORMAL:+CAMELLIA-128-GCM:+CAMELLIA-256-GCM:+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:\
                +AES-128-CCM:+AES-256-CCM:+AES-128-CCM-8:+AES-256-CCM-8:+SHA1:+SHA256:+SHA384:\
                +DHE-RSA:+RSA";
    for key in [Key::Rsa, Key::P256] {
        let pair = certs().leaf(key).clone();
        let srv = serve_on_free_port("gnutls-serv", |port| {
            let mut c = Command::new("gnutls-serv");
            c.args(["--port", &port.to_string()])
                .args(["--x509certfile", path(&pair.cert)])
                .args(["--x509keyfile", path(&pair.key)])
                .args(["--http", "--quiet", "--priority", wide]);
            c
        });
        for &(iana, ..) in GNUTLS.iter().filter(|c| c.4 == key) {
            connect_and_get(srv.port, &pair.cert, iana, &["--sni", "localhost"]);
        }
    }
}

#[test]
fn aria_cbc_connect_to_listen() {
    let l = listen_rsa_and_ecdsa(&[]);
    let ca = certs().dir.join("both.pem");
    let both = [
        std::fs::read_to_string(&certs().leaf(Key::Rsa).cert).unwrap(),
        std::fs::read_to_string(&certs().leaf(Key::P256).cert).unwrap(),
    ]
    .concat();
    std::fs::write(&ca, both).unwrap();
    for suite in SELF_ONLY {
        connect_and_get(l.port, &ca, suite, &[]);
    }
}

/// listen keeps AES-GCM and ChaCha20 first: a client offering CCM, CAMELLIA and ARIA beside
/// AES-GCM gets AES-GCM, and connect's default offer has none of the opt-in suites.
#[test]
fn listen_prefers_gcm_and_connect_does_not_offer_the_opt_in_suites() {
    let l = listen_rsa_and_ecdsa(&[]);
    let ca = &certs().leaf(Key::Rsa).cert;
    let d = connect_json(
        l.port,
        ca,
        &[
            "--tls",
            "1.2",
            "--suites",
            "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256,ECDHE-ARIA128-GCM-SHA256,\
             DHE-RSA-AES128-CCM,ECDHE-RSA-AES128-GCM-SHA256",
        ],
    );
    let ev = d.json();
    let s = summaries(&ev);
    assert_eq!(
        s[0]["cipher_suite"],
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "{}",
        d.all()
    );
    let d = connect_json(l.port, ca, &[]);
    let ev = d.json();
    let hello: &Value = ev
        .iter()
        .find(|e| e["msg"] == "client_hello")
        .expect("a client_hello event");
    let offered = hello.to_string();
    for opt_in in ["CCM", "CAMELLIA", "ARIA"] {
        assert!(!offered.contains(opt_in), "{opt_in} offered: {offered}");
    }
    assert!(offered.contains("TLS_AES_128_GCM_SHA256"), "{offered}");
}
