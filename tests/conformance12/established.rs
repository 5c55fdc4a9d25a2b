//! After the handshake: tampered ciphertext, empty and oversized records, renegotiation
//! attempts, and nothing accepted or sent after a fatal alert.

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::{Alert, AlertLevel};
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::Connection;

use crate::common::scripted::{drain, expect_fatal, expect_sealed, parse};
use crate::common::scripted::{raw_msg, Rec, APP, HS};
use crate::hello::*;
use crate::script::*;

/// test-fuzzed-ciphertext, test-fuzzed-MAC, test-chacha20, test-aes-gcm-nonces: any bit
/// flipped in a protected record (explicit nonce, ciphertext or tag) is bad_record_mac, sent
/// protected (RFC 5246 §6.2.3.3).
#[test]
fn fuzzed_ciphertext_is_bad_record_mac() {
    for suite in [ECDHE_ECDSA_AES128GCM, ECDHE_ECDSA_CHACHA] {
        let len = established(suite)
            .seal(APP, b"GET / HTTP/1.0\r\n\r\n")
            .len()
            - 5;
        for pos in 1..=len {
            for bit in [0x01u8, 0x80] {
                let mut sc = established(suite);
                let mut rec = sc.seal(APP, b"GET / HTTP/1.0\r\n\r\n");
                let n = rec.len();
                rec[n - pos] ^= bit;
                let r = sc.s.feed(&rec);
                let mut sw = sc.sw.take().unwrap();
                expect_sealed(&mut sc.s, r, Alert::BadRecordMac, &mut sw);
            }
        }
    }
}

/// test-zero-length-data: empty application data records are accepted (RFC 5246 §6.2.1);
/// test-invalid-content-type after the handshake; test-lengths: a protected record over
/// 2^14 + 2048 is record_overflow (RFC 5246 §6.2.3).
#[test]
fn post_handshake_records() {
    let mut sc = established(ECDHE_ECDSA_AES128GCM);
    let empty = sc.seal(APP, &[]);
    sc.s.feed(&empty).unwrap();
    sc.conversation();

    for (bytes, want) in [
        (
            Rec::new(24, vec![1, 0, 3, 0, 0, 0]).bytes(),
            Alert::UnexpectedMessage,
        ),
        (
            Rec::new(0x30, vec![0; 40]).bytes(),
            Alert::UnexpectedMessage,
        ),
        (
            Rec::new(APP, vec![0; (1 << 14) + 2049]).bytes(),
            Alert::RecordOverflow,
        ),
    ] {
        let mut sc = established(ECDHE_ECDSA_AES128GCM);
        let r = sc.s.feed(&bytes);
        let mut sw = sc.sw.take().unwrap();
        expect_sealed(&mut sc.s, r, want, &mut sw);
    }
}

/// After a fatal alert the server sends nothing more and accepts nothing more (tlsfuzzer's
/// ExpectAlert + ExpectClose; listen then closes the socket).
#[test]
fn one_fatal_alert_then_nothing() {
    let mut s = Connection::server(ecdsa_server(), seeded_rng(3));
    let r = s.feed(&Rec::new(HS, raw_msg(20, &[0; 12])).bytes());
    let out = expect_fatal(&mut s, r, Alert::UnexpectedMessage);
    assert_eq!(out, vec![21, 3, 3, 0, 2, AlertLevel::Fatal.to_u8(), 10]);
}

/// test-renegotiation-disabled "try secure renegotiation with incomplete GET": a ClientHello
/// after the handshake gets a warning no_renegotiation (RFC 5746 §4.2, RFC 5246 §7.2.2) and
/// the connection goes on; test-hello-request-by-client: HelloRequest to the server is
/// unexpected_message.
#[test]
fn renegotiation_refused_with_a_warning_and_hello_request_is_unexpected() {
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&client_hello(
        0x0303,
        &[ECDHE_ECDSA_AES128GCM],
        Some(&[(RENEGO, vec![0]), sigs()]),
    ));
    sc.complete();
    let part = sc.seal(APP, b"GET / HTTP/1.0\r\n");
    sc.s.feed(&part).unwrap();
    let ch = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[(RENEGO, vec![0])]));
    let reneg = sc.seal(HS, &ch);
    sc.s.feed(&reneg).unwrap();
    let out = parse(&sc.s.take_output());
    assert_eq!(out.len(), 1);
    assert_eq!(
        sc.sw.as_mut().unwrap().open(&out[0]),
        vec![1, Alert::NoRenegotiation.to_u8()]
    );
    sc.conversation();

    hello_refused(&ecdsa_server(), raw_msg(0, &[]), Alert::UnexpectedMessage);
}

/// test-chacha20 (ECDHE + ChaCha20-Poly1305; the same limits hold for AES-GCM, as in
/// test-aes-gcm-nonces): an empty record then the request, and the request split 1/n-1, are
/// answered; 2^14 bytes of plaintext in one record are accepted; 2^14 + 1, 2^14 + 1024 and
/// 2^14 + 1025 bytes are record_overflow (RFC 5246 §6.2.1, §6.2.3: the limit applies to
/// the decrypted TLSCompressed.length too), and a ciphertext of 0 to 15 bytes (shorter
/// than the tag) is bad_record_mac (RFC 5246 §6.2.3.3), both sent protected.
#[test]
fn aead_record_lengths() {
    for suite in [ECDHE_ECDSA_CHACHA, ECDHE_ECDSA_AES128GCM] {
        // empty record, then 1/n-1 split request
        let mut sc = established(suite);
        for part in [&b""[..], b"G", b"ET / HTTP/1.0\r\n\r\n"] {
            let rec = sc.seal(APP, part);
            sc.s.feed(&rec).unwrap();
        }
        let got: Vec<u8> = drain(&mut sc.s)
            .into_iter()
            .filter_map(|e| match e {
                Event::AppData { dir: Dir::In, data } => Some(data),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(got, b"GET / HTTP/1.0\r\n\r\n");

        let mut sc = established(suite);
        let rec = sc.seal(APP, &vec![b'A'; 1 << 14]);
        sc.s.feed(&rec).unwrap();
        assert!(!sc.s.is_failed());

        for n in [(1 << 14) + 1, (1 << 14) + 1024, (1 << 14) + 1025] {
            let mut sc = established(suite);
            let rec = sc.seal(APP, &vec![b'A'; n]);
            let r = sc.s.feed(&rec);
            let mut sw = sc.sw.take().unwrap();
            expect_sealed(&mut sc.s, r, Alert::RecordOverflow, &mut sw);
        }
        for n in 0..16 {
            let mut sc = established(suite);
            let r = sc.s.feed(&Rec::new(APP, vec![0xa1; n]).bytes());
            let mut sw = sc.sw.take().unwrap();
            expect_sealed(&mut sc.s, r, Alert::BadRecordMac, &mut sw);
        }
    }
}
