//! Handshake messages (RFC 8446 §4, RFC 5246 §7.4, RFC 8422 §5, RFC 5077 §3.3, RFC 6066 §8):
//! decoding from a message body and encoding back, with every field kept.

use super::codec::{Reader, Writer};
use super::codepoints::{
    ClientCertificateType, CompressionMethod, HandshakeType, NamedGroup, ProtocolVersion,
    SignatureScheme,
};
use super::extensions::{read_extensions, write_extensions, ExtContext, Extension};
use super::suites::{CipherSuite, Kx};
use crate::error::{Alert, TlsError};

/// The special ServerHello.random that marks a HelloRetryRequest (RFC 8446 §4.1.3).
pub const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// Downgrade sentinels in the last 8 bytes of ServerHello.random (RFC 8446 §4.1.3).
pub const DOWNGRADE_TLS12: [u8; 8] = *b"DOWNGRD\x01";
pub const DOWNGRADE_TLS11: [u8; 8] = *b"DOWNGRD\x00";

/// Largest handshake message we accept (a long certificate chain fits; a 16 MB
/// announcement does not get buffered).
pub const MAX_HANDSHAKE_MESSAGE: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHello {
    pub version: ProtocolVersion,
    pub random: [u8; 32],
    pub session_id: Vec<u8>,
    pub cipher_suites: Vec<CipherSuite>,
    pub compression_methods: Vec<CompressionMethod>,
    pub extensions: Vec<Extension>,
    /// The hello ended after compression_methods, with no extensions block at all (RFC 5246
    /// §7.4.1.2 allows it). Kept so that encoding reproduces what was read; an empty block
    /// (`00 00`) is `false` with no extensions.
    pub extensions_absent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHello {
    pub version: ProtocolVersion,
    pub random: [u8; 32],
    pub session_id: Vec<u8>,
    pub cipher_suite: CipherSuite,
    pub compression_method: CompressionMethod,
    pub extensions: Vec<Extension>,
    /// No extensions block at all (as in `ClientHello::extensions_absent`).
    pub extensions_absent: bool,
}

impl ServerHello {
    pub fn is_hello_retry_request(&self) -> bool {
        self.random == HRR_RANDOM
    }
}

/// One entry of a Certificate message (TLS 1.3 entries carry extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateEntry {
    pub der: Vec<u8>,
    pub extensions: Vec<Extension>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// TLS 1.3 certificate_request_context; None in TLS 1.2.
    pub context: Option<Vec<u8>>,
    pub entries: Vec<CertificateEntry>,
}

/// ServerKeyExchange (RFC 8422 §5.4 for ECDHE, RFC 5246 §7.4.3 for DHE; other key exchanges
/// kept raw). `scheme` is None in TLS 1.0/1.1, whose signatures carry no algorithm field
/// (RFC 4346 §7.4.3: RSA signs MD5 || SHA-1, ECDSA signs SHA-1, RFC 4492 §5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerKeyExchange {
    Ecdhe {
        group: NamedGroup,
        public: Vec<u8>,
        /// The signed params: curve_type, named_curve, public (RFC 8422 §5.4).
        params: Vec<u8>,
        scheme: Option<SignatureScheme>,
        signature: Vec<u8>,
    },
    /// ServerDHParams: dh_p, dh_g, dh_Ys, each a big-endian integer (RFC 5246 §7.4.3).
    Dhe {
        p: Vec<u8>,
        g: Vec<u8>,
        ys: Vec<u8>,
        /// The signed params as sent: the three length-prefixed fields.
        params: Vec<u8>,
        scheme: Option<SignatureScheme>,
        signature: Vec<u8>,
    },
    Raw(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientKeyExchange {
    Ecdhe(Vec<u8>),
    /// dh_Yc (RFC 5246 §7.4.7.2, explicit encoding).
    Dhe(Vec<u8>),
    /// RSA-encrypted pre-master secret (RFC 5246 §7.4.7.1).
    Rsa(Vec<u8>),
    Raw(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest12 {
    pub certificate_types: Vec<ClientCertificateType>,
    pub signature_algorithms: Vec<SignatureScheme>,
    /// Distinguished names (DER) of acceptable CAs.
    pub authorities: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest13 {
    pub context: Vec<u8>,
    pub extensions: Vec<Extension>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateVerify {
    pub scheme: SignatureScheme,
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSessionTicket12 {
    pub lifetime_hint: u32,
    pub ticket: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSessionTicket13 {
    pub lifetime: u32,
    pub age_add: u32,
    pub nonce: Vec<u8>,
    pub ticket: Vec<u8>,
    pub extensions: Vec<Extension>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateStatus {
    pub status_type: u8,
    pub response: Vec<u8>,
}

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
}

fn random32(r: &mut Reader, what: &str) -> Result<[u8; 32], TlsError> {
    let b = r.take(32, what)?;
    let mut out = [0u8; 32];
    out.copy_from_slice(b);
    Ok(out)
}

fn session_id(r: &mut Reader) -> Result<Vec<u8>, TlsError> {
    let s = r.vec8("session_id")?;
    if s.len() > 32 {
        // RFC 8446 §6.2: a field out of its specified range is a decode_error.
        return Err(TlsError::decode("session_id longer than 32 bytes"));
    }
    Ok(s.to_vec())
}

fn scheme_list(r: &mut Reader, what: &str) -> Result<Vec<SignatureScheme>, TlsError> {
    let l = r.vec16(what)?;
    if l.len() % 2 != 0 || l.is_empty() {
        return Err(TlsError::decode(format!("{what}: bad length")));
    }
    Ok(l.chunks(2)
        .map(|c| SignatureScheme(u16::from_be_bytes([c[0], c[1]])))
        .collect())
}

/// The signature at the end of a ServerKeyExchange: TLS 1.2 has a SignatureAndHashAlgorithm in
/// front (RFC 5246 §7.4.1.4.1), TLS 1.0/1.1 only the signature (RFC 4346 §7.4.3).
fn skx_signature(
    r: &mut Reader,
    ctx: DecodeContext,
) -> Result<(Option<SignatureScheme>, Vec<u8>), TlsError> {
    let scheme = if ctx.version < ProtocolVersion::TLS12 {
        None
    } else {
        Some(SignatureScheme(r.u16("signature algorithm")?))
    };
    Ok((scheme, r.vec16("signature")?.to_vec()))
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

    /// Decodes a message body of type `typ`.
    pub fn decode(
        typ: HandshakeType,
        body: &[u8],
        ctx: DecodeContext,
    ) -> Result<HandshakeMessage, TlsError> {
        let mut r = Reader::new(body);
        let what = typ.to_string();
        let msg = match typ {
            HandshakeType::HELLO_REQUEST => HandshakeMessage::HelloRequest,
            HandshakeType::CLIENT_HELLO => {
                let version = ProtocolVersion(r.u16("client_version")?);
                let random = random32(&mut r, "random")?;
                let session_id = session_id(&mut r)?;
                let cs = r.vec16("cipher_suites")?;
                if cs.len() % 2 != 0 || cs.is_empty() {
                    return Err(TlsError::decode("cipher_suites: bad length"));
                }
                let cipher_suites = cs
                    .chunks(2)
                    .map(|c| CipherSuite(u16::from_be_bytes([c[0], c[1]])))
                    .collect();
                let cm = r.vec8("compression_methods")?;
                if cm.is_empty() {
                    return Err(TlsError::decode("compression_methods: empty"));
                }
                let compression_methods = cm.iter().map(|&c| CompressionMethod(c)).collect();
                let extensions_absent = r.is_empty();
                let extensions = read_extensions(&mut r, ExtContext::ClientHello)?;
                HandshakeMessage::ClientHello(ClientHello {
                    version,
                    random,
                    session_id,
                    cipher_suites,
                    compression_methods,
                    extensions,
                    extensions_absent,
                })
            }
            HandshakeType::SERVER_HELLO => {
                let version = ProtocolVersion(r.u16("server_version")?);
                let random = random32(&mut r, "random")?;
                let session_id = session_id(&mut r)?;
                let cipher_suite = CipherSuite(r.u16("cipher_suite")?);
                let compression_method = CompressionMethod(r.u8("compression_method")?);
                let ctx = if random == HRR_RANDOM {
                    ExtContext::HelloRetryRequest
                } else {
                    ExtContext::ServerHello
                };
                let extensions_absent = r.is_empty();
                let extensions = read_extensions(&mut r, ctx)?;
                HandshakeMessage::ServerHello(ServerHello {
                    version,
                    random,
                    session_id,
                    cipher_suite,
                    compression_method,
                    extensions,
                    extensions_absent,
                })
            }
            HandshakeType::NEW_SESSION_TICKET if ctx.tls13() => {
                let lifetime = r.u32("ticket_lifetime")?;
                let age_add = r.u32("ticket_age_add")?;
                let nonce = r.vec8("ticket_nonce")?.to_vec();
                let ticket = r.vec16("ticket")?.to_vec();
                if ticket.is_empty() {
                    return Err(TlsError::decode("NewSessionTicket: empty ticket"));
                }
                let extensions = read_extensions_required(&mut r, ExtContext::NewSessionTicket)?;
                HandshakeMessage::NewSessionTicket13(NewSessionTicket13 {
                    lifetime,
                    age_add,
                    nonce,
                    ticket,
                    extensions,
                })
            }
            HandshakeType::NEW_SESSION_TICKET => {
                let lifetime_hint = r.u32("ticket_lifetime_hint")?;
                let ticket = r.vec16("ticket")?.to_vec();
                HandshakeMessage::NewSessionTicket12(NewSessionTicket12 {
                    lifetime_hint,
                    ticket,
                })
            }
            HandshakeType::END_OF_EARLY_DATA => HandshakeMessage::EndOfEarlyData,
            HandshakeType::ENCRYPTED_EXTENSIONS => HandshakeMessage::EncryptedExtensions(
                read_extensions_required(&mut r, ExtContext::EncryptedExtensions)?,
            ),
            HandshakeType::CERTIFICATE => {
                let context = if ctx.tls13() {
                    Some(r.vec8("certificate_request_context")?.to_vec())
                } else {
                    None
                };
                let mut list = r.sub24("certificate_list")?;
                let mut entries = vec![];
                while !list.is_empty() {
                    let der = list.vec24("certificate")?;
                    if der.is_empty() {
                        return Err(TlsError::decode("empty certificate in the chain"));
                    }
                    let extensions = if ctx.tls13() {
                        read_extensions_required(&mut list, ExtContext::Certificate)?
                    } else {
                        vec![]
                    };
                    entries.push(CertificateEntry {
                        der: der.to_vec(),
                        extensions,
                    });
                }
                HandshakeMessage::Certificate(Certificate { context, entries })
            }
            HandshakeType::SERVER_KEY_EXCHANGE => match ctx.kx {
                Some(Kx::Ecdhe) => {
                    let params_start = r.position();
                    let curve_type = r.u8("curve_type")?;
                    if curve_type != 3 {
                        return Err(TlsError::illegal(format!(
                            "ServerKeyExchange curve_type {curve_type} is not named_curve (3)"
                        )));
                    }
                    let group = NamedGroup(r.u16("named_curve")?);
                    let public = r.vec8("public")?.to_vec();
                    if public.is_empty() {
                        return Err(TlsError::decode("ServerKeyExchange: empty public key"));
                    }
                    let params = body[params_start..r.position()].to_vec();
                    let (scheme, signature) = skx_signature(&mut r, ctx)?;
                    HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Ecdhe {
                        group,
                        public,
                        params,
                        scheme,
                        signature,
                    })
                }
                Some(Kx::Dhe) => {
                    let params_start = r.position();
                    let p = r.vec16("dh_p")?.to_vec();
                    let g = r.vec16("dh_g")?.to_vec();
                    let ys = r.vec16("dh_Ys")?.to_vec();
                    if p.is_empty() || g.is_empty() || ys.is_empty() {
                        return Err(TlsError::decode(
                            "ServerKeyExchange: empty dh_p, dh_g or dh_Ys",
                        ));
                    }
                    let params = body[params_start..r.position()].to_vec();
                    let (scheme, signature) = skx_signature(&mut r, ctx)?;
                    HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Dhe {
                        p,
                        g,
                        ys,
                        params,
                        scheme,
                        signature,
                    })
                }
                _ => HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Raw(
                    r.take_rest().to_vec(),
                )),
            },
            HandshakeType::CERTIFICATE_REQUEST if ctx.tls13() => {
                let context = r.vec8("certificate_request_context")?.to_vec();
                let extensions = read_extensions_required(&mut r, ExtContext::CertificateRequest)?;
                HandshakeMessage::CertificateRequest13(CertificateRequest13 {
                    context,
                    extensions,
                })
            }
            HandshakeType::CERTIFICATE_REQUEST => {
                let types = r.vec8("certificate_types")?;
                if types.is_empty() {
                    return Err(TlsError::decode("certificate_types: empty"));
                }
                // RFC 4346 §7.4.4: TLS 1.0/1.1 have no supported_signature_algorithms.
                let signature_algorithms = if ctx.version < ProtocolVersion::TLS12 {
                    vec![]
                } else {
                    scheme_list(&mut r, "supported_signature_algorithms")?
                };
                let mut cas = r.sub16("certificate_authorities")?;
                let mut authorities = vec![];
                while !cas.is_empty() {
                    authorities.push(cas.vec16("distinguished name")?.to_vec());
                }
                HandshakeMessage::CertificateRequest12(CertificateRequest12 {
                    certificate_types: types.iter().map(|&t| ClientCertificateType(t)).collect(),
                    signature_algorithms,
                    authorities,
                })
            }
            HandshakeType::SERVER_HELLO_DONE => HandshakeMessage::ServerHelloDone,
            HandshakeType::CERTIFICATE_VERIFY => {
                let scheme = SignatureScheme(r.u16("signature algorithm")?);
                let signature = r.vec16("signature")?.to_vec();
                HandshakeMessage::CertificateVerify(CertificateVerify { scheme, signature })
            }
            HandshakeType::CLIENT_KEY_EXCHANGE => match ctx.kx {
                Some(Kx::Ecdhe) => {
                    let p = r.vec8("ecdh_Yc")?;
                    if p.is_empty() {
                        return Err(TlsError::decode("ClientKeyExchange: empty public key"));
                    }
                    HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Ecdhe(p.to_vec()))
                }
                Some(Kx::Dhe) => {
                    let y = r.vec16("dh_Yc")?;
                    if y.is_empty() {
                        return Err(TlsError::decode("ClientKeyExchange: empty dh_Yc"));
                    }
                    HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Dhe(y.to_vec()))
                }
                Some(Kx::Rsa) => HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Rsa(
                    r.vec16("EncryptedPreMasterSecret")?.to_vec(),
                )),
                _ => HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Raw(
                    r.take_rest().to_vec(),
                )),
            },
            HandshakeType::FINISHED => {
                let v = r.take_rest().to_vec();
                if v.is_empty() {
                    return Err(TlsError::decode("Finished: empty verify_data"));
                }
                HandshakeMessage::Finished(v)
            }
            HandshakeType::CERTIFICATE_STATUS => {
                let status_type = r.u8("status_type")?;
                let response = r.vec24("OCSPResponse")?.to_vec();
                HandshakeMessage::CertificateStatus(CertificateStatus {
                    status_type,
                    response,
                })
            }
            HandshakeType::KEY_UPDATE => {
                let v = r.u8("request_update")?;
                if v > 1 {
                    return Err(TlsError::illegal(format!(
                        "KeyUpdate request_update {v} is neither 0 nor 1"
                    )));
                }
                HandshakeMessage::KeyUpdate(v)
            }
            t => HandshakeMessage::Unknown(t, r.take_rest().to_vec()),
        };
        r.expect_end(&what)?;
        Ok(msg)
    }

    /// Encodes the message body (without the 4-byte header).
    pub fn encode_body(&self) -> Vec<u8> {
        let mut w = Writer::new();
        match self {
            HandshakeMessage::HelloRequest
            | HandshakeMessage::EndOfEarlyData
            | HandshakeMessage::ServerHelloDone => {}
            HandshakeMessage::ClientHello(ch) => {
                w.u16(ch.version.0).bytes(&ch.random).vec8(&ch.session_id);
                w.nested(2, |w| {
                    for c in &ch.cipher_suites {
                        w.u16(c.0);
                    }
                });
                w.nested(1, |w| {
                    for c in &ch.compression_methods {
                        w.u8(c.0);
                    }
                });
                if !(ch.extensions_absent && ch.extensions.is_empty()) {
                    write_extensions(&mut w, &ch.extensions);
                }
            }
            HandshakeMessage::ServerHello(sh) => {
                w.u16(sh.version.0)
                    .bytes(&sh.random)
                    .vec8(&sh.session_id)
                    .u16(sh.cipher_suite.0)
                    .u8(sh.compression_method.0);
                if !(sh.extensions_absent && sh.extensions.is_empty()) {
                    write_extensions(&mut w, &sh.extensions);
                }
            }
            HandshakeMessage::NewSessionTicket12(t) => {
                w.u32(t.lifetime_hint).vec16(&t.ticket);
            }
            HandshakeMessage::NewSessionTicket13(t) => {
                w.u32(t.lifetime)
                    .u32(t.age_add)
                    .vec8(&t.nonce)
                    .vec16(&t.ticket);
                write_extensions(&mut w, &t.extensions);
            }
            HandshakeMessage::EncryptedExtensions(e) => write_extensions(&mut w, e),
            HandshakeMessage::Certificate(c) => {
                if let Some(ctx) = &c.context {
                    w.vec8(ctx);
                }
                w.nested(3, |w| {
                    for e in &c.entries {
                        w.vec24(&e.der);
                        if c.context.is_some() {
                            write_extensions(w, &e.extensions);
                        }
                    }
                });
            }
            HandshakeMessage::ServerKeyExchange(
                ServerKeyExchange::Ecdhe {
                    params,
                    scheme,
                    signature,
                    ..
                }
                | ServerKeyExchange::Dhe {
                    params,
                    scheme,
                    signature,
                    ..
                },
            ) => {
                w.bytes(params);
                if let Some(s) = scheme {
                    w.u16(s.0);
                }
                w.vec16(signature);
            }
            HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Raw(b))
            | HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Raw(b))
            | HandshakeMessage::Finished(b)
            | HandshakeMessage::Unknown(_, b) => {
                w.bytes(b);
            }
            HandshakeMessage::CertificateRequest12(c) => {
                w.nested(1, |w| {
                    for t in &c.certificate_types {
                        w.u8(t.0);
                    }
                });
                // TLS 1.0/1.1 have no supported_signature_algorithms field (RFC 4346
                // §7.4.4); in TLS 1.2 the list is never empty (RFC 5246 §7.4.4), so an empty
                // list means the older form (found by fuzzing).
                if !c.signature_algorithms.is_empty() {
                    w.nested(2, |w| {
                        for s in &c.signature_algorithms {
                            w.u16(s.0);
                        }
                    });
                }
                w.nested(2, |w| {
                    for a in &c.authorities {
                        w.vec16(a);
                    }
                });
            }
            HandshakeMessage::CertificateRequest13(c) => {
                w.vec8(&c.context);
                write_extensions(&mut w, &c.extensions);
            }
            HandshakeMessage::CertificateVerify(cv) => {
                w.u16(cv.scheme.0).vec16(&cv.signature);
            }
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Ecdhe(p)) => {
                w.vec8(p);
            }
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Rsa(p))
            | HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Dhe(p)) => {
                w.vec16(p);
            }
            HandshakeMessage::CertificateStatus(s) => {
                w.u8(s.status_type).vec24(&s.response);
            }
            HandshakeMessage::KeyUpdate(v) => {
                w.u8(*v);
            }
        }
        w.into_bytes()
    }

    /// Encodes the whole message: type, 24-bit length, body (RFC 8446 §4).
    pub fn encode(&self) -> Vec<u8> {
        let body = self.encode_body();
        let mut w = Writer::new();
        w.u8(self.typ().0).vec24(&body);
        w.into_bytes()
    }
}

/// Extensions that must be present as a block (TLS 1.3 messages always carry the length).
fn read_extensions_required(r: &mut Reader, ctx: ExtContext) -> Result<Vec<Extension>, TlsError> {
    if r.remaining() < 2 {
        return Err(TlsError::decode("missing extensions block"));
    }
    read_extensions(r, ctx)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codepoints::ExtensionType;
    use crate::wire::extensions::{ExtBody, ServerNames};

    const CTX12: DecodeContext = DecodeContext {
        version: ProtocolVersion::TLS12,
        kx: Some(Kx::Ecdhe),
    };
    const CTX13: DecodeContext = DecodeContext {
        version: ProtocolVersion::TLS13,
        kx: None,
    };

    fn round_trip(m: HandshakeMessage, ctx: DecodeContext) {
        let bytes = m.encode();
        let body = &bytes[4..];
        let back = HandshakeMessage::decode(m.typ(), body, ctx).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.encode(), bytes);
        // every truncation fails cleanly
        for cut in 0..body.len() {
            let _ = HandshakeMessage::decode(m.typ(), &body[..cut], ctx);
        }
        // a trailing byte is a decode_error
        let mut long = body.to_vec();
        long.push(0);
        if !matches!(m, HandshakeMessage::Finished(_)) {
            let e = HandshakeMessage::decode(m.typ(), &long, ctx).unwrap_err();
            assert_eq!(e.alert, Alert::DecodeError, "{m:?}");
        }
    }

    fn sample_ch() -> ClientHello {
        ClientHello {
            extensions_absent: false,
            version: ProtocolVersion::TLS12,
            random: [7; 32],
            session_id: vec![1; 32],
            cipher_suites: vec![CipherSuite(0x1301), CipherSuite(0xc02f)],
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
            ],
        }
    }

    #[test]
    fn round_trips() {
        round_trip(HandshakeMessage::ClientHello(sample_ch()), CTX12);
        round_trip(
            HandshakeMessage::ServerHello(ServerHello {
                extensions_absent: false,
                version: ProtocolVersion::TLS12,
                random: [3; 32],
                session_id: vec![],
                cipher_suite: CipherSuite(0xc02f),
                compression_method: CompressionMethod::NULL,
                extensions: vec![Extension::new(
                    ExtensionType::RENEGOTIATION_INFO,
                    ExtBody::RenegotiationInfo(vec![]),
                )],
            }),
            CTX12,
        );
        round_trip(
            HandshakeMessage::Certificate(Certificate {
                context: None,
                entries: vec![CertificateEntry {
                    der: vec![0x30, 0],
                    extensions: vec![],
                }],
            }),
            CTX12,
        );
        round_trip(
            HandshakeMessage::Certificate(Certificate {
                context: Some(vec![]),
                entries: vec![CertificateEntry {
                    der: vec![0x30, 0],
                    extensions: vec![],
                }],
            }),
            CTX13,
        );
        round_trip(
            HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Ecdhe {
                group: NamedGroup::X25519,
                public: vec![9; 32],
                params: [&[3u8, 0, 29, 32][..], &[9; 32]].concat(),
                scheme: Some(SignatureScheme::ECDSA_SECP256R1_SHA256),
                signature: vec![1, 2, 3],
            }),
            CTX12,
        );
        let dhe_ctx = |version| DecodeContext {
            version,
            kx: Some(Kx::Dhe),
        };
        for (version, scheme) in [
            (
                ProtocolVersion::TLS12,
                Some(SignatureScheme::RSA_PKCS1_SHA256),
            ),
            (ProtocolVersion::TLS10, None),
        ] {
            round_trip(
                HandshakeMessage::ServerKeyExchange(ServerKeyExchange::Dhe {
                    p: vec![0xff, 0xfb],
                    g: vec![2],
                    ys: vec![7, 7],
                    params: vec![0, 2, 0xff, 0xfb, 0, 1, 2, 0, 2, 7, 7],
                    scheme,
                    signature: vec![1, 2, 3],
                }),
                dhe_ctx(version),
            );
        }
        round_trip(
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Dhe(vec![5; 256])),
            dhe_ctx(ProtocolVersion::TLS11),
        );
        // Empty DH fields are a decode_error.
        assert!(HandshakeMessage::decode(
            HandshakeType::SERVER_KEY_EXCHANGE,
            &[0, 0, 0, 1, 2, 0, 1, 7, 0, 0],
            dhe_ctx(ProtocolVersion::TLS10)
        )
        .is_err());
        // A TLS 1.1 CertificateRequest has no signature algorithms.
        let legacy = DecodeContext {
            version: ProtocolVersion::TLS11,
            kx: Some(Kx::Rsa),
        };
        assert!(matches!(
            HandshakeMessage::decode(HandshakeType::CERTIFICATE_REQUEST, &[1, 1, 0, 0], legacy),
            Ok(HandshakeMessage::CertificateRequest12(r)) if r.signature_algorithms.is_empty()
        ));
        // ... and encodes back to the same bytes.
        round_trip(
            HandshakeMessage::CertificateRequest12(CertificateRequest12 {
                certificate_types: vec![ClientCertificateType::RSA_SIGN],
                signature_algorithms: vec![],
                authorities: vec![],
            }),
            legacy,
        );
        round_trip(
            HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Ecdhe(vec![4; 65])),
            CTX12,
        );
        round_trip(
            HandshakeMessage::CertificateRequest12(CertificateRequest12 {
                certificate_types: vec![ClientCertificateType::ECDSA_SIGN],
                signature_algorithms: vec![SignatureScheme::ED25519],
                authorities: vec![vec![0x30, 0]],
            }),
            CTX12,
        );
        round_trip(
            HandshakeMessage::NewSessionTicket13(NewSessionTicket13 {
                lifetime: 7200,
                age_add: 1,
                nonce: vec![0],
                ticket: vec![1, 2, 3],
                extensions: vec![],
            }),
            CTX13,
        );
        round_trip(
            HandshakeMessage::CertificateVerify(CertificateVerify {
                scheme: SignatureScheme::ED25519,
                signature: vec![5; 64],
            }),
            CTX13,
        );
        round_trip(HandshakeMessage::KeyUpdate(1), CTX13);
        round_trip(HandshakeMessage::Finished(vec![1; 12]), CTX12);
    }

    #[test]
    fn client_hello_rejects() {
        let mut body = HandshakeMessage::ClientHello(sample_ch()).encode_body();
        // session id length 33
        body[34] = 33;
        assert!(HandshakeMessage::decode(HandshakeType::CLIENT_HELLO, &body, CTX12).is_err());
        // empty cipher suites
        let mut ch = sample_ch();
        ch.cipher_suites.clear();
        let body = HandshakeMessage::ClientHello(ch).encode_body();
        assert_eq!(
            HandshakeMessage::decode(HandshakeType::CLIENT_HELLO, &body, CTX12)
                .unwrap_err()
                .alert,
            Alert::DecodeError
        );
    }

    /// A hello with no extensions block and one with an empty block (`00 00`) are different
    /// bytes; both encode back to what was read (found by the strict handshake_codec target).
    #[test]
    fn absent_and_empty_extension_blocks_are_kept_apart() {
        let ctx = DecodeContext {
            version: ProtocolVersion::TLS12,
            kx: None,
        };
        let mut ch = vec![3, 3];
        ch.extend([7; 32]);
        ch.extend([0, 0, 2, 0, 0x2f, 1, 0]);
        let mut sh = vec![3, 3];
        sh.extend([7; 32]);
        sh.extend([0, 0, 0x2f, 0]);
        for (typ, base) in [
            (HandshakeType::CLIENT_HELLO, ch),
            (HandshakeType::SERVER_HELLO, sh),
        ] {
            let mut with_block = base.clone();
            with_block.extend([0, 0]);
            for body in [base, with_block] {
                let m = HandshakeMessage::decode(typ, &body, ctx).unwrap();
                assert_eq!(m.encode_body(), body, "{typ}");
            }
        }
    }

    #[test]
    fn tls13_ticket_needs_its_extensions_field() {
        // RFC 8446 §4.6.1: extensions<0..2^16-2> is not optional (found by fuzzing).
        let body = [0, 0, 0x1c, 0x20, 0, 0, 0, 0, 1, 0, 0, 1, 0xa9];
        let e =
            HandshakeMessage::decode(HandshakeType::NEW_SESSION_TICKET, &body, CTX13).unwrap_err();
        assert_eq!(e.alert, Alert::DecodeError);
    }

    #[test]
    fn hrr_detected() {
        let sh = ServerHello {
            extensions_absent: false,
            version: ProtocolVersion::TLS12,
            random: HRR_RANDOM,
            session_id: vec![],
            cipher_suite: CipherSuite(0x1301),
            compression_method: CompressionMethod::NULL,
            extensions: vec![Extension::new(
                ExtensionType::KEY_SHARE,
                ExtBody::KeyShareHrr(NamedGroup::SECP256R1),
            )],
        };
        let m = HandshakeMessage::ServerHello(sh);
        assert_eq!(m.name(), "hello_retry_request");
        round_trip(m, CTX12);
    }

    #[test]
    fn splits_messages_across_and_within_records() {
        let a = HandshakeMessage::ServerHelloDone.encode();
        let b = HandshakeMessage::Finished(vec![9; 12]).encode();
        let mut buf = [a.clone(), b[..5].to_vec()].concat();
        let got = split_messages(&mut buf).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, a);
        buf.extend_from_slice(&b[5..]);
        let got = split_messages(&mut buf).unwrap();
        assert_eq!(got[0].2, b);
        assert!(buf.is_empty());
    }

    #[test]
    fn huge_announcement_refused() {
        let mut buf = vec![11, 0xff, 0xff, 0xff, 0];
        assert_eq!(
            split_messages(&mut buf).unwrap_err().alert,
            Alert::DecodeError
        );
    }
}
