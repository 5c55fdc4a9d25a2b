//! The TLS 1.0-1.2 client handshake after the ServerHello (RFC 5246 §7.3, RFC 5077,
//! RFC 7627, RFC 5746).

use super::*;

impl ClientState {
    pub(super) fn server_hello12(
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

    /// Sets up the TLS 1.2 ciphers; the read side is installed at the server's CCS, the
    /// write side at ours, so keep both until then.
    pub(super) fn install12(&mut self, c: &mut Common, p: SuiteParams) -> Result<(), TlsError> {
        let (cw, sw) = keys::tls12_ciphers(c, &p, &self.master, &self.server_random, self.etm)?;
        self.pending_write = Some(cw);
        self.pending_read = Some(sw);
        Ok(())
    }

    pub(super) fn on_server_key_exchange(
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
    pub(super) fn send_flight12(&mut self, c: &mut Common) -> Result<(), TlsError> {
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

    pub(super) fn send_ccs_finished12(&mut self, c: &mut Common) -> Result<(), TlsError> {
        let p = self.params()?;
        let write = self.pending_write.take();
        crate::handshake::send_ccs_finished12(c, p.hash, write, &self.master, b"client finished")
    }

    pub(super) fn on_finished12(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<(), TlsError> {
        let p = self.params()?;
        let th = c.transcript.hash(p.hash);
        let expected = prf::finished_verify_data(p.hash, &self.master, b"server finished", &th);
        crate::handshake::check_finished(&expected, vd, "server")?;
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

    pub(super) fn ch_session_id_for_resume(&self) -> Vec<u8> {
        self.server_session_id.clone()
    }

    pub(super) fn on_cert_request12(
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
