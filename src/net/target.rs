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

    /// One address for the target: the literal, else the first IPv4 address the name resolves
    /// to, else its first address (the scanner's choice: one address per target).
    pub fn resolve_one(&self) -> Result<SocketAddr, String> {
        if let Ok(ip) = self.host.parse::<IpAddr>() {
            return Ok(SocketAddr::new(ip, self.port));
        }
        let addrs = resolve(self)?;
        Ok(addrs
            .iter()
            .find(|a| a.is_ipv4())
            .copied()
            .unwrap_or(addrs[0]))
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

/// How long an attempt may go unanswered before the next address is tried alongside it
/// (RFC 8305 §5 recommends 250 ms).
pub const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// Orders addresses for connection attempts: families interleaved, starting with the family
/// the resolver returned first (RFC 8305 §4).
pub fn interleave(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    let Some(first) = addrs.first() else {
        return vec![];
    };
    let (a, b): (Vec<SocketAddr>, Vec<SocketAddr>) =
        addrs.iter().partition(|x| x.is_ipv6() == first.is_ipv6());
    let mut out = Vec::with_capacity(addrs.len());
    let (mut ia, mut ib) = (a.into_iter(), b.into_iter());
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => break,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
    out.dedup();
    out
}

fn describe(e: &std::io::Error, timeout: Duration) -> String {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            format!("timed out after {:.1} s", timeout.as_secs_f64())
        }
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
        _ => e.to_string(),
    }
}

/// Connects to the target, trying its addresses happy-eyeballs style: the next address is
/// tried when the previous attempt failed or has not connected within [`ATTEMPT_DELAY`],
/// the first connection wins. Every attempt and failure is reported.
pub fn connect(
    t: &Target,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<TcpStream, String> {
    let addrs = resolve(t)?;
    connect_addrs(&t.display(), &addrs, timeout, on_event, |a, to| {
        let s = TcpStream::connect_timeout(&a, to)?;
        let _ = s.set_nodelay(true);
        let local = s.local_addr().map(|l| l.to_string()).unwrap_or_default();
        Ok((s, local))
    })
}

/// The attempt scheduler behind [`connect`], generic over the connecting function so that it
/// can be tested without a network. `attempt` returns the stream and its local address.
pub fn connect_addrs<S, F>(
    label: &str,
    addrs: &[SocketAddr],
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
    attempt: F,
) -> Result<S, String>
where
    S: Send + 'static,
    F: Fn(SocketAddr, Duration) -> std::io::Result<(S, String)> + Send + Sync + 'static,
{
    use std::sync::mpsc::{channel, RecvTimeoutError};
    use std::sync::Arc;
    use std::time::Instant;

    let order = interleave(addrs);
    if order.is_empty() {
        return Err(format!("cannot resolve {label}: no addresses"));
    }
    let attempt = Arc::new(attempt);
    let (tx, rx) = channel::<(usize, std::io::Result<(S, String)>)>();
    let mut next = 0usize;
    let mut pending = 0usize;
    let mut next_start = Instant::now();
    let mut errors: Vec<String> = vec![];
    loop {
        let now = Instant::now();
        if next < order.len() && (pending == 0 || now >= next_start) {
            let a = order[next];
            if pending > 0 {
                on_event(Event::Info(format!(
                    "no answer yet after {} ms: trying {a} as well (happy eyeballs, RFC 8305)",
                    ATTEMPT_DELAY.as_millis()
                )));
            }
            on_event(Event::Connecting {
                target: label.to_string(),
                addr: a.to_string(),
            });
            let (tx, f, i) = (tx.clone(), attempt.clone(), next);
            std::thread::spawn(move || {
                let _ = tx.send((i, f(a, timeout)));
            });
            next += 1;
            pending += 1;
            next_start = now + ATTEMPT_DELAY;
            continue;
        }
        if pending == 0 {
            break;
        }
        // Attempts end on their own within `timeout`; the margin only guards the bound.
        let wait = if next < order.len() {
            next_start.saturating_duration_since(now)
        } else {
            timeout + Duration::from_secs(1)
        };
        match rx.recv_timeout(wait) {
            Ok((i, Ok((s, local)))) => {
                on_event(Event::Connected {
                    addr: order[i].to_string(),
                    local,
                });
                return Ok(s);
            }
            Ok((i, Err(e))) => {
                pending -= 1;
                let msg = describe(&e, timeout);
                on_event(Event::ConnectFailed {
                    addr: order[i].to_string(),
                    error: msg.clone(),
                });
                errors.push(format!("{}: {msg}", order[i]));
                // A failure starts the next attempt at once.
                next_start = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) if next < order.len() => {}
            Err(_) => {
                errors.push(format!("no answer within {:.1} s", timeout.as_secs_f64()));
                break;
            }
        }
    }
    Err(match errors.as_slice() {
        [one] => {
            let (a, m) = one.split_once(": ").unwrap_or(("", one));
            if order.len() == 1 {
                format!("cannot connect to {label} ({a}): {m}")
            } else {
                format!("cannot connect to {label}: {one}")
            }
        }
        many => format!(
            "cannot connect to {label}: every address failed ({})",
            many.join("; ")
        ),
    })
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

    #[test]
    fn interleaving() {
        let v: Vec<SocketAddr> = ["[::1]:1", "[::2]:1", "1.0.0.1:1", "1.0.0.2:1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let o: Vec<String> = interleave(&v).iter().map(|a| a.to_string()).collect();
        assert_eq!(o, ["[::1]:1", "1.0.0.1:1", "[::2]:1", "1.0.0.2:1"]);
    }

    /// A first address that never answers does not hold up the second (no timing asserted:
    /// the dead attempt would take the whole 30 s timeout; the test ends long before).
    #[test]
    fn dead_first_address_is_overtaken() {
        let v: Vec<SocketAddr> = ["192.0.2.1:1", "[::1]:1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut evs = vec![];
        let r = connect_addrs(
            "x",
            &v,
            Duration::from_secs(30),
            &mut |e| evs.push(e),
            |a, to| {
                if a.is_ipv4() {
                    std::thread::sleep(to);
                    Err(std::io::ErrorKind::TimedOut.into())
                } else {
                    Ok((a.to_string(), "local".into()))
                }
            },
        );
        assert_eq!(r.unwrap(), "[::1]:1");
        let attempts = evs
            .iter()
            .filter(|e| matches!(e, Event::Connecting { .. }))
            .count();
        assert_eq!(attempts, 2);
        assert!(evs
            .iter()
            .any(|e| matches!(e, Event::Info(m) if m.contains("happy eyeballs"))));
    }

    #[test]
    fn refused_addresses_are_each_reported() {
        let v: Vec<SocketAddr> = ["127.0.0.1:1", "127.0.0.2:1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut evs = vec![];
        let r: Result<(), String> = connect_addrs(
            "x",
            &v,
            Duration::from_secs(5),
            &mut |e| evs.push(e),
            |_, _| Err(std::io::ErrorKind::ConnectionRefused.into()),
        );
        let e = r.unwrap_err();
        assert!(e.contains("every address failed"), "{e}");
        let failed = evs
            .iter()
            .filter(|e| matches!(e, Event::ConnectFailed { .. }))
            .count();
        assert_eq!(failed, 2);
    }
}
