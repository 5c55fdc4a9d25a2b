//! Why a `--proxy` URL is refused, and why a proxy did not open the tunnel; every sentence is
//! written here. Proxies are named without their credentials.

use std::fmt;

use super::socks_reply_name;
use crate::net::plain::PlainError;
use crate::net::target::TargetError;

/// A `--proxy` URL that cannot be used (a usage error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyUrlError {
    NoScheme {
        url: String,
    },
    Https {
        url: String,
    },
    UnsupportedScheme {
        url: String,
        scheme: String,
    },
    HasPath {
        url: String,
    },
    BadPercentEncoding {
        what: &'static str,
    },
    NotUtf8 {
        what: &'static str,
    },
    EmptyUser {
        url: String,
    },
    Socks5CredentialsTooLong,
    UserWithColon,
    /// The host and port part; `url` has its password hidden.
    Target {
        url: String,
        error: TargetError,
    },
}

impl fmt::Display for ProxyUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProxyUrlError as E;
        match self {
            E::NoScheme { url } => write!(
                f,
                "--proxy '{url}': expected http://host:port or socks5://host:port"
            ),
            E::Https { url } => write!(
                f,
                "--proxy '{url}': https:// proxies (TLS to the proxy) are not supported; use http:// or socks5://"
            ),
            E::UnsupportedScheme { url, scheme } => write!(
                f,
                "--proxy '{url}': unsupported scheme '{scheme}' (expected http or socks5)"
            ),
            E::HasPath { url } => write!(
                f,
                "--proxy '{url}': a proxy URL has no path, query or fragment"
            ),
            E::BadPercentEncoding { what } => {
                write!(f, "--proxy: bad percent-encoding in the {what}")
            }
            E::NotUtf8 { what } => write!(f, "--proxy: the {what} is not UTF-8"),
            E::EmptyUser { url } => write!(f, "--proxy '{url}': empty user name before '@'"),
            E::Socks5CredentialsTooLong => f.write_str(
                "--proxy: SOCKS5 user names and passwords are at most 255 bytes (RFC 1929)",
            ),
            E::UserWithColon => {
                f.write_str("--proxy: the user name cannot contain ':' (RFC 7617)")
            }
            E::Target { url, error } => write!(f, "--proxy '{url}': {error}"),
        }
    }
}

impl std::error::Error for ProxyUrlError {}

/// Why the proxy (`proxy`: its URL without credentials) did not open the tunnel.
#[derive(Debug)]
pub enum ProxyError {
    /// Talking to the proxy failed.
    Io(PlainError),
    HttpNoStatus {
        proxy: String,
        got: String,
    },
    HttpCredentialsRejected {
        proxy: String,
        reason: String,
    },
    HttpAuthRequired {
        proxy: String,
        reason: String,
    },
    HttpForbidden {
        proxy: String,
        authority: String,
        reason: String,
    },
    HttpFailed {
        proxy: String,
        authority: String,
        code: u16,
        reason: String,
    },
    NotSocks5 {
        proxy: String,
        version: u8,
    },
    SocksUnofferedUserPass {
        proxy: String,
    },
    SocksCredentialsTooLong,
    SocksAuthRejected {
        proxy: String,
        status: u8,
    },
    SocksNoAcceptableMethod {
        proxy: String,
    },
    SocksAuthRequired {
        proxy: String,
    },
    SocksUnofferedMethod {
        proxy: String,
        method: u8,
    },
    SocksHostTooLong,
    SocksMalformedReply {
        proxy: String,
        version: u8,
    },
    SocksConnectFailed {
        proxy: String,
        target: String,
        code: u8,
    },
    SocksUnknownAddressType {
        proxy: String,
        atyp: u8,
    },
}

impl From<PlainError> for ProxyError {
    fn from(e: PlainError) -> Self {
        ProxyError::Io(e)
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProxyError as E;
        match self {
            E::Io(e) => write!(f, "{e}"),
            E::HttpNoStatus { proxy, got } => write!(
                f,
                "the proxy {proxy} did not answer CONNECT with an HTTP status line (got '{}')",
                got.chars().take(80).collect::<String>()
            ),
            E::HttpCredentialsRejected { proxy, reason } => write!(
                f,
                "the proxy {proxy} rejected the credentials (HTTP 407 {reason})"
            ),
            E::HttpAuthRequired { proxy, reason } => write!(
                f,
                "the proxy {proxy} requires authentication (HTTP 407 {reason}): give http://user:password@host:port"
            ),
            E::HttpForbidden {
                proxy,
                authority,
                reason,
            } => write!(
                f,
                "the proxy {proxy} refused to connect to {authority} (HTTP 403 {reason})"
            ),
            E::HttpFailed {
                proxy,
                authority,
                code,
                reason,
            } => write!(
                f,
                "the proxy {proxy} could not connect to {authority} (HTTP {code} {reason})"
            ),
            E::NotSocks5 { proxy, version } => write!(
                f,
                "the proxy {proxy} is not a SOCKS5 proxy (its answer starts with version {version})"
            ),
            E::SocksUnofferedUserPass { proxy } => write!(
                f,
                "the proxy {proxy} chose username/password authentication, which was not offered"
            ),
            E::SocksCredentialsTooLong => {
                f.write_str("SOCKS5 user names and passwords are at most 255 bytes")
            }
            E::SocksAuthRejected { proxy, status } => write!(
                f,
                "the proxy {proxy} rejected the user name or password (SOCKS5 authentication status {status})"
            ),
            E::SocksNoAcceptableMethod { proxy } => write!(
                f,
                "the proxy {proxy} accepts none of the offered authentication methods (none, username/password)"
            ),
            E::SocksAuthRequired { proxy } => write!(
                f,
                "the proxy {proxy} requires authentication: give socks5://user:password@host:port"
            ),
            E::SocksUnofferedMethod { proxy, method } => write!(
                f,
                "the proxy {proxy} chose authentication method 0x{method:02x}, which was not offered"
            ),
            E::SocksHostTooLong => {
                f.write_str("the host name is longer than SOCKS5 allows (255 bytes)")
            }
            E::SocksMalformedReply { proxy, version } => write!(
                f,
                "the proxy {proxy} sent a malformed SOCKS5 reply (version {version})"
            ),
            E::SocksConnectFailed {
                proxy,
                target,
                code,
            } => write!(
                f,
                "the proxy {proxy} could not connect to {target}: SOCKS5 reply 0x{code:02x} ({})",
                socks_reply_name(*code)
            ),
            E::SocksUnknownAddressType { proxy, atyp } => write!(
                f,
                "the proxy {proxy} sent a SOCKS5 reply with unknown address type {atyp}"
            ),
        }
    }
}

impl std::error::Error for ProxyError {}
