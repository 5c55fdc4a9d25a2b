//! The cipher suites tlsprobe can complete a handshake with, and what each needs:
//! key exchange, authentication, record protection (AEAD or CBC-HMAC), PRF hash and the lowest
//! protocol version it is defined for (RFC 8446 §B.4, RFC 5246 §A.5, RFC 5288, RFC 5289,
//! RFC 7905, RFC 4492 §6, RFC 3268; AES-CCM: RFC 6655, RFC 7251; CAMELLIA: RFC 5932, RFC 6367;
//! ARIA: RFC 6209).

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

    /// Whether the suite needs an external PSK: the PSK, DHE-PSK and ECDHE-PSK suites and
    /// RSA-PSK (RFC 4279 §2-§4), which also authenticates the server by its RSA certificate.
    pub fn needs_psk(&self) -> bool {
        self.auth == Auth::Psk || self.kx == Kx::RsaPsk
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
// AES-CCM (RFC 6655 §3, RFC 7251 §2; the PRF is SHA-256 for all of them, RFC 6655 §3). The PSK
// families (RFC 6655 §4, RFC 7251) use the same constants once their key exchange exists.
pub const CCM128: Enc = Enc::Aead(Aes128Ccm);
pub const CCM256: Enc = Enc::Aead(Aes256Ccm);
pub const CCM8_128: Enc = Enc::Aead(Aes128Ccm8);
pub const CCM8_256: Enc = Enc::Aead(Aes256Ccm8);
// CAMELLIA (RFC 6367 §3 GCM; RFC 5932 §3 and RFC 6367 §2 CBC) and ARIA (RFC 6209 §2).
const CAM128GCM: Enc = Enc::Aead(Camellia128Gcm);
const CAM256GCM: Enc = Enc::Aead(Camellia256Gcm);
const ARIA128GCM: Enc = Enc::Aead(Aria128Gcm);
const ARIA256GCM: Enc = Enc::Aead(Aria256Gcm);
const CAM128SHA: Enc = Enc::Cbc(Camellia128Cbc, Sha1);
const CAM256SHA: Enc = Enc::Cbc(Camellia256Cbc, Sha1);
const CAM128SHA256: Enc = Enc::Cbc(Camellia128Cbc, Sha256);
const CAM256SHA256: Enc = Enc::Cbc(Camellia256Cbc, Sha256);
const CAM256SHA384: Enc = Enc::Cbc(Camellia256Cbc, Sha384);
const ARIA128SHA256: Enc = Enc::Cbc(Aria128Cbc, Sha256);
const ARIA256SHA384: Enc = Enc::Cbc(Aria256Cbc, Sha384);

/// Implemented suites, in listen's preference order: TLS 1.3 (GCM and ChaCha before CCM), then
/// forward-secret AEAD (ECDHE before DHE; AES-GCM and ChaCha20 before CCM, CAMELLIA and
/// ARIA), RSA key transport AEAD, then the CBC-HMAC suites (ECDHE, DHE, RSA; AES first).
pub const IMPLEMENTED: &[SuiteParams] = &[
    p(0x1301, Kx::Any, Auth::Any, A128, Sha256, V13),
    p(0x1302, Kx::Any, Auth::Any, A256, Sha384, V13),
    p(0x1303, Kx::Any, Auth::Any, CHACHA, Sha256, V13),
    p(0x1304, Kx::Any, Auth::Any, CCM128, Sha256, V13),
    p(0x1305, Kx::Any, Auth::Any, CCM8_128, Sha256, V13),
    p(0xc02b, Kx::Ecdhe, Auth::Ecdsa, A128, Sha256, V12),
    p(0xc02f, Kx::Ecdhe, Auth::Rsa, A128, Sha256, V12),
    p(0xc02c, Kx::Ecdhe, Auth::Ecdsa, A256, Sha384, V12),
    p(0xc030, Kx::Ecdhe, Auth::Rsa, A256, Sha384, V12),
    p(0xcca9, Kx::Ecdhe, Auth::Ecdsa, CHACHA, Sha256, V12),
    p(0xcca8, Kx::Ecdhe, Auth::Rsa, CHACHA, Sha256, V12),
    p(0xc0ac, Kx::Ecdhe, Auth::Ecdsa, CCM128, Sha256, V12),
    p(0xc0ad, Kx::Ecdhe, Auth::Ecdsa, CCM256, Sha256, V12),
    p(0xc086, Kx::Ecdhe, Auth::Ecdsa, CAM128GCM, Sha256, V12),
    p(0xc08a, Kx::Ecdhe, Auth::Rsa, CAM128GCM, Sha256, V12),
    p(0xc087, Kx::Ecdhe, Auth::Ecdsa, CAM256GCM, Sha384, V12),
    p(0xc08b, Kx::Ecdhe, Auth::Rsa, CAM256GCM, Sha384, V12),
    p(0xc05c, Kx::Ecdhe, Auth::Ecdsa, ARIA128GCM, Sha256, V12),
    p(0xc060, Kx::Ecdhe, Auth::Rsa, ARIA128GCM, Sha256, V12),
    p(0xc05d, Kx::Ecdhe, Auth::Ecdsa, ARIA256GCM, Sha384, V12),
    p(0xc061, Kx::Ecdhe, Auth::Rsa, ARIA256GCM, Sha384, V12),
    p(0xc0ae, Kx::Ecdhe, Auth::Ecdsa, CCM8_128, Sha256, V12),
    p(0xc0af, Kx::Ecdhe, Auth::Ecdsa, CCM8_256, Sha256, V12),
    p(0x009e, Kx::Dhe, Auth::Rsa, A128, Sha256, V12),
    p(0x009f, Kx::Dhe, Auth::Rsa, A256, Sha384, V12),
    p(0xccaa, Kx::Dhe, Auth::Rsa, CHACHA, Sha256, V12),
    p(0xc09e, Kx::Dhe, Auth::Rsa, CCM128, Sha256, V12),
    p(0xc09f, Kx::Dhe, Auth::Rsa, CCM256, Sha256, V12),
    p(0xc07c, Kx::Dhe, Auth::Rsa, CAM128GCM, Sha256, V12),
    p(0xc07d, Kx::Dhe, Auth::Rsa, CAM256GCM, Sha384, V12),
    p(0xc052, Kx::Dhe, Auth::Rsa, ARIA128GCM, Sha256, V12),
    p(0xc053, Kx::Dhe, Auth::Rsa, ARIA256GCM, Sha384, V12),
    p(0xc0a2, Kx::Dhe, Auth::Rsa, CCM8_128, Sha256, V12),
    p(0xc0a3, Kx::Dhe, Auth::Rsa, CCM8_256, Sha256, V12),
    p(0x009c, Kx::Rsa, Auth::Rsa, A128, Sha256, V12),
    p(0x009d, Kx::Rsa, Auth::Rsa, A256, Sha384, V12),
    p(0xc09c, Kx::Rsa, Auth::Rsa, CCM128, Sha256, V12),
    p(0xc09d, Kx::Rsa, Auth::Rsa, CCM256, Sha256, V12),
    p(0xc07a, Kx::Rsa, Auth::Rsa, CAM128GCM, Sha256, V12),
    p(0xc07b, Kx::Rsa, Auth::Rsa, CAM256GCM, Sha384, V12),
    p(0xc050, Kx::Rsa, Auth::Rsa, ARIA128GCM, Sha256, V12),
    p(0xc051, Kx::Rsa, Auth::Rsa, ARIA256GCM, Sha384, V12),
    p(0xc0a0, Kx::Rsa, Auth::Rsa, CCM8_128, Sha256, V12),
    p(0xc0a1, Kx::Rsa, Auth::Rsa, CCM8_256, Sha256, V12),
    // CBC-HMAC (RFC 5246 §A.5, RFC 5289 §3.2, RFC 4492 §6, RFC 3268 §3; CAMELLIA RFC 5932 §3,
    // RFC 6367 §2; ARIA RFC 6209 §2).
    p(0xc023, Kx::Ecdhe, Auth::Ecdsa, C128SHA256, Sha256, V12),
    p(0xc027, Kx::Ecdhe, Auth::Rsa, C128SHA256, Sha256, V12),
    p(0xc024, Kx::Ecdhe, Auth::Ecdsa, C256SHA384, Sha384, V12),
    p(0xc028, Kx::Ecdhe, Auth::Rsa, C256SHA384, Sha384, V12),
    p(0xc009, Kx::Ecdhe, Auth::Ecdsa, C128SHA, Sha256, V10),
    p(0xc013, Kx::Ecdhe, Auth::Rsa, C128SHA, Sha256, V10),
    p(0xc00a, Kx::Ecdhe, Auth::Ecdsa, C256SHA, Sha256, V10),
    p(0xc014, Kx::Ecdhe, Auth::Rsa, C256SHA, Sha256, V10),
    p(0xc072, Kx::Ecdhe, Auth::Ecdsa, CAM128SHA256, Sha256, V12),
    p(0xc076, Kx::Ecdhe, Auth::Rsa, CAM128SHA256, Sha256, V12),
    p(0xc073, Kx::Ecdhe, Auth::Ecdsa, CAM256SHA384, Sha384, V12),
    p(0xc077, Kx::Ecdhe, Auth::Rsa, CAM256SHA384, Sha384, V12),
    p(0xc048, Kx::Ecdhe, Auth::Ecdsa, ARIA128SHA256, Sha256, V12),
    p(0xc04c, Kx::Ecdhe, Auth::Rsa, ARIA128SHA256, Sha256, V12),
    p(0xc049, Kx::Ecdhe, Auth::Ecdsa, ARIA256SHA384, Sha384, V12),
    p(0xc04d, Kx::Ecdhe, Auth::Rsa, ARIA256SHA384, Sha384, V12),
    p(0x0067, Kx::Dhe, Auth::Rsa, C128SHA256, Sha256, V12),
    p(0x006b, Kx::Dhe, Auth::Rsa, C256SHA256, Sha256, V12),
    p(0x0033, Kx::Dhe, Auth::Rsa, C128SHA, Sha256, V10),
    p(0x0039, Kx::Dhe, Auth::Rsa, C256SHA, Sha256, V10),
    p(0x00be, Kx::Dhe, Auth::Rsa, CAM128SHA256, Sha256, V12),
    p(0x00c4, Kx::Dhe, Auth::Rsa, CAM256SHA256, Sha256, V12),
    p(0x0045, Kx::Dhe, Auth::Rsa, CAM128SHA, Sha256, V10),
    p(0x0088, Kx::Dhe, Auth::Rsa, CAM256SHA, Sha256, V10),
    p(0xc044, Kx::Dhe, Auth::Rsa, ARIA128SHA256, Sha256, V12),
    p(0xc045, Kx::Dhe, Auth::Rsa, ARIA256SHA384, Sha384, V12),
    p(0x003c, Kx::Rsa, Auth::Rsa, C128SHA256, Sha256, V12),
    p(0x003d, Kx::Rsa, Auth::Rsa, C256SHA256, Sha256, V12),
    p(0x002f, Kx::Rsa, Auth::Rsa, C128SHA, Sha256, V10),
    p(0x0035, Kx::Rsa, Auth::Rsa, C256SHA, Sha256, V10),
    p(0x00ba, Kx::Rsa, Auth::Rsa, CAM128SHA256, Sha256, V12),
    p(0x00c0, Kx::Rsa, Auth::Rsa, CAM256SHA256, Sha256, V12),
    p(0x0041, Kx::Rsa, Auth::Rsa, CAM128SHA, Sha256, V10),
    p(0x0084, Kx::Rsa, Auth::Rsa, CAM256SHA, Sha256, V10),
    p(0xc03c, Kx::Rsa, Auth::Rsa, ARIA128SHA256, Sha256, V12),
    p(0xc03d, Kx::Rsa, Auth::Rsa, ARIA256SHA384, Sha384, V12),
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
    // RSA-PSK (RFC 4279 §4, RFC 5487, RFC 7905): the server's RSA certificate and the PSK.
    p(0xccae, Kx::RsaPsk, Auth::Rsa, CHACHA, Sha256, V12),
    p(0x00ac, Kx::RsaPsk, Auth::Rsa, A128, Sha256, V12),
    p(0x00ad, Kx::RsaPsk, Auth::Rsa, A256, Sha384, V12),
    p(0x00b6, Kx::RsaPsk, Auth::Rsa, C128SHA256, Sha256, V10),
    p(0x00b7, Kx::RsaPsk, Auth::Rsa, C256SHA384, Sha384, V10),
    p(0x0094, Kx::RsaPsk, Auth::Rsa, C128SHA, Sha256, V10),
    p(0x0095, Kx::RsaPsk, Auth::Rsa, C256SHA, Sha256, V10),
    // The CCM ones (RFC 6655 §2-§4, RFC 8442 §3), the PRF SHA-256 as for every CCM suite.
    p(0xd005, Kx::EcdhePsk, Auth::Psk, CCM128, Sha256, V12),
    p(0xd003, Kx::EcdhePsk, Auth::Psk, CCM8_128, Sha256, V12),
    p(0xc0a6, Kx::DhePsk, Auth::Psk, CCM128, Sha256, V12),
    p(0xc0a7, Kx::DhePsk, Auth::Psk, CCM256, Sha256, V12),
    p(0xc0aa, Kx::DhePsk, Auth::Psk, CCM8_128, Sha256, V12),
    p(0xc0ab, Kx::DhePsk, Auth::Psk, CCM8_256, Sha256, V12),
    p(0xc0a4, Kx::Psk, Auth::Psk, CCM128, Sha256, V12),
    p(0xc0a5, Kx::Psk, Auth::Psk, CCM256, Sha256, V12),
    p(0xc0a8, Kx::Psk, Auth::Psk, CCM8_128, Sha256, V12),
    p(0xc0a9, Kx::Psk, Auth::Psk, CCM8_256, Sha256, V12),
];

/// Parameters of an implemented suite.
pub fn params(suite: CipherSuite) -> Option<SuiteParams> {
    IMPLEMENTED.iter().copied().find(|s| s.suite == suite)
}

/// Whether a suite is in connect's default offer: AES-GCM, ChaCha20-Poly1305 and AES-CBC, as
/// OpenSSL's DEFAULT; CCM, CAMELLIA and ARIA are opt-in with `--suites` (as with `openssl
/// s_client -cipher`).
pub fn in_default_offer(p: &SuiteParams) -> bool {
    matches!(
        p.enc,
        Enc::Aead(Aes128Gcm | Aes256Gcm | ChaCha20Poly1305) | Enc::Cbc(Aes128Cbc | Aes256Cbc, _)
    )
}

/// The client's default suites (see [`in_default_offer`]), in preference order; never the
/// PSK suites, which need a PSK.
pub fn default_suites() -> Vec<CipherSuite> {
    IMPLEMENTED
        .iter()
        .filter(|p| in_default_offer(p) && !p.needs_psk())
        .map(|s| s.suite)
        .collect()
}

/// The server's default suites: every implemented one but the PSK suites (which need a PSK,
/// [`psk_suites`]), in preference order (the opt-in ciphers come after AES-GCM and ChaCha20
/// of the same key exchange, so they are chosen only when the client offers nothing better).
pub fn server_suites() -> Vec<CipherSuite> {
    IMPLEMENTED
        .iter()
        .filter(|s| !s.needs_psk())
        .map(|s| s.suite)
        .collect()
}

/// The TLS 1.2 suites that need a PSK (RFC 4279, RSA-PSK included), preferred first: what an external
/// PSK adds to the defaults.
pub fn psk_suites() -> Vec<CipherSuite> {
    IMPLEMENTED
        .iter()
        .filter(|s| s.needs_psk())
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
                Enc::Aead(Aes128Ccm) => (Cipher::Aes128Ccm, None),
                Enc::Aead(Aes256Ccm) => (Cipher::Aes256Ccm, None),
                Enc::Aead(Aes128Ccm8) => (Cipher::Aes128Ccm8, None),
                Enc::Aead(Aes256Ccm8) => (Cipher::Aes256Ccm8, None),
                Enc::Aead(Camellia128Gcm) => (Cipher::Camellia128Gcm, None),
                Enc::Aead(Camellia256Gcm) => (Cipher::Camellia256Gcm, None),
                Enc::Aead(Aria128Gcm) => (Cipher::Aria128Gcm, None),
                Enc::Aead(Aria256Gcm) => (Cipher::Aria256Gcm, None),
                Enc::Cbc(Aes128Cbc, m) => (Cipher::Aes128Cbc, Some(m)),
                Enc::Cbc(Aes256Cbc, m) => (Cipher::Aes256Cbc, Some(m)),
                Enc::Cbc(Camellia128Cbc, m) => (Cipher::Camellia128Cbc, Some(m)),
                Enc::Cbc(Camellia256Cbc, m) => (Cipher::Camellia256Cbc, Some(m)),
                Enc::Cbc(Aria128Cbc, m) => (Cipher::Aria128Cbc, Some(m)),
                Enc::Cbc(Aria256Cbc, m) => (Cipher::Aria256Cbc, Some(m)),
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

    /// The PRF hash of a TLS 1.2 suite is SHA-384 exactly when its name ends in SHA384
    /// (RFC 5289 §3.2, RFC 6367 §3, RFC 6209 §2); CCM suites use SHA-256 (RFC 6655 §3).
    #[test]
    fn prf_hash_follows_the_name() {
        for sp in IMPLEMENTED {
            let name = sp.suite.info().unwrap().iana;
            let want = if name.ends_with("SHA384") {
                Sha384
            } else {
                Sha256
            };
            assert_eq!(sp.hash, want, "{name}");
        }
        let ids: Vec<u16> = IMPLEMENTED.iter().map(|p| p.suite.0).collect();
        for (i, id) in ids.iter().enumerate() {
            assert!(!ids[..i].contains(id), "{id:#06x} twice");
        }
    }

    #[test]
    fn default_offer_is_aes_and_chacha_only() {
        let d = default_suites();
        for s in &d {
            let name = s.info().unwrap().iana;
            for opt_in in ["CCM", "CAMELLIA", "ARIA"] {
                assert!(!name.contains(opt_in), "{name} in the default offer");
            }
        }
        for s in [
            0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xcca8, 0x009c, 0xc013, 0x002f,
        ] {
            assert!(d.contains(&CipherSuite(s)), "{s:#06x}");
        }
        let all = server_suites();
        assert_eq!(all.len() + psk_suites().len(), IMPLEMENTED.len());
        assert_eq!(&all[..3], &d[..3]);
        // listen prefers AES-GCM and ChaCha20 to the opt-in ciphers of the same key exchange.
        let pos = |id: u16| all.iter().position(|s| s.0 == id).unwrap();
        assert!(
            pos(0x1303) < pos(0x1304) && pos(0xcca8) < pos(0xc08a) && pos(0x009d) < pos(0xc09c)
        );
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
