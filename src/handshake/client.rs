//! The client state machine: TLS 1.2 full and abbreviated handshakes (RFC 5246 §7.3,
//! RFC 5077, RFC 7627, RFC 5746) and TLS 1.3 with HelloRetryRequest and PSK resumption
//! (RFC 8446 §2, §4).

use rand::RngCore;

use super::config::{ChainCheck, ClientConfig};
use super::keys::{self, Tls13Secrets};
use super::session::{now_ms, ClientSession};
use super::suite_params::{self, SuiteParams};
use super::{unexpected, Common, Incoming, Role};
use crate::crypto::aead::RecordCipher;
use crate::crypto::dh::{self, DhKey};
use crate::crypto::kx::{rsa_encrypt_premaster, EphemeralKey};
use crate::crypto::{key_schedule as ks, prf, sign};
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Check, Event, Summary};
use crate::wire::codepoints::{
    CompressionMethod, EcPointFormat, ExtensionType as ET, NamedGroup, ProtocolVersion,
    PskKeyExchangeMode, SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody, Extension, PskIdentity, ServerNames};
use crate::wire::handshake::{
    Certificate, CertificateEntry, CertificateVerify, ClientHello, ClientKeyExchange,
    HandshakeMessage as HM, ServerHello, ServerKeyExchange, DOWNGRADE_TLS11, DOWNGRADE_TLS12,
};
use crate::wire::suites::{CipherSuite, Kx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    ServerHello,
    // TLS 1.2
    Certificate12,
    StatusOrKeyExchange,
    KeyExchange,
    RequestOrDone,
    HelloDone,
    TicketOrCcs,
    Ccs,
    Finished12,
    // TLS 1.3
    EncryptedExtensions,
    CertOrRequest13,
    Certificate13,
    CertificateVerify13,
    Finished13,
    Established,
}

/// What the server asked for in a CertificateRequest.
struct CertRequest {
    context: Vec<u8>,
    sigalgs: Vec<SignatureScheme>,
}

pub struct ClientState {
    config: ClientConfig,
    state: State,
    ch: ClientHello,
    share: Option<EphemeralKey>,
    p: Option<SuiteParams>,
    server_random: [u8; 32],
    chain: Vec<Vec<u8>>,
    check: Option<ChainCheck>,
    group: Option<NamedGroup>,
    scheme: Option<SignatureScheme>,
    ems: bool,
    secure_renegotiation: bool,
    ticket_acked: bool,
    ocsp_acked: bool,
    alpn: Option<Vec<u8>>,
    resumed: bool,
    master: Vec<u8>,
    server_kx: Option<(NamedGroup, Vec<u8>)>,
    cert_request: Option<CertRequest>,
    s13: Option<Tls13Secrets>,
    hrr_suite: Option<CipherSuite>,
    psk_offered: bool,
    resumption_master: Vec<u8>,
    session: Option<ClientSession>,
    new_ticket12: Option<Vec<u8>>,
    pending_write: Option<RecordCipher>,
    pending_read: Option<RecordCipher>,
    server_session_id: Vec<u8>,
    /// encrypt_then_mac acknowledged for a CBC suite (RFC 7366).
    etm: bool,
    /// The server's DHE parameters (p, g, Ys), checked.
    server_dh: Option<(Vec<u8>, Vec<u8>, Vec<u8>)>,
}

fn offered(exts: &[Extension], t: ET) -> bool {
    find(exts, t).is_some()
}

/// The SubjectPublicKeyInfo of a certificate (RFC 5280 §4.1.2.7).
pub fn leaf_spki(der: &[u8]) -> Result<Vec<u8>, TlsError> {
    use x509_parser::prelude::FromDer;
    let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der).map_err(|e| {
        TlsError::new(
            Alert::BadCertificate,
            format!("the peer's certificate could not be parsed: {e}"),
        )
    })?;
    Ok(cert.tbs_certificate.subject_pki.raw.to_vec())
}

impl ClientState {
    pub fn start(config: ClientConfig, c: &mut Common) -> Result<ClientState, TlsError> {
        c.rng.fill_bytes(&mut c.client_random);
        let mut me = ClientState {
            config,
            state: State::ServerHello,
            ch: ClientHello {
                extensions_absent: false,
                version: ProtocolVersion::TLS12,
                random: c.client_random,
                session_id: vec![],
                cipher_suites: vec![],
                compression_methods: vec![CompressionMethod::NULL],
                extensions: vec![],
            },
            share: None,
            p: None,
            server_random: [0; 32],
            chain: vec![],
            check: None,
            group: None,
            scheme: None,
            ems: false,
            secure_renegotiation: false,
            ticket_acked: false,
            ocsp_acked: false,
            alpn: None,
            resumed: false,
            master: vec![],
            server_kx: None,
            cert_request: None,
            s13: None,
            hrr_suite: None,
            psk_offered: false,
            resumption_master: vec![],
            session: None,
            new_ticket12: None,
            pending_write: None,
            pending_read: None,
            server_session_id: vec![],
            etm: false,
            server_dh: None,
        };
        let first_group = *me
            .config
            .groups
            .first()
            .ok_or_else(|| TlsError::internal("no key-exchange group configured"))?;
        let ch = me.build_hello(c, first_group, None)?;
        me.ch = ch.clone();
        c.rl.write_version = ProtocolVersion::TLS10;
        c.send_handshake(HM::ClientHello(ch), vec![]);
        c.rl.write_version = me.legacy_max().unwrap_or(ProtocolVersion::TLS12);
        Ok(me)
    }

    /// The highest enabled version up to TLS 1.2 (what client_version carries).
    fn legacy_max(&self) -> Option<ProtocolVersion> {
        self.config
            .versions
            .iter()
            .copied()
            .filter(|v| *v >= ProtocolVersion::TLS10 && *v <= ProtocolVersion::TLS12)
            .max()
    }

    fn offers13(&self) -> bool {
        self.config.versions.contains(&ProtocolVersion::TLS13)
    }

    fn offers12(&self) -> bool {
        self.config.versions.contains(&ProtocolVersion::TLS12)
    }

    /// Builds a ClientHello (RFC 8446 §4.1.2). On a retry, `cookie` echoes the HRR's.
    fn build_hello(
        &mut self,
        c: &mut Common,
        share_group: NamedGroup,
        cookie: Option<Vec<u8>>,
    ) -> Result<ClientHello, TlsError> {
        // `o12`: any of TLS 1.0-1.2 is enabled (the TLS 1.2-style hello and extensions).
        let o13 = self.offers13();
        let max12 = self.legacy_max();
        let o12 = max12.is_some();
        if !o12 && !o13 {
            return Err(TlsError::internal("no protocol version is enabled"));
        }
        let suites: Vec<CipherSuite> = self
            .config
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
        let resume = self.config.resume.clone();
        let session_id = if !self.ch.session_id.is_empty() {
            self.ch.session_id.clone()
        } else {
            match &resume {
                Some(s) if s.version < ProtocolVersion::TLS13 && !s.session_id.is_empty() => {
                    s.session_id.clone()
                }
                Some(s) if s.version < ProtocolVersion::TLS13 || o13 => {
                    let mut id = vec![0; 32];
                    c.rng.fill_bytes(&mut id);
                    let _ = s;
                    id
                }
                None if o13 => {
                    let mut id = vec![0; 32];
                    c.rng.fill_bytes(&mut id);
                    id
                }
                _ => vec![],
            }
        };

        let mut exts = vec![];
        if let Some(sni) = &self.config.sni {
            exts.push(Extension::new(
                ET::SERVER_NAME,
                ExtBody::ServerName(ServerNames::host(sni)),
            ));
        }
        if o12 {
            exts.push(Extension::new(
                ET::EC_POINT_FORMATS,
                ExtBody::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED]),
            ));
        }
        exts.push(Extension::new(
            ET::SUPPORTED_GROUPS,
            ExtBody::SupportedGroups(self.config.groups.clone()),
        ));
        if o12 && self.config.session_tickets {
            let ticket = match &resume {
                Some(s) if s.version < ProtocolVersion::TLS13 => {
                    s.ticket.clone().unwrap_or_default()
                }
                _ => vec![],
            };
            exts.push(Extension::new(
                ET::SESSION_TICKET,
                ExtBody::SessionTicket(ticket),
            ));
        }
        if !self.config.alpn.is_empty() {
            exts.push(Extension::new(
                ET::ALPN,
                ExtBody::Alpn(self.config.alpn.clone()),
            ));
        }
        if self.config.status_request {
            exts.push(Extension::new(ET::STATUS_REQUEST, ExtBody::ocsp_request()));
        }
        if o12 {
            exts.push(Extension::new(
                ET::EXTENDED_MASTER_SECRET,
                ExtBody::ExtendedMasterSecret,
            ));
        }
        // RFC 7366: ask for encrypt-then-MAC when a CBC suite is offered.
        if o12
            && suites
                .iter()
                .any(|s| suite_params::params(*s).is_some_and(|p| p.is_cbc()))
        {
            exts.push(Extension::new(
                ET::ENCRYPT_THEN_MAC,
                ExtBody::EncryptThenMac,
            ));
        }
        // RFC 5246 §7.4.1.4.1: not meaningful below TLS 1.2.
        if o13 || max12 == Some(ProtocolVersion::TLS12) {
            exts.push(Extension::new(
                ET::SIGNATURE_ALGORITHMS,
                ExtBody::SignatureAlgorithms(self.config.sigalgs.clone()),
            ));
        }
        if o13 {
            let mut versions = vec![ProtocolVersion::TLS13];
            for v in [
                ProtocolVersion::TLS12,
                ProtocolVersion::TLS11,
                ProtocolVersion::TLS10,
            ] {
                if self.config.versions.contains(&v) {
                    versions.push(v);
                }
            }
            exts.push(Extension::new(
                ET::SUPPORTED_VERSIONS,
                ExtBody::SupportedVersionsClient(versions),
            ));
            if let Some(ck) = cookie {
                exts.push(Extension::new(ET::COOKIE, ExtBody::Cookie(ck)));
            }
            exts.push(Extension::new(
                ET::PSK_KEY_EXCHANGE_MODES,
                ExtBody::PskKeyExchangeModes(vec![PskKeyExchangeMode::PSK_DHE_KE]),
            ));
            let share = EphemeralKey::generate(share_group, &mut c.rng)?;
            exts.push(Extension::new(
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(share_group, share.public_key())]),
            ));
            self.share = Some(share);
        }
        if o12 {
            exts.push(Extension::new(
                ET::RENEGOTIATION_INFO,
                ExtBody::RenegotiationInfo(vec![]),
            ));
        }
        let mut ch = ClientHello {
            extensions_absent: false,
            version: max12.unwrap_or(ProtocolVersion::TLS12),
            random: c.client_random,
            session_id,
            cipher_suites: suites,
            compression_methods: vec![CompressionMethod::NULL],
            extensions: exts,
        };
        // RFC 8446 §4.2.11: pre_shared_key comes last; the binder covers the truncated hello.
        self.psk_offered = false;
        if let Some(s) = resume.filter(|s| s.version == ProtocolVersion::TLS13 && o13) {
            let hash = suite_params::params(s.suite).map(|p| p.hash);
            let hrr_ok = self
                .hrr_suite
                .is_none_or(|hs| suite_params::params(hs).map(|p| p.hash) == hash);
            if let (Some(h), Some(ticket), true) = (hash, s.ticket.clone(), hrr_ok) {
                let age = (now_ms().saturating_sub(s.received_ms) as u32).wrapping_add(s.age_add);
                let hl = h.output_len();
                ch.extensions.push(Extension::new(
                    ET::PRE_SHARED_KEY,
                    ExtBody::PreSharedKeyClient {
                        identities: vec![PskIdentity {
                            identity: ticket.clone(),
                            obfuscated_ticket_age: age,
                        }],
                        binders: vec![vec![0; hl]],
                    },
                ));
                let enc = HM::ClientHello(ch.clone()).encode();
                let truncated = &enc[..enc.len() - (2 + 1 + hl)];
                let mut t = c.transcript.clone();
                t.update(truncated);
                let early = ks::early_secret(h, Some(&s.secret));
                let bk = ks::binder_key(h, &early, false);
                let binder = ks::finished_verify_data(h, &bk, &t.hash(h));
                let last = ch.extensions.len() - 1;
                ch.extensions[last] = Extension::new(
                    ET::PRE_SHARED_KEY,
                    ExtBody::PreSharedKeyClient {
                        identities: vec![PskIdentity {
                            identity: ticket,
                            obfuscated_ticket_age: age,
                        }],
                        binders: vec![binder],
                    },
                );
                self.psk_offered = true;
            }
        }
        Ok(ch)
    }

    pub fn session(&self) -> Option<ClientSession> {
        self.session.clone()
    }

    fn params(&self) -> Result<SuiteParams, TlsError> {
        self.p
            .ok_or_else(|| TlsError::internal("cipher suite not yet negotiated"))
    }

    fn on_server_hello(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        sh: &ServerHello,
    ) -> Result<(), TlsError> {
        // RFC 8446 §4.1.3 / RFC 5246 §7.4.1.4: only extensions we offered may come back.
        for e in &sh.extensions {
            if !offered(&self.ch.extensions, e.typ) && e.typ != ET::COOKIE {
                return Err(TlsError::new(
                    Alert::UnsupportedExtension,
                    format!(
                        "the server sent the {} extension, which we did not offer",
                        e.name()
                    ),
                ));
            }
        }
        let version = match find(&sh.extensions, ET::SUPPORTED_VERSIONS).map(|e| &e.body) {
            Some(ExtBody::SupportedVersionsServer(v)) => {
                if *v != ProtocolVersion::TLS13 || !self.offers13() {
                    return Err(TlsError::illegal(format!(
                        "the server selected {v} in supported_versions, which we did not offer"
                    )));
                }
                ProtocolVersion::TLS13
            }
            _ => {
                // RFC 5246 §7.4.1.3, RFC 4346 Appendix E.1: the server picks a version up to
                // our client_version; one we did not enable is a protocol_version error.
                let v = sh.version;
                if v >= ProtocolVersion::TLS10
                    && Some(v) <= self.legacy_max()
                    && self.config.versions.contains(&v)
                {
                    v
                } else {
                    return Err(TlsError::new(
                        Alert::ProtocolVersion,
                        format!("the server chose {}, which we did not offer", sh.version),
                    ));
                }
            }
        };
        if sh.is_hello_retry_request() {
            return self.on_hello_retry(c, m, sh);
        }
        let p = suite_params::params(sh.cipher_suite)
            .filter(|p| self.ch.cipher_suites.contains(&p.suite))
            .ok_or_else(|| {
                TlsError::illegal(format!(
                    "the server chose {}, which we did not offer",
                    sh.cipher_suite
                ))
            })?;
        if !p.usable_in(version) {
            return Err(TlsError::illegal(format!(
                "the server chose {} for {version}, for which it is not defined",
                p.suite
            )));
        }
        let p = p.for_version(version);
        if let Some(hs) = self.hrr_suite {
            if hs != p.suite {
                return Err(TlsError::illegal(
                    "ServerHello suite differs from the HelloRetryRequest's",
                ));
            }
        }
        if sh.compression_method != CompressionMethod::NULL {
            return Err(TlsError::illegal(format!(
                "the server chose compression {}, we offered only null",
                sh.compression_method
            )));
        }
        self.p = Some(p);
        self.server_random = sh.random;
        c.version = Some(version);
        c.kx = Some(p.kx);
        if version < ProtocolVersion::TLS13 {
            c.rl.write_version = version;
        }
        if version == ProtocolVersion::TLS13 {
            self.server_hello13(c, m, sh, p)
        } else {
            self.server_hello12(c, m, sh, p)
        }
    }

    fn server_hello12(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        sh: &ServerHello,
        p: SuiteParams,
    ) -> Result<(), TlsError> {
        let mut checks = vec![];
        let version = c.version.unwrap_or(ProtocolVersion::TLS12);
        let tail = &sh.random[24..];
        // RFC 8446 §4.1.3: both sentinels when we offered TLS 1.3; DOWNGRD\x00 also when we
        // offered TLS 1.2 and the server chose 1.1 or below.
        let legacy = version < ProtocolVersion::TLS12;
        if self.offers13() || (legacy && self.offers12()) {
            if (self.offers13() && tail == DOWNGRADE_TLS12) || (legacy && tail == DOWNGRADE_TLS11) {
                return Err(TlsError::illegal(format!(
                    "the server random carries the downgrade sentinel: an attacker may have removed {} (RFC 8446 §4.1.3)",
                    if self.offers13() { "TLS 1.3" } else { "TLS 1.2" }
                )));
            }
            checks.push(Check::new(
                "downgrade sentinel",
                true,
                format!(
                    "absent ({version} chosen while a higher version was offered; RFC 8446 §4.1.3)"
                ),
            ));
        }
        if legacy {
            checks.push(Check::new(
                "protocol version",
                false,
                format!("{version} is deprecated (RFC 8996)"),
            ));
        }
        // RFC 7366 §3: only for a CBC suite.
        self.etm = offered(&sh.extensions, ET::ENCRYPT_THEN_MAC);
        if self.etm && !p.is_cbc() {
            return Err(TlsError::illegal(
                "the server sent encrypt_then_mac for a suite that is not CBC (RFC 7366 §3)",
            ));
        }
        if p.is_cbc() {
            checks.push(Check::new(
                "encrypt-then-MAC",
                self.etm,
                if self.etm {
                    "negotiated (RFC 7366): the MAC covers the ciphertext"
                } else {
                    "not negotiated: MAC-then-encrypt, the order padding-oracle attacks exploit"
                },
            ));
            if version == ProtocolVersion::TLS10 {
                checks.push(Check::new(
                    "BEAST",
                    false,
                    "TLS 1.0 with a CBC suite: each record's IV is the previous ciphertext block, exposed to BEAST (CVE-2011-3389)",
                ));
                c.emit(Event::Warning(
                    "TLS 1.0 CBC: chained IVs are exposed to BEAST (CVE-2011-3389); tlsprobe does not split records 1/n-1".into(),
                ));
            }
        }
        match find(&sh.extensions, ET::RENEGOTIATION_INFO).map(|e| &e.body) {
            Some(ExtBody::RenegotiationInfo(v)) if v.is_empty() => {
                self.secure_renegotiation = true;
            }
            Some(_) => {
                return Err(TlsError::new(
                    Alert::HandshakeFailure,
                    "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)",
                ))
            }
            None => {
                checks.push(Check::new(
                    "secure renegotiation",
                    false,
                    "the server does not support RFC 5746 secure renegotiation",
                ));
            }
        }
        self.ems = offered(&sh.extensions, ET::EXTENDED_MASTER_SECRET);
        self.ticket_acked = offered(&sh.extensions, ET::SESSION_TICKET);
        self.ocsp_acked = offered(&sh.extensions, ET::STATUS_REQUEST);
        self.alpn = self.check_alpn(&sh.extensions)?;

        let resume = self
            .config
            .resume
            .clone()
            .filter(|s| s.version < ProtocolVersion::TLS13);
        let resumed = match &resume {
            Some(s) => {
                !sh.session_id.is_empty() && sh.session_id == self.ch.session_id && {
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
                    if s.extended_master_secret != self.ems {
                        return Err(TlsError::new(
                        Alert::HandshakeFailure,
                        "the resumed session's extended_master_secret use changed (RFC 7627 §5.3)",
                    ));
                    }
                    true
                }
            }
            None => false,
        };
        c.transcript.update(&m.raw);
        if resumed {
            checks.push(Check::new(
                "resumption",
                true,
                "the server echoed our session id: abbreviated handshake",
            ));
        }
        m.report(c, checks);
        if resumed {
            let s = resume.expect("resumed implies a session");
            self.resumed = true;
            self.master = s.secret.clone();
            c.key_event(
                "master_secret",
                "from the resumed session".into(),
                Some("CLIENT_RANDOM"),
                &s.secret,
            );
            self.install12(c, p)?;
            self.state = if self.ticket_acked {
                State::TicketOrCcs
            } else {
                State::Ccs
            };
        } else {
            self.state = State::Certificate12;
        }
        Ok(())
    }

    fn check_alpn(&self, exts: &[Extension]) -> Result<Option<Vec<u8>>, TlsError> {
        match find(exts, ET::ALPN).map(|e| &e.body) {
            Some(ExtBody::Alpn(p)) => {
                let chosen = p[0].clone();
                if !self.config.alpn.contains(&chosen) {
                    return Err(TlsError::illegal(format!(
                        "the server chose ALPN protocol {:?}, which we did not offer",
                        String::from_utf8_lossy(&chosen)
                    )));
                }
                Ok(Some(chosen))
            }
            _ => Ok(None),
        }
    }

    /// Sets up the TLS 1.2 ciphers; the read side is installed at the server's CCS, the
    /// write side at ours, so keep both until then.
    fn install12(&mut self, c: &mut Common, p: SuiteParams) -> Result<(), TlsError> {
        let (cw, sw) = keys::tls12_ciphers(c, &p, &self.master, &self.server_random, self.etm)?;
        self.pending_write = Some(cw);
        self.pending_read = Some(sw);
        Ok(())
    }
}

impl ClientState {
    /// HelloRetryRequest (RFC 8446 §4.1.4).
    fn on_hello_retry(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        sh: &ServerHello,
    ) -> Result<(), TlsError> {
        if self.hrr_suite.is_some() {
            return Err(TlsError::unexpected("a second HelloRetryRequest"));
        }
        let p = suite_params::params(sh.cipher_suite)
            .filter(|p| p.tls13 && self.ch.cipher_suites.contains(&p.suite))
            .ok_or_else(|| {
                TlsError::illegal(format!(
                    "HelloRetryRequest chose {}, which we did not offer",
                    sh.cipher_suite
                ))
            })?;
        if sh.session_id != self.ch.session_id {
            return Err(TlsError::illegal(
                "HelloRetryRequest does not echo our session id",
            ));
        }
        let group = match find(&sh.extensions, ET::KEY_SHARE).map(|e| &e.body) {
            Some(ExtBody::KeyShareHrr(g)) => Some(*g),
            _ => None,
        };
        let cookie = match find(&sh.extensions, ET::COOKIE).map(|e| &e.body) {
            Some(ExtBody::Cookie(ck)) => Some(ck.clone()),
            _ => None,
        };
        if group.is_none() && cookie.is_none() {
            return Err(TlsError::illegal(
                "HelloRetryRequest changes nothing (no key_share, no cookie)",
            ));
        }
        let current = self.share.as_ref().map(|s| s.group());
        if let Some(g) = group {
            if !self.config.groups.contains(&g) {
                return Err(TlsError::illegal(format!(
                    "HelloRetryRequest asks for {g}, which we did not offer"
                )));
            }
            if Some(g) == current {
                return Err(TlsError::illegal(format!(
                    "HelloRetryRequest asks for {g}, for which we already sent a key share"
                )));
            }
        }
        self.hrr_suite = Some(p.suite);
        c.transcript.replace_with_message_hash(p.hash);
        c.transcript.update(&m.raw);
        let detail = match group {
            Some(g) => format!("the server wants a key share for {g}"),
            None => "the server sent a cookie".into(),
        };
        m.report(c, vec![Check::new("retry", true, detail)]);
        let g = group.or(current).expect("a share was sent");
        let ch = self.build_hello(c, g, cookie)?;
        self.ch = ch.clone();
        c.send_handshake(HM::ClientHello(ch), vec![]);
        Ok(())
    }

    fn server_hello13(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        sh: &ServerHello,
        p: SuiteParams,
    ) -> Result<(), TlsError> {
        if sh.session_id != self.ch.session_id {
            return Err(TlsError::illegal(
                "the TLS 1.3 ServerHello does not echo our legacy_session_id",
            ));
        }
        let mut psk = None;
        if let Some(e) = find(&sh.extensions, ET::PRE_SHARED_KEY) {
            let ExtBody::PreSharedKeyServer(idx) = e.body else {
                return Err(TlsError::decode("bad pre_shared_key extension"));
            };
            let s = self.config.resume.clone().filter(|_| self.psk_offered);
            match s {
                Some(s) if idx == 0 => {
                    if suite_params::params(s.suite).map(|x| x.hash) != Some(p.hash) {
                        return Err(TlsError::illegal(
                            "the server accepted our PSK with a suite of another hash",
                        ));
                    }
                    psk = Some(s.secret.clone());
                }
                _ => {
                    return Err(TlsError::illegal(format!(
                        "the server selected PSK identity {idx}, which we did not offer"
                    )))
                }
            }
        }
        let (g, pk) = match find(&sh.extensions, ET::KEY_SHARE).map(|e| &e.body) {
            Some(ExtBody::KeyShareServer(g, pk)) => (*g, pk.clone()),
            _ => {
                return Err(TlsError::new(
                    Alert::MissingExtension,
                    "the TLS 1.3 ServerHello has no key_share (we offer only psk_dhe_ke)",
                ))
            }
        };
        let share = self
            .share
            .take()
            .ok_or_else(|| TlsError::internal("no key share"))?;
        if share.group() != g {
            return Err(TlsError::illegal(format!(
                "the server's key_share is for {g}, but we sent one for {}",
                share.group()
            )));
        }
        let shared = share.agree(&pk)?;
        self.group = Some(g);
        self.resumed = psk.is_some();
        c.transcript.update(&m.raw);
        let mut checks = vec![];
        if let Some(idx) = psk.as_ref().map(|_| 0) {
            checks.push(Check::new(
                "resumption",
                true,
                format!("the server accepted PSK identity {idx} (our ticket)"),
            ));
        }
        m.report(c, checks);
        let th = c.transcript.hash(p.hash);
        let s = keys::tls13_handshake(c, p, psk.as_deref(), &shared, &th);
        c.check_no_partial_handshake()?;
        let rc = keys::cipher13(c, &p, &s.server_hs.clone(), "server_handshake_traffic")?;
        c.rl.set_read_cipher(rc, true);
        self.s13 = Some(s);
        self.state = State::EncryptedExtensions;
        Ok(())
    }

    fn on_encrypted_extensions(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        exts: &[Extension],
    ) -> Result<(), TlsError> {
        let mut checks = vec![];
        for e in exts {
            if matches!(
                e.typ,
                ET::KEY_SHARE
                    | ET::SUPPORTED_VERSIONS
                    | ET::PRE_SHARED_KEY
                    | ET::PSK_KEY_EXCHANGE_MODES
                    | ET::SIGNATURE_ALGORITHMS
                    | ET::COOKIE
                    | ET::STATUS_REQUEST
            ) {
                return Err(TlsError::illegal(format!(
                    "{} is not allowed in EncryptedExtensions (RFC 8446 §4.2)",
                    e.name()
                )));
            }
            if e.typ == ET::EARLY_DATA {
                checks.push(Check::new(
                    "early data",
                    true,
                    "the server accepts 0-RTT early data; tlsprobe does not send it",
                ));
                continue;
            }
            if !offered(&self.ch.extensions, e.typ) {
                return Err(TlsError::new(
                    Alert::UnsupportedExtension,
                    format!("the server sent {}, which we did not offer", e.name()),
                ));
            }
        }
        self.alpn = self.check_alpn(exts)?;
        c.transcript.update(&m.raw);
        m.report(c, checks);
        self.state = if self.resumed {
            State::Finished13
        } else {
            State::CertOrRequest13
        };
        Ok(())
    }

    fn verify_chain(&mut self, c: &mut Common) {
        if let Some(v) = self.config.verifier.clone() {
            let r = v.verify(&self.chain);
            c.emit(Event::Verify {
                ok: r.ok,
                errors: r.errors.clone(),
                detail: r.detail.clone(),
            });
            self.check = Some(r);
        }
    }

    fn on_certificate(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        cert: &Certificate,
    ) -> Result<(), TlsError> {
        if cert.entries.is_empty() {
            return Err(TlsError::decode(
                "the server sent an empty certificate chain",
            ));
        }
        if let Some(ctx) = &cert.context {
            if !ctx.is_empty() {
                return Err(TlsError::illegal(
                    "server Certificate with a non-empty certificate_request_context",
                ));
            }
        }
        for e in cert.entries.iter().flat_map(|e| &e.extensions) {
            let ok = match e.typ {
                ET::STATUS_REQUEST => self.config.status_request,
                ET::SIGNED_CERTIFICATE_TIMESTAMP => offered(&self.ch.extensions, e.typ),
                _ => false,
            };
            if !ok {
                return Err(TlsError::new(
                    Alert::UnsupportedExtension,
                    format!("certificate entry extension {} was not requested", e.name()),
                ));
            }
        }
        self.chain = cert.entries.iter().map(|e| e.der.clone()).collect();
        leaf_spki(&self.chain[0])?;
        c.transcript.update(&m.raw);
        // RFC 8446 §4.4.2.1: a stapled OCSP response rides in the leaf's entry.
        let checks = cert.entries[0]
            .extensions
            .iter()
            .filter_map(|e| match &e.body {
                ExtBody::OcspResponse(r) => Some(match crate::pki::ocsp::describe(r) {
                    Ok(o) => Check::new("OCSP", o.cert_status.as_deref() == Some("good"), o.line()),
                    Err(err) => {
                        Check::new("OCSP", false, format!("stapled response unreadable: {err}"))
                    }
                }),
                _ => None,
            })
            .collect();
        m.report(c, checks);
        self.verify_chain(c);
        Ok(())
    }

    fn on_certificate_verify13(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        cv: &CertificateVerify,
    ) -> Result<(), TlsError> {
        let p = self.params()?;
        if !self.config.sigalgs.contains(&cv.scheme) {
            return Err(TlsError::illegal(format!(
                "the server signed with {}, which we did not offer",
                cv.scheme
            )));
        }
        let th = c.transcript.hash(p.hash);
        let content = sign::tls13_verify_content(true, &th);
        let spki = leaf_spki(&self.chain[0])?;
        sign::verify(cv.scheme, &spki, &content, &cv.signature, false)?;
        self.scheme = Some(cv.scheme);
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::new(
                "signature",
                true,
                format!(
                    "{} over the handshake transcript verified with the leaf key",
                    cv.scheme
                ),
            )],
        );
        self.state = State::Finished13;
        Ok(())
    }

    fn on_finished13(&mut self, c: &mut Common, m: &Incoming, vd: &[u8]) -> Result<(), TlsError> {
        let p = self.params()?;
        let mut s = self
            .s13
            .take()
            .ok_or_else(|| TlsError::internal("no TLS 1.3 secrets"))?;
        let th = c.transcript.hash(p.hash);
        let expected = ks::finished_verify_data(p.hash, &s.server_hs, &th);
        super::check_finished(&expected, vd, "server")?;
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::new(
                "verify_data",
                true,
                "matches HMAC(server finished_key, transcript)",
            )],
        );
        let th = c.transcript.hash(p.hash);
        keys::tls13_application(c, &mut s, &th);
        c.check_no_partial_handshake()?;
        let rc = keys::cipher13(c, &p, &s.server_app.clone(), "server_application_traffic")?;
        c.rl.set_read_cipher(rc, true);

        // Our second flight (RFC 8446 §4.4): [CCS], [Certificate, CertificateVerify], Finished.
        if !self.ch.session_id.is_empty() {
            c.send_ccs(true);
        }
        let wc = keys::cipher13(c, &p, &s.client_hs.clone(), "client_handshake_traffic")?;
        c.rl.set_write_cipher(wc, true);
        if let Some(req) = self.cert_request.take() {
            if let Some((ck, scheme)) =
                self.send_client_certificate(c, Some(req.context), &req.sigalgs, true)
            {
                self.send_certificate_verify(c, ck, scheme, true)?;
            }
        }
        let th = c.transcript.hash(p.hash);
        let vd = ks::finished_verify_data(p.hash, &s.client_hs, &th);
        c.send_handshake(HM::Finished(vd), vec![]);
        let wc = keys::cipher13(c, &p, &s.client_app.clone(), "client_application_traffic")?;
        c.rl.set_write_cipher(wc, true);
        let th = c.transcript.hash(p.hash);
        self.resumption_master = ks::derive_secret(p.hash, &s.master, "res master", &th);
        c.key_event(
            "resumption_master_secret",
            "Derive-Secret(master_secret, \"res master\", ClientHello..client Finished)".into(),
            None,
            &self.resumption_master.clone(),
        );
        self.s13 = Some(s);
        self.finish(c);
        Ok(())
    }

    /// Sends our Certificate; returns the key and scheme for the CertificateVerify that
    /// follows (at once in TLS 1.3, after the ClientKeyExchange in TLS 1.2).
    fn send_client_certificate(
        &mut self,
        c: &mut Common,
        context: Option<Vec<u8>>,
        sigalgs: &[SignatureScheme],
        tls13: bool,
    ) -> Option<(super::config::CertifiedKey, SignatureScheme)> {
        let chosen = self
            .config
            .client_cert
            .clone()
            .and_then(|ck| ck.key.choose_scheme(sigalgs, tls13).map(|s| (ck, s)));
        let entries = chosen
            .as_ref()
            .map(|(ck, _)| {
                ck.chain
                    .iter()
                    .map(|d| CertificateEntry {
                        der: d.clone(),
                        extensions: vec![],
                    })
                    .collect()
            })
            .unwrap_or_default();
        let checks = if chosen.is_none() {
            let why = if self.config.client_cert.is_some() {
                "our key cannot sign with any scheme the server accepts: sending no certificate"
            } else {
                "no --cert given: sending an empty certificate list"
            };
            vec![Check::new("client certificate", false, why)]
        } else {
            vec![]
        };
        c.send_handshake(HM::Certificate(Certificate { context, entries }), checks);
        chosen
    }

    /// CertificateVerify (RFC 8446 §4.4.3; RFC 5246 §7.4.8: over all handshake messages so far).
    fn send_certificate_verify(
        &mut self,
        c: &mut Common,
        ck: super::config::CertifiedKey,
        scheme: SignatureScheme,
        tls13: bool,
    ) -> Result<(), TlsError> {
        let msg = if tls13 {
            let th = c.transcript.hash(self.params()?.hash);
            sign::tls13_verify_content(false, &th)
        } else {
            c.transcript.bytes().to_vec()
        };
        let signature = ck.key.sign(scheme, &msg, &mut c.rng)?;
        c.send_handshake(
            HM::CertificateVerify(CertificateVerify { scheme, signature }),
            vec![],
        );
        Ok(())
    }

    fn on_server_key_exchange(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        skx: &ServerKeyExchange,
    ) -> Result<(), TlsError> {
        let mut checks = vec![];
        let (params, scheme, signature) = match skx {
            ServerKeyExchange::Ecdhe {
                group,
                public,
                params,
                scheme,
                signature,
            } => {
                if !self.config.groups.contains(group) {
                    return Err(TlsError::illegal(format!(
                        "the server chose {group}, which we did not offer"
                    )));
                }
                self.server_kx = Some((*group, public.clone()));
                self.group = Some(*group);
                (params, scheme, signature)
            }
            ServerKeyExchange::Dhe {
                p,
                g,
                ys,
                params,
                scheme,
                signature,
            } => {
                let info = match dh::check_server_params(p, g, ys, self.config.allow_weak_dh) {
                    Ok(i) => i,
                    Err(e) => {
                        m.report(
                            c,
                            vec![Check::new("DH parameters", false, e.message.clone())],
                        );
                        return Err(e);
                    }
                };
                checks.push(Check::new("DH parameters", !info.weak, info.describe()));
                checks.push(Check::new(
                    "DH public value",
                    true,
                    "1 < Ys < p-1 (RFC 7919 §5.1)",
                ));
                if info.weak {
                    let w = format!(
                        "the server's DHE group has a {}-bit prime: weaker than 2048 bits (Logjam, RFC 7919)",
                        info.bits
                    );
                    checks.push(Check::new("DH group strength", false, w.clone()));
                    c.emit(Event::Warning(w));
                }
                if info.known.is_none() {
                    checks.push(Check::new(
                        "DH group",
                        true,
                        "the prime is not one of the well-known groups; its primality was not tested",
                    ));
                }
                self.server_dh = Some((p.clone(), g.clone(), ys.clone()));
                (params, scheme, signature)
            }
            ServerKeyExchange::Raw(_) => {
                return Err(TlsError::unexpected(
                    "ServerKeyExchange for a suite without one",
                ))
            }
        };
        let mut signed = Vec::with_capacity(64 + params.len());
        signed.extend_from_slice(&c.client_random);
        signed.extend_from_slice(&self.server_random);
        signed.extend_from_slice(params);
        let spki = leaf_spki(&self.chain[0])?;
        let how = match scheme {
            Some(scheme) => {
                if !self.config.sigalgs.contains(scheme) {
                    return Err(TlsError::illegal(format!(
                        "the server signed with {scheme}, which we did not offer"
                    )));
                }
                sign::verify(*scheme, &spki, &signed, signature, true)?;
                self.scheme = Some(*scheme);
                scheme.to_string()
            }
            None => {
                if c.version.is_some_and(|v| v >= ProtocolVersion::TLS12) {
                    return Err(TlsError::internal("TLS 1.2 signature without an algorithm"));
                }
                sign::verify_legacy(&spki, &signed, signature)?.to_string()
            }
        };
        c.transcript.update(&m.raw);
        checks.insert(
            0,
            Check::new(
                "signature",
                true,
                format!(
                    "{how} over client_random + server_random + params verified with the leaf key"
                ),
            ),
        );
        m.report(c, checks);
        self.state = State::RequestOrDone;
        Ok(())
    }

    /// After ServerHelloDone: [Certificate], ClientKeyExchange, [CertificateVerify], CCS, Finished.
    fn send_flight12(&mut self, c: &mut Common) -> Result<(), TlsError> {
        let p = self.params()?;
        let req = self.cert_request.take();
        let signer = match &req {
            Some(r) => self.send_client_certificate(c, None, &r.sigalgs.clone(), false),
            None => None,
        };
        let pre_master = match p.kx {
            Kx::Ecdhe => {
                let (g, server_pub) = self.server_kx.clone().ok_or_else(|| {
                    TlsError::unexpected("ServerHelloDone before ServerKeyExchange")
                })?;
                let eph = EphemeralKey::generate(g, &mut c.rng)?;
                let public = eph.public_key();
                let shared = eph.agree(&server_pub)?;
                c.send_handshake(
                    HM::ClientKeyExchange(ClientKeyExchange::Ecdhe(public)),
                    vec![],
                );
                shared
            }
            Kx::Dhe => {
                let (dp, dg, ys) = self.server_dh.take().ok_or_else(|| {
                    TlsError::unexpected("ServerHelloDone before ServerKeyExchange")
                })?;
                let key = DhKey::generate(&dp, &dg, &mut c.rng)?;
                let public = key.public_key();
                // RFC 5246 §8.1.2: Z with leading zero bytes stripped.
                let z = key.agree(&ys, "server's")?;
                c.send_handshake(
                    HM::ClientKeyExchange(ClientKeyExchange::Dhe(public)),
                    vec![],
                );
                z
            }
            Kx::Rsa => {
                // RFC 5246 §7.4.7.1: client_version, the highest version we offered.
                let cv = self.ch.version.0.to_be_bytes();
                let mut pm = vec![0u8; 48];
                c.rng.fill_bytes(&mut pm);
                pm[0] = cv[0];
                pm[1] = cv[1];
                let spki = leaf_spki(&self.chain[0])?;
                let enc = rsa_encrypt_premaster(&spki, &pm, &mut c.rng)?;
                c.send_handshake(
                    HM::ClientKeyExchange(ClientKeyExchange::Rsa(enc)),
                    vec![Check::new(
                        "key transport",
                        true,
                        "48-byte pre-master secret encrypted to the server certificate's RSA key (RFC 5246 §7.4.7.1)",
                    )],
                );
                pm
            }
            _ => return Err(TlsError::internal("unsupported key exchange")),
        };
        self.master = keys::tls12_master(c, p.hash, &pre_master, self.ems, &self.server_random);
        self.install12(c, p)?;
        // A CertificateVerify follows the ClientKeyExchange when we sent a certificate.
        if let Some((ck, scheme)) = signer {
            self.send_certificate_verify(c, ck, scheme, false)?;
        }
        self.send_ccs_finished12(c)?;
        self.state = if self.ticket_acked {
            State::TicketOrCcs
        } else {
            State::Ccs
        };
        Ok(())
    }

    fn send_ccs_finished12(&mut self, c: &mut Common) -> Result<(), TlsError> {
        let p = self.params()?;
        let write = self.pending_write.take();
        super::send_ccs_finished12(c, p.hash, write, &self.master, b"client finished")
    }

    fn on_finished12(&mut self, c: &mut Common, m: &Incoming, vd: &[u8]) -> Result<(), TlsError> {
        let p = self.params()?;
        let th = c.transcript.hash(p.hash);
        let expected = prf::finished_verify_data(p.hash, &self.master, b"server finished", &th);
        super::check_finished(&expected, vd, "server")?;
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::new(
                "verify_data",
                true,
                "matches PRF(master_secret, \"server finished\", transcript hash)",
            )],
        );
        if self.resumed {
            self.send_ccs_finished12(c)?;
        }
        let ticket = self.new_ticket12.clone().or_else(|| {
            self.config
                .resume
                .as_ref()
                .filter(|_| self.resumed)
                .and_then(|s| s.ticket.clone())
        });
        self.session = Some(ClientSession {
            version: c.version.unwrap_or(ProtocolVersion::TLS12),
            suite: p.suite,
            session_id: self.ch_session_id_for_resume(),
            secret: self.master.clone(),
            ticket,
            extended_master_secret: self.ems,
            age_add: 0,
            lifetime: 0,
            received_ms: now_ms(),
            verified: self.session_verified(),
        });
        self.finish(c);
        Ok(())
    }

    fn ch_session_id_for_resume(&self) -> Vec<u8> {
        self.server_session_id.clone()
    }

    /// The chain check of this connection, or of the session it resumed.
    fn session_verified(&self) -> Option<bool> {
        match (&self.check, self.resumed) {
            (Some(r), _) => Some(r.ok),
            (None, true) => self.config.resume.as_ref().and_then(|s| s.verified),
            (None, false) => None,
        }
    }

    fn finish(&mut self, c: &mut Common) {
        c.established = true;
        self.state = State::Established;
        let p = self.p;
        // A resumed session carries the verification of the handshake that made it.
        let verified = self
            .session_verified()
            .or(if self.resumed { None } else { Some(false) });
        let tls13 = c.tls13();
        c.emit(Event::Summary(Box::new(Summary {
            version: c.version,
            cipher_suite: p.map(|p| p.suite),
            group: self.group,
            signature_scheme: self.scheme,
            alpn: self
                .alpn
                .as_ref()
                .map(|a| String::from_utf8_lossy(a).into_owned()),
            resumed: self.resumed,
            verified: if self.config.verifier.is_some() {
                verified
            } else {
                None
            },
            sni: self.config.sni.clone(),
            extended_master_secret: (!tls13).then_some(self.ems),
            secure_renegotiation: (!tls13).then_some(self.secure_renegotiation),
            session_ticket: self.ticket_acked,
            client_certificate: None,
        })));
    }

    pub fn send_key_update(&mut self, c: &mut Common, request_peer: bool) -> Result<(), TlsError> {
        let s = match (&mut self.s13, c.established) {
            (Some(s), true) => s,
            _ => {
                return Err(TlsError::internal(
                    "KeyUpdate needs an established TLS 1.3 connection",
                ))
            }
        };
        let p = s.p;
        let msg = HM::KeyUpdate(request_peer as u8);
        let raw = msg.encode();
        c.send_handshake_raw(msg, raw, vec![], false);
        keys::key_update(c, &p, &mut s.client_app, "client", true)
    }

    fn on_post_handshake13(&mut self, c: &mut Common, m: &Incoming) -> Result<(), TlsError> {
        let p = self.params()?;
        match &m.msg {
            HM::NewSessionTicket13(t) => {
                let psk = ks::resumption_psk(p.hash, &self.resumption_master, &t.nonce);
                let mut checks = vec![];
                for e in &t.extensions {
                    if let ExtBody::EarlyData(Some(n)) = e.body {
                        checks.push(Check::new(
                            "early data",
                            true,
                            format!("the ticket allows {n} bytes of 0-RTT data; tlsprobe does not send early data"),
                        ));
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
                    verified: self.session_verified(),
                });
                Ok(())
            }
            HM::KeyUpdate(req) => {
                c.check_no_partial_handshake()?;
                m.report(
                    c,
                    vec![Check::new(
                        "key update",
                        true,
                        if *req == 1 {
                            "server keys updated; the server asks us to update ours too"
                        } else {
                            "server keys updated"
                        },
                    )],
                );
                let s = self
                    .s13
                    .as_mut()
                    .ok_or_else(|| TlsError::internal("no secrets"))?;
                keys::key_update(c, &p, &mut s.server_app, "server", false)?;
                if *req == 1 {
                    self.send_key_update(c, false)?;
                }
                Ok(())
            }
            other => Err(unexpected("NewSessionTicket or KeyUpdate", other)),
        }
    }
}

impl Role for ClientState {
    fn handle_handshake(&mut self, c: &mut Common, m: Incoming) -> Result<(), TlsError> {
        use State as S;
        let msg = m.msg.clone();
        match (self.state, &msg) {
            (S::ServerHello, HM::ServerHello(sh)) => {
                if m.encrypted {
                    return Err(TlsError::unexpected("encrypted ServerHello"));
                }
                self.server_session_id = sh.session_id.clone();
                self.on_server_hello(c, &m, sh)
            }
            // ---- TLS 1.2
            (S::Certificate12, HM::Certificate(cert)) => {
                if self.params()?.kx == Kx::Any {
                    return Err(unexpected("EncryptedExtensions", &msg));
                }
                self.on_certificate(c, &m, cert)?;
                self.state = S::StatusOrKeyExchange;
                Ok(())
            }
            (S::StatusOrKeyExchange, HM::CertificateStatus(st)) if self.ocsp_acked => {
                c.transcript.update(&m.raw);
                // RFC 6066 §8: the stapled response, described (its signature is not checked).
                let check = match crate::pki::ocsp::describe(&st.response) {
                    Ok(o) => Check::new("OCSP", o.cert_status.as_deref() == Some("good"), o.line()),
                    Err(e) => Check::new(
                        "OCSP",
                        false,
                        format!(
                            "stapled response of {} bytes could not be read: {e}",
                            st.response.len()
                        ),
                    ),
                };
                m.report(c, vec![check]);
                self.state = S::KeyExchange;
                Ok(())
            }
            (S::StatusOrKeyExchange | S::KeyExchange, HM::ServerKeyExchange(skx))
                if matches!(self.params()?.kx, Kx::Ecdhe | Kx::Dhe) =>
            {
                self.on_server_key_exchange(c, &m, skx)
            }
            (S::StatusOrKeyExchange | S::KeyExchange, HM::CertificateRequest12(r))
                if self.params()?.kx == Kx::Rsa =>
            {
                self.on_cert_request12(c, &m, r)
            }
            (S::StatusOrKeyExchange | S::KeyExchange, HM::ServerHelloDone)
                if self.params()?.kx == Kx::Rsa =>
            {
                c.transcript.update(&m.raw);
                m.report(c, vec![]);
                self.send_flight12(c)
            }
            (S::RequestOrDone, HM::CertificateRequest12(r)) => self.on_cert_request12(c, &m, r),
            (S::RequestOrDone | S::HelloDone, HM::ServerHelloDone) => {
                c.transcript.update(&m.raw);
                m.report(c, vec![]);
                self.send_flight12(c)
            }
            (S::TicketOrCcs, HM::NewSessionTicket12(t)) => {
                c.transcript.update(&m.raw);
                m.report(
                    c,
                    vec![Check::new(
                        "session ticket",
                        true,
                        format!(
                            "{} bytes, lifetime hint {} s (RFC 5077)",
                            t.ticket.len(),
                            t.lifetime_hint
                        ),
                    )],
                );
                if !t.ticket.is_empty() {
                    self.new_ticket12 = Some(t.ticket.clone());
                }
                self.state = S::Ccs;
                Ok(())
            }
            (S::Finished12, HM::Finished(vd)) => self.on_finished12(c, &m, vd),
            (S::Established, HM::HelloRequest) if !c.tls13() => {
                m.report(c, vec![]);
                c.send_alert(AlertLevel::Warning, Alert::NoRenegotiation);
                c.emit(Event::Info(
                    "the server asked to renegotiate; refused with a no_renegotiation warning"
                        .into(),
                ));
                Ok(())
            }
            (_, HM::HelloRequest) if !c.tls13() && !c.established => {
                // RFC 5246 §7.4.1.1: ignored while a handshake is in progress.
                m.report(
                    c,
                    vec![Check::new(
                        "hello request",
                        true,
                        "ignored during the handshake",
                    )],
                );
                Ok(())
            }
            // ---- TLS 1.3
            (S::EncryptedExtensions, HM::EncryptedExtensions(e)) => {
                self.on_encrypted_extensions(c, &m, e)
            }
            (S::CertOrRequest13, HM::CertificateRequest13(r)) => {
                let sigalgs = match find(&r.extensions, ET::SIGNATURE_ALGORITHMS).map(|e| &e.body) {
                    Some(ExtBody::SignatureAlgorithms(s)) => s.clone(),
                    _ => {
                        return Err(TlsError::new(
                            Alert::MissingExtension,
                            "CertificateRequest without signature_algorithms",
                        ))
                    }
                };
                c.transcript.update(&m.raw);
                let why = if self.config.client_cert.is_some() {
                    "the server asks for a client certificate; we will send ours"
                } else {
                    "the server asks for a client certificate; we have none (--cert) and will send an empty one"
                };
                m.report(c, vec![Check::new("client certificate", true, why)]);
                self.cert_request = Some(CertRequest {
                    context: r.context.clone(),
                    sigalgs,
                });
                self.state = S::Certificate13;
                Ok(())
            }
            (S::CertOrRequest13 | S::Certificate13, HM::Certificate(cert)) => {
                self.on_certificate(c, &m, cert)?;
                self.state = S::CertificateVerify13;
                Ok(())
            }
            (S::CertificateVerify13, HM::CertificateVerify(cv)) => {
                self.on_certificate_verify13(c, &m, cv)
            }
            (S::Finished13, HM::Finished(vd)) => self.on_finished13(c, &m, vd),
            (S::Established, _) if c.tls13() => self.on_post_handshake13(c, &m),
            (state, other) => Err(unexpected(&format!("{state:?}"), other)),
        }
    }

    fn handle_ccs(&mut self, c: &mut Common) -> Result<(), TlsError> {
        if c.tls13() || self.hrr_suite.is_some() {
            if c.established {
                return Err(TlsError::unexpected(
                    "ChangeCipherSpec after the TLS 1.3 handshake",
                ));
            }
            c.emit(Event::ChangeCipherSpec {
                dir: crate::event::Dir::In,
                middlebox: true,
            });
            return Ok(());
        }
        if !matches!(self.state, State::Ccs | State::TicketOrCcs) || self.pending_read.is_none() {
            return Err(TlsError::unexpected(
                "ChangeCipherSpec before the key exchange completed (the CVE-2014-0224 early CCS)",
            ));
        }
        if self.state == State::TicketOrCcs && !self.resumed {
            // The server acknowledged session_ticket but sent no NewSessionTicket: allowed
            // only if it decided not to issue one (RFC 5077 §3.3 says it MUST send one).
            c.emit(Event::Warning(
                "the server acknowledged session_ticket but sent no NewSessionTicket".into(),
            ));
        }
        c.emit(Event::ChangeCipherSpec {
            dir: crate::event::Dir::In,
            middlebox: false,
        });
        let rc = self.pending_read.take().expect("checked above");
        c.rl.set_read_cipher(rc, false);
        self.state = State::Finished12;
        Ok(())
    }
}

impl ClientState {
    fn on_cert_request12(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        r: &crate::wire::handshake::CertificateRequest12,
    ) -> Result<(), TlsError> {
        c.transcript.update(&m.raw);
        let why = if self.config.client_cert.is_some() {
            "the server asks for a client certificate; we will send ours"
        } else {
            "the server asks for a client certificate; we have none (--cert) and will send an empty one"
        };
        m.report(c, vec![Check::new("client certificate", true, why)]);
        self.cert_request = Some(CertRequest {
            context: vec![],
            sigalgs: r.signature_algorithms.clone(),
        });
        self.state = State::HelloDone;
        Ok(())
    }
}
