//! Writes the seed corpora under fuzz/corpus/ from real handshakes: tlsprobe's client and
//! server run against each other in memory (`tlsprobe::inmem`; TLS 1.2 and 1.3, each key
//! exchange group, RSA key transport and ECDHE suites), and every flight, record and
//! handshake message they exchange becomes a seed in the input format of the target that
//! reads it.
//!
//! Run: `cargo run --release --manifest-path fuzz/Cargo.toml --example gen_corpus`

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tlsprobe::event::Event;
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::inmem::{Pair, Side, MAX_ROUNDS};
use tlsprobe::wire::codepoints::{NamedGroup, ProtocolVersion};
use tlsprobe::wire::extensions::ExtContext;
use tlsprobe::wire::handshake::HandshakeMessage;
use tlsprobe::wire::suites::CipherSuite;
use tlsprobe_fuzz::{client_config, context_selector, ext_selector, server_config};

struct Corpus {
    root: PathBuf,
    seen: BTreeSet<(String, Vec<u8>)>,
}

impl Corpus {
    fn add(&mut self, target: &str, data: Vec<u8>) {
        if data.is_empty() || !self.seen.insert((target.to_string(), data.clone())) {
            return;
        }
        let dir = self.root.join(target);
        std::fs::create_dir_all(&dir).expect("corpus dir");
        let n = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        std::fs::write(dir.join(format!("seed-{n:04}")), data).expect("write seed");
    }
}

/// What one in-memory run left: the client's and the server's output flights and both
/// event streams.
struct Exchange {
    client_flights: Vec<Vec<u8>>,
    server_flights: Vec<Vec<u8>>,
    client_events: Vec<Event>,
    server_events: Vec<Event>,
}

/// Runs one in-memory handshake plus an exchange of application data, a KeyUpdate and
/// close_notify (sent by the client as soon as it is established).
fn run(cc: ClientConfig) -> Exchange {
    let mut p = Pair::seeded(cc, server_config(), 1).expect("client");
    let mut sent_data = false;
    for _ in 0..MAX_ROUNDS {
        if p.client.is_established() && !sent_data {
            let _ = p.client.send_data(b"GET / HTTP/1.0\r\n\r\n");
            let _ = p.client.key_update(false);
            p.client.close();
            sent_data = true;
        }
        if !p.round() {
            break;
        }
    }
    let flights = |side| -> Vec<Vec<u8>> {
        p.flights
            .iter()
            .filter(|f| f.from == side)
            .map(|f| f.bytes.clone())
            .collect()
    };
    Exchange {
        client_flights: flights(Side::Client),
        server_flights: flights(Side::Server),
        client_events: p.client_events,
        server_events: p.server_events,
    }
}

/// Splits a byte stream into its records (header included).
fn records(mut b: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![];
    while b.len() >= 5 {
        let len = u16::from_be_bytes([b[3], b[4]]) as usize;
        let end = (5 + len).min(b.len());
        out.push(b[..end].to_vec());
        b = &b[end..];
    }
    out
}

fn ext_ctx(msg: &HandshakeMessage) -> Option<ExtContext> {
    Some(match msg {
        HandshakeMessage::ClientHello(_) => ExtContext::ClientHello,
        HandshakeMessage::ServerHello(sh) if sh.is_hello_retry_request() => {
            ExtContext::HelloRetryRequest
        }
        HandshakeMessage::ServerHello(_) => ExtContext::ServerHello,
        HandshakeMessage::EncryptedExtensions(_) => ExtContext::EncryptedExtensions,
        HandshakeMessage::CertificateRequest13(_) => ExtContext::CertificateRequest,
        HandshakeMessage::NewSessionTicket13(_) => ExtContext::NewSessionTicket,
        _ => return None,
    })
}

fn exts(msg: &HandshakeMessage) -> Vec<(u16, Vec<u8>)> {
    let list = match msg {
        HandshakeMessage::ClientHello(m) => &m.extensions,
        HandshakeMessage::ServerHello(m) => &m.extensions,
        HandshakeMessage::EncryptedExtensions(m) => m,
        _ => return vec![],
    };
    list.iter().map(|e| (e.typ.0, e.data.clone())).collect()
}

fn add_messages(
    corpus: &mut Corpus,
    events: &[Event],
    version: ProtocolVersion,
    suite: Option<CipherSuite>,
) {
    let kx = suite.and_then(|s| s.info()).map(|i| i.kx);
    for e in events {
        if let Event::Handshake { msg, raw, .. } = e {
            // Hellos are decoded before the version is known: TLS 1.2 context, no kx.
            let (v, k) = match **msg {
                HandshakeMessage::ClientHello(_) | HandshakeMessage::ServerHello(_) => {
                    (ProtocolVersion::TLS12, None)
                }
                _ => (version, kx),
            };
            let mut seed = vec![context_selector(v, k), raw[0]];
            seed.extend_from_slice(&raw[4..]);
            corpus.add("handshake_codec", seed);
            if let Some(ctx) = ext_ctx(msg) {
                for (t, data) in exts(msg) {
                    let mut seed = t.to_be_bytes().to_vec();
                    seed.push(ext_selector(ctx));
                    seed.extend_from_slice(&data);
                    corpus.add("extension_codec", seed);
                }
            }
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut corpus = Corpus {
        root,
        seen: BTreeSet::new(),
    };
    let mut configs = vec![];
    for v in [ProtocolVersion::TLS13, ProtocolVersion::TLS12] {
        for g in [
            NamedGroup::X25519,
            NamedGroup::SECP256R1,
            NamedGroup::SECP384R1,
        ] {
            let mut cc = client_config();
            cc.versions = vec![v];
            cc.groups = vec![g];
            configs.push(cc);
        }
    }
    // P-384 first, X25519 second: a HelloRetryRequest when the server insists on its own
    // group preference, a plain P-384 handshake otherwise (both are useful seeds).
    let mut hrr = client_config();
    hrr.versions = vec![ProtocolVersion::TLS13];
    hrr.groups = vec![NamedGroup::SECP384R1, NamedGroup::X25519];
    configs.push(hrr);
    // TLS 1.2 RSA key transport and ECDHE suites as the defaults order them.
    configs.push(client_config());
    for cc in configs {
        let Exchange {
            client_flights: cf,
            server_flights: sf,
            client_events: ce,
            server_events: se,
        } = run(cc);
        let summary = ce.iter().rev().find_map(|e| match e {
            Event::Summary(s) => Some((s.version, s.cipher_suite)),
            _ => None,
        });
        let (version, suite) = summary.unwrap_or((None, None));
        let version = version.unwrap_or(ProtocolVersion::TLS12);
        for (i, f) in cf.iter().enumerate() {
            corpus.add("record_deframer", [&[0u8][..], f].concat());
            for r in records(f) {
                corpus.add("record_deframer", [&[0u8][..], &r].concat());
            }
            if i == 0 {
                // The ClientHello flight, whole and one byte at a time.
                corpus.add("server_state", [&[0u8][..], f].concat());
                corpus.add("server_state", [&[1u8][..], f].concat());
            }
        }
        corpus.add("server_state", [&[0u8][..], &cf.concat()].concat());
        for (i, f) in sf.iter().enumerate() {
            corpus.add("record_deframer", [&[0u8][..], f].concat());
            if i == 0 {
                corpus.add("client_state", [&[0u8][..], f].concat());
                corpus.add("client_state", [&[7u8][..], f].concat());
            }
        }
        corpus.add("client_state", [&[0u8][..], &sf.concat()].concat());
        add_messages(&mut corpus, &ce, version, suite);
        add_messages(&mut corpus, &se, version, suite);
    }
    for t in [
        "record_deframer",
        "handshake_codec",
        "extension_codec",
        "client_state",
        "server_state",
    ] {
        let n = std::fs::read_dir(corpus.root.join(t))
            .map(|d| d.count())
            .unwrap_or(0);
        println!("{t}: {n} seeds");
    }
}
