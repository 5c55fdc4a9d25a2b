//! The page's key schedule: the `keys` events drawn as a derivation diagram, one box per
//! stage secret (TLS 1.3 early → handshake → master, RFC 8446 §7.1; TLS 1.2 pre-master →
//! master → key block, RFC 5246 §8.1 and §6.3) with what each derives beneath it. Values
//! appear only when the events carry them (`--hex` or `--keylog`).

use serde::Serialize;
use serde_json::Value;

/// The secrets that start a stage of the schedule.
const STAGES: &[&str] = &[
    "early_secret",
    "handshake_secret",
    "master_secret",
    "pre_master_secret",
    "key_block",
];

#[derive(Debug, Serialize, Default)]
pub struct Schedule {
    pub stages: Vec<Stage>,
    /// Whether any value was recorded.
    pub values: bool,
}

#[derive(Debug, Serialize)]
pub struct Stage {
    pub item: KeyItem,
    /// What went in from outside the schedule (the key exchange's shared secret, a PSK).
    pub inputs: Vec<KeyItem>,
    pub derived: Vec<KeyItem>,
}

#[derive(Debug, Serialize, Clone)]
pub struct KeyItem {
    pub label: String,
    pub derivation: String,
    pub value: Option<String>,
    /// 0: derived from the stage secret; 1 and more: from an item above it.
    pub depth: usize,
}

fn s(e: &Value, key: &str) -> String {
    e.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// Whether `text` names `label` as a whole word ("master_secret" is not in
/// "resumption_master_secret").
fn names(text: &str, label: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(label).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + label.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// "client_application_traffic_secret_0" is named "client_application_traffic_secret" in
/// derivations.
fn base_name(label: &str) -> &str {
    match label.rsplit_once('_') {
        Some((base, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => base,
        _ => label,
    }
}

/// The key schedule of one connection's `keys` events, in order.
pub fn schedule(events: &[Value]) -> Schedule {
    let mut sch = Schedule::default();
    let mut pending: Vec<KeyItem> = vec![];
    for e in events.iter().filter(|e| e["type"] == "keys") {
        let mut item = KeyItem {
            label: s(e, "label"),
            derivation: s(e, "derivation"),
            value: e.get("secret").and_then(Value::as_str).map(String::from),
            depth: 0,
        };
        sch.values |= item.value.is_some();
        if STAGES.contains(&item.label.as_str()) {
            sch.stages.push(Stage {
                item,
                inputs: std::mem::take(&mut pending),
                derived: vec![],
            });
            continue;
        }
        match place(&sch.stages, &item.derivation) {
            Some((stage, depth)) => {
                item.depth = depth;
                sch.stages[stage].derived.push(item);
            }
            None if is_input(&item.label) || sch.stages.is_empty() => pending.push(item),
            None => {
                if let Some(st) = sch.stages.last_mut() {
                    st.derived.push(item);
                }
            }
        }
    }
    if !pending.is_empty() {
        // Inputs with no stage after them (a handshake that stopped early).
        sch.stages.push(Stage {
            item: KeyItem {
                label: "(not derived)".into(),
                derivation: String::new(),
                value: None,
                depth: 0,
            },
            inputs: pending,
            derived: vec![],
        });
    }
    sch
}

/// A secret from the key exchange or a PSK: an input of the next stage.
fn is_input(label: &str) -> bool {
    label.contains("shared secret") || label.contains("shared_secret") || label.contains("psk")
}

/// The stage and depth of the secret `derivation` names: the latest, longest name wins.
fn place(stages: &[Stage], derivation: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None; // (name length, stage, depth)
    for (i, st) in stages.iter().enumerate() {
        let known =
            std::iter::once((&st.item, 0)).chain(st.derived.iter().map(|d| (d, d.depth + 1)));
        for (k, depth) in known {
            let name = base_name(&k.label);
            let found = names(derivation, &k.label) || names(derivation, name);
            if found && best.is_none_or(|(len, _, _)| name.len() >= len) {
                best = Some((name.len(), i, depth));
            }
        }
    }
    best.map(|(_, st, depth)| (st, depth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn k(label: &str, derivation: &str) -> Value {
        json!({"type": "keys", "label": label, "derivation": derivation})
    }

    #[test]
    fn tls13_secrets_land_under_their_stage() {
        let ev = vec![
            k("early_secret", "HKDF-Extract(0, 0)"),
            k("ecdhe_shared_secret", "x25519"),
            k(
                "handshake_secret",
                "HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), ecdhe_shared_secret)",
            ),
            k(
                "server_handshake_traffic_secret",
                "Derive-Secret(handshake_secret, \"s hs traffic\", ClientHello..ServerHello)",
            ),
            k(
                "server_handshake_traffic key",
                "HKDF-Expand-Label(server_handshake_traffic_secret, \"key\", \"\", 16)",
            ),
            k(
                "master_secret",
                "HKDF-Extract(Derive-Secret(handshake_secret, \"derived\", \"\"), 0)",
            ),
            k(
                "server_application_traffic_secret_0",
                "Derive-Secret(master_secret, \"s ap traffic\", x)",
            ),
            k(
                "server_application_traffic key",
                "HKDF-Expand-Label(server_application_traffic_secret, \"key\", \"\", 16)",
            ),
            k(
                "resumption_master_secret",
                "Derive-Secret(master_secret, \"res master\", x)",
            ),
        ];
        let sch = schedule(&ev);
        let labels: Vec<&str> = sch.stages.iter().map(|s| s.item.label.as_str()).collect();
        assert_eq!(
            labels,
            ["early_secret", "handshake_secret", "master_secret"]
        );
        assert_eq!(sch.stages[1].inputs[0].label, "ecdhe_shared_secret");
        let hs: Vec<(&str, usize)> = sch.stages[1]
            .derived
            .iter()
            .map(|d| (d.label.as_str(), d.depth))
            .collect();
        assert_eq!(
            hs,
            [
                ("server_handshake_traffic_secret", 0),
                ("server_handshake_traffic key", 1)
            ]
        );
        assert_eq!(sch.stages[2].derived.len(), 3);
        assert_eq!(sch.stages[2].derived[1].depth, 1);
        assert!(!sch.values);
    }

    #[test]
    fn whole_words_only() {
        assert!(names("Derive-Secret(master_secret, x)", "master_secret"));
        assert!(!names("resumption_master_secret", "master_secret"));
        assert_eq!(
            base_name("client_application_traffic_secret_0"),
            "client_application_traffic_secret"
        );
        assert_eq!(base_name("key_block"), "key_block");
    }

    #[test]
    fn values_only_when_recorded() {
        let ev = vec![
            json!({"type": "keys", "label": "pre_master_secret", "derivation": "32 bytes", "secret": "00ff"}),
        ];
        let sch = schedule(&ev);
        assert!(sch.values);
        assert_eq!(sch.stages[0].item.value.as_deref(), Some("00ff"));
    }
}
