//! Byte cursor (`Reader`) and builder (`Writer`) for the TLS presentation language
//! (RFC 8446 §3, RFC 5246 §4): big-endian integers and length-prefixed vectors.
//!
//! A `Reader` never panics and never allocates by a length the peer chose before checking
//! that the bytes are really there. Sub-readers for length-prefixed fields must be consumed
//! completely (`expect_end`), so trailing bytes are a `decode_error`.
//!
//! A `Reader` made with `Reader::recording` also writes a labelled span for every field it
//! reads into a `SpanLog` (`wire::span`): the annotated byte view comes from the same decode
//! as the connection's. Every read names its field (`Field`: the name in error messages, the
//! label on the span); values are only formatted when recording.

use super::span::{code16, Field, Span, SpanKind, SpanLog};
use crate::error::{Alert, TlsError};
use std::fmt::Display;

/// A cursor over received bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Offset of `buf[0]` in what is being annotated, and the nesting depth (spans only).
    base: usize,
    depth: usize,
    log: Option<&'a SpanLog>,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            base: 0,
            depth: 0,
            log: None,
        }
    }

    /// A reader that records a span into `log` for every field it reads, offsets counted
    /// from `base`, at nesting `depth`.
    pub fn recording(buf: &'a [u8], base: usize, depth: usize, log: &'a SpanLog) -> Self {
        Reader {
            buf,
            pos: 0,
            base,
            depth,
            log: Some(log),
        }
    }

    /// The span log, when this reader records.
    pub fn log(&self) -> Option<&'a SpanLog> {
        self.log
    }

    pub fn is_recording(&self) -> bool {
        self.log.is_some()
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Offset of the next byte in what is being annotated.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Offset just past the end of this reader's bytes, and its nesting depth.
    pub fn end_offset(&self) -> usize {
        self.base + self.buf.len()
    }

    pub fn depth(&self) -> usize {
        self.depth
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unread bytes, without consuming them.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    /// All of this reader's bytes, read or not.
    pub fn whole(&self) -> &'a [u8] {
        self.buf
    }

    fn short(&self, what: &str, want: usize) -> TlsError {
        TlsError::new(
            Alert::DecodeError,
            format!(
                "{what}: needs {want} bytes but only {} remain",
                self.remaining()
            ),
        )
    }

    /// Records a span over `len` bytes from `start` (a position in this reader).
    #[inline]
    fn record(
        &self,
        start: usize,
        len: usize,
        label: impl FnOnce() -> String,
        kind: SpanKind,
        value: impl FnOnce() -> String,
    ) {
        if let Some(log) = self.log {
            log.push(Span {
                offset: self.base + start,
                len,
                field: label(),
                value: value(),
                depth: self.depth,
                kind,
            });
        }
    }

    /// Takes exactly `n` bytes, without recording them.
    #[inline]
    fn take_quiet(&mut self, n: usize, what: &str) -> Result<&'a [u8], TlsError> {
        if self.remaining() < n {
            return Err(self.short(what, n));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Takes `n` bytes and records them as one span whose value `value` describes.
    #[inline]
    pub fn take_as<'f>(
        &mut self,
        n: usize,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(&[u8]) -> String,
    ) -> Result<&'a [u8], TlsError> {
        let f = field.into();
        let start = self.pos;
        let s = self.take_quiet(n, f.what)?;
        if n > 0 {
            self.record(start, n, || f.label.to_string(), f.kind, || value(s));
        }
        Ok(s)
    }

    /// Takes exactly `n` bytes.
    #[inline]
    pub fn take<'f>(
        &mut self,
        n: usize,
        field: impl Into<Field<'f>>,
    ) -> Result<&'a [u8], TlsError> {
        self.take_as(n, field, |_| String::new())
    }

    /// Takes everything left (recorded as "data").
    pub fn take_rest(&mut self) -> &'a [u8] {
        self.take_rest_as("data", |b| format!("{} bytes", b.len()))
    }

    /// Takes everything left as one field.
    pub fn take_rest_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(&[u8]) -> String,
    ) -> &'a [u8] {
        let n = self.remaining();
        self.take_as(n, field, value).unwrap_or_default()
    }

    /// A big-endian integer of `n` bytes (1 to 4), not recorded.
    #[inline]
    fn uint_quiet(&mut self, n: usize, what: &str) -> Result<u32, TlsError> {
        let b = self.take_quiet(n, what)?;
        Ok(match *b {
            [x] => x as u32,
            [x, y] => u16::from_be_bytes([x, y]) as u32,
            [x, y, z] => u32::from_be_bytes([0, x, y, z]),
            [w, x, y, z] => u32::from_be_bytes([w, x, y, z]),
            _ => unreachable!("integers are 1 to 4 bytes"),
        })
    }

    /// A big-endian integer of `n` bytes recorded with the value `value` gives it.
    #[inline]
    fn uint_as<'f>(
        &mut self,
        n: usize,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(u32) -> String,
    ) -> Result<u32, TlsError> {
        let f = field.into();
        let start = self.pos;
        let v = self.uint_quiet(n, f.what)?;
        self.record(start, n, || f.label.to_string(), f.kind, || value(v));
        Ok(v)
    }

    #[inline]
    pub fn u8<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<u8, TlsError> {
        self.u8_as(field, |v| v.to_string())
    }

    #[inline]
    pub fn u16<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<u16, TlsError> {
        self.u16_as(field, |v| v.to_string())
    }

    #[inline]
    pub fn u24<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<u32, TlsError> {
        self.uint_as(3, field, |v| v.to_string())
    }

    #[inline]
    pub fn u32<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<u32, TlsError> {
        self.u32_as(field, |v| v.to_string())
    }

    /// A byte whose span value `value` gives.
    #[inline]
    pub fn u8_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(u8) -> String,
    ) -> Result<u8, TlsError> {
        Ok(self.uint_as(1, field, |v| value(v as u8))? as u8)
    }

    /// A two-byte integer whose span value `value` gives.
    #[inline]
    pub fn u16_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(u16) -> String,
    ) -> Result<u16, TlsError> {
        Ok(self.uint_as(2, field, |v| value(v as u16))? as u16)
    }

    /// A four-byte integer whose span value `value` gives.
    #[inline]
    pub fn u32_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(u32) -> String,
    ) -> Result<u32, TlsError> {
        self.uint_as(4, field, value)
    }

    /// A one-byte code point, its span value the registry name ("null", "unknown(0x07)").
    #[inline]
    pub fn code8<'f, T: Display>(
        &mut self,
        field: impl Into<Field<'f>>,
        make: impl Fn(u8) -> T,
    ) -> Result<T, TlsError> {
        let v = self.u8_as(field, |v| make(v).to_string())?;
        Ok(make(v))
    }

    /// A two-byte code point, its span value the registry name and number
    /// ("x25519 (0x001d)", "GREASE (0x0a0a)").
    #[inline]
    pub fn code16<'f, T: Display>(
        &mut self,
        field: impl Into<Field<'f>>,
        make: impl Fn(u16) -> T,
    ) -> Result<T, TlsError> {
        let v = self.u16_as(field, |v| code16(v, make(v)))?;
        Ok(make(v))
    }

    /// A length prefix of `n` bytes, recorded as "<label> length" with the value `extra`
    /// adds to the number ("6 (3 cipher suites)").
    #[inline]
    fn length<'f>(
        &mut self,
        n: usize,
        f: Field<'f>,
        extra: impl FnOnce(usize) -> String,
    ) -> Result<usize, TlsError> {
        let start = self.pos;
        let len = self.uint_quiet(n, f.what)? as usize;
        self.record(
            start,
            n,
            || format!("{} length", f.label),
            SpanKind::Field,
            || match extra(len) {
                e if e.is_empty() => len.to_string(),
                e => format!("{len} ({e})"),
            },
        );
        Ok(len)
    }

    /// Opaque bytes after a length prefix of `n` bytes: spans "<label> length" and, when
    /// there are any, "<label>" with the value `value` gives.
    #[inline]
    fn vec_as<'f>(
        &mut self,
        n: usize,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(&[u8]) -> String,
    ) -> Result<&'a [u8], TlsError> {
        let f = field.into();
        let len = self.length(n, f, |_| String::new())?;
        self.take_as(len, f, value)
    }

    /// A vector with a one-byte length prefix.
    #[inline]
    pub fn vec8<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<&'a [u8], TlsError> {
        self.vec_as(1, field, |_| String::new())
    }

    /// A vector with a two-byte length prefix.
    #[inline]
    pub fn vec16<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<&'a [u8], TlsError> {
        self.vec_as(2, field, |_| String::new())
    }

    /// A vector with a three-byte length prefix.
    #[inline]
    pub fn vec24<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<&'a [u8], TlsError> {
        self.vec_as(3, field, |_| String::new())
    }

    /// `vec8` with a span value for the bytes.
    #[inline]
    pub fn vec8_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(&[u8]) -> String,
    ) -> Result<&'a [u8], TlsError> {
        self.vec_as(1, field, value)
    }

    /// `vec16` with a span value for the bytes.
    #[inline]
    pub fn vec16_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(&[u8]) -> String,
    ) -> Result<&'a [u8], TlsError> {
        self.vec_as(2, field, value)
    }

    /// `vec24` with a span value for the bytes.
    #[inline]
    pub fn vec24_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        value: impl FnOnce(&[u8]) -> String,
    ) -> Result<&'a [u8], TlsError> {
        self.vec_as(3, field, value)
    }

    /// A sub-reader over the next `len` bytes, one level deeper.
    #[inline]
    pub fn sub(&mut self, len: usize, what: &str) -> Result<Reader<'a>, TlsError> {
        let base = self.offset();
        let buf = self.take_quiet(len, what)?;
        Ok(Reader {
            buf,
            pos: 0,
            base,
            depth: self.depth + 1,
            log: self.log,
        })
    }

    /// A sub-reader over a vector with an `n`-byte length prefix; the prefix's span value
    /// gets what `extra` says about the length.
    #[inline]
    fn sub_as<'f>(
        &mut self,
        n: usize,
        field: impl Into<Field<'f>>,
        extra: impl FnOnce(usize) -> String,
    ) -> Result<Reader<'a>, TlsError> {
        let f = field.into();
        let len = self.length(n, f, extra)?;
        self.sub(len, f.what)
    }

    /// A sub-reader over a one-byte length-prefixed vector.
    #[inline]
    pub fn sub8<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<Reader<'a>, TlsError> {
        self.sub_as(1, field, |_| String::new())
    }

    /// A sub-reader over a two-byte length-prefixed vector.
    #[inline]
    pub fn sub16<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<Reader<'a>, TlsError> {
        self.sub_as(2, field, |_| String::new())
    }

    /// A sub-reader over a three-byte length-prefixed vector.
    #[inline]
    pub fn sub24<'f>(&mut self, field: impl Into<Field<'f>>) -> Result<Reader<'a>, TlsError> {
        self.sub_as(3, field, |_| String::new())
    }

    /// `sub8` with a note on the length ("2 (2 formats)").
    #[inline]
    pub fn sub8_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        extra: impl FnOnce(usize) -> String,
    ) -> Result<Reader<'a>, TlsError> {
        self.sub_as(1, field, extra)
    }

    /// `sub16` with a note on the length ("6 (3 cipher suites)").
    #[inline]
    pub fn sub16_as<'f>(
        &mut self,
        field: impl Into<Field<'f>>,
        extra: impl FnOnce(usize) -> String,
    ) -> Result<Reader<'a>, TlsError> {
        self.sub_as(2, field, extra)
    }

    /// Labels the bytes of this reader no span covers yet as one field (a body that did not
    /// decode but is kept); nothing when not recording.
    pub fn label_unread(&self, field: &str, value: &str) {
        if let Some(log) = self.log {
            log.fill_to(self.base, self.end_offset(), self.depth, field, |_| {
                value.to_string()
            });
        }
    }

    /// Fails with `decode_error` when bytes are left over.
    pub fn expect_end(&self, what: &str) -> Result<(), TlsError> {
        if self.remaining() != 0 {
            return Err(TlsError::new(
                Alert::DecodeError,
                format!("{what}: {} trailing bytes", self.remaining()),
            ));
        }
        Ok(())
    }
}

/// Builds wire bytes.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn u24(&mut self, v: u32) -> &mut Self {
        debug_assert!(v < 1 << 24);
        self.buf.extend_from_slice(&v.to_be_bytes()[1..]);
        self
    }

    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }

    /// Writes `b` with a one-byte length prefix.
    pub fn vec8(&mut self, b: &[u8]) -> &mut Self {
        self.u8(b.len() as u8).bytes(b)
    }

    /// Writes `b` with a two-byte length prefix.
    pub fn vec16(&mut self, b: &[u8]) -> &mut Self {
        self.u16(b.len() as u16).bytes(b)
    }

    /// Writes `b` with a three-byte length prefix.
    pub fn vec24(&mut self, b: &[u8]) -> &mut Self {
        self.u24(b.len() as u32).bytes(b)
    }

    /// Writes a length-prefixed block whose body `f` writes (prefix of `len_bytes` 1, 2 or 3).
    pub fn nested(&mut self, len_bytes: usize, f: impl FnOnce(&mut Writer)) -> &mut Self {
        let start = self.buf.len();
        self.buf.extend(std::iter::repeat_n(0, len_bytes));
        f(self);
        let len = self.buf.len() - start - len_bytes;
        let be = (len as u32).to_be_bytes();
        self.buf[start..start + len_bytes].copy_from_slice(&be[4 - len_bytes..]);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_integers_and_vectors() {
        let data = [1, 0, 2, 0, 0, 3, 2, 0xaa, 0xbb, 0, 1, 0xcc];
        let mut r = Reader::new(&data);
        assert_eq!(r.u8("a").unwrap(), 1);
        assert_eq!(r.u16("b").unwrap(), 2);
        assert_eq!(r.u24("c").unwrap(), 3);
        assert_eq!(r.vec8("d").unwrap(), &[0xaa, 0xbb]);
        assert_eq!(r.vec16("e").unwrap(), &[0xcc]);
        assert!(r.expect_end("x").is_ok());
    }

    #[test]
    fn length_beyond_data_is_decode_error() {
        let data = [0xff, 0xff, 0xff, 1];
        let mut r = Reader::new(&data);
        let e = r.vec24("cert list").unwrap_err();
        assert_eq!(e.alert, Alert::DecodeError);
        assert!(e.message.contains("cert list"));
    }

    #[test]
    fn trailing_bytes_are_decode_error() {
        let r = Reader::new(&[1]);
        assert_eq!(r.expect_end("msg").unwrap_err().alert, Alert::DecodeError);
    }

    #[test]
    fn recording_reader_labels_every_field() {
        use crate::wire::codepoints::ProtocolVersion;
        use crate::wire::span::count;
        let data = [0x03, 0x03, 0, 2, 0xaa, 0xbb, 1, 0x1d];
        let log = SpanLog::new();
        let mut r = Reader::recording(&data, 10, 0, &log);
        r.code16("version", ProtocolVersion).unwrap();
        r.vec16(Field::shown_as("opaque", "blob")).unwrap();
        let mut list = r.sub8_as("list", |l| count(l, "entry")).unwrap();
        list.u8("entry").unwrap();
        let spans: Vec<_> = log
            .take()
            .into_iter()
            .map(|s| (s.offset, s.len, s.field, s.value, s.depth))
            .collect();
        let want = [
            (10, 2, "version", "TLS 1.2 (0x0303)", 0),
            (12, 2, "blob length", "2", 0),
            (14, 2, "blob", "", 0),
            (16, 1, "list length", "1 (1 entry)", 0),
            (17, 1, "entry", "29", 1),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|&(o, l, f, v, d)| (o, l, f.to_string(), v.to_string(), d))
            .collect();
        assert_eq!(spans, want);
    }

    #[test]
    fn errors_name_the_field_not_its_label() {
        let e = Reader::new(&[])
            .u16(Field::shown_as("key_share group", "group"))
            .unwrap_err();
        assert!(e.message.starts_with("key_share group:"), "{}", e.message);
    }

    #[test]
    fn nested_writes_prefix() {
        let mut w = Writer::new();
        w.nested(2, |w| {
            w.u8(7).u8(8);
        });
        w.nested(3, |w| {
            w.bytes(&[1, 2, 3]);
        });
        assert_eq!(w.buf, vec![0, 2, 7, 8, 0, 0, 3, 1, 2, 3]);
    }
}
