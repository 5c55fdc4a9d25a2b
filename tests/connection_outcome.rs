//! What a connection keeps for after its handshake (`Connection::summary`,
//! `Connection::chain_check`), which commands read instead of the event stream: the same as
//! the `summary` and `verify` events said, for a verified and a refused chain, both versions.

use std::sync::Arc;

use tlsprobe::commands::output::ServerVerifier;
use tlsprobe::event::{Event, Summary};
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::inmem::{self_signed, Pair};
use tlsprobe::pki::trust::TrustStore;
use tlsprobe::wire::codepoints::ProtocolVersion;

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLS13, ProtocolVersion::TLS12];

/// A completed in-memory handshake with a server showing `cert`, whose client trusts
/// `anchor` for "localhost".
fn handshake(version: ProtocolVersion, cert: CertifiedKey, anchor: &[u8]) -> Pair {
    let mut sc = ServerConfig::new(cert);
    sc.versions = vec![version];
    let cc = ClientConfig {
        versions: vec![version],
        sni: Some("localhost".into()),
        verifier: Some(Arc::new(ServerVerifier {
            store: Arc::new(TrustStore::from_der_certs(&[anchor.to_vec()]).unwrap()),
            host: "localhost".into(),
        })),
        ..ClientConfig::default()
    };
    let mut p = Pair::seeded(cc, Arc::new(sc), 7).unwrap();
    p.pump();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert!(p.established());
    p
}

fn summary_event(events: &[Event]) -> Option<&Summary> {
    events.iter().rev().find_map(|e| match e {
        Event::Summary(s) => Some(&**s),
        _ => None,
    })
}

/// The client's kept outcome is what its events said; the server checked no client chain.
fn same_as_events(p: &Pair) {
    let summary = p.client.summary().expect("a summary");
    assert_eq!(Some(summary), summary_event(&p.client_events));
    let chain = p.client.chain_check().expect("a chain check");
    let verify = p.client_events.iter().find_map(|e| match e {
        Event::Verify { ok, errors, detail } => Some((*ok, errors, detail)),
        _ => None,
    });
    assert_eq!(
        Some((chain.ok, &chain.errors, &chain.detail)),
        verify,
        "the chain check differs from the verify event"
    );
    assert!(p.server.summary().is_some());
    assert_eq!(p.server.summary(), summary_event(&p.server_events));
    assert!(p.server.chain_check().is_none());
}

#[test]
fn verified_chain_is_kept() {
    for version in VERSIONS {
        let cert = self_signed("localhost");
        let anchor = cert.chain[0].clone();
        let p = handshake(version, cert, &anchor);
        same_as_events(&p);
        assert_eq!(
            p.client.summary().unwrap().verified,
            Some(true),
            "{version}"
        );
        assert!(p.client.chain_check().unwrap().ok, "{version}");
    }
}

#[test]
fn refused_chain_is_kept_with_its_errors() {
    for version in VERSIONS {
        let unrelated = self_signed("localhost");
        let p = handshake(version, self_signed("localhost"), &unrelated.chain[0]);
        same_as_events(&p);
        assert_eq!(
            p.client.summary().unwrap().verified,
            Some(false),
            "{version}"
        );
        let chain = p.client.chain_check().unwrap();
        assert!(
            !chain.ok && !chain.errors.is_empty(),
            "{version}: {chain:?}"
        );
    }
}

#[test]
fn nothing_is_kept_before_the_handshake() {
    let cert = self_signed("localhost");
    let anchor = cert.chain[0].clone();
    let mut sc = ServerConfig::new(cert);
    sc.versions = vec![ProtocolVersion::TLS13];
    let cc = ClientConfig {
        verifier: Some(Arc::new(ServerVerifier {
            store: Arc::new(TrustStore::from_der_certs(&[anchor]).unwrap()),
            host: "localhost".into(),
        })),
        ..ClientConfig::default()
    };
    let p = Pair::seeded(cc, Arc::new(sc), 7).unwrap();
    assert!(p.client.summary().is_none() && p.client.chain_check().is_none());
    assert!(p.server.summary().is_none() && p.server.chain_check().is_none());
}
