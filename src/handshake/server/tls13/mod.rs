//! The TLS 1.3 server (RFC 8446 §4): the ClientHello checks, the choice of suite,
//! certificate, group and key share, HelloRetryRequest (§4.1.4) and PSK resumption with its
//! binder (§4.2.11). `flight` sends the server's flight; `states` holds the states after it;
//! `post_auth` asks for a client certificate after the handshake (§4.6.2).

mod early_data;
mod flight;
pub(super) mod post_auth;
mod psk;
mod states;

use super::certs::{self, certificates};
use super::hello::{choose_alpn, client_ext, client_groups, client_sigalgs};
use super::State;
use crate::crypto::hash::HashAlg;
use crate::crypto::sign::SigningKey;
use crate::error::{Alert, TlsError};
use crate::event::EarlyDataRefusal;
use crate::handshake::config::ServerConfig;
use crate::handshake::groups::server_preference13;
use crate::handshake::record_layer::MAX_SKIPPED_EARLY_DATA;
use crate::handshake::suite_params::{self, SuiteParams};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, NamedGroup, PskKeyExchangeMode, SignatureScheme,
};
use crate::wire::extensions::ExtBody;
use crate::wire::handshake::ClientHello;

pub(in crate::handshake) use early_data::receive as receive_early_data;
pub(super) use early_data::ExpectEndOfEarlyData;
pub(super) use states::{
    ExpectCertificate, ExpectCertificateVerify, ExpectFinished, ExpectRetriedHello,
};

/// What a HelloRetryRequest fixed (RFC 8446 §4.1.4): the second ClientHello must lead to the
/// same suite and bring a share for this group.
#[derive(Clone, Copy)]
pub(super) struct Retry {
    params: SuiteParams,
    group: NamedGroup,
}

/// How the server authenticates itself.
enum ServerAuth {
    /// With an external PSK or a resumed session's (RFC 8446 §4.2.11).
    Psk(psk::ChosenPsk),
    /// With the certificate at `cert_index` in `certs::certificates`, signing with `scheme`.
    Certificate {
        cert_index: usize,
        scheme: SignatureScheme,
    },
}

/// What a ClientHello with a usable key share gets: the ServerHello's choices.
struct Plan<'a> {
    params: SuiteParams,
    /// The group and the client's share; none for psk_ke (RFC 8446 §4.2.9).
    kx: Option<(NamedGroup, &'a [u8])>,
    alpn: Option<Vec<u8>>,
    auth: ServerAuth,
    /// What the client's 0-RTT data gets (RFC 8446 §4.2.10).
    early: early_data::Decision,
}

/// What a TLS 1.3 ClientHello gets.
enum Answer<'a> {
    /// No share for our group: ask for one.
    Retry(Retry),
    Hello(Plan<'a>),
}

/// Answers a TLS 1.3 ClientHello (the first, already checked by `hello::check`, or the one
/// after our HelloRetryRequest, `retry`): a HelloRetryRequest, or the server's flight.
pub(super) fn start(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
    server_name: Option<String>,
    retry: Option<Retry>,
) -> Result<State, TlsError> {
    let answer = decide(c, config, m, ch, retry).inspect_err(|_| m.report(c, vec![]))?;
    match answer {
        Answer::Retry(retry) => {
            flight::send_retry_request(c, m, ch, retry);
            if client_ext(ch, ET::EARLY_DATA).is_some() {
                early_data::refuse(c, config, EarlyDataRefusal::HelloRetry);
            }
            Ok(State::ExpectRetriedHello(ExpectRetriedHello::new(
                ch.clone(),
                retry,
                server_name,
            )))
        }
        Answer::Hello(mut plan) => {
            let early = std::mem::replace(&mut plan.early, early_data::Decision::NotOffered);
            early_data::announce(c, &early);
            let state = flight::send(c, config, m, ch, plan, server_name, retry.is_some())?;
            early_data::begin(c, config, state, early)
        }
    }
}

/// The checks and choices of RFC 8446 §4.1.2-§4.2.11, in the order the errors are reported.
fn decide<'a>(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &'a ClientHello,
    retry: Option<Retry>,
) -> Result<Answer<'a>, TlsError> {
    let params = choose_suite(config, ch, retry, psk::preferred_hash(config, ch))?;
    check_extensions(ch)?;
    check_early_data(c, ch, retry.is_some())?;
    let can_dhe = client_ext(ch, ET::KEY_SHARE).is_some();
    let psk = psk::choose(c, config, m, ch, &params, can_dhe)?;
    if psk
        .as_ref()
        .is_some_and(|p| p.mode == PskKeyExchangeMode::PSK_KE)
    {
        return psk_ke_plan(c, config, m, ch, params, psk);
    }
    let groups = client_groups(ch);
    let shares = client_shares(ch, &groups)?;
    let sigalgs = client_sigalgs(ch);
    // The first certificate whose key can sign with a scheme the client accepts
    // (RFC 8446 §4.4.2.2); the preferred one when none can (refused below).
    let cert_index = certificates(config)
        .position(|ck| ck.key.choose_scheme(&sigalgs, true).is_some())
        .unwrap_or(0);
    // RFC 8446 §4.2.7: our preferred group among the client's (the finite-field groups
    // after the others, `groups::server_preference13`).
    let group = server_preference13(config)
        .into_iter()
        .find(|g| groups.contains(g))
        .ok_or_else(|| {
            TlsError::new(
                Alert::HandshakeFailure,
                "no key-exchange group in common with the client",
            )
        })?;
    if let Some(r) = retry {
        if shares.len() != 1 || shares[0].0 != r.group {
            return Err(TlsError::illegal(format!(
                "after HelloRetryRequest the client must send exactly one key share, for {}",
                r.group
            )));
        }
    }
    let alpn = choose_alpn(config, ch)?;
    let share_for = |want: NamedGroup| shares.iter().find(|(g, _)| *g == want);
    let Some((_, client_share)) =
        share_for(group).or_else(|| retry.and_then(|r| share_for(r.group)))
    else {
        // RFC 8446 §4.1.4: ask for a share of our preferred group.
        return Ok(Answer::Retry(Retry { params, group }));
    };
    let group = retry.map_or(group, |r| r.group);
    let auth = match psk {
        Some(chosen) => ServerAuth::Psk(chosen),
        None => {
            let key = &certs::certificate(config, cert_index).key;
            ServerAuth::Certificate {
                cert_index,
                scheme: choose_scheme(ch, key, &sigalgs)?,
            }
        }
    };
    let early = early_data::decide(c, config, m, ch, &params, alpn.as_deref(), ticket(&auth));
    Ok(Answer::Hello(Plan {
        params,
        kx: Some((group, client_share)),
        alpn,
        auth,
        early,
    }))
}

/// psk_ke (RFC 8446 §4.2.9): no key exchange, so no group or share to choose; key shares the
/// client sent anyway are still checked (§4.2.8).
fn psk_ke_plan<'a>(
    c: &Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &'a ClientHello,
    params: SuiteParams,
    psk: Option<psk::ChosenPsk>,
) -> Result<Answer<'a>, TlsError> {
    if client_ext(ch, ET::KEY_SHARE).is_some() {
        client_shares(ch, &client_groups(ch))?;
    }
    let alpn = choose_alpn(config, ch)?;
    let Some(chosen) = psk else {
        return Err(TlsError::internal("psk_ke without a PSK"));
    };
    let auth = ServerAuth::Psk(chosen);
    let early = early_data::decide(c, config, m, ch, &params, alpn.as_deref(), ticket(&auth));
    Ok(Answer::Hello(Plan {
        params,
        kx: None,
        alpn,
        auth,
        early,
    }))
}

/// The resumption secret 0-RTT may use: only a ticket of ours chosen as the client's first
/// identity (RFC 8446 §4.2.10: early data is protected with the first PSK's keys).
fn ticket(auth: &ServerAuth) -> Option<&[u8]> {
    match auth {
        ServerAuth::Psk(chosen)
            if chosen.index == 0
                && chosen.usage.kind == crate::handshake::psk::PskKind::Resumption =>
        {
            Some(chosen.secret.as_slice())
        }
        _ => None,
    }
}

/// Our first TLS 1.3 suite the client offers; after a HelloRetryRequest it must be the same
/// one as before.
fn choose_suite(
    config: &ServerConfig,
    ch: &ClientHello,
    retry: Option<Retry>,
    psk_hash: Option<HashAlg>,
) -> Result<SuiteParams, TlsError> {
    let offered = || {
        config
            .suites
            .iter()
            .filter_map(|s| suite_params::params(*s))
            .filter(|p| p.tls13 && ch.cipher_suites.contains(&p.suite))
    };
    // A PSK we know fixes the hash (RFC 8446 §4.2.11): a suite of that hash first.
    let p = offered()
        .find(|p| Some(p.hash) == psk_hash)
        .or_else(|| offered().next())
        .ok_or_else(|| {
            TlsError::new(
                Alert::HandshakeFailure,
                "no TLS 1.3 cipher suite in common with the client",
            )
        })?;
    if retry.is_some_and(|r| r.params != p) {
        return Err(TlsError::illegal(
            "the second ClientHello changes the cipher suite choice",
        ));
    }
    Ok(p)
}

/// pre_shared_key last (RFC 8446 §4.2.11), exactly the null compression method (§4.1.2),
/// psk_key_exchange_modes with pre_shared_key (§4.2.9).
fn check_extensions(ch: &ClientHello) -> Result<(), TlsError> {
    if let Some(pos) = ch
        .extensions
        .iter()
        .position(|e| e.typ == ET::PRE_SHARED_KEY)
    {
        if pos != ch.extensions.len() - 1 {
            return Err(TlsError::illegal(
                "pre_shared_key is not the last extension",
            ));
        }
    }
    if ch.compression_methods != [CompressionMethod::NULL] {
        return Err(TlsError::illegal(
            "a TLS 1.3 ClientHello must offer exactly the null compression method",
        ));
    }
    if client_ext(ch, ET::PRE_SHARED_KEY).is_some()
        && client_ext(ch, ET::PSK_KEY_EXCHANGE_MODES).is_none()
    {
        return Err(TlsError::new(
            Alert::MissingExtension,
            "pre_shared_key offered without psk_key_exchange_modes",
        ));
    }
    Ok(())
}

/// RFC 8446 §4.2.10: we never accept 0-RTT. Early data sent with a first ClientHello is
/// skipped (the record layer drops it, bounded); a second ClientHello must not ask for it
/// again (RFC 8446 §4.1.2).
fn check_early_data(c: &mut Common, ch: &ClientHello, retried: bool) -> Result<(), TlsError> {
    let early_data = client_ext(ch, ET::EARLY_DATA).is_some();
    if retried {
        c.rl.skip_early_data = None;
        if early_data {
            return Err(TlsError::illegal(
                "the ClientHello after HelloRetryRequest still offers early_data",
            ));
        }
    } else if early_data {
        c.rl.skip_early_data = Some(MAX_SKIPPED_EARLY_DATA);
    }
    Ok(())
}

/// The client's key shares (RFC 8446 §4.2.8): present, with supported_groups, no obsolete
/// group (§4.2.7), each for a group it supports and none twice.
fn client_shares<'a>(
    ch: &'a ClientHello,
    groups: &[NamedGroup],
) -> Result<&'a [(NamedGroup, Vec<u8>)], TlsError> {
    let shares = match client_ext(ch, ET::KEY_SHARE) {
        Some(ExtBody::KeyShareClient(s)) => s,
        _ => {
            return Err(TlsError::new(
                Alert::MissingExtension,
                "TLS 1.3 ClientHello without key_share",
            ))
        }
    };
    if groups.is_empty() {
        return Err(TlsError::new(
            Alert::MissingExtension,
            "TLS 1.3 ClientHello without supported_groups",
        ));
    }
    // RFC 8446 §4.2.7: the obsolete_RESERVED groups (the TLS 1.2 curves other than
    // secp256r1/384r1/521r1, and the explicit-curve codes) MUST NOT be offered in TLS 1.3.
    if let Some(g) = groups
        .iter()
        .chain(shares.iter().map(|(g, _)| g))
        .find(|g| g.obsolete_in_tls13())
    {
        return Err(TlsError::illegal(format!(
            "a TLS 1.3 ClientHello offers the obsolete group {g} (RFC 8446 §4.2.7)"
        )));
    }
    for (i, (g, _)) in shares.iter().enumerate() {
        if !groups.contains(g) || shares[..i].iter().any(|(x, _)| x == g) {
            return Err(TlsError::illegal(format!(
                "key_share for {g} not in supported_groups or duplicated"
            )));
        }
    }
    Ok(shares)
}

/// RFC 8446 §4.4.2.2, §9.2: certificate authentication needs signature_algorithms, with a
/// scheme our key can make.
fn choose_scheme(
    ch: &ClientHello,
    key: &SigningKey,
    sigalgs: &[SignatureScheme],
) -> Result<SignatureScheme, TlsError> {
    if client_ext(ch, ET::SIGNATURE_ALGORITHMS).is_none() {
        return Err(TlsError::new(
            Alert::MissingExtension,
            "TLS 1.3 ClientHello without signature_algorithms",
        ));
    }
    key.choose_scheme(sigalgs, true).ok_or_else(|| {
        TlsError::new(
            Alert::HandshakeFailure,
            format!(
                "the client accepts no signature scheme our {} key can make",
                key.description()
            ),
        )
    })
}
