//! The renegotiation and 0-RTT vulnerability checks of `tlsprobe scan` against real peers
//! on loopback: `client_renegotiation` (openssl s_server refuses by default and accepts
//! with -client_renegotiation, gnutls-serv accepts, nginx and `tlsprobe listen` refuse),
//! `insecure_renegotiation` (a tlslite-ng server patched to ignore RFC 5746 is vulnerable,
//! the others not; TLS 1.3-only is not applicable) and `zero_rtt` (openssl -early_data and
//! `tlsprobe listen --early-data` refuse the replay, openssl -no_anti_replay accepts it).
//! Every server is stopped by its guard; every wait is bounded.

mod common;
use common::{
    gnutls_serv, loopback_target, need_gnutls, need_openssl, need_python, need_sslyze,
    need_tlslite, python, require_peer, run, runs, s_server_quiet, scan_bin, scratch, self_signed,
    start_on_free_port, tp, Key,
};

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

/// `tlsprobe scan TARGET --json`: the report, after checking the exit code and the budget.
fn scan(port: u16) -> Value {
    scan_bin(&loopback_target(port), &[])
}

/// The verdict and reason of one check.
fn check<'a>(r: &'a Value, id: &str) -> (&'a str, Option<&'a str>) {
    (
        r["vulnerabilities"][id].as_str().unwrap_or("missing"),
        r["vulnerabilities_reasons"][id].as_str(),
    )
}

/// The severity of the finding `id`, if any.
fn finding<'a>(r: &'a Value, id: &str) -> Option<&'a str> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .map(|f| f["severity"].as_str().unwrap())
}

#[test]
fn openssl_defaults_refuse_renegotiation_and_offer_no_early_data() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = s_server_quiet(&pair, &[]);
    let r = scan(s.port);
    let (v, why) = check(&r, "client_renegotiation");
    assert_eq!(v, "not_vulnerable");
    assert_eq!(why, Some("refused with a warning no_renegotiation alert"));
    assert_eq!(
        check(&r, "insecure_renegotiation"),
        ("not_vulnerable", None)
    );
    assert_eq!(
        check(&r, "zero_rtt"),
        ("not_vulnerable", Some("no early data offered"))
    );
    for id in ["client_renegotiation", "insecure_renegotiation", "zero_rtt"] {
        assert_eq!(finding(&r, id), None, "{id}");
    }
}

#[test]
fn openssl_client_renegotiation_is_vulnerable() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = s_server_quiet(&pair, &["-client_renegotiation"]);
    let r = scan(s.port);
    assert_eq!(check(&r, "client_renegotiation"), ("vulnerable", None));
    assert_eq!(finding(&r, "client_renegotiation"), Some("medium"));
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "client_renegotiation")
        .unwrap();
    assert!(
        f["detail"].as_str().unwrap().contains("(DoS)"),
        "{}",
        f["detail"]
    );
    assert_eq!(
        check(&r, "insecure_renegotiation"),
        ("not_vulnerable", None)
    );
}

#[test]
fn openssl_zero_rtt_with_and_without_anti_replay() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = s_server_quiet(&pair, &["-early_data", "-tls1_3"]);
    let r = scan(s.port);
    assert_eq!(
        check(&r, "zero_rtt"),
        (
            "not_vulnerable",
            Some("early data accepted once, refused when the same ClientHello was replayed (anti-replay)")
        )
    );
    drop(s);
    let s = s_server_quiet(&pair, &["-early_data", "-no_anti_replay", "-tls1_3"]);
    let r = scan(s.port);
    assert_eq!(check(&r, "zero_rtt"), ("vulnerable", None));
    assert_eq!(finding(&r, "zero_rtt"), Some("medium"));
}

#[test]
fn tls13_only_has_no_renegotiation() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = s_server_quiet(&pair, &["-tls1_3"]);
    let r = scan(s.port);
    for id in ["client_renegotiation", "insecure_renegotiation"] {
        let (v, why) = check(&r, id);
        assert_eq!(v, "not_applicable", "{id}");
        assert!(
            why.unwrap()
                .starts_with("not applicable: the server speaks only TLS 1.3"),
            "{id}: {why:?}"
        );
    }
}

#[test]
fn gnutls_serv_accepts_client_renegotiation_and_stops_replays() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let dir = scratch();
    let gnutls_pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = gnutls_serv(&gnutls_pair, &["--earlydata", "--quiet"]);
    let r = scan(s.port);
    assert_eq!(check(&r, "client_renegotiation"), ("vulnerable", None));
    assert_eq!(
        check(&r, "insecure_renegotiation"),
        ("not_vulnerable", None)
    );
    // gnutls records ClientHellos (RFC 8446 §8.2): the byte-for-byte replay is refused.
    assert_eq!(
        check(&r, "zero_rtt").1,
        Some("early data accepted once, refused when the same ClientHello was replayed (anti-replay)")
    );
}

#[test]
fn tlsprobe_listen_refuses_renegotiation_and_replays() {
    let l = common::listen(&[
        "-q",
        "--early-data",
        "--suites",
        "TLS_AES_128_GCM_SHA256,ECDHE-ECDSA-AES128-GCM-SHA256",
    ]);
    let r = scan(l.port);
    assert_eq!(
        check(&r, "client_renegotiation"),
        (
            "not_vulnerable",
            Some("refused with a warning no_renegotiation alert")
        )
    );
    assert_eq!(
        check(&r, "insecure_renegotiation"),
        ("not_vulnerable", None)
    );
    assert_eq!(
        check(&r, "zero_rtt").1,
        Some("early data accepted once, refused when the same ClientHello was replayed (anti-replay)")
    );
}

#[test]
fn no_rfc5746_is_insecure_renegotiation() {
    if !need_python() || !need_tlslite() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = python(
        "no_reneg_server.py",
        &[pair.cert.to_str().unwrap(), pair.key.to_str().unwrap()],
    );
    let r = scan(s.port);
    assert_eq!(r["features"]["secure_renegotiation"], false);
    assert_eq!(check(&r, "insecure_renegotiation"), ("vulnerable", None));
    assert_eq!(finding(&r, "insecure_renegotiation"), Some("high"));
    // Only one finding for it (the check's, not a second from the features).
    let n = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "insecure_renegotiation")
        .count();
    assert_eq!(n, 1);
    // The legacy renegotiating hello (no renegotiation_info) is refused by tlslite-ng.
    assert_eq!(check(&r, "client_renegotiation").0, "not_vulnerable");
    assert!(check(&r, "zero_rtt")
        .1
        .unwrap()
        .starts_with("not applicable: the server does not speak TLS 1.3"));
}

#[test]
fn nginx_refuses_client_renegotiation() {
    if !require_peer(runs("nginx", &["-v"]), "nginx", "apt-get install nginx") {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let d = dir.path().to_path_buf();
    let s = start_on_free_port("nginx", 5, |port| {
        let conf = d.join(format!("nginx-{port}.conf"));
        std::fs::write(
            &conf,
            format!(
                "daemon off; master_process off; pid {d}/nginx-{port}.pid;\n\
                 error_log {d}/error.log;\n\
                 events {{ worker_connections 64; }}\n\
                 http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d};\n\
                 fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
                 server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {c}; ssl_certificate_key {k};\n\
                 ssl_protocols TLSv1.2 TLSv1.3; location / {{ return 200 \"ok\\n\"; }} }} }}\n",
                d = d.display(),
                c = pair.cert.display(),
                k = pair.key.display(),
            ),
        )
        .unwrap();
        let mut c = Command::new("nginx");
        c.arg("-p").arg(&d).arg("-c").arg(&conf);
        c
    })
    .expect("nginx did not start");
    let r = scan(s.port);
    assert_eq!(check(&r, "client_renegotiation").0, "not_vulnerable");
    assert_eq!(
        check(&r, "insecure_renegotiation"),
        ("not_vulnerable", None)
    );
    assert_eq!(
        check(&r, "zero_rtt"),
        ("not_vulnerable", Some("no early data offered"))
    );
}

/// sslyze's `--reneg` verdicts on a server, as (client renegotiation accepted, secure
/// renegotiation supported).
fn sslyze_reneg(port: u16) -> (bool, bool) {
    let mut c = Command::new("python3");
    c.args(["-m", "sslyze", "--reneg", &format!("127.0.0.1:{port}")]);
    let o = run(c, b"", Duration::from_secs(60));
    let line = |key: &str| {
        o.stdout
            .lines()
            .find(|l| l.contains(key))
            .unwrap_or_else(|| panic!("no {key} in sslyze's output:\n{}", o.stdout))
            .to_string()
    };
    let dos = line("Client Renegotiation DoS Attack:");
    let secure = line("Secure Renegotiation:");
    (
        dos.contains("VULNERABLE"),
        secure.contains("OK - Supported"),
    )
}

/// The same verdicts as sslyze on a server that refuses client renegotiation and one that
/// accepts it (openssl s_server without and with -client_renegotiation).
#[test]
fn same_verdicts_as_sslyze() {
    if !need_openssl() || !need_sslyze() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    for (args, accepts) in [(&[][..], false), (&["-client_renegotiation"][..], true)] {
        let s = s_server_quiet(&pair, args);
        let r = scan(s.port);
        let (dos, secure) = sslyze_reneg(s.port);
        assert_eq!(dos, accepts, "sslyze on {args:?}");
        assert!(secure, "sslyze on {args:?}");
        let ours = check(&r, "client_renegotiation").0 == "vulnerable";
        assert_eq!(ours, dos, "{args:?}: tlsprobe and sslyze disagree");
        assert_eq!(check(&r, "insecure_renegotiation").0, "not_vulnerable");
    }
}

/// The client's hook, in memory against tlsprobe's own server: after a TLS 1.2 handshake the
/// renegotiating ClientHello goes out encrypted, with renegotiation_info carrying the
/// client's Finished verify_data (RFC 5746 §3.5), and the server's refusal comes back as a
/// no_renegotiation warning; on TLS 1.3 there is no such request.
#[test]
fn renegotiating_hello_carries_client_verify_data() {
    use std::sync::Arc;
    use tlsprobe::error::{Alert, AlertLevel};
    use tlsprobe::event::{Dir, Event};
    use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
    use tlsprobe::inmem::Pair;
    use tlsprobe::wire::codepoints::{ExtensionType, ProtocolVersion};
    use tlsprobe::wire::extensions::ExtBody;
    use tlsprobe::wire::handshake::HandshakeMessage as HM;

    let pair = |v: ProtocolVersion| {
        let chain = tlsprobe::pki::pem::parse_cert_chain_pem(common::inmem::CERT_PEM).unwrap();
        let key = tlsprobe::crypto::sign::SigningKey::from_pem(common::inmem::KEY_PEM).unwrap();
        let mut sc = ServerConfig::new(CertifiedKey {
            chain,
            key: Arc::new(key),
        });
        sc.versions = vec![v];
        let cc = ClientConfig {
            versions: vec![v],
            ..ClientConfig::default()
        };
        let mut p = Pair::seeded(cc, Arc::new(sc), 7).unwrap();
        p.pump();
        assert!(p.established() && p.errors.is_empty(), "{:?}", p.errors);
        p
    };
    let mut p = pair(ProtocolVersion::TLS12);
    let finished = p
        .client_events
        .iter()
        .find_map(|e| match e {
            Event::Handshake {
                dir: Dir::Out, msg, ..
            } => match &**msg {
                HM::Finished(vd) => Some(vd.clone()),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    let before = p.client_events.len();
    p.client.request_renegotiation().unwrap();
    p.pump();
    let after = &p.client_events[before..];
    let hello = after
        .iter()
        .find_map(|e| match e {
            Event::Handshake {
                dir: Dir::Out,
                msg,
                encrypted,
                ..
            } => match &**msg {
                HM::ClientHello(ch) => Some((ch.clone(), *encrypted)),
                _ => None,
            },
            _ => None,
        })
        .expect("a renegotiating ClientHello");
    assert!(hello.1, "the renegotiating hello goes out encrypted");
    let ri = hello
        .0
        .extensions
        .iter()
        .find(|x| x.typ == ExtensionType::RENEGOTIATION_INFO)
        .map(|x| x.body.clone());
    assert_eq!(ri, Some(ExtBody::RenegotiationInfo(finished)));
    assert!(
        after.iter().any(|e| matches!(
            e,
            Event::Alert {
                dir: Dir::In,
                level: AlertLevel::Warning,
                description: Alert::NoRenegotiation
            }
        )),
        "{after:#?}"
    );
    let mut p = pair(ProtocolVersion::TLS13);
    assert!(p.client.request_renegotiation().is_err());
}

/// A server that never answers the renegotiating ClientHello costs one timeout, not a hang;
/// one that answers with bytes that are not TLS gives `unknown` with the reason.
#[test]
fn silent_or_garbage_answers_are_bounded_and_explained() {
    if !need_python() || !need_tlslite() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let (cert, key) = (pair.cert.to_str().unwrap(), pair.key.to_str().unwrap());
    let s = python("no_reneg_server.py", &[cert, key, "silent"]);
    let started = std::time::Instant::now();
    let o = run(
        tp([
            "scan",
            &format!("127.0.0.1:{}", s.port),
            "--json",
            "--timeout",
            "2",
        ]),
        b"",
        Duration::from_secs(60),
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    let r: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        check(&r, "client_renegotiation"),
        (
            "not_vulnerable",
            Some("ignored: no answer to the renegotiating ClientHello within 2 s")
        )
    );
    drop(s);
    let s = python("no_reneg_server.py", &[cert, key, "garbage"]);
    let r = scan(s.port);
    let (v, why) = check(&r, "client_renegotiation");
    assert_eq!(v, "unknown");
    assert!(
        why.unwrap()
            .starts_with("unknown: the answer to the renegotiating ClientHello could not be read"),
        "{why:?}"
    );
}
