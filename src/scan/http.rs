//! HTTP over TLS: one GET after a complete handshake, for the status, HSTS (RFC 6797), the
//! Server header and HTTP compression (BREACH).

mod head;
mod hsts;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::findings::{Finding, Severity};
use super::fullhs;
use super::probe::Conn;
use super::TargetReport;
use crate::crypto::rng::system_rng;
use crate::event::Event;
use crate::handshake::config::ClientConfig;
use crate::handshake::{suite_params, Connection};
use crate::net::driver::Driver;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::CipherSuite;

/// Strict-Transport-Security (RFC 6797 §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hsts {
    pub max_age: u64,
    pub include_subdomains: bool,
    pub preload: bool,
}

/// What the GET answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpInfo {
    pub status: Option<u16>,
    pub hsts: Option<Hsts>,
    pub server: Option<String>,
    /// The Content-Encoding of the answer (e.g. "gzip"), None when uncompressed.
    pub compression: Option<String>,
}

/// Most bytes of a response head read (RFC 9112 leaves the limit to the recipient).
pub const MAX_HEAD: usize = 64 * 1024;

/// One year: an HSTS max-age below it is short (hstspreload.org asks for a year at least).
pub const ONE_YEAR: u64 = 31_536_000;

/// Whether to send the GET: `--http` / `--no-http` when given, else for port 443 only.
pub fn wanted(choice: Option<bool>, port: u16) -> bool {
    choice.unwrap_or(port == 443)
}

/// The Host field value (RFC 9110 §7.2): the name (an IPv6 literal in brackets), with the
/// port unless it is https' 443.
pub fn authority(host: &str, port: u16) -> String {
    let h = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    if port == 443 {
        h
    } else {
        format!("{h}:{port}")
    }
}

/// Sends one GET to the target (one connection) and fills `rep.http`; a failure gives an
/// `HttpInfo` without a status and a note, never a failed target.
pub fn run(
    conn: &Conn,
    sni: &Option<String>,
    host: &str,
    timeout: Duration,
    rep: &mut TargetReport,
) {
    let (info, note) = match exchange(conn, sni, host, timeout, rep) {
        Ok(head) => from_head(&head),
        Err(why) => (HttpInfo::default(), Some(format!("HTTP: {why}"))),
    };
    rep.notes.extend(note);
    rep.http = Some(info);
}

/// What a response head tells, and a note when its HSTS field is invalid.
fn from_head(h: &head::Head) -> (HttpInfo, Option<String>) {
    // RFC 6797 §8.1: only the first STS field is processed.
    let (hsts, note) = match h.first("strict-transport-security").map(hsts::parse) {
        Some(Ok(x)) => (Some(x), None),
        Some(Err(e)) => (
            None,
            Some(format!(
                "HTTP: the Strict-Transport-Security header is invalid ({e}); browsers ignore it"
            )),
        ),
        None => (None, None),
    };
    let server = h.first("server").map(head::clip).filter(|s| !s.is_empty());
    // Content-Encoding lists the codings applied, in order (RFC 9110 §8.4).
    let codings: Vec<String> = h
        .all("content-encoding")
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .map(|c| head::clip(&c))
        .collect();
    let info = HttpInfo {
        status: Some(h.status),
        hsts,
        server,
        compression: (!codings.is_empty()).then(|| codings.join(", ")),
    };
    (info, note)
}

/// The request: GET / with Host, every common compression offered, one response only.
fn request(host: &str) -> Vec<u8> {
    format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: tlsprobe/{}\r\nAccept: */*\r\n\
         Accept-Encoding: gzip,deflate,br\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

/// The versions and suites the scan found that tlsprobe's client can complete.
fn offer(rep: &TargetReport) -> (Vec<ProtocolVersion>, Vec<CipherSuite>) {
    let mut versions = vec![];
    let mut suites = vec![];
    for p in rep.protocols.iter().filter(|p| p.supported) {
        if p.version < ProtocolVersion::TLS10 {
            continue;
        }
        let ours: Vec<CipherSuite> = p
            .cipher_suites
            .iter()
            .copied()
            .filter(|s| suite_params::params(*s).is_some())
            .collect();
        if !ours.is_empty() {
            versions.push(p.version);
        }
        suites.extend(
            ours.into_iter()
                .filter(|s| !suites.contains(s))
                .collect::<Vec<_>>(),
        );
    }
    (versions, suites)
}

/// One handshake (ALPN http/1.1), the GET, and the response head read back, bounded by
/// [`MAX_HEAD`] and by `timeout` for the whole answer.
fn exchange(
    conn: &Conn,
    sni: &Option<String>,
    host: &str,
    timeout: Duration,
    rep: &TargetReport,
) -> Result<head::Head, String> {
    let (versions, suites) = offer(rep);
    if versions.is_empty() {
        return Err("not tested: no version and suite in common with tlsprobe's client".into());
    }
    let config = ClientConfig {
        versions,
        suites,
        sni: sni.clone(),
        alpn: vec![b"http/1.1".to_vec()],
        groups: fullhs::every_group(),
        allow_weak_dh: true,
        ..ClientConfig::default()
    };
    let client = Connection::client(config, system_rng()).map_err(|e| e.to_string())?;
    // Counted and limited like every connection of the scan.
    let _permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    let mut d = conn
        .endpoint
        .open_driver(client)
        .map_err(|e| format!("no connection: {e}"))?;
    let sink = &mut |_: &Event| Ok(());
    d.handshake(sink)
        .map_err(|e| format!("the handshake failed: {e}"))?;
    d.send(&request(host), sink)
        .map_err(|e| format!("the request could not be sent: {e}"))?;
    let r = read_head(&mut d, timeout);
    let _ = d.close(sink);
    r
}

/// Reads until the final response head is complete (interim 1xx heads are skipped, RFC 9110
/// §15.2), the peer closes, [`MAX_HEAD`] bytes or the deadline.
fn read_head(d: &mut Driver, timeout: Duration) -> Result<head::Head, String> {
    let deadline = Instant::now() + timeout;
    let sink = &mut |_: &Event| Ok(());
    // Where the head being read starts (after any interim heads).
    let mut start = 0;
    // Bounded by the deadline; the count is a second bound should a clock misbehave.
    for _ in 0..100_000 {
        if let Some(n) = head::end(&d.received()[start..]) {
            let h = head::parse(&d.received()[start..start + n])?;
            if (100..200).contains(&h.status) && h.status != 101 {
                start += n;
                continue;
            }
            return Ok(h);
        }
        if d.received().len() > MAX_HEAD {
            return Err(format!(
                "the response head is longer than {} KiB",
                MAX_HEAD / 1024
            ));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out(d, timeout));
        }
        let more = d
            .poll_once(left, sink)
            .map_err(|e| format!("reading the response failed: {e}"))?;
        if !more
            && (d.conn.peer_closed() || d.net_eof())
            && head::end(&d.received()[start..]).is_none()
        {
            let rest = &d.received()[start..];
            return Err(if rest.is_empty() {
                "the server closed the connection without an answer".into()
            } else {
                format!(
                    "the server closed the connection before the end of the response head ({})",
                    head::parse(rest)
                        .err()
                        .unwrap_or_else(|| "truncated".into())
                )
            });
        }
    }
    Err(timed_out(d, timeout))
}

fn timed_out(d: &Driver, timeout: Duration) -> String {
    let what = if d.received().is_empty() {
        "no answer"
    } else {
        "no complete response head"
    };
    format!("{what} within {:.1} s", timeout.as_secs_f64())
}

/// The HSTS findings of an HTTPS answer: none (low), a max-age under a year (info).
pub fn findings(rep: &TargetReport) -> Vec<Finding> {
    let Some(h) = rep.http.as_ref().filter(|h| h.status.is_some()) else {
        return vec![];
    };
    match &h.hsts {
        None => vec![Finding {
            id: "no_hsts".into(),
            severity: Severity::Low,
            detail: "the HTTPS server sends no valid Strict-Transport-Security header (RFC 6797): a browser's first plain-HTTP visit can be downgraded".into(),
        }],
        Some(x) if x.max_age < ONE_YEAR => vec![Finding {
            id: "hsts_short_max_age".into(),
            severity: Severity::Info,
            detail: format!(
                "HSTS max-age is {} s, under a year ({ONE_YEAR} s; Mozilla's guidelines ask for two)",
                x.max_age
            ),
        }],
        Some(_) => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_by_default_for_443_only() {
        assert!(wanted(None, 443));
        assert!(!wanted(None, 8443));
        assert!(wanted(Some(true), 8443));
        assert!(!wanted(Some(false), 443));
    }

    #[test]
    fn host_field() {
        assert_eq!(authority("example.com", 443), "example.com");
        assert_eq!(authority("127.0.0.1", 8443), "127.0.0.1:8443");
        assert_eq!(authority("::1", 443), "[::1]");
    }

    #[test]
    fn what_a_head_tells() {
        let h = head::parse(
            b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Encoding: gzip\r\n\
              strict-transport-security: max-age=100\r\nStrict-Transport-Security: bogus\r\n\r\n",
        )
        .unwrap();
        let (i, note) = from_head(&h);
        assert_eq!(i.status, Some(200));
        assert_eq!(i.server.as_deref(), Some("nginx"));
        assert_eq!(i.compression.as_deref(), Some("gzip"));
        assert_eq!(i.hsts.map(|x| x.max_age), Some(100));
        assert!(note.is_none());
        let h = head::parse(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nStrict-Transport-Security: max-age=x\r\n\r\n",
        )
        .unwrap();
        let (i, note) = from_head(&h);
        assert_eq!((i.compression, i.hsts, i.server), (None, None, None));
        assert!(note.unwrap().contains("invalid"));
    }

    #[test]
    fn hsts_findings() {
        let mut rep = TargetReport::default();
        assert!(findings(&rep).is_empty());
        rep.http = Some(HttpInfo::default());
        assert!(findings(&rep).is_empty(), "no answer, no finding");
        rep.http = Some(HttpInfo {
            status: Some(200),
            ..Default::default()
        });
        assert_eq!(findings(&rep)[0].id, "no_hsts");
        rep.http.as_mut().unwrap().hsts = Some(Hsts {
            max_age: 300,
            include_subdomains: false,
            preload: false,
        });
        assert_eq!(findings(&rep)[0].severity, Severity::Info);
        rep.http.as_mut().unwrap().hsts.as_mut().unwrap().max_age = ONE_YEAR;
        assert!(findings(&rep).is_empty());
    }
}
