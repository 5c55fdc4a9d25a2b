//! The TLS 1.0-1.2 key exchange: the server's signed ServerKeyExchange (RFC 5246 §7.4.3,
//! RFC 8422 §5.4, RFC 7919), its CertificateRequest and ServerHelloDone, then our flight:
//! [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished
//! (RFC 5246 §7.4.6-§7.4.9).

use rand::RngCore;

use super::tls12::{expect_ccs, Mode, Tls12};
use super::{auth, State};
use crate::crypto::dh::{self, DhKey};
use crate::crypto::kx::{rsa_encrypt_premaster, EphemeralKey};
use crate::crypto::sign;
use crate::error::TlsError;
use crate::event::{Check, CheckKind, Event, KxSignature, Warning};
use crate::handshake::cert_auth::signed_content;
use crate::handshake::config::ClientConfig;
use crate::handshake::finished::send_ccs_finished12;
use crate::handshake::{forbidden_hash, groups, keys, psk, Common, Incoming, Side};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::handshake::{
    CertificateRequest12, CertificateStatus, ClientHello, ClientKeyExchange,
    HandshakeMessage as HM, PskParams, PskPublic, ServerKeyExchange,
};
use crate::wire::suites::Kx;

/// The server's certificate is in; a CertificateStatus (when acknowledged), the
/// ServerKeyExchange (ECDHE, DHE) or, for RSA key transport, a CertificateRequest or the
/// ServerHelloDone comes next.
pub(super) struct ExpectServerKx {
    hs: Tls12,
    offer: ClientHello,
    /// The server's leaf key: it signs the key exchange or receives the pre-master secret.
    spki: Vec<u8>,
    ocsp_acked: bool,
}

/// What the server contributed to the key exchange.
pub(super) enum ServerKx {
    /// RSA key transport: nothing, we encrypt to its certificate (RFC 5246 §7.4.7.1).
    Rsa,
    /// Its ephemeral public key on a group we offered (RFC 8422 §5.4).
    Ecdhe { group: NamedGroup, public: Vec<u8> },
    /// Its checked DHE parameters and public value (RFC 5246 §7.4.3, RFC 7919).
    Dhe { p: Vec<u8>, g: Vec<u8>, ys: Vec<u8> },
    /// A PSK suite: its checked (EC)DHE parameters, if any (RFC 4279, RFC 5489).
    Psk(PskParams),
    /// RSA-PSK: we encrypt a secret to its certificate and add the PSK (RFC 4279 §4).
    RsaPsk,
}

/// The key exchange is known; a CertificateRequest or the ServerHelloDone comes next.
pub(super) struct ExpectHelloDone {
    hs: Tls12,
    offer: ClientHello,
    spki: Vec<u8>,
    kx: ServerKx,
    /// The signature algorithms of a CertificateRequest, if the server sent one.
    cert_request: Option<Vec<SignatureScheme>>,
}

impl ExpectServerKx {
    pub(super) fn new(
        hs: Tls12,
        offer: ClientHello,
        spki: Vec<u8>,
        ocsp_acked: bool,
    ) -> ExpectServerKx {
        ExpectServerKx {
            hs,
            offer,
            spki,
            ocsp_acked,
        }
    }

    pub(super) fn ocsp_acked(&self) -> bool {
        self.ocsp_acked
    }

    /// ECDHE and DHE suites: a signed ServerKeyExchange comes.
    pub(super) fn key_exchange_is_signed(&self) -> bool {
        matches!(self.hs.p.kx, Kx::Ecdhe | Kx::Dhe)
    }

    /// RSA key transport: no ServerKeyExchange.
    pub(super) fn key_transport(&self) -> bool {
        self.hs.p.kx == Kx::Rsa
    }

    /// RSA key transport goes on without a ServerKeyExchange.
    pub(super) fn without_key_exchange(self) -> ExpectHelloDone {
        self.next(ServerKx::Rsa)
    }

    /// PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites: an unsigned ServerKeyExchange (RFC 4279
    /// §2-§4).
    pub(super) fn psk_key_exchange(&self) -> bool {
        matches!(
            self.hs.p.kx,
            Kx::Psk | Kx::DhePsk | Kx::EcdhePsk | Kx::RsaPsk
        )
    }

    /// Plain PSK and RSA-PSK: the ServerKeyExchange is left out when the server has no
    /// identity hint (RFC 4279 §2, §4), and ServerHelloDone comes at once.
    pub(super) fn psk_without_hint(self) -> Option<ExpectHelloDone> {
        match self.hs.p.kx {
            Kx::Psk => Some(self.next(ServerKx::Psk(PskParams::None))),
            Kx::RsaPsk => Some(self.next(ServerKx::RsaPsk)),
            _ => None,
        }
    }

    /// The PSK ServerKeyExchange (RFC 4279 §2-§3, RFC 5489 §2): a hint we do not use, and
    /// (EC)DHE parameters checked as for the signed suites; nothing is signed.
    pub(super) fn on_psk_key_exchange(
        mut self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        skx: &ServerKeyExchange,
    ) -> Result<State, TlsError> {
        let ServerKeyExchange::Psk { params, .. } = skx else {
            return Err(TlsError::unexpected(
                "a signed ServerKeyExchange for a PSK suite",
            ));
        };
        let mut checks = vec![];
        match params {
            PskParams::Dhe { p, g, ys } => {
                let dh = check_dhe_params(c, config, m, (&p[..], &g[..], &ys[..]), &mut checks)?;
                self.hs.settled.agreed.group = dh.0;
                self.hs.settled.agreed.dh_bits = Some(dh.1);
                self.hs.settled.agreed.dh_group = dh.2;
            }
            PskParams::Ecdhe { group, .. } => {
                check_ecdhe_group(config, *group)?;
                self.hs.settled.agreed.group = Some(*group);
            }
            PskParams::None => {}
        }
        c.transcript.update(&m.raw);
        m.report(c, checks);
        let kx = if self.hs.p.kx == Kx::RsaPsk {
            ServerKx::RsaPsk
        } else {
            ServerKx::Psk(params.clone())
        };
        Ok(State::HelloDone(self.next(kx)))
    }

    fn next(self, kx: ServerKx) -> ExpectHelloDone {
        ExpectHelloDone {
            hs: self.hs,
            offer: self.offer,
            spki: self.spki,
            kx,
            cert_request: None,
        }
    }

    /// RFC 6066 §8: the stapled response, described (its signature is not checked).
    pub(super) fn on_status(self, c: &mut Common, m: &Incoming, st: &CertificateStatus) -> State {
        c.transcript.update(&m.raw);
        let check = match crate::pki::ocsp::describe(&st.response) {
            Ok(o) => auth::ocsp_check(o),
            Err(error) => Check::fail(CheckKind::OcspStatusUnreadable {
                len: st.response.len(),
                error,
            }),
        };
        m.report(c, vec![check]);
        State::KeyExchange(self)
    }

    /// The ServerKeyExchange: the parameters checked, their signature verified with the
    /// leaf's key (RFC 5246 §7.4.3).
    pub(super) fn on_key_exchange(
        mut self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        skx: &ServerKeyExchange,
    ) -> Result<State, TlsError> {
        let mut checks = vec![];
        let (kx, params, scheme, signature) = match skx {
            ServerKeyExchange::Ecdhe {
                group,
                public,
                params,
                scheme,
                signature,
            } => {
                check_ecdhe_group(config, *group)?;
                self.hs.settled.agreed.group = Some(*group);
                let kx = ServerKx::Ecdhe {
                    group: *group,
                    public: public.clone(),
                };
                (kx, params, scheme, signature)
            }
            ServerKeyExchange::Dhe {
                p,
                g,
                ys,
                params,
                scheme,
                signature,
            } => {
                let dh = check_dhe_params(c, config, m, (&p[..], &g[..], &ys[..]), &mut checks)?;
                self.hs.settled.agreed.group = dh.0;
                self.hs.settled.agreed.dh_bits = Some(dh.1);
                self.hs.settled.agreed.dh_group = dh.2;
                let kx = ServerKx::Dhe {
                    p: p.clone(),
                    g: g.clone(),
                    ys: ys.clone(),
                };
                (kx, params, scheme, signature)
            }
            ServerKeyExchange::Raw(_) | ServerKeyExchange::Psk { .. } => {
                return Err(TlsError::unexpected(
                    "ServerKeyExchange for a suite without one",
                ))
            }
        };
        let how = self.verify_signature(c, config, params, *scheme, signature)?;
        c.transcript.update(&m.raw);
        checks.insert(0, Check::pass(CheckKind::KeyExchangeSignature(how)));
        m.report(c, checks);
        Ok(State::RequestOrDone(self.next(kx)))
    }

    /// RFC 5246 §7.4.3: the signature over client_random + server_random + params, with
    /// the scheme named (TLS 1.2) or the legacy MD5+SHA-1 / SHA-1 one (TLS 1.0, 1.1).
    /// Returns how it was verified.
    fn verify_signature(
        &mut self,
        c: &Common,
        config: &ClientConfig,
        params: &[u8],
        scheme: Option<SignatureScheme>,
        signature: &[u8],
    ) -> Result<KxSignature, TlsError> {
        let mut signed = Vec::with_capacity(64 + params.len());
        signed.extend_from_slice(&c.client_random);
        signed.extend_from_slice(&self.hs.server_random);
        signed.extend_from_slice(params);
        let spki = &self.spki;
        match scheme {
            Some(scheme) => {
                // RFC 5246 §7.4.1.4.1: the scheme "MUST be a pair listed in" our
                // signature_algorithms, where MD5 and SHA-1 ones have no place (RFC 9155 §3);
                // §4 forbids them in a ServerKeyExchange.
                if forbidden_hash(scheme) {
                    return Err(TlsError::illegal(format!(
                        "the server signed its key exchange with {scheme}: RFC 9155 §4 forbids MD5 and SHA-1 in ServerKeyExchange"
                    )));
                }
                if !config.sigalgs.contains(&scheme) {
                    return Err(TlsError::illegal(format!(
                        "the server signed with {scheme}, which we did not offer"
                    )));
                }
                sign::verify(scheme, spki, &signed, signature, true)?;
                self.hs.settled.agreed.signature_scheme = Some(scheme);
                Ok(KxSignature::Scheme(scheme))
            }
            None => {
                if self.hs.version >= ProtocolVersion::TLS12 {
                    return Err(TlsError::internal("TLS 1.2 signature without an algorithm"));
                }
                Ok(KxSignature::Legacy(sign::verify_legacy(
                    spki, &signed, signature,
                )?))
            }
        }
    }
}

/// The server's ECDHE group must be one we offered, and a curve: RFC 8422 §5.4 names only
/// curves; the ML-KEM groups exist for TLS 1.3 only and the finite-field groups for DHE
/// suites (RFC 7919).
fn check_ecdhe_group(config: &ClientConfig, group: NamedGroup) -> Result<(), TlsError> {
    if !config.groups.contains(&group) {
        return Err(TlsError::illegal(format!(
            "the server chose {group}, which we did not offer"
        )));
    }
    if !groups::ecdhe_in_tls12(group) {
        return Err(TlsError::illegal(format!(
            "the server chose {group} for TLS 1.2 ECDHE, where it is not defined"
        )));
    }
    Ok(())
}

/// RFC 7919 §5.1, Logjam: the server's DHE group and public value, checked; a failure is
/// reported on the message before the error.
fn check_dhe_params(
    c: &mut Common,
    config: &ClientConfig,
    m: &Incoming,
    (p, g, ys): (&[u8], &[u8], &[u8]),
    checks: &mut Vec<Check>,
) -> Result<(Option<NamedGroup>, u32, Option<&'static str>), TlsError> {
    let info = match dh::check_server_params(p, g, ys, config.allow_weak_dh) {
        Ok(i) => i,
        Err(e) => {
            m.report(c, vec![Check::fail(CheckKind::DhParamsRejected(e.clone()))]);
            return Err(e);
        }
    };
    let (weak, bits, known) = (info.weak, info.bits, info.known.is_some());
    // The summary names the group: an RFC 7919 one by name, any other by its size.
    let known_name = dh::known_group(p).map(|k| k.name);
    let named = known_name.and_then(NamedGroup::from_name);
    checks.push(Check::new(CheckKind::DhParams(info), !weak));
    checks.push(Check::pass(CheckKind::DhPublicInRange { of: Side::Server }));
    if weak {
        checks.push(Check::fail(CheckKind::DhGroupWeak { bits }));
        c.emit(Event::Warning(Warning::WeakDhGroup { bits }));
    }
    if !known {
        checks.push(Check::pass(CheckKind::DhGroupUnknown));
    }
    Ok((named, u32::try_from(bits).unwrap_or(u32::MAX), known_name))
}

impl ExpectHelloDone {
    /// RFC 5246 §7.4.4: the server asks for our certificate.
    pub(super) fn on_request(
        mut self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
        r: &CertificateRequest12,
    ) -> State {
        auth::report_certificate_request(c, config, m);
        self.cert_request = Some(r.signature_algorithms.clone());
        State::HelloDone(self)
    }

    /// RFC 5246 §7.4.5: the server is done; our flight follows.
    pub(super) fn on_done(
        self,
        c: &mut Common,
        config: &ClientConfig,
        m: &Incoming,
    ) -> Result<State, TlsError> {
        c.transcript.update(&m.raw);
        m.report(c, vec![]);
        self.send_flight(c, config)
    }

    /// [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished
    /// (RFC 5246 §7.3).
    fn send_flight(self, c: &mut Common, config: &ClientConfig) -> Result<State, TlsError> {
        let hs = self.hs;
        let p = hs.p;
        let signer = match &self.cert_request {
            Some(sigalgs) => {
                // TLS 1.0/1.1: no signature algorithms to choose from (RFC 4346 §7.4.4).
                let list = (hs.version >= ProtocolVersion::TLS12).then_some(sigalgs.as_slice());
                auth::send_client_certificate(c, config, None, list, false)
            }
            None => None,
        };
        // Zeroed when dropped, once the master secret is derived.
        let pre_master = zeroize::Zeroizing::new(match self.kx {
            ServerKx::Ecdhe { group, public } => ecdhe_key_exchange(c, group, &public)?,
            ServerKx::Dhe { p, g, ys } => dhe_key_exchange(c, &p, &g, &ys)?,
            ServerKx::Rsa => rsa_key_transport(c, &self.offer, &self.spki)?,
            ServerKx::Psk(params) => psk_key_exchange(c, config, params)?,
            ServerKx::RsaPsk => rsa_psk_key_exchange(c, config, &self.offer, &self.spki)?,
        });
        let master = keys::tls12_master(
            c,
            p.hash,
            &pre_master,
            hs.settled.tls12.ems,
            &hs.server_random,
        );
        // The read side is installed at the server's CCS, the write side at ours.
        let keys = keys::tls12_ciphers(c, &p, &master, &hs.server_random, hs.etm)?;
        // A CertificateVerify follows the ClientKeyExchange when we sent a certificate
        // (RFC 5246 §7.4.8: over all handshake messages so far).
        if let Some((ck, scheme)) = signer {
            let content = signed_content(c, Side::Client, None).into_owned();
            auth::send_certificate_verify(c, ck, scheme, &content)?;
        }
        send_ccs_finished12(c, keys.write, p.hash, &master);
        Ok(expect_ccs(hs, master, keys.read, Mode::Full))
    }
}

/// RFC 8422 §5.7: our ephemeral key on the server's group; returns the shared secret.
fn ecdhe_key_exchange(
    c: &mut Common,
    group: NamedGroup,
    server_public: &[u8],
) -> Result<Vec<u8>, TlsError> {
    let eph = EphemeralKey::generate(group, &mut c.rng)?;
    let public = eph.public_key();
    let shared = eph.agree(server_public)?;
    c.send_handshake(
        HM::ClientKeyExchange(ClientKeyExchange::Ecdhe(public)),
        vec![],
    );
    Ok(shared)
}

/// RFC 5246 §8.1.2: our DH key in the server's group; returns Z with leading zero bytes
/// stripped.
fn dhe_key_exchange(c: &mut Common, p: &[u8], g: &[u8], ys: &[u8]) -> Result<Vec<u8>, TlsError> {
    let key = DhKey::generate(p, g, &mut c.rng)?;
    let public = key.public_key();
    let z = key.agree(ys, "server's")?;
    c.send_handshake(
        HM::ClientKeyExchange(ClientKeyExchange::Dhe(public)),
        vec![],
    );
    Ok(z)
}

/// RFC 4279 §2-§3, RFC 5489 §2: our identity and (EC)DHE public value; returns the
/// pre-master secret built from the (EC)DHE secret and the PSK.
fn psk_key_exchange(
    c: &mut Common,
    config: &ClientConfig,
    params: PskParams,
) -> Result<Vec<u8>, TlsError> {
    let Some(psk) = &config.psk else {
        return Err(TlsError::internal("a PSK suite without a PSK"));
    };
    let (public, other) = match params {
        PskParams::None => (PskPublic::None, None),
        PskParams::Dhe { p, g, ys } => {
            let key = DhKey::generate(&p, &g, &mut c.rng)?;
            let z = zeroize::Zeroizing::new(key.agree(&ys, "server's")?);
            (PskPublic::Dhe(key.public_key()), Some(z))
        }
        PskParams::Ecdhe { group, public } => {
            let eph = EphemeralKey::generate(group, &mut c.rng)?;
            let ours = eph.public_key();
            let shared = zeroize::Zeroizing::new(eph.agree(&public)?);
            (PskPublic::Ecdhe(ours), Some(shared))
        }
    };
    c.send_handshake(
        HM::ClientKeyExchange(ClientKeyExchange::Psk {
            identity: psk.identity.clone(),
            public,
        }),
        vec![],
    );
    Ok(psk::tls12_premaster(other.as_deref().map(|v| v.as_slice()), &psk.key).to_vec())
}

/// RFC 4279 §4: our identity, then 48 bytes (client_version and 46 random ones, as in RSA
/// key transport) encrypted to the server's RSA key; the pre-master secret is those 48 bytes
/// and the PSK in the §2 layout.
fn rsa_psk_key_exchange(
    c: &mut Common,
    config: &ClientConfig,
    offer: &ClientHello,
    spki: &[u8],
) -> Result<Vec<u8>, TlsError> {
    let Some(psk) = &config.psk else {
        return Err(TlsError::internal("an RSA-PSK suite without a PSK"));
    };
    let (secret, enc) = encrypted_premaster(c, offer, spki)?;
    c.send_handshake(
        HM::ClientKeyExchange(ClientKeyExchange::Psk {
            identity: psk.identity.clone(),
            public: PskPublic::Rsa(enc),
        }),
        vec![Check::pass(CheckKind::PremasterEncrypted {
            len: secret.len(),
        })],
    );
    Ok(psk::tls12_premaster(Some(&secret), &psk.key).to_vec())
}

/// RFC 5246 §7.4.7.1: 48 bytes starting with client_version (the highest version we
/// offered), and their encryption to the server certificate's RSA key `spki`.
fn encrypted_premaster(
    c: &mut Common,
    offer: &ClientHello,
    spki: &[u8],
) -> Result<(zeroize::Zeroizing<Vec<u8>>, Vec<u8>), TlsError> {
    let cv = offer.version.0.to_be_bytes();
    let mut pm = zeroize::Zeroizing::new(vec![0u8; 48]);
    c.rng.fill_bytes(&mut pm);
    pm[0] = cv[0];
    pm[1] = cv[1];
    let enc = rsa_encrypt_premaster(spki, &pm, &mut c.rng)?;
    Ok((pm, enc))
}

/// RFC 5246 §7.4.7.1: the pre-master secret, encrypted to the server certificate's RSA key.
fn rsa_key_transport(
    c: &mut Common,
    offer: &ClientHello,
    spki: &[u8],
) -> Result<Vec<u8>, TlsError> {
    let (pm, enc) = encrypted_premaster(c, offer, spki)?;
    c.send_handshake(
        HM::ClientKeyExchange(ClientKeyExchange::Rsa(enc)),
        vec![Check::pass(CheckKind::PremasterEncrypted { len: pm.len() })],
    );
    Ok(pm.to_vec())
}
