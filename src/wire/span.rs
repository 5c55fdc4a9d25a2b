//! Labelled spans: what a decode read, where and what it means. A `Reader` given a `SpanLog`
//! records one `Span` (offset, length, field, value) for every field it reads, so a decode of
//! a record or handshake message is also its annotated byte view (`--hex`, `report::hex`).
//! Recording is off unless asked for; a `Reader` without a log formats nothing.

use std::cell::RefCell;
use std::fmt;

use super::codepoints::is_grease_u16;

/// How a span's bytes are best shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpanKind {
    /// A field: every byte is worth showing.
    #[default]
    Field,
    /// Long opaque bytes (an OCSP response, ciphertext, a certificate fragment).
    Bulk,
    /// One DER X.509 certificate (bulk bytes a renderer can summarise).
    Certificate,
}

/// One labelled run of bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Offset of the first byte from the start of what was annotated.
    pub offset: usize,
    pub len: usize,
    /// Field name, e.g. "client_version".
    pub field: String,
    /// Decoded value, e.g. "TLS 1.2 (0x0303)" (may be empty).
    pub value: String,
    /// Nesting depth (0 = record or message level): one more inside each length-prefixed
    /// vector that holds fields.
    pub depth: usize,
    pub kind: SpanKind,
}

impl Span {
    /// Offset just past the span.
    pub fn end(&self) -> usize {
        self.offset + self.len
    }
}

/// Where a recording `Reader` puts its spans (shared by a reader and its sub-readers).
#[derive(Debug, Default)]
pub struct SpanLog {
    spans: RefCell<Vec<Span>>,
}

impl SpanLog {
    pub fn new() -> SpanLog {
        SpanLog::default()
    }

    pub fn push(&self, span: Span) {
        self.spans.borrow_mut().push(span);
    }

    /// Offset just past the last span, or `start` when nothing was recorded after it.
    pub fn end_after(&self, start: usize) -> usize {
        self.spans
            .borrow()
            .last()
            .map_or(start, |s| s.end().max(start))
    }

    /// Labels the bytes from the end of the last span (or `start`) up to `end`, when there
    /// are any: what a decode that stopped early (malformed or truncated input) did not read.
    /// `value` gets the number of bytes.
    pub fn fill_to(
        &self,
        start: usize,
        end: usize,
        depth: usize,
        field: &str,
        value: impl FnOnce(usize) -> String,
    ) {
        let from = self.end_after(start);
        if from < end {
            self.push(Span {
                offset: from,
                len: end - from,
                field: field.to_string(),
                value: value(end - from),
                depth,
                kind: SpanKind::Bulk,
            });
        }
    }

    /// Takes the spans recorded so far.
    pub fn take(&self) -> Vec<Span> {
        std::mem::take(&mut *self.spans.borrow_mut())
    }
}

/// How a read names its field: `what` in error messages, `label` on the recorded span, and
/// the kind of span. A `&str` is both.
#[derive(Debug, Clone, Copy)]
pub struct Field<'f> {
    pub what: &'f str,
    pub label: &'f str,
    pub kind: SpanKind,
}

impl<'f> Field<'f> {
    /// A field whose error messages say `what` and whose span says `label`.
    pub const fn shown_as(what: &'f str, label: &'f str) -> Field<'f> {
        Field {
            what,
            label,
            kind: SpanKind::Field,
        }
    }

    /// The same field, its bytes shown as bulk.
    pub const fn bulk(self) -> Field<'f> {
        self.kind(SpanKind::Bulk)
    }

    pub const fn kind(mut self, kind: SpanKind) -> Field<'f> {
        self.kind = kind;
        self
    }
}

impl<'f> From<&'f str> for Field<'f> {
    fn from(what: &'f str) -> Field<'f> {
        Field::shown_as(what, what)
    }
}

impl<'f> From<&'f String> for Field<'f> {
    fn from(what: &'f String) -> Field<'f> {
        Field::shown_as(what, what)
    }
}

/// A 16-bit code point for a span: "x25519 (0x001d)", "GREASE (0x0a0a)".
pub fn code16(v: u16, known: impl fmt::Display) -> String {
    if is_grease_u16(v) {
        format!("GREASE (0x{v:04x})")
    } else {
        format!("{known} (0x{v:04x})")
    }
}

/// "3 cipher suites", "1 group", "2 authorities".
pub fn count(n: usize, item: &str) -> String {
    let items = if n == 1 {
        item.to_string()
    } else if let Some(s) = item.strip_suffix('y') {
        format!("{s}ies")
    } else {
        format!("{item}s")
    };
    format!("{n} {items}")
}

/// Text bytes in quotes (a host name, an ALPN protocol).
pub fn quoted(b: &[u8]) -> String {
    format!("\"{}\"", String::from_utf8_lossy(b))
}

/// "3 bytes".
pub fn bytes(b: &[u8]) -> String {
    format!("{} bytes", b.len())
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
