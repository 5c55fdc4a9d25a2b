//! Complete handshakes for the checks that need tlsprobe's own client (client_renegotiation,
//! zero_rtt): a client configuration narrowed to one version and the server's suites, on a
//! connection counted and limited like every other of the scan.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::Scope;
use crate::crypto::rng::system_rng;
use crate::event::Event;
use crate::handshake::config::ClientConfig;
use crate::handshake::{suite_params, Connection};
use crate::net::driver::{DriveError, Driver};
use crate::net::limit::Permit;
use crate::scan::error::HandshakeError;
use crate::scan::fullhs::every_group;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::CipherSuite;

/// The suites the scan found for `v` that tlsprobe's client can complete a handshake with.
pub fn our_suites(s: &Scope, v: ProtocolVersion) -> Vec<CipherSuite> {
    s.report
        .protocols
        .iter()
        .filter(|p| p.version == v && p.supported)
        .flat_map(|p| p.cipher_suites.iter().copied())
        .filter(|c| suite_params::params(*c).is_some_and(|p| p.usable_in(v)))
        .collect()
}

/// Whether the scan found `v` supported.
pub fn supported(s: &Scope, v: ProtocolVersion) -> bool {
    s.report
        .protocols
        .iter()
        .any(|p| p.version == v && p.supported)
}

/// A client for version `v` and `suites`, no certificate verification (a scan reports
/// certificates, it does not trust them), no OCSP request.
pub fn config(s: &Scope, v: ProtocolVersion, suites: Vec<CipherSuite>) -> ClientConfig {
    ClientConfig {
        versions: vec![v],
        suites,
        groups: every_group(),
        sni: s.sni.clone(),
        status_request: false,
        ..ClientConfig::default()
    }
}

/// One connection with tlsprobe's client: the driver, the connection slot it holds, and
/// every event so far for the check to look at.
pub struct Driven<'a> {
    pub d: Driver,
    pub seen: Vec<Event>,
    _permit: Permit<'a>,
}

/// Opens one counted connection and completes the handshake.
pub fn handshake<'a>(s: &Scope<'a>, config: ClientConfig) -> Result<Driven<'a>, HandshakeError> {
    let client = Connection::client(config, system_rng()).map_err(HandshakeError::Config)?;
    drive(s, client)
}

/// Opens one counted connection and completes the handshake `client` started.
pub fn drive<'a>(s: &Scope<'a>, client: Connection) -> Result<Driven<'a>, HandshakeError> {
    let permit = s.conn.limits.begin();
    s.conn.count.fetch_add(1, Ordering::Relaxed);
    let mut d = s
        .conn
        .endpoint
        .open_driver(client)
        .map_err(HandshakeError::Open)?;
    let mut seen = vec![];
    d.handshake(&mut |e: &Event| {
        seen.push(e.clone());
        Ok(())
    })
    .map_err(HandshakeError::Drive)?;
    Ok(Driven {
        d,
        seen,
        _permit: permit,
    })
}

impl Driven<'_> {
    /// Reads what the server sends until `done` holds on the events so far, the server
    /// closes, or `timeout` passes (at most 64 reads). Ok(true) when `done` held.
    pub fn read_until(
        &mut self,
        timeout: Duration,
        done: impl Fn(&[Event]) -> bool,
    ) -> Result<bool, DriveError> {
        let deadline = Instant::now() + timeout;
        for _ in 0..64 {
            if done(&self.seen) {
                return Ok(true);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let seen = &mut self.seen;
            let more = self.d.poll_once(left, &mut |e: &Event| {
                seen.push(e.clone());
                Ok(())
            })?;
            if !more {
                break;
            }
        }
        Ok(done(&self.seen))
    }

    /// Sends close_notify (once), keeping the events.
    pub fn close(&mut self) {
        let seen = &mut self.seen;
        let _ = self.d.close(&mut |e: &Event| {
            seen.push(e.clone());
            Ok(())
        });
    }
}
