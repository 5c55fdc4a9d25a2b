//! A hostile TLS 1.2 server in front of our client: its flights tampered with, reordered,
//! cut or replaced, and after the handshake messages sealed with its revealed keys.

use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::{Alert, AlertLevel};
use tlsprobe::event::{Dir, Event, Info};
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup, SignatureScheme};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::{HandshakeMessage as HM, ServerKeyExchange};
use tlsprobe::wire::suites::CipherSuite;

use crate::alloc::largest_allocation;
use crate::client_steps::feed_server_hello;
use crate::common::scripted::*;

/// A ServerKeyExchange for `group` and `public`, signed with the server's key over this
/// connection's randoms (RFC 8422 §5.4).
fn ske_record(p: &Pair, server_random: &[u8; 32], group: NamedGroup, public: Vec<u8>) -> Rec {
    ske_record_with(
        p,
        server_random,
        group,
        public,
        SignatureScheme::ECDSA_SECP256R1_SHA256,
    )
}

/// As `ske_record`, signed with `scheme`: ECDSA with SHA-256, or with SHA-1 (ecdsa_sha1,
/// which is what a TLS 1.0/1.1 ECDSA signature is: RFC 4492 §5.4).
fn ske_record_with(
    p: &Pair,
    server_random: &[u8; 32],
    group: NamedGroup,
    public: Vec<u8>,
    scheme: SignatureScheme,
) -> Rec {
    let mut params = vec![3u8];
    params.extend_from_slice(&group.0.to_be_bytes());
    params.push(public.len() as u8);
    params.extend_from_slice(&public);
    let mut signed = p.client_random().to_vec();
    signed.extend_from_slice(server_random);
    signed.extend_from_slice(&params);
    let key = &server_key().key;
    let signature = if scheme == SignatureScheme::ECDSA_SHA1 {
        key.sign_legacy(&signed, &mut seeded_rng(5)).unwrap()
    } else {
        key.sign(scheme, &signed, &mut seeded_rng(5)).unwrap()
    };
    let m = HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
        group,
        public,
        params,
        scheme: Some(scheme),
        signature,
    });
    Rec::new(HS, m.encode())
}

#[test]
fn tls12_bad_finished_is_decrypt_error() {
    let mut p = peers(cc12());
    let mut recs = second_flight12(&mut p);
    let mut sk = sealer(&p.server_events, 0xc02b, "server");
    let mut fin = sk.open(&recs[2]);
    assert_eq!(fin[0], 20);
    fin[4] ^= 1;
    sk.seq = 0;
    recs[2] = sk.seal(HS, &fin);
    let r = p.client.feed(&join(&recs));
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1; // the client's Finished used 0
    expect_sealed(&mut p.client, r, Alert::DecryptError, &mut ck);
}

#[test]
fn tls12_bad_record_tag_is_bad_record_mac() {
    let mut p = peers(cc12());
    let mut recs = second_flight12(&mut p);
    let n = recs[2].frag.len();
    recs[2].frag[n - 1] ^= 0x80;
    let r = p.client.feed(&join(&recs));
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.client, r, Alert::BadRecordMac, &mut ck);
}

#[test]
fn tls12_server_hello_done_right_after_server_hello_is_unexpected() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p.client.feed(&join(&[recs[0].clone(), recs[3].clone()]));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls12_finished_before_certificate_is_unexpected() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let fin = Rec::new(HS, HM::Finished(vec![0; 12]).encode());
    let r = p.client.feed(&join(&[recs[0].clone(), fin]));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls12_trailing_bytes_in_server_hello_is_decode_error() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut body = recs[0].frag[4..].to_vec();
    body.push(0);
    let r = p.client.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

#[test]
fn tls12_lengths_beyond_the_data_are_decode_error() {
    // the extensions block of ServerHello claims one byte more than there is
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut body = recs[0].frag[4..].to_vec();
    let sid_len = body[34] as usize;
    let ext_len_at = 2 + 32 + 1 + sid_len + 2 + 1;
    body[ext_len_at + 1] = body[ext_len_at + 1].wrapping_add(1);
    let r = p.client.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.client, r, Alert::DecodeError);

    // a Certificate whose certificate_list announces 2^24 - 1 bytes
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let cert = Rec::new(HS, raw_msg(11, &[0xff, 0xff, 0xff, 0, 0, 1, 0x30]));
    let r = p.client.feed(&join(&[recs[0].clone(), cert]));
    expect_plain(&mut p.client, r, Alert::DecodeError);

    // a session id longer than 32 bytes (a field out of its specified range)
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut body = recs[0].frag[4..].to_vec();
    body[34] = 33;
    body.insert(35, 0);
    let r = p.client.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

#[test]
fn tls12_record_over_the_limits_is_record_overflow() {
    // plaintext over 2^14
    let mut p = peers(cc12());
    let _ = flight12(&mut p);
    let r = p.client.feed(&Rec::new(HS, vec![0; 16385]).bytes());
    expect_plain(&mut p.client, r, Alert::RecordOverflow);

    // ciphertext over 2^14 + 2048: refused from the header alone
    let mut p = peers(cc12());
    let recs = second_flight12(&mut p);
    let r = p.client.feed(&join(&recs[..2]));
    assert!(r.is_ok());
    let r = p.client.feed(&[HS, 3, 3, 0x48, 0x01]);
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.client, r, Alert::RecordOverflow, &mut ck);

    // a well-protected record whose plaintext exceeds 2^14
    let mut p = peers(cc12());
    let recs = second_flight12(&mut p);
    let mut sk = sealer(&p.server_events, 0xc02b, "server");
    let big = sk.seal(HS, &vec![0; 16385]);
    assert!(big.frag.len() <= 16384 + 2048);
    let r = p
        .client
        .feed(&join(&[recs[0].clone(), recs[1].clone(), big]));
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.client, r, Alert::RecordOverflow, &mut ck);
}

#[test]
fn tls12_suite_not_offered_is_illegal_parameter() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut sh = server_hello(&recs[0]);
    sh.cipher_suite = CipherSuite(0xc02c);
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls12_group_not_offered_in_server_key_exchange_is_illegal_parameter() {
    // The client offers P-256 too: the server's ECDSA P-256 certificate needs it (RFC 8422 §5.1).
    let mut p = peers(with_groups(
        cc12(),
        &[NamedGroup::X25519, NamedGroup::SECP256R1],
    ));
    let recs = flight12(&mut p);
    let sr = server_hello(&recs[0]).random;
    let public = EphemeralKey::generate(NamedGroup::SECP384R1, &mut seeded_rng(4))
        .unwrap()
        .public_key();
    let ske = ske_record(&p, &sr, NamedGroup::SECP384R1, public);
    let r = p
        .client
        .feed(&join(&[recs[0].clone(), recs[1].clone(), ske]));
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls12_ml_kem_or_ffdhe_group_in_server_key_exchange_is_illegal_parameter() {
    // Groups the client knows but TLS 1.2 ECDHE cannot use: the ML-KEM groups are defined
    // for TLS 1.3 only (the TLS 1.2 hello does not list them), the finite-field groups
    // belong to DHE suites (RFC 7919); RFC 8422 §5.4 names only curves.
    for group in [
        NamedGroup::X25519MLKEM768,
        NamedGroup::MLKEM768,
        NamedGroup::FFDHE2048,
    ] {
        let mut p = peers(with_groups(cc12(), &[group, NamedGroup::SECP256R1]));
        let recs = flight12(&mut p);
        let sr = server_hello(&recs[0]).random;
        let ske = ske_record(&p, &sr, group, vec![9; 32]);
        let r = p
            .client
            .feed(&join(&[recs[0].clone(), recs[1].clone(), ske]));
        // Refused for what the group is, before its share is even looked at.
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains("for TLS 1.2 ECDHE"), "{group}: {e}");
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

#[test]
fn tls12_extension_not_offered_is_unsupported_extension() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut sh = server_hello(&recs[0]);
    // ALPN was not offered
    sh.extensions.push(Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    ));
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
}

#[test]
fn tls12_off_curve_p256_point_is_illegal_parameter() {
    let mut p = peers(with_groups(cc12(), &[NamedGroup::SECP256R1]));
    let mut recs = flight12(&mut p);
    let sr = server_hello(&recs[0]).random;
    recs[2] = ske_record(&p, &sr, NamedGroup::SECP256R1, off_curve_p256());
    let r = p.client.feed(&join(&recs));
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls12_x25519_all_zero_secret_is_illegal_parameter() {
    for share in [[0u8; 32], {
        let mut one = [0u8; 32];
        one[0] = 1; // u = 1, a low-order point
        one
    }] {
        let mut p = peers(with_groups(
            cc12(),
            &[NamedGroup::X25519, NamedGroup::SECP256R1],
        ));
        let mut recs = flight12(&mut p);
        let sr = server_hello(&recs[0]).random;
        recs[2] = ske_record(&p, &sr, NamedGroup::X25519, share.to_vec());
        let r = p.client.feed(&join(&recs));
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

#[test]
fn tls12_early_ccs_is_unexpected_message() {
    // CVE-2014-0224: ChangeCipherSpec right after ServerHello
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p
        .client
        .feed(&join(&[recs[0].clone(), Rec::new(CCS, vec![1])]));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);

    // ... or right after the Certificate
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p.client.feed(&join(&[
        recs[0].clone(),
        recs[1].clone(),
        Rec::new(CCS, vec![1]),
    ]));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls12_hello_request_after_handshake_gets_no_renegotiation_warning() {
    let mut p = peers(cc12());
    p.complete();
    let mut sk = p.writer(Side::Server, 0xc02b, "server");
    let out = sk.seal(HS, &HM::HelloRequest.encode()).bytes();
    p.client_events.clear();
    let answer = p.to_client(&out);
    assert!(p.client_events.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::Out,
            level: AlertLevel::Warning,
            description: Alert::NoRenegotiation
        }
    )));
    assert_eq!(answer.len(), 1);
    assert_eq!(answer[0].ct, ALERT);
    assert!(p.client.is_established() && !p.client.is_failed());
    // the server takes the warning and the connection goes on
    p.server_events.clear();
    assert!(p.to_server(&join(&answer)).is_empty());
    assert!(!p.server.is_failed());
    p.client.send_data(b"still here").unwrap();
    let out = p.client.take_output();
    p.to_server(&out);
    assert!(p
        .server_events
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"still here")));
}

#[test]
fn tls12_client_hello_after_handshake_gets_no_renegotiation_warning() {
    let mut p = peers(cc12());
    p.complete();
    // the first ClientHello, replayed as a renegotiation under the client's keys
    let ch = client_hello(&p.flights[0].bytes);
    let mut ck = p.writer(Side::Client, 0xc02b, "client");
    let out = ck.seal(HS, &HM::ClientHello(ch).encode()).bytes();
    p.server_events.clear();
    let answer = p.to_server(&out);
    assert!(p.server_events.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::Out,
            level: AlertLevel::Warning,
            description: Alert::NoRenegotiation
        }
    )));
    assert_eq!(answer.len(), 1);
    assert_eq!(answer[0].ct, ALERT);
    assert!(!p.server.is_failed());
    p.to_client(&join(&answer));
    assert!(!p.client.is_failed());
    p.server.send_data(b"go on").unwrap();
    let out = p.server.take_output();
    p.to_client(&out);
    assert!(p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"go on")));
}

#[test]
fn tls12_data_after_close_notify_is_ignored() {
    let mut p = peers(cc12());
    p.complete();
    p.client_events.clear();
    p.server.close();
    let close = p.take(Side::Server);
    let mut sk = p.writer(Side::Server, 0xc02b, "server");
    let next = sk.seq;
    sk.catch_up(&close);
    assert_eq!(sk.seq, next + 1, "the close_notify is under these keys");
    let after = [sk.seal(APP, b"after the close"), sk.seal(HS, &[0xff; 10])];
    let out = [close, join(&after)].concat();
    assert!(p.client.feed(&out).is_ok());
    p.collect_events();
    assert!(p.client.peer_closed());
    assert!(!p.client.is_failed());
    assert!(!p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, .. })));
    assert!(p.client_events.iter().any(|e| matches!(
        e,
        Event::Alert {
            dir: Dir::In,
            description: tlsprobe::error::Alert::CloseNotify,
            ..
        }
    )));
}

#[test]
fn tls12_duplicate_extension_in_server_hello_is_illegal_parameter() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut sh = server_hello(&recs[0]);
    let dup = sh.extensions[0].clone();
    sh.extensions.push(dup);
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls12_huge_handshake_announcement_is_decode_error_without_allocating() {
    for first in [false, true] {
        let mut p = peers(cc12());
        let recs = flight12(&mut p);
        // 16 MB announced, 2 bytes delivered
        let huge = Rec::new(HS, vec![11, 0xff, 0xff, 0xff, 0x30, 0x82]);
        let bytes = if first {
            huge.bytes()
        } else {
            join(&[recs[0].clone(), huge])
        };
        let (r, largest) = largest_allocation(|| p.client.feed(&bytes));
        assert!(largest < 64 * 1024, "{largest} bytes allocated");
        expect_plain(&mut p.client, r, Alert::DecodeError);
    }
}

#[test]
fn tls12_zero_length_handshake_fragment_is_unexpected_message() {
    // unprotected
    let mut p = peers(cc12());
    let _ = flight12(&mut p);
    let r = p.client.feed(&Rec::new(HS, vec![]).bytes());
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);

    // protected (after the server's ChangeCipherSpec)
    let mut p = peers(cc12());
    let recs = second_flight12(&mut p);
    let mut sk = sealer(&p.server_events, 0xc02b, "server");
    let empty = sk.seal(HS, &[]);
    let r = p
        .client
        .feed(&join(&[recs[0].clone(), recs[1].clone(), empty]));
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
}

/// A handshake message after the TLS 1.2 handshake is unexpected_message, named against the
/// established state, and the session stays resumable.
#[test]
fn tls12_session_kept_after_a_post_handshake_error() {
    let mut p = peers(cc12());
    p.complete();
    let before = p.client.session().expect("a session");
    let mut sk = p.writer(Side::Server, 0xc02b, "server");
    let out = sk.seal(HS, &HM::ServerHelloDone.encode()).bytes();
    let e = p.client.feed(&out).unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage);
    assert!(
        e.message.starts_with("expected Established, received "),
        "{e}"
    );
    assert_eq!(p.client.session(), Some(before));
}

/// RFC 9155 §4: "Servers MUST NOT include MD5 and SHA-1 in ServerKeyExchange messages", and
/// RFC 5246 §7.4.1.4.1: the scheme must be one the client offered, which ours never are
/// (RFC 9155 §3). A genuine ecdsa_sha1 signature over the right parameters, or an
/// rsa_pkcs1_sha1 label, is illegal_parameter, with a reason naming RFC 9155.
#[test]
fn tls12_server_key_exchange_signed_with_sha1_is_illegal_parameter() {
    for scheme in [SignatureScheme::ECDSA_SHA1, SignatureScheme::RSA_PKCS1_SHA1] {
        let mut p = peers(with_groups(cc12(), &[NamedGroup::SECP256R1]));
        let mut recs = flight12(&mut p);
        let sr = server_hello(&recs[0]).random;
        let signed_with = if scheme == SignatureScheme::ECDSA_SHA1 {
            scheme
        } else {
            SignatureScheme::ECDSA_SECP256R1_SHA256
        };
        let mut ske = ske_record_with(&p, &sr, NamedGroup::SECP256R1, valid_p256(), signed_with);
        if scheme == SignatureScheme::RSA_PKCS1_SHA1 {
            // relabel: the scheme field follows the 4-byte header and the params
            let at = 4 + 4 + 65;
            ske.frag[at..at + 2].copy_from_slice(&scheme.0.to_be_bytes());
        }
        recs[2] = ske;
        let r = p.client.feed(&join(&recs));
        let why = r.as_ref().map_err(|e| e.message.clone()).unwrap_err();
        assert!(
            why.contains(&scheme.to_string()) && why.contains("RFC 9155"),
            "{why}"
        );
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

/// The warning alerts the client received and took, with their count in a row.
fn warnings_taken(events: &[Event]) -> Vec<(Alert, u8)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Info(Info::WarningAlert { alert, in_a_row }) => Some((*alert, *in_a_row)),
            _ => None,
        })
        .collect()
}

/// RFC 5246 §7.2: after a warning alert "generally the connection can continue normally";
/// an unbounded stream of them is a denial of service (CVE-2016-8610), so the fifth in a
/// row ends the connection with unexpected_message (tlsfuzzer's test-ssl-death-alert, here
/// with the server sending them). Four warning unsupported_certificate alerts before the
/// server's flight are shown and the handshake completes; a fifth is refused.
#[test]
fn tls12_warning_alerts_from_the_server_are_taken_up_to_four_in_a_row() {
    let warning = Rec::new(ALERT, vec![1, Alert::UnsupportedCertificate.to_u8()]);
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut bytes: Vec<Rec> = vec![warning.clone(); 4];
    bytes.extend(recs);
    let answer = p.to_client(&join(&bytes));
    let finished = p.to_server(&join(&answer));
    p.to_client(&join(&finished));
    assert!(p.client.is_established());
    p.collect_events();
    let a = Alert::UnsupportedCertificate;
    assert_eq!(
        warnings_taken(&p.client_events),
        vec![(a, 1), (a, 2), (a, 3), (a, 4)]
    );

    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let mut bytes: Vec<Rec> = vec![warning; 5];
    bytes.extend(recs);
    let r = p.client.feed(&join(&bytes));
    let why = r.as_ref().map_err(|e| e.message.clone()).unwrap_err();
    assert!(why.contains("5 warning alerts in a row"), "{why}");
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

/// After the handshake: warnings are counted in a row, application data starts the count
/// again, and the fifth in a row is unexpected_message under the client's keys. A warning
/// whose description RFC 5246 §7.2.2 makes "always fatal" (handshake_failure) still ends the
/// connection at once, as received (nothing sent back).
#[test]
fn tls12_warning_alerts_after_the_handshake() {
    let warning = |sk: &mut Sealer| sk.seal(ALERT, &[1, Alert::UserCanceled.to_u8()]);
    let mut p = peers(cc12());
    p.complete();
    let mut sk = p.writer(Side::Server, 0xc02b, "server");
    let mut ck = p.writer(Side::Client, 0xc02b, "client");
    let mut recs: Vec<Rec> = (0..4).map(|_| warning(&mut sk)).collect();
    recs.push(sk.seal(APP, b"progress"));
    recs.extend((0..4).map(|_| warning(&mut sk)));
    p.client_events.clear();
    assert!(p.to_client(&join(&recs)).is_empty());
    assert!(!p.client.is_failed());
    p.collect_events();
    let taken: Vec<u8> = warnings_taken(&p.client_events)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(taken, vec![1, 2, 3, 4, 1, 2, 3, 4]);
    let r = p.client.feed(&warning(&mut sk).bytes());
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);

    let mut p = peers(cc12());
    p.complete();
    let mut sk = p.writer(Side::Server, 0xc02b, "server");
    let r = p.client.feed(
        &sk.seal(ALERT, &[1, Alert::HandshakeFailure.to_u8()])
            .bytes(),
    );
    let e = r.unwrap_err();
    assert!(e.received && e.alert == Alert::HandshakeFailure, "{e}");
    assert!(p.client.is_failed() && !p.client.has_output());
}
