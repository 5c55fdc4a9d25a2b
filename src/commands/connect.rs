//! `tlsprobe connect`: a full handshake with every message shown, certificate verification,
//! optional resumption (`--reconnect`), then the encrypted pipe between stdin/stdout and the
//! server.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use super::options;
use super::output::{setup_color, OutputChoice, ServerVerifier};
use super::CliError;
use crate::cli::ConnectArgs;
use crate::crypto::rng::system_rng;
use crate::event::{Event, Info, Warning};
use crate::handshake::config::{CertifiedKey, ClientConfig};
use crate::handshake::{ClientSession, Connection};
use crate::net::driver::{DriveError, Driver};
use crate::net::proxy::parse_proxy;
use crate::net::starttls::Starttls;
use crate::net::target::Target;
use crate::net::{open, Route};
use crate::pki::trust::TrustStore;
use crate::report::sink::{Sink, Sinks};

/// Everything a client run needs, resolved from the command line.
pub struct ClientPlan {
    pub target: Target,
    pub config: ClientConfig,
    pub timeout: Duration,
    pub insecure: bool,
    /// `--hex` count: records are logged for the byte view when above 0.
    pub hex: u8,
    /// Proxy and STARTTLS.
    pub route: Route,
    /// The name the STARTTLS dialogue uses (XMPP's `to=`): the SNI, else the target host.
    pub name: String,
}

/// Turns a driver error into the program's error (exit 1), or a quiet end for a closed pipe.
pub fn drive_error(e: DriveError) -> anyhow::Error {
    match e {
        DriveError::SinkClosed => CliError::silent(0),
        e => CliError::runtime(e.to_string()),
    }
}

fn io_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::silent(0)
    } else {
        CliError::runtime(format!("cannot write output: {e}"))
    }
}

/// Connects and completes one handshake, reporting everything to `out`; the data the server
/// sends is written to `received_to` from the start.
pub fn handshake(
    plan: &ClientPlan,
    resume: Option<ClientSession>,
    out: &mut Sinks,
    received_to: Box<dyn Write + Send>,
) -> anyhow::Result<Driver> {
    let stream = open(
        &plan.target,
        &plan.route,
        &plan.name,
        plan.timeout,
        &mut |e| {
            let _ = out.event(&e);
        },
    )
    .map_err(|e| CliError::runtime(e.to_string()))?;
    let mut config = plan.config.clone();
    config.resume = resume;
    let mut conn =
        Connection::client(config, system_rng()).map_err(|e| CliError::runtime(e.to_string()))?;
    conn.set_log_records(plan.hex > 0);
    let mut d = Driver::new(conn, stream, plan.timeout, "server");
    d.write_received_to(received_to);
    d.handshake(out).map_err(drive_error)?;
    Ok(d)
}

/// Checks the verification result the connection kept: exit 3 unless -k (cli.md).
fn check_verified(plan: &ClientPlan, conn: &Connection, out: &mut Sinks) -> anyhow::Result<()> {
    let verified = conn.summary().and_then(|s| s.verified);
    if verified == Some(false) {
        let errors = conn.chain_check().map_or(&[][..], |c| &c.errors[..]);
        if plan.insecure {
            let errors = errors.to_vec();
            out.event(&Event::Warning(Warning::VerificationIgnored { errors }))
                .map_err(io_error)?;
        } else {
            let reason = if errors.is_empty() {
                "the certificate chain did not verify".to_string()
            } else {
                errors.join("; ")
            };
            return Err(anyhow::Error::new(CliError {
                code: 3,
                message: format!(
                    "certificate verification failed: {reason} (use -k to continue anyway)"
                ),
            }));
        }
    }
    Ok(())
}

pub fn plan(args: &ConnectArgs) -> anyhow::Result<ClientPlan> {
    let route = route(args.starttls.as_deref(), args.proxy.as_deref())?;
    let target = Target::parse(&args.target, route.default_port())
        .map_err(|e| CliError::usage(e.to_string()))?;
    let versions = options::versions(args.tls.tls.as_deref())?;
    let suites = options::suites(args.tls.suites.as_deref(), &versions)?;
    let suites = options::suites_with_psk(suites, &args.tls, args.psk.psk.is_some())?;
    let groups = options::groups(args.tls.groups.as_deref())?;
    let sigalgs = options::sigalgs(args.tls.sigalgs.as_deref())?;
    let alpn = options::alpn(args.tls.alpn.as_deref())?;
    let timeout = options::timeout(args.tls.timeout)?;
    let sni = if args.no_sni {
        None
    } else {
        args.sni
            .clone()
            .or_else(|| (!target.is_ip()).then(|| target.host.clone()))
    };
    if let Some(s) = &sni {
        options::sni(s, false)?;
    }
    let store = match &args.ca_file {
        Some(p) => TrustStore::from_pem_file(p)
            .map_err(|e| CliError::usage(format!("--ca-file {}: {e}", p.display())))?,
        None => TrustStore::system(),
    };
    let host = sni.clone().unwrap_or_else(|| target.host.clone());
    let client_cert: Option<CertifiedKey> = match (&args.cert, &args.key) {
        (Some(c), Some(k)) => Some(options::certified_key(c, k)?),
        _ => None,
    };
    let config = ClientConfig {
        versions,
        suites,
        groups,
        sigalgs,
        alpn,
        sni,
        reveal_secrets: options::keylog_path(&args.tls).is_some() || args.tls.hex > 0,
        status_request: true,
        verifier: Some(Arc::new(ServerVerifier {
            store: Arc::new(store),
            host,
        })),
        client_cert,
        resume: None,
        session_tickets: true,
        allow_weak_dh: args.insecure,
        psk: options::psk(&args.psk)?,
    };
    Ok(ClientPlan {
        name: host_name(&config, &target),
        target,
        config,
        timeout,
        insecure: args.insecure,
        hex: args.tls.hex,
        route,
    })
}

fn host_name(config: &ClientConfig, target: &Target) -> String {
    config.sni.clone().unwrap_or_else(|| target.host.clone())
}

/// Parses `--starttls` and `--proxy` (usage errors, exit 2).
pub fn route(starttls: Option<&str>, proxy: Option<&str>) -> anyhow::Result<Route> {
    Ok(Route {
        starttls: starttls
            .map(Starttls::parse)
            .transpose()
            .map_err(|e| CliError::usage(e.to_string()))?,
        proxy: proxy
            .map(parse_proxy)
            .transpose()
            .map_err(|e| CliError::usage(e.to_string()))?,
    })
}

pub fn run(args: ConnectArgs) -> anyhow::Result<i32> {
    setup_color(args.tls.color);
    let plan = plan(&args)?;
    let output = OutputChoice::from_args(&args.tls)?;
    let mut out = output.sinks(None);

    let mut d = handshake(&plan, None, &mut out, output.pipe_output())?;
    check_verified(&plan, &d.conn, &mut out).inspect_err(|_| {
        let _ = d.close(&mut out);
    })?;
    if args.reconnect {
        // TLS 1.3 tickets arrive after the handshake: collect them while closing.
        d.close_and_wait(&mut out).map_err(drive_error)?;
        let session = d.conn.session();
        if session.is_none() {
            out.event(&Event::Warning(Warning::NothingToResume))
                .map_err(io_error)?;
        }
        out.event(&Event::Info(Info::Reconnecting))
            .map_err(io_error)?;
        d = handshake(&plan, session, &mut out, output.pipe_output())?;
    }
    if args.no_pipe {
        d.close_and_wait(&mut out).map_err(drive_error)?;
        return Ok(0);
    }
    d.start_stdin();
    let clean = d.run(&mut out).map_err(drive_error)?;
    if !clean && !d.conn.sent_close() {
        out.event(&Event::Closed {
            reason: "the server closed the TCP connection without close_notify: the data may be truncated".into(),
            clean: false,
        })
        .map_err(io_error)?;
    }
    Ok(0)
}
