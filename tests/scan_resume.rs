//! `scan --output FILE --resume` through the binary against a loopback fleet: a run killed
//! with SIGKILL mid-way and resumed has every target exactly once, every line JSON, the same
//! results as an uninterrupted run; a partial last line is dropped and its target redone;
//! misuse (no --output, a foreign or unreadable file, another target list or options) is a
//! clear usage error that leaves the file alone.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

/// Generous bound on one whole fleet scan (a few live servers, a slow fake, closed ports).
const FLEET_LIMIT: Duration = Duration::from_secs(120);

fn scan_to(list: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = tp(["scan", "--targets"]);
    c.arg(list)
        .arg("--output")
        .arg(out)
        .args(FLEET_SCAN)
        .args(extra);
    c
}

/// Complete lines in `path` so far (0 when it does not exist yet).
fn complete_lines(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

/// The reports of `path` are the list, each target exactly once, with its index.
fn assert_each_target_once(path: &Path, targets: &[String]) {
    let lines = output_lines(path);
    assert_eq!(lines[0]["type"], "scan_header", "{}", lines[0]);
    let mut reports = output_reports(path);
    assert_eq!(lines.len(), reports.len() + 1, "one header only");
    reports.sort_by_key(|v| v["index"].as_u64());
    let got: Vec<(u64, &str)> = reports
        .iter()
        .map(|v| (v["index"].as_u64().unwrap(), v["target"].as_str().unwrap()))
        .collect();
    let want: Vec<(u64, &str)> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (i as u64, t.as_str()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_run_killed_mid_way_resumes_to_the_same_results_as_one_run() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    // The slow target at 30 holds the ordered output: the kill lands before it is written.
    let fleet = fleet(dir.path(), 60, Some(30));
    let out = dir.path().join("killed.jsonl");
    let cmd = scan_to(&fleet.list, &out, &["-j", "4", "--resume"]);
    let mut p = Proc::spawn_without_stdin(cmd, "tlsprobe scan --output");
    let deadline = Instant::now() + Duration::from_secs(60);
    while complete_lines(&out) < 21 && Instant::now() < deadline && p.is_running() {
        std::thread::sleep(Duration::from_millis(20));
    }
    p.kill(); // SIGKILL
    let before = output_reports(Path::new(&out)).len();
    let total = fleet.targets.len();
    assert!(
        (20..total).contains(&before),
        "the kill should land mid-way: {before} of {total} reports\n{}",
        p.all()
    );

    let d = run(
        scan_to(&fleet.list, &out, &["-j", "4", "--resume"]),
        b"",
        FLEET_LIMIT,
    );
    // Closed ports are failed targets, the resumed ones count too.
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert!(
        d.stderr.contains(&format!(
            "{total} target(s) in {} ({before} already there",
            out.display()
        )),
        "{}",
        d.all()
    );
    assert_each_target_once(&out, &fleet.targets);

    let whole = dir.path().join("whole.jsonl");
    let d = run(scan_to(&fleet.list, &whole, &["-j", "4"]), b"", FLEET_LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    let (resumed, once) = (
        by_index(output_reports(&out)),
        by_index(output_reports(&whole)),
    );
    for (r, o) in resumed.iter().zip(&once) {
        assert_eq!(r, o, "target by target");
    }
    assert_eq!(resumed.len(), once.len());
    // The live servers were really scanned (their suites found), on both runs.
    let live = resumed
        .iter()
        .filter(|v| v["error"].is_null() && !v["protocols"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(live, 3, "{resumed:?}");
}

#[test]
fn a_partial_last_line_is_dropped_and_its_target_scanned_again() {
    let dir = scratch();
    let live = listen_quiet("127.0.0.1:0", &[]);
    let dead = free_port();
    let mut targets: Vec<String> = (2..8).map(|i| format!("127.0.0.{i}:{dead}")).collect();
    targets.push(format!("127.0.0.1:{}", live.port));
    let list = dir.path().join("list.txt");
    std::fs::write(&list, targets.join("\n")).unwrap();
    let out = dir.path().join("out.jsonl");
    let d = run(scan_to(&list, &out, &[]), b"", FLEET_LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    let full = std::fs::read_to_string(&out).unwrap();
    // Cut the last report (the live server's) in the middle, as a kill during its write would.
    let last_start = full[..full.len() - 1].rfind('\n').unwrap() + 1;
    let cut = last_start + (full.len() - last_start) / 2;
    std::fs::write(&out, &full[..cut]).unwrap();

    let d = run(scan_to(&list, &out, &["--resume"]), b"", FLEET_LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert!(
        d.stderr.contains("dropped a partial last line") && d.stderr.contains("1 scanned now"),
        "{}",
        d.all()
    );
    assert_each_target_once(&out, &targets);
    let reports = by_index(output_reports(&out));
    let before: Vec<_> = full
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports, by_index(before));
    assert!(reports[6]["error"].is_null(), "{}", reports[6]);
}

#[test]
fn resume_needs_output() {
    let (code, _, err) = probe(&["scan", "127.0.0.1:1", "--resume"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--output <FILE>"), "{err}");
}

#[test]
fn a_foreign_or_unreadable_file_is_refused_and_left_alone() {
    let dir = scratch();
    let t = format!("127.0.0.1:{}", free_port());
    let foreign = dir.path().join("notes.txt");
    std::fs::write(&foreign, "my notes\nmore\n").unwrap();
    let f = foreign.to_str().unwrap();
    let (code, _, err) = probe(&["scan", &t, "--output", f, "--resume"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("--resume: {f} line 1 is not a JSON object"))
            && err.contains("refusing to append to it"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&foreign).unwrap(),
        "my notes\nmore\n"
    );
    // JSON, but not a scan's (no header).
    std::fs::write(&foreign, "{\"target\":\"x\"}\n").unwrap();
    let (code, _, err) = probe(&["scan", &t, "--output", f, "--resume"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 1 is not a scan_header line"), "{err}");
    // An unreadable target list is reported before FILE is touched.
    let missing = dir.path().join("no-such-list.txt");
    let m = missing.to_str().unwrap();
    let (code, _, err) = probe(&["scan", "--targets", m, "--output", f]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read --targets"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&foreign).unwrap(),
        "{\"target\":\"x\"}\n"
    );
    // A directory cannot be read as a file.
    let d = dir.path().to_str().unwrap();
    let (code, _, err) = probe(&["scan", &t, "--output", d, "--resume"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("cannot read --output {d}")), "{err}");
}

#[test]
fn another_target_list_or_other_options_are_refused() {
    let dir = scratch();
    let dead = free_port();
    let list = dir.path().join("list.txt");
    std::fs::write(&list, format!("127.0.0.2:{dead}\n127.0.0.3:{dead}\n")).unwrap();
    let out = dir.path().join("out.jsonl");
    let d = run(scan_to(&list, &out, &[]), b"", LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    let written = std::fs::read_to_string(&out).unwrap();

    std::fs::write(&list, format!("127.0.0.9:{dead}\n127.0.0.3:{dead}\n")).unwrap();
    let d = run(scan_to(&list, &out, &["--resume"]), b"", LIMIT);
    assert_eq!(d.code, Some(2), "{}", d.all());
    assert!(
        d.stderr.contains(&format!(
            "has target 127.0.0.2:{dead} at index 0 where the list has 127.0.0.9:{dead}"
        )),
        "{}",
        d.all()
    );
    std::fs::write(&list, format!("127.0.0.2:{dead}\n127.0.0.3:{dead}\n")).unwrap();
    let d = run(
        scan_to(&list, &out, &["--resume", "--shard", "0/2"]),
        b"",
        LIMIT,
    );
    assert_eq!(d.code, Some(2), "{}", d.all());
    assert!(
        d.stderr.contains("--shard none there, 0/2 here"),
        "{}",
        d.all()
    );
    let mut c = tp(["scan", "--targets"]);
    c.arg(&list)
        .arg("--output")
        .arg(&out)
        .args(["--resume", "--tls", "1.3"]);
    let d = run(c, b"", LIMIT);
    assert_eq!(d.code, Some(2), "{}", d.all());
    assert!(d.stderr.contains("begun with other options"), "{}", d.all());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);

    // Everything done: nothing to scan, the exit code still says a target failed.
    let d = run(scan_to(&list, &out, &["--resume"]), b"", LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert!(
        d.stderr
            .contains("(2 already there, 0 scanned now; 2 failed)"),
        "{}",
        d.all()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
}

#[test]
fn stdout_is_empty_with_output_unless_json_is_asked_too() {
    let dir = scratch();
    let dead = free_port();
    let t = format!("127.0.0.2:{dead}");
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    let (code, stdout, err) = probe(&["scan", &t, "--output", o]);
    assert_eq!((code, stdout.as_str()), (4, ""), "{err}");
    let (code, stdout, err) = probe(&["scan", &t, "--output", o, "--json"]);
    assert_eq!(code, 4, "{err}");
    // The same report line on stdout as in the file, with its index.
    let file = std::fs::read_to_string(&out).unwrap();
    assert_eq!(file.lines().nth(1), Some(stdout.trim_end()));
    assert!(stdout.starts_with("{\"index\":0,\"target\":"), "{stdout}");
}

#[test]
fn ctrl_c_keeps_the_target_in_progress_out_of_the_file_and_a_resume_scans_it() {
    let dir = scratch();
    let silent = canned(None, Duration::ZERO, Duration::from_secs(60));
    let dead = format!("127.0.0.1:{}", free_port());
    let hung = format!("127.0.0.1:{}", silent.port);
    let out = dir.path().join("out.jsonl");
    let o = out.to_str().unwrap();
    let args = [
        "scan",
        &dead,
        &hung,
        "--output",
        o,
        "--timeout",
        "30",
        "--tls",
        "1.2",
    ];
    let mut p = Proc::spawn_without_stdin(tp(args), "tlsprobe scan --output");
    let deadline = Instant::now() + Duration::from_secs(15);
    while complete_lines(&out) < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let kill = Command::new("kill")
        .args(["-INT", &p.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = p.wait_exit(Duration::from_secs(10));
    assert_eq!(status.and_then(|s| s.code()), Some(130), "{}", p.all());
    let reports = output_reports(&out);
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0]["target"], dead.as_str());
    // The silent server gone, the resume finds a closed port there: scanned, not skipped.
    drop(silent);
    let mut c = tp(args);
    c.arg("--resume");
    let d = run(c, b"", LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    assert_each_target_once(&out, &[dead, hung]);
    assert!(!std::fs::read_to_string(&out)
        .unwrap()
        .contains("interrupted"));
}
