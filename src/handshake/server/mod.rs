//! The server state machine: TLS 1.2 (RFC 5246 §7.3) with session-id and ticket resumption
//! (RFC 5077), extended master secret (RFC 7627) and secure renegotiation (RFC 5746), and
//! TLS 1.3 (RFC 8446 §4) with HelloRetryRequest, PSK resumption and client authentication.

use std::sync::Arc;

use crate::crypto::aead::RecordCipher;
use crate::crypto::dh::DhKey;
use crate::crypto::dh_groups::KnownGroup;
use crate::crypto::kx::EphemeralKey;
use crate::crypto::sign;
use crate::crypto::sign::SigningKey;
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Check, Dir, Event, Summary};
use crate::handshake::client::leaf_spki;
use crate::handshake::config::{CertifiedKey, ChainCheck, ClientAuth, ServerConfig, SniPolicy};
use crate::handshake::keys::Tls13Secrets;
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::{unexpected, Common, Incoming, Role};
use crate::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, HandshakeType, NamedGroup, ProtocolVersion,
    SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody};
use crate::wire::handshake::{Certificate, CertificateVerify, ClientHello, HandshakeMessage as HM};
use crate::wire::suites::{Auth, CipherSuite};

mod tls12;
mod tls13;

use tls13::same_hello_after_retry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    ClientHello,
    ClientHelloAfterRetry,
    ClientCertificate12,
    ClientKeyExchange,
    CertificateVerify12,
    Ccs,
    Finished12,
    ClientCertificate13,
    CertificateVerify13,
    Finished13,
    Established,
}

pub struct ServerState {
    config: Arc<ServerConfig>,
    /// The certificate chosen for this handshake, by its position in `certificates()`:
    /// 0 is `config.cert`; another is one of `config.alt_certs`, chosen when only that one
    /// suits the client's suites and signature algorithms.
    cert_index: usize,
    state: State,
    ch: Option<ClientHello>,
    p: Option<SuiteParams>,
    server_random: [u8; 32],
    group: Option<NamedGroup>,
    scheme: Option<SignatureScheme>,
    ems: bool,
    secure_renegotiation: bool,
    alpn: Option<Vec<u8>>,
    resumed: bool,
    master: Vec<u8>,
    eph: Option<EphemeralKey>,
    s13: Option<Tls13Secrets>,
    hrr_group: Option<NamedGroup>,
    session_id: Vec<u8>,
    client_chain: Vec<Vec<u8>>,
    client_check: Option<ChainCheck>,
    cert_requested: bool,
    pending_write: Option<RecordCipher>,
    pending_read: Option<RecordCipher>,
    issue_ticket12: bool,
    resumption_master: Vec<u8>,
    sni: Option<String>,
    /// encrypt_then_mac negotiated for a CBC suite (RFC 7366).
    etm: bool,
    /// Our DHE private key, between ServerKeyExchange and ClientKeyExchange.
    dh: Option<DhKey>,
    /// TLS 1.3: the client's one middlebox-compatibility ChangeCipherSpec was received.
    ccs13_seen: bool,
}

fn client_ext(ch: &ClientHello, t: ET) -> Option<&ExtBody> {
    find(&ch.extensions, t).map(|e| &e.body)
}

/// RFC 8446 §4.1.2: after a HelloRetryRequest the client sends the same ClientHello, except
/// for a new key_share, no early_data, an added cookie, an updated pre_shared_key and a
/// different padding. Everything else, extension order included, must be unchanged
/// (tlsfuzzer's test-tls13-shuffled-extentions expects illegal_parameter for a reordered
/// one). The encrypted_client_hello body may change (a GREASE ECH payload is drawn again,
/// draft-ietf-tls-esni §6.2), so only its presence and place are compared.
fn subject_of(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::certificate::X509Certificate::from_der(der)
        .map(|(_, c)| c.subject().to_string())
        .unwrap_or_else(|_| "(unparsable certificate)".into())
}

/// The well-known group behind an RFC 7919 named group we can offer.
fn dh_known(g: NamedGroup) -> Option<&'static KnownGroup> {
    let name = match g {
        NamedGroup::FFDHE2048 => "ffdhe2048",
        NamedGroup::FFDHE3072 => "ffdhe3072",
        NamedGroup::FFDHE4096 => "ffdhe4096",
        _ => return None,
    };
    crate::crypto::dh_groups::KNOWN
        .iter()
        .find(|k| k.name == name)
}

/// Whether our key can authenticate a TLS 1.2 suite (RFC 8422 §2, RFC 5246 §7.4.2).
fn key_fits(key: &SigningKey, auth: Auth) -> bool {
    match auth {
        Auth::Rsa => key.is_rsa(),
        Auth::Ecdsa => !key.is_rsa(),
        _ => false,
    }
}

/// The SHA-1 scheme of our key: what a TLS 1.2 client without signature_algorithms
/// supports (RFC 5246 §7.4.1.4.1); none for Ed25519 (RFC 8422 §5.1.1 requires the extension).
fn sha1_scheme(key: &SigningKey) -> Option<SignatureScheme> {
    match key {
        SigningKey::Rsa(_) => Some(SignatureScheme::RSA_PKCS1_SHA1),
        SigningKey::P256(_) | SigningKey::P384(_) => Some(SignatureScheme::ECDSA_SHA1),
        SigningKey::Ed25519(_) => None,
    }
}

/// RFC 8422 §5.1: an ECDSA certificate's curve must be one the client listed in
/// supported_groups (when it sent the extension).
fn ecdsa_curve_offered(key: &SigningKey, client_groups: &[NamedGroup]) -> bool {
    let curve = match key {
        SigningKey::P256(_) => NamedGroup::SECP256R1,
        SigningKey::P384(_) => NamedGroup::SECP384R1,
        _ => return true,
    };
    client_groups.is_empty() || client_groups.contains(&curve)
}

impl ServerState {
    pub fn new(config: Arc<ServerConfig>) -> ServerState {
        ServerState {
            cert_index: 0,
            config,
            state: State::ClientHello,
            ch: None,
            p: None,
            server_random: [0; 32],
            group: None,
            scheme: None,
            ems: false,
            secure_renegotiation: false,
            alpn: None,
            resumed: false,
            master: vec![],
            eph: None,
            s13: None,
            hrr_group: None,
            session_id: vec![],
            client_chain: vec![],
            client_check: None,
            cert_requested: false,
            pending_write: None,
            pending_read: None,
            issue_ticket12: false,
            resumption_master: vec![],
            sni: None,
            etm: false,
            dh: None,
            ccs13_seen: false,
        }
    }

    pub fn client_hello(&self) -> Option<&ClientHello> {
        self.ch.as_ref()
    }

    fn params(&self) -> Result<SuiteParams, TlsError> {
        self.p
            .ok_or_else(|| TlsError::internal("cipher suite not yet negotiated"))
    }

    fn allows(&self, v: ProtocolVersion) -> bool {
        self.config.versions.contains(&v)
    }

    /// RFC 7301 §3.2: our first protocol the client offers; none in common is fatal.
    fn choose_alpn(&self, ch: &ClientHello) -> Result<Option<Vec<u8>>, TlsError> {
        match client_ext(ch, ET::ALPN) {
            Some(ExtBody::Alpn(offered)) if !self.config.alpn.is_empty() => self
                .config
                .alpn
                .iter()
                .find(|p| offered.contains(p))
                .cloned()
                .map(Some)
                .ok_or_else(|| {
                    TlsError::new(
                        Alert::NoApplicationProtocol,
                        "no ALPN protocol in common with the client",
                    )
                }),
            _ => Ok(None),
        }
    }

    /// Signs with the configured fast signer when it handles the scheme, else with the key.
    fn sign(
        &self,
        key: &SigningKey,
        scheme: SignatureScheme,
        message: &[u8],
        c: &mut Common,
    ) -> Result<Vec<u8>, TlsError> {
        match self
            .config
            .fast_signer
            .as_ref()
            .and_then(|f| f.sign(scheme, message))
        {
            Some(r) => r,
            None => key.sign(scheme, message, &mut c.rng),
        }
    }

    /// A warning on the ServerKeyExchange when it is signed with SHA-1 because the client sent
    /// no signature_algorithms (RFC 5246 §7.4.1.4.1 default; RFC 9155 deprecates it).
    fn sha1_default_check(&self) -> Vec<Check> {
        let sha1 = matches!(
            self.scheme,
            Some(SignatureScheme::RSA_PKCS1_SHA1 | SignatureScheme::ECDSA_SHA1)
        );
        let no_ext = self
            .ch
            .as_ref()
            .is_some_and(|ch| client_ext(ch, ET::SIGNATURE_ALGORITHMS).is_none());
        if sha1 && no_ext {
            vec![Check::new(
                "signature hash",
                false,
                "SHA-1: the client sent no signature_algorithms, so RFC 5246 §7.4.1.4.1 allows only SHA-1 (RFC 9155 deprecates SHA-1 signatures)",
            )]
        } else {
            vec![]
        }
    }

    /// The OCSP response to staple: it belongs to the primary certificate only.
    fn stapled_response(&self) -> Option<Vec<u8>> {
        self.config.ocsp.clone().filter(|_| self.cert_index == 0)
    }

    /// The certificate chosen for this handshake.
    fn cert(&self) -> &CertifiedKey {
        self.certificates()
            .nth(self.cert_index)
            .unwrap_or(&self.config.cert)
    }

    /// Our certificates in order of preference.
    fn certificates(&self) -> impl Iterator<Item = &CertifiedKey> {
        std::iter::once(&self.config.cert).chain(self.config.alt_certs.iter())
    }

    fn client_groups(ch: &ClientHello) -> Vec<NamedGroup> {
        match client_ext(ch, ET::SUPPORTED_GROUPS) {
            Some(ExtBody::SupportedGroups(g)) => g.clone(),
            _ => vec![],
        }
    }

    fn client_sigalgs(ch: &ClientHello) -> Vec<SignatureScheme> {
        match client_ext(ch, ET::SIGNATURE_ALGORITHMS) {
            Some(ExtBody::SignatureAlgorithms(s)) => s.clone(),
            // RFC 5246 §7.4.1.4.1: without the extension, SHA-1 is assumed.
            _ => vec![SignatureScheme::RSA_PKCS1_SHA1, SignatureScheme::ECDSA_SHA1],
        }
    }

    fn on_client_hello(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        ch: &ClientHello,
    ) -> Result<(), TlsError> {
        c.client_random = ch.random;
        if !ch.compression_methods.contains(&CompressionMethod::NULL) {
            m.report(c, vec![]);
            return Err(TlsError::illegal(
                "the client does not offer null compression",
            ));
        }
        // RFC 8446 Appendix D.5 (and §4.1.2): a legacy_version of 0x0300 (SSL 3.0) or below is
        // refused with protocol_version, whatever supported_versions offers.
        if ch.version.0 <= 0x0300 {
            m.report(c, vec![]);
            return Err(TlsError::new(
                Alert::ProtocolVersion,
                format!(
                    "ClientHello legacy_version {} is SSL 3.0 or older",
                    ch.version
                ),
            ));
        }
        let versions = match client_ext(ch, ET::SUPPORTED_VERSIONS) {
            Some(ExtBody::SupportedVersionsClient(v)) => Some(v.clone()),
            _ => None,
        };
        // RFC 8446 §4.2.1: the highest version both allow; without supported_versions, the
        // highest we allow up to client_version (RFC 5246 Appendix E.1).
        const ORDER: [ProtocolVersion; 4] = [
            ProtocolVersion::TLS13,
            ProtocolVersion::TLS12,
            ProtocolVersion::TLS11,
            ProtocolVersion::TLS10,
        ];
        let chosen = match &versions {
            Some(v) => ORDER.into_iter().find(|x| v.contains(x) && self.allows(*x)),
            None => ORDER
                .into_iter()
                .skip(1)
                .find(|x| *x <= ch.version && self.allows(*x)),
        };
        let version = match chosen {
            Some(v) => v,
            None => {
                m.report(c, vec![]);
                // RFC 7507 §3 allows either alert for a fallback to a version we do not
                // support at all; tlsfuzzer's test-fallback-scsv ("FALLBACK - hello
                // TLSv1.1") expects inappropriate_fallback, which says more.
                if versions.is_none()
                    && ch.cipher_suites.contains(&CipherSuite::FALLBACK_SCSV)
                    && ORDER.into_iter().any(|x| x > ch.version && self.allows(x))
                {
                    return Err(TlsError::new(
                        Alert::InappropriateFallback,
                        format!(
                            "the client signals a fallback (TLS_FALLBACK_SCSV) to {}, which we do not support, although we support a higher version (RFC 7507 §3)",
                            ch.version
                        ),
                    ));
                }
                let offered = match &versions {
                    Some(v) => v
                        .iter()
                        .map(|x| x.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    None => ch.version.to_string(),
                };
                return Err(TlsError::new(
                    Alert::ProtocolVersion,
                    format!("the client offers {offered}; this server allows none of them"),
                ));
            }
        };
        // RFC 7507 §3: TLS_FALLBACK_SCSV with a version below the highest we support is a
        // downgrade retry the client should not have needed.
        let highest = ORDER.into_iter().find(|x| self.allows(*x));
        if ch.cipher_suites.contains(&CipherSuite::FALLBACK_SCSV) && highest > Some(version) {
            m.report(c, vec![]);
            return Err(TlsError::new(
                Alert::InappropriateFallback,
                format!(
                    "the client signals a fallback (TLS_FALLBACK_SCSV) to {version} although we support a higher version (RFC 7507 §3)"
                ),
            ));
        }
        // RFC 8449 §4: a record_size_limit below 64 is a fatal illegal_parameter.
        if let Some(ExtBody::RecordSizeLimit(n)) = client_ext(ch, ET::RECORD_SIZE_LIMIT) {
            if *n < 64 {
                m.report(c, vec![]);
                return Err(TlsError::illegal(format!(
                    "record_size_limit of {n} is below the minimum of 64 (RFC 8449 §4)"
                )));
            }
        }
        self.sni = match client_ext(ch, ET::SERVER_NAME) {
            Some(ExtBody::ServerName(n)) => n.host_names().into_iter().next(),
            _ => None,
        };
        // RFC 6066 §3: a name the server does not recognise may abort the handshake with a
        // fatal unrecognized_name alert.
        match &self.config.sni {
            SniPolicy::Any => {}
            SniPolicy::Ignore => self.sni = None,
            SniPolicy::Only(name) => {
                if let Some(asked) = &self.sni {
                    if !asked.eq_ignore_ascii_case(name) {
                        return Err(TlsError::new(
                            Alert::UnrecognizedName,
                            format!("the client asks for server name {asked:?}; this server serves only {name:?} (--sni)"),
                        ));
                    }
                }
            }
        }
        self.ch = Some(ch.clone());
        c.version = Some(version);
        if version == ProtocolVersion::TLS13 {
            self.hello13(c, m, ch)
        } else {
            self.hello12(c, m, ch)
        }
    }

    fn on_client_certificate(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        cert: &Certificate,
    ) -> Result<bool, TlsError> {
        if let Some(ctx) = &cert.context {
            if !ctx.is_empty() {
                return Err(TlsError::illegal(
                    "client Certificate with an unexpected request context",
                ));
            }
        }
        self.client_chain = cert.entries.iter().map(|e| e.der.clone()).collect();
        c.transcript.update(&m.raw);
        let mut checks = vec![];
        if self.client_chain.is_empty() {
            checks.push(Check::new(
                "client certificate",
                self.config.client_auth != ClientAuth::Require,
                "the client sent no certificate",
            ));
            m.report(c, checks);
            if self.config.client_auth == ClientAuth::Require {
                return Err(if c.tls13() {
                    TlsError::new(
                        Alert::CertificateRequired,
                        "a client certificate is required and the client sent none",
                    )
                } else {
                    TlsError::new(
                        Alert::HandshakeFailure,
                        "a client certificate is required and the client sent none",
                    )
                });
            }
            return Ok(false);
        }
        leaf_spki(&self.client_chain[0])?;
        m.report(c, checks);
        if let Some(v) = self.config.client_verifier.clone() {
            let r = v.verify(&self.client_chain);
            c.emit(Event::Verify {
                ok: r.ok,
                errors: r.errors.clone(),
                detail: r.detail.clone(),
            });
            let ok = r.ok;
            self.client_check = Some(r);
            if !ok {
                return Err(TlsError::new(
                    Alert::BadCertificate,
                    "the client certificate did not verify",
                ));
            }
        }
        Ok(true)
    }

    fn verify_client_signature(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        cv: &CertificateVerify,
        tls13: bool,
    ) -> Result<(), TlsError> {
        if !self.config.sigalgs.contains(&cv.scheme) {
            return Err(TlsError::illegal(format!(
                "the client signed with {}, which we did not offer",
                cv.scheme
            )));
        }
        let content = if tls13 {
            sign::tls13_verify_content(false, &c.transcript.hash(self.params()?.hash))
        } else {
            c.transcript.bytes().to_vec()
        };
        let spki = leaf_spki(&self.client_chain[0])?;
        sign::verify(cv.scheme, &spki, &content, &cv.signature, !tls13)?;
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::new(
                "signature",
                true,
                format!("{} verified with the client certificate's key", cv.scheme),
            )],
        );
        Ok(())
    }

    fn finish(&mut self, c: &mut Common) {
        c.established = true;
        self.state = State::Established;
        let tls13 = c.tls13();
        c.emit(Event::Summary(Box::new(Summary {
            version: c.version,
            cipher_suite: self.p.map(|p| p.suite),
            group: self.group,
            signature_scheme: self.scheme,
            alpn: self
                .alpn
                .as_ref()
                .map(|a| String::from_utf8_lossy(a).into_owned()),
            resumed: self.resumed,
            verified: self.client_check.as_ref().map(|r| r.ok),
            sni: self.sni.clone(),
            extended_master_secret: (!tls13).then_some(self.ems),
            secure_renegotiation: (!tls13).then_some(self.secure_renegotiation),
            session_ticket: self.issue_ticket12,
            client_certificate: self.client_chain.first().map(|d| subject_of(d)),
        })));
    }
}

impl Role for ServerState {
    /// The message types `handle_handshake` accepts in each state (the same table as its
    /// match below); anything else is unexpected_message before any decoding.
    fn expects(&self, c: &Common, typ: HandshakeType) -> bool {
        use HandshakeType as T;
        use State as S;
        match self.state {
            S::ClientHello | S::ClientHelloAfterRetry => typ == T::CLIENT_HELLO,
            S::ClientCertificate12 | S::ClientCertificate13 => typ == T::CERTIFICATE,
            S::ClientKeyExchange => typ == T::CLIENT_KEY_EXCHANGE,
            S::CertificateVerify12 | S::CertificateVerify13 => typ == T::CERTIFICATE_VERIFY,
            S::Ccs => false,
            S::Finished12 | S::Finished13 => typ == T::FINISHED,
            S::Established if c.tls13() => typ == T::KEY_UPDATE,
            S::Established => typ == T::CLIENT_HELLO,
        }
    }

    fn handle_handshake(&mut self, c: &mut Common, m: Incoming) -> Result<(), TlsError> {
        use State as S;
        let msg = m.msg.clone();
        match (self.state, &msg) {
            (S::ClientHello | S::ClientHelloAfterRetry, HM::ClientHello(ch)) => {
                if m.encrypted {
                    return Err(TlsError::unexpected("encrypted ClientHello"));
                }
                if self.state == S::ClientHelloAfterRetry {
                    let first = self.ch.as_ref().expect("first hello kept");
                    if let Err(what) = same_hello_after_retry(first, ch) {
                        m.report(c, vec![]);
                        return Err(TlsError::illegal(format!(
                            "the second ClientHello {what} (RFC 8446 §4.1.2)"
                        )));
                    }
                    c.version = Some(ProtocolVersion::TLS13);
                    match client_ext(ch, ET::SUPPORTED_VERSIONS) {
                        Some(ExtBody::SupportedVersionsClient(v))
                            if v.contains(&ProtocolVersion::TLS13) => {}
                        _ => {
                            m.report(c, vec![]);
                            return Err(TlsError::illegal(
                                "the second ClientHello no longer offers TLS 1.3",
                            ));
                        }
                    }
                    self.ch = Some(ch.clone());
                    return self.hello13(c, &m, ch);
                }
                self.on_client_hello(c, &m, ch)
            }
            (S::ClientCertificate12, HM::Certificate(cert)) => {
                self.on_client_certificate(c, &m, cert)?;
                self.state = S::ClientKeyExchange;
                Ok(())
            }
            (S::ClientKeyExchange, HM::ClientKeyExchange(cke)) => {
                self.on_client_key_exchange(c, &m, cke)
            }
            (S::CertificateVerify12, HM::CertificateVerify(cv)) => {
                self.verify_client_signature(c, &m, cv, false)?;
                self.state = S::Ccs;
                Ok(())
            }
            (S::Finished12, HM::Finished(vd)) => self.on_finished12(c, &m, vd),
            (S::ClientCertificate13, HM::Certificate(cert)) => {
                let sent = self.on_client_certificate(c, &m, cert)?;
                self.state = if sent {
                    S::CertificateVerify13
                } else {
                    S::Finished13
                };
                Ok(())
            }
            (S::CertificateVerify13, HM::CertificateVerify(cv)) => {
                self.verify_client_signature(c, &m, cv, true)?;
                self.state = S::Finished13;
                Ok(())
            }
            (S::Finished13, HM::Finished(vd)) => self.on_finished13(c, &m, vd),
            (S::Established, HM::ClientHello(_)) if !c.tls13() => {
                // RFC 5746 / RFC 5246 §7.4.1.2: we do not renegotiate.
                m.report(c, vec![]);
                c.send_alert(AlertLevel::Warning, Alert::NoRenegotiation);
                c.emit(Event::Info(
                    "the client tried to renegotiate; refused with a no_renegotiation warning"
                        .into(),
                ));
                Ok(())
            }
            (S::Established, HM::KeyUpdate(req)) if c.tls13() => self.on_key_update(c, &m, *req),
            (state, other) => Err(unexpected(&format!("{state:?}"), other)),
        }
    }

    fn handle_ccs(&mut self, c: &mut Common) -> Result<(), TlsError> {
        if c.tls13() || self.state == State::ClientHelloAfterRetry {
            if c.established {
                return Err(TlsError::unexpected(
                    "ChangeCipherSpec after the TLS 1.3 handshake",
                ));
            }
            // RFC 8446 §5 and Appendix D.4: the client sends at most one compatibility
            // ChangeCipherSpec (before its second flight or its second ClientHello).
            if self.ccs13_seen {
                return Err(TlsError::unexpected(
                    "a second ChangeCipherSpec in the TLS 1.3 handshake",
                ));
            }
            self.ccs13_seen = true;
            c.emit(Event::ChangeCipherSpec {
                dir: Dir::In,
                middlebox: true,
            });
            return Ok(());
        }
        if self.state != State::Ccs || self.pending_read.is_none() {
            return Err(TlsError::unexpected(
                "ChangeCipherSpec before the key exchange completed (the CVE-2014-0224 early CCS)",
            ));
        }
        c.emit(Event::ChangeCipherSpec {
            dir: Dir::In,
            middlebox: false,
        });
        let rc = self.pending_read.take().expect("checked above");
        c.rl.set_read_cipher(rc, false);
        self.state = State::Finished12;
        Ok(())
    }
}
