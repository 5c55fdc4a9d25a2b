//! Hostile ML-KEM key shares in both roles (issue 14): a hybrid share of the wrong length
//! (draft-ietf-tls-ecdhe-mlkem: the parts have fixed sizes), an ML-KEM encapsulation key or
//! ciphertext of the wrong length, an encapsulation key failing FIPS 203 §7.2's modulus
//! check, an ECDHE half off the curve (RFC 8446 §4.2.8.2) or with an all-zero X25519 result
//! (§7.4.2). Each is illegal_parameter, sent in the clear, with an error naming the group
//! and the part. The shares tampered with are the real ones the peer sent. The server runs
//! both ways: its own keys from its seeded generator, and as listen runs it (`fast_kx`:
//! libcrux-ml-kem and ring's ECDHE keys).

use tlsprobe::crypto::kx::{share_parts, ShareFrom};
use tlsprobe::error::{Alert, TlsError};
use tlsprobe::wire::codepoints::{ExtensionType as ET, NamedGroup};
use tlsprobe::wire::extensions::{find, ExtBody};
use tlsprobe::wire::handshake::HandshakeMessage as HM;

use crate::client_steps::feed_server_hello;
use crate::common::scripted::*;

const HYBRIDS: [NamedGroup; 3] = [
    NamedGroup::X25519MLKEM768,
    NamedGroup::SECP256R1MLKEM768,
    NamedGroup::SECP384R1MLKEM1024,
];

/// How a share is spoiled, and what the error must name.
#[derive(Debug, Clone, Copy)]
enum Spoil {
    /// One byte short.
    Short,
    /// One byte too many.
    Long,
    /// The ECDHE half off the curve (P-256/P-384: y changed) or all zero (X25519: the
    /// all-zero result of RFC 7748 §6.1).
    BadEcdh,
    /// The first ML-KEM coefficient set to 4095, at least q = 3329 (client's key only).
    KeyModulus,
}

/// The byte range of the part of `share` whose label contains `what`.
fn part(group: NamedGroup, share: &[u8], from: ShareFrom, what: &str) -> std::ops::Range<usize> {
    share_parts(group, share, from)
        .into_iter()
        .find(|p| p.label.contains(what))
        .unwrap_or_else(|| panic!("{group}: no part labelled {what}"))
        .range
}

/// `share` (well formed, from `from`) spoiled as `how`; the words the error must contain.
fn spoiled(group: NamedGroup, share: &[u8], from: ShareFrom, how: Spoil) -> (Vec<u8>, String) {
    let mut s = share.to_vec();
    let name = group.to_string();
    let words = match how {
        Spoil::Short => {
            s.pop();
            name
        }
        Spoil::Long => {
            s.push(0);
            name
        }
        Spoil::BadEcdh => {
            let r = part(group, share, from, "public");
            if r.len() == 32 {
                s[r].fill(0);
            } else {
                s[r.end - 1] ^= 1;
            }
            let curve = share_parts(group, share, from)
                .into_iter()
                .find(|p| p.label.contains("public"))
                .map(|p| p.label.split(' ').next().unwrap().to_string())
                .unwrap();
            format!("{name}: the {curve} part")
        }
        Spoil::KeyModulus => {
            let r = part(group, share, from, "encapsulation key");
            s[r.start] = 0xff;
            s[r.start + 1] |= 0x0f;
            name
        }
    };
    (s, words)
}

/// The error must be an illegal_parameter whose message contains `words`; then the usual
/// checks of a fatal alert in the clear.
fn refused(conn: &mut tlsprobe::handshake::Connection, r: Result<(), TlsError>, words: &str) {
    if let Err(e) = &r {
        assert!(e.message.contains(words), "{e} should name {words}");
    }
    expect_plain(conn, r, Alert::IllegalParameter);
}

#[test]
fn server_refuses_spoiled_client_shares() {
    let mut cases: Vec<(NamedGroup, Spoil)> = vec![];
    for g in HYBRIDS {
        for how in [Spoil::Short, Spoil::Long, Spoil::BadEcdh, Spoil::KeyModulus] {
            cases.push((g, how));
        }
    }
    for g in [
        NamedGroup::MLKEM512,
        NamedGroup::MLKEM768,
        NamedGroup::MLKEM1024,
    ] {
        for how in [Spoil::Short, Spoil::Long, Spoil::KeyModulus] {
            cases.push((g, how));
        }
    }
    for ((group, how), fast) in cases.into_iter().flat_map(|c| [(c, false), (c, true)]) {
        let mut p = peers_with(with_groups(cc13(), &[group]), |s| s.fast_kx = fast);
        let mut words = String::new();
        let bytes = modified_hello(&mut p, |ch| {
            let share = match find(&ch.extensions, ET::KEY_SHARE).map(|e| &e.body) {
                Some(ExtBody::KeyShareClient(s)) if s.len() == 1 && s[0].0 == group => {
                    s[0].1.clone()
                }
                other => panic!("{group}: the client sent {other:?}"),
            };
            let (bad, w) = spoiled(group, &share, ShareFrom::Client, how);
            words = w;
            set_ext(
                &mut ch.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(group, bad)]),
            )
        });
        let r = p.server.feed(&bytes);
        refused(&mut p.server, r, &words);
    }
}

#[test]
fn client_refuses_spoiled_server_shares() {
    let mut cases: Vec<(NamedGroup, Spoil)> = vec![];
    for g in HYBRIDS {
        for how in [Spoil::Short, Spoil::Long, Spoil::BadEcdh] {
            cases.push((g, how));
        }
    }
    for g in [
        NamedGroup::MLKEM512,
        NamedGroup::MLKEM768,
        NamedGroup::MLKEM1024,
    ] {
        // A ciphertext of the wrong length (one of the right length but garbage is not
        // refused here: ML-KEM's implicit rejection gives another secret, FIPS 203 §6.3).
        for how in [Spoil::Short, Spoil::Long] {
            cases.push((g, how));
        }
    }
    for (group, how) in cases {
        let mut p = peers(with_groups(cc13(), &[group]));
        let recs = p.first_flight();
        let mut sh = server_hello(&recs[0]);
        let share = match find(&sh.extensions, ET::KEY_SHARE).map(|e| &e.body) {
            Some(ExtBody::KeyShareServer(g, k)) if *g == group => k.clone(),
            other => panic!("{group}: the server answered {other:?}"),
        };
        let (bad, words) = spoiled(group, &share, ShareFrom::Server, how);
        set_ext(
            &mut sh.extensions,
            ET::KEY_SHARE,
            ExtBody::KeyShareServer(group, bad),
        );
        let r = feed_server_hello(&mut p, sh);
        refused(&mut p.client, r, &words);
    }
}

#[test]
fn well_formed_kem_shares_complete_in_both_roles() {
    // The same pairs untouched: every ML-KEM group completes, so the refusals above are
    // the spoiling's doing.
    for group in HYBRIDS.into_iter().chain([
        NamedGroup::MLKEM512,
        NamedGroup::MLKEM768,
        NamedGroup::MLKEM1024,
    ]) {
        for fast in [false, true] {
            let mut p = peers_with(with_groups(cc13(), &[group]), |s| s.fast_kx = fast);
            p.complete();
            assert_eq!(
                p.client.summary().and_then(|s| s.group),
                Some(group),
                "{group}"
            );
        }
    }
}

#[test]
fn a_wrong_ciphertext_of_the_right_length_fails_at_the_first_encrypted_record() {
    // FIPS 203 §6.3 implicit rejection: decapsulating a changed ciphertext gives another
    // secret, not an error, so the ServerHello is accepted and the client cannot open the
    // server's next record: bad_record_mac (RFC 8446 §5.2).
    for group in [NamedGroup::X25519MLKEM768, NamedGroup::MLKEM768] {
        let mut p = peers(with_groups(cc13(), &[group]));
        let mut recs = p.first_flight();
        let mut sh = server_hello(&recs[0]);
        let mut share = match find(&sh.extensions, ET::KEY_SHARE).map(|e| &e.body) {
            Some(ExtBody::KeyShareServer(_, k)) => k.clone(),
            other => panic!("{other:?}"),
        };
        let ct = part(group, &share, ShareFrom::Server, "ciphertext");
        share[ct.start + 5] ^= 0x40;
        set_ext(
            &mut sh.extensions,
            ET::KEY_SHARE,
            ExtBody::KeyShareServer(group, share),
        );
        recs[0] = Rec::new(HS, HM::ServerHello(sh).encode());
        let r = p.client.feed(&recs[0].bytes());
        assert!(
            r.is_ok(),
            "{group}: the ServerHello itself is accepted: {r:?}"
        );
        let r = p.client.feed(&join(&recs[1..]));
        expect_fatal(&mut p.client, r, Alert::BadRecordMac);
    }
}
