//! docs/FLEET.md's GNU parallel recipe, run: four shards of one loopback fleet, each with
//! `--shard I/4 --output shard-I.jsonl --resume`, under `parallel`; the merge (the report
//! lines of every shard, sorted by `"index"`) equals one unsharded run, target by target.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;

fn need_parallel() -> bool {
    require_peer(
        runs("parallel", &["--version"]),
        "GNU parallel",
        "apt-get install parallel",
    )
}

#[test]
fn four_shards_under_gnu_parallel_merge_into_one_run() {
    if !need_openssl() || !need_parallel() {
        return;
    }
    let dir = scratch();
    let fleet = fleet(dir.path(), 40, None);
    let list = fleet.list.to_str().unwrap();
    let shard_file = |i: &str| dir.path().join(format!("shard-{i}.jsonl"));
    let template = shard_file("{}");
    let mut c = Command::new("parallel");
    // --timeout bounds each job; every shard has closed ports, so each exits 4 and parallel
    // counts four failed jobs.
    c.args([
        "--will-cite",
        "--halt",
        "never",
        "--timeout",
        "120",
        "-j",
        "4",
    ])
    .arg(tlsprobe())
    .args(["scan", "--targets", list, "--shard", "{}/4", "--output"])
    .arg(&template)
    .arg("--resume")
    .args(FLEET_SCAN)
    .args([":::", "0", "1", "2", "3"]);
    let d = run(c, b"", Duration::from_secs(180));
    assert_eq!(d.code, Some(4), "{}", d.all());

    let mut merged = vec![];
    for i in 0..4 {
        let path = shard_file(&i.to_string());
        let lines = output_lines(&path);
        assert_eq!(lines[0]["type"], "scan_header");
        assert_eq!(lines[0]["shard"], format!("{i}/4"));
        for r in &lines[1..] {
            assert_eq!(r["index"].as_u64().unwrap() % 4, i, "{r}");
        }
        merged.extend(lines.into_iter().skip(1));
    }
    let whole = dir.path().join("whole.jsonl");
    let mut c = tp(["scan", "--targets", list, "--output"]);
    c.arg(&whole).args(FLEET_SCAN);
    let d = run(c, b"", Duration::from_secs(120));
    assert_eq!(d.code, Some(4), "{}", d.all());
    let (merged, once) = (by_index(merged), by_index(output_reports(&whole)));
    assert_eq!(merged.len(), fleet.targets.len());
    for (m, o) in merged.iter().zip(&once) {
        assert_eq!(m, o, "target by target");
    }
    assert_eq!(merged.len(), once.len());
}
