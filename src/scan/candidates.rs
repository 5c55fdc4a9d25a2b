//! What a scan offers: the candidate suites of each version, split into hellos, and the
//! groups probed in TLS 1.3 (RFC 8446 §4.2.7), in the scanner's order.

use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::suites::{Auth, CipherSuite, Kx, Strength, SUITES};

/// Most suites in one hello (nmap-like chunking keeps hellos under ~512 bytes).
pub const CHUNK: usize = 128;

/// Groups probed in TLS 1.3, in the scanner's order.
pub const TLS13_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519MLKEM768,
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
    NamedGroup::SECP521R1,
    NamedGroup::X448,
    NamedGroup::FFDHE2048,
    NamedGroup::FFDHE3072,
    NamedGroup::FFDHE4096,
    NamedGroup::FFDHE6144,
    NamedGroup::FFDHE8192,
    NamedGroup::SECP256R1MLKEM768,
    NamedGroup::SECP384R1MLKEM1024,
    NamedGroup::MLKEM768,
    NamedGroup::MLKEM1024,
    NamedGroup::MLKEM512,
    NamedGroup::BRAINPOOLP256R1TLS13,
    NamedGroup::BRAINPOOLP384R1TLS13,
    NamedGroup::BRAINPOOLP512R1TLS13,
];

/// The candidate suites for a version, in probing order, split into hellos.
pub fn suite_chunks(v: ProtocolVersion) -> Vec<Vec<CipherSuite>> {
    if v == ProtocolVersion::TLS13 {
        return vec![SUITES
            .iter()
            .filter(|s| s.tls13)
            .map(|s| s.suite())
            .collect()];
    }
    let minor = v.0.saturating_sub(0x0300) as u8;
    let mut c: Vec<_> = SUITES
        .iter()
        .filter(|s| !s.tls13 && s.min_minor <= minor)
        .collect();
    // Common suites first (certificate-authenticated RSA/DHE/ECDHE, strong before weak),
    // so typical servers are covered by the first hello.
    let rank = |s: &crate::wire::suites::SuiteInfo| {
        let common = matches!(s.kx, Kx::Rsa | Kx::Dhe | Kx::Ecdhe)
            && matches!(s.auth, Auth::Rsa | Auth::Ecdsa | Auth::Dss | Auth::Anon);
        let st = match s.strength {
            Strength::Strong => 0,
            Strength::Weak => 1,
            Strength::Insecure => 2,
        };
        (u8::from(!common), st)
    };
    c.sort_by_key(|s| (rank(s), s.id));
    c.chunks(CHUNK)
        .map(|ch| {
            let mut v: Vec<CipherSuite> = ch.iter().map(|s| s.suite()).collect();
            v.sort();
            v
        })
        .collect()
}
