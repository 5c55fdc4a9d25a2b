//! Fast ECDSA P-256 signing for the server role (`listen`): ring's constant-time assembly
//! with precomputed base-point tables signs several times faster than the portable `p256`
//! crate, which dominated listen's handshake cost. ring draws its own nonce randomness, so
//! signatures are not reproducible: deterministic runs (tests, snapshots) leave this off and
//! use `SigningKey::sign`.

use p256::pkcs8::EncodePrivateKey;
use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

use super::sign::SigningKey;
use crate::error::TlsError;
use crate::wire::codepoints::SignatureScheme;

/// An ECDSA P-256 key ready for ring.
pub struct FastP256 {
    key: EcdsaKeyPair,
    rng: ring::rand::SystemRandom,
}

impl FastP256 {
    /// Some for a P-256 key, None for other key types.
    pub fn from_key(key: &SigningKey) -> Option<FastP256> {
        let SigningKey::P256(k) = key else {
            return None;
        };
        let der = k.to_pkcs8_der().ok()?;
        let rng = ring::rand::SystemRandom::new();
        let key =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, der.as_bytes(), &rng).ok()?;
        Some(FastP256 { key, rng })
    }

    /// Signs when the scheme is ecdsa_secp256r1_sha256 (RFC 8446 §4.2.3: ASN.1 DER
    /// signature over SHA-256); None for any other scheme (the caller signs as usual).
    pub fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
    ) -> Option<Result<Vec<u8>, TlsError>> {
        if scheme != SignatureScheme::ECDSA_SECP256R1_SHA256 {
            return None;
        }
        Some(
            self.key
                .sign(&self.rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| TlsError::internal("ECDSA P-256 signing failed")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::seeded_rng;
    use crate::crypto::sign::verify;

    #[test]
    fn signatures_verify_with_our_verifier() {
        let key = SigningKey::generate_p256(&mut seeded_rng(3));
        let fast = FastP256::from_key(&key).expect("a P-256 key");
        let spki = key.public_key_spki_der();
        let sig = fast
            .sign(SignatureScheme::ECDSA_SECP256R1_SHA256, b"transcript")
            .unwrap()
            .unwrap();
        verify(
            SignatureScheme::ECDSA_SECP256R1_SHA256,
            &spki,
            b"transcript",
            &sig,
            false,
        )
        .unwrap();
        assert!(fast
            .sign(SignatureScheme::ECDSA_SECP384R1_SHA384, b"x")
            .is_none());
    }
}
