//! The commands (connect, listen, scan, demo, view): they wire the core, the network layer
//! and the renderers together. Errors carry the exit code from cli.md.

pub mod connect;
pub mod demo;
pub mod hints;
pub mod listen;
pub mod options;
pub mod output;
pub mod scan;
pub mod scan_output;
pub mod session_file;
pub mod verifier;
pub mod view;

use std::fmt;

/// An error that ends the program with a given exit code (cli.md "Exit codes").
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    /// Exit 2: bad flag, unknown name, unreadable or invalid PEM.
    pub fn usage(message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(CliError {
            code: 2,
            message: message.into(),
        })
    }

    /// Exit 1: connection refused or timed out, alert received, malformed peer data.
    pub fn runtime(message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(CliError {
            code: 1,
            message: message.into(),
        })
    }

    /// Exit with `code` and no further message (already reported).
    pub fn silent(code: i32) -> anyhow::Error {
        anyhow::Error::new(CliError {
            code,
            message: String::new(),
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}
