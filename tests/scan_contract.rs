//! scan's command-line contract for a fleet, through the binary against loopback fakes:
//! results in input order, errors on stderr too, a server that refuses every ClientHello is a
//! failed target (exit 4), `--targets` errors name the line and the real reason, and Ctrl-C
//! reports the target in progress as interrupted and exits 130 without losing finished ones.

mod common;

use std::time::Duration;

use common::{free_port, run, tp, Proc, LIMIT};
use serde_json::Value;

/// A fatal handshake_failure alert record (RFC 5246 §7.2).
const HANDSHAKE_FAILURE: [u8; 7] = [0x15, 3, 3, 0, 2, 2, 40];

/// Reads the ClientHello, waits `delay`, answers `answer`; with None never answers (holds the
/// connection up to 60 s).
fn fake(answer: Option<Vec<u8>>, delay: Duration) -> common::Canned {
    let hold = if answer.is_some() {
        Duration::ZERO
    } else {
        Duration::from_secs(60)
    };
    common::canned(answer, delay, hold)
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn refused_everywhere_is_a_failed_target_and_the_error_goes_to_stderr_too() {
    let f = fake(Some(HANDSHAKE_FAILURE.to_vec()), Duration::ZERO);
    let t = format!("127.0.0.1:{}", f.port);
    let d = run(
        tp(["scan", &t, "--json", "--timeout", "2", "--tls", "1.2,1.3"]),
        b"",
        LIMIT,
    );
    assert_eq!(d.code, Some(4), "{}", d.all());
    let lines = json_lines(&d.stdout);
    assert_eq!(lines.len(), 1, "{}", d.all());
    let e = lines[0]["error"].as_str().unwrap_or_default();
    assert!(
        e.starts_with("no TLS handshake possible") && e.contains("handshake_failure"),
        "{e}"
    );
    assert!(
        d.stderr
            .contains(&format!("scan {t}: no TLS handshake possible")),
        "{}",
        d.all()
    );
}

#[test]
fn results_come_in_input_order() {
    // The first target answers last (after 1.5 s); the dead ports fail at once.
    let slow = fake(
        Some(HANDSHAKE_FAILURE.to_vec()),
        Duration::from_millis(1500),
    );
    let mut targets = vec![format!("127.0.0.1:{}", slow.port)];
    targets.extend((0..6).map(|_| format!("127.0.0.1:{}", free_port())));
    let mut args = vec!["scan".to_string(), "--json".into(), "-j".into(), "8".into()];
    args.extend(["--timeout".into(), "5".into(), "--tls".into(), "1.2".into()]);
    args.extend(targets.iter().cloned());
    let d = run(tp(&args), b"", LIMIT);
    assert_eq!(d.code, Some(4), "{}", d.all());
    let got: Vec<String> = json_lines(&d.stdout)
        .iter()
        .map(|v| v["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, targets, "{}", d.all());
}

#[test]
fn targets_file_errors_name_the_line_and_the_reason() {
    let dir = common::scratch();
    let list = dir.path().join("hosts.txt");
    let dead = free_port();
    std::fs::write(
        &list,
        format!("# fleet\n127.0.0.1:{dead}\n\nhttps://example.com/login\n"),
    )
    .unwrap();
    let path = list.to_str().unwrap();
    let d = run(
        tp(["scan", "--targets", path, "--json", "--timeout", "2"]),
        b"",
        LIMIT,
    );
    assert_eq!(d.code, Some(4), "{}", d.all());
    let lines = json_lines(&d.stdout);
    assert_eq!(lines.len(), 2, "{}", d.all());
    let e = lines[1]["error"].as_str().unwrap();
    assert_eq!(
        e,
        format!(
            "--targets {path} line 4: invalid target 'https://example.com/login': it is a URL; \
             give HOST[:PORT] (here: example.com:443)"
        )
    );
    assert!(!e.contains("IPv6"));
}

#[test]
fn ctrl_c_reports_the_target_in_progress_and_exits_130() {
    let silent = fake(None, Duration::ZERO);
    let dead = format!("127.0.0.1:{}", free_port());
    let hung = format!("127.0.0.1:{}", silent.port);
    let mut p = Proc::spawn_without_stdin(
        tp([
            "scan",
            &dead,
            &hung,
            "--json",
            "--timeout",
            "30",
            "--tls",
            "1.2",
        ]),
        "tlsprobe scan",
    );
    // The dead port's report is printed first (input order), then the scan hangs on the
    // silent server until interrupted.
    assert!(
        p.wait_stdout("cannot connect", Duration::from_secs(15)),
        "{}",
        p.all()
    );
    std::thread::sleep(Duration::from_millis(300));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &p.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = p
        .wait_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no exit after SIGINT\n{}", p.all()));
    assert_eq!(status.code(), Some(130), "{}", p.all());
    let lines = json_lines(&p.stdout());
    let got: Vec<(&str, &str)> = lines
        .iter()
        .map(|v| {
            (
                v["target"].as_str().unwrap(),
                v["error"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{}", p.all());
    assert_eq!(got[0].0, dead);
    assert!(got[0].1.contains("cannot connect"), "{got:?}");
    assert_eq!(got[1], (hung.as_str(), "interrupted"));
    assert!(p.stderr().contains("interrupted"), "{}", p.all());
}

#[test]
fn unknown_features_say_why() {
    if !common::need_openssl() {
        return;
    }
    let dir = common::scratch();
    let pair = common::loopback_cert(dir.path());
    let only13 = common::s_server(&pair, &["-tls1_3", "-www"], None);
    let both = common::s_server(&pair, &["-www"], None);
    let scan = |port: u16| {
        let d = run(
            tp([
                "scan",
                &format!("127.0.0.1:{port}"),
                "--json",
                "--timeout",
                "5",
            ]),
            b"",
            LIMIT,
        );
        assert_eq!(d.code, Some(0), "{}", d.all());
        json_lines(&d.stdout).remove(0)
    };
    let j = scan(only13.port);
    assert_eq!(j["features"]["fallback_scsv"], Value::Null);
    assert_eq!(
        j["features_unknown"]["fallback_scsv"],
        "not applicable: the server supports only TLS 1.3, no lower version to fall back to"
    );
    assert!(j["features_unknown"]["secure_renegotiation"]
        .as_str()
        .unwrap()
        .starts_with("not applicable"));
    // Every null feature has its reason; a server with TLS 1.2 and 1.3 has a fallback verdict.
    let j = scan(both.port);
    assert_eq!(j["features"]["fallback_scsv"], true);
    for (k, v) in j["features"].as_object().unwrap() {
        assert_eq!(
            v.is_null(),
            j["features_unknown"].get(k).is_some(),
            "{k}: {}",
            j["features_unknown"]
        );
    }
}

#[test]
fn suites_groups_sigalgs_and_alpn_narrow_the_scan() {
    if !common::need_openssl() {
        return;
    }
    let pair = common::certs().leaf(common::Key::Rsa);
    let s = common::s_server(pair, &["-www", "-alpn", "h2,http/1.1"], None);
    let t = format!("127.0.0.1:{}", s.port);
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", &t, "--json", "--timeout", "5", "--tls", "1.2,1.3"];
        args.extend_from_slice(extra);
        let d = run(tp(&args), b"", LIMIT);
        assert_eq!(d.code, Some(0), "{}", d.all());
        json_lines(&d.stdout).remove(0)
    };
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let suites = |j: &Value, i: usize| names(&j["protocols"][i]["cipher_suites"]);
    let full = scan(&[]);
    assert!(
        suites(&full, 0).len() > 1 && suites(&full, 1).len() > 1,
        "{full}"
    );
    assert!(names(&full["groups"]).len() > 2, "{full}");
    let narrow = scan(&[
        "--suites",
        "ECDHE-RSA-AES128-GCM-SHA256,TLS_AES_256_GCM_SHA384",
        "--groups",
        "secp256r1,x25519",
        "--sigalgs",
        "rsa_pss_rsae_sha384",
        "--alpn",
        "http/1.1",
    ]);
    assert_eq!(
        suites(&narrow, 0),
        ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
        "{narrow}"
    );
    assert_eq!(suites(&narrow, 1), ["TLS_AES_256_GCM_SHA384"], "{narrow}");
    let mut groups = names(&narrow["groups"]);
    groups.sort();
    assert_eq!(groups, ["secp256r1", "x25519"], "{narrow}");
    assert_eq!(
        names(&narrow["signature_algorithms"]),
        ["rsa_pss_rsae_sha384"]
    );
    assert_eq!(names(&narrow["features"]["alpn"]), ["http/1.1"]);

    let d = run(tp(["scan", &t, "--groups", "x25519,nosuch"]), b"", LIMIT);
    assert_eq!(d.code, Some(2), "{}", d.all());
    assert!(
        d.stderr.contains("--groups: unknown name 'nosuch'"),
        "{}",
        d.all()
    );
}
