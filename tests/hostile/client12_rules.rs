//! A hostile TLS 1.0-1.2 server in front of our client: the downgrade sentinels (RFC 8446
//! §4.1.3), the ServerHello (RFC 5246 §7.4.1.3, §7.4.1.4, RFC 5746 §3.4, RFC 7627 §5.3,
//! RFC 7366 §3, RFC 8422 §5.2), session resumption, the ServerKeyExchange (RFC 5246
//! §7.4.3, RFC 8422 §5.4) and the messages around it (§7.4.2, §7.4.5, RFC 5077 §3.3,
//! RFC 6066 §8), each refusal with its exact alert.

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::{Alert, TlsError};
use tlsprobe::event::{CheckKind, Dir, Event};
use tlsprobe::handshake::config::{CertifiedKey, ClientConfig};
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::{
    CompressionMethod, EcPointFormat, ExtensionType as ET, NamedGroup, ProtocolVersion as V,
    SignatureScheme,
};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::{
    Certificate, CertificateStatus, HandshakeMessage as HM, NewSessionTicket12, ServerHello,
    ServerKeyExchange, DOWNGRADE_TLS11, DOWNGRADE_TLS12,
};
use tlsprobe::wire::suites::CipherSuite;

use crate::client_steps::*;
use crate::common::scripted::*;

/// A client on `cc` fed `sh` as the answer to its ClientHello (taken, not delivered).
fn client_given(cc: ClientConfig, sh: ServerHello) -> (Pair, Result<(), TlsError>) {
    let mut p = peers(cc);
    p.take(Side::Client);
    let r = feed_server_hello(&mut p, sh);
    (p, r)
}

/// A TLS 1.2 ServerHello from a TLS 1.2-only server (no sentinel of its own) to a TLS 1.2
/// client.
fn tls12_server_hello() -> ServerHello {
    first_server_hello(&mut tls12_server_peers(cc12()))
}

/// RFC 8446 §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST
/// check that the last 8 bytes are not equal to either of these values ... If a match is
/// found, the client MUST abort the handshake with an "illegal_parameter" alert."
#[test]
fn tls13_client_refuses_both_downgrade_sentinels_in_tls12() {
    for tail in [DOWNGRADE_TLS12, DOWNGRADE_TLS11] {
        let mut p = tls12_server_peers(cc_both());
        let mut sh = first_server_hello(&mut p);
        assert_eq!(sh.cipher_suite, CipherSuite(0xc02b), "TLS 1.2 negotiated");
        assert_ne!(&sh.random[24..], &tail, "a TLS 1.2-only server sets none");
        sh.random = with_tail(sh.random, &tail);
        let r = feed_server_hello(&mut p, sh);
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains("TLS 1.3"), "{e}");
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

/// The same rule when the server picks TLS 1.1 (the client offers TLS 1.1 and 1.3); and
/// RFC 8446 §4.1.3 for a client that offered TLS 1.2 (and 1.1): "TLS 1.2 clients SHOULD
/// also check that the last 8 bytes are not equal to the second value if the ServerHello
/// indicates TLS 1.1 or below" (we do, illegal_parameter).
#[test]
fn downgrade_sentinels_in_tls11() {
    let cbc = [0x1301u16, 0xc009];
    for (versions, tail, names) in [
        (vec![V::TLS11, V::TLS13], DOWNGRADE_TLS12, "TLS 1.3"),
        (vec![V::TLS11, V::TLS13], DOWNGRADE_TLS11, "TLS 1.3"),
        (vec![V::TLS11, V::TLS12], DOWNGRADE_TLS11, "TLS 1.2"),
    ] {
        let mut sh = tls12_server_hello();
        sh.version = V::TLS11;
        sh.cipher_suite = CipherSuite(0xc009);
        sh.random = with_tail(sh.random, &tail);
        let cc = with_suites(with_versions(cc12(), &versions), &cbc);
        let (mut p, r) = client_given(cc, sh);
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains(names), "{e}");
        let out = expect_fatal(&mut p.client, r, Alert::IllegalParameter);
        // the record layer already speaks TLS 1.1
        assert_eq!(out, [ALERT, 3, 2, 0, 2, 2, Alert::IllegalParameter.to_u8()]);
    }
}

/// The other side of RFC 8446 §4.1.3: a TLS 1.3 server negotiating TLS 1.2 with a client
/// that offered only TLS 1.2 sets DOWNGRD\x01, and that client must go on (it asked for no
/// more); likewise DOWNGRD\x01 in TLS 1.1 for a client that offered 1.1 and 1.2 (only the
/// second value concerns it).
#[test]
fn tls12_client_accepts_the_tls13_sentinel() {
    let mut p = peers(cc12());
    p.complete();
    let sh = p
        .client_events
        .iter()
        .find_map(|e| match e {
            Event::Handshake { msg, .. } => match &**msg {
                HM::ServerHello(sh) => Some(sh.clone()),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    assert_eq!(&sh.random[24..], &DOWNGRADE_TLS12);

    let mut sh = tls12_server_hello();
    sh.version = V::TLS11;
    sh.cipher_suite = CipherSuite(0xc009);
    sh.random = with_tail(sh.random, &DOWNGRADE_TLS12);
    let cc = with_suites(with_versions(cc12(), &[V::TLS11, V::TLS12]), &[0xc009]);
    let (p, r) = client_given(cc, sh);
    r.unwrap();
    assert!(!p.client.is_failed());
}

/// RFC 5246 §7.4.1.3: compression_method is "the single compression algorithm selected by
/// the server from the list in ClientHello.compression_methods"; we offered only null.
#[test]
fn tls12_compression_method_not_offered_is_illegal_parameter() {
    let mut sh = tls12_server_hello();
    sh.compression_method = CompressionMethod::DEFLATE;
    let (mut p, r) = client_given(cc12(), sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 5246 §7.4.1.3 and Appendix E.1: the server's version must be one the client enabled,
/// at most its client_version: TLS 1.3 in legacy_version (without supported_versions), TLS
/// 1.1 to a TLS 1.2-only client, and SSL 3.0 (RFC 7568 §3, RFC 8446 Appendix D.5) are
/// protocol_version.
#[test]
fn tls12_server_version_not_offered_is_protocol_version() {
    for v in [V::TLS13, V::TLS11, V(0x0300), V(0x0399)] {
        let mut sh = tls12_server_hello();
        sh.version = v;
        let (mut p, r) = client_given(cc12(), sh);
        expect_plain(&mut p.client, r, Alert::ProtocolVersion);
    }
}

/// RFC 5746 §3.4: "The client MUST then verify that the length of the
/// "renegotiated_connection" field is zero, and if it is not, MUST abort the handshake (by
/// sending a fatal handshake_failure alert)." Without the extension the server does not
/// support secure renegotiation: the client "may want to terminate" (a MAY); ours goes on
/// and reports it (we never renegotiate).
#[test]
fn tls12_renegotiation_info() {
    let mut sh = tls12_server_hello();
    set_ext(
        &mut sh.extensions,
        ET::RENEGOTIATION_INFO,
        ExtBody::RenegotiationInfo(vec![0; 12]),
    );
    let (mut p, r) = client_given(cc12(), sh);
    expect_plain(&mut p.client, r, Alert::HandshakeFailure);

    let mut sh = tls12_server_hello();
    sh.extensions.retain(|e| e.typ != ET::RENEGOTIATION_INFO);
    let (mut p, r) = client_given(cc12(), sh);
    r.unwrap();
    p.collect_events();
    assert!(p.client_events.iter().any(|e| matches!(
        e,
        Event::Handshake { checks, .. }
            if checks.iter().any(|c| c.kind == CheckKind::NoSecureRenegotiation && !c.ok)
    )));
}

/// The server's answer to a resuming client, which must be an abbreviated handshake (no
/// Certificate).
fn resumed_flight(p: &mut Pair) -> Vec<Rec> {
    let recs = p.first_flight();
    assert!(
        recs.iter().all(|r| r.hs_type() != Some(11)),
        "the server resumes"
    );
    assert!(recs.iter().any(|r| r.ct == CCS));
    recs
}

/// RFC 7627 §5.3 (client, abbreviated handshake): "If the original session used the
/// "extended_master_secret" extension but the new ServerHello does not contain the
/// extension, the client MUST abort the handshake." and "If the original session did not
/// use the extension but the new ServerHello contains the extension, the client MUST abort
/// the handshake." (handshake_failure, as RFC 7627 §5.2 names for the server's checks).
#[test]
fn tls12_resumption_changing_extended_master_secret_is_handshake_failure() {
    let mut p = resuming_pair(cc12(), |s| assert!(s.extended_master_secret));
    let mut sh = first_server_hello(&mut p);
    sh.extensions
        .retain(|e| e.typ != ET::EXTENDED_MASTER_SECRET);
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::HandshakeFailure);

    // the session we remember was made without it; the server resumes with it
    let mut p = resuming_pair(cc12(), |s| s.extended_master_secret = false);
    let recs = resumed_flight(&mut p);
    let r = p.client.feed(&join(&recs));
    expect_plain(&mut p.client, r, Alert::HandshakeFailure);
}

/// RFC 5246 §7.4.1.3: when resuming, cipher_suite "is the value from the state of the
/// session being resumed" (and the version too, §7.4.1.2): a server echoing our session id
/// with another suite or version is illegal_parameter.
#[test]
fn tls12_resumption_with_another_suite_or_version_is_illegal_parameter() {
    let cc = with_suites(cc12(), &[0xc02b, 0xc02c]);
    let mut p = resuming_pair(cc, |s| assert_eq!(s.suite, CipherSuite(0xc02b)));
    let mut sh = first_server_hello(&mut p);
    sh.cipher_suite = CipherSuite(0xc02c);
    let r = feed_server_hello(&mut p, sh);
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("resumed"), "{e}");
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    // the session says TLS 1.1, the server resumes it in TLS 1.2
    let cc = with_versions(cc12(), &[V::TLS11, V::TLS12]);
    let mut p = resuming_pair(cc, |s| s.version = V::TLS11);
    let recs = resumed_flight(&mut p);
    let r = p.client.feed(&join(&recs));
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("resumed"), "{e}");
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 7366 §3: a server that selects an AEAD suite "MUST NOT send an encrypt-then-MAC
/// response extension back to the client"; receiving one is a parameter inconsistent with
/// the suite: illegal_parameter.
#[test]
fn tls12_encrypt_then_mac_with_an_aead_suite_is_illegal_parameter() {
    let mut sh = tls12_server_hello();
    sh.extensions.push(Extension::new(
        ET::ENCRYPT_THEN_MAC,
        ExtBody::EncryptThenMac,
    ));
    // the client offered it: it offers a CBC suite too
    let (mut p, r) = client_given(with_suites(cc12(), &[0xc02b, 0xc009]), sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8422 §5.2: the server's ec_point_formats "MUST contain the value 0 (uncompressed)";
/// the client "MUST respect the server's choice of point formats", and uncompressed is the
/// only format it has: a list without it cannot be respected, illegal_parameter (as §5.1.2
/// names for the mirror case). A list with uncompressed among others is fine; an empty list
/// is out of the field's range (<1..2^8-1>): decode_error.
#[test]
fn tls12_point_formats_without_uncompressed_are_refused() {
    let formats = |f: Vec<EcPointFormat>| {
        let mut sh = tls12_server_hello();
        set_ext(
            &mut sh.extensions,
            ET::EC_POINT_FORMATS,
            ExtBody::EcPointFormats(f),
        );
        client_given(cc12(), sh)
    };
    let (mut p, r) = formats(vec![EcPointFormat::ANSIX962_COMPRESSED_PRIME]);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    let (p, r) = formats(vec![
        EcPointFormat::ANSIX962_COMPRESSED_PRIME,
        EcPointFormat::UNCOMPRESSED,
    ]);
    r.unwrap();
    assert!(!p.client.is_failed());

    let (mut p, r) = formats(vec![]);
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

/// RFC 5246 §7.4.1.4: "If a client receives an extension type in ServerHello that it did not
/// request in the associated ClientHello, it MUST abort the handshake with an
/// unsupported_extension fatal alert." The cookie is a TLS 1.3 HelloRetryRequest's alone
/// (RFC 8446 §4.2): in a TLS 1.2 ServerHello it answers nothing. Also session_ticket when
/// we did not ask for tickets.
#[test]
fn tls12_unrequested_server_hello_extensions_are_unsupported_extension() {
    let mut sh = tls12_server_hello();
    sh.extensions
        .push(Extension::new(ET::COOKIE, ExtBody::Cookie(vec![1; 8])));
    let (mut p, r) = client_given(cc_both(), sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);

    let sh = tls12_server_hello();
    assert!(sh.extensions.iter().any(|e| e.typ == ET::SESSION_TICKET));
    let mut cc = cc12();
    cc.session_tickets = false;
    let (mut p, r) = client_given(cc, sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
}

/// A ServerKeyExchange for P-256 over this connection's randoms (RFC 8422 §5.4), signed by
/// `key` with `scheme`; `tamper` may change the signature.
fn ske(
    p: &Pair,
    server_random: &[u8; 32],
    key: &CertifiedKey,
    scheme: SignatureScheme,
    tamper: impl FnOnce(&mut Vec<u8>),
) -> Rec {
    let group = NamedGroup::SECP256R1;
    let public = valid_p256();
    let mut params = vec![3u8];
    params.extend_from_slice(&group.0.to_be_bytes());
    params.push(public.len() as u8);
    params.extend_from_slice(&public);
    let mut signed = p.client_random().to_vec();
    signed.extend_from_slice(server_random);
    signed.extend_from_slice(&params);
    let mut signature = key.key.sign(scheme, &signed, &mut seeded_rng(5)).unwrap();
    tamper(&mut signature);
    let m = HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
        group,
        public,
        params,
        scheme: Some(scheme),
        signature,
    });
    Rec::new(HS, m.encode())
}

/// The TLS 1.2 flight with its ServerKeyExchange replaced by `ske`, fed to the client.
fn with_key_exchange(
    p: &mut Pair,
    make: impl FnOnce(&Pair, &[u8; 32]) -> Rec,
) -> Result<(), TlsError> {
    let mut recs = flight12(p);
    let sr = server_hello(&recs[0]).random;
    recs[2] = make(&*p, &sr);
    p.client.feed(&join(&recs))
}

/// RFC 5246 §7.4.3: the client checks the ServerKeyExchange signature; one that does not
/// verify is decrypt_error (§7.2.2: "a handshake cryptographic operation failed, including
/// being unable to correctly verify a signature"). The untouched signature passes.
#[test]
fn tls12_bad_server_key_exchange_signature_is_decrypt_error() {
    let scheme = SignatureScheme::ECDSA_SECP256R1_SHA256;
    let mut p = peers(cc12());
    with_key_exchange(&mut p, |p, sr| ske(p, sr, &server_key(), scheme, |_| {})).unwrap();

    let mut p = peers(cc12());
    let r = with_key_exchange(&mut p, |p, sr| {
        ske(p, sr, &server_key(), scheme, |s| {
            let n = s.len();
            s[n - 2] ^= 1
        })
    });
    expect_plain(&mut p.client, r, Alert::DecryptError);

    // signed over another client random (a replayed ServerKeyExchange)
    let mut p = peers(cc12());
    let r = with_key_exchange(&mut p, |p, sr| {
        let mut other = *sr;
        other[0] ^= 1;
        ske(p, &other, &server_key(), scheme, |_| {})
    });
    expect_plain(&mut p.client, r, Alert::DecryptError);
}

/// RFC 5246 §7.4.1.4.1 / §7.4.3: the ServerKeyExchange's signature algorithm must be one
/// the client listed in signature_algorithms (illegal_parameter), and fit the certificate's
/// key (an RSA scheme from an ECDSA key: illegal_parameter, RFC 8446 §6.2 for a field
/// inconsistent with others).
#[test]
fn tls12_server_key_exchange_scheme_refused_is_illegal_parameter() {
    let mut cc = cc12();
    cc.sigalgs = vec![
        SignatureScheme::ECDSA_SECP256R1_SHA256,
        SignatureScheme::RSA_PSS_RSAE_SHA256,
    ];
    let mut p = peers(cc.clone());
    let r = with_key_exchange(&mut p, |p, sr| {
        ske(
            p,
            sr,
            &server_key(),
            SignatureScheme::ECDSA_SECP384R1_SHA384,
            |_| {},
        )
    });
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    let mut p = peers(cc);
    let r = with_key_exchange(&mut p, |p, sr| {
        ske(
            p,
            sr,
            &rsa_key(),
            SignatureScheme::RSA_PSS_RSAE_SHA256,
            |_| {},
        )
    });
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8422 §5.4: explicit_prime (1) and explicit_char2 (2) curves are deprecated and not
/// to be used; a ServerKeyExchange with one is illegal_parameter (RFC 8422 §5.4, as for a
/// curve we did not offer).
#[test]
fn tls12_explicit_curve_in_server_key_exchange_is_illegal_parameter() {
    for curve_type in [1u8, 2, 0] {
        let mut p = peers(cc12());
        let r = with_key_exchange(&mut p, |_, _| {
            Rec::new(HS, raw_msg(12, &[curve_type, 0, 23, 1, 4, 4, 3, 0, 1, 0]))
        });
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

/// RFC 5246 §7.4.3: for ECDHE and DHE the ServerKeyExchange is required; a
/// ServerHelloDone right after the Certificate is unexpected_message.
#[test]
fn tls12_missing_server_key_exchange_is_unexpected_message() {
    let mut p = peers(cc12());
    let recs = flight12(&mut p);
    let r = p
        .client
        .feed(&join(&[recs[0].clone(), recs[1].clone(), recs[3].clone()]));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

/// RFC 5246 §7.4.5: `struct { } ServerHelloDone;` a body is a decode_error.
#[test]
fn tls12_server_hello_done_with_a_body_is_decode_error() {
    let mut p = peers(cc12());
    let mut recs = flight12(&mut p);
    recs[3] = Rec::new(HS, raw_msg(14, &[0]));
    let r = p.client.feed(&join(&recs));
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

/// RFC 5246 §7.4.2: the server's certificate_list carries its certificate ("This message
/// is always sent ... whenever the agreed-upon key exchange method uses certificates for
/// authentication"); an empty one authenticates nothing: decode_error, as RFC 8446 §4.4.2.4
/// names for TLS 1.3.
#[test]
fn tls12_empty_server_certificate_is_decode_error() {
    let mut p = peers(cc12());
    let mut recs = flight12(&mut p);
    recs[1] = Rec::new(
        HS,
        HM::Certificate(Certificate {
            context: None,
            entries: vec![],
        })
        .encode(),
    );
    let r = p.client.feed(&join(&recs));
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

/// RFC 6066 §8: a CertificateStatus follows the Certificate only when the server
/// acknowledged status_request; RFC 5077 §3.3: a NewSessionTicket only when it acknowledged
/// session_ticket. Otherwise each is unexpected_message.
#[test]
fn tls12_unannounced_status_or_ticket_is_unexpected_message() {
    let mut cc = cc12();
    cc.status_request = false;
    let mut p = peers(cc);
    let recs = flight12(&mut p);
    let status = Rec::new(
        HS,
        HM::CertificateStatus(CertificateStatus {
            status_type: 1,
            response: vec![0x30, 0],
        })
        .encode(),
    );
    let r = p
        .client
        .feed(&join(&[recs[0].clone(), recs[1].clone(), status]));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);

    let mut cc = cc12();
    cc.session_tickets = false;
    let mut p = peers(cc);
    let f1 = flight12(&mut p);
    let ours = p.to_client(&join(&f1));
    let second = p.to_server(&join(&ours));
    assert_eq!(second[0].ct, CCS, "no ticket was announced");
    let ticket = HM::NewSessionTicket12(NewSessionTicket12 {
        lifetime_hint: 60,
        ticket: vec![1; 32],
    });
    let r = p.client.feed(&Rec::new(HS, ticket.encode()).bytes());
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1; // the client's Finished used 0
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
}

/// RFC 5246 §7.4.9: verify_data is 12 bytes for every suite defined; another length is a
/// malformed message: decode_error (§7.2.2).
#[test]
fn tls12_finished_of_the_wrong_length_is_decode_error() {
    let mut p = peers(cc12());
    let mut recs = second_flight12(&mut p);
    let mut sk = sealer(&p.server_events, 0xc02b, "server");
    let mut fin = sk.open(&recs[2]);
    fin.push(0);
    fin[3] += 1;
    sk.seq = 0;
    recs[2] = sk.seal(HS, &fin);
    let r = p.client.feed(&join(&recs));
    let mut ck = sealer(&p.client_events, 0xc02b, "client");
    ck.seq = 1;
    expect_sealed(&mut p.client, r, Alert::DecodeError, &mut ck);
}

/// RFC 5246 §7.4.2: "The end entity certificate's public key (and associated restrictions)
/// MUST be compatible with the selected key exchange algorithm"; RFC 8422 §5.3: ECDHE_ECDSA
/// needs an ECDSA- or EdDSA-capable key. An RSA certificate under ECDHE_ECDSA, or an ECDSA
/// one under ECDHE_RSA, is illegal_parameter.
#[test]
fn tls12_certificate_key_unfit_for_the_suite_is_illegal_parameter() {
    let cc = with_suites(cc12(), &[0xc02b, 0xc02f]);
    for (rsa_server, claimed) in [(true, 0xc02bu16), (false, 0xc02f)] {
        let mut p = peers_with(cc.clone(), |s| {
            if rsa_server {
                s.cert = rsa_key();
            }
        });
        let recs = flight12(&mut p);
        let mut sh = server_hello(&recs[0]);
        assert_ne!(sh.cipher_suite, CipherSuite(claimed));
        sh.cipher_suite = CipherSuite(claimed);
        let sh = Rec::new(HS, HM::ServerHello(sh).encode());
        let r = p.client.feed(&join(&[sh, recs[1].clone()]));
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains("certificate"), "{e}");
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

/// RFC 7627 §5.3: on a full handshake without extended_master_secret from the server, the
/// client "MAY" abort; ours completes it (the summary says `extended_master_secret: false`).
#[test]
fn tls12_full_handshake_without_extended_master_secret_goes_on() {
    let mut p = peers(cc12());
    p.pump_tampered(|from, bytes| {
        if from == Side::Server && bytes.first() == Some(&HS) && bytes[5] == 2 {
            let recs = parse(bytes);
            let mut sh = server_hello(&recs[0]);
            sh.extensions
                .retain(|e| e.typ != ET::EXTENDED_MASTER_SECRET);
            let mut recs = recs;
            recs[0] = Rec::new(HS, HM::ServerHello(sh).encode());
            *bytes = join(&recs);
        }
    });
    // The server computed its keys with the extended master secret and we without: our
    // flight went out (the ServerHello was taken) and the server cannot read its Finished.
    let (side, e) = p.errors.first().expect("the two ends disagree on the keys");
    assert_eq!(*side, Side::Server, "{e}");
    assert!(p.client_events.iter().any(|e| matches!(
        e,
        Event::Handshake { dir: Dir::Out, msg, .. } if matches!(**msg, HM::Finished(_))
    )));
}
