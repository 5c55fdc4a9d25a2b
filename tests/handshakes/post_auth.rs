//! TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2) between our client and
//! our server: the server's CertificateRequest after the handshake, answered with a
//! certificate or an empty one, twice on one connection, across a KeyUpdate; a client that
//! did not offer post_handshake_auth is never asked; TLS 1.2 has none.

use std::sync::Arc;

use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event, Info, Warning};
use tlsprobe::handshake::config::{ClientAuth, ClientConfig, ServerConfig};
use tlsprobe::inmem::{self, Pair};
use tlsprobe::wire::codepoints::{ExtensionType, ProtocolVersion};
use tlsprobe::wire::handshake::HandshakeMessage as HM;

use super::{alert_sent, handshake, names, server};

fn pha_server(required: bool) -> Arc<ServerConfig> {
    let mut sc = server();
    sc.client_auth = ClientAuth::PostHandshake { required };
    Arc::new(sc)
}

fn pha_client(with_cert: bool) -> ClientConfig {
    ClientConfig {
        versions: vec![ProtocolVersion::TLS13],
        post_handshake_auth: true,
        client_cert: with_cert.then(|| inmem::self_signed("localhost")),
        ..ClientConfig::default()
    }
}

/// The `PostHandshakeAuth` infos the server reported.
fn results(p: &Pair) -> Vec<Option<String>> {
    p.server_events
        .iter()
        .filter_map(|e| match e {
            Event::Info(Info::PostHandshakeAuth {
                client_certificate, ..
            }) => Some(client_certificate.clone()),
            _ => None,
        })
        .collect()
}

/// Whether the ClientHello we sent offered post_handshake_auth.
fn offered_pha(ev: &[Event]) -> bool {
    ev.iter().any(|e| match e {
        Event::Handshake {
            dir: Dir::Out, msg, ..
        } => match &**msg {
            HM::ClientHello(ch) => ch
                .extensions
                .iter()
                .any(|x| x.typ == ExtensionType::POST_HANDSHAKE_AUTH),
            _ => false,
        },
        _ => false,
    })
}

/// The handshake messages of `dir` after the `skip` first ones.
fn after(ev: &[Event], dir: Dir, skip: usize) -> Vec<String> {
    names(ev, dir).into_iter().skip(skip).collect()
}

#[test]
fn certificate_after_the_handshake() {
    let mut p = handshake(pha_client(true), pha_server(false));
    assert!(p.established());
    assert!(offered_pha(&p.client_events));
    // The server sees no certificate yet, and nothing was asked in the handshake.
    assert_eq!(p.server.summary().unwrap().client_certificate, None);
    assert!(!names(&p.client_events, Dir::In).contains(&"certificate_request".to_string()));
    let client_sent = names(&p.client_events, Dir::Out).len();
    assert!(p.server.request_client_certificate());
    assert!(p.server.post_handshake_auth_pending());
    p.pump();
    assert!(!p.server.post_handshake_auth_pending());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(
        after(&p.client_events, Dir::Out, client_sent),
        ["certificate", "certificate_verify", "finished"]
    );
    // The Summary the connection keeps now names the client's certificate.
    let cert = p.server.summary().unwrap().client_certificate.clone();
    let subject = cert.as_ref().map(|c| c.subject.clone());
    assert!(subject.as_deref().is_some_and(|s| s.starts_with("CN=")));
    assert!(cert.is_some_and(|c| !c.key.is_empty()));
    assert_eq!(results(&p), [subject]);
    // The connection goes on: data both ways.
    p.client.send_data(b"ping").unwrap();
    p.server.send_data(b"pong").unwrap();
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    // A second request starts again from the handshake's transcript (RFC 8446 §4.4).
    assert!(p.server.request_client_certificate());
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(results(&p).len(), 2);
}

#[test]
fn the_certificate_echoes_the_request_context() {
    let mut p = handshake(pha_client(true), pha_server(false));
    assert!(p.server.request_client_certificate());
    p.pump();
    let contexts: Vec<Vec<u8>> = p
        .client_events
        .iter()
        .filter_map(|e| match e {
            Event::Handshake { msg, .. } => match &**msg {
                HM::CertificateRequest13(r) => Some(r.context.clone()),
                HM::Certificate(c) => c.context.clone(),
                _ => None,
            },
            _ => None,
        })
        .collect();
    // The server's Certificate (empty context), the request, our answer echoing it.
    assert_eq!(contexts.len(), 3, "{contexts:?}");
    assert!(contexts[0].is_empty());
    assert_eq!(contexts[1].len(), 8);
    assert_eq!(contexts[1], contexts[2]);
}

#[test]
fn an_empty_certificate_is_accepted_unless_required() {
    let mut p = handshake(pha_client(false), pha_server(false));
    let client_sent = names(&p.client_events, Dir::Out).len();
    assert!(p.server.request_client_certificate());
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(
        after(&p.client_events, Dir::Out, client_sent),
        ["certificate", "finished"]
    );
    assert_eq!(results(&p), [None]);

    // RFC 8446 §4.4.2.4: a server that requires one ends the connection.
    let mut p = handshake(pha_client(false), pha_server(true));
    assert!(p.server.request_client_certificate());
    p.pump();
    assert_eq!(
        alert_sent(&p.server_events),
        Some(Alert::CertificateRequired)
    );
    assert!(p.server.is_failed());
    assert!(results(&p).is_empty());
}

#[test]
fn a_key_update_while_the_request_is_pending() {
    let mut p = handshake(pha_client(true), pha_server(false));
    assert!(p.server.request_client_certificate());
    let request = p.take(inmem::Side::Server);
    // The client updates its keys (and asks the server to) before it sees the request: its
    // Finished then uses client_application_traffic_secret_1 (RFC 8446 §4.4).
    p.client.key_update(true).unwrap();
    let update = p.take(inmem::Side::Client);
    let answer = p.deliver(inmem::Side::Client, &request).unwrap();
    p.deliver(inmem::Side::Server, &update).unwrap();
    p.deliver(inmem::Side::Server, &answer).unwrap();
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(results(&p).len(), 1);
    assert!(results(&p)[0].is_some());
}

#[test]
fn no_request_to_a_client_that_did_not_offer_it() {
    let cc = ClientConfig {
        post_handshake_auth: false,
        ..pha_client(true)
    };
    let mut p = handshake(cc, pha_server(false));
    assert!(!p.server.request_client_certificate());
    assert!(!p.server.has_output());
    p.collect_events();
    assert!(p.server_events.iter().any(|e| matches!(
        e,
        Event::Warning(Warning::PostHandshakeAuthUnavailable { tls13: true })
    )));
}

#[test]
fn no_post_handshake_authentication_in_tls12() {
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..pha_client(true)
    };
    let mut p = handshake(cc, pha_server(false));
    assert!(p.established());
    // post_handshake_auth is a TLS 1.3 extension: not even in the hello of a TLS 1.2 client.
    assert!(!offered_pha(&p.client_events));
    assert!(!p.server.request_client_certificate());
    p.collect_events();
    assert!(p.server_events.iter().any(|e| matches!(
        e,
        Event::Warning(Warning::PostHandshakeAuthUnavailable { tls13: false })
    )));
    // TLS 1.2: nothing was asked in the handshake either.
    assert_eq!(p.server.summary().unwrap().client_certificate, None);
}

/// The revealed value of key event `label` among `ev`, the last one.
fn key_value(ev: &[Event], label: &str) -> Vec<u8> {
    ev.iter()
        .rev()
        .find_map(|e| match e {
            Event::Keys(k) if k.label == label => k.secret.clone(),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {label}"))
}

/// With secrets revealed (`--hex`, `--keylog`), both sides report how the post-handshake
/// Finished is computed (RFC 8446 §4.4), and the verify_data they report is the one sent.
#[test]
fn the_post_handshake_finished_computation_is_reported() {
    let cc = ClientConfig {
        reveal_secrets: true,
        ..pha_client(true)
    };
    let mut sc = (*pha_server(false)).clone();
    sc.reveal_secrets = true;
    let mut p = handshake(cc, Arc::new(sc));
    assert!(p.server.request_client_certificate());
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let sent = p
        .client_events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Handshake {
                dir: Dir::Out, msg, ..
            } => match &**msg {
                HM::Finished(vd) => Some(vd.clone()),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    let label = "client post-handshake Finished verify_data";
    assert_eq!(key_value(&p.client_events, label), sent);
    assert_eq!(key_value(&p.server_events, label), sent);
    let fk = "client post-handshake finished_key";
    assert_eq!(
        key_value(&p.client_events, fk),
        key_value(&p.server_events, fk)
    );
    assert_ne!(key_value(&p.client_events, fk), sent);
}
