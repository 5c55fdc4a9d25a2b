//! Client certificates when the server asks for one: an empty Certificate, and
//! CertificateVerify messages made or labelled with each scheme.

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::handshake::config::{CertifiedKey, ClientAuth};
use tlsprobe::inmem::self_signed;
use tlsprobe::wire::codepoints::SignatureScheme;

use crate::common::scripted::{expect_plain, join};
use crate::common::scripted::{raw_msg, rsa_key, Rec, CCS, HS};
use crate::hello::*;
use crate::script::*;

/// test-certificate-request (listen --client-auth request): the server sends a
/// CertificateRequest, and an empty client Certificate is accepted — the handshake
/// completes. With --client-auth require the empty Certificate is refused with
/// handshake_failure (RFC 5246 §7.4.6), the alert tlsfuzzer's client-certificate scripts
/// expect from a server that requires one.
#[test]
fn empty_client_certificate() {
    for (auth, ok) in [(ClientAuth::Request, true), (ClientAuth::Require, false)] {
        let cfg = server_with(self_signed("localhost"), |c| c.client_auth = auth);
        let mut sc = Script::new(cfg);
        let recs = sc.hello(&client_hello(
            0x0303,
            &[ECDHE_ECDSA_AES128GCM],
            Some(&[sigalgs_ext(&[0x0403, 0x0804])]),
        ));
        assert_eq!(recs[3].hs_type(), Some(13), "CertificateRequest");
        let cert = raw_msg(11, &[0, 0, 0]);
        sc.transcript.extend_from_slice(&cert);
        let f2 = sc.flight2(|_| {});
        let bytes = [Rec::new(HS, cert).bytes(), f2].concat();
        let r = sc.s.feed(&bytes);
        if ok {
            r.unwrap();
            sc.expect_server_finished();
            sc.conversation();
        } else {
            expect_plain(&mut sc.s, r, Alert::HandshakeFailure);
        }
    }
}

/// Against `listen --client-auth request`, a scripted TLS 1.2 client with `client` offering
/// `suite` sends its Certificate, ClientKeyExchange, a CertificateVerify labelled `label`
/// but signed with `scheme`, CCS and Finished in one write (as with TCPBufferingEnable);
/// `want` None means the handshake completes and converses, else that plaintext alert.
fn client_certificate_verify12(
    client: &CertifiedKey,
    suite: u16,
    label: u16,
    scheme: u16,
    want: Option<Alert>,
) {
    let cfg = server_with(self_signed("localhost"), |c| {
        c.client_auth = ClientAuth::Request
    });
    let mut sc = Script::new(cfg);
    sc.hello(&client_hello(
        0x0303,
        &[suite],
        Some(&[sigalgs_ext(&[0x0403, 0x0503, 0x0603, 0x0804])]),
    ));
    let chain: Vec<u8> = client
        .chain
        .iter()
        .flat_map(|c| {
            let l = (c.len() as u32).to_be_bytes();
            [&l[1..], &c[..]].concat()
        })
        .collect();
    let l = (chain.len() as u32).to_be_bytes();
    let cert = raw_msg(11, &[&l[1..], &chain[..]].concat());
    sc.transcript.extend_from_slice(&cert);
    let cke = sc.cke();
    let sig = client
        .key
        .sign(SignatureScheme(scheme), &sc.transcript, &mut seeded_rng(5))
        .unwrap();
    let cv = raw_msg(15, &[&label.to_be_bytes()[..], &vec16(&sig)].concat());
    sc.transcript.extend_from_slice(&cv);
    let fin = sc.finished(b"client finished");
    sc.transcript.extend_from_slice(&fin);
    let sealed = sc.cw.as_mut().unwrap().seal(HS, &fin);
    let bytes = join(&[
        Rec::new(HS, cert),
        Rec::new(HS, cke),
        Rec::new(HS, cv),
        Rec::new(CCS, vec![1]),
        sealed,
    ]);
    let r = sc.s.feed(&bytes);
    match want {
        None => {
            r.unwrap();
            sc.expect_server_finished();
            sc.conversation();
        }
        Some(a) => expect_plain(&mut sc.s, r, a),
    }
}

/// test-ecdsa-in-certificate-verify (listen --client-auth request, ECDSA P-256 client key):
/// a CertificateVerify made with the scheme it names completes; one naming a scheme the
/// CertificateRequest did not offer (md5+ecdsa) is illegal_parameter (RFC 5246 §7.4.8);
/// a SHA-256 signature labelled sha384+ecdsa or sha512+ecdsa is decrypt_error; sha512+ecdsa
/// (ecdsa_secp521r1_sha512, in our CertificateRequest since issue 15) completes.
#[test]
fn client_certificate_verify_schemes() {
    let client = self_signed("client");
    let cases: [(u16, u16, Option<Alert>); 6] = [
        (0x0403, 0x0403, None),
        (0x0103, 0x0403, Some(Alert::IllegalParameter)),
        (0x0503, 0x0403, Some(Alert::DecryptError)),
        (0x0603, 0x0403, Some(Alert::DecryptError)),
        (0x0603, 0x0603, None),
        // sha224/sha1+ecdsa are not in our CertificateRequest (tlsfuzzer expects them to be
        // accepted; RFC 9155 §4 excludes SHA-1): refused
        (0x0303, 0x0403, Some(Alert::IllegalParameter)),
    ];
    for (label, sign, want) in cases {
        client_certificate_verify12(&client, ECDHE_ECDSA_AES128GCM, label, sign, want);
    }
}

/// test-rsa-sigs-on-certificate-verify (SLOTH; an RSA client key, with a SHA-256 and a
/// SHA-384 PRF — ECDHE-AEAD suites here, TLS_RSA_* in the script): PKCS#1 CertificateVerify
/// with SHA-256, SHA-384 or SHA-512 completes; SHA-1 (which the script also expects to
/// work) is illegal_parameter: not in our CertificateRequest (RFC 9155 §4).
#[test]
fn rsa_client_certificate_verify_hashes() {
    let client = rsa_key();
    for suite in [ECDHE_ECDSA_AES128GCM, ECDHE_ECDSA_AES256GCM] {
        for scheme in [0x0401u16, 0x0501, 0x0601] {
            client_certificate_verify12(&client, suite, scheme, scheme, None);
        }
        client_certificate_verify12(
            &client,
            suite,
            0x0201,
            0x0401,
            Some(Alert::IllegalParameter),
        );
    }
}
