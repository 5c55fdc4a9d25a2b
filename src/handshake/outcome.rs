//! What a handshake settles, both roles, and the `Summary` that reports it when the
//! handshake completes; then what the connection keeps of it for after the handshake (the
//! Summary and the check of the peer's chain), which commands read from the connection
//! (`Connection::summary`, `Connection::chain_check`), not from the event stream.

use super::config::ChainCheck;
use super::Common;
use crate::event::{CertIdentity, Event, Summary};
use crate::wire::codepoints::{NamedGroup, SignatureScheme};
use crate::wire::suites::CipherSuite;

/// What both roles settle step by step and the Summary reports.
#[derive(Default)]
pub struct Agreed {
    /// The key-exchange group (none for TLS 1.2 RSA key transport or resumption).
    pub group: Option<NamedGroup>,
    /// The server's signature scheme (none when it signs nothing, or signs the TLS 1.0/1.1
    /// way).
    pub signature_scheme: Option<SignatureScheme>,
    pub alpn: Option<Vec<u8>>,
    pub resumed: bool,
    /// The PSK in use (TLS 1.3 pre_shared_key, TLS 1.2 PSK suites).
    pub psk: Option<super::psk::PskUse>,
    /// TLS 1.2 DHE, client side: the server's prime size in bits, and the well-known group
    /// it is (when it is one).
    pub dh_bits: Option<u32>,
    pub dh_group: Option<&'static str>,
}

/// What the TLS 1.0-1.2 Summary reports beyond the common fields.
#[derive(Clone, Copy, Default)]
pub struct Tls12Facts {
    /// extended_master_secret negotiated (RFC 7627).
    pub ems: bool,
    /// Secure renegotiation supported by the peer (RFC 5746).
    pub secure_renegotiation: bool,
    /// A session ticket is (or was) issued (RFC 5077).
    pub session_ticket: bool,
}

/// What the Summary says of the peer, as the role knows it.
pub struct PeerFacts {
    /// Whether its certificate chain verified (none when not checked).
    pub verified: Option<bool>,
    /// The server name asked for.
    pub sni: Option<String>,
    /// The client's certificate: received (server side) or sent (client side).
    pub client_certificate: Option<CertIdentity>,
}

/// A certificate's subject and key type, as the Summary names the client's.
pub fn cert_identity(der: &[u8]) -> CertIdentity {
    use x509_parser::prelude::FromDer;
    let subject = x509_parser::certificate::X509Certificate::from_der(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_else(|_| "(unparsable certificate)".into());
    let key = crate::pki::summary::summarize(der, 0)
        .map(|s| s.key)
        .unwrap_or_else(|_| "unknown".into());
    CertIdentity { subject, key }
}

/// The handshake is complete: marks the connection established and reports the Summary.
pub fn report_established(
    c: &mut Common,
    suite: CipherSuite,
    agreed: &Agreed,
    tls12: Option<Tls12Facts>,
    peer: PeerFacts,
) {
    c.established = true;
    c.emit(Event::Summary(Box::new(Summary {
        version: c.version,
        cipher_suite: Some(suite),
        group: agreed.group,
        signature_scheme: agreed.signature_scheme,
        alpn: agreed
            .alpn
            .as_ref()
            .map(|a| String::from_utf8_lossy(a).into_owned()),
        resumed: agreed.resumed,
        verified: peer.verified,
        sni: peer.sni,
        extended_master_secret: tls12.map(|t| t.ems),
        secure_renegotiation: tls12.map(|t| t.secure_renegotiation),
        session_ticket: tls12.is_some_and(|t| t.session_ticket),
        client_certificate: peer.client_certificate,
        dh_bits: agreed.dh_bits,
        dh_group: agreed.dh_group,
        early_data: c.early_data,
        psk: agreed.psk.clone(),
    })));
}

/// The latest Summary and chain check reported.
#[derive(Default)]
pub(super) struct Outcome {
    pub summary: Option<Summary>,
    pub chain_check: Option<ChainCheck>,
}

impl Outcome {
    /// Keeps what an event about to be reported says about the outcome.
    pub fn observe(&mut self, e: &Event) {
        match e {
            Event::Summary(s) => self.summary = Some((**s).clone()),
            Event::Verify { ok, errors, detail } => {
                self.chain_check = Some(ChainCheck {
                    ok: *ok,
                    errors: errors.clone(),
                    detail: detail.clone(),
                })
            }
            _ => {}
        }
    }
}

impl Common {
    /// TLS 1.3 post-handshake client authentication completed (RFC 8446 §4.6.2): the Summary
    /// kept for the connection names the client's certificate (`subject`, none for an empty
    /// Certificate) and, when a verifier checked it, whether it verified.
    pub fn client_authenticated(&mut self, cert: Option<CertIdentity>, verified: Option<bool>) {
        if let Some(s) = self.outcome.summary.as_mut() {
            s.client_certificate = cert;
            if verified.is_some() {
                s.verified = verified;
            }
        }
    }
}
