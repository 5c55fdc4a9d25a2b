//! `tlsprobe listen`: a TLS test endpoint. Each connection runs on its own thread with its
//! events prefixed by a connection number; a failing client ends only its own connection.
//!
//! `--timeout` bounds each read and also the whole handshake (and, in http mode, the reading of
//! the request): a watchdog thread shuts down the socket of a connection that has not finished
//! in time, so an idle client or one that sends a byte a second cannot hold a slot for long.
//! Every connection's socket is shut down when its thread ends, which also stops the driver's
//! reader thread (pipe mode).

use std::collections::HashMap;
use std::io::Read;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::connect::{drive_error, open_keylog};
use super::options;
use super::output::{setup_color, ClientVerifier, KeyLog, Output};
use super::CliError;
use crate::cli::{ClientAuthArg, ListenArgs, ListenMode};
use crate::crypto::rng::system_rng;
use crate::crypto::sign::SigningKey;
use crate::event::{Event, Summary};
use crate::handshake::config::{CertifiedKey, ClientAuth, ServerConfig, SniPolicy};
use crate::handshake::Connection;
use crate::net::driver::{DriveError, Driver};
use crate::net::server::ServeError;
use crate::net::starttls::{self, Starttls};
use crate::net::target::parse_listen;
use crate::pki::selfsigned::KeyKind;
use crate::pki::summary::sha256_fingerprint;
use crate::pki::trust::TrustStore;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::handshake::ClientHello;

/// Limits the connections served at once (`--max-conns`); more wait.
struct Slots {
    free: Mutex<usize>,
    cv: Condvar,
}

impl Slots {
    fn take(&self) {
        let mut f = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *f == 0 {
            f = self.cv.wait(f).unwrap_or_else(|e| e.into_inner());
        }
        *f -= 1;
    }
    fn give(&self) {
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.cv.notify_one();
    }
}

/// Deadlines for whole phases of connections (`--timeout` per handshake, per HTTP request).
/// One thread checks them and shuts down the socket of a connection past its deadline; the
/// connection's reader then sees the end of the stream and its thread ends.
pub(crate) struct Watchdog {
    entries: Mutex<HashMap<u64, Watched>>,
}

struct Watched {
    deadline: Instant,
    stream: TcpStream,
    fired: Arc<AtomicBool>,
}

impl Watchdog {
    /// A watchdog with its checking thread (ticks every 100 ms while the process lives).
    pub(crate) fn start() -> Arc<Watchdog> {
        let w = Arc::new(Watchdog {
            entries: Mutex::new(HashMap::new()),
        });
        let weak = Arc::downgrade(&w);
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let Some(w) = weak.upgrade() else { break };
            let now = Instant::now();
            let mut m = w.entries.lock().unwrap_or_else(|e| e.into_inner());
            m.retain(|_, e| {
                if e.deadline <= now {
                    e.fired.store(true, Ordering::SeqCst);
                    let _ = e.stream.shutdown(Shutdown::Both);
                    false
                } else {
                    true
                }
            });
        });
        w
    }

    /// Watches connection `n` until `disarm` or the deadline; the flag tells whether it fired.
    fn arm(&self, n: u64, stream: &TcpStream, limit: Duration) -> Arc<AtomicBool> {
        let fired = Arc::new(AtomicBool::new(false));
        if let Ok(stream) = stream.try_clone() {
            self.entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    n,
                    Watched {
                        deadline: Instant::now() + limit,
                        stream,
                        fired: fired.clone(),
                    },
                );
        }
        fired
    }

    fn disarm(&self, n: u64) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&n);
    }
}

/// The self-signed certificate listen makes when no --cert is given.
pub fn self_signed(name: &str) -> anyhow::Result<CertifiedKey> {
    self_signed_with(name, KeyKind::EcdsaP256)
}

/// A fresh self-signed certificate of the given kind for `name`.
pub fn self_signed_with(name: &str, kind: KeyKind) -> anyhow::Result<CertifiedKey> {
    let ss = crate::pki::selfsigned::generate_with(name, kind).map_err(CliError::usage)?;
    let key = SigningKey::from_pem(&ss.key_pkcs8_pem).map_err(CliError::runtime)?;
    Ok(CertifiedKey {
        chain: vec![ss.cert_der],
        key: Arc::new(key),
    })
}

/// The page `--mode http` answers with: the negotiated connection and the client's hello.
pub fn http_page(summary: Option<&Summary>, ch: Option<&ClientHello>) -> String {
    let mut p = String::from("tlsprobe listen: your TLS connection\n\n");
    if let Some(s) = summary {
        let o = |x: Option<String>| x.unwrap_or_else(|| "-".into());
        p += &format!(
            "version:          {}\n",
            o(s.version.map(|v| v.to_string()))
        );
        p += &format!(
            "cipher suite:     {}\n",
            o(s.cipher_suite.map(|v| v.to_string()))
        );
        p += &format!("group:            {}\n", o(s.group.map(|v| v.to_string())));
        p += &format!(
            "signature scheme: {}\n",
            o(s.signature_scheme.map(|v| v.to_string()))
        );
        p += &format!("ALPN:             {}\n", o(s.alpn.clone()));
        p += &format!(
            "resumed:          {}\n",
            if s.resumed { "yes" } else { "no" }
        );
        p += &format!("server name:      {}\n", o(s.sni.clone()));
        p += &format!("client cert:      {}\n", o(s.client_certificate.clone()));
    }
    if let Some(ch) = ch {
        p += "\nyour ClientHello:\n";
        p += &format!("  version:        {}\n", ch.version);
        p += &format!("  cipher suites:  {}\n", ch.cipher_suites.len());
        for s in &ch.cipher_suites {
            p += &format!("    0x{:04x} {s}\n", s.0);
        }
        p += "  extensions:\n";
        for e in &ch.extensions {
            p += &format!("    {}\n", e.name());
        }
    }
    p
}

pub(crate) struct Shared {
    pub config: Arc<ServerConfig>,
    pub mode: ListenMode,
    pub json: bool,
    pub quiet: bool,
    /// Print nothing (demo's in-process server).
    pub silent: bool,
    /// `--hex` count: the byte view and the key schedule's values.
    pub hex: u8,
    pub timeout: Duration,
    pub keylog: Option<Arc<KeyLog>>,
    /// Play the server side of this STARTTLS dialogue before the handshake.
    pub starttls: Option<Starttls>,
    /// The host name in STARTTLS greetings.
    pub name: String,
    /// Bounds whole phases (handshake, HTTP request) by `timeout`; None: per-read only.
    pub watchdog: Option<Arc<Watchdog>>,
}

/// Serves one connection, then closes its socket whatever happened: after a bounded linger
/// (see `linger`), shut down both ways (a reader thread in pipe mode holds a clone of the
/// socket and would otherwise keep it open).
pub(crate) fn serve_and_close(sh: &Shared, stream: TcpStream, n: u64) -> Result<bool, ServeError> {
    let guard = stream.try_clone().ok();
    let r = serve(sh, stream, n);
    if let Some(w) = &sh.watchdog {
        w.disarm(n);
    }
    if let Some(g) = guard {
        linger(&g, sh.timeout.min(LINGER));
        let _ = g.shutdown(Shutdown::Both);
    }
    r
}

/// How long a closing connection keeps reading what the client still sends.
const LINGER: Duration = Duration::from_secs(2);
/// How much it reads at most meanwhile (a refused record may announce up to 2^24 bytes).
const LINGER_BYTES: usize = 32 << 20;

/// After our last record (close_notify or a fatal alert): stop sending, then read and drop
/// what the client still sends until it closes, bounded by `limit` and LINGER_BYTES. Closing a
/// socket with unread data makes the kernel answer with a reset, which can destroy the alert
/// before the client has read it (RFC 8446 §6: the alert is sent before closing; tlsfuzzer
/// refuses a reset that hides it).
fn linger(stream: &TcpStream, limit: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    while total < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match { stream }.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

/// Serves one connection; Ok(true) when the handshake completed.
pub(crate) fn serve(sh: &Shared, stream: TcpStream, n: u64) -> Result<bool, ServeError> {
    let mut out = Output::new(sh.json, sh.quiet, sh.hex);
    out.silent = sh.silent;
    out.conn = Some(n);
    out.human.prefix = format!("[#{n}] ");
    out.keylog = sh.keylog.clone();
    out.app_to_stdout = sh.mode == ListenMode::Pipe;
    out.keep_received = sh.mode != ListenMode::Pipe;
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let _ = stream.set_nodelay(true);
    let _ = out.event(Event::Accepted { peer });
    let fired = sh.watchdog.as_ref().map(|w| w.arm(n, &stream, sh.timeout));
    let timed_out = |phase: &'static str| ServeError::Deadline {
        phase,
        limit: sh.timeout,
    };
    let mut stream = stream;
    if let Some(st) = sh.starttls {
        if let Err(err) = starttls::server(&mut stream, st, &sh.name, sh.timeout, &mut |e| {
            let _ = out.event(e);
        }) {
            let _ = out.event(Event::Closed {
                reason: err.to_string(),
                clean: false,
            });
            return Err(ServeError::Starttls(err));
        }
    }
    let mut conn = Connection::server(sh.config.clone(), system_rng());
    conn.set_log_records(sh.hex > 0);
    let mut d = Driver::new(conn, stream, sh.timeout, "client");
    let mut r = d
        .handshake(&mut |e| out.event(e))
        .map_err(ServeError::Drive);
    if let Some(w) = &sh.watchdog {
        w.disarm(n);
    }
    if r.is_err() && fired.is_some_and(|f| f.load(Ordering::SeqCst)) {
        r = Err(timed_out("handshake"));
    }
    if let Err(e) = r {
        // Protocol errors were already reported by the core (alert + closed).
        if !matches!(e, ServeError::Drive(DriveError::Tls(_))) {
            let _ = out.event(Event::Closed {
                reason: e.to_string(),
                clean: false,
            });
        }
        return Err(e);
    }
    match sh.mode {
        ListenMode::Http => {
            // Read one request (bounded in size and, with the watchdog, in time), answer, close.
            let fired = sh
                .watchdog
                .as_ref()
                .map(|w| w.arm(n, d.stream(), sh.timeout));
            // A blank line ends the request; like `openssl s_server -www`, a bare "\n\n" counts
            // (conformance suites such as tlsfuzzer send "GET / HTTP/1.0\n\n").
            let complete = |r: &[u8]| {
                r.windows(4).any(|w| w == b"\r\n\r\n")
                    || r.windows(2).any(|w| w == b"\n\n")
                    || r.len() >= 65536
            };
            while !complete(&out.received) {
                if !d.poll_once(sh.timeout, &mut |e| out.event(e))? {
                    break;
                }
            }
            if let Some(w) = &sh.watchdog {
                w.disarm(n);
            }
            if fired.is_some_and(|f| f.load(Ordering::SeqCst)) {
                return Err(timed_out("HTTP request"));
            }
            // The request may arrive together with the client's close_notify: answer anyway.
            if complete(&out.received) {
                // `GET /keyupdate` asks for a KeyUpdate from the server (update_requested, RFC
                // 8446 §4.6.3) before the answer, as tlsfuzzer's keyupdate-from-server expects.
                if out.received.starts_with(b"GET /keyupdate")
                    && d.conn.version() == Some(ProtocolVersion::TLS13)
                {
                    d.conn.key_update(true).map_err(DriveError::Tls)?;
                }
                let body = http_page(out.last_summary.as_ref(), d.conn.client_hello());
                let resp = format!(
                    "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                d.send(resp.as_bytes(), &mut |e| out.event(e))?;
            }
            d.close_and_wait(&mut |e| out.event(e))?;
        }
        ListenMode::Echo => loop {
            // Data may already have arrived with the client's Finished: echo it first.
            let data = std::mem::take(&mut out.received);
            if !data.is_empty() {
                d.send(&data, &mut |e| out.event(e))?;
            }
            let more = d.poll_once(Duration::from_secs(24 * 3600), &mut |e| out.event(e))?;
            if !more {
                let data = std::mem::take(&mut out.received);
                if !data.is_empty() {
                    d.send(&data, &mut |e| out.event(e))?;
                }
                d.close(&mut |e| out.event(e))?;
                break;
            }
        },
        ListenMode::Pipe => {
            d.start_stdin();
            d.run(&mut |e| out.event(e))?;
        }
    }
    Ok(true)
}

pub fn run(args: ListenArgs) -> anyhow::Result<i32> {
    setup_color(args.tls.color);
    let starttls = args
        .starttls
        .as_deref()
        .map(Starttls::parse)
        .transpose()
        .map_err(|e| CliError::usage(e.to_string()))?;
    let addr = parse_listen(&args.addr).map_err(|e| CliError::usage(e.to_string()))?;
    let versions = options::versions(args.tls.tls.as_deref())?;
    let suites = options::suites(args.tls.suites.as_deref(), &versions)?;
    let (groups, dhe_groups) = options::listen_groups(args.tls.groups.as_deref())?;
    let sigalgs = options::sigalgs(args.tls.sigalgs.as_deref())?;
    let alpn = options::alpn(args.tls.alpn.as_deref())?;
    let timeout = options::timeout(args.tls.timeout)?;
    if args.max_conns == 0 {
        return Err(CliError::usage("--max-conns must be at least 1"));
    }
    if args.cert.len() != args.key.len() {
        return Err(CliError::usage(format!(
            "{} --cert but {} --key: give one --key for each --cert, in the same order",
            args.cert.len(),
            args.key.len()
        )));
    }
    let mut certs = args
        .cert
        .iter()
        .zip(&args.key)
        .map(|(c, k)| options::certified_key(c, k))
        .collect::<Result<Vec<_>, _>>()?;
    if certs.is_empty() {
        // RSA key generation takes a few hundred milliseconds: overlap it with the P-256 one.
        let name = args.name.clone();
        let rsa = std::thread::spawn(move || self_signed_with(&name, KeyKind::Rsa2048));
        certs.push(self_signed(&args.name)?);
        certs.push(
            rsa.join()
                .map_err(|_| CliError::runtime("RSA key generation failed"))??,
        );
    }
    let cert = certs.remove(0);
    let alt_certs = certs;
    let ocsp = match &args.ocsp {
        Some(p) => Some(
            std::fs::read(p)
                .map_err(|e| CliError::usage(format!("cannot read --ocsp {}: {e}", p.display())))?,
        ),
        None => None,
    };
    let client_verifier = match &args.ca_file {
        Some(p) => Some(Arc::new(ClientVerifier {
            store: Arc::new(
                TrustStore::from_pem_file(p)
                    .map_err(|e| CliError::usage(format!("--ca-file {}: {e}", p.display())))?,
            ),
        })
            as Arc<dyn crate::handshake::config::ChainVerifier>),
        None => None,
    };
    let fingerprint = sha256_fingerprint(&cert.chain[0]);
    let key_desc = cert.key.description();
    let fast_signer = crate::crypto::fast_sign::FastP256::from_key(&cert.key).map(Arc::new);
    let alt_desc: Vec<(String, String)> = alt_certs
        .iter()
        .map(|c| (c.key.description(), sha256_fingerprint(&c.chain[0])))
        .collect();
    let mut config = ServerConfig::new(cert);
    config.alt_certs = alt_certs;
    config.fast_signer = fast_signer;
    config.fast_kx = true;
    config.versions = versions;
    config.suites = suites;
    config.groups = groups;
    config.dhe_groups = dhe_groups;
    config.sigalgs = sigalgs;
    config.alpn = alpn;
    config.ocsp = ocsp;
    config.client_verifier = client_verifier;
    config.reveal_secrets = options::keylog_path(&args.tls).is_some() || args.tls.hex > 0;
    config.client_auth = match args.client_auth {
        ClientAuthArg::None => ClientAuth::None,
        ClientAuthArg::Request => ClientAuth::Request,
        ClientAuthArg::Require => ClientAuth::Require,
    };
    config.sni = match (&args.sni, args.no_sni) {
        (_, true) => SniPolicy::Ignore,
        (Some(s), _) => {
            options::sni(s, true)?;
            SniPolicy::Only(s.clone())
        }
        (None, false) => SniPolicy::Any,
    };
    let listener = TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            CliError::runtime(format!(
                "cannot listen on {addr}: the port is already in use"
            ))
        } else {
            CliError::runtime(format!("cannot listen on {addr}: {e}"))
        }
    })?;
    let local = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| addr.to_string());
    let sh = Arc::new(Shared {
        config: Arc::new(config),
        mode: args.mode,
        json: args.tls.json,
        quiet: args.tls.quiet,
        silent: false,
        hex: args.tls.hex,
        timeout,
        keylog: open_keylog(options::keylog_path(&args.tls))?,
        starttls,
        name: args.name.clone(),
        watchdog: Some(Watchdog::start()),
    });
    let mut banner = Output::new(args.tls.json, false, 0);
    let how = if args.cert.is_empty() {
        "self-signed certificate"
    } else {
        "certificate from --cert"
    };
    let _ = banner.info(&format!("Listening on {local} ({how}, {key_desc} key)"));
    let _ = banner.info(&format!("certificate SHA-256 fingerprint {fingerprint}"));
    for (desc, fp) in &alt_desc {
        let _ = banner.info(&format!(
            "second {how} ({desc} key) for clients the first does not suit, SHA-256 fingerprint {fp}"
        ));
    }
    if let Some(st) = starttls {
        let _ = banner.info(&format!(
            "each connection starts with the server side of the {} STARTTLS dialogue",
            st.name()
        ));
    }
    if args.client_auth != ClientAuthArg::None && args.ca_file.is_none() {
        let _ = banner.event(Event::Warning(
            "no --ca-file: client certificates are shown but not verified".into(),
        ));
    }

    let once = args.once || args.mode == ListenMode::Pipe;
    let counter = AtomicU64::new(0);
    if once {
        let (stream, _) = listener
            .accept()
            .map_err(|e| CliError::runtime(format!("accept failed: {e}")))?;
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        return match serve_and_close(&sh, stream, n) {
            Ok(_) => Ok(0),
            Err(ServeError::Drive(e)) => Err(drive_error(e)),
            Err(e) => Err(CliError::runtime(e.to_string())),
        };
    }
    let slots = Arc::new(Slots {
        free: Mutex::new(args.max_conns),
        cv: Condvar::new(),
    });
    let spare_x25519 = sh.config.fast_kx && sh.config.groups.contains(&NamedGroup::X25519);
    if spare_x25519 {
        crate::crypto::fast_kx::prepare_x25519(SPARE_KEYS);
    }
    let pool = Arc::new(Workers {
        spare_x25519,
        ..Workers::default()
    });
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(_) => continue,
        };
        slots.take();
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        pool.run(Job {
            sh: sh.clone(),
            slots: slots.clone(),
            stream,
            n,
        });
    }
    Ok(0)
}

/// One accepted connection for a worker thread.
struct Job {
    sh: Arc<Shared>,
    slots: Arc<Slots>,
    stream: TcpStream,
    n: u64,
}

impl Job {
    fn serve(self) {
        // The slot is given back however serving ends (also if it panics).
        struct Give(Arc<Slots>);
        impl Drop for Give {
            fn drop(&mut self) {
                self.0.give();
            }
        }
        let _give = Give(self.slots);
        let _ = serve_and_close(&self.sh, self.stream, self.n);
    }
}

/// Connection threads, reused: a thread that has served its connection waits a while for the
/// next one instead of ending, so that a busy listener does not create (and tear down) a
/// thread per connection. One thread per connection being served, as before (at most
/// `--max-conns`); at most `MAX_IDLE_WORKERS` wait, each for at most `WORKER_IDLE`, the others
/// end when their connection does.
#[derive(Default)]
struct Workers {
    /// Keep X25519 keys ready for the next handshakes (`crypto::fast_kx::prepare_x25519`).
    spare_x25519: bool,
    /// Idle threads, each with the channel it takes its next connection from.
    idle: Mutex<Vec<(u64, std::sync::mpsc::SyncSender<Job>)>>,
    next_id: AtomicU64,
}

const WORKER_IDLE: Duration = Duration::from_secs(30);
const MAX_IDLE_WORKERS: usize = 8;
const SPARE_KEYS: usize = 4;

impl Workers {
    /// Hands the connection to an idle thread, or to a new one.
    fn run(self: &Arc<Self>, mut job: Job) {
        loop {
            let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let Some((_, tx)) = idle else { break };
            // Claimed under the lock: that thread now waits for exactly this job.
            match tx.send(job) {
                Ok(()) => return,
                Err(e) => job = e.0, // it ended (panicked): try another
            }
        }
        let me = self.clone();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || me.work(id, job));
    }

    fn work(self: Arc<Self>, id: u64, first: Job) {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(1);
        let mut job = first;
        loop {
            job.serve();
            if self.spare_x25519 {
                // The next handshakes' X25519 keys, made now rather than while a client waits.
                crate::crypto::fast_kx::prepare_x25519(SPARE_KEYS);
            }
            {
                let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                if idle.len() >= MAX_IDLE_WORKERS {
                    return;
                }
                idle.push((id, tx.clone()));
            }
            job = match rx.recv_timeout(WORKER_IDLE) {
                Ok(j) => j,
                Err(_) => {
                    let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                    match idle.iter().position(|(i, _)| *i == id) {
                        // Still listed as idle: nobody will send to us; end.
                        Some(pos) => {
                            idle.swap_remove(pos);
                            return;
                        }
                        // Claimed just now: the job is on its way.
                        None => {
                            drop(idle);
                            match rx.recv() {
                                Ok(j) => j,
                                Err(_) => return,
                            }
                        }
                    }
                }
            };
        }
    }
}
