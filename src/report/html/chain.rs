//! The page's certificate chain: the peer's Certificate message (its summaries in the
//! `handshake` event) and the `verify` event drawn as leaf → intermediates → trust anchor,
//! with the verdict, and the reason on the link that failed.

use serde::Serialize;
use serde_json::Value;

use super::facts::short;

#[derive(Debug, Serialize)]
pub struct Chain {
    pub certs: Vec<CertNode>,
    /// The trust anchor the path ended at, when verification found one.
    pub anchor: Option<String>,
    /// true verified, false failed, None not checked (no `verify` event: --insecure).
    pub ok: Option<bool>,
    /// The reasons that belong to the link from the last certificate to an anchor.
    pub anchor_problems: Vec<String>,
    /// How verification went, line by line (the `verify` event's detail).
    pub detail: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CertNode {
    /// "leaf", "intermediate" or "sent root" (self-signed, not the first).
    pub role: &'static str,
    pub subject: String,
    pub issuer: String,
    pub key: String,
    pub validity: String,
    pub names: String,
    pub expired: bool,
    /// The reasons that belong to this certificate (its name, its dates).
    pub problems: Vec<String>,
}

fn s(e: &Value, key: &str) -> String {
    e.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn strings(e: &Value, key: &str) -> Vec<String> {
    e.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a verification error is about the leaf itself rather than the path above it.
fn about_leaf(error: &str) -> bool {
    [
        "name ",
        "expired",
        "not valid until",
        "not a valid DNS name",
        "is a CA certificate",
        "could not be parsed",
    ]
    .iter()
    .any(|w| error.contains(w))
}

fn node(i: usize, c: &Value) -> CertNode {
    let self_signed = c
        .get("self_signed")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut names = strings(c, "dns_names");
    names.extend(
        strings(c, "ip_addresses")
            .into_iter()
            .map(|a| format!("IP:{a}")),
    );
    CertNode {
        role: match (i, self_signed) {
            (0, _) => "leaf",
            (_, true) => "sent root",
            _ => "intermediate",
        },
        subject: match c.get("error") {
            Some(err) => format!("(not parsable: {})", short(err)),
            None => s(c, "subject"),
        },
        issuer: s(c, "issuer"),
        key: s(c, "key"),
        validity: format!("{} → {}", s(c, "not_before"), s(c, "not_after")),
        names: short(&Value::from(names)),
        expired: c.get("expired").and_then(Value::as_bool).unwrap_or(false),
        problems: vec![],
    }
}

/// The chain of the first Certificate message the peer sent, with the verification that
/// followed it; None when the peer sent none.
pub fn chain(events: &[Value]) -> Option<Chain> {
    let cert_msg = events
        .iter()
        .find(|e| e["type"] == "handshake" && e["msg"] == "certificate" && e["dir"] == "in")?;
    let mut certs: Vec<CertNode> = cert_msg
        .get("certificates")
        .and_then(Value::as_array)
        .map(|a| a.iter().enumerate().map(|(i, c)| node(i, c)).collect())
        .unwrap_or_default();
    let verify = events.iter().find(|e| e["type"] == "verify");
    let mut chain = Chain {
        certs: vec![],
        anchor: None,
        ok: verify.map(|v| v.get("ok").and_then(Value::as_bool).unwrap_or(false)),
        anchor_problems: vec![],
        detail: vec![],
    };
    if let Some(v) = verify {
        chain.detail = strings(v, "detail");
        chain.anchor = chain
            .detail
            .iter()
            .find_map(|d| d.strip_prefix("trust anchor: "))
            .map(String::from);
        for err in strings(v, "errors") {
            match certs.first_mut() {
                Some(leaf) if about_leaf(&err) => leaf.problems.push(err),
                _ => chain.anchor_problems.push(err),
            }
        }
    }
    chain.certs = certs;
    Some(chain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reasons_go_on_the_link_they_concern() {
        let ev = vec![
            json!({"type": "handshake", "dir": "in", "msg": "certificate", "certificates": [
                {"subject": "CN=leaf", "issuer": "CN=ca", "dns_names": ["a.test"], "self_signed": false},
                {"subject": "CN=ca", "issuer": "CN=ca", "self_signed": true}]}),
            json!({"type": "verify", "ok": false, "errors": [
                "certificate is not trusted (unknown issuer)", "name b.test not in [a.test]"], "detail": []}),
        ];
        let c = chain(&ev).unwrap();
        assert_eq!(c.ok, Some(false));
        assert_eq!(c.certs[0].problems, vec!["name b.test not in [a.test]"]);
        assert_eq!(c.certs[1].role, "sent root");
        assert_eq!(
            c.anchor_problems,
            vec!["certificate is not trusted (unknown issuer)"]
        );
    }

    #[test]
    fn no_verify_event_is_not_checked_and_no_certificate_no_chain() {
        let ev = vec![
            json!({"type": "handshake", "dir": "in", "msg": "certificate", "certificates": []}),
        ];
        assert_eq!(chain(&ev).unwrap().ok, None);
        assert!(chain(&[]).is_none());
    }
}
