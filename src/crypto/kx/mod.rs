//! Key exchange for every group a TLS peer may pick: (EC)DHE over X25519, X448, P-256, P-384
//! and P-521 (RFC 8446 §4.2.8.2, §7.4.2; RFC 7748; RFC 8422 §5.4, §5.11), finite-field DHE over
//! the RFC 7919 groups in TLS 1.3 (RFC 8446 §4.2.8.1, §7.4.1), ML-KEM-512/768/1024 (FIPS 203;
//! draft-connolly-tls-mlkem-key-agreement) and the hybrids of draft-ietf-tls-ecdhe-mlkem; and
//! RSA key transport of the TLS 1.2 pre-master secret (RFC 5246 §7.4.7.1).
//!
//! How the protocol code uses it:
//!
//! - Client: `EphemeralKey::generate(group, rng)`, `public_key()` into the key_share (for
//!   ML-KEM the encapsulation key; for a hybrid the encapsulation key and the ECDHE share in
//!   the draft's order), then `agree(server_share)` (for ML-KEM: decapsulation of the
//!   ciphertext; for a hybrid: split, decapsulate, ECDH, concatenate in the draft's order).
//! - Server: `respond(group, client_share, rng, fast)` gives the server's share and the shared
//!   secret for every group: for the Diffie-Hellman groups a fresh key and its agreement (ring's
//!   keys when `fast`, for x25519/P-256/P-384), for ML-KEM an encapsulation to the client's key
//!   (the share is the ciphertext; libcrux-ml-kem's when `fast`), for a hybrid both. A KEM cannot be answered by `generate`
//!   and `agree`: the TLS 1.3 server must call `respond`. TLS 1.2 ECDHE (ServerKeyExchange
//!   before the client's share) keeps `generate_with` then `agree`, for the ECDH groups only.
//! - Trace: `share_parts(group, share, from)` and `secret_parts(group)` label each part with
//!   its byte range; `share_len` / `secret_len` give the sizes.
//! - Groups: `ALL_GROUPS` and `supports` cover everything this module implements, which the
//!   handshake offers and accepts (`handshake::groups`, `handshake::config`);
//!   `SUPPORTED_GROUPS` are the three ring's fast path covers.
//!
//! Every refusal of a peer's share is an illegal_parameter naming the group and the part: a
//! length that is not the group's, an ECDHE point off the curve or not uncompressed, an
//! X25519/X448 all-zero result, an FFDHE Y outside 1 < Y < p-1, an ML-KEM encapsulation key
//! failing FIPS 203 §7.2's modulus check, a ciphertext of the wrong length.
//!
//! Crates (one RustCrypto generation: rand_core 0.6, elliptic-curve 0.13): `x25519-dalek` 2,
//! `p256`/`p384`/`p521` 0.13 (ecdh), `ml-kem` 0.2 (the release on rand_core 0.6; see `mlkem`),
//! `ed448-goldilocks-plus` 0.16 for X448 (why: see `x448`), the finite-field groups on the
//! `rsa` crate's big integers (`crypto::dh`), and ring for the `fast` path (`fast_kx`).

mod ecdh;
mod ffdhe13;
mod hybrid;
mod layout;
mod mlkem;
mod mlkem_fast;
#[cfg(test)]
mod tests;
mod x448;

use rsa::Pkcs1v15Encrypt;

use super::rng::TlsRng;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

pub use ecdh::EcdhKey;
pub use ffdhe13::FfdheKey;
pub use hybrid::HybridKey;
pub use layout::{secret_len, secret_parts, share_len, share_parts, SharePart};
pub use mlkem::{MlKemKey, MLKEM1024, MLKEM512, MLKEM768};
pub use x448::X448Secret;

/// The groups ring's fast path (`fast_kx`) covers, the first three tlsprobe had. What the
/// handshake offers and accepts by default is in `handshake::config` (every group of
/// `ALL_GROUPS`, in each role's order).
pub const SUPPORTED_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
];

/// Every group this module implements (`supports`), ECDH first, then the hybrids, pure ML-KEM
/// and the finite-field groups.
pub const ALL_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
    NamedGroup::SECP521R1,
    NamedGroup::X448,
    NamedGroup::X25519MLKEM768,
    NamedGroup::SECP256R1MLKEM768,
    NamedGroup::SECP384R1MLKEM1024,
    MLKEM512,
    MLKEM768,
    MLKEM1024,
    NamedGroup::FFDHE2048,
    NamedGroup::FFDHE3072,
    NamedGroup::FFDHE4096,
    NamedGroup::FFDHE6144,
    NamedGroup::FFDHE8192,
];

/// Whether this module can generate and answer key shares for `group`.
pub fn supports(group: NamedGroup) -> bool {
    ALL_GROUPS.contains(&group)
}

/// Whether `group` is a KEM (pure ML-KEM or hybrid): its server share depends on the client's
/// share, so the server must use `respond`.
pub fn is_kem(group: NamedGroup) -> bool {
    mlkem::Level::of(group).is_some() || hybrid::spec(group).is_some()
}

/// A group's name for messages: the registry's name (the draft's for the pure ML-KEM groups).
pub fn group_name(group: NamedGroup) -> String {
    match mlkem::Level::of(group) {
        Some(level) => level.group_name().to_string(),
        None => group.to_string(),
    }
}

/// An ML-KEM key from an encoded decapsulation key (FIPS 203 §7.3's dk; test vectors only,
/// see `crypto::raw`); None for a group that is not pure ML-KEM or a dk of the wrong size.
pub fn mlkem_key_from_decapsulation_key(group: NamedGroup, dk: &[u8]) -> Option<MlKemKey> {
    MlKemKey::from_decapsulation_key(mlkem::Level::of(group)?, dk)
}

/// Who sent a key share: the parts of a KEM share differ (encapsulation key from the client,
/// ciphertext from the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareFrom {
    Client,
    Server,
}

/// The server's answer to a client's key share: its own share and the shared secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyShareResponse {
    /// The key_exchange of the server's KeyShareEntry.
    pub share: Vec<u8>,
    /// The (EC)DHE/KEM shared secret for the key schedule (RFC 8446 §7.1).
    pub secret: Vec<u8>,
}

/// An ephemeral private key of any group, used once.
pub enum EphemeralKey {
    /// X25519, X448, P-256, P-384, P-521 (RustCrypto, or ring's for the `fast` path).
    Ecdh(EcdhKey),
    /// ffdhe2048 to ffdhe8192 as TLS 1.3 uses them.
    Ffdhe(FfdheKey),
    /// A client's ML-KEM key pair (pure ML-KEM groups).
    MlKem(MlKemKey),
    /// A client's hybrid key pair (draft-ietf-tls-ecdhe-mlkem).
    Hybrid(HybridKey),
}

impl std::fmt::Debug for EphemeralKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EphemeralKey({})", group_name(self.group()))
    }
}

fn unsupported(group: NamedGroup) -> TlsError {
    TlsError::new(
        Alert::HandshakeFailure,
        format!("key exchange group {} is not supported", group_name(group)),
    )
}

impl EphemeralKey {
    /// A fresh key for `group`; an unsupported group is a handshake_failure.
    pub fn generate<R>(group: NamedGroup, rng: &mut R) -> Result<Self, TlsError>
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        if let Some(k) = EcdhKey::generate(group, rng) {
            return Ok(EphemeralKey::Ecdh(k));
        }
        if let Some(k) = FfdheKey::generate(group, rng) {
            return k.map(EphemeralKey::Ffdhe);
        }
        if let Some(level) = mlkem::Level::of(group) {
            return Ok(EphemeralKey::MlKem(MlKemKey::generate(level, rng)));
        }
        match hybrid::spec(group) {
            Some(spec) => HybridKey::generate(spec, rng).map(EphemeralKey::Hybrid),
            None => Err(unsupported(group)),
        }
    }

    /// A fresh key for `group`, from ring when `fast` and ring has the group (x25519, P-256,
    /// P-384; not reproducible from `rng`; never in fuzzing builds, whose key exchange is a
    /// stand-in), else as `generate`.
    pub fn generate_with<R>(group: NamedGroup, rng: &mut R, fast: bool) -> Result<Self, TlsError>
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        if fast && !crate::crypto::fuzzing::ON {
            if let Some(k) = super::fast_kx::FastEphemeral::generate(group) {
                return Ok(EphemeralKey::Ecdh(EcdhKey::Fast(k)));
            }
        }
        Self::generate(group, rng)
    }

    /// The named group of this key.
    pub fn group(&self) -> NamedGroup {
        match self {
            EphemeralKey::Ecdh(k) => k.group(),
            EphemeralKey::Ffdhe(k) => k.group(),
            EphemeralKey::MlKem(k) => k.level().group(),
            EphemeralKey::Hybrid(k) => k.group(),
        }
    }

    /// The key share to send: X25519 32 and X448 56 bytes (RFC 7748); P-256/384/521
    /// uncompressed SEC1 0x04 || X || Y (RFC 8446 §4.2.8.2); FFDHE Y padded to the size of p
    /// (§4.2.8.1); ML-KEM the encapsulation key; a hybrid both, in the draft's order.
    pub fn public_key(&self) -> Vec<u8> {
        match self {
            EphemeralKey::Ecdh(k) => k.public_key(),
            EphemeralKey::Ffdhe(k) => k.public_key(),
            EphemeralKey::MlKem(k) => k.encapsulation_key().to_vec(),
            EphemeralKey::Hybrid(k) => k.public_key(),
        }
    }

    /// The shared secret with the peer's share (for the KEM groups: the server's share, whose
    /// ciphertext is decapsulated). Every invalid share is an illegal_parameter naming the
    /// group and the part (see the module's documentation). For P-256/384/521 the result is the
    /// x-coordinate (RFC 8446 §7.4.2); for FFDHE it is padded to the size of p (§7.4.1).
    pub fn agree(self, peer_public: &[u8]) -> Result<Vec<u8>, TlsError> {
        if crate::crypto::fuzzing::ON {
            return Ok(crate::crypto::fuzzing::shared(peer_public));
        }
        match self {
            EphemeralKey::Ecdh(k) => k.agree(peer_public),
            EphemeralKey::Ffdhe(k) => k.agree(peer_public),
            EphemeralKey::MlKem(k) => {
                let name = k.level().group_name();
                k.decapsulate(peer_public, name)
            }
            EphemeralKey::Hybrid(k) => k.agree(peer_public),
        }
    }
}

/// The server's side of the key exchange for `group`, given the client's share: the server's
/// share and the shared secret. Diffie-Hellman groups: a fresh key (ring's when `fast`, see
/// `generate_with`) and its agreement with the client's share. ML-KEM: encapsulation to the
/// client's encapsulation key, after FIPS 203 §7.2's checks (libcrux-ml-kem's when `fast`,
/// see `mlkem_fast`); the share is the ciphertext. Hybrids: both, in the draft's order (the
/// ECDHE half ring's when `fast`). Refusals as for `EphemeralKey::agree`; an unsupported
/// group is a handshake_failure.
pub fn respond<R>(
    group: NamedGroup,
    client_share: &[u8],
    rng: &mut R,
    fast: bool,
) -> Result<KeyShareResponse, TlsError>
where
    R: rand_core::RngCore + rand_core::CryptoRng,
{
    if crate::crypto::fuzzing::ON && is_kem(group) {
        return Ok(fuzzing_response(group, client_share, rng));
    }
    let (share, secret) = if let Some(level) = mlkem::Level::of(group) {
        mlkem::encapsulate(level, client_share, rng, level.group_name(), fast)?
    } else if let Some(spec) = hybrid::spec(group) {
        hybrid::respond(spec, client_share, rng, fast)?
    } else {
        let key = EphemeralKey::generate_with(group, rng, fast)?;
        let share = key.public_key();
        (share, key.agree(client_share)?)
    };
    Ok(KeyShareResponse { share, secret })
}

/// The fuzzing stand-in for a KEM server (see `crypto::fuzzing`): any client share is accepted,
/// the server's share is random bytes of the right size, the secret comes from the client's
/// share alone.
fn fuzzing_response<R: rand_core::RngCore>(
    group: NamedGroup,
    client_share: &[u8],
    rng: &mut R,
) -> KeyShareResponse {
    let mut share = vec![0u8; share_len(group, ShareFrom::Server).unwrap_or(0)];
    rng.fill_bytes(&mut share);
    KeyShareResponse {
        share,
        secret: crate::crypto::fuzzing::shared(client_share),
    }
}

/// RSA key transport (RFC 5246 §7.4.7.1): PKCS#1 v1.5 encryption of the pre-master secret to
/// the key in a certificate's SubjectPublicKeyInfo DER. A non-RSA or unparsable key is a
/// bad_certificate.
pub fn rsa_encrypt_premaster(
    spki_der: &[u8],
    premaster: &[u8],
    rng: &mut TlsRng,
) -> Result<Vec<u8>, TlsError> {
    let key = crate::crypto::sign::rsa_public_key(spki_der).map_err(|_| {
        TlsError::new(
            Alert::BadCertificate,
            "the certificate does not hold an RSA public key usable for RSA key exchange",
        )
    })?;
    key.encrypt(rng, Pkcs1v15Encrypt, premaster).map_err(|e| {
        TlsError::internal(format!(
            "RSA encryption of the pre-master secret failed: {e}"
        ))
    })
}
