//! A fleet through the reachability stage (scan::reach), through the binary on loopback:
//! dead targets (refused, on many addresses, IPv6, a host name) and a filtered one (a full
//! accept queue: no answer until --timeout) are reported with the engine's own sentences,
//! live ones are scanned completely as when scanned alone, in input order, with `-j 1` too,
//! and Ctrl-C while the stage waits on a connect still reports and exits 130.

mod common;

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::{free_port, have_ipv6_loopback, listen_quiet, run, tp, Proc, LIMIT};
use serde_json::Value;

/// A listener that never accepts, its accept queue (backlog 0) filled by connections this
/// test holds: the kernel drops further SYNs, so a connect gets no answer, as from a
/// firewalled port.
struct Filtered {
    _listener: socket2::Socket,
    _queued: Vec<TcpStream>,
    target: String,
}

fn filtered() -> Filtered {
    use socket2::{Domain, Socket, Type};
    let l = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    l.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    l.listen(0).unwrap();
    let addr = l.local_addr().unwrap().as_socket().unwrap();
    let mut queued = vec![];
    // Bounded: the queue holds one or two; the first connect that times out proves it full.
    for _ in 0..8 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(s) => queued.push(s),
            Err(_) => {
                return Filtered {
                    _listener: l,
                    _queued: queued,
                    target: addr.to_string(),
                }
            }
        }
    }
    panic!("the accept queue of {addr} never filled");
}

/// A port nothing listens on, and the sentence a refused connect to it gives.
fn refused(host: &str) -> (String, String) {
    let port = free_port();
    let e = TcpStream::connect(("127.0.0.1", port)).unwrap_err();
    let t = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let sentence = format!("cannot connect to {t}: {e}");
    (t, sentence)
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A report without what differs from run to run.
/// A report without what differs between runs: the time taken and the target's place in
/// its list (`index`).
fn stable(mut v: Value) -> Value {
    let m = v.as_object_mut().unwrap();
    m.remove("elapsed_ms");
    m.remove("index");
    v
}

fn scan(targets: &[String], extra: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let dir = common::scratch();
    let list = dir.path().join("fleet.txt");
    std::fs::write(&list, targets.join("\n")).unwrap();
    let mut args = vec!["scan", "--targets", list.to_str().unwrap(), "--json"];
    args.extend(["--timeout", "2", "--tls", "1.2,1.3"]);
    args.extend(extra);
    let d = run(tp(&args), b"", LIMIT);
    let lines = json_lines(&d.stdout);
    (d.code, lines, d.all())
}

#[test]
fn a_fleet_gives_each_target_its_own_report_in_input_order() {
    let live = listen_quiet("127.0.0.1:0", &[]);
    let live_t = format!("127.0.0.1:{}", live.port);
    let named = format!("localhost:{}", live.port);
    let hold = filtered();
    let mut dead: Vec<(String, String)> = ["127.0.0.1", "127.3.4.5", "127.200.0.9"]
        .into_iter()
        .map(refused)
        .collect();
    if have_ipv6_loopback() {
        dead.push(refused("::1"));
    }
    let mut targets = vec![dead[0].0.clone(), live_t.clone(), hold.target.clone()];
    targets.extend(dead[1..].iter().map(|d| d.0.clone()));
    targets.extend([named.clone(), "no-such-host.invalid:443".into()]);
    let (code, got, all) = scan(&targets, &["-j", "8"]);
    assert_eq!(code, Some(4), "{all}");
    let order: Vec<&str> = got.iter().map(|r| r["target"].as_str().unwrap()).collect();
    assert_eq!(order, targets, "{all}");
    let by_target = |t: &str| got.iter().find(|r| r["target"] == t).unwrap();

    for (t, sentence) in &dead {
        let r = by_target(t);
        assert_eq!(r["error"], sentence.as_str(), "{r}");
        assert_eq!(r["connections"], 1, "{r}");
        assert!(
            all.contains(&format!("tlsprobe: scan {t}: {sentence}")),
            "{all}"
        );
    }
    let f = by_target(&hold.target);
    assert_eq!(
        f["error"],
        format!("connection to {} timed out", hold.target)
    );
    let bad = by_target("no-such-host.invalid:443");
    assert!(bad["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot resolve no-such-host.invalid"));
    assert!(bad["ip"].is_null());

    // The live targets, by address and by name, as when each is scanned alone.
    for t in [&live_t, &named] {
        let r = by_target(t);
        assert!(r["error"].is_null(), "{r}");
        let (code, alone, all) = scan(std::slice::from_ref(t), &[]);
        assert_eq!(code, Some(0), "{all}");
        assert_eq!(stable(r.clone()), stable(alone[0].clone()), "{t}");
    }
    assert_eq!(by_target(&named)["sni"], "localhost");
}

#[test]
fn one_worker_scans_a_fleet_in_order() {
    let live = listen_quiet("127.0.0.1:0", &[]);
    let live_t = format!("127.0.0.1:{}", live.port);
    let (a, a_err) = refused("127.0.0.1");
    let (b, b_err) = refused("127.9.9.9");
    let targets = vec![a, live_t, b];
    let (code, got, all) = scan(&targets, &["-j", "1"]);
    assert_eq!(code, Some(4), "{all}");
    let order: Vec<&str> = got.iter().map(|r| r["target"].as_str().unwrap()).collect();
    assert_eq!(order, targets, "{all}");
    assert_eq!(got[0]["error"], a_err.as_str());
    assert!(got[1]["error"].is_null(), "{all}");
    assert!(got[1]["protocols"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["supported"] == true));
    assert_eq!(got[2]["error"], b_err.as_str());
}

#[test]
fn ctrl_c_while_a_connect_waits_reports_it_as_interrupted() {
    let hold = filtered();
    let (dead, _) = refused("127.0.0.1");
    let mut p = Proc::spawn_without_stdin(
        tp(["scan", &dead, &hold.target, "--json", "--timeout", "30"]),
        "tlsprobe scan",
    );
    assert!(
        p.wait_stdout("cannot connect", Duration::from_secs(15)),
        "{}",
        p.all()
    );
    let kill = std::process::Command::new("kill")
        .args(["-INT", &p.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = p
        .wait_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no exit after SIGINT\n{}", p.all()));
    assert_eq!(status.code(), Some(130), "{}", p.all());
    let got: Vec<(String, String)> = json_lines(&p.stdout())
        .iter()
        .map(|v| {
            let e = v["error"].as_str().unwrap_or("").to_string();
            (v["target"].as_str().unwrap().to_string(), e)
        })
        .collect();
    assert_eq!(got.len(), 2, "{}", p.all());
    assert_eq!(got[0].0, dead);
    assert_eq!(got[1], (hold.target.clone(), "interrupted".to_string()));
}
