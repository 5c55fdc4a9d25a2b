//! Handshakes whatever the record framing: every plaintext handshake record split into
//! 1-byte records or packed with its neighbours (RFC 5246 §6.2.1, RFC 8446 §5.1), flights
//! fed one byte at a time, and record types nobody defined.

use tlsprobe::error::Alert;
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::ProtocolVersion;

use crate::common::scripted::*;

/// Rewrites unprotected handshake records on their way: `one_byte` splits them into 1-byte
/// records, otherwise consecutive ones are packed into one record.
/// Records after a ChangeCipherSpec (`protected`) are left alone.
fn reframe(bytes: &[u8], one_byte: bool, protected: &mut bool) -> Vec<u8> {
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

/// A whole handshake with every flight passed through `reframe` on its way.
fn reframed_handshake(cc: ClientConfig, one_byte: bool) -> Pair {
    let mut p = peers(cc);
    let mut records_seen = 0;
    let (mut c_protected, mut s_protected) = (false, false);
    p.pump_tampered(|from, bytes| {
        let protected = match from {
            Side::Client => &mut c_protected,
            Side::Server => &mut s_protected,
        };
        *bytes = reframe(bytes, one_byte, protected);
        records_seen += parse(bytes).len();
    });
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert!(p.established());
    if one_byte {
        assert!(records_seen > 250, "{records_seen} records");
    }
    p
}

#[test]
fn tls12_handshake_one_byte_per_record() {
    let p = reframed_handshake(cc12(), true);
    assert_eq!(p.client.version(), Some(ProtocolVersion::TLS12));
}

#[test]
fn tls12_handshake_messages_packed_in_one_record() {
    let mut p = peers(cc12());
    let f1 = flight12(&mut p);
    let packed = reframe(&join(&f1), false, &mut false);
    assert_eq!(parse(&packed).len(), 1);
    let p = reframed_handshake(cc12(), false);
    assert!(p.client.is_established());
}

#[test]
fn tls12_handshake_fed_one_byte_at_a_time() {
    let mut p = peers(cc12());
    p.pump_in_pieces(1);
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert!(p.client.is_established() && p.server.is_established());
}

#[test]
fn tls13_handshake_one_byte_per_record_and_packed() {
    let p = reframed_handshake(cc13(), true);
    assert_eq!(p.client.version(), Some(ProtocolVersion::TLS13));
    let p = reframed_handshake(cc13(), false);
    assert_eq!(p.client.version(), Some(ProtocolVersion::TLS13));
    // the encrypted messages packed into one record work too
    let mut p = peers(cc13());
    let (items, mut keys) = flight13(&mut p);
    let packed: Vec<u8> = items[2..].iter().flat_map(|(_, d, _)| d.clone()).collect();
    let flight = vec![items[0].clone(), items[1].clone(), (HS, packed, true)];
    let out = p.to_client(&seal_flight13(&flight, &mut keys));
    assert!(p.client.is_established());
    p.to_server(&join(&out));
    assert!(p.server.is_established());
}

#[test]
fn unknown_record_type_is_unexpected_message() {
    for t in [24u8, 25, 0x63] {
        let mut p = peers(cc12());
        let _ = flight12(&mut p);
        let r = p.client.feed(&Rec::new(t, vec![1, 2, 3]).bytes());
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}
