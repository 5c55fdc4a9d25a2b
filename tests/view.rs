//! `tlsprobe view`: a transcript saved with `--json` shown again. In memory, the replayed
//! trace is the live trace line for line; against real runs (demo, connect to openssl
//! s_server TLS 1.2 and 1.3, listen with openssl s_client) it shows every handshake message
//! in order with the live run's names and summary; bad files are refused clearly (exit 2),
//! a cut-off last line is tolerated, the byte view needs the bytes. Peers on loopback only; a
//! missing peer is a printed skip (a failure with TLSPROBE_REQUIRE_PEERS=1).

mod common;
use common::inmem::{handshake, NOW};
use common::*;

use std::path::Path;
use std::time::Duration;

use tlsprobe::report::hex::title;
use tlsprobe::report::human::Human;
use tlsprobe::report::json_bytes::JsonEncoder;
use tlsprobe::report::replay::Replay;
use tlsprobe::wire::codepoints::ProtocolVersion;

/// The message lines of a trace: each arrow line's message name (after listen's `[#n] `),
/// with demo's side (`client │ `) in front when the line has one.
fn messages(trace: &str) -> Vec<String> {
    trace
        .lines()
        .filter_map(|l| {
            let l = match l.strip_prefix("[#") {
                Some(rest) => rest.split_once("] ").map_or(l, |(_, r)| r),
                None => l,
            };
            let (side, l) = match l.split_once(" │ ") {
                Some((side, rest)) if side == "client" || side == "server" => (side, rest),
                _ => ("", l),
            };
            if !(l.starts_with("→ ") || l.starts_with("← ")) {
                return None;
            }
            let name = l.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
            Some(format!("{side} {name}").trim_start().to_string())
        })
        .collect()
}

/// The message lines of the handshake proper: up to the summary (what follows it, tickets
/// and alerts, may come in another order from run to run).
fn handshake_messages(trace: &str) -> Vec<String> {
    let end = trace.find("= Summary").unwrap_or(trace.len());
    messages(&trace[..end])
}

/// The message lines a saved transcript must show: one per handshake, change_cipher_spec
/// and alert event, in order.
fn saved_messages(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let arrow = if v["dir"] == "out" { "→" } else { "←" };
            let name = match v["type"].as_str()? {
                "handshake" => title(v["msg"].as_str()?),
                "change_cipher_spec" => "ChangeCipherSpec".into(),
                "alert" => "Alert".into(),
                _ => return None,
            };
            let side = v["side"].as_str().unwrap_or("");
            Some(format!("{side} {arrow} {name}").trim_start().to_string())
        })
        .collect()
}

/// The summary's first line (version, suite, group, scheme).
fn summary(trace: &str) -> String {
    trace
        .lines()
        .find(|l| l.contains("= Summary"))
        .unwrap_or_else(|| panic!("no summary in:\n{trace}"))
        .trim_start_matches(|c| c != '=')
        .to_string()
}

/// `tlsprobe view ARGS...` to completion: (exit code, stdout, stderr).
fn view(args: &[&str]) -> (i32, String, String) {
    let mut a = vec!["view"];
    a.extend_from_slice(args);
    probe(&a)
}

fn save(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// The same trace live and replayed: the in-memory handshake's events, rendered by the human
/// renderer, and saved as `--json --hex` writes them then replayed, at each `--hex` level.
#[test]
fn replay_is_the_live_trace_line_for_line() {
    colored::control::set_override(false);
    for v in [ProtocolVersion::TLS12, ProtocolVersion::TLS13] {
        let run = handshake(&[v], true);
        let mut enc = JsonEncoder::new(None, 1);
        let saved: Vec<serde_json::Value> =
            run.client_events.iter().map(|e| enc.encode(e)).collect();
        for level in 0..=2u8 {
            let mut live = Human::new(false, level > 0, level);
            live.now = Some(NOW);
            let mut want: Vec<String> = run
                .client_events
                .iter()
                .flat_map(|e| live.render(e))
                .collect();
            want.extend(live.flush());
            let mut replay = Replay::new(false, level);
            replay.now = Some(NOW);
            let mut got = vec![];
            for j in &saved {
                got.extend(replay.line(j).unwrap());
            }
            got.extend(replay.finish());
            assert_eq!(got, want, "{v} --hex level {level}");
            assert!(got.iter().any(|l| l.contains("Finished")));
        }
    }
}

#[test]
fn demo_transcript() {
    let dir = scratch();
    let done = run(tp(["demo", "--json", "--hex"]), b"", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let file = save(dir.path(), "demo.jsonl", &done.stdout);
    let live = run(tp(["demo"]), b"", LIMIT);
    assert_eq!(live.code, Some(0), "{}", live.all());

    let (code, out, err) = view(&[&file]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(messages(&out), saved_messages(&done.stdout), "{out}");
    let hs = handshake_messages(&out);
    assert_eq!(
        hs,
        handshake_messages(&live.stderr),
        "{out}\n---\n{}",
        live.stderr
    );
    assert!(hs.len() >= 8, "{out}");
    assert_eq!(summary(&out), summary(&live.stderr));
    assert!(out.contains("* Closed (close_notify_received)"), "{out}");

    // The byte view, and the secrets the transcript holds.
    let (code, hexed, err) = view(&["--hex", &file]);
    assert_eq!(code, 0, "{err}");
    assert!(hexed.contains("record: handshake"), "{hexed}");
    assert!(hexed.contains("decrypted TLSInnerPlaintext"), "{hexed}");
    assert!(
        hexed.contains("key client_handshake_traffic_secret"),
        "{hexed}"
    );
    assert_eq!(messages(&hexed), messages(&out));

    // The page of a transcript with the key schedule's values is owner-only.
    let page = dir.path().join("demo.html");
    let (code, _, err) = view(&["--html", page.to_str().unwrap(), &file]);
    assert_eq!(code, 0, "{err}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&page).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    // -q: the summary and the closing lines only; stdin as `-`.
    let quiet = run(tp(["view", "-q", "-"]), done.stdout.as_bytes(), LIMIT);
    assert_eq!(quiet.code, Some(0), "{}", quiet.all());
    assert!(messages(&quiet.stdout).is_empty(), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("= Summary") && quiet.stdout.contains("* Closed"));
}

/// connect to openssl s_server at `tls`, saved with `--json --hex` and shown live.
fn connect_transcript(tls: &str, s_server_flag: &str) {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www", s_server_flag], None);
    let target = format!("127.0.0.1:{}", srv.port);
    let ca = leaf.cert.to_str().unwrap();
    let connect = |extra: &[&str]| {
        let mut c = tp([
            "connect",
            &target,
            "--tls",
            tls,
            "--ca-file",
            ca,
            "--timeout",
            "5",
        ]);
        c.args(extra);
        let d = run(c, b"GET / HTTP/1.0\r\n\r\n", LIMIT);
        assert_eq!(d.code, Some(0), "{}", d.all());
        d
    };
    let saved = connect(&["--json", "--hex"]);
    let file = save(dir.path(), "connect.jsonl", &saved.stdout);
    let live = connect(&["--hex"]);

    let (code, out, err) = view(&["--hex", &file]);
    assert_eq!(code, 0, "{err}");
    let names = messages(&out);
    assert_eq!(names, saved_messages(&saved.stdout), "{out}");
    let hs = handshake_messages(&out);
    assert_eq!(
        hs,
        handshake_messages(&live.stderr),
        "{out}\n---\n{}",
        live.stderr
    );
    assert_eq!(names.first().map(String::as_str), Some("→ ClientHello"));
    assert!(names.iter().any(|n| n == "← Finished"), "{names:?}");
    assert_eq!(summary(&out), summary(&live.stderr));
    assert!(out.contains("certificate chain verified"), "{out}");

    // Saved without --hex: the messages from their JSON fields; no byte view.
    let plain = connect(&["--json"]);
    let file = save(dir.path(), "plain.jsonl", &plain.stdout);
    let (code, out, err) = view(&[&file]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(messages(&out), saved_messages(&plain.stdout), "{out}");
    assert_eq!(handshake_messages(&out), hs, "{out}");
    let (code, _, err) = view(&["--hex", &file]);
    assert_eq!(code, 2);
    assert!(err.contains("saved without --hex"), "{err}");
}

#[test]
fn connect_transcript_tls13() {
    connect_transcript("1.3", "-tls1_3");
}

#[test]
fn connect_transcript_tls12() {
    connect_transcript("1.2", "-tls1_2");
}

/// listen, its client openssl s_client (TLS 1.3), saved and live.
#[test]
fn listen_transcript() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let serve = |extra: &[&str]| {
        let mut args = vec!["--once", "--color", "never"];
        args.extend_from_slice(extra);
        let mut srv = listen(&args);
        let c = s_client(
            srv.port,
            &["-tls1_3", "-ign_eof"],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(c.stdout.contains("200"), "{}", c.all());
        let _ = srv.proc.wait_exit(Duration::from_secs(10));
        srv.proc.finish(Duration::from_secs(1));
        (srv.proc.stdout(), srv.proc.stderr())
    };
    let (saved, _) = serve(&["--json", "--hex"]);
    let file = save(dir.path(), "listen.jsonl", &saved);
    let (_, live) = serve(&[]);

    let (code, out, err) = view(&[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines().any(|l| l.starts_with("[#1] ← ClientHello")),
        "{out}"
    );
    assert_eq!(messages(&out), saved_messages(&saved), "{out}");
    assert_eq!(
        handshake_messages(&out),
        handshake_messages(&live),
        "{out}\n---\n{live}"
    );
    assert_eq!(summary(&out), summary(&live));

    let page = dir.path().join("listen.html");
    let (code, _, err) = view(&["--html", page.to_str().unwrap(), &file]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("data-msg=\"server_hello\""), "{html}");

    let (code, one, _) = view(&["--conn", "1", &file]);
    assert_eq!(code, 0);
    assert_eq!(messages(&one), messages(&out));
    let (code, _, err) = view(&["--conn", "7", &file]);
    assert_eq!(code, 2);
    assert!(err.contains("no connection 7 (it has 1)"), "{err}");
}

#[test]
fn bad_files_are_refused() {
    let dir = scratch();
    let garbage = save(dir.path(), "garbage", "hello\x01\n{}\n");
    let (code, out, err) = view(&[&garbage]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("line 1 is not JSON") && err.contains("not a tlsprobe transcript"),
        "{err}"
    );

    let scan = save(
        dir.path(),
        "scan.json",
        "{\"target\":\"a:443\",\"protocols\":[]}\n",
    );
    let (code, _, err) = view(&[&scan]);
    assert_eq!(code, 2);
    assert!(err.contains("scan report"), "{err}");

    let broken = save(
        dir.path(),
        "broken.jsonl",
        "{\"type\":\"connecting\",\"target\":\"a\",\"addr\":\"b\"}\n{\"type\":\"handshake\",\"msg\":\"finished\"}\n",
    );
    let (code, out, err) = view(&[&broken]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("line 2: a \"handshake\" event without \"dir\""),
        "{err}"
    );

    let missing = dir.path().join("missing.jsonl");
    let (code, _, err) = view(&[missing.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"), "{err}");
}

/// A transcript cut off mid-write (the last line incomplete): shown up to there, with a
/// warning; `--html` writes a whole page (to a file or stdout) or nothing.
#[test]
fn truncated_transcript_and_html_output() {
    let dir = scratch();
    let done = run(tp(["demo", "--json"]), b"", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let cut = &done.stdout[..done.stdout.trim_end().len() - 10];
    let file = save(dir.path(), "cut.jsonl", cut);
    let (code, out, err) = view(&[&file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("is cut off (the transcript ends inside it): ignored"),
        "{err}"
    );
    // Each side (demo shows two) ends with its closing line; the cut one is missing.
    let closings = |t: &str| t.matches("Closed (").count();
    let whole = save(dir.path(), "whole.jsonl", &done.stdout);
    let (_, all, _) = view(&[&whole]);
    assert!(out.contains("= Summary"), "{out}");
    assert_eq!(closings(&out) + 1, closings(&all), "{out}");

    // The page: whole, or nothing (a missing directory is exit 1 and leaves no file).
    let page = dir.path().join("page.html");
    let (code, _, err) = view(&["--html", page.to_str().unwrap(), &file]);
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("data-msg=\"client_hello\""), "{html}");
    let (code, stdout, _) = view(&["--html", "-", &file]);
    assert_eq!(code, 0);
    assert_eq!(stdout, html);
    let nowhere = dir.path().join("missing/page.html");
    let (code, _, err) = view(&["--html", nowhere.to_str().unwrap(), &file]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot write"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let (code, _, err) = view(&["--html", "-", "--conn", "1", &file]);
    assert_eq!(code, 2);
    assert!(err.contains("no connection numbers"), "{err}");
}
