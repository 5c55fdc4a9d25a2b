//! The fleet's reachability stage: one thread takes the targets from the feed, resolves host
//! names on a small pool (`net::resolve_pool`), keeps many non-blocking TCP connects in
//! flight (`net::dial`), reports the refused, unreachable and timed-out targets itself (the
//! same report a worker would give) and hands the reachable ones to the workers with the
//! address found. A dead target so costs one connect and never holds a worker.
//!
//! The connection that found a target reachable is closed at once, not kept for the first
//! probe: a server that serves one connection at a time (openssl s_server) would wait on it,
//! idle, while the probe that would use it waits for a `-j` slot held by probes waiting on
//! that server.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::engine::{self, sni_for};
use super::error::ScanError;
use super::order::{Feed, Next};
use super::{Job, ScanOptions, TargetReport};
use crate::net::dial::{Dialed, Dialer};
use crate::net::limit::{Limits, Permit};
use crate::net::resolve_pool::ResolverPool;
use crate::net::target::Target;
use crate::net::OpenError;

/// Threads resolving host names.
const RESOLVERS: usize = 4;
/// Targets taken from the feed and waiting for a connection slot, at most.
const READY_MAX: usize = 64;
/// The longest wait for a connection slot (given back by a worker, which does not wake the
/// stage).
const SLOT_WAIT: Duration = Duration::from_millis(1);
/// The longest wait otherwise: connects, names and deliveries wake the stage.
const IDLE_WAIT: Duration = Duration::from_millis(50);

/// Targets taken and not delivered at most (the feed's window) with the stage: the dead
/// ones' reports are small, so more of them may wait for a slow target ahead.
pub(super) const WINDOW: usize = 4096;

/// The stage's poller, when the stage can run: it dials targets directly, so not through a
/// proxy (the proxy is the first hop, and only it knows whether a target is reachable).
pub(super) fn dialer(opts: &ScanOptions) -> Option<Dialer> {
    opts.route
        .proxy
        .is_none()
        .then(|| Dialer::new().ok())
        .flatten()
}

/// The feed's window: [`WINDOW`] with the stage (`per_workers` when larger), else
/// `per_workers`.
pub(super) fn window(dialer: &Option<Dialer>, per_workers: usize) -> usize {
    match dialer {
        Some(_) => per_workers.max(WINDOW),
        None => per_workers,
    }
}

/// A target for a worker: its index, the job and the address it answered on.
struct Handoff {
    i: usize,
    job: Job,
    addr: SocketAddr,
}

/// Starts the stage on `dialer` and `workers` workers that scan what it hands on; every
/// report goes to `results`. At most `live_window` targets are handed on (or being dialled)
/// and not delivered: the bound on complete reports held for their turn.
pub(super) fn spawn(
    dialer: Dialer,
    feed: Feed,
    results: Sender<(usize, TargetReport)>,
    limits: Arc<Limits>,
    opts: &ScanOptions,
    (workers, live_window): (usize, usize),
) {
    let (handoff, queue) = mpsc::channel::<Handoff>();
    let queue = Arc::new(Mutex::new(queue));
    for _ in 0..workers {
        let (queue, results) = (queue.clone(), results.clone());
        let (limits, opts) = (limits.clone(), opts.clone());
        std::thread::spawn(move || work(&queue, &results, &limits, &opts));
    }
    let waker = dialer.waker();
    feed.on_delivery(Arc::new(move || {
        let _ = waker.wake();
    }));
    let opts = opts.clone();
    std::thread::spawn(move || {
        let resolver = ResolverPool::new(RESOLVERS, dialer.waker());
        Stage {
            feed,
            results,
            handoff,
            limits: &limits,
            opts: &opts,
            dialer,
            resolver,
            ready: VecDeque::new(),
            dialing: HashMap::new(),
            resolving: HashMap::new(),
            handed: BTreeSet::new(),
            live_window,
            fed: false,
        }
        .run()
    });
}

/// One worker: scans the targets handed on until the stage is done (or interrupted).
fn work(
    queue: &Mutex<Receiver<Handoff>>,
    results: &Sender<(usize, TargetReport)>,
    limits: &Limits,
    opts: &ScanOptions,
) {
    loop {
        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(h) = next else { return };
        if interrupted(opts.interrupt.as_deref()) {
            return;
        }
        let r = engine::scan_job(&h.job, opts, limits, Some(h.addr));
        if results.send((h.i, r)).is_err() {
            return;
        }
    }
}

fn interrupted(flag: Option<&AtomicBool>) -> bool {
    flag.is_some_and(|f| f.load(Ordering::SeqCst))
}

/// A target taken from the feed, with what the stage knows of it so far.
struct Taken {
    i: usize,
    job: Job,
    target: Target,
    start: Instant,
}

struct Stage<'a> {
    feed: Feed,
    results: Sender<(usize, TargetReport)>,
    handoff: Sender<Handoff>,
    limits: &'a Limits,
    opts: &'a ScanOptions,
    dialer: Dialer,
    resolver: ResolverPool,
    /// Addresses known, waiting for a connection slot (and a `--rate` token).
    ready: VecDeque<(Taken, SocketAddr)>,
    /// Connects in flight, by index, each holding its slot.
    dialing: HashMap<usize, (Taken, Permit<'a>)>,
    /// Host names being resolved, by index.
    resolving: HashMap<usize, Taken>,
    /// Handed on to the workers and maybe not delivered yet, by index.
    handed: BTreeSet<usize>,
    /// At most this many handed on or being dialled and not delivered.
    live_window: usize,
    /// The feed is exhausted.
    fed: bool,
}

impl Stage<'_> {
    fn run(mut self) {
        loop {
            if interrupted(self.opts.interrupt.as_deref()) {
                return;
            }
            let wait = self.fill();
            let busy = !self.dialing.is_empty() || !self.resolving.is_empty();
            if self.fed && !busy && self.ready.is_empty() {
                return;
            }
            for d in self.dialer.wait(wait) {
                self.dialed(d);
            }
            for (i, answer) in self.resolver.answers() {
                self.resolved(i, answer);
            }
        }
    }

    /// Takes targets from the feed and starts connects while slots allow. Returns how long to
    /// wait at most: short when waiting for a slot or a `--rate` token, which wake nothing.
    fn fill(&mut self) -> Duration {
        loop {
            while !self.fed && self.ready.len() < READY_MAX {
                match self.feed.try_take() {
                    Next::Job(i, job) => self.classify(i, job),
                    Next::Done => self.fed = true,
                    Next::Wait => break,
                }
            }
            if self.ready.is_empty() {
                return IDLE_WAIT;
            }
            // Each connect may hand a target on; a delivery wakes the stage.
            self.handed = self.handed.split_off(&self.feed.delivered_count());
            if self.handed.len() + self.dialing.len() >= self.live_window {
                return IDLE_WAIT;
            }
            let Some((taken, addr)) = self.ready.pop_front() else {
                return IDLE_WAIT;
            };
            let permit = match self.limits.try_begin() {
                Ok(p) => p,
                Err(token) => {
                    self.ready.push_front((taken, addr));
                    return token.unwrap_or(SLOT_WAIT).min(IDLE_WAIT);
                }
            };
            match self.dialer.start(taken.i, addr, self.opts.timeout) {
                Some(ended) => {
                    self.dialing.insert(taken.i, (taken, permit));
                    self.dialed(ended);
                }
                None => {
                    self.dialing.insert(taken.i, (taken, permit));
                }
            }
        }
    }

    /// A target from the feed: a bad one is reported at once, an address is ready to dial, a
    /// host name goes to the resolvers.
    fn classify(&mut self, i: usize, job: Job) {
        let target = match Target::parse(&job.target, self.opts.route.default_port()) {
            Ok(t) => t,
            Err(_) => {
                // No connection: the engine's own report (with the line it came from).
                let r = engine::scan_job(&job, self.opts, self.limits, None);
                let _ = self.results.send((i, r));
                return;
            }
        };
        let start = Instant::now();
        let literal = target.host.parse::<IpAddr>().ok();
        let taken = Taken {
            i,
            job,
            target,
            start,
        };
        match literal {
            Some(ip) => {
                let addr = SocketAddr::new(ip, taken.target.port);
                self.ready.push_back((taken, addr));
            }
            None => {
                self.resolver.submit(i, taken.target.clone());
                self.resolving.insert(i, taken);
            }
        }
    }

    fn resolved(
        &mut self,
        i: usize,
        answer: Result<SocketAddr, crate::net::connect::ConnectError>,
    ) {
        let Some(taken) = self.resolving.remove(&i) else {
            return;
        };
        match answer {
            Ok(addr) => self.ready.push_back((taken, addr)),
            Err(e) => {
                let r = self.failed(&taken, None, 0, OpenError::Connect(e));
                let _ = self.results.send((i, r));
            }
        }
    }

    /// A connect ended: the target goes to a worker with its connection, or is reported.
    fn dialed(&mut self, d: Dialed) {
        let Some((taken, permit)) = self.dialing.remove(&d.key) else {
            return;
        };
        // The slot is the connect's; each probe takes its own.
        drop(permit);
        match d.result {
            Ok(stream) => {
                drop(stream);
                self.handed.insert(taken.i);
                let h = Handoff {
                    i: taken.i,
                    job: taken.job,
                    addr: d.addr,
                };
                let _ = self.handoff.send(h);
            }
            Err(error) => {
                let e = OpenError::Dial {
                    addr: d.addr.to_string(),
                    proxy: false,
                    error,
                };
                let r = self.failed(&taken, Some(d.addr), 1, e);
                let _ = self.results.send((taken.i, r));
            }
        }
    }

    /// The report of a target that could not be reached: what the engine reports when its
    /// first connections fail.
    fn failed(
        &self,
        taken: &Taken,
        addr: Option<SocketAddr>,
        connections: usize,
        e: OpenError,
    ) -> TargetReport {
        TargetReport {
            target: taken.job.target.trim().to_string(),
            ip: addr.map(|a| a.ip().to_string()),
            sni: sni_for(&taken.target, self.opts),
            connections,
            elapsed_ms: taken.start.elapsed().as_millis() as u64,
            error: Some(ScanError::Unreachable(e).to_string()),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::ErrorKind;
    use std::net::TcpListener;
    use std::sync::atomic::AtomicUsize;

    /// A loopback port with nothing listening: bound, then closed.
    fn dead_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    /// A listener that accepts and holds every connection without a word, counting them.
    fn mute_server() -> (u16, Arc<AtomicUsize>) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let n = Arc::new(AtomicUsize::new(0));
        let count = n.clone();
        l.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let mut held = vec![];
            // Bounded: 30 s of accepts 5 ms apart, then the connections close.
            for _ in 0..6000 {
                match l.accept() {
                    Ok(c) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        held.push(c);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        (port, n)
    }

    /// The OS error number of a refused connect, as a refused `TcpStream::connect` gives it.
    fn libc_econnrefused() -> i32 {
        let e = std::net::TcpStream::connect(("127.0.0.1", dead_port())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
        e.raw_os_error().unwrap()
    }

    /// Runs the stage with one worker over `targets`; the reports by index.
    fn stage(targets: Vec<String>, opts: &ScanOptions) -> Vec<TargetReport> {
        let n = targets.len();
        let feed = Feed::new(Box::new(targets.into_iter().map(Job::from)), 16);
        let (tx, rx) = mpsc::channel();
        let limits = Arc::new(Limits::new(4, None));
        let dialer = dialer(opts).expect("a poller");
        spawn(dialer, feed.clone(), tx, limits, opts, (1, 4));
        let mut got: Vec<Option<TargetReport>> = (0..n).map(|_| None).collect();
        for _ in 0..n {
            let (i, r) = rx
                .recv_timeout(Duration::from_secs(20))
                .expect("a report within 20 s");
            got[i] = Some(r);
            feed.delivered();
        }
        got.into_iter()
            .map(|r| r.expect("every index once"))
            .collect()
    }

    #[test]
    fn dead_targets_are_reported_by_the_stage_and_live_ones_by_a_worker() {
        let dead = format!("127.0.0.1:{}", dead_port());
        let named = format!("localhost:{}", dead_port());
        let (mute, accepted) = mute_server();
        let mute = format!("127.0.0.1:{mute}");
        let opts = ScanOptions {
            timeout: Duration::from_millis(300),
            versions: vec![crate::wire::codepoints::ProtocolVersion::TLS12],
            ..Default::default()
        };
        let targets = vec![dead.clone(), mute.clone(), "x:y:z".into(), named.clone()];
        let r = stage(targets, &opts);

        assert_eq!(r[0].target, dead);
        assert_eq!(r[0].ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(r[0].connections, 1, "one connect, no worker");
        let e = r[0].error.as_deref().unwrap();
        let refused = std::io::Error::from_raw_os_error(libc_econnrefused()).to_string();
        assert_eq!(e, format!("cannot connect to {dead}: {refused}"));

        // The worker's scan: the server saw the stage's connection and the scan's own.
        assert_eq!(
            r[1].error.as_deref(),
            Some("the server did not answer within the timeout")
        );
        assert!(r[1].connections >= 1);
        assert_eq!(accepted.load(Ordering::SeqCst), r[1].connections + 1);

        assert!(r[2]
            .error
            .as_deref()
            .unwrap()
            .starts_with("invalid target 'x:y:z'"));
        assert_eq!(r[2].connections, 0);

        // A host name: resolved on the pool, then dialled like an address.
        assert_eq!(r[3].sni.as_deref(), Some("localhost"));
        assert!(r[3].ip.is_some(), "{:?}", r[3]);
        assert!(r[3]
            .error
            .as_deref()
            .unwrap()
            .starts_with("cannot connect to "));
    }

    #[test]
    fn no_stage_through_a_proxy() {
        let opts = ScanOptions {
            route: crate::net::Route {
                proxy: Some(crate::net::proxy::parse_proxy("http://127.0.0.1:1").unwrap()),
                starttls: None,
            },
            ..Default::default()
        };
        assert!(dialer(&opts).is_none());
        assert_eq!(window(&None, 64), 64);
        assert_eq!(window(&dialer(&ScanOptions::default()), 64), WINDOW);
    }
}
