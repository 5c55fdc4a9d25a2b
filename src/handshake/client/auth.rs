//! Certificates both ways: the server's chain and our client certificate
//! (RFC 8446 §4.4.2-§4.4.3, RFC 5246 §7.4.2, §7.4.6, §7.4.8).

use super::*;

impl ClientState {
    pub(super) fn verify_chain(&mut self, c: &mut Common) {
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

    pub(super) fn on_certificate(
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

    /// Sends our Certificate; returns the key and scheme for the CertificateVerify that
    /// follows (at once in TLS 1.3, after the ClientKeyExchange in TLS 1.2).
    pub(super) fn send_client_certificate(
        &mut self,
        c: &mut Common,
        context: Option<Vec<u8>>,
        sigalgs: &[SignatureScheme],
        tls13: bool,
    ) -> Option<(crate::handshake::config::CertifiedKey, SignatureScheme)> {
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
    pub(super) fn send_certificate_verify(
        &mut self,
        c: &mut Common,
        ck: crate::handshake::config::CertifiedKey,
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
}
