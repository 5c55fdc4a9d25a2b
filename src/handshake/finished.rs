//! Finished messages, both roles and both versions (RFC 5246 §7.4.9, RFC 8446 §4.4.4):
//! computing verify_data, sending ours, checking the peer's.

use subtle::ConstantTimeEq;

use super::side::Side;
use super::{Common, Incoming};
use crate::crypto::aead::RecordCipher;
use crate::crypto::hash::HashAlg;
use crate::crypto::{key_schedule as ks, prf};
use crate::error::{Alert, TlsError};
use crate::event::{Check, CheckKind};
use crate::wire::handshake::HandshakeMessage;

/// What the Finished messages of a handshake are computed from.
#[derive(Clone, Copy)]
pub enum FinishedKey<'a> {
    /// TLS 1.0-1.2: verify_data = PRF(master_secret, "client finished" | "server finished",
    /// Hash(handshake messages)), 12 bytes (RFC 5246 §7.4.9).
    Tls12 { hash: HashAlg, master: &'a [u8] },
    /// TLS 1.3: verify_data = HMAC(finished_key, Hash(transcript)), with finished_key =
    /// HKDF-Expand-Label(sender's handshake traffic secret, "finished", "", Hash.length)
    /// (RFC 8446 §4.4.4).
    Tls13 {
        hash: HashAlg,
        client_hs: &'a [u8],
        server_hs: &'a [u8],
    },
}

impl FinishedKey<'_> {
    pub fn hash(&self) -> HashAlg {
        match *self {
            FinishedKey::Tls12 { hash, .. } | FinishedKey::Tls13 { hash, .. } => hash,
        }
    }

    /// The TLS 1.3 handshake traffic secret of `side` (none in TLS 1.2).
    pub fn handshake_secret(&self, side: Side) -> Option<&[u8]> {
        match *self {
            FinishedKey::Tls12 { .. } => None,
            FinishedKey::Tls13 {
                client_hs,
                server_hs,
                ..
            } => Some(match side {
                Side::Client => client_hs,
                Side::Server => server_hs,
            }),
        }
    }

    /// The verify_data of the Finished `sender` sends over transcript hash `th`.
    pub fn verify_data(&self, sender: Side, th: &[u8]) -> Vec<u8> {
        match *self {
            FinishedKey::Tls12 { hash, master } => {
                prf::finished_verify_data(hash, master, label12(sender).as_bytes(), th).to_vec()
            }
            FinishedKey::Tls13 { hash, .. } => {
                let base = self.handshake_secret(sender).unwrap_or_default();
                ks::finished_verify_data(hash, base, th)
            }
        }
    }
}

/// The TLS 1.2 PRF label of `sender`'s Finished (RFC 5246 §7.4.9).
pub fn label12(sender: Side) -> &'static str {
    match sender {
        Side::Client => "client finished",
        Side::Server => "server finished",
    }
}

/// Sends our Finished over the transcript so far.
pub fn send_finished(c: &mut Common, key: FinishedKey) {
    let th = c.transcript.hash(key.hash());
    let vd = key.verify_data(c.side, &th);
    c.own_verify_data.clone_from(&vd);
    c.send_handshake(HandshakeMessage::Finished(vd), vec![]);
}

/// Reports how the client's post-handshake Finished (RFC 8446 §4.4) is computed over the
/// transcript so far: its hash, the finished key from client_application_traffic_secret_N
/// (`key`), and the verify_data; the values only when secrets are revealed. Both roles call
/// it just before the Finished is sent or checked.
pub fn report_post_handshake(c: &mut Common, key: FinishedKey) {
    let hash = key.hash();
    let len = hash.output_len();
    let reveal = c.reveal_secrets;
    let base = key.handshake_secret(Side::Client).unwrap_or_default();
    let th = if reveal {
        c.transcript.hash(hash)
    } else {
        vec![]
    };
    let fk = if reveal {
        ks::hkdf_expand_label(hash, base, "finished", &[], len)
    } else {
        vec![]
    };
    let vd = if reveal {
        key.verify_data(Side::Client, &th)
    } else {
        vec![]
    };
    let name = hash.name();
    c.key_event(
        "client post-handshake Finished transcript hash",
        format!(
            "{name}(ClientHello..client Finished, then CertificateRequest..before this Finished)"
        ),
        None,
        &th,
    );
    c.key_event(
        "client post-handshake finished_key",
        format!(
            "HKDF-Expand-Label(client_application_traffic_secret_N, \"finished\", \"\", {len})"
        ),
        None,
        &fk,
    );
    c.key_event(
        "client post-handshake Finished verify_data",
        format!("HMAC-{name}(client post-handshake finished_key, transcript hash)"),
        None,
        &vd,
    );
}

/// TLS 1.0-1.2: ChangeCipherSpec, our pending write keys, then our Finished (RFC 5246 §7.1,
/// §7.4.9).
pub fn send_ccs_finished12(c: &mut Common, write: RecordCipher, hash: HashAlg, master: &[u8]) {
    c.send_ccs(false);
    c.rl.set_write_cipher(write, false);
    send_finished(c, FinishedKey::Tls12 { hash, master });
}

/// Checks the peer's Finished (`m`, carrying `received`) against the transcript before it,
/// then takes it into the transcript and reports it.
pub fn receive_finished(
    c: &mut Common,
    m: &Incoming,
    received: &[u8],
    key: FinishedKey,
) -> Result<(), TlsError> {
    let peer = c.side.peer();
    let th = c.transcript.hash(key.hash());
    check_verify_data(&key.verify_data(peer, &th), received, peer)?;
    c.transcript.update(&m.raw);
    let matched = match key {
        FinishedKey::Tls12 { .. } => CheckKind::FinishedPrf { sender: peer },
        FinishedKey::Tls13 { .. } => CheckKind::FinishedHmac { sender: peer },
    };
    m.report(c, vec![Check::pass(matched)]);
    Ok(())
}

/// Compares a received verify_data with the expected one in constant time (RFC 8446
/// §4.4.4, RFC 5246 §7.4.9); a mismatch is decrypt_error.
fn check_verify_data(expected: &[u8], received: &[u8], peer: Side) -> Result<(), TlsError> {
    let peer = peer.name();
    // verify_data has a fixed length (Hash.length in TLS 1.3, RFC 8446 §4.4.4; 12 bytes in
    // TLS 1.2, RFC 5246 §7.4.9): any other length is a malformed message, decode_error
    // (RFC 8446 §6.2), not a failed check.
    if expected.len() != received.len() && !crate::crypto::fuzzing::ON {
        return Err(TlsError::decode(format!(
            "the {peer}'s Finished carries {} bytes of verify_data, {} expected",
            received.len(),
            expected.len()
        )));
    }
    if bool::from(expected.ct_eq(received)) || crate::crypto::fuzzing::ON {
        return Ok(());
    }
    Err(TlsError::new(
        Alert::DecryptError,
        format!("the {peer}'s Finished verify_data does not match the transcript"),
    ))
}
