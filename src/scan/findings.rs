//! Findings: weaknesses derived from a finished scan, each with a severity and a one-line
//! explanation (RFC 7568 SSL 3.0, RFC 8996 TLS 1.0/1.1, RFC 7465 RC4, RFC 7627 EMS,
//! CRIME, no post-quantum group in TLS 1.3). No RFC 5746 is reported by the
//! insecure_renegotiation check; Sweet32, BEAST, Lucky13, FREAK and Logjam below 1024 bits are
//! vulnerability checks (scan/vulns), one finding each.

use super::cert::{name_matches, KeyKind};
use super::TargetReport;
use crate::crypto::kx;
use crate::wire::codepoints::{ProtocolVersion, SignatureScheme};
use crate::wire::suites::{Auth, Cipher, CipherSuite, Kx, SuiteInfo};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub id: String,
    pub severity: Severity,
    pub detail: String,
}

fn f(out: &mut Vec<Finding>, id: &str, severity: Severity, detail: String) {
    out.push(Finding {
        id: id.into(),
        severity,
        detail,
    });
}

fn names(list: &[&SuiteInfo]) -> String {
    let mut v: Vec<&str> = list.iter().map(|i| i.iana).collect();
    v.dedup();
    let more = v.len().saturating_sub(3);
    v.truncate(3);
    let mut s = v.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// Derives the findings of a report, most severe first. `now` is Unix seconds; `host` is the
/// name the certificate should match (SNI or target host).
pub fn derive(r: &TargetReport, host: &str, now: i64) -> Vec<Finding> {
    let mut out = vec![];
    protocol_findings(r, &mut out);
    group_findings(r, &mut out);
    suite_findings(r, &mut out);
    feature_findings(r, &mut out);
    certificate_findings(r, host, now, &mut out);
    out.extend(super::trust::findings(r, now));
    out.sort_by_key(|x| std::cmp::Reverse(x.severity));
    out
}

fn supported(r: &TargetReport, v: ProtocolVersion) -> bool {
    r.protocols.iter().any(|p| p.version == v && p.supported)
}

/// Obsolete versions enabled (RFC 7568, RFC 8996), TLS 1.3 missing.
fn protocol_findings(r: &TargetReport, out: &mut Vec<Finding>) {
    let supported = |v: ProtocolVersion| supported(r, v);
    if supported(ProtocolVersion::SSL3) {
        f(
            out,
            "ssl3_enabled",
            Severity::High,
            "SSL 3.0 is enabled: it is broken (POODLE) and prohibited by RFC 7568".into(),
        );
    }
    if supported(ProtocolVersion::TLS10) {
        f(
            out,
            "tls1_0_enabled",
            Severity::Medium,
            "TLS 1.0 is enabled: deprecated by RFC 8996 (weak MD5/SHA-1 PRF, BEAST)".into(),
        );
    }
    if supported(ProtocolVersion::TLS11) {
        f(
            out,
            "tls1_1_enabled",
            Severity::Medium,
            "TLS 1.1 is enabled: deprecated by RFC 8996".into(),
        );
    }
    let any = r.protocols.iter().any(|p| p.supported);
    if any
        && !supported(ProtocolVersion::TLS13)
        && r.protocols
            .iter()
            .any(|p| p.version == ProtocolVersion::TLS13)
    {
        f(
            out,
            "no_tls1_3",
            Severity::Low,
            "TLS 1.3 is not supported: clients miss its faster, always forward-secret handshake"
                .into(),
        );
    }
}

/// TLS 1.3 without a post-quantum group: no hybrid (draft-ietf-tls-ecdhe-mlkem) and no pure
/// ML-KEM group among the groups found, so a recording of today's traffic could be decrypted
/// once a quantum computer breaks its (EC)DHE ("harvest now, decrypt later"). Only when the
/// groups are known (found through HelloRetryRequests).
fn group_findings(r: &TargetReport, out: &mut Vec<Finding>) {
    if !supported(r, ProtocolVersion::TLS13) || r.groups.is_empty() {
        return;
    }
    if !r.groups.iter().any(|g| kx::is_kem(*g)) {
        f(
            out,
            "no_post_quantum",
            Severity::Low,
            "TLS 1.3 without a post-quantum key exchange: none of X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024 or ML-KEM is accepted, so recorded traffic could be decrypted once quantum computers break (EC)DHE".into(),
        );
    }
}

/// One finding about the suites below TLS 1.3: its key, severity, which suites it names and
/// the sentence before their names.
struct SuiteRule {
    key: &'static str,
    severity: Severity,
    matches: fn(&SuiteInfo) -> bool,
    says: &'static str,
}

/// The suite findings that only name the suites they match (RFC 7465 for RC4, RFC 9325 §4.1
/// for the rest).
const SUITE_RULES: &[SuiteRule] = &[
    SuiteRule {
        key: "null_cipher",
        severity: Severity::Critical,
        matches: |i| i.cipher == Cipher::Null,
        says: "suites without encryption are accepted",
    },
    SuiteRule {
        key: "anonymous_suites",
        severity: Severity::High,
        matches: |i| i.auth == Auth::Anon || (i.auth == Auth::Null && i.kx != Kx::Null),
        says: "unauthenticated (anonymous) suites are accepted, open to man-in-the-middle",
    },
    SuiteRule {
        key: "export_suites",
        severity: Severity::Critical,
        matches: |i| i.is_export(),
        says: "export-grade suites are accepted (40- or 56-bit encryption)",
    },
    SuiteRule {
        key: "rc4",
        severity: Severity::High,
        matches: |i| {
            matches!(i.cipher, Cipher::Rc4_128 | Cipher::Rc4_40) || i.iana.contains("_RC4_")
        },
        says: "RC4 suites are accepted, prohibited by RFC 7465",
    },
    SuiteRule {
        key: "des",
        severity: Severity::High,
        matches: |i| matches!(i.cipher, Cipher::DesCbc | Cipher::Des40Cbc) && !i.is_export(),
        says: "single-DES suites are accepted (56-bit keys)",
    },
];

/// Weak suites below TLS 1.3 (TLS 1.3 suites are all AEAD and forward secret).
fn suite_findings(r: &TargetReport, out: &mut Vec<Finding>) {
    let mut legacy: Vec<&SuiteInfo> = r
        .protocols
        .iter()
        .filter(|p| p.version != ProtocolVersion::TLS13)
        .flat_map(|p| p.cipher_suites.iter())
        .filter_map(|s| s.info())
        .collect();
    legacy.sort_by_key(|i| i.id);
    legacy.dedup_by_key(|i| i.id);
    for rule in SUITE_RULES {
        let hits: Vec<&SuiteInfo> = legacy
            .iter()
            .copied()
            .filter(|i| (rule.matches)(i))
            .collect();
        if !hits.is_empty() {
            f(
                out,
                rule.key,
                rule.severity,
                format!("{}: {}", rule.says, names(&hits)),
            );
        }
    }
    forward_secrecy_finding(r, &legacy, out);
}

/// Suites without forward secrecy: high when they are all the server has (no TLS 1.3 either).
fn forward_secrecy_finding(r: &TargetReport, legacy: &[&SuiteInfo], out: &mut Vec<Finding>) {
    let no_fs: Vec<&SuiteInfo> = legacy
        .iter()
        .copied()
        .filter(|i| !i.forward_secret() && i.cipher != Cipher::Null)
        .collect();
    if no_fs.is_empty() {
        return;
    }
    let all = no_fs.len() == legacy.len() && !supported(r, ProtocolVersion::TLS13);
    f(
        out,
        "no_forward_secrecy",
        if all {
            Severity::High
        } else {
            Severity::Medium
        },
        format!(
            "{} suites without forward secrecy (static RSA/DH key exchange) are accepted: {}",
            no_fs.len(),
            names(&no_fs)
        ),
    );
}

/// Logjam (weak DHE): high below 1024 bits, medium below 2048.
fn dh_severity(bits: usize) -> Severity {
    if bits < 1024 {
        Severity::High
    } else {
        Severity::Medium
    }
}

/// Features missing or dangerous: EMS, secure renegotiation, weak DHE, compression, SHA-1
/// handshake signatures.
fn feature_findings(r: &TargetReport, out: &mut Vec<Finding>) {
    let below13 = r
        .protocols
        .iter()
        .any(|p| p.supported && p.version != ProtocolVersion::TLS13);
    if below13 && r.features.extended_master_secret == Some(false) {
        f(out, "no_extended_master_secret", Severity::Medium,
          "extended master secret (RFC 7627) is not supported: TLS 1.2 sessions are open to triple-handshake attacks".into());
    }
    // No RFC 5746: the insecure_renegotiation vulnerability check (scan/vulns) reports it.
    if let Some(d) = r.dh.as_ref().filter(|d| d.bits < 2048) {
        f(
            out,
            "logjam",
            dh_severity(d.bits),
            super::dh::finding_detail(d),
        );
    }
    if r.features.compression == Some(true) {
        f(
            out,
            "compression",
            Severity::High,
            "TLS compression is enabled (CRIME)".into(),
        );
    }
    if r.signature_algorithms.iter().any(|s| {
        matches!(
            *s,
            SignatureScheme::RSA_PKCS1_SHA1
                | SignatureScheme::ECDSA_SHA1
                | SignatureScheme::DSA_SHA1
                | SignatureScheme::RSA_PKCS1_MD5
        )
    }) {
        f(
            out,
            "sha1_handshake_signatures",
            Severity::Low,
            "the server signs TLS 1.2 key exchanges with SHA-1 when a client asks".into(),
        );
    }
}

/// Certificates: small RSA keys, expiry, weak signatures, a name that is not the host's.
fn certificate_findings(r: &TargetReport, host: &str, now: i64, out: &mut Vec<Finding>) {
    for c in &r.certificates {
        if c.key_kind == KeyKind::Rsa && c.key_bits > 0 && c.key_bits < 2048 {
            f(
                out,
                "rsa_key_small",
                Severity::High,
                format!(
                    "RSA key of {} bits (fewer than 2048) in certificate {}",
                    c.key_bits, c.subject
                ),
            );
        }
        if c.not_after_unix < now {
            f(
                out,
                "certificate_expired",
                Severity::High,
                format!("certificate {} expired on {}", c.subject, c.not_after),
            );
        } else if c.not_after_unix < now + 30 * 86400 {
            f(
                out,
                "certificate_expiring",
                Severity::Medium,
                format!(
                    "certificate {} expires on {}, in less than 30 days",
                    c.subject, c.not_after
                ),
            );
        }
        if c.weak_signature {
            f(
                out,
                "sha1_certificate_signature",
                Severity::Medium,
                format!(
                    "certificate {} is signed with {}",
                    c.subject, c.signature_algorithm
                ),
            );
        }
    }
    if !host.is_empty()
        && !r.certificates.is_empty()
        && !r.certificates.iter().any(|c| name_matches(&c.names, host))
    {
        f(
            out,
            "name_mismatch",
            Severity::Medium,
            format!(
                "no certificate names {host} (names: {})",
                r.certificates
                    .iter()
                    .flat_map(|c| c.names.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
}

/// Whether `s` names a suite in the registry with the given strength-relevant property;
/// helper for renderers.
pub fn suite_strength(s: CipherSuite) -> Option<crate::wire::suites::Strength> {
    s.info().map(|i| i.strength)
}
