//! Vulnerability checks: each a bounded, safe probe of one known weakness (never keeping or
//! printing memory a server leaks), or a verdict derived from what the scan already found.
//! Every check yields a [`Verdict`]; `unknown` and `not_applicable` carry their reason, and
//! `vulnerable` a finding with its severity and explanation. Checks run in parallel under the
//! scan's connection limiter; each says how many connections it may open at most
//! ([`CheckSpec::max_connections`]) so a target's total stays bounded.

pub mod beast;
pub mod breach;
pub mod ccs_injection;
pub mod client_renegotiation;
pub mod derived;
mod driven;
pub mod freak;
pub mod heartbleed;
pub mod insecure_renegotiation;
pub mod legacy_hs;
pub mod logjam;
pub mod lucky13;
pub mod poodle_tls;
pub mod robot;
pub mod sslv2;
pub mod sweet32;
pub mod ticketbleed;
pub mod zero_rtt;

use super::findings::{Finding, Severity};
use super::probe::Conn;
use super::TargetReport;

/// The answer of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Vulnerable,
    NotVulnerable,
    NotApplicable,
    Unknown,
}

impl Verdict {
    /// The JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Vulnerable => "vulnerable",
            Verdict::NotVulnerable => "not_vulnerable",
            Verdict::NotApplicable => "not_applicable",
            Verdict::Unknown => "unknown",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The JSON key, e.g. "heartbleed".
    pub id: &'static str,
    pub verdict: Verdict,
    /// Why, for `unknown` and `not_applicable` (required there); what was seen otherwise.
    pub reason: Option<String>,
    /// For `vulnerable`: the finding (severity and explanation) added to the report.
    pub finding: Option<(Severity, String)>,
}

impl Check {
    pub fn vulnerable(id: &'static str, severity: Severity, detail: impl Into<String>) -> Check {
        Check {
            id,
            verdict: Verdict::Vulnerable,
            reason: None,
            finding: Some((severity, detail.into())),
        }
    }
    pub fn not_vulnerable(id: &'static str) -> Check {
        Check {
            id,
            verdict: Verdict::NotVulnerable,
            reason: None,
            finding: None,
        }
    }
    pub fn not_applicable(id: &'static str, why: impl Into<String>) -> Check {
        Check {
            id,
            verdict: Verdict::NotApplicable,
            reason: Some(why.into()),
            finding: None,
        }
    }
    pub fn unknown(id: &'static str, why: impl Into<String>) -> Check {
        Check {
            id,
            verdict: Verdict::Unknown,
            reason: Some(why.into()),
            finding: None,
        }
    }
}

/// What a check may look at: the connection factory of the target (every connection counted
/// and limited) and the report of what the scan found so far (versions, suites, features,
/// certificates, HTTP).
pub struct Scope<'a> {
    pub conn: &'a Conn<'a>,
    pub sni: &'a Option<String>,
    pub report: &'a TargetReport,
}

/// One registered check.
pub struct CheckSpec {
    pub id: &'static str,
    /// Connections the check opens at most (0 for a derived verdict).
    pub max_connections: usize,
    pub run: fn(&Scope) -> Check,
}

/// Every check, in the order the report lists them.
pub fn registry() -> Vec<CheckSpec> {
    vec![
        CheckSpec {
            id: heartbleed::ID,
            max_connections: 1,
            run: heartbleed::run,
        },
        CheckSpec {
            id: ccs_injection::ID,
            max_connections: 1,
            run: ccs_injection::run,
        },
        CheckSpec {
            id: ticketbleed::ID,
            max_connections: 2,
            run: ticketbleed::run,
        },
        robot::spec(),
        CheckSpec {
            id: sslv2::ID,
            max_connections: 1,
            run: sslv2::run,
        },
        client_renegotiation::spec(),
        insecure_renegotiation::spec(),
        zero_rtt::spec(),
        CheckSpec {
            id: breach::ID,
            max_connections: 0,
            run: breach::run,
        },
        poodle_tls::spec(),
        // Derived from the report: no connection.
        CheckSpec {
            id: lucky13::ID,
            max_connections: 0,
            run: lucky13::run,
        },
        CheckSpec {
            id: sweet32::ID,
            max_connections: 0,
            run: sweet32::run,
        },
        CheckSpec {
            id: freak::ID,
            max_connections: 0,
            run: freak::run,
        },
        CheckSpec {
            id: logjam::ID,
            max_connections: 0,
            run: logjam::run,
        },
        CheckSpec {
            id: beast::ID,
            max_connections: 0,
            run: beast::run,
        },
    ]
}

/// Runs every check in parallel and returns the results in registry order.
pub fn run_all(scope: &Scope) -> Vec<Check> {
    let specs = registry();
    std::thread::scope(|s| {
        let handles: Vec<_> = specs
            .iter()
            .map(|spec| (spec.id, s.spawn(move || (spec.run)(scope))))
            .collect();
        handles
            .into_iter()
            .map(|(id, h)| {
                h.join()
                    .unwrap_or_else(|_| Check::unknown(id, "unknown: the check failed internally"))
            })
            .collect()
    })
}

/// Drops from `found` (the findings derived from the report) those a vulnerable check
/// reports itself under the same id, so each problem is one finding: the check's.
pub fn supersede(found: &mut Vec<Finding>, checks: &[Check]) {
    found.retain(|f| {
        !checks
            .iter()
            .any(|c| c.verdict == Verdict::Vulnerable && c.id == f.id)
    });
}

/// The findings of the vulnerable checks.
pub fn findings(checks: &[Check]) -> Vec<Finding> {
    checks
        .iter()
        .filter(|c| c.verdict == Verdict::Vulnerable)
        .filter_map(|c| {
            c.finding.as_ref().map(|(severity, detail)| Finding {
                id: c.id.to_string(),
                severity: *severity,
                detail: detail.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_bounded_and_unique() {
        let specs = registry();
        let total: usize = specs.iter().map(|s| s.max_connections).sum();
        // docs/cli.md and README promise 21 at most: a check that needs more changes them too.
        assert!(
            total <= 21,
            "vulnerability checks may open {total} connections"
        );
        assert_eq!(specs.len(), 15, "the 15 checks of docs/cli.md");
        let mut ids: Vec<_> = specs.iter().map(|s| s.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate check id");
    }

    #[test]
    fn vulnerable_checks_become_findings() {
        let c = [
            Check::vulnerable("heartbleed", Severity::Critical, "leaks memory"),
            Check::not_vulnerable("robot"),
            Check::unknown("ticketbleed", "unknown: no ticket"),
        ];
        let f = findings(&c);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id, "heartbleed");
        // A derived finding with a vulnerable check's id gives way to the check's.
        let mut found = vec![
            Finding {
                id: "heartbleed".into(),
                severity: Severity::High,
                detail: "derived".into(),
            },
            Finding {
                id: "robot".into(),
                severity: Severity::Low,
                detail: "derived".into(),
            },
        ];
        supersede(&mut found, &c);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "robot");
        assert_eq!(Verdict::NotApplicable.as_str(), "not_applicable");
    }
}
