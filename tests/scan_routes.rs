//! `tlsprobe scan` along a route gives the report of a direct scan: one `openssl s_server`
//! scanned directly, through an HTTP CONNECT proxy and a SOCKS5 proxy (tests/support/proxy.py),
//! and over SMTP STARTTLS (a front in this test that plays the server side of the dialogue,
//! then relays the bytes to the same s_server). The JSON reports must agree on everything but
//! the target's address and the timing: versions, suites, groups, features (session-id
//! resumption included, which needs complete handshakes along the route), certificates,
//! findings and notes. Loopback only; every server and relay is stopped by its guard.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;
use tlsprobe::net::starttls::{self, Starttls};

/// Longest a relayed connection may stay idle before the relay drops it.
const RELAY_IDLE: Duration = Duration::from_secs(20);
/// Most connections the STARTTLS front serves (a scan makes about 60).
const FRONT_MAX_CONNECTIONS: usize = 1000;

fn peers_present() -> bool {
    common::require_peer(
        common::runs("openssl", &["version"]),
        "openssl",
        "apt-get install openssl",
    ) && common::require_peer(
        common::runs("python3", &["--version"]),
        "python3",
        "apt-get install python3",
    )
}

/// `tlsprobe scan TARGET --json ARGS...`, parsed.
fn scan(target: &str, args: &[&str]) -> Value {
    let mut cmd = common::tp(["scan", target, "--json", "--timeout", "10"]);
    cmd.args(args);
    let done = common::run(cmd, b"", Duration::from_secs(120));
    assert_eq!(done.code, Some(0), "{}", done.all());
    let mut reports = done.json();
    assert_eq!(reports.len(), 1, "{}", done.all());
    reports.remove(0)
}

/// The report without what legitimately differs along a route: the target as given, its
/// address (unknown through a proxy), the connection count and the time taken.
fn comparable(mut report: Value) -> Value {
    let fields = report.as_object_mut().expect("a JSON object");
    for k in ["target", "ip", "connections", "elapsed_ms"] {
        fields.remove(k);
    }
    report
}

fn assert_same_report(direct: &Value, routed: &Value, how: &str) {
    let (d, r) = (comparable(direct.clone()), comparable(routed.clone()));
    assert_eq!(
        d,
        r,
        "{how}: the report differs from the direct scan\n--- direct ---\n{}\n--- {how} ---\n{}",
        serde_json::to_string_pretty(&d).unwrap(),
        serde_json::to_string_pretty(&r).unwrap()
    );
}

/// Copies one direction until EOF, an error or RELAY_IDLE without data; then ends the
/// other side's writing.
fn pump(mut from: TcpStream, mut to: TcpStream) {
    let _ = from.set_read_timeout(Some(RELAY_IDLE));
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// Plays the SMTP side of STARTTLS on `client`, then relays it to 127.0.0.1:`backend`.
fn front_one(mut client: TcpStream, backend: u16) {
    let agreed = starttls::server(
        &mut client,
        Starttls::Smtp,
        "localhost",
        RELAY_IDLE,
        &mut |_| {},
    );
    if agreed.is_err() {
        return;
    }
    let Ok(server) = TcpStream::connect(("127.0.0.1", backend)) else {
        return;
    };
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = std::thread::spawn(move || pump(c2, s2));
    pump(server, client);
    let _ = up.join();
}

/// An SMTP STARTTLS front for a TLS server on 127.0.0.1; stopped (and joined) on drop.
struct SmtpFront {
    port: u16,
    stop: Arc<AtomicBool>,
    accepter: Option<JoinHandle<()>>,
}

impl SmtpFront {
    fn start(backend: u16) -> SmtpFront {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let accepter = std::thread::spawn(move || {
            let mut relays = vec![];
            for conn in listener.incoming().take(FRONT_MAX_CONNECTIONS) {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(c) = conn {
                    relays.push(std::thread::spawn(move || front_one(c, backend)));
                }
            }
            for r in relays {
                let _ = r.join();
            }
        });
        SmtpFront {
            port,
            stop,
            accepter: Some(accepter),
        }
    }
}

impl Drop for SmtpFront {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(a) = self.accepter.take() {
            let _ = a.join();
        }
    }
}

/// The direct scan of a default s_server, with what the comparisons rely on checked.
fn direct_scan(server: &common::SServer) -> Value {
    let direct = scan(&format!("127.0.0.1:{}", server.port), &[]);
    assert!(direct["error"].is_null(), "{direct}");
    assert_eq!(
        direct["features"]["session_id_resumption"], true,
        "the direct scan must find session-id resumption: {direct}"
    );
    assert!(
        !direct["certificates"].as_array().unwrap().is_empty(),
        "{direct}"
    );
    direct
}

/// An RSA certificate valid for a year (the shared test certificates expire within 30 days,
/// which the scan reports as a finding only once a second has passed).
fn long_lived_rsa(dir: &std::path::Path) -> common::CertPair {
    common::openssl_in(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "rsa.key",
            "-out",
            "rsa.pem",
            "-days",
            "365",
            "-subj",
            "/CN=localhost",
        ],
    );
    common::CertPair {
        cert: dir.join("rsa.pem"),
        key: dir.join("rsa.key"),
    }
}

/// A default `openssl s_server` with an RSA certificate (and its directory, kept alive).
fn rsa_server() -> (common::SServer, tempfile::TempDir) {
    let dir = common::scratch();
    let pair = long_lived_rsa(dir.path());
    (common::s_server(&pair, &[], None), dir)
}

#[test]
fn scan_through_http_and_socks5_proxies_matches_direct_scan() {
    if !peers_present() {
        return;
    }
    let (server, _dir) = rsa_server();
    let direct = direct_scan(&server);
    let target = format!("127.0.0.1:{}", server.port);
    for kind in ["http", "socks5"] {
        let proxy = common::python("proxy.py", &[kind]);
        let url = format!("{kind}://127.0.0.1:{}", proxy.port);
        let routed = scan(&target, &["--proxy", &url]);
        assert_same_report(&direct, &routed, &format!("--proxy {kind}"));
        drop(proxy);
    }
}

#[test]
fn scan_over_smtp_starttls_matches_direct_scan() {
    if !peers_present() {
        return;
    }
    let (server, _dir) = rsa_server();
    let direct = direct_scan(&server);
    let front = SmtpFront::start(server.port);
    let routed = scan(
        &format!("127.0.0.1:{}", front.port),
        &["--starttls", "smtp"],
    );
    assert_same_report(&direct, &routed, "--starttls smtp");
    drop(front);
}
