//! One complete in-memory handshake per key exchange (TLS 1.2 ECDHE per group, RSA key
//! transport; TLS 1.3 per group, X25519MLKEM768 beside X25519), client and server both ours,
//! through `tlsprobe::inmem`; and the server's side alone, configured as `listen` runs it
//! (ring's keys and signing, libcrux-ml-kem): connect's default offer (X25519MLKEM768 and
//! X25519 shares) answered with X25519 or with X25519MLKEM768 (`server_side13`: all of the
//! server's work in the handshake; `server_hello13`: the ClientHello-to-flight step).

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use tlsprobe::crypto::fast_sign::FastP256;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::event::Event;
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use tlsprobe::handshake::Connection;
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
        NamedGroup::X25519MLKEM768,
    ] {
        let sc = ec_server(&ec, group);
        // The hybrid exists in TLS 1.3 only.
        let tls12 = group != NamedGroup::X25519MLKEM768;
        // TLS 1.2: the client must also name P-256, the curve of the server's ECDSA
        // certificate (RFC 8422 §5.1.1); the server agrees only on `group` for the exchange.
        if tls12 {
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
        }
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

/// A server as `listen` runs it (ring's key exchange and P-256 signing) on the P-256
/// certificate `ec`, agreeing only on `group`.
fn listen_like_server(ec: &CertifiedKey, group: NamedGroup) -> Arc<ServerConfig> {
    let mut sc = ServerConfig::new(ec.clone());
    sc.groups = vec![group];
    sc.fast_kx = true;
    sc.fast_signer = FastP256::from_key(&ec.key).map(Arc::new);
    assert!(sc.fast_signer.is_some());
    Arc::new(sc)
}

/// connect's default TLS 1.3 client (X25519MLKEM768 and X25519 shares).
fn default_client13() -> Connection {
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS13],
        ..ClientConfig::default()
    };
    Connection::client(cc, seeded_rng(1)).unwrap()
}

/// One handshake between connect's default client and `sc`, timing only the server's steps:
/// reading the ClientHello and writing its flight (key exchange, key schedule, signature),
/// then reading the client's Finished and writing its tickets.
fn server_time(sc: &Arc<ServerConfig>) -> Duration {
    let mut client = default_client13();
    let mut server = Connection::server(sc.clone(), seeded_rng(2));
    let mut spent = Duration::ZERO;
    let mut from_client = client.take_output();
    while !from_client.is_empty() {
        let t = Instant::now();
        server.feed(&from_client).unwrap();
        let answer = server.take_output();
        spent += t.elapsed();
        client.feed(&answer).unwrap();
        from_client = client.take_output();
    }
    assert!(server.is_established() && client.is_established());
    spent
}

/// The server's side of a TLS 1.3 handshake with connect's default offer, configured as
/// listen runs it, answered with X25519 or with X25519MLKEM768: the whole of its work
/// (`server_side13`), and the ClientHello-to-flight step alone (`server_hello13`), where all
/// that differs between the two groups happens.
fn server_side(cr: &mut Criterion) {
    let ec = cert(false);
    let hello = default_client13().take_output();
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS13],
        ..ClientConfig::default()
    };
    for group in [NamedGroup::X25519, NamedGroup::X25519MLKEM768] {
        let sc = listen_like_server(&ec, group);
        // Outside the measurement: the same offer completes with `group`.
        check(&cc, &sc, Some(group));
        let mut g = cr.benchmark_group("server_side13");
        g.bench_function(format!("{group}"), |b| {
            b.iter_custom(|n| (0..n).map(|_| server_time(&sc)).sum())
        });
        g.finish();
        let mut g = cr.benchmark_group("server_hello13");
        g.bench_function(format!("{group}"), |b| {
            b.iter(|| {
                let mut s = Connection::server(sc.clone(), seeded_rng(2));
                s.feed(&hello).unwrap();
                black_box(s.take_output())
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench, server_side);
criterion_main!(benches);
