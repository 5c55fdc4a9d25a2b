//! One table for every extension: what its decoded body says, once, for both renderers. Each
//! `ExtBody` variant gets one arm in [`describe`], giving the typed fields JSON lists
//! (`report::json`) and the line of words the human trace shows (`report::human`).
//!
//! Adding an extension: its codec in `wire::extensions` (code point, `ExtBody` variant, read
//! and write), then one arm here. Nothing else renders extension bodies.

use serde_json::{Map, Value};

use super::{hex, hex_preview, key_shares};
use crate::pki::summary::dn_to_string;
use crate::wire::codepoints::grease_or;
use crate::wire::extensions::{ExtBody, Extension, PskIdentity, ServerNames};

/// A field's value, typed as JSON shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Number(u64),
    Flag(bool),
    Texts(Vec<String>),
    /// A list of objects (key shares, PSK identities).
    Records(Vec<Fields>),
}

/// Named fields in the order JSON lists them.
pub type Fields = Vec<(&'static str, FieldValue)>;

/// What one extension says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtView {
    /// The human line after the extension's name.
    pub summary: String,
    /// A flag: the human trace lists it, with the others without data, on one shared line.
    pub flag: bool,
    /// The decoded fields JSON lists after the extension's name and id.
    pub fields: Fields,
    /// Lines the human trace shows under the extension's line (a hybrid key share's parts).
    pub detail: Vec<String>,
}

impl ExtView {
    pub(super) fn new(summary: impl Into<String>) -> ExtView {
        ExtView {
            summary: summary.into(),
            flag: false,
            fields: vec![],
            detail: vec![],
        }
    }

    pub(super) fn field(mut self, key: &'static str, value: FieldValue) -> ExtView {
        self.fields.push((key, value));
        self
    }

    pub(super) fn detail(mut self, lines: Vec<String>) -> ExtView {
        self.detail = lines;
        self
    }

    fn flag(mut self, flag: bool) -> ExtView {
        self.flag = flag;
        self
    }
}

impl FieldValue {
    fn count(n: usize) -> FieldValue {
        FieldValue::Number(n as u64)
    }

    /// The JSON value.
    pub fn to_json(&self) -> Value {
        match self {
            FieldValue::Text(s) => Value::String(s.clone()),
            FieldValue::Number(n) => Value::from(*n),
            FieldValue::Flag(b) => Value::Bool(*b),
            FieldValue::Texts(v) => Value::Array(v.iter().cloned().map(Value::String).collect()),
            FieldValue::Records(v) => Value::Array(v.iter().map(fields_to_json).collect()),
        }
    }
}

/// Fields as one JSON object.
pub fn fields_to_json(fields: &Fields) -> Value {
    let mut m = Map::new();
    put_fields(&mut m, fields);
    Value::Object(m)
}

/// Adds fields to a JSON object, in order.
pub fn put_fields(m: &mut Map<String, Value>, fields: &Fields) {
    for (k, v) in fields {
        m.insert((*k).to_string(), v.to_json());
    }
}

/// Code points by name, GREASE values (RFC 8701) named as such.
fn grease_names<T: Copy + std::fmt::Display>(v: &[T], code: impl Fn(T) -> u16) -> Vec<String> {
    v.iter().map(|x| grease_or(code(*x), x)).collect()
}

fn names<T: std::fmt::Display>(v: &[T]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A list of names: the JSON list under `key`, the human line joined with ", ".
fn name_list(key: &'static str, list: Vec<String>) -> ExtView {
    ExtView::new(list.join(", ")).field(key, FieldValue::Texts(list))
}

/// Scheme names for the human line, neighbours that differ only in their hash joined:
/// "rsa_pss_rsae_sha256/384/512" (JSON keeps every name).
fn compact_hashes(list: &[String]) -> String {
    let mut out: Vec<String> = vec![];
    let mut prev_prefix: Option<&str> = None;
    for name in list {
        let split = name
            .rsplit_once("_sha")
            .filter(|(_, h)| h.chars().all(|c| c.is_ascii_digit()));
        match (split, prev_prefix) {
            (Some((prefix, hash)), Some(p)) if p == prefix => {
                if let Some(last) = out.last_mut() {
                    last.push('/');
                    last.push_str(hash);
                }
            }
            _ => out.push(name.clone()),
        }
        prev_prefix = split.map(|(prefix, _)| prefix);
    }
    out.join(", ")
}

/// "(empty)" or the first bytes in hex; JSON keeps them all (GREASE, unknown, malformed).
fn raw_data(data: &[u8]) -> ExtView {
    let summary = if data.is_empty() {
        "(empty)".to_string()
    } else {
        format!("{} bytes: {}", data.len(), hex_preview(data, 24))
    };
    ExtView::new(summary).field("data", FieldValue::Text(hex(data)))
}

/// What extension `e` says (RFC sections in `wire::extensions`' modules). The longer
/// descriptions are the functions below, one per extension.
pub fn describe(e: &Extension) -> ExtView {
    use FieldValue::{Flag, Number, Text, Texts};
    let data_empty = e.data.is_empty();
    match &e.body {
        ExtBody::ServerName(n) => server_name(n),
        ExtBody::SupportedGroups(g) => name_list("groups", grease_names(g, |x| x.0)),
        ExtBody::EcPointFormats(f) => name_list("formats", names(f)),
        ExtBody::SignatureAlgorithms(s) | ExtBody::SignatureAlgorithmsCert(s) => {
            let list = grease_names(s, |x| x.0);
            ExtView::new(compact_hashes(&list)).field("schemes", FieldValue::Texts(list))
        }
        ExtBody::Alpn(p) => name_list(
            "protocols",
            p.iter()
                .map(|x| String::from_utf8_lossy(x).into_owned())
                .collect(),
        ),
        ExtBody::StatusRequest { status_type, .. } => status_request(*status_type),
        ExtBody::StatusRequestEmpty => {
            // Empty only in a server's message (a ClientHello's names its status_type):
            // ServerHello or EncryptedExtensions, RFC 6066 §8 (a CertificateRequest's reads
            // differently: report::human::extensions).
            ExtView::new("(empty) the server will staple an OCSP response")
                .field("empty", Flag(true))
        }
        ExtBody::OcspResponse(r) => {
            ExtView::new(format!("stapled OCSP response, {} bytes", r.len()))
                .field("ocsp_response_length", FieldValue::count(r.len()))
        }
        ExtBody::SignedCertificateTimestamp(b) => signed_certificate_timestamps(b),
        ExtBody::ExtendedMasterSecret => {
            ExtView::new("(empty: extended master secret, RFC 7627)").flag(data_empty)
        }
        ExtBody::EncryptThenMac => {
            ExtView::new("(empty: encrypt-then-MAC, RFC 7366)").flag(data_empty)
        }
        ExtBody::RenegotiationInfo(b) => renegotiation_info(b),
        ExtBody::SessionTicket(t) => session_ticket(t).flag(data_empty),
        ExtBody::SupportedVersionsClient(v) => name_list("versions", grease_names(v, |x| x.0)),
        ExtBody::SupportedVersionsServer(v) => {
            ExtView::new(v.to_string()).field("version", Text(v.to_string()))
        }
        ExtBody::KeyShareClient(shares) => key_shares::client_shares(shares),
        ExtBody::KeyShareServer(g, k) => key_shares::server_share(*g, k),
        ExtBody::KeyShareHrr(g) => ExtView::new(format!("send a key share for {g}"))
            .field("selected_group", Text(g.to_string())),
        ExtBody::PskKeyExchangeModes(m) => name_list("modes", names(m)),
        ExtBody::PreSharedKeyClient {
            identities,
            binders,
        } => psk_offer(identities, binders),
        ExtBody::PreSharedKeyServer(i) => ExtView::new(format!("selected_identity {i}"))
            .field("selected_identity", Number((*i).into())),
        ExtBody::EarlyData(Some(n)) => ExtView::new(format!("max_early_data_size {n}"))
            .field("max_early_data_size", Number((*n).into())),
        ExtBody::EarlyData(None) => ExtView::new("(empty)").flag(data_empty),
        ExtBody::Cookie(c) => ExtView::new(format!("{} bytes: {}", c.len(), hex_preview(c, 16)))
            .field("cookie", Text(hex(c))),
        ExtBody::Padding(b) => padding(b),
        ExtBody::Heartbeat(m) => {
            ExtView::new(format!("mode {m}")).field("mode", Number((*m).into()))
        }
        ExtBody::RecordSizeLimit(n) => {
            ExtView::new(n.to_string()).field("limit", Number((*n).into()))
        }
        ExtBody::MaxFragmentLength(n) => {
            let bytes = 1u32 << (8 + u32::from(*n));
            ExtView::new(format!("{bytes} bytes"))
                .field("max_fragment_length", Number(bytes.into()))
        }
        ExtBody::CertificateAuthorities(dns) => {
            let list: Vec<String> = dns.iter().map(|d| dn_to_string(d)).collect();
            ExtView::new(list.join("; ")).field("authorities", Texts(list))
        }
        ExtBody::Empty => ExtView::new("(empty)").flag(data_empty),
        ExtBody::Grease | ExtBody::Unknown => raw_data(&e.data).flag(data_empty),
        ExtBody::Malformed { reason, .. } => {
            raw_data(&e.data).field("malformed", Text(reason.clone()))
        }
    }
}

/// server_name (RFC 6066 §3): the host names, or the server's empty acknowledgement.
fn server_name(n: &ServerNames) -> ExtView {
    let hosts = n.host_names();
    let summary = if n.is_empty() {
        "(acknowledged)".to_string()
    } else {
        hosts.join(", ")
    };
    let v = ExtView::new(summary).field("server_name", FieldValue::Texts(hosts));
    match n.other_types() {
        0 => v,
        others => {
            let mut v = v.field("other_name_types", FieldValue::count(others));
            v.summary += &format!(" (+{others} name(s) of unknown type, ignored)");
            v
        }
    }
}

/// status_request (RFC 6066 §8) as a client asks for a status.
fn status_request(status_type: u8) -> ExtView {
    let summary = match status_type {
        1 => "OCSP".to_string(),
        t => format!("status type {t}"),
    };
    ExtView::new(summary).field("ocsp", FieldValue::Flag(status_type == 1))
}

/// signed_certificate_timestamp (RFC 6962 §3.3): asked for (empty), or the list's size.
fn signed_certificate_timestamps(list: &[u8]) -> ExtView {
    let summary = if list.is_empty() {
        "requested".to_string()
    } else {
        format!("{} bytes of SCTs", list.len())
    };
    ExtView::new(summary).field("length", FieldValue::count(list.len()))
}

/// renegotiation_info (RFC 5746 §3.2): empty on a first handshake, a flag.
fn renegotiation_info(connection: &[u8]) -> ExtView {
    let summary = if connection.is_empty() {
        "(empty: secure renegotiation supported, RFC 5746)".to_string()
    } else {
        format!("renegotiated_connection {}", hex(connection))
    };
    ExtView::new(summary)
        .field("renegotiated_connection", FieldValue::Text(hex(connection)))
        .flag(connection.is_empty())
}

/// session_ticket (RFC 5077 §3.2): empty to welcome a ticket, or one to resume with.
fn session_ticket(ticket: &[u8]) -> ExtView {
    let summary = if ticket.is_empty() {
        "(empty: tickets welcome, RFC 5077)".to_string()
    } else {
        format!("ticket of {} bytes", ticket.len())
    };
    ExtView::new(summary).field("ticket_length", FieldValue::count(ticket.len()))
}

/// A client's pre_shared_key offer (RFC 8446 §4.2.11): the human line names the first
/// identity and binder, JSON lists them all.
fn psk_offer(identities: &[PskIdentity], binders: &[Vec<u8>]) -> ExtView {
    let first = &identities[0];
    // A short printable identity is an external PSK's name; anything else a ticket.
    let name = (first.identity.len() <= 64)
        .then(|| crate::handshake::psk::identity_text(&first.identity))
        .filter(|t| t.len() == first.identity.len());
    let what = match name {
        Some(n) => format!("\"{n}\""),
        None => format!("ticket of {} bytes", first.identity.len()),
    };
    let summary = format!(
        "{} identity: {what}, obfuscated age {}; binder {}",
        identities.len(),
        first.obfuscated_ticket_age,
        hex_preview(&binders[0], 16)
    );
    let records = identities
        .iter()
        .map(|i| {
            vec![
                ("identity_length", FieldValue::count(i.identity.len())),
                (
                    "obfuscated_ticket_age",
                    FieldValue::Number(i.obfuscated_ticket_age.into()),
                ),
            ]
        })
        .collect();
    ExtView::new(summary)
        .field("identities", FieldValue::Records(records))
        .field(
            "binders",
            FieldValue::Texts(binders.iter().map(|b| hex(b)).collect()),
        )
}

/// padding (RFC 7685 §3): its size, and whether it is all zeros as required.
fn padding(bytes: &[u8]) -> ExtView {
    let all_zero = bytes.iter().all(|&x| x == 0);
    let summary = if all_zero {
        format!("{} zero bytes", bytes.len())
    } else {
        format!(
            "{} bytes, not all zero (RFC 7685 §3 requires zeros)",
            bytes.len()
        )
    };
    ExtView::new(summary)
        .field("length", FieldValue::count(bytes.len()))
        .field("all_zero", FieldValue::Flag(all_zero))
}

#[cfg(test)]
mod compact_tests {
    #[test]
    fn hashes_of_one_family_are_joined() {
        let names: Vec<String> = [
            "ecdsa_secp256r1_sha256",
            "ecdsa_secp384r1_sha384",
            "ed25519",
            "rsa_pss_pss_sha256",
            "rsa_pss_pss_sha384",
            "rsa_pss_rsae_sha256",
            "rsa_pkcs1_sha512",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            super::compact_hashes(&names),
            "ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ed25519, rsa_pss_pss_sha256/384, rsa_pss_rsae_sha256, rsa_pkcs1_sha512"
        );
    }
}
