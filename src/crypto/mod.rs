//! Thin wrappers around RustCrypto primitives: key exchange, AEAD record protection, the TLS 1.2 PRF, the TLS 1.3 key schedule, transcript hashing, signatures and the key log.
