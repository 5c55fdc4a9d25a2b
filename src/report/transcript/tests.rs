//! Reading transcripts: bad lines named, a cut-off last line tolerated, unknown types
//! skipped, and hostile input (random, truncated, mutated lines) never a panic.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::{read, ReadError};
use crate::report::replay::Replay;
use crate::wire::codepoints::{CompressionMethod, ExtensionType, NamedGroup, ProtocolVersion};
use crate::wire::extensions::{ExtBody, Extension, ServerNames};
use crate::wire::handshake::{ClientHello, HandshakeMessage};
use crate::wire::suites::CipherSuite;

fn client_hello() -> Vec<u8> {
    HandshakeMessage::ClientHello(ClientHello {
        extensions_absent: false,
        version: ProtocolVersion::TLS12,
        random: [7; 32],
        session_id: vec![1; 32],
        cipher_suites: vec![CipherSuite(0x1301), CipherSuite(0xc02f)],
        compression_methods: vec![CompressionMethod::NULL],
        extensions: vec![
            Extension::new(
                ExtensionType::SERVER_NAME,
                ExtBody::ServerName(ServerNames::host("localhost")),
            ),
            Extension::new(
                ExtensionType::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(NamedGroup::X25519, vec![9; 32])]),
            ),
        ],
    })
    .encode()
}

/// A small transcript as `connect --json --hex` writes it (fields the reader needs).
fn transcript() -> Vec<String> {
    let msg = client_hello();
    let mut rec = vec![22, 3, 1];
    rec.extend_from_slice(&(msg.len() as u16).to_be_bytes());
    rec.extend_from_slice(&msg);
    let lines = [
        json!({"type":"connecting","target":"localhost:443","addr":"127.0.0.1:443"}),
        json!({"type":"connected","addr":"127.0.0.1:443","local":"127.0.0.1:5000"}),
        json!({"type":"record","dir":"out","content_type":"handshake","version":"TLS 1.0",
               "length":rec.len(),"encrypted":false,"hex":hex::encode(&rec)}),
        json!({"type":"handshake","dir":"out","msg":"client_hello","length":msg.len(),
               "encrypted":false,"hex":hex::encode(&msg),
               "checks":[{"what":"downgrade sentinel","ok":true,"detail":"none"}]}),
        json!({"type":"keys","label":"early_secret","derivation":"HKDF-Extract(0, 0)","secret":"00ff"}),
        json!({"type":"alert","dir":"in","level":"fatal","description":"handshake_failure"}),
        json!({"type":"info","message":"a remark"}),
        json!({"type":"warning","message":"a caveat"}),
        json!({"type":"summary","version":"TLS 1.3","cipher_suite":"TLS_AES_128_GCM_SHA256",
               "group":"x25519","dh_bits":null,"signature_scheme":"ecdsa_secp256r1_sha256",
               "resumed":false,"verified":true,"sni":"localhost","session_ticket":false}),
        json!({"type":"closed","reason":"alert","clean":false,"detail":"the server refused",
               "established":false,"alert":{"dir":"in","description":"handshake_failure"},
               "tickets":0,"app_bytes_sent":0,"app_bytes_received":0}),
    ];
    lines.iter().map(Value::to_string).collect()
}

fn render(text: &str, hex: u8) -> Result<Vec<String>, String> {
    let t = read(&mut text.as_bytes(), false).map_err(|e| e.to_string())?;
    let mut r = Replay::new(false, hex);
    let mut out = vec![];
    for l in &t.lines {
        out.extend(r.line(&l.value)?);
    }
    out.extend(r.finish());
    Ok(out)
}

#[test]
fn a_transcript_renders_as_the_live_trace() {
    colored::control::set_override(false);
    let text = transcript().join("\n") + "\n";
    let out = render(&text, 0).unwrap();
    let joined = out.join("\n");
    assert!(out[0].starts_with("* Connecting to localhost:443 (127.0.0.1:443)"));
    assert!(joined.contains("→ ClientHello"), "{joined}");
    assert!(
        joined.contains("    ✓ downgrade sentinel: none"),
        "{joined}"
    );
    assert!(
        joined.contains("← Alert fatal handshake_failure"),
        "{joined}"
    );
    assert!(joined.contains("* a remark") && joined.contains("warning: a caveat"));
    assert!(joined.contains("= Summary TLS 1.3, TLS_AES_128_GCM_SHA256, x25519"));
    assert!(
        joined.contains("! Closed (alert): the server refused"),
        "{joined}"
    );
    let hexed = render(&text, 1).unwrap().join("\n");
    assert!(hexed.contains("client_version TLS 1.2"), "{hexed}");
    assert!(hexed.contains("early_secret"), "{hexed}");
}

fn not_transcript(text: &str) -> String {
    match read(&mut text.as_bytes(), false) {
        Err(ReadError::NotTranscript(s)) => s,
        other => panic!("{text:?} read as {other:?}"),
    }
}

#[test]
fn bad_lines_are_named() {
    assert!(not_transcript("").contains("no tlsprobe events"));
    assert!(not_transcript("hello\n").starts_with("line 1 is not JSON"));
    let good = transcript()[0].clone();
    let s = not_transcript(&format!("{good}\n\n[1,2]\n{good}\n"));
    assert!(s.starts_with("line 3 is not a JSON object"), "{s}");
    let s = not_transcript(&format!("{good}\n{{\"a\":1}}\n"));
    assert!(s.starts_with("line 2 has no \"type\""), "{s}");
    let s = not_transcript("{\"target\":\"x:443\",\"protocols\":[]}\n");
    assert!(s.contains("scan report"), "{s}");
    assert!(not_transcript("{\"type\":\"nothing\"}\n").contains("no tlsprobe events"));
    assert!(not_transcript("\u{0}\u{ff}\n").starts_with("line 1 is not JSON"));
    let s = not_transcript("\u{feff}\n");
    assert!(
        s.contains("no tlsprobe events") || s.starts_with("line 1"),
        "{s}"
    );
}

#[test]
fn a_cut_off_last_line_is_dropped_with_a_warning() {
    let lines = transcript();
    let text = lines.join("\n");
    let cut = &text[..text.len() - 5];
    let t = read(&mut cut.as_bytes(), true).unwrap();
    assert_eq!(t.lines.len(), lines.len() - 1);
    assert!(
        t.warnings[0].contains("line 10 is cut off"),
        "{:?}",
        t.warnings
    );
    // The same line cut off in the middle of the file is an error.
    let mid = format!("{cut}\n{}\n", lines[0]);
    assert!(not_transcript(&mid).starts_with("line 10 is not JSON"));
    // An unknown type is kept, and warned about once.
    let text = format!("{}\n{{\"type\":\"new\"}}\n{{\"type\":\"new\"}}\n", lines[0]);
    let t = read(&mut text.as_bytes(), false).unwrap();
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert_eq!(render(&text, 1).unwrap().len(), 1);
}

/// Text from a transcript cannot drive the terminal: control characters come out escaped.
#[test]
fn control_characters_are_escaped() {
    colored::control::set_override(false);
    let text = "{\"type\":\"info\",\"message\":\"a\\u001b[2Jb\\u0007\"}\n\
                {\"type\":\"verify\",\"ok\":false,\"errors\":[\"\\u001b]0;x\\u0007\"],\"detail\":[]}\n";
    let out = render(text, 0).unwrap().join("\n");
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("* a\\u{1b}[2Jb\\u{7}"), "{out}");
}

#[test]
fn hostile_lines_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let lines = transcript();
    // Every truncation of every line, as the last line.
    for (i, l) in lines.iter().enumerate() {
        for cut in 0..l.len() {
            if !l.is_char_boundary(cut) {
                continue;
            }
            let text = format!("{}\n{}", lines[..i].join("\n"), &l[..cut]);
            let _ = render(&text, 2);
        }
    }
    // Random bytes, and lines with their hex and numbers mutated.
    for _ in 0..2000 {
        let n = rng.gen_range(0..200);
        let junk: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
        let _ = read(&mut &junk[..], true);
        let mut v: Value = serde_json::from_str(&lines[rng.gen_range(0..lines.len())]).unwrap();
        mutate(&mut v, &mut rng);
        let _ = render(&format!("{}\n{v}\n", lines[0]), rng.gen_range(0..3));
    }
}

/// Replaces one field with something hostile: cut or flipped hex, a wrong type, a huge number.
fn mutate(v: &mut Value, rng: &mut ChaCha8Rng) {
    let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    let k = &keys[rng.gen_range(0..keys.len())];
    let new = match (&v[k], rng.gen_range(0..4)) {
        (Value::String(s), 0) if s.len() > 2 => {
            let cut = rng.gen_range(0..s.len() / 2) * 2;
            json!(s[..cut])
        }
        (Value::String(s), 1) if s.len() > 2 && s.is_ascii() => {
            let mut b = s.clone().into_bytes();
            let i = rng.gen_range(0..b.len());
            b[i] = b"0123456789abcdef"[rng.gen_range(0..16)];
            json!(String::from_utf8(b).unwrap())
        }
        (_, 2) => json!(u64::MAX),
        _ => json!([null, {"x": 1}]),
    };
    v[k] = new;
}

/// listen's connection numbers and demo's sides prefix their lines as live; each connection
/// keeps its own state (its keys are collapsed apart from the other's).
#[test]
fn connections_and_sides_keep_their_prefixes() {
    colored::control::set_override(false);
    let text = [
        json!({"type":"accepted","conn":2,"peer":"127.0.0.1:4000"}),
        json!({"type":"keys","side":"client","label":"master_secret","derivation":"d"}),
        json!({"type":"keys","side":"server","label":"handshake_secret","derivation":"d"}),
        json!({"type":"info","side":"server","message":"m"}),
        json!({"type":"alert","side":"client","dir":"in","level":"warning","description":"close_notify"}),
    ]
    .iter()
    .map(Value::to_string)
    .collect::<Vec<_>>()
    .join("\n");
    let out = render(&text, 0).unwrap();
    assert_eq!(
        out,
        [
            "[#2] * Accepted a connection from 127.0.0.1:4000",
            "server │     keys: handshake_secret",
            "server │ * m",
            "client │     keys: master_secret",
            "client │ ← Alert warning close_notify",
        ]
    );
}
