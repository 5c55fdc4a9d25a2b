//! The client state machine: TLS 1.2 full and abbreviated handshakes (RFC 5246 §7.3,
//! RFC 5077, RFC 7627, RFC 5746) and TLS 1.3 with HelloRetryRequest and PSK resumption
//! (RFC 8446 §2, §4).

use rand::RngCore;

mod auth;
mod hello;
mod server_hello;
mod tls12;
mod tls13;

use super::config::{ChainCheck, ClientConfig};
use super::keys::{self, Tls13Secrets};
use super::session::{now_ms, ClientSession};
use super::suite_params::{self, SuiteParams};
use super::{unexpected, Common, Incoming, Role};
use crate::crypto::aead::RecordCipher;
use crate::crypto::dh::{self, DhKey};
use crate::crypto::kx::{rsa_encrypt_premaster, EphemeralKey};
use crate::crypto::{key_schedule as ks, prf, sign};
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Check, Event, Summary};
use crate::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateEntry, CertificateVerify, ClientHello, ClientKeyExchange,
    HandshakeMessage as HM, ServerHello, ServerKeyExchange, DOWNGRADE_TLS11, DOWNGRADE_TLS12,
};
use crate::wire::suites::{CipherSuite, Kx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    ServerHello,
    // TLS 1.2
    Certificate12,
    StatusOrKeyExchange,
    KeyExchange,
    RequestOrDone,
    HelloDone,
    TicketOrCcs,
    Ccs,
    Finished12,
    // TLS 1.3
    EncryptedExtensions,
    CertOrRequest13,
    Certificate13,
    CertificateVerify13,
    Finished13,
    Established,
}

/// What the server asked for in a CertificateRequest.
struct CertRequest {
    context: Vec<u8>,
    sigalgs: Vec<SignatureScheme>,
}

pub struct ClientState {
    config: ClientConfig,
    state: State,
    ch: ClientHello,
    share: Option<EphemeralKey>,
    p: Option<SuiteParams>,
    server_random: [u8; 32],
    chain: Vec<Vec<u8>>,
    check: Option<ChainCheck>,
    group: Option<NamedGroup>,
    scheme: Option<SignatureScheme>,
    ems: bool,
    secure_renegotiation: bool,
    ticket_acked: bool,
    ocsp_acked: bool,
    alpn: Option<Vec<u8>>,
    resumed: bool,
    master: Vec<u8>,
    server_kx: Option<(NamedGroup, Vec<u8>)>,
    cert_request: Option<CertRequest>,
    s13: Option<Tls13Secrets>,
    hrr_suite: Option<CipherSuite>,
    psk_offered: bool,
    resumption_master: Vec<u8>,
    session: Option<ClientSession>,
    new_ticket12: Option<Vec<u8>>,
    pending_write: Option<RecordCipher>,
    pending_read: Option<RecordCipher>,
    server_session_id: Vec<u8>,
    /// encrypt_then_mac acknowledged for a CBC suite (RFC 7366).
    etm: bool,
    /// The server's DHE parameters (p, g, Ys), checked.
    server_dh: Option<(Vec<u8>, Vec<u8>, Vec<u8>)>,
}

fn offered(exts: &[Extension], t: ET) -> bool {
    find(exts, t).is_some()
}

/// The SubjectPublicKeyInfo of a certificate (RFC 5280 §4.1.2.7).
pub fn leaf_spki(der: &[u8]) -> Result<Vec<u8>, TlsError> {
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der).map_err(|e| {
        TlsError::new(
            Alert::BadCertificate,
            format!("the peer's certificate could not be parsed: {e}"),
        )
    })?;
    Ok(cert.tbs_certificate.subject_pki.raw.to_vec())
}

impl ClientState {
    pub fn start(config: ClientConfig, c: &mut Common) -> Result<ClientState, TlsError> {
        c.rng.fill_bytes(&mut c.client_random);
        let mut me = ClientState {
            config,
            state: State::ServerHello,
            ch: ClientHello {
                extensions_absent: false,
                version: ProtocolVersion::TLS12,
                random: c.client_random,
                session_id: vec![],
                cipher_suites: vec![],
                compression_methods: vec![CompressionMethod::NULL],
                extensions: vec![],
            },
            share: None,
            p: None,
            server_random: [0; 32],
            chain: vec![],
            check: None,
            group: None,
            scheme: None,
            ems: false,
            secure_renegotiation: false,
            ticket_acked: false,
            ocsp_acked: false,
            alpn: None,
            resumed: false,
            master: vec![],
            server_kx: None,
            cert_request: None,
            s13: None,
            hrr_suite: None,
            psk_offered: false,
            resumption_master: vec![],
            session: None,
            new_ticket12: None,
            pending_write: None,
            pending_read: None,
            server_session_id: vec![],
            etm: false,
            server_dh: None,
        };
        let first_group = *me
            .config
            .groups
            .first()
            .ok_or_else(|| TlsError::internal("no key-exchange group configured"))?;
        let sent = hello::build_hello(c, &me.config, first_group, None)?;
        let ch = me.adopt(sent);
        c.rl.write_version = ProtocolVersion::TLS10;
        c.send_handshake(HM::ClientHello(ch), vec![]);
        c.rl.write_version = me.legacy_max().unwrap_or(ProtocolVersion::TLS12);
        Ok(me)
    }

    /// Keeps what answering `sent` needs; returns the hello to send.
    fn adopt(&mut self, sent: hello::SentHello) -> ClientHello {
        self.psk_offered = false;
        if let Some(o) = sent.tls13 {
            self.share = Some(o.share);
            self.psk_offered = o.psk_offered;
        }
        self.ch = sent.hello.clone();
        sent.hello
    }

    fn legacy_max(&self) -> Option<ProtocolVersion> {
        hello::legacy_max(&self.config)
    }

    fn offers13(&self) -> bool {
        hello::offers13(&self.config)
    }

    fn offers12(&self) -> bool {
        hello::offers12(&self.config)
    }

    pub fn session(&self) -> Option<ClientSession> {
        self.session.clone()
    }

    fn params(&self) -> Result<SuiteParams, TlsError> {
        self.p
            .ok_or_else(|| TlsError::internal("cipher suite not yet negotiated"))
    }
    /// The chain check of this connection, or of the session it resumed.
    fn session_verified(&self) -> Option<bool> {
        match (&self.check, self.resumed) {
            (Some(r), _) => Some(r.ok),
            (None, true) => self.config.resume.as_ref().and_then(|s| s.verified),
            (None, false) => None,
        }
    }

    fn finish(&mut self, c: &mut Common) {
        c.established = true;
        self.state = State::Established;
        let p = self.p;
        // A resumed session carries the verification of the handshake that made it.
        let verified = self
            .session_verified()
            .or(if self.resumed { None } else { Some(false) });
        let tls13 = c.tls13();
        c.emit(Event::Summary(Box::new(Summary {
            version: c.version,
            cipher_suite: p.map(|p| p.suite),
            group: self.group,
            signature_scheme: self.scheme,
            alpn: self
                .alpn
                .as_ref()
                .map(|a| String::from_utf8_lossy(a).into_owned()),
            resumed: self.resumed,
            verified: if self.config.verifier.is_some() {
                verified
            } else {
                None
            },
            sni: self.config.sni.clone(),
            extended_master_secret: (!tls13).then_some(self.ems),
            secure_renegotiation: (!tls13).then_some(self.secure_renegotiation),
            session_ticket: self.ticket_acked,
            client_certificate: None,
        })));
    }
}

impl Role for ClientState {
    fn handle_handshake(&mut self, c: &mut Common, m: Incoming) -> Result<(), TlsError> {
        use State as S;
        let msg = m.msg.clone();
        match (self.state, &msg) {
            (S::ServerHello, HM::ServerHello(sh)) => {
                if m.encrypted {
                    return Err(TlsError::unexpected("encrypted ServerHello"));
                }
                self.server_session_id = sh.session_id.clone();
                self.on_server_hello(c, &m, sh)
            }
            // ---- TLS 1.2
            (S::Certificate12, HM::Certificate(cert)) => {
                if self.params()?.kx == Kx::Any {
                    return Err(unexpected("EncryptedExtensions", &msg));
                }
                self.on_certificate(c, &m, cert)?;
                self.state = S::StatusOrKeyExchange;
                Ok(())
            }
            (S::StatusOrKeyExchange, HM::CertificateStatus(st)) if self.ocsp_acked => {
                c.transcript.update(&m.raw);
                // RFC 6066 §8: the stapled response, described (its signature is not checked).
                let check = match crate::pki::ocsp::describe(&st.response) {
                    Ok(o) => Check::new("OCSP", o.cert_status.as_deref() == Some("good"), o.line()),
                    Err(e) => Check::new(
                        "OCSP",
                        false,
                        format!(
                            "stapled response of {} bytes could not be read: {e}",
                            st.response.len()
                        ),
                    ),
                };
                m.report(c, vec![check]);
                self.state = S::KeyExchange;
                Ok(())
            }
            (S::StatusOrKeyExchange | S::KeyExchange, HM::ServerKeyExchange(skx))
                if matches!(self.params()?.kx, Kx::Ecdhe | Kx::Dhe) =>
            {
                self.on_server_key_exchange(c, &m, skx)
            }
            (S::StatusOrKeyExchange | S::KeyExchange, HM::CertificateRequest12(r))
                if self.params()?.kx == Kx::Rsa =>
            {
                self.on_cert_request12(c, &m, r)
            }
            (S::StatusOrKeyExchange | S::KeyExchange, HM::ServerHelloDone)
                if self.params()?.kx == Kx::Rsa =>
            {
                c.transcript.update(&m.raw);
                m.report(c, vec![]);
                self.send_flight12(c)
            }
            (S::RequestOrDone, HM::CertificateRequest12(r)) => self.on_cert_request12(c, &m, r),
            (S::RequestOrDone | S::HelloDone, HM::ServerHelloDone) => {
                c.transcript.update(&m.raw);
                m.report(c, vec![]);
                self.send_flight12(c)
            }
            (S::TicketOrCcs, HM::NewSessionTicket12(t)) => {
                c.transcript.update(&m.raw);
                m.report(
                    c,
                    vec![Check::new(
                        "session ticket",
                        true,
                        format!(
                            "{} bytes, lifetime hint {} s (RFC 5077)",
                            t.ticket.len(),
                            t.lifetime_hint
                        ),
                    )],
                );
                if !t.ticket.is_empty() {
                    self.new_ticket12 = Some(t.ticket.clone());
                }
                self.state = S::Ccs;
                Ok(())
            }
            (S::Finished12, HM::Finished(vd)) => self.on_finished12(c, &m, vd),
            (S::Established, HM::HelloRequest) if !c.tls13() => {
                m.report(c, vec![]);
                c.send_alert(AlertLevel::Warning, Alert::NoRenegotiation);
                c.emit(Event::Info(
                    "the server asked to renegotiate; refused with a no_renegotiation warning"
                        .into(),
                ));
                Ok(())
            }
            (_, HM::HelloRequest) if !c.tls13() && !c.established => {
                // RFC 5246 §7.4.1.1: ignored while a handshake is in progress.
                m.report(
                    c,
                    vec![Check::new(
                        "hello request",
                        true,
                        "ignored during the handshake",
                    )],
                );
                Ok(())
            }
            // ---- TLS 1.3
            (S::EncryptedExtensions, HM::EncryptedExtensions(e)) => {
                self.on_encrypted_extensions(c, &m, e)
            }
            (S::CertOrRequest13, HM::CertificateRequest13(r)) => {
                let sigalgs = match find(&r.extensions, ET::SIGNATURE_ALGORITHMS).map(|e| &e.body) {
                    Some(ExtBody::SignatureAlgorithms(s)) => s.clone(),
                    _ => {
                        return Err(TlsError::new(
                            Alert::MissingExtension,
                            "CertificateRequest without signature_algorithms",
                        ))
                    }
                };
                c.transcript.update(&m.raw);
                let why = if self.config.client_cert.is_some() {
                    "the server asks for a client certificate; we will send ours"
                } else {
                    "the server asks for a client certificate; we have none (--cert) and will send an empty one"
                };
                m.report(c, vec![Check::new("client certificate", true, why)]);
                self.cert_request = Some(CertRequest {
                    context: r.context.clone(),
                    sigalgs,
                });
                self.state = S::Certificate13;
                Ok(())
            }
            (S::CertOrRequest13 | S::Certificate13, HM::Certificate(cert)) => {
                self.on_certificate(c, &m, cert)?;
                self.state = S::CertificateVerify13;
                Ok(())
            }
            (S::CertificateVerify13, HM::CertificateVerify(cv)) => {
                self.on_certificate_verify13(c, &m, cv)
            }
            (S::Finished13, HM::Finished(vd)) => self.on_finished13(c, &m, vd),
            (S::Established, _) if c.tls13() => self.on_post_handshake13(c, &m),
            (state, other) => Err(unexpected(&format!("{state:?}"), other)),
        }
    }

    fn handle_ccs(&mut self, c: &mut Common) -> Result<(), TlsError> {
        if c.tls13() || self.hrr_suite.is_some() {
            if c.established {
                return Err(TlsError::unexpected(
                    "ChangeCipherSpec after the TLS 1.3 handshake",
                ));
            }
            c.emit(Event::ChangeCipherSpec {
                dir: crate::event::Dir::In,
                middlebox: true,
            });
            return Ok(());
        }
        if !matches!(self.state, State::Ccs | State::TicketOrCcs) || self.pending_read.is_none() {
            return Err(TlsError::unexpected(
                "ChangeCipherSpec before the key exchange completed (the CVE-2014-0224 early CCS)",
            ));
        }
        if self.state == State::TicketOrCcs && !self.resumed {
            // The server acknowledged session_ticket but sent no NewSessionTicket: allowed
            // only if it decided not to issue one (RFC 5077 §3.3 says it MUST send one).
            c.emit(Event::Warning(
                "the server acknowledged session_ticket but sent no NewSessionTicket".into(),
            ));
        }
        c.emit(Event::ChangeCipherSpec {
            dir: crate::event::Dir::In,
            middlebox: false,
        });
        let rc = self.pending_read.take().expect("checked above");
        c.rl.set_read_cipher(rc, false);
        self.state = State::Finished12;
        Ok(())
    }
}
