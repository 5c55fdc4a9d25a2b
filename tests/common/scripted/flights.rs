//! A server's flights as a scripted peer takes them apart and puts them back (RFC 5246
//! §7.3, RFC 8446 §2): the TLS 1.2 flights by record, the TLS 1.3 flight opened with the
//! revealed handshake keys and sealed again, a client's ClientHello edited through the
//! codec, key shares for bad-point cases, and the TLS 1.3 transcript hash (RFC 8446 §4.4.1).

use tlsprobe::crypto::hash::HashAlg;
use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::event::Event;
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::{ClientHello, HandshakeMessage as HM};

use super::pair::Scripted;
use super::records::{client_hello, join, Rec, APP, CCS, HS};
use super::sealer::{sealer, Sealer};

/// A TLS 1.3 server flight: (content type, content, encrypted) per record.
pub type Items = Vec<(u8, Vec<u8>, bool)>;

/// Opens the protected records of a TLS 1.3 flight with `keys`.
pub fn open_flight13(recs: &[Rec], keys: &mut Sealer) -> Items {
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

/// Puts an opened TLS 1.3 flight back on the wire, sealing again from sequence number 0.
pub fn seal_flight13(items: &[(u8, Vec<u8>, bool)], keys: &mut Sealer) -> Vec<u8> {
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
pub fn flight13(p: &mut Pair) -> (Items, Sealer) {
    let recs = p.first_flight();
    let mut keys = sealer(&p.server_events, 0x1301, "server_handshake_traffic");
    let items = open_flight13(&recs, &mut keys);
    let types: Vec<u8> = items
        .iter()
        .map(|(t, d, _)| if *t == HS { d[0] } else { *t })
        .collect();
    assert_eq!(types, vec![2, CCS, 8, 11, 15, 20]);
    (items, keys)
}

/// The position of the handshake message of type `hs` in an opened flight.
pub fn index_of(items: &Items, hs: u8) -> usize {
    items
        .iter()
        .position(|(t, d, _)| *t == HS && d[0] == hs)
        .unwrap()
}

/// The TLS 1.2 server flight: SH, Certificate, ServerKeyExchange, ServerHelloDone.
pub fn flight12(p: &mut Pair) -> Vec<Rec> {
    let recs = p.first_flight();
    let types: Vec<_> = recs.iter().map(|r| r.hs_type()).collect();
    assert_eq!(types, vec![Some(2), Some(11), Some(12), Some(14)]);
    recs
}

/// The TLS 1.2 handshake up to the server's second flight (NewSessionTicket, CCS, Finished).
pub fn second_flight12(p: &mut Pair) -> Vec<Rec> {
    let f1 = flight12(p);
    let cf = p.to_client(&join(&f1));
    let recs = p.to_server(&join(&cf));
    let types: Vec<u8> = recs.iter().map(|r| r.ct).collect();
    assert_eq!(types, vec![HS, CCS, HS]);
    recs
}

/// The client's first ClientHello changed by `f`, in a record of version 0x0301.
pub fn modified_hello(p: &mut Pair, f: impl FnOnce(&mut ClientHello)) -> Vec<u8> {
    let mut ch = client_hello(&p.take(Side::Client));
    f(&mut ch);
    let mut r = Rec::new(HS, HM::ClientHello(ch).encode());
    r.ver = 0x0301;
    r.bytes()
}

/// Replaces the extension of type `typ` (which must be there) by one with `body`.
pub fn set_ext(exts: &mut [Extension], typ: ET, body: ExtBody) {
    let e = exts.iter_mut().find(|e| e.typ == typ).unwrap();
    *e = Extension::new(typ, body);
}

/// An uncompressed P-256 point that is not on the curve.
pub fn off_curve_p256() -> Vec<u8> {
    let mut v = vec![4u8];
    v.extend_from_slice(&[0x11; 32]);
    v.extend_from_slice(&[0x22; 32]);
    v
}

/// A genuine P-256 public key.
pub fn valid_p256() -> Vec<u8> {
    let k = EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(3)).unwrap();
    k.public_key()
}

/// The TLS 1.3 transcript hash of the handshake messages in a connection's events, sent and
/// received, in order, post-handshake messages left out; after a HelloRetryRequest the
/// messages before it are replaced by their message_hash (RFC 8446 §4.4.1).
pub fn transcript_hash13(events: &[Event], hash: HashAlg) -> Vec<u8> {
    let mut transcript: Vec<u8> = vec![];
    for e in events {
        let Event::Handshake { msg, raw, .. } = e else {
            continue;
        };
        match &**msg {
            HM::NewSessionTicket13(_) | HM::KeyUpdate(_) => continue,
            HM::ServerHello(sh) if sh.is_hello_retry_request() => {
                let h = hash.hash(&transcript);
                transcript = [&[254u8, 0, 0, h.len() as u8][..], &h].concat();
            }
            _ => {}
        }
        transcript.extend_from_slice(raw);
    }
    hash.hash(&transcript)
}
