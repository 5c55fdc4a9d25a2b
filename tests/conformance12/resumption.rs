//! Session resumption (RFC 5246 §7.4.1.2, RFC 5077): with and without extended master
//! secret, without the session's suite, and tied to the server name.

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::handshake::Connection;

use crate::common::scripted::parse;
use crate::common::scripted::{server_hello, Rec, CCS, HS};
use crate::hello::*;
use crate::script::*;

/// test-extended-master-secret-extension, resumption cases (RFC 7627 §5.3): an EMS session
/// is resumed by a hello with EMS (abbreviated handshake, EMS echoed); a hello without EMS
/// trying to resume it is handshake_failure; a non-EMS session asked for with EMS gets a
/// full handshake (with EMS) instead of resumption.
#[test]
fn extended_master_secret_and_resumption() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let first = |ems: bool| {
        let mut exts = vec![(RENEGO, vec![0]), sigs()];
        if ems {
            exts.push((EMS, vec![]));
        }
        let mut sc = Script::new(cfg.clone());
        let recs = sc.hello(&client_hello(0x0303, &[e], Some(&exts)));
        sc.complete();
        let sh = &recs[0].frag[4..];
        let sid = sh[35..35 + sh[34] as usize].to_vec();
        assert!(!sid.is_empty(), "a session id to resume");
        sid
    };
    let ems_ch = client_hello(
        0x0303,
        &[e],
        Some(&[(RENEGO, vec![0]), (EMS, vec![]), sigs()]),
    );
    let plain_ch = client_hello(0x0303, &[e], Some(&[(RENEGO, vec![0]), sigs()]));

    // EMS session, EMS hello: resumed
    let sid = first(true);
    let mut s = Connection::server(cfg.clone(), seeded_rng(4));
    s.feed(&Rec::new(HS, with_session_id(&ems_ch, &sid)).bytes())
        .unwrap();
    let out = parse(&s.take_output());
    assert_eq!(
        out.iter().map(|r| r.ct).collect::<Vec<_>>(),
        vec![HS, CCS, HS],
        "abbreviated handshake"
    );
    let sh = server_hello(&out[0]);
    assert_eq!(sh.session_id, sid);
    assert!(sh.extensions.iter().any(|x| x.typ.0 == EMS));

    // EMS session, hello without EMS: refused
    let sid = first(true);
    hello_refused(
        &cfg,
        with_session_id(&plain_ch, &sid),
        Alert::HandshakeFailure,
    );

    // non-EMS session, EMS hello: a full handshake with EMS
    let sid = first(false);
    let mut sc = Script::new(cfg.clone());
    sc.hello(&with_session_id(&ems_ch, &sid));
    assert!(sc.ems);
    sc.complete();
    sc.conversation();
}

/// test-resumption-with-wrong-ciphers (ECDHE-AEAD suites here, TLS_RSA_* in the script):
/// a session-id resumption offering the session's suite is resumed (ServerHello with the
/// same id, then CCS), but one that leaves the session's suite out — offering the other
/// suite of the first hello, or only TLS_RSA_WITH_NULL_SHA — is illegal_parameter
/// (RFC 5246 §7.4.1.2: the client MUST include it; CVE-2010-4180), not a full handshake.
/// An unknown session id with any suite still gets a full handshake.
#[test]
fn resumption_without_the_session_suite_is_illegal_parameter() {
    let cfg = ecdsa_server();
    let both = [ECDHE_ECDSA_AES256GCM, ECDHE_ECDSA_AES128GCM];
    let renego = [(RENEGO, vec![0]), sigs()];
    let mut sc = Script::new(cfg.clone());
    let recs = sc.hello(&client_hello(0x0303, &both, Some(&renego)));
    sc.complete();
    let sh = &recs[0].frag[4..];
    let sid = sh[35..35 + sh[34] as usize].to_vec();
    assert!(!sid.is_empty(), "a session id to resume");
    let chosen = sc.suite();
    let other = both.into_iter().find(|s| *s != chosen).unwrap();

    for suites in [&both[..], &[chosen]] {
        let ch = client_hello(0x0303, suites, Some(&renego));
        let mut s = Connection::server(cfg.clone(), seeded_rng(4));
        s.feed(&Rec::new(HS, with_session_id(&ch, &sid)).bytes())
            .unwrap();
        let out = parse(&s.take_output());
        let sh = &out[0].frag[4..];
        assert_eq!(&sh[35..35 + sh[34] as usize], &sid[..], "resumed");
        assert_eq!(out[1].ct, CCS, "abbreviated handshake");
    }
    for suites in [&[other][..], &[0x0002]] {
        let ch = client_hello(0x0303, suites, Some(&renego));
        hello_refused(&cfg, with_session_id(&ch, &sid), Alert::IllegalParameter);
    }
    let ch = client_hello(0x0303, &[other], Some(&renego));
    let mut sc = Script::new(cfg);
    sc.hello(&with_session_id(&ch, &[7; 32]));
    sc.complete();
}

/// test-invalid-server-name-extension-resumption: a session made with server name
/// "localhost" is resumed (by session id, or by ticket) under the same name in any case,
/// but under "www.localhost" or with no name a full handshake follows (RFC 6066 §3: "MUST
/// NOT accept the request to resume the session if the server_name extension contains a
/// different name"), and a malformed name ("localhost\0") is illegal_parameter.
#[test]
fn resumption_is_tied_to_the_server_name() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let hello = |name: Option<&[u8]>, ticket: Option<&[u8]>| {
        let mut exts = vec![(RENEGO, vec![0]), sigs()];
        if let Some(n) = name {
            exts.push(sni_ext(&[(0, n)]));
        }
        if let Some(t) = ticket {
            exts.push((SESSION_TICKET, t.to_vec()));
        }
        client_hello(0x0303, &[e], Some(&exts))
    };
    let mut sc = Script::new(cfg.clone());
    let recs = sc.hello(&hello(Some(b"localhost"), Some(&[])));
    sc.complete();
    let sh = &recs[0].frag[4..];
    let sid = sh[35..35 + sh[34] as usize].to_vec();
    assert!(!sid.is_empty(), "a session id to resume");
    let ticket = sc.ticket.clone().expect("a ticket");

    // (session id, ticket) ways of asking for the session
    let asks: [(&[u8], Option<&[u8]>); 2] = [(&sid, None), (&[0x11; 32], Some(&ticket))];
    for (id, t) in asks {
        for (name, resumed) in [
            (Some(&b"localhost"[..]), true),
            (Some(b"LocalHost"), true),
            (Some(b"www.localhost"), false),
            (None, false),
        ] {
            let ch = with_session_id(&hello(name, t), id);
            let mut s = Connection::server(cfg.clone(), seeded_rng(4));
            s.feed(&Rec::new(HS, ch.clone()).bytes()).unwrap();
            let out = parse(&s.take_output());
            let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
            if resumed {
                assert_eq!(
                    types[1],
                    None,
                    "CCS: resumed ({name:?}, ticket: {})",
                    t.is_some()
                );
            } else {
                assert_eq!(types[1], Some(11), "Certificate: full ({name:?})");
                let mut sc = Script::new(cfg.clone());
                sc.hello(&ch);
                sc.complete();
            }
        }
        let ch = with_session_id(&hello(Some(b"localhost\0"), t), id);
        hello_refused(&cfg, ch, Alert::IllegalParameter);
    }
}

/// RFC 9155 §2 asks for signature_algorithms "except when digital signatures are not used":
/// an abbreviated handshake signs nothing, so a hello without the extension resumes an
/// ECDHE session (by session id or by ticket), while the same hello for a full handshake is
/// handshake_failure (test-sig-algs-renegotiation-resumption resumes without it too).
#[test]
fn resumption_needs_no_signature_algorithms() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let mut sc = Script::new(cfg.clone());
    let recs = sc.hello(&client_hello(
        0x0303,
        &[e],
        Some(&[(RENEGO, vec![0]), (SESSION_TICKET, vec![]), sigs()]),
    ));
    sc.complete();
    let sh = &recs[0].frag[4..];
    let sid = sh[35..35 + sh[34] as usize].to_vec();
    let ticket = sc.ticket.clone().expect("a ticket");
    let bare = client_hello(0x0303, &[e], Some(&[(RENEGO, vec![0])]));
    let by_ticket = client_hello(
        0x0303,
        &[e],
        Some(&[(RENEGO, vec![0]), (SESSION_TICKET, ticket)]),
    );
    for ch in [
        with_session_id(&bare, &sid),
        with_session_id(&by_ticket, &[0x11; 32]),
    ] {
        let mut s = Connection::server(cfg.clone(), seeded_rng(4));
        s.feed(&Rec::new(HS, ch).bytes()).unwrap();
        let out = parse(&s.take_output());
        assert_eq!(
            out.iter().map(|r| r.ct).collect::<Vec<_>>(),
            vec![HS, CCS, HS],
            "abbreviated handshake"
        );
    }
    hello_refused(
        &cfg,
        with_session_id(&bare, &[0x22; 32]),
        Alert::HandshakeFailure,
    );
}
