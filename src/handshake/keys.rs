//! Key derivation steps of both versions, each reported as a `Keys` event:
//! TLS 1.0-1.2 master secret and key block (RFC 5246 §6.3, §8.1; RFC 7627 §4; RFC 2246 §6.3) and the TLS 1.3
//! key schedule (RFC 8446 §7.1, §7.3).

use rand::RngCore;

use super::finished::FinishedKey;
use super::side::Side;
use super::suite_params::{Enc, SuiteParams};
use super::{Common, FinishedBase};
use crate::crypto::aead::RecordCipher;
use crate::crypto::cbc::{CbcCipher, IvMode, BLOCK};
use crate::crypto::hash::HashAlg;
use crate::crypto::{key_schedule as ks, kx, prf};
use crate::error::TlsError;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};

/// TLS 1.2 master secret from the pre-master secret (RFC 5246 §8.1, RFC 7627 §4).
pub fn tls12_master(
    c: &mut Common,
    hash: HashAlg,
    pre_master: &[u8],
    ems: bool,
    server_random: &[u8],
) -> Vec<u8> {
    let client_random = c.client_random;
    c.key_event(
        "pre_master_secret",
        format!("{} bytes", pre_master.len()),
        None,
        pre_master,
    );
    let master = if ems {
        let session_hash = c.transcript.hash(hash);
        c.key_event(
            "session_hash",
            format!(
                "{}(ClientHello..ClientKeyExchange), RFC 7627 §3",
                hash.name()
            ),
            None,
            &session_hash,
        );
        prf::extended_master_secret(hash, pre_master, &session_hash)
    } else {
        prf::master_secret(hash, pre_master, &client_random, server_random)
    };
    let how = if ems {
        format!(
            "PRF-{}(pre_master_secret, \"extended master secret\", session_hash)",
            hash.name()
        )
    } else {
        format!(
            "PRF-{}(pre_master_secret, \"master secret\", client_random + server_random)",
            hash.name()
        )
    };
    c.key_event("master_secret", how, Some("CLIENT_RANDOM"), &master);
    c.finished_base = Some(FinishedBase::Tls12 {
        hash,
        master: master.to_vec(),
    });
    master.to_vec()
}

/// TLS 1.0-1.2 abbreviated handshake: the resumed session's master secret, reported
/// (RFC 5246 §7.3).
pub fn tls12_resumed_master(c: &mut Common, master: &[u8]) {
    c.key_event(
        "master_secret",
        "from the resumed session".into(),
        Some("CLIENT_RANDOM"),
        master,
    );
}

/// The pending TLS 1.0-1.2 keys, ours for writing and the peer's for reading; each side
/// installs them at its ChangeCipherSpec (RFC 5246 §7.1).
pub struct Pending12 {
    pub write: RecordCipher,
    pub read: RecordCipher,
}

/// TLS 1.0-1.2 key block split (RFC 5246 §6.3, RFC 4346 §6.3, RFC 2246 §6.3): client and
/// server write MAC keys (CBC-HMAC suites only), write keys, and write IVs (AEAD implicit
/// nonces; the CBC IVs of TLS 1.0 only, TLS 1.1+ sends an explicit IV with each record).
/// `etm`: encrypt_then_mac was negotiated (RFC 7366).
pub fn tls12_ciphers(
    c: &mut Common,
    p: &SuiteParams,
    master: &[u8],
    server_random: &[u8],
    etm: bool,
) -> Result<Pending12, TlsError> {
    let version = c.version.unwrap_or(ProtocolVersion::TLS12);
    let (ml, kl, il) = match p.enc {
        Enc::Aead(a) => (0, a.key_len(), a.tls12_fixed_iv_len()),
        Enc::Cbc(alg, mac) => (
            mac.output_len(),
            alg.key_len(),
            if version == ProtocolVersion::TLS10 {
                BLOCK
            } else {
                0
            },
        ),
    };
    let client_random = c.client_random;
    let block = prf::key_block(
        p.hash,
        master,
        server_random,
        &client_random,
        2 * ml + 2 * kl + 2 * il,
    );
    let (cm, rest) = block.split_at(ml);
    let (sm, rest) = rest.split_at(ml);
    let (ck, rest) = rest.split_at(kl);
    let (sk, rest) = rest.split_at(kl);
    let (civ, siv) = rest.split_at(il);
    let how = format!(
        "PRF-{}(master_secret, \"key expansion\", server_random + client_random), {} bytes",
        p.hash.name(),
        block.len()
    );
    c.key_event("key_block", how, None, &block);
    if ml > 0 {
        c.key_event("client_write_MAC_key", "key_block".into(), None, cm);
        c.key_event("server_write_MAC_key", "key_block".into(), None, sm);
    }
    c.key_event("client_write_key", "key_block".into(), None, ck);
    c.key_event("server_write_key", "key_block".into(), None, sk);
    if il > 0 {
        c.key_event("client_write_IV", "key_block".into(), None, civ);
        c.key_event("server_write_IV", "key_block".into(), None, siv);
    }
    let (client_write, server_write) = match p.enc {
        Enc::Aead(a) => (
            RecordCipher::tls12(a, ck, civ)?,
            RecordCipher::tls12(a, sk, siv)?,
        ),
        Enc::Cbc(alg, mac) => {
            let mode = if version == ProtocolVersion::TLS10 {
                IvMode::Implicit
            } else {
                IvMode::Explicit
            };
            let zero = [0u8; BLOCK];
            let mut make = |k: &[u8], m: &[u8], iv: &[u8]| {
                let mut seed = [0u8; 32];
                c.rng.fill_bytes(&mut seed);
                let iv = if iv.is_empty() { &zero[..] } else { iv };
                CbcCipher::new(alg, mac, k, m, iv, mode, etm, seed).map(RecordCipher::cbc)
            };
            (make(ck, cm, civ)?, make(sk, sm, siv)?)
        }
    };
    Ok(match c.side {
        Side::Client => Pending12 {
            write: client_write,
            read: server_write,
        },
        Side::Server => Pending12 {
            write: server_write,
            read: client_write,
        },
    })
}

/// TLS 1.3 secrets of one connection.
#[derive(Clone)]
pub struct Tls13Secrets {
    pub p: SuiteParams,
    pub handshake_secret: Vec<u8>,
    pub client_hs: Vec<u8>,
    pub server_hs: Vec<u8>,
    pub client_app: Vec<u8>,
    pub server_app: Vec<u8>,
    pub master: Vec<u8>,
}

impl Tls13Secrets {
    /// What the Finished messages are computed from (RFC 8446 §4.4.4).
    pub fn finished_key(&self) -> FinishedKey<'_> {
        FinishedKey::Tls13 {
            hash: self.p.hash,
            client_hs: &self.client_hs,
            server_hs: &self.server_hs,
        }
    }
}

/// The key exchange's shared secret as key events: for a hybrid group each part first, then
/// the whole as their concatenation in the order draft-ietf-tls-ecdhe-mlkem defines; for the
/// other groups the secret "from the key_share" (RFC 8446 §7.1 calls it the (EC)DHE input).
fn shared_secret_events(c: &mut Common, group: NamedGroup, shared: &[u8]) {
    let parts = kx::secret_parts(group);
    let whole = parts.last().is_some_and(|p| p.range.end == shared.len());
    if parts.len() < 2 || !whole {
        c.key_event("ecdhe_shared_secret", "key_share".into(), None, shared);
        return;
    }
    for (i, part) in parts.iter().enumerate() {
        c.key_event(
            part.label,
            format!(
                "the {group} key exchange, part {} of {}",
                i + 1,
                parts.len()
            ),
            None,
            &shared[part.range.clone()],
        );
    }
    let labels: Vec<&str> = parts.iter().map(|p| p.label).collect();
    c.key_event(
        "ecdhe_shared_secret",
        format!(
            "{} (draft-ietf-tls-ecdhe-mlkem, {group})",
            labels.join(" ‖ ")
        ),
        None,
        shared,
    );
}

/// Early secret and handshake traffic secrets (RFC 8446 §7.1). `th` = Hash(ClientHello..ServerHello);
/// `shared` is the secret of the key exchange in `group` (zeros without one: psk_ke).
pub fn tls13_handshake(
    c: &mut Common,
    p: SuiteParams,
    psk: Option<&[u8]>,
    (group, shared): (Option<NamedGroup>, &[u8]),
    th: &[u8],
) -> Tls13Secrets {
    let h = p.hash;
    let early = ks::early_secret(h, psk);
    let how = if psk.is_some() {
        "HKDF-Extract(0, PSK)"
    } else {
        "HKDF-Extract(0, 0)"
    };
    c.key_event("early_secret", how.into(), None, &early);
    match group {
        Some(group) => shared_secret_events(c, group, shared),
        None => c.key_event(
            "ecdhe_shared_secret",
            "psk_ke: no key exchange, HashLen zeros (RFC 8446 §7.1)".into(),
            None,
            shared,
        ),
    }
    let hs = ks::handshake_secret(h, &early, shared);
    c.key_event(
        "handshake_secret",
        "HKDF-Extract(Derive-Secret(early_secret, \"derived\", \"\"), ecdhe_shared_secret)".into(),
        None,
        &hs,
    );
    c.key_event(
        "handshake transcript hash",
        format!("{}(ClientHello..ServerHello)", h.name()),
        None,
        th,
    );
    let x = ks::Expander::new(h, &hs);
    let client_hs = x.derive_secret("c hs traffic", th);
    let server_hs = x.derive_secret("s hs traffic", th);
    c.key_event(
        "client_handshake_traffic_secret",
        "Derive-Secret(handshake_secret, \"c hs traffic\", ClientHello..ServerHello)".into(),
        Some("CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
        &client_hs,
    );
    c.key_event(
        "server_handshake_traffic_secret",
        "Derive-Secret(handshake_secret, \"s hs traffic\", ClientHello..ServerHello)".into(),
        Some("SERVER_HANDSHAKE_TRAFFIC_SECRET"),
        &server_hs,
    );
    c.finished_base = Some(FinishedBase::Tls13 {
        hash: h,
        client_hs: client_hs.clone(),
        server_hs: server_hs.clone(),
    });
    Tls13Secrets {
        p,
        handshake_secret: hs,
        client_hs,
        server_hs,
        client_app: vec![],
        server_app: vec![],
        master: vec![],
    }
}

/// Master secret and application traffic secrets, once the server's Finished is in the
/// transcript (Hash(ClientHello..server Finished)).
pub fn tls13_application(c: &mut Common, s: &mut Tls13Secrets) {
    let h = s.p.hash;
    let th = &c.transcript.hash(h);
    s.master = ks::master_secret(h, &s.handshake_secret);
    c.key_event(
        "master_secret",
        "HKDF-Extract(Derive-Secret(handshake_secret, \"derived\", \"\"), 0)".into(),
        None,
        &s.master,
    );
    c.key_event(
        "application transcript hash",
        format!("{}(ClientHello..server Finished)", h.name()),
        None,
        th,
    );
    let x = ks::Expander::new(h, &s.master);
    s.client_app = x.derive_secret("c ap traffic", th);
    s.server_app = x.derive_secret("s ap traffic", th);
    let exporter = x.derive_secret("exp master", th);
    c.key_event(
        "client_application_traffic_secret_0",
        "Derive-Secret(master_secret, \"c ap traffic\", ClientHello..server Finished)".into(),
        Some("CLIENT_TRAFFIC_SECRET_0"),
        &s.client_app,
    );
    c.key_event(
        "server_application_traffic_secret_0",
        "Derive-Secret(master_secret, \"s ap traffic\", ClientHello..server Finished)".into(),
        Some("SERVER_TRAFFIC_SECRET_0"),
        &s.server_app,
    );
    c.key_event(
        "exporter_master_secret",
        "Derive-Secret(master_secret, \"exp master\", ClientHello..server Finished)".into(),
        Some("EXPORTER_SECRET"),
        &exporter,
    );
}

/// A TLS 1.3 record cipher from a traffic secret (RFC 8446 §7.3), reported as key and IV.
pub fn cipher13(
    c: &mut Common,
    p: &SuiteParams,
    secret: &[u8],
    name: &str,
) -> Result<RecordCipher, TlsError> {
    let aead = p
        .aead()
        .ok_or_else(|| TlsError::internal("a TLS 1.3 suite without an AEAD"))?;
    let k = ks::traffic_keys(p.hash, aead, secret);
    c.key_event(
        &format!("{name} key"),
        format!(
            "HKDF-Expand-Label({name}_secret, \"key\", \"\", {})",
            k.key.len()
        ),
        None,
        &k.key,
    );
    c.key_event(
        &format!("{name} iv"),
        format!(
            "HKDF-Expand-Label({name}_secret, \"iv\", \"\", {})",
            k.iv.len()
        ),
        None,
        &k.iv,
    );
    RecordCipher::tls13(aead, &k.key, &k.iv)
}

/// resumption_master_secret (RFC 8446 §7.1), once the client's Finished is in the transcript.
pub fn tls13_resumption_master(c: &mut Common, s: &Tls13Secrets) -> Vec<u8> {
    let th = c.transcript.hash(s.p.hash);
    let resumption_master = ks::derive_secret(s.p.hash, &s.master, "res master", &th);
    c.key_event(
        "resumption_master_secret",
        "Derive-Secret(master_secret, \"res master\", ClientHello..client Finished)".into(),
        None,
        &resumption_master,
    );
    resumption_master
}

/// KeyUpdate (RFC 8446 §7.2): replaces `secret`, `side`'s application traffic secret, with
/// the next one, reported.
pub fn next_application_secret(c: &mut Common, p: &SuiteParams, secret: &mut Vec<u8>, side: Side) {
    *secret = ks::next_traffic_secret(p.hash, secret);
    let side = side.name();
    c.key_event(
        &format!("{side}_application_traffic_secret_N+1"),
        format!("HKDF-Expand-Label({side}_application_traffic_secret_N, \"traffic upd\", \"\")"),
        None,
        secret,
    );
}
