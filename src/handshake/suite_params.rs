//! The cipher suites tlsprobe can complete a handshake with, and what each needs:
//! key exchange, authentication, AEAD and hash (RFC 8446 §B.4, RFC 5289, RFC 5288, RFC 7905).

use crate::crypto::aead::AeadAlg;
use crate::crypto::hash::HashAlg;
use crate::wire::suites::{Auth, CipherSuite, Kx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteParams {
    pub suite: CipherSuite,
    pub kx: Kx,
    pub auth: Auth,
    pub aead: AeadAlg,
    pub hash: HashAlg,
    pub tls13: bool,
}

const fn p(id: u16, kx: Kx, auth: Auth, aead: AeadAlg, hash: HashAlg, tls13: bool) -> SuiteParams {
    SuiteParams {
        suite: CipherSuite(id),
        kx,
        auth,
        aead,
        hash,
        tls13,
    }
}

use AeadAlg::*;
use HashAlg::*;

/// Implemented suites, in our default preference order.
pub const IMPLEMENTED: &[SuiteParams] = &[
    p(0x1301, Kx::Any, Auth::Any, Aes128Gcm, Sha256, true),
    p(0x1302, Kx::Any, Auth::Any, Aes256Gcm, Sha384, true),
    p(0x1303, Kx::Any, Auth::Any, ChaCha20Poly1305, Sha256, true),
    p(0xc02b, Kx::Ecdhe, Auth::Ecdsa, Aes128Gcm, Sha256, false),
    p(0xc02f, Kx::Ecdhe, Auth::Rsa, Aes128Gcm, Sha256, false),
    p(0xc02c, Kx::Ecdhe, Auth::Ecdsa, Aes256Gcm, Sha384, false),
    p(0xc030, Kx::Ecdhe, Auth::Rsa, Aes256Gcm, Sha384, false),
    p(
        0xcca9,
        Kx::Ecdhe,
        Auth::Ecdsa,
        ChaCha20Poly1305,
        Sha256,
        false,
    ),
    p(
        0xcca8,
        Kx::Ecdhe,
        Auth::Rsa,
        ChaCha20Poly1305,
        Sha256,
        false,
    ),
    p(0x009c, Kx::Rsa, Auth::Rsa, Aes128Gcm, Sha256, false),
    p(0x009d, Kx::Rsa, Auth::Rsa, Aes256Gcm, Sha384, false),
];

/// Parameters of an implemented suite.
pub fn params(suite: CipherSuite) -> Option<SuiteParams> {
    IMPLEMENTED.iter().copied().find(|s| s.suite == suite)
}

/// The default suites: every implemented one.
pub fn default_suites() -> Vec<CipherSuite> {
    IMPLEMENTED.iter().map(|s| s.suite).collect()
}
