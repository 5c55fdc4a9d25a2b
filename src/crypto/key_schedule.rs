//! The TLS 1.3 key schedule (RFC 8446 §7.1): HKDF-Extract, HKDF-Expand-Label, Derive-Secret,
//! the early / handshake / master secrets, traffic keys (§7.3), Finished (§4.4.4), key update
//! (§7.2), resumption PSKs (§4.6.1) and PSK binder keys (§4.2.11.2).

use hkdf::Hkdf;
use sha2::{Sha256, Sha384};

use super::aead::AeadAlg;
use super::hash::HashAlg;

/// HKDF-Extract(salt, IKM) (RFC 5869 §2.2). An empty salt means HashLen zeros.
pub fn hkdf_extract(hash: HashAlg, salt: &[u8], ikm: &[u8]) -> Vec<u8> {
    match hash {
        HashAlg::Sha256 => Hkdf::<Sha256>::extract(Some(salt), ikm).0.to_vec(),
        HashAlg::Sha384 => Hkdf::<Sha384>::extract(Some(salt), ikm).0.to_vec(),
        // TLS 1.3 suites use SHA-256 or SHA-384 only (RFC 8446 §B.4).
        HashAlg::Sha1 | HashAlg::Md5Sha1 => Vec::new(),
    }
}

/// HKDF-Expand (RFC 5869 §2.3) from one PRK: the HMAC key is set up once (two compression
/// function calls) and reused for every label expanded from the same secret, as the key
/// schedule does several times per secret (key and IV, both handshake traffic secrets, ...).
#[derive(Clone)]
pub struct Expander {
    hash: HashAlg,
    prk: Prk,
}

#[derive(Clone)]
enum Prk {
    Sha256(Hkdf<Sha256>),
    Sha384(Hkdf<Sha384>),
    /// Not a TLS 1.3 hash: every expansion is empty.
    None,
}

impl Expander {
    /// Keys HMAC with `secret` (a PRK shorter than HashLen is zero-padded, which HMAC does
    /// anyway, RFC 2104 §2; the hkdf crate would refuse it).
    pub fn new(hash: HashAlg, secret: &[u8]) -> Expander {
        let mut padded = [0u8; 64];
        let prk = if secret.len() < hash.output_len() {
            padded[..secret.len()].copy_from_slice(secret);
            &padded[..hash.output_len()]
        } else {
            secret
        };
        let prk = match hash {
            HashAlg::Sha256 => Hkdf::<Sha256>::from_prk(prk).map(Prk::Sha256),
            HashAlg::Sha384 => Hkdf::<Sha384>::from_prk(prk).map(Prk::Sha384),
            HashAlg::Sha1 | HashAlg::Md5Sha1 => Ok(Prk::None),
        }
        .unwrap_or(Prk::None);
        zeroize::Zeroize::zeroize(&mut padded);
        Expander { hash, prk }
    }

    /// HKDF-Expand(PRK, info, L); empty when `len` exceeds 255 * HashLen.
    fn expand(&self, info: &[&[u8]], len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        let ok = match &self.prk {
            Prk::Sha256(h) => h.expand_multi_info(info, &mut out).is_ok(),
            Prk::Sha384(h) => h.expand_multi_info(info, &mut out).is_ok(),
            Prk::None => false,
        };
        if ok {
            out
        } else {
            Vec::new()
        }
    }

    /// HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1), see
    /// `hkdf_expand_label`.
    pub fn expand_label(&self, label: &str, context: &[u8], len: usize) -> Vec<u8> {
        let full_label_len = 6 + label.len();
        if full_label_len > 255 || context.len() > 255 || len > u16::MAX as usize {
            return Vec::new();
        }
        // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
        let l = (len as u16).to_be_bytes();
        let head = [l[0], l[1], full_label_len as u8];
        let ctx_len = [context.len() as u8];
        self.expand(
            &[&head, b"tls13 ", label.as_bytes(), &ctx_len, context],
            len,
        )
    }

    /// Derive-Secret(Secret, Label, Messages) given the transcript hash (RFC 8446 §7.1).
    pub fn derive_secret(&self, label: &str, transcript_hash: &[u8]) -> Vec<u8> {
        self.expand_label(label, transcript_hash, self.hash.output_len())
    }
}

/// HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1): `label` is given without
/// the "tls13 " prefix. Returns an empty vector if the label (with prefix) or context is
/// longer than 255 bytes or `len` is out of range (never the case for TLS).
pub fn hkdf_expand_label(
    hash: HashAlg,
    secret: &[u8],
    label: &str,
    context: &[u8],
    len: usize,
) -> Vec<u8> {
    Expander::new(hash, secret).expand_label(label, context, len)
}

/// Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
/// Transcript-Hash(Messages), Hash.length) (RFC 8446 §7.1); takes the transcript hash.
pub fn derive_secret(hash: HashAlg, secret: &[u8], label: &str, transcript_hash: &[u8]) -> Vec<u8> {
    hkdf_expand_label(hash, secret, label, transcript_hash, hash.output_len())
}

/// Early Secret = HKDF-Extract(0, PSK), with HashLen zeros when there is no PSK (RFC 8446 §7.1).
pub fn early_secret(hash: HashAlg, psk: Option<&[u8]>) -> Vec<u8> {
    match psk {
        None => no_psk(hash).map(|c| c.early.clone()).unwrap_or_default(),
        Some(psk) => hkdf_extract(hash, &[0u8; 48][..hash.output_len()], psk),
    }
}

/// The public constants of a handshake without a PSK, computed once per hash: the early
/// secret HKDF-Extract(0, 0) and the salt Derive-Secret(early, "derived", "") of the handshake
/// secret.
struct NoPsk {
    early: Vec<u8>,
    derived: Vec<u8>,
}

fn no_psk(hash: HashAlg) -> Option<&'static NoPsk> {
    use std::sync::OnceLock;
    static SHA256: OnceLock<NoPsk> = OnceLock::new();
    static SHA384: OnceLock<NoPsk> = OnceLock::new();
    let cell = match hash {
        HashAlg::Sha256 => &SHA256,
        HashAlg::Sha384 => &SHA384,
        HashAlg::Sha1 | HashAlg::Md5Sha1 => return None,
    };
    Some(cell.get_or_init(|| {
        let zeros = [0u8; 48];
        let zeros = &zeros[..hash.output_len()];
        let early = hkdf_extract(hash, zeros, zeros);
        let derived = derive_secret(hash, &early, "derived", &hash.empty_hash());
        NoPsk { early, derived }
    }))
}

/// Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE)
/// (RFC 8446 §7.1).
pub fn handshake_secret(hash: HashAlg, early: &[u8], shared: &[u8]) -> Vec<u8> {
    use subtle::ConstantTimeEq;
    let salt = match no_psk(hash) {
        // The early secret of a PSK is secret: compare in constant time.
        Some(c) if bool::from(c.early.as_slice().ct_eq(early)) => c.derived.clone(),
        _ => derive_secret(hash, early, "derived", &hash.empty_hash()),
    };
    hkdf_extract(hash, &salt, shared)
}

/// Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0)
/// (RFC 8446 §7.1).
pub fn master_secret(hash: HashAlg, handshake: &[u8]) -> Vec<u8> {
    let salt = derive_secret(hash, handshake, "derived", &hash.empty_hash());
    hkdf_extract(hash, &salt, &[0u8; 48][..hash.output_len()])
}

/// A record protection key and IV (RFC 8446 §7.3).
#[derive(Clone, PartialEq, Eq)]
pub struct TrafficKeys {
    pub key: Vec<u8>,
    pub iv: Vec<u8>,
}

impl std::fmt::Debug for TrafficKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrafficKeys")
            .field("key", &format_args!("<{} bytes>", self.key.len()))
            .field("iv", &format_args!("<{} bytes>", self.iv.len()))
            .finish()
    }
}

/// write_key = HKDF-Expand-Label(Secret, "key", "", key_length), write_iv =
/// HKDF-Expand-Label(Secret, "iv", "", iv_length) with a 12-byte IV (RFC 8446 §7.3).
pub fn traffic_keys(hash: HashAlg, aead: AeadAlg, secret: &[u8]) -> TrafficKeys {
    let x = Expander::new(hash, secret);
    TrafficKeys {
        key: x.expand_label("key", &[], aead.key_len()),
        iv: x.expand_label("iv", &[], 12),
    }
}

/// finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length); verify_data =
/// HMAC(finished_key, Transcript-Hash(...)) (RFC 8446 §4.4.4). Also computes PSK binders
/// (RFC 8446 §4.2.11.2) when given a binder key and the partial ClientHello hash.
pub fn finished_verify_data(hash: HashAlg, base_key: &[u8], transcript_hash: &[u8]) -> Vec<u8> {
    let finished_key = hkdf_expand_label(hash, base_key, "finished", &[], hash.output_len());
    hash.hmac(&finished_key, transcript_hash)
}

/// application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N,
/// "traffic upd", "", Hash.length) (RFC 8446 §7.2).
pub fn next_traffic_secret(hash: HashAlg, secret: &[u8]) -> Vec<u8> {
    hkdf_expand_label(hash, secret, "traffic upd", &[], hash.output_len())
}

/// PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
/// (RFC 8446 §4.6.1).
pub fn resumption_psk(hash: HashAlg, resumption_master: &[u8], nonce: &[u8]) -> Vec<u8> {
    hkdf_expand_label(
        hash,
        resumption_master,
        "resumption",
        nonce,
        hash.output_len(),
    )
}

/// binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "") (RFC 8446 §7.1).
/// The binder itself is `finished_verify_data(hash, &binder_key, partial_client_hello_hash)`.
pub fn binder_key(hash: HashAlg, early: &[u8], external: bool) -> Vec<u8> {
    let label = if external { "ext binder" } else { "res binder" };
    derive_secret(hash, early, label, &hash.empty_hash())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::crypto::aead::RecordCipher;

    pub(crate) fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    // RFC 8448 §3 (simple 1-RTT handshake, TLS_AES_128_GCM_SHA256, x25519).
    pub(crate) const CLIENT_HELLO: &str = "01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da
        cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01
        00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 14 00 12 00
        1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23 00 00 00 33 00 26 00 24 00 1d 00
        20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52
        9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06
        04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01";
    pub(crate) const SERVER_HELLO: &str = "02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24
        9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24
        00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1 dd 69
        b1 b0 4e 75 1f 0f 00 2b 00 02 03 04";
    /// {server} send handshake record: EncryptedExtensions .. Finished under the server
    /// handshake traffic key (complete record, 679 octets).
    pub(crate) const SERVER_FLIGHT_RECORD: &str = "17 03 03 02 a2 d1 ff 33 4a 56 f5 bf f6 59 4a 07
        cc 87 b5 80 23 3f 50 0f 45 e4 89 e7 f3 3a f3 5e df 78 69 fc f4 0a a4 0a a2 b8 ea 73 f8 48
        a7 ca 07 61 2e f9 f9 45 cb 96 0b 40 68 90 51 23 ea 78 b1 11 b4 29 ba 91 91 cd 05 d2 a3 89
        28 0f 52 61 34 aa dc 7f c7 8c 4b 72 9d f8 28 b5 ec f7 b1 3b d9 ae fb 0e 57 f2 71 58 5b 8e
        a9 bb 35 5c 7c 79 02 07 16 cf b9 b1 18 3e f3 ab 20 e3 7d 57 a6 b9 d7 47 76 09 ae e6 e1 22
        a4 cf 51 42 73 25 25 0c 7d 0e 50 92 89 44 4c 9b 3a 64 8f 1d 71 03 5d 2e d6 5b 0e 3c dd 0c
        ba e8 bf 2d 0b 22 78 12 cb b3 60 98 72 55 cc 74 41 10 c4 53 ba a4 fc d6 10 92 8d 80 98 10
        e4 b7 ed 1a 8f d9 91 f0 6a a6 24 82 04 79 7e 36 a6 a7 3b 70 a2 55 9c 09 ea d6 86 94 5b a2
        46 ab 66 e5 ed d8 04 4b 4c 6d e3 fc f2 a8 94 41 ac 66 27 2f d8 fb 33 0e f8 19 05 79 b3 68
        45 96 c9 60 bd 59 6e ea 52 0a 56 a8 d6 50 f5 63 aa d2 74 09 96 0d ca 63 d3 e6 88 61 1e a5
        e2 2f 44 15 cf 95 38 d5 1a 20 0c 27 03 42 72 96 8a 26 4e d6 54 0c 84 83 8d 89 f7 2c 24 46
        1a ad 6d 26 f5 9e ca ba 9a cb bb 31 7b 66 d9 02 f4 f2 92 a3 6a c1 b6 39 c6 37 ce 34 31 17
        b6 59 62 22 45 31 7b 49 ee da 0c 62 58 f1 00 d7 d9 61 ff b1 38 64 7e 92 ea 33 0f ae ea 6d
        fa 31 c7 a8 4d c3 bd 7e 1b 7a 6c 71 78 af 36 87 90 18 e3 f2 52 10 7f 24 3d 24 3d c7 33 9d
        56 84 c8 b0 37 8b f3 02 44 da 8c 87 c8 43 f5 e5 6e b4 c5 e8 28 0a 2b 48 05 2c f9 3b 16 49
        9a 66 db 7c ca 71 e4 59 94 26 f7 d4 61 e6 6f 99 88 2b d8 9f c5 08 00 be cc a6 2d 6c 74 11
        6d bd 29 72 fd a1 fa 80 f8 5d f8 81 ed be 5a 37 66 89 36 b3 35 58 3b 59 91 86 dc 5c 69 18
        a3 96 fa 48 a1 81 d6 b6 fa 4f 9d 62 d5 13 af bb 99 2f 2b 99 2f 67 f8 af e6 7f 76 91 3f a3
        88 cb 56 30 c8 ca 01 e0 c6 5d 11 c6 6a 1e 2a c4 c8 59 77 b7 c7 a6 99 9b bf 10 dc 35 ae 69
        f5 51 56 14 63 6c 0b 9b 68 c1 9e d2 e3 1c 0b 3b 66 76 30 38 eb ba 42 f3 b3 8e dc 03 99 f3
        a9 f2 3f aa 63 97 8c 31 7f c9 fa 66 a7 3f 60 f0 50 4d e9 3b 5b 84 5e 27 55 92 c1 23 35 ee
        34 0b bc 4f dd d5 02 78 40 16 e4 b3 be 7e f0 4d da 49 f4 b4 40 a3 0c b5 d2 af 93 98 28 fd
        4a e3 79 4e 44 f9 4d f5 a6 31 ed e4 2c 17 19 bf da bf 02 53 fe 51 75 be 89 8e 75 0e dc 53
        37 0d 2b";
    /// {client} send handshake record: the client Finished (complete record, 58 octets).
    pub(crate) const CLIENT_FINISHED_RECORD: &str = "17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80
        44 a7 1e 21 9c 56 cc 77 b0 51 7f e9 b9 3c 7a 4b fc 44 d8 7f 38 f8 03 38 ac 98 fc 46 de b3
        84 bd 1c ae ac ab 68 67 d7 26 c4 05 46";
    /// {client} send application_data record (payload 00 01 .. 31).
    pub(crate) const CLIENT_APP_RECORD: &str = "17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe
        82 28 ba 55 cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44
        1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea e6 3a ee bb 21 69 49 15 e4";
    /// {server} send application_data record (same payload).
    pub(crate) const SERVER_APP_RECORD: &str = "17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad
        36 00 5f c4 a4 69 32 fc 32 25 d0 5f 82 aa 1b 36 e3 0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a
        59 a8 fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32 54 0d d0 32 e1 67 c2 95 5d";

    const SHARED: &str = "8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63
        ef d4 62 72 90 0f 89 49 2d";
    const EARLY: &str = "33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60
        e1 b2 2e 10 f1 70 f9 2a";
    const HS: &str = "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21
        a9 f0 ca 04 3f be ac";
    const HS_HASH: &str = "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f
        02 ed 06 3c f0 e1 ca d8";
    const C_HS: &str = "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96
        00 74 6a 0e 27 a5 5a 21";
    const S_HS: &str = "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d
        42 be fd 59 d3 91 ad 38";
    const MASTER: &str = "18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84
        d5 a4 1d a8 d0 40 29 19";
    const AP_HASH: &str = "96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a 00 0e aa da 3d aa e4 77
        7a 76 86 c9 ff 83 df 13";
    const C_AP: &str = "9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87
        f7 92 eb b7 c1 75 04 a5";
    const S_AP: &str = "a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a
        4b 4f 1f 3f cb 63 16 43";
    const EXP_MASTER: &str = "fe 22 f8 81 17 6e da 18 eb 8f 44 52 9e 67 92 c5 0c 9a 3f 89 45 2f
        68 d8 ae 31 1b 43 09 d3 cf 50";
    const RES_HASH: &str = "20 91 45 a9 6e e8 e2 a1 22 ff 81 00 47 cc 95 26 84 65 8d 60 49 e8 64
        29 42 6d b8 7c 54 ad 14 3d";
    const RES_MASTER: &str = "7d f2 35 f2 03 1d 2a 05 12 87 d0 2b 02 41 b0 bf da f8 6c c8 56 23
        1f 2d 5a ba 46 c4 34 ec 19 6c";

    fn record_body(rec: &str) -> Vec<u8> {
        h(rec)[5..].to_vec()
    }

    /// Opens a TLS 1.3 record and strips the content type: (inner type, content).
    fn open13(keys: &TrafficKeys, seq: u64, rec: &str) -> (u8, Vec<u8>) {
        let mut c = RecordCipher::tls13(AeadAlg::Aes128Gcm, &keys.key, &keys.iv).unwrap();
        let mut inner = c.open(seq, 23, 0x0303, &record_body(rec)).unwrap();
        while inner.last() == Some(&0) {
            inner.pop();
        }
        let t = inner.pop().unwrap();
        (t, inner)
    }

    /// Splits handshake messages (4-byte headers) out of a byte string.
    fn split_messages(mut b: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while b.len() >= 4 {
            let n = 4 + (((b[1] as usize) << 16) | ((b[2] as usize) << 8) | b[3] as usize);
            out.push(b[..n].to_vec());
            b = &b[n..];
        }
        out
    }

    #[test]
    fn rfc8448_simple_1rtt_key_schedule() {
        let sha = HashAlg::Sha256;
        let early = early_secret(sha, None);
        assert_eq!(early, h(EARLY));
        let hs = handshake_secret(sha, &early, &h(SHARED));
        assert_eq!(hs, h(HS));

        let mut t = crate::crypto::hash::Transcript::new();
        t.update(&h(CLIENT_HELLO));
        t.update(&h(SERVER_HELLO));
        assert_eq!(t.hash(sha), h(HS_HASH));
        let c_hs = derive_secret(sha, &hs, "c hs traffic", &t.hash(sha));
        let s_hs = derive_secret(sha, &hs, "s hs traffic", &t.hash(sha));
        assert_eq!(c_hs, h(C_HS));
        assert_eq!(s_hs, h(S_HS));

        let s_hs_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &s_hs);
        assert_eq!(
            s_hs_keys.key,
            h("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc")
        );
        assert_eq!(s_hs_keys.iv, h("5d 31 3e b2 67 12 76 ee 13 00 0b 30"));
        let c_hs_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &c_hs);
        assert_eq!(
            c_hs_keys.key,
            h("db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01")
        );
        assert_eq!(c_hs_keys.iv, h("5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f"));
        assert_eq!(
            hkdf_expand_label(sha, &s_hs, "finished", &[], 32),
            h(
                "00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1
               d8 cd c1 9f c8"
            )
        );

        // The server's encrypted flight: EE, Certificate, CertificateVerify, Finished.
        let (ty, flight) = open13(&s_hs_keys, 0, SERVER_FLIGHT_RECORD);
        assert_eq!(ty, 22);
        let msgs = split_messages(&flight);
        assert_eq!(
            msgs.iter().map(|m| m[0]).collect::<Vec<_>>(),
            vec![8, 11, 15, 20]
        );
        for m in &msgs[..3] {
            t.update(m);
        }
        let server_finished = finished_verify_data(sha, &s_hs, &t.hash(sha));
        assert_eq!(&msgs[3][4..], &server_finished[..]);
        assert_eq!(
            server_finished,
            h(
                "9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54
               54 b7 8f 07 18"
            )
        );
        t.update(&msgs[3]);
        assert_eq!(t.hash(sha), h(AP_HASH));

        let master = master_secret(sha, &hs);
        assert_eq!(master, h(MASTER));
        let c_ap = derive_secret(sha, &master, "c ap traffic", &t.hash(sha));
        let s_ap = derive_secret(sha, &master, "s ap traffic", &t.hash(sha));
        assert_eq!(c_ap, h(C_AP));
        assert_eq!(s_ap, h(S_AP));
        assert_eq!(
            derive_secret(sha, &master, "exp master", &t.hash(sha)),
            h(EXP_MASTER)
        );
        let s_ap_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &s_ap);
        assert_eq!(
            s_ap_keys.key,
            h("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56")
        );
        assert_eq!(s_ap_keys.iv, h("cf 78 2b 88 dd 83 54 9a ad f1 e9 84"));

        // The client's Finished, under the client handshake key.
        let client_finished = finished_verify_data(sha, &c_hs, &t.hash(sha));
        let (ty, cfin) = open13(&c_hs_keys, 0, CLIENT_FINISHED_RECORD);
        assert_eq!(ty, 22);
        assert_eq!(&cfin[..4], &[20, 0, 0, 32]);
        assert_eq!(&cfin[4..], &client_finished[..]);
        assert_eq!(
            client_finished,
            h(
                "a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42
               f2 ed d5 ce 61"
            )
        );
        t.update(&cfin);
        assert_eq!(t.hash(sha), h(RES_HASH));
        assert_eq!(
            derive_secret(sha, &master, "res master", &t.hash(sha)),
            h(RES_MASTER)
        );

        // Application data both ways: payload 00 01 .. 31 under the application keys.
        let payload: Vec<u8> = (0u8..50).collect();
        let c_ap_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &c_ap);
        assert_eq!(
            open13(&c_ap_keys, 0, CLIENT_APP_RECORD),
            (23, payload.clone())
        );
        // The server already sent its NewSessionTicket as application-key record 0.
        assert_eq!(open13(&s_ap_keys, 1, SERVER_APP_RECORD), (23, payload));
    }

    #[test]
    fn rfc8448_resumed_0rtt_secrets() {
        // RFC 8448 §4: the PSK from the §3 ticket (nonce 00 00), then the early secrets.
        let sha = HashAlg::Sha256;
        let psk = resumption_psk(sha, &h(RES_MASTER), &[0, 0]);
        assert_eq!(
            psk,
            h(
                "4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c
               94 92 e1 c4 f3"
            )
        );
        let early = early_secret(sha, Some(&psk));
        assert_eq!(
            early,
            h(
                "9b 21 88 e9 b2 fc 6d 64 d7 1d c3 29 90 0e 20 bb 41 91 50 00 f6 78 aa 83 9c bb 79
               7c b7 d8 33 2c"
            )
        );
        let bk = binder_key(sha, &early, false);
        assert_eq!(
            bk,
            h(
                "69 fe 13 1a 3b ba d5 d6 3c 64 ee bc c3 0e 39 5b 9d 81 07 72 6a 13 d0 74 e3 89 db
               c8 a4 e4 72 56"
            )
        );
        assert_ne!(binder_key(sha, &early, true), bk);
        assert_eq!(
            hkdf_expand_label(sha, &bk, "finished", &[], 32),
            h(
                "55 88 67 3e 72 cb 59 c8 7d 22 0c af fe 94 f2 de a9 a3 b1 60 9f 7d 50 e9 0a 48 22
               7d b9 ed 7e aa"
            )
        );
        let binder_hash = h(
            "63 22 4b 2e 45 73 f2 d3 45 4c a8 4b 9d 00 9a 04 f6 be 9e 05 71 1a
            83 96 47 3a ef a0 1e 92 4a 14",
        );
        assert_eq!(
            finished_verify_data(sha, &bk, &binder_hash),
            h(
                "3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8 8d ae 99 01 41 c5 92 4d 57 bb 6f
               a3 1b 9e 5f 9d"
            )
        );
        let ch_hash = h(
            "08 ad 0f a0 5d 7c 72 33 b1 77 5b a2 ff 9f 4c 5b 8b 59 27 6b 7f 22 7f 13
            a9 76 24 5f 5d 96 09 13",
        );
        assert_eq!(
            derive_secret(sha, &early, "c e traffic", &ch_hash),
            h(
                "3f bb e6 a6 0d eb 66 c3 0a 32 79 5a ba 0e ff 7e aa 10 10 55 86 e7 be 5c 09 67 8d
               63 b6 ca ab 62"
            )
        );
    }

    #[test]
    fn rfc5869_style_sha384_and_lengths() {
        let sha = HashAlg::Sha384;
        let early = early_secret(sha, None);
        assert_eq!(early.len(), 48);
        let hs = handshake_secret(sha, &early, &[7u8; 32]);
        let ms = master_secret(sha, &hs);
        assert_eq!(ms.len(), 48);
        let k = traffic_keys(sha, AeadAlg::Aes256Gcm, &ms);
        assert_eq!((k.key.len(), k.iv.len()), (32, 12));
        assert_eq!(next_traffic_secret(sha, &ms).len(), 48);
        assert_eq!(finished_verify_data(sha, &ms, &[0u8; 48]).len(), 48);
        // Oversized inputs give an empty result rather than a panic.
        assert!(hkdf_expand_label(sha, &ms, "x", &[0u8; 256], 16).is_empty());
        assert!(hkdf_expand_label(sha, &ms, "x", &[], 255 * 48 + 1).is_empty());
        // A short PRK behaves as HMAC does: zero-padded.
        assert_eq!(
            hkdf_expand_label(sha, &[1, 2, 3], "key", &[], 16),
            hkdf_expand_label(sha, &[1, 2, 3, 0, 0], "key", &[], 16)
        );
    }

    #[test]
    fn rfc5869_case1_extract() {
        // RFC 5869 §A.1.
        let prk = hkdf_extract(
            HashAlg::Sha256,
            &h("000102030405060708090a0b0c"),
            &h("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
        );
        assert_eq!(
            prk,
            h("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
        );
    }
}
