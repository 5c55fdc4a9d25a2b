//! scan's progress when stderr is not a terminal (a log): `--progress always` writes a status
//! line every `--progress-interval` (done/total, percent, failed, rate, ETA); `auto` does so
//! unless stderr is stdout (`2>&1`); `never` not at all. (The terminal bar needs a terminal:
//! not tested.)

mod common;

use std::time::Duration;

use common::*;

/// A fatal handshake_failure alert record (RFC 5246 §7.2).
const HANDSHAKE_FAILURE: [u8; 7] = [0x15, 3, 3, 0, 2, 2, 40];

#[test]
fn always_writes_status_lines_to_a_log() {
    // A dead port (done at once, failed), then a server that never answers: the scan waits
    // on it until killed, so status lines must come.
    let silent = canned(None, Duration::ZERO, Duration::from_secs(60));
    let dead = format!("127.0.0.1:{}", free_port());
    let hung = format!("127.0.0.1:{}", silent.port);
    let mut p = Proc::spawn_without_stdin(
        tp([
            "scan",
            &dead,
            &hung,
            "--json",
            "--timeout",
            "30",
            "--tls",
            "1.2",
            "--progress",
            "always",
            "--progress-interval",
            "0.2",
        ]),
        "tlsprobe scan --progress always",
    );
    let want = "tlsprobe: scan: 1/2 targets (50%), 1 failed, ";
    assert!(p.wait_for(want, Duration::from_secs(20)), "{}", p.all());
    let line = p
        .stderr()
        .lines()
        .find(|l| l.starts_with(want))
        .unwrap()
        .to_string();
    assert!(line.contains(" targets/s, ETA "), "{line}");
    // Status lines go to stderr only: stdout is the report.
    assert!(!p.stdout().contains("tlsprobe: scan:"), "{}", p.all());
}

/// Runs a scan of a dead port and a target that takes seconds (a fake answering every
/// ClientHello with an alert after 1.5 s), with status lines every 0.1 s if any are due.
fn slow_scan(extra: &[&str]) -> Done {
    let slow = canned(
        Some(HANDSHAKE_FAILURE.to_vec()),
        Duration::from_millis(1500),
        Duration::ZERO,
    );
    let dead = format!("127.0.0.1:{}", free_port());
    let t = format!("127.0.0.1:{}", slow.port);
    let mut c = tp(["scan", &dead, &t, "--timeout", "5", "--tls", "1.2"]);
    c.args(["--progress-interval", "0.1"]).args(extra);
    run(c, b"", LIMIT)
}

#[test]
fn auto_writes_status_lines_to_a_log_and_never_writes_none() {
    let dir = scratch();
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    let d = slow_scan(&["--output", o]);
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert!(
        d.stderr
            .contains("tlsprobe: scan: 1/2 targets (50%), 1 failed, "),
        "{}",
        d.all()
    );
    // Without --output too: stdout (a pipe) has the report, stderr (another pipe) the lines.
    let d = slow_scan(&["--json"]);
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert!(d.stderr.contains("targets/s"), "{}", d.all());
    assert!(!d.stdout.contains("targets/s"), "{}", d.all());
    let d = slow_scan(&["--output", o, "--progress", "never"]);
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert!(!d.stderr.contains("targets/s"), "{}", d.all());
}

#[test]
fn a_bad_interval_is_a_usage_error() {
    for bad in ["0", "-1", "nan"] {
        let (code, _, err) = probe(&["scan", "127.0.0.1:1", "--progress-interval", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
    }
    let (code, _, err) = probe(&["scan", "127.0.0.1:1", "--progress", "sometimes"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("never") && err.contains("always"), "{err}");
}

/// `auto` keeps status lines out of a report stream stderr shares (`2>&1`); `always` does not.
#[test]
fn auto_keeps_status_lines_out_of_stdout_when_stderr_is_stdout() {
    let slow = canned(
        Some(HANDSHAKE_FAILURE.to_vec()),
        Duration::from_millis(1500),
        Duration::ZERO,
    );
    let dead = format!("127.0.0.1:{}", free_port());
    let t = format!("127.0.0.1:{}", slow.port);
    for (mode, want) in [("auto", false), ("always", true)] {
        let script = format!(
            "exec \"$0\" scan {dead} {t} --json --timeout 5 --tls 1.2 --progress {mode} --progress-interval 0.1 2>&1"
        );
        let mut c = std::process::Command::new("sh");
        c.args(["-c", &script]).arg(env!("CARGO_BIN_EXE_tlsprobe"));
        let d = run(c, b"", LIMIT);
        assert_eq!(d.code, Some(4), "{mode}: {}", d.all());
        assert_eq!(d.stdout.contains("targets/s"), want, "{mode}: {}", d.all());
    }
}
