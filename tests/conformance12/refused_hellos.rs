//! ClientHellos the server refuses, each with tlsfuzzer's alert: fallback SCSV, fuzzed types
//! and lengths, bad compression, session id, suites, extensions or versions, records that
//! are too big or of unknown types, and hellos padded or truncated.

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::handshake::Connection;
use tlsprobe::inmem::self_signed;
use tlsprobe::wire::codepoints::ProtocolVersion;

use crate::common::scripted::expect_plain;
use crate::common::scripted::{raw_msg, Rec, HS};
use crate::hello::*;
use crate::script::*;

/// test-fallback-scsv "FALLBACK - hello TLSv1.2": with TLS 1.3 enabled, TLS_FALLBACK_SCSV in a
/// TLS 1.2 hello is inappropriate_fallback (RFC 7507 §3); a TLS 1.2-only server accepts it.
#[test]
fn fallback_scsv() {
    for place in 0..3 {
        let mut suites = vec![SCSV, ECDHE_ECDSA_AES128GCM, 0x1301];
        suites.insert(place, FALLBACK_SCSV);
        hello_refused(
            &ecdsa_server(),
            client_hello(0x0303, &suites, None),
            Alert::InappropriateFallback,
        );
        let only12 = server_with(self_signed("localhost"), |c| {
            c.versions = vec![ProtocolVersion::TLS12]
        });
        let mut sc = Script::new(only12);
        sc.hello(&client_hello(0x0303, &suites, Some(&[sigs()])));
        sc.complete();
    }
}

/// test-fallback-scsv, the other hellos: TLS_FALLBACK_SCSV (at any place) in a TLS 1.1
/// hello is inappropriate_fallback even though TLS 1.1 is not supported at all (RFC 7507 §3
/// allows protocol_version too; tlsfuzzer expects this one), for a TLS 1.3 and a TLS
/// 1.2-only server; in an "SSL 3.4" hello (0x0304 without supported_versions, negotiated
/// as TLS 1.2) it is inappropriate_fallback when TLS 1.3 is enabled and accepted otherwise.
/// Without the SCSV the TLS 1.1 hello is protocol_version.
#[test]
fn fallback_scsv_with_other_versions() {
    let e = ECDHE_ECDSA_AES128GCM;
    let only12 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![ProtocolVersion::TLS12]
    });
    for place in 0..3 {
        let mut suites = vec![SCSV, e, 0x1301];
        suites.insert(place, FALLBACK_SCSV);
        for cfg in [ecdsa_server(), only12.clone()] {
            hello_refused(
                &cfg,
                client_hello(0x0302, &suites, None),
                Alert::InappropriateFallback,
            );
        }
        hello_refused(
            &ecdsa_server(),
            client_hello(0x0304, &suites, None),
            Alert::InappropriateFallback,
        );
        let mut sc = Script::new(only12.clone());
        sc.hello(&client_hello(0x0304, &suites, Some(&[sigs()])));
        sc.complete();
    }
    hello_refused(
        &ecdsa_server(),
        client_hello(0x0302, &[SCSV, e], None),
        Alert::ProtocolVersion,
    );
}

/// test-invalid-client-hello "Client Hello type fuzz to N": any handshake type other than
/// client_hello first is unexpected_message, whatever its body (RFC 5246 §7.4).
#[test]
fn client_hello_type_fuzz_is_unexpected_message() {
    let cfg = ecdsa_server();
    let ch = client_hello(0x0303, &[0x002f, SCSV], None);
    for t in (0..=255u8).filter(|t| *t != 1) {
        let mut m = ch.clone();
        m[0] = t;
        hello_refused(&cfg, m, Alert::UnexpectedMessage);
    }
}

/// test-invalid-client-hello: session ID, cipher suites, compression methods and extensions
/// lengths fuzzed (substituted or XORed at tlsfuzzer's offsets) are all decode_error.
#[test]
fn client_hello_length_fuzz_is_decode_error() {
    let cfg = ecdsa_server();
    let plain = client_hello(0x0303, &[0x002f, SCSV], None);
    let with_ext = client_hello(0x0303, &[0x002f], Some(&[(RENEGO, vec![0])]));
    let mut cases: Vec<Vec<u8>> = vec![];
    let subst = |base: &Vec<u8>, at: &[(usize, u8)]| {
        let mut m = base.clone();
        for (i, v) in at {
            m[*i] = *v;
        }
        m
    };
    let xor = |base: &Vec<u8>, at: usize, v: u8| subst(base, &[(at, base[at] ^ v)]);
    for i in 1..=255u8 {
        cases.push(subst(&plain, &[(38, i)])); // session ID length
        cases.push(subst(&with_ext, &[(38, i)]));
        cases.push(xor(&plain, 40, i)); // cipher suites length
        cases.push(xor(&with_ext, 40, i));
        cases.push(xor(&plain, 45, i)); // compression methods length
        if 1 ^ i != 8 {
            cases.push(xor(&with_ext, 43, i)); // (8 makes a valid extension-less hello)
        }
        cases.push(xor(&with_ext, 46, i)); // extensions length
    }
    for i in [1u8, 2, 4, 8, 16, 128, 254, 255] {
        for j in 0..=255u8 {
            cases.push(subst(&plain, &[(39, i), (40, j)]));
            cases.push(subst(&with_ext, &[(39, i), (40, j)]));
            if i != 128 {
                cases.push(subst(&with_ext, &[(45, i), (46, j)]));
            }
        }
    }
    for m in cases {
        hello_refused(&cfg, m, Alert::DecodeError);
    }
}

/// Refused hellos, each with tlsfuzzer's expected alert:
/// test-invalid-compression-methods, test-invalid-session-id, test-invalid-cipher-suites,
/// test-extended-master-secret-extension "malformed extended master secret ext",
/// test-point-extension (an empty ec_point_formats list is decode_error: the list is
/// <1..2^8-1>, RFC 8422 §5.1.2), test-record-size-limit "Invalid value in extension in TLS 1.2",
/// test-x25519 "only unknown group - no fallback to DHE", test-invalid-version.
#[test]
fn refused_client_hellos() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let ecc = groups_ext(&[0x0017, 0x0100]);
    let mut no_null = client_hello(0x0303, &[0x002f, SCSV], None);
    let n = no_null.len();
    no_null[n - 1] = 1; // only deflate
    let mut b = 0x0303u16.to_be_bytes().to_vec();
    b.extend_from_slice(&[1; 32]);
    b.push(0);
    b.extend(vec16(&u16s(&[e])));
    b.extend(vec8(&(1..=255).collect::<Vec<u8>>()));
    let all_but_null = raw_msg(1, &b);
    let mut long_sid = client_hello(0x0303, &[e], None);
    long_sid.splice(38..39, [&[33u8][..], &[3; 33]].concat());
    long_sid = raw_msg(1, &long_sid[4..]);
    let cases: Vec<(Vec<u8>, Alert)> = vec![
        (no_null, Alert::IllegalParameter),
        (all_but_null, Alert::IllegalParameter),
        (long_sid, Alert::DecodeError),
        (
            client_hello(0x0303, &(0x0100..0x1001).collect::<Vec<u16>>(), None),
            Alert::HandshakeFailure,
        ),
        (client_hello(0x0303, &[SCSV], None), Alert::HandshakeFailure),
        (
            client_hello(0x0303, &[e], Some(&[(EMS, vec![0])])),
            Alert::DecodeError,
        ),
        (
            client_hello(
                0x0303,
                &[e],
                Some(&[ecc.clone(), (POINT_FORMATS, vec8(&[1]))]),
            ),
            Alert::IllegalParameter,
        ),
        (
            client_hello(
                0x0303,
                &[e],
                Some(&[ecc.clone(), (POINT_FORMATS, vec8(&[]))]),
            ),
            Alert::DecodeError,
        ),
        (
            client_hello(0x0303, &[e], Some(&[(POINT_FORMATS, vec8(&[]))])),
            Alert::DecodeError,
        ),
        (
            client_hello(0x0303, &[e], Some(&[(RSL, 63u16.to_be_bytes().to_vec())])),
            Alert::IllegalParameter,
        ),
        (
            client_hello(0x0303, &[e, SCSV], Some(&[groups_ext(&[11200])])),
            Alert::HandshakeFailure,
        ),
        (
            client_hello(0x0303, &[e], Some(&[(RENEGO, vec![1, 0])])),
            Alert::HandshakeFailure,
        ),
        (client_hello(0x0103, &[e], None), Alert::ProtocolVersion),
        (
            client_hello(0x0303, &[e], Some(&[(SNI, vec![0, 3, 0, 0, 5])])),
            Alert::DecodeError,
        ),
    ];
    for (ch, want) in cases {
        hello_refused(&cfg, ch, want);
    }
    // ...while a point format list that has uncompressed among unsupported ones is fine
    // (test-point-extension "ECDHE uncompressed with unsupported compressed").
    let mut sc = Script::new(cfg);
    sc.hello(&client_hello(
        0x0303,
        &[e],
        Some(&[ecc, (POINT_FORMATS, vec8(&[2, 0])), sigs()]),
    ));
    assert!(sc.sh_exts.contains(&POINT_FORMATS));
    sc.complete();
}

/// test-invalid-content-type, test-invalid-client-hello-w-record-overflow,
/// test-record-layer-fragmentation "non fragmented, over fragmentation limit": unknown record
/// types are unexpected_message, plaintext records over 2^14 are record_overflow, and a
/// zero-length handshake record is unexpected_message (RFC 5246 §6.2.1).
#[test]
fn record_layer_refusals_before_the_handshake() {
    let cfg = ecdsa_server();
    let ch = client_hello(
        0x0303,
        &[ECDHE_ECDSA_AES128GCM],
        Some(&[(PADDING, vec![0; 1 << 14])]),
    );
    let mut cases = vec![
        (Rec::new(HS, ch).bytes(), Alert::RecordOverflow),
        (Rec::new(HS, vec![]).bytes(), Alert::UnexpectedMessage),
    ];
    for ct in [0u8, 1, 19, 24, 25, 255] {
        cases.push((Rec::new(ct, vec![1, 0]).bytes(), Alert::UnexpectedMessage));
    }
    for (bytes, want) in cases {
        let mut s = Connection::server(cfg.clone(), seeded_rng(3));
        let r = s.feed(&bytes);
        expect_plain(&mut s, r, want);
    }
}

/// test-truncating-of-client-hello: a ClientHello (renegotiation_info its only extension)
/// with bytes added after the extensions — from 1 byte to a 2^24-1 byte message — or cut
/// from its end — into the extensions, into the hello, down to an empty body — with the
/// handshake length adjusted each time, sent in records of at most 2^14 bytes: always
/// decode_error (RFC 5246 §7.4.1.2, §4.3), sent when the message is known bad. An extension
/// written after an empty extensions block is trailing data too.
#[test]
fn padded_or_truncated_client_hello_is_decode_error() {
    let cfg = ecdsa_server();
    let base = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[(RENEGO, vec![0])]));
    let body = &base[4..];
    let mut bodies: Vec<Vec<u8>> = vec![];
    for (n, b) in [
        (1usize, 0u8),
        (2, 0),
        (3, 0),
        (1, 0xff),
        (2, 0xff),
        (3, 0xff),
        (256, 0),
        (4096, 0),
        (1 << 16, 0),
        ((1 << 17) + 512, 0),
        ((1 << 24) - 1 - body.len(), 0),
    ] {
        bodies.push([body, &vec![b; n][..]].concat());
    }
    for cut in (1..=6).chain([8, 9, 10, 11, 12, 13, 32, 39, body.len() - 1, body.len()]) {
        bodies.push(body[..body.len() - cut].to_vec());
    }
    let empty_exts = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[]));
    bodies.push([&empty_exts[4..], &[0xff, 0x01, 0x00, 0x01, 0x00][..]].concat());
    for b in bodies {
        let msg = raw_msg(1, &b);
        let recs: Vec<u8> = msg
            .chunks(1 << 14)
            .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
            .collect();
        let mut s = Connection::server(cfg.clone(), seeded_rng(3));
        let r = s.feed(&recs);
        assert_eq!(
            r.as_ref().map_err(|e| e.alert),
            Err(Alert::DecodeError),
            "body of {} bytes",
            b.len()
        );
        expect_plain(&mut s, r, Alert::DecodeError);
    }
}

/// test-chacha20 "Chacha20 in TLS1.1": a TLS 1.1 hello offering only ChaCha20 suites is
/// handshake_failure when TLS 1.1 is enabled (RFC 7905 §2: TLS 1.2 and later only), and
/// protocol_version with listen's default versions (TLS 1.0/1.1 off, RFC 8996).
#[test]
fn chacha20_in_tls11() {
    let ch = client_hello(
        0x0302,
        &[ECDHE_RSA_CHACHA, 0xccaa, ECDHE_ECDSA_CHACHA, SCSV],
        None,
    );
    let with11 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![
            ProtocolVersion::TLS11,
            ProtocolVersion::TLS12,
            ProtocolVersion::TLS13,
        ]
    });
    hello_refused(&with11, ch.clone(), Alert::HandshakeFailure);
    hello_refused(&ecdsa_server(), ch, Alert::ProtocolVersion);
}

/// test-message-skipping "skip Client Hello" and "skip all but Finished in SSLv3 / TLS 1.0 /
/// TLS 1.1 / TLS 1.2 / TLS 1.3": a ClientKeyExchange (RSA-sized or ECDHE) or a Finished (TLS
/// or SSLv3-sized) as the very first message, in a record of version 3.0 to 3.3, is
/// unexpected_message (RFC 5246 §7.4: the ClientHello comes first).
#[test]
fn first_message_other_than_client_hello_at_any_record_version() {
    let cfg = ecdsa_server();
    let msgs = [
        raw_msg(16, &vec16(&[0xff; 256])),
        Script::cke_with(&valid_p256_point()),
        raw_msg(20, &[0; 12]),
        raw_msg(20, &[0; 36]),
    ];
    for ver in [0x0300u16, 0x0301, 0x0302, 0x0303] {
        for msg in &msgs {
            let mut s = Connection::server(cfg.clone(), seeded_rng(3));
            let rec = Rec {
                ct: HS,
                ver,
                frag: msg.clone(),
            };
            let r = s.feed(&rec.bytes());
            expect_plain(&mut s, r, Alert::UnexpectedMessage);
        }
    }
}
