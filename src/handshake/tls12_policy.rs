//! TLS 1.0-1.2 policy both roles apply and report alike: deprecated versions (RFC 8996),
//! BEAST for TLS 1.0 CBC suites (CVE-2011-3389), and no renegotiation (RFC 5746).

use super::{Common, Incoming, Side};
use crate::error::{Alert, AlertLevel};
use crate::event::{Check, Event};
use crate::wire::codepoints::ProtocolVersion;

/// RFC 8996: TLS 1.0 and 1.1 are deprecated; none for TLS 1.2.
pub fn deprecated_version(version: ProtocolVersion) -> Option<Check> {
    (version < ProtocolVersion::TLS12).then(|| {
        Check::new(
            "protocol version",
            false,
            format!("{version} is deprecated (RFC 8996)"),
        )
    })
}

/// TLS 1.0 with a CBC suite: chained IVs, exposed to BEAST; also warned about.
pub fn beast(c: &mut Common) -> Check {
    c.emit(Event::Warning(
        "TLS 1.0 CBC: chained IVs are exposed to BEAST (CVE-2011-3389); tlsprobe does not split records 1/n-1".into(),
    ));
    Check::new(
        "BEAST",
        false,
        "TLS 1.0 with a CBC suite: each record's IV is the previous ciphertext block, exposed to BEAST (CVE-2011-3389)",
    )
}

/// The peer's request to renegotiate once the handshake is complete (`m`: a HelloRequest
/// from a server, a ClientHello from a client) is refused with a no_renegotiation warning
/// (RFC 5746 §4.5, RFC 5246 §7.4.1.2).
pub fn refuse_renegotiation(c: &mut Common, m: &Incoming) {
    m.report(c, vec![]);
    c.send_alert(AlertLevel::Warning, Alert::NoRenegotiation);
    let request = match c.side.peer() {
        Side::Server => "the server asked to renegotiate",
        Side::Client => "the client tried to renegotiate",
    };
    c.emit(Event::Info(format!(
        "{request}; refused with a no_renegotiation warning"
    )));
}
