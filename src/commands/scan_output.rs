//! `scan --output FILE` and `--resume`: the JSON Lines file of a fleet scan (a header line,
//! then one report per line, each written whole with one write call) and, on resume, what
//! is already done in it; a partial last line is cut off so its target is scanned again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::CliError;
use crate::cli::ScanArgs;

/// The `"type"` of an --output file's first line.
pub const HEADER_TYPE: &str = "scan_header";

/// A line longer than this is not one tlsprobe wrote.
const MAX_LINE: u64 = 64 << 20;

/// What the reports in a file depend on: the shard and the options that shape results
/// (not `-j`, `--rate` or the output flags, which may change between runs).
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub shard: Option<(usize, usize)>,
    pub options: Map<String, Value>,
}

impl Header {
    pub fn new(args: &ScanArgs, shard: Option<(usize, usize)>) -> Header {
        let options = json!({
            "tls": args.tls, "suites": args.suites, "groups": args.groups,
            "sigalgs": args.sigalgs, "alpn": args.alpn, "sni": args.sni, "no_sni": args.no_sni,
            "ca_file": args.ca_file.as_ref().map(|p| p.display().to_string()),
            "timeout": args.timeout, "starttls": args.starttls,
            "proxy": args.proxy.as_deref().map(without_credentials),
            "http": args.http, "no_http": args.no_http,
        });
        let Value::Object(options) = options else {
            unreachable!("json! of an object literal")
        };
        Header { shard, options }
    }

    fn line(&self) -> String {
        let v = json!({
            "type": HEADER_TYPE,
            "tlsprobe": env!("CARGO_PKG_VERSION"),
            "shard": self.shard.map(|(i, n)| format!("{i}/{n}")),
            "options": self.options,
        });
        format!("{v}\n")
    }

    /// Why a file begun with `there` cannot be resumed with `self`, flag by flag.
    fn differences(&self, there: &Line) -> Vec<String> {
        let mut out = vec![];
        let shard_here = self.shard.map(|(i, n)| format!("{i}/{n}"));
        if there.shard != shard_here {
            out.push(format!(
                "--shard {} there, {} here",
                there.shard.as_deref().unwrap_or("none"),
                shard_here.as_deref().unwrap_or("none")
            ));
        }
        let empty = Map::new();
        let theirs = there.options.as_ref().unwrap_or(&empty);
        for (k, v) in &self.options {
            let t = theirs.get(k).unwrap_or(&Value::Null);
            if t != v {
                out.push(format!("--{} {t} there, {v} here", k.replace('_', "-")));
            }
        }
        out
    }
}

/// A proxy URL without its `user:pass@` (never written to a file).
fn without_credentials(url: &str) -> String {
    match (url.split_once("://"), url.rsplit_once('@')) {
        (Some((scheme, _)), Some((_, host))) => format!("{scheme}://{host}"),
        _ => url.to_string(),
    }
}

/// The fields of a file line that resume reads (the rest is skipped).
#[derive(Deserialize, Default)]
struct Line {
    #[serde(rename = "type")]
    kind: Option<String>,
    index: Option<usize>,
    target: Option<String>,
    error: Option<String>,
    shard: Option<String>,
    options: Option<Map<String, Value>>,
}

/// The targets a file already has.
#[derive(Debug, Default)]
pub struct Done {
    /// Index in the whole target list → the target, one per report line.
    pub targets: HashMap<usize, String>,
    /// Report lines with an error.
    pub failed: usize,
    /// Bytes of a partial last line that were cut off.
    pub dropped: u64,
}

/// The --output file, open for appending whole lines.
pub struct Output {
    file: File,
    pub path: PathBuf,
}

impl Output {
    /// `FILE` emptied and its header written (a run without --resume).
    pub fn create(path: &Path, header: &Header) -> anyhow::Result<Output> {
        let file = File::create(path).map_err(|e| cannot("write", path, e))?;
        let mut out = Output {
            file,
            path: path.to_path_buf(),
        };
        out.write_line(&header.line())
            .map_err(|e| cannot("write", path, e))?;
        Ok(out)
    }

    /// `FILE` read for --resume: checked against `header`, a partial last line cut off,
    /// open to append. A missing or empty file starts afresh.
    pub fn resume(path: &Path, header: &Header) -> anyhow::Result<(Output, Done)> {
        let mut file = match OpenOptions::new().read(true).write(true).open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok((Output::create(path, header)?, Done::default()))
            }
            Err(e) => return Err(cannot("read", path, e)),
        };
        let (done, keep) = read_done(&mut file, path, header)?;
        if keep == 0 {
            return Ok((Output::create(path, header)?, Done::default()));
        }
        if done.dropped > 0 {
            file.set_len(keep)
                .map_err(|e| cannot("truncate", path, e))?;
        }
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| cannot("write", path, e))?;
        let out = Output {
            file,
            path: path.to_path_buf(),
        };
        Ok((out, done))
    }

    /// One whole line (ending in a newline) in one write call, so a killed process leaves
    /// at most one partial line. A plain `File` has no buffer to flush.
    pub fn write_line(&mut self, line: &str) -> io::Result<()> {
        debug_assert!(line.ends_with('\n'));
        self.file.write_all(line.as_bytes())
    }
}

fn cannot(what: &str, path: &Path, e: io::Error) -> anyhow::Error {
    CliError::usage(format!("cannot {what} --output {}: {e}", path.display()))
}

/// Reads every complete line of `file`: the header (checked against `header`), then the
/// reports. Returns what is done and the length to keep (up to the last newline).
fn read_done(file: &mut File, path: &Path, header: &Header) -> anyhow::Result<(Done, u64)> {
    let shown = path.display();
    let not_ours = |n: usize, why: String| {
        CliError::usage(format!(
            "--resume: {shown} line {n} {why}: not a file `tlsprobe scan --output` wrote; \
             refusing to append to it"
        ))
    };
    let mut reader = BufReader::new(file);
    let (mut done, mut keep, mut buf) = (Done::default(), 0u64, Vec::new());
    for n in 1.. {
        buf.clear();
        let read = (&mut reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut buf)
            .map_err(|e| cannot("read", path, e))?;
        if read == 0 {
            break;
        }
        if buf.last() != Some(&b'\n') {
            if read as u64 == MAX_LINE {
                return Err(not_ours(n, format!("is longer than {MAX_LINE} bytes")));
            }
            done.dropped = read as u64;
            break;
        }
        let line: Line = serde_json::from_slice(&buf)
            .map_err(|e| not_ours(n, format!("is not a JSON object ({e})")))?;
        keep += read as u64;
        if n == 1 {
            if line.kind.as_deref() != Some(HEADER_TYPE) {
                return Err(not_ours(1, format!("is not a {HEADER_TYPE} line")));
            }
            let diff = header.differences(&line);
            if !diff.is_empty() {
                return Err(CliError::usage(format!(
                    "--resume: {shown} was begun with other options ({}); resume with the \
                     same ones, or scan into another file",
                    diff.join("; ")
                )));
            }
            continue;
        }
        let (Some(i), Some(t)) = (line.index, line.target) else {
            return Err(not_ours(n, "has no \"index\" and \"target\"".into()));
        };
        if done.targets.insert(i, t).is_some() {
            return Err(not_ours(n, format!("repeats index {i}")));
        }
        done.failed += usize::from(line.error.is_some());
    }
    Ok((done, keep))
}

/// Checks that the reports in the file belong to this target list: each index done names
/// the target the list has at that index (a list edited since would mix two fleets).
pub fn check_targets(
    done: &Done,
    path: &Path,
    list: impl Iterator<Item = String>,
) -> anyhow::Result<()> {
    if done.targets.is_empty() {
        return Ok(());
    }
    let mut matched = 0;
    for (i, target) in list.enumerate() {
        if let Some(there) = done.targets.get(&i) {
            if there.trim() != target.trim() {
                return Err(CliError::usage(format!(
                    "--resume: {} has target {there} at index {i} where the list has {}: a \
                     different target list; resume with the list the file was begun with",
                    path.display(),
                    target.trim()
                )));
            }
            matched += 1;
        }
    }
    if matched < done.targets.len() {
        let past = done.targets.keys().max().copied().unwrap_or(0);
        return Err(CliError::usage(format!(
            "--resume: {} has reports past the end of the target list (index {past}): a \
             different target list; resume with the list the file was begun with",
            path.display()
        )));
    }
    Ok(())
}

/// A report as a file (and `--json`) line: `"index"` (its place in the whole target list)
/// first, then the report's keys.
pub fn report_line(index: usize, report: Value) -> String {
    let mut m = Map::new();
    m.insert("index".into(), index.into());
    if let Value::Object(o) = report {
        m.extend(o);
    }
    format!("{}\n", Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        let mut options = Map::new();
        options.insert("tls".into(), Value::Null);
        Header {
            shard: Some((1, 4)),
            options,
        }
    }

    fn file_with(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    fn report(i: usize, t: &str, err: Option<&str>) -> String {
        report_line(i, json!({"target": t, "error": err}))
    }

    #[test]
    fn resume_keeps_complete_lines_and_cuts_a_partial_one() {
        let h = header();
        let text = format!(
            "{}{}{}{{\"index\":9,\"tar",
            h.line(),
            report(1, "a:1", None),
            report(5, "b:1", Some("cannot connect"))
        );
        let (_d, p) = file_with(&text);
        let (mut out, done) = Output::resume(&p, &h).unwrap();
        assert_eq!(done.targets.len(), 2);
        assert_eq!(done.targets[&5], "b:1");
        assert_eq!(done.failed, 1);
        assert_eq!(done.dropped, "{\"index\":9,\"tar".len() as u64);
        out.write_line(&report(9, "c:1", None)).unwrap();
        let after = std::fs::read_to_string(&p).unwrap();
        assert!(
            after.ends_with("}\n") && !after.contains("\"tar{"),
            "{after}"
        );
        assert_eq!(after.lines().count(), 4);
    }

    #[test]
    fn resume_refuses_other_options_garbage_and_a_file_without_header() {
        let h = header();
        let other = Header {
            shard: None,
            ..header()
        };
        let (_d, p) = file_with(&other.line());
        let e = Output::resume(&p, &h).err().unwrap().to_string();
        assert!(e.contains("--shard none there, 1/4 here"), "{e}");
        let (_d, p) = file_with("hello\n");
        let e = Output::resume(&p, &h).err().unwrap().to_string();
        assert!(e.contains("line 1 is not a JSON object"), "{e}");
        let (_d, p) = file_with(&report(0, "a:1", None));
        let e = Output::resume(&p, &h).err().unwrap().to_string();
        assert!(e.contains("line 1 is not a scan_header line"), "{e}");
        let (_d, p) = file_with(&format!("{}{}", h.line(), report(0, "a:1", None).repeat(2)));
        let e = Output::resume(&p, &h).err().unwrap().to_string();
        assert!(e.contains("line 3 repeats index 0"), "{e}");
    }

    #[test]
    fn a_missing_or_empty_file_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.jsonl");
        let (_, done) = Output::resume(&p, &header()).unwrap();
        assert!(done.targets.is_empty());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), header().line());
        let (_d, p) = file_with("{\"type\":\"scan_hea");
        let (_, done) = Output::resume(&p, &header()).unwrap();
        assert!(done.targets.is_empty());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), header().line());
    }

    #[test]
    fn the_target_list_must_match_the_file() {
        let mut done = Done::default();
        done.targets.insert(1, "b:1".into());
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let p = Path::new("f");
        assert!(check_targets(&done, p, list(&["a:1", "b:1"]).into_iter()).is_ok());
        let e = check_targets(&done, p, list(&["a:1", "x:1"]).into_iter());
        assert!(e
            .unwrap_err()
            .to_string()
            .contains("has target b:1 at index 1"));
        let e = check_targets(&done, p, list(&["a:1"]).into_iter());
        assert!(e.unwrap_err().to_string().contains("past the end"));
    }

    #[test]
    fn proxy_credentials_stay_out_of_the_file() {
        assert_eq!(
            without_credentials("socks5://u:p@10.0.0.1:1080"),
            "socks5://10.0.0.1:1080"
        );
        assert_eq!(without_credentials("http://h:3128"), "http://h:3128");
    }
}
