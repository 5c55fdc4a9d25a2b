//! TLS 1.3 0-RTT over loopback (RFC 8446 §2.3, §4.2.10, §8): `connect --early-data` against
//! `openssl s_server -early_data` and `gnutls-serv --earlydata`, and `openssl s_client
//! -sess_in … -early_data` and `gnutls-cli --earlydata` against `listen --early-data`
//! (accepted once, a replay rejected, rejected by a listen without the flag).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const T: Duration = Duration::from_secs(20);
const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

/// A scratch directory and the P-256 loopback certificate every test here serves or trusts.
fn setup() -> (tempfile::TempDir, CertPair) {
    (scratch(), certs().leaf(Key::P256).clone())
}

/// `openssl s_client -tls1_3` saving its session (the ticket) to `sess`; the page must come.
fn s_client_ticket(port: u16, sess: &str) -> Done {
    let d = s_client(port, &["-tls1_3", "-sess_out", sess, "-ign_eof"], GET);
    assert!(d.stdout.contains("HTTP/1.0 200 OK"), "{}", d.all());
    d
}

/// `openssl s_client -tls1_3` resuming `sess` with the file `early` as 0-RTT early data.
fn s_client_early(port: u16, sess: &str, early: &str, input: &[u8]) -> Done {
    let args = [
        "-tls1_3",
        "-sess_in",
        sess,
        "-early_data",
        early,
        "-ign_eof",
    ];
    s_client(port, &args, input)
}

/// `connect --json --tls 1.3 --reconnect --early-data EARLY EXTRA...`: the second connection
/// resumes the first's session and sends the file as 0-RTT data.
fn connect_early(port: u16, ca: &Path, early: &Path, extra: &[&str]) -> Done {
    let early = early.to_str().expect("a UTF-8 path");
    let mut args = vec!["--tls", "1.3", "--reconnect", "--early-data", early];
    args.extend_from_slice(extra);
    connect_json(port, ca, &args)
}

fn has_msg(ev: &[Value], dir: &str, msg: &str) -> bool {
    ev.iter()
        .any(|e| e["type"] == "handshake" && e["dir"] == dir && e["msg"] == msg)
}

/// The CLIENT_EARLY_TRAFFIC_SECRET lines of a key log (waits, bounded, for the file).
fn early_secrets(path: &Path) -> Vec<(String, String)> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<(String, String)> = keylog_lines(&text)
            .into_iter()
            .filter(|(label, _, _)| label == "CLIENT_EARLY_TRAFFIC_SECRET")
            .map(|(_, random, secret)| (random, secret.to_ascii_lowercase()))
            .collect();
        if !lines.is_empty() || Instant::now() > deadline {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn connect_early_data_to_s_server_is_accepted() {
    if !need_openssl() {
        return;
    }
    let (dir, pair) = setup();
    let server_log = dir.path().join("server.keylog");
    let mut srv = s_server(&pair, &["-early_data"], Some(&server_log));
    let file = write(dir.path(), "early.txt", b"hello over 0-RTT\n");
    let client_log = dir.path().join("client.keylog");
    let d = connect_early(
        srv.port,
        &pair.cert,
        &file,
        &["--keylog", client_log.to_str().unwrap()],
    );
    assert_eq!(d.code, Some(0), "{}\n{}", d.all(), srv.proc.all());
    let ev = d.json();
    let s = summaries(&ev);
    assert_eq!(s.len(), 2, "{}", d.all());
    assert!(s[0]["early_data"].is_null(), "{}", s[0]);
    assert_eq!(s[1]["early_data"], "accepted", "{}", s[1]);
    assert_eq!(s[1]["resumed"], true);
    assert!(has_msg(&ev, "out", "end_of_early_data"), "{}", d.all());
    assert!(
        srv.proc.wait_for("hello over 0-RTT", T) && srv.proc.all().contains("Early data received"),
        "{}",
        srv.proc.all()
    );
    // The same client_early_traffic_secret on both sides (RFC 8446 §7.1).
    let ours = early_secrets(&client_log);
    assert_eq!(ours.len(), 1, "one CLIENT_EARLY_TRAFFIC_SECRET line");
    assert!(
        early_secrets(&server_log).contains(&ours[0]),
        "openssl's key log lacks our early secret"
    );
}

#[test]
fn connect_early_data_larger_than_the_ticket_allows_is_an_error() {
    if !need_openssl() {
        return;
    }
    let (dir, pair) = setup();
    let srv = s_server(&pair, &["-early_data", "-max_early_data", "8"], None);
    let file = write(dir.path(), "big.txt", &[b'x'; 100]);
    let d = connect_json(
        srv.port,
        &pair.cert,
        &["--reconnect", "--early-data", file.to_str().unwrap()],
    );
    assert_eq!(d.code, Some(1), "{}", d.all());
    assert!(
        d.stderr.contains("100 bytes") && d.stderr.contains("at most 8 bytes"),
        "{}",
        d.stderr
    );
    // Nothing was sent: no second handshake.
    assert_eq!(summaries(&d.json()).len(), 1, "{}", d.all());
}

#[test]
fn connect_early_data_without_reconnect_is_a_usage_error() {
    let (code, _, err) = probe(&["connect", "127.0.0.1:1", "--early-data", "/dev/null"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--reconnect"), "{err}");
}

#[test]
fn s_client_early_data_to_listen_is_accepted_once_and_a_replay_rejected() {
    if !need_openssl() {
        return;
    }
    let (dir, pair) = setup();
    let mut l = listen_serving(&pair, &["--early-data"]);
    let sess = dir.path().join("sess.pem");
    let sess = sess.to_str().unwrap();
    let early = write(dir.path(), "early.txt", GET);
    let early = early.to_str().unwrap();
    s_client_ticket(l.port, sess);
    // 0-RTT: the request goes as early data; listen answers it (and closes).
    let second = s_client_early(l.port, sess, early, b"");
    let out = second.all();
    assert!(out.contains("Early data was accepted"), "{out}");
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    // RFC 8446 §8.1: the same ticket again: early data rejected, the handshake completes.
    let third = s_client_early(l.port, sess, early, GET);
    let out = third.all();
    assert!(out.contains("Early data was rejected"), "{out}");
    assert!(out.contains("Reused, TLSv1.3"), "{out}");
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    let trace = l.output(Duration::from_millis(200));
    assert!(
        trace
            .contains("[#2] * 0-RTT early data received: 18 bytes: \"GET / HTTP/1.0\\r\\n\\r\\n\""),
        "{trace}"
    );
    assert!(
        trace.contains("[#2]     verified not checked, resumed yes, ALPN -, early data accepted"),
        "{trace}"
    );
    assert!(
        trace.contains(
            "[#3] * 0-RTT early data rejected: this ticket's early data was already accepted once"
        ),
        "{trace}"
    );
    assert!(trace.contains("early data rejected"), "{trace}");
}

#[test]
fn listen_without_early_data_rejects_it_and_openssl_completes() {
    if !need_openssl() {
        return;
    }
    let (dir, pair) = setup();
    // A ticket that allows early data, from a listen with --early-data ...
    let with = listen_serving(&pair, &["--early-data"]);
    let sess = dir.path().join("sess.pem");
    let sess = sess.to_str().unwrap();
    s_client_ticket(with.port, sess);
    // ... offered to a listen without it: the early data is skipped, a full handshake.
    let mut without = listen_serving(&pair, &[]);
    let early = write(dir.path(), "early.txt", &[b'e'; 5000]);
    let d = s_client_early(without.port, sess, early.to_str().unwrap(), GET);
    let out = d.all();
    assert!(out.contains("Early data was rejected"), "{out}");
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    let trace = without.output(Duration::from_millis(200));
    assert!(
        trace.contains("0-RTT early data rejected: 0-RTT is off"),
        "{trace}"
    );
    assert!(trace.contains("early data rejected"), "{trace}");
    assert!(!trace.contains("early data received"), "{trace}");
}

#[test]
fn connect_early_data_to_gnutls_serv_is_accepted() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let (dir, pair) = setup();
    let srv = gnutls_serv(&pair, &["--earlydata", "--echo"]);
    let file = write(dir.path(), "early.txt", b"gnutls 0-RTT\n");
    let d = connect_early(srv.port, &pair.cert, &file, &[]);
    assert_eq!(d.code, Some(0), "{}", d.all());
    let s = summaries(&d.json())
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(s.len(), 2, "{}", d.all());
    assert_eq!(s[1]["early_data"], "accepted", "{}", s[1]);
}

#[test]
fn gnutls_cli_early_data_to_listen_is_accepted() {
    if !need_gnutls("gnutls-cli") {
        return;
    }
    let (dir, pair) = setup();
    let mut l = listen_serving(&pair, &["--early-data=4096"]);
    let early = write(dir.path(), "early.txt", GET);
    let mut c = Command::new("gnutls-cli");
    c.args(["--port", &l.port.to_string(), "127.0.0.1"])
        .arg("--x509cafile")
        .arg(&pair.cert)
        .args(["--verify-hostname", "localhost", "-r", "--waitresumption"])
        .arg(format!("--earlydata={}", early.display()));
    let d = run(c, b"", T);
    let out = d.all();
    assert!(out.contains("This is a resumed session"), "{out}");
    assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
    let trace = l.output(Duration::from_millis(200));
    assert!(
        trace.contains("[#2] * 0-RTT early data received: 18 bytes"),
        "{trace}"
    );
    assert!(trace.contains("max_early_data_size 4096"), "{trace}");
    assert!(trace.contains("early data accepted"), "{trace}");
}

#[test]
fn connect_sess_out_then_sess_in_sends_early_data() {
    let (dir, pair) = setup();
    let mut l = listen_serving(&pair, &["--early-data"]);
    let sess = dir.path().join("session.txt");
    let s = sess.to_str().unwrap();
    let first = connect_json(l.port, &pair.cert, &["--tls", "1.3", "--sess-out", s]);
    assert_eq!(first.code, Some(0), "{}", first.all());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&sess).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the session file holds a secret");
    }
    let text = std::fs::read_to_string(&sess).unwrap();
    assert!(
        text.starts_with("# tlsprobe session: it holds the session's secret"),
        "{text}"
    );
    assert!(text.contains("max_early_data 16384"), "{text}");
    let early = write(dir.path(), "early.txt", GET);
    let e = early.to_str().unwrap();
    // Twice: each run stores the newest ticket again, so each 0-RTT uses a fresh one.
    for run in 0..2 {
        let d = connect_json(
            l.port,
            &pair.cert,
            &["--sess-in", s, "--early-data", e, "--sess-out", s],
        );
        assert_eq!(d.code, Some(0), "run {run}: {}", d.all());
        let ev = d.json();
        let sum = summaries(&ev);
        assert_eq!(sum.len(), 1, "{}", d.all());
        assert_eq!(sum[0]["resumed"], true, "{}", sum[0]);
        assert_eq!(sum[0]["early_data"], "accepted", "{}", sum[0]);
        // The stored session carries the first connection's verification.
        assert_eq!(sum[0]["verified"], true, "{}", sum[0]);
    }
    let trace = l.output(Duration::from_millis(200));
    assert_eq!(
        trace.matches("0-RTT early data received: 18 bytes").count(),
        2,
        "{trace}"
    );
}

#[test]
fn connect_sess_in_that_is_not_a_session_file_is_a_usage_error() {
    let dir = scratch();
    let bad = write(
        dir.path(),
        "bad.txt",
        b"-----BEGIN SSL SESSION PARAMETERS-----\n",
    );
    let (code, _, err) = probe(&["connect", "127.0.0.1:1", "--sess-in", bad.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a tlsprobe session file"), "{err}");
}
