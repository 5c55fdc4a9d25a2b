//! The record MAC of CBC MAC-then-encrypt (RFC 5246 §6.2.3.2, HMAC of RFC 2104) when the
//! length of the data is secret (it comes from the padding): the Lucky Thirteen
//! countermeasure. The same number of compression-function calls, on blocks built the same
//! way, whatever the length; the digest is taken from the right block with a constant-time
//! select. This is the technique of AlFardan and Paterson, "Lucky Thirteen: Breaking the TLS
//! and DTLS Record Protocols" (2013), §6, as BoringSSL's EVP_tls_cbc_digest_record does it;
//! the compression functions are the `sha1` and `sha2` crates'.

use sha1::digest::generic_array::GenericArray;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};

use super::hash::HashAlg;

/// Bytes of MAC header before the length: seq_num (8), type (1), version (2).
pub const PREFIX_LEN: usize = 11;

/// HMAC(key, prefix || u16(len) || data[..len]) with `alg` (SHA-1, SHA-256 or SHA-384), where
/// `len` is secret and lies in `min_len..=data.len()` (both public). Neither the work done nor
/// the memory touched depends on `len`. None for a hash without a record MAC or a key longer
/// than the hash's block (record MAC keys are as long as the digest).
pub fn hmac_secret_length(
    alg: HashAlg,
    key: &[u8],
    prefix: &[u8; PREFIX_LEN],
    data: &[u8],
    len: usize,
    min_len: usize,
) -> Option<Vec<u8>> {
    let m = Message {
        prefix,
        data,
        len,
        min_len: min_len.min(data.len()),
    };
    match alg {
        HashAlg::Sha1 => hmac::<Sha1Blocks>(key, &m),
        HashAlg::Sha256 => hmac::<Sha256Blocks>(key, &m),
        HashAlg::Sha384 => hmac::<Sha384Blocks>(key, &m),
        HashAlg::Md5Sha1 => None,
    }
}

/// The MAC input after the key block: prefix || u16(len) || data[..len].
struct Message<'a> {
    prefix: &'a [u8; PREFIX_LEN],
    data: &'a [u8],
    len: usize,
    min_len: usize,
}

impl Message<'_> {
    const HEADER: usize = PREFIX_LEN + 2;

    /// The byte at `pos` of prefix || u16(len) || data (the whole buffer), 0 beyond it.
    /// `pos` is public; only the two length bytes depend on the secret.
    fn byte(&self, pos: usize) -> u8 {
        match pos {
            p if p < PREFIX_LEN => self.prefix[p],
            PREFIX_LEN => (self.len >> 8) as u8,
            p if p == PREFIX_LEN + 1 => self.len as u8,
            p => self.data.get(p - Self::HEADER).copied().unwrap_or(0),
        }
    }
}

/// A Merkle-Damgård hash as its compression function (FIPS 180-4).
trait Blocks {
    const BLOCK: usize;
    /// Bytes of the bit-length field that ends the padding (8, or 16 for SHA-384).
    const LENGTH_FIELD: usize;
    type State: Copy + ConditionallySelectable;
    fn initial() -> Self::State;
    fn compress(state: &mut Self::State, block: &[u8]);
    fn digest(state: &Self::State) -> Vec<u8>;
    fn hash(data: &[u8]) -> Vec<u8>;
}

/// HMAC = H((K ^ opad) || H((K ^ ipad) || message)) (RFC 2104 §2).
fn hmac<H: Blocks>(key: &[u8], m: &Message) -> Option<Vec<u8>> {
    if key.len() > H::BLOCK {
        return None;
    }
    let mut ipad = vec![0x36u8; H::BLOCK];
    let mut opad = vec![0x5cu8; H::BLOCK];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let mut state = H::initial();
    H::compress(&mut state, &ipad);
    let inner = H::digest(&inner_state::<H>(state, m));
    opad.extend_from_slice(&inner);
    Some(H::hash(&opad))
}

/// The inner hash's state after its last block, for a message whose length is secret.
///
/// Blocks that lie wholly below the shortest possible message are hashed as they are. Every
/// later block up to the last one the longest message could need is built byte by byte:
/// message byte, the 0x80 that starts the padding, zero, or (in the message's last block) its
/// bit length (FIPS 180-4 §5.1), chosen with constant-time selects; all are compressed and
/// the state after the message's own last block is kept.
fn inner_state<H: Blocks>(mut state: H::State, m: &Message) -> H::State {
    let b = H::BLOCK;
    let msg_len = Message::HEADER + m.len;
    let min_msg = Message::HEADER + m.min_len;
    let max_msg = Message::HEADER + m.data.len();
    // The key block comes first: the bit length counts it.
    let bits = ((b + msg_len) as u128) << 3;
    let length_field = &bits.to_be_bytes()[16 - H::LENGTH_FIELD..];
    let last_block = (msg_len + H::LENGTH_FIELD) / b;
    let mut block = vec![0u8; b];
    let direct = min_msg / b;
    for i in 0..direct {
        for (j, x) in block.iter_mut().enumerate() {
            *x = m.byte(i * b + j);
        }
        H::compress(&mut state, &block);
    }
    let mut kept = state;
    for i in direct..=(max_msg + H::LENGTH_FIELD) / b {
        let is_last = (i as u64).ct_eq(&(last_block as u64));
        for (j, x) in block.iter_mut().enumerate() {
            let pos = (i * b + j) as u64;
            let mut v =
                u8::conditional_select(&0, &m.byte(i * b + j), pos.ct_lt(&(msg_len as u64)));
            v |= u8::conditional_select(&0, &0x80, pos.ct_eq(&(msg_len as u64)));
            if let Some(k) = (j + H::LENGTH_FIELD).checked_sub(b) {
                v = u8::conditional_select(&v, &length_field[k], is_last);
            }
            *x = v;
        }
        H::compress(&mut state, &block);
        kept = H::State::conditional_select(&kept, &state, is_last);
    }
    kept
}

/// A hash state as words, selectable in constant time.
#[derive(Clone, Copy)]
struct Words<T: Copy + Default, const N: usize>([T; N]);

impl<T: Copy + Default + ConditionallySelectable, const N: usize> ConditionallySelectable
    for Words<T, N>
{
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mut out = [T::default(); N];
        for (o, (x, y)) in out.iter_mut().zip(a.0.iter().zip(&b.0)) {
            *o = T::conditional_select(x, y, choice);
        }
        Words(out)
    }
}

struct Sha1Blocks;
struct Sha256Blocks;
struct Sha384Blocks;

impl Blocks for Sha1Blocks {
    const BLOCK: usize = 64;
    const LENGTH_FIELD: usize = 8;
    type State = Words<u32, 5>;
    /// FIPS 180-4 §5.3.1.
    fn initial() -> Self::State {
        Words([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0])
    }
    fn compress(state: &mut Self::State, block: &[u8]) {
        sha1::compress(&mut state.0, &[*GenericArray::from_slice(block)]);
    }
    fn digest(state: &Self::State) -> Vec<u8> {
        state.0.iter().flat_map(|w| w.to_be_bytes()).collect()
    }
    fn hash(data: &[u8]) -> Vec<u8> {
        HashAlg::Sha1.hash(data)
    }
}

impl Blocks for Sha256Blocks {
    const BLOCK: usize = 64;
    const LENGTH_FIELD: usize = 8;
    type State = Words<u32, 8>;
    /// FIPS 180-4 §5.3.3.
    fn initial() -> Self::State {
        Words([
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ])
    }
    fn compress(state: &mut Self::State, block: &[u8]) {
        sha2::compress256(&mut state.0, &[*GenericArray::from_slice(block)]);
    }
    fn digest(state: &Self::State) -> Vec<u8> {
        state.0.iter().flat_map(|w| w.to_be_bytes()).collect()
    }
    fn hash(data: &[u8]) -> Vec<u8> {
        HashAlg::Sha256.hash(data)
    }
}

impl Blocks for Sha384Blocks {
    const BLOCK: usize = 128;
    const LENGTH_FIELD: usize = 16;
    type State = Words<u64, 8>;
    /// FIPS 180-4 §5.3.4.
    fn initial() -> Self::State {
        Words([
            0xcbbb9d5dc1059ed8,
            0x629a292a367cd507,
            0x9159015a3070dd17,
            0x152fecd8f70e5939,
            0x67332667ffc00b31,
            0x8eb44a8768581511,
            0xdb0c2e0d64f98fa7,
            0x47b5481dbefa4fa4,
        ])
    }
    fn compress(state: &mut Self::State, block: &[u8]) {
        sha2::compress512(&mut state.0, &[*GenericArray::from_slice(block)]);
    }
    /// SHA-384 is SHA-512 with its own initial value, truncated to six words.
    fn digest(state: &Self::State) -> Vec<u8> {
        state.0[..6].iter().flat_map(|w| w.to_be_bytes()).collect()
    }
    fn hash(data: &[u8]) -> Vec<u8> {
        HashAlg::Sha384.hash(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every secret length between the bounds, at buffer sizes around block boundaries,
    /// the result is the `hmac` crate's HMAC of the same bytes.
    #[test]
    fn equals_plain_hmac_for_every_length() {
        let prefix: [u8; PREFIX_LEN] = [0, 0, 0, 0, 0, 0, 0, 7, 23, 3, 3];
        for alg in [HashAlg::Sha1, HashAlg::Sha256, HashAlg::Sha384] {
            let key: Vec<u8> = (0..alg.output_len() as u8).map(|i| i ^ 0xa7).collect();
            for size in [0usize, 1, 40, 51, 55, 56, 64, 115, 119, 120, 128, 300, 1000] {
                let data: Vec<u8> = (0..size).map(|i| (i * 7 + 3) as u8).collect();
                let min_len = size.saturating_sub(256 + 20);
                for len in min_len..=size {
                    let mut m = prefix.to_vec();
                    m.extend_from_slice(&(len as u16).to_be_bytes());
                    m.extend_from_slice(&data[..len]);
                    let want = alg.hmac(&key, &m);
                    let got = hmac_secret_length(alg, &key, &prefix, &data, len, min_len);
                    assert_eq!(got, Some(want), "{alg:?} size {size} len {len}");
                }
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        let p = [0u8; PREFIX_LEN];
        assert_eq!(
            hmac_secret_length(HashAlg::Md5Sha1, &[0; 16], &p, &[], 0, 0),
            None
        );
        assert_eq!(
            hmac_secret_length(HashAlg::Sha1, &[0; 65], &p, &[], 0, 0),
            None
        );
        assert!(hmac_secret_length(HashAlg::Sha384, &[0; 128], &p, &[], 0, 0).is_some());
    }
}
