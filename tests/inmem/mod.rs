//! Shared by the snapshot and byte-view tests: a deterministic in-memory handshake between
//! tlsprobe's own client and server (seeded randomness, a fixed certificate and key, a fixed
//! clock), reachable only from tests.

#![allow(dead_code)]

use std::sync::Arc;

use tlsprobe::commands::output::ServerVerifier;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::crypto::sign::SigningKey;
use tlsprobe::event::Event;
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::handshake::Connection;
use tlsprobe::pki::trust::TrustStore;
use tlsprobe::report::human::Human;
use tlsprobe::wire::codepoints::ProtocolVersion;

/// A self-signed P-256 certificate for localhost and 127.0.0.1, valid 2026-2126.
pub const CERT_PEM: &str = include_str!("../data/localhost.crt");
pub const KEY_PEM: &str = include_str!("../data/localhost.key");
/// The fixed "now" the renderer judges validity against: 2030-01-01 00:00:00 UTC.
pub const NOW: i64 = 1_893_456_000;

/// What the client saw and what crossed the wire, in each direction.
pub struct Run {
    pub client_events: Vec<Event>,
    /// Bytes the client sent.
    pub sent: Vec<u8>,
    /// Bytes the client received.
    pub received: Vec<u8>,
}

/// One full handshake, a request and its answer, and a clean close, all in memory.
pub fn handshake(versions: &[ProtocolVersion], log_records: bool) -> Run {
    let chain = tlsprobe::pki::pem::parse_cert_chain_pem(CERT_PEM).unwrap();
    let key = SigningKey::from_pem(KEY_PEM).unwrap();
    let mut sc = ServerConfig::new(CertifiedKey {
        chain: chain.clone(),
        key: Arc::new(key),
    });
    sc.versions = versions.to_vec();
    sc.tickets = 0;
    let store = TrustStore::from_der_certs(&chain).unwrap();
    let cc = ClientConfig {
        versions: versions.to_vec(),
        sni: Some("localhost".into()),
        reveal_secrets: log_records,
        verifier: Some(Arc::new(ServerVerifier {
            store: Arc::new(store),
            host: "localhost".into(),
        })),
        ..ClientConfig::default()
    };
    let mut c = Connection::client(cc, seeded_rng(1)).unwrap();
    c.set_log_records(log_records);
    let mut s = Connection::server(Arc::new(sc), seeded_rng(2));
    let mut run = Run {
        client_events: vec![],
        sent: vec![],
        received: vec![],
    };
    let step = |c: &mut Connection, s: &mut Connection, run: &mut Run| {
        for _ in 0..20 {
            let a = c.take_output();
            let b = s.take_output();
            if a.is_empty() && b.is_empty() {
                break;
            }
            run.sent.extend_from_slice(&a);
            run.received.extend_from_slice(&b);
            if !a.is_empty() {
                s.feed(&a).unwrap();
            }
            if !b.is_empty() {
                c.feed(&b).unwrap();
            }
            while s.next_event().is_some() {}
        }
        while let Some(e) = c.next_event() {
            run.client_events.push(e);
        }
    };
    step(&mut c, &mut s, &mut run);
    assert!(c.is_established(), "{:#?}", run.client_events);
    c.send_data(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    step(&mut c, &mut s, &mut run);
    s.send_data(b"HTTP/1.0 200 OK\r\n\r\nhello\n").unwrap();
    s.close();
    step(&mut c, &mut s, &mut run);
    c.close();
    step(&mut c, &mut s, &mut run);
    run
}

/// The human trace of the client's events, colours off, with a fixed clock.
pub fn render(events: &[Event], hex: u8) -> String {
    render_each(events, hex).concat()
}

/// The text each event adds to the trace (one renderer for the whole run).
pub fn render_each(events: &[Event], hex: u8) -> Vec<String> {
    colored::control::set_override(false);
    let mut h = Human::new(false, hex > 0, hex);
    h.now = Some(NOW);
    let mut out: Vec<String> = events
        .iter()
        .map(|e| h.render(e).iter().map(|l| format!("{l}\n")).collect())
        .collect();
    out.push(h.flush().iter().map(|l| format!("{l}\n")).collect());
    out
}
