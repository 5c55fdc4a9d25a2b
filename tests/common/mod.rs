//! Shared helpers for the interop tests: per-run certificates made with `openssl`, free
//! loopback ports, child processes that are always killed (Drop guard), output capture and
//! bounded waits. Every loop here is bounded by a deadline.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The tlsprobe binary under test.
pub fn tlsprobe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tlsprobe"))
}

/// A TCP port that was free a moment ago on 127.0.0.1, for a server a test is about to start
/// (or for a port nothing listens on).
///
/// The port is reserved with a socket that is bound (SO_REUSEADDR, so the server can bind
/// the port at once) but never listens. A listening socket here would be a trap: tests run
/// in parallel threads, and a child process another thread is forking holds a copy of every
/// open socket until its exec, so a listening copy can outlive the drop, accept a readiness
/// probe meant for the real server, and vanish (seen: a scan of `tlsprobe listen` refused
/// right after its port "accepted", before listen had bound it).
pub fn free_port() -> u16 {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
    s.set_reuse_address(true).expect("SO_REUSEADDR");
    let any: std::net::SocketAddr = ([127, 0, 0, 1], 0).into();
    s.bind(&any.into()).expect("bind 127.0.0.1:0");
    s.local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .expect("a bound IPv4 address")
        .port()
}

/// Whether a program is on PATH (curl is optional on some machines).
pub fn have(prog: &str) -> bool {
    Command::new(prog)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

// ---------------------------------------------------------------------------------------------
// Certificates

/// Key types the tests use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Rsa,
    P256,
    P384,
    Ed25519,
}

impl Key {
    pub const ALL: [Key; 4] = [Key::Rsa, Key::P256, Key::P384, Key::Ed25519];

    pub fn name(self) -> &'static str {
        match self {
            Key::Rsa => "rsa",
            Key::P256 => "p256",
            Key::P384 => "p384",
            Key::Ed25519 => "ed25519",
        }
    }

    fn newkey(self) -> Vec<&'static str> {
        match self {
            Key::Rsa => vec!["-newkey", "rsa:2048"],
            Key::P256 => vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            Key::P384 => vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
            Key::Ed25519 => vec!["-newkey", "ed25519"],
        }
    }

    /// The TLS 1.3 CertificateVerify scheme tlsprobe should report for this key.
    pub fn tls13_scheme(self) -> &'static str {
        match self {
            Key::Rsa => "rsa_pss_rsae_sha256",
            Key::P256 => "ecdsa_secp256r1_sha256",
            Key::P384 => "ecdsa_secp384r1_sha384",
            Key::Ed25519 => "ed25519",
        }
    }
}

/// A certificate and its key on disk.
#[derive(Clone, Debug)]
pub struct CertPair {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// All certificates of one test run.
pub struct Certs {
    pub dir: PathBuf,
    /// Self-signed leaves (CA:FALSE) for localhost and 127.0.0.1, one per key type.
    leaves: Vec<(Key, CertPair)>,
    /// A small CA and a client certificate it issued (for client auth).
    pub ca: CertPair,
    pub client: CertPair,
}

impl Certs {
    pub fn leaf(&self, k: Key) -> &CertPair {
        &self.leaves.iter().find(|(kk, _)| *kk == k).unwrap().1
    }
}

/// Runs `openssl ARGS` in `dir`; the test fails with openssl's stderr when it does.
pub fn openssl_in(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A self-signed end-entity certificate (CA:FALSE) for `cn` and 127.0.0.1 with a fresh `key`,
/// written to `dir/STEM.pem` and `dir/STEM.key`.
pub fn self_signed(dir: &Path, stem: &str, key: Key, cn: &str) -> CertPair {
    let pair = CertPair {
        cert: dir.join(format!("{stem}.pem")),
        key: dir.join(format!("{stem}.key")),
    };
    let subj = format!("/CN={cn}");
    let san = format!("subjectAltName=DNS:{cn},IP:127.0.0.1");
    let mut args = vec!["req", "-x509"];
    args.extend(key.newkey());
    args.extend([
        "-nodes",
        "-keyout",
        pair.key.to_str().unwrap(),
        "-out",
        pair.cert.to_str().unwrap(),
        "-days",
        "30",
        "-subj",
        &subj,
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-addext",
        &san,
    ]);
    openssl_in(dir, &args);
    pair
}

/// Whether an optional peer is there (`installed`). When it is not, the test prints that it
/// skipped and why, except under TLSPROBE_REQUIRE_PEERS (set by .ci/run), where it fails.
pub fn require_peer(installed: bool, what: &str, install: &str) -> bool {
    if !installed {
        if std::env::var_os("TLSPROBE_REQUIRE_PEERS").is_some() {
            panic!(
                "{what} is required (TLSPROBE_REQUIRE_PEERS is set) but not installed: {install}"
            );
        }
        eprintln!("skipped: {what} is not installed ({install})");
    }
    installed
}

/// Whether `cmd ARGS` runs and succeeds.
pub fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

fn make_certs() -> Certs {
    // Under the target directory so a run leaves nothing in /tmp; fresh for every run.
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&base).unwrap();
    let dir = tempfile::Builder::new()
        .prefix("tlsprobe-interop-")
        .tempdir_in(&base)
        .unwrap()
        .keep();
    let leaves = Key::ALL
        .iter()
        .map(|&k| (k, self_signed(&dir, k.name(), k, "localhost")))
        .collect();
    // CA + client certificate for client authentication.
    openssl_in(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=tlsprobe test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    openssl_in(
        &dir,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
            "-subj",
            "/CN=test client",
        ],
    );
    std::fs::write(
        dir.join("client.ext"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
    )
    .unwrap();
    openssl_in(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "client.ext",
            "-out",
            "client.crt",
        ],
    );
    Certs {
        ca: CertPair {
            cert: dir.join("ca.crt"),
            key: dir.join("ca.key"),
        },
        client: CertPair {
            cert: dir.join("client.crt"),
            key: dir.join("client.key"),
        },
        dir,
        leaves,
    }
}

/// The run's certificates (made once per test binary).
pub fn certs() -> &'static Certs {
    static C: OnceLock<Certs> = OnceLock::new();
    C.get_or_init(make_certs)
}

/// A fresh empty directory for files of one test (key logs, sessions).
pub fn scratch() -> tempfile::TempDir {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&base).unwrap();
    tempfile::Builder::new()
        .prefix("scratch-")
        .tempdir_in(base)
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Child processes

/// A background process whose stdout and stderr are collected; killed on drop.
pub struct Proc {
    pub child: Child,
    pub out: Arc<Mutex<Vec<u8>>>,
    pub err: Arc<Mutex<Vec<u8>>>,
    pub stdin: Option<std::process::ChildStdin>,
    pub what: String,
}

fn collect(mut r: impl Read + Send + 'static, buf: Arc<Mutex<Vec<u8>>>) {
    std::thread::spawn(move || {
        let mut b = [0u8; 8192];
        loop {
            match r.read(&mut b) {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.lock().unwrap().extend_from_slice(&b[..n]),
            }
        }
    });
}

impl Proc {
    pub fn spawn(mut cmd: Command, what: &str) -> Proc {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        let out = Arc::new(Mutex::new(vec![]));
        let err = Arc::new(Mutex::new(vec![]));
        collect(child.stdout.take().unwrap(), out.clone());
        collect(child.stderr.take().unwrap(), err.clone());
        let stdin = child.stdin.take();
        Proc {
            child,
            out,
            err,
            stdin,
            what: what.to_string(),
        }
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned()
    }

    /// Both streams, for messages.
    pub fn all(&self) -> String {
        format!(
            "--- {} stdout ---\n{}\n--- stderr ---\n{}",
            self.what,
            self.stdout(),
            self.stderr()
        )
    }

    /// Waits (bounded) until stdout or stderr contains `text`; false when the process exited
    /// first or the deadline passed.
    pub fn wait_for(&mut self, text: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.stdout().contains(text) || self.stderr().contains(text) {
                return true;
            }
            if let Ok(Some(_)) = self.child.try_wait() {
                // Give the reader threads a moment to drain.
                std::thread::sleep(Duration::from_millis(50));
                return self.stdout().contains(text) || self.stderr().contains(text);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Waits (bounded) for the process to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(50));
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn write_stdin(&mut self, data: &[u8]) {
        if let Some(s) = self.stdin.as_mut() {
            let _ = s.write_all(data);
            let _ = s.flush();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a server accepts TCP connections on 127.0.0.1:port right now. A connection whose
/// local address is its own peer is a TCP self-connect (simultaneous open, when the kernel picks
/// the probed port as the source port while nothing listens), not a server: it counts as no.
pub fn accepts(port: u16) -> bool {
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        Ok(s) => s.local_addr().ok() != Some(addr),
        Err(_) => false,
    }
}

/// Waits (bounded) until something accepts TCP connections on 127.0.0.1:port.
/// (Not for `--once` servers: the probe would be their one connection.)
pub fn wait_accepting(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if accepts(port) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Done {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Done {
    pub fn all(&self) -> String {
        format!(
            "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// The stdout JSON Lines, parsed (panics with the output on a line that is not JSON).
    pub fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{}", self.all()))
            })
            .collect()
    }
}

/// Runs a command to completion with `input` on stdin, killed (and the test failed) when it
/// takes longer than `timeout`.
pub fn run(mut cmd: Command, input: &[u8], timeout: Duration) -> Done {
    let what = format!("{cmd:?}");
    let mut p = Proc::spawn(std::mem::replace(&mut cmd, Command::new("true")), &what);
    p.write_stdin(input);
    drop(p.stdin.take());
    let status = p
        .wait_exit(timeout)
        .unwrap_or_else(|| panic!("{what} did not finish within {timeout:?}\n{}", p.all()));
    let d = Done {
        code: status.code(),
        stdout: p.stdout(),
        stderr: p.stderr(),
    };
    assert!(
        !d.stderr.contains("panicked"),
        "{what} panicked:\n{}",
        d.all()
    );
    d
}

/// `tlsprobe` with arguments, as a Command.
pub fn tp<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut c = Command::new(tlsprobe());
    c.args(args)
        .env_remove("SSLKEYLOGFILE")
        .env("NO_COLOR", "1");
    c
}

// ---------------------------------------------------------------------------------------------
// Servers

/// An `openssl s_server` on a free loopback port, killed on drop.
pub struct SServer {
    pub proc: Proc,
    pub port: u16,
    pub keylog: Option<PathBuf>,
}

/// Starts `openssl s_server -accept PORT -cert -key <extra...>` and waits until it accepts.
/// Retries with another port when the chosen one was taken meanwhile.
pub fn s_server(pair: &CertPair, extra: &[&str], keylog: Option<&Path>) -> SServer {
    for _attempt in 0..5 {
        let port = free_port();
        let mut c = Command::new("openssl");
        c.arg("s_server")
            .arg("-accept")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&pair.cert)
            .arg("-key")
            .arg(&pair.key)
            .args(extra);
        if let Some(k) = keylog {
            c.arg("-keylogfile").arg(k);
        }
        let mut p = Proc::spawn(c, "openssl s_server");
        // s_server prints ACCEPT once it listens.
        if p.wait_for("ACCEPT", Duration::from_secs(10))
            && wait_accepting(port, Duration::from_secs(5))
        {
            return SServer {
                proc: p,
                port,
                keylog: keylog.map(Path::to_path_buf),
            };
        }
        let _ = p.child.kill();
    }
    panic!("openssl s_server did not start");
}

/// A `tlsprobe listen` on a free loopback port, killed on drop.
pub struct Listen {
    pub proc: Proc,
    pub port: u16,
}

/// Starts `tlsprobe listen 127.0.0.1:PORT <args>` and waits (bounded) for its banner.
pub fn listen(args: &[&str]) -> Listen {
    for _attempt in 0..5 {
        let port = free_port();
        let mut c = tp(["listen", &format!("127.0.0.1:{port}")]);
        c.args(args);
        let mut p = Proc::spawn(c, "tlsprobe listen");
        if p.wait_for("Listening on", Duration::from_secs(10)) {
            return Listen { proc: p, port };
        }
        if p.stderr().contains("already in use") {
            continue;
        }
        panic!("tlsprobe listen did not start:\n{}", p.all());
    }
    panic!("tlsprobe listen did not start (ports taken)");
}

/// Runs `openssl s_client -connect 127.0.0.1:PORT <args>` with `input`, bounded.
pub fn s_client(port: u16, args: &[&str], input: &[u8]) -> Done {
    let mut c = Command::new("openssl");
    c.arg("s_client")
        .arg("-connect")
        .arg(format!("127.0.0.1:{port}"))
        .args(args);
    run(c, input, Duration::from_secs(20))
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

/// The handshake messages of a JSON event list as "dir:msg".
pub fn msgs(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["type"] == "handshake")
        .map(|e| {
            format!(
                "{}:{}",
                e["dir"].as_str().unwrap_or("?"),
                e["msg"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// The summary events, in order.
pub fn summaries(events: &[Value]) -> Vec<&Value> {
    events.iter().filter(|e| e["type"] == "summary").collect()
}

/// Key-log lines as (label, client_random, secret) after dropping comments.
pub fn keylog_lines(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((
                it.next()?.to_string(),
                it.next()?.to_ascii_lowercase(),
                it.next()?.to_ascii_lowercase(),
            ))
        })
        .collect()
}

/// A child process killed (and reaped) when the guard goes out of scope.
pub struct Kill(pub Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (bounded, 10 s) until 127.0.0.1:port accepts, or fails the test.
pub fn wait_port(port: u16) {
    assert!(
        wait_accepting(port, Duration::from_secs(10)),
        "server on port {port} did not start"
    );
}
