//! ML-KEM-512/768/1024 (FIPS 203) for TLS key shares: the client's decapsulation key and its
//! encapsulation key (the client share), the server's encapsulation (the server share is the
//! ciphertext), with the input checks FIPS 203 §7.2 and §7.3 ask for.
//!
//! Crate: RustCrypto `ml-kem` 0.2 (rand_core 0.6, like the rest of our RustCrypto generation;
//! 0.3 moved to rand_core 0.9). Its `EncapsulationKey::from_bytes` reduces every coefficient
//! modulo q without saying so, so the FIPS 203 §7.2 modulus check (ByteEncode12(ByteDecode12(ek))
//! = ek) is made here by re-encoding and comparing; the type (length) checks are made here too.
//! Decapsulation uses implicit rejection (FIPS 203 §6.3): a wrong ciphertext of the right length
//! gives a pseudo-random secret, never an error, and the handshake then fails at Finished.

use ml_kem::kem::{Decapsulate, Encapsulate};
use ml_kem::{Ciphertext, Encoded, EncodedSizeUser, KemCore, MlKem1024, MlKem512, MlKem768};

use crate::error::{Alert, TlsError};
use crate::wire::codepoints::NamedGroup;

/// MLKEM512 (draft-connolly-tls-mlkem-key-agreement; `NamedGroup::MLKEM512`).
pub const MLKEM512: NamedGroup = NamedGroup::MLKEM512;
/// MLKEM768 (draft-connolly-tls-mlkem-key-agreement).
pub const MLKEM768: NamedGroup = NamedGroup::MLKEM768;
/// MLKEM1024 (draft-connolly-tls-mlkem-key-agreement).
pub const MLKEM1024: NamedGroup = NamedGroup::MLKEM1024;

/// The size of an ML-KEM shared secret (FIPS 203 §7: 32 bytes for every parameter set).
pub const SECRET_LEN: usize = 32;

/// An ML-KEM parameter set (FIPS 203 §8, Table 2 and 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    MlKem512,
    MlKem768,
    MlKem1024,
}

impl Level {
    /// The parameter set of a pure ML-KEM group.
    pub fn of(group: NamedGroup) -> Option<Level> {
        match group {
            MLKEM512 => Some(Level::MlKem512),
            MLKEM768 => Some(Level::MlKem768),
            MLKEM1024 => Some(Level::MlKem1024),
            _ => None,
        }
    }

    /// The pure ML-KEM group of this parameter set.
    pub fn group(self) -> NamedGroup {
        match self {
            Level::MlKem512 => MLKEM512,
            Level::MlKem768 => MLKEM768,
            Level::MlKem1024 => MLKEM1024,
        }
    }

    /// The TLS name of the pure group (the IANA registry's "MLKEM768").
    pub fn group_name(self) -> &'static str {
        match self {
            Level::MlKem512 => "MLKEM512",
            Level::MlKem768 => "MLKEM768",
            Level::MlKem1024 => "MLKEM1024",
        }
    }

    /// FIPS 203's name of the parameter set.
    pub fn name(self) -> &'static str {
        match self {
            Level::MlKem512 => "ML-KEM-512",
            Level::MlKem768 => "ML-KEM-768",
            Level::MlKem1024 => "ML-KEM-1024",
        }
    }

    fn k(self) -> usize {
        match self {
            Level::MlKem512 => 2,
            Level::MlKem768 => 3,
            Level::MlKem1024 => 4,
        }
    }

    /// Encapsulation key size, 384k + 32 (FIPS 203 §8 Table 3).
    pub fn ek_len(self) -> usize {
        384 * self.k() + 32
    }

    /// Ciphertext size, 32(du k + dv) (FIPS 203 §8 Table 3).
    pub fn ct_len(self) -> usize {
        match self {
            Level::MlKem512 => 768,
            Level::MlKem768 => 1088,
            Level::MlKem1024 => 1568,
        }
    }

    /// Decapsulation key size, 768k + 96 (FIPS 203 §8 Table 3).
    pub fn dk_len(self) -> usize {
        768 * self.k() + 96
    }
}

fn illegal(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::IllegalParameter, msg)
}

/// A decapsulation key with its encoded encapsulation key.
pub struct Pair<K: KemCore> {
    dk: Box<K::DecapsulationKey>,
    ek: Vec<u8>,
}

/// A client's ML-KEM key pair, used once.
pub enum MlKemKey {
    L512(Pair<MlKem512>),
    L768(Pair<MlKem768>),
    L1024(Pair<MlKem1024>),
}

fn generate_pair<K: KemCore, R>(rng: &mut R) -> Pair<K>
where
    R: rand_core::RngCore + rand_core::CryptoRng,
{
    let (dk, ek) = K::generate(rng);
    Pair {
        dk: Box::new(dk),
        ek: ek.as_bytes().to_vec(),
    }
}

/// A pair from an encoded decapsulation key (FIPS 203 §7.3's dk: dk_pke || ek || H(ek) || z),
/// whose length `MlKemKey::from_decapsulation_key` has checked.
fn pair_from_dk<K: KemCore>(dk: &[u8], level: Level) -> Option<Pair<K>> {
    let enc = Encoded::<K::DecapsulationKey>::try_from(dk).ok()?;
    let ek_start = 384 * level.k();
    Some(Pair {
        dk: Box::new(K::DecapsulationKey::from_bytes(&enc)),
        ek: dk.get(ek_start..ek_start + level.ek_len())?.to_vec(),
    })
}

fn decapsulate_with<K: KemCore>(pair: &Pair<K>, ct: &[u8]) -> Option<Vec<u8>> {
    let ct = Ciphertext::<K>::try_from(ct).ok()?;
    pair.dk.decapsulate(&ct).ok().map(|k| k.to_vec())
}

/// What an encapsulation key can fail: FIPS 203 §7.2's type check (length) and modulus check.
pub(super) enum EkRefused {
    Length,
    Modulus,
    Internal,
}

fn encapsulate_with<K: KemCore, R>(ek: &[u8], rng: &mut R) -> Result<(Vec<u8>, Vec<u8>), EkRefused>
where
    R: rand_core::RngCore + rand_core::CryptoRng,
{
    let enc = Encoded::<K::EncapsulationKey>::try_from(ek).map_err(|_| EkRefused::Length)?;
    let key = K::EncapsulationKey::from_bytes(&enc);
    // FIPS 203 §7.2 modulus check: decoding reduces each 12-bit coefficient modulo q, so an
    // encoding that does not survive the round trip held a coefficient >= q.
    if key.as_bytes() != enc {
        return Err(EkRefused::Modulus);
    }
    let (ct, k) = key.encapsulate(rng).map_err(|_| EkRefused::Internal)?;
    Ok((ct.to_vec(), k.to_vec()))
}

impl MlKemKey {
    /// A fresh key pair (FIPS 203 Algorithm 19, ML-KEM.KeyGen: d then z from `rng`).
    pub fn generate<R>(level: Level, rng: &mut R) -> MlKemKey
    where
        R: rand_core::RngCore + rand_core::CryptoRng,
    {
        match level {
            Level::MlKem512 => MlKemKey::L512(generate_pair(rng)),
            Level::MlKem768 => MlKemKey::L768(generate_pair(rng)),
            Level::MlKem1024 => MlKemKey::L1024(generate_pair(rng)),
        }
    }

    /// A key from an encoded decapsulation key (test vectors only); None when its length is
    /// not the parameter set's.
    pub fn from_decapsulation_key(level: Level, dk: &[u8]) -> Option<MlKemKey> {
        if dk.len() != level.dk_len() {
            return None;
        }
        Some(match level {
            Level::MlKem512 => MlKemKey::L512(pair_from_dk(dk, level)?),
            Level::MlKem768 => MlKemKey::L768(pair_from_dk(dk, level)?),
            Level::MlKem1024 => MlKemKey::L1024(pair_from_dk(dk, level)?),
        })
    }

    /// The parameter set.
    pub fn level(&self) -> Level {
        match self {
            MlKemKey::L512(_) => Level::MlKem512,
            MlKemKey::L768(_) => Level::MlKem768,
            MlKemKey::L1024(_) => Level::MlKem1024,
        }
    }

    /// The encoded encapsulation key (the client's share for a pure ML-KEM group).
    pub fn encapsulation_key(&self) -> &[u8] {
        match self {
            MlKemKey::L512(p) => &p.ek,
            MlKemKey::L768(p) => &p.ek,
            MlKemKey::L1024(p) => &p.ek,
        }
    }

    /// The shared secret from the server's ciphertext (FIPS 203 Algorithm 21). A ciphertext of
    /// the wrong length is an illegal_parameter (FIPS 203 §7.3 type check;
    /// draft-ietf-tls-ecdhe-mlkem §4.1); `group` names the key exchange in the message.
    pub fn decapsulate(&self, ct: &[u8], group: &str) -> Result<Vec<u8>, TlsError> {
        let level = self.level();
        if ct.len() != level.ct_len() {
            return Err(illegal(format!(
                "{group}: the {} ciphertext must be {} bytes, got {}",
                level.name(),
                level.ct_len(),
                ct.len()
            )));
        }
        let secret = match self {
            MlKemKey::L512(p) => decapsulate_with(p, ct),
            MlKemKey::L768(p) => decapsulate_with(p, ct),
            MlKemKey::L1024(p) => decapsulate_with(p, ct),
        };
        // The draft asks for internal_error when decapsulation fails for another reason.
        secret.ok_or_else(|| TlsError::internal(format!("{group}: ML-KEM decapsulation failed")))
    }
}

/// Encapsulation to a client's encapsulation key (FIPS 203 Algorithm 20): (ciphertext, shared
/// secret). The key's length and FIPS 203 §7.2 modulus check come first: a failure is an
/// illegal_parameter (draft-ietf-tls-ecdhe-mlkem §4.1); `group` names the key exchange. With
/// `fast`, libcrux-ml-kem does it (`mlkem_fast`: same checks, same result for the same
/// randomness).
pub fn encapsulate<R>(
    level: Level,
    ek: &[u8],
    rng: &mut R,
    group: &str,
    fast: bool,
) -> Result<(Vec<u8>, Vec<u8>), TlsError>
where
    R: rand_core::RngCore + rand_core::CryptoRng,
{
    let result = match level {
        _ if fast => super::mlkem_fast::encapsulate(level, ek, rng),
        Level::MlKem512 => encapsulate_with::<MlKem512, R>(ek, rng),
        Level::MlKem768 => encapsulate_with::<MlKem768, R>(ek, rng),
        Level::MlKem1024 => encapsulate_with::<MlKem1024, R>(ek, rng),
    };
    result.map_err(|e| match e {
        EkRefused::Length => illegal(format!(
            "{group}: the {} encapsulation key must be {} bytes, got {}",
            level.name(),
            level.ek_len(),
            ek.len()
        )),
        EkRefused::Modulus => illegal(format!(
            "{group}: the {} encapsulation key fails the FIPS 203 §7.2 modulus check \
             (a coefficient is not below q = 3329)",
            level.name()
        )),
        EkRefused::Internal => TlsError::internal(format!("{group}: ML-KEM encapsulation failed")),
    })
}
