//! The annotated reading of a connection (`--hex`): every record split into labelled spans by
//! the codec the connection decodes with (record header RFC 8446 §5.1 / RFC 5246 §6.2,
//! handshake messages §4, alerts §6, TLSInnerPlaintext §5.2). The `Annotator` keeps across
//! records what decoding needs: the version and key exchange the ServerHello chose and, per
//! direction, a handshake message split over records. Malformed or truncated input still
//! gets spans that cover every byte once (the bytes a decode could not read are one span).

use super::codec::Reader;
use super::codepoints::{ContentType, HandshakeType, ProtocolVersion};
use super::handshake::{DecodeContext, HandshakeMessage, HRR_RANDOM};
use super::record::{RecordHeader, HEADER_LEN};
use super::span::{title, Field, Span, SpanKind, SpanLog};
use super::suites::Kx;
use crate::error::{Alert, AlertLevel, TlsError};

/// The label of bytes a decode could not read.
pub const MALFORMED: &str = "malformed or truncated";

/// Decoding state carried from record to record.
#[derive(Debug, Clone)]
pub struct Annotator {
    /// The negotiated version (TLS 1.2 until a ServerHello says otherwise).
    version: ProtocolVersion,
    kx: Option<Kx>,
    /// The first bytes of a handshake message that continues in the next record, for the
    /// bytes we sent (0) and those we received (1).
    partial: [Vec<u8>; 2],
}

impl Default for Annotator {
    fn default() -> Self {
        Annotator {
            version: ProtocolVersion::TLS12,
            kx: None,
            partial: [vec![], vec![]],
        }
    }
}

/// The spans of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotatedRecord {
    /// Spans over the record exactly as it crossed the wire (header included).
    pub wire: Vec<Span>,
    /// For a protected record whose plaintext is known: what it decrypted to.
    pub decrypted: Option<Decrypted>,
}

/// The decrypted content of a protected record, annotated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The bytes the spans cover: the content, then for a TLS 1.3 record the rest of its
    /// TLSInnerPlaintext (the real content type and the zero padding, RFC 8446 §5.2).
    pub bytes: Vec<u8>,
    pub spans: Vec<Span>,
    pub content_type: ContentType,
    pub content_len: usize,
    /// Length of the protected fragment on the wire.
    pub ciphertext_len: usize,
    /// True when `bytes` is a whole TLS 1.3 TLSInnerPlaintext.
    pub inner_plaintext: bool,
}

/// Span value of `n` bytes that could not be decoded: how many, and why.
fn not_decoded(n: usize, reason: Option<&TlsError>) -> String {
    match reason {
        Some(e) => format!("{n} bytes not decoded ({})", e.message),
        None => format!("{n} bytes not decoded"),
    }
}

impl Annotator {
    pub fn new() -> Annotator {
        Annotator::default()
    }

    fn context(&self) -> DecodeContext {
        DecodeContext {
            version: self.version,
            kx: self.kx,
        }
    }

    /// Learns the version and key exchange from a ServerHello (not a HelloRetryRequest).
    fn learn(&mut self, msg: &HandshakeMessage) {
        if let Some(c) = DecodeContext::chosen_by(msg) {
            self.version = c.version;
            self.kx = c.kx;
        }
    }

    fn tls13(&self) -> bool {
        self.version == ProtocolVersion::TLS13
    }

    /// Spans of one whole handshake message (header and body), offsets from `base`; the
    /// header at `depth`, the body's fields deeper.
    pub fn message(&mut self, msg: &[u8], base: usize, depth: usize) -> Vec<Span> {
        let log = SpanLog::new();
        let mut r = Reader::recording(msg, base, depth, &log);
        let decoded = self.read_message(&mut r);
        let reason = decoded.as_ref().err();
        log.fill_to(base, base + msg.len(), depth, MALFORMED, |n| {
            not_decoded(n, reason)
        });
        if let Ok(m) = &decoded {
            self.learn(m);
        }
        log.take()
    }

    /// The 4-byte header (RFC 8446 §4) as one span named after the message, then the body.
    fn read_message(&self, r: &mut Reader) -> Result<HandshakeMessage, TlsError> {
        let msg = r.rest();
        let Some(len) = message_len(msg) else {
            return Err(TlsError::decode(format!(
                "handshake header: needs 4 bytes but only {} remain",
                msg.len()
            )));
        };
        let typ = HandshakeType(msg[0]);
        let len = len - 4;
        let hello_retry =
            typ == HandshakeType::SERVER_HELLO && msg.get(6..38) == Some(&HRR_RANDOM[..]);
        let name = if !r.is_recording() {
            String::new()
        } else if hello_retry {
            "HelloRetryRequest".to_string()
        } else {
            title(&typ.to_string())
        };
        r.take_as(4, Field::shown_as("handshake header", &name), |_| {
            format!("(type {}), length {len}", typ.0)
        })?;
        let mut body = r.sub(len, &typ.to_string())?;
        let m = HandshakeMessage::read_body(typ, &mut body, self.context())?;
        body.expect_end(&typ.to_string())?;
        Ok(m)
    }

    /// The handshake bytes of one record: whole messages annotated, pieces of a message split
    /// across records labelled as such.
    fn handshake_fragment(
        &mut self,
        inbound: bool,
        frag: &[u8],
        base: usize,
        depth: usize,
    ) -> Vec<Span> {
        let mut spans = vec![];
        let mut pos = self.continuation(inbound, frag, base, depth, &mut spans);
        while pos < frag.len() {
            let rest = &frag[pos..];
            match message_len(rest) {
                Some(len) if len <= rest.len() => {
                    spans.extend(self.message(&rest[..len], base + pos, depth));
                    pos += len;
                }
                _ => {
                    spans.extend(first_part(rest, base + pos, depth));
                    self.partial[inbound as usize] = rest.to_vec();
                    pos = frag.len();
                }
            }
        }
        spans
    }

    /// The bytes of `frag` that continue a message begun in an earlier record: one span
    /// (returns how many bytes it covers).
    fn continuation(
        &mut self,
        inbound: bool,
        frag: &[u8],
        base: usize,
        depth: usize,
        spans: &mut Vec<Span>,
    ) -> usize {
        let partial = &mut self.partial[inbound as usize];
        if partial.is_empty() {
            return 0;
        }
        let mut head = partial.clone();
        head.extend_from_slice(&frag[..frag.len().min(4)]);
        let total = message_len(&head).unwrap_or(usize::MAX);
        let have = partial.len();
        let take = total.saturating_sub(have).min(frag.len());
        spans.push(Span {
            offset: base,
            len: take,
            field: format!("{} continued", title(&HandshakeType(head[0]).to_string())),
            value: format!("bytes {have}..{} of the message", have + take),
            depth,
            kind: SpanKind::Bulk,
        });
        partial.extend_from_slice(&frag[..take]);
        if partial.len() >= total {
            partial.clear();
        }
        take
    }

    /// The content of a record (plaintext, or decrypted) by its content type.
    fn content(
        &mut self,
        inbound: bool,
        ct: ContentType,
        data: &[u8],
        base: usize,
        depth: usize,
    ) -> Vec<Span> {
        if ct == ContentType::HANDSHAKE {
            return self.handshake_fragment(inbound, data, base, depth);
        }
        let log = SpanLog::new();
        let mut r = Reader::recording(data, base, depth, &log);
        let read = match ct {
            ContentType::ALERT => read_alert(&mut r),
            ContentType::CHANGE_CIPHER_SPEC => r.u8("change_cipher_spec").map(|_| ()),
            _ => {
                // Zero-length application data is legal (RFC 5246 §6.2.1); it still gets a line.
                log.push(Span {
                    offset: base,
                    len: data.len(),
                    field: "application data".into(),
                    value: format!("{} bytes", data.len()),
                    depth,
                    kind: SpanKind::Bulk,
                });
                return log.take();
            }
        };
        let reason = read.as_ref().err();
        log.fill_to(base, base + data.len(), depth, MALFORMED, |n| {
            not_decoded(n, reason)
        });
        log.take()
    }

    /// Annotates one record. `inner_type` and `plaintext` come from the core (for a protected
    /// record: the decrypted content and its real content type).
    pub fn record(
        &mut self,
        inbound: bool,
        raw: &[u8],
        encrypted: bool,
        inner_type: ContentType,
        plaintext: Option<&[u8]>,
    ) -> AnnotatedRecord {
        let log = SpanLog::new();
        let mut r = Reader::recording(raw, 0, 0, &log);
        let Some(header) = read_record_header(&mut r, encrypted, inner_type) else {
            log.fill_to(0, raw.len(), 0, MALFORMED, |n| not_decoded(n, None));
            return AnnotatedRecord {
                wire: log.take(),
                decrypted: None,
            };
        };
        let frag = &raw[HEADER_LEN..];
        if !encrypted {
            let mut wire = log.take();
            wire.extend(self.content(inbound, header.content_type, frag, HEADER_LEN, 1));
            return AnnotatedRecord {
                wire,
                decrypted: None,
            };
        }
        let n = frag.len();
        r.take_rest_as(Field::from("encrypted record").bulk(), |_| {
            format!("{n} bytes")
        });
        let wire = log.take();
        let decrypted =
            plaintext.map(|plain| self.decrypted(inbound, &header, n, inner_type, plain));
        AnnotatedRecord { wire, decrypted }
    }

    /// The decrypted view: the content's spans, then for TLS 1.3 the rest of the
    /// TLSInnerPlaintext (content || type || zeros, RFC 8446 §5.2; a 16-byte tag follows).
    fn decrypted(
        &mut self,
        inbound: bool,
        header: &RecordHeader,
        ciphertext_len: usize,
        inner_type: ContentType,
        plain: &[u8],
    ) -> Decrypted {
        let mut spans = self.content(inbound, inner_type, plain, 0, 1);
        let mut bytes = plain.to_vec();
        let inner_plaintext = self.tls13() && header.content_type == ContentType::APPLICATION_DATA;
        if inner_plaintext {
            spans.push(Span {
                offset: plain.len(),
                len: 1,
                field: "inner content type".into(),
                value: inner_type.to_string(),
                depth: 1,
                kind: SpanKind::Field,
            });
            bytes.push(inner_type.0);
            let pad = ciphertext_len.saturating_sub(16 + plain.len() + 1);
            if pad > 0 {
                spans.push(Span {
                    offset: plain.len() + 1,
                    len: pad,
                    field: "padding".into(),
                    value: format!("{pad} zero bytes"),
                    depth: 1,
                    kind: SpanKind::Bulk,
                });
                bytes.resize(plain.len() + 1 + pad, 0);
            }
        }
        Decrypted {
            bytes,
            spans,
            content_type: inner_type,
            content_len: plain.len(),
            ciphertext_len,
            inner_plaintext,
        }
    }
}

/// The length of the handshake message at the start of `b` (header included), once its
/// 4-byte header is there.
fn message_len(b: &[u8]) -> Option<usize> {
    let h = b.get(..4)?;
    Some(4 + u32::from_be_bytes([0, h[1], h[2], h[3]]) as usize)
}

/// The start of a handshake message that continues in the next record: its header (when
/// all 4 bytes are here) and the first part of the body.
fn first_part(rest: &[u8], base: usize, depth: usize) -> Vec<Span> {
    let log = SpanLog::new();
    let mut r = Reader::recording(rest, base, depth, &log);
    let name = title(&HandshakeType(rest[0]).to_string());
    if let Some(len) = message_len(rest) {
        let _ = r.take_as(4, Field::shown_as("handshake header", &name), |_| {
            format!("length {}, continues in the next record", len - 4)
        });
    }
    r.take_rest_as("first part of the body", |_| String::new());
    log.take()
}

/// The record header as one span (RFC 8446 §5.1), whatever it says: the view shows what
/// crossed the wire, the record layer judges it.
fn read_record_header(
    r: &mut Reader,
    encrypted: bool,
    inner_type: ContentType,
) -> Option<RecordHeader> {
    let h = RecordHeader::peek(r.rest())?;
    let ct = h.content_type;
    r.take_as(HEADER_LEN, "record:", |_| {
        let protected = encrypted && ct == ContentType::APPLICATION_DATA && inner_type != ct;
        let ct = if protected {
            format!("{ct} (protected)")
        } else {
            ct.to_string()
        };
        format!("{ct}, legacy version {}, length {}", h.version, h.length)
    })
    .ok()?;
    Some(h)
}

/// An alert (RFC 8446 §6): level and description.
fn read_alert(r: &mut Reader) -> Result<(), TlsError> {
    r.u8_as("alert level", |v| AlertLevel::from_u8(v).name())?;
    r.u8_as("alert description", |v| Alert::from_u8(v).to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codepoints::{CompressionMethod, ExtensionType};
    use crate::wire::extensions::{ExtBody, Extension};
    use crate::wire::handshake::{tests::assert_tiles, CertificateRequest12, ServerHello};
    use crate::wire::suites::CipherSuite;

    fn server_hello(version: ProtocolVersion, suite: u16) -> Vec<u8> {
        HandshakeMessage::ServerHello(ServerHello {
            version,
            random: [1; 32],
            session_id: vec![],
            cipher_suite: CipherSuite(suite),
            compression_method: CompressionMethod::NULL,
            extensions: vec![Extension::new(
                ExtensionType::RENEGOTIATION_INFO,
                ExtBody::RenegotiationInfo(vec![]),
            )],
            extensions_absent: false,
        })
        .encode()
    }

    fn request() -> Vec<u8> {
        HandshakeMessage::CertificateRequest12(CertificateRequest12 {
            certificate_types: vec![crate::wire::codepoints::ClientCertificateType::RSA_SIGN],
            signature_algorithms: vec![],
            authorities: vec![],
        })
        .encode()
    }

    /// The view decodes with what the ServerHello chose: a TLS 1.0 CertificateRequest has no
    /// signature algorithms (RFC 4346 §7.4.4), and is read whole.
    #[test]
    fn learns_the_version_from_the_server_hello() {
        let mut a = Annotator::new();
        let sh = server_hello(ProtocolVersion::TLS10, 0x002f);
        assert_tiles(&a.message(&sh, 0, 0), sh.len());
        let cr = request();
        let spans = a.message(&cr, 0, 0);
        assert_tiles(&spans, cr.len());
        let fields: Vec<&str> = spans.iter().map(|s| s.field.as_str()).collect();
        assert_eq!(
            fields[1..],
            [
                "certificate_types length",
                "type",
                "certificate_authorities length"
            ]
        );
        // Under TLS 1.2 the same bytes are read as a signature algorithm list.
        let mut a = Annotator::new();
        a.message(&server_hello(ProtocolVersion::TLS12, 0xc02f), 0, 0);
        let spans = a.message(&cr, 0, 0);
        assert_tiles(&spans, cr.len());
        assert_eq!(spans[3].field, "supported_signature_algorithms length");
    }

    /// Whatever the bytes, the spans of a record cover each byte once.
    #[test]
    fn every_truncation_and_split_is_covered() {
        let sh = server_hello(ProtocolVersion::TLS12, 0xc02f);
        let mut rec = vec![22, 3, 3, 0, sh.len() as u8];
        rec.extend_from_slice(&sh);
        for cut in 0..=rec.len() {
            let mut a = Annotator::new();
            let r = a.record(true, &rec[..cut], false, ContentType::HANDSHAKE, None);
            assert_tiles(&r.wire, cut);
        }
        // the message split over two records: header and first part, then the rest
        let (x, y) = sh.split_at(10);
        let mut a = Annotator::new();
        for part in [x, y] {
            let rec = [&[22u8, 3, 3, 0, part.len() as u8][..], part].concat();
            let r = a.record(true, &rec, false, ContentType::HANDSHAKE, None);
            assert_tiles(&r.wire, rec.len());
        }
        // an alert record with a byte too many
        let r = a.record(
            true,
            &[21, 3, 3, 0, 3, 2, 40, 0],
            false,
            ContentType::ALERT,
            None,
        );
        assert_tiles(&r.wire, 8);
        assert_eq!(r.wire[2].value, "handshake_failure");
        assert_eq!(r.wire[3].field, MALFORMED);
    }

    /// A TLS 1.3 record's decrypted view ends with the real content type and the padding.
    #[test]
    fn inner_plaintext_of_a_tls13_record() {
        let mut a = Annotator::new();
        a.version = ProtocolVersion::TLS13;
        let raw = [&[23u8, 3, 3, 0, 22][..], &[0xee; 22]].concat();
        let r = a.record(false, &raw, true, ContentType::ALERT, Some(&[1, 0]));
        let d = r.decrypted.unwrap();
        assert_eq!(d.bytes, [1, 0, 21, 0, 0, 0]);
        assert_tiles(&d.spans, d.bytes.len());
        assert_eq!(d.spans[2].field, "inner content type");
        assert_eq!(d.spans[3].value, "3 zero bytes");
        assert!(d.inner_plaintext);
    }
}
