//! Hostile peers: the client and server state machines driven with crafted bytes.
//!
//! Each flight is produced by a real in-memory peer and then tampered with in flight (records
//! decrypted with the keys the peer reports when secrets are revealed, modified, and sealed
//! again), or encoded by hand with the codec. Every case asserts the exact alert we send
//! (the `Event::Alert { dir: Out }` and the bytes of `take_output`), the error returned, and
//! that the connection accepts nothing more afterwards (RFC 8446 §6, RFC 5246 §7.2).
//!
//! The record/peer helpers here are `pub(super)` so that other scripted-peer suites
//! (the tlsfuzzer-derived conformance tests) reuse them instead of repeating them.

use std::sync::Arc;

use super::config::{CertifiedKey, ClientConfig, ServerConfig};
use super::suite_params;
use super::tests::self_signed;
use super::Connection;
use crate::crypto::aead::RecordCipher;
use crate::crypto::rng::seeded_rng;
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Dir, Event};
use crate::wire::codepoints::{
    ContentType, ExtensionType as ET, HandshakeType, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{
    ClientHello, DecodeContext, HandshakeMessage as HM, ServerHello, ServerKeyExchange,
};
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

pub(super) fn cc12() -> ClientConfig {
    ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0xc02b)],
        reveal_secrets: true,
        ..ClientConfig::default()
    }
}

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
    pub(super) key: CertifiedKey,
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
        key,
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

    pub(super) fn client_random(&self) -> [u8; 32] {
        self.c.common.client_random
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

pub(super) fn index_of(items: &Items, hs: u8) -> usize {
    items
        .iter()
        .position(|(t, d, _)| *t == HS && d[0] == hs)
        .unwrap()
}

/// The TLS 1.2 server flight: SH, Certificate, ServerKeyExchange, ServerHelloDone.
pub(super) fn flight12(p: &mut Peers) -> Vec<Rec> {
    let recs = p.first_flight();
    let types: Vec<_> = recs.iter().map(|r| r.hs_type()).collect();
    assert_eq!(types, vec![Some(2), Some(11), Some(12), Some(14)]);
    recs
}

pub(super) fn ske_record(
    p: &mut Peers,
    server_random: &[u8; 32],
    group: NamedGroup,
    public: Vec<u8>,
) -> Rec {
    let scheme = SignatureScheme::ECDSA_SECP256R1_SHA256;
    let mut params = vec![3u8];
    params.extend_from_slice(&group.0.to_be_bytes());
    params.push(public.len() as u8);
    params.extend_from_slice(&public);
    let mut signed = p.client_random().to_vec();
    signed.extend_from_slice(server_random);
    signed.extend_from_slice(&params);
    let signature = p.key.key.sign(scheme, &signed, &mut seeded_rng(5)).unwrap();
    let m = HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
        group,
        public,
        params,
        scheme: Some(scheme),
        signature,
    });
    Rec::new(HS, m.encode())
}

/// The TLS 1.2 handshake up to the server's second flight (NewSessionTicket, CCS, Finished).
pub(super) fn second_flight12(p: &mut Peers) -> Vec<Rec> {
    let f1 = flight12(p);
    let cf = p.deliver_to_client(&join(&f1));
    let recs = p.deliver_to_server(&join(&cf));
    let types: Vec<u8> = recs.iter().map(|r| r.ct).collect();
    assert_eq!(types, vec![HS, CCS, HS]);
    recs
}

pub(super) fn off_curve_p256() -> Vec<u8> {
    let mut v = vec![4u8];
    v.extend_from_slice(&[0x11; 32]);
    v.extend_from_slice(&[0x22; 32]);
    v
}

pub(super) fn valid_p256() -> Vec<u8> {
    let k = crate::crypto::kx::EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(3))
        .unwrap();
    k.public_key()
}

pub(super) fn set_ext(exts: &mut [Extension], typ: ET, body: ExtBody) {
    let e = exts.iter_mut().find(|e| e.typ == typ).unwrap();
    *e = Extension::new(typ, body);
}

// ================================================================== TLS 1.2, client side

#[test]
fn tls12_bad_finished_is_decrypt_error() {
    let mut p = peers(cc12());
    let mut recs = second_flight12(&mut p);
    let mut sk = sealer(&p.sev, 0xc02b, "server");
    let mut fin = sk.open(&recs[2]);
    assert_eq!(fin[0], 20);
    fin[4] ^= 1;
    sk.seq = 0;
    recs[2] = sk.seal(HS, &fin);
    let r = p.c.feed(&join(&recs));
    let mut ck = sealer(&p.cev, 0xc02b, "client");
    ck.seq = 1; // the client's Finished used 0
    expect_sealed(&mut p.c, r, Alert::DecryptError, &mut ck);
}

#[test]
fn tls12_bad_record_tag_is_bad_record_mac() {
    let mut p = peers(cc12());
    let mut recs = second_flight12(&mut p);
    let n = recs[2].frag.len();
    recs[2].frag[n - 1] ^= 0x80;
    let r = p.c.feed(&join(&recs));
    let mut ck = sealer(&p.cev, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.c, r, Alert::BadRecordMac, &mut ck);
}

#[test]
fn tls12_server_hello_done_right_after_server_hello_is_unexpected() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p.c.feed(&join(&[recs[0].clone(), recs[3].clone()]));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls12_finished_before_certificate_is_unexpected() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let fin = Rec::new(HS, HM::Finished(vec![0; 12]).encode());
    let r = p.c.feed(&join(&[recs[0].clone(), fin]));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls12_trailing_bytes_in_server_hello_is_decode_error() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut body = recs[0].frag[4..].to_vec();
    body.push(0);
    let r = p.c.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.c, r, Alert::DecodeError);
}

#[test]
fn tls12_lengths_beyond_the_data_are_decode_error() {
    // the extensions block of ServerHello claims one byte more than there is
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut body = recs[0].frag[4..].to_vec();
    let sid_len = body[34] as usize;
    let ext_len_at = 2 + 32 + 1 + sid_len + 2 + 1;
    body[ext_len_at + 1] = body[ext_len_at + 1].wrapping_add(1);
    let r = p.c.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.c, r, Alert::DecodeError);

    // a Certificate whose certificate_list announces 2^24 - 1 bytes
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let cert = Rec::new(HS, raw_msg(11, &[0xff, 0xff, 0xff, 0, 0, 1, 0x30]));
    let r = p.c.feed(&join(&[recs[0].clone(), cert]));
    expect_plain(&mut p.c, r, Alert::DecodeError);

    // a session id longer than 32 bytes (a field out of its specified range)
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut body = recs[0].frag[4..].to_vec();
    body[34] = 33;
    body.insert(35, 0);
    let r = p.c.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.c, r, Alert::DecodeError);
}

#[test]
fn tls12_record_over_the_limits_is_record_overflow() {
    // plaintext over 2^14
    let mut p = peers(cc12());
    let _ = flight12(&mut p);
    let r = p.c.feed(&Rec::new(HS, vec![0; 16385]).bytes());
    expect_plain(&mut p.c, r, Alert::RecordOverflow);

    // ciphertext over 2^14 + 2048: refused from the header alone
    let mut p = peers(cc12());
    let recs = second_flight12(&mut p);
    let r = p.c.feed(&join(&recs[..2]));
    assert!(r.is_ok());
    let r = p.c.feed(&[HS, 3, 3, 0x48, 0x01]);
    let mut ck = sealer(&p.cev, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.c, r, Alert::RecordOverflow, &mut ck);

    // a well-protected record whose plaintext exceeds 2^14
    let mut p = peers(cc12());
    let recs = second_flight12(&mut p);
    let mut sk = sealer(&p.sev, 0xc02b, "server");
    let big = sk.seal(HS, &vec![0; 16385]);
    assert!(big.frag.len() <= 16384 + 2048);
    let r = p.c.feed(&join(&[recs[0].clone(), recs[1].clone(), big]));
    let mut ck = sealer(&p.cev, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.c, r, Alert::RecordOverflow, &mut ck);
}

#[test]
fn tls12_suite_not_offered_is_illegal_parameter() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut sh = server_hello(&recs[0]);
    sh.cipher_suite = CipherSuite(0xc02c);
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls12_group_not_offered_in_server_key_exchange_is_illegal_parameter() {
    // The client offers P-256 too: the server's ECDSA P-256 certificate needs it (RFC 8422 §5.1).
    let mut p = peers(with_groups(
        cc12(),
        &[NamedGroup::X25519, NamedGroup::SECP256R1],
    ));
    let recs = flight12(&mut p);
    let sr = server_hello(&recs[0]).random;
    let public =
        crate::crypto::kx::EphemeralKey::generate(NamedGroup::SECP384R1, &mut seeded_rng(4))
            .unwrap()
            .public_key();
    let ske = ske_record(&mut p, &sr, NamedGroup::SECP384R1, public);
    let r = p.c.feed(&join(&[recs[0].clone(), recs[1].clone(), ske]));
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls12_extension_not_offered_is_unsupported_extension() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut sh = server_hello(&recs[0]);
    // ALPN was not offered
    sh.extensions.push(Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    ));
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::UnsupportedExtension);
}

#[test]
fn tls12_off_curve_p256_point_is_illegal_parameter() {
    let mut p = peers(with_groups(cc12(), &[NamedGroup::SECP256R1]));
    let mut recs = flight12(&mut p);
    let sr = server_hello(&recs[0]).random;
    recs[2] = ske_record(&mut p, &sr, NamedGroup::SECP256R1, off_curve_p256());
    let r = p.c.feed(&join(&recs));
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls12_x25519_all_zero_secret_is_illegal_parameter() {
    for share in [[0u8; 32], {
        let mut one = [0u8; 32];
        one[0] = 1; // u = 1, a low-order point
        one
    }] {
        let mut p = peers(with_groups(
            cc12(),
            &[NamedGroup::X25519, NamedGroup::SECP256R1],
        ));
        let mut recs = flight12(&mut p);
        let sr = server_hello(&recs[0]).random;
        recs[2] = ske_record(&mut p, &sr, NamedGroup::X25519, share.to_vec());
        let r = p.c.feed(&join(&recs));
        expect_plain(&mut p.c, r, Alert::IllegalParameter);
    }
}

#[test]
fn tls12_early_ccs_is_unexpected_message() {
    // CVE-2014-0224: ChangeCipherSpec right after ServerHello
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p.c.feed(&join(&[recs[0].clone(), Rec::new(CCS, vec![1])]));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);

    // ... or right after the Certificate
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p.c.feed(&join(&[
        recs[0].clone(),
        recs[1].clone(),
        Rec::new(CCS, vec![1]),
    ]));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls12_hello_request_after_handshake_gets_no_renegotiation_warning() {
    let mut p = peers(cc12());
    p.complete();
    p.drain();
    let msg = HM::HelloRequest;
    let raw = msg.encode();
    p.s.common.send_handshake_raw(msg, raw, vec![], false);
    let out = p.s.take_output();
    p.drain();
    p.cev.clear();
    let answer = p.deliver_to_client(&out);
    assert!(p.cev.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::Out,
            level: AlertLevel::Warning,
            description: Alert::NoRenegotiation
        }
    )));
    assert_eq!(answer.len(), 1);
    assert_eq!(answer[0].ct, ALERT);
    assert!(p.c.is_established() && !p.c.is_failed());
    // the server takes the warning and the connection goes on
    p.sev.clear();
    assert!(p.deliver_to_server(&join(&answer)).is_empty());
    assert!(!p.s.is_failed());
    p.c.send_data(b"still here").unwrap();
    let out = p.c.take_output();
    p.deliver_to_server(&out);
    assert!(p
        .sev
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"still here")));
}

#[test]
fn tls12_client_hello_after_handshake_gets_no_renegotiation_warning() {
    let mut p = peers(cc12());
    let ch_bytes = {
        // keep a copy of the first ClientHello to replay it as a renegotiation
        let ch = p.c.take_output();
        let copy = ch.clone();
        let f1 = p.deliver_to_server(&ch);
        let cf = p.deliver_to_client(&join(&f1));
        let sf = p.deliver_to_server(&join(&cf));
        p.deliver_to_client(&join(&sf));
        copy
    };
    assert!(p.c.is_established() && p.s.is_established());
    let ch = client_hello(&ch_bytes);
    let msg = HM::ClientHello(ch);
    let raw = msg.encode();
    p.c.common.send_handshake_raw(msg, raw, vec![], false);
    let out = p.c.take_output();
    p.sev.clear();
    let answer = p.deliver_to_server(&out);
    assert!(p.sev.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::Out,
            level: AlertLevel::Warning,
            description: Alert::NoRenegotiation
        }
    )));
    assert_eq!(answer.len(), 1);
    assert_eq!(answer[0].ct, ALERT);
    assert!(!p.s.is_failed());
    p.deliver_to_client(&join(&answer));
    assert!(!p.c.is_failed());
    p.s.send_data(b"go on").unwrap();
    let out = p.s.take_output();
    p.deliver_to_client(&out);
    assert!(p
        .cev
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"go on")));
}

#[test]
fn tls12_data_after_close_notify_is_ignored() {
    let mut p = peers(cc12());
    p.complete();
    p.drain();
    p.cev.clear();
    p.s.close();
    p.s.common
        .rl
        .send(ContentType::APPLICATION_DATA, b"after the close");
    p.s.common.rl.send(ContentType::HANDSHAKE, &[0xff; 10]);
    let out = p.s.take_output();
    assert!(p.c.feed(&out).is_ok());
    p.drain();
    assert!(p.c.peer_closed());
    assert!(!p.c.is_failed());
    assert!(!p
        .cev
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, .. })));
    assert!(p
        .cev
        .iter()
        .any(|e| matches!(e, Event::Closed { clean: true, .. })));
}

#[test]
fn tls12_duplicate_extension_in_server_hello_is_illegal_parameter() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut sh = server_hello(&recs[0]);
    let dup = sh.extensions[0].clone();
    sh.extensions.push(dup);
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls12_huge_handshake_announcement_is_decode_error_without_allocating() {
    for first in [false, true] {
        let mut p = peers(cc12());
        let recs = flight12(&mut p);
        // 16 MB announced, 2 bytes delivered
        let huge = Rec::new(HS, vec![11, 0xff, 0xff, 0xff, 0x30, 0x82]);
        let bytes = if first {
            huge.bytes()
        } else {
            join(&[recs[0].clone(), huge])
        };
        let r = p.c.feed(&bytes);
        assert!(p.c.common.hs_buf.capacity() < 64 * 1024);
        expect_plain(&mut p.c, r, Alert::DecodeError);
    }
}

#[test]
fn tls12_zero_length_handshake_fragment_is_unexpected_message() {
    // unprotected
    let mut p = peers(cc12());
    let _ = flight12(&mut p);
    let r = p.c.feed(&Rec::new(HS, vec![]).bytes());
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);

    // protected (after the server's ChangeCipherSpec)
    let mut p = peers(cc12());
    let recs = second_flight12(&mut p);
    let mut sk = sealer(&p.sev, 0xc02b, "server");
    let empty = sk.seal(HS, &[]);
    let r = p.c.feed(&join(&[recs[0].clone(), recs[1].clone(), empty]));
    let mut ck = sealer(&p.cev, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.c, r, Alert::UnexpectedMessage, &mut ck);
}

/// Rewrites unprotected handshake records on their way: `one_byte` splits them into 1-byte
/// records, otherwise consecutive ones are packed into one record.
/// Records after a ChangeCipherSpec (`protected`) are left alone.
pub(super) fn reframe(bytes: &[u8], one_byte: bool, protected: &mut bool) -> Vec<u8> {
    let mut out: Vec<Rec> = vec![];
    for r in parse(bytes) {
        if r.ct == CCS {
            *protected = true;
        }
        if r.ct != HS || *protected {
            out.push(r);
        } else if one_byte {
            out.extend(r.frag.iter().map(|b| Rec {
                ct: HS,
                ver: r.ver,
                frag: vec![*b],
            }));
        } else {
            match out.last_mut() {
                Some(last) if last.ct == HS && last.frag.len() + r.frag.len() <= 16384 => {
                    last.frag.extend_from_slice(&r.frag)
                }
                _ => out.push(r),
            }
        }
    }
    join(&out)
}

pub(super) fn reframed_handshake(cc: ClientConfig, one_byte: bool) -> Peers {
    let mut p = peers(cc);
    let mut records_seen = 0;
    let (mut c_protected, mut s_protected) = (false, false);
    for _ in 0..20 {
        let a = p.c.take_output();
        let b = p.s.take_output();
        if a.is_empty() && b.is_empty() {
            break;
        }
        if !a.is_empty() {
            let a = reframe(&a, one_byte, &mut c_protected);
            records_seen += parse(&a).len();
            p.s.feed(&a).unwrap();
        }
        if !b.is_empty() {
            let b = reframe(&b, one_byte, &mut s_protected);
            records_seen += parse(&b).len();
            p.c.feed(&b).unwrap();
        }
        p.drain();
    }
    assert!(p.c.is_established() && p.s.is_established());
    if one_byte {
        assert!(records_seen > 250, "{records_seen} records");
    }
    p
}

#[test]
fn tls12_handshake_one_byte_per_record() {
    let p = reframed_handshake(cc12(), true);
    assert_eq!(p.c.version(), Some(ProtocolVersion::TLS12));
}

#[test]
fn tls12_handshake_messages_packed_in_one_record() {
    let mut p = peers(cc12());
    let f1 = flight12(&mut p);
    let packed = reframe(&join(&f1), false, &mut false);
    assert_eq!(parse(&packed).len(), 1);
    let p = reframed_handshake(cc12(), false);
    assert!(p.c.is_established());
}

#[test]
fn tls12_handshake_fed_one_byte_at_a_time() {
    let mut p = peers(cc12());
    for _ in 0..10 {
        let a = p.c.take_output();
        let b = p.s.take_output();
        if a.is_empty() && b.is_empty() {
            break;
        }
        for x in a.chunks(1) {
            p.s.feed(x).unwrap();
        }
        for x in b.chunks(1) {
            p.c.feed(x).unwrap();
        }
    }
    assert!(p.c.is_established() && p.s.is_established());
}

#[test]
fn unknown_record_type_is_unexpected_message() {
    for t in [24u8, 25, 0x63] {
        let mut p = peers(cc12());
        let _ = flight12(&mut p);
        let r = p.c.feed(&Rec::new(t, vec![1, 2, 3]).bytes());
        expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
    }
}

// ================================================================== TLS 1.3, client side

#[test]
fn tls13_bad_finished_is_decrypt_error() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let i = index_of(&items, 20);
    items[i].1[10] ^= 1;
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::DecryptError);
}

#[test]
fn tls13_bad_record_tag_is_bad_record_mac() {
    let mut p = peers(cc13());
    let mut recs = p.first_flight();
    assert_eq!(recs[2].ct, APP);
    recs[2].frag[3] ^= 0x40;
    let r = p.c.feed(&join(&recs));
    expect_plain(&mut p.c, r, Alert::BadRecordMac);
}

#[test]
fn tls13_finished_before_certificate_is_unexpected_message() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items.remove(index_of(&items, 15));
    items.remove(index_of(&items, 11));
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);

    // a TLS 1.2 message in a TLS 1.3 handshake
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items.insert(2, (HS, HM::ServerHelloDone.encode(), true));
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_trailing_bytes_are_decode_error() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let ee = &items[2].1;
    let mut body = ee[4..].to_vec();
    body.push(0);
    items[2].1 = raw_msg(8, &body);
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::DecodeError);

    // Finished of the wrong length is a decode_error too (RFC 8446 §4.4.4)
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let i = index_of(&items, 20);
    let mut body = items[i].1[4..].to_vec();
    body.push(0);
    items[i].1 = raw_msg(20, &body);
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    let e = r.as_ref().unwrap_err();
    assert!(
        matches!(e.alert, Alert::DecodeError | Alert::DecryptError),
        "{e}"
    );
    let want = e.alert;
    expect_plain(&mut p.c, r, want);
}

#[test]
fn tls13_record_overflow() {
    // ciphertext over 2^14 + 256
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut bytes = join(&recs[..2]);
    bytes.extend_from_slice(&[APP, 3, 3, 0x41, 0x01]);
    let r = p.c.feed(&bytes);
    expect_plain(&mut p.c, r, Alert::RecordOverflow);

    // inner plaintext over 2^14 + 1 in a ciphertext that is within its limit
    let mut p = peers(cc13());
    let (items, mut keys) = flight13(&mut p);
    let mut bytes = seal_flight13(&items[..2], &mut keys);
    keys.seq = 0;
    let mut inner = vec![0u8; 16386];
    inner[16385] = HS;
    inner[0] = 8;
    let rec = keys.seal_inner(&inner);
    assert!(rec.frag.len() <= 16384 + 256);
    bytes.extend(rec.bytes());
    let r = p.c.feed(&bytes);
    expect_plain(&mut p.c, r, Alert::RecordOverflow);
}

#[test]
fn tls13_all_zero_inner_plaintext_is_unexpected_message() {
    let mut p = peers(cc13());
    let (items, mut keys) = flight13(&mut p);
    let mut bytes = seal_flight13(&items[..2], &mut keys);
    keys.seq = 0;
    bytes.extend(keys.seal_inner(&[0; 40]).bytes());
    let r = p.c.feed(&bytes);
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_plaintext_handshake_after_keys_changed_is_unexpected_message() {
    let mut p = peers(cc13());
    let (items, _) = flight13(&mut p);
    let bytes = join(&[
        Rec::new(HS, items[0].1.clone()),
        Rec::new(CCS, vec![1]),
        Rec::new(HS, items[2].1.clone()),
    ]);
    let r = p.c.feed(&bytes);
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_ccs_other_than_0x01_is_unexpected_message() {
    for body in [vec![2u8], vec![1, 1], vec![0]] {
        let mut p = peers(cc13());
        let recs = p.first_flight();
        let bytes = join(&[recs[0].clone(), Rec::new(CCS, body)]);
        let r = p.c.feed(&bytes);
        expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
    }
}

/// A completed TLS 1.3 connection; the server then sends the alert `(level, desc)`.
pub(super) fn tls13_alert_from_server(
    level: AlertLevel,
    desc: Alert,
) -> (Peers, Result<(), TlsError>) {
    let mut p = peers(cc13());
    p.complete();
    p.drain();
    p.cev.clear();
    p.s.common.send_alert(level, desc);
    p.s.send_data(b"more").unwrap();
    let out = p.s.take_output();
    let r = p.c.feed(&out);
    (p, r)
}

#[test]
fn tls13_alerts_other_than_close_notify_and_user_canceled_are_fatal() {
    for (level, desc) in [
        (AlertLevel::Warning, Alert::Unknown(200)),
        (AlertLevel::Fatal, Alert::Unknown(255)),
        (AlertLevel::Warning, Alert::NoRenegotiation),
        (AlertLevel::Warning, Alert::HandshakeFailure),
        (AlertLevel::Unknown(7), Alert::BadCertificate),
    ] {
        let (mut p, r) = tls13_alert_from_server(level, desc);
        let e = r.unwrap_err();
        assert!(e.received, "{e}");
        assert_eq!(e.alert, desc);
        assert!(p.c.is_failed());
        p.drain();
        // the data after the alert was not accepted, and we answer nothing
        assert!(!p
            .cev
            .iter()
            .any(|e| matches!(e, Event::AppData { dir: Dir::In, .. })));
        assert!(!p.c.has_output());
        assert!(p.c.feed(&[APP, 3, 3, 0, 1, 0]).is_err());
    }
}

#[test]
fn tls13_user_canceled_is_not_fatal() {
    let (mut p, r) = tls13_alert_from_server(AlertLevel::Warning, Alert::UserCanceled);
    r.unwrap();
    p.drain();
    assert!(!p.c.is_failed());
    assert!(p
        .cev
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"more")));
}

pub(super) fn hrr_peers() -> (Peers, Vec<Rec>) {
    // the server wants P-384, the client sends a share for x25519 first
    let mut p = peers_with(cc13(), |s| s.groups = vec![NamedGroup::SECP384R1]);
    let recs = p.first_flight();
    assert!(server_hello(&recs[0]).is_hello_retry_request());
    (p, recs)
}

#[test]
fn tls13_second_hello_retry_request_is_unexpected_message() {
    let (mut p, recs) = hrr_peers();
    let ch2 = p.deliver_to_client(&join(&recs));
    assert_eq!(ch2.len(), 1);
    let r = p.c.feed(&recs[0].bytes());
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_hello_retry_request_that_changes_nothing_is_illegal_parameter() {
    // asks for the group we already sent a share for
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    set_ext(
        &mut hrr.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareHrr(NamedGroup::X25519),
    );
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(hrr).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);

    // neither key_share nor cookie
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.extensions.retain(|e| e.typ != ET::KEY_SHARE);
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(hrr).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);

    // a group we never offered
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    set_ext(
        &mut hrr.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareHrr(NamedGroup::X448),
    );
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(hrr).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls13_suite_not_offered_is_illegal_parameter() {
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    sh.cipher_suite = CipherSuite(0x1302);
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls13_key_share_group_not_offered_is_illegal_parameter() {
    // a group in supported_groups but without a share from us
    let mut p = peers(with_groups(
        cc13(),
        &[NamedGroup::X25519, NamedGroup::SECP256R1],
    ));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP256R1, valid_p256()),
    );
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);

    // a group we never mentioned
    let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP384R1, vec![4; 97]),
    );
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls13_extension_not_offered_is_unsupported_extension() {
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    sh.extensions.push(Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    ));
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::UnsupportedExtension);

    // in EncryptedExtensions as well
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let ee = vec![Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    )];
    items[2].1 = HM::EncryptedExtensions(ee).encode();
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::UnsupportedExtension);
}

#[test]
fn tls13_extension_in_the_wrong_message_is_illegal_parameter() {
    // key_share belongs to the hellos, not to EncryptedExtensions (RFC 8446 §4.2)
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let ee = vec![Extension::new(
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::X25519, vec![9; 32]),
    )];
    items[2].1 = HM::EncryptedExtensions(ee).encode();
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls13_off_curve_p256_key_share_is_illegal_parameter() {
    let mut p = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP256R1, off_curve_p256()),
    );
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls13_x25519_all_zero_secret_is_illegal_parameter() {
    let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::X25519, vec![0; 32]),
    );
    let r =
        p.c.feed(&Rec::new(HS, HM::ServerHello(sh).encode()).bytes());
    expect_plain(&mut p.c, r, Alert::IllegalParameter);
}

#[test]
fn tls13_handshake_one_byte_per_record_and_packed() {
    let p = reframed_handshake(cc13(), true);
    assert_eq!(p.c.version(), Some(ProtocolVersion::TLS13));
    let p = reframed_handshake(cc13(), false);
    assert_eq!(p.c.version(), Some(ProtocolVersion::TLS13));
    // the encrypted messages packed into one record work too
    let mut p = peers(cc13());
    let (items, mut keys) = flight13(&mut p);
    let packed: Vec<u8> = items[2..].iter().flat_map(|(_, d, _)| d.clone()).collect();
    let flight = vec![items[0].clone(), items[1].clone(), (HS, packed, true)];
    let out = p.deliver_to_client(&seal_flight13(&flight, &mut keys));
    assert!(p.c.is_established());
    p.deliver_to_server(&join(&out));
    assert!(p.s.is_established());
}

// ================================================================== server side (fake client)

#[test]
fn server_refuses_garbage_and_plaintext_http() {
    for garbage in [
        &b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"[..],
        &b"GET"[..],
        &[0x80, 0x2e, 0x01, 0x03, 0x01][..], // SSLv2-style hello
        &[0x16, 0x48, 0x54, 0x54, 0x50][..],
    ] {
        let mut p = peers(cc13());
        let r = p.s.feed(garbage);
        let e = r.as_ref().unwrap_err();
        assert!(
            matches!(e.alert, Alert::UnexpectedMessage | Alert::DecodeError),
            "{e}"
        );
        let want = e.alert;
        expect_plain(&mut p.s, r, want);
    }
}

pub(super) fn modified_hello(p: &mut Peers, f: impl FnOnce(&mut ClientHello)) -> Vec<u8> {
    let mut ch = client_hello(&p.c.take_output());
    f(&mut ch);
    let mut r = Rec::new(HS, HM::ClientHello(ch).encode());
    r.ver = 0x0301;
    r.bytes()
}

#[test]
fn server_no_common_suite_is_handshake_failure() {
    for cc in [cc12(), cc13()] {
        let mut p = peers(cc);
        let bytes = modified_hello(&mut p, |ch| {
            ch.cipher_suites = vec![CipherSuite(0x002f), CipherSuite(0x00ff)]
        });
        let r = p.s.feed(&bytes);
        expect_plain(&mut p.s, r, Alert::HandshakeFailure);
    }
}

#[test]
fn server_tls13_hello_without_key_share_is_missing_extension() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        ch.extensions.retain(|e| e.typ != ET::KEY_SHARE)
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::MissingExtension);
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
        key,
    }
}

#[test]
fn server_resumption_works_untampered() {
    let mut p = resuming_peers();
    p.complete();
    p.drain();
    assert!(p
        .sev
        .iter()
        .any(|e| matches!(e, Event::Summary(s) if s.resumed)));
}

#[test]
fn server_pre_shared_key_not_last_is_illegal_parameter() {
    let mut p = resuming_peers();
    let bytes = modified_hello(&mut p, |ch| {
        let psk = ch.extensions.pop().unwrap();
        assert_eq!(psk.typ, ET::PRE_SHARED_KEY);
        ch.extensions.insert(0, psk);
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::IllegalParameter);
}

#[test]
fn server_bad_psk_binder_is_decrypt_error() {
    let mut p = resuming_peers();
    let mut bytes = p.c.take_output();
    let n = bytes.len();
    bytes[n - 1] ^= 1; // the binder is the last thing in the ClientHello
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::DecryptError);
}

#[test]
fn server_tls13_wrong_client_finished_is_decrypt_error() {
    let mut p = peers(cc13());
    let f = p.first_flight();
    let cf = p.deliver_to_client(&join(&f));
    assert_eq!(cf.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![CCS, APP]);
    let mut ck = sealer(&p.cev, 0x1301, "client_handshake_traffic");
    let (t, mut fin) = ck.open13(&cf[1]);
    assert_eq!((t, fin[0]), (HS, 20));
    fin[7] ^= 1;
    ck.seq = 0;
    let bad = join(&[cf[0].clone(), ck.seal(HS, &fin)]);
    let r = p.s.feed(&bad);
    let mut sk = sealer(&p.sev, 0x1301, "server_application_traffic");
    expect_sealed(&mut p.s, r, Alert::DecryptError, &mut sk);
}

#[test]
fn server_tls12_wrong_client_finished_is_decrypt_error() {
    let mut p = peers(cc12());
    let f = flight12(&mut p);
    let cf = p.deliver_to_client(&join(&f));
    assert_eq!(
        cf.iter().map(|r| r.ct).collect::<Vec<_>>(),
        vec![HS, CCS, HS]
    );
    let mut ck = sealer(&p.cev, 0xc02b, "client");
    let mut fin = ck.open(&cf[2]);
    fin[6] ^= 1;
    ck.seq = 0;
    let bad = join(&[cf[0].clone(), cf[1].clone(), ck.seal(HS, &fin)]);
    let r = p.s.feed(&bad);
    expect_plain(&mut p.s, r, Alert::DecryptError);
}

#[test]
fn server_tls12_early_ccs_is_unexpected_message() {
    let mut p = peers(cc12());
    let f = flight12(&mut p);
    let cf = p.deliver_to_client(&join(&f));
    // the CCS before the ClientKeyExchange
    let r = p.s.feed(&join(&[cf[1].clone(), cf[0].clone()]));
    expect_plain(&mut p.s, r, Alert::UnexpectedMessage);
}

#[test]
fn server_client_finished_out_of_order_is_unexpected_message() {
    let mut p = peers(cc13());
    let _ = p.first_flight();
    // a plaintext Finished instead of the encrypted flight
    let r =
        p.s.feed(&Rec::new(HS, HM::Finished(vec![0; 32]).encode()).bytes());
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage);
    // the server already switched to its handshake keys: the alert is protected
    let mut sk = sealer(&p.sev, 0x1301, "server_application_traffic");
    expect_sealed(&mut p.s, r, Alert::UnexpectedMessage, &mut sk);
}

// ================================================================== more wrong moments

#[test]
fn tls13_handshake_message_spanning_the_key_change_is_unexpected_message() {
    // RFC 8446 §5.1: the ServerHello record also carries the start of the next message
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut sh = recs[0].clone();
    sh.frag.extend_from_slice(&[8, 0, 0]);
    let r = p.c.feed(&sh.bytes());
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_application_data_before_the_handshake_completes_is_unexpected_message() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items[2] = (APP, b"0.5-RTT too early".to_vec(), true);
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_protected_change_cipher_spec_is_unexpected_message() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items[2] = (CCS, vec![1], true);
    let r = p.c.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.c, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_ccs_after_the_handshake_is_unexpected_message() {
    let mut p = peers(cc13());
    p.complete();
    let r = p.c.feed(&Rec::new(CCS, vec![1]).bytes());
    let mut ck = sealer(&p.cev, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.c, r, Alert::UnexpectedMessage, &mut ck);
}

#[test]
fn tls13_key_update_with_bad_request_is_illegal_parameter() {
    let mut p = peers(cc13());
    p.complete();
    let msg = HM::KeyUpdate(2);
    let raw = msg.encode();
    p.s.common.send_handshake_raw(msg, raw, vec![], false);
    let out = p.s.take_output();
    let r = p.c.feed(&out);
    let mut ck = sealer(&p.cev, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.c, r, Alert::IllegalParameter, &mut ck);
}

/// A failure after the handshake (here a bad KeyUpdate) keeps the session the ticket gave.
#[test]
fn tls13_session_kept_after_a_post_handshake_error() {
    let mut p = peers(cc13());
    p.complete();
    let before = p.c.session().expect("a ticket");
    let msg = HM::KeyUpdate(2);
    let raw = msg.encode();
    p.s.common.send_handshake_raw(msg, raw, vec![], false);
    let out = p.s.take_output();
    let e = p.c.feed(&out).unwrap_err();
    assert_eq!(e.alert, Alert::IllegalParameter);
    assert_eq!(p.c.session(), Some(before));
}

/// A handshake message after the TLS 1.2 handshake is unexpected_message, named against the
/// established state, and the session stays resumable.
#[test]
fn tls12_session_kept_after_a_post_handshake_error() {
    let mut p = peers(cc12());
    p.complete();
    let before = p.c.session().expect("a session");
    let msg = HM::ServerHelloDone;
    let raw = msg.encode();
    p.s.common.send_handshake_raw(msg, raw, vec![], false);
    let out = p.s.take_output();
    let e = p.c.feed(&out).unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage);
    assert!(
        e.message.starts_with("expected Established, received "),
        "{e}"
    );
    assert_eq!(p.c.session(), Some(before));
}

#[test]
fn tls13_data_after_close_notify_is_ignored() {
    let mut p = peers(cc13());
    p.complete();
    p.cev.clear();
    p.s.close();
    p.s.common
        .rl
        .send(ContentType::APPLICATION_DATA, b"after the close");
    let out = p.s.take_output();
    assert!(p.c.feed(&out).is_ok());
    p.drain();
    assert!(p.c.peer_closed() && !p.c.is_failed());
    assert!(!p
        .cev
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, .. })));
}

#[test]
fn server_second_client_hello_that_changes_random_is_illegal_parameter() {
    let (mut p, recs) = hrr_peers();
    let ch2 = p.deliver_to_client(&join(&recs));
    let mut ch = client_hello(&join(&ch2));
    ch.random[0] ^= 1;
    let r =
        p.s.feed(&Rec::new(HS, HM::ClientHello(ch).encode()).bytes());
    expect_plain(&mut p.s, r, Alert::IllegalParameter);
}

#[test]
fn server_key_share_outside_supported_groups_is_illegal_parameter() {
    let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
    let bytes = modified_hello(&mut p, |ch| {
        set_ext(
            &mut ch.extensions,
            ET::SUPPORTED_GROUPS,
            ExtBody::SupportedGroups(vec![NamedGroup::SECP256R1]),
        )
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::IllegalParameter);
}

#[test]
fn server_duplicate_extension_in_client_hello_is_illegal_parameter() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        let dup = ch.extensions[0].clone();
        ch.extensions.insert(1, dup);
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::IllegalParameter);
}

#[test]
fn server_application_data_before_the_handshake_is_unexpected_message() {
    let mut p = peers(cc12());
    let _ = p.c.take_output();
    let r = p.s.feed(&Rec::new(APP, b"hello".to_vec()).bytes());
    expect_plain(&mut p.s, r, Alert::UnexpectedMessage);
}

#[test]
fn server_huge_client_hello_announcement_is_decode_error() {
    let mut p = peers(cc13());
    let r =
        p.s.feed(&Rec::new(HS, vec![1, 0xff, 0xff, 0xff, 3, 3]).bytes());
    assert!(p.s.common.hs_buf.capacity() < 64 * 1024);
    expect_plain(&mut p.s, r, Alert::DecodeError);
}

#[test]
fn server_tls13_compression_other_than_null_is_illegal_parameter() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        ch.compression_methods = vec![
            crate::wire::codepoints::CompressionMethod::NULL,
            crate::wire::codepoints::CompressionMethod(1),
        ]
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::IllegalParameter);
}

#[test]
fn server_tls13_hello_without_signature_algorithms_is_missing_extension() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        ch.extensions.retain(|e| e.typ != ET::SIGNATURE_ALGORITHMS)
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::MissingExtension);
}

#[test]
fn server_psk_without_psk_key_exchange_modes_is_missing_extension() {
    let mut p = resuming_peers();
    let bytes = modified_hello(&mut p, |ch| {
        ch.extensions
            .retain(|e| e.typ != ET::PSK_KEY_EXCHANGE_MODES)
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::MissingExtension);
}
