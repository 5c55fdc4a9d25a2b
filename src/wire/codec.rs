//! Byte cursor (`Reader`) and builder (`Writer`) for the TLS presentation language
//! (RFC 8446 §3, RFC 5246 §4): big-endian integers and length-prefixed vectors.
//!
//! A `Reader` never panics and never allocates by a length the peer chose before checking
//! that the bytes are really there. Sub-readers for length-prefixed fields must be consumed
//! completely (`expect_end`), so trailing bytes are a `decode_error`.

use crate::error::{Alert, TlsError};

/// A cursor over received bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> usize {
        self.pos
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

    fn short(&self, what: &str, want: usize) -> TlsError {
        TlsError::new(
            Alert::DecodeError,
            format!(
                "{what}: needs {want} bytes but only {} remain",
                self.remaining()
            ),
        )
    }

    /// Takes exactly `n` bytes.
    pub fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], TlsError> {
        if self.remaining() < n {
            return Err(self.short(what, n));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Takes everything left.
    pub fn take_rest(&mut self) -> &'a [u8] {
        let s = &self.buf[self.pos..];
        self.pos = self.buf.len();
        s
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, TlsError> {
        Ok(self.take(1, what)?[0])
    }

    pub fn u16(&mut self, what: &str) -> Result<u16, TlsError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    pub fn u24(&mut self, what: &str) -> Result<u32, TlsError> {
        let b = self.take(3, what)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }

    pub fn u32(&mut self, what: &str) -> Result<u32, TlsError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A vector with a one-byte length prefix.
    pub fn vec8(&mut self, what: &str) -> Result<&'a [u8], TlsError> {
        let n = self.u8(what)? as usize;
        self.take(n, what)
    }

    /// A vector with a two-byte length prefix.
    pub fn vec16(&mut self, what: &str) -> Result<&'a [u8], TlsError> {
        let n = self.u16(what)? as usize;
        self.take(n, what)
    }

    /// A vector with a three-byte length prefix.
    pub fn vec24(&mut self, what: &str) -> Result<&'a [u8], TlsError> {
        let n = self.u24(what)? as usize;
        self.take(n, what)
    }

    /// A sub-reader over a one-byte length-prefixed vector.
    pub fn sub8(&mut self, what: &str) -> Result<Reader<'a>, TlsError> {
        Ok(Reader::new(self.vec8(what)?))
    }

    /// A sub-reader over a two-byte length-prefixed vector.
    pub fn sub16(&mut self, what: &str) -> Result<Reader<'a>, TlsError> {
        Ok(Reader::new(self.vec16(what)?))
    }

    /// A sub-reader over a three-byte length-prefixed vector.
    pub fn sub24(&mut self, what: &str) -> Result<Reader<'a>, TlsError> {
        Ok(Reader::new(self.vec24(what)?))
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
