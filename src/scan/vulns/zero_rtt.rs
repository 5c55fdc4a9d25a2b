//! zero_rtt: whether the server accepts replayed TLS 1.3 early data (RFC 8446 §8: 0-RTT
//! has no replay protection of its own; the server must add it, by single-use tickets,
//! §8.1, or by recording ClientHellos, §8.2). One handshake for a ticket that allows early
//! data (max_early_data_size, §4.6.1), then a resumption offering 0-RTT (§4.2.10), then the
//! very same ClientHello again, byte for byte, as an attacker who captured it would send
//! it. Both hellos come from two client states built alike (same seeded randomness, same
//! ticket age), so the replay can still be read: acceptance shows in EncryptedExtensions.
//! The 0-RTT offer is empty: no application bytes reach the server.

use super::driven;
use super::{Check, CheckSpec, Scope};
use crate::crypto::rng::{seeded_rng, system_rng};
use crate::event::{Dir, EarlyData, Event};
use crate::handshake::session::now_ms;
use crate::handshake::{ClientSession, Connection};
use crate::scan::findings::Severity;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::handshake::HandshakeMessage;
use crate::wire::suites::CipherSuite;
use rand::RngCore;

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
            Check::unknown(ID, "not tested: TLS 1.3 was not probed (--tls)")
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
    let (first, replay) = match twins(s, suites, ticket.clone()) {
        Ok(t) => t,
        Err(why) => return Check::unknown(ID, format!("unknown: {why}")),
    };
    match accepted(s, first) {
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
        Err(why) => return Check::unknown(ID, format!("unknown: the resumption failed ({why})")),
    }
    match accepted(s, replay) {
        Ok(true) => Check::vulnerable(
            ID,
            Severity::Medium,
            "TLS 1.3 early data accepted again when the same ClientHello was replayed: 0-RTT requests can be replayed (RFC 8446 §8)",
        ),
        Ok(false) => with_reason(
            Check::not_vulnerable(ID),
            "early data accepted once, refused when the same ClientHello was replayed (anti-replay)",
        ),
        // A replay whose handshake the server refuses outright is no replay accepted.
        Err(why) => with_reason(
            Check::not_vulnerable(ID),
            format!("early data accepted once; the replayed ClientHello was refused ({why})"),
        ),
    }
}

/// Two clients that send the same ClientHello, byte for byte: the same seeded randomness
/// (client random, key shares), the same ticket and the same ticket age (RFC 8446
/// §4.2.11.1, in whole milliseconds: both are built within one millisecond, retried a few
/// times until they are).
fn twins(
    s: &Scope,
    suites: Vec<CipherSuite>,
    ticket: ClientSession,
) -> Result<(Connection, Connection), String> {
    let mut config = driven::config(s, ProtocolVersion::TLS13, suites);
    config.resume = Some(ticket);
    config.early_data = Some(vec![]);
    let seed = system_rng().next_u64();
    for _ in 0..20 {
        let before = now_ms();
        let a = Connection::client(config.clone(), seeded_rng(seed));
        let b = Connection::client(config.clone(), seeded_rng(seed));
        if now_ms() == before {
            return Ok((a.map_err(|e| e.to_string())?, b.map_err(|e| e.to_string())?));
        }
    }
    Err("could not build the same ClientHello twice within a millisecond".into())
}

/// One full TLS 1.3 handshake, then the first ticket the server sends (RFC 8446 §4.6.1:
/// after the handshake), read until it comes or the server closes, bounded by the timeout.
fn first_ticket(s: &Scope, suites: Vec<CipherSuite>) -> Result<Option<ClientSession>, String> {
    let config = driven::config(s, ProtocolVersion::TLS13, suites);
    let mut c =
        driven::handshake(s, config).map_err(|e| format!("the TLS 1.3 handshake failed ({e})"))?;
    // Our close_notify follows our Finished, after which the server sends its tickets:
    // they arrive before its own close_notify, and a server without tickets closes at once.
    c.close();
    let _ = c.read_until(s.conn.endpoint.timeout(), |seen| seen.iter().any(is_ticket));
    Ok(c.d.conn.session().filter(|t| t.ticket.is_some()))
}

fn is_ticket(e: &Event) -> bool {
    matches!(e, Event::Handshake { dir: Dir::In, msg, .. } if matches!(**msg, HandshakeMessage::NewSessionTicket13(_)))
}

/// Completes the resumption `client` started; whether the server accepted its early data.
fn accepted(s: &Scope, client: Connection) -> Result<bool, String> {
    let mut c = driven::drive(s, client).map_err(|e| e.to_string())?;
    let accepted = c.d.conn.summary().and_then(|x| x.early_data) == Some(EarlyData::Accepted);
    c.close();
    Ok(accepted)
}
