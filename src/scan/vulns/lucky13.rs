//! lucky13 (CVE-2013-0169): derived from the suites found, no connection. CBC suites in
//! SSL 3.0 to TLS 1.2 (MAC-then-encrypt, RFC 5246 §6.2.3.2) leak padding timing; whether a
//! server's MAC check is constant-time cannot be seen from outside, so, as testssl.sh says
//! "potentially vulnerable", any CBC suite is `vulnerable` with low severity.

use super::derived::{absent, names, no_versions, suites_in, LEGACY};
use super::{Check, Scope};
use crate::scan::{Severity, TargetReport};

pub const ID: &str = "lucky13";

pub fn run(scope: &Scope) -> Check {
    verdict(scope.report)
}

pub fn verdict(r: &TargetReport) -> Check {
    if let Some(why) = no_versions(r, &LEGACY, "TLS ≤ 1.2") {
        return absent(ID, why);
    }
    let cbc = suites_in(r, &LEGACY, |i| i.is_cbc());
    if cbc.is_empty() {
        return Check::not_vulnerable(ID);
    }
    Check::vulnerable(
        ID,
        Severity::Low,
        format!(
            "potentially vulnerable to Lucky13 (CVE-2013-0169): CBC suites with TLS ≤ 1.2 leak padding-check timing unless the server's MAC check is constant-time, which cannot be seen from outside: {}",
            names(&cbc)
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
    fn cbc_in_tls12_is_potentially_vulnerable() {
        let c = verdict(&report(&[(V::TLS12, &[0xc02f, 0x002f])]));
        assert_eq!(c.verdict, Verdict::Vulnerable);
        let (sev, detail) = c.finding.unwrap();
        assert_eq!(sev, Severity::Low);
        assert!(detail.contains("TLS_RSA_WITH_AES_128_CBC_SHA"), "{detail}");
    }

    #[test]
    fn aead_only_or_tls13_only() {
        let c = verdict(&report(&[(V::TLS12, &[0xc02f]), (V::TLS13, &[0x1301])]));
        assert_eq!(c.verdict, Verdict::NotVulnerable);
        let c = verdict(&report(&[(V::TLS13, &[0x1301])]));
        assert_eq!(c.verdict, Verdict::NotApplicable);
        assert_eq!(c.reason.as_deref(), Some("not applicable: no TLS ≤ 1.2"));
        // Only TLS 1.3 probed: cannot tell.
        let mut r = report(&[(V::TLS13, &[0x1301])]);
        r.protocols.retain(|p| p.version == V::TLS13);
        assert_eq!(verdict(&r).verdict, Verdict::Unknown);
    }
}
