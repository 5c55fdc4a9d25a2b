//! One complete in-memory handshake per key exchange (TLS 1.2 ECDHE per group, RSA key
//! transport; TLS 1.3 per group), client and server both ours, through `tlsprobe::inmem`.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::event::Event;
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::inmem::{self, Pair};
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion};
use tlsprobe::wire::suites::CipherSuite;

/// A self-signed certificate for localhost: P-256, or RSA 2048 from a seeded generator.
fn cert(rsa: bool) -> CertifiedKey {
    if rsa {
        let mut rng = seeded_rng(9);
        let k = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
        let pem = k.to_pkcs8_pem(LineEnding::LF).unwrap();
        inmem::self_signed_with_key("localhost", &pem)
    } else {
        inmem::self_signed("localhost")
    }
}

fn run(cc: &ClientConfig, sc: &Arc<ServerConfig>, seed: u64) -> Pair {
    let mut p = Pair::seeded(cc.clone(), sc.clone(), seed).unwrap();
    p.pump();
    assert!(p.established(), "{:?}", p.errors);
    p
}

/// Runs the handshake once outside the measurement: it completes with key exchange `group`.
fn check(cc: &ClientConfig, sc: &Arc<ServerConfig>, group: Option<NamedGroup>) {
    let p = run(cc, sc, 1);
    let summary = p.client_events.iter().rev().find_map(|e| match e {
        Event::Summary(s) => Some(s.group),
        _ => None,
    });
    assert_eq!(summary, Some(group));
}

/// A server with the P-256 certificate `ec` that agrees only on `group`.
fn ec_server(ec: &CertifiedKey, group: NamedGroup) -> Arc<ServerConfig> {
    let mut sc = ServerConfig::new(ec.clone());
    sc.groups = vec![group];
    Arc::new(sc)
}

fn bench(cr: &mut Criterion) {
    let ec = cert(false);
    let rsa = Arc::new(ServerConfig::new(cert(true)));
    let mut g = cr.benchmark_group("handshake");
    for group in [
        NamedGroup::X25519,
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
    ] {
        let sc = ec_server(&ec, group);
        // TLS 1.2: the client must also name P-256, the curve of the server's ECDSA
        // certificate (RFC 8422 §5.1.1); the server agrees only on `group` for the exchange.
        let mut groups = vec![group];
        if group != NamedGroup::SECP256R1 {
            groups.push(NamedGroup::SECP256R1);
        }
        let cc = ClientConfig {
            versions: vec![ProtocolVersion::TLS12],
            groups,
            ..ClientConfig::default()
        };
        check(&cc, &sc, Some(group));
        g.bench_function(format!("TLS 1.2 ECDHE {group} ECDSA"), |b| {
            b.iter(|| run(&cc, &sc, 1))
        });
        let cc13 = ClientConfig {
            versions: vec![ProtocolVersion::TLS13],
            groups: vec![group],
            ..ClientConfig::default()
        };
        check(&cc13, &sc, Some(group));
        g.bench_function(format!("TLS 1.3 {group} ECDSA"), |b| {
            b.iter(|| run(&cc13, &sc, 1))
        });
    }
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x009c)],
        ..ClientConfig::default()
    };
    check(&cc, &rsa, None);
    g.bench_function("TLS 1.2 RSA key transport", |b| {
        b.iter(|| run(&cc, &rsa, 1))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
