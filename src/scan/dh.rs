//! Finite-field Diffie-Hellman strength: the size of the DHE prime a server uses and whether
//! it is a well-known group (RFC 7919 ffdhe, RFC 3526 MODP, common server defaults) or custom.

/// The DHE parameters of the weakest DHE key exchange seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhInfo {
    /// Size of the prime in bits.
    pub bits: usize,
    /// The well-known group's name (e.g. "ffdhe2048"), or "custom".
    pub group: String,
}
