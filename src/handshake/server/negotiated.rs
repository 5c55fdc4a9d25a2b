//! What a handshake agreed on, carried from state to state until the closing `Summary` event.

use crate::event::{Event, Summary};
use crate::handshake::config::ChainCheck;
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::Common;
use crate::wire::codepoints::{NamedGroup, SignatureScheme};

/// The outcome of the handshake so far, reported when it completes.
pub(super) struct Negotiated {
    pub params: SuiteParams,
    /// The server name the client asked for (as our SNI policy lets us see it).
    pub server_name: Option<String>,
    pub alpn: Option<Vec<u8>>,
    /// The key-exchange group (none for TLS 1.2 RSA key transport or resumption).
    pub group: Option<NamedGroup>,
    /// The scheme of our signature (none when we sign nothing, or sign the TLS 1.0/1.1 way).
    pub signature_scheme: Option<SignatureScheme>,
    pub resumed: bool,
    pub client: ClientIdentity,
}

/// The client's certificate chain (leaf first, empty when it sent none) and its verification.
#[derive(Default)]
pub(super) struct ClientIdentity {
    pub chain: Vec<Vec<u8>>,
    pub check: Option<ChainCheck>,
}

/// What the TLS 1.0-1.2 Summary reports beyond the common fields.
#[derive(Clone, Copy)]
pub(super) struct Tls12Facts {
    /// extended_master_secret negotiated (RFC 7627).
    pub ems: bool,
    /// renegotiation_info or its SCSV received (RFC 5746).
    pub secure_renegotiation: bool,
    /// A session ticket is (or was) issued (RFC 5077).
    pub session_ticket: bool,
}

impl Negotiated {
    /// Marks the connection established and reports the `Summary`.
    pub fn finish(&self, c: &mut Common, tls12: Option<Tls12Facts>) {
        c.established = true;
        c.emit(Event::Summary(Box::new(Summary {
            version: c.version,
            cipher_suite: Some(self.params.suite),
            group: self.group,
            signature_scheme: self.signature_scheme,
            alpn: self
                .alpn
                .as_ref()
                .map(|a| String::from_utf8_lossy(a).into_owned()),
            resumed: self.resumed,
            verified: self.client.check.as_ref().map(|r| r.ok),
            sni: self.server_name.clone(),
            extended_master_secret: tls12.map(|t| t.ems),
            secure_renegotiation: tls12.map(|t| t.secure_renegotiation),
            session_ticket: tls12.is_some_and(|t| t.session_ticket),
            client_certificate: self.client.chain.first().map(|d| subject_of(d)),
        })));
    }
}

fn subject_of(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::certificate::X509Certificate::from_der(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_else(|_| "(unparsable certificate)".into())
}
