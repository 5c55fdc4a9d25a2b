//! Building the ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) and its extensions.

use super::*;

impl ClientState {
    /// Builds a ClientHello (RFC 8446 §4.1.2). On a retry, `cookie` echoes the HRR's.
    pub(super) fn build_hello(
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
}
