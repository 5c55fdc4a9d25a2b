//! ML-KEM and the hybrids of draft-ietf-tls-ecdhe-mlkem against an independent implementation:
//! kyber-py for pure ML-KEM-512/768/1024 and tlslite-ng's `KEMKeyExchange` (on kyber-py) for
//! X25519MLKEM768, SecP256r1MLKEM768 and SecP384r1MLKEM1024 (tests/support/kem_peer.py). In
//! both roles: the peer encapsulates to our client share and we must decapsulate its secret;
//! the peer's client share is answered by our `respond` and it must derive our secret. No
//! network: the shares pass through the peer's stdin and stdout. Skips (saying why) when
//! python3, kyber-py or tlslite-ng is missing, unless TLSPROBE_REQUIRE_PEERS is set (CI).

mod common;
use common::{require_peer, run, runs, support_file, Proc};

use std::process::Command;
use std::time::Duration;

use tlsprobe::crypto::kx::{self, EphemeralKey, ShareFrom};
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::wire::codepoints::NamedGroup;

const LIMIT: Duration = Duration::from_secs(60);

fn need_kem_peer() -> bool {
    require_peer(
        runs("python3", &["-c", "import kyber_py, tlslite, ecdsa"]),
        "kyber-py and tlslite-ng for python3",
        "python3 -m pip install --pre kyber-py 'tlslite-ng==0.9.0b2' ecdsa",
    )
}

fn groups() -> [NamedGroup; 6] {
    [
        kx::MLKEM512,
        kx::MLKEM768,
        kx::MLKEM1024,
        NamedGroup::X25519MLKEM768,
        NamedGroup::SECP256R1MLKEM768,
        NamedGroup::SECP384R1MLKEM1024,
    ]
}

fn peer(role: &str, group: NamedGroup) -> Command {
    let mut c = Command::new("python3");
    c.arg(support_file("kem_peer.py"))
        .arg(role)
        .arg(format!("{:#06x}", group.0));
    c
}

fn unhex(line: &str) -> Vec<u8> {
    hex::decode(line.trim()).unwrap_or_else(|e| panic!("not hex ({e}): {line}"))
}

#[test]
fn our_client_decapsulates_the_peers_encapsulation() {
    if !need_kem_peer() {
        return;
    }
    let mut rng = seeded_rng(1);
    for group in groups() {
        let name = kx::group_name(group);
        for _ in 0..2 {
            let client = EphemeralKey::generate(group, &mut rng).unwrap();
            let share = client.public_key();
            let done = run(
                peer("server", group),
                format!("{}\n", hex::encode(&share)).as_bytes(),
                LIMIT,
            );
            let lines: Vec<&str> = done.stdout.lines().collect();
            assert_eq!(lines.len(), 2, "{name}: {}", done.all());
            let (server_share, secret) = (unhex(lines[0]), unhex(lines[1]));
            assert_eq!(
                Some(server_share.len()),
                kx::share_len(group, ShareFrom::Server),
                "{name}"
            );
            assert_eq!(client.agree(&server_share).unwrap(), secret, "{name}");
        }
    }
}

#[test]
fn the_peers_client_derives_our_secret() {
    if !need_kem_peer() {
        return;
    }
    let mut rng = seeded_rng(2);
    for group in groups() {
        let name = kx::group_name(group);
        let mut p = Proc::spawn(peer("client", group), &format!("kem_peer.py client {name}"));
        let share = p
            .wait_line(LIMIT, |l| hex::decode(l.trim()).ok())
            .unwrap_or_else(|| panic!("{name}: no client share\n{}", p.all()));
        assert_eq!(
            Some(share.len()),
            kx::share_len(group, ShareFrom::Client),
            "{name}"
        );
        let answer = kx::respond(group, &share, &mut rng, false).unwrap();
        p.write_stdin(format!("{}\n", hex::encode(&answer.share)).as_bytes());
        p.close_stdin();
        assert!(
            p.wait_exit(LIMIT).is_some_and(|s| s.success()),
            "{name}: {}",
            p.all()
        );
        let out = p.stdout();
        let secret = out.lines().nth(1).map(unhex);
        assert_eq!(secret, Some(answer.secret), "{name}: {out}");
    }
}

#[test]
fn the_peers_shares_with_a_spoiled_part_are_refused() {
    if !need_kem_peer() {
        return;
    }
    // A share the peer made, with one byte of its ECDHE part (hybrids) or its length (pure
    // ML-KEM) spoiled: illegal_parameter, as for our own shares.
    let mut rng = seeded_rng(3);
    for group in groups() {
        let name = kx::group_name(group);
        let mut p = Proc::spawn(peer("client", group), &format!("kem_peer.py client {name}"));
        let mut share = p
            .wait_line(LIMIT, |l| hex::decode(l.trim()).ok())
            .unwrap_or_else(|| panic!("{name}: no client share\n{}", p.all()));
        p.kill();
        if kx::is_kem(group) && group.0 < 0x1000 {
            share.pop();
        } else {
            let ecdh = kx::share_parts(group, &share, ShareFrom::Client)
                .into_iter()
                .find(|part| !part.label.starts_with("ML-KEM"))
                .unwrap();
            share[ecdh.range].fill(0);
        }
        let e = kx::respond(group, &share, &mut rng, false).unwrap_err();
        assert_eq!(
            e.alert,
            tlsprobe::error::Alert::IllegalParameter,
            "{name}: {e}"
        );
    }
}
