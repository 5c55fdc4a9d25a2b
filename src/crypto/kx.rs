//! Key exchange: ephemeral X25519 (RFC 7748), P-256 and P-384 ECDHE (RFC 8446 §4.2.8, §7.4;
//! RFC 8422 §5.4, §5.11) and RSA key transport of the TLS 1.2 pre-master secret
//! (RFC 5246 §7.4.7.1).

use p256::elliptic_curve::sec1::ToEncodedPoint;
use rsa::Pkcs1v15Encrypt;

use super::rng::TlsRng;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

/// The groups we can generate shares for, preferred first.
pub const SUPPORTED_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
];

/// An ephemeral (EC)DHE private key, used once.
pub enum EphemeralKey {
    X25519(x25519_dalek::StaticSecret),
    P256(p256::ecdh::EphemeralSecret),
    P384(p384::ecdh::EphemeralSecret),
    /// ring's key (server role outside deterministic and fuzzing runs; see `fast_kx`).
    Fast(super::fast_kx::FastEphemeral),
}

impl std::fmt::Debug for EphemeralKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EphemeralKey({})", self.group())
    }
}

fn illegal(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::IllegalParameter, msg)
}

impl EphemeralKey {
    /// A fresh key for `group`; an unsupported group is a handshake_failure.
    pub fn generate(group: NamedGroup, rng: &mut TlsRng) -> Result<Self, TlsError> {
        match group {
            NamedGroup::X25519 => Ok(EphemeralKey::X25519(
                x25519_dalek::StaticSecret::random_from_rng(rng),
            )),
            NamedGroup::SECP256R1 => {
                Ok(EphemeralKey::P256(p256::ecdh::EphemeralSecret::random(rng)))
            }
            NamedGroup::SECP384R1 => {
                Ok(EphemeralKey::P384(p384::ecdh::EphemeralSecret::random(rng)))
            }
            g => Err(TlsError::new(
                Alert::HandshakeFailure,
                format!("key exchange group {g} is not supported"),
            )),
        }
    }

    /// A fresh key for `group`, from ring when `fast` (not reproducible from `rng`; never in
    /// fuzzing builds, whose key exchange is a stand-in), else as `generate`.
    pub fn generate_with(
        group: NamedGroup,
        rng: &mut TlsRng,
        fast: bool,
    ) -> Result<Self, TlsError> {
        if fast && !crate::crypto::fuzzing::ON {
            if let Some(k) = super::fast_kx::FastEphemeral::generate(group) {
                return Ok(EphemeralKey::Fast(k));
            }
        }
        Self::generate(group, rng)
    }

    /// The named group of this key.
    pub fn group(&self) -> NamedGroup {
        match self {
            EphemeralKey::X25519(_) => NamedGroup::X25519,
            EphemeralKey::P256(_) => NamedGroup::SECP256R1,
            EphemeralKey::P384(_) => NamedGroup::SECP384R1,
            EphemeralKey::Fast(k) => k.group(),
        }
    }

    /// The key share to send: X25519 32 bytes (RFC 7748 §6.1); P-256/P-384 uncompressed SEC1
    /// 0x04 || X || Y (RFC 8446 §4.2.8.2).
    pub fn public_key(&self) -> Vec<u8> {
        match self {
            EphemeralKey::X25519(s) => x25519_dalek::PublicKey::from(s).as_bytes().to_vec(),
            EphemeralKey::P256(s) => s.public_key().to_encoded_point(false).as_bytes().to_vec(),
            EphemeralKey::P384(s) => s.public_key().to_encoded_point(false).as_bytes().to_vec(),
            EphemeralKey::Fast(k) => k.public_key().to_vec(),
        }
    }

    /// Shared secret with the peer's share. Invalid peer share (wrong length, not uncompressed,
    /// off-curve, identity) -> illegal_parameter; X25519 all-zero result -> illegal_parameter
    /// (RFC 8446 §7.4.2, RFC 7748 §6.1). For P-256/P-384 the result is the x-coordinate
    /// (RFC 8446 §7.4.2, RFC 8422 §5.10).
    pub fn agree(self, peer_public: &[u8]) -> Result<Vec<u8>, TlsError> {
        if crate::crypto::fuzzing::ON {
            return Ok(crate::crypto::fuzzing::shared(peer_public));
        }
        // The share's form first, the same whichever implementation holds the key; then the
        // agreement, whose refusal (low-order or off-curve point) has one message per group.
        let refused = match self.group() {
            NamedGroup::X25519 => {
                if peer_public.len() != 32 {
                    return Err(illegal(format!(
                        "x25519 key share must be 32 bytes, got {}",
                        peer_public.len()
                    )));
                }
                "x25519 key share is a low-order point (all-zero shared secret)"
            }
            NamedGroup::SECP256R1 => {
                check_uncompressed(peer_public, 65, "secp256r1")?;
                "secp256r1 key share is not a point on the curve"
            }
            _ => {
                check_uncompressed(peer_public, 97, "secp384r1")?;
                "secp384r1 key share is not a point on the curve"
            }
        };
        let shared = match self {
            EphemeralKey::X25519(s) => {
                // 32 bytes: checked above.
                let bytes: [u8; 32] = peer_public.try_into().unwrap_or([0; 32]);
                let shared = s.diffie_hellman(&x25519_dalek::PublicKey::from(bytes));
                shared
                    .was_contributory()
                    .then(|| shared.as_bytes().to_vec())
            }
            EphemeralKey::P256(s) => p256::PublicKey::from_sec1_bytes(peer_public)
                .ok()
                .map(|pk| s.diffie_hellman(&pk).raw_secret_bytes().to_vec()),
            EphemeralKey::P384(s) => p384::PublicKey::from_sec1_bytes(peer_public)
                .ok()
                .map(|pk| s.diffie_hellman(&pk).raw_secret_bytes().to_vec()),
            EphemeralKey::Fast(k) => k.agree(peer_public),
        };
        shared.ok_or_else(|| illegal(refused))
    }
}

/// TLS 1.3 and RFC 8422 §5.4.1 allow only the uncompressed form.
fn check_uncompressed(share: &[u8], len: usize, name: &str) -> Result<(), TlsError> {
    if share.first() != Some(&4) {
        return Err(illegal(format!(
            "{name} key share is not in uncompressed form (first byte must be 0x04)"
        )));
    }
    if share.len() != len {
        return Err(illegal(format!(
            "{name} key share must be {len} bytes, got {}",
            share.len()
        )));
    }
    Ok(())
}

/// RSA key transport (RFC 5246 §7.4.7.1): PKCS#1 v1.5 encryption of the pre-master secret to
/// the key in a certificate's SubjectPublicKeyInfo DER. A non-RSA or unparsable key is a
/// bad_certificate.
pub fn rsa_encrypt_premaster(
    spki_der: &[u8],
    premaster: &[u8],
    rng: &mut TlsRng,
) -> Result<Vec<u8>, TlsError> {
    let key = crate::crypto::sign::rsa_public_key(spki_der).map_err(|_| {
        TlsError::new(
            Alert::BadCertificate,
            "the certificate does not hold an RSA public key usable for RSA key exchange",
        )
    })?;
    key.encrypt(rng, Pkcs1v15Encrypt, premaster).map_err(|e| {
        TlsError::internal(format!(
            "RSA encryption of the pre-master secret failed: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::seeded_rng;

    #[test]
    fn both_sides_agree_for_each_group() {
        let mut rng = seeded_rng(1);
        for &g in SUPPORTED_GROUPS {
            let a = EphemeralKey::generate(g, &mut rng).unwrap();
            let b = EphemeralKey::generate(g, &mut rng).unwrap();
            assert_eq!(a.group(), g);
            let (pa, pb) = (a.public_key(), b.public_key());
            let expected_len = match g {
                NamedGroup::X25519 => 32,
                NamedGroup::SECP256R1 => 65,
                _ => 97,
            };
            assert_eq!(pa.len(), expected_len);
            let sa = a.agree(&pb).unwrap();
            let sb = b.agree(&pa).unwrap();
            assert_eq!(sa, sb);
            assert_eq!(sa.len(), if g == NamedGroup::SECP384R1 { 48 } else { 32 });
        }
    }

    #[test]
    fn unsupported_group() {
        let e = EphemeralKey::generate(NamedGroup::FFDHE2048, &mut seeded_rng(1)).unwrap_err();
        assert_eq!(e.alert, Alert::HandshakeFailure);
    }

    #[test]
    fn rfc7748_x25519_vector() {
        // RFC 7748 §6.1: Alice's private key, Bob's public key, shared K.
        let a: [u8; 32] =
            hex::decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
                .unwrap()
                .try_into()
                .unwrap();
        let key = EphemeralKey::X25519(x25519_dalek::StaticSecret::from(a));
        assert_eq!(
            hex::encode(key.public_key()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
        );
        let bob = hex::decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
            .unwrap();
        assert_eq!(
            hex::encode(key.agree(&bob).unwrap()),
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        );
    }

    #[test]
    fn invalid_x25519_shares() {
        let mut rng = seeded_rng(2);
        for fast in [false, true] {
            for bad in [vec![0u8; 32], {
                let mut one = vec![0u8; 32];
                one[0] = 1;
                one
            }] {
                let k = EphemeralKey::generate_with(NamedGroup::X25519, &mut rng, fast).unwrap();
                assert_eq!(k.agree(&bad).unwrap_err().alert, Alert::IllegalParameter);
            }
            let k = EphemeralKey::generate_with(NamedGroup::X25519, &mut rng, fast).unwrap();
            assert_eq!(
                k.agree(&[9u8; 31]).unwrap_err().alert,
                Alert::IllegalParameter
            );
        }
    }

    #[test]
    fn invalid_nist_shares() {
        let mut rng = seeded_rng(3);
        for (g, fast) in [
            (NamedGroup::SECP256R1, false),
            (NamedGroup::SECP384R1, false),
            (NamedGroup::SECP256R1, true),
            (NamedGroup::SECP384R1, true),
        ] {
            let peer = EphemeralKey::generate(g, &mut rng).unwrap().public_key();
            let n = peer.len();
            // Off-curve: change y.
            let mut off = peer.clone();
            off[n - 1] ^= 1;
            // Compressed form of the same point.
            let mut compressed = vec![2 + (peer[n - 1] & 1)];
            compressed.extend_from_slice(&peer[1..1 + (n - 1) / 2]);
            let bads: Vec<Vec<u8>> = vec![
                off,
                compressed,
                vec![0],        // identity encoding
                vec![4; n + 1], // wrong length
                Vec::new(),     // empty
                vec![0x04; n],  // 0x04 prefix but not a point
                {
                    let mut zero = vec![0u8; n];
                    zero[0] = 4;
                    zero
                },
            ];
            for bad in bads {
                let k = EphemeralKey::generate_with(g, &mut rng, fast).unwrap();
                assert!(matches!(k, EphemeralKey::Fast(_)) == fast);
                assert_eq!(
                    k.agree(&bad).unwrap_err().alert,
                    Alert::IllegalParameter,
                    "{g} {bad:02x?}"
                );
            }
        }
    }

    #[test]
    fn hostile_shares_never_panic() {
        use rand_core::RngCore;
        let mut rng = seeded_rng(5);
        for len in [0usize, 1, 31, 32, 33, 64, 65, 66, 96, 97, 98, 200] {
            for first in [0u8, 2, 3, 4, 0xff] {
                let mut share = vec![0u8; len];
                rng.fill_bytes(&mut share);
                if let Some(b) = share.first_mut() {
                    *b = first;
                }
                for &g in SUPPORTED_GROUPS {
                    for fast in [false, true] {
                        let k = EphemeralKey::generate_with(g, &mut rng, fast).unwrap();
                        let _ = k.agree(&share);
                    }
                }
            }
        }
    }

    #[test]
    fn rsa_premaster_transport_rejects_non_rsa_keys() {
        let mut rng = seeded_rng(4);
        let e = rsa_encrypt_premaster(b"\x30\x03\x02\x01\x00", &[3u8; 48], &mut rng).unwrap_err();
        assert_eq!(e.alert, Alert::BadCertificate);
        let ec = crate::crypto::sign::SigningKey::generate_p256(&mut rng);
        let e = rsa_encrypt_premaster(&ec.public_key_spki_der(), &[3u8; 48], &mut rng).unwrap_err();
        assert_eq!(e.alert, Alert::BadCertificate);
    }
}
