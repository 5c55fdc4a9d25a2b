//! Round trips and refusals of the handshake message codec.

use super::*;
use crate::wire::codepoints::{
    ClientCertificateType, CompressionMethod, ExtensionType, NamedGroup, SignatureScheme,
};
use crate::wire::extensions::{ExtBody, ServerNames};
use crate::wire::span::{Span, SpanLog};
use crate::wire::suites::CipherSuite;

/// Spans must tile what was read: in order, no gap, no overlap, none empty.
pub(crate) fn assert_tiles(spans: &[Span], len: usize) {
    let mut pos = 0;
    for s in spans {
        assert_eq!(s.offset, pos, "gap or overlap at {pos}: {s:?}");
        assert!(s.len > 0, "empty span {s:?}");
        pos = s.end();
    }
    assert_eq!(pos, len, "not every byte labelled: {spans:#?}");
}

const CTX12: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLS12,
    kx: Some(Kx::Ecdhe),
};
const CTX13: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLS13,
    kx: None,
};

fn round_trip(m: HandshakeMessage, ctx: DecodeContext) {
    let bytes = m.encode();
    let body = &bytes[4..];
    let back = HandshakeMessage::decode(m.typ(), body, ctx).unwrap();
    assert_eq!(back, m);
    // a recording decode reads the same message and labels every byte once
    let log = SpanLog::new();
    let mut r = Reader::recording(body, 0, 0, &log);
    assert_eq!(
        HandshakeMessage::read_body(m.typ(), &mut r, ctx).unwrap(),
        m
    );
    assert!(r.is_empty());
    assert_tiles(&log.take(), body.len());
    assert_eq!(back.encode(), bytes);
    // every truncation fails cleanly
    for cut in 0..body.len() {
        let _ = HandshakeMessage::decode(m.typ(), &body[..cut], ctx);
    }
    // a trailing byte is a decode_error
    let mut long = body.to_vec();
    long.push(0);
    if !matches!(m, HandshakeMessage::Finished(_)) {
        let e = HandshakeMessage::decode(m.typ(), &long, ctx).unwrap_err();
        assert_eq!(e.alert, Alert::DecodeError, "{m:?}");
    }
}

fn sample_ch() -> ClientHello {
    ClientHello {
        extensions_absent: false,
        version: ProtocolVersion::TLS12,
        random: [7; 32],
        session_id: vec![1; 32],
        cipher_suites: vec![CipherSuite(0x1301), CipherSuite(0xc02f)],
        compression_methods: vec![CompressionMethod::NULL],
        extensions: vec![
            Extension::new(
                ExtensionType::SERVER_NAME,
                ExtBody::ServerName(ServerNames::host("localhost")),
            ),
            Extension::new(
                ExtensionType::SUPPORTED_GROUPS,
                ExtBody::SupportedGroups(vec![NamedGroup::X25519]),
            ),
        ],
    }
}

#[test]
fn round_trips() {
    round_trip(HandshakeMessage::ClientHello(sample_ch()), CTX12);
    round_trip(
        HandshakeMessage::ServerHello(ServerHello {
            extensions_absent: false,
            version: ProtocolVersion::TLS12,
            random: [3; 32],
            session_id: vec![],
            cipher_suite: CipherSuite(0xc02f),
            compression_method: CompressionMethod::NULL,
            extensions: vec![Extension::new(
                ExtensionType::RENEGOTIATION_INFO,
                ExtBody::RenegotiationInfo(vec![]),
            )],
        }),
        CTX12,
    );
    round_trip(
        HandshakeMessage::Certificate(Certificate {
            context: None,
            entries: vec![CertificateEntry {
                der: vec![0x30, 0],
                extensions: vec![],
            }],
        }),
        CTX12,
    );
    round_trip(
        HandshakeMessage::Certificate(Certificate {
            context: Some(vec![]),
            entries: vec![CertificateEntry {
                der: vec![0x30, 0],
                extensions: vec![],
            }],
        }),
        CTX13,
    );
    round_trip(
        HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Ecdhe {
            group: NamedGroup::X25519,
            public: vec![9; 32],
            params: [&[3u8, 0, 29, 32][..], &[9; 32]].concat(),
            scheme: Some(SignatureScheme::ECDSA_SECP256R1_SHA256),
            signature: vec![1, 2, 3],
        }),
        CTX12,
    );
    let dhe_ctx = |version| DecodeContext {
        version,
        kx: Some(Kx::Dhe),
    };
    for (version, scheme) in [
        (
            ProtocolVersion::TLS12,
            Some(SignatureScheme::RSA_PKCS1_SHA256),
        ),
        (ProtocolVersion::TLS10, None),
    ] {
        round_trip(
            HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Dhe {
                p: vec![0xff, 0xfb],
                g: vec![2],
                ys: vec![7, 7],
                params: vec![0, 2, 0xff, 0xfb, 0, 1, 2, 0, 2, 7, 7],
                scheme,
                signature: vec![1, 2, 3],
            }),
            dhe_ctx(version),
        );
    }
    round_trip(
        HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Dhe(vec![5; 256])),
        dhe_ctx(ProtocolVersion::TLS11),
    );
    // Empty DH fields are a decode_error.
    assert!(HandshakeMessage::decode(
        HandshakeType::SERVER_KEY_EXCHANGE,
        &[0, 0, 0, 1, 2, 0, 1, 7, 0, 0],
        dhe_ctx(ProtocolVersion::TLS10)
    )
    .is_err());
    // A TLS 1.1 CertificateRequest has no signature algorithms.
    let legacy = DecodeContext {
        version: ProtocolVersion::TLS11,
        kx: Some(Kx::Rsa),
    };
    assert!(matches!(
        HandshakeMessage::decode(HandshakeType::CERTIFICATE_REQUEST, &[1, 1, 0, 0], legacy),
        Ok(HandshakeMessage::CertificateRequest12(r)) if r.signature_algorithms.is_empty()
    ));
    // ... and encodes back to the same bytes.
    round_trip(
        HandshakeMessage::CertificateRequest12(CertificateRequest12 {
            certificate_types: vec![ClientCertificateType::RSA_SIGN],
            signature_algorithms: vec![],
            authorities: vec![],
        }),
        legacy,
    );
    round_trip(
        HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Ecdhe(vec![4; 65])),
        CTX12,
    );
    round_trip(
        HandshakeMessage::CertificateRequest12(CertificateRequest12 {
            certificate_types: vec![ClientCertificateType::ECDSA_SIGN],
            signature_algorithms: vec![SignatureScheme::ED25519],
            authorities: vec![vec![0x30, 0]],
        }),
        CTX12,
    );
    round_trip(
        HandshakeMessage::NewSessionTicket13(NewSessionTicket13 {
            lifetime: 7200,
            age_add: 1,
            nonce: vec![0],
            ticket: vec![1, 2, 3],
            extensions: vec![],
        }),
        CTX13,
    );
    round_trip(
        HandshakeMessage::CertificateVerify(CertificateVerify {
            scheme: Some(SignatureScheme::ED25519),
            signature: vec![5; 64],
        }),
        CTX13,
    );
    // TLS 1.0/1.1: no algorithm field (RFC 4346 §7.4.8).
    round_trip(
        HandshakeMessage::CertificateVerify(CertificateVerify {
            scheme: None,
            signature: vec![5; 70],
        }),
        DecodeContext {
            version: ProtocolVersion::TLS10,
            kx: None,
        },
    );
    round_trip(HandshakeMessage::KeyUpdate(1), CTX13);
    round_trip(HandshakeMessage::Finished(vec![1; 12]), CTX12);
}

#[test]
fn client_hello_rejects() {
    let mut body = HandshakeMessage::ClientHello(sample_ch()).encode_body();
    // session id length 33
    body[34] = 33;
    assert!(HandshakeMessage::decode(HandshakeType::CLIENT_HELLO, &body, CTX12).is_err());
    // empty cipher suites
    let mut ch = sample_ch();
    ch.cipher_suites.clear();
    let body = HandshakeMessage::ClientHello(ch).encode_body();
    assert_eq!(
        HandshakeMessage::decode(HandshakeType::CLIENT_HELLO, &body, CTX12)
            .unwrap_err()
            .alert,
        Alert::DecodeError
    );
}

/// A hello with no extensions block and one with an empty block (`00 00`) are different
/// bytes; both encode back to what was read (found by the strict handshake_codec target).
#[test]
fn absent_and_empty_extension_blocks_are_kept_apart() {
    let ctx = DecodeContext {
        version: ProtocolVersion::TLS12,
        kx: None,
    };
    let mut ch = vec![3, 3];
    ch.extend([7; 32]);
    ch.extend([0, 0, 2, 0, 0x2f, 1, 0]);
    let mut sh = vec![3, 3];
    sh.extend([7; 32]);
    sh.extend([0, 0, 0x2f, 0]);
    for (typ, base) in [
        (HandshakeType::CLIENT_HELLO, ch),
        (HandshakeType::SERVER_HELLO, sh),
    ] {
        let mut with_block = base.clone();
        with_block.extend([0, 0]);
        for body in [base, with_block] {
            let m = HandshakeMessage::decode(typ, &body, ctx).unwrap();
            assert_eq!(m.encode_body(), body, "{typ}");
        }
    }
}

#[test]
fn tls13_ticket_needs_its_extensions_field() {
    // RFC 8446 §4.6.1: extensions<0..2^16-2> is not optional (found by fuzzing).
    let body = [0, 0, 0x1c, 0x20, 0, 0, 0, 0, 1, 0, 0, 1, 0xa9];
    let e = HandshakeMessage::decode(HandshakeType::NEW_SESSION_TICKET, &body, CTX13).unwrap_err();
    assert_eq!(e.alert, Alert::DecodeError);
}

#[test]
fn hrr_detected() {
    let sh = ServerHello {
        extensions_absent: false,
        version: ProtocolVersion::TLS12,
        random: HRR_RANDOM,
        session_id: vec![],
        cipher_suite: CipherSuite(0x1301),
        compression_method: CompressionMethod::NULL,
        extensions: vec![Extension::new(
            ExtensionType::KEY_SHARE,
            ExtBody::KeyShareHrr(NamedGroup::SECP256R1),
        )],
    };
    let m = HandshakeMessage::ServerHello(sh);
    assert_eq!(m.name(), "hello_retry_request");
    round_trip(m, CTX12);
}

#[test]
fn splits_messages_across_and_within_records() {
    let a = HandshakeMessage::ServerHelloDone.encode();
    let b = HandshakeMessage::Finished(vec![9; 12]).encode();
    let mut buf = [a.clone(), b[..5].to_vec()].concat();
    let got = split_messages(&mut buf).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, a);
    buf.extend_from_slice(&b[5..]);
    let got = split_messages(&mut buf).unwrap();
    assert_eq!(got[0].2, b);
    assert!(buf.is_empty());
}

#[test]
fn huge_announcement_refused() {
    let mut buf = vec![11, 0xff, 0xff, 0xff, 0];
    assert_eq!(
        split_messages(&mut buf).unwrap_err().alert,
        Alert::DecodeError
    );
}

/// PSK key exchanges (RFC 4279 §2-§3, RFC 5489 §2): hint and identity, then the unsigned
/// (EC)DHE values, each layout decoded by the negotiated key exchange.
#[test]
fn psk_key_exchanges_round_trip() {
    let ctx = |kx| DecodeContext {
        version: ProtocolVersion::TLS12,
        kx: Some(kx),
    };
    let cases = [
        (Kx::Psk, PskParams::None, PskPublic::None),
        (
            Kx::DhePsk,
            PskParams::Dhe {
                p: vec![0xff, 0xfb],
                g: vec![2],
                ys: vec![7, 7],
            },
            PskPublic::Dhe(vec![5; 256]),
        ),
        (
            Kx::EcdhePsk,
            PskParams::Ecdhe {
                group: NamedGroup::X25519,
                public: vec![9; 32],
            },
            PskPublic::Ecdhe(vec![4; 32]),
        ),
        // RSA-PSK (RFC 4279 §4): the hint alone, then the EncryptedPreMasterSecret.
        (Kx::RsaPsk, PskParams::None, PskPublic::Rsa(vec![3; 256])),
    ];
    for (kx, params, public) in cases {
        round_trip(
            HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Psk {
                hint: b"hint".to_vec(),
                params,
            }),
            ctx(kx),
        );
        round_trip(
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Psk {
                identity: b"Client_identity".to_vec(),
                public,
            }),
            ctx(kx),
        );
    }
    // An empty public value is a decode_error.
    assert!(HandshakeMessage::decode(
        HandshakeType::CLIENT_KEY_EXCHANGE,
        &[0, 1, b'a', 0, 0],
        ctx(Kx::DhePsk)
    )
    .is_err());
}
