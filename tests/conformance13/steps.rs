//! The steps the scripts share: the server's flight, a scripted client Finished computed
//! from the server's transcript (RFC 8446 §4.4.1) and revealed secrets, the handshake
//! completed, a protected alert checked, hellos in records, listen's pair of certificates.

use tlsprobe::crypto::hash::HashAlg;
use tlsprobe::crypto::key_schedule as ks;
use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event};
use tlsprobe::inmem::Pair;
use tlsprobe::wire::codepoints::ExtensionType as ET;
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::ClientHello;
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::*;

pub const SUITE: u16 = 0x1301;

/// The server's flight for `hello` (ServerHello .. Finished); the server must accept it.
pub fn flight(p: &mut Pair, hello: &[u8]) -> Vec<Rec> {
    let recs = p.to_server(hello);
    assert!(!p.server.is_failed());
    let types: Vec<u8> = recs.iter().map(|r| r.ct).collect();
    assert_eq!(
        &types[..2],
        &[HS, CCS],
        "ServerHello, CCS, then protected records"
    );
    recs
}

/// A scripted client Finished over the server's transcript, `f` applied to the
/// handshake message (header included) before sealing with the client handshake keys.
pub fn client_finished(p: &Pair, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut ck = sealer(&p.server_events, SUITE, "client_handshake_traffic");
    client_finished_with(p, &mut ck, f)
}

/// `client_finished` sealed with `ck` (the client handshake keys at their current sequence
/// number, after a client Certificate and CertificateVerify).
pub fn client_finished_with(p: &Pair, ck: &mut Sealer, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let th = transcript_hash13(&p.server_events, HashAlg::Sha256);
    let base = secret(&p.server_events, "client_handshake_traffic_secret");
    let mut msg = raw_msg(20, &ks::finished_verify_data(HashAlg::Sha256, &base, &th));
    f(&mut msg);
    // Messages over 2^14 go out in several records, as a real client would send them.
    msg.chunks(1 << 14)
        .flat_map(|c| ck.seal(HS, c).bytes())
        .collect()
}

/// Completes the handshake with a scripted Finished; returns the client's application
/// sealer and the server's (advanced past the NewSessionTickets it sent).
pub fn establish(p: &mut Pair) -> (Sealer, Sealer) {
    let fin = client_finished(p, |_| {});
    let out = p.to_server(&fin);
    assert!(p.server.is_established());
    let mut sk = sealer(&p.server_events, SUITE, "server_application_traffic");
    for r in &out {
        let (t, d) = sk.open13(r);
        assert_eq!(
            (t, d[0]),
            (HS, 4),
            "only NewSessionTicket after the client Finished"
        );
    }
    (
        sealer(&p.server_events, SUITE, "client_application_traffic"),
        sk,
    )
}

/// `r` must be our fatal `want`, sent protected by `keys` (at their current sequence number).
pub fn expect_sealed_at(
    p: &mut Pair,
    r: Result<(), tlsprobe::error::TlsError>,
    want: Alert,
    keys: &mut Sealer,
) {
    let out = expect_fatal(&mut p.server, r, want);
    let recs = parse(&out);
    let last = recs.last().expect("an alert record");
    assert_eq!(last.ct, APP);
    assert_eq!(keys.open13(last), (ALERT, vec![2, want.to_u8()]));
}

pub fn received_app_data(p: &Pair) -> Vec<u8> {
    p.server_events
        .iter()
        .filter_map(|e| match e {
            Event::AppData { dir: Dir::In, data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

pub fn early_data_ext() -> Extension {
    Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(None))
}

/// A ClientHello message in records of at most 2^14 bytes, as tlsfuzzer sends large ones.
pub fn hello_records(ch: ClientHello) -> Vec<u8> {
    tlsprobe::wire::handshake::HandshakeMessage::ClientHello(ch)
        .encode()
        .chunks(1 << 14)
        .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
        .collect()
}

/// The client's first ClientHello, decoded (for scripts that rebuild it).
pub fn client_hello_of(p: &mut Pair) -> ClientHello {
    client_hello(&p.client.take_output())
}

/// A server with listen's default pair of certificates: ECDSA P-256 first, RSA 2048 beside.
pub fn two_cert_peers(cc: tlsprobe::handshake::ClientConfig) -> Pair {
    peers_with(cc, |sc| sc.alt_certs = vec![rsa_key()])
}

pub fn suite_params_hash(suite: u16) -> HashAlg {
    tlsprobe::handshake::suite_params::params(CipherSuite(suite))
        .unwrap()
        .hash
}
