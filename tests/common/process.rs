//! Child processes for the tests: one guard type (`Proc`) that collects what a child prints
//! and kills it when dropped, bounded runs to completion (`run`, `probe`), and the tlsprobe
//! binary under test. Every wait here has a deadline.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Longest a command run to completion by `probe` may take before the test fails.
pub const LIMIT: Duration = Duration::from_secs(30);

/// The tlsprobe binary under test.
pub fn tlsprobe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tlsprobe"))
}

/// `tlsprobe` with arguments, as a Command (no key log from the environment, no colour).
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

/// One verified `tlsprobe connect --json -n` to 127.0.0.1:`port` trusting `ca`, with `extra`
/// arguments (I/O timeout 10 s; the whole run bounded by LIMIT).
pub fn connect_json(port: u16, ca: &std::path::Path, extra: &[&str]) -> Done {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--json",
        "-n",
        "--ca-file",
        ca.to_str().expect("a UTF-8 path"),
        "--timeout",
        "10",
    ]);
    c.args(extra);
    run(c, b"", LIMIT)
}

/// `cmd` (program, arguments, environment) started through `sh -c 'umask MASK && exec "$@"'`:
/// the same process, with the given file-creation mask.
pub fn with_umask(cmd: &Command, mask: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("umask {mask} && exec \"$@\""))
        .arg("sh")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => c.env(k, v),
            None => c.env_remove(k),
        };
    }
    c
}

/// What a child printed so far.
#[derive(Default)]
struct Printed {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Both streams, whole lines in the order they arrived (a line is never split by a line
    /// of the other stream).
    merged: Vec<u8>,
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Reads one of a child's streams on a thread into `printed`.
fn collect(
    mut r: impl Read + Send + 'static,
    which: Stream,
    printed: Arc<Mutex<Printed>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        let mut partial = vec![];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut p = printed.lock().unwrap();
            match which {
                Stream::Stdout => p.stdout.extend_from_slice(&buf[..n]),
                Stream::Stderr => p.stderr.extend_from_slice(&buf[..n]),
            }
            partial.extend_from_slice(&buf[..n]);
            if let Some(end) = partial.iter().rposition(|b| *b == b'\n') {
                p.merged.extend(partial.drain(..=end));
            }
        }
        if !partial.is_empty() {
            partial.push(b'\n');
            printed.lock().unwrap().merged.extend(partial);
        }
    })
}

/// A child process whose stdout and stderr are collected; killed (and reaped) on drop.
pub struct Proc {
    pub child: Child,
    /// The child's stdin while the test keeps it open.
    pub stdin: Option<ChildStdin>,
    /// What the child is, for messages.
    pub what: String,
    printed: Arc<Mutex<Printed>>,
    readers: Vec<JoinHandle<()>>,
}

impl Proc {
    /// Starts `cmd` with stdout and stderr collected and stdin a pipe the test holds (a
    /// server reading stdin sees no end of file until `close_stdin` or drop).
    pub fn spawn(mut cmd: Command, what: &str) -> Proc {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        Proc::adopt(child, what)
    }

    /// As `spawn`, with stdin at end of file from the start.
    pub fn spawn_without_stdin(mut cmd: Command, what: &str) -> Proc {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        Proc::adopt(child, what)
    }

    /// Guards a child the test spawned itself: its stdout and stderr pipes, where they are
    /// still in the child, are collected; its stdin pipe, if any, is kept open.
    pub fn adopt(mut child: Child, what: &str) -> Proc {
        let printed = Arc::new(Mutex::new(Printed::default()));
        let mut readers = vec![];
        if let Some(o) = child.stdout.take() {
            readers.push(collect(o, Stream::Stdout, printed.clone()));
        }
        if let Some(e) = child.stderr.take() {
            readers.push(collect(e, Stream::Stderr, printed.clone()));
        }
        let stdin = child.stdin.take();
        Proc {
            child,
            stdin,
            what: what.to_string(),
            printed,
            readers,
        }
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.printed.lock().unwrap().stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.printed.lock().unwrap().stderr).into_owned()
    }

    /// Both streams merged line by line in arrival order.
    pub fn merged(&self) -> String {
        String::from_utf8_lossy(&self.printed.lock().unwrap().merged).into_owned()
    }

    /// Both streams, labelled, for failure messages.
    pub fn all(&self) -> String {
        format!(
            "--- {} stdout ---\n{}\n--- stderr ---\n{}",
            self.what,
            self.stdout(),
            self.stderr()
        )
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child has not exited yet.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits (bounded) until stdout or stderr contains `text`; false when the child exited
    /// without printing it or the deadline passed.
    pub fn wait_for(&mut self, text: &str, timeout: Duration) -> bool {
        self.wait_until(timeout, |p| {
            p.stdout().contains(text) || p.stderr().contains(text)
        })
    }

    /// Waits (bounded) until stdout contains `text`.
    pub fn wait_stdout(&mut self, text: &str, timeout: Duration) -> bool {
        self.wait_until(timeout, |p| p.stdout().contains(text))
    }

    /// Waits (bounded) for the first printed line (either stream) in which `find` finds
    /// something; None when the child exited first or the deadline passed.
    pub fn wait_line<T>(
        &mut self,
        timeout: Duration,
        find: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let first = |p: &Proc| p.merged().lines().find_map(&find);
        if self.wait_until(timeout, |p| first(p).is_some()) {
            first(self)
        } else {
            None
        }
    }

    /// Polls `done` until it holds, the child exits (then `done` is asked once more, after
    /// the output is read to its end) or `timeout` passes.
    fn wait_until(&mut self, timeout: Duration, done: impl Fn(&Proc) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if done(self) {
                return true;
            }
            if !self.is_running() {
                self.drain_readers(Duration::from_secs(2));
                return done(self);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Waits (bounded) for the child to exit; its output is then read to the end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                self.drain_readers(Duration::from_secs(2));
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Gives the reader threads (bounded) time to reach end of file.
    fn drain_readers(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.readers.iter().any(|r| !r.is_finished()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Lets the child run up to `wait` longer, stops it, and returns everything it printed
    /// (both streams merged line by line).
    pub fn finish(&mut self, wait: Duration) -> String {
        let _ = self.wait_exit(wait);
        self.kill();
        self.drain_readers(Duration::from_secs(5));
        self.merged()
    }

    /// Kills and reaps the child (nothing happens when it already exited).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn write_stdin(&mut self, data: &[u8]) {
        if let Some(s) = self.stdin.as_mut() {
            let _ = s.write_all(data);
            let _ = s.flush();
        }
    }

    /// Closes the child's stdin (end of file for it).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
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

    /// (exit code, or -1 when killed by a signal; stdout; stderr).
    pub fn parts(self) -> (i32, String, String) {
        (self.code.unwrap_or(-1), self.stdout, self.stderr)
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
/// takes longer than `timeout`, or when it panicked.
pub fn run(cmd: Command, input: &[u8], timeout: Duration) -> Done {
    let what = format!("{cmd:?}");
    let mut p = Proc::spawn(cmd, &what);
    p.write_stdin(input);
    p.close_stdin();
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

/// `tlsprobe ARGS...` with empty stdin, run to completion (bounded by `LIMIT`):
/// (exit code, stdout, stderr).
pub fn probe(args: &[&str]) -> (i32, String, String) {
    run(tp(args), b"", LIMIT).parts()
}
