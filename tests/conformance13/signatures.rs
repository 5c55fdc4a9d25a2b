//! CertificateVerify schemes: which certificate and scheme answer each offer, schemes refused,
//! and the client's CertificateVerify checked (RSASSA-PSS salt and MGF1 hash included).

use tlsprobe::crypto::hash::HashAlg;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::inmem::Pair;
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup, SignatureScheme};
use tlsprobe::wire::extensions::ExtBody;

use crate::common::scripted::*;
use crate::steps::*;

/// test-tls13-rsa-signatures.py (without -b, the server has an rsaEncryption key only):
/// each rsa_pss_rsae_* alone gets a CertificateVerify made with it (from the RSA
/// certificate); rsa_pss_pss_* alone is handshake_failure (RFC 8446 §4.2.3: those need an
/// RSASSA-PSS key). Also (not from a script read here): ecdsa_secp256r1_sha256 alone is
/// served from the ECDSA certificate, ecdsa_secp384r1_sha384 alone is handshake_failure.
#[test]
fn certificate_verify_scheme_per_offer() {
    let cv_scheme = |p: &mut Pair| {
        let (items, _) = flight13(p);
        let cv = &items[4].1;
        SignatureScheme(u16::from_be_bytes([cv[4], cv[5]]))
    };
    for s in [
        SignatureScheme::RSA_PSS_RSAE_SHA256,
        SignatureScheme::RSA_PSS_RSAE_SHA384,
        SignatureScheme::RSA_PSS_RSAE_SHA512,
        SignatureScheme::ECDSA_SECP256R1_SHA256,
    ] {
        let mut cc = cc13();
        cc.sigalgs = vec![s];
        let mut p = two_cert_peers(cc);
        assert_eq!(cv_scheme(&mut p), s);
    }
    for s in [0x0809u16, 0x080a, 0x080b, 0x0503] {
        only_scheme_is_handshake_failure(s);
    }
}

/// A TLS 1.3 hello offering only `scheme` (which neither of the server's keys may use for a
/// CertificateVerify) gets handshake_failure in clear.
fn only_scheme_is_handshake_failure(scheme: u16) {
    let mut p = two_cert_peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        set_ext(
            &mut ch.extensions,
            ET::SIGNATURE_ALGORITHMS,
            ExtBody::SignatureAlgorithms(vec![SignatureScheme(scheme)]),
        )
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::HandshakeFailure);
}

/// test-tls13-pkcs-signature.py: rsa_pkcs1 with MD5, SHA-1, SHA-224, SHA-256, SHA-384 or
/// SHA-512 alone is handshake_failure, even with an RSA certificate available (RFC 8446
/// §4.2.3: PKCS#1 v1.5 is not for CertificateVerify in TLS 1.3).
#[test]
fn pkcs1_only_is_handshake_failure() {
    for s in [0x0101u16, 0x0201, 0x0301, 0x0401, 0x0501, 0x0601] {
        only_scheme_is_handshake_failure(s);
    }
}

/// RSASSA-PSS encoding (RFC 8017 §9.1.1) with a free choice of salt length and MGF1 hash,
/// and the raw RSA private operation: for signatures our signer would never make.
fn pss_sign(
    key: &rsa::RsaPrivateKey,
    msg_hash: HashAlg,
    mgf_hash: HashAlg,
    salt_len: usize,
    content: &[u8],
) -> Vec<u8> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let k = key.size();
    let em_bits = key.n().bits() - 1;
    let em_len = em_bits.div_ceil(8);
    let m_hash = msg_hash.hash(content);
    let salt: Vec<u8> = (0..salt_len).map(|i| (i as u8) ^ 0x5c).collect();
    let h = msg_hash.hash(&[&[0u8; 8][..], &m_hash, &salt].concat());
    let db_len = em_len - h.len() - 1;
    let mut db = vec![0u8; db_len - salt_len - 1];
    db.push(1);
    db.extend_from_slice(&salt);
    // MGF1 (RFC 8017 B.2.1) over H with mgf_hash
    let mut mask = vec![];
    let mut counter = 0u32;
    while mask.len() < db_len {
        mask.extend(mgf_hash.hash(&[&h[..], &counter.to_be_bytes()].concat()));
        counter += 1;
    }
    for (d, m) in db.iter_mut().zip(&mask) {
        *d ^= m;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let em = [&db[..], &h, &[0xbc]].concat();
    let s = rsa::BigUint::from_bytes_be(&em).modpow(key.d(), key.n());
    let mut sig = s.to_bytes_be();
    while sig.len() < k {
        sig.insert(0, 0);
    }
    sig
}

/// Runs a TLS 1.3 handshake against `listen --client-auth request` up to the server's
/// flight (which must hold a CertificateRequest), sends the client `Certificate` for
/// `chain` and, if the chain is not empty, a CertificateVerify labelled `scheme` with the
/// signature `sign(content)` over the server's transcript, then the Finished. Returns the
/// server's answer to the client flight (its first refusal) and the server's write keys
/// of that moment (application keys: the server has sent its Finished).
type Answer = (Pair, Sealer, Result<(), tlsprobe::error::TlsError>);

fn client_auth13(chain: &[Vec<u8>], scheme: u16, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> Answer {
    let mut p = peers_with(cc13(), |sc| {
        sc.client_auth = tlsprobe::handshake::config::ClientAuth::Request
    });
    let hello = p.client.take_output();
    let recs = flight(&mut p, &hello);
    let mut sk = (
        sealer(&p.server_events, SUITE, "server_handshake_traffic"),
        sealer(&p.server_events, SUITE, "server_application_traffic"),
    );
    let types: Vec<u8> = open_flight13(&recs, &mut sk.0)
        .iter()
        .map(|(t, d, _)| if *t == HS { d[0] } else { *t })
        .collect();
    assert_eq!(types, [2, CCS, 8, 13, 11, 15, 20]);
    let mut ck = sealer(&p.server_events, SUITE, "client_handshake_traffic");
    let entries: Vec<u8> = chain
        .iter()
        .flat_map(|c| {
            let l = (c.len() as u32).to_be_bytes();
            [&l[1..], &c[..], &[0, 0]].concat()
        })
        .collect();
    let l = (entries.len() as u32).to_be_bytes();
    let cert = raw_msg(11, &[&[0u8][..], &l[1..], &entries].concat());
    let mut bytes = ck.seal(HS, &cert).bytes();
    p.server.feed(&bytes).unwrap();
    p.collect_events();
    if !chain.is_empty() {
        let th = transcript_hash13(&p.server_events, HashAlg::Sha256);
        let sig = sign(&tlsprobe::crypto::sign::tls13_verify_content(false, &th));
        let l = (sig.len() as u16).to_be_bytes();
        let cv = raw_msg(15, &[&scheme.to_be_bytes()[..], &l, &sig].concat());
        bytes = ck.seal(HS, &cv).bytes();
        let r = p.server.feed(&bytes);
        if r.is_err() {
            return (p, sk.1, r);
        }
        p.collect_events();
    }
    let fin = client_finished_with(&p, &mut ck, |_| {});
    let r = p.server.feed(&fin);
    (p, sk.1, r)
}

/// test-tls13-certificate-verify.py (listen --client-auth request, an RSA client
/// certificate): an empty client Certificate completes ("check sigalgs in cert request");
/// a CertificateVerify made with each rsa_pss_rsae_* completes; rsa_pss_pss_* (needs an
/// RSASSA-PSS key), rsa_pkcs1_* (not for TLS 1.3 CertificateVerify, RFC 8446 §4.4.3) and
/// schemes not in our CertificateRequest are illegal_parameter; a PSS signature with a salt
/// of 0, hash length - 1 or + 1 bytes (RFC 8446 §4.2.3: the salt is as long as the hash), a
/// PKCS#1 signature or a SHA-384 PSS signature labelled rsa_pss_rsae_sha256, an MGF1 hash
/// that differs from the message hash, or a signature with a flipped bit is decrypt_error.
/// All alerts are sent under the server's application keys.
#[test]
fn client_certificate_verify13() {
    let client = rsa_key();
    let tlsprobe::crypto::sign::SigningKey::Rsa(key) = &*client.key else {
        unreachable!("an RSA key")
    };
    let chain = &client.chain;
    let signer = |s: u16| {
        let k = client.key.clone();
        move |c: &[u8]| k.sign(SignatureScheme(s), c, &mut seeded_rng(5)).unwrap()
    };
    let done = |(mut p, _, r): Answer| {
        r.unwrap();
        assert!(p.server.is_established());
        p.collect_events();
    };
    let refused = |(mut p, mut sk, r): Answer, want: Alert| {
        expect_sealed_at(&mut p, r, want, &mut sk);
    };

    done(client_auth13(&[], 0, |_| unreachable!()));
    for s in [0x0804u16, 0x0805, 0x0806] {
        done(client_auth13(chain, s, signer(s)));
    }
    for s in [
        0x0809u16, 0x080a, 0x080b, 0x0601, 0x0501, 0x0401, 0x0301, 0x0201, 0x0101,
    ] {
        refused(
            client_auth13(chain, s, signer(0x0804)),
            Alert::IllegalParameter,
        );
    }
    let (sha256, sha384) = (HashAlg::Sha256, HashAlg::Sha384);
    // the hand-made PSS signature is right with a 32-byte salt...
    done(client_auth13(chain, 0x0804, |c| {
        pss_sign(key, sha256, sha256, 32, c)
    }));
    // ...and refused with any other
    for salt in [0, 31, 33] {
        refused(
            client_auth13(chain, 0x0804, |c| pss_sign(key, sha256, sha256, salt, c)),
            Alert::DecryptError,
        );
    }
    type Signer<'a> = Box<dyn FnOnce(&[u8]) -> Vec<u8> + 'a>;
    let bad: Vec<Signer> = vec![
        Box::new(|c| pss_sign(key, sha256, sha384, 32, c)),
        Box::new(|c| pss_sign(key, sha384, sha384, 48, c)),
        Box::new(|c| {
            client
                .key
                .sign(SignatureScheme(0x0401), c, &mut seeded_rng(5))
                .unwrap()
        }),
    ];
    for f in bad {
        refused(client_auth13(chain, 0x0804, f), Alert::DecryptError);
    }
    for (pos, bit) in [(0usize, 0x01u8), (1, 0x80), (128, 0x01), (255, 0x80)] {
        let sign = signer(0x0804);
        refused(
            client_auth13(chain, 0x0804, move |c| {
                let mut s = sign(c);
                s[pos] ^= bit;
                s
            }),
            Alert::DecryptError,
        );
    }
}

/// test-tls13-ecdsa-support.py (listen with a P-256 and a P-384 certificate, as with two
/// --cert/--key pairs): all three ECDSA schemes offered (either
/// certificate may answer), or secp256r1_sha256 or
/// secp384r1_sha384 alone, with only secp256r1 in supported_groups: the CertificateVerify
/// is made with the offered scheme from the matching certificate. secp521r1_sha512 alone
/// is handshake_failure (no P-521 support: an expected difference).
#[test]
fn ecdsa_certificate_per_offered_scheme() {
    let p384 = {
        let kp = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
        let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        tlsprobe::handshake::config::CertifiedKey {
            chain: vec![params.self_signed(&kp).unwrap().der().to_vec()],
            key: std::sync::Arc::new(
                tlsprobe::crypto::sign::SigningKey::from_pem(&kp.serialize_pem()).unwrap(),
            ),
        }
    };
    for (offer, want) in [
        (vec![0x0603u16, 0x0503, 0x0403], &[0x0503u16, 0x0403][..]),
        (vec![0x0403], &[0x0403]),
        (vec![0x0503], &[0x0503]),
    ] {
        let mut cc = with_groups(cc13(), &[NamedGroup::SECP256R1]);
        cc.sigalgs = offer.iter().map(|s| SignatureScheme(*s)).collect();
        let mut p = peers_with(cc, |sc| sc.alt_certs = vec![p384.clone()]);
        let (items, _) = flight13(&mut p);
        let cv = &items[4].1;
        let got = u16::from_be_bytes([cv[4], cv[5]]);
        assert!(want.contains(&got), "{offer:04x?}: {got:04x}");
        // (the client verifies the CertificateVerify and the server's Finished)
        let hello = seal_flight13(
            &items,
            &mut sealer(&p.server_events, SUITE, "server_handshake_traffic"),
        );
        p.to_client(&hello);
        assert!(!p.client.is_failed());
    }
    only_scheme_is_handshake_failure(0x0603);
}
