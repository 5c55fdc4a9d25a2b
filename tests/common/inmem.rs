//! The snapshot and byte-view tests' handshake: `tlsprobe::inmem::Pair` made deterministic
//! (seeded randomness, the fixed certificate and key in tests/data, a fixed clock for the
//! renderer), and the human trace of the client's events.

use std::sync::Arc;

use tlsprobe::commands::output::ServerVerifier;
use tlsprobe::event::Event;
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::inmem::{Pair, Side};
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

/// Pumps until quiet; neither side may refuse anything.
fn exchange(p: &mut Pair) {
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
}

/// One full handshake, a request and its answer, and a clean close, all in memory.
pub fn handshake(versions: &[ProtocolVersion], log_records: bool) -> Run {
    let chain = tlsprobe::pki::pem::parse_cert_chain_pem(CERT_PEM).unwrap();
    let key = tlsprobe::crypto::sign::SigningKey::from_pem(KEY_PEM).unwrap();
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
    let mut p = Pair::seeded(cc, Arc::new(sc), 1).unwrap();
    p.client.set_log_records(log_records);
    exchange(&mut p);
    assert!(p.client.is_established(), "{:#?}", p.client_events);
    p.client.send_data(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    exchange(&mut p);
    p.server
        .send_data(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
        .unwrap();
    p.server.close();
    exchange(&mut p);
    p.client.close();
    exchange(&mut p);
    // The driver ends every connection with `closed`, made from the events before it.
    let mut tracker = tlsprobe::event::CloseTracker::default();
    p.client_events.iter().for_each(|e| tracker.observe(e));
    let closed = Event::Closed(Box::new(tracker.closed("server")));
    p.client_events.push(closed);
    Run {
        sent: p.sent_by(Side::Client),
        received: p.sent_by(Side::Server),
        client_events: p.client_events,
    }
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
