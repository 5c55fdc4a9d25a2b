//! TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2) against real peers on
//! loopback: `openssl s_client -enable_pha` and `gnutls-cli --post-handshake-auth` against
//! `tlsprobe listen --client-auth post-handshake` (http and echo modes; a client without the
//! extension is never asked), `tlsprobe connect --cert` answering the request `openssl
//! s_server` sends on its interactive `c` command, and tlsprobe against itself (JSON events,
//! and certificate_required for an empty Certificate when one is required).

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;
use serde_json::Value;

const T: Duration = Duration::from_secs(20);
const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `tlsprobe listen --once` on the P-256 loopback certificate, asking for client
/// certificates after the handshake (`auth`) and verifying them against the test CA.
fn pha_listen(auth: &str, extra: &[&str]) -> Listen {
    let c = certs();
    let leaf = c.leaf(Key::P256);
    let mut args = vec![
        "--cert",
        path(&leaf.cert),
        "--key",
        path(&leaf.key),
        "--client-auth",
        auth,
        "--ca-file",
        path(&c.ca.cert),
    ];
    args.extend_from_slice(extra);
    listen_once("127.0.0.1:0", &args)
}

/// `openssl s_client -tls1_3` with the client certificate `cert` (offering post_handshake_auth
/// with `pha`) sending an HTTP request to `port`.
fn s_client_with_cert(port: u16, cert: &CertPair, pha: bool) -> Done {
    let mut args = vec!["-tls1_3", "-ign_eof"];
    if pha {
        args.push("-enable_pha");
    }
    args.extend(["-cert", path(&cert.cert), "-key", path(&cert.key)]);
    s_client(port, &args, GET)
}

/// The JSON lines among `text`'s lines.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn openssl_s_client_enable_pha_against_listen() {
    if !need_openssl() {
        return;
    }
    let mut l = pha_listen("post-handshake", &[]);
    let done = s_client_with_cert(l.port, &certs().client, true);
    let page = done.stdout.clone();
    let out = l.output(T);
    // The page is sent once the client has authenticated, and names its certificate.
    assert!(page.contains("HTTP/1.0 200 OK"), "{}\n{out}", done.all());
    assert!(
        page.contains("client cert:      CN=test client"),
        "{page}\n{out}"
    );
    assert!(out.contains("→ CertificateRequest"), "{out}");
    assert!(out.contains("← CertificateVerify"), "{out}");
    assert!(
        out.contains("the client sent the certificate of CN=test client, which verified"),
        "{out}"
    );
}

/// A certificate that does not chain to --ca-file: bad_certificate (RFC 8446 §6.2), and
/// no page.
#[test]
fn an_unverified_certificate_after_the_handshake_is_bad_certificate() {
    if !need_openssl() {
        return;
    }
    let mut l = pha_listen("post-handshake", &[]);
    let done = s_client_with_cert(l.port, certs().leaf(Key::Rsa), true);
    let out = l.output(T);
    assert!(!done.stdout.contains("HTTP/1.0 200"), "{}", done.all());
    assert!(out.contains("→ Alert fatal bad_certificate"), "{out}");
}

#[test]
fn a_client_without_post_handshake_auth_is_not_asked() {
    if !need_openssl() {
        return;
    }
    let mut l = pha_listen("post-handshake", &[]);
    let done = s_client_with_cert(l.port, &certs().client, false);
    let out = l.output(T);
    assert!(
        done.stdout.contains("client cert:      -"),
        "{}",
        done.all()
    );
    assert!(!out.contains("→ CertificateRequest"), "{out}");
    assert!(
        out.contains("the client did not offer post_handshake_auth"),
        "{out}"
    );
}

#[test]
fn gnutls_cli_post_handshake_auth_against_listen_echo() {
    if !need_gnutls("gnutls-cli") {
        return;
    }
    let c = certs();
    let mut l = pha_listen("post-handshake", &["--mode", "echo"]);
    let mut cmd = Command::new("gnutls-cli");
    cmd.args(["--post-handshake-auth", "--insecure", "-p"])
        .arg(l.port.to_string())
        .args(["--x509certfile", path(&c.client.cert)])
        .args(["--x509keyfile", path(&c.client.key)])
        .arg("127.0.0.1");
    let mut cli = Proc::spawn(cmd, "gnutls-cli");
    assert!(cli.wait_for("Handshake was completed", T), "{}", cli.all());
    // Echo mode asks with the first data, then echoes it.
    cli.write_stdin(b"hello after the handshake\n");
    assert!(
        cli.wait_stdout("hello after the handshake", T),
        "{}",
        cli.all()
    );
    cli.close_stdin();
    let _ = cli.wait_exit(T);
    let out = l.output(T);
    assert!(
        out.contains("the client sent the certificate of CN=test client, which verified"),
        "{out}\n{}",
        cli.all()
    );
}

/// `openssl s_server` (interactive: its `c` command sends a post-handshake
/// CertificateRequest), verifying client certificates against the test CA.
fn interactive_s_server() -> Server {
    let c = certs();
    let leaf = c.leaf(Key::P256);
    serve_on_free_port("openssl s_server", |port| {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}")])
            .args(["-cert", path(&leaf.cert), "-key", path(&leaf.key)])
            .args(["-CAfile", path(&c.ca.cert), "-verify_return_error"]);
        cmd
    })
}

#[test]
fn connect_answers_openssl_s_server_post_handshake_request() {
    if !need_openssl() {
        return;
    }
    let c = certs();
    let mut srv = interactive_s_server();
    let cmd = tp([
        "connect",
        &format!("127.0.0.1:{}", srv.port),
        "--ca-file",
        path(&c.leaf(Key::P256).cert),
        "--sni",
        "localhost",
        "--tls",
        "1.3",
        "--timeout",
        "10",
        "--cert",
        path(&c.client.cert),
        "--key",
        path(&c.client.key),
    ]);
    let mut cli = Proc::spawn(cmd, "tlsprobe connect");
    assert!(cli.wait_for("= Summary", T), "{}", cli.all());
    // The server's `c` command: SSL_verify_client_post_handshake.
    srv.proc.write_stdin(b"c\n");
    assert!(
        srv.proc.wait_for("SSL_do_handshake -> 1", T),
        "{}\n{}",
        srv.proc.all(),
        cli.all()
    );
    cli.write_stdin(b"after\n");
    assert!(srv.proc.wait_for("after", T), "{}", srv.proc.all());
    cli.close_stdin();
    let status = cli.wait_exit(T);
    assert_eq!(status.and_then(|s| s.code()), Some(0), "{}", cli.all());
    let trace = cli.stderr();
    let summary_at = trace.find("= Summary").unwrap();
    let after_summary = &trace[summary_at..];
    for m in [
        "← CertificateRequest",
        "→ Certificate ",
        "→ CertificateVerify",
        "→ Finished",
    ] {
        assert!(after_summary.contains(m), "{m}:\n{trace}");
    }
    let server = srv.proc.all();
    assert!(server.contains("verify return:1"), "{server}");
    assert!(server.contains("CN = test client"), "{server}");
}

/// The handshake messages after the summary, as "dir:msg".
fn after_summary(events: &[Value]) -> Vec<String> {
    let at = events
        .iter()
        .position(|e| e["type"] == "summary")
        .expect("a summary");
    msgs(&events[at..])
}

/// tlsprobe connect (pipe mode, `--json`, stdin kept open) against tlsprobe listen: an HTTP
/// request sent, run until listen has answered and closed; its JSON events.
fn connect_to(port: u16, extra: &[&str]) -> (Proc, Vec<Value>) {
    let c = certs();
    let mut cmd = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--json",
        "--ca-file",
        path(&c.leaf(Key::P256).cert),
        "--timeout",
        "10",
    ]);
    cmd.args(extra);
    let mut cli = Proc::spawn(cmd, "tlsprobe connect");
    cli.write_stdin(GET);
    let _ = cli.wait_exit(T);
    let events = json_lines(&cli.stdout());
    (cli, events)
}

#[test]
fn connect_against_listen_both_sides_json() {
    let c = certs();
    let mut l = pha_listen("post-handshake", &["--json"]);
    let cert = ["--cert", path(&c.client.cert), "--key", path(&c.client.key)];
    let (cli, events) = connect_to(l.port, &cert);
    let out = l.output(T);
    let after = after_summary(&events);
    let want = [
        "in:certificate_request",
        "out:certificate",
        "out:certificate_verify",
        "out:finished",
    ];
    let found: Vec<&String> = after
        .iter()
        .filter(|m| !m.ends_with("new_session_ticket"))
        .collect();
    assert_eq!(found, want, "{}", cli.all());
    // The listen side's JSON: the info event and the request answered before the page.
    let server = json_lines(&out);
    let info = server
        .iter()
        .find(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("post-handshake authentication"))
        })
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        info["message"].as_str().unwrap().contains("which verified"),
        "{info}"
    );
    // The page (on stdout beside the JSON lines) was written after the authentication.
    assert!(
        cli.stdout().contains("client cert:      CN=test client"),
        "{}",
        cli.all()
    );
}

#[test]
fn empty_certificate_when_required_is_certificate_required() {
    let mut l = pha_listen("post-handshake-require", &[]);
    let (cli, events) = connect_to(l.port, &["--pha"]);
    let out = l.output(T);
    let after = after_summary(&events);
    assert!(
        after.contains(&"out:certificate".to_string()),
        "{}",
        cli.all()
    );
    assert!(!after.contains(&"out:certificate_verify".to_string()));
    assert!(out.contains("→ Alert fatal certificate_required"), "{out}");
    let alert = events.iter().any(|e| {
        e["type"] == "alert" && e["dir"] == "in" && e["description"] == "certificate_required"
    });
    assert!(alert, "{}", cli.all());
}
