//! The cipher-suite registry as data (IANA "TLS Cipher Suites"; RFC 8446 §B.4, RFC 5246 §A.5,
//! RFC 5289, RFC 7905): for each suite its IANA and OpenSSL names, key exchange, authentication,
//! bulk cipher, MAC/PRF hash, the versions it is defined for, and a strength rating.

use std::fmt;

/// A cipher suite code point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CipherSuite(pub u16);

/// Key exchange of a suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kx {
    /// TLS 1.3: negotiated separately (key_share).
    Any,
    Rsa,
    Dhe,
    Ecdhe,
    Dh,
    Ecdh,
    Psk,
    DhePsk,
    EcdhePsk,
    RsaPsk,
    Srp,
    Krb5,
    Null,
    Gost,
    Other,
}

/// Authentication of a suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Any,
    Rsa,
    Dss,
    Ecdsa,
    Anon,
    Psk,
    Krb5,
    Null,
    Gost,
    Other,
}

/// Bulk cipher of a suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cipher {
    Null,
    Rc4_40,
    Rc4_128,
    Rc2Cbc40,
    IdeaCbc,
    Des40Cbc,
    DesCbc,
    TripleDesCbc,
    Aes128Cbc,
    Aes256Cbc,
    Aes128Gcm,
    Aes256Gcm,
    Aes128Ccm,
    Aes256Ccm,
    Aes128Ccm8,
    Aes256Ccm8,
    Camellia128Cbc,
    Camellia256Cbc,
    Camellia128Gcm,
    Camellia256Gcm,
    Aria128Cbc,
    Aria256Cbc,
    Aria128Gcm,
    Aria256Gcm,
    SeedCbc,
    ChaCha20Poly1305,
    Other,
}

/// MAC (or, for AEAD suites, the PRF/HKDF hash) of a suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mac {
    Null,
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Other,
}

/// How strong a suite is, for colouring and findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// No encryption or no authentication, export grade, or broken cipher (NULL, anon, EXPORT, RC4, DES).
    Insecure,
    /// Works but is discouraged (3DES, CBC, no forward secrecy).
    Weak,
    /// Forward secret AEAD.
    Strong,
}

/// Everything known about one suite.
#[derive(Debug, Clone, Copy)]
pub struct SuiteInfo {
    pub id: u16,
    pub iana: &'static str,
    pub openssl: Option<&'static str>,
    pub kx: Kx,
    pub auth: Auth,
    pub cipher: Cipher,
    pub mac: Mac,
    /// True for TLS 1.3 suites (usable only in TLS 1.3).
    pub tls13: bool,
    /// Lowest TLS 1.x minor version the suite is defined for (0 = SSL 3.0, 1 = TLS 1.0 ... 3 = TLS 1.2).
    pub min_minor: u8,
    pub strength: Strength,
}

use Auth as A;
use Cipher as C;
use Kx as K;
use Mac as M;
use Strength as S;

macro_rules! s {
    ($id:expr, $iana:expr, $ossl:expr, $kx:expr, $au:expr, $c:expr, $m:expr, $t13:expr, $min:expr, $st:expr) => {
        SuiteInfo {
            id: $id,
            iana: $iana,
            openssl: $ossl,
            kx: $kx,
            auth: $au,
            cipher: $c,
            mac: $m,
            tls13: $t13,
            min_minor: $min,
            strength: $st,
        }
    };
}

/// The registry, ordered by code point.
pub static SUITES: &[SuiteInfo] = &[
    s!(
        0x009c,
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        Some("AES128-GCM-SHA256"),
        K::Rsa,
        A::Rsa,
        C::Aes128Gcm,
        M::Sha256,
        false,
        3,
        S::Weak
    ),
    s!(
        0x009d,
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        Some("AES256-GCM-SHA384"),
        K::Rsa,
        A::Rsa,
        C::Aes256Gcm,
        M::Sha384,
        false,
        3,
        S::Weak
    ),
    s!(
        0x1301,
        "TLS_AES_128_GCM_SHA256",
        Some("TLS_AES_128_GCM_SHA256"),
        K::Any,
        A::Any,
        C::Aes128Gcm,
        M::Sha256,
        true,
        4,
        S::Strong
    ),
    s!(
        0x1302,
        "TLS_AES_256_GCM_SHA384",
        Some("TLS_AES_256_GCM_SHA384"),
        K::Any,
        A::Any,
        C::Aes256Gcm,
        M::Sha384,
        true,
        4,
        S::Strong
    ),
    s!(
        0x1303,
        "TLS_CHACHA20_POLY1305_SHA256",
        Some("TLS_CHACHA20_POLY1305_SHA256"),
        K::Any,
        A::Any,
        C::ChaCha20Poly1305,
        M::Sha256,
        true,
        4,
        S::Strong
    ),
    s!(
        0xc02b,
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        Some("ECDHE-ECDSA-AES128-GCM-SHA256"),
        K::Ecdhe,
        A::Ecdsa,
        C::Aes128Gcm,
        M::Sha256,
        false,
        3,
        S::Strong
    ),
    s!(
        0xc02c,
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        Some("ECDHE-ECDSA-AES256-GCM-SHA384"),
        K::Ecdhe,
        A::Ecdsa,
        C::Aes256Gcm,
        M::Sha384,
        false,
        3,
        S::Strong
    ),
    s!(
        0xc02f,
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        Some("ECDHE-RSA-AES128-GCM-SHA256"),
        K::Ecdhe,
        A::Rsa,
        C::Aes128Gcm,
        M::Sha256,
        false,
        3,
        S::Strong
    ),
    s!(
        0xc030,
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        Some("ECDHE-RSA-AES256-GCM-SHA384"),
        K::Ecdhe,
        A::Rsa,
        C::Aes256Gcm,
        M::Sha384,
        false,
        3,
        S::Strong
    ),
    s!(
        0xcca8,
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        Some("ECDHE-RSA-CHACHA20-POLY1305"),
        K::Ecdhe,
        A::Rsa,
        C::ChaCha20Poly1305,
        M::Sha256,
        false,
        3,
        S::Strong
    ),
    s!(
        0xcca9,
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        Some("ECDHE-ECDSA-CHACHA20-POLY1305"),
        K::Ecdhe,
        A::Ecdsa,
        C::ChaCha20Poly1305,
        M::Sha256,
        false,
        3,
        S::Strong
    ),
];

impl CipherSuite {
    /// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3).
    pub const EMPTY_RENEGOTIATION_INFO_SCSV: CipherSuite = CipherSuite(0x00ff);
    /// TLS_FALLBACK_SCSV (RFC 7507).
    pub const FALLBACK_SCSV: CipherSuite = CipherSuite(0x5600);

    /// The registry entry, when known.
    pub fn info(self) -> Option<&'static SuiteInfo> {
        SUITES
            .binary_search_by_key(&self.0, |s| s.id)
            .ok()
            .map(|i| &SUITES[i])
    }

    /// The IANA name (signalling values included), when known.
    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            0x00ff => Some("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
            0x5600 => Some("TLS_FALLBACK_SCSV"),
            _ => self.info().map(|i| i.iana),
        }
    }

    /// Parses a user-given suite: IANA name, OpenSSL name or hex (`0xc02f`).
    pub fn parse_user(s: &str) -> Option<CipherSuite> {
        let t = s.trim();
        if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            return u16::from_str_radix(h, 16).ok().map(CipherSuite);
        }
        if let Some(cs) = ["TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_FALLBACK_SCSV"]
            .iter()
            .position(|n| n.eq_ignore_ascii_case(t))
        {
            return Some([Self::EMPTY_RENEGOTIATION_INFO_SCSV, Self::FALLBACK_SCSV][cs]);
        }
        SUITES
            .iter()
            .find(|i| {
                i.iana.eq_ignore_ascii_case(t)
                    || i.openssl.is_some_and(|o| o.eq_ignore_ascii_case(t))
            })
            .map(|i| CipherSuite(i.id))
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None if crate::wire::codepoints::is_grease_u16(self.0) => {
                write!(f, "GREASE(0x{:04x})", self.0)
            }
            None => write!(f, "unknown(0x{:04x})", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in SUITES.windows(2) {
            assert!(w[0].id < w[1].id, "{:04x} before {:04x}", w[0].id, w[1].id);
        }
    }

    #[test]
    fn parse_names() {
        let want = Some(CipherSuite(0xc02f));
        assert_eq!(
            CipherSuite::parse_user("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            want
        );
        assert_eq!(CipherSuite::parse_user("ECDHE-RSA-AES128-GCM-SHA256"), want);
        assert_eq!(CipherSuite::parse_user("0xc02f"), want);
        assert_eq!(CipherSuite::parse_user("nonsense"), None);
    }
}
