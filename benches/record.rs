//! Record protection and unprotection of 16 KiB records for each AEAD, TLS 1.2 and TLS 1.3.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tlsprobe::crypto::aead::{AeadAlg, RecordCipher};

fn bench(c: &mut Criterion) {
    let data = vec![0x5au8; 16384];
    let mut g = c.benchmark_group("record_16k");
    g.throughput(Throughput::Bytes(data.len() as u64));
    for alg in [
        AeadAlg::Aes128Gcm,
        AeadAlg::Aes256Gcm,
        AeadAlg::ChaCha20Poly1305,
    ] {
        let key = vec![7u8; alg.key_len()];
        for tls13 in [false, true] {
            let mut rc = if tls13 {
                RecordCipher::tls13(alg, &key, &[1u8; 12]).unwrap()
            } else {
                RecordCipher::tls12(alg, &key, &vec![1u8; alg.tls12_fixed_iv_len()]).unwrap()
            };
            let v = if tls13 { "1.3" } else { "1.2" };
            g.bench_function(format!("seal {} TLS {v}", alg.name()), |b| {
                b.iter(|| rc.seal(1, 23, 0x0303, &data))
            });
            let sealed = rc.seal(1, 23, 0x0303, &data);
            g.bench_function(format!("open {} TLS {v}", alg.name()), |b| {
                b.iter(|| rc.open(1, 23, 0x0303, &sealed).unwrap())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
