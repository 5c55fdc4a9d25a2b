//! TLS 1.0-1.2 policy both roles apply and report alike: deprecated versions (RFC 8996),
//! BEAST for TLS 1.0 CBC suites (CVE-2011-3389), no renegotiation (RFC 5746), and no MD5 or
//! SHA-1 signatures (RFC 9155).

use super::{Common, Incoming};
use crate::error::{Alert, AlertLevel};
use crate::event::{Check, CheckKind, Event, Info, Warning};
use crate::wire::codepoints::{ProtocolVersion, SignatureScheme};

/// RFC 9155: MD5 and SHA-1 signature schemes (hash byte 1 or 2 of the TLS 1.2
/// hash/signature pair, RFC 5246 §7.4.1.4.1). tlsprobe never offers, makes or accepts them:
/// clients MUST NOT offer them (§3), servers MUST NOT sign a ServerKeyExchange with them
/// (§4), and a CertificateVerify with one is refused (§5); TLS 1.3 never allowed them
/// (RFC 8446 §4.2.3).
pub fn forbidden_hash(scheme: SignatureScheme) -> bool {
    matches!(scheme.0 >> 8, 1 | 2)
}

/// RFC 8996: TLS 1.0 and 1.1 are deprecated; none for TLS 1.2.
pub fn deprecated_version(version: ProtocolVersion) -> Option<Check> {
    (version < ProtocolVersion::TLS12)
        .then(|| Check::fail(CheckKind::DeprecatedVersion { version }))
}

/// TLS 1.0 with a CBC suite: chained IVs, exposed to BEAST; also warned about, saying
/// whether application data is split 1/n-1 (the record layer's `split_cbc`).
pub fn beast(c: &mut Common) -> Check {
    let split = c.rl.split_cbc;
    c.emit(Event::Warning(Warning::Beast { split }));
    Check::fail(CheckKind::Beast)
}

/// The peer's request to renegotiate once the handshake is complete (`m`: a HelloRequest
/// from a server, a ClientHello from a client) is refused with a no_renegotiation warning
/// (RFC 5746 §4.5, RFC 5246 §7.4.1.2).
pub fn refuse_renegotiation(c: &mut Common, m: &Incoming) {
    m.report(c, vec![]);
    c.send_alert(AlertLevel::Warning, Alert::NoRenegotiation);
    c.emit(Event::Info(Info::RenegotiationRefused {
        by: c.side.peer(),
    }));
}
