//! In-memory client/server handshakes: both state machines driven against each other.

use std::sync::Arc;

use super::config::{CertifiedKey, ClientAuth, ClientConfig, ServerConfig};
use super::Connection;
use crate::crypto::rng::seeded_rng;
use crate::crypto::sign::SigningKey;
use crate::event::{Dir, Event};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::suites::CipherSuite;

pub fn self_signed(name: &str) -> CertifiedKey {
    let ck = rcgen::generate_simple_self_signed(vec![name.to_string()]).unwrap();
    let key = SigningKey::from_pem(&ck.key_pair.serialize_pem()).unwrap();
    CertifiedKey {
        chain: vec![ck.cert.der().to_vec()],
        key: Arc::new(key),
    }
}

pub struct Run {
    pub client: Vec<Event>,
    pub server: Vec<Event>,
}

/// Pumps bytes both ways until neither side has anything to say (bounded).
pub fn pump(c: &mut Connection, s: &mut Connection, run: &mut Run) {
    for _ in 0..50 {
        let a = c.take_output();
        let b = s.take_output();
        if a.is_empty() && b.is_empty() {
            break;
        }
        if !a.is_empty() {
            let _ = s.feed(&a);
        }
        if !b.is_empty() {
            let _ = c.feed(&b);
        }
        while let Some(e) = c.next_event() {
            run.client.push(e);
        }
        while let Some(e) = s.next_event() {
            run.server.push(e);
        }
    }
}

pub fn handshake(cc: ClientConfig, sc: Arc<ServerConfig>) -> (Connection, Connection, Run) {
    let mut c = Connection::client(cc, seeded_rng(1)).unwrap();
    let mut s = Connection::server(sc, seeded_rng(2));
    let mut run = Run {
        client: vec![],
        server: vec![],
    };
    pump(&mut c, &mut s, &mut run);
    (c, s, run)
}

fn summary(ev: &[Event]) -> crate::event::Summary {
    ev.iter()
        .rev()
        .find_map(|e| match e {
            Event::Summary(s) => Some((**s).clone()),
            _ => None,
        })
        .expect("a summary")
}

fn names(ev: &[Event], dir: Dir) -> Vec<String> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Handshake { dir: d, msg, .. } if *d == dir => Some(msg.name()),
            _ => None,
        })
        .collect()
}

fn server(key_name: &str) -> ServerConfig {
    let _ = key_name;
    ServerConfig::new(self_signed("localhost"))
}

#[test]
fn tls13_full_handshake_and_data() {
    let sc = Arc::new(server("p256"));
    let (mut c, mut s, mut run) = handshake(ClientConfig::default(), sc);
    assert!(c.is_established(), "client events: {:#?}", run.client);
    assert!(s.is_established());
    let sum = summary(&run.client);
    assert_eq!(sum.version, Some(ProtocolVersion::TLS13));
    assert_eq!(sum.cipher_suite, Some(CipherSuite(0x1301)));
    assert_eq!(sum.group, Some(NamedGroup::X25519));
    assert_eq!(
        names(&run.client, Dir::In),
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
    c.send_data(b"hello").unwrap();
    pump(&mut c, &mut s, &mut run);
    assert!(run
        .server
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"hello")));
    // tickets arrived
    assert!(c.session().is_some());
    // key update both ways
    c.key_update(true).unwrap();
    pump(&mut c, &mut s, &mut run);
    s.send_data(b"after").unwrap();
    pump(&mut c, &mut s, &mut run);
    assert!(run
        .client
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"after")));
    c.close();
    pump(&mut c, &mut s, &mut run);
    assert!(s.peer_closed());
}

#[test]
fn tls13_resumption_with_ticket() {
    let sc = Arc::new(server("p256"));
    let (c, _s, _run) = handshake(ClientConfig::default(), sc.clone());
    let sess = c.session().expect("ticket");
    let cc = ClientConfig {
        resume: Some(sess),
        ..ClientConfig::default()
    };
    let (c2, s2, run) = handshake(cc, sc);
    assert!(
        c2.is_established() && s2.is_established(),
        "{:#?}",
        run.client
    );
    assert!(summary(&run.client).resumed);
    assert!(summary(&run.server).resumed);
    assert!(!names(&run.client, Dir::In).contains(&"certificate".to_string()));
}

#[test]
fn tls13_hello_retry_request() {
    let mut scfg = server("p256");
    scfg.groups = vec![NamedGroup::SECP384R1];
    let (c, s, run) = handshake(ClientConfig::default(), Arc::new(scfg));
    assert!(
        c.is_established() && s.is_established(),
        "{:#?}",
        run.client
    );
    assert_eq!(names(&run.client, Dir::In)[0], "hello_retry_request");
    assert_eq!(summary(&run.client).group, Some(NamedGroup::SECP384R1));
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
            let mut scfg = server("p256");
            scfg.groups = vec![group];
            let (mut c, mut s, mut run) = handshake(cc, Arc::new(scfg));
            assert!(
                c.is_established() && s.is_established(),
                "{suite:x} {group}: {:#?}",
                run.client
            );
            let sum = summary(&run.client);
            assert_eq!(sum.version, Some(ProtocolVersion::TLS12));
            assert_eq!(sum.cipher_suite, Some(CipherSuite(suite)));
            assert_eq!(sum.group, Some(group));
            assert_eq!(sum.extended_master_secret, Some(true));
            c.send_data(b"ping").unwrap();
            pump(&mut c, &mut s, &mut run);
            assert!(run
                .server
                .iter()
                .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"ping")));
        }
    }
}

#[test]
fn tls12_resumption_by_ticket_and_by_session_id() {
    let sc = Arc::new(server("p256"));
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let (c, _s, _run) = handshake(cc.clone(), sc.clone());
    let sess = c.session().unwrap();
    assert!(sess.ticket.is_some());
    let (c2, _s2, run) = handshake(
        ClientConfig {
            resume: Some(sess.clone()),
            ..cc.clone()
        },
        sc.clone(),
    );
    assert!(c2.is_established(), "{:#?}", run.client);
    assert!(summary(&run.client).resumed);
    // without the ticket: the session id cache
    let mut by_id = sess;
    by_id.ticket = None;
    let (c3, _s3, run) = handshake(
        ClientConfig {
            resume: Some(by_id),
            ..cc
        },
        sc,
    );
    assert!(c3.is_established(), "{:#?}", run.client);
    assert!(summary(&run.client).resumed);
}

#[test]
fn client_certificate_both_versions() {
    for v in [ProtocolVersion::TLS12, ProtocolVersion::TLS13] {
        let mut scfg = server("p256");
        scfg.client_auth = ClientAuth::Require;
        let sc = Arc::new(scfg);
        let cc = ClientConfig {
            versions: vec![v],
            client_cert: Some(self_signed("client")),
            ..ClientConfig::default()
        };
        let (c, s, run) = handshake(cc.clone(), sc.clone());
        assert!(
            c.is_established() && s.is_established(),
            "{v}: {:#?}",
            run.server
        );
        assert!(summary(&run.server).client_certificate.is_some());
        // without a certificate the server refuses
        let (_c, s, run) = handshake(
            ClientConfig {
                client_cert: None,
                ..cc
            },
            sc,
        );
        assert!(!s.is_established());
        let want = if v == ProtocolVersion::TLS13 {
            crate::error::Alert::CertificateRequired
        } else {
            crate::error::Alert::HandshakeFailure
        };
        assert!(run.server.iter().any(|e| matches!(e, Event::Alert { dir: Dir::Out, description, .. } if *description == want)), "{:#?}", run.server);
    }
}
