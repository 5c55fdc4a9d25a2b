//! `tlsprobe scan`: wires the scanning engine (`crate::scan`) to the command line: targets
//! from arguments and `--targets FILE|-` (read lazily), one report per target streamed as it
//! finishes, exit code 4 when any target failed.

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::options;
use super::scan_output::{self, Done, Header, Output};
use super::CliError;
use crate::cli::{ColorChoice, ProgressChoice, ScanArgs};
use crate::report::scan_render;
use crate::scan::trust::Anchors;
use crate::scan::{
    self, order, parse_targets_line, Job, Narrow, ProgressMode, ScanOptions, TargetReport,
};
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::codepoints::{NamedGroup, SignatureScheme};
use crate::wire::suites::CipherSuite;

/// Parses scan's `--tls` (ssl3, 1.0, 1.1, 1.2, 1.3).
pub fn scan_versions(list: Option<&str>) -> anyhow::Result<Vec<ProtocolVersion>> {
    let Some(list) = list else {
        return Ok(scan::ALL_VERSIONS.to_vec());
    };
    let mut out = vec![];
    for v in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let pv = match v.to_ascii_lowercase().as_str() {
            "ssl3" | "ssl3.0" | "sslv3" => ProtocolVersion::SSL3,
            "1.0" | "tls1.0" | "tls1" => ProtocolVersion::TLS10,
            "1.1" | "tls1.1" => ProtocolVersion::TLS11,
            "1.2" | "tls1.2" => ProtocolVersion::TLS12,
            "1.3" | "tls1.3" => ProtocolVersion::TLS13,
            _ => {
                return Err(CliError::usage(format!(
                    "--tls: unknown protocol version '{v}' (expected ssl3, 1.0, 1.1, 1.2 or 1.3)"
                )))
            }
        };
        if !out.contains(&pv) {
            out.push(pv);
        }
    }
    if out.is_empty() {
        return Err(CliError::usage("--tls: the list is empty"));
    }
    Ok(out)
}

/// `--suites`, `--groups`, `--sigalgs`, `--alpn`: what to probe. Unlike connect, any suite,
/// group or scheme the registry names is accepted (a scan finds what tlsprobe cannot speak).
fn narrow(args: &ScanArgs) -> anyhow::Result<Narrow> {
    fn list<T: PartialEq>(
        flag: &str,
        value: Option<&str>,
        parse: impl Fn(&str) -> Option<T>,
    ) -> anyhow::Result<Option<Vec<T>>> {
        let Some(value) = value else { return Ok(None) };
        let mut out = vec![];
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let x = parse(item)
                .ok_or_else(|| CliError::usage(format!("{flag}: unknown name '{item}'")))?;
            if !out.contains(&x) {
                out.push(x);
            }
        }
        if out.is_empty() {
            return Err(CliError::usage(format!("{flag}: the list is empty")));
        }
        Ok(Some(out))
    }
    Ok(Narrow {
        suites: list("--suites", args.suites.as_deref(), CipherSuite::parse_user)?,
        groups: list("--groups", args.groups.as_deref(), NamedGroup::parse_user)?,
        sigalgs: list(
            "--sigalgs",
            args.sigalgs.as_deref(),
            SignatureScheme::from_name,
        )?,
        alpn: args
            .alpn
            .is_some()
            .then(|| options::alpn(args.alpn.as_deref()))
            .transpose()?,
    })
}

/// `--ca-file`: the anchors chains are verified against; a bad file is a usage error, as
/// for connect.
fn anchors(args: &ScanArgs) -> anyhow::Result<Option<Arc<Anchors>>> {
    let Some(p) = &args.ca_file else {
        return Ok(None);
    };
    let a = Anchors::from_pem_file(p)
        .map_err(|e| CliError::usage(format!("--ca-file {}: {e}", p.display())))?;
    Ok(Some(Arc::new(a)))
}

/// Parses `--shard I/N`.
pub fn shard(s: &str) -> anyhow::Result<(usize, usize)> {
    let bad = || CliError::usage(format!("--shard '{s}': expected I/N with 0 <= I < N"));
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n) = (
        i.trim().parse::<usize>().map_err(|_| bad())?,
        n.trim().parse::<usize>().map_err(|_| bad())?,
    );
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// The targets: the positional ones, then the `--targets` file (read lazily, `#` comments
/// allowed, each line remembered for error messages); and their number when known.
fn jobs(
    args: &ScanArgs,
) -> anyhow::Result<(impl Iterator<Item = Job> + Send + 'static, Option<usize>)> {
    let file: Option<Box<dyn BufRead + Send>> = match args.targets_file.as_deref() {
        None => None,
        Some("-") => Some(Box::new(BufReader::new(io::stdin()))),
        Some(p) => Some(Box::new(BufReader::new(File::open(p).map_err(|e| {
            CliError::usage(format!("cannot read --targets {p}: {e}"))
        })?))),
    };
    if args.targets.is_empty() && file.is_none() {
        return Err(CliError::usage(
            "no target given (scan HOST[:PORT]... or --targets FILE)",
        ));
    }
    let name = args.targets_file.clone().unwrap_or_default();
    let from_file = file.into_iter().flat_map(move |f| {
        let name = name.clone();
        f.lines()
            .map_while(Result::ok)
            .enumerate()
            .filter_map(move |(n, l)| {
                parse_targets_line(&l).map(|t| Job {
                    target: t.to_string(),
                    origin: Some(format!("--targets {name} line {}", n + 1)),
                })
            })
    });
    let len = if args.targets_file.is_none() {
        Some(args.targets.len())
    } else {
        None
    };
    let targets = args
        .targets
        .clone()
        .into_iter()
        .map(Job::from)
        .chain(from_file);
    Ok((targets, len))
}

/// Ctrl-C (SIGINT) raises `flag` once: the scan reports the targets in progress as
/// interrupted and exits 130. A second Ctrl-C ends the process at once.
fn on_ctrl_c(flag: Arc<AtomicBool>) {
    let result = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    if let Err(e) = result {
        eprintln!("tlsprobe: warning: cannot catch Ctrl-C ({e}); an interrupted scan loses the targets in progress");
    }
}

/// `--progress` and the terminal: a bar on a terminal, status lines in a log.
fn progress_mode(args: &ScanArgs) -> anyhow::Result<ProgressMode> {
    let secs = args.progress_interval;
    if !(secs.is_finite() && secs >= 0.1) {
        return Err(CliError::usage(
            "--progress-interval must be at least 0.1 seconds",
        ));
    }
    let every = std::time::Duration::from_secs_f64(secs);
    Ok(match args.progress {
        ProgressChoice::Never => ProgressMode::Off,
        _ if io::stderr().is_terminal() => ProgressMode::Bar,
        ProgressChoice::Auto if stdout_is_stderr() => ProgressMode::Off,
        ProgressChoice::Always | ProgressChoice::Auto => ProgressMode::Status(every),
    })
}

/// Whether stdout and stderr are the same file or pipe (`2>&1`): then `auto` keeps status
/// lines out of the report stream. Linux: compared through /proc/self/fd; elsewhere, false.
#[cfg(unix)]
fn stdout_is_stderr() -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::metadata("/proc/self/fd/1"),
        std::fs::metadata("/proc/self/fd/2"),
    ) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn stdout_is_stderr() -> bool {
    false
}

/// `--output` opened (afresh, or for `--resume` with what the file already has, checked
/// against the target list).
fn open_output(
    args: &ScanArgs,
    shard: Option<(usize, usize)>,
) -> anyhow::Result<(Option<Output>, Done)> {
    let Some(path) = args.output.as_deref() else {
        return Ok((None, Done::default()));
    };
    // A bad target list is reported before FILE is touched (nothing is read yet).
    drop(jobs(args)?);
    let header = Header::new(args, shard);
    if !args.resume {
        return Ok((Some(Output::create(path, &header)?), Done::default()));
    }
    if args.targets_file.as_deref() == Some("-") {
        return Err(CliError::usage(
            "--resume reads the target list twice (to check it against the file), so it \
             cannot come from stdin: give --targets FILE",
        ));
    }
    let (out, done) = Output::resume(path, &header)?;
    scan_output::check_targets(&done, path, jobs(args)?.0.map(|j| j.target))?;
    if done.dropped > 0 {
        eprintln!(
            "tlsprobe: --resume: dropped a partial last line ({} bytes) of {}; its target is scanned again",
            done.dropped,
            path.display()
        );
    }
    Ok((Some(out), done))
}

/// The targets this run scans: the shard's, minus those `--resume` found done; each one's
/// index in the whole list goes to `order` as it is taken (reports come back in that order).
fn select(
    args: &ScanArgs,
    shard: Option<(usize, usize)>,
    done: &Done,
    order: Arc<Mutex<VecDeque<usize>>>,
) -> anyhow::Result<(impl Iterator<Item = Job> + Send + 'static, Option<usize>)> {
    let (targets, len) = jobs(args)?;
    let skip: HashSet<usize> = done.targets.keys().copied().collect();
    let wanted = move |i: usize| shard.is_none_or(|(k, n)| i % n == k) && !skip.contains(&i);
    let len = len.map(|l| (0..l).filter(|&i| wanted(i)).count());
    let selected = targets
        .enumerate()
        .filter(move |(i, _)| wanted(*i))
        .map(move |(i, job)| {
            order.lock().unwrap_or_else(|e| e.into_inner()).push_back(i);
            job
        });
    Ok((selected, len))
}

/// Where each report goes: stdout (human, or JSON with --json) and the --output file.
struct Emit {
    json: bool,
    color: bool,
    file: Option<Output>,
    stdout_closed: bool,
    write_error: Option<String>,
}

impl Emit {
    fn report(&mut self, index: Option<usize>, r: &TargetReport) {
        let line = match index {
            Some(i) => scan_output::report_line(i, scan_render::to_json(r)),
            None => format!("{}\n", scan_render::to_json(r)),
        };
        let interrupted = r.error.as_deref() == Some(order::INTERRUPTED);
        if let (Some(f), false) = (&mut self.file, interrupted) {
            if self.write_error.is_none() {
                if let Err(e) = f.write_line(&line) {
                    self.write_error =
                        Some(format!("cannot write --output {}: {e}", f.path.display()));
                }
            }
        }
        if self.stdout_closed || (self.file.is_some() && !self.json) {
            return;
        }
        let text = if self.json {
            line
        } else {
            format!("{}\n", scan_render::human(r, self.color))
        };
        let mut so = io::stdout().lock();
        if so
            .write_all(text.as_bytes())
            .and_then(|_| so.flush())
            .is_err()
        {
            self.stdout_closed = true;
        }
    }
}

pub fn run(args: ScanArgs) -> anyhow::Result<i32> {
    let route = super::connect::route(args.starttls.as_deref(), args.proxy.as_deref())?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(color);
    if args.concurrency == 0 {
        return Err(CliError::usage("-j/--concurrency must be at least 1"));
    }
    if args.rate == Some(0) {
        return Err(CliError::usage("--rate must be at least 1"));
    }
    let shard = args.shard.as_deref().map(shard).transpose()?;
    let mut opts = ScanOptions {
        targets: vec![],
        versions: scan_versions(args.tls.as_deref())?,
        concurrency: args.concurrency,
        rate: args.rate,
        timeout: options::timeout(args.timeout)?,
        sni: args.sni.clone(),
        no_sni: args.no_sni,
        // Sharding is done here (`select`), with the indices the reports carry.
        shard: None,
        progress: progress_mode(&args)?,
        route,
        interrupt: None,
        only: narrow(&args)?,
        ca: anchors(&args)?,
        http: (args.http || args.no_http).then_some(args.http),
    };
    let (file, done) = open_output(&args, shard)?;
    let order = Arc::new(Mutex::new(VecDeque::new()));
    let (targets, len) = select(&args, shard, &done, order.clone())?;
    let interrupt = Arc::new(AtomicBool::new(false));
    on_ctrl_c(interrupt.clone());
    opts.interrupt = Some(interrupt.clone());
    let mut emit = Emit {
        json: args.json,
        color,
        file,
        stdout_closed: false,
        write_error: None,
    };
    let mut count = 0usize;
    let failed = scan::run_iter(&opts, targets, len, &mut |r| {
        count += 1;
        if let Some(e) = &r.error {
            eprintln!("tlsprobe: scan {}: {e}", r.target);
        }
        let index = order.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        debug_assert!(index.is_some(), "a report for a target never taken");
        emit.report(index, &r);
        if emit.write_error.is_some() {
            interrupt.store(true, Ordering::SeqCst);
        }
    });
    finish(&emit, &done, count, failed, &interrupt)
}

/// The exit code (docs/cli.md): a failed write, Ctrl-C, no target at all, then 4 when any
/// target failed, the ones --resume found in the file included.
fn finish(
    emit: &Emit,
    done: &Done,
    count: usize,
    failed: usize,
    interrupt: &AtomicBool,
) -> anyhow::Result<i32> {
    if let Some(e) = &emit.write_error {
        return Err(CliError::runtime(e.clone()));
    }
    if interrupt.load(Ordering::SeqCst) {
        eprintln!("tlsprobe: scan interrupted after {count} target(s)");
        return Ok(130);
    }
    if count == 0 && done.targets.is_empty() {
        return Err(CliError::usage(
            "no target to scan (the list is empty or the shard selects none)",
        ));
    }
    let failed = failed + done.failed;
    if let Some(f) = &emit.file {
        eprintln!(
            "tlsprobe: scan: {} target(s) in {} ({} already there, {count} scanned now; {failed} failed)",
            count + done.targets.len(),
            f.path.display(),
            done.targets.len(),
        );
    }
    Ok(if failed > 0 { 4 } else { 0 })
}
