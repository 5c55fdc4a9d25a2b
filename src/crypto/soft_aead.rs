//! The record AEADs ring does not have, from RustCrypto behind one in-place interface: AES-CCM
//! and AES-CCM-8 (RFC 3610 with the TLS parameters of RFC 6655 §3 and RFC 8446 §B.4: 12-byte
//! nonce, 16- or 8-byte tag), and GCM over CAMELLIA (RFC 6367 §3) and ARIA (RFC 6209 §2).
//!
//! These are portable software implementations (no assembly): the suites are opt-in, and the
//! hot AES-GCM/ChaCha20-Poly1305 path stays on ring (`aead::Cipher`). Every key schedule is
//! zeroed on drop (the `zeroize` features of aes, camellia and aria).

use aes::{Aes128, Aes256};
use aes_gcm::aead::consts::{U12, U16, U8};
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::AesGcm;
use aria::{Aria128, Aria256};
use camellia::{Camellia128, Camellia256};
use ccm::Ccm;

use super::aead::AeadAlg;

/// A keyed software AEAD with 12-byte nonces.
#[derive(Clone)]
pub enum SoftAead {
    Aes128Ccm(Ccm<Aes128, U16, U12>),
    Aes256Ccm(Ccm<Aes256, U16, U12>),
    Aes128Ccm8(Ccm<Aes128, U8, U12>),
    Aes256Ccm8(Ccm<Aes256, U8, U12>),
    Camellia128Gcm(AesGcm<Camellia128, U12>),
    Camellia256Gcm(AesGcm<Camellia256, U12>),
    Aria128Gcm(AesGcm<Aria128, U12>),
    Aria256Gcm(AesGcm<Aria256, U12>),
}

/// Runs `$body` with `$c` bound to the inner cipher, whatever the variant.
macro_rules! each {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            SoftAead::Aes128Ccm($c) => $body,
            SoftAead::Aes256Ccm($c) => $body,
            SoftAead::Aes128Ccm8($c) => $body,
            SoftAead::Aes256Ccm8($c) => $body,
            SoftAead::Camellia128Gcm($c) => $body,
            SoftAead::Camellia256Gcm($c) => $body,
            SoftAead::Aria128Gcm($c) => $body,
            SoftAead::Aria256Gcm($c) => $body,
        }
    };
}

impl SoftAead {
    /// The keyed AEAD, or None when the key has the wrong length or `alg` is one ring does
    /// (AES-GCM, ChaCha20-Poly1305: `crypto::aead`).
    pub fn new(alg: AeadAlg, key: &[u8]) -> Option<SoftAead> {
        Some(match alg {
            AeadAlg::Aes128Gcm | AeadAlg::Aes256Gcm | AeadAlg::ChaCha20Poly1305 => return None,
            AeadAlg::Aes128Ccm => SoftAead::Aes128Ccm(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Aes256Ccm => SoftAead::Aes256Ccm(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Aes128Ccm8 => SoftAead::Aes128Ccm8(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Aes256Ccm8 => SoftAead::Aes256Ccm8(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Camellia128Gcm => SoftAead::Camellia128Gcm(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Camellia256Gcm => SoftAead::Camellia256Gcm(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Aria128Gcm => SoftAead::Aria128Gcm(KeyInit::new_from_slice(key).ok()?),
            AeadAlg::Aria256Gcm => SoftAead::Aria256Gcm(KeyInit::new_from_slice(key).ok()?),
        })
    }

    /// Encrypts `buf[start..]` in place and appends the tag; false on sizes beyond the AEAD's
    /// limits (never for TLS records).
    pub fn seal_in_place(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        buf: &mut Vec<u8>,
        start: usize,
    ) -> bool {
        let n = nonce.into();
        let tag = each!(self, c => c
            .encrypt_in_place_detached(&n, aad, &mut buf[start..])
            .map(|t| t.to_vec()));
        match tag {
            Ok(t) => {
                buf.extend_from_slice(&t);
                true
            }
            Err(_) => false,
        }
    }

    /// Decrypts ciphertext || tag (tag of `tag_len` bytes) and returns the plaintext, or None
    /// when the tag does not verify (the crates compare tags in constant time).
    pub fn open(
        &self,
        nonce: [u8; 12],
        aad: &[u8],
        ct_and_tag: &[u8],
        tag_len: usize,
    ) -> Option<Vec<u8>> {
        let split = ct_and_tag.len().checked_sub(tag_len)?;
        let (ct, tag) = ct_and_tag.split_at(split);
        let mut buf = ct.to_vec();
        let n = nonce.into();
        let ok = each!(self, c => c
            .decrypt_in_place_detached(&n, aad, &mut buf, tag.into())
            .is_ok());
        ok.then_some(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    /// NIST SP 800-38C Appendix C, Example 3 (AES-128, 12-byte nonce, 8-byte tag: the CCM-8
    /// shape of RFC 6655 §3), then the same inputs with 16-byte tags and AES-256 keys, computed
    /// independently with Python's `cryptography` (`AESCCM`, OpenSSL underneath). RFC 3610's
    /// own vectors use 13-byte nonces, which TLS never does.
    #[test]
    fn ccm_and_ccm8_known_answers() {
        let nonce: [u8; 12] = unhex("101112131415161718191a1b").try_into().unwrap();
        let aad = unhex("000102030405060708090a0b0c0d0e0f10111213");
        let pt = unhex("202122232425262728292a2b2c2d2e2f3031323334353637");
        let k128 = unhex("404142434445464748494a4b4c4d4e4f");
        let k256: Vec<u8> = (0..32).collect();
        let cases = [
            (
                AeadAlg::Aes128Ccm8,
                &k128,
                8,
                "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5 484392fbc1b09951",
            ),
            (
                AeadAlg::Aes128Ccm,
                &k128,
                16,
                "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5 c87ae488918de93f17dd3e4934347f44",
            ),
            (
                AeadAlg::Aes256Ccm,
                &k256,
                16,
                "5191d320426e464744dab74510729e1e06c5951ed131033e 7319afc91fafa6c4ccd5e77164f12321",
            ),
            (
                AeadAlg::Aes256Ccm8,
                &k256,
                8,
                "5191d320426e464744dab74510729e1e06c5951ed131033e 006fb73e3ddca7fe",
            ),
        ];
        for (alg, key, tag_len, want) in cases {
            let want = unhex(want);
            let c = SoftAead::new(alg, key).unwrap();
            let mut buf = pt.clone();
            assert!(c.seal_in_place(nonce, &aad, &mut buf, 0));
            assert_eq!(buf, want, "{alg:?}");
            assert_eq!(c.open(nonce, &aad, &want, tag_len).unwrap(), pt, "{alg:?}");
            let mut bad = want.clone();
            bad[want.len() - 1] ^= 1;
            assert!(c.open(nonce, &aad, &bad, tag_len).is_none(), "{alg:?}");
            assert!(c.open(nonce, &aad, &want[..tag_len - 1], tag_len).is_none());
        }
    }

    #[test]
    fn wrong_key_lengths_are_refused() {
        assert!(SoftAead::new(AeadAlg::Aes128Ccm, &[0; 32]).is_none());
        assert!(SoftAead::new(AeadAlg::Camellia256Gcm, &[0; 16]).is_none());
        assert!(SoftAead::new(AeadAlg::Aria128Gcm, &[0; 16]).is_some());
    }
}
