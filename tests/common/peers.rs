//! Peers the tests drive (openssl, gnutls-cli/-serv, curl, python3, tlslite-ng) and the one
//! rule for a missing one: the test prints that it skipped and why, unless
//! TLSPROBE_REQUIRE_PEERS is set (to anything but empty or `0`; `.ci/run` sets it to 1),
//! where it fails instead.

use std::process::{Command, Stdio};

/// Whether TLSPROBE_REQUIRE_PEERS asks for every peer to be there.
pub fn peers_required() -> bool {
    std::env::var_os("TLSPROBE_REQUIRE_PEERS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Whether an optional peer is there (`installed`). When it is not, the test prints that it
/// skipped and why (`install` says how to get it), except when peers are required
/// (`peers_required`), where it fails.
pub fn require_peer(installed: bool, what: &str, install: &str) -> bool {
    if !installed {
        if peers_required() {
            panic!(
                "{what} is required (TLSPROBE_REQUIRE_PEERS is set) but not installed: {install}"
            );
        }
        eprintln!("skipped: {what} is not installed ({install})");
    }
    installed
}

/// Whether `cmd ARGS` runs and succeeds.
pub fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `openssl`, for the tests that need it.
pub fn need_openssl() -> bool {
    require_peer(
        runs("openssl", &["version"]),
        "openssl",
        "apt-get install openssl",
    )
}

/// `gnutls-cli` or `gnutls-serv`.
pub fn need_gnutls(cmd: &str) -> bool {
    require_peer(runs(cmd, &["--version"]), cmd, "apt-get install gnutls-bin")
}

/// `curl`.
pub fn need_curl() -> bool {
    require_peer(runs("curl", &["--version"]), "curl", "apt-get install curl")
}

/// `python3` (for the servers in tests/support).
pub fn need_python() -> bool {
    require_peer(
        runs("python3", &["--version"]),
        "python3",
        "apt-get install python3",
    )
}

/// sslyze importable by python3 (the scan comparisons run `python3 -m sslyze`).
pub fn need_sslyze() -> bool {
    require_peer(
        runs("python3", &["-c", "import sslyze"]),
        "sslyze",
        "pip install sslyze",
    )
}

/// tlslite-ng (and ecdsa) importable by python3.
pub fn need_tlslite() -> bool {
    require_peer(
        runs("python3", &["-c", "import tlslite, ecdsa"]),
        "tlslite-ng (python3 cannot import tlslite)",
        "pip install tlslite-ng ecdsa",
    )
}
