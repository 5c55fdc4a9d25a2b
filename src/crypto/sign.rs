//! Signatures: verification of peer signatures in CertificateVerify / ServerKeyExchange and
//! signing with our own key (RFC 8446 §4.2.3, §4.4.3; RFC 5246 §7.4.1.4.1; RFC 8422 §5.10),
//! plus the server side of RSA key transport (RFC 5246 §7.4.7.1).

use ed25519_dalek::pkcs8::DecodePrivateKey as _;
use p256::ecdsa::signature::hazmat::{PrehashVerifier, RandomizedPrehashSigner};
use rand_core::RngCore;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{DecodePublicKey, EncodePublicKey, ObjectIdentifier, PrivateKeyInfo};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::rng::TlsRng;
use super::rsa_premaster::{PremasterKey, PREMASTER_LEN};
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::SignatureScheme;

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// The hash of a signature scheme (SHA-256/384/512 only; SHA-1 and MD5 are not supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SigHash {
    Sha256,
    Sha384,
    Sha512,
}

impl SigHash {
    fn digest(self, m: &[u8]) -> Vec<u8> {
        match self {
            SigHash::Sha256 => Sha256::digest(m).to_vec(),
            SigHash::Sha384 => Sha384::digest(m).to_vec(),
            SigHash::Sha512 => Sha512::digest(m).to_vec(),
        }
    }

    fn pkcs1(self) -> Pkcs1v15Sign {
        match self {
            SigHash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            SigHash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            SigHash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }

    /// RSASSA-PSS with MGF1 of the same hash and salt length = hash length (RFC 8446 §4.2.3).
    fn pss(self) -> Pss {
        match self {
            SigHash::Sha256 => Pss::new::<Sha256>(),
            SigHash::Sha384 => Pss::new::<Sha384>(),
            SigHash::Sha512 => Pss::new::<Sha512>(),
        }
    }

    fn len(self) -> usize {
        match self {
            SigHash::Sha256 => 32,
            SigHash::Sha384 => 48,
            SigHash::Sha512 => 64,
        }
    }
}

/// What a signature scheme code point means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    RsaPkcs1(SigHash),
    RsaPss(SigHash),
    /// ECDSA with this hash; the curve named by the TLS 1.3 code point.
    Ecdsa(SigHash, Curve),
    Ed25519,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
}

fn kind(scheme: SignatureScheme) -> Option<Kind> {
    Some(match scheme {
        SignatureScheme::RSA_PKCS1_SHA256 => Kind::RsaPkcs1(SigHash::Sha256),
        SignatureScheme::RSA_PKCS1_SHA384 => Kind::RsaPkcs1(SigHash::Sha384),
        SignatureScheme::RSA_PKCS1_SHA512 => Kind::RsaPkcs1(SigHash::Sha512),
        SignatureScheme::RSA_PSS_RSAE_SHA256 => Kind::RsaPss(SigHash::Sha256),
        SignatureScheme::RSA_PSS_RSAE_SHA384 => Kind::RsaPss(SigHash::Sha384),
        SignatureScheme::RSA_PSS_RSAE_SHA512 => Kind::RsaPss(SigHash::Sha512),
        SignatureScheme::ECDSA_SECP256R1_SHA256 => Kind::Ecdsa(SigHash::Sha256, Curve::P256),
        SignatureScheme::ECDSA_SECP384R1_SHA384 => Kind::Ecdsa(SigHash::Sha384, Curve::P384),
        SignatureScheme::ECDSA_SECP521R1_SHA512 => Kind::Ecdsa(SigHash::Sha512, Curve::P521),
        SignatureScheme::ED25519 => Kind::Ed25519,
        _ => return None,
    })
}

/// A peer public key taken from a SubjectPublicKeyInfo.
enum PeerKey {
    Rsa(RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

fn bad_cert(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::BadCertificate, msg)
}

fn illegal(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::IllegalParameter, msg)
}

/// Largest RSA modulus accepted from a peer: 16384 bits (the rsa crate's default stops at
/// 4096, which real 8192-bit certificates exceed).
const MAX_RSA_BITS: usize = 16384;

/// An RSA public key from SubjectPublicKeyInfo DER (RFC 8017 §A.1.1), up to MAX_RSA_BITS.
pub fn rsa_public_key(spki_der: &[u8]) -> Result<RsaPublicKey, String> {
    use rsa::pkcs1::der::Decode;
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|e| e.to_string())?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or("the key's BIT STRING has unused bits")?;
    let k = rsa::pkcs1::RsaPublicKey::from_der(bits).map_err(|e| e.to_string())?;
    let n = rsa::BigUint::from_bytes_be(k.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(k.public_exponent.as_bytes());
    RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS).map_err(|e| e.to_string())
}

/// Whether a SubjectPublicKeyInfo holds an RSA (rsaEncryption) key: TLS 1.2 suites name
/// the key type of the server's certificate (RFC 5246 §7.4.2, RFC 8422 §5.3).
pub fn is_rsa_spki(spki_der: &[u8]) -> bool {
    SubjectPublicKeyInfoRef::try_from(spki_der).is_ok_and(|s| s.algorithm.oid == OID_RSA)
}

fn parse_spki(spki_der: &[u8]) -> Result<PeerKey, TlsError> {
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der)
        .map_err(|_| bad_cert("the public key (SubjectPublicKeyInfo) cannot be parsed"))?;
    let oid = spki.algorithm.oid;
    if oid == OID_RSA {
        rsa_public_key(spki_der)
            .map(PeerKey::Rsa)
            .map_err(|_| bad_cert("the RSA public key cannot be parsed"))
    } else if oid == OID_EC {
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| bad_cert("the EC public key does not name its curve"))?;
        if curve == OID_P256 {
            p256::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                .map(PeerKey::P256)
                .map_err(|_| bad_cert("the P-256 public key cannot be parsed"))
        } else if curve == OID_P384 {
            p384::ecdsa::VerifyingKey::from_public_key_der(spki_der)
                .map(PeerKey::P384)
                .map_err(|_| bad_cert("the P-384 public key cannot be parsed"))
        } else {
            Err(illegal(format!(
                "the EC public key uses curve {}, which is not supported",
                curve_name(&curve)
            )))
        }
    } else if oid == OID_ED25519 {
        ed25519_dalek::VerifyingKey::from_public_key_der(spki_der)
            .map(PeerKey::Ed25519)
            .map_err(|_| bad_cert("the Ed25519 public key cannot be parsed"))
    } else if oid == OID_RSA_PSS {
        Err(illegal(
            "RSASSA-PSS (id-RSASSA-PSS) public keys are not supported, only rsaEncryption keys",
        ))
    } else {
        Err(illegal(format!(
            "public key algorithm {oid} is not supported"
        )))
    }
}

fn curve_name(oid: &ObjectIdentifier) -> String {
    if *oid == OID_P521 {
        "P-521".into()
    } else if *oid == OID_SECP256K1 {
        "secp256k1".into()
    } else {
        oid.to_string()
    }
}

fn bad_sig(scheme: SignatureScheme) -> TlsError {
    TlsError::new(
        Alert::DecryptError,
        format!("the {scheme} signature does not verify"),
    )
}

/// Verify `signature` over `message` with the key in SubjectPublicKeyInfo DER.
///
/// Supported: rsa_pkcs1_sha256/384/512 (TLS 1.2 only, RFC 8446 §4.4.3 forbids PKCS#1 v1.5 in
/// CertificateVerify), rsa_pss_rsae_sha256/384/512 (salt = hash length),
/// ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ed25519. ECDSA signatures are DER. With
/// `tls12`, the curve need not match the hash (RFC 5246 §7.4.1.4.1, RFC 8422 §5.10): the hash
/// comes from the scheme, the curve from the key (ecdsa_secp521r1_sha512 then means SHA-512
/// over a P-256/P-384 key); in TLS 1.3 (RFC 8446 §4.2.3) a mismatch is an error.
///
/// Bad signature -> decrypt_error; unsupported scheme or key/scheme mismatch ->
/// illegal_parameter; unparsable key -> bad_certificate.
pub fn verify(
    scheme: SignatureScheme,
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
    tls12: bool,
) -> Result<(), TlsError> {
    if crate::crypto::fuzzing::ON {
        return Ok(());
    }
    let k = kind(scheme)
        .ok_or_else(|| illegal(format!("signature scheme {scheme} is not supported")))?;
    let key = parse_spki(spki_der)?;
    let mismatch = |key_desc: &str| {
        illegal(format!(
            "signature scheme {scheme} cannot be used with {key_desc} key{}",
            if tls12 { "" } else { " in TLS 1.3" }
        ))
    };
    match (k, &key) {
        (Kind::RsaPkcs1(h), PeerKey::Rsa(pk)) => {
            if !tls12 {
                return Err(illegal(format!(
                    "{scheme} is not allowed in TLS 1.3 CertificateVerify (RFC 8446 §4.4.3)"
                )));
            }
            pk.verify(h.pkcs1(), &h.digest(message), signature)
                .map_err(|_| bad_sig(scheme))
        }
        (Kind::RsaPss(h), PeerKey::Rsa(pk)) => pk
            .verify(h.pss(), &h.digest(message), signature)
            .map_err(|_| bad_sig(scheme)),
        (Kind::Ecdsa(h, curve), PeerKey::P256(vk)) => {
            if !tls12 && curve != Curve::P256 {
                return Err(mismatch("a P-256"));
            }
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| bad_sig(scheme))?;
            vk.verify_prehash(&h.digest(message), &sig)
                .map_err(|_| bad_sig(scheme))
        }
        (Kind::Ecdsa(h, curve), PeerKey::P384(vk)) => {
            if !tls12 && curve != Curve::P384 {
                return Err(mismatch("a P-384"));
            }
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad_sig(scheme))?;
            vk.verify_prehash(&h.digest(message), &sig)
                .map_err(|_| bad_sig(scheme))
        }
        (Kind::Ed25519, PeerKey::Ed25519(vk)) => {
            let sig =
                ed25519_dalek::Signature::from_slice(signature).map_err(|_| bad_sig(scheme))?;
            vk.verify_strict(message, &sig).map_err(|_| bad_sig(scheme))
        }
        (_, PeerKey::Rsa(_)) => Err(mismatch("an RSA")),
        (_, PeerKey::P256(_)) => Err(mismatch("a P-256")),
        (_, PeerKey::P384(_)) => Err(mismatch("a P-384")),
        (_, PeerKey::Ed25519(_)) => Err(mismatch("an Ed25519")),
    }
}

/// The digest signed in TLS 1.0/1.1 ServerKeyExchange and CertificateVerify: RSA signs
/// MD5(m) || SHA-1(m) (36 bytes) with PKCS#1 v1.5 type 1 padding and no DigestInfo (RFC 2246
/// §7.4.3, RFC 4346 §4.7); ECDSA signs SHA-1(m) (RFC 4492 §5.4), left-padded with zeros to the
/// field size so that P-384 accepts the short digest (the integer is the same, SEC 1 §4.1.3).
fn legacy_digest(rsa: bool, field_len: usize, message: &[u8]) -> Vec<u8> {
    use super::hash::HashAlg;
    if rsa {
        HashAlg::Md5Sha1.hash(message)
    } else {
        let h = HashAlg::Sha1.hash(message);
        let mut v = vec![0u8; field_len.saturating_sub(h.len())];
        v.extend_from_slice(&h);
        v
    }
}

/// Verifies a TLS 1.0/1.1 signature (no algorithm field; see `legacy_digest`). Returns a short
/// description of what was verified. Ed25519 keys cannot be used in TLS 1.0/1.1
/// (illegal_parameter); a bad signature is a decrypt_error.
pub fn verify_legacy(
    spki_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<&'static str, TlsError> {
    if crate::crypto::fuzzing::ON {
        return Ok("(fuzzing build: not verified)");
    }
    let bad = || {
        TlsError::new(
            Alert::DecryptError,
            "the TLS 1.0/1.1 signature does not verify",
        )
    };
    match parse_spki(spki_der)? {
        PeerKey::Rsa(pk) => pk
            .verify(
                Pkcs1v15Sign::new_unprefixed(),
                &legacy_digest(true, 0, message),
                signature,
            )
            .map(|_| "RSA PKCS#1 v1.5 over MD5+SHA-1")
            .map_err(|_| bad()),
        PeerKey::P256(vk) => {
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&legacy_digest(false, 32, message), &sig)
                .map(|_| "ECDSA over SHA-1")
                .map_err(|_| bad())
        }
        PeerKey::P384(vk) => {
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&legacy_digest(false, 48, message), &sig)
                .map(|_| "ECDSA over SHA-1")
                .map_err(|_| bad())
        }
        PeerKey::Ed25519(_) => Err(illegal(
            "an Ed25519 key cannot sign in TLS 1.0/1.1 (no signature algorithm field)",
        )),
    }
}

/// The content covered by a TLS 1.3 CertificateVerify (RFC 8446 §4.4.3): 64 x 0x20, the context
/// string ("TLS 1.3, server CertificateVerify" / "TLS 1.3, client CertificateVerify"), 0x00,
/// the transcript hash.
pub fn tls13_verify_content(server: bool, transcript_hash: &[u8]) -> Vec<u8> {
    let context: &[u8] = if server {
        b"TLS 1.3, server CertificateVerify"
    } else {
        b"TLS 1.3, client CertificateVerify"
    };
    let mut out = Vec::with_capacity(64 + context.len() + 1 + transcript_hash.len());
    out.extend_from_slice(&[0x20; 64]);
    out.extend_from_slice(context);
    out.push(0);
    out.extend_from_slice(transcript_hash);
    out
}

/// Our own private key (server certificate key or client certificate key).
pub enum SigningKey {
    Rsa(Box<RsaKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
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

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.description())
    }
}

const ENCRYPTED_MSG: &str =
    "the key file holds an encrypted private key; decrypt it first with openssl pkey";

impl SigningKey {
    /// Reads the first private key of a PEM file: "PRIVATE KEY" (PKCS#8: RSA, EC P-256/P-384,
    /// Ed25519), "EC PRIVATE KEY" (SEC1), "RSA PRIVATE KEY" (PKCS#1). Errors are one sentence.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let blocks =
            pem::parse_many(pem).map_err(|e| format!("the key file is not valid PEM ({e})"))?;
        let mut saw_encrypted = false;
        for block in &blocks {
            let der = block.contents();
            let legacy_encrypted = block
                .headers()
                .get("Proc-Type")
                .is_some_and(|v| v.contains("ENCRYPTED"));
            match block.tag() {
                "ENCRYPTED PRIVATE KEY" => saw_encrypted = true,
                "PRIVATE KEY" => return Self::from_pkcs8_der(der),
                "RSA PRIVATE KEY" | "EC PRIVATE KEY" if legacy_encrypted => saw_encrypted = true,
                "RSA PRIVATE KEY" => {
                    return RsaPrivateKey::from_pkcs1_der(der)
                        .map(|k| SigningKey::Rsa(Box::new(RsaKey::new(k))))
                        .map_err(|e| format!("the RSA PRIVATE KEY (PKCS#1) cannot be parsed ({e})"))
                }
                "EC PRIVATE KEY" => return Self::from_sec1_der(der),
                "OPENSSH PRIVATE KEY" => {
                    return Err("OpenSSH private keys are not supported; convert the key to PKCS#8 with ssh-keygen -p -m PKCS8".into())
                }
                "DSA PRIVATE KEY" => return Err("DSA private keys are not supported".into()),
                _ => {}
            }
        }
        if saw_encrypted {
            Err(ENCRYPTED_MSG.into())
        } else {
            Err("no private key found in PEM".into())
        }
    }

    fn from_pkcs8_der(der: &[u8]) -> Result<Self, String> {
        let info = PrivateKeyInfo::try_from(der)
            .map_err(|e| format!("the PRIVATE KEY (PKCS#8) cannot be parsed ({e})"))?;
        let oid = info.algorithm.oid;
        if oid == OID_RSA {
            rsa::pkcs8::DecodePrivateKey::from_pkcs8_der(der)
                .map(|k| SigningKey::Rsa(Box::new(RsaKey::new(k))))
                .map_err(|e| format!("the RSA private key cannot be parsed ({e})"))
        } else if oid == OID_EC {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|_| "the EC private key does not name its curve".to_string())?;
            if curve == OID_P256 {
                p256::SecretKey::from_pkcs8_der(der)
                    .map(|k| SigningKey::P256(k.into()))
                    .map_err(|e| format!("the P-256 private key cannot be parsed ({e})"))
            } else if curve == OID_P384 {
                p384::SecretKey::from_pkcs8_der(der)
                    .map(|k| SigningKey::P384(k.into()))
                    .map_err(|e| format!("the P-384 private key cannot be parsed ({e})"))
            } else {
                Err(format!(
                    "unsupported EC curve {} (only P-256 and P-384 keys are supported)",
                    curve_name(&curve)
                ))
            }
        } else if oid == OID_ED25519 {
            ed25519_dalek::SigningKey::from_pkcs8_der(der)
                .map(SigningKey::Ed25519)
                .map_err(|e| format!("the Ed25519 private key cannot be parsed ({e})"))
        } else if oid == OID_ED448 {
            Err("Ed448 private keys are not supported".into())
        } else if oid == OID_RSA_PSS {
            Err("RSASSA-PSS (id-RSASSA-PSS) private keys are not supported; use an rsaEncryption RSA key".into())
        } else {
            Err(format!("unsupported private key algorithm {oid}"))
        }
    }

    fn from_sec1_der(der: &[u8]) -> Result<Self, String> {
        // ECPrivateKey (RFC 5915 §3) names its curve in the parameters field; find the OID.
        let has = |oid: &ObjectIdentifier| {
            let mut enc = vec![0x06, oid.as_bytes().len() as u8];
            enc.extend_from_slice(oid.as_bytes());
            der.windows(enc.len()).any(|w| w == enc.as_slice())
        };
        if has(&OID_P256) {
            p256::SecretKey::from_sec1_der(der)
                .map(|k| SigningKey::P256(k.into()))
                .map_err(|e| format!("the P-256 EC PRIVATE KEY cannot be parsed ({e})"))
        } else if has(&OID_P384) {
            p384::SecretKey::from_sec1_der(der)
                .map(|k| SigningKey::P384(k.into()))
                .map_err(|e| format!("the P-384 EC PRIVATE KEY cannot be parsed ({e})"))
        } else if has(&OID_P521) {
            Err("unsupported EC curve P-521 (only P-256 and P-384 keys are supported)".into())
        } else if has(&OID_SECP256K1) {
            Err("unsupported EC curve secp256k1 (only P-256 and P-384 keys are supported)".into())
        } else {
            Err("unsupported EC curve in the EC PRIVATE KEY (only P-256 and P-384 keys are supported)".into())
        }
    }

    /// A fresh P-256 key (for generated test certificates).
    pub fn generate_p256(rng: &mut TlsRng) -> Self {
        SigningKey::P256(p256::ecdsa::SigningKey::random(rng))
    }

    /// "RSA 2048", "ECDSA P-256", "ECDSA P-384", "Ed25519".
    pub fn description(&self) -> String {
        match self {
            SigningKey::Rsa(k) => format!("RSA {}", k.size() * 8),
            SigningKey::P256(_) => "ECDSA P-256".into(),
            SigningKey::P384(_) => "ECDSA P-384".into(),
            SigningKey::Ed25519(_) => "Ed25519".into(),
        }
    }

    /// The public key as SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7).
    pub fn public_key_spki_der(&self) -> Vec<u8> {
        let der = match self {
            SigningKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            SigningKey::P256(k) => k.verifying_key().to_public_key_der(),
            SigningKey::P384(k) => k.verifying_key().to_public_key_der(),
            SigningKey::Ed25519(k) => k.verifying_key().to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec()).unwrap_or_default()
    }

    pub fn is_rsa(&self) -> bool {
        matches!(self, SigningKey::Rsa(_))
    }

    /// Schemes this key can produce, preferred first (RFC 8446 §4.2.3). TLS 1.3: RSA ->
    /// rsa_pss_rsae_sha256/384/512 only; P-256 -> ecdsa_secp256r1_sha256; P-384 ->
    /// ecdsa_secp384r1_sha384; Ed25519 -> ed25519. TLS 1.2: RSA adds rsa_pkcs1_sha256/384/512
    /// after PSS; ECDSA keys may also use the other ECDSA hash code points. RSA-PSS schemes
    /// whose encoding does not fit the modulus (RFC 8017 §9.1.1) are left out.
    pub fn schemes(&self, tls13: bool) -> Vec<SignatureScheme> {
        use SignatureScheme as S;
        match self {
            SigningKey::Rsa(k) => {
                let bytes = k.size();
                let mut v: Vec<SignatureScheme> = [
                    (S::RSA_PSS_RSAE_SHA256, 32),
                    (S::RSA_PSS_RSAE_SHA384, 48),
                    (S::RSA_PSS_RSAE_SHA512, 64),
                ]
                .into_iter()
                .filter(|(_, h)| bytes >= 2 * h + 2)
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
            SigningKey::Ed25519(_) => vec![S::ED25519],
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
        let failed = |e: String| TlsError::internal(format!("signing with {scheme} failed: {e}"));
        match (kind(scheme), self) {
            (Some(Kind::RsaPkcs1(h)), SigningKey::Rsa(k)) => k
                .sign_with_rng(rng, h.pkcs1(), &h.digest(message))
                .map_err(|e| failed(e.to_string())),
            (Some(Kind::RsaPss(h)), SigningKey::Rsa(k)) => {
                let pss = match h {
                    SigHash::Sha256 => Pss::new_blinded::<Sha256>(),
                    SigHash::Sha384 => Pss::new_blinded::<Sha384>(),
                    SigHash::Sha512 => Pss::new_blinded::<Sha512>(),
                };
                debug_assert_eq!(pss.salt_len, h.len());
                k.sign_with_rng(rng, pss, &h.digest(message))
                    .map_err(|e| failed(e.to_string()))
            }
            (Some(Kind::Ecdsa(h, _)), SigningKey::P256(k)) => {
                let sig: p256::ecdsa::Signature = k
                    .sign_prehash_with_rng(rng, &h.digest(message))
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            (Some(Kind::Ecdsa(h, _)), SigningKey::P384(k)) => {
                let sig: p384::ecdsa::Signature = k
                    .sign_prehash_with_rng(rng, &h.digest(message))
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            (Some(Kind::Ed25519), SigningKey::Ed25519(k)) => {
                use ed25519_dalek::Signer;
                Ok(k.sign(message).to_bytes().to_vec())
            }
            _ => Err(failed("scheme and key do not match".into())),
        }
    }

    /// Whether `sign_legacy` can sign with this key (RSA and ECDSA; not EdDSA).
    pub fn can_sign_legacy(&self) -> bool {
        matches!(
            self,
            SigningKey::Rsa(_) | SigningKey::P256(_) | SigningKey::P384(_)
        )
    }

    /// Signs `message` the TLS 1.0/1.1 way (see `legacy_digest`): RSA PKCS#1 v1.5 over
    /// MD5 || SHA-1 without DigestInfo, ECDSA over SHA-1. Ed25519 cannot: internal_error.
    pub fn sign_legacy(&self, message: &[u8], rng: &mut TlsRng) -> Result<Vec<u8>, TlsError> {
        let failed = |e: String| TlsError::internal(format!("TLS 1.0/1.1 signing failed: {e}"));
        match self {
            SigningKey::Rsa(k) => k
                .sign_with_rng(
                    rng,
                    Pkcs1v15Sign::new_unprefixed(),
                    &legacy_digest(true, 0, message),
                )
                .map_err(|e| failed(e.to_string())),
            SigningKey::P256(k) => {
                let sig: p256::ecdsa::Signature = k
                    .sign_prehash_with_rng(rng, &legacy_digest(false, 32, message))
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            SigningKey::P384(k) => {
                let sig: p384::ecdsa::Signature = k
                    .sign_prehash_with_rng(rng, &legacy_digest(false, 48, message))
                    .map_err(|e| failed(e.to_string()))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            SigningKey::Ed25519(_) => Err(failed("Ed25519 keys cannot sign in TLS 1.0/1.1".into())),
        }
    }

    /// RSA key transport, server side, RFC 5246 §7.4.7.1 Bleichenbacher countermeasure: 48
    /// random bytes R are generated first; the ciphertext is decrypted in constant time
    /// (`rsa_premaster`); if the padding is wrong, the message is not 48 bytes, or its first
    /// two bytes are not client_version, R is used. The choice is a constant-time selection,
    /// never an error; for a non-RSA key R is returned. Always 48 bytes.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::seeded_rng;

    // Keys generated with `openssl genpkey` (RSA 2048, P-256, P-384, Ed25519, P-521), and
    // converted with `openssl rsa -traditional` / `openssl ec` / `openssl pkcs8 -topk8`.
    pub(crate) const RSA_PKCS8: &str = include_str!("testdata/rsa.pem");
    const RSA_PKCS1: &str = include_str!("testdata/rsa1.pem");
    pub(crate) const P256_PKCS8: &str = include_str!("testdata/p256.pem");
    const P256_SEC1: &str = include_str!("testdata/p256sec1.pem");
    const P384_PKCS8: &str = include_str!("testdata/p384.pem");
    const P384_SEC1: &str = include_str!("testdata/p384sec1.pem");
    const ED25519_PKCS8: &str = include_str!("testdata/ed.pem");
    const P521_PKCS8: &str = include_str!("testdata/p521.pem");
    const ENCRYPTED_PKCS8: &str = include_str!("testdata/enc.pem");

    fn keys() -> Vec<SigningKey> {
        [RSA_PKCS8, P256_PKCS8, P384_PKCS8, ED25519_PKCS8]
            .iter()
            .map(|p| SigningKey::from_pem(p).unwrap())
            .collect()
    }

    #[test]
    fn from_pem_formats() {
        let rsa8 = SigningKey::from_pem(RSA_PKCS8).unwrap();
        let rsa1 = SigningKey::from_pem(RSA_PKCS1).unwrap();
        assert_eq!(rsa8.description(), "RSA 2048");
        assert!(rsa8.is_rsa());
        assert_eq!(rsa8.public_key_spki_der(), rsa1.public_key_spki_der());
        let p256 = SigningKey::from_pem(P256_PKCS8).unwrap();
        let p256s = SigningKey::from_pem(P256_SEC1).unwrap();
        assert_eq!(p256.description(), "ECDSA P-256");
        assert_eq!(p256.public_key_spki_der(), p256s.public_key_spki_der());
        let p384 = SigningKey::from_pem(P384_PKCS8).unwrap();
        let p384s = SigningKey::from_pem(P384_SEC1).unwrap();
        assert_eq!(p384.description(), "ECDSA P-384");
        assert_eq!(p384.public_key_spki_der(), p384s.public_key_spki_der());
        let ed = SigningKey::from_pem(ED25519_PKCS8).unwrap();
        assert_eq!(ed.description(), "Ed25519");
        assert!(!ed.is_rsa());
        // A certificate before the key is skipped.
        let with_cert =
            format!("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n{P256_PKCS8}");
        assert!(SigningKey::from_pem(&with_cert).is_ok());
    }

    #[test]
    fn from_pem_errors() {
        assert_eq!(
            SigningKey::from_pem(ENCRYPTED_PKCS8).unwrap_err(),
            ENCRYPTED_MSG
        );
        let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nMAA=\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(SigningKey::from_pem(legacy).unwrap_err(), ENCRYPTED_MSG);
        assert_eq!(
            SigningKey::from_pem("hello").unwrap_err(),
            "no private key found in PEM"
        );
        assert!(SigningKey::from_pem(P521_PKCS8)
            .unwrap_err()
            .starts_with("unsupported EC curve P-521"));
        let garbage = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
        assert!(SigningKey::from_pem(garbage).is_err());
    }

    #[test]
    fn sign_then_verify_every_scheme() {
        let mut rng = seeded_rng(11);
        let msg = tls13_verify_content(true, &[0xab; 32]);
        for key in keys() {
            let spki = key.public_key_spki_der();
            for tls13 in [true, false] {
                for scheme in key.schemes(tls13) {
                    let sig = key.sign(scheme, &msg, &mut rng).unwrap();
                    verify(scheme, &spki, &msg, &sig, !tls13)
                        .unwrap_or_else(|e| panic!("{} {scheme}: {e}", key.description()));
                    // Wrong message or corrupted signature: decrypt_error.
                    assert_eq!(
                        verify(scheme, &spki, b"other", &sig, !tls13)
                            .unwrap_err()
                            .alert,
                        Alert::DecryptError
                    );
                    let mut bad = sig.clone();
                    let last = bad.len() - 1;
                    bad[last] ^= 1;
                    assert_eq!(
                        verify(scheme, &spki, &msg, &bad, !tls13).unwrap_err().alert,
                        Alert::DecryptError
                    );
                    assert_eq!(
                        verify(scheme, &spki, &msg, &[], !tls13).unwrap_err().alert,
                        Alert::DecryptError
                    );
                }
            }
        }
    }

    #[test]
    fn tls13_rules_and_mismatches() {
        let mut rng = seeded_rng(12);
        let msg = b"message";
        let p384 = SigningKey::from_pem(P384_PKCS8).unwrap();
        let spki = p384.public_key_spki_der();
        // SHA-256 over a P-384 key: fine in TLS 1.2, an error in TLS 1.3.
        let sig = p384
            .sign(SignatureScheme::ECDSA_SECP256R1_SHA256, msg, &mut rng)
            .unwrap();
        verify(
            SignatureScheme::ECDSA_SECP256R1_SHA256,
            &spki,
            msg,
            &sig,
            true,
        )
        .unwrap();
        assert_eq!(
            verify(
                SignatureScheme::ECDSA_SECP256R1_SHA256,
                &spki,
                msg,
                &sig,
                false
            )
            .unwrap_err()
            .alert,
            Alert::IllegalParameter
        );
        // PKCS#1 v1.5 RSA in TLS 1.3: illegal_parameter.
        let rsa = SigningKey::from_pem(RSA_PKCS8).unwrap();
        let rsa_spki = rsa.public_key_spki_der();
        let sig = rsa
            .sign(SignatureScheme::RSA_PKCS1_SHA256, msg, &mut rng)
            .unwrap();
        verify(
            SignatureScheme::RSA_PKCS1_SHA256,
            &rsa_spki,
            msg,
            &sig,
            true,
        )
        .unwrap();
        assert_eq!(
            verify(
                SignatureScheme::RSA_PKCS1_SHA256,
                &rsa_spki,
                msg,
                &sig,
                false
            )
            .unwrap_err()
            .alert,
            Alert::IllegalParameter
        );
        // Scheme for another key type.
        assert_eq!(
            verify(SignatureScheme::ED25519, &rsa_spki, msg, &sig, true)
                .unwrap_err()
                .alert,
            Alert::IllegalParameter
        );
        // Unsupported scheme.
        assert_eq!(
            verify(SignatureScheme::RSA_PKCS1_SHA1, &rsa_spki, msg, &sig, true)
                .unwrap_err()
                .alert,
            Alert::IllegalParameter
        );
        // Unparsable key.
        assert_eq!(
            verify(
                SignatureScheme::RSA_PSS_RSAE_SHA256,
                &[0x30, 0x01],
                msg,
                &sig,
                false
            )
            .unwrap_err()
            .alert,
            Alert::BadCertificate
        );
        // Signing with a scheme the key cannot produce.
        assert!(rsa.sign(SignatureScheme::ED25519, msg, &mut rng).is_err());
    }

    #[test]
    fn scheme_lists_and_choice() {
        use SignatureScheme as S;
        let ks = keys();
        assert_eq!(
            ks[0].schemes(true),
            vec![
                S::RSA_PSS_RSAE_SHA256,
                S::RSA_PSS_RSAE_SHA384,
                S::RSA_PSS_RSAE_SHA512
            ]
        );
        assert_eq!(ks[0].schemes(false).len(), 6);
        assert_eq!(ks[1].schemes(true), vec![S::ECDSA_SECP256R1_SHA256]);
        assert_eq!(ks[2].schemes(true), vec![S::ECDSA_SECP384R1_SHA384]);
        assert_eq!(ks[3].schemes(false), vec![S::ED25519]);
        assert_eq!(
            ks[0].choose_scheme(&[S::RSA_PKCS1_SHA256, S::RSA_PSS_RSAE_SHA384], false),
            Some(S::RSA_PSS_RSAE_SHA384)
        );
        assert_eq!(ks[0].choose_scheme(&[S::RSA_PKCS1_SHA256], true), None);
        assert_eq!(
            ks[2].choose_scheme(&[S::ECDSA_SECP256R1_SHA256], false),
            Some(S::ECDSA_SECP256R1_SHA256)
        );
        assert_eq!(
            ks[2].choose_scheme(&[S::ECDSA_SECP256R1_SHA256], true),
            None
        );
    }

    #[test]
    fn legacy_signatures_round_trip() {
        let mut rng = seeded_rng(16);
        for key in keys() {
            let spki = key.public_key_spki_der();
            match key.sign_legacy(b"params", &mut rng) {
                Ok(sig) => {
                    verify_legacy(&spki, b"params", &sig).unwrap();
                    assert_eq!(
                        verify_legacy(&spki, b"other", &sig).unwrap_err().alert,
                        Alert::DecryptError
                    );
                }
                Err(_) => assert_eq!(key.description(), "Ed25519"),
            }
        }
    }

    /// The RSA legacy signature is raw PKCS#1 v1.5 over the 36-byte MD5 || SHA-1: recovering
    /// the encoded message with the public key shows 00 01 FF..FF 00 || digest, no DigestInfo.
    #[test]
    fn legacy_rsa_signature_has_no_digest_info() {
        use rsa::BigUint;
        let mut rng = seeded_rng(17);
        let key = SigningKey::from_pem(RSA_PKCS8).unwrap();
        let sig = key.sign_legacy(b"m", &mut rng).unwrap();
        let SigningKey::Rsa(k) = &key else { panic!() };
        let em = BigUint::from_bytes_be(&sig)
            .modpow(k.e(), k.n())
            .to_bytes_be();
        let digest = super::super::hash::HashAlg::Md5Sha1.hash(b"m");
        assert_eq!(&em[em.len() - 36..], &digest[..]);
        assert_eq!(em[0], 1);
        assert_eq!(em[em.len() - 37], 0);
        assert!(em[1..em.len() - 37].iter().all(|&b| b == 0xff));
    }

    #[test]
    fn verify_content_layout() {
        let c = tls13_verify_content(false, &[1, 2]);
        assert_eq!(&c[..64], &[0x20; 64]);
        assert_eq!(&c[64..97], b"TLS 1.3, client CertificateVerify");
        assert_eq!(&c[97..], &[0, 1, 2]);
        assert_eq!(tls13_verify_content(true, &[]).len(), 98);
    }

    #[test]
    fn rsa_premaster_decryption() {
        let mut rng = seeded_rng(13);
        let key = SigningKey::from_pem(RSA_PKCS8).unwrap();
        let spki = key.public_key_spki_der();
        let mut pms = [0x5au8; 48];
        pms[0] = 3;
        pms[1] = 3;
        let ct = crate::crypto::kx::rsa_encrypt_premaster(&spki, &pms, &mut rng).unwrap();
        assert_eq!(key.rsa_decrypt_premaster(&ct, 0x0303, &mut rng), pms);
        // Wrong version, garbage, wrong length: random and different each time.
        let cases: Vec<(Vec<u8>, u16)> = vec![
            (ct.clone(), 0x0302),
            (vec![0u8; ct.len()], 0x0303),
            (b"short".to_vec(), 0x0303),
            (
                crate::crypto::kx::rsa_encrypt_premaster(&spki, &[3, 3, 1], &mut rng).unwrap(),
                0x0303,
            ),
        ];
        for (c, v) in cases {
            let a = key.rsa_decrypt_premaster(&c, v, &mut rng);
            let b = key.rsa_decrypt_premaster(&c, v, &mut rng);
            assert_ne!(a, pms);
            assert_ne!(a, b);
        }
        // A non-RSA key always returns fresh random bytes.
        let ec = SigningKey::generate_p256(&mut rng);
        assert_ne!(
            ec.rsa_decrypt_premaster(&ct, 0x0303, &mut rng),
            ec.rsa_decrypt_premaster(&ct, 0x0303, &mut rng)
        );
    }

    #[test]
    fn hostile_inputs_never_panic() {
        use rand_core::RngCore;
        let mut rng = seeded_rng(15);
        let spkis: Vec<Vec<u8>> = keys().iter().map(|k| k.public_key_spki_der()).collect();
        for round in 0..200 {
            let mut junk = vec![0u8; (round * 7) % 300];
            rng.fill_bytes(&mut junk);
            for scheme in SignatureScheme::ALL {
                for spki in spkis.iter().chain([&junk]) {
                    let _ = verify(*scheme, spki, b"m", &junk, round % 2 == 0);
                }
            }
            // Truncated key encodings.
            for spki in &spkis {
                let cut = spki.len() * round / 200;
                let _ = verify(
                    SignatureScheme::RSA_PSS_RSAE_SHA256,
                    &spki[..cut],
                    b"m",
                    &junk,
                    false,
                );
            }
            let pem = format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &junk)
            );
            assert!(SigningKey::from_pem(&pem).is_err());
        }
    }

    #[test]
    fn generated_p256_key_round_trips() {
        let mut rng = seeded_rng(14);
        let k = SigningKey::generate_p256(&mut rng);
        let sig = k
            .sign(SignatureScheme::ECDSA_SECP256R1_SHA256, b"m", &mut rng)
            .unwrap();
        verify(
            SignatureScheme::ECDSA_SECP256R1_SHA256,
            &k.public_key_spki_der(),
            b"m",
            &sig,
            false,
        )
        .unwrap();
    }
}
