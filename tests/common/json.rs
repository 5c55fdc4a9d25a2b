//! Reading tlsprobe's JSON Lines and key logs in assertions.

use serde_json::Value;

/// The handshake messages of a JSON event list as "dir:msg".
pub fn msgs(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["type"] == "handshake")
        .map(|e| {
            format!(
                "{}:{}",
                e["dir"].as_str().unwrap_or("?"),
                e["msg"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// The summary events, in order.
pub fn summaries(events: &[Value]) -> Vec<&Value> {
    events.iter().filter(|e| e["type"] == "summary").collect()
}

/// Key-log lines as (label, client_random, secret) after dropping comments.
pub fn keylog_lines(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some((
                it.next()?.to_string(),
                it.next()?.to_ascii_lowercase(),
                it.next()?.to_ascii_lowercase(),
            ))
        })
        .collect()
}
