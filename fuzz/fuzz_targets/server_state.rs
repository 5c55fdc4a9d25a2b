//! The server state machine from the start: a fresh server `Connection` (P-256 self-signed
//! certificate, library defaults, fixed randomness) fed arbitrary client bytes in arbitrary
//! chunks. Without a fuzzing crypto mode, input reaches ClientHello processing, the
//! HelloRetryRequest path, the TLS 1.2 ClientKeyExchange and the plaintext alerts and CCS; see
//! fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::handshake::Connection;
use tlsprobe_fuzz::{chunks, server_config};

fuzz_target!(|data: &[u8]| {
    let (size, bytes) = chunks(data);
    let mut conn = Connection::server(server_config(), seeded_rng(2));
    for c in bytes.chunks(size) {
        let r = conn.feed(c);
        let _ = conn.take_output();
        while conn.next_event().is_some() {}
        if r.is_err() {
            assert!(conn.is_failed());
            break;
        }
    }
});
