//! A hostile TLS 1.3 server's encrypted flight and post-handshake messages in front of our
//! client: message order (RFC 8446 §4, §4.3.2, §4.4, §4.6), EncryptedExtensions (§4.2,
//! §4.3.1), Certificate (§4.4.2), CertificateRequest (§4.3.2), CertificateVerify (§4.4.3),
//! each refusal with its exact alert. The client's handshake keys are not installed yet when
//! it refuses the server's flight, so those alerts go out in clear.

use tlsprobe::crypto::hash::HashAlg;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::crypto::sign::tls13_verify_content;
use tlsprobe::error::Alert;
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::{
    EcPointFormat, ExtensionType as ET, NamedGroup, ProtocolVersion, PskKeyExchangeMode,
    SignatureScheme,
};
use tlsprobe::wire::extensions::{ExtBody, Extension, ServerNames};
use tlsprobe::wire::handshake::{
    Certificate, CertificateEntry, CertificateRequest13, CertificateVerify, HandshakeMessage as HM,
    NewSessionTicket13,
};

use crate::client_steps::*;
use crate::common::scripted::*;

/// Positions in the opened flight of `flight13`: SH, CCS, EE, Certificate, CV, Finished.
const EE: usize = 2;
const CERT: usize = 3;
const CV: usize = 4;

/// An extension with the given type and no body, kept as unknown.
fn unknown(typ: u16) -> Extension {
    Extension {
        typ: ET(typ),
        data: vec![],
        body: ExtBody::Unknown,
    }
}

/// The flight with EncryptedExtensions carrying exactly `exts`, fed to a client on `cc`.
fn with_encrypted_extensions(cc: ClientConfig, exts: Vec<Extension>, want: Alert) {
    let mut p = peers(cc);
    let r = edited_flight13(&mut p, |items| {
        items[EE].1 = HM::EncryptedExtensions(exts).encode();
    });
    expect_plain(&mut p.client, r, want);
}

/// A signature_algorithms extension for a CertificateRequest.
fn request_sigalgs() -> Extension {
    Extension::new(
        ET::SIGNATURE_ALGORITHMS,
        ExtBody::SignatureAlgorithms(vec![SignatureScheme::ECDSA_SECP256R1_SHA256]),
    )
}

/// A CertificateRequest (RFC 8446 §4.3.2) with `context` and `extensions`.
fn certificate_request(context: Vec<u8>, extensions: Vec<Extension>) -> Vec<u8> {
    HM::CertificateRequest13(CertificateRequest13 {
        context,
        extensions,
    })
    .encode()
}

/// RFC 8446 §4 / §2: the server's messages come in one order (EncryptedExtensions,
/// [CertificateRequest], Certificate, CertificateVerify, Finished); a message out of it, or
/// one the server never sends in the handshake, is unexpected_message. §4.6.1 and §4.6.3:
/// NewSessionTicket and KeyUpdate come only after the handshake; §4.5: EndOfEarlyData is
/// the client's.
#[test]
fn tls13_server_messages_out_of_order_are_unexpected_message() {
    let mut p = peers(cc13());
    let (items, _) = flight13(&mut p);
    let ticket = HM::NewSessionTicket13(NewSessionTicket13 {
        lifetime: 60,
        age_add: 1,
        nonce: vec![0],
        ticket: vec![1; 16],
        extensions: vec![],
    })
    .encode();
    let request = certificate_request(vec![], vec![request_sigalgs()]);
    type Edit = Box<dyn Fn(&mut Items)>;
    let cases: Vec<(&str, Edit)> = vec![
        // RFC 8446 §4.3.1: EncryptedExtensions comes first
        (
            "Certificate before EncryptedExtensions",
            Box::new(|it: &mut Items| {
                it.remove(EE);
            }),
        ),
        (
            "CertificateVerify before Certificate",
            Box::new(|it: &mut Items| {
                it.remove(CERT);
            }),
        ),
        (
            "Finished before CertificateVerify",
            Box::new(|it: &mut Items| {
                it.remove(CV);
            }),
        ),
        ("EncryptedExtensions twice", {
            let ee = items[EE].clone();
            Box::new(move |it: &mut Items| it.insert(EE, ee.clone()))
        }),
        ("Certificate twice", {
            let c = items[CERT].clone();
            Box::new(move |it: &mut Items| it.insert(CERT, c.clone()))
        }),
        // RFC 8446 §4.3.2: "This message, if sent, MUST follow EncryptedExtensions."
        ("CertificateRequest after Certificate", {
            let r = request.clone();
            Box::new(move |it: &mut Items| it.insert(CV, (HS, r.clone(), true)))
        }),
        ("NewSessionTicket in the handshake", {
            let t = ticket.clone();
            Box::new(move |it: &mut Items| it.insert(CERT, (HS, t.clone(), true)))
        }),
        (
            "KeyUpdate in the handshake",
            Box::new(|it: &mut Items| it.insert(CERT, (HS, HM::KeyUpdate(0).encode(), true))),
        ),
        (
            "EndOfEarlyData from the server",
            Box::new(|it: &mut Items| it.insert(EE, (HS, HM::EndOfEarlyData.encode(), true))),
        ),
        (
            "HelloRequest in TLS 1.3",
            Box::new(|it: &mut Items| it.insert(CERT, (HS, HM::HelloRequest.encode(), true))),
        ),
        (
            "ServerKeyExchange in TLS 1.3",
            Box::new(|it: &mut Items| it.insert(CERT, (HS, raw_msg(12, &[3, 0, 23, 1, 4]), true))),
        ),
        (
            "an unknown handshake type",
            Box::new(|it: &mut Items| it.insert(CERT, (HS, raw_msg(99, &[]), true))),
        ),
    ];
    for (what, edit) in cases {
        let mut p = peers(cc13());
        let r = edited_flight13(&mut p, |it| edit(it));
        let e = r.as_ref().expect_err(what);
        assert_eq!(e.alert, Alert::UnexpectedMessage, "{what}: {e}");
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}

/// RFC 8446 §4.2: "Implementations MUST NOT send extension responses if the remote endpoint
/// did not send the corresponding extension requests ... Upon receiving such an extension,
/// an endpoint MUST abort the handshake with an "unsupported_extension" alert." In
/// EncryptedExtensions: an unknown type, server_name when we sent no SNI, early_data (we
/// never offer 0-RTT), max_fragment_length and record_size_limit (never offered).
#[test]
fn tls13_unsolicited_encrypted_extensions_are_unsupported_extension() {
    for ext in [
        unknown(0x1234),
        Extension::new(ET::SERVER_NAME, ExtBody::ServerName(ServerNames::default())),
        Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(None)),
        Extension::new(ET::RECORD_SIZE_LIMIT, ExtBody::RecordSizeLimit(1024)),
        Extension::new(ET::MAX_FRAGMENT_LENGTH, ExtBody::MaxFragmentLength(1)),
    ] {
        let mut cc = cc13();
        cc.sni = None;
        with_encrypted_extensions(cc, vec![ext], Alert::UnsupportedExtension);
    }
}

/// RFC 8446 §4.2: "If an implementation receives an extension which it recognizes and which
/// is not specified for the message in which it appears, it MUST abort the handshake with an
/// "illegal_parameter" alert." Extensions we did offer in the ClientHello whose place is
/// the hellos, the CertificateRequest or the Certificate, or TLS 1.2 alone, sent in
/// EncryptedExtensions.
#[test]
fn tls13_encrypted_extensions_for_another_message_are_illegal_parameter() {
    let cc = cc_both();
    for ext in [
        Extension::new(
            ET::SUPPORTED_VERSIONS,
            ExtBody::SupportedVersionsServer(ProtocolVersion::TLS13),
        ),
        Extension::new(
            ET::KEY_SHARE,
            ExtBody::KeyShareServer(NamedGroup::X25519, vec![9; 32]),
        ),
        Extension::new(
            ET::SIGNATURE_ALGORITHMS,
            ExtBody::SignatureAlgorithms(vec![SignatureScheme::ED25519]),
        ),
        Extension::new(
            ET::PSK_KEY_EXCHANGE_MODES,
            ExtBody::PskKeyExchangeModes(vec![PskKeyExchangeMode::PSK_DHE_KE]),
        ),
        Extension::new(ET::STATUS_REQUEST, ExtBody::StatusRequestEmpty),
        // TLS 1.2 extensions we offered because TLS 1.2 was offered too
        Extension::new(ET::EXTENDED_MASTER_SECRET, ExtBody::ExtendedMasterSecret),
        Extension::new(ET::RENEGOTIATION_INFO, ExtBody::RenegotiationInfo(vec![])),
        Extension::new(
            ET::EC_POINT_FORMATS,
            ExtBody::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED]),
        ),
        Extension::new(ET::SESSION_TICKET, ExtBody::SessionTicket(vec![])),
    ] {
        let name = ext.name();
        let mut p = peers(cc.clone());
        let r = edited_flight13(&mut p, |items| {
            items[EE].1 = HM::EncryptedExtensions(vec![ext]).encode();
        });
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains(&name), "{e}");
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

/// What EncryptedExtensions may carry, carried: server_name (empty, RFC 6066 §3),
/// supported_groups (RFC 8446 §4.2.7: the server's preference, for later connections) and
/// the ALPN protocol we offered. The flight is tampered with, so the CertificateVerify
/// then fails (decrypt_error): the extensions themselves were accepted.
#[test]
fn tls13_allowed_encrypted_extensions_are_accepted() {
    let mut cc = cc13();
    cc.sni = Some("localhost".into());
    cc.alpn = vec![b"h2".to_vec()];
    let exts = vec![
        Extension::new(ET::SERVER_NAME, ExtBody::ServerName(ServerNames::default())),
        Extension::new(
            ET::SUPPORTED_GROUPS,
            ExtBody::SupportedGroups(vec![NamedGroup::SECP384R1]),
        ),
        Extension::new(ET::ALPN, ExtBody::Alpn(vec![b"h2".to_vec()])),
    ];
    let mut p = peers(cc);
    let r = edited_flight13(&mut p, |items| {
        items[EE].1 = HM::EncryptedExtensions(exts).encode();
    });
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("signature does not verify"), "{e}");
    expect_plain(&mut p.client, r, Alert::DecryptError);
}

/// RFC 7301 §3.1: the server's ALPN answer is one of the client's protocols; another one
/// is illegal_parameter (a field inconsistent with our offer, RFC 8446 §6.2).
#[test]
fn tls13_alpn_protocol_not_offered_is_illegal_parameter() {
    let mut cc = cc13();
    cc.alpn = vec![b"http/1.1".to_vec()];
    let exts = vec![Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    )];
    with_encrypted_extensions(cc, exts, Alert::IllegalParameter);
}

/// RFC 8446 §4.4.2.4: "If the server supplies an empty Certificate message, the client MUST
/// abort the handshake with a "decode_error" alert."
#[test]
fn tls13_empty_server_certificate_is_decode_error() {
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        items[CERT].1 = HM::Certificate(Certificate {
            context: Some(vec![]),
            entries: vec![],
        })
        .encode();
    });
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

/// RFC 8446 §4.4.2: the server's certificate_request_context is empty in the handshake
/// ("If this message is in response to a CertificateRequest, the value of
/// certificate_request_context in that message. Otherwise (in the case of server
/// authentication), this field SHALL be zero length"): illegal_parameter.
#[test]
fn tls13_server_certificate_with_a_context_is_illegal_parameter() {
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        let HM::Certificate(mut c) = decode(&items[CERT].1, ProtocolVersion::TLS13, None) else {
            unreachable!()
        };
        c.context = Some(vec![1, 2, 3, 4]);
        items[CERT].1 = HM::Certificate(c).encode();
    });
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.4.2: "Extensions in the Certificate message from the server MUST correspond
/// to ones from the ClientHello message": status_request in the leaf entry when we did not
/// ask for OCSP, or an unknown extension, is unsupported_extension (§4.2).
#[test]
fn tls13_certificate_entry_extension_not_requested_is_unsupported_extension() {
    for ext in [
        Extension::new(ET::STATUS_REQUEST, ExtBody::OcspResponse(vec![0x30, 0])),
        unknown(0x1234),
    ] {
        let mut cc = cc13();
        cc.status_request = false;
        let mut p = peers(cc);
        let r = edited_flight13(&mut p, |items| {
            let HM::Certificate(mut c) = decode(&items[CERT].1, ProtocolVersion::TLS13, None)
            else {
                unreachable!()
            };
            c.entries[0].extensions.push(ext);
            items[CERT].1 = HM::Certificate(c).encode();
        });
        expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
    }
}

/// A leaf that is not a certificate: bad_certificate (RFC 8446 §6.2: "A certificate was
/// corrupt").
#[test]
fn tls13_unparsable_server_certificate_is_bad_certificate() {
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        items[CERT].1 = HM::Certificate(Certificate {
            context: Some(vec![]),
            entries: vec![CertificateEntry {
                der: vec![0x30, 0x03, 1, 2, 3],
                extensions: vec![],
            }],
        })
        .encode();
    });
    expect_plain(&mut p.client, r, Alert::BadCertificate);
}

/// RFC 8446 §4.3.2: certificate_request_context "SHALL be zero length unless used for the
/// post-handshake authentication exchanges"; a CertificateRequest in the handshake with a
/// context is illegal_parameter.
#[test]
fn tls13_certificate_request_with_a_context_is_illegal_parameter() {
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        let req = certificate_request(vec![7; 8], vec![request_sigalgs()]);
        items.insert(CERT, (HS, req, true));
    });
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified": without it,
/// missing_extension (§6.2). "Clients MUST ignore unrecognized extensions": a request with
/// an unknown extension besides it is taken.
#[test]
fn tls13_certificate_request_extensions() {
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        let req = certificate_request(vec![], vec![unknown(0x1234)]);
        items.insert(CERT, (HS, req, true));
    });
    expect_plain(&mut p.client, r, Alert::MissingExtension);

    // accepted: the client goes on to the Certificate, and only the tampered transcript
    // makes the CertificateVerify fail
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        let req = certificate_request(vec![], vec![unknown(0x1234), request_sigalgs()]);
        items.insert(CERT, (HS, req, true));
    });
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("signature does not verify"), "{e}");
    expect_plain(&mut p.client, r, Alert::DecryptError);
}

/// RFC 8446 §4.3.2: "Servers which are authenticating with a PSK MUST NOT send the
/// CertificateRequest message in the main handshake": in a resumed handshake Finished
/// follows EncryptedExtensions, so a CertificateRequest is unexpected_message (§2.2).
#[test]
fn tls13_certificate_request_in_a_psk_handshake_is_unexpected_message() {
    let mut p = resuming_peers();
    let recs = p.first_flight();
    let mut keys = sealer(&p.server_events, 0x1301, "server_handshake_traffic");
    let mut items = open_flight13(&recs, &mut keys);
    let ee = index_of(&items, 8);
    let req = certificate_request(vec![], vec![request_sigalgs()]);
    items.insert(ee + 1, (HS, req, true));
    let r = p.client.feed(&seal_flight13(&items, &mut keys));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}

/// RFC 8446 §4.6.2: "A client that receives a CertificateRequest message without having
/// sent the "post_handshake_auth" extension MUST send an "unexpected_message" fatal alert."
#[test]
fn tls13_post_handshake_certificate_request_is_unexpected_message() {
    let mut p = peers(cc13());
    p.complete();
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let req = certificate_request(vec![5; 8], vec![request_sigalgs()]);
    let r = p.client.feed(&sk.seal(HS, &req).bytes());
    let mut ck = sealer(&p.client_events, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.client, r, Alert::UnexpectedMessage, &mut ck);
}

/// RFC 8446 §4.4.3: the CertificateVerify's scheme must be one the client offered in
/// signature_algorithms (§4.2.3: "... MUST be one of those present"): illegal_parameter.
#[test]
fn tls13_certificate_verify_scheme_not_offered_is_illegal_parameter() {
    let mut cc = cc13();
    cc.sigalgs = vec![
        SignatureScheme::ECDSA_SECP256R1_SHA256,
        SignatureScheme::ED25519,
    ];
    let mut p = peers(cc);
    let r = edited_flight13(&mut p, |items| {
        let HM::CertificateVerify(mut cv) = decode(&items[CV].1, ProtocolVersion::TLS13, None)
        else {
            unreachable!()
        };
        cv.scheme = Some(SignatureScheme::ECDSA_SECP384R1_SHA384);
        items[CV].1 = HM::CertificateVerify(cv).encode();
    });
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// The server's flight with its CertificateVerify re-signed by the server's own key (`rsa`:
/// the RSA test key, else the P-256 one) with `scheme`, over the right transcript (RFC 8446
/// §4.4.3), fed to the client.
fn resigned_certificate_verify(
    p: &mut Pair,
    scheme: SignatureScheme,
    rsa: bool,
) -> Result<(), tlsprobe::error::TlsError> {
    let key = if rsa { rsa_key() } else { server_key() };
    let (mut items, mut keys) = flight13(p);
    let th = transcript_hash13(server_events_before(p, 15), HashAlg::Sha256);
    let content = tls13_verify_content(true, &th);
    let signature = key.key.sign(scheme, &content, &mut seeded_rng(9)).unwrap();
    items[CV].1 = HM::CertificateVerify(CertificateVerify {
        scheme: Some(scheme),
        signature,
    })
    .encode();
    p.client.feed(&seal_flight13(&items, &mut keys))
}

/// RFC 8446 §4.4.3: "RSA signatures MUST use an RSASSA-PSS algorithm, regardless of whether
/// RSASSA-PKCS1-v1_5 algorithms appear in "signature_algorithms"": a valid PKCS#1 v1.5
/// signature, with a scheme we offered (for TLS 1.2), is refused; §4.2.3: in TLS 1.3 an ECDSA
/// scheme names its curve, so ecdsa_secp384r1_sha384 from a P-256 key is refused too. Both
/// illegal_parameter. The control: re-signed with the right scheme, the CertificateVerify
/// passes and only the server's Finished (over the original one) fails.
#[test]
fn tls13_certificate_verify_scheme_unfit_for_tls13_is_illegal_parameter() {
    let rsa_peers = || peers_with(cc_both(), |s| s.cert = rsa_key());
    for (mut p, scheme, rsa) in [
        (rsa_peers(), SignatureScheme::RSA_PKCS1_SHA256, true),
        (
            peers(cc_both()),
            SignatureScheme::ECDSA_SECP384R1_SHA384,
            false,
        ),
    ] {
        let r = resigned_certificate_verify(&mut p, scheme, rsa);
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains(&scheme.to_string()), "{e}");
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
    let mut p = rsa_peers();
    let r = resigned_certificate_verify(&mut p, SignatureScheme::RSA_PSS_RSAE_SHA256, true);
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("Finished"), "{e}");
    expect_plain(&mut p.client, r, Alert::DecryptError);
}

/// RFC 8446 §4.4.3: "If the verification fails, the receiver MUST terminate the handshake
/// with a "decrypt_error" alert."
#[test]
fn tls13_bad_certificate_verify_signature_is_decrypt_error() {
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        let n = items[CV].1.len();
        items[CV].1[n - 3] ^= 0x01;
    });
    expect_plain(&mut p.client, r, Alert::DecryptError);

    // a signature made over another transcript (a replayed CertificateVerify: the other
    // connection's key share differs, so does its transcript)
    let mut other = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
    let (other_items, _) = flight13(&mut other);
    let mut p = peers(cc13());
    let r = edited_flight13(&mut p, |items| {
        items[CV].1 = other_items[CV].1.clone();
    });
    let e = r.as_ref().unwrap_err();
    assert_eq!(e.alert, Alert::DecryptError, "{e}");
    expect_plain(&mut p.client, r, Alert::DecryptError);
}

/// RFC 8446 §4.6.1: `opaque ticket<1..2^16-1>`: an empty ticket is out of its range,
/// decode_error (§6.2); "Clients MUST ignore unrecognized extensions" in it: a ticket with
/// one is taken and becomes the session to resume.
#[test]
fn tls13_new_session_ticket_checks() {
    let ticket = |ticket: Vec<u8>, extensions: Vec<Extension>| {
        HM::NewSessionTicket13(NewSessionTicket13 {
            lifetime: 60,
            age_add: 1,
            nonce: vec![7],
            ticket,
            extensions,
        })
        .encode()
    };
    let mut p = peers(cc13());
    p.complete();
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let r = p.client.feed(&sk.seal(HS, &ticket(vec![], vec![])).bytes());
    let mut ck = sealer(&p.client_events, 0x1301, "client_application_traffic");
    expect_sealed(&mut p.client, r, Alert::DecodeError, &mut ck);

    let mut p = peers(cc13());
    p.complete();
    let mut sk = p.writer(Side::Server, 0x1301, "server_application_traffic");
    let msg = ticket(vec![0xab; 20], vec![unknown(0x1234)]);
    p.client.feed(&sk.seal(HS, &msg).bytes()).unwrap();
    assert_eq!(p.client.session().unwrap().ticket, Some(vec![0xab; 20]));
}
