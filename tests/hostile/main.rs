//! Hostile peers: our client and server state machines driven with crafted bytes, in memory.
//!
//! Each flight is produced by a real in-memory peer (`tlsprobe::inmem::Pair`) and then
//! tampered with in flight (records decrypted with the keys the peer reports when secrets
//! are revealed, modified, and sealed again), or encoded by hand with the codec; what a peer
//! says in the other's place after the handshake is sealed with that peer's revealed keys.
//! Every case asserts the exact alert we send (the `Event::Alert { dir: Out }` and the bytes
//! of `take_output`), the error returned, and that the connection accepts nothing more
//! afterwards (RFC 8446 §6, RFC 5246 §7.2). The scripted-peer helpers are in
//! tests/common/scripted.
//!
//! - `tls12_client`, `tls13_client`: a hostile server in front of our client;
//! - `client13_hello`, `client13_flight`, `client12_rules`: every client-side MUST of RFC
//!   8446 and RFC 5246 (and RFC 5746, 7627, 7366, 8422) that names an alert, one test each
//!   (the table in docs/CONFORMANCE.md), with their shared steps in `client_steps`;
//! - `server`: a hostile client in front of our server;
//! - `framing`: handshakes split, packed and fed byte by byte, unknown record types;
//! - `record_boundary`: messages that precede a key change followed by more handshake data
//!   in their record (RFC 8446 §5.1), both roles, TLS 1.3 and 1.2;
//! - `post_auth`: TLS 1.3 post-handshake client authentication spoiled, both roles;
//! - `fast_kx`: the server with ring's key exchange (`ServerConfig::fast_kx`);
//! - `kem_shares`: ML-KEM and hybrid key shares spoiled (lengths, the ECDHE half, the
//!   encapsulation key's modulus check), both roles;
//! - `early_data`: 0-RTT replayed, past max_early_data_size, to a server without it;
//! - `alloc`: the largest allocation a step makes (for refusals that must not allocate).

#[path = "../common/mod.rs"]
mod common;

mod alloc;
mod client12_rules;
mod client13_flight;
mod client13_hello;
mod client_steps;
mod early_data;
mod fast_kx;
mod framing;
mod kem_shares;
mod post_auth;
mod psk;
mod record_boundary;
mod server;
mod tls12_client;
mod tls13_client;

#[global_allocator]
static ALLOCATOR: alloc::PeakAlloc = alloc::PeakAlloc;
