//! TLS 1.3 KeyUpdate in both directions during the pipe (RFC 8446 §4.6.3):
//! `openssl s_server` sends KeyUpdate(update_requested) when told "K" on its stdin and
//! `tlsprobe connect` must answer with its own; `openssl s_client` does the same against
//! `tlsprobe listen --mode echo`. Loopback only; processes are stopped by their guards.

mod common;
use common::{free_port, self_signed, wait_port, Key, Kill};

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Reads a child's stream on a thread, collecting text.
fn collect(mut r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        loop {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx
                        .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
    rx
}

/// Waits (bounded) until the collected text contains `needle`.
fn wait_for(rx: &mpsc::Receiver<String>, acc: &mut String, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !acc.contains(needle) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        match rx.recv_timeout(left) {
            Ok(s) => acc.push_str(&s),
            Err(_) => return false,
        }
    }
    true
}

#[test]
fn server_requests_update_and_connect_answers() {
    let dir = tempfile::tempdir().unwrap();
    self_signed(dir.path(), "c", Key::P256, "localhost");
    let port = free_port();
    let mut srv = Command::new("openssl")
        .args([
            "s_server",
            "-accept",
            &port.to_string(),
            "-cert",
            "c.pem",
            "-key",
            "c.key",
            "-tls1_3",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut srv_in = srv.stdin.take().unwrap();
    let srv_out = collect(srv.stdout.take().unwrap());
    let _srv = Kill(srv);
    wait_port(port);
    let mut cli = Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
        .args(["connect", &format!("127.0.0.1:{port}"), "-k", "--json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut cli_in = cli.stdin.take().unwrap();
    let cli_out = collect(cli.stdout.take().unwrap());
    let cli = Kill(cli);
    let mut c_acc = String::new();
    assert!(
        wait_for(&cli_out, &mut c_acc, "\"type\":\"summary\""),
        "no handshake: {c_acc}"
    );
    let mut s_acc = String::new();
    cli_in.write_all(b"before\n").unwrap();
    assert!(wait_for(&srv_out, &mut s_acc, "before"), "{s_acc}");
    // "K": s_server sends KeyUpdate with update_requested.
    srv_in.write_all(b"K\n").unwrap();
    srv_in.flush().unwrap();
    assert!(
        wait_for(
            &cli_out,
            &mut c_acc,
            "\"msg\":\"key_update\",\"length\":5,\"encrypted\":true,\"update_requested\":true"
        ),
        "{c_acc}"
    );
    // Our answer went out, and data still flows both ways under the new keys.
    assert!(
        wait_for(
            &cli_out,
            &mut c_acc,
            "\"dir\":\"out\",\"msg\":\"key_update\""
        ),
        "{c_acc}"
    );
    cli_in.write_all(b"after\n").unwrap();
    assert!(
        wait_for(&srv_out, &mut s_acc, "after"),
        "server did not read data after the update: {s_acc}"
    );
    srv_in.write_all(b"from-server\n").unwrap();
    assert!(wait_for(&cli_out, &mut c_acc, "from-server"), "{c_acc}");
    drop(cli_in);
    drop(cli);
}

#[test]
fn client_requests_update_and_listen_answers() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut l = Command::new(env!("CARGO_BIN_EXE_tlsprobe"))
        .args(["listen", &port.to_string(), "--mode", "echo", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let l_out = collect(l.stdout.take().unwrap());
    let _l = Kill(l);
    wait_port(port);
    let mut c = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-tls1_3",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut c_in = c.stdin.take().unwrap();
    let c_out = collect(c.stdout.take().unwrap());
    let _c = Kill(c);
    let mut c_acc = String::new();
    assert!(
        wait_for(&c_out, &mut c_acc, "Verify return code"),
        "{c_acc}"
    );
    c_in.write_all(b"ping-1\n").unwrap();
    assert!(wait_for(&c_out, &mut c_acc, "ping-1"), "no echo: {c_acc}");
    // "K": s_client sends KeyUpdate(update_requested); listen answers with its own.
    c_in.write_all(b"K\n").unwrap();
    let mut l_acc = String::new();
    assert!(
        wait_for(&l_out, &mut l_acc, "\"update_requested\":true"),
        "{l_acc}"
    );
    assert!(
        wait_for(&l_out, &mut l_acc, "\"dir\":\"out\",\"msg\":\"key_update\""),
        "{l_acc}"
    );
    c_in.write_all(b"ping-2\n").unwrap();
    assert!(
        wait_for(&c_out, &mut c_acc, "ping-2"),
        "no echo after the update: {c_acc}"
    );
}
