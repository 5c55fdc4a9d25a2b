//! Finite-field DHE over the RFC 7919 groups as TLS 1.3 uses them: the key share is Y
//! left-padded with zeros to the size of p (RFC 8446 §4.2.8.1), the peer's Y must satisfy
//! 1 < Y < p-1 (§4.2.8.1), and the shared secret keeps its leading zeros, padded to the size
//! of p (§7.4.1), unlike TLS 1.2, which strips them (RFC 5246 §8.1.2; `dh::DhKey::agree`).

use crate::crypto::dh::{self, DhKey};
use crate::crypto::dh_groups::KNOWN;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

/// The size of p in bytes: the size of every key share and of the shared secret.
pub fn prime_len(group: NamedGroup) -> Option<usize> {
    match group {
        NamedGroup::FFDHE2048 => Some(256),
        NamedGroup::FFDHE3072 => Some(384),
        NamedGroup::FFDHE4096 => Some(512),
        NamedGroup::FFDHE6144 => Some(768),
        NamedGroup::FFDHE8192 => Some(1024),
        _ => None,
    }
}

/// An ephemeral key in one of the RFC 7919 groups, used once.
pub struct FfdheKey {
    group: NamedGroup,
    key: DhKey,
    p_len: usize,
}

impl FfdheKey {
    /// A fresh key for `group`; None when `group` is not an RFC 7919 group.
    pub fn generate<R>(group: NamedGroup, rng: &mut R) -> Option<Result<FfdheKey, TlsError>>
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        let p_len = prime_len(group)?;
        let name = group.name()?;
        let known = KNOWN.iter().find(|k| k.name == name)?;
        let (p, g) = dh::group_bytes(known);
        Some(DhKey::generate(&p, &g, rng).map(|key| FfdheKey { group, key, p_len }))
    }

    /// The named group of this key.
    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// Y = g^x mod p, left-padded to the size of p (RFC 8446 §4.2.8.1).
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key()
    }

    /// The shared secret with the peer's share, padded with leading zeros to the size of p
    /// (RFC 8446 §7.4.1). A share that is not exactly the size of p, or whose Y is not in
    /// 1 < Y < p-1, is an illegal_parameter (§4.2.8.1).
    pub fn agree(self, peer_public: &[u8]) -> Result<Vec<u8>, TlsError> {
        let group = self.group;
        if peer_public.len() != self.p_len {
            return Err(TlsError::new(
                Alert::IllegalParameter,
                format!(
                    "{group} key share must be {} bytes (Y padded to the size of p, \
                     RFC 8446 §4.2.8.1), got {}",
                    self.p_len,
                    peer_public.len()
                ),
            ));
        }
        let z = self.key.agree(peer_public, &format!("peer's {group}"))?;
        let mut padded = vec![0u8; self.p_len.saturating_sub(z.len())];
        padded.extend_from_slice(&z);
        Ok(padded)
    }
}
