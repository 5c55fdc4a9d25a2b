//! Certificate facts for the scan report (RFC 5280): subject, issuer, expiry, key type and
//! size, signature algorithm, names, and the SHA-256 fingerprint of the DER.

use sha2::{Digest, Sha256};
use x509_parser::prelude::*;

/// What the report says about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// Expiry as RFC 3339 UTC (`2031-01-01T00:00:00Z`).
    pub not_after: String,
    /// Expiry as Unix seconds.
    pub not_after_unix: i64,
    /// Start of validity as Unix seconds.
    pub not_before_unix: i64,
    /// `RSA 2048`, `EC P-256`, `Ed25519`, ...
    pub key: String,
    pub key_kind: KeyKind,
    pub key_bits: usize,
    /// Lower-case hex SHA-256 of the DER.
    pub sha256: String,
    /// The certificate's signature algorithm (name or OID).
    pub signature_algorithm: String,
    /// Signed with SHA-1 or MD5.
    pub weak_signature: bool,
    /// DNS names and IP addresses from subjectAltName, else the subject common names.
    pub names: Vec<String>,
    pub self_signed: bool,
}

/// The public key algorithm family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Other,
}

/// Parses a DER certificate; `None` when it is not one.
pub fn parse(der: &[u8]) -> Option<CertInfo> {
    let (_, c) = X509Certificate::from_der(der).ok()?;
    let sha256 = hex::encode(Sha256::digest(der));
    let spki = c.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    let (key_kind, key_bits, key) = match alg.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let bits = match spki.parsed() {
                Ok(x509_parser::public_key::PublicKey::RSA(k)) => k.key_size(),
                _ => 0,
            };
            (KeyKind::Rsa, bits, format!("RSA {bits}"))
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
                "1.2.840.10045.3.1.7" => ("P-256", 256),
                "1.3.132.0.34" => ("P-384", 384),
                "1.3.132.0.35" => ("P-521", 521),
                "1.3.132.0.10" => ("secp256k1", 256),
                "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
                "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
                "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
                _ => ("unknown curve", 0),
            };
            (KeyKind::Ec, bits, format!("EC {name}"))
        }
        "1.3.101.112" => (KeyKind::Ed25519, 256, "Ed25519".to_string()),
        "1.3.101.113" => (KeyKind::Ed448, 456, "Ed448".to_string()),
        "1.2.840.10040.4.1" => {
            let bits = spki.parsed().map(|k| k.key_size()).unwrap_or(0);
            (KeyKind::Dsa, bits, format!("DSA {bits}"))
        }
        other => (KeyKind::Other, 0, other.to_string()),
    };
    let sig_oid = c.signature_algorithm.algorithm.to_id_string();
    let (signature_algorithm, weak_signature) = match sig_oid.as_str() {
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption".to_string(), true),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption".to_string(), true),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1".to_string(), true),
        "1.2.840.10040.4.3" => ("dsa-with-sha1".to_string(), true),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption".to_string(), false),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption".to_string(), false),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption".to_string(), false),
        "1.2.840.113549.1.1.10" => ("rsassaPss".to_string(), false),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256".to_string(), false),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384".to_string(), false),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512".to_string(), false),
        "1.3.101.112" => ("Ed25519".to_string(), false),
        "1.3.101.113" => ("Ed448".to_string(), false),
        o => (o.to_string(), false),
    };
    let mut names = vec![];
    if let Ok(Some(san)) = c.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => names.push(d.to_ascii_lowercase()),
                GeneralName::IPAddress(b) => {
                    if let Ok(a) = <[u8; 4]>::try_from(*b) {
                        names.push(std::net::Ipv4Addr::from(a).to_string());
                    } else if let Ok(a) = <[u8; 16]>::try_from(*b) {
                        names.push(std::net::Ipv6Addr::from(a).to_string());
                    }
                }
                _ => {}
            }
        }
    }
    if names.is_empty() {
        names = c
            .subject()
            .iter_common_name()
            .filter_map(|a| a.as_str().ok())
            .map(|s| s.to_ascii_lowercase())
            .collect();
    }
    let not_after_unix = c.validity().not_after.timestamp();
    Some(CertInfo {
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        not_after: rfc3339(not_after_unix),
        not_after_unix,
        not_before_unix: c.validity().not_before.timestamp(),
        key,
        key_kind,
        key_bits,
        sha256,
        signature_algorithm,
        weak_signature,
        names,
        self_signed: c.subject() == c.issuer(),
    })
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, H. Hinnant's civil_from_days).
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Whether `host` matches one of `names` (RFC 6125 §6.4: exact, or a left-most `*.` label
/// wildcard covering exactly one label).
pub fn name_matches(names: &[String], host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    names.iter().any(|n| {
        let n = n.trim_end_matches('.');
        if n == host {
            return true;
        }
        match n.strip_prefix("*.") {
            Some(suffix) => host
                .split_once('.')
                .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix),
            None => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_924_991_999), "2030-12-31T23:59:59Z");
    }

    #[test]
    fn names() {
        let n = vec!["*.example.com".to_string(), "127.0.0.1".to_string()];
        assert!(name_matches(&n, "www.example.com"));
        assert!(!name_matches(&n, "a.b.example.com"));
        assert!(!name_matches(&n, "example.com"));
        assert!(name_matches(&n, "127.0.0.1"));
    }

    #[test]
    fn rcgen_certificate() {
        let ck = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let info = parse(ck.cert.der()).unwrap();
        assert_eq!(info.key, "EC P-256");
        assert_eq!(info.names, vec!["localhost".to_string()]);
        assert_eq!(info.sha256.len(), 64);
        assert!(parse(&[0x30, 3, 1, 2, 3]).is_none());
    }
}
