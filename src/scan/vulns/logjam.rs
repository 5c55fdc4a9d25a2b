//! logjam (CVE-2015-4000): derived from the suites and DHE groups found, no connection.
//! DHE_EXPORT suites (512-bit primes) accepted, or a DHE prime under 1024 bits (RFC 7919 §1,
//! RFC 9325 §4.1), let a man in the middle compute the discrete log and break the session.
//! Primes of 1024 to 2047 bits are a weak-DH finding (findings.rs), not this check; when the
//! check is vulnerable its finding replaces a derived one of the same id (`vulns::supersede`).

use super::derived::{absent, names, no_versions, suites_in, LEGACY};
use super::{Check, Scope};
use crate::scan::{Severity, TargetReport};
use crate::wire::suites::{Kx, SuiteInfo};

pub const ID: &str = "logjam";

/// Below this many bits a DHE prime is Logjam-weak.
pub const MIN_BITS: usize = 1024;

/// Ephemeral DH key exchange, export grade (DHE_EXPORT, DH_anon_EXPORT, EXPORT1024).
pub fn dhe_export(i: &SuiteInfo) -> bool {
    i.kx == Kx::Dhe && i.is_export()
}

pub fn run(scope: &Scope) -> Check {
    verdict(scope.report)
}

/// The smallest DHE prime seen: the kx report's when there is one, else the scan's minimum.
fn dh_bits(r: &TargetReport) -> Option<usize> {
    match (r.dh.as_ref().map(|d| d.bits), r.dh_min_bits) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

pub fn verdict(r: &TargetReport) -> Check {
    if let Some(why) = no_versions(r, &LEGACY, "TLS ≤ 1.2") {
        return absent(ID, why);
    }
    let export = suites_in(r, &LEGACY, dhe_export);
    let small = dh_bits(r).filter(|&b| b < MIN_BITS);
    let mut why = vec![];
    if !export.is_empty() {
        why.push(format!(
            "DHE_EXPORT suites are accepted: {}",
            names(&export)
        ));
    }
    if let Some(bits) = small {
        let group =
            r.dh.as_ref()
                .filter(|d| d.bits == bits)
                .map(|d| format!(" ({})", d.group))
                .unwrap_or_default();
        why.push(format!(
            "DHE uses a {bits}-bit prime{group} (fewer than {MIN_BITS})"
        ));
    }
    if !why.is_empty() {
        return Check::vulnerable(
            ID,
            Severity::High,
            format!("Logjam (CVE-2015-4000): {}", why.join("; ")),
        );
    }
    let dhe = suites_in(r, &LEGACY, |i| i.kx == Kx::Dhe);
    if !dhe.is_empty() && dh_bits(r).is_none() {
        return Check::unknown(
            ID,
            "unknown: DHE suites are accepted but the size of their prime was not seen",
        );
    }
    Check::not_vulnerable(ID)
}

#[cfg(test)]
mod tests {
    use super::super::derived::testing::report;
    use super::super::Verdict;
    use super::*;
    use crate::scan::dh::DhInfo;
    use crate::wire::codepoints::ProtocolVersion as V;

    #[test]
    fn dhe_export_is_logjam() {
        // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA with a 512-bit prime.
        let mut r = report(&[(V::TLS10, &[0x0033, 0x0014])]);
        r.dh_min_bits = Some(512);
        let c = verdict(&r);
        assert_eq!(c.verdict, Verdict::Vulnerable);
        let d = c.finding.unwrap().1;
        assert!(
            d.contains("TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA") && d.contains("512-bit"),
            "{d}"
        );
        // RSA_EXPORT is FREAK, not Logjam.
        let c = verdict(&report(&[(V::TLS10, &[0x0003])]));
        assert_eq!(c.verdict, Verdict::NotVulnerable);
    }

    #[test]
    fn prime_size_from_dh_or_dh_min_bits() {
        let mut r = report(&[(V::TLS12, &[0x009e])]);
        r.dh_min_bits = Some(768);
        assert_eq!(verdict(&r).verdict, Verdict::Vulnerable);
        r.dh_min_bits = Some(1024);
        assert_eq!(verdict(&r).verdict, Verdict::NotVulnerable);
        r.dh = Some(DhInfo {
            bits: 512,
            group: "custom".into(),
            source: None,
        });
        let c = verdict(&r);
        assert_eq!(c.verdict, Verdict::Vulnerable);
        assert!(c.finding.unwrap().1.contains("512-bit prime (custom)"));
        r.dh = Some(DhInfo {
            bits: 2048,
            group: "ffdhe2048".into(),
            source: Some("RFC 7919 Appendix A.1"),
        });
        r.dh_min_bits = None;
        assert_eq!(verdict(&r).verdict, Verdict::NotVulnerable);
        r.dh = None;
        let c = verdict(&r);
        assert_eq!(c.verdict, Verdict::Unknown);
        assert!(c.reason.unwrap().starts_with("unknown: "));
    }

    #[test]
    fn no_dhe_and_tls13_only() {
        let c = verdict(&report(&[(V::TLS12, &[0xc02f])]));
        assert_eq!(c.verdict, Verdict::NotVulnerable);
        let c = verdict(&report(&[(V::TLS13, &[0x1301])]));
        assert_eq!(c.verdict, Verdict::NotApplicable);
    }
}
