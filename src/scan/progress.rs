//! The scan's progress on stderr: a bar with rate, ETA and failures on a terminal, or one
//! status line every few seconds when stderr is a log (`--progress`, docs/cli.md).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How a scan shows its progress (the command decides from `--progress` and the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    #[default]
    Off,
    /// An indicatif bar on stderr (a terminal).
    Bar,
    /// One status line on stderr every this often (a log, not a terminal).
    Status(Duration),
}

/// The running indicator: the engine calls `report` once per delivered target.
pub(super) enum Progress {
    /// The bar, the failures so far, and whether stdout is a terminal too (then the bar is
    /// cleared around each report; otherwise only around a failed target's error line, so
    /// a fleet that succeeds costs no forced redraw per target).
    Bar(indicatif::ProgressBar, AtomicUsize, bool),
    Status(StatusLines),
}

impl Progress {
    /// Counts one delivered target and runs `print` (which writes its report) without the
    /// bar in the way: the bar is cleared while it runs and drawn again after.
    pub(super) fn report(&self, failed: bool, print: impl FnOnce()) {
        match self {
            Progress::Bar(bar, failures, stdout_too) => {
                if failed {
                    let n = failures.fetch_add(1, Ordering::Relaxed) + 1;
                    bar.set_message(format!("{n} failed"));
                }
                // A failed target's error line goes to stderr, under the bar, too.
                if *stdout_too || failed {
                    bar.suspend(print);
                } else {
                    print();
                }
                bar.inc(1);
            }
            Progress::Status(s) => {
                print();
                s.counts.done.fetch_add(1, Ordering::Relaxed);
                if failed {
                    s.counts.failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    pub(super) fn finish(self) {
        match self {
            Progress::Bar(bar, ..) => bar.finish_and_clear(),
            Progress::Status(s) => s.stop(),
        }
    }
}

/// Starts the indicator for `len` targets (None: unknown).
pub(super) fn start(mode: ProgressMode, len: Option<usize>) -> Option<Progress> {
    match mode {
        ProgressMode::Off => None,
        ProgressMode::Bar => {
            let stdout_too = std::io::stdout().is_terminal();
            Some(Progress::Bar(bar(len), AtomicUsize::new(0), stdout_too))
        }
        ProgressMode::Status(every) => Some(Progress::Status(StatusLines::start(every, len))),
    }
}

fn bar(len: Option<usize>) -> indicatif::ProgressBar {
    let (bar, template) = match len {
        Some(l) => (
            indicatif::ProgressBar::new(l as u64),
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} targets ({per_sec}, ETA {eta}) {msg}",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} [{elapsed_precise}] {pos} targets ({per_sec}) {msg}",
        ),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_message("0 failed");
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[derive(Default)]
struct Counts {
    done: AtomicUsize,
    failed: AtomicUsize,
}

/// A thread writing one status line every `every` until stopped.
pub(super) struct StatusLines {
    counts: Arc<Counts>,
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl StatusLines {
    fn start(every: Duration, len: Option<usize>) -> StatusLines {
        let counts = Arc::new(Counts::default());
        let (stop, stopped) = mpsc::channel::<()>();
        let c = counts.clone();
        let began = Instant::now();
        let thread = std::thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                let line = status_line(
                    c.done.load(Ordering::Relaxed),
                    c.failed.load(Ordering::Relaxed),
                    len,
                    began.elapsed(),
                );
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        });
        StatusLines {
            counts,
            stop,
            thread,
        }
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// `tlsprobe: scan: 1200/5000 targets (24%), 3 failed, 150.0 targets/s, ETA 25s`.
pub fn status_line(done: usize, failed: usize, total: Option<usize>, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    let mut line = match total {
        Some(t) => format!(
            "tlsprobe: scan: {done}/{t} targets ({}%)",
            (done * 100).checked_div(t).unwrap_or(100)
        ),
        None => format!("tlsprobe: scan: {done} targets"),
    };
    line += &format!(", {failed} failed, {rate:.1} targets/s");
    if let Some(t) = total {
        if rate > 0.0 && t >= done {
            let left = ((t - done) as f64 / rate).round() as u64;
            line += &format!(", ETA {}", duration_words(left));
        }
    }
    line
}

/// 1h02m, 3m05s, 12s.
fn duration_words(secs: u64) -> String {
    match (secs / 3600, secs / 60 % 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_line_says_done_failed_rate_and_eta() {
        let l = status_line(100, 3, Some(400), Duration::from_secs(10));
        assert_eq!(
            l,
            "tlsprobe: scan: 100/400 targets (25%), 3 failed, 10.0 targets/s, ETA 30s"
        );
        let l = status_line(7, 0, None, Duration::from_secs(2));
        assert_eq!(l, "tlsprobe: scan: 7 targets, 0 failed, 3.5 targets/s");
        let l = status_line(0, 0, Some(5), Duration::from_secs(2));
        assert_eq!(
            l,
            "tlsprobe: scan: 0/5 targets (0%), 0 failed, 0.0 targets/s"
        );
    }

    #[test]
    fn durations_read_as_hours_minutes_seconds() {
        assert_eq!(duration_words(12), "12s");
        assert_eq!(duration_words(185), "3m05s");
        assert_eq!(duration_words(3720), "1h02m");
    }
}
