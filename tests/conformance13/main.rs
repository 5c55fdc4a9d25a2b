//! TLS 1.3 server conformance, mirroring tlsfuzzer's `scripts/test-tls13-*.py`.
//!
//! tlsfuzzer drives a server with scripted clients and checks the exact alert (level and
//! description) before the connection closes. Each test here replays what one of its scripts
//! sends, against the in-memory server, with the scripted-peer helpers of
//! tests/common/scripted: a real client's ClientHello, modified where the script modifies
//! it; a scripted client second flight computed from the server's transcript and revealed
//! secrets (so a modified ClientHello can still complete); records sealed by hand. The
//! script each test follows is named in its doc comment. Closing the TCP connection after
//! the alert is checked end to end in `tests/conformance_listen13.rs`.
//!
//! - `steps`: what the scripts share (the flight, the scripted Finished, the alert checks);
//! - `hellos`: ClientHellos refused or accepted;
//! - `records`: records and messages around and after the client's Finished;
//! - `early_data`: declined 0-RTT data skipped;
//! - `signatures`: CertificateVerify schemes both ways;
//! - `handshakes`: the happy paths.

#[path = "../common/mod.rs"]
mod common;

mod steps;

mod early_data;
mod handshakes;
mod hellos;
mod records;
mod signatures;
