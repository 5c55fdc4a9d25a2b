//! HTTP CONNECT (RFC 9110 §9.3.6) with `Proxy-Authorization: Basic` (RFC 9110 §11.7.2,
//! RFC 7617) when credentials are given. The request and response lines are reported as
//! `Event::Plaintext`, the credentials hidden.

use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;

use super::error::ProxyError;
use super::Proxy;
use crate::event::{Dir, Event, Info};
use crate::net::plain::{printable, Plain};
use crate::net::target::Target;

/// Longest CONNECT response header accepted.
const MAX_HTTP_HEAD: usize = 16 * 1024;

/// The request's lines: as sent, and as shown (credentials hidden).
fn request(p: &Proxy, authority: &str) -> (Vec<String>, Vec<String>) {
    let mut lines = vec![
        format!("CONNECT {authority} HTTP/1.1"),
        format!("Host: {authority}"),
        "User-Agent: tlsprobe".to_string(),
    ];
    let mut shown = lines.clone();
    if let Some((u, pw)) = &p.auth {
        let cred = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{pw}"));
        lines.push(format!("Proxy-Authorization: Basic {cred}"));
        shown.push(format!(
            "Proxy-Authorization: Basic ({u}:*** in base64, hidden)"
        ));
    }
    (lines, shown)
}

pub(super) fn connect(
    s: &mut TcpStream,
    p: &Proxy,
    target: &Target,
    timeout: Duration,
    ev: &mut dyn FnMut(Event),
) -> Result<(), ProxyError> {
    let authority = target.display();
    let (lines, shown) = request(p, &authority);
    let mut req = String::new();
    for l in &lines {
        req.push_str(l);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    for l in shown {
        ev(Event::Plaintext {
            dir: Dir::Out,
            from: "client",
            text: l,
        });
    }
    let mut io = Plain::new(s, timeout, "proxy");
    io.write(req.as_bytes())?;
    // Read the response head byte by byte: nothing after it belongs to us.
    let head = io.read_until(MAX_HTTP_HEAD, "response to CONNECT", |v| {
        v.ends_with(b"\r\n\r\n") || v.ends_with(b"\n\n")
    })?;
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut status_line = String::new();
    for (i, l) in text.lines().filter(|l| !l.is_empty()).enumerate() {
        let l = printable(l.trim_end_matches('\r').as_bytes());
        if i == 0 {
            status_line = l.clone();
        }
        ev(Event::Plaintext {
            dir: Dir::In,
            from: "proxy",
            text: l,
        });
    }
    judge(p, &authority, &status_line, ev)
}

/// The tunnel is open on a 2xx status (RFC 9110 §9.3.6); anything else says why not.
fn judge(
    p: &Proxy,
    authority: &str,
    status_line: &str,
    ev: &mut dyn FnMut(Event),
) -> Result<(), ProxyError> {
    let mut parts = status_line.splitn(3, ' ');
    let ver = parts.next().unwrap_or("");
    let code = parts.next().and_then(|c| c.parse::<u16>().ok());
    let reason = parts.next().unwrap_or("").trim().to_string();
    let proxy = p.display();
    let Some(code) = code.filter(|_| ver.starts_with("HTTP/")) else {
        return Err(ProxyError::HttpNoStatus {
            proxy,
            got: status_line.to_string(),
        });
    };
    let authority = authority.to_string();
    match code {
        200..=299 => {
            ev(Event::Info(Info::HttpTunnelOpened { authority }));
            Ok(())
        }
        407 if p.auth.is_some() => Err(ProxyError::HttpCredentialsRejected { proxy, reason }),
        407 => Err(ProxyError::HttpAuthRequired { proxy, reason }),
        403 => Err(ProxyError::HttpForbidden {
            proxy,
            authority,
            reason,
        }),
        _ => Err(ProxyError::HttpFailed {
            proxy,
            authority,
            code,
            reason,
        }),
    }
}
