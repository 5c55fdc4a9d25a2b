//! Self-signed certificates for test servers (rcgen): ECDSA P-256 or RSA 2048, short-lived, localhost-friendly SANs.

use super::error::PkiError;

fn keygen(what: &'static str, e: impl std::fmt::Display) -> PkiError {
    PkiError::KeyGeneration {
        what,
        detail: e.to_string(),
    }
}

/// A certificate and its private key.
pub struct SelfSigned {
    pub cert_der: Vec<u8>,
    pub key_pkcs8_pem: String,
}

/// The key of a self-signed certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    EcdsaP256,
    Rsa2048,
}

/// A fresh ECDSA P-256 self-signed certificate for `name` with SANs DNS:name (or IP if name is an IP), IP:127.0.0.1 and IP:::1, CN=name, valid from 1 day ago to 90 days ahead, EKU serverAuth+clientAuth.
pub fn generate(name: &str) -> Result<SelfSigned, PkiError> {
    generate_with(name, KeyKind::EcdsaP256)
}

/// The key pair for `kind`: P-256 from rcgen; RSA from the rsa crate (rcgen cannot generate
/// RSA keys), handed to rcgen as PKCS#8 for signing with SHA-256.
fn key_pair(kind: KeyKind) -> Result<rcgen::KeyPair, PkiError> {
    match kind {
        KeyKind::EcdsaP256 => rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(|e| keygen("generate a P-256 key", e)),
        KeyKind::Rsa2048 => {
            use rsa::pkcs8::EncodePrivateKey;
            let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
                .map_err(|e| keygen("generate an RSA key", e))?;
            let der = key
                .to_pkcs8_der()
                .map_err(|e| keygen("encode the RSA key", e))?;
            let der = rustls_pki_types::PrivatePkcs8KeyDer::from(der.as_bytes().to_vec());
            rcgen::KeyPair::from_pkcs8_der_and_sign_algo(&der, &rcgen::PKCS_RSA_SHA256)
                .map_err(|e| keygen("use the RSA key", e))
        }
    }
}

/// Like [`generate`], with the key kind chosen.
pub fn generate_with(name: &str, kind: KeyKind) -> Result<SelfSigned, PkiError> {
    let name = name.trim();
    let name = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    if name.is_empty() {
        return Err(PkiError::EmptyName);
    }
    let mut sans = vec![name.to_string()];
    for extra in ["127.0.0.1", "::1"] {
        let same = match (
            name.parse::<std::net::IpAddr>(),
            extra.parse::<std::net::IpAddr>(),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !same {
            sans.push(extra.to_string());
        }
    }
    let mut params = rcgen::CertificateParams::new(sans).map_err(|e| PkiError::BadName {
        name: name.to_string(),
        detail: e.to_string(),
    })?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    let now = super::verify::now_unix().max(86_400) as u64;
    let epoch = rcgen::date_time_ymd(1970, 1, 1);
    params.not_before = epoch + std::time::Duration::from_secs(now - 86_400);
    params.not_after = epoch + std::time::Duration::from_secs(now + 90 * 86_400);
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let mut serial = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut serial);
    serial[0] &= 0x7f;
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let key = key_pair(kind)?;
    let cert = params
        .self_signed(&key)
        .map_err(|e| PkiError::Signing(e.to_string()))?;
    Ok(SelfSigned {
        cert_der: cert.der().to_vec(),
        key_pkcs8_pem: key.serialize_pem(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::summary::summarize;
    use crate::pki::verify::now_unix;

    #[test]
    fn dns_name_cert() {
        let ss = generate("localhost").unwrap();
        let s = summarize(&ss.cert_der, now_unix()).unwrap();
        assert_eq!(s.subject, "CN=localhost");
        assert_eq!(s.dns_names, vec!["localhost"]);
        assert_eq!(s.ip_addresses, vec!["127.0.0.1", "::1"]);
        assert_eq!(s.key, "EC P-256");
        assert_eq!(s.extended_key_usage, vec!["serverAuth", "clientAuth"]);
        assert!(s.self_signed);
        assert!(!s.expired && !s.not_yet_valid);
        assert!((88..=90).contains(&s.days_left), "{}", s.days_left);
        assert!(ss.key_pkcs8_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(s.is_ca, Some(false));
    }

    #[test]
    fn ip_name_cert() {
        let ss = generate("192.0.2.1").unwrap();
        let s = summarize(&ss.cert_der, now_unix()).unwrap();
        assert!(s.dns_names.is_empty());
        assert_eq!(s.ip_addresses, vec!["192.0.2.1", "127.0.0.1", "::1"]);
        let s = summarize(&generate("::1").unwrap().cert_der, now_unix()).unwrap();
        assert_eq!(s.ip_addresses, vec!["::1", "127.0.0.1"]);
        let s = summarize(&generate("[::1]").unwrap().cert_der, now_unix()).unwrap();
        assert_eq!(s.subject, "CN=::1");
    }

    #[test]
    fn bad_names() {
        assert!(generate("").is_err());
        assert!(generate("bad\u{e9}name").is_err());
    }

    #[test]
    fn rsa_cert() {
        let ss = generate_with("localhost", KeyKind::Rsa2048).unwrap();
        let s = summarize(&ss.cert_der, now_unix()).unwrap();
        assert_eq!(s.key, "RSA 2048");
        assert!(s.self_signed);
        assert_eq!(s.dns_names, vec!["localhost"]);
        let key = crate::crypto::sign::SigningKey::from_pem(&ss.key_pkcs8_pem).unwrap();
        assert!(key.is_rsa());
    }
}
