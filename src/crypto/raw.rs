//! Raw access to the primitives behind the TLS wrappers, for known-answer tests (Wycheproof).
//!
//! `aead::RecordCipher` builds its nonce and additional data from the record (RFC 8446 §5.2,
//! RFC 5246 §6.2.3.3), so it cannot take the arbitrary nonces and AAD of test vectors; the two
//! functions here seal and open with exactly the same AEAD implementations and the same
//! restrictions (96-bit nonces, the tags and key lengths of `AeadAlg`). `kx::EphemeralKey`
//! draws its private key from a random generator; [`ephemeral_key_from_private`] builds one
//! with a fixed private key so that `EphemeralKey::agree`, the function the handshake uses,
//! can be checked against known shared secrets (and ML-KEM keys from seeds against known
//! encapsulation keys); [`respond_with_random`] runs `kx::respond` with fixed randomness for the
//! ML-KEM encapsulation vectors. Nothing here is used by the handshake.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce};
use chacha20poly1305::ChaCha20Poly1305;
use rand_core::{CryptoRng, RngCore};

use super::aead::AeadAlg;
use super::kx::{self, EcdhKey, EphemeralKey, X448Secret};
use super::soft_aead::SoftAead;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

fn check_lengths(alg: AeadAlg, key: &[u8], nonce: &[u8]) -> Result<(), TlsError> {
    if key.len() != alg.key_len() {
        return Err(TlsError::internal(format!(
            "{} needs a {}-byte key, got {} bytes",
            alg.name(),
            alg.key_len(),
            key.len()
        )));
    }
    if nonce.len() != 12 {
        return Err(TlsError::internal(format!(
            "TLS AEADs use 12-byte nonces, got {} bytes",
            nonce.len()
        )));
    }
    Ok(())
}

fn run(
    alg: AeadAlg,
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    msg: &[u8],
    seal: bool,
) -> Result<Vec<u8>, TlsError> {
    check_lengths(alg, key, nonce)?;
    let n = Nonce::from_slice(nonce);
    let p = Payload { msg, aad };
    let bad = |_| TlsError::internal("bad key");
    let r = match (alg, seal) {
        (AeadAlg::Aes128Gcm, true) => Aes128Gcm::new_from_slice(key).map_err(bad)?.encrypt(n, p),
        (AeadAlg::Aes128Gcm, false) => Aes128Gcm::new_from_slice(key).map_err(bad)?.decrypt(n, p),
        (AeadAlg::Aes256Gcm, true) => Aes256Gcm::new_from_slice(key).map_err(bad)?.encrypt(n, p),
        (AeadAlg::Aes256Gcm, false) => Aes256Gcm::new_from_slice(key).map_err(bad)?.decrypt(n, p),
        (AeadAlg::ChaCha20Poly1305, true) => ChaCha20Poly1305::new_from_slice(key)
            .map_err(bad)?
            .encrypt(n, p),
        (AeadAlg::ChaCha20Poly1305, false) => ChaCha20Poly1305::new_from_slice(key)
            .map_err(bad)?
            .decrypt(n, p),
        // CCM, CCM-8, CAMELLIA-GCM, ARIA-GCM.
        _ => return run_soft(alg, key, nonce, aad, msg, seal),
    };
    r.map_err(|_| TlsError::new(Alert::BadRecordMac, "AEAD operation failed (bad tag)"))
}

/// The AEADs ring lacks (CCM, CCM-8, CAMELLIA-GCM, ARIA-GCM): the same `soft_aead` code the
/// record path uses.
fn run_soft(
    alg: AeadAlg,
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    msg: &[u8],
    seal: bool,
) -> Result<Vec<u8>, TlsError> {
    let c = SoftAead::new(alg, key)
        .ok_or_else(|| TlsError::internal("not a software AEAD, or a bad key"))?;
    let n: [u8; 12] = nonce
        .try_into()
        .map_err(|_| TlsError::internal("bad nonce"))?;
    if seal {
        let mut buf = msg.to_vec();
        c.seal_in_place(n, aad, &mut buf, 0)
            .then_some(buf)
            .ok_or_else(|| TlsError::internal("AEAD limits exceeded"))
    } else {
        c.open(n, aad, msg, alg.tag_len())
            .ok_or_else(|| TlsError::new(Alert::BadRecordMac, "AEAD operation failed (bad tag)"))
    }
}

/// Seals `plaintext` with an explicit 12-byte nonce and AAD; returns ciphertext || tag.
pub fn aead_seal_raw(
    alg: AeadAlg,
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, TlsError> {
    run(alg, key, nonce, aad, plaintext, true)
}

/// Opens ciphertext || tag with an explicit 12-byte nonce and AAD; a bad tag is
/// bad_record_mac, as for records.
pub fn aead_open_raw(
    alg: AeadAlg,
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    ciphertext_and_tag: &[u8],
) -> Result<Vec<u8>, TlsError> {
    run(alg, key, nonce, aad, ciphertext_and_tag, false)
}

/// A "random" generator that returns the given bytes, then zeros: both p256 and p384 draw a
/// scalar by filling a big-endian field-sized buffer and keeping it when it is below the
/// order, so a valid private key comes out unchanged.
struct FixedBytes {
    bytes: Vec<u8>,
    pos: usize,
}

impl RngCore for FixedBytes {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_be_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_be_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for d in dest {
            *d = self.bytes.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for FixedBytes {}

/// Big-endian `private` padded or stripped (leading zeros) to `len` bytes.
fn fit(private: &[u8], len: usize, name: &str) -> Result<Vec<u8>, TlsError> {
    let start = private
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(private.len());
    let digits = &private[start..];
    if digits.len() > len {
        return Err(TlsError::internal(format!(
            "{name} private key longer than {len} bytes"
        )));
    }
    let mut out = vec![0u8; len - digits.len()];
    out.extend_from_slice(digits);
    Ok(out)
}

/// An `EphemeralKey` with a fixed private key (test vectors only). X25519 and X448 take the
/// 32- or 56-byte scalar as is (clamped when used, RFC 7748 §5); P-256/P-384/P-521 take a
/// big-endian scalar in [1, n-1], checked by comparing the public key with the one derived
/// directly; ML-KEM (pure groups) takes the 64-byte seed d || z of FIPS 203 Algorithm 19 (fed
/// to the same key generation the handshake uses) or an encoded decapsulation key.
pub fn ephemeral_key_from_private(
    group: NamedGroup,
    private: &[u8],
) -> Result<EphemeralKey, TlsError> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let fixed = |b: Vec<u8>| FixedBytes { bytes: b, pos: 0 };
    let ecdh = match group {
        NamedGroup::X25519 => {
            let b: [u8; 32] = private
                .try_into()
                .map_err(|_| TlsError::internal("x25519 private key must be 32 bytes"))?;
            EcdhKey::X25519(x25519_dalek::StaticSecret::from(b))
        }
        NamedGroup::X448 => {
            let b: [u8; 56] = private
                .try_into()
                .map_err(|_| TlsError::internal("x448 private key must be 56 bytes"))?;
            EcdhKey::X448(X448Secret::from_bytes(b))
        }
        NamedGroup::SECP256R1 => {
            let b = fit(private, 32, "secp256r1")?;
            let sk = p256::SecretKey::from_slice(&b)
                .map_err(|_| TlsError::internal("secp256r1 private key out of range"))?;
            let key = EcdhKey::P256(p256::ecdh::EphemeralSecret::random(&mut fixed(b)));
            same_public(
                key,
                sk.public_key().to_encoded_point(false).as_bytes(),
                group,
            )?
        }
        NamedGroup::SECP384R1 => {
            let b = fit(private, 48, "secp384r1")?;
            let sk = p384::SecretKey::from_slice(&b)
                .map_err(|_| TlsError::internal("secp384r1 private key out of range"))?;
            let key = EcdhKey::P384(p384::ecdh::EphemeralSecret::random(&mut fixed(b)));
            same_public(
                key,
                sk.public_key().to_encoded_point(false).as_bytes(),
                group,
            )?
        }
        NamedGroup::SECP521R1 => {
            let b = fit(private, 66, "secp521r1")?;
            let sk = p521::SecretKey::from_slice(&b)
                .map_err(|_| TlsError::internal("secp521r1 private key out of range"))?;
            let key = EcdhKey::P521(p521::ecdh::EphemeralSecret::random(&mut fixed(b)));
            same_public(
                key,
                sk.public_key().to_encoded_point(false).as_bytes(),
                group,
            )?
        }
        g if [kx::MLKEM512, kx::MLKEM768, kx::MLKEM1024].contains(&g) && private.len() == 64 => {
            return EphemeralKey::generate(g, &mut fixed(private.to_vec()));
        }
        g => {
            return kx::mlkem_key_from_decapsulation_key(g, private)
                .map(EphemeralKey::MlKem)
                .ok_or_else(|| TlsError::internal(format!("no fixed private key for group {g}")));
        }
    };
    Ok(EphemeralKey::Ecdh(ecdh))
}

/// The key itself when its public key is `want`: the fixed-bytes generator fed the scalar.
fn same_public(key: EcdhKey, want: &[u8], group: NamedGroup) -> Result<EcdhKey, TlsError> {
    if key.public_key() != want {
        return Err(TlsError::internal(format!(
            "{group} fixed key construction failed"
        )));
    }
    Ok(key)
}

/// `kx::respond` with `random` as the server's randomness (test vectors only): for ML-KEM the
/// 32-byte message m of FIPS 203 Algorithm 17, so that the ciphertext and the secret can be
/// checked against known answers.
pub fn respond_with_random(
    group: NamedGroup,
    client_share: &[u8],
    random: &[u8],
) -> Result<kx::KeyShareResponse, TlsError> {
    let mut rng = FixedBytes {
        bytes: random.to_vec(),
        pos: 0,
    };
    kx::respond(group, client_share, &mut rng, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_aead_round_trip_and_tamper() {
        for alg in AeadAlg::ALL {
            let key = vec![3u8; alg.key_len()];
            let ct = aead_seal_raw(alg, &key, &[1; 12], b"aad", b"hello").unwrap();
            assert_eq!(ct.len(), 5 + alg.tag_len());
            assert_eq!(
                aead_open_raw(alg, &key, &[1; 12], b"aad", &ct).unwrap(),
                b"hello"
            );
            assert_eq!(
                aead_open_raw(alg, &key, &[1; 12], b"aaD", &ct)
                    .unwrap_err()
                    .alert,
                Alert::BadRecordMac
            );
            assert!(aead_seal_raw(alg, &key, &[1; 8], b"", b"").is_err());
        }
    }

    #[test]
    fn fixed_keys_agree() {
        for g in [
            NamedGroup::X25519,
            NamedGroup::SECP256R1,
            NamedGroup::SECP384R1,
            NamedGroup::SECP521R1,
        ] {
            let a = ephemeral_key_from_private(g, &[7u8; 32]).unwrap();
            let b = ephemeral_key_from_private(g, &[9u8; 32]).unwrap();
            let (pa, pb) = (a.public_key(), b.public_key());
            assert_eq!(a.agree(&pb).unwrap(), b.agree(&pa).unwrap());
        }
        let a = ephemeral_key_from_private(NamedGroup::X448, &[7u8; 56]).unwrap();
        let b = ephemeral_key_from_private(NamedGroup::X448, &[9u8; 56]).unwrap();
        let (pa, pb) = (a.public_key(), b.public_key());
        assert_eq!(a.agree(&pb).unwrap(), b.agree(&pa).unwrap());
        // Wrong sizes, and groups without fixed keys, are refused.
        assert!(ephemeral_key_from_private(NamedGroup::X448, &[7u8; 32]).is_err());
        assert!(ephemeral_key_from_private(kx::MLKEM768, &[7u8; 63]).is_err());
        assert!(ephemeral_key_from_private(NamedGroup::FFDHE2048, &[7u8; 32]).is_err());
    }
}
