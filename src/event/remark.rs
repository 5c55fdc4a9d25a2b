//! Remarks about a connection, as data: `Info` (steps worth telling: proxy and STARTTLS
//! dialogues, happy eyeballs, refused renegotiation, listen's banner) and `Warning`
//! (weaknesses and caveats). `report::remarks` words them.

use std::net::SocketAddr;
use std::time::Duration;

use crate::error::Alert;
use crate::handshake::Side;
use crate::net::starttls::Starttls;
use crate::wire::codepoints::SignatureScheme;

/// A remark about the connection (e.g. a refused renegotiation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Info {
    // Reaching the server.
    /// No answer from the first address after `waited`: `next` is tried as well (happy
    /// eyeballs, RFC 8305).
    HappyEyeballs { waited: Duration, next: SocketAddr },
    /// The connection goes to `target` through `proxy` (both as shown to the user).
    ViaProxy { target: String, proxy: String },
    /// An HTTP proxy answered CONNECT `authority` with success (RFC 9110 §9.3.6).
    HttpTunnelOpened { authority: String },
    /// SOCKS5 method selection (RFC 1928 §3): no authentication, and username/password when
    /// credentials are given.
    SocksMethodsOffered { user_password: bool },
    /// The SOCKS5 proxy chose no authentication.
    SocksNoAuthentication,
    /// The SOCKS5 proxy chose username/password (RFC 1929); `user` is sanitized.
    SocksUserPassword { user: String },
    /// The SOCKS5 proxy accepted the credentials.
    SocksAuthenticated,
    /// SOCKS5 CONNECT to `target` (RFC 1928 §4), its address sent as `address`.
    SocksConnect {
        target: String,
        address: SocksAddress,
    },
    /// The SOCKS5 proxy connected to `target`, with reply code `reply` (RFC 1928 §6).
    SocksConnected { target: String, reply: u8 },
    /// A STARTTLS dialogue in `protocol` comes before TLS.
    StarttlsDialogue { protocol: Starttls },
    /// The server agreed to start TLS.
    StarttlsAgreed { protocol: Starttls },
    /// The client asked to start TLS (listen's side of the dialogue).
    StarttlsRequested { protocol: Starttls },

    // During the connection.
    /// The peer sent a warning alert we take (RFC 5246 §7.2, RFC 8446 §6.1): the
    /// `in_a_row`-th since the last handshake message or application data.
    WarningAlert { alert: Alert, in_a_row: u8 },
    /// The peer (`by`) asked to renegotiate; refused with a no_renegotiation warning (RFC
    /// 5746 §4.5).
    RenegotiationRefused { by: Side },
    /// connect --reconnect: a second connection resumes the session.
    Reconnecting,
    /// 0-RTT data offered and not accepted (RFC 8446 §4.2.10), and why.
    EarlyDataRejected { reason: EarlyDataRefusal },
    /// Server: 0-RTT application data arrived (`bytes`, beginning with `start`, at most 64
    /// bytes of it).
    EarlyDataReceived { bytes: usize, start: Vec<u8> },
    /// connect --early-data: the server did not take the data as 0-RTT, so its `bytes` are
    /// sent as ordinary application data after the handshake.
    EarlyDataResent { bytes: usize },
    /// Record sizes were negotiated (`source`): we send at most `send` content bytes per
    /// record and accept protected records of at most `receive` bytes of plaintext (RFC 8449
    /// §4; in TLS 1.3 the inner plaintext, content type included).
    RecordLimits {
        source: LimitSource,
        send: usize,
        receive: usize,
    },

    // listen's banner.
    /// listen is ready on `local`, with a certificate of `origin` for a `key` key.
    Listening {
        local: String,
        origin: CertOrigin,
        key: String,
    },
    /// The SHA-256 fingerprint of listen's certificate.
    CertificateFingerprint { sha256: String },
    /// listen's second certificate, for clients the first does not suit.
    SecondCertificate {
        origin: CertOrigin,
        key: String,
        sha256: String,
    },
    /// Every connection to listen starts with the server side of a STARTTLS dialogue.
    ListenStarttls { protocol: Starttls },

    // Post-handshake authentication.
    /// listen: the client answered our post-handshake CertificateRequest (RFC 8446 §4.6.2)
    /// with the certificate of `client_certificate` (none: an empty Certificate); `verified`:
    /// what --ca-file made of it (none without one).
    PostHandshakeAuth {
        client_certificate: Option<String>,
        verified: Option<bool>,
    },
}

/// Which extension limited the record sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitSource {
    /// record_size_limit (RFC 8449).
    RecordSizeLimit,
    /// max_fragment_length (RFC 6066 §4).
    MaxFragmentLength,
}

/// How a SOCKS5 CONNECT names its target (RFC 1928 §5, ATYP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocksAddress {
    Ipv4,
    Ipv6,
    /// A host name, resolved by the proxy.
    HostName,
}

/// Where listen's certificate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertOrigin {
    SelfSigned,
    /// --cert.
    File,
}

/// A weakness or a caveat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// TLS 1.0 with a CBC suite: chained IVs (CVE-2011-3389); `split`: whether application
    /// data is split 1/n-1 against it (off with `--no-split`).
    Beast { split: bool },
    /// The server's DHE prime has only `bits` bits (Logjam, RFC 7919).
    WeakDhGroup { bits: usize },
    /// The server acknowledged session_ticket but sent no NewSessionTicket (RFC 5077 §3.3).
    TicketMissing,
    /// connect -k: the chain did not verify (`errors`, maybe none given); going on.
    VerificationIgnored { errors: Vec<String> },
    /// connect --reconnect: the server offered no session id or ticket.
    NothingToResume,
    /// connect --sess-out: the server offered no session to keep; `path` was not written.
    SessionNotSaved { path: String },
    /// listen asks for client certificates without --ca-file.
    ClientCertificatesUnverified,
    /// listen --client-auth post-handshake: this client cannot be asked after the handshake
    /// (`tls13`: the connection is TLS 1.3, so the client did not offer post_handshake_auth,
    /// RFC 8446 §4.6.2).
    PostHandshakeAuthUnavailable { tls13: bool },
    /// TLS 1.2 server: the client allows no signature we may make (RFC 9155), so only a
    /// suite without a server signature (RSA key transport) can serve it.
    NoSignatureForClient { gap: SignatureGap },
}

/// Why 0-RTT data was not accepted (RFC 8446 §4.2.10, §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlyDataRefusal {
    /// Server: 0-RTT is off (listen without --early-data).
    NotEnabled,
    /// Server: no ticket of ours was resumed with the first PSK identity.
    NotResumed,
    /// Server: the ticket was issued without early_data.
    TicketWithoutEarlyData,
    /// Server: this ticket's early data was accepted once already (RFC 8446 §8.1).
    Replay,
    /// Server: another cipher suite or ALPN protocol than the ticket's (RFC 8446 §4.2.10).
    ParametersChanged,
    /// Server: the ticket's age as the client tells it is off by more than the window
    /// (RFC 8446 §8.3).
    TicketAge,
    /// Server: we answered with a HelloRetryRequest (RFC 8446 §4.1.2).
    HelloRetry,
    /// Client: the server's EncryptedExtensions has no early_data.
    ByServer,
}

/// Why a TLS 1.2 ClientHello allows no signature the server may make (RFC 9155).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureGap {
    /// No signature_algorithms: RFC 9155 §2 replaces the SHA-1 default of RFC 5246
    /// §7.4.1.4.1 with a handshake_failure wherever a signature is needed.
    NotSent,
    /// Only these MD5 or SHA-1 schemes, which RFC 9155 §4 forbids in ServerKeyExchange.
    OnlyForbidden(Vec<SignatureScheme>),
}
