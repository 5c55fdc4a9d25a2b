//! Targets: `host`, `host:port`, `ipv4:port`, `[ipv6]:port` (docs/cli.md), the one type
//! every command uses for where to connect; listen's `PORT`, `ADDR:PORT`, `[ipv6]:PORT`.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use super::connect::{resolve, ConnectError};

/// The port a target without one gets when nothing else decides (HTTPS, RFC 2818).
pub const HTTPS_PORT: u16 = 443;

/// Where to connect: a host name or IP literal (without brackets) and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

/// Why a target (or listen address) is not valid; each sentence names the text given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetError {
    Empty,
    MissingBracket {
        target: String,
    },
    BadIpv6 {
        addr: String,
        target: String,
    },
    NoColonAfterBracket {
        target: String,
    },
    BadPort {
        port: String,
        target: String,
    },
    UnbracketedIpv6 {
        target: String,
    },
    BadHost {
        host: String,
        target: String,
    },
    BadListenAddress {
        addr: String,
    },
    /// `scheme://...`: a URL where a target was expected.
    Url {
        target: String,
        suggestion: String,
    },
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetError::Empty => f.write_str("empty target"),
            TargetError::MissingBracket { target } => {
                write!(f, "invalid target '{target}': missing ']'")
            }
            TargetError::BadIpv6 { addr, target } => {
                write!(f, "invalid IPv6 address '{addr}' in '{target}'")
            }
            TargetError::NoColonAfterBracket { target } => {
                write!(f, "invalid target '{target}': expected ':' after ']'")
            }
            TargetError::BadPort { port, target } => {
                write!(f, "invalid port '{port}' in '{target}' (expected 1-65535)")
            }
            TargetError::UnbracketedIpv6 { target } => write!(
                f,
                "invalid target '{target}': write IPv6 addresses as [addr]:port"
            ),
            TargetError::BadHost { host, target } => {
                write!(f, "invalid host name '{host}' in '{target}'")
            }
            TargetError::Url { target, suggestion } => write!(
                f,
                "invalid target '{target}': it is a URL; give HOST[:PORT] (here: {suggestion})"
            ),
            TargetError::BadListenAddress { addr } => write!(
                f,
                "invalid listen address '{addr}' (expected PORT, ADDR:PORT or [ipv6]:PORT)"
            ),
        }
    }
}

impl std::error::Error for TargetError {}

impl Target {
    /// Parses a target (surrounding blanks ignored); the port defaults to `default_port`.
    pub fn parse(s: &str, default_port: u16) -> Result<Target, TargetError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(TargetError::Empty);
        }
        if let Some((scheme, rest)) = t.split_once("://") {
            return Err(url_error(t, scheme, rest));
        }
        if let Some(rest) = t.strip_prefix('[') {
            return parse_bracketed(rest, t, default_port);
        }
        if t.matches(':').count() > 1 {
            if t.parse::<Ipv6Addr>().is_ok() {
                return Ok(Target {
                    host: t.to_string(),
                    port: default_port,
                });
            }
            return Err(TargetError::UnbracketedIpv6 { target: t.into() });
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
            return Err(TargetError::BadHost {
                host: h.into(),
                target: t.into(),
            });
        }
        Ok(Target {
            host: h.to_string(),
            port: p,
        })
    }

    /// The host is an IP literal (no SNI is sent for it by default, RFC 6066 §3).
    pub fn is_ip(&self) -> bool {
        self.host.parse::<IpAddr>().is_ok()
    }

    /// The SNI name a scan sends by default: the host when it is a DNS name (RFC 6066 §3
    /// forbids IP literals in server_name), without a trailing dot.
    pub fn default_sni(&self) -> Option<String> {
        (!self.is_ip()).then(|| self.host.trim_end_matches('.').to_string())
    }

    /// The target's addresses.
    pub fn resolve(&self) -> Result<Vec<SocketAddr>, ConnectError> {
        resolve(self)
    }

    /// One address for the target: the literal, else the first IPv4 address the name resolves
    /// to, else its first address (the scanner's choice: one address per target).
    pub fn resolve_one(&self) -> Result<SocketAddr, ConnectError> {
        if let Ok(ip) = self.host.parse::<IpAddr>() {
            return Ok(SocketAddr::new(ip, self.port));
        }
        let addrs = self.resolve()?;
        Ok(addrs
            .iter()
            .find(|a| a.is_ipv4())
            .copied()
            .unwrap_or(addrs[0]))
    }

    /// `host:port`, with brackets around an IPv6 literal.
    pub fn display(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The error for a URL given as a target, with the HOST[:PORT] it most likely meant: the
/// authority without user info, path or query, and the scheme's port when it has none.
fn url_error(target: &str, scheme: &str, rest: &str) -> TargetError {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let port = match scheme.to_ascii_lowercase().as_str() {
        "https" | "wss" => Some(443),
        "smtps" => Some(465),
        "imaps" => Some(993),
        "pop3s" => Some(995),
        "ldaps" => Some(636),
        "ftps" => Some(990),
        _ => None,
    };
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(h, p)| !p.is_empty() && (!h.contains(':') || h.ends_with(']')));
    let suggestion = match port {
        Some(p) if !has_port && !authority.is_empty() => format!("{authority}:{p}"),
        _ if authority.is_empty() => "HOST:PORT".to_string(),
        _ => authority.to_string(),
    };
    TargetError::Url {
        target: target.into(),
        suggestion,
    }
}

/// `[ipv6]` or `[ipv6]:port`, after the `[` (`whole` is the target as given, for messages).
fn parse_bracketed(rest: &str, whole: &str, default_port: u16) -> Result<Target, TargetError> {
    let (h, after) = rest
        .split_once(']')
        .ok_or_else(|| TargetError::MissingBracket {
            target: whole.into(),
        })?;
    h.parse::<Ipv6Addr>().map_err(|_| TargetError::BadIpv6 {
        addr: h.into(),
        target: whole.into(),
    })?;
    let p = match after {
        "" => default_port,
        a => port(
            a.strip_prefix(':')
                .ok_or_else(|| TargetError::NoColonAfterBracket {
                    target: whole.into(),
                })?,
            whole,
        )?,
    };
    Ok(Target {
        host: h.to_string(),
        port: p,
    })
}

fn port(s: &str, whole: &str) -> Result<u16, TargetError> {
    s.parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| TargetError::BadPort {
            port: s.into(),
            target: whole.into(),
        })
}

/// Parses listen's `PORT`, `ADDR:PORT` or `[ipv6]:PORT` (ADDR defaults to 127.0.0.1).
pub fn parse_listen(s: &str) -> Result<SocketAddr, TargetError> {
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
    Err(TargetError::BadListenAddress { addr: t.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            Target::parse("example.com", 443).unwrap(),
            Target {
                host: "example.com".into(),
                port: 443
            }
        );
        assert_eq!(Target::parse("127.0.0.1:4433", 443).unwrap().port, 4433);
        let t = Target::parse("[::1]:8443", 443).unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 8443));
        assert!(t.is_ip());
        assert_eq!(t.display(), "[::1]:8443");
        assert_eq!(Target::parse("::1", 443).unwrap().port, 443);
        assert_eq!(
            Target::parse(" h.example.:1 ", 443).unwrap().host,
            "h.example."
        );
        for bad in [
            "host:0",
            "host:99999",
            "ho st",
            "[::1",
            "[nothost]:1",
            "[::1]x",
            "a:b:c",
            "",
        ] {
            assert!(Target::parse(bad, 443).is_err(), "{bad}");
        }
    }

    #[test]
    fn messages_name_the_text_given() {
        let e = |s: &str| Target::parse(s, 443).unwrap_err().to_string();
        assert_eq!(e("  "), "empty target");
        assert_eq!(e("[::1"), "invalid target '[::1': missing ']'");
        assert_eq!(e("[x]:1"), "invalid IPv6 address 'x' in '[x]:1'");
        assert_eq!(
            e("https://example.com/path"),
            "invalid target 'https://example.com/path': it is a URL; give HOST[:PORT] (here: example.com:443)"
        );
        assert_eq!(
            e("https://u@[::1]:8443/"),
            "invalid target 'https://u@[::1]:8443/': it is a URL; give HOST[:PORT] (here: [::1]:8443)"
        );
        assert_eq!(
            e("gopher://h"),
            "invalid target 'gopher://h': it is a URL; give HOST[:PORT] (here: h)"
        );
        assert_eq!(
            e("[::1]x"),
            "invalid target '[::1]x': expected ':' after ']'"
        );
        assert_eq!(e("h:0"), "invalid port '0' in 'h:0' (expected 1-65535)");
        assert_eq!(
            e("a:b:c"),
            "invalid target 'a:b:c': write IPv6 addresses as [addr]:port"
        );
        assert_eq!(e("h st"), "invalid host name 'h st' in 'h st'");
    }

    #[test]
    fn default_sni() {
        let sni = |s: &str| Target::parse(s, 443).unwrap().default_sni();
        assert_eq!(sni("example.com."), Some("example.com".into()));
        assert_eq!(sni("127.0.0.1:4433"), None);
        assert_eq!(sni("[::1]:4433"), None);
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
        assert_eq!(
            parse_listen("localhost:7").unwrap(),
            "127.0.0.1:7".parse().unwrap()
        );
        assert!(parse_listen("x").is_err());
    }
}
