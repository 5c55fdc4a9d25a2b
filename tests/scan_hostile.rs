//! The scanner against hostile or broken loopback servers: garbage, truncated and oversized
//! records, silence, immediate close. No panic, a bounded run, an `error` or "unsupported".

mod common;

use std::time::{Duration, Instant};

use tlsprobe::report::scan_render;
use tlsprobe::scan::{self, ScanOptions, TargetReport};

/// `answer` to every connection, closed at once or held 700 ms.
fn fake(answer: Vec<u8>, close: bool) -> common::Canned {
    let hold = if close {
        Duration::ZERO
    } else {
        Duration::from_millis(700)
    };
    common::canned(Some(answer), Duration::ZERO, hold)
}

fn scan(port: u16) -> TargetReport {
    let opts = ScanOptions {
        targets: vec![format!("127.0.0.1:{port}")],
        timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let mut out = vec![];
    let t = Instant::now();
    scan::run(&opts, &mut |r| out.push(r));
    assert!(t.elapsed() < Duration::from_secs(20));
    let r = out.pop().unwrap();
    let _ = scan_render::to_json(&r);
    let _ = scan_render::human(&r, true);
    r
}

#[test]
fn garbage_and_truncation_do_not_panic() {
    let cases: Vec<(Vec<u8>, bool)> = vec![
        (b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(), true),
        (vec![0x16, 3, 3, 0xff, 0xff], true),
        (vec![0x16, 3, 3, 0, 10, 2, 0, 0, 0x70], true),
        (vec![0x16, 3, 3, 0, 4, 2, 0xff, 0xff, 0xff], true),
        (vec![0x15, 3, 3, 0, 2, 2, 40], true),
        (vec![0x15, 3, 3, 0, 1, 2], true),
        (vec![], true),
        (vec![], false),
        (vec![0x16, 3, 3, 0, 45, 2, 0, 0, 41, 3, 3], false),
    ];
    let f = fake(b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(), true);
    let r = scan(f.port);
    assert!(
        r.error.as_deref().unwrap_or("").contains("not TLS"),
        "{:?}",
        r.error
    );
    drop(f);
    for (answer, close) in cases {
        let f = fake(answer.clone(), close);
        let r = scan(f.port);
        assert!(
            r.error.is_some() || r.protocols.iter().all(|p| !p.supported),
            "{answer:?}: {r:?}"
        );
    }
}

#[test]
fn dead_port_and_bad_target() {
    let port = common::free_port();
    let r = scan(port);
    assert!(r.error.as_deref().unwrap().contains("cannot connect"));
    let j = scan_render::to_json(&r);
    assert!(j["error"].is_string());
    let opts = ScanOptions {
        targets: vec!["127.0.0.1:notaport".into()],
        ..Default::default()
    };
    let mut out = vec![];
    assert_eq!(scan::run(&opts, &mut |r| out.push(r)), 1);
    assert!(out[0].error.is_some());
}
