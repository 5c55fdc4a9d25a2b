//! The server state machine: TLS 1.2 (RFC 5246 §7.3) with session-id and ticket resumption
//! (RFC 5077), extended master secret (RFC 7627) and secure renegotiation (RFC 5746), and
//! TLS 1.3 (RFC 8446 §4) with HelloRetryRequest, PSK resumption and client authentication.
//!
//! Each state is a type that owns what its next step needs; its handler consumes it and
//! returns the next state. `ServerState` is the facade `Connection` holds: it keeps the
//! current `State`, the configuration and the ClientHello (for describing the client).

use std::sync::Arc;

use crate::error::TlsError;
use crate::event::{Event, Warning};
use crate::handshake::ccs::{self, MiddleboxLimit};
use crate::handshake::config::ServerConfig;
use crate::handshake::key_update::ApplicationSecrets;
use crate::handshake::{tls12_policy, unexpected, Common, Incoming, Role};
use crate::wire::codepoints::{HandshakeType, ProtocolVersion};
use crate::wire::handshake::{ClientHello, HandshakeMessage as HM};

mod certs;
mod client_auth;
mod hello;
mod negotiated;
mod tls12;
mod tls13;

pub(super) use tls13::receive_early_data;

/// Where the server is in the handshake, with what the next step needs. The states move by
/// value (no allocation per step): `Connection` holds `ServerState` in a box already.
#[allow(clippy::large_enum_variant)]
enum State {
    /// Waiting for the first ClientHello.
    ExpectClientHello,
    /// TLS 1.3: a HelloRetryRequest was sent; the second ClientHello comes next (RFC 8446 §4.1.4).
    ExpectRetriedHello(tls13::ExpectRetriedHello),
    ExpectCertificate12(tls12::ExpectCertificate),
    ExpectClientKeyExchange(tls12::ExpectClientKeyExchange),
    ExpectCertificateVerify12(tls12::ExpectCertificateVerify),
    ExpectCcs(tls12::ExpectCcs),
    ExpectFinished12(tls12::ExpectFinished),
    /// TLS 1.0-1.2 done: a new ClientHello is a renegotiation attempt, refused.
    Established12,
    /// TLS 1.3 with 0-RTT accepted: early data, then EndOfEarlyData (RFC 8446 §4.5).
    ExpectEndOfEarlyData13(tls13::ExpectEndOfEarlyData),
    ExpectCertificate13(tls13::ExpectCertificate),
    ExpectCertificateVerify13(tls13::ExpectCertificateVerify),
    ExpectFinished13(tls13::ExpectFinished),
    /// TLS 1.3 done: KeyUpdate may come (RFC 8446 §4.6.3).
    Established13(ApplicationSecrets),
    /// A handler failed: the connection accepts nothing more.
    Failed,
}

impl State {
    /// The message types the handler of this state accepts (the table `step` follows);
    /// anything else is unexpected_message before any decoding.
    fn expects(&self, typ: HandshakeType) -> bool {
        use HandshakeType as T;
        match self {
            State::ExpectClientHello | State::ExpectRetriedHello(_) => typ == T::CLIENT_HELLO,
            State::ExpectCertificate12(_) | State::ExpectCertificate13(_) => typ == T::CERTIFICATE,
            State::ExpectClientKeyExchange(_) => typ == T::CLIENT_KEY_EXCHANGE,
            State::ExpectCertificateVerify12(_) | State::ExpectCertificateVerify13(_) => {
                typ == T::CERTIFICATE_VERIFY
            }
            State::ExpectCcs(_) | State::Failed => false,
            State::ExpectFinished12(_) | State::ExpectFinished13(_) => typ == T::FINISHED,
            State::Established12 => typ == T::CLIENT_HELLO,
            State::Established13(_) => typ == T::KEY_UPDATE,
            State::ExpectEndOfEarlyData13(_) => typ == T::END_OF_EARLY_DATA,
        }
    }

    /// The state's name in "expected …, received …" errors.
    fn name(&self) -> &'static str {
        match self {
            State::ExpectClientHello => "ClientHello",
            State::ExpectRetriedHello(_) => "ClientHelloAfterRetry",
            State::ExpectCertificate12(_) => "ClientCertificate12",
            State::ExpectClientKeyExchange(_) => "ClientKeyExchange",
            State::ExpectCertificateVerify12(_) => "CertificateVerify12",
            State::ExpectCcs(_) => "Ccs",
            State::ExpectFinished12(_) => "Finished12",
            State::ExpectEndOfEarlyData13(_) => "EndOfEarlyData",
            State::ExpectCertificate13(_) => "ClientCertificate13",
            State::ExpectCertificateVerify13(_) => "CertificateVerify13",
            State::ExpectFinished13(_) => "Finished13",
            State::Established12 | State::Established13(_) => "Established",
            State::Failed => "Failed",
        }
    }
}

pub struct ServerState {
    config: Arc<ServerConfig>,
    state: State,
    /// The ClientHello received (the second one after a HelloRetryRequest).
    client_hello: Option<ClientHello>,
    /// TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2), beside the
    /// established state: KeyUpdate and application data go on while a request is pending.
    post_auth: tls13::post_auth::PostAuth,
}

impl ServerState {
    pub fn new(config: Arc<ServerConfig>) -> ServerState {
        ServerState {
            config,
            state: State::ExpectClientHello,
            client_hello: None,
            post_auth: Default::default(),
        }
    }

    /// Sends a post-handshake CertificateRequest (`post_auth::PostAuth::request`) on an
    /// established TLS 1.3 connection (TLS 1.2 has none: a warning says so); whether it was
    /// sent.
    pub fn request_client_certificate(&mut self, c: &mut Common) -> bool {
        match self.state {
            State::Established13(_) => {
                let ch = self.client_hello.as_ref();
                self.post_auth.request(c, &self.config, ch)
            }
            State::Established12 => {
                let tls13 = false;
                c.emit(Event::Warning(Warning::PostHandshakeAuthUnavailable {
                    tls13,
                }));
                false
            }
            _ => false,
        }
    }

    /// Whether a post-handshake CertificateRequest awaits the client's answer.
    pub fn post_handshake_auth_pending(&self) -> bool {
        self.post_auth.pending()
    }

    /// The ClientHello received, for describing the client.
    pub fn client_hello(&self) -> Option<&ClientHello> {
        self.client_hello.as_ref()
    }
}

/// Runs the handler of `state` for message `m`: the next state, or the error that ends the
/// connection.
fn step(
    state: State,
    config: &ServerConfig,
    client_hello: &mut Option<ClientHello>,
    c: &mut Common,
    m: &Incoming,
) -> Result<State, TlsError> {
    match (state, &m.msg) {
        (State::ExpectClientHello, HM::ClientHello(ch)) => {
            reject_encrypted_hello(m)?;
            let hello = hello::check(c, config, m, ch)?;
            *client_hello = Some(ch.clone());
            c.version = Some(hello.version);
            if hello.version == ProtocolVersion::TLS13 {
                tls13::start(c, config, m, ch, hello.server_name, None)
            } else {
                tls12::start(c, config, m, ch, hello.version, hello.server_name)
            }
        }
        (State::ExpectRetriedHello(s), HM::ClientHello(ch)) => {
            reject_encrypted_hello(m)?;
            let (server_name, retry) = s.accept(c, m, ch)?;
            *client_hello = Some(ch.clone());
            tls13::start(c, config, m, ch, server_name, Some(retry))
        }
        (State::ExpectCertificate12(s), HM::Certificate(cert)) => s.handle(c, config, m, cert),
        (State::ExpectClientKeyExchange(s), HM::ClientKeyExchange(cke)) => {
            s.handle(c, config, m, cke)
        }
        (State::ExpectCertificateVerify12(s), HM::CertificateVerify(cv)) => {
            s.handle(c, config, m, cv)
        }
        (State::ExpectFinished12(s), HM::Finished(vd)) => s.handle(c, config, m, vd),
        (State::Established12, HM::ClientHello(_)) => {
            tls12_policy::refuse_renegotiation(c, m);
            Ok(State::Established12)
        }
        (State::ExpectEndOfEarlyData13(s), HM::EndOfEarlyData) => s.handle(c, m),
        (State::ExpectCertificate13(s), HM::Certificate(cert)) => s.handle(c, config, m, cert),
        (State::ExpectCertificateVerify13(s), HM::CertificateVerify(cv)) => {
            s.handle(c, config, m, cv)
        }
        (State::ExpectFinished13(s), HM::Finished(vd)) => s.handle(c, config, m, vd),
        (State::Established13(mut s), HM::KeyUpdate(req)) => {
            s.receive(c, m, *req)?;
            Ok(State::Established13(s))
        }
        (state, other) => Err(unexpected(state.name(), other)),
    }
}

/// A ClientHello comes before any keys (a renegotiation one is refused before this).
fn reject_encrypted_hello(m: &Incoming) -> Result<(), TlsError> {
    if m.encrypted {
        return Err(TlsError::unexpected("encrypted ClientHello"));
    }
    Ok(())
}

impl Role for ServerState {
    fn application_secrets(&mut self) -> Option<&mut ApplicationSecrets> {
        match &mut self.state {
            State::Established13(s) => Some(s),
            _ => None,
        }
    }

    fn expects(&self, _c: &Common, typ: HandshakeType) -> bool {
        self.state.expects(typ)
            || (matches!(self.state, State::Established13(_)) && self.post_auth.expects(typ))
    }

    fn handle_handshake(&mut self, c: &mut Common, m: Incoming) -> Result<(), TlsError> {
        if let State::Established13(secrets) = &self.state {
            if self.post_auth.expects(m.msg.typ()) {
                return self.post_auth.handle(c, &self.config, secrets, &m);
            }
        }
        let state = std::mem::replace(&mut self.state, State::Failed);
        self.state = step(state, &self.config, &mut self.client_hello, c, &m)?;
        Ok(())
    }

    fn handle_ccs(&mut self, c: &mut Common) -> Result<(), TlsError> {
        if c.tls13() || matches!(self.state, State::ExpectRetriedHello(_)) {
            return ccs::receive_middlebox(c, MiddleboxLimit::One);
        }
        match std::mem::replace(&mut self.state, State::Failed) {
            State::ExpectCcs(s) => {
                self.state = State::ExpectFinished12(s.handle(c));
                Ok(())
            }
            other => {
                self.state = other;
                Err(ccs::too_early())
            }
        }
    }
}
