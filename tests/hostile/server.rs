//! A hostile client in front of our server: garbage, edited ClientHellos, a resumption
//! with a broken binder or PSK extension, a second ClientHello that changes, tampered
//! Finished messages and messages at the wrong moment.

use tlsprobe::error::Alert;
use tlsprobe::event::Event;
use tlsprobe::wire::codepoints::{CompressionMethod, ExtensionType as ET, NamedGroup};
use tlsprobe::wire::extensions::ExtBody;
use tlsprobe::wire::handshake::HandshakeMessage as HM;
use tlsprobe::wire::suites::CipherSuite;

use crate::alloc::largest_allocation;
use crate::common::scripted::*;

#[test]
fn server_refuses_garbage_and_plaintext_http() {
    for garbage in [
        &b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"[..],
        &b"GET"[..],
        &[0x80, 0x2e, 0x01, 0x03, 0x01][..], // SSLv2-style hello
        &[0x16, 0x48, 0x54, 0x54, 0x50][..],
    ] {
        let mut p = peers(cc13());
        let r = p.server.feed(garbage);
        let e = r.as_ref().unwrap_err();
        assert!(
            matches!(e.alert, Alert::UnexpectedMessage | Alert::DecodeError),
            "{e}"
        );
        let want = e.alert;
        expect_plain(&mut p.server, r, want);
    }
}

#[test]
fn server_no_common_suite_is_handshake_failure() {
    for cc in [cc12(), cc13()] {
        let mut p = peers(cc);
        let bytes = modified_hello(&mut p, |ch| {
            ch.cipher_suites = vec![CipherSuite(0x002f), CipherSuite(0x00ff)]
        });
        let r = p.server.feed(&bytes);
        expect_plain(&mut p.server, r, Alert::HandshakeFailure);
    }
}

#[test]
fn server_tls13_hello_without_key_share_is_missing_extension() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        ch.extensions.retain(|e| e.typ != ET::KEY_SHARE)
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::MissingExtension);
}

#[test]
fn server_resumption_works_untampered() {
    let mut p = resuming_peers();
    p.complete();
    p.collect_events();
    assert!(p
        .server_events
        .iter()
        .any(|e| matches!(e, Event::Summary(s) if s.resumed)));
}

#[test]
fn server_pre_shared_key_not_last_is_illegal_parameter() {
    let mut p = resuming_peers();
    let bytes = modified_hello(&mut p, |ch| {
        let psk = ch.extensions.pop().unwrap();
        assert_eq!(psk.typ, ET::PRE_SHARED_KEY);
        ch.extensions.insert(0, psk);
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::IllegalParameter);
}

#[test]
fn server_bad_psk_binder_is_decrypt_error() {
    let mut p = resuming_peers();
    let mut bytes = p.client.take_output();
    let n = bytes.len();
    bytes[n - 1] ^= 1; // the binder is the last thing in the ClientHello
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::DecryptError);
}

#[test]
fn server_tls13_wrong_client_finished_is_decrypt_error() {
    let mut p = peers(cc13());
    let f = p.first_flight();
    let cf = p.to_client(&join(&f));
    assert_eq!(cf.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![CCS, APP]);
    let mut ck = sealer(&p.client_events, 0x1301, "client_handshake_traffic");
    let (t, mut fin) = ck.open13(&cf[1]);
    assert_eq!((t, fin[0]), (HS, 20));
    fin[7] ^= 1;
    ck.seq = 0;
    let bad = join(&[cf[0].clone(), ck.seal(HS, &fin)]);
    let r = p.server.feed(&bad);
    let mut sk = sealer(&p.server_events, 0x1301, "server_application_traffic");
    expect_sealed(&mut p.server, r, Alert::DecryptError, &mut sk);
}

#[test]
fn server_tls12_wrong_client_finished_is_decrypt_error() {
    let mut p = peers(cc12());
    let f = flight12(&mut p);
    let cf = p.to_client(&join(&f));
    assert_eq!(
        cf.iter().map(|r| r.ct).collect::<Vec<_>>(),
        vec![HS, CCS, HS]
    );
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    let mut fin = ck.open(&cf[2]);
    fin[6] ^= 1;
    ck.seq = 0;
    let bad = join(&[cf[0].clone(), cf[1].clone(), ck.seal(HS, &fin)]);
    let r = p.server.feed(&bad);
    expect_plain(&mut p.server, r, Alert::DecryptError);
}

#[test]
fn server_tls12_early_ccs_is_unexpected_message() {
    let mut p = peers(cc12());
    let f = flight12(&mut p);
    let cf = p.to_client(&join(&f));
    // the CCS before the ClientKeyExchange
    let r = p.server.feed(&join(&[cf[1].clone(), cf[0].clone()]));
    expect_plain(&mut p.server, r, Alert::UnexpectedMessage);
}

#[test]
fn server_client_finished_out_of_order_is_unexpected_message() {
    let mut p = peers(cc13());
    let _ = p.first_flight();
    // a plaintext Finished instead of the encrypted flight
    let r = p
        .server
        .feed(&Rec::new(HS, HM::Finished(vec![0; 32]).encode()).bytes());
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.alert, Alert::UnexpectedMessage);
    // the server already switched to its handshake keys: the alert is protected
    let mut sk = sealer(&p.server_events, 0x1301, "server_application_traffic");
    expect_sealed(&mut p.server, r, Alert::UnexpectedMessage, &mut sk);
}

#[test]
fn server_second_client_hello_that_changes_random_is_illegal_parameter() {
    let (mut p, recs) = hrr_peers();
    let ch2 = p.to_client(&join(&recs));
    let mut ch = client_hello(&join(&ch2));
    ch.random[0] ^= 1;
    let r = p
        .server
        .feed(&Rec::new(HS, HM::ClientHello(ch).encode()).bytes());
    expect_plain(&mut p.server, r, Alert::IllegalParameter);
}

#[test]
fn server_key_share_outside_supported_groups_is_illegal_parameter() {
    let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
    let bytes = modified_hello(&mut p, |ch| {
        set_ext(
            &mut ch.extensions,
            ET::SUPPORTED_GROUPS,
            ExtBody::SupportedGroups(vec![NamedGroup::SECP256R1]),
        )
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::IllegalParameter);
}

#[test]
fn server_duplicate_extension_in_client_hello_is_illegal_parameter() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        let dup = ch.extensions[0].clone();
        ch.extensions.insert(1, dup);
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::IllegalParameter);
}

#[test]
fn server_application_data_before_the_handshake_is_unexpected_message() {
    let mut p = peers(cc12());
    let _ = p.client.take_output();
    let r = p.server.feed(&Rec::new(APP, b"hello".to_vec()).bytes());
    expect_plain(&mut p.server, r, Alert::UnexpectedMessage);
}

#[test]
fn server_huge_client_hello_announcement_is_decode_error() {
    let mut p = peers(cc13());
    let huge = Rec::new(HS, vec![1, 0xff, 0xff, 0xff, 3, 3]).bytes();
    let (r, largest) = largest_allocation(|| p.server.feed(&huge));
    assert!(largest < 64 * 1024, "{largest} bytes allocated");
    expect_plain(&mut p.server, r, Alert::DecodeError);
}

#[test]
fn server_tls13_compression_other_than_null_is_illegal_parameter() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        ch.compression_methods = vec![CompressionMethod::NULL, CompressionMethod(1)]
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::IllegalParameter);
}

#[test]
fn server_tls13_hello_without_signature_algorithms_is_missing_extension() {
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        ch.extensions.retain(|e| e.typ != ET::SIGNATURE_ALGORITHMS)
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::MissingExtension);
}

#[test]
fn server_psk_without_psk_key_exchange_modes_is_missing_extension() {
    let mut p = resuming_peers();
    let bytes = modified_hello(&mut p, |ch| {
        ch.extensions
            .retain(|e| e.typ != ET::PSK_KEY_EXCHANGE_MODES)
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::MissingExtension);
}
