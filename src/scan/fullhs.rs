//! Complete handshakes for what a scan cannot learn from a ServerHello alone: the
//! certificates of a TLS 1.3-only server (they travel encrypted, RFC 8446 §4.4.2), its ALPN
//! and OCSP answers, and whether TLS 1.2 session-id resumption works (RFC 5246 §7.3). They use
//! tlsprobe's own client, so they succeed when the server accepts one of its suites.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::probe::Conn;
use crate::crypto::rng::system_rng;
use crate::event::{Event, Summary};
use crate::handshake::config::ClientConfig;
use crate::handshake::{ClientSession, Connection};
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::handshake::HandshakeMessage;

/// What one complete handshake showed.
#[derive(Debug, Default)]
pub struct FullResult {
    pub chain: Vec<Vec<u8>>,
    pub summary: Option<Summary>,
    pub session: Option<ClientSession>,
    /// A stapled OCSP response was seen.
    pub ocsp: bool,
}

/// Runs one handshake with tlsprobe's client (no certificate verification: a scan reports
/// the certificates, it does not trust them).
pub fn handshake(
    conn: &Conn,
    sni: Option<String>,
    versions: Vec<ProtocolVersion>,
    alpn: Vec<Vec<u8>>,
    resume: Option<ClientSession>,
    session_tickets: bool,
) -> Result<FullResult, String> {
    let _permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    let mut s = TcpStream::connect_timeout(&conn.addr, conn.timeout)
        .map_err(|e| format!("cannot connect to {}: {e}", conn.addr))?;
    let _ = s.set_nodelay(true);
    let _ = s.set_read_timeout(Some(conn.timeout));
    let _ = s.set_write_timeout(Some(conn.timeout));
    let config = ClientConfig {
        versions,
        sni,
        alpn,
        resume,
        session_tickets,
        ..ClientConfig::default()
    };
    let mut c = Connection::client(config, system_rng()).map_err(|e| e.to_string())?;
    let mut out = FullResult::default();
    let deadline = Instant::now() + conn.timeout;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let o = c.take_output();
        if !o.is_empty() {
            s.write_all(&o).map_err(|e| format!("send failed: {e}"))?;
        }
        while let Some(e) = c.next_event() {
            match e {
                Event::Handshake { msg, checks, .. } => match *msg {
                    _ if checks.iter().any(|k| k.what == "OCSP") && out.chain.is_empty() => {
                        out.ocsp = true;
                        if let HandshakeMessage::Certificate(cert) = *msg {
                            out.chain = cert.entries.into_iter().map(|e| e.der).collect();
                        }
                    }
                    HandshakeMessage::Certificate(cert) if out.chain.is_empty() => {
                        out.chain = cert.entries.into_iter().map(|e| e.der).collect();
                    }
                    HandshakeMessage::CertificateStatus(_) => out.ocsp = true,
                    _ => {}
                },
                Event::Summary(sum) => out.summary = Some(*sum),
                _ => {}
            }
        }
        if c.is_established() {
            break;
        }
        if c.is_failed() || Instant::now() >= deadline {
            return Err("the handshake did not complete".into());
        }
        match s.read(&mut buf) {
            Ok(0) => return Err("the server closed the connection".into()),
            Ok(n) => {
                let _ = c.feed(&buf[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("read failed: {e}")),
        }
    }
    out.session = c.session();
    c.close();
    let _ = s.write_all(&c.take_output());
    Ok(out)
}
