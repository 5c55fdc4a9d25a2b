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
