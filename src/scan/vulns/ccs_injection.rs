//! CCS injection (CVE-2014-0224): whether a server accepts a ChangeCipherSpec before the key
//! exchange. RFC 5246 §7.1 allows ChangeCipherSpec only after the keys are agreed; a patched
//! server refuses an early one with unexpected_message. A vulnerable OpenSSL (before 0.9.8za,
//! 1.0.0m, 1.0.1h) takes it and switches to keys from an empty master secret, so the next
//! record fails to decrypt: bad_record_mac or decryption_failed (as testssl.sh and sslyze
//! judge it).

use super::legacy_hs::{self, alert_of, Stop, MAX_RECORDS};
use super::{Check, Scope, Verdict};
use crate::error::Alert;
use crate::scan::findings::Severity;
use crate::wire::codepoints::{ContentType, ProtocolVersion};

pub const ID: &str = "ccs_injection";

/// What the server did after the early ChangeCipherSpec and the record behind it.
fn judge(stop: Stop) -> Check {
    match stop {
        Stop::Alert(a @ (Alert::BadRecordMac | Alert::DecryptionFailed)) => Check::vulnerable(
            ID,
            Severity::High,
            format!(
                "CCS injection (CVE-2014-0224): the server accepted a ChangeCipherSpec before \
                 the key exchange and then failed to decrypt the next record ({a}); a \
                 man-in-the-middle can make it use keys it knows; upgrade OpenSSL"
            ),
        ),
        Stop::Alert(a) => seen(format!(
            "the server refused the early ChangeCipherSpec with alert {a}"
        )),
        Stop::Closed => seen("the server closed the connection after the early ChangeCipherSpec"),
        Stop::Timeout => seen("no answer to the early ChangeCipherSpec within the timeout"),
        Stop::Other(m) => Check::unknown(ID, format!("unknown: {m}")),
    }
}

fn seen(why: impl Into<String>) -> Check {
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some(why.into());
    c
}

/// The check: 1 connection.
pub fn run(scope: &Scope) -> Check {
    let (version, suites) = match legacy_hs::legacy_offer(scope.report, ID) {
        Ok(o) => o,
        Err(c) if c.verdict == Verdict::NotApplicable => {
            return Check::not_applicable(
                ID,
                "not applicable: the server speaks only TLS 1.3, whose ChangeCipherSpec is \
                 never acted on (RFC 8446 §5)",
            )
        }
        Err(c) => return c,
    };
    let (mut s, sh) = match legacy_hs::first_flight(scope.conn, ID, version, suites, scope.sni) {
        Ok(done) => done,
        Err(c) => return c,
    };
    let v = sh.version.max(ProtocolVersion::SSL3);
    // The early ChangeCipherSpec (RFC 5246 §7.1), then a record the server must decrypt if it
    // took it (a two-byte application_data record, as sslyze sends).
    let mut out = legacy_hs::record(ContentType::CHANGE_CIPHER_SPEC, v, &[1]);
    out.extend(legacy_hs::record(ContentType::APPLICATION_DATA, v, &[0, 0]));
    if s.raw.send(&out).is_err() {
        return judge(Stop::Closed);
    }
    for _ in 0..MAX_RECORDS {
        match s.raw.next_record() {
            Ok((h, body)) if h.content_type == ContentType::ALERT => return judge(alert_of(&body)),
            Ok(_) => continue,
            Err(e) => return judge(Stop::from(e)),
        }
    }
    Check::unknown(
        ID,
        "unknown: the server kept sending records without an alert",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(
            judge(Stop::Alert(Alert::BadRecordMac)).verdict,
            Verdict::Vulnerable
        );
        assert_eq!(
            judge(Stop::Alert(Alert::DecryptionFailed)).verdict,
            Verdict::Vulnerable
        );
        for s in [
            Stop::Alert(Alert::UnexpectedMessage),
            Stop::Alert(Alert::HandshakeFailure),
            Stop::Closed,
            Stop::Timeout,
        ] {
            assert_eq!(judge(s).verdict, Verdict::NotVulnerable);
        }
        let u = judge(Stop::Other("x".into()));
        assert!(u.reason.unwrap().starts_with("unknown: "));
    }
}
