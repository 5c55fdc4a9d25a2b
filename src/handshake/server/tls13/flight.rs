//! The server's TLS 1.3 messages before the client's second flight (RFC 8446 §4.1.3-§4.4):
//! HelloRetryRequest, or ServerHello, EncryptedExtensions, CertificateRequest, Certificate,
//! CertificateVerify and Finished, with the key schedule between them (§7.1).

use crate::handshake::record_limits::{self, Agreement};
use rand::RngCore;

use super::states::{ExpectCertificate, ExpectFinished, Handshake13};
use super::{Plan, Retry, ServerAuth};
use crate::crypto::kx;
use crate::error::TlsError;
use crate::event::{Check, CheckKind};
use crate::handshake::cert_auth::{certificate_entries, send_certificate_verify, signed_content};
use crate::handshake::config::ServerConfig;
use crate::handshake::finished::send_finished;
use crate::handshake::install::{application_keys, install, Stage};
use crate::handshake::keys::{self, Tls13Secrets};
use crate::handshake::outcome::Agreed;
use crate::handshake::psk::PskKind;
use crate::handshake::server::certs;
use crate::handshake::server::hello::client_ext;
use crate::handshake::server::negotiated::{ClientIdentity, Negotiated};
use crate::handshake::server::State;
use crate::handshake::suite_params::SuiteParams;
use crate::handshake::{Common, Incoming, Side};
use crate::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::{ExtBody, Extension};
use crate::wire::handshake::{
    Certificate, CertificateRequest13, ClientHello, HandshakeMessage as HM, ServerHello, HRR_RANDOM,
};

/// RFC 8446 §4.1.4: a HelloRetryRequest for a share of `retry.group`; the transcript
/// restarts from the hash of the first ClientHello (§4.4.1).
pub(super) fn send_retry_request(c: &mut Common, m: &Incoming, ch: &ClientHello, retry: Retry) {
    m.report(c, vec![]);
    c.transcript.update(&m.raw);
    c.transcript.replace_with_message_hash(retry.params.hash);
    let group = retry.group;
    let hrr = ServerHello {
        extensions_absent: false,
        version: ProtocolVersion::TLS12,
        random: HRR_RANDOM,
        session_id: ch.session_id.clone(),
        cipher_suite: retry.params.suite,
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
        vec![Check::pass(CheckKind::RetryRequested { group })],
    );
    if !ch.session_id.is_empty() {
        c.send_ccs(true);
    }
    c.version = None;
}

/// Reports the ClientHello, then sends the server's flight and installs the keys: the
/// client's Certificate (when we ask for one) or Finished comes next.
pub(super) fn send(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
    plan: Plan,
    server_name: Option<String>,
    retried: bool,
) -> Result<State, TlsError> {
    let psk = match &plan.auth {
        ServerAuth::Psk(chosen) => Some(chosen.usage.clone()),
        ServerAuth::Certificate { .. } => None,
    };
    let psk_check = match &plan.auth {
        ServerAuth::Psk(chosen) => Some(Check::pass(CheckKind::PskBinderValid {
            identity: chosen.index,
            psk: chosen.usage.clone(),
        })),
        ServerAuth::Certificate { .. } => None,
    };
    m.report(c, psk_check.into_iter().collect());
    c.transcript.update(&m.raw);
    let p = plan.params;
    let mut secrets = send_server_hello(c, config, ch, &plan, retried)?;
    let neg = Negotiated {
        params: p,
        server_name,
        agreed: Agreed {
            alpn: plan.alpn,
            group: plan.kx.map(|(g, _)| g),
            signature_scheme: match plan.auth {
                ServerAuth::Certificate { scheme, .. } => Some(scheme),
                ServerAuth::Psk(_) => None,
            },
            resumed: psk.as_ref().is_some_and(|u| u.kind == PskKind::Resumption),
            psk,
            dh_bits: None,
            dh_group: None,
        },
        client: ClientIdentity::default(),
    };
    let limits = record_limits::server_answer(config.record_size_limit, &ch.extensions, true);
    send_encrypted_extensions(c, &neg, limits);
    let requested = match plan.auth {
        ServerAuth::Certificate { cert_index, scheme } => {
            authenticate(c, config, ch, &p, cert_index, scheme)?
        }
        ServerAuth::Psk(_) => false,
    };
    // Our Finished (RFC 8446 §4.4.4), then the application secrets and our write keys (§7.1).
    send_finished(c, secrets.finished_key());
    application_keys(c, &mut secrets)?;
    let hs = Handshake13 { neg, secrets };
    Ok(if requested {
        State::ExpectCertificate13(ExpectCertificate { hs })
    } else {
        State::ExpectFinished13(ExpectFinished { hs })
    })
}

/// ServerHello with our key share (RFC 8446 §4.1.3, §4.2.8), then the handshake traffic keys
/// (§7.1): ours for writing, the client's for reading.
fn send_server_hello(
    c: &mut Common,
    config: &ServerConfig,
    ch: &ClientHello,
    plan: &Plan,
    retried: bool,
) -> Result<Tls13Secrets, TlsError> {
    let p = plan.params;
    // RFC 8446 §4.2.8: our share answers the client's (for a KEM, the ciphertext of an
    // encapsulation to its key; ring's keys for the classic curves when `fast_kx`).
    // psk_ke (RFC 8446 §4.2.9): no share; §7.1: the (EC)DHE input is then HashLen zeros.
    let (share, shared) = match plan.kx {
        Some((group, client_share)) => {
            let r = kx::respond(group, client_share, &mut c.rng, config.fast_kx)?;
            (Some((group, r.share)), r.secret)
        }
        None => (None, vec![0; p.hash.output_len()]),
    };
    let mut server_random = [0; 32];
    c.rng.fill_bytes(&mut server_random);
    let (psk, selected) = match &plan.auth {
        ServerAuth::Psk(chosen) => (Some(chosen.secret.as_slice()), Some(chosen.index)),
        ServerAuth::Certificate { .. } => (None, None),
    };
    let mut exts = vec![Extension::new(
        ET::SUPPORTED_VERSIONS,
        ExtBody::SupportedVersionsServer(ProtocolVersion::TLS13),
    )];
    if let Some((group, public)) = share {
        exts.push(Extension::new(
            ET::KEY_SHARE,
            ExtBody::KeyShareServer(group, public),
        ));
    }
    if let Some(index) = selected {
        exts.push(Extension::new(
            ET::PRE_SHARED_KEY,
            ExtBody::PreSharedKeyServer(index),
        ));
    }
    let sh = ServerHello {
        extensions_absent: false,
        version: ProtocolVersion::TLS12,
        random: server_random,
        session_id: ch.session_id.clone(),
        cipher_suite: p.suite,
        compression_method: CompressionMethod::NULL,
        extensions: exts,
    };
    c.rl.write_version = ProtocolVersion::TLS12;
    c.send_handshake(HM::ServerHello(sh), vec![]);
    let th = c.transcript.hash(p.hash);
    let s = keys::tls13_handshake(c, p, psk, (plan.kx.map(|(g, _)| g), &shared), &th);
    // RFC 8446 Appendix D.4: the middlebox-compatibility CCS (after the HelloRetryRequest
    // when there was one).
    if !ch.session_id.is_empty() && !retried {
        c.send_ccs(true);
    }
    install(c, &s, Side::Server, Stage::Handshake)?;
    install(c, &s, Side::Client, Stage::Handshake)?;
    Ok(s)
}

/// EncryptedExtensions (RFC 8446 §4.3.1): the server_name acknowledgement (RFC 6066 §3),
/// the ALPN choice, accepted 0-RTT (§4.2.10), and our record_size_limit or
/// max_fragment_length answer (RFC 8449 §4, RFC 6066 §4), whose limits bind every protected
/// record from this one on.
fn send_encrypted_extensions(c: &mut Common, neg: &Negotiated, limits: Option<Agreement>) {
    let mut ee = vec![];
    if neg.server_name.is_some() {
        ee.push(Extension {
            typ: ET::SERVER_NAME,
            data: vec![],
            body: ExtBody::ServerName(Default::default()),
        });
    }
    if let Some(a) = &neg.agreed.alpn {
        ee.push(Extension::new(ET::ALPN, ExtBody::Alpn(vec![a.clone()])));
    }
    // RFC 8446 §4.2.10: an empty early_data says the 0-RTT data is accepted.
    if c.early_data == Some(crate::event::EarlyData::Accepted) {
        ee.push(Extension::new(ET::EARLY_DATA, ExtBody::EarlyData(None)));
    }
    if let Some(a) = limits {
        record_limits::apply(c, &a);
        ee.push(a.answer);
    }
    c.send_handshake(HM::EncryptedExtensions(ee), vec![]);
}

/// Certificate authentication (RFC 8446 §4.4.2, §4.4.3): CertificateRequest when client
/// certificates are asked for, then our Certificate (with the stapled OCSP response the
/// client asked for, RFC 8446 §4.4.2.1) and CertificateVerify. Whether a client certificate
/// was requested.
fn authenticate(
    c: &mut Common,
    config: &ServerConfig,
    ch: &ClientHello,
    p: &SuiteParams,
    cert_index: usize,
    scheme: SignatureScheme,
) -> Result<bool, TlsError> {
    let requested = config.client_auth.in_handshake();
    if requested {
        c.send_handshake(
            HM::CertificateRequest13(CertificateRequest13 {
                context: vec![],
                extensions: vec![Extension::new(
                    ET::SIGNATURE_ALGORITHMS,
                    ExtBody::SignatureAlgorithms(config.sigalgs.clone()),
                )],
            }),
            vec![],
        );
    }
    let staple = certs::stapled_response(config, cert_index)
        .filter(|_| client_ext(ch, ET::STATUS_REQUEST).is_some_and(ExtBody::is_ocsp_request));
    let cert = certs::certificate(config, cert_index);
    let leaf_extensions = staple
        .map(|r| {
            vec![Extension::new(
                ET::STATUS_REQUEST,
                ExtBody::OcspResponse(r.to_vec()),
            )]
        })
        .unwrap_or_default();
    c.send_handshake(
        HM::Certificate(Certificate {
            context: Some(vec![]),
            entries: certificate_entries(&cert.chain, leaf_extensions),
        }),
        vec![],
    );
    let content = signed_content(c, Side::Server, Some(p.hash)).into_owned();
    let signature = certs::sign(config, &cert.key, scheme, &content, c)?;
    send_certificate_verify(c, Some(scheme), signature);
    Ok(requested)
}
