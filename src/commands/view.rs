//! `tlsprobe view FILE`: a transcript saved with `--json` (connect, listen, demo) shown again,
//! as the live trace on stdout (`report::replay`) or as the illustrated page (`--html OUT`,
//! `report::html`). Every line is read and checked before anything is shown.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Write};
use std::path::Path;

use serde_json::Value;

use super::CliError;
use crate::cli::{ColorChoice, ViewArgs};
use crate::report::html::sink::write_whole;
use crate::report::replay::Replay;
use crate::report::transcript::{self, Line, ReadError, Transcript};

/// Colour for the trace on stdout (cli.md `--color`: auto is a terminal and no NO_COLOR).
fn setup_color(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// The transcript from FILE or stdin (`-`).
fn read(file: &str, keep_spans: bool) -> anyhow::Result<Transcript> {
    let result = if file == "-" {
        transcript::read(&mut io::stdin().lock(), keep_spans)
    } else {
        let f =
            File::open(file).map_err(|e| CliError::runtime(format!("cannot read {file}: {e}")))?;
        transcript::read(&mut BufReader::new(f), keep_spans)
    };
    result.map_err(|e| match e {
        ReadError::Io(e) => CliError::runtime(format!("cannot read {file}: {e}")),
        ReadError::NotTranscript(s) => CliError::usage(format!("{file}: {s}")),
    })
}

/// The connection numbers (listen's `conn`) in order of first appearance.
fn conn_numbers(lines: &[Line]) -> Vec<u64> {
    let mut out = vec![];
    for n in lines.iter().filter_map(|l| l.value.get("conn")?.as_u64()) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn list(ns: &[u64]) -> String {
    ns.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

/// Only connection `n`'s lines (`--conn`), or all.
fn select(file: &str, lines: Vec<Line>, conn: Option<u64>) -> anyhow::Result<Vec<Line>> {
    let Some(n) = conn else { return Ok(lines) };
    let have = conn_numbers(&lines);
    if have.is_empty() {
        return Err(CliError::usage(format!(
            "--conn {n}: {file} has no connection numbers (only listen transcripts have them)"
        )));
    }
    if !have.contains(&n) {
        return Err(CliError::usage(format!(
            "--conn {n}: {file} has no connection {n} (it has {})",
            list(&have)
        )));
    }
    Ok(lines
        .into_iter()
        .filter(|l| l.value.get("conn").and_then(Value::as_u64) == Some(n))
        .collect())
}

/// The trace lines of every event; a line that is not a valid event is an error naming it.
fn trace(file: &str, lines: &[Line], quiet: bool, hex: u8) -> anyhow::Result<Vec<String>> {
    let mut replay = Replay::new(quiet, hex);
    let mut out = vec![];
    for l in lines {
        let shown = replay.line(&l.value).map_err(|e| {
            let ty = l.value["type"].as_str().unwrap_or("?");
            CliError::usage(format!(
                "{file} line {}: a {ty:?} event {e}: not a tlsprobe transcript",
                l.number
            ))
        })?;
        out.extend(shown);
    }
    out.extend(replay.finish());
    Ok(out)
}

/// `--hex` needs the bytes: `record` events, written only with `--json --hex`.
fn has_bytes(lines: &[Line]) -> bool {
    lines
        .iter()
        .any(|l| transcript::known_type(&l.value) == Some("record") && l.value.get("hex").is_some())
}

/// Whether the events hold secrets (the key schedule's values, saved with `--hex`): the page
/// then shows them, and its file is owner-only as the live page's is.
fn has_secrets(lines: &[Line]) -> bool {
    lines.iter().any(|l| {
        transcript::known_type(&l.value) == Some("keys") && l.value.get("secret").is_some()
    })
}

/// The page of the selected events (every connection a section of it; demo's client side),
/// to OUT, whole or not at all, or to stdout (`-`).
fn html(lines: &[Line], out: &str) -> anyhow::Result<i32> {
    let events: Vec<Value> = lines.iter().map(|l| l.value.clone()).collect();
    let page = crate::report::html::page(&events)
        .map_err(|e| CliError::runtime(format!("cannot draw the page: {e:#}")))?;
    if out == "-" {
        return write_stdout(page.as_bytes());
    }
    write_whole(Path::new(out), page.as_bytes(), has_secrets(lines))
        .map_err(|e| CliError::runtime(format!("cannot write {out}: {e}")))?;
    Ok(0)
}

/// Output to a closed pipe (`| head`) ends quietly.
fn write_stdout(data: &[u8]) -> anyhow::Result<i32> {
    let mut so = io::stdout().lock();
    match so.write_all(data).and_then(|_| so.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(CliError::runtime(format!("cannot write the trace: {e}"))),
    }
}

pub fn run(args: ViewArgs) -> anyhow::Result<i32> {
    setup_color(args.color);
    let t = read(&args.file, args.html.is_some())?;
    for w in &t.warnings {
        eprintln!("warning: {}: {w}", args.file);
    }
    let lines = select(&args.file, t.lines, args.conn)?;
    if args.hex > 0 && !has_bytes(&lines) {
        return Err(CliError::usage(format!(
            "--hex: {} has no record bytes: it was saved without --hex (record it with --json --hex to see the byte view)",
            args.file
        )));
    }
    let text = trace(&args.file, &lines, args.quiet, args.hex)?;
    if let Some(out) = &args.html {
        return html(&lines, out);
    }
    let mut s = text.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    write_stdout(s.as_bytes())
}
