//! One complete in-memory handshake per key exchange (TLS 1.2 ECDHE per group, RSA key
//! transport; TLS 1.3 per group), client and server both ours.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::crypto::sign::SigningKey;
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::handshake::Connection;
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion};
use tlsprobe::wire::suites::CipherSuite;

fn cert(rsa: bool) -> CertifiedKey {
    let key_pem = if rsa {
        let mut rng = seeded_rng(9);
        let k = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
        k.to_pkcs8_pem(LineEnding::LF).unwrap().to_string()
    } else {
        rcgen::KeyPair::generate().unwrap().serialize_pem()
    };
    let kp = rcgen::KeyPair::from_pem(&key_pem).unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let c = params.self_signed(&kp).unwrap();
    CertifiedKey {
        chain: vec![c.der().to_vec()],
        key: Arc::new(SigningKey::from_pem(&key_pem).unwrap()),
    }
}

fn run(cc: &ClientConfig, sc: &Arc<ServerConfig>, seed: u64) {
    let mut c = Connection::client(cc.clone(), seeded_rng(seed)).unwrap();
    let mut s = Connection::server(sc.clone(), seeded_rng(seed + 1));
    for _ in 0..20 {
        let a = c.take_output();
        let b = s.take_output();
        if a.is_empty() && b.is_empty() {
            break;
        }
        s.feed(&a).unwrap();
        c.feed(&b).unwrap();
        while c.next_event().is_some() {}
        while s.next_event().is_some() {}
    }
    assert!(c.is_established() && s.is_established());
}

fn bench(cr: &mut Criterion) {
    let ec = Arc::new(ServerConfig::new(cert(false)));
    let rsa = Arc::new(ServerConfig::new(cert(true)));
    let mut g = cr.benchmark_group("handshake");
    for group in [
        NamedGroup::X25519,
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
    ] {
        let cc = ClientConfig {
            versions: vec![ProtocolVersion::TLS12],
            groups: vec![group],
            ..ClientConfig::default()
        };
        g.bench_function(format!("TLS 1.2 ECDHE {group} ECDSA"), |b| {
            b.iter(|| run(&cc, &ec, 1))
        });
        let cc13 = ClientConfig {
            versions: vec![ProtocolVersion::TLS13],
            groups: vec![group],
            ..ClientConfig::default()
        };
        g.bench_function(format!("TLS 1.3 {group} ECDSA"), |b| {
            b.iter(|| run(&cc13, &ec, 1))
        });
    }
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x009c)],
        ..ClientConfig::default()
    };
    g.bench_function("TLS 1.2 RSA key transport", |b| {
        b.iter(|| run(&cc, &rsa, 1))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
