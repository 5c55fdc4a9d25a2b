//! `--html FILE`: the sink that keeps a run's JSON events and writes the page
//! (`report::html::page`) each time a connection closes, to a temporary file in the same
//! directory renamed over FILE, so FILE is never partly written.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::event::Event;
use crate::report::json_bytes::JsonEncoder;
use crate::report::sink::Sink;

/// Application data kept for the page, in bytes; past it the text and the bytes of
/// application data records are left out (a long pipe session must not grow without bound).
const APP_DATA_KEPT: usize = 1 << 20;
const NOT_KEPT: &str = "(not kept: the page keeps the first MiB of application data)";

/// Keeps the events of a run (connect with `--reconnect`: both connections) or of one of
/// listen's connections, and writes the page when a connection closes.
pub struct HtmlSink {
    path: PathBuf,
    conn: Option<u64>,
    hex: u8,
    /// The events as `--json` writes them (with `--hex`, the bytes and spans too).
    encoder: JsonEncoder,
    events: Vec<Value>,
    app_data: usize,
}

impl HtmlSink {
    /// `conn`: listen's connection number, carried by each event as in `--json`; `hex`: the
    /// `--hex` count (any level records the bytes).
    pub fn new(path: PathBuf, conn: Option<u64>, hex: u8) -> HtmlSink {
        HtmlSink {
            path,
            conn,
            hex,
            encoder: JsonEncoder::new(conn, hex),
            events: vec![],
            app_data: 0,
        }
    }

    fn keep(&mut self, e: &Event) {
        let mut v = self.encoder.encode(e);
        let over = self.app_data > APP_DATA_KEPT;
        match v["type"].as_str() {
            Some("app_data") => {
                let len = v["len"].as_u64().unwrap_or(0) as usize;
                self.app_data = self.app_data.saturating_add(len);
                if self.app_data > APP_DATA_KEPT {
                    if let Some(obj) = v.as_object_mut() {
                        obj.remove("hex");
                        obj.insert("text".into(), Value::from(NOT_KEPT));
                    }
                }
            }
            Some("record") if over && v["content_type"] == "application_data" => {
                if let Some(obj) = v.as_object_mut() {
                    for k in ["spans", "inner", "plaintext"] {
                        obj.remove(k);
                    }
                    obj.insert("hex".into(), Value::from(""));
                }
            }
            _ => {}
        }
        self.events.push(v);
    }
}

impl Sink for HtmlSink {
    fn event(&mut self, e: &Event) -> io::Result<()> {
        self.keep(e);
        if !matches!(e, Event::Closed(_)) {
            return Ok(());
        }
        // The byte view's state is one connection's: --reconnect's next one starts afresh.
        self.encoder = JsonEncoder::new(self.conn, self.hex);
        let page = super::page(&self.events).map_err(|e| io::Error::other(format!("{e:#}")))?;
        let private = self.events.iter().any(|v| v.get("secret").is_some());
        write_whole(&self.path, page.as_bytes(), private).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot write the HTML page {}: {e}", self.path.display()),
            )
        })
    }
}

/// Listen's page for connection `n`: the number before the extension ("page.html" →
/// "page-3.html"; "page" → "page-3").
pub fn numbered(path: &Path, n: u64) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

/// The directory a page goes to ("." for a bare file name).
fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A temporary name beside `path`, unique to this process and moment.
fn temporary(path: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    directory(path).join(format!(".{name}.{}.{nanos}.tmp", std::process::id()))
}

/// Writes `data` to a temporary file beside `path`, then renames it over `path`. A page
/// with secrets in it (`private`: the key schedule's values) is owner-only (0600), as the key
/// log is.
pub fn write_whole(path: &Path, data: &[u8], private: bool) -> io::Result<()> {
    let tmp = temporary(path);
    let r = create(&tmp, private)
        .and_then(|mut f| f.write_all(data))
        .and_then(|_| std::fs::rename(&tmp, path));
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

fn create(path: &Path, private: bool) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)
}

/// Whether a page can be written at `path` (checked before connecting): not a directory,
/// in a directory where a file can be created.
pub fn check_writable(path: &Path) -> Result<(), String> {
    if path.as_os_str().is_empty() {
        return Err("the file name is empty".into());
    }
    if path.is_dir() {
        return Err("it is a directory".into());
    }
    let dir = directory(path);
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let probe = temporary(path);
    std::fs::write(&probe, b"")
        .map_err(|e| format!("cannot create a file in {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_pages_number_before_the_extension() {
        assert_eq!(
            numbered(Path::new("/tmp/page.html"), 3),
            PathBuf::from("/tmp/page-3.html")
        );
        assert_eq!(numbered(Path::new("page"), 12), PathBuf::from("page-12"));
        assert_eq!(
            numbered(Path::new("a.b.htm"), 1),
            PathBuf::from("a.b-1.htm")
        );
    }

    #[test]
    fn unwritable_places_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_writable(dir.path()).is_err());
        assert!(check_writable(&dir.path().join("no/such/dir/p.html")).is_err());
        assert!(check_writable(&dir.path().join("p.html")).is_ok());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the probe file is removed"
        );
    }

    #[test]
    fn application_data_is_kept_up_to_a_bound() {
        let mut sink = HtmlSink::new(PathBuf::from("unused.html"), Some(4), 0);
        let big = vec![b'a'; APP_DATA_KEPT];
        for _ in 0..2 {
            let e = Event::AppData {
                dir: crate::event::Dir::In,
                data: big.clone(),
            };
            sink.event(&e).unwrap();
        }
        assert_eq!(
            sink.events[0]["text"].as_str().map(str::len),
            Some(APP_DATA_KEPT)
        );
        assert_eq!(sink.events[1]["text"], NOT_KEPT);
        assert_eq!(sink.events[1]["conn"], 4);
    }

    #[test]
    fn a_whole_file_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.html");
        write_whole(&p, b"one", false).unwrap();
        write_whole(&p, b"two", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(write_whole(&dir.path().join("none/p.html"), b"x", false).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "a page with secrets is owner-only");
        }
    }
}
