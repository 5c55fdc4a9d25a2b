//! Scripted-peer helpers for the conformance suites still in this directory, until they
//! move to tests/ too (the hostile-peer tests themselves are in tests/hostile, on the shared
//! helpers of tests/common/scripted).

use std::sync::Arc;

use super::config::{ClientConfig, ServerConfig};
use super::suite_params;
use super::tests::self_signed;
use super::Connection;
use crate::crypto::aead::RecordCipher;
use crate::crypto::rng::seeded_rng;
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Dir, Event};
use crate::wire::codepoints::{ExtensionType as ET, HandshakeType, NamedGroup, ProtocolVersion};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{ClientHello, DecodeContext, HandshakeMessage as HM, ServerHello};
use crate::wire::suites::{CipherSuite, Kx};

pub(super) const CCS: u8 = 20;
pub(super) const ALERT: u8 = 21;
pub(super) const HS: u8 = 22;
pub(super) const APP: u8 = 23;

// ------------------------------------------------------------------ records

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Rec {
    pub(super) ct: u8,
    pub(super) ver: u16,
    pub(super) frag: Vec<u8>,
}

impl Rec {
    pub(super) fn new(ct: u8, frag: impl Into<Vec<u8>>) -> Rec {
        Rec {
            ct,
            ver: 0x0303,
            frag: frag.into(),
        }
    }

    pub(super) fn bytes(&self) -> Vec<u8> {
        let mut v = vec![self.ct];
        v.extend_from_slice(&self.ver.to_be_bytes());
        v.extend_from_slice(&(self.frag.len() as u16).to_be_bytes());
        v.extend_from_slice(&self.frag);
        v
    }

    /// The handshake type of a plaintext handshake record holding one message.
    pub(super) fn hs_type(&self) -> Option<u8> {
        (self.ct == HS && !self.frag.is_empty()).then(|| self.frag[0])
    }
}

/// Splits our own output into records (it is well formed).
pub(super) fn parse(mut b: &[u8]) -> Vec<Rec> {
    let mut out = vec![];
    while !b.is_empty() {
        let len = u16::from_be_bytes([b[3], b[4]]) as usize;
        out.push(Rec {
            ct: b[0],
            ver: u16::from_be_bytes([b[1], b[2]]),
            frag: b[5..5 + len].to_vec(),
        });
        b = &b[5 + len..];
    }
    out
}

pub(super) fn join(recs: &[Rec]) -> Vec<u8> {
    recs.iter().flat_map(|r| r.bytes()).collect()
}

pub(super) fn plain_alert(a: Alert) -> Vec<u8> {
    vec![0x15, 3, 3, 0, 2, 2, a.to_u8()]
}

/// Decodes one whole handshake message (header included).
pub(super) fn decode(msg: &[u8], version: ProtocolVersion, kx: Option<Kx>) -> HM {
    HM::decode(
        HandshakeType(msg[0]),
        &msg[4..],
        DecodeContext { version, kx },
    )
    .unwrap()
}

pub(super) fn server_hello(r: &Rec) -> ServerHello {
    match decode(&r.frag, ProtocolVersion::TLS12, None) {
        HM::ServerHello(sh) => sh,
        m => panic!("not a ServerHello: {m:?}"),
    }
}

pub(super) fn client_hello(bytes: &[u8]) -> ClientHello {
    let recs = parse(bytes);
    match decode(&recs[0].frag, ProtocolVersion::TLS12, None) {
        HM::ClientHello(ch) => ch,
        m => panic!("not a ClientHello: {m:?}"),
    }
}

/// A handshake message with a hand-made body (for wrong lengths and trailing bytes).
pub(super) fn raw_msg(typ: u8, body: &[u8]) -> Vec<u8> {
    let l = (body.len() as u32).to_be_bytes();
    [&[typ, l[1], l[2], l[3]][..], body].concat()
}

// ------------------------------------------------------------------ record protection

/// One direction's record protection, rebuilt from the keys a peer reported.
pub(super) struct Sealer {
    pub(super) c: RecordCipher,
    pub(super) seq: u64,
    pub(super) tls13: bool,
}

impl Sealer {
    pub(super) fn open(&mut self, r: &Rec) -> Vec<u8> {
        let p = self.c.open(self.seq, r.ct, r.ver, &r.frag).unwrap();
        self.seq += 1;
        p
    }

    /// Opens a TLS 1.3 record: (inner content type, content).
    pub(super) fn open13(&mut self, r: &Rec) -> (u8, Vec<u8>) {
        let mut p = self.open(r);
        while p.last() == Some(&0) {
            p.pop();
        }
        let t = p.pop().unwrap();
        (t, p)
    }

    pub(super) fn seal(&mut self, ct: u8, data: &[u8]) -> Rec {
        if self.tls13 {
            let mut inner = data.to_vec();
            inner.push(ct);
            self.seal_inner(&inner)
        } else {
            let frag = self.c.seal(self.seq, ct, 0x0303, data);
            self.seq += 1;
            Rec::new(ct, frag)
        }
    }

    /// TLS 1.3: seals a TLSInnerPlaintext given whole (type byte and padding included).
    pub(super) fn seal_inner(&mut self, inner: &[u8]) -> Rec {
        let frag = self.c.seal(self.seq, APP, 0x0303, inner);
        self.seq += 1;
        Rec::new(APP, frag)
    }
}

pub(super) fn secret(events: &[Event], label: &str) -> Vec<u8> {
    events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Keys(k) if k.label == label => k.secret.clone(),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {label} key event"))
}

/// A sealer for `prefix` ("server_handshake_traffic", "client_application_traffic", ...) in
/// TLS 1.3, or "server"/"client" write keys in TLS 1.2.
pub(super) fn sealer(events: &[Event], suite: u16, prefix: &str) -> Sealer {
    let p = suite_params::params(CipherSuite(suite)).unwrap();
    if p.tls13 {
        let key = secret(events, &format!("{prefix} key"));
        let iv = secret(events, &format!("{prefix} iv"));
        Sealer {
            c: RecordCipher::tls13(p.aead().unwrap(), &key, &iv).unwrap(),
            seq: 0,
            tls13: true,
        }
    } else {
        let key = secret(events, &format!("{prefix}_write_key"));
        let iv = secret(events, &format!("{prefix}_write_IV"));
        Sealer {
            c: RecordCipher::tls12(p.aead().unwrap(), &key, &iv).unwrap(),
            seq: 0,
            tls13: false,
        }
    }
}

// ------------------------------------------------------------------ peers

pub(super) fn cc13() -> ClientConfig {
    ClientConfig {
        versions: vec![ProtocolVersion::TLS13],
        suites: vec![CipherSuite(0x1301)],
        reveal_secrets: true,
        ..ClientConfig::default()
    }
}

pub(super) fn with_groups(mut cc: ClientConfig, groups: &[NamedGroup]) -> ClientConfig {
    cc.groups = groups.to_vec();
    cc
}

pub(super) struct Peers {
    pub(super) c: Connection,
    pub(super) s: Connection,
    pub(super) cev: Vec<Event>,
    pub(super) sev: Vec<Event>,
}

pub(super) fn peers(cc: ClientConfig) -> Peers {
    peers_with(cc, |_| {})
}

pub(super) fn peers_with(cc: ClientConfig, f: impl FnOnce(&mut ServerConfig)) -> Peers {
    let key = self_signed("localhost");
    let mut sc = ServerConfig::new(key.clone());
    sc.reveal_secrets = true;
    f(&mut sc);
    Peers {
        c: Connection::client(cc, seeded_rng(11)).unwrap(),
        s: Connection::server(Arc::new(sc), seeded_rng(12)),
        cev: vec![],
        sev: vec![],
    }
}

impl Peers {
    pub(super) fn drain(&mut self) {
        while let Some(e) = self.c.next_event() {
            self.cev.push(e);
        }
        while let Some(e) = self.s.next_event() {
            self.sev.push(e);
        }
    }

    /// Feeds `bytes` (the client's) to the server and returns the server's answer.
    pub(super) fn deliver_to_server(&mut self, bytes: &[u8]) -> Vec<Rec> {
        self.s.feed(bytes).unwrap();
        let out = self.s.take_output();
        self.drain();
        parse(&out)
    }

    /// Feeds `bytes` (the server's) to the client and returns the client's answer.
    pub(super) fn deliver_to_client(&mut self, bytes: &[u8]) -> Vec<Rec> {
        self.c.feed(bytes).unwrap();
        let out = self.c.take_output();
        self.drain();
        parse(&out)
    }

    /// The server's first flight in answer to the client's first ClientHello.
    pub(super) fn first_flight(&mut self) -> Vec<Rec> {
        let ch = self.c.take_output();
        self.deliver_to_server(&ch)
    }

    /// Runs the whole handshake (no tampering) and checks it completed.
    pub(super) fn complete(&mut self) {
        let mut run = super::tests::Run {
            client: vec![],
            server: vec![],
        };
        super::tests::pump(&mut self.c, &mut self.s, &mut run);
        self.cev.extend(run.client);
        self.sev.extend(run.server);
        assert!(self.c.is_established() && self.s.is_established());
    }
}

pub(super) fn drain(c: &mut Connection) -> Vec<Event> {
    let mut v = vec![];
    while let Some(e) = c.next_event() {
        v.push(e);
    }
    v
}

/// `r` must be an error we detected, with alert `want`; the one fatal alert is reported as
/// sent; the connection is closed and refuses further input. Returns the bytes sent.
pub(super) fn expect_fatal(conn: &mut Connection, r: Result<(), TlsError>, want: Alert) -> Vec<u8> {
    let e = r.expect_err("the peer's bytes must be refused");
    assert_eq!(e.alert, want, "wrong alert for: {e}");
    assert!(!e.received);
    assert!(e.message.len() > 10, "a clear error message: {e}");
    assert!(conn.is_failed());
    let evs = drain(conn);
    let sent: Vec<_> = evs
        .iter()
        .filter_map(|e| match e {
            Event::Alert {
                dir: Dir::Out,
                level,
                description,
            } => Some((*level, *description)),
            _ => None,
        })
        .collect();
    assert_eq!(sent, vec![(AlertLevel::Fatal, want)], "{evs:#?}");
    assert!(
        evs.iter()
            .any(|e| matches!(e, Event::Closed { clean: false, reason } if reason.contains(want.name().as_str()))),
        "{evs:#?}"
    );
    let out = conn.take_output();
    // Nothing more is accepted, nothing more is sent.
    assert!(conn.feed(&Rec::new(APP, vec![0; 20]).bytes()).is_err());
    assert!(conn.send_data(b"x").is_err());
    assert!(!conn.has_output());
    out
}

/// As `expect_fatal`, and the alert went out unencrypted: 15 03 03 00 02 02 XX.
pub(super) fn expect_plain(conn: &mut Connection, r: Result<(), TlsError>, want: Alert) {
    let out = expect_fatal(conn, r, want);
    assert_eq!(out, plain_alert(want), "alert bytes");
}

/// As `expect_fatal`, and the alert went out protected by `keys`.
pub(super) fn expect_sealed(
    conn: &mut Connection,
    r: Result<(), TlsError>,
    want: Alert,
    keys: &mut Sealer,
) {
    let out = expect_fatal(conn, r, want);
    let recs = parse(&out);
    assert_eq!(recs.len(), 1, "one alert record");
    if keys.tls13 {
        assert_eq!(recs[0].ct, APP);
        assert_eq!(keys.open13(&recs[0]), (ALERT, vec![2, want.to_u8()]));
    } else {
        assert_eq!(recs[0].ct, ALERT);
        assert_eq!(keys.open(&recs[0]), vec![2, want.to_u8()]);
    }
}

/// A TLS 1.3 server flight: (content type, content, encrypted) per record.
pub(super) type Items = Vec<(u8, Vec<u8>, bool)>;

pub(super) fn open_flight13(recs: &[Rec], keys: &mut Sealer) -> Items {
    recs.iter()
        .map(|r| {
            if r.ct == APP {
                let (t, d) = keys.open13(r);
                (t, d, true)
            } else {
                (r.ct, r.frag.clone(), false)
            }
        })
        .collect()
}

pub(super) fn seal_flight13(items: &[(u8, Vec<u8>, bool)], keys: &mut Sealer) -> Vec<u8> {
    keys.seq = 0;
    items
        .iter()
        .flat_map(|(t, d, enc)| {
            if *enc {
                keys.seal(*t, d).bytes()
            } else {
                Rec::new(*t, d.clone()).bytes()
            }
        })
        .collect()
}

/// The TLS 1.3 server flight, opened: SH, CCS, EE, Certificate, CertificateVerify, Finished.
pub(super) fn flight13(p: &mut Peers) -> (Items, Sealer) {
    let recs = p.first_flight();
    let mut keys = sealer(&p.sev, 0x1301, "server_handshake_traffic");
    let items = open_flight13(&recs, &mut keys);
    let types: Vec<u8> = items
        .iter()
        .map(|(t, d, _)| if *t == HS { d[0] } else { *t })
        .collect();
    assert_eq!(types, vec![2, CCS, 8, 11, 15, 20]);
    (items, keys)
}

pub(super) fn set_ext(exts: &mut [Extension], typ: ET, body: ExtBody) {
    let e = exts.iter_mut().find(|e| e.typ == typ).unwrap();
    *e = Extension::new(typ, body);
}

pub(super) fn modified_hello(p: &mut Peers, f: impl FnOnce(&mut ClientHello)) -> Vec<u8> {
    let mut ch = client_hello(&p.c.take_output());
    f(&mut ch);
    let mut r = Rec::new(HS, HM::ClientHello(ch).encode());
    r.ver = 0x0301;
    r.bytes()
}

/// A client resuming with a ticket from a first connection to the same server config.
pub(super) fn resuming_peers() -> Peers {
    let key = self_signed("localhost");
    let mut sc = ServerConfig::new(key.clone());
    sc.reveal_secrets = true;
    let sc = Arc::new(sc);
    let mut c = Connection::client(cc13(), seeded_rng(21)).unwrap();
    let mut s = Connection::server(sc.clone(), seeded_rng(22));
    super::tests::pump(
        &mut c,
        &mut s,
        &mut super::tests::Run {
            client: vec![],
            server: vec![],
        },
    );
    let sess = c.session().expect("a ticket");
    let cc = ClientConfig {
        resume: Some(sess),
        ..cc13()
    };
    Peers {
        c: Connection::client(cc, seeded_rng(23)).unwrap(),
        s: Connection::server(sc, seeded_rng(24)),
        cev: vec![],
        sev: vec![],
    }
}
