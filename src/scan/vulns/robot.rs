//! `robot`: whether the server's RSA key exchange is a Bleichenbacher padding oracle (ROBOT,
//! robotattack.org), detected as the ROBOT paper, sslyze and testssl.sh do.
//!
//! RSA key transport (RFC 5246 §7.4.7.1) encrypts the premaster secret with PKCS#1 v1.5
//! (RFC 8017 §7.2). A server must treat a badly padded one exactly like a good one (use a
//! random premaster secret and fail at the Finished, RFC 5246 §7.4.7.1); one whose reaction
//! (alert, close, silence) depends on the padding lets an attacker decrypt recorded sessions
//! or sign with its key. Five ClientKeyExchanges with crafted paddings (correct, wrong first
//! bytes, 0x00 misplaced, no 0x00 separator, wrong version in the premaster secret) go to five
//! connections, each followed at once by ChangeCipherSpec and a Finished that cannot verify
//! (the paper's first flow). Different reactions (alert, close, silence): the five run once
//! more, and the same again is an oracle (strong or weak, as sslyze names them), anything else
//! `unknown`. The same reaction to all five: the paper's second flow, five connections that
//! send the ClientKeyExchange alone, wait briefly for a reaction to it, then send
//! ChangeCipherSpec and Finished; the same reaction again is no oracle, a difference there
//! (no connection is left to confirm it) is `unknown` with what was seen. At most 10
//! connections.

use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};

use super::{Check, CheckSpec, Scope};
use crate::error::Alert;
use crate::net::raw::{RawConnection, RecordEnd};
use crate::scan::findings::Severity;
use crate::scan::probe::Hello;
use crate::wire::codepoints::{ContentType, HandshakeType, ProtocolVersion};
use crate::wire::handshake::{split_messages, DecodeContext, HandshakeMessage};
use crate::wire::record::RecordHeader;
use crate::wire::suites::{CipherSuite, Kx};

pub const ID: &str = "robot";

/// The registry entry: five connections, five more only when the reactions differ.
pub fn spec() -> CheckSpec {
    CheckSpec {
        id: ID,
        max_connections: 2 * Payload::ALL.len(),
        run,
    }
}

/// Most bytes read from the server on one connection.
const MAX_BYTES: usize = 512 * 1024;

/// The 46 random bytes of the premaster secret (those of sslyze and testssl.sh: no 0x00).
const PMS_RANDOM: [u8; 46] = [
    0xaa, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66,
    0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44,
    0x55, 0x66, 0x77, 0x88, 0x99, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
];

/// A Finished record body that cannot verify (testssl.sh's): the server must fail on it.
const FINISHED: [u8; 64] = [
    0x6e, 0x49, 0x65, 0x68, 0x00, 0x46, 0x79, 0xfd, 0x5a, 0x57, 0xdc, 0x3e, 0xef, 0xb2, 0xd2, 0xac,
    0xe0, 0x8c, 0x54, 0x2d, 0x5f, 0x00, 0x87, 0xdb, 0xb6, 0xe3, 0x77, 0x2c, 0x9d, 0x88, 0x27, 0x38,
    0x98, 0x7d, 0xcd, 0x7e, 0xac, 0xdd, 0x5d, 0x72, 0xbe, 0x24, 0x0d, 0x20, 0x36, 0x14, 0x0e, 0x94,
    0x51, 0xde, 0xa0, 0xb6, 0xc7, 0x56, 0x28, 0xd8, 0xa1, 0xcb, 0x24, 0xb9, 0x03, 0xd0, 0x7c, 0x50,
];

/// The five encryption blocks (RFC 8017 §7.2.1: EM = 0x00 || 0x02 || PS || 0x00 || M, PS
/// at least 8 non-zero bytes; M = client_version || 46 random bytes, RFC 5246 §7.4.7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    Correct,
    WrongFirstBytes,
    Misplaced00,
    No00,
    WrongVersion,
}

impl Payload {
    pub const ALL: [Payload; 5] = [
        Payload::Correct,
        Payload::WrongFirstBytes,
        Payload::Misplaced00,
        Payload::No00,
        Payload::WrongVersion,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Payload::Correct => "correct padding",
            Payload::WrongFirstBytes => "wrong first bytes",
            Payload::Misplaced00 => "0x00 misplaced",
            Payload::No00 => "no 0x00 separator",
            Payload::WrongVersion => "wrong version",
        }
    }

    /// The k-byte block to encrypt for a k-byte modulus; None when k is too small to hold a
    /// premaster secret with 8 bytes of padding.
    pub fn block(self, k: usize, version: ProtocolVersion) -> Option<Vec<u8>> {
        let ps_len = k.checked_sub(3 + 48).filter(|&n| n >= 8)?;
        let ps: Vec<u8> = b"\xab\xcd".iter().copied().cycle().take(ps_len).collect();
        let v = version.0.to_be_bytes();
        let parts: [&[u8]; 5] = match self {
            Payload::Correct => [&[0x00, 0x02], &ps, &[0x00], &v, &PMS_RANDOM],
            Payload::WrongFirstBytes => [&[0x41, 0x17], &ps, &[0x00], &v, &PMS_RANDOM],
            Payload::Misplaced00 => [&[0x00, 0x02], &ps, &[0x11], &PMS_RANDOM, &[0x00, 0x11]],
            Payload::No00 => [&[0x00, 0x02], &ps, &[0x11], &[0x11, 0x11], &PMS_RANDOM],
            Payload::WrongVersion => [&[0x00, 0x02], &ps, &[0x00], &[0x02, 0x02], &PMS_RANDOM],
        };
        let b = parts.concat();
        debug_assert_eq!(b.len(), k);
        Some(b)
    }
}

/// When a reaction came: to the ClientKeyExchange alone, or after ChangeCipherSpec and
/// Finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    BeforeFinished,
    AfterFinished,
}

/// How the server reacted to one ClientKeyExchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// An alert; `closed`: the connection closed right after it.
    Alert {
        phase: Phase,
        alert: Alert,
        closed: bool,
    },
    /// The connection closed without an alert.
    Closed(Phase),
    /// A record other than an alert (e.g. the server's ChangeCipherSpec).
    Record(Phase, ContentType),
    /// Nothing within the timeout after the Finished.
    Silent,
}

impl std::fmt::Display for Reaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let when = |p: &Phase| match p {
            Phase::BeforeFinished => "before the Finished",
            Phase::AfterFinished => "after the Finished",
        };
        match self {
            Reaction::Alert {
                phase,
                alert,
                closed,
            } => {
                let then = if *closed { ", then close" } else { "" };
                write!(f, "{alert} alert {}{then}", when(phase))
            }
            Reaction::Closed(p) => write!(f, "close {}", when(p)),
            Reaction::Record(p, ct) => write!(f, "{ct} record {}", when(p)),
            Reaction::Silent => f.write_str("no answer"),
        }
    }
}

/// The version and suites of the probe.
struct Plan {
    version: ProtocolVersion,
    suites: Vec<CipherSuite>,
}

/// The newest TLS 1.2-or-older version with RSA key-exchange suites, and those suites (AEAD
/// first: some servers are oracles only with GCM, as sslyze and testssl.sh note).
fn plan(scope: &Scope) -> Option<Plan> {
    let rsa = |s: &CipherSuite| {
        s.info()
            .is_some_and(|i| i.kx == Kx::Rsa && !i.iana.contains("EXPORT"))
    };
    let p = scope
        .report
        .protocols
        .iter()
        .filter(|p| p.supported && p.version != ProtocolVersion::TLS13)
        .filter(|p| p.cipher_suites.iter().any(rsa))
        .max_by_key(|p| p.version)?;
    let mut suites: Vec<CipherSuite> = p.cipher_suites.iter().copied().filter(rsa).collect();
    suites.sort_by_key(|s| !s.info().is_some_and(|i| i.iana.contains("GCM")));
    Some(Plan {
        version: p.version,
        suites,
    })
}

fn run(scope: &Scope) -> Check {
    let legacy = [
        ProtocolVersion::SSL3,
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS12,
    ];
    if let Some(why) = super::derived::no_versions(scope.report, &legacy, "TLS 1.2 or older") {
        return super::derived::absent(ID, why);
    }
    let Some(plan) = plan(scope) else {
        return Check::not_applicable(
            ID,
            "not applicable: the server accepts no RSA key-exchange (TLS_RSA_*) suite",
        );
    };
    let first = match round(scope, &plan, Flow::Together, MAX_WAIT) {
        Ok(r) => r,
        Err(e) => return Check::unknown(ID, format!("unknown: {e}")),
    };
    if !uniform(&first.reactions) {
        return match round(scope, &plan, Flow::Together, MAX_WAIT) {
            Ok(second) => judge(&first.reactions, &second.reactions),
            Err(e) => Check::unknown(ID, format!("unknown: on the re-run, {e}")),
        };
    }
    let wait = (first.busy * 3).clamp(MIN_WAIT, MAX_WAIT);
    match round(scope, &plan, Flow::KeyExchangeFirst, wait) {
        Ok(second) if uniform(&second.reactions) => no_oracle(&second),
        Ok(second) => only_without_finished(&first.reactions, &second.reactions),
        Err(e) => Check::unknown(ID, format!("unknown: {e}")),
    }
}

fn uniform(rs: &[Reaction]) -> bool {
    rs.iter().all(|r| *r == rs[0])
}

fn listed(rs: &[Reaction]) -> String {
    Payload::ALL
        .iter()
        .zip(rs)
        .map(|(p, r)| format!("{}: {r}", p.name()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// All five reactions were the same in both flows.
fn no_oracle(r: &Round) -> Check {
    let seen = &r.reactions[0];
    let early = matches!(
        seen,
        Reaction::Alert {
            phase: Phase::BeforeFinished,
            ..
        } | Reaction::Closed(Phase::BeforeFinished)
    );
    if r.cert_request && early {
        return Check::unknown(
            ID,
            format!("unknown: the server asks for a client certificate and ended every handshake before the Finished ({seen})"),
        );
    }
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some(format!("the same reaction to all five paddings: {seen}"));
    c
}

/// The flow with ChangeCipherSpec and Finished showed no difference, the one that waits
/// after the key exchange did. No connection is left to confirm it, so it is reported, as
/// `unknown`, with what was seen.
fn only_without_finished(together: &[Reaction], first: &[Reaction]) -> Check {
    let what = if uniform(&loose(first)) {
        "some paddings were answered before the Finished and others only after it: a possible timing oracle"
    } else {
        "the reactions to the key exchange alone differed, which the flow with ChangeCipherSpec and Finished did not show"
    };
    Check::unknown(
        ID,
        format!(
            "unknown: {what}, not confirmed within the connection budget ({}; with ChangeCipherSpec and Finished sent at once: {})",
            listed(first),
            together[0]
        ),
    )
}

/// Two runs of the flow with ChangeCipherSpec and Finished that each showed different
/// reactions: the same twice is an oracle, anything else `unknown`.
pub fn judge(first: &[Reaction], second: &[Reaction]) -> Check {
    if first != second {
        let changed: Vec<String> = Payload::ALL
            .iter()
            .zip(first.iter().zip(second))
            .filter(|(_, (a, b))| a != b)
            .map(|(p, (a, b))| format!("{}: {a}, then {b}", p.name()))
            .collect();
        return Check::unknown(
            ID,
            format!(
                "unknown: inconsistent reactions between two runs ({})",
                changed.join("; ")
            ),
        );
    }
    // As sslyze and the ROBOT paper: when the three malformed paddings get one reaction, the
    // oracle only tells well-formed ones apart (weak: too many queries for a real attack).
    let weak = first[1] == first[2] && first[2] == first[3];
    Check::vulnerable(
        ID,
        Severity::High,
        format!(
            "ROBOT: the server reacts differently to RSA key exchanges depending on their PKCS#1 v1.5 padding, a {} Bleichenbacher oracle ({}); an attacker can decrypt recorded RSA key exchanges or sign with the server's key (robotattack.org); disable the TLS_RSA_* suites",
            if weak { "weak" } else { "strong" },
            listed(first)
        ),
    )
}

/// The reactions without when they came.
fn loose(rs: &[Reaction]) -> Vec<Reaction> {
    rs.iter()
        .map(|r| match r.clone() {
            Reaction::Alert { alert, closed, .. } => Reaction::Alert {
                phase: Phase::AfterFinished,
                alert,
                closed,
            },
            Reaction::Closed(_) => Reaction::Closed(Phase::AfterFinished),
            Reaction::Record(_, ct) => Reaction::Record(Phase::AfterFinished, ct),
            Reaction::Silent => Reaction::Silent,
        })
        .collect()
}

/// The two flows of the ROBOT paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// ClientKeyExchange, ChangeCipherSpec and Finished in one write.
    Together,
    /// ClientKeyExchange alone, a short wait for a reaction to it, then ChangeCipherSpec and
    /// Finished (one connection for the paper's flow without them, and with them after).
    KeyExchangeFirst,
}

/// One run of the five paddings.
struct Round {
    reactions: Vec<Reaction>,
    /// The server sent a CertificateRequest (it got an empty Certificate).
    cert_request: bool,
    /// The longest time the server took to react once it had our whole flight (its private-
    /// key operation and checks; not the time a busy server left us queued).
    busy: Duration,
}

/// The least and most a server is given to react to the key exchange alone (the second
/// flow): three times its slowest reaction in the first flow, within these bounds, plus a few
/// round trips.
const MIN_WAIT: Duration = Duration::from_millis(10);
const MAX_WAIT: Duration = Duration::from_millis(100);

/// The five attempts, in parallel.
fn round(scope: &Scope, plan: &Plan, flow: Flow, wait: Duration) -> Result<Round, String> {
    let results: Vec<Result<(Reaction, bool, Duration), String>> = std::thread::scope(|s| {
        let hs: Vec<_> = Payload::ALL
            .iter()
            .map(|&p| s.spawn(move || attempt(scope, plan, p, flow, wait)))
            .collect();
        hs.into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("an attempt failed internally".into()))
            })
            .collect()
    });
    let mut out = Round {
        reactions: vec![],
        cert_request: false,
        busy: Duration::ZERO,
    };
    for r in results {
        let (reaction, cr, busy) = r?;
        out.reactions.push(reaction);
        out.cert_request |= cr;
        out.busy = out.busy.max(busy);
    }
    Ok(out)
}

/// What the server's first flight gave: the certificate's key and whether it asked for a
/// client certificate.
struct ServerFlight {
    version: ProtocolVersion,
    key: RsaPublicKey,
    cert_request: bool,
}

/// One connection: hello, the flight, the crafted ClientKeyExchange, the reactions (and how
/// long the first one took). `wait`: how long the server may take to react.
fn attempt(
    scope: &Scope,
    plan: &Plan,
    payload: Payload,
    flow: Flow,
    wait: Duration,
) -> Result<(Reaction, bool, Duration), String> {
    let conn = scope.conn;
    let _permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    let timeout = conn.endpoint.timeout();
    let start = Instant::now();
    let stream = conn.endpoint.open().map_err(|e| e.to_string())?;
    // One round trip (more through a proxy or STARTTLS), not counting any time a busy
    // server leaves the connection waiting to be accepted.
    let rtt = start.elapsed();
    let mut raw = reader(&stream, timeout)?;
    let mut hello = Hello::new(plan.version, plan.suites.clone(), scope.sni.clone());
    hello.deflate = false;
    hello.feature_exts = false;
    raw.send(&hello.to_records())
        .map_err(|e| format!("sending the ClientHello failed: {e}"))?;
    let flight = read_flight(&mut raw)?;
    let k = flight.key.size();
    let block = payload
        .block(k, plan.version)
        .ok_or_else(|| format!("the server's RSA key is too small ({} bits)", k * 8))?;
    let v = flight.version;
    let mut out = vec![];
    if flight.cert_request {
        // An empty Certificate (RFC 5246 §7.4.6): the client has none.
        out.extend(record(
            ContentType::HANDSHAKE,
            v,
            &handshake(11, &[0, 0, 0]),
        ));
    }
    out.extend(record(
        ContentType::HANDSHAKE,
        v,
        &client_key_exchange(&flight.key, &block, v),
    ));
    let mut tail = record(ContentType::CHANGE_CIPHER_SPEC, v, &[1]);
    tail.extend(record(ContentType::HANDSHAKE, v, &FINISHED));
    // A reaction comes within the server's private-key operation (`wait`) and a few round
    // trips, bounded by the scan's timeout.
    let window = (wait + rtt * 4).min(timeout);
    let sent = Instant::now();
    if flow == Flow::Together {
        out.extend(tail);
        raw.send(&out)
            .map_err(|e| format!("sending the ClientKeyExchange failed: {e}"))?;
        let r = react(&stream, timeout, window, Phase::AfterFinished)?;
        let busy = r
            .as_ref()
            .map_or(timeout, |(_, at)| at.duration_since(sent));
        let r = r.map_or(Reaction::Silent, |(r, _)| r);
        return Ok((r, flight.cert_request, busy));
    }
    raw.send(&out)
        .map_err(|e| format!("sending the ClientKeyExchange failed: {e}"))?;
    if let Some((r, at)) = react(&stream, window, window, Phase::BeforeFinished)? {
        return Ok((r, flight.cert_request, at.duration_since(sent)));
    }
    if raw.send(&tail).is_err() {
        let r = Reaction::Closed(Phase::BeforeFinished);
        return Ok((r, flight.cert_request, sent.elapsed()));
    }
    let r = react(&stream, timeout, window, Phase::AfterFinished)?;
    let busy = r
        .as_ref()
        .map_or(timeout, |(_, at)| at.duration_since(sent));
    Ok((
        r.map_or(Reaction::Silent, |(r, _)| r),
        flight.cert_request,
        busy,
    ))
}

/// A record reader on (a clone of) the stream with its own deadline.
fn reader(stream: &TcpStream, wait: Duration) -> Result<RawConnection, String> {
    let s = stream
        .try_clone()
        .map_err(|e| format!("the socket failed: {e}"))?;
    Ok(RawConnection::new(s, wait, MAX_BYTES))
}

/// The server's reaction within `wait` (None: nothing yet) and when it came; after an
/// alert, whether the connection closes within `linger`.
fn react(
    stream: &TcpStream,
    wait: Duration,
    linger: Duration,
    phase: Phase,
) -> Result<Option<(Reaction, Instant)>, String> {
    let mut raw = reader(stream, wait)?;
    let (h, body) = match raw.next_record() {
        Ok(r) => r,
        Err(RecordEnd::Timeout) => return Ok(None),
        Err(RecordEnd::Closed) => return Ok(Some((Reaction::Closed(phase), Instant::now()))),
        Err(RecordEnd::TooMuch) => return Err("the server sent too much".into()),
        Err(RecordEnd::Malformed(e)) => return Err(format!("not a TLS record: {}", e.message)),
    };
    let at = Instant::now();
    if h.content_type != ContentType::ALERT {
        return Ok(Some((Reaction::Record(phase, h.content_type), at)));
    }
    let Some(&d) = body.get(1) else {
        return Err("a truncated alert".into());
    };
    let mut after = reader(stream, linger)?;
    let closed = matches!(after.next_record(), Err(RecordEnd::Closed));
    let r = Reaction::Alert {
        phase,
        alert: Alert::from_u8(d),
        closed,
    };
    Ok(Some((r, at)))
}

/// Reads ServerHello .. ServerHelloDone (RFC 5246 §7.3): the version, the leaf's RSA key, a
/// CertificateRequest.
fn read_flight(raw: &mut RawConnection) -> Result<ServerFlight, String> {
    let mut buf = vec![];
    let (mut version, mut key, mut cert_request) = (None, None, false);
    loop {
        let (h, body) = raw.next_record().map_err(|e| match e {
            RecordEnd::Closed => "the server closed the connection during its first flight".into(),
            RecordEnd::Timeout => "the server's first flight did not complete in time".into(),
            RecordEnd::TooMuch => "the server's first flight is too long".to_string(),
            RecordEnd::Malformed(e) => format!("not a TLS record: {}", e.message),
        })?;
        match h.content_type {
            ContentType::ALERT => {
                let a = body.get(1).map(|&d| Alert::from_u8(d).to_string());
                return Err(format!(
                    "the server refused the RSA key-exchange hello ({} alert)",
                    a.unwrap_or_else(|| "truncated".into())
                ));
            }
            ContentType::HANDSHAKE => buf.extend_from_slice(&body),
            ct => {
                return Err(format!(
                    "unexpected {ct} record in the server's first flight"
                ))
            }
        }
        for (typ, body, _) in split_messages(&mut buf).map_err(|e| e.message)? {
            match typ {
                HandshakeType::SERVER_HELLO => version = Some(server_hello(&body)?),
                HandshakeType::CERTIFICATE => key = Some(leaf_key(&body, version)?),
                HandshakeType::CERTIFICATE_REQUEST => cert_request = true,
                HandshakeType::SERVER_HELLO_DONE => {
                    return Ok(ServerFlight {
                        version: version.ok_or("no ServerHello")?,
                        key: key.ok_or("the server sent no certificate")?,
                        cert_request,
                    })
                }
                HandshakeType::SERVER_KEY_EXCHANGE => {
                    return Err("the server sent a ServerKeyExchange: not RSA key exchange".into())
                }
                _ => {}
            }
        }
    }
}

fn ctx(version: ProtocolVersion) -> DecodeContext {
    DecodeContext { version, kx: None }
}

/// The version of a ServerHello that chose an RSA key-exchange suite.
fn server_hello(body: &[u8]) -> Result<ProtocolVersion, String> {
    let m = HandshakeMessage::decode(
        HandshakeType::SERVER_HELLO,
        body,
        ctx(ProtocolVersion::TLS12),
    )
    .map_err(|e| e.message)?;
    let HandshakeMessage::ServerHello(sh) = m else {
        return Err("not a ServerHello".into());
    };
    let s = sh.cipher_suite;
    if !s.info().is_some_and(|i| i.kx == Kx::Rsa) || sh.version >= ProtocolVersion::TLS13 {
        return Err(format!(
            "the server chose {s}, not an RSA key-exchange suite"
        ));
    }
    Ok(sh.version)
}

/// The RSA public key of the first certificate (RFC 5246 §7.4.2).
fn leaf_key(body: &[u8], version: Option<ProtocolVersion>) -> Result<RsaPublicKey, String> {
    let v = version.ok_or("a Certificate before the ServerHello")?;
    let m = HandshakeMessage::decode(HandshakeType::CERTIFICATE, body, ctx(v))
        .map_err(|e| e.message)?;
    let HandshakeMessage::Certificate(c) = m else {
        return Err("not a Certificate".into());
    };
    let der = &c.entries.first().ok_or("an empty Certificate")?.der;
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der)
        .map_err(|e| format!("the certificate does not parse: {e}"))?;
    crate::crypto::sign::rsa_public_key(cert.public_key().raw)
        .map_err(|e| format!("the certificate's key is not an RSA key ({e})"))
}

/// A ClientKeyExchange carrying `block` encrypted with the bare RSA operation (RFC 8017
/// §5.1.1): the padding is already in the block. TLS puts a two-byte length before it,
/// SSL 3.0 does not (RFC 5246 §7.4.7.1, RFC 6101 §5.6.7.1).
fn client_key_exchange(key: &RsaPublicKey, block: &[u8], v: ProtocolVersion) -> Vec<u8> {
    let c = BigUint::from_bytes_be(block).modpow(key.e(), key.n());
    let bytes = c.to_bytes_be();
    let mut enc = vec![0u8; key.size().saturating_sub(bytes.len())];
    enc.extend_from_slice(&bytes);
    let mut body = vec![];
    if v != ProtocolVersion::SSL3 {
        body.extend_from_slice(&(enc.len() as u16).to_be_bytes());
    }
    body.extend_from_slice(&enc);
    handshake(HandshakeType::CLIENT_KEY_EXCHANGE.0, &body)
}

/// A handshake message: type, 24-bit length, body (RFC 5246 §7.4).
fn handshake(typ: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![typ];
    m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    m.extend_from_slice(body);
    m
}

/// One unprotected record (RFC 5246 §6.2.1).
fn record(ct: ContentType, v: ProtocolVersion, body: &[u8]) -> Vec<u8> {
    let h = RecordHeader {
        content_type: ct,
        version: v,
        length: body.len() as u16,
    };
    let mut r = h.encode().to_vec();
    r.extend_from_slice(body);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::vulns::Verdict;

    #[test]
    fn the_five_blocks() {
        let v = ProtocolVersion::TLS12;
        for p in Payload::ALL {
            assert_eq!(p.block(256, v).unwrap().len(), 256);
        }
        let ok = Payload::Correct.block(128, v).unwrap();
        assert_eq!(&ok[..2], &[0, 2]);
        // PKCS#1 v1.5: the first 0x00 after the non-zero padding leaves 48 bytes.
        let sep = ok[2..].iter().position(|&b| b == 0).unwrap() + 2;
        assert_eq!(ok.len() - sep - 1, 48);
        assert_eq!(&ok[sep + 1..sep + 3], &[3, 3]);
        let bad = Payload::WrongFirstBytes.block(128, v).unwrap();
        assert_eq!(&bad[..2], &[0x41, 0x17]);
        let mis = Payload::Misplaced00.block(128, v).unwrap();
        assert_eq!(mis[2..].iter().position(|&b| b == 0), Some(128 - 2 - 2));
        assert!(!Payload::No00.block(128, v).unwrap()[2..].contains(&0));
        let wv = Payload::WrongVersion.block(128, v).unwrap();
        assert_eq!(&wv[sep + 1..sep + 3], &[2, 2]);
        assert!(Payload::Correct.block(58, v).is_none());
        assert!(Payload::Correct.block(59, v).is_some());
    }

    fn alert(a: Alert, phase: Phase) -> Reaction {
        Reaction::Alert {
            phase,
            alert: a,
            closed: true,
        }
    }

    #[test]
    fn strong_weak_and_inconsistent() {
        let ok = alert(Alert::BadRecordMac, Phase::AfterFinished);
        let bad = alert(Alert::IllegalParameter, Phase::BeforeFinished);
        let weak = [
            ok.clone(),
            bad.clone(),
            bad.clone(),
            bad.clone(),
            ok.clone(),
        ];
        let c = judge(&weak, &weak);
        assert_eq!(c.verdict, Verdict::Vulnerable);
        assert!(c.finding.as_ref().unwrap().1.contains("a weak"));
        assert_eq!(c.finding.as_ref().unwrap().0, Severity::High);
        let other = alert(Alert::DecodeError, Phase::BeforeFinished);
        let strong = [ok.clone(), bad.clone(), other.clone(), other, ok.clone()];
        let c = judge(&strong, &strong);
        assert!(c.finding.as_ref().unwrap().1.contains("a strong"));
        let timing = [
            ok.clone(),
            alert(Alert::BadRecordMac, Phase::BeforeFinished),
            ok.clone(),
            ok.clone(),
            ok.clone(),
        ];
        let c = only_without_finished(&vec![ok.clone(); 5], &timing);
        assert_eq!(c.verdict, Verdict::Unknown);
        assert!(c.reason.unwrap().contains("a possible timing oracle"));
        let mut changed = strong.clone();
        changed[2] = Reaction::Silent;
        let c = judge(&strong, &changed);
        assert_eq!(c.verdict, Verdict::Unknown);
        let why = c.reason.unwrap();
        assert!(why.starts_with("unknown: inconsistent"), "{why}");
        assert!(why.contains("0x00 misplaced: decode_error alert before the Finished, then close, then no answer"), "{why}");
    }
}
