//! ClientHello and ServerHello (RFC 8446 §4.1.2-§4.1.3, RFC 5246 §7.4.1.2-§7.4.1.3): each
//! body read and written in one place, every field kept so that encoding gives back the bytes
//! that were read.

use super::super::codec::{Reader, Writer};
use super::super::codepoints::{CompressionMethod, ProtocolVersion};
use super::super::extensions::{read_extensions, write_extensions, ExtContext, Extension};
use super::super::span::count;
use super::super::suites::CipherSuite;
use crate::error::TlsError;

/// The special ServerHello.random that marks a HelloRetryRequest (RFC 8446 §4.1.3).
pub const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// Downgrade sentinels in the last 8 bytes of ServerHello.random (RFC 8446 §4.1.3).
pub const DOWNGRADE_TLS12: [u8; 8] = *b"DOWNGRD\x01";
pub const DOWNGRADE_TLS11: [u8; 8] = *b"DOWNGRD\x00";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHello {
    pub version: ProtocolVersion,
    pub random: [u8; 32],
    pub session_id: Vec<u8>,
    pub cipher_suites: Vec<CipherSuite>,
    pub compression_methods: Vec<CompressionMethod>,
    pub extensions: Vec<Extension>,
    /// The hello ended after compression_methods, with no extensions block at all (RFC 5246
    /// §7.4.1.2 allows it). Kept so that encoding reproduces what was read; an empty block
    /// (`00 00`) is `false` with no extensions.
    pub extensions_absent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHello {
    pub version: ProtocolVersion,
    pub random: [u8; 32],
    pub session_id: Vec<u8>,
    pub cipher_suite: CipherSuite,
    pub compression_method: CompressionMethod,
    pub extensions: Vec<Extension>,
    /// No extensions block at all (as in `ClientHello::extensions_absent`).
    pub extensions_absent: bool,
}

impl ServerHello {
    pub fn is_hello_retry_request(&self) -> bool {
        self.random == HRR_RANDOM
    }
}

/// Random (32 bytes); a server's may be the HelloRetryRequest marker or end with a
/// downgrade sentinel (RFC 8446 §4.1.3).
fn read_random(r: &mut Reader, server: bool) -> Result<[u8; 32], TlsError> {
    let b = r.take_as(32, "random", |b| {
        if server && b == HRR_RANDOM {
            "the HelloRetryRequest marker (RFC 8446 §4.1.3)".into()
        } else if b[24..] == DOWNGRADE_TLS12 || b[24..] == DOWNGRADE_TLS11 {
            "32 bytes; ends with a downgrade sentinel (RFC 8446 §4.1.3)".into()
        } else {
            "32 bytes".into()
        }
    })?;
    let mut out = [0u8; 32];
    out.copy_from_slice(b);
    Ok(out)
}

/// legacy_session_id <0..32> (RFC 8446 §4.1.2).
fn read_session_id(r: &mut Reader) -> Result<Vec<u8>, TlsError> {
    let s = r.vec8("session_id")?;
    if s.len() > 32 {
        // RFC 8446 §6.2: a field out of its specified range is a decode_error.
        return Err(TlsError::decode("session_id longer than 32 bytes"));
    }
    Ok(s.to_vec())
}

/// Writes the extensions block unless the hello had none at all.
fn write_extensions_block(w: &mut Writer, exts: &[Extension], absent: bool) {
    if !(absent && exts.is_empty()) {
        write_extensions(w, exts);
    }
}

impl ClientHello {
    /// RFC 5246 §7.4.1.2, RFC 8446 §4.1.2: version, random, session id, cipher suites <2..>,
    /// compression methods <1..>, then extensions (the block may be absent).
    pub fn read(r: &mut Reader) -> Result<ClientHello, TlsError> {
        let version = r.code16("client_version", ProtocolVersion)?;
        let random = read_random(r, false)?;
        let session_id = read_session_id(r)?;
        let mut suites = r.sub16_as("cipher_suites", |l| count(l / 2, "cipher suite"))?;
        if suites.remaining() % 2 != 0 || suites.is_empty() {
            return Err(TlsError::decode("cipher_suites: bad length"));
        }
        let mut cipher_suites = Vec::with_capacity(suites.remaining() / 2);
        while !suites.is_empty() {
            cipher_suites.push(suites.code16("cipher suite", CipherSuite)?);
        }
        let mut methods = r.sub8_as("compression_methods", |l| count(l, "method"))?;
        if methods.is_empty() {
            return Err(TlsError::decode("compression_methods: empty"));
        }
        let mut compression_methods = Vec::with_capacity(methods.remaining());
        while !methods.is_empty() {
            compression_methods.push(methods.code8("method", CompressionMethod)?);
        }
        let extensions_absent = r.is_empty();
        let extensions = read_extensions(r, ExtContext::ClientHello)?;
        Ok(ClientHello {
            version,
            random,
            session_id,
            cipher_suites,
            compression_methods,
            extensions,
            extensions_absent,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.u16(self.version.0)
            .bytes(&self.random)
            .vec8(&self.session_id);
        w.nested(2, |w| {
            for c in &self.cipher_suites {
                w.u16(c.0);
            }
        });
        w.nested(1, |w| {
            for c in &self.compression_methods {
                w.u8(c.0);
            }
        });
        write_extensions_block(w, &self.extensions, self.extensions_absent);
    }
}

impl ServerHello {
    /// RFC 5246 §7.4.1.3, RFC 8446 §4.1.3: version, random, session id, the chosen suite and
    /// compression method, then extensions (HelloRetryRequest ones when the random says so).
    pub fn read(r: &mut Reader) -> Result<ServerHello, TlsError> {
        let version = r.code16("server_version", ProtocolVersion)?;
        let random = read_random(r, true)?;
        let session_id = read_session_id(r)?;
        let cipher_suite = r.code16("cipher_suite", CipherSuite)?;
        let compression_method = r.code8("compression_method", CompressionMethod)?;
        let ctx = if random == HRR_RANDOM {
            ExtContext::HelloRetryRequest
        } else {
            ExtContext::ServerHello
        };
        let extensions_absent = r.is_empty();
        let extensions = read_extensions(r, ctx)?;
        Ok(ServerHello {
            version,
            random,
            session_id,
            cipher_suite,
            compression_method,
            extensions,
            extensions_absent,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.u16(self.version.0)
            .bytes(&self.random)
            .vec8(&self.session_id)
            .u16(self.cipher_suite.0)
            .u8(self.compression_method.0);
        write_extensions_block(w, &self.extensions, self.extensions_absent);
    }
}
