//! Trust: the certificate chain a server sends, checked as `connect` checks it, against the
//! system store or `--ca-file`.

/// The chain's verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainInfo {
    pub trusted: bool,
    /// Why it is not trusted (empty when trusted).
    pub errors: Vec<String>,
    /// Every intermediate needed to reach a trust anchor was sent.
    pub complete: bool,
    /// Each certificate is followed by its issuer (RFC 8446 §4.4.2, RFC 5246 §7.4.2).
    pub order_ok: bool,
}
