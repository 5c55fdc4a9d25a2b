//! Snapshot tests (insta) of what scripts read: the JSON Lines of a deterministic in-memory
//! TLS 1.3 and TLS 1.2 handshake (records and secrets included, as with `--json --hex`), one
//! line per event exactly as `--json` prints it. Values that depend on the clock (a
//! certificate's days left) or on the TLS 1.2 ticket key are masked, as in
//! tests/human_snapshots.rs.

mod common;
use common::inmem;

use serde_json::Value;
use tlsprobe::event::{Dir, Event};
use tlsprobe::report::json;
use tlsprobe::wire::codepoints::ProtocolVersion;
use tlsprobe::wire::handshake::HandshakeMessage;

/// Certificate fields judged against the real clock (the renderer reads it).
const CLOCK_FIELDS: [&str; 3] = ["days_left", "expired", "not_yet_valid"];

fn mask_clock(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if CLOCK_FIELDS.contains(&k.as_str()) {
                    *x = Value::String("<clock>".into());
                } else {
                    mask_clock(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask_clock),
        _ => {}
    }
}

/// Hex strings become '#'s of the same length (bytes sealed under the random ticket key).
fn mask_hex(v: &mut Value) {
    match v {
        Value::String(s) if s.len() >= 2 && s.chars().all(|c| c.is_ascii_hexdigit()) => {
            *s = "#".repeat(s.len());
        }
        Value::Object(m) => m.values_mut().for_each(mask_hex),
        Value::Array(a) => a.iter_mut().for_each(mask_hex),
        _ => {}
    }
}

/// The JSON Lines of the client's events; from the TLS 1.2 ticket on, what the server sent
/// is masked.
fn json_lines(events: &[Event]) -> String {
    let mut volatile = false;
    let mut out = String::new();
    for e in events {
        volatile |= match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => matches!(**msg, HandshakeMessage::NewSessionTicket12(_)),
            Event::Record {
                dir: Dir::In, raw, ..
            } => raw.first() == Some(&22) && raw.get(5) == Some(&4),
            _ => false,
        };
        let inbound = matches!(
            e,
            Event::Handshake { dir: Dir::In, .. }
                | Event::Record { dir: Dir::In, .. }
                | Event::Keys(_)
        );
        let mut v = json::event(e);
        mask_clock(&mut v);
        if volatile && inbound {
            mask_hex(&mut v);
        }
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn tls13_json() {
    let run = inmem::handshake(&[ProtocolVersion::TLS13], true);
    insta::assert_snapshot!("tls13_json", json_lines(&run.client_events));
}

#[test]
fn tls12_json() {
    let run = inmem::handshake(&[ProtocolVersion::TLS12], true);
    insta::assert_snapshot!("tls12_json", json_lines(&run.client_events));
}
