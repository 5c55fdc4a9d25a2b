//! Complete handshakes: the conversation with its tickets, a HelloRetryRequest, and a
//! ticket resumption's shorter flight.

use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup};

use crate::common::scripted::*;
use crate::steps::*;

/// test-tls13-conversation.py / test-tls13-hrr.py / test-tls13-count-tickets.py: the happy
/// path — the flight, the client Finished and request, the tickets (config.tickets of them),
/// the answer; and a HelloRetryRequest with exactly key_share and supported_versions.
#[test]
fn conversation_and_hello_retry_request() {
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let fin = client_finished(&p, |_| {});
    let out = p.to_server(&fin);
    assert_eq!(out.len(), 2, "two NewSessionTickets by default");

    let cc = with_groups(cc13(), &[NamedGroup::X25519, NamedGroup::SECP384R1]);
    let mut p = peers_with(cc, |sc| sc.groups = vec![NamedGroup::SECP384R1]);
    let out = p.first_flight();
    assert_eq!(out.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![HS, CCS]);
    let hrr = server_hello(&out[0]);
    let mut types: Vec<ET> = hrr.extensions.iter().map(|e| e.typ).collect();
    types.sort_by_key(|t| t.0);
    assert_eq!(types, vec![ET::SUPPORTED_VERSIONS, ET::KEY_SHARE]);
    let ch2 = p.to_client(&join(&out));
    let r = p.server.feed(&join(&ch2));
    assert!(r.is_ok(), "{r:?}");
    p.complete();
}

/// test-tls13-session-resumption.py "session resumption": a ClientHello with a ticket from
/// an earlier connection and psk_dhe_ke gets a ServerHello with pre_shared_key and
/// key_share (RFC 8446 §4.2.9: psk_dhe_ke), then EncryptedExtensions and Finished — no
/// Certificate or CertificateVerify — and the handshake completes, with a new ticket.
#[test]
fn ticket_resumption_flight() {
    let mut p = resuming_peers();
    let recs = p.first_flight();
    let sh = server_hello(&recs[0]);
    let exts: Vec<ET> = sh.extensions.iter().map(|x| x.typ).collect();
    for t in [ET::PRE_SHARED_KEY, ET::KEY_SHARE, ET::SUPPORTED_VERSIONS] {
        assert!(exts.contains(&t), "{t:?} in {exts:?}");
    }
    let mut sk = sealer(&p.server_events, SUITE, "server_handshake_traffic");
    let types: Vec<u8> = open_flight13(&recs, &mut sk)
        .iter()
        .map(|(t, d, _)| if *t == HS { d[0] } else { *t })
        .collect();
    assert_eq!(types, [2, CCS, 8, 20]);
    let (_, sk) = establish(&mut p);
    assert!(sk.seq >= 1, "at least one NewSessionTicket");
}

/// test-tls13-hrr.py with tlsfuzzer's own client: after a HelloRetryRequest the scripted
/// client's Finished, computed over a transcript that starts with the message_hash of the
/// first ClientHello (RFC 8446 §4.4.1), completes the handshake.
#[test]
fn scripted_finished_after_a_hello_retry_request() {
    let cc = with_groups(cc13(), &[NamedGroup::X25519, NamedGroup::SECP384R1]);
    let mut p = peers_with(cc, |sc| sc.groups = vec![NamedGroup::SECP384R1]);
    let hrr = p.first_flight();
    assert!(server_hello(&hrr[0]).is_hello_retry_request());
    let ch2 = p.to_client(&join(&hrr));
    let recs = p.to_server(&join(&ch2));
    // (the one compatibility ChangeCipherSpec followed the HelloRetryRequest)
    assert_eq!(
        recs.iter().map(|r| r.ct).collect::<Vec<_>>()[..2],
        [HS, APP]
    );
    establish(&mut p);
}
