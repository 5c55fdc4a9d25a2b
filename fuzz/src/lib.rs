//! Shared by the fuzz targets and the seed-corpus generator: how a fuzz input's leading
//! bytes select the decoding context, the chunking of fed bytes, and the configurations of
//! the client and server under test. Keeping these in one place lets the generator write
//! seeds that mean the same thing to the targets.

use std::sync::{Arc, OnceLock};

use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::wire::codepoints::ProtocolVersion;
use tlsprobe::wire::extensions::ExtContext;
use tlsprobe::wire::handshake::DecodeContext;
use tlsprobe::wire::suites::Kx;

/// The key exchanges a `DecodeContext` can name (`None` first: before the suite is known).
pub const KXS: [Option<Kx>; 7] = [
    None,
    Some(Kx::Any),
    Some(Kx::Ecdhe),
    Some(Kx::Rsa),
    Some(Kx::Dhe),
    Some(Kx::Psk),
    Some(Kx::EcdhePsk),
];

/// The versions a `DecodeContext` can name.
pub const VERSIONS: [ProtocolVersion; 4] = [
    ProtocolVersion::TLS12,
    ProtocolVersion::TLS13,
    ProtocolVersion::TLS11,
    ProtocolVersion::TLS10,
];

/// Decoding context from one selector byte: low 2 bits the version, the rest the kx.
pub fn decode_context(sel: u8) -> DecodeContext {
    DecodeContext {
        version: VERSIONS[(sel & 3) as usize],
        kx: KXS[((sel >> 2) as usize) % KXS.len()],
    }
}

/// The selector byte for a context (inverse of `decode_context`).
pub fn context_selector(version: ProtocolVersion, kx: Option<Kx>) -> u8 {
    let v = VERSIONS.iter().position(|x| *x == version).unwrap_or(0) as u8;
    let k = KXS.iter().position(|x| *x == kx).unwrap_or(0) as u8;
    (k << 2) | v
}

/// Every extension context, selected by one byte.
pub const EXT_CONTEXTS: [ExtContext; 7] = [
    ExtContext::ClientHello,
    ExtContext::ServerHello,
    ExtContext::HelloRetryRequest,
    ExtContext::EncryptedExtensions,
    ExtContext::CertificateRequest,
    ExtContext::Certificate,
    ExtContext::NewSessionTicket,
];

pub fn ext_context(sel: u8) -> ExtContext {
    EXT_CONTEXTS[sel as usize % EXT_CONTEXTS.len()]
}

pub fn ext_selector(ctx: ExtContext) -> u8 {
    EXT_CONTEXTS.iter().position(|c| *c == ctx).unwrap_or(0) as u8
}

/// Splits `data` into the chunks a peer's writes would arrive in: the first byte picks a
/// chunk size (0 = everything at once), so seeds and mutations also exercise reassembly.
pub fn chunks(data: &[u8]) -> (usize, &[u8]) {
    match data.split_first() {
        None => (1, data),
        Some((&0, rest)) => (rest.len().max(1), rest),
        Some((&n, rest)) => (n as usize, rest),
    }
}

/// The client configuration under test (the library defaults, SNI set).
pub fn client_config() -> ClientConfig {
    ClientConfig {
        sni: Some("localhost".into()),
        ..ClientConfig::default()
    }
}

/// The server configuration under test: a P-256 self-signed certificate made once.
pub fn server_config() -> Arc<ServerConfig> {
    static CONFIG: OnceLock<Arc<ServerConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            Arc::new(ServerConfig::new(tlsprobe::inmem::self_signed("localhost")))
        })
        .clone()
}
