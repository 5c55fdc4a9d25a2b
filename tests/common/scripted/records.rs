//! TLS records and handshake messages as a scripted peer reads and writes them: the content
//! types, one record of any version (`Rec`, RFC 5246 §6.2.1, RFC 8446 §5.1), splitting and
//! joining well-formed output, hand-made handshake messages (RFC 8446 §4: type, uint24
//! length, body) and decoding them with the library's codec.

use tlsprobe::error::Alert;
use tlsprobe::wire::codepoints::{HandshakeType, ProtocolVersion};
use tlsprobe::wire::handshake::{ClientHello, DecodeContext, HandshakeMessage as HM, ServerHello};
use tlsprobe::wire::suites::Kx;

/// ContentType values (RFC 8446 §5.1).
pub const CCS: u8 = 20;
pub const ALERT: u8 = 21;
pub const HS: u8 = 22;
pub const APP: u8 = 23;

/// One record: content type, record-layer version, fragment (plaintext or protected).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rec {
    pub ct: u8,
    pub ver: u16,
    pub frag: Vec<u8>,
}

impl Rec {
    /// A record of version 0x0303.
    pub fn new(ct: u8, frag: impl Into<Vec<u8>>) -> Rec {
        Rec {
            ct,
            ver: 0x0303,
            frag: frag.into(),
        }
    }

    /// The record on the wire, header included.
    pub fn bytes(&self) -> Vec<u8> {
        let mut v = vec![self.ct];
        v.extend_from_slice(&self.ver.to_be_bytes());
        v.extend_from_slice(&(self.frag.len() as u16).to_be_bytes());
        v.extend_from_slice(&self.frag);
        v
    }

    /// The handshake type of a plaintext handshake record holding one message.
    pub fn hs_type(&self) -> Option<u8> {
        (self.ct == HS && !self.frag.is_empty()).then(|| self.frag[0])
    }
}

/// Splits a connection's own output into records (it is well formed).
pub fn parse(mut b: &[u8]) -> Vec<Rec> {
    let mut out = vec![];
    while !b.is_empty() {
        let len = u16::from_be_bytes([b[3], b[4]]) as usize;
        out.push(Rec {
            ct: b[0],
            ver: u16::from_be_bytes([b[1], b[2]]),
            frag: b[5..5 + len].to_vec(),
        });
        b = &b[5 + len..];
    }
    out
}

/// The records on the wire, one after the other.
pub fn join(recs: &[Rec]) -> Vec<u8> {
    recs.iter().flat_map(|r| r.bytes()).collect()
}

/// An unprotected fatal alert record: 15 03 03 00 02 02 XX.
pub fn plain_alert(a: Alert) -> Vec<u8> {
    vec![0x15, 3, 3, 0, 2, 2, a.to_u8()]
}

/// A handshake message with a hand-made body (for wrong lengths and trailing bytes).
pub fn raw_msg(typ: u8, body: &[u8]) -> Vec<u8> {
    let l = (body.len() as u32).to_be_bytes();
    [&[typ, l[1], l[2], l[3]][..], body].concat()
}

/// Decodes one whole handshake message (header included).
pub fn decode(msg: &[u8], version: ProtocolVersion, kx: Option<Kx>) -> HM {
    HM::decode(
        HandshakeType(msg[0]),
        &msg[4..],
        DecodeContext { version, kx },
    )
    .unwrap()
}

/// The ServerHello (or HelloRetryRequest) in a plaintext record.
pub fn server_hello(r: &Rec) -> ServerHello {
    match decode(&r.frag, ProtocolVersion::TLS12, None) {
        HM::ServerHello(sh) => sh,
        m => panic!("not a ServerHello: {m:?}"),
    }
}

/// The ClientHello in the first record of `bytes`.
pub fn client_hello(bytes: &[u8]) -> ClientHello {
    let recs = parse(bytes);
    match decode(&recs[0].frag, ProtocolVersion::TLS12, None) {
        HM::ClientHello(ch) => ch,
        m => panic!("not a ClientHello: {m:?}"),
    }
}
