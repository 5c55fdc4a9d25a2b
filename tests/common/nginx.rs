//! nginx for the tests: one process (no daemon, no master) with a temporary prefix, one
//! loopback TLS server block per port, killed on drop like every `Proc`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::peers::{require_peer, runs};
use super::pki::{scratch, CertPair};
use super::ports::{accepts, free_port};
use super::process::Proc;

/// `nginx`, for the tests that need it.
pub fn need_nginx() -> bool {
    require_peer(runs("nginx", &["-v"]), "nginx", "apt-get install nginx")
}

/// A running nginx and the port of each server block, in the order given.
pub struct Nginx {
    pub proc: Proc,
    pub ports: Vec<u16>,
    _dir: tempfile::TempDir,
}

/// The whole configuration: `http_extra` at the http level (e.g. ssl_protocols), then one
/// `server` per entry of `servers` (its directives) listening with TLS on its port. Every
/// server has `pair` and serves `www/index.html` as text/html.
fn config(dir: &Path, pair: &CertPair, http_extra: &str, servers: &[(u16, &str)]) -> String {
    let d = dir.display();
    let mut c = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\nerror_log stderr;\n\
         pid {d}/nginx.pid;\nevents {{ worker_connections 256; }}\nhttp {{\n\
         access_log off;\ndefault_type text/html;\n\
         client_body_temp_path {d}/t_body;\nproxy_temp_path {d}/t_proxy;\n\
         fastcgi_temp_path {d}/t_fastcgi;\nuwsgi_temp_path {d}/t_uwsgi;\n\
         scgi_temp_path {d}/t_scgi;\nssl_certificate {};\nssl_certificate_key {};\n{http_extra}\n",
        pair.cert.display(),
        pair.key.display()
    );
    for (port, body) in servers {
        c.push_str(&format!(
            "server {{\nlisten 127.0.0.1:{port} ssl;\nroot {d}/www;\n{body}\n}}\n"
        ));
    }
    c.push_str("}\n");
    c
}

/// Starts nginx with one TLS server per entry of `servers` (see [`config`]) and waits
/// (bounded) until every port accepts; retries with other ports when one was taken
/// meanwhile. The test fails when no start succeeds.
pub fn nginx(pair: &CertPair, http_extra: &str, servers: &[&str]) -> Nginx {
    let dir = scratch();
    let www = dir.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(
        www.join("index.html"),
        "<html><body>tlsprobe test page, long enough to be worth compressing</body></html>\n",
    )
    .unwrap();
    for _attempt in 0..5 {
        let ports: Vec<u16> = servers.iter().map(|_| free_port()).collect();
        let blocks: Vec<(u16, &str)> = ports.iter().copied().zip(servers.iter().copied()).collect();
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, config(dir.path(), pair, http_extra, &blocks)).unwrap();
        let mut c = Command::new("nginx");
        c.arg("-p").arg(dir.path()).arg("-c").arg(&conf);
        let mut proc = Proc::spawn_without_stdin(c, "nginx");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && proc.is_running() {
            if ports.iter().all(|&p| accepts(p)) {
                return Nginx {
                    proc,
                    ports,
                    _dir: dir,
                };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("nginx did not start on {ports:?}:\n{}", proc.all());
    }
    panic!("nginx did not start");
}
