//! Records and messages around the client's Finished: its length and value, ChangeCipherSpec
//! where it does not belong, the client's alerts, empty and typeless records, KeyUpdate,
//! size limits, tampered tags, and a post-handshake authentication offer.

use tlsprobe::crypto::key_schedule as ks;
use tlsprobe::error::{Alert, AlertLevel};
use tlsprobe::event::{Dir, Event};
use tlsprobe::wire::codepoints::ExtensionType as ET;
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::*;
use crate::steps::*;

/// test-tls13-finished.py and test-tls13-record-layer-limits.py: a client Finished of the
/// wrong length (empty, truncated, padded left or right) is decode_error; one of the right
/// length with a flipped bit is decrypt_error (RFC 8446 §4.4.4).
#[test]
fn client_finished_length_and_value() {
    type Edit = fn(&mut Vec<u8>);
    let cases: [(&str, Edit, Alert); 8] = [
        ("empty", |m| m.truncate(4), Alert::DecodeError),
        (
            "truncated by 1",
            |m| m.truncate(m.len() - 1),
            Alert::DecodeError,
        ),
        ("TLS 1.2 size", |m| m.truncate(4 + 12), Alert::DecodeError),
        (
            "start 1",
            |m| {
                m.remove(4);
            },
            Alert::DecodeError,
        ),
        ("right padding", |m| m.push(0), Alert::DecodeError),
        (
            "left padding",
            |m| m.splice(4..4, [0; 16]).for_each(drop),
            Alert::DecodeError,
        ),
        (
            "max record: 2^14 - 36 bytes of left padding",
            |m| m.splice(4..4, vec![0; (1 << 14) - 36]).for_each(drop),
            Alert::DecodeError,
        ),
        ("bit flip", |m| m[10] ^= 0x80, Alert::DecryptError),
    ];
    for (name, edit, want) in cases {
        let mut p = peers(cc13());
        let hello = p.client.take_output();
        flight(&mut p, &hello);
        let fin = client_finished(&p, |m| {
            edit(m);
            // keep the handshake header's length right: only the body is malformed
            let l = (m.len() as u32 - 4).to_be_bytes();
            m[1..4].copy_from_slice(&l[1..]);
        });
        let r = p.server.feed(&fin);
        assert_eq!(r.as_ref().unwrap_err().alert, want, "{name}");
        let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
        expect_sealed_at(&mut p, r, want, &mut sk);
    }
}

/// test-tls13-multiple-ccs-messages.py: one compatibility ChangeCipherSpec is ignored, a
/// second one is unexpected_message (RFC 8446 §5), also when several come in one packet.
#[test]
fn second_change_cipher_spec_is_unexpected_message() {
    let ccs = Rec::new(CCS, vec![1]).bytes();
    // CH, CCS, then the Finished: fine
    let mut p = peers(cc13());
    let hello = [p.client.take_output(), ccs.clone()].concat();
    flight(&mut p, &hello);
    establish(&mut p);

    // CH, CCS, ..., CCS, Finished: the second CCS is refused
    let mut p = peers(cc13());
    let hello = [p.client.take_output(), ccs.clone()].concat();
    flight(&mut p, &hello);
    let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
    let r = p
        .server
        .feed(&[ccs.clone(), client_finished(&p, |_| {})].concat());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);

    // CH and two CCS in one packet: the server's flight, then the alert
    let mut p = peers(cc13());
    let bytes = [p.client.take_output(), ccs.clone(), ccs.clone()].concat();
    let r = p.server.feed(&bytes);
    p.server_events.extend(drain(&mut p.server));
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage, "{e}");
    assert!(p.server_events.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::Out,
            level: AlertLevel::Fatal,
            description: Alert::UnexpectedMessage
        }
    )));
    let out = parse(&p.server.take_output());
    let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
    assert_eq!(
        sk.open13(out.last().unwrap()),
        (ALERT, vec![2, Alert::UnexpectedMessage.to_u8()])
    );

    // a CCS record of two 0x01 bytes
    let mut p = peers(cc13());
    let bytes = [p.client.take_output(), Rec::new(CCS, vec![1, 1]).bytes()].concat();
    let r = p.server.feed(&bytes);
    assert_eq!(r.unwrap_err().alert, Alert::UnexpectedMessage);
}

/// test-tls13-ccs.py: a ChangeCipherSpec after the client Finished is unexpected_message.
#[test]
fn change_cipher_spec_after_finished_is_unexpected_message() {
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let (_, mut sk) = establish(&mut p);
    let r = p.server.feed(&Rec::new(CCS, vec![1]).bytes());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
}

/// test-tls13-unencrypted-alert.py: a fatal alert from the client during the handshake,
/// unprotected or protected, closes the connection without an alert of ours; once the
/// handshake is over an unprotected alert is unexpected_message (RFC 8446 §5).
#[test]
fn client_alerts_during_the_handshake() {
    let plain = Rec::new(ALERT, vec![2, Alert::UnknownCa.to_u8()]).bytes();
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let e = p.server.feed(&plain).unwrap_err();
    assert!(e.received && e.alert == Alert::UnknownCa, "{e}");
    assert!(
        p.server.is_failed() && !p.server.has_output(),
        "no alert of ours"
    );

    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let mut ck = sealer(&p.server_events, SUITE, "client_handshake_traffic");
    let e = p
        .server
        .feed(&ck.seal(ALERT, &[2, Alert::UnknownCa.to_u8()]).bytes())
        .unwrap_err();
    assert!(e.received && e.alert == Alert::UnknownCa, "{e}");
    assert!(!p.server.has_output());

    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let (_, mut sk) = establish(&mut p);
    let r = p.server.feed(&Rec::new(ALERT, vec![1, 0]).bytes());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
}

/// test-tls13-empty-alert.py, test-tls13-zero-length-data.py, test-tls13-zero-content-type.py:
/// protected records whose content is an empty alert, zero-length application data before
/// the client Finished, or no content type at all (padding only) are unexpected_message, with
/// the handshake keys and (except application data) with the application keys.
#[test]
fn empty_and_typeless_records_are_unexpected_message() {
    let inners: [(&[u8], bool); 6] = [
        (&[ALERT], true),
        (&[ALERT, 0, 0, 0, 0, 0], true),
        (&[APP], false),
        (
            &[
                APP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0,
            ],
            false,
        ),
        (&[0], true),
        (&[0; 43], true),
    ];
    for (inner, also_after) in inners {
        let mut p = peers(cc13());
        let hello = p.client.take_output();
        flight(&mut p, &hello);
        let mut ck = sealer(&p.server_events, SUITE, "client_handshake_traffic");
        let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
        let r = p.server.feed(&ck.seal_inner(inner).bytes());
        expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
        if also_after {
            let mut p = peers(cc13());
            let hello = p.client.take_output();
            flight(&mut p, &hello);
            let (mut ck, mut sk) = establish(&mut p);
            let r = p.server.feed(&ck.seal_inner(inner).bytes());
            expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
        }
    }
    // zero-length application data after the handshake is fine (and padded too)
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let (mut ck, _) = establish(&mut p);
    let recs = [
        ck.seal_inner(&[APP]).bytes(),
        ck.seal(APP, b"GET /").bytes(),
        ck.seal_inner(&[APP, 0, 0, 0]).bytes(),
        ck.seal_inner(&[b" HTTP/1.0\r\n\r\n".as_slice(), &[APP], &[0; 30]].concat())
            .bytes(),
    ];
    p.to_server(&recs.concat());
    assert_eq!(received_app_data(&p), b"GET / HTTP/1.0\r\n\r\n");
}

/// test-tls13-keyupdate.py: KeyUpdate(update_requested) is answered with one
/// KeyUpdate(update_not_requested) each; an empty or 2-byte KeyUpdate is decode_error; a
/// request_update other than 0 or 1 is illegal_parameter.
#[test]
fn key_update() {
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let (mut ck, mut sk) = establish(&mut p);
    // each request gets its own answer, under the server's keys before that update; both
    // sides then move to the next application traffic secrets (RFC 8446 §4.6.3)
    for _ in 0..3 {
        let out = p.to_server(&ck.seal(HS, &[24, 0, 0, 1, 1]).bytes());
        assert_eq!(out.len(), 1);
        assert_eq!(sk.open13(&out[0]), (HS, vec![24, 0, 0, 1, 0]));
        ck = sealer(&p.server_events, SUITE, "client_application_traffic");
        sk = sealer(&p.server_events, SUITE, "server_application_traffic");
    }
    p.to_server(&ck.seal(APP, b"after the updates").bytes());
    assert_eq!(received_app_data(&p), b"after the updates");
    let cases: [(&[u8], Alert); 3] = [
        (&[24, 0, 0, 0], Alert::DecodeError),
        (&[24, 0, 0, 2, 0, 0], Alert::DecodeError),
        (&[24, 0, 0, 1, 2], Alert::IllegalParameter),
    ];
    for (msg, want) in cases {
        let mut p = peers(cc13());
        let hello = p.client.take_output();
        flight(&mut p, &hello);
        let (mut ck, mut sk) = establish(&mut p);
        let r = p.server.feed(&ck.seal(HS, msg).bytes());
        expect_sealed_at(&mut p, r, want, &mut sk);
    }
}

/// test-tls13-record-layer-limits.py: 2^14 bytes of application data are fine; 2^14 + 1, or
/// an inner plaintext over 2^14 + 1 because of padding, or a ciphertext over 2^14 + 256, are
/// record_overflow; so is a plaintext ClientHello record over 2^14 (RFC 8446 §5.1, §5.2).
#[test]
fn record_size_limits() {
    let mut p = peers(cc13());
    let hello = p.client.take_output();
    flight(&mut p, &hello);
    let (mut ck, _) = establish(&mut p);
    p.to_server(&ck.seal(APP, &vec![b'A'; 1 << 14]).bytes());
    assert_eq!(received_app_data(&p).len(), 1 << 14);

    type Rec13 = fn(&mut Sealer) -> Rec;
    let cases: [Rec13; 3] = [
        |ck| ck.seal(APP, &vec![b'A'; (1 << 14) + 1]),
        |ck| ck.seal_inner(&[vec![b'A'; (1 << 14) - 8], vec![APP], vec![0; 9]].concat()),
        |ck| {
            let mut r = ck.seal(APP, &vec![b'A'; (1 << 14) + 256 - 16]);
            let n = r.frag.len();
            r.frag[n - 1] ^= 1; // the size is checked before the tag
            r
        },
    ];
    for case in cases {
        let mut p = peers(cc13());
        let hello = p.client.take_output();
        flight(&mut p, &hello);
        let (mut ck, mut sk) = establish(&mut p);
        let r = p.server.feed(&case(&mut ck).bytes());
        expect_sealed_at(&mut p, r, Alert::RecordOverflow, &mut sk);
    }

    let mut p = peers(cc13());
    let _ = p.client.take_output();
    let r = p.server.feed(&[22, 3, 1, 0x40, 0x01]);
    expect_plain(&mut p.server, r, Alert::RecordOverflow);
}

/// test-tls13-symetric-ciphers.py: with each AEAD suite (AES-128-GCM, AES-256-GCM,
/// ChaCha20-Poly1305), any bit of the last 16 bytes (the tag) flipped in the client
/// Finished record or in the first application data record is bad_record_mac, sent under
/// the server's keys of that moment.
#[test]
fn fuzzed_tag_is_bad_record_mac_for_each_suite() {
    for suite in [0x1301u16, 0x1302, 0x1303] {
        let hash = suite_params_hash(suite);
        for pos in 1..=16usize {
            for (bit, on_finished) in [(0x01u8, true), (0x80, false)] {
                let mut cc = cc13();
                cc.suites = vec![CipherSuite(suite)];
                let mut p = peers(cc);
                let hello = p.client.take_output();
                p.to_server(&hello);
                let th = transcript_hash13(&p.server_events, hash);
                let base = secret(&p.server_events, "client_handshake_traffic_secret");
                let fin = raw_msg(20, &ks::finished_verify_data(hash, &base, &th));
                let mut ck = sealer(&p.server_events, suite, "client_handshake_traffic");
                let mut sk = sealer(&p.server_events, suite, "server_application_traffic");
                let mut rec = ck.seal(HS, &fin);
                if on_finished {
                    let n = rec.frag.len();
                    rec.frag[n - pos] ^= bit;
                    let r = p.server.feed(&rec.bytes());
                    expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);
                    continue;
                }
                p.to_server(&rec.bytes());
                assert!(p.server.is_established());
                let mut ca = sealer(&p.server_events, suite, "client_application_traffic");
                let mut sk = sealer(&p.server_events, suite, "server_application_traffic");
                sk.seq = 2; // past the two NewSessionTickets
                let mut rec = ca.seal(APP, b"GET / HTTP/1.0\r\n\r\n");
                let n = rec.frag.len();
                rec.frag[n - pos] ^= bit;
                let r = p.server.feed(&rec.bytes());
                expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);
            }
        }
    }
}

/// test-tls13-post-handshake-auth.py against a server without post-handshake
/// authentication (listen does not do it; tlsfuzzer's PHA probes need a server that does,
/// and fail against one that does not, as against `openssl s_server` without -verify): the
/// post_handshake_auth extension is accepted and ignored (RFC 8446 §4.2.6), no
/// CertificateRequest follows, and a client Certificate nobody asked for is
/// unexpected_message.
#[test]
fn post_handshake_auth_offer_is_ignored() {
    let mut p = peers(cc13());
    let hello = modified_hello(&mut p, |ch| {
        ch.extensions
            .push(Extension::new(ET::POST_HANDSHAKE_AUTH, ExtBody::Empty))
    });
    flight(&mut p, &hello);
    let (mut ck, mut sk) = establish(&mut p);
    let out = p.to_server(&ck.seal(APP, b"GET / HTTP/1.0\r\n\r\n").bytes());
    assert!(out.is_empty(), "no CertificateRequest");
    let r = p
        .server
        .feed(&ck.seal(HS, &[11, 0, 0, 4, 0, 0, 0, 0]).bytes());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
}
