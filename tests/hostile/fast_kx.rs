//! The server with ring's ephemeral keys (`ServerConfig::fast_kx`, as `listen` runs it):
//! complete handshakes for every group and both versions, and the same illegal_parameter
//! alerts as the RustCrypto keys for low-order X25519 and off-curve P-256 client shares.

use tlsprobe::crypto::kx::SUPPORTED_GROUPS;
use tlsprobe::error::Alert;
use tlsprobe::handshake::config::ClientConfig;
use tlsprobe::inmem::Pair;
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup};
use tlsprobe::wire::extensions::ExtBody;

use crate::common::scripted::*;

fn fast_peers(cc: ClientConfig, group: NamedGroup) -> Pair {
    peers_with(with_groups(cc, &[group]), |s| s.fast_kx = true)
}

fn low_order_x25519() -> [Vec<u8>; 2] {
    let mut one = vec![0u8; 32];
    one[0] = 1; // u = 1, a low-order point
    [vec![0u8; 32], one]
}

#[test]
fn fast_kx_handshakes_complete_for_every_group_and_version() {
    for &g in SUPPORTED_GROUPS {
        let mut p = fast_peers(cc13(), g);
        p.complete();
        // TLS 1.2: the server's ECDSA P-256 certificate needs P-256 offered too; the server
        // prefers the client's first group for ECDHE.
        let mut p = peers_with(with_groups(cc12(), &[g, NamedGroup::SECP256R1]), |s| {
            s.fast_kx = true
        });
        p.complete();
    }
}

#[test]
fn fast_kx_tls13_bad_client_shares_are_illegal_parameter() {
    let cases: Vec<(NamedGroup, Vec<u8>)> = low_order_x25519()
        .into_iter()
        .map(|s| (NamedGroup::X25519, s))
        .chain([
            (NamedGroup::SECP256R1, off_curve_p256()),
            (NamedGroup::X25519, vec![9u8; 31]),
        ])
        .collect();
    for (group, share) in cases {
        let mut p = fast_peers(cc13(), group);
        let bytes = modified_hello(&mut p, |ch| {
            set_ext(
                &mut ch.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(group, share.clone())]),
            )
        });
        let r = p.server.feed(&bytes);
        expect_plain(&mut p.server, r, Alert::IllegalParameter);
    }
}

#[test]
fn fast_kx_tls12_bad_client_key_exchange_is_illegal_parameter() {
    let cases: Vec<(NamedGroup, Vec<u8>)> = low_order_x25519()
        .into_iter()
        .map(|s| (NamedGroup::X25519, s))
        .chain([(NamedGroup::SECP256R1, off_curve_p256())])
        .collect();
    for (group, share) in cases {
        // The server's ECDSA P-256 certificate needs P-256 offered too (RFC 8422 §5.1).
        let mut p = peers_with(with_groups(cc12(), &[group, NamedGroup::SECP256R1]), |s| {
            s.fast_kx = true
        });
        let f1 = flight12(&mut p);
        let cf = p.to_client(&join(&f1));
        assert_eq!(cf[0].hs_type(), Some(16));
        let mut body = vec![share.len() as u8];
        body.extend_from_slice(&share);
        let cke = Rec::new(HS, raw_msg(16, &body));
        let r = p.server.feed(&cke.bytes());
        expect_plain(&mut p.server, r, Alert::IllegalParameter);
    }
}
