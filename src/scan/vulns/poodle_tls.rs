//! `poodle_tls`: whether the server checks the CBC padding bytes of TLS records
//! (CVE-2014-8730).

use super::{Check, CheckSpec, Scope};

pub const ID: &str = "poodle_tls";

pub fn spec() -> CheckSpec {
    CheckSpec {
        id: ID,
        max_connections: 1,
        run,
    }
}

fn run(_scope: &Scope) -> Check {
    Check::unknown(ID, "unknown: not checked yet")
}
