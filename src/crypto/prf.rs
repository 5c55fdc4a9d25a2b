//! The TLS pseudo-random functions and what is derived from them: master secret, extended
//! master secret, key block and Finished verify_data (RFC 5246 §5, §6.3, §7.4.9, §8.1;
//! RFC 7627 §4). TLS 1.0/1.1 use the MD5 XOR SHA-1 PRF (RFC 2246 §5, RFC 4346 §5) and the
//! MD5 || SHA-1 transcript hash in Finished (RFC 2246 §7.4.9): `HashAlg::Md5Sha1`.

use super::hash::HashAlg;

/// PRF(secret, label, seed), filling `out`. TLS 1.2: P_<hash>(secret, label + seed) (RFC 5246
/// §5). TLS 1.0/1.1 (`HashAlg::Md5Sha1`): the secret is split into two halves S1 and S2 that
/// share the middle byte when the length is odd, and PRF = P_MD5(S1, label + seed) XOR
/// P_SHA-1(S2, label + seed) (RFC 2246 §5, RFC 4346 §5).
pub fn prf(hash: HashAlg, secret: &[u8], label: &[u8], seed: &[u8], out: &mut [u8]) {
    let mut label_seed = Vec::with_capacity(label.len() + seed.len());
    label_seed.extend_from_slice(label);
    label_seed.extend_from_slice(seed);
    match hash {
        HashAlg::Md5Sha1 => {
            let half = secret.len().div_ceil(2);
            let s1 = &secret[..half];
            let s2 = &secret[secret.len() - half..];
            p_hash(md5_hmac, s1, &label_seed, out);
            let mut sha = vec![0u8; out.len()];
            p_hash(|k, d| HashAlg::Sha1.hmac(k, d), s2, &label_seed, &mut sha);
            for (o, x) in out.iter_mut().zip(sha) {
                *o ^= x;
            }
        }
        h => p_hash(|k, d| h.hmac(k, d), secret, &label_seed, out),
    }
}

fn md5_hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC-MD5 is the first 16 bytes of the Md5Sha1 pair.
    let mut v = HashAlg::Md5Sha1.hmac(key, data);
    v.truncate(16);
    v
}

/// P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...,
/// A(0) = seed, A(i) = HMAC(secret, A(i-1)) (RFC 5246 §5, RFC 2246 §5).
fn p_hash(hmac: impl Fn(&[u8], &[u8]) -> Vec<u8>, secret: &[u8], seed: &[u8], out: &mut [u8]) {
    let mut a = hmac(secret, seed);
    let mut filled = 0;
    while filled < out.len() {
        let mut input = Vec::with_capacity(a.len() + seed.len());
        input.extend_from_slice(&a);
        input.extend_from_slice(seed);
        let block = hmac(secret, &input);
        let n = block.len().min(out.len() - filled);
        out[filled..filled + n].copy_from_slice(&block[..n]);
        filled += n;
        a = hmac(secret, &a);
    }
}

/// master_secret = PRF(pre_master_secret, "master secret", ClientHello.random +
/// ServerHello.random)[0..47] (RFC 5246 §8.1).
pub fn master_secret(
    hash: HashAlg,
    pre_master: &[u8],
    client_random: &[u8],
    server_random: &[u8],
) -> [u8; 48] {
    let mut seed = Vec::with_capacity(client_random.len() + server_random.len());
    seed.extend_from_slice(client_random);
    seed.extend_from_slice(server_random);
    let mut out = [0u8; 48];
    prf(hash, pre_master, b"master secret", &seed, &mut out);
    out
}

/// master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
/// (RFC 7627 §4), where session_hash is the transcript hash up to and including the
/// ClientKeyExchange.
pub fn extended_master_secret(hash: HashAlg, pre_master: &[u8], session_hash: &[u8]) -> [u8; 48] {
    let mut out = [0u8; 48];
    prf(
        hash,
        pre_master,
        b"extended master secret",
        session_hash,
        &mut out,
    );
    out
}

/// key_block = PRF(master_secret, "key expansion", server_random + client_random) (RFC 5246
/// §6.3). Split it as client MAC key, server MAC key, client key, server key, client IV,
/// server IV.
pub fn key_block(
    hash: HashAlg,
    master: &[u8],
    server_random: &[u8],
    client_random: &[u8],
    len: usize,
) -> Vec<u8> {
    let mut seed = Vec::with_capacity(client_random.len() + server_random.len());
    seed.extend_from_slice(server_random);
    seed.extend_from_slice(client_random);
    let mut out = vec![0u8; len];
    prf(hash, master, b"key expansion", &seed, &mut out);
    out
}

/// verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]
/// (RFC 5246 §7.4.9); `label` is b"client finished" or b"server finished".
pub fn finished_verify_data(
    hash: HashAlg,
    master: &[u8],
    label: &[u8],
    transcript_hash: &[u8],
) -> [u8; 12] {
    let mut out = [0u8; 12];
    prf(hash, master, label, transcript_hash, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    /// The TLS 1.2 PRF test vector circulated on the TLS WG list (P_SHA256, 100 bytes),
    /// also reproduced with `openssl kdf -kdfopt digest:SHA256 ... TLS1-PRF`.
    #[test]
    fn prf_sha256_vector() {
        let mut out = [0u8; 100];
        prf(
            HashAlg::Sha256,
            &h("9bbe436ba940f017b17652849a71db35"),
            b"test label",
            &h("a0ba9f936cda311827a6f796ffd5198c"),
            &mut out,
        );
        assert_eq!(
            out.to_vec(),
            h(
                "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a\
               6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab\
               4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701\
               87347b66"
            )
        );
    }

    /// The P_SHA384 vector from the same set (148 bytes), checked against `openssl kdf`.
    #[test]
    fn prf_sha384_vector() {
        let mut out = [0u8; 148];
        prf(
            HashAlg::Sha384,
            &h("b80b733d6ceefcdc71566ea48e5567df"),
            b"test label",
            &h("cd665cf6a8447dd6ff8b27555edb7465"),
            &mut out,
        );
        assert_eq!(
            out.to_vec(),
            h(
                "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd\
               e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd\
               8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425\
               9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6\
               91c8f3a26854308d5eaa3be85e0990703d73e56f"
            )
        );
    }

    /// TLS 1.0/1.1 PRF (P_MD5 XOR P_SHA-1), answers from
    /// `openssl kdf -kdfopt digest:MD5-SHA1 ... TLS1-PRF`; the second has an odd-length
    /// secret, whose middle byte both halves share (RFC 2246 §5).
    #[test]
    fn prf_md5_sha1_vectors() {
        let mut out = [0u8; 100];
        prf(
            HashAlg::Md5Sha1,
            &h("9bbe436ba940f017b17652849a71db35"),
            b"test label",
            &h("a0ba9f936cda311827a6f796ffd5198c"),
            &mut out,
        );
        assert_eq!(hex::encode(out), "661740e6f98bc901efd2738502a71c03f76dd2f86298549b1148eff06714cf0f6b7c532cd8c69f1530e0bb680eec34c495fa75a8bfcc9c335484c0d3d194ab6e32975903c50ebcdbe9d67c0591bdbd80dddcc36d33ccd58adf96caae173f48dc40f983e2");
        let mut ms = [0u8; 48];
        prf(
            HashAlg::Md5Sha1,
            &h("0102030405060708090a0b0c0d0e0f1011"),
            b"master secret",
            &h("aabbcc"),
            &mut ms,
        );
        assert_eq!(hex::encode(ms), "106520da903ee856260ae4cfbf5fdfb36f9d01df65576eb2f780ad294811e229051d8b755e10ec5056c89e9a67c8e902");
    }

    #[test]
    fn prefix_property_and_short_outputs() {
        let mut long = [0u8; 80];
        let mut short = [0u8; 7];
        prf(HashAlg::Sha256, b"s", b"l", b"seed", &mut long);
        prf(HashAlg::Sha256, b"s", b"l", b"seed", &mut short);
        assert_eq!(&long[..7], &short);
        let mut empty: [u8; 0] = [];
        prf(HashAlg::Sha384, b"", b"", b"", &mut empty);
    }

    #[test]
    fn derived_values_use_the_right_labels_and_seeds() {
        let pms = [3u8; 48];
        let (cr, sr) = ([1u8; 32], [2u8; 32]);
        let ms = master_secret(HashAlg::Sha256, &pms, &cr, &sr);
        let mut want = [0u8; 48];
        let seed: Vec<u8> = cr.iter().chain(sr.iter()).copied().collect();
        prf(HashAlg::Sha256, &pms, b"master secret", &seed, &mut want);
        assert_eq!(ms, want);

        let ems = extended_master_secret(HashAlg::Sha384, &pms, &[9u8; 48]);
        prf(
            HashAlg::Sha384,
            &pms,
            b"extended master secret",
            &[9u8; 48],
            &mut want,
        );
        assert_eq!(ems, want);

        let kb = key_block(HashAlg::Sha256, &ms, &sr, &cr, 40);
        let mut want_kb = [0u8; 40];
        let seed: Vec<u8> = sr.iter().chain(cr.iter()).copied().collect();
        prf(HashAlg::Sha256, &ms, b"key expansion", &seed, &mut want_kb);
        assert_eq!(kb, want_kb.to_vec());

        let vd = finished_verify_data(HashAlg::Sha256, &ms, b"client finished", &[5u8; 32]);
        let mut want_vd = [0u8; 12];
        prf(
            HashAlg::Sha256,
            &ms,
            b"client finished",
            &[5u8; 32],
            &mut want_vd,
        );
        assert_eq!(vd, want_vd);
        assert_ne!(
            vd,
            finished_verify_data(HashAlg::Sha256, &ms, b"server finished", &[5u8; 32])
        );
    }
}
