//! Scans in the tests, with the checks every scan must pass: through the library
//! (`scan_options` + `scan_reports`/`scan_report`) or through the binary (`scan_bin`). Each
//! report is without error, within the connection budget (issue 16: 100 per target with every
//! check) and renders both ways; the human report goes to the test log.

use std::time::Duration;

use serde_json::Value;
use tlsprobe::report::scan_render;
use tlsprobe::scan::{self, ScanOptions, TargetReport};

use super::process::{run, tp};

/// Connections a whole scan of one target may take, vulnerability checks included.
pub const SCAN_BUDGET: usize = 100;

/// "127.0.0.1:port".
pub fn loopback_target(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

/// The scan tests' options for `targets`: 8 workers, 5 s timeouts, everything else default.
pub fn scan_options(targets: Vec<String>) -> ScanOptions {
    ScanOptions {
        targets,
        concurrency: 8,
        timeout: Duration::from_secs(5),
        ..Default::default()
    }
}

/// Scans `opts.targets`: one report per target, in order, each without error and within
/// `budget` connections.
pub fn scan_reports(opts: &ScanOptions, budget: usize) -> Vec<TargetReport> {
    let mut out = vec![];
    scan::run(opts, &mut |r| out.push(r));
    assert_eq!(out.len(), opts.targets.len(), "one report per target");
    for r in &out {
        assert!(r.error.is_none(), "{}: {:?}", r.target, r.error);
        assert!(
            r.connections <= budget,
            "{}: {} connections (budget {budget})",
            r.target,
            r.connections
        );
        let _ = scan_render::to_json(r);
        eprintln!("{}", scan_render::human(r, false));
    }
    out
}

/// Scans the one target of `opts` as [`scan_reports`] does, within [`SCAN_BUDGET`].
pub fn scan_report(opts: &ScanOptions) -> TargetReport {
    assert_eq!(opts.targets.len(), 1, "scan_report takes one target");
    scan_reports(opts, SCAN_BUDGET).pop().expect("one report")
}

/// `tlsprobe scan TARGET --json --timeout 5 EXTRA...`: exit 0 and one JSON report within
/// [`SCAN_BUDGET`] connections (90 s at most).
pub fn scan_bin(target: &str, extra: &[&str]) -> Value {
    let mut c = tp(["scan", target, "--json", "--timeout", "5"]);
    c.args(extra);
    let o = run(c, b"", Duration::from_secs(90));
    assert_eq!(o.code, Some(0), "{}\n{}", o.stdout, o.stderr);
    let r: Value = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("not one JSON report ({e}): {}", o.stdout));
    let n = r["connections"].as_u64().expect("connections");
    assert!(n as usize <= SCAN_BUDGET, "{target}: {n} connections");
    r
}
