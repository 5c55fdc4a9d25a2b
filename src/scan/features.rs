//! What the ServerHello flights of TLS 1.0-1.2 (and SSL 3.0) tell without further probes:
//! the features a server acknowledges among those one hello offers (RFC 7627, RFC 5746,
//! RFC 5077, RFC 6520, RFC 6066 §8, RFC 7366), compression, the leaf certificates and the
//! smallest DHE prime.

use std::collections::HashSet;

use super::cert::{self, CertInfo};
use super::probe::Flight;
use super::Features;
use crate::wire::codepoints::{ExtensionType, ProtocolVersion};

/// The features from the flights: `legacy` are the TLS 1.0-1.2 ones, `all_legacy` those and
/// SSL 3.0's; `tls13`: the server speaks TLS 1.3. `fallback` and `alpn` come from their own
/// probes; session-id resumption needs complete handshakes (`fullhs`).
pub fn from_flights(
    legacy: &[&Flight],
    all_legacy: &[&Flight],
    tls13: bool,
    fallback: Option<bool>,
    alpn: Option<Vec<String>>,
) -> Features {
    let any_ext = |t: ExtensionType| -> Option<bool> {
        (!legacy.is_empty()).then(|| legacy.iter().any(|f| f.has_ext(t)))
    };
    let mut feats = Features {
        extended_master_secret: any_ext(ExtensionType::EXTENDED_MASTER_SECRET),
        secure_renegotiation: any_ext(ExtensionType::RENEGOTIATION_INFO),
        session_ticket: any_ext(ExtensionType::SESSION_TICKET),
        heartbeat: any_ext(ExtensionType::HEARTBEAT),
        ocsp_stapling: (!legacy.is_empty()).then(|| {
            legacy
                .iter()
                .any(|f| f.has_ext(ExtensionType::STATUS_REQUEST) || f.ocsp_stapled)
        }),
        compression: (!all_legacy.is_empty())
            .then(|| all_legacy.iter().any(|f| f.hello.compression_method.0 != 0)),
        fallback_scsv: fallback,
        alpn,
        session_id_resumption: None,
        encrypt_then_mac: None,
        unknown: vec![],
    };
    if legacy.is_empty() && tls13 {
        feats.extended_master_secret = None;
    }
    let cbc: Vec<&&Flight> = legacy
        .iter()
        .filter(|f| f.suite().info().is_some_and(|i| i.is_cbc()))
        .collect();
    if !cbc.is_empty() {
        feats.encrypt_then_mac = Some(
            cbc.iter()
                .any(|f| f.has_ext(ExtensionType::ENCRYPT_THEN_MAC)),
        );
    }
    feats
}

/// Leaf certificates, one per distinct certificate (RSA and ECDSA suites pick different ones).
pub fn leaf_certificates(flights: &[&Flight]) -> Vec<CertInfo> {
    let mut seen = HashSet::new();
    let mut certs: Vec<CertInfo> = vec![];
    for f in flights {
        if let Some(der) = f.certs.first() {
            if let Some(c) = cert::parse(der) {
                if seen.insert(c.sha256.clone()) {
                    certs.push(c);
                }
            }
        }
    }
    certs
}

/// The smallest DHE prime seen, in bits (weak DHE parameters).
pub fn dh_min_bits(flights: &[&Flight]) -> Option<usize> {
    flights
        .iter()
        .filter_map(|f| f.ske.as_ref().and_then(|s| s.dh_bits))
        .min()
}

/// Why each feature left `None` is unknown: "not applicable: ..." when the server cannot have
/// it (e.g. TLS_FALLBACK_SCSV on a single-version server, RFC 7507 §3), "not tested: ..."
/// when the scan did not look, "unknown: ..." when a probe gave no clear answer. `supported`:
/// the versions found; `probed`: the versions asked about; `notes`: the scan's notes so far
/// (session-id resumption explains itself there).
pub fn explain_unknown(
    f: &Features,
    supported: &[ProtocolVersion],
    probed: &[ProtocolVersion],
    notes: &[String],
) -> Vec<(String, String)> {
    use ProtocolVersion as V;
    let legacy = |v: &ProtocolVersion| *v != V::TLS13 && *v != V::SSL3;
    let no_legacy = if probed.iter().any(legacy) {
        "not applicable: the server speaks no TLS 1.0-1.2"
    } else {
        "not tested: no TLS 1.0-1.2 version was probed (--tls)"
    };
    let mut out = vec![];
    let mut why = |key: &str, v: Option<bool>, reason: String| {
        if v.is_none() {
            out.push((key.to_string(), reason));
        }
    };
    for (key, v) in [
        ("extended_master_secret", f.extended_master_secret),
        ("secure_renegotiation", f.secure_renegotiation),
        ("session_ticket", f.session_ticket),
        ("heartbeat", f.heartbeat),
        ("ocsp_stapling", f.ocsp_stapling),
    ] {
        why(key, v, no_legacy.to_string());
    }
    let compression = if supported.iter().any(|v| *v != V::TLS13) {
        "unknown: no ServerHello of TLS 1.2 or older was seen"
    } else {
        "not applicable: TLS 1.3 has no compression (RFC 8446 §4.1.2)"
    };
    why("compression", f.compression, compression.to_string());
    let fallback = match supported.len() {
        0 | 1 => format!(
            "not applicable: the server supports only {}, no lower version to fall back to",
            supported.first().map(|v| v.to_string()).unwrap_or_else(|| "one version".into())
        ),
        _ => "unknown: the probe at the second-highest version got neither inappropriate_fallback nor a ServerHello".into(),
    };
    why("fallback_scsv", f.fallback_scsv, fallback);
    let etm = if supported.iter().any(legacy) {
        "not applicable: the server chose no CBC suite (RFC 7366 applies to CBC only)"
    } else {
        no_legacy
    };
    why("encrypt_then_mac", f.encrypt_then_mac, etm.to_string());
    let resumption = notes
        .iter()
        .find_map(|n| n.strip_prefix("session-id resumption not tested: "))
        .map(|r| format!("not tested: {r}"))
        .unwrap_or_else(|| {
            if supported.contains(&V::TLS12) {
                "unknown: the resumption handshake gave no answer".to_string()
            } else {
                "not applicable: no TLS 1.2 (session ids are resumed in TLS 1.2 here)".to_string()
            }
        });
    why("session_id_resumption", f.session_id_resumption, resumption);
    if f.alpn.is_none() {
        out.push(("alpn".into(), "unknown: no ALPN probe completed".into()));
    }
    out
}
