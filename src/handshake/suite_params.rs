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

use Auth::{Ecdsa, Rsa as RsaA};
use Kx::{Dhe, Ecdhe, Rsa as RsaK};

/// Implemented suites, in listen's preference order: TLS 1.3 (GCM and ChaCha before CCM), then
/// forward-secret AEAD (ECDHE before DHE; AES-GCM and ChaCha20 before CCM, CAMELLIA and
/// ARIA), RSA key transport AEAD, then the CBC-HMAC suites (ECDHE, DHE, RSA; AES first).
pub const IMPLEMENTED: &[SuiteParams] = &[
    p(0x1301, Kx::Any, Auth::Any, A128, Sha256, V13),
    p(0x1302, Kx::Any, Auth::Any, A256, Sha384, V13),
    p(0x1303, Kx::Any, Auth::Any, CHACHA, Sha256, V13),
    p(0x1304, Kx::Any, Auth::Any, CCM128, Sha256, V13),
    p(0x1305, Kx::Any, Auth::Any, CCM8_128, Sha256, V13),
    p(0xc02b, Ecdhe, Ecdsa, A128, Sha256, V12),
    p(0xc02f, Ecdhe, RsaA, A128, Sha256, V12),
    p(0xc02c, Ecdhe, Ecdsa, A256, Sha384, V12),
    p(0xc030, Ecdhe, RsaA, A256, Sha384, V12),
    p(0xcca9, Ecdhe, Ecdsa, CHACHA, Sha256, V12),
    p(0xcca8, Ecdhe, RsaA, CHACHA, Sha256, V12),
    p(0xc0ac, Ecdhe, Ecdsa, CCM128, Sha256, V12),
    p(0xc0ad, Ecdhe, Ecdsa, CCM256, Sha256, V12),
    p(0xc086, Ecdhe, Ecdsa, CAM128GCM, Sha256, V12),
    p(0xc08a, Ecdhe, RsaA, CAM128GCM, Sha256, V12),
    p(0xc087, Ecdhe, Ecdsa, CAM256GCM, Sha384, V12),
    p(0xc08b, Ecdhe, RsaA, CAM256GCM, Sha384, V12),
    p(0xc05c, Ecdhe, Ecdsa, ARIA128GCM, Sha256, V12),
    p(0xc060, Ecdhe, RsaA, ARIA128GCM, Sha256, V12),
    p(0xc05d, Ecdhe, Ecdsa, ARIA256GCM, Sha384, V12),
    p(0xc061, Ecdhe, RsaA, ARIA256GCM, Sha384, V12),
    p(0xc0ae, Ecdhe, Ecdsa, CCM8_128, Sha256, V12),
    p(0xc0af, Ecdhe, Ecdsa, CCM8_256, Sha256, V12),
    p(0x009e, Dhe, RsaA, A128, Sha256, V12),
    p(0x009f, Dhe, RsaA, A256, Sha384, V12),
    p(0xccaa, Dhe, RsaA, CHACHA, Sha256, V12),
    p(0xc09e, Dhe, RsaA, CCM128, Sha256, V12),
    p(0xc09f, Dhe, RsaA, CCM256, Sha256, V12),
    p(0xc07c, Dhe, RsaA, CAM128GCM, Sha256, V12),
    p(0xc07d, Dhe, RsaA, CAM256GCM, Sha384, V12),
    p(0xc052, Dhe, RsaA, ARIA128GCM, Sha256, V12),
    p(0xc053, Dhe, RsaA, ARIA256GCM, Sha384, V12),
    p(0xc0a2, Dhe, RsaA, CCM8_128, Sha256, V12),
    p(0xc0a3, Dhe, RsaA, CCM8_256, Sha256, V12),
    p(0x009c, RsaK, RsaA, A128, Sha256, V12),
    p(0x009d, RsaK, RsaA, A256, Sha384, V12),
    p(0xc09c, RsaK, RsaA, CCM128, Sha256, V12),
    p(0xc09d, RsaK, RsaA, CCM256, Sha256, V12),
    p(0xc07a, RsaK, RsaA, CAM128GCM, Sha256, V12),
    p(0xc07b, RsaK, RsaA, CAM256GCM, Sha384, V12),
    p(0xc050, RsaK, RsaA, ARIA128GCM, Sha256, V12),
    p(0xc051, RsaK, RsaA, ARIA256GCM, Sha384, V12),
    p(0xc0a0, RsaK, RsaA, CCM8_128, Sha256, V12),
    p(0xc0a1, RsaK, RsaA, CCM8_256, Sha256, V12),
    // CBC-HMAC (RFC 5246 §A.5, RFC 5289 §3.2, RFC 4492 §6, RFC 3268 §3; CAMELLIA RFC 5932 §3,
    // RFC 6367 §2; ARIA RFC 6209 §2).
    p(0xc023, Ecdhe, Ecdsa, C128SHA256, Sha256, V12),
    p(0xc027, Ecdhe, RsaA, C128SHA256, Sha256, V12),
    p(0xc024, Ecdhe, Ecdsa, C256SHA384, Sha384, V12),
    p(0xc028, Ecdhe, RsaA, C256SHA384, Sha384, V12),
    p(0xc009, Ecdhe, Ecdsa, C128SHA, Sha256, V10),
    p(0xc013, Ecdhe, RsaA, C128SHA, Sha256, V10),
    p(0xc00a, Ecdhe, Ecdsa, C256SHA, Sha256, V10),
    p(0xc014, Ecdhe, RsaA, C256SHA, Sha256, V10),
    p(0xc072, Ecdhe, Ecdsa, CAM128SHA256, Sha256, V12),
    p(0xc076, Ecdhe, RsaA, CAM128SHA256, Sha256, V12),
    p(0xc073, Ecdhe, Ecdsa, CAM256SHA384, Sha384, V12),
    p(0xc077, Ecdhe, RsaA, CAM256SHA384, Sha384, V12),
    p(0xc048, Ecdhe, Ecdsa, ARIA128SHA256, Sha256, V12),
    p(0xc04c, Ecdhe, RsaA, ARIA128SHA256, Sha256, V12),
    p(0xc049, Ecdhe, Ecdsa, ARIA256SHA384, Sha384, V12),
    p(0xc04d, Ecdhe, RsaA, ARIA256SHA384, Sha384, V12),
    p(0x0067, Dhe, RsaA, C128SHA256, Sha256, V12),
    p(0x006b, Dhe, RsaA, C256SHA256, Sha256, V12),
    p(0x0033, Dhe, RsaA, C128SHA, Sha256, V10),
    p(0x0039, Dhe, RsaA, C256SHA, Sha256, V10),
    p(0x00be, Dhe, RsaA, CAM128SHA256, Sha256, V12),
    p(0x00c4, Dhe, RsaA, CAM256SHA256, Sha256, V12),
    p(0x0045, Dhe, RsaA, CAM128SHA, Sha256, V10),
    p(0x0088, Dhe, RsaA, CAM256SHA, Sha256, V10),
    p(0xc044, Dhe, RsaA, ARIA128SHA256, Sha256, V12),
    p(0xc045, Dhe, RsaA, ARIA256SHA384, Sha384, V12),
    p(0x003c, RsaK, RsaA, C128SHA256, Sha256, V12),
    p(0x003d, RsaK, RsaA, C256SHA256, Sha256, V12),
    p(0x002f, RsaK, RsaA, C128SHA, Sha256, V10),
    p(0x0035, RsaK, RsaA, C256SHA, Sha256, V10),
    p(0x00ba, RsaK, RsaA, CAM128SHA256, Sha256, V12),
    p(0x00c0, RsaK, RsaA, CAM256SHA256, Sha256, V12),
    p(0x0041, RsaK, RsaA, CAM128SHA, Sha256, V10),
    p(0x0084, RsaK, RsaA, CAM256SHA, Sha256, V10),
    p(0xc03c, RsaK, RsaA, ARIA128SHA256, Sha256, V12),
    p(0xc03d, RsaK, RsaA, ARIA256SHA384, Sha384, V12),
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

/// The client's default suites (see [`in_default_offer`]), in preference order.
pub fn default_suites() -> Vec<CipherSuite> {
    IMPLEMENTED
        .iter()
        .filter(|p| in_default_offer(p))
        .map(|s| s.suite)
        .collect()
}

/// The server's default suites: every implemented one, in preference order (the opt-in
/// ciphers come after AES-GCM and ChaCha20 of the same key exchange, so they are chosen only
/// when the client offers nothing better).
pub fn server_suites() -> Vec<CipherSuite> {
    IMPLEMENTED.iter().map(|s| s.suite).collect()
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
        assert_eq!(d.len(), 30);
        assert!(!d.contains(&CipherSuite(0x1304)) && !d.contains(&CipherSuite(0xc0ac)));
        assert_eq!(server_suites().len(), IMPLEMENTED.len());
        assert_eq!(&server_suites()[..3], &d[..3]);
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
