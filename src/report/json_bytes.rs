//! The byte view in JSON (`--json --hex`): each record's annotated spans, a protected record's
//! decrypted content with its own spans, and each handshake message's bytes, added to the events
//! `report::json` writes, so a saved transcript holds everything the terminal's `--hex` view and
//! the HTML page show (cli.md, "Bytes in JSON").

use serde_json::{json, Map, Value};

use super::hex::{ByteView, Span};
use super::json;
use crate::event::Event;
use crate::pki::verify::now_unix;

/// Turns one connection's events into JSON values: `report::json::event`, the connection number
/// (listen's `"conn": n`), and with `--hex` the bytes and their spans. Keeps the annotator's
/// state from record to record, so one encoder serves one connection.
pub struct JsonEncoder {
    conn: Option<u64>,
    bytes: Option<ByteView>,
}

impl JsonEncoder {
    /// `conn`: the connection number each value carries, if any; `hex`: the `--hex` count (any
    /// level adds the bytes: JSON never abbreviates).
    pub fn new(conn: Option<u64>, hex: u8) -> JsonEncoder {
        JsonEncoder {
            conn,
            bytes: (hex > 0).then(|| ByteView::new(now_unix())),
        }
    }

    /// The JSON value of one event.
    pub fn encode(&mut self, e: &Event) -> Value {
        let mut v = json::event(e);
        if let Some(view) = &mut self.bytes {
            add_bytes(view, e, &mut v);
        }
        if let Some(n) = self.conn {
            v["conn"] = json!(n);
        }
        v
    }
}

/// Adds `plaintext`, `spans` and `inner` to a record, `hex` to a handshake message.
fn add_bytes(view: &mut ByteView, e: &Event, v: &mut Value) {
    match e {
        Event::Record {
            dir,
            content_type,
            raw,
            encrypted,
            plaintext,
            ..
        } => {
            let r = view.record(*dir, raw, *encrypted, *content_type, plaintext.as_deref());
            if *encrypted {
                if let Some(p) = plaintext {
                    v["plaintext"] = json!(super::hex(p));
                }
            }
            v["spans"] = spans(&r.wire);
            if let (Some(inner), Some(bytes)) = (&r.inner, &r.inner_bytes) {
                v["inner"] = json!({
                    "note": r.inner_note,
                    "hex": super::hex(bytes),
                    "spans": spans(inner),
                });
            }
        }
        Event::Handshake { raw, .. } => v["hex"] = json!(super::hex(raw)),
        _ => {}
    }
}

/// Spans as JSON: offset and length into the buffer, field, value, depth, bulky, notes.
pub fn spans(spans: &[Span]) -> Value {
    Value::Array(spans.iter().map(span).collect())
}

fn span(s: &Span) -> Value {
    let mut m = Map::new();
    m.insert("offset".into(), json!(s.offset));
    m.insert("length".into(), json!(s.bytes.len()));
    m.insert("field".into(), json!(s.label));
    m.insert("value".into(), json!(s.value));
    m.insert("depth".into(), json!(s.depth));
    m.insert("bulky".into(), json!(s.bulky));
    if !s.notes.is_empty() {
        m.insert("notes".into(), json!(s.notes));
    }
    Value::Object(m)
}
