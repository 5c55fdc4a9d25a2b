//! TLS 1.2 server conformance, mirroring the expectations of tlsfuzzer's TLS 1.2 scripts
//! (`scripts/test-*.py` of github.com/tlsfuzzer/tlsfuzzer; the script each test follows is
//! named in its doc comment). Nothing of tlsfuzzer is used: a small scripted client
//! (`script`) builds every ClientHello byte by byte (`hello`, often with no extensions at
//! all, as tlsfuzzer's `ClientHelloGenerator` does), derives the TLS 1.2 keys itself
//! (RFC 5246 §8.1, §6.3, RFC 7627 §4) and seals its records, so the server is checked
//! against an independent peer.
//!
//! What tlsfuzzer checks, and so what each case asserts: the exact alert (level fatal,
//! description) sent in answer, that it is the only thing sent, and that the connection then
//! refuses everything (listen closes the TCP connection: tests/conformance_listen12.rs), or
//! that the handshake completes, answers application data and exchanges close_notify.
//!
//! - `handshakes`: complete handshakes, from minimal hellos to real clients' ones;
//! - `extensions`: ALPN, heartbeat, server_name, signature_algorithms, OCSP, encrypt_then_mac;
//! - `refused_hellos`: ClientHellos refused, with the alert for each;
//! - `second_flight`: the client's second flight refused;
//! - `client_auth`: the client's Certificate and CertificateVerify;
//! - `established`: records and messages after the handshake;
//! - `resumption`: session-id and ticket resumption.

#[path = "../common/mod.rs"]
mod common;

mod hello;
mod script;

mod client_auth;
mod established;
mod extensions;
mod handshakes;
mod refused_hellos;
mod resumption;
mod second_flight;
