//! TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2) with a hostile peer: a
//! client whose Certificate, CertificateVerify or Finished after our server's request is
//! spoiled, or that sends them unasked; a server that asks a client which offered
//! post_handshake_auth without saying how to sign.

use tlsprobe::error::Alert;
use tlsprobe::handshake::config::{ClientAuth, ClientConfig};
use tlsprobe::inmem::{self, Pair, Side};
use tlsprobe::wire::codepoints::{ExtensionType as ET, SignatureScheme};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::{CertificateRequest13, HandshakeMessage as HM};

use crate::common::scripted::*;

const CERTIFICATE: u8 = 11;
const CERTIFICATE_VERIFY: u8 = 15;
const FINISHED: u8 = 20;

/// A TLS 1.3 client offering post_handshake_auth with a certificate, and a server asking
/// for one after the handshake; the handshake done.
fn pha_peers(required: bool) -> Pair {
    let cc = ClientConfig {
        post_handshake_auth: true,
        client_cert: Some(inmem::self_signed("client")),
        ..cc13()
    };
    let mut p = peers_with(cc, |sc| {
        sc.client_auth = ClientAuth::PostHandshake { required }
    });
    p.complete();
    p
}

/// The server's request delivered to the client; the client's answer opened: its messages
/// (type, bytes), one per record, and the client's keys at the first of them.
fn answer(p: &mut Pair) -> (Vec<(u8, Vec<u8>)>, Sealer) {
    assert!(p.server.request_client_certificate());
    let request = p.take(Side::Server);
    let recs = p.to_client(&request);
    let mut ck = p.writer(Side::Client, 0x1301, "client_application_traffic");
    let first = ck.seq;
    let msgs = recs
        .iter()
        .map(|r| {
            let (t, m) = ck.open13(r);
            assert_eq!(t, HS);
            (m[0], m)
        })
        .collect();
    ck.seq = first;
    (msgs, ck)
}

/// Seals `msgs` in order as the client and feeds them to the server, which must refuse
/// them with `want` (sealed with its application keys).
fn refused(p: &mut Pair, msgs: &[(u8, Vec<u8>)], ck: &mut Sealer, want: Alert) {
    let bytes: Vec<u8> = msgs
        .iter()
        .flat_map(|(_, m)| ck.seal(HS, m).bytes())
        .collect();
    let r = p.server.feed(&bytes);
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    expect_sealed(&mut p.server, r, want, &mut sk);
}

/// The untouched answer is accepted (what the cases below spoil).
#[test]
fn post_handshake_answer_untouched_is_accepted() {
    let mut p = pha_peers(false);
    let (msgs, mut ck) = answer(&mut p);
    let types: Vec<u8> = msgs.iter().map(|(t, _)| *t).collect();
    assert_eq!(types, [CERTIFICATE, CERTIFICATE_VERIFY, FINISHED]);
    let bytes: Vec<u8> = msgs
        .iter()
        .flat_map(|(_, m)| ck.seal(HS, m).bytes())
        .collect();
    p.server.feed(&bytes).unwrap();
    assert!(!p.server.post_handshake_auth_pending());
    assert!(p.server.summary().unwrap().client_certificate.is_some());
}

/// RFC 8446 §4.4.3: a CertificateVerify whose signature does not verify: decrypt_error.
#[test]
fn post_handshake_bad_certificate_verify_is_decrypt_error() {
    let mut p = pha_peers(false);
    let (mut msgs, mut ck) = answer(&mut p);
    let cv = &mut msgs[1].1;
    let n = cv.len();
    cv[n - 1] ^= 0xff;
    refused(&mut p, &msgs, &mut ck, Alert::DecryptError);
}

/// RFC 8446 §4.4.4: a Finished that does not match (its key from the client application
/// traffic secret, its transcript the handshake's and the exchange's): decrypt_error.
#[test]
fn post_handshake_bad_finished_is_decrypt_error() {
    let mut p = pha_peers(false);
    let (mut msgs, mut ck) = answer(&mut p);
    msgs[2].1[4] ^= 1;
    refused(&mut p, &msgs, &mut ck, Alert::DecryptError);
}

/// RFC 8446 §4.4.2: the Certificate must echo the request's certificate_request_context:
/// another one is illegal_parameter.
#[test]
fn post_handshake_certificate_with_another_context_is_illegal_parameter() {
    let mut p = pha_peers(false);
    let (mut msgs, mut ck) = answer(&mut p);
    // type, length (3), context length (1), then the context
    assert_eq!(msgs[0].1[4], 8);
    msgs[0].1[5] ^= 1;
    refused(&mut p, &msgs[..1], &mut ck, Alert::IllegalParameter);
}

/// RFC 8446 §4.4.2.4: with a certificate required, an empty Certificate is
/// certificate_required.
#[test]
fn post_handshake_empty_certificate_when_required_is_certificate_required() {
    let mut p = pha_peers(true);
    let (msgs, mut ck) = answer(&mut p);
    let context = msgs[0].1[5..13].to_vec();
    let mut body = vec![8];
    body.extend_from_slice(&context);
    body.extend_from_slice(&[0, 0, 0]);
    let empty = (CERTIFICATE, raw_msg(CERTIFICATE, &body));
    refused(&mut p, &[empty], &mut ck, Alert::CertificateRequired);
}

/// RFC 8446 §4.4: the client's answer comes in order (Certificate, CertificateVerify,
/// Finished) and only when asked; anything else is unexpected_message.
#[test]
fn post_handshake_messages_out_of_order_or_unasked_are_unexpected_message() {
    // CertificateVerify first
    let mut p = pha_peers(false);
    let (msgs, mut ck) = answer(&mut p);
    refused(&mut p, &msgs[1..], &mut ck, Alert::UnexpectedMessage);
    // Finished without a CertificateVerify after a certificate
    let mut p = pha_peers(false);
    let (msgs, mut ck) = answer(&mut p);
    let skipped = [msgs[0].clone(), msgs[2].clone()];
    refused(&mut p, &skipped, &mut ck, Alert::UnexpectedMessage);
    // A Certificate nobody asked for
    let mut p = pha_peers(false);
    let mut ck = p.writer(Side::Client, 0x1301, "client_application_traffic");
    let unasked = (CERTIFICATE, raw_msg(CERTIFICATE, &[0, 0, 0, 0]));
    refused(&mut p, &[unasked], &mut ck, Alert::UnexpectedMessage);
}

/// RFC 8446 §4.3.2: a post-handshake CertificateRequest must carry signature_algorithms,
/// also to a client that offered post_handshake_auth: missing_extension.
#[test]
fn post_handshake_request_without_signature_algorithms_is_missing_extension() {
    let mut p = pha_peers(false);
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let no_sigalgs = HM::CertificateRequest13(CertificateRequest13 {
        context: vec![1; 8],
        extensions: vec![Extension::new(
            ET::SIGNATURE_ALGORITHMS_CERT,
            ExtBody::SignatureAlgorithms(vec![SignatureScheme::ED25519]),
        )],
    })
    .encode();
    let r = p.client.feed(&sk.seal(HS, &no_sigalgs).bytes());
    let mut ck = p.writer(Side::Client, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.client, r, Alert::MissingExtension, &mut ck);
}
