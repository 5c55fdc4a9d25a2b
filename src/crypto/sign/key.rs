//! Our own private key (server or client certificate key): which schemes it can make
//! (RFC 8446 §4.2.3), signing with them, and RSA key transport decryption (RFC 5246 §7.4.7.1).

use p256::ecdsa::signature::hazmat::RandomizedPrehashSigner;
use rand_core::RngCore;
use rsa::pkcs1::der::asn1::BitString;
use rsa::pkcs1::der::{Decode, Encode};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfo};
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};

use super::pss::PssRestriction;
use super::{ecdsa_prehash, kind, legacy_digest, Kind, SigHash};
use crate::crypto::rng::TlsRng;
use crate::crypto::rsa_premaster::{PremasterKey, PREMASTER_LEN};
use crate::error::TlsError;
use crate::wire::codepoints::SignatureScheme;

/// Our own private key (server certificate key or client certificate key).
pub enum SigningKey {
    Rsa(Box<RsaKey>),
    /// An id-RSASSA-PSS key (RFC 4055): rsa_pss_pss_* only, never key transport.
    RsaPss(Box<PssKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(Box<p521::ecdsa::SigningKey>),
    Ed25519(ed25519_dalek::SigningKey),
    Ed448(Box<ed448_goldilocks_plus::SigningKey>),
}

/// An RSA private key: signing uses the `rsa` crate's key (dereferenced to), RSA key transport
/// the same key prepared for constant-time decryption (`rsa_premaster`), done once at load.
pub struct RsaKey {
    key: RsaPrivateKey,
    /// None only for a modulus the constant-time code does not take (over 16384 bits, or
    /// even): RSA key transport then always ends in bad_record_mac.
    premaster: Option<PremasterKey>,
}

impl RsaKey {
    pub fn new(key: RsaPrivateKey) -> RsaKey {
        let premaster = PremasterKey::new(&key);
        RsaKey { key, premaster }
    }
}

impl std::ops::Deref for RsaKey {
    type Target = RsaPrivateKey;
    fn deref(&self) -> &RsaPrivateKey {
        &self.key
    }
}

/// An RSASSA-PSS key: the RSA key, what its parameters allow, and its AlgorithmIdentifier
/// (DER, parameters included) for the SubjectPublicKeyInfo.
pub struct PssKey {
    pub(super) key: RsaPrivateKey,
    pub(super) restriction: PssRestriction,
    pub(super) algorithm: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.description())
    }
}

/// DER signature of a RandomizedPrehashSigner ECDSA key over `prehash`.
macro_rules! ecdsa_sign {
    ($curve:ident, $k:expr, $rng:expr, $prehash:expr) => {{
        $k.sign_prehash_with_rng($rng, $prehash)
            .map(|sig: $curve::ecdsa::Signature| sig.to_der().as_bytes().to_vec())
            .map_err(|e| e.to_string())
    }};
}

impl SigningKey {
    /// A fresh P-256 key (for generated test certificates).
    pub fn generate_p256(rng: &mut TlsRng) -> Self {
        SigningKey::P256(p256::ecdsa::SigningKey::random(rng))
    }

    /// "RSA 2048", "RSA-PSS 2048", "ECDSA P-256", "ECDSA P-384", "ECDSA P-521", "Ed25519",
    /// "Ed448".
    pub fn description(&self) -> String {
        match self {
            SigningKey::Rsa(k) => format!("RSA {}", k.size() * 8),
            SigningKey::RsaPss(k) => format!("RSA-PSS {}", k.key.size() * 8),
            SigningKey::P256(_) => "ECDSA P-256".into(),
            SigningKey::P384(_) => "ECDSA P-384".into(),
            SigningKey::P521(_) => "ECDSA P-521".into(),
            SigningKey::Ed25519(_) => "Ed25519".into(),
            SigningKey::Ed448(_) => "Ed448".into(),
        }
    }

    /// The public key as SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7).
    pub fn public_key_spki_der(&self) -> Vec<u8> {
        let der = match self {
            SigningKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            SigningKey::RsaPss(k) => return pss_spki(k).unwrap_or_default(),
            SigningKey::P256(k) => k.verifying_key().to_public_key_der(),
            SigningKey::P384(k) => k.verifying_key().to_public_key_der(),
            SigningKey::P521(k) => {
                p521::PublicKey::from_affine(*p521::ecdsa::VerifyingKey::from(&**k).as_affine())
                    .map_err(|_| rsa::pkcs8::spki::Error::KeyMalformed)
                    .and_then(|p| p.to_public_key_der())
            }
            SigningKey::Ed25519(k) => k.verifying_key().to_public_key_der(),
            SigningKey::Ed448(k) => return ed448_spki(&k.verifying_key().to_bytes()),
        };
        der.map(|d| d.as_bytes().to_vec()).unwrap_or_default()
    }

    /// Whether this is an rsaEncryption key: the only kind that can decrypt RSA key
    /// transport (RFC 5246 §7.4.7.1).
    pub fn is_rsa(&self) -> bool {
        matches!(self, SigningKey::Rsa(_))
    }

    /// Whether this is an RSA key of either kind (rsaEncryption or id-RSASSA-PSS), the keys
    /// that authenticate the TLS 1.2 *_RSA_* suites (RFC 5246 §7.4.2, RFC 8446 §4.2.3).
    pub fn is_any_rsa(&self) -> bool {
        matches!(self, SigningKey::Rsa(_) | SigningKey::RsaPss(_))
    }

    /// Whether the key can sign in TLS 1.0/1.1, where signatures have no algorithm field
    /// (RFC 4346 §7.4.3): PKCS#1 v1.5 RSA and ECDSA only; EdDSA needs TLS 1.2 (RFC 8422
    /// §5.1.3), an RSA-PSS key cannot make PKCS#1 v1.5 signatures (RFC 4055 §1.2).
    pub fn signs_legacy(&self) -> bool {
        matches!(
            self,
            SigningKey::Rsa(_) | SigningKey::P256(_) | SigningKey::P384(_) | SigningKey::P521(_)
        )
    }

    /// Schemes this key can produce, preferred first (RFC 8446 §4.2.3). TLS 1.3: RSA ->
    /// rsa_pss_rsae_sha256/384/512 only; RSA-PSS -> rsa_pss_pss_sha256/384/512 within its
    /// parameters (RFC 4055 §3.1); P-256 -> ecdsa_secp256r1_sha256; P-384 ->
    /// ecdsa_secp384r1_sha384; P-521 -> ecdsa_secp521r1_sha512; Ed25519 -> ed25519; Ed448 ->
    /// ed448. TLS 1.2: RSA adds rsa_pkcs1_sha256/384/512 after PSS; ECDSA keys may also use
    /// the other ECDSA hash code points. RSA-PSS schemes whose encoding does not fit the
    /// modulus (RFC 8017 §9.1.1) are left out.
    pub fn schemes(&self, tls13: bool) -> Vec<SignatureScheme> {
        use SignatureScheme as S;
        let pss_fits = |bytes: usize, h: SigHash| bytes >= 2 * h.output_len() + 2;
        let hashes = [SigHash::Sha256, SigHash::Sha384, SigHash::Sha512];
        match self {
            SigningKey::Rsa(k) => {
                let rsae = [
                    S::RSA_PSS_RSAE_SHA256,
                    S::RSA_PSS_RSAE_SHA384,
                    S::RSA_PSS_RSAE_SHA512,
                ];
                let mut v: Vec<SignatureScheme> = rsae
                    .into_iter()
                    .zip(hashes)
                    .filter(|(_, h)| pss_fits(k.size(), *h))
                    .map(|(s, _)| s)
                    .collect();
                if !tls13 {
                    v.extend([
                        S::RSA_PKCS1_SHA256,
                        S::RSA_PKCS1_SHA384,
                        S::RSA_PKCS1_SHA512,
                    ]);
                }
                v
            }
            SigningKey::RsaPss(k) => [
                S::RSA_PSS_PSS_SHA256,
                S::RSA_PSS_PSS_SHA384,
                S::RSA_PSS_PSS_SHA512,
            ]
            .into_iter()
            .zip(hashes)
            .filter(|(_, h)| pss_fits(k.key.size(), *h) && k.restriction.allows(*h))
            .map(|(s, _)| s)
            .collect(),
            SigningKey::P256(_) if tls13 => vec![S::ECDSA_SECP256R1_SHA256],
            SigningKey::P256(_) => vec![
                S::ECDSA_SECP256R1_SHA256,
                S::ECDSA_SECP384R1_SHA384,
                S::ECDSA_SECP521R1_SHA512,
            ],
            SigningKey::P384(_) if tls13 => vec![S::ECDSA_SECP384R1_SHA384],
            SigningKey::P384(_) => vec![
                S::ECDSA_SECP384R1_SHA384,
                S::ECDSA_SECP256R1_SHA256,
                S::ECDSA_SECP521R1_SHA512,
            ],
            SigningKey::P521(_) if tls13 => vec![S::ECDSA_SECP521R1_SHA512],
            SigningKey::P521(_) => vec![
                S::ECDSA_SECP521R1_SHA512,
                S::ECDSA_SECP384R1_SHA384,
                S::ECDSA_SECP256R1_SHA256,
            ],
            SigningKey::Ed25519(_) => vec![S::ED25519],
            SigningKey::Ed448(_) => vec![S::ED448],
        }
    }

    /// The first of our schemes that the peer offered (peer order not important), None if no
    /// overlap.
    pub fn choose_scheme(
        &self,
        peer_offered: &[SignatureScheme],
        tls13: bool,
    ) -> Option<SignatureScheme> {
        self.schemes(tls13)
            .into_iter()
            .find(|s| peer_offered.contains(s))
    }

    /// Signs `message` (not pre-hashed) with `scheme`; ECDSA output is DER. A scheme this key
    /// cannot produce is an internal_error.
    pub fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        rng: &mut TlsRng,
    ) -> Result<Vec<u8>, TlsError> {
        if !self.schemes(false).contains(&scheme) {
            return Err(TlsError::internal(format!(
                "a {} key cannot sign with {scheme}",
                self.description()
            )));
        }
        self.sign_checked(kind(scheme), message, rng)
            .map_err(|e| TlsError::internal(format!("signing with {scheme} failed: {e}")))
    }

    fn sign_checked(
        &self,
        k: Option<Kind>,
        message: &[u8],
        rng: &mut TlsRng,
    ) -> Result<Vec<u8>, String> {
        let text = |e: rsa::Error| e.to_string();
        match (k, self) {
            (Some(Kind::RsaPkcs1(h)), SigningKey::Rsa(k)) => k
                .sign_with_rng(rng, h.pkcs1(), &h.digest(message))
                .map_err(text),
            (Some(Kind::RsaPss(h)), SigningKey::Rsa(k)) => k
                .sign_with_rng(rng, h.pss_blinded(), &h.digest(message))
                .map_err(text),
            (Some(Kind::RsaPssPss(h)), SigningKey::RsaPss(k)) => k
                .key
                .sign_with_rng(rng, h.pss_blinded(), &h.digest(message))
                .map_err(text),
            (Some(Kind::Ecdsa(h, _)), SigningKey::P256(k)) => {
                ecdsa_sign!(p256, k, rng, &h.digest(message))
            }
            (Some(Kind::Ecdsa(h, _)), SigningKey::P384(k)) => {
                ecdsa_sign!(p384, k, rng, &h.digest(message))
            }
            (Some(Kind::Ecdsa(h, _)), SigningKey::P521(k)) => {
                ecdsa_sign!(p521, k, rng, &ecdsa_prehash(h.digest(message), 66))
            }
            (Some(Kind::Ed25519), SigningKey::Ed25519(k)) => {
                use ed25519_dalek::Signer;
                Ok(k.sign(message).to_bytes().to_vec())
            }
            (Some(Kind::Ed448), SigningKey::Ed448(k)) => {
                Ok(k.sign_raw(message).to_bytes().to_vec())
            }
            _ => Err("scheme and key do not match".into()),
        }
    }

    /// Signs `message` the TLS 1.0/1.1 way (see `legacy_digest`): RSA PKCS#1 v1.5 over
    /// MD5 || SHA-1 without DigestInfo, ECDSA over SHA-1. EdDSA and RSA-PSS keys cannot
    /// (`signs_legacy`): internal_error.
    pub fn sign_legacy(&self, message: &[u8], rng: &mut TlsRng) -> Result<Vec<u8>, TlsError> {
        let signed: Result<Vec<u8>, String> = match self {
            SigningKey::Rsa(k) => k
                .sign_with_rng(
                    rng,
                    Pkcs1v15Sign::new_unprefixed(),
                    &legacy_digest(true, 0, message),
                )
                .map_err(|e| e.to_string()),
            SigningKey::P256(k) => ecdsa_sign!(p256, k, rng, &legacy_digest(false, 32, message)),
            SigningKey::P384(k) => ecdsa_sign!(p384, k, rng, &legacy_digest(false, 48, message)),
            SigningKey::P521(k) => ecdsa_sign!(p521, k, rng, &legacy_digest(false, 66, message)),
            _ => Err(format!(
                "{} keys cannot sign in TLS 1.0/1.1",
                self.description()
            )),
        };
        signed.map_err(|e| TlsError::internal(format!("TLS 1.0/1.1 signing failed: {e}")))
    }

    /// RSA key transport, server side, RFC 5246 §7.4.7.1 Bleichenbacher countermeasure: 48
    /// random bytes R are generated first; the ciphertext is decrypted in constant time
    /// (`rsa_premaster`); if the padding is wrong, the message is not 48 bytes, or its first
    /// two bytes are not client_version, R is used. The choice is a constant-time selection,
    /// never an error; for a key other than rsaEncryption R is returned. Always 48 bytes.
    pub fn rsa_decrypt_premaster(
        &self,
        ciphertext: &[u8],
        client_version: u16,
        rng: &mut TlsRng,
    ) -> [u8; 48] {
        let mut random = [0u8; PREMASTER_LEN];
        rng.fill_bytes(&mut random);
        match self {
            SigningKey::Rsa(key) => match &key.premaster {
                Some(p) => p.decrypt(ciphertext, client_version, &random, rng),
                None => random,
            },
            _ => random,
        }
    }
}

/// The SubjectPublicKeyInfo of an RSA-PSS key: its own AlgorithmIdentifier (parameters
/// kept) and the RSAPublicKey (RFC 4055 §1.2).
fn pss_spki(k: &PssKey) -> Option<Vec<u8>> {
    let public = k.key.to_public_key().to_pkcs1_der().ok()?;
    SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifierRef::from_der(&k.algorithm).ok()?,
        subject_public_key: BitString::from_bytes(public.as_bytes()).ok()?,
    }
    .to_der()
    .ok()
}

/// The SubjectPublicKeyInfo of an Ed448 key (RFC 8410 §4): id-Ed448, no parameters, the
/// 57-byte key.
fn ed448_spki(public: &[u8; 57]) -> Vec<u8> {
    let mut v = vec![
        0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00,
    ];
    v.extend_from_slice(public);
    v
}
