//! `tlsprobe scan`: wires the scanning engine (`crate::scan`) to the command line: targets
//! from arguments and `--targets FILE|-` (read lazily), one report per target streamed as it
//! finishes, exit code 4 when any target failed.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::options;
use super::CliError;
use crate::cli::{ColorChoice, ScanArgs};
use crate::report::scan_render;
use crate::scan::trust::Anchors;
use crate::scan::{self, parse_targets_line, Job, Narrow, ScanOptions};
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
    let mut opts = ScanOptions {
        targets: vec![],
        versions: scan_versions(args.tls.as_deref())?,
        concurrency: args.concurrency,
        rate: args.rate,
        timeout: options::timeout(args.timeout)?,
        sni: args.sni.clone(),
        no_sni: args.no_sni,
        shard: args.shard.as_deref().map(shard).transpose()?,
        progress: !args.json && io::stderr().is_terminal(),
        route,
        interrupt: None,
        only: narrow(&args)?,
        ca: anchors(&args)?,
        http: (args.http || args.no_http).then_some(args.http),
    };
    let (targets, len) = jobs(&args)?;
    let interrupt = Arc::new(AtomicBool::new(false));
    on_ctrl_c(interrupt.clone());
    opts.interrupt = Some(interrupt.clone());
    let mut closed = false;
    let mut count = 0usize;
    let json = args.json;
    let failed = scan::run_iter(&opts, targets, len, &mut |r| {
        count += 1;
        if let Some(e) = &r.error {
            eprintln!("tlsprobe: scan {}: {e}", r.target);
        }
        if closed {
            return;
        }
        let text = if json {
            format!("{}\n", scan_render::to_json(&r))
        } else {
            format!("{}\n", scan_render::human(&r, color))
        };
        let mut so = io::stdout().lock();
        if so
            .write_all(text.as_bytes())
            .and_then(|_| so.flush())
            .is_err()
        {
            closed = true;
        }
    });
    if interrupt.load(Ordering::SeqCst) {
        eprintln!("tlsprobe: scan interrupted after {count} target(s)");
        return Ok(130);
    }
    if count == 0 {
        return Err(CliError::usage(
            "no target to scan (the list is empty or the shard selects none)",
        ));
    }
    Ok(if failed > 0 { 4 } else { 0 })
}
