//! Client certificates: whether the server asks for one (CertificateRequest, RFC 5246
//! §7.4.4, RFC 8446 §4.3.2), whether it insists, and what it accepts.

/// How the server treats client certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthMode {
    None,
    Optional,
    Required,
}

impl ClientAuthMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuthMode::None => "none",
            ClientAuthMode::Optional => "optional",
            ClientAuthMode::Required => "required",
        }
    }
}

/// What the CertificateRequest said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAuth {
    pub mode: ClientAuthMode,
    /// The distinguished names of acceptable CAs, as text.
    pub ca_names: Vec<String>,
    /// The signature schemes named, e.g. "ecdsa_secp256r1_sha256".
    pub signature_algorithms: Vec<String>,
}
