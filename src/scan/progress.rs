//! The scan's progress indicator on stderr: a bar with rate when stderr is a terminal.

use std::time::Duration;

use super::ScanOptions;

/// A minimal progress indicator interface so the engine does not depend on how it is drawn.
pub(super) struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    pub(super) fn inc(&self) {
        self.bar.inc(1);
    }
    pub(super) fn finish(self) {
        self.bar.finish_and_clear();
    }
}

pub(super) fn bar(opts: &ScanOptions, len: Option<usize>) -> Option<Progress> {
    use std::io::IsTerminal;
    if !opts.progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = match len {
        Some(l) => indicatif::ProgressBar::new(l as u64),
        None => indicatif::ProgressBar::new_spinner(),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} targets ({per_sec})",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(Progress { bar })
}
