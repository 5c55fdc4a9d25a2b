//! A scripted raw TLS 1.2/1.3 peer for the in-memory suites (tests/hostile, tests/conformance12,
//! tests/conformance13, tests/handshakes), built on the library's public wire and crypto API
//! and on `tlsprobe::inmem::Pair`:
//!
//! - `records`: records and handshake messages by hand, decoded with the codec;
//! - `sealer`: record protection rebuilt from revealed secrets;
//! - `expect`: what a refusal must look like (one fatal alert, then nothing);
//! - `pair`: the seeded pairs the suites start from and the `Scripted` steps;
//! - `flights`: server flights taken apart and put back, edited ClientHellos, bad points,
//!   the TLS 1.3 transcript hash.
//!
//! A suite says `use common::scripted::*;`.

pub mod expect;
pub mod flights;
pub mod pair;
pub mod records;
pub mod sealer;

pub use expect::*;
pub use flights::*;
pub use pair::*;
pub use records::*;
pub use sealer::*;
