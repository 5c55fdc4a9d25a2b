//! Ticketbleed (CVE-2016-9244, F5 BIG-IP): a server resuming a session from its ticket
//! (RFC 5077 §3.4) must echo the client's session ID as sent; a vulnerable one always echoes
//! 32 bytes, so a shorter ID comes back followed by bytes of its memory. The check sends an
//! 8-byte ID and compares only that prefix and the length of the echo; the other bytes are
//! never kept.

use rand::RngCore;

use super::legacy_hs;
use super::{Check, Scope, Verdict};
use crate::scan::findings::Severity;
use crate::scan::fullhs;
use crate::wire::codepoints::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::{ExtBody, Extension};

pub const ID: &str = "ticketbleed";

/// The length of the session ID the resuming hello sends.
const SENT: usize = 8;
/// The length a vulnerable server echoes whatever was sent.
const ECHOED: usize = 32;

/// What the ServerHello's session ID says, given the one sent (`echo` is dropped unkept).
fn judge(sent: &[u8], echo: &[u8]) -> Check {
    if echo == sent {
        let mut c = Check::not_vulnerable(ID);
        c.reason = Some(format!(
            "the server resumed from its ticket and echoed the {SENT}-byte session ID exactly"
        ));
        c
    } else if echo.len() == ECHOED && echo.starts_with(sent) {
        Check::vulnerable(
            ID,
            Severity::High,
            format!(
                "Ticketbleed (CVE-2016-9244): resuming from its session ticket, the server \
                 echoed a {SENT}-byte session ID as {ECHOED} bytes, {} of them from its memory \
                 (possibly other connections' secrets); update the F5 BIG-IP or disable \
                 session tickets",
                ECHOED - SENT
            ),
        )
    } else {
        Check::unknown(
            ID,
            "unknown: the server did not resume the session from the ticket it issued, so the \
             session-ID echo could not be tested",
        )
    }
}

/// The check: 2 connections (a complete handshake for a ticket, then a resuming hello).
pub fn run(scope: &Scope) -> Check {
    let (version, suites) = match legacy_hs::legacy_offer(scope.report, ID) {
        Ok(o) => o,
        Err(c) if c.verdict == Verdict::NotApplicable => {
            return Check::not_applicable(
                ID,
                "not applicable: the server speaks only TLS 1.3 (Ticketbleed is a TLS 1.2 \
                 session-ticket flaw)",
            )
        }
        Err(c) => return c,
    };
    if scope.report.features.session_ticket == Some(false) {
        return Check::not_applicable(
            ID,
            "not applicable: the server does not support session tickets (RFC 5077)",
        );
    }
    let v = vec![version];
    let session = match fullhs::handshake(scope.conn, scope.sni.clone(), v, vec![], None, true) {
        Ok(r) => r.session,
        Err(e) => {
            return Check::unknown(
                ID,
                format!("unknown: the handshake to get a session ticket failed ({e})"),
            )
        }
    };
    let Some((ticket, session)) = session.and_then(|s| s.ticket.clone().map(|t| (t, s))) else {
        return Check::not_applicable(
            ID,
            "not applicable: the server issued no session ticket (RFC 5077)",
        );
    };
    let mut offer = vec![session.suite];
    offer.extend(suites.into_iter().filter(|s| *s != session.suite));
    let mut ch = legacy_hs::hello(session.version, offer, scope.sni).client_hello();
    let mut sent = [0u8; SENT];
    rand::thread_rng().fill_bytes(&mut sent);
    ch.session_id = sent.to_vec();
    // The resumption offer must match the session: EMS only when it had it (RFC 7627 §5.3).
    ch.extensions.retain(|e| {
        e.typ != ExtensionType::EXTENDED_MASTER_SECRET || session.extended_master_secret
    });
    for e in ch.extensions.iter_mut() {
        if e.typ == ExtensionType::SESSION_TICKET {
            *e = Extension::new(
                ExtensionType::SESSION_TICKET,
                ExtBody::SessionTicket(ticket),
            );
            break;
        }
    }
    let mut s = match legacy_hs::open(scope.conn, ID) {
        Ok(s) => s,
        Err(c) => return c,
    };
    match legacy_hs::exchange(&mut s, legacy_hs::hello_record(ch), false) {
        Ok(sh) if sh.version <= ProtocolVersion::TLS12 => judge(&sent, &sh.session_id),
        Ok(_) => Check::unknown(ID, "unknown: the server answered with TLS 1.3"),
        Err(e) => Check::unknown(ID, format!("unknown: the resuming handshake failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        let sent = [7u8; SENT];
        assert_eq!(judge(&sent, &sent).verdict, Verdict::NotVulnerable);
        let mut leak = sent.to_vec();
        leak.extend([0xee; ECHOED - SENT]);
        assert_eq!(judge(&sent, &leak).verdict, Verdict::Vulnerable);
        assert_eq!(judge(&sent, &[1u8; 32]).verdict, Verdict::Unknown);
        assert_eq!(judge(&sent, &[]).verdict, Verdict::Unknown);
    }
}
