//! Short "key: value" facts for the page: a handshake message's decoded fields and the
//! connection's summary, from their JSON events, long values shortened.

use serde::Serialize;
use serde_json::Value;

/// Characters of a value shown before it is cut with "…".
const LONGEST: usize = 120;
/// List items shown before "and N more".
const MOST_ITEMS: usize = 12;
/// Keys every event has, or that the page shows elsewhere.
const NOT_FACTS: &[&str] = &[
    "type",
    "dir",
    "msg",
    "length",
    "encrypted",
    "hex",
    "checks",
    "conn",
    "side",
];

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Fact {
    pub key: String,
    pub value: String,
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(LONGEST) {
        Some((i, _)) => format!("{}… ({} characters)", &s[..i], s.chars().count()),
        None => s.to_string(),
    }
}

/// A list item: a string, or an object's name (extensions) or subject (certificates).
fn item(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => ["name", "subject", "description"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str))
            .map(String::from)
            .unwrap_or_else(|| v.to_string()),
        other => other.to_string(),
    }
}

/// One value as short text.
pub fn short(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => cut(s),
        Value::Array(a) if a.is_empty() => "(none)".into(),
        Value::Array(a) => {
            let mut shown: Vec<String> = a.iter().take(MOST_ITEMS).map(item).collect();
            if a.len() > MOST_ITEMS {
                shown.push(format!("and {} more", a.len() - MOST_ITEMS));
            }
            cut(&shown.join(", "))
        }
        other => cut(&other.to_string()),
    }
}

/// The decoded fields of a handshake event, in order.
pub fn message_facts(e: &Value) -> Vec<Fact> {
    let Some(m) = e.as_object() else {
        return vec![];
    };
    m.iter()
        .filter(|(k, _)| !NOT_FACTS.contains(&k.as_str()))
        .map(|(k, v)| Fact {
            key: k.clone(),
            value: short(v),
        })
        .collect()
}

/// The `summary` event's facts that are set (null and false left out, except `verified`).
pub fn summary_facts(e: &Value) -> Vec<Fact> {
    let Some(m) = e.as_object() else {
        return vec![];
    };
    m.iter()
        .filter(|(k, v)| {
            !["type", "conn", "side"].contains(&k.as_str())
                && !v.is_null()
                && (**v != Value::Bool(false) || *k == "verified")
        })
        .map(|(k, v)| Fact {
            key: k.clone(),
            value: match v {
                Value::Object(o) => o
                    .iter()
                    .filter(|(_, x)| !x.is_null())
                    .map(|(k2, x)| format!("{k2} {}", short(x)))
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => short(v),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn message_facts_skip_the_common_keys_and_name_list_items() {
        let e = json!({"type": "handshake", "dir": "in", "msg": "server_hello", "length": 90,
            "cipher_suite": "TLS_AES_128_GCM_SHA256",
            "extensions": [{"name": "supported_versions", "id": 43}, {"name": "key_share", "id": 51}]});
        let f = message_facts(&e);
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].value, "supported_versions, key_share");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "ab".repeat(200);
        assert!(short(&json!(long)).ends_with("(400 characters)"));
        let many: Vec<u32> = (0..20).collect();
        assert!(short(&json!(many)).ends_with("and 8 more"));
    }

    #[test]
    fn summary_facts_leave_out_what_is_not_set() {
        let e = json!({"type": "summary", "version": "TLS 1.3", "alpn": null, "resumed": false,
            "verified": false, "psk": {"kind": "external", "identity": "x", "mode": null}});
        let keys: Vec<String> = summary_facts(&e).into_iter().map(|f| f.key).collect();
        assert_eq!(keys, vec!["version", "verified", "psk"]);
    }
}
