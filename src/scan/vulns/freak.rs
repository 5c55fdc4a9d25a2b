//! freak (CVE-2015-0204): derived from the suites found, no connection. RSA_EXPORT suites
//! (RFC 2246 §D, 512-bit ephemeral RSA) accepted let a man in the middle downgrade a
//! vulnerable client to a key that can be factored.

use super::derived::{absent, names, no_versions, suites_in, LEGACY};
use super::{Check, Scope};
use crate::scan::{Severity, TargetReport};
use crate::wire::suites::{Kx, SuiteInfo};

pub const ID: &str = "freak";

/// RSA key exchange, export grade (EXPORT and EXPORT1024).
pub fn rsa_export(i: &SuiteInfo) -> bool {
    i.kx == Kx::Rsa && i.is_export()
}

pub fn run(scope: &Scope) -> Check {
    verdict(scope.report)
}

pub fn verdict(r: &TargetReport) -> Check {
    if let Some(why) = no_versions(r, &LEGACY, "TLS ≤ 1.2") {
        return absent(ID, why);
    }
    let hits = suites_in(r, &LEGACY, rsa_export);
    if hits.is_empty() {
        return Check::not_vulnerable(ID);
    }
    Check::vulnerable(
        ID,
        Severity::Critical,
        format!(
            "RSA_EXPORT suites are accepted (FREAK, CVE-2015-0204): {}",
            names(&hits)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::derived::testing::report;
    use super::super::Verdict;
    use super::*;
    use crate::wire::codepoints::ProtocolVersion as V;

    #[test]
    fn rsa_export_is_freak_dhe_export_is_not() {
        // TLS_RSA_EXPORT_WITH_RC4_40_MD5 and TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA.
        for id in [0x0003, 0x0062] {
            let c = verdict(&report(&[(V::TLS10, &[0x002f, id])]));
            assert_eq!(c.verdict, Verdict::Vulnerable, "{id:#x}");
        }
        // TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA: Logjam, not FREAK.
        let c = verdict(&report(&[(V::TLS10, &[0x0014])]));
        assert_eq!(c.verdict, Verdict::NotVulnerable);
    }

    #[test]
    fn without_legacy_versions() {
        let c = verdict(&report(&[(V::TLS13, &[0x1301])]));
        assert_eq!(c.verdict, Verdict::NotApplicable);
        assert!(c.reason.unwrap().starts_with("not applicable: "));
    }
}
