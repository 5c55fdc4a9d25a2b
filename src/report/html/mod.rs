//! The illustrated page (`--html FILE`, `tlsprobe view --html`): one self-contained HTML
//! document drawn from a connection's JSON events (`report::json`), so a live connection and a
//! saved transcript give the same page. The templates (`templates/`, minijinja, auto-escaped
//! as HTML) hold all markup; this module only arranges the events into the data they show.

mod bytes;
mod chain;
mod facts;
mod keys;
mod ladder;
pub mod sink;

use anyhow::Context as _;
use minijinja::{context, Environment, UndefinedBehavior};
use serde::Serialize;
use serde_json::Value;

use facts::Fact;
use ladder::{Row, Side};

/// Everything the page shows of one connection.
#[derive(Debug, Serialize)]
struct Connection {
    n: usize,
    /// The side tlsprobe played: "client" (connect, demo) or "server" (listen).
    we: Side,
    /// The target we connected to, or the peer that connected to us.
    peer: String,
    summary: Vec<Fact>,
    closed: Option<Closed>,
    alerts: Vec<Alert>,
    /// Warnings and failed checks: the findings.
    findings: Vec<String>,
    infos: Vec<String>,
    ladder: Vec<Row>,
    /// Whether records were recorded (`--hex`), and whether with their byte spans.
    records: bool,
    annotated: bool,
    schedule: keys::Schedule,
    chain: Option<chain::Chain>,
}

#[derive(Debug, Serialize)]
struct Closed {
    reason: String,
    detail: String,
    clean: bool,
}

#[derive(Debug, Serialize)]
struct Alert {
    from: Side,
    level: String,
    description: String,
}

fn s(e: &Value, key: &str) -> String {
    e.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn is(e: &Value, typ: &str) -> bool {
    e.get("type").and_then(Value::as_str) == Some(typ)
}

/// The page of one connection from its JSON events, in order (as `--json` writes them, the
/// byte spans included when recorded with `--hex`).
pub fn page(events: &[Value]) -> anyhow::Result<String> {
    let parts = split(events);
    if parts.is_empty() {
        anyhow::bail!("no connection in these events: nothing to draw");
    }
    let connections: Vec<Connection> = parts
        .iter()
        .enumerate()
        .map(|(i, evs)| connection(i + 1, evs))
        .collect();
    let title = match connections.as_slice() {
        [one] => format!("tlsprobe: {} ({})", one.peer, one.we),
        many => format!("tlsprobe: {} connections", many.len()),
    };
    render(&title, &connections)
}

fn environment() -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.add_template("page.html", include_str!("templates/page.html"))?;
    env.add_template("macros.html", include_str!("templates/macros.html"))?;
    env.add_template("page.css", include_str!("templates/page.css"))?;
    env.add_template("page.js", include_str!("templates/page.js"))?;
    Ok(env)
}

fn render(title: &str, connections: &[Connection]) -> anyhow::Result<String> {
    let env = environment()?;
    let tmpl = env.get_template("page.html")?;
    tmpl.render(context! {
        title => title,
        version => env!("CARGO_PKG_VERSION"),
        connections => minijinja::Value::from_serialize(connections),
    })
    .context("cannot render the HTML page")
}

/// The events of each connection: grouped by listen's `"conn"` number, then cut where a new
/// `connecting` or `accepted` follows a finished connection (`--reconnect`). When events
/// carry `"side"` (demo's two ends), the client's are drawn.
fn split(events: &[Value]) -> Vec<Vec<Value>> {
    let client_side = |e: &&Value| {
        e.get("side")
            .and_then(Value::as_str)
            .is_none_or(|s| s == "client")
    };
    let mut groups: Vec<(Option<u64>, Vec<Vec<Value>>)> = vec![];
    let numbered = events.iter().any(|e| e.get("conn").is_some());
    for e in events.iter().filter(client_side) {
        let conn = e.get("conn").and_then(Value::as_u64);
        if numbered && conn.is_none() {
            continue; // listen's banner, no connection's
        }
        let parts = match groups.iter_mut().find(|(c, _)| *c == conn) {
            Some((_, p)) => p,
            None => {
                groups.push((conn, vec![vec![]]));
                &mut groups.last_mut().expect("just pushed").1
            }
        };
        let starts = is(e, "connecting") || is(e, "accepted");
        let cur = parts.last_mut().expect("never empty");
        let finished = cur
            .iter()
            .any(|x| is(x, "closed") || is(x, "handshake") || is(x, "record"));
        if starts && finished {
            parts.push(vec![]);
        }
        parts.last_mut().expect("never empty").push(e.clone());
    }
    groups
        .into_iter()
        .flat_map(|(_, p)| p)
        .filter(|p| !p.is_empty())
        .collect()
}

fn connection(n: usize, events: &[Value]) -> Connection {
    let we: Side = if events.iter().any(|e| is(e, "accepted")) {
        "server"
    } else {
        "client"
    };
    let peer = events
        .iter()
        .find_map(|e| match e["type"].as_str() {
            Some("connecting") => Some(s(e, "target")),
            Some("accepted") => Some(s(e, "peer")),
            _ => None,
        })
        .unwrap_or_else(|| "(unknown peer)".into());
    let from = |e: &Value| {
        if e["dir"] == "out" {
            we
        } else {
            ladder::other(we)
        }
    };
    Connection {
        n,
        we,
        peer,
        summary: events
            .iter()
            .find(|e| is(e, "summary"))
            .map(facts::summary_facts)
            .unwrap_or_default(),
        closed: events.iter().find(|e| is(e, "closed")).map(|e| Closed {
            reason: s(e, "reason"),
            detail: s(e, "detail"),
            clean: e["clean"].as_bool().unwrap_or(false),
        }),
        alerts: events
            .iter()
            .filter(|e| is(e, "alert"))
            .map(|e| Alert {
                from: from(e),
                level: s(e, "level"),
                description: s(e, "description"),
            })
            .collect(),
        findings: findings(events),
        infos: events
            .iter()
            .filter(|e| is(e, "info"))
            .map(|e| s(e, "message"))
            .collect(),
        ladder: ladder::ladder(events, we),
        records: events.iter().any(|e| is(e, "record")),
        annotated: events
            .iter()
            .any(|e| is(e, "record") && e.get("spans").is_some()),
        schedule: keys::schedule(events),
        chain: chain::chain(events),
    }
}

/// Warnings, failed checks and verification errors, in order.
fn findings(events: &[Value]) -> Vec<String> {
    let mut out = vec![];
    for e in events {
        match e["type"].as_str() {
            Some("warning") => out.push(s(e, "message")),
            Some("handshake") => {
                let failed = e["checks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|c| c["ok"] == false);
                out.extend(failed.map(|c| format!("{}: {}", s(c, "what"), s(c, "detail"))));
            }
            Some("verify") if e["ok"] == false => {
                let errs = e["errors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str);
                out.extend(errs.map(|x| format!("certificate: {x}")));
            }
            Some("connect_failed") => out.push(format!(
                "connection to {} failed: {}",
                s(e, "addr"),
                s(e, "error")
            )),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
