//! Finite-field DHE (RFC 5246 §7.4.3, RFC 7919): the client's checks of the server's
//! parameters, on a real server flight whose ServerKeyExchange is replaced by one with the
//! values under test, signed with the server's key; and the server's choice of group.

use std::sync::Arc;

use tlsprobe::crypto::dh::{group_bytes, DhKey};
use tlsprobe::crypto::dh_groups::KNOWN;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::{Alert, TlsError};
use tlsprobe::event::{CheckKind, Event, Warning};
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codec::Writer;
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use tlsprobe::wire::handshake::{HandshakeMessage as HM, ServerKeyExchange};
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::{client_hello, join, parse, server_hello, Rec, HS};
use crate::{handshake, rsa_server};

/// The client's checks of the server's DHE parameters, on a real server flight whose
/// ServerKeyExchange is replaced by one with the given values, signed with the server's key.
fn dhe_client_facing(
    p: &[u8],
    g: &[u8],
    ys: &[u8],
    allow_weak: bool,
) -> (Result<(), TlsError>, Vec<Event>) {
    let sc = rsa_server();
    let key = sc.cert.key.clone();
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x009e)],
        allow_weak_dh: allow_weak,
        ..ClientConfig::default()
    };
    let mut pair = Pair::seeded(cc, Arc::new(sc), 1).unwrap();
    let hello = pair.take(Side::Client);
    let mut recs = parse(&pair.deliver(Side::Server, &hello).unwrap());
    let mut w = Writer::new();
    w.vec16(p).vec16(g).vec16(ys);
    let params = w.into_bytes();
    let mut signed = client_hello(&hello).random.to_vec();
    signed.extend_from_slice(&server_hello(&recs[0]).random);
    signed.extend_from_slice(&params);
    let scheme = SignatureScheme::RSA_PSS_RSAE_SHA256;
    let signature = key.sign(scheme, &signed, &mut seeded_rng(3)).unwrap();
    let skx = HM::ServerKeyExchange(ServerKeyExchange::Dhe {
        p: p.to_vec(),
        g: g.to_vec(),
        ys: ys.to_vec(),
        params,
        scheme: Some(scheme),
        signature,
    });
    for r in recs.iter_mut().filter(|r| r.hs_type() == Some(12)) {
        *r = Rec::new(HS, skx.encode());
    }
    let res = pair.client.feed(&join(&recs));
    pair.collect_events();
    (res, pair.client_events)
}

#[test]
fn dhe_parameter_checks_on_the_wire() {
    let by_name = |n: &str| KNOWN.iter().find(|k| k.name == n).unwrap();
    let (p, g) = group_bytes(by_name("ffdhe2048"));
    let y = DhKey::generate(&p, &g, &mut seeded_rng(9))
        .unwrap()
        .public_key();
    // Control: genuine values pass the checks (the handshake then goes on).
    let (r, ev) = dhe_client_facing(&p, &g, &y, false);
    r.unwrap();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Handshake { checks, .. }
        if checks.iter().any(|c| c.ok && matches!(&c.kind,
            CheckKind::DhParams(i) if i.known == Some("RFC 7919 ffdhe2048"))))));
    // Ys = 1 and Ys = p - 1: illegal_parameter.
    let mut pm1 = p.clone();
    *pm1.last_mut().unwrap() -= 1;
    for bad in [vec![1u8], pm1] {
        let (r, _) = dhe_client_facing(&p, &g, &bad, false);
        assert_eq!(r.unwrap_err().alert, Alert::IllegalParameter);
    }
    // A tiny prime: insufficient_security, even with -k.
    for weak in [false, true] {
        let (r, _) = dhe_client_facing(&[0x17], &[5], &[7], weak);
        assert_eq!(r.unwrap_err().alert, Alert::InsufficientSecurity);
    }
    // 768 bits: refused without -k, accepted and flagged with it.
    let (p768, g768) = group_bytes(by_name("rfc2409_group1"));
    let y768 = DhKey::generate(&p768, &g768, &mut seeded_rng(9))
        .unwrap()
        .public_key();
    let (r, _) = dhe_client_facing(&p768, &g768, &y768, false);
    assert_eq!(r.unwrap_err().alert, Alert::InsufficientSecurity);
    let (r, ev) = dhe_client_facing(&p768, &g768, &y768, true);
    r.unwrap();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Warning(Warning::WeakDhGroup { bits: 768 }))));
    // 1024 bits: flagged weak (a failed check and a warning), not refused.
    let (p1024, g1024) = group_bytes(by_name("rfc2409_group2"));
    let y1024 = DhKey::generate(&p1024, &g1024, &mut seeded_rng(9))
        .unwrap()
        .public_key();
    let (r, ev) = dhe_client_facing(&p1024, &g1024, &y1024, false);
    r.unwrap();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Warning(Warning::WeakDhGroup { bits: 1024 }))));
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Handshake { checks, .. }
        if checks.iter().any(|c| !c.ok && matches!(&c.kind,
            CheckKind::DhParams(i) if i.bits == 1024)))));
}

/// listen offers ffdhe3072 when configured and the client lists it (RFC 7919 §4).
#[test]
fn dhe_server_group_choice() {
    let mut sc = rsa_server();
    sc.dhe_groups = vec![NamedGroup::FFDHE3072, NamedGroup::FFDHE2048];
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x0033)],
        ..ClientConfig::default()
    };
    let p = handshake(cc, Arc::new(sc));
    assert!(p.client.is_established(), "{:#?}", p.client_events);
    assert!(p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::Handshake { checks, .. }
        if checks.iter().any(|c| matches!(&c.kind,
            CheckKind::DhParams(i) if i.bits == 3072)))));
}
