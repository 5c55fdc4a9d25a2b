//! HTTP over TLS: one GET after a complete handshake, for the status, HSTS (RFC 6797), the
//! Server header and HTTP compression (BREACH).

/// Strict-Transport-Security (RFC 6797 §6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hsts {
    pub max_age: u64,
    pub include_subdomains: bool,
    pub preload: bool,
}

/// What the GET answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpInfo {
    pub status: Option<u16>,
    pub hsts: Option<Hsts>,
    pub server: Option<String>,
    /// The Content-Encoding of the answer (e.g. "gzip"), None when uncompressed.
    pub compression: Option<String>,
}
