//! The server state machine: TLS 1.2 (RFC 5246 §7.3) with session-id and ticket resumption
//! (RFC 5077), extended master secret (RFC 7627) and secure renegotiation (RFC 5746), and
//! TLS 1.3 (RFC 8446 §4) with HelloRetryRequest, PSK resumption and client authentication.

use std::sync::Arc;

use rand::RngCore;
use subtle::ConstantTimeEq;

use super::client::leaf_spki;
use super::config::{CertifiedKey, ChainCheck, ClientAuth, ServerConfig, SniPolicy};
use super::keys::{self, Tls13Secrets};
use super::session::{now_ms, ServerSession, TICKET_LIFETIME};
use super::suite_params::{self, SuiteParams};
use super::{unexpected, Common, Incoming, Role};
use crate::crypto::aead::RecordCipher;
use crate::crypto::dh::{self, DhKey};
use crate::crypto::dh_groups::KnownGroup;
use crate::crypto::kx::EphemeralKey;
use crate::crypto::sign::SigningKey;
use crate::crypto::{key_schedule as ks, prf, sign};
use crate::error::{Alert, AlertLevel, TlsError};
use crate::event::{Check, Dir, Event, Summary};
use crate::wire::codepoints::{
    ClientCertificateType, CompressionMethod, EcPointFormat, ExtensionType as ET, HandshakeType,
    NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateEntry, CertificateRequest12, CertificateRequest13, CertificateStatus,
    CertificateVerify, ClientHello, ClientKeyExchange, HandshakeMessage as HM, NewSessionTicket12,
    NewSessionTicket13, ServerHello, ServerKeyExchange, DOWNGRADE_TLS11, DOWNGRADE_TLS12,
    HRR_RANDOM,
};
use crate::wire::suites::{Auth, CipherSuite, Kx};

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
fn same_hello_after_retry(first: &ClientHello, second: &ClientHello) -> Result<(), &'static str> {
    if second.version != first.version {
        return Err("changes legacy_version");
    }
    if second.random != first.random || second.session_id != first.session_id {
        return Err("changes random or session id");
    }
    if second.cipher_suites != first.cipher_suites
        || second.compression_methods != first.compression_methods
    {
        return Err("changes the cipher suites or compression methods");
    }
    let kept = |ch: &'_ ClientHello| -> Vec<(ET, Option<Vec<u8>>)> {
        ch.extensions
            .iter()
            .filter(|e| {
                ![
                    ET::KEY_SHARE,
                    ET::EARLY_DATA,
                    ET::COOKIE,
                    ET::PRE_SHARED_KEY,
                    ET::PADDING,
                ]
                .contains(&e.typ)
            })
            .map(|e| {
                let body = (e.typ != ET::ENCRYPTED_CLIENT_HELLO).then(|| e.data.clone());
                (e.typ, body)
            })
            .collect()
    };
    let (a, b) = (kept(first), kept(second));
    if a.iter().map(|x| x.0).ne(b.iter().map(|x| x.0)) {
        return Err("adds, removes or reorders extensions");
    }
    if a != b {
        return Err("changes the content of an extension");
    }
    Ok(())
}

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

    // ---------------------------------------------------------------- TLS 1.2

    fn hello12(&mut self, c: &mut Common, m: &Incoming, ch: &ClientHello) -> Result<(), TlsError> {
        m.report(c, vec![]);
        c.transcript.update(&m.raw);
        // A TLS 1.2 extension whose body did not decode (kept for us by the codec, which
        // lets a TLS 1.3 server ignore it): refused now, with the codec's alert.
        if let Some(ExtBody::Malformed { alert, reason }) = ch
            .extensions
            .iter()
            .map(|e| &e.body)
            .find(|b| matches!(b, ExtBody::Malformed { .. }))
        {
            return Err(TlsError::new(*alert, reason.clone()));
        }
        // RFC 5746 §3.6
        let scsv = ch
            .cipher_suites
            .contains(&CipherSuite::EMPTY_RENEGOTIATION_INFO_SCSV);
        match client_ext(ch, ET::RENEGOTIATION_INFO) {
            Some(ExtBody::RenegotiationInfo(v)) if !v.is_empty() => {
                return Err(TlsError::new(
                    Alert::HandshakeFailure,
                    "renegotiation_info is not empty on an initial handshake (RFC 5746 §3.6)",
                ))
            }
            Some(_) => self.secure_renegotiation = true,
            None => self.secure_renegotiation = scsv,
        }
        let version = c.version.unwrap_or(ProtocolVersion::TLS12);
        // RFC 5246 §7.4.1.2: a client resuming a cached session "MUST include at least the
        // cipher_suite from that session". One that does not is refused with
        // illegal_parameter (RFC 5246 §7.2.2: a field inconsistent with the state), not
        // given a full handshake, as tlsfuzzer's test-resumption-with-wrong-ciphers
        // (CVE-2010-4180) expects. A ticket may still fall back to a full handshake
        // (RFC 5077 §3.4), so only the session-id cache is checked, and only without one;
        // a session made under another server name is not resumable at all (below).
        let ticket_offered = matches!(
            client_ext(ch, ET::SESSION_TICKET),
            Some(ExtBody::SessionTicket(t)) if !t.is_empty()
        );
        // A session is resumable only with its version and under its server name (RFC 6066
        // §3: "MUST NOT accept the request to resume ... Instead, it proceeds with a full
        // handshake").
        let name = self.sni.clone().unwrap_or_default();
        let same_origin =
            |s: &ServerSession| s.version == version && s.server_name.eq_ignore_ascii_case(&name);
        if !ch.session_id.is_empty() && !ticket_offered {
            if let Some(s) = self.config.sessions.get(&ch.session_id) {
                if same_origin(&s) && !ch.cipher_suites.contains(&s.suite) {
                    return Err(TlsError::illegal(format!(
                        "the client resumes a session made with {} without offering that suite (RFC 5246 §7.4.1.2)",
                        s.suite
                    )));
                }
            }
        }
        let groups = Self::client_groups(ch);
        // RFC 8422 §5.1.2: a client that lists an ECC curve (or no groups at all, §4) must
        // accept uncompressed points, else illegal_parameter. An empty list is malformed
        // (ECPointFormatList is <1..2^8-1>).
        if let Some(ExtBody::EcPointFormats(f)) = client_ext(ch, ET::EC_POINT_FORMATS) {
            if !f.contains(&EcPointFormat::UNCOMPRESSED) {
                let ecc = groups.is_empty()
                    || groups
                        .iter()
                        .any(|g| matches!(g.0, 0x0017..=0x0019 | 0x001d | 0x001e));
                if ecc {
                    return Err(TlsError::illegal(
                        "ec_point_formats without uncompressed while the client offers ECC curves (RFC 8422 §5.1.2)",
                    ));
                }
                if f.is_empty() {
                    return Err(TlsError::decode("ec_point_formats: empty list"));
                }
            }
        }
        let group = self
            .config
            .groups
            .iter()
            .copied()
            .find(|g| groups.contains(g) || (groups.is_empty() && *g == NamedGroup::SECP256R1));
        let legacy = version < ProtocolVersion::TLS12;
        let sigalgs = Self::client_sigalgs(ch);
        let dhe_group = self.choose_dhe_group(&groups);
        // The best suite each certificate allows; the first certificate that allows one wins.
        let suite_for = |key: &SigningKey| {
            // TLS 1.0/1.1 signatures have no algorithm field: RSA and ECDSA keys can always
            // sign. RFC 5246 §7.4.1.4.1: a TLS 1.2 client without signature_algorithms
            // supports only SHA-1 with the key's algorithm ({sha1,rsa} or {sha1,ecdsa}).
            let scheme = if client_ext(ch, ET::SIGNATURE_ALGORITHMS).is_none() {
                sha1_scheme(key)
            } else {
                key.choose_scheme(&sigalgs, false)
            };
            let can_sign = if legacy {
                !matches!(*key, SigningKey::Ed25519(_))
            } else {
                scheme.is_some()
            };
            let p = self
                .config
                .suites
                .iter()
                .filter_map(|s| suite_params::params(*s))
                .find(|p| {
                    p.usable_in(version)
                        && ch.cipher_suites.contains(&p.suite)
                        && key_fits(key, p.auth)
                        && (p.auth != Auth::Ecdsa || ecdsa_curve_offered(key, &groups))
                        && match p.kx {
                            Kx::Ecdhe => group.is_some() && can_sign,
                            Kx::Dhe => dhe_group.is_some() && can_sign,
                            Kx::Rsa => true,
                            _ => false,
                        }
                })?;
            Some((p, scheme))
        };
        let chosen = self
            .certificates()
            .enumerate()
            .find_map(|(i, ck)| suite_for(&ck.key).map(|(p, scheme)| (i, p, scheme)));
        let (cert_index, p, scheme) = chosen.ok_or_else(|| {
            let keys: Vec<String> = self.certificates().map(|ck| ck.key.description()).collect();
            TlsError::new(
                Alert::HandshakeFailure,
                format!(
                    "no cipher suite in common for {version} with our {} key (the client offered {} suites)",
                    keys.join(" or "),
                    ch.cipher_suites.len()
                ),
            )
        })?;
        self.cert_index = cert_index;
        self.alpn = self.choose_alpn(ch)?;
        self.ems = client_ext(ch, ET::EXTENDED_MASTER_SECRET).is_some();
        let ticket_ext = match client_ext(ch, ET::SESSION_TICKET) {
            Some(ExtBody::SessionTicket(t)) => Some(t.clone()),
            _ => None,
        };
        // Resumption: a ticket (RFC 5077 §3.4) or a cached session id (RFC 5246 §7.4.1.2).
        let resumable = |s: &ServerSession| {
            same_origin(s)
                && ch.cipher_suites.contains(&s.suite)
                && suite_params::params(s.suite).is_some_and(|sp| {
                    self.certificates()
                        .any(|ck| key_fits(&ck.key, sp.auth) || sp.kx == Kx::Rsa && ck.key.is_rsa())
                })
        };
        let from_ticket = ticket_ext
            .as_ref()
            .filter(|t| !t.is_empty())
            .and_then(|t| self.config.sessions.open_ticket(t))
            .filter(resumable);
        let from_cache = if from_ticket.is_none() && !ch.session_id.is_empty() {
            self.config.sessions.get(&ch.session_id).filter(resumable)
        } else {
            None
        };
        let resumed = from_ticket.clone().or(from_cache.clone());
        // RFC 7627 §5.3: a session made with extended_master_secret is not resumed by a hello
        // without it ("the server MUST abort the abbreviated handshake": handshake_failure, as
        // tlsfuzzer's test-extended-master-secret-extension expects); a session made without
        // it is not resumed by a hello with it (a full handshake instead).
        let resumed = match resumed {
            Some(s) if s.extended_master_secret && !self.ems => {
                return Err(TlsError::new(
                    Alert::HandshakeFailure,
                    "the client resumes a session made with extended_master_secret without offering it (RFC 7627 §5.3)",
                ));
            }
            Some(s) if !s.extended_master_secret && self.ems => None,
            r => r,
        };
        let p = match &resumed {
            Some(s) => suite_params::params(s.suite).expect("checked by resumable"),
            None => p,
        }
        .for_version(version);
        self.p = Some(p);
        c.kx = Some(p.kx);
        c.rng.fill_bytes(&mut self.server_random);
        // RFC 8446 §4.1.3: DOWNGRD\x01 for TLS 1.2 when 1.3 is enabled; DOWNGRD\x00 for 1.1 and
        // below when 1.2 or 1.3 is enabled.
        let sentinel = if legacy
            && (self.allows(ProtocolVersion::TLS12) || self.allows(ProtocolVersion::TLS13))
        {
            Some(DOWNGRADE_TLS11)
        } else if !legacy && self.allows(ProtocolVersion::TLS13) {
            Some(DOWNGRADE_TLS12)
        } else {
            None
        };
        if let Some(sv) = sentinel {
            self.server_random[24..].copy_from_slice(&sv);
        }
        self.etm = p.is_cbc()
            && self.config.encrypt_then_mac
            && client_ext(ch, ET::ENCRYPT_THEN_MAC).is_some();
        self.session_id = if resumed.is_some() && !ch.session_id.is_empty() {
            ch.session_id.clone()
        } else if resumed.is_some() {
            vec![]
        } else {
            let mut id = vec![0; 32];
            c.rng.fill_bytes(&mut id);
            id
        };
        self.issue_ticket12 = ticket_ext.is_some() && resumed.is_none();
        let mut exts = vec![];
        if self.secure_renegotiation {
            exts.push(Extension::new(
                ET::RENEGOTIATION_INFO,
                ExtBody::RenegotiationInfo(vec![]),
            ));
        }
        if self.ems {
            exts.push(Extension::new(
                ET::EXTENDED_MASTER_SECRET,
                ExtBody::ExtendedMasterSecret,
            ));
        }
        if self.etm {
            exts.push(Extension::new(
                ET::ENCRYPT_THEN_MAC,
                ExtBody::EncryptThenMac,
            ));
        }
        if self.issue_ticket12 {
            exts.push(Extension::new(
                ET::SESSION_TICKET,
                ExtBody::SessionTicket(vec![]),
            ));
        }
        if let Some(a) = &self.alpn {
            exts.push(Extension::new(ET::ALPN, ExtBody::Alpn(vec![a.clone()])));
        }
        let staple = resumed.is_none()
            && self.stapled_response().is_some()
            && client_ext(ch, ET::STATUS_REQUEST).is_some_and(ExtBody::is_ocsp_request);
        if staple {
            exts.push(Extension {
                typ: ET::STATUS_REQUEST,
                data: vec![],
                body: ExtBody::StatusRequestEmpty,
            });
        }
        if p.kx == Kx::Ecdhe && client_ext(ch, ET::EC_POINT_FORMATS).is_some() {
            exts.push(Extension::new(
                ET::EC_POINT_FORMATS,
                ExtBody::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED]),
            ));
        }
        if self.sni.is_some() && resumed.is_none() {
            exts.push(Extension {
                typ: ET::SERVER_NAME,
                data: vec![],
                body: ExtBody::ServerName(Default::default()),
            });
        }
        let sh = ServerHello {
            version,
            random: self.server_random,
            session_id: self.session_id.clone(),
            cipher_suite: p.suite,
            compression_method: CompressionMethod::NULL,
            // RFC 5246 §7.4.1.4: a server with no extensions to send sends no block.
            extensions_absent: exts.is_empty(),
            extensions: exts,
        };
        c.rl.write_version = version;
        let mut checks = vec![];
        if let Some(sv) = sentinel {
            checks.push(Check::new(
                "downgrade sentinel",
                true,
                format!(
                    "{} set in the random: {version} chosen while a higher version is enabled (RFC 8446 §4.1.3)",
                    String::from_utf8_lossy(&sv[..7]) + if sv[7] == 1 { "\\x01" } else { "\\x00" }
                ),
            ));
        }
        if legacy {
            checks.push(Check::new(
                "protocol version",
                false,
                format!("{version} is deprecated (RFC 8996)"),
            ));
            if p.is_cbc() && version == ProtocolVersion::TLS10 {
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
        if p.is_cbc() {
            checks.push(Check::new(
                "encrypt-then-MAC",
                self.etm,
                if self.etm {
                    "negotiated (RFC 7366)"
                } else {
                    "not negotiated: MAC-then-encrypt (checked in constant time on receive)"
                },
            ));
        }
        if let Some(s) = &resumed {
            checks.push(Check::new(
                "resumption",
                true,
                if from_ticket.is_some() {
                    "session resumed from the client's ticket"
                } else {
                    "session resumed from the session-id cache"
                },
            ));
            c.send_handshake(HM::ServerHello(sh), checks);
            self.resumed = true;
            self.master = s.secret.clone();
            c.key_event(
                "master_secret",
                "from the resumed session".into(),
                Some("CLIENT_RANDOM"),
                &s.secret,
            );
            self.install12(c, p)?;
            self.send_ccs_finished12(c)?;
            self.state = State::Ccs;
            return Ok(());
        }
        c.send_handshake(HM::ServerHello(sh), checks);
        let chain = self.cert().chain.clone();
        c.send_handshake(
            HM::Certificate(Certificate {
                context: None,
                entries: chain
                    .iter()
                    .map(|d| CertificateEntry {
                        der: d.clone(),
                        extensions: vec![],
                    })
                    .collect(),
            }),
            vec![],
        );
        if staple {
            c.send_handshake(
                HM::CertificateStatus(CertificateStatus {
                    status_type: 1,
                    response: self.stapled_response().unwrap_or_default(),
                }),
                vec![],
            );
        }
        if p.kx == Kx::Ecdhe {
            let g = group.expect("checked in suite choice");
            let eph = EphemeralKey::generate_with(g, &mut c.rng, self.config.fast_kx)?;
            let public = eph.public_key();
            let mut params = vec![3u8];
            params.extend_from_slice(&g.0.to_be_bytes());
            params.push(public.len() as u8);
            params.extend_from_slice(&public);
            let (scheme, signature) = self.sign_params(c, &params, scheme, legacy)?;
            self.group = Some(g);
            self.eph = Some(eph);
            c.send_handshake(
                HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
                    group: g,
                    public,
                    params,
                    scheme,
                    signature,
                }),
                self.sha1_default_check(),
            );
        }
        if p.kx == Kx::Dhe {
            // RFC 5246 §7.4.3 ServerDHParams, with an RFC 7919 group.
            let g = dhe_group.expect("checked in suite choice");
            let known = dh_known(g).ok_or_else(|| TlsError::internal("unknown DHE group"))?;
            let (dp, dg) = dh::group_bytes(known);
            let key = DhKey::generate(&dp, &dg, &mut c.rng)?;
            let ys = key.public_key();
            let mut w = crate::wire::codec::Writer::new();
            w.vec16(&dp).vec16(&dg).vec16(&ys);
            let params = w.into_bytes();
            let (scheme, signature) = self.sign_params(c, &params, scheme, legacy)?;
            self.group = Some(g);
            self.dh = Some(key);
            c.send_handshake(
                HM::ServerKeyExchange(ServerKeyExchange::Dhe {
                    p: dp,
                    g: dg,
                    ys,
                    params,
                    scheme,
                    signature,
                }),
                [
                    vec![Check::new(
                        "DH parameters",
                        true,
                        format!("{} ({} bits)", known.description, known.p_hex.len() * 4),
                    )],
                    self.sha1_default_check(),
                ]
                .concat(),
            );
        }
        if self.config.client_auth != ClientAuth::None && legacy {
            c.emit(Event::Warning(format!(
                "client certificates are not requested in {version} (only TLS 1.2 and 1.3)"
            )));
        }
        if self.config.client_auth != ClientAuth::None && !legacy {
            self.cert_requested = true;
            c.send_handshake(
                HM::CertificateRequest12(CertificateRequest12 {
                    certificate_types: vec![
                        ClientCertificateType::RSA_SIGN,
                        ClientCertificateType::ECDSA_SIGN,
                    ],
                    signature_algorithms: self.config.sigalgs.clone(),
                    authorities: vec![],
                }),
                vec![],
            );
        }
        c.send_handshake(HM::ServerHelloDone, vec![]);
        self.state = if self.cert_requested {
            State::ClientCertificate12
        } else {
            State::ClientKeyExchange
        };
        Ok(())
    }

    /// RFC 7919 §4: among our DHE groups, the first the client lists in supported_groups;
    /// a client that lists no finite-field group gets our first.
    fn choose_dhe_group(&self, client_groups: &[NamedGroup]) -> Option<NamedGroup> {
        let is_ff = |g: &NamedGroup| (0x0100..0x0200).contains(&g.0);
        let ours = self
            .config
            .dhe_groups
            .iter()
            .copied()
            .filter(|g| dh_known(*g).is_some());
        if client_groups.iter().any(is_ff) {
            ours.into_iter().find(|g| client_groups.contains(g))
        } else {
            ours.into_iter().next()
        }
    }

    /// Signs client_random + server_random + params: with `scheme` in TLS 1.2, the TLS 1.0/1.1
    /// way (no algorithm field) below.
    fn sign_params(
        &mut self,
        c: &mut Common,
        params: &[u8],
        scheme: Option<SignatureScheme>,
        legacy: bool,
    ) -> Result<(Option<SignatureScheme>, Vec<u8>), TlsError> {
        let mut signed = c.client_random.to_vec();
        signed.extend_from_slice(&self.server_random);
        signed.extend_from_slice(params);
        let key = self.cert().key.clone();
        if legacy {
            return Ok((None, key.sign_legacy(&signed, &mut c.rng)?));
        }
        let scheme = scheme.ok_or_else(|| TlsError::internal("no signature scheme chosen"))?;
        self.scheme = Some(scheme);
        if Some(scheme) == sha1_scheme(&key) {
            return Ok((Some(scheme), key.sign_sha1(&signed, &mut c.rng)?));
        }
        Ok((Some(scheme), self.sign(&key, scheme, &signed, c)?))
    }

    /// Prepares the TLS 1.2 record ciphers: ours is the server write key, theirs the client's.
    fn install12(&mut self, c: &mut Common, p: SuiteParams) -> Result<(), TlsError> {
        let (cw, sw) = keys::tls12_ciphers(c, &p, &self.master, &self.server_random, self.etm)?;
        self.pending_read = Some(cw);
        self.pending_write = Some(sw);
        Ok(())
    }

    fn send_ccs_finished12(&mut self, c: &mut Common) -> Result<(), TlsError> {
        let p = self.params()?;
        let write = self.pending_write.take();
        super::send_ccs_finished12(c, p.hash, write, &self.master, b"server finished")
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

    fn on_client_key_exchange(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        cke: &ClientKeyExchange,
    ) -> Result<(), TlsError> {
        let p = self.params()?;
        let ch_version = self.ch.as_ref().map(|ch| ch.version.0).unwrap_or(0x0303);
        let mut checks = vec![];
        let pre_master = match (p.kx, cke) {
            (Kx::Ecdhe, ClientKeyExchange::Ecdhe(public)) => {
                let eph = self
                    .eph
                    .take()
                    .ok_or_else(|| TlsError::internal("no ephemeral key"))?;
                eph.agree(public)?
            }
            (Kx::Dhe, ClientKeyExchange::Dhe(yc)) => {
                let key = self
                    .dh
                    .take()
                    .ok_or_else(|| TlsError::internal("no DHE key"))?;
                checks.push(Check::new(
                    "DH public value",
                    true,
                    "1 < Yc < p-1 (RFC 7919 §5.1)",
                ));
                key.agree(yc, "client's")?
            }
            (Kx::Rsa, ClientKeyExchange::Rsa(enc)) => {
                // RFC 5246 §7.4.7.1: never reveal whether decryption worked.
                checks.push(Check::new(
                    "key transport",
                    true,
                    "pre-master secret decrypted with our RSA key (any failure silently replaced by random bytes, RFC 5246 §7.4.7.1)",
                ));
                self.cert()
                    .key
                    .rsa_decrypt_premaster(enc, ch_version, &mut c.rng)
                    .to_vec()
            }
            _ => {
                return Err(TlsError::decode(
                    "ClientKeyExchange does not match the key exchange",
                ))
            }
        };
        c.transcript.update(&m.raw);
        m.report(c, checks);
        self.master = keys::tls12_master(c, p.hash, &pre_master, self.ems, &self.server_random);
        self.install12(c, p)?;
        self.state = if self.client_chain.is_empty() {
            State::Ccs
        } else {
            State::CertificateVerify12
        };
        Ok(())
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

    fn on_finished12(&mut self, c: &mut Common, m: &Incoming, vd: &[u8]) -> Result<(), TlsError> {
        let p = self.params()?;
        let th = c.transcript.hash(p.hash);
        let expected = prf::finished_verify_data(p.hash, &self.master, b"client finished", &th);
        super::check_finished(&expected, vd, "client")?;
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::new(
                "verify_data",
                true,
                "matches PRF(master_secret, \"client finished\", transcript hash)",
            )],
        );
        if !self.resumed {
            let session = ServerSession {
                version: c.version.unwrap_or(ProtocolVersion::TLS12),
                suite: p.suite,
                secret: self.master.clone(),
                extended_master_secret: self.ems,
                age_add: 0,
                created_ms: now_ms(),
                lifetime: TICKET_LIFETIME,
                server_name: self.sni.clone().unwrap_or_default(),
            };
            if self.issue_ticket12 {
                let ticket = self.config.sessions.seal_ticket(&session);
                c.send_handshake(
                    HM::NewSessionTicket12(NewSessionTicket12 {
                        lifetime_hint: TICKET_LIFETIME,
                        ticket,
                    }),
                    vec![],
                );
            }
            self.config.sessions.put(self.session_id.clone(), session);
            self.send_ccs_finished12(c)?;
        }
        self.finish(c);
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

    // ---------------------------------------------------------------- TLS 1.3

    fn hello13(&mut self, c: &mut Common, m: &Incoming, ch: &ClientHello) -> Result<(), TlsError> {
        let retry = self.hrr_group.is_some();
        let p = self
            .config
            .suites
            .iter()
            .filter_map(|s| suite_params::params(*s))
            .find(|p| p.tls13 && ch.cipher_suites.contains(&p.suite))
            .ok_or_else(|| {
                m.report(c, vec![]);
                TlsError::new(
                    Alert::HandshakeFailure,
                    "no TLS 1.3 cipher suite in common with the client",
                )
            });
        let p = p?;
        if retry && self.p != Some(p) {
            m.report(c, vec![]);
            return Err(TlsError::illegal(
                "the second ClientHello changes the cipher suite choice",
            ));
        }
        // RFC 8446 §4.2.11: pre_shared_key must be the last extension.
        if let Some(pos) = ch
            .extensions
            .iter()
            .position(|e| e.typ == ET::PRE_SHARED_KEY)
        {
            if pos != ch.extensions.len() - 1 {
                m.report(c, vec![]);
                return Err(TlsError::illegal(
                    "pre_shared_key is not the last extension",
                ));
            }
        }
        // RFC 8446 §4.1.2: legacy_compression_methods must be exactly one null byte.
        if ch.compression_methods != [CompressionMethod::NULL] {
            m.report(c, vec![]);
            return Err(TlsError::illegal(
                "a TLS 1.3 ClientHello must offer exactly the null compression method",
            ));
        }
        // RFC 8446 §4.2.9: pre_shared_key needs psk_key_exchange_modes.
        if client_ext(ch, ET::PRE_SHARED_KEY).is_some()
            && client_ext(ch, ET::PSK_KEY_EXCHANGE_MODES).is_none()
        {
            m.report(c, vec![]);
            return Err(TlsError::new(
                Alert::MissingExtension,
                "pre_shared_key offered without psk_key_exchange_modes",
            ));
        }
        // RFC 8446 §4.2.10: we never accept 0-RTT. Early data sent with a first ClientHello
        // is skipped (the record layer drops it, bounded); a second ClientHello must not ask
        // for it again (RFC 8446 §4.1.2).
        let early_data = client_ext(ch, ET::EARLY_DATA).is_some();
        if retry {
            c.rl.skip_early_data = None;
            if early_data {
                m.report(c, vec![]);
                return Err(TlsError::illegal(
                    "the ClientHello after HelloRetryRequest still offers early_data",
                ));
            }
        } else if early_data {
            c.rl.skip_early_data = Some(super::record_layer::MAX_SKIPPED_EARLY_DATA);
        }
        let groups = Self::client_groups(ch);
        let shares = match client_ext(ch, ET::KEY_SHARE) {
            Some(ExtBody::KeyShareClient(s)) => s.clone(),
            _ => {
                m.report(c, vec![]);
                return Err(TlsError::new(
                    Alert::MissingExtension,
                    "TLS 1.3 ClientHello without key_share",
                ));
            }
        };
        if groups.is_empty() {
            m.report(c, vec![]);
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
            m.report(c, vec![]);
            return Err(TlsError::illegal(format!(
                "a TLS 1.3 ClientHello offers the obsolete group {g} (RFC 8446 §4.2.7)"
            )));
        }
        for (i, (g, _)) in shares.iter().enumerate() {
            if !groups.contains(g) || shares[..i].iter().any(|(x, _)| x == g) {
                m.report(c, vec![]);
                return Err(TlsError::illegal(format!(
                    "key_share for {g} not in supported_groups or duplicated"
                )));
            }
        }
        let sigalgs = Self::client_sigalgs(ch);
        // The first certificate whose key can sign with a scheme the client accepts
        // (RFC 8446 §4.4.2.2); the preferred one when none can (refused below).
        let fitting = self
            .certificates()
            .position(|ck| ck.key.choose_scheme(&sigalgs, true).is_some());
        self.cert_index = fitting.unwrap_or(0);
        let key = self.cert().key.clone();
        let group = self
            .config
            .groups
            .iter()
            .copied()
            .find(|g| groups.contains(g))
            .ok_or_else(|| {
                TlsError::new(
                    Alert::HandshakeFailure,
                    "no key-exchange group in common with the client",
                )
            });
        let group = match group {
            Ok(g) => g,
            Err(e) => {
                m.report(c, vec![]);
                return Err(e);
            }
        };
        if let Some(hg) = self.hrr_group {
            if shares.len() != 1 || shares[0].0 != hg {
                m.report(c, vec![]);
                return Err(TlsError::illegal(format!(
                    "after HelloRetryRequest the client must send exactly one key share, for {hg}"
                )));
            }
        }
        self.alpn = match self.choose_alpn(ch) {
            Ok(a) => a,
            Err(e) => {
                m.report(c, vec![]);
                return Err(e);
            }
        };
        let share = shares
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, k)| k.clone());
        let Some(client_share) = share.or_else(|| {
            self.hrr_group.and_then(|hg| {
                shares
                    .iter()
                    .find(|(g, _)| *g == hg)
                    .map(|(_, k)| k.clone())
            })
        }) else {
            // RFC 8446 §4.1.4: ask for a share of our preferred group.
            m.report(c, vec![]);
            c.transcript.update(&m.raw);
            c.transcript.replace_with_message_hash(p.hash);
            self.p = Some(p);
            self.hrr_group = Some(group);
            let hrr = ServerHello {
                extensions_absent: false,
                version: ProtocolVersion::TLS12,
                random: HRR_RANDOM,
                session_id: ch.session_id.clone(),
                cipher_suite: p.suite,
                compression_method: CompressionMethod::NULL,
                extensions: vec![
                    Extension::new(
                        ET::SUPPORTED_VERSIONS,
                        ExtBody::SupportedVersionsServer(ProtocolVersion::TLS13),
                    ),
                    Extension::new(ET::KEY_SHARE, ExtBody::KeyShareHrr(group)),
                ],
            };
            c.rl.write_version = ProtocolVersion::TLS12;
            c.send_handshake(
                HM::ServerHello(hrr),
                vec![Check::new(
                    "retry",
                    true,
                    format!(
                        "the client sent no key share for {group}, our preferred group it supports"
                    ),
                )],
            );
            if !ch.session_id.is_empty() {
                c.send_ccs(true);
            }
            c.version = None;
            self.state = State::ClientHelloAfterRetry;
            return Ok(());
        };
        let group = self.hrr_group.unwrap_or(group);
        // PSK resumption (RFC 8446 §4.2.11): try the first identity.
        let mut psk: Option<Vec<u8>> = None;
        let mut psk_check = None;
        if let (
            Some(ExtBody::PreSharedKeyClient {
                identities,
                binders,
            }),
            Some(ExtBody::PskKeyExchangeModes(modes)),
        ) = (
            client_ext(ch, ET::PRE_SHARED_KEY),
            client_ext(ch, ET::PSK_KEY_EXCHANGE_MODES),
        ) {
            if modes.contains(&PskKeyExchangeMode::PSK_DHE_KE) {
                if let Some(s) = self
                    .config
                    .sessions
                    .open_ticket(&identities[0].identity)
                    .filter(|s| s.version == ProtocolVersion::TLS13)
                    .filter(|s| suite_params::params(s.suite).map(|x| x.hash) == Some(p.hash))
                {
                    let hl = p.hash.output_len();
                    let binders_len: usize = 2 + binders.iter().map(|b| 1 + b.len()).sum::<usize>();
                    let truncated = &m.raw[..m.raw.len() - binders_len];
                    let mut t = c.transcript.clone();
                    t.update(truncated);
                    let early = ks::early_secret(p.hash, Some(&s.secret));
                    let bk = ks::binder_key(p.hash, &early, false);
                    let expected = ks::finished_verify_data(p.hash, &bk, &t.hash(p.hash));
                    if (binders[0].len() != hl || !bool::from(expected.ct_eq(&binders[0])))
                        && !crate::crypto::fuzzing::ON
                    {
                        m.report(c, vec![]);
                        return Err(TlsError::new(
                            Alert::DecryptError,
                            "the PSK binder does not verify",
                        ));
                    }
                    psk = Some(s.secret.clone());
                    psk_check = Some(Check::new(
                        "PSK binder",
                        true,
                        "identity 0 (our ticket) with a valid binder: resuming",
                    ));
                }
            }
        }
        let scheme = if psk.is_none() {
            // RFC 8446 §9.2: certificate authentication needs signature_algorithms.
            if client_ext(ch, ET::SIGNATURE_ALGORITHMS).is_none() {
                m.report(c, vec![]);
                return Err(TlsError::new(
                    Alert::MissingExtension,
                    "TLS 1.3 ClientHello without signature_algorithms",
                ));
            }
            match key.choose_scheme(&sigalgs, true) {
                Some(s) => Some(s),
                None => {
                    m.report(c, vec![]);
                    return Err(TlsError::new(
                        Alert::HandshakeFailure,
                        format!(
                            "the client accepts no signature scheme our {} key can make",
                            key.description()
                        ),
                    ));
                }
            }
        } else {
            None
        };
        m.report(c, psk_check.into_iter().collect());
        c.transcript.update(&m.raw);
        let eph = EphemeralKey::generate_with(group, &mut c.rng, self.config.fast_kx)?;
        let public = eph.public_key();
        let shared = eph.agree(&client_share)?;
        self.p = Some(p);
        self.group = Some(group);
        self.scheme = scheme;
        self.resumed = psk.is_some();
        c.rng.fill_bytes(&mut self.server_random);
        let mut exts = vec![
            Extension::new(
                ET::SUPPORTED_VERSIONS,
                ExtBody::SupportedVersionsServer(ProtocolVersion::TLS13),
            ),
            Extension::new(ET::KEY_SHARE, ExtBody::KeyShareServer(group, public)),
        ];
        if psk.is_some() {
            exts.push(Extension::new(
                ET::PRE_SHARED_KEY,
                ExtBody::PreSharedKeyServer(0),
            ));
        }
        let sh = ServerHello {
            extensions_absent: false,
            version: ProtocolVersion::TLS12,
            random: self.server_random,
            session_id: ch.session_id.clone(),
            cipher_suite: p.suite,
            compression_method: CompressionMethod::NULL,
            extensions: exts,
        };
        c.rl.write_version = ProtocolVersion::TLS12;
        c.send_handshake(HM::ServerHello(sh), vec![]);
        let th = c.transcript.hash(p.hash);
        let s = keys::tls13_handshake(c, p, psk.as_deref(), &shared, &th);
        if !ch.session_id.is_empty() && !retry {
            c.send_ccs(true);
        }
        let wc = keys::cipher13(c, &p, &s.server_hs.clone(), "server_handshake_traffic")?;
        c.rl.set_write_cipher(wc, true);
        c.check_no_partial_handshake()?;
        let rc = keys::cipher13(c, &p, &s.client_hs.clone(), "client_handshake_traffic")?;
        c.rl.set_read_cipher(rc, true);

        let mut ee = vec![];
        if self.sni.is_some() {
            ee.push(Extension {
                typ: ET::SERVER_NAME,
                data: vec![],
                body: ExtBody::ServerName(Default::default()),
            });
        }
        if let Some(a) = &self.alpn {
            ee.push(Extension::new(ET::ALPN, ExtBody::Alpn(vec![a.clone()])));
        }
        c.send_handshake(HM::EncryptedExtensions(ee), vec![]);
        if !self.resumed {
            if self.config.client_auth != ClientAuth::None {
                self.cert_requested = true;
                c.send_handshake(
                    HM::CertificateRequest13(CertificateRequest13 {
                        context: vec![],
                        extensions: vec![Extension::new(
                            ET::SIGNATURE_ALGORITHMS,
                            ExtBody::SignatureAlgorithms(self.config.sigalgs.clone()),
                        )],
                    }),
                    vec![],
                );
            }
            let staple = self.stapled_response().filter(|_| {
                client_ext(ch, ET::STATUS_REQUEST).is_some_and(ExtBody::is_ocsp_request)
            });
            let entries = self
                .cert()
                .chain
                .iter()
                .enumerate()
                .map(|(i, d)| CertificateEntry {
                    der: d.clone(),
                    extensions: match (&staple, i) {
                        (Some(r), 0) => vec![Extension::new(
                            ET::STATUS_REQUEST,
                            ExtBody::OcspResponse(r.clone()),
                        )],
                        _ => vec![],
                    },
                })
                .collect();
            c.send_handshake(
                HM::Certificate(Certificate {
                    context: Some(vec![]),
                    entries,
                }),
                vec![],
            );
            let scheme = scheme.expect("chosen above");
            let th = c.transcript.hash(p.hash);
            let content = sign::tls13_verify_content(true, &th);
            let signature = self.sign(&key, scheme, &content, c)?;
            c.send_handshake(
                HM::CertificateVerify(CertificateVerify { scheme, signature }),
                vec![],
            );
        }
        let th = c.transcript.hash(p.hash);
        let vd = ks::finished_verify_data(p.hash, &s.server_hs, &th);
        c.send_handshake(HM::Finished(vd), vec![]);
        let mut s = s;
        let th = c.transcript.hash(p.hash);
        keys::tls13_application(c, &mut s, &th);
        let wc = keys::cipher13(c, &p, &s.server_app.clone(), "server_application_traffic")?;
        c.rl.set_write_cipher(wc, true);
        self.s13 = Some(s);
        self.state = if self.cert_requested {
            State::ClientCertificate13
        } else {
            State::Finished13
        };
        Ok(())
    }

    fn on_finished13(&mut self, c: &mut Common, m: &Incoming, vd: &[u8]) -> Result<(), TlsError> {
        let p = self.params()?;
        let s = self
            .s13
            .clone()
            .ok_or_else(|| TlsError::internal("no TLS 1.3 secrets"))?;
        let th = c.transcript.hash(p.hash);
        let expected = ks::finished_verify_data(p.hash, &s.client_hs, &th);
        super::check_finished(&expected, vd, "client")?;
        c.transcript.update(&m.raw);
        m.report(
            c,
            vec![Check::new(
                "verify_data",
                true,
                "matches HMAC(client finished_key, transcript)",
            )],
        );
        c.check_no_partial_handshake()?;
        let rc = keys::cipher13(c, &p, &s.client_app, "client_application_traffic")?;
        c.rl.set_read_cipher(rc, true);
        let th = c.transcript.hash(p.hash);
        self.resumption_master = ks::derive_secret(p.hash, &s.master, "res master", &th);
        c.key_event(
            "resumption_master_secret",
            "Derive-Secret(master_secret, \"res master\", ClientHello..client Finished)".into(),
            None,
            &self.resumption_master.clone(),
        );
        self.finish(c);
        // RFC 8446 §4.6.1: tickets after the handshake.
        for i in 0..self.config.tickets {
            let nonce = vec![i as u8];
            let age_add = c.rng.next_u32();
            let session = ServerSession {
                version: ProtocolVersion::TLS13,
                suite: p.suite,
                secret: ks::resumption_psk(p.hash, &self.resumption_master, &nonce),
                extended_master_secret: true,
                age_add,
                created_ms: now_ms(),
                lifetime: TICKET_LIFETIME,
                server_name: self.sni.clone().unwrap_or_default(),
            };
            let ticket = self.config.sessions.seal_ticket(&session);
            let msg = HM::NewSessionTicket13(NewSessionTicket13 {
                lifetime: TICKET_LIFETIME,
                age_add,
                nonce,
                ticket,
                extensions: vec![],
            });
            let raw = msg.encode();
            c.send_handshake_raw(msg, raw, vec![], false);
        }
        Ok(())
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
        keys::key_update(c, &p, &mut s.server_app, "server", true)
    }

    fn on_key_update(&mut self, c: &mut Common, m: &Incoming, req: u8) -> Result<(), TlsError> {
        c.check_no_partial_handshake()?;
        m.report(
            c,
            vec![Check::new(
                "key update",
                true,
                if req == 1 {
                    "client keys updated; the client asks us to update ours too"
                } else {
                    "client keys updated"
                },
            )],
        );
        let s = self
            .s13
            .as_mut()
            .ok_or_else(|| TlsError::internal("no secrets"))?;
        let p = s.p;
        keys::key_update(c, &p, &mut s.client_app, "client", false)?;
        if req == 1 {
            self.send_key_update(c, false)?;
        }
        Ok(())
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
