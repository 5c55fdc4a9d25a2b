//! BREACH (CVE-2013-3587): HTTP compression of a response over TLS, read from the scan's one
//! HTTP GET (`rep.http`, sent with `Accept-Encoding: gzip,deflate,br`); no connection of its own.

use super::{Check, Scope};
use crate::scan::findings::Severity;

pub const ID: &str = "breach";

/// Vulnerable when the answer to the GET was compressed (RFC 9110 §8.4 Content-Encoding),
/// as testssl.sh's `-B` says: an attacker who can inject text into a page that also
/// reflects a secret learns the secret from the compressed length.
pub fn run(scope: &Scope) -> Check {
    let Some(http) = &scope.report.http else {
        return Check::unknown(ID, "not tested: not an HTTP service (use --http)");
    };
    if http.status.is_none() {
        return Check::unknown(ID, "unknown: the HTTP request got no answer (see notes)");
    }
    match &http.compression {
        Some(coding) => Check::vulnerable(
            ID,
            Severity::Medium,
            format!(
                "the HTTP response is compressed ({coding}) over TLS: BREACH (CVE-2013-3587) can \
                 recover a secret from the compressed sizes, but only if the page reflects both \
                 a secret and attacker-chosen input; check the application's pages"
            ),
        ),
        None => Check::not_vulnerable(ID),
    }
}
