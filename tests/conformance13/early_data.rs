//! Early data a server that declines 0-RTT skips (RFC 8446 §4.2.10), within bounds, and
//! with a HelloRetryRequest.

use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup};
use tlsprobe::wire::extensions::ExtBody;
use tlsprobe::wire::handshake::ClientHello;

use crate::common::scripted::*;
use crate::steps::*;

/// test-tls13-0rtt-garbage.py: a server that does not accept 0-RTT skips the early data that
/// follows a ClientHello with early_data (RFC 8446 §4.2.10) — in one record, in two, with
/// the compatibility CCS before or between them — and the handshake completes.
#[test]
fn declined_early_data_is_skipped() {
    let garbage = |n: usize| Rec::new(APP, vec![0xa5; n]).bytes();
    let ccs = Rec::new(CCS, vec![1]).bytes();
    let layouts: [Vec<Vec<u8>>; 4] = [
        vec![garbage(1 << 14)],
        vec![garbage(1 << 13), garbage(1 << 13)],
        vec![garbage(1 << 13), ccs.clone(), garbage(1 << 13)],
        vec![ccs.clone(), garbage(1 << 14)],
    ];
    for early in layouts {
        let mut p = peers(cc13());
        let hello = modified_hello(&mut p, |ch| ch.extensions.push(early_data_ext()));
        flight(&mut p, &[hello, early.concat()].concat());
        let (mut ck, _) = establish(&mut p);
        p.to_server(&ck.seal(APP, b"GET / HTTP/1.0\r\n\r\n").bytes());
        assert_eq!(received_app_data(&p), b"GET / HTTP/1.0\r\n\r\n");
    }

    // Without early_data in the ClientHello, the same record is an error (bad_record_mac:
    // it does not deprotect with the handshake keys).
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
    let r = p.server.feed(&garbage(64));
    expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);
}

/// test-tls13-0rtt-garbage.py ("undecryptable record later in handshake together with
/// early_data"): skipping ends at the first record that deprotects; an undecryptable one
/// after it is bad_record_mac. More early data than we skip is unexpected_message.
#[test]
fn early_data_skipping_ends_and_is_bounded() {
    let mut p = peers(cc13());
    let hello = modified_hello(&mut p, |ch| ch.extensions.push(early_data_ext()));
    flight(
        &mut p,
        &[hello, Rec::new(APP, vec![7; 1 << 14]).bytes()].concat(),
    );
    let fin = client_finished(&p, |_| {});
    let first = parse(&fin);
    // re-seal the Finished in two records; send the first, then garbage
    let mut ck = sealer(&p.server_events, SUITE, "client_handshake_traffic");
    let msg = ck.open13(&first[0]).1;
    ck.seq = 0;
    let part = ck.seal(HS, &msg[..16]).bytes();
    let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
    let r = p
        .server
        .feed(&[part, Rec::new(APP, vec![9; 64]).bytes()].concat());
    expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);

    let mut p = peers(cc13());
    let hello = modified_hello(&mut p, |ch| ch.extensions.push(early_data_ext()));
    let flood: Vec<u8> = (0..5)
        .flat_map(|_| Rec::new(APP, vec![7; 1 << 14]).bytes())
        .collect();
    let r = p.server.feed(&[hello, flood].concat());
    let mut sk = sealer(&drain(&mut p.server), SUITE, "server_application_traffic");
    // the events were drained above; check the alert bytes directly
    let e = r.unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage, "{e}");
    let out = parse(&p.server.take_output());
    assert_eq!(
        sk.open13(out.last().unwrap()),
        (ALERT, vec![2, Alert::UnexpectedMessage.to_u8()])
    );
}

/// test-tls13-0rtt-garbage.py ("0-RTT, HRR"): early data after a ClientHello answered with
/// HelloRetryRequest is skipped; a second ClientHello that still offers early_data is
/// illegal_parameter (RFC 8446 §4.1.2).
#[test]
fn early_data_with_hello_retry_request() {
    let cc = with_groups(cc13(), &[NamedGroup::X25519, NamedGroup::SECP384R1]);
    let mut p = peers_with(cc, |sc| sc.groups = vec![NamedGroup::SECP384R1]);
    let mut ch1: Option<ClientHello> = None;
    let hello = modified_hello(&mut p, |ch| {
        ch.extensions.push(early_data_ext());
        ch1 = Some(ch.clone());
    });
    let out = p.to_server(&[hello, Rec::new(APP, vec![3; 1 << 14]).bytes()].concat());
    assert_eq!(
        out.iter().map(|r| r.ct).collect::<Vec<_>>(),
        vec![HS, CCS],
        "HelloRetryRequest and CCS"
    );
    // more early data after the HRR is still skipped
    p.to_server(&Rec::new(APP, vec![3; 100]).bytes());
    // the second ClientHello keeps early_data: refused
    let mut ch2 = ch1.unwrap();
    let share = EphemeralKey::generate(NamedGroup::SECP384R1, &mut seeded_rng(5))
        .unwrap()
        .public_key();
    set_ext(
        &mut ch2.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareClient(vec![(NamedGroup::SECP384R1, share)]),
    );
    let r = p.server.feed(
        &Rec::new(
            HS,
            tlsprobe::wire::handshake::HandshakeMessage::ClientHello(ch2).encode(),
        )
        .bytes(),
    );
    // after a HelloRetryRequest the server has no keys yet: the alert goes out unprotected
    expect_plain(&mut p.server, r, Alert::IllegalParameter);
}
