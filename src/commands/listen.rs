//! `tlsprobe listen`: a TLS test endpoint. What is specific to the command lives here: the
//! server configuration from the options, the banner, and what is done with a connection
//! (STARTTLS dialogue, handshake, then the http page, echo or pipe), its events prefixed by
//! its number. Accepting, worker threads, `--max-conns`, the deadlines and the graceful close
//! are `net::server`'s; a failing client ends only its own connection.
//!
//! `--timeout` bounds each read and also the whole handshake (and, in http mode, the reading of
//! the request): the watchdog shuts down the socket of a connection that has not finished in
//! time, so an idle client or one that sends a byte a second cannot hold a slot for long.

use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use super::connect::drive_error;
use super::options;
use super::output::{setup_color, ClientVerifier, OutputChoice};
use super::CliError;
use crate::cli::{ClientAuthArg, ListenArgs, ListenMode};
use crate::crypto::rng::system_rng;
use crate::crypto::sign::SigningKey;
use crate::event::{CertOrigin, Closed, Event, Info, Summary, Warning};
use crate::handshake::config::{CertifiedKey, ClientAuth, ServerConfig, SniPolicy};
use crate::handshake::Connection;
use crate::net::driver::{DriveError, Driver};
use crate::net::server::{Accepted, Armed, Listener, ServeError, Watchdog};
use crate::net::starttls::{self, Starttls};
use crate::net::target::parse_listen;
use crate::pki::selfsigned::KeyKind;
use crate::pki::summary::sha256_fingerprint;
use crate::pki::trust::TrustStore;
use crate::report::sink::{Sink, Sinks};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::handshake::ClientHello;

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
        p += &format!("group:            {}\n", o(s.group_name()));
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
        p += &format!(
            "client cert:      {}\n",
            o(s.client_certificate
                .as_ref()
                .map(|c| format!("{} ({})", c.subject, c.key)))
        );
        p += &format!(
            "PSK:              {}\n",
            o(s.psk.as_ref().map(|u| u.to_string()))
        );
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
    /// What each connection shows (`--json`, `-q`, `--hex`) and the key log.
    pub output: OutputChoice,
    /// Makes each connection's sinks instead of `output` (demo's in-process server).
    pub sinks: Option<MakeSinks>,
    pub timeout: Duration,
    /// Play the server side of this STARTTLS dialogue before the handshake.
    pub starttls: Option<Starttls>,
    /// The host name in STARTTLS greetings.
    pub name: String,
    /// Bounds whole phases (handshake, HTTP request) by `timeout`; None: per-read only.
    pub watchdog: Option<Arc<Watchdog>>,
}

/// Makes the sinks of connection `n` (demo's server side: its events marked as the server's).
pub(crate) type MakeSinks = Box<dyn Fn(u64) -> Sinks + Send + Sync>;

/// The sinks of connection `n`: its events marked with its number.
fn connection_sinks(sh: &Shared, n: u64) -> Sinks {
    match &sh.sinks {
        Some(make) => make(n),
        None => sh.output.sinks(Some(n)),
    }
}

/// Serves one accepted connection: the STARTTLS dialogue when asked for, the handshake, then
/// the mode's exchange. Ok(true) when the handshake completed. `--timeout` bounds each read
/// and, with the watchdog, the whole handshake and the reading of an HTTP request.
pub(crate) fn serve(sh: &Shared, a: Accepted) -> Result<bool, ServeError> {
    let mut out = connection_sinks(sh, a.number);
    let _ = out.event(&Event::Accepted { peer: a.peer });
    let mut stream = a.stream;
    let deadline = sh.watchdog.as_ref().map(|w| w.arm(&stream, sh.timeout));
    if let Some(st) = sh.starttls {
        if let Err(err) = starttls::server(&mut stream, st, &sh.name, sh.timeout, &mut |e| {
            let _ = out.event(&e);
        }) {
            let closed = Closed::before_tls(err.to_string());
            let _ = out.event(&Event::Closed(Box::new(closed)));
            return Err(ServeError::Starttls(err));
        }
    }
    let mut d = handshake(sh, stream, deadline, &mut out)?;
    let r = match sh.mode {
        ListenMode::Http => serve_http(sh, &mut d, &mut out),
        ListenMode::Echo => serve_echo(sh, &mut d, &mut out),
        ListenMode::Pipe => {
            d.start_stdin();
            d.run(&mut out).map(|_| ()).map_err(ServeError::Drive)
        }
    };
    if let Err(e @ ServeError::Deadline { .. }) = &r {
        d.note_deadline(e.to_string());
    }
    // Every connection ends with its `closed` event, whatever ended it.
    let _ = d.finish(&mut out);
    r.map(|()| true)
}

/// The server handshake; `deadline` (the watchdog's) bounds it as a whole. In pipe mode
/// what the client sends goes to stdout from the start; otherwise it is kept for the mode
/// to read from the driver.
fn handshake(
    sh: &Shared,
    stream: TcpStream,
    deadline: Option<Armed>,
    out: &mut Sinks,
) -> Result<Driver, ServeError> {
    let mut conn = Connection::server(sh.config.clone(), system_rng());
    conn.set_log_records(sh.output.hex > 0);
    let mut d = Driver::new(conn, stream, sh.timeout, "client");
    if sh.mode == ListenMode::Pipe {
        d.write_received_to(sh.output.pipe_output());
    }
    let r = d.handshake(out);
    let fired = deadline.is_some_and(Armed::disarm);
    let e = match r {
        Ok(()) => return Ok(d),
        Err(_) if fired => {
            let e = ServeError::Deadline {
                phase: "handshake",
                limit: sh.timeout,
            };
            d.note_deadline(e.to_string());
            e
        }
        Err(e) => ServeError::Drive(e),
    };
    let _ = d.finish(out);
    Err(e)
}

/// Whether the received bytes hold a whole request: a blank line ends it; like
/// `openssl s_server -www`, a bare "\n\n" counts (conformance suites such as tlsfuzzer send
/// "GET / HTTP/1.0\n\n"). 64 KiB without one count too.
fn request_complete(r: &[u8]) -> bool {
    r.windows(4).any(|w| w == b"\r\n\r\n") || r.windows(2).any(|w| w == b"\n\n") || r.len() >= 65536
}

/// `--mode http`: reads one request (bounded in size and, with the watchdog, in time),
/// answers with the page, closes.
fn serve_http(sh: &Shared, d: &mut Driver, out: &mut Sinks) -> Result<(), ServeError> {
    let deadline = sh.watchdog.as_ref().map(|w| w.arm(d.stream(), sh.timeout));
    while !request_complete(d.received()) {
        if !d.poll_once(sh.timeout, out)? {
            break;
        }
    }
    if request_complete(d.received()) && post_handshake(sh) {
        authenticate_client(sh, d, out)?;
    }
    if deadline.is_some_and(Armed::disarm) {
        return Err(ServeError::Deadline {
            phase: "HTTP request",
            limit: sh.timeout,
        });
    }
    // The request may arrive together with the client's close_notify: answer anyway.
    if request_complete(d.received()) {
        // `GET /keyupdate` asks for a KeyUpdate from the server (update_requested, RFC
        // 8446 §4.6.3) before the answer, as tlsfuzzer's keyupdate-from-server expects.
        if d.received().starts_with(b"GET /keyupdate")
            && d.conn.version() == Some(ProtocolVersion::TLS13)
        {
            d.conn.key_update(true).map_err(DriveError::Tls)?;
        }
        let body = http_page(d.conn.summary(), d.conn.client_hello());
        let resp = format!(
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        d.send(resp.as_bytes(), out)?;
    }
    d.close_and_wait(out)?;
    Ok(())
}

/// Whether listen asks for client certificates after the handshake.
fn post_handshake(sh: &Shared) -> bool {
    matches!(sh.config.client_auth, ClientAuth::PostHandshake { .. })
}

/// `--client-auth post-handshake`: sends a CertificateRequest (RFC 8446 §4.6.2; none to a
/// client that did not offer post_handshake_auth, the core warns) and waits, each read
/// bounded by the timeout, until the client has answered it or closed. A failed answer (a
/// bad signature, no certificate where one is required) ends the connection with the core's
/// alert.
fn authenticate_client(sh: &Shared, d: &mut Driver, out: &mut Sinks) -> Result<(), ServeError> {
    if !d.conn.request_client_certificate() {
        d.flush(out)?;
        return Ok(());
    }
    d.flush(out)?;
    while d.conn.post_handshake_auth_pending() {
        if !d.poll_once(sh.timeout, out)? {
            if d.conn.peer_closed() || d.net_eof() {
                return Ok(());
            }
            return Err(ServeError::Deadline {
                phase: "post-handshake authentication",
                limit: sh.timeout,
            });
        }
    }
    Ok(())
}

/// `--mode echo`: sends back what arrives until the client closes; with `--client-auth
/// post-handshake`, the first data also gets a CertificateRequest (answered as it comes).
fn serve_echo(sh: &Shared, d: &mut Driver, out: &mut Sinks) -> Result<(), ServeError> {
    let mut asked = !post_handshake(sh);
    loop {
        // Data may already have arrived with the client's Finished: echo it first.
        let data = d.take_received();
        if !data.is_empty() && !asked {
            asked = true;
            d.conn.request_client_certificate();
            d.flush(out)?;
        }
        if !data.is_empty() {
            d.send(&data, out)?;
        }
        let more = d.poll_once(Duration::from_secs(24 * 3600), out)?;
        if !more {
            let data = d.take_received();
            if !data.is_empty() {
                d.send(&data, out)?;
            }
            d.close(out)?;
            return Ok(());
        }
    }
}

/// Keeps X25519 keys ready for the next handshakes (`crypto::fast_kx::prepare_x25519`), made
/// by a worker between connections rather than while a client waits.
fn prepare_spare_keys() {
    crate::crypto::fast_kx::prepare_x25519(SPARE_KEYS);
}

const SPARE_KEYS: usize = 4;

/// The TLS choices from the options, parsed before anything else is read.
struct Choices {
    versions: Vec<ProtocolVersion>,
    suites: Vec<crate::wire::suites::CipherSuite>,
    groups: Vec<NamedGroup>,
    dhe_groups: Vec<NamedGroup>,
    sigalgs: Vec<crate::wire::codepoints::SignatureScheme>,
    alpn: Vec<Vec<u8>>,
}

fn choices(args: &ListenArgs) -> anyhow::Result<Choices> {
    let versions = options::versions(args.tls.tls.as_deref())?;
    let suites = options::listen_suites(args.tls.suites.as_deref(), &versions)?;
    let suites = options::suites_with_psk(suites, &args.tls, args.psk.psk.is_some())?;
    let (groups, dhe_groups) = options::listen_groups(args.tls.groups.as_deref())?;
    Ok(Choices {
        suites,
        groups,
        dhe_groups,
        sigalgs: options::sigalgs(args.tls.sigalgs.as_deref())?,
        alpn: options::alpn(args.tls.alpn.as_deref())?,
        versions,
    })
}

/// The certificates served, in order of preference: from --cert/--key, else a fresh
/// self-signed P-256 one and an RSA one for clients that cannot use ECDSA.
fn certificates(args: &ListenArgs) -> anyhow::Result<Vec<CertifiedKey>> {
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
    Ok(certs)
}

/// The server configuration: the choices, the certificates (the first preferred) and the
/// remaining options.
fn server_config(
    args: &ListenArgs,
    c: Choices,
    mut certs: Vec<CertifiedKey>,
) -> anyhow::Result<ServerConfig> {
    let cert = certs.remove(0);
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
    let fast_signer = crate::crypto::fast_sign::FastP256::from_key(&cert.key).map(Arc::new);
    let mut config = ServerConfig::new(cert);
    config.alt_certs = certs;
    config.fast_signer = fast_signer;
    config.fast_kx = true;
    config.versions = c.versions;
    config.suites = c.suites;
    config.groups = c.groups;
    config.dhe_groups = c.dhe_groups;
    config.sigalgs = c.sigalgs;
    config.alpn = c.alpn;
    config.ocsp = ocsp;
    config.record_size_limit = args.record_size_limit;
    config.split_records = !args.no_split;
    config.client_verifier = client_verifier;
    config.reveal_secrets = options::keylog_path(&args.tls).is_some() || args.tls.hex > 0;
    config.max_early_data = args.early_data;
    config.psk = options::psk(&args.psk)?;
    config.client_auth = match args.client_auth {
        ClientAuthArg::None => ClientAuth::None,
        ClientAuthArg::Request => ClientAuth::Request,
        ClientAuthArg::Require => ClientAuth::Require,
        ClientAuthArg::PostHandshake => ClientAuth::PostHandshake { required: false },
        ClientAuthArg::PostHandshakeRequire => ClientAuth::PostHandshake { required: true },
    };
    config.sni = match (&args.sni, args.no_sni) {
        (_, true) => SniPolicy::Ignore,
        (Some(s), _) => {
            options::sni(s, true)?;
            SniPolicy::Only(s.clone())
        }
        (None, false) => SniPolicy::Any,
    };
    Ok(config)
}

/// The lines printed once listening: address, certificates, STARTTLS, client-auth caveat.
/// `certs`: each certificate's key description and SHA-256 fingerprint, preferred first.
fn print_banner(
    args: &ListenArgs,
    local: &str,
    certs: &[(String, String)],
    starttls: Option<Starttls>,
) {
    let mut banner = OutputChoice {
        json: args.tls.json,
        ..OutputChoice::default()
    }
    .sinks(None);
    let mut info = |info: Info| {
        let _ = banner.event(&Event::Info(info));
    };
    let origin = if args.cert.is_empty() {
        CertOrigin::SelfSigned
    } else {
        CertOrigin::File
    };
    let (key, sha256) = certs[0].clone();
    info(Info::Listening {
        local: local.to_string(),
        origin,
        key,
    });
    info(Info::CertificateFingerprint { sha256 });
    for (key, sha256) in &certs[1..] {
        info(Info::SecondCertificate {
            origin,
            key: key.clone(),
            sha256: sha256.clone(),
        });
    }
    if let Some(protocol) = starttls {
        info(Info::ListenStarttls { protocol });
    }
    if args.client_auth != ClientAuthArg::None && args.ca_file.is_none() {
        let _ = banner.event(&Event::Warning(Warning::ClientCertificatesUnverified));
    }
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
    let choices = choices(&args)?;
    let timeout = options::timeout(args.tls.timeout)?;
    if args.max_conns == 0 {
        return Err(CliError::usage("--max-conns must be at least 1"));
    }
    let certs = certificates(&args)?;
    let described: Vec<(String, String)> = certs
        .iter()
        .map(|c| (c.key.description(), sha256_fingerprint(&c.chain[0])))
        .collect();
    let config = server_config(&args, choices, certs)?;
    let mut listener = Listener::bind(addr).map_err(|e| CliError::runtime(e.to_string()))?;
    let local = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| addr.to_string());
    let sh = Arc::new(Shared {
        config: Arc::new(config),
        mode: args.mode,
        output: OutputChoice::from_args(&args.tls)?,
        sinks: None,
        timeout,
        starttls,
        name: args.name.clone(),
        watchdog: Some(Watchdog::start()),
    });
    print_banner(&args, &local, &described, starttls);

    if args.once || args.mode == ListenMode::Pipe {
        let served = listener
            .serve_one(timeout, |a| serve(&sh, a))
            .map_err(|e| CliError::runtime(e.to_string()))?;
        return match served {
            Ok(_) => Ok(0),
            Err(ServeError::Drive(e)) => Err(drive_error(e)),
            Err(e) => Err(CliError::runtime(e.to_string())),
        };
    }
    let spare_x25519 = sh.config.fast_kx && sh.config.groups.contains(&NamedGroup::X25519);
    if spare_x25519 {
        prepare_spare_keys();
    }
    let between = spare_x25519.then_some(prepare_spare_keys as fn());
    listener.serve_all(args.max_conns, between, timeout, move |a| {
        let _ = serve(&sh, a);
    });
    Ok(0)
}
