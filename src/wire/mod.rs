//! The wire codec: presentation-language cursor, code-point registries, records, handshake
//! messages and extensions. Pure functions over bytes; no I/O.

pub mod codec;
pub mod codepoints;
pub mod extensions;
pub mod handshake;
pub mod record;
pub mod suites;
