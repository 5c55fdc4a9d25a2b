//! A peer's public key read from its SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): RSA
//! (rsaEncryption and id-RSASSA-PSS, RFC 4055 §3.1), ECDSA P-256/P-384/P-521 (RFC 5480),
//! Ed25519 and Ed448 (RFC 8410).

use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{DecodePublicKey, ObjectIdentifier};
use rsa::RsaPublicKey;

use super::pss::PssRestriction;
use super::{bad_cert, illegal};
use crate::error::TlsError;

pub(super) const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(super) const OID_RSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
pub(super) const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(super) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(super) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(super) const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(super) const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
pub(super) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub(super) const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// A peer public key taken from a SubjectPublicKeyInfo.
pub(super) enum PeerKey {
    Rsa(RsaPublicKey),
    /// An id-RSASSA-PSS key: only rsa_pss_pss_* schemes, within its restriction.
    RsaPss(RsaPublicKey, PssRestriction),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Ed448(ed448_goldilocks_plus::VerifyingKey),
}

/// Largest RSA modulus accepted from a peer: 16384 bits (the rsa crate's default stops at
/// 4096, which real 8192-bit certificates exceed).
const MAX_RSA_BITS: usize = 16384;

/// An RSA public key (RSAPublicKey, RFC 8017 §A.1.1) from SubjectPublicKeyInfo DER, up to
/// MAX_RSA_BITS; the algorithm may be rsaEncryption or id-RSASSA-PSS (same key encoding).
pub fn rsa_public_key(spki_der: &[u8]) -> Result<RsaPublicKey, String> {
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|e| e.to_string())?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or("the key's BIT STRING has unused bits")?;
    rsa_from_pkcs1(bits)
}

/// An RSAPublicKey (RFC 8017 §A.1.1) from its DER.
pub(super) fn rsa_from_pkcs1(der: &[u8]) -> Result<RsaPublicKey, String> {
    use rsa::pkcs1::der::Decode;
    let k = rsa::pkcs1::RsaPublicKey::from_der(der).map_err(|e| e.to_string())?;
    let n = rsa::BigUint::from_bytes_be(k.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(k.public_exponent.as_bytes());
    RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS).map_err(|e| e.to_string())
}

/// Whether a SubjectPublicKeyInfo holds an rsaEncryption key, the only kind RSA key
/// transport can use (RFC 5246 §7.4.7.1; an id-RSASSA-PSS key only signs, RFC 4055 §1.2).
pub fn is_rsa_spki(spki_der: &[u8]) -> bool {
    SubjectPublicKeyInfoRef::try_from(spki_der).is_ok_and(|s| s.algorithm.oid == OID_RSA)
}

/// Whether a SubjectPublicKeyInfo holds an RSA key of either kind (rsaEncryption or
/// id-RSASSA-PSS): the keys the TLS 1.2 *_RSA_* suites authenticate with (RFC 5246 §7.4.2;
/// RFC 8446 §4.2.3 lets rsa_pss_pss_* sign there too).
pub fn is_any_rsa_spki(spki_der: &[u8]) -> bool {
    SubjectPublicKeyInfoRef::try_from(spki_der)
        .is_ok_and(|s| s.algorithm.oid == OID_RSA || s.algorithm.oid == OID_RSA_PSS)
}

pub(super) fn parse_spki(spki_der: &[u8]) -> Result<PeerKey, TlsError> {
    let spki = SubjectPublicKeyInfoRef::try_from(spki_der)
        .map_err(|_| bad_cert("the public key (SubjectPublicKeyInfo) cannot be parsed"))?;
    let oid = spki.algorithm.oid;
    if oid == OID_RSA {
        rsa_public_key(spki_der)
            .map(PeerKey::Rsa)
            .map_err(|_| bad_cert("the RSA public key cannot be parsed"))
    } else if oid == OID_RSA_PSS {
        let r = PssRestriction::from_params(spki.algorithm.parameters).map_err(illegal)?;
        rsa_public_key(spki_der)
            .map(|k| PeerKey::RsaPss(k, r))
            .map_err(|_| bad_cert("the RSA-PSS public key cannot be parsed"))
    } else if oid == OID_EC {
        parse_ec(&spki, spki_der)
    } else if oid == OID_ED25519 {
        ed25519_dalek::VerifyingKey::from_public_key_der(spki_der)
            .map(PeerKey::Ed25519)
            .map_err(|_| bad_cert("the Ed25519 public key cannot be parsed"))
    } else if oid == OID_ED448 {
        ed448_public_key(&spki)
            .map(PeerKey::Ed448)
            .ok_or_else(|| bad_cert("the Ed448 public key cannot be parsed"))
    } else {
        Err(illegal(format!(
            "public key algorithm {oid} is not supported"
        )))
    }
}

fn parse_ec(spki: &SubjectPublicKeyInfoRef<'_>, spki_der: &[u8]) -> Result<PeerKey, TlsError> {
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
    } else if curve == OID_P521 {
        spki.subject_public_key
            .as_bytes()
            .and_then(|b| p521::ecdsa::VerifyingKey::from_sec1_bytes(b).ok())
            .map(PeerKey::P521)
            .ok_or_else(|| bad_cert("the P-521 public key cannot be parsed"))
    } else {
        Err(illegal(format!(
            "the EC public key uses curve {}, which is not supported",
            curve_name(&curve)
        )))
    }
}

/// The Ed448 key of an SPKI: 57 bytes (RFC 8410 §3, no parameters).
fn ed448_public_key(
    spki: &SubjectPublicKeyInfoRef<'_>,
) -> Option<ed448_goldilocks_plus::VerifyingKey> {
    if spki.algorithm.parameters.is_some() {
        return None;
    }
    let bytes: &[u8; 57] = spki.subject_public_key.as_bytes()?.try_into().ok()?;
    ed448_goldilocks_plus::VerifyingKey::from_bytes(bytes).ok()
}

pub(super) fn curve_name(oid: &ObjectIdentifier) -> String {
    if *oid == OID_P521 {
        "P-521".into()
    } else if *oid == OID_SECP256K1 {
        "secp256k1".into()
    } else {
        oid.to_string()
    }
}
