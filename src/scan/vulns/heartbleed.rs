//! Heartbleed (CVE-2014-0160): whether a server answers a HeartbeatRequest whose
//! payload_length claims more bytes than were sent (RFC 6520 §4 says such a message MUST be
//! discarded silently; a vulnerable OpenSSL 1.0.1-1.0.1f echoes that much of its memory).
//! Only the length of an answer is looked at; its bytes are dropped unread.

use super::legacy_hs::{self, alert_of, Stop, MAX_RECORDS};
use super::{Check, Scope};
use crate::net::raw::{Next, RecordEnd};
use crate::scan::findings::Severity;
use crate::wire::codepoints::{ContentType, ExtensionType, ProtocolVersion};
use crate::wire::extensions::find;

pub const ID: &str = "heartbleed";

/// The payload length the malformed request claims (it carries no payload at all).
const CLAIMED: u16 = 0x4000;
/// heartbeat_message_type request (RFC 6520 §4).
const REQUEST: u8 = 1;

/// The malformed request: type, a payload_length of [`CLAIMED`], nothing else.
fn malformed_request() -> [u8; 3] {
    let l = CLAIMED.to_be_bytes();
    [REQUEST, l[0], l[1]]
}

/// A well-formed request (one payload byte, 16 bytes of padding, RFC 6520 §4): a server that
/// discards the malformed one answers this one, so its answer ends the wait early.
fn wellformed_request() -> Vec<u8> {
    let mut m = vec![REQUEST, 0, 1, 0x42];
    m.extend([0u8; 16]);
    m
}

/// What one answer says: a heartbeat of `len` bytes, at least the claimed payload, can only
/// hold the server's memory; a short one answers the well-formed request.
fn judge_heartbeat(len: u16) -> Check {
    if len >= CLAIMED {
        Check::vulnerable(
            ID,
            Severity::Critical,
            format!(
                "Heartbleed (CVE-2014-0160): the server answered a heartbeat request claiming \
                 {CLAIMED} bytes it was never sent with a {len}-byte heartbeat: it leaks its \
                 memory (keys, passwords, session data); upgrade OpenSSL"
            ),
        )
    } else {
        let mut c = Check::not_vulnerable(ID);
        c.reason = Some(format!(
            "the server discarded the malformed heartbeat request and answered a well-formed \
             one ({len} bytes)"
        ));
        c
    }
}

/// The check: ≤ 1 connection (none when the scan saw no heartbeat extension).
pub fn run(scope: &Scope) -> Check {
    let (version, suites) = match legacy_hs::legacy_offer(scope.report, ID) {
        Ok(o) => o,
        Err(c) => {
            return match c.verdict {
                super::Verdict::NotApplicable => Check::not_applicable(
                    ID,
                    "not applicable: the server speaks only TLS 1.3, which has no heartbeat \
                     in the handshake (RFC 6520 is a TLS 1.2 extension)",
                ),
                _ => c,
            }
        }
    };
    if scope.report.features.heartbeat == Some(false) {
        return no_extension();
    }
    let (mut s, sh) = match legacy_hs::first_flight(scope.conn, ID, version, suites, scope.sni) {
        Ok(done) => done,
        Err(c) => return c,
    };
    if find(&sh.extensions, ExtensionType::HEARTBEAT).is_none() {
        return no_extension();
    }
    let v = sh.version.max(ProtocolVersion::SSL3);
    let mut out = legacy_hs::record(ContentType::HEARTBEAT, v, &malformed_request());
    out.extend(legacy_hs::record(
        ContentType::HEARTBEAT,
        v,
        &wellformed_request(),
    ));
    if s.raw.send(&out).is_err() {
        return quiet("the server closed the connection");
    }
    for _ in 0..MAX_RECORDS {
        match s.raw.next_record_or_heartbeat() {
            Ok(Next::Heartbeat(len)) => return judge_heartbeat(len),
            Ok(Next::Record(h, body)) if h.content_type == ContentType::ALERT => {
                return quiet(&format!("{} to the heartbeat requests", alert_of(&body)))
            }
            Ok(Next::Record(..)) => continue,
            Err(RecordEnd::Timeout) => return quiet("no heartbeat answer within the timeout"),
            Err(RecordEnd::Closed) => return quiet("the server closed the connection"),
            Err(e) => {
                return Check::unknown(
                    ID,
                    format!(
                        "unknown: the answer to the heartbeat requests is not TLS: {}",
                        Stop::from(e)
                    ),
                )
            }
        }
    }
    quiet("no heartbeat answer")
}

fn no_extension() -> Check {
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some("the server does not acknowledge the heartbeat extension (RFC 6520)".into());
    c
}

/// Not vulnerable: the server did not answer the malformed request.
fn quiet(what: &str) -> Check {
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some(format!("{what}: no memory echoed"));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_long_answer_is_a_leak() {
        assert_eq!(
            judge_heartbeat(CLAIMED + 19).verdict,
            super::super::Verdict::Vulnerable
        );
        assert_eq!(
            judge_heartbeat(20).verdict,
            super::super::Verdict::NotVulnerable
        );
        assert_eq!(malformed_request(), [1, 0x40, 0]);
        assert_eq!(wellformed_request().len(), 20);
    }
}
