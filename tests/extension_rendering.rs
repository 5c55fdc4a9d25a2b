//! Snapshot test (insta) of how every kind of extension is shown: for each `ExtBody` variant
//! (and each of its differently worded cases) the human line and the JSON object, then all of
//! them in one extensions block (where flags share a line and long values wrap) and inside a
//! certificate entry. Colours off.

use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event};
use tlsprobe::report::human::Human;
use tlsprobe::report::json;
use tlsprobe::wire::codepoints::{
    EcPointFormat, ExtensionType as T, NamedGroup, ProtocolVersion, PskKeyExchangeMode,
    SignatureScheme,
};
use tlsprobe::wire::extensions::{ExtBody as B, Extension, PskIdentity, ServerNames};
use tlsprobe::wire::handshake::{Certificate, CertificateEntry, HandshakeMessage};

/// CN=Test CA, DER.
const TEST_CA: &[u8] = &[
    0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x07, b'T', b'e', b's',
    b't', b' ', b'C', b'A',
];

fn ext(typ: T, body: B) -> Extension {
    Extension::new(typ, body)
}

/// An extension whose body bytes are given (GREASE, unknown, malformed ones).
fn raw(typ: u16, data: &[u8], body: B) -> Extension {
    Extension {
        typ: T(typ),
        data: data.to_vec(),
        body,
    }
}

/// Every variant, and each case worded differently.
fn every_extension() -> Vec<Extension> {
    let many_groups: Vec<NamedGroup> = NamedGroup::ALL.to_vec();
    vec![
        ext(
            T::SERVER_NAME,
            B::ServerName(ServerNames::host("example.com")),
        ),
        ext(T::SERVER_NAME, B::ServerName(ServerNames(vec![]))),
        ext(
            T::SERVER_NAME,
            B::ServerName(ServerNames(vec![
                (0, b"a.example".to_vec()),
                (7, b"x".to_vec()),
            ])),
        ),
        ext(
            T::SUPPORTED_GROUPS,
            B::SupportedGroups(vec![
                NamedGroup(0x2a2a),
                NamedGroup::X25519,
                NamedGroup(0x1234),
            ]),
        ),
        ext(T::SUPPORTED_GROUPS, B::SupportedGroups(many_groups)),
        ext(
            T::EC_POINT_FORMATS,
            B::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED, EcPointFormat(9)]),
        ),
        ext(
            T::SIGNATURE_ALGORITHMS,
            B::SignatureAlgorithms(vec![
                SignatureScheme(0x0a0a),
                SignatureScheme::ECDSA_SECP256R1_SHA256,
                SignatureScheme::RSA_PSS_RSAE_SHA256,
            ]),
        ),
        ext(
            T::SIGNATURE_ALGORITHMS_CERT,
            B::SignatureAlgorithmsCert(vec![SignatureScheme::ED25519]),
        ),
        ext(
            T::ALPN,
            B::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec(), vec![0xff, b'x']]),
        ),
        ext(T::STATUS_REQUEST, B::ocsp_request()),
        ext(
            T::STATUS_REQUEST,
            B::StatusRequest {
                status_type: 2,
                responder_ids: vec![],
                request_extensions: vec![],
            },
        ),
        ext(T::STATUS_REQUEST, B::StatusRequestEmpty),
        ext(T::STATUS_REQUEST, B::OcspResponse(vec![0x30; 300])),
        ext(
            T::SIGNED_CERTIFICATE_TIMESTAMP,
            B::SignedCertificateTimestamp(vec![]),
        ),
        ext(
            T::SIGNED_CERTIFICATE_TIMESTAMP,
            B::SignedCertificateTimestamp(vec![1; 120]),
        ),
        ext(T::EXTENDED_MASTER_SECRET, B::ExtendedMasterSecret),
        ext(T::ENCRYPT_THEN_MAC, B::EncryptThenMac),
        ext(T::RENEGOTIATION_INFO, B::RenegotiationInfo(vec![])),
        ext(T::RENEGOTIATION_INFO, B::RenegotiationInfo(vec![0xab; 12])),
        ext(T::SESSION_TICKET, B::SessionTicket(vec![])),
        ext(T::SESSION_TICKET, B::SessionTicket(vec![7; 180])),
        ext(
            T::SUPPORTED_VERSIONS,
            B::SupportedVersionsClient(vec![
                ProtocolVersion(0x3a3a),
                ProtocolVersion::TLS13,
                ProtocolVersion::TLS12,
            ]),
        ),
        ext(
            T::SUPPORTED_VERSIONS,
            B::SupportedVersionsServer(ProtocolVersion::TLS13),
        ),
        ext(
            T::KEY_SHARE,
            B::KeyShareClient(vec![
                (NamedGroup(0x4a4a), vec![0]),
                (NamedGroup::X25519, (0..32).collect()),
                (NamedGroup::SECP256R1, vec![4; 65]),
            ]),
        ),
        ext(
            T::KEY_SHARE,
            B::KeyShareServer(NamedGroup::X25519, (100..132).collect()),
        ),
        // ML-KEM shares are taken apart (a hybrid's parts in the draft's order), a malformed
        // one said so; the server's says how the shared secret is made.
        ext(
            T::KEY_SHARE,
            B::KeyShareClient(vec![
                (NamedGroup::SECP384R1MLKEM1024, vec![4; 97 + 1568]),
                (NamedGroup::MLKEM768, vec![1; 1184]),
                (NamedGroup::X25519MLKEM768, vec![2; 100]),
            ]),
        ),
        ext(
            T::KEY_SHARE,
            B::KeyShareServer(NamedGroup::X25519MLKEM768, vec![3; 1088 + 32]),
        ),
        ext(
            T::KEY_SHARE,
            B::KeyShareServer(NamedGroup::MLKEM1024, vec![5; 1568]),
        ),
        ext(T::KEY_SHARE, B::KeyShareHrr(NamedGroup::SECP384R1)),
        ext(
            T::PSK_KEY_EXCHANGE_MODES,
            B::PskKeyExchangeModes(vec![PskKeyExchangeMode::PSK_DHE_KE, PskKeyExchangeMode(5)]),
        ),
        ext(
            T::PRE_SHARED_KEY,
            B::PreSharedKeyClient {
                identities: vec![
                    PskIdentity {
                        identity: vec![9; 112],
                        obfuscated_ticket_age: 123_456,
                    },
                    PskIdentity {
                        identity: vec![8; 16],
                        obfuscated_ticket_age: 7,
                    },
                ],
                binders: vec![(0..32).collect(), vec![1; 48]],
            },
        ),
        ext(T::PRE_SHARED_KEY, B::PreSharedKeyServer(1)),
        ext(T::EARLY_DATA, B::EarlyData(Some(16384))),
        ext(T::EARLY_DATA, B::EarlyData(None)),
        ext(T::COOKIE, B::Cookie((0..40).collect())),
        ext(T::PADDING, B::Padding(vec![0; 200])),
        ext(T::PADDING, B::Padding(vec![0, 1, 0])),
        ext(T::HEARTBEAT, B::Heartbeat(1)),
        ext(T::RECORD_SIZE_LIMIT, B::RecordSizeLimit(16385)),
        ext(
            T::CERTIFICATE_AUTHORITIES,
            B::CertificateAuthorities(vec![TEST_CA.to_vec(), TEST_CA.to_vec()]),
        ),
        ext(T::POST_HANDSHAKE_AUTH, B::Empty),
        raw(0x1a1a, &[], B::Grease),
        raw(0x2a2a, &[0], B::Grease),
        raw(0xfe0d, &[], B::Unknown),
        raw(0xfe0d, &(0..40).collect::<Vec<u8>>(), B::Unknown),
        raw(
            11,
            &[5, 0],
            B::Malformed {
                alert: Alert::DecodeError,
                reason: "ec_point_formats: 1 trailing bytes".into(),
            },
        ),
    ]
}

fn human() -> Human {
    colored::control::set_override(false);
    Human::new(false, false, 0)
}

/// The lines a message received in an encrypted record renders as.
fn render(h: &Human, msg: HandshakeMessage) -> String {
    let e = Event::Handshake {
        dir: Dir::In,
        msg: Box::new(msg),
        raw: vec![],
        encrypted: true,
        checks: vec![],
    };
    h.render(&e).iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn every_extension_human_and_json() {
    let h = human();
    let mut out = String::new();
    for e in every_extension() {
        out += &render(&h, HandshakeMessage::EncryptedExtensions(vec![e.clone()]));
        out += &format!("{}\n\n", json::extension(&e));
    }
    insta::assert_snapshot!("every_extension", out);
}

#[test]
fn extensions_block_human() {
    let h = human();
    let all = every_extension();
    let mut out = render(&h, HandshakeMessage::EncryptedExtensions(all.clone()));
    let cert = Certificate {
        context: Some(vec![]),
        entries: vec![CertificateEntry {
            der: vec![0x30, 0x03, 0x02, 0x01, 0x00],
            extensions: all[9..14].to_vec(),
        }],
    };
    out += &render(&h, HandshakeMessage::Certificate(cert.clone()));
    let v = json::event(&Event::Handshake {
        dir: Dir::In,
        msg: Box::new(HandshakeMessage::Certificate(cert)),
        raw: vec![],
        encrypted: true,
        checks: vec![],
    });
    out += &format!("{v}\n");
    insta::assert_snapshot!("extensions_block", out);
}
