//! SSL 2.0 as far as scan's DROWN check needs it: the CLIENT-HELLO (with its 2-byte record
//! header) and the server's first answer, a SERVER-HELLO or an ERROR (the SSL 2.0 draft,
//! draft-hickman-netscape-ssl-00 §2.1, §2.6; RFC 6101 Appendix E.1 on its record header).

use super::codec::{Reader, Writer};
use crate::error::TlsError;

/// An SSL 2.0 cipher kind (3 bytes, draft-hickman-netscape-ssl-00 Appendix C).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CipherKind(pub u32);

/// Every SSL 2.0 cipher kind with the name OpenSSL gives it.
pub const CIPHER_KINDS: &[(u32, &str)] = &[
    (0x010080, "RC4-MD5"),
    (0x020080, "EXP-RC4-MD5"),
    (0x030080, "RC2-CBC-MD5"),
    (0x040080, "EXP-RC2-CBC-MD5"),
    (0x050080, "IDEA-CBC-MD5"),
    (0x060040, "DES-CBC-MD5"),
    (0x0700c0, "DES-CBC3-MD5"),
    (0x080080, "RC4-64-MD5"),
];

impl CipherKind {
    /// OpenSSL's name, or the code in hex.
    pub fn name(self) -> String {
        CIPHER_KINDS
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| n.to_string())
            .unwrap_or_else(|| format!("0x{:06x}", self.0))
    }
}

/// SSL_CLIENT_VERSION / SSL_SERVER_VERSION of SSL 2.0.
pub const VERSION: u16 = 0x0002;
const MSG_ERROR: u8 = 0;
const MSG_CLIENT_HELLO: u8 = 1;
const MSG_SERVER_HELLO: u8 = 4;

/// A CLIENT-HELLO offering `kinds`, no session id and `challenge` (16 bytes is usual), in a
/// record with the 2-byte header (high bit set, 15-bit length).
pub fn client_hello(kinds: &[CipherKind], challenge: &[u8]) -> Vec<u8> {
    let mut m = Writer::new();
    m.u8(MSG_CLIENT_HELLO)
        .u16(VERSION)
        .u16((kinds.len() * 3) as u16)
        .u16(0)
        .u16(challenge.len() as u16);
    for k in kinds {
        m.u8((k.0 >> 16) as u8).u16(k.0 as u16);
    }
    m.bytes(challenge);
    let body = m.into_bytes();
    let mut w = Writer::new();
    w.u16(0x8000 | body.len() as u16).bytes(&body);
    w.into_bytes()
}

/// What the first two bytes of an answer say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    /// An SSL 2.0 record: `len` more bytes of message, after `skip` header bytes still to read
    /// (the padding byte of a 3-byte header).
    Ssl2 { len: usize, skip: usize },
    /// A TLS (or SSL 3.0) record header begins: the server answered in TLS.
    Tls,
}

/// Reads an answer's first two bytes (RFC 6101 Appendix E.1: a TLS record starts with a
/// content type 20..=24 and major version 3; an SSL 2.0 record with a length whose high bit
/// tells a 2-byte header from a 3-byte one).
pub fn header(b: [u8; 2]) -> Header {
    if (20..=24).contains(&b[0]) && b[1] == 3 {
        return Header::Tls;
    }
    if b[0] & 0x80 != 0 {
        Header::Ssl2 {
            len: (usize::from(b[0] & 0x7f) << 8) | usize::from(b[1]),
            skip: 0,
        }
    } else {
        Header::Ssl2 {
            len: (usize::from(b[0] & 0x3f) << 8) | usize::from(b[1]),
            skip: 1,
        }
    }
}

/// A server's first SSL 2.0 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerMessage {
    /// SERVER-HELLO: the cipher kinds the server offers and the size of its certificate.
    Hello {
        version: u16,
        kinds: Vec<CipherKind>,
        certificate_len: usize,
    },
    /// ERROR with its code (1: no cipher, 2: no certificate, ...).
    Error(u16),
    /// Another message type.
    Other(u8),
}

/// Decodes a server's first SSL 2.0 message body (draft-hickman-netscape-ssl-00 §2.6).
pub fn server_message(body: &[u8]) -> Result<ServerMessage, TlsError> {
    let mut r = Reader::new(body);
    match r.u8("msg_type")? {
        MSG_SERVER_HELLO => {
            r.u8("session_id_hit")?;
            r.u8("certificate_type")?;
            let version = r.u16("server_version")?;
            let cert_len = r.u16("certificate_length")? as usize;
            let specs_len = r.u16("cipher_specs_length")? as usize;
            let conn_id_len = r.u16("connection_id_length")? as usize;
            r.take(cert_len, "certificate")?;
            let mut specs = r.sub(specs_len, "cipher_specs")?;
            r.take(conn_id_len, "connection_id")?;
            let mut kinds = vec![];
            while specs.remaining() >= 3 {
                let hi = specs.u8("cipher_kind")?;
                let lo = specs.u16("cipher_kind")?;
                kinds.push(CipherKind((u32::from(hi) << 16) | u32::from(lo)));
            }
            Ok(ServerMessage::Hello {
                version,
                kinds,
                certificate_len: cert_len,
            })
        }
        MSG_ERROR => Ok(ServerMessage::Error(r.u16("error_code")?)),
        t => Ok(ServerMessage::Other(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_hello_layout() {
        let kinds: Vec<CipherKind> = CIPHER_KINDS.iter().map(|&(c, _)| CipherKind(c)).collect();
        let b = client_hello(&kinds, &[7u8; 16]);
        let Header::Ssl2 { len, skip: 0 } = header([b[0], b[1]]) else {
            panic!("{b:?}")
        };
        assert_eq!(len, b.len() - 2);
        assert_eq!(&b[2..5], &[1, 0, 2]);
        assert_eq!(&b[5..7], &[0, 24]);
        assert_eq!(&b[11..14], &[1, 0, 0x80]);
    }

    #[test]
    fn server_hello_and_error() {
        // SERVER-HELLO: no hit, X.509, version 2, 3-byte cert, two kinds, 16-byte id.
        let mut m = vec![4, 0, 1, 0, 2, 0, 3, 0, 6, 0, 16, 0xaa, 0xbb, 0xcc];
        m.extend([1, 0, 0x80, 7, 0, 0xc0]);
        m.extend([9u8; 16]);
        let msg = server_message(&m).unwrap();
        let ServerMessage::Hello { kinds, .. } = &msg else {
            panic!("{msg:?}")
        };
        let names: Vec<String> = kinds.iter().map(|k| k.name()).collect();
        assert_eq!(names, ["RC4-MD5", "DES-CBC3-MD5"]);
        for cut in 0..m.len() {
            assert!(server_message(&m[..cut]).is_err(), "{cut}");
        }
        assert_eq!(server_message(&[0, 0, 1]).unwrap(), ServerMessage::Error(1));
        assert_eq!(header([0x15, 3]), Header::Tls);
        assert_eq!(header([0x00, 0x10]), Header::Ssl2 { len: 16, skip: 1 });
    }
}
