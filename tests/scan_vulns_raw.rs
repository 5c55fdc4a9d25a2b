//! The raw-probe vulnerability checks of `scan` (heartbleed, ccs_injection, ticketbleed,
//! sslv2): each proven positive against a scripted vulnerable server (tests/support/
//! vuln_server.py: plaintext handshake bytes, fixed filler instead of memory; tlslite-ng for
//! tickets) and negative against its safe twin and real servers (openssl s_server TLS 1.2 and
//! TLS 1.3, gnutls-serv with the heartbeat extension, nginx). Loopback only; every server is
//! killed by its guard; every scan is bounded in time and in connections.

mod common;
use common::{
    gnutls_serv, loopback_target, need_gnutls, need_openssl, need_python, need_sslyze,
    need_tlslite, python, require_peer, run, runs, scan_options, scan_report, scratch, self_signed,
    serve_on_free_port, support_file, Key, Proc, Server,
};

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use tlsprobe::report::scan_render;
use tlsprobe::scan::ScanOptions;
use tlsprobe::wire::codepoints::ProtocolVersion;

const IDS: [&str; 4] = ["heartbleed", "ccs_injection", "ticketbleed", "sslv2"];

/// Scans 127.0.0.1:port (3 s timeouts) and returns the JSON report, after the checks every
/// report must pass: no error, at most 100 connections, a reason for every unknown and
/// not_applicable verdict, a finding for every vulnerable one.
fn scan_json(port: u16) -> Value {
    scan_versions(port, vec![])
}

/// As [`scan_json`], probing only `versions` (all when empty), as `--tls` does.
fn scan_versions(port: u16, versions: Vec<ProtocolVersion>) -> Value {
    let opts = ScanOptions {
        timeout: Duration::from_secs(3),
        versions,
        ..scan_options(vec![loopback_target(port)])
    };
    let r = scan_report(&opts);
    let j = scan_render::to_json(&r);
    for id in IDS {
        let v = j["vulnerabilities"][id]
            .as_str()
            .unwrap_or_else(|| panic!("{id}: {j}"));
        let why = j["vulnerabilities_reasons"][id].as_str().unwrap_or("");
        match v {
            "unknown" => assert!(
                why.starts_with("unknown: ") || why.starts_with("not tested: "),
                "{id}: {why}"
            ),
            "not_applicable" => assert!(why.starts_with("not applicable: "), "{id}: {why}"),
            "vulnerable" => assert!(
                j["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["id"] == id),
                "{id}: no finding in {j}"
            ),
            _ => assert_eq!(v, "not_vulnerable", "{id}"),
        }
    }
    j
}

fn verdict(j: &Value, id: &str) -> String {
    j["vulnerabilities"][id].as_str().unwrap().to_string()
}

fn reason(j: &Value, id: &str) -> String {
    j["vulnerabilities_reasons"][id]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// The verdicts of the four checks, in order.
fn verdicts(j: &Value) -> Vec<String> {
    IDS.iter().map(|id| verdict(j, id)).collect()
}

fn vuln_server(mode: &str) -> Server {
    python("vuln_server.py", &[mode, "90"])
}

#[test]
fn scripted_vulnerable_servers_are_found() {
    if !need_python() {
        return;
    }
    let nv = "not_vulnerable";
    let na = "not_applicable";
    for (mode, expected) in [
        ("heartbleed", ["vulnerable", nv, na, nv]),
        ("ccs", [nv, "vulnerable", na, nv]),
        ("sslv2", [nv, nv, na, "vulnerable"]),
    ] {
        let s = vuln_server(mode);
        let j = scan_json(s.port);
        assert_eq!(verdicts(&j), expected, "{mode}: {j}");
    }
    let s = vuln_server("sslv2");
    let j = scan_json(s.port);
    assert_eq!(
        reason(&j, "sslv2"),
        "SSLv2 ciphers offered: RC4-MD5, DES-CBC3-MD5"
    );
    let f = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "sslv2")
        .unwrap();
    assert_eq!(f["severity"], "critical");
    assert!(f["detail"].as_str().unwrap().contains("DROWN"));
}

#[test]
fn scripted_safe_servers_are_clean() {
    if !need_python() {
        return;
    }
    let s = vuln_server("plain");
    let j = scan_json(s.port);
    assert_eq!(verdict(&j, "heartbleed"), "not_vulnerable");
    assert!(reason(&j, "heartbleed").contains("does not acknowledge the heartbeat extension"));
    assert_eq!(verdict(&j, "sslv2"), "not_vulnerable");
    assert_eq!(
        reason(&j, "ticketbleed"),
        "not applicable: the server does not support session tickets (RFC 5077)"
    );
    // Acknowledges the extension, drops the malformed request, answers the well-formed one.
    let s = vuln_server("heartbeat-safe");
    let j = scan_json(s.port);
    assert_eq!(j["features"]["heartbeat"], true);
    assert_eq!(verdict(&j, "heartbleed"), "not_vulnerable");
    assert!(reason(&j, "heartbleed").contains("answered a well-formed one"));
    let s = vuln_server("ccs-safe");
    let j = scan_json(s.port);
    assert_eq!(verdict(&j, "ccs_injection"), "not_vulnerable");
    assert!(reason(&j, "ccs_injection").contains("unexpected_message"));
}

/// A hostile peer (oversized record headers after its first flight, a truncated SSL 2.0
/// SERVER-HELLO): a clear verdict for each check, quickly, no panic.
#[test]
fn garbage_answers_give_clear_verdicts() {
    if !need_python() {
        return;
    }
    let s = vuln_server("garbage");
    let t = Instant::now();
    let j = scan_json(s.port);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    assert_eq!(verdict(&j, "heartbleed"), "unknown", "{j}");
    assert!(reason(&j, "heartbleed").contains("not TLS"), "{j}");
    assert_eq!(verdict(&j, "ccs_injection"), "unknown", "{j}");
    assert_eq!(verdict(&j, "sslv2"), "not_vulnerable", "{j}");
    assert!(reason(&j, "sslv2").contains("not SSL 2.0"), "{j}");
}

#[test]
fn ticketbleed_positive_and_negative_with_tlslite() {
    if !need_python() || !need_tlslite() {
        return;
    }
    let s = vuln_server("ticketbleed");
    let j = scan_json(s.port);
    assert_eq!(verdict(&j, "ticketbleed"), "vulnerable", "{j}");
    let f = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "ticketbleed")
        .unwrap();
    assert!(f["detail"].as_str().unwrap().contains("CVE-2016-9244"));
    let s = vuln_server("tickets");
    let j = scan_json(s.port);
    assert_eq!(verdict(&j, "ticketbleed"), "not_vulnerable", "{j}");
    assert!(reason(&j, "ticketbleed").contains("echoed the 8-byte session ID exactly"));
}

/// `openssl s_server` with an RSA certificate and `args`.
fn s_server(dir: &std::path::Path, args: &[&str]) -> Server {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let dir = dir.to_path_buf();
    serve_on_free_port("openssl s_server", move |port| {
        let mut c = Command::new("openssl");
        c.args(["s_server", "-quiet", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-cert", "c.pem", "-key", "c.key"])
            .args(&args)
            .current_dir(&dir);
        c
    })
}

#[test]
fn openssl_is_not_vulnerable() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = s_server(dir.path(), &["-tls1_2"]);
    let j = scan_json(s.port);
    assert_eq!(verdicts(&j), ["not_vulnerable"; 4], "{j}");
    // OpenSSL 3 has no heartbeat support at all.
    assert!(reason(&j, "heartbleed").contains("does not acknowledge"));
    assert!(reason(&j, "ccs_injection").contains("unexpected_message"));
    assert!(reason(&j, "ticketbleed").contains("resumed from its ticket"));
    let s = s_server(dir.path(), &["-tls1_3"]);
    let j = scan_json(s.port);
    assert_eq!(
        verdicts(&j),
        [
            "not_applicable",
            "not_applicable",
            "not_applicable",
            "not_vulnerable"
        ],
        "{j}"
    );
    assert!(reason(&j, "heartbleed").contains("only TLS 1.3"));
    // `--tls 1.3` against a server with TLS 1.2 too: the raw TLS 1.2 checks did not look.
    let s = s_server(dir.path(), &[]);
    let j = scan_versions(s.port, vec![ProtocolVersion::TLS13]);
    for id in ["heartbleed", "ccs_injection", "ticketbleed"] {
        assert_eq!(verdict(&j, id), "unknown", "{j}");
        assert!(reason(&j, id).contains("not probed (--tls)"), "{j}");
    }
}

#[test]
fn gnutls_with_heartbeat_is_not_vulnerable() {
    if !need_gnutls("gnutls-serv") {
        return;
    }
    let dir = scratch();
    let gnutls_pair = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let s = gnutls_serv(&gnutls_pair, &["--heartbeat", "--quiet"]);
    let j = scan_json(s.port);
    assert_eq!(j["features"]["heartbeat"], true, "{j}");
    assert_eq!(verdicts(&j), ["not_vulnerable"; 4], "{j}");
    assert!(reason(&j, "heartbleed").contains("no memory echoed"));
}

#[test]
fn nginx_is_not_vulnerable() {
    if !require_peer(
        runs("nginx", &["-v"]),
        "nginx",
        "apt-get install nginx-light",
    ) {
        return;
    }
    let dir = scratch();
    self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let root = dir.path().to_path_buf();
    let s = serve_on_free_port("nginx", move |port| {
        let conf = root.join(format!("nginx-{port}.conf"));
        std::fs::write(
            &conf,
            format!(
                "daemon off; master_process off; worker_processes 1; pid {d}/nginx.pid;\n\
                 error_log {d}/error.log;\n\
                 events {{ worker_connections 256; }}\n\
                 http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d};\n\
                   fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
                   server {{ listen 127.0.0.1:{port} ssl; ssl_certificate {d}/c.pem;\n\
                     ssl_certificate_key {d}/c.key; ssl_protocols TLSv1.2 TLSv1.3;\n\
                     location / {{ return 200 \"ok\\n\"; }} }} }}\n",
                d = root.display()
            ),
        )
        .unwrap();
        let mut c = Command::new("nginx");
        c.arg("-p").arg(&root).arg("-c").arg(&conf);
        c.arg("-e").arg(root.join("error.log"));
        c
    });
    let j = scan_json(s.port);
    assert_eq!(verdicts(&j), ["not_vulnerable"; 4], "{j}");
}

/// vuln_server.py MODE+certreq sending the RSA certificate `cert`: sslyze needs an RSA key
/// exchange it can follow to a CertificateRequest before it runs its checks.
fn vuln_server_for_sslyze(mode: &str, cert: &std::path::Path) -> Server {
    let mut c = Command::new("python3");
    c.arg(support_file("vuln_server.py"))
        .args([&format!("{mode}+certreq"), "90"])
        .env("VULN_SERVER_CERT", cert);
    let mut proc = Proc::spawn_without_stdin(c, "vuln_server.py");
    let port = proc
        .wait_line(Duration::from_secs(15), |l| {
            l.strip_prefix("PORT ")?.trim().parse().ok()
        })
        .unwrap_or_else(|| panic!("vuln_server.py did not start:\n{}", proc.all()));
    Server { proc, port }
}

/// Side by side with sslyze (`--heartbleed --openssl_ccs`, the two of these checks it has):
/// the same verdict on each server, vulnerable and not.
#[test]
fn sslyze_agrees_on_heartbleed_and_ccs() {
    if !need_python() || !need_openssl() || !need_sslyze() {
        return;
    }
    let dir = scratch();
    let rsa = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    let servers: Vec<(&str, Server)> = ["heartbleed", "ccs", "heartbeat-safe", "ccs-safe"]
        .iter()
        .map(|m| (*m, vuln_server_for_sslyze(m, &rsa.cert)))
        .collect();
    let mut c = Command::new("python3");
    c.args([
        "-m",
        "sslyze",
        "--heartbleed",
        "--openssl_ccs",
        "--json_out=-",
    ]);
    for (_, s) in &servers {
        c.arg(format!("127.0.0.1:{}", s.port));
    }
    let out = run(c, b"", Duration::from_secs(60));
    let sslyze: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.all()));
    let results = sslyze["server_scan_results"].as_array().unwrap();
    for (mode, s) in &servers {
        let r = results
            .iter()
            .find(|r| r["server_location"]["port"] == s.port)
            .unwrap_or_else(|| panic!("{mode}: no sslyze result in {sslyze}"));
        assert_eq!(r["scan_status"], "COMPLETED", "{mode}: {r}");
        let theirs = |cmd: &str, key: &str| r["scan_result"][cmd]["result"][key].as_bool().unwrap();
        let j = scan_json(s.port);
        let ours = |id: &str| verdict(&j, id) == "vulnerable";
        let hb = theirs("heartbleed", "is_vulnerable_to_heartbleed");
        let ccs = theirs("openssl_ccs_injection", "is_vulnerable_to_ccs_injection");
        assert_eq!(
            (ours("heartbleed"), ours("ccs_injection")),
            (hb, ccs),
            "{mode}: {j}"
        );
        assert_eq!(
            (hb, ccs),
            (*mode == "heartbleed", *mode == "ccs"),
            "{mode}: sslyze"
        );
    }
}
