//! Host names resolved off the caller's thread: a few threads (the system resolver blocks),
//! each answer sent back with a wake-up for the caller's poll loop (`net::dial`).

use std::net::SocketAddr;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use mio::Waker;

use super::connect::ConnectError;
use super::target::Target;

/// One answer: the caller's key and the address (`Target::resolve_one`'s choice) or why not.
pub type Resolved = (usize, Result<SocketAddr, ConnectError>);

/// The threads start with the first name asked, so a list of addresses costs none.
pub struct ResolverPool {
    threads: usize,
    waker: Arc<Waker>,
    questions: Option<Sender<(usize, Target)>>,
    answers_tx: Sender<Resolved>,
    answers: Receiver<Resolved>,
}

impl ResolverPool {
    /// A pool of `threads` resolvers (at least one) that wake `waker` after each answer.
    pub fn new(threads: usize, waker: Arc<Waker>) -> ResolverPool {
        let (answers_tx, answers) = mpsc::channel();
        ResolverPool {
            threads: threads.max(1),
            waker,
            questions: None,
            answers_tx,
            answers,
        }
    }

    /// Resolves `t` in the background; its answer comes from [`ResolverPool::answers`].
    pub fn submit(&mut self, key: usize, t: Target) {
        let q = self.questions.get_or_insert_with(|| {
            let (tx, rx) = mpsc::channel::<(usize, Target)>();
            let rx = Arc::new(Mutex::new(rx));
            for _ in 0..self.threads {
                let (rx, out, waker) = (rx.clone(), self.answers_tx.clone(), self.waker.clone());
                std::thread::spawn(move || resolver(&rx, &out, &waker));
            }
            tx
        });
        // The threads end only when the pool is dropped, so the send cannot fail.
        let _ = q.send((key, t));
    }

    /// The answers that came in so far.
    pub fn answers(&self) -> Vec<Resolved> {
        self.answers.try_iter().collect()
    }
}

/// One resolver thread: answers questions until the pool (the question sender) is gone.
fn resolver(questions: &Mutex<Receiver<(usize, Target)>>, out: &Sender<Resolved>, waker: &Waker) {
    loop {
        let q = questions.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((key, t)) = q else { return };
        if out.send((key, t.resolve_one())).is_err() {
            return;
        }
        let _ = waker.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn names_are_answered_with_their_keys() {
        let mut poll = mio::Poll::new().unwrap();
        let waker = Arc::new(Waker::new(poll.registry(), mio::Token(0)).unwrap());
        let mut pool = ResolverPool::new(2, waker);
        pool.submit(7, Target::parse("localhost:443", 443).unwrap());
        pool.submit(8, Target::parse("no-such-host.invalid:443", 443).unwrap());
        let mut got = vec![];
        let mut events = mio::Events::with_capacity(4);
        // Bounded: 100 waits of at most 100 ms.
        for _ in 0..100 {
            got.extend(pool.answers());
            if got.len() == 2 {
                break;
            }
            let _ = poll.poll(&mut events, Some(Duration::from_millis(100)));
        }
        got.sort_by_key(|(k, _)| *k);
        assert_eq!(got.len(), 2);
        let local = got[0].1.as_ref().expect("localhost resolves");
        assert!(local.ip().is_loopback() && local.port() == 443, "{local}");
        assert_eq!(got[1].0, 8);
        let e = got[1]
            .1
            .as_ref()
            .expect_err(".invalid never resolves (RFC 6761 §6.4)");
        assert!(e.to_string().contains("no-such-host.invalid"), "{e}");
    }
}
