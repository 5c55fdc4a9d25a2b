//! What the summary and the messages say, one format per value (cli.md "JSON output"):
//! `client_certificate` names the certificate sent (connect --cert) or received (listen) by
//! subject and key type; a TLS 1.2 DHE group is named (ffdhe2048) or sized ("DH 2048 bits");
//! hello fields are `compression_methods` (client) and `compression_method` (server), as the
//! docs say; certificate fingerprints are lowercase hex without colons and dates RFC 3339,
//! in JSON and in the human trace. Against openssl s_server / s_client on loopback.

mod common;
use common::{
    certs, need_openssl, openssl_in, run, s_client, s_server, scratch, tp, Done, Key, LIMIT,
};

use std::time::Duration;

use serde_json::Value;

fn connect(port: u16, ca: &std::path::Path, extra: &[&str]) -> Done {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "-n",
        "--timeout",
        "5",
        "--ca-file",
    ]);
    c.arg(ca).args(extra);
    run(c, b"", LIMIT)
}

fn summary(done: &Done) -> Value {
    let ev = done.json();
    ev.into_iter()
        .find(|e| e["type"] == "summary")
        .unwrap_or_else(|| panic!("no summary\n{}", done.all()))
}

fn rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && s.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            19 => c == 'Z',
            _ => c.is_ascii_digit(),
        })
}

fn lower_hex64(s: &str) -> bool {
    s.len() == 64
        && s.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[test]
fn client_certificate_sent_and_received_is_named() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let leaf = c.leaf(Key::P256);
    let ca = c.ca.cert.to_str().unwrap();
    let srv = s_server(leaf, &["-www", "-Verify", "1", "-CAfile", ca], None);
    for tls in ["1.3", "1.2"] {
        let mut extra = vec!["--json", "--tls", tls, "--cert"];
        extra.push(c.client.cert.to_str().unwrap());
        extra.extend(["--key", c.client.key.to_str().unwrap()]);
        let done = connect(srv.port, &leaf.cert, &extra);
        assert_eq!(done.code, Some(0), "{}", done.all());
        let s = summary(&done);
        assert_eq!(s["client_certificate"]["subject"], "CN=test client", "{s}");
        assert_eq!(s["client_certificate"]["key"], "EC P-256", "{s}");
    }
    // Without --cert nothing is sent: null.
    let done = connect(srv.port, &leaf.cert, &["--json"]);
    assert_eq!(summary(&done)["client_certificate"], Value::Null);

    // listen names the certificate the client sent.
    let mut l = common::listen_once(
        "127.0.0.1:0",
        &["--json", "--client-auth", "require", "--ca-file", ca],
    );
    let d = s_client(
        l.port,
        &[
            "-tls1_3",
            "-ign_eof",
            "-cert",
            c.client.cert.to_str().unwrap(),
            "-key",
            c.client.key.to_str().unwrap(),
        ],
        b"GET / HTTP/1.0\r\n\r\n",
    );
    assert!(
        d.stdout
            .contains("client cert:      CN=test client (EC P-256)"),
        "{}",
        d.all()
    );
    let out = l.output(Duration::from_secs(10));
    let s: Value = out
        .lines()
        .filter(|x| x.contains("\"type\":\"summary\""))
        .map(|x| serde_json::from_str(x).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no summary\n{out}"));
    assert_eq!(s["client_certificate"]["subject"], "CN=test client", "{s}");
    assert_eq!(s["client_certificate"]["key"], "EC P-256", "{s}");
}

#[test]
fn dhe_group_is_named_or_sized() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::Rsa);
    let dhe = ["--tls", "1.2", "--suites", "DHE-RSA-AES128-GCM-SHA256"];
    // OpenSSL 3 picks a well-known 2048-bit group for a 2048-bit RSA key (RFC 3526 group 14).
    let srv = s_server(leaf, &["-www"], None);
    let mut extra = vec!["--json"];
    extra.extend(dhe);
    let done = connect(srv.port, &leaf.cert, &extra);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let s = summary(&done);
    assert_eq!(s["group"], "modp_2048", "{s}");
    assert_eq!(s["dh_bits"], 2048, "{s}");
    drop(srv);

    // An RFC 7919 group by its TLS name.
    let dir = scratch();
    let ff = [
        "genpkey",
        "-genparam",
        "-algorithm",
        "DH",
        "-pkeyopt",
        "group:ffdhe3072",
    ];
    openssl_in(dir.path(), &[&ff[..], &["-out", "ff.pem"]].concat());
    let ff = dir.path().join("ff.pem");
    let srv = s_server(leaf, &["-www", "-dhparam", ff.to_str().unwrap()], None);
    let done = connect(srv.port, &leaf.cert, &extra);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let s = summary(&done);
    assert_eq!(s["group"], "ffdhe3072", "{s}");
    assert_eq!(s["dh_bits"], 3072, "{s}");
    drop(srv);

    // A prime of no named group (a fresh one; 1024 bits to make it quickly): its size.
    openssl_in(dir.path(), &["dhparam", "-out", "dh.pem", "1024"]);
    let dh = dir.path().join("dh.pem");
    let srv = s_server(
        leaf,
        &[
            "-www",
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
            "-dhparam",
            dh.to_str().unwrap(),
        ],
        None,
    );
    let done = connect(srv.port, &leaf.cert, &extra);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let s = summary(&done);
    assert_eq!(s["group"], "DH 1024 bits", "{s}");
    assert_eq!(s["dh_bits"], 1024, "{s}");
    // The human summary says the same.
    let done = connect(srv.port, &leaf.cert, &dhe);
    let line = done
        .stderr
        .lines()
        .find(|l| l.starts_with("= Summary"))
        .unwrap_or_else(|| panic!("{}", done.all()));
    assert!(line.contains(", DH 1024 bits,"), "{line}");
}

#[test]
fn hello_compression_fields_match_the_docs() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    for tls in ["1.3", "1.2"] {
        let done = connect(srv.port, &leaf.cert, &["--json", "--tls", tls]);
        let ev = done.json();
        let msg = |m: &str| ev.iter().find(|e| e["msg"] == m).cloned().unwrap();
        let ch = msg("client_hello");
        assert_eq!(ch["compression_methods"], serde_json::json!(["null"]));
        assert!(ch.get("compression_method").is_none());
        let sh = msg("server_hello");
        assert_eq!(sh["compression_method"], "null", "{sh}");
        assert!(sh.get("compression_methods").is_none());
    }
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    assert!(docs.contains("`compression_methods` (client_hello, list)"));
    assert!(docs.contains("`compression_method` (server_hello and hello_retry_request, one)"));
}

#[test]
fn fingerprints_and_dates_have_one_form() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let done = connect(srv.port, &leaf.cert, &["--json"]);
    let ev = done.json();
    let cert = ev
        .iter()
        .find(|e| e["msg"] == "certificate")
        .map(|e| e["certificates"][0].clone())
        .unwrap();
    let fp = cert["sha256"].as_str().unwrap().to_string();
    assert!(lower_hex64(&fp), "{fp}");
    for k in ["not_before", "not_after"] {
        assert!(rfc3339(cert[k].as_str().unwrap()), "{k}: {cert}");
    }
    // openssl's fingerprint, written tlsprobe's way.
    let o = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(&leaf.cert)
        .output()
        .unwrap();
    let theirs = String::from_utf8_lossy(&o.stdout);
    let theirs = theirs.trim().rsplit('=').next().unwrap().replace(':', "");
    assert_eq!(fp, theirs.to_lowercase());

    // The human trace: the same fingerprint, the same dates.
    let human = connect(srv.port, &leaf.cert, &[]);
    let sha = human
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("sha256 "))
        .unwrap_or_else(|| panic!("{}", human.all()));
    assert_eq!(sha.split_whitespace().nth(1), Some(fp.as_str()), "{sha}");
    let validity = human
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("validity "))
        .unwrap();
    assert!(
        validity.contains(cert["not_after"].as_str().unwrap()),
        "{validity}"
    );

    // listen's banner: the same form.
    let mut l = common::listen_once("127.0.0.1:0", &["--json"]);
    let _ = s_client(l.port, &["-tls1_3"], b"");
    let out = l.output(Duration::from_secs(10));
    let line = out
        .lines()
        .find(|x| x.contains("fingerprint"))
        .unwrap_or_else(|| panic!("{out}"));
    let fp = line.rsplit(' ').next().unwrap().trim_end_matches("\"}");
    assert!(lower_hex64(fp), "{line}");
}
