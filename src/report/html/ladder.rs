//! The page's ladder diagram: one row per record (or, recorded without `--hex`, per
//! message, alert and application data), client column left and server column right, with
//! the key changes as bands between rows: which traffic keys protect each side's records
//! from there on (RFC 8446 §7.3 for TLS 1.3; the ChangeCipherSpec of RFC 5246 §7.1 for 1.2).

use serde::Serialize;
use serde_json::Value;

use super::bytes::{self, ByteRow};
use super::facts::{message_facts, Fact};
use crate::wire::span::title;

/// Which end of the connection sent something: "client" or "server".
pub type Side = &'static str;

/// The other end.
pub fn other(side: Side) -> Side {
    if side == "client" {
        "server"
    } else {
        "client"
    }
}

/// One row of the ladder.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Row {
    Record(RecordRow),
    /// A handshake message recorded without its record (no `--hex`).
    Message(MessageRow),
    /// An alert, ChangeCipherSpec or application data recorded without its record.
    Event(EventRow),
    /// A key change: the traffic keys that protect one side's records from here on.
    Band(Band),
    /// A step that is no arrow (verification, handshake complete, closed).
    Note(Note),
}

#[derive(Debug, Serialize)]
pub struct RecordRow {
    pub n: usize,
    pub from: Side,
    pub content_type: String,
    pub version: String,
    pub length: u64,
    pub encrypted: bool,
    /// The keys that protect it (the sender's latest band), for an encrypted record.
    pub keys: Option<String>,
    pub messages: Vec<MessageRow>,
    pub events: Vec<EventRow>,
    /// The record as it crossed the wire (ciphertext for a protected record).
    pub wire: Vec<ByteRow>,
    /// Whether `wire` carries field labels (spans) or is raw bytes only.
    pub annotated: bool,
    /// For a protected record: the decrypted content beside the ciphertext.
    pub inner: Option<Inner>,
    #[serde(skip)]
    wire_bytes: Vec<u8>,
    #[serde(skip)]
    wire_spans: Vec<Value>,
    #[serde(skip)]
    inner_bytes: Vec<u8>,
    #[serde(skip)]
    inner_spans: Vec<Value>,
}

#[derive(Debug, Serialize)]
pub struct Inner {
    pub note: String,
    pub rows: Vec<ByteRow>,
}

#[derive(Debug, Serialize)]
pub struct MessageRow {
    /// Its place among the connection's handshake messages, from 1.
    pub n: usize,
    pub from: Side,
    /// The JSON name ("client_hello") and the title ("ClientHello").
    pub name: String,
    pub title: String,
    pub encrypted: bool,
    pub length: u64,
    pub facts: Vec<Fact>,
    pub checks: Vec<CheckRow>,
    /// Its annotated bytes, when recorded (decrypted, for an encrypted message).
    pub bytes: Vec<ByteRow>,
    /// For an encrypted message: the ciphertext of the record that carried it, shown beside.
    pub cipher: Vec<ByteRow>,
}

#[derive(Debug, Serialize)]
pub struct CheckRow {
    pub what: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct EventRow {
    pub from: Side,
    /// "alert", "change_cipher_spec", "app_data" or "plaintext".
    pub what: &'static str,
    pub label: String,
    /// Text from the peer or for it (application data, STARTTLS lines), escaped by the template.
    pub text: String,
    /// A fatal alert.
    pub fatal: bool,
}

#[derive(Debug, Serialize)]
pub struct Band {
    pub side: Side,
    /// "handshake", "application", "early", "key_block": the colour class.
    pub stage: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct Note {
    pub text: String,
    pub ok: Option<bool>,
}

/// The ladder of one connection's events; `we` is the side tlsprobe played.
pub fn ladder(events: &[Value], we: Side) -> Vec<Row> {
    let mut b = Builder {
        we,
        rows: vec![],
        open: [None, None],
        keys: [None, None],
        records: 0,
        messages: 0,
    };
    for e in events {
        b.event(e);
    }
    b.rows
}

struct Builder {
    we: Side,
    rows: Vec<Row>,
    /// The last record row of each sender (client, server), which the events after it
    /// describe.
    open: [Option<usize>; 2],
    /// The keys protecting each sender's records (client, server).
    keys: [Option<String>; 2],
    records: usize,
    messages: usize,
}

fn s(e: &Value, key: &str) -> String {
    e.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn slot(side: Side) -> usize {
    usize::from(side == "server")
}

impl Builder {
    fn sender(&self, e: &Value) -> Side {
        if e.get("dir").and_then(Value::as_str) == Some("out") {
            self.we
        } else {
            other(self.we)
        }
    }

    fn event(&mut self, e: &Value) {
        let from = self.sender(e);
        match e.get("type").and_then(Value::as_str).unwrap_or("") {
            "record" => self.record(e, from),
            "handshake" => {
                let m = self.message(e, from);
                match self.open_record(from, "handshake") {
                    Some(r) => r.messages.push(m),
                    None => self.rows.push(Row::Message(m)),
                }
            }
            "alert" | "change_cipher_spec" | "app_data" | "plaintext" => self.other_event(e, from),
            "keys" => self.keys(e),
            "verify" => self.note(verify_note(e)),
            "summary" => self.note(Note {
                text: format!(
                    "handshake complete: {} {}",
                    s(e, "version"),
                    s(e, "cipher_suite")
                ),
                ok: Some(true),
            }),
            "closed" => self.note(Note {
                text: format!("closed: {}", s(e, "detail")),
                ok: e.get("clean").and_then(Value::as_bool),
            }),
            _ => {}
        }
    }

    fn note(&mut self, n: Note) {
        self.rows.push(Row::Note(n));
    }

    /// The sender's last record, when it carries `content`.
    fn open_record(&mut self, from: Side, content: &str) -> Option<&mut RecordRow> {
        let i = self.open[slot(from)]?;
        match self.rows.get_mut(i) {
            Some(Row::Record(r)) if r.content_type == content => Some(r),
            _ => None,
        }
    }

    fn record(&mut self, e: &Value, from: Side) {
        self.records += 1;
        let wire_bytes = bytes::unhex(&s(e, "hex")).unwrap_or_default();
        let wire_spans = spans(e);
        let annotated = !wire_spans.is_empty();
        let wire = if annotated {
            bytes::span_rows(&wire_spans, &wire_bytes, None)
        } else {
            bytes::raw_rows(&wire_bytes, "record (bytes not annotated)")
        };
        let encrypted = e.get("encrypted").and_then(Value::as_bool).unwrap_or(false);
        let (inner, inner_bytes, inner_spans) = inner(e);
        self.open[slot(from)] = Some(self.rows.len());
        self.rows.push(Row::Record(RecordRow {
            n: self.records,
            from,
            content_type: s(e, "content_type"),
            version: s(e, "version"),
            length: e.get("length").and_then(Value::as_u64).unwrap_or(0),
            encrypted,
            keys: if encrypted {
                self.keys[slot(from)].clone()
            } else {
                None
            },
            messages: vec![],
            events: vec![],
            wire,
            annotated,
            inner,
            wire_bytes,
            wire_spans,
            inner_bytes,
            inner_spans,
        }));
    }

    fn message(&mut self, e: &Value, from: Side) -> MessageRow {
        self.messages += 1;
        let name = s(e, "msg");
        let msg_bytes = bytes::unhex(&s(e, "hex")).unwrap_or_default();
        let (bytes, cipher) = match self.open_record(from, "handshake") {
            Some(r) => (message_bytes(r, &msg_bytes, &title(&name)), ciphertext(r)),
            None => (bytes::raw_rows(&msg_bytes, &title(&name)), vec![]),
        };
        let checks = e
            .get("checks")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|c| CheckRow {
                        what: s(c, "what"),
                        ok: c.get("ok").and_then(Value::as_bool).unwrap_or(false),
                        detail: s(c, "detail"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        MessageRow {
            n: self.messages,
            from,
            title: title(&name),
            name,
            encrypted: e.get("encrypted").and_then(Value::as_bool).unwrap_or(false),
            length: e.get("length").and_then(Value::as_u64).unwrap_or(0),
            facts: message_facts(e),
            checks,
            bytes,
            cipher,
        }
    }

    fn other_event(&mut self, e: &Value, from: Side) {
        let typ = s(e, "type");
        let (what, content, label, text, fatal) = match typ.as_str() {
            "alert" => (
                "alert",
                "alert",
                format!("Alert: {} ({})", s(e, "description"), s(e, "level")),
                String::new(),
                s(e, "level") == "fatal",
            ),
            "change_cipher_spec" => {
                let mb = e.get("middlebox").and_then(Value::as_bool).unwrap_or(false);
                let label = if mb {
                    "ChangeCipherSpec (middlebox compatibility, RFC 8446 §D.4)"
                } else {
                    "ChangeCipherSpec"
                };
                (
                    "change_cipher_spec",
                    "change_cipher_spec",
                    label.to_string(),
                    String::new(),
                    false,
                )
            }
            "app_data" => (
                "app_data",
                "application_data",
                format!(
                    "application data, {} bytes",
                    e.get("len").and_then(Value::as_u64).unwrap_or(0)
                ),
                app_text(e),
                false,
            ),
            _ => (
                "plaintext",
                "",
                format!("plaintext ({})", s(e, "from")),
                s(e, "text"),
                false,
            ),
        };
        let row = EventRow {
            from,
            what,
            label,
            text,
            fatal,
        };
        match self.open_record(from, content) {
            Some(r) => r.events.push(row),
            None => self.rows.push(Row::Event(row)),
        }
        // RFC 5246 §7.1: the sender's records after its ChangeCipherSpec use the new keys.
        if what == "change_cipher_spec"
            && !e.get("middlebox").and_then(Value::as_bool).unwrap_or(false)
        {
            let keys = if from == "client" {
                "client_write keys"
            } else {
                "server_write keys"
            };
            let text = format!(
                "{from} → {}: from here protected by the {keys} (from the key_block)",
                other(from)
            );
            self.band(from, "key_block", keys.to_string(), text);
        }
    }

    /// "server_handshake_traffic key" (RFC 8446 §7.3): that side's records from here on.
    fn keys(&mut self, e: &Value) {
        let label = s(e, "label");
        let Some(secret) = label.strip_suffix(" key") else {
            return;
        };
        let Some(rest) = secret.strip_suffix("_traffic") else {
            return;
        };
        let (side, stage) = match rest.split_once('_') {
            Some(("client", st)) => ("client", st),
            Some(("server", st)) => ("server", st),
            _ => return,
        };
        let text = format!(
            "{side} → {}: from here protected by the {side} {stage} traffic keys ({secret}_secret)",
            other(side)
        );
        self.band(side, stage, format!("{side} {stage} keys"), text);
    }

    /// From here `side`'s records are protected by `keys`.
    fn band(&mut self, side: Side, stage: &str, keys: String, text: String) {
        self.keys[slot(side)] = Some(keys);
        self.rows.push(Row::Band(Band {
            side,
            stage: stage.to_string(),
            text,
        }));
    }
}

fn spans(v: &Value) -> Vec<Value> {
    v.get("spans")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The decrypted content of a protected record: annotated (`inner`), else raw (`plaintext`).
fn inner(e: &Value) -> (Option<Inner>, Vec<u8>, Vec<Value>) {
    if let Some(i) = e.get("inner") {
        let b = bytes::unhex(&s(i, "hex")).unwrap_or_default();
        let sp = spans(i);
        let rows = bytes::span_rows(&sp, &b, None);
        return (
            Some(Inner {
                note: s(i, "note"),
                rows,
            }),
            b,
            sp,
        );
    }
    match e
        .get("plaintext")
        .and_then(Value::as_str)
        .and_then(bytes::unhex)
    {
        Some(b) => {
            let rows = bytes::raw_rows(&b, "decrypted content");
            (
                Some(Inner {
                    note: "decrypted content (not annotated)".into(),
                    rows,
                }),
                b,
                vec![],
            )
        }
        None => (None, vec![], vec![]),
    }
}

/// A message's rows: its spans within the decrypted content or the wire record, else its
/// raw bytes (a message split over several records).
fn message_bytes(r: &RecordRow, msg: &[u8], title: &str) -> Vec<ByteRow> {
    for (buf, sp) in [
        (&r.inner_bytes, &r.inner_spans),
        (&r.wire_bytes, &r.wire_spans),
    ] {
        if sp.is_empty() {
            continue;
        }
        if let Some(at) = bytes::find(buf, msg) {
            return bytes::span_rows(sp, buf, Some((at, at + msg.len())));
        }
    }
    bytes::raw_rows(msg, title)
}

/// The wire rows of an encrypted record (for its messages' ciphertext column).
fn ciphertext(r: &RecordRow) -> Vec<ByteRow> {
    if !r.encrypted || r.inner.is_none() {
        return vec![];
    }
    if r.wire_spans.is_empty() {
        return bytes::raw_rows(&r.wire_bytes, "record (bytes not annotated)");
    }
    bytes::span_rows(&r.wire_spans, &r.wire_bytes, None)
}

fn app_text(e: &Value) -> String {
    match e.get("text").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => format!("(binary) {}", s(e, "hex")),
    }
}

fn verify_note(e: &Value) -> Note {
    let ok = e.get("ok").and_then(Value::as_bool).unwrap_or(false);
    let errors: Vec<&str> = e
        .get("errors")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let text = if ok {
        "certificate verified".to_string()
    } else {
        format!("certificate not verified: {}", errors.join("; "))
    };
    Note { text, ok: Some(ok) }
}
