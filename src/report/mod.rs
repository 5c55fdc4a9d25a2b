//! Renderers: they turn events into text for people (`human`) or JSON Lines for scripts
//! (`json`), behind one trait (`sink::Sink`) with the key log (`keylog`). They never touch
//! sockets. The words of checks, info and warnings, which both renderers share, are in
//! `checks` and `remarks`; each extension's fields in `ext_fields` (the key shares' parts in `key_shares`).

pub mod checks;
pub mod ext_fields;
pub mod hex;
pub mod html;
pub mod human;
pub mod json;
pub mod json_bytes;
pub mod key_shares;
pub mod keylog;
pub mod remarks;
pub mod replay;
pub mod scan_render;
pub mod sink;
pub mod transcript;

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
