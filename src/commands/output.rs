//! What the user asked to see, assembled into sinks (`report::sink`): the key log first when
//! asked for, then the trace, human on stderr or JSON Lines on stdout. Also where the pipe
//! writes what the peer sends (its own path, not a sink), and the colour decision. The
//! certificate verifiers the commands plug into the core are `commands::verifier`'s,
//! re-exported here.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use super::options;
use super::CliError;
use crate::cli::{ColorChoice, TlsArgs};
use crate::report::html::sink::{check_writable, numbered, HtmlSink};
use crate::report::human::Human;
use crate::report::keylog::{KeyLog, KeyLogSink};
use crate::report::sink::{HumanSink, JsonSink, Sinks};

pub use super::verifier::{ClientVerifier, ServerVerifier};

/// Decides colour once for the process (cli.md `--color`).
pub fn setup_color(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stderr().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// The output options of a command: `--json`, `-q`, `--hex` and the key log.
#[derive(Clone, Default)]
pub struct OutputChoice {
    pub json: bool,
    pub quiet: bool,
    /// `--hex` count: with it the human trace shows every record's bytes and the key
    /// schedule's values.
    pub hex: u8,
    /// `--keylog` or SSLKEYLOGFILE, opened once and shared by every connection.
    pub keylog: Option<Arc<KeyLog>>,
    /// `--html FILE`: the page of each connection (listen: numbered, `report::html::sink`).
    pub html: Option<PathBuf>,
}

impl OutputChoice {
    /// From the common TLS options; the key log is opened here (exit 2 when it cannot be).
    pub fn from_args(tls: &TlsArgs) -> anyhow::Result<OutputChoice> {
        let keylog = match options::keylog_path(tls) {
            Some(p) => Some(KeyLog::open(&p).map_err(|e| {
                CliError::usage(format!("cannot open key log {}: {e}", p.display()))
            })?),
            None => None,
        };
        if let Some(p) = &tls.html {
            check_writable(p).map_err(|e| {
                CliError::usage(format!("cannot write the HTML page {}: {e}", p.display()))
            })?;
        }
        Ok(OutputChoice {
            json: tls.json,
            quiet: tls.quiet,
            hex: tls.hex,
            keylog,
            html: tls.html.clone(),
        })
    }

    /// The sinks of one connection: the key log (when asked for), the trace, then the page
    /// (`--html`). `conn` is
    /// listen's connection number: each human line starts with "[#n] ", each JSON line
    /// carries `"conn": n`.
    pub fn sinks(&self, conn: Option<u64>) -> Sinks {
        let mut sinks = self.keylog_only();
        if self.json {
            sinks.push(JsonSink::new(conn, self.hex));
        } else {
            let mut human = Human::new(self.quiet, self.hex > 0, self.hex);
            if let Some(n) = conn {
                human.prefix = format!("[#{n}] ");
            }
            sinks.push(HumanSink::new(human));
        }
        if let Some(p) = &self.html {
            let path = conn.map_or_else(|| p.clone(), |n| numbered(p, n));
            sinks.push(HtmlSink::new(path, conn, self.hex));
        }
        sinks
    }

    /// The key log alone (when asked for), no trace: a connection that prints nothing.
    pub fn keylog_only(&self) -> Sinks {
        let mut sinks = Sinks::new();
        if let Some(log) = &self.keylog {
            sinks.push(KeyLogSink::new(log.clone()));
        }
        sinks
    }

    /// Where the pipe writes the data the peer sends: stdout, unless stdout carries the JSON
    /// Lines (then only the `app_data` events show it).
    pub fn pipe_output(&self) -> Box<dyn Write + Send> {
        if self.json {
            Box::new(io::sink())
        } else {
            Box::new(io::stdout())
        }
    }
}
