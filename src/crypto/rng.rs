//! Random number generation: one ChaCha20 generator per connection, seeded from the operating
//! system (RFC 8446 §C.1 and RFC 4086 ask for a cryptographically secure generator), or from a
//! fixed seed for reproducible tests and snapshots.

use rand_chacha::ChaCha20Rng;
use rand_core::{OsRng, SeedableRng};

/// The generator used everywhere in the protocol code.
pub type TlsRng = ChaCha20Rng;

/// A generator seeded from the operating system's random source.
///
/// Panics only if the operating system cannot provide randomness at all, in which case no
/// secure handshake is possible.
pub fn system_rng() -> TlsRng {
    ChaCha20Rng::from_rng(OsRng).expect("the operating system random number generator failed")
}

/// A deterministic generator for tests and snapshots only: never use it for real connections.
pub fn seeded_rng(seed: u64) -> TlsRng {
    ChaCha20Rng::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::RngCore;

    #[test]
    fn seeded_is_deterministic() {
        let (mut a, mut b) = (seeded_rng(7), seeded_rng(7));
        assert_eq!(a.next_u64(), b.next_u64());
        assert_ne!(seeded_rng(7).next_u64(), seeded_rng(8).next_u64());
    }

    #[test]
    fn system_rngs_differ() {
        let (mut a, mut b) = (system_rng(), system_rng());
        let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
        a.fill_bytes(&mut x);
        b.fill_bytes(&mut y);
        assert_ne!(x, y);
    }
}
