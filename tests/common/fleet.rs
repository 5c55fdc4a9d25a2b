//! A loopback fleet for the fleet-scan tests (scan_resume, scan_fleet_shards, scan_progress):
//! a few live TLS servers and one slow refusing fake among many closed ports on 127.0.0.x,
//! written as a `--targets` file; and the reading of `scan --output` files.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use super::canned::{canned, Canned};
use super::pki::{certs, Key};
use super::ports::free_port;
use super::servers::{listen_quiet, s_server, SServer, Server};

/// A fatal handshake_failure alert record (RFC 5246 §7.2).
const HANDSHAKE_FAILURE: [u8; 7] = [0x15, 3, 3, 0, 2, 2, 40];

/// The options every fleet test scans with (the same for every run it compares).
pub const FLEET_SCAN: [&str; 5] = ["--tls", "1.2,1.3", "--no-http", "--timeout", "5"];

/// The servers (stopped on drop) and the target list.
pub struct Fleet {
    pub targets: Vec<String>,
    pub list: PathBuf,
    _live: Vec<Server>,
    _openssl: SServer,
    _slow: Option<Canned>,
}

/// `closed` dead targets (127.0.0.2.., one port nothing listens on) with two `tlsprobe
/// listen` and one `openssl s_server` among them, and, with `slow_at`, a fake that answers
/// every ClientHello with handshake_failure after 1.5 s at that index (a target that holds
/// the ordered output for seconds, deterministically). The list is written into `dir`.
/// Needs openssl (the caller checks `need_openssl`).
pub fn fleet(dir: &Path, closed: usize, slow_at: Option<usize>) -> Fleet {
    let live = vec![
        listen_quiet("127.0.0.1:0", &[]),
        listen_quiet("127.0.0.1:0", &["--tls", "1.2"]),
    ];
    let openssl = s_server(certs().leaf(Key::Rsa), &["-www"], None);
    let dead = free_port();
    let mut targets: Vec<String> = (0..closed)
        .map(|i| format!("127.0.0.{}:{dead}", 2 + i % 250))
        .collect();
    let spread = |k: usize| closed * (k + 1) / 4;
    let mut insert = |at: usize, t: String| targets.insert(at.min(targets.len()), t);
    insert(spread(0), format!("127.0.0.1:{}", live[0].port));
    insert(spread(1) + 1, format!("127.0.0.1:{}", openssl.port));
    insert(spread(2) + 2, format!("127.0.0.1:{}", live[1].port));
    let slow = slow_at.map(|at| {
        let c = canned(
            Some(HANDSHAKE_FAILURE.to_vec()),
            Duration::from_millis(1500),
            Duration::ZERO,
        );
        insert(at, format!("127.0.0.1:{}", c.port));
        c
    });
    let list = dir.join("fleet.txt");
    std::fs::write(
        &list,
        format!("# a loopback fleet\n{}\n", targets.join("\n")),
    )
    .unwrap();
    Fleet {
        targets,
        list,
        _live: live,
        _openssl: openssl,
        _slow: slow,
    }
}

/// Every line of an --output file parsed (the test fails on a line that is not JSON),
/// header lines included.
pub fn output_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "{}: partial last line",
        path.display()
    );
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The report lines of an --output file (the header left out).
pub fn output_reports(path: &Path) -> Vec<Value> {
    output_lines(path)
        .into_iter()
        .filter(|v| v["type"] != "scan_header")
        .collect()
}

/// What two scans of the same loopback target must agree on: where it is, whether and why
/// it failed, the versions and suites found, the certificates (not timings or counts).
pub fn stable(v: &Value) -> Value {
    let protocols: Vec<Value> = v["protocols"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| json!([p["version"], p["supported"], p["cipher_suites"]]))
                .collect()
        })
        .unwrap_or_default();
    let certs: Vec<Value> = v["certificates"]
        .as_array()
        .map(|cs| cs.iter().map(|c| c["sha256"].clone()).collect())
        .unwrap_or_default();
    json!({
        "index": v["index"], "target": v["target"], "ip": v["ip"], "error": v["error"],
        "protocols": protocols, "certificates": certs,
    })
}

/// The reports sorted by `"index"`, as stable values (the merge step of docs/FLEET.md).
pub fn by_index(mut reports: Vec<Value>) -> Vec<Value> {
    reports.sort_by_key(|v| v["index"].as_u64());
    reports.iter().map(stable).collect()
}
