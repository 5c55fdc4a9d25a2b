//! Single-use tickets for 0-RTT (RFC 8446 §8.1): remembers, bounded in memory, which
//! tickets already had their early data accepted, so that a replay's early data is refused.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use crate::crypto::hash::HashAlg;

/// How many accepted tickets are remembered at most. When full (all still unexpired), 0-RTT
/// is refused rather than a ticket forgotten: a forgotten ticket could be replayed.
pub const MAX_REMEMBERED: usize = 100_000;

/// The tickets whose early data was accepted: their digests, with the time (ms) after which
/// the ticket can no longer be used anyway (then it is forgotten).
#[derive(Default)]
pub struct AntiReplay {
    inner: Mutex<Claims>,
}

#[derive(Default)]
struct Claims {
    seen: HashSet<Vec<u8>>,
    /// In claim order, which is also expiry order (every ticket has the same lifetime).
    order: VecDeque<(u64, Vec<u8>)>,
}

impl AntiReplay {
    /// Claims `ticket` for early data at `now_ms`, usable until `expires_ms`: true the first
    /// time, false for a replay (or when the store is full).
    pub fn claim(&self, ticket: &[u8], now_ms: u64, expires_ms: u64) -> bool {
        let digest = HashAlg::Sha256.hash(ticket);
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        while g.order.front().is_some_and(|(t, _)| *t < now_ms) {
            if let Some((_, d)) = g.order.pop_front() {
                g.seen.remove(&d);
            }
        }
        if g.seen.contains(&digest) || g.order.len() >= MAX_REMEMBERED {
            return false;
        }
        g.seen.insert(digest.clone());
        g.order.push_back((expires_ms, digest));
        true
    }

    /// How many tickets are remembered.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .order
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_is_accepted_once_and_forgotten_after_expiry() {
        let a = AntiReplay::default();
        assert!(a.claim(b"t1", 1000, 5000));
        assert!(!a.claim(b"t1", 2000, 6000));
        assert!(a.claim(b"t2", 2000, 6000));
        assert_eq!(a.len(), 2);
        // After t1's expiry it is forgotten (it could not be used any more anyway).
        assert!(a.claim(b"t3", 5500, 9000));
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn a_full_store_refuses_rather_than_forgets() {
        let a = AntiReplay::default();
        for i in 0..MAX_REMEMBERED {
            assert!(a.claim(&i.to_be_bytes(), 0, 10));
        }
        assert!(!a.claim(b"one more", 0, 10));
        assert_eq!(a.len(), MAX_REMEMBERED);
    }
}
