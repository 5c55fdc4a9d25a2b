//! Certificate summaries for display: names, validity, keys, extensions and fingerprints (x509-parser).

use super::error::PkiError;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::net::{Ipv4Addr, Ipv6Addr};
use x509_parser::prelude::*;

/// What a certificate says about itself, ready for display or JSON.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CertSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub not_before_unix: i64,
    pub not_after_unix: i64,
    pub days_left: i64,
    pub expired: bool,
    pub not_yet_valid: bool,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    pub key: String,
    pub key_bits: u32,
    pub signature_algorithm: String,
    pub key_usage: Vec<String>,
    pub extended_key_usage: Vec<String>,
    pub is_ca: Option<bool>,
    pub path_len: Option<u32>,
    pub self_signed: bool,
    pub sha256: String,
    pub spki_sha256_base64: String,
    #[serde(skip)]
    pub spki_der: Vec<u8>,
}

/// Parse and summarize one DER certificate; times are judged relative to `now_unix`.
pub fn summarize(der: &[u8], now_unix: i64) -> Result<CertSummary, PkiError> {
    let cert = parse(der)?;
    let not_before_unix = cert.validity().not_before.timestamp();
    let not_after_unix = cert.validity().not_after.timestamp();
    let (dns_names, ip_addresses) = san_names(&cert);
    let (key, key_bits) = key_description(cert.public_key());
    let spki_der = cert.public_key().raw.to_vec();
    let bc = cert.basic_constraints().ok().flatten().map(|e| e.value);
    Ok(CertSummary {
        subject: name_to_string(cert.subject()),
        issuer: name_to_string(cert.issuer()),
        serial: hex_colons(cert.raw_serial(), false),
        not_before: format_unix(not_before_unix),
        not_after: format_unix(not_after_unix),
        not_before_unix,
        not_after_unix,
        days_left: not_after_unix.saturating_sub(now_unix).div_euclid(86_400),
        expired: now_unix > not_after_unix,
        not_yet_valid: now_unix < not_before_unix,
        dns_names,
        ip_addresses,
        key,
        key_bits,
        signature_algorithm: signature_algorithm_name(&cert.signature_algorithm.algorithm),
        key_usage: key_usage_names(&cert),
        extended_key_usage: eku_names(&cert),
        is_ca: bc.map(|b| b.ca),
        path_len: bc.and_then(|b| b.path_len_constraint),
        self_signed: is_self_signed(&cert, der),
        sha256: sha256_fingerprint(der),
        spki_sha256_base64: base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(&spki_der)),
        spki_der,
    })
}

/// SHA-256 fingerprint of the DER bytes: lowercase hex without colons, the one form every
/// output uses (JSON and human, connect, listen and scan alike).
pub fn sha256_fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

/// Format a Unix time as RFC 3339 UTC, "2026-01-31T12:00:00Z", the one form every output
/// uses (proleptic Gregorian, never panics).
pub fn format_unix(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe
        .saturating_add(era.saturating_mul(400))
        .saturating_add(i64::from(m <= 2));
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Parse a DER certificate with x509-parser, rejecting trailing bytes.
pub(crate) fn parse(der: &[u8]) -> Result<X509Certificate<'_>, PkiError> {
    match X509Certificate::from_der(der) {
        Ok(([], cert)) => Ok(cert),
        Ok((rest, _)) => Err(PkiError::TrailingBytes(rest.len())),
        Err(e) => Err(PkiError::NotX509(e.to_string())),
    }
}

/// One-line distinguished name, e.g. "CN=localhost, O=Example"; "(empty)" when there is none.
pub(crate) fn name_to_string(name: &X509Name<'_>) -> String {
    let s = name.to_string();
    if s.is_empty() {
        "(empty)".to_string()
    } else {
        s
    }
}

/// Display a DER-encoded Name given as its contents (without the outer SEQUENCE header), as webpki stores it.
pub(crate) fn name_contents_to_string(contents: &[u8]) -> String {
    let mut der = Vec::with_capacity(contents.len() + 6);
    der.push(0x30);
    let len = contents.len();
    if len < 0x80 {
        der.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        der.push(0x80 | (8 - skip) as u8);
        der.extend_from_slice(&bytes[skip..]);
    }
    der.extend_from_slice(contents);
    match X509Name::from_der(&der) {
        Ok((_, name)) => name_to_string(&name),
        Err(_) => format!("(unparsable name {})", hex::encode(contents)),
    }
}

/// The contents of a DER TLV (value without tag and length); the input itself when it is not well formed.
pub(crate) fn der_contents(tlv: &[u8]) -> &[u8] {
    let Some(&first_len) = tlv.get(1) else {
        return tlv;
    };
    let (hdr, len) = if first_len < 0x80 {
        (2usize, first_len as usize)
    } else {
        let n = (first_len & 0x7f) as usize;
        if n == 0 || n > 4 || tlv.len() < 2 + n {
            return tlv;
        }
        let len = tlv[2..2 + n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (2 + n, len)
    };
    tlv.get(hdr..hdr.saturating_add(len)).unwrap_or(tlv)
}

fn hex_colons(bytes: &[u8], upper: bool) -> String {
    bytes
        .iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect::<Vec<_>>()
        .join(":")
}

pub(crate) fn ip_to_string(bytes: &[u8]) -> String {
    if let Ok(a) = <[u8; 4]>::try_from(bytes) {
        Ipv4Addr::from(a).to_string()
    } else if let Ok(a) = <[u8; 16]>::try_from(bytes) {
        Ipv6Addr::from(a).to_string()
    } else {
        format!("(invalid IP {})", hex::encode(bytes))
    }
}

/// DNS names and IP addresses from the subjectAltName extension.
pub(crate) fn san_names(cert: &X509Certificate<'_>) -> (Vec<String>, Vec<String>) {
    let mut dns = Vec::new();
    let mut ips = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for gn in &san.value.general_names {
            match gn {
                GeneralName::DNSName(n) => dns.push((*n).to_string()),
                GeneralName::IPAddress(b) => ips.push(ip_to_string(b)),
                _ => {}
            }
        }
    }
    (dns, ips)
}

fn key_description(spki: &SubjectPublicKeyInfo<'_>) -> (String, u32) {
    let oid = spki.algorithm.algorithm.to_id_string();
    match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let bits = match spki.parsed() {
                Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => modulus_bits(rsa.modulus),
                // x509-parser leaves id-RSASSA-PSS keys unparsed: the key is an
                // RSAPublicKey all the same (RFC 4055 §1.2).
                _ => crate::crypto::sign::rsa_public_key(spki.raw)
                    .map(|k| rsa::traits::PublicKeyParts::n(&k).bits() as u32)
                    .unwrap_or(0),
            };
            let name = if oid.ends_with(".10") {
                "RSA-PSS"
            } else {
                "RSA"
            };
            (format!("{name} {bits}"), bits)
        }
        "1.2.840.10045.2.1" => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                .unwrap_or_default();
            let (name, bits) = match curve.as_str() {
                "1.2.840.10045.3.1.7" => ("P-256".to_string(), 256),
                "1.3.132.0.34" => ("P-384".to_string(), 384),
                "1.3.132.0.35" => ("P-521".to_string(), 521),
                "1.3.132.0.10" => ("secp256k1".to_string(), 256),
                "" => ("(no curve)".to_string(), 0),
                other => (format!("curve {other}"), 0),
            };
            (format!("EC {name}"), bits)
        }
        "1.3.101.112" => ("Ed25519".to_string(), 256),
        "1.3.101.113" => ("Ed448".to_string(), 456),
        "1.2.840.10040.4.1" => {
            let bits = spki.parsed().map(|k| k.key_size() as u32).unwrap_or(0);
            (format!("DSA {bits}"), bits)
        }
        other => (format!("unknown ({other})"), 0),
    }
}

/// The size in bits of a big-endian modulus (leading zero bytes skipped).
fn modulus_bits(m: &[u8]) -> u32 {
    let skip = m.iter().take_while(|b| **b == 0).count();
    let m = &m[skip..];
    match m.first() {
        Some(first) => (m.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
        None => 0,
    }
}

/// OpenSSL-style name of a signature algorithm OID.
pub(crate) fn signature_algorithm_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    let id = oid.to_id_string();
    let name = match id.as_str() {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.14" => "sha224WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.1" => "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "2.16.840.1.101.3.4.3.2" => "dsa_with_SHA256",
        _ => return format!("unknown ({id})"),
    };
    name.to_string()
}

fn key_usage_names(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(ku)) = cert.key_usage() else {
        return Vec::new();
    };
    let ku = ku.value;
    [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ]
    .iter()
    .filter(|(set, _)| *set)
    .map(|(_, n)| n.to_string())
    .collect()
}

fn eku_names(cert: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(eku)) = cert.extended_key_usage() else {
        return Vec::new();
    };
    let e = eku.value;
    let mut out: Vec<String> = [
        (e.server_auth, "serverAuth"),
        (e.client_auth, "clientAuth"),
        (e.code_signing, "codeSigning"),
        (e.email_protection, "emailProtection"),
        (e.time_stamping, "timeStamping"),
        (e.ocsp_signing, "OCSPSigning"),
        (e.any, "anyExtendedKeyUsage"),
    ]
    .iter()
    .filter(|(set, _)| *set)
    .map(|(_, n)| n.to_string())
    .collect();
    out.extend(e.other.iter().map(|o| o.to_id_string()));
    out
}

/// Subject equals issuer and the signature verifies with the certificate's own key
/// (just subject equals issuer when the algorithm cannot be checked).
pub(crate) fn is_self_signed(cert: &X509Certificate<'_>, der: &[u8]) -> bool {
    if cert.subject().as_raw() != cert.issuer().as_raw() {
        return false;
    }
    self_signature_verifies(cert, der).unwrap_or(true)
}

/// Whether the certificate's signature verifies with its own public key: None when unsupported.
/// `der` is the certificate's full DER encoding (x509-parser's `as_ref()` is only the TBS part).
pub(crate) fn self_signature_verifies(cert: &X509Certificate<'_>, der: &[u8]) -> Option<bool> {
    use webpki::ring as alg;
    let candidates: &[&dyn rustls_pki_types::SignatureVerificationAlgorithm] =
        match cert.signature_algorithm.algorithm.to_id_string().as_str() {
            "1.2.840.10045.4.3.2" => &[alg::ECDSA_P256_SHA256, alg::ECDSA_P384_SHA256],
            "1.2.840.10045.4.3.3" => &[alg::ECDSA_P256_SHA384, alg::ECDSA_P384_SHA384],
            "1.3.101.112" => &[alg::ED25519],
            "1.2.840.113549.1.1.11" => &[alg::RSA_PKCS1_2048_8192_SHA256],
            "1.2.840.113549.1.1.12" => &[alg::RSA_PKCS1_2048_8192_SHA384],
            "1.2.840.113549.1.1.13" => &[alg::RSA_PKCS1_2048_8192_SHA512],
            _ => return None,
        };
    let der = rustls_pki_types::CertificateDer::from(der);
    let ee = webpki::EndEntityCert::try_from(&der).ok()?;
    let tbs = cert.tbs_certificate.as_ref();
    let sig = cert.signature_value.data.as_ref();
    let mut result = None;
    for a in candidates {
        match ee.verify_signature(*a, tbs, sig) {
            Ok(()) => return Some(true),
            Err(webpki::Error::InvalidSignatureForPublicKey) => result = Some(false),
            Err(_) => {}
        }
    }
    result
}

/// A DER distinguished name (as in a CertificateRequest's certificate_authorities) as text.
pub fn dn_to_string(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::x509::X509Name::from_der(der)
        .map(|(_, n)| name_to_string(&n))
        .unwrap_or_else(|_| format!("(unparsable name, {} bytes)", der.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };

    /// `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=rsa.test -days 36500`
    const RSA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIDCTCCAfGgAwIBAgIUB/wyyPfHwxEbT0Gu4l71PCNPNpcwDQYJKoZIhvcNAQEL
BQAwEzERMA8GA1UEAwwIcnNhLnRlc3QwIBcNMjYxMTI3MDMyMDA0WhgPMjEyNjEx
MDMwMzIwMDRaMBMxETAPBgNVBAMMCHJzYS50ZXN0MIIBIjANBgkqhkiG9w0BAQEF
AAOCAQ8AMIIBCgKCAQEA2edvMprune7aO/9igo9sv/LwdNGsGrOYrshY9g/wq6oH
pPFlRFYu6+fgcuEimX9IEavEKE6YqIOsXuPXjaJkpRQtAbpiylfsHRlX/8rvapwt
wteVt6R0cnM3WKDHX+3Jo88chufB7cuSshFjx9eKBfG6kXMKBN8lUM9D7mzUhdxd
NWAPrE0AswOc406j1lEehIK13pCdxuSqelo9Xr/JxBE+hW6o8FaZ0xvKMWkiYnnW
v3anlEi/5KxiJcNDKzvlnrdn77tmQCS5Zd4hZL506wm3yAQiIbbfyNSEAYWHDm1L
30+lvtAiMQvHJP5jFa4cAGsX0I78mEuhUCGZ0VhbIQIDAQABo1MwUTAdBgNVHQ4E
FgQUuWe+L3PJ1QqVCt86EhvGFuyC/s4wHwYDVR0jBBgwFoAUuWe+L3PJ1QqVCt86
EhvGFuyC/s4wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAPepw
+xnoNLCWHhvlE26xj2C2epiA1HtJYq4EPNH+4/aAzihRPU4Nl3qs+EgF6rrrvI+y
7sw9rMnVen2Fa+hTacj/OH5oIweJW6Hg3zAcFYgMfYMwfLOWFssWvUAmuwK2LFaL
iffNrNUNHBMLziGGZMDSXBJhfx9/QgdPMn1LwBYfdSfxPOGI40vHeJHWod/Negyz
ZQ/hZtNz47NcMPs+6kK67Q0ggyY1m+gNyaH0xCGMBWvBbu1chsbIiZqfjVajj/wa
XlWM2OUsZpdU41yNObdcSjN3UIi6M/lV1/fM6DqR5UgImFRLIyfql5lQmEkakkaC
yUjfaRBTB9pm2P2/hg==
-----END CERTIFICATE-----
";

    fn rsa_der() -> Vec<u8> {
        crate::pki::pem::parse_cert_chain_pem(RSA_PEM)
            .unwrap()
            .remove(0)
    }

    fn rcgen_cert(alg: &'static rcgen::SignatureAlgorithm) -> Vec<u8> {
        let key = KeyPair::generate_for(alg).unwrap();
        let mut p =
            CertificateParams::new(vec!["example.test".to_string(), "192.0.2.7".to_string()])
                .unwrap();
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name
            .push(DnType::CommonName, "example.test");
        p.distinguished_name
            .push(DnType::OrganizationName, "Example");
        p.not_before = rcgen::date_time_ymd(2026, 1, 31);
        p.not_after = rcgen::date_time_ymd(2027, 1, 31);
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        p.self_signed(&key).unwrap().der().to_vec()
    }

    // 2026-06-01 00:00:00 UTC
    const JUNE_2026: i64 = 1_780_272_000;

    #[test]
    fn rsa_summary() {
        let der = rsa_der();
        let s = summarize(&der, JUNE_2026).unwrap();
        assert_eq!(s.subject, "CN=rsa.test");
        assert_eq!(s.issuer, "CN=rsa.test");
        assert_eq!(s.key, "RSA 2048");
        assert_eq!(s.key_bits, 2048);
        assert_eq!(s.signature_algorithm, "sha256WithRSAEncryption");
        assert_eq!(s.is_ca, Some(true));
        assert!(s.self_signed);
        assert_eq!(s.not_before, "2026-11-27T03:20:04Z");
        assert_eq!(s.not_after, "2126-11-03T03:20:04Z");
        assert!(s.not_yet_valid);
        assert!(!s.expired);
        assert_eq!(
            s.serial,
            "07:fc:32:c8:f7:c7:c3:11:1b:4f:41:ae:e2:5e:f5:3c:23:4f:36:97"
        );
        assert_eq!(s.sha256.len(), 64);
        assert_eq!(s.sha256, s.sha256.to_lowercase());
        assert_eq!(s.spki_sha256_base64.len(), 44);
        assert!(s.spki_der.starts_with(&[0x30]));
    }

    #[test]
    fn p256_summary() {
        let der = rcgen_cert(&rcgen::PKCS_ECDSA_P256_SHA256);
        let s = summarize(&der, JUNE_2026).unwrap();
        assert_eq!(s.subject, "CN=example.test, O=Example");
        assert_eq!(s.key, "EC P-256");
        assert_eq!(s.key_bits, 256);
        assert_eq!(s.signature_algorithm, "ecdsa-with-SHA256");
        assert_eq!(s.dns_names, vec!["example.test"]);
        assert_eq!(s.ip_addresses, vec!["192.0.2.7"]);
        assert_eq!(s.key_usage, vec!["digitalSignature"]);
        assert_eq!(s.extended_key_usage, vec!["serverAuth"]);
        assert_eq!(s.not_before, "2026-01-31T00:00:00Z");
        assert_eq!(s.not_after, "2027-01-31T00:00:00Z");
        assert_eq!(s.days_left, 244);
        assert!(!s.expired && !s.not_yet_valid);
        assert!(s.self_signed);
        assert_eq!(s.is_ca, None);
        let later = summarize(&der, JUNE_2026 + 400 * 86_400).unwrap();
        assert!(later.expired);
        assert!(later.days_left < 0);
    }

    #[test]
    fn p384_summary() {
        let der = rcgen_cert(&rcgen::PKCS_ECDSA_P384_SHA384);
        let s = summarize(&der, JUNE_2026).unwrap();
        assert_eq!(s.key, "EC P-384");
        assert_eq!(s.key_bits, 384);
        assert_eq!(s.signature_algorithm, "ecdsa-with-SHA384");
        assert!(s.self_signed);
    }

    #[test]
    fn ed25519_summary() {
        let der = rcgen_cert(&rcgen::PKCS_ED25519);
        let s = summarize(&der, JUNE_2026).unwrap();
        assert_eq!(s.key, "Ed25519");
        assert_eq!(s.signature_algorithm, "ED25519");
        assert!(s.self_signed);
    }

    #[test]
    fn issued_cert_is_not_self_signed_and_ca_fields() {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(vec![]).unwrap();
        ca.distinguished_name.push(DnType::CommonName, "Test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(1));
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["a.test".to_string()])
            .unwrap()
            .signed_by(&leaf_key, &ca_cert, &ca_key)
            .unwrap();
        let s = summarize(leaf.der(), JUNE_2026).unwrap();
        assert!(!s.self_signed);
        assert_eq!(s.issuer, "CN=Test CA");
        let c = summarize(ca_cert.der(), JUNE_2026).unwrap();
        assert_eq!(c.is_ca, Some(true));
        assert_eq!(c.path_len, Some(1));
        assert!(c.self_signed);
    }

    #[test]
    fn same_name_different_key_is_not_self_signed() {
        let mk = || {
            let key = KeyPair::generate().unwrap();
            let mut p = CertificateParams::new(vec![]).unwrap();
            p.distinguished_name.push(DnType::CommonName, "Twin");
            (p.self_signed(&key).unwrap(), key)
        };
        let (a, a_key) = mk();
        let (b, _) = mk();
        let mut p = CertificateParams::new(vec![]).unwrap();
        p.distinguished_name.push(DnType::CommonName, "Twin");
        // Issued by `a` with subject == issuer, but we check it standalone against a different twin.
        let issued = p
            .signed_by(&KeyPair::generate().unwrap(), &a, &a_key)
            .unwrap();
        let s = summarize(issued.der(), JUNE_2026).unwrap();
        assert!(!s.self_signed);
        assert!(summarize(b.der(), JUNE_2026).unwrap().self_signed);
    }

    #[test]
    fn garbage_and_truncated_der_never_panic() {
        assert!(summarize(&[], 0).is_err());
        assert!(summarize(b"hello", 0).is_err());
        assert!(summarize(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], 0).is_err());
        for der in [rsa_der(), rcgen_cert(&rcgen::PKCS_ED25519)] {
            for len in 0..der.len() {
                assert!(summarize(&der[..len], 0).is_err(), "truncated at {len}");
            }
            let mut trailing = der.clone();
            trailing.push(0);
            assert!(summarize(&trailing, 0).is_err());
            // Flip each byte: must not panic (result may be Ok or Err).
            for i in 0..der.len() {
                let mut d = der.clone();
                d[i] ^= 0xff;
                let _ = summarize(&d, i64::MAX);
                let _ = summarize(&d, i64::MIN);
            }
        }
    }

    #[test]
    fn fingerprint_format() {
        assert_eq!(
            sha256_fingerprint(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn unix_formatting() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(1_769_860_800), "2026-01-31T12:00:00Z");
        assert_eq!(format_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_unix(-1), "1969-12-31T23:59:59Z");
        let _ = format_unix(i64::MAX);
        let _ = format_unix(i64::MIN);
    }

    #[test]
    fn der_helpers() {
        assert_eq!(der_contents(&[0x30, 0x02, 0xaa, 0xbb]), &[0xaa, 0xbb]);
        assert_eq!(der_contents(&[0x30, 0x81, 0x01, 0xaa]), &[0xaa]);
        assert_eq!(der_contents(&[0x30]), &[0x30]);
        assert_eq!(der_contents(&[0x30, 0x05, 0x01]), &[0x30, 0x05, 0x01]);
        let der = rsa_der();
        let cert = parse(&der).unwrap();
        let contents = der_contents(cert.subject().as_raw());
        assert_eq!(name_contents_to_string(contents), "CN=rsa.test");
        let _ = name_contents_to_string(&[0xff]);
        let _ = name_contents_to_string(&[0x31, 0x84, 0xff]);
    }
}
