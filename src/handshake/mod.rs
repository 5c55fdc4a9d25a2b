//! Client and server state machines for TLS 1.2 (RFC 5246) and TLS 1.3 (RFC 8446).
//! Bytes go in with `feed`, bytes come out with `take_output`, and every step is reported as
//! an `Event`. Nothing here touches a socket or prints.
//!
//! `client` and `server` hold each role's states. What both roles do exists once, here:
//! `finished` (Finished messages), `ccs` (received ChangeCipherSpec), `keys` (key
//! derivations), `install` (TLS 1.3 keys into the record layer), `key_update`, `cert_auth`
//! (certificates and CertificateVerify), `groups` (which groups each version may use and
//! who gets a key share), `outcome` (the Summary), `record_boundary` (the
//! messages that must end their record), `tls12_policy` (deprecated versions, BEAST,
//! renegotiation, no MD5 or SHA-1 signatures) and `alerts` (received alerts: which end the
//! connection, and the bound on warnings).

mod alerts;
pub mod anti_replay;
mod ccs;
pub mod cert_auth;
pub mod client;
pub mod config;
mod finished;
pub mod groups;
mod install;
mod key_update;
mod keys;
mod outcome;
pub mod psk;
mod record_boundary;
pub mod record_layer;
pub mod record_limits;
pub mod server;
pub mod session;
mod side;
pub mod suite_params;
mod tls12_policy;

use std::collections::VecDeque;
use std::sync::Arc;

use crate::crypto::hash::{HashAlg, Transcript};
use crate::crypto::rng::TlsRng;
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Check, Dir, Event, KeyEvent};
use crate::wire::codepoints::{ContentType, HandshakeType, ProtocolVersion};
use crate::wire::handshake::{split_messages, DecodeContext, HandshakeMessage};
use crate::wire::suites::Kx;
use finished::FinishedKey;
use record_layer::RecordLayer;

pub use alerts::MAX_WARNINGS_IN_A_ROW;
pub use config::{ClientConfig, ServerConfig};
pub use session::ClientSession;
pub use side::Side;
pub use tls12_policy::forbidden_hash;

/// State shared by both roles: records, events, transcript, randomness.
pub struct Common {
    pub rl: RecordLayer,
    events: VecDeque<Event>,
    pub rng: TlsRng,
    pub transcript: Transcript,
    hs_buf: Vec<u8>,
    pub established: bool,
    pub failed: bool,
    pub sent_close: bool,
    pub received_close: bool,
    /// TLS 1.3: a middlebox-compatibility ChangeCipherSpec was received.
    pub middlebox_ccs_seen: bool,
    /// Warning alerts received since the last handshake record or application data
    /// (`alerts::MAX_WARNINGS_IN_A_ROW`).
    warnings_in_a_row: u8,
    pub version: Option<ProtocolVersion>,
    pub kx: Option<Kx>,
    pub reveal_secrets: bool,
    pub client_random: [u8; 32],
    /// Which end of the connection we are.
    pub side: Side,
    /// What the handshake Finished messages are computed from (for the key-schedule view).
    pub finished_base: Option<FinishedBase>,
    /// TLS 1.3 0-RTT (RFC 8446 §4.2.10): None when the client offered none; Rejected once
    /// offered, Accepted when the server took it.
    pub early_data: Option<crate::event::EarlyData>,
    /// Server, 0-RTT accepted: how many more bytes of early data the client may send before
    /// its EndOfEarlyData (max_early_data_size, §4.2.10); None otherwise.
    pub early_data_left: Option<usize>,
    /// The Summary and chain check reported so far (`Connection::summary`, `chain_check`).
    outcome: outcome::Outcome,
    /// The verify_data of the last Finished we sent: a TLS 1.2 client's client_verify_data
    /// for a renegotiating ClientHello (RFC 5746 §3.1, §3.5).
    pub own_verify_data: Vec<u8>,
    /// Client side: the certificate we sent in the handshake (the Summary names it).
    pub client_cert_sent: Option<crate::event::CertIdentity>,
}

/// The secrets the handshake Finished messages are computed from (RFC 5246 §7.4.9,
/// RFC 8446 §4.4.4), kept only to report the computation as `Keys` events.
#[derive(Clone)]
pub enum FinishedBase {
    /// TLS 1.2: verify_data = PRF(master_secret, "client finished" | "server finished", Hash(handshake)).
    Tls12 { hash: HashAlg, master: Vec<u8> },
    /// TLS 1.3: verify_data = HMAC(finished_key, Hash(transcript)), with
    /// finished_key = HKDF-Expand-Label(handshake traffic secret, "finished", "", Hash.length).
    Tls13 {
        hash: HashAlg,
        client_hs: Vec<u8>,
        server_hs: Vec<u8>,
    },
}

impl FinishedBase {
    fn key(&self) -> FinishedKey<'_> {
        match self {
            FinishedBase::Tls12 { hash, master } => FinishedKey::Tls12 {
                hash: *hash,
                master,
            },
            FinishedBase::Tls13 {
                hash,
                client_hs,
                server_hs,
            } => FinishedKey::Tls13 {
                hash: *hash,
                client_hs,
                server_hs,
            },
        }
    }
}

impl Common {
    fn new(rng: TlsRng, side: Side, reveal_secrets: bool) -> Common {
        Common {
            rl: RecordLayer::new(),
            events: VecDeque::new(),
            rng,
            transcript: Transcript::new(),
            hs_buf: Vec::new(),
            established: false,
            failed: false,
            sent_close: false,
            received_close: false,
            middlebox_ccs_seen: false,
            warnings_in_a_row: 0,
            version: None,
            kx: None,
            reveal_secrets,
            client_random: [0; 32],
            side,
            finished_base: None,
            early_data: None,
            early_data_left: None,
            outcome: outcome::Outcome::default(),
            own_verify_data: vec![],
            client_cert_sent: None,
        }
    }

    pub fn emit(&mut self, e: Event) {
        self.outcome.observe(&e);
        self.events.push_back(e);
    }

    pub fn tls13(&self) -> bool {
        self.version == Some(ProtocolVersion::TLS13)
    }

    /// Encodes, records in the transcript, sends and reports a handshake message.
    pub fn send_handshake(&mut self, msg: HandshakeMessage, checks: Vec<Check>) {
        let raw = msg.encode();
        self.send_handshake_raw(msg, raw, checks, true);
    }

    /// Like `send_handshake` but for messages kept out of the transcript (NewSessionTicket,
    /// KeyUpdate, HelloRequest) or whose bytes were built by the caller.
    pub fn send_handshake_raw(
        &mut self,
        msg: HandshakeMessage,
        raw: Vec<u8>,
        checks: Vec<Check>,
        in_transcript: bool,
    ) {
        if in_transcript {
            // The handshake's Finished only: a post-handshake one (RFC 8446 §4.4) has
            // another base key.
            if matches!(msg, HandshakeMessage::Finished(_)) && !self.established {
                self.report_finished(self.side);
            }
            self.transcript.update(&raw);
        }
        let encrypted = self.rl.writing_encrypted();
        self.rl.send(ContentType::HANDSHAKE, &raw);
        self.report_sent_records();
        self.emit(Event::Handshake {
            dir: Dir::Out,
            msg: Box::new(msg),
            raw,
            encrypted,
            checks,
        });
    }

    pub fn send_ccs(&mut self, middlebox: bool) {
        self.rl.send(ContentType::CHANGE_CIPHER_SPEC, &[1]);
        self.report_sent_records();
        self.emit(Event::ChangeCipherSpec {
            dir: Dir::Out,
            middlebox,
        });
    }

    pub fn send_alert(&mut self, level: AlertLevel, description: Alert) {
        self.rl
            .send(ContentType::ALERT, &[level.to_u8(), description.to_u8()]);
        self.report_sent_records();
        self.emit(Event::Alert {
            dir: Dir::Out,
            level,
            description,
        });
    }

    /// With record logging on, reports the records just sent for `data` (the byte view),
    /// pairing each with the plaintext chunk it carries.
    pub fn report_sent_records(&mut self) {
        if !self.rl.log_records {
            return;
        }
        let mut plains = std::mem::take(&mut self.rl.sent_plain).into_iter();
        for (content_type, raw, encrypted) in std::mem::take(&mut self.rl.sent) {
            let plain = plains.next().unwrap_or_default();
            let version = ProtocolVersion(u16::from_be_bytes([raw[1], raw[2]]));
            self.emit(Event::Record {
                dir: Dir::Out,
                content_type,
                version,
                raw,
                encrypted,
                plaintext: Some(plain),
            });
        }
    }

    /// Reports how the next Finished (sent by `sender`) is computed: the transcript hash,
    /// the finished key (TLS 1.3) and the verify_data.
    fn report_finished(&mut self, sender: Side) {
        let Some(base) = self.finished_base.take() else {
            return;
        };
        let key = base.key();
        let hash = key.hash();
        let side = sender.name();
        // The values only go into the events when secrets are revealed: otherwise the same
        // events are reported without computing them (the role computes the real Finished).
        let reveal = self.reveal_secrets;
        let computed = |value: &dyn Fn() -> Vec<u8>| if reveal { value() } else { vec![] };
        let th = computed(&|| self.transcript.hash(hash));
        let vd = computed(&|| key.verify_data(sender, &th));
        match key.handshake_secret(sender) {
            None => {
                self.key_event(
                    &format!("{side} Finished transcript hash"),
                    format!("{}(handshake messages so far)", hash.name()),
                    None,
                    &th,
                );
                self.key_event(
                    &format!("{side} Finished verify_data"),
                    format!(
                        "PRF-{}(master_secret, \"{}\", transcript hash), 12 bytes",
                        hash.name(),
                        finished::label12(sender)
                    ),
                    None,
                    &vd,
                );
            }
            Some(secret) => {
                let fk = computed(&|| {
                    crate::crypto::key_schedule::hkdf_expand_label(
                        hash,
                        secret,
                        "finished",
                        &[],
                        hash.output_len(),
                    )
                });
                self.key_event(
                    &format!("{side} Finished transcript hash"),
                    format!("{}(ClientHello..before this Finished)", hash.name()),
                    None,
                    &th,
                );
                self.key_event(
                    &format!("{side} finished_key"),
                    format!(
                        "HKDF-Expand-Label({side}_handshake_traffic_secret, \"finished\", \"\", {})",
                        hash.output_len()
                    ),
                    None,
                    &fk,
                );
                self.key_event(
                    &format!("{side} Finished verify_data"),
                    format!("HMAC-{}({side} finished_key, transcript hash)", hash.name()),
                    None,
                    &vd,
                );
            }
        }
        self.finished_base = Some(base);
    }

    /// Reports a derived secret; its value only when secrets are revealed.
    pub fn key_event(
        &mut self,
        label: &str,
        derivation: String,
        keylog_label: Option<&'static str>,
        secret: &[u8],
    ) {
        let secret = self.reveal_secrets.then(|| secret.to_vec());
        self.emit(Event::Keys(KeyEvent {
            label: label.to_string(),
            derivation,
            keylog_label,
            secret,
        }));
    }

    pub fn hash_of_transcript(&self, h: HashAlg) -> Vec<u8> {
        self.transcript.hash(h)
    }
}

/// A received handshake message, decoded, with its bytes.
pub struct Incoming {
    pub msg: HandshakeMessage,
    pub raw: Vec<u8>,
    pub encrypted: bool,
}

impl Incoming {
    /// Reports this message as received, with the checks made on it.
    pub fn report(&self, common: &mut Common, checks: Vec<Check>) {
        common.emit(Event::Handshake {
            dir: Dir::In,
            msg: Box::new(self.msg.clone()),
            raw: self.raw.clone(),
            encrypted: self.encrypted,
            checks,
        });
    }
}

/// The role-specific half of a connection.
trait Role {
    /// Whether a handshake message of type `typ` may come now. Checked before decoding, so
    /// a message out of order is unexpected_message whatever its body (RFC 5246 §7.4,
    /// RFC 8446 §4), not a decode_error of a body meant for another type.
    fn expects(&self, _c: &Common, _typ: HandshakeType) -> bool {
        true
    }
    fn handle_handshake(&mut self, c: &mut Common, m: Incoming) -> Result<(), TlsError>;
    fn handle_ccs(&mut self, c: &mut Common) -> Result<(), TlsError>;
    /// The application traffic secrets, once a TLS 1.3 handshake is complete.
    fn application_secrets(&mut self) -> Option<&mut key_update::ApplicationSecrets>;
}

enum RoleState {
    Client(Box<client::ClientState>),
    Server(Box<server::ServerState>),
}

/// One TLS connection, client or server.
pub struct Connection {
    common: Common,
    role: RoleState,
    /// Output queued before record logging was switched on (a client's first flight).
    early_output: Vec<u8>,
}

impl Connection {
    /// A client connection; the ClientHello is queued for sending at once.
    pub fn client(config: ClientConfig, rng: TlsRng) -> Result<Connection, TlsError> {
        let mut common = Common::new(rng, Side::Client, config.reveal_secrets);
        common.rl.split_cbc = config.split_records;
        let state = client::ClientState::start(config, &mut common)?;
        Ok(Connection {
            common,
            role: RoleState::Client(Box::new(state)),
            early_output: vec![],
        })
    }

    /// A server connection waiting for a ClientHello.
    pub fn server(config: Arc<ServerConfig>, rng: TlsRng) -> Connection {
        let mut common = Common::new(rng, Side::Server, config.reveal_secrets);
        common.rl.split_cbc = config.split_records;
        // RFC 8446 §5.1: every record but the initial ClientHello carries 0x0303, including
        // an alert sent before the version is negotiated.
        common.rl.write_version = ProtocolVersion::TLS12;
        Connection {
            common,
            role: RoleState::Server(Box::new(server::ServerState::new(config))),
            early_output: vec![],
        }
    }

    /// Records kept for the byte view when enabled.
    /// Records already queued (a client's ClientHello) are reported at once, ahead of the
    /// events about them.
    pub fn set_log_records(&mut self, on: bool) {
        if on && !self.common.rl.log_records {
            let out = self.common.rl.take_output();
            for (at, (header, raw)) in crate::wire::record::split_records(&out).enumerate() {
                // A client's 0-RTT data (RFC 8446 §2.3) is already protected.
                let encrypted = header.content_type == ContentType::APPLICATION_DATA;
                self.common.events.insert(
                    at,
                    Event::Record {
                        dir: Dir::Out,
                        content_type: header.content_type,
                        version: header.version,
                        plaintext: (!encrypted)
                            .then(|| raw[crate::wire::record::HEADER_LEN..].to_vec()),
                        raw: raw.to_vec(),
                        encrypted,
                    },
                );
            }
            self.early_output.extend(out);
        }
        self.common.rl.log_records = on;
    }

    /// Processes received bytes. On a protocol error the alert is queued for sending,
    /// the error is returned, and the connection accepts nothing more.
    pub fn feed(&mut self, data: &[u8]) -> Result<(), TlsError> {
        if self.common.failed {
            return Err(TlsError::internal("connection already failed"));
        }
        self.common.rl.push_input(data);
        let r = self.process();
        if let Err(e) = &r {
            self.fail(e);
        }
        r
    }

    fn fail(&mut self, e: &TlsError) {
        self.common.failed = true;
        if !e.received && !self.common.sent_close {
            self.common.send_alert(AlertLevel::Fatal, e.alert);
            self.common.sent_close = true;
        }
    }

    fn process(&mut self) -> Result<(), TlsError> {
        while !self.common.failed {
            let Some(rec) = self.common.rl.next_record()? else {
                break;
            };
            if self.common.rl.log_records {
                self.common.emit(Event::Record {
                    dir: Dir::In,
                    content_type: rec.content_type,
                    version: rec.version,
                    raw: rec.raw.clone(),
                    encrypted: rec.encrypted,
                    plaintext: rec.encrypted.then(|| rec.data.clone()),
                });
            }
            if self.common.received_close {
                // RFC 8446 §6.1: data after close_notify is ignored.
                continue;
            }
            let progress = rec.content_type == ContentType::HANDSHAKE
                || (rec.content_type == ContentType::APPLICATION_DATA && !rec.data.is_empty());
            if progress {
                alerts::progress(&mut self.common);
            }
            match rec.content_type {
                ContentType::HANDSHAKE => self.handle_handshake_record(&rec.data, rec.encrypted)?,
                ContentType::CHANGE_CIPHER_SPEC => self.handle_ccs_record(&rec.data)?,
                ContentType::ALERT => {
                    // The record layer lets an unprotected alert through during the TLS 1.3
                    // handshake only; afterwards it is refused (RFC 8446 §5).
                    if !rec.encrypted
                        && self.common.rl.reading_encrypted()
                        && self.common.established
                    {
                        return Err(TlsError::unexpected(
                            "unprotected alert record after the keys changed",
                        ));
                    }
                    alerts::receive(&mut self.common, &rec.data)?
                }
                ContentType::APPLICATION_DATA => self.handle_app_data(rec.data)?,
                t => {
                    return Err(TlsError::unexpected(format!("unexpected {t} record")));
                }
            }
        }
        Ok(())
    }

    /// A handshake record: its data joins any partial message, and each whole message is
    /// checked against the state, decoded, checked against the record boundary (one that
    /// precedes a key change must end its record) and handed to the role.
    fn handle_handshake_record(&mut self, data: &[u8], encrypted: bool) -> Result<(), TlsError> {
        self.common.hs_buf.extend_from_slice(data);
        let msgs = split_messages(&mut self.common.hs_buf)?;
        let count = msgs.len();
        for (at, (typ, body, raw)) in msgs.into_iter().enumerate() {
            let expected = match &self.role {
                RoleState::Client(s) => s.expects(&self.common, typ),
                RoleState::Server(s) => s.expects(&self.common, typ),
            };
            if !expected {
                return Err(TlsError::unexpected(format!(
                    "unexpected {typ} message at this point of the handshake"
                )));
            }
            let ctx = DecodeContext {
                version: self.common.version.unwrap_or(ProtocolVersion::TLS12),
                kx: self.common.kx,
            };
            let msg = HandshakeMessage::decode(typ, &body, ctx)?;
            // RFC 8446 §5.1: whatever follows this message was in the same record, as a
            // whole message still to be handled or the start of one in `hs_buf`.
            let more_follows = at + 1 < count || !self.common.hs_buf.is_empty();
            record_boundary::check(&msg, self.common.tls13(), more_follows)?;
            if matches!(msg, HandshakeMessage::Finished(_)) && !self.common.established {
                self.common.report_finished(self.common.side.peer());
            }
            let inc = Incoming {
                msg,
                raw,
                encrypted,
            };
            match &mut self.role {
                RoleState::Client(s) => s.handle_handshake(&mut self.common, inc)?,
                RoleState::Server(s) => s.handle_handshake(&mut self.common, inc)?,
            }
        }
        Ok(())
    }

    /// A ChangeCipherSpec record: the single byte 1, between handshake messages (RFC 5246
    /// §7.1, RFC 8446 §5), handed to the role.
    fn handle_ccs_record(&mut self, data: &[u8]) -> Result<(), TlsError> {
        if data != [1] {
            return Err(TlsError::unexpected(
                "ChangeCipherSpec is not the single byte 0x01",
            ));
        }
        if !self.common.hs_buf.is_empty() {
            return Err(TlsError::unexpected(
                "ChangeCipherSpec in the middle of a handshake message",
            ));
        }
        match &mut self.role {
            RoleState::Client(s) => s.handle_ccs(&mut self.common),
            RoleState::Server(s) => s.handle_ccs(&mut self.common),
        }
    }

    /// Application data, only once established and not inside a handshake message.
    fn handle_app_data(&mut self, data: Vec<u8>) -> Result<(), TlsError> {
        if !self.common.established && self.common.early_data_left.is_some() {
            return server::receive_early_data(&mut self.common, data);
        }
        if !self.common.established {
            return Err(TlsError::unexpected(
                "application data before the handshake completed",
            ));
        }
        if !self.common.hs_buf.is_empty() {
            return Err(TlsError::unexpected(
                "application data interleaved with a handshake message",
            ));
        }
        if !data.is_empty() {
            self.common.emit(Event::AppData { dir: Dir::In, data });
        }
        Ok(())
    }

    pub fn take_output(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.early_output);
        out.extend(self.common.rl.take_output());
        out
    }

    pub fn has_output(&self) -> bool {
        !self.early_output.is_empty() || self.common.rl.has_output()
    }

    /// Records we sent since the last call (only when record logging is on).
    pub fn take_sent_records(&mut self) -> Vec<(ContentType, Vec<u8>, bool)> {
        self.common.rl.sent_plain.clear();
        std::mem::take(&mut self.common.rl.sent)
    }

    pub fn next_event(&mut self) -> Option<Event> {
        self.common.events.pop_front()
    }

    /// Sends application data (after the handshake).
    pub fn send_data(&mut self, data: &[u8]) -> Result<(), TlsError> {
        if !self.common.established || self.common.failed || self.common.sent_close {
            return Err(TlsError::internal(
                "cannot send application data: the connection is not open",
            ));
        }
        self.common.rl.send(ContentType::APPLICATION_DATA, data);
        self.common.report_sent_records();
        self.common.emit(Event::AppData {
            dir: Dir::Out,
            data: data.to_vec(),
        });
        Ok(())
    }

    /// Sends application data in one CBC record whose padding is `padding` instead of the
    /// correct one (`RecordLayer::send_with_padding`, RFC 5246 §6.2.3.2): scan's probe of
    /// a server's padding check (poodle_tls).
    pub fn send_data_with_padding(&mut self, data: &[u8], padding: &[u8]) -> Result<(), TlsError> {
        if !self.common.established || self.common.failed || self.common.sent_close {
            return Err(TlsError::internal(
                "cannot send application data: the connection is not open",
            ));
        }
        self.common
            .rl
            .send_with_padding(ContentType::APPLICATION_DATA, data, padding)
    }

    /// Queues close_notify (once).
    pub fn close(&mut self) {
        if !self.common.sent_close && !self.common.failed {
            self.common.sent_close = true;
            self.common
                .send_alert(AlertLevel::Warning, Alert::CloseNotify);
        }
    }

    /// Client, TLS 1.0-1.2: sends a renegotiating ClientHello (RFC 5246 §7.4.1.2, RFC 5746
    /// §3.5) over the established connection; the server's ServerHello is reported as a
    /// received handshake message, its refusal as an alert. Scan's client_renegotiation
    /// check; the renegotiation is not completed.
    pub fn request_renegotiation(&mut self) -> Result<(), TlsError> {
        match &mut self.role {
            RoleState::Client(s) if !self.common.failed && !self.common.sent_close => {
                s.request_renegotiation(&mut self.common)
            }
            _ => Err(TlsError::internal(
                "renegotiation needs an open client connection",
            )),
        }
    }

    /// TLS 1.3: sends a KeyUpdate and switches our sending keys (RFC 8446 §4.6.3).
    pub fn key_update(&mut self, request_peer: bool) -> Result<(), TlsError> {
        let secrets = match &mut self.role {
            RoleState::Client(s) => s.application_secrets(),
            RoleState::Server(s) => s.application_secrets(),
        };
        match secrets {
            Some(s) if self.common.established => s.send(&mut self.common, request_peer),
            _ => Err(TlsError::internal(
                "KeyUpdate needs an established TLS 1.3 connection",
            )),
        }
    }

    /// Server, TLS 1.3: asks for the client's certificate after the handshake (RFC 8446
    /// §4.6.2), when the client offered post_handshake_auth (otherwise a warning event says
    /// why not). Whether a CertificateRequest was queued; its answer is taken as it arrives
    /// (`post_handshake_auth_pending`).
    pub fn request_client_certificate(&mut self) -> bool {
        match &mut self.role {
            RoleState::Server(s) if !self.common.failed => {
                s.request_client_certificate(&mut self.common)
            }
            _ => false,
        }
    }

    /// Server: whether a post-handshake CertificateRequest still awaits the client's
    /// Certificate, CertificateVerify and Finished.
    pub fn post_handshake_auth_pending(&self) -> bool {
        match &self.role {
            RoleState::Server(s) => s.post_handshake_auth_pending(),
            RoleState::Client(_) => false,
        }
    }

    pub fn is_established(&self) -> bool {
        self.common.established
    }

    pub fn is_failed(&self) -> bool {
        self.common.failed
    }

    pub fn peer_closed(&self) -> bool {
        self.common.received_close
    }

    pub fn sent_close(&self) -> bool {
        self.common.sent_close
    }

    pub fn version(&self) -> Option<ProtocolVersion> {
        self.common.version
    }

    /// The newest resumable session (client side).
    pub fn session(&self) -> Option<ClientSession> {
        match &self.role {
            RoleState::Client(s) => s.session(),
            RoleState::Server(_) => None,
        }
    }

    /// What the handshake negotiated, once it completed (the `summary` event's content).
    pub fn summary(&self) -> Option<&crate::event::Summary> {
        self.common.outcome.summary.as_ref()
    }

    /// How the peer's certificate chain was judged (the `verify` event's content); None when
    /// no verifier checked one in this handshake.
    pub fn chain_check(&self) -> Option<&config::ChainCheck> {
        self.common.outcome.chain_check.as_ref()
    }

    /// The ClientHello received (server side), for describing the client.
    pub fn client_hello(&self) -> Option<&crate::wire::handshake::ClientHello> {
        match &self.role {
            RoleState::Server(s) => s.client_hello(),
            RoleState::Client(_) => None,
        }
    }
}

/// Names a handshake message type for "expected X, got Y" errors.
pub fn unexpected(expected: &str, got: &HandshakeMessage) -> TlsError {
    TlsError::unexpected(format!("expected {expected}, received {}", got.name()))
}

/// Our own record of a handshake type, for messages handled outside the transcript.
pub fn is_post_handshake(t: HandshakeType) -> bool {
    matches!(
        t,
        HandshakeType::NEW_SESSION_TICKET | HandshakeType::KEY_UPDATE
    )
}
