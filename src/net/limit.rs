//! Limits on connections: a counting semaphore bounding the connections in flight (scan's
//! `-j`, listen's `--max-conns`) and a token bucket bounding new connections per second
//! (scan's `--rate`).

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// A counting semaphore (std has none).
#[derive(Debug)]
pub struct Semaphore {
    free: Mutex<usize>,
    cv: Condvar,
}

/// A held permit; dropping it frees the slot.
pub struct Permit<'a>(&'a Semaphore);

/// A held permit that can move to another thread; dropping it frees the slot.
pub struct OwnedPermit(Arc<Semaphore>);

impl Semaphore {
    pub fn new(n: usize) -> Self {
        Semaphore {
            free: Mutex::new(n.max(1)),
            cv: Condvar::new(),
        }
    }

    /// Waits for a free slot and takes it.
    pub fn acquire(&self) -> Permit<'_> {
        self.take();
        Permit(self)
    }

    /// Like [`Semaphore::acquire`], for a permit given back elsewhere (another thread).
    pub fn acquire_owned(self: &Arc<Self>) -> OwnedPermit {
        self.take();
        OwnedPermit(self.clone())
    }

    /// Takes a free slot if there is one, without waiting.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut g = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if *g == 0 {
            return None;
        }
        *g -= 1;
        Some(Permit(self))
    }

    fn take(&self) {
        let mut g = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *g == 0 {
            g = self.cv.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        *g -= 1;
    }

    fn give(&self) {
        let mut g = self.free.lock().unwrap_or_else(|e| e.into_inner());
        *g += 1;
        self.cv.notify_one();
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.give();
    }
}

impl Drop for OwnedPermit {
    fn drop(&mut self) {
        self.0.give();
    }
}

/// A token bucket: `rate` tokens per second, burst of at most `rate` (and at least 1).
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    state: Mutex<(f64, Instant)>,
}

impl TokenBucket {
    pub fn new(rate: u32) -> Self {
        let rate = f64::from(rate.max(1));
        TokenBucket {
            rate,
            // Start with one token so the first connection goes at once and bursts stay small.
            state: Mutex::new((1.0, Instant::now())),
        }
    }

    /// Blocks until a token is available, then takes it.
    pub fn take(&self) {
        while let Err(wait) = self.try_take() {
            std::thread::sleep(wait);
        }
    }

    /// Takes a token if one is available; else how long until the next one.
    pub fn try_take(&self) -> Result<(), Duration> {
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let (tokens, last) = *g;
        let tokens =
            (tokens + now.duration_since(last).as_secs_f64() * self.rate).min(self.rate.max(1.0));
        if tokens >= 1.0 {
            *g = (tokens - 1.0, now);
            return Ok(());
        }
        *g = (tokens, now);
        Err(Duration::from_secs_f64((1.0 - tokens) / self.rate))
    }
}

/// Both limits together (a scan's).
#[derive(Debug)]
pub struct Limits {
    pub connections: Semaphore,
    pub rate: Option<TokenBucket>,
}

impl Limits {
    pub fn new(concurrency: usize, rate: Option<u32>) -> Self {
        Limits {
            connections: Semaphore::new(concurrency),
            rate: rate.filter(|&r| r > 0).map(TokenBucket::new),
        }
    }

    /// Waits for a connection slot and, when rate-limited, a token.
    pub fn begin(&self) -> Permit<'_> {
        let p = self.connections.acquire();
        if let Some(b) = &self.rate {
            b.take();
        }
        p
    }

    /// Like [`Limits::begin`] without waiting: a slot and a token when both are free now,
    /// else how long to wait before trying again (`None`: until a slot is given back).
    pub fn try_begin(&self) -> Result<Permit<'_>, Option<Duration>> {
        let p = self.connections.try_acquire().ok_or(None)?;
        match &self.rate {
            Some(b) => b.try_take().map(|()| p).map_err(Some),
            None => Ok(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn semaphore_bounds_in_flight() {
        let s = Arc::new(Semaphore::new(3));
        let cur = Arc::new(AtomicUsize::new(0));
        let max = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..12)
            .map(|_| {
                let (s, cur, max) = (s.clone(), cur.clone(), max.clone());
                std::thread::spawn(move || {
                    let _p = s.acquire();
                    let n = cur.fetch_add(1, Ordering::SeqCst) + 1;
                    max.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    cur.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        hs.into_iter().for_each(|h| h.join().unwrap());
        assert!(max.load(Ordering::SeqCst) <= 3);
    }

    #[test]
    fn owned_permits_are_given_back_on_another_thread() {
        let s = Arc::new(Semaphore::new(2));
        let free = |s: &Semaphore| *s.free.lock().unwrap();
        let p = s.acquire_owned();
        let q = s.acquire();
        assert_eq!(free(&s), 0);
        std::thread::spawn(move || drop(p)).join().unwrap();
        assert_eq!(free(&s), 1);
        drop(q);
        assert_eq!(free(&s), 2);
    }

    #[test]
    fn try_begin_takes_only_what_is_free() {
        let l = Limits::new(1, Some(1));
        let p = l
            .try_begin()
            .expect("one slot and the first token are free");
        assert!(
            matches!(l.try_begin(), Err(None)),
            "no slot while one is held"
        );
        drop(p);
        // The slot is back, the bucket (1 per second) is empty: wait for the next token.
        assert!(matches!(l.try_begin(), Err(Some(_))));
        assert_eq!(
            *l.connections.free.lock().unwrap(),
            1,
            "the slot is given back"
        );
    }

    #[test]
    fn bucket_paces() {
        let b = TokenBucket::new(50);
        let t = Instant::now();
        for _ in 0..6 {
            b.take();
        }
        // 1 immediate token, then 5 at 20 ms each.
        assert!(
            t.elapsed() >= Duration::from_millis(80),
            "{:?}",
            t.elapsed()
        );
    }
}
