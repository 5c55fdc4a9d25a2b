//! The TLS 1.3 server states (RFC 8446 §4): the second ClientHello after a
//! HelloRetryRequest, the client's Certificate, CertificateVerify and Finished, then the
//! tickets (§4.6.1) and KeyUpdate (§4.6.3) of the established connection.

use rand::RngCore;

use super::Retry;
use crate::crypto::key_schedule as ks;
use crate::error::TlsError;
use crate::handshake::cert_auth::receive_certificate_verify;
use crate::handshake::config::ServerConfig;
use crate::handshake::finished::receive_finished;
use crate::handshake::install::{install, Stage};
use crate::handshake::key_update::ApplicationSecrets;
use crate::handshake::keys::{self, Tls13Secrets};
use crate::handshake::server::hello::client_ext;
use crate::handshake::server::negotiated::Negotiated;
use crate::handshake::server::{client_auth, State};
use crate::handshake::session::{now_ms, ServerSession, TICKET_LIFETIME};
use crate::handshake::{Common, Incoming, Side};
use crate::wire::codepoints::{ExtensionType as ET, ProtocolVersion};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateVerify, ClientHello, HandshakeMessage as HM, NewSessionTicket13,
};

/// We sent a HelloRetryRequest; the second ClientHello comes next.
pub(in crate::handshake::server) struct ExpectRetriedHello {
    first: ClientHello,
    retry: Retry,
    server_name: Option<String>,
}

impl ExpectRetriedHello {
    pub(super) fn new(
        first: ClientHello,
        retry: Retry,
        server_name: Option<String>,
    ) -> ExpectRetriedHello {
        ExpectRetriedHello {
            first,
            retry,
            server_name,
        }
    }

    /// Checks the second ClientHello against the first (RFC 8446 §4.1.2); what `start`
    /// needs to answer it: the server name of the first, and what the retry fixed.
    pub(in crate::handshake::server) fn accept(
        self,
        c: &mut Common,
        m: &Incoming,
        ch: &ClientHello,
    ) -> Result<(Option<String>, Retry), TlsError> {
        if let Err(what) = same_hello_after_retry(&self.first, ch) {
            m.report(c, vec![]);
            return Err(TlsError::illegal(format!(
                "the second ClientHello {what} (RFC 8446 §4.1.2)"
            )));
        }
        c.version = Some(ProtocolVersion::TLS13);
        match client_ext(ch, ET::SUPPORTED_VERSIONS) {
            Some(ExtBody::SupportedVersionsClient(v)) if v.contains(&ProtocolVersion::TLS13) => {}
            _ => {
                m.report(c, vec![]);
                return Err(TlsError::illegal(
                    "the second ClientHello no longer offers TLS 1.3",
                ));
            }
        }
        Ok((self.server_name, self.retry))
    }
}

/// RFC 8446 §4.1.2: after a HelloRetryRequest the client sends the same ClientHello, except
/// for a new key_share, no early_data, an added cookie, an updated pre_shared_key and a
/// different padding. Everything else, extension order included, must be unchanged
/// (tlsfuzzer's test-tls13-shuffled-extentions expects illegal_parameter for a reordered
/// one). The encrypted_client_hello body may change (a GREASE ECH payload is drawn again,
/// draft-ietf-tls-esni §6.2), so only its presence and place are compared.
fn same_hello_after_retry(first: &ClientHello, second: &ClientHello) -> Result<(), &'static str> {
    if second.version != first.version {
        return Err("changes legacy_version");
    }
    if second.random != first.random || second.session_id != first.session_id {
        return Err("changes random or session id");
    }
    if second.cipher_suites != first.cipher_suites
        || second.compression_methods != first.compression_methods
    {
        return Err("changes the cipher suites or compression methods");
    }
    let kept = |ch: &'_ ClientHello| -> Vec<(ET, Option<Vec<u8>>)> {
        ch.extensions
            .iter()
            .filter(|e| {
                ![
                    ET::KEY_SHARE,
                    ET::EARLY_DATA,
                    ET::COOKIE,
                    ET::PRE_SHARED_KEY,
                    ET::PADDING,
                ]
                .contains(&e.typ)
            })
            .map(|e| {
                let body = (e.typ != ET::ENCRYPTED_CLIENT_HELLO).then(|| e.data.clone());
                (e.typ, body)
            })
            .collect()
    };
    let (a, b) = (kept(first), kept(second));
    if a.iter().map(|x| x.0).ne(b.iter().map(|x| x.0)) {
        return Err("adds, removes or reorders extensions");
    }
    if a != b {
        return Err("changes the content of an extension");
    }
    Ok(())
}

/// What every TLS 1.3 state after the server's flight needs.
pub(super) struct Handshake13 {
    pub neg: Negotiated,
    pub secrets: Tls13Secrets,
}

/// We asked for a client certificate; its Certificate comes next.
pub(in crate::handshake::server) struct ExpectCertificate {
    pub(super) hs: Handshake13,
}

impl ExpectCertificate {
    pub(in crate::handshake::server) fn handle(
        mut self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        cert: &Certificate,
    ) -> Result<State, TlsError> {
        let spki = client_auth::receive_certificate(c, config, m, cert, &mut self.hs.neg.client)?;
        Ok(match spki {
            Some(spki) => {
                State::ExpectCertificateVerify13(ExpectCertificateVerify { hs: self.hs, spki })
            }
            None => State::ExpectFinished13(ExpectFinished { hs: self.hs }),
        })
    }
}

/// The client sent a certificate; its CertificateVerify comes next.
pub(in crate::handshake::server) struct ExpectCertificateVerify {
    hs: Handshake13,
    spki: Vec<u8>,
}

impl ExpectCertificateVerify {
    pub(in crate::handshake::server) fn handle(
        self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        cv: &CertificateVerify,
    ) -> Result<State, TlsError> {
        let hash = Some(self.hs.neg.params.hash);
        receive_certificate_verify(c, m, cv, &config.sigalgs, &self.spki, hash)?;
        Ok(State::ExpectFinished13(ExpectFinished { hs: self.hs }))
    }
}

/// The client's Finished comes next.
pub(in crate::handshake::server) struct ExpectFinished {
    pub(super) hs: Handshake13,
}

impl ExpectFinished {
    /// Checks the client's Finished (RFC 8446 §4.4.4), switches to the client's application
    /// keys, then sends our tickets (§4.6.1).
    pub(in crate::handshake::server) fn handle(
        self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<State, TlsError> {
        let Handshake13 { neg, secrets: s } = self.hs;
        receive_finished(c, m, vd, s.finished_key())?;
        install(c, &s, Side::Client, Stage::Application)?;
        let resumption_master = keys::tls13_resumption_master(c, &s);
        neg.finish(c, None);
        send_tickets(c, config, &neg, &resumption_master);
        Ok(State::Established13(ApplicationSecrets::new(s)))
    }
}

/// RFC 8446 §4.6.1: `config.tickets` NewSessionTickets after the handshake, each sealing the
/// PSK derived from the resumption master secret with its own nonce.
fn send_tickets(c: &mut Common, config: &ServerConfig, neg: &Negotiated, resumption_master: &[u8]) {
    let p = neg.params;
    for i in 0..config.tickets {
        let nonce = vec![i as u8];
        let age_add = c.rng.next_u32();
        let session = ServerSession {
            version: ProtocolVersion::TLS13,
            suite: p.suite,
            secret: ks::resumption_psk(p.hash, resumption_master, &nonce),
            extended_master_secret: true,
            age_add,
            created_ms: now_ms(),
            lifetime: TICKET_LIFETIME,
            server_name: neg.server_name.clone().unwrap_or_default(),
            max_early_data: config.max_early_data.unwrap_or(0),
            alpn: neg.agreed.alpn.clone().unwrap_or_default(),
        };
        let ticket = config.sessions.seal_ticket(&session);
        // RFC 8446 §4.6.1: early_data with max_early_data_size when 0-RTT is on.
        let extensions = config
            .max_early_data
            .map(|n| Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(Some(n))))
            .into_iter()
            .collect();
        let msg = HM::NewSessionTicket13(NewSessionTicket13 {
            lifetime: TICKET_LIFETIME,
            age_add,
            nonce,
            ticket,
            extensions,
        });
        let raw = msg.encode();
        c.send_handshake_raw(msg, raw, vec![], false);
    }
}
