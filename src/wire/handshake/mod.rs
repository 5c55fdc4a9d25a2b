//! Handshake messages (RFC 8446 §4, RFC 5246 §7.4, RFC 8422 §5, RFC 5077 §3.3, RFC 6066 §8):
//! the message type, dispatch to each body's `read`/`write` (one module per kind of body,
//! layout in one place), and the splitting of handshake bytes into messages.

mod certificate;
mod hello;
mod key_exchange;
mod request;
mod ticket;

#[cfg(test)]
pub(crate) mod tests;

pub use certificate::{Certificate, CertificateEntry, CertificateStatus, CertificateVerify};
pub use hello::{ClientHello, ServerHello, DOWNGRADE_TLS11, DOWNGRADE_TLS12, HRR_RANDOM};
pub use key_exchange::{ClientKeyExchange, PskParams, PskPublic, ServerKeyExchange};
pub use request::{CertificateRequest12, CertificateRequest13};
pub use ticket::{NewSessionTicket12, NewSessionTicket13};

pub(crate) use certificate::status_type_name;

use super::codec::{Reader, Writer};
use super::codepoints::{HandshakeType, ProtocolVersion};
use super::extensions::{read_extensions, write_extensions, ExtBody, ExtContext, Extension};
use super::span::bytes;
use super::suites::Kx;
use crate::error::{Alert, TlsError};

/// Largest handshake message we accept (a long certificate chain fits; a 16 MB
/// announcement does not get buffered).
pub const MAX_HANDSHAKE_MESSAGE: usize = 256 * 1024;

/// A decoded handshake message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandshakeMessage {
    HelloRequest,
    ClientHello(ClientHello),
    ServerHello(ServerHello),
    NewSessionTicket12(NewSessionTicket12),
    NewSessionTicket13(NewSessionTicket13),
    EndOfEarlyData,
    EncryptedExtensions(Vec<Extension>),
    Certificate(Certificate),
    ServerKeyExchange(ServerKeyExchange),
    CertificateRequest12(CertificateRequest12),
    CertificateRequest13(CertificateRequest13),
    ServerHelloDone,
    CertificateVerify(CertificateVerify),
    ClientKeyExchange(ClientKeyExchange),
    Finished(Vec<u8>),
    CertificateStatus(CertificateStatus),
    /// KeyUpdate with its request_update value (RFC 8446 §4.6.3).
    KeyUpdate(u8),
    Unknown(HandshakeType, Vec<u8>),
}

/// What the decoder needs to know about the connection to decode a message.
#[derive(Debug, Clone, Copy)]
pub struct DecodeContext {
    /// The negotiated version (TLS 1.2 before it is known).
    pub version: ProtocolVersion,
    /// The key exchange of the negotiated suite, when known.
    pub kx: Option<Kx>,
}

impl DecodeContext {
    pub fn tls13(&self) -> bool {
        self.version == ProtocolVersion::TLS13
    }

    /// What a ServerHello chose (RFC 8446 §4.1.3: the version in supported_versions, else
    /// legacy_version; the suite's key exchange); None for any other message and for a
    /// HelloRetryRequest, which chooses nothing yet.
    pub fn chosen_by(msg: &HandshakeMessage) -> Option<DecodeContext> {
        let HandshakeMessage::ServerHello(sh) = msg else {
            return None;
        };
        if sh.is_hello_retry_request() {
            return None;
        }
        let tls13 = sh.extensions.iter().any(|e| {
            matches!(e.body, ExtBody::SupportedVersionsServer(v) if v == ProtocolVersion::TLS13)
        });
        Some(DecodeContext {
            version: if tls13 {
                ProtocolVersion::TLS13
            } else {
                sh.version
            },
            kx: sh.cipher_suite.info().map(|i| i.kx),
        })
    }
}

/// Extensions that must be present as a block (TLS 1.3 messages always carry the length).
fn read_extensions_required(r: &mut Reader, ctx: ExtContext) -> Result<Vec<Extension>, TlsError> {
    if r.remaining() < 2 {
        return Err(TlsError::decode("missing extensions block"));
    }
    read_extensions(r, ctx)
}

/// Finished: verify_data, all of the body and never empty (RFC 8446 §4.4.4, RFC 5246 §7.4.9).
fn read_finished(r: &mut Reader) -> Result<Vec<u8>, TlsError> {
    let v = r.take_rest_as("verify_data", bytes).to_vec();
    if v.is_empty() {
        return Err(TlsError::decode("Finished: empty verify_data"));
    }
    Ok(v)
}

/// KeyUpdate: request_update, 0 or 1 (RFC 8446 §4.6.3).
fn read_key_update(r: &mut Reader) -> Result<u8, TlsError> {
    let v = r.u8_as("request_update", |v| match v {
        0 => "update_not_requested".into(),
        1 => "update_requested".into(),
        v => v.to_string(),
    })?;
    if v > 1 {
        return Err(TlsError::illegal(format!(
            "KeyUpdate request_update {v} is neither 0 nor 1"
        )));
    }
    Ok(v)
}

impl HandshakeMessage {
    pub fn typ(&self) -> HandshakeType {
        use HandshakeMessage::*;
        match self {
            HelloRequest => HandshakeType::HELLO_REQUEST,
            ClientHello(_) => HandshakeType::CLIENT_HELLO,
            ServerHello(_) => HandshakeType::SERVER_HELLO,
            NewSessionTicket12(_) | NewSessionTicket13(_) => HandshakeType::NEW_SESSION_TICKET,
            EndOfEarlyData => HandshakeType::END_OF_EARLY_DATA,
            EncryptedExtensions(_) => HandshakeType::ENCRYPTED_EXTENSIONS,
            Certificate(_) => HandshakeType::CERTIFICATE,
            ServerKeyExchange(_) => HandshakeType::SERVER_KEY_EXCHANGE,
            CertificateRequest12(_) | CertificateRequest13(_) => HandshakeType::CERTIFICATE_REQUEST,
            ServerHelloDone => HandshakeType::SERVER_HELLO_DONE,
            CertificateVerify(_) => HandshakeType::CERTIFICATE_VERIFY,
            ClientKeyExchange(_) => HandshakeType::CLIENT_KEY_EXCHANGE,
            Finished(_) => HandshakeType::FINISHED,
            CertificateStatus(_) => HandshakeType::CERTIFICATE_STATUS,
            KeyUpdate(_) => HandshakeType::KEY_UPDATE,
            Unknown(t, _) => *t,
        }
    }

    /// The JSON/display name (`client_hello`, `hello_retry_request`, ...).
    pub fn name(&self) -> String {
        match self {
            HandshakeMessage::ServerHello(sh) if sh.is_hello_retry_request() => {
                "hello_retry_request".into()
            }
            m => m.typ().to_string(),
        }
    }

    /// Decodes a message body of type `typ`; bytes left over are a decode_error.
    pub fn decode(
        typ: HandshakeType,
        body: &[u8],
        ctx: DecodeContext,
    ) -> Result<HandshakeMessage, TlsError> {
        let mut r = Reader::new(body);
        let msg = HandshakeMessage::read_body(typ, &mut r, ctx)?;
        if !r.is_empty() {
            r.expect_end(&typ.to_string())?;
        }
        Ok(msg)
    }

    /// Reads a message body of type `typ` from `r` (which the caller checks is used up).
    /// The body layouts are in each body's `read`.
    pub fn read_body(
        typ: HandshakeType,
        r: &mut Reader,
        ctx: DecodeContext,
    ) -> Result<HandshakeMessage, TlsError> {
        use HandshakeMessage as M;
        use HandshakeType as T;
        Ok(match typ {
            T::HELLO_REQUEST => M::HelloRequest,
            T::CLIENT_HELLO => M::ClientHello(ClientHello::read(r)?),
            T::SERVER_HELLO => M::ServerHello(ServerHello::read(r)?),
            T::NEW_SESSION_TICKET if ctx.tls13() => {
                M::NewSessionTicket13(NewSessionTicket13::read(r)?)
            }
            T::NEW_SESSION_TICKET => M::NewSessionTicket12(NewSessionTicket12::read(r)?),
            T::END_OF_EARLY_DATA => M::EndOfEarlyData,
            T::ENCRYPTED_EXTENSIONS => M::EncryptedExtensions(read_extensions_required(
                r,
                ExtContext::EncryptedExtensions,
            )?),
            T::CERTIFICATE => M::Certificate(Certificate::read(r, ctx)?),
            T::SERVER_KEY_EXCHANGE => M::ServerKeyExchange(ServerKeyExchange::read(r, ctx)?),
            T::CERTIFICATE_REQUEST if ctx.tls13() => {
                M::CertificateRequest13(CertificateRequest13::read(r)?)
            }
            T::CERTIFICATE_REQUEST => M::CertificateRequest12(CertificateRequest12::read(r, ctx)?),
            T::SERVER_HELLO_DONE => M::ServerHelloDone,
            T::CERTIFICATE_VERIFY => M::CertificateVerify(CertificateVerify::read(r, ctx)?),
            T::CLIENT_KEY_EXCHANGE => M::ClientKeyExchange(ClientKeyExchange::read(r, ctx)?),
            T::FINISHED => M::Finished(read_finished(r)?),
            T::CERTIFICATE_STATUS => M::CertificateStatus(CertificateStatus::read(r)?),
            T::KEY_UPDATE => M::KeyUpdate(read_key_update(r)?),
            t => M::Unknown(t, r.take_rest_as("body", bytes).to_vec()),
        })
    }

    /// Writes the message body (without the 4-byte header).
    pub fn write_body(&self, w: &mut Writer) {
        use HandshakeMessage as M;
        match self {
            M::HelloRequest | M::EndOfEarlyData | M::ServerHelloDone => {}
            M::ClientHello(ch) => ch.write(w),
            M::ServerHello(sh) => sh.write(w),
            M::NewSessionTicket12(t) => t.write(w),
            M::NewSessionTicket13(t) => t.write(w),
            M::EncryptedExtensions(e) => write_extensions(w, e),
            M::Certificate(c) => c.write(w),
            M::ServerKeyExchange(s) => s.write(w),
            M::CertificateRequest12(c) => c.write(w),
            M::CertificateRequest13(c) => c.write(w),
            M::CertificateVerify(cv) => cv.write(w),
            M::ClientKeyExchange(c) => c.write(w),
            M::Finished(b) | M::Unknown(_, b) => {
                w.bytes(b);
            }
            M::CertificateStatus(s) => s.write(w),
            M::KeyUpdate(v) => {
                w.u8(*v);
            }
        }
    }

    /// Encodes the message body (without the 4-byte header).
    pub fn encode_body(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.write_body(&mut w);
        w.into_bytes()
    }

    /// Encodes the whole message: type, 24-bit length, body (RFC 8446 §4).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(self.typ().0);
        w.nested(3, |w| self.write_body(w));
        w.into_bytes()
    }
}

/// One handshake message out of `split_messages`: type, body, whole message bytes.
pub type SplitMessage = (HandshakeType, Vec<u8>, Vec<u8>);

/// Splits a buffer of handshake bytes into whole messages (RFC 8446 §5.1: messages may span
/// records and records may hold several messages). Returns (type, body, whole message bytes)
/// for each complete message and leaves a partial one in `buf`.
pub fn split_messages(buf: &mut Vec<u8>) -> Result<Vec<SplitMessage>, TlsError> {
    let mut out = vec![];
    let mut pos = 0;
    loop {
        let rest = &buf[pos..];
        if rest.len() < 4 {
            break;
        }
        let len = u32::from_be_bytes([0, rest[1], rest[2], rest[3]]) as usize;
        if len > MAX_HANDSHAKE_MESSAGE {
            return Err(TlsError::new(
                Alert::DecodeError,
                format!(
                    "{} message of {len} bytes announced, more than the {MAX_HANDSHAKE_MESSAGE} accepted",
                    HandshakeType(rest[0])
                ),
            ));
        }
        if rest.len() < 4 + len {
            break;
        }
        out.push((
            HandshakeType(rest[0]),
            rest[4..4 + len].to_vec(),
            rest[..4 + len].to_vec(),
        ));
        pos += 4 + len;
    }
    buf.drain(..pos);
    Ok(out)
}
