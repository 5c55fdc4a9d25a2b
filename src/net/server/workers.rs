//! Connection threads, reused: a thread that has served its connection waits a while for the
//! next one instead of ending, so that a busy listener does not create (and tear down) a
//! thread per connection. One thread per connection being served (at most the limiter's
//! count); at most `MAX_IDLE_WORKERS` wait, each for at most `WORKER_IDLE`, the others end
//! when their connection does.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::net::TcpStream;

use super::{close_gracefully, Accepted};
use crate::net::limit::OwnedPermit;

const WORKER_IDLE: Duration = Duration::from_secs(30);
const MAX_IDLE_WORKERS: usize = 8;

/// One accepted connection (its number in accept order) and its slot, given back once it has
/// been served and closed.
pub(super) struct Job {
    pub stream: TcpStream,
    pub number: u64,
    pub permit: OwnedPermit,
}

pub(super) struct Workers<H> {
    serve: H,
    /// Run by a thread after each connection, before it waits for the next.
    between: Option<fn()>,
    /// Bounds the linger of a closing connection (with `LINGER`).
    timeout: Duration,
    /// Idle threads, each with the channel it takes its next connection from.
    idle: Mutex<Vec<(u64, SyncSender<Job>)>>,
    next_id: AtomicU64,
}

impl<H: Fn(Accepted) + Send + Sync + 'static> Workers<H> {
    pub fn new(serve: H, between: Option<fn()>, timeout: Duration) -> Arc<Workers<H>> {
        Arc::new(Workers {
            serve,
            between,
            timeout,
            idle: Mutex::new(vec![]),
            next_id: AtomicU64::new(0),
        })
    }

    /// Hands the connection to an idle thread, or to a new one.
    pub fn run(self: &Arc<Self>, mut job: Job) {
        loop {
            let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let Some((_, tx)) = idle else { break };
            // Claimed under the lock: that thread now waits for exactly this job.
            match tx.send(job) {
                Ok(()) => return,
                Err(e) => job = e.0, // it ended (panicked): try another
            }
        }
        let me = self.clone();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        std::thread::spawn(move || me.work(id, job));
    }

    /// Serves and closes one connection; its slot is given back however serving ends (also
    /// if it panics: the permit is dropped while unwinding).
    fn serve_one(&self, job: Job) {
        let Job {
            stream,
            number,
            permit,
        } = job;
        close_gracefully(stream, number, self.timeout, |a: Accepted| (self.serve)(a));
        drop(permit);
    }

    fn work(self: Arc<Self>, id: u64, first: Job) {
        let (tx, rx) = sync_channel::<Job>(1);
        let mut job = first;
        loop {
            self.serve_one(job);
            if let Some(between) = self.between {
                between();
            }
            {
                let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                if idle.len() >= MAX_IDLE_WORKERS {
                    return;
                }
                idle.push((id, tx.clone()));
            }
            job = match rx.recv_timeout(WORKER_IDLE) {
                Ok(j) => j,
                Err(_) => {
                    let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                    match idle.iter().position(|(i, _)| *i == id) {
                        // Still listed as idle: nobody will send to us; end.
                        Some(pos) => {
                            idle.swap_remove(pos);
                            return;
                        }
                        // Claimed just now: the job is on its way.
                        None => {
                            drop(idle);
                            match rx.recv() {
                                Ok(j) => j,
                                Err(_) => return,
                            }
                        }
                    }
                }
            };
        }
    }
}
