//! Raw TLS records over a loopback TCP connection, for the tests that script a peer byte by
//! byte (the tlsfuzzer-style conformance tests against `tlsprobe listen`). Reads are bounded
//! by the socket's read timeout.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Duration;

/// The longest one read may wait before the test fails.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A TCP connection to 127.0.0.1:port (Nagle off, reads bounded by `READ_TIMEOUT`).
pub fn connect_raw(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect to the server");
    s.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    s.set_nodelay(true).unwrap();
    s
}

/// A TLSPlaintext/TLSCiphertext record with version 0x0303 (RFC 8446 §5.1, RFC 5246 §6.2.1).
pub fn record(ct: u8, frag: &[u8]) -> Vec<u8> {
    let mut v = vec![ct, 3, 3];
    v.extend_from_slice(&(frag.len() as u16).to_be_bytes());
    v.extend_from_slice(frag);
    v
}

/// One whole record, header included; None when the server closed the connection (end of
/// stream or reset).
pub fn read_raw_record(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut h = [0u8; 5];
    match s.read_exact(&mut h) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return None,
        Err(e) if e.kind() == ErrorKind::ConnectionReset => return None,
        Err(e) => panic!("reading a record: {e}"),
    }
    let mut body = vec![0; u16::from_be_bytes([h[3], h[4]]) as usize];
    s.read_exact(&mut body).expect("a whole record");
    Some([&h[..], &body].concat())
}

/// One record as (content type, fragment); None when the server closed the connection.
pub fn read_record(s: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    read_raw_record(s).map(|r| (r[0], r[5..].to_vec()))
}

/// The server closes the TCP connection (end of stream or reset) without sending anything
/// more; a timeout or more bytes fail the test.
pub fn expect_closed(s: &mut TcpStream) {
    let mut b = [0u8; 64];
    match s.read(&mut b) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Ok(n) => panic!("expected the connection to close, got {:02x?}", &b[..n]),
        Err(e) => panic!("expected the connection to close: {e}"),
    }
}
