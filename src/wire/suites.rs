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

/// The registry, ordered by code point (one entry a line; `rustfmt::skip` keeps it that way).
///
/// Every value assigned in the IANA "TLS Cipher Suites" registry, except the two signalling
/// values (`TLS_EMPTY_RENEGOTIATION_INFO_SCSV`, `TLS_FALLBACK_SCSV`, see [`CipherSuite::name`]),
/// plus the SSL 3.0-only FORTEZZA suites 0x001c/0x001d (reserved by IANA) and the never-registered
/// but once widely shipped EXPORT1024 suites 0x0060-0x0066. `openssl` holds OpenSSL's name when
/// OpenSSL 3 lists the suite (`openssl ciphers -V -stdname 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'`,
/// plus the two TLS 1.3 CCM suites); suites OpenSSL 3 does not list keep `None`.
///
/// Conventions: `DH_anon`/`ECDH_anon` are ephemeral (`Kx::Dhe`/`Kx::Ecdhe`, `Auth::Anon`);
/// `RSA_PSK` authenticates with `Auth::Rsa` (as OpenSSL reports it); plain `SRP_SHA` and ECCPWD
/// use `Auth::Other`. For CCM suites without a hash in their name `mac` is the TLS 1.2 PRF hash
/// (SHA-256). `min_minor`: 0 for the SSL 3.0/RFC 2246 set (0x0000-0x002b, incl. KRB5, and the
/// EXPORT1024 suites), 1 for TLS 1.0-era additions and the PSK CBC/NULL suites that RFC 5487,
/// RFC 5489 and RFC 6367 allow before TLS 1.2, 3 for TLS 1.2-only suites, 4 for TLS 1.3.
#[rustfmt::skip]
pub static SUITES: &[SuiteInfo] = &[
    s!(0x0000, "TLS_NULL_WITH_NULL_NULL", None, K::Null, A::Null, C::Null, M::Null, false, 0, S::Insecure),
    s!(0x0001, "TLS_RSA_WITH_NULL_MD5", Some("NULL-MD5"), K::Rsa, A::Rsa, C::Null, M::Md5, false, 0, S::Insecure),
    s!(0x0002, "TLS_RSA_WITH_NULL_SHA", Some("NULL-SHA"), K::Rsa, A::Rsa, C::Null, M::Sha1, false, 0, S::Insecure),
    s!(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", None, K::Rsa, A::Rsa, C::Rc4_40, M::Md5, false, 0, S::Insecure),
    s!(0x0004, "TLS_RSA_WITH_RC4_128_MD5", None, K::Rsa, A::Rsa, C::Rc4_128, M::Md5, false, 0, S::Insecure),
    s!(0x0005, "TLS_RSA_WITH_RC4_128_SHA", None, K::Rsa, A::Rsa, C::Rc4_128, M::Sha1, false, 0, S::Insecure),
    s!(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", None, K::Rsa, A::Rsa, C::Rc2Cbc40, M::Md5, false, 0, S::Insecure),
    s!(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", None, K::Rsa, A::Rsa, C::IdeaCbc, M::Sha1, false, 0, S::Weak),
    s!(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", None, K::Rsa, A::Rsa, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0009, "TLS_RSA_WITH_DES_CBC_SHA", None, K::Rsa, A::Rsa, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", None, K::Rsa, A::Rsa, C::TripleDesCbc, M::Sha1, false, 0, S::Weak),
    s!(0x000b, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", None, K::Dh, A::Dss, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x000c, "TLS_DH_DSS_WITH_DES_CBC_SHA", None, K::Dh, A::Dss, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x000d, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", None, K::Dh, A::Dss, C::TripleDesCbc, M::Sha1, false, 0, S::Weak),
    s!(0x000e, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", None, K::Dh, A::Rsa, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x000f, "TLS_DH_RSA_WITH_DES_CBC_SHA", None, K::Dh, A::Rsa, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", None, K::Dh, A::Rsa, C::TripleDesCbc, M::Sha1, false, 0, S::Weak),
    s!(0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", None, K::Dhe, A::Dss, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", None, K::Dhe, A::Dss, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", None, K::Dhe, A::Dss, C::TripleDesCbc, M::Sha1, false, 0, S::Weak),
    s!(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", None, K::Dhe, A::Rsa, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", None, K::Dhe, A::Rsa, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", None, K::Dhe, A::Rsa, C::TripleDesCbc, M::Sha1, false, 0, S::Weak),
    s!(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", None, K::Dhe, A::Anon, C::Rc4_40, M::Md5, false, 0, S::Insecure),
    s!(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", None, K::Dhe, A::Anon, C::Rc4_128, M::Md5, false, 0, S::Insecure),
    s!(0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", None, K::Dhe, A::Anon, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x001a, "TLS_DH_anon_WITH_DES_CBC_SHA", None, K::Dhe, A::Anon, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", None, K::Dhe, A::Anon, C::TripleDesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x001c, "SSL_FORTEZZA_KEA_WITH_NULL_SHA", None, K::Other, A::Other, C::Null, M::Sha1, false, 0, S::Insecure),
    s!(0x001d, "SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA", None, K::Other, A::Other, C::Other, M::Sha1, false, 0, S::Insecure),
    s!(0x001e, "TLS_KRB5_WITH_DES_CBC_SHA", None, K::Krb5, A::Krb5, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x001f, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA", None, K::Krb5, A::Krb5, C::TripleDesCbc, M::Sha1, false, 0, S::Weak),
    s!(0x0020, "TLS_KRB5_WITH_RC4_128_SHA", None, K::Krb5, A::Krb5, C::Rc4_128, M::Sha1, false, 0, S::Insecure),
    s!(0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA", None, K::Krb5, A::Krb5, C::IdeaCbc, M::Sha1, false, 0, S::Weak),
    s!(0x0022, "TLS_KRB5_WITH_DES_CBC_MD5", None, K::Krb5, A::Krb5, C::DesCbc, M::Md5, false, 0, S::Insecure),
    s!(0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5", None, K::Krb5, A::Krb5, C::TripleDesCbc, M::Md5, false, 0, S::Weak),
    s!(0x0024, "TLS_KRB5_WITH_RC4_128_MD5", None, K::Krb5, A::Krb5, C::Rc4_128, M::Md5, false, 0, S::Insecure),
    s!(0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5", None, K::Krb5, A::Krb5, C::IdeaCbc, M::Md5, false, 0, S::Weak),
    s!(0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", None, K::Krb5, A::Krb5, C::Des40Cbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA", None, K::Krb5, A::Krb5, C::Rc2Cbc40, M::Sha1, false, 0, S::Insecure),
    s!(0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA", None, K::Krb5, A::Krb5, C::Rc4_40, M::Sha1, false, 0, S::Insecure),
    s!(0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5", None, K::Krb5, A::Krb5, C::Des40Cbc, M::Md5, false, 0, S::Insecure),
    s!(0x002a, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5", None, K::Krb5, A::Krb5, C::Rc2Cbc40, M::Md5, false, 0, S::Insecure),
    s!(0x002b, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", None, K::Krb5, A::Krb5, C::Rc4_40, M::Md5, false, 0, S::Insecure),
    s!(0x002c, "TLS_PSK_WITH_NULL_SHA", Some("PSK-NULL-SHA"), K::Psk, A::Psk, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0x002d, "TLS_DHE_PSK_WITH_NULL_SHA", Some("DHE-PSK-NULL-SHA"), K::DhePsk, A::Psk, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0x002e, "TLS_RSA_PSK_WITH_NULL_SHA", Some("RSA-PSK-NULL-SHA"), K::RsaPsk, A::Rsa, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA", Some("AES128-SHA"), K::Rsa, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA", None, K::Dh, A::Dss, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA", None, K::Dh, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", Some("DHE-DSS-AES128-SHA"), K::Dhe, A::Dss, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", Some("DHE-RSA-AES128-SHA"), K::Dhe, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", Some("ADH-AES128-SHA"), K::Dhe, A::Anon, C::Aes128Cbc, M::Sha1, false, 1, S::Insecure),
    s!(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", Some("AES256-SHA"), K::Rsa, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA", None, K::Dh, A::Dss, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA", None, K::Dh, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", Some("DHE-DSS-AES256-SHA"), K::Dhe, A::Dss, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", Some("DHE-RSA-AES256-SHA"), K::Dhe, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA", Some("ADH-AES256-SHA"), K::Dhe, A::Anon, C::Aes256Cbc, M::Sha1, false, 1, S::Insecure),
    s!(0x003b, "TLS_RSA_WITH_NULL_SHA256", Some("NULL-SHA256"), K::Rsa, A::Rsa, C::Null, M::Sha256, false, 3, S::Insecure),
    s!(0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256", Some("AES128-SHA256"), K::Rsa, A::Rsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256", Some("AES256-SHA256"), K::Rsa, A::Rsa, C::Aes256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x003e, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", None, K::Dh, A::Dss, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x003f, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", None, K::Dh, A::Rsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", Some("DHE-DSS-AES128-SHA256"), K::Dhe, A::Dss, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", Some("CAMELLIA128-SHA"), K::Rsa, A::Rsa, C::Camellia128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0042, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA", None, K::Dh, A::Dss, C::Camellia128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0043, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA", None, K::Dh, A::Rsa, C::Camellia128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", Some("DHE-DSS-CAMELLIA128-SHA"), K::Dhe, A::Dss, C::Camellia128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", Some("DHE-RSA-CAMELLIA128-SHA"), K::Dhe, A::Rsa, C::Camellia128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", Some("ADH-CAMELLIA128-SHA"), K::Dhe, A::Anon, C::Camellia128Cbc, M::Sha1, false, 1, S::Insecure),
    s!(0x0060, "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5", None, K::Rsa, A::Rsa, C::Other, M::Md5, false, 0, S::Insecure),
    s!(0x0061, "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5", None, K::Rsa, A::Rsa, C::Other, M::Md5, false, 0, S::Insecure),
    s!(0x0062, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", None, K::Rsa, A::Rsa, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0063, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA", None, K::Dhe, A::Dss, C::DesCbc, M::Sha1, false, 0, S::Insecure),
    s!(0x0064, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA", None, K::Rsa, A::Rsa, C::Other, M::Sha1, false, 0, S::Insecure),
    s!(0x0065, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA", None, K::Dhe, A::Dss, C::Other, M::Sha1, false, 0, S::Insecure),
    s!(0x0066, "TLS_DHE_DSS_WITH_RC4_128_SHA", None, K::Dhe, A::Dss, C::Rc4_128, M::Sha1, false, 0, S::Insecure),
    s!(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", Some("DHE-RSA-AES128-SHA256"), K::Dhe, A::Rsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256", None, K::Dh, A::Dss, C::Aes256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", None, K::Dh, A::Rsa, C::Aes256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", Some("DHE-DSS-AES256-SHA256"), K::Dhe, A::Dss, C::Aes256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", Some("DHE-RSA-AES256-SHA256"), K::Dhe, A::Rsa, C::Aes256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x006c, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", Some("ADH-AES128-SHA256"), K::Dhe, A::Anon, C::Aes128Cbc, M::Sha256, false, 3, S::Insecure),
    s!(0x006d, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", Some("ADH-AES256-SHA256"), K::Dhe, A::Anon, C::Aes256Cbc, M::Sha256, false, 3, S::Insecure),
    s!(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", Some("CAMELLIA256-SHA"), K::Rsa, A::Rsa, C::Camellia256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0085, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA", None, K::Dh, A::Dss, C::Camellia256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0086, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA", None, K::Dh, A::Rsa, C::Camellia256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", Some("DHE-DSS-CAMELLIA256-SHA"), K::Dhe, A::Dss, C::Camellia256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", Some("DHE-RSA-CAMELLIA256-SHA"), K::Dhe, A::Rsa, C::Camellia256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", Some("ADH-CAMELLIA256-SHA"), K::Dhe, A::Anon, C::Camellia256Cbc, M::Sha1, false, 1, S::Insecure),
    s!(0x008a, "TLS_PSK_WITH_RC4_128_SHA", None, K::Psk, A::Psk, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0x008b, "TLS_PSK_WITH_3DES_EDE_CBC_SHA", None, K::Psk, A::Psk, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA", Some("PSK-AES128-CBC-SHA"), K::Psk, A::Psk, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA", Some("PSK-AES256-CBC-SHA"), K::Psk, A::Psk, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x008e, "TLS_DHE_PSK_WITH_RC4_128_SHA", None, K::DhePsk, A::Psk, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0x008f, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", None, K::DhePsk, A::Psk, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", Some("DHE-PSK-AES128-CBC-SHA"), K::DhePsk, A::Psk, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", Some("DHE-PSK-AES256-CBC-SHA"), K::DhePsk, A::Psk, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA", None, K::RsaPsk, A::Rsa, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA", None, K::RsaPsk, A::Rsa, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", Some("RSA-PSK-AES128-CBC-SHA"), K::RsaPsk, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", Some("RSA-PSK-AES256-CBC-SHA"), K::RsaPsk, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", None, K::Rsa, A::Rsa, C::SeedCbc, M::Sha1, false, 1, S::Weak),
    s!(0x0097, "TLS_DH_DSS_WITH_SEED_CBC_SHA", None, K::Dh, A::Dss, C::SeedCbc, M::Sha1, false, 1, S::Weak),
    s!(0x0098, "TLS_DH_RSA_WITH_SEED_CBC_SHA", None, K::Dh, A::Rsa, C::SeedCbc, M::Sha1, false, 1, S::Weak),
    s!(0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA", None, K::Dhe, A::Dss, C::SeedCbc, M::Sha1, false, 1, S::Weak),
    s!(0x009a, "TLS_DHE_RSA_WITH_SEED_CBC_SHA", None, K::Dhe, A::Rsa, C::SeedCbc, M::Sha1, false, 1, S::Weak),
    s!(0x009b, "TLS_DH_anon_WITH_SEED_CBC_SHA", None, K::Dhe, A::Anon, C::SeedCbc, M::Sha1, false, 1, S::Insecure),
    s!(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256", Some("AES128-GCM-SHA256"), K::Rsa, A::Rsa, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384", Some("AES256-GCM-SHA384"), K::Rsa, A::Rsa, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", Some("DHE-RSA-AES128-GCM-SHA256"), K::Dhe, A::Rsa, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", Some("DHE-RSA-AES256-GCM-SHA384"), K::Dhe, A::Rsa, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0x00a0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256", None, K::Dh, A::Rsa, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0x00a1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", None, K::Dh, A::Rsa, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", Some("DHE-DSS-AES128-GCM-SHA256"), K::Dhe, A::Dss, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", Some("DHE-DSS-AES256-GCM-SHA384"), K::Dhe, A::Dss, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0x00a4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256", None, K::Dh, A::Dss, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0x00a5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", None, K::Dh, A::Dss, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", Some("ADH-AES128-GCM-SHA256"), K::Dhe, A::Anon, C::Aes128Gcm, M::Sha256, false, 3, S::Insecure),
    s!(0x00a7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", Some("ADH-AES256-GCM-SHA384"), K::Dhe, A::Anon, C::Aes256Gcm, M::Sha384, false, 3, S::Insecure),
    s!(0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256", Some("PSK-AES128-GCM-SHA256"), K::Psk, A::Psk, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384", Some("PSK-AES256-GCM-SHA384"), K::Psk, A::Psk, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0x00aa, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", Some("DHE-PSK-AES128-GCM-SHA256"), K::DhePsk, A::Psk, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0x00ab, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", Some("DHE-PSK-AES256-GCM-SHA384"), K::DhePsk, A::Psk, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0x00ac, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", Some("RSA-PSK-AES128-GCM-SHA256"), K::RsaPsk, A::Rsa, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0x00ad, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", Some("RSA-PSK-AES256-GCM-SHA384"), K::RsaPsk, A::Rsa, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256", Some("PSK-AES128-CBC-SHA256"), K::Psk, A::Psk, C::Aes128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384", Some("PSK-AES256-CBC-SHA384"), K::Psk, A::Psk, C::Aes256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0x00b0, "TLS_PSK_WITH_NULL_SHA256", Some("PSK-NULL-SHA256"), K::Psk, A::Psk, C::Null, M::Sha256, false, 1, S::Insecure),
    s!(0x00b1, "TLS_PSK_WITH_NULL_SHA384", Some("PSK-NULL-SHA384"), K::Psk, A::Psk, C::Null, M::Sha384, false, 1, S::Insecure),
    s!(0x00b2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", Some("DHE-PSK-AES128-CBC-SHA256"), K::DhePsk, A::Psk, C::Aes128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0x00b3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", Some("DHE-PSK-AES256-CBC-SHA384"), K::DhePsk, A::Psk, C::Aes256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0x00b4, "TLS_DHE_PSK_WITH_NULL_SHA256", Some("DHE-PSK-NULL-SHA256"), K::DhePsk, A::Psk, C::Null, M::Sha256, false, 1, S::Insecure),
    s!(0x00b5, "TLS_DHE_PSK_WITH_NULL_SHA384", Some("DHE-PSK-NULL-SHA384"), K::DhePsk, A::Psk, C::Null, M::Sha384, false, 1, S::Insecure),
    s!(0x00b6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", Some("RSA-PSK-AES128-CBC-SHA256"), K::RsaPsk, A::Rsa, C::Aes128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0x00b7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", Some("RSA-PSK-AES256-CBC-SHA384"), K::RsaPsk, A::Rsa, C::Aes256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0x00b8, "TLS_RSA_PSK_WITH_NULL_SHA256", Some("RSA-PSK-NULL-SHA256"), K::RsaPsk, A::Rsa, C::Null, M::Sha256, false, 1, S::Insecure),
    s!(0x00b9, "TLS_RSA_PSK_WITH_NULL_SHA384", Some("RSA-PSK-NULL-SHA384"), K::RsaPsk, A::Rsa, C::Null, M::Sha384, false, 1, S::Insecure),
    s!(0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", Some("CAMELLIA128-SHA256"), K::Rsa, A::Rsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00bb, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256", None, K::Dh, A::Dss, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00bc, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256", None, K::Dh, A::Rsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00bd, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", Some("DHE-DSS-CAMELLIA128-SHA256"), K::Dhe, A::Dss, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", Some("DHE-RSA-CAMELLIA128-SHA256"), K::Dhe, A::Rsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00bf, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", Some("ADH-CAMELLIA128-SHA256"), K::Dhe, A::Anon, C::Camellia128Cbc, M::Sha256, false, 3, S::Insecure),
    s!(0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", Some("CAMELLIA256-SHA256"), K::Rsa, A::Rsa, C::Camellia256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00c1, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256", None, K::Dh, A::Dss, C::Camellia256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00c2, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256", None, K::Dh, A::Rsa, C::Camellia256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00c3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", Some("DHE-DSS-CAMELLIA256-SHA256"), K::Dhe, A::Dss, C::Camellia256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", Some("DHE-RSA-CAMELLIA256-SHA256"), K::Dhe, A::Rsa, C::Camellia256Cbc, M::Sha256, false, 3, S::Weak),
    s!(0x00c5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", Some("ADH-CAMELLIA256-SHA256"), K::Dhe, A::Anon, C::Camellia256Cbc, M::Sha256, false, 3, S::Insecure),
    s!(0x00c6, "TLS_SM4_GCM_SM3", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0x00c7, "TLS_SM4_CCM_SM3", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0x1301, "TLS_AES_128_GCM_SHA256", Some("TLS_AES_128_GCM_SHA256"), K::Any, A::Any, C::Aes128Gcm, M::Sha256, true, 4, S::Strong),
    s!(0x1302, "TLS_AES_256_GCM_SHA384", Some("TLS_AES_256_GCM_SHA384"), K::Any, A::Any, C::Aes256Gcm, M::Sha384, true, 4, S::Strong),
    s!(0x1303, "TLS_CHACHA20_POLY1305_SHA256", Some("TLS_CHACHA20_POLY1305_SHA256"), K::Any, A::Any, C::ChaCha20Poly1305, M::Sha256, true, 4, S::Strong),
    s!(0x1304, "TLS_AES_128_CCM_SHA256", Some("TLS_AES_128_CCM_SHA256"), K::Any, A::Any, C::Aes128Ccm, M::Sha256, true, 4, S::Strong),
    s!(0x1305, "TLS_AES_128_CCM_8_SHA256", Some("TLS_AES_128_CCM_8_SHA256"), K::Any, A::Any, C::Aes128Ccm8, M::Sha256, true, 4, S::Weak),
    s!(0x1306, "TLS_AEGIS_256_SHA512", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0x1307, "TLS_AEGIS_128L_SHA256", None, K::Any, A::Any, C::Other, M::Sha256, true, 4, S::Strong),
    s!(0xc001, "TLS_ECDH_ECDSA_WITH_NULL_SHA", None, K::Ecdh, A::Ecdsa, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0xc002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", None, K::Ecdh, A::Ecdsa, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", None, K::Ecdh, A::Ecdsa, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", None, K::Ecdh, A::Ecdsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", None, K::Ecdh, A::Ecdsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", Some("ECDHE-ECDSA-NULL-SHA"), K::Ecdhe, A::Ecdsa, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", None, K::Ecdhe, A::Ecdsa, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", None, K::Ecdhe, A::Ecdsa, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", Some("ECDHE-ECDSA-AES128-SHA"), K::Ecdhe, A::Ecdsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", Some("ECDHE-ECDSA-AES256-SHA"), K::Ecdhe, A::Ecdsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc00b, "TLS_ECDH_RSA_WITH_NULL_SHA", None, K::Ecdh, A::Rsa, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0xc00c, "TLS_ECDH_RSA_WITH_RC4_128_SHA", None, K::Ecdh, A::Rsa, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", None, K::Ecdh, A::Rsa, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", None, K::Ecdh, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", None, K::Ecdh, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA", Some("ECDHE-RSA-NULL-SHA"), K::Ecdhe, A::Rsa, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", None, K::Ecdhe, A::Rsa, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", None, K::Ecdhe, A::Rsa, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", Some("ECDHE-RSA-AES128-SHA"), K::Ecdhe, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", Some("ECDHE-RSA-AES256-SHA"), K::Ecdhe, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc015, "TLS_ECDH_anon_WITH_NULL_SHA", Some("AECDH-NULL-SHA"), K::Ecdhe, A::Anon, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA", None, K::Ecdhe, A::Anon, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", None, K::Ecdhe, A::Anon, C::TripleDesCbc, M::Sha1, false, 1, S::Insecure),
    s!(0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", Some("AECDH-AES128-SHA"), K::Ecdhe, A::Anon, C::Aes128Cbc, M::Sha1, false, 1, S::Insecure),
    s!(0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", Some("AECDH-AES256-SHA"), K::Ecdhe, A::Anon, C::Aes256Cbc, M::Sha1, false, 1, S::Insecure),
    s!(0xc01a, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", None, K::Srp, A::Other, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc01b, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", None, K::Srp, A::Rsa, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc01c, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", None, K::Srp, A::Dss, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc01d, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", Some("SRP-AES-128-CBC-SHA"), K::Srp, A::Other, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc01e, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", Some("SRP-RSA-AES-128-CBC-SHA"), K::Srp, A::Rsa, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc01f, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", Some("SRP-DSS-AES-128-CBC-SHA"), K::Srp, A::Dss, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", Some("SRP-AES-256-CBC-SHA"), K::Srp, A::Other, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", Some("SRP-RSA-AES-256-CBC-SHA"), K::Srp, A::Rsa, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", Some("SRP-DSS-AES-256-CBC-SHA"), K::Srp, A::Dss, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", Some("ECDHE-ECDSA-AES128-SHA256"), K::Ecdhe, A::Ecdsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", Some("ECDHE-ECDSA-AES256-SHA384"), K::Ecdhe, A::Ecdsa, C::Aes256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", None, K::Ecdh, A::Ecdsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", None, K::Ecdh, A::Ecdsa, C::Aes256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", Some("ECDHE-RSA-AES128-SHA256"), K::Ecdhe, A::Rsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", Some("ECDHE-RSA-AES256-SHA384"), K::Ecdhe, A::Rsa, C::Aes256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", None, K::Ecdh, A::Rsa, C::Aes128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", None, K::Ecdh, A::Rsa, C::Aes256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", Some("ECDHE-ECDSA-AES128-GCM-SHA256"), K::Ecdhe, A::Ecdsa, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", Some("ECDHE-ECDSA-AES256-GCM-SHA384"), K::Ecdhe, A::Ecdsa, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", None, K::Ecdh, A::Ecdsa, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", None, K::Ecdh, A::Ecdsa, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Some("ECDHE-RSA-AES128-GCM-SHA256"), K::Ecdhe, A::Rsa, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Some("ECDHE-RSA-AES256-GCM-SHA384"), K::Ecdhe, A::Rsa, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", None, K::Ecdh, A::Rsa, C::Aes128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", None, K::Ecdh, A::Rsa, C::Aes256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA", None, K::EcdhePsk, A::Psk, C::Rc4_128, M::Sha1, false, 1, S::Insecure),
    s!(0xc034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA", None, K::EcdhePsk, A::Psk, C::TripleDesCbc, M::Sha1, false, 1, S::Weak),
    s!(0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", Some("ECDHE-PSK-AES128-CBC-SHA"), K::EcdhePsk, A::Psk, C::Aes128Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", Some("ECDHE-PSK-AES256-CBC-SHA"), K::EcdhePsk, A::Psk, C::Aes256Cbc, M::Sha1, false, 1, S::Weak),
    s!(0xc037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", Some("ECDHE-PSK-AES128-CBC-SHA256"), K::EcdhePsk, A::Psk, C::Aes128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0xc038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", Some("ECDHE-PSK-AES256-CBC-SHA384"), K::EcdhePsk, A::Psk, C::Aes256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0xc039, "TLS_ECDHE_PSK_WITH_NULL_SHA", Some("ECDHE-PSK-NULL-SHA"), K::EcdhePsk, A::Psk, C::Null, M::Sha1, false, 1, S::Insecure),
    s!(0xc03a, "TLS_ECDHE_PSK_WITH_NULL_SHA256", Some("ECDHE-PSK-NULL-SHA256"), K::EcdhePsk, A::Psk, C::Null, M::Sha256, false, 1, S::Insecure),
    s!(0xc03b, "TLS_ECDHE_PSK_WITH_NULL_SHA384", Some("ECDHE-PSK-NULL-SHA384"), K::EcdhePsk, A::Psk, C::Null, M::Sha384, false, 1, S::Insecure),
    s!(0xc03c, "TLS_RSA_WITH_ARIA_128_CBC_SHA256", None, K::Rsa, A::Rsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc03d, "TLS_RSA_WITH_ARIA_256_CBC_SHA384", None, K::Rsa, A::Rsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc03e, "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256", None, K::Dh, A::Dss, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc03f, "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384", None, K::Dh, A::Dss, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc040, "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256", None, K::Dh, A::Rsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc041, "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384", None, K::Dh, A::Rsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc042, "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256", None, K::Dhe, A::Dss, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc043, "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384", None, K::Dhe, A::Dss, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256", None, K::Dhe, A::Rsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384", None, K::Dhe, A::Rsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc046, "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256", None, K::Dhe, A::Anon, C::Aria128Cbc, M::Sha256, false, 3, S::Insecure),
    s!(0xc047, "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384", None, K::Dhe, A::Anon, C::Aria256Cbc, M::Sha384, false, 3, S::Insecure),
    s!(0xc048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256", None, K::Ecdhe, A::Ecdsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384", None, K::Ecdhe, A::Ecdsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc04a, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256", None, K::Ecdh, A::Ecdsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc04b, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384", None, K::Ecdh, A::Ecdsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc04c, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256", None, K::Ecdhe, A::Rsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc04d, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384", None, K::Ecdhe, A::Rsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc04e, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256", None, K::Ecdh, A::Rsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc04f, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384", None, K::Ecdh, A::Rsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", Some("ARIA128-GCM-SHA256"), K::Rsa, A::Rsa, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", Some("ARIA256-GCM-SHA384"), K::Rsa, A::Rsa, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", Some("DHE-RSA-ARIA128-GCM-SHA256"), K::Dhe, A::Rsa, C::Aria128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", Some("DHE-RSA-ARIA256-GCM-SHA384"), K::Dhe, A::Rsa, C::Aria256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc054, "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256", None, K::Dh, A::Rsa, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc055, "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384", None, K::Dh, A::Rsa, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", Some("DHE-DSS-ARIA128-GCM-SHA256"), K::Dhe, A::Dss, C::Aria128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", Some("DHE-DSS-ARIA256-GCM-SHA384"), K::Dhe, A::Dss, C::Aria256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc058, "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256", None, K::Dh, A::Dss, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc059, "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384", None, K::Dh, A::Dss, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc05a, "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256", None, K::Dhe, A::Anon, C::Aria128Gcm, M::Sha256, false, 3, S::Insecure),
    s!(0xc05b, "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384", None, K::Dhe, A::Anon, C::Aria256Gcm, M::Sha384, false, 3, S::Insecure),
    s!(0xc05c, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", Some("ECDHE-ECDSA-ARIA128-GCM-SHA256"), K::Ecdhe, A::Ecdsa, C::Aria128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc05d, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", Some("ECDHE-ECDSA-ARIA256-GCM-SHA384"), K::Ecdhe, A::Ecdsa, C::Aria256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc05e, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256", None, K::Ecdh, A::Ecdsa, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc05f, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384", None, K::Ecdh, A::Ecdsa, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", Some("ECDHE-ARIA128-GCM-SHA256"), K::Ecdhe, A::Rsa, C::Aria128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", Some("ECDHE-ARIA256-GCM-SHA384"), K::Ecdhe, A::Rsa, C::Aria256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256", None, K::Ecdh, A::Rsa, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384", None, K::Ecdh, A::Rsa, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256", None, K::Psk, A::Psk, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384", None, K::Psk, A::Psk, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256", None, K::DhePsk, A::Psk, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384", None, K::DhePsk, A::Psk, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256", None, K::RsaPsk, A::Rsa, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384", None, K::RsaPsk, A::Rsa, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc06a, "TLS_PSK_WITH_ARIA_128_GCM_SHA256", Some("PSK-ARIA128-GCM-SHA256"), K::Psk, A::Psk, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc06b, "TLS_PSK_WITH_ARIA_256_GCM_SHA384", Some("PSK-ARIA256-GCM-SHA384"), K::Psk, A::Psk, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc06c, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", Some("DHE-PSK-ARIA128-GCM-SHA256"), K::DhePsk, A::Psk, C::Aria128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc06d, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", Some("DHE-PSK-ARIA256-GCM-SHA384"), K::DhePsk, A::Psk, C::Aria256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc06e, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", Some("RSA-PSK-ARIA128-GCM-SHA256"), K::RsaPsk, A::Rsa, C::Aria128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc06f, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", Some("RSA-PSK-ARIA256-GCM-SHA384"), K::RsaPsk, A::Rsa, C::Aria256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256", None, K::EcdhePsk, A::Psk, C::Aria128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384", None, K::EcdhePsk, A::Psk, C::Aria256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", Some("ECDHE-ECDSA-CAMELLIA128-SHA256"), K::Ecdhe, A::Ecdsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", Some("ECDHE-ECDSA-CAMELLIA256-SHA384"), K::Ecdhe, A::Ecdsa, C::Camellia256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", None, K::Ecdh, A::Ecdsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", None, K::Ecdh, A::Ecdsa, C::Camellia256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", Some("ECDHE-RSA-CAMELLIA128-SHA256"), K::Ecdhe, A::Rsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", Some("ECDHE-RSA-CAMELLIA256-SHA384"), K::Ecdhe, A::Rsa, C::Camellia256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256", None, K::Ecdh, A::Rsa, C::Camellia128Cbc, M::Sha256, false, 3, S::Weak),
    s!(0xc079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384", None, K::Ecdh, A::Rsa, C::Camellia256Cbc, M::Sha384, false, 3, S::Weak),
    s!(0xc07a, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Rsa, A::Rsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc07b, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Rsa, A::Rsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc07c, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Dhe, A::Rsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc07d, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Dhe, A::Rsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc07e, "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Dh, A::Rsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc07f, "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Dh, A::Rsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256", None, K::Dhe, A::Dss, C::Camellia128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384", None, K::Dhe, A::Dss, C::Camellia256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc082, "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256", None, K::Dh, A::Dss, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc083, "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384", None, K::Dh, A::Dss, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc084, "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256", None, K::Dhe, A::Anon, C::Camellia128Gcm, M::Sha256, false, 3, S::Insecure),
    s!(0xc085, "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384", None, K::Dhe, A::Anon, C::Camellia256Gcm, M::Sha384, false, 3, S::Insecure),
    s!(0xc086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Ecdhe, A::Ecdsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Ecdhe, A::Ecdsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Ecdh, A::Ecdsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Ecdh, A::Ecdsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc08a, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Ecdhe, A::Rsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc08b, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Ecdhe, A::Rsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc08c, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256", None, K::Ecdh, A::Rsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc08d, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384", None, K::Ecdh, A::Rsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc08e, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256", None, K::Psk, A::Psk, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc08f, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384", None, K::Psk, A::Psk, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256", None, K::DhePsk, A::Psk, C::Camellia128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384", None, K::DhePsk, A::Psk, C::Camellia256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256", None, K::RsaPsk, A::Rsa, C::Camellia128Gcm, M::Sha256, false, 3, S::Weak),
    s!(0xc093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384", None, K::RsaPsk, A::Rsa, C::Camellia256Gcm, M::Sha384, false, 3, S::Weak),
    s!(0xc094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", Some("PSK-CAMELLIA128-SHA256"), K::Psk, A::Psk, C::Camellia128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0xc095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", Some("PSK-CAMELLIA256-SHA384"), K::Psk, A::Psk, C::Camellia256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0xc096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", Some("DHE-PSK-CAMELLIA128-SHA256"), K::DhePsk, A::Psk, C::Camellia128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0xc097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", Some("DHE-PSK-CAMELLIA256-SHA384"), K::DhePsk, A::Psk, C::Camellia256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0xc098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", Some("RSA-PSK-CAMELLIA128-SHA256"), K::RsaPsk, A::Rsa, C::Camellia128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0xc099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", Some("RSA-PSK-CAMELLIA256-SHA384"), K::RsaPsk, A::Rsa, C::Camellia256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0xc09a, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", Some("ECDHE-PSK-CAMELLIA128-SHA256"), K::EcdhePsk, A::Psk, C::Camellia128Cbc, M::Sha256, false, 1, S::Weak),
    s!(0xc09b, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", Some("ECDHE-PSK-CAMELLIA256-SHA384"), K::EcdhePsk, A::Psk, C::Camellia256Cbc, M::Sha384, false, 1, S::Weak),
    s!(0xc09c, "TLS_RSA_WITH_AES_128_CCM", Some("AES128-CCM"), K::Rsa, A::Rsa, C::Aes128Ccm, M::Sha256, false, 3, S::Weak),
    s!(0xc09d, "TLS_RSA_WITH_AES_256_CCM", Some("AES256-CCM"), K::Rsa, A::Rsa, C::Aes256Ccm, M::Sha256, false, 3, S::Weak),
    s!(0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM", Some("DHE-RSA-AES128-CCM"), K::Dhe, A::Rsa, C::Aes128Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM", Some("DHE-RSA-AES256-CCM"), K::Dhe, A::Rsa, C::Aes256Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8", Some("AES128-CCM8"), K::Rsa, A::Rsa, C::Aes128Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8", Some("AES256-CCM8"), K::Rsa, A::Rsa, C::Aes256Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", Some("DHE-RSA-AES128-CCM8"), K::Dhe, A::Rsa, C::Aes128Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", Some("DHE-RSA-AES256-CCM8"), K::Dhe, A::Rsa, C::Aes256Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0a4, "TLS_PSK_WITH_AES_128_CCM", Some("PSK-AES128-CCM"), K::Psk, A::Psk, C::Aes128Ccm, M::Sha256, false, 3, S::Weak),
    s!(0xc0a5, "TLS_PSK_WITH_AES_256_CCM", Some("PSK-AES256-CCM"), K::Psk, A::Psk, C::Aes256Ccm, M::Sha256, false, 3, S::Weak),
    s!(0xc0a6, "TLS_DHE_PSK_WITH_AES_128_CCM", Some("DHE-PSK-AES128-CCM"), K::DhePsk, A::Psk, C::Aes128Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc0a7, "TLS_DHE_PSK_WITH_AES_256_CCM", Some("DHE-PSK-AES256-CCM"), K::DhePsk, A::Psk, C::Aes256Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8", Some("PSK-AES128-CCM8"), K::Psk, A::Psk, C::Aes128Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0a9, "TLS_PSK_WITH_AES_256_CCM_8", Some("PSK-AES256-CCM8"), K::Psk, A::Psk, C::Aes256Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0aa, "TLS_PSK_DHE_WITH_AES_128_CCM_8", Some("DHE-PSK-AES128-CCM8"), K::DhePsk, A::Psk, C::Aes128Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0ab, "TLS_PSK_DHE_WITH_AES_256_CCM_8", Some("DHE-PSK-AES256-CCM8"), K::DhePsk, A::Psk, C::Aes256Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", Some("ECDHE-ECDSA-AES128-CCM"), K::Ecdhe, A::Ecdsa, C::Aes128Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", Some("ECDHE-ECDSA-AES256-CCM"), K::Ecdhe, A::Ecdsa, C::Aes256Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", Some("ECDHE-ECDSA-AES128-CCM8"), K::Ecdhe, A::Ecdsa, C::Aes128Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", Some("ECDHE-ECDSA-AES256-CCM8"), K::Ecdhe, A::Ecdsa, C::Aes256Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xc0b0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256", None, K::Other, A::Other, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xc0b1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384", None, K::Other, A::Other, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xc0b2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256", None, K::Other, A::Other, C::Aes128Ccm, M::Sha256, false, 3, S::Strong),
    s!(0xc0b3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384", None, K::Other, A::Other, C::Aes256Ccm, M::Sha384, false, 3, S::Strong),
    s!(0xc0b4, "TLS_SHA256_SHA256", None, K::Any, A::Any, C::Null, M::Sha256, true, 4, S::Insecure),
    s!(0xc0b5, "TLS_SHA384_SHA384", None, K::Any, A::Any, C::Null, M::Sha384, true, 4, S::Insecure),
    s!(0xc100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", None, K::Gost, A::Gost, C::Other, M::Other, false, 3, S::Weak),
    s!(0xc101, "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC", None, K::Gost, A::Gost, C::Other, M::Other, false, 3, S::Weak),
    s!(0xc102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT", None, K::Gost, A::Gost, C::Other, M::Other, false, 3, S::Weak),
    s!(0xc103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0xc104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0xc105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0xc106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S", None, K::Any, A::Any, C::Other, M::Other, true, 4, S::Strong),
    s!(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", Some("ECDHE-RSA-CHACHA20-POLY1305"), K::Ecdhe, A::Rsa, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Strong),
    s!(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", Some("ECDHE-ECDSA-CHACHA20-POLY1305"), K::Ecdhe, A::Ecdsa, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Strong),
    s!(0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", Some("DHE-RSA-CHACHA20-POLY1305"), K::Dhe, A::Rsa, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Strong),
    s!(0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", Some("PSK-CHACHA20-POLY1305"), K::Psk, A::Psk, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Weak),
    s!(0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", Some("ECDHE-PSK-CHACHA20-POLY1305"), K::EcdhePsk, A::Psk, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Strong),
    s!(0xccad, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256", Some("DHE-PSK-CHACHA20-POLY1305"), K::DhePsk, A::Psk, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Strong),
    s!(0xccae, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", Some("RSA-PSK-CHACHA20-POLY1305"), K::RsaPsk, A::Rsa, C::ChaCha20Poly1305, M::Sha256, false, 3, S::Weak),
    s!(0xd001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", None, K::EcdhePsk, A::Psk, C::Aes128Gcm, M::Sha256, false, 3, S::Strong),
    s!(0xd002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", None, K::EcdhePsk, A::Psk, C::Aes256Gcm, M::Sha384, false, 3, S::Strong),
    s!(0xd003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", None, K::EcdhePsk, A::Psk, C::Aes128Ccm8, M::Sha256, false, 3, S::Weak),
    s!(0xd005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", None, K::EcdhePsk, A::Psk, C::Aes128Ccm, M::Sha256, false, 3, S::Strong),
];

impl SuiteInfo {
    /// Whether the key exchange is ephemeral, i.e. the suite gives forward secrecy
    /// (TLS 1.3, (EC)DHE, (EC)DHE_PSK, SRP, ECCPWD; anonymous DH counts too).
    pub fn forward_secret(&self) -> bool {
        match self.kx {
            Kx::Any | Kx::Dhe | Kx::Ecdhe | Kx::DhePsk | Kx::EcdhePsk | Kx::Srp => true,
            Kx::Other => self.iana.starts_with("TLS_ECCPWD_"),
            _ => false,
        }
    }

    /// Whether the bulk cipher is an AEAD (GCM, CCM, ChaCha20-Poly1305, and the other
    /// TLS 1.3 AEADs: SM4, AEGIS, GOST MGM).
    pub fn is_aead(&self) -> bool {
        match self.cipher {
            Cipher::Aes128Gcm
            | Cipher::Aes256Gcm
            | Cipher::Aes128Ccm
            | Cipher::Aes256Ccm
            | Cipher::Aes128Ccm8
            | Cipher::Aes256Ccm8
            | Cipher::Camellia128Gcm
            | Cipher::Camellia256Gcm
            | Cipher::Aria128Gcm
            | Cipher::Aria256Gcm
            | Cipher::ChaCha20Poly1305 => true,
            Cipher::Other => self.tls13,
            _ => false,
        }
    }

    /// Whether the bulk cipher is a block cipher in CBC mode (MAC-then-encrypt).
    pub fn is_cbc(&self) -> bool {
        match self.cipher {
            Cipher::Rc2Cbc40
            | Cipher::IdeaCbc
            | Cipher::Des40Cbc
            | Cipher::DesCbc
            | Cipher::TripleDesCbc
            | Cipher::Aes128Cbc
            | Cipher::Aes256Cbc
            | Cipher::Camellia128Cbc
            | Cipher::Camellia256Cbc
            | Cipher::Aria128Cbc
            | Cipher::Aria256Cbc
            | Cipher::SeedCbc => true,
            Cipher::Other => self.iana.contains("_CBC_"),
            _ => false,
        }
    }

    /// Whether this is an export-grade suite (EXPORT or EXPORT1024).
    pub fn is_export(&self) -> bool {
        self.iana.contains("_EXPORT")
    }

    /// The code point as a [`CipherSuite`].
    pub fn suite(&self) -> CipherSuite {
        CipherSuite(self.id)
    }
}

/// Every suite usable in SSL 3.0 to TLS 1.2 (all but the TLS 1.3 ones), in code-point order.
pub fn all_tls12_and_below() -> impl Iterator<Item = &'static SuiteInfo> {
    SUITES.iter().filter(|s| !s.tls13)
}

/// The TLS 1.3 suites, in code-point order.
pub fn tls13_suites() -> impl Iterator<Item = &'static SuiteInfo> {
    SUITES.iter().filter(|s| s.tls13)
}

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

    /// Parses a user-given suite, case-insensitively: IANA name (also with the `SSL_` prefix
    /// some stacks use for the old suites), OpenSSL name, or hex (`0xc02f`, or OpenSSL's
    /// `0xC0,0x2F`).
    pub fn parse_user(s: &str) -> Option<CipherSuite> {
        let t = s.trim();
        if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            return parse_hex(h).map(CipherSuite);
        }
        if let Some(cs) = ["TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "TLS_FALLBACK_SCSV"]
            .iter()
            .position(|n| n.eq_ignore_ascii_case(t))
        {
            return Some([Self::EMPTY_RENEGOTIATION_INFO_SCSV, Self::FALLBACK_SCSV][cs]);
        }
        let find = |t: &str| {
            SUITES
                .iter()
                .find(|i| {
                    i.iana.eq_ignore_ascii_case(t)
                        || i.openssl.is_some_and(|o| o.eq_ignore_ascii_case(t))
                })
                .map(|i| CipherSuite(i.id))
        };
        find(t).or_else(|| {
            // `SSL_RSA_WITH_RC4_128_MD5` and friends (SSL 3.0 / Java spelling).
            let rest = t.get(..4)?.eq_ignore_ascii_case("SSL_").then(|| &t[4..])?;
            find(&format!("TLS_{rest}"))
        })
    }
}

/// Hex digits after `0x`: `c02f`, or the two-byte form `C0,0x2F`.
fn parse_hex(h: &str) -> Option<u16> {
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit());
    match h.split_once(',') {
        None => (digits(h) && h.len() <= 4)
            .then(|| u16::from_str_radix(h, 16).ok())
            .flatten(),
        Some((hi, lo)) => {
            let lo = lo.trim();
            let lo = lo
                .strip_prefix("0x")
                .or_else(|| lo.strip_prefix("0X"))
                .unwrap_or(lo);
            let (hi, lo) = (hi.trim(), lo);
            if !(digits(hi) && digits(lo) && hi.len() <= 2 && lo.len() <= 2) {
                return None;
            }
            let hi = u8::from_str_radix(hi, 16).ok()?;
            let lo = u8::from_str_radix(lo, 16).ok()?;
            Some(u16::from_be_bytes([hi, lo]))
        }
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
    use std::collections::HashSet;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in SUITES.windows(2) {
            assert!(w[0].id < w[1].id, "{:04x} before {:04x}", w[0].id, w[1].id);
        }
    }

    #[test]
    fn table_is_complete_enough() {
        assert!(SUITES.len() > 300, "only {} suites", SUITES.len());
        for id in [
            0x0000, 0x000a, 0x0017, 0x0026, 0x0060, 0x0066, 0x0096, 0x00c7, 0x1305, 0xc0b5, 0xc106,
            0xccae, 0xd005,
        ] {
            assert!(CipherSuite(id).info().is_some(), "{id:04x} missing");
        }
        // The signalling values are names, not suites.
        assert!(CipherSuite::EMPTY_RENEGOTIATION_INFO_SCSV.info().is_none());
        assert!(CipherSuite::FALLBACK_SCSV.info().is_none());
        assert!(SUITES
            .iter()
            .all(|s| !crate::wire::codepoints::is_grease_u16(s.id)));
    }

    #[test]
    fn names_are_well_formed_and_unique() {
        let mut iana = HashSet::new();
        let mut ossl = HashSet::new();
        for s in SUITES {
            assert!(
                s.iana.starts_with("TLS_") || s.iana.starts_with("SSL_"),
                "{}",
                s.iana
            );
            assert!(!s.iana.contains(char::is_whitespace), "{}", s.iana);
            assert!(
                iana.insert(s.iana.to_ascii_uppercase()),
                "duplicate IANA name {}",
                s.iana
            );
            if let Some(o) = s.openssl {
                assert!(!o.is_empty() && !o.contains(char::is_whitespace), "{o}");
                assert!(
                    ossl.insert(o.to_ascii_uppercase()),
                    "duplicate OpenSSL name {o}"
                );
            }
        }
        // An OpenSSL name may equal its own IANA name (TLS 1.3) but never another suite's.
        for s in SUITES {
            if let Some(o) = s.openssl {
                let up = o.to_ascii_uppercase();
                assert!(
                    up == s.iana.to_ascii_uppercase() || !iana.contains(&up),
                    "{o}"
                );
            }
        }
    }

    #[test]
    fn fields_agree_with_names() {
        for s in SUITES {
            let n = s.iana;
            assert_eq!(s.tls13, s.min_minor == 4, "{n}");
            assert_eq!(s.tls13, s.kx == Kx::Any, "{n}");
            assert_eq!(s.is_export(), n.contains("EXPORT"), "{n}");
            assert!(!(s.is_aead() && s.is_cbc()), "{n}");
            if n.contains("_GCM") || n.contains("_CCM") || n.contains("CHACHA20") {
                assert!(s.is_aead(), "{n}");
            }
            if n.contains("_CBC") {
                assert!(s.is_cbc(), "{n}");
            }
            if n.contains("_anon_") {
                assert_eq!(s.auth, Auth::Anon, "{n}");
            }
            if n.ends_with("_SHA256") && !n.contains("CCM_8_SHA256") && !n.contains("CCM_SHA256") {
                assert_eq!(s.mac, Mac::Sha256, "{n}");
            }
            if n.ends_with("_SHA384") {
                assert_eq!(s.mac, Mac::Sha384, "{n}");
            }
            if n.ends_with("_SHA") {
                assert_eq!(s.mac, Mac::Sha1, "{n}");
            }
            if n.ends_with("_MD5") {
                assert_eq!(s.mac, Mac::Md5, "{n}");
            }
            if s.mac == Mac::Sha256 || s.mac == Mac::Sha384 || s.is_aead() {
                assert!(s.min_minor >= 1, "{n}");
            }
            // Strength rules.
            let insecure = s.cipher == Cipher::Null
                || s.auth == Auth::Anon
                || s.is_export()
                || n.contains("RC4")
                || n.contains("RC2")
                || matches!(s.cipher, Cipher::DesCbc | Cipher::Des40Cbc)
                || s.kx == Kx::Null
                // SSL 3.0 FORTEZZA: 80-bit Skipjack or no cipher at all.
                || n.contains("FORTEZZA");
            let weak = !s.forward_secret()
                || !s.is_aead()
                || matches!(s.cipher, Cipher::Aes128Ccm8 | Cipher::Aes256Ccm8);
            let want = if insecure {
                Strength::Insecure
            } else if weak {
                Strength::Weak
            } else {
                Strength::Strong
            };
            assert_eq!(s.strength, want, "{n}");
        }
        let strong = |id: u16| CipherSuite(id).info().unwrap().strength;
        assert_eq!(strong(0xc02f), Strength::Strong);
        assert_eq!(strong(0x009c), Strength::Weak);
        assert_eq!(strong(0xc013), Strength::Weak);
        assert_eq!(strong(0x000a), Strength::Weak);
        assert_eq!(strong(0x0005), Strength::Insecure);
        assert_eq!(strong(0x0003), Strength::Insecure);
        assert_eq!(strong(0x00a6), Strength::Insecure);
        assert_eq!(strong(0x1301), Strength::Strong);
    }

    #[test]
    fn version_helpers() {
        let t13: Vec<u16> = tls13_suites().map(|s| s.id).collect();
        for id in [0x1301, 0x1302, 0x1303, 0x1304, 0x1305] {
            assert!(t13.contains(&id));
        }
        assert!(all_tls12_and_below().all(|s| !s.tls13 && s.min_minor <= 3));
        assert_eq!(
            tls13_suites().count() + all_tls12_and_below().count(),
            SUITES.len()
        );
        assert!(all_tls12_and_below().any(|s| s.min_minor == 0));
        let aes_cbc = CipherSuite(0x002f).info().unwrap();
        assert_eq!(aes_cbc.min_minor, 1);
        assert!(!aes_cbc.forward_secret() && aes_cbc.is_cbc() && !aes_cbc.is_aead());
        assert_eq!(CipherSuite(0xc02b).info().unwrap().min_minor, 3);
        assert_eq!(CipherSuite(0x0004).info().unwrap().min_minor, 0);
    }

    #[test]
    fn parse_names() {
        let want = Some(CipherSuite(0xc02f));
        for s in [
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "tls_ecdhe_rsa_with_aes_128_gcm_sha256",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ecdhe-rsa-aes128-gcm-sha256",
            "0xc02f",
            "0XC02F",
            " 0xC02f ",
            "0xC0,0x2F",
            "0xc0,0x2f",
        ] {
            assert_eq!(CipherSuite::parse_user(s), want, "{s}");
        }
        assert_eq!(CipherSuite::parse_user("nonsense"), None);
        assert_eq!(CipherSuite::parse_user("0x"), None);
        assert_eq!(CipherSuite::parse_user("0x12345"), None);
        assert_eq!(CipherSuite::parse_user("0x+c02"), None);
        assert_eq!(
            CipherSuite::parse_user("SSL_RSA_WITH_RC4_128_MD5"),
            Some(CipherSuite(0x0004))
        );
        assert_eq!(
            CipherSuite::parse_user("ssl_fortezza_kea_with_null_sha"),
            Some(CipherSuite(0x001c))
        );
        assert_eq!(
            CipherSuite::parse_user("tls_aes_128_gcm_sha256"),
            Some(CipherSuite(0x1301))
        );
        assert_eq!(
            CipherSuite::parse_user("tls_fallback_scsv"),
            Some(CipherSuite::FALLBACK_SCSV)
        );
        // Every name in the table round-trips, whatever its case.
        for s in SUITES {
            let cs = Some(CipherSuite(s.id));
            assert_eq!(CipherSuite::parse_user(s.iana), cs);
            assert_eq!(CipherSuite::parse_user(&s.iana.to_ascii_lowercase()), cs);
            assert_eq!(CipherSuite::parse_user(&format!("0x{:04X}", s.id)), cs);
            if let Some(o) = s.openssl {
                assert_eq!(CipherSuite::parse_user(o), cs, "{o}");
                assert_eq!(CipherSuite::parse_user(&o.to_ascii_lowercase()), cs, "{o}");
            }
            assert_eq!(CipherSuite(s.id).name(), Some(s.iana));
        }
    }

    /// Checks the table against the local `openssl ciphers` listing: every suite OpenSSL knows
    /// must be here with the same IANA and OpenSSL names and a compatible kx/auth/AEAD-ness.
    #[test]
    fn matches_local_openssl() {
        let out = match std::process::Command::new("openssl")
            .args([
                "ciphers",
                "-V",
                "-stdname",
                "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
            ])
            .output()
        {
            Ok(o) if o.status.success() => o,
            Ok(o) => {
                eprintln!(
                    "skipping: openssl ciphers failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                return;
            }
            Err(e) => {
                eprintln!("skipping: openssl not available ({e})");
                return;
            }
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let mut seen = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            // `0xC0,0x2F - IANA_NAME - OPENSSL-NAME TLSv1.2 Kx=.. Au=.. Enc=.. Mac=..`
            let f: Vec<&str> = line.split_whitespace().collect();
            assert!(
                f.len() >= 9 && f[1] == "-" && f[3] == "-",
                "unexpected line: {line}"
            );
            let id = parse_hex(f[0].trim_start_matches("0x")).unwrap_or_else(|| panic!("{line}"));
            let info = CipherSuite(id)
                .info()
                .unwrap_or_else(|| panic!("0x{id:04x} {} missing from SUITES", f[2]));
            assert_eq!(info.iana, f[2], "IANA name of 0x{id:04x}");
            assert_eq!(info.openssl, Some(f[4]), "OpenSSL name of 0x{id:04x}");
            let field = |k: &str| {
                f.iter()
                    .find_map(|x| x.strip_prefix(k))
                    .unwrap_or_else(|| panic!("no {k} in {line}"))
            };
            assert_eq!(info.tls13, f[5] == "TLSv1.3", "{line}");
            let kx_ok = match field("Kx=") {
                "any" => info.kx == Kx::Any,
                "RSA" => info.kx == Kx::Rsa,
                "DH" => matches!(info.kx, Kx::Dh | Kx::Dhe),
                "ECDH" => matches!(info.kx, Kx::Ecdh | Kx::Ecdhe),
                "PSK" => info.kx == Kx::Psk,
                "DHEPSK" => info.kx == Kx::DhePsk,
                "ECDHEPSK" => info.kx == Kx::EcdhePsk,
                "RSAPSK" => info.kx == Kx::RsaPsk,
                "SRP" => info.kx == Kx::Srp,
                _ => true,
            };
            assert!(kx_ok, "kx of {line}: {:?}", info.kx);
            let au_ok = match field("Au=") {
                "any" => info.auth == Auth::Any,
                "RSA" => info.auth == Auth::Rsa,
                "DSS" => info.auth == Auth::Dss,
                "ECDSA" => info.auth == Auth::Ecdsa,
                "None" => info.auth == Auth::Anon,
                "PSK" => info.auth == Auth::Psk,
                _ => true,
            };
            assert!(au_ok, "auth of {line}: {:?}", info.auth);
            assert_eq!(field("Mac=") == "AEAD", info.is_aead(), "{line}");
            assert_eq!(
                field("Enc=") == "None",
                info.cipher == Cipher::Null,
                "{line}"
            );
            seen += 1;
        }
        assert!(seen > 50, "openssl listed only {seen} suites");
    }
}
