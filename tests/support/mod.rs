//! The former helper module of the network-reach tests, now a thin layer over tests/common
//! kept so that test files written against its names still build; new tests use
//! `mod common;`. Old name → common: `listen` → `listen_once`, `listen_many` →
//! `listen_quiet`, `tlsprobe` → `probe`, `run(cmd, input)` → `run(cmd, input, LIMIT).parts()`,
//! `make_cert` → `loopback_cert`, `missing`/`have_*` → `require_peer`/`need_*`,
//! `support` → `support_file`, `Proc` → `Server`.

#![allow(dead_code, unused_imports)]

#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use common::{have_ipv6_loopback, python, Server as Proc, LIMIT};

pub const BIN: &str = env!("CARGO_BIN_EXE_tlsprobe");

/// True when the test must be skipped because `what` is missing (prints why); fails the
/// test instead when TLSPROBE_REQUIRE_PEERS is set.
pub fn missing(what: &str) -> bool {
    !common::require_peer(false, what, "install it")
}

pub fn have(cmd: &str, arg: &str) -> bool {
    common::runs(cmd, &[arg])
}

pub fn have_openssl() -> bool {
    have("openssl", "version")
}

pub fn have_python() -> bool {
    have("python3", "--version")
}

pub fn support(file: &str) -> PathBuf {
    common::support_file(file)
}

/// `tlsprobe listen ADDR --once ARGS...`.
pub fn listen(addr: &str, args: &[&str]) -> Proc {
    common::listen_once(addr, args)
}

/// `tlsprobe listen ADDR --quiet ARGS...`, serving any number of connections.
pub fn listen_many(addr: &str, args: &[&str]) -> Proc {
    common::listen_quiet(addr, args)
}

/// Runs a command with `input` on stdin, bounded by LIMIT: (exit code, stdout, stderr).
pub fn run(cmd: Command, input: &[u8]) -> (i32, String, String) {
    common::run(cmd, input, LIMIT).parts()
}

/// `tlsprobe ARGS...` with empty stdin.
pub fn tlsprobe(args: &[&str]) -> (i32, String, String) {
    common::probe(args)
}

/// A self-signed P-256 certificate for localhost, 127.0.0.1 and ::1.
pub fn make_cert(dir: &Path) -> (PathBuf, PathBuf) {
    let pair = common::loopback_cert(dir);
    (pair.cert, pair.key)
}
