//! Proxies: `--proxy http://[user:pass@]host:port` opens a tunnel with HTTP CONNECT (RFC 9110
//! §9.3.6, `Proxy-Authorization: Basic` per RFC 9110 §11.7.2 and RFC 7617 when credentials are
//! given); `--proxy socks5://[user:pass@]host:port` with SOCKS5 (RFC 1928), username/password
//! authentication (RFC 1929) when credentials are given. The target's host name is sent to the
//! proxy to resolve (SOCKS ATYP 3, or the CONNECT authority), IP literals as themselves.
//!
//! Each step is reported as events (the CONNECT request and response lines as
//! `Event::Plaintext`, SOCKS steps as `Event::Info`); every read is bounded in size and time
//! (`net::plain`). The dialogues are in `http` and `socks5`, the sentences in `error`.

pub mod error;
mod http;
mod socks5;

use std::net::TcpStream;
use std::time::Duration;

pub use self::error::{ProxyError, ProxyUrlError};
use super::target::Target;
use crate::event::Event;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    /// HTTP CONNECT.
    Http,
    /// SOCKS version 5.
    Socks5,
}

/// A parsed `--proxy` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    pub kind: ProxyKind,
    pub host: String,
    pub port: u16,
    /// User name and password (percent-decoded).
    pub auth: Option<(String, String)>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.debug_struct("Proxy")
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("auth", &self.auth.as_ref().map(|(u, _)| u))
            .finish()
    }
}

impl Proxy {
    /// The proxy's own address as a target.
    pub fn target(&self) -> Target {
        Target {
            host: self.host.clone(),
            port: self.port,
        }
    }

    /// `scheme://host:port`, without credentials.
    pub fn display(&self) -> String {
        let scheme = match self.kind {
            ProxyKind::Http => "http",
            ProxyKind::Socks5 => "socks5",
        };
        format!("{scheme}://{}", self.target().display())
    }
}

fn pct_decode(s: &str, what: &'static str) -> Result<String, ProxyUrlError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(ProxyUrlError::BadPercentEncoding { what })?;
            out.push(h);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ProxyUrlError::NotUtf8 { what })
}

/// Parses `http://[user:pass@]host[:port][/]` or `socks5://...` (`socks5h://` is an alias:
/// names are always resolved by the proxy). Default ports: 8080 for http, 1080 for socks5.
pub fn parse_proxy(url: &str) -> Result<Proxy, ProxyUrlError> {
    let u = url.trim();
    let (scheme, rest) = u
        .split_once("://")
        .ok_or_else(|| ProxyUrlError::NoScheme { url: u.into() })?;
    let (kind, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "http" => (ProxyKind::Http, 8080),
        "socks5" | "socks5h" => (ProxyKind::Socks5, 1080),
        "https" => return Err(ProxyUrlError::Https { url: u.into() }),
        other => {
            return Err(ProxyUrlError::UnsupportedScheme {
                url: u.into(),
                scheme: other.into(),
            })
        }
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#']) {
        return Err(ProxyUrlError::HasPath { url: u.into() });
    }
    let (auth, hostport) = match rest.rsplit_once('@') {
        Some((ui, hp)) => {
            let (user, pass) = ui.split_once(':').unwrap_or((ui, ""));
            let user = pct_decode(user, "user name")?;
            let pass = pct_decode(pass, "password")?;
            if user.is_empty() {
                return Err(ProxyUrlError::EmptyUser { url: u.into() });
            }
            if kind == ProxyKind::Socks5 && (user.len() > 255 || pass.len() > 255) {
                return Err(ProxyUrlError::Socks5CredentialsTooLong);
            }
            if user.contains(':') && kind == ProxyKind::Http {
                return Err(ProxyUrlError::UserWithColon);
            }
            (Some((user, pass)), hp)
        }
        None => (None, rest),
    };
    let t = Target::parse(hostport, default_port).map_err(|error| ProxyUrlError::Target {
        url: redact(u),
        error,
    })?;
    Ok(Proxy {
        kind,
        host: t.host,
        port: t.port,
        auth,
    })
}

/// The URL with any password replaced, for messages.
fn redact(u: &str) -> String {
    match (u.split_once("://"), u.rfind('@')) {
        (Some((scheme, rest)), Some(_)) => {
            let (ui, hp) = rest.rsplit_once('@').unwrap_or(("", rest));
            let user = ui.split_once(':').map(|(u, _)| u).unwrap_or(ui);
            format!("{scheme}://{user}:***@{hp}")
        }
        _ => u.to_string(),
    }
}

/// Opens the tunnel to `target` on a stream already connected to the proxy.
pub fn tunnel(
    s: &mut TcpStream,
    p: &Proxy,
    target: &Target,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), ProxyError> {
    match p.kind {
        ProxyKind::Http => http::connect(s, p, target, timeout, on_event),
        ProxyKind::Socks5 => socks5::connect(s, p, target, timeout, on_event),
    }
}

/// RFC 1928 §6 reply codes.
pub fn socks_reply_name(code: u8) -> &'static str {
    match code {
        0 => "succeeded",
        1 => "general SOCKS server failure",
        2 => "connection not allowed by ruleset",
        3 => "network unreachable",
        4 => "host unreachable",
        5 => "connection refused",
        6 => "TTL expired",
        7 => "command not supported",
        8 => "address type not supported",
        _ => "unassigned reply code",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let p = parse_proxy("http://127.0.0.1:3128").unwrap();
        assert_eq!(
            (p.kind, p.host.as_str(), p.port, p.auth.is_none()),
            (ProxyKind::Http, "127.0.0.1", 3128, true)
        );
        let p = parse_proxy("socks5://u%40x:p%3Aw@[::1]:1080/").unwrap();
        assert_eq!(p.kind, ProxyKind::Socks5);
        assert_eq!(p.host, "::1");
        assert_eq!(p.auth, Some(("u@x".into(), "p:w".into())));
        assert_eq!(parse_proxy("socks5h://proxy").unwrap().port, 1080);
        assert_eq!(parse_proxy("http://proxy").unwrap().port, 8080);
        for bad in [
            "proxy:8080",
            "ftp://x:1",
            "http://",
            "http://h:0",
            "http://h:1/path",
            "http://:pw@h:1",
            "http://u:p@h:99999",
            "socks5://u:%zz@h:1",
        ] {
            assert!(parse_proxy(bad).is_err(), "{bad}");
        }
        let e = parse_proxy("http://u:secret@h:99999")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret"), "{e}");
        assert_eq!(
            e,
            "--proxy 'http://u:***@h:99999': invalid port '99999' in 'h:99999' (expected 1-65535)"
        );
        assert!(!format!("{:?}", parse_proxy("http://u:secret@h:1").unwrap()).contains("secret"));
    }
}
