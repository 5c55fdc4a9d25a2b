//! Finite-field Diffie-Hellman for the TLS_DHE_* suites (RFC 5246 §7.4.3 ServerDHParams,
//! §7.4.7.2 ClientDiffieHellmanPublic, §8.1.2 the pre-master secret; RFC 7919 §3 and §5.1 on
//! checking parameters and public values).
//!
//! The server's parameters are checked before use: p odd and of a sane size (512..=16384 bits;
//! under 1024 bits refused with insufficient_security unless the caller allows weak groups,
//! under 2048 flagged weak), 1 < g < p-1 and 1 < Ys < p-1; the prime is recognised when it is
//! one of the well-known groups of `dh_groups` (RFC 7919, RFC 3526, RFC 2409, RFC 5114). An
//! unknown prime is not tested for primality (that would cost seconds for large groups); the
//! trace says it is unknown.
//!
//! Private exponents have at least 256 random bits (RFC 7919 §5.2 asks for at least twice the
//! security level). Limitation: the exponentiation uses num-bigint-dig's `modpow` (Montgomery
//! multiplication with a sliding window), which is not guaranteed constant-time; our exponents
//! are ephemeral and used once, which limits what a timing observer can learn.

use rand_core::RngCore;
use rsa::BigUint;
use zeroize::Zeroizing;

use super::dh_groups::{KnownGroup, KNOWN};
use crate::error::{Alert, TlsError};

/// Smallest prime accepted at all, even with weak groups allowed.
pub const MIN_BITS_ABSOLUTE: usize = 512;
/// Smallest prime accepted by default (RFC 7919 §1 on 1024-bit groups; Logjam).
pub const MIN_BITS_DEFAULT: usize = 1024;
/// Primes below this are flagged weak.
pub const WEAK_BELOW_BITS: usize = 2048;
/// Largest prime accepted (bounds the work an attacker-chosen modulus can cause).
pub const MAX_BITS: usize = 16384;

/// Looks up a known group by its prime (big-endian bytes, leading zeros ignored).
pub fn known_group(p: &[u8]) -> Option<&'static KnownGroup> {
    let p = BigUint::from_bytes_be(p);
    KNOWN
        .iter()
        .find(|k| parse_hex(k.p_hex).is_some_and(|kp| kp == p))
}

/// A known group's (p, g) as big-endian bytes, for a server to offer.
pub fn group_bytes(k: &KnownGroup) -> (Vec<u8>, Vec<u8>) {
    let p = parse_hex(k.p_hex).unwrap_or_default();
    let g = parse_hex(k.g_hex).unwrap_or_default();
    (p.to_bytes_be(), g.to_bytes_be())
}

fn parse_hex(h: &str) -> Option<BigUint> {
    let clean: String = h.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    BigUint::parse_bytes(clean.as_bytes(), 16)
}

/// What was learnt about a server's DH parameters (worded for the trace by `report::checks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhParamsInfo {
    /// Size of the prime in bits.
    pub bits: usize,
    /// The generator, in decimal when small, else in hex.
    pub generator: String,
    /// The well-known group the prime belongs to, if any.
    pub known: Option<&'static str>,
    /// True when the prime is under 2048 bits.
    pub weak: bool,
}

fn illegal(msg: impl Into<String>) -> TlsError {
    TlsError::new(Alert::IllegalParameter, msg)
}

/// Checks a public value against p: 1 < y < p-1 (RFC 7919 §5.1; y = 0, 1, p-1 or >= p would
/// confine the shared secret to a tiny subgroup or be meaningless).
pub fn check_public(p: &BigUint, y: &BigUint, whose: &str) -> Result<(), TlsError> {
    let one = BigUint::from(1u32);
    if *y <= one || *y >= p - &one {
        return Err(illegal(format!(
            "the {whose} DH public value is out of range (must be 1 < Y < p-1)"
        )));
    }
    Ok(())
}

/// Checks the server's ServerDHParams (RFC 5246 §7.4.3). `allow_weak` lowers the refusal
/// threshold from 1024 to 512 bits. Refusals: a prime too small -> insufficient_security;
/// anything malformed -> illegal_parameter.
pub fn check_server_params(
    p: &[u8],
    g: &[u8],
    ys: &[u8],
    allow_weak: bool,
) -> Result<DhParamsInfo, TlsError> {
    let pn = BigUint::from_bytes_be(p);
    let bits = pn.bits();
    if bits > MAX_BITS {
        return Err(illegal(format!(
            "the server's DH prime has {bits} bits (more than {MAX_BITS})"
        )));
    }
    let min = if allow_weak {
        MIN_BITS_ABSOLUTE
    } else {
        MIN_BITS_DEFAULT
    };
    if bits < min {
        let hint = if allow_weak {
            String::new()
        } else if bits >= MIN_BITS_ABSOLUTE {
            " (-k accepts it)".to_string()
        } else {
            String::new()
        };
        return Err(TlsError::new(
            Alert::InsufficientSecurity,
            format!("the server's DH prime has only {bits} bits: refused (Logjam){hint}"),
        ));
    }
    if pn.to_bytes_be().last().is_none_or(|b| b & 1 == 0) {
        return Err(illegal("the server's DH prime is even"));
    }
    let gn = BigUint::from_bytes_be(g);
    let one = BigUint::from(1u32);
    if gn <= one || gn >= &pn - &one {
        return Err(illegal(
            "the server's DH generator is out of range (must be 1 < g < p-1)",
        ));
    }
    let yn = BigUint::from_bytes_be(ys);
    check_public(&pn, &yn, "server's")?;
    let generator = if gn.bits() <= 32 {
        gn.to_string()
    } else {
        format!("0x{}", hex::encode(gn.to_bytes_be()))
    };
    Ok(DhParamsInfo {
        bits,
        generator,
        known: known_group(p).map(|k| k.description),
        weak: bits < WEAK_BELOW_BITS,
    })
}

/// An ephemeral DH private key for one handshake.
pub struct DhKey {
    p: BigUint,
    g: BigUint,
    x: BigUint,
    p_len: usize,
}

impl std::fmt::Debug for DhKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DhKey({}-bit group)", self.p.bits())
    }
}

impl DhKey {
    /// A fresh key for (p, g): x has 256 random bits (384 for primes of 3072 bits and more,
    /// 512 from 7680 bits: RFC 7919 §5.2 and Appendix A ask for at least 400 for ffdhe8192),
    /// and is kept below p-1.
    pub fn generate<R>(p: &[u8], g: &[u8], rng: &mut R) -> Result<Self, TlsError>
    where
        R: RngCore + rand_core::CryptoRng,
    {
        let pn = BigUint::from_bytes_be(p);
        let gn = BigUint::from_bytes_be(g);
        let pbits = pn.bits();
        if !(MIN_BITS_ABSOLUTE..=MAX_BITS).contains(&pbits) {
            return Err(TlsError::internal("DH prime out of the supported range"));
        }
        let xbits = match pbits {
            7680.. => 512,
            3072.. => 384,
            _ => 256,
        }
        .min(pbits - 2);
        let mut buf = Zeroizing::new(vec![0u8; xbits.div_ceil(8)]);
        rng.fill_bytes(&mut buf);
        let excess = buf.len() * 8 - xbits;
        buf[0] &= 0xff >> excess;
        // Never 0 or 1.
        buf[0] |= 0x80 >> excess;
        let x = BigUint::from_bytes_be(&buf);
        Ok(DhKey {
            p_len: p.len().max(pn.bits().div_ceil(8)),
            p: pn,
            g: gn,
            x,
        })
    }

    /// g^x mod p, left-padded with zeros to the length of p (RFC 7919 §3).
    pub fn public_key(&self) -> Vec<u8> {
        let y = self.g.modpow(&self.x, &self.p).to_bytes_be();
        let mut out = vec![0u8; self.p_len.saturating_sub(y.len())];
        out.extend_from_slice(&y);
        out
    }

    /// The shared secret Z = peer^x mod p with leading zero bytes stripped (RFC 5246 §8.1.2).
    /// The peer's value must satisfy 1 < Y < p-1 (illegal_parameter otherwise).
    pub fn agree(&self, peer: &[u8], whose: &str) -> Result<Vec<u8>, TlsError> {
        if crate::crypto::fuzzing::ON {
            return Ok(crate::crypto::fuzzing::shared(peer));
        }
        let y = BigUint::from_bytes_be(peer);
        check_public(&self.p, &y, whose)?;
        let z = y.modpow(&self.x, &self.p);
        if z <= BigUint::from(1u32) {
            return Err(illegal("the DH shared secret is degenerate"));
        }
        Ok(z.to_bytes_be())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::dh_groups;
    use crate::crypto::rng::seeded_rng;

    fn ffdhe2048() -> (Vec<u8>, Vec<u8>) {
        group_bytes(&KNOWN[0])
    }

    #[test]
    fn both_sides_agree_and_strip_leading_zeros() {
        let (p, g) = ffdhe2048();
        let mut rng = seeded_rng(3);
        for _ in 0..4 {
            let a = DhKey::generate(&p, &g, &mut rng).unwrap();
            let b = DhKey::generate(&p, &g, &mut rng).unwrap();
            let (pa, pb) = (a.public_key(), b.public_key());
            assert_eq!(pa.len(), 256);
            let za = a.agree(&pb, "peer").unwrap();
            assert_eq!(za, b.agree(&pa, "peer").unwrap());
            assert_ne!(za[0], 0);
        }
    }

    #[test]
    fn known_groups_are_recognised_and_sized() {
        for k in KNOWN {
            let (p, g) = group_bytes(k);
            let got = known_group(&p).expect(k.name);
            assert_eq!(got.name, k.name);
            assert!(!g.is_empty());
            assert!(p.len() * 8 >= 768, "{}", k.name);
        }
        let (p, _) = group_bytes(&KNOWN[0]);
        assert_eq!(p.len() * 8, 2048);
        assert!(known_group(&[0xff; 256]).is_none());
        assert!(dh_groups::FFDHE3072.len() > 700);
    }

    #[test]
    fn parameter_checks() {
        let (p, g) = ffdhe2048();
        let pn = BigUint::from_bytes_be(&p);
        let one = BigUint::from(1u32);
        let good_y = DhKey::generate(&p, &g, &mut seeded_rng(1))
            .unwrap()
            .public_key();
        let info = check_server_params(&p, &g, &good_y, false).unwrap();
        assert_eq!(info.bits, 2048);
        assert_eq!(info.generator, "2");
        assert!(!info.weak);
        assert!(info.known.unwrap().contains("ffdhe2048"));
        // Ys = 0, 1, p-1, p, > p: illegal_parameter.
        for y in [
            vec![0u8],
            vec![1u8],
            (&pn - &one).to_bytes_be(),
            p.clone(),
            (&pn + &one).to_bytes_be(),
        ] {
            assert_eq!(
                check_server_params(&p, &g, &y, false).unwrap_err().alert,
                Alert::IllegalParameter
            );
        }
        // g = 1 or p-1.
        assert!(check_server_params(&p, &[1], &good_y, false).is_err());
        assert!(check_server_params(&p, &(&pn - &one).to_bytes_be(), &good_y, false).is_err());
        // Even p.
        let mut even = p.clone();
        *even.last_mut().unwrap() &= 0xfe;
        assert_eq!(
            check_server_params(&even, &g, &[5], false)
                .unwrap_err()
                .alert,
            Alert::IllegalParameter
        );
    }

    #[test]
    fn small_primes_are_refused_or_flagged() {
        // Tiny prime (23): refused even with weak groups allowed.
        let e = check_server_params(&[23], &[5], &[7], true).unwrap_err();
        assert_eq!(e.alert, Alert::InsufficientSecurity);
        // 768-bit Oakley group 1: refused by default, accepted (weak) with -k.
        let k768 = known_by_name("rfc2409_group1");
        let (p, g) = group_bytes(k768);
        let y = DhKey::generate(&p, &g, &mut seeded_rng(2))
            .unwrap()
            .public_key();
        let e = check_server_params(&p, &g, &y, false).unwrap_err();
        assert_eq!(e.alert, Alert::InsufficientSecurity);
        assert!(e.message.contains("-k"));
        let info = check_server_params(&p, &g, &y, true).unwrap();
        assert!(info.weak);
        assert_eq!(info.bits, 768);
        // 1024-bit: accepted, flagged weak, recognised.
        let (p, g) = group_bytes(known_by_name("rfc2409_group2"));
        let y = DhKey::generate(&p, &g, &mut seeded_rng(2))
            .unwrap()
            .public_key();
        let info = check_server_params(&p, &g, &y, false).unwrap();
        assert!(info.weak);
        assert_eq!(info.bits, 1024);
        assert!(info.known.is_some_and(|k| k.contains("RFC 2409")));
        // Huge: refused.
        let mut huge = vec![0xffu8; MAX_BITS / 8 + 1];
        *huge.last_mut().unwrap() = 0xfd;
        assert!(check_server_params(&huge, &[2], &[5], true).is_err());
    }

    fn known_by_name(n: &str) -> &'static KnownGroup {
        KNOWN.iter().find(|k| k.name == n).unwrap()
    }

    #[test]
    fn agree_rejects_bad_peer_values() {
        let (p, g) = ffdhe2048();
        let k = DhKey::generate(&p, &g, &mut seeded_rng(4)).unwrap();
        let pn = BigUint::from_bytes_be(&p);
        for y in [
            vec![],
            vec![1u8],
            (&pn - BigUint::from(1u32)).to_bytes_be(),
            p.clone(),
        ] {
            assert_eq!(
                k.agree(&y, "client's").unwrap_err().alert,
                Alert::IllegalParameter
            );
        }
    }
}
