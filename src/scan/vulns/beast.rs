//! beast (CVE-2011-3389): derived from the suites found, no connection. CBC suites in SSL 3.0
//! or TLS 1.0, whose chained IVs are predictable (RFC 4346 §1.1 fixed it in TLS 1.1). The
//! client-side 1/n-1 record splitting that mitigates it cannot be seen from the server, so,
//! as testssl.sh does, CBC in SSL 3.0/TLS 1.0 is `vulnerable`: low severity when the server
//! also speaks TLS 1.1 or later (modern clients use those), medium otherwise.

use super::derived::{absent, names, no_versions, suites_in, supported};
use super::{Check, Scope};
use crate::scan::{Severity, TargetReport};
use crate::wire::codepoints::ProtocolVersion as V;

pub const ID: &str = "beast";

const OLD: [V; 2] = [V::SSL3, V::TLS10];

pub fn run(scope: &Scope) -> Check {
    verdict(scope.report)
}

pub fn verdict(r: &TargetReport) -> Check {
    if let Some(why) = no_versions(r, &OLD, "SSL 3.0 or TLS 1.0") {
        return absent(ID, why);
    }
    let cbc = suites_in(r, &OLD, |i| i.is_cbc());
    if cbc.is_empty() {
        return Check::not_vulnerable(ID);
    }
    let higher = [V::TLS11, V::TLS12, V::TLS13]
        .into_iter()
        .any(|v| supported(r, v));
    let versions: Vec<&str> = OLD
        .iter()
        .filter(|v| supported(r, **v))
        .filter_map(|v| v.name())
        .collect();
    Check::vulnerable(
        ID,
        if higher {
            Severity::Low
        } else {
            Severity::Medium
        },
        format!(
            "CBC suites with {} (BEAST, CVE-2011-3389; clients that split records are safe{}): {}",
            versions.join(" and "),
            if higher {
                ", and the server also speaks TLS 1.1 or later"
            } else {
                ""
            },
            names(&cbc)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::derived::testing::report;
    use super::super::Verdict;
    use super::*;

    #[test]
    fn cbc_in_tls10() {
        let c = verdict(&report(&[(V::TLS10, &[0x002f]), (V::TLS12, &[0xc02f])]));
        assert_eq!(c.verdict, Verdict::Vulnerable);
        let (sev, d) = c.finding.unwrap();
        assert_eq!(sev, Severity::Low);
        assert!(
            d.contains("TLS 1.0") && d.contains("TLS_RSA_WITH_AES_128_CBC_SHA"),
            "{d}"
        );
        let c = verdict(&report(&[(V::SSL3, &[0x000a])]));
        assert_eq!(c.finding.unwrap().0, Severity::Medium);
    }

    #[test]
    fn cbc_only_in_tls12_or_no_old_versions() {
        // CBC in TLS 1.2 only, TLS 1.0 with RC4 only.
        let c = verdict(&report(&[(V::TLS10, &[0x0005]), (V::TLS12, &[0x002f])]));
        assert_eq!(c.verdict, Verdict::NotVulnerable);
        let c = verdict(&report(&[(V::TLS12, &[0x002f])]));
        assert_eq!(c.verdict, Verdict::NotApplicable);
        assert_eq!(
            c.reason.as_deref(),
            Some("not applicable: no SSL 3.0 or TLS 1.0")
        );
    }
}
