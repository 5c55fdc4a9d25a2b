//! The checks the core makes on handshake messages, as data: a `CheckKind` carries what the
//! check found (versions, suites, schemes, groups, sizes, ...); `report::checks` words it.

use crate::crypto::dh::DhParamsInfo;
use crate::error::TlsError;
use crate::handshake::Side;
use crate::pki::error::PkiError;
use crate::pki::ocsp::OcspSummary;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};

/// The result of a check the core made on a message (a signature, a Finished, a sentinel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub kind: CheckKind,
    pub ok: bool,
}

impl Check {
    pub fn new(kind: CheckKind, ok: bool) -> Check {
        Check { kind, ok }
    }

    /// A check that passed.
    pub fn pass(kind: CheckKind) -> Check {
        Check::new(kind, true)
    }

    /// A check that failed (or a weakness worth flagging).
    pub fn fail(kind: CheckKind) -> Check {
        Check::new(kind, false)
    }
}

/// What a check was about and what it found. `by` fields name the side that made the check
/// where the two roles judge the same thing differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckKind {
    // Versions and downgrade protection.
    /// Client: the server random carries no downgrade sentinel although a version above
    /// `version` was offered (RFC 8446 §4.1.3).
    DowngradeSentinelAbsent { version: ProtocolVersion },
    /// Server: `sentinel` (the last 8 bytes of our random) set because we chose `version`
    /// while a higher one is enabled (RFC 8446 §4.1.3).
    DowngradeSentinelSet {
        version: ProtocolVersion,
        sentinel: [u8; 8],
    },
    /// TLS 1.0 or 1.1 (RFC 8996).
    DeprecatedVersion { version: ProtocolVersion },
    /// TLS 1.0 with a CBC suite: chained IVs (CVE-2011-3389).
    Beast,
    /// A CBC suite with or without encrypt_then_mac (RFC 7366).
    EncryptThenMac { negotiated: bool, by: Side },
    /// Client: the server sent no renegotiation_info (RFC 5746 §3.4).
    NoSecureRenegotiation,

    // Resumption and tickets.
    /// Server: a TLS 1.2 session resumed, from the client's ticket (RFC 5077) or from the
    /// session-id cache (RFC 5246 §7.3).
    Resumed { from_ticket: bool },
    /// Client: the server echoed our session id (RFC 5246 §7.4.1.3).
    SessionIdEchoed,
    /// Client: the server selected PSK `identity` (RFC 8446 §4.2.11), used as `psk`.
    PskAccepted {
        identity: u16,
        psk: crate::handshake::psk::PskUse,
    },
    /// Server: PSK `identity` had a valid binder (RFC 8446 §4.2.11.2), used as `psk`.
    PskBinderValid {
        identity: u16,
        psk: crate::handshake::psk::PskUse,
    },
    /// Client: a TLS 1.2 NewSessionTicket (RFC 5077 §3.3).
    SessionTicket { len: usize, lifetime_hint: u32 },
    /// Client: a TLS 1.3 ticket's max_early_data_size (RFC 8446 §4.6.1).
    TicketAllowsEarlyData { max_early_data: u32 },
    /// 0-RTT accepted (RFC 8446 §4.2.10): client, the server's EncryptedExtensions says so
    /// for the `bytes` we sent; server, the client's EndOfEarlyData after `bytes` of early data.
    EarlyDataAccepted { bytes: usize },

    // HelloRetryRequest and HelloRequest.
    /// Server: we ask for a key share for `group` (RFC 8446 §4.1.4).
    RetryRequested { group: NamedGroup },
    /// Client: the server asks for a key share for `group`, or sent only a cookie.
    RetryReceived { group: Option<NamedGroup> },
    /// Client: a HelloRequest during the handshake (RFC 5246 §7.4.1.1).
    HelloRequestIgnored,

    // Key exchange.
    /// Client: the server's DHE parameters (RFC 7919 §5.1); passes unless weak.
    DhParams(DhParamsInfo),
    /// Client: the server's DHE parameters refused, with the error that ends the handshake.
    DhParamsRejected(TlsError),
    /// Server: the well-known DHE group we sent (RFC 7919).
    DhGroupSent {
        description: &'static str,
        bits: usize,
    },
    /// The peer's DH public value `of` (Yc of the client, Ys of the server) is in 1 < Y < p-1
    /// (RFC 7919 §5.1).
    DhPublicInRange { of: Side },
    /// Client: the server's DHE prime has only `bits` bits (Logjam, RFC 7919).
    DhGroupWeak { bits: usize },
    /// Client: the DHE prime is not a well-known group.
    DhGroupUnknown,
    /// Client: a `len`-byte pre-master secret encrypted to the server's RSA key (RFC 5246
    /// §7.4.7.1).
    PremasterEncrypted { len: usize },
    /// Server: the pre-master secret decrypted with our RSA key (RFC 5246 §7.4.7.1).
    PremasterDecrypted,

    // Signatures and Finished.
    /// Client: the ServerKeyExchange signature (RFC 5246 §7.4.3), verified.
    KeyExchangeSignature(KxSignature),
    /// The peer's CertificateVerify (made by `signer`) verified (RFC 8446 §4.4.3, RFC 5246
    /// §7.4.8).
    CertificateVerify {
        scheme: SignatureScheme,
        signer: Side,
    },
    /// The peer's TLS 1.0/1.1 CertificateVerify (made by `signer`) verified: `how` names the
    /// signature (RSA over MD5+SHA-1, ECDSA over SHA-1; RFC 4346 §7.4.8, RFC 4492 §5.8).
    CertificateVerifyLegacy { how: &'static str, signer: Side },
    /// The Finished of `sender` matches (TLS 1.0-1.2: the PRF, RFC 5246 §7.4.9).
    FinishedPrf { sender: Side },
    /// The Finished of `sender` matches (TLS 1.3: the HMAC, RFC 8446 §4.4.4).
    FinishedHmac { sender: Side },
    /// The KeyUpdate of `peer`, which may ask us to update too (RFC 8446 §4.6.3).
    KeyUpdated { peer: Side, update_requested: bool },

    // Certificates.
    /// A stapled OCSP response (RFC 6066 §8, RFC 8446 §4.4.2.1); passes when "good". Boxed:
    /// the largest kind, and a rare one.
    Ocsp(Box<OcspSummary>),
    /// A TLS 1.2 CertificateStatus (RFC 6066 §8) of `len` bytes that does not parse.
    OcspStatusUnreadable { len: usize, error: PkiError },
    /// A TLS 1.3 stapled response in the leaf's entry (RFC 8446 §4.4.2.1) that does not parse.
    OcspEntryUnreadable(PkiError),
    /// Client: the server asks for a certificate; `have_cert`: whether --cert gave us one.
    ClientCertificateRequested { have_cert: bool },
    /// Client: we send no certificate; `have_cert`: ours cannot sign with any scheme the
    /// server accepts (else none was given).
    ClientCertificateWithheld { have_cert: bool },
    /// Server: the client sent an empty Certificate.
    NoClientCertificate,
}

impl CheckKind {
    /// Whether the check is about a stapled OCSP response, readable or not.
    pub fn is_ocsp(&self) -> bool {
        matches!(
            self,
            CheckKind::Ocsp(_)
                | CheckKind::OcspStatusUnreadable { .. }
                | CheckKind::OcspEntryUnreadable(_)
        )
    }
}

/// How a ServerKeyExchange was signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KxSignature {
    /// TLS 1.2: the scheme the server named (RFC 5246 §7.4.1.4.1).
    Scheme(SignatureScheme),
    /// TLS 1.0/1.1: no algorithm field; the legacy algorithm the key implies, as
    /// `crypto::sign::verify_legacy` names it.
    Legacy(&'static str),
}
