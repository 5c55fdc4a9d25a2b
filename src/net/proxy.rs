//! Proxies: `--proxy http://[user:pass@]host:port` opens a tunnel with HTTP CONNECT (RFC 9110
//! §9.3.6, `Proxy-Authorization: Basic` per RFC 9110 §11.7.2 and RFC 7617 when credentials are
//! given); `--proxy socks5://[user:pass@]host:port` with SOCKS5 (RFC 1928), username/password
//! authentication (RFC 1929) when credentials are given. The target's host name is sent to the
//! proxy to resolve (SOCKS ATYP 3, or the CONNECT authority), IP literals as themselves.
//!
//! Each step is reported as events (the CONNECT request and response lines as
//! `Event::Plaintext`, SOCKS steps as `Event::Info`); every read is bounded in size and time.

use std::net::{IpAddr, TcpStream};
use std::time::Duration;

use base64::Engine as _;

use super::starttls::{printable, Plain};
use super::target::Target;
use crate::event::{Dir, Event};

/// Longest CONNECT response header accepted.
const MAX_HTTP_HEAD: usize = 16 * 1024;

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

fn pct_decode(s: &str, what: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("--proxy: bad percent-encoding in the {what}"))?;
            out.push(h);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("--proxy: the {what} is not UTF-8"))
}

/// Parses `http://[user:pass@]host[:port][/]` or `socks5://...` (`socks5h://` is an alias:
/// names are always resolved by the proxy). Default ports: 8080 for http, 1080 for socks5.
pub fn parse_proxy(url: &str) -> Result<Proxy, String> {
    let u = url.trim();
    let (scheme, rest) = u
        .split_once("://")
        .ok_or_else(|| format!("--proxy '{u}': expected http://host:port or socks5://host:port"))?;
    let (kind, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "http" => (ProxyKind::Http, 8080),
        "socks5" | "socks5h" => (ProxyKind::Socks5, 1080),
        "https" => {
            return Err(format!(
                "--proxy '{u}': https:// proxies (TLS to the proxy) are not supported; use http:// or socks5://"
            ))
        }
        other => {
            return Err(format!(
                "--proxy '{u}': unsupported scheme '{other}' (expected http or socks5)"
            ))
        }
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#']) {
        return Err(format!(
            "--proxy '{u}': a proxy URL has no path, query or fragment"
        ));
    }
    let (auth, hostport) = match rest.rsplit_once('@') {
        Some((ui, hp)) => {
            let (user, pass) = ui.split_once(':').unwrap_or((ui, ""));
            let user = pct_decode(user, "user name")?;
            let pass = pct_decode(pass, "password")?;
            if user.is_empty() {
                return Err(format!("--proxy '{u}': empty user name before '@'"));
            }
            if kind == ProxyKind::Socks5 && (user.len() > 255 || pass.len() > 255) {
                return Err(
                    "--proxy: SOCKS5 user names and passwords are at most 255 bytes (RFC 1929)"
                        .into(),
                );
            }
            if user.contains(':') && kind == ProxyKind::Http {
                return Err("--proxy: the user name cannot contain ':' (RFC 7617)".into());
            }
            (Some((user, pass)), hp)
        }
        None => (None, rest),
    };
    let t = Target::parse(hostport, default_port)
        .map_err(|e| format!("--proxy '{}': {e}", redact(u)))?;
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
) -> Result<(), String> {
    match p.kind {
        ProxyKind::Http => http_connect(s, p, target, timeout, on_event),
        ProxyKind::Socks5 => socks5(s, p, target, timeout, on_event),
    }
}

fn http_connect(
    s: &mut TcpStream,
    p: &Proxy,
    target: &Target,
    timeout: Duration,
    ev: &mut dyn FnMut(Event),
) -> Result<(), String> {
    let authority = target.display();
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
    let mut parts = status_line.splitn(3, ' ');
    let ver = parts.next().unwrap_or("");
    let code = parts.next().and_then(|c| c.parse::<u16>().ok());
    let reason = parts.next().unwrap_or("").trim();
    let Some(code) = code.filter(|_| ver.starts_with("HTTP/")) else {
        return Err(format!(
            "the proxy {} did not answer CONNECT with an HTTP status line (got '{}')",
            p.display(),
            status_line.chars().take(80).collect::<String>()
        ));
    };
    match code {
        200..=299 => {
            ev(Event::Info(format!(
                "the proxy opened a tunnel to {authority}"
            )));
            Ok(())
        }
        407 if p.auth.is_some() => Err(format!(
            "the proxy {} rejected the credentials (HTTP 407 {reason})",
            p.display()
        )),
        407 => Err(format!(
            "the proxy {} requires authentication (HTTP 407 {reason}): give http://user:password@host:port",
            p.display()
        )),
        403 => Err(format!(
            "the proxy {} refused to connect to {authority} (HTTP 403 {reason})",
            p.display()
        )),
        _ => Err(format!(
            "the proxy {} could not connect to {authority} (HTTP {code} {reason})",
            p.display()
        )),
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

fn socks5(
    s: &mut TcpStream,
    p: &Proxy,
    target: &Target,
    timeout: Duration,
    ev: &mut dyn FnMut(Event),
) -> Result<(), String> {
    let pd = p.display();
    let mut io = Plain::new(s, timeout, "proxy");
    // Method selection (RFC 1928 §3): 0x00 no authentication, 0x02 username/password.
    let methods: &[u8] = if p.auth.is_some() {
        &[0x00, 0x02]
    } else {
        &[0x00]
    };
    let mut hello = vec![5, methods.len() as u8];
    hello.extend_from_slice(methods);
    ev(Event::Info(format!(
        "SOCKS5 (RFC 1928): offering authentication methods: {}",
        if p.auth.is_some() {
            "none, username/password"
        } else {
            "none"
        }
    )));
    io.write(&hello)?;
    let r = io.read_exact(2, "SOCKS5 method selection")?;
    if r[0] != 5 {
        return Err(format!(
            "the proxy {pd} is not a SOCKS5 proxy (its answer starts with version {})",
            r[0]
        ));
    }
    match r[1] {
        0x00 => ev(Event::Info("SOCKS5: the proxy chose no authentication".into())),
        0x02 => {
            let Some((u, pw)) = &p.auth else {
                return Err(format!(
                    "the proxy {pd} chose username/password authentication, which was not offered"
                ));
            };
            ev(Event::Info(format!(
                "SOCKS5: the proxy chose username/password authentication (RFC 1929); sending user '{}'",
                printable(u.as_bytes())
            )));
            let (ub, pb) = (u.as_bytes(), pw.as_bytes());
            if ub.len() > 255 || pb.len() > 255 {
                return Err("SOCKS5 user names and passwords are at most 255 bytes".into());
            }
            let mut m = vec![1, ub.len() as u8];
            m.extend_from_slice(ub);
            m.push(pb.len() as u8);
            m.extend_from_slice(pb);
            io.write(&m)?;
            let a = io.read_exact(2, "SOCKS5 authentication status")?;
            if a[1] != 0 {
                return Err(format!(
                    "the proxy {pd} rejected the user name or password (SOCKS5 authentication status {})",
                    a[1]
                ));
            }
            ev(Event::Info("SOCKS5: authenticated".into()));
        }
        0xff if p.auth.is_some() => {
            return Err(format!(
                "the proxy {pd} accepts none of the offered authentication methods (none, username/password)"
            ))
        }
        0xff => {
            return Err(format!(
                "the proxy {pd} requires authentication: give socks5://user:password@host:port"
            ))
        }
        m => {
            return Err(format!(
                "the proxy {pd} chose authentication method 0x{m:02x}, which was not offered"
            ))
        }
    }
    // CONNECT request (RFC 1928 §4).
    let mut req = vec![5, 1, 0];
    let how = match target.host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            req.push(1);
            req.extend_from_slice(&ip.octets());
            "IPv4 address"
        }
        Ok(IpAddr::V6(ip)) => {
            req.push(4);
            req.extend_from_slice(&ip.octets());
            "IPv6 address"
        }
        Err(_) => {
            let h = target.host.as_bytes();
            if h.len() > 255 {
                return Err("the host name is longer than SOCKS5 allows (255 bytes)".into());
            }
            req.push(3);
            req.push(h.len() as u8);
            req.extend_from_slice(h);
            "host name, resolved by the proxy"
        }
    };
    req.extend_from_slice(&target.port.to_be_bytes());
    ev(Event::Info(format!(
        "SOCKS5: CONNECT {} ({how})",
        target.display()
    )));
    io.write(&req)?;
    let h = io.read_exact(4, "SOCKS5 reply")?;
    if h[0] != 5 {
        return Err(format!(
            "the proxy {pd} sent a malformed SOCKS5 reply (version {})",
            h[0]
        ));
    }
    if h[1] != 0 {
        return Err(format!(
            "the proxy {pd} could not connect to {}: SOCKS5 reply 0x{:02x} ({})",
            target.display(),
            h[1],
            socks_reply_name(h[1])
        ));
    }
    // The bound address, which we skip.
    let n = match h[3] {
        1 => 4,
        4 => 16,
        3 => io.read_exact(1, "SOCKS5 reply")?[0] as usize,
        t => {
            return Err(format!(
                "the proxy {pd} sent a SOCKS5 reply with unknown address type {t}"
            ))
        }
    };
    io.read_exact(n + 2, "SOCKS5 reply")?;
    ev(Event::Info(format!(
        "SOCKS5: the proxy connected to {} ({})",
        target.display(),
        socks_reply_name(0)
    )));
    Ok(())
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
        let e = parse_proxy("http://u:secret@h:99999").unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        assert!(!format!("{:?}", parse_proxy("http://u:secret@h:1").unwrap()).contains("secret"));
    }
}
