//! A loopback TCP server with a canned answer, for peers too broken to script with a TLS
//! library: it reads what the client sends first, waits, writes the same bytes to every
//! connection (or nothing), holds the connection a bounded time and closes. Stopped on drop.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The server; dropping it stops accepting and ends the connections it holds.
pub struct Canned {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl Drop for Canned {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Serves every connection: read once (up to 1 s), wait `delay`, write `answer` when there is
/// one, keep the connection open for `hold` (at most; checked every 100 ms), close.
pub fn canned(answer: Option<Vec<u8>>, delay: Duration, hold: Duration) -> Canned {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let st = stop.clone();
    std::thread::spawn(move || {
        for c in l.incoming() {
            if st.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut c) = c else { continue };
            let (answer, st) = (answer.clone(), st.clone());
            std::thread::spawn(move || {
                let _ = c.set_read_timeout(Some(Duration::from_secs(1)));
                let mut buf = [0u8; 4096];
                let _ = c.read(&mut buf);
                std::thread::sleep(delay);
                if let Some(a) = answer {
                    let _ = c.write_all(&a);
                }
                let until = Instant::now() + hold;
                while Instant::now() < until && !st.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(100).min(hold));
                }
            });
        }
    });
    Canned { port, stop }
}
