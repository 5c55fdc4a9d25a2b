//! Where events go: one trait, [`Sink`], that every output implements (the human trace, JSON
//! Lines, the key log in `report::keylog`), and [`Sinks`], the fan-out a command assembles
//! from what the user asked for. The shape is ripgrep's printers': the work (here the
//! connection, driven by `net::driver`) pushes into a sink and knows nothing of formats.
//!
//! Sinks write text and files; they never touch a socket. Application data does not pass
//! through them either: the driver hands it to the command on its own path, and the sinks
//! only see the `app_data` event about it.

use std::io::{self, Write};

use super::human::Human;
use super::json_bytes::JsonEncoder;
use crate::event::Event;

/// Takes the events of a connection, one at a time, in order.
pub trait Sink {
    /// Takes one event. An error ends the connection; a closed pipe (`BrokenPipe`) ends it
    /// quietly.
    fn event(&mut self, e: &Event) -> io::Result<()>;

    /// Whether a flight's events must reach this sink before its bytes are sent. A sink that
    /// shows both ends of a connection in one process (demo) needs it, so that the peer's
    /// view of a message comes after ours; the default (after) keeps the peer from waiting
    /// for the rendering.
    fn events_before_send(&self) -> bool {
        false
    }
}

/// Any closure over an event is a sink (tests, and callers that keep a few facts).
impl<F: FnMut(&Event) -> io::Result<()>> Sink for F {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self(e)
    }
}

/// Several sinks: each event goes to each, in the order they were added; the first error
/// stops it. Empty, it shows nothing.
#[derive(Default)]
pub struct Sinks(Vec<Box<dyn Sink>>);

impl Sinks {
    pub fn new() -> Sinks {
        Sinks::default()
    }

    /// Adds a sink after the others.
    pub fn push(&mut self, sink: impl Sink + 'static) {
        self.0.push(Box::new(sink));
    }
}

impl Sink for Sinks {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|s| s.event(e))
    }

    fn events_before_send(&self) -> bool {
        self.0.iter().any(|s| s.events_before_send())
    }
}

/// The human trace on stderr (`report::human`): each event's lines written at once.
pub struct HumanSink {
    human: Human,
}

impl HumanSink {
    pub fn new(human: Human) -> HumanSink {
        HumanSink { human }
    }
}

impl Sink for HumanSink {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        let lines = self.human.render(e);
        if lines.is_empty() {
            return Ok(());
        }
        let mut text = lines.join("\n");
        text.push('\n');
        io::stderr().lock().write_all(text.as_bytes())
    }
}

/// JSON Lines on stdout (`report::json`, with `--hex` the bytes of `report::json_bytes`), one
/// object per event, flushed at once; listen's connections add `"conn": n`.
pub struct JsonSink {
    encoder: JsonEncoder,
}

impl JsonSink {
    /// `conn`: the connection number each line carries (listen), if any; `hex`: the `--hex`
    /// count (any level adds each record's spans and each message's bytes).
    pub fn new(conn: Option<u64>, hex: u8) -> JsonSink {
        JsonSink {
            encoder: JsonEncoder::new(conn, hex),
        }
    }
}

impl Sink for JsonSink {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        let v = self.encoder.encode(e);
        let mut so = io::stdout().lock();
        writeln!(so, "{v}")?;
        so.flush()
    }
}
