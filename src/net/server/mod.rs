//! The server side of `net`: a listening socket, its accept loop, the worker threads that
//! serve connections (at most `max_conns` at once, one shared limiter type with scan), the
//! deadlines for whole phases (`watchdog`), and the graceful close (linger) after each
//! connection. What is served is the caller's (`commands::listen`): a function of the
//! accepted connection.

mod watchdog;
mod workers;

use std::fmt;
use std::io::Read;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use self::watchdog::{Armed, Watchdog};
use self::workers::{Job, Workers};
use super::driver::DriveError;
use super::limit::Semaphore;
use super::starttls::StarttlsError;

/// How long a closing connection keeps reading what the client still sends, at most.
pub const LINGER: Duration = Duration::from_secs(2);
/// How much it reads at most meanwhile (a refused record may announce up to 2^24 bytes).
const LINGER_BYTES: usize = 32 << 20;

/// Why serving one connection ended early.
#[derive(Debug)]
pub enum ServeError {
    /// The STARTTLS dialogue before the handshake failed.
    Starttls(StarttlsError),
    /// Driving the TLS connection failed.
    Drive(DriveError),
    /// A phase of the connection (`phase`: "handshake", "HTTP request") took longer than
    /// `limit` (`--timeout`), and its socket was shut down.
    Deadline {
        phase: &'static str,
        limit: Duration,
    },
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Starttls(e) => write!(f, "{e}"),
            ServeError::Drive(e) => write!(f, "{e}"),
            ServeError::Deadline { phase, limit } => write!(
                f,
                "timed out: the {phase} took longer than {:.1} s (--timeout)",
                limit.as_secs_f64()
            ),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<DriveError> for ServeError {
    fn from(e: DriveError) -> Self {
        ServeError::Drive(e)
    }
}

/// The address could not be listened on.
#[derive(Debug)]
pub struct BindError {
    pub addr: SocketAddr,
    pub error: std::io::Error,
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addr = self.addr;
        if self.error.kind() == std::io::ErrorKind::AddrInUse {
            write!(f, "cannot listen on {addr}: the port is already in use")
        } else {
            write!(f, "cannot listen on {addr}: {}", self.error)
        }
    }
}

impl std::error::Error for BindError {}

/// Accepting a connection failed.
#[derive(Debug)]
pub struct AcceptError(pub std::io::Error);

impl fmt::Display for AcceptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "accept failed: {}", self.0)
    }
}

impl std::error::Error for AcceptError {}

/// A connection to serve: its socket (Nagle off), its number (1, 2, ... in accept order)
/// and the peer's address as shown.
pub struct Accepted {
    pub stream: TcpStream,
    pub number: u64,
    pub peer: String,
}

/// A listening socket.
pub struct Listener {
    inner: TcpListener,
    /// Connections accepted so far.
    accepted: u64,
}

impl Listener {
    pub fn bind(addr: SocketAddr) -> Result<Listener, BindError> {
        let inner = TcpListener::bind(addr).map_err(|error| BindError { addr, error })?;
        Ok(Listener { inner, accepted: 0 })
    }

    /// The address actually bound (the port chosen for port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Accepts one connection and serves it on this thread, then closes it gracefully
    /// (lingering at most `timeout` or [`LINGER`]).
    pub fn serve_one<R>(
        &mut self,
        timeout: Duration,
        serve: impl FnOnce(Accepted) -> R,
    ) -> Result<R, AcceptError> {
        let (stream, _) = self.inner.accept().map_err(AcceptError)?;
        self.accepted += 1;
        Ok(close_gracefully(stream, self.accepted, timeout, serve))
    }

    /// Serves every connection, each on a worker thread, at most `max_conns` at once (the
    /// next waits in the kernel's backlog meanwhile); `between` runs on a worker after each
    /// connection it served. Returns only if accepting stops.
    pub fn serve_all<H>(self, max_conns: usize, between: Option<fn()>, timeout: Duration, serve: H)
    where
        H: Fn(Accepted) + Send + Sync + 'static,
    {
        self.serve_many(usize::MAX, max_conns, between, timeout, serve)
    }

    /// [`Listener::serve_all`] for the first `count` connections (the test's bound).
    fn serve_many<H>(
        mut self,
        count: usize,
        max_conns: usize,
        between: Option<fn()>,
        timeout: Duration,
        serve: H,
    ) where
        H: Fn(Accepted) + Send + Sync + 'static,
    {
        let slots = Arc::new(Semaphore::new(max_conns));
        let workers = Workers::new(serve, between, timeout);
        for stream in self.inner.incoming().take(count) {
            let Ok(stream) = stream else { continue };
            let permit = slots.acquire_owned();
            self.accepted += 1;
            workers.run(Job {
                stream,
                number: self.accepted,
                permit,
            });
        }
    }
}

/// Serves one connection, then closes its socket whatever happened: after a bounded linger
/// (see [`linger`]), shut down both ways (a reader thread in pipe mode holds a clone of the
/// socket and would otherwise keep it open).
fn close_gracefully<R>(
    stream: TcpStream,
    number: u64,
    timeout: Duration,
    serve: impl FnOnce(Accepted) -> R,
) -> R {
    let guard = stream.try_clone().ok();
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let _ = stream.set_nodelay(true);
    let r = serve(Accepted {
        stream,
        number,
        peer,
    });
    if let Some(g) = guard {
        linger(&g, timeout.min(LINGER));
        let _ = g.shutdown(Shutdown::Both);
    }
    r
}

/// After our last record (close_notify or a fatal alert): stop sending, then read and drop
/// what the client still sends until it closes, bounded by `limit` and LINGER_BYTES. Closing a
/// socket with unread data makes the kernel answer with a reset, which can destroy the alert
/// before the client has read it (RFC 8446 §6: the alert is sent before closing; tlsfuzzer
/// refuses a reset that hides it).
fn linger(stream: &TcpStream, limit: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    while total < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match { stream }.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The listener serves one connection on this thread, numbers it, and closes it after
    /// reading what the client still sent (the client sees the end of the stream, no reset).
    #[test]
    fn serve_one_numbers_and_closes() {
        let mut l = Listener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = l.local_addr().unwrap();
        let client = std::thread::spawn(move || {
            let mut c = TcpStream::connect(addr).unwrap();
            c.write_all(b"left unread by the server").unwrap();
            c.shutdown(Shutdown::Write).unwrap();
            let mut rest = vec![];
            c.read_to_end(&mut rest).map(|_| rest)
        });
        let n = l
            .serve_one(Duration::from_secs(5), |a| {
                assert!(a.peer.starts_with("127.0.0.1:"));
                a.number
            })
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(client.join().unwrap().unwrap(), b"");
    }

    /// Workers serve every connection; a panicking handler frees its slot (the next
    /// connection is served with one slot in all).
    #[test]
    fn serve_all_survives_a_panicking_handler() {
        let l = Listener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = l.local_addr().unwrap();
        let served = Arc::new(AtomicUsize::new(0));
        let count = served.clone();
        let server = std::thread::spawn(move || {
            l.serve_many(2, 1, None, Duration::ZERO, move |mut a| {
                count.fetch_add(1, Ordering::SeqCst);
                if a.number == 1 {
                    panic!("first connection");
                }
                let _ = a.stream.write_all(b"ok");
            })
        });
        let _first = TcpStream::connect(addr).unwrap();
        let mut second = TcpStream::connect(addr).unwrap();
        second
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut got = vec![];
        let _ = second.read_to_end(&mut got);
        assert_eq!(got, b"ok");
        assert_eq!(served.load(Ordering::SeqCst), 2);
        server.join().unwrap();
    }

    #[test]
    fn bind_errors_name_the_address() {
        let l = Listener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = l.local_addr().unwrap();
        let e = Listener::bind(addr).err().unwrap();
        assert_eq!(
            e.to_string(),
            format!("cannot listen on {addr}: the port is already in use")
        );
    }
}
