//! zero_rtt: whether the server accepts the same TLS 1.3 early data twice (RFC 8446 §8:
//! 0-RTT has no replay protection of its own; the server must add it). One handshake for a
//! ticket that allows early data (max_early_data_size, §4.6.1), then the same ticket twice
//! with an empty 0-RTT offer (§4.2.10; acceptance shows in EncryptedExtensions, so no
//! application bytes are sent): accepted both times is a replay; accepted once is
//! anti-replay at work (§8.1 single-use tickets, §8.2 ClientHello recording).

use super::driven;
use super::{Check, CheckSpec, Scope};
use crate::event::{Dir, EarlyData, Event};
use crate::wire::handshake::HandshakeMessage;
use crate::handshake::ClientSession;
use crate::scan::findings::Severity;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::CipherSuite;

pub const ID: &str = "zero_rtt";

/// A ticket, then its two uses.
pub fn spec() -> CheckSpec {
    CheckSpec {
        id: ID,
        max_connections: 3,
        run,
    }
}

fn with_reason(mut c: Check, why: impl Into<String>) -> Check {
    c.reason = Some(why.into());
    c
}

fn run(s: &Scope) -> Check {
    let v = ProtocolVersion::TLS13;
    if !driven::supported(s, v) {
        let probed = s.report.protocols.iter().any(|p| p.version == v);
        return if probed {
            Check::not_applicable(
                ID,
                "not applicable: the server does not speak TLS 1.3 (0-RTT is TLS 1.3's, RFC 8446 §2.3)",
            )
        } else {
            Check::unknown(ID, "unknown: TLS 1.3 was not probed (--tls)")
        };
    }
    let suites = driven::our_suites(s, v);
    if suites.is_empty() {
        return Check::unknown(
            ID,
            "unknown: no TLS 1.3 cipher suite in common with tlsprobe's client",
        );
    }
    let ticket = match first_ticket(s, suites.clone()) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return with_reason(
                Check::not_vulnerable(ID),
                "no early data offered: the server issued no session ticket",
            )
        }
        Err(why) => return Check::unknown(ID, format!("unknown: {why}")),
    };
    if ticket.max_early_data == 0 {
        return with_reason(Check::not_vulnerable(ID), "no early data offered");
    }
    let offer = |n: &str| {
        early_data_accepted(s, suites.clone(), ticket.clone())
            .map_err(|why| format!("unknown: the {n} resumption failed ({why})"))
    };
    match offer("first") {
        Ok(true) => {}
        Ok(false) => {
            return with_reason(
                Check::not_vulnerable(ID),
                format!(
                    "early data offered (up to {} bytes) but refused on resumption",
                    ticket.max_early_data
                ),
            )
        }
        Err(why) => return Check::unknown(ID, why),
    }
    match offer("second") {
        Ok(true) => Check::vulnerable(
            ID,
            Severity::Medium,
            "TLS 1.3 early data accepted twice with the same ticket: 0-RTT requests can be replayed (RFC 8446 §8)",
        ),
        Ok(false) => with_reason(
            Check::not_vulnerable(ID),
            "early data accepted once, refused when the ticket was replayed (anti-replay)",
        ),
        Err(why) => Check::unknown(ID, why),
    }
}

/// One full TLS 1.3 handshake, then the first ticket the server sends (RFC 8446 §4.6.1:
/// after the handshake), read until it comes or the server closes, bounded by the timeout.
fn first_ticket(
    s: &Scope,
    suites: Vec<CipherSuite>,
) -> Result<Option<ClientSession>, String> {
    let config = driven::config(s, ProtocolVersion::TLS13, suites);
    let mut c = driven::handshake(s, config).map_err(|e| format!("the TLS 1.3 handshake failed ({e})"))?;
    // Our close_notify follows our Finished, after which the server sends its tickets:
    // they arrive before its own close_notify, and a server without tickets closes at once.
    c.close();
    let _ = c.read_until(s.conn.endpoint.timeout(), |seen| seen.iter().any(is_ticket));
    Ok(c.d.conn.session().filter(|t| t.ticket.is_some()))
}

fn is_ticket(e: &Event) -> bool {
    matches!(e, Event::Handshake { dir: Dir::In, msg, .. } if matches!(**msg, HandshakeMessage::NewSessionTicket13(_)))
}

/// Resumes `ticket` offering (empty) early data; whether the server accepted it.
fn early_data_accepted(
    s: &Scope,
    suites: Vec<CipherSuite>,
    ticket: ClientSession,
) -> Result<bool, String> {
    let mut config = driven::config(s, ProtocolVersion::TLS13, suites);
    config.resume = Some(ticket);
    config.early_data = Some(vec![]);
    let mut c = driven::handshake(s, config).map_err(|e| e.to_string())?;
    let accepted = c.d.conn.summary().and_then(|x| x.early_data) == Some(EarlyData::Accepted);
    c.close();
    Ok(accepted)
}
