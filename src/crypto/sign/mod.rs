//! Signatures: verification of peer signatures in CertificateVerify / ServerKeyExchange and
//! signing with our own key (RFC 8446 §4.2.3, §4.4.3; RFC 5246 §7.4.1.4.1; RFC 8422 §5.10),
//! plus the server side of RSA key transport (RFC 5246 §7.4.7.1).

mod key;
mod load;
mod peer;
mod pss;

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::{Pkcs1v15Sign, Pss};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::error::{Alert, TlsError};
use crate::wire::codepoints::SignatureScheme;
use peer::{parse_spki, PeerKey};

pub use key::{PssKey, RsaKey, SigningKey};
pub use peer::{is_any_rsa_spki, is_rsa_spki, rsa_public_key};
pub use pss::PssRestriction;

/// The hash of a signature scheme (SHA-256/384/512 only; SHA-1 and MD5 are not supported).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigHash {
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

    /// The same, blinded, for signing.
    fn pss_blinded(self) -> Pss {
        match self {
            SigHash::Sha256 => Pss::new_blinded::<Sha256>(),
            SigHash::Sha384 => Pss::new_blinded::<Sha384>(),
            SigHash::Sha512 => Pss::new_blinded::<Sha512>(),
        }
    }

    pub fn output_len(self) -> usize {
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
    /// rsa_pss_rsae_*: an rsaEncryption key.
    RsaPss(SigHash),
    /// rsa_pss_pss_*: an id-RSASSA-PSS key (RFC 8446 §4.2.3).
    RsaPssPss(SigHash),
    /// ECDSA with this hash; the curve named by the TLS 1.3 code point.
    Ecdsa(SigHash, Curve),
    Ed25519,
    Ed448,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
}

fn kind(scheme: SignatureScheme) -> Option<Kind> {
    use SignatureScheme as S;
    Some(match scheme {
        S::RSA_PKCS1_SHA256 => Kind::RsaPkcs1(SigHash::Sha256),
        S::RSA_PKCS1_SHA384 => Kind::RsaPkcs1(SigHash::Sha384),
        S::RSA_PKCS1_SHA512 => Kind::RsaPkcs1(SigHash::Sha512),
        S::RSA_PSS_RSAE_SHA256 => Kind::RsaPss(SigHash::Sha256),
        S::RSA_PSS_RSAE_SHA384 => Kind::RsaPss(SigHash::Sha384),
        S::RSA_PSS_RSAE_SHA512 => Kind::RsaPss(SigHash::Sha512),
        S::RSA_PSS_PSS_SHA256 => Kind::RsaPssPss(SigHash::Sha256),
        S::RSA_PSS_PSS_SHA384 => Kind::RsaPssPss(SigHash::Sha384),
        S::RSA_PSS_PSS_SHA512 => Kind::RsaPssPss(SigHash::Sha512),
        S::ECDSA_SECP256R1_SHA256 => Kind::Ecdsa(SigHash::Sha256, Curve::P256),
        S::ECDSA_SECP384R1_SHA384 => Kind::Ecdsa(SigHash::Sha384, Curve::P384),
        S::ECDSA_SECP521R1_SHA512 => Kind::Ecdsa(SigHash::Sha512, Curve::P521),
        S::ED25519 => Kind::Ed25519,
        S::ED448 => Kind::Ed448,
        _ => return None,
    })
}

fn bad_cert(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::BadCertificate, msg)
}

fn illegal(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::IllegalParameter, msg)
}

fn bad_sig(scheme: SignatureScheme) -> TlsError {
    TlsError::new(
        Alert::DecryptError,
        format!("the {scheme} signature does not verify"),
    )
}

/// A digest as the ECDSA prehash for a curve whose field is `field_len` bytes: a shorter
/// digest is left-padded with zeros, the same integer (SEC 1 §4.1.3), which the ecdsa crate
/// otherwise refuses when under half the field (SHA-256 or SHA-1 with P-521).
fn ecdsa_prehash(digest: Vec<u8>, field_len: usize) -> Vec<u8> {
    if digest.len() >= field_len {
        return digest;
    }
    let mut v = vec![0u8; field_len - digest.len()];
    v.extend_from_slice(&digest);
    v
}

/// Verify `signature` over `message` with the key in SubjectPublicKeyInfo DER.
///
/// Supported: rsa_pkcs1_sha256/384/512 (TLS 1.2 only, RFC 8446 §4.4.3 forbids PKCS#1 v1.5 in
/// CertificateVerify), rsa_pss_rsae_sha256/384/512 (rsaEncryption keys) and
/// rsa_pss_pss_sha256/384/512 (id-RSASSA-PSS keys, within their parameters), salt = hash
/// length; ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ecdsa_secp521r1_sha512, ed25519,
/// ed448. ECDSA signatures are DER. With `tls12`, the curve need not match the hash (RFC 5246
/// §7.4.1.4.1, RFC 8422 §5.10): the hash comes from the scheme, the curve from the key; in
/// TLS 1.3 (RFC 8446 §4.2.3) a mismatch is an error.
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
    let curve_fits = |c: Curve, want: Curve| tls12 || c == want;
    let bad = || bad_sig(scheme);
    match (k, &key) {
        (Kind::RsaPkcs1(h), PeerKey::Rsa(pk)) => {
            if !tls12 {
                return Err(illegal(format!(
                    "{scheme} is not allowed in TLS 1.3 CertificateVerify (RFC 8446 §4.4.3)"
                )));
            }
            pk.verify(h.pkcs1(), &h.digest(message), signature)
                .map_err(|_| bad())
        }
        (Kind::RsaPss(h), PeerKey::Rsa(pk)) => pk
            .verify(h.pss(), &h.digest(message), signature)
            .map_err(|_| bad()),
        (Kind::RsaPssPss(h), PeerKey::RsaPss(pk, r)) => {
            if !r.allows(h) {
                return Err(illegal(format!(
                    "{scheme} is outside the parameters of the RSA-PSS key (RFC 4055 §3.1)"
                )));
            }
            pk.verify(h.pss(), &h.digest(message), signature)
                .map_err(|_| bad())
        }
        (Kind::Ecdsa(h, c), PeerKey::P256(vk)) if curve_fits(c, Curve::P256) => {
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&h.digest(message), &sig)
                .map_err(|_| bad())
        }
        (Kind::Ecdsa(h, c), PeerKey::P384(vk)) if curve_fits(c, Curve::P384) => {
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&h.digest(message), &sig)
                .map_err(|_| bad())
        }
        (Kind::Ecdsa(h, c), PeerKey::P521(vk)) if curve_fits(c, Curve::P521) => {
            let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&ecdsa_prehash(h.digest(message), 66), &sig)
                .map_err(|_| bad())
        }
        (Kind::Ed25519, PeerKey::Ed25519(vk)) => {
            let sig = ed25519_dalek::Signature::from_slice(signature).map_err(|_| bad())?;
            vk.verify_strict(message, &sig).map_err(|_| bad())
        }
        (Kind::Ed448, PeerKey::Ed448(vk)) => {
            let bytes: &[u8; 114] = signature.try_into().map_err(|_| bad())?;
            let sig = ed448_goldilocks_plus::Signature::from_bytes(bytes).map_err(|_| bad())?;
            vk.verify_raw(&sig, message).map_err(|_| bad())
        }
        (_, key) => Err(mismatch(key_words(key))),
    }
}

/// Verifies an RSASSA-PSS signature with MGF1 of the same hash and salt length `salt_len`
/// (RFC 8017 §8.1.2), as certificates carry them (RFC 4055 §3.1; OpenSSL signs with the
/// longest salt the key allows), by an rsaEncryption key or an id-RSASSA-PSS key whose
/// parameters allow the hash and salt. False for any other key or a bad signature.
pub fn verify_pss_salted(
    spki_der: &[u8],
    h: SigHash,
    salt_len: usize,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let pss = match h {
        SigHash::Sha256 => Pss::new_with_salt::<Sha256>(salt_len),
        SigHash::Sha384 => Pss::new_with_salt::<Sha384>(salt_len),
        SigHash::Sha512 => Pss::new_with_salt::<Sha512>(salt_len),
    };
    let pk = match parse_spki(spki_der) {
        Ok(PeerKey::Rsa(pk)) => pk,
        Ok(PeerKey::RsaPss(pk, r)) if r.hash.is_none_or(|k| k == h) && r.min_salt <= salt_len => pk,
        _ => return false,
    };
    pk.verify(pss, &h.digest(message), signature).is_ok()
}

/// "an RSA", "a P-256", ... for mismatch errors.
fn key_words(key: &PeerKey) -> &'static str {
    match key {
        PeerKey::Rsa(_) => "an RSA",
        PeerKey::RsaPss(..) => "an RSA-PSS",
        PeerKey::P256(_) => "a P-256",
        PeerKey::P384(_) => "a P-384",
        PeerKey::P521(_) => "a P-521",
        PeerKey::Ed25519(_) => "an Ed25519",
        PeerKey::Ed448(_) => "an Ed448",
    }
}

/// The digest signed in TLS 1.0/1.1 ServerKeyExchange and CertificateVerify: RSA signs
/// MD5(m) || SHA-1(m) (36 bytes) with PKCS#1 v1.5 type 1 padding and no DigestInfo (RFC 2246
/// §7.4.3, RFC 4346 §4.7); ECDSA signs SHA-1(m) (RFC 4492 §5.4), left-padded with zeros to the
/// field size so that P-384 and P-521 accept the short digest (the integer is the same, SEC 1
/// §4.1.3).
fn legacy_digest(rsa: bool, field_len: usize, message: &[u8]) -> Vec<u8> {
    use super::hash::HashAlg;
    if rsa {
        HashAlg::Md5Sha1.hash(message)
    } else {
        ecdsa_prehash(HashAlg::Sha1.hash(message), field_len)
    }
}

/// Verifies a TLS 1.0/1.1 signature (no algorithm field; see `legacy_digest`). Returns a short
/// description of what was verified. EdDSA and RSA-PSS keys cannot be used in TLS 1.0/1.1
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
    const ECDSA: &str = "ECDSA over SHA-1";
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
                .map(|_| ECDSA)
                .map_err(|_| bad())
        }
        PeerKey::P384(vk) => {
            let sig = p384::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&legacy_digest(false, 48, message), &sig)
                .map(|_| ECDSA)
                .map_err(|_| bad())
        }
        PeerKey::P521(vk) => {
            let sig = p521::ecdsa::Signature::from_der(signature).map_err(|_| bad())?;
            vk.verify_prehash(&legacy_digest(false, 66, message), &sig)
                .map(|_| ECDSA)
                .map_err(|_| bad())
        }
        key @ (PeerKey::Ed25519(_) | PeerKey::Ed448(_) | PeerKey::RsaPss(..)) => {
            Err(illegal(format!(
                "{} key cannot sign in TLS 1.0/1.1 (no signature algorithm field)",
                key_words(&key)
            )))
        }
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

#[cfg(test)]
mod tests;
