//! One transcript line back into what the live trace rendered: the `Event` itself where the
//! JSON holds all of it (a handshake message decoded from its bytes by the codec, with the
//! version and key exchange the ServerHello chose, as `wire::annotate` does), else the words
//! the JSON kept (checks, info and warnings are written once, in `report`, and saved as text).

use serde_json::Value;

use super::facts;
use crate::error::AlertLevel;
use crate::event::{Dir, Event, KeyEvent};
use crate::wire::codepoints::{ContentType, HandshakeType, ProtocolVersion};
use crate::wire::handshake::{DecodeContext, HandshakeMessage};
use crate::wire::suites::Kx;

/// A check as the JSON worded it (`{"what","ok","detail"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckText {
    pub what: String,
    pub ok: bool,
    pub detail: String,
}

/// A handshake message whose bytes the transcript lacks (recorded without `--hex`) or whose
/// bytes do not decode: shown from its JSON fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainMessage {
    pub dir: Dir,
    /// The JSON `msg` (`client_hello`).
    pub name: String,
    pub length: u64,
    pub encrypted: bool,
    /// Title-line facts from the JSON fields (`TLS 1.2`, a suite, a scheme).
    pub facts: Vec<String>,
    /// Why the bytes could not be shown decoded, when they were there.
    pub undecoded: Option<String>,
}

/// What one line becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The event as the live run had it (checks apart: see `checks`).
    Event(Event),
    /// A handshake message from its bytes (`Event::Handshake` without checks), with the
    /// checks made on it as the JSON worded them.
    Handshake(Event, Vec<CheckText>),
    /// A handshake message from its JSON fields only, with its checks.
    Plain(PlainMessage, Vec<CheckText>),
    Info(String),
    Warning(String),
    /// An event type this version does not know (warned about when read).
    Skip,
}

/// The decoding state of one connection: what the ServerHello chose (RFC 8446 §4.1.3), which
/// later messages need to be read (TLS 1.3 or 1.2 bodies, the key exchange's layout).
#[derive(Debug, Clone)]
pub struct Decoder {
    version: ProtocolVersion,
    kx: Option<Kx>,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder {
            version: ProtocolVersion::TLS12,
            kx: None,
        }
    }
}

impl Decoder {
    fn learn(&mut self, msg: &HandshakeMessage) {
        if let Some(c) = DecodeContext::chosen_by(msg) {
            self.version = c.version;
            self.kx = c.kx;
        }
    }

    /// A whole message (4-byte header, RFC 8446 §4) decoded, or why not.
    fn decode(&mut self, raw: &[u8]) -> Result<HandshakeMessage, String> {
        if raw.len() < 4 {
            return Err(format!(
                "{} bytes, shorter than a message header",
                raw.len()
            ));
        }
        let len = u32::from_be_bytes([0, raw[1], raw[2], raw[3]]) as usize;
        if len != raw.len() - 4 {
            return Err(format!(
                "the header says {len} bytes, {} follow",
                raw.len() - 4
            ));
        }
        let ctx = DecodeContext {
            version: self.version,
            kx: self.kx,
        };
        let msg = HandshakeMessage::decode(HandshakeType(raw[0]), &raw[4..], ctx)
            .map_err(|e| e.message)?;
        self.learn(&msg);
        Ok(msg)
    }
}

fn field<'a>(v: &'a Value, key: &str) -> Result<&'a Value, String> {
    v.get(key).ok_or_else(|| format!("without {key:?}"))
}

fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    field(v, key)?
        .as_str()
        .ok_or_else(|| format!("whose {key:?} is not text"))
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn dir(v: &Value) -> Result<Dir, String> {
    match text(v, "dir")? {
        "out" => Ok(Dir::Out),
        "in" => Ok(Dir::In),
        d => Err(format!("whose \"dir\" is {d:?}, not \"in\" or \"out\"")),
    }
}

/// Bytes from a hex key; None when the key is absent or null.
fn bytes(v: &Value, key: &str) -> Result<Option<Vec<u8>>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(h)) => ::hex::decode(h)
            .map(Some)
            .map_err(|_| format!("whose {key:?} is not hex")),
        Some(_) => Err(format!("whose {key:?} is not hex text")),
    }
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn checks(v: &Value) -> Vec<CheckText> {
    let Some(list) = v.get("checks").and_then(Value::as_array) else {
        return vec![];
    };
    list.iter()
        .map(|c| CheckText {
            what: c
                .get("what")
                .and_then(Value::as_str)
                .unwrap_or("check")
                .into(),
            ok: flag(c, "ok"),
            detail: c.get("detail").and_then(Value::as_str).unwrap_or("").into(),
        })
        .collect()
}

/// Title-line facts of a message shown from its JSON fields.
fn plain_facts(v: &Value) -> Vec<String> {
    let mut out = vec![];
    for key in [
        "version",
        "cipher_suite",
        "group",
        "selected_group",
        "signature_scheme",
    ] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            out.push(s.to_string());
        }
    }
    if let Some(n) = v.get("cipher_suites").and_then(Value::as_array) {
        out.push(format!("{} cipher suites", n.len()));
    }
    if let Some(c) = v.get("certificates").and_then(Value::as_array) {
        let subjects: Vec<&str> = c
            .iter()
            .filter_map(|c| c.get("subject").and_then(Value::as_str))
            .collect();
        let plural = if c.len() == 1 { "" } else { "s" };
        out.push(format!("{} certificate{plural}", c.len()));
        out.extend(subjects.iter().map(|s| s.to_string()));
    }
    if let Some(e) = v.get("extensions").and_then(Value::as_array) {
        let names: Vec<&str> = e
            .iter()
            .filter_map(|x| x.get("name").and_then(Value::as_str))
            .collect();
        if let Some((first, rest)) = names.split_first() {
            out.push(format!("extensions {first}"));
            out.extend(rest.iter().map(|n| n.to_string()));
        }
    }
    out
}

fn handshake(v: &Value, dec: &mut Decoder) -> Result<Item, String> {
    let dir = dir(v)?;
    let encrypted = flag(v, "encrypted");
    let cs = checks(v);
    let undecoded = match bytes(v, "hex")? {
        Some(raw) => match dec.decode(&raw) {
            Ok(msg) => {
                let e = Event::Handshake {
                    dir,
                    msg: Box::new(msg),
                    raw,
                    encrypted,
                    checks: vec![],
                };
                return Ok(Item::Handshake(e, cs));
            }
            Err(why) => Some(why),
        },
        None => None,
    };
    let m = PlainMessage {
        dir,
        name: text(v, "msg")?.to_string(),
        length: v.get("length").and_then(Value::as_u64).unwrap_or(0),
        encrypted,
        facts: plain_facts(v),
        undecoded,
    };
    Ok(Item::Plain(m, cs))
}

fn record(v: &Value) -> Result<Item, String> {
    let Some(raw) = bytes(v, "hex")? else {
        return Ok(Item::Skip);
    };
    let name = text(v, "content_type")?;
    let content_type = ContentType::from_name(name)
        .or_else(|| {
            facts::unnamed(name)
                .and_then(|c| u8::try_from(c).ok())
                .map(ContentType)
        })
        .ok_or_else(|| format!("whose content type {name:?} is unknown"))?;
    Ok(Item::Event(Event::Record {
        dir: dir(v)?,
        content_type,
        version: v
            .get("version")
            .and_then(Value::as_str)
            .and_then(facts::version)
            .unwrap_or(ProtocolVersion::TLS12),
        raw,
        encrypted: flag(v, "encrypted"),
        plaintext: bytes(v, "plaintext")?,
    }))
}

fn alert(v: &Value) -> Result<Item, String> {
    let level = match text(v, "level")? {
        "warning" => AlertLevel::Warning,
        "fatal" => AlertLevel::Fatal,
        l => AlertLevel::from_u8(
            facts::unnamed(l)
                .and_then(|x| u8::try_from(x).ok())
                .unwrap_or(255),
        ),
    };
    let d = text(v, "description")?;
    let description = facts::alert(d).ok_or_else(|| format!("whose alert {d:?} is unknown"))?;
    Ok(Item::Event(Event::Alert {
        dir: dir(v)?,
        level,
        description,
    }))
}

/// Who sent a plaintext line, as the live event names it.
fn from(v: &Value) -> &'static str {
    match v.get("from").and_then(Value::as_str) {
        Some("client") => "client",
        Some("server") => "server",
        Some("proxy") => "proxy",
        _ => "?",
    }
}

fn owned(v: &Value, key: &str) -> Result<String, String> {
    text(v, key).map(str::to_string)
}

/// One line of a known type into what the trace shows; Err says what is wrong with it.
pub fn item(v: &Value, dec: &mut Decoder) -> Result<Item, String> {
    let e = match super::known_type(v) {
        None => return Ok(Item::Skip),
        Some("handshake") => return handshake(v, dec),
        Some("record") => return record(v),
        Some("alert") => return alert(v),
        Some("info") => return Ok(Item::Info(owned(v, "message")?)),
        Some("warning") => return Ok(Item::Warning(owned(v, "message")?)),
        Some("connecting") => Event::Connecting {
            target: owned(v, "target")?,
            addr: owned(v, "addr")?,
        },
        Some("connected") => Event::Connected {
            addr: owned(v, "addr")?,
            local: owned(v, "local")?,
        },
        Some("connect_failed") => Event::ConnectFailed {
            addr: owned(v, "addr")?,
            error: owned(v, "error")?,
        },
        Some("accepted") => Event::Accepted {
            peer: owned(v, "peer")?,
        },
        Some("plaintext") => Event::Plaintext {
            dir: dir(v)?,
            from: from(v),
            text: owned(v, "text")?,
        },
        Some("change_cipher_spec") => Event::ChangeCipherSpec {
            dir: dir(v)?,
            middlebox: flag(v, "middlebox"),
        },
        Some("keys") => Event::Keys(KeyEvent {
            label: owned(v, "label")?,
            derivation: owned(v, "derivation")?,
            keylog_label: None,
            secret: bytes(v, "secret")?,
        }),
        Some("verify") => Event::Verify {
            ok: flag(v, "ok"),
            errors: strings(v, "errors"),
            detail: strings(v, "detail"),
        },
        Some("app_data") => Event::AppData {
            dir: dir(v)?,
            data: match v.get("text").and_then(Value::as_str) {
                Some(t) => t.as_bytes().to_vec(),
                None => bytes(v, "hex")?.unwrap_or_default(),
            },
        },
        Some("summary") => Event::Summary(Box::new(facts::summary(v))),
        Some("closed") => Event::Closed(Box::new(facts::closed(v))),
        Some(_) => return Ok(Item::Skip),
    };
    Ok(Item::Event(e))
}
