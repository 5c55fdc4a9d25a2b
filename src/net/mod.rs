//! The only code that touches sockets and stdin: targets and their resolution, TCP connect
//! with each attempt reported (happy eyeballs over a name's addresses), proxies (HTTP CONNECT,
//! SOCKS5), the plaintext STARTTLS dialogues, the endpoint every scan connection is opened
//! from, the loop that moves bytes between a socket and a `Connection`, and the server side
//! (accept loop, workers, deadlines, linger). Errors are typed, one enum per step, each with
//! its sentences in one `Display`.

pub mod connect;
pub mod dial;
pub mod driver;
pub mod endpoint;
pub mod limit;
pub mod plain;
pub mod proxy;
pub mod raw;
pub mod resolve_pool;
pub mod server;
pub mod starttls;
pub mod target;

use std::fmt;
use std::net::TcpStream;
use std::time::Duration;

use crate::event::{Event, Info};
use connect::ConnectError;
use proxy::{Proxy, ProxyError};
use starttls::{Starttls, StarttlsError};
use target::Target;

/// How to reach a target beyond plain TCP: through a proxy, and/or upgrading a plaintext
/// protocol first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    pub proxy: Option<Proxy>,
    pub starttls: Option<Starttls>,
}

/// Why a connection ready for TLS could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// No TCP connection to the target.
    Connect(ConnectError),
    /// No TCP connection to the proxy (`proxy`: its URL without credentials).
    ProxyUnreachable { proxy: String, error: ConnectError },
    /// The one address an endpoint dials (the target's, or the proxy's when `proxy` is
    /// true) refused or did not answer.
    Dial {
        addr: String,
        proxy: bool,
        error: std::io::Error,
    },
    /// The proxy did not open the tunnel.
    Proxy(ProxyError),
    /// The STARTTLS dialogue did not end in agreement.
    Starttls(StarttlsError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Connect(e) => write!(f, "{e}"),
            OpenError::ProxyUnreachable { proxy, error } => {
                write!(f, "cannot reach the proxy {proxy}: {error}")
            }
            OpenError::Dial { addr, proxy, error } => {
                let what = if *proxy {
                    format!("the proxy {addr}")
                } else {
                    addr.clone()
                };
                match error.kind() {
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                        write!(f, "connection to {what} timed out")
                    }
                    _ => write!(f, "cannot connect to {what}: {error}"),
                }
            }
            OpenError::Proxy(e) => write!(f, "{e}"),
            OpenError::Starttls(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OpenError {}

impl From<ProxyError> for OpenError {
    fn from(e: ProxyError) -> Self {
        OpenError::Proxy(e)
    }
}

impl From<StarttlsError> for OpenError {
    fn from(e: StarttlsError) -> Self {
        OpenError::Starttls(e)
    }
}

impl Route {
    /// The port a target without one gets: the STARTTLS protocol's, else 443.
    pub fn default_port(&self) -> u16 {
        self.starttls
            .map_or(target::HTTPS_PORT, Starttls::default_port)
    }

    /// After a TCP connection to the target (or to the proxy when there is one): opens the
    /// proxy tunnel, then plays the STARTTLS dialogue. `name` is the host name the STARTTLS
    /// dialogue uses (XMPP's `to=`).
    pub fn prepare(
        &self,
        s: &mut TcpStream,
        t: &Target,
        name: &str,
        timeout: Duration,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<(), OpenError> {
        if let Some(p) = &self.proxy {
            proxy::tunnel(s, p, t, timeout, on_event)?;
        }
        if let Some(st) = self.starttls {
            starttls::client(s, st, name, timeout, on_event)?;
        }
        Ok(())
    }
}

/// Connects to `t` along `route` (every address of the target or proxy tried, happy-eyeballs
/// style), ready for the TLS handshake, reporting every step.
pub fn open(
    t: &Target,
    route: &Route,
    name: &str,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<TcpStream, OpenError> {
    let mut s = match &route.proxy {
        Some(p) => {
            on_event(Event::Info(Info::ViaProxy {
                target: t.display(),
                proxy: p.display(),
            }));
            connect::connect(&p.target(), timeout, on_event).map_err(|error| {
                OpenError::ProxyUnreachable {
                    proxy: p.display(),
                    error,
                }
            })?
        }
        None => connect::connect(t, timeout, on_event).map_err(OpenError::Connect)?,
    };
    route.prepare(&mut s, t, name, timeout, on_event)?;
    Ok(s)
}
