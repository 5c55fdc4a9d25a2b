//! The `--hex` byte view, read back: the hex bytes parsed out of the annotated output must be
//! exactly what went over the wire, each byte once, and every record's spans must tile it.

mod common;
use common::inmem;

use assert_cmd::Command;
use tlsprobe::event::{Dir, Event};
use tlsprobe::report::hex::{ByteView, Span};
use tlsprobe::wire::codepoints::ProtocolVersion;

/// Wire records as printed: (direction arrow, bytes). Wire lines are `    OOOO  xx xx ...`
/// (the first of a record starts `  → ` or `  ← `), continuation lines have ten spaces; the
/// decrypted view is indented further and is not wire bytes.
fn parse(text: &str) -> Vec<(char, Vec<u8>)> {
    let mut recs: Vec<(char, Vec<u8>)> = vec![];
    let col = |l: &[char], from: usize| -> Option<Vec<u8>> {
        let s: String = l.iter().skip(from).take(47).collect();
        let mut out = vec![];
        for t in s.split_whitespace() {
            if t.len() != 2 || !t.chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(t, 16).ok()?);
        }
        Some(out)
    };
    for line in text.lines() {
        let l: Vec<char> = line.chars().collect();
        if l.len() < 12 {
            continue;
        }
        let off_ok = l[4..8].iter().all(|c| c.is_ascii_hexdigit()) && l[8] == ' ' && l[9] == ' ';
        let start = l[0] == ' ' && l[1] == ' ' && (l[2] == '→' || l[2] == '←') && l[3] == ' ';
        if start && off_ok {
            recs.push((l[2], col(&l, 10).expect("record header bytes")));
        } else if (l[..4].iter().all(|c| *c == ' ') && off_ok)
            || (l[..10].iter().all(|c| *c == ' ') && l[10] != ' ')
        {
            if let (Some(r), Some(b)) = (recs.last_mut(), col(&l, 10)) {
                r.1.extend(b);
            }
        }
    }
    recs
}

fn covers(spans: &[Span], buf: &[u8]) {
    let mut pos = 0;
    for s in spans {
        assert_eq!(s.offset, pos, "gap or overlap before {s:?}");
        assert!(!s.bytes.is_empty());
        assert_eq!(&buf[pos..pos + s.bytes.len()], &s.bytes[..], "{s:?}");
        pos += s.bytes.len();
    }
    assert_eq!(pos, buf.len(), "bytes left unlabelled");
}

fn check(versions: &[ProtocolVersion]) {
    let run = inmem::handshake(versions, true);
    // The spans of every record tile it exactly.
    let mut view = ByteView::new(inmem::NOW);
    for e in &run.client_events {
        if let Event::Record {
            dir,
            content_type,
            raw,
            encrypted,
            plaintext,
            ..
        } = e
        {
            let r = view.record(*dir, raw, *encrypted, *content_type, plaintext.as_deref());
            covers(&r.wire, raw);
            if let (Some(inner), Some(p)) = (&r.inner, plaintext) {
                let all: Vec<u8> = inner.iter().flat_map(|s| s.bytes.clone()).collect();
                covers(inner, &all);
                assert_eq!(
                    &all[..p.len()],
                    &p[..],
                    "the decrypted view starts with the plaintext"
                );
            }
        }
    }
    // The printed bytes, read back, are the bytes on the wire.
    let text = inmem::render(&run.client_events, 2);
    let recs = parse(&text);
    let sent: Vec<u8> = recs
        .iter()
        .filter(|r| r.0 == '→')
        .flat_map(|r| r.1.clone())
        .collect();
    let received: Vec<u8> = recs
        .iter()
        .filter(|r| r.0 == '←')
        .flat_map(|r| r.1.clone())
        .collect();
    assert_eq!(
        hex::encode(&sent),
        hex::encode(&run.sent),
        "sent bytes differ:\n{text}"
    );
    assert_eq!(
        hex::encode(&received),
        hex::encode(&run.received),
        "received bytes differ:\n{text}"
    );
}

#[test]
fn tls13_bytes_round_trip() {
    check(&[ProtocolVersion::TLS13]);
}

#[test]
fn tls12_bytes_round_trip() {
    check(&[ProtocolVersion::TLS12]);
}

/// One side's lines of demo's trace, without their `client │ ` / `server │ ` marker.
fn side_text(text: &str, side: &str) -> String {
    let marker = format!("{side} │ ");
    text.lines()
        .filter_map(|l| l.strip_prefix(&marker))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The bytes of the records printed with one arrow, in order.
fn bytes_of(recs: &[(char, Vec<u8>)], arrow: char) -> String {
    let b: Vec<u8> = recs
        .iter()
        .filter(|r| r.0 == arrow)
        .flat_map(|r| r.1.clone())
        .collect();
    hex::encode(b)
}

#[test]
fn demo_hex_output_parses_back_into_whole_records() {
    for tls in ["1.2", "1.3"] {
        let out = Command::cargo_bin("tlsprobe")
            .unwrap()
            .args(["demo", "--hex", "--hex", "--color", "never", "--tls", tls])
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stderr);
        let client = parse(&side_text(&text, "client"));
        let server = parse(&side_text(&text, "server"));
        assert!(client.len() >= 8 && server.len() >= 8, "{text}");
        for (_, r) in client.iter().chain(&server) {
            let len = u16::from_be_bytes([r[3], r[4]]) as usize;
            assert_eq!(
                r.len(),
                5 + len,
                "a record's printed bytes match its header"
            );
        }
        assert_eq!(client[0].0, '→', "{text}");
        assert_eq!(
            client[0].1[5], 1,
            "the first record carries the ClientHello"
        );
        // Each side's view of the bytes: what one sent is what the other received.
        assert_eq!(bytes_of(&client, '→'), bytes_of(&server, '←'), "{text}");
        assert_eq!(bytes_of(&server, '→'), bytes_of(&client, '←'), "{text}");
        for side in ["client", "server"] {
            let secret = if tls == "1.3" {
                "client_application_traffic_secret_0"
            } else {
                "master_secret"
            };
            assert!(
                text.contains(&format!("{side} │     key {secret}")),
                "{side}: key schedule shown under --hex:\n{text}"
            );
        }
    }
}

/// TLS 1.2 servers seal a session ticket with a random key and the current time: from the
/// first record that carries a NewSessionTicket, the received bytes and what depends on them
/// are masked (hex-looking words become `#`), so the snapshot stays stable.
fn masked_trace(events: &[Event], hex: u8) -> String {
    let mut volatile = false;
    let mut out = String::new();
    for (e, text) in events.iter().zip(inmem::render_each(events, hex)) {
        volatile |= matches!(e, Event::Record { dir: Dir::In, raw, .. }
            if raw.first() == Some(&22) && raw.get(5) == Some(&4));
        let inbound = matches!(
            e,
            Event::Handshake { dir: Dir::In, .. }
                | Event::Record { dir: Dir::In, .. }
                | Event::Keys(_)
        );
        if !(volatile && inbound) {
            out.push_str(&text);
            continue;
        }
        for w in text.split_inclusive([' ', '\n']) {
            let word = w.trim_end_matches([' ', '\n']);
            if word.len() >= 2 && word.chars().all(|c| c.is_ascii_hexdigit()) {
                out.push_str(&"#".repeat(word.len()));
                out.push_str(&w[word.len()..]);
            } else {
                out.push_str(w);
            }
        }
    }
    out
}

/// The whole byte view (`--hex --hex`: every byte, every label) of a TLS 1.3 handshake, so
/// that any change in what the view shows is seen.
#[test]
fn tls13_full_byte_view_snapshot() {
    let run = inmem::handshake(&[ProtocolVersion::TLS13], true);
    insta::assert_snapshot!("tls13_hex_full", inmem::render(&run.client_events, 2));
}

/// The same for TLS 1.2 (ticket-dependent bytes masked).
#[test]
fn tls12_full_byte_view_snapshot() {
    let run = inmem::handshake(&[ProtocolVersion::TLS12], true);
    insta::assert_snapshot!("tls12_hex_full", masked_trace(&run.client_events, 2));
}
