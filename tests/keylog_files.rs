//! Key log files hold every secret needed to decrypt a capture: `--keylog` and SSLKEYLOGFILE,
//! in connect and in listen, create a new file readable by its owner only (0600, also under
//! the usual umask 022) and append to an existing file, keeping its mode.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

const T: Duration = Duration::from_secs(20);
const KEPT: &str = "# an existing line, kept";

/// How a command is told where its key log goes.
enum KeyLogArg {
    Flag(PathBuf),
    Env(PathBuf),
}

impl KeyLogArg {
    fn apply(&self, c: &mut Command) {
        match self {
            KeyLogArg::Flag(p) => c.arg("--keylog").arg(p),
            KeyLogArg::Env(p) => c.env("SSLKEYLOGFILE", p),
        };
    }

    fn path(&self) -> &Path {
        match self {
            KeyLogArg::Flag(p) | KeyLogArg::Env(p) => p,
        }
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// A file that already exists with mode 0640 and one line.
fn existing_0640(p: &Path) {
    std::fs::write(p, format!("{KEPT}\n")).unwrap();
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o640)).unwrap();
}

/// One TLS 1.3 connection from `tlsprobe connect` to `tlsprobe listen --once`, both started
/// under umask 022, each writing its key log where told.
fn one_connection(listen_log: &KeyLogArg, connect_log: &KeyLogArg) {
    let mut l = tp(["listen", "127.0.0.1:0", "--once", "--mode", "echo"]);
    listen_log.apply(&mut l);
    let mut l = listen_command(with_umask(&l, "022"));
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{}", l.port),
        "-k",
        "--timeout",
        "5",
    ]);
    connect_log.apply(&mut c);
    let d = run(with_umask(&c, "022"), b"ping\n", T);
    assert_eq!(d.code, Some(0), "{}", d.all());
    let st = l
        .proc
        .wait_exit(T)
        .unwrap_or_else(|| panic!("listen --once still running\n{}", l.proc.all()));
    assert_eq!(st.code(), Some(0), "{}", l.proc.all());
}

/// The NSS key-log lines of a file (comments left out).
fn secrets(p: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(p).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn check(new: &KeyLogArg, old: &KeyLogArg) {
    assert_eq!(mode(new.path()), 0o600, "{}", new.path().display());
    assert_eq!(mode(old.path()), 0o640, "{}", old.path().display());
    let old_text = std::fs::read_to_string(old.path()).unwrap();
    assert_eq!(old_text.lines().next(), Some(KEPT), "{old_text}");
    // Both ends logged the same five TLS 1.3 secrets.
    let (mut a, mut b) = (secrets(new.path()), secrets(old.path()));
    a.sort();
    b.sort();
    assert_eq!(a.len(), 5, "{a:?}");
    assert_eq!(a, b);
}

#[test]
fn the_umask_wrapper_applies_022() {
    // Without the explicit mode a new file would come out 0644: the wrapper really sets 022.
    let dir = scratch();
    let f = dir.path().join("touched");
    let mut c = Command::new("touch");
    c.arg(&f);
    let d = run(with_umask(&c, "022"), b"", T);
    assert_eq!(d.code, Some(0), "{}", d.all());
    assert_eq!(mode(&f), 0o644);
}

#[test]
fn listen_flag_creates_0600_and_connect_env_appends_keeping_0640() {
    let dir = scratch();
    let new = KeyLogArg::Flag(dir.path().join("listen.keylog"));
    let old = KeyLogArg::Env(dir.path().join("connect.keylog"));
    existing_0640(old.path());
    one_connection(&new, &old);
    check(&new, &old);
}

#[test]
fn connect_flag_creates_0600_and_listen_env_appends_keeping_0640() {
    let dir = scratch();
    let old = KeyLogArg::Env(dir.path().join("listen.keylog"));
    let new = KeyLogArg::Flag(dir.path().join("connect.keylog"));
    existing_0640(old.path());
    one_connection(&old, &new);
    check(&new, &old);
}
