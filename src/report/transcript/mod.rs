//! Reading a saved transcript back (`tlsprobe view`): the JSON Lines that `--json` wrote, each
//! line bounded, parsed and checked to be a tlsprobe event, a last line cut off mid-write
//! tolerated. `events` rebuilds from each line the event the live trace rendered; `facts`
//! the summary and closing facts.

pub(crate) mod events;
mod facts;
#[cfg(test)]
mod tests;

use std::io::{self, BufRead};

use serde_json::Value;

pub use events::{CheckText, Decoder, Item, PlainMessage};

/// Longest line read (a handshake message of 256 KiB with its spans fits many times over).
pub const MAX_LINE: usize = 32 << 20;
/// Most bytes read from one transcript.
pub const MAX_TOTAL: u64 = 256 << 20;

/// The event types tlsprobe writes (cli.md "JSON output").
pub const TYPES: &[&str] = &[
    "connecting",
    "connected",
    "connect_failed",
    "accepted",
    "plaintext",
    "record",
    "handshake",
    "change_cipher_spec",
    "alert",
    "keys",
    "verify",
    "app_data",
    "info",
    "warning",
    "summary",
    "closed",
];

/// One event line: its number in the file (from 1) and its object.
#[derive(Debug, Clone)]
pub struct Line {
    pub number: usize,
    pub value: Value,
}

/// The events of a transcript, and what was odd about the file (shown as warnings).
#[derive(Debug, Default)]
pub struct Transcript {
    pub lines: Vec<Line>,
    pub warnings: Vec<String>,
}

/// Why a transcript could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read (exit 1).
    Io(io::Error),
    /// It is not a tlsprobe transcript: the sentence names the line (exit 2).
    NotTranscript(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotTranscript(s) => f.write_str(s),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

fn not_transcript(s: String) -> ReadError {
    ReadError::NotTranscript(s)
}

/// The event type of a line, when it is one tlsprobe writes.
pub fn known_type(v: &Value) -> Option<&'static str> {
    let t = v.get("type")?.as_str()?;
    TYPES.iter().copied().find(|k| *k == t)
}

/// Reads one line of at most `max` bytes (without its `\n`); None at end of input. The flag
/// says whether the line ended with `\n` (false: the input ended in it).
fn read_line(
    r: &mut dyn BufRead,
    max: usize,
    number: usize,
) -> Result<Option<(Vec<u8>, bool)>, ReadError> {
    let mut line = vec![];
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok((!line.is_empty()).then_some((line, false)));
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i, true),
            None => (buf.len(), false),
        };
        if line.len() + take > max {
            return Err(not_transcript(format!(
                "line {number} is longer than {} MiB: not a tlsprobe transcript",
                max >> 20
            )));
        }
        line.extend_from_slice(&buf[..take]);
        r.consume(take + usize::from(done));
        if done {
            return Ok(Some((line, true)));
        }
    }
}

/// Control characters in every string escaped (`\u{1b}`): a transcript from elsewhere is
/// untrusted, and its text must not drive the terminal it is shown on.
fn defuse(v: &mut Value) {
    match v {
        Value::String(s) if s.chars().any(char::is_control) => {
            *s = s
                .chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
        }
        Value::Array(a) => a.iter_mut().for_each(defuse),
        Value::Object(m) => m.values_mut().for_each(defuse),
        _ => {}
    }
}

/// One line checked: None for a blank line, else an object with a "type".
fn check_line(bytes: &[u8], number: usize) -> Result<Option<Value>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("line {number} is not UTF-8 text: not a tlsprobe transcript"))?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut v: Value = serde_json::from_str(text)
        .map_err(|e| format!("line {number} is not JSON ({e}): not a tlsprobe transcript"))?;
    defuse(&mut v);
    let Some(obj) = v.as_object() else {
        return Err(format!(
            "line {number} is not a JSON object: not a tlsprobe transcript"
        ));
    };
    if obj.get("type").and_then(Value::as_str).is_none() {
        if obj.contains_key("target") && obj.contains_key("protocols") {
            return Err(format!(
                "line {number} is a scan report (tlsprobe scan --json), not a connection transcript (connect, listen or demo --json)"
            ));
        }
        return Err(format!(
            "line {number} has no \"type\": not a tlsprobe transcript (connect, listen or demo --json)"
        ));
    }
    Ok(Some(v))
}

/// Reads a whole transcript: every line checked before anything is shown. A bad line is an
/// error naming it, except the last line when the input ends inside it (a transcript cut off
/// mid-write): that one is dropped with a warning. Event types this version does not know
/// are kept (the caller skips them) with one warning each. Without `keep_spans` the records'
/// `spans` and `inner` are dropped as they are read (the trace annotates the bytes again;
/// only the page draws the saved spans), which keeps a large transcript's memory small.
pub fn read(r: &mut dyn BufRead, keep_spans: bool) -> Result<Transcript, ReadError> {
    let mut t = Transcript::default();
    let mut total = 0u64;
    let mut number = 0;
    let mut unknown: Vec<String> = vec![];
    while let Some((bytes, complete)) = read_line(r, MAX_LINE, number + 1)? {
        number += 1;
        total += bytes.len() as u64 + 1;
        if total > MAX_TOTAL {
            return Err(not_transcript(format!(
                "more than {} MiB: too large for a transcript (view reads at most that)",
                MAX_TOTAL >> 20
            )));
        }
        match check_line(&bytes, number) {
            Ok(None) => {}
            Ok(Some(mut value)) => {
                if !keep_spans {
                    if let Some(m) = value.as_object_mut() {
                        m.remove("spans");
                        m.remove("inner");
                    }
                }
                if known_type(&value).is_none() {
                    let ty = value["type"].as_str().unwrap_or_default().to_string();
                    if !unknown.contains(&ty) {
                        t.warnings.push(format!(
                            "line {number}: event type {ty:?} is not one this version knows (skipped)"
                        ));
                        unknown.push(ty);
                    }
                }
                t.lines.push(Line { number, value });
            }
            Err(_) if !complete => t.warnings.push(format!(
                "line {number} is cut off (the transcript ends inside it): ignored"
            )),
            Err(e) => return Err(not_transcript(e)),
        }
    }
    if !t.lines.iter().any(|l| known_type(&l.value).is_some()) {
        return Err(not_transcript(
            "no tlsprobe events in it: not a transcript (record one with `tlsprobe connect --json`)"
                .into(),
        ));
    }
    Ok(t)
}
