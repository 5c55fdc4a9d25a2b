//! Unit tests of the key exchange: agreement in every group and both roles, known answers
//! (RFC 7748, NIST ACVP ML-KEM), the hybrids' byte order rebuilt from the primitive crates,
//! and every refusal of a hostile share.

use super::*;
use crate::crypto::raw::{ephemeral_key_from_private, respond_with_random};
use crate::crypto::rng::seeded_rng;

fn illegal_param(r: Result<impl std::fmt::Debug, TlsError>) -> String {
    match r {
        Err(e) if e.alert == Alert::IllegalParameter => e.message,
        other => panic!("expected illegal_parameter, got {other:?}"),
    }
}

#[test]
fn both_roles_agree_in_every_group() {
    let mut rng = seeded_rng(1);
    for &g in ALL_GROUPS {
        assert!(supports(g));
        for fast in [false, true] {
            let client = EphemeralKey::generate(g, &mut rng).unwrap();
            assert_eq!(client.group(), g);
            let share = client.public_key();
            assert_eq!(Some(share.len()), share_len(g, ShareFrom::Client), "{g:?}");
            let answer = respond(g, &share, &mut rng, fast).unwrap();
            assert_eq!(
                Some(answer.share.len()),
                share_len(g, ShareFrom::Server),
                "{g:?}"
            );
            assert_eq!(Some(answer.secret.len()), secret_len(g), "{g:?}");
            assert_eq!(client.agree(&answer.share).unwrap(), answer.secret, "{g:?}");
        }
    }
    assert!(!supports(NamedGroup::BRAINPOOLP256R1));
    for &g in SUPPORTED_GROUPS {
        assert!(supports(g));
    }
}

#[test]
fn secrets_differ_between_exchanges() {
    let mut rng = seeded_rng(2);
    for &g in ALL_GROUPS {
        let secret = |rng: &mut crate::crypto::rng::TlsRng| {
            let c = EphemeralKey::generate(g, rng).unwrap();
            let r = respond(g, &c.public_key(), rng, false).unwrap();
            c.agree(&r.share).unwrap()
        };
        assert_ne!(secret(&mut rng), secret(&mut rng), "{g:?}");
    }
}

#[test]
fn kem_groups_are_told_apart() {
    for g in [
        NamedGroup::X25519MLKEM768,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
        MLKEM512,
        MLKEM768,
        MLKEM1024,
    ] {
        assert!(is_kem(g));
    }
    for g in [NamedGroup::X25519, NamedGroup::X448, NamedGroup::FFDHE2048] {
        assert!(!is_kem(g));
    }
    assert_eq!(group_name(MLKEM768), "MLKEM768");
    assert_eq!(group_name(NamedGroup::X25519MLKEM768), "X25519MLKEM768");
}

#[test]
fn unsupported_group() {
    for g in [NamedGroup::BRAINPOOLP256R1, NamedGroup(0x1234)] {
        let e = EphemeralKey::generate(g, &mut seeded_rng(1)).unwrap_err();
        assert_eq!(e.alert, Alert::HandshakeFailure);
        let e = respond(g, &[4; 65], &mut seeded_rng(1), false).unwrap_err();
        assert_eq!(e.alert, Alert::HandshakeFailure);
    }
}

#[test]
fn rfc7748_x25519_vector() {
    // RFC 7748 §6.1: Alice's private key, Bob's public key, shared K.
    let a =
        hex::decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a").unwrap();
    let key = ephemeral_key_from_private(NamedGroup::X25519, &a).unwrap();
    assert_eq!(
        hex::encode(key.public_key()),
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    );
    let bob =
        hex::decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f").unwrap();
    assert_eq!(
        hex::encode(key.agree(&bob).unwrap()),
        "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
    );
}

#[test]
fn rfc7748_x448_vector_through_the_wrapper() {
    // RFC 7748 §6.2: Alice's private key, Bob's public key, shared K.
    let a = hex::decode("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b").unwrap();
    let bob = hex::decode("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609").unwrap();
    let key = ephemeral_key_from_private(NamedGroup::X448, &a).unwrap();
    assert_eq!(key.group(), NamedGroup::X448);
    assert_eq!(
        hex::encode(key.agree(&bob).unwrap()),
        "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d"
    );
}

#[test]
fn invalid_x25519_and_x448_shares() {
    let mut rng = seeded_rng(2);
    for (g, len) in [(NamedGroup::X25519, 32), (NamedGroup::X448, 56)] {
        for fast in [false, true] {
            let mut one = vec![0u8; len];
            one[0] = 1;
            for bad in [vec![0u8; len], one] {
                let k = EphemeralKey::generate_with(g, &mut rng, fast).unwrap();
                let msg = illegal_param(k.agree(&bad));
                assert!(msg.contains("low-order"), "{msg}");
                let msg = illegal_param(respond(g, &bad, &mut rng, fast));
                assert!(msg.contains("low-order"), "{msg}");
            }
            let k = EphemeralKey::generate_with(g, &mut rng, fast).unwrap();
            let msg = illegal_param(k.agree(&vec![9u8; len - 1]));
            assert!(msg.contains(&format!("must be {len} bytes")), "{msg}");
        }
    }
}

#[test]
fn invalid_nist_shares() {
    let mut rng = seeded_rng(3);
    for (g, fast) in [
        (NamedGroup::SECP256R1, false),
        (NamedGroup::SECP384R1, false),
        (NamedGroup::SECP521R1, false),
        (NamedGroup::SECP256R1, true),
        (NamedGroup::SECP384R1, true),
    ] {
        let peer = EphemeralKey::generate(g, &mut rng).unwrap().public_key();
        let n = peer.len();
        // Off-curve: change y.
        let mut off = peer.clone();
        off[n - 1] ^= 1;
        // Compressed form of the same point.
        let mut compressed = vec![2 + (peer[n - 1] & 1)];
        compressed.extend_from_slice(&peer[1..1 + (n - 1) / 2]);
        let bads: Vec<Vec<u8>> = vec![
            off,
            compressed,
            vec![0],        // identity encoding
            vec![4; n + 1], // wrong length
            Vec::new(),     // empty
            vec![0x04; n],  // 0x04 prefix but not a point
            {
                let mut zero = vec![0u8; n];
                zero[0] = 4;
                zero
            },
        ];
        for bad in bads {
            let k = EphemeralKey::generate_with(g, &mut rng, fast).unwrap();
            assert_eq!(
                matches!(k, EphemeralKey::Ecdh(EcdhKey::Fast(_))),
                fast,
                "{g}"
            );
            let msg = illegal_param(k.agree(&bad));
            assert!(msg.contains(&g.to_string()), "{msg}");
            illegal_param(respond(g, &bad, &mut rng, fast));
        }
    }
}

#[test]
fn p521_shares_and_secrets_have_the_rfc_sizes() {
    let mut rng = seeded_rng(4);
    let a = EphemeralKey::generate(NamedGroup::SECP521R1, &mut rng).unwrap();
    let b = EphemeralKey::generate(NamedGroup::SECP521R1, &mut rng).unwrap();
    let (pa, pb) = (a.public_key(), b.public_key());
    assert_eq!((pa.len(), pa[0]), (133, 4));
    let s = a.agree(&pb).unwrap();
    // RFC 8446 §7.4.2: the x-coordinate at the field's size, leading zeros kept.
    assert_eq!(s.len(), 66);
    assert_eq!(s, b.agree(&pa).unwrap());
}

/// The RFC 7919 prime of `group`, as a big integer.
fn ffdhe_prime(group: NamedGroup) -> rsa::BigUint {
    let k = crate::crypto::dh_groups::KNOWN
        .iter()
        .find(|k| Some(k.name) == group.name())
        .unwrap();
    rsa::BigUint::from_bytes_be(&crate::crypto::dh::group_bytes(k).0)
}

#[test]
fn ffdhe_secret_keeps_its_leading_zeros() {
    // RFC 8446 §7.4.1: Z is padded to the size of p. Find (bounded) an exchange whose secret
    // starts with a zero byte (about 1 in 256) and check it comes out at full length.
    let mut rng = seeded_rng(5);
    let g = NamedGroup::FFDHE2048;
    let mut found = 0;
    for _ in 0..4000 {
        let client = EphemeralKey::generate(g, &mut rng).unwrap();
        let answer = respond(g, &client.public_key(), &mut rng, false).unwrap();
        assert_eq!(answer.secret.len(), 256);
        if answer.secret[0] == 0 {
            assert_eq!(client.agree(&answer.share).unwrap(), answer.secret);
            found += 1;
            if found == 2 {
                break;
            }
        }
    }
    assert_eq!(
        found, 2,
        "no secret with a leading zero byte in 4000 exchanges"
    );
}

#[test]
fn ffdhe_share_is_padded_and_checked() {
    let mut rng = seeded_rng(6);
    let g = NamedGroup::FFDHE3072;
    let p = ffdhe_prime(g);
    let pad = |y: &rsa::BigUint| {
        let b = y.to_bytes_be();
        let mut v = vec![0u8; 384 - b.len()];
        v.extend_from_slice(&b);
        v
    };
    let one = rsa::BigUint::from(1u32);
    // Y = 0, 1, p-1, p, and 2^3072-1 (> p): outside 1 < Y < p-1 (RFC 8446 §4.2.8.1).
    for y in [
        rsa::BigUint::from(0u32),
        one.clone(),
        &p - &one,
        p.clone(),
        (rsa::BigUint::from(1u32) << 3072) - &one,
    ] {
        let k = EphemeralKey::generate(g, &mut rng).unwrap();
        let msg = illegal_param(k.agree(&pad(&y)));
        assert!(msg.contains("ffdhe3072"), "{msg}");
        illegal_param(respond(g, &pad(&y), &mut rng, false));
    }
    // A valid Y not padded to the size of p (RFC 8446 §4.2.8.1 requires the padding).
    let good = EphemeralKey::generate(g, &mut rng).unwrap().public_key();
    assert_eq!(good.len(), 384);
    let short = rsa::BigUint::from_bytes_be(&good).to_bytes_be();
    let k = EphemeralKey::generate(g, &mut rng).unwrap();
    let unpadded = if short.len() < 384 {
        short
    } else {
        good[1..].to_vec()
    };
    let msg = illegal_param(k.agree(&unpadded));
    assert!(msg.contains("must be 384 bytes"), "{msg}");
    let mut long = vec![0u8];
    long.extend_from_slice(&good);
    illegal_param(respond(g, &long, &mut rng, false));
}

/// The ACVP vectors checked in under src/crypto/testdata (see its "source").
fn acvp() -> serde_json::Value {
    serde_json::from_str(include_str!("../testdata/mlkem_acvp.json")).unwrap()
}

fn acvp_group(v: &serde_json::Value) -> NamedGroup {
    match v["parameterSet"].as_str().unwrap() {
        "ML-KEM-512" => MLKEM512,
        "ML-KEM-768" => MLKEM768,
        _ => MLKEM1024,
    }
}

fn hex_field(v: &serde_json::Value, name: &str) -> Vec<u8> {
    hex::decode(v[name].as_str().unwrap()).unwrap()
}

#[test]
fn mlkem_acvp_key_generation() {
    let tv = acvp();
    let cases = tv["keyGen"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for v in cases {
        // FIPS 203 Algorithm 19 draws d then z: the seed d || z through `generate`.
        let mut seed = hex_field(v, "d");
        seed.extend(hex_field(v, "z"));
        let key = ephemeral_key_from_private(acvp_group(v), &seed).unwrap();
        assert_eq!(key.public_key(), hex_field(v, "ek"), "tcId {}", v["tcId"]);
    }
}

#[test]
fn mlkem_acvp_encapsulation() {
    let tv = acvp();
    let cases = tv["encap"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for v in cases {
        let g = acvp_group(v);
        let r = respond_with_random(g, &hex_field(v, "ek"), &hex_field(v, "m")).unwrap();
        assert_eq!(r.share, hex_field(v, "c"), "tcId {}", v["tcId"]);
        assert_eq!(r.secret, hex_field(v, "k"), "tcId {}", v["tcId"]);
    }
}

#[test]
fn mlkem_acvp_decapsulation_with_implicit_rejection() {
    let tv = acvp();
    let cases = tv["decap"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    let mut modified = 0;
    for v in cases {
        let key = ephemeral_key_from_private(acvp_group(v), &hex_field(v, "dk")).unwrap();
        let k = key.agree(&hex_field(v, "c")).unwrap();
        assert_eq!(k, hex_field(v, "k"), "tcId {}", v["tcId"]);
        modified += usize::from(v["reason"] == "modify ciphertext");
    }
    assert_eq!(modified, 3);
}

/// An encapsulation key whose first coefficient is `value` (12 bits, little-endian packing of
/// FIPS 203 ByteEncode12).
fn with_first_coefficient(ek: &[u8], value: u16) -> Vec<u8> {
    let mut bad = ek.to_vec();
    bad[0] = (value & 0xff) as u8;
    bad[1] = (bad[1] & 0xf0) | (value >> 8) as u8;
    bad
}

#[test]
fn mlkem_encapsulation_key_checks() {
    let mut rng = seeded_rng(7);
    for g in [MLKEM512, MLKEM768, MLKEM1024] {
        let ek = EphemeralKey::generate(g, &mut rng).unwrap().public_key();
        // FIPS 203 §7.2 modulus check: q = 3329 and 4095 refused, q - 1 accepted.
        for v in [3329u16, 4095] {
            let msg = illegal_param(respond(g, &with_first_coefficient(&ek, v), &mut rng, false));
            assert!(msg.contains("modulus check"), "{msg}");
            assert!(msg.contains(&group_name(g)), "{msg}");
        }
        respond(g, &with_first_coefficient(&ek, 3328), &mut rng, false).unwrap();
        // Type check: the length.
        for bad in [
            &ek[..ek.len() - 1],
            &[ek.as_slice(), &[0]].concat()[..],
            &[],
        ] {
            let msg = illegal_param(respond(g, bad, &mut rng, false));
            assert!(msg.contains("encapsulation key must be"), "{msg}");
        }
    }
}

#[test]
fn mlkem_ciphertext_length_is_checked() {
    let mut rng = seeded_rng(8);
    for g in [MLKEM512, MLKEM768, MLKEM1024] {
        let client = EphemeralKey::generate(g, &mut rng).unwrap();
        let ct = respond(g, &client.public_key(), &mut rng, false)
            .unwrap()
            .share;
        for bad in [
            &ct[..ct.len() - 1],
            &[ct.as_slice(), &[0]].concat()[..],
            &[],
        ] {
            let k = EphemeralKey::generate(g, &mut rng).unwrap();
            let msg = illegal_param(k.agree(bad));
            assert!(msg.contains("ciphertext must be"), "{msg}");
        }
        // A wrong ciphertext of the right length: implicit rejection, a different secret.
        let mut flipped = ct.clone();
        flipped[10] ^= 1;
        let k = EphemeralKey::generate(g, &mut rng).unwrap();
        assert_eq!(k.agree(&flipped).unwrap().len(), 32);
    }
}

/// The server's half of a hybrid rebuilt from the primitive crates in the draft's order
/// (draft-ietf-tls-ecdhe-mlkem §4.1): (server share, shared secret).
fn reference_hybrid_server(group: NamedGroup, client_share: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use ml_kem::kem::Encapsulate;
    use ml_kem::{EncodedSizeUser, KemCore};
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let mut rng = seeded_rng(99);
    fn encap<K: KemCore>(ek: &[u8], rng: &mut crate::crypto::rng::TlsRng) -> (Vec<u8>, Vec<u8>) {
        let ek = K::EncapsulationKey::from_bytes(
            &ml_kem::Encoded::<K::EncapsulationKey>::try_from(ek).unwrap(),
        );
        let (c, k) = ek.encapsulate(rng).unwrap();
        (c.to_vec(), k.to_vec())
    }
    match group {
        NamedGroup::X25519MLKEM768 => {
            let (ek, x) = client_share.split_at(1184);
            let (ct, kss) = encap::<ml_kem::MlKem768>(ek, &mut rng);
            let s = x25519_dalek::StaticSecret::random_from_rng(&mut rng);
            let peer: [u8; 32] = x.try_into().unwrap();
            let xss = s.diffie_hellman(&x25519_dalek::PublicKey::from(peer));
            let xpub = x25519_dalek::PublicKey::from(&s);
            (
                [ct, xpub.as_bytes().to_vec()].concat(),
                [kss, xss.as_bytes().to_vec()].concat(),
            )
        }
        NamedGroup::SECP256R1MLKEM768 => {
            let (p, ek) = client_share.split_at(65);
            let (ct, kss) = encap::<ml_kem::MlKem768>(ek, &mut rng);
            let s = p256::ecdh::EphemeralSecret::random(&mut rng);
            let pk = p256::PublicKey::from_sec1_bytes(p).unwrap();
            let ess = s.diffie_hellman(&pk).raw_secret_bytes().to_vec();
            let spub = s.public_key().to_encoded_point(false).as_bytes().to_vec();
            ([spub, ct].concat(), [ess, kss].concat())
        }
        _ => {
            let (p, ek) = client_share.split_at(97);
            let (ct, kss) = encap::<ml_kem::MlKem1024>(ek, &mut rng);
            let s = p384::ecdh::EphemeralSecret::random(&mut rng);
            let pk = p384::PublicKey::from_sec1_bytes(p).unwrap();
            let ess = s.diffie_hellman(&pk).raw_secret_bytes().to_vec();
            let spub = s.public_key().to_encoded_point(false).as_bytes().to_vec();
            ([spub, ct].concat(), [ess, kss].concat())
        }
    }
}

#[test]
fn hybrid_byte_order_matches_the_draft() {
    let mut rng = seeded_rng(9);
    for (g, client_len, server_len, secret_len) in [
        (NamedGroup::X25519MLKEM768, 1216, 1120, 64),
        (NamedGroup::SECP256R1MLKEM768, 1249, 1153, 64),
        (NamedGroup::SECP384R1MLKEM1024, 1665, 1665, 80),
    ] {
        let client = EphemeralKey::generate(g, &mut rng).unwrap();
        let share = client.public_key();
        assert_eq!(share.len(), client_len, "{g}");
        let (server_share, secret) = reference_hybrid_server(g, &share);
        assert_eq!(server_share.len(), server_len, "{g}");
        assert_eq!(secret.len(), secret_len, "{g}");
        assert_eq!(client.agree(&server_share).unwrap(), secret, "{g}");
    }
}

#[test]
fn hybrid_shares_of_the_wrong_length() {
    let mut rng = seeded_rng(10);
    for g in [
        NamedGroup::X25519MLKEM768,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
    ] {
        let client = EphemeralKey::generate(g, &mut rng).unwrap();
        let share = client.public_key();
        let server = respond(g, &share, &mut rng, false).unwrap().share;
        for bad in [
            &share[..share.len() - 1],
            &[share.as_slice(), &[4]].concat()[..],
            &[],
        ] {
            let msg = illegal_param(respond(g, bad, &mut rng, false));
            assert!(
                msg.contains(&g.to_string()) && msg.contains("client share"),
                "{msg}"
            );
        }
        for bad in [
            &server[..server.len() - 1],
            &[server.as_slice(), &[4]].concat()[..],
        ] {
            let k = EphemeralKey::generate(g, &mut rng).unwrap();
            let msg = illegal_param(k.agree(bad));
            assert!(
                msg.contains(&g.to_string()) && msg.contains("server share"),
                "{msg}"
            );
        }
    }
}

/// `share` with its ECDHE part (per `share_parts`) changed by `f`.
fn with_ecdh_part(g: NamedGroup, share: &[u8], from: ShareFrom, f: impl Fn(&mut [u8])) -> Vec<u8> {
    let part = share_parts(g, share, from)
        .into_iter()
        .find(|p| !p.label.starts_with("ML-KEM"))
        .unwrap();
    let mut v = share.to_vec();
    f(&mut v[part.range]);
    v
}

#[test]
fn hybrid_ecdh_half_is_checked_in_both_roles() {
    let mut rng = seeded_rng(11);
    for g in [
        NamedGroup::X25519MLKEM768,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
    ] {
        // X25519: an all-zero point (low order); NIST curves: y changed (off the curve).
        let spoil = |part: &mut [u8]| {
            if part.len() == 32 {
                part.fill(0);
            } else {
                *part.last_mut().unwrap() ^= 1;
            }
        };
        let client = EphemeralKey::generate(g, &mut rng).unwrap();
        let share = client.public_key();
        let bad_client = with_ecdh_part(g, &share, ShareFrom::Client, spoil);
        let msg = illegal_param(respond(g, &bad_client, &mut rng, false));
        assert!(msg.starts_with(&format!("{g}: the ")), "{msg}");
        let server = respond(g, &share, &mut rng, false).unwrap().share;
        let bad_server = with_ecdh_part(g, &server, ShareFrom::Server, spoil);
        let msg = illegal_param(client.agree(&bad_server));
        assert!(msg.starts_with(&format!("{g}: the ")), "{msg}");
    }
}

#[test]
fn hybrid_encapsulation_key_modulus_check() {
    let mut rng = seeded_rng(12);
    for g in [
        NamedGroup::X25519MLKEM768,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
    ] {
        let share = EphemeralKey::generate(g, &mut rng).unwrap().public_key();
        let ek = share_parts(g, &share, ShareFrom::Client)
            .into_iter()
            .find(|p| p.label.contains("encapsulation key"))
            .unwrap();
        let mut bad = share.clone();
        let spoiled = with_first_coefficient(&share[ek.range.clone()], 4000);
        bad[ek.range].copy_from_slice(&spoiled);
        let msg = illegal_param(respond(g, &bad, &mut rng, false));
        assert!(
            msg.contains("modulus check") && msg.contains(&g.to_string()),
            "{msg}"
        );
    }
}

#[test]
fn share_and_secret_parts() {
    let parts = |g, len, from| {
        share_parts(g, &vec![0u8; len], from)
            .into_iter()
            .map(|p| (p.label, p.range))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        parts(NamedGroup::X25519MLKEM768, 1216, ShareFrom::Client),
        vec![
            ("ML-KEM-768 encapsulation key", 0..1184),
            ("x25519 public key", 1184..1216)
        ]
    );
    assert_eq!(
        parts(NamedGroup::X25519MLKEM768, 1120, ShareFrom::Server),
        vec![
            ("ML-KEM-768 ciphertext", 0..1088),
            ("x25519 public key", 1088..1120)
        ]
    );
    assert_eq!(
        parts(NamedGroup::SECP256R1MLKEM768, 1249, ShareFrom::Client),
        vec![
            ("secp256r1 public point (uncompressed)", 0..65),
            ("ML-KEM-768 encapsulation key", 65..1249)
        ]
    );
    assert_eq!(
        parts(NamedGroup::SECP384R1MLKEM1024, 1665, ShareFrom::Server),
        vec![
            ("secp384r1 public point (uncompressed)", 0..97),
            ("ML-KEM-1024 ciphertext", 97..1665)
        ]
    );
    assert_eq!(
        parts(MLKEM512, 768, ShareFrom::Server),
        vec![("ML-KEM-512 ciphertext", 0..768)]
    );
    assert_eq!(
        parts(NamedGroup::SECP521R1, 133, ShareFrom::Client),
        vec![("secp521r1 public point (uncompressed)", 0..133)]
    );
    // A malformed share, an unknown group: one part covering it all.
    assert_eq!(
        parts(NamedGroup::X25519MLKEM768, 1000, ShareFrom::Client),
        vec![("key share (malformed: not the group's size)", 0..1000)]
    );
    assert_eq!(
        parts(NamedGroup(0x1234), 7, ShareFrom::Client),
        vec![("key share", 0..7)]
    );
    let secret = |g| {
        secret_parts(g)
            .into_iter()
            .map(|p| (p.label, p.range))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        secret(NamedGroup::X25519MLKEM768),
        vec![
            ("ML-KEM-768 shared secret", 0..32),
            ("x25519 shared secret", 32..64)
        ]
    );
    assert_eq!(
        secret(NamedGroup::SECP384R1MLKEM1024),
        vec![
            ("secp384r1 shared secret (x-coordinate)", 0..48),
            ("ML-KEM-1024 shared secret", 48..80)
        ]
    );
    assert_eq!(
        secret(NamedGroup::FFDHE4096),
        vec![("DH shared secret Z (padded to the size of p)", 0..512)]
    );
    assert!(secret(NamedGroup(0x1234)).is_empty());
    assert_eq!(share_len(NamedGroup::X448, ShareFrom::Server), Some(56));
    assert_eq!(secret_len(NamedGroup::SECP521R1), Some(66));
}

#[test]
fn hostile_shares_never_panic() {
    use rand_core::RngCore;
    let mut rng = seeded_rng(13);
    for &g in ALL_GROUPS {
        let mut lens = vec![0usize, 1, 33];
        for from in [ShareFrom::Client, ShareFrom::Server] {
            let n = share_len(g, from).unwrap();
            lens.extend([n - 1, n, n + 1]);
        }
        for len in lens {
            for first in [0u8, 4, 0xff] {
                let mut share = vec![0u8; len];
                rng.fill_bytes(&mut share);
                if let Some(b) = share.first_mut() {
                    *b = first;
                }
                let _ = respond(g, &share, &mut rng, false);
                let k = EphemeralKey::generate(g, &mut rng).unwrap();
                let _ = k.agree(&share);
            }
        }
    }
}

#[test]
fn rsa_premaster_transport_rejects_non_rsa_keys() {
    let mut rng = seeded_rng(4);
    let e = rsa_encrypt_premaster(b"\x30\x03\x02\x01\x00", &[3u8; 48], &mut rng).unwrap_err();
    assert_eq!(e.alert, Alert::BadCertificate);
    let ec = crate::crypto::sign::SigningKey::generate_p256(&mut rng);
    let e = rsa_encrypt_premaster(&ec.public_key_spki_der(), &[3u8; 48], &mut rng).unwrap_err();
    assert_eq!(e.alert, Alert::BadCertificate);
}
