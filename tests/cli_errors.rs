//! Every row of cli.md's exit-code table, driven through the binary: one `error: ...` sentence
//! on stderr, the documented code, and never a panic.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use common::{certs, free_port, listen, Key};
use predicates::prelude::*;

fn tlsprobe() -> Command {
    let mut c = Command::cargo_bin("tlsprobe").unwrap();
    c.env_remove("SSLKEYLOGFILE")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(30))
        .write_stdin("");
    c
}

fn no_panic() -> impl Predicate<str> {
    predicate::str::contains("panicked").not()
}

/// Exit `code`; stderr ends with exactly one `error: ...` line (after the trace, if the
/// command got as far as the network) that names `needle`.
fn fails(args: &[&str], code: i32, needle: &str) {
    let out = tlsprobe()
        .args(args)
        .assert()
        .code(code)
        .stderr(no_panic())
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{args:?}: one error line expected:\n{err}");
    // The error is the last line, or the one before its `hint:` line.
    let last = err
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.starts_with("hint: "))
        .unwrap_or("");
    // clap adds a usage hint after its error line; ours is the last line.
    if !err.contains("try '--help'") {
        assert!(
            last.starts_with("error:"),
            "{args:?}: error must be last:\n{err}"
        );
    } else {
        assert!(err.starts_with("error:"), "{args:?}:\n{err}");
    }
    assert!(
        errors[0].contains(needle),
        "{args:?}: '{needle}' not in: {}",
        errors[0]
    );
}

// --- 2: usage errors ------------------------------------------------------------------------

#[test]
fn bad_flag_is_2() {
    fails(&["connect", "--bogus", "127.0.0.1:1"], 2, "--bogus");
    fails(&["listen", "1", "--mode", "nope"], 2, "nope");
    fails(&["frobnicate"], 2, "frobnicate");
}

#[test]
fn unknown_suite_is_2() {
    fails(
        &[
            "connect",
            "127.0.0.1:1",
            "--suites",
            "TLS_NOPE_WITH_NOTHING",
        ],
        2,
        "TLS_NOPE_WITH_NOTHING",
    );
    fails(&["listen", "1", "--suites", "NOPE-SUITE"], 2, "NOPE-SUITE");
    fails(&["demo", "--suites", "0xzzzz"], 2, "0xzzzz");
}

#[test]
fn other_unknown_names_are_2() {
    fails(&["connect", "127.0.0.1:1", "--groups", "x9999"], 2, "x9999");
    fails(
        &["connect", "127.0.0.1:1", "--sigalgs", "rot13"],
        2,
        "rot13",
    );
    // RFC 9155: MD5 and SHA-1 schemes are refused as a usage error, not offered
    fails(
        &["connect", "127.0.0.1:1", "--sigalgs", "rsa_pkcs1_sha1"],
        2,
        "RFC 9155",
    );
    fails(&["listen", "1", "--sigalgs", "ecdsa_sha1"], 2, "RFC 9155");
    fails(&["connect", "127.0.0.1:1", "--tls", "2.0"], 2, "2.0");
    fails(
        &["connect", "127.0.0.1:1", "--timeout", "0"],
        2,
        "--timeout",
    );
    // A negative timeout is a plain error, not clap's tip to pass it after `--` (which would
    // make -1 the target).
    for cmd in ["connect", "scan", "listen"] {
        fails(
            &[cmd, "127.0.0.1:1", "--timeout", "-1"],
            2,
            "--timeout -1: must be a positive number of seconds",
        );
    }
}

/// Each command's --help speaks of its own command: connect offers, listen accepts.
#[test]
fn help_speaks_of_its_own_command() {
    let help = |cmd: &str| {
        let out = Command::cargo_bin("tlsprobe")
            .unwrap()
            .args([cmd, "--help"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let connect = help("connect");
    assert!(connect.contains("Cipher suites to offer"), "{connect}");
    assert!(connect.contains("Key-exchange groups to offer"));
    assert!(
        !connect.contains("listen"),
        "connect --help mentions listen:\n{connect}"
    );
    let listen = help("listen");
    assert!(listen.contains("Cipher suites to accept"), "{listen}");
    assert!(listen.contains("Key-exchange groups to accept"));
    assert!(!listen.contains("connect offers"), "{listen}");
    let demo = help("demo");
    assert!(demo.contains("Cipher suites both sides use"), "{demo}");
}

#[test]
fn unreadable_pem_is_2() {
    let c = certs();
    let missing = c.dir.join("does-not-exist.pem");
    let m = missing.to_str().unwrap();
    fails(
        &["connect", "127.0.0.1:1", "--ca-file", m],
        2,
        "does-not-exist.pem",
    );
    fails(
        &[
            "listen",
            "1",
            "--cert",
            m,
            "--key",
            c.leaf(Key::P256).key.to_str().unwrap(),
        ],
        2,
        "does-not-exist.pem",
    );
    fails(
        &[
            "listen",
            "1",
            "--cert",
            c.leaf(Key::P256).cert.to_str().unwrap(),
            "--key",
            m,
        ],
        2,
        "does-not-exist.pem",
    );
    fails(
        &["listen", "1", "--client-auth", "require", "--ca-file", m],
        2,
        "does-not-exist.pem",
    );
    // A directory is not a readable PEM file either.
    fails(
        &[
            "connect",
            "127.0.0.1:1",
            "--ca-file",
            c.dir.to_str().unwrap(),
        ],
        2,
        "--ca-file",
    );
}

#[test]
fn invalid_pem_is_2() {
    let c = certs();
    let dir = common::scratch();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "this is not PEM at all\n").unwrap();
    let broken = dir.path().join("broken.pem");
    std::fs::write(
        &broken,
        "-----BEGIN CERTIFICATE-----\nAAAA!!!!not base64\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let g = garbage.to_str().unwrap();
    let b = broken.to_str().unwrap();
    fails(
        &["connect", "127.0.0.1:1", "--ca-file", g],
        2,
        "garbage.pem",
    );
    fails(&["connect", "127.0.0.1:1", "--ca-file", b], 2, "broken.pem");
    let p256 = c.leaf(Key::P256);
    fails(
        &[
            "listen",
            "1",
            "--cert",
            g,
            "--key",
            p256.key.to_str().unwrap(),
        ],
        2,
        "garbage.pem",
    );
    fails(
        &[
            "listen",
            "1",
            "--cert",
            p256.cert.to_str().unwrap(),
            "--key",
            g,
        ],
        2,
        "garbage.pem",
    );
    // A certificate where the key should be.
    fails(
        &[
            "listen",
            "1",
            "--cert",
            p256.cert.to_str().unwrap(),
            "--key",
            p256.cert.to_str().unwrap(),
        ],
        2,
        "error:",
    );
    // connect's client certificate too.
    fails(
        &[
            "connect",
            "127.0.0.1:1",
            "--cert",
            b,
            "--key",
            p256.key.to_str().unwrap(),
        ],
        2,
        "broken.pem",
    );
}

#[test]
fn key_not_matching_cert_is_2() {
    let c = certs();
    for (cert, key) in [
        (Key::P256, Key::P384),
        (Key::Rsa, Key::P256),
        (Key::Ed25519, Key::Rsa),
    ] {
        fails(
            &[
                "listen",
                "1",
                "--cert",
                c.leaf(cert).cert.to_str().unwrap(),
                "--key",
                c.leaf(key).key.to_str().unwrap(),
            ],
            2,
            "does not match",
        );
    }
    fails(
        &[
            "connect",
            "127.0.0.1:1",
            "--cert",
            c.client.cert.to_str().unwrap(),
            "--key",
            c.ca.key.to_str().unwrap(),
        ],
        2,
        "does not match",
    );
}

#[test]
fn bad_target_syntax_is_2() {
    fails(&["connect", "host:99999"], 2, "99999");
    fails(&["connect", "host:0"], 2, "host:0");
    fails(&["connect", "host:http"], 2, "host:http");
    fails(&["connect", "bad host!:443"], 2, "bad host!");
    fails(&["connect", "[::1"], 2, "[::1");
    fails(&["connect", "[nope]:443"], 2, "nope");
    fails(&["connect", "1.2.3.4:5:6"], 2, "1.2.3.4:5:6");
    fails(&["connect", ""], 2, "error:");
    fails(&["listen", "99999"], 2, "99999");
    fails(&["listen", "localhost:abc"], 2, "abc");
}

// --- 1: runtime failures --------------------------------------------------------------------

#[test]
fn dns_failure_is_1() {
    fails(
        &["connect", "no-such-host.invalid", "-n"],
        1,
        "no-such-host.invalid",
    );
}

#[test]
fn refused_connection_is_1() {
    let port = free_port();
    fails(
        &["connect", &format!("127.0.0.1:{port}"), "-n"],
        1,
        "refused",
    );
}

#[test]
fn timeout_is_1() {
    // Accepts (the kernel completes the TCP handshake) but never answers.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        // Hold the accepted connection open until the client gives up (bounded).
        l.set_nonblocking(false).unwrap();
        let s = l.accept().map(|(s, _)| s);
        std::thread::sleep(Duration::from_secs(5));
        drop(s);
    });
    fails(
        &[
            "connect",
            &format!("127.0.0.1:{port}"),
            "-n",
            "--timeout",
            "1",
        ],
        1,
        "timed out",
    );
    let _ = holder.join();
}

#[test]
fn port_in_use_is_1() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    fails(
        &["listen", &format!("127.0.0.1:{port}")],
        1,
        "already in use",
    );
    drop(l);
}

#[test]
fn alert_received_is_1() {
    // listen requires TLS 1.3 only; a TLS 1.2-only client gets protocol_version.
    let l = listen(&["--tls", "1.3"]);
    fails(
        &[
            "connect",
            &format!("127.0.0.1:{}", l.port),
            "-n",
            "-k",
            "--tls",
            "1.2",
        ],
        1,
        "protocol_version",
    );
}

// --- 3: verification failure ----------------------------------------------------------------

#[test]
fn verification_failure_is_3() {
    let l = listen(&[]);
    let target = format!("127.0.0.1:{}", l.port);
    // The fresh self-signed certificate is in no trust store.
    fails(&["connect", &target, "-n"], 3, "verif");
    // Trusted, but for another name.
    let dir = common::scratch();
    let ca = dir.path().join("other.pem");
    let c = certs();
    std::fs::copy(&c.leaf(Key::P256).cert, &ca).unwrap();
    fails(
        &["connect", &target, "-n", "--ca-file", ca.to_str().unwrap()],
        3,
        "verif",
    );
    // -k: exit 0.
    tlsprobe()
        .args(["connect", &target, "-n", "-k"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning:"))
        .stderr(no_panic());
}

// --- demo and closed pipes ------------------------------------------------------------------

#[test]
fn demo_succeeds() {
    tlsprobe()
        .arg("demo")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Summary"))
        .stderr(predicate::str::contains("ClientHello"))
        .stderr(predicate::str::contains("error").not())
        .stdout(predicate::str::contains("HTTP/1.0 200"));
    for tls in ["1.2", "1.3"] {
        tlsprobe()
            .args(["demo", "--json", "--tls", tls])
            .assert()
            .code(0)
            .stdout(predicate::str::contains(format!(
                "\"version\":\"TLS {tls}\""
            )))
            .stdout(predicate::str::contains("\"verified\":true"));
    }
}

/// Runs tlsprobe with stdout to a pipe the test closes after reading `keep` bytes
/// (as `| head -c keep` would); the process must end with 0 and no error text.
fn closed_stdout(args: &[&str], keep: usize) {
    let mut c = common::tp(args);
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    // From here the guard collects stderr and kills the child if the test fails.
    let mut p = common::Proc::adopt(child, &format!("tlsprobe {args:?}"));
    let mut buf = vec![0u8; keep];
    if keep > 0 {
        out.read_exact(&mut buf).unwrap();
    }
    drop(out);
    let status = p
        .wait_exit(Duration::from_secs(30))
        .unwrap_or_else(|| panic!("{args:?} did not end after its stdout was closed"));
    let err = p.stderr();
    assert_eq!(status.code(), Some(0), "{args:?}: stderr {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(!err.contains("error"), "{args:?}: {err}");
    assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
}

#[test]
fn closed_stdout_ends_quietly() {
    // `tlsprobe demo --json | head -1`: the first line is read, then the pipe closes.
    let first_line_len = {
        let out = tlsprobe().args(["demo", "--json"]).output().unwrap();
        out.stdout.iter().position(|b| *b == b'\n').unwrap() + 1
    };
    closed_stdout(&["demo", "--json"], first_line_len);
    closed_stdout(&["demo", "--json"], 0);
    // Human mode: the page goes to stdout.
    closed_stdout(&["demo"], 0);
}

#[test]
fn listen_sni_must_be_a_dns_name() {
    fails(&["listen", "0", "--sni", "127.0.0.1"], 2, "--sni");
    fails(&["listen", "0", "--sni", ""], 2, "--sni");
}

#[test]
fn listen_needs_one_key_per_cert() {
    let c = certs();
    let (a, b) = (c.leaf(Key::Rsa), c.leaf(Key::P256));
    fails(
        &[
            "listen",
            "0",
            "--cert",
            a.cert.to_str().unwrap(),
            "--cert",
            b.cert.to_str().unwrap(),
            "--key",
            a.key.to_str().unwrap(),
        ],
        2,
        "one --key for each --cert",
    );
}
