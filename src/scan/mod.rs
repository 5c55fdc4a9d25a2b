//! `tlsprobe scan`: protocol versions, cipher suites (with the server's preference order),
//! groups, signature algorithms, certificates, features and findings for one target or a
//! fleet. Most of a scan never completes a handshake: ClientHellos built by the wire codec and
//! the server's first flight (RFC 8446 §4.1, RFC 5246 §7.4) are enough, so suites tlsprobe
//! cannot speak are found too; the few complete handshakes (`fullhs`) run on `net`'s driver.
//! Every connection is opened by `net` (`net::endpoint`), along the route (`--proxy`,
//! `--starttls`) when there is one. Std threads only: a global connection limiter (`-j`) and
//! a token bucket (`--rate`) from `net::limit`, and one worker per target in flight; reports
//! are streamed as targets finish.

pub mod candidates;
pub mod cert;
pub mod client_auth;
pub mod dh;
pub mod engine;
pub mod error;
pub mod features;
pub mod findings;
pub mod fullhs;
pub mod http;
pub mod kx_groups;
pub mod order;
pub mod probe;
pub mod profiles;
mod progress;
pub mod staple;
pub mod trust;
mod versions;
pub mod vulns;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::suites::CipherSuite;

pub use cert::CertInfo;
pub use findings::{Finding, Severity};
pub use progress::ProgressMode;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub targets: Vec<String>,
    /// Versions to probe (SSL 3.0 .. TLS 1.3); empty means all five.
    pub versions: Vec<ProtocolVersion>,
    /// Connections in flight at once, over all targets.
    pub concurrency: usize,
    /// New connections per second at most.
    pub rate: Option<u32>,
    /// Connect and read timeout per connection.
    pub timeout: Duration,
    /// Server name to send instead of the target host.
    pub sni: Option<String>,
    pub no_sni: bool,
    /// `(i, n)`: only targets whose index mod n equals i.
    pub shard: Option<(usize, usize)>,
    /// Progress on stderr: a bar (on a terminal) or status lines (the caller decides).
    pub progress: ProgressMode,
    /// Proxy and STARTTLS for every connection.
    pub route: crate::net::Route,
    /// Raised (e.g. by Ctrl-C) to stop: targets in progress are reported as interrupted.
    pub interrupt: Option<Arc<AtomicBool>>,
    /// `--suites`, `--groups`, `--sigalgs`, `--alpn`: probe only these.
    pub only: Narrow,
    /// `--ca-file`: the anchors to verify certificate chains against; `None`: the system store.
    pub ca: Option<Arc<trust::Anchors>>,
    /// `--http` (Some(true)) / `--no-http` (Some(false)); None: one GET on port 443 only.
    pub http: Option<bool>,
}

/// What the user narrowed the scan to; `None` probes everything the scanner knows.
#[derive(Debug, Clone, Default)]
pub struct Narrow {
    pub suites: Option<Vec<CipherSuite>>,
    pub groups: Option<Vec<NamedGroup>>,
    pub sigalgs: Option<Vec<SignatureScheme>>,
    pub alpn: Option<Vec<Vec<u8>>>,
}

impl Narrow {
    /// `all` restricted to `only` (in `all`'s order), or `all` when nothing was given.
    pub fn keep<T: Copy + PartialEq>(only: &Option<Vec<T>>, all: &[T]) -> Vec<T> {
        match only {
            Some(o) => all.iter().copied().filter(|x| o.contains(x)).collect(),
            None => all.to_vec(),
        }
    }

    /// The ALPN protocols to probe: the user's, else h2 and http/1.1.
    pub fn alpn_protocols(&self) -> Vec<Vec<u8>> {
        self.alpn
            .clone()
            .unwrap_or_else(|| vec![b"h2".to_vec(), b"http/1.1".to_vec()])
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            targets: vec![],
            versions: vec![],
            concurrency: 16,
            rate: None,
            timeout: Duration::from_secs(10),
            sni: None,
            no_sni: false,
            shard: None,
            progress: ProgressMode::Off,
            route: Default::default(),
            interrupt: None,
            only: Narrow::default(),
            ca: None,
            http: None,
        }
    }
}

/// All versions a scan can probe, oldest first.
pub const ALL_VERSIONS: [ProtocolVersion; 5] = [
    ProtocolVersion::SSL3,
    ProtocolVersion::TLS10,
    ProtocolVersion::TLS11,
    ProtocolVersion::TLS12,
    ProtocolVersion::TLS13,
];

/// One protocol version's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolResult {
    pub version: ProtocolVersion,
    pub supported: bool,
    /// Whether the server enforces its own suite order; `None` when it cannot be told
    /// (version unsupported, fewer than two suites, or inconsistent answers).
    pub server_order: Option<bool>,
    /// In the server's order when `server_order` is true, else in the scanner's (registry) order.
    pub cipher_suites: Vec<CipherSuite>,
}

/// Features; `None` where the scan could not tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    pub extended_master_secret: Option<bool>,
    pub secure_renegotiation: Option<bool>,
    pub session_ticket: Option<bool>,
    pub compression: Option<bool>,
    pub fallback_scsv: Option<bool>,
    pub ocsp_stapling: Option<bool>,
    /// ALPN protocols the server accepted among those offered (h2, http/1.1); `None` when not probed.
    pub alpn: Option<Vec<String>>,
    pub heartbeat: Option<bool>,
    pub encrypt_then_mac: Option<bool>,
    pub session_id_resumption: Option<bool>,
    /// For each feature left `None`: its JSON key and why it is unknown.
    pub unknown: Vec<(String, String)>,
}

/// Everything found for one target.
#[derive(Debug, Clone, Default)]
pub struct TargetReport {
    /// The target as given.
    pub target: String,
    pub ip: Option<String>,
    pub sni: Option<String>,
    pub protocols: Vec<ProtocolResult>,
    pub groups: Vec<NamedGroup>,
    pub groups_server_order: Option<bool>,
    pub signature_algorithms: Vec<SignatureScheme>,
    pub features: Features,
    pub certificates: Vec<CertInfo>,
    pub findings: Vec<Finding>,
    /// Remarks about what could not be determined and why.
    pub notes: Vec<String>,
    /// Smallest DHE prime seen, in bits.
    pub dh_min_bits: Option<usize>,
    /// The weakest DHE group seen: its size and name; `None` without DHE.
    pub dh: Option<dh::DhInfo>,
    /// Per supported version: its groups and the group each suite uses.
    pub version_groups: Vec<kx_groups::VersionGroups>,
    /// The certificate chain's trust; `None` when no chain was seen.
    pub chain: Option<trust::ChainInfo>,
    /// Client-certificate demands; `None` when it could not be told.
    pub client_auth: Option<client_auth::ClientAuth>,
    /// The answer to one HTTP GET; `None` when not asked (`--http`, port 443).
    pub http: Option<http::HttpInfo>,
    /// Mozilla profiles, modern, intermediate, old.
    pub profiles: Vec<profiles::ProfileResult>,
    /// Every vulnerability check, in registry order.
    pub vulnerabilities: Vec<vulns::Check>,
    pub connections: usize,
    pub elapsed_ms: u64,
    pub error: Option<String>,
}

/// One target to scan and, when it came from a file, where (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub target: String,
    /// E.g. "--targets hosts.txt line 3".
    pub origin: Option<String>,
}

impl From<String> for Job {
    fn from(target: String) -> Job {
        Job {
            target,
            origin: None,
        }
    }
}

/// One line of a targets list: `#` starts a comment; None for a blank or comment-only line.
pub fn parse_targets_line(line: &str) -> Option<&str> {
    let l = line.split('#').next().unwrap_or("").trim();
    (!l.is_empty()).then_some(l)
}

/// Scans `opts.targets`, calling `sink` with each report in input order. Returns the number
/// of targets that failed.
pub fn run(opts: &ScanOptions, sink: &mut dyn FnMut(TargetReport)) -> usize {
    run_iter(opts, opts.targets.clone().into_iter(), None, sink)
}

/// Reports finished ahead of the next one to print, at most, per worker: the bound on the
/// reordering buffer (a slow target holds back at most this many finished reports).
const REORDER_PER_WORKER: usize = 4;

/// Like [`run`] but reads targets lazily from `targets` (e.g. lines of a file), so memory
/// stays flat however long the list. `len` sizes the progress bar when known.
///
/// Reports reach `sink` in input order: workers finish in any order, a bounded buffer
/// ([`REORDER_PER_WORKER`] per worker) holds the early ones, and no worker starts a target
/// further ahead than that. When `opts.interrupt` is raised, no new target starts; the
/// finished reports are delivered, then each target still in progress as failed with
/// "interrupted", and this returns without waiting for the workers (they stop with the
/// process).
pub fn run_iter<I, J>(
    opts: &ScanOptions,
    targets: I,
    len: Option<usize>,
    sink: &mut dyn FnMut(TargetReport),
) -> usize
where
    I: Iterator<Item = J> + Send + 'static,
    J: Into<Job>,
{
    let shard = opts.shard.filter(|&(_, n)| n > 0);
    let workers = opts.concurrency.clamp(1, 256);
    let selected = targets
        .enumerate()
        .filter(move |(i, _)| shard.is_none_or(|(k, n)| i % n == k))
        .map(|(_, t)| t.into());
    let feed = order::Feed::new(Box::new(selected), workers * REORDER_PER_WORKER);
    let (tx, rx) = mpsc::channel::<(usize, TargetReport)>();
    let bar = progress::start(
        opts.progress,
        len.map(|l| match shard {
            Some((k, n)) => (l + n - 1 - k.min(n - 1)) / n,
            None => l,
        }),
    );
    let limits = Arc::new(crate::net::limit::Limits::new(
        opts.concurrency.max(1),
        opts.rate,
    ));
    for _ in 0..workers {
        let (tx, feed, limits, opts) = (tx.clone(), feed.clone(), limits.clone(), opts.clone());
        std::thread::spawn(move || {
            while let Some((i, job)) = feed.take(opts.interrupt.as_deref()) {
                let r = engine::scan_job(&job, &opts, &limits);
                if tx.send((i, r)).is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let mut failed = 0;
    let mut deliver = |r: TargetReport| {
        if r.error.is_some() {
            failed += 1;
        }
        match &bar {
            Some(b) => b.report(r.error.is_some(), || sink(r)),
            None => sink(r),
        }
    };
    let mut ready = order::Reorder::default();
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok((i, r)) => {
                ready.insert(i, r);
                for r in ready.pop_ready() {
                    deliver(r);
                    feed.delivered();
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if opts
            .interrupt
            .as_deref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
        {
            // Whatever finished meanwhile, then the rest as interrupted, in input order.
            while let Ok((i, r)) = rx.try_recv() {
                ready.insert(i, r);
            }
            for r in ready.drain_interrupted(feed.in_flight()) {
                deliver(r);
            }
            break;
        }
    }
    if let Some(b) = bar {
        b.finish();
    }
    failed
}
