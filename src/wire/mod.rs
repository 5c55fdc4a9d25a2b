//! The wire codec: presentation-language cursor, code-point registries, records, handshake
//! messages and extensions. Pure functions over bytes; no I/O. Decoding can also record
//! labelled spans (`span`), which the annotated byte view shows.

pub mod annotate;
pub mod codec;
pub mod codepoints;
pub mod extensions;
pub mod handshake;
pub mod record;
pub mod span;
pub mod sslv2;
pub mod suites;
