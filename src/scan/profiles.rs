//! Mozilla's server-side TLS guidelines (modern, intermediate, old): whether the scanned
//! server complies with each, and every deviation, as sslyze's `--mozilla_config` tells.

/// One profile's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileResult {
    /// "modern", "intermediate" or "old".
    pub name: &'static str,
    pub compliant: bool,
    pub deviations: Vec<String>,
}
