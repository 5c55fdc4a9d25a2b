//! In-memory client/server handshakes: our client and our server driven against each other
//! with `tlsprobe::inmem::Pair` (seeded, so every run is the same), and what each side
//! reports checked.
//!
//! - `complete`: TLS 1.3 and 1.2 handshakes, data, KeyUpdate, resumption, HelloRetryRequest,
//!   client certificates;
//! - `legacy`: the TLS 1.0-1.2 CBC and DHE suites in every version, version negotiation and
//!   the downgrade sentinels, CBC records tampered with;
//! - `dhe`: the client's checks of the server's finite-field DHE parameters, the server's
//!   group choice;
//! - `certificates`: a second server certificate for the clients the first does not suit;
//! - `post_auth`: TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2).

#[path = "../common/mod.rs"]
mod common;

mod certificates;
mod complete;
mod dhe;
mod legacy;
mod post_auth;

use std::sync::Arc;

use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event, Summary};
use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::inmem::{self, Pair};
use tlsprobe::wire::codepoints::ProtocolVersion;

/// A client on `cc` and a server on `sc` (seeds 1 and 2), pumped until quiet.
pub fn handshake(cc: ClientConfig, sc: Arc<ServerConfig>) -> Pair {
    let mut p = Pair::seeded(cc, sc, 1).unwrap();
    p.pump();
    p
}

/// The last summary among `ev`.
pub fn summary(ev: &[Event]) -> Summary {
    ev.iter()
        .rev()
        .find_map(|e| match e {
            Event::Summary(s) => Some((**s).clone()),
            _ => None,
        })
        .expect("a summary")
}

/// The names of the handshake messages going `dir`, in order.
pub fn names(ev: &[Event], dir: Dir) -> Vec<String> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Handshake { dir: d, msg, .. } if *d == dir => Some(msg.name()),
            _ => None,
        })
        .collect()
}

/// The first alert among `ev` reported as sent.
pub fn alert_sent(ev: &[Event]) -> Option<Alert> {
    ev.iter().find_map(|e| match e {
        Event::Alert {
            dir: Dir::Out,
            description,
            ..
        } => Some(*description),
        _ => None,
    })
}

/// A server with a fresh P-256 certificate for localhost, default configuration.
pub fn server() -> ServerConfig {
    ServerConfig::new(inmem::self_signed("localhost"))
}

/// An RSA 2048 server (for the RSA and DHE_RSA suites); the test key from `crypto::sign`.
pub fn rsa_server() -> ServerConfig {
    ServerConfig::new(common::scripted::rsa_key())
}

/// TLS 1.0 to 1.3.
pub fn all_versions() -> Vec<ProtocolVersion> {
    vec![
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS12,
        ProtocolVersion::TLS13,
    ]
}
