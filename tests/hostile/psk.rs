//! External PSKs (RFC 8446 §4.2.11, RFC 4279) in memory: the handshakes that must work, in
//! both TLS 1.3 modes and with the TLS 1.2 PSK families, and the exact alert for a binder
//! that does not verify, a wrong key, and an identity the server does not know.

use tlsprobe::error::{Alert, TlsError};
use tlsprobe::event::{Event, Summary};
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig};
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
    pair12_keyed(suite, client, server, None)
}

/// As `pair12`, the server's certificate and key replaced by `cert` when given.
fn pair12_keyed(
    suite: u16,
    client: ExternalPsk,
    server: ExternalPsk,
    cert: Option<CertifiedKey>,
) -> Pair {
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(suite)],
        psk: Some(client),
        ..cc12()
    };
    peers_with(cc, |s| {
        if let Some(c) = cert {
            s.cert = c;
        }
        s.psk = Some(server);
        s.suites.push(CipherSuite(suite));
    })
}

/// The server's answer to the client's second flight (ClientKeyExchange .. Finished).
fn server_reads_client_flight(p: &mut Pair) -> Result<(), TlsError> {
    let recs = p.first_flight();
    let out = p
        .deliver(tlsprobe::inmem::Side::Client, &join(&recs))
        .unwrap();
    p.server.feed(&out)
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
    let r = server_reads_client_flight(&mut p);
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
    let r = server_reads_client_flight(&mut p);
    // The client's Finished is sealed with keys from another pre-master secret.
    assert_eq!(r.unwrap_err().alert, Alert::BadRecordMac);
}

/// RSA-PSK (RFC 4279 §4): as `pair12`, the server with an RSA key.
fn pair_rsa_psk(suite: u16, client: ExternalPsk, server: ExternalPsk) -> Pair {
    pair12_keyed(suite, client, server, Some(rsa_key()))
}

#[test]
fn tls12_rsa_psk_suites_complete_with_the_certificate() {
    // AES-GCM (RFC 5487), ChaCha20 (RFC 7905), AES-CBC with SHA-256/384 (RFC 5487) and SHA-1
    // (RFC 4279).
    for suite in [0x00ac, 0x00ad, 0xccae, 0x00b6, 0x00b7, 0x0094, 0x0095] {
        let mut p = pair_rsa_psk(
            suite,
            psk("id", KEY, Mode::PSK_DHE_KE),
            psk("id", KEY, Mode::PSK_DHE_KE),
        );
        p.complete();
        p.collect_events();
        for events in [&p.client_events, &p.server_events] {
            let s = summary(events);
            assert_eq!(s.cipher_suite, Some(CipherSuite(suite)), "{suite:04x}");
            assert_eq!(
                s.psk.map(|u| u.kind),
                Some(PskKind::External),
                "{suite:04x}"
            );
            // Nothing is signed: the certificate's key decrypts the pre-master secret.
            assert!(s.signature_scheme.is_none(), "{suite:04x}");
        }
        let names: Vec<String> = p
            .client_events
            .iter()
            .filter_map(|e| match e {
                Event::Handshake { msg, .. } => Some(msg.name()),
                _ => None,
            })
            .collect();
        for name in ["certificate", "server_hello_done", "client_key_exchange"] {
            assert!(names.iter().any(|n| n == name), "{suite:04x}: {names:?}");
        }
        let skx = names.iter().any(|n| n == "server_key_exchange");
        assert!(!skx, "{suite:04x}: {names:?}");
    }
}

#[test]
fn tls12_rsa_psk_wrong_key_is_bad_record_mac() {
    let mut p = pair_rsa_psk(
        0x00ac,
        psk("id", &[1; 32], Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let r = server_reads_client_flight(&mut p);
    assert_eq!(r.unwrap_err().alert, Alert::BadRecordMac);
}

#[test]
fn tls12_rsa_psk_unknown_identity_is_unknown_psk_identity() {
    let mut p = pair_rsa_psk(
        0x00ad,
        psk("who", KEY, Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let r = server_reads_client_flight(&mut p);
    assert_eq!(r.unwrap_err().alert, Alert::UnknownPskIdentity);
}

#[test]
fn tls12_rsa_psk_is_not_chosen_with_only_an_ecdsa_key() {
    // RFC 4279 §4: the server needs an RSA certificate; with only ECDSA nothing fits.
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x00ac)],
        psk: Some(psk("id", KEY, Mode::PSK_DHE_KE)),
        ..cc12()
    };
    let mut p = peers_with(cc, |s| {
        s.psk = Some(psk("id", KEY, Mode::PSK_DHE_KE));
        s.suites.push(CipherSuite(0x00ac));
    });
    let out = p.client.take_output();
    let r = p.server.feed(&out);
    expect_plain(&mut p.server, r, Alert::HandshakeFailure);
}

#[test]
fn tls12_rsa_psk_bad_encrypted_premaster_fails_only_at_finished() {
    // RFC 5246 §7.4.7.1 (RFC 4279 §4): a ciphertext that does not decrypt is not answered at
    // once (no Bleichenbacher oracle); the server goes on with random bytes, and the client's
    // Finished then fails as for any wrong key.
    let mut p = pair_rsa_psk(
        0x00ac,
        psk("id", KEY, Mode::PSK_DHE_KE),
        psk("id", KEY, Mode::PSK_DHE_KE),
    );
    let recs = p.first_flight();
    let mut out = p
        .deliver(tlsprobe::inmem::Side::Client, &join(&recs))
        .unwrap();
    // The first record is the ClientKeyExchange: its last byte is the ciphertext's.
    assert_eq!(out[0], 22);
    let len = u16::from_be_bytes([out[3], out[4]]) as usize;
    assert_eq!(out[5], 16, "a ClientKeyExchange");
    out[5 + len - 1] ^= 1;
    let r = p.server.feed(&out);
    assert_eq!(r.unwrap_err().alert, Alert::BadRecordMac);
}
