//! Timing harness for the side-channel measurements in docs/SECURITY.md (run by
//! scripts/timing_marvin.sh and scripts/timing_lucky13.sh, never by the tests): times the exact
//! library calls `listen` makes on hostile input, one call per input, in the order of a
//! tlsfuzzer `log.csv`, and writes the times for tlsfuzzer's `extract.py --raw-times`.
//!
//! ```text
//! timing_harness rsa KEY.pem DIR [rsa-0.9]
//!                                     # DIR holds marvin-ciphertext-generator.py's log.csv and
//!                                     # pms_values.bin; writes DIR/raw_times.csv
//! timing_harness cbc DIR REPEAT      # writes DIR/log.csv (Lucky 13 record classes, REPEAT
//!                                     # shuffled rounds) and DIR/raw_times.csv
//! ```
//!
//! `rsa` times `SigningKey::rsa_decrypt_premaster` (RFC 5246 §7.4.7.1: decryption, the
//! padding and version checks and the selection of the random premaster); with `rsa-0.9` it
//! times the code that function ran before (the `rsa` crate's `decrypt_blinded`), kept here
//! as the baseline to compare with under the same conditions. `cbc` times
//! `CbcCipher::open` (MAC-then-encrypt, TLS 1.2, AES-128-CBC with HMAC-SHA1, 512-byte
//! fragments as in tlsfuzzer's test-lucky13.py) on records that all fail: a wrong MAC under
//! different padding lengths, or a wrong byte in a 256-byte padding. Times are in seconds.

use std::fs;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use aes::cipher::{block_padding::NoPadding, BlockEncryptMut, KeyIvInit};
use rand::seq::SliceRandom;
use rand_core::RngCore;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};
use subtle::{ConditionallySelectable, ConstantTimeEq};
use tlsprobe::crypto::cbc::{CbcAlg, CbcCipher, IvMode};
use tlsprobe::crypto::hash::HashAlg;
use tlsprobe::crypto::rng::{system_rng, TlsRng};
use tlsprobe::crypto::sign::SigningKey;

/// Calls made before measuring (caches, branch predictors, CPU frequency).
const WARM_UP: usize = 2000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["rsa", key, dir] => rsa(Path::new(key), Path::new(dir), false),
        ["rsa", key, dir, "rsa-0.9"] => rsa(Path::new(key), Path::new(dir), true),
        ["cbc", dir, repeat] => match repeat.parse() {
            Ok(n) => cbc(Path::new(dir), n),
            Err(_) => Err(format!("REPEAT must be a number, not {repeat}")),
        },
        _ => Err(
            "usage: timing_harness rsa KEY.pem DIR [rsa-0.9] | timing_harness cbc DIR REPEAT"
                .into(),
        ),
    };
    if let Err(e) = r {
        eprintln!("timing_harness: {e}");
        std::process::exit(2);
    }
}

/// The class indices of a tlsfuzzer log.csv, in run order (the first line names the classes).
fn log_order(dir: &Path) -> Result<(Vec<String>, Vec<usize>), String> {
    let text = fs::read_to_string(dir.join("log.csv")).map_err(|e| format!("log.csv: {e}"))?;
    let mut lines = text.lines();
    let classes = lines
        .next()
        .ok_or("log.csv is empty")?
        .split(',')
        .map(str::to_string)
        .collect();
    let order = lines
        .flat_map(|l| l.split(','))
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim()
                .parse()
                .map_err(|_| format!("log.csv: bad index {s}"))
        })
        .collect::<Result<_, _>>()?;
    Ok((classes, order))
}

fn write_times(dir: &Path, times: &[f64]) -> Result<(), String> {
    let path = dir.join("raw_times.csv");
    let f = fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = BufWriter::new(f);
    let mut out = || -> std::io::Result<()> {
        writeln!(w, "raw times")?;
        for t in times {
            writeln!(w, "{t:.9}")?;
        }
        w.flush()
    };
    out().map_err(|e| format!("{}: {e}", path.display()))
}

/// Times the RSA key-transport decryption of every ciphertext in DIR/pms_values.bin, with
/// tlsprobe's code or (`baseline`) the code it replaced.
fn rsa(key_path: &Path, dir: &Path, baseline: bool) -> Result<(), String> {
    let pem = fs::read_to_string(key_path).map_err(|e| format!("{}: {e}", key_path.display()))?;
    let key = SigningKey::from_pem(&pem)?;
    let old_key: RsaPrivateKey = rsa::pkcs8::DecodePrivateKey::from_pkcs8_pem(&pem)
        .or_else(|_| rsa::pkcs1::DecodeRsaPrivateKey::from_pkcs1_pem(&pem))
        .map_err(|e| format!("the key is not an RSA key ({e})"))?;
    let k = old_key.size();
    let (_, order) = log_order(dir)?;
    let blob = fs::read(dir.join("pms_values.bin")).map_err(|e| format!("pms_values.bin: {e}"))?;
    if blob.len() != order.len() * k {
        return Err(format!(
            "pms_values.bin holds {} bytes, expected {} ciphertexts of {k}",
            blob.len(),
            order.len()
        ));
    }
    let mut rng = system_rng();
    // TLS 1.2 in the ClientHello; marvin-ciphertext-generator.py avoids that version in the
    // well-formed plaintexts, so every probe takes the random-premaster path.
    let version = 0x0303;
    let mut once = |ct: &[u8]| {
        if baseline {
            rsa09_decrypt_premaster(&old_key, ct, version, &mut rng)
        } else {
            key.rsa_decrypt_premaster(ct, version, &mut rng)
        }
    };
    for ct in blob.chunks(k).cycle().take(WARM_UP) {
        black_box(once(black_box(ct)));
    }
    let mut times = Vec::with_capacity(order.len());
    for ct in blob.chunks(k) {
        let start = Instant::now();
        black_box(once(black_box(ct)));
        times.push(start.elapsed().as_secs_f64());
    }
    write_times(dir, &times)
}

/// The baseline: what `SigningKey::rsa_decrypt_premaster` did up to commit 47562b0 (rsa 0.9's
/// `decrypt_blinded`, whose big-integer arithmetic is not constant-time and whose bad padding
/// is an `Err`, then a constant-time selection).
fn rsa09_decrypt_premaster(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
    client_version: u16,
    rng: &mut TlsRng,
) -> [u8; 48] {
    let mut random = [0u8; 48];
    rng.fill_bytes(&mut random);
    let decrypted = key.decrypt_blinded(rng, Pkcs1v15Encrypt, ciphertext);
    let (ok, plain) = match decrypted {
        Ok(p) => (subtle::Choice::from(1u8), p),
        Err(_) => (subtle::Choice::from(0u8), Vec::new()),
    };
    let len_ok = plain.len().ct_eq(&48);
    let mut candidate = [0u8; 48];
    for (i, c) in candidate.iter_mut().enumerate() {
        *c = plain.get(i).copied().unwrap_or(0);
    }
    let [major, minor] = client_version.to_be_bytes();
    let version_ok = candidate[0].ct_eq(&major) & candidate[1].ct_eq(&minor);
    let good = ok & len_ok & version_ok;
    let mut out = [0u8; 48];
    for i in 0..48 {
        out[i] = u8::conditional_select(&random[i], &candidate[i], good);
    }
    out
}

const CBC_KEY: [u8; 16] = [0x2b; 16];
const MAC_KEY: [u8; 20] = [0x5c; 20];
/// IV (16) + ciphertext: the fragment size test-lucky13.py sends.
const FRAGMENT: usize = 512;
const MAC_LEN: usize = 20;
const BLOCK: usize = 16;

/// One hostile record class: its tlsfuzzer-style name and its plaintext (data, MAC, padding).
struct Class {
    name: String,
    plain: Vec<u8>,
}

fn hmac_sha1(header: &[u8; 13], data: &[u8]) -> Vec<u8> {
    let mut m = header.to_vec();
    m.extend_from_slice(data);
    HashAlg::Sha1.hmac(&MAC_KEY, &m)
}

fn header(len: usize) -> [u8; 13] {
    let mut h = [0u8; 13];
    h[8] = 23;
    h[9..11].copy_from_slice(&0x0303u16.to_be_bytes());
    h[11..].copy_from_slice(&(len as u16).to_be_bytes());
    h
}

/// `pad_len` bytes of padding including the length byte (1..=256), a MAC with every byte
/// inverted (test-lucky13.py's "wrong MAC, padding length N"; no commas in class names: the
/// log is CSV).
fn wrong_mac(pad_len: usize) -> Class {
    let data_len = FRAGMENT - BLOCK - MAC_LEN - pad_len;
    let data = vec![0u8; data_len];
    let mut plain = data.clone();
    plain.extend(hmac_sha1(&header(data_len), &data).iter().map(|b| b ^ 0xff));
    plain.extend(std::iter::repeat_n((pad_len - 1) as u8, pad_len));
    Class {
        name: format!("wrong MAC (padding length {pad_len})"),
        plain,
    }
}

/// A right MAC and a 256-byte padding with the byte at `pos` wrong.
fn wrong_padding(pos: usize) -> Class {
    let data_len = FRAGMENT - BLOCK - MAC_LEN - 256;
    let data = vec![0u8; data_len];
    let mut plain = data.clone();
    plain.extend(hmac_sha1(&header(data_len), &data));
    let mut padding = vec![255u8; 256];
    padding[pos] ^= 0xff;
    plain.extend(padding);
    Class {
        name: format!("wrong padding at pos {pos} (padding length 256)"),
        plain,
    }
}

/// The classes: test-lucky13.py --quick's padding lengths (1, 256) and padding errors, plus
/// padding lengths where the HMAC-SHA1 input crosses a 64-byte block boundary.
fn lucky13_classes() -> Vec<Class> {
    let mut v: Vec<Class> = [1, 50, 56, 57, 120, 121, 184, 248, 256]
        .into_iter()
        .map(wrong_mac)
        .collect();
    v.push(wrong_padding(0));
    v.push(wrong_padding(254));
    v
}

fn encrypt(plain: &[u8]) -> Vec<u8> {
    let iv = [0x11u8; BLOCK];
    let mut body = plain.to_vec();
    let len = body.len();
    cbc::Encryptor::<aes::Aes128>::new_from_slices(&CBC_KEY, &iv)
        .expect("16-byte key and IV")
        .encrypt_padded_mut::<NoPadding>(&mut body, len)
        .expect("whole blocks");
    let mut frag = iv.to_vec();
    frag.extend(body);
    frag
}

/// Writes a shuffled log of `repeat` rounds and times `CbcCipher::open` for each entry.
fn cbc(dir: &Path, repeat: usize) -> Result<(), String> {
    let classes = lucky13_classes();
    let records: Vec<Vec<u8>> = classes.iter().map(|c| encrypt(&c.plain)).collect();
    let mut rx = CbcCipher::new(
        CbcAlg::Aes128Cbc,
        HashAlg::Sha1,
        &CBC_KEY,
        &MAC_KEY,
        &[0; BLOCK],
        IvMode::Explicit,
        false,
        [7; 32],
    )
    .map_err(|e| e.message)?;
    for r in &records {
        if rx.open(0, 23, 0x0303, r).is_ok() {
            return Err("a hostile record was accepted".into());
        }
    }
    let mut rng = rand::thread_rng();
    let mut log = String::new();
    let names: Vec<&str> = classes.iter().map(|c| c.name.as_str()).collect();
    log.push_str(&names.join(","));
    log.push('\n');
    let mut order = Vec::with_capacity(repeat * classes.len());
    for _ in 0..repeat {
        let mut round: Vec<usize> = (0..classes.len()).collect();
        round.shuffle(&mut rng);
        let line: Vec<String> = round.iter().map(usize::to_string).collect();
        log.push_str(&line.join(","));
        log.push('\n');
        order.extend(round);
    }
    fs::write(dir.join("log.csv"), log).map_err(|e| format!("log.csv: {e}"))?;
    for i in 0..WARM_UP {
        let _ = black_box(rx.open(0, 23, 0x0303, black_box(&records[i % records.len()])));
    }
    let mut times = Vec::with_capacity(order.len());
    for &i in &order {
        let rec = &records[i];
        let start = Instant::now();
        let r = rx.open(0, 23, 0x0303, black_box(rec));
        times.push(start.elapsed().as_secs_f64());
        let _ = black_box(r);
    }
    write_times(dir, &times)
}
