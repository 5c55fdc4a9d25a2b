//! Session resumption state: what a client keeps to resume (TLS 1.2 session id or RFC 5077
//! ticket, TLS 1.3 PSK ticket, RFC 8446 §4.6.1) and the server's cache and ticket sealing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::RngCore;

use super::anti_replay::AntiReplay;
use crate::crypto::aead::{AeadAlg, AeadCipher};
use crate::crypto::rng::system_rng;
use crate::wire::codec::{Reader, Writer};
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::CipherSuite;

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// What a client remembers of a session to resume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSession {
    pub version: ProtocolVersion,
    pub suite: CipherSuite,
    /// TLS 1.2 session id (may be empty when only a ticket was issued).
    pub session_id: Vec<u8>,
    /// TLS 1.2 master secret, or the TLS 1.3 resumption PSK.
    pub secret: Vec<u8>,
    /// RFC 5077 ticket (TLS 1.2) or the TLS 1.3 ticket identity.
    pub ticket: Option<Vec<u8>>,
    pub extended_master_secret: bool,
    pub age_add: u32,
    pub lifetime: u32,
    pub received_ms: u64,
    /// Whether the certificate chain verified when the session was first established (a
    /// resumed handshake sends no certificate, RFC 5246 §7.3, RFC 8446 §2.2).
    pub verified: Option<bool>,
    /// TLS 1.3: the ticket's max_early_data_size (RFC 8446 §4.6.1); 0 when it allows no
    /// 0-RTT data.
    pub max_early_data: u32,
    /// TLS 1.3: the ALPN protocol of the connection that got the ticket; 0-RTT data must be
    /// sent for the same one (RFC 8446 §4.2.10).
    pub alpn: Option<Vec<u8>>,
}

/// What a server stores (in its cache or inside a ticket) about a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerSession {
    pub version: ProtocolVersion,
    pub suite: CipherSuite,
    pub secret: Vec<u8>,
    pub extended_master_secret: bool,
    pub age_add: u32,
    pub created_ms: u64,
    pub lifetime: u32,
    /// The server name of the handshake that made the session ("" without one): RFC 6066
    /// §3 forbids resuming it under another name.
    pub server_name: String,
    /// TLS 1.3: the max_early_data_size the ticket announced (0: no 0-RTT), RFC 8446 §4.6.1.
    pub max_early_data: u32,
    /// TLS 1.3: the ALPN protocol of the connection ("" without one); accepted 0-RTT needs
    /// the same (RFC 8446 §4.2.10).
    pub alpn: Vec<u8>,
}

impl ServerSession {
    fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u16(self.version.0)
            .u16(self.suite.0)
            .vec8(&self.secret)
            .u8(self.extended_master_secret as u8)
            .u32(self.age_add)
            .bytes(&self.created_ms.to_be_bytes())
            .u32(self.lifetime)
            .vec16(self.server_name.as_bytes())
            .u32(self.max_early_data)
            .vec8(&self.alpn);
        w.into_bytes()
    }

    fn decode(b: &[u8]) -> Option<ServerSession> {
        let mut r = Reader::new(b);
        let s = ServerSession {
            version: ProtocolVersion(r.u16("v").ok()?),
            suite: CipherSuite(r.u16("s").ok()?),
            secret: r.vec8("secret").ok()?.to_vec(),
            extended_master_secret: r.u8("ems").ok()? == 1,
            age_add: r.u32("age").ok()?,
            created_ms: u64::from_be_bytes(r.take(8, "t").ok()?.try_into().ok()?),
            lifetime: r.u32("l").ok()?,
            server_name: String::from_utf8(r.vec16("sni").ok()?.to_vec()).ok()?,
            max_early_data: r.u32("early").ok()?,
            alpn: r.vec8("alpn").ok()?.to_vec(),
        };
        r.expect_end("session").ok()?;
        Some(s)
    }

    pub fn expired(&self) -> bool {
        now_ms().saturating_sub(self.created_ms) > self.lifetime as u64 * 1000
    }
}

const CACHE_LIMIT: usize = 10_000;
pub const TICKET_LIFETIME: u32 = 7200;

/// Sessions by id, and the ids in insertion order (for eviction).
type SessionCache = (HashMap<Vec<u8>, ServerSession>, VecDeque<Vec<u8>>);

/// The server's session-id cache and ticket key (kept in memory only).
pub struct SessionStore {
    ticket_cipher: AeadCipher,
    cache: Mutex<SessionCache>,
    /// The tickets whose 0-RTT data was accepted (RFC 8446 §8.1: single use).
    pub early_data_claims: AntiReplay,
}

impl Default for SessionStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionStore {
    pub fn new() -> SessionStore {
        let mut rng = system_rng();
        let mut key = [0u8; 32];
        let mut iv = [0u8; 12];
        rng.fill_bytes(&mut key);
        rng.fill_bytes(&mut iv);
        SessionStore {
            ticket_cipher: AeadCipher::tls13(AeadAlg::Aes256Gcm, &key, &iv)
                .expect("valid key and iv sizes"),
            cache: Mutex::new((HashMap::new(), VecDeque::new())),
            early_data_claims: AntiReplay::default(),
        }
    }

    /// Stores a session under its id, evicting the oldest beyond the limit.
    pub fn put(&self, id: Vec<u8>, s: ServerSession) {
        let mut g = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if g.0.insert(id.clone(), s).is_none() {
            g.1.push_back(id);
        }
        while g.1.len() > CACHE_LIMIT {
            if let Some(old) = g.1.pop_front() {
                g.0.remove(&old);
            }
        }
    }

    pub fn get(&self, id: &[u8]) -> Option<ServerSession> {
        let g = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        g.0.get(id).filter(|s| !s.expired()).cloned()
    }

    /// Seals a session into a ticket: an 8-byte nonce counter, then AES-256-GCM ciphertext.
    pub fn seal_ticket(&self, s: &ServerSession) -> Vec<u8> {
        let nonce = system_rng().next_u64();
        let mut out = nonce.to_be_bytes().to_vec();
        out.extend(self.ticket_cipher.seal(nonce, 23, 0x0303, &s.encode()));
        out
    }

    /// Opens a ticket; None for anything not made by this store or expired.
    pub fn open_ticket(&self, t: &[u8]) -> Option<ServerSession> {
        if t.len() < 8 {
            return None;
        }
        let nonce = u64::from_be_bytes(t[..8].try_into().ok()?);
        let plain = self.ticket_cipher.open(nonce, 23, 0x0303, &t[8..]).ok()?;
        ServerSession::decode(&plain).filter(|s| !s.expired())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_round_trip_and_reject_tampering() {
        let store = SessionStore::new();
        let s = ServerSession {
            version: ProtocolVersion::TLS13,
            suite: CipherSuite(0x1301),
            secret: vec![1; 32],
            extended_master_secret: true,
            age_add: 5,
            created_ms: now_ms(),
            lifetime: 100,
            server_name: "example.com".into(),
            max_early_data: 16384,
            alpn: b"h2".to_vec(),
        };
        let mut t = store.seal_ticket(&s);
        assert_eq!(store.open_ticket(&t), Some(s.clone()));
        let last = t.len() - 1;
        t[last] ^= 1;
        assert_eq!(store.open_ticket(&t), None);
        assert_eq!(
            SessionStore::new().open_ticket(&store.seal_ticket(&s)),
            None
        );
        store.put(vec![9], s.clone());
        assert_eq!(store.get(&[9]), Some(s));
    }
}
