//! The in-memory pair the scripted suites start from (`tlsprobe::inmem::Pair`, seeded):
//! client configurations narrowed to one version and suite with secrets revealed, a server
//! on one P-256 key shared by the whole test binary, a client resuming with a ticket, and
//! the single steps a scripted peer takes (`Scripted`), each answer split into records.

use std::sync::{Arc, OnceLock};

use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::inmem::{self, Pair, Side};
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion};
use tlsprobe::wire::suites::CipherSuite;

use super::records::{client_hello, parse, server_hello, Rec};
use super::sealer::{sealer, Sealer};

/// A TLS 1.2 client offering ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 only, secrets revealed.
pub fn cc12() -> ClientConfig {
    ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0xc02b)],
        reveal_secrets: true,
        ..ClientConfig::default()
    }
}

/// A TLS 1.3 client offering TLS_AES_128_GCM_SHA256 only, secrets revealed.
pub fn cc13() -> ClientConfig {
    ClientConfig {
        versions: vec![ProtocolVersion::TLS13],
        suites: vec![CipherSuite(0x1301)],
        reveal_secrets: true,
        ..ClientConfig::default()
    }
}

/// `cc` offering exactly `groups`.
pub fn with_groups(mut cc: ClientConfig, groups: &[NamedGroup]) -> ClientConfig {
    cc.groups = groups.to_vec();
    cc
}

/// The servers' P-256 key and self-signed certificate for localhost, made once per test
/// binary (a scripted peer signs with it too).
pub fn server_key() -> CertifiedKey {
    static KEY: OnceLock<CertifiedKey> = OnceLock::new();
    KEY.get_or_init(|| inmem::self_signed("localhost")).clone()
}

/// The RSA 2048 test key of `crypto::sign` with a self-signed certificate for localhost.
pub fn rsa_key() -> CertifiedKey {
    inmem::self_signed_with_key(
        "localhost",
        include_str!("../../../src/crypto/testdata/rsa.pem"),
    )
}

/// A client on `cc` and a server on `server_key()` with secrets revealed, seeds 11 and 12.
pub fn peers(cc: ClientConfig) -> Pair {
    peers_with(cc, |_| {})
}

/// As `peers`, with the server configuration changed by `f` first.
pub fn peers_with(cc: ClientConfig, f: impl FnOnce(&mut ServerConfig)) -> Pair {
    let mut sc = ServerConfig::new(server_key());
    sc.reveal_secrets = true;
    f(&mut sc);
    Pair::seeded(cc, Arc::new(sc), 11).unwrap()
}

/// A TLS 1.3 client resuming with a ticket from a first connection (seeds 21 and 22) to the
/// same server configuration; nothing of the second connection (seeds 23 and 24) is sent yet.
pub fn resuming_peers() -> Pair {
    let mut sc = ServerConfig::new(server_key());
    sc.reveal_secrets = true;
    let sc = Arc::new(sc);
    let mut first = Pair::seeded(cc13(), sc.clone(), 21).unwrap();
    first.pump();
    let sess = first.client.session().expect("a ticket");
    let cc = ClientConfig {
        resume: Some(sess),
        ..cc13()
    };
    Pair::seeded(cc, sc, 23).unwrap()
}

/// A TLS 1.3 pair whose server wants P-384 while the client sends X25519MLKEM768 and X25519
/// shares (the default offer),
/// and the server's first flight, a HelloRetryRequest (RFC 8446 §4.1.4).
pub fn hrr_peers() -> (Pair, Vec<Rec>) {
    let mut p = peers_with(cc13(), |s| s.groups = vec![NamedGroup::SECP384R1]);
    let recs = p.first_flight();
    assert!(server_hello(&recs[0]).is_hello_retry_request());
    (p, recs)
}

/// The steps of a scripted exchange over `Pair::deliver`, answers split into records.
pub trait Scripted {
    /// Feeds `bytes` (the client's) to the server, which must accept them; its answer.
    fn to_server(&mut self, bytes: &[u8]) -> Vec<Rec>;
    /// Feeds `bytes` (the server's) to the client, which must accept them; its answer.
    fn to_client(&mut self, bytes: &[u8]) -> Vec<Rec>;
    /// The server's first flight in answer to the client's first ClientHello.
    fn first_flight(&mut self) -> Vec<Rec>;
    /// Runs the rest of the handshake untouched; both sides must complete it.
    fn complete(&mut self);
    /// The random of the first ClientHello the server received.
    fn client_random(&self) -> [u8; 32];
    /// The keys `side` writes with (`prefix` as for `sealer`), numbered past every record it
    /// sent that was delivered: for a scripted peer to speak in its place.
    fn writer(&self, side: Side, suite: u16, prefix: &str) -> Sealer;
}

impl Scripted for Pair {
    fn to_server(&mut self, bytes: &[u8]) -> Vec<Rec> {
        parse(&self.deliver(Side::Server, bytes).unwrap())
    }

    fn to_client(&mut self, bytes: &[u8]) -> Vec<Rec> {
        parse(&self.deliver(Side::Client, bytes).unwrap())
    }

    fn first_flight(&mut self) -> Vec<Rec> {
        let ch = self.take(Side::Client);
        self.to_server(&ch)
    }

    fn complete(&mut self) {
        self.pump();
        assert!(self.established(), "{:?}", self.errors);
    }

    fn client_random(&self) -> [u8; 32] {
        let first = self.flights.iter().find(|f| f.from == Side::Client);
        client_hello(&first.expect("a ClientHello was delivered").bytes).random
    }

    fn writer(&self, side: Side, suite: u16, prefix: &str) -> Sealer {
        let mut keys = sealer(self.events(side), suite, prefix);
        keys.catch_up(&self.sent_by(side));
        keys
    }
}
