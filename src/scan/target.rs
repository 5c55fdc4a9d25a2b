//! Scan targets: parsing `host`, `host:port`, `ipv4:port` and `[ipv6]:port` (port 443 by
//! default) and resolving them to one socket address.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// Default port when the target names none (HTTPS, RFC 2818).
pub const DEFAULT_PORT: u16 = 443;

/// A parsed target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The text as given (trimmed).
    pub input: String,
    /// Host name or IP literal (without brackets).
    pub host: String,
    pub port: u16,
}

impl Target {
    /// Parses a target. Errors are one sentence naming what is wrong.
    pub fn parse(s: &str) -> Result<Target, String> {
        let t = s.trim();
        if t.is_empty() {
            return Err("empty target".into());
        }
        let (host, port) = if let Some(rest) = t.strip_prefix('[') {
            let (h, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("target '{t}': missing ']' after the IPv6 address"))?;
            if h.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(format!("target '{t}': '{h}' is not an IPv6 address"));
            }
            let port = match after {
                "" => DEFAULT_PORT,
                p => parse_port(
                    t,
                    p.strip_prefix(':')
                        .ok_or_else(|| format!("target '{t}': expected ':PORT' after ']'"))?,
                )?,
            };
            (h.to_string(), port)
        } else if t.parse::<std::net::Ipv6Addr>().is_ok() {
            // A bare IPv6 address: no port can be given without brackets.
            (t.to_string(), DEFAULT_PORT)
        } else {
            match t.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), parse_port(t, p)?),
                None => (t.to_string(), DEFAULT_PORT),
            }
        };
        if host.is_empty() {
            return Err(format!("target '{t}': empty host"));
        }
        if host.contains(|c: char| c.is_whitespace() || c == '/' || c == '[' || c == ']') {
            return Err(format!("target '{t}': invalid host name '{host}'"));
        }
        Ok(Target {
            input: t.to_string(),
            host,
            port,
        })
    }

    /// The host as an IP address, when it is a literal.
    pub fn ip_literal(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }

    /// The SNI name to send by default: the host when it is a DNS name (RFC 6066 §3 forbids
    /// IP literals in server_name).
    pub fn default_sni(&self) -> Option<String> {
        if self.ip_literal().is_some() {
            None
        } else {
            Some(self.host.trim_end_matches('.').to_string())
        }
    }

    /// Resolves to the first address (IPv4 preferred when both exist).
    pub fn resolve(&self) -> Result<SocketAddr, String> {
        if let Some(ip) = self.ip_literal() {
            return Ok(SocketAddr::new(ip, self.port));
        }
        let addrs: Vec<SocketAddr> = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve {}: {e}", self.host))?
            .collect();
        addrs
            .iter()
            .find(|a| a.is_ipv4())
            .or_else(|| addrs.first())
            .copied()
            .ok_or_else(|| format!("{} resolves to no address", self.host))
    }

    /// `host:port` with brackets for IPv6, as printed in reports.
    pub fn display(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

fn parse_port(t: &str, p: &str) -> Result<u16, String> {
    match p.parse::<u16>() {
        Ok(0) | Err(_) => Err(format!(
            "target '{t}': '{p}' is not a port number (1-65535)"
        )),
        Ok(n) => Ok(n),
    }
}

/// Reads a targets list: one per line, `#` starts a comment, blank lines skipped.
pub fn parse_targets_line(line: &str) -> Option<&str> {
    let l = line.split('#').next().unwrap_or("").trim();
    (!l.is_empty()).then_some(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let t = Target::parse("example.com").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("example.com", 443));
        let t = Target::parse("example.com:8443").unwrap();
        assert_eq!(t.port, 8443);
        let t = Target::parse("127.0.0.1:4433").unwrap();
        assert_eq!(t.default_sni(), None);
        let t = Target::parse("[::1]:4433").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 4433));
        assert_eq!(t.display(), "[::1]:4433");
        let t = Target::parse("::1").unwrap();
        assert_eq!(t.port, 443);
        assert!(Target::parse("host:0").is_err());
        assert!(Target::parse("host:99999").is_err());
        assert!(Target::parse("[::1").is_err());
        assert!(Target::parse("[nothost]:1").is_err());
        assert!(Target::parse("").is_err());
        assert_eq!(parse_targets_line("  a:1 # c"), Some("a:1"));
        assert_eq!(parse_targets_line("# only"), None);
    }
}
