//! The record-boundary rule (RFC 8446 §5.1) in both roles: a ClientHello, ServerHello,
//! HelloRetryRequest, Finished or KeyUpdate followed by more handshake data in its record is
//! a fatal unexpected_message sent before anything is answered or any key changes; in TLS
//! 1.2 the same for a Finished, and a ChangeCipherSpec while a handshake message is
//! incomplete. Coalescing where no key change intervenes stays accepted.

use std::sync::Arc;

use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::handshake::HandshakeMessage as HM;

use crate::common::scripted::*;

/// A NewSessionTicket (RFC 8446 §4.6.1): lifetime, age_add, nonce, ticket, no extensions.
const TICKET13: [u8; 22] = [
    4, 0, 0, 18, 0, 0, 0x0e, 0x10, 1, 2, 3, 4, 1, 0, 0, 4, 9, 9, 9, 9, 0, 0,
];
/// KeyUpdate(update_requested) and KeyUpdate(update_not_requested) (RFC 8446 §4.6.3).
const KEY_UPDATE_REQUESTED: [u8; 5] = [24, 0, 0, 1, 1];
const KEY_UPDATE: [u8; 5] = [24, 0, 0, 1, 0];
/// HelloRequest (RFC 5246 §7.4.1.1).
const HELLO_REQUEST: [u8; 4] = [0, 0, 0, 0];
/// The first bytes of a message: a type and half of its length.
const PARTIAL: [u8; 3] = [8, 0, 0];

/// The error must name the message that should have ended its record.
fn names(r: &Result<(), tlsprobe::error::TlsError>, what: &str) {
    let e = r.as_ref().expect_err("refused");
    assert!(
        e.message.starts_with(&format!(
            "{what} followed by more handshake data in its record"
        )),
        "{e}"
    );
}

/// The handshake message in the client's first record (its ClientHello).
fn first_client_hello(p: &Pair) -> Vec<u8> {
    let first = p.flights.iter().find(|f| f.from == Side::Client).unwrap();
    parse(&first.bytes)[0].frag.clone()
}

/// A completed TLS 1.3 pair; `bytes` (handshake messages) go to `to` in one record sealed
/// with its peer's application keys.
fn after_handshake13(to: Side, bytes: &[u8]) -> (Pair, Result<(), tlsprobe::error::TlsError>) {
    let mut p = peers(cc13());
    p.complete();
    let prefix = match to {
        Side::Server => "client_application_traffic",
        Side::Client => "server_application_traffic",
    };
    let mut keys = p.writer(to.peer(), 0x1301, prefix);
    let r = p.conn(to).feed(&keys.seal(HS, bytes).bytes());
    (p, r)
}

/// `to`'s own application keys after the handshake, for the alert it sends.
fn own_keys13(p: &Pair, side: Side) -> Sealer {
    let prefix = match side {
        Side::Server => "server_application_traffic",
        Side::Client => "client_application_traffic",
    };
    p.writer(side, 0x1301, prefix)
}

// --- TLS 1.3, our server -------------------------------------------------------------

#[test]
fn server_two_key_updates_in_one_record_is_unexpected_message() {
    // test-tls13-keyupdate.py "two KeyUpdates in one record": neither is acted on; the
    // alert goes out under the keys of before (no update, no answer)
    for second in [&KEY_UPDATE_REQUESTED[..], &KEY_UPDATE, &PARTIAL] {
        let bytes = [&KEY_UPDATE_REQUESTED[..], second].concat();
        let (mut p, r) = after_handshake13(Side::Server, &bytes);
        names(&r, "KeyUpdate");
        let mut sk = own_keys13(&p, Side::Server);
        expect_sealed(&mut p.server, r, Alert::UnexpectedMessage, &mut sk);
    }
}

#[test]
fn server_client_hello_with_more_in_its_record_is_unexpected_message() {
    // a whole message after it (here a Finished) or the start of one; TLS 1.3 and 1.2:
    // no ServerHello goes out, only the plaintext alert
    let extra: [&[u8]; 2] = [&raw_msg(20, &[0; 32]), &PARTIAL];
    for cc in [cc13(), cc12()] {
        for more in extra {
            let mut p = peers(cc.clone());
            let mut ch = parse(&p.take(Side::Client))[0].clone();
            ch.frag.extend_from_slice(more);
            let r = p.server.feed(&ch.bytes());
            names(&r, "ClientHello");
            expect_plain(&mut p.server, r, Alert::UnexpectedMessage);
        }
    }
}

#[test]
fn server_second_client_hello_with_more_in_its_record_is_unexpected_message() {
    let (mut p, recs) = hrr_peers();
    let mut ch2 = p.to_client(&join(&recs));
    assert_eq!(ch2.len(), 1);
    ch2[0].frag.extend_from_slice(&PARTIAL);
    let r = p.server.feed(&ch2[0].bytes());
    names(&r, "ClientHello");
    expect_plain(&mut p.server, r, Alert::UnexpectedMessage);
}

#[test]
fn server_client_finished_with_key_update_in_its_record_is_unexpected_message() {
    // under the client handshake keys: Finished + KeyUpdate, Finished + the start of one
    for more in [&KEY_UPDATE[..], &PARTIAL] {
        let mut p = peers(cc13());
        let f = p.first_flight();
        let cf = p.to_client(&join(&f));
        assert_eq!(cf.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![CCS, APP]);
        let mut ck = sealer(&p.client_events, 0x1301, "client_handshake_traffic");
        let (t, fin) = ck.open13(&cf[1]);
        assert_eq!((t, fin[0]), (HS, 20));
        ck.seq = 0;
        let bytes = join(&[cf[0].clone(), ck.seal(HS, &[&fin[..], more].concat())]);
        let r = p.server.feed(&bytes);
        names(&r, "Finished");
        // the server's own Finished is out: its alert is under its application keys, and
        // no NewSessionTicket went before it
        let mut sk = sealer(&p.server_events, 0x1301, "server_application_traffic");
        expect_sealed(&mut p.server, r, Alert::UnexpectedMessage, &mut sk);
    }
}

#[test]
fn server_tls13_change_cipher_spec_inside_a_handshake_message_is_unexpected_message() {
    let mut p = peers(cc13());
    let f = p.first_flight();
    let cf = p.to_client(&join(&f));
    let mut ck = sealer(&p.client_events, 0x1301, "client_handshake_traffic");
    let (_, fin) = ck.open13(&cf[1]);
    ck.seq = 0;
    let bytes = join(&[ck.seal(HS, &fin[..3]), Rec::new(CCS, vec![1])]);
    let r = p.server.feed(&bytes);
    let mut sk = sealer(&p.server_events, 0x1301, "server_application_traffic");
    expect_sealed(&mut p.server, r, Alert::UnexpectedMessage, &mut sk);
}

// --- TLS 1.3, our client -------------------------------------------------------------

#[test]
fn client_server_hello_with_more_in_its_record_is_unexpected_message() {
    // the EncryptedExtensions in plaintext after it, or the start of a message
    for whole in [true, false] {
        let mut p = peers(cc13());
        let (items, _) = flight13(&mut p);
        let more = if whole {
            items[2].1.clone()
        } else {
            PARTIAL.to_vec()
        };
        let sh = Rec::new(HS, [items[0].1.clone(), more].concat());
        let r = p.client.feed(&sh.bytes());
        names(&r, "ServerHello");
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}

#[test]
fn client_hello_retry_request_with_more_in_its_record_is_unexpected_message() {
    // the HelloRetryRequest twice, or with the start of a ServerHello: no second
    // ClientHello goes out, only the alert
    for more in [None, Some(&[2u8, 0, 0][..])] {
        let (mut p, recs) = hrr_peers();
        let mut hrr = recs[0].clone();
        let again = hrr.frag.clone();
        hrr.frag.extend_from_slice(more.unwrap_or(&again));
        let r = p.client.feed(&hrr.bytes());
        names(&r, "HelloRetryRequest");
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}

#[test]
fn client_server_finished_with_more_in_its_record_is_unexpected_message() {
    // a NewSessionTicket under the handshake keys, in the Finished record
    for more in [&TICKET13[..], &PARTIAL] {
        let mut p = peers(cc13());
        let (mut items, mut keys) = flight13(&mut p);
        let i = index_of(&items, 20);
        items[i].1.extend_from_slice(more);
        let r = p.client.feed(&seal_flight13(&items, &mut keys));
        names(&r, "Finished");
        // our Finished did not go out
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}

#[test]
fn client_key_update_with_more_in_its_record_is_unexpected_message() {
    for more in [&KEY_UPDATE[..], &TICKET13, &PARTIAL] {
        let bytes = [&KEY_UPDATE_REQUESTED[..], more].concat();
        let (mut p, r) = after_handshake13(Side::Client, &bytes);
        names(&r, "KeyUpdate");
        let mut ck = own_keys13(&p, Side::Client);
        expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
    }
}

// --- TLS 1.3, coalescing that stays accepted ------------------------------------------

#[test]
fn tls13_tickets_and_a_final_key_update_share_a_record() {
    let mut p = peers(cc13());
    let f = p.first_flight();
    let cf = p.to_client(&join(&f));
    let tickets = p.to_server(&join(&cf));
    assert_eq!(tickets.len(), 2, "two NewSessionTickets");
    let mut sk = sealer(&p.server_events, 0x1301, "server_application_traffic");
    let mut packed: Vec<u8> = tickets
        .iter()
        .flat_map(|r| {
            let (t, d) = sk.open13(r);
            assert_eq!((t, d[0]), (HS, 4));
            d
        })
        .collect();
    // a KeyUpdate may end the record: the keys change after the record
    packed.extend_from_slice(&KEY_UPDATE_REQUESTED);
    sk.seq = 0;
    let answer = p.to_client(&sk.seal(HS, &packed).bytes());
    let received: Vec<_> = p
        .client_events
        .iter()
        .filter_map(|e| match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => Some(msg.name()),
            _ => None,
        })
        .filter(|n| n == "new_session_ticket" || n == "key_update")
        .collect();
    assert_eq!(
        received,
        ["new_session_ticket", "new_session_ticket", "key_update"]
    );
    assert!(p.client.session().is_some());
    // the client answered the update with its own KeyUpdate, in one record
    assert_eq!(answer.len(), 1);
    assert!(p.client_events.iter().any(|e| matches!(e,
        Event::Handshake { dir: Dir::Out, msg, .. } if matches!(**msg, HM::KeyUpdate(0)))));
    assert!(!p.client.is_failed());
}

// --- TLS 1.2 ---------------------------------------------------------------------------

#[test]
fn server_tls12_client_finished_with_more_in_its_record_is_unexpected_message() {
    // a renegotiating ClientHello, or the start of a message, after the client Finished:
    // refused before our ChangeCipherSpec and Finished, so the alert is plaintext
    for whole in [true, false] {
        let mut p = peers(cc12());
        let f = flight12(&mut p);
        let cf = p.to_client(&join(&f));
        let mut ck = sealer(&p.client_events, 0xc02b, "client");
        let fin = ck.open(&cf[2]);
        ck.seq = 0;
        let more = if whole {
            first_client_hello(&p)
        } else {
            PARTIAL.to_vec()
        };
        let bytes = join(&[
            cf[0].clone(),
            cf[1].clone(),
            ck.seal(HS, &[fin, more].concat()),
        ]);
        let r = p.server.feed(&bytes);
        names(&r, "Finished");
        expect_plain(&mut p.server, r, Alert::UnexpectedMessage);
    }
}

#[test]
fn client_tls12_server_finished_with_more_in_its_record_is_unexpected_message() {
    // a HelloRequest, or the start of a message, after the server Finished
    for more in [&HELLO_REQUEST[..], &PARTIAL] {
        let mut p = peers(cc12());
        let mut recs = second_flight12(&mut p);
        let mut sk = sealer(&p.server_events, 0xc02b, "server");
        let fin = sk.open(&recs[2]);
        sk.seq = 0;
        recs[2] = sk.seal(HS, &[&fin[..], more].concat());
        let r = p.client.feed(&join(&recs));
        names(&r, "Finished");
        let mut ck = sealer(&p.client_events, 0xc02b, "client");
        ck.seq = 1; // the client's Finished used 0
        expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
    }
}

/// A TLS 1.2 client resuming the session of a first connection (seeds 31, 32) by session
/// id; nothing of the second connection (seeds 33, 34) is sent yet.
fn resuming12() -> Pair {
    let mut sc = ServerConfig::new(server_key());
    sc.reveal_secrets = true;
    let sc = Arc::new(sc);
    let no_tickets = ClientConfig {
        session_tickets: false,
        ..cc12()
    };
    let mut first = Pair::seeded(no_tickets.clone(), sc.clone(), 31).unwrap();
    first.complete();
    let cc = ClientConfig {
        resume: Some(first.client.session().expect("a session")),
        ..no_tickets
    };
    Pair::seeded(cc, sc, 33).unwrap()
}

#[test]
fn client_tls12_abbreviated_server_finished_with_more_is_unexpected_message() {
    // RFC 5246 §7.3: in an abbreviated handshake the server's Finished comes first, and our
    // ChangeCipherSpec follows it; the start of a message after it is refused
    let mut p = resuming12();
    let recs = p.first_flight();
    let types: Vec<u8> = recs.iter().map(|r| r.ct).collect();
    assert_eq!(types, vec![HS, CCS, HS], "ServerHello, CCS, Finished");
    let mut sk = sealer(&p.server_events, 0xc02b, "server");
    let fin = sk.open(&recs[2]);
    assert_eq!(fin[0], 20);
    sk.seq = 0;
    let bytes = join(&[
        recs[0].clone(),
        recs[1].clone(),
        sk.seal(HS, &[&fin[..], &PARTIAL].concat()),
    ]);
    let r = p.client.feed(&bytes);
    names(&r, "Finished");
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn server_tls12_change_cipher_spec_inside_a_handshake_message_is_unexpected_message() {
    // the ClientKeyExchange record also carries the start of the next message
    let mut p = peers(cc12());
    let f = flight12(&mut p);
    let cf = p.to_client(&join(&f));
    let mut cke = cf[0].clone();
    cke.frag.extend_from_slice(&[15, 0]);
    let r = p.server.feed(&join(&[cke, cf[1].clone()]));
    expect_plain(&mut p.server, r, Alert::UnexpectedMessage);
}

#[test]
fn client_tls12_change_cipher_spec_inside_a_handshake_message_is_unexpected_message() {
    // the NewSessionTicket record also carries the start of the next message
    let mut p = peers(cc12());
    let mut recs = second_flight12(&mut p);
    recs[0].frag.extend_from_slice(&[20, 0, 0]);
    let r = p.client.feed(&join(&recs[..2]));
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
}
