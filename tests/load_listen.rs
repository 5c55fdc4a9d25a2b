//! `tlsprobe listen` under load, on the loopback only: the built binary is started with
//! `--mode http --timeout N -q` and driven by clients on threads that use tlsprobe's own
//! client `Connection` over a `TcpStream`.
//!
//! - 1,000 handshakes (each with an HTTP request and answer) from 200 concurrent clients all
//!   complete, while clients sending garbage are disconnected without disturbing the others.
//! - 100 idle clients and 20 clients sending their ClientHello one byte a second are
//!   disconnected by listen on its own (`--timeout` bounds the whole handshake), and 50 normal
//!   handshakes made while they hang all succeed.
//!
//! Every loop is bounded, every server is stopped by the test, and nothing asserts on time
//! (the waits are generous upper bounds that only keep a broken server from hanging the test).
//! The listen process's peak memory (VmHWM) is printed and checked against a generous bound.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tlsprobe::crypto::rng::system_rng;
use tlsprobe::event::Event;
use tlsprobe::handshake::{ClientConfig, Connection};

/// The longest any single read may wait: only there so that a broken server fails the test
/// instead of hanging it.
const READ_BOUND: Duration = Duration::from_secs(30);

/// The tests here each load the machine on their own (200 concurrent debug-build clients; a
/// 3 s --timeout that normal clients must beat): run them one at a time, not side by side,
/// or the first starves the second's clients past its timeout on a 2-core machine.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running `tlsprobe listen --mode http -q` (killed when dropped) and what /proc says
/// about it.
struct Listen(common::Listen);

impl Listen {
    /// `timeout`: listen's --timeout in seconds.
    fn start(timeout: &str) -> Listen {
        Listen(common::listen(&[
            "--mode",
            "http",
            "--timeout",
            timeout,
            "-q",
        ]))
    }

    fn port(&self) -> u16 {
        self.0.port
    }

    fn alive(&mut self) -> bool {
        self.0.proc.is_running()
    }

    /// A numeric field of /proc/PID/status.
    fn status_field(&self, field: &str) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.0.proc.id()))
            .expect("/proc status of listen");
        s.lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc status"))
    }

    /// Peak resident memory (VmHWM) in kB.
    fn peak_kb(&self) -> u64 {
        self.status_field("VmHWM:")
    }

    /// Threads of the listen process (connection threads, readers, the watchdog).
    fn threads(&self) -> u64 {
        self.status_field("Threads:")
    }

    fn report_memory(&self, what: &str) -> u64 {
        let kb = self.peak_kb();
        println!(
            "listen peak memory (VmHWM) after {what}: {kb} kB ({:.1} MB)",
            kb as f64 / 1024.0
        );
        assert!(
            kb < 500 * 1024,
            "listen used {kb} kB at its peak (bound: 500 MB)"
        );
        kb
    }
}

/// One full exchange: handshake, `GET /`, the answer, close_notify both ways.
fn https_get(port: u16) -> Result<String, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(READ_BOUND)).ok();
    s.set_nodelay(true).ok();
    let cfg = ClientConfig {
        sni: Some("localhost".into()),
        status_request: false,
        ..ClientConfig::default()
    };
    let mut c = Connection::client(cfg, system_rng()).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 16 * 1024];
    let mut body = Vec::new();
    let mut sent_request = false;
    for _ in 0..1000 {
        let out = c.take_output();
        if !out.is_empty() {
            s.write_all(&out).map_err(|e| format!("write: {e}"))?;
        }
        while let Some(e) = c.next_event() {
            if let Event::AppData {
                dir: tlsprobe::event::Dir::In,
                data,
            } = e
            {
                body.extend_from_slice(&data);
            }
        }
        if c.is_failed() {
            return Err("the client connection failed".into());
        }
        if c.is_established() && !sent_request {
            c.send_data(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
                .map_err(|e| e.to_string())?;
            sent_request = true;
            continue;
        }
        if c.peer_closed() {
            c.close();
            let _ = s.write_all(&c.take_output());
            break;
        }
        let n = s.read(&mut buf).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err(format!(
                "the server closed the connection (established: {})",
                c.is_established()
            ));
        }
        c.feed(&buf[..n]).map_err(|e| format!("tls: {e}"))?;
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    if !body.starts_with("HTTP/1.0 200 OK") {
        return Err(format!(
            "unexpected answer: {:?}",
            &body[..body.len().min(80)]
        ));
    }
    Ok(body)
}

/// Reads until the server ends the connection; true when it did (EOF or reset) before
/// `deadline`.
fn closed_by_server(s: &mut TcpStream, deadline: Instant) -> bool {
    let left = deadline.saturating_duration_since(Instant::now());
    s.set_read_timeout(Some(left.max(Duration::from_millis(100))))
        .ok();
    let mut buf = [0u8; 4096];
    for _ in 0..1000 {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // an alert, then the close
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false, // timed out: still open
        }
    }
    false
}

/// Runs `per_thread` exchanges on each of `threads` threads; returns the failures.
fn many(port: u16, threads: usize, per_thread: usize, ok: &Arc<AtomicUsize>) -> Vec<String> {
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let ok = ok.clone();
            std::thread::spawn(move || {
                let mut fails = Vec::new();
                for _ in 0..per_thread {
                    match https_get(port) {
                        Ok(_) => {
                            ok.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => fails.push(e),
                    }
                }
                fails
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().expect("client thread"))
        .collect()
}

/// Bytes that are not TLS: a plaintext HTTP request, random bytes, a record header with an
/// absurd length, and a handshake header announcing 16 MB.
fn garbage(i: usize) -> Vec<u8> {
    match i % 4 {
        0 => b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        1 => (0..3000u32)
            .map(|k| (k.wrapping_mul(2654435761).wrapping_add(i as u32) >> 13) as u8)
            .collect(),
        2 => vec![0x16, 0x03, 0x01, 0xff, 0xff, 1, 2, 3],
        _ => vec![
            0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0xff, 0xff, 0xff, 0, 0, 0, 0,
        ],
    }
}

#[test]
fn thousand_handshakes_from_200_concurrent_clients_with_garbage_mixed_in() {
    let _one = one_at_a_time();
    // A generous --timeout: what is tested here is that every handshake completes, also in
    // an unoptimised build where 200 concurrent handshakes take seconds.
    let mut l = Listen::start("30");
    let port = l.port();
    let ok = Arc::new(AtomicUsize::new(0));
    // Garbage clients run alongside the load; each must be disconnected.
    let garbage_threads: Vec<_> = (0..20)
        .map(|i| {
            std::thread::spawn(move || {
                let mut not_closed = 0;
                for k in 0..5 {
                    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                    let _ = s.write_all(&garbage(i * 5 + k));
                    if !closed_by_server(&mut s, Instant::now() + READ_BOUND) {
                        not_closed += 1;
                    }
                }
                not_closed
            })
        })
        .collect();
    let fails = many(port, 200, 5, &ok);
    let garbage_open: usize = garbage_threads
        .into_iter()
        .map(|h| h.join().expect("garbage thread"))
        .sum();
    println!(
        "load: {} of 1000 exchanges completed, {} failed; 100 garbage connections, {} not closed",
        ok.load(Ordering::SeqCst),
        fails.len(),
        garbage_open
    );
    assert!(
        fails.is_empty(),
        "{} exchanges failed, first: {:?}",
        fails.len(),
        &fails[..fails.len().min(5)]
    );
    assert_eq!(ok.load(Ordering::SeqCst), 1000);
    assert_eq!(garbage_open, 0, "garbage clients left connected");
    assert!(l.alive(), "listen died under load");
    // Still serving after all that.
    https_get(port).expect("an exchange after the load");
    l.report_memory("1,000 handshakes from 200 concurrent clients");
}

/// A client that sends a real ClientHello one byte a second; returns (bytes sent, the hello's
/// length, whether the server closed the connection).
fn slow_client(port: u16) -> (usize, usize, bool) {
    let mut c = Connection::client(ClientConfig::default(), system_rng()).expect("client");
    let hello = c.take_output();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(1))).ok();
    let mut buf = [0u8; 1024];
    // At most 60 bytes (about a minute): far more than --timeout 3 allows, far less than a hello.
    for (i, b) in hello.iter().take(60).enumerate() {
        if s.write_all(&[*b]).is_err() {
            return (i, hello.len(), true);
        }
        match s.read(&mut buf) {
            Ok(0) => return (i + 1, hello.len(), true),
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return (i + 1, hello.len(), true),
            Err(_) => {} // the one-second pause
        }
    }
    (60, hello.len(), false)
}

#[test]
fn idle_and_one_byte_a_second_clients_are_cut_off_without_delaying_others() {
    let _one = one_at_a_time();
    let mut l = Listen::start("3");
    let port = l.port();
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("idle connect"))
        .collect();
    let slow: Vec<_> = (0..20)
        .map(|_| std::thread::spawn(move || slow_client(port)))
        .collect();
    // While those hang, normal clients are served.
    let ok = Arc::new(AtomicUsize::new(0));
    let fails = many(port, 10, 5, &ok);
    println!(
        "while 100 idle and 20 slow clients hang: {} of 50 exchanges completed, {} failed",
        ok.load(Ordering::SeqCst),
        fails.len()
    );
    assert!(fails.is_empty(), "exchanges failed: {fails:?}");
    assert_eq!(ok.load(Ordering::SeqCst), 50);

    let mut idle_open = 0;
    let deadline = Instant::now() + READ_BOUND;
    for mut s in idle {
        if !closed_by_server(&mut s, deadline) {
            idle_open += 1;
        }
    }
    let mut slow_open = 0;
    for h in slow {
        let (sent, len, closed) = h.join().expect("slow thread");
        assert!(sent < len, "a slow client got its whole hello in");
        if !closed {
            slow_open += 1;
        }
    }
    println!("idle clients left open by listen: {idle_open}; slow clients: {slow_open}");
    assert_eq!(
        idle_open, 0,
        "idle clients were not disconnected by --timeout"
    );
    assert_eq!(slow_open, 0, "one-byte-a-second clients were not cut off");
    assert!(l.alive());
    // Their threads are gone too (the watchdog, the accept loop and a few stragglers remain).
    let mut threads = l.threads();
    for _ in 0..50 {
        if threads < 20 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        threads = l.threads();
    }
    println!("listen threads after the hanging clients were cut off: {threads}");
    assert!(threads < 20, "{threads} threads left in listen");
    https_get(port).expect("an exchange afterwards");
    l.report_memory("100 idle, 20 slow and 50 normal clients");
}
