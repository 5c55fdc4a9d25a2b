//! What the ServerHello flights of TLS 1.0-1.2 (and SSL 3.0) tell without further probes:
//! the features a server acknowledges among those one hello offers (RFC 7627, RFC 5746,
//! RFC 5077, RFC 6520, RFC 6066 §8, RFC 7366), compression, the leaf certificates and the
//! smallest DHE prime.

use std::collections::HashSet;

use super::cert::{self, CertInfo};
use super::probe::Flight;
use super::Features;
use crate::wire::codepoints::ExtensionType;

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
