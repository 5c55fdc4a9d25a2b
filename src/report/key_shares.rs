//! key_share (RFC 8446 §4.2.8) for both renderers: each share's group and bytes and, for the
//! ML-KEM groups, what the share is made of (a hybrid's ML-KEM and ECDHE parts in the order
//! draft-ietf-tls-ecdhe-mlkem defines, with their sizes) and how the server's share turns into
//! the shared secret (the concatenation of both parts' secrets, in the draft's order).

use super::ext_fields::{ExtView, FieldValue, Fields};
use super::{hex, hex_preview};
use crate::crypto::kx::{self, ShareFrom, SharePart};
use crate::wire::codepoints::{grease_or, NamedGroup};

/// A client's key shares (RFC 8446 §4.2.8): group and the start of each key; the parts of
/// each ML-KEM share.
pub fn client_shares(shares: &[(NamedGroup, Vec<u8>)]) -> ExtView {
    let summary = shares
        .iter()
        .map(|(g, k)| share_words(*g, k))
        .collect::<Vec<_>>()
        .join(", ");
    let records = shares
        .iter()
        .map(|(g, k)| share_fields(*g, k, ShareFrom::Client))
        .collect();
    let detail = shares
        .iter()
        .filter(|(g, _)| explained(*g))
        .map(|(g, k)| share_line(*g, k, ShareFrom::Client))
        .collect();
    ExtView::new(summary)
        .field("shares", FieldValue::Records(records))
        .detail(detail)
}

/// The server's key share (RFC 8446 §4.2.8); for an ML-KEM group its parts and how the
/// shared secret is made.
pub fn server_share(group: NamedGroup, key: &[u8]) -> ExtView {
    let mut view = ExtView::new(share_words(group, key));
    for (k, v) in share_fields(group, key, ShareFrom::Server) {
        view = view.field(k, v);
    }
    if !explained(group) {
        return view;
    }
    let mut detail = vec![share_line(group, key, ShareFrom::Server)];
    let well_formed = kx::share_len(group, ShareFrom::Server) == Some(key.len());
    if well_formed {
        let secret = kx::secret_parts(group);
        detail.push(secret_line(&secret));
        view = view.field("shared_secret_parts", layout_records(&secret, None));
    }
    view.detail(detail)
}

/// Whether a share of `group` is taken apart in the trace: the ML-KEM groups (the pure ones
/// are one part, the hybrids two). The Diffie-Hellman shares are one public value.
fn explained(group: NamedGroup) -> bool {
    kx::is_kem(group)
}

/// "X25519MLKEM768 (1216 bytes: fc25bb6f...)".
fn share_words(group: NamedGroup, key: &[u8]) -> String {
    format!(
        "{} ({} bytes: {})",
        grease_or(group.0, group),
        key.len(),
        hex_preview(key, 8)
    )
}

/// A share's JSON fields: group, key_exchange and, for an ML-KEM group, its parts.
fn share_fields(group: NamedGroup, key: &[u8], from: ShareFrom) -> Fields {
    let mut fields = vec![
        ("group", FieldValue::Text(grease_or(group.0, group))),
        ("key_exchange", FieldValue::Text(hex(key))),
    ];
    if explained(group) {
        let parts = kx::share_parts(group, key, from);
        fields.push(("parts", layout_records(&parts, Some(key))));
    }
    fields
}

/// Each part as `{"part", "offset", "length"}`, with its bytes as `"hex"` when given.
fn layout_records(parts: &[SharePart], bytes: Option<&[u8]>) -> FieldValue {
    FieldValue::Records(
        parts
            .iter()
            .map(|p| {
                let mut f = vec![
                    ("part", FieldValue::Text(p.label.to_string())),
                    ("offset", FieldValue::Number(p.range.start as u64)),
                    ("length", FieldValue::Number(p.range.len() as u64)),
                ];
                if let Some(b) = bytes {
                    f.push(("hex", FieldValue::Text(hex(&b[p.range.clone()]))));
                }
                f
            })
            .collect(),
    )
}

/// "<name> = <part> (N bytes) ‖ <part> (N bytes)": the parts in order (the human trace wraps
/// the line at its ‖ joints).
fn concatenation(name: &str, parts: &[SharePart]) -> String {
    let parts: Vec<String> = parts
        .iter()
        .map(|p| format!("{} ({} bytes)", p.label, p.range.len()))
        .collect();
    format!("{name} = {}", parts.join(" ‖ "))
}

/// The parts of an ML-KEM share, named by its group in the ClientHello (which may carry
/// several shares), as "share" in the ServerHello (which carries one).
fn share_line(group: NamedGroup, key: &[u8], from: ShareFrom) -> String {
    let name = match from {
        ShareFrom::Client => group.to_string(),
        ShareFrom::Server => "share".to_string(),
    };
    concatenation(&name, &kx::share_parts(group, key, from))
}

/// How the shared secret is made of its parts: for a hybrid, both parts' secrets in the
/// order the draft defines for the group.
fn secret_line(parts: &[SharePart]) -> String {
    let line = concatenation("shared secret", parts);
    if parts.len() > 1 {
        format!("{line} (the draft's order)")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hybrid_server_share_names_its_parts_and_the_secret() {
        let view = server_share(NamedGroup::SECP256R1MLKEM768, &[4u8; 65 + 1088]);
        assert_eq!(
            view.detail,
            vec![
                "share = secp256r1 public point (uncompressed) (65 bytes) ‖ ML-KEM-768 ciphertext (1088 bytes)",
                "shared secret = secp256r1 shared secret (x-coordinate) (32 bytes) ‖ ML-KEM-768 shared secret (32 bytes) (the draft's order)",
            ]
        );
        let parts = view.fields.iter().find(|(k, _)| *k == "parts").unwrap();
        let json = parts.1.to_json();
        assert_eq!(json[1]["part"], "ML-KEM-768 ciphertext");
        assert_eq!(json[1]["offset"], 65);
        assert_eq!(json[1]["length"], 1088);
    }

    #[test]
    fn classic_shares_are_one_public_value_and_malformed_ones_are_said_so() {
        let view = client_shares(&[(NamedGroup::X25519, vec![9; 32])]);
        assert!(view.detail.is_empty());
        assert_eq!(view.fields.len(), 1);
        let view = client_shares(&[(NamedGroup::MLKEM512, vec![9; 800])]);
        assert_eq!(
            view.detail,
            vec!["MLKEM512 = ML-KEM-512 encapsulation key (800 bytes)"]
        );
        let view = server_share(NamedGroup::X25519MLKEM768, &[1; 100]);
        assert_eq!(
            view.detail,
            vec!["share = key share (malformed: not the group's size) (100 bytes)"]
        );
        assert!(!view.fields.iter().any(|(k, _)| *k == "shared_secret_parts"));
    }
}
