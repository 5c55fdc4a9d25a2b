//! X448 (RFC 7748 §5 and §6.2) on the Montgomery ladder of `ed448-goldilocks-plus`.
//!
//! Crate choice: the candidates were `x448` 0.6 (crate-crypto; last released 2020, on
//! `ed448-goldilocks` 0.7 and rand_core 0.5, a generation older than ours), RustCrypto's
//! `x448` 0.14 pre-releases (rand_core 0.10 / elliptic-curve 0.14, the next generation, not
//! released yet) and `ed448-goldilocks-plus` 0.16 (maintained, on elliptic-curve 0.13 and
//! rand_core 0.6 like p256/p384). The last one fits our generation; it has no X448 wrapper of
//! its own, so this module applies RFC 7748 §5 to its primitives: the scalar is clamped
//! (decodeScalar448), used as is (not reduced modulo the group order) by the constant-time
//! ladder (`MontgomeryPoint * Scalar`), whose field decoding takes the u-coordinate modulo p
//! as §5 asks. Neither crate rejects a low-order peer point by itself in all its encodings:
//! the all-zero output check of §6.2 (and RFC 8446 §7.4.2) is made here, in constant time.
//! The RFC 7748 §5.2 and §6.2 vectors and the Wycheproof x448 set check the result.

use ed448_goldilocks_plus::{MontgomeryPoint, Scalar};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The u-coordinate of the base point (RFC 7748 §4.2: u = 5).
const BASE_U: [u8; 56] = {
    let mut u = [0u8; 56];
    u[0] = 5;
    u
};

/// An X448 private key (56 random bytes, clamped when used).
pub struct X448Secret(Zeroizing<[u8; 56]>);

impl X448Secret {
    /// A fresh private key from `rng`.
    pub fn random<R: rand_core::RngCore + rand_core::CryptoRng>(rng: &mut R) -> X448Secret {
        let mut k = Zeroizing::new([0u8; 56]);
        rng.fill_bytes(&mut k[..]);
        X448Secret(k)
    }

    /// A private key from its 56 bytes (test vectors).
    pub fn from_bytes(k: [u8; 56]) -> X448Secret {
        X448Secret(Zeroizing::new(k))
    }

    /// X448(k, 5): the public key (RFC 7748 §6.2).
    pub fn public_key(&self) -> [u8; 56] {
        x448(&self.0, &BASE_U)
    }

    /// X448(k, peer); None when the result is all zeros (a low-order peer point, RFC 7748
    /// §6.2).
    pub fn diffie_hellman(&self, peer: &[u8; 56]) -> Option<[u8; 56]> {
        let z = x448(&self.0, peer);
        let zero: bool = z.ct_eq(&[0u8; 56]).into();
        (!zero).then_some(z)
    }
}

/// The X448 function of RFC 7748 §5: decodeScalar448 (clear the two low bits, set the top
/// bit), then the Montgomery ladder over the u-coordinate.
pub fn x448(k: &[u8; 56], u: &[u8; 56]) -> [u8; 56] {
    let mut clamped = Zeroizing::new(*k);
    clamped[0] &= 0xfc;
    clamped[55] |= 0x80;
    let scalar = Scalar::from_bytes(&clamped);
    (&MontgomeryPoint(*u) * &scalar).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b56(h: &str) -> [u8; 56] {
        hex::decode(h).unwrap().try_into().unwrap()
    }

    #[test]
    fn rfc7748_section5_2_vectors() {
        for (k, u, out) in [
            (
                "3d262fddf9ec8e88495266fea19a34d28882acef045104d0d1aae121700a779c984c24f8cdd78fbff44943eba368f54b29259a4f1c600ad3",
                "06fce640fa3487bfda5f6cf2d5263f8aad88334cbd07437f020f08f9814dc031ddbdc38c19c6da2583fa5429db94ada18aa7a7fb4ef8a086",
                "ce3e4ff95a60dc6697da1db1d85e6afbdf79b50a2412d7546d5f239fe14fbaadeb445fc66a01b0779d98223961111e21766282f73dd96b6f",
            ),
            (
                "203d494428b8399352665ddca42f9de8fef600908e0d461cb021f8c538345dd77c3e4806e25f46d3315c44e0a5b4371282dd2c8d5be3095f",
                "0fbcc2f993cd56d3305b0b7d9e55d4c1a8fb5dbb52f8e9a1e9b6201b165d015894e56c4d3570bee52fe205e28a78b91cdfbde71ce8d157db",
                "884a02576239ff7a2f2f63b2db6a9ff37047ac13568e1e30fe63c4a7ad1b3ee3a5700df34321d62077e63633c575c1c954514e99da7c179d",
            ),
        ] {
            assert_eq!(hex::encode(x448(&b56(k), &b56(u))), out);
        }
    }

    /// RFC 7748 §5.2 iterations: k = u = 5; then k = X448(k, u), u = old k; 1 and 1000 times.
    #[test]
    fn rfc7748_iterations() {
        let (mut k, mut u) = (BASE_U, BASE_U);
        let mut step = || {
            let r = x448(&k, &u);
            u = k;
            k = r;
            r
        };
        assert_eq!(
            hex::encode(step()),
            "3f482c8a9f19b01e6c46ee9711d9dc14fd4bf67af30765c2ae2b846a4d23a8cd0db897086239492caf350b51f833868b9bc2b3bca9cf4113"
        );
        let mut last = [0u8; 56];
        for _ in 1..1000 {
            last = step();
        }
        assert_eq!(
            hex::encode(last),
            "aa3b4749d55b9daf1e5b00288826c467274ce3ebbdd5c17b975e09d4af6c67cf10d087202db88286e2b79fceea3ec353ef54faa26e219f38"
        );
    }

    #[test]
    fn rfc7748_section6_2_diffie_hellman() {
        let alice = X448Secret::from_bytes(b56("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
        let bob = X448Secret::from_bytes(b56("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"));
        assert_eq!(hex::encode(alice.public_key()), "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0");
        assert_eq!(hex::encode(bob.public_key()), "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609");
        let k = "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d";
        assert_eq!(
            hex::encode(alice.diffie_hellman(&bob.public_key()).unwrap()),
            k
        );
        assert_eq!(
            hex::encode(bob.diffie_hellman(&alice.public_key()).unwrap()),
            k
        );
    }

    #[test]
    fn low_order_points_give_no_secret() {
        let key = X448Secret::from_bytes([0x42; 56]);
        // u = 0, u = 1, u = p - 1 and the non-canonical u = p (which is 0 mod p).
        let mut p_minus_1 = [0xff; 56];
        p_minus_1[0] = 0xfe;
        p_minus_1[28] = 0xfe;
        let mut p = [0xff; 56];
        p[28] = 0xfe;
        let mut one = [0u8; 56];
        one[0] = 1;
        for u in [[0u8; 56], one, p_minus_1, p] {
            assert!(key.diffie_hellman(&u).is_none(), "{}", hex::encode(u));
        }
        assert!(key.diffie_hellman(&BASE_U).is_some());
    }
}
