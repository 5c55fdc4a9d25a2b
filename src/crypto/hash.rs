//! Hash functions and HMAC for the TLS cipher suites (SHA-256, SHA-384; RFC 5246 §5, RFC 8446
//! §B.4) and the handshake transcript (RFC 8446 §4.4.1, RFC 5246 §7.4.9). TLS 1.0 and 1.1 use
//! the MD5 || SHA-1 pair instead (RFC 2246 §5 and §7.4.9, RFC 4346 §5 and §7.4.9): that is
//! `HashAlg::Md5Sha1`, whose "hash" is the 36-byte concatenation and whose PRF is the
//! P_MD5 XOR P_SHA-1 construction in `prf`.

use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384};
use std::cell::RefCell;

/// The hash of a cipher suite (its PRF and transcript hash).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    Sha256,
    Sha384,
    /// SHA-1 alone (HMAC-SHA1 record MAC, the ECDSA hash of TLS 1.0/1.1).
    Sha1,
    /// TLS 1.0/1.1: MD5(m) || SHA-1(m), 36 bytes; PRF = P_MD5 XOR P_SHA-1.
    Md5Sha1,
}

fn hmac_with<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m =
        <M as hmac::digest::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

impl HashAlg {
    /// Digest length in bytes (32 or 48).
    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha1 => 20,
            HashAlg::Md5Sha1 => 36,
        }
    }

    /// Hash(data).
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => Sha384::digest(data).to_vec(),
            HashAlg::Sha1 => Sha1::digest(data).to_vec(),
            HashAlg::Md5Sha1 => {
                let mut v = Md5::digest(data).to_vec();
                v.extend_from_slice(&Sha1::digest(data));
                v
            }
        }
    }

    /// HMAC(key, data) (RFC 2104). Any key length is accepted. For `Md5Sha1`, which is not a
    /// hash of its own, this is HMAC-MD5 || HMAC-SHA1 with the same key (only the PRF uses the
    /// pair, and it splits the secret itself; see `prf::prf`).
    pub fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => hmac_with::<Hmac<Sha256>>(key, data),
            HashAlg::Sha384 => hmac_with::<Hmac<Sha384>>(key, data),
            HashAlg::Sha1 => hmac_with::<Hmac<Sha1>>(key, data),
            HashAlg::Md5Sha1 => {
                let mut v = hmac_with::<Hmac<Md5>>(key, data);
                v.extend_from_slice(&hmac_with::<Hmac<Sha1>>(key, data));
                v
            }
        }
    }

    /// Display name, e.g. "SHA-256".
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Md5Sha1 => "MD5+SHA-1",
        }
    }

    /// Hash of the empty string (the context of Derive-Secret(.., "derived", ""), RFC 8446 §7.1).
    pub fn empty_hash(self) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => EMPTY_SHA256.to_vec(),
            HashAlg::Sha384 => EMPTY_SHA384.to_vec(),
            _ => self.hash(&[]),
        }
    }
}

/// SHA-256("") (FIPS 180-4), a constant of every TLS 1.3 key schedule.
const EMPTY_SHA256: [u8; 32] = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// SHA-384("").
const EMPTY_SHA384: [u8; 48] = [
    0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e, 0xb1, 0xb1, 0xe3, 0x6a,
    0x21, 0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43, 0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda,
    0x27, 0x4e, 0xde, 0xbf, 0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b,
];

/// Handshake message type of the synthetic `message_hash` message (RFC 8446 §4.4.1).
pub const MESSAGE_HASH_TYPE: u8 = 254;

/// Handshake transcript (RFC 8446 §4.4.1, RFC 5246 §7.4.9): keeps the bytes of every handshake
/// message (with 4-byte headers); hash computed on demand, so the hash can be chosen after the
/// ServerHello picked the cipher suite.
#[derive(Clone, Default)]
pub struct Transcript {
    bytes: Vec<u8>,
    /// Running SHA-256 and SHA-384 states with the length of `bytes` each has absorbed: a
    /// state catches up only when its hash is asked for, so a connection hashes its transcript
    /// once, with the hash of its suite alone, and never from the start again (the other
    /// algorithms hash `bytes` on demand).
    sha256: RefCell<Running<Sha256>>,
    sha384: RefCell<Running<Sha384>>,
}

/// A running hash state, how much of the transcript it has absorbed, and its digest at that
/// point once computed (the same hash is often asked for several times between messages).
#[derive(Clone, Default)]
struct Running<D> {
    state: D,
    absorbed: usize,
    digest: Option<Vec<u8>>,
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcript")
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Feeds the part of `bytes` a running state has not absorbed yet, then finalizes a copy.
fn catch_up<D: Digest + Clone>(running: &RefCell<Running<D>>, bytes: &[u8]) -> Vec<u8> {
    let mut r = running.borrow_mut();
    if r.absorbed < bytes.len() {
        let new = &bytes[r.absorbed..];
        r.state.update(new);
        r.absorbed = bytes.len();
        r.digest = None;
    }
    if r.digest.is_none() {
        r.digest = Some(r.state.clone().finalize().to_vec());
    }
    r.digest.clone().unwrap_or_default()
}

impl Transcript {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one complete handshake message (type, 3-byte length, body).
    pub fn update(&mut self, msg: &[u8]) {
        self.bytes.extend_from_slice(msg);
    }

    /// Transcript-Hash(messages so far).
    pub fn hash(&self, alg: HashAlg) -> Vec<u8> {
        match alg {
            HashAlg::Sha256 => catch_up(&self.sha256, &self.bytes),
            HashAlg::Sha384 => catch_up(&self.sha384, &self.bytes),
            _ => alg.hash(&self.bytes),
        }
    }

    /// The concatenated messages.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// HelloRetryRequest: replaces the content so far (ClientHello1) by message_hash
    /// (type 254, 00 00 Hash.length, Hash(ClientHello1)) per RFC 8446 §4.4.1.
    pub fn replace_with_message_hash(&mut self, alg: HashAlg) {
        let h = self.hash(alg);
        let mut bytes = Vec::with_capacity(4 + h.len());
        bytes.extend_from_slice(&[MESSAGE_HASH_TYPE, 0, 0, h.len() as u8]);
        bytes.extend_from_slice(&h);
        *self = Transcript::default();
        self.update(&bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_hashes_equal_hashing_the_bytes() {
        let mut t = Transcript::new();
        for m in [&b"\x01\x00\x00\x01a"[..], b"\x02\x00\x00\x02bc", b""] {
            t.update(m);
            for alg in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Md5Sha1] {
                assert_eq!(t.hash(alg), alg.hash(t.bytes()));
                // Asked again with nothing new: the same (kept) digest.
                assert_eq!(t.hash(alg), alg.hash(t.bytes()));
            }
            // A copy goes on by itself.
            let mut copy = t.clone();
            copy.update(b"\x03\x00\x00\x00");
            assert_eq!(
                copy.hash(HashAlg::Sha256),
                HashAlg::Sha256.hash(copy.bytes())
            );
            assert_eq!(t.hash(HashAlg::Sha256), HashAlg::Sha256.hash(t.bytes()));
        }
        t.replace_with_message_hash(HashAlg::Sha256);
        assert_eq!(t.hash(HashAlg::Sha256), HashAlg::Sha256.hash(t.bytes()));
        assert_eq!(t.bytes().len(), 4 + 32);
    }

    #[test]
    fn empty_hash_constants() {
        for alg in [
            HashAlg::Sha256,
            HashAlg::Sha384,
            HashAlg::Sha1,
            HashAlg::Md5Sha1,
        ] {
            assert_eq!(alg.empty_hash(), alg.hash(&[]), "{}", alg.name());
        }
    }

    #[test]
    fn known_hashes() {
        assert_eq!(
            hex::encode(HashAlg::Sha256.hash(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex::encode(HashAlg::Sha384.hash(b"abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
             8086072ba1e7cc2358baeca134c825a7"
        );
        assert_eq!(HashAlg::Sha256.output_len(), 32);
        assert_eq!(HashAlg::Sha384.output_len(), 48);
        assert_eq!(HashAlg::Sha384.name(), "SHA-384");
    }

    #[test]
    fn hmac_rfc4231_case2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let d = b"what do ya want for nothing?";
        assert_eq!(
            hex::encode(HashAlg::Sha256.hmac(b"Jefe", d)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(HashAlg::Sha384.hmac(b"Jefe", d)),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
             8e2240ca5e69e2c78b3239ecfab21649"
        );
    }

    #[test]
    fn legacy_hashes() {
        assert_eq!(
            hex::encode(HashAlg::Sha1.hash(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        let both = HashAlg::Md5Sha1.hash(b"abc");
        assert_eq!(hex::encode(&both[..16]), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(&both[16..], &HashAlg::Sha1.hash(b"abc")[..]);
        assert_eq!(HashAlg::Md5Sha1.output_len(), 36);
        // RFC 2202 §3 test case 2.
        assert_eq!(
            hex::encode(HashAlg::Sha1.hmac(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
    }

    #[test]
    fn transcript_and_message_hash() {
        let mut t = Transcript::new();
        t.update(&[1, 0, 0, 1, 0xaa]);
        t.update(&[2, 0, 0, 0]);
        assert_eq!(t.bytes(), &[1, 0, 0, 1, 0xaa, 2, 0, 0, 0]);
        assert_eq!(t.hash(HashAlg::Sha256), HashAlg::Sha256.hash(t.bytes()));
        let h = t.hash(HashAlg::Sha384);
        t.replace_with_message_hash(HashAlg::Sha384);
        assert_eq!(&t.bytes()[..4], &[254, 0, 0, 48]);
        assert_eq!(&t.bytes()[4..], &h[..]);
    }
}
