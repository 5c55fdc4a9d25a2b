//! The client's second flight refused: bad ClientKeyExchange values, fuzzed Finished
//! messages, messages skipped, repeated or out of order, and unknown record types; warning
//! alerts before it, taken up to a bound.

use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::event::{Event, Info};
use tlsprobe::wire::codepoints::NamedGroup;

use crate::common::scripted::{drain, expect_plain, expect_sealed, join};
use crate::common::scripted::{raw_msg, Rec, ALERT, APP, CCS, HS};
use crate::hello::*;
use crate::script::*;

/// test-ecdhe-rsa-key-exchange-with-bad-messages and test-x25519: bad ecdh_Yc values in
/// ClientKeyExchange (sent with CCS and Finished in one write, like TCPBufferingEnable).
/// Invalid points and wrong sizes are illegal_parameter (RFC 8422 §5.10, RFC 8446 §4.2.8.2
/// via RFC 8422 §5.11), a truncated or padded message decode_error; an x25519 value with
/// the high bit set is accepted (RFC 7748 §5), so only the Finished fails: bad_record_mac.
#[test]
fn bad_client_key_exchange() {
    let p256 = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut pt = EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(4))
            .unwrap()
            .public_key();
        f(&mut pt);
        Script::cke_with(&pt)
    };
    type Make = Box<dyn Fn(&mut Script) -> Vec<u8>>;
    let rest = |cke: Vec<u8>| {
        join(&[
            Rec::new(HS, cke),
            Rec::new(CCS, vec![1]),
            Rec::new(HS, raw_msg(20, &[0; 12])),
        ])
    };
    let cases: Vec<(u16, Make, Alert)> = vec![
        (
            0x17,
            Box::new(move |_| {
                rest(p256(&|p| {
                    p[1..].fill(0);
                    p[64] = 1;
                }))
            }),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| rest(p256(&|p| p[1..].fill(0)))),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| rest(p256(&|p| p[33..].fill(0)))),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| rest(p256(&|p| p[64] ^= 0xff))),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| {
                let mut m = p256(&|_| {});
                m.pop();
                rest(raw_msg(16, &m[4..]))
            }),
            Alert::DecodeError,
        ),
        (
            0x17,
            Box::new(move |_| {
                let m = p256(&|_| {});
                rest(raw_msg(16, &[&m[4..], &[0]].concat()))
            }),
            Alert::DecodeError,
        ),
        (
            0x1d,
            Box::new(move |_| rest(Script::cke_with(&[55; 31]))),
            Alert::IllegalParameter,
        ),
        (
            0x1d,
            Box::new(move |_| rest(Script::cke_with(&[55; 33]))),
            Alert::IllegalParameter,
        ),
        (
            0x1d,
            Box::new(move |_| rest(raw_msg(16, &[0]))),
            Alert::DecodeError,
        ),
        (
            0x1d,
            Box::new(move |_| rest(Script::cke_with(&[0; 32]))),
            Alert::IllegalParameter,
        ),
    ];
    for (g, make, want) in cases {
        // (our ECDSA certificate's curve must be offered too, RFC 8422 §5.1)
        second_flight_refused(ECDHE_ECDSA_AES128GCM, &[g, 0x17], make, want);
    }
    // high bit set: the key exchange goes through with a secret we do not know
    second_flight_refused(
        ECDHE_ECDSA_AES128GCM,
        &[0x1d, 0x17],
        |sc| {
            let mut v = [55u8; 32];
            v[31] = 0x80;
            let cke = Script::cke_with(&v);
            sc.derive(&cke, &[0x11; 32]);
            let fin = sc.finished(b"client finished");
            let sealed = sc.cw.as_mut().unwrap().seal(HS, &fin);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        },
        Alert::BadRecordMac,
    );
}

/// test-fuzzed-finished (XOR of verify_data bytes: decrypt_error) and truncated or padded
/// Finished messages (decode_error, RFC 5246 §7.4.9: verify_data is 12 bytes).
#[test]
fn fuzzed_finished() {
    type Tamper = fn(&mut Vec<u8>);
    type Case = (Box<dyn Fn(&mut Vec<u8>)>, Alert);
    let mut cases: Vec<Case> = vec![];
    for pos in [1usize, 2, 6, 12] {
        for val in [0x01u8, 0xff] {
            cases.push((
                Box::new(move |m: &mut Vec<u8>| {
                    let n = m.len();
                    m[n - pos] ^= val
                }),
                Alert::DecryptError,
            ));
        }
    }
    let truncate: Tamper = |m| *m = raw_msg(20, &m[4..15]);
    let pad: Tamper = |m| *m = raw_msg(20, &[&m[4..], &[0][..]].concat());
    cases.push((Box::new(truncate), Alert::DecodeError));
    cases.push((Box::new(pad), Alert::DecodeError));
    for (tamper, want) in cases {
        second_flight_refused(
            ECDHE_ECDSA_AES128GCM,
            &[0x17],
            |sc| sc.flight2(|m| tamper(m)),
            want,
        );
    }
}

/// test-message-skipping, test-message-duplication, test-interleaved-CKE-with-CCS, test-ccs:
/// messages out of order, twice, a CCS splitting the ClientKeyExchange, and a two-byte CCS
/// are all unexpected_message (RFC 5246 §7.1, §7.4).
#[test]
fn out_of_order_second_flights() {
    type Make = fn(&mut Script) -> Vec<u8>;
    let cases: Vec<Make> = vec![
        // Finished without ChangeCipherSpec
        |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke), Rec::new(HS, raw_msg(20, &[0; 12]))])
        },
        // ChangeCipherSpec before ClientKeyExchange
        |sc| join(&[Rec::new(CCS, vec![1]), Rec::new(HS, sc.cke())]),
        // Finished before ClientKeyExchange
        |_| Rec::new(HS, raw_msg(20, &[0; 12])).bytes(),
        // ClientKeyExchange twice
        |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke.clone()), Rec::new(HS, cke)])
        },
        // ClientHello again
        |_| Rec::new(HS, client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], None)).bytes(),
        // CCS inside the ClientKeyExchange
        |sc| {
            let cke = sc.cke();
            join(&[
                Rec::new(HS, cke[..10].to_vec()),
                Rec::new(CCS, vec![1]),
                Rec::new(HS, cke[10..].to_vec()),
            ])
        },
        // two-byte CCS
        |sc| join(&[Rec::new(HS, sc.cke()), Rec::new(CCS, vec![1, 1])]),
        // ServerHelloDone from the client
        |_| Rec::new(HS, raw_msg(14, &[])).bytes(),
        // application data before Finished
        |sc| join(&[Rec::new(HS, sc.cke()), Rec::new(APP, b"GET /".to_vec())]),
    ];
    for make in cases {
        second_flight_refused(
            ECDHE_ECDSA_AES128GCM,
            &[0x17],
            make,
            Alert::UnexpectedMessage,
        );
    }
}

/// test-message-duplication: a second ClientHello after the ClientKeyExchange, or (sealed)
/// after the ChangeCipherSpec; a second ClientKeyExchange after the ChangeCipherSpec
/// (sealed); a second ChangeCipherSpec before the Finished: all unexpected_message, in the
/// clear (the server has not switched keys). After the handshake, a ClientKeyExchange or a
/// ChangeCipherSpec is unexpected_message too, sent protected (RFC 5246 §7.1, §7.4).
#[test]
fn duplicated_messages() {
    let e = ECDHE_ECDSA_AES128GCM;
    let ch = client_hello(0x0303, &[e], Some(&[sigs()]));
    type Make = Box<dyn Fn(&mut Script) -> Vec<u8>>;
    let ch2 = ch.clone();
    let ch3 = ch.clone();
    let cases: Vec<Make> = vec![
        Box::new(move |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke), Rec::new(HS, ch2.clone())])
        }),
        Box::new(move |sc| {
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(HS, &ch3);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        }),
        Box::new(|sc| {
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(HS, &cke);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        }),
        Box::new(|sc| {
            // (after the first CCS the client's records are protected: tlsfuzzer seals
            // the second one too)
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(CCS, &[1]);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        }),
    ];
    for make in cases {
        let mut sc = Script::new(ecdsa_server());
        sc.hello(&ch);
        let bytes = make(&mut sc);
        let r = sc.s.feed(&bytes);
        expect_plain(&mut sc.s, r, Alert::UnexpectedMessage);
    }
    for after in [0, 1] {
        let mut sc = established(e);
        let bytes = if after == 0 {
            let cke = Script::cke_with(&valid_p256_point());
            sc.seal(HS, &cke)
        } else {
            sc.seal(CCS, &[1])
        };
        let r = sc.s.feed(&bytes);
        let mut sw = sc.sw.take().unwrap();
        expect_sealed(&mut sc.s, r, Alert::UnexpectedMessage, &mut sw);
    }
}

/// test-invalid-content-type "before Client Key Exchange", "before Change Cipher Spec",
/// "before Finished": a record of the unnegotiated heartbeat type (24) after the server's
/// flight, after the ClientKeyExchange, or (protected) after the ChangeCipherSpec is
/// unexpected_message (RFC 5246 §6: unknown record types), in the clear since the server
/// has not switched its keys.
#[test]
fn unknown_content_type_during_the_second_flight() {
    type Make = fn(&mut Script) -> Vec<u8>;
    let cases: [Make; 3] = [
        |_| Rec::new(24, b"hello server!\n".to_vec()).bytes(),
        |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke), Rec::new(24, b"hello server!\n".to_vec())])
        },
        |sc| {
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(24, b"hello server!\n");
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        },
    ];
    for make in cases {
        second_flight_refused(
            ECDHE_ECDSA_AES128GCM,
            &[0x17],
            make,
            Alert::UnexpectedMessage,
        );
    }
}

/// test-ssl-death-alert (CVE-2016-8610, "SSL Death Alert"): warning alerts right after the
/// ClientHello. RFC 5246 §7.2: after a warning "generally the connection can continue
/// normally", so four warning unsupported_certificate alerts are each shown and the
/// handshake completes ("SSL Death Alert without getting alert"); a fifth in a row, with no
/// handshake message between, is a flood and gets a fatal unexpected_message, not a silent
/// close ("... with getting alert"). A handshake message starts the count again.
#[test]
fn ssl_death_alert() {
    let warnings = |n: usize| join(&vec![Rec::new(ALERT, vec![1, 43]); n]);
    let ch = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[sigs()]));
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&ch);
    sc.s.feed(&warnings(4)).unwrap();
    assert!(!sc.s.has_output(), "warnings are not answered");
    let taken: Vec<u8> = drain(&mut sc.s)
        .into_iter()
        .filter_map(|e| match e {
            Event::Info(Info::WarningAlert { alert, in_a_row }) => {
                assert_eq!(alert, Alert::UnsupportedCertificate);
                Some(in_a_row)
            }
            _ => None,
        })
        .collect();
    assert_eq!(taken, vec![1, 2, 3, 4]);
    sc.complete();
    sc.conversation();

    let mut sc = Script::new(ecdsa_server());
    sc.hello(&ch);
    let r = sc.s.feed(&warnings(5));
    expect_plain(&mut sc.s, r, Alert::UnexpectedMessage);

    // four, the ClientKeyExchange, four more: still fine
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&ch);
    let cke = sc.cke();
    let fin = sc.finished(b"client finished");
    sc.transcript.extend_from_slice(&fin);
    let sealed = sc.cw.as_mut().unwrap().seal(HS, &fin);
    let bytes = [
        warnings(4),
        Rec::new(HS, cke).bytes(),
        warnings(4),
        join(&[Rec::new(CCS, vec![1]), sealed]),
    ]
    .concat();
    sc.s.feed(&bytes).unwrap();
    sc.expect_server_finished();
}
