//! `tlsprobe listen` over loopback, the way tlsfuzzer's TLS 1.3 scripts see it: what the
//! in-memory conformance tests (`tests/conformance13/`) cannot show — the
//! whole conversation on a real socket (the request, the NewSessionTickets, the page, the
//! close_notify exchange) and that after a fatal alert the server closes the TCP connection
//! (tlsfuzzer's `ExpectAlert` then `ExpectClose`), or closes without an alert of its own
//! when the client aborted. The client is tlsprobe's own state machine with its records
//! tampered with by hand where a script tampers. Every read is bounded by a timeout and every
//! server is killed when its test ends.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use tlsprobe::crypto::aead::RecordCipher;
use tlsprobe::crypto::rng::system_rng;
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::{ClientConfig, Connection};
use tlsprobe::wire::codepoints::ProtocolVersion;
use tlsprobe::wire::handshake::HandshakeMessage;
use tlsprobe::wire::suites::CipherSuite;

const T: Duration = Duration::from_secs(10);

fn client() -> Connection {
    let cc = ClientConfig {
        versions: vec![ProtocolVersion::TLS13],
        suites: vec![CipherSuite(0x1301)],
        reveal_secrets: true,
        ..ClientConfig::default()
    };
    Connection::client(cc, system_rng()).unwrap()
}

fn events(c: &mut Connection, into: &mut Vec<Event>) {
    while let Some(e) = c.next_event() {
        into.push(e);
    }
}

/// Sends the ClientHello and feeds the server's answer to the client until it has its
/// second flight ready (bounded). Returns that flight, unsent.
fn to_client_finished(s: &mut TcpStream, c: &mut Connection, evs: &mut Vec<Event>) -> Vec<u8> {
    s.write_all(&c.take_output()).unwrap();
    let deadline = Instant::now() + T;
    while !c.has_output() {
        assert!(Instant::now() < deadline, "no server flight in time");
        let r = read_raw_record(s).expect("the server flight");
        c.feed(&r).expect("a valid server flight");
        events(c, evs);
    }
    c.take_output()
}

fn secret(evs: &[Event], label: &str) -> Vec<u8> {
    evs.iter()
        .rev()
        .find_map(|e| match e {
            Event::Keys(k) if k.label == label => k.secret.clone(),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {label}"))
}

fn cipher(evs: &[Event], prefix: &str) -> RecordCipher {
    let aead = tlsprobe::handshake::suite_params::params(CipherSuite(0x1301))
        .unwrap()
        .aead()
        .unwrap();
    RecordCipher::tls13(
        aead,
        &secret(evs, &format!("{prefix} key")),
        &secret(evs, &format!("{prefix} iv")),
    )
    .unwrap()
}

/// test-tls13-conversation.py: ClientHello; the server flight; Finished and
/// `GET / HTTP/1.0`; NewSessionTickets, the page; close_notify both ways; TCP close.
#[test]
fn conversation() {
    let l = listen(&[]);
    let mut s = connect_raw(l.port);
    let mut c = client();
    let mut evs = vec![];
    let second = to_client_finished(&mut s, &mut c, &mut evs);
    assert!(c.is_established());
    c.send_data(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    s.write_all(&[second, c.take_output()].concat()).unwrap();
    let deadline = Instant::now() + T;
    while !c.peer_closed() {
        assert!(Instant::now() < deadline, "no close_notify in time");
        let r = read_raw_record(&mut s).expect("the server closed before its close_notify");
        c.feed(&r).unwrap();
        events(&mut c, &mut evs);
    }
    let tickets = evs
        .iter()
        .filter(|e| {
            matches!(e, Event::Handshake { dir: Dir::In, msg, .. }
                if matches!(**msg, HandshakeMessage::NewSessionTicket13(_)))
        })
        .count();
    assert!(tickets >= 1, "at least one NewSessionTicket");
    let page: Vec<u8> = evs
        .iter()
        .filter_map(|e| match e {
            Event::AppData { dir: Dir::In, data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(page.starts_with(b"HTTP/1.0 200 OK\r\n"), "{page:?}");
    c.close();
    s.write_all(&c.take_output()).unwrap();
    expect_closed(&mut s);
}

/// test-tls13-finished.py ("single bit error"): a client Finished with one bit flipped gets
/// a fatal decrypt_error, protected with the server's application keys, then the TCP close.
#[test]
fn bad_finished_gets_decrypt_error_then_close() {
    let l = listen(&[]);
    let mut s = connect_raw(l.port);
    let mut c = client();
    let mut evs = vec![];
    let second = to_client_finished(&mut s, &mut c, &mut evs);
    // [CCS] then the protected Finished
    let ccs_len = if second[0] == 20 { 6 } else { 0 };
    let (ccs, fin) = second.split_at(ccs_len);
    let mut ck = cipher(&evs, "client_handshake_traffic");
    let mut inner = ck.open(0, 23, 0x0303, &fin[5..]).unwrap();
    assert_eq!((inner[0], *inner.last().unwrap()), (20, 22), "a Finished");
    inner[4] ^= 0x01;
    let sealed = ck.seal(0, 23, 0x0303, &inner);
    let mut rec = vec![23, 3, 3];
    rec.extend_from_slice(&(sealed.len() as u16).to_be_bytes());
    rec.extend_from_slice(&sealed);
    s.write_all(&[ccs, &rec[..]].concat()).unwrap();

    let alert = read_raw_record(&mut s).expect("an alert before the close");
    assert_eq!(alert[0], 23, "protected");
    let mut sk = cipher(&evs, "server_application_traffic");
    let plain = sk.open(0, 23, 0x0303, &alert[5..]).unwrap();
    assert_eq!(plain, vec![2, 51, 21], "fatal decrypt_error");
    expect_closed(&mut s);
}

/// test-tls13-legacy-version.py: a ClientHello with legacy_version SSL 3.0 gets an
/// unprotected fatal protocol_version (15 03 03 00 02 02 46), then the TCP close.
#[test]
fn fatal_alert_before_keys_then_close() {
    let l = listen(&[]);
    let mut s = connect_raw(l.port);
    let mut c = client();
    let mut hello = c.take_output();
    hello[9..11].copy_from_slice(&[3, 0]);
    s.write_all(&hello).unwrap();
    assert_eq!(
        read_raw_record(&mut s).expect("an alert"),
        vec![0x15, 3, 3, 0, 2, 2, 70]
    );
    expect_closed(&mut s);
}

/// test-tls13-unencrypted-alert.py: a client that aborts the handshake with an unprotected
/// fatal alert gets no alert back, only the TCP close.
#[test]
fn client_abort_gets_close_without_alert() {
    let l = listen(&[]);
    let mut s = connect_raw(l.port);
    let mut c = client();
    let mut evs = vec![];
    let _unsent = to_client_finished(&mut s, &mut c, &mut evs);
    s.write_all(&[0x15, 3, 3, 0, 2, 2, 48]).unwrap();
    expect_closed(&mut s);
}

/// test-tls13-keyupdate.py "two KeyUpdates in one record" (RFC 8446 §5.1: a KeyUpdate
/// must end its record): after the client Finished, one record with two
/// KeyUpdate(update_requested) gets no KeyUpdate back, only a fatal unexpected_message under
/// the server's first application keys (after its NewSessionTickets), then the TCP close.
#[test]
fn two_key_updates_in_one_record_get_unexpected_message_then_close() {
    let l = listen(&[]);
    let mut s = connect_raw(l.port);
    let mut c = client();
    let mut evs = vec![];
    let second = to_client_finished(&mut s, &mut c, &mut evs);
    let mut ck = cipher(&evs, "client_application_traffic");
    // two KeyUpdate(update_requested), then the inner content type: handshake
    let inner = [24, 0, 0, 1, 1, 24, 0, 0, 1, 1, 22];
    let updates = record(23, &ck.seal(0, 23, 0x0303, &inner));
    s.write_all(&[second, updates].concat()).unwrap();

    let mut sk = cipher(&evs, "server_application_traffic");
    let mut received = vec![];
    for seq in 0..8u64 {
        let rec = read_raw_record(&mut s).expect("an alert before the close");
        assert_eq!(rec[0], 23, "protected");
        let mut plain = sk.open(seq, 23, 0x0303, &rec[5..]).unwrap();
        while plain.last() == Some(&0) {
            plain.pop();
        }
        let typ = plain.pop().unwrap();
        received.push((typ, plain[0]));
        if typ == 21 {
            assert_eq!(plain, vec![2, 10], "fatal unexpected_message");
            break;
        }
    }
    // NewSessionTickets (handshake type 4), then the alert: no KeyUpdate (24) came back
    let (alert, tickets) = received.split_last().expect("records");
    assert_eq!(*alert, (21, 2));
    assert!(tickets.iter().all(|m| *m == (22, 4)), "{received:?}");
    expect_closed(&mut s);
}
