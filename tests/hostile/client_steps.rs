//! The steps the client-role suites (`client13_hello`, `client13_flight`, `client12_rules`)
//! share: client configurations, pairs that retry or resume, a changed ServerHello fed to
//! our client, a TLS 1.3 server flight edited message by message, and server randoms with a
//! downgrade sentinel (RFC 8446 §4.1.3).

use std::sync::Arc;

use tlsprobe::error::TlsError;
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::inmem::Pair;
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion};
use tlsprobe::wire::handshake::{HandshakeMessage as HM, ServerHello};
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::*;

/// A client offering TLS 1.2 and TLS 1.3 (TLS_AES_128_GCM_SHA256 and
/// ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), secrets revealed.
pub fn cc_both() -> ClientConfig {
    ClientConfig {
        versions: vec![ProtocolVersion::TLS12, ProtocolVersion::TLS13],
        suites: vec![CipherSuite(0x1301), CipherSuite(0xc02b)],
        ..cc13()
    }
}

/// `cc` offering exactly `suites`.
pub fn with_suites(mut cc: ClientConfig, suites: &[u16]) -> ClientConfig {
    cc.suites = suites.iter().map(|s| CipherSuite(*s)).collect();
    cc
}

/// `cc` offering exactly `versions`.
pub fn with_versions(mut cc: ClientConfig, versions: &[ProtocolVersion]) -> ClientConfig {
    cc.versions = versions.to_vec();
    cc
}

/// A server on `server_key()` that speaks only TLS 1.2, facing a client on `cc`.
pub fn tls12_server_peers(cc: ClientConfig) -> Pair {
    peers_with(cc, |s| s.versions = vec![ProtocolVersion::TLS12])
}

/// Feeds `sh` to the client in a plaintext record.
pub fn feed_server_hello(p: &mut Pair, sh: ServerHello) -> Result<(), TlsError> {
    p.client
        .feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes())
}

/// The server's first ServerHello (or HelloRetryRequest), decoded; the rest of its flight
/// is dropped.
pub fn first_server_hello(p: &mut Pair) -> ServerHello {
    server_hello(&p.first_flight()[0])
}

/// `random` with its last 8 bytes replaced by `tail` (a downgrade sentinel).
pub fn with_tail(mut random: [u8; 32], tail: &[u8; 8]) -> [u8; 32] {
    random[24..].copy_from_slice(tail);
    random
}

/// As `hrr_peers`, for a client on `cc` (whose first key share must not be P-384): the
/// server wants P-384 and answers with a HelloRetryRequest (RFC 8446 §4.1.4).
pub fn hrr_pair(cc: ClientConfig) -> (Pair, Vec<Rec>) {
    let mut p = peers_with(cc, |s| s.groups = vec![NamedGroup::SECP384R1]);
    let recs = p.first_flight();
    assert!(server_hello(&recs[0]).is_hello_retry_request());
    (p, recs)
}

/// After a HelloRetryRequest: the client's second ClientHello goes to the server, and the
/// server's ServerHello (the first record of its answer) is returned, decoded.
pub fn server_hello_after_retry(p: &mut Pair, hrr: &[Rec]) -> ServerHello {
    let ch2 = p.to_client(&join(hrr));
    let recs = p.to_server(&join(&ch2));
    let sh = server_hello(&recs[0]);
    assert!(!sh.is_hello_retry_request());
    sh
}

/// A client on `cc` that resumes (a ticket in TLS 1.3, a session id or ticket in TLS 1.2)
/// the session of a first, completed connection (seeds 31 and 32) to the same server
/// configuration; `edit` may change the session first. Nothing of the second connection
/// (seeds 33 and 34) is sent yet.
pub fn resuming_pair(
    cc: ClientConfig,
    edit: impl FnOnce(&mut tlsprobe::handshake::ClientSession),
) -> Pair {
    let mut sc = ServerConfig::new(server_key());
    sc.reveal_secrets = true;
    let sc = Arc::new(sc);
    let mut first = Pair::seeded(cc.clone(), sc.clone(), 31).unwrap();
    first.complete();
    let mut sess = first.client.session().expect("a resumable session");
    edit(&mut sess);
    let cc = ClientConfig {
        resume: Some(sess),
        ..cc
    };
    Pair::seeded(cc, sc, 33).unwrap()
}

/// The TLS 1.3 server flight opened, changed by `edit`, sealed again and fed to the
/// client.
pub fn edited_flight13(p: &mut Pair, edit: impl FnOnce(&mut Items)) -> Result<(), TlsError> {
    let (mut items, mut keys) = flight13(p);
    edit(&mut items);
    let bytes = seal_flight13(&items, &mut keys);
    p.client.feed(&bytes)
}

/// The server's events up to (not including) the first handshake message of type `hs` it
/// sent: for transcript hashes a scripted server signs or MACs in its place.
pub fn server_events_before(p: &Pair, hs: u8) -> &[Event] {
    let end = p
        .server_events
        .iter()
        .position(|e| {
            matches!(e, Event::Handshake { dir: Dir::Out, raw, .. } if raw.first() == Some(&hs))
        })
        .expect("the server sent that message");
    &p.server_events[..end]
}
