//! The only code that touches sockets and stdin: target parsing and resolution, TCP connect
//! with each attempt reported (happy eyeballs over a name's addresses), proxies (HTTP CONNECT,
//! SOCKS5), the plaintext STARTTLS dialogues, and the loop that moves bytes between a socket
//! and a `Connection`.

pub mod connect;
pub mod driver;
pub mod endpoint;
pub mod proxy;
pub mod raw;
pub mod starttls;
pub mod target;

use std::net::TcpStream;
use std::time::Duration;

use crate::event::Event;
use proxy::Proxy;
use starttls::Starttls;
use target::Target;

/// How to reach a target beyond plain TCP: through a proxy, and/or upgrading a plaintext
/// protocol first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    pub proxy: Option<Proxy>,
    pub starttls: Option<Starttls>,
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
    ) -> Result<(), String> {
        if let Some(p) = &self.proxy {
            proxy::tunnel(s, p, t, timeout, on_event)?;
        }
        if let Some(st) = self.starttls {
            starttls::client(s, st, name, timeout, on_event)?;
        }
        Ok(())
    }
}

/// Connects to `t` along `route`, ready for the TLS handshake, reporting every step.
pub fn open(
    t: &Target,
    route: &Route,
    name: &str,
    timeout: Duration,
    on_event: &mut dyn FnMut(Event),
) -> Result<TcpStream, String> {
    let mut s = match &route.proxy {
        Some(p) => {
            on_event(Event::Info(format!(
                "connecting to {} through the proxy {}",
                t.display(),
                p.display()
            )));
            connect::connect(&p.target(), timeout, on_event)
                .map_err(|e| format!("cannot reach the proxy {}: {e}", p.display()))?
        }
        None => connect::connect(t, timeout, on_event).map_err(|e| e.to_string())?,
    };
    route.prepare(&mut s, t, name, timeout, on_event)?;
    Ok(s)
}
