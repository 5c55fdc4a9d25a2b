//! Complete handshakes between our client and our server: TLS 1.3 with data, KeyUpdate both
//! ways and close_notify; the server's own KeyUpdate; resumption by ticket (TLS 1.3) and by
//! ticket or session id (TLS 1.2); a HelloRetryRequest; every TLS 1.2 ECDHE suite and group;
//! client certificates required in both versions.

use std::sync::Arc;

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::config::{ClientAuth, ClientConfig};
use tlsprobe::handshake::Connection;
use tlsprobe::inmem;
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion};
use tlsprobe::wire::suites::CipherSuite;

use crate::{handshake, names, server, summary};

/// `data` arrived (application data, incoming) among `ev`.
fn received(ev: &[Event], data: &[u8]) -> bool {
    ev.iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data: d } if d == data))
}

#[test]
fn tls13_full_handshake_and_data() {
    let sc = Arc::new(server());
    let mut p = handshake(ClientConfig::default(), sc);
    assert!(
        p.client.is_established(),
        "client events: {:#?}",
        p.client_events
    );
    assert!(p.server.is_established());
    let sum = summary(&p.client_events);
    assert_eq!(sum.version, Some(ProtocolVersion::TLS13));
    assert_eq!(sum.cipher_suite, Some(CipherSuite(0x1301)));
    assert_eq!(sum.group, Some(NamedGroup::X25519MLKEM768));
    assert_eq!(
        names(&p.client_events, Dir::In),
        vec![
            "server_hello",
            "encrypted_extensions",
            "certificate",
            "certificate_verify",
            "finished",
            "new_session_ticket",
            "new_session_ticket"
        ]
    );
    p.client.send_data(b"hello").unwrap();
    p.pump();
    assert!(received(&p.server_events, b"hello"));
    // tickets arrived
    assert!(p.client.session().is_some());
    // key update both ways
    p.client.key_update(true).unwrap();
    p.pump();
    p.server.send_data(b"after").unwrap();
    p.pump();
    assert!(received(&p.client_events, b"after"));
    p.client.close();
    p.pump();
    assert!(p.server.peer_closed());
}

/// The server's own KeyUpdate (RFC 8446 §4.6.3): refused before the handshake and on a
/// TLS 1.2 connection; after a TLS 1.3 handshake the client answers update_requested with
/// its KeyUpdate and reads data under the server's new keys.
#[test]
fn server_key_update_only_after_a_tls13_handshake() {
    let sc = Arc::new(server());
    let mut fresh = Connection::server(sc.clone(), seeded_rng(3));
    assert!(fresh.key_update(false).is_err());
    let cc12 = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let mut p12 = handshake(cc12, sc.clone());
    assert!(p12.server.is_established());
    assert!(p12.server.key_update(false).is_err());
    let mut p = handshake(ClientConfig::default(), sc);
    assert!(p.server.is_established());
    p.server.key_update(true).unwrap();
    p.server.send_data(b"after").unwrap();
    p.pump();
    assert_eq!(
        names(&p.client_events, Dir::In).last().unwrap(),
        "key_update"
    );
    assert_eq!(
        names(&p.server_events, Dir::In).last().unwrap(),
        "key_update"
    );
    assert!(received(&p.client_events, b"after"));
    assert!(!p.client.is_failed() && !p.server.is_failed());
}

#[test]
fn tls13_resumption_with_ticket() {
    let sc = Arc::new(server());
    let p = handshake(ClientConfig::default(), sc.clone());
    let sess = p.client.session().expect("ticket");
    let cc = ClientConfig {
        resume: Some(sess),
        ..ClientConfig::default()
    };
    let p2 = handshake(cc, sc);
    assert!(p2.established(), "{:#?}", p2.client_events);
    assert!(summary(&p2.client_events).resumed);
    assert!(summary(&p2.server_events).resumed);
    assert!(!names(&p2.client_events, Dir::In).contains(&"certificate".to_string()));
}

#[test]
fn tls13_hello_retry_request() {
    let mut scfg = server();
    scfg.groups = vec![NamedGroup::SECP384R1];
    let p = handshake(ClientConfig::default(), Arc::new(scfg));
    assert!(p.established(), "{:#?}", p.client_events);
    assert_eq!(names(&p.client_events, Dir::In)[0], "hello_retry_request");
    assert_eq!(summary(&p.client_events).group, Some(NamedGroup::SECP384R1));
}

#[test]
fn tls12_every_suite_and_group() {
    for suite in [0xc02b, 0xc02c, 0xcca9] {
        for group in [
            NamedGroup::X25519,
            NamedGroup::SECP256R1,
            NamedGroup::SECP384R1,
        ] {
            // The P-256 certificate's curve must be offered too (RFC 8422 §5.1); the server
            // is limited to the group under test so that it is the one chosen.
            let mut groups = vec![group];
            if group != NamedGroup::SECP256R1 {
                groups.push(NamedGroup::SECP256R1);
            }
            let cc = ClientConfig {
                versions: vec![ProtocolVersion::TLS12],
                suites: vec![CipherSuite(suite)],
                groups,
                ..ClientConfig::default()
            };
            let mut scfg = server();
            scfg.groups = vec![group];
            let mut p = handshake(cc, Arc::new(scfg));
            assert!(p.established(), "{suite:x} {group}: {:#?}", p.client_events);
            let sum = summary(&p.client_events);
            assert_eq!(sum.version, Some(ProtocolVersion::TLS12));
            assert_eq!(sum.cipher_suite, Some(CipherSuite(suite)));
            assert_eq!(sum.group, Some(group));
            assert_eq!(sum.extended_master_secret, Some(true));
            p.client.send_data(b"ping").unwrap();
            p.pump();
            assert!(received(&p.server_events, b"ping"));
        }
    }
}

#[test]
fn tls12_resumption_by_ticket_and_by_session_id() {
    let sc = Arc::new(server());
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let p = handshake(cc.clone(), sc.clone());
    let sess = p.client.session().unwrap();
    assert!(sess.ticket.is_some());
    let p2 = handshake(
        ClientConfig {
            resume: Some(sess.clone()),
            ..cc.clone()
        },
        sc.clone(),
    );
    assert!(p2.client.is_established(), "{:#?}", p2.client_events);
    assert!(summary(&p2.client_events).resumed);
    // without the ticket: the session id cache
    let mut by_id = sess;
    by_id.ticket = None;
    let p3 = handshake(
        ClientConfig {
            resume: Some(by_id),
            ..cc
        },
        sc,
    );
    assert!(p3.client.is_established(), "{:#?}", p3.client_events);
    assert!(summary(&p3.client_events).resumed);
}

#[test]
fn client_certificate_both_versions() {
    for v in [ProtocolVersion::TLS12, ProtocolVersion::TLS13] {
        let mut scfg = server();
        scfg.client_auth = ClientAuth::Require;
        let sc = Arc::new(scfg);
        let cc = ClientConfig {
            versions: vec![v],
            client_cert: Some(inmem::self_signed("client")),
            ..ClientConfig::default()
        };
        let p = handshake(cc.clone(), sc.clone());
        assert!(p.established(), "{v}: {:#?}", p.server_events);
        assert!(summary(&p.server_events).client_certificate.is_some());
        // The client's summary names the certificate it sent, as the server's does.
        let sent = summary(&p.client_events).client_certificate.clone();
        assert_eq!(sent, summary(&p.server_events).client_certificate, "{v}");
        // without a certificate the server refuses
        let p = handshake(
            ClientConfig {
                client_cert: None,
                ..cc
            },
            sc,
        );
        assert!(!p.server.is_established());
        let want = if v == ProtocolVersion::TLS13 {
            Alert::CertificateRequired
        } else {
            Alert::HandshakeFailure
        };
        assert!(
            p.server_events.iter().any(|e| matches!(e, Event::Alert { dir: Dir::Out, description, .. } if *description == want)),
            "{:#?}",
            p.server_events
        );
    }
}
