//! What the derived checks (lucky13, sweet32, freak, logjam, beast) share: the suites the
//! scan found per version, and the names list of a finding. They open no connection.

use super::Check;
use crate::scan::TargetReport;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::SuiteInfo;

/// The versions the scan probed (supported or not).
pub fn probed(r: &TargetReport) -> Vec<ProtocolVersion> {
    r.protocols.iter().map(|p| p.version).collect()
}

/// Whether the scan found `v` supported.
pub fn supported(r: &TargetReport, v: ProtocolVersion) -> bool {
    r.protocols.iter().any(|p| p.version == v && p.supported)
}

/// Whether any of `versions` was probed.
pub fn any_probed(r: &TargetReport, versions: &[ProtocolVersion]) -> bool {
    r.protocols.iter().any(|p| versions.contains(&p.version))
}

/// The accepted suites of the supported versions among `versions` that match `pred`, each
/// once, in code-point order.
pub fn suites_in(
    r: &TargetReport,
    versions: &[ProtocolVersion],
    pred: fn(&SuiteInfo) -> bool,
) -> Vec<&'static SuiteInfo> {
    let mut v: Vec<&'static SuiteInfo> = r
        .protocols
        .iter()
        .filter(|p| p.supported && versions.contains(&p.version))
        .flat_map(|p| p.cipher_suites.iter())
        .filter_map(|s| s.info())
        .filter(|i| pred(i))
        .collect();
    v.sort_by_key(|i| i.id);
    v.dedup_by_key(|i| i.id);
    v
}

/// SSL 3.0 to TLS 1.2: the versions with CBC, 64-bit-block and export suites.
pub const LEGACY: [ProtocolVersion; 4] = [
    ProtocolVersion::SSL3,
    ProtocolVersion::TLS10,
    ProtocolVersion::TLS11,
    ProtocolVersion::TLS12,
];

/// The first three suite names and how many more.
pub fn names(list: &[&SuiteInfo]) -> String {
    let more = list.len().saturating_sub(3);
    let mut s = list
        .iter()
        .take(3)
        .map(|i| i.iana)
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// Why a check about `versions` has nothing to look at: not applicable when they were probed
/// and none is supported, unknown when none was probed (`--tls`/`-V` narrowed the scan).
/// `None` when at least one is supported.
pub fn no_versions(r: &TargetReport, versions: &[ProtocolVersion], what: &str) -> Option<String> {
    if versions.iter().any(|v| supported(r, *v)) {
        None
    } else if any_probed(r, versions) {
        Some(format!("not applicable: no {what}"))
    } else {
        Some(format!("not tested: {what} was not probed (--tls)"))
    }
}

/// The check's verdict when [`no_versions`] gave a reason: not_applicable or unknown, as
/// the reason's first word says.
pub fn absent(id: &'static str, why: String) -> Check {
    if why.starts_with("not applicable") {
        Check::not_applicable(id, why)
    } else {
        Check::unknown(id, why)
    }
}

#[cfg(test)]
pub mod testing {
    //! Reports built by hand for the derived checks' unit tests.
    use crate::scan::{ProtocolResult, TargetReport};
    use crate::wire::codepoints::ProtocolVersion;
    use crate::wire::suites::CipherSuite;

    /// A report whose versions (all five probed) accept the given suites; versions not
    /// listed are probed and unsupported.
    pub fn report(accepts: &[(ProtocolVersion, &[u16])]) -> TargetReport {
        let protocols = crate::scan::ALL_VERSIONS
            .iter()
            .map(|v| {
                let suites = accepts.iter().find(|(w, _)| w == v).map(|(_, s)| *s);
                ProtocolResult {
                    version: *v,
                    supported: suites.is_some(),
                    server_order: None,
                    cipher_suites: suites
                        .unwrap_or(&[])
                        .iter()
                        .map(|&id| CipherSuite(id))
                        .collect(),
                }
            })
            .collect();
        TargetReport {
            protocols,
            ..Default::default()
        }
    }
}
