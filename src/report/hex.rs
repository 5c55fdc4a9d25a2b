//! The annotated byte view (`--hex`): every record header and handshake message broken into
//! spans of (offset, bytes, field name, decoded value) that cover each byte exactly once, in
//! the spirit of the "Illustrated TLS Connection" pages. Codec layouts follow RFC 8446 §4-§5,
//! RFC 5246 §6.2 and §7.4, RFC 8422 §5 and the extension RFCs named in `wire::extensions`.
//!
//! `ByteView` keeps what it needs across records (negotiated version and key exchange, a
//! handshake message split over records); `render` turns spans into aligned lines.

use crate::event::Dir;
use crate::pki::summary::summarize;
use crate::wire::codepoints::{
    is_grease_u16, ClientCertificateType, CompressionMethod, ContentType, EcPointFormat,
    ExtensionType, HandshakeType, NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};
use crate::wire::handshake::HRR_RANDOM;
use crate::wire::suites::{CipherSuite, Kx};

/// One labelled run of bytes.
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
}

/// Decoding state carried from record to record.
#[derive(Debug, Clone, Default)]
pub struct ByteView {
    tls13: bool,
    kx: Option<Kx>,
    /// Bytes of a handshake message that continues in the next record, per direction.
    carry: [Vec<u8>; 2],
    /// Unix time for certificate validity notes.
    pub now: i64,
}

#[derive(Debug)]
struct Short;
type R = Result<(), Short>;

/// A cursor that records a span for everything it consumes.
struct Ann<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
    base: usize,
    depth: usize,
    spans: Vec<Span>,
}

impl<'a> Ann<'a> {
    fn new(buf: &'a [u8], base: usize, depth: usize) -> Ann<'a> {
        Ann {
            buf,
            pos: 0,
            end: buf.len(),
            base,
            depth,
            spans: vec![],
        }
    }

    fn remaining(&self) -> usize {
        self.end - self.pos
    }

    fn span(&mut self, n: usize, label: impl Into<String>, value: impl Into<String>) -> R {
        if self.remaining() < n {
            return Err(Short);
        }
        self.spans.push(Span {
            offset: self.base + self.pos,
            bytes: self.buf[self.pos..self.pos + n].to_vec(),
            label: label.into(),
            value: value.into(),
            depth: self.depth,
            notes: vec![],
            bulky: false,
        });
        self.pos += n;
        Ok(())
    }

    fn bulky(&mut self, n: usize, label: impl Into<String>, value: impl Into<String>) -> R {
        self.span(n, label, value)?;
        if let Some(s) = self.spans.last_mut() {
            s.bulky = true;
        }
        Ok(())
    }

    fn peek(&self, n: usize) -> Result<&'a [u8], Short> {
        if self.remaining() < n {
            return Err(Short);
        }
        Ok(&self.buf[self.pos..self.pos + n])
    }

    fn peek_uint(&self, n: usize) -> Result<usize, Short> {
        Ok(self
            .peek(n)?
            .iter()
            .fold(0usize, |a, &b| (a << 8) | b as usize))
    }

    fn u8(&mut self, label: &str, f: impl FnOnce(u8) -> String) -> Result<u8, Short> {
        let v = self.peek_uint(1)? as u8;
        self.span(1, label, f(v))?;
        Ok(v)
    }

    fn u16(&mut self, label: &str, f: impl FnOnce(u16) -> String) -> Result<u16, Short> {
        let v = self.peek_uint(2)? as u16;
        self.span(2, label, f(v))?;
        Ok(v)
    }

    fn uint(&mut self, n: usize, label: &str, f: impl FnOnce(usize) -> String) -> R {
        let v = self.peek_uint(n)?;
        self.span(n, label, f(v))
    }

    /// A length prefix of `n` bytes; the value must fit in what is left.
    fn len(
        &mut self,
        n: usize,
        label: &str,
        what: impl FnOnce(usize) -> String,
    ) -> Result<usize, Short> {
        let v = self.peek_uint(n)?;
        let extra = what(v);
        let value = if extra.is_empty() {
            format!("{v}")
        } else {
            format!("{v} ({extra})")
        };
        self.span(n, label, value)?;
        if v > self.remaining() {
            return Err(Short);
        }
        Ok(v)
    }

    /// Runs `f` over the next `len` bytes; bytes it leaves are labelled as unparsed.
    fn within(&mut self, len: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = self.end;
        self.end = self.pos + len;
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        if r.is_ok() && self.pos < self.end {
            let n = self.end - self.pos;
            self.span(n, "unparsed bytes", format!("{n}"))?;
        }
        self.end = saved;
        r
    }

    /// Opaque bytes with a length prefix of `n` bytes.
    fn opaque(&mut self, n: usize, label: &str, value: impl FnOnce(&[u8]) -> String) -> R {
        let l = self.len(n, &format!("{label} length"), |_| String::new())?;
        if l > 0 {
            let b = self.peek(l)?;
            let v = value(b);
            self.span(l, label, v)?;
        }
        Ok(())
    }

    /// A list of 2-byte code points with a length prefix of `n` bytes.
    fn list16(&mut self, n: usize, label: &str, item: &str, name: impl Fn(u16) -> String) -> R {
        let l = self.len(n, &format!("{label} length"), |l| {
            format!("{} {}", l / 2, plural(item, l / 2))
        })?;
        self.within(l, |a| {
            while a.remaining() >= 2 {
                a.u16(item, &name)?;
            }
            Ok(())
        })
    }

    /// A list of 1-byte code points with a length prefix of `n` bytes.
    fn list8(&mut self, n: usize, label: &str, item: &str, name: impl Fn(u8) -> String) -> R {
        let l = self.len(n, &format!("{label} length"), |l| {
            format!("{l} {}", plural(item, l))
        })?;
        self.within(l, |a| {
            while a.remaining() >= 1 {
                a.u8(item, &name)?;
            }
            Ok(())
        })
    }

    /// Whatever is left (up to `end`) as one span.
    fn rest(&mut self, label: &str, value: impl Into<String>) -> R {
        let n = self.remaining();
        if n > 0 {
            self.span(n, label, value)?;
        }
        Ok(())
    }

    /// Ends the annotation: bytes not consumed (malformed or truncated input) become one span.
    fn finish(mut self) -> Vec<Span> {
        self.end = self.buf.len();
        let n = self.buf.len() - self.pos;
        if n > 0 {
            let depth = self.depth;
            self.spans.push(Span {
                offset: self.base + self.pos,
                bytes: self.buf[self.pos..].to_vec(),
                label: "malformed or truncated".into(),
                value: format!("{n} bytes not decoded"),
                depth,
                notes: vec![],
                bulky: n > BULKY_SHOWN,
            });
        }
        self.spans
    }
}

fn plural(item: &str, n: usize) -> String {
    if n == 1 {
        item.to_string()
    } else if let Some(s) = item.strip_suffix('y') {
        format!("{s}ies")
    } else {
        format!("{item}s")
    }
}

fn named<T: std::fmt::Display>(v: u16, known: T) -> String {
    if is_grease_u16(v) {
        format!("GREASE (0x{v:04x})")
    } else {
        format!("{known} (0x{v:04x})")
    }
}

fn text(b: &[u8]) -> String {
    format!("\"{}\"", String::from_utf8_lossy(b))
}

/// "ClientHello" from "client_hello".
pub fn title(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Where an extension block appears; some extensions differ by message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExtIn {
    ClientHello,
    ServerHello,
    HelloRetryRequest,
    Other,
    Certificate,
    NewSessionTicket,
}

fn extensions(a: &mut Ann, at: ExtIn) -> R {
    let l = a.len(2, "extensions length", |_| String::new())?;
    a.within(l, |a| {
        while a.remaining() > 0 {
            let typ = a.peek_uint(2)? as u16;
            let t = ExtensionType(typ);
            a.span(2, "extension", named(typ, t))?;
            let el = a.len(2, "extension length", |_| String::new())?;
            a.within(el, |a| ext_body(a, t, at))?;
        }
        Ok(())
    })
}

fn ext_body(a: &mut Ann, t: ExtensionType, at: ExtIn) -> R {
    if a.remaining() == 0 || is_grease_u16(t.0) {
        return a.rest("data", "");
    }
    let groups = |v: u16| named(v, NamedGroup(v));
    let schemes = |v: u16| named(v, SignatureScheme(v));
    match t {
        ExtensionType::SERVER_NAME => {
            let l = a.len(2, "server_name list length", |_| String::new())?;
            a.within(l, |a| {
                while a.remaining() > 0 {
                    a.u8("name type", |v| {
                        if v == 0 {
                            "host_name".into()
                        } else {
                            format!("{v}")
                        }
                    })?;
                    a.opaque(2, "host name", text)?;
                }
                Ok(())
            })
        }
        ExtensionType::SUPPORTED_GROUPS => a.list16(2, "named_group list", "group", groups),
        ExtensionType::EC_POINT_FORMATS => a.list8(1, "ec_point_format list", "format", |v| {
            EcPointFormat(v).to_string()
        }),
        ExtensionType::SIGNATURE_ALGORITHMS | ExtensionType::SIGNATURE_ALGORITHMS_CERT => {
            a.list16(2, "signature scheme list", "scheme", schemes)
        }
        ExtensionType::ALPN => {
            let l = a.len(2, "protocol name list length", |_| String::new())?;
            a.within(l, |a| {
                while a.remaining() > 0 {
                    a.opaque(1, "protocol", text)?;
                }
                Ok(())
            })
        }
        ExtensionType::SUPPORTED_VERSIONS if at == ExtIn::ClientHello => {
            let l = a.len(1, "versions length", |l| format!("{} versions", l / 2))?;
            a.within(l, |a| {
                while a.remaining() >= 2 {
                    a.u16("version", |v| named(v, ProtocolVersion(v)))?;
                }
                Ok(())
            })
        }
        ExtensionType::SUPPORTED_VERSIONS => {
            a.u16("selected_version", |v| named(v, ProtocolVersion(v)))?;
            Ok(())
        }
        ExtensionType::KEY_SHARE if at == ExtIn::ClientHello => {
            let l = a.len(2, "client_shares length", |_| String::new())?;
            a.within(l, |a| {
                while a.remaining() > 0 {
                    a.u16("group", groups)?;
                    a.opaque(2, "key_exchange", |b| {
                        format!("{} bytes, public key", b.len())
                    })?;
                }
                Ok(())
            })
        }
        ExtensionType::KEY_SHARE if at == ExtIn::HelloRetryRequest => {
            a.u16("selected_group", groups)?;
            Ok(())
        }
        ExtensionType::KEY_SHARE => {
            a.u16("group", groups)?;
            a.opaque(2, "key_exchange", |b| {
                format!("{} bytes, public key", b.len())
            })
        }
        ExtensionType::PSK_KEY_EXCHANGE_MODES => {
            a.list8(1, "ke_modes", "mode", |v| PskKeyExchangeMode(v).to_string())
        }
        ExtensionType::RENEGOTIATION_INFO => {
            a.opaque(1, "renegotiated_connection", |_| String::new())
        }
        ExtensionType::STATUS_REQUEST if at == ExtIn::Certificate => {
            a.u8("status_type", |v| {
                if v == 1 {
                    "ocsp".into()
                } else {
                    format!("{v}")
                }
            })?;
            let l = a.len(3, "OCSP response length", |_| String::new())?;
            a.bulky(l, "OCSP response", "DER")
        }
        ExtensionType::STATUS_REQUEST => {
            a.u8("status_type", |v| {
                if v == 1 {
                    "ocsp".into()
                } else {
                    format!("{v}")
                }
            })?;
            a.opaque(2, "responder_id_list", |_| String::new())?;
            a.opaque(2, "request_extensions", |_| String::new())
        }
        ExtensionType::PRE_SHARED_KEY if at == ExtIn::ClientHello => {
            let l = a.len(2, "identities length", |_| String::new())?;
            a.within(l, |a| {
                while a.remaining() > 0 {
                    a.opaque(2, "identity", |b| format!("{} bytes (a ticket)", b.len()))?;
                    a.uint(4, "obfuscated_ticket_age", |v| format!("{v}"))?;
                }
                Ok(())
            })?;
            let l = a.len(2, "binders length", |_| String::new())?;
            a.within(l, |a| {
                while a.remaining() > 0 {
                    a.opaque(1, "binder", |_| {
                        "HMAC(binder finished key, truncated ClientHello)".into()
                    })?;
                }
                Ok(())
            })
        }
        ExtensionType::PRE_SHARED_KEY => a.uint(2, "selected_identity", |v| format!("{v}")),
        ExtensionType::EARLY_DATA if at == ExtIn::NewSessionTicket => {
            a.uint(4, "max_early_data_size", |v| format!("{v}"))
        }
        ExtensionType::COOKIE => a.opaque(2, "cookie", |_| String::new()),
        ExtensionType::RECORD_SIZE_LIMIT => a.uint(2, "record_size_limit", |v| format!("{v}")),
        ExtensionType::HEARTBEAT => a.uint(1, "mode", |v| format!("{v}")),
        ExtensionType::PADDING => {
            let n = a.remaining();
            a.rest("padding", format!("{n} bytes"))
        }
        ExtensionType::SESSION_TICKET => {
            let n = a.remaining();
            a.rest("ticket", format!("{n} bytes"))
        }
        _ => {
            let n = a.remaining();
            a.rest("data", format!("{n} bytes, not decoded"))
        }
    }
}

fn random(a: &mut Ann, hello_retry: bool) -> R {
    let b = a.peek(32)?;
    let v = if hello_retry {
        "the HelloRetryRequest marker (RFC 8446 §4.1.3)".to_string()
    } else if b[24..] == *b"DOWNGRD\x01" || b[24..] == *b"DOWNGRD\x00" {
        "32 bytes; ends with a downgrade sentinel (RFC 8446 §4.1.3)".into()
    } else {
        "32 bytes".into()
    };
    a.span(32, "random", v)
}

impl ByteView {
    pub fn new(now: i64) -> ByteView {
        ByteView {
            now,
            ..ByteView::default()
        }
    }

    fn body(&mut self, a: &mut Ann, typ: HandshakeType) -> R {
        let suite = |v: u16| named(v, CipherSuite(v));
        match typ {
            HandshakeType::CLIENT_HELLO => {
                a.u16("client_version", |v| named(v, ProtocolVersion(v)))?;
                random(a, false)?;
                a.opaque(1, "session_id", |_| String::new())?;
                a.list16(2, "cipher_suites", "cipher suite", suite)?;
                a.list8(1, "compression_methods", "method", |v| {
                    CompressionMethod(v).to_string()
                })?;
                if a.remaining() > 0 {
                    extensions(a, ExtIn::ClientHello)?;
                }
            }
            HandshakeType::SERVER_HELLO => {
                a.u16("server_version", |v| named(v, ProtocolVersion(v)))?;
                let hrr = a.peek(32)? == HRR_RANDOM;
                random(a, hrr)?;
                a.opaque(1, "session_id", |_| String::new())?;
                let cs = a.u16("cipher_suite", suite)?;
                a.u8("compression_method", |v| CompressionMethod(v).to_string())?;
                let start = a.spans.len();
                if a.remaining() > 0 {
                    let at = if hrr {
                        ExtIn::HelloRetryRequest
                    } else {
                        ExtIn::ServerHello
                    };
                    extensions(a, at)?;
                }
                let tls13 = a.spans[start..]
                    .iter()
                    .any(|s| s.label == "selected_version" && s.bytes == [3, 4]);
                if !hrr {
                    self.tls13 = tls13;
                    self.kx = CipherSuite(cs).info().map(|i| i.kx);
                }
            }
            HandshakeType::NEW_SESSION_TICKET if self.tls13 => {
                a.uint(4, "ticket_lifetime", |v| format!("{v} s"))?;
                a.uint(4, "ticket_age_add", |v| format!("{v}"))?;
                a.opaque(1, "ticket_nonce", |_| String::new())?;
                a.opaque(2, "ticket", |b| {
                    format!("{} bytes, opaque to the client", b.len())
                })?;
                extensions(a, ExtIn::NewSessionTicket)?;
            }
            HandshakeType::NEW_SESSION_TICKET => {
                a.uint(4, "ticket_lifetime_hint", |v| format!("{v} s"))?;
                a.opaque(2, "ticket", |b| {
                    format!("{} bytes, opaque to the client", b.len())
                })?;
            }
            HandshakeType::ENCRYPTED_EXTENSIONS => extensions(a, ExtIn::Other)?,
            HandshakeType::CERTIFICATE => {
                if self.tls13 {
                    a.opaque(1, "certificate_request_context", |_| String::new())?;
                }
                let l = a.len(3, "certificate_list length", |_| String::new())?;
                let tls13 = self.tls13;
                let now = self.now;
                a.within(l, |a| {
                    let mut i = 0;
                    while a.remaining() > 0 {
                        let cl =
                            a.len(3, &format!("certificate [{i}] length"), |_| String::new())?;
                        let der = a.peek(cl)?;
                        let notes = cert_notes(der, now);
                        a.bulky(cl, format!("certificate [{i}]"), "DER (X.509)")?;
                        if let Some(s) = a.spans.last_mut() {
                            s.notes = notes;
                        }
                        if tls13 {
                            extensions(a, ExtIn::Certificate)?;
                        }
                        i += 1;
                    }
                    Ok(())
                })?;
            }
            HandshakeType::SERVER_KEY_EXCHANGE if self.kx == Some(Kx::Ecdhe) => {
                a.u8("curve_type", |v| {
                    if v == 3 {
                        "named_curve".into()
                    } else {
                        format!("{v}")
                    }
                })?;
                a.u16("named_curve", |v| named(v, NamedGroup(v)))?;
                a.opaque(1, "public key", |b| format!("{} bytes", b.len()))?;
                a.u16("signature algorithm", |v| named(v, SignatureScheme(v)))?;
                a.opaque(2, "signature", |_| {
                    "over client_random + server_random + params".into()
                })?;
            }
            HandshakeType::CLIENT_KEY_EXCHANGE if self.kx == Some(Kx::Ecdhe) => {
                a.opaque(1, "public key", |b| format!("{} bytes", b.len()))?;
            }
            HandshakeType::CLIENT_KEY_EXCHANGE if self.kx == Some(Kx::Rsa) => {
                a.opaque(2, "EncryptedPreMasterSecret", |_| {
                    "RSA-encrypted to the server's key".into()
                })?;
            }
            HandshakeType::CERTIFICATE_REQUEST if self.tls13 => {
                a.opaque(1, "certificate_request_context", |_| String::new())?;
                extensions(a, ExtIn::Other)?;
            }
            HandshakeType::CERTIFICATE_REQUEST => {
                a.list8(1, "certificate_types", "type", |v| {
                    ClientCertificateType(v).to_string()
                })?;
                a.list16(2, "supported_signature_algorithms", "scheme", |v| {
                    named(v, SignatureScheme(v))
                })?;
                let l = a.len(2, "certificate_authorities length", |_| String::new())?;
                a.within(l, |a| {
                    while a.remaining() > 0 {
                        a.opaque(2, "distinguished name", |_| "DER".into())?;
                    }
                    Ok(())
                })?;
            }
            HandshakeType::CERTIFICATE_VERIFY => {
                a.u16("signature algorithm", |v| named(v, SignatureScheme(v)))?;
                a.opaque(2, "signature", |_| "over the transcript hash".into())?;
            }
            HandshakeType::FINISHED => {
                let n = a.remaining();
                a.rest("verify_data", format!("{n} bytes"))?;
            }
            HandshakeType::CERTIFICATE_STATUS => {
                a.u8("status_type", |v| {
                    if v == 1 {
                        "ocsp".into()
                    } else {
                        format!("{v}")
                    }
                })?;
                let l = a.len(3, "OCSP response length", |_| String::new())?;
                a.bulky(l, "OCSP response", "DER")?;
            }
            HandshakeType::KEY_UPDATE => {
                a.u8("request_update", |v| match v {
                    0 => "update_not_requested".into(),
                    1 => "update_requested".into(),
                    v => format!("{v}"),
                })?;
            }
            _ => {
                let n = a.remaining();
                a.rest("body", format!("{n} bytes"))?;
            }
        }
        Ok(())
    }

    /// Spans of one whole handshake message (header and body), offsets from `base`.
    pub fn handshake(&mut self, msg: &[u8], base: usize, depth: usize) -> Vec<Span> {
        let mut a = Ann::new(msg, base, depth);
        let _ = (|| -> R {
            let typ = HandshakeType(a.peek_uint(1)? as u8);
            let len = a.peek(4)?;
            let len = u32::from_be_bytes([0, len[1], len[2], len[3]]) as usize;
            let hrr = typ == HandshakeType::SERVER_HELLO
                && msg.len() >= 4 + 2 + 32
                && msg[6..38] == HRR_RANDOM;
            let name = if hrr {
                "HelloRetryRequest".to_string()
            } else {
                title(&typ.to_string())
            };
            a.span(4, name, format!("(type {}), length {len}", typ.0))?;
            if len > a.remaining() {
                return Err(Short);
            }
            a.within(len, |a| self.body(a, typ))
        })();
        a.finish()
    }

    /// The handshake bytes of one record: whole messages annotated, pieces of a message split
    /// across records labelled as such.
    fn handshake_fragment(
        &mut self,
        dir: Dir,
        frag: &[u8],
        base: usize,
        depth: usize,
    ) -> Vec<Span> {
        let d = (dir == Dir::In) as usize;
        let mut spans = vec![];
        let mut pos = 0;
        if !self.carry[d].is_empty() {
            let mut head = self.carry[d].clone();
            head.extend_from_slice(&frag[..frag.len().min(4)]);
            let total = if head.len() >= 4 {
                4 + u32::from_be_bytes([0, head[1], head[2], head[3]]) as usize
            } else {
                usize::MAX
            };
            let have = self.carry[d].len();
            let take = (total.saturating_sub(have)).min(frag.len());
            spans.push(Span {
                offset: base,
                bytes: frag[..take].to_vec(),
                label: format!("{} continued", title(&HandshakeType(head[0]).to_string())),
                value: format!("bytes {have}..{} of the message", have + take),
                depth,
                notes: vec![],
                bulky: take > BULKY_SHOWN,
            });
            self.carry[d].extend_from_slice(&frag[..take]);
            if self.carry[d].len() >= total {
                self.carry[d].clear();
            }
            pos = take;
        }
        while pos < frag.len() {
            let rest = &frag[pos..];
            let whole = rest.len() >= 4
                && 4 + u32::from_be_bytes([0, rest[1], rest[2], rest[3]]) as usize <= rest.len();
            if whole {
                let len = 4 + u32::from_be_bytes([0, rest[1], rest[2], rest[3]]) as usize;
                spans.extend(self.handshake(&rest[..len], base + pos, depth));
                pos += len;
            } else {
                let name = title(&HandshakeType(rest[0]).to_string());
                let mut a = Ann::new(rest, base + pos, depth);
                if rest.len() >= 4 {
                    let len = u32::from_be_bytes([0, rest[1], rest[2], rest[3]]);
                    let _ = a.span(
                        4,
                        name,
                        format!("length {len}, continues in the next record"),
                    );
                }
                let _ = a.rest("first part of the body", "");
                spans.extend(a.finish());
                self.carry[d] = rest.to_vec();
                pos = frag.len();
            }
        }
        spans
    }

    /// The content of a record (plaintext, or decrypted) by its content type.
    fn content(
        &mut self,
        dir: Dir,
        ct: ContentType,
        data: &[u8],
        base: usize,
        depth: usize,
    ) -> Vec<Span> {
        match ct {
            ContentType::HANDSHAKE => self.handshake_fragment(dir, data, base, depth),
            ContentType::ALERT => {
                let mut a = Ann::new(data, base, depth);
                let _ = (|| -> R {
                    a.u8("alert level", |v| {
                        crate::error::AlertLevel::from_u8(v).name()
                    })?;
                    a.u8("alert description", |v| {
                        crate::error::Alert::from_u8(v).to_string()
                    })?;
                    Ok(())
                })();
                a.finish()
            }
            ContentType::CHANGE_CIPHER_SPEC => {
                let mut a = Ann::new(data, base, depth);
                let _ = a.u8("change_cipher_spec", |v| format!("{v}"));
                a.finish()
            }
            _ => {
                let mut a = Ann::new(data, base, depth);
                let n = data.len();
                let _ = a.bulky(n, "application data", format!("{n} bytes"));
                a.finish()
            }
        }
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
        let mut a = Ann::new(raw, 0, 0);
        let header = (|| -> R {
            let h = a.peek(5)?;
            let ct = ContentType(h[0]);
            let v = ProtocolVersion(u16::from_be_bytes([h[1], h[2]]));
            let len = u16::from_be_bytes([h[3], h[4]]);
            let what = if encrypted && ct == ContentType::APPLICATION_DATA && inner_type != ct {
                format!("{ct} (protected), legacy version {v}, length {len}")
            } else {
                format!("{ct}, legacy version {v}, length {len}")
            };
            a.span(5, "record:", what)
        })();
        if header.is_err() {
            return RecordView {
                wire: a.finish(),
                inner: None,
                inner_note: None,
            };
        }
        let frag = &raw[5..];
        if !encrypted {
            let mut wire = a.finish_header();
            wire.extend(self.content(dir, ContentType(raw[0]), frag, 5, 1));
            return RecordView {
                wire,
                inner: None,
                inner_note: None,
            };
        }
        let n = frag.len();
        let _ = a.bulky(n, "encrypted record", format!("{n} bytes"));
        let wire = a.finish();
        let Some(plain) = plaintext else {
            return RecordView {
                wire,
                inner: None,
                inner_note: None,
            };
        };
        let mut inner = self.content(dir, inner_type, plain, 0, 1);
        let note = if self.tls13 && raw[0] == ContentType::APPLICATION_DATA.0 {
            // RFC 8446 §5.2: TLSInnerPlaintext = content || type || zeros; then a 16-byte tag.
            inner.push(Span {
                offset: plain.len(),
                bytes: vec![inner_type.0],
                label: "inner content type".into(),
                value: inner_type.to_string(),
                depth: 1,
                notes: vec![],
                bulky: false,
            });
            let pad = n.saturating_sub(16 + plain.len() + 1);
            if pad > 0 {
                inner.push(Span {
                    offset: plain.len() + 1,
                    bytes: vec![0; pad],
                    label: "padding".into(),
                    value: format!("{pad} zero bytes"),
                    depth: 1,
                    notes: vec![],
                    bulky: pad > BULKY_SHOWN,
                });
            }
            format!(
                "decrypted TLSInnerPlaintext ({} bytes; the last 16 of the {n} are the AEAD tag):",
                plain.len() + 1 + pad
            )
        } else {
            format!(
                "decrypted {inner_type} ({} bytes; the other {} of the {n} are the nonce, tag or MAC and padding):",
                plain.len(),
                n.saturating_sub(plain.len())
            )
        };
        RecordView {
            wire,
            inner: Some(inner),
            inner_note: Some(note),
        }
    }
}

impl Ann<'_> {
    /// The spans so far (after a header), leaving the rest of the buffer to the caller.
    fn finish_header(self) -> Vec<Span> {
        self.spans
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
    use crate::wire::extensions::{ExtBody, Extension, ServerNames};
    use crate::wire::handshake::{ClientHello, HandshakeMessage};

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
