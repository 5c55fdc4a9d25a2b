//! A raw TLS exchange for probes that never complete a handshake (scan): the bytes written
//! exactly as given, whole records read back (RFC 8446 §5.1, RFC 5246 §6.2.1 framing), every
//! read bounded by one deadline for the exchange and the total bounded in bytes.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::error::{Alert, TlsError};
use crate::wire::codepoints::ContentType;
use crate::wire::record::{RecordHeader, HEADER_LEN, MAX_CIPHERTEXT_TLS12};

/// Why no further record came.
#[derive(Debug)]
pub enum RecordEnd {
    /// The peer closed the connection (or it failed).
    Closed,
    /// The deadline passed first.
    Timeout,
    /// The next record would take the exchange over its byte budget.
    TooMuch,
    /// The bytes are not a record header.
    Malformed(TlsError),
}

/// A record, or a heartbeat record of which only the length was kept.
#[derive(Debug)]
pub enum Next {
    Record(RecordHeader, Vec<u8>),
    Heartbeat(u16),
}

/// A connection on which records are read by hand.
pub struct RawConnection {
    stream: TcpStream,
    deadline: Instant,
    /// Bytes of records read so far (headers included) and the most allowed.
    total: usize,
    max_bytes: usize,
}

impl RawConnection {
    /// Takes over an open connection: the exchange must end within `timeout` from now and
    /// read at most `max_bytes`.
    pub fn new(stream: TcpStream, timeout: Duration, max_bytes: usize) -> RawConnection {
        let _ = stream.set_read_timeout(Some(timeout));
        let _ = stream.set_write_timeout(Some(timeout));
        RawConnection {
            stream,
            deadline: Instant::now() + timeout,
            total: 0,
            max_bytes,
        }
    }

    /// Sends `bytes` as they are.
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// The next record: its header and body.
    pub fn next_record(&mut self) -> Result<(RecordHeader, Vec<u8>), RecordEnd> {
        let mut header = [0u8; HEADER_LEN];
        self.read_full(&mut header)?;
        let h = RecordHeader::parse(&header).map_err(RecordEnd::Malformed)?;
        self.total += HEADER_LEN + h.length as usize;
        if self.total > self.max_bytes {
            return Err(RecordEnd::TooMuch);
        }
        let mut body = vec![0u8; h.length as usize];
        self.read_full(&mut body)?;
        Ok((h, body))
    }

    /// The next record, or only the length of a heartbeat record (RFC 6520 §3), whose body
    /// is read and dropped unseen: scan's heartbleed check looks at how much a server
    /// answers, never at what (a vulnerable server's answer is its memory).
    pub fn next_record_or_heartbeat(&mut self) -> Result<Next, RecordEnd> {
        let mut header = [0u8; HEADER_LEN];
        self.read_full(&mut header)?;
        if let Some(h) = RecordHeader::peek(&header)
            .filter(|h| h.content_type == ContentType::HEARTBEAT && header[1] == 3)
        {
            if h.length as usize > MAX_CIPHERTEXT_TLS12 {
                return Err(RecordEnd::Malformed(TlsError::new(
                    Alert::RecordOverflow,
                    format!("heartbeat record of {} bytes exceeds 2^14 + 2048", h.length),
                )));
            }
            self.discard(h.length as usize)?;
            return Ok(Next::Heartbeat(h.length));
        }
        let h = RecordHeader::parse(&header).map_err(RecordEnd::Malformed)?;
        self.total += HEADER_LEN + h.length as usize;
        if self.total > self.max_bytes {
            return Err(RecordEnd::TooMuch);
        }
        let mut body = vec![0u8; h.length as usize];
        self.read_full(&mut body)?;
        Ok(Next::Record(h, body))
    }

    /// Exactly `n` bytes as they come, counted against the byte budget: for answers that are
    /// not TLS records (an SSL 2.0 record has a 2- or 3-byte header).
    pub fn read_bytes(&mut self, n: usize) -> Result<Vec<u8>, RecordEnd> {
        self.total += n;
        if self.total > self.max_bytes {
            return Err(RecordEnd::TooMuch);
        }
        let mut buf = vec![0u8; n];
        self.read_full(&mut buf)?;
        Ok(buf)
    }

    /// Reads `n` bytes and keeps none of them (one small scratch buffer, overwritten).
    fn discard(&mut self, n: usize) -> Result<(), RecordEnd> {
        self.total += HEADER_LEN + n;
        if self.total > self.max_bytes {
            return Err(RecordEnd::TooMuch);
        }
        let mut scratch = [0u8; 512];
        let mut left = n;
        while left > 0 {
            let k = left.min(scratch.len());
            self.read_full(&mut scratch[..k])?;
            left -= k;
        }
        scratch.fill(0);
        Ok(())
    }

    /// Reads exactly `buf.len()` bytes or tells why not.
    fn read_full(&mut self, buf: &mut [u8]) -> Result<(), RecordEnd> {
        let mut got = 0;
        while got < buf.len() {
            if Instant::now() >= self.deadline {
                return Err(RecordEnd::Timeout);
            }
            match self.stream.read(&mut buf[got..]) {
                Ok(0) => return Err(RecordEnd::Closed),
                Ok(n) => got += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(RecordEnd::Timeout)
                }
                Err(_) => return Err(RecordEnd::Closed),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A connection to a peer that sends `bytes` and closes.
    fn peer_sending(bytes: &'static [u8], max_bytes: usize) -> RawConnection {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (mut s, _) = l.accept().unwrap();
        s.write_all(bytes).unwrap();
        drop(s);
        RawConnection::new(c, Duration::from_secs(10), max_bytes)
    }

    #[test]
    fn records_then_the_reason_they_ended() {
        // An alert record (21, 3.3, length 2), then a handshake record header.
        let two = b"\x15\x03\x03\x00\x02\x02\x28\x16\x03\x03\x00\x04";
        let mut c = peer_sending(two, 7);
        let (h, body) = c.next_record().unwrap();
        assert_eq!((h.length, body.as_slice()), (2, &[2u8, 40][..]));
        assert!(matches!(c.next_record(), Err(RecordEnd::TooMuch)));

        let mut c = peer_sending(two, 1 << 20);
        c.next_record().unwrap();
        assert!(matches!(c.next_record(), Err(RecordEnd::Closed)));

        let mut c = peer_sending(b"HTTP/1.1 400 Bad Request\r\n", 1 << 20);
        assert!(matches!(c.next_record(), Err(RecordEnd::Malformed(_))));
    }

    #[test]
    fn heartbeats_are_measured_not_kept() {
        // A heartbeat record of 3 bytes, an alert, then two raw bytes.
        let b = b"\x18\x03\x03\x00\x03\x02\x40\x00\x15\x03\x03\x00\x02\x02\x14\x80\x05";
        let mut c = peer_sending(b, 1 << 20);
        assert!(matches!(
            c.next_record_or_heartbeat(),
            Ok(Next::Heartbeat(3))
        ));
        let Ok(Next::Record(h, body)) = c.next_record_or_heartbeat() else {
            panic!()
        };
        assert_eq!((h.content_type, body), (ContentType::ALERT, vec![2, 20]));
        assert_eq!(c.read_bytes(2).unwrap(), [0x80, 5]);
        assert!(matches!(c.read_bytes(1), Err(RecordEnd::Closed)));
        // The byte budget holds for heartbeats too.
        let mut c = peer_sending(b, 7);
        assert!(matches!(
            c.next_record_or_heartbeat(),
            Err(RecordEnd::TooMuch)
        ));
    }
}
