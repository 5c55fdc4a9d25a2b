//! `tlsprobe connect`: a full handshake with every message shown, certificate verification,
//! optional resumption (`--reconnect`), then the encrypted pipe between stdin/stdout and the
//! server.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use super::hints;
use super::options;
use super::output::{setup_color, OutputChoice, ServerVerifier};
use super::session_file;
use super::CliError;
use crate::cli::ConnectArgs;
use crate::crypto::rng::system_rng;
use crate::event::{Closed, EarlyData, EarlyDataRefusal, Event, Info, Warning};
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
    /// Whether a failure gets a `hint:` line (connect); demo's peer is its own listener, where
    /// "try --tls 1.0" or "scan it" means nothing.
    pub hints: bool,
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
    let opened = open(
        &plan.target,
        &plan.route,
        &plan.name,
        plan.timeout,
        &mut |e| {
            let _ = out.event(&e);
        },
    );
    let mut config = plan.config.clone();
    config.resume = resume;
    let started = opened.map_err(|e| e.to_string()).and_then(|s| {
        Ok((
            s,
            Connection::client(config, system_rng()).map_err(|e| e.to_string())?,
        ))
    });
    let (stream, mut conn) = match started {
        Ok(x) => x,
        Err(e) => {
            let _ = out.event(&Event::Closed(Box::new(Closed::before_tls(e.clone()))));
            return Err(CliError::runtime(e));
        }
    };
    conn.set_log_records(plan.hex > 0);
    let mut d = Driver::new(conn, stream, plan.timeout, "server");
    d.write_received_to(received_to);
    let r = d.handshake(out);
    ended(&mut d, out, r.map_err(|e| hinted(plan, e)))?;
    Ok(d)
}

/// On an error, the connection ends: its `closed` event is written before the error goes up.
pub fn ended<T>(d: &mut Driver, out: &mut Sinks, r: anyhow::Result<T>) -> anyhow::Result<T> {
    if r.is_err() {
        let _ = d.finish(out);
    }
    r
}

/// The connection is over: its `closed` event, then the result of what ended it.
pub fn finish<T>(d: &mut Driver, out: &mut Sinks, r: anyhow::Result<T>) -> anyhow::Result<T> {
    let f = d.finish(out).map_err(drive_error);
    let v = r?;
    f?;
    Ok(v)
}

/// A driver error with the hint that fits it (a TLS 1.3 server's certificate_required
/// arrives after our Finished, so closing and the pipe need it too).
fn hinted(plan: &ClientPlan, e: DriveError) -> anyhow::Error {
    let hint = plan
        .hints
        .then(|| hints::after_handshake(&e, &plan.config, &plan.target))
        .flatten();
    with_hint(drive_error(e), hint)
}

/// `e` with a `hint:` line under its message (cli.md: one clear line after the error).
fn with_hint(e: anyhow::Error, hint: Option<String>) -> anyhow::Error {
    match (hint, e.downcast::<CliError>()) {
        (Some(h), Ok(c)) if !c.message.is_empty() => anyhow::Error::new(CliError {
            code: c.code,
            message: format!("{}\nhint: {h}", c.message),
        }),
        (_, Ok(c)) => anyhow::Error::new(c),
        (_, Err(e)) => e,
    }
}

/// Checks the verification result the connection kept: exit 3 unless -k (cli.md); then the
/// connection is closed (close_notify) and ends with `closed` (reason verify_failed).
fn check_verified(plan: &ClientPlan, d: &mut Driver, out: &mut Sinks) -> anyhow::Result<()> {
    let conn = &d.conn;
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
            let message =
                format!("certificate verification failed: {reason} (use -k to continue anyway)");
            let hint = plan
                .hints
                .then(|| hints::after_verification(errors))
                .flatten()
                .map(|h| format!("\nhint: {h}"))
                .unwrap_or_default();
            d.note_verify_failed(message.clone());
            let _ = d.close(out);
            let _ = d.finish(out);
            return Err(anyhow::Error::new(CliError {
                code: 3,
                message: format!("{message}{hint}"),
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
    let post_handshake_auth = args.pha || client_cert.is_some();
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
        early_data: None,
        post_handshake_auth,
        record_size_limit: args.record_size_limit,
        split_records: !args.no_split,
        fallback_scsv: args.fallback_scsv,
        encrypt_then_mac: true,
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
        hints: true,
    })
}

/// `--early-data FILE`: its bytes (usage error, exit 2, when unreadable).
fn read_early_data(args: &ConnectArgs) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(p) = &args.early_data else {
        return Ok(None);
    };
    std::fs::read(p)
        .map(Some)
        .map_err(|e| CliError::usage(format!("cannot read --early-data {}: {e}", p.display())))
}

/// RFC 8446 §4.2.10: at most the ticket's max_early_data_size. Like `openssl s_client
/// -early_data`, which fails when the data does not fit, a FILE too large is an error (exit
/// 1), before the second connection sends anything. A ticket that allows no early data is
/// said so; the data then goes after the handshake.
fn check_early_data(
    session: Option<&ClientSession>,
    data: &[u8],
    args: &ConnectArgs,
    out: &mut Sinks,
) -> anyhow::Result<()> {
    let max = session.map_or(0, |s| s.max_early_data);
    if max == 0 {
        out.event(&Event::Info(Info::EarlyDataRejected {
            reason: EarlyDataRefusal::TicketWithoutEarlyData,
        }))
        .map_err(io_error)?;
        return Ok(());
    }
    if data.len() > max as usize {
        let file = args
            .early_data
            .as_deref()
            .unwrap_or(std::path::Path::new("-"));
        return Err(CliError::runtime(format!(
            "--early-data {} has {} bytes, but the server's ticket allows at most {max} bytes of early data (max_early_data_size); nothing was sent",
            file.display(),
            data.len()
        )));
    }
    Ok(())
}

/// Early data the server did not accept goes as ordinary application data after the
/// handshake (as `openssl s_client -early_data` does).
fn resend_rejected_early_data(d: &mut Driver, data: &[u8], out: &mut Sinks) -> anyhow::Result<()> {
    let accepted = d.conn.summary().and_then(|s| s.early_data) == Some(EarlyData::Accepted);
    if accepted || data.is_empty() {
        return Ok(());
    }
    out.event(&Event::Info(Info::EarlyDataResent { bytes: data.len() }))
        .map_err(io_error)?;
    d.send(data, out).map_err(drive_error)
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
    let mut plan = plan(&args)?;
    let early_data = read_early_data(&args)?;
    let stored = read_session(&args)?;
    let output = OutputChoice::from_args(&args.tls)?;
    let mut out = output.sinks(None);

    // Early data goes on the first resumed connection: from --sess-in, else --reconnect's.
    let early_first = early_data.as_ref().filter(|_| stored.is_some());
    if let Some(data) = early_first {
        check_early_data(stored.as_ref(), data, &args, &mut out)?;
        plan.config.early_data = Some(data.clone());
    }
    let mut d = handshake(&plan, stored, &mut out, output.pipe_output())?;
    if let Some(data) = early_first {
        let r = resend_rejected_early_data(&mut d, data, &mut out);
        ended(&mut d, &mut out, r)?;
    }
    check_verified(&plan, &mut d, &mut out)?;
    if args.reconnect {
        // TLS 1.3 tickets arrive after the handshake: collect them while closing.
        let r = d.close_and_wait(&mut out).map_err(|e| hinted(&plan, e));
        finish(&mut d, &mut out, r)?;
        let session = d.conn.session();
        if session.is_none() {
            out.event(&Event::Warning(Warning::NothingToResume))
                .map_err(io_error)?;
        }
        out.event(&Event::Info(Info::Reconnecting))
            .map_err(io_error)?;
        let early_second = early_data.as_ref().filter(|_| early_first.is_none());
        plan.config.early_data = None;
        if let Some(data) = early_second {
            check_early_data(session.as_ref(), data, &args, &mut out)?;
            plan.config.early_data = Some(data.clone());
        }
        d = handshake(&plan, session, &mut out, output.pipe_output())?;
        if let Some(data) = early_second {
            let r = resend_rejected_early_data(&mut d, data, &mut out);
            ended(&mut d, &mut out, r)?;
        }
    }
    let r = if args.no_pipe {
        d.close_and_wait(&mut out).map_err(|e| hinted(&plan, e))
    } else {
        if d.conn.summary().and_then(|s| s.alpn.as_deref()) == Some("h2") {
            eprintln!("{}", hints::H2_PIPE);
        }
        d.start_stdin();
        d.run(&mut out).map_err(|e| hinted(&plan, e))
    };
    // The session is saved once the connection is over (tickets come late), before `closed`.
    let r = r.and_then(|_| save_session(&args, &d, &mut out));
    finish(&mut d, &mut out, r)?;
    Ok(0)
}

/// `--sess-in FILE`: the session to resume (usage error, exit 2, when unreadable).
fn read_session(args: &ConnectArgs) -> anyhow::Result<Option<ClientSession>> {
    if args.early_data.is_some() && !args.reconnect && args.sess_in.is_none() {
        return Err(CliError::usage(
            "--early-data needs a session to resume: give --reconnect or --sess-in FILE",
        ));
    }
    let Some(p) = &args.sess_in else {
        return Ok(None);
    };
    session_file::read(p)
        .map(Some)
        .map_err(|e| CliError::usage(format!("--sess-in {}: {e}", p.display())))
}

/// `--sess-out FILE`: the newest session of the last connection (a TLS 1.3 ticket arrives
/// after the handshake, so this runs once the connection is over), mode 0600.
fn save_session(args: &ConnectArgs, d: &Driver, out: &mut Sinks) -> anyhow::Result<()> {
    let Some(p) = &args.sess_out else {
        return Ok(());
    };
    let Some(s) = d.conn.session() else {
        let path = p.display().to_string();
        return out
            .event(&Event::Warning(Warning::SessionNotSaved { path }))
            .map_err(io_error);
    };
    session_file::write(p, &s)
        .map_err(|e| CliError::runtime(format!("cannot write --sess-out {}: {e}", p.display())))
}
