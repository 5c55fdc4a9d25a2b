//! Many TCP connects in flight on one thread: non-blocking connects (mio: epoll on Linux,
//! kqueue on the BSDs), each with its own deadline, reported as they end (connected,
//! refused, unreachable or timed out), so a fleet's dead targets cost microseconds each and
//! never a blocked thread.

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::net::TcpStream as MioStream;
use mio::{Events, Interest, Poll, Token, Waker};

/// The token of the waker (other threads' way to end a wait early).
const WAKE: Token = Token(usize::MAX);

/// One connect that ended.
#[derive(Debug)]
pub struct Dialed {
    /// The caller's key, as given to [`Dialer::start`].
    pub key: usize,
    pub addr: SocketAddr,
    /// The connected stream (blocking mode, like `TcpStream::connect`), or why not: the
    /// error `TcpStream::connect_timeout` would have given (`ErrorKind::TimedOut` past the
    /// deadline).
    pub result: io::Result<TcpStream>,
}

struct Pending {
    stream: MioStream,
    addr: SocketAddr,
    deadline: Instant,
}

/// A set of connects in flight, keyed by the caller (keys must be unique among those in
/// flight and below `usize::MAX`).
pub struct Dialer {
    poll: Poll,
    events: Events,
    pending: HashMap<usize, Pending>,
    /// Deadlines in order, to time out the oldest first.
    deadlines: BTreeSet<(Instant, usize)>,
    waker: Arc<Waker>,
}

impl Dialer {
    pub fn new() -> io::Result<Dialer> {
        let poll = Poll::new()?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKE)?);
        Ok(Dialer {
            poll,
            events: Events::with_capacity(256),
            pending: HashMap::new(),
            deadlines: BTreeSet::new(),
            waker,
        })
    }

    /// A handle that ends the current (or next) [`Dialer::wait`] early, from any thread.
    pub fn waker(&self) -> Arc<Waker> {
        self.waker.clone()
    }

    /// Connects in flight.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Starts a connect to `addr` that must end within `timeout`. A connect that fails at once
    /// (e.g. a refusal the kernel knew before returning, no route, no free local port) is
    /// returned as ended.
    pub fn start(&mut self, key: usize, addr: SocketAddr, timeout: Duration) -> Option<Dialed> {
        let ended = |result| Some(Dialed { key, addr, result });
        let mut stream = match MioStream::connect(addr) {
            Ok(s) => s,
            Err(e) => return ended(Err(e)),
        };
        if let Err(e) = self
            .poll
            .registry()
            .register(&mut stream, Token(key), Interest::WRITABLE)
        {
            return ended(Err(e));
        }
        let deadline = Instant::now() + timeout;
        self.deadlines.insert((deadline, key));
        self.pending.insert(
            key,
            Pending {
                stream,
                addr,
                deadline,
            },
        );
        None
    }

    /// Waits at most `max` (less when a deadline comes first) for connects to end, and
    /// returns those that ended, timed-out ones included. Returns early when woken.
    pub fn wait(&mut self, max: Duration) -> Vec<Dialed> {
        let now = Instant::now();
        let until_deadline = self
            .deadlines
            .first()
            .map_or(max, |(d, _)| d.saturating_duration_since(now));
        let mut out = vec![];
        // EINTR (a signal, e.g. Ctrl-C) is a wait that saw nothing.
        if self
            .poll
            .poll(&mut self.events, Some(max.min(until_deadline)))
            .is_ok()
        {
            let keys: Vec<usize> = self
                .events
                .iter()
                .map(|e| e.token().0)
                .filter(|&k| Token(k) != WAKE)
                .collect();
            for key in keys {
                if let Some(result) = self.pending.get(&key).and_then(|p| outcome(&p.stream)) {
                    out.push(self.finish(key, result));
                }
            }
        }
        self.expire(Instant::now(), &mut out);
        out
    }

    /// Ends every connect whose deadline has passed as timed out.
    fn expire(&mut self, now: Instant, out: &mut Vec<Dialed>) {
        while let Some(&(deadline, key)) = self.deadlines.first() {
            if deadline > now {
                break;
            }
            out.push(self.finish(key, Err(io::ErrorKind::TimedOut.into())));
        }
    }

    /// Removes a connect from the set; a connected stream goes back to blocking mode.
    fn finish(&mut self, key: usize, result: io::Result<()>) -> Dialed {
        let p = self
            .pending
            .remove(&key)
            .expect("finish is called for pending keys only");
        self.deadlines.remove(&(p.deadline, key));
        let Pending {
            mut stream, addr, ..
        } = p;
        let _ = self.poll.registry().deregister(&mut stream);
        let result = result.and_then(|()| {
            let s = TcpStream::from(stream);
            s.set_nonblocking(false)?;
            Ok(s)
        });
        Dialed { key, addr, result }
    }
}

/// How a connect that signalled writable ended: `None` when it is still in progress (a
/// spurious wake-up), else connected or the socket's error (mio's documented check).
fn outcome(s: &MioStream) -> Option<io::Result<()>> {
    match s.take_error() {
        Ok(Some(e)) | Err(e) => return Some(Err(e)),
        Ok(None) => {}
    }
    match s.peer_addr() {
        Ok(_) => Some(Ok(())),
        Err(e) if e.kind() == io::ErrorKind::NotConnected => None,
        Err(e) => Some(Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Waits (bounded) until `n` connects have ended.
    fn collect(d: &mut Dialer, mut out: Vec<Dialed>, n: usize) -> Vec<Dialed> {
        for _ in 0..200 {
            if out.len() >= n {
                break;
            }
            out.extend(d.wait(Duration::from_millis(50)));
        }
        out.sort_by_key(|x| x.key);
        out
    }

    /// A loopback port with nothing listening: bound, then closed.
    fn dead_port() -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    }

    #[test]
    fn connected_and_refused_are_told_apart() {
        let live = TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = dead_port();
        let mut d = Dialer::new().unwrap();
        let mut out = vec![];
        out.extend(d.start(1, live.local_addr().unwrap(), Duration::from_secs(5)));
        out.extend(d.start(2, dead, Duration::from_secs(5)));
        let out = collect(&mut d, out, 2);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].key, 1);
        let s = out[0].result.as_ref().expect("the live port connects");
        assert_eq!(s.peer_addr().unwrap(), live.local_addr().unwrap());
        assert_eq!(out[1].key, 2);
        assert_eq!(out[1].addr, dead);
        let e = out[1].result.as_ref().expect_err("the dead port refuses");
        assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
        assert!(d.is_empty());
    }

    #[test]
    fn a_connect_past_its_deadline_times_out() {
        // Backlog 0 and nothing accepted: the queue fills, then SYNs go unanswered.
        let full =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        full.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
            .unwrap();
        full.listen(0).unwrap();
        let addr = full.local_addr().unwrap().as_socket().unwrap();
        let mut d = Dialer::new().unwrap();
        let mut out = vec![];
        for k in 0..4 {
            out.extend(d.start(k, addr, Duration::from_millis(300)));
        }
        let out = collect(&mut d, out, 4);
        assert_eq!(out.len(), 4);
        assert!(
            out.iter().any(|x| x
                .result
                .as_ref()
                .is_err_and(|e| e.kind() == io::ErrorKind::TimedOut)),
            "{out:?}"
        );
    }
}
