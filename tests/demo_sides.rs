//! `tlsprobe demo` shows both ends of its connection (cli.md "demo"): every human line marked
//! `client │ ` or `server │ `, every JSON line with `"side"`, each side ending with its own
//! `closed`, and the order the real one: the receiver's view of a message comes after the
//! sender's. `-q`, `--color` and the key log (written once, by the client) for both sides;
//! `--hex` for both sides is tests/hex_roundtrip.rs.

mod common;
use common::{run, scratch, tp, Done, LIMIT};

use serde_json::Value;

const SIDES: [&str; 2] = ["client", "server"];

fn demo(args: &[&str]) -> Done {
    let mut c = tp(["demo"]);
    c.args(args);
    let d = run(c, b"", LIMIT);
    assert_eq!(d.code, Some(0), "{}", d.all());
    d
}

/// A message as one side printed it: (position in the output, side, "out"/"in", name).
type Seen = (usize, String, String, String);

/// Checks that every message a side received was shown by the other side as sent, earlier:
/// the k-th "in NAME" of one side pairs with the k-th "out NAME" of the other. Returns the
/// number of pairs.
fn receiver_follows_sender(seen: &[Seen], context: &str) -> usize {
    let mut pairs = 0;
    for (at, side, dir, name) in seen.iter().filter(|s| s.2 == "in") {
        let peer = if side == "client" { "server" } else { "client" };
        let nth = seen
            .iter()
            .filter(|s| &s.1 == side && s.2 == "in" && &s.3 == name && s.0 < *at)
            .count();
        let sent = seen
            .iter()
            .filter(|s| s.1 == peer && s.2 == "out" && &s.3 == name)
            .nth(nth)
            .unwrap_or_else(|| {
                panic!("{side} received {name} #{nth} the {peer} never sent ({dir}):\n{context}")
            });
        assert!(
            sent.0 < *at,
            "the {side}'s {name} #{nth} (line {at}) came before the {peer} sent it (line {}):\n{context}",
            sent.0
        );
        pairs += 1;
    }
    pairs
}

/// The messages in a human trace: lines `SIDE │ → Name ...` / `SIDE │ ← Name ...`.
fn human_messages(stderr: &str) -> Vec<Seen> {
    let mut seen = vec![];
    for (i, line) in stderr.lines().enumerate() {
        for side in SIDES {
            let Some(rest) = line.strip_prefix(&format!("{side} │ ")) else {
                continue;
            };
            let (dir, rest) = match (rest.strip_prefix("→ "), rest.strip_prefix("← ")) {
                (Some(r), _) => ("out", r),
                (_, Some(r)) => ("in", r),
                _ => continue,
            };
            let name = rest.split_whitespace().next().unwrap_or("").to_string();
            seen.push((i, side.to_string(), dir.to_string(), name));
        }
    }
    seen
}

#[test]
fn human_trace_marks_each_line_and_keeps_the_real_order() {
    for tls in ["1.2", "1.3"] {
        let d = demo(&["--tls", tls, "--color", "never"]);
        let err = &d.stderr;
        for line in err.lines() {
            assert!(
                SIDES.iter().any(|s| line.starts_with(&format!("{s} │ "))),
                "a line without its side: {line:?}\n{err}"
            );
        }
        let seen = human_messages(err);
        for (side, dir, name) in [
            ("client", "out", "ClientHello"),
            ("server", "in", "ClientHello"),
            ("server", "out", "ServerHello"),
            ("client", "in", "ServerHello"),
            ("client", "out", "Finished"),
            ("server", "in", "Finished"),
            ("server", "out", "Finished"),
            ("client", "in", "Finished"),
        ] {
            assert!(
                seen.iter()
                    .any(|s| s.1 == side && s.2 == dir && s.3 == name),
                "TLS {tls}: no {side} {dir} {name}:\n{err}"
            );
        }
        assert!(receiver_follows_sender(&seen, err) >= 6, "{err}");
        if tls == "1.3" {
            // The server derives its application keys right after sending its Finished:
            // their line comes before the client's view of that Finished.
            let at = |prefix: &str| err.lines().position(|l| l.starts_with(prefix));
            let keys = at("server │     keys: master_secret").expect(err);
            let received = at("client │ ← Finished").expect(err);
            assert!(keys < received, "{err}");
        }
        for side in SIDES {
            let own: Vec<&str> = err
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("{side} │ ")))
                .collect();
            let summary = format!("= Summary TLS {tls}");
            assert!(
                own.iter().any(|l| l.starts_with(&summary)),
                "{side}:\n{err}"
            );
            let closed = own.iter().rposition(|l| l.starts_with("* Closed ("));
            assert_eq!(
                closed,
                Some(own.len() - 2),
                "the {side}'s closing lines end its trace:\n{err}"
            );
        }
        assert!(d.stdout.contains("HTTP/1.0 200"), "{}", d.all());
    }
}

fn json_events(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn json_marks_each_event_and_each_side_ends_with_closed() {
    for tls in ["1.2", "1.3"] {
        let d = demo(&["--json", "--tls", tls, "--alpn", "http/1.1"]);
        let events = json_events(&d.stdout);
        let side_of = |e: &Value| e["side"].as_str().unwrap_or("").to_string();
        for e in &events {
            assert!(SIDES.contains(&side_of(e).as_str()), "no side: {e}");
        }
        let mut summaries = vec![];
        for side in SIDES {
            let own: Vec<&Value> = events.iter().filter(|e| side_of(e) == side).collect();
            let first = if side == "client" {
                "connecting"
            } else {
                "accepted"
            };
            assert_eq!(own[0]["type"], first, "{side}: {}", d.stdout);
            assert_eq!(
                own.last().unwrap()["type"],
                "closed",
                "{side}: {}",
                d.stdout
            );
            let closed = own.iter().filter(|e| e["type"] == "closed").count();
            assert_eq!(closed, 1, "{side}: one closed event:\n{}", d.stdout);
            assert_eq!(own.last().unwrap()["clean"], true, "{}", d.stdout);
            let s: Vec<&&Value> = own.iter().filter(|e| e["type"] == "summary").collect();
            assert_eq!(s.len(), 1, "{side}: one summary:\n{}", d.stdout);
            summaries.push((**s[0]).clone());
        }
        let (client, server) = (&summaries[0], &summaries[1]);
        assert_eq!(client["version"], format!("TLS {tls}"));
        for key in [
            "version",
            "cipher_suite",
            "group",
            "signature_scheme",
            "alpn",
            "sni",
        ] {
            assert_eq!(client[key], server[key], "the sides disagree on {key}");
        }
        assert_eq!(client["alpn"], "http/1.1");
        assert_eq!(client["verified"], true);
        let seen: Vec<Seen> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e["type"].as_str(), Some("handshake" | "alert" | "app_data")))
            .map(|(i, e)| {
                let name = e["msg"]
                    .as_str()
                    .or(e["description"].as_str())
                    .unwrap_or("app_data");
                (
                    i,
                    side_of(e),
                    e["dir"].as_str().unwrap_or("").to_string(),
                    name.to_string(),
                )
            })
            .collect();
        assert!(
            receiver_follows_sender(&seen, &d.stdout) >= 8,
            "{}",
            d.stdout
        );
    }
}

#[test]
fn quiet_shows_each_sides_summary_and_closing_lines() {
    for tls in ["1.2", "1.3"] {
        let d = demo(&["-q", "--color", "never", "--tls", tls]);
        for side in SIDES {
            let own: Vec<&str> = d
                .stderr
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("{side} │ ")))
                .collect();
            assert_eq!(own.iter().filter(|l| l.starts_with("= Summary")).count(), 1);
            assert_eq!(
                own.iter().filter(|l| l.starts_with("* Closed (")).count(),
                1
            );
        }
        // Nothing else: every line is marked, and a summary's or closing line's continuation.
        for line in d.stderr.lines() {
            let rest = SIDES
                .iter()
                .find_map(|s| line.strip_prefix(&format!("{s} │ ")))
                .unwrap_or_else(|| panic!("unmarked: {line:?}"));
            assert!(
                rest.starts_with("= Summary")
                    || rest.starts_with("* Closed (")
                    || rest.starts_with("    "),
                "{line:?}\n{}",
                d.stderr
            );
        }
        assert!(!d.stderr.contains("ClientHello"), "{}", d.stderr);
    }
}

#[test]
fn colour_tells_the_sides_apart() {
    let d = demo(&["-q", "--color", "always"]);
    let (client, server) = ("\x1b[36mclient\x1b[0m ", "\x1b[33mserver\x1b[0m ");
    for line in d.stderr.lines() {
        assert!(
            line.starts_with(client) || line.starts_with(server),
            "{line:?}"
        );
    }
    assert!(
        d.stderr.lines().any(|l| l.starts_with(client)),
        "{}",
        d.stderr
    );
    assert!(
        d.stderr.lines().any(|l| l.starts_with(server)),
        "{}",
        d.stderr
    );
    let d = demo(&["-q", "--color", "never"]);
    assert!(!d.stderr.contains('\x1b'), "{}", d.stderr);
}

#[test]
fn key_log_gets_each_secret_once() {
    let dir = scratch();
    for (tls, lines) in [("1.3", 5), ("1.2", 1)] {
        let path = dir.path().join(format!("keys-{tls}.log"));
        let d = demo(&[
            "--tls",
            tls,
            "--keylog",
            path.to_str().unwrap(),
            "--color",
            "never",
        ]);
        let log = std::fs::read_to_string(&path).unwrap();
        let entries = common::keylog_lines(&log);
        assert_eq!(entries.len(), lines, "TLS {tls}:\n{log}");
        let mut labels: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        labels.dedup();
        assert_eq!(labels.len(), lines, "a secret written twice:\n{log}");
        assert!(
            entries.iter().all(|e| e.1 == entries[0].1),
            "one client_random:\n{log}"
        );
        // The key log is not the trace: no secret value shows without --hex.
        for (_, _, secret) in &entries {
            assert!(!d.stderr.contains(secret.as_str()), "{}", d.stderr);
        }
    }
}

#[test]
fn a_failed_handshake_shows_both_sides_ending() {
    // The demo server's certificate is ECDSA: a TLS 1.2 DHE-RSA suite finds no match.
    let mut c = tp([
        "demo",
        "--tls",
        "1.2",
        "--suites",
        "DHE-RSA-AES128-GCM-SHA256",
        "--color",
        "never",
    ]);
    c.arg("-q");
    let d = run(c, b"", LIMIT);
    assert_eq!(d.code, Some(1), "{}", d.all());
    for side in SIDES {
        assert!(
            d.stderr
                .lines()
                .any(|l| l.starts_with(&format!("{side} │ ! Closed (alert)"))),
            "{}",
            d.all()
        );
    }
    assert!(d.stderr.contains("error: "), "{}", d.all());
    // No hint to scan or retry a peer that is demo's own listener (connect gives one).
    assert!(!d.stderr.contains("hint:"), "{}", d.all());
}
