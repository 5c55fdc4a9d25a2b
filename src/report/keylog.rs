//! The NSS key log (the SSLKEYLOGFILE format, `LABEL client_random secret` in hex, one line
//! per secret): one file shared by every connection of the process, and the sink that writes
//! a connection's secrets to it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::sink::Sink;
use crate::event::Event;
use crate::wire::handshake::HandshakeMessage;

/// A key log file, appended to by all connections.
pub struct KeyLog {
    file: Mutex<File>,
}

impl KeyLog {
    /// Opens (creates) `path` for appending.
    pub fn open(path: &Path) -> io::Result<Arc<KeyLog>> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Arc::new(KeyLog {
            file: Mutex::new(file),
        }))
    }

    /// One line, written whole; a failing write is ignored (the key log is a side output).
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

/// One connection's secrets into the shared key log: the lines are keyed by the
/// ClientHello's random, taken from the hello as it goes by (sent or received).
pub struct KeyLogSink {
    log: Arc<KeyLog>,
    client_random: Option<[u8; 32]>,
}

impl KeyLogSink {
    pub fn new(log: Arc<KeyLog>) -> KeyLogSink {
        KeyLogSink {
            log,
            client_random: None,
        }
    }
}

impl Sink for KeyLogSink {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        match e {
            Event::Handshake { msg, .. } => {
                if let HandshakeMessage::ClientHello(ch) = &**msg {
                    self.client_random = Some(ch.random);
                }
            }
            Event::Keys(k) => {
                if let (Some(label), Some(secret), Some(cr)) =
                    (k.keylog_label, &k.secret, &self.client_random)
                {
                    self.log.write_line(label, cr, secret);
                }
            }
            _ => {}
        }
        Ok(())
    }
}
