//! External PSKs (RFC 8446 §4.2.11, RFC 4279) in memory: the handshakes that must work, in
//! both TLS 1.3 modes and with the TLS 1.2 PSK families, and the exact alert for a binder
//! that does not verify, a wrong key, and an identity the server does not know.

use tlsprobe::error::Alert;
use tlsprobe::event::{Event, Summary};
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::handshake::psk::{ExternalPsk, PskKind};
use tlsprobe::wire::codepoints::{ProtocolVersion, PskKeyExchangeMode as Mode};
use tlsprobe::wire::suites::CipherSuite;

use tlsprobe::inmem::Pair;

use crate::common::scripted::*;

const KEY: &[u8] = &[0x1a; 32];

fn psk(identity: &str, key: &[u8], mode: Mode) -> ExternalPsk {
    ExternalPsk::new(identity.as_bytes().to_vec(), key.to_vec(), mode)
}

/// A TLS 1.3 client offering `client` and a server that knows `server`.
fn pair13(client: ExternalPsk, server: ExternalPsk) -> Pair {
    let cc = ClientConfig {
        psk: Some(client),
        ..cc13()
    };
    peers_with(cc, |s| s.psk = Some(server))
}

fn summary(events: &[Event]) -> Summary {
    events
        .iter()
        .find_map(|e| match e {
            Event::Summary(s) => Some((**s).clone()),
            _ => None,
        })
        .expect("a summary")
}

#[test]
fn external_psk13_both_modes_complete_without_certificates() {
    for mode in [Mode::PSK_DHE_KE, Mode::PSK_KE] {
        let mut p = pair13(psk("id", KEY, mode), psk("id", KEY, Mode::PSK_DHE_KE));
        p.complete();
        p.collect_events();
        for events in [&p.client_events, &p.server_events] {
            let s = summary(events);
            let u = s.psk.expect("a PSK in use");
            assert_eq!(
                (u.kind, u.mode, u.identity.as_deref()),
                (PskKind::External, Some(mode), Some("id"))
            );
            assert!(!s.resumed && s.signature_scheme.is_none());
            // RFC 8446 §4.2.9: psk_ke has no (EC)DHE group.
            assert_eq!(s.group.is_none(), mode == Mode::PSK_KE, "{mode}");
        }
        let certificate =
            |e: &Event| matches!(e, Event::Handshake { msg, .. } if msg.name() == "Certificate");
        assert!(!p.client_events.iter().any(certificate));
    }
}

#[test]
fn external_psk13_binder_that_does_not_verify_is_decrypt_error() {
    let mut p = pair13(
        psk("id", KEY, Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let mut bytes = p.client.take_output();
    let n = bytes.len();
    bytes[n - 1] ^= 1; // the binder is the last thing in the ClientHello
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::DecryptError);
}

#[test]
fn external_psk13_wrong_key_is_decrypt_error() {
    let mut p = pair13(
        psk("id", &[1; 32], Mode::PSK_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let bytes = p.client.take_output();
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::DecryptError);
}

#[test]
fn external_psk13_unknown_identity_gets_a_full_handshake() {
    let mut p = pair13(
        psk("who", KEY, Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    p.complete();
    p.collect_events();
    let s = summary(&p.client_events);
    assert!(s.psk.is_none() && s.signature_scheme.is_some(), "{s:?}");
}

/// A TLS 1.2 client offering only `suite` with `client`, a server knowing `server`.
fn pair12(suite: u16, client: ExternalPsk, server: ExternalPsk) -> Pair {
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(suite)],
        psk: Some(client),
        ..cc12()
    };
    peers_with(cc, |s| {
        s.psk = Some(server);
        s.suites.push(CipherSuite(suite));
    })
}

#[test]
fn tls12_psk_families_complete() {
    // PSK, DHE-PSK, ECDHE-PSK with AES-GCM, ChaCha20 and AES-CBC.
    // The last six: the CCM and CCM-8 PSK suites (RFC 6655, RFC 8442).
    for suite in [
        0x00a8, 0x00ab, 0xccac, 0xccad, 0xc037, 0x008d, 0xd001, 0xc0a4, 0xc0a7, 0xc0a8, 0xc0ab,
        0xd003, 0xd005,
    ] {
        let mut p = pair12(
            suite,
            psk("id", KEY, Mode::PSK_DHE_KE),
            psk("id", KEY, Mode::PSK_DHE_KE),
        );
        p.complete();
        p.collect_events();
        let s = summary(&p.server_events);
        assert_eq!(s.cipher_suite, Some(CipherSuite(suite)));
        assert_eq!(
            s.psk.map(|u| u.kind),
            Some(PskKind::External),
            "{suite:04x}"
        );
    }
}

#[test]
fn tls12_psk_unknown_identity_is_unknown_psk_identity() {
    let mut p = pair12(
        0x00a8,
        psk("who", KEY, Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let recs = p.first_flight();
    let out = p
        .deliver(tlsprobe::inmem::Side::Client, &join(&recs))
        .unwrap();
    let r = p.server.feed(&out);
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.alert, Alert::UnknownPskIdentity, "{e}");
}

#[test]
fn tls12_psk_wrong_key_is_bad_record_mac() {
    let mut p = pair12(
        0x00a8,
        psk("id", &[1; 32], Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let recs = p.first_flight();
    let out = p
        .deliver(tlsprobe::inmem::Side::Client, &join(&recs))
        .unwrap();
    let r = p.server.feed(&out);
    // The client's Finished is sealed with keys from another pre-master secret.
    assert_eq!(r.unwrap_err().alert, Alert::BadRecordMac);
}
