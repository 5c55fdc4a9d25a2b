//! Mozilla's server-side TLS guidelines (modern, intermediate, old): whether the scanned
//! server complies with each, and every deviation, as sslyze's `--mozilla_config` tells.

mod guidelines;
mod rules;

use super::{Narrow, TargetReport};
use crate::wire::codepoints::ProtocolVersion;

pub use guidelines::Guidelines;

/// One profile's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileResult {
    /// "modern", "intermediate" or "old".
    pub name: &'static str,
    /// No deviation among what the scan could check (`not_checked` lists the rest).
    pub compliant: bool,
    pub deviations: Vec<String>,
    /// The guideline rules the scan had nothing to compare with, and why.
    pub not_checked: Vec<String>,
}

/// The version of the embedded guidelines (e.g. 5.8).
pub fn guidelines_version() -> f64 {
    guidelines::get().version
}

/// The embedded guidelines.
pub fn guidelines() -> &'static Guidelines {
    guidelines::get()
}

/// Compares a finished report with each profile. `only` is what the user narrowed the scan
/// to (a rule over something not probed is not checked).
pub fn evaluate(rep: &TargetReport, only: &Narrow) -> Vec<ProfileResult> {
    guidelines::get()
        .profiles()
        .into_iter()
        .map(|(name, cfg)| {
            let mut out = rules::Outcome::default();
            rules::check(cfg, rep, only, &mut out);
            ProfileResult {
                name,
                compliant: out.deviations.is_empty(),
                deviations: out.deviations,
                not_checked: out.not_checked,
            }
        })
        .collect()
}

/// A guideline version name ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "SSLv3").
pub(crate) fn version(name: &str) -> Option<ProtocolVersion> {
    match name {
        "SSLv3" => Some(ProtocolVersion::SSL3),
        "TLSv1" => Some(ProtocolVersion::TLS10),
        "TLSv1.1" => Some(ProtocolVersion::TLS11),
        "TLSv1.2" => Some(ProtocolVersion::TLS12),
        "TLSv1.3" => Some(ProtocolVersion::TLS13),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::cert::{CertInfo, KeyKind};
    use crate::scan::http::{Hsts, HttpInfo};
    use crate::scan::ProtocolResult;
    use crate::wire::codepoints::NamedGroup;
    use crate::wire::suites::CipherSuite;

    fn cert(kind: KeyKind, key: &str, bits: usize, sig: &str, days: i64) -> CertInfo {
        CertInfo {
            subject: "CN=x".into(),
            issuer: "CN=x".into(),
            not_after: String::new(),
            not_after_unix: days * 86_400,
            not_before_unix: 0,
            key: key.into(),
            key_kind: kind,
            key_bits: bits,
            sha256: String::new(),
            signature_algorithm: sig.into(),
            weak_signature: false,
            names: vec![],
            self_signed: true,
        }
    }

    fn proto(v: ProtocolVersion, suites: &[&str]) -> ProtocolResult {
        ProtocolResult {
            version: v,
            supported: !suites.is_empty(),
            server_order: None,
            cipher_suites: suites
                .iter()
                .map(|s| CipherSuite::parse_user(s).unwrap())
                .collect(),
        }
    }

    /// A server as Mozilla's intermediate describes it, HSTS included.
    fn intermediate_server() -> TargetReport {
        TargetReport {
            protocols: vec![
                proto(ProtocolVersion::SSL3, &[]),
                proto(ProtocolVersion::TLS10, &[]),
                proto(ProtocolVersion::TLS11, &[]),
                proto(
                    ProtocolVersion::TLS12,
                    &["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
                ),
                proto(ProtocolVersion::TLS13, &["TLS_AES_128_GCM_SHA256"]),
            ],
            groups: vec![NamedGroup::X25519, NamedGroup::SECP256R1],
            certificates: vec![cert(KeyKind::Ec, "EC P-256", 256, "ecdsa-with-SHA256", 90)],
            http: Some(HttpInfo {
                status: Some(200),
                hsts: Some(Hsts {
                    max_age: 63_072_000,
                    include_subdomains: true,
                    preload: false,
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn result<'a>(r: &'a [ProfileResult], name: &str) -> &'a ProfileResult {
        r.iter().find(|p| p.name == name).unwrap()
    }

    #[test]
    fn intermediate_server_is_intermediate_not_modern() {
        let rep = intermediate_server();
        let r = evaluate(&rep, &Narrow::default());
        assert_eq!(r.len(), 3);
        assert!(result(&r, "intermediate").compliant);
        // old takes RSA certificates only.
        assert_eq!(
            result(&r, "old").deviations,
            vec![
                "certificate type ecdsa (profile: rsa)",
                "certificate signed with ecdsa-with-SHA256 (profile: sha256WithRSAEncryption)",
            ]
        );
        let m = result(&r, "modern");
        assert_eq!(
            m.deviations,
            vec![
                "TLS 1.2 supported",
                "cipher suite TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 supported (TLS 1.2)",
            ]
        );
        // Groups found in TLS 1.3 only: the TLS 1.2 curves are said to be unchecked.
        assert!(m.not_checked.iter().any(|n| n.contains("TLS 1.2 curves")));
    }

    #[test]
    fn each_rule_deviates() {
        let mut rep = intermediate_server();
        rep.protocols[1] = proto(ProtocolVersion::TLS10, &["TLS_RSA_WITH_AES_128_CBC_SHA"]);
        rep.groups.push(NamedGroup::SECP224R1);
        rep.dh_min_bits = Some(1024);
        rep.certificates = vec![
            cert(KeyKind::Rsa, "RSA 1024", 1024, "sha1WithRSAEncryption", 400),
            cert(KeyKind::Ec, "EC P-521", 521, "ecdsa-with-SHA512", 30),
        ];
        rep.http.as_mut().unwrap().hsts.as_mut().unwrap().max_age = 600;
        rep.features.compression = Some(true);
        rep.features.fallback_scsv = Some(false);
        let r = evaluate(&rep, &Narrow::default());
        let i = result(&r, "intermediate");
        for d in [
            "TLS 1.0 supported",
            "cipher suite TLS_RSA_WITH_AES_128_CBC_SHA supported (TLS 1.0)",
            "group secp224r1 supported",
            "ECDH group secp224r1 of 224 bits (profile: at least 256)",
            "DH parameters of 1024 bits (profile: at least 2048)",
            "RSA key of 1024 bits (profile: at least 2048)",
            "certificate curve secp521r1 (profile: prime256v1, secp384r1)",
            "certificate lifespan of 400 days (profile: at most 366)",
            "HSTS max-age 600 (profile: at least 63072000)",
            "TLS compression supported (CRIME)",
            "no TLS_FALLBACK_SCSV (RFC 7507)",
        ] {
            assert!(
                i.deviations.iter().any(|x| x == d),
                "{d:?} not in {:?}",
                i.deviations
            );
        }
        // One certificate of an allowed type and signature is enough (as sslyze decides).
        assert!(!i
            .deviations
            .iter()
            .any(|d| d.starts_with("certificate type")));
        assert!(!i
            .deviations
            .iter()
            .any(|d| d.starts_with("certificate signed")));
        let o = result(&r, "old");
        assert!(o
            .deviations
            .iter()
            .any(|d| d.starts_with("certificate signed with")));
        assert!(!o.deviations.iter().any(|d| d == "TLS 1.0 supported"));
    }

    #[test]
    fn what_was_not_scanned_is_not_a_deviation() {
        let mut rep = intermediate_server();
        rep.protocols
            .retain(|p| p.version >= ProtocolVersion::TLS12);
        rep.certificates.clear();
        rep.http = None;
        let only = Narrow {
            suites: Some(vec![]),
            ..Default::default()
        };
        let r = evaluate(&rep, &only);
        let i = result(&r, "intermediate");
        assert!(i.compliant);
        for n in [
            "SSL 3.0, TLS 1.0, TLS 1.1 support (not probed: --tls)",
            "cipher suites outside --suites (not probed)",
            "the certificate rules (no certificate seen)",
            "HSTS (no HTTP request: use --http)",
        ] {
            assert!(
                i.not_checked.iter().any(|x| x == n),
                "{n:?} not in {:?}",
                i.not_checked
            );
        }
        rep.http = Some(HttpInfo::default());
        let r = evaluate(&rep, &Narrow::default());
        assert!(result(&r, "intermediate")
            .not_checked
            .iter()
            .any(|x| x == "HSTS (the HTTP request got no answer)"));
    }
}
