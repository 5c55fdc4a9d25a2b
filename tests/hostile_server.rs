//! `tlsprobe connect` (the binary) against a hostile server on loopback. The server is the
//! project's own server core (`Connection::server`) run over a TCP socket in a test thread,
//! its first flight tampered with the way tests/hostile does it in memory (records opened
//! with the secrets the server reveals, edited, sealed again): so what the client core
//! refuses in memory is shown to be refused the same way on the wire. Each case checks the
//! bytes tlsprobe sends back (exactly one fatal alert record, then the close), its exit
//! code (1, cli.md) and its one-sentence error on stderr.
//!
//! Everything is bounded: the server thread waits at most `ACCEPT_WITHIN` for the connection
//! and reads with `READ_TIMEOUT`; tlsprobe runs under `run`'s deadline with `--timeout 5`.

mod common;
use common::scripted::*;
use common::{run, tp, LIMIT, READ_TIMEOUT};

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::event::Event;
use tlsprobe::handshake::config::ServerConfig;
use tlsprobe::handshake::Connection;
use tlsprobe::wire::codepoints::{ExtensionType as ET, ProtocolVersion};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::{HandshakeMessage as HM, DOWNGRADE_TLS12};

/// Longest the server thread waits for tlsprobe to connect.
const ACCEPT_WITHIN: Duration = Duration::from_secs(20);

/// The server's first flight as records, with the events it reported (its secrets among
/// them); a case returns the bytes to send instead.
type Tamper = fn(Vec<Rec>, &[Event]) -> Vec<u8>;

/// One accepted connection on 127.0.0.1, bounded by `ACCEPT_WITHIN`.
fn accept(listener: &TcpListener) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + ACCEPT_WITHIN;
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
                return s;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) => panic!("no connection from tlsprobe: {e}"),
        }
    }
}

/// Everything the peer sends until it closes (or `READ_TIMEOUT` passes).
fn read_to_close(s: &mut TcpStream) -> Vec<u8> {
    let mut got = vec![];
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return got,
            Err(e) => panic!("reading tlsprobe's answer: {e} (after {got:02x?})"),
        }
    }
}

/// A hostile server for one connection: our server core on `versions`, its answer to the
/// ClientHello passed through `tamper`. The thread returns what the client sent after it.
fn hostile_server(versions: &[ProtocolVersion], tamper: Tamper) -> (u16, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut sc = ServerConfig::new(tlsprobe::inmem::self_signed("localhost"));
    sc.versions = versions.to_vec();
    sc.reveal_secrets = true;
    let handle = std::thread::spawn(move || {
        let mut s = accept(&listener);
        let hello = common::read_raw_record(&mut s).expect("a ClientHello");
        let mut server = Connection::server(Arc::new(sc), seeded_rng(7));
        server
            .feed(&hello)
            .expect("our server takes tlsprobe's ClientHello");
        let flight = parse(&server.take_output());
        let events: Vec<Event> = std::iter::from_fn(|| server.next_event()).collect();
        s.write_all(&tamper(flight, &events)).unwrap();
        read_to_close(&mut s)
    });
    (port, handle)
}

/// Runs `tlsprobe connect` against a hostile server and checks the refusal: exactly the
/// plaintext fatal alert `want` on the wire, exit code 1, and a one-sentence error naming
/// the alert and containing `says`.
fn refused(versions: &[ProtocolVersion], tamper: Tamper, want: Alert, says: &str) {
    let (port, server) = hostile_server(versions, tamper);
    let target = format!("127.0.0.1:{port}");
    let args = ["connect", &target, "-k", "-n", "--timeout", "5"];
    let done = run(tp(args), b"", LIMIT);
    let sent = server.join().expect("the hostile server thread");
    assert_eq!(
        sent,
        plain_alert(want),
        "the alert on the wire\n{}",
        done.all()
    );
    assert_eq!(done.code, Some(1), "{}", done.all());
    let errors: Vec<&str> = done
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line\n{}", done.all());
    let line = errors[0];
    assert!(
        line.ends_with(&format!("(alert {})", want.name())) && line.contains(says),
        "{line}"
    );
    assert!(!done.stderr.contains("panicked"), "{}", done.all());
}

/// The TLS 1.3 flight opened with the server's handshake keys, edited by `edit`, sealed again.
fn edited13(recs: Vec<Rec>, events: &[Event], edit: impl FnOnce(&mut Items)) -> Vec<u8> {
    let suite = server_hello(&recs[0]).cipher_suite.0;
    let mut keys = sealer(events, suite, "server_handshake_traffic");
    let mut items = open_flight13(&recs, &mut keys);
    edit(&mut items);
    seal_flight13(&items, &mut keys)
}

/// The flight with its first record, the ServerHello, changed by `edit`.
fn edited_server_hello(
    mut recs: Vec<Rec>,
    edit: impl FnOnce(&mut tlsprobe::wire::handshake::ServerHello),
) -> Vec<u8> {
    let mut sh = server_hello(&recs[0]);
    edit(&mut sh);
    recs[0] = Rec::new(HS, HM::ServerHello(sh).encode());
    join(&recs)
}

/// RFC 8446 §4.1.3: a TLS 1.2 ServerHello whose random ends in DOWNGRD\x01 to a client that
/// offered TLS 1.3 (tlsprobe's default) is illegal_parameter.
#[test]
fn downgrade_sentinel_on_the_wire() {
    refused(
        &[ProtocolVersion::TLS12],
        |recs, _| edited_server_hello(recs, |sh| sh.random[24..].copy_from_slice(&DOWNGRADE_TLS12)),
        Alert::IllegalParameter,
        "downgrade sentinel",
    );
}

/// RFC 8446 §4.1.3: a legacy_session_id_echo that is not ours is illegal_parameter.
#[test]
fn wrong_session_id_echo_on_the_wire() {
    refused(
        &[ProtocolVersion::TLS13],
        |recs, _| edited_server_hello(recs, |sh| sh.session_id[0] ^= 1),
        Alert::IllegalParameter,
        "legacy_session_id",
    );
}

/// RFC 8446 §4.2: early_data in EncryptedExtensions answers a request tlsprobe never makes:
/// unsupported_extension (in clear: the client's handshake keys are not on yet).
#[test]
fn unsolicited_encrypted_extension_on_the_wire() {
    refused(
        &[ProtocolVersion::TLS13],
        |recs, events| {
            edited13(recs, events, |items| {
                let ee = index_of(items, 8);
                let early = Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(None));
                items[ee].1 = HM::EncryptedExtensions(vec![early]).encode();
            })
        },
        Alert::UnsupportedExtension,
        "early_data",
    );
}

/// RFC 8446 §4.3.1: EncryptedExtensions comes first; a Certificate in its place is
/// unexpected_message.
#[test]
fn certificate_before_encrypted_extensions_on_the_wire() {
    refused(
        &[ProtocolVersion::TLS13],
        |recs, events| {
            edited13(recs, events, |items| {
                items.remove(index_of(items, 8));
            })
        },
        Alert::UnexpectedMessage,
        "expected EncryptedExtensions, received certificate",
    );
}

/// RFC 5746 §3.4: a renegotiation_info that is not empty on an initial handshake is
/// handshake_failure.
#[test]
fn renegotiation_info_not_empty_on_the_wire() {
    refused(
        &[ProtocolVersion::TLS12],
        |recs, _| {
            edited_server_hello(recs, |sh| {
                set_ext(
                    &mut sh.extensions,
                    ET::RENEGOTIATION_INFO,
                    ExtBody::RenegotiationInfo(vec![1; 24]),
                );
                // a TLS 1.2-only server sets no sentinel; keep it that way
                assert_ne!(&sh.random[24..], &DOWNGRADE_TLS12);
            })
        },
        Alert::HandshakeFailure,
        "renegotiation_info",
    );
}
