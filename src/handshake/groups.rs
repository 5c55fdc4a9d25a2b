//! Which key-exchange groups each protocol version may use, in which order a server looks at
//! them, and which of a client's groups get a key share in its first ClientHello (RFC 8446
//! §4.2.7, §4.2.8; RFC 8422 §5.1.1; RFC 7919 §4; draft-ietf-tls-ecdhe-mlkem and
//! draft-connolly-tls-mlkem-key-agreement, which define the ML-KEM groups for TLS 1.3 only).

use crate::crypto::kx;
use crate::handshake::config::ServerConfig;
use crate::wire::codepoints::NamedGroup;

/// The curves ECDHE may use in TLS 1.0-1.2 (RFC 8422 §5.1.1: secp256r1, secp384r1, secp521r1,
/// x25519, x448). The ML-KEM groups, pure and hybrid, are defined for TLS 1.3 only and never
/// negotiated below it; the finite-field groups belong to DHE suites (RFC 7919).
pub fn ecdhe_in_tls12(g: NamedGroup) -> bool {
    matches!(
        g,
        NamedGroup::SECP256R1
            | NamedGroup::SECP384R1
            | NamedGroup::SECP521R1
            | NamedGroup::X25519
            | NamedGroup::X448
    )
}

/// Whether TLS 1.3 can use `g` here (RFC 8446 §4.2.7): every group `crypto::kx` implements
/// (ECDHE, the RFC 7919 groups, pure and hybrid ML-KEM).
pub fn usable_in_tls13(g: NamedGroup) -> bool {
    kx::supports(g)
}

/// An RFC 7919 finite-field group code point (0x0100-0x01FF, known or not).
pub fn is_ffdhe(g: NamedGroup) -> bool {
    (0x0100..0x0200).contains(&g.0)
}

/// The groups a TLS 1.2-only ClientHello lists: those TLS 1.2 can use (ECDHE curves and
/// finite-field groups), without the TLS 1.3-only ML-KEM groups.
pub fn offered_in_tls12(groups: &[NamedGroup]) -> Vec<NamedGroup> {
    groups
        .iter()
        .copied()
        .filter(|g| ecdhe_in_tls12(*g) || is_ffdhe(*g))
        .collect()
}

/// The groups a client's first ClientHello sends key shares for (RFC 8446 §4.2.8: a client
/// "MAY send" shares for some of its groups, in its preference order): its first group TLS
/// 1.3 can use and, when that one is a KEM (large, and unknown to many servers), also its
/// first Diffie-Hellman group, as browsers send an X25519 share beside X25519MLKEM768.
pub fn first_shares(groups: &[NamedGroup]) -> Vec<NamedGroup> {
    let mut usable = groups.iter().copied().filter(|g| usable_in_tls13(*g));
    let Some(first) = usable.next() else {
        return vec![];
    };
    let mut shares = vec![first];
    if kx::is_kem(first) {
        shares.extend(usable.find(|g| !kx::is_kem(*g)));
    }
    shares
}

/// A server's TLS 1.3 preference (RFC 8446 §4.2.7): its groups in their order, the RFC 7919
/// finite-field groups moved after the others (TLS 1.3 uses them only when no other group is
/// in common), each once, only those it can use.
pub fn server_preference13(config: &ServerConfig) -> Vec<NamedGroup> {
    let mut order: Vec<NamedGroup> = vec![];
    let (ff, other): (Vec<NamedGroup>, Vec<NamedGroup>) =
        config.groups.iter().copied().partition(|g| is_ffdhe(*g));
    for g in other.into_iter().chain(ff) {
        if usable_in_tls13(g) && !order.contains(&g) {
            order.push(g);
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use NamedGroup as G;

    #[test]
    fn a_kem_first_gets_a_diffie_hellman_share_beside_it() {
        assert_eq!(
            first_shares(&[G::X25519MLKEM768, G::X25519, G::SECP256R1]),
            vec![G::X25519MLKEM768, G::X25519]
        );
        assert_eq!(
            first_shares(&[G::SECP256R1MLKEM768, G::MLKEM768, G::SECP256R1]),
            vec![G::SECP256R1MLKEM768, G::SECP256R1]
        );
        assert_eq!(first_shares(&[G::X25519MLKEM768]), vec![G::X25519MLKEM768]);
        assert_eq!(
            first_shares(&[G::X25519, G::X25519MLKEM768]),
            vec![G::X25519]
        );
        assert_eq!(first_shares(&[G(0x1234), G::FFDHE2048]), vec![G::FFDHE2048]);
        assert!(first_shares(&[G::SECT163K1]).is_empty());
    }

    #[test]
    fn tls12_never_sees_an_ml_kem_group() {
        let all = [
            G::X25519MLKEM768,
            G::X25519,
            G::MLKEM768,
            G::SECP521R1,
            G::X448,
            G::FFDHE2048,
        ];
        assert_eq!(
            offered_in_tls12(&all),
            vec![G::X25519, G::SECP521R1, G::X448, G::FFDHE2048]
        );
        assert!(!ecdhe_in_tls12(G::SECP256R1MLKEM768));
        assert!(!ecdhe_in_tls12(G::FFDHE2048));
    }

    #[test]
    fn finite_field_groups_come_after_the_others_in_tls13() {
        let mut config = ServerConfig::new(crate::inmem::self_signed("localhost"));
        config.groups = vec![G::FFDHE3072, G::X25519, G(0x1234), G::X25519, G::MLKEM768];
        config.dhe_groups = vec![G::FFDHE2048];
        assert_eq!(
            server_preference13(&config),
            vec![G::X25519, G::MLKEM768, G::FFDHE3072]
        );
    }
}
