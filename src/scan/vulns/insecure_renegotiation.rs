//! insecure_renegotiation: the server lacks RFC 5746 secure renegotiation, so a
//! renegotiation it takes part in (whoever starts it) can splice an attacker's prefix into
//! the client's session (CVE-2009-3555). Derived from the TLS 1.0-1.2 ServerHellos the scan
//! saw (renegotiation_info, RFC 5746 §3.6), no connection of its own. As testssl.sh and
//! sslyze do, the missing extension alone is "vulnerable": a server may start renegotiation
//! itself (e.g. to ask for a client certificate), which no client-side probe can rule out;
//! whether a client may start one is `client_renegotiation`.

use super::{Check, CheckSpec, Scope};
use crate::scan::findings::Severity;
use crate::wire::codepoints::ProtocolVersion;

pub const ID: &str = "insecure_renegotiation";

/// Derived: no connection.
pub fn spec() -> CheckSpec {
    CheckSpec {
        id: ID,
        max_connections: 0,
        run,
    }
}

fn run(s: &Scope) -> Check {
    use ProtocolVersion as V;
    let r = s.report;
    let supported = |v| r.protocols.iter().any(|p| p.version == v && p.supported);
    let legacy = [V::TLS10, V::TLS11, V::TLS12].into_iter().any(supported);
    match r.features.secure_renegotiation {
        Some(true) => Check::not_vulnerable(ID),
        Some(false) if legacy => Check::vulnerable(
            ID,
            Severity::High,
            "secure renegotiation (RFC 5746) is not supported: a renegotiation can splice an attacker's data into a client's session (CVE-2009-3555)",
        ),
        _ if !legacy && !supported(V::SSL3) && supported(V::TLS13) => {
            let probed = |v| r.protocols.iter().any(|p| p.version == v);
            if [V::TLS10, V::TLS11, V::TLS12].into_iter().any(probed) {
                Check::not_applicable(
                    ID,
                    "not applicable: the server speaks only TLS 1.3, which has no renegotiation (RFC 8446 §4.1.2)",
                )
            } else {
                Check::unknown(ID, "not tested: no TLS 1.0-1.2 version was probed (--tls)")
            }
        }
        _ if !legacy && supported(V::SSL3) => Check::unknown(
            ID,
            "unknown: only SSL 3.0 below TLS 1.3, whose ServerHello the scan does not read for renegotiation_info",
        ),
        _ => Check::unknown(ID, unknown_reason(s)),
    }
}

/// Why the feature is unknown, from the features' own reasons, as an "unknown: …" sentence.
fn unknown_reason(s: &Scope) -> String {
    let why = s
        .report
        .features
        .unknown
        .iter()
        .find(|(k, _)| k == "secure_renegotiation")
        .map(|(_, w)| w.as_str())
        .unwrap_or("no TLS 1.0-1.2 ServerHello was seen");
    if why.starts_with("unknown: ") || why.starts_with("not tested: ") {
        why.to_string()
    } else {
        format!("unknown: {why}")
    }
}
