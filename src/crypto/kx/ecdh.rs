//! Elliptic-curve Diffie-Hellman ephemeral keys: X25519 and X448 (RFC 7748), P-256, P-384
//! and P-521 (RFC 8446 §4.2.8.2 and §7.4.2; RFC 8422 §5.4 and §5.10), with the checks every
//! peer share gets before use.

use p256::elliptic_curve::sec1::ToEncodedPoint;

use super::x448::X448Secret;
use crate::crypto::fast_kx::FastEphemeral;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

/// An ephemeral (EC)DHE private key, used once.
pub enum EcdhKey {
    X25519(x25519_dalek::StaticSecret),
    X448(X448Secret),
    P256(p256::ecdh::EphemeralSecret),
    P384(p384::ecdh::EphemeralSecret),
    P521(p521::ecdh::EphemeralSecret),
    /// ring's key (server role outside deterministic and fuzzing runs; see `fast_kx`).
    Fast(FastEphemeral),
}

/// The size of a key share: X25519 32 and X448 56 bytes (RFC 7748 §5, §6); the NIST curves'
/// uncompressed points 0x04 || X || Y (RFC 8446 §4.2.8.2). None for other groups.
pub fn share_len(group: NamedGroup) -> Option<usize> {
    match group {
        NamedGroup::X25519 => Some(32),
        NamedGroup::X448 => Some(56),
        NamedGroup::SECP256R1 => Some(65),
        NamedGroup::SECP384R1 => Some(97),
        NamedGroup::SECP521R1 => Some(133),
        _ => None,
    }
}

/// The size of the shared secret: the X25519/X448 output, or the x-coordinate at the size of
/// the curve's field for the NIST curves (RFC 8446 §7.4.2: P-521's is 66 bytes).
pub fn secret_len(group: NamedGroup) -> Option<usize> {
    match group {
        NamedGroup::X25519 | NamedGroup::SECP256R1 => Some(32),
        NamedGroup::SECP384R1 => Some(48),
        NamedGroup::X448 => Some(56),
        NamedGroup::SECP521R1 => Some(66),
        _ => None,
    }
}

fn illegal(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::IllegalParameter, msg)
}

impl EcdhKey {
    /// A fresh key for `group`; None when `group` is not an ECDH group.
    pub fn generate<R>(group: NamedGroup, rng: &mut R) -> Option<EcdhKey>
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        Some(match group {
            NamedGroup::X25519 => {
                EcdhKey::X25519(x25519_dalek::StaticSecret::random_from_rng(&mut *rng))
            }
            NamedGroup::X448 => EcdhKey::X448(X448Secret::random(rng)),
            NamedGroup::SECP256R1 => EcdhKey::P256(p256::ecdh::EphemeralSecret::random(rng)),
            NamedGroup::SECP384R1 => EcdhKey::P384(p384::ecdh::EphemeralSecret::random(rng)),
            NamedGroup::SECP521R1 => EcdhKey::P521(p521::ecdh::EphemeralSecret::random(rng)),
            _ => return None,
        })
    }

    /// The named group of this key.
    pub fn group(&self) -> NamedGroup {
        match self {
            EcdhKey::X25519(_) => NamedGroup::X25519,
            EcdhKey::X448(_) => NamedGroup::X448,
            EcdhKey::P256(_) => NamedGroup::SECP256R1,
            EcdhKey::P384(_) => NamedGroup::SECP384R1,
            EcdhKey::P521(_) => NamedGroup::SECP521R1,
            EcdhKey::Fast(k) => k.group(),
        }
    }

    /// The key share to send (see `share_len`).
    pub fn public_key(&self) -> Vec<u8> {
        match self {
            EcdhKey::X25519(s) => x25519_dalek::PublicKey::from(s).as_bytes().to_vec(),
            EcdhKey::X448(s) => s.public_key().to_vec(),
            EcdhKey::P256(s) => s.public_key().to_encoded_point(false).as_bytes().to_vec(),
            EcdhKey::P384(s) => s.public_key().to_encoded_point(false).as_bytes().to_vec(),
            EcdhKey::P521(s) => s.public_key().to_encoded_point(false).as_bytes().to_vec(),
            EcdhKey::Fast(k) => k.public_key().to_vec(),
        }
    }

    /// Shared secret with the peer's share. Invalid peer share (wrong length, not uncompressed,
    /// off-curve, identity) -> illegal_parameter; an X25519/X448 all-zero result (a low-order
    /// point) -> illegal_parameter (RFC 8446 §7.4.2, RFC 7748 §6.1 and §6.2).
    pub fn agree(self, peer_public: &[u8]) -> Result<Vec<u8>, TlsError> {
        // The share's form first, the same whichever implementation holds the key; then the
        // agreement, whose refusal (low-order or off-curve point) has one message per group.
        let group = self.group();
        let refused = check_share(group, peer_public)?;
        let shared = match self {
            EcdhKey::X25519(s) => {
                // 32 bytes: checked above.
                let bytes: [u8; 32] = peer_public.try_into().unwrap_or([0; 32]);
                let shared = s.diffie_hellman(&x25519_dalek::PublicKey::from(bytes));
                shared
                    .was_contributory()
                    .then(|| shared.as_bytes().to_vec())
            }
            EcdhKey::X448(s) => {
                // 56 bytes: checked above.
                let bytes: [u8; 56] = peer_public.try_into().unwrap_or([0; 56]);
                s.diffie_hellman(&bytes).map(|z| z.to_vec())
            }
            EcdhKey::P256(s) => p256::PublicKey::from_sec1_bytes(peer_public)
                .ok()
                .map(|pk| s.diffie_hellman(&pk).raw_secret_bytes().to_vec()),
            EcdhKey::P384(s) => p384::PublicKey::from_sec1_bytes(peer_public)
                .ok()
                .map(|pk| s.diffie_hellman(&pk).raw_secret_bytes().to_vec()),
            EcdhKey::P521(s) => p521::PublicKey::from_sec1_bytes(peer_public)
                .ok()
                .map(|pk| s.diffie_hellman(&pk).raw_secret_bytes().to_vec()),
            EcdhKey::Fast(k) => k.agree(peer_public),
        };
        shared.ok_or_else(|| illegal(refused))
    }
}

/// Checks the form of a peer's share (length; the uncompressed form for the NIST curves) and
/// returns the message for a refusal by the agreement itself.
fn check_share(group: NamedGroup, share: &[u8]) -> Result<&'static str, TlsError> {
    let len = share_len(group).unwrap_or(0);
    match group {
        NamedGroup::X25519 | NamedGroup::X448 => {
            if share.len() != len {
                return Err(illegal(format!(
                    "{group} key share must be {len} bytes, got {}",
                    share.len()
                )));
            }
            Ok(if group == NamedGroup::X25519 {
                "x25519 key share is a low-order point (all-zero shared secret)"
            } else {
                "x448 key share is a low-order point (all-zero shared secret)"
            })
        }
        _ => {
            check_uncompressed(share, len, group)?;
            Ok(match group {
                NamedGroup::SECP256R1 => "secp256r1 key share is not a point on the curve",
                NamedGroup::SECP384R1 => "secp384r1 key share is not a point on the curve",
                _ => "secp521r1 key share is not a point on the curve",
            })
        }
    }
}

/// TLS 1.3 (RFC 8446 §4.2.8.2) and RFC 8422 §5.4.1 allow only the uncompressed form.
fn check_uncompressed(share: &[u8], len: usize, group: NamedGroup) -> Result<(), TlsError> {
    if share.first() != Some(&4) {
        return Err(illegal(format!(
            "{group} key share is not in uncompressed form (first byte must be 0x04)"
        )));
    }
    if share.len() != len {
        return Err(illegal(format!(
            "{group} key share must be {len} bytes, got {}",
            share.len()
        )));
    }
    Ok(())
}
