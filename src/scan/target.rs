//! Scan targets: parsing `host`, `host:port`, `ipv4:port` and `[ipv6]:port` (port 443 by
//! default, or the STARTTLS protocol's) and resolving them to one socket address. Parsing and
//! resolution are `crate::net::target`'s; this adds what a scan report needs.

use std::net::{IpAddr, SocketAddr};

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
    /// Parses a target with port 443 by default. Errors are one sentence naming what is wrong.
    pub fn parse(s: &str) -> Result<Target, String> {
        Target::parse_with_port(s, DEFAULT_PORT)
    }

    /// Parses a target; the port defaults to `default_port`.
    pub fn parse_with_port(s: &str, default_port: u16) -> Result<Target, String> {
        let t = crate::net::target::parse_target(s, default_port)?;
        Ok(Target {
            input: s.trim().to_string(),
            host: t.host,
            port: t.port,
        })
    }

    /// The network layer's view of this target.
    pub fn net(&self) -> crate::net::target::Target {
        crate::net::target::Target {
            host: self.host.clone(),
            port: self.port,
        }
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
        self.net().resolve_one()
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
