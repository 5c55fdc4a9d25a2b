//! The suite, certificate and key exchange of a full TLS 1.0-1.2 handshake (RFC 5246
//! §7.4.1.4.1, §7.4.2; RFC 8422 §5.1; RFC 7919 §4), under the signature policy of RFC 9155,
//! and the alert that says why when nothing fits.

use super::super::certs::{certificates, ecdsa_curve_offered, key_fits};
use super::super::hello::{client_ext, client_sigalgs};
use super::{Choice, KxPlan, ParamsSigner};
use crate::crypto::dh_groups::KnownGroup;
use crate::error::{Alert, TlsError};
use crate::event::{Event, SignatureGap, Warning};
use crate::handshake::config::ServerConfig;
use crate::handshake::suite_params;
use crate::handshake::{forbidden_hash, groups, Common};
use crate::wire::codepoints::{ExtensionType as ET, NamedGroup, ProtocolVersion};
use crate::wire::handshake::ClientHello;
use crate::wire::suites::{Auth, Kx};

/// Why one of our suites that the client offers (and one of our keys can serve) could not
/// be chosen.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blocked {
    /// It needs a server signature and the client allows none our key may make.
    Signature,
    /// ECDHE: no curve in common.
    EcdheGroup,
    /// DHE: the client lists finite-field groups, none of them ours (RFC 7919 §4).
    DheGroup,
}

/// Our preferred suite the client offers, with the first certificate that can serve it
/// (RFC 5246 §7.4.1.4.1, §7.4.2; RFC 8422 §5.1): the first certificate that allows a suite
/// wins. In TLS 1.2 a client that allows no signature we may make gets only suites without
/// a server signature (RFC 9155 §2, §4), and is told so by a warning.
pub(super) fn choose_suite(
    c: &mut Common,
    config: &ServerConfig,
    ch: &ClientHello,
    version: ProtocolVersion,
    groups: &[NamedGroup],
) -> Result<Choice, TlsError> {
    let legacy = version < ProtocolVersion::TLS12;
    if !legacy {
        refuse_certificate_list_alone(ch)?;
    }
    let gap = (!legacy).then(|| signature_gap(ch)).flatten();
    if let Some(gap) = &gap {
        c.emit(Event::Warning(Warning::NoSignatureForClient {
            gap: gap.clone(),
        }));
    }
    let ecdhe_group = ecdhe_groups(config)
        .find(|g| groups.contains(g) || (groups.is_empty() && *g == NamedGroup::SECP256R1));
    let dhe_group = choose_dhe_group(config, groups);
    let sigalgs = client_sigalgs(ch);
    let mut blocked = vec![];
    for (cert_index, ck) in certificates(config).enumerate() {
        let key = &ck.key;
        let signer = if legacy {
            // TLS 1.0/1.1 signatures have no algorithm field: rsaEncryption and ECDSA keys
            // can always sign (RFC 4346 §7.4.3); EdDSA needs TLS 1.2 (RFC 8422 §5.1.3).
            key.signs_legacy().then_some(ParamsSigner::Legacy)
        } else {
            key.choose_scheme(&sigalgs, false).map(ParamsSigner::Scheme)
        };
        let offered = config
            .suites
            .iter()
            .filter_map(|s| suite_params::params(*s))
            .filter(|p| {
                p.usable_in(version)
                    && ch.cipher_suites.contains(&p.suite)
                    && (key_fits(key, p.auth) || p.auth == Auth::Psk)
                    && (!p.needs_psk() || config.psk.is_some())
                    && (!matches!(p.kx, Kx::Rsa | Kx::RsaPsk) || key.is_rsa())
                    && (p.auth != Auth::Ecdsa || ecdsa_curve_offered(key, groups))
            });
        for params in offered {
            let kx = match (params.kx, signer) {
                (Kx::Rsa, _) => Ok(KxPlan::Rsa),
                // RFC 4279 §4: RSA-PSK sends our certificate and signs nothing.
                (Kx::RsaPsk, _) => Ok(KxPlan::RsaPsk),
                // RFC 4279: PSK suites sign nothing; no certificate is sent.
                (Kx::Psk, _) => Ok(KxPlan::Psk),
                (Kx::DhePsk, _) => dhe_group
                    .map(|(group, known)| KxPlan::DhePsk { group, known })
                    .ok_or(Blocked::DheGroup),
                (Kx::EcdhePsk, _) => ecdhe_group
                    .map(|group| KxPlan::EcdhePsk { group })
                    .ok_or(Blocked::EcdheGroup),
                (Kx::Ecdhe | Kx::Dhe, None) => Err(Blocked::Signature),
                (Kx::Ecdhe, Some(signer)) => ecdhe_group
                    .map(|group| KxPlan::Ecdhe { group, signer })
                    .ok_or(Blocked::EcdheGroup),
                (Kx::Dhe, Some(signer)) => dhe_group
                    .map(|(group, known)| KxPlan::Dhe {
                        group,
                        known,
                        signer,
                    })
                    .ok_or(Blocked::DheGroup),
                _ => continue,
            };
            match kx {
                Ok(kx) => {
                    return Ok(Choice {
                        cert_index,
                        params,
                        kx,
                    })
                }
                Err(b) => blocked.push(b),
            }
        }
    }
    Err(refusal(config, ch, version, groups, gap.as_ref(), &blocked))
}

/// RFC 9155 §2: "If a client does not send a signature_algorithms extension, then the
/// server MUST abort the handshake and send a handshake_failure alert, except when digital
/// signatures are not used". A client without any signature-related extension may still
/// get RSA key transport, where the server signs nothing; a client that lists the
/// signatures it accepts in certificates (signature_algorithms_cert, which RFC 8446 §4.2.3
/// makes apply to TLS 1.2 too) uses signatures, so the exception is not for it.
fn refuse_certificate_list_alone(ch: &ClientHello) -> Result<(), TlsError> {
    let cert_list = client_ext(ch, ET::SIGNATURE_ALGORITHMS_CERT).is_some();
    if cert_list && client_ext(ch, ET::SIGNATURE_ALGORITHMS).is_none() {
        return Err(TlsError::new(
            Alert::HandshakeFailure,
            "the client sent signature_algorithms_cert but no signature_algorithms: it uses signatures, and RFC 9155 §2 then requires signature_algorithms (its SHA-1 default is gone)",
        ));
    }
    Ok(())
}

/// Whether the client's hello allows no signature we may make at all: no
/// signature_algorithms, or only MD5 and SHA-1 schemes (RFC 9155 §2, §4).
fn signature_gap(ch: &ClientHello) -> Option<SignatureGap> {
    if client_ext(ch, ET::SIGNATURE_ALGORITHMS).is_none() {
        return Some(SignatureGap::NotSent);
    }
    let listed = client_sigalgs(ch);
    listed
        .iter()
        .all(|s| forbidden_hash(*s))
        .then_some(SignatureGap::OnlyForbidden(listed))
}

/// The alert for a hello no suite of ours can serve, saying what was missing: a
/// finite-field group (RFC 7919 §4: insufficient_security), a signature we may make
/// (RFC 9155), a curve, or any suite at all (handshake_failure, RFC 5246 §7.4.1.3).
fn refusal(
    config: &ServerConfig,
    ch: &ClientHello,
    version: ProtocolVersion,
    groups: &[NamedGroup],
    gap: Option<&SignatureGap>,
    blocked: &[Blocked],
) -> TlsError {
    let offered = ch.cipher_suites.len();
    let keys: Vec<String> = certificates(config)
        .map(|ck| ck.key.description())
        .collect();
    let keys = keys.join(" or ");
    if ffdhe_groups_unacceptable(config, groups) {
        return TlsError::new(
            Alert::InsufficientSecurity,
            format!(
                "the client lists finite-field groups ({}) and no group we accept, and none of its other suites is acceptable (RFC 7919 §4)",
                names(groups.iter().filter(|g| is_ffdhe(g)))
            ),
        );
    }
    let failure = |why: String| TlsError::new(Alert::HandshakeFailure, why);
    if blocked.contains(&Blocked::Signature) {
        let why = match gap {
            Some(SignatureGap::NotSent) => "the client sent no signature_algorithms, and RFC 9155 §2 forbids the SHA-1 default of RFC 5246 §7.4.1.4.1".to_string(),
            Some(SignatureGap::OnlyForbidden(schemes)) => format!(
                "the client accepts only MD5 or SHA-1 signatures ({}), which RFC 9155 §4 forbids",
                names(schemes.iter())
            ),
            None if version < ProtocolVersion::TLS12 => {
                format!("our {keys} key cannot sign in {version} (EdDSA needs TLS 1.2)")
            }
            None => format!(
                "the client's signature_algorithms ({}) include none our {keys} key can make",
                names(client_sigalgs(ch).iter())
            ),
        };
        return failure(format!(
            "{why}; no suite without signatures in common (the client offered {offered} suites)"
        ));
    }
    if blocked.contains(&Blocked::EcdheGroup) || blocked.contains(&Blocked::DheGroup) {
        return failure(format!(
            "no key-exchange group in common with the client for its ECDHE or DHE suites (it lists {})",
            if groups.is_empty() { "none".to_string() } else { names(groups.iter()) }
        ));
    }
    failure(format!(
        "no cipher suite in common for {version} with our {keys} key (the client offered {offered} suites)"
    ))
}

/// RFC 7919 §4: "If the extension is present with FFDHE groups, none of the client's
/// offered groups are acceptable by the server, and none of the client's proposed non-FFDHE
/// cipher suites are acceptable to the server, the server MUST end the connection with a
/// fatal TLS alert of type insufficient_security(71)."
fn ffdhe_groups_unacceptable(config: &ServerConfig, groups: &[NamedGroup]) -> bool {
    groups.iter().any(is_ffdhe)
        && !ecdhe_groups(config).any(|g| groups.contains(&g))
        && choose_dhe_group(config, groups).is_none()
}

/// Our groups ECDHE may use in TLS 1.2, preferred first (no ML-KEM group: those are TLS 1.3's).
fn ecdhe_groups(config: &ServerConfig) -> impl Iterator<Item = NamedGroup> + '_ {
    config
        .groups
        .iter()
        .copied()
        .filter(|g| groups::ecdhe_in_tls12(*g))
}

/// An RFC 7919 finite-field group code point (0x0100-0x01FF, known or not).
fn is_ffdhe(g: &NamedGroup) -> bool {
    groups::is_ffdhe(*g)
}

/// Code points by name, comma-separated.
fn names<'a, T: std::fmt::Display + 'a>(items: impl Iterator<Item = &'a T>) -> String {
    items.map(|x| x.to_string()).collect::<Vec<_>>().join(", ")
}

/// The well-known group behind an RFC 7919 named group (ffdhe2048 to ffdhe8192).
fn dh_known(g: NamedGroup) -> Option<&'static KnownGroup> {
    let name = g.name().filter(|_| groups::is_ffdhe(g))?;
    crate::crypto::dh_groups::KNOWN
        .iter()
        .find(|k| k.name == name)
}

/// RFC 7919 §4: among our DHE groups, the first the client lists in supported_groups;
/// a client that lists no finite-field group gets our first.
fn choose_dhe_group(
    config: &ServerConfig,
    client_groups: &[NamedGroup],
) -> Option<(NamedGroup, &'static KnownGroup)> {
    let mut ours = config
        .dhe_groups
        .iter()
        .filter_map(|g| dh_known(*g).map(|k| (*g, k)));
    if client_groups.iter().any(is_ffdhe) {
        ours.find(|(g, _)| client_groups.contains(g))
    } else {
        ours.next()
    }
}
