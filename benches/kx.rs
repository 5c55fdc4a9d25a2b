//! Key exchange per group, through `crypto::kx` as the handshake uses it: for the
//! Diffie-Hellman groups one key generation with its share and one agreement (what each side
//! does per handshake); for ML-KEM and the hybrids the client's key generation, the server's
//! encapsulation (`respond`) and the client's decapsulation (`agree`) apart.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use tlsprobe::crypto::kx::{self, EphemeralKey};
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::wire::codepoints::NamedGroup;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("kx");
    let mut rng = seeded_rng(1);
    for &group in kx::ALL_GROUPS {
        let name = kx::group_name(group);
        // Checked once outside the measurement: both sides agree.
        let peer = EphemeralKey::generate(group, &mut rng).unwrap();
        let peer_share = peer.public_key();
        let answer = kx::respond(group, &peer_share, &mut rng, false).unwrap();
        assert_eq!(peer.agree(&answer.share).unwrap(), answer.secret, "{name}");
        if !kx::is_kem(group) {
            g.bench_function(format!("{name} keygen+agree"), |b| {
                b.iter(|| {
                    let k = EphemeralKey::generate(group, &mut rng).unwrap();
                    let share = k.public_key();
                    (share, k.agree(&peer_share).unwrap())
                })
            });
            continue;
        }
        g.bench_function(format!("{name} keygen"), |b| {
            b.iter(|| {
                EphemeralKey::generate(group, &mut rng)
                    .unwrap()
                    .public_key()
            })
        });
        g.bench_function(format!("{name} encapsulate"), |b| {
            b.iter(|| kx::respond(group, &peer_share, &mut rng, false).unwrap())
        });
        // `agree` consumes the key: each run gets a fresh client key and its server share.
        let mut setup_rng = seeded_rng(2);
        g.bench_function(format!("{name} decapsulate"), |b| {
            b.iter_batched(
                || {
                    let k = EphemeralKey::generate(group, &mut setup_rng).unwrap();
                    let share = kx::respond(group, &k.public_key(), &mut setup_rng, false)
                        .unwrap()
                        .share;
                    (k, share)
                },
                |(k, share)| k.agree(&share).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

/// ring's x25519/P-256/P-384 (listen's `fast` path) for comparison with the RustCrypto keys.
fn bench_fast(c: &mut Criterion) {
    let mut g = c.benchmark_group("kx_fast");
    let mut rng = seeded_rng(3);
    for group in [
        NamedGroup::X25519,
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
    ] {
        let peer_share = EphemeralKey::generate(group, &mut rng)
            .unwrap()
            .public_key();
        g.bench_function(format!("{group} respond (ring)"), |b| {
            b.iter(|| kx::respond(group, &peer_share, &mut rng, true).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_fast);
criterion_main!(benches);
