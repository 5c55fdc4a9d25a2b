//! What a key share and a shared secret are made of, per group, for the trace and the byte
//! view: each part's label and byte range (the ML-KEM encapsulation key or ciphertext and the
//! ECDHE share of a hybrid, in the draft's order; one part for the other groups).

use std::ops::Range;

use super::{ecdh, ffdhe13, hybrid, mlkem, ShareFrom};
use crate::wire::codepoints::NamedGroup;

/// One part of a key share or shared secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePart {
    /// What the part is, e.g. "ML-KEM-768 encapsulation key" or "x25519 public key".
    pub label: &'static str,
    /// Where it is, in bytes from the start of the share (or secret).
    pub range: Range<usize>,
}

/// What one part of a share or secret holds.
#[derive(Debug, Clone, Copy)]
enum Part {
    EcdhShare(NamedGroup),
    EcdhSecret(NamedGroup),
    FfdheShare(NamedGroup),
    FfdheSecret(NamedGroup),
    KemKey(mlkem::Level),
    KemCiphertext(mlkem::Level),
    KemSecret(mlkem::Level),
}

impl Part {
    fn len(self) -> usize {
        match self {
            Part::EcdhShare(g) => ecdh::share_len(g).unwrap_or(0),
            Part::EcdhSecret(g) => ecdh::secret_len(g).unwrap_or(0),
            Part::FfdheShare(g) | Part::FfdheSecret(g) => ffdhe13::prime_len(g).unwrap_or(0),
            Part::KemKey(l) => l.ek_len(),
            Part::KemCiphertext(l) => l.ct_len(),
            Part::KemSecret(_) => mlkem::SECRET_LEN,
        }
    }

    fn label(self) -> &'static str {
        use mlkem::Level::*;
        use NamedGroup as G;
        match self {
            Part::EcdhShare(G::X25519) => "x25519 public key",
            Part::EcdhShare(G::X448) => "x448 public key",
            Part::EcdhShare(G::SECP256R1) => "secp256r1 public point (uncompressed)",
            Part::EcdhShare(G::SECP384R1) => "secp384r1 public point (uncompressed)",
            Part::EcdhShare(_) => "secp521r1 public point (uncompressed)",
            Part::EcdhSecret(G::X25519) => "x25519 shared secret",
            Part::EcdhSecret(G::X448) => "x448 shared secret",
            Part::EcdhSecret(G::SECP256R1) => "secp256r1 shared secret (x-coordinate)",
            Part::EcdhSecret(G::SECP384R1) => "secp384r1 shared secret (x-coordinate)",
            Part::EcdhSecret(_) => "secp521r1 shared secret (x-coordinate)",
            Part::FfdheShare(_) => "DH public value Y (padded to the size of p)",
            Part::FfdheSecret(_) => "DH shared secret Z (padded to the size of p)",
            Part::KemKey(MlKem512) => "ML-KEM-512 encapsulation key",
            Part::KemKey(MlKem768) => "ML-KEM-768 encapsulation key",
            Part::KemKey(MlKem1024) => "ML-KEM-1024 encapsulation key",
            Part::KemCiphertext(MlKem512) => "ML-KEM-512 ciphertext",
            Part::KemCiphertext(MlKem768) => "ML-KEM-768 ciphertext",
            Part::KemCiphertext(MlKem1024) => "ML-KEM-1024 ciphertext",
            Part::KemSecret(MlKem512) => "ML-KEM-512 shared secret",
            Part::KemSecret(MlKem768) => "ML-KEM-768 shared secret",
            Part::KemSecret(MlKem1024) => "ML-KEM-1024 shared secret",
        }
    }
}

/// The parts of a share from `from` in `group`, in order; empty for a group we do not know.
fn share_layout(group: NamedGroup, from: ShareFrom) -> Vec<Part> {
    if ecdh::share_len(group).is_some() {
        vec![Part::EcdhShare(group)]
    } else if ffdhe13::prime_len(group).is_some() {
        vec![Part::FfdheShare(group)]
    } else if let Some(level) = mlkem::Level::of(group) {
        vec![kem_share_part(level, from)]
    } else if let Some(spec) = hybrid::spec(group) {
        spec.ordered(kem_share_part(spec.level, from), Part::EcdhShare(spec.ecdh))
            .to_vec()
    } else {
        Vec::new()
    }
}

fn kem_share_part(level: mlkem::Level, from: ShareFrom) -> Part {
    match from {
        ShareFrom::Client => Part::KemKey(level),
        ShareFrom::Server => Part::KemCiphertext(level),
    }
}

/// The parts of the shared secret of `group`, in order.
fn secret_layout(group: NamedGroup) -> Vec<Part> {
    if ecdh::secret_len(group).is_some() {
        vec![Part::EcdhSecret(group)]
    } else if ffdhe13::prime_len(group).is_some() {
        vec![Part::FfdheSecret(group)]
    } else if let Some(level) = mlkem::Level::of(group) {
        vec![Part::KemSecret(level)]
    } else if let Some(spec) = hybrid::spec(group) {
        spec.ordered(Part::KemSecret(spec.level), Part::EcdhSecret(spec.ecdh))
            .to_vec()
    } else {
        Vec::new()
    }
}

fn with_ranges(parts: Vec<Part>) -> Vec<SharePart> {
    let mut start = 0;
    parts
        .into_iter()
        .map(|p| {
            let range = start..start + p.len();
            start = range.end;
            SharePart {
                label: p.label(),
                range,
            }
        })
        .collect()
}

/// The size of a well-formed key share from `from` in `group`; None for a group we do not know.
pub fn share_len(group: NamedGroup, from: ShareFrom) -> Option<usize> {
    let parts = share_layout(group, from);
    (!parts.is_empty()).then(|| parts.iter().map(|p| p.len()).sum())
}

/// The size of the shared secret of `group`; None for a group we do not know.
pub fn secret_len(group: NamedGroup) -> Option<usize> {
    let parts = secret_layout(group);
    (!parts.is_empty()).then(|| parts.iter().map(|p| p.len()).sum())
}

/// The parts of `share` (a key share from `from` in `group`), in order. A share whose length is
/// not the group's (or of a group we do not know) is one part, "key share (malformed)" or
/// "key share", covering it all.
pub fn share_parts(group: NamedGroup, share: &[u8], from: ShareFrom) -> Vec<SharePart> {
    match share_len(group, from) {
        Some(len) if len == share.len() => with_ranges(share_layout(group, from)),
        Some(_) => vec![SharePart {
            label: "key share (malformed: not the group's size)",
            range: 0..share.len(),
        }],
        None => vec![SharePart {
            label: "key share",
            range: 0..share.len(),
        }],
    }
}

/// The parts of the shared secret of `group`, in order (empty for a group we do not know).
pub fn secret_parts(group: NamedGroup) -> Vec<SharePart> {
    with_ranges(secret_layout(group))
}
