//! The server side of TLS 1.2 RSA key transport in constant time (RFC 5246 §7.4.7.1): RSA
//! decryption (RSADP, RFC 8017 §5.1.2) on crypto-bigint's constant-time Montgomery arithmetic
//! with the CRT and base blinding, the EME-PKCS1-v1_5 check (RFC 8017 §7.2.2 step 3) at the
//! fixed positions a 48-byte message has, and the branch-free choice between the decrypted and
//! a random premaster secret.
//!
//! Why not the `rsa` crate's `decrypt`: its big integers (rsa 0.9, `num-bigint-dig`) are not
//! constant-time and its PKCS#1 v1.5 decryption reports bad padding as an `Err`, which the
//! caller must branch on (RUSTSEC-2023-0071, the Marvin attack). Here no branch and no memory
//! access depends on the private key, on the decrypted value or on the padding: only on the
//! ciphertext's length and the key's size, both public. docs/SECURITY.md has the evaluation
//! and the timing measurements.

use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::{Integer, NonZero, RandomMod, Uint, Word};
use std::sync::Mutex;

use rand_core::CryptoRngCore;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
use zeroize::{Zeroize, Zeroizing};

/// The premaster secret's length (RFC 5246 §7.4.7.1).
pub const PREMASTER_LEN: usize = 48;

/// Bytes of EME-PKCS1-v1_5 framing around the message: 0x00 0x02, at least eight padding
/// bytes, 0x00 (RFC 8017 §7.2.1 step 2).
const MIN_FRAMING: usize = 11;

/// An RSA private key prepared for constant-time premaster decryption. The arithmetic runs at
/// the smallest supported width that holds the modulus (1024, 2048, 3072, 4096, 8192 or 16384
/// bits).
pub struct PremasterKey {
    /// The modulus length in bytes (RFC 8017 §2, k).
    k: usize,
    width: Width,
}

/// Boxed: the widths differ a lot in size (48 KiB for 16384 bits).
enum Width {
    W1024(Box<Prepared<16, 8>>),
    W2048(Box<Prepared<32, 16>>),
    W3072(Box<Prepared<48, 24>>),
    W4096(Box<Prepared<64, 32>>),
    W8192(Box<Prepared<128, 64>>),
    W16384(Box<Prepared<256, 128>>),
}

/// Calls `$body` with `$k` bound to the `Prepared` of whichever width `$w` holds.
macro_rules! each_width {
    ($w:expr, $k:ident => $body:expr) => {
        match $w {
            Width::W1024($k) => $body,
            Width::W2048($k) => $body,
            Width::W3072($k) => $body,
            Width::W4096($k) => $body,
            Width::W8192($k) => $body,
            Width::W16384($k) => $body,
        }
    };
}

impl PremasterKey {
    /// Prepares `key`; None when the modulus is wider than 16384 bits, even, or too short to
    /// hold a 48-byte message with PKCS#1 v1.5 padding.
    pub fn new(key: &RsaPrivateKey) -> Option<PremasterKey> {
        let k = key.size();
        if k < PREMASTER_LEN + MIN_FRAMING {
            return None;
        }
        let bits = key.n().bits();
        let width = if bits <= 1024 {
            Width::W1024(Box::new(Prepared::new(key)?))
        } else if bits <= 2048 {
            Width::W2048(Box::new(Prepared::new(key)?))
        } else if bits <= 3072 {
            Width::W3072(Box::new(Prepared::new(key)?))
        } else if bits <= 4096 {
            Width::W4096(Box::new(Prepared::new(key)?))
        } else if bits <= 8192 {
            Width::W8192(Box::new(Prepared::new(key)?))
        } else if bits <= 16384 {
            Width::W16384(Box::new(Prepared::new(key)?))
        } else {
            return None;
        };
        Some(PremasterKey { k, width })
    }

    /// RFC 5246 §7.4.7.1: decrypts `ciphertext` and returns its 48-byte message when the
    /// padding is right and the message starts with `client_version`, else `random`; which
    /// of the two is chosen is not observable in timing. A ciphertext that is not k bytes
    /// long (a public fact) gives `random` at once.
    pub fn decrypt(
        &self,
        ciphertext: &[u8],
        client_version: u16,
        random: &[u8; PREMASTER_LEN],
        rng: &mut impl CryptoRngCore,
    ) -> [u8; PREMASTER_LEN] {
        if ciphertext.len() != self.k {
            return *random;
        }
        let (in_range, em) = each_width!(&self.width, key => key.decrypt(ciphertext, self.k, rng));
        select_premaster(&em, in_range, client_version, random)
    }
}

/// EME-PKCS1-v1_5 decoding for a 48-byte message (RFC 8017 §7.2.2 step 3) and the version
/// check of RFC 5246 §7.4.7.1, every byte examined, then `random` or the message chosen with
/// a constant-time select. `em` is k bytes.
fn select_premaster(
    em: &[u8],
    in_range: Choice,
    client_version: u16,
    random: &[u8; PREMASTER_LEN],
) -> [u8; PREMASTER_LEN] {
    let k = em.len();
    let separator = k - PREMASTER_LEN - 1;
    let [major, minor] = client_version.to_be_bytes();
    let mut good = in_range & em[0].ct_eq(&0) & em[1].ct_eq(&2);
    for b in &em[2..separator] {
        good &= !b.ct_eq(&0);
    }
    good &= em[separator].ct_eq(&0);
    let message = &em[separator + 1..];
    good &= message[0].ct_eq(&major) & message[1].ct_eq(&minor);
    let mut out = [0u8; PREMASTER_LEN];
    for (o, (r, m)) in out.iter_mut().zip(random.iter().zip(message)) {
        *o = u8::conditional_select(r, m, good);
    }
    out
}

/// The private exponentiation, by the CRT when the key has two primes that fit half the
/// width (every key `openssl genpkey` makes), else with d modulo n.
enum Exponent<const L: usize, const H: usize> {
    Crt {
        p: DynResidueParams<H>,
        q: DynResidueParams<H>,
        dp: Uint<H>,
        dq: Uint<H>,
        /// q⁻¹ mod p, in Montgomery form modulo p.
        qinv: DynResidue<H>,
    },
    Whole {
        d: Uint<L>,
    },
}

/// A key at one width: L limbs for n, H = L/2 for the primes.
struct Prepared<const L: usize, const H: usize> {
    n: DynResidueParams<L>,
    n_nonzero: NonZero<Uint<L>>,
    e: Uint<L>,
    e_bits: usize,
    exponent: Exponent<L, H>,
    blinding: Mutex<Blinding<L>>,
}

/// How many decryptions one blinding pair serves (squared after each) before a fresh one is
/// drawn: the inversion a fresh pair needs costs as much as the decryption itself.
const BLINDING_REUSE: u32 = 32;

/// The blinding pair (rᵉ, r⁻¹) mod n, squared after every use (P. Kocher, "Timing Attacks on
/// Implementations of Diffie-Hellman, RSA, DSS, and Other Systems", 1996, §10).
struct Blinding<const L: usize> {
    r_to_e: DynResidue<L>,
    r_inverse: DynResidue<L>,
    uses: u32,
}

impl<const L: usize, const H: usize> Prepared<L, H> {
    /// Done once per key, at load time: the variable-time `rsa::BigUint` arithmetic here and
    /// in DynResidueParams::new depends on the key only, never on a peer's input.
    fn new(key: &RsaPrivateKey) -> Option<Self> {
        debug_assert_eq!(2 * H, L);
        let n = uint_from_biguint::<L>(key.n())?;
        if !bool::from(n.is_odd()) {
            return None;
        }
        let exponent = Self::crt(key).or_else(|| {
            Some(Exponent::Whole {
                d: uint_from_biguint::<L>(key.d())?,
            })
        })?;
        let n_params = DynResidueParams::new(&n);
        Some(Prepared {
            n: n_params,
            n_nonzero: Option::from(NonZero::new(n))?,
            e: uint_from_biguint::<L>(key.e())?,
            e_bits: key.e().bits(),
            exponent,
            blinding: Mutex::new(Blinding {
                r_to_e: DynResidue::one(n_params),
                r_inverse: DynResidue::one(n_params),
                uses: BLINDING_REUSE,
            }),
        })
    }

    /// dP = d mod (p-1), dQ = d mod (q-1), qInv = q⁻¹ mod p (RFC 8017 §3.2).
    fn crt(key: &RsaPrivateKey) -> Option<Exponent<L, H>> {
        let [p, q] = key.primes() else {
            return None;
        };
        let one = BigUint::from(1u32);
        let dp = Zeroizing::new(key.d() % &(p - &one));
        let dq = Zeroizing::new(key.d() % &(q - &one));
        let p_int = uint_from_biguint::<H>(p)?;
        let q_int = uint_from_biguint::<H>(q)?;
        if !bool::from(p_int.is_odd() & q_int.is_odd()) {
            return None;
        }
        let p_params = DynResidueParams::new(&p_int);
        let (qinv, invertible) = DynResidue::new(&q_int, p_params).invert();
        if !bool::from(Choice::from(invertible)) {
            return None;
        }
        Some(Exponent::Crt {
            p: p_params,
            q: DynResidueParams::new(&q_int),
            dp: uint_from_biguint::<H>(&dp)?,
            dq: uint_from_biguint::<H>(&dq)?,
            qinv,
        })
    }

    /// RSADP (RFC 8017 §5.1.2) of a k-byte ciphertext, blinded: c' = c·rᵉ, m' = c'ᵈ, m =
    /// m'·r⁻¹ mod n with a fresh random r. Returns whether c < n (step 1's range check, as a
    /// Choice) and m as k big-endian bytes.
    fn decrypt(
        &self,
        ciphertext: &[u8],
        k: usize,
        rng: &mut impl CryptoRngCore,
    ) -> (Choice, Zeroizing<Vec<u8>>) {
        let c = uint_from_be::<L>(ciphertext).unwrap_or(Uint::ZERO);
        let in_range = c.ct_lt(self.n.modulus());
        let (r_to_e, r_inverse) = self.blinding(rng);
        let blinded = DynResidue::new(&c, self.n) * r_to_e;
        let mut m = self.private_op(&blinded.retrieve());
        let mut unblinded = (DynResidue::new(&m, self.n) * r_inverse).retrieve();
        let em = be_bytes(&unblinded, k);
        m.zeroize();
        unblinded.zeroize();
        (in_range, em)
    }

    /// The blinding pair for this decryption: the current one squared, or every
    /// BLINDING_REUSE uses a fresh one. Which of the two depends on the count only.
    fn blinding(&self, rng: &mut impl CryptoRngCore) -> (DynResidue<L>, DynResidue<L>) {
        let mut b = self.blinding.lock().unwrap_or_else(|e| e.into_inner());
        if b.uses >= BLINDING_REUSE {
            let (r_to_e, r_inverse) = self.fresh_blinding(rng);
            *b = Blinding {
                r_to_e,
                r_inverse,
                uses: 0,
            };
        } else {
            b.r_to_e = b.r_to_e.square();
            b.r_inverse = b.r_inverse.square();
        }
        b.uses += 1;
        (b.r_to_e, b.r_inverse)
    }

    /// (rᵉ, r⁻¹) mod n for a random r that has an inverse (all but a negligible fraction of
    /// them: a non-invertible r would be a factor of n). The draw is retried, boundedly, on
    /// public randomness only.
    fn fresh_blinding(&self, rng: &mut impl CryptoRngCore) -> (DynResidue<L>, DynResidue<L>) {
        for _ in 0..16 {
            let r = Uint::<L>::random_mod(rng, &self.n_nonzero);
            let r_mod_n = DynResidue::new(&r, self.n);
            let (inverse, ok) = r_mod_n.invert();
            if bool::from(Choice::from(ok)) {
                return (r_mod_n.pow_bounded_exp(&self.e, self.e_bits), inverse);
            }
        }
        // Sixteen draws without an inverse cannot happen with a valid key; unblinded is
        // still correct and constant-time.
        (DynResidue::one(self.n), DynResidue::one(self.n))
    }

    /// cᵈ mod n (c < n): by the CRT (RFC 8017 §5.1.2 step 2b) or directly.
    fn private_op(&self, c: &Uint<L>) -> Uint<L> {
        match &self.exponent {
            Exponent::Whole { d } => DynResidue::new(c, self.n).pow(d).retrieve(),
            Exponent::Crt { p, q, dp, dq, qinv } => {
                let (lo, hi) = split::<L, H>(c);
                let c_p = Uint::const_rem_wide((lo, hi), p.modulus()).0;
                let c_q = Uint::const_rem_wide((lo, hi), q.modulus()).0;
                let m1 = DynResidue::new(&c_p, *p).pow(dp);
                let mut m2 = DynResidue::new(&c_q, *q).pow(dq).retrieve();
                // h = qInv·(m1 - m2) mod p; m = m2 + q·h, which is below n.
                let mut h = (*qinv * (m1 - DynResidue::new(&m2, *p))).retrieve();
                let (qh_lo, qh_hi) = q.modulus().mul_wide(&h);
                let m = join::<L, H>(&qh_lo, &qh_hi).wrapping_add(&join::<L, H>(&m2, &Uint::ZERO));
                m2.zeroize();
                h.zeroize();
                m
            }
        }
    }
}

impl<const L: usize, const H: usize> Drop for Prepared<L, H> {
    fn drop(&mut self) {
        let b = self.blinding.get_mut().unwrap_or_else(|e| e.into_inner());
        b.r_to_e.zeroize();
        b.r_inverse.zeroize();
        match &mut self.exponent {
            Exponent::Crt { dp, dq, qinv, .. } => {
                dp.zeroize();
                dq.zeroize();
                qinv.zeroize();
            }
            Exponent::Whole { d } => d.zeroize(),
        }
    }
}

/// A big-endian byte string as an L-limb integer; None when it does not fit.
fn uint_from_be<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let width = L * Word::BITS as usize / 8;
    if bytes.len() > width {
        return None;
    }
    let mut padded = Zeroizing::new(vec![0u8; width]);
    padded[width - bytes.len()..].copy_from_slice(bytes);
    let mut words = [0 as Word; L];
    for (w, chunk) in words
        .iter_mut()
        .zip(padded.rchunks(Word::BITS as usize / 8))
    {
        let mut b = [0u8; Word::BITS as usize / 8];
        b.copy_from_slice(chunk);
        *w = Word::from_be_bytes(b);
        b.zeroize();
    }
    let out = Uint::from_words(words);
    words.zeroize();
    Some(out)
}

fn uint_from_biguint<const L: usize>(x: &BigUint) -> Option<Uint<L>> {
    uint_from_be(&Zeroizing::new(x.to_bytes_be()))
}

/// The last `k` bytes of `x` in big-endian order (x < 2^(8k)).
fn be_bytes<const L: usize>(x: &Uint<L>, k: usize) -> Zeroizing<Vec<u8>> {
    let mut all = Zeroizing::new(Vec::with_capacity(L * Word::BITS as usize / 8));
    for w in x.as_words().iter().rev() {
        all.extend_from_slice(&w.to_be_bytes());
    }
    Zeroizing::new(all[all.len() - k..].to_vec())
}

/// (low half, high half) of an L-limb integer.
fn split<const L: usize, const H: usize>(x: &Uint<L>) -> (Uint<H>, Uint<H>) {
    let words = x.as_words();
    let mut lo = [0 as Word; H];
    let mut hi = [0 as Word; H];
    lo.copy_from_slice(&words[..H]);
    hi.copy_from_slice(&words[H..]);
    let out = (Uint::from_words(lo), Uint::from_words(hi));
    lo.zeroize();
    hi.zeroize();
    out
}

/// lo + hi·2^(64H) as an L-limb integer.
fn join<const L: usize, const H: usize>(lo: &Uint<H>, hi: &Uint<H>) -> Uint<L> {
    let mut words = [0 as Word; L];
    words[..H].copy_from_slice(lo.as_words());
    words[H..].copy_from_slice(hi.as_words());
    let out = Uint::from_words(words);
    words.zeroize();
    out
}

#[cfg(test)]
mod tests;
