//! The hybrid groups of draft-ietf-tls-ecdhe-mlkem (§4.1 "Construction"): one ECDHE share and
//! one ML-KEM part, concatenated in the draft's order, which differs between the groups.
//!
//! | group | client share | server share | shared secret |
//! |---|---|---|---|
//! | X25519MLKEM768 (0x11EC) | ek 1184 ‖ X25519 32 | ct 1088 ‖ X25519 32 | ML-KEM 32 ‖ X25519 32 |
//! | SecP256r1MLKEM768 (0x11EB) | P-256 65 ‖ ek 1184 | P-256 65 ‖ ct 1088 | ECDH 32 ‖ ML-KEM 32 |
//! | SecP384r1MLKEM1024 (0x11ED) | P-384 97 ‖ ek 1568 | P-384 97 ‖ ct 1568 | ECDH 48 ‖ ML-KEM 32 |
//!
//! X25519MLKEM768 puts ML-KEM first (for FIPS: the first secret must come from an approved
//! scheme), the NIST-curve hybrids put ECDH first. Checked against the draft's text and
//! tlslite-ng 0.9's `KEMKeyExchange` (kyber-py), with which tests/kx_python.rs interoperates.
//!
//! Refusals (illegal_parameter, each naming the group and the part): a share of the wrong total
//! length, an encapsulation key failing FIPS 203 §7.2, an ECDHE part failing RFC 8446
//! §4.2.8.2 (off the curve, not uncompressed) or §7.4.2 (X25519 all-zero result).

use super::ecdh::{self, EcdhKey};
use super::mlkem::{self, Level, MlKemKey};
use super::ShareFrom;
use crate::crypto::fast_kx::FastEphemeral;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

/// How one hybrid group is built.
#[derive(Debug)]
pub struct Spec {
    pub group: NamedGroup,
    pub name: &'static str,
    /// The ECDHE half's group.
    pub ecdh: NamedGroup,
    /// The ML-KEM half's parameter set.
    pub level: Level,
    /// True when the ML-KEM part comes first in shares and in the shared secret.
    pub kem_first: bool,
}

/// The three hybrids of draft-ietf-tls-ecdhe-mlkem.
pub const SPECS: &[Spec] = &[
    Spec {
        group: NamedGroup::X25519MLKEM768,
        name: "X25519MLKEM768",
        ecdh: NamedGroup::X25519,
        level: Level::MlKem768,
        kem_first: true,
    },
    Spec {
        group: NamedGroup::SECP256R1MLKEM768,
        name: "SecP256r1MLKEM768",
        ecdh: NamedGroup::SECP256R1,
        level: Level::MlKem768,
        kem_first: false,
    },
    Spec {
        group: NamedGroup::SECP384R1MLKEM1024,
        name: "SecP384r1MLKEM1024",
        ecdh: NamedGroup::SECP384R1,
        level: Level::MlKem1024,
        kem_first: false,
    },
];

/// The hybrid spec of `group`, if it is one.
pub fn spec(group: NamedGroup) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.group == group)
}

impl Spec {
    /// The ECDHE share's size.
    pub fn ecdh_len(&self) -> usize {
        ecdh::share_len(self.ecdh).unwrap_or(0)
    }

    /// `kem` and `ecdh` in the group's order.
    pub fn ordered<T>(&self, kem: T, ecdh: T) -> [T; 2] {
        if self.kem_first {
            [kem, ecdh]
        } else {
            [ecdh, kem]
        }
    }

    /// The ML-KEM part's size in a share from `from`: the encapsulation key from the client,
    /// the ciphertext from the server.
    pub fn kem_len(&self, from: ShareFrom) -> usize {
        match from {
            ShareFrom::Client => self.level.ek_len(),
            ShareFrom::Server => self.level.ct_len(),
        }
    }

    /// Splits a share into (ML-KEM part, ECDHE part), refusing a wrong total length.
    fn split<'a>(
        &self,
        share: &'a [u8],
        from: ShareFrom,
    ) -> Result<(&'a [u8], &'a [u8]), TlsError> {
        let ecdh_len = self.ecdh_len();
        let kem_len = self.kem_len(from);
        let want = kem_len + ecdh_len;
        if share.len() != want {
            let (sender, kem_part) = match from {
                ShareFrom::Client => ("client", "encapsulation key"),
                ShareFrom::Server => ("server", "ciphertext"),
            };
            let [first, second] = self.ordered(
                format!("{} {kem_part} {kem_len}", self.level.name()),
                format!("{} share {ecdh_len}", self.ecdh),
            );
            return Err(TlsError::new(
                Alert::IllegalParameter,
                format!(
                    "{} {sender} share must be {want} bytes ({first} + {second}), got {}",
                    self.name,
                    share.len()
                ),
            ));
        }
        Ok(if self.kem_first {
            (&share[..kem_len], &share[kem_len..])
        } else {
            let (e, k) = share.split_at(ecdh_len);
            (k, e)
        })
    }

    /// A fresh key for the ECDHE half: ring's when `fast` (the server on listen's hot path;
    /// never in fuzzing builds), else from `rng`.
    fn ecdh_key<R>(&self, rng: &mut R, fast: bool) -> Result<EcdhKey, TlsError>
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        if fast && !crate::crypto::fuzzing::ON {
            if let Some(k) = FastEphemeral::generate(self.ecdh) {
                return Ok(EcdhKey::Fast(k));
            }
        }
        EcdhKey::generate(self.ecdh, rng).ok_or_else(|| {
            TlsError::internal(format!("{}: {} is not an ECDH group", self.name, self.ecdh))
        })
    }

    /// An error from the ECDHE half, with the group named.
    fn in_ecdh_part(&self, e: TlsError) -> TlsError {
        TlsError::new(
            e.alert,
            format!("{}: the {} part: {}", self.name, self.ecdh, e.message),
        )
    }
}

/// A client's hybrid key: an ML-KEM key pair and an ECDHE key.
pub struct HybridKey {
    spec: &'static Spec,
    kem: MlKemKey,
    ecdh: EcdhKey,
}

impl HybridKey {
    /// A fresh key pair for `spec`: the ML-KEM key first, then the ECDHE key, from `rng`.
    pub fn generate<R>(spec: &'static Spec, rng: &mut R) -> Result<HybridKey, TlsError>
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        let kem = MlKemKey::generate(spec.level, rng);
        let ecdh = spec.ecdh_key(rng, false)?;
        Ok(HybridKey { spec, kem, ecdh })
    }

    /// The named group of this key.
    pub fn group(&self) -> NamedGroup {
        self.spec.group
    }

    /// The client share: encapsulation key and ECDHE share in the group's order.
    pub fn public_key(&self) -> Vec<u8> {
        let ecdh = self.ecdh.public_key();
        self.spec
            .ordered(self.kem.encapsulation_key(), &ecdh[..])
            .concat()
    }

    /// The shared secret from the server's share (ciphertext and ECDHE share in the group's
    /// order): both halves' secrets concatenated in the group's order.
    pub fn agree(self, server_share: &[u8]) -> Result<Vec<u8>, TlsError> {
        let spec = self.spec;
        let (ct, ecdh_share) = spec.split(server_share, ShareFrom::Server)?;
        let kem_secret = self.kem.decapsulate(ct, spec.name)?;
        let ecdh_secret = self
            .ecdh
            .agree(ecdh_share)
            .map_err(|e| spec.in_ecdh_part(e))?;
        Ok(spec.ordered(kem_secret, ecdh_secret).concat())
    }
}

/// The server's side for `spec`: checks the client's share, encapsulates to its ML-KEM key and
/// answers its ECDHE share with a fresh key (libcrux-ml-kem and ring's key when `fast`).
/// Returns (server share, shared secret).
pub fn respond<R>(
    spec: &'static Spec,
    client_share: &[u8],
    rng: &mut R,
    fast: bool,
) -> Result<(Vec<u8>, Vec<u8>), TlsError>
where
    R: rand_core::RngCore + rand_core::CryptoRng,
{
    let (ek, ecdh_share) = spec.split(client_share, ShareFrom::Client)?;
    let (ct, kem_secret) = mlkem::encapsulate(spec.level, ek, rng, spec.name, fast)?;
    let ecdh = spec.ecdh_key(rng, fast)?;
    let ecdh_public = ecdh.public_key();
    let ecdh_secret = ecdh.agree(ecdh_share).map_err(|e| spec.in_ecdh_part(e))?;
    Ok((
        spec.ordered(ct, ecdh_public).concat(),
        spec.ordered(kem_secret, ecdh_secret).concat(),
    ))
}
