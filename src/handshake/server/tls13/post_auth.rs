//! TLS 1.3 post-handshake client authentication, server side (RFC 8446 §4.6.2): the
//! CertificateRequest sent after the handshake to a client that offered post_handshake_auth,
//! and the client's Certificate, CertificateVerify and Finished that answer it (§4.4).

use rand::RngCore;

use crate::crypto::hash::Transcript;
use crate::error::TlsError;
use crate::event::{Event, Info, Warning};
use crate::handshake::cert_auth::receive_certificate_verify;
use crate::handshake::config::ServerConfig;
use crate::handshake::finished::{receive_finished, report_post_handshake};
use crate::handshake::key_update::ApplicationSecrets;
use crate::handshake::outcome::cert_identity;
use crate::handshake::server::client_auth;
use crate::handshake::server::hello::client_ext;
use crate::handshake::server::negotiated::{subject_of, ClientIdentity};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{ExtensionType as ET, HandshakeType};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{CertificateRequest13, ClientHello, HandshakeMessage as HM};

/// Where post-handshake authentication is: none asked for, or the client's answer to our
/// request pending.
#[derive(Default)]
pub(in crate::handshake::server) enum PostAuth {
    #[default]
    Idle,
    Pending(Box<Pending>),
}

/// A request sent: its context, the handshake's transcript to go back to once it is
/// answered, the next message due and what the client sent so far.
pub(in crate::handshake::server) struct Pending {
    context: Vec<u8>,
    handshake_transcript: Transcript,
    next: Next,
    client: ClientIdentity,
}

/// The client message the pending exchange expects next (RFC 8446 §4.4).
enum Next {
    Certificate,
    /// The client sent a certificate with this leaf key.
    CertificateVerify(Vec<u8>),
    Finished,
}

impl PostAuth {
    /// Whether the client message `typ` is the one the pending exchange expects.
    pub(in crate::handshake::server) fn expects(&self, typ: HandshakeType) -> bool {
        let PostAuth::Pending(p) = self else {
            return false;
        };
        typ == match p.next {
            Next::Certificate => HandshakeType::CERTIFICATE,
            Next::CertificateVerify(_) => HandshakeType::CERTIFICATE_VERIFY,
            Next::Finished => HandshakeType::FINISHED,
        }
    }

    pub(in crate::handshake::server) fn pending(&self) -> bool {
        matches!(self, PostAuth::Pending(_))
    }

    /// Sends a CertificateRequest (RFC 8446 §4.3.2) with a fresh certificate_request_context
    /// and our signature_algorithms, when the client offered post_handshake_auth (§4.6.2:
    /// "Servers MUST NOT send a post-handshake CertificateRequest to clients which do not
    /// offer this extension"); otherwise a warning says why not. Whether it was sent.
    pub(in crate::handshake::server) fn request(
        &mut self,
        c: &mut Common,
        config: &ServerConfig,
        ch: Option<&ClientHello>,
    ) -> bool {
        let offered = ch.is_some_and(|ch| client_ext(ch, ET::POST_HANDSHAKE_AUTH).is_some());
        if !offered {
            let tls13 = true;
            c.emit(Event::Warning(Warning::PostHandshakeAuthUnavailable {
                tls13,
            }));
            return false;
        }
        if self.pending() {
            return false;
        }
        let mut context = vec![0; 8];
        c.rng.fill_bytes(&mut context);
        let handshake_transcript = c.transcript.clone();
        c.send_handshake(
            HM::CertificateRequest13(CertificateRequest13 {
                context: context.clone(),
                extensions: vec![Extension::new(
                    ET::SIGNATURE_ALGORITHMS,
                    ExtBody::SignatureAlgorithms(config.sigalgs.clone()),
                )],
            }),
            vec![],
        );
        *self = PostAuth::Pending(Box::new(Pending {
            context,
            handshake_transcript,
            next: Next::Certificate,
            client: ClientIdentity::default(),
        }));
        true
    }

    /// The client's next message of the exchange (`expects` said it is the one due).
    pub(in crate::handshake::server) fn handle(
        &mut self,
        c: &mut Common,
        config: &ServerConfig,
        secrets: &ApplicationSecrets,
        m: &Incoming,
    ) -> Result<(), TlsError> {
        let PostAuth::Pending(p) = self else {
            return Err(crate::handshake::unexpected("Established", &m.msg));
        };
        let hash = secrets.params().hash;
        match (&p.next, &m.msg) {
            (Next::Certificate, HM::Certificate(cert)) => {
                let spki = client_auth::receive_certificate_for(
                    c,
                    config,
                    m,
                    cert,
                    &mut p.client,
                    &p.context,
                )?;
                p.next = spki.map_or(Next::Finished, Next::CertificateVerify);
            }
            (Next::CertificateVerify(spki), HM::CertificateVerify(cv)) => {
                receive_certificate_verify(c, m, cv, &config.sigalgs, spki, Some(hash))?;
                p.next = Next::Finished;
            }
            (Next::Finished, HM::Finished(vd)) => {
                // RFC 8446 §4.4: the Finished key comes from the current
                // client_application_traffic_secret_N.
                let key = secrets.post_handshake_finished_key();
                report_post_handshake(c, key);
                receive_finished(c, m, vd, key)?;
                if let PostAuth::Pending(p) = std::mem::take(self) {
                    (*p).complete(c);
                }
            }
            (_, other) => return Err(crate::handshake::unexpected("Established", other)),
        }
        Ok(())
    }
}

impl Pending {
    /// The exchange is over: back to the handshake's transcript, the connection's outcome
    /// updated with the client's certificate, and the result reported.
    fn complete(self, c: &mut Common) {
        c.transcript = self.handshake_transcript;
        let subject = self.client.chain.first().map(|d| subject_of(d));
        let verified = self.client.check.as_ref().map(|r| r.ok);
        let cert = self.client.chain.first().map(|d| cert_identity(d));
        c.client_authenticated(cert, verified);
        c.emit(Event::Info(Info::PostHandshakeAuth {
            client_certificate: subject,
            verified,
        }));
    }
}
