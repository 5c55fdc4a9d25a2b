//! tlsprobe: a TLS diagnostic library. The core (`wire`, `crypto`, `handshake`) takes bytes and
//! returns bytes plus a stream of events; renderers in `report` turn events into text or JSON;
//! `net` is the only code touching sockets; `commands` wire the pieces together.
#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod crypto;
pub mod error;
pub mod event;
pub mod handshake;
pub mod inmem;
pub mod net;
pub mod pki;
pub mod report;
pub mod scan;
pub mod wire;
