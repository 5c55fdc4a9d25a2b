//! The sinks behind `report::sink::Sink`: the fan-out hands each event to each sink in
//! order and stops at the first error; the key log sink writes one NSS line per secret that
//! has a key-log label, keyed by the ClientHello's random, from the events of an in-memory
//! handshake (TLS 1.3 and 1.2), into a file two connections share.

use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::sync::Arc;

use tlsprobe::event::Event;
use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::inmem::{self_signed, Pair};
use tlsprobe::report::keylog::{KeyLog, KeyLogSink};
use tlsprobe::report::sink::{Sink, Sinks};
use tlsprobe::wire::codepoints::ProtocolVersion;
use tlsprobe::wire::handshake::HandshakeMessage;

#[test]
fn fan_out_in_order_until_an_error() {
    let log = Rc::new(RefCell::new(vec![]));
    let mut sinks = Sinks::new();
    for (name, fails) in [("a", false), ("b", true), ("c", false)] {
        let log = log.clone();
        sinks.push(move |_: &Event| {
            log.borrow_mut().push(name);
            if fails {
                Err(io::ErrorKind::BrokenPipe.into())
            } else {
                Ok(())
            }
        });
    }
    let e = Event::Info(tlsprobe::event::Info::Reconnecting);
    let err = sinks.event(&e).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    assert_eq!(*log.borrow(), ["a", "b"], "c comes after the failing b");
    assert!(Sinks::new().event(&e).is_ok(), "no sink, nothing shown");
}

/// The client's events of a completed in-memory handshake that reveals its secrets.
fn client_events(version: ProtocolVersion, seed: u64) -> Vec<Event> {
    let mut sc = ServerConfig::new(self_signed("localhost"));
    sc.versions = vec![version];
    let cc = ClientConfig {
        versions: vec![version],
        reveal_secrets: true,
        ..ClientConfig::default()
    };
    let mut p = Pair::seeded(cc, Arc::new(sc), seed).unwrap();
    p.pump();
    assert!(p.established(), "{:?}", p.errors);
    p.client_events
}

/// The key-log lines the events call for: label, client random, secret.
fn expected_lines(events: &[Event]) -> Vec<String> {
    let random = events
        .iter()
        .find_map(|e| match e {
            Event::Handshake { msg, .. } => match &**msg {
                HandshakeMessage::ClientHello(ch) => Some(hex::encode(ch.random)),
                _ => None,
            },
            _ => None,
        })
        .expect("a ClientHello");
    events
        .iter()
        .filter_map(|e| match e {
            Event::Keys(k) => Some(format!(
                "{} {random} {}",
                k.keylog_label?,
                hex::encode(k.secret.as_ref()?)
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn key_log_lines_for_each_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.log");
    let log = KeyLog::open(&path).unwrap();
    let mut expected = vec![];
    for (version, labels) in [(ProtocolVersion::TLS13, 5), (ProtocolVersion::TLS12, 1)] {
        let events = client_events(version, 3);
        let mut sink = KeyLogSink::new(log.clone());
        for e in &events {
            sink.event(e).unwrap();
        }
        let lines = expected_lines(&events);
        assert_eq!(lines.len(), labels, "{version}: {lines:?}");
        expected.extend(lines);
    }
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written.lines().collect::<Vec<_>>(), expected);
}
