//! The ServerHello and HelloRetryRequest: checking them and choosing the version path
//! (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3).

use super::*;

impl ClientState {
    pub(super) fn on_server_hello(
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

    pub(super) fn check_alpn(&self, exts: &[Extension]) -> Result<Option<Vec<u8>>, TlsError> {
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

    /// HelloRetryRequest (RFC 8446 §4.1.4).
    pub(super) fn on_hello_retry(
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
        let retry = hello::Retry {
            session_id: self.ch.session_id.clone(),
            cookie,
            suite: p.suite,
        };
        let sent = hello::build_hello(c, &self.config, g, Some(retry))?;
        let ch = self.adopt(sent);
        c.send_handshake(HM::ClientHello(ch), vec![]);
        Ok(())
    }
}
