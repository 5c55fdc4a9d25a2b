//! Where events go: the human trace on stderr or JSON Lines on stdout, received application
//! data on stdout, secrets to the key log. Also the colour decision and the certificate
//! verifier the commands plug into the core.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::cli::ColorChoice;
use crate::event::{Dir, Event, Info, Summary};
use crate::handshake::config::{ChainCheck, ChainVerifier};
use crate::pki::trust::TrustStore;
use crate::pki::verify::{now_unix, verify_client, verify_server, VerifyOutcome};
use crate::report::{human::Human, json};
use crate::wire::handshake::HandshakeMessage;

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

/// An NSS key log (the SSLKEYLOGFILE format), shared by all connections.
pub struct KeyLog {
    file: Mutex<File>,
}

impl KeyLog {
    pub fn open(path: &Path) -> Result<Arc<KeyLog>, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot open key log {}: {e}", path.display()))?;
        Ok(Arc::new(KeyLog {
            file: Mutex::new(file),
        }))
    }

    fn write_line(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let line = format!(
            "{label} {} {}\n",
            hex::encode(client_random),
            hex::encode(secret)
        );
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = f.write_all(line.as_bytes());
        let _ = f.flush();
    }
}

/// One connection's view of the outputs.
pub struct Output {
    pub json: bool,
    pub human: Human,
    /// Write received application data to stdout (connect, listen --mode pipe).
    pub app_to_stdout: bool,
    /// Connection number for listen's JSON lines.
    pub conn: Option<u64>,
    pub keylog: Option<Arc<KeyLog>>,
    client_random: Option<[u8; 32]>,
    pub last_summary: Option<Summary>,
    pub verify_errors: Vec<String>,
    /// Received application data (listen's http/echo modes read it from here).
    pub received: Vec<u8>,
    pub keep_received: bool,
    /// Print nothing at all.
    pub silent: bool,
}

impl Output {
    /// `hex` is the `--hex` count: with it the human trace shows every record's bytes and the
    /// key schedule's values.
    pub fn new(json: bool, quiet: bool, hex: u8) -> Output {
        Output {
            json,
            human: Human::new(quiet, hex > 0, hex),
            app_to_stdout: false,
            conn: None,
            keylog: None,
            client_random: None,
            last_summary: None,
            verify_errors: vec![],
            received: vec![],
            keep_received: false,
            silent: false,
        }
    }

    pub fn event(&mut self, e: Event) -> io::Result<()> {
        match &e {
            Event::Handshake { msg, .. } => {
                if let HandshakeMessage::ClientHello(ch) = &**msg {
                    self.client_random = Some(ch.random);
                }
            }
            Event::Keys(k) => {
                if let (Some(kl), Some(label), Some(secret), Some(cr)) =
                    (&self.keylog, k.keylog_label, &k.secret, &self.client_random)
                {
                    kl.write_line(label, cr, secret);
                }
            }
            Event::Summary(s) => self.last_summary = Some((**s).clone()),
            Event::Verify { errors, .. } => self.verify_errors = errors.clone(),
            Event::AppData { dir: Dir::In, data } => {
                if self.keep_received {
                    self.received.extend_from_slice(data);
                }
                if self.app_to_stdout && !self.json {
                    let mut so = io::stdout().lock();
                    so.write_all(data)?;
                    so.flush()?;
                }
            }
            _ => {}
        }
        if self.silent {
            return Ok(());
        }
        if self.json {
            let mut v = json::event(&e);
            if let Some(n) = self.conn {
                v["conn"] = serde_json::json!(n);
            }
            let mut so = io::stdout().lock();
            writeln!(so, "{v}")?;
            so.flush()
        } else {
            let lines = self.human.render(&e);
            if lines.is_empty() {
                return Ok(());
            }
            let mut text = lines.join("\n");
            text.push('\n');
            io::stderr().lock().write_all(text.as_bytes())
        }
    }

    /// A free-form status line (human: stderr; JSON: an `info` event).
    pub fn info(&mut self, info: Info) -> io::Result<()> {
        self.event(Event::Info(info))
    }
}

fn outcome_to_check(store: &TrustStore, r: VerifyOutcome) -> ChainCheck {
    let mut detail = vec![format!("trust store: {}", store.source())];
    if !r.path.is_empty() {
        detail.push(format!("path: {}", r.path.join(" ← ")));
    }
    if let Some(a) = &r.anchor {
        detail.push(format!("trust anchor: {a}"));
    }
    for i in &r.unused {
        detail.push(format!(
            "certificate [{i}] was sent but not needed for the path"
        ));
    }
    ChainCheck {
        ok: r.ok,
        errors: r.errors,
        detail,
    }
}

/// Verifies a server's chain for a host name or IP (rustls-webpki, via `pki::verify`).
pub struct ServerVerifier {
    pub store: Arc<TrustStore>,
    pub host: String,
}

impl ChainVerifier for ServerVerifier {
    fn verify(&self, chain: &[Vec<u8>]) -> ChainCheck {
        let r = verify_server(&self.store, chain, &self.host, now_unix());
        let mut c = outcome_to_check(&self.store, r);
        c.detail.insert(0, format!("name checked: {}", self.host));
        c
    }
}

/// Verifies client chains (EKU clientAuth).
pub struct ClientVerifier {
    pub store: Arc<TrustStore>,
}

impl ChainVerifier for ClientVerifier {
    fn verify(&self, chain: &[Vec<u8>]) -> ChainCheck {
        outcome_to_check(&self.store, verify_client(&self.store, chain, now_unix()))
    }
}
