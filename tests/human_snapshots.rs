//! Snapshot tests (insta) of what users read: the human trace of a deterministic in-memory
//! TLS 1.3 and TLS 1.2 handshake, default and `--hex`, colours off. Review changes with
//! `cargo insta review` or rerun with `INSTA_UPDATE=always` and read the diff.

mod common;
use common::inmem;

use tlsprobe::event::{Dir, Event};
use tlsprobe::wire::codepoints::ProtocolVersion;
use tlsprobe::wire::handshake::HandshakeMessage;

/// TLS 1.2 servers seal a session ticket with a random key and the current time; every byte
/// that depends on it (the ticket, the server's Finished and what follows it from the server)
/// is masked so the snapshot stays stable.
fn render_masked(events: &[Event], hex: u8) -> String {
    let mut volatile = false;
    let mut out = String::new();
    let texts = inmem::render_each(events, hex);
    for (e, text) in events.iter().zip(texts) {
        let starts = match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => {
                matches!(**msg, HandshakeMessage::NewSessionTicket12(_))
            }
            Event::Record {
                dir: Dir::In, raw, ..
            } => raw.first() == Some(&22) && raw.get(5) == Some(&4),
            _ => false,
        };
        volatile |= starts;
        let inbound = matches!(
            e,
            Event::Handshake { dir: Dir::In, .. }
                | Event::Record { dir: Dir::In, .. }
                | Event::Keys(_)
        );
        if volatile && inbound {
            out.push_str(&mask(&text));
        } else {
            out.push_str(&text);
        }
    }
    out
}

fn mask(text: &str) -> String {
    text.split('\n')
        .map(|l| {
            l.split(' ')
                .map(|w| {
                    let hexy = w.len() >= 2 && w.chars().all(|c| c.is_ascii_hexdigit());
                    if hexy {
                        "#".repeat(w.len())
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tls13_default() {
    let run = inmem::handshake(&[ProtocolVersion::TLS13], false);
    let text = inmem::render(&run.client_events, 0);
    let handshake_lines = text
        .lines()
        .take_while(|l| !l.starts_with("= Summary"))
        .count();
    assert!(
        handshake_lines + 3 <= 50,
        "the TLS 1.3 trace should fit one screen:\n{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    insta::assert_snapshot!("tls13_default", text);
}

#[test]
fn tls13_hex() {
    let run = inmem::handshake(&[ProtocolVersion::TLS13], true);
    insta::assert_snapshot!("tls13_hex", inmem::render(&run.client_events, 1));
}

#[test]
fn tls12_default() {
    let run = inmem::handshake(&[ProtocolVersion::TLS12], false);
    insta::assert_snapshot!("tls12_default", render_masked(&run.client_events, 0));
}

#[test]
fn tls12_hex() {
    let run = inmem::handshake(&[ProtocolVersion::TLS12], true);
    insta::assert_snapshot!("tls12_hex", render_masked(&run.client_events, 1));
}

#[test]
fn secrets_only_with_hex() {
    let run = inmem::handshake(&[ProtocolVersion::TLS13], false);
    let text = inmem::render(&run.client_events, 0);
    assert!(text.contains("keys: "), "{text}");
    assert!(!text.contains("HKDF-Extract"), "{text}");
}
