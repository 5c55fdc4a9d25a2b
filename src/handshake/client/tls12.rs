//! The TLS 1.0-1.2 client handshake from the ServerHello to the Finished messages
//! (RFC 5246 §7.3, RFC 5077, RFC 7627, RFC 5746). The server's key exchange and our flight
//! are in `tls12_kx`.

use super::tls12_kx::ExpectServerKx;
use super::{auth, check_alpn, finish, offered, Settled, State};
use crate::crypto::aead::RecordCipher;
use crate::crypto::sign;
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind, Event, Warning};
use crate::handshake::ccs;
use crate::handshake::config::ClientConfig;
use crate::handshake::finished::{receive_finished, send_ccs_finished12, FinishedKey};
use crate::handshake::keys;
use crate::handshake::outcome::{Agreed, Tls12Facts};
use crate::handshake::psk::PskUse;
use crate::handshake::record_limits;
use crate::handshake::session::{now_ms, ClientSession};
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::{tls12_policy, unexpected, Common, Incoming, Side};
use crate::wire::codepoints::{EcPointFormat, ExtensionType as ET, ProtocolVersion};
use crate::wire::extensions::{find, ExtBody};
use crate::wire::handshake::{
    Certificate, ClientHello, NewSessionTicket12, ServerHello, DOWNGRADE_TLS11, DOWNGRADE_TLS12,
};
use crate::wire::suites::{Auth, Kx};

/// What the TLS 1.2 ServerHello settled (RFC 5246 §7.4.1.3), carried to the end of the
/// handshake.
pub(super) struct Tls12 {
    pub version: ProtocolVersion,
    pub p: SuiteParams,
    pub server_random: [u8; 32],
    /// The server's session id (empty without one): the session we keep carries it.
    pub session_id: Vec<u8>,
    /// encrypt_then_mac acknowledged for a CBC suite (RFC 7366).
    pub etm: bool,
    pub settled: Settled,
}

/// Who sends Finished first (RFC 5246 §7.3): we do in a full handshake; when resuming the
/// server does, and our CCS and Finished wait for it with our write keys.
pub(super) enum Mode {
    Full,
    Resumed { write: RecordCipher },
}

/// A full handshake: the server's Certificate comes next.
pub(super) struct ExpectCertificate {
    hs: Tls12,
    offer: ClientHello,
    /// status_request acknowledged: a CertificateStatus may follow the Certificate.
    ocsp_acked: bool,
}

/// The keys are computed; the server's ChangeCipherSpec comes next, after a
/// NewSessionTicket when the server acknowledged session_ticket (RFC 5077 §3.3).
pub(super) struct ExpectCcs {
    hs: Tls12,
    master: Vec<u8>,
    /// The server's write keys, installed at its ChangeCipherSpec.
    read: RecordCipher,
    mode: Mode,
    new_ticket: Option<Vec<u8>>,
}

/// The server's Finished comes next.
pub(super) struct ExpectFinished {
    hs: Tls12,
    master: Vec<u8>,
    mode: Mode,
    new_ticket: Option<Vec<u8>>,
}

/// The handshake is complete; the session can be resumed.
pub(super) struct Established {
    pub session: ClientSession,
    /// The server supports RFC 5746 secure renegotiation.
    pub secure_renegotiation: bool,
    /// We asked to renegotiate (`renegotiate`): the server's ServerHello is reported.
    pub renegotiation_requested: bool,
}

/// The TLS 1.0-1.2 ServerHello: downgrade sentinel, extensions, resumption (RFC 5246
/// §7.4.1.3). A resumed session goes straight to the server's ChangeCipherSpec.
pub(super) fn server_hello(
    c: &mut Common,
    config: &ClientConfig,
    m: &Incoming,
    sh: &ServerHello,
    p: SuiteParams,
    offer: ClientHello,
    version: ProtocolVersion,
) -> Result<State, TlsError> {
    // RFC 5246 §7.1: the server's ChangeCipherSpec comes after the key exchange; one that
    // came before this ServerHello (dropped while TLS 1.3 was possible, RFC 8446 §5) is the
    // CVE-2014-0224 early CCS.
    if c.middlebox_ccs_seen {
        return Err(ccs::too_early());
    }
    let mut checks = vec![];
    check_downgrade(config, version, &sh.random, &mut checks)?;
    check_point_formats(sh)?;
    let etm = check_encrypt_then_mac(c, sh, p, version, &mut checks)?;
    let tls12 = Tls12Facts {
        secure_renegotiation: check_renegotiation_info(sh, &mut checks)?,
        ems: offered(&sh.extensions, ET::EXTENDED_MASTER_SECRET),
        session_ticket: offered(&sh.extensions, ET::SESSION_TICKET),
    };
    let agreed = Agreed {
        alpn: check_alpn(config, &sh.extensions)?,
        ..Agreed::default()
    };
    let settled = Settled {
        agreed,
        check: None,
        tls12,
    };
    let ocsp_acked = offered(&sh.extensions, ET::STATUS_REQUEST);
    let resumed = resumed_session(config, sh, &offer, version, p, tls12.ems)?;
    let limits = record_limits::client_agreement(config.record_size_limit, &sh.extensions, false)?;
    c.transcript.update(&m.raw);
    if resumed.is_some() {
        checks.push(Check::pass(CheckKind::SessionIdEchoed));
    }
    m.report(c, checks);
    if let Some(a) = &limits {
        record_limits::apply(c, a);
    }
    let mut hs = Tls12 {
        version,
        p,
        server_random: sh.random,
        session_id: sh.session_id.clone(),
        etm,
        settled,
    };
    if p.needs_psk() {
        // RFC 4279 §2: "the Certificate and CertificateRequest payloads are omitted" (but
        // RSA-PSK, §4, has the server's Certificate).
        let Some(psk) = &config.psk else {
            return Err(TlsError::new(
                Alert::HandshakeFailure,
                format!("the server chose {}, but we have no PSK (--psk)", p.suite),
            ));
        };
        hs.settled.agreed.psk = Some(PskUse::external(psk, None));
    }
    let Some(session) = resumed else {
        if p.auth == Auth::Psk {
            return Ok(State::KeyExchange(ExpectServerKx::new(
                hs,
                offer,
                vec![],
                false,
            )));
        }
        return Ok(State::Certificate12(ExpectCertificate {
            hs,
            offer,
            ocsp_acked,
        }));
    };
    hs.settled.agreed.resumed = true;
    let master = session.secret.clone();
    keys::tls12_resumed_master(c, &master);
    let keys = keys::tls12_ciphers(c, &p, &master, &hs.server_random, etm)?;
    let write = keys.write;
    Ok(expect_ccs(hs, master, keys.read, Mode::Resumed { write }))
}

/// RFC 8446 §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below
/// MUST check that the last 8 bytes are not equal to either of these values"; a client that
/// offered TLS 1.2 (and not 1.3) checks DOWNGRD\x00 when the server chose 1.1 or below (a
/// SHOULD we follow). A match is illegal_parameter.
fn check_downgrade(
    config: &ClientConfig,
    version: ProtocolVersion,
    server_random: &[u8; 32],
    checks: &mut Vec<Check>,
) -> Result<(), TlsError> {
    let tail = &server_random[24..];
    let legacy = version < ProtocolVersion::TLS12;
    let offers13 = super::hello::offers13(config);
    if offers13 || (legacy && super::hello::offers12(config)) {
        let sentinel = tail == DOWNGRADE_TLS11 || (offers13 && tail == DOWNGRADE_TLS12);
        if sentinel {
            return Err(TlsError::illegal(format!(
                "the server random carries the downgrade sentinel: an attacker may have removed {} (RFC 8446 §4.1.3)",
                if offers13 { "TLS 1.3" } else { "TLS 1.2" }
            )));
        }
        checks.push(Check::pass(CheckKind::DowngradeSentinelAbsent { version }));
    }
    checks.extend(tls12_policy::deprecated_version(version));
    Ok(())
}

/// RFC 8422 §5.2: the server's ec_point_formats "MUST contain the value 0 (uncompressed)",
/// and the client "MUST respect the server's choice of point formats"; uncompressed is the
/// only one we have, so a list without it is illegal_parameter (as §5.1.2 names for the
/// server's mirror check).
fn check_point_formats(sh: &ServerHello) -> Result<(), TlsError> {
    match find(&sh.extensions, ET::EC_POINT_FORMATS).map(|e| &e.body) {
        Some(ExtBody::EcPointFormats(f)) if !f.contains(&EcPointFormat::UNCOMPRESSED) => {
            Err(TlsError::illegal(
                "the server's ec_point_formats lacks the uncompressed format (RFC 8422 §5.2)",
            ))
        }
        _ => Ok(()),
    }
}

/// RFC 7366 §3: encrypt_then_mac only for a CBC suite; a CBC suite without it, or under
/// TLS 1.0 (BEAST), is reported. Returns whether it was negotiated.
fn check_encrypt_then_mac(
    c: &mut Common,
    sh: &ServerHello,
    p: SuiteParams,
    version: ProtocolVersion,
    checks: &mut Vec<Check>,
) -> Result<bool, TlsError> {
    let etm = offered(&sh.extensions, ET::ENCRYPT_THEN_MAC);
    if etm && !p.is_cbc() {
        return Err(TlsError::illegal(
            "the server sent encrypt_then_mac for a suite that is not CBC (RFC 7366 §3)",
        ));
    }
    if p.is_cbc() {
        checks.push(Check::new(
            CheckKind::EncryptThenMac {
                negotiated: etm,
                by: Side::Client,
            },
            etm,
        ));
        if version == ProtocolVersion::TLS10 {
            checks.push(tls12_policy::beast(c));
        }
    }
    Ok(etm)
}

/// RFC 5746 §3.4: an empty renegotiation_info on an initial handshake. Returns whether the
/// server supports secure renegotiation.
fn check_renegotiation_info(sh: &ServerHello, checks: &mut Vec<Check>) -> Result<bool, TlsError> {
    match find(&sh.extensions, ET::RENEGOTIATION_INFO).map(|e| &e.body) {
        Some(ExtBody::RenegotiationInfo(v)) if v.is_empty() => Ok(true),
        Some(_) => Err(TlsError::new(
            Alert::HandshakeFailure,
            "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)",
        )),
        None => {
            checks.push(Check::fail(CheckKind::NoSecureRenegotiation));
            Ok(false)
        }
    }
}

/// RFC 5246 §7.4.1.3: the server resumes by echoing our session id; the session must keep
/// its version, suite and extended_master_secret use (RFC 7627 §5.3).
fn resumed_session<'a>(
    config: &'a ClientConfig,
    sh: &ServerHello,
    offer: &ClientHello,
    version: ProtocolVersion,
    p: SuiteParams,
    ems: bool,
) -> Result<Option<&'a ClientSession>, TlsError> {
    let Some(s) = config
        .resume
        .as_ref()
        .filter(|s| s.version < ProtocolVersion::TLS13)
    else {
        return Ok(None);
    };
    if sh.session_id.is_empty() || sh.session_id != offer.session_id {
        return Ok(None);
    }
    if s.version != version {
        return Err(TlsError::illegal(
            "the server resumed the session with a different protocol version",
        ));
    }
    if s.suite != p.suite {
        return Err(TlsError::illegal(
            "the server resumed the session with a different cipher suite",
        ));
    }
    if s.extended_master_secret != ems {
        return Err(TlsError::new(
            Alert::HandshakeFailure,
            "the resumed session's extended_master_secret use changed (RFC 7627 §5.3)",
        ));
    }
    Ok(Some(s))
}

/// The state once the keys are computed.
pub(super) fn expect_ccs(hs: Tls12, master: Vec<u8>, read: RecordCipher, mode: Mode) -> State {
    let ticket_acked = hs.settled.tls12.session_ticket;
    let next = ExpectCcs {
        hs,
        master,
        read,
        mode,
        new_ticket: None,
    };
    if ticket_acked {
        State::TicketOrCcs(next)
    } else {
        State::Ccs(next)
    }
}

/// RFC 5246 §7.4.2: the server's key "MUST be compatible with the selected key exchange
/// algorithm": an RSA key for the RSA suites (rsaEncryption for RSA key transport and RSA-PSK, either
/// rsaEncryption or id-RSASSA-PSS when it only signs, RFC 8446 §4.2.3), an ECDSA or EdDSA
/// one for ECDHE_ECDSA (RFC 8422 §5.3). Another is illegal_parameter.
fn check_key_fits_suite(p: &SuiteParams, spki: &[u8]) -> Result<(), TlsError> {
    let rsa = sign::is_any_rsa_spki(spki);
    let fits = match p.auth {
        Auth::Rsa if matches!(p.kx, Kx::Rsa | Kx::RsaPsk) => sign::is_rsa_spki(spki),
        Auth::Rsa => rsa,
        Auth::Ecdsa => !rsa,
        _ => true,
    };
    if fits {
        return Ok(());
    }
    Err(TlsError::illegal(format!(
        "the server's certificate has {} key, which {} cannot use (RFC 5246 §7.4.2)",
        match (rsa, sign::is_rsa_spki(spki)) {
            (true, true) => "an RSA",
            (true, false) => "an RSA-PSS",
            _ => "a non-RSA",
        },
        p.suite
    )))
}

impl ExpectCertificate {
    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        cert: &Certificate,
    ) -> Result<State, TlsError> {
        if self.hs.p.kx == Kx::Any {
            return Err(unexpected("EncryptedExtensions", &m.msg));
        }
        let mut hs = self.hs;
        let (spki, check) = auth::receive_certificate(c, config, &self.offer.extensions, m, cert)?;
        check_key_fits_suite(&hs.p, &spki)?;
        hs.settled.check = check;
        Ok(State::StatusOrKeyExchange(ExpectServerKx::new(
            hs,
            self.offer,
            spki,
            self.ocsp_acked,
        )))
    }
}

impl ExpectCcs {
    /// RFC 5077 §3.3: a ticket for the next connection.
    pub(super) fn on_ticket(
        mut self,
        c: &mut Common,
        m: &Incoming,
        t: &NewSessionTicket12,
    ) -> State {
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::pass(CheckKind::SessionTicket {
                len: t.ticket.len(),
                lifetime_hint: t.lifetime_hint,
            })],
        );
        if !t.ticket.is_empty() {
            self.new_ticket = Some(t.ticket.clone());
        }
        State::Ccs(self)
    }

    /// The server's ChangeCipherSpec (RFC 5246 §7.1): its keys take effect. `ticket_expected`:
    /// it comes where a NewSessionTicket was due.
    pub(super) fn on_ccs(self, c: &mut Common, ticket_expected: bool) -> State {
        if ticket_expected && !self.hs.settled.agreed.resumed {
            // The server acknowledged session_ticket but sent no NewSessionTicket: allowed
            // only if it decided not to issue one (RFC 5077 §3.3 says it MUST send one).
            c.emit(Event::Warning(Warning::TicketMissing));
        }
        ccs::receive12(c, self.read);
        State::Finished12(ExpectFinished {
            hs: self.hs,
            master: self.master,
            mode: self.mode,
            new_ticket: self.new_ticket,
        })
    }
}

impl ExpectFinished {
    /// The server's Finished (RFC 5246 §7.4.9); when resuming, our CCS and Finished follow.
    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<State, TlsError> {
        let hs = self.hs;
        let hash = hs.p.hash;
        let master = &self.master;
        receive_finished(c, m, vd, FinishedKey::Tls12 { hash, master })?;
        if let Mode::Resumed { write } = self.mode {
            send_ccs_finished12(c, write, hash, master);
        }
        let ticket = self.new_ticket.or_else(|| {
            config
                .resume
                .as_ref()
                .filter(|_| hs.settled.agreed.resumed)
                .and_then(|s| s.ticket.clone())
        });
        let session = ClientSession {
            version: hs.version,
            suite: hs.p.suite,
            session_id: hs.session_id,
            secret: self.master,
            ticket,
            extended_master_secret: hs.settled.tls12.ems,
            age_add: 0,
            lifetime: 0,
            received_ms: now_ms(),
            verified: hs.settled.session_verified(config),
            max_early_data: 0,
            alpn: None,
        };
        finish(c, config, hs.p.suite, &hs.settled);
        Ok(State::Established12(Established {
            session,
            secure_renegotiation: hs.settled.tls12.secure_renegotiation,
            renegotiation_requested: false,
        }))
    }
}
