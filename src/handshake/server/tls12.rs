//! The TLS 1.2 server (and TLS 1.0/1.1): RFC 5246 §7.3.

use rand::RngCore;

use crate::crypto::dh::{self, DhKey};
use crate::crypto::kx::EphemeralKey;
use crate::crypto::prf;
use crate::crypto::sign::SigningKey;
use crate::error::{Alert, TlsError};
use crate::event::{Check, Event};
use crate::handshake::config::ClientAuth;
use crate::handshake::keys;
use crate::handshake::session::{now_ms, ServerSession, TICKET_LIFETIME};
use crate::handshake::suite_params::{self, SuiteParams};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{
    ClientCertificateType, CompressionMethod, EcPointFormat, ExtensionType as ET, NamedGroup,
    ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateEntry, CertificateRequest12, CertificateStatus, ClientHello,
    ClientKeyExchange, HandshakeMessage as HM, NewSessionTicket12, ServerHello, ServerKeyExchange,
    DOWNGRADE_TLS11, DOWNGRADE_TLS12,
};
use crate::wire::suites::{Auth, CipherSuite, Kx};

use super::*;

impl ServerState {
    pub(super) fn hello12(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        ch: &ClientHello,
    ) -> Result<(), TlsError> {
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
        crate::handshake::send_ccs_finished12(c, p.hash, write, &self.master, b"server finished")
    }

    pub(super) fn on_client_key_exchange(
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

    pub(super) fn on_finished12(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<(), TlsError> {
        let p = self.params()?;
        let th = c.transcript.hash(p.hash);
        let expected = prf::finished_verify_data(p.hash, &self.master, b"client finished", &th);
        crate::handshake::check_finished(&expected, vd, "client")?;
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
}
