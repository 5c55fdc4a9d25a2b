//! Tests of signing, verification and key loading.

use super::load::ENCRYPTED_MSG;
use super::*;
use crate::crypto::rng::seeded_rng;
use crate::crypto::sign::key::PssKey;
use rsa::traits::PublicKeyParts;

// Keys generated with `openssl genpkey` (RSA 2048, P-256, P-384, Ed25519, P-521, Ed448,
// RSA-PSS: rsapss.pem without parameters, rsapss384.pem with rsa_pss_keygen_md:sha384
// rsa_pss_keygen_mgf1_md:sha384 rsa_pss_keygen_saltlen:48, rsapss_sha1.pem 1024 bits with
// rsa_pss_keygen_md:sha1), and converted with `openssl rsa -traditional` / `openssl ec` /
// `openssl pkcs8 -topk8`.
pub(crate) const RSA_PKCS8: &str = include_str!("../testdata/rsa.pem");
const RSA_PKCS1: &str = include_str!("../testdata/rsa1.pem");
pub(crate) const P256_PKCS8: &str = include_str!("../testdata/p256.pem");
const P256_SEC1: &str = include_str!("../testdata/p256sec1.pem");
const P384_PKCS8: &str = include_str!("../testdata/p384.pem");
const P384_SEC1: &str = include_str!("../testdata/p384sec1.pem");
const ED25519_PKCS8: &str = include_str!("../testdata/ed.pem");
const P521_PKCS8: &str = include_str!("../testdata/p521.pem");
const ENCRYPTED_PKCS8: &str = include_str!("../testdata/enc.pem");
const P521_SEC1: &str = include_str!("../testdata/p521sec1.pem");
const ED448_PKCS8: &str = include_str!("../testdata/ed448.pem");
const RSA_PSS: &str = include_str!("../testdata/rsapss.pem");
const RSA_PSS_384: &str = include_str!("../testdata/rsapss384.pem");
const RSA_PSS_SHA1: &str = include_str!("../testdata/rsapss_sha1.pem");

fn keys() -> Vec<SigningKey> {
    [
        RSA_PKCS8,
        P256_PKCS8,
        P384_PKCS8,
        ED25519_PKCS8,
        P521_PKCS8,
        ED448_PKCS8,
        RSA_PSS,
        RSA_PSS_384,
    ]
    .iter()
    .map(|p| SigningKey::from_pem(p).unwrap())
    .collect()
}

#[test]
fn from_pem_formats() {
    let rsa8 = SigningKey::from_pem(RSA_PKCS8).unwrap();
    let rsa1 = SigningKey::from_pem(RSA_PKCS1).unwrap();
    assert_eq!(rsa8.description(), "RSA 2048");
    assert!(rsa8.is_rsa());
    assert_eq!(rsa8.public_key_spki_der(), rsa1.public_key_spki_der());
    let p256 = SigningKey::from_pem(P256_PKCS8).unwrap();
    let p256s = SigningKey::from_pem(P256_SEC1).unwrap();
    assert_eq!(p256.description(), "ECDSA P-256");
    assert_eq!(p256.public_key_spki_der(), p256s.public_key_spki_der());
    let p384 = SigningKey::from_pem(P384_PKCS8).unwrap();
    let p384s = SigningKey::from_pem(P384_SEC1).unwrap();
    assert_eq!(p384.description(), "ECDSA P-384");
    assert_eq!(p384.public_key_spki_der(), p384s.public_key_spki_der());
    let ed = SigningKey::from_pem(ED25519_PKCS8).unwrap();
    assert_eq!(ed.description(), "Ed25519");
    assert!(!ed.is_rsa());
    // A certificate before the key is skipped.
    let with_cert =
        format!("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n{P256_PKCS8}");
    assert!(SigningKey::from_pem(&with_cert).is_ok());
}

#[test]
fn from_pem_errors() {
    assert_eq!(
        SigningKey::from_pem(ENCRYPTED_PKCS8).unwrap_err(),
        ENCRYPTED_MSG
    );
    let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nMAA=\n-----END RSA PRIVATE KEY-----\n";
    assert_eq!(SigningKey::from_pem(legacy).unwrap_err(), ENCRYPTED_MSG);
    assert_eq!(
        SigningKey::from_pem("hello").unwrap_err(),
        "no private key found in PEM"
    );
    assert!(SigningKey::from_pem(RSA_PSS_SHA1)
        .unwrap_err()
        .starts_with("the RSASSA-PSS key is restricted to hash 1.3.14.3.2.26"));
    let garbage = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
    assert!(SigningKey::from_pem(garbage).is_err());
}

#[test]
fn sign_then_verify_every_scheme() {
    let mut rng = seeded_rng(11);
    let msg = tls13_verify_content(true, &[0xab; 32]);
    for key in keys() {
        let spki = key.public_key_spki_der();
        for tls13 in [true, false] {
            for scheme in key.schemes(tls13) {
                let sig = key.sign(scheme, &msg, &mut rng).unwrap();
                verify(scheme, &spki, &msg, &sig, !tls13)
                    .unwrap_or_else(|e| panic!("{} {scheme}: {e}", key.description()));
                // Wrong message or corrupted signature: decrypt_error.
                assert_eq!(
                    verify(scheme, &spki, b"other", &sig, !tls13)
                        .unwrap_err()
                        .alert,
                    Alert::DecryptError
                );
                let mut bad = sig.clone();
                let last = bad.len() - 1;
                bad[last] ^= 1;
                assert_eq!(
                    verify(scheme, &spki, &msg, &bad, !tls13).unwrap_err().alert,
                    Alert::DecryptError
                );
                assert_eq!(
                    verify(scheme, &spki, &msg, &[], !tls13).unwrap_err().alert,
                    Alert::DecryptError
                );
            }
        }
    }
}

#[test]
fn tls13_rules_and_mismatches() {
    let mut rng = seeded_rng(12);
    let msg = b"message";
    let p384 = SigningKey::from_pem(P384_PKCS8).unwrap();
    let spki = p384.public_key_spki_der();
    // SHA-256 over a P-384 key: fine in TLS 1.2, an error in TLS 1.3.
    let sig = p384
        .sign(SignatureScheme::ECDSA_SECP256R1_SHA256, msg, &mut rng)
        .unwrap();
    verify(
        SignatureScheme::ECDSA_SECP256R1_SHA256,
        &spki,
        msg,
        &sig,
        true,
    )
    .unwrap();
    assert_eq!(
        verify(
            SignatureScheme::ECDSA_SECP256R1_SHA256,
            &spki,
            msg,
            &sig,
            false
        )
        .unwrap_err()
        .alert,
        Alert::IllegalParameter
    );
    // PKCS#1 v1.5 RSA in TLS 1.3: illegal_parameter.
    let rsa = SigningKey::from_pem(RSA_PKCS8).unwrap();
    let rsa_spki = rsa.public_key_spki_der();
    let sig = rsa
        .sign(SignatureScheme::RSA_PKCS1_SHA256, msg, &mut rng)
        .unwrap();
    verify(
        SignatureScheme::RSA_PKCS1_SHA256,
        &rsa_spki,
        msg,
        &sig,
        true,
    )
    .unwrap();
    assert_eq!(
        verify(
            SignatureScheme::RSA_PKCS1_SHA256,
            &rsa_spki,
            msg,
            &sig,
            false
        )
        .unwrap_err()
        .alert,
        Alert::IllegalParameter
    );
    // Scheme for another key type.
    assert_eq!(
        verify(SignatureScheme::ED25519, &rsa_spki, msg, &sig, true)
            .unwrap_err()
            .alert,
        Alert::IllegalParameter
    );
    // Unsupported scheme.
    assert_eq!(
        verify(SignatureScheme::RSA_PKCS1_SHA1, &rsa_spki, msg, &sig, true)
            .unwrap_err()
            .alert,
        Alert::IllegalParameter
    );
    // Unparsable key.
    assert_eq!(
        verify(
            SignatureScheme::RSA_PSS_RSAE_SHA256,
            &[0x30, 0x01],
            msg,
            &sig,
            false
        )
        .unwrap_err()
        .alert,
        Alert::BadCertificate
    );
    // Signing with a scheme the key cannot produce.
    assert!(rsa.sign(SignatureScheme::ED25519, msg, &mut rng).is_err());
}

#[test]
fn scheme_lists_and_choice() {
    use SignatureScheme as S;
    let ks = keys();
    assert_eq!(
        ks[0].schemes(true),
        vec![
            S::RSA_PSS_RSAE_SHA256,
            S::RSA_PSS_RSAE_SHA384,
            S::RSA_PSS_RSAE_SHA512
        ]
    );
    assert_eq!(ks[0].schemes(false).len(), 6);
    assert_eq!(ks[1].schemes(true), vec![S::ECDSA_SECP256R1_SHA256]);
    assert_eq!(ks[2].schemes(true), vec![S::ECDSA_SECP384R1_SHA384]);
    assert_eq!(ks[3].schemes(false), vec![S::ED25519]);
    assert_eq!(
        ks[0].choose_scheme(&[S::RSA_PKCS1_SHA256, S::RSA_PSS_RSAE_SHA384], false),
        Some(S::RSA_PSS_RSAE_SHA384)
    );
    assert_eq!(ks[0].choose_scheme(&[S::RSA_PKCS1_SHA256], true), None);
    assert_eq!(
        ks[2].choose_scheme(&[S::ECDSA_SECP256R1_SHA256], false),
        Some(S::ECDSA_SECP256R1_SHA256)
    );
    assert_eq!(
        ks[2].choose_scheme(&[S::ECDSA_SECP256R1_SHA256], true),
        None
    );
}

#[test]
fn legacy_signatures_round_trip() {
    let mut rng = seeded_rng(16);
    for key in keys() {
        let spki = key.public_key_spki_der();
        match key.sign_legacy(b"params", &mut rng) {
            Ok(sig) => {
                verify_legacy(&spki, b"params", &sig).unwrap();
                assert_eq!(
                    verify_legacy(&spki, b"other", &sig).unwrap_err().alert,
                    Alert::DecryptError
                );
            }
            Err(_) => assert!(!key.signs_legacy(), "{}", key.description()),
        }
    }
}

/// The RSA legacy signature is raw PKCS#1 v1.5 over the 36-byte MD5 || SHA-1: recovering
/// the encoded message with the public key shows 00 01 FF..FF 00 || digest, no DigestInfo.
#[test]
fn legacy_rsa_signature_has_no_digest_info() {
    use rsa::BigUint;
    let mut rng = seeded_rng(17);
    let key = SigningKey::from_pem(RSA_PKCS8).unwrap();
    let sig = key.sign_legacy(b"m", &mut rng).unwrap();
    let SigningKey::Rsa(k) = &key else { panic!() };
    let em = BigUint::from_bytes_be(&sig)
        .modpow(k.e(), k.n())
        .to_bytes_be();
    let digest = super::super::hash::HashAlg::Md5Sha1.hash(b"m");
    assert_eq!(&em[em.len() - 36..], &digest[..]);
    assert_eq!(em[0], 1);
    assert_eq!(em[em.len() - 37], 0);
    assert!(em[1..em.len() - 37].iter().all(|&b| b == 0xff));
}

#[test]
fn verify_content_layout() {
    let c = tls13_verify_content(false, &[1, 2]);
    assert_eq!(&c[..64], &[0x20; 64]);
    assert_eq!(&c[64..97], b"TLS 1.3, client CertificateVerify");
    assert_eq!(&c[97..], &[0, 1, 2]);
    assert_eq!(tls13_verify_content(true, &[]).len(), 98);
}

#[test]
fn rsa_premaster_decryption() {
    let mut rng = seeded_rng(13);
    let key = SigningKey::from_pem(RSA_PKCS8).unwrap();
    let spki = key.public_key_spki_der();
    let mut pms = [0x5au8; 48];
    pms[0] = 3;
    pms[1] = 3;
    let ct = crate::crypto::kx::rsa_encrypt_premaster(&spki, &pms, &mut rng).unwrap();
    assert_eq!(key.rsa_decrypt_premaster(&ct, 0x0303, &mut rng), pms);
    // Wrong version, garbage, wrong length: random and different each time.
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (ct.clone(), 0x0302),
        (vec![0u8; ct.len()], 0x0303),
        (b"short".to_vec(), 0x0303),
        (
            crate::crypto::kx::rsa_encrypt_premaster(&spki, &[3, 3, 1], &mut rng).unwrap(),
            0x0303,
        ),
    ];
    for (c, v) in cases {
        let a = key.rsa_decrypt_premaster(&c, v, &mut rng);
        let b = key.rsa_decrypt_premaster(&c, v, &mut rng);
        assert_ne!(a, pms);
        assert_ne!(a, b);
    }
    // A non-RSA key always returns fresh random bytes.
    let ec = SigningKey::generate_p256(&mut rng);
    assert_ne!(
        ec.rsa_decrypt_premaster(&ct, 0x0303, &mut rng),
        ec.rsa_decrypt_premaster(&ct, 0x0303, &mut rng)
    );
}

#[test]
fn hostile_inputs_never_panic() {
    use rand_core::RngCore;
    let mut rng = seeded_rng(15);
    let spkis: Vec<Vec<u8>> = keys().iter().map(|k| k.public_key_spki_der()).collect();
    for round in 0..200 {
        let mut junk = vec![0u8; (round * 7) % 300];
        rng.fill_bytes(&mut junk);
        for scheme in SignatureScheme::ALL {
            for spki in spkis.iter().chain([&junk]) {
                let _ = verify(*scheme, spki, b"m", &junk, round % 2 == 0);
            }
        }
        // Truncated key encodings.
        for spki in &spkis {
            let cut = spki.len() * round / 200;
            let _ = verify(
                SignatureScheme::RSA_PSS_RSAE_SHA256,
                &spki[..cut],
                b"m",
                &junk,
                false,
            );
        }
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &junk)
        );
        assert!(SigningKey::from_pem(&pem).is_err());
    }
}

#[test]
fn generated_p256_key_round_trips() {
    let mut rng = seeded_rng(14);
    let k = SigningKey::generate_p256(&mut rng);
    let sig = k
        .sign(SignatureScheme::ECDSA_SECP256R1_SHA256, b"m", &mut rng)
        .unwrap();
    verify(
        SignatureScheme::ECDSA_SECP256R1_SHA256,
        &k.public_key_spki_der(),
        b"m",
        &sig,
        false,
    )
    .unwrap();
}

#[test]
fn new_key_types_load_and_describe() {
    let d = |pem| SigningKey::from_pem(pem).unwrap().description();
    assert_eq!(d(P521_PKCS8), "ECDSA P-521");
    assert_eq!(d(ED448_PKCS8), "Ed448");
    assert_eq!(d(RSA_PSS), "RSA-PSS 2048");
    let p521 = SigningKey::from_pem(P521_PKCS8).unwrap();
    let p521s = SigningKey::from_pem(P521_SEC1).unwrap();
    assert_eq!(p521.public_key_spki_der(), p521s.public_key_spki_der());
    let pss = SigningKey::from_pem(RSA_PSS).unwrap();
    assert!(!pss.is_rsa() && pss.is_any_rsa() && !pss.signs_legacy());
    // The SPKI keeps the id-RSASSA-PSS algorithm (and parameters) of the key file.
    for pem in [RSA_PSS, RSA_PSS_384] {
        let k = SigningKey::from_pem(pem).unwrap();
        let spki = k.public_key_spki_der();
        assert!(!is_rsa_spki(&spki) && is_any_rsa_spki(&spki));
        let SigningKey::RsaPss(inner) = &k else {
            panic!("an RSA-PSS key")
        };
        let PssKey { algorithm, .. } = &**inner;
        assert!(spki
            .windows(algorithm.len())
            .any(|w| w == algorithm.as_slice()));
    }
}

/// RFC 8446 §4.2.3: an RSA-PSS key makes rsa_pss_pss_* only, within its parameters (RFC
/// 4055 §3.1); an rsaEncryption key never makes them; each verifies only with its own kind.
#[test]
fn rsa_pss_keys_and_schemes_are_tied() {
    use SignatureScheme as S;
    let mut rng = seeded_rng(21);
    let any = SigningKey::from_pem(RSA_PSS).unwrap();
    let r384 = SigningKey::from_pem(RSA_PSS_384).unwrap();
    let rsa = SigningKey::from_pem(RSA_PKCS8).unwrap();
    let all_pss = vec![
        S::RSA_PSS_PSS_SHA256,
        S::RSA_PSS_PSS_SHA384,
        S::RSA_PSS_PSS_SHA512,
    ];
    assert_eq!(any.schemes(true), all_pss);
    assert_eq!(any.schemes(false), all_pss);
    assert_eq!(r384.schemes(true), vec![S::RSA_PSS_PSS_SHA384]);
    assert!(rsa.schemes(false).iter().all(|s| !all_pss.contains(s)));
    assert_eq!(any.choose_scheme(&[S::RSA_PSS_RSAE_SHA256], true), None);
    assert_eq!(
        r384.choose_scheme(&all_pss, true),
        Some(S::RSA_PSS_PSS_SHA384)
    );
    let msg = b"m";
    // rsae from a PSS key, or pss from an rsaEncryption key: illegal_parameter.
    let sig = any.sign(S::RSA_PSS_PSS_SHA256, msg, &mut rng).unwrap();
    let spki = any.public_key_spki_der();
    assert_eq!(
        verify(S::RSA_PSS_RSAE_SHA256, &spki, msg, &sig, false)
            .unwrap_err()
            .alert,
        Alert::IllegalParameter
    );
    let rsae = rsa.sign(S::RSA_PSS_RSAE_SHA256, msg, &mut rng).unwrap();
    assert_eq!(
        verify(
            S::RSA_PSS_PSS_SHA256,
            &rsa.public_key_spki_der(),
            msg,
            &rsae,
            false
        )
        .unwrap_err()
        .alert,
        Alert::IllegalParameter
    );
    // A SHA-384-only key: rsa_pss_pss_sha256 is outside its parameters.
    assert!(r384.sign(S::RSA_PSS_PSS_SHA256, msg, &mut rng).is_err());
    let spki384 = r384.public_key_spki_der();
    assert_eq!(
        verify(S::RSA_PSS_PSS_SHA256, &spki384, msg, &sig, false)
            .unwrap_err()
            .alert,
        Alert::IllegalParameter
    );
    // The salted verifier (certificates) respects the parameters: minimum salt 48.
    let sig384 = r384.sign(S::RSA_PSS_PSS_SHA384, msg, &mut rng).unwrap();
    assert!(verify_pss_salted(
        &spki384,
        SigHash::Sha384,
        48,
        msg,
        &sig384
    ));
    assert!(!verify_pss_salted(
        &spki384,
        SigHash::Sha384,
        32,
        msg,
        &sig384
    ));
    assert!(!verify_pss_salted(
        &spki384,
        SigHash::Sha256,
        48,
        msg,
        &sig384
    ));
}

/// TLS 1.2 lets the hash differ from the curve (RFC 8422 §5.10): SHA-256 over P-521 needs the
/// short digest left-padded, both ways; TLS 1.3 refuses the mismatch.
#[test]
fn p521_with_every_ecdsa_hash() {
    use SignatureScheme as S;
    let mut rng = seeded_rng(22);
    let k = SigningKey::from_pem(P521_PKCS8).unwrap();
    let spki = k.public_key_spki_der();
    for s in [
        S::ECDSA_SECP256R1_SHA256,
        S::ECDSA_SECP384R1_SHA384,
        S::ECDSA_SECP521R1_SHA512,
    ] {
        let sig = k.sign(s, b"m", &mut rng).unwrap();
        verify(s, &spki, b"m", &sig, true).unwrap();
        let tls13 = verify(s, &spki, b"m", &sig, false);
        assert_eq!(tls13.is_ok(), s == S::ECDSA_SECP521R1_SHA512);
    }
    let legacy = k.sign_legacy(b"m", &mut rng).unwrap();
    assert_eq!(
        verify_legacy(&spki, b"m", &legacy).unwrap(),
        "ECDSA over SHA-1"
    );
}

/// RFC 8032 §7.4 test 1 ("blank"): the key, public key and signature of the RFC.
#[test]
fn ed448_rfc8032_vector() {
    let secret = hex::decode("6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b").unwrap();
    let public = hex::decode("5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180").unwrap();
    let sig = hex::decode("533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600").unwrap();
    let key = SigningKey::Ed448(Box::new(
        ed448_goldilocks_plus::SigningKey::try_from(secret.as_slice()).unwrap(),
    ));
    let spki = key.public_key_spki_der();
    assert!(spki.ends_with(&public));
    let mut rng = seeded_rng(23);
    assert_eq!(
        key.sign(SignatureScheme::ED448, b"", &mut rng).unwrap(),
        sig
    );
    verify(SignatureScheme::ED448, &spki, b"", &sig, false).unwrap();
    let mut bad = sig.clone();
    bad[0] ^= 1;
    assert_eq!(
        verify(SignatureScheme::ED448, &spki, b"", &bad, false)
            .unwrap_err()
            .alert,
        Alert::DecryptError
    );
}
