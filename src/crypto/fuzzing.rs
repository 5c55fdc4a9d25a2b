//! The fuzzing-only crypto mode: under `cfg(fuzzing)` (set by cargo-fuzz, never in a normal or
//! release build) record protection is the identity with zero tags, signatures and Finished
//! values always check out and any key share is accepted, so that fuzzed input reaches the
//! states after the key exchange. `ON` is a constant: in normal builds every branch on it is
//! removed by the compiler.

/// True only in fuzzing builds.
pub const ON: bool = cfg!(fuzzing);

/// Fuzzing "protection": the plaintext followed by `overhead` zero bytes.
pub fn seal(plaintext: &[u8], overhead: usize) -> Vec<u8> {
    let mut v = plaintext.to_vec();
    v.resize(plaintext.len() + overhead, 0);
    v
}

/// The inverse of `seal`: drops the last `overhead` bytes (bad_record_mac when too short).
pub fn open(fragment: &[u8], overhead: usize) -> Result<Vec<u8>, crate::error::TlsError> {
    if fragment.len() < overhead {
        return Err(crate::error::TlsError::new(
            crate::error::Alert::BadRecordMac,
            "record shorter than its protection overhead",
        ));
    }
    Ok(fragment[..fragment.len() - overhead].to_vec())
}

/// A shared secret derived from the peer's share alone.
pub fn shared(peer: &[u8]) -> Vec<u8> {
    crate::crypto::hash::HashAlg::Sha256.hash(peer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn seal_and_open_are_inverse() {
        assert_eq!(super::open(&super::seal(b"abc", 16), 16).unwrap(), b"abc");
        assert!(super::open(&[0; 3], 16).is_err());
    }
}
