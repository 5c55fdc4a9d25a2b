//! The cipher suites tlsprobe can complete a handshake with, and what each needs:
//! key exchange, authentication, record protection (AEAD or CBC-HMAC), PRF hash and the lowest
//! protocol version it is defined for (RFC 8446 §B.4, RFC 5246 §A.5, RFC 5288, RFC 5289,
//! RFC 7905, RFC 4492 §6, RFC 3268).

use crate::crypto::aead::AeadAlg;
use crate::crypto::cbc::CbcAlg;
use crate::crypto::hash::HashAlg;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::{Auth, CipherSuite, Kx};

/// How records are protected under a suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Aead(AeadAlg),
    /// CBC with HMAC over this hash (SHA-1, SHA-256 or SHA-384), RFC 5246 §6.2.3.2.
    Cbc(CbcAlg, HashAlg),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteParams {
    pub suite: CipherSuite,
    pub kx: Kx,
    pub auth: Auth,
    pub enc: Enc,
    /// The PRF and transcript hash: SHA-256 or SHA-384 in TLS 1.2 and 1.3; MD5+SHA-1 once
    /// `for_version` picked TLS 1.0 or 1.1.
    pub hash: HashAlg,
    pub tls13: bool,
    /// The lowest version the suite may be negotiated in (TLS 1.0 for the _SHA CBC suites,
    /// TLS 1.2 for SHA-256/384 and AEAD suites, TLS 1.3 for TLS 1.3 suites).
    pub min_version: ProtocolVersion,
}

impl SuiteParams {
    /// The AEAD of an AEAD suite.
    pub fn aead(&self) -> Option<AeadAlg> {
        match self.enc {
            Enc::Aead(a) => Some(a),
            Enc::Cbc(..) => None,
        }
    }

    pub fn is_cbc(&self) -> bool {
        matches!(self.enc, Enc::Cbc(..))
    }

    /// Whether the suite may be used in `v` (TLS 1.3 suites only in 1.3, others up to 1.2).
    pub fn usable_in(&self, v: ProtocolVersion) -> bool {
        if self.tls13 {
            v == ProtocolVersion::TLS13
        } else {
            v >= self.min_version && v <= ProtocolVersion::TLS12
        }
    }

    /// The parameters as they apply in `v`: TLS 1.0 and 1.1 use the MD5/SHA-1 PRF and
    /// transcript hash whatever the suite (RFC 2246 §5, RFC 4346 §5).
    pub fn for_version(mut self, v: ProtocolVersion) -> SuiteParams {
        if v < ProtocolVersion::TLS12 {
            self.hash = HashAlg::Md5Sha1;
        }
        self
    }
}

const V10: ProtocolVersion = ProtocolVersion::TLS10;
const V12: ProtocolVersion = ProtocolVersion::TLS12;
const V13: ProtocolVersion = ProtocolVersion::TLS13;

const fn p(
    id: u16,
    kx: Kx,
    auth: Auth,
    enc: Enc,
    hash: HashAlg,
    min: ProtocolVersion,
) -> SuiteParams {
    SuiteParams {
        suite: CipherSuite(id),
        kx,
        auth,
        enc,
        hash,
        tls13: min.0 == 0x0304,
        min_version: min,
    }
}

use AeadAlg::*;
use CbcAlg::*;
use HashAlg::*;

const A128: Enc = Enc::Aead(Aes128Gcm);
const A256: Enc = Enc::Aead(Aes256Gcm);
const CHACHA: Enc = Enc::Aead(ChaCha20Poly1305);
const C128SHA: Enc = Enc::Cbc(Aes128Cbc, Sha1);
const C256SHA: Enc = Enc::Cbc(Aes256Cbc, Sha1);
const C128SHA256: Enc = Enc::Cbc(Aes128Cbc, Sha256);
const C256SHA256: Enc = Enc::Cbc(Aes256Cbc, Sha256);
const C256SHA384: Enc = Enc::Cbc(Aes256Cbc, Sha384);

/// Implemented suites, in our default preference order: TLS 1.3, then forward-secret AEAD
/// (ECDHE before DHE), RSA key transport AEAD, then the CBC-HMAC suites (ECDHE, DHE, RSA).
pub const IMPLEMENTED: &[SuiteParams] = &[
    p(0x1301, Kx::Any, Auth::Any, A128, Sha256, V13),
    p(0x1302, Kx::Any, Auth::Any, A256, Sha384, V13),
    p(0x1303, Kx::Any, Auth::Any, CHACHA, Sha256, V13),
    p(0xc02b, Kx::Ecdhe, Auth::Ecdsa, A128, Sha256, V12),
    p(0xc02f, Kx::Ecdhe, Auth::Rsa, A128, Sha256, V12),
    p(0xc02c, Kx::Ecdhe, Auth::Ecdsa, A256, Sha384, V12),
    p(0xc030, Kx::Ecdhe, Auth::Rsa, A256, Sha384, V12),
    p(0xcca9, Kx::Ecdhe, Auth::Ecdsa, CHACHA, Sha256, V12),
    p(0xcca8, Kx::Ecdhe, Auth::Rsa, CHACHA, Sha256, V12),
    p(0x009e, Kx::Dhe, Auth::Rsa, A128, Sha256, V12),
    p(0x009f, Kx::Dhe, Auth::Rsa, A256, Sha384, V12),
    p(0xccaa, Kx::Dhe, Auth::Rsa, CHACHA, Sha256, V12),
    p(0x009c, Kx::Rsa, Auth::Rsa, A128, Sha256, V12),
    p(0x009d, Kx::Rsa, Auth::Rsa, A256, Sha384, V12),
    // CBC-HMAC (RFC 5246 §A.5, RFC 5289 §3.2, RFC 4492 §6, RFC 3268 §3).
    p(0xc023, Kx::Ecdhe, Auth::Ecdsa, C128SHA256, Sha256, V12),
    p(0xc027, Kx::Ecdhe, Auth::Rsa, C128SHA256, Sha256, V12),
    p(0xc024, Kx::Ecdhe, Auth::Ecdsa, C256SHA384, Sha384, V12),
    p(0xc028, Kx::Ecdhe, Auth::Rsa, C256SHA384, Sha384, V12),
    p(0xc009, Kx::Ecdhe, Auth::Ecdsa, C128SHA, Sha256, V10),
    p(0xc013, Kx::Ecdhe, Auth::Rsa, C128SHA, Sha256, V10),
    p(0xc00a, Kx::Ecdhe, Auth::Ecdsa, C256SHA, Sha256, V10),
    p(0xc014, Kx::Ecdhe, Auth::Rsa, C256SHA, Sha256, V10),
    p(0x0067, Kx::Dhe, Auth::Rsa, C128SHA256, Sha256, V12),
    p(0x006b, Kx::Dhe, Auth::Rsa, C256SHA256, Sha256, V12),
    p(0x0033, Kx::Dhe, Auth::Rsa, C128SHA, Sha256, V10),
    p(0x0039, Kx::Dhe, Auth::Rsa, C256SHA, Sha256, V10),
    p(0x003c, Kx::Rsa, Auth::Rsa, C128SHA256, Sha256, V12),
    p(0x003d, Kx::Rsa, Auth::Rsa, C256SHA256, Sha256, V12),
    p(0x002f, Kx::Rsa, Auth::Rsa, C128SHA, Sha256, V10),
    p(0x0035, Kx::Rsa, Auth::Rsa, C256SHA, Sha256, V10),
    // PSK, DHE-PSK and ECDHE-PSK (RFC 4279, RFC 5487, RFC 5489, RFC 7905, RFC 8442): only
    // with an external PSK configured (`psk_suites`), never by default.
    p(0xccac, Kx::EcdhePsk, Auth::Psk, CHACHA, Sha256, V12),
    p(0xd001, Kx::EcdhePsk, Auth::Psk, A128, Sha256, V12),
    p(0xd002, Kx::EcdhePsk, Auth::Psk, A256, Sha384, V12),
    p(0x00aa, Kx::DhePsk, Auth::Psk, A128, Sha256, V12),
    p(0x00ab, Kx::DhePsk, Auth::Psk, A256, Sha384, V12),
    p(0xccad, Kx::DhePsk, Auth::Psk, CHACHA, Sha256, V12),
    p(0x00a8, Kx::Psk, Auth::Psk, A128, Sha256, V12),
    p(0x00a9, Kx::Psk, Auth::Psk, A256, Sha384, V12),
    p(0xccab, Kx::Psk, Auth::Psk, CHACHA, Sha256, V12),
    p(0xc037, Kx::EcdhePsk, Auth::Psk, C128SHA256, Sha256, V10),
    p(0xc038, Kx::EcdhePsk, Auth::Psk, C256SHA384, Sha384, V10),
    p(0xc035, Kx::EcdhePsk, Auth::Psk, C128SHA, Sha256, V10),
    p(0xc036, Kx::EcdhePsk, Auth::Psk, C256SHA, Sha256, V10),
    p(0x00b2, Kx::DhePsk, Auth::Psk, C128SHA256, Sha256, V10),
    p(0x00b3, Kx::DhePsk, Auth::Psk, C256SHA384, Sha384, V10),
    p(0x0090, Kx::DhePsk, Auth::Psk, C128SHA, Sha256, V10),
    p(0x0091, Kx::DhePsk, Auth::Psk, C256SHA, Sha256, V10),
    p(0x00ae, Kx::Psk, Auth::Psk, C128SHA256, Sha256, V10),
    p(0x00af, Kx::Psk, Auth::Psk, C256SHA384, Sha384, V10),
    p(0x008c, Kx::Psk, Auth::Psk, C128SHA, Sha256, V10),
    p(0x008d, Kx::Psk, Auth::Psk, C256SHA, Sha256, V10),
];

/// Parameters of an implemented suite.
pub fn params(suite: CipherSuite) -> Option<SuiteParams> {
    IMPLEMENTED.iter().copied().find(|s| s.suite == suite)
}

/// The default suites: every implemented one but the PSK suites, which need a PSK.
pub fn default_suites() -> Vec<CipherSuite> {
    IMPLEMENTED
        .iter()
        .filter(|s| s.auth != Auth::Psk)
        .map(|s| s.suite)
        .collect()
}

/// The TLS 1.2 suites authenticated by a PSK (RFC 4279), preferred first: what an external
/// PSK adds to the defaults.
pub fn psk_suites() -> Vec<CipherSuite> {
    IMPLEMENTED
        .iter()
        .filter(|s| s.auth == Auth::Psk)
        .map(|s| s.suite)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::suites::{Cipher, Mac};

    /// Every implemented suite agrees with the registry table (key exchange, auth, cipher,
    /// MAC, lowest version).
    #[test]
    fn matches_the_registry() {
        for sp in IMPLEMENTED {
            let info = sp.suite.info().expect("in the registry");
            assert_eq!(info.kx, sp.kx, "{}", sp.suite);
            assert_eq!(info.auth, sp.auth, "{}", sp.suite);
            assert_eq!(info.tls13, sp.tls13, "{}", sp.suite);
            let (cipher, mac) = match sp.enc {
                Enc::Aead(Aes128Gcm) => (Cipher::Aes128Gcm, None),
                Enc::Aead(Aes256Gcm) => (Cipher::Aes256Gcm, None),
                Enc::Aead(ChaCha20Poly1305) => (Cipher::ChaCha20Poly1305, None),
                Enc::Cbc(Aes128Cbc, m) => (Cipher::Aes128Cbc, Some(m)),
                Enc::Cbc(Aes256Cbc, m) => (Cipher::Aes256Cbc, Some(m)),
            };
            assert_eq!(info.cipher, cipher, "{}", sp.suite);
            if let Some(m) = mac {
                let want = match m {
                    Sha1 => Mac::Sha1,
                    Sha256 => Mac::Sha256,
                    _ => Mac::Sha384,
                };
                assert_eq!(info.mac, want, "{}", sp.suite);
            }
            if !sp.tls13 {
                assert_eq!(info.min_minor, sp.min_version.0 as u8, "{}", sp.suite);
            }
        }
    }

    #[test]
    fn legacy_versions_use_md5_sha1() {
        let sp = params(CipherSuite(0x002f)).unwrap();
        assert!(sp.usable_in(ProtocolVersion::TLS10));
        assert_eq!(sp.for_version(ProtocolVersion::TLS11).hash, Md5Sha1);
        assert_eq!(sp.for_version(ProtocolVersion::TLS12).hash, Sha256);
        let gcm = params(CipherSuite(0x009c)).unwrap();
        assert!(!gcm.usable_in(ProtocolVersion::TLS11));
        assert!(gcm.usable_in(ProtocolVersion::TLS12));
        assert!(!gcm.usable_in(ProtocolVersion::TLS13));
    }
}
