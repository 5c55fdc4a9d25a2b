//! ML-KEM encapsulation for the server's hot path (`respond` with `fast`, as `listen` runs it):
//! libcrux-ml-kem, formally verified and with AVX2 code when the CPU has it, about twice as
//! fast as RustCrypto's `ml-kem` here (docs/BENCHMARKS.md), which keeps every other use (the
//! client, seeded tests, test vectors). Same checks (FIPS 203 §7.2: the type check by length,
//! the modulus check), same result: the 32 random bytes m of FIPS 203 Algorithm 20 are drawn
//! from `rng` as `ml-kem` draws them, so a seeded run gives the same ciphertext and secret on
//! either path (the module's tests compare them).

use libcrux_ml_kem::{mlkem1024, mlkem512, mlkem768};

use super::mlkem::{EkRefused, Level};

/// Encapsulation to `ek` for `level`: (ciphertext, shared secret), or why `ek` is refused.
pub(super) fn encapsulate<R>(
    level: Level,
    ek: &[u8],
    rng: &mut R,
) -> Result<(Vec<u8>, Vec<u8>), EkRefused>
where
    R: rand_core::RngCore + rand_core::CryptoRng,
{
    // Checked before drawing m, as `ml-kem` does (a refused key consumes no randomness).
    if ek.len() != level.ek_len() {
        return Err(EkRefused::Length);
    }
    macro_rules! with {
        ($m:ident, $pk:ident) => {{
            let pk = $m::$pk::try_from(ek).map_err(|_| EkRefused::Length)?;
            if !$m::validate_public_key(&pk) {
                return Err(EkRefused::Modulus);
            }
            let mut m = [0u8; 32];
            rng.fill_bytes(&mut m);
            let (ct, k) = $m::encapsulate(&pk, m);
            let ct: &[u8] = ct.as_ref();
            let k: &[u8] = k.as_ref();
            Ok((ct.to_vec(), k.to_vec()))
        }};
    }
    match level {
        Level::MlKem512 => with!(mlkem512, MlKem512PublicKey),
        Level::MlKem768 => with!(mlkem768, MlKem768PublicKey),
        Level::MlKem1024 => with!(mlkem1024, MlKem1024PublicKey),
    }
}

#[cfg(test)]
mod tests {
    use super::super::mlkem::{encapsulate as slow_or_fast, MlKemKey};
    use super::*;
    use crate::crypto::rng::seeded_rng;
    use crate::error::Alert;

    const LEVELS: [Level; 3] = [Level::MlKem512, Level::MlKem768, Level::MlKem1024];

    #[test]
    fn same_ciphertext_and_secret_as_ml_kem_for_the_same_randomness() {
        for level in LEVELS {
            for seed in 0..4 {
                let client = MlKemKey::generate(level, &mut seeded_rng(seed));
                let ek = client.encapsulation_key();
                let slow = slow_or_fast(level, ek, &mut seeded_rng(100 + seed), "t", false);
                let fast = slow_or_fast(level, ek, &mut seeded_rng(100 + seed), "t", true);
                let (ct, k) = fast.unwrap();
                assert_eq!(slow.unwrap(), (ct.clone(), k.clone()), "{level:?}");
                assert_eq!(client.decapsulate(&ct, "t").unwrap(), k, "{level:?}");
            }
        }
    }

    #[test]
    fn refuses_what_ml_kem_refuses_with_the_same_words() {
        for level in LEVELS {
            let client = MlKemKey::generate(level, &mut seeded_rng(7));
            let ek = client.encapsulation_key().to_vec();
            let mut over_q = ek.clone();
            // The first 12-bit coefficient set to 4095 (>= q = 3329).
            over_q[0] = 0xff;
            over_q[1] |= 0x0f;
            let bad: [&[u8]; 3] = [&ek[1..], &[ek.as_slice(), &[0]].concat(), &over_q];
            for b in bad {
                let slow = slow_or_fast(level, b, &mut seeded_rng(1), "t", false).unwrap_err();
                let fast = slow_or_fast(level, b, &mut seeded_rng(1), "t", true).unwrap_err();
                assert_eq!(fast.alert, Alert::IllegalParameter);
                assert_eq!(fast.message, slow.message, "{level:?}");
            }
        }
    }
}
