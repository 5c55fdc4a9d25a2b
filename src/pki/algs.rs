//! Certificate signature algorithms rustls-webpki (ring) lacks, verified by `crypto::sign`:
//! signatures by RSASSA-PSS keys (RFC 4055 §3.1, with or without parameters), by ECDSA
//! P-521 keys (RFC 5480, RFC 5758 §3.2) and by Ed448 keys (RFC 8410 §6).

use rustls_pki_types::alg_id;
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

use std::sync::OnceLock;

use crate::crypto::sign::{self, SigHash};
use crate::wire::codepoints::SignatureScheme;

/// id-RSASSA-PSS without parameters: a PSS key with no restriction (RFC 4055 §3.1).
const RSA_PSS_ANY_KEY: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
]);

/// One (key algorithm, signature algorithm) pair, verified as the TLS scheme with the same
/// meaning: the hash from the signature algorithm, the curve or PSS restriction from the key
/// (`sign::verify` in its TLS 1.2 mode, where curve and hash are independent).
#[derive(Debug)]
struct Extra {
    key: AlgorithmIdentifier,
    sig: AlgorithmIdentifier,
    scheme: SignatureScheme,
}

impl SignatureVerificationAlgorithm for Extra {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let spki = spki_der(self.key.as_ref(), public_key);
        sign::verify(self.scheme, &spki, message, signature, true).map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.sig
    }

    fn fips(&self) -> bool {
        false
    }
}

/// SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7) from the AlgorithmIdentifier contents and
/// the subjectPublicKey bits webpki hands over.
fn spki_der(alg: &[u8], key: &[u8]) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend_from_slice(key);
    let mut body = tlv(0x30, alg);
    body.extend(tlv(0x03, &bits));
    tlv(0x30, &body)
}

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(value);
    out
}

macro_rules! extra {
    ($name:ident, $key:expr, $sig:expr, $scheme:ident) => {
        static $name: Extra = Extra {
            key: $key,
            sig: $sig,
            scheme: SignatureScheme::$scheme,
        };
    };
}

extra!(
    P521_SHA512,
    alg_id::ECDSA_P521,
    alg_id::ECDSA_SHA512,
    ECDSA_SECP521R1_SHA512
);
extra!(
    P521_SHA384,
    alg_id::ECDSA_P521,
    alg_id::ECDSA_SHA384,
    ECDSA_SECP384R1_SHA384
);
extra!(
    P521_SHA256,
    alg_id::ECDSA_P521,
    alg_id::ECDSA_SHA256,
    ECDSA_SECP256R1_SHA256
);
extra!(ED448, alg_id::ED448, alg_id::ED448, ED448);

/// An RSASSA-PSS certificate signature with a given hash and salt length (RFC 4055 §3.1),
/// by a key of one AlgorithmIdentifier (rsaEncryption, or id-RSASSA-PSS with or without
/// parameters); `sign::verify_pss_salted` checks the key's restrictions.
#[derive(Debug)]
struct Pss {
    key: AlgorithmIdentifier,
    sig: AlgorithmIdentifier,
    hash: SigHash,
    salt: usize,
}

impl SignatureVerificationAlgorithm for Pss {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let spki = spki_der(self.key.as_ref(), public_key);
        sign::verify_pss_salted(&spki, self.hash, self.salt, message, signature)
            .then_some(())
            .ok_or(InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.sig
    }

    fn fips(&self) -> bool {
        false
    }
}

const HASHES: [(SigHash, AlgorithmIdentifier); 3] = [
    (SigHash::Sha256, alg_id::RSA_PSS_SHA256),
    (SigHash::Sha384, alg_id::RSA_PSS_SHA384),
    (SigHash::Sha512, alg_id::RSA_PSS_SHA512),
];

/// Modulus sizes whose longest salt (what OpenSSL signs certificates with by default) is
/// recognised: a salt of another length is reported as an unsupported algorithm.
const MODULUS_BITS: [usize; 7] = [1024, 2048, 3072, 4096, 6144, 7680, 8192];

/// The salt lengths recognised for a hash: its own length (RFC 8446 §4.2.3, what most
/// signers use) and the longest one for each of MODULUS_BITS (RFC 8017 §9.1.1: emLen - hLen
/// - 2).
fn salts(h: SigHash) -> Vec<usize> {
    let mut v = vec![h.output_len()];
    v.extend(
        MODULUS_BITS
            .iter()
            .map(|b| (b - 1).div_ceil(8) - h.output_len() - 2),
    );
    v
}

/// The signature AlgorithmIdentifier (contents) for `hash` with `salt`: webpki's encoding
/// for salt = hash length (OID, then params: [0] hash, [1] MGF1, [2] salt) with the salt
/// replaced.
fn pss_sig_alg(standard: &[u8], salt: usize) -> Vec<u8> {
    // 11 bytes of OID; params SEQUENCE header (2 bytes); [2] INTEGER 1 byte at the end (5).
    let inner = &standard[13..standard.len() - 5];
    let salt_bytes: Vec<u8> = salt
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    let mut int = if salt_bytes.first().is_some_and(|b| b & 0x80 != 0) {
        vec![0]
    } else {
        vec![]
    };
    int.extend(salt_bytes);
    let mut params = inner.to_vec();
    params.extend(tlv(0xa2, &tlv(0x02, &int)));
    let mut out = standard[..11].to_vec();
    out.extend(tlv(0x30, &params));
    out
}

/// Every (key algorithm, hash, salt) signature encoding, built once.
fn pss_table() -> &'static [Pss] {
    static ENCODINGS: OnceLock<Vec<(SigHash, usize, Vec<u8>)>> = OnceLock::new();
    static TABLE: OnceLock<Vec<Pss>> = OnceLock::new();
    let encodings = ENCODINGS.get_or_init(|| {
        HASHES
            .iter()
            .flat_map(|(h, std)| salts(*h).into_iter().map(|s| (*h, s, pss_sig_alg(std, s))))
            .collect()
    });
    TABLE.get_or_init(|| {
        let mut t = Vec::new();
        for (h, salt, enc) in encodings {
            let sig = AlgorithmIdentifier::from_slice(enc);
            let keys = [
                Some(alg_id::RSA_ENCRYPTION),
                Some(RSA_PSS_ANY_KEY),
                // A restricted key's parameters as OpenSSL writes them: those of the
                // signature with salt = hash length.
                HASHES.iter().find(|(k, _)| k == h).map(|(_, a)| *a),
            ];
            for key in keys.into_iter().flatten() {
                t.push(Pss {
                    key,
                    sig,
                    hash: *h,
                    salt: *salt,
                });
            }
        }
        t
    })
}

/// webpki's own algorithms followed by ours.
pub fn all() -> Vec<&'static dyn SignatureVerificationAlgorithm> {
    let fixed: [&'static dyn SignatureVerificationAlgorithm; 4] =
        [&P521_SHA512, &P521_SHA384, &P521_SHA256, &ED448];
    webpki::ALL_VERIFICATION_ALGS
        .iter()
        .copied()
        .chain(fixed)
        .chain(
            pss_table()
                .iter()
                .map(|p| p as &dyn SignatureVerificationAlgorithm),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_encoding_with_the_hash_length_is_webpkis() {
        for (h, std) in HASHES {
            assert_eq!(pss_sig_alg(std.as_ref(), h.output_len()), std.as_ref());
        }
        // OpenSSL's default for a 2048-bit key and SHA-256: salt 222, INTEGER 00 de.
        let enc = pss_sig_alg(alg_id::RSA_PSS_SHA256.as_ref(), 222);
        assert!(enc.ends_with(&[0xa2, 0x04, 0x02, 0x02, 0x00, 0xde]));
        assert_eq!(enc[12] as usize, enc.len() - 13);
    }

    #[test]
    fn spki_round_trip_of_a_long_key() {
        let key = vec![0xab; 300];
        let der = spki_der(RSA_PSS_ANY_KEY.as_ref(), &key);
        assert_eq!(&der[..4], &[0x30, 0x82, 0x01, 0x3e]);
        assert!(der.ends_with(&key));
    }
}
