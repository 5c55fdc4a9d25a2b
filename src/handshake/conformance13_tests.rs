//! TLS 1.3 server conformance, mirroring tlsfuzzer's `scripts/test-tls13-*.py`.
//!
//! tlsfuzzer drives a server with scripted clients and checks the exact alert (level and
//! description) before the connection closes. Each test here replays what one of its scripts
//! sends, against the in-memory server, with the scripted-peer helpers of `hostile_tests`: a
//! real client's ClientHello, modified where the script modifies it; a scripted client second
//! flight computed from the server's own transcript and revealed secrets (so a modified
//! ClientHello can still complete); records sealed by hand. The script each test follows is
//! named in its doc comment. Closing the TCP connection after the alert is checked end to end
//! in `tests/conformance_listen13.rs`.

use super::hostile_tests::{
    cc13, expect_fatal, expect_plain, join, modified_hello, open_flight13, parse, peers,
    peers_with, raw_msg, seal_flight13, sealer, secret, set_ext, with_groups, Peers, Rec, Sealer,
    ALERT, APP, CCS, HS,
};
use crate::crypto::hash::HashAlg;
use crate::crypto::key_schedule as ks;
use crate::crypto::kx::EphemeralKey;
use crate::crypto::rng::seeded_rng;
use crate::error::{Alert, AlertLevel};
use crate::event::{Dir, Event};
use crate::wire::codepoints::{ExtensionType as ET, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::ClientHello;
use crate::wire::suites::CipherSuite;

const SUITE: u16 = 0x1301;

/// The server's flight for `hello` (ServerHello .. Finished); the server must accept it.
fn flight(p: &mut Peers, hello: &[u8]) -> Vec<Rec> {
    let recs = p.deliver_to_server(hello);
    assert!(!p.s.is_failed());
    let types: Vec<u8> = recs.iter().map(|r| r.ct).collect();
    assert_eq!(
        &types[..2],
        &[HS, CCS],
        "ServerHello, CCS, then protected records"
    );
    recs
}

/// A scripted client Finished over the server's transcript, `f` applied to the
/// handshake message (header included) before sealing with the client handshake keys.
fn client_finished(p: &Peers, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut ck = sealer(&p.sev, SUITE, "client_handshake_traffic");
    client_finished_with(p, &mut ck, f)
}

/// `client_finished` sealed with `ck` (the client handshake keys at their current sequence
/// number, after a client Certificate and CertificateVerify).
fn client_finished_with(p: &Peers, ck: &mut Sealer, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let th = p.s.common.transcript.hash(HashAlg::Sha256);
    let base = secret(&p.sev, "client_handshake_traffic_secret");
    let mut msg = raw_msg(20, &ks::finished_verify_data(HashAlg::Sha256, &base, &th));
    f(&mut msg);
    // Messages over 2^14 go out in several records, as a real client would send them.
    msg.chunks(1 << 14)
        .flat_map(|c| ck.seal(HS, c).bytes())
        .collect()
}

/// Completes the handshake with a scripted Finished; returns the client's application
/// sealer and the server's (advanced past the NewSessionTickets it sent).
fn establish(p: &mut Peers) -> (Sealer, Sealer) {
    let fin = client_finished(p, |_| {});
    let out = p.deliver_to_server(&fin);
    assert!(p.s.is_established());
    let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
    for r in &out {
        let (t, d) = sk.open13(r);
        assert_eq!(
            (t, d[0]),
            (HS, 4),
            "only NewSessionTicket after the client Finished"
        );
    }
    (sealer(&p.sev, SUITE, "client_application_traffic"), sk)
}

/// `r` must be our fatal `want`, sent protected by `keys` (at their current sequence number).
fn expect_sealed_at(
    p: &mut Peers,
    r: Result<(), crate::error::TlsError>,
    want: Alert,
    keys: &mut Sealer,
) {
    let out = expect_fatal(&mut p.s, r, want);
    let recs = parse(&out);
    let last = recs.last().expect("an alert record");
    assert_eq!(last.ct, APP);
    assert_eq!(keys.open13(last), (ALERT, vec![2, want.to_u8()]));
}

fn received_app_data(p: &Peers) -> Vec<u8> {
    p.sev
        .iter()
        .filter_map(|e| match e {
            Event::AppData { dir: Dir::In, data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn early_data_ext() -> Extension {
    Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(None))
}

/// test-tls13-legacy-version.py: a ClientHello with legacy_version 0x0300 or below is refused
/// with protocol_version even though supported_versions offers TLS 1.3 (RFC 8446 D.5).
#[test]
fn legacy_version_ssl3_or_older_is_protocol_version() {
    for v in [
        0x0300, 0x0000, 0x0200, 0x0002, 0x0100, 0x0103, 0x0102, 0x0001,
    ] {
        let mut p = peers(cc13());
        let bytes = modified_hello(&mut p, |ch| ch.version = ProtocolVersion(v));
        let r = p.s.feed(&bytes);
        expect_plain(&mut p.s, r, Alert::ProtocolVersion);
    }
}

/// test-tls13-version-negotiation.py: any record-layer version 3.0-3.3 on the ClientHello is
/// fine; supported_versions with nothing we know is protocol_version.
#[test]
fn version_negotiation() {
    for rv in [0x0300u16, 0x0301, 0x0302, 0x0303] {
        let mut p = peers(cc13());
        let mut recs = parse(&p.c.take_output());
        recs[0].ver = rv;
        flight(&mut p, &join(&recs));
    }
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        set_ext(
            &mut ch.extensions,
            ET::SUPPORTED_VERSIONS,
            ExtBody::SupportedVersionsClient(vec![ProtocolVersion(0x0309)]),
        )
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::ProtocolVersion);
}

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
        let hello = p.c.take_output();
        flight(&mut p, &hello);
        let fin = client_finished(&p, |m| {
            edit(m);
            // keep the handshake header's length right: only the body is malformed
            let l = (m.len() as u32 - 4).to_be_bytes();
            m[1..4].copy_from_slice(&l[1..]);
        });
        let r = p.s.feed(&fin);
        assert_eq!(r.as_ref().unwrap_err().alert, want, "{name}");
        let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
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
    let hello = [p.c.take_output(), ccs.clone()].concat();
    flight(&mut p, &hello);
    establish(&mut p);

    // CH, CCS, ..., CCS, Finished: the second CCS is refused
    let mut p = peers(cc13());
    let hello = [p.c.take_output(), ccs.clone()].concat();
    flight(&mut p, &hello);
    let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
    let r =
        p.s.feed(&[ccs.clone(), client_finished(&p, |_| {})].concat());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);

    // CH and two CCS in one packet: the server's flight, then the alert
    let mut p = peers(cc13());
    let bytes = [p.c.take_output(), ccs.clone(), ccs.clone()].concat();
    let r = p.s.feed(&bytes);
    p.sev.extend(super::hostile_tests::drain(&mut p.s));
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage, "{e}");
    assert!(p.sev.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::Out,
            level: AlertLevel::Fatal,
            description: Alert::UnexpectedMessage
        }
    )));
    let out = parse(&p.s.take_output());
    let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
    assert_eq!(
        sk.open13(out.last().unwrap()),
        (ALERT, vec![2, Alert::UnexpectedMessage.to_u8()])
    );

    // a CCS record of two 0x01 bytes
    let mut p = peers(cc13());
    let bytes = [p.c.take_output(), Rec::new(CCS, vec![1, 1]).bytes()].concat();
    let r = p.s.feed(&bytes);
    assert_eq!(r.unwrap_err().alert, Alert::UnexpectedMessage);
}

/// test-tls13-ccs.py: a ChangeCipherSpec after the client Finished is unexpected_message.
#[test]
fn change_cipher_spec_after_finished_is_unexpected_message() {
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let (_, mut sk) = establish(&mut p);
    let r = p.s.feed(&Rec::new(CCS, vec![1]).bytes());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
}

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
        p.deliver_to_server(&ck.seal(APP, b"GET / HTTP/1.0\r\n\r\n").bytes());
        assert_eq!(received_app_data(&p), b"GET / HTTP/1.0\r\n\r\n");
    }

    // Without early_data in the ClientHello, the same record is an error (bad_record_mac:
    // it does not deprotect with the handshake keys).
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
    let r = p.s.feed(&garbage(64));
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
    let mut ck = sealer(&p.sev, SUITE, "client_handshake_traffic");
    let msg = ck.open13(&first[0]).1;
    ck.seq = 0;
    let part = ck.seal(HS, &msg[..16]).bytes();
    let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
    let r =
        p.s.feed(&[part, Rec::new(APP, vec![9; 64]).bytes()].concat());
    expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);

    let mut p = peers(cc13());
    let hello = modified_hello(&mut p, |ch| ch.extensions.push(early_data_ext()));
    let flood: Vec<u8> = (0..5)
        .flat_map(|_| Rec::new(APP, vec![7; 1 << 14]).bytes())
        .collect();
    let r = p.s.feed(&[hello, flood].concat());
    let mut sk = sealer(
        &super::hostile_tests::drain(&mut p.s),
        SUITE,
        "server_application_traffic",
    );
    // the events were drained above; check the alert bytes directly
    let e = r.unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage, "{e}");
    let out = parse(&p.s.take_output());
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
    let out = p.deliver_to_server(&[hello, Rec::new(APP, vec![3; 1 << 14]).bytes()].concat());
    assert_eq!(
        out.iter().map(|r| r.ct).collect::<Vec<_>>(),
        vec![HS, CCS],
        "HelloRetryRequest and CCS"
    );
    // more early data after the HRR is still skipped
    p.deliver_to_server(&Rec::new(APP, vec![3; 100]).bytes());
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
    let r = p.s.feed(
        &Rec::new(
            HS,
            crate::wire::handshake::HandshakeMessage::ClientHello(ch2).encode(),
        )
        .bytes(),
    );
    // after a HelloRetryRequest the server has no keys yet: the alert goes out unprotected
    expect_plain(&mut p.s, r, Alert::IllegalParameter);
}

/// test-tls13-unencrypted-alert.py: a fatal alert from the client during the handshake,
/// unprotected or protected, closes the connection without an alert of ours; once the
/// handshake is over an unprotected alert is unexpected_message (RFC 8446 §5).
#[test]
fn client_alerts_during_the_handshake() {
    let plain = Rec::new(ALERT, vec![2, Alert::UnknownCa.to_u8()]).bytes();
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let e = p.s.feed(&plain).unwrap_err();
    assert!(e.received && e.alert == Alert::UnknownCa, "{e}");
    assert!(p.s.is_failed() && !p.s.has_output(), "no alert of ours");

    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let mut ck = sealer(&p.sev, SUITE, "client_handshake_traffic");
    let e =
        p.s.feed(&ck.seal(ALERT, &[2, Alert::UnknownCa.to_u8()]).bytes())
            .unwrap_err();
    assert!(e.received && e.alert == Alert::UnknownCa, "{e}");
    assert!(!p.s.has_output());

    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let (_, mut sk) = establish(&mut p);
    let r = p.s.feed(&Rec::new(ALERT, vec![1, 0]).bytes());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
}

/// test-tls13-obsolete-curves.py: a TLS 1.3 ClientHello offering an obsolete group
/// (RFC 8446 §4.2.7 obsolete_RESERVED) in supported_groups or key_share is illegal_parameter,
/// even next to secp256r1.
#[test]
fn obsolete_groups_are_illegal_parameter() {
    let p256 = NamedGroup::SECP256R1;
    for old in [0x0001u16, 0x0013, 0x0016, 0x001a, 0x001c, 0xff01, 0xff02] {
        let old = NamedGroup(old);
        let bogus = vec![0xab; 32];
        type Case =
            fn(NamedGroup, Vec<u8>, Vec<u8>) -> (Vec<NamedGroup>, Vec<(NamedGroup, Vec<u8>)>);
        let cases: [Case; 5] = [
            |o, b, _| (vec![o], vec![(o, b)]),
            |o, _, _| (vec![o], vec![]),
            |o, _, s| {
                (
                    vec![o, NamedGroup::SECP256R1],
                    vec![(NamedGroup::SECP256R1, s)],
                )
            },
            |o, b, s| {
                (
                    vec![o, NamedGroup::SECP256R1],
                    vec![(o, b), (NamedGroup::SECP256R1, s)],
                )
            },
            |o, b, s| {
                (
                    vec![NamedGroup::SECP256R1, o],
                    vec![(NamedGroup::SECP256R1, s), (o, b)],
                )
            },
        ];
        for case in cases {
            let mut p = peers(with_groups(cc13(), &[p256]));
            let bytes = modified_hello(&mut p, |ch| {
                let share = match crate::wire::extensions::find(&ch.extensions, ET::KEY_SHARE) {
                    Some(Extension {
                        body: ExtBody::KeyShareClient(s),
                        ..
                    }) => s[0].1.clone(),
                    _ => unreachable!("the client sends a P-256 share"),
                };
                let (groups, shares) = case(old, bogus.clone(), share);
                set_ext(
                    &mut ch.extensions,
                    ET::SUPPORTED_GROUPS,
                    ExtBody::SupportedGroups(groups),
                );
                set_ext(
                    &mut ch.extensions,
                    ET::KEY_SHARE,
                    ExtBody::KeyShareClient(shares),
                );
            });
            let r = p.s.feed(&bytes);
            expect_plain(&mut p.s, r, Alert::IllegalParameter);
        }
    }
}

/// test-tls13-crfg-curves.py: an x25519 key share that is empty, too short, too long, all
/// zero or of low order ("1") is illegal_parameter (RFC 8446 §4.2.8.2, §7.4.2).
#[test]
fn bad_x25519_shares_are_illegal_parameter() {
    let mut one = vec![0; 32];
    one[0] = 1;
    for share in [vec![], vec![55; 31], vec![55; 33], vec![0; 32], one] {
        let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
        let bytes = modified_hello(&mut p, |ch| {
            set_ext(
                &mut ch.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(NamedGroup::X25519, share.clone())]),
            )
        });
        let r = p.s.feed(&bytes);
        expect_plain(&mut p.s, r, Alert::IllegalParameter);
    }
}

/// Unprotected alerts the server sends for ClientHello problems, one script each:
/// test-tls13-keyshare-omitted.py, test-tls13-signature-algorithms.py,
/// test-tls13-invalid-ciphers.py / test-tls13-nociphers.py, test-tls13-unrecognised-groups.py.
#[test]
fn client_hello_refusals() {
    fn raw(typ: ET, data: &[u8]) -> impl FnOnce(&mut ClientHello) + '_ {
        move |ch: &mut ClientHello| {
            let e = ch.extensions.iter_mut().find(|e| e.typ == typ).unwrap();
            e.data = data.to_vec();
        }
    }
    type Edit = Box<dyn FnOnce(&mut ClientHello)>;
    let mut cases: Vec<(&str, Edit, Alert)> = vec![
        (
            "key_share omitted",
            Box::new(|ch: &mut ClientHello| ch.extensions.retain(|e| e.typ != ET::KEY_SHARE)),
            Alert::MissingExtension,
        ),
        (
            "empty key_share extension",
            Box::new(raw(ET::KEY_SHARE, &[])),
            Alert::DecodeError,
        ),
        (
            "empty list of signature methods",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 0])),
            Alert::DecodeError,
        ),
        (
            "padded sigalgs",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 4, 8, 4, 8, 9, 4, 3])),
            Alert::DecodeError,
        ),
        (
            "one byte array",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 1, 2])),
            Alert::DecodeError,
        ),
        (
            "three byte array",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 5, 8, 4, 8, 9, 2])),
            Alert::DecodeError,
        ),
        (
            "only undefined sigalgs",
            Box::new(raw(
                ET::SIGNATURE_ALGORITHMS,
                &[0, 6, 4, 24, 24, 1, 0xff, 0xff],
            )),
            Alert::HandshakeFailure,
        ),
        (
            "only legacy PKCS#1 v1.5 sigalgs",
            Box::new(|ch: &mut ClientHello| {
                set_ext(
                    &mut ch.extensions,
                    ET::SIGNATURE_ALGORITHMS,
                    ExtBody::SignatureAlgorithms(vec![
                        SignatureScheme::RSA_PKCS1_SHA1,
                        SignatureScheme::RSA_PKCS1_SHA256,
                        SignatureScheme::RSA_PKCS1_SHA512,
                    ]),
                )
            }),
            Alert::HandshakeFailure,
        ),
        (
            "only TLS 1.2 and unassigned cipher suites",
            Box::new(|ch: &mut ClientHello| {
                ch.cipher_suites = vec![
                    CipherSuite(0xc02b),
                    CipherSuite(0x1306),
                    CipherSuite(0x00ff),
                ]
            }),
            Alert::HandshakeFailure,
        ),
        (
            "only unknown groups",
            Box::new(|ch: &mut ClientHello| {
                let g: Vec<NamedGroup> = (34..40).map(NamedGroup).collect();
                let shares = g.iter().map(|g| (*g, vec![0xab; 64])).collect();
                set_ext(
                    &mut ch.extensions,
                    ET::SUPPORTED_GROUPS,
                    ExtBody::SupportedGroups(g),
                );
                set_ext(
                    &mut ch.extensions,
                    ET::KEY_SHARE,
                    ExtBody::KeyShareClient(shares),
                );
            }),
            Alert::HandshakeFailure,
        ),
    ];
    for (name, edit, want) in cases.drain(..) {
        // the test server has an ECDSA P-256 key
        let mut p = peers(cc13());
        let bytes = modified_hello(&mut p, edit);
        let r = p.s.feed(&bytes);
        assert_eq!(r.as_ref().unwrap_err().alert, want, "{name}");
        expect_plain(&mut p.s, r, want);
    }
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
        let hello = p.c.take_output();
        flight(&mut p, &hello);
        let mut ck = sealer(&p.sev, SUITE, "client_handshake_traffic");
        let mut sk = sealer(&p.sev, SUITE, "server_application_traffic");
        let r = p.s.feed(&ck.seal_inner(inner).bytes());
        expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
        if also_after {
            let mut p = peers(cc13());
            let hello = p.c.take_output();
            flight(&mut p, &hello);
            let (mut ck, mut sk) = establish(&mut p);
            let r = p.s.feed(&ck.seal_inner(inner).bytes());
            expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
        }
    }
    // zero-length application data after the handshake is fine (and padded too)
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let (mut ck, _) = establish(&mut p);
    let recs = [
        ck.seal_inner(&[APP]).bytes(),
        ck.seal(APP, b"GET /").bytes(),
        ck.seal_inner(&[APP, 0, 0, 0]).bytes(),
        ck.seal_inner(&[b" HTTP/1.0\r\n\r\n".as_slice(), &[APP], &[0; 30]].concat())
            .bytes(),
    ];
    p.deliver_to_server(&recs.concat());
    assert_eq!(received_app_data(&p), b"GET / HTTP/1.0\r\n\r\n");
}

/// test-tls13-keyupdate.py: KeyUpdate(update_requested) is answered with one
/// KeyUpdate(update_not_requested) each; an empty or 2-byte KeyUpdate is decode_error; a
/// request_update other than 0 or 1 is illegal_parameter.
#[test]
fn key_update() {
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let (mut ck, mut sk) = establish(&mut p);
    // each request gets its own answer, under the server's keys before that update; both
    // sides then move to the next application traffic secrets (RFC 8446 §4.6.3)
    for _ in 0..3 {
        let out = p.deliver_to_server(&ck.seal(HS, &[24, 0, 0, 1, 1]).bytes());
        assert_eq!(out.len(), 1);
        assert_eq!(sk.open13(&out[0]), (HS, vec![24, 0, 0, 1, 0]));
        ck = sealer(&p.sev, SUITE, "client_application_traffic");
        sk = sealer(&p.sev, SUITE, "server_application_traffic");
    }
    p.deliver_to_server(&ck.seal(APP, b"after the updates").bytes());
    assert_eq!(received_app_data(&p), b"after the updates");
    let cases: [(&[u8], Alert); 3] = [
        (&[24, 0, 0, 0], Alert::DecodeError),
        (&[24, 0, 0, 2, 0, 0], Alert::DecodeError),
        (&[24, 0, 0, 1, 2], Alert::IllegalParameter),
    ];
    for (msg, want) in cases {
        let mut p = peers(cc13());
        let hello = p.c.take_output();
        flight(&mut p, &hello);
        let (mut ck, mut sk) = establish(&mut p);
        let r = p.s.feed(&ck.seal(HS, msg).bytes());
        expect_sealed_at(&mut p, r, want, &mut sk);
    }
}

/// test-tls13-record-layer-limits.py: 2^14 bytes of application data are fine; 2^14 + 1, or
/// an inner plaintext over 2^14 + 1 because of padding, or a ciphertext over 2^14 + 256, are
/// record_overflow; so is a plaintext ClientHello record over 2^14 (RFC 8446 §5.1, §5.2).
#[test]
fn record_size_limits() {
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let (mut ck, _) = establish(&mut p);
    p.deliver_to_server(&ck.seal(APP, &vec![b'A'; 1 << 14]).bytes());
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
        let hello = p.c.take_output();
        flight(&mut p, &hello);
        let (mut ck, mut sk) = establish(&mut p);
        let r = p.s.feed(&case(&mut ck).bytes());
        expect_sealed_at(&mut p, r, Alert::RecordOverflow, &mut sk);
    }

    let mut p = peers(cc13());
    let _ = p.c.take_output();
    let r = p.s.feed(&[22, 3, 1, 0x40, 0x01]);
    expect_plain(&mut p.s, r, Alert::RecordOverflow);
}

/// test-tls13-conversation.py / test-tls13-hrr.py / test-tls13-count-tickets.py: the happy
/// path — the flight, the client Finished and request, the tickets (config.tickets of them),
/// the answer; and a HelloRetryRequest with exactly key_share and supported_versions.
#[test]
fn conversation_and_hello_retry_request() {
    let mut p = peers(cc13());
    let hello = p.c.take_output();
    flight(&mut p, &hello);
    let fin = client_finished(&p, |_| {});
    let out = p.deliver_to_server(&fin);
    assert_eq!(out.len(), 2, "two NewSessionTickets by default");

    let cc = with_groups(cc13(), &[NamedGroup::X25519, NamedGroup::SECP384R1]);
    let mut p = peers_with(cc, |sc| sc.groups = vec![NamedGroup::SECP384R1]);
    let out = p.first_flight();
    assert_eq!(out.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![HS, CCS]);
    let hrr = super::hostile_tests::server_hello(&out[0]);
    let mut types: Vec<ET> = hrr.extensions.iter().map(|e| e.typ).collect();
    types.sort_by_key(|t| t.0);
    assert_eq!(types, vec![ET::SUPPORTED_VERSIONS, ET::KEY_SHARE]);
    let ch2 = p.deliver_to_client(&join(&out));
    let r = p.s.feed(&join(&ch2));
    assert!(r.is_ok(), "{r:?}");
    p.complete();
}

// ================================================================== second round

/// A ClientHello message in records of at most 2^14 bytes, as tlsfuzzer sends large ones.
fn hello_records(ch: ClientHello) -> Vec<u8> {
    crate::wire::handshake::HandshakeMessage::ClientHello(ch)
        .encode()
        .chunks(1 << 14)
        .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
        .collect()
}

/// A small deterministic generator for "random" extension payloads.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The extension ids test-tls13-large-number-of-extensions.py treats as unassigned (or not
/// for TLS 1.3): 2-4, 6-9, 11, 12, 17, 22-27, 29-40, 46, 52-65535.
fn tlsfuzzer_unassigned_ids() -> Vec<u16> {
    let mut ids: Vec<u16> = vec![];
    ids.extend(2..5);
    ids.extend(6..10);
    ids.extend([11, 12, 17]);
    ids.extend(22..28);
    ids.extend(29..41);
    ids.push(46);
    ids.extend(52..=65535);
    ids
}

/// test-tls13-large-number-of-extensions.py: thousands of extensions the server does not use
/// — unassigned ids, and TLS 1.2-only ones such as ec_point_formats (11),
/// encrypt_then_mac (22) and extended_master_secret (23) — empty or with random bodies of up
/// to 64 bytes, in ClientHellos over several records: the server ignores them all (RFC 8446
/// §4.2: "servers MUST ignore unrecognized extensions"), answers a ServerHello with only
/// key_share and supported_versions and an empty EncryptedExtensions, and the handshake
/// completes.
#[test]
fn many_unused_extensions_are_ignored() {
    let ids = tlsfuzzer_unassigned_ids();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    for (chunk, random) in ids
        .chunks(4096)
        .map(|c| (c, false))
        .chain(ids.chunks(1024).step_by(7).map(|c| (c, true)))
    {
        let mut p = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
        let mut ch = client_hello_of(&mut p);
        let mut exts: Vec<Extension> = chunk
            .iter()
            .map(|&id| {
                let data = if id == ET::RENEGOTIATION_INFO.0 {
                    vec![0]
                } else if random {
                    let n = (xorshift(&mut rng) % 65) as usize;
                    (0..n).map(|_| xorshift(&mut rng) as u8).collect()
                } else {
                    vec![]
                };
                let ctx = crate::wire::extensions::ExtContext::ClientHello;
                Extension {
                    typ: ET(id),
                    body: crate::wire::extensions::decode_body(ET(id), &data, ctx)
                        .unwrap_or(ExtBody::Unknown),
                    data,
                }
            })
            .collect();
        ch.extensions
            .retain(|e| !exts.iter().any(|x| x.typ == e.typ) && e.typ != ET::PRE_SHARED_KEY);
        exts.append(&mut ch.extensions);
        ch.extensions = exts;
        let out = p.deliver_to_server(&hello_records(ch));
        assert!(
            !p.s.is_failed(),
            "ids {}..={}",
            chunk[0],
            chunk[chunk.len() - 1]
        );
        let sh = super::hostile_tests::server_hello(&out[0]);
        let mut types: Vec<ET> = sh.extensions.iter().map(|e| e.typ).collect();
        types.sort_by_key(|t| t.0);
        assert_eq!(types, vec![ET::SUPPORTED_VERSIONS, ET::KEY_SHARE]);
        let mut keys = sealer(&p.sev, SUITE, "server_handshake_traffic");
        let items = super::hostile_tests::open_flight13(&out, &mut keys);
        assert_eq!(
            items[2].1,
            vec![8, 0, 0, 2, 0, 0],
            "empty EncryptedExtensions"
        );
        establish(&mut p);
    }
}

/// The client's first ClientHello, decoded (for scripts that rebuild it).
fn client_hello_of(p: &mut Peers) -> ClientHello {
    super::hostile_tests::client_hello(&p.c.take_output())
}

/// test-tls13-shuffled-extentions.py: a first ClientHello with an empty key_share list gets
/// a HelloRetryRequest (key_share and supported_versions only); a second ClientHello with
/// its extensions in reverse order — with or without thousands of unassigned ones — is
/// illegal_parameter (RFC 8446 §4.1.2: the same ClientHello but for the listed changes),
/// while the same order is accepted.
#[test]
fn second_hello_with_reordered_extensions_is_illegal_parameter() {
    let p256_share = || {
        EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(5))
            .unwrap()
            .public_key()
    };
    let unassigned: Vec<u16> = (52..65279).collect();
    let extra: Vec<&[u16]> = [&[][..]]
        .into_iter()
        .chain(unassigned.chunks(4096).step_by(5))
        .collect();
    for ids in extra {
        for reverse in [true, false] {
            let mut p = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
            let mut ch1 = client_hello_of(&mut p);
            ch1.extensions.retain(|e| e.typ != ET::PRE_SHARED_KEY);
            set_ext(
                &mut ch1.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![]),
            );
            ch1.extensions.extend(
                ids.iter()
                    .map(|&id| Extension::new(ET(id), ExtBody::Unknown)),
            );
            let out = p.deliver_to_server(&hello_records(ch1.clone()));
            assert_eq!(out.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![HS, CCS]);
            let hrr = super::hostile_tests::server_hello(&out[0]);
            let mut types: Vec<ET> = hrr.extensions.iter().map(|e| e.typ).collect();
            types.sort_by_key(|t| t.0);
            assert_eq!(types, vec![ET::SUPPORTED_VERSIONS, ET::KEY_SHARE]);

            let mut ch2 = ch1;
            if reverse {
                ch2.extensions.reverse();
            }
            set_ext(
                &mut ch2.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(NamedGroup::SECP256R1, p256_share())]),
            );
            let r = p.s.feed(&hello_records(ch2));
            if reverse {
                expect_plain(&mut p.s, r, Alert::IllegalParameter);
            } else {
                assert!(r.is_ok(), "{r:?}");
                let out = parse(&p.s.take_output());
                assert_eq!(out[0].ct, HS, "ServerHello");
            }
        }
    }
}

/// test-tls13-ecdhe-curves.py: for each group we support (secp256r1, secp384r1, x25519), a
/// key share that is right-padded with a zero byte, truncated by one, taken from another
/// curve, the one-byte "point at infinity", off the curve, or x=0,y=0 is illegal_parameter
/// (RFC 8446 §4.2.8.2); an honest share of each completes.
#[test]
fn bad_ecdhe_shares_per_group() {
    let share = |g: NamedGroup| {
        EphemeralKey::generate(g, &mut seeded_rng(21))
            .unwrap()
            .public_key()
    };
    for g in [
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
        NamedGroup::X25519,
    ] {
        let other = if g == NamedGroup::SECP256R1 {
            NamedGroup::SECP384R1
        } else {
            NamedGroup::SECP256R1
        };
        let good = share(g);
        let mut cases: Vec<(&str, Vec<u8>)> = vec![
            ("right 0-padded", [&good[..], &[0]].concat()),
            ("right-truncated", good[..good.len() - 1].to_vec()),
            ("from the other curve", share(other)),
            ("point at infinity", vec![0]),
        ];
        if g != NamedGroup::X25519 {
            let mut off = good.clone();
            *off.last_mut().unwrap() ^= 0xff;
            cases.push(("outside the curve", off));
            let mut zero = vec![0; good.len()];
            zero[0] = 4;
            cases.push(("x=0, y=0", zero));
        }
        for (name, bad) in cases {
            let mut p = peers(with_groups(cc13(), &[g]));
            let bytes = modified_hello(&mut p, |ch| {
                set_ext(
                    &mut ch.extensions,
                    ET::KEY_SHARE,
                    ExtBody::KeyShareClient(vec![(g, bad)]),
                )
            });
            let r = p.s.feed(&bytes);
            assert_eq!(
                r.as_ref().map_err(|e| e.alert),
                Err(Alert::IllegalParameter),
                "{g} {name}"
            );
            expect_plain(&mut p.s, r, Alert::IllegalParameter);
        }
        let mut p = peers(with_groups(cc13(), &[g]));
        let hello = p.c.take_output();
        flight(&mut p, &hello);
        establish(&mut p);
    }
}

/// A server with listen's default pair of certificates: ECDSA P-256 first, RSA 2048 beside.
fn two_cert_peers(cc: crate::handshake::ClientConfig) -> Peers {
    peers_with(cc, |sc| {
        sc.alt_certs = vec![super::conformance12_tests::rsa_key()]
    })
}

/// test-tls13-rsa-signatures.py (without -b, the server has an rsaEncryption key only):
/// each rsa_pss_rsae_* alone gets a CertificateVerify made with it (from the RSA
/// certificate); rsa_pss_pss_* alone is handshake_failure (RFC 8446 §4.2.3: those need an
/// RSASSA-PSS key). Also (not from a script read here): ecdsa_secp256r1_sha256 alone is
/// served from the ECDSA certificate, ecdsa_secp384r1_sha384 alone is handshake_failure.
#[test]
fn certificate_verify_scheme_per_offer() {
    let cv_scheme = |p: &mut Peers| {
        let (items, _) = super::hostile_tests::flight13(p);
        let cv = &items[4].1;
        SignatureScheme(u16::from_be_bytes([cv[4], cv[5]]))
    };
    for s in [
        SignatureScheme::RSA_PSS_RSAE_SHA256,
        SignatureScheme::RSA_PSS_RSAE_SHA384,
        SignatureScheme::RSA_PSS_RSAE_SHA512,
        SignatureScheme::ECDSA_SECP256R1_SHA256,
    ] {
        let mut cc = cc13();
        cc.sigalgs = vec![s];
        let mut p = two_cert_peers(cc);
        assert_eq!(cv_scheme(&mut p), s);
    }
    for s in [0x0809u16, 0x080a, 0x080b, 0x0503] {
        only_scheme_is_handshake_failure(s);
    }
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
                let hello = p.c.take_output();
                p.deliver_to_server(&hello);
                let th = p.s.common.transcript.hash(hash);
                let base = secret(&p.sev, "client_handshake_traffic_secret");
                let fin = raw_msg(20, &ks::finished_verify_data(hash, &base, &th));
                let mut ck = sealer(&p.sev, suite, "client_handshake_traffic");
                let mut sk = sealer(&p.sev, suite, "server_application_traffic");
                let mut rec = ck.seal(HS, &fin);
                if on_finished {
                    let n = rec.frag.len();
                    rec.frag[n - pos] ^= bit;
                    let r = p.s.feed(&rec.bytes());
                    expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);
                    continue;
                }
                p.deliver_to_server(&rec.bytes());
                assert!(p.s.is_established());
                let mut ca = sealer(&p.sev, suite, "client_application_traffic");
                let mut sk = sealer(&p.sev, suite, "server_application_traffic");
                sk.seq = 2; // past the two NewSessionTickets
                let mut rec = ca.seal(APP, b"GET / HTTP/1.0\r\n\r\n");
                let n = rec.frag.len();
                rec.frag[n - pos] ^= bit;
                let r = p.s.feed(&rec.bytes());
                expect_sealed_at(&mut p, r, Alert::BadRecordMac, &mut sk);
            }
        }
    }
}

fn suite_params_hash(suite: u16) -> HashAlg {
    super::suite_params::params(CipherSuite(suite))
        .unwrap()
        .hash
}

/// test-tls13-pkcs-signature.py: rsa_pkcs1 with MD5, SHA-1, SHA-224, SHA-256, SHA-384 or
/// SHA-512 alone is handshake_failure, even with an RSA certificate available (RFC 8446
/// §4.2.3: PKCS#1 v1.5 is not for CertificateVerify in TLS 1.3).
/// A TLS 1.3 hello offering only `scheme` (which neither of the server's keys may use for a
/// CertificateVerify) gets handshake_failure in clear.
fn only_scheme_is_handshake_failure(scheme: u16) {
    let mut p = two_cert_peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        set_ext(
            &mut ch.extensions,
            ET::SIGNATURE_ALGORITHMS,
            ExtBody::SignatureAlgorithms(vec![SignatureScheme(scheme)]),
        )
    });
    let r = p.s.feed(&bytes);
    expect_plain(&mut p.s, r, Alert::HandshakeFailure);
}

#[test]
fn pkcs1_only_is_handshake_failure() {
    for s in [0x0101u16, 0x0201, 0x0301, 0x0401, 0x0501, 0x0601] {
        only_scheme_is_handshake_failure(s);
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
    let out = p.deliver_to_server(&ck.seal(APP, b"GET / HTTP/1.0\r\n\r\n").bytes());
    assert!(out.is_empty(), "no CertificateRequest");
    let r = p.s.feed(&ck.seal(HS, &[11, 0, 0, 4, 0, 0, 0, 0]).bytes());
    expect_sealed_at(&mut p, r, Alert::UnexpectedMessage, &mut sk);
}

// ================================================================== third round

/// RSASSA-PSS encoding (RFC 8017 §9.1.1) with a free choice of salt length and MGF1 hash,
/// and the raw RSA private operation: for signatures our signer would never make.
fn pss_sign(
    key: &rsa::RsaPrivateKey,
    msg_hash: HashAlg,
    mgf_hash: HashAlg,
    salt_len: usize,
    content: &[u8],
) -> Vec<u8> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let k = key.size();
    let em_bits = key.n().bits() - 1;
    let em_len = em_bits.div_ceil(8);
    let m_hash = msg_hash.hash(content);
    let salt: Vec<u8> = (0..salt_len).map(|i| (i as u8) ^ 0x5c).collect();
    let h = msg_hash.hash(&[&[0u8; 8][..], &m_hash, &salt].concat());
    let db_len = em_len - h.len() - 1;
    let mut db = vec![0u8; db_len - salt_len - 1];
    db.push(1);
    db.extend_from_slice(&salt);
    // MGF1 (RFC 8017 B.2.1) over H with mgf_hash
    let mut mask = vec![];
    let mut counter = 0u32;
    while mask.len() < db_len {
        mask.extend(mgf_hash.hash(&[&h[..], &counter.to_be_bytes()].concat()));
        counter += 1;
    }
    for (d, m) in db.iter_mut().zip(&mask) {
        *d ^= m;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let em = [&db[..], &h, &[0xbc]].concat();
    let s = rsa::BigUint::from_bytes_be(&em).modpow(key.d(), key.n());
    let mut sig = s.to_bytes_be();
    while sig.len() < k {
        sig.insert(0, 0);
    }
    sig
}

/// Runs a TLS 1.3 handshake against `listen --client-auth request` up to the server's
/// flight (which must hold a CertificateRequest), sends the client `Certificate` for
/// `chain` and, if the chain is not empty, a CertificateVerify labelled `scheme` with the
/// signature `sign(content)` over the server's transcript, then the Finished. Returns the
/// server's answer to the client flight (its first refusal) and the server's write keys
/// of that moment (application keys: the server has sent its Finished).
type Answer = (Peers, Sealer, Result<(), crate::error::TlsError>);

fn client_auth13(chain: &[Vec<u8>], scheme: u16, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> Answer {
    let mut p = peers_with(cc13(), |sc| {
        sc.client_auth = super::config::ClientAuth::Request
    });
    let hello = p.c.take_output();
    let recs = flight(&mut p, &hello);
    let mut sk = (
        sealer(&p.sev, SUITE, "server_handshake_traffic"),
        sealer(&p.sev, SUITE, "server_application_traffic"),
    );
    let types: Vec<u8> = open_flight13(&recs, &mut sk.0)
        .iter()
        .map(|(t, d, _)| if *t == HS { d[0] } else { *t })
        .collect();
    assert_eq!(types, [2, CCS, 8, 13, 11, 15, 20]);
    let mut ck = sealer(&p.sev, SUITE, "client_handshake_traffic");
    let entries: Vec<u8> = chain
        .iter()
        .flat_map(|c| {
            let l = (c.len() as u32).to_be_bytes();
            [&l[1..], &c[..], &[0, 0]].concat()
        })
        .collect();
    let l = (entries.len() as u32).to_be_bytes();
    let cert = raw_msg(11, &[&[0u8][..], &l[1..], &entries].concat());
    let mut bytes = ck.seal(HS, &cert).bytes();
    p.s.feed(&bytes).unwrap();
    if !chain.is_empty() {
        let th = p.s.common.transcript.hash(HashAlg::Sha256);
        let sig = sign(&crate::crypto::sign::tls13_verify_content(false, &th));
        let l = (sig.len() as u16).to_be_bytes();
        let cv = raw_msg(15, &[&scheme.to_be_bytes()[..], &l, &sig].concat());
        bytes = ck.seal(HS, &cv).bytes();
        let r = p.s.feed(&bytes);
        if r.is_err() {
            return (p, sk.1, r);
        }
    }
    let fin = client_finished_with(&p, &mut ck, |_| {});
    let r = p.s.feed(&fin);
    (p, sk.1, r)
}

/// test-tls13-certificate-verify.py (listen --client-auth request, an RSA client
/// certificate): an empty client Certificate completes ("check sigalgs in cert request");
/// a CertificateVerify made with each rsa_pss_rsae_* completes; rsa_pss_pss_* (needs an
/// RSASSA-PSS key), rsa_pkcs1_* (not for TLS 1.3 CertificateVerify, RFC 8446 §4.4.3) and
/// schemes not in our CertificateRequest are illegal_parameter; a PSS signature with a salt
/// of 0, hash length - 1 or + 1 bytes (RFC 8446 §4.2.3: the salt is as long as the hash), a
/// PKCS#1 signature or a SHA-384 PSS signature labelled rsa_pss_rsae_sha256, an MGF1 hash
/// that differs from the message hash, or a signature with a flipped bit is decrypt_error.
/// All alerts are sent under the server's application keys.
#[test]
fn client_certificate_verify13() {
    let client = super::conformance12_tests::rsa_key();
    let crate::crypto::sign::SigningKey::Rsa(key) = &*client.key else {
        unreachable!("an RSA key")
    };
    let chain = &client.chain;
    let signer = |s: u16| {
        let k = client.key.clone();
        move |c: &[u8]| k.sign(SignatureScheme(s), c, &mut seeded_rng(5)).unwrap()
    };
    let done = |(mut p, _, r): Answer| {
        r.unwrap();
        assert!(p.s.is_established());
        p.drain();
    };
    let refused = |(mut p, mut sk, r): Answer, want: Alert| {
        expect_sealed_at(&mut p, r, want, &mut sk);
    };

    done(client_auth13(&[], 0, |_| unreachable!()));
    for s in [0x0804u16, 0x0805, 0x0806] {
        done(client_auth13(chain, s, signer(s)));
    }
    for s in [
        0x0809u16, 0x080a, 0x080b, 0x0601, 0x0501, 0x0401, 0x0301, 0x0201, 0x0101,
    ] {
        refused(
            client_auth13(chain, s, signer(0x0804)),
            Alert::IllegalParameter,
        );
    }
    let (sha256, sha384) = (HashAlg::Sha256, HashAlg::Sha384);
    // the hand-made PSS signature is right with a 32-byte salt...
    done(client_auth13(chain, 0x0804, |c| {
        pss_sign(key, sha256, sha256, 32, c)
    }));
    // ...and refused with any other
    for salt in [0, 31, 33] {
        refused(
            client_auth13(chain, 0x0804, |c| pss_sign(key, sha256, sha256, salt, c)),
            Alert::DecryptError,
        );
    }
    type Signer<'a> = Box<dyn FnOnce(&[u8]) -> Vec<u8> + 'a>;
    let bad: Vec<Signer> = vec![
        Box::new(|c| pss_sign(key, sha256, sha384, 32, c)),
        Box::new(|c| pss_sign(key, sha384, sha384, 48, c)),
        Box::new(|c| {
            client
                .key
                .sign(SignatureScheme(0x0401), c, &mut seeded_rng(5))
                .unwrap()
        }),
    ];
    for f in bad {
        refused(client_auth13(chain, 0x0804, f), Alert::DecryptError);
    }
    for (pos, bit) in [(0usize, 0x01u8), (1, 0x80), (128, 0x01), (255, 0x80)] {
        let sign = signer(0x0804);
        refused(
            client_auth13(chain, 0x0804, move |c| {
                let mut s = sign(c);
                s[pos] ^= bit;
                s
            }),
            Alert::DecryptError,
        );
    }
}

/// test-tls13-ecdsa-support.py (listen with a P-256 and a P-384 certificate, as with two
/// --cert/--key pairs): all three ECDSA schemes offered (either
/// certificate may answer), or secp256r1_sha256 or
/// secp384r1_sha384 alone, with only secp256r1 in supported_groups: the CertificateVerify
/// is made with the offered scheme from the matching certificate. secp521r1_sha512 alone
/// is handshake_failure (no P-521 support: an expected difference).
#[test]
fn ecdsa_certificate_per_offered_scheme() {
    let p384 = {
        let kp = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
        let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        super::config::CertifiedKey {
            chain: vec![params.self_signed(&kp).unwrap().der().to_vec()],
            key: std::sync::Arc::new(
                crate::crypto::sign::SigningKey::from_pem(&kp.serialize_pem()).unwrap(),
            ),
        }
    };
    for (offer, want) in [
        (vec![0x0603u16, 0x0503, 0x0403], &[0x0503u16, 0x0403][..]),
        (vec![0x0403], &[0x0403]),
        (vec![0x0503], &[0x0503]),
    ] {
        let mut cc = with_groups(cc13(), &[NamedGroup::SECP256R1]);
        cc.sigalgs = offer.iter().map(|s| SignatureScheme(*s)).collect();
        let mut p = peers_with(cc, |sc| sc.alt_certs = vec![p384.clone()]);
        let (items, _) = super::hostile_tests::flight13(&mut p);
        let cv = &items[4].1;
        let got = u16::from_be_bytes([cv[4], cv[5]]);
        assert!(want.contains(&got), "{offer:04x?}: {got:04x}");
        // (the client verifies the CertificateVerify and the server's Finished)
        let hello = seal_flight13(
            &items,
            &mut sealer(&p.sev, SUITE, "server_handshake_traffic"),
        );
        p.deliver_to_client(&hello);
        assert!(!p.c.is_failed());
    }
    only_scheme_is_handshake_failure(0x0603);
}

/// test-tls13-session-resumption.py "session resumption": a ClientHello with a ticket from
/// an earlier connection and psk_dhe_ke gets a ServerHello with pre_shared_key and
/// key_share (RFC 8446 §4.2.9: psk_dhe_ke), then EncryptedExtensions and Finished — no
/// Certificate or CertificateVerify — and the handshake completes, with a new ticket.
#[test]
fn ticket_resumption_flight() {
    let mut p = super::hostile_tests::resuming_peers();
    let recs = p.first_flight();
    let sh = super::hostile_tests::server_hello(&recs[0]);
    let exts: Vec<ET> = sh.extensions.iter().map(|x| x.typ).collect();
    for t in [ET::PRE_SHARED_KEY, ET::KEY_SHARE, ET::SUPPORTED_VERSIONS] {
        assert!(exts.contains(&t), "{t:?} in {exts:?}");
    }
    let mut sk = sealer(&p.sev, SUITE, "server_handshake_traffic");
    let types: Vec<u8> = open_flight13(&recs, &mut sk)
        .iter()
        .map(|(t, d, _)| if *t == HS { d[0] } else { *t })
        .collect();
    assert_eq!(types, [2, CCS, 8, 20]);
    let (_, sk) = establish(&mut p);
    assert!(sk.seq >= 1, "at least one NewSessionTicket");
}
