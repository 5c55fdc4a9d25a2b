//! The human trace of a saved transcript (`tlsprobe view`): the events `report::transcript`
//! rebuilt from each line, fed to one `Human` per connection (listen's `conn`, demo's
//! `side`) with the live run's prefixes, so the lines are the ones the live run printed;
//! checks, info and warnings in the words the JSON kept.

use colored::Colorize;
use serde_json::Value;

use super::checks::detail;
use super::human::{check_text_line, plain_message_lines, weak, Human};
use super::transcript::{CheckText, Decoder, Item, PlainMessage};
use crate::event::CheckKind;

/// Which connection a line belongs to: listen's `conn` number and demo's `side`.
type Key = (Option<u64>, Option<String>);

/// One connection's renderer (its byte view keeps state from record to record) and decoder.
struct Conn {
    key: Key,
    human: Human,
    decoder: Decoder,
}

/// Renders a transcript line by line.
pub struct Replay {
    /// The time certificates are judged against; None = now (tests fix it).
    pub now: Option<i64>,
    quiet: bool,
    hex: u8,
    conns: Vec<Conn>,
}

/// The column that starts a demo side's lines, as the live demo prints it: the side's name
/// (the client's cyan, the server's yellow) and a bar, `client │ `.
pub fn side_prefix(side: &str) -> String {
    let name = match side {
        "client" => side.cyan(),
        "server" => side.yellow(),
        _ => side.normal(),
    };
    format!("{name} {} ", "│".dimmed())
}

/// The live trace's "!" (a warning, not a failure): the server asked for a client
/// certificate we did not have (`CheckKind::ClientCertificateRequested`).
fn warn_only(c: &CheckText) -> bool {
    c.detail == detail(&CheckKind::ClientCertificateRequested { have_cert: false })
}

impl Replay {
    /// `quiet` and `hex` as for the live trace (`-q`, `--hex` level); secrets show with
    /// `--hex` when the transcript has them.
    pub fn new(quiet: bool, hex: u8) -> Replay {
        Replay {
            now: None,
            quiet,
            hex,
            conns: vec![],
        }
    }

    fn conn(&mut self, key: Key) -> &mut Conn {
        let i = match self.conns.iter().position(|c| c.key == key) {
            Some(i) => i,
            None => {
                let mut human = Human::new(self.quiet, self.hex > 0, self.hex);
                human.now = self.now;
                if let Some(n) = key.0 {
                    human.prefix = format!("[#{n}] ");
                }
                if let Some(side) = &key.1 {
                    human.prefix.push_str(&side_prefix(side));
                }
                self.conns.push(Conn {
                    key,
                    human,
                    decoder: Decoder::default(),
                });
                self.conns.len() - 1
            }
        };
        &mut self.conns[i]
    }

    /// The lines of one transcript line; Err says what is wrong with it.
    pub fn line(&mut self, v: &Value) -> Result<Vec<String>, String> {
        let key = (
            v.get("conn").and_then(Value::as_u64),
            v.get("side").and_then(Value::as_str).map(str::to_string),
        );
        let quiet = self.quiet;
        let c = self.conn(key);
        let item = super::transcript::events::item(v, &mut c.decoder)?;
        let h = &c.human;
        let mut own = vec![];
        let mut out = match item {
            Item::Skip => return Ok(vec![]),
            Item::Event(e) => return Ok(h.render(&e)),
            Item::Handshake(e, cs) => {
                let mut out = h.render(&e);
                if !quiet {
                    own.extend(check_lines(&cs));
                }
                out.append(&mut prefixed(h, own));
                return Ok(out);
            }
            Item::Plain(m, cs) => {
                if !quiet {
                    own = plain_lines(&m);
                    own.extend(check_lines(&cs));
                }
                h.flush()
            }
            Item::Info(m) => {
                if !quiet {
                    own.push(format!("* {m}"));
                }
                h.flush()
            }
            Item::Warning(m) => {
                own.push(format!("{} {m}", weak("warning:")));
                h.flush()
            }
        };
        out.append(&mut prefixed(h, own));
        Ok(out)
    }

    /// Lines still held back at the end (keys collapsed into one line).
    pub fn finish(&mut self) -> Vec<String> {
        self.conns.iter().flat_map(|c| c.human.flush()).collect()
    }
}

fn prefixed(h: &Human, lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| format!("{}{l}", h.prefix))
        .collect()
}

fn check_lines(cs: &[CheckText]) -> Vec<String> {
    cs.iter()
        .map(|c| check_text_line(c.ok, warn_only(c), &c.what, &c.detail))
        .collect()
}

/// A message shown from its JSON fields: the title line, and why its bytes are not decoded.
fn plain_lines(m: &PlainMessage) -> Vec<String> {
    let mut out = plain_message_lines(m.dir, &m.name, m.length, m.encrypted, &m.facts);
    if let Some(why) = &m.undecoded {
        out.push(format!(
            "    {}",
            format!("(its bytes do not decode: {why})").dimmed()
        ));
    }
    out
}
