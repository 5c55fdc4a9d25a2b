//! Building the ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): the versions and suites we
//! offer, the legacy session id, then one helper per extension, in the order they are sent.

use crate::handshake::record_limits;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::crypto::hash::HashAlg;
use crate::crypto::key_schedule as ks;
use crate::crypto::kx::EphemeralKey;
use crate::error::TlsError;
use crate::handshake::config::ClientConfig;
use crate::handshake::groups;
use crate::handshake::psk::{PskKind, PskUse};
use crate::handshake::session::now_ms;
use crate::handshake::suite_params;
use crate::handshake::Common;
use crate::wire::codepoints::{
    CompressionMethod, EcPointFormat, ExtensionType as ET, NamedGroup, ProtocolVersion,
    PskKeyExchangeMode,
};
use crate::wire::extensions::{ExtBody, Extension, PskIdentity, ServerNames};
use crate::wire::handshake::{ClientHello, HandshakeMessage as HM};
use crate::wire::suites::CipherSuite;

/// A ClientHello as sent, with what answering its ServerHello needs.
pub(super) struct SentHello {
    pub hello: ClientHello,
    /// Present when TLS 1.3 was offered.
    pub tls13: Option<Offer13>,
}

/// The TLS 1.3 part of our offer: the private halves of our key shares, one per group in the
/// order sent (RFC 8446 §4.2.8), the PSKs offered with them in identity order (§4.2.11) and
/// the key exchange modes allowed with those (§4.2.9).
pub(super) struct Offer13 {
    pub shares: Vec<EphemeralKey>,
    pub psks: Vec<OfferedPsk>,
    pub modes: Vec<PskKeyExchangeMode>,
}

/// A PSK we offered: its secret, hash and origin.
pub(super) struct OfferedPsk {
    pub secret: Zeroizing<Vec<u8>>,
    pub hash: HashAlg,
    pub usage: PskUse,
}

impl Offer13 {
    /// The groups we sent key shares for.
    pub fn groups(&self) -> Vec<NamedGroup> {
        self.shares.iter().map(EphemeralKey::group).collect()
    }
}

/// The key shares a ClientHello carries (RFC 8446 §4.2.8).
pub(super) enum Shares {
    /// Fresh shares for these groups (the first hello, or the group a HelloRetryRequest asks
    /// for).
    New(Vec<NamedGroup>),
    /// The first hello's shares again, after a HelloRetryRequest that asked only for a cookie
    /// (§4.1.2: the second hello is the same but for the listed changes).
    Again(Vec<EphemeralKey>),
}

/// What a second ClientHello carries over from the first or answers in the
/// HelloRetryRequest (RFC 8446 §4.1.2, §4.1.4).
pub(super) struct Retry {
    pub session_id: Vec<u8>,
    pub cookie: Option<Vec<u8>>,
    /// The suite the HelloRetryRequest chose: a PSK is offered again only if its hash fits.
    pub suite: CipherSuite,
}

/// The highest enabled version up to TLS 1.2 (what client_version carries).
pub(super) fn legacy_max(config: &ClientConfig) -> Option<ProtocolVersion> {
    config
        .versions
        .iter()
        .copied()
        .filter(|v| *v >= ProtocolVersion::TLS10 && *v <= ProtocolVersion::TLS12)
        .max()
}

pub(super) fn offers13(config: &ClientConfig) -> bool {
    config.versions.contains(&ProtocolVersion::TLS13)
}

pub(super) fn offers12(config: &ClientConfig) -> bool {
    config.versions.contains(&ProtocolVersion::TLS12)
}

/// Builds a ClientHello (RFC 8446 §4.1.2) with `shares` when TLS 1.3 is offered. On a retry
/// the session id is repeated and the cookie echoed.
pub(super) fn build_hello(
    c: &mut Common,
    config: &ClientConfig,
    shares: Shares,
    retry: Option<Retry>,
) -> Result<SentHello, TlsError> {
    // `o12`: any of TLS 1.0-1.2 is enabled (the TLS 1.2-style hello and extensions).
    let o13 = offers13(config);
    let max12 = legacy_max(config);
    let o12 = max12.is_some();
    if !o12 && !o13 {
        return Err(TlsError::internal("no protocol version is enabled"));
    }
    let suites = offered_suites(config, o13, max12)?;
    let retry_suite = retry.as_ref().map(|r| r.suite);
    let (previous_id, cookie) = match retry {
        Some(r) => (r.session_id, r.cookie),
        None => (vec![], None),
    };
    let session_id = if previous_id.is_empty() {
        legacy_session_id(c, config, o13)
    } else {
        previous_id
    };

    let mut exts = vec![];
    exts.extend(server_name(config));
    exts.extend(ec_point_formats(o12));
    exts.extend(supported_groups(config, o13));
    exts.extend(session_ticket(config, o12));
    exts.extend(alpn(config));
    exts.extend(status_request(config));
    exts.extend(extended_master_secret(o12));
    exts.extend(encrypt_then_mac(o12 && config.encrypt_then_mac, &suites));
    exts.extend(signature_algorithms(config, o13, max12));
    let mut keys = None;
    if o13 {
        exts.push(supported_versions(config));
        exts.extend(cookie.map(|ck| Extension::new(ET::COOKIE, ExtBody::Cookie(ck))));
        exts.push(psk_key_exchange_modes(&psk_modes(config)));
        exts.extend(post_handshake_auth(config));
        let (ext, sent) = key_share(c, shares)?;
        exts.push(ext);
        keys = Some(sent);
    }
    exts.extend(renegotiation_info(o12));
    if o13 {
        exts.extend(super::early_data::offer(config, retry_suite.is_some()));
    }
    exts.extend(record_size_limit(config));
    let mut hello = ClientHello {
        extensions_absent: false,
        version: max12.unwrap_or(ProtocolVersion::TLS12),
        random: c.client_random,
        session_id,
        cipher_suites: suites,
        compression_methods: vec![CompressionMethod::NULL],
        extensions: exts,
    };
    let psks = if o13 {
        add_pre_shared_key(c, config, retry_suite, &mut hello)
    } else {
        vec![]
    };
    if psks
        .first()
        .is_none_or(|p| p.usage.kind != PskKind::Resumption)
    {
        // RFC 8446 §4.2.10: early data goes only with a PSK, under the first identity: our
        // ticket's.
        hello.extensions.retain(|e| e.typ != ET::EARLY_DATA);
    }
    Ok(SentHello {
        hello,
        tls13: keys.map(|shares| Offer13 {
            shares,
            psks,
            modes: psk_modes(config),
        }),
    })
}

/// record_size_limit (RFC 8449 §4), with max_fragment_length (RFC 6066 §4) when the limit
/// is one it can express, when asked for (`--record-size-limit`).
fn record_size_limit(config: &ClientConfig) -> Vec<Extension> {
    config
        .record_size_limit
        .map(record_limits::client_offer)
        .unwrap_or_default()
}

/// Our suites that fit an enabled version (suites we do not know are passed through), and
/// TLS_FALLBACK_SCSV last when asked for (RFC 7507 §4).
fn offered_suites(
    config: &ClientConfig,
    o13: bool,
    max12: Option<ProtocolVersion>,
) -> Result<Vec<CipherSuite>, TlsError> {
    let suites: Vec<CipherSuite> = config
        .suites
        .iter()
        .copied()
        .filter(|s| match suite_params::params(*s) {
            Some(p) => (p.tls13 && o13) || (!p.tls13 && max12.is_some_and(|m| p.usable_in(m))),
            None => true,
        })
        .collect();
    if suites.is_empty() {
        return Err(TlsError::internal(
            "no cipher suite left for the enabled protocol versions",
        ));
    }
    let mut suites = suites;
    if config.fallback_scsv && !suites.contains(&CipherSuite::FALLBACK_SCSV) {
        suites.push(CipherSuite::FALLBACK_SCSV);
    }
    Ok(suites)
}

/// The legacy_session_id: a TLS 1.2 session's own id to resume it (RFC 5246 §7.4.1.2),
/// 32 random bytes for the middlebox compatibility mode of TLS 1.3 (RFC 8446 §D.4) or to
/// resume by ticket (RFC 5077 §3.4), empty otherwise.
fn legacy_session_id(c: &mut Common, config: &ClientConfig, o13: bool) -> Vec<u8> {
    let random_id = |c: &mut Common| {
        let mut id = vec![0; 32];
        c.rng.fill_bytes(&mut id);
        id
    };
    match &config.resume {
        Some(s) if s.version < ProtocolVersion::TLS13 && !s.session_id.is_empty() => {
            s.session_id.clone()
        }
        Some(s) if s.version < ProtocolVersion::TLS13 || o13 => random_id(c),
        None if o13 => random_id(c),
        _ => vec![],
    }
}

/// RFC 8446 §4.2.6: we answer a CertificateRequest after the handshake.
fn post_handshake_auth(config: &ClientConfig) -> Option<Extension> {
    config
        .post_handshake_auth
        .then(|| Extension::new(ET::POST_HANDSHAKE_AUTH, ExtBody::Empty))
}

/// RFC 6066 §3.
fn server_name(config: &ClientConfig) -> Option<Extension> {
    let sni = config.sni.as_ref()?;
    Some(Extension::new(
        ET::SERVER_NAME,
        ExtBody::ServerName(ServerNames::host(sni)),
    ))
}

/// RFC 8422 §5.1.2: only the uncompressed form.
fn ec_point_formats(o12: bool) -> Option<Extension> {
    o12.then(|| {
        Extension::new(
            ET::EC_POINT_FORMATS,
            ExtBody::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED]),
        )
    })
}

/// RFC 8446 §4.2.7, RFC 8422 §5.1.1: our groups; without TLS 1.3 only those TLS 1.2 can use
/// (none of the ML-KEM groups), and no extension when none is left.
fn supported_groups(config: &ClientConfig, o13: bool) -> Option<Extension> {
    let groups = if o13 {
        config.groups.clone()
    } else {
        groups::offered_in_tls12(&config.groups)
    };
    (!groups.is_empty())
        .then(|| Extension::new(ET::SUPPORTED_GROUPS, ExtBody::SupportedGroups(groups)))
}

/// RFC 5077 §3.2: empty to ask for a ticket, or the ticket of the TLS 1.2 session we resume.
fn session_ticket(config: &ClientConfig, o12: bool) -> Option<Extension> {
    if !o12 || !config.session_tickets {
        return None;
    }
    let ticket = match &config.resume {
        Some(s) if s.version < ProtocolVersion::TLS13 => s.ticket.clone().unwrap_or_default(),
        _ => vec![],
    };
    Some(Extension::new(
        ET::SESSION_TICKET,
        ExtBody::SessionTicket(ticket),
    ))
}

/// RFC 7301 §3.1.
fn alpn(config: &ClientConfig) -> Option<Extension> {
    (!config.alpn.is_empty()).then(|| Extension::new(ET::ALPN, ExtBody::Alpn(config.alpn.clone())))
}

/// RFC 6066 §8: a stapled OCSP response, please.
fn status_request(config: &ClientConfig) -> Option<Extension> {
    config
        .status_request
        .then(|| Extension::new(ET::STATUS_REQUEST, ExtBody::ocsp_request()))
}

/// RFC 7627 §5.1.
fn extended_master_secret(o12: bool) -> Option<Extension> {
    o12.then(|| Extension::new(ET::EXTENDED_MASTER_SECRET, ExtBody::ExtendedMasterSecret))
}

/// RFC 7366: ask for encrypt-then-MAC when a CBC suite is offered.
fn encrypt_then_mac(o12: bool, suites: &[CipherSuite]) -> Option<Extension> {
    let cbc = suites
        .iter()
        .any(|s| suite_params::params(*s).is_some_and(|p| p.is_cbc()));
    (o12 && cbc).then(|| Extension::new(ET::ENCRYPT_THEN_MAC, ExtBody::EncryptThenMac))
}

/// RFC 8446 §4.2.3; RFC 5246 §7.4.1.4.1: not meaningful below TLS 1.2.
fn signature_algorithms(
    config: &ClientConfig,
    o13: bool,
    max12: Option<ProtocolVersion>,
) -> Option<Extension> {
    (o13 || max12 == Some(ProtocolVersion::TLS12)).then(|| {
        Extension::new(
            ET::SIGNATURE_ALGORITHMS,
            ExtBody::SignatureAlgorithms(config.sigalgs.clone()),
        )
    })
}

/// RFC 8446 §4.2.1: TLS 1.3 first, then the enabled older versions, highest first.
fn supported_versions(config: &ClientConfig) -> Extension {
    let mut versions = vec![ProtocolVersion::TLS13];
    for v in [
        ProtocolVersion::TLS12,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS10,
    ] {
        if config.versions.contains(&v) {
            versions.push(v);
        }
    }
    Extension::new(
        ET::SUPPORTED_VERSIONS,
        ExtBody::SupportedVersionsClient(versions),
    )
}

/// RFC 8446 §4.2.9: the mode of our external PSK (`--psk-mode`), else only psk_dhe_ke.
fn psk_modes(config: &ClientConfig) -> Vec<PskKeyExchangeMode> {
    vec![config
        .psk
        .as_ref()
        .map_or(PskKeyExchangeMode::PSK_DHE_KE, |p| p.mode)]
}

fn psk_key_exchange_modes(modes: &[PskKeyExchangeMode]) -> Extension {
    Extension::new(
        ET::PSK_KEY_EXCHANGE_MODES,
        ExtBody::PskKeyExchangeModes(modes.to_vec()),
    )
}

/// RFC 8446 §4.2.8: the key_share extension for `shares`, in their order; returns it and
/// the private keys.
fn key_share(c: &mut Common, shares: Shares) -> Result<(Extension, Vec<EphemeralKey>), TlsError> {
    let keys = match shares {
        Shares::New(groups) => groups
            .into_iter()
            .map(|g| EphemeralKey::generate(g, &mut c.rng))
            .collect::<Result<Vec<_>, _>>()?,
        Shares::Again(keys) => keys,
    };
    let entries = keys.iter().map(|k| (k.group(), k.public_key())).collect();
    let ext = Extension::new(ET::KEY_SHARE, ExtBody::KeyShareClient(entries));
    Ok((ext, keys))
}

/// RFC 5746 §3.4: the empty renegotiation_info of an initial handshake.
fn renegotiation_info(o12: bool) -> Option<Extension> {
    o12.then(|| Extension::new(ET::RENEGOTIATION_INFO, ExtBody::RenegotiationInfo(vec![])))
}

/// RFC 8446 §4.2.11: offers the TLS 1.3 session we resume and our external PSK, in the last
/// extension, each when its hash fits the HelloRetryRequest's suite (if any). Returns what
/// was offered, in identity order.
fn add_pre_shared_key(
    c: &Common,
    config: &ClientConfig,
    retry_suite: Option<CipherSuite>,
    hello: &mut ClientHello,
) -> Vec<OfferedPsk> {
    let retry_hash = retry_suite.and_then(|s| suite_params::params(s).map(|p| p.hash));
    let fits = |h: HashAlg| retry_hash.is_none_or(|r| r == h);
    let mut identities = vec![];
    let mut offered = vec![];
    let ticket = config
        .resume
        .as_ref()
        .filter(|s| s.version == ProtocolVersion::TLS13)
        .and_then(|s| Some((s, suite_params::params(s.suite)?.hash, s.ticket.clone()?)));
    if let Some((s, h, ticket)) = ticket.filter(|t| fits(t.1)) {
        // RFC 8446 §4.2.11.1: the ticket's age in ms. Both ends of the difference are rounded
        // down to the millisecond, which can make it 1 ms more than the server measures; a
        // client age above the server's own is a replay to an anti-replay check (§8.3, gnutls
        // then rejects 0-RTT), so we round the age down.
        let elapsed = now_ms().saturating_sub(s.received_ms).saturating_sub(1);
        let age = (elapsed as u32).wrapping_add(s.age_add);
        identities.push(PskIdentity {
            identity: ticket,
            obfuscated_ticket_age: age,
        });
        let mode = psk_modes(config)[0];
        offered.push(OfferedPsk {
            secret: Zeroizing::new(s.secret.clone()),
            hash: h,
            usage: PskUse::resumption(mode),
        });
    }
    if let Some(e) = config.psk.as_ref().filter(|e| fits(e.hash())) {
        // RFC 8446 §4.2.11: "For identities established externally, an obfuscated_ticket_age
        // of 0 SHOULD be used".
        identities.push(PskIdentity {
            identity: e.identity.clone(),
            obfuscated_ticket_age: 0,
        });
        offered.push(OfferedPsk {
            secret: e.key.clone(),
            hash: e.hash(),
            usage: PskUse::external(e, Some(e.mode)),
        });
    }
    if offered.is_empty() {
        return offered;
    }
    let psk = |binders: Vec<Vec<u8>>| {
        Extension::new(
            ET::PRE_SHARED_KEY,
            ExtBody::PreSharedKeyClient {
                identities: identities.clone(),
                binders,
            },
        )
    };
    let placeholders = offered
        .iter()
        .map(|o| vec![0; o.hash.output_len()])
        .collect();
    hello.extensions.push(psk(placeholders));
    let binders = offered.iter().map(|o| psk_binder(c, o, hello)).collect();
    let last = hello.extensions.len() - 1;
    hello.extensions[last] = psk(binders);
    offered
}

/// RFC 8446 §4.2.11.2: HMAC with the binder key ("ext binder" or "res binder", §7.1) over
/// the transcript up to this hello, truncated before the binders list (whose placeholders
/// `hello` carries).
fn psk_binder(c: &Common, o: &OfferedPsk, hello: &ClientHello) -> Vec<u8> {
    let enc = HM::ClientHello(hello.clone()).encode();
    let binders_len = match hello.extensions.last().map(|e| &e.body) {
        Some(ExtBody::PreSharedKeyClient { binders, .. }) => {
            2 + binders.iter().map(|b| 1 + b.len()).sum::<usize>()
        }
        _ => 0,
    };
    let truncated = &enc[..enc.len() - binders_len];
    let mut t = c.transcript.clone();
    t.update(truncated);
    let h = o.hash;
    let early = Zeroizing::new(ks::early_secret(h, Some(&o.secret)));
    let external = o.usage.kind == PskKind::External;
    let bk = Zeroizing::new(ks::binder_key(h, &early, external));
    ks::finished_verify_data(h, &bk, &t.hash(h))
}
