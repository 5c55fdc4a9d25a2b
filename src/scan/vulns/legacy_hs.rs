//! The raw TLS 1.0-1.2 exchange heartbleed, ccs_injection and ticketbleed share: one counted
//! connection (a permit of the scan's limiter and one count), a ClientHello built by the
//! codec, and the server's first flight read up to ServerHelloDone (RFC 5246 §7.4), with the
//! connection left open for what the check sends next.

use std::fmt;
use std::sync::atomic::Ordering;

use super::Check;
use crate::error::Alert;
use crate::net::limit::Permit;
use crate::net::raw::{RawConnection, RecordEnd};
use crate::scan::probe::{Conn, Hello};
use crate::scan::TargetReport;
use crate::wire::codec::Writer;
use crate::wire::codepoints::{ContentType, HandshakeType, ProtocolVersion};
use crate::wire::handshake::{
    split_messages, ClientHello, DecodeContext, HandshakeMessage, ServerHello,
};
use crate::wire::record::{RecordHeader, MAX_PLAINTEXT};
use crate::wire::suites::CipherSuite;

/// Most bytes read from one server per check (a long chain fits, a flood does not).
const MAX_BYTES: usize = 256 * 1024;
/// Most records read while waiting for one answer: every loop over a server's records ends.
pub const MAX_RECORDS: usize = 64;
/// Most suites one hello offers.
const MAX_SUITES: usize = 64;

/// One open connection of a check, holding its slot of the scan's limiter.
pub struct Session<'a> {
    _permit: Permit<'a>,
    pub raw: RawConnection,
}

/// Opens a connection along the scan's route, waiting for a slot and counting it; `Err` is the
/// check's `unknown` verdict.
pub fn open<'a>(conn: &'a Conn, id: &'static str) -> Result<Session<'a>, Check> {
    let permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    match conn.endpoint.open_raw(MAX_BYTES) {
        Ok(raw) => Ok(Session {
            _permit: permit,
            raw,
        }),
        Err(e) => Err(Check::unknown(id, format!("unknown: cannot connect: {e}"))),
    }
}

/// The version and suites a raw check offers: the newest of TLS 1.2 .. SSL 3.0 the scan
/// found, with the suites found for it. `Err` is the check's verdict when there is none.
pub fn legacy_offer(
    report: &TargetReport,
    id: &'static str,
) -> Result<(ProtocolVersion, Vec<CipherSuite>), Check> {
    let legacy = |v: ProtocolVersion| v < ProtocolVersion::TLS13;
    if let Some(p) = report
        .protocols
        .iter()
        .filter(|p| legacy(p.version) && p.supported && !p.cipher_suites.is_empty())
        .max_by_key(|p| p.version)
    {
        let suites = p.cipher_suites.iter().copied().take(MAX_SUITES).collect();
        return Ok((p.version, suites));
    }
    if report.protocols.iter().any(|p| legacy(p.version)) {
        Err(Check::not_applicable(
            id,
            "not applicable: the server speaks no TLS 1.2 or older version",
        ))
    } else {
        Err(Check::unknown(
            id,
            "not tested: TLS 1.2 and older were not probed (--tls)",
        ))
    }
}

/// A probe hello for `version` with the feature extensions (heartbeat, session_ticket, ...)
/// and no compression.
pub fn hello(version: ProtocolVersion, suites: Vec<CipherSuite>, sni: &Option<String>) -> Hello {
    let mut h = Hello::new(version, suites, sni.clone());
    h.deflate = false;
    h
}

/// One record of `content_type` carrying `body` (at most 2^14 bytes, RFC 5246 §6.2.1).
pub fn record(content_type: ContentType, version: ProtocolVersion, body: &[u8]) -> Vec<u8> {
    let body = &body[..body.len().min(MAX_PLAINTEXT)];
    let h = RecordHeader {
        content_type,
        version,
        length: body.len() as u16,
    };
    let mut w = Writer::new();
    w.bytes(&h.encode()).bytes(body);
    w.into_bytes()
}

/// A ClientHello in one record (record version TLS 1.0, SSL 3.0 for an SSL 3.0 hello, as
/// `Hello::to_records` sends them).
pub fn hello_record(ch: ClientHello) -> Vec<u8> {
    let rv = ch.version.min(ProtocolVersion::TLS10);
    record(
        ContentType::HANDSHAKE,
        rv,
        &HandshakeMessage::ClientHello(ch).encode(),
    )
}

/// Why a server's flight did not come (to its end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    Alert(Alert),
    Closed,
    Timeout,
    Other(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Alert(a) => write!(f, "the server sent alert {a}"),
            Stop::Closed => write!(f, "the server closed the connection"),
            Stop::Timeout => write!(f, "no answer within the timeout"),
            Stop::Other(m) => write!(f, "{m}"),
        }
    }
}

impl From<RecordEnd> for Stop {
    fn from(e: RecordEnd) -> Stop {
        match e {
            RecordEnd::Closed => Stop::Closed,
            RecordEnd::Timeout => Stop::Timeout,
            RecordEnd::TooMuch => Stop::Other("the server sent too much".into()),
            RecordEnd::Malformed(e) => Stop::Other(e.message),
        }
    }
}

/// Opens a connection and runs a full first flight with `version` and `suites`: our
/// ClientHello, the server's answer to ServerHelloDone (RFC 5246 §7.3). `Err` is the check's
/// `unknown` verdict (no connection, or no handshake).
pub fn first_flight<'a>(
    conn: &'a Conn,
    id: &'static str,
    version: ProtocolVersion,
    suites: Vec<CipherSuite>,
    sni: &Option<String>,
) -> Result<(Session<'a>, ServerHello), Check> {
    let mut s = open(conn, id)?;
    let ch = hello(version, suites, sni).client_hello();
    match exchange(&mut s, hello_record(ch), true) {
        Ok(sh) => Ok((s, sh)),
        Err(e) => Err(Check::unknown(
            id,
            format!("unknown: the handshake failed: {e}"),
        )),
    }
}

/// The alert in an alert record's body (RFC 5246 §7.2).
pub fn alert_of(body: &[u8]) -> Stop {
    match body.get(1) {
        Some(&d) => Stop::Alert(Alert::from_u8(d)),
        None => Stop::Other("a truncated alert".into()),
    }
}

/// Sends `hello` and reads the server's answer: up to its ServerHello, or (`to_done`) on to
/// ServerHelloDone. Returns the ServerHello.
pub fn exchange(s: &mut Session, hello: Vec<u8>, to_done: bool) -> Result<ServerHello, Stop> {
    if s.raw.send(&hello).is_err() {
        return Err(Stop::Closed);
    }
    let mut buf = vec![];
    let mut server_hello: Option<ServerHello> = None;
    for _ in 0..MAX_RECORDS {
        let (h, body) = s.raw.next_record()?;
        match h.content_type {
            ContentType::ALERT => return Err(alert_of(&body)),
            ContentType::HANDSHAKE => buf.extend_from_slice(&body),
            _ => continue,
        }
        let msgs = split_messages(&mut buf).map_err(|e| Stop::Other(e.message))?;
        for (typ, body, _) in msgs {
            match server_hello.take() {
                None => {
                    let sh = decode_server_hello(typ, &body)?;
                    if !to_done {
                        return Ok(sh);
                    }
                    server_hello = Some(sh);
                }
                Some(sh) if typ == HandshakeType::SERVER_HELLO_DONE => return Ok(sh),
                Some(sh) => server_hello = Some(sh),
            }
        }
    }
    Err(Stop::Other(
        "no ServerHelloDone in the server's first flight".into(),
    ))
}

fn decode_server_hello(typ: HandshakeType, body: &[u8]) -> Result<ServerHello, Stop> {
    if typ != HandshakeType::SERVER_HELLO {
        return Err(Stop::Other(format!("expected server_hello, got {typ}")));
    }
    let ctx = DecodeContext {
        version: ProtocolVersion::TLS12,
        kx: None,
    };
    match HandshakeMessage::decode(typ, body, ctx) {
        Ok(HandshakeMessage::ServerHello(sh)) if !sh.is_hello_retry_request() => Ok(sh),
        Ok(_) => Err(Stop::Other("not a TLS 1.2 server_hello".into())),
        Err(e) => Err(Stop::Other(e.message)),
    }
}
