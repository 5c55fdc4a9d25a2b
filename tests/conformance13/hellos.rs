//! ClientHellos: legacy and negotiated versions, obsolete groups, bad key shares, refused
//! extension contents, thousands of unused extensions, and a second ClientHello that
//! reorders its extensions.

use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::error::Alert;
use tlsprobe::wire::codepoints::{
    ExtensionType as ET, NamedGroup, ProtocolVersion, SignatureScheme,
};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::handshake::ClientHello;
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::*;
use crate::steps::*;

/// test-tls13-legacy-version.py: a ClientHello with legacy_version 0x0300 or below is refused
/// with protocol_version even though supported_versions offers TLS 1.3 (RFC 8446 D.5).
#[test]
fn legacy_version_ssl3_or_older_is_protocol_version() {
    for v in [
        0x0300, 0x0000, 0x0200, 0x0002, 0x0100, 0x0103, 0x0102, 0x0001,
    ] {
        let mut p = peers(cc13());
        let bytes = modified_hello(&mut p, |ch| ch.version = ProtocolVersion(v));
        let r = p.server.feed(&bytes);
        expect_plain(&mut p.server, r, Alert::ProtocolVersion);
    }
}

/// test-tls13-version-negotiation.py: any record-layer version 3.0-3.3 on the ClientHello is
/// fine; supported_versions with nothing we know is protocol_version.
#[test]
fn version_negotiation() {
    for rv in [0x0300u16, 0x0301, 0x0302, 0x0303] {
        let mut p = peers(cc13());
        let mut recs = parse(&p.client.take_output());
        recs[0].ver = rv;
        flight(&mut p, &join(&recs));
    }
    let mut p = peers(cc13());
    let bytes = modified_hello(&mut p, |ch| {
        set_ext(
            &mut ch.extensions,
            ET::SUPPORTED_VERSIONS,
            ExtBody::SupportedVersionsClient(vec![ProtocolVersion(0x0309)]),
        )
    });
    let r = p.server.feed(&bytes);
    expect_plain(&mut p.server, r, Alert::ProtocolVersion);
}

/// test-tls13-obsolete-curves.py: a TLS 1.3 ClientHello offering an obsolete group
/// (RFC 8446 §4.2.7 obsolete_RESERVED) in supported_groups or key_share is illegal_parameter,
/// even next to secp256r1.
#[test]
fn obsolete_groups_are_illegal_parameter() {
    let p256 = NamedGroup::SECP256R1;
    for old in [0x0001u16, 0x0013, 0x0016, 0x001a, 0x001c, 0xff01, 0xff02] {
        let old = NamedGroup(old);
        let bogus = vec![0xab; 32];
        type Case =
            fn(NamedGroup, Vec<u8>, Vec<u8>) -> (Vec<NamedGroup>, Vec<(NamedGroup, Vec<u8>)>);
        let cases: [Case; 5] = [
            |o, b, _| (vec![o], vec![(o, b)]),
            |o, _, _| (vec![o], vec![]),
            |o, _, s| {
                (
                    vec![o, NamedGroup::SECP256R1],
                    vec![(NamedGroup::SECP256R1, s)],
                )
            },
            |o, b, s| {
                (
                    vec![o, NamedGroup::SECP256R1],
                    vec![(o, b), (NamedGroup::SECP256R1, s)],
                )
            },
            |o, b, s| {
                (
                    vec![NamedGroup::SECP256R1, o],
                    vec![(NamedGroup::SECP256R1, s), (o, b)],
                )
            },
        ];
        for case in cases {
            let mut p = peers(with_groups(cc13(), &[p256]));
            let bytes = modified_hello(&mut p, |ch| {
                let share = match tlsprobe::wire::extensions::find(&ch.extensions, ET::KEY_SHARE) {
                    Some(Extension {
                        body: ExtBody::KeyShareClient(s),
                        ..
                    }) => s[0].1.clone(),
                    _ => unreachable!("the client sends a P-256 share"),
                };
                let (groups, shares) = case(old, bogus.clone(), share);
                set_ext(
                    &mut ch.extensions,
                    ET::SUPPORTED_GROUPS,
                    ExtBody::SupportedGroups(groups),
                );
                set_ext(
                    &mut ch.extensions,
                    ET::KEY_SHARE,
                    ExtBody::KeyShareClient(shares),
                );
            });
            let r = p.server.feed(&bytes);
            expect_plain(&mut p.server, r, Alert::IllegalParameter);
        }
    }
}

/// test-tls13-crfg-curves.py: an x25519 key share that is empty, too short, too long, all
/// zero or of low order ("1") is illegal_parameter (RFC 8446 §4.2.8.2, §7.4.2).
#[test]
fn bad_x25519_shares_are_illegal_parameter() {
    let mut one = vec![0; 32];
    one[0] = 1;
    for share in [vec![], vec![55; 31], vec![55; 33], vec![0; 32], one] {
        let mut p = peers(with_groups(cc13(), &[NamedGroup::X25519]));
        let bytes = modified_hello(&mut p, |ch| {
            set_ext(
                &mut ch.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(NamedGroup::X25519, share.clone())]),
            )
        });
        let r = p.server.feed(&bytes);
        expect_plain(&mut p.server, r, Alert::IllegalParameter);
    }
}

/// Unprotected alerts the server sends for ClientHello problems, one script each:
/// test-tls13-keyshare-omitted.py, test-tls13-signature-algorithms.py,
/// test-tls13-invalid-ciphers.py / test-tls13-nociphers.py, test-tls13-unrecognised-groups.py.
#[test]
fn client_hello_refusals() {
    fn raw(typ: ET, data: &[u8]) -> impl FnOnce(&mut ClientHello) + '_ {
        move |ch: &mut ClientHello| {
            let e = ch.extensions.iter_mut().find(|e| e.typ == typ).unwrap();
            e.data = data.to_vec();
        }
    }
    type Edit = Box<dyn FnOnce(&mut ClientHello)>;
    let mut cases: Vec<(&str, Edit, Alert)> = vec![
        (
            "key_share omitted",
            Box::new(|ch: &mut ClientHello| ch.extensions.retain(|e| e.typ != ET::KEY_SHARE)),
            Alert::MissingExtension,
        ),
        (
            "empty key_share extension",
            Box::new(raw(ET::KEY_SHARE, &[])),
            Alert::DecodeError,
        ),
        (
            "empty list of signature methods",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 0])),
            Alert::DecodeError,
        ),
        (
            "padded sigalgs",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 4, 8, 4, 8, 9, 4, 3])),
            Alert::DecodeError,
        ),
        (
            "one byte array",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 1, 2])),
            Alert::DecodeError,
        ),
        (
            "three byte array",
            Box::new(raw(ET::SIGNATURE_ALGORITHMS, &[0, 5, 8, 4, 8, 9, 2])),
            Alert::DecodeError,
        ),
        (
            "only undefined sigalgs",
            Box::new(raw(
                ET::SIGNATURE_ALGORITHMS,
                &[0, 6, 4, 24, 24, 1, 0xff, 0xff],
            )),
            Alert::HandshakeFailure,
        ),
        (
            "only legacy PKCS#1 v1.5 sigalgs",
            Box::new(|ch: &mut ClientHello| {
                set_ext(
                    &mut ch.extensions,
                    ET::SIGNATURE_ALGORITHMS,
                    ExtBody::SignatureAlgorithms(vec![
                        SignatureScheme::RSA_PKCS1_SHA1,
                        SignatureScheme::RSA_PKCS1_SHA256,
                        SignatureScheme::RSA_PKCS1_SHA512,
                    ]),
                )
            }),
            Alert::HandshakeFailure,
        ),
        (
            "only TLS 1.2 and unassigned cipher suites",
            Box::new(|ch: &mut ClientHello| {
                ch.cipher_suites = vec![
                    CipherSuite(0xc02b),
                    CipherSuite(0x1306),
                    CipherSuite(0x00ff),
                ]
            }),
            Alert::HandshakeFailure,
        ),
        (
            "only unknown groups",
            Box::new(|ch: &mut ClientHello| {
                let g: Vec<NamedGroup> = (34..40).map(NamedGroup).collect();
                let shares = g.iter().map(|g| (*g, vec![0xab; 64])).collect();
                set_ext(
                    &mut ch.extensions,
                    ET::SUPPORTED_GROUPS,
                    ExtBody::SupportedGroups(g),
                );
                set_ext(
                    &mut ch.extensions,
                    ET::KEY_SHARE,
                    ExtBody::KeyShareClient(shares),
                );
            }),
            Alert::HandshakeFailure,
        ),
    ];
    for (name, edit, want) in cases.drain(..) {
        // the test server has an ECDSA P-256 key
        let mut p = peers(cc13());
        let bytes = modified_hello(&mut p, edit);
        let r = p.server.feed(&bytes);
        assert_eq!(r.as_ref().unwrap_err().alert, want, "{name}");
        expect_plain(&mut p.server, r, want);
    }
}

/// test-tls13-ecdhe-curves.py: for each group we support (secp256r1, secp384r1, x25519), a
/// key share that is right-padded with a zero byte, truncated by one, taken from another
/// curve, the one-byte "point at infinity", off the curve, or x=0,y=0 is illegal_parameter
/// (RFC 8446 §4.2.8.2); an honest share of each completes.
#[test]
fn bad_ecdhe_shares_per_group() {
    let share = |g: NamedGroup| {
        EphemeralKey::generate(g, &mut seeded_rng(21))
            .unwrap()
            .public_key()
    };
    for g in [
        NamedGroup::SECP256R1,
        NamedGroup::SECP384R1,
        NamedGroup::X25519,
    ] {
        let other = if g == NamedGroup::SECP256R1 {
            NamedGroup::SECP384R1
        } else {
            NamedGroup::SECP256R1
        };
        let good = share(g);
        let mut cases: Vec<(&str, Vec<u8>)> = vec![
            ("right 0-padded", [&good[..], &[0]].concat()),
            ("right-truncated", good[..good.len() - 1].to_vec()),
            ("from the other curve", share(other)),
            ("point at infinity", vec![0]),
        ];
        if g != NamedGroup::X25519 {
            let mut off = good.clone();
            *off.last_mut().unwrap() ^= 0xff;
            cases.push(("outside the curve", off));
            let mut zero = vec![0; good.len()];
            zero[0] = 4;
            cases.push(("x=0, y=0", zero));
        }
        for (name, bad) in cases {
            let mut p = peers(with_groups(cc13(), &[g]));
            let bytes = modified_hello(&mut p, |ch| {
                set_ext(
                    &mut ch.extensions,
                    ET::KEY_SHARE,
                    ExtBody::KeyShareClient(vec![(g, bad)]),
                )
            });
            let r = p.server.feed(&bytes);
            assert_eq!(
                r.as_ref().map_err(|e| e.alert),
                Err(Alert::IllegalParameter),
                "{g} {name}"
            );
            expect_plain(&mut p.server, r, Alert::IllegalParameter);
        }
        let mut p = peers(with_groups(cc13(), &[g]));
        let hello = p.client.take_output();
        flight(&mut p, &hello);
        establish(&mut p);
    }
}

/// A small deterministic generator for "random" extension payloads.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// The extension ids test-tls13-large-number-of-extensions.py treats as unassigned (or not
/// for TLS 1.3): 2-4, 6-9, 11, 12, 17, 22-27, 29-40, 46, 52-65535.
fn tlsfuzzer_unassigned_ids() -> Vec<u16> {
    let mut ids: Vec<u16> = vec![];
    ids.extend(2..5);
    ids.extend(6..10);
    ids.extend([11, 12, 17]);
    ids.extend(22..28);
    ids.extend(29..41);
    ids.push(46);
    ids.extend(52..=65535);
    ids
}

/// test-tls13-large-number-of-extensions.py: thousands of extensions the server does not use
/// — unassigned ids, and TLS 1.2-only ones such as ec_point_formats (11),
/// encrypt_then_mac (22) and extended_master_secret (23) — empty or with random bodies of up
/// to 64 bytes, in ClientHellos over several records: the server ignores them all (RFC 8446
/// §4.2: "servers MUST ignore unrecognized extensions"), answers a ServerHello with only
/// key_share and supported_versions and an empty EncryptedExtensions, and the handshake
/// completes.
#[test]
fn many_unused_extensions_are_ignored() {
    let ids = tlsfuzzer_unassigned_ids();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    for (chunk, random) in ids
        .chunks(4096)
        .map(|c| (c, false))
        .chain(ids.chunks(1024).step_by(7).map(|c| (c, true)))
    {
        let mut p = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
        let mut ch = client_hello_of(&mut p);
        let mut exts: Vec<Extension> = chunk
            .iter()
            .map(|&id| {
                let data = if id == ET::RENEGOTIATION_INFO.0 {
                    vec![0]
                } else if random {
                    let n = (xorshift(&mut rng) % 65) as usize;
                    (0..n).map(|_| xorshift(&mut rng) as u8).collect()
                } else {
                    vec![]
                };
                let ctx = tlsprobe::wire::extensions::ExtContext::ClientHello;
                Extension {
                    typ: ET(id),
                    body: tlsprobe::wire::extensions::decode_body(ET(id), &data, ctx)
                        .unwrap_or(ExtBody::Unknown),
                    data,
                }
            })
            .collect();
        ch.extensions
            .retain(|e| !exts.iter().any(|x| x.typ == e.typ) && e.typ != ET::PRE_SHARED_KEY);
        exts.append(&mut ch.extensions);
        ch.extensions = exts;
        let out = p.to_server(&hello_records(ch));
        assert!(
            !p.server.is_failed(),
            "ids {}..={}",
            chunk[0],
            chunk[chunk.len() - 1]
        );
        let sh = server_hello(&out[0]);
        let mut types: Vec<ET> = sh.extensions.iter().map(|e| e.typ).collect();
        types.sort_by_key(|t| t.0);
        assert_eq!(types, vec![ET::SUPPORTED_VERSIONS, ET::KEY_SHARE]);
        let mut keys = sealer(&p.server_events, SUITE, "server_handshake_traffic");
        let items = open_flight13(&out, &mut keys);
        assert_eq!(
            items[2].1,
            vec![8, 0, 0, 2, 0, 0],
            "empty EncryptedExtensions"
        );
        establish(&mut p);
    }
}

/// test-tls13-shuffled-extentions.py: a first ClientHello with an empty key_share list gets
/// a HelloRetryRequest (key_share and supported_versions only); a second ClientHello with
/// its extensions in reverse order — with or without thousands of unassigned ones — is
/// illegal_parameter (RFC 8446 §4.1.2: the same ClientHello but for the listed changes),
/// while the same order is accepted.
#[test]
fn second_hello_with_reordered_extensions_is_illegal_parameter() {
    let p256_share = || {
        EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(5))
            .unwrap()
            .public_key()
    };
    let unassigned: Vec<u16> = (52..65279).collect();
    let extra: Vec<&[u16]> = [&[][..]]
        .into_iter()
        .chain(unassigned.chunks(4096).step_by(5))
        .collect();
    for ids in extra {
        for reverse in [true, false] {
            let mut p = peers(with_groups(cc13(), &[NamedGroup::SECP256R1]));
            let mut ch1 = client_hello_of(&mut p);
            ch1.extensions.retain(|e| e.typ != ET::PRE_SHARED_KEY);
            set_ext(
                &mut ch1.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![]),
            );
            ch1.extensions.extend(
                ids.iter()
                    .map(|&id| Extension::new(ET(id), ExtBody::Unknown)),
            );
            let out = p.to_server(&hello_records(ch1.clone()));
            assert_eq!(out.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![HS, CCS]);
            let hrr = server_hello(&out[0]);
            let mut types: Vec<ET> = hrr.extensions.iter().map(|e| e.typ).collect();
            types.sort_by_key(|t| t.0);
            assert_eq!(types, vec![ET::SUPPORTED_VERSIONS, ET::KEY_SHARE]);

            let mut ch2 = ch1;
            if reverse {
                ch2.extensions.reverse();
            }
            set_ext(
                &mut ch2.extensions,
                ET::KEY_SHARE,
                ExtBody::KeyShareClient(vec![(NamedGroup::SECP256R1, p256_share())]),
            );
            let r = p.server.feed(&hello_records(ch2));
            if reverse {
                expect_plain(&mut p.server, r, Alert::IllegalParameter);
            } else {
                assert!(r.is_ok(), "{r:?}");
                let out = parse(&p.server.take_output());
                assert_eq!(out[0].ct, HS, "ServerHello");
            }
        }
    }
}
