//! Installing TLS 1.3 traffic keys in the record layer (RFC 8446 §7.3): one side's traffic
//! secret of a stage becomes our write keys when the side is ours, our read keys when it is
//! the peer's.

use super::keys::{self, Tls13Secrets};
use super::side::Side;
use super::suite_params::SuiteParams;
use super::Common;
use crate::error::TlsError;

/// The stages of the TLS 1.3 key schedule whose traffic secrets protect records (RFC 8446
/// §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Handshake,
    Application,
}

/// The name a traffic secret's keys are reported under.
fn traffic_name(side: Side, stage: Stage) -> &'static str {
    match (side, stage) {
        (Side::Client, Stage::Handshake) => "client_handshake_traffic",
        (Side::Server, Stage::Handshake) => "server_handshake_traffic",
        (Side::Client, Stage::Application) => "client_application_traffic",
        (Side::Server, Stage::Application) => "server_application_traffic",
    }
}

/// Installs the keys of `secret`, `side`'s traffic secret of `stage`: for writing when `side`
/// is ours, for reading when it is the peer's. Read keys change only after a message that
/// ended its record (RFC 8446 §5.1, checked for every message by `record_boundary`), so no
/// handshake data is pending here.
pub fn install_secret(
    c: &mut Common,
    p: &SuiteParams,
    secret: &[u8],
    side: Side,
    stage: Stage,
) -> Result<(), TlsError> {
    let reading = side != c.side;
    let cipher = keys::cipher13(c, p, secret, traffic_name(side, stage))?;
    if reading {
        c.rl.set_read_cipher(cipher, true);
    } else {
        c.rl.set_write_cipher(cipher, true);
    }
    Ok(())
}

/// Installs `side`'s keys of `stage` from the handshake's secrets.
pub fn install(c: &mut Common, s: &Tls13Secrets, side: Side, stage: Stage) -> Result<(), TlsError> {
    let secret = match (side, stage) {
        (Side::Client, Stage::Handshake) => &s.client_hs,
        (Side::Server, Stage::Handshake) => &s.server_hs,
        (Side::Client, Stage::Application) => &s.client_app,
        (Side::Server, Stage::Application) => &s.server_app,
    };
    install_secret(c, &s.p, secret, side, stage)
}

/// Once the server's Finished is in the transcript (sent or received): the application
/// traffic secrets (RFC 8446 §7.1), and the server's application keys installed.
pub fn application_keys(c: &mut Common, s: &mut Tls13Secrets) -> Result<(), TlsError> {
    keys::tls13_application(c, s);
    install(c, s, Side::Server, Stage::Application)
}

/// 0-RTT (RFC 8446 §7.1, §7.3): the client_early_traffic_secret's keys, the client's for
/// writing its early data, the server's for reading it.
pub fn install_early(c: &mut Common, p: &SuiteParams, secret: &[u8]) -> Result<(), TlsError> {
    let cipher = keys::cipher13(c, p, secret, "client_early_traffic")?;
    match c.side {
        Side::Client => c.rl.set_write_cipher(cipher, true),
        Side::Server => c.rl.set_read_cipher(cipher, true),
    }
    Ok(())
}
