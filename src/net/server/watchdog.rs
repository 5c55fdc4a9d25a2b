//! Deadlines for whole phases of served connections (listen's `--timeout` per handshake, per
//! HTTP request). One thread checks them and shuts down the socket of a connection past its
//! deadline; the connection's reader then sees the end of the stream and its thread ends.

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the deadlines are checked.
const TICK: Duration = Duration::from_millis(100);

pub struct Watchdog {
    entries: Mutex<HashMap<u64, Watched>>,
    next_id: AtomicU64,
}

struct Watched {
    deadline: Instant,
    stream: TcpStream,
    fired: Arc<AtomicBool>,
}

/// One armed deadline; dropping it disarms it.
pub struct Armed {
    watchdog: Arc<Watchdog>,
    id: u64,
    fired: Arc<AtomicBool>,
}

impl Armed {
    /// Disarms the deadline; true when it had fired (the socket was shut down).
    pub fn disarm(self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        self.watchdog
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.id);
    }
}

impl Watchdog {
    /// A watchdog with its checking thread (ticks while the watchdog is referenced).
    pub fn start() -> Arc<Watchdog> {
        let w = Arc::new(Watchdog {
            entries: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
        });
        let weak = Arc::downgrade(&w);
        std::thread::spawn(move || loop {
            std::thread::sleep(TICK);
            let Some(w) = weak.upgrade() else { break };
            w.fire_due(Instant::now());
        });
        w
    }

    /// Shuts down the sockets whose deadline has passed and forgets them.
    fn fire_due(&self, now: Instant) {
        let mut m = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        m.retain(|_, e| {
            if e.deadline <= now {
                e.fired.store(true, Ordering::SeqCst);
                let _ = e.stream.shutdown(Shutdown::Both);
                false
            } else {
                true
            }
        });
    }

    /// Shuts `stream` down unless the returned guard is disarmed or dropped within `limit`.
    pub fn arm(self: &Arc<Self>, stream: &TcpStream, limit: Duration) -> Armed {
        let fired = Arc::new(AtomicBool::new(false));
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if let Ok(stream) = stream.try_clone() {
            self.entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    id,
                    Watched {
                        deadline: Instant::now() + limit,
                        stream,
                        fired: fired.clone(),
                    },
                );
        }
        Armed {
            watchdog: self.clone(),
            id,
            fired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;

    /// A passed deadline shuts the socket down (the read ends); a disarmed one does not fire.
    /// The deadlines are fired by hand: nothing here depends on timing.
    #[test]
    fn deadlines_shut_down_and_disarm() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let _client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (mut served, _) = l.accept().unwrap();
        let w = Watchdog::start();
        let kept = w.arm(&served, Duration::from_secs(3600));
        let due = w.arm(&served, Duration::ZERO);
        w.fire_due(Instant::now());
        assert!(due.disarm());
        let mut b = [0u8; 1];
        assert_eq!(served.read(&mut b).unwrap_or(0), 0);
        assert!(!kept.disarm());
        assert!(w.entries.lock().unwrap().is_empty());
    }
}
