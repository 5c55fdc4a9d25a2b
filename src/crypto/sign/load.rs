//! Reading our private key from PEM: PKCS#8 (RFC 5208/5958) with RSA, RSASSA-PSS (RFC 4055),
//! EC P-256/P-384/P-521 (RFC 5915), Ed25519 and Ed448 (RFC 8410) keys, SEC1 and PKCS#1.

use ed25519_dalek::pkcs8::DecodePrivateKey as _;
use rsa::pkcs1::der::asn1::OctetStringRef;
use rsa::pkcs1::der::{Decode, Encode};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{ObjectIdentifier, PrivateKeyInfo};
use rsa::RsaPrivateKey;

use super::peer::{
    curve_name, OID_EC, OID_ED25519, OID_ED448, OID_P256, OID_P384, OID_P521, OID_RSA, OID_RSA_PSS,
    OID_SECP256K1,
};
use super::pss::PssRestriction;
use super::{PssKey, RsaKey, SigningKey};

pub(super) const ENCRYPTED_MSG: &str =
    "the key file holds an encrypted private key; decrypt it first with openssl pkey";

impl SigningKey {
    /// Reads the first private key of a PEM file: "PRIVATE KEY" (PKCS#8: RSA, RSA-PSS, EC
    /// P-256/P-384/P-521, Ed25519, Ed448), "EC PRIVATE KEY" (SEC1), "RSA PRIVATE KEY"
    /// (PKCS#1). Errors are one sentence.
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
        } else if oid == OID_RSA_PSS {
            rsa_pss_from_pkcs8(&info)
        } else if oid == OID_EC {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|_| "the EC private key does not name its curve".to_string())?;
            ec_from_pkcs8(der, curve)
        } else if oid == OID_ED25519 {
            ed25519_dalek::SigningKey::from_pkcs8_der(der)
                .map(SigningKey::Ed25519)
                .map_err(|e| format!("the Ed25519 private key cannot be parsed ({e})"))
        } else if oid == OID_ED448 {
            ed448_from_pkcs8(&info)
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
        let failed = |curve: &str, e: p256::elliptic_curve::Error| {
            format!("the {curve} EC PRIVATE KEY cannot be parsed ({e})")
        };
        if has(&OID_P256) {
            p256::SecretKey::from_sec1_der(der)
                .map(|k| SigningKey::P256(k.into()))
                .map_err(|e| failed("P-256", e))
        } else if has(&OID_P384) {
            p384::SecretKey::from_sec1_der(der)
                .map(|k| SigningKey::P384(k.into()))
                .map_err(|e| failed("P-384", e))
        } else if has(&OID_P521) {
            p521::SecretKey::from_sec1_der(der)
                .map_err(|e| failed("P-521", e))
                .and_then(p521_signing_key)
        } else if has(&OID_SECP256K1) {
            Err(format!("unsupported EC curve secp256k1 ({ONLY_CURVES})"))
        } else {
            Err(format!(
                "unsupported EC curve in the EC PRIVATE KEY ({ONLY_CURVES})"
            ))
        }
    }
}

const ONLY_CURVES: &str = "only P-256, P-384 and P-521 keys are supported";

fn ec_from_pkcs8(der: &[u8], curve: ObjectIdentifier) -> Result<SigningKey, String> {
    use p256::pkcs8::DecodePrivateKey;
    let failed =
        |name: &str, e: rsa::pkcs8::Error| format!("the {name} private key cannot be parsed ({e})");
    if curve == OID_P256 {
        p256::SecretKey::from_pkcs8_der(der)
            .map(|k| SigningKey::P256(k.into()))
            .map_err(|e| failed("P-256", e))
    } else if curve == OID_P384 {
        p384::SecretKey::from_pkcs8_der(der)
            .map(|k| SigningKey::P384(k.into()))
            .map_err(|e| failed("P-384", e))
    } else if curve == OID_P521 {
        p521::SecretKey::from_pkcs8_der(der)
            .map_err(|e| failed("P-521", e))
            .and_then(p521_signing_key)
    } else {
        Err(format!(
            "unsupported EC curve {} ({ONLY_CURVES})",
            curve_name(&curve)
        ))
    }
}

fn p521_signing_key(k: p521::SecretKey) -> Result<SigningKey, String> {
    p521::ecdsa::SigningKey::from_bytes(&k.to_bytes())
        .map(|k| SigningKey::P521(Box::new(k)))
        .map_err(|e| format!("the P-521 private key cannot be used ({e})"))
}

/// id-RSASSA-PSS in PKCS#8 (RFC 4055 §3.1): the private key is an RSAPrivateKey as for
/// rsaEncryption; the AlgorithmIdentifier's parameters, if any, restrict its use.
fn rsa_pss_from_pkcs8(info: &PrivateKeyInfo<'_>) -> Result<SigningKey, String> {
    let restriction = PssRestriction::from_params(info.algorithm.parameters)?;
    let key = RsaPrivateKey::from_pkcs1_der(info.private_key)
        .map_err(|e| format!("the RSA-PSS private key cannot be parsed ({e})"))?;
    let algorithm = info
        .algorithm
        .to_der()
        .map_err(|e| format!("the RSA-PSS key's algorithm cannot be encoded ({e})"))?;
    Ok(SigningKey::RsaPss(Box::new(PssKey {
        key,
        restriction,
        algorithm,
    })))
}

/// Ed448 in PKCS#8 (RFC 8410 §7): the private key is a CurvePrivateKey, an OCTET STRING of
/// the 57-byte secret, inside the PrivateKeyInfo's OCTET STRING.
fn ed448_from_pkcs8(info: &PrivateKeyInfo<'_>) -> Result<SigningKey, String> {
    let failed = |e: &str| format!("the Ed448 private key cannot be parsed ({e})");
    if info.algorithm.parameters.is_some() {
        return Err(failed("the algorithm has parameters (RFC 8410 §3)"));
    }
    let inner = OctetStringRef::from_der(info.private_key).map_err(|e| failed(&e.to_string()))?;
    ed448_goldilocks_plus::SigningKey::try_from(inner.as_bytes())
        .map(|k| SigningKey::Ed448(Box::new(k)))
        .map_err(failed)
}
