//! Several server certificates (`ServerConfig::alt_certs`): the first that suits the client's
//! signature algorithms and suite serves it (RFC 8446 §4.4.2.2, RFC 5246 §7.4.2).

use std::sync::Arc;

use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::config::{default_sigalgs, CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::inmem;
use tlsprobe::wire::codepoints::{ProtocolVersion, SignatureScheme as S};
use tlsprobe::wire::handshake::HandshakeMessage;
use tlsprobe::wire::suites::CipherSuite;

use crate::{handshake, rsa_server, summary};

/// The Certificate message the client received (the leaf's DER).
fn leaf_received(ev: &[Event]) -> Vec<u8> {
    ev.iter()
        .find_map(|e| match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => match &**msg {
                HandshakeMessage::Certificate(c) => Some(c.entries[0].der.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("a Certificate")
}

/// (version, the one client suite or the defaults, client sigalgs, expected certificate,
/// expected signature scheme)
type Case<'a> = (
    ProtocolVersion,
    Option<u16>,
    Vec<S>,
    &'a CertifiedKey,
    Option<S>,
);

#[test]
fn second_certificate_serves_clients_the_first_does_not_suit() {
    let ecdsa = inmem::self_signed("localhost");
    let rsa = rsa_server().cert;
    let mut sc = ServerConfig::new(ecdsa.clone());
    sc.alt_certs = vec![rsa.clone()];
    let sc = Arc::new(sc);
    let rsa_pss = vec![S::RSA_PSS_RSAE_SHA256];
    let ecdsa_only = vec![S::ECDSA_SECP256R1_SHA256];
    let cases: Vec<Case> = vec![
        (
            ProtocolVersion::TLS13,
            None,
            rsa_pss.clone(),
            &rsa,
            Some(S::RSA_PSS_RSAE_SHA256),
        ),
        (
            ProtocolVersion::TLS13,
            None,
            ecdsa_only.clone(),
            &ecdsa,
            Some(S::ECDSA_SECP256R1_SHA256),
        ),
        // Both acceptable: the first (preferred) certificate.
        (
            ProtocolVersion::TLS13,
            None,
            default_sigalgs(),
            &ecdsa,
            Some(S::ECDSA_SECP256R1_SHA256),
        ),
        (
            ProtocolVersion::TLS12,
            None,
            rsa_pss.clone(),
            &rsa,
            Some(S::RSA_PSS_RSAE_SHA256),
        ),
        (
            ProtocolVersion::TLS12,
            Some(0xc02f),
            default_sigalgs(),
            &rsa,
            Some(S::RSA_PSS_RSAE_SHA256),
        ),
        (
            ProtocolVersion::TLS12,
            None,
            ecdsa_only,
            &ecdsa,
            Some(S::ECDSA_SECP256R1_SHA256),
        ),
        // RSA key transport only: the RSA certificate decrypts the pre-master secret.
        (ProtocolVersion::TLS12, Some(0x009c), rsa_pss, &rsa, None),
    ];
    for (version, suite, sigalgs, want, scheme) in cases {
        let mut cc = ClientConfig {
            versions: vec![version],
            sigalgs: sigalgs.clone(),
            ..ClientConfig::default()
        };
        if let Some(s) = suite {
            cc.suites = vec![CipherSuite(s)];
        }
        let what = format!("{version} suite {suite:?} sigalgs {sigalgs:?}");
        let p = handshake(cc, sc.clone());
        assert!(p.established(), "{what}: {:#?}", p.client_events);
        assert_eq!(leaf_received(&p.client_events), want.chain[0], "{what}");
        assert_eq!(summary(&p.client_events).signature_scheme, scheme, "{what}");
    }
}
