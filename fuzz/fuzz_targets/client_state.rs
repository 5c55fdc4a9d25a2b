//! The client state machine from the start: a fresh client `Connection` (library defaults,
//! fixed randomness) has its ClientHello taken, then is fed arbitrary server bytes in
//! arbitrary chunks. Without a fuzzing crypto mode, input reaches the states up to key
//! exchange (ServerHello, HelloRetryRequest, TLS 1.2 Certificate/ServerKeyExchange/
//! ServerHelloDone parsing, alerts, CCS); see fuzz/README.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::handshake::Connection;
use tlsprobe_fuzz::{chunks, client_config};

fuzz_target!(|data: &[u8]| {
    let (size, bytes) = chunks(data);
    let mut conn = Connection::client(client_config(), seeded_rng(1)).expect("client");
    let _ = conn.take_output();
    for c in bytes.chunks(size) {
        let r = conn.feed(c);
        let _ = conn.take_output();
        while conn.next_event().is_some() {}
        if r.is_err() {
            // A failed connection refuses everything after.
            assert!(conn.is_failed());
            assert!(conn.feed(b"\x15\x03\x03\x00\x02\x02\x28").is_err());
            break;
        }
    }
});
