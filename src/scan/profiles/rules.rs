//! The rules of one Mozilla configuration applied to a scan report: versions, suites, groups
//! and their sizes, DH size, certificate type, key size, curve, signature and lifespan, HSTS,
//! and the TLS weaknesses sslyze's checker adds. A rule over something the scan did not see
//! goes to `not_checked`, never to the deviations.

use super::guidelines::Config;
use crate::scan::cert::{CertInfo, KeyKind};
use crate::scan::vulns::Verdict;
use crate::scan::{Narrow, TargetReport, ALL_VERSIONS};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::suites::CipherSuite;

/// What one configuration's rules found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub deviations: Vec<String>,
    pub not_checked: Vec<String>,
}

/// Applies every rule of `cfg` to `rep`.
pub fn check(cfg: &Config, rep: &TargetReport, only: &Narrow, out: &mut Outcome) {
    versions(cfg, rep, out);
    suites(cfg, rep, only, out);
    groups(cfg, rep, only, out);
    dh_size(cfg, rep, out);
    certificates(cfg, &rep.certificates, out);
    hsts(cfg, rep, out);
    weaknesses(rep, out);
}

fn suite_name(s: CipherSuite) -> String {
    s.info()
        .map(|i| i.iana.to_string())
        .unwrap_or_else(|| format!("0x{:04x}", s.0))
}

/// tls_versions: every supported version outside the list is a deviation (SSL 2.0 from the
/// sslv2 check when it ran).
fn versions(cfg: &Config, rep: &TargetReport, out: &mut Outcome) {
    let allowed: Vec<ProtocolVersion> = cfg
        .tls_versions
        .iter()
        .filter_map(|v| super::version(v))
        .collect();
    match rep.vulnerabilities.iter().find(|c| c.id == "sslv2") {
        Some(c) if c.verdict == Verdict::Vulnerable => {
            out.deviations.push("SSL 2.0 supported".into())
        }
        Some(c) if c.verdict != Verdict::Unknown => {}
        _ => out
            .not_checked
            .push("SSL 2.0 support (no sslv2 check result)".into()),
    }
    for p in rep.protocols.iter().filter(|p| p.supported) {
        if !allowed.contains(&p.version) {
            out.deviations.push(format!("{} supported", p.version));
        }
    }
    let unprobed: Vec<String> = ALL_VERSIONS
        .iter()
        .filter(|v| !allowed.contains(v) && !rep.protocols.iter().any(|p| p.version == **v))
        .map(|v| v.to_string())
        .collect();
    if !unprobed.is_empty() {
        out.not_checked.push(format!(
            "{} support (not probed: --tls)",
            unprobed.join(", ")
        ));
    }
}

/// ciphersuites (TLS 1.3) and ciphers.iana (SSL 3.0-TLS 1.2): every supported suite outside
/// the lists is a deviation.
fn suites(cfg: &Config, rep: &TargetReport, only: &Narrow, out: &mut Outcome) {
    let mut legacy: Vec<(CipherSuite, Vec<String>)> = vec![];
    for p in rep.protocols.iter().filter(|p| p.supported) {
        for &s in &p.cipher_suites {
            let name = suite_name(s);
            if p.version == ProtocolVersion::TLS13 {
                if !cfg.ciphersuites.contains(&name) {
                    out.deviations
                        .push(format!("TLS 1.3 cipher suite {name} supported"));
                }
            } else if !cfg.ciphers.iana.contains(&name) {
                match legacy.iter_mut().find(|(x, _)| *x == s) {
                    Some((_, vs)) => vs.push(p.version.to_string()),
                    None => legacy.push((s, vec![p.version.to_string()])),
                }
            }
        }
    }
    for (s, vs) in legacy {
        out.deviations.push(format!(
            "cipher suite {} supported ({})",
            suite_name(s),
            vs.join(", ")
        ));
    }
    if only.suites.is_some() {
        out.not_checked
            .push("cipher suites outside --suites (not probed)".into());
    }
}

/// The classical strength of an elliptic-curve group in bits (a hybrid by its ECDH part);
/// None for finite-field and pure ML-KEM groups.
fn ecdh_bits(g: NamedGroup) -> Option<usize> {
    Some(match g {
        NamedGroup::X25519 | NamedGroup::X25519MLKEM768 | NamedGroup::X25519KYBER768DRAFT00 => 256,
        NamedGroup::SECP256R1MLKEM768 => 256,
        NamedGroup::SECP384R1MLKEM1024 => 384,
        NamedGroup::X448 => 448,
        NamedGroup::BRAINPOOLP256R1TLS13 => 256,
        NamedGroup::BRAINPOOLP384R1TLS13 => 384,
        NamedGroup::BRAINPOOLP512R1TLS13 => 512,
        g if g.0 >= 0x100 => return None,
        g => {
            // secpNNN / sectNNN / brainpoolPNNN: the size is in the name.
            let n = g.name()?;
            let digits: String = n
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.parse().ok()?
        }
    })
}

/// tls_curves and ecdh_param_size over the groups the scan found.
fn groups(cfg: &Config, rep: &TargetReport, only: &Narrow, out: &mut Outcome) {
    let allowed: Vec<NamedGroup> = cfg
        .tls_curves
        .iter()
        .filter_map(|n| NamedGroup::parse_user(n))
        .collect();
    for &g in &rep.groups {
        if !allowed.contains(&g) {
            out.deviations.push(format!("group {g} supported"));
        }
    }
    if let Some(min) = cfg.ecdh_param_size {
        let weakest = rep
            .groups
            .iter()
            .filter_map(|&g| ecdh_bits(g).map(|b| (b, g)))
            .min();
        if let Some((bits, g)) = weakest.filter(|(b, _)| *b < min) {
            out.deviations.push(format!(
                "ECDH group {g} of {bits} bits (profile: at least {min})"
            ));
        }
    }
    if only.groups.is_some() {
        out.not_checked
            .push("groups outside --groups (not probed)".into());
    }
    let tls13 = supported(rep, ProtocolVersion::TLS13);
    let legacy_ecdhe = rep.protocols.iter().any(|p| {
        p.supported
            && p.version != ProtocolVersion::TLS13
            && p.cipher_suites.iter().any(|s| {
                s.info()
                    .is_some_and(|i| i.kx == crate::wire::suites::Kx::Ecdhe)
            })
    });
    if tls13 && legacy_ecdhe {
        out.not_checked.push(
            "the TLS 1.2 curves (groups are enumerated in TLS 1.3 when the server has it)".into(),
        );
    }
}

fn supported(rep: &TargetReport, v: ProtocolVersion) -> bool {
    rep.protocols.iter().any(|p| p.version == v && p.supported)
}

/// dh_param_size: the smallest DHE prime seen.
fn dh_size(cfg: &Config, rep: &TargetReport, out: &mut Outcome) {
    let Some(min) = cfg.dh_param_size else {
        return; // no DHE allowed at all: the DHE suites are deviations already
    };
    let bits = [rep.dh_min_bits, rep.dh.as_ref().map(|d| d.bits)]
        .into_iter()
        .flatten()
        .min();
    if let Some(b) = bits.filter(|b| *b < min) {
        out.deviations.push(format!(
            "DH parameters of {b} bits (profile: at least {min})"
        ));
    }
}

/// The guideline name of a certificate's key type.
fn key_type(c: &CertInfo) -> &'static str {
    match c.key_kind {
        KeyKind::Rsa => "rsa",
        KeyKind::Ec => "ecdsa",
        KeyKind::Ed25519 => "ed25519",
        KeyKind::Ed448 => "ed448",
        KeyKind::Dsa => "dsa",
        KeyKind::Other => "other",
    }
}

/// The OpenSSL name of an EC certificate's curve (the report says "EC P-256").
fn cert_curve(c: &CertInfo) -> String {
    match c.key.strip_prefix("EC ").unwrap_or(&c.key) {
        "P-256" => "prime256v1".into(),
        "P-384" => "secp384r1".into(),
        "P-521" => "secp521r1".into(),
        other => other.to_string(),
    }
}

/// certificate_types and certificate_signatures (at least one certificate matching, as
/// sslyze decides for servers with several), rsa_key_size, certificate_curves and
/// maximum_certificate_lifespan (each certificate).
fn certificates(cfg: &Config, certs: &[CertInfo], out: &mut Outcome) {
    if certs.is_empty() {
        out.not_checked
            .push("the certificate rules (no certificate seen)".into());
        return;
    }
    let d = &mut out.deviations;
    if !certs
        .iter()
        .any(|c| cfg.certificate_types.iter().any(|t| t == key_type(c)))
    {
        let types: Vec<&str> = certs.iter().map(key_type).collect();
        d.push(format!(
            "certificate type {} (profile: {})",
            types.join(", "),
            cfg.certificate_types.join(", ")
        ));
    }
    if !certs
        .iter()
        .any(|c| cfg.certificate_signatures.contains(&c.signature_algorithm))
    {
        let sigs: Vec<&str> = certs
            .iter()
            .map(|c| c.signature_algorithm.as_str())
            .collect();
        d.push(format!(
            "certificate signed with {} (profile: {})",
            sigs.join(", "),
            cfg.certificate_signatures.join(", ")
        ));
    }
    for c in certs {
        match (c.key_kind, cfg.rsa_key_size) {
            (KeyKind::Rsa, Some(min)) if c.key_bits < min => d.push(format!(
                "RSA key of {} bits (profile: at least {min})",
                c.key_bits
            )),
            (KeyKind::Ec, _) if !cfg.certificate_curves.contains(&cert_curve(c)) => {
                d.push(format!(
                    "certificate curve {} (profile: {})",
                    cert_curve(c),
                    cfg.certificate_curves.join(", ")
                ))
            }
            _ => {}
        }
        let days = (c.not_after_unix - c.not_before_unix).div_euclid(86_400);
        if days > cfg.maximum_certificate_lifespan {
            d.push(format!(
                "certificate lifespan of {days} days (profile: at most {})",
                cfg.maximum_certificate_lifespan
            ));
        }
    }
}

/// hsts_min_age, from the scan's HTTP GET.
fn hsts(cfg: &Config, rep: &TargetReport, out: &mut Outcome) {
    let min = cfg.hsts_min_age;
    match &rep.http {
        None => out
            .not_checked
            .push("HSTS (no HTTP request: use --http)".into()),
        Some(h) if h.status.is_none() => out
            .not_checked
            .push("HSTS (the HTTP request got no answer)".into()),
        Some(h) => match &h.hsts {
            None => out.deviations.push(format!(
                "no HSTS header (profile: max-age of at least {min})"
            )),
            Some(x) if x.max_age < min => out.deviations.push(format!(
                "HSTS max-age {} (profile: at least {min})",
                x.max_age
            )),
            Some(_) => {}
        },
    }
}

/// What sslyze's checker adds to the guidelines: TLS compression, no TLS_FALLBACK_SCSV, no
/// secure renegotiation, no extended master secret, and Heartbleed, CCS injection, ROBOT.
fn weaknesses(rep: &TargetReport, out: &mut Outcome) {
    let f = &rep.features;
    let d = &mut out.deviations;
    if f.compression == Some(true) {
        d.push("TLS compression supported (CRIME)".into());
    }
    if f.fallback_scsv == Some(false) {
        d.push("no TLS_FALLBACK_SCSV (RFC 7507)".into());
    }
    if f.secure_renegotiation == Some(false) {
        d.push("no secure renegotiation (RFC 5746)".into());
    }
    if f.extended_master_secret == Some(false) {
        d.push("no extended master secret (RFC 7627)".into());
    }
    for id in ["heartbleed", "ccs_injection", "robot"] {
        if rep
            .vulnerabilities
            .iter()
            .any(|c| c.id == id && c.verdict == Verdict::Vulnerable)
        {
            d.push(format!("vulnerable to {id}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_sizes() {
        assert_eq!(ecdh_bits(NamedGroup::X25519), Some(256));
        assert_eq!(ecdh_bits(NamedGroup::SECP224R1), Some(224));
        assert_eq!(ecdh_bits(NamedGroup::SECP521R1), Some(521));
        assert_eq!(ecdh_bits(NamedGroup::BRAINPOOLP384R1), Some(384));
        assert_eq!(ecdh_bits(NamedGroup::X448), Some(448));
        assert_eq!(ecdh_bits(NamedGroup::SECP384R1MLKEM1024), Some(384));
        assert_eq!(ecdh_bits(NamedGroup::FFDHE2048), None);
        assert_eq!(ecdh_bits(NamedGroup::MLKEM768), None);
    }
}
