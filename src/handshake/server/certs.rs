//! Our certificates: which ones can serve a client (RFC 5246 §7.4.2, RFC 8422 §5.1, RFC 8446
//! §4.4.2.2), the OCSP response stapled to the primary one, and signing with the chosen key.

use crate::crypto::sign::SigningKey;
use crate::error::TlsError;
use crate::handshake::config::{CertifiedKey, ServerConfig};
use crate::handshake::Common;
use crate::wire::codepoints::{NamedGroup, SignatureScheme};
use crate::wire::suites::Auth;

/// Our certificates in order of preference: `config.cert`, then `config.alt_certs`.
pub(super) fn certificates(config: &ServerConfig) -> impl Iterator<Item = &CertifiedKey> {
    std::iter::once(&config.cert).chain(config.alt_certs.iter())
}

/// The certificate at `index` in `certificates()`: 0 is `config.cert`; another is one of
/// `config.alt_certs`, chosen when only that one suits the client's suites and signature
/// algorithms.
pub(super) fn certificate(config: &ServerConfig, index: usize) -> &CertifiedKey {
    certificates(config).nth(index).unwrap_or(&config.cert)
}

/// The OCSP response to staple: it belongs to the primary certificate only.
pub(super) fn stapled_response(config: &ServerConfig, index: usize) -> Option<&[u8]> {
    config.ocsp.as_deref().filter(|_| index == 0)
}

/// Whether our key can authenticate a TLS 1.2 suite (RFC 8422 §2, RFC 5246 §7.4.2): the
/// *_RSA_* suites take an RSA key of either kind (an RSA-PSS key signs with rsa_pss_pss_*,
/// RFC 8446 §4.2.3), the *_ECDSA_* suites an ECDSA or EdDSA key (RFC 8422 §5.1). RSA key
/// transport further needs an rsaEncryption key (`SigningKey::is_rsa`).
pub(super) fn key_fits(key: &SigningKey, auth: Auth) -> bool {
    match auth {
        Auth::Rsa => key.is_any_rsa(),
        Auth::Ecdsa => !key.is_any_rsa(),
        _ => false,
    }
}

/// RFC 8422 §5.1: an ECDSA certificate's curve must be one the client listed in
/// supported_groups (when it sent the extension).
pub(super) fn ecdsa_curve_offered(key: &SigningKey, client_groups: &[NamedGroup]) -> bool {
    let curve = match key {
        SigningKey::P256(_) => NamedGroup::SECP256R1,
        SigningKey::P384(_) => NamedGroup::SECP384R1,
        SigningKey::P521(_) => NamedGroup::SECP521R1,
        _ => return true,
    };
    client_groups.is_empty() || client_groups.contains(&curve)
}

/// Signs with the configured fast signer when it handles the scheme, else with the key.
pub(super) fn sign(
    config: &ServerConfig,
    key: &SigningKey,
    scheme: SignatureScheme,
    message: &[u8],
    c: &mut Common,
) -> Result<Vec<u8>, TlsError> {
    match config
        .fast_signer
        .as_ref()
        .and_then(|f| f.sign(scheme, message))
    {
        Some(r) => r,
        None => key.sign(scheme, message, &mut c.rng),
    }
}
