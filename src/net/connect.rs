//! Resolution and TCP connection attempts to a target's addresses, happy-eyeballs style
//! (RFC 8305): every attempt is reported as a typed step, every failure kept for the error.

use std::fmt;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::target::Target;
use crate::event::{Event, Info};

/// How long an attempt may go unanswered before the next address is tried alongside it
/// (RFC 8305 §5 recommends 250 ms).
pub const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// Why one connection attempt failed.
#[derive(Debug, Clone)]
pub enum AttemptError {
    TimedOut(Duration),
    Refused,
    Other(Arc<std::io::Error>),
}

impl AttemptError {
    fn from_io(e: std::io::Error, timeout: Duration) -> AttemptError {
        match e.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                AttemptError::TimedOut(timeout)
            }
            std::io::ErrorKind::ConnectionRefused => AttemptError::Refused,
            _ => AttemptError::Other(Arc::new(e)),
        }
    }
}

impl fmt::Display for AttemptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptError::TimedOut(t) => write!(f, "timed out after {:.1} s", t.as_secs_f64()),
            AttemptError::Refused => f.write_str("connection refused"),
            AttemptError::Other(e) => write!(f, "{e}"),
        }
    }
}

/// One failure on the way to a connection.
#[derive(Debug)]
pub enum Failure {
    /// The attempt to this address failed.
    Attempt {
        addr: SocketAddr,
        error: AttemptError,
    },
    /// No attempt ended within the timeout (and its margin).
    NoAnswer(Duration),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Attempt { addr, error } => write!(f, "{addr}: {error}"),
            Failure::NoAnswer(t) => write!(f, "no answer within {:.1} s", t.as_secs_f64()),
        }
    }
}

/// Why no connection to a target was made.
#[derive(Debug)]
pub enum ConnectError {
    /// The resolver failed.
    Resolve { host: String, error: std::io::Error },
    /// The name has no addresses.
    NoAddresses { host: String },
    /// Every address was tried and failed. `single`: the target had one address.
    Unreachable {
        label: String,
        single: bool,
        failures: Vec<Failure>,
    },
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Resolve { host, error } => write!(f, "cannot resolve {host}: {error}"),
            ConnectError::NoAddresses { host } => {
                write!(f, "cannot resolve {host}: no addresses")
            }
            ConnectError::Unreachable {
                label,
                single,
                failures,
            } => match failures.as_slice() {
                [Failure::Attempt { addr, error }] if *single => {
                    write!(f, "cannot connect to {label} ({addr}): {error}")
                }
                [one] => write!(f, "cannot connect to {label}: {one}"),
                many => {
                    let all: Vec<String> = many.iter().map(ToString::to_string).collect();
                    write!(
                        f,
                        "cannot connect to {label}: every address failed ({})",
                        all.join("; ")
                    )
                }
            },
        }
    }
}

impl std::error::Error for ConnectError {}

/// A step of the connection attempts, as it happens.
#[derive(Debug)]
pub enum ConnectStep {
    /// The previous attempt has not answered within [`ATTEMPT_DELAY`]: `next` is tried as
    /// well (happy eyeballs).
    StillWaiting {
        next: SocketAddr,
    },
    Attempt {
        addr: SocketAddr,
    },
    Connected {
        addr: SocketAddr,
        local: String,
    },
    Failed {
        addr: SocketAddr,
        error: AttemptError,
    },
}

impl ConnectStep {
    /// The step as an event for the renderers; `label` is the target as shown.
    pub fn into_event(self, label: &str) -> Event {
        match self {
            ConnectStep::StillWaiting { next } => Event::Info(Info::HappyEyeballs {
                waited: ATTEMPT_DELAY,
                next,
            }),
            ConnectStep::Attempt { addr } => Event::Connecting {
                target: label.to_string(),
                addr: addr.to_string(),
            },
            ConnectStep::Connected { addr, local } => Event::Connected {
                addr: addr.to_string(),
                local,
            },
            ConnectStep::Failed { addr, error } => Event::ConnectFailed {
                addr: addr.to_string(),
                error: error.to_string(),
            },
        }
    }
}

/// Resolves the target's addresses.
pub fn resolve(t: &Target) -> Result<Vec<SocketAddr>, ConnectError> {
    let addrs: Vec<SocketAddr> = (t.host.as_str(), t.port)
        .to_socket_addrs()
        .map_err(|error| ConnectError::Resolve {
            host: t.host.clone(),
            error,
        })?
        .collect();
    if addrs.is_empty() {
        return Err(ConnectError::NoAddresses {
            host: t.host.clone(),
        });
    }
    Ok(addrs)
}

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

/// Connects to the target, trying its addresses happy-eyeballs style: the next address is
/// tried when the previous attempt failed or has not connected within [`ATTEMPT_DELAY`],
/// the first connection wins. Every attempt and failure is reported as an event.
pub fn connect(
    t: &Target,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<TcpStream, ConnectError> {
    let addrs = resolve(t)?;
    let label = t.display();
    let mut on_step = |s: ConnectStep| on_event(s.into_event(&label));
    connect_addrs(&label, &addrs, timeout, &mut on_step, |a, to| {
        let s = TcpStream::connect_timeout(&a, to)?;
        let _ = s.set_nodelay(true);
        let local = s.local_addr().map(|l| l.to_string()).unwrap_or_default();
        Ok((s, local))
    })
}

/// The attempts in flight and those still to start.
struct Schedule {
    order: Vec<SocketAddr>,
    next: usize,
    pending: usize,
    next_start: Instant,
}

impl Schedule {
    /// Whether the next address is due: nothing in flight, or the last one waited long enough.
    fn due(&self, now: Instant) -> bool {
        self.next < self.order.len() && (self.pending == 0 || now >= self.next_start)
    }

    /// How long to wait for an attempt to end before the next is due.
    fn wait(&self, now: Instant, timeout: Duration) -> Duration {
        if self.next < self.order.len() {
            self.next_start.saturating_duration_since(now)
        } else {
            // Attempts end on their own within `timeout`; the margin only guards the bound.
            timeout + Duration::from_secs(1)
        }
    }
}

/// The attempt scheduler behind [`connect`], generic over the connecting function so that it
/// can be tested without a network. `attempt` returns the stream and its local address.
pub fn connect_addrs<S, F>(
    label: &str,
    addrs: &[SocketAddr],
    timeout: Duration,
    on_step: &mut dyn FnMut(ConnectStep),
    attempt: F,
) -> Result<S, ConnectError>
where
    S: Send + 'static,
    F: Fn(SocketAddr, Duration) -> std::io::Result<(S, String)> + Send + Sync + 'static,
{
    let order = interleave(addrs);
    if order.is_empty() {
        return Err(ConnectError::NoAddresses { host: label.into() });
    }
    let single = order.len() == 1;
    let attempt = Arc::new(attempt);
    let (tx, rx) = channel::<(usize, std::io::Result<(S, String)>)>();
    let mut sch = Schedule {
        order,
        next: 0,
        pending: 0,
        next_start: Instant::now(),
    };
    let mut failures = vec![];
    loop {
        let now = Instant::now();
        if sch.due(now) {
            let a = sch.order[sch.next];
            if sch.pending > 0 {
                on_step(ConnectStep::StillWaiting { next: a });
            }
            on_step(ConnectStep::Attempt { addr: a });
            let (tx, f, i) = (tx.clone(), attempt.clone(), sch.next);
            std::thread::spawn(move || {
                let _ = tx.send((i, f(a, timeout)));
            });
            sch.next += 1;
            sch.pending += 1;
            sch.next_start = now + ATTEMPT_DELAY;
            continue;
        }
        if sch.pending == 0 {
            break;
        }
        match rx.recv_timeout(sch.wait(now, timeout)) {
            Ok((i, Ok((s, local)))) => {
                let addr = sch.order[i];
                on_step(ConnectStep::Connected { addr, local });
                return Ok(s);
            }
            Ok((i, Err(e))) => {
                sch.pending -= 1;
                let (addr, error) = (sch.order[i], AttemptError::from_io(e, timeout));
                on_step(ConnectStep::Failed {
                    addr,
                    error: error.clone(),
                });
                failures.push(Failure::Attempt { addr, error });
                // A failure starts the next attempt at once.
                sch.next_start = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) if sch.next < sch.order.len() => {}
            Err(_) => {
                failures.push(Failure::NoAnswer(timeout));
                break;
            }
        }
    }
    Err(ConnectError::Unreachable {
        label: label.into(),
        single,
        failures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut steps = vec![];
        let r = connect_addrs(
            "x",
            &v,
            Duration::from_secs(30),
            &mut |s| steps.push(s),
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
        let attempts = steps
            .iter()
            .filter(|s| matches!(s, ConnectStep::Attempt { .. }))
            .count();
        assert_eq!(attempts, 2);
        assert!(steps
            .iter()
            .any(|s| matches!(s, ConnectStep::StillWaiting { next } if next.is_ipv6())));
        let shown = ConnectStep::StillWaiting { next: v[1] }.into_event("x");
        assert!(matches!(
            shown,
            Event::Info(Info::HappyEyeballs { next, .. }) if next == v[1]
        ));
    }

    #[test]
    fn refused_addresses_are_each_reported() {
        let v: Vec<SocketAddr> = ["127.0.0.1:1", "127.0.0.2:1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut steps = vec![];
        let r: Result<(), ConnectError> = connect_addrs(
            "x",
            &v,
            Duration::from_secs(5),
            &mut |s| steps.push(s),
            |_, _| Err(std::io::ErrorKind::ConnectionRefused.into()),
        );
        let e = r.unwrap_err();
        assert!(matches!(&e, ConnectError::Unreachable { failures, .. } if failures.len() == 2));
        assert_eq!(
            e.to_string(),
            "cannot connect to x: every address failed (127.0.0.1:1: connection refused; 127.0.0.2:1: connection refused)"
        );
        let failed = steps
            .iter()
            .filter(|s| {
                matches!(
                    s,
                    ConnectStep::Failed {
                        error: AttemptError::Refused,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(failed, 2);
    }

    #[test]
    fn one_address_is_named_in_the_error() {
        let v: Vec<SocketAddr> = vec!["127.0.0.1:1".parse().unwrap()];
        let r: Result<(), ConnectError> =
            connect_addrs("h:1", &v, Duration::from_secs(5), &mut |_| {}, |_, _| {
                Err(std::io::ErrorKind::ConnectionRefused.into())
            });
        assert_eq!(
            r.unwrap_err().to_string(),
            "cannot connect to h:1 (127.0.0.1:1): connection refused"
        );
    }
}
