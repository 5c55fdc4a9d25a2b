//! The client state machine: TLS 1.2 full and abbreviated handshakes (RFC 5246 §7.3,
//! RFC 5077, RFC 7627, RFC 5746) and TLS 1.3 with HelloRetryRequest and PSK resumption
//! (RFC 8446 §2, §4). Each state is a type that owns what its next step needs; the step
//! consumes it and returns the next state. This module holds the states' table; the steps
//! live in `server_hello`, `tls12`, `tls12_kx` and `tls13`, the ClientHello in `hello`,
//! certificates both ways in `auth`, post-handshake authentication in `post_auth`, and the
//! renegotiation request scan sends (never completed) in `renegotiate`. A
//! new state is a type in its version's module, a variant of `State` with its name, and its
//! rows in `State::handle`.

use rand::RngCore;

mod auth;
mod early_data;
mod extension_rules;
mod hello;
mod post_auth;
mod renegotiate;
mod server_hello;
mod tls12;
mod tls12_kx;
mod tls13;

use super::ccs::{self, MiddleboxLimit};
use super::config::{ChainCheck, ClientConfig};
use super::key_update::ApplicationSecrets;
use super::outcome::{report_established, Agreed, PeerFacts, Tls12Facts};
use super::session::ClientSession;
use super::{groups, tls12_policy, unexpected, Common, Incoming, Role};
use crate::error::TlsError;
use crate::event::{Check, CheckKind};
use crate::wire::codepoints::{ExtensionType as ET, ProtocolVersion};
use crate::wire::extensions::{find, ExtBody, Extension};
use crate::wire::handshake::HandshakeMessage as HM;
use crate::wire::suites::CipherSuite;

/// The client half of a connection: our configuration and where the handshake is.
pub struct ClientState {
    config: ClientConfig,
    state: State,
}

/// Where the handshake is; each variant holds what its next step needs. The variant names
/// are what "expected …" errors report.
enum State {
    ServerHello(server_hello::ExpectServerHello),
    // TLS 1.2 (RFC 5246 §7.3)
    Certificate12(tls12::ExpectCertificate),
    StatusOrKeyExchange(tls12_kx::ExpectServerKx),
    KeyExchange(tls12_kx::ExpectServerKx),
    RequestOrDone(tls12_kx::ExpectHelloDone),
    HelloDone(tls12_kx::ExpectHelloDone),
    TicketOrCcs(tls12::ExpectCcs),
    Ccs(tls12::ExpectCcs),
    Finished12(tls12::ExpectFinished),
    Established12(tls12::Established),
    // TLS 1.3 (RFC 8446 §2)
    EncryptedExtensions(tls13::ExpectEncryptedExtensions),
    CertOrRequest13(tls13::ExpectCertificate),
    Certificate13(tls13::ExpectCertificate),
    CertificateVerify13(tls13::ExpectCertificateVerify),
    Finished13(tls13::ExpectFinished),
    Established13(tls13::Established),
    /// A step failed: the connection accepts nothing more.
    Failed,
}

impl State {
    /// The name "expected …" errors give the state.
    fn name(&self) -> &'static str {
        match self {
            State::ServerHello(_) => "ServerHello",
            State::Certificate12(_) => "Certificate12",
            State::StatusOrKeyExchange(_) => "StatusOrKeyExchange",
            State::KeyExchange(_) => "KeyExchange",
            State::RequestOrDone(_) => "RequestOrDone",
            State::HelloDone(_) => "HelloDone",
            State::TicketOrCcs(_) => "TicketOrCcs",
            State::Ccs(_) => "Ccs",
            State::Finished12(_) => "Finished12",
            State::EncryptedExtensions(_) => "EncryptedExtensions",
            State::CertOrRequest13(_) => "CertOrRequest13",
            State::Certificate13(_) => "Certificate13",
            State::CertificateVerify13(_) => "CertificateVerify13",
            State::Finished13(_) => "Finished13",
            State::Established12(_) | State::Established13(_) => "Established",
            State::Failed => "Failed",
        }
    }

    /// The transition table: which message each state takes, and the step that handles it.
    /// Any other message is unexpected_message.
    fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
    ) -> Result<State, TlsError> {
        use State as S;
        match (self, &m.msg) {
            (S::ServerHello(s), HM::ServerHello(sh)) => s.handle(c, config, m, sh),
            // TLS 1.2
            (S::Certificate12(s), HM::Certificate(cert)) => s.handle(c, config, m, cert),
            (S::StatusOrKeyExchange(s), HM::CertificateStatus(st)) if s.ocsp_acked() => {
                Ok(s.on_status(c, m, st))
            }
            (S::StatusOrKeyExchange(s) | S::KeyExchange(s), HM::ServerKeyExchange(skx))
                if s.key_exchange_is_signed() =>
            {
                s.on_key_exchange(c, config, m, skx)
            }
            (S::StatusOrKeyExchange(s) | S::KeyExchange(s), HM::ServerKeyExchange(skx))
                if s.psk_key_exchange() =>
            {
                s.on_psk_key_exchange(c, config, m, skx)
            }
            (S::StatusOrKeyExchange(s) | S::KeyExchange(s), HM::ServerHelloDone)
                if s.psk_key_exchange() =>
            {
                match s.psk_without_hint() {
                    Some(s) => s.on_done(c, config, m),
                    None => Err(TlsError::unexpected(
                        "ServerHelloDone before the ServerKeyExchange a DHE-PSK or ECDHE-PSK suite needs",
                    )),
                }
            }
            (S::StatusOrKeyExchange(s) | S::KeyExchange(s), HM::CertificateRequest12(r))
                if s.key_transport() =>
            {
                Ok(s.without_key_exchange().on_request(c, config, m, r))
            }
            (S::StatusOrKeyExchange(s) | S::KeyExchange(s), HM::ServerHelloDone)
                if s.key_transport() =>
            {
                s.without_key_exchange().on_done(c, config, m)
            }
            (S::RequestOrDone(s), HM::CertificateRequest12(r)) => Ok(s.on_request(c, config, m, r)),
            (S::RequestOrDone(s) | S::HelloDone(s), HM::ServerHelloDone) => s.on_done(c, config, m),
            (S::TicketOrCcs(s), HM::NewSessionTicket12(t)) => Ok(s.on_ticket(c, m, t)),
            (S::Finished12(s), HM::Finished(vd)) => s.handle(c, config, m, vd),
            // TLS 1.3
            (S::EncryptedExtensions(s), HM::EncryptedExtensions(e)) => s.handle(c, config, m, e),
            (S::CertOrRequest13(s), HM::CertificateRequest13(r)) => s.on_request(c, config, m, r),
            (S::CertOrRequest13(s) | S::Certificate13(s), HM::Certificate(cert)) => {
                s.handle(c, config, m, cert)
            }
            (S::CertificateVerify13(s), HM::CertificateVerify(cv)) => s.handle(c, config, m, cv),
            (S::Finished13(s), HM::Finished(vd)) => s.handle(c, config, m, vd),
            (state, other) => Err(unexpected(state.name(), other)),
        }
    }
}

/// What the handshake has settled so far that the Summary reports and a session keeps,
/// filled in step by step.
#[derive(Default)]
struct Settled {
    agreed: Agreed,
    /// The server's chain as our verifier judged it (none without a verifier or a chain).
    check: Option<ChainCheck>,
    /// TLS 1.2 only; `session_ticket`: the server acknowledged session_ticket.
    tls12: Tls12Facts,
}

impl Settled {
    /// The chain check of this connection, or of the session it resumed.
    fn session_verified(&self, config: &ClientConfig) -> Option<bool> {
        match (&self.check, self.agreed.resumed) {
            (Some(r), _) => Some(r.ok),
            (None, true) => config.resume.as_ref().and_then(|s| s.verified),
            (None, false) => None,
        }
    }
}

/// The handshake is complete: reports the Summary.
fn finish(c: &mut Common, config: &ClientConfig, suite: CipherSuite, settled: &Settled) {
    // A resumed session carries the verification of the handshake that made it.
    // A PSK handshake has no certificate to check (RFC 8446 §2.2).
    let verified = settled.session_verified(config).or(
        if settled.agreed.resumed || settled.agreed.psk.is_some() {
            None
        } else {
            Some(false)
        },
    );
    let peer = PeerFacts {
        verified: verified.filter(|_| config.verifier.is_some()),
        sni: config.sni.clone(),
        client_certificate: c.client_cert_sent.clone(),
    };
    let tls12 = (!c.tls13()).then_some(settled.tls12);
    report_established(c, suite, &settled.agreed, tls12, peer);
}

fn offered(exts: &[Extension], t: ET) -> bool {
    find(exts, t).is_some()
}

/// RFC 7301 §3.2: the protocol the server chose must be one we offered.
fn check_alpn(config: &ClientConfig, exts: &[Extension]) -> Result<Option<Vec<u8>>, TlsError> {
    match find(exts, ET::ALPN).map(|e| &e.body) {
        Some(ExtBody::Alpn(p)) => {
            let chosen = p[0].clone();
            if !config.alpn.contains(&chosen) {
                return Err(TlsError::illegal(format!(
                    "the server chose ALPN protocol {:?}, which we did not offer",
                    String::from_utf8_lossy(&chosen)
                )));
            }
            Ok(Some(chosen))
        }
        _ => Ok(None),
    }
}

/// RFC 5246 §7.4.1.1: a HelloRequest is ignored during a handshake; afterwards we refuse to
/// renegotiate.
fn on_hello_request(c: &mut Common, m: &Incoming) {
    if c.established {
        tls12_policy::refuse_renegotiation(c, m);
    } else {
        m.report(c, vec![Check::pass(CheckKind::HelloRequestIgnored)]);
    }
}

impl ClientState {
    /// Sends the ClientHello and waits for the ServerHello.
    pub fn start(config: ClientConfig, c: &mut Common) -> Result<ClientState, TlsError> {
        c.rng.fill_bytes(&mut c.client_random);
        // RFC 8446 §4.2.8: a TLS 1.3 hello needs at least one key share.
        let shares = groups::first_shares(&config.groups);
        if shares.is_empty() && hello::offers13(&config) {
            return Err(TlsError::internal(
                "no key-exchange group usable in TLS 1.3 configured",
            ));
        }
        let sent = hello::build_hello(c, &config, hello::Shares::New(shares), None)?;
        // RFC 8446 §5.1: the first ClientHello's record may carry 0x0301.
        c.rl.write_version = ProtocolVersion::TLS10;
        c.send_handshake(HM::ClientHello(sent.hello.clone()), vec![]);
        c.rl.write_version = hello::legacy_max(&config).unwrap_or(ProtocolVersion::TLS12);
        early_data::send(c, &config, &sent.hello)?;
        Ok(ClientState {
            state: State::ServerHello(server_hello::ExpectServerHello::new(sent)),
            config,
        })
    }

    /// Asks to renegotiate an established TLS 1.0-1.2 connection (`renegotiate`): only the
    /// server's answer is reported, the renegotiation is not completed.
    pub fn request_renegotiation(&mut self, c: &mut Common) -> Result<(), TlsError> {
        match &mut self.state {
            State::Established12(e) if c.established => renegotiate::request(c, &self.config, e),
            _ => Err(TlsError::internal(
                "renegotiation needs an established TLS 1.0-1.2 connection",
            )),
        }
    }

    /// The newest resumable session: TLS 1.2's once established, TLS 1.3's from the last
    /// NewSessionTicket.
    pub fn session(&self) -> Option<ClientSession> {
        match &self.state {
            State::Established12(e) => Some(e.session.clone()),
            State::Established13(e) => e.session.clone(),
            _ => None,
        }
    }
}

impl Role for ClientState {
    fn application_secrets(&mut self) -> Option<&mut ApplicationSecrets> {
        match &mut self.state {
            State::Established13(e) => Some(&mut e.secrets),
            _ => None,
        }
    }

    fn handle_handshake(&mut self, c: &mut Common, m: Incoming) -> Result<(), TlsError> {
        if matches!(m.msg, HM::HelloRequest) && !c.tls13() {
            on_hello_request(c, &m);
            return Ok(());
        }
        match &mut self.state {
            // Once established, messages are handled in place: a failure keeps the session.
            // Our renegotiation request's answer (RFC 5246 §7.4.1.2): reported, not taken
            // further; what follows it is unexpected.
            State::Established12(e)
                if e.renegotiation_requested && matches!(m.msg, HM::ServerHello(_)) =>
            {
                e.renegotiation_requested = false;
                m.report(c, vec![]);
                Ok(())
            }
            State::Established12(_) => Err(unexpected("Established", &m.msg)),
            State::Established13(e) => match &m.msg {
                HM::CertificateRequest13(r) => {
                    post_auth::answer(c, &self.config, &e.secrets, &m, r)
                }
                _ => e.handle(c, &m),
            },
            state => {
                let current = std::mem::replace(state, State::Failed);
                self.state = current.handle(c, &self.config, &m)?;
                Ok(())
            }
        }
    }

    fn handle_ccs(&mut self, c: &mut Common) -> Result<(), TlsError> {
        // RFC 8446 §5: a ChangeCipherSpec "at any time after the first ClientHello message
        // has been sent or received and before the peer's Finished message" is dropped: so
        // also before the ServerHello once we offered TLS 1.3 (a TLS 1.2 ServerHello then
        // refuses it, see tls12::server_hello).
        let awaiting_hello13 =
            matches!(&self.state, State::ServerHello(_)) && hello::offers13(&self.config);
        if c.tls13() || awaiting_hello13 {
            return ccs::receive_middlebox(c, MiddleboxLimit::Any);
        }
        let (s, ticket_expected) = match std::mem::replace(&mut self.state, State::Failed) {
            State::TicketOrCcs(s) => (s, true),
            State::Ccs(s) => (s, false),
            other => {
                self.state = other;
                return Err(ccs::too_early());
            }
        };
        self.state = s.on_ccs(c, ticket_expected);
        Ok(())
    }
}
