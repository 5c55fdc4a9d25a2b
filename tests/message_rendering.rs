//! Snapshot test (insta) of how the handshake messages the in-memory handshakes do not send
//! are shown, human and JSON: DHE and TLS 1.0 key exchanges, RSA and raw ClientKeyExchange,
//! both CertificateRequests, both NewSessionTickets, a long Finished, KeyUpdate,
//! CertificateStatus, an unknown message and a HelloRetryRequest. Colours off.

use tlsprobe::event::{Dir, Event};
use tlsprobe::report::human::Human;
use tlsprobe::report::json;
use tlsprobe::wire::codepoints::{
    ClientCertificateType, CompressionMethod, ExtensionType, HandshakeType, NamedGroup,
    ProtocolVersion, SignatureScheme,
};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::{
    CertificateRequest12, CertificateRequest13, CertificateStatus, ClientKeyExchange,
    HandshakeMessage as HM, NewSessionTicket12, NewSessionTicket13, ServerHello, ServerKeyExchange,
    HRR_RANDOM,
};
use tlsprobe::wire::suites::CipherSuite;

/// CN=Test CA, DER.
const TEST_CA: &[u8] = &[
    0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x07, b'T', b'e', b's',
    b't', b' ', b'C', b'A',
];

fn messages() -> Vec<HM> {
    let sigalgs = Extension::new(
        ExtensionType::SIGNATURE_ALGORITHMS,
        ExtBody::SignatureAlgorithms(vec![SignatureScheme::ED25519]),
    );
    vec![
        HM::ServerKeyExchange(ServerKeyExchange::Dhe {
            p: [vec![0x00, 0xff], vec![0xab; 255]].concat(),
            g: vec![2],
            ys: vec![0x5a; 256],
            params: vec![],
            scheme: Some(SignatureScheme::RSA_PSS_RSAE_SHA256),
            signature: vec![1; 256],
        }),
        HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
            group: NamedGroup::SECP256R1,
            public: vec![4; 65],
            params: vec![],
            scheme: None,
            signature: vec![0x30; 70],
        }),
        HM::ServerKeyExchange(ServerKeyExchange::Raw(vec![9; 10])),
        HM::ClientKeyExchange(ClientKeyExchange::Dhe(vec![7; 256])),
        HM::ClientKeyExchange(ClientKeyExchange::Rsa(vec![8; 256])),
        HM::ClientKeyExchange(ClientKeyExchange::Raw(vec![6; 3])),
        HM::CertificateRequest12(CertificateRequest12 {
            certificate_types: vec![ClientCertificateType::RSA_SIGN, ClientCertificateType(64)],
            signature_algorithms: vec![
                SignatureScheme::ECDSA_SECP256R1_SHA256,
                SignatureScheme::RSA_PKCS1_SHA256,
            ],
            authorities: vec![TEST_CA.to_vec()],
        }),
        HM::CertificateRequest12(CertificateRequest12 {
            certificate_types: vec![],
            signature_algorithms: vec![],
            authorities: vec![],
        }),
        HM::CertificateRequest13(CertificateRequest13 {
            context: vec![],
            extensions: vec![sigalgs.clone()],
        }),
        HM::CertificateRequest13(CertificateRequest13 {
            context: vec![1, 2],
            extensions: vec![],
        }),
        HM::NewSessionTicket12(NewSessionTicket12 {
            lifetime_hint: 7200,
            ticket: vec![3; 100],
        }),
        HM::NewSessionTicket13(NewSessionTicket13 {
            lifetime: 86400,
            age_add: 12345,
            nonce: vec![0, 1],
            ticket: vec![4; 64],
            extensions: vec![],
        }),
        HM::NewSessionTicket13(NewSessionTicket13 {
            lifetime: 60,
            age_add: 1,
            nonce: vec![],
            ticket: vec![5; 16],
            extensions: vec![Extension::new(
                ExtensionType::EARLY_DATA,
                ExtBody::EarlyData(Some(1024)),
            )],
        }),
        HM::Finished(vec![0xfe; 48]),
        HM::KeyUpdate(1),
        HM::KeyUpdate(0),
        HM::CertificateStatus(CertificateStatus {
            status_type: 1,
            response: vec![0x30; 500],
        }),
        HM::Unknown(HandshakeType(99), vec![1, 2, 3]),
        HM::EncryptedExtensions(vec![]),
        HM::ServerHello(ServerHello {
            version: ProtocolVersion::TLS12,
            random: HRR_RANDOM,
            session_id: vec![0x11; 32],
            cipher_suite: CipherSuite(0x1301),
            compression_method: CompressionMethod(0),
            extensions: vec![Extension::new(
                ExtensionType::KEY_SHARE,
                ExtBody::KeyShareHrr(NamedGroup::X25519),
            )],
            extensions_absent: false,
        }),
        HM::HelloRequest,
        HM::ServerHelloDone,
    ]
}

#[test]
fn messages_human_and_json() {
    colored::control::set_override(false);
    let h = Human::new(false, false, 0);
    let mut out = String::new();
    for msg in messages() {
        let e = Event::Handshake {
            dir: Dir::In,
            msg: Box::new(msg),
            raw: vec![0; 4],
            encrypted: false,
            checks: vec![],
        };
        for l in h.render(&e) {
            out += &format!("{l}\n");
        }
        out += &format!("{}\n\n", json::event(&e));
    }
    insta::assert_snapshot!("messages", out);
}
