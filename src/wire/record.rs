//! TLS records (RFC 8446 §5.1, RFC 5246 §6.2): the 5-byte header and the limits on lengths.

use super::codepoints::{ContentType, ProtocolVersion};
use crate::error::{Alert, TlsError};

/// Largest plaintext fragment (2^14, RFC 8446 §5.1).
pub const MAX_PLAINTEXT: usize = 16384;
/// Largest TLS 1.2 ciphertext fragment (2^14 + 2048, RFC 5246 §6.2.3).
pub const MAX_CIPHERTEXT_TLS12: usize = MAX_PLAINTEXT + 2048;
/// Largest TLS 1.3 ciphertext fragment (2^14 + 256, RFC 8446 §5.2).
pub const MAX_CIPHERTEXT_TLS13: usize = MAX_PLAINTEXT + 256;
pub const HEADER_LEN: usize = 5;

/// A record header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHeader {
    pub content_type: ContentType,
    pub version: ProtocolVersion,
    pub length: u16,
}

/// The plaintext protocol whose first five bytes `b` are, when they are one (a TLS record
/// header cannot start with printable text: content types are 20..=24).
fn plaintext_protocol(b: &[u8; HEADER_LEN]) -> Option<&'static str> {
    const KNOWN: [(&[u8], &str); 12] = [
        (b"HTTP/", "HTTP"),
        (b"SSH-", "SSH"),
        (b"220", "SMTP or FTP (a 220 greeting)"),
        (b"* OK", "IMAP"),
        (b"+OK", "POP3"),
        (b"<?xml", "XMPP"),
        (b"<stre", "XMPP"),
        (b"GET ", "HTTP (a request)"),
        (b"POST ", "HTTP (a request)"),
        (b"HEAD ", "HTTP (a request)"),
        (b"RFB ", "VNC"),
        (b"-ERR", "Redis or POP3"),
    ];
    KNOWN
        .iter()
        .find(|(prefix, _)| b.starts_with(prefix))
        .map(|(_, name)| *name)
        .or_else(|| {
            b.iter()
                .all(|c| c.is_ascii_graphic() || *c == b' ')
                .then_some("plain text")
        })
}

impl RecordHeader {
    /// Parses a header from the first 5 bytes. Unknown content types are
    /// `unexpected_message`; a length over 2^14 + 2048 is `record_overflow`; a version
    /// whose major byte is not 3 is `decode_error` (this is not TLS at all).
    pub fn parse(b: &[u8; HEADER_LEN]) -> Result<RecordHeader, TlsError> {
        let content_type = ContentType(b[0]);
        let version = ProtocolVersion(u16::from_be_bytes([b[1], b[2]]));
        let length = u16::from_be_bytes([b[3], b[4]]);
        if content_type.name().is_none() || content_type == ContentType::HEARTBEAT {
            if let Some(protocol) = plaintext_protocol(b) {
                return Err(TlsError::unexpected(format!(
                    "this is not TLS: the peer speaks {protocol} (its first bytes: {:?})",
                    String::from_utf8_lossy(b)
                )));
            }
            return Err(TlsError::unexpected(format!(
                "record of unknown content type {}",
                b[0]
            )));
        }
        if b[1] != 3 {
            return Err(TlsError::decode(format!(
                "record version {:02x}{:02x} is not SSL 3.0 or TLS: the peer does not speak TLS",
                b[1], b[2]
            )));
        }
        if length as usize > MAX_CIPHERTEXT_TLS12 {
            return Err(TlsError::new(
                Alert::RecordOverflow,
                format!("record of {length} bytes exceeds 2^14 + 2048"),
            ));
        }
        Ok(RecordHeader {
            content_type,
            version,
            length,
        })
    }

    /// The header at the start of `b` as it is, judged by nothing (the byte view and the
    /// record log show what crossed the wire; `parse` is what the record layer accepts).
    /// None when fewer than 5 bytes are there.
    pub fn peek(b: &[u8]) -> Option<RecordHeader> {
        let h = b.get(..HEADER_LEN)?;
        Some(RecordHeader {
            content_type: ContentType(h[0]),
            version: ProtocolVersion(u16::from_be_bytes([h[1], h[2]])),
            length: u16::from_be_bytes([h[3], h[4]]),
        })
    }

    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let v = self.version.0.to_be_bytes();
        let l = self.length.to_be_bytes();
        [self.content_type.0, v[0], v[1], l[0], l[1]]
    }
}

/// Splits bytes made of whole records (what we wrote) into (header, record bytes), header
/// included; a last record cut short is returned as far as it goes, fewer than 5 trailing
/// bytes are left out (`Connection::set_log_records` reports a client's first flight with it).
pub fn split_records(mut b: &[u8]) -> impl Iterator<Item = (RecordHeader, &[u8])> {
    std::iter::from_fn(move || {
        let h = RecordHeader::peek(b)?;
        let (rec, rest) = b.split_at((HEADER_LEN + h.length as usize).min(b.len()));
        b = rest;
        Some((h, rec))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_protocols_are_named() {
        let e = RecordHeader::parse(b"HTTP/").unwrap_err();
        assert_eq!(e.alert, Alert::UnexpectedMessage);
        assert!(
            e.message
                .starts_with("this is not TLS: the peer speaks HTTP"),
            "{e}"
        );
        let e = RecordHeader::parse(b"SSH-2").unwrap_err();
        assert!(e.message.contains("SSH"), "{e}");
        let e = RecordHeader::parse(b"hello").unwrap_err();
        assert!(e.message.contains("plain text"), "{e}");
        let e = RecordHeader::parse(&[60, 0, 1, 2, 3]).unwrap_err();
        assert!(
            e.message.starts_with("record of unknown content type 60"),
            "{e}"
        );
    }

    #[test]
    fn header_round_trip() {
        let h = RecordHeader {
            content_type: ContentType::HANDSHAKE,
            version: ProtocolVersion::TLS10,
            length: 248,
        };
        let b = h.encode();
        assert_eq!(b, [0x16, 0x03, 0x01, 0x00, 0xf8]);
        assert_eq!(RecordHeader::parse(&b).unwrap(), h);
    }

    #[test]
    fn bad_headers() {
        assert_eq!(
            RecordHeader::parse(&[0x99, 3, 3, 0, 1]).unwrap_err().alert,
            Alert::UnexpectedMessage
        );
        assert_eq!(
            RecordHeader::parse(&[0x16, 3, 3, 0xff, 0xff])
                .unwrap_err()
                .alert,
            Alert::RecordOverflow
        );
        assert_eq!(
            RecordHeader::parse(b"GET /").unwrap_err().alert,
            Alert::UnexpectedMessage
        );
        assert_eq!(
            RecordHeader::parse(&[0x16, 0x48, 0x54, 0, 1])
                .unwrap_err()
                .alert,
            Alert::DecodeError
        );
    }

    #[test]
    fn splits_written_records() {
        let b = [22, 3, 3, 0, 1, 9, 23, 3, 3, 0, 2, 7, 7, 21, 3, 3, 0, 5, 1];
        let got: Vec<_> = split_records(&b)
            .map(|(h, r)| (h.content_type, r.len()))
            .collect();
        assert_eq!(
            got,
            [
                (ContentType::HANDSHAKE, 6),
                (ContentType::APPLICATION_DATA, 7),
                (ContentType::ALERT, 6)
            ]
        );
        assert_eq!(split_records(&[22, 3, 3, 0]).count(), 0);
        assert_eq!(RecordHeader::peek(b"GET /").unwrap().length, 0x202f);
    }
}
