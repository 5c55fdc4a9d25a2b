//! The TLS 1.3 server: RFC 8446 §4.

use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::crypto::kx::EphemeralKey;
use crate::crypto::{key_schedule as ks, sign};
use crate::error::{Alert, TlsError};
use crate::event::Check;
use crate::handshake::config::ClientAuth;
use crate::handshake::keys;
use crate::handshake::session::{now_ms, ServerSession, TICKET_LIFETIME};
use crate::handshake::suite_params;
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, ProtocolVersion, PskKeyExchangeMode,
};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateEntry, CertificateRequest13, CertificateVerify, ClientHello,
    HandshakeMessage as HM, NewSessionTicket13, ServerHello, HRR_RANDOM,
};

use super::*;

/// RFC 8446 §4.1.2: after a HelloRetryRequest the client sends the same ClientHello, except
/// for a new key_share, no early_data, an added cookie, an updated pre_shared_key and a
/// different padding. Everything else, extension order included, must be unchanged
/// (tlsfuzzer's test-tls13-shuffled-extentions expects illegal_parameter for a reordered
/// one). The encrypted_client_hello body may change (a GREASE ECH payload is drawn again,
/// draft-ietf-tls-esni §6.2), so only its presence and place are compared.
pub(super) fn same_hello_after_retry(
    first: &ClientHello,
    second: &ClientHello,
) -> Result<(), &'static str> {
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

impl ServerState {
    pub(super) fn hello13(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        ch: &ClientHello,
    ) -> Result<(), TlsError> {
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
            c.rl.skip_early_data = Some(crate::handshake::record_layer::MAX_SKIPPED_EARLY_DATA);
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

    pub(super) fn on_finished13(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<(), TlsError> {
        let p = self.params()?;
        let s = self
            .s13
            .clone()
            .ok_or_else(|| TlsError::internal("no TLS 1.3 secrets"))?;
        let th = c.transcript.hash(p.hash);
        let expected = ks::finished_verify_data(p.hash, &s.client_hs, &th);
        crate::handshake::check_finished(&expected, vd, "client")?;
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

    pub(super) fn on_key_update(
        &mut self,
        c: &mut Common,
        m: &Incoming,
        req: u8,
    ) -> Result<(), TlsError> {
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
