//! Record protection: `RecordCipher` is either an AEAD (AES-GCM and ChaCha20-Poly1305 on ring;
//! AES-CCM/CCM-8, CAMELLIA-GCM and ARIA-GCM from RustCrypto in `super::soft_aead`) with the TLS
//! 1.2 nonce/AAD rules of RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 6655 §3, RFC 7905 §2 and the
//! TLS 1.3 ones of RFC 8446 §5.2, §5.3, or CBC-HMAC for TLS 1.0-1.2 (`super::cbc`, RFC 5246
//! §6.2.3.2).

use ring::aead::{
    Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM, AES_256_GCM, CHACHA20_POLY1305,
};

use super::cbc::CbcCipher;
use super::soft_aead::SoftAead;
use crate::error::{Alert, TlsError};

/// The AEAD of a cipher suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AeadAlg {
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
    /// AES-CCM with a 16-byte tag (RFC 6655 §3, RFC 7251 §2, RFC 8446 §B.4).
    Aes128Ccm,
    Aes256Ccm,
    /// AES-CCM with an 8-byte tag (RFC 6655 §3 "CCM_8").
    Aes128Ccm8,
    Aes256Ccm8,
    /// CAMELLIA in GCM (RFC 6367 §3).
    Camellia128Gcm,
    Camellia256Gcm,
    /// ARIA in GCM (RFC 6209 §2).
    Aria128Gcm,
    Aria256Gcm,
}

impl AeadAlg {
    /// Every AEAD, for tests and benches.
    pub const ALL: [AeadAlg; 11] = [
        AeadAlg::Aes128Gcm,
        AeadAlg::Aes256Gcm,
        AeadAlg::ChaCha20Poly1305,
        AeadAlg::Aes128Ccm,
        AeadAlg::Aes256Ccm,
        AeadAlg::Aes128Ccm8,
        AeadAlg::Aes256Ccm8,
        AeadAlg::Camellia128Gcm,
        AeadAlg::Camellia256Gcm,
        AeadAlg::Aria128Gcm,
        AeadAlg::Aria256Gcm,
    ];

    /// Key length in bytes.
    pub fn key_len(self) -> usize {
        use AeadAlg::*;
        match self {
            Aes128Gcm | Aes128Ccm | Aes128Ccm8 | Camellia128Gcm | Aria128Gcm => 16,
            Aes256Gcm | ChaCha20Poly1305 | Aes256Ccm | Aes256Ccm8 | Camellia256Gcm | Aria256Gcm => {
                32
            }
        }
    }

    /// The implicit IV taken from the TLS 1.2 key block: 4 bytes for GCM (RFC 5288 §3) and CCM
    /// (RFC 6655 §3), 12 for ChaCha20-Poly1305 (RFC 7905 §2).
    pub fn tls12_fixed_iv_len(self) -> usize {
        match self {
            AeadAlg::ChaCha20Poly1305 => 12,
            _ => 4,
        }
    }

    /// The explicit per-record nonce carried in TLS 1.2 records (8 for GCM and CCM, 0 for
    /// ChaCha).
    pub fn tls12_explicit_nonce_len(self) -> usize {
        match self {
            AeadAlg::ChaCha20Poly1305 => 0,
            _ => 8,
        }
    }

    /// Authentication tag length: 8 for CCM-8 (RFC 6655 §3), 16 for the others.
    pub fn tag_len(self) -> usize {
        match self {
            AeadAlg::Aes128Ccm8 | AeadAlg::Aes256Ccm8 => 8,
            _ => 16,
        }
    }

    /// Display name, e.g. "AES-128-GCM".
    pub fn name(self) -> &'static str {
        match self {
            AeadAlg::Aes128Gcm => "AES-128-GCM",
            AeadAlg::Aes256Gcm => "AES-256-GCM",
            AeadAlg::ChaCha20Poly1305 => "ChaCha20-Poly1305",
            AeadAlg::Aes128Ccm => "AES-128-CCM",
            AeadAlg::Aes256Ccm => "AES-256-CCM",
            AeadAlg::Aes128Ccm8 => "AES-128-CCM-8",
            AeadAlg::Aes256Ccm8 => "AES-256-CCM-8",
            AeadAlg::Camellia128Gcm => "CAMELLIA-128-GCM",
            AeadAlg::Camellia256Gcm => "CAMELLIA-256-GCM",
            AeadAlg::Aria128Gcm => "ARIA-128-GCM",
            AeadAlg::Aria256Gcm => "ARIA-256-GCM",
        }
    }
}

/// The keyed AEAD: ring's assembly AES-GCM and ChaCha20-Poly1305, or a RustCrypto one for the
/// rest (the algorithm is fixed by the key; `AeadAlg` keeps the TLS-level facts). All
/// operations work in place on one buffer. Boxed: an expanded key is several hundred bytes,
/// and record ciphers sit in state enums.
#[derive(Clone)]
enum Cipher {
    Ring(Box<LessSafeKey>),
    Soft(Box<SoftAead>),
}

impl Cipher {
    fn new(alg: AeadAlg, key: &[u8]) -> Result<Self, TlsError> {
        let wrong = || {
            TlsError::internal(format!(
                "{} needs a {}-byte key, got {} bytes",
                alg.name(),
                alg.key_len(),
                key.len()
            ))
        };
        let ring_alg = match alg {
            AeadAlg::Aes128Gcm => &AES_128_GCM,
            AeadAlg::Aes256Gcm => &AES_256_GCM,
            AeadAlg::ChaCha20Poly1305 => &CHACHA20_POLY1305,
            _ => {
                return SoftAead::new(alg, key)
                    .map(|c| Cipher::Soft(Box::new(c)))
                    .ok_or_else(wrong)
            }
        };
        let unbound = UnboundKey::new(ring_alg, key).map_err(|_| wrong())?;
        Ok(Cipher::Ring(Box::new(LessSafeKey::new(unbound))))
    }

    /// Encrypts `buf[start..]` in place and appends the tag; false (buffer untouched past
    /// `start` in length) only on absurd sizes beyond the AEAD limits.
    fn seal_in_place(&self, nonce: [u8; 12], aad: &[u8], buf: &mut Vec<u8>, start: usize) -> bool {
        let key = match self {
            Cipher::Ring(key) => key,
            Cipher::Soft(c) => return c.seal_in_place(nonce, aad, buf, start),
        };
        let n = Nonce::assume_unique_for_key(nonce);
        match key.seal_in_place_separate_tag(n, Aad::from(aad), &mut buf[start..]) {
            Ok(tag) => {
                buf.extend_from_slice(tag.as_ref());
                true
            }
            Err(_) => false,
        }
    }

    /// Decrypts ciphertext || tag and returns the plaintext, or None when the tag is wrong.
    fn open(
        &self,
        alg: AeadAlg,
        nonce: [u8; 12],
        aad: &[u8],
        ct_and_tag: &[u8],
    ) -> Option<Vec<u8>> {
        let key = match self {
            Cipher::Ring(key) => key,
            Cipher::Soft(c) => return c.open(nonce, aad, ct_and_tag, alg.tag_len()),
        };
        let n = Nonce::assume_unique_for_key(nonce);
        let mut buf = ct_and_tag.to_vec();
        let len = key.open_in_place(n, Aad::from(aad), &mut buf).ok()?.len();
        buf.truncate(len);
        Some(buf)
    }
}

/// Record protection for one direction, AEAD or CBC-HMAC. The sequence number is kept by the
/// caller; `seal` and `open` take `&mut self` because TLS 1.0 CBC chains its IV from record to
/// record and TLS 1.1+ CBC draws a fresh IV for each record.
#[derive(Debug)]
pub enum RecordCipher {
    Aead(AeadCipher),
    Cbc(Box<CbcCipher>),
}

impl RecordCipher {
    /// TLS 1.2 AEAD protection with the key and fixed IV from the key block (RFC 5246 §6.3).
    pub fn tls12(alg: AeadAlg, key: &[u8], fixed_iv: &[u8]) -> Result<Self, TlsError> {
        AeadCipher::tls12(alg, key, fixed_iv).map(RecordCipher::Aead)
    }

    /// TLS 1.3 protection with a traffic key and 12-byte IV (RFC 8446 §7.3).
    pub fn tls13(alg: AeadAlg, key: &[u8], iv: &[u8]) -> Result<Self, TlsError> {
        AeadCipher::tls13(alg, key, iv).map(RecordCipher::Aead)
    }

    /// CBC-HMAC protection (TLS 1.0-1.2).
    pub fn cbc(c: CbcCipher) -> Self {
        RecordCipher::Cbc(Box::new(c))
    }

    /// True when the TLS 1.3 rules apply.
    pub fn is_tls13(&self) -> bool {
        matches!(self, RecordCipher::Aead(a) if a.is_tls13())
    }

    /// Protects one record and returns the fragment to put after the record header (see
    /// `AeadCipher::seal` and `CbcCipher::seal`).
    pub fn seal(&mut self, seq: u64, content_type: u8, version: u16, plaintext: &[u8]) -> Vec<u8> {
        if crate::crypto::fuzzing::ON {
            return crate::crypto::fuzzing::seal(plaintext, self.overhead());
        }
        match self {
            RecordCipher::Aead(a) => a.seal(seq, content_type, version, plaintext),
            RecordCipher::Cbc(c) => c.seal(seq, content_type, version, plaintext),
        }
    }

    /// A CBC record with a caller-chosen padding (`CbcCipher::seal_with_padding`); None for
    /// an AEAD.
    pub fn seal_with_padding(
        &mut self,
        seq: u64,
        content_type: u8,
        version: u16,
        plaintext: &[u8],
        padding: &[u8],
    ) -> Option<Vec<u8>> {
        match self {
            RecordCipher::Aead(_) => None,
            RecordCipher::Cbc(c) => {
                c.seal_with_padding(seq, content_type, version, plaintext, padding)
            }
        }
    }

    /// Removes the protection of one record fragment; any failure is bad_record_mac.
    pub fn open(
        &mut self,
        seq: u64,
        content_type: u8,
        version: u16,
        fragment: &[u8],
    ) -> Result<Vec<u8>, TlsError> {
        if crate::crypto::fuzzing::ON {
            return crate::crypto::fuzzing::open(fragment, self.overhead());
        }
        match self {
            RecordCipher::Aead(a) => a.open(seq, content_type, version, fragment),
            RecordCipher::Cbc(c) => c.open(seq, content_type, version, fragment),
        }
    }

    /// Bytes added to each record (for CBC: the most, with full padding).
    pub fn overhead(&self) -> usize {
        match self {
            RecordCipher::Aead(a) => a.overhead(),
            RecordCipher::Cbc(c) => c.overhead(),
        }
    }
}

/// AEAD record protection for one direction: the key, the IV and whether the TLS 1.2 or TLS 1.3
/// nonce and additional-data rules apply.
#[derive(Clone)]
pub struct AeadCipher {
    alg: AeadAlg,
    cipher: Cipher,
    /// TLS 1.2 GCM: the 4-byte salt; TLS 1.2 ChaCha and TLS 1.3: the 12-byte IV.
    iv: Vec<u8>,
    tls13: bool,
}

impl std::fmt::Debug for AeadCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AeadCipher")
            .field("alg", &self.alg)
            .field("tls13", &self.tls13)
            .finish_non_exhaustive()
    }
}

fn bad_record_mac(msg: &str) -> TlsError {
    TlsError::new(Alert::BadRecordMac, msg)
}

impl AeadCipher {
    /// TLS 1.2 protection with the key and fixed IV from the key block (RFC 5246 §6.3).
    pub fn tls12(alg: AeadAlg, key: &[u8], fixed_iv: &[u8]) -> Result<Self, TlsError> {
        if fixed_iv.len() != alg.tls12_fixed_iv_len() {
            return Err(TlsError::internal(format!(
                "{} in TLS 1.2 needs a {}-byte fixed IV, got {} bytes",
                alg.name(),
                alg.tls12_fixed_iv_len(),
                fixed_iv.len()
            )));
        }
        Ok(AeadCipher {
            alg,
            cipher: Cipher::new(alg, key)?,
            iv: fixed_iv.to_vec(),
            tls13: false,
        })
    }

    /// TLS 1.3 protection with a traffic key and 12-byte IV (RFC 8446 §7.3).
    pub fn tls13(alg: AeadAlg, key: &[u8], iv: &[u8]) -> Result<Self, TlsError> {
        if iv.len() != 12 {
            return Err(TlsError::internal(format!(
                "TLS 1.3 needs a 12-byte IV, got {} bytes",
                iv.len()
            )));
        }
        Ok(AeadCipher {
            alg,
            cipher: Cipher::new(alg, key)?,
            iv: iv.to_vec(),
            tls13: true,
        })
    }

    /// The AEAD in use.
    pub fn alg(&self) -> AeadAlg {
        self.alg
    }

    /// True when the TLS 1.3 rules apply.
    pub fn is_tls13(&self) -> bool {
        self.tls13
    }

    /// Whether records carry an explicit nonce (TLS 1.2 GCM and CCM).
    fn explicit_nonce(&self) -> bool {
        !self.tls13 && self.alg.tls12_explicit_nonce_len() == 8
    }

    /// The 12-byte nonce for a record: the IV XOR the sequence number padded on the left
    /// (RFC 8446 §5.3, RFC 7905 §2; the TLS 1.3 CCM suites too, RFC 8446 §B.4), or salt ||
    /// explicit for TLS 1.2 GCM (RFC 5288 §3) and CCM (RFC 6655 §3).
    fn nonce(&self, seq: u64, explicit: Option<&[u8]>) -> [u8; 12] {
        let mut n = [0u8; 12];
        match explicit {
            Some(e) => {
                n[..4].copy_from_slice(&self.iv[..4]);
                n[4..].copy_from_slice(&e[..8]);
            }
            None => {
                n.copy_from_slice(&self.iv[..12]);
                for (b, s) in n[4..].iter_mut().zip(seq.to_be_bytes()) {
                    *b ^= s;
                }
            }
        }
        n
    }

    /// TLS 1.2 additional data: seq_num(8) || type || version || length (RFC 5246 §6.2.3.3).
    fn aad12(seq: u64, content_type: u8, version: u16, len: usize) -> [u8; 13] {
        let mut a = [0u8; 13];
        a[..8].copy_from_slice(&seq.to_be_bytes());
        a[8] = content_type;
        a[9..11].copy_from_slice(&version.to_be_bytes());
        a[11..].copy_from_slice(&(len as u16).to_be_bytes());
        a
    }

    /// TLS 1.3 additional data: the record header, opaque_type || legacy_record_version ||
    /// length of the protected fragment (RFC 8446 §5.2).
    fn aad13(content_type: u8, version: u16, len: usize) -> [u8; 5] {
        let v = version.to_be_bytes();
        let l = (len as u16).to_be_bytes();
        [content_type, v[0], v[1], l[0], l[1]]
    }

    /// Protects one record and returns the fragment to put after the record header.
    ///
    /// TLS 1.2: AAD = seq(8) || content_type || version(2) || plaintext length(2). GCM and CCM:
    /// nonce = fixed_iv(4) || explicit(8) where explicit = seq big-endian (RFC 6655 §3 allows
    /// the sequence number), and the returned fragment = explicit || ciphertext || tag. ChaCha20: nonce = fixed_iv XOR (0000 || seq), no explicit
    /// part.
    ///
    /// TLS 1.3: `plaintext` is the complete TLSInnerPlaintext; content_type/version are the
    /// outer header values (23, 0x0303); AAD = 23 || 0303 || (plaintext.len()+tag) as u16;
    /// nonce = iv XOR seq (padded left).
    ///
    /// Plaintexts are bounded by the record layer (2^14 + 256), far below the AEAD limits; an
    /// AEAD failure on absurd sizes yields an empty vector.
    pub fn seal(&self, seq: u64, content_type: u8, version: u16, plaintext: &[u8]) -> Vec<u8> {
        let tag = self.alg.tag_len();
        let explicit = self.explicit_nonce().then(|| seq.to_be_bytes());
        let prefix = explicit.map_or(0, |e| e.len());
        let mut out = Vec::with_capacity(prefix + plaintext.len() + tag);
        if let Some(e) = &explicit {
            out.extend_from_slice(e);
        }
        out.extend_from_slice(plaintext);
        let nonce = self.nonce(seq, explicit.as_ref().map(|e| &e[..]));
        let sealed = if self.tls13 {
            let aad = Self::aad13(content_type, version, plaintext.len() + tag);
            self.cipher.seal_in_place(nonce, &aad, &mut out, prefix)
        } else {
            let aad = Self::aad12(seq, content_type, version, plaintext.len());
            self.cipher.seal_in_place(nonce, &aad, &mut out, prefix)
        };
        if sealed {
            out
        } else {
            Vec::new()
        }
    }

    /// Removes the protection of one record fragment. Any failure (too short, tag mismatch)
    /// -> TlsError with Alert::BadRecordMac (RFC 8446 §5.2, RFC 5246 §6.2.3.3). For TLS 1.3 the
    /// AAD uses fragment.len(), and the result is the TLSInnerPlaintext (content, type, zeros).
    pub fn open(
        &self,
        seq: u64,
        content_type: u8,
        version: u16,
        fragment: &[u8],
    ) -> Result<Vec<u8>, TlsError> {
        let tag = self.alg.tag_len();
        if self.tls13 {
            if fragment.len() < tag {
                return Err(bad_record_mac(
                    "the encrypted record is shorter than the tag",
                ));
            }
            let aad = Self::aad13(content_type, version, fragment.len());
            return self
                .cipher
                .open(self.alg, self.nonce(seq, None), &aad, fragment)
                .ok_or_else(|| bad_record_mac("record decryption failed (bad tag)"));
        }
        if self.explicit_nonce() {
            if fragment.len() < 8 + tag {
                return Err(bad_record_mac(
                    "the encrypted record is shorter than the explicit nonce and tag",
                ));
            }
            let (explicit, ct) = fragment.split_at(8);
            let aad = Self::aad12(seq, content_type, version, ct.len() - tag);
            self.cipher
                .open(self.alg, self.nonce(seq, Some(explicit)), &aad, ct)
                .ok_or_else(|| bad_record_mac("record decryption failed (bad tag)"))
        } else {
            if fragment.len() < tag {
                return Err(bad_record_mac(
                    "the encrypted record is shorter than the tag",
                ));
            }
            let aad = Self::aad12(seq, content_type, version, fragment.len() - tag);
            self.cipher
                .open(self.alg, self.nonce(seq, None), &aad, fragment)
                .ok_or_else(|| bad_record_mac("record decryption failed (bad tag)"))
        }
    }

    /// Bytes added to each record: explicit nonce (TLS 1.2 GCM and CCM) + tag.
    pub fn overhead(&self) -> usize {
        let explicit = if self.explicit_nonce() { 8 } else { 0 };
        explicit + self.alg.tag_len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALGS: [AeadAlg; 11] = AeadAlg::ALL;

    fn ciphers() -> Vec<RecordCipher> {
        let mut v = Vec::new();
        for alg in ALGS {
            let key: Vec<u8> = (0..alg.key_len() as u8).collect();
            let fixed: Vec<u8> = (100..100 + alg.tls12_fixed_iv_len() as u8).collect();
            v.push(RecordCipher::tls12(alg, &key, &fixed).unwrap());
            v.push(RecordCipher::tls13(alg, &key, &[7u8; 12]).unwrap());
        }
        v
    }

    #[test]
    fn round_trip_all_algorithms_both_versions() {
        for mut c in ciphers() {
            for (seq, pt) in [
                (0u64, &b""[..]),
                (1, b"hello"),
                (u64::MAX, &[0x17u8; 300][..]),
            ] {
                let frag = c.seal(seq, 23, 0x0303, pt);
                assert_eq!(frag.len(), pt.len() + c.overhead(), "{c:?}");
                assert_eq!(c.open(seq, 23, 0x0303, &frag).unwrap(), pt, "{c:?}");
                // Wrong sequence number, type or version: bad_record_mac.
                assert_eq!(
                    c.open(seq.wrapping_add(1), 23, 0x0303, &frag)
                        .unwrap_err()
                        .alert,
                    Alert::BadRecordMac
                );
                if !c.is_tls13() {
                    assert!(c.open(seq, 22, 0x0303, &frag).is_err());
                }
                assert!(c.open(seq, 23, 0x0301, &frag).is_err());
            }
        }
    }

    #[test]
    fn tampering_and_truncation_give_bad_record_mac() {
        for mut c in ciphers() {
            let frag = c.seal(5, 23, 0x0303, b"some application data");
            for i in [0, frag.len() / 2, frag.len() - 1] {
                let mut bad = frag.clone();
                bad[i] ^= 0x01;
                assert_eq!(
                    c.open(5, 23, 0x0303, &bad).unwrap_err().alert,
                    Alert::BadRecordMac
                );
            }
            for n in 0..c.overhead() {
                assert_eq!(
                    c.open(5, 23, 0x0303, &frag[..n]).unwrap_err().alert,
                    Alert::BadRecordMac
                );
            }
        }
    }

    #[test]
    fn tls12_gcm_layout() {
        let mut c = RecordCipher::tls12(AeadAlg::Aes128Gcm, &[1u8; 16], &[2u8; 4]).unwrap();
        let frag = c.seal(0x0102030405060708, 22, 0x0303, b"x");
        assert_eq!(&frag[..8], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(c.overhead(), 24);
        // The explicit nonce is taken from the record, not recomputed.
        let mut other = frag.clone();
        other[7] ^= 1;
        assert!(c.open(0x0102030405060708, 22, 0x0303, &other).is_err());
    }

    #[test]
    fn tls13_nonce_and_aad_match_a_direct_computation() {
        let key = [9u8; 32];
        let iv: Vec<u8> = (0..12).collect();
        let mut c = RecordCipher::tls13(AeadAlg::ChaCha20Poly1305, &key, &iv).unwrap();
        let inner = b"data\x17";
        let frag = c.seal(2, 23, 0x0303, inner);
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&iv);
        nonce[11] ^= 2;
        let aad = [23, 3, 3, 0, (inner.len() + 16) as u8];
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        let direct = chacha20poly1305::ChaCha20Poly1305::new_from_slice(&key)
            .unwrap()
            .encrypt(
                chacha20poly1305::Nonce::from_slice(&nonce),
                Payload {
                    msg: inner,
                    aad: &aad,
                },
            )
            .unwrap();
        assert_eq!(frag, direct);
    }

    /// ring (the record path) against RustCrypto (`raw`, an independent implementation) for
    /// every AEAD, both TLS versions and sizes around the 16-byte block and the 2^14 record.
    /// For CCM, CAMELLIA-GCM and ARIA-GCM both sides are RustCrypto: there it checks the
    /// record nonce (TLS 1.2 salt || explicit seq, RFC 6655 §3; TLS 1.3 IV XOR seq, RFC 8446
    /// §5.3), the additional data and the tag length against a construction written out here.
    #[test]
    fn ring_record_path_matches_rustcrypto_for_all_sizes() {
        use crate::crypto::raw::{aead_open_raw, aead_seal_raw};
        for alg in ALGS {
            let key: Vec<u8> = (0..alg.key_len() as u8)
                .map(|b| b.wrapping_mul(31))
                .collect();
            let iv: Vec<u8> = (40..52).collect();
            let fixed = &iv[..alg.tls12_fixed_iv_len()];
            let mut c12 = RecordCipher::tls12(alg, &key, fixed).unwrap();
            let mut c13 = RecordCipher::tls13(alg, &key, &iv).unwrap();
            for len in [0usize, 1, 15, 16, 17, 255, 4096, 16384, 16384 + 256] {
                let pt: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
                let seq = 0x0102_0304_0506_0708u64 + len as u64;
                let mut nonce = [0u8; 12];
                nonce.copy_from_slice(&iv);
                for (b, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
                    *b ^= s;
                }
                // TLS 1.3 (RFC 8446 §5.2, §5.3).
                let ct_len = len + alg.tag_len();
                let aad13 = [23, 3, 3, (ct_len >> 8) as u8, ct_len as u8];
                let want = aead_seal_raw(alg, &key, &nonce, &aad13, &pt).unwrap();
                let got = c13.seal(seq, 23, 0x0303, &pt);
                assert_eq!(got, want, "{} TLS 1.3 len {len}", alg.name());
                assert_eq!(c13.open(seq, 23, 0x0303, &got).unwrap(), pt);
                // TLS 1.2 (RFC 5246 §6.2.3.3; RFC 5288 §3 salt || explicit, RFC 7905 §2).
                let mut aad12 = seq.to_be_bytes().to_vec();
                aad12.extend_from_slice(&[23, 3, 3, (len >> 8) as u8, len as u8]);
                let got = c12.seal(seq, 23, 0x0303, &pt);
                let (explicit, body) = got.split_at(alg.tls12_explicit_nonce_len());
                let nonce12 = if explicit.is_empty() {
                    nonce.to_vec()
                } else {
                    assert_eq!(explicit, seq.to_be_bytes());
                    [fixed, explicit].concat()
                };
                let want = aead_seal_raw(alg, &key, &nonce12, &aad12, &pt).unwrap();
                assert_eq!(body, &want[..], "{} TLS 1.2 len {len}", alg.name());
                assert_eq!(
                    aead_open_raw(alg, &key, &nonce12, &aad12, body).unwrap(),
                    pt
                );
                assert_eq!(c12.open(seq, 23, 0x0303, &got).unwrap(), pt);
            }
        }
    }

    /// The software AEADs sit behind a box like ring's keys, so the record cipher (kept in
    /// state enums, moved on every step) stays small.
    #[test]
    fn record_cipher_stays_small() {
        assert!(std::mem::size_of::<RecordCipher>() <= 48);
        assert_eq!(std::mem::size_of::<Cipher>(), 16);
    }

    #[test]
    fn bad_key_or_iv_lengths_are_errors() {
        assert!(RecordCipher::tls12(AeadAlg::Aes128Gcm, &[0; 15], &[0; 4]).is_err());
        assert!(RecordCipher::tls12(AeadAlg::Aes128Gcm, &[0; 16], &[0; 12]).is_err());
        assert!(RecordCipher::tls12(AeadAlg::ChaCha20Poly1305, &[0; 32], &[0; 4]).is_err());
        assert!(RecordCipher::tls13(AeadAlg::Aes256Gcm, &[0; 32], &[0; 8]).is_err());
        assert_eq!(AeadAlg::ChaCha20Poly1305.tls12_fixed_iv_len(), 12);
        assert_eq!(AeadAlg::Aes256Gcm.key_len(), 32);
        assert_eq!(AeadAlg::Aes128Gcm.name(), "AES-128-GCM");
    }
}
