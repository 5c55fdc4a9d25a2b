//! External PSKs against real peers, both directions: `tlsprobe connect --psk` against
//! `openssl s_server -nocert -psk` and `gnutls-serv --pskpasswd`; `openssl s_client -psk`
//! and `gnutls-cli --pskusername/--pskkey` against `tlsprobe listen --psk`. TLS 1.3 in both
//! key exchange modes, the TLS 1.2 PSK, DHE-PSK and ECDHE-PSK suites, and a wrong key on
//! either side failing with the right alert. Loopback only; every server is a `Proc`
//! (killed on drop) and every run bounded.

mod common;
use common::{
    certs, listen, need_gnutls, need_openssl, run, s_client, serve_on_free_port, summaries, tp,
    Done, Key, Server, LIMIT,
};

use std::process::Command;
use std::time::Duration;

const KEY: &str = "1a2b3c4d5e6f708192a3b4c5d6e7f809";
const OTHER_KEY: &str = "ffeeddccbbaa99887766554433221100";

/// `tlsprobe connect --json -n --psk KEY ARGS` to 127.0.0.1:`port`.
fn connect(port: u16, key: &str, args: &[&str]) -> Done {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--json",
        "-n",
        "--timeout",
        "10",
        "--psk",
        key,
    ]);
    c.args(args);
    run(c, b"", LIMIT)
}

/// The one Summary of a successful connect, as JSON.
fn summary(d: &Done) -> serde_json::Value {
    assert_eq!(d.code, Some(0), "{}", d.all());
    let events = d.json();
    let s = summaries(&events);
    assert_eq!(s.len(), 1, "{}", d.all());
    s[0].clone()
}

/// `openssl s_server -nocert -psk KEY -psk_identity NAME -www ARGS` on a free port.
fn s_server_psk(key: &str, args: &[&str]) -> Server {
    serve_on_free_port("openssl s_server -psk", |port| {
        let mut c = Command::new("openssl");
        c.args([
            "s_server",
            "-accept",
            &format!("127.0.0.1:{port}"),
            "-nocert",
            "-www",
        ])
        .args(["-psk", key, "-psk_identity", "Client_identity"])
        .args(args);
        c
    })
}

#[test]
fn connect_to_openssl_tls13_both_modes() {
    if !need_openssl() {
        return;
    }
    let srv = s_server_psk(KEY, &["-allow_no_dhe_kex"]);
    for (mode, group) in [("dhe_ke", true), ("ke", false)] {
        let s = summary(&connect(
            srv.port,
            KEY,
            &["--tls", "1.3", "--psk-mode", mode],
        ));
        assert_eq!(s["version"], "TLS 1.3", "{s}");
        assert_eq!(s["psk"]["kind"], "external", "{s}");
        assert_eq!(s["psk"]["identity"], "Client_identity", "{s}");
        assert_eq!(s["psk"]["mode"], format!("psk_{mode}"), "{s}");
        assert_eq!(s["group"].is_string(), group, "{s}");
        assert!(s["signature_scheme"].is_null(), "{s}");
    }
}

#[test]
fn connect_to_openssl_tls12_psk_suites() {
    if !need_openssl() {
        return;
    }
    for (ossl, iana) in [
        ("PSK-AES128-GCM-SHA256", "TLS_PSK_WITH_AES_128_GCM_SHA256"),
        (
            "DHE-PSK-AES256-GCM-SHA384",
            "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384",
        ),
        (
            "ECDHE-PSK-CHACHA20-POLY1305",
            "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        ),
        (
            "ECDHE-PSK-AES128-CBC-SHA256",
            "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",
        ),
        ("PSK-AES256-CBC-SHA", "TLS_PSK_WITH_AES_256_CBC_SHA"),
    ] {
        let cipher = format!("{ossl}:@SECLEVEL=0");
        let srv = s_server_psk(KEY, &["-tls1_2", "-cipher", &cipher]);
        let s = summary(&connect(srv.port, KEY, &["--tls", "1.2"]));
        assert_eq!(s["cipher_suite"], iana, "{s}");
        assert_eq!(s["psk"]["kind"], "external", "{s}");
        assert!(s["psk"]["mode"].is_null(), "{s}");
    }
}

/// `openssl s_server -psk KEY -psk_identity NAME -www` with the RSA test certificate, TLS 1.2
/// and `cipher` only (RSA-PSK, RFC 4279 §4).
fn s_server_rsa_psk(cipher: &str) -> Server {
    let leaf = certs().leaf(Key::Rsa);
    serve_on_free_port("openssl s_server -psk (RSA)", |port| {
        let mut c = Command::new("openssl");
        c.args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-www"])
            .arg("-cert")
            .arg(&leaf.cert)
            .arg("-key")
            .arg(&leaf.key)
            .args(["-psk", KEY, "-psk_identity", "Client_identity", "-tls1_2"])
            .args(["-cipher", &format!("{cipher}:@SECLEVEL=0")]);
        c
    })
}

#[test]
fn connect_to_openssl_rsa_psk_suites() {
    if !need_openssl() {
        return;
    }
    for (ossl, iana) in [
        (
            "RSA-PSK-AES128-GCM-SHA256",
            "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",
        ),
        (
            "RSA-PSK-CHACHA20-POLY1305",
            "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",
        ),
        (
            "RSA-PSK-AES256-CBC-SHA384",
            "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384",
        ),
        ("RSA-PSK-AES128-CBC-SHA", "TLS_RSA_PSK_WITH_AES_128_CBC_SHA"),
    ] {
        let srv = s_server_rsa_psk(ossl);
        // The certificate is verified as for any RSA suite.
        let ca = certs().leaf(Key::Rsa).cert.to_str().unwrap();
        let s = summary(&connect(srv.port, KEY, &["--tls", "1.2", "--ca-file", ca]));
        assert_eq!(s["cipher_suite"], iana, "{s}");
        assert_eq!(s["psk"]["kind"], "external", "{s}");
    }
    // A wrong key: openssl cannot decrypt our Finished.
    let srv = s_server_rsa_psk("RSA-PSK-AES256-GCM-SHA384");
    let d = connect(srv.port, OTHER_KEY, &["--tls", "1.2", "-k"]);
    assert_eq!(d.code, Some(1), "{}", d.all());
    assert!(d.stderr.contains("bad_record_mac"), "{}", d.all());
}

#[test]
fn openssl_client_rsa_psk_against_listen() {
    if !need_openssl() {
        return;
    }
    // listen's default certificates include an RSA one.
    let l = listen(&["-q", "--psk", KEY]);
    for suite in [
        "RSA-PSK-AES256-GCM-SHA384",
        "RSA-PSK-CHACHA20-POLY1305",
        "RSA-PSK-AES128-CBC-SHA256",
        "RSA-PSK-AES256-CBC-SHA",
    ] {
        let cipher = format!("{suite}:@SECLEVEL=0");
        let out = openssl_client(l.port, KEY, &["-tls1_2", "-cipher", &cipher]);
        assert!(
            out.contains(&format!("Cipher is {suite}")),
            "{suite}: {out}"
        );
        assert!(out.contains("HTTP/1.0 200"), "{suite}: {out}");
    }
    let out = openssl_client(
        l.port,
        OTHER_KEY,
        &["-tls1_2", "-cipher", "RSA-PSK-AES128-GCM-SHA256"],
    );
    assert!(out.contains("alert bad record mac"), "{out}");
    assert!(!out.contains("HTTP/1.0 200"), "{out}");
}

#[test]
fn connect_with_a_wrong_key_fails_with_the_alert_openssl_sends() {
    if !need_openssl() {
        return;
    }
    // TLS 1.3: openssl's binder check fails (RFC 8446 §4.2.11). OpenSSL 3.0 answers
    // illegal_parameter (RFC 8446 §6.2 names decrypt_error, which listen sends).
    let srv = s_server_psk(KEY, &[]);
    let d = connect(srv.port, OTHER_KEY, &["--tls", "1.3"]);
    assert_eq!(d.code, Some(1), "{}", d.all());
    assert!(
        d.stderr.contains("fatal illegal_parameter alert"),
        "{}",
        d.all()
    );
    // TLS 1.2: our Finished does not decrypt under its keys: bad_record_mac.
    let srv = s_server_psk(KEY, &["-tls1_2", "-cipher", "PSK-AES128-GCM-SHA256"]);
    let d = connect(srv.port, OTHER_KEY, &["--tls", "1.2"]);
    assert_eq!(d.code, Some(1), "{}", d.all());
    assert!(d.stderr.contains("bad_record_mac"), "{}", d.all());
}

/// `openssl s_client -psk KEY ARGS` against `port`, sending an HTTP request.
fn openssl_client(port: u16, key: &str, args: &[&str]) -> String {
    let mut a = vec!["-psk", key, "-ign_eof"];
    a.extend_from_slice(args);
    let d = s_client(port, &a, b"GET / HTTP/1.0\r\n\r\n");
    format!("{}{}", d.stdout, d.stderr)
}

#[test]
fn openssl_client_against_listen() {
    if !need_openssl() {
        return;
    }
    let l = listen(&["-q", "--psk", KEY]);
    // TLS 1.3 psk_dhe_ke, then psk_ke only (-allow_no_dhe_kex offers both; listen prefers
    // dhe_ke, so psk_ke needs a listen that prefers it).
    let out = openssl_client(l.port, KEY, &["-tls1_3"]);
    assert!(
        out.contains("TLSv1.3") && out.contains("HTTP/1.0 200"),
        "{out}"
    );
    assert!(
        out.contains("external PSK \"Client_identity\", psk_dhe_ke"),
        "{out}"
    );
    let ke = listen(&["-q", "--psk", KEY, "--psk-mode", "ke"]);
    let out = openssl_client(ke.port, KEY, &["-tls1_3", "-allow_no_dhe_kex"]);
    assert!(
        out.contains("external PSK \"Client_identity\", psk_ke"),
        "{out}"
    );
    for suite in [
        "PSK-AES256-GCM-SHA384",
        "DHE-PSK-AES128-GCM-SHA256",
        "ECDHE-PSK-AES256-CBC-SHA384",
        "PSK-CHACHA20-POLY1305",
    ] {
        let cipher = format!("{suite}:@SECLEVEL=0");
        let out = openssl_client(l.port, KEY, &["-tls1_2", "-cipher", &cipher]);
        assert!(
            out.contains(&format!("Cipher is {suite}")),
            "{suite}: {out}"
        );
        assert!(out.contains("HTTP/1.0 200"), "{suite}: {out}");
    }
}

#[test]
fn openssl_client_with_a_wrong_key_or_identity_gets_the_right_alert() {
    if !need_openssl() {
        return;
    }
    let l = listen(&["-q", "--psk", KEY, "--tls", "1.2,1.3"]);
    // TLS 1.3: the binder does not verify (RFC 8446 §4.2.11).
    let out = openssl_client(l.port, OTHER_KEY, &["-tls1_3"]);
    assert!(out.contains("alert decrypt error"), "{out}");
    // TLS 1.2: an identity we do not know (RFC 4279 §2, as openssl answers).
    let out = openssl_client(
        l.port,
        KEY,
        &[
            "-tls1_2",
            "-psk_identity",
            "nobody",
            "-cipher",
            "PSK-AES128-GCM-SHA256",
        ],
    );
    assert!(out.contains("alert unknown psk identity"), "{out}");
}

#[test]
fn gnutls_both_directions() {
    if !need_gnutls("gnutls-serv") || !need_gnutls("gnutls-cli") {
        return;
    }
    let dir = common::scratch();
    let passwd = dir.path().join("psk.passwd");
    std::fs::write(&passwd, format!("Client_identity:{KEY}\n")).unwrap();
    let srv = serve_on_free_port("gnutls-serv --pskpasswd", |port| {
        let mut c = Command::new("gnutls-serv");
        c.args(["--port", &port.to_string(), "--http", "--pskpasswd"])
            .arg(&passwd)
            .args(["--priority", "NORMAL:+PSK:+DHE-PSK:+ECDHE-PSK"]);
        c
    });
    for (tls, suite) in [
        ("1.3", "TLS_AES_128_GCM_SHA256"),
        ("1.2", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"),
    ] {
        let s = summary(&connect(srv.port, KEY, &["--tls", tls]));
        assert_eq!(s["cipher_suite"], suite, "{s}");
        assert_eq!(s["psk"]["identity"], "Client_identity", "{s}");
    }
    let l = listen(&["-q", "--psk", KEY]);
    let gnutls_cli = |port: u16, priority: &str| {
        let mut c = Command::new("gnutls-cli");
        c.args(["--port", &port.to_string(), "127.0.0.1"])
            .args(["--pskusername", "Client_identity", "--pskkey", KEY])
            .args(["--priority", priority]);
        let d = run(c, b"GET / HTTP/1.0\r\n\r\n", Duration::from_secs(30));
        format!("{}{}", d.stdout, d.stderr)
    };
    for priority in [
        "NORMAL:-VERS-ALL:+VERS-TLS1.3:-KX-ALL:+DHE-PSK",
        "NORMAL:-VERS-ALL:+VERS-TLS1.3:-KX-ALL:+PSK",
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+PSK",
    ] {
        let out = gnutls_cli(l.port, priority);
        assert!(
            out.contains("PSK authentication. Connected as 'Client_identity'"),
            "{priority}: {out}"
        );
        assert!(out.contains("HTTP/1.0 200"), "{priority}: {out}");
    }
    // This gnutls-cli (3.7.9) crashes right after a TLS 1.2 DHE-PSK or ECDHE-PSK handshake,
    // with openssl s_server too: listen's summary says the handshake completed.
    for (kx, cipher, suite) in [
        (
            "DHE-PSK",
            "AES-128-GCM",
            "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",
        ),
        (
            "ECDHE-PSK",
            "CHACHA20-POLY1305",
            "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        ),
    ] {
        let mut l = listen(&["-q", "--psk", KEY, "--once", "--color", "never"]);
        let priority = format!("NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+{kx}:-CIPHER-ALL:+{cipher}");
        gnutls_cli(l.port, &priority);
        let out = l.output(Duration::from_secs(5));
        assert!(
            out.contains(&format!("Summary TLS 1.2, {suite}")),
            "{kx}: {out}"
        );
        assert!(
            out.contains("external PSK \"Client_identity\""),
            "{kx}: {out}"
        );
    }
}
