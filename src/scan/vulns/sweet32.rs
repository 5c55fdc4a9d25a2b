//! sweet32 (CVE-2016-2183): derived from the suites found, no connection. Suites with a
//! 64-bit block cipher (3DES, IDEA, DES, RC2) in SSL 3.0 to TLS 1.2 let a long-lived
//! connection collide CBC blocks (birthday bound; RFC 9325 §4.1 forbids them).

use super::derived::{absent, names, no_versions, suites_in, LEGACY};
use super::{Check, Scope};
use crate::scan::{Severity, TargetReport};
use crate::wire::suites::{Cipher, SuiteInfo};

pub const ID: &str = "sweet32";

/// Whether a suite encrypts with a 64-bit block cipher.
pub fn block64(i: &SuiteInfo) -> bool {
    matches!(
        i.cipher,
        Cipher::TripleDesCbc
            | Cipher::IdeaCbc
            | Cipher::DesCbc
            | Cipher::Des40Cbc
            | Cipher::Rc2Cbc40
    ) || (i.cipher == Cipher::Other && (i.iana.contains("_DES_") || i.iana.contains("_RC2_")))
}

pub fn run(scope: &Scope) -> Check {
    verdict(scope.report)
}

pub fn verdict(r: &TargetReport) -> Check {
    if let Some(why) = no_versions(r, &LEGACY, "TLS ≤ 1.2") {
        return absent(ID, why);
    }
    let hits = suites_in(r, &LEGACY, block64);
    if hits.is_empty() {
        return Check::not_vulnerable(ID);
    }
    Check::vulnerable(
        ID,
        Severity::Medium,
        format!(
            "suites with 64-bit block ciphers are accepted (Sweet32, CVE-2016-2183): {}",
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
    fn triple_des_idea_and_des_are_64_bit() {
        // TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_IDEA_CBC_SHA, TLS_RSA_WITH_DES_CBC_SHA.
        for id in [0x000a, 0x0007, 0x0009] {
            let c = verdict(&report(&[(V::TLS10, &[0x002f, id])]));
            assert_eq!(c.verdict, Verdict::Vulnerable, "{id:#x}");
            assert_eq!(c.finding.unwrap().0, Severity::Medium);
        }
    }

    #[test]
    fn aes_only_is_not_vulnerable() {
        let c = verdict(&report(&[
            (V::TLS12, &[0x002f, 0xc02f]),
            (V::TLS13, &[0x1301]),
        ]));
        assert_eq!(c.verdict, Verdict::NotVulnerable);
        // 3DES offered in TLS 1.3 is not a thing; a TLS 1.3-only server is not applicable.
        let c = verdict(&report(&[(V::TLS13, &[0x1301])]));
        assert_eq!(c.verdict, Verdict::NotApplicable);
    }
}
