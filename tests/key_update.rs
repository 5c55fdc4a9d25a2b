//! TLS 1.3 KeyUpdate in both directions during the pipe (RFC 8446 §4.6.3):
//! `openssl s_server` sends KeyUpdate(update_requested) when told "K" on its stdin and
//! `tlsprobe connect` must answer with its own; `openssl s_client` does the same against
//! `tlsprobe listen --mode echo`. Loopback only; processes are stopped by their guards.

mod common;
use common::{listen, need_openssl, s_server, scratch, self_signed, tp, Key, Proc};

use std::process::Command;
use std::time::Duration;

/// The longest any one wait for output may take.
const WAIT: Duration = Duration::from_secs(10);

#[test]
fn server_requests_update_and_connect_answers() {
    if !need_openssl() {
        return;
    }
    let dir = scratch();
    let pair = self_signed(dir.path(), "c", Key::P256, "localhost");
    let mut srv = s_server(&pair, &["-tls1_3"], None);
    let mut cli = Proc::spawn(
        tp([
            "connect",
            &format!("127.0.0.1:{}", srv.port),
            "-k",
            "--json",
        ]),
        "tlsprobe connect",
    );
    assert!(
        cli.wait_stdout("\"type\":\"summary\"", WAIT),
        "no handshake: {}",
        cli.all()
    );
    cli.write_stdin(b"before\n");
    assert!(srv.proc.wait_stdout("before", WAIT), "{}", srv.proc.all());
    // "K": s_server sends KeyUpdate with update_requested.
    srv.proc.write_stdin(b"K\n");
    assert!(
        cli.wait_stdout(
            "\"msg\":\"key_update\",\"length\":5,\"encrypted\":true,\"update_requested\":true",
            WAIT
        ),
        "{}",
        cli.all()
    );
    // Our answer went out, and data still flows both ways under the new keys.
    assert!(
        cli.wait_stdout("\"dir\":\"out\",\"msg\":\"key_update\"", WAIT),
        "{}",
        cli.all()
    );
    cli.write_stdin(b"after\n");
    assert!(
        srv.proc.wait_stdout("after", WAIT),
        "server did not read data after the update: {}",
        srv.proc.all()
    );
    srv.proc.write_stdin(b"from-server\n");
    assert!(cli.wait_stdout("from-server", WAIT), "{}", cli.all());
}

#[test]
fn client_requests_update_and_listen_answers() {
    if !need_openssl() {
        return;
    }
    let mut l = listen(&["--mode", "echo", "--json"]);
    let mut c = Command::new("openssl");
    c.args([
        "s_client",
        "-connect",
        &format!("127.0.0.1:{}", l.port),
        "-tls1_3",
    ]);
    let mut c = Proc::spawn(c, "openssl s_client");
    assert!(c.wait_stdout("Verify return code", WAIT), "{}", c.all());
    c.write_stdin(b"ping-1\n");
    assert!(c.wait_stdout("ping-1", WAIT), "no echo: {}", c.all());
    // "K": s_client sends KeyUpdate(update_requested); listen answers with its own.
    c.write_stdin(b"K\n");
    assert!(
        l.proc.wait_stdout("\"update_requested\":true", WAIT),
        "{}",
        l.proc.all()
    );
    assert!(
        l.proc
            .wait_stdout("\"dir\":\"out\",\"msg\":\"key_update\"", WAIT),
        "{}",
        l.proc.all()
    );
    c.write_stdin(b"ping-2\n");
    assert!(
        c.wait_stdout("ping-2", WAIT),
        "no echo after the update: {}",
        c.all()
    );
}
