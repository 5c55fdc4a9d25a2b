//! The server's first TLS 1.0-1.2 flight (RFC 5246 §7.3): ServerHello, then either our
//! ChangeCipherSpec and Finished (an abbreviated handshake, RFC 5246 §7.3 Figure 2) or
//! Certificate, CertificateStatus (RFC 6066 §8), ServerKeyExchange, CertificateRequest and
//! ServerHelloDone.

use crate::handshake::record_limits::{self, Agreement};
use std::sync::Arc;

use super::states::{
    ExpectCcs, ExpectCertificate, ExpectClientKeyExchange, OurFinished, PskKx, ServerKx,
};
use super::{Choice, Handshake12, KxPlan, ParamsSigner, Resumption};
use crate::crypto::dh::{self, DhKey};
use crate::crypto::kx::EphemeralKey;
use crate::crypto::sign::SigningKey;
use crate::error::TlsError;
use crate::event::{Check, CheckKind};
use crate::handshake::cert_auth::certificate_entries;
use crate::handshake::config::ServerConfig;
use crate::handshake::finished::send_ccs_finished12;
use crate::handshake::keys;
use crate::handshake::server::certs;
use crate::handshake::server::hello::client_ext;
use crate::handshake::server::State;
use crate::handshake::{tls12_policy, Common, Side};
use crate::wire::codepoints::{
    ClientCertificateType, CompressionMethod, EcPointFormat, ExtensionType as ET, ProtocolVersion,
    SignatureScheme,
};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateRequest12, CertificateStatus, ClientHello, HandshakeMessage as HM,
    PskParams, ServerHello, ServerKeyExchange,
};
use crate::wire::suites::{Auth, Kx};

/// The abbreviated handshake: ServerHello, then at once our ChangeCipherSpec and Finished
/// under the resumed session's master secret; the client's ChangeCipherSpec comes next.
pub(super) fn resume(
    c: &mut Common,
    ch: &ClientHello,
    hs: Handshake12,
    sentinel: Option<[u8; 8]>,
    r: Resumption,
    limits: Option<Agreement>,
) -> Result<State, TlsError> {
    let mut checks = server_hello_checks(c, &hs, sentinel);
    checks.push(Check::pass(CheckKind::Resumed {
        from_ticket: r.from_ticket,
    }));
    send_server_hello(c, ch, &hs, false, checks, limits);
    let master = r.session.secret;
    keys::tls12_resumed_master(c, &master);
    let p = hs.neg.params;
    let keys = keys::tls12_ciphers(c, &p, &master, &hs.server_random, hs.etm)?;
    send_ccs_finished12(c, keys.write, p.hash, &master);
    Ok(State::ExpectCcs(ExpectCcs {
        hs,
        master,
        read: keys.read,
        our_finished: OurFinished::Sent,
    }))
}

/// The full handshake's flight, up to ServerHelloDone; the client's Certificate (when we ask
/// for one) or ClientKeyExchange comes next.
pub(super) fn full(
    c: &mut Common,
    config: &ServerConfig,
    ch: &ClientHello,
    mut hs: Handshake12,
    sentinel: Option<[u8; 8]>,
    choice: Choice,
    limits: Option<Agreement>,
) -> Result<State, TlsError> {
    let cert = certs::certificate(config, choice.cert_index);
    if hs.neg.params.auth == Auth::Psk {
        // RFC 4279 §2: no Certificate and no CertificateRequest.
        let checks = server_hello_checks(c, &hs, sentinel);
        send_server_hello(c, ch, &hs, false, checks, limits);
        let kx = send_key_exchange(c, config, ch, &mut hs, choice.kx, &cert.key)?;
        c.send_handshake(HM::ServerHelloDone, vec![]);
        return Ok(State::ExpectClientKeyExchange(ExpectClientKeyExchange {
            hs,
            kx,
            client_spki: None,
        }));
    }
    let staple = certs::stapled_response(config, choice.cert_index)
        .filter(|_| client_ext(ch, ET::STATUS_REQUEST).is_some_and(ExtBody::is_ocsp_request));
    let checks = server_hello_checks(c, &hs, sentinel);
    send_server_hello(c, ch, &hs, staple.is_some(), checks, limits);
    c.send_handshake(
        HM::Certificate(Certificate {
            context: None,
            entries: certificate_entries(&cert.chain, vec![]),
        }),
        vec![],
    );
    if let Some(response) = staple {
        c.send_handshake(
            HM::CertificateStatus(CertificateStatus {
                status_type: 1,
                response: response.to_vec(),
            }),
            vec![],
        );
    }
    let kx = send_key_exchange(c, config, ch, &mut hs, choice.kx, &cert.key)?;
    // RFC 4279 §4 has no CertificateRequest for RSA-PSK: the PSK authenticates the client.
    let requested =
        hs.neg.params.kx != Kx::RsaPsk && request_client_certificate(c, config, hs.version);
    c.send_handshake(HM::ServerHelloDone, vec![]);
    Ok(if requested {
        State::ExpectCertificate12(ExpectCertificate { hs, kx })
    } else {
        State::ExpectClientKeyExchange(ExpectClientKeyExchange {
            hs,
            kx,
            client_spki: None,
        })
    })
}

/// ServerHello's extensions, in the order we always send them.
fn server_hello_extensions(ch: &ClientHello, hs: &Handshake12, staple: bool) -> Vec<Extension> {
    let mut exts = vec![];
    if hs.facts.secure_renegotiation {
        exts.push(Extension::new(
            ET::RENEGOTIATION_INFO,
            ExtBody::RenegotiationInfo(vec![]),
        ));
    }
    if hs.facts.ems {
        exts.push(Extension::new(
            ET::EXTENDED_MASTER_SECRET,
            ExtBody::ExtendedMasterSecret,
        ));
    }
    if hs.etm {
        exts.push(Extension::new(
            ET::ENCRYPT_THEN_MAC,
            ExtBody::EncryptThenMac,
        ));
    }
    if hs.facts.session_ticket {
        exts.push(Extension::new(
            ET::SESSION_TICKET,
            ExtBody::SessionTicket(vec![]),
        ));
    }
    if let Some(a) = &hs.neg.agreed.alpn {
        exts.push(Extension::new(ET::ALPN, ExtBody::Alpn(vec![a.clone()])));
    }
    if staple {
        exts.push(Extension {
            typ: ET::STATUS_REQUEST,
            data: vec![],
            body: ExtBody::StatusRequestEmpty,
        });
    }
    if hs.neg.params.kx == Kx::Ecdhe && client_ext(ch, ET::EC_POINT_FORMATS).is_some() {
        exts.push(Extension::new(
            ET::EC_POINT_FORMATS,
            ExtBody::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED]),
        ));
    }
    if hs.neg.server_name.is_some() && !hs.neg.agreed.resumed {
        exts.push(Extension {
            typ: ET::SERVER_NAME,
            data: vec![],
            body: ExtBody::ServerName(Default::default()),
        });
    }
    exts
}

fn send_server_hello(
    c: &mut Common,
    ch: &ClientHello,
    hs: &Handshake12,
    staple: bool,
    checks: Vec<Check>,
    limits: Option<Agreement>,
) {
    let mut exts = server_hello_extensions(ch, hs, staple);
    // RFC 8449 §4 / RFC 6066 §4: the answer in ServerHello, the limits from then on.
    exts.extend(limits.as_ref().map(|a| a.answer.clone()));
    let sh = ServerHello {
        version: hs.version,
        random: hs.server_random,
        session_id: hs.session_id.clone(),
        cipher_suite: hs.neg.params.suite,
        compression_method: CompressionMethod::NULL,
        // RFC 5246 §7.4.1.4: a server with no extensions to send sends no block.
        extensions_absent: exts.is_empty(),
        extensions: exts,
    };
    c.rl.write_version = hs.version;
    c.send_handshake(HM::ServerHello(sh), checks);
    if let Some(a) = &limits {
        record_limits::apply(c, a);
    }
}

/// What ServerHello is reported with: the downgrade sentinel, a deprecated version (with
/// the BEAST warning for TLS 1.0 CBC), and encrypt-then-MAC for a CBC suite.
fn server_hello_checks(c: &mut Common, hs: &Handshake12, sentinel: Option<[u8; 8]>) -> Vec<Check> {
    let version = hs.version;
    let p = &hs.neg.params;
    let mut checks = vec![];
    if let Some(sv) = sentinel {
        checks.push(Check::pass(CheckKind::DowngradeSentinelSet {
            version,
            sentinel: sv,
        }));
    }
    checks.extend(tls12_policy::deprecated_version(version));
    if p.is_cbc() && version == ProtocolVersion::TLS10 {
        checks.push(tls12_policy::beast(c));
    }
    if p.is_cbc() {
        checks.push(Check::new(
            CheckKind::EncryptThenMac {
                negotiated: hs.etm,
                by: Side::Server,
            },
            hs.etm,
        ));
    }
    checks
}

/// ServerKeyExchange for an ECDHE (RFC 8422 §5.4) or DHE (RFC 5246 §7.4.3) suite; nothing
/// for RSA key transport. Returns what the client's key exchange is answered with.
fn send_key_exchange(
    c: &mut Common,
    config: &ServerConfig,
    ch: &ClientHello,
    hs: &mut Handshake12,
    plan: KxPlan,
    key: &Arc<SigningKey>,
) -> Result<ServerKx, TlsError> {
    match plan {
        KxPlan::Ecdhe { group, signer } => {
            let eph = EphemeralKey::generate_with(group, &mut c.rng, config.fast_kx)?;
            let public = eph.public_key();
            let mut params = vec![3u8];
            params.extend_from_slice(&group.0.to_be_bytes());
            params.push(public.len() as u8);
            params.extend_from_slice(&public);
            let (scheme, signature) = sign_params(c, config, hs, key, &params, signer)?;
            hs.neg.agreed.group = Some(group);
            c.send_handshake(
                HM::ServerKeyExchange(ServerKeyExchange::Ecdhe {
                    group,
                    public,
                    params,
                    scheme,
                    signature,
                }),
                vec![],
            );
            Ok(ServerKx::Ecdhe(eph))
        }
        KxPlan::Dhe {
            group,
            known,
            signer,
        } => {
            let (dp, dg) = dh::group_bytes(known);
            let dh_key = DhKey::generate(&dp, &dg, &mut c.rng)?;
            let ys = dh_key.public_key();
            let mut w = crate::wire::codec::Writer::new();
            w.vec16(&dp).vec16(&dg).vec16(&ys);
            let params = w.into_bytes();
            let (scheme, signature) = sign_params(c, config, hs, key, &params, signer)?;
            hs.neg.agreed.group = Some(group);
            c.send_handshake(
                HM::ServerKeyExchange(ServerKeyExchange::Dhe {
                    p: dp,
                    g: dg,
                    ys,
                    params,
                    scheme,
                    signature,
                }),
                vec![Check::pass(CheckKind::DhGroupSent {
                    description: known.description,
                    bits: known.p_hex.len() * 4,
                })],
            );
            Ok(ServerKx::Dhe(dh_key))
        }
        KxPlan::Rsa => Ok(ServerKx::Rsa {
            key: key.clone(),
            client_version: ch.version.0,
        }),
        // RFC 4279 §4: no ServerKeyExchange without an identity hint.
        KxPlan::RsaPsk => Ok(ServerKx::RsaPsk {
            key: key.clone(),
            client_version: ch.version.0,
        }),
        KxPlan::Psk | KxPlan::DhePsk { .. } | KxPlan::EcdhePsk { .. } => {
            send_psk_key_exchange(c, config, hs, plan)
        }
    }
}

/// RFC 4279 §2: plain PSK sends no ServerKeyExchange (we have no identity hint); DHE-PSK
/// (§3) and ECDHE-PSK (RFC 5489 §2) send an empty hint and unsigned (EC)DHE parameters.
fn send_psk_key_exchange(
    c: &mut Common,
    config: &ServerConfig,
    hs: &mut Handshake12,
    plan: KxPlan,
) -> Result<ServerKx, TlsError> {
    let (params, kx, checks) = match plan {
        KxPlan::DhePsk { group, known } => {
            let (dp, dg) = dh::group_bytes(known);
            let dh_key = DhKey::generate(&dp, &dg, &mut c.rng)?;
            let ys = dh_key.public_key();
            hs.neg.agreed.group = Some(group);
            let check = Check::pass(CheckKind::DhGroupSent {
                description: known.description,
                bits: known.p_hex.len() * 4,
            });
            let params = PskParams::Dhe { p: dp, g: dg, ys };
            (params, PskKx::Dhe(dh_key), vec![check])
        }
        KxPlan::EcdhePsk { group } => {
            let eph = EphemeralKey::generate_with(group, &mut c.rng, config.fast_kx)?;
            let public = eph.public_key();
            hs.neg.agreed.group = Some(group);
            (
                PskParams::Ecdhe { group, public },
                PskKx::Ecdhe(eph),
                vec![],
            )
        }
        _ => return Ok(ServerKx::Psk(PskKx::Plain)),
    };
    c.send_handshake(
        HM::ServerKeyExchange(ServerKeyExchange::Psk {
            hint: vec![],
            params,
        }),
        checks,
    );
    Ok(ServerKx::Psk(kx))
}

/// Signs client_random + server_random + params (RFC 5246 §7.4.3); a TLS 1.2 scheme becomes
/// the signature scheme of the handshake.
fn sign_params(
    c: &mut Common,
    config: &ServerConfig,
    hs: &mut Handshake12,
    key: &SigningKey,
    params: &[u8],
    signer: ParamsSigner,
) -> Result<(Option<SignatureScheme>, Vec<u8>), TlsError> {
    let mut signed = c.client_random.to_vec();
    signed.extend_from_slice(&hs.server_random);
    signed.extend_from_slice(params);
    let scheme = match signer {
        ParamsSigner::Legacy => return Ok((None, key.sign_legacy(&signed, &mut c.rng)?)),
        ParamsSigner::Scheme(s) => s,
    };
    hs.neg.agreed.signature_scheme = Some(scheme);
    Ok((Some(scheme), certs::sign(config, key, scheme, &signed, c)?))
}

/// CertificateRequest when client certificates are asked for (RFC 5246 §7.4.4; TLS 1.0/1.1
/// list no signature algorithms, RFC 4346 §7.4.4); whether it was sent.
fn request_client_certificate(
    c: &mut Common,
    config: &ServerConfig,
    version: ProtocolVersion,
) -> bool {
    if !config.client_auth.in_handshake() {
        return false;
    }
    let signature_algorithms = if version < ProtocolVersion::TLS12 {
        vec![]
    } else {
        config.sigalgs.clone()
    };
    c.send_handshake(
        HM::CertificateRequest12(CertificateRequest12 {
            certificate_types: vec![
                ClientCertificateType::RSA_SIGN,
                ClientCertificateType::ECDSA_SIGN,
            ],
            signature_algorithms,
            authorities: vec![],
        }),
        vec![],
    );
    true
}
