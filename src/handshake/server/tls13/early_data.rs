//! 0-RTT on the server (RFC 8446 §2.3, §4.2.10, §8): whether a ClientHello's early data is
//! accepted (single-use tickets), the client_early_traffic_secret that protects it (§7.1),
//! the early data itself, bounded by max_early_data_size, and the EndOfEarlyData (§4.5).

use super::states::{ExpectCertificate, ExpectFinished, Handshake13};
use crate::crypto::key_schedule as ks;
use crate::error::TlsError;
use crate::event::{Check, CheckKind, Dir, EarlyData, EarlyDataRefusal, Event, Info};
use crate::handshake::config::ServerConfig;
use crate::handshake::install::{install, install_early, Stage};
use crate::handshake::record_layer::MAX_SKIPPED_EARLY_DATA;
use crate::handshake::server::hello::client_ext;
use crate::handshake::server::State;
use crate::handshake::session::now_ms;
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::{Common, Incoming, Side};
use crate::wire::codepoints::ExtensionType as ET;
use crate::wire::extensions::ExtBody;
use crate::wire::handshake::ClientHello;

/// How far the client's idea of the ticket's age may be from ours (RFC 8446 §8.3).
const AGE_WINDOW_MS: i64 = 10_000;

/// What a ClientHello's early_data gets.
pub(in crate::handshake::server) enum Decision {
    /// The client offered no early data.
    NotOffered,
    Accept(Accepted),
    Refuse(EarlyDataRefusal),
}

/// Accepted 0-RTT: the client_early_traffic_secret and how much data may come.
pub(in crate::handshake::server) struct Accepted {
    secret: Vec<u8>,
    max: u32,
}

/// RFC 8446 §4.2.10: early data is accepted only with our ticket as the first PSK identity,
/// a ticket issued with early_data, the ticket's cipher suite and ALPN protocol, a plausible
/// ticket age (§8.3), and only the first time the ticket is used (§8.1). `psk` is the
/// resumed session's PSK when the first identity was accepted.
pub(super) fn decide(
    c: &Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
    p: &SuiteParams,
    alpn: Option<&[u8]>,
    psk: Option<&[u8]>,
) -> Decision {
    if client_ext(ch, ET::EARLY_DATA).is_none() {
        return Decision::NotOffered;
    }
    match check(c, config, m, ch, p, alpn, psk) {
        Ok(a) => Decision::Accept(a),
        Err(r) => Decision::Refuse(r),
    }
}

fn check(
    c: &Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
    p: &SuiteParams,
    alpn: Option<&[u8]>,
    psk: Option<&[u8]>,
) -> Result<Accepted, EarlyDataRefusal> {
    use EarlyDataRefusal as R;
    config.max_early_data.ok_or(R::NotEnabled)?;
    let psk = psk.ok_or(R::NotResumed)?;
    let Some(ExtBody::PreSharedKeyClient { identities, .. }) = client_ext(ch, ET::PRE_SHARED_KEY)
    else {
        return Err(R::NotResumed);
    };
    let first = &identities[0];
    let s = config
        .sessions
        .open_ticket(&first.identity)
        .ok_or(R::NotResumed)?;
    if s.max_early_data == 0 {
        return Err(R::TicketWithoutEarlyData);
    }
    if s.suite != p.suite || s.alpn != alpn.unwrap_or_default() {
        return Err(R::ParametersChanged);
    }
    // RFC 8446 §8.3: the client's view of the ticket age against ours.
    let now = now_ms();
    let client_age = first.obfuscated_ticket_age.wrapping_sub(s.age_add) as i64;
    let our_age = now.saturating_sub(s.created_ms) as i64;
    if (client_age - our_age).abs() > AGE_WINDOW_MS {
        return Err(R::TicketAge);
    }
    // RFC 8446 §8.1: single use, checked last so that only an acceptance uses it up.
    let expires = s.created_ms + u64::from(s.lifetime) * 1000;
    if !config
        .sessions
        .early_data_claims
        .claim(&first.identity, now, expires)
    {
        return Err(R::Replay);
    }
    // RFC 8446 §7.1: client_early_traffic_secret = Derive-Secret(early_secret, "c e traffic",
    // ClientHello).
    let mut t = c.transcript.clone();
    t.update(&m.raw);
    let early = ks::early_secret(p.hash, Some(psk));
    let secret = ks::derive_secret(p.hash, &early, "c e traffic", &t.hash(p.hash));
    Ok(Accepted {
        secret,
        max: s.max_early_data,
    })
}

/// Before the server's flight: what the Summary and EncryptedExtensions will say (§4.2.10).
pub(super) fn announce(c: &mut Common, d: &Decision) {
    // Without early_data in this hello, a refusal before a HelloRetryRequest stands.
    match d {
        Decision::NotOffered => {}
        Decision::Accept(_) => c.early_data = Some(EarlyData::Accepted),
        Decision::Refuse(_) => c.early_data = Some(EarlyData::Rejected),
    }
}

/// After the server's flight: accepted early data is read with the client's early keys
/// until its EndOfEarlyData (RFC 8446 §2.3); refused early data is skipped (the record
/// layer, bounded by max_early_data_size or our own cap) and the reason reported.
pub(super) fn begin(
    c: &mut Common,
    config: &ServerConfig,
    state: State,
    d: Decision,
) -> Result<State, TlsError> {
    let a = match d {
        Decision::NotOffered => return Ok(state),
        Decision::Refuse(reason) => {
            refuse(c, config, reason);
            return Ok(state);
        }
        Decision::Accept(a) => a,
    };
    let (hs, requested) = match state {
        State::ExpectFinished13(ExpectFinished { hs }) => (hs, false),
        State::ExpectCertificate13(ExpectCertificate { hs }) => (hs, true),
        other => return Ok(other),
    };
    c.key_event(
        "client_early_traffic_secret",
        "Derive-Secret(early_secret, \"c e traffic\", ClientHello)".into(),
        Some("CLIENT_EARLY_TRAFFIC_SECRET"),
        &a.secret,
    );
    install_early(c, &hs.secrets.p, &a.secret)?;
    c.rl.skip_early_data = None;
    c.early_data_left = Some(a.max as usize);
    Ok(State::ExpectEndOfEarlyData13(ExpectEndOfEarlyData {
        hs,
        requested,
        max: a.max as usize,
    }))
}

/// Refused early data: reported, and skipped up to max_early_data_size (at least our
/// default cap), RFC 8446 §4.2.10.
pub(super) fn refuse(c: &mut Common, config: &ServerConfig, reason: EarlyDataRefusal) {
    c.early_data = Some(EarlyData::Rejected);
    if c.rl.skip_early_data.is_some() {
        let limit = config.max_early_data.unwrap_or(0) as usize;
        c.rl.skip_early_data = Some(limit.max(MAX_SKIPPED_EARLY_DATA));
    }
    c.emit(Event::Info(Info::EarlyDataRejected { reason }));
}

/// Accepted early data, before the client's EndOfEarlyData: application data within
/// max_early_data_size (RFC 8446 §4.2.10: more "SHOULD abort the handshake with an
/// unexpected_message alert").
pub(in crate::handshake) fn receive(c: &mut Common, data: Vec<u8>) -> Result<(), TlsError> {
    if !c.hs_buf.is_empty() {
        return Err(TlsError::unexpected(
            "early data interleaved with a handshake message",
        ));
    }
    let left = c.early_data_left.unwrap_or(0);
    if data.len() > left {
        return Err(TlsError::unexpected(
            "the client sent more early data than the ticket's max_early_data_size (RFC 8446 §4.2.10)",
        ));
    }
    c.early_data_left = Some(left - data.len());
    if !data.is_empty() {
        c.emit(Event::Info(Info::EarlyDataReceived {
            bytes: data.len(),
            start: data[..data.len().min(64)].to_vec(),
        }));
        c.emit(Event::AppData { dir: Dir::In, data });
    }
    Ok(())
}

/// 0-RTT accepted: early data, then the client's EndOfEarlyData (RFC 8446 §4.5).
pub(in crate::handshake::server) struct ExpectEndOfEarlyData {
    hs: Handshake13,
    /// We asked for a client certificate: its Certificate comes after.
    requested: bool,
    max: usize,
}

impl ExpectEndOfEarlyData {
    /// The end of the early data: from here the client's handshake keys (RFC 8446 §4.5).
    pub(in crate::handshake::server) fn handle(
        self,
        c: &mut Common,
        m: &Incoming,
    ) -> Result<State, TlsError> {
        let bytes = self.max - c.early_data_left.take().unwrap_or(0);
        m.report(c, vec![Check::pass(CheckKind::EarlyDataAccepted { bytes })]);
        c.transcript.update(&m.raw);
        install(c, &self.hs.secrets, Side::Client, Stage::Handshake)?;
        let hs = self.hs;
        Ok(if self.requested {
            State::ExpectCertificate13(ExpectCertificate { hs })
        } else {
            State::ExpectFinished13(ExpectFinished { hs })
        })
    }
}
