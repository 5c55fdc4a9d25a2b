//! Helpers shared by the network-reach tests (starttls.rs, proxy.rs, ipv6.rs): child
//! processes that are always killed, bounded waits, and skipping when a peer (openssl,
//! python3) is missing, except in CI with TLSPROBE_REQUIRE_PEERS=1, where that fails.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_tlsprobe");

/// Longest any child may run before it is killed.
pub const LIMIT: Duration = Duration::from_secs(30);

/// True when the test must be skipped because `what` is missing (prints why); panics instead
/// when TLSPROBE_REQUIRE_PEERS=1.
pub fn missing(what: &str) -> bool {
    if std::env::var("TLSPROBE_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!("{what} is required (TLSPROBE_REQUIRE_PEERS=1) but not available");
    }
    eprintln!("SKIPPED: {what} is not available");
    true
}

pub fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn have_openssl() -> bool {
    have("openssl", "version")
}

pub fn have_python() -> bool {
    have("python3", "--version")
}

pub fn support(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(file)
}

/// A child process whose output lines arrive on `lines`; killed when dropped.
pub struct Proc {
    child: Child,
    pub lines: Receiver<String>,
    pub port: u16,
    seen: Vec<String>,
}

fn pump(r: impl Read + Send + 'static, tx: std::sync::mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for l in BufReader::new(r).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
}

impl Proc {
    /// Starts `cmd`, merging its stdout and stderr into `lines`, and waits (bounded) for a line
    /// that `port_of` finds a port in.
    pub fn start(mut cmd: Command, port_of: impl Fn(&str) -> Option<u16>) -> Proc {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let (tx, rx) = channel();
        pump(child.stdout.take().unwrap(), tx.clone());
        pump(child.stderr.take().unwrap(), tx);
        let mut p = Proc {
            child,
            lines: rx,
            port: 0,
            seen: vec![],
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            match p.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(l) => {
                    let port = port_of(&l);
                    p.seen.push(l);
                    if let Some(port) = port {
                        p.port = port;
                        return p;
                    }
                }
                Err(_) => {
                    if let Ok(Some(st)) = p.child.try_wait() {
                        panic!("child exited ({st}) before it listened: {:?}", p.seen);
                    }
                }
            }
        }
        panic!("child did not start listening in time: {:?}", p.seen);
    }

    /// Every line so far (waits up to `wait` for the child to exit first).
    pub fn output(&mut self, wait: Duration) -> String {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let end = Instant::now() + Duration::from_secs(5);
        while let Ok(l) = self
            .lines
            .recv_timeout(end.saturating_duration_since(Instant::now()))
        {
            self.seen.push(l);
        }
        self.seen.join("\n")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn listen_port(l: &str) -> Option<u16> {
    let rest = l.split("Listening on ").nth(1)?;
    let addr = rest.split_whitespace().next()?;
    addr.rsplit(':').next()?.parse().ok()
}

/// `tlsprobe listen ADDR --once ARGS...`.
pub fn listen(addr: &str, args: &[&str]) -> Proc {
    let mut c = Command::new(BIN);
    c.args(["listen", addr, "--once", "--color", "never"])
        .args(args);
    Proc::start(c, listen_port)
}

/// `tlsprobe listen ADDR --quiet ARGS...`, serving any number of connections.
pub fn listen_many(addr: &str, args: &[&str]) -> Proc {
    let mut c = Command::new(BIN);
    c.args(["listen", addr, "--quiet", "--color", "never"])
        .args(args);
    Proc::start(c, listen_port)
}

/// A python3 script from tests/support that prints "PORT n".
pub fn python(script: &str, args: &[&str]) -> Proc {
    let mut c = Command::new("python3");
    c.arg(support(script)).args(args);
    Proc::start(c, |l| l.strip_prefix("PORT ")?.trim().parse().ok())
}

/// Runs a command with `input` on stdin; killed after LIMIT. Returns (exit code, stdout, stderr).
pub fn run(mut cmd: Command, input: &[u8]) -> (i32, String, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut v = vec![];
        let _ = so.read_to_end(&mut v);
        v
    });
    let e = std::thread::spawn(move || {
        let mut v = vec![];
        let _ = se.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + LIMIT;
    let code = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break st.code().unwrap_or(-1);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break -9;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let so = String::from_utf8_lossy(&o.join().unwrap_or_default()).into_owned();
    let se = String::from_utf8_lossy(&e.join().unwrap_or_default()).into_owned();
    (code, so, se)
}

/// `tlsprobe ARGS...` with empty stdin.
pub fn tlsprobe(args: &[&str]) -> (i32, String, String) {
    let mut c = Command::new(BIN);
    c.args(args).env("NO_COLOR", "1");
    run(c, b"")
}

/// A self-signed RSA certificate for localhost/127.0.0.1 made by `openssl req`.
pub fn make_cert(dir: &Path) -> (PathBuf, PathBuf) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let st = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ])
        .args([
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        ])
        .args(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl req");
    assert!(st.success(), "openssl req failed");
    (cert, key)
}

/// Whether this machine can bind the IPv6 loopback.
pub fn have_ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}
