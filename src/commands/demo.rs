//! `tlsprobe demo`: a listener on an ephemeral loopback port in-process and a client that
//! connects to it, verifies its fresh certificate, asks for the http page and shows the whole
//! handshake. Needs no network.

use std::sync::Arc;
use std::time::Duration;

use super::connect::{drive_error, finish, handshake, ClientPlan};
use super::listen::{self_signed, serve, Shared};
use super::options;
use super::output::{setup_color, OutputChoice, ServerVerifier};
use super::CliError;
use crate::cli::{DemoArgs, ListenMode};
use crate::handshake::config::{ClientConfig, ServerConfig};
use crate::net::driver::Driver;
use crate::net::server::Listener;
use crate::net::target::Target;
use crate::pki::trust::TrustStore;
use crate::report::sink::Sinks;

pub fn run(args: DemoArgs) -> anyhow::Result<i32> {
    setup_color(args.tls.color);
    let versions = options::versions(args.tls.tls.as_deref())?;
    let suites = options::suites(args.tls.suites.as_deref(), &versions)?;
    let groups = options::groups(args.tls.groups.as_deref())?;
    let sigalgs = options::sigalgs(args.tls.sigalgs.as_deref())?;
    let alpn = options::alpn(args.tls.alpn.as_deref())?;
    let timeout = options::timeout(args.tls.timeout)?;

    let cert = self_signed("localhost")?;
    let anchor = cert.chain[0].clone();
    let mut sc = ServerConfig::new(cert);
    sc.versions = versions.clone();
    sc.alpn = alpn.clone();
    let sc = Arc::new(sc);
    let mut listener = Listener::bind(([127, 0, 0, 1], 0).into())
        .map_err(|e| CliError::runtime(format!("cannot listen on loopback: {}", e.error)))?;
    let port = listener
        .local_addr()
        .map_err(|e| CliError::runtime(e.to_string()))?
        .port();
    // The server side: one connection, http mode, silent.
    let shared = Shared {
        config: sc,
        mode: ListenMode::Http,
        output: OutputChoice::default(),
        silent: true,
        timeout,
        starttls: None,
        name: "localhost".into(),
        watchdog: None,
    };
    let server = std::thread::spawn(move || -> Result<(), String> {
        match listener.serve_one(timeout, |a| serve(&shared, a)) {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(e.0.to_string()),
        }
    });

    let store = TrustStore::from_der_certs(&[anchor]).map_err(CliError::runtime)?;
    let plan = ClientPlan {
        target: Target {
            host: "127.0.0.1".into(),
            port,
        },
        config: ClientConfig {
            versions,
            suites,
            groups,
            sigalgs,
            alpn,
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
        timeout,
        insecure: false,
        hex: args.tls.hex,
        route: Default::default(),
        name: "localhost".into(),
    };
    let output = OutputChoice::from_args(&args.tls)?;
    let mut out = output.sinks(None);
    let mut d = handshake(&plan, None, &mut out, output.pipe_output())?;
    let r = request(&mut d, timeout, &mut out);
    finish(&mut d, &mut out, r)?;
    match server.join() {
        Ok(Ok(())) => Ok(0),
        Ok(Err(e)) => Err(CliError::runtime(format!("demo server failed: {e}"))),
        Err(_) => Err(CliError::runtime("demo server thread failed")),
    }
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
