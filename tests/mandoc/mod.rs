//! The parts of the man pages clap_mangen does not write: a synopsis that shows each option's
//! argument (`--tls <LIST>`), and the EXIT STATUS, ENVIRONMENT, EXAMPLES and SEE ALSO sections
//! (man-pages(7) order). Text mirrors docs/cli.md.

use clap::Command;

/// roff text: a backslash and a hyphen escaped, a leading dot or quote guarded.
pub fn esc(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

fn bold(s: &str) -> String {
    format!("\\fB{}\\fR", esc(s))
}

fn italic(s: &str) -> String {
    format!("\\fI{}\\fR", esc(s))
}

/// `.SH SYNOPSIS` with every visible option and its value name, then the positionals.
pub fn synopsis(cmd: &Command, bin: &str) -> String {
    let mut line = vec![bold(bin)];
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        if a.is_positional() {
            continue;
        }
        let mut flag = match (a.get_short(), a.get_long()) {
            (Some(s), Some(l)) => format!("{}|{}", bold(&format!("-{s}")), bold(&format!("--{l}"))),
            (None, Some(l)) => bold(&format!("--{l}")),
            (Some(s), None) => bold(&format!("-{s}")),
            (None, None) => continue,
        };
        let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
        if takes_value {
            let names = a
                .get_value_names()
                .map(|v| {
                    v.iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
            let value = italic(&format!("<{names}>"));
            if a.get_num_args().is_some_and(|n| n.min_values() == 0) {
                flag = format!("{flag} [{value}]");
            } else {
                flag = format!("{flag} {value}");
            }
        }
        line.push(if a.is_required_set() {
            flag
        } else {
            format!("[{flag}]")
        });
    }
    for a in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let name = a
            .get_value_names()
            .and_then(|v| v.first().map(|n| n.to_string()))
            .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
        let many = a.get_num_args().is_some_and(|n| n.max_values() > 1);
        let mut s = italic(&format!("<{name}>"));
        if many {
            s.push_str("...");
        }
        line.push(if a.is_required_set() {
            s
        } else {
            format!("[{s}]")
        });
    }
    if cmd.has_subcommands() {
        line.push(italic("<COMMAND>"));
    }
    format!(".SH SYNOPSIS\n{}\n", line.join(" "))
}

/// Exit codes per command (docs/cli.md "Exit codes").
fn exit_status(sub: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let mut rows = vec![("0", "success")];
    match sub {
        Some("connect") => {
            rows[0].1 = "the handshake completed and the certificate verified (or -k was given)";
            rows.push(("1", "runtime failure: connection refused or timed out, alert received, malformed peer data"));
            rows.push((
                "2",
                "usage error: bad flag, unknown suite name, unreadable or invalid PEM",
            ));
            rows.push((
                "3",
                "the handshake completed but the certificate did not verify and -k was not given",
            ));
        }
        Some("scan") => {
            rows[0].1 = "every target was scanned";
            rows.push((
                "1",
                "runtime failure before any target was scanned (e.g. an unreadable --targets file), or a failed write to --output",
            ));
            rows.push((
                "2",
                "usage error: bad flag, unknown suite name, invalid target list",
            ));
            rows.push((
                "4",
                "at least one target failed (unreachable, not TLS, no handshake possible); with --resume, in the whole --output file",
            ));
            rows.push((
                "130",
                "interrupted by Ctrl-C (SIGINT); targets in progress are reported as interrupted",
            ));
        }
        Some("listen") => {
            rows[0].1 = "with --once (or --mode pipe): the one connection was served; otherwise listen runs until stopped";
            rows.push(("1", "runtime failure: the address could not be bound; with --once, the connection failed"));
            rows.push(("2", "usage error: bad flag, unreadable or invalid PEM"));
        }
        Some("demo") => {
            rows[0].1 = "both sides completed the handshake on loopback";
            rows.push(("1", "the demo handshake failed"));
            rows.push(("2", "usage error"));
        }
        _ => {
            rows.push(("1", "runtime failure: connection refused or timed out, alert received, malformed peer data"));
            rows.push((
                "2",
                "usage error: bad flag, unknown suite name, unreadable or invalid PEM",
            ));
            rows.push((
                "3",
                "connect: the certificate did not verify and -k was not given",
            ));
            rows.push(("4", "scan: at least one target failed"));
            rows.push(("130", "scan: interrupted by Ctrl-C (SIGINT)"));
        }
    }
    rows
}

fn environment(sub: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let mut rows = vec![(
        "NO_COLOR",
        "when set and not empty, no colour with --color auto (the default)",
    )];
    if matches!(sub, None | Some("connect") | Some("listen") | Some("demo")) {
        rows.push((
            "SSLKEYLOGFILE",
            "append NSS key-log lines to this file (as --keylog): the secrets Wireshark needs to decrypt the session",
        ));
    }
    if matches!(sub, None | Some("connect") | Some("scan")) {
        rows.push((
            "SSL_CERT_FILE",
            "a PEM bundle used as the system trust store in place of the usual bundle files",
        ));
    }
    rows
}

fn examples(sub: Option<&str>) -> Vec<(&'static str, &'static str)> {
    let connect = vec![
        ("tlsprobe connect example.com", "TLS 1.2 and 1.3 offered, every message shown, the chain verified against the system store, then a pipe"),
        ("tlsprobe connect 127.0.0.1:4433 --ca-file ca.pem --tls 1.2 --suites ECDHE-RSA-AES128-GCM-SHA256", "one version and one suite, verified against a private CA"),
        ("tlsprobe connect host:443 -n --reconnect", "no pipe; resume the session and show the abbreviated handshake"),
        ("tlsprobe connect host:443 --json -n | jq .", "JSON Lines, one event per line"),
        ("SSLKEYLOGFILE=keys.log tlsprobe connect host:443 -n", "a key log Wireshark can read"),
        ("tlsprobe connect mail.example.com --starttls smtp", "port 25; the SMTP dialogue is shown first"),
    ];
    let scan = vec![
        ("tlsprobe scan host:443", "versions, suites in the server's order, groups, signature algorithms, features, findings"),
        ("tlsprobe scan host:443 --json | jq .protocols", "the same as one JSON object per target"),
        ("tlsprobe scan --targets hosts.txt --json -j 64 > scan.jsonl", "a fleet, results in input order; Ctrl-C keeps what finished"),
        ("tlsprobe scan host:443 --tls 1.2 --suites ECDHE-RSA-AES128-GCM-SHA256,AES128-SHA", "probe only these"),
    ];
    let listen = vec![
        (
            "tlsprobe listen 4433",
            "a self-signed ECDSA P-256 (and RSA) certificate; every client message shown",
        ),
        (
            "tlsprobe listen 0.0.0.0:8443 --cert chain.pem --key key.pem --mode echo",
            "your own chain; echo what the client sends",
        ),
        (
            "tlsprobe listen 4433 --client-auth require --ca-file clients.pem",
            "insist on a client certificate from this CA",
        ),
        (
            "tlsprobe listen 2525 --starttls smtp",
            "then: openssl s_client -starttls smtp -connect 127.0.0.1:2525",
        ),
    ];
    let demo = vec![
        (
            "tlsprobe demo",
            "a TLS 1.3 handshake between tlsprobe's client and server on loopback, no network; each line marked client or server",
        ),
        (
            "tlsprobe demo --json | jq -c 'select(.side == \"server\")'",
            "the server's events alone",
        ),
        (
            "tlsprobe demo --tls 1.2 --hex",
            "TLS 1.2, with every byte of every message",
        ),
    ];
    match sub {
        Some("connect") => connect,
        Some("scan") => scan,
        Some("listen") => listen,
        Some("demo") => demo,
        _ => [&connect[..1], &scan[..1], &listen[..1], &demo[..1]].concat(),
    }
}

fn rows(title: &str, rows: &[(&str, &str)]) -> String {
    let mut s = if title.contains(' ') {
        format!(".SH \"{title}\"\n")
    } else {
        format!(".SH {title}\n")
    };
    for (k, v) in rows {
        s.push_str(&format!(".TP\n{}\n{}\n", bold(k), esc(v)));
    }
    s
}

/// EXIT STATUS, ENVIRONMENT, EXAMPLES and SEE ALSO for `sub` (None: the top page).
pub fn extra_sections(sub: Option<&str>) -> String {
    let mut s = rows("EXIT STATUS", &exit_status(sub));
    s.push_str(&rows("ENVIRONMENT", &environment(sub)));
    s.push_str(".SH EXAMPLES\n");
    for (cmd, what) in examples(sub) {
        s.push_str(&format!(".TP\n.B {}\n{}\n", esc(cmd), esc(what)));
    }
    let mut see: Vec<String> = ["connect", "scan", "listen", "demo"]
        .iter()
        .filter(|c| Some(**c) != sub)
        .map(|c| format!("tlsprobe-{c}(1)"))
        .collect();
    if sub.is_some() {
        see.insert(0, "tlsprobe(1)".into());
    }
    see.extend(
        [
            "openssl-s_client(1)",
            "openssl-s_server(1)",
            "gnutls-cli(1)",
            "sslscan(1)",
            "testssl(1)",
        ]
        .map(String::from),
    );
    s.push_str(&format!(
        ".SH \"SEE ALSO\"\n{}\n.PP\nThe command-line contract, with every JSON key: docs/cli.md in the source.\n",
        see.iter().map(|x| bold(x)).collect::<Vec<_>>().join(", ")
    ));
    s
}
