//! The annotated byte view (`--hex`), in the spirit of the "Illustrated TLS Connection" pages:
//! each record as aligned lines of offset, bytes and what they mean. The spans (offset,
//! length, field, value) come from the codec (`wire::annotate`, the same decode the
//! connection uses); this module only shows them: bytes 16 to a line, long opaque values
//! abbreviated unless `--hex` is given twice, and a summary above each certificate.

use crate::event::Dir;
use crate::pki::summary::summarize;
use crate::wire::annotate::{Annotator, Decrypted};
use crate::wire::codepoints::ContentType;
use crate::wire::span::{self, SpanKind};

/// One labelled run of bytes, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Offset of the first byte in the buffer that was annotated.
    pub offset: usize,
    pub bytes: Vec<u8>,
    /// Field name, e.g. "client_version".
    pub label: String,
    /// Decoded value, e.g. "TLS 1.2" (may be empty).
    pub value: String,
    /// Nesting depth (0 = record/message level), for indentation.
    pub depth: usize,
    /// Lines shown above the bytes (a certificate's summary).
    pub notes: Vec<String>,
    /// Long opaque bytes (certificate DER, ciphertext) abbreviated unless `--hex` is given twice.
    pub bulky: bool,
}

/// Bytes per line in the byte column.
pub const PER_LINE: usize = 16;
/// Bytes of a bulky span shown at `--hex` level 1.
const BULKY_SHOWN: usize = 32;
/// Width of the byte column (16 bytes as "xx " minus the last space).
const BYTES_COL: usize = PER_LINE * 3 - 1;

/// The annotation of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordView {
    /// Spans over the record exactly as it crossed the wire (header included).
    pub wire: Vec<Span>,
    /// For a protected record: the decrypted inner plaintext, annotated.
    pub inner: Option<Vec<Span>>,
    /// For a protected record: a sentence on what the ciphertext holds besides the plaintext.
    pub inner_note: Option<String>,
    /// For a protected record: the decrypted bytes the `inner` spans index into.
    pub inner_bytes: Option<Vec<u8>>,
}

/// The byte view of one connection: the codec's annotator (which keeps what decoding needs
/// from record to record) and the clock certificates are judged against.
#[derive(Debug, Clone, Default)]
pub struct ByteView {
    annotator: Annotator,
    /// Unix time for certificate validity notes.
    pub now: i64,
}

/// "ClientHello" from "client_hello".
pub fn title(name: &str) -> String {
    span::title(name)
}

impl ByteView {
    pub fn new(now: i64) -> ByteView {
        ByteView {
            now,
            ..ByteView::default()
        }
    }

    /// The codec's spans over `buf` (whose first byte is at offset `base`), with their bytes.
    fn shown(&self, spans: Vec<span::Span>, buf: &[u8], base: usize) -> Vec<Span> {
        spans
            .into_iter()
            .map(|s| {
                let bytes = buf[s.offset - base..s.end() - base].to_vec();
                let notes = match s.kind {
                    SpanKind::Certificate => cert_notes(&bytes, self.now),
                    _ => vec![],
                };
                Span {
                    offset: s.offset,
                    bytes,
                    label: s.field,
                    value: s.value,
                    depth: s.depth,
                    notes,
                    bulky: s.kind != SpanKind::Field,
                }
            })
            .collect()
    }

    /// Spans of one whole handshake message (header and body), offsets from `base`.
    pub fn handshake(&mut self, msg: &[u8], base: usize, depth: usize) -> Vec<Span> {
        let spans = self.annotator.message(msg, base, depth);
        self.shown(spans, msg, base)
    }

    /// Annotates one record. `inner_type` and `plaintext` come from the core (for a protected
    /// record: the decrypted content and its real content type).
    pub fn record(
        &mut self,
        dir: Dir,
        raw: &[u8],
        encrypted: bool,
        inner_type: ContentType,
        plaintext: Option<&[u8]>,
    ) -> RecordView {
        let r = self
            .annotator
            .record(dir == Dir::In, raw, encrypted, inner_type, plaintext);
        let wire = self.shown(r.wire, raw, 0);
        let Some(d) = r.decrypted else {
            return RecordView {
                wire,
                inner: None,
                inner_note: None,
                inner_bytes: None,
            };
        };
        let note = decrypted_note(&d);
        RecordView {
            wire,
            inner: Some(self.shown(d.spans, &d.bytes, 0)),
            inner_note: Some(note),
            inner_bytes: Some(d.bytes),
        }
    }
}

/// What the ciphertext of a protected record holds besides the plaintext.
fn decrypted_note(d: &Decrypted) -> String {
    let n = d.ciphertext_len;
    if d.inner_plaintext {
        // RFC 8446 §5.2: TLSInnerPlaintext = content || type || zeros; then a 16-byte tag.
        format!(
            "decrypted TLSInnerPlaintext ({} bytes; the last 16 of the {n} are the AEAD tag):",
            d.bytes.len()
        )
    } else {
        format!(
            "decrypted {} ({} bytes; the other {} of the {n} are the nonce, tag or MAC and padding):",
            d.content_type,
            d.content_len,
            n.saturating_sub(d.content_len)
        )
    }
}

fn cert_notes(der: &[u8], now: i64) -> Vec<String> {
    match summarize(der, now) {
        Ok(s) => {
            let mut v = vec![
                format!("subject   {}", s.subject),
                format!("issuer    {}", s.issuer),
                format!("serial    {}", s.serial),
                format!("validity  {} → {}", s.not_before, s.not_after),
                format!("key       {}, signed with {}", s.key, s.signature_algorithm),
            ];
            let mut names = s.dns_names.clone();
            names.extend(s.ip_addresses.iter().map(|i| format!("IP:{i}")));
            if !names.is_empty() {
                v.push(format!("names     {}", names.join(", ")));
            }
            v
        }
        Err(e) => vec![format!("not a parsable certificate: {e}")],
    }
}
/// Lines for spans: `offset  bytes  label value`, 16 bytes a line, continuation lines with
/// the offset column left blank. At `level` 1 bulky spans show their first 32 bytes only.
pub fn render(spans: &[Span], level: u8, indent: &str) -> Vec<String> {
    use colored::Colorize;
    let mut out = vec![];
    for s in spans {
        let pad = "  ".repeat(s.depth);
        for n in &s.notes {
            out.push(format!("{indent}{:6}{pad}{}", "", n.dimmed()));
        }
        let shown = if s.bulky && level < 2 && s.bytes.len() > BULKY_SHOWN {
            &s.bytes[..BULKY_SHOWN]
        } else {
            &s.bytes[..]
        };
        let label = if s.value.is_empty() {
            s.label.clone()
        } else {
            format!("{} {}", s.label, s.value)
        };
        let label = if s.depth == 0 {
            label.bold().to_string()
        } else {
            label
        };
        let mut chunks = shown.chunks(PER_LINE);
        let first = chunks.next().unwrap_or(&[]);
        out.push(format!(
            "{indent}{}  {:BYTES_COL$}  {pad}{label}",
            format!("{:04x}", s.offset).dimmed(),
            hex_bytes(first)
        ));
        for c in chunks {
            out.push(format!("{indent}{:4}  {}", "", hex_bytes(c)));
        }
        if shown.len() < s.bytes.len() {
            out.push(format!(
                "{indent}{:4}  {}",
                "",
                format!(
                    "… {} more bytes (give --hex twice to see every byte)",
                    s.bytes.len() - shown.len()
                )
                .dimmed()
            ));
        }
    }
    out
}

/// "16 03 01".
pub fn hex_bytes(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codepoints::{CompressionMethod, ExtensionType, NamedGroup, ProtocolVersion};
    use crate::wire::extensions::{ExtBody, Extension, ServerNames};
    use crate::wire::handshake::{ClientHello, HandshakeMessage};
    use crate::wire::suites::CipherSuite;

    /// Spans must tile the buffer: in order, no gap, no overlap, bytes equal to the buffer.
    pub fn assert_covers(spans: &[Span], buf: &[u8], base: usize) {
        let mut pos = base;
        for s in spans {
            assert_eq!(s.offset, pos, "gap or overlap at {pos}: {s:?}");
            assert_eq!(&buf[pos - base..pos - base + s.bytes.len()], &s.bytes[..]);
            assert!(!s.bytes.is_empty(), "empty span {s:?}");
            pos += s.bytes.len();
        }
        assert_eq!(pos - base, buf.len(), "not every byte covered");
    }

    fn hello() -> Vec<u8> {
        HandshakeMessage::ClientHello(ClientHello {
            extensions_absent: false,
            version: ProtocolVersion::TLS12,
            random: [7; 32],
            session_id: vec![1; 32],
            cipher_suites: vec![
                CipherSuite(0x1301),
                CipherSuite(0xc02f),
                CipherSuite(0x0a0a),
            ],
            compression_methods: vec![CompressionMethod::NULL],
            extensions: vec![
                Extension::new(
                    ExtensionType::SERVER_NAME,
                    ExtBody::ServerName(ServerNames::host("localhost")),
                ),
                Extension::new(
                    ExtensionType::SUPPORTED_GROUPS,
                    ExtBody::SupportedGroups(vec![NamedGroup::X25519]),
                ),
                Extension::new(
                    ExtensionType::KEY_SHARE,
                    ExtBody::KeyShareClient(vec![(NamedGroup::X25519, vec![9; 32])]),
                ),
                Extension::new(ExtensionType::ALPN, ExtBody::Alpn(vec![b"h2".to_vec()])),
                Extension {
                    typ: ExtensionType(0x4469),
                    data: vec![1, 2, 3],
                    body: ExtBody::Unknown,
                },
            ],
        })
        .encode()
    }

    #[test]
    fn client_hello_every_byte_once() {
        let msg = hello();
        let spans = ByteView::new(0).handshake(&msg, 0, 0);
        assert_covers(&spans, &msg, 0);
        assert_eq!(spans[0].label, "ClientHello");
        assert!(spans
            .iter()
            .any(|s| s.label == "host name" && s.value == "\"localhost\""));
        assert!(spans
            .iter()
            .any(|s| s.label == "cipher suite" && s.value.contains("GREASE")));
        assert!(spans
            .iter()
            .any(|s| s.label == "data" && s.bytes == [1, 2, 3]));
    }

    #[test]
    fn records_split_and_truncated_still_covered() {
        let msg = hello();
        let mut rec = vec![22, 3, 1, 0, 0];
        rec.extend_from_slice(&msg);
        let l = msg.len() as u16;
        rec[3..5].copy_from_slice(&l.to_be_bytes());
        let mut v = ByteView::new(0);
        let r = v.record(Dir::Out, &rec, false, ContentType::HANDSHAKE, None);
        assert_covers(&r.wire, &rec, 0);
        assert_eq!(
            r.wire[0].value,
            format!("handshake, legacy version TLS 1.0, length {l}")
        );
        // a message split over two records
        let (a, b) = msg.split_at(50);
        let r1 = [&[22u8, 3, 3, 0, 50][..], a].concat();
        let r2 = [&[22u8, 3, 3, 0, b.len() as u8][..], b].concat();
        let mut v = ByteView::new(0);
        assert_covers(
            &v.record(Dir::In, &r1, false, ContentType::HANDSHAKE, None)
                .wire,
            &r1,
            0,
        );
        let w2 = v
            .record(Dir::In, &r2, false, ContentType::HANDSHAKE, None)
            .wire;
        assert_covers(&w2, &r2, 0);
        assert!(w2[1].label.contains("continued"));
        // every truncation of the message is still covered
        let mut v = ByteView::new(0);
        for cut in 0..msg.len() {
            assert_covers(&v.handshake(&msg[..cut], 0, 0), &msg[..cut], 0);
        }
        // garbage
        let junk = [1u8, 0, 0, 9, 3, 3, 0xff];
        assert_covers(&v.handshake(&junk, 3, 0), &junk, 3);
    }

    #[test]
    fn render_wraps_16_a_line() {
        let msg = hello();
        let spans = ByteView::new(0).handshake(&msg, 0, 0);
        colored::control::set_override(false);
        let lines = render(&spans, 1, "");
        assert!(lines[0].starts_with("0000  01 00 00 "));
        let random = lines
            .iter()
            .position(|l| l.contains("random 32 bytes"))
            .unwrap();
        assert!(lines[random + 1].starts_with("      07 07"));
        assert_eq!(lines[random + 1].split_whitespace().count(), 16);
        assert!(lines[random + 2].contains("session_id length 32"));
    }
}
