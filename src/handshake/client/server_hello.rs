//! Waiting for the ServerHello: checking it or a HelloRetryRequest against our offer, then
//! choosing the version path (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3).

use super::extension_rules::{self, ServerMessage};
use super::hello::{self, Retry, SentHello, Shares};
use super::{tls12, tls13, State};
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind};
use crate::handshake::config::ClientConfig;
use crate::handshake::suite_params::{self, SuiteParams};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{CompressionMethod, ExtensionType as ET, ProtocolVersion};
use crate::wire::extensions::{find, ExtBody};
use crate::wire::handshake::{HandshakeMessage as HM, ServerHello};
use crate::wire::suites::CipherSuite;

/// Our ClientHello is out; the ServerHello (or a HelloRetryRequest) comes next.
pub(super) struct ExpectServerHello {
    sent: SentHello,
    /// The suite of the HelloRetryRequest we answered (RFC 8446 §4.1.4), if any.
    retried: Option<CipherSuite>,
}

impl ExpectServerHello {
    pub(super) fn new(sent: SentHello) -> ExpectServerHello {
        ExpectServerHello {
            sent,
            retried: None,
        }
    }

    /// Whether we already answered a HelloRetryRequest (the ServerHello must then be TLS 1.3).
    pub(super) fn retried(&self) -> bool {
        self.retried.is_some()
    }

    pub(super) fn handle(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        sh: &ServerHello,
    ) -> Result<State, TlsError> {
        if m.encrypted {
            return Err(TlsError::unexpected("encrypted ServerHello"));
        }
        let msg = self.message_kind(sh)?;
        extension_rules::check(&sh.extensions, &self.sent.hello.extensions, msg)?;
        // RFC 8446 §4.1.3 (and §4.1.4 for the HelloRetryRequest), RFC 5246 §7.4.1.3: we
        // offered only the null method.
        if sh.compression_method != CompressionMethod::NULL {
            return Err(TlsError::illegal(format!(
                "the server chose compression {}, we offered only null",
                sh.compression_method
            )));
        }
        let version = self.choose_version(config, sh)?;
        if sh.is_hello_retry_request() {
            return self.on_hello_retry(c, config, m, sh);
        }
        // RFC 8446 §4.1.4: "The value of selected_version in the HelloRetryRequest
        // "supported_versions" extension MUST be retained in the ServerHello".
        if self.retried() && version != ProtocolVersion::TLS13 {
            return Err(TlsError::illegal(format!(
                "the ServerHello selects {version} after a HelloRetryRequest for TLS 1.3"
            )));
        }
        let p = self.check_suite(sh, version)?;
        c.version = Some(version);
        c.kx = Some(p.kx);
        if version < ProtocolVersion::TLS13 {
            c.rl.write_version = version;
        }
        let SentHello { hello, tls13 } = self.sent;
        // `choose_version` picks TLS 1.3 only when we offered it, with a key share.
        match tls13.filter(|_| version == ProtocolVersion::TLS13) {
            Some(offer13) => tls13::server_hello(c, m, sh, p, hello, offer13),
            None => tls12::server_hello(c, config, m, sh, p, hello, version),
        }
    }

    /// Which message this is (RFC 8446 §4.1.3: the random says first whether it is a
    /// HelloRetryRequest, which must select TLS 1.3 in supported_versions like every TLS
    /// 1.3 ServerHello, or it lacks an extension mandatory for its version:
    /// missing_extension, §6.2).
    fn message_kind(&self, sh: &ServerHello) -> Result<ServerMessage, TlsError> {
        let versions = find(&sh.extensions, ET::SUPPORTED_VERSIONS).is_some();
        Ok(match (sh.is_hello_retry_request(), versions) {
            (true, true) => ServerMessage::HelloRetryRequest,
            (true, false) => {
                return Err(TlsError::new(
                    Alert::MissingExtension,
                    "HelloRetryRequest without supported_versions (RFC 8446 §4.1.4)",
                ))
            }
            (false, true) => ServerMessage::ServerHello13,
            (false, false) => ServerMessage::ServerHello12,
        })
    }

    /// TLS 1.3 by supported_versions (RFC 8446 §4.2.1), else the legacy version field.
    fn choose_version(
        &self,
        config: &ClientConfig,
        sh: &ServerHello,
    ) -> Result<ProtocolVersion, TlsError> {
        match find(&sh.extensions, ET::SUPPORTED_VERSIONS).map(|e| &e.body) {
            Some(ExtBody::SupportedVersionsServer(v)) => {
                if *v != ProtocolVersion::TLS13 || self.sent.tls13.is_none() {
                    return Err(TlsError::illegal(format!(
                        "the server selected {v} in supported_versions, which we did not offer"
                    )));
                }
                check_legacy_version13(sh.version)?;
                Ok(ProtocolVersion::TLS13)
            }
            _ => {
                // RFC 5246 §7.4.1.3, RFC 4346 Appendix E.1: the server picks a version up to
                // our client_version; one we did not enable is a protocol_version error.
                let v = sh.version;
                if v >= ProtocolVersion::TLS10
                    && Some(v) <= hello::legacy_max(config)
                    && config.versions.contains(&v)
                {
                    Ok(v)
                } else {
                    Err(TlsError::new(
                        Alert::ProtocolVersion,
                        format!("the server chose {}, which we did not offer", sh.version),
                    ))
                }
            }
        }
    }

    /// The suite must be one we offered, defined for `version`, and the HelloRetryRequest's
    /// if there was one (RFC 8446 §4.1.4).
    fn check_suite(
        &self,
        sh: &ServerHello,
        version: ProtocolVersion,
    ) -> Result<SuiteParams, TlsError> {
        let p = suite_params::params(sh.cipher_suite)
            .filter(|p| self.sent.hello.cipher_suites.contains(&p.suite))
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
        if let Some(hs) = self.retried {
            if hs != p.suite {
                return Err(TlsError::illegal(
                    "ServerHello suite differs from the HelloRetryRequest's",
                ));
            }
        }
        Ok(p)
    }

    /// HelloRetryRequest (RFC 8446 §4.1.4): check it, then send the second ClientHello with
    /// the key share or cookie it asks for.
    fn on_hello_retry(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        sh: &ServerHello,
    ) -> Result<State, TlsError> {
        if self.retried.is_some() {
            return Err(TlsError::unexpected("a second HelloRetryRequest"));
        }
        let not_offered = || {
            TlsError::illegal(format!(
                "HelloRetryRequest chose {}, which we did not offer",
                sh.cipher_suite
            ))
        };
        let SentHello { hello, tls13 } = self.sent;
        let p = suite_params::params(sh.cipher_suite)
            .filter(|p| p.tls13 && hello.cipher_suites.contains(&p.suite))
            .ok_or_else(not_offered)?;
        // A TLS 1.3 suite is offered only with TLS 1.3, hence with key shares.
        let Some(offer13) = tls13 else {
            return Err(not_offered());
        };
        if sh.session_id != hello.session_id {
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
        let shares = match group {
            // RFC 8446 §4.1.4: the selected group must be one we offered, and not one we
            // already sent a share for.
            Some(g) if !config.groups.contains(&g) => {
                return Err(TlsError::illegal(format!(
                    "HelloRetryRequest asks for {g}, which we did not offer"
                )));
            }
            Some(g) if offer13.groups().contains(&g) => {
                return Err(TlsError::illegal(format!(
                    "HelloRetryRequest asks for {g}, for which we already sent a key share"
                )));
            }
            // §4.1.2: "a list containing a single KeyShareEntry from the indicated group".
            Some(g) => Shares::New(vec![g]),
            None => Shares::Again(offer13.shares),
        };
        c.transcript.replace_with_message_hash(p.hash);
        c.transcript.update(&m.raw);
        m.report(c, vec![Check::pass(CheckKind::RetryReceived { group })]);
        let retry = Retry {
            session_id: hello.session_id,
            cookie,
            suite: p.suite,
        };
        super::early_data::on_retry(c);
        let sent = hello::build_hello(c, config, shares, Some(retry))?;
        c.send_handshake(HM::ClientHello(sent.hello.clone()), vec![]);
        Ok(State::ServerHello(ExpectServerHello {
            sent,
            retried: Some(p.suite),
        }))
    }
}

/// RFC 8446 §4.1.3: in a TLS 1.3 ServerHello (and HelloRetryRequest) legacy_version "MUST
/// be set to 0x0303"; another value contradicts supported_versions (illegal_parameter),
/// except SSL 3.0, which Appendix D.5 answers with protocol_version.
fn check_legacy_version13(legacy: ProtocolVersion) -> Result<(), TlsError> {
    if legacy == ProtocolVersion::TLS12 {
        return Ok(());
    }
    if legacy == ProtocolVersion::SSL3 {
        return Err(TlsError::new(
            Alert::ProtocolVersion,
            "the ServerHello's legacy_version is SSL 3.0 (RFC 8446 Appendix D.5)",
        ));
    }
    Err(TlsError::illegal(format!(
        "a TLS 1.3 ServerHello with legacy_version {legacy}, not TLS 1.2 (RFC 8446 §4.1.3)"
    )))
}
