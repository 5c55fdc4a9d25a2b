//! The TLS 1.3 server's PSK choice (RFC 8446 §4.2.9, §4.2.11): an external PSK named by its
//! identity or one of our tickets, the key exchange mode, and the binder (§4.2.11.2).

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::crypto::hash::HashAlg;
use crate::crypto::key_schedule as ks;
use crate::error::{Alert, TlsError};
use crate::handshake::config::ServerConfig;
use crate::handshake::psk::{self, PskKind, PskUse};
use crate::handshake::server::hello::client_ext;
use crate::handshake::suite_params::{self, SuiteParams};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{ExtensionType as ET, ProtocolVersion, PskKeyExchangeMode};
use crate::wire::extensions::{ExtBody, PskIdentity};
use crate::wire::handshake::ClientHello;

/// The PSK the server goes on with.
pub(super) struct ChosenPsk {
    /// Its position in the client's list (the ServerHello's selected_identity).
    pub index: u16,
    pub secret: Zeroizing<Vec<u8>>,
    pub mode: PskKeyExchangeMode,
    pub usage: PskUse,
}

/// A PSK we know for one of the client's identities.
struct Known {
    secret: Zeroizing<Vec<u8>>,
    hash: HashAlg,
    kind: PskKind,
    /// The mode we prefer with it.
    preferred: PskKeyExchangeMode,
}

/// The client's PSK offer: identities, binders and key exchange modes.
type Offer<'a> = (&'a [PskIdentity], &'a [Vec<u8>], &'a [PskKeyExchangeMode]);

/// The client's identities, binders and modes, when it offers a PSK.
fn offer(ch: &ClientHello) -> Option<Offer<'_>> {
    match (
        client_ext(ch, ET::PRE_SHARED_KEY),
        client_ext(ch, ET::PSK_KEY_EXCHANGE_MODES),
    ) {
        (
            Some(ExtBody::PreSharedKeyClient {
                identities,
                binders,
            }),
            Some(ExtBody::PskKeyExchangeModes(modes)),
        ) => Some((identities, binders, modes)),
        _ => None,
    }
}

/// Our external PSK named by `id`, or the TLS 1.3 session sealed in our ticket `id`.
fn known(config: &ServerConfig, id: &PskIdentity) -> Option<Known> {
    if let Some(ext) = config.psk.as_ref().filter(|p| p.named(&id.identity)) {
        return Some(Known {
            secret: ext.key.clone(),
            hash: ext.hash(),
            kind: PskKind::External,
            preferred: ext.mode,
        });
    }
    let s = config
        .sessions
        .open_ticket(&id.identity)
        .filter(|s| s.version == ProtocolVersion::TLS13)?;
    Some(Known {
        hash: suite_params::params(s.suite)?.hash,
        secret: Zeroizing::new(s.secret),
        kind: PskKind::Resumption,
        preferred: PskKeyExchangeMode::PSK_DHE_KE,
    })
}

/// The hash of the first PSK the client offers that we know: the suite is chosen to fit it
/// (RFC 8446 §4.2.11: the PSK's hash must be the suite's).
pub(super) fn preferred_hash(config: &ServerConfig, ch: &ClientHello) -> Option<HashAlg> {
    let (identities, _, _) = offer(ch)?;
    identities
        .iter()
        .find_map(|id| known(config, id).map(|k| k.hash))
}

/// The first identity we know with this suite's hash and a mode both sides allow
/// (psk_dhe_ke needs the client's key_share, `can_dhe`). Its binder must verify
/// (§4.2.11.2: HMAC over the ClientHello up to the binders): decrypt_error otherwise.
/// Unknown identities are skipped: without one we know, a full handshake follows.
pub(super) fn choose(
    c: &Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
    p: &SuiteParams,
    can_dhe: bool,
) -> Result<Option<ChosenPsk>, TlsError> {
    let Some((identities, binders, modes)) = offer(ch) else {
        return Ok(None);
    };
    let found = identities.iter().enumerate().find_map(|(i, id)| {
        let k = known(config, id).filter(|k| k.hash == p.hash)?;
        let mode = psk::server_mode(k.preferred, modes, can_dhe)?;
        Some((i, k, mode))
    });
    let Some((i, k, mode)) = found else {
        return Ok(None);
    };
    let binders_len: usize = 2 + binders.iter().map(|b| 1 + b.len()).sum::<usize>();
    let truncated = &m.raw[..m.raw.len() - binders_len];
    let mut t = c.transcript.clone();
    t.update(truncated);
    let early = Zeroizing::new(ks::early_secret(p.hash, Some(&k.secret)));
    let bk = Zeroizing::new(ks::binder_key(p.hash, &early, k.kind == PskKind::External));
    let expected = ks::finished_verify_data(p.hash, &bk, &t.hash(p.hash));
    let binder = &binders[i];
    if (binder.len() != expected.len() || !bool::from(expected.ct_eq(binder)))
        && !crate::crypto::fuzzing::ON
    {
        return Err(TlsError::new(
            Alert::DecryptError,
            format!("the binder of PSK identity {i} does not verify (RFC 8446 §4.2.11)"),
        ));
    }
    let usage = match (k.kind, config.psk.as_ref()) {
        (PskKind::External, Some(ext)) => PskUse::external(ext, Some(mode)),
        _ => PskUse::resumption(mode),
    };
    Ok(Some(ChosenPsk {
        index: i as u16,
        secret: k.secret,
        mode,
        usage,
    }))
}
