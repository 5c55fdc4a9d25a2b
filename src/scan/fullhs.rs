//! Complete handshakes for what a scan cannot learn from a ServerHello alone: the
//! certificates of a TLS 1.3-only server (they travel encrypted, RFC 8446 §4.4.2), its ALPN
//! and OCSP answers, and whether TLS 1.2 session-id resumption works (RFC 5246 §7.3). They use
//! tlsprobe's own client on `net`'s driver, over connections opened along the scan's route
//! (proxy, STARTTLS) like every probe, so they succeed when the server accepts one of its
//! suites.

use std::sync::atomic::Ordering;

use super::cert;
use super::error::HandshakeError;
use super::probe::Conn;
use super::TargetReport;
use crate::crypto::kx;
use crate::crypto::rng::system_rng;
use crate::event::{Event, Summary};
use crate::handshake::config::{default_client_groups, ClientConfig};
use crate::handshake::{suite_params, ClientSession, Connection};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::suites::CipherSuite;

/// What one complete handshake showed.
#[derive(Debug, Default)]
pub struct FullResult {
    pub chain: Vec<Vec<u8>>,
    pub summary: Option<Summary>,
    pub session: Option<ClientSession>,
    /// A stapled OCSP response was seen.
    pub ocsp: bool,
}

impl FullResult {
    /// Keeps what the scan needs from one event of the handshake.
    fn observe(&mut self, e: Event) {
        match e {
            Event::Handshake { msg, checks, .. } => match *msg {
                _ if checks.iter().any(|k| k.kind.is_ocsp()) && self.chain.is_empty() => {
                    self.ocsp = true;
                    if let HandshakeMessage::Certificate(cert) = *msg {
                        self.chain = cert.entries.into_iter().map(|e| e.der).collect();
                    }
                }
                HandshakeMessage::Certificate(cert) if self.chain.is_empty() => {
                    self.chain = cert.entries.into_iter().map(|e| e.der).collect();
                }
                HandshakeMessage::CertificateStatus(_) => self.ocsp = true,
                _ => {}
            },
            Event::Summary(sum) => self.summary = Some(*sum),
            _ => {}
        }
    }
}

/// connect's default offer (X25519MLKEM768 and X25519 shares first), then every other group
/// tlsprobe can complete a handshake with, so that a server accepting only one of them (pure
/// ML-KEM, ffdhe8192) still shows its certificates.
pub(crate) fn every_group() -> Vec<NamedGroup> {
    let mut groups = default_client_groups();
    groups.extend(
        kx::ALL_GROUPS
            .iter()
            .filter(|g| !groups.contains(g))
            .collect::<Vec<_>>(),
    );
    groups
}

/// Runs one handshake with tlsprobe's client (no certificate verification: a scan reports
/// the certificates, it does not trust them), then closes with close_notify.
pub fn handshake(
    conn: &Conn,
    sni: Option<String>,
    versions: Vec<ProtocolVersion>,
    alpn: Vec<Vec<u8>>,
    resume: Option<ClientSession>,
    session_tickets: bool,
) -> Result<FullResult, HandshakeError> {
    let _permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    let config = ClientConfig {
        versions,
        sni,
        alpn,
        resume,
        session_tickets,
        groups: every_group(),
        ..ClientConfig::default()
    };
    let client = Connection::client(config, system_rng()).map_err(HandshakeError::Config)?;
    let mut d = conn
        .endpoint
        .open_driver(client)
        .map_err(HandshakeError::Open)?;
    let mut out = FullResult::default();
    d.handshake(&mut |e: &Event| {
        out.observe(e.clone());
        Ok(())
    })
    .map_err(HandshakeError::Drive)?;
    out.session = d.conn.session();
    let _ = d.close(&mut |e: &Event| {
        out.observe(e.clone());
        Ok(())
    });
    Ok(out)
}

/// What needs complete handshakes: the certificates, ALPN and OCSP of a TLS 1.3-only server,
/// and TLS 1.2 session-id resumption (`tls12`: the TLS 1.2 suites the server accepted).
pub fn complete_handshakes(
    conn: &Conn,
    sni: &Option<String>,
    alpn: &[Vec<u8>],
    rep: &mut TargetReport,
    tls13_only: bool,
    tls12: &[CipherSuite],
) {
    if tls13_only {
        tls13_only_details(conn, sni, alpn, rep);
    }
    session_id_resumption(conn, sni, rep, tls12);
}

/// The certificate, OCSP staple and ALPN protocols of a server that speaks only TLS 1.3.
fn tls13_only_details(conn: &Conn, sni: &Option<String>, alpn: &[Vec<u8>], rep: &mut TargetReport) {
    let v = vec![ProtocolVersion::TLS13];
    match handshake(conn, sni.clone(), v.clone(), vec![], None, true) {
        Ok(r) => {
            if let Some(c) = r.chain.first().and_then(|d| cert::parse(d)) {
                rep.certificates.push(c);
            }
            rep.features.ocsp_stapling = Some(r.ocsp);
            // ALPN: one handshake per protocol; a refusal means "not supported".
            let mut accepted = vec![];
            for proto in alpn {
                let offer = vec![proto.clone()];
                let r = handshake(conn, sni.clone(), v.clone(), offer, None, true);
                if let Some(a) = r.ok().and_then(|r| r.summary).and_then(|s| s.alpn) {
                    accepted.push(a);
                }
            }
            rep.features.alpn = Some(accepted);
        }
        Err(e) => rep.notes.push(format!(
            "the server speaks only TLS 1.3 and a complete handshake to read its certificate failed ({e})"
        )),
    }
}

/// Session-id resumption: a full TLS 1.2 handshake, then one offering only its session id.
fn session_id_resumption(
    conn: &Conn,
    sni: &Option<String>,
    rep: &mut TargetReport,
    tls12: &[CipherSuite],
) {
    let ours: Vec<CipherSuite> = tls12
        .iter()
        .copied()
        .filter(|s| suite_params::params(*s).is_some())
        .collect();
    if ours.is_empty() {
        if !tls12.is_empty() {
            rep.notes.push("session-id resumption not tested: no TLS 1.2 suite in common with tlsprobe's client".into());
        }
        return;
    }
    let v = vec![ProtocolVersion::TLS12];
    let first = handshake(conn, sni.clone(), v.clone(), vec![], None, false);
    let Some(mut session) = first.ok().and_then(|r| r.session) else {
        rep.notes.push(
            "session-id resumption not tested: the TLS 1.2 handshake did not complete".into(),
        );
        return;
    };
    if session.session_id.is_empty() {
        rep.features.session_id_resumption = Some(false);
        return;
    }
    session.ticket = None;
    rep.features.session_id_resumption =
        handshake(conn, sni.clone(), v, vec![], Some(session), false)
            .ok()
            .and_then(|r| r.summary)
            .map(|s| s.resumed);
}
