//! The record deframer: arbitrary bytes, split into arbitrary chunks, pushed into a fresh
//! `RecordLayer` (no keys: plaintext records of any type and version, lengths up to 2^16-1),
//! and the same bytes fed to a fresh server `Connection`, whose first step is the deframer.
//! Nothing may panic; the layer must never hold more than the input it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::handshake::record_layer::RecordLayer;
use tlsprobe::handshake::Connection;
use tlsprobe_fuzz::{chunks, server_config};

fuzz_target!(|data: &[u8]| {
    let (size, bytes) = chunks(data);
    let mut rl = RecordLayer::new();
    let mut fed = 0;
    'outer: for c in bytes.chunks(size) {
        rl.push_input(c);
        fed += c.len();
        assert!(rl.pending_input() <= fed);
        // Every record holds at least a 5-byte header: this bounds the loop.
        for _ in 0..=bytes.len() / 5 + 1 {
            match rl.next_record() {
                Ok(Some(rec)) => assert!(rec.data.len() <= 16384 + 2048),
                Ok(None) => break,
                Err(_) => break 'outer,
            }
        }
    }

    let mut conn = Connection::server(server_config(), seeded_rng(0));
    for c in bytes.chunks(size) {
        if conn.feed(c).is_err() {
            break;
        }
    }
    let _ = conn.take_output();
    while conn.next_event().is_some() {}
});
