//! The end of connect's and listen's JSON Lines (cli.md "JSON output"): every connection's
//! last event is `closed`, with the reason word, the tickets and application bytes counted
//! by the events before it, on every path: close_notify from us (nginx then drops TCP) or
//! from the peer (openssl s_server), TCP dropped without close_notify (a python server), a
//! fatal alert received or sent, no server at all, a certificate that does not verify
//! (exit 3), listen's http and pipe modes, --reconnect. Against real peers on loopback; a
//! missing peer is a printed skip (a failure with TLSPROBE_REQUIRE_PEERS).

mod common;
use common::{
    certs, free_port, gnutls_serv, need_gnutls, need_openssl, need_python, python, run, s_server,
    scratch, start_on_free_port, tp, Done, Key, Proc, LIMIT,
};

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

fn parse(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Checks the `closed` event ending `events` (one connection's): it is the last, the only
/// one, and its totals agree with the events before it. Returns it.
fn closed_at_end(events: &[Value], context: &str) -> Value {
    let last = events
        .last()
        .unwrap_or_else(|| panic!("no events\n{context}"));
    assert_eq!(
        last["type"], "closed",
        "closed is the last event\n{context}"
    );
    let closed: Vec<_> = events.iter().filter(|e| e["type"] == "closed").collect();
    assert_eq!(closed.len(), 1, "one closed per connection\n{context}");
    let bytes = |dir: &str| -> u64 {
        events
            .iter()
            .filter(|e| e["type"] == "app_data" && e["dir"] == dir)
            .map(|e| e["len"].as_u64().unwrap())
            .sum()
    };
    let tickets = events
        .iter()
        .filter(|e| {
            e["type"] == "handshake" && e["dir"] == "in" && e["msg"] == "new_session_ticket"
        })
        .count() as u64;
    assert_eq!(last["app_bytes_sent"], bytes("out"), "{context}");
    assert_eq!(last["app_bytes_received"], bytes("in"), "{context}");
    assert_eq!(last["tickets"], tickets, "{context}");
    let summaries = events.iter().filter(|e| e["type"] == "summary").count();
    assert_eq!(last["established"], summaries == 1, "{context}");
    assert!(
        last["detail"].as_str().is_some_and(|d| d.len() > 10),
        "{context}"
    );
    last.clone()
}

fn connect(port: u16, ca: Option<&std::path::Path>, extra: &[&str], input: &[u8]) -> Done {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--json",
        "--timeout",
        "5",
    ]);
    if let Some(ca) = ca {
        c.arg("--ca-file").arg(ca);
    }
    c.args(extra);
    run(c, input, LIMIT)
}

#[test]
fn openssl_sends_close_notify_first_and_tickets_are_counted() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    // stdin stays open until the page has come: the server closes first.
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{}", srv.port),
        "--json",
        "--timeout",
        "5",
        "--ca-file",
    ]);
    c.arg(&leaf.cert);
    let mut p = Proc::spawn(c, "tlsprobe connect");
    p.write_stdin(b"GET / HTTP/1.0\r\n\r\n");
    let status = p
        .wait_exit(LIMIT)
        .expect("connect ends when the server closes");
    let ev = parse(&p.stdout());
    assert_eq!(status.code(), Some(0), "{}", p.all());
    let c = closed_at_end(&ev, &p.all());
    assert_eq!(c["reason"], "close_notify_received", "{c}");
    assert_eq!(c["clean"], true);
    assert_eq!(c["close_notify_sent"], true, "we answer with ours: {c}");
    assert_eq!(c["close_notify_received"], true);
    assert_eq!(c["alert"], Value::Null);
    assert_eq!(c["app_bytes_sent"], 18);
    assert!(c["app_bytes_received"].as_u64().unwrap() > 100, "{c}");
    // TLS 1.3: the summary is written before the tickets arrive; closed counts them.
    let summary = ev.iter().find(|e| e["type"] == "summary").unwrap();
    assert_eq!(summary["version"], "TLS 1.3");
    assert_eq!(summary["session_ticket"], false);
    assert!(
        c["tickets"].as_u64().unwrap() >= 1,
        "OpenSSL sends tickets: {c}"
    );
}

/// nginx answers our close_notify by dropping TCP without its own: still one `closed`,
/// reason close_notify_sent, clean.
#[test]
fn nginx_drops_tcp_after_our_close_notify() {
    let have = common::require_peer(
        common::runs("nginx", &["-v"]),
        "nginx",
        "apt-get install nginx-light",
    );
    if !have || !need_openssl() {
        return;
    }
    let dir = scratch();
    let d = dir.path();
    let leaf = certs().leaf(Key::P256);
    std::fs::create_dir_all(d.join("tmp")).unwrap();
    let srv = start_on_free_port("nginx", 5, |port| {
        let conf = d.join(format!("nginx-{port}.conf"));
        let t = d.join("tmp");
        let t = t.display();
        std::fs::write(
            &conf,
            format!(
                "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx-{port}.pid;\n\
                 error_log {d}/error.log;\nevents {{ worker_connections 16; }}\n\
                 http {{ access_log off; client_body_temp_path {t}; proxy_temp_path {t};\n\
                 fastcgi_temp_path {t}; uwsgi_temp_path {t}; scgi_temp_path {t};\n\
                 server {{ listen 127.0.0.1:{port} ssl; ssl_protocols TLSv1.2 TLSv1.3;\n\
                 ssl_certificate {cert};\n\
                 ssl_certificate_key {key}; location / {{ return 200 \"hello\\n\"; }} }} }}\n",
                d = d.display(),
                cert = leaf.cert.display(),
                key = leaf.key.display(),
            ),
        )
        .unwrap();
        let mut c = Command::new("nginx");
        c.arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(d)
            .arg("-e")
            .arg(d.join("error.log"));
        c
    });
    let Some(srv) = srv else {
        panic!("nginx did not start");
    };
    for tls in ["1.3", "1.2"] {
        let done = connect(srv.port, Some(&leaf.cert), &["-n", "--tls", tls], b"");
        assert_eq!(done.code, Some(0), "{}", done.all());
        let c = closed_at_end(&done.json(), &done.all());
        assert_eq!(c["reason"], "close_notify_sent", "{c}");
        assert_eq!(c["clean"], true);
        assert_eq!(c["close_notify_sent"], true);
        assert_eq!(c["close_notify_received"], false, "nginx sends none: {c}");
        assert!(
            c["detail"].as_str().unwrap().contains("without its own"),
            "{c}"
        );
    }
}

#[test]
fn tcp_close_without_close_notify_is_a_truncation() {
    if !need_python() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = python(
        "tcp_drop_server.py",
        &[leaf.cert.to_str().unwrap(), leaf.key.to_str().unwrap()],
    );
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{}", srv.port),
        "--json",
        "--timeout",
        "5",
        "--ca-file",
    ]);
    c.arg(&leaf.cert);
    let mut p = Proc::spawn(c, "tlsprobe connect");
    p.write_stdin(b"GET / HTTP/1.0\r\n\r\n");
    let status = p.wait_exit(LIMIT).expect("connect ends when TCP closes");
    assert_eq!(status.code(), Some(0), "{}", p.all());
    let c = closed_at_end(&parse(&p.stdout()), &p.all());
    assert_eq!(c["reason"], "tcp_close", "{c}");
    assert_eq!(c["clean"], false);
    assert_eq!(c["close_notify_received"], false);
    assert_eq!(c["app_bytes_received"], 25);
}

#[test]
fn verify_failure_ends_with_closed_and_exit_3() {
    if !need_openssl() {
        return;
    }
    let srv = s_server(certs().leaf(Key::P256), &["-www"], None);
    // No --ca-file: the self-signed certificate is not in the system store.
    let done = connect(srv.port, None, &["-n"], b"");
    assert_eq!(done.code, Some(3), "{}", done.all());
    let c = closed_at_end(&done.json(), &done.all());
    assert_eq!(c["reason"], "verify_failed", "{c}");
    assert_eq!(c["clean"], false);
    assert_eq!(
        c["close_notify_sent"], true,
        "we close with close_notify: {c}"
    );
    assert!(c["detail"]
        .as_str()
        .unwrap()
        .contains("verification failed"));
}

#[test]
fn fatal_alert_received_and_sent() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www", "-tls1_2"], None);
    let done = connect(srv.port, Some(&leaf.cert), &["-n", "--tls", "1.3"], b"");
    assert_eq!(done.code, Some(1), "{}", done.all());
    let c = closed_at_end(&done.json(), &done.all());
    assert_eq!(c["reason"], "alert", "{c}");
    assert_eq!(c["established"], false);
    assert_eq!(c["alert"]["dir"], "in", "{c}");
    assert_eq!(c["alert"]["description"], "protocol_version", "{c}");

    // listen refusing a TLS 1.2 client: the alert it sent ends the connection.
    let mut l = common::listen_once("127.0.0.1:0", &["--json", "--tls", "1.3"]);
    let _ = common::s_client(l.port, &["-tls1_2"], b"");
    let out = l.output(Duration::from_secs(10));
    let ev: Vec<Value> = parse(
        &out.lines()
            .filter(|x| x.starts_with('{'))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .into_iter()
    .filter(|e| e["conn"] == 1)
    .collect();
    let c = closed_at_end(&ev, &out);
    assert_eq!(c["reason"], "alert", "{c}");
    assert_eq!(c["alert"]["dir"], "out", "{c}");
    assert_eq!(c["alert"]["description"], "protocol_version", "{c}");
}

#[test]
fn no_server_is_an_error_with_closed() {
    let done = connect(free_port(), None, &["-n"], b"");
    assert_eq!(done.code, Some(1), "{}", done.all());
    let c = closed_at_end(&done.json(), &done.all());
    assert_eq!(c["reason"], "error", "{c}");
    assert_eq!(c["established"], false);
    assert_eq!(c["close_notify_sent"], false);
}

#[test]
fn reconnect_ends_each_connection_with_closed() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let done = connect(srv.port, Some(&leaf.cert), &["-n", "--reconnect"], b"");
    assert_eq!(done.code, Some(0), "{}", done.all());
    let ev = done.json();
    let at: Vec<usize> = ev
        .iter()
        .enumerate()
        .filter(|(_, e)| e["type"] == "closed")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 2, "{}", done.all());
    let first = closed_at_end(&ev[..=at[0]], &done.all());
    let second = closed_at_end(&ev[at[0] + 1..], &done.all());
    assert!(first["tickets"].as_u64().unwrap() >= 1, "{first}");
    assert_eq!(second["reason"], "close_notify_sent");
    let resumed: Vec<_> = ev.iter().filter(|e| e["type"] == "summary").collect();
    assert_eq!(resumed[1]["resumed"], true, "{}", done.all());
}

#[test]
fn gnutls_serv_connection_ends_with_closed() {
    if !need_gnutls("gnutls-serv") || !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = gnutls_serv(leaf, &["--http", "--quiet"]);
    for tls in ["1.3", "1.2"] {
        let done = connect(srv.port, Some(&leaf.cert), &["-n", "--tls", tls], b"");
        assert_eq!(done.code, Some(0), "{}", done.all());
        let c = closed_at_end(&done.json(), &done.all());
        assert_eq!(c["reason"], "close_notify_sent", "{c}");
        assert_eq!(c["clean"], true);
    }
}

/// listen's events of connection 1, from its merged output.
fn conn1(out: &str) -> Vec<Value> {
    out.lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["conn"] == 1)
        .collect()
}

#[test]
fn listen_http_and_pipe_connections_end_with_closed() {
    if !need_openssl() {
        return;
    }
    let mut l = common::listen_once("127.0.0.1:0", &["--json"]);
    let d = common::s_client(l.port, &["-tls1_3", "-ign_eof"], b"GET / HTTP/1.0\r\n\r\n");
    assert!(d.stdout.contains("200 OK"), "{}", d.all());
    let out = l.output(Duration::from_secs(10));
    let c = closed_at_end(&conn1(&out), &out);
    assert_eq!(c["reason"], "close_notify_sent", "{c}");
    assert_eq!(c["app_bytes_received"], 18);
    assert_eq!(c["tickets"], 0, "the server receives no tickets");

    let mut l = common::listen_once("127.0.0.1:0", &["--json", "--mode", "pipe"]);
    let d = common::s_client(l.port, &["-tls1_3"], b"hello\n");
    assert_eq!(d.code, Some(0), "{}", d.all());
    let out = l.output(Duration::from_secs(10));
    let c = closed_at_end(&conn1(&out), &out);
    assert_eq!(c["reason"], "close_notify_received", "{c}");
    assert_eq!(c["app_bytes_received"], 6, "{c}");
}

#[test]
fn human_output_has_one_closing_line() {
    if !need_openssl() {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{}", srv.port),
        "-n",
        "--ca-file",
    ]);
    c.arg(&leaf.cert);
    let done = run(c, b"", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let lines: Vec<&str> = done.stderr.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains("Closed ("))
        .collect();
    assert_eq!(starts.len(), 1, "{}", done.stderr);
    let first = lines[starts[0]];
    assert!(
        first.starts_with("* Closed (close_notify_sent): we sent close_notify"),
        "{first}"
    );
    // The closing line and its totals are the last thing printed.
    let rest = &lines[starts[0] + 1..];
    assert_eq!(rest.len(), 1, "{}", done.stderr);
    assert!(rest[0].starts_with("    "), "{}", done.stderr);
    let block = lines[starts[0]..]
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(block.contains("session ticket"), "{block}");
    assert!(
        block.contains("application data 0 bytes sent, 0 bytes received"),
        "{block}"
    );
}

/// listen's own ends: a client that sends nothing (the `--timeout` deadline cuts it: a local
/// error, not the TCP close the watchdog causes) and a STARTTLS dialogue that fails before
/// any TLS: each connection still ends with `closed`.
#[test]
fn listen_deadline_and_failed_starttls_end_with_closed() {
    use std::io::Write;
    let mut l = common::listen_once("127.0.0.1:0", &["--json", "--timeout", "1"]);
    let s = std::net::TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    let out = l.output(Duration::from_secs(10));
    drop(s);
    let c = closed_at_end(&conn1(&out), &out);
    assert_eq!(c["reason"], "error", "{c}");
    assert!(c["detail"].as_str().unwrap().contains("timed out"), "{c}");

    let mut l = common::listen_once("127.0.0.1:0", &["--json", "--starttls", "smtp"]);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", l.port)).unwrap();
    let _ = s.write_all(b"QUIT\r\n");
    drop(s);
    let out = l.output(Duration::from_secs(10));
    let c = closed_at_end(&conn1(&out), &out);
    assert_eq!(c["reason"], "error", "{c}");
    assert_eq!(c["established"], false);
}
