//! The only code that touches sockets and stdin: target parsing and resolution, TCP connect
//! with each attempt reported, and the loop that moves bytes between a socket and a
//! `Connection`.

pub mod driver;
pub mod target;
