//! Interop of the modes of issue 15 item 5 on 127.0.0.1, both roles: TLS_FALLBACK_SCSV
//! (RFC 7507) against `openssl s_server`/`s_client`, 1/n-1 record splitting of TLS 1.0 CBC
//! application data (RFC 7457 §2.1), client certificates in TLS 1.0 and 1.1 (RFC 4346
//! §7.4.8), record_size_limit (RFC 8449) with GnuTLS and max_fragment_length (RFC 6066 §4)
//! with OpenSSL. Record sizes are read from the `record` JSON events (`--json --hex`).
//! Servers are killed on drop; every wait is bounded in count and time.

mod common;
use common::{certs, listen, need_gnutls, need_openssl, run, start_on_free_port, tp, Key, Server};

use serde_json::Value;
use std::process::Command;
use std::time::Duration;

const T: Duration = Duration::from_secs(30);

/// `openssl s_server` with the RSA leaf, every suite at security level 0, plus `extra`.
fn s_server(extra: &[&str]) -> Server {
    let rsa = certs().leaf(Key::Rsa);
    start_on_free_port("openssl s_server", 3, |port| {
        let mut c = Command::new("openssl");
        c.args(["s_server", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&rsa.cert)
            .arg("-key")
            .arg(&rsa.key)
            .args(["-cipher", "ALL:@SECLEVEL=0"])
            .args(extra);
        c
    })
    .expect("openssl s_server starts")
}

/// `tlsprobe listen` with the RSA leaf, plus `extra`.
fn listen_rsa(extra: &[&str]) -> Server {
    let rsa = certs().leaf(Key::Rsa);
    let mut args = vec![
        "--color",
        "never",
        "--cert",
        rsa.cert.to_str().unwrap(),
        "--key",
        rsa.key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    listen(&args)
}

/// `openssl s_client` against 127.0.0.1:`port` with `args`, `input` on stdin: its output.
fn s_client(port: u16, args: &[&str], input: &[u8]) -> String {
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(args);
    let o = run(c, input, T);
    format!("{}{}", o.stdout, o.stderr)
}

/// `tlsprobe connect 127.0.0.1:PORT -k --timeout 10 ARGS`, `input` on stdin: (exit code,
/// stdout, stderr).
fn connect(port: u16, args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "-k",
        "--timeout",
        "10",
    ]);
    c.args(["--color", "never"]).args(args);
    run(c, input, T).parts()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .collect()
}

/// The lengths (header included) of the application_data records sent in direction `dir`.
fn app_records(events: &[Value], dir: &str) -> Vec<u64> {
    events
        .iter()
        .filter(|e| e["type"] == "record" && e["dir"] == dir)
        .filter(|e| e["content_type"] == "application_data" && e["encrypted"] == true)
        .map(|e| e["length"].as_u64().unwrap())
        .collect()
}

/// The `info` messages among `events`.
fn infos(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["type"] == "info")
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fallback_scsv_both_roles() {
    if !need_openssl() {
        return;
    }
    // connect --fallback-scsv --tls 1.2 against a server that supports TLS 1.3 (RFC 7507 §3).
    let srv = s_server(&["-www"]);
    let (code, _, err) = connect(srv.port, &["-n", "--tls", "1.2", "--fallback-scsv"], b"");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("inappropriate_fallback"), "{err}");
    assert!(
        err.contains(
            "the server supports a higher version than offered: downgrade protection works"
        ),
        "{err}"
    );
    // The same without the SCSV connects: the alert was the SCSV's doing.
    let (code, _, err) = connect(srv.port, &["-n", "--tls", "1.2"], b"");
    assert_eq!(code, 0, "{err}");
    // And with TLS 1.3 allowed, the SCSV is no fallback.
    let (code, _, err) = connect(srv.port, &["-n", "--fallback-scsv"], b"");
    assert_eq!(code, 0, "{err}");
    drop(srv);

    // s_client -fallback_scsv -tls1_2 against listen (TLS 1.2 and 1.3).
    let mut l = listen_rsa(&[]);
    let out = s_client(l.port, &["-tls1_2", "-fallback_scsv"], b"");
    assert!(out.contains("inappropriate fallback"), "{out}");
    let out = s_client(l.port, &["-tls1_2", "-ign_eof"], b"GET / HTTP/1.0\r\n\r\n");
    assert!(out.contains("HTTP/1.0 200"), "{out}");
    let text = l.output(Duration::ZERO);
    assert!(text.contains("TLS_FALLBACK_SCSV"), "{text}");
    assert!(text.contains("inappropriate_fallback"), "{text}");
}

/// listen --tls 1.0 --json --hex with `extra`; s_client -tls1 AES128-SHA asks for the
/// page: the lengths of listen's application_data records, and its output.
fn listen_split(extra: &[&str]) -> (Vec<u64>, String) {
    let mut args = vec!["--once", "--tls", "1.0", "--json", "--hex"];
    args.extend_from_slice(extra);
    let mut l = listen_rsa(&args);
    let out = s_client(
        l.port,
        &["-tls1", "-cipher", "AES128-SHA:@SECLEVEL=0", "-ign_eof"],
        b"GET / HTTP/1.0\r\n\r\n",
    );
    assert!(out.contains("HTTP/1.0 200"), "the page came: {out}");
    let text = l.output(Duration::from_secs(5));
    (app_records(&json_lines(&text), "out"), text)
}

#[test]
fn one_n_minus_one_split_tls10_cbc_both_roles() {
    if !need_openssl() {
        return;
    }
    // listen: the page's first record carries one byte (5 + 32 or, with encrypt-then-MAC,
    // 5 + 36 bytes with AES-CBC and HMAC-SHA1); --no-split: the page starts whole.
    let (split, text) = listen_split(&[]);
    assert!(split.len() >= 2 && split[0] <= 41, "{split:?}\n{text}");
    assert!(split[1] > 100, "then the rest: {split:?}");
    assert!(text.contains("split 1/n-1"), "{text}");
    let (whole, text) = listen_split(&["--no-split"]);
    assert!(whole[0] > 100, "{whole:?}\n{text}");
    assert!(text.contains("not split 1/n-1 (--no-split)"), "{text}");

    // connect against s_server -tls1 -rev: the same on the client side.
    let srv = s_server(&["-tls1", "-rev"]);
    for (flag, records) in [(None, 2), (Some("--no-split"), 1)] {
        let mut args = vec!["--tls", "1.0", "--suites", "AES128-SHA", "--json", "--hex"];
        args.extend(flag);
        let (code, out, err) = connect(srv.port, &args, b"hello, split world\n");
        assert_eq!(code, 0, "{err}");
        let events = json_lines(&out);
        let sent = app_records(&events, "out");
        assert_eq!(sent.len(), records, "{flag:?}: {sent:?}\n{out}");
        let warned = events
            .iter()
            .any(|e| e["type"] == "warning" && e["message"].as_str().unwrap().contains("1/n-1"));
        assert!(warned, "the trace says whether records are split: {out}");
    }
}

#[test]
fn client_certificates_in_tls10_and_tls11_both_roles() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let rsa = c.leaf(Key::Rsa);
    for (flag, tls) in [("-tls1", "1.0"), ("-tls1_1", "1.1")] {
        // connect --cert/--key against s_server -Verify 1 (a certificate is required).
        let srv = s_server(&[flag, "-Verify", "1", "-www"]);
        for pair in [rsa, &c.client] {
            let (code, out, err) = connect(
                srv.port,
                &[
                    "-n",
                    "--tls",
                    tls,
                    "--json",
                    "--cert",
                    pair.cert.to_str().unwrap(),
                    "--key",
                    pair.key.to_str().unwrap(),
                ],
                b"",
            );
            assert_eq!(code, 0, "{tls} {}: {err}", pair.cert.display());
            let events = json_lines(&out);
            let cv = events
                .iter()
                .find(|e| e["msg"] == "certificate_verify" && e["dir"] == "out")
                .unwrap_or_else(|| panic!("no CertificateVerify sent: {out}"));
            assert_eq!(cv["signature_scheme"], Value::Null, "{cv}");
        }
        drop(srv);

        // s_client -cert/-key against listen --client-auth require.
        for (pair, how) in [
            (rsa, "RSA PKCS#1 v1.5 over MD5+SHA-1"),
            (&c.client, "ECDSA over SHA-1"),
        ] {
            let mut l = listen_rsa(&["--once", "--tls", "1.0,1.1,1.2", "--client-auth", "require"]);
            let out = s_client(
                l.port,
                &[
                    flag,
                    "-cipher",
                    "ALL:@SECLEVEL=0",
                    "-cert",
                    pair.cert.to_str().unwrap(),
                    "-key",
                    pair.key.to_str().unwrap(),
                    "-ign_eof",
                ],
                b"GET / HTTP/1.0\r\n\r\n",
            );
            assert!(out.contains("HTTP/1.0 200"), "{tls}: {out}");
            let text = l.output(Duration::from_secs(5));
            assert!(
                text.contains(&format!("{how} verified with the client certificate's key")),
                "{tls}: {text}"
            );
        }
    }
}

/// `gnutls-serv --http --recordsize N` (or gnutls-cli) needs these certificate files.
fn gnutls_serv(extra: &[&str]) -> Server {
    let rsa = certs().leaf(Key::Rsa);
    start_on_free_port("gnutls-serv", 3, |port| {
        let mut c = Command::new("gnutls-serv");
        c.args(["--port", &port.to_string(), "--http", "--quiet"])
            .arg("--x509certfile")
            .arg(&rsa.cert)
            .arg("--x509keyfile")
            .arg(&rsa.key)
            .args(extra);
        c
    })
    .expect("gnutls-serv starts")
}

#[test]
fn record_size_limit_with_gnutls_both_roles() {
    if !need_gnutls("gnutls-serv") || !need_gnutls("gnutls-cli") {
        return;
    }
    // GnuTLS takes no record_size_limit below 512 in TLS 1.2; 600 is no max_fragment_length
    // value, so record_size_limit alone is offered.
    // connect --record-size-limit 600 against gnutls-serv --echo: 2000 bytes come back in
    // records within the limit (AEAD expansion: at most 1 + 16 in TLS 1.3, 8 + 16 in TLS
    // 1.2, plus the 5-byte header).
    let srv = gnutls_serv(&["--echo"]);
    // gnutls-serv --echo answers a line.
    let mut data = vec![b'x'; 2000];
    data.push(b'\n');
    for tls in ["1.2", "1.3"] {
        let (code, out, err) = connect(
            srv.port,
            &[
                "--tls",
                tls,
                "--record-size-limit",
                "600",
                "--json",
                "--hex",
            ],
            &data,
        );
        assert_eq!(code, 0, "{tls}: {err}");
        let events = json_lines(&out);
        let got = app_records(&events, "in");
        assert!(got.len() >= 4, "{tls}: the echo comes in pieces: {got:?}");
        assert!(got.iter().all(|&n| n <= 600 + 24 + 5), "{tls}: {got:?}");
        let info = infos(&events).join("\n");
        assert!(
            info.contains("record sizes limited by record_size_limit"),
            "{info}"
        );
    }
    drop(srv);

    // gnutls-cli --recordsize 600 against listen: the page comes in records within it.
    for priority in [
        "NORMAL:-VERS-ALL:+VERS-TLS1.3",
        "NORMAL:-VERS-ALL:+VERS-TLS1.2",
    ] {
        let mut l = listen_rsa(&["--once", "--json", "--hex"]);
        let mut c = Command::new("gnutls-cli");
        c.args(["--port", &l.port.to_string(), "127.0.0.1", "--insecure"])
            .args(["--priority", priority, "--recordsize", "600"]);
        let o = run(c, b"GET / HTTP/1.0\r\n\r\n", T);
        assert!(
            o.stdout.contains("HTTP/1.0 200"),
            "{priority}: {}",
            o.stderr
        );
        let events = json_lines(&l.output(Duration::from_secs(5)));
        let sent = app_records(&events, "out");
        assert!(sent.len() >= 2, "{priority}: {sent:?}");
        assert!(
            sent.iter().all(|&n| n <= 600 + 24 + 5),
            "{priority}: {sent:?}"
        );
        let info = infos(&events).join("\n");
        assert!(
            info.contains("record sizes limited by record_size_limit"),
            "{info}"
        );
    }
}

#[test]
fn max_fragment_length_with_openssl_both_roles() {
    if !need_openssl() {
        return;
    }
    // connect --record-size-limit 512: OpenSSL (no record_size_limit) answers
    // max_fragment_length and sends records of at most 512 bytes of content.
    let srv = s_server(&["-www"]);
    for tls in ["1.2", "1.3"] {
        let (code, out, err) = connect(
            srv.port,
            &[
                "--tls",
                tls,
                "--record-size-limit",
                "512",
                "--json",
                "--hex",
            ],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert_eq!(code, 0, "{tls}: {err}");
        let events = json_lines(&out);
        let got = app_records(&events, "in");
        assert!(got.len() >= 2, "{tls}: the page comes in pieces: {got:?}");
        assert!(got.iter().all(|&n| n <= 512 + 24 + 5), "{tls}: {got:?}");
        let info = infos(&events).join("\n");
        assert!(info.contains("max_fragment_length (RFC 6066 §4)"), "{info}");
    }
    drop(srv);

    // s_client -maxfraglen 512 against listen: listen answers and keeps to it.
    for flag in ["-tls1_2", "-tls1_3"] {
        let mut l = listen_rsa(&["--once", "--json", "--hex"]);
        let out = s_client(
            l.port,
            &[flag, "-maxfraglen", "512", "-ign_eof"],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(out.contains("HTTP/1.0 200"), "{flag}: {out}");
        let events = json_lines(&l.output(Duration::from_secs(5)));
        let sent = app_records(&events, "out");
        assert!(sent.len() >= 2, "{flag}: {sent:?}");
        assert!(sent.iter().all(|&n| n <= 512 + 24 + 5), "{flag}: {sent:?}");
        let info = infos(&events).join("\n");
        assert!(info.contains("max_fragment_length (RFC 6066 §4)"), "{info}");
    }
}
