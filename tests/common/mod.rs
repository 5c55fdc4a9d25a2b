//! The integration tests' one helper module, one submodule per job:
//!
//! - `process`: the one child-process guard (`Proc`, killed on drop), bounded runs to
//!   completion (`run`, `probe`), the binary under test (`tp`);
//! - `ports`: loopback ports (`free_port`, a bind-only reservation) and bounded readiness waits;
//! - `peers`: the peers the tests drive and the one TLSPROBE_REQUIRE_PEERS rule
//!   (`require_peer`, `need_openssl`, ...);
//! - `pki`: certificates made with openssl (`CertSpec`, `self_signed`, the run's `certs()`);
//! - `servers`: `tlsprobe listen`, `openssl s_server`, the python3 servers in tests/support;
//! - `json`: reading JSON Lines and key logs;
//! - `scan`: scans with the checks every scan passes (`scan_report`, `scan_reports`, `scan_bin`);
//! - `fleet`: a loopback fleet (live servers among closed ports) and `scan --output` files;
//! - `nginx`: an nginx with TLS server blocks on loopback ports (`nginx`, `need_nginx`);
//! - `wire`: raw TLS records over TCP, for tests that script a peer;
//! - `inmem`: the deterministic in-memory handshake of the snapshot tests (over
//!   `tlsprobe::inmem`);
//! - `scripted`: a scripted raw TLS peer in front of an in-memory pair, for the handshake
//!   suites (hostile, conformance12, conformance13, handshakes); not re-exported here.
//!
//! Everything is re-exported here, so a test says `mod common; use common::*;`.

#![allow(dead_code, unused_imports)]

pub mod canned;
pub mod fleet;
pub mod inmem;
pub mod json;
pub mod nginx;
pub mod peers;
pub mod pki;
pub mod ports;
pub mod process;
pub mod scan;
pub mod scripted;
pub mod servers;
pub mod wire;

pub use canned::*;
pub use fleet::*;
pub use json::*;
pub use nginx::*;
pub use peers::*;
pub use pki::*;
pub use ports::*;
pub use process::*;
pub use scan::*;
pub use servers::*;
pub use wire::*;
