//! tlsprobe's vulnerability verdicts against testssl.sh's and sslyze's on the same real servers
//! on 127.0.0.1 (openssl s_server, gnutls-serv, nginx): for every check in tlsprobe's
//! "vulnerabilities" map that the other tool also runs, the same verdict. Generic: the checks
//! come from tlsprobe's JSON, the mapping to each tool is scripts/vuln_verdicts.py (also used by
//! scripts/bench_scan.sh), so checks that land later are compared too. testssl.sh runs only the
//! vulnerability flags those checks need, sslyze only their plugins; the three servers run
//! side by side. Skips (TLSPROBE_REQUIRE_PEERS rule) when both tools are missing.

mod common;
use common::{
    need_gnutls, need_openssl, require_peer, run, runs, scratch, self_signed, serve_on_free_port,
    start_on_free_port, tp, Key, Server,
};

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// testssl.sh's flag for each tlsprobe check (its JSON ids are in vuln_verdicts.py).
const TESTSSL_FLAGS: &[(&str, &str)] = &[
    ("heartbleed", "-H"),
    ("ccs_injection", "-I"),
    ("ticketbleed", "-T"),
    ("robot", "-BB"),
    ("sslv2", "-D"),
    ("client_renegotiation", "-R"),
    ("insecure_renegotiation", "-R"),
    ("breach", "-B"),
    ("poodle_tls", "-O"),
    ("lucky13", "-L"),
    ("sweet32", "-W"),
    ("freak", "-F"),
    ("logjam", "-J"),
    ("beast", "-A"),
];

/// sslyze's plugin for each tlsprobe check.
const SSLYZE_PLUGINS: &[(&str, &str)] = &[
    ("heartbleed", "--heartbleed"),
    ("ccs_injection", "--openssl_ccs"),
    ("robot", "--robot"),
    ("sslv2", "--sslv2"),
    ("client_renegotiation", "--reneg"),
    ("insecure_renegotiation", "--reneg"),
    ("zero_rtt", "--early_data"),
];

/// The flags of `table` for the checks in `ids`, each once.
fn flags<'a>(table: &[(&str, &'a str)], ids: &[String]) -> Vec<&'a str> {
    let mut out: Vec<&str> = vec![];
    for (id, flag) in table {
        if ids.iter().any(|i| i == id) && !out.contains(flag) {
            out.push(flag);
        }
    }
    out
}

fn have_testssl() -> bool {
    require_peer(
        runs("testssl", &["--version"]),
        "testssl.sh",
        "apt-get install testssl.sh",
    )
}

fn have_sslyze() -> bool {
    require_peer(
        runs("python3", &["-c", "import sslyze"]),
        "sslyze",
        "pip install sslyze",
    )
}

/// The verdict rows of one server and how many disagree, after running the three tools on it.
fn compare(name: &str, port: u16, http: bool, tools: (bool, bool), dir: &Path) -> String {
    let target = format!("127.0.0.1:{port}");
    let mut args = vec!["scan", &target, "--json"];
    let has_http_flag = run(tp(["scan", "--help"]), b"", Duration::from_secs(10))
        .stdout
        .contains("--http");
    if http && has_http_flag {
        args.push("--http");
    }
    let o = run(tp(args), b"", Duration::from_secs(60));
    assert_eq!(o.code, Some(0), "{name}: {}", o.all());
    let ours: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(
        ours["connections"].as_u64().unwrap() <= 100,
        "{name}: {ours}"
    );
    let ids: Vec<String> = ours["vulnerabilities"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let tp_json = dir.join(format!("{name}-tlsprobe.json"));
    std::fs::write(&tp_json, &o.stdout).unwrap();
    let mut verdicts = Command::new("python3");
    verdicts
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/vuln_verdicts.py"
        ))
        .arg("--tlsprobe")
        .arg(&tp_json);
    std::thread::scope(|s| {
        let testssl = s.spawn(|| {
            let f = flags(TESTSSL_FLAGS, &ids);
            (tools.0 && !f.is_empty()).then(|| {
                let out = dir.join(format!("{name}-testssl.json"));
                let mut c = Command::new("timeout");
                c.args(["-k", "5", "240", "testssl", "--quiet", "--warnings", "off"])
                    .args(["--color", "0", "--jsonfile"])
                    .arg(&out)
                    .args(&f)
                    .arg(&target);
                run(c, b"", Duration::from_secs(260));
                out
            })
        });
        let sslyze = s.spawn(|| {
            let f = flags(SSLYZE_PLUGINS, &ids);
            (tools.1 && !f.is_empty()).then(|| {
                let out = dir.join(format!("{name}-sslyze.json"));
                let mut c = Command::new("timeout");
                c.args(["-k", "5", "120", "python3", "-m", "sslyze", "--quiet"])
                    .args(["--mozilla_config", "disable", "--json_out"])
                    .arg(&out)
                    .args(&f)
                    .arg(&target);
                run(c, b"", Duration::from_secs(140));
                out
            })
        });
        if let Some(f) = testssl.join().unwrap() {
            verdicts.arg("--testssl").arg(f);
        }
        if let Some(f) = sslyze.join().unwrap() {
            verdicts.arg("--sslyze").arg(f);
        }
    });
    let table = run(verdicts, b"", Duration::from_secs(30));
    verdicts_agree(name, &ids, tools, &table.stdout, &table.all())
}

/// Checks the rows of vuln_verdicts.py --json: no disagreement, and every derived check (which
/// testssl.sh always runs) compared. Returns the table for the log.
fn verdicts_agree(name: &str, ids: &[String], tools: (bool, bool), out: &str, all: &str) -> String {
    let v: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{name}: {e}: {all}"));
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), ids.len(), "{name}: {v}");
    let mut table = format!("{name}:\n");
    for r in rows {
        table.push_str(&format!(
            "  {:24} tlsprobe {:16} testssl.sh {:16} sslyze {}\n",
            r["check"].as_str().unwrap(),
            r["tlsprobe"].as_str().unwrap(),
            r["testssl"].as_str().unwrap_or("-"),
            r["sslyze"].as_str().unwrap_or("-"),
        ));
    }
    for r in rows {
        for tool in ["testssl", "sslyze"] {
            assert_ne!(
                r[format!("agree_{tool}")],
                false,
                "{name}: {} differs from {tool}\n{table}",
                r["check"]
            );
        }
    }
    if tools.0 {
        for id in ["lucky13", "sweet32", "freak", "logjam", "beast"] {
            let row = rows
                .iter()
                .find(|r| r["check"] == id)
                .unwrap_or_else(|| panic!("{name}: no {id}\n{table}"));
            assert_eq!(
                row["agree_testssl"], true,
                "{name}: {id} not compared with testssl.sh\n{table}"
            );
        }
    }
    table
}

/// nginx on a free port with a temporary configuration in `dir`: TLS 1.2 and 1.3, the RSA
/// certificate, ECDHE and DHE (ffdhe2048), an HTTP answer. One process, no user switch.
fn nginx(dir: &Path, cert: &Path, key: &Path) -> Option<Server> {
    let dh = dir.join("dh.pem");
    let ok = Command::new("openssl")
        .args([
            "genpkey",
            "-genparam",
            "-algorithm",
            "DH",
            "-pkeyopt",
            "group:ffdhe2048",
            "-out",
        ])
        .arg(&dh)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "openssl genpkey");
    let d = dir.display();
    start_on_free_port("nginx", 5, |port| {
        let conf = dir.join(format!("nginx-{port}.conf"));
        std::fs::write(
            &conf,
            format!(
                "daemon off; master_process off; worker_processes 1;
pid {d}/nginx-{port}.pid; error_log {d}/nginx-error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {}; ssl_certificate_key {};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256:AES128-SHA;
    ssl_dhparam {};
    location / {{ default_type text/html; return 200 \"<html><body>hello</body></html>\\n\"; }}
  }}
}}
",
                cert.display(),
                key.display(),
                dh.display()
            ),
        )
        .unwrap();
        let mut c = Command::new("nginx");
        c.arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(dir.join("nginx-error.log"));
        c
    })
}

#[test]
fn verdicts_match_testssl_and_sslyze() {
    let tools = (have_testssl(), have_sslyze());
    if !(tools.0 || tools.1) || !need_openssl() || !need_gnutls("gnutls-serv") {
        return;
    }
    let have_nginx = require_peer(runs("nginx", &["-v"]), "nginx", "apt-get install nginx");
    let start = Instant::now();
    let dir = scratch();
    let c = self_signed(dir.path(), "c", Key::Rsa, "localhost");
    // openssl s_server defaults (TLS 1.2 and 1.3, CBC suites too), answering HTTP (-www).
    let ossl = serve_on_free_port("openssl s_server", |port| {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&c.cert)
            .arg("-key")
            .arg(&c.key);
        cmd
    });
    // gnutls-serv: accepts client-initiated renegotiation; TLS 1.0 and 3DES (BEAST, Sweet32).
    let gnutls = serve_on_free_port("gnutls-serv", |port| {
        let mut cmd = Command::new("gnutls-serv");
        cmd.args(["--port", &port.to_string(), "--http", "--quiet"])
            .args(["--x509certfile", "c.pem", "--x509keyfile", "c.key"])
            .args(["--priority", "NORMAL:+VERS-TLS1.0:+3DES-CBC"])
            .current_dir(dir.path());
        cmd
    });
    let ng = if have_nginx {
        nginx(dir.path(), &c.cert, &c.key)
    } else {
        None
    };
    let mut servers = vec![("openssl", ossl.port, true), ("gnutls", gnutls.port, true)];
    if let Some(n) = &ng {
        servers.push(("nginx", n.port, true));
    }
    let tables: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = servers
            .iter()
            .map(|&(name, port, http)| {
                s.spawn(move || compare(name, port, http, tools, dir.path()))
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for t in tables {
        eprint!("{t}");
    }
    eprintln!("compared in {:.1} s", start.elapsed().as_secs_f64());
}
