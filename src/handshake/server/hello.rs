//! The first ClientHello, whatever the version: the checks every version makes, the version
//! choice (RFC 8446 §4.2.1, RFC 5246 Appendix E.1, RFC 7507), the server name (RFC 6066 §3),
//! and reading the client's extensions.

use crate::error::{Alert, TlsError};
use crate::handshake::config::{ServerConfig, SniPolicy};
use crate::handshake::{Common, Incoming};
use crate::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody};
use crate::wire::handshake::ClientHello;
use crate::wire::suites::CipherSuite;

/// The versions we can negotiate, newest first.
const ORDER: [ProtocolVersion; 4] = [
    ProtocolVersion::TLS13,
    ProtocolVersion::TLS12,
    ProtocolVersion::TLS11,
    ProtocolVersion::TLS10,
];

/// What the version-independent checks of a first ClientHello decided.
pub(super) struct Hello {
    pub version: ProtocolVersion,
    /// The server name the client asked for, as the SNI policy lets us see it.
    pub server_name: Option<String>,
}

/// Checks a first ClientHello and chooses the version. Errors after reporting the message,
/// except a refused server name (reported by no event, as the handshake never started).
pub(super) fn check(
    c: &mut Common,
    config: &ServerConfig,
    m: &Incoming,
    ch: &ClientHello,
) -> Result<Hello, TlsError> {
    c.client_random = ch.random;
    let version = check_legacy_fields(ch)
        .and_then(|()| choose_version(config, ch))
        .and_then(|v| check_fallback(config, ch, v).map(|()| v))
        .and_then(|v| check_record_size_limit(ch).map(|()| v))
        .inspect_err(|_| m.report(c, vec![]))?;
    let server_name = server_name(config, ch)?;
    Ok(Hello {
        version,
        server_name,
    })
}

/// Null compression must be offered; a legacy_version of 0x0300 (SSL 3.0) or below is
/// refused with protocol_version, whatever supported_versions offers (RFC 8446 Appendix D.5
/// and §4.1.2).
fn check_legacy_fields(ch: &ClientHello) -> Result<(), TlsError> {
    if !ch.compression_methods.contains(&CompressionMethod::NULL) {
        return Err(TlsError::illegal(
            "the client does not offer null compression",
        ));
    }
    if ch.version.0 <= 0x0300 {
        return Err(TlsError::new(
            Alert::ProtocolVersion,
            format!(
                "ClientHello legacy_version {} is SSL 3.0 or older",
                ch.version
            ),
        ));
    }
    Ok(())
}

/// The client's supported_versions list, if it sent one.
fn offered_versions(ch: &ClientHello) -> Option<&Vec<ProtocolVersion>> {
    match client_ext(ch, ET::SUPPORTED_VERSIONS) {
        Some(ExtBody::SupportedVersionsClient(v)) => Some(v),
        _ => None,
    }
}

/// RFC 8446 §4.2.1: the highest version both allow; without supported_versions, the highest
/// we allow up to client_version (RFC 5246 Appendix E.1).
fn choose_version(config: &ServerConfig, ch: &ClientHello) -> Result<ProtocolVersion, TlsError> {
    let allows = |v: &ProtocolVersion| config.versions.contains(v);
    let versions = offered_versions(ch);
    let chosen = match versions {
        Some(v) => ORDER.into_iter().find(|x| v.contains(x) && allows(x)),
        None => ORDER
            .into_iter()
            .skip(1)
            .find(|x| *x <= ch.version && allows(x)),
    };
    if let Some(v) = chosen {
        return Ok(v);
    }
    // RFC 7507 §3 allows either alert for a fallback to a version we do not support at all;
    // tlsfuzzer's test-fallback-scsv ("FALLBACK - hello TLSv1.1") expects
    // inappropriate_fallback, which says more.
    if versions.is_none()
        && ch.cipher_suites.contains(&CipherSuite::FALLBACK_SCSV)
        && ORDER.into_iter().any(|x| x > ch.version && allows(&x))
    {
        return Err(TlsError::new(
            Alert::InappropriateFallback,
            format!(
                "the client signals a fallback (TLS_FALLBACK_SCSV) to {}, which we do not support, although we support a higher version (RFC 7507 §3)",
                ch.version
            ),
        ));
    }
    let offered = match versions {
        Some(v) => v
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        None => ch.version.to_string(),
    };
    Err(TlsError::new(
        Alert::ProtocolVersion,
        format!("the client offers {offered}; this server allows none of them"),
    ))
}

/// RFC 7507 §3: TLS_FALLBACK_SCSV with a version below the highest we support is a
/// downgrade retry the client should not have needed.
fn check_fallback(
    config: &ServerConfig,
    ch: &ClientHello,
    version: ProtocolVersion,
) -> Result<(), TlsError> {
    let highest = ORDER.into_iter().find(|x| config.versions.contains(x));
    if ch.cipher_suites.contains(&CipherSuite::FALLBACK_SCSV) && highest > Some(version) {
        return Err(TlsError::new(
            Alert::InappropriateFallback,
            format!(
                "the client signals a fallback (TLS_FALLBACK_SCSV) to {version} although we support a higher version (RFC 7507 §3)"
            ),
        ));
    }
    Ok(())
}

/// RFC 8449 §4: a record_size_limit below 64 is a fatal illegal_parameter.
fn check_record_size_limit(ch: &ClientHello) -> Result<(), TlsError> {
    if let Some(ExtBody::RecordSizeLimit(n)) = client_ext(ch, ET::RECORD_SIZE_LIMIT) {
        if *n < 64 {
            return Err(TlsError::illegal(format!(
                "record_size_limit of {n} is below the minimum of 64 (RFC 8449 §4)"
            )));
        }
    }
    Ok(())
}

/// The client's server name under our SNI policy. RFC 6066 §3: a name the server does not
/// recognise may abort the handshake with a fatal unrecognized_name alert.
fn server_name(config: &ServerConfig, ch: &ClientHello) -> Result<Option<String>, TlsError> {
    let asked = match client_ext(ch, ET::SERVER_NAME) {
        Some(ExtBody::ServerName(n)) => n.host_names().into_iter().next(),
        _ => None,
    };
    match &config.sni {
        SniPolicy::Any => Ok(asked),
        SniPolicy::Ignore => Ok(None),
        SniPolicy::Only(name) => match asked {
            Some(asked) if !asked.eq_ignore_ascii_case(name) => Err(TlsError::new(
                Alert::UnrecognizedName,
                format!("the client asks for server name {asked:?}; this server serves only {name:?} (--sni)"),
            )),
            asked => Ok(asked),
        },
    }
}

/// The body of the client's extension of type `t`.
pub(super) fn client_ext(ch: &ClientHello, t: ET) -> Option<&ExtBody> {
    find(&ch.extensions, t).map(|e| &e.body)
}

/// The client's supported_groups (empty without the extension).
pub(super) fn client_groups(ch: &ClientHello) -> Vec<NamedGroup> {
    match client_ext(ch, ET::SUPPORTED_GROUPS) {
        Some(ExtBody::SupportedGroups(g)) => g.clone(),
        _ => vec![],
    }
}

/// The client's signature_algorithms, empty without the extension: the SHA-1 default of
/// RFC 5246 §7.4.1.4.1 is gone (RFC 9155 §2; TLS 1.3 requires the extension, RFC 8446
/// §4.2.3).
pub(super) fn client_sigalgs(ch: &ClientHello) -> Vec<SignatureScheme> {
    match client_ext(ch, ET::SIGNATURE_ALGORITHMS) {
        Some(ExtBody::SignatureAlgorithms(s)) => s.clone(),
        _ => vec![],
    }
}

/// RFC 7301 §3.2: our first protocol the client offers; none in common is fatal.
pub(super) fn choose_alpn(
    config: &ServerConfig,
    ch: &ClientHello,
) -> Result<Option<Vec<u8>>, TlsError> {
    match client_ext(ch, ET::ALPN) {
        Some(ExtBody::Alpn(offered)) if !config.alpn.is_empty() => config
            .alpn
            .iter()
            .find(|p| offered.contains(p))
            .cloned()
            .map(Some)
            .ok_or_else(|| {
                TlsError::new(
                    Alert::NoApplicationProtocol,
                    "no ALPN protocol in common with the client",
                )
            }),
        _ => Ok(None),
    }
}
