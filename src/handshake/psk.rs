//! External pre-shared keys, both roles: what is configured (identity, key, key exchange
//! mode; RFC 8446 §4.2.9, §4.2.11, RFC 4279 §2) and how the PSK a handshake uses is reported.

use std::fmt;

use zeroize::Zeroizing;

use crate::crypto::hash::HashAlg;
use crate::wire::codepoints::PskKeyExchangeMode;

/// An external PSK, provisioned out of band (RFC 8446 §4.2.11, RFC 4279 §2).
#[derive(Clone)]
pub struct ExternalPsk {
    /// The identity sent in pre_shared_key (TLS 1.3) or ClientKeyExchange (TLS 1.2).
    pub identity: Vec<u8>,
    /// The key; zeroed when dropped, never printed.
    pub key: Zeroizing<Vec<u8>>,
    /// TLS 1.3: the client offers only this mode; the server prefers it and accepts the
    /// other when the client offers only that (RFC 8446 §4.2.9).
    pub mode: PskKeyExchangeMode,
}

impl ExternalPsk {
    pub fn new(identity: Vec<u8>, key: Vec<u8>, mode: PskKeyExchangeMode) -> ExternalPsk {
        ExternalPsk {
            identity,
            key: Zeroizing::new(key),
            mode,
        }
    }

    /// RFC 8446 §4.2.11: an external PSK without an associated hash uses SHA-256 (as
    /// OpenSSL's `-psk` does, with TLS_AES_128_GCM_SHA256).
    pub fn hash(&self) -> HashAlg {
        HashAlg::Sha256
    }

    /// Whether a client's identity names this PSK.
    pub fn named(&self, identity: &[u8]) -> bool {
        self.identity == identity
    }
}

impl fmt::Debug for ExternalPsk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalPsk")
            .field("identity", &identity_text(&self.identity))
            .field("key", &format_args!("<{} bytes>", self.key.len()))
            .field("mode", &self.mode)
            .finish()
    }
}

/// Where the PSK of a handshake comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PskKind {
    /// Configured out of band (`--psk`).
    External,
    /// A ticket from an earlier connection (RFC 8446 §4.6.1).
    Resumption,
}

impl PskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PskKind::External => "external",
            PskKind::Resumption => "resumption",
        }
    }
}

/// The PSK a handshake uses, as reported (never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PskUse {
    pub kind: PskKind,
    /// The external identity (printable text, else hex); none for a ticket.
    pub identity: Option<String>,
    /// TLS 1.3's key exchange mode (none in TLS 1.2, where the suite says it).
    pub mode: Option<PskKeyExchangeMode>,
}

impl PskUse {
    pub fn external(psk: &ExternalPsk, mode: Option<PskKeyExchangeMode>) -> PskUse {
        PskUse {
            kind: PskKind::External,
            identity: Some(identity_text(&psk.identity)),
            mode,
        }
    }

    pub fn resumption(mode: PskKeyExchangeMode) -> PskUse {
        PskUse {
            kind: PskKind::Resumption,
            identity: None,
            mode: Some(mode),
        }
    }
}

impl fmt::Display for PskUse {
    /// e.g. `external PSK "Client_identity", psk_dhe_ke` or `resumption PSK (our ticket), psk_ke`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.identity {
            Some(id) => write!(f, "{} PSK \"{id}\"", self.kind.as_str())?,
            None => write!(f, "{} PSK (ticket)", self.kind.as_str())?,
        }
        if let Some(m) = self.mode {
            write!(f, ", {m}")?;
        }
        Ok(())
    }
}

/// RFC 4279 §2: the TLS 1.2 pre-master secret, `other_secret` and the PSK each with a
/// uint16 length: N zero bytes for plain PSK (N = the PSK's length), Z for DHE-PSK (§3), the
/// ECDH x-coordinate for ECDHE-PSK (RFC 5489 §2).
pub fn tls12_premaster(other_secret: Option<&[u8]>, psk: &[u8]) -> Zeroizing<Vec<u8>> {
    let zeros = vec![0u8; psk.len()];
    let other = other_secret.unwrap_or(&zeros);
    let mut pm = Zeroizing::new(Vec::with_capacity(4 + other.len() + psk.len()));
    pm.extend_from_slice(&(other.len() as u16).to_be_bytes());
    pm.extend_from_slice(other);
    pm.extend_from_slice(&(psk.len() as u16).to_be_bytes());
    pm.extend_from_slice(psk);
    pm
}

/// An identity as text when it is printable ASCII, else as hex.
pub fn identity_text(identity: &[u8]) -> String {
    if !identity.is_empty() && identity.iter().all(|b| (0x20..0x7f).contains(b)) {
        String::from_utf8_lossy(identity).into_owned()
    } else {
        identity.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// RFC 8446 §4.2.9: the mode a server uses when the client offers `offered`: its preferred
/// one when offered, else the other; psk_dhe_ke needs a key_share (`can_dhe`).
pub fn server_mode(
    preferred: PskKeyExchangeMode,
    offered: &[PskKeyExchangeMode],
    can_dhe: bool,
) -> Option<PskKeyExchangeMode> {
    let usable = |m: &PskKeyExchangeMode| {
        offered.contains(m) && (*m != PskKeyExchangeMode::PSK_DHE_KE || can_dhe)
    };
    let other = if preferred == PskKeyExchangeMode::PSK_KE {
        PskKeyExchangeMode::PSK_DHE_KE
    } else {
        PskKeyExchangeMode::PSK_KE
    };
    [preferred, other].into_iter().find(usable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_words() {
        use PskKeyExchangeMode as M;
        assert_eq!(
            server_mode(M::PSK_DHE_KE, &[M::PSK_KE, M::PSK_DHE_KE], true),
            Some(M::PSK_DHE_KE)
        );
        assert_eq!(
            server_mode(M::PSK_DHE_KE, &[M::PSK_KE, M::PSK_DHE_KE], false),
            Some(M::PSK_KE)
        );
        assert_eq!(
            server_mode(M::PSK_KE, &[M::PSK_DHE_KE], true),
            Some(M::PSK_DHE_KE)
        );
        assert_eq!(server_mode(M::PSK_DHE_KE, &[M::PSK_DHE_KE], false), None);
        let psk = ExternalPsk::new(b"Client_identity".to_vec(), vec![1; 16], M::PSK_DHE_KE);
        assert!(!format!("{psk:?}").contains("01, 01"));
        let u = PskUse::external(&psk, Some(M::PSK_DHE_KE));
        assert_eq!(
            u.to_string(),
            "external PSK \"Client_identity\", psk_dhe_ke"
        );
        assert_eq!(identity_text(&[0, 0xff]), "00ff");
        assert_eq!(
            &tls12_premaster(None, &[7, 7])[..],
            &[0, 2, 0, 0, 0, 2, 7, 7]
        );
        assert_eq!(&tls12_premaster(Some(&[1]), &[7])[..], &[0, 1, 1, 0, 1, 7]);
    }
}
