//! Renderers: they turn events into text for people (`human`) or JSON Lines for scripts
//! (`json`). They never touch sockets. The words of checks, info and warnings, which both
//! renderers share, are in `checks` and `remarks`.

pub mod checks;
pub mod hex;
pub mod human;
pub mod json;
pub mod remarks;
pub mod scan_render;

/// Hex of bytes, lower case, no separators.
pub fn hex(b: &[u8]) -> String {
    ::hex::encode(b)
}

/// A short hex preview: the first `n` bytes, then "..." when longer.
pub fn hex_preview(b: &[u8], n: usize) -> String {
    if b.len() <= n {
        ::hex::encode(b)
    } else {
        format!("{}...", ::hex::encode(&b[..n]))
    }
}
