//! KeyUpdate, both roles (RFC 8446 §4.6.3, §7.2): sending ours, which switches our write
//! keys, and taking the peer's, which switches our read keys and, when asked, sends ours.

use super::finished::FinishedKey;
use super::install::{install_secret, Stage};
use super::keys::{self, Tls13Secrets};
use super::side::Side;
use super::suite_params::SuiteParams;
use super::{Common, Incoming};
use crate::error::TlsError;
use crate::event::{Check, CheckKind};
use crate::wire::handshake::HandshakeMessage;

/// The application traffic secrets of an established TLS 1.3 connection, each side's
/// current one.
pub struct ApplicationSecrets {
    p: SuiteParams,
    client: Vec<u8>,
    server: Vec<u8>,
}

impl ApplicationSecrets {
    /// Keeps the application traffic secrets of a completed handshake.
    pub fn new(s: Tls13Secrets) -> ApplicationSecrets {
        ApplicationSecrets {
            p: s.p,
            client: s.client_app,
            server: s.server_app,
        }
    }

    /// The suite of the connection.
    pub fn params(&self) -> SuiteParams {
        self.p
    }

    /// The key of a post-handshake Finished (RFC 8446 §4.4: its base key is the current
    /// client_application_traffic_secret_N, whichever side computes it).
    pub fn post_handshake_finished_key(&self) -> FinishedKey<'_> {
        FinishedKey::Tls13 {
            hash: self.p.hash,
            client_hs: &self.client,
            server_hs: &self.server,
        }
    }

    /// Sends a KeyUpdate (`request_peer`: update_requested) and switches our write keys.
    pub fn send(&mut self, c: &mut Common, request_peer: bool) -> Result<(), TlsError> {
        let msg = HandshakeMessage::KeyUpdate(request_peer as u8);
        let raw = msg.encode();
        c.send_handshake_raw(msg, raw, vec![], false);
        self.next(c, c.side)
    }

    /// The peer's KeyUpdate (`m`, with `req` its request_update): its next keys, and ours
    /// too when it asks. It ended its record (RFC 8446 §5.1, `record_boundary`).
    pub fn receive(&mut self, c: &mut Common, m: &Incoming, req: u8) -> Result<(), TlsError> {
        let updated = CheckKind::KeyUpdated {
            peer: c.side.peer(),
            update_requested: req == 1,
        };
        m.report(c, vec![Check::pass(updated)]);
        self.next(c, c.side.peer())?;
        if req == 1 {
            self.send(c, false)?;
        }
        Ok(())
    }

    /// `side`'s next application traffic secret, its keys installed.
    fn next(&mut self, c: &mut Common, side: Side) -> Result<(), TlsError> {
        let secret = match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        };
        keys::next_application_secret(c, &self.p, secret, side);
        install_secret(c, &self.p, secret, side, Stage::Application)
    }
}
