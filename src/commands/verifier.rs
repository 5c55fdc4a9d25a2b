//! The certificate verifiers the commands plug into the core (`handshake::config::
//! ChainVerifier`): a server's chain for a host name or IP (connect, demo), a client's chain
//! (listen with `--ca-file`), both with rustls-webpki through `pki::verify`.

use std::sync::Arc;

use crate::handshake::config::{ChainCheck, ChainVerifier};
use crate::pki::trust::TrustStore;
use crate::pki::verify::{now_unix, verify_client, verify_server, VerifyOutcome};

/// The verdict as the `verify` event shows it: the trust store, the path and its anchor,
/// certificates sent but not needed, and the errors.
fn outcome_to_check(store: &TrustStore, r: VerifyOutcome) -> ChainCheck {
    let mut detail = vec![format!("trust store: {}", store.source())];
    if !r.path.is_empty() {
        detail.push(format!("path: {}", r.path.join(" ← ")));
    }
    if let Some(a) = &r.anchor {
        detail.push(format!("trust anchor: {a}"));
    }
    for i in &r.unused {
        detail.push(format!(
            "certificate [{i}] was sent but not needed for the path"
        ));
    }
    ChainCheck {
        ok: r.ok,
        errors: r.errors,
        detail,
    }
}

/// Verifies a server's chain for a host name or IP (rustls-webpki, via `pki::verify`).
pub struct ServerVerifier {
    pub store: Arc<TrustStore>,
    pub host: String,
}

impl ChainVerifier for ServerVerifier {
    fn verify(&self, chain: &[Vec<u8>]) -> ChainCheck {
        let r = verify_server(&self.store, chain, &self.host, now_unix());
        let mut c = outcome_to_check(&self.store, r);
        c.detail.insert(0, format!("name checked: {}", self.host));
        c
    }
}

/// Verifies client chains (EKU clientAuth).
pub struct ClientVerifier {
    pub store: Arc<TrustStore>,
}

impl ChainVerifier for ClientVerifier {
    fn verify(&self, chain: &[Vec<u8>]) -> ChainCheck {
        outcome_to_check(&self.store, verify_client(&self.store, chain, now_unix()))
    }
}
