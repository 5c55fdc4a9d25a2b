//! Input order for a fleet scan: the shared target feed the workers take from (never more
//! than a window ahead of what has been printed) and the reordering buffer that hands
//! reports on in input order however the workers finish.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::{Job, TargetReport};

/// The error text of a target that was in progress when the scan was interrupted.
pub const INTERRUPTED: &str = "interrupted";

/// What [`Feed::try_take`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// The next target and its index.
    Job(usize, Job),
    /// The window is full: wait for a delivery.
    Wait,
    /// The list is done.
    Done,
}

/// The targets, shared by the workers.
#[derive(Clone)]
pub struct Feed {
    shared: Arc<(Mutex<FeedState>, Condvar)>,
    window: usize,
}

struct FeedState {
    targets: Box<dyn Iterator<Item = Job> + Send>,
    /// Index of the next target to hand out.
    next: usize,
    /// Reports delivered so far (all of indices below this).
    delivered: usize,
    /// Taken and not delivered yet: index and target text.
    in_flight: BTreeMap<usize, String>,
    exhausted: bool,
    /// Called after each delivery (a stage that polls sockets instead of waiting on the feed).
    on_delivery: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Feed {
    /// A feed over `targets` that hands out target `i` only once `i - window` has been delivered.
    pub fn new(targets: Box<dyn Iterator<Item = Job> + Send>, window: usize) -> Feed {
        let state = FeedState {
            targets,
            next: 0,
            delivered: 0,
            in_flight: BTreeMap::new(),
            exhausted: false,
            on_delivery: None,
        };
        Feed {
            shared: Arc::new((Mutex::new(state), Condvar::new())),
            window: window.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, FeedState> {
        self.shared.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next target and its index, waiting while it would run too far ahead of the
    /// delivered reports; None when the list is done or `interrupt` is raised.
    pub fn take(&self, interrupt: Option<&AtomicBool>) -> Option<(usize, Job)> {
        let mut st = self.lock();
        loop {
            if interrupt.is_some_and(|f| f.load(Ordering::SeqCst)) {
                return None;
            }
            match self.next_job(&mut st) {
                Next::Job(i, job) => return Some((i, job)),
                Next::Done => return None,
                // Bounded wait so a raised interrupt is seen without a notification.
                Next::Wait => {
                    st = self
                        .shared
                        .1
                        .wait_timeout(st, Duration::from_millis(100))
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            }
        }
    }

    /// Like [`Feed::take`] without waiting: [`Next::Wait`] when the next target would run
    /// too far ahead of the delivered reports.
    pub fn try_take(&self) -> Next {
        self.next_job(&mut self.lock())
    }

    fn next_job(&self, st: &mut FeedState) -> Next {
        if st.exhausted {
            return Next::Done;
        }
        if st.next >= st.delivered + self.window {
            return Next::Wait;
        }
        let Some(job) = st.targets.next() else {
            st.exhausted = true;
            return Next::Done;
        };
        let i = st.next;
        st.next += 1;
        st.in_flight.insert(i, job.target.clone());
        Next::Job(i, job)
    }

    /// One more report was delivered (they are delivered in index order).
    pub fn delivered(&self) {
        let mut st = self.lock();
        let i = st.delivered;
        st.in_flight.remove(&i);
        st.delivered += 1;
        let hook = st.on_delivery.clone();
        drop(st);
        self.shared.1.notify_all();
        if let Some(f) = hook {
            f();
        }
    }

    /// Calls `f` after each delivery, for a taker that waits on something else than the
    /// feed (it learns the window moved).
    pub fn on_delivery(&self, f: Arc<dyn Fn() + Send + Sync>) {
        self.lock().on_delivery = Some(f);
    }

    /// How many reports were delivered (all of the indices below).
    pub fn delivered_count(&self) -> usize {
        self.lock().delivered
    }

    /// The targets taken and not delivered yet, by index.
    pub fn in_flight(&self) -> BTreeMap<usize, String> {
        self.lock().in_flight.clone()
    }
}

/// Reports that finished ahead of their turn.
#[derive(Default)]
pub struct Reorder {
    next: usize,
    held: BTreeMap<usize, TargetReport>,
}

impl Reorder {
    pub fn insert(&mut self, i: usize, r: TargetReport) {
        self.held.insert(i, r);
    }

    /// The reports whose turn has come, in order.
    pub fn pop_ready(&mut self) -> Vec<TargetReport> {
        let mut out = vec![];
        while let Some(r) = self.held.remove(&self.next) {
            out.push(r);
            self.next += 1;
        }
        out
    }

    /// On interruption: every target not delivered yet, in order, its report when it finished
    /// and an "interrupted" failure when it did not.
    pub fn drain_interrupted(&mut self, in_flight: BTreeMap<usize, String>) -> Vec<TargetReport> {
        in_flight
            .into_iter()
            .filter(|(i, _)| *i >= self.next)
            .map(|(i, target)| {
                self.held.remove(&i).unwrap_or_else(|| TargetReport {
                    target: target.trim().to_string(),
                    error: Some(INTERRUPTED.to_string()),
                    ..Default::default()
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(t: &str) -> TargetReport {
        TargetReport {
            target: t.into(),
            ..Default::default()
        }
    }

    #[test]
    fn reports_come_out_in_input_order() {
        let mut r = Reorder::default();
        r.insert(2, report("c"));
        assert!(r.pop_ready().is_empty());
        r.insert(0, report("a"));
        let got: Vec<_> = r.pop_ready().into_iter().map(|r| r.target).collect();
        assert_eq!(got, ["a"]);
        r.insert(1, report("b"));
        let got: Vec<_> = r.pop_ready().into_iter().map(|r| r.target).collect();
        assert_eq!(got, ["b", "c"]);
    }

    #[test]
    fn the_feed_waits_for_the_window() {
        let feed = Feed::new(Box::new((0..10).map(|i| Job::from(i.to_string()))), 2);
        assert_eq!(feed.take(None), Some((0, Job::from("0".to_string()))));
        assert_eq!(feed.take(None), Some((1, Job::from("1".to_string()))));
        // A third would be 2 ahead of nothing delivered: raise the interrupt so take returns.
        let stop = AtomicBool::new(true);
        assert_eq!(feed.take(Some(&stop)), None);
        feed.delivered();
        assert_eq!(feed.take(None), Some((2, Job::from("2".to_string()))));
        assert_eq!(feed.try_take(), Next::Wait);
        feed.delivered();
        assert_eq!(feed.try_take(), Next::Job(3, Job::from("3".to_string())));
        assert_eq!(
            feed.in_flight().into_iter().collect::<Vec<_>>(),
            [(2, "2".to_string()), (3, "3".to_string())]
        );
    }

    #[test]
    fn an_interruption_reports_finished_and_unfinished_in_order() {
        let mut r = Reorder::default();
        r.insert(0, report("a"));
        assert_eq!(r.pop_ready().len(), 1);
        r.insert(2, report("c"));
        let in_flight = BTreeMap::from([(1, "b".to_string()), (2, "c".to_string())]);
        let got: Vec<_> = r
            .drain_interrupted(in_flight)
            .into_iter()
            .map(|r| (r.target, r.error))
            .collect();
        assert_eq!(
            got,
            [("b".into(), Some(INTERRUPTED.into())), ("c".into(), None)]
        );
    }
}
