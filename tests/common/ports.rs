//! Loopback ports: a port for a server a test is about to start (or for nothing to listen
//! on), and bounded waits until a server accepts. Every wait here has a deadline.

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A TCP port that was free a moment ago on 127.0.0.1, for a server a test is about to start
/// (or for a port nothing listens on).
///
/// The port is reserved with a socket that is bound (SO_REUSEADDR, so the server can bind
/// the port at once) but never listens. A listening socket here would be a trap: tests run
/// in parallel threads, and a child process another thread is forking holds a copy of every
/// open socket until its exec, so a listening copy can outlive the drop, accept a readiness
/// probe meant for the real server, and vanish (seen: a scan of `tlsprobe listen` refused
/// right after its port "accepted", before listen had bound it).
pub fn free_port() -> u16 {
    use socket2::{Domain, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
    s.set_reuse_address(true).expect("SO_REUSEADDR");
    let any: SocketAddr = ([127, 0, 0, 1], 0).into();
    s.bind(&any.into()).expect("bind 127.0.0.1:0");
    s.local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .expect("a bound IPv4 address")
        .port()
}

/// Whether a server accepts TCP connections on 127.0.0.1:port right now. A connection whose
/// local address is its own peer is a TCP self-connect (simultaneous open, when the kernel picks
/// the probed port as the source port while nothing listens), not a server: it counts as no.
pub fn accepts(port: u16) -> bool {
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        Ok(s) => s.local_addr().ok() != Some(addr),
        Err(_) => false,
    }
}

/// Waits (bounded) until something accepts TCP connections on 127.0.0.1:port.
/// (Not for `--once` servers: the probe would be their one connection.)
pub fn wait_accepting(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if accepts(port) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Waits (bounded, 10 s) until 127.0.0.1:port accepts, or fails the test.
pub fn wait_port(port: u16) {
    assert!(
        wait_accepting(port, Duration::from_secs(10)),
        "server on port {port} did not start"
    );
}

/// Whether this machine can bind the IPv6 loopback (a machine property, not a peer: tests
/// that need it skip without it even under TLSPROBE_REQUIRE_PEERS).
pub fn have_ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}
