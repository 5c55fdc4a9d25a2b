//! Both ends of demo's connection in one output: each side's events marked as the client's
//! or the server's (a `client │ ` / `server │ ` column on every human line, `"side"` on every
//! JSON line), written one whole event at a time on one stage shared by the two threads.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

use crate::commands::output::OutputChoice;
use crate::event::Event;
pub use crate::handshake::Side;
use crate::report::html::sink::HtmlSink;
use crate::report::human::Human;
use crate::report::json_bytes::JsonEncoder;
use crate::report::replay::side_prefix;
use crate::report::sink::{Sink, Sinks};

/// Makes each side's sinks from what the user asked to see (`--json`, `-q`, `--hex`, the key
/// log); the sides share one stage, so an event's output is never cut by the other side's.
#[derive(Clone)]
pub struct SideOutput {
    output: OutputChoice,
    stage: Arc<Mutex<Stage>>,
}

/// What the two sides share, behind one lock: for the human trace, both sides' renderers.
/// A renderer holds back the names of the keys it derived until its side's next event; an
/// event of the other side lets them out first, so they keep their place in time.
struct Stage {
    /// The client's and the server's (None with `--json`).
    humans: Option<[Human; 2]>,
}

impl SideOutput {
    pub fn new(output: OutputChoice) -> SideOutput {
        let human = |side: Side| {
            let mut h = Human::new(output.quiet, output.hex > 0, output.hex);
            h.prefix = side_prefix(side.name());
            h
        };
        let humans = (!output.json).then(|| [human(Side::Client), human(Side::Server)]);
        SideOutput {
            output,
            stage: Arc::new(Mutex::new(Stage { humans })),
        }
    }

    /// The sinks of one side: its trace, marked with the side, and on the client's side the
    /// page (`--html`) and the key log (both sides derive the same secrets; the client writes each once, as a browser
    /// with SSLKEYLOGFILE does).
    pub fn sinks(&self, side: Side) -> Sinks {
        let keylog = match side {
            Side::Client => self.output.keylog_only(),
            Side::Server => Sinks::new(),
        };
        let mut sinks = Sinks::new();
        // The page (`--html`) is drawn from the client's events: its ladder has both columns.
        if let (Side::Client, Some(path)) = (side, &self.output.html) {
            sinks.push(HtmlSink::new(path.clone(), None, self.output.hex));
        }
        sinks.push(OneSide {
            side,
            keylog,
            encoder: JsonEncoder::new(None, self.output.hex),
            stage: self.stage.clone(),
        });
        sinks
    }
}

/// One side's output: the key log first (when it has one), then its trace on the shared
/// stage. Its events come before the bytes they describe are sent, so the peer's view of a
/// message always follows ours.
struct OneSide {
    side: Side,
    keylog: Sinks,
    /// This side's JSON (with `--hex`, its own annotator over the records it sees).
    encoder: JsonEncoder,
    stage: Arc<Mutex<Stage>>,
}

impl Sink for OneSide {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        let mut stage = self.stage.lock().unwrap_or_else(|p| p.into_inner());
        self.keylog.event(e)?;
        let Some(humans) = &mut stage.humans else {
            return write_json(self.encoder.encode(e), self.side);
        };
        let (mine, other) = match self.side {
            Side::Client => (0, 1),
            Side::Server => (1, 0),
        };
        let mut lines = humans[other].flush();
        lines.extend(humans[mine].render(e));
        write_lines(&lines)
    }

    fn events_before_send(&self) -> bool {
        true
    }
}

/// An event's lines on stderr, written at once (as `report::sink::HumanSink` does).
fn write_lines(lines: &[String]) -> io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut text = lines.join("\n");
    text.push('\n');
    io::stderr().lock().write_all(text.as_bytes())
}

/// One JSON line on stdout (`report::json_bytes`), with `"side"` right after `"type"`, flushed.
fn write_json(v: Value, side: Side) -> io::Result<()> {
    let v = with_side(v, side);
    let mut so = io::stdout().lock();
    writeln!(so, "{v}")?;
    so.flush()
}

/// `v` with `"side"` after its `"type"` (first if it has none).
fn with_side(v: Value, side: Side) -> Value {
    let Value::Object(fields) = v else {
        return v;
    };
    let mut out = Map::new();
    if !fields.contains_key("type") {
        out.insert("side".into(), json!(side.name()));
    }
    for (k, val) in fields {
        let after = k == "type";
        out.insert(k, val);
        if after {
            out.insert("side".into(), json!(side.name()));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_follows_type() {
        let v = with_side(
            json!({"type": "closed", "reason": "tcp_close"}),
            Side::Server,
        );
        assert_eq!(
            v.to_string(),
            r#"{"type":"closed","side":"server","reason":"tcp_close"}"#
        );
        let v = with_side(json!({"a": 1}), Side::Client);
        assert_eq!(v.to_string(), r#"{"side":"client","a":1}"#);
    }

    #[test]
    fn markers_are_one_width() {
        colored::control::set_override(false);
        assert_eq!(side_prefix(Side::Client.name()), "client │ ");
        assert_eq!(side_prefix(Side::Server.name()), "server │ ");
    }
}
