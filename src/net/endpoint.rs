//! One target reached along one route (proxy tunnel, STARTTLS dialogue), resolved once and
//! opened as often as needed: every connection a scan makes, raw probe or complete handshake,
//! is opened here, the same way. A connection made ahead (scan's reachability stage,
//! `net::dial`) can be handed in and is used for the first connection.

use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    /// A connection to `addr` made ahead, used by the first `open` while fresh.
    ahead: Arc<Mutex<Option<Reached>>>,
}

/// A TCP connection to a target made ahead of its scan (no proxy on the route).
#[derive(Debug)]
pub struct Reached {
    pub addr: SocketAddr,
    pub stream: TcpStream,
    /// When it connected.
    pub at: Instant,
}

/// How long a connection made ahead stays worth using: a server may drop an idle
/// connection, and a probe on a dropped one would read as a server that does not answer.
const FRESH_FOR: Duration = Duration::from_secs(1);

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
            ahead: Arc::default(),
        })
    }

    /// An endpoint whose address is `reached`'s, already dialled: its connection serves the
    /// first [`Endpoint::open`] (when still fresh). Only for a route without a proxy.
    pub fn reached(target: Target, route: Route, name: String, timeout: Duration, reached: Reached) -> Endpoint {
        debug_assert!(route.proxy.is_none());
        Endpoint {
            target,
            route,
            name,
            timeout,
            addr: reached.addr,
            ahead: Arc::new(Mutex::new(Some(reached))),
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
        let mut s = match self.take_ahead() {
            Some(s) => s,
            None => TcpStream::connect_timeout(&self.addr, self.timeout)
                .map_err(|e| self.dial_error(e))?,
        };
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

    /// The connection made ahead, once, if it is fresh and the server has not closed it.
    fn take_ahead(&self) -> Option<TcpStream> {
        let r = self.ahead.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        (r.at.elapsed() <= FRESH_FOR && still_open(&r.stream)).then_some(r.stream)
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

/// Whether the peer has not closed `s`: a non-blocking peek finds nothing yet (or data, e.g. a
/// STARTTLS greeting, left in place for the dialogue) rather than the end of the stream.
fn still_open(s: &TcpStream) -> bool {
    if s.set_nonblocking(true).is_err() {
        return false;
    }
    let open = match s.peek(&mut [0u8; 1]) {
        Ok(n) => n > 0,
        Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
    };
    s.set_nonblocking(false).is_ok() && open
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn endpoint_with(l: &TcpListener, at: Instant) -> Endpoint {
        let addr = l.local_addr().unwrap();
        let stream = TcpStream::connect(addr).unwrap();
        let t = Target::parse(&addr.to_string(), 443).unwrap();
        let reached = Reached { addr, stream, at };
        Endpoint::reached(t, Route::default(), "x".into(), Duration::from_secs(5), reached)
    }

    /// The next connection `l` accepts within 5 s (bounded: 500 tries 10 ms apart).
    fn accept(l: &TcpListener) -> Option<TcpStream> {
        l.set_nonblocking(true).unwrap();
        for _ in 0..500 {
            if let Ok((s, _)) = l.accept() {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Sends `byte` on the endpoint's next connection and checks it arrives on `on`.
    fn arrives(e: &Endpoint, byte: u8, on: &mut TcpStream) {
        e.open().unwrap().write_all(&[byte]).unwrap();
        let mut b = [0u8; 1];
        on.read_exact(&mut b).unwrap();
        assert_eq!(b[0], byte);
    }

    #[test]
    fn the_connection_made_ahead_serves_the_first_open_only() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let e = endpoint_with(&l, Instant::now());
        let mut ahead = accept(&l).unwrap();
        arrives(&e, 1, &mut ahead);
        let mut opened = None;
        let open = std::thread::scope(|s| {
            let h = s.spawn(|| e.open().unwrap());
            opened = accept(&l);
            h.join().unwrap()
        });
        let mut opened = opened.expect("the second open dials a new connection");
        drop(open);
        let mut b = [0u8; 1];
        assert_eq!(opened.read(&mut b).unwrap(), 0, "the new one, closed");
    }

    #[test]
    fn a_stale_or_closed_connection_made_ahead_is_not_used() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let e = endpoint_with(&l, Instant::now() - FRESH_FOR * 2);
        let _ahead = accept(&l).unwrap();
        let open = std::thread::scope(|s| {
            let h = s.spawn(|| e.open().unwrap());
            let mut fresh = accept(&l).expect("too old: a new connection");
            let open = h.join().unwrap();
            (&open).write_all(&[2]).unwrap();
            let mut b = [0u8; 1];
            fresh.read_exact(&mut b).unwrap();
            open
        });
        drop(open);

        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let e = endpoint_with(&l, Instant::now());
        drop(accept(&l).unwrap());
        // Bounded: the close reaches our side within a few tries.
        for _ in 0..50 {
            if !still_open(&e.ahead.lock().unwrap().as_ref().unwrap().stream) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let mut fresh = None;
        let open = std::thread::scope(|s| {
            let h = s.spawn(|| e.open().unwrap());
            fresh = accept(&l);
            h.join().unwrap()
        });
        let mut fresh = fresh.expect("closed by the server: a new connection");
        (&open).write_all(&[3]).unwrap();
        let mut b = [0u8; 1];
        fresh.read_exact(&mut b).unwrap();
        assert_eq!(b[0], 3);
    }
}
