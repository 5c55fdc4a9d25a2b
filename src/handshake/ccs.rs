//! A received ChangeCipherSpec, both roles: the TLS 1.3 middlebox-compatibility one
//! (RFC 8446 §5, Appendix D.4) and the TLS 1.0-1.2 one that switches the read keys
//! (RFC 5246 §7.1).

use super::Common;
use crate::crypto::aead::RecordCipher;
use crate::error::TlsError;
use crate::event::{Dir, Event};

/// Whether a second middlebox ChangeCipherSpec is refused or ignored like the first.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MiddleboxLimit {
    /// A client sends one, before its second flight or its second ClientHello (RFC 8446
    /// Appendix D.4): a second one is unexpected_message.
    One,
    /// Any number are ignored (as the client takes the server's).
    Any,
}

/// RFC 8446 §5, Appendix D.4: a middlebox-compatibility ChangeCipherSpec is ignored during
/// the TLS 1.3 handshake (within `limit`) and refused after it.
pub fn receive_middlebox(c: &mut Common, limit: MiddleboxLimit) -> Result<(), TlsError> {
    if c.established {
        return Err(TlsError::unexpected(
            "ChangeCipherSpec after the TLS 1.3 handshake",
        ));
    }
    if limit == MiddleboxLimit::One && c.middlebox_ccs_seen {
        return Err(TlsError::unexpected(
            "a second ChangeCipherSpec in the TLS 1.3 handshake",
        ));
    }
    c.middlebox_ccs_seen = true;
    c.emit(Event::ChangeCipherSpec {
        dir: Dir::In,
        middlebox: true,
    });
    Ok(())
}

/// TLS 1.0-1.2: the peer's ChangeCipherSpec, after which its records come under `read`, its
/// pending write keys (RFC 5246 §7.1).
pub fn receive12(c: &mut Common, read: RecordCipher) {
    c.emit(Event::ChangeCipherSpec {
        dir: Dir::In,
        middlebox: false,
    });
    c.rl.set_read_cipher(read, false);
}

/// TLS 1.0-1.2: a ChangeCipherSpec before the pending keys exist is unexpected_message (the
/// CVE-2014-0224 early CCS).
pub fn too_early() -> TlsError {
    TlsError::unexpected(
        "ChangeCipherSpec before the key exchange completed (the CVE-2014-0224 early CCS)",
    )
}
