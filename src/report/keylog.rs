//! The NSS key log (the SSLKEYLOGFILE format, `LABEL client_random secret` in hex, one line
//! per secret): one file shared by every connection of the process, and the sink that writes
//! a connection's secrets to it. A new key log file is readable by its owner only (0600):
//! it holds every secret needed to decrypt the captured traffic.

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
    /// Opens `path` for appending. A file that does not exist yet is created with mode 0600
    /// (owner read/write, whatever the umask allows beyond that is not granted); an existing
    /// file keeps its mode and is appended to.
    pub fn open(path: &Path) -> io::Result<Arc<KeyLog>> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Applies only when the file is created (open(2) with O_CREAT).
            options.mode(0o600);
        }
        let file = options.open(path)?;
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_owner_only_and_an_existing_one_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.log");
        KeyLog::open(&new)
            .unwrap()
            .write_line("CLIENT_RANDOM", &[1; 32], &[2; 48]);
        assert_eq!(mode(&new), 0o600);

        let old = dir.path().join("old.log");
        std::fs::write(&old, "# kept\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        KeyLog::open(&old)
            .unwrap()
            .write_line("CLIENT_RANDOM", &[3; 32], &[4; 48]);
        assert_eq!(mode(&old), 0o640);
        let text = std::fs::read_to_string(&old).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0], "# kept");
        assert!(lines[1].starts_with(&format!("CLIENT_RANDOM {} ", "03".repeat(32))));
    }
}
