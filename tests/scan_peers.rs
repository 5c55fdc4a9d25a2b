//! Scan accuracy against peers other than openssl: `gnutls-serv` with a priority string
//! (expected suites and order from `gnutls-cli -l` for the same string), with and without
//! %SERVER_PRECEDENCE, and `tlsprobe listen` (server order, our suites and groups, features).
//! Loopback only; servers are stopped by their guards.

mod common;
use common::{listen, need_gnutls, run, scratch, self_signed, serve_on_free_port, tp, Key};

use std::process::Command;
use std::time::Duration;

fn scan(target: &str) -> serde_json::Value {
    let o = run(tp(["scan", target, "--json"]), b"", Duration::from_secs(60));
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    serde_json::from_str(&o.stdout).unwrap()
}

fn protocol<'a>(r: &'a serde_json::Value, v: &str) -> &'a serde_json::Value {
    r["protocols"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["version"] == v)
        .unwrap()
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn finding_ids(r: &serde_json::Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The suites `gnutls-cli -l` lists for a priority string, as IANA names via our table.
fn gnutls_expected(priority: &str) -> Vec<String> {
    let mut c = Command::new("gnutls-cli");
    c.args(["-l", "--priority", priority]);
    run(c, b"", Duration::from_secs(30))
        .stdout
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once("\t0x")?;
            let hex: String = rest
                .split('\t')
                .next()?
                .replace("0x", "")
                .replace([',', ' '], "");
            let code = u16::from_str_radix(&hex, 16).ok()?;
            Some(tlsprobe::wire::suites::CipherSuite(code).to_string())
        })
        .collect()
}

#[test]
fn gnutls_serv_suites_and_order() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let dir = scratch();
    self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let base = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-CBC:+CHACHA20-POLY1305:-KX-ALL:+ECDHE-RSA:+RSA";
    let expected = gnutls_expected(base);
    assert!(expected.len() >= 4, "{expected:?}");
    for (prio, server_order) in [
        (format!("{base}:%SERVER_PRECEDENCE"), true),
        (base.to_string(), false),
    ] {
        let srv = serve_on_free_port("gnutls-serv", |port| {
            let mut c = Command::new("gnutls-serv");
            c.args(["--port", &port.to_string()])
                .args(["--x509certfile", "c.pem", "--x509keyfile", "c.key"])
                .args(["--priority", &prio, "--quiet"])
                .current_dir(dir.path());
            c
        });
        let r = scan(&format!("127.0.0.1:{}", srv.port));
        let p12 = protocol(&r, "TLS 1.2");
        assert_eq!(p12["supported"], true);
        assert_eq!(p12["server_order"], server_order, "{prio}");
        let got = names(&p12["cipher_suites"]);
        if server_order {
            assert_eq!(got, expected, "{prio}");
        } else {
            let mut a = got.clone();
            let mut b = expected.clone();
            a.sort();
            b.sort();
            assert_eq!(a, b, "{prio}");
        }
        assert_eq!(protocol(&r, "TLS 1.3")["supported"], false);
        assert_eq!(protocol(&r, "TLS 1.1")["supported"], false);
    }
}

#[test]
fn tlsprobe_listen_is_scanned_exactly() {
    let l = listen(&[
        "-q",
        "--suites",
        "TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256,ECDHE-ECDSA-CHACHA20-POLY1305,ECDHE-ECDSA-AES128-GCM-SHA256",
        "--groups",
        "secp384r1,x25519",
    ]);
    let r = scan(&format!("127.0.0.1:{}", l.port));
    let p13 = protocol(&r, "TLS 1.3");
    assert_eq!(p13["server_order"], true);
    assert_eq!(
        names(&p13["cipher_suites"]),
        vec!["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"]
    );
    let p12 = protocol(&r, "TLS 1.2");
    assert_eq!(p12["server_order"], true);
    assert_eq!(
        names(&p12["cipher_suites"]),
        vec![
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        ]
    );
    for v in ["SSL 3.0", "TLS 1.0", "TLS 1.1"] {
        assert_eq!(protocol(&r, v)["supported"], false, "{v}");
    }
    assert_eq!(names(&r["groups"]), vec!["secp384r1", "x25519"]);
    assert!(finding_ids(&r).contains(&"no_post_quantum".to_string()));
    let f = &r["features"];
    assert_eq!(f["extended_master_secret"], true);
    assert_eq!(f["secure_renegotiation"], true);
    assert_eq!(f["session_ticket"], true);
    assert_eq!(f["session_id_resumption"], true);
    assert_eq!(f["compression"], false);
    let key = r["certificates"][0]["key"].as_str().unwrap_or_default();
    assert!(key.contains("P-256"), "{}", r["certificates"]);
}

/// listen's default groups, found by HelloRetryRequest in its order: the hybrids first, the
/// classic curves, pure ML-KEM, then the RFC 7919 groups; no `no_post_quantum` finding. With
/// `--groups` naming only pure ML-KEM and TLS 1.3 only, the scan sees TLS 1.3 (its probes
/// list the ML-KEM groups), those groups alone, no finding, and the certificate (its complete
/// handshake offers every group tlsprobe has).
#[test]
fn tlsprobe_listen_post_quantum_groups_are_scanned_in_order() {
    let l = listen(&["-q"]);
    let r = scan(&format!("127.0.0.1:{}", l.port));
    assert_eq!(protocol(&r, "TLS 1.3")["supported"], true);
    assert_eq!(
        names(&r["groups"]),
        vec![
            "X25519MLKEM768",
            "SecP256r1MLKEM768",
            "SecP384r1MLKEM1024",
            "x25519",
            "secp256r1",
            "secp384r1",
            "secp521r1",
            "x448",
            "MLKEM768",
            "MLKEM1024",
            "MLKEM512",
            "ffdhe2048",
            "ffdhe3072",
            "ffdhe4096",
            "ffdhe6144",
            "ffdhe8192",
        ]
    );
    assert_eq!(r["groups_server_order"], true);
    assert!(!finding_ids(&r).contains(&"no_post_quantum".to_string()));
    drop(l);

    let l = listen(&["-q", "--tls", "1.3", "--groups", "MLKEM1024,MLKEM512"]);
    let r = scan(&format!("127.0.0.1:{}", l.port));
    assert_eq!(protocol(&r, "TLS 1.3")["supported"], true);
    assert_eq!(protocol(&r, "TLS 1.2")["supported"], false);
    assert_eq!(names(&r["groups"]), vec!["MLKEM1024", "MLKEM512"]);
    assert_eq!(r["certificates"].as_array().map(Vec::len), Some(1), "{r}");
    assert_eq!(r["groups_server_order"], true);
    assert!(!finding_ids(&r).contains(&"no_post_quantum".to_string()));
}
