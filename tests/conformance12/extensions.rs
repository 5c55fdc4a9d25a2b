//! Extensions the server answers, ignores or refuses: ALPN, heartbeat, server_name,
//! signature_algorithms (and the RFC 9155 policy when it is missing or lists only SHA-1),
//! status_request (OCSP stapling) and encrypt_then_mac.

use std::sync::Arc;

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::event::{Event, SignatureGap, Warning};
use tlsprobe::handshake::config::ServerConfig;
use tlsprobe::handshake::Connection;
use tlsprobe::inmem::self_signed;
use tlsprobe::wire::codepoints::{ExtensionType as ET, SignatureScheme};
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::{drain, expect_plain, expect_sealed, join, parse};
use crate::common::scripted::{rsa_key, server_hello, Rec, ALERT, HS};
use crate::hello::*;
use crate::script::*;

/// test-alpn-negotiation (server configured with http/1.1, as `listen --alpn http/1.1`):
/// http/1.1 alone or after an unknown name is selected and echoed; only unknown names is
/// no_application_protocol (RFC 7301 §3.2); an empty name, an empty list, an empty
/// extension, and a protocol_name_list length or last name length that under- or overflows
/// are decode_error.
#[test]
fn alpn_negotiation() {
    let cfg = server_with(self_signed("localhost"), |c| {
        c.alpn = vec![b"http/1.1".to_vec()]
    });
    let e = ECDHE_ECDSA_AES128GCM;
    for names in [&[&b"http/1.1"[..]][..], &[b"http/1.", b"http/1.1"]] {
        let mut sc = Script::new(cfg.clone());
        let recs = sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[alpn_ext(names), sigs()]),
        ));
        let sh = server_hello(&recs[0]);
        let alpn = tlsprobe::wire::extensions::find(&sh.extensions, ET::ALPN).unwrap();
        assert_eq!(alpn.data, alpn_ext(&[b"http/1.1"]).1);
        sc.complete();
        sc.conversation();
    }
    let two = alpn_ext(&[b"http/1.1", b"http/2"]).1;
    let with_len = |at: usize, v: u8| {
        let mut d = two.clone();
        d[at] = v;
        (ALPN, d)
    };
    let cases = [
        (alpn_ext(&[b"http/1."]), Alert::NoApplicationProtocol),
        (alpn_ext(&[b"http/1.X"]), Alert::NoApplicationProtocol),
        (alpn_ext(&[b""]), Alert::DecodeError),
        (alpn_ext(&[]), Alert::DecodeError),
        ((ALPN, vec![]), Alert::DecodeError),
        (with_len(1, 9), Alert::DecodeError),
        (with_len(1, 18), Alert::DecodeError),
        (with_len(11, 8), Alert::DecodeError),
    ];
    for (ext, want) in cases {
        let ch = client_hello(0x0303, &[e, SCSV], Some(&[ext, sigs()]));
        hello_refused(&cfg, ch, want);
    }
}

/// test-no-heartbeat: heartbeat in the ClientHello is not answered (we do not do RFC 6520);
/// a heartbeat record (or a "heartbleed" one) right behind the ClientHello gets the
/// server's flight, then unexpected_message; after the handshake, a protected heartbeat
/// record is unexpected_message too.
#[test]
fn heartbeat_is_not_supported() {
    let e = ECDHE_ECDSA_AES128GCM;
    for hb in [
        [&[1u8, 0, 14][..], b"test heartbeat"].concat(),
        [&[1u8, 0, 64][..], b"test heartbeat"].concat(),
    ] {
        let ch = client_hello(0x0303, &[e, SCSV], Some(&[(HEARTBEAT, vec![1]), sigs()]));
        let mut s = Connection::server(ecdsa_server(), seeded_rng(3));
        let bytes = join(&[Rec::new(HS, ch), Rec::new(24, hb.clone())]);
        let r = s.feed(&bytes);
        assert_eq!(r.as_ref().unwrap_err().alert, Alert::UnexpectedMessage);
        let out = parse(&s.take_output());
        let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
        assert_eq!(types, vec![Some(2), Some(11), Some(12), Some(14), None]);
        let sh = server_hello(&out[0]);
        assert!(sh.extensions.iter().all(|x| x.typ.0 != HEARTBEAT));
        assert_eq!(
            (out[4].ct, &out[4].frag[..]),
            (ALERT, &[2, Alert::UnexpectedMessage.to_u8()][..])
        );

        let mut sc = established(e);
        let rec = sc.seal(24, &hb);
        let r = sc.s.feed(&rec);
        let mut sw = sc.sw.take().unwrap();
        expect_sealed(&mut sc.s, r, Alert::UnexpectedMessage, &mut sw);
    }
}

/// test-invalid-server-name-extension: an empty server_name extension, an empty list, an
/// empty host name, trailing data and a bad overall length are decode_error; a host name
/// with NUL, BEL, a UTF-8 character or ANSI escapes, and two host names, are
/// illegal_parameter (RFC 6066 §3); names of unknown type before or after the host name
/// are skipped and the handshake completes. ("incorrect SNI" depends on `listen --sni`,
/// which refuses other names with a fatal unrecognized_name: tlsfuzzer's --sni-fatal.)
#[test]
fn invalid_server_name_extension() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let cases: Vec<((u16, Vec<u8>), Alert)> = vec![
        ((SNI, vec![]), Alert::DecodeError),
        ((SNI, vec![0, 0]), Alert::DecodeError),
        (sni_ext(&[(0, b"")]), Alert::DecodeError),
        ((SNI, vec![0, 4, 0, 0, 1, b'e', b'x']), Alert::DecodeError),
        ((SNI, vec![0xff; 4]), Alert::DecodeError),
        (sni_ext(&[(0, b"localhos\0t")]), Alert::IllegalParameter),
        (sni_ext(&[(0, b"localhos\x07t")]), Alert::IllegalParameter),
        (
            sni_ext(&[(0, "localhos\u{105}t".as_bytes())]),
            Alert::IllegalParameter,
        ),
        (
            sni_ext(&[(0, b"localhost\x1b[31mBAD\x1b[0;37m")]),
            Alert::IllegalParameter,
        ),
        (
            sni_ext(&[(0, b"localhost"), (0, b"www.localhost")]),
            Alert::IllegalParameter,
        ),
    ];
    for (ext, want) in cases {
        hello_refused(&cfg, client_hello(0x0303, &[e, SCSV], Some(&[ext])), want);
    }
    let odd: Vec<u8> = (0..24).collect();
    for entries in [
        vec![(0u8, &b"localhost"[..]), (1, &odd[..])],
        vec![(1, &odd[..]), (0, &b"localhost"[..])],
        vec![(0, &b"my_host.localhost"[..])],
    ] {
        let mut sc = Script::new(cfg.clone());
        sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[sni_ext(&entries), sigs()]),
        ));
        assert!(sc.sh_exts.contains(&SNI), "the name is acknowledged");
        sc.complete();
        sc.conversation();
    }
}

/// test-sig-algs (RSA certificate, ECDHE_RSA with AEAD here): each rsa_pss_rsae_* alone is
/// used for the ServerKeyExchange; MD5 first is never chosen (RFC 9155 §2 deprecates MD5
/// and SHA-1 signatures), nor are undefined pairs; only undefined values is
/// handshake_failure; an empty list, a list length that is odd, too long or too short,
/// and trailing bytes are decode_error. rsa_pss_pss_* alone needs an RSASSA-PSS key, so an
/// rsaEncryption server refuses it with handshake_failure (tlsfuzzer expects success: it
/// assumes a server that has such a key).
#[test]
fn tls12_signature_algorithms() {
    let rsa = server_with(rsa_key(), |_| {});
    let e = ECDHE_RSA_AES128GCM;
    for s in [0x0804u16, 0x0805, 0x0806] {
        let mut sc = Script::new(rsa.clone());
        sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[sigalgs_ext(&[s])]),
        ));
        assert_eq!(sc.ske().scheme, SignatureScheme(s));
        sc.check_ske_signature();
        sc.complete();
    }
    let md5_first = [0x0101u16, 0x0601, 0x0501, 0x0401, 0x0301, 0x0201, 0x0809];
    let undefined_first = [0x0418u16, 0x1801, 0x0a0a, 0x0918, 0xffff, 0x0601, 0x0401];
    for offer in [&md5_first[..], &md5_first[..5], &undefined_first[..]] {
        let mut sc = Script::new(rsa.clone());
        sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[sigalgs_ext(offer)]),
        ));
        let got = sc.ske().scheme.0;
        assert!(got != 0x0101 && offer[1..].contains(&got), "{got:#06x}");
        sc.check_ske_signature();
        sc.complete();
    }
    let cases: Vec<((u16, Vec<u8>), Alert)> = vec![
        (sigalgs_ext(&undefined_first[..5]), Alert::HandshakeFailure),
        (
            sigalgs_ext(&[0x0809, 0x080a, 0x080b]),
            Alert::HandshakeFailure,
        ),
        (sigalgs_ext(&[]), Alert::DecodeError),
        ((SIGALGS, vec![0, 3, 4, 1]), Alert::DecodeError),
        ((SIGALGS, vec![0, 4, 4, 1]), Alert::DecodeError),
        ((SIGALGS, vec![0, 3, 4, 1, 4]), Alert::DecodeError),
        ((SIGALGS, vec![0, 4, 2, 1, 4, 1, 4, 3]), Alert::DecodeError),
    ];
    for (ext, want) in cases {
        hello_refused(&rsa, client_hello(0x0303, &[e, SCSV], Some(&[ext])), want);
    }
}

/// TLS_RSA_WITH_AES_128_GCM_SHA256: RSA key transport, where the server signs nothing.
const RSA_AES128GCM: u16 = 0x009c;
/// TLS_DHE_RSA_WITH_AES_128_GCM_SHA256.
const DHE_RSA_AES128GCM: u16 = 0x009e;

/// The warning a server emits when the client allows no signature it may make.
fn gap_warning(events: &[Event]) -> Option<SignatureGap> {
    events.iter().find_map(|e| match e {
        Event::Warning(Warning::NoSignatureForClient { gap }) => Some(gap.clone()),
        _ => None,
    })
}

/// Feeds `ch`; expects the server's flight to be ServerHello (with `suite`), Certificate
/// and ServerHelloDone: RSA key transport, no ServerKeyExchange. Returns the events.
fn rsa_key_transport(cfg: &Arc<ServerConfig>, ch: Vec<u8>, suite: u16) -> Vec<Event> {
    let mut s = Connection::server(cfg.clone(), seeded_rng(3));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    let out = parse(&s.take_output());
    let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
    assert_eq!(
        types,
        vec![Some(2), Some(11), Some(14)],
        "no ServerKeyExchange"
    );
    assert_eq!(server_hello(&out[0]).cipher_suite, CipherSuite(suite));
    drain(&mut s)
}

/// Feeds `ch`; expects a plaintext fatal `want` (`expect_plain`), and returns the error's
/// message and the events reported before the alert (from a second, identical run).
fn refusal(cfg: &Arc<ServerConfig>, ch: Vec<u8>, want: Alert) -> (String, Vec<Event>) {
    let mut s = Connection::server(cfg.clone(), seeded_rng(3));
    let r = s.feed(&Rec::new(HS, ch.clone()).bytes());
    expect_plain(&mut s, r, want);
    let mut s = Connection::server(cfg.clone(), seeded_rng(3));
    let message = s.feed(&Rec::new(HS, ch).bytes()).unwrap_err().message;
    let events = drain(&mut s)
        .into_iter()
        .take_while(|e| !matches!(e, Event::Alert { .. }))
        .collect();
    (message, events)
}

/// RFC 9155 §2 replaces the SHA-1 default of RFC 5246 §7.4.1.4.1 ("If a client does not
/// send a signature_algorithms extension, then the server MUST abort the handshake and send
/// a handshake_failure alert, except when digital signatures are not used"), and §4 forbids
/// MD5 and SHA-1 in ServerKeyExchange. A TLS 1.2 hello without signature_algorithms (no
/// extensions at all, or an empty block: test-empty-extensions) or listing only SHA-1 gets
/// RSA key transport when it offers it, with a warning saying why; without such a suite it
/// is handshake_failure, and the reason names signature algorithms, not "no cipher suite in
/// common" (test-sig-algs-renegotiation-resumption "without signature_algorithms and
/// signature_algorithms_cert ext", test-sig-algs "only SHA-1"). A hello with
/// signature_algorithms_cert but no signature_algorithms uses signatures, so even RSA key
/// transport is refused (test-sig-algs-renegotiation-resumption "without
/// signature_algorithms ext").
#[test]
fn tls12_hello_without_signature_algorithms() {
    let rsa = server_with(rsa_key(), |_| {});
    let ecdsa = ecdsa_server();
    let sha1_only = sigalgs_ext(&[0x0201, 0x0203]);
    let ecdhe = [
        ECDHE_RSA_AES128GCM,
        ECDHE_ECDSA_AES128GCM,
        DHE_RSA_AES128GCM,
        SCSV,
    ];
    let with_rsa_kx = [ECDHE_RSA_AES128GCM, DHE_RSA_AES128GCM, RSA_AES128GCM, SCSV];

    // RSA key transport is chosen, and the warning says why
    for exts in [None, Some(vec![]), Some(vec![groups_ext(&[0x17, 0x100])])] {
        let ch = client_hello(0x0303, &with_rsa_kx, exts.as_deref());
        let events = rsa_key_transport(&rsa, ch, RSA_AES128GCM);
        assert_eq!(gap_warning(&events), Some(SignatureGap::NotSent));
    }
    let ch = client_hello(0x0303, &with_rsa_kx, Some(std::slice::from_ref(&sha1_only)));
    let events = rsa_key_transport(&rsa, ch, RSA_AES128GCM);
    assert_eq!(
        gap_warning(&events),
        Some(SignatureGap::OnlyForbidden(vec![
            SignatureScheme::RSA_PKCS1_SHA1,
            SignatureScheme::ECDSA_SHA1
        ]))
    );
    // ...and a hello that allows a signature gets no warning
    let ch = client_hello(0x0303, &with_rsa_kx, Some(&[sigs()]));
    let mut s = Connection::server(rsa.clone(), seeded_rng(3));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    assert_eq!(gap_warning(&drain(&mut s)), None);

    // no suite without a signature: handshake_failure naming signature algorithms
    for cfg in [&rsa, &ecdsa] {
        let (why, events) = refusal(
            cfg,
            client_hello(0x0303, &ecdhe, None),
            Alert::HandshakeFailure,
        );
        assert!(
            why.contains("no signature_algorithms") && why.contains("RFC 9155"),
            "{why}"
        );
        assert!(!why.contains("no cipher suite in common"), "{why}");
        assert_eq!(gap_warning(&events), Some(SignatureGap::NotSent));
        let ch = client_hello(0x0303, &ecdhe, Some(std::slice::from_ref(&sha1_only)));
        let (why, _) = refusal(cfg, ch, Alert::HandshakeFailure);
        assert!(
            why.contains("rsa_pkcs1_sha1, ecdsa_sha1") && why.contains("RFC 9155"),
            "{why}"
        );
    }
    // a scheme list the key cannot use (not SHA-1): named too
    let ch = client_hello(
        0x0303,
        &[ECDHE_ECDSA_AES128GCM],
        Some(&[sigalgs_ext(&[0x0804])]),
    );
    let (why, events) = refusal(&ecdsa, ch, Alert::HandshakeFailure);
    assert!(
        why.contains("rsa_pss_rsae_sha256") && why.contains("ECDSA"),
        "{why}"
    );
    assert_eq!(gap_warning(&events), None);

    // signature_algorithms_cert without signature_algorithms: refused, even for RSA
    // key transport
    let cert_only = (50u16, sigs().1);
    for suites in [&with_rsa_kx[..], &[RSA_AES128GCM]] {
        let ch = client_hello(0x0303, suites, Some(std::slice::from_ref(&cert_only)));
        let (why, _) = refusal(&rsa, ch, Alert::HandshakeFailure);
        assert!(why.contains("signature_algorithms_cert"), "{why}");
    }
}

/// test-ffdhe-negotiation "no overlap between groups" (RFC 7919 §4): a client that lists
/// only finite-field groups we do not have (511, unassigned) and no acceptable suite other
/// than DHE is refused with insufficient_security, not handshake_failure; with an RSA key
/// transport suite it gets that suite instead ("fallback to non-ffdhe"); a client listing
/// an EC group we accept is not in that case (handshake_failure). With a group in common
/// DHE is chosen.
#[test]
fn ffdhe_groups_without_overlap() {
    let rsa = server_with(rsa_key(), |_| {});
    let ff511 = groups_ext(&[511]);
    let ch = client_hello(
        0x0303,
        &[0x0002, DHE_RSA_AES128GCM],
        Some(&[ff511.clone(), sigs()]),
    );
    let (why, _) = refusal(&rsa, ch, Alert::InsufficientSecurity);
    assert!(why.contains("RFC 7919"), "{why}");
    let ch = client_hello(
        0x0303,
        &[DHE_RSA_AES128GCM, RSA_AES128GCM],
        Some(&[ff511.clone(), sigs()]),
    );
    rsa_key_transport(&rsa, ch, RSA_AES128GCM);
    let ch = client_hello(
        0x0303,
        &[DHE_RSA_AES128GCM],
        Some(&[groups_ext(&[0x17, 511]), sigs()]),
    );
    refusal(&rsa, ch, Alert::HandshakeFailure);
    let ch = client_hello(
        0x0303,
        &[DHE_RSA_AES128GCM],
        Some(&[groups_ext(&[511, 0x100]), sigs()]),
    );
    let mut s = Connection::server(rsa.clone(), seeded_rng(3));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    let out = parse(&s.take_output());
    assert_eq!(
        server_hello(&out[0]).cipher_suite,
        CipherSuite(DHE_RSA_AES128GCM)
    );
}

/// test-ocsp-stapling (the probes without renegotiation: listen does not renegotiate): a
/// status_request (empty, or with a 626-entry, 16 KB responder_id_list) is answered with status_request and a CertificateStatus after the
/// Certificate when listen has a response to staple (`--ocsp`, RFC 6066 §8); without one
/// the extension is not answered and no CertificateStatus is sent (the script's
/// --no-status), and the handshake completes either way.
#[test]
fn ocsp_status_request() {
    const STATUS_REQUEST: u16 = 5;
    let empty = vec![1, 0, 0, 0, 0];
    let mut ids = vec![];
    for i in 0..626usize {
        let mut id = vec![0xa2, 0x16, 0x04, 0x14];
        id.extend([((i + 2) % 256) as u8; 20]);
        ids.extend(vec16(&id));
    }
    let large = [&[1u8][..], &vec16(&ids), &[0, 0]].concat();
    let e = ECDHE_ECDSA_AES128GCM;
    for body in [empty, large] {
        let ch = client_hello(0x0303, &[e, SCSV], Some(&[(STATUS_REQUEST, body), sigs()]));
        let mut sc = Script::new(ecdsa_server());
        sc.hello_in(&ch, 1 << 14);
        assert!(!sc.sh_exts.contains(&STATUS_REQUEST));
        sc.complete();
        sc.conversation();

        let staple = vec![0x30, 0x03, 0x0a, 0x01, 0x00];
        let cfg = server_with(self_signed("localhost"), |c| c.ocsp = Some(staple.clone()));
        let mut s = Connection::server(cfg, seeded_rng(3));
        let recs: Vec<u8> = ch
            .chunks(1 << 14)
            .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
            .collect();
        s.feed(&recs).unwrap();
        let out = parse(&s.take_output());
        let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
        assert_eq!(types, [Some(2), Some(11), Some(22), Some(12), Some(14)]);
        let sh = server_hello(&out[0]);
        assert!(sh.extensions.iter().any(|x| x.typ.0 == STATUS_REQUEST));
        // CertificateStatus: status_type ocsp(1), then the response as opaque<1..2^24-1>
        let l = (staple.len() as u32).to_be_bytes();
        assert_eq!(
            out[2].frag[4..],
            [&[1u8, l[1], l[2], l[3]][..], &staple].concat()
        );
    }
}

/// test-encrypt-then-mac "Encrypt-then-MAC smoke test" (with -d: ECDHE_RSA with AES-CBC):
/// the server answers encrypt_then_mac for a CBC suite (RFC 7366 §2); for an AEAD suite it
/// must not (RFC 7366 §3), and the handshake completes.
#[test]
fn encrypt_then_mac_only_for_cbc() {
    let rsa = server_with(rsa_key(), |c| {
        if !c.suites.contains(&CipherSuite(0xc013)) {
            c.suites.push(CipherSuite(0xc013));
        }
    });
    let etm = (22u16, vec![]);
    let mut s = Connection::server(rsa.clone(), seeded_rng(3));
    let ch = client_hello(0x0303, &[0xc013, SCSV], Some(&[etm.clone(), sigs()]));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    let sh = server_hello(&parse(&s.take_output())[0]);
    assert_eq!(sh.cipher_suite, CipherSuite(0xc013));
    assert!(sh.extensions.iter().any(|x| x.typ.0 == 22), "ETM for CBC");

    let mut sc = Script::new(rsa);
    sc.hello(&client_hello(
        0x0303,
        &[ECDHE_RSA_AES128GCM, SCSV],
        Some(&[etm, sigs()]),
    ));
    assert!(!sc.sh_exts.contains(&22), "no ETM with an AEAD suite");
    sc.complete();
    sc.conversation();
}
