//! Servers the tests start and stop: `tlsprobe listen` (its port read from its banner),
//! `openssl s_server`, the python3 servers in tests/support (which print `PORT n`), and
//! `openssl s_client` run once. Each is a `Proc` inside, so it is killed when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::pki::CertPair;
use super::ports::{accepts, free_port, wait_accepting};
use super::process::{run, tp, Done, Proc};

/// A server process and the loopback port it listens on.
pub struct Server {
    pub proc: Proc,
    pub port: u16,
}

/// The historical name of a `tlsprobe listen` server.
pub type Listen = Server;

impl Server {
    /// Lets the server run up to `wait` longer, stops it, and returns everything it printed
    /// (both streams merged line by line).
    pub fn output(&mut self, wait: Duration) -> String {
        self.proc.finish(wait)
    }
}

/// The port in a line `... Listening on ADDR:PORT ...` (human or JSON banner).
fn banner_port(line: &str) -> Option<u16> {
    let rest = line.split("Listening on ").nth(1)?;
    let addr = rest.split_whitespace().next()?;
    addr.rsplit(':').next()?.trim_end_matches('"').parse().ok()
}

/// Waits (bounded) for a line of `proc` naming its port.
fn started(mut proc: Proc, port_of: impl Fn(&str) -> Option<u16>) -> Server {
    match proc.wait_line(Duration::from_secs(15), port_of) {
        Some(port) => Server { proc, port },
        None => panic!("{} did not start listening:\n{}", proc.what, proc.all()),
    }
}

/// `tlsprobe listen ADDR ARGS...` (`ADDR` with port 0: the kernel picks a free one), once
/// its banner names the port.
pub fn listen_at(addr: &str, args: &[&str]) -> Listen {
    let mut c = tp(["listen", addr]);
    c.args(args);
    listen_command(c)
}

/// A `tlsprobe listen` command built by the caller (e.g. run under `with_umask`), once its
/// banner names the port.
pub fn listen_command(c: Command) -> Listen {
    started(Proc::spawn(c, "tlsprobe listen"), banner_port)
}

/// `tlsprobe listen 127.0.0.1:0 ARGS...`.
pub fn listen(args: &[&str]) -> Listen {
    listen_at("127.0.0.1:0", args)
}

/// `tlsprobe listen 127.0.0.1:0 --cert CERT --key KEY ARGS...`: serving `pair`.
pub fn listen_serving(pair: &CertPair, args: &[&str]) -> Listen {
    let mut c = tp(["listen", "127.0.0.1:0", "--cert"]);
    c.arg(&pair.cert).arg("--key").arg(&pair.key).args(args);
    listen_command(c)
}

/// `tlsprobe listen ADDR --once --color never ARGS...`: one connection, then it exits.
pub fn listen_once(addr: &str, args: &[&str]) -> Listen {
    let mut a = vec!["--once", "--color", "never"];
    a.extend_from_slice(args);
    listen_at(addr, &a)
}

/// `tlsprobe listen ADDR --quiet --color never ARGS...`, serving any number of connections.
pub fn listen_quiet(addr: &str, args: &[&str]) -> Listen {
    let mut a = vec!["--quiet", "--color", "never"];
    a.extend_from_slice(args);
    listen_at(addr, &a)
}

/// The path of a file in tests/support.
pub fn support_file(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(file)
}

/// A python3 script from tests/support that prints "PORT n" once it listens.
pub fn python(script: &str, args: &[&str]) -> Server {
    let mut c = Command::new("python3");
    c.arg(support_file(script)).args(args);
    let proc = Proc::spawn_without_stdin(c, script);
    started(proc, |l| l.strip_prefix("PORT ")?.trim().parse().ok())
}

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
    }
    panic!("openssl s_server did not start");
}

/// A server that prints nothing useful about its readiness, started by `with_port(port)`
/// on a free port: waits (bounded) until the port accepts. Retries with another port, up to
/// `attempts` starts, when the process exits first (the port was taken meanwhile, or it
/// refused its configuration) or does not accept within 10 s; None when no start succeeded.
pub fn start_on_free_port(
    what: &str,
    attempts: usize,
    with_port: impl Fn(u16) -> Command,
) -> Option<Server> {
    for _attempt in 0..attempts {
        let port = free_port();
        let mut proc = Proc::spawn(with_port(port), what);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && proc.is_running() {
            if accepts(port) {
                return Some(Server { proc, port });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("{what} did not start on port {port}:\n{}", proc.all());
    }
    None
}

/// As `start_on_free_port` with five attempts; the test fails when none succeeds.
pub fn serve_on_free_port(what: &str, with_port: impl Fn(u16) -> Command) -> Server {
    start_on_free_port(what, 5, with_port).unwrap_or_else(|| panic!("{what} did not start"))
}

/// `openssl s_server -quiet -accept 127.0.0.1:PORT -cert CERT -key KEY EXTRA...` on a free
/// loopback port, waited for until it accepts (no "ACCEPT" line to read with -quiet: for the
/// scan tests, which never need s_server's output); stopped when dropped.
pub fn s_server_quiet(pair: &CertPair, extra: &[&str]) -> Server {
    serve_on_free_port("openssl s_server", |port| {
        let mut c = Command::new("openssl");
        c.args(["s_server", "-quiet", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&pair.cert)
            .arg("-key")
            .arg(&pair.key)
            .args(extra);
        c
    })
}

/// `gnutls-serv --port PORT --x509certfile CERT --x509keyfile KEY EXTRA...` on a free
/// loopback port, waited for until it accepts; stopped when dropped.
pub fn gnutls_serv(pair: &CertPair, extra: &[&str]) -> Server {
    serve_on_free_port("gnutls-serv", |port| {
        let mut c = Command::new("gnutls-serv");
        c.arg("--port")
            .arg(port.to_string())
            .arg("--x509certfile")
            .arg(&pair.cert)
            .arg("--x509keyfile")
            .arg(&pair.key)
            .args(extra);
        c
    })
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
