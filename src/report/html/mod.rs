//! The illustrated page (`--html FILE`, `tlsprobe view --html`): one self-contained HTML
//! document drawn from a connection's JSON events (`report::json`), so a live connection and a
//! saved transcript give the same page.

use serde_json::Value;

/// The page of one connection from its JSON events, in order (as `--json` writes them, the
/// byte spans included when recorded with `--hex`).
pub fn page(events: &[Value]) -> anyhow::Result<String> {
    let _ = events;
    anyhow::bail!("the HTML page is not available in this build")
}
