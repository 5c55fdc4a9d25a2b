//! The TLS 1.0-1.2 legacy suites between our client and our server: every CBC and DHE suite
//! in every version it is defined for, encrypt_then_mac on and off (RFC 7366), version
//! negotiation and the downgrade sentinels (RFC 8446 §4.1.3, RFC 5246 Appendix E.1), and
//! CBC records tampered with (RFC 5246 §6.2.3.2).

use std::collections::BTreeSet;
use std::sync::Arc;

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event, Warning};
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::handshake::suite_params;
use tlsprobe::handshake::Connection;
use tlsprobe::inmem::{Pair, Side};
use tlsprobe::wire::codepoints::{ExtensionType, ProtocolVersion};
use tlsprobe::wire::handshake::HandshakeMessage;
use tlsprobe::wire::suites::{Auth, CipherSuite};

use crate::{alert_sent, all_versions, handshake, rsa_server, server, summary};

/// Runs one handshake for `suite` in `version`, with or without encrypt_then_mac, and sends
/// data both ways (several records, so TLS 1.0's chained IVs are exercised).
fn legacy_round(suite: u16, version: ProtocolVersion, etm: bool) -> Pair {
    let sp = suite_params::params(CipherSuite(suite)).unwrap();
    let mut sc = if sp.auth == Auth::Rsa {
        rsa_server()
    } else {
        server()
    };
    sc.encrypt_then_mac = etm;
    sc.versions = all_versions();
    let cc = ClientConfig {
        versions: vec![version],
        suites: vec![CipherSuite(suite)],
        ..ClientConfig::default()
    };
    let mut p = handshake(cc, Arc::new(sc));
    for i in 0..3 {
        let msg = format!("ping {i} {}", "x".repeat(i * 20));
        if p.client.send_data(msg.as_bytes()).is_ok() {
            p.server.send_data(b"pong").unwrap_or(());
        }
        p.pump();
    }
    p
}

/// The labels of the key events among `ev`.
fn key_labels(ev: &[Event]) -> Vec<String> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Keys(k) => Some(k.label.clone()),
            _ => None,
        })
        .collect()
}

/// The client's ServerHello acknowledged encrypt_then_mac.
fn etm_acknowledged(ev: &[Event]) -> bool {
    ev.iter().any(|e| match e {
        Event::Handshake {
            dir: Dir::In, msg, ..
        } => match &**msg {
            HandshakeMessage::ServerHello(sh) => sh
                .extensions
                .iter()
                .any(|x| x.typ == ExtensionType::ENCRYPT_THEN_MAC),
            _ => false,
        },
        _ => false,
    })
}

fn assert_round(p: &Pair, suite: u16, version: ProtocolVersion, etm: bool) {
    let what = format!("{suite:04x} {version} etm={etm}");
    let sum = summary(&p.client_events);
    assert_eq!(sum.version, Some(version), "{what}: {:#?}", p.client_events);
    assert_eq!(sum.cipher_suite, Some(CipherSuite(suite)), "{what}");
    assert_eq!(
        summary(&p.server_events).cipher_suite,
        Some(CipherSuite(suite))
    );
    // TLS 1.0 CBC data arrives split 1/n-1 (two records per write): compare the stream.
    let stream = |ev: &[Event]| -> String {
        ev.iter()
            .filter_map(|e| match e {
                Event::AppData { dir: Dir::In, data } => Some(String::from_utf8_lossy(data)),
                _ => None,
            })
            .collect()
    };
    let pings: String = (0..3)
        .map(|i| format!("ping {i} {}", "x".repeat(i * 20)))
        .collect();
    assert_eq!(stream(&p.server_events), pings, "{what}");
    assert_eq!(stream(&p.client_events), "pong".repeat(3), "{what}");
    let sp = suite_params::params(CipherSuite(suite)).unwrap();
    // 1/n-1 (RFC 7457 §2.1): each write of TLS 1.0 CBC data is two records, the first of one
    // byte; other versions and ciphers send one.
    let split = version == ProtocolVersion::TLS10 && sp.is_cbc();
    let reads: Vec<usize> = p
        .server_events
        .iter()
        .filter_map(|e| match e {
            Event::AppData { dir: Dir::In, data } => Some(data.len()),
            _ => None,
        })
        .collect();
    assert_eq!(reads.len(), if split { 6 } else { 3 }, "{what}: {reads:?}");
    assert_eq!(reads[0] == 1, split, "{what}: {reads:?}");
    let labels = key_labels(&p.client_events);
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
        assert_eq!(etm_acknowledged(&p.client_events), etm, "{what}");
        let beast = p
            .client_events
            .iter()
            .any(|e| matches!(e, Event::Warning(Warning::Beast { split: true })));
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
                let p = legacy_round(suite, v, etm);
                assert_round(&p, suite, v, etm);
            }
        }
    }
    for &suite in &cbc12 {
        for etm in [true, false] {
            let p = legacy_round(suite, ProtocolVersion::TLS12, etm);
            assert_round(&p, suite, ProtocolVersion::TLS12, etm);
        }
    }
    for &suite in &aead_dhe {
        let p = legacy_round(suite, ProtocolVersion::TLS12, true);
        assert_round(&p, suite, ProtocolVersion::TLS12, false);
    }
}

/// Version negotiation: the highest common version; a ServerHello version we did not enable
/// is protocol_version; DOWNGRD\x00 is refused by a client that offered TLS 1.2.
#[test]
fn legacy_version_negotiation_and_sentinels() {
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
    let p = handshake(cc.clone(), Arc::new(sc));
    assert!(p.client.is_established(), "{:#?}", p.client_events);
    assert_eq!(
        summary(&p.client_events).version,
        Some(ProtocolVersion::TLS11)
    );
    // The default client never offers below TLS 1.2: a TLS 1.0-only server refuses.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS10];
    let p = handshake(ClientConfig::default(), Arc::new(sc));
    assert!(!p.client.is_established());
    assert_eq!(alert_sent(&p.server_events), Some(Alert::ProtocolVersion));
    // A TLS 1.2-only client (no supported_versions) facing a TLS 1.0-only server: the server
    // answers TLS 1.0 (RFC 5246 Appendix E.1), which the client did not enable.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS10];
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let mut p = Pair::seeded(cc, Arc::new(sc), 1).unwrap();
    let hello = p.take(Side::Client);
    let flight = p.deliver(Side::Server, &hello).unwrap();
    assert_eq!(&flight[9..11], &[3, 1]);
    let e = p.deliver(Side::Client, &flight).unwrap_err();
    assert_eq!(e.alert, Alert::ProtocolVersion, "{e}");

    // A server allowing 1.1 and 1.3 facing a 1.1-1.2 client picks 1.1 and sets DOWNGRD\x00;
    // the client offered 1.2 and so refuses.
    let mut sc = rsa_server();
    sc.versions = vec![ProtocolVersion::TLS11, ProtocolVersion::TLS13];
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS11, ProtocolVersion::TLS12],
        ..ClientConfig::default()
    };
    let p = handshake(cc, Arc::new(sc));
    assert!(!p.client.is_established());
    assert_eq!(alert_sent(&p.client_events), Some(Alert::IllegalParameter));
    // A 1.0/1.1-only client does not check it: TLS 1.1 with the sentinel in place.
    let mut sc = rsa_server();
    sc.versions = all_versions();
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS10, ProtocolVersion::TLS11],
        ..ClientConfig::default()
    };
    let p = handshake(cc, Arc::new(sc));
    assert!(p.client.is_established(), "{:#?}", p.client_events);
    let sh_random = p
        .client_events
        .iter()
        .find_map(|e| match e {
            Event::Handshake { msg, .. } => match &**msg {
                HandshakeMessage::ServerHello(sh) => Some(sh.random),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    assert_eq!(&sh_random[24..], b"DOWNGRD\x00");
    // A TLS 1.2-only suite in TLS 1.0 is not offered, so no suite in common.
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
    for (v, etm) in [
        (ProtocolVersion::TLS10, false),
        (ProtocolVersion::TLS11, false),
        (ProtocolVersion::TLS12, true),
    ] {
        let mut messages = BTreeSet::new();
        for pos in [5usize, 12, 20, 36, 47, 52] {
            let mut sc = rsa_server();
            sc.versions = all_versions();
            sc.encrypt_then_mac = etm;
            let cc = ClientConfig {
                versions: vec![v],
                suites: vec![CipherSuite(0x002f)],
                ..ClientConfig::default()
            };
            let mut p = handshake(cc, Arc::new(sc));
            assert!(p.established());
            p.client.send_data(b"0123456789").unwrap();
            let mut rec = p.take(Side::Client);
            if pos >= rec.len() {
                continue;
            }
            rec[pos] ^= 0x01;
            let e = p.server.feed(&rec).unwrap_err();
            assert_eq!(e.alert, Alert::BadRecordMac, "{v} pos {pos}");
            messages.insert(e.message);
        }
        assert_eq!(messages.len(), 1, "{messages:?}");
    }
}

/// The opt-in suites (AES-CCM/CCM-8, CAMELLIA, ARIA: RFC 6655, RFC 7251, RFC 5932, RFC 6367,
/// RFC 6209; TLS 1.3 CCM, RFC 8446 §B.4) between our client and our server, in every version
/// each is defined for, encrypt_then_mac on and off for the CBC ones: data crosses both ways.
#[test]
fn opt_in_suites_every_version_both_etm() {
    let opt_in: Vec<_> = suite_params::IMPLEMENTED
        .iter()
        // The PSK suites need a PSK: tests/hostile/psk.rs runs them.
        .filter(|p| !suite_params::in_default_offer(p) && !p.needs_psk())
        .collect();
    assert!(opt_in.len() >= 50, "{}", opt_in.len());
    for sp in opt_in {
        let suite = sp.suite.0;
        for v in all_versions().into_iter().filter(|v| sp.usable_in(*v)) {
            let etms: &[bool] = if sp.is_cbc() {
                &[true, false]
            } else {
                &[false]
            };
            for &etm in etms {
                let p = legacy_round(suite, v, etm);
                assert_round(&p, suite, v, etm);
            }
        }
    }
}
