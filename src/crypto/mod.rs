//! Thin wrappers around RustCrypto primitives: key exchange (ECDHE, finite-field DHE), AEAD and CBC-HMAC record protection, the TLS 1.0-1.2 PRFs, the TLS 1.3 key schedule, transcript hashing, signatures, constant-time RSA key transport and the key log.

pub mod aead;
pub mod cbc;
pub mod cbc_mac;
pub mod dh;
pub mod dh_groups;
pub mod fast_kx;
pub mod fast_sign;
pub mod fuzzing;
pub mod hash;
pub mod key_schedule;
pub mod kx;
pub mod prf;
pub mod raw;
#[cfg(test)]
mod rfc8448_hrr_tests;
pub mod rng;
pub mod rsa_premaster;
pub mod sign;
pub mod soft_aead;
