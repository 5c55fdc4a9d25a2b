//! client_renegotiation: whether the server renegotiates when its client asks, each time
//! doing a full handshake's work (a denial-of-service lever). One complete TLS 1.0-1.2
//! handshake with tlsprobe's client, then a renegotiating ClientHello over it (RFC 5246
//! §7.4.1.2; renegotiation_info with client_verify_data, RFC 5746 §3.5, or the legacy form
//! when the server lacks RFC 5746), and the server's first answer: a ServerHello accepts,
//! an alert or a close refuses (RFC 5746 §4.5 no_renegotiation).

use super::driven::{self, Driven};
use super::{Check, CheckSpec, Scope};
use crate::error::{Alert, AlertLevel};
use crate::event::{Dir, Event};
use crate::net::driver::DriveError;
use crate::scan::findings::Severity;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::handshake::HandshakeMessage;

pub const ID: &str = "client_renegotiation";

/// One connection.
pub fn spec() -> CheckSpec {
    CheckSpec {
        id: ID,
        max_connections: 1,
        run,
    }
}

/// How the server answered the renegotiating ClientHello.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    ServerHello,
    Alert(AlertLevel, Alert),
    Closed,
    Silence,
}

/// The first answer among the events seen since the request.
fn answer(seen: &[Event]) -> Option<Answer> {
    seen.iter().find_map(|e| match e {
        Event::Handshake {
            dir: Dir::In, msg, ..
        } if matches!(**msg, HandshakeMessage::ServerHello(_)) => Some(Answer::ServerHello),
        Event::Alert {
            dir: Dir::In,
            description: Alert::CloseNotify,
            ..
        } => Some(Answer::Closed),
        Event::Alert {
            dir: Dir::In,
            level,
            description,
        } => Some(Answer::Alert(*level, *description)),
        _ => None,
    })
}

fn run(s: &Scope) -> Check {
    use ProtocolVersion as V;
    let Some(v) = [V::TLS12, V::TLS11, V::TLS10]
        .into_iter()
        .find(|&v| driven::supported(s, v))
    else {
        return without_legacy(s);
    };
    let suites = driven::our_suites(s, v);
    if suites.is_empty() {
        return Check::unknown(
            ID,
            format!("unknown: no {v} cipher suite in common with tlsprobe's client"),
        );
    }
    let mut config = driven::config(s, v, suites);
    config.session_tickets = false;
    let mut c = match driven::handshake(s, config) {
        Ok(c) => c,
        Err(e) => {
            return Check::unknown(ID, format!("unknown: the {v} handshake failed ({e})"));
        }
    };
    let check = match request(&mut c, s) {
        Ok(a) => verdict(a, s),
        Err(why) => Check::unknown(ID, format!("unknown: {why}")),
    };
    c.close();
    check
}

/// Sends the renegotiating ClientHello and waits (bounded by the scan's timeout) for the
/// first answer.
fn request(c: &mut Driven, s: &Scope) -> Result<Answer, String> {
    c.d.conn
        .request_renegotiation()
        .map_err(|e| format!("the renegotiating ClientHello could not be built ({e})"))?;
    let from = c.seen.len();
    let seen = &mut c.seen;
    c.d.flush(&mut |e: &Event| {
        seen.push(e.clone());
        Ok(())
    })
    .map_err(|e| format!("the renegotiating ClientHello could not be sent ({e})"))?;
    let got = c.read_until(s.conn.endpoint.timeout(), |seen| {
        answer(&seen[from..]).is_some()
    });
    // A failure after the answer (the rest of the server's flight is unexpected to us) does
    // not change it.
    if let Some(a) = answer(&c.seen[from..]) {
        return Ok(a);
    }
    match got {
        Ok(_) if c.d.net_eof() || c.d.conn.peer_closed() => Ok(Answer::Closed),
        Ok(_) => Ok(Answer::Silence),
        // What came back is not TLS we can read: no answer either way.
        Err(DriveError::Tls(e)) if !e.received => Err(format!(
            "the answer to the renegotiating ClientHello could not be read ({e})"
        )),
        // A reset or a close is a refusal.
        Err(_) => Ok(Answer::Closed),
    }
}

fn verdict(a: Answer, s: &Scope) -> Check {
    let why = match a {
        Answer::ServerHello => {
            return Check::vulnerable(
                ID,
                Severity::Medium,
                "client-initiated renegotiation accepted: a client can make the server do handshake work repeatedly (DoS)",
            )
        }
        Answer::Alert(level, alert) => format!("refused with a {} {alert} alert", level.name()),
        Answer::Closed => "refused: the server closed the connection".to_string(),
        Answer::Silence => format!(
            "ignored: no answer to the renegotiating ClientHello within {} s",
            s.conn.endpoint.timeout().as_secs_f64()
        ),
    };
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some(why);
    c
}

/// No TLS 1.0-1.2: TLS 1.3 has no renegotiation (RFC 8446 §4.1.2); SSL 3.0 alone is not
/// spoken by tlsprobe's client.
fn without_legacy(s: &Scope) -> Check {
    if driven::supported(s, ProtocolVersion::SSL3) {
        return Check::unknown(
            ID,
            "unknown: only SSL 3.0 below TLS 1.3, which tlsprobe's client does not speak",
        );
    }
    if driven::supported(s, ProtocolVersion::TLS13) {
        let probed = |v| s.report.protocols.iter().any(|p| p.version == v);
        if !probed(ProtocolVersion::TLS12) {
            return Check::unknown(ID, "not tested: TLS 1.2 was not probed (--tls)");
        }
        return Check::not_applicable(
            ID,
            "not applicable: the server speaks only TLS 1.3, which has no renegotiation (RFC 8446 §4.1.2)",
        );
    }
    Check::unknown(ID, "unknown: no supported protocol version")
}
