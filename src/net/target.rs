//! Targets: `host`, `host:port`, `ipv4:port`, `[ipv6]:port` (cli.md), their resolution, and
//! TCP connection attempts to each address in turn.

use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::event::Event;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

impl Target {
    /// The host is an IP literal (no SNI is sent for it by default, RFC 6066 §3).
    pub fn is_ip(&self) -> bool {
        self.host.parse::<IpAddr>().is_ok()
    }

    pub fn display(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

fn port(s: &str, whole: &str) -> Result<u16, String> {
    s.parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| format!("invalid port '{s}' in '{whole}' (expected 1-65535)"))
}

/// Parses a target; the port defaults to `default_port`.
pub fn parse_target(s: &str, default_port: u16) -> Result<Target, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty target".into());
    }
    if let Some(rest) = t.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("invalid target '{t}': missing ']'"))?;
        h.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("invalid IPv6 address '{h}' in '{t}'"))?;
        let p = match after {
            "" => default_port,
            a => port(
                a.strip_prefix(':')
                    .ok_or_else(|| format!("invalid target '{t}': expected ':' after ']'"))?,
                t,
            )?,
        };
        return Ok(Target {
            host: h.to_string(),
            port: p,
        });
    }
    if t.matches(':').count() > 1 {
        if t.parse::<std::net::Ipv6Addr>().is_ok() {
            return Ok(Target {
                host: t.to_string(),
                port: default_port,
            });
        }
        return Err(format!(
            "invalid target '{t}': write IPv6 addresses as [addr]:port"
        ));
    }
    let (h, p) = match t.split_once(':') {
        Some((h, p)) => (h, port(p, t)?),
        None => (t, default_port),
    };
    if h.is_empty()
        || !h
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(format!("invalid host name '{h}' in '{t}'"));
    }
    Ok(Target {
        host: h.to_string(),
        port: p,
    })
}

/// Parses listen's `PORT`, `ADDR:PORT` or `[ipv6]:PORT` (ADDR defaults to 127.0.0.1).
pub fn parse_listen(s: &str) -> Result<SocketAddr, String> {
    let t = s.trim();
    if let Ok(p) = t.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], p)));
    }
    if let Ok(a) = t.parse::<SocketAddr>() {
        return Ok(a);
    }
    if let Some((h, p)) = t.rsplit_once(':') {
        if let (Ok(ip), Ok(p)) = (h.parse::<IpAddr>(), p.parse::<u16>()) {
            return Ok(SocketAddr::new(ip, p));
        }
        if h == "localhost" {
            if let Ok(p) = p.parse::<u16>() {
                return Ok(SocketAddr::from(([127, 0, 0, 1], p)));
            }
        }
    }
    Err(format!(
        "invalid listen address '{t}' (expected PORT, ADDR:PORT or [ipv6]:PORT)"
    ))
}

/// Resolves the target's addresses.
pub fn resolve(t: &Target) -> Result<Vec<SocketAddr>, String> {
    let addrs: Vec<SocketAddr> = (t.host.as_str(), t.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", t.host))?
        .collect();
    if addrs.is_empty() {
        return Err(format!("cannot resolve {}: no addresses", t.host));
    }
    Ok(addrs)
}

/// Connects to the first address that answers, reporting each attempt.
pub fn connect(
    t: &Target,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<TcpStream, String> {
    let addrs = resolve(t)?;
    let mut last = String::new();
    for a in &addrs {
        on_event(Event::Connecting {
            target: t.display(),
            addr: a.to_string(),
        });
        match TcpStream::connect_timeout(a, timeout) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                let local = s.local_addr().map(|l| l.to_string()).unwrap_or_default();
                on_event(Event::Connected {
                    addr: a.to_string(),
                    local,
                });
                return Ok(s);
            }
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::TimedOut
                    || e.kind() == std::io::ErrorKind::WouldBlock
                {
                    format!("timed out after {:.1} s", timeout.as_secs_f64())
                } else if e.kind() == std::io::ErrorKind::ConnectionRefused {
                    "connection refused".to_string()
                } else {
                    e.to_string()
                };
                on_event(Event::ConnectFailed {
                    addr: a.to_string(),
                    error: msg.clone(),
                });
                last = format!("cannot connect to {} ({a}): {msg}", t.display());
            }
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            parse_target("example.com", 443).unwrap(),
            Target {
                host: "example.com".into(),
                port: 443
            }
        );
        assert_eq!(parse_target("127.0.0.1:4433", 443).unwrap().port, 4433);
        let t = parse_target("[::1]:8443", 443).unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 8443));
        assert!(t.is_ip());
        assert_eq!(t.display(), "[::1]:8443");
        assert!(parse_target("host:0", 443).is_err());
        assert!(parse_target("host:99999", 443).is_err());
        assert!(parse_target("ho st", 443).is_err());
        assert!(parse_target("[::1", 443).is_err());
        assert!(parse_target("a:b:c", 443).is_err());
    }

    #[test]
    fn listen_addrs() {
        assert_eq!(
            parse_listen("4433").unwrap(),
            "127.0.0.1:4433".parse().unwrap()
        );
        assert_eq!(
            parse_listen("0.0.0.0:1").unwrap(),
            "0.0.0.0:1".parse().unwrap()
        );
        assert_eq!(parse_listen("[::1]:5").unwrap(), "[::1]:5".parse().unwrap());
        assert!(parse_listen("x").is_err());
    }
}
