//! In-memory client/server handshakes: both state machines driven against each other.

use std::sync::Arc;

use super::config::{CertifiedKey, ClientAuth, ClientConfig, ServerConfig};
use super::Connection;
use crate::crypto::rng::seeded_rng;
use crate::crypto::sign::SigningKey;
use crate::event::{Dir, Event};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::suites::CipherSuite;

pub fn self_signed(name: &str) -> CertifiedKey {
    let ck = rcgen::generate_simple_self_signed(vec![name.to_string()]).unwrap();
    let key = SigningKey::from_pem(&ck.key_pair.serialize_pem()).unwrap();
    CertifiedKey {
        chain: vec![ck.cert.der().to_vec()],
        key: Arc::new(key),
    }
}

pub struct Run {
    pub client: Vec<Event>,
    pub server: Vec<Event>,
}

/// Pumps bytes both ways until neither side has anything to say (bounded).
pub fn pump(c: &mut Connection, s: &mut Connection, run: &mut Run) {
    for _ in 0..50 {
        let a = c.take_output();
        let b = s.take_output();
        if a.is_empty() && b.is_empty() {
            break;
        }
        if !a.is_empty() {
            let _ = s.feed(&a);
        }
        if !b.is_empty() {
            let _ = c.feed(&b);
        }
        while let Some(e) = c.next_event() {
            run.client.push(e);
        }
        while let Some(e) = s.next_event() {
            run.server.push(e);
        }
    }
}

pub fn handshake(cc: ClientConfig, sc: Arc<ServerConfig>) -> (Connection, Connection, Run) {
    let mut c = Connection::client(cc, seeded_rng(1)).unwrap();
    let mut s = Connection::server(sc, seeded_rng(2));
    let mut run = Run {
        client: vec![],
        server: vec![],
    };
    pump(&mut c, &mut s, &mut run);
    (c, s, run)
}

fn summary(ev: &[Event]) -> crate::event::Summary {
    ev.iter()
        .rev()
        .find_map(|e| match e {
            Event::Summary(s) => Some((**s).clone()),
            _ => None,
        })
        .expect("a summary")
}

fn names(ev: &[Event], dir: Dir) -> Vec<String> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Handshake { dir: d, msg, .. } if *d == dir => Some(msg.name()),
            _ => None,
        })
        .collect()
}

fn server(key_name: &str) -> ServerConfig {
    let _ = key_name;
    ServerConfig::new(self_signed("localhost"))
}

#[test]
fn tls13_full_handshake_and_data() {
    let sc = Arc::new(server("p256"));
    let (mut c, mut s, mut run) = handshake(ClientConfig::default(), sc);
    assert!(c.is_established(), "client events: {:#?}", run.client);
    assert!(s.is_established());
    let sum = summary(&run.client);
    assert_eq!(sum.version, Some(ProtocolVersion::TLS13));
    assert_eq!(sum.cipher_suite, Some(CipherSuite(0x1301)));
    assert_eq!(sum.group, Some(NamedGroup::X25519));
    assert_eq!(
        names(&run.client, Dir::In),
        vec![
            "server_hello",
            "encrypted_extensions",
            "certificate",
            "certificate_verify",
            "finished",
            "new_session_ticket",
            "new_session_ticket"
        ]
    );
    c.send_data(b"hello").unwrap();
    pump(&mut c, &mut s, &mut run);
    assert!(run
        .server
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"hello")));
    // tickets arrived
    assert!(c.session().is_some());
    // key update both ways
    c.key_update(true).unwrap();
    pump(&mut c, &mut s, &mut run);
    s.send_data(b"after").unwrap();
    pump(&mut c, &mut s, &mut run);
    assert!(run
        .client
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"after")));
    c.close();
    pump(&mut c, &mut s, &mut run);
    assert!(s.peer_closed());
}

/// The server's own KeyUpdate (RFC 8446 §4.6.3): refused before the handshake and on a
/// TLS 1.2 connection; after a TLS 1.3 handshake the client answers update_requested with
/// its KeyUpdate and reads data under the server's new keys.
#[test]
fn server_key_update_only_after_a_tls13_handshake() {
    let sc = Arc::new(server("p256"));
    let mut fresh = Connection::server(sc.clone(), seeded_rng(3));
    assert!(fresh.key_update(false).is_err());
    let cc12 = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let (_c12, mut s12, _) = handshake(cc12, sc.clone());
    assert!(s12.is_established());
    assert!(s12.key_update(false).is_err());
    let (mut c, mut s, mut run) = handshake(ClientConfig::default(), sc);
    assert!(s.is_established());
    s.key_update(true).unwrap();
    s.send_data(b"after").unwrap();
    pump(&mut c, &mut s, &mut run);
    assert_eq!(names(&run.client, Dir::In).last().unwrap(), "key_update");
    assert_eq!(names(&run.server, Dir::In).last().unwrap(), "key_update");
    assert!(run
        .client
        .iter()
        .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"after")));
    assert!(!c.is_failed() && !s.is_failed());
}

#[test]
fn tls13_resumption_with_ticket() {
    let sc = Arc::new(server("p256"));
    let (c, _s, _run) = handshake(ClientConfig::default(), sc.clone());
    let sess = c.session().expect("ticket");
    let cc = ClientConfig {
        resume: Some(sess),
        ..ClientConfig::default()
    };
    let (c2, s2, run) = handshake(cc, sc);
    assert!(
        c2.is_established() && s2.is_established(),
        "{:#?}",
        run.client
    );
    assert!(summary(&run.client).resumed);
    assert!(summary(&run.server).resumed);
    assert!(!names(&run.client, Dir::In).contains(&"certificate".to_string()));
}

#[test]
fn tls13_hello_retry_request() {
    let mut scfg = server("p256");
    scfg.groups = vec![NamedGroup::SECP384R1];
    let (c, s, run) = handshake(ClientConfig::default(), Arc::new(scfg));
    assert!(
        c.is_established() && s.is_established(),
        "{:#?}",
        run.client
    );
    assert_eq!(names(&run.client, Dir::In)[0], "hello_retry_request");
    assert_eq!(summary(&run.client).group, Some(NamedGroup::SECP384R1));
}

#[test]
fn tls12_every_suite_and_group() {
    for suite in [0xc02b, 0xc02c, 0xcca9] {
        for group in [
            NamedGroup::X25519,
            NamedGroup::SECP256R1,
            NamedGroup::SECP384R1,
        ] {
            // The P-256 certificate's curve must be offered too (RFC 8422 §5.1); the server
            // is limited to the group under test so that it is the one chosen.
            let mut groups = vec![group];
            if group != NamedGroup::SECP256R1 {
                groups.push(NamedGroup::SECP256R1);
            }
            let cc = ClientConfig {
                versions: vec![ProtocolVersion::TLS12],
                suites: vec![CipherSuite(suite)],
                groups,
                ..ClientConfig::default()
            };
            let mut scfg = server("p256");
            scfg.groups = vec![group];
            let (mut c, mut s, mut run) = handshake(cc, Arc::new(scfg));
            assert!(
                c.is_established() && s.is_established(),
                "{suite:x} {group}: {:#?}",
                run.client
            );
            let sum = summary(&run.client);
            assert_eq!(sum.version, Some(ProtocolVersion::TLS12));
            assert_eq!(sum.cipher_suite, Some(CipherSuite(suite)));
            assert_eq!(sum.group, Some(group));
            assert_eq!(sum.extended_master_secret, Some(true));
            c.send_data(b"ping").unwrap();
            pump(&mut c, &mut s, &mut run);
            assert!(run
                .server
                .iter()
                .any(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"ping")));
        }
    }
}

#[test]
fn tls12_resumption_by_ticket_and_by_session_id() {
    let sc = Arc::new(server("p256"));
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let (c, _s, _run) = handshake(cc.clone(), sc.clone());
    let sess = c.session().unwrap();
    assert!(sess.ticket.is_some());
    let (c2, _s2, run) = handshake(
        ClientConfig {
            resume: Some(sess.clone()),
            ..cc.clone()
        },
        sc.clone(),
    );
    assert!(c2.is_established(), "{:#?}", run.client);
    assert!(summary(&run.client).resumed);
    // without the ticket: the session id cache
    let mut by_id = sess;
    by_id.ticket = None;
    let (c3, _s3, run) = handshake(
        ClientConfig {
            resume: Some(by_id),
            ..cc
        },
        sc,
    );
    assert!(c3.is_established(), "{:#?}", run.client);
    assert!(summary(&run.client).resumed);
}

#[test]
fn client_certificate_both_versions() {
    for v in [ProtocolVersion::TLS12, ProtocolVersion::TLS13] {
        let mut scfg = server("p256");
        scfg.client_auth = ClientAuth::Require;
        let sc = Arc::new(scfg);
        let cc = ClientConfig {
            versions: vec![v],
            client_cert: Some(self_signed("client")),
            ..ClientConfig::default()
        };
        let (c, s, run) = handshake(cc.clone(), sc.clone());
        assert!(
            c.is_established() && s.is_established(),
            "{v}: {:#?}",
            run.server
        );
        assert!(summary(&run.server).client_certificate.is_some());
        // without a certificate the server refuses
        let (_c, s, run) = handshake(
            ClientConfig {
                client_cert: None,
                ..cc
            },
            sc,
        );
        assert!(!s.is_established());
        let want = if v == ProtocolVersion::TLS13 {
            crate::error::Alert::CertificateRequired
        } else {
            crate::error::Alert::HandshakeFailure
        };
        assert!(run.server.iter().any(|e| matches!(e, Event::Alert { dir: Dir::Out, description, .. } if *description == want)), "{:#?}", run.server);
    }
}

// ---------------------------------------------------------------- TLS 1.0-1.2 legacy suites

/// An RSA 2048 server (for the RSA and DHE_RSA suites); the test key from `crypto::sign`.
fn rsa_server() -> ServerConfig {
    let key = SigningKey::from_pem(include_str!("../crypto/testdata/rsa.pem")).unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let kp = rcgen::KeyPair::from_pem(include_str!("../crypto/testdata/rsa.pem")).unwrap();
    let cert = params.self_signed(&kp).unwrap();
    ServerConfig::new(CertifiedKey {
        chain: vec![cert.der().to_vec()],
        key: Arc::new(key),
    })
}

/// Runs one handshake for `suite` in `version`, with or without encrypt_then_mac, and sends
/// data both ways (several records, so TLS 1.0's chained IVs are exercised).
fn legacy_round(suite: u16, version: ProtocolVersion, etm: bool) -> Run {
    let sp = super::suite_params::params(CipherSuite(suite)).unwrap();
    let mut sc = if sp.auth == crate::wire::suites::Auth::Rsa {
        rsa_server()
    } else {
        server("p256")
    };
    sc.encrypt_then_mac = etm;
    sc.versions = vec![
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS12,
        ProtocolVersion::TLS13,
    ];
    let cc = ClientConfig {
        versions: vec![version],
        suites: vec![CipherSuite(suite)],
        ..ClientConfig::default()
    };
    let mut c = Connection::client(cc, seeded_rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(sc), seeded_rng(2));
    let mut run = Run {
        client: vec![],
        server: vec![],
    };
    pump(&mut c, &mut s, &mut run);
    for i in 0..3 {
        let msg = format!("ping {i} {}", "x".repeat(i * 20));
        if c.send_data(msg.as_bytes()).is_ok() {
            s.send_data(b"pong").unwrap_or(());
        }
        pump(&mut c, &mut s, &mut run);
    }
    run
}

fn assert_round(run: &Run, suite: u16, version: ProtocolVersion, etm: bool) {
    let what = format!("{suite:04x} {version} etm={etm}");
    let sum = summary(&run.client);
    assert_eq!(sum.version, Some(version), "{what}: {:#?}", run.client);
    assert_eq!(sum.cipher_suite, Some(CipherSuite(suite)), "{what}");
    assert_eq!(summary(&run.server).cipher_suite, Some(CipherSuite(suite)));
    for i in 0..3 {
        let msg = format!("ping {i} {}", "x".repeat(i * 20));
        assert!(
            run.server.iter().any(
                |e| matches!(e, Event::AppData { dir: Dir::In, data } if *data == msg.as_bytes())
            ),
            "{what}: {:#?}",
            run.server
        );
    }
    let pongs = run
        .client
        .iter()
        .filter(|e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"pong"))
        .count();
    assert_eq!(pongs, 3, "{what}");
    let sp = super::suite_params::params(CipherSuite(suite)).unwrap();
    let labels: Vec<String> = run
        .client
        .iter()
        .filter_map(|e| match e {
            Event::Keys(k) => Some(k.label.clone()),
            _ => None,
        })
        .collect();
    if sp.is_cbc() {
        assert!(
            labels.contains(&"client_write_MAC_key".to_string()),
            "{what}"
        );
        assert!(
            labels.contains(&"server_write_MAC_key".to_string()),
            "{what}"
        );
        let iv = labels.contains(&"client_write_IV".to_string());
        assert_eq!(iv, version == ProtocolVersion::TLS10, "{what}");
        // encrypt_then_mac acknowledged exactly when the server honours it.
        let acked = run.client.iter().any(|e| match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => match &**msg {
                crate::wire::handshake::HandshakeMessage::ServerHello(sh) => sh
                    .extensions
                    .iter()
                    .any(|x| x.typ == crate::wire::codepoints::ExtensionType::ENCRYPT_THEN_MAC),
                _ => false,
            },
            _ => false,
        });
        assert_eq!(acked, etm, "{what}");
        let beast = run
            .client
            .iter()
            .any(|e| matches!(e, Event::Warning(w) if w.contains("BEAST")));
        assert_eq!(beast, version == ProtocolVersion::TLS10, "{what}");
    } else {
        assert!(!labels.contains(&"client_write_MAC_key".to_string()));
    }
}

/// Every new suite family in every version it is defined for, both roles (our client against
/// our server), encrypt_then_mac on and off for the CBC suites.
#[test]
fn legacy_suites_every_version_both_etm() {
    let cbc_any = [
        0xc009u16, 0xc00a, 0xc013, 0xc014, 0x0033, 0x0039, 0x002f, 0x0035,
    ];
    let cbc12 = [
        0xc023u16, 0xc027, 0xc024, 0xc028, 0x0067, 0x006b, 0x003c, 0x003d,
    ];
    let aead_dhe = [0x009eu16, 0x009f, 0xccaa];
    for v in [
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS12,
    ] {
        for &suite in &cbc_any {
            for etm in [true, false] {
                let run = legacy_round(suite, v, etm);
                assert_round(&run, suite, v, etm);
            }
        }
    }
    for &suite in &cbc12 {
        for etm in [true, false] {
            let run = legacy_round(suite, ProtocolVersion::TLS12, etm);
            assert_round(&run, suite, ProtocolVersion::TLS12, etm);
        }
    }
    for &suite in &aead_dhe {
        let run = legacy_round(suite, ProtocolVersion::TLS12, true);
        assert_round(&run, suite, ProtocolVersion::TLS12, false);
    }
}

fn all_versions() -> Vec<ProtocolVersion> {
    vec![
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS12,
        ProtocolVersion::TLS13,
    ]
}

fn alert_sent(ev: &[Event]) -> Option<crate::error::Alert> {
    ev.iter().find_map(|e| match e {
        Event::Alert {
            dir: Dir::Out,
            description,
            ..
        } => Some(*description),
        _ => None,
    })
}

/// Version negotiation: the highest common version; a ServerHello version we did not enable
/// is protocol_version; DOWNGRD\x00 is refused by a client that offered TLS 1.2.
#[test]
fn legacy_version_negotiation_and_sentinels() {
    use crate::error::Alert;
    // Client 1.0-1.2, server 1.0-1.1: TLS 1.1.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS10, ProtocolVersion::TLS11];
    let cc = ClientConfig {
        versions: vec![
            ProtocolVersion::TLS10,
            ProtocolVersion::TLS11,
            ProtocolVersion::TLS12,
        ],
        ..ClientConfig::default()
    };
    let (c, _, run) = handshake(cc.clone(), Arc::new(sc));
    assert!(c.is_established(), "{:#?}", run.client);
    assert_eq!(summary(&run.client).version, Some(ProtocolVersion::TLS11));
    // The default client never offers below TLS 1.2: a TLS 1.0-only server refuses.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS10];
    let (c, _, run) = handshake(ClientConfig::default(), Arc::new(sc));
    assert!(!c.is_established());
    assert_eq!(alert_sent(&run.server), Some(Alert::ProtocolVersion));
    // A TLS 1.2-only client (no supported_versions) facing a TLS 1.0-only server: the server
    // answers TLS 1.0 (RFC 5246 Appendix E.1), which the client did not enable.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS10];
    let mut c = Connection::client(
        ClientConfig {
            versions: vec![ProtocolVersion::TLS12],
            ..ClientConfig::default()
        },
        seeded_rng(1),
    )
    .unwrap();
    let mut s = Connection::server(Arc::new(sc), seeded_rng(2));
    s.feed(&c.take_output()).unwrap();
    let flight = s.take_output();
    assert_eq!(&flight[9..11], &[3, 1]);
    let e = c.feed(&flight).unwrap_err();
    assert_eq!(e.alert, Alert::ProtocolVersion, "{e}");

    // A server allowing 1.1 and 1.3 facing a 1.1-1.2 client picks 1.1 and sets DOWNGRD\x00;
    // the client offered 1.2 and so refuses.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS11, ProtocolVersion::TLS13];
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS11, ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let (c, _, run) = handshake(cc, Arc::new(sc));
    assert!(!c.is_established());
    assert_eq!(alert_sent(&run.client), Some(Alert::IllegalParameter));
    // A 1.0/1.1-only client does not check it: TLS 1.1 with the sentinel in place.
    let mut sc = rsa_server();
    sc.versions = all_versions();
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS10, ProtocolVersion::TLS11],
        ..ClientConfig::default()
    };
    let (c, _, run) = handshake(cc, Arc::new(sc));
    assert!(c.is_established(), "{:#?}", run.client);
    let sh_random = run
        .client
        .iter()
        .find_map(|e| match e {
            Event::Handshake { msg, .. } => match &**msg {
                crate::wire::handshake::HandshakeMessage::ServerHello(sh) => Some(sh.random),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    assert_eq!(&sh_random[24..], b"DOWNGRD\x00");
    // A TLS 1.2-only suite in TLS 1.0 is not offered, so no suite in common.
    let mut sc = rsa_server();
    sc.versions = all_versions();
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS10],
        suites: vec![CipherSuite(0x009c)],
        ..ClientConfig::default()
    };
    assert!(Connection::client(cc, seeded_rng(1)).is_err());
}

/// Flipping any byte of a protected CBC record gives bad_record_mac at the receiver, whatever
/// the byte (IV, data, MAC or padding) and whether encrypt_then_mac is on.
#[test]
fn cbc_tampering_is_bad_record_mac() {
    use crate::error::Alert;
    for (v, etm) in [
        (ProtocolVersion::TLS10, false),
        (ProtocolVersion::TLS11, false),
        (ProtocolVersion::TLS12, true),
    ] {
        let mut messages = std::collections::BTreeSet::new();
        for pos in [5usize, 12, 20, 36, 47, 52] {
            let mut sc = rsa_server();
            sc.versions = all_versions();
            sc.encrypt_then_mac = etm;
            let cc = ClientConfig {
                versions: vec![v],
                suites: vec![CipherSuite(0x002f)],
                ..ClientConfig::default()
            };
            let (mut c, mut s, _) = handshake(cc, Arc::new(sc));
            assert!(c.is_established() && s.is_established());
            c.send_data(b"0123456789").unwrap();
            let mut rec = c.take_output();
            if pos >= rec.len() {
                continue;
            }
            rec[pos] ^= 0x01;
            let e = s.feed(&rec).unwrap_err();
            assert_eq!(e.alert, Alert::BadRecordMac, "{v} pos {pos}");
            messages.insert(e.message);
        }
        assert_eq!(messages.len(), 1, "{messages:?}");
    }
}

/// The client's checks of the server's DHE parameters, on a real server flight whose
/// ServerKeyExchange is replaced by one with the given values, signed with the server's key.
fn dhe_client_facing(
    p: &[u8],
    g: &[u8],
    ys: &[u8],
    allow_weak: bool,
) -> (Result<(), crate::error::TlsError>, Vec<Event>) {
    use crate::wire::codepoints::SignatureScheme;
    use crate::wire::handshake::{HandshakeMessage as HM, ServerKeyExchange};
    let sc = rsa_server();
    let key = sc.cert.key.clone();
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x009e)],
        allow_weak_dh: allow_weak,
        ..ClientConfig::default()
    };
    let mut c = Connection::client(cc, seeded_rng(1)).unwrap();
    let mut s = Connection::server(Arc::new(sc), seeded_rng(2));
    s.feed(&c.take_output()).unwrap();
    let flight = s.take_output();
    let mut recs = vec![];
    let mut i = 0;
    while i + 5 <= flight.len() {
        let len = u16::from_be_bytes([flight[i + 3], flight[i + 4]]) as usize;
        recs.push(flight[i..i + 5 + len].to_vec());
        i += 5 + len;
    }
    let mut server_random = [0u8; 32];
    server_random.copy_from_slice(&recs[0][11..43]);
    let mut w = crate::wire::codec::Writer::new();
    w.vec16(p).vec16(g).vec16(ys);
    let params = w.into_bytes();
    let mut signed = c.common.client_random.to_vec();
    signed.extend_from_slice(&server_random);
    signed.extend_from_slice(&params);
    let scheme = SignatureScheme::RSA_PSS_RSAE_SHA256;
    let signature = key.sign(scheme, &signed, &mut seeded_rng(3)).unwrap();
    let skx = HM::ServerKeyExchange(ServerKeyExchange::Dhe {
        p: p.to_vec(),
        g: g.to_vec(),
        ys: ys.to_vec(),
        params,
        scheme: Some(scheme),
        signature,
    })
    .encode();
    let mut out = vec![];
    for r in recs {
        if r[5] == 12 {
            out.extend_from_slice(&[22, 3, 3]);
            out.extend_from_slice(&(skx.len() as u16).to_be_bytes());
            out.extend_from_slice(&skx);
        } else {
            out.extend_from_slice(&r);
        }
    }
    let res = c.feed(&out);
    let mut ev = vec![];
    while let Some(e) = c.next_event() {
        ev.push(e);
    }
    (res, ev)
}

#[test]
fn dhe_parameter_checks_on_the_wire() {
    use crate::crypto::dh::{group_bytes, DhKey};
    use crate::crypto::dh_groups::KNOWN;
    use crate::error::Alert;
    let by_name = |n: &str| KNOWN.iter().find(|k| k.name == n).unwrap();
    let (p, g) = group_bytes(by_name("ffdhe2048"));
    let y = DhKey::generate(&p, &g, &mut seeded_rng(9))
        .unwrap()
        .public_key();
    // Control: genuine values pass the checks (the handshake then goes on).
    let (r, ev) = dhe_client_facing(&p, &g, &y, false);
    r.unwrap();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Handshake { checks, .. }
        if checks.iter().any(|c| c.ok && c.detail.contains("RFC 7919 ffdhe2048")))));
    // Ys = 1 and Ys = p - 1: illegal_parameter.
    let mut pm1 = p.clone();
    *pm1.last_mut().unwrap() -= 1;
    for bad in [vec![1u8], pm1] {
        let (r, _) = dhe_client_facing(&p, &g, &bad, false);
        assert_eq!(r.unwrap_err().alert, Alert::IllegalParameter);
    }
    // A tiny prime: insufficient_security, even with -k.
    for weak in [false, true] {
        let (r, _) = dhe_client_facing(&[0x17], &[5], &[7], weak);
        assert_eq!(r.unwrap_err().alert, Alert::InsufficientSecurity);
    }
    // 768 bits: refused without -k, accepted and flagged with it.
    let (p768, g768) = group_bytes(by_name("rfc2409_group1"));
    let y768 = DhKey::generate(&p768, &g768, &mut seeded_rng(9))
        .unwrap()
        .public_key();
    let (r, _) = dhe_client_facing(&p768, &g768, &y768, false);
    assert_eq!(r.unwrap_err().alert, Alert::InsufficientSecurity);
    let (r, ev) = dhe_client_facing(&p768, &g768, &y768, true);
    r.unwrap();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Warning(w) if w.contains("768-bit"))));
    // 1024 bits: flagged weak (a failed check and a warning), not refused.
    let (p1024, g1024) = group_bytes(by_name("rfc2409_group2"));
    let y1024 = DhKey::generate(&p1024, &g1024, &mut seeded_rng(9))
        .unwrap()
        .public_key();
    let (r, ev) = dhe_client_facing(&p1024, &g1024, &y1024, false);
    r.unwrap();
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Warning(w) if w.contains("1024-bit"))));
    assert!(ev
        .iter()
        .any(|e| matches!(e, Event::Handshake { checks, .. }
        if checks.iter().any(|c| !c.ok && c.detail.contains("1024-bit prime")))));
}

/// listen offers ffdhe3072 when configured and the client lists it (RFC 7919 §4).
#[test]
fn dhe_server_group_choice() {
    let mut sc = rsa_server();
    sc.dhe_groups = vec![NamedGroup::FFDHE3072, NamedGroup::FFDHE2048];
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        suites: vec![CipherSuite(0x0033)],
        ..ClientConfig::default()
    };
    let (c, _, run) = handshake(cc, Arc::new(sc));
    assert!(c.is_established(), "{:#?}", run.client);
    assert!(run
        .client
        .iter()
        .any(|e| matches!(e, Event::Handshake { checks, .. }
        if checks.iter().any(|c| c.detail.contains("3072-bit prime")))));
}

// ---------------------------------------------------------------- several certificates

/// The Certificate message the client received (the leaf's DER).
fn leaf_received(ev: &[Event]) -> Vec<u8> {
    ev.iter()
        .find_map(|e| match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => match &**msg {
                crate::wire::handshake::HandshakeMessage::Certificate(c) => {
                    Some(c.entries[0].der.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .expect("a Certificate")
}

/// (version, the one client suite or the defaults, client sigalgs, expected certificate,
/// expected signature scheme)
type Case<'a> = (
    ProtocolVersion,
    Option<u16>,
    Vec<crate::wire::codepoints::SignatureScheme>,
    &'a CertifiedKey,
    Option<crate::wire::codepoints::SignatureScheme>,
);

#[test]
fn second_certificate_serves_clients_the_first_does_not_suit() {
    use crate::wire::codepoints::SignatureScheme as S;
    let ecdsa = self_signed("localhost");
    let rsa = rsa_server().cert;
    let mut sc = ServerConfig::new(ecdsa.clone());
    sc.alt_certs = vec![rsa.clone()];
    let sc = Arc::new(sc);
    let rsa_pss = vec![S::RSA_PSS_RSAE_SHA256];
    let ecdsa_only = vec![S::ECDSA_SECP256R1_SHA256];
    let cases: Vec<Case> = vec![
        (
            ProtocolVersion::TLS13,
            None,
            rsa_pss.clone(),
            &rsa,
            Some(S::RSA_PSS_RSAE_SHA256),
        ),
        (
            ProtocolVersion::TLS13,
            None,
            ecdsa_only.clone(),
            &ecdsa,
            Some(S::ECDSA_SECP256R1_SHA256),
        ),
        // Both acceptable: the first (preferred) certificate.
        (
            ProtocolVersion::TLS13,
            None,
            super::config::default_sigalgs(),
            &ecdsa,
            Some(S::ECDSA_SECP256R1_SHA256),
        ),
        (
            ProtocolVersion::TLS12,
            None,
            rsa_pss.clone(),
            &rsa,
            Some(S::RSA_PSS_RSAE_SHA256),
        ),
        (
            ProtocolVersion::TLS12,
            Some(0xc02f),
            super::config::default_sigalgs(),
            &rsa,
            Some(S::RSA_PSS_RSAE_SHA256),
        ),
        (
            ProtocolVersion::TLS12,
            None,
            ecdsa_only,
            &ecdsa,
            Some(S::ECDSA_SECP256R1_SHA256),
        ),
        // RSA key transport only: the RSA certificate decrypts the pre-master secret.
        (ProtocolVersion::TLS12, Some(0x009c), rsa_pss, &rsa, None),
    ];
    for (version, suite, sigalgs, want, scheme) in cases {
        let mut cc = ClientConfig {
            versions: vec![version],
            sigalgs: sigalgs.clone(),
            ..ClientConfig::default()
        };
        if let Some(s) = suite {
            cc.suites = vec![CipherSuite(s)];
        }
        let what = format!("{version} suite {suite:?} sigalgs {sigalgs:?}");
        let (c, s, run) = handshake(cc, sc.clone());
        assert!(
            c.is_established() && s.is_established(),
            "{what}: {:#?}",
            run.client
        );
        assert_eq!(leaf_received(&run.client), want.chain[0], "{what}");
        assert_eq!(summary(&run.client).signature_scheme, scheme, "{what}");
    }
}
