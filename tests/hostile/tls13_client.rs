//! A hostile TLS 1.3 server in front of our client: its flight opened with the revealed
//! handshake keys, tampered with and sealed again, its hellos edited through the codec, and
//! after the handshake records sealed with its application keys.

use tlsprobe::error::{Alert, AlertLevel, TlsError};
use tlsprobe::event::{Dir, Event};
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::HandshakeMessage as HM;
use tlsprobe::wire::suites::CipherSuite;

use crate::client_steps::feed_server_hello;
use crate::common::scripted::*;

/// A completed TLS 1.3 connection; the server then sends the alert `(level, desc)`.
fn tls13_alert_from_server(level: AlertLevel, desc: Alert) -> (Pair, Result<(), TlsError>) {
    let mut p = peers(cc13());
    p.complete();
    p.client_events.clear();
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let alert = sk.seal(ALERT, &[level.to_u8(), desc.to_u8()]);
    let out = join(&[alert, sk.seal(APP, b"more")]);
    let r = p.client.feed(&out);
    (p, r)
}

#[test]
fn tls13_bad_finished_is_decrypt_error() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let i = index_of(&items, 20);
    items[i].1[10] ^= 1;
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::DecryptError);
}

#[test]
fn tls13_bad_record_tag_is_bad_record_mac() {
    let mut p = peers(cc13());
    let mut recs = p.first_flight();
    assert_eq!(recs[2].ct, APP);
    recs[2].frag[3] ^= 0x40;
    let r = p.client.feed(&join(&recs));
    expect_plain(&mut p.client, r, Alert::BadRecordMac);
}

#[test]
fn tls13_finished_before_certificate_is_unexpected_message() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items.remove(index_of(&items, 15));
    items.remove(index_of(&items, 11));
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);

    // a TLS 1.2 message in a TLS 1.3 handshake
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items.insert(2, (HS, HM::ServerHelloDone.encode(), true));
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_trailing_bytes_are_decode_error() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let ee = &items[2].1;
    let mut body = ee[4..].to_vec();
    body.push(0);
    items[2].1 = raw_msg(8, &body);
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::DecodeError);

    // Finished of the wrong length is a decode_error too (RFC 8446 §4.4.4)
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let i = index_of(&items, 20);
    let mut body = items[i].1[4..].to_vec();
    body.push(0);
    items[i].1 = raw_msg(20, &body);
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    let e = r.as_ref().unwrap_err();
    assert!(
        matches!(e.alert, Alert::DecodeError | Alert::DecryptError),
        "{e}"
    );
    let want = e.alert;
    expect_plain(&mut p.client, r, want);
}

#[test]
fn tls13_record_overflow() {
    // ciphertext over 2^14 + 256
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut bytes = join(&recs[..2]);
    bytes.extend_from_slice(&[APP, 3, 3, 0x41, 0x01]);
    let r = p.client.feed(&bytes);
    expect_plain(&mut p.client, r, Alert::RecordOverflow);

    // inner plaintext over 2^14 + 1 in a ciphertext that is within its limit
    let mut p = peers(cc13());
    let (items, mut keys) = flight13(&mut p);
    let mut bytes = seal_flight13(&items[..2], &mut keys);
    keys.seq = 0;
    let mut inner = vec![0u8; 16386];
    inner[16385] = HS;
    inner[0] = 8;
    let rec = keys.seal_inner(&inner);
    assert!(rec.frag.len() <= 16384 + 256);
    bytes.extend(rec.bytes());
    let r = p.client.feed(&bytes);
    expect_plain(&mut p.client, r, Alert::RecordOverflow);
}

#[test]
fn tls13_all_zero_inner_plaintext_is_unexpected_message() {
    let mut p = peers(cc13());
    let (items, mut keys) = flight13(&mut p);
    let mut bytes = seal_flight13(&items[..2], &mut keys);
    keys.seq = 0;
    bytes.extend(keys.seal_inner(&[0; 40]).bytes());
    let r = p.client.feed(&bytes);
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_plaintext_handshake_after_keys_changed_is_unexpected_message() {
    let mut p = peers(cc13());
    let (items, _) = flight13(&mut p);
    let bytes = join(&[
        Rec::new(HS, items[0].1.clone()),
        Rec::new(CCS, vec![1]),
        Rec::new(HS, items[2].1.clone()),
    ]);
    let r = p.client.feed(&bytes);
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_ccs_other_than_0x01_is_unexpected_message() {
    for body in [vec![2u8], vec![1, 1], vec![0]] {
        let mut p = peers(cc13());
        let recs = p.first_flight();
        let bytes = join(&[recs[0].clone(), Rec::new(CCS, body)]);
        let r = p.client.feed(&bytes);
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}

#[test]
fn tls13_alerts_other_than_close_notify_and_user_canceled_are_fatal() {
    for (level, desc) in [
        (AlertLevel::Warning, Alert::Unknown(200)),
        (AlertLevel::Fatal, Alert::Unknown(255)),
        (AlertLevel::Warning, Alert::NoRenegotiation),
        (AlertLevel::Warning, Alert::HandshakeFailure),
        (AlertLevel::Unknown(7), Alert::BadCertificate),
    ] {
        let (mut p, r) = tls13_alert_from_server(level, desc);
        let e = r.unwrap_err();
        assert!(e.received, "{e}");
        assert_eq!(e.alert, desc);
        assert!(p.client.is_failed());
        p.collect_events();
        // the data after the alert was not accepted, and we answer nothing
        assert!(!p
            .client_events
            .iter()
            .any(|e| matches!(e, Event::AppData { dir: Dir::In, .. })));
        assert!(!p.client.has_output());
        assert!(p.client.feed(&[APP, 3, 3, 0, 1, 0]).is_err());
    }
}

#[test]
fn tls13_user_canceled_is_not_fatal() {
    let (mut p, r) = tls13_alert_from_server(AlertLevel::Warning, Alert::UserCanceled);
    r.unwrap();
    p.collect_events();
    assert!(!p.client.is_failed());
    assert!(p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"more")));
}

/// The only alert TLS 1.3 goes on after (user_canceled, RFC 8446 §6.1) is bounded like TLS
/// 1.2 warnings (CVE-2016-8610): four in a row are taken, the fifth is unexpected_message
/// under the client's application keys.
#[test]
fn tls13_user_canceled_flood_is_unexpected_message() {
    let mut p = peers(cc13());
    p.complete();
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let mut ck = p.writer(Side::Client, 0x1301, "client_application_traffic");
    let canceled = |sk: &mut Sealer| sk.seal(ALERT, &[1, Alert::UserCanceled.to_u8()]);
    let four: Vec<Rec> = (0..4).map(|_| canceled(&mut sk)).collect();
    p.client.feed(&join(&four)).unwrap();
    let r = p.client.feed(&canceled(&mut sk).bytes());
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
}

#[test]
fn tls13_second_hello_retry_request_is_unexpected_message() {
    let (mut p, recs) = hrr_peers();
    let ch2 = p.to_client(&join(&recs));
    assert_eq!(ch2.len(), 1);
    let r = p.client.feed(&recs[0].bytes());
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_hello_retry_request_that_changes_nothing_is_illegal_parameter() {
    // asks for a group we already sent a share for: either of the two (the default offer
    // sends X25519MLKEM768 and X25519 shares)
    for sent in [NamedGroup::X25519MLKEM768, NamedGroup::X25519] {
        let (mut p, recs) = hrr_peers();
        let mut hrr = server_hello(&recs[0]);
        set_ext(
            &mut hrr.extensions,
            ET::KEY_SHARE,
            ExtBody::KeyShareHrr(sent),
        );
        let r = feed_server_hello(&mut p, hrr);
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }

    // neither key_share nor cookie
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.extensions.retain(|e| e.typ != ET::KEY_SHARE);
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    // a group we never offered
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    set_ext(
        &mut hrr.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareHrr(NamedGroup::BRAINPOOLP256R1TLS13),
    );
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls13_suite_not_offered_is_illegal_parameter() {
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    sh.cipher_suite = CipherSuite(0x1302);
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls13_key_share_group_not_offered_is_illegal_parameter() {
    // a group in supported_groups but without a share from us
    let mut p = peers(with_groups(
        cc13(),
        &[NamedGroup::X25519, NamedGroup::SECP256R1],
    ));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP256R1, valid_p256()),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    // a group we never mentioned
    let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP384R1, vec![4; 97]),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls13_extension_not_offered_is_unsupported_extension() {
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    sh.extensions.push(Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    ));
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);

    // in EncryptedExtensions as well
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let ee = vec![Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    )];
    items[2].1 = HM::EncryptedExtensions(ee).encode();
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
}

#[test]
fn tls13_extension_in_the_wrong_message_is_illegal_parameter() {
    // key_share belongs to the hellos, not to EncryptedExtensions (RFC 8446 §4.2)
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    let ee = vec![Extension::new(
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::X25519, vec![9; 32]),
    )];
    items[2].1 = HM::EncryptedExtensions(ee).encode();
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls13_off_curve_p256_key_share_is_illegal_parameter() {
    let mut p = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP256R1, off_curve_p256()),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls13_x25519_all_zero_secret_is_illegal_parameter() {
    let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
    let recs = p.first_flight();
    let mut sh = server_hello(&recs[0]);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::X25519, vec![0; 32]),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

#[test]
fn tls13_handshake_message_spanning_the_key_change_is_unexpected_message() {
    // RFC 8446 §5.1: the ServerHello record also carries the start of the next message
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut sh = recs[0].clone();
    sh.frag.extend_from_slice(&[8, 0, 0]);
    let r = p.client.feed(&sh.bytes());
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_application_data_before_the_handshake_completes_is_unexpected_message() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items[2] = (APP, b"0.5-RTT too early".to_vec(), true);
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_protected_change_cipher_spec_is_unexpected_message() {
    let mut p = peers(cc13());
    let (mut items, mut keys) = flight13(&mut p);
    items[2] = (CCS, vec![1], true);
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

#[test]
fn tls13_ccs_after_the_handshake_is_unexpected_message() {
    let mut p = peers(cc13());
    p.complete();
    let r = p.client.feed(&Rec::new(CCS, vec![1]).bytes());
    let mut ck = sealer(&p.client_events, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
}

#[test]
fn tls13_key_update_with_bad_request_is_illegal_parameter() {
    let mut p = peers(cc13());
    p.complete();
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let out = sk.seal(HS, &HM::KeyUpdate(2).encode()).bytes();
    let r = p.client.feed(&out);
    let mut ck = sealer(&p.client_events, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.client, r, Alert::IllegalParameter, &mut ck);
}

/// A failure after the handshake (here a bad KeyUpdate) keeps the session the ticket gave.
#[test]
fn tls13_session_kept_after_a_post_handshake_error() {
    let mut p = peers(cc13());
    p.complete();
    let before = p.client.session().expect("a ticket");
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let out = sk.seal(HS, &HM::KeyUpdate(2).encode()).bytes();
    let e = p.client.feed(&out).unwrap_err();
    assert_eq!(e.alert, Alert::IllegalParameter);
    assert_eq!(p.client.session(), Some(before));
}

#[test]
fn tls13_data_after_close_notify_is_ignored() {
    let mut p = peers(cc13());
    p.complete();
    p.client_events.clear();
    p.server.close();
    let close = p.take(Side::Server);
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let next = sk.seq;
    sk.catch_up(&close);
    assert_eq!(sk.seq, next + 1, "the close_notify is under these keys");
    let out = [close, sk.seal(APP, b"after the close").bytes()].concat();
    assert!(p.client.feed(&out).is_ok());
    p.collect_events();
    assert!(p.client.peer_closed() && !p.client.is_failed());
    assert!(!p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, .. })));
}
