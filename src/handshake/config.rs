//! What a client or server connection is allowed to negotiate, and the outside services
//! (certificate verification, session storage) it relies on.

use std::sync::Arc;

use super::psk::ExternalPsk;
use super::session::{ClientSession, SessionStore};
use super::suite_params;
use crate::crypto::sign::SigningKey;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::suites::CipherSuite;

/// The outcome of checking a peer's certificate chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub ok: bool,
    pub errors: Vec<String>,
    /// Lines describing the verification (trust store used, path built, ...).
    pub detail: Vec<String>,
}

/// Checks a certificate chain (leaf first). Implemented outside the core (see `pki::verify`).
pub trait ChainVerifier: Send + Sync {
    fn verify(&self, chain: &[Vec<u8>]) -> ChainCheck;
}

/// The signature schemes we offer and accept by default (RFC 8446 §4.2.3).
pub fn default_sigalgs() -> Vec<SignatureScheme> {
    vec![
        SignatureScheme::ECDSA_SECP256R1_SHA256,
        SignatureScheme::ECDSA_SECP384R1_SHA384,
        SignatureScheme::ECDSA_SECP521R1_SHA512,
        SignatureScheme::ED25519,
        SignatureScheme::ED448,
        SignatureScheme::RSA_PSS_PSS_SHA256,
        SignatureScheme::RSA_PSS_PSS_SHA384,
        SignatureScheme::RSA_PSS_PSS_SHA512,
        SignatureScheme::RSA_PSS_RSAE_SHA256,
        SignatureScheme::RSA_PSS_RSAE_SHA384,
        SignatureScheme::RSA_PSS_RSAE_SHA512,
        SignatureScheme::RSA_PKCS1_SHA256,
        SignatureScheme::RSA_PKCS1_SHA384,
        SignatureScheme::RSA_PKCS1_SHA512,
    ]
}

/// The client's offer, preferred first (RFC 8446 §4.2.7): OpenSSL 3.5's default groups, with
/// the two other hybrids beside X25519MLKEM768's: X25519MLKEM768 first, with an X25519 share
/// beside it (`groups::first_shares`), as browsers and OpenSSL 3.5 send it; then the classic
/// curves, the NIST-curve hybrids and the two smallest RFC 7919 groups. A TLS 1.2 hello lists
/// only the ones TLS 1.2 can use (`groups::offered_in_tls12`); pure ML-KEM and the larger
/// finite-field groups are offered on request (`--groups`).
pub fn default_client_groups() -> Vec<NamedGroup> {
    vec![
        NamedGroup::X25519MLKEM768,
        NamedGroup::X25519,
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
        NamedGroup::SECP521R1,
        NamedGroup::X448,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
        NamedGroup::FFDHE2048,
        NamedGroup::FFDHE3072,
    ]
}

/// The server's preference for TLS 1.3 (and, among the curves, for TLS 1.2 ECDHE): the
/// hybrids first, so that a client offering one gets it (after a HelloRetryRequest when it
/// sent no share for it, RFC 8446 §4.1.4), then the classic curves, pure ML-KEM, and last the
/// RFC 7919 groups (`groups::server_preference13` keeps those last whatever the order).
pub fn default_server_groups() -> Vec<NamedGroup> {
    let mut groups = vec![
        NamedGroup::X25519MLKEM768,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
        NamedGroup::X25519,
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
        NamedGroup::SECP521R1,
        NamedGroup::X448,
        NamedGroup::MLKEM768,
        NamedGroup::MLKEM1024,
        NamedGroup::MLKEM512,
    ];
    groups.extend(all_ffdhe_groups());
    groups
}

/// Every RFC 7919 group, smallest first: what `listen` offers with DHE suites and, after its
/// other groups, in TLS 1.3.
pub fn all_ffdhe_groups() -> Vec<NamedGroup> {
    vec![
        NamedGroup::FFDHE2048,
        NamedGroup::FFDHE3072,
        NamedGroup::FFDHE4096,
        NamedGroup::FFDHE6144,
        NamedGroup::FFDHE8192,
    ]
}

/// TLS 1.3 and 1.2; TLS 1.0 and 1.1 are never enabled by default (RFC 8996), only on request.
pub fn default_versions() -> Vec<ProtocolVersion> {
    vec![ProtocolVersion::TLS12, ProtocolVersion::TLS13]
}

/// A client certificate chain and its key.
#[derive(Clone)]
pub struct CertifiedKey {
    pub chain: Vec<Vec<u8>>,
    pub key: Arc<SigningKey>,
}

#[derive(Clone)]
pub struct ClientConfig {
    pub versions: Vec<ProtocolVersion>,
    pub suites: Vec<CipherSuite>,
    /// supported_groups, preferred first; the first (two) get key shares
    /// (`groups::first_shares`).
    pub groups: Vec<NamedGroup>,
    pub sigalgs: Vec<SignatureScheme>,
    pub alpn: Vec<Vec<u8>>,
    pub sni: Option<String>,
    /// Put secret values into `Keys` events (for the key log and the byte view).
    pub reveal_secrets: bool,
    /// Ask for a stapled OCSP response (status_request).
    pub status_request: bool,
    pub verifier: Option<Arc<dyn ChainVerifier>>,
    pub client_cert: Option<CertifiedKey>,
    /// A session to resume.
    pub resume: Option<ClientSession>,
    /// Offer RFC 5077 session tickets in TLS 1.2 (off: only session-id resumption).
    pub session_tickets: bool,
    /// Accept DHE primes of 512 to 1023 bits (still flagged weak); set by `-k`.
    pub allow_weak_dh: bool,
    /// 0-RTT data to send (RFC 8446 §2.3) when `resume` is a TLS 1.3 ticket that allows
    /// early data; the caller keeps it within the ticket's max_early_data_size.
    pub early_data: Option<Vec<u8>>,
    /// TLS 1.3: offer post_handshake_auth (RFC 8446 §4.2.6) and answer a CertificateRequest
    /// after the handshake with `client_cert` (or an empty Certificate without one).
    pub post_handshake_auth: bool,
    /// Offer record_size_limit with this value (RFC 8449), and max_fragment_length too when
    /// it is 512, 1024, 2048 or 4096 (RFC 6066 §4).
    pub record_size_limit: Option<u16>,
    /// Split TLS 1.0 CBC application data 1/n-1 (RFC 7457 §2.1).
    pub split_records: bool,
    /// Add TLS_FALLBACK_SCSV to the offered suites (RFC 7507 §4).
    pub fallback_scsv: bool,
    /// Offer encrypt_then_mac with CBC suites (RFC 7366); off only for scan's probe of
    /// MAC-then-encrypt padding checks (poodle_tls).
    pub encrypt_then_mac: bool,
    /// An external PSK to offer (TLS 1.3 pre_shared_key, TLS 1.2 PSK suites).
    pub psk: Option<ExternalPsk>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            versions: default_versions(),
            suites: suite_params::default_suites(),
            groups: default_client_groups(),
            sigalgs: default_sigalgs(),
            alpn: vec![],
            sni: None,
            reveal_secrets: false,
            status_request: true,
            verifier: None,
            client_cert: None,
            resume: None,
            session_tickets: true,
            allow_weak_dh: false,
            early_data: None,
            post_handshake_auth: false,
            record_size_limit: None,
            split_records: true,
            fallback_scsv: false,
            encrypt_then_mac: true,
            psk: None,
        }
    }
}

/// Whether and when a server asks for a client certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    #[default]
    None,
    /// In the handshake; an empty Certificate is accepted.
    Request,
    /// In the handshake; an empty Certificate ends it.
    Require,
    /// TLS 1.3 after the handshake (RFC 8446 §4.6.2), to clients that offered
    /// post_handshake_auth, when the server asks (`Connection::request_client_certificate`);
    /// `required`: an empty Certificate is certificate_required (§4.4.2.4).
    PostHandshake { required: bool },
}

impl ClientAuth {
    /// Whether the CertificateRequest goes in the handshake (TLS 1.2 and 1.3).
    pub fn in_handshake(self) -> bool {
        matches!(self, ClientAuth::Request | ClientAuth::Require)
    }

    /// Whether an empty client Certificate is refused.
    pub fn required(self) -> bool {
        matches!(
            self,
            ClientAuth::Require | ClientAuth::PostHandshake { required: true }
        )
    }
}

#[derive(Clone)]
pub struct ServerConfig {
    pub versions: Vec<ProtocolVersion>,
    /// Suites in the server's preference order.
    pub suites: Vec<CipherSuite>,
    /// Groups in the server's preference order: all of them for TLS 1.3 (the finite-field
    /// ones after the others, `groups::server_preference13`), the curves among them for TLS 1.2
    /// ECDHE (`groups::ecdhe_in_tls12`).
    pub groups: Vec<NamedGroup>,
    pub sigalgs: Vec<SignatureScheme>,
    pub alpn: Vec<Vec<u8>>,
    /// The preferred certificate (and the one `ocsp` belongs to).
    pub cert: CertifiedKey,
    /// More certificates, used when `cert` suits none of the client's suites or signature
    /// algorithms (e.g. an RSA certificate beside an ECDSA one, as `openssl s_server -dcert`).
    pub alt_certs: Vec<CertifiedKey>,
    pub reveal_secrets: bool,
    pub sessions: Arc<SessionStore>,
    pub client_auth: ClientAuth,
    pub client_verifier: Option<Arc<dyn ChainVerifier>>,
    /// A DER OCSP response to staple.
    pub ocsp: Option<Vec<u8>>,
    /// Tickets sent after a TLS 1.3 handshake.
    pub tickets: usize,
    /// Fast (non-reproducible) ECDSA P-256 signing; listen sets it, tests leave it off.
    pub fast_signer: Option<Arc<crate::crypto::fast_sign::FastP256>>,
    /// Fast (non-reproducible) ephemeral ECDHE keys from ring (`crypto::fast_kx`); listen sets
    /// it, tests leave it off so that seeded handshakes stay reproducible.
    pub fast_kx: bool,
    /// Finite-field groups offered with TLS 1.0-1.2 DHE suites (RFC 7919), preferred first;
    /// empty disables DHE. (TLS 1.3 takes its finite-field groups from `groups`.)
    pub dhe_groups: Vec<NamedGroup>,
    /// Honour the client's encrypt_then_mac request for CBC suites (RFC 7366).
    pub encrypt_then_mac: bool,
    /// What to do with the client's server_name (RFC 6066 §3).
    pub sni: SniPolicy,
    /// 0-RTT (RFC 8446 §4.2.10): tickets announce this max_early_data_size and early data
    /// is accepted once per ticket (§8.1); None: early data is always refused (skipped).
    pub max_early_data: Option<u32>,
    /// Our record_size_limit (RFC 8449 §4), answered to clients that offer the extension;
    /// None: the protocol's largest (2^14, or 2^14 + 1 in TLS 1.3).
    pub record_size_limit: Option<u16>,
    /// Split TLS 1.0 CBC application data 1/n-1 (RFC 7457 §2.1).
    pub split_records: bool,
    /// An external PSK clients may use (TLS 1.3 pre_shared_key, TLS 1.2 PSK suites).
    pub psk: Option<ExternalPsk>,
}

/// The server's handling of the client's server_name extension (RFC 6066 §3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SniPolicy {
    /// Serve any name (and none), acknowledging a name with an empty server_name.
    #[default]
    Any,
    /// Serve only this DNS name (compared case-insensitively) or clients sending none; another
    /// name ends the handshake with a fatal unrecognized_name alert.
    Only(String),
    /// Act as if the client had sent no server_name.
    Ignore,
}

impl ServerConfig {
    pub fn new(cert: CertifiedKey) -> ServerConfig {
        ServerConfig {
            versions: default_versions(),
            suites: suite_params::server_suites(),
            groups: default_server_groups(),
            sigalgs: default_sigalgs(),
            alpn: vec![],
            cert,
            alt_certs: vec![],
            reveal_secrets: false,
            sessions: Arc::new(SessionStore::new()),
            client_auth: ClientAuth::None,
            client_verifier: None,
            ocsp: None,
            tickets: 2,
            fast_signer: None,
            fast_kx: false,
            dhe_groups: vec![NamedGroup::FFDHE2048],
            encrypt_then_mac: true,
            sni: SniPolicy::Any,
            max_early_data: None,
            record_size_limit: None,
            split_records: true,
            psk: None,
        }
    }
}
