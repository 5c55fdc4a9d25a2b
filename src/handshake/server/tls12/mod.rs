//! The TLS 1.0-1.2 server (RFC 5246 §7.3, RFC 4346, RFC 2246): the ClientHello checks, the
//! choice of suite, certificate and group, resumption by ticket (RFC 5077 §3.4) or session
//! id (RFC 5246 §7.4.1.2), extended master secret (RFC 7627) and the downgrade sentinel
//! (RFC 8446 §4.1.3). `flight` sends the server's first flight; `states` holds the states
//! after it.

mod choice;
mod flight;
mod states;

use crate::handshake::record_limits;
use rand::RngCore;

use super::certs::{certificates, key_fits};
use super::hello::{choose_alpn, client_ext, client_groups};
use super::negotiated::{ClientIdentity, Negotiated};
use super::State;
use crate::crypto::dh_groups::KnownGroup;
use crate::error::{Alert, TlsError};
use crate::handshake::config::ServerConfig;
use crate::handshake::outcome::{Agreed, Tls12Facts};
use crate::handshake::psk::PskUse;
use crate::handshake::session::ServerSession;
use crate::handshake::suite_params::{self, SuiteParams};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{
    EcPointFormat, ExtensionType as ET, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::ExtBody;
use crate::wire::handshake::{ClientHello, DOWNGRADE_TLS11, DOWNGRADE_TLS12};
use crate::wire::suites::{CipherSuite, Kx};

pub(super) use states::{
    ExpectCcs, ExpectCertificate, ExpectCertificateVerify, ExpectClientKeyExchange, ExpectFinished,
};

/// What every TLS 1.2 state after the server's first flight needs.
pub(super) struct Handshake12 {
    pub neg: Negotiated,
    pub facts: Tls12Facts,
    pub version: ProtocolVersion,
    pub server_random: [u8; 32],
    /// encrypt_then_mac negotiated for a CBC suite (RFC 7366).
    pub etm: bool,
    /// The session id sent in ServerHello (the cache key of a new session).
    pub session_id: Vec<u8>,
}

/// How the chosen suite exchanges keys: the group, and how ServerKeyExchange is signed.
#[derive(Clone, Copy)]
enum KxPlan {
    Ecdhe {
        group: NamedGroup,
        signer: ParamsSigner,
    },
    /// An RFC 7919 finite-field group.
    Dhe {
        group: NamedGroup,
        known: &'static KnownGroup,
        signer: ParamsSigner,
    },
    /// RSA key transport (RFC 5246 §7.4.7.1): nothing signed.
    Rsa,
    /// PSK suites (RFC 4279 §2), with an unsigned DHE (§3) or ECDHE (RFC 5489) exchange.
    Psk,
    DhePsk {
        group: NamedGroup,
        known: &'static KnownGroup,
    },
    EcdhePsk {
        group: NamedGroup,
    },
    /// RSA-PSK (RFC 4279 §4): our certificate, no ServerKeyExchange (we have no hint).
    RsaPsk,
}

/// How our key signs the ServerKeyExchange params.
#[derive(Clone, Copy)]
enum ParamsSigner {
    /// TLS 1.2: with a scheme the client accepts (RFC 5246 §7.4.1.4.1).
    Scheme(SignatureScheme),
    /// TLS 1.0/1.1: no algorithm field (RFC 4346 §7.4.3).
    Legacy,
}

/// The suite and certificate chosen for a full handshake.
struct Choice {
    /// The certificate's position in `certs::certificates`.
    cert_index: usize,
    params: SuiteParams,
    kx: KxPlan,
}

/// A session to resume, its suite's parameters, and where it was found.
struct Resumption {
    session: ServerSession,
    params: SuiteParams,
    from_ticket: bool,
}

/// How a ClientHello is answered: by resuming a session, or with a full handshake.
enum Answer {
    Resume(Resumption),
    Full(Choice),
}

/// A session is resumable only with its version and under its server name (RFC 6066 §3:
/// "MUST NOT accept the request to resume ... Instead, it proceeds with a full handshake").
struct Origin<'a> {
    version: ProtocolVersion,
    server_name: &'a str,
}

impl Origin<'_> {
    fn made(&self, s: &ServerSession) -> bool {
        s.version == self.version && s.server_name.eq_ignore_ascii_case(self.server_name)
    }
}

/// Answers a TLS 1.0-1.2 ClientHello (already checked by `hello::check`): the abbreviated
/// flight when a session is resumed, else the full one.
pub(super) fn start(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
    version: ProtocolVersion,
    server_name: Option<String>,
) -> Result<State, TlsError> {
    m.report(c, vec![]);
    c.transcript.update(&m.raw);
    reject_malformed_extension(ch)?;
    let secure_renegotiation = check_renegotiation_info(ch)?;
    let origin = Origin {
        version,
        server_name: server_name.as_deref().unwrap_or_default(),
    };
    check_cached_suite_offered(config, ch, &origin)?;
    let groups = client_groups(ch);
    check_ec_point_formats(ch, &groups)?;
    let ems = client_ext(ch, ET::EXTENDED_MASTER_SECRET).is_some();
    // An abbreviated handshake signs nothing: the suite choice (and its signature policy)
    // is for full handshakes only.
    let answer = match find_session(config, ch, &origin, ems)? {
        Some(r) => Answer::Resume(r),
        None => Answer::Full(choice::choose_suite(c, config, ch, version, &groups)?),
    };
    let alpn = choose_alpn(config, ch)?;
    let resumed = matches!(answer, Answer::Resume(_));
    let params = match &answer {
        Answer::Resume(r) => r.params,
        Answer::Full(choice) => choice.params,
    }
    .for_version(version);
    c.kx = Some(params.kx);
    let mut server_random = [0; 32];
    c.rng.fill_bytes(&mut server_random);
    let sentinel = downgrade_sentinel(config, version);
    if let Some(sv) = sentinel {
        server_random[24..].copy_from_slice(&sv);
    }
    let etm = params.is_cbc()
        && config.encrypt_then_mac
        && client_ext(ch, ET::ENCRYPT_THEN_MAC).is_some();
    let session_id = choose_session_id(c, ch, resumed);
    let ticket_requested = matches!(
        client_ext(ch, ET::SESSION_TICKET),
        Some(ExtBody::SessionTicket(_))
    );
    let hs = Handshake12 {
        neg: Negotiated {
            params,
            server_name,
            agreed: Agreed {
                alpn,
                resumed,
                // RFC 4279: a PSK suite is authenticated by our PSK (the client's identity is
                // checked in its ClientKeyExchange, before the Summary).
                psk: config
                    .psk
                    .as_ref()
                    .filter(|_| params.needs_psk())
                    .map(|p| PskUse::external(p, None)),
                ..Agreed::default()
            },
            client: ClientIdentity::default(),
        },
        facts: Tls12Facts {
            ems,
            secure_renegotiation,
            session_ticket: ticket_requested && !resumed,
        },
        version,
        server_random,
        etm,
        session_id,
    };
    let limits = record_limits::server_answer(config.record_size_limit, &ch.extensions, false);
    match answer {
        Answer::Resume(r) => flight::resume(c, ch, hs, sentinel, r, limits),
        Answer::Full(choice) => flight::full(c, config, ch, hs, sentinel, choice, limits),
    }
}

/// A TLS 1.2 extension whose body did not decode (kept for us by the codec, which lets a
/// TLS 1.3 server ignore it): refused now, with the codec's alert.
fn reject_malformed_extension(ch: &ClientHello) -> Result<(), TlsError> {
    match ch
        .extensions
        .iter()
        .map(|e| &e.body)
        .find(|b| matches!(b, ExtBody::Malformed { .. }))
    {
        Some(ExtBody::Malformed { alert, reason }) => Err(TlsError::new(*alert, reason.clone())),
        _ => Ok(()),
    }
}

/// RFC 5746 §3.6: whether the client supports secure renegotiation (an empty
/// renegotiation_info or the SCSV); a non-empty one on an initial handshake is fatal.
fn check_renegotiation_info(ch: &ClientHello) -> Result<bool, TlsError> {
    let scsv = ch
        .cipher_suites
        .contains(&CipherSuite::EMPTY_RENEGOTIATION_INFO_SCSV);
    match client_ext(ch, ET::RENEGOTIATION_INFO) {
        Some(ExtBody::RenegotiationInfo(v)) if !v.is_empty() => Err(TlsError::new(
            Alert::HandshakeFailure,
            "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)",
        )),
        Some(_) => Ok(true),
        None => Ok(scsv),
    }
}

/// RFC 5246 §7.4.1.2: a client resuming a cached session "MUST include at least the
/// cipher_suite from that session". One that does not is refused with illegal_parameter
/// (RFC 5246 §7.2.2: a field inconsistent with the state), not given a full handshake, as
/// tlsfuzzer's test-resumption-with-wrong-ciphers (CVE-2010-4180) expects. A ticket may
/// still fall back to a full handshake (RFC 5077 §3.4), so only the session-id cache is
/// checked, and only without one; a session made under another server name is not
/// resumable at all (`find_session`).
fn check_cached_suite_offered(
    config: &ServerConfig,
    ch: &ClientHello,
    origin: &Origin,
) -> Result<(), TlsError> {
    let ticket_offered = matches!(
        client_ext(ch, ET::SESSION_TICKET),
        Some(ExtBody::SessionTicket(t)) if !t.is_empty()
    );
    if ch.session_id.is_empty() || ticket_offered {
        return Ok(());
    }
    match config.sessions.get(&ch.session_id) {
        Some(s) if origin.made(&s) && !ch.cipher_suites.contains(&s.suite) => {
            Err(TlsError::illegal(format!(
                "the client resumes a session made with {} without offering that suite (RFC 5246 §7.4.1.2)",
                s.suite
            )))
        }
        _ => Ok(()),
    }
}

/// RFC 8422 §5.1.2: a client that lists an ECC curve (or no groups at all, §4) must accept
/// uncompressed points, else illegal_parameter. (An empty list is malformed: the codec's
/// decode_error, raised by `reject_malformed_extension`.)
fn check_ec_point_formats(ch: &ClientHello, groups: &[NamedGroup]) -> Result<(), TlsError> {
    let Some(ExtBody::EcPointFormats(f)) = client_ext(ch, ET::EC_POINT_FORMATS) else {
        return Ok(());
    };
    if f.contains(&EcPointFormat::UNCOMPRESSED) {
        return Ok(());
    }
    let ecc = groups.is_empty()
        || groups
            .iter()
            .any(|g| matches!(g.0, 0x0017..=0x0019 | 0x001d | 0x001e));
    if ecc {
        return Err(TlsError::illegal(
            "ec_point_formats without uncompressed while the client offers ECC curves (RFC 8422 §5.1.2)",
        ));
    }
    Ok(())
}

/// Resumption: a ticket (RFC 5077 §3.4) or a cached session id (RFC 5246 §7.4.1.2) of a
/// session we can still serve. RFC 7627 §5.3: a session made with extended_master_secret is
/// not resumed by a hello without it ("the server MUST abort the abbreviated handshake":
/// handshake_failure, as tlsfuzzer's test-extended-master-secret-extension expects); a
/// session made without it is not resumed by a hello with it (a full handshake instead).
fn find_session(
    config: &ServerConfig,
    ch: &ClientHello,
    origin: &Origin,
    ems: bool,
) -> Result<Option<Resumption>, TlsError> {
    // A session of ours, for a suite the client offers and one of our keys can still serve.
    let resumable = |session: ServerSession, from_ticket: bool| {
        if !origin.made(&session) || !ch.cipher_suites.contains(&session.suite) {
            return None;
        }
        let params = suite_params::params(session.suite)?;
        certificates(config)
            .any(|ck| key_fits(&ck.key, params.auth) || params.kx == Kx::Rsa && ck.key.is_rsa())
            .then_some(Resumption {
                session,
                params,
                from_ticket,
            })
    };
    let ticket = match client_ext(ch, ET::SESSION_TICKET) {
        Some(ExtBody::SessionTicket(t)) if !t.is_empty() => Some(t),
        _ => None,
    };
    let from_ticket = ticket
        .and_then(|t| config.sessions.open_ticket(t))
        .and_then(|s| resumable(s, true));
    let found = if from_ticket.is_none() && !ch.session_id.is_empty() {
        config
            .sessions
            .get(&ch.session_id)
            .and_then(|s| resumable(s, false))
    } else {
        from_ticket
    };
    match found {
        Some(r) if r.session.extended_master_secret && !ems => Err(TlsError::new(
            Alert::HandshakeFailure,
            "the client resumes a session made with extended_master_secret without offering it (RFC 7627 §5.3)",
        )),
        Some(r) if !r.session.extended_master_secret && ems => Ok(None),
        r => Ok(r),
    }
}

/// RFC 8446 §4.1.3: DOWNGRD\x01 for TLS 1.2 when 1.3 is enabled; DOWNGRD\x00 for 1.1 and
/// below when 1.2 or 1.3 is enabled.
fn downgrade_sentinel(config: &ServerConfig, version: ProtocolVersion) -> Option<[u8; 8]> {
    let allows = |v: ProtocolVersion| config.versions.contains(&v);
    let legacy = version < ProtocolVersion::TLS12;
    if legacy && (allows(ProtocolVersion::TLS12) || allows(ProtocolVersion::TLS13)) {
        Some(DOWNGRADE_TLS11)
    } else if !legacy && allows(ProtocolVersion::TLS13) {
        Some(DOWNGRADE_TLS12)
    } else {
        None
    }
}

/// The session id of ServerHello: the client's when it resumes by id (RFC 5246 §7.4.1.2),
/// empty when it resumes by ticket with none (RFC 5077 §3.4), a new random one otherwise.
fn choose_session_id(c: &mut Common, ch: &ClientHello, resumed: bool) -> Vec<u8> {
    if resumed && !ch.session_id.is_empty() {
        ch.session_id.clone()
    } else if resumed {
        vec![]
    } else {
        let mut id = vec![0; 32];
        c.rng.fill_bytes(&mut id);
        id
    }
}
