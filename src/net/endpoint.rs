//! One target reached along one route (proxy tunnel, STARTTLS dialogue), resolved once and
//! opened as often as needed: every connection a scan makes, raw probe or complete handshake,
//! is opened here, the same way.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::driver::Driver;
use super::raw::RawConnection;
use super::target::Target;
use super::{OpenError, Route};
use crate::handshake::Connection;

/// Where connections go and how they are prepared for TLS.
#[derive(Debug, Clone)]
pub struct Endpoint {
    target: Target,
    route: Route,
    /// The host name the STARTTLS dialogue uses (XMPP's `to=`).
    name: String,
    timeout: Duration,
    /// The address dialled: the target's, or the proxy's when there is one (the proxy
    /// resolves the target itself).
    addr: SocketAddr,
}

impl Endpoint {
    /// Resolves the address to dial once: the target's (IPv4 preferred), or the proxy's.
    pub fn resolve(
        target: Target,
        route: Route,
        name: String,
        timeout: Duration,
    ) -> Result<Endpoint, OpenError> {
        let addr = match &route.proxy {
            Some(p) => p
                .target()
                .resolve_one()
                .map_err(|error| OpenError::ProxyUnreachable {
                    proxy: p.display(),
                    error,
                })?,
            None => target.resolve_one().map_err(OpenError::Connect)?,
        };
        Ok(Endpoint {
            target,
            route,
            name,
            timeout,
            addr,
        })
    }

    /// An endpoint dialling `addr`, already resolved (scan's reachability stage found the
    /// target there). Only for a route without a proxy.
    pub fn at(
        target: Target,
        route: Route,
        name: String,
        timeout: Duration,
        addr: SocketAddr,
    ) -> Endpoint {
        debug_assert!(route.proxy.is_none());
        Endpoint {
            target,
            route,
            name,
            timeout,
            addr,
        }
    }

    /// The connect and read timeout of every connection.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The target's own address, when it is dialled directly (not through a proxy).
    pub fn target_addr(&self) -> Option<SocketAddr> {
        self.route.proxy.is_none().then_some(self.addr)
    }

    /// A new TCP connection, through the proxy tunnel and the STARTTLS dialogue when the route
    /// has them, ready for the first TLS record. The steps are not reported.
    pub fn open(&self) -> Result<TcpStream, OpenError> {
        let mut s =
            TcpStream::connect_timeout(&self.addr, self.timeout).map_err(|e| self.dial_error(e))?;
        let _ = s.set_nodelay(true);
        self.route
            .prepare(&mut s, &self.target, &self.name, self.timeout, &mut |_| {})?;
        Ok(s)
    }

    /// A new connection for a raw exchange that reads at most `max_bytes` of records.
    pub fn open_raw(&self, max_bytes: usize) -> Result<RawConnection, OpenError> {
        Ok(RawConnection::new(self.open()?, self.timeout, max_bytes))
    }

    /// A new connection driven by `conn` (tlsprobe's own client).
    pub fn open_driver(&self, conn: Connection) -> Result<Driver, OpenError> {
        Ok(Driver::new(conn, self.open()?, self.timeout, "server"))
    }

    fn dial_error(&self, error: std::io::Error) -> OpenError {
        match &self.route.proxy {
            Some(p) => OpenError::Dial {
                addr: p.display(),
                proxy: true,
                error,
            },
            None => OpenError::Dial {
                addr: self.addr.to_string(),
                proxy: false,
                error,
            },
        }
    }
}
