//! `tlsprobe demo`: a listener on an ephemeral loopback port in-process and a client that
//! connects to it, verifies its fresh certificate, asks for the http page and shows the whole
//! handshake from both sides, each event marked as the client's or the server's
//! (`demo::sides`). Needs no network.

mod sides;

use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use super::connect::{drive_error, finish, handshake, ClientPlan};
use super::listen::{self_signed, serve, Shared};
use super::options;
use super::output::{setup_color, OutputChoice, ServerVerifier};
use super::CliError;
use crate::cli::{DemoArgs, ListenMode};
use crate::handshake::config::{CertifiedKey, ClientConfig, ServerConfig};
use crate::net::driver::{DriveError, Driver};
use crate::net::server::{Listener, ServeError, LINGER};
use crate::net::target::Target;
use crate::pki::trust::TrustStore;
use crate::report::sink::Sinks;
use crate::wire::codepoints::ProtocolVersion;

use self::sides::{Side, SideOutput};

/// The choices both sides share, from the command line.
struct Choices {
    versions: Vec<ProtocolVersion>,
    alpn: Vec<Vec<u8>>,
    timeout: Duration,
    /// The server's certificate, which the client trusts.
    anchor: Vec<u8>,
}

pub fn run(args: DemoArgs) -> anyhow::Result<i32> {
    setup_color(args.tls.color);
    let cert = self_signed("localhost")?;
    let choices = Choices {
        versions: options::versions(args.tls.tls.as_deref())?,
        alpn: options::alpn(args.tls.alpn.as_deref())?,
        timeout: options::timeout(args.tls.timeout)?,
        anchor: cert.chain[0].clone(),
    };
    let mut plan = client_plan(&args, &choices)?;
    let output = OutputChoice::from_args(&args.tls)?;
    let sides = SideOutput::new(output.clone());
    let sc = server_config(&args, &choices, cert)?;
    let listener = Listener::bind(([127, 0, 0, 1], 0).into())
        .map_err(|e| CliError::runtime(format!("cannot listen on loopback: {}", e.error)))?;
    plan.target.port = listener
        .local_addr()
        .map_err(|e| CliError::runtime(e.to_string()))?
        .port();
    let server = start_server(listener, sc, &output, &sides, choices.timeout);
    let client = run_client(&plan, &sides, &output);
    // The server ends once the client has closed (the client's socket is closed by now);
    // waiting for it lets its closing lines come out, bounded in case it never got a client.
    let served = server.recv_timeout(choices.timeout + LINGER);
    let output_closed = matches!(served, Ok(Err(ServeError::Drive(DriveError::SinkClosed))));
    match client {
        // The server stopped at a closed output (`| head`), so the client lost its peer:
        // end quietly, as connect does when its output closes.
        Err(_) if output_closed => return Err(CliError::silent(0)),
        r => r?,
    }
    match served {
        Ok(Ok(())) => Ok(0),
        Ok(Err(ServeError::Drive(DriveError::SinkClosed))) => Err(CliError::silent(0)),
        Ok(Err(e)) => Err(CliError::runtime(format!("demo server failed: {e}"))),
        Err(_) => Err(CliError::runtime(
            "demo server did not finish within --timeout",
        )),
    }
}

/// The client's side: handshake, request, page, close_notify, then its `closed` event.
fn run_client(plan: &ClientPlan, sides: &SideOutput, output: &OutputChoice) -> anyhow::Result<()> {
    let mut out = sides.sinks(Side::Client);
    let mut d = handshake(plan, None, &mut out, output.pipe_output())?;
    let r = request(&mut d, plan.timeout, &mut out);
    finish(&mut d, &mut out, r)
}

/// The server's configuration: listen's defaults, narrowed by the options both sides use.
fn server_config(args: &DemoArgs, c: &Choices, cert: CertifiedKey) -> anyhow::Result<ServerConfig> {
    let tls = &args.tls;
    let mut sc = ServerConfig::new(cert);
    sc.versions = c.versions.clone();
    sc.alpn = c.alpn.clone();
    sc.suites = options::listen_suites(tls.suites.as_deref(), &c.versions)?;
    (sc.groups, sc.dhe_groups) = options::listen_groups(tls.groups.as_deref())?;
    sc.sigalgs = options::sigalgs(tls.sigalgs.as_deref())?;
    // The server's key values show with --hex; the key log is the client's to write.
    sc.reveal_secrets = tls.hex > 0;
    Ok(sc)
}

/// The server side on its own thread: one connection in http mode, its events marked as the
/// server's.
fn start_server(
    mut listener: Listener,
    config: ServerConfig,
    output: &OutputChoice,
    sides: &SideOutput,
    timeout: Duration,
) -> Receiver<Result<(), ServeError>> {
    let server_sides = sides.clone();
    let shared = Shared {
        config: Arc::new(config),
        mode: ListenMode::Http,
        output: output.clone(),
        sinks: Some(Box::new(move |_| server_sides.sinks(Side::Server))),
        timeout,
        starttls: None,
        name: "localhost".into(),
        watchdog: None,
    };
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let r = match listener.serve_one(timeout, |a| serve(&shared, a)) {
            Ok(r) => r.map(|_| ()),
            Err(e) => Err(ServeError::Drive(DriveError::Connection(e.0))),
        };
        let _ = tx.send(r);
    });
    rx
}

/// The client side: trusts the server's certificate for "localhost" and offers what the
/// options ask for (connect's defaults otherwise); the port is the listener's, set once bound.
fn client_plan(args: &DemoArgs, c: &Choices) -> anyhow::Result<ClientPlan> {
    let store =
        TrustStore::from_der_certs(std::slice::from_ref(&c.anchor)).map_err(CliError::runtime)?;
    let versions = c.versions.clone();
    Ok(ClientPlan {
        target: Target {
            host: "127.0.0.1".into(),
            port: 0,
        },
        config: ClientConfig {
            suites: options::suites(args.tls.suites.as_deref(), &versions)?,
            groups: options::groups(args.tls.groups.as_deref())?,
            sigalgs: options::sigalgs(args.tls.sigalgs.as_deref())?,
            versions,
            alpn: c.alpn.clone(),
            sni: Some("localhost".into()),
            reveal_secrets: options::keylog_path(&args.tls).is_some() || args.tls.hex > 0,
            status_request: true,
            verifier: Some(Arc::new(ServerVerifier {
                store: Arc::new(store),
                host: "localhost".into(),
            })),
            client_cert: None,
            resume: None,
            session_tickets: true,
            allow_weak_dh: false,
            early_data: None,
            post_handshake_auth: false,
            record_size_limit: None,
            split_records: true,
            fallback_scsv: false,
            encrypt_then_mac: true,
            psk: None,
        },
        timeout: c.timeout,
        insecure: false,
        hex: args.tls.hex,
        route: Default::default(),
        name: "localhost".into(),
        hints: false,
    })
}

/// The client's side after the handshake: the request, the page until the server closes
/// (bounded by the timeout), then close_notify.
fn request(d: &mut Driver, timeout: Duration, out: &mut Sinks) -> anyhow::Result<()> {
    d.send(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n", out)
        .map_err(drive_error)?;
    let deadline = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < deadline {
        if !d.poll_once(timeout, out).map_err(drive_error)? {
            break;
        }
    }
    d.close_and_wait(out).map_err(drive_error)?;
    Ok(())
}
