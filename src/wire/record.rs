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

impl RecordHeader {
    /// Parses a header from the first 5 bytes. Unknown content types are
    /// `unexpected_message`; a length over 2^14 + 2048 is `record_overflow`; a version
    /// whose major byte is not 3 is `decode_error` (this is not TLS at all).
    pub fn parse(b: &[u8; HEADER_LEN]) -> Result<RecordHeader, TlsError> {
        let content_type = ContentType(b[0]);
        let version = ProtocolVersion(u16::from_be_bytes([b[1], b[2]]));
        let length = u16::from_be_bytes([b[3], b[4]]);
        if content_type.name().is_none() || content_type == ContentType::HEARTBEAT {
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

    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let v = self.version.0.to_be_bytes();
        let l = self.length.to_be_bytes();
        [self.content_type.0, v[0], v[1], l[0], l[1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
