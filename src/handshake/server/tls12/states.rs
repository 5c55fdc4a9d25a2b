//! The TLS 1.0-1.2 server states after its first flight (RFC 5246 §7.3): the client's
//! Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec and Finished, then our
//! session ticket (RFC 5077 §3.3), ChangeCipherSpec and Finished.

use std::sync::Arc;

use super::Handshake12;
use crate::crypto::aead::RecordCipher;
use crate::crypto::dh::DhKey;
use crate::crypto::kx::EphemeralKey;
use crate::crypto::sign::SigningKey;
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind};
use crate::handshake::ccs;
use crate::handshake::cert_auth::receive_certificate_verify;
use crate::handshake::config::ServerConfig;
use crate::handshake::finished::{receive_finished, send_ccs_finished12, FinishedKey};
use crate::handshake::keys;
use crate::handshake::psk::{identity_text, tls12_premaster, ExternalPsk};
use crate::handshake::server::{client_auth, State};
use crate::handshake::session::{now_ms, ServerSession, TICKET_LIFETIME};
use crate::handshake::{Common, Incoming, Side};
use crate::wire::handshake::{
    Certificate, CertificateVerify, ClientKeyExchange, HandshakeMessage as HM, NewSessionTicket12,
    PskPublic,
};

/// What answers the client's key exchange: our ephemeral key, or our RSA key.
pub(super) enum ServerKx {
    Ecdhe(EphemeralKey),
    Dhe(DhKey),
    /// RSA key transport; the ClientHello's version is checked inside the pre-master secret
    /// (RFC 5246 §7.4.7.1).
    Rsa {
        key: Arc<SigningKey>,
        client_version: u16,
    },
    /// A PSK suite, with our (EC)DHE key for DHE-PSK and ECDHE-PSK (RFC 4279, RFC 5489).
    Psk(PskKx),
    /// RSA-PSK (RFC 4279 §4): the secret encrypted to our RSA key, then the PSK.
    RsaPsk {
        key: Arc<SigningKey>,
        client_version: u16,
    },
}

/// Our part of a PSK key exchange.
pub(super) enum PskKx {
    Plain,
    Dhe(DhKey),
    Ecdhe(EphemeralKey),
}

/// Our ChangeCipherSpec and Finished: still to send after the client's Finished (a full
/// handshake, with these write keys), or already sent (resumption).
pub(super) enum OurFinished {
    Pending(RecordCipher),
    Sent,
}

/// We asked for a client certificate; its Certificate comes next.
pub(in crate::handshake::server) struct ExpectCertificate {
    pub(super) hs: Handshake12,
    pub(super) kx: ServerKx,
}

impl ExpectCertificate {
    pub(in crate::handshake::server) fn handle(
        mut self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        cert: &Certificate,
    ) -> Result<State, TlsError> {
        let client_spki =
            client_auth::receive_certificate(c, config, m, cert, &mut self.hs.neg.client)?;
        Ok(State::ExpectClientKeyExchange(ExpectClientKeyExchange {
            hs: self.hs,
            kx: self.kx,
            client_spki,
        }))
    }
}

/// The client's ClientKeyExchange comes next.
pub(in crate::handshake::server) struct ExpectClientKeyExchange {
    pub(super) hs: Handshake12,
    pub(super) kx: ServerKx,
    /// The client certificate's key, when it sent one: its CertificateVerify follows.
    pub(super) client_spki: Option<Vec<u8>>,
}

impl ExpectClientKeyExchange {
    /// Derives the master secret (RFC 5246 §8.1, RFC 7627 §4) and the pending keys.
    pub(in crate::handshake::server) fn handle(
        self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        cke: &ClientKeyExchange,
    ) -> Result<State, TlsError> {
        let mut checks = vec![];
        // Zeroed when dropped, once the master secret is derived.
        let pre_master = zeroize::Zeroizing::new(match (self.kx, cke) {
            (ServerKx::Ecdhe(eph), ClientKeyExchange::Ecdhe(public)) => eph.agree(public)?,
            (ServerKx::Dhe(key), ClientKeyExchange::Dhe(yc)) => {
                checks.push(Check::pass(CheckKind::DhPublicInRange { of: Side::Client }));
                key.agree(yc, "client's")?
            }
            (
                ServerKx::Rsa {
                    key,
                    client_version,
                },
                ClientKeyExchange::Rsa(enc),
            ) => {
                // RFC 5246 §7.4.7.1: never reveal whether decryption worked.
                checks.push(Check::pass(CheckKind::PremasterDecrypted));
                key.rsa_decrypt_premaster(enc, client_version, &mut c.rng)
                    .to_vec()
            }
            (ServerKx::Psk(kx), ClientKeyExchange::Psk { identity, public }) => {
                psk_premaster(config, kx, identity, public, &mut checks)?
            }
            (
                ServerKx::RsaPsk {
                    key,
                    client_version,
                },
                ClientKeyExchange::Psk {
                    identity,
                    public: PskPublic::Rsa(enc),
                },
            ) => {
                let psk = our_psk(config, identity)?;
                // RFC 5246 §7.4.7.1 (RFC 4279 §4): a bad decryption goes on with random
                // bytes, and fails at Finished.
                checks.push(Check::pass(CheckKind::PremasterDecrypted));
                let secret = zeroize::Zeroizing::new(key.rsa_decrypt_premaster(
                    enc,
                    client_version,
                    &mut c.rng,
                ));
                tls12_premaster(Some(&secret[..]), &psk.key).to_vec()
            }
            _ => {
                return Err(TlsError::decode(
                    "ClientKeyExchange does not match the key exchange",
                ))
            }
        });
        c.transcript.update(&m.raw);
        m.report(c, checks);
        let hs = self.hs;
        let p = hs.neg.params;
        let master = keys::tls12_master(c, p.hash, &pre_master, hs.facts.ems, &hs.server_random);
        let keys = keys::tls12_ciphers(c, &p, &master, &hs.server_random, hs.etm)?;
        let next = ExpectCcs {
            hs,
            master,
            read: keys.read,
            our_finished: OurFinished::Pending(keys.write),
        };
        Ok(match self.client_spki {
            Some(spki) => State::ExpectCertificateVerify12(ExpectCertificateVerify { spki, next }),
            None => State::ExpectCcs(next),
        })
    }
}

/// RFC 4279 §2: the client's identity must name our PSK (else unknown_psk_identity, as
/// OpenSSL answers); the pre-master secret is built from the (EC)DHE secret (§3, RFC 5489
/// §2) and the PSK.
fn psk_premaster(
    config: &ServerConfig,
    kx: PskKx,
    identity: &[u8],
    public: &PskPublic,
    checks: &mut Vec<Check>,
) -> Result<Vec<u8>, TlsError> {
    let psk = our_psk(config, identity)?;
    let other = match (kx, public) {
        (PskKx::Plain, PskPublic::None) => None,
        (PskKx::Dhe(key), PskPublic::Dhe(yc)) => {
            checks.push(Check::pass(CheckKind::DhPublicInRange { of: Side::Client }));
            Some(zeroize::Zeroizing::new(key.agree(yc, "client's")?))
        }
        (PskKx::Ecdhe(eph), PskPublic::Ecdhe(p)) => Some(zeroize::Zeroizing::new(eph.agree(p)?)),
        _ => {
            return Err(TlsError::decode(
                "ClientKeyExchange does not match the key exchange",
            ))
        }
    };
    Ok(tls12_premaster(other.as_deref().map(|v| v.as_slice()), &psk.key).to_vec())
}

/// RFC 4279 §2: our PSK, when the client's identity names it (else unknown_psk_identity, as
/// OpenSSL answers).
fn our_psk<'a>(config: &'a ServerConfig, identity: &[u8]) -> Result<&'a ExternalPsk, TlsError> {
    config
        .psk
        .as_ref()
        .filter(|p| p.named(identity))
        .ok_or_else(|| {
            TlsError::new(
                Alert::UnknownPskIdentity,
                format!(
                    "the client's PSK identity \"{}\" is not ours (RFC 4279 §2)",
                    identity_text(identity)
                ),
            )
        })
}

/// The client sent a certificate; its CertificateVerify comes next.
pub(in crate::handshake::server) struct ExpectCertificateVerify {
    spki: Vec<u8>,
    next: ExpectCcs,
}

impl ExpectCertificateVerify {
    pub(in crate::handshake::server) fn handle(
        self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        cv: &CertificateVerify,
    ) -> Result<State, TlsError> {
        receive_certificate_verify(c, m, cv, &config.sigalgs, &self.spki, None)?;
        Ok(State::ExpectCcs(self.next))
    }
}

/// The client's ChangeCipherSpec comes next (RFC 5246 §7.1); a CCS any earlier is the
/// CVE-2014-0224 early CCS.
pub(in crate::handshake::server) struct ExpectCcs {
    pub(super) hs: Handshake12,
    pub(super) master: Vec<u8>,
    /// The client's write keys, installed for reading at its ChangeCipherSpec.
    pub(super) read: RecordCipher,
    pub(super) our_finished: OurFinished,
}

impl ExpectCcs {
    pub(in crate::handshake::server) fn handle(self, c: &mut Common) -> ExpectFinished {
        ccs::receive12(c, self.read);
        ExpectFinished {
            hs: self.hs,
            master: self.master,
            our_finished: self.our_finished,
        }
    }
}

/// The client's Finished comes next.
pub(in crate::handshake::server) struct ExpectFinished {
    hs: Handshake12,
    master: Vec<u8>,
    our_finished: OurFinished,
}

impl ExpectFinished {
    /// Checks the client's Finished (RFC 5246 §7.4.9); in a full handshake, stores the
    /// session, sends a ticket when one was asked for, then our ChangeCipherSpec and Finished.
    pub(in crate::handshake::server) fn handle(
        self,
        c: &mut Common,
        config: &ServerConfig,
        m: &Incoming,
        vd: &[u8],
    ) -> Result<State, TlsError> {
        let hs = self.hs;
        let p = hs.neg.params;
        let master = &self.master;
        receive_finished(
            c,
            m,
            vd,
            FinishedKey::Tls12 {
                hash: p.hash,
                master,
            },
        )?;
        if let OurFinished::Pending(write) = self.our_finished {
            let session = ServerSession {
                version: hs.version,
                suite: p.suite,
                secret: self.master.clone(),
                extended_master_secret: hs.facts.ems,
                age_add: 0,
                created_ms: now_ms(),
                lifetime: TICKET_LIFETIME,
                server_name: hs.neg.server_name.clone().unwrap_or_default(),
                max_early_data: 0,
                alpn: vec![],
            };
            if hs.facts.session_ticket {
                let ticket = config.sessions.seal_ticket(&session);
                c.send_handshake(
                    HM::NewSessionTicket12(NewSessionTicket12 {
                        lifetime_hint: TICKET_LIFETIME,
                        ticket,
                    }),
                    vec![],
                );
            }
            config.sessions.put(hs.session_id.clone(), session);
            send_ccs_finished12(c, write, p.hash, master);
        }
        hs.neg.finish(c, Some(hs.facts));
        Ok(State::Established12)
    }
}
