//! In-memory client/server pair, for tests, benches and fuzzing (the binary does not use it):
//! tlsprobe's own client and server `Connection`s wired back to back with no socket, keeping
//! both sides' events, every flight that crossed, and every error a side returned.
//!
//! The pump works in rounds. In one round both sides' pending output is taken first, then
//! each flight is (optionally) tampered with and delivered to the other side, then both
//! sides' events are collected, client first. `pump` repeats rounds until neither side has
//! anything to send, at most [`MAX_ROUNDS`] times, so a pair that never goes quiet cannot
//! hang a test. Because the order is fixed and the randomness is seeded ([`Pair::seeded`]),
//! a run is byte-for-byte repeatable.
//!
//! [`Pair::pump_in_pieces`] feeds every flight in small pieces (byte by byte with 1), as a
//! network may hand it over. For finer steps (a hostile peer that rewrites one flight), take
//! a side's output with [`Pair::take`] and hand it, changed or not, to the other side with
//! [`Pair::deliver`].

use std::sync::Arc;

use crate::crypto::rng::seeded_rng;
use crate::crypto::sign::SigningKey;
use crate::error::TlsError;
use crate::event::Event;
use crate::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use crate::handshake::Connection;

/// Rounds `pump` runs at most: far more than any handshake, resumption, KeyUpdate and
/// close exchange needs (each round moves every pending byte both ways).
pub const MAX_ROUNDS: usize = 50;

/// One end of the pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    /// The other end.
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
}

/// Bytes one side sent in one go, as the other side received them (after any tampering).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flight {
    pub from: Side,
    pub bytes: Vec<u8>,
}

/// A client and a server talking in memory, with everything they said and reported.
pub struct Pair {
    pub client: Connection,
    pub server: Connection,
    /// The client's events, in order.
    pub client_events: Vec<Event>,
    /// The server's events, in order.
    pub server_events: Vec<Event>,
    /// Every flight delivered, in order.
    pub flights: Vec<Flight>,
    /// The errors `feed` returned while pumping, with the side that returned them (the pump
    /// carries on so that the alert the side queued is delivered too).
    pub errors: Vec<(Side, TlsError)>,
}

impl Pair {
    /// A pair from two connections built by the caller.
    pub fn new(client: Connection, server: Connection) -> Pair {
        Pair {
            client,
            server,
            client_events: vec![],
            server_events: vec![],
            flights: vec![],
            errors: vec![],
        }
    }

    /// A client on `cc` with `seeded_rng(seed)` and a server on `sc` with
    /// `seeded_rng(seed + 1)`; nothing is exchanged yet.
    pub fn seeded(cc: ClientConfig, sc: Arc<ServerConfig>, seed: u64) -> Result<Pair, TlsError> {
        let client = Connection::client(cc, seeded_rng(seed))?;
        let server = Connection::server(sc, seeded_rng(seed.wrapping_add(1)));
        Ok(Pair::new(client, server))
    }

    /// The connection of `side`.
    pub fn conn(&mut self, side: Side) -> &mut Connection {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }

    /// The events of `side` collected so far.
    pub fn events(&self, side: Side) -> &[Event] {
        match side {
            Side::Client => &self.client_events,
            Side::Server => &self.server_events,
        }
    }

    /// Both sides finished their handshake.
    pub fn established(&self) -> bool {
        self.client.is_established() && self.server.is_established()
    }

    /// One round: both sides' output, each flight delivered to the other side, events
    /// collected. False when neither side had anything to send.
    pub fn round(&mut self) -> bool {
        self.round_tampered(&mut |_, _| {})
    }

    /// As `round`, with `tamper` called on each flight (and the side that sent it) before
    /// it is delivered.
    pub fn round_tampered(&mut self, tamper: &mut dyn FnMut(Side, &mut Vec<u8>)) -> bool {
        self.round_in_pieces(tamper, usize::MAX)
    }

    /// As `round_tampered`, each flight fed to the receiver in pieces of at most `piece`
    /// bytes (a `feed` per piece; the first refused piece ends that delivery).
    fn round_in_pieces(
        &mut self,
        tamper: &mut dyn FnMut(Side, &mut Vec<u8>),
        piece: usize,
    ) -> bool {
        let to_server = self.client.take_output();
        let to_client = self.server.take_output();
        if to_server.is_empty() && to_client.is_empty() {
            return false;
        }
        for (from, mut bytes) in [(Side::Client, to_server), (Side::Server, to_client)] {
            if bytes.is_empty() {
                continue;
            }
            tamper(from, &mut bytes);
            let receiver = self.conn(from.peer());
            if let Some(e) = bytes.chunks(piece).find_map(|p| receiver.feed(p).err()) {
                self.errors.push((from.peer(), e));
            }
            self.flights.push(Flight { from, bytes });
        }
        self.collect_events();
        true
    }

    /// Rounds until neither side has anything to send (at most `MAX_ROUNDS`); returns the
    /// number of rounds that moved bytes.
    pub fn pump(&mut self) -> usize {
        self.pump_tampered(|_, _| {})
    }

    /// As `pump`, with every flight passed through `tamper` before it is delivered.
    pub fn pump_tampered(&mut self, mut tamper: impl FnMut(Side, &mut Vec<u8>)) -> usize {
        let mut rounds = 0;
        while rounds < MAX_ROUNDS && self.round_tampered(&mut tamper) {
            rounds += 1;
        }
        rounds
    }

    /// As `pump`, with every flight fed to the receiver in pieces of at most `piece` bytes
    /// (1: byte by byte), as a network may hand it over.
    pub fn pump_in_pieces(&mut self, piece: usize) -> usize {
        let mut rounds = 0;
        while rounds < MAX_ROUNDS && self.round_in_pieces(&mut |_, _| {}, piece) {
            rounds += 1;
        }
        rounds
    }

    /// What `side` has queued for sending, taken (not delivered, not recorded).
    pub fn take(&mut self, side: Side) -> Vec<u8> {
        self.conn(side).take_output()
    }

    /// Feeds `bytes` to `to` as if its peer had sent them (recorded as a flight), collects
    /// the events, and returns what `to` queued in answer, or the error `feed` returned (the
    /// answer, such as an alert, then stays queued for `take`).
    pub fn deliver(&mut self, to: Side, bytes: &[u8]) -> Result<Vec<u8>, TlsError> {
        let r = self.conn(to).feed(bytes);
        self.flights.push(Flight {
            from: to.peer(),
            bytes: bytes.to_vec(),
        });
        self.collect_events();
        r?;
        Ok(self.take(to))
    }

    /// Moves both sides' pending events into `client_events` and `server_events`.
    pub fn collect_events(&mut self) {
        while let Some(e) = self.client.next_event() {
            self.client_events.push(e);
        }
        while let Some(e) = self.server.next_event() {
            self.server_events.push(e);
        }
    }

    /// Everything `side` sent, concatenated in order.
    pub fn sent_by(&self, side: Side) -> Vec<u8> {
        self.flights
            .iter()
            .filter(|f| f.from == side)
            .flat_map(|f| f.bytes.iter().copied())
            .collect()
    }
}

/// A fresh P-256 key with a self-signed certificate for `name`.
pub fn self_signed(name: &str) -> CertifiedKey {
    let ck = rcgen::generate_simple_self_signed(vec![name.to_string()])
        .expect("a self-signed certificate");
    certified(ck.cert.der().to_vec(), &ck.key_pair.serialize_pem())
}

/// A self-signed certificate for `name` over the private key in `key_pem` (PKCS#8), for key
/// types rcgen does not generate itself (RSA).
pub fn self_signed_with_key(name: &str, key_pem: &str) -> CertifiedKey {
    let kp = rcgen::KeyPair::from_pem(key_pem).expect("a PKCS#8 private key");
    let params = rcgen::CertificateParams::new(vec![name.to_string()]).expect("a DNS name");
    let cert = params.self_signed(&kp).expect("a self-signed certificate");
    certified(cert.der().to_vec(), key_pem)
}

fn certified(der: Vec<u8>, key_pem: &str) -> CertifiedKey {
    CertifiedKey {
        chain: vec![der],
        key: Arc::new(SigningKey::from_pem(key_pem).expect("a signing key")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Alert;
    use crate::wire::codepoints::ProtocolVersion;

    fn server() -> Arc<ServerConfig> {
        Arc::new(ServerConfig::new(self_signed("localhost")))
    }

    #[test]
    fn pump_completes_a_handshake_and_keeps_both_sides() {
        let mut p = Pair::seeded(ClientConfig::default(), server(), 1).unwrap();
        let rounds = p.pump();
        assert!(p.established(), "{:#?}", p.client_events);
        assert!((2..MAX_ROUNDS).contains(&rounds), "{rounds} rounds");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.flights[0].from, Side::Client);
        assert_eq!(p.flights[0].bytes[0], 22, "a handshake record first");
        assert!(!p.client_events.is_empty() && !p.server_events.is_empty());
        let sent = p.sent_by(Side::Client);
        let first = &p.flights[0].bytes;
        assert_eq!(&sent[..first.len()], &first[..]);
        // Quiet now: another pump moves nothing.
        assert_eq!(p.pump(), 0);
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        // The same server configuration too: a fresh certificate changes the transcript.
        let sc = server();
        let run = |seed| {
            let mut p = Pair::seeded(ClientConfig::default(), sc.clone(), seed).unwrap();
            p.pump();
            p.sent_by(Side::Client)
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn tampering_is_seen_by_the_receiver() {
        let mut p = Pair::seeded(ClientConfig::default(), server(), 1).unwrap();
        p.pump_tampered(|from, bytes| {
            if from == Side::Client && bytes[0] == 22 && bytes.len() > 50 {
                // The ClientHello's record version byte: no longer TLS.
                bytes[1] = 0x7f;
            }
        });
        assert!(!p.established());
        assert_eq!(
            p.flights[0].bytes[1], 0x7f,
            "flights record what was delivered"
        );
        assert!(
            p.errors.iter().any(|(side, _)| *side == Side::Server),
            "{:?}",
            p.errors
        );
    }

    #[test]
    fn pump_in_pieces_delivers_the_same_bytes() {
        // (no tickets: each one the shared configuration issues is new)
        let mut sc = ServerConfig::new(self_signed("localhost"));
        sc.tickets = 0;
        let sc = Arc::new(sc);
        let mut whole = Pair::seeded(ClientConfig::default(), sc.clone(), 7).unwrap();
        whole.pump();
        let mut bytewise = Pair::seeded(ClientConfig::default(), sc, 7).unwrap();
        let rounds = bytewise.pump_in_pieces(1);
        assert!(bytewise.established(), "{:?}", bytewise.errors);
        assert!(rounds < MAX_ROUNDS);
        assert_eq!(bytewise.flights, whole.flights);
        assert_eq!(bytewise.client_events.len(), whole.client_events.len());
    }

    #[test]
    fn deliver_step_by_step() {
        let cc = ClientConfig {
            versions: vec![ProtocolVersion::TLS13],
            ..ClientConfig::default()
        };
        let mut p = Pair::seeded(cc, server(), 3).unwrap();
        let hello = p.take(Side::Client);
        let answer = p.deliver(Side::Server, &hello).unwrap();
        assert_eq!(answer[0], 22, "a ServerHello record");
        assert_eq!(p.flights.len(), 1);
        // A record of an unknown content type to the client: refused, the alert stays queued.
        let e = p.deliver(Side::Client, &[99, 3, 3, 0, 1, 0]).unwrap_err();
        assert!(!e.received);
        assert_ne!(e.alert, Alert::CloseNotify);
        assert!(!p.take(Side::Client).is_empty(), "the alert is queued");
    }
}
