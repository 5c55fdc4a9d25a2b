//! The words of every check, info and warning kind (report::checks, report::remarks), pinned
//! to the sentences the core and the network layer used to build themselves: the human
//! trace and the JSON output stay byte-identical for the kinds no snapshot reaches.

use std::time::Duration;

use tlsprobe::crypto::dh::DhParamsInfo;
use tlsprobe::error::{Alert, TlsError};
use tlsprobe::event::{
    CertOrigin, Check, CheckKind as K, Info, KxSignature, SignatureGap, SocksAddress, Warning,
};
use tlsprobe::handshake::psk::{ExternalPsk, PskUse};
use tlsprobe::handshake::Side;
use tlsprobe::net::starttls::Starttls;
use tlsprobe::pki::error::PkiError;
use tlsprobe::pki::ocsp::OcspSummary;
use tlsprobe::report::checks::describe;
use tlsprobe::wire::codepoints::{
    NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};

fn words(kind: K) -> (&'static str, String) {
    describe(&Check::pass(kind))
}

fn assert_words(cases: Vec<(K, &str, &str)>) {
    for (kind, what, detail) in cases {
        assert_eq!(words(kind.clone()), (what, detail.to_string()), "{kind:?}");
    }
}

#[test]
fn versions_and_record_protection() {
    let v11 = ProtocolVersion::TLS11;
    assert_words(vec![
        (
            K::DowngradeSentinelAbsent { version: v11 },
            "downgrade sentinel",
            "absent (TLS 1.1 chosen while a higher version was offered; RFC 8446 §4.1.3)",
        ),
        (
            K::DowngradeSentinelSet {
                version: ProtocolVersion::TLS12,
                sentinel: *b"DOWNGRD\x01",
            },
            "downgrade sentinel",
            "DOWNGRD\\x01 set in the random: TLS 1.2 chosen while a higher version is enabled (RFC 8446 §4.1.3)",
        ),
        (
            K::DowngradeSentinelSet {
                version: v11,
                sentinel: *b"DOWNGRD\x00",
            },
            "downgrade sentinel",
            "DOWNGRD\\x00 set in the random: TLS 1.1 chosen while a higher version is enabled (RFC 8446 §4.1.3)",
        ),
        (
            K::DeprecatedVersion { version: v11 },
            "protocol version",
            "TLS 1.1 is deprecated (RFC 8996)",
        ),
        (
            K::Beast,
            "BEAST",
            "TLS 1.0 with a CBC suite: each record's IV is the previous ciphertext block, exposed to BEAST (CVE-2011-3389)",
        ),
        (
            K::EncryptThenMac {
                negotiated: true,
                by: Side::Client,
            },
            "encrypt-then-MAC",
            "negotiated (RFC 7366): the MAC covers the ciphertext",
        ),
        (
            K::EncryptThenMac {
                negotiated: false,
                by: Side::Client,
            },
            "encrypt-then-MAC",
            "not negotiated: MAC-then-encrypt, the order padding-oracle attacks exploit",
        ),
        (
            K::EncryptThenMac {
                negotiated: true,
                by: Side::Server,
            },
            "encrypt-then-MAC",
            "negotiated (RFC 7366)",
        ),
        (
            K::EncryptThenMac {
                negotiated: false,
                by: Side::Server,
            },
            "encrypt-then-MAC",
            "not negotiated: MAC-then-encrypt (checked in constant time on receive)",
        ),
        (
            K::NoSecureRenegotiation,
            "secure renegotiation",
            "the server does not support RFC 5746 secure renegotiation",
        ),
    ]);
}

#[test]
fn resumption_and_retries() {
    assert_words(vec![
        (
            K::Resumed { from_ticket: true },
            "resumption",
            "session resumed from the client's ticket",
        ),
        (
            K::Resumed { from_ticket: false },
            "resumption",
            "session resumed from the session-id cache",
        ),
        (
            K::SessionIdEchoed,
            "resumption",
            "the server echoed our session id: abbreviated handshake",
        ),
        (
            K::PskAccepted {
                identity: 0,
                psk: PskUse::resumption(PskKeyExchangeMode::PSK_DHE_KE),
            },
            "PSK",
            "the server accepted PSK identity 0: resumption PSK (ticket), psk_dhe_ke",
        ),
        (
            K::PskBinderValid {
                identity: 1,
                psk: PskUse::external(
                    &ExternalPsk::new(
                        b"Client_identity".to_vec(),
                        vec![1; 16],
                        PskKeyExchangeMode::PSK_KE,
                    ),
                    Some(PskKeyExchangeMode::PSK_KE),
                ),
            },
            "PSK binder",
            "identity 1, external PSK \"Client_identity\", psk_ke, with a valid binder: using it",
        ),
        (
            K::SessionTicket {
                len: 192,
                lifetime_hint: 7200,
            },
            "session ticket",
            "192 bytes, lifetime hint 7200 s (RFC 5077)",
        ),
        (
            K::TicketAllowsEarlyData {
                max_early_data: 16384,
            },
            "early data",
            "the ticket allows 16384 bytes of 0-RTT data (connect --early-data sends some)",
        ),
        (
            K::EarlyDataAccepted { bytes: 18 },
            "early data",
            "0-RTT accepted: 18 bytes of early data (RFC 8446 §4.2.10)",
        ),
        (
            K::RetryRequested {
                group: NamedGroup::X25519,
            },
            "retry",
            "the client sent no key share for x25519, our preferred group it supports",
        ),
        (
            K::RetryReceived {
                group: Some(NamedGroup::X25519),
            },
            "retry",
            "the server wants a key share for x25519",
        ),
        (
            K::RetryReceived { group: None },
            "retry",
            "the server sent a cookie",
        ),
        (
            K::HelloRequestIgnored,
            "hello request",
            "ignored during the handshake",
        ),
    ]);
}

#[test]
fn key_exchange() {
    let info = |known| DhParamsInfo {
        bits: 2048,
        generator: "2".into(),
        known,
        weak: false,
    };
    assert_words(vec![
        (
            K::DhParams(info(Some("RFC 7919 ffdhe2048"))),
            "DH parameters",
            "2048-bit prime, generator 2, RFC 7919 ffdhe2048",
        ),
        (
            K::DhParams(info(None)),
            "DH parameters",
            "2048-bit prime, generator 2, not a well-known group",
        ),
        (
            K::DhParamsRejected(TlsError::new(
                Alert::InsufficientSecurity,
                "the server's DH prime has 23 bits",
            )),
            "DH parameters",
            "the server's DH prime has 23 bits",
        ),
        (
            K::DhGroupSent {
                description: "RFC 7919 ffdhe3072",
                bits: 3072,
            },
            "DH parameters",
            "RFC 7919 ffdhe3072 (3072 bits)",
        ),
        (
            K::DhPublicInRange { of: Side::Client },
            "DH public value",
            "1 < Yc < p-1 (RFC 7919 §5.1)",
        ),
        (
            K::DhPublicInRange { of: Side::Server },
            "DH public value",
            "1 < Ys < p-1 (RFC 7919 §5.1)",
        ),
        (
            K::DhGroupWeak { bits: 1024 },
            "DH group strength",
            "the server's DHE group has a 1024-bit prime: weaker than 2048 bits (Logjam, RFC 7919)",
        ),
        (
            K::DhGroupUnknown,
            "DH group",
            "the prime is not one of the well-known groups; its primality was not tested",
        ),
        (
            K::PremasterEncrypted { len: 48 },
            "key transport",
            "48-byte pre-master secret encrypted to the server certificate's RSA key (RFC 5246 §7.4.7.1)",
        ),
        (
            K::PremasterDecrypted,
            "key transport",
            "pre-master secret decrypted with our RSA key (any failure silently replaced by random bytes, RFC 5246 §7.4.7.1)",
        ),
    ]);
}

#[test]
fn signatures_and_finished() {
    let scheme = SignatureScheme::ECDSA_SECP256R1_SHA256;
    assert_words(vec![
        (
            K::KeyExchangeSignature(KxSignature::Scheme(scheme)),
            "signature",
            "ecdsa_secp256r1_sha256 over client_random + server_random + params verified with the leaf key",
        ),
        (
            K::KeyExchangeSignature(KxSignature::Legacy("ECDSA over SHA-1")),
            "signature",
            "ECDSA over SHA-1 over client_random + server_random + params verified with the leaf key",
        ),
        (
            K::CertificateVerify {
                scheme,
                signer: Side::Server,
            },
            "signature",
            "ecdsa_secp256r1_sha256 over the handshake transcript verified with the leaf key",
        ),
        (
            K::CertificateVerify {
                scheme,
                signer: Side::Client,
            },
            "signature",
            "ecdsa_secp256r1_sha256 verified with the client certificate's key",
        ),
        (
            K::CertificateVerifyLegacy {
                how: "RSA PKCS#1 v1.5 over MD5+SHA-1",
                signer: Side::Client,
            },
            "signature",
            "RSA PKCS#1 v1.5 over MD5+SHA-1 verified with the client certificate's key",
        ),
        (
            K::FinishedPrf {
                sender: Side::Server,
            },
            "verify_data",
            "matches PRF(master_secret, \"server finished\", transcript hash)",
        ),
        (
            K::FinishedPrf {
                sender: Side::Client,
            },
            "verify_data",
            "matches PRF(master_secret, \"client finished\", transcript hash)",
        ),
        (
            K::FinishedHmac {
                sender: Side::Client,
            },
            "verify_data",
            "matches HMAC(client finished_key, transcript)",
        ),
        (
            K::KeyUpdated {
                peer: Side::Server,
                update_requested: false,
            },
            "key update",
            "server keys updated",
        ),
        (
            K::KeyUpdated {
                peer: Side::Client,
                update_requested: true,
            },
            "key update",
            "client keys updated; the client asks us to update ours too",
        ),
    ]);
}

#[test]
fn certificates() {
    let full = OcspSummary {
        response_status: "successful".into(),
        cert_status: Some("good".into()),
        produced_at: Some("2024-01-01T00:00:00Z".into()),
        this_update: Some("2024-01-01T00:00:00Z".into()),
        next_update: Some("2024-01-08T00:00:00Z".into()),
        responder: Some("CN=OCSP".into()),
        serial: Some("01".into()),
    };
    let bare = OcspSummary {
        response_status: "tryLater".into(),
        cert_status: None,
        produced_at: None,
        this_update: None,
        next_update: None,
        responder: None,
        serial: None,
    };
    assert_words(vec![
        (
            K::Ocsp(Box::new(full)),
            "OCSP",
            "OCSP response successful, certificate good, produced at 2024-01-01T00:00:00Z, this update 2024-01-01T00:00:00Z, next update 2024-01-08T00:00:00Z, responder CN=OCSP",
        ),
        (K::Ocsp(Box::new(bare)), "OCSP", "OCSP response tryLater"),
        (
            K::OcspStatusUnreadable {
                len: 5,
                error: PkiError::TruncatedDer,
            },
            "OCSP",
            "stapled response of 5 bytes could not be read: truncated DER",
        ),
        (
            K::OcspEntryUnreadable(PkiError::NotBasicOcsp),
            "OCSP",
            &format!("stapled response unreadable: {}", PkiError::NotBasicOcsp),
        ),
        (
            K::ClientCertificateRequested { have_cert: true },
            "client certificate",
            "the server asks for a client certificate; we will send ours",
        ),
        (
            K::ClientCertificateRequested { have_cert: false },
            "client certificate",
            "the server asks for a client certificate; we have none (--cert) and will send an empty one",
        ),
        (
            K::ClientCertificateWithheld { have_cert: true },
            "client certificate",
            "our key cannot sign with any scheme the server accepts: sending no certificate",
        ),
        (
            K::ClientCertificateWithheld { have_cert: false },
            "client certificate",
            "no --cert given: sending an empty certificate list",
        ),
        (
            K::NoClientCertificate,
            "client certificate",
            "the client sent no certificate",
        ),
    ]);
}

#[test]
fn only_ocsp_kinds_are_ocsp() {
    assert!(K::OcspEntryUnreadable(PkiError::TruncatedDer).is_ocsp());
    assert!(!K::SessionIdEchoed.is_ocsp());
}

#[test]
fn info_sentences() {
    let smtp = Starttls::Smtp;
    let cases = [
        (
            Info::HappyEyeballs {
                waited: Duration::from_millis(250),
                next: "[::1]:443".parse().unwrap(),
            },
            "no answer yet after 250 ms: trying [::1]:443 as well (happy eyeballs, RFC 8305)",
        ),
        (
            Info::ViaProxy {
                target: "example.com:443".into(),
                proxy: "socks5://127.0.0.1:1080".into(),
            },
            "connecting to example.com:443 through the proxy socks5://127.0.0.1:1080",
        ),
        (
            Info::HttpTunnelOpened {
                authority: "example.com:443".into(),
            },
            "the proxy opened a tunnel to example.com:443",
        ),
        (
            Info::SocksMethodsOffered {
                user_password: true,
            },
            "SOCKS5 (RFC 1928): offering authentication methods: none, username/password",
        ),
        (
            Info::SocksMethodsOffered {
                user_password: false,
            },
            "SOCKS5 (RFC 1928): offering authentication methods: none",
        ),
        (
            Info::SocksNoAuthentication,
            "SOCKS5: the proxy chose no authentication",
        ),
        (
            Info::SocksUserPassword { user: "bob".into() },
            "SOCKS5: the proxy chose username/password authentication (RFC 1929); sending user 'bob'",
        ),
        (Info::SocksAuthenticated, "SOCKS5: authenticated"),
        (
            Info::SocksConnect {
                target: "127.0.0.1:443".into(),
                address: SocksAddress::Ipv4,
            },
            "SOCKS5: CONNECT 127.0.0.1:443 (IPv4 address)",
        ),
        (
            Info::SocksConnect {
                target: "[::1]:443".into(),
                address: SocksAddress::Ipv6,
            },
            "SOCKS5: CONNECT [::1]:443 (IPv6 address)",
        ),
        (
            Info::SocksConnect {
                target: "example.com:443".into(),
                address: SocksAddress::HostName,
            },
            "SOCKS5: CONNECT example.com:443 (host name, resolved by the proxy)",
        ),
        (
            Info::SocksConnected {
                target: "example.com:443".into(),
                reply: 0,
            },
            "SOCKS5: the proxy connected to example.com:443 (succeeded)",
        ),
        (
            Info::StarttlsDialogue { protocol: smtp },
            "STARTTLS: SMTP plaintext dialogue first (RFC 3207)",
        ),
        (
            Info::StarttlsAgreed { protocol: smtp },
            "the SMTP server agreed to start TLS; the handshake follows",
        ),
        (
            Info::StarttlsRequested { protocol: smtp },
            "the client asked to start TLS; the handshake follows",
        ),
        (
            Info::WarningAlert {
                alert: Alert::UserCanceled,
                in_a_row: 1,
            },
            "peer sent a warning alert: user_canceled",
        ),
        (
            Info::WarningAlert {
                alert: Alert::UnsupportedCertificate,
                in_a_row: 3,
            },
            "peer sent a warning alert: unsupported_certificate (3 in a row without progress; more than 4 ends the connection)",
        ),
        (
            Info::RenegotiationRefused { by: Side::Server },
            "the server asked to renegotiate; refused with a no_renegotiation warning",
        ),
        (
            Info::RenegotiationRefused { by: Side::Client },
            "the client tried to renegotiate; refused with a no_renegotiation warning",
        ),
        (Info::Reconnecting, "Reconnecting to resume the session"),
        (
            Info::RecordLimits {
                source: tlsprobe::event::LimitSource::RecordSizeLimit,
                send: 63,
                receive: 16385,
            },
            "record sizes limited by record_size_limit (RFC 8449): we send at most 63 bytes of content per record, we accept at most 16385 bytes of plaintext per protected record",
        ),
        (
            Info::Listening {
                local: "127.0.0.1:4433".into(),
                origin: CertOrigin::SelfSigned,
                key: "ECDSA P-256".into(),
            },
            "Listening on 127.0.0.1:4433 (self-signed certificate, ECDSA P-256 key)",
        ),
        (
            Info::CertificateFingerprint {
                sha256: "ab:cd".into(),
            },
            "certificate SHA-256 fingerprint ab:cd",
        ),
        (
            Info::SecondCertificate {
                origin: CertOrigin::File,
                key: "RSA 2048".into(),
                sha256: "ef:01".into(),
            },
            "second certificate from --cert (RSA 2048 key) for clients the first does not suit, SHA-256 fingerprint ef:01",
        ),
        (
            Info::ListenStarttls { protocol: smtp },
            "each connection starts with the server side of the SMTP STARTTLS dialogue",
        ),
        (
            Info::PostHandshakeAuth {
                client_certificate: Some("CN=client".into()),
                verified: Some(true),
            },
            "post-handshake authentication (RFC 8446 §4.6.2): the client sent the certificate of CN=client, which verified",
        ),
        (
            Info::PostHandshakeAuth {
                client_certificate: Some("CN=client".into()),
                verified: None,
            },
            "post-handshake authentication (RFC 8446 §4.6.2): the client sent the certificate of CN=client (not verified: no --ca-file)",
        ),
        (
            Info::PostHandshakeAuth {
                client_certificate: None,
                verified: None,
            },
            "post-handshake authentication (RFC 8446 §4.6.2): the client sent no certificate",
        ),
    ];
    for (info, sentence) in cases {
        assert_eq!(info.to_string(), sentence, "{info:?}");
    }
}

#[test]
fn warning_sentences() {
    let cases = [
        (
            Warning::Beast { split: true },
            "TLS 1.0 CBC: chained IVs (CVE-2011-3389); application data is split 1/n-1 (a first record of one byte), the BEAST countermeasure",
        ),
        (
            Warning::Beast { split: false },
            "TLS 1.0 CBC: chained IVs are exposed to BEAST (CVE-2011-3389); records are not split 1/n-1 (--no-split)",
        ),
        (
            Warning::WeakDhGroup { bits: 768 },
            "the server's DHE group has a 768-bit prime: weaker than 2048 bits (Logjam, RFC 7919)",
        ),
        (
            Warning::TicketMissing,
            "the server acknowledged session_ticket but sent no NewSessionTicket",
        ),
        (
            Warning::VerificationIgnored { errors: vec![] },
            "certificate verification failed (the certificate chain did not verify); continuing because of -k",
        ),
        (
            Warning::VerificationIgnored {
                errors: vec!["expired".into(), "unknown issuer".into()],
            },
            "certificate verification failed (expired; unknown issuer); continuing because of -k",
        ),
        (
            Warning::NothingToResume,
            "the server offered nothing to resume (no session id or ticket); the second handshake is a full one",
        ),
        (
            Warning::ClientCertificatesUnverified,
            "no --ca-file: client certificates are shown but not verified",
        ),
        (
            Warning::PostHandshakeAuthUnavailable { tls13: true },
            "no post-handshake CertificateRequest: the client did not offer post_handshake_auth (RFC 8446 §4.6.2)",
        ),
        (
            Warning::PostHandshakeAuthUnavailable { tls13: false },
            "no post-handshake CertificateRequest: post-handshake authentication is TLS 1.3 only",
        ),
        (
            Warning::NoSignatureForClient {
                gap: SignatureGap::NotSent,
            },
            "the client sent no signature_algorithms, and RFC 9155 §2 forbids the SHA-1 default of RFC 5246 §7.4.1.4.1, so only a suite without a server signature (RSA key transport) can be chosen",
        ),
        (
            Warning::NoSignatureForClient {
                gap: SignatureGap::OnlyForbidden(vec![
                    SignatureScheme::RSA_PKCS1_SHA1,
                    SignatureScheme::ECDSA_SHA1,
                ]),
            },
            "the client accepts only MD5 or SHA-1 signatures (rsa_pkcs1_sha1, ecdsa_sha1), which RFC 9155 §4 forbids, so only a suite without a server signature (RSA key transport) can be chosen",
        ),
    ];
    for (warning, sentence) in cases {
        assert_eq!(warning.to_string(), sentence, "{warning:?}");
    }
}
