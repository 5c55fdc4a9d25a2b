//! The TLS 1.3 client handshake from the ServerHello (RFC 8446 §2, §4.1.3-§4.4): the
//! handshake keys, EncryptedExtensions, the server's authentication, its Finished and our
//! second flight; then the post-handshake messages (§4.6).

use super::extension_rules::{self, ServerMessage};
use super::hello::{Offer13, OfferedPsk};
use super::{auth, check_alpn, early_data, finish, Settled, State};
use crate::crypto::key_schedule as ks;
use crate::crypto::kx::EphemeralKey;
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind};
use crate::handshake::cert_auth::{receive_certificate_verify, signed_content};
use crate::handshake::config::ClientConfig;
use crate::handshake::finished::{receive_finished, send_finished};
use crate::handshake::install::{application_keys, install, Stage};
use crate::handshake::key_update::ApplicationSecrets;
use crate::handshake::keys::{self, Tls13Secrets};
use crate::handshake::outcome::Agreed;
use crate::handshake::psk::PskKind;
use crate::handshake::record_limits;
use crate::handshake::session::{now_ms, ClientSession};
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::{unexpected, Common, Incoming, Side};
use crate::wire::codepoints::{
    ExtensionType as ET, NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateRequest13, CertificateVerify, ClientHello, HandshakeMessage as HM,
    ServerHello,
};

/// The TLS 1.3 handshake once the ServerHello is in: the suite, what we offered, the
/// secrets so far and what is settled.
pub(super) struct Tls13 {
    p: SuiteParams,
    offer: ClientHello,
    secrets: Tls13Secrets,
    settled: Settled,
}

/// What the server asked for in a CertificateRequest (RFC 8446 §4.3.2).
pub(super) struct CertRequest {
    context: Vec<u8>,
    sigalgs: Vec<SignatureScheme>,
}

/// The handshake keys are on; EncryptedExtensions comes next.
pub(super) struct ExpectEncryptedExtensions {
    hs: Tls13,
}

/// The server's Certificate comes next, or first a CertificateRequest.
pub(super) struct ExpectCertificate {
    hs: Tls13,
    cert_request: Option<CertRequest>,
}

/// The server's CertificateVerify comes next, signed with the leaf key `spki`.
pub(super) struct ExpectCertificateVerify {
    hs: Tls13,
    cert_request: Option<CertRequest>,
    spki: Vec<u8>,
}

/// The server's Finished comes next.
pub(super) struct ExpectFinished {
    hs: Tls13,
    cert_request: Option<CertRequest>,
}

/// The handshake is complete: tickets and key updates may come.
pub(super) struct Established {
    pub secrets: ApplicationSecrets,
    resumption_master: Vec<u8>,
    /// Whether the chain verified (or the resumed session's had), for the sessions we keep.
    verified: Option<bool>,
    /// The session from the newest NewSessionTicket.
    pub session: Option<ClientSession>,
    /// The ALPN protocol, which 0-RTT on a ticket must use again (RFC 8446 §4.2.10).
    alpn: Option<Vec<u8>>,
}

/// The TLS 1.3 ServerHello (RFC 8446 §4.1.3): PSK accepted or not, the server's key share,
/// then the handshake keys (§7.1).
pub(super) fn server_hello(
    c: &mut Common,
    m: &Incoming,
    sh: &ServerHello,
    p: SuiteParams,
    offer: ClientHello,
    offer13: Offer13,
) -> Result<State, TlsError> {
    if sh.session_id != offer.session_id {
        return Err(TlsError::illegal(
            "the TLS 1.3 ServerHello does not echo our legacy_session_id",
        ));
    }
    let Offer13 {
        shares,
        psks,
        modes,
    } = offer13;
    let psk = accepted_psk(&psks, sh, p)?;
    let (group, shared) = match find(&sh.extensions, ET::KEY_SHARE).map(|e| &e.body) {
        Some(ExtBody::KeyShareServer(g, pk)) => {
            // RFC 8446 §4.2.9: a PSK handshake with a key share needs psk_dhe_ke offered.
            if psk.is_some() && !modes.contains(&PskKeyExchangeMode::PSK_DHE_KE) {
                return Err(TlsError::illegal(
                    "the server answered our PSK with a key_share, but we offered only psk_ke (RFC 8446 §4.2.9)",
                ));
            }
            (Some(*g), agree(shares, *g, pk)?)
        }
        // RFC 8446 §4.2.9: psk_ke, offered: no key exchange, HashLen zeros (§7.1).
        _ if psk.is_some() && modes.contains(&PskKeyExchangeMode::PSK_KE) => {
            (None, vec![0; p.hash.output_len()])
        }
        // RFC 8446 §4.2.11: with a PSK, a key_share our psk_key_exchange_modes (psk_dhe_ke
        // only, §4.2.9) require is missing: illegal_parameter.
        _ if psk.is_some() => {
            return Err(TlsError::illegal(
                "the server accepted our PSK without the key_share psk_dhe_ke requires (RFC 8446 §4.2.11)",
            ))
        }
        _ => {
            return Err(TlsError::new(
                Alert::MissingExtension,
                "the TLS 1.3 ServerHello has no key_share (and accepted no PSK for psk_ke)",
            ))
        }
    };
    let usage = psk.map(|(_, o)| o.usage.clone());
    let settled = Settled {
        agreed: Agreed {
            group,
            resumed: usage
                .as_ref()
                .is_some_and(|u| u.kind == PskKind::Resumption),
            psk: usage.clone(),
            ..Agreed::default()
        },
        ..Settled::default()
    };
    c.transcript.update(&m.raw);
    let mut checks = vec![];
    if let (Some((index, _)), Some(u)) = (psk, &usage) {
        checks.push(Check::pass(CheckKind::PskAccepted {
            identity: index,
            psk: u.clone(),
        }));
    }
    m.report(c, checks);
    let th = c.transcript.hash(p.hash);
    let secret = psk.map(|(_, o)| o.secret.as_slice());
    let secrets = keys::tls13_handshake(c, p, secret, (group, &shared), &th);
    install(c, &secrets, Side::Server, Stage::Handshake)?;
    Ok(State::EncryptedExtensions(ExpectEncryptedExtensions {
        hs: Tls13 {
            p,
            offer,
            secrets,
            settled,
        },
    }))
}

/// RFC 8446 §4.2.8: the server's share must be for a group we sent a share for; returns the
/// shared secret.
fn agree(shares: Vec<EphemeralKey>, g: NamedGroup, pk: &[u8]) -> Result<Vec<u8>, TlsError> {
    let sent: Vec<String> = shares.iter().map(|k| k.group().to_string()).collect();
    let Some(share) = shares.into_iter().find(|k| k.group() == g) else {
        return Err(TlsError::illegal(format!(
            "the server's key_share is for {g}, but we sent shares for {} only",
            sent.join(" and ")
        )));
    };
    share.agree(pk)
}

/// RFC 8446 §4.2.11: the PSK the server accepted, which must be one we offered, for a suite
/// of its hash; returns its index and what we offered.
fn accepted_psk<'a>(
    psks: &'a [OfferedPsk],
    sh: &ServerHello,
    p: SuiteParams,
) -> Result<Option<(u16, &'a OfferedPsk)>, TlsError> {
    let Some(e) = find(&sh.extensions, ET::PRE_SHARED_KEY) else {
        return Ok(None);
    };
    let ExtBody::PreSharedKeyServer(idx) = e.body else {
        return Err(TlsError::decode("bad pre_shared_key extension"));
    };
    match psks.get(idx as usize) {
        Some(o) => {
            if o.hash != p.hash {
                return Err(TlsError::illegal(
                    "the server accepted our PSK with a suite of another hash",
                ));
            }
            Ok(Some((idx, o)))
        }
        None => Err(TlsError::illegal(format!(
            "the server selected PSK identity {idx}, which we did not offer"
        ))),
    }
}

impl ExpectEncryptedExtensions {
    /// RFC 8446 §4.3.1: only extensions we offered, and none that belong elsewhere (§4.2).
    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        exts: &[Extension],
    ) -> Result<State, TlsError> {
        let offer = &self.hs.offer.extensions;
        extension_rules::check(exts, offer, ServerMessage::EncryptedExtensions)?;
        let mut hs = self.hs;
        hs.settled.agreed.alpn = check_alpn(config, exts)?;
        let checks =
            early_data::on_encrypted_extensions(c, config, exts, hs.settled.agreed.resumed)?;
        let limits = record_limits::client_agreement(config.record_size_limit, exts, true)?;
        c.transcript.update(&m.raw);
        m.report(c, checks);
        early_data::report_rejection(c);
        if let Some(a) = &limits {
            record_limits::apply(c, a);
        }
        // RFC 8446 §2.2: a PSK handshake has no certificate messages.
        Ok(if hs.settled.agreed.psk.is_some() {
            State::Finished13(ExpectFinished {
                hs,
                cert_request: None,
            })
        } else {
            State::CertOrRequest13(ExpectCertificate {
                hs,
                cert_request: None,
            })
        })
    }
}

impl ExpectCertificate {
    /// RFC 8446 §4.3.2: the server asks for our certificate.
    pub(super) fn on_request(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        r: &CertificateRequest13,
    ) -> Result<State, TlsError> {
        let sigalgs = auth::requested_sigalgs(r)?;
        // RFC 8446 §4.3.2: the context "SHALL be zero length unless used for the
        // post-handshake authentication exchanges".
        if !r.context.is_empty() {
            return Err(TlsError::illegal(
                "a CertificateRequest in the handshake with a non-empty certificate_request_context (RFC 8446 §4.3.2)",
            ));
        }
        auth::report_certificate_request(c, config, m);
        Ok(State::Certificate13(ExpectCertificate {
            hs: self.hs,
            cert_request: Some(CertRequest {
                context: r.context.clone(),
                sigalgs,
            }),
        }))
    }

    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        cert: &Certificate,
    ) -> Result<State, TlsError> {
        let mut hs = self.hs;
        let (spki, check) = auth::receive_certificate(c, config, &hs.offer.extensions, m, cert)?;
        hs.settled.check = check;
        Ok(State::CertificateVerify13(ExpectCertificateVerify {
            hs,
            cert_request: self.cert_request,
            spki,
        }))
    }
}

impl ExpectCertificateVerify {
    /// RFC 8446 §4.4.3: the server's signature over the transcript, with a scheme we offered.
    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        cv: &CertificateVerify,
    ) -> Result<State, TlsError> {
        let hash = Some(self.hs.p.hash);
        receive_certificate_verify(c, m, cv, &config.sigalgs, &self.spki, hash)?;
        let mut hs = self.hs;
        hs.settled.agreed.signature_scheme = cv.scheme;
        Ok(State::Finished13(ExpectFinished {
            hs,
            cert_request: self.cert_request,
        }))
    }
}

impl ExpectFinished {
    /// RFC 8446 §4.4.4: the server's Finished; then the application keys, our flight and the
    /// resumption secret (§7.1).
    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<State, TlsError> {
        let Tls13 {
            p,
            offer,
            mut secrets,
            settled,
        } = self.hs;
        receive_finished(c, m, vd, secrets.finished_key())?;
        application_keys(c, &mut secrets)?;
        send_second_flight(c, config, &p, &secrets, &offer, self.cert_request)?;
        let resumption_master = keys::tls13_resumption_master(c, &secrets);
        finish(c, config, p.suite, &settled);
        Ok(State::Established13(Established {
            secrets: ApplicationSecrets::new(secrets),
            resumption_master,
            verified: settled.session_verified(config),
            session: None,
            alpn: settled.agreed.alpn.clone(),
        }))
    }
}

/// Our second flight (RFC 8446 §4.4): [CCS], [Certificate, CertificateVerify], Finished,
/// then our application keys.
fn send_second_flight(
    c: &mut Common,
    config: &ClientConfig,
    p: &SuiteParams,
    secrets: &Tls13Secrets,
    offer: &ClientHello,
    cert_request: Option<CertRequest>,
) -> Result<(), TlsError> {
    // RFC 8446 §D.4: the middlebox-compatibility CCS goes with a non-empty session id (after
    // the ClientHello already when we sent early data).
    let ccs_sent = early_data::before_second_flight(c);
    if !offer.session_id.is_empty() && !ccs_sent {
        c.send_ccs(true);
    }
    install(c, secrets, Side::Client, Stage::Handshake)?;
    if let Some(req) = cert_request {
        if let Some((ck, scheme)) =
            auth::send_client_certificate(c, config, Some(req.context), Some(&req.sigalgs), true)
        {
            let content = signed_content(c, Side::Client, Some(p.hash)).into_owned();
            auth::send_certificate_verify(c, ck, scheme, &content)?;
        }
    }
    send_finished(c, secrets.finished_key());
    install(c, secrets, Side::Client, Stage::Application)
}

impl Established {
    /// Post-handshake messages (RFC 8446 §4.6): NewSessionTicket and KeyUpdate.
    pub(super) fn handle(&mut self, c: &mut Common, m: &Incoming) -> Result<(), TlsError> {
        match &m.msg {
            HM::NewSessionTicket13(t) => {
                let p = self.secrets.params();
                let psk = ks::resumption_psk(p.hash, &self.resumption_master, &t.nonce);
                let mut checks = vec![];
                let mut max_early_data = 0;
                for e in &t.extensions {
                    if let ExtBody::EarlyData(Some(n)) = e.body {
                        max_early_data = n;
                        checks.push(Check::pass(CheckKind::TicketAllowsEarlyData {
                            max_early_data: n,
                        }));
                    }
                }
                m.report(c, checks);
                self.session = Some(ClientSession {
                    version: ProtocolVersion::TLS13,
                    suite: p.suite,
                    session_id: vec![],
                    secret: psk,
                    ticket: Some(t.ticket.clone()),
                    extended_master_secret: true,
                    age_add: t.age_add,
                    lifetime: t.lifetime,
                    received_ms: now_ms(),
                    verified: self.verified,
                    max_early_data,
                    alpn: self.alpn.clone(),
                });
                Ok(())
            }
            HM::KeyUpdate(req) => self.secrets.receive(c, m, *req),
            other => Err(unexpected("NewSessionTicket or KeyUpdate", other)),
        }
    }
}
