//! What a handshake agreed on, carried from state to state until the closing `Summary` event.

use crate::handshake::config::ChainCheck;
use crate::handshake::outcome::{cert_identity, report_established, Agreed, PeerFacts, Tls12Facts};
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::Common;

/// The outcome of the handshake so far, reported when it completes.
pub(super) struct Negotiated {
    pub params: SuiteParams,
    /// The server name the client asked for (as our SNI policy lets us see it).
    pub server_name: Option<String>,
    pub agreed: Agreed,
    pub client: ClientIdentity,
}

/// The client's certificate chain (leaf first, empty when it sent none) and its verification.
#[derive(Default)]
pub(super) struct ClientIdentity {
    pub chain: Vec<Vec<u8>>,
    pub check: Option<ChainCheck>,
}

impl Negotiated {
    /// Marks the connection established and reports the `Summary`.
    pub fn finish(&self, c: &mut Common, tls12: Option<Tls12Facts>) {
        let peer = PeerFacts {
            verified: self.client.check.as_ref().map(|r| r.ok),
            sni: self.server_name.clone(),
            client_certificate: self.client.chain.first().map(|d| cert_identity(d)),
        };
        report_established(c, self.params.suite, &self.agreed, tls12, peer);
    }
}

/// The subject of a certificate, as the Summary names the client's.
pub(super) fn subject_of(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::certificate::X509Certificate::from_der(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_else(|_| "(unparsable certificate)".into())
}
