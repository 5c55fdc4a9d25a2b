//! Complete handshakes: ECDHE with AEAD suites and few or no extensions, extended master
//! secret, odd but valid hellos, the hellos of real clients, the downgrade sentinel, the
//! fallback to DHE and the explicit nonces of AES-GCM records.

use std::sync::Arc;

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::handshake::config::ServerConfig;
use tlsprobe::handshake::Connection;
use tlsprobe::inmem::self_signed;
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::parse;
use crate::common::scripted::{rsa_key, server_hello, Rec, ALERT, HS};
use crate::hello::*;
use crate::script::*;

/// test-x25519 "default to P-256/sha-1 when no extensions specified" (with
/// signature_algorithms: RFC 9155 §2 removed the SHA-1 default, see
/// `extensions::tls12_hello_without_signature_algorithms`), test-conversation,
/// test-ecdhe-rsa-key-exchange, test-chacha20, test-aes-gcm-nonces and the "sanity" probe of
/// every script: ECDHE + AEAD handshakes with few extensions. Without supported_groups the
/// server uses secp256r1 (RFC 8422 §4).
#[test]
fn ecdhe_aead_handshakes_with_few_extensions() {
    let ecdsa = ecdsa_server();
    let rsa = server_with(rsa_key(), |_| {});
    let all_sigs = sigalgs_ext(&[0x0403, 0x0804, 0x0401, 0x0201, 0x0203]);
    type Case<'a> = (
        &'a Arc<ServerConfig>,
        u16,
        Vec<(u16, Vec<u8>)>,
        NamedGroup,
        SignatureScheme,
    );
    let cases: Vec<Case> = vec![
        (
            &ecdsa,
            ECDHE_ECDSA_AES128GCM,
            vec![sigalgs_ext(&[0x0403])],
            NamedGroup::SECP256R1,
            SignatureScheme::ECDSA_SECP256R1_SHA256,
        ),
        (
            &rsa,
            ECDHE_RSA_AES128GCM,
            vec![sigalgs_ext(&[0x0401])],
            NamedGroup::SECP256R1,
            SignatureScheme::RSA_PKCS1_SHA256,
        ),
        (
            &ecdsa,
            ECDHE_ECDSA_CHACHA,
            vec![groups_ext(&[0x001d, 0x0017]), all_sigs.clone()],
            NamedGroup::X25519,
            SignatureScheme::ECDSA_SECP256R1_SHA256,
        ),
        (
            &ecdsa,
            ECDHE_ECDSA_AES256GCM,
            vec![all_sigs.clone()],
            NamedGroup::SECP256R1,
            SignatureScheme::ECDSA_SECP256R1_SHA256,
        ),
        (
            &rsa,
            ECDHE_RSA_AES128GCM,
            vec![groups_ext(&[0x0018]), all_sigs.clone()],
            NamedGroup::SECP384R1,
            SignatureScheme::RSA_PSS_RSAE_SHA256,
        ),
        (
            &rsa,
            ECDHE_RSA_AES128GCM,
            vec![
                groups_ext(&[0x0017, 0x0100]),
                all_sigs.clone(),
                (RENEGO, vec![0]),
                (EMS, vec![]),
            ],
            NamedGroup::SECP256R1,
            SignatureScheme::RSA_PSS_RSAE_SHA256,
        ),
    ];
    for (cfg, suite, exts, group, scheme) in cases {
        let mut sc = Script::new(cfg.clone());
        sc.hello(&client_hello(0x0303, &[suite, SCSV], Some(&exts)));
        assert_eq!(sc.suite(), suite);
        assert_eq!(
            (sc.ske().group, sc.ske().scheme),
            (group, scheme),
            "{suite:#x}"
        );
        sc.check_ske_signature();
        assert!(sc.sh_exts.contains(&RENEGO), "RFC 5746 §3.6");
        sc.complete();
        sc.conversation();
    }
}

/// test-extended-master-secret-extension "extended master secret w/ECDHE": the server
/// answers the extension and derives the master secret from the session hash (RFC 7627 §4),
/// which the independent derivation here must match for the Finished messages to verify.
#[test]
fn extended_master_secret_is_negotiated_and_used() {
    let mut sc = Script::new(ecdsa_server());
    let exts = [
        (RENEGO, vec![0]),
        (EMS, vec![]),
        groups_ext(&[0x0017]),
        sigs(),
    ];
    sc.hello(&client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&exts)));
    assert!(sc.ems);
    sc.complete();
    sc.conversation();
}

/// test-large-number-of-extensions, test-record-layer-fragmentation, test-large-hello:
/// many unknown extensions, and hellos padded up to a full extensions block (2^16-1 bytes:
/// signature_algorithms and padding), fragmented down to 1-byte records, all complete. (test-empty-extensions, an empty
/// extensions block, is in `extensions::tls12_hello_without_signature_algorithms`: without
/// signature_algorithms only RSA key transport is left.)
#[test]
fn odd_but_valid_hellos_complete() {
    let cfg = ecdsa_server();
    let mut many: Vec<(u16, Vec<u8>)> = (0..1000u16).map(|i| (0x4000 + i, vec![])).collect();
    many.push(sigs());
    let padded = |n: usize| {
        client_hello(
            0x0303,
            &[ECDHE_ECDSA_AES128GCM],
            Some(&[sigs(), (PADDING, vec![0; n])]),
        )
    };
    let hellos = vec![
        (
            client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&many)),
            1 << 14,
        ),
        (padded(65535 - 4 - sigs().1.len() - 4), 1 << 14),
        (padded(1024), 1),
        (padded(4096), 20),
    ];
    for (ch, frag) in hellos {
        let mut sc = Script::new(cfg.clone());
        sc.hello_in(&ch, frag);
        sc.complete();
        sc.conversation();
    }
}

/// test-client-compatibility: the TLS 1.2 ClientHellos of real clients the script replays
/// (Android 4.4.2, Android 6.0, Android 7.0, Apple ATS 9 on iOS 9; record layer 3.1 as they
/// sent it) each get a TLS 1.2 ServerHello from listen's default pair of certificates
/// (the script checks only that), and the handshake completes with the scripted client.
/// Their old-fashioned parts — MD5/SHA-224/DSA signature schemes, secp521r1, draft
/// ChaCha20 code points, NPN, an empty SessionTicket — are skipped, not refused. (The
/// script's TLS 1.0 hellos get protocol_version: TLS 1.0/1.1 are off by default.)
#[test]
fn real_client_hellos_get_a_server_hello() {
    let cfg = server_with(self_signed("localhost"), |c| c.alt_certs = vec![rsa_key()]);
    let sni = sni_ext(&[(0, b"localhost")]);
    let old_sigalgs = (
        SIGALGS,
        vec16(&[
            6, 1, 6, 2, 6, 3, 5, 1, 5, 2, 5, 3, 4, 1, 4, 2, 4, 3, 3, 1, 3, 2, 3, 3, 2, 1, 2, 2, 2,
            3, 1, 1,
        ]),
    );
    let point_formats = (POINT_FORMATS, vec8(&[0]));
    let ticket = (SESSION_TICKET, vec![]);
    let npn = (13172u16, vec![]);
    type Hello = (Vec<u16>, Vec<(u16, Vec<u8>)>);
    let hellos: Vec<Hello> = vec![
        // Android 4.4.2
        (
            vec![
                49200, 49196, 49172, 49162, 163, 159, 107, 106, 57, 56, 157, 61, 53, 49170, 49160,
                22, 19, 10, 49199, 49195, 49191, 49187, 49171, 49161, 162, 158, 103, 64, 51, 50,
                156, 60, 47, 49169, 49159, 5, 4, 255,
            ],
            vec![
                sni.clone(),
                point_formats.clone(),
                groups_ext(&[0x19, 0x18, 0x17]),
                ticket.clone(),
                old_sigalgs.clone(),
                npn.clone(),
            ],
        ),
        // Android 6.0
        (
            vec![
                52244, 52243, 52245, 49195, 49199, 158, 49162, 49172, 57, 49161, 49171, 51, 156,
                53, 47, 10, 255,
            ],
            vec![
                sni.clone(),
                (EMS, vec![]),
                ticket.clone(),
                (
                    SIGALGS,
                    vec16(&[6, 1, 6, 3, 5, 1, 5, 3, 4, 1, 4, 3, 3, 1, 3, 3, 2, 1, 2, 3]),
                ),
                (5, vec![1, 0, 0, 0, 0]),
                npn.clone(),
                (18, vec![]),
                alpn_ext(&[b"http/1.1", b"spdy/3.1"]),
                point_formats.clone(),
                groups_ext(&[0x17, 0x18]),
            ],
        ),
        // Android 7.0
        (
            vec![
                52393, 52392, 52244, 52243, 49195, 49199, 49196, 49200, 49161, 49171, 49162, 49172,
                156, 157, 47, 53, 10,
            ],
            vec![
                (RENEGO, vec![0]),
                sni.clone(),
                (EMS, vec![]),
                ticket.clone(),
                (
                    SIGALGS,
                    vec16(&[6, 1, 6, 3, 5, 1, 5, 3, 4, 1, 4, 3, 2, 1, 2, 3]),
                ),
                (5, vec![1, 0, 0, 0, 0]),
                (18, vec![]),
                alpn_ext(&[b"h2", b"spdy/3.1", b"http/1.1"]),
                point_formats.clone(),
                groups_ext(&[0x1d, 0x17, 0x18]),
            ],
        ),
        // Apple ATS 9 on iOS 9
        (
            vec![
                255, 49196, 49195, 49188, 49162, 49187, 49161, 49200, 49199, 49192, 49191, 49171,
            ],
            vec![
                sni,
                groups_ext(&[0x17, 0x18, 0x19]),
                point_formats,
                (SIGALGS, vec16(&[5, 1, 4, 1, 2, 1, 5, 3, 4, 3, 2, 3])),
                npn,
                alpn_ext(&[
                    b"h2",
                    b"h2-16",
                    b"h2-15",
                    b"h2-14",
                    b"spdy/3.1",
                    b"spdy/3",
                    b"http/1.1",
                ]),
                (5, vec![1, 0, 0, 0, 0]),
                (18, vec![]),
            ],
        ),
    ];
    for (suites, exts) in hellos {
        let ch = client_hello(0x0303, &suites, Some(&exts));
        let mut s = Connection::server(cfg.clone(), seeded_rng(3));
        let rec = Rec {
            ct: HS,
            ver: 0x0301,
            frag: ch.clone(),
        };
        s.feed(&rec.bytes()).unwrap();
        let out = parse(&s.take_output());
        let sh = server_hello(&out[0]);
        assert_eq!(sh.version, ProtocolVersion::TLS12);
        assert!(suites.contains(&sh.cipher_suite.0), "{:?}", sh.cipher_suite);

        let mut sc = Script::new(cfg.clone());
        sc.hello(&ch);
        sc.complete();
        sc.conversation();
    }
}

/// test-downgrade-protection: a TLS 1.2 ClientHello to a server that also does TLS 1.3 gets
/// a ServerHello random ending in "DOWNGRD" 01 (RFC 8446 §4.1.3); a TLS 1.2-only server
/// does not set it. test-TLSv1_2-rejected-without-TLSv1_2: a TLS 1.1 ClientHello offering only
/// TLS 1.2 (AEAD) suites is refused with an alert, never answered with a ServerHello.
#[test]
fn downgrade_sentinel_and_tls12_suites_in_tls11() {
    let e = ECDHE_ECDSA_AES128GCM;
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&client_hello(0x0303, &[e, SCSV], Some(&[sigs()])));
    assert_eq!(&sc.server_random[24..], b"DOWNGRD\x01");
    sc.complete();
    sc.conversation();
    let only12 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![ProtocolVersion::TLS12]
    });
    let mut sc = Script::new(only12);
    sc.hello(&client_hello(0x0303, &[e, SCSV], Some(&[sigs()])));
    assert_ne!(&sc.server_random[24..31], b"DOWNGRD");

    hello_refused(
        &ecdsa_server(),
        client_hello(0x0302, &[e, ECDHE_ECDSA_CHACHA], Some(&[(RENEGO, vec![0])])),
        Alert::ProtocolVersion,
    );
    let with11 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![ProtocolVersion::TLS12, ProtocolVersion::TLS11]
    });
    let mut s = Connection::server(with11, seeded_rng(3));
    let ch = client_hello(0x0302, &[e, ECDHE_ECDSA_CHACHA], Some(&[(RENEGO, vec![0])]));
    let r = s.feed(&Rec::new(HS, ch).bytes());
    assert!(r.is_err(), "no TLS 1.2 suite in TLS 1.1");
    let out = parse(&s.take_output());
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].ct, out[0].frag[0]), (ALERT, 2));
}

/// test-unsupported-cuve-fallback: ECDHE and DHE suites offered with only an unknown curve
/// (secp160k1) in supported_groups: the server falls back to the DHE suite (RFC 8422 §5.1:
/// a server that cannot do ECC with the client's curves does not pick an ECC suite).
#[test]
fn unsupported_curve_falls_back_to_dhe() {
    let cfg = server_with(rsa_key(), |_| {});
    let ch = client_hello(
        0x0303,
        &[0xc030, 0x009f],
        Some(&[(RENEGO, vec![0]), groups_ext(&[0x000f]), sigs()]),
    );
    let mut s = Connection::server(cfg, seeded_rng(3));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    let out = parse(&s.take_output());
    let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
    assert_eq!(types, vec![Some(2), Some(11), Some(12), Some(14)]);
    let sh = server_hello(&out[0]);
    assert_eq!(sh.cipher_suite, CipherSuite(0x009f));
}

/// test-aes-gcm-nonces: the explicit nonces of the server's AES-GCM records (Finished, then
/// application data) are never reused and go up by one (RFC 5288 §3 lets any unique value
/// be used; tlsfuzzer checks a counter), for AES-128-GCM and AES-256-GCM.
#[test]
fn aes_gcm_explicit_nonces_count_up() {
    for suite in [ECDHE_ECDSA_AES128GCM, ECDHE_ECDSA_AES256GCM] {
        let mut sc = Script::new(ecdsa_server());
        sc.hello(&client_hello(0x0303, &[suite], Some(&[sigs()])));
        let f2 = sc.flight2(|_| {});
        sc.s.feed(&f2).unwrap();
        let fin = parse(&sc.s.take_output()).remove(1);
        sc.s.send_data(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
        let data = parse(&sc.s.take_output()).remove(0);
        let nonce = |r: &Rec| u64::from_be_bytes(r.frag[..8].try_into().unwrap());
        assert_eq!(nonce(&data), nonce(&fin) + 1, "{suite:#06x}");
    }
}
