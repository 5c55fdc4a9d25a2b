//! `tlsprobe scan`: wires the scanning engine (`crate::scan`) to the command line.

use super::CliError;
use crate::cli::ScanArgs;

pub fn run(args: ScanArgs) -> anyhow::Result<i32> {
    let _ = args;
    Err(CliError::usage("scan is not wired in yet"))
}
