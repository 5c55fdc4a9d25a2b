//! The TLS 1.3 client handshake after the ServerHello and the post-handshake messages
//! (RFC 8446 §4.3-§4.6).

use super::*;

impl ClientState {
    pub(super) fn server_hello13(
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

    pub(super) fn on_encrypted_extensions(
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

    pub(super) fn on_certificate_verify13(
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

    pub(super) fn on_finished13(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<(), TlsError> {
        let p = self.params()?;
        let mut s = self
            .s13
            .take()
            .ok_or_else(|| TlsError::internal("no TLS 1.3 secrets"))?;
        let th = c.transcript.hash(p.hash);
        let expected = ks::finished_verify_data(p.hash, &s.server_hs, &th);
        crate::handshake::check_finished(&expected, vd, "server")?;
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

    pub(super) fn on_post_handshake13(
        &mut self,
        c: &mut Common,
        m: &Incoming,
    ) -> Result<(), TlsError> {
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
