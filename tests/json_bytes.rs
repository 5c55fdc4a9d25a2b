//! The bytes in JSON (cli.md "Bytes in JSON"): with `--json --hex` every record carries the
//! spans of its wire bytes, a protected record its decrypted content and that content's spans,
//! and every handshake message its own bytes, found again in the records that carried it.
//! Against openssl s_server (TLS 1.2 and 1.3) on loopback; a missing peer is a printed skip.

mod common;
use common::{certs, need_openssl, run, s_server, tp, Key, LIMIT};

use serde_json::Value;

fn events(port: u16, ca: &std::path::Path, tls: &str, hex: bool) -> Vec<Value> {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--json",
        "--timeout",
        "5",
        "--tls",
        tls,
    ]);
    c.arg("--ca-file").arg(ca);
    if hex {
        c.arg("--hex");
    }
    let done = run(c, b"GET / HTTP/1.0\r\n\r\n", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    done.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn bytes(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("valid hex")
}

/// Every span lies inside `buf`, and together they cover each of its bytes.
fn spans_cover(spans: &Value, buf: &[u8], context: &str) {
    let spans = spans.as_array().expect("spans array");
    assert!(!spans.is_empty(), "no spans: {context}");
    let mut covered = vec![false; buf.len()];
    for s in spans {
        let (off, len) = (s["offset"].as_u64().unwrap(), s["length"].as_u64().unwrap());
        let (off, len) = (off as usize, len as usize);
        assert!(off + len <= buf.len(), "span {s} outside {context}");
        assert!(s["field"].as_str().is_some_and(|f| !f.is_empty()), "{s}");
        assert!(s["depth"].is_u64() && s["bulky"].is_boolean(), "{s}");
        covered[off..off + len].iter_mut().for_each(|c| *c = true);
    }
    assert!(
        covered.iter().all(|c| *c),
        "bytes without a span: {context}"
    );
}

fn check_transcript(tls: &str) {
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let ev = events(srv.port, &leaf.cert, tls, true);
    let records: Vec<&Value> = ev.iter().filter(|e| e["type"] == "record").collect();
    assert!(records.len() >= 6, "{tls}: {} records", records.len());
    // What each direction carried: handshake bytes in the clear, and decrypted.
    let mut carried: Vec<(String, Vec<u8>)> = vec![];
    for r in &records {
        let wire = bytes(&r["hex"]);
        assert_eq!(wire.len() as u64, r["length"].as_u64().unwrap(), "{r}");
        spans_cover(&r["spans"], &wire, &format!("{tls} record {r}"));
        let dir = r["dir"].as_str().unwrap().to_string();
        if r["encrypted"] == true {
            let plain = bytes(&r["plaintext"]);
            let inner = &r["inner"];
            let inner_bytes = bytes(&inner["hex"]);
            assert!(
                inner_bytes.starts_with(&plain),
                "{tls}: inner starts with plaintext"
            );
            assert!(inner["note"]
                .as_str()
                .is_some_and(|n| n.contains("decrypted")));
            spans_cover(
                &inner["spans"],
                &inner_bytes,
                &format!("{tls} inner of {r}"),
            );
            carried.push((dir, plain));
        } else {
            assert!(
                r.get("plaintext").is_none() && r.get("inner").is_none(),
                "{r}"
            );
            carried.push((dir, wire[5..].to_vec()));
        }
    }
    let messages: Vec<&Value> = ev.iter().filter(|e| e["type"] == "handshake").collect();
    assert!(messages.len() >= 5, "{tls}");
    for m in messages {
        let b = bytes(&m["hex"]);
        assert_eq!(b.len() as u64, m["length"].as_u64().unwrap(), "{m}");
        let body = u32::from_be_bytes([0, b[1], b[2], b[3]]) as usize;
        assert_eq!(body + 4, b.len(), "header length of {}", m["msg"]);
        let dir = m["dir"].as_str().unwrap();
        // A message may span records; its first 16 bytes are in one of them.
        let head = &b[..b.len().min(16)];
        assert!(
            carried
                .iter()
                .any(|(d, c)| d == dir && c.windows(head.len()).any(|w| w == head)),
            "{tls}: {} not found in the records",
            m["msg"]
        );
    }
}

#[test]
fn tls13_transcript_holds_every_byte() {
    if need_openssl() {
        check_transcript("1.3");
    }
}

#[test]
fn tls12_transcript_holds_every_byte() {
    if need_openssl() {
        check_transcript("1.2");
    }
}

#[test]
fn without_hex_no_bytes() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let ev = events(srv.port, &leaf.cert, "1.3", false);
    assert!(ev.iter().any(|e| e["type"] == "handshake"));
    assert!(ev.iter().all(|e| e["type"] != "record"));
    assert!(ev
        .iter()
        .filter(|e| e["type"] == "handshake")
        .all(|e| e.get("hex").is_none()));
    assert!(ev
        .iter()
        .filter(|e| e["type"] == "keys")
        .all(|e| e.get("secret").is_none()));
}

#[test]
fn demo_both_sides_carry_their_bytes() {
    let done = run(tp(["demo", "--json", "--hex"]), b"", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let ev: Vec<Value> = done
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    for side in ["client", "server"] {
        let records: Vec<&Value> = ev
            .iter()
            .filter(|e| e["type"] == "record" && e["side"] == side)
            .collect();
        assert!(records.len() >= 6, "{side}");
        for r in records {
            spans_cover(&r["spans"], &bytes(&r["hex"]), &format!("{side} {r}"));
            assert_eq!(r["encrypted"] == true, r.get("inner").is_some(), "{r}");
        }
    }
}
