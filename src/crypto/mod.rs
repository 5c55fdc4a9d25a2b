//! Thin wrappers around RustCrypto primitives: key exchange, AEAD record protection, the TLS 1.2 PRF, the TLS 1.3 key schedule, transcript hashing, signatures and the key log.

pub mod aead;
pub mod hash;
pub mod key_schedule;
pub mod kx;
pub mod prf;
pub mod raw;
pub mod rng;
pub mod sign;
