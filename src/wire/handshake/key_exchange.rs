//! ServerKeyExchange and ClientKeyExchange (RFC 8422 §5.4 and §5.7 for ECDHE, RFC 5246
//! §7.4.3 and §7.4.7 for DHE and RSA, RFC 4279 §2-§3 and RFC 5489 §2 for PSK, DHE-PSK and
//! ECDHE-PSK), each read and written in one place. The layout depends on the negotiated key
//! exchange; others are kept raw.

use super::super::codec::{Reader, Writer};
use super::super::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use super::super::span::{bytes, Field};
use super::super::suites::Kx;
use super::DecodeContext;
use crate::error::TlsError;

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
    /// PSK suites (RFC 4279 §2, §3; RFC 5489 §2): the psk_identity_hint, then the unsigned
    /// (EC)DHE parameters of DHE-PSK and ECDHE-PSK.
    Psk {
        hint: Vec<u8>,
        params: PskParams,
    },
    Raw(Vec<u8>),
}

/// The server's part of a PSK key exchange after the hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PskParams {
    /// Plain PSK: nothing.
    None,
    /// DHE-PSK: ServerDHParams (RFC 4279 §3).
    Dhe { p: Vec<u8>, g: Vec<u8>, ys: Vec<u8> },
    /// ECDHE-PSK: ServerECDHParams (RFC 5489 §2).
    Ecdhe { group: NamedGroup, public: Vec<u8> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientKeyExchange {
    Ecdhe(Vec<u8>),
    /// dh_Yc (RFC 5246 §7.4.7.2, explicit encoding).
    Dhe(Vec<u8>),
    /// RSA-encrypted pre-master secret (RFC 5246 §7.4.7.1).
    Rsa(Vec<u8>),
    /// PSK suites: the psk_identity, then the client's (EC)DHE public value (RFC 4279 §2,
    /// §3; RFC 5489 §2).
    Psk {
        identity: Vec<u8>,
        public: PskPublic,
    },
    Raw(Vec<u8>),
}

/// The client's public value in a PSK key exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PskPublic {
    None,
    /// dh_Yc (vector of 1..2^16-1 bytes).
    Dhe(Vec<u8>),
    /// ecdh_Yc (vector of 1..2^8-1 bytes).
    Ecdhe(Vec<u8>),
    /// RSA-PSK: the EncryptedPreMasterSecret (vector of 0..2^16-1 bytes, RFC 4279 §4).
    Rsa(Vec<u8>),
}

/// The signature at the end of a ServerKeyExchange: TLS 1.2 has a SignatureAndHashAlgorithm in
/// front (RFC 5246 §7.4.1.4.1), TLS 1.0/1.1 only the signature (RFC 4346 §7.4.3).
fn read_signature(
    r: &mut Reader,
    ctx: DecodeContext,
) -> Result<(Option<SignatureScheme>, Vec<u8>), TlsError> {
    let scheme = if ctx.version < ProtocolVersion::TLS12 {
        None
    } else {
        Some(r.code16("signature algorithm", SignatureScheme)?)
    };
    let signature = r.vec16_as("signature", |_| {
        "over client_random + server_random + params".into()
    })?;
    Ok((scheme, signature.to_vec()))
}

/// Anything not decoded: the whole body as one field.
fn read_raw(r: &mut Reader) -> Vec<u8> {
    r.take_rest_as("body", bytes).to_vec()
}

/// ServerECDHParams (RFC 8422 §5.4): curve_type named_curve (3), the group, the public point.
fn read_ecdhe_params(r: &mut Reader) -> Result<(NamedGroup, Vec<u8>), TlsError> {
    let curve_type = r.u8_as("curve_type", |v| {
        if v == 3 {
            "named_curve".into()
        } else {
            v.to_string()
        }
    })?;
    if curve_type != 3 {
        return Err(TlsError::illegal(format!(
            "ServerKeyExchange curve_type {curve_type} is not named_curve (3)"
        )));
    }
    let group = r.code16("named_curve", NamedGroup)?;
    let public = r.vec8_as(Field::shown_as("public", "public key"), bytes)?;
    if public.is_empty() {
        return Err(TlsError::decode("ServerKeyExchange: empty public key"));
    }
    Ok((group, public.to_vec()))
}

/// ServerDHParams (RFC 5246 §7.4.3): dh_p, dh_g, dh_Ys, none of them empty.
fn read_dhe_params(r: &mut Reader) -> Result<[Vec<u8>; 3], TlsError> {
    let p = r.vec16_as("dh_p", bytes)?.to_vec();
    let g = r.vec16_as("dh_g", bytes)?.to_vec();
    let ys = r.vec16_as("dh_Ys", bytes)?.to_vec();
    if p.is_empty() || g.is_empty() || ys.is_empty() {
        return Err(TlsError::decode(
            "ServerKeyExchange: empty dh_p, dh_g or dh_Ys",
        ));
    }
    Ok([p, g, ys])
}

/// psk_identity_hint (RFC 4279 §2: opaque <0..2^16-1>), then the (EC)DHE parameters.
fn read_psk_server(r: &mut Reader, kx: Kx) -> Result<ServerKeyExchange, TlsError> {
    let hint = r
        .vec16_as("psk_identity_hint", |b| {
            format!("\"{}\"", String::from_utf8_lossy(b))
        })?
        .to_vec();
    let params = match kx {
        Kx::DhePsk => {
            let [p, g, ys] = read_dhe_params(r)?;
            PskParams::Dhe { p, g, ys }
        }
        Kx::EcdhePsk => {
            let (group, public) = read_ecdhe_params(r)?;
            PskParams::Ecdhe { group, public }
        }
        _ => PskParams::None,
    };
    Ok(ServerKeyExchange::Psk { hint, params })
}

fn write_psk_server(hint: &[u8], params: &PskParams, w: &mut Writer) {
    w.vec16(hint);
    match params {
        PskParams::None => {}
        PskParams::Dhe { p, g, ys } => {
            w.vec16(p).vec16(g).vec16(ys);
        }
        PskParams::Ecdhe { group, public } => {
            w.u8(3).u16(group.0).vec8(public);
        }
    }
}

/// psk_identity (RFC 4279 §2: opaque <0..2^16-1>), then the client's public value.
fn read_psk_client(r: &mut Reader, kx: Kx) -> Result<ClientKeyExchange, TlsError> {
    let identity = r
        .vec16_as("psk_identity", |b| {
            format!("\"{}\"", String::from_utf8_lossy(b))
        })?
        .to_vec();
    let public = match kx {
        Kx::DhePsk => PskPublic::Dhe(r.vec16_as("dh_Yc", bytes)?.to_vec()),
        Kx::RsaPsk => PskPublic::Rsa(
            r.vec16_as("EncryptedPreMasterSecret", |_| {
                "RSA-encrypted to the server's key".into()
            })?
            .to_vec(),
        ),
        Kx::EcdhePsk => PskPublic::Ecdhe(
            r.vec8_as(Field::shown_as("ecdh_Yc", "public key"), bytes)?
                .to_vec(),
        ),
        _ => PskPublic::None,
    };
    if matches!(&public, PskPublic::Dhe(v) | PskPublic::Ecdhe(v) if v.is_empty()) {
        return Err(TlsError::decode("ClientKeyExchange: empty public value"));
    }
    Ok(ClientKeyExchange::Psk { identity, public })
}

fn write_psk_client(identity: &[u8], public: &PskPublic, w: &mut Writer) {
    w.vec16(identity);
    match public {
        PskPublic::None => {}
        PskPublic::Dhe(y) | PskPublic::Rsa(y) => {
            w.vec16(y);
        }
        PskPublic::Ecdhe(p) => {
            w.vec8(p);
        }
    }
}

impl ServerKeyExchange {
    /// The params for the negotiated key exchange, then the signature over them.
    pub fn read(r: &mut Reader, ctx: DecodeContext) -> Result<ServerKeyExchange, TlsError> {
        let params_start = r.position();
        match ctx.kx {
            Some(kx @ (Kx::Psk | Kx::DhePsk | Kx::EcdhePsk | Kx::RsaPsk)) => read_psk_server(r, kx),
            Some(Kx::Ecdhe) => {
                let (group, public) = read_ecdhe_params(r)?;
                let params = r.whole()[params_start..r.position()].to_vec();
                let (scheme, signature) = read_signature(r, ctx)?;
                Ok(ServerKeyExchange::Ecdhe {
                    group,
                    public,
                    params,
                    scheme,
                    signature,
                })
            }
            Some(Kx::Dhe) => {
                let [p, g, ys] = read_dhe_params(r)?;
                let params = r.whole()[params_start..r.position()].to_vec();
                let (scheme, signature) = read_signature(r, ctx)?;
                Ok(ServerKeyExchange::Dhe {
                    p,
                    g,
                    ys,
                    params,
                    scheme,
                    signature,
                })
            }
            _ => Ok(ServerKeyExchange::Raw(read_raw(r))),
        }
    }

    pub fn write(&self, w: &mut Writer) {
        match self {
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
            } => {
                w.bytes(params);
                if let Some(s) = scheme {
                    w.u16(s.0);
                }
                w.vec16(signature);
            }
            ServerKeyExchange::Psk { hint, params } => write_psk_server(hint, params, w),
            ServerKeyExchange::Raw(b) => {
                w.bytes(b);
            }
        }
    }
}

impl ClientKeyExchange {
    /// The client's share for the negotiated key exchange: an EC point (RFC 8422 §5.7),
    /// dh_Yc or the RSA-encrypted premaster secret (RFC 5246 §7.4.7).
    pub fn read(r: &mut Reader, ctx: DecodeContext) -> Result<ClientKeyExchange, TlsError> {
        match ctx.kx {
            Some(kx @ (Kx::Psk | Kx::DhePsk | Kx::EcdhePsk | Kx::RsaPsk)) => read_psk_client(r, kx),
            Some(Kx::Ecdhe) => {
                let p = r.vec8_as(Field::shown_as("ecdh_Yc", "public key"), bytes)?;
                if p.is_empty() {
                    return Err(TlsError::decode("ClientKeyExchange: empty public key"));
                }
                Ok(ClientKeyExchange::Ecdhe(p.to_vec()))
            }
            Some(Kx::Dhe) => {
                let y = r.vec16_as("dh_Yc", bytes)?;
                if y.is_empty() {
                    return Err(TlsError::decode("ClientKeyExchange: empty dh_Yc"));
                }
                Ok(ClientKeyExchange::Dhe(y.to_vec()))
            }
            Some(Kx::Rsa) => {
                let secret = r.vec16_as("EncryptedPreMasterSecret", |_| {
                    "RSA-encrypted to the server's key".into()
                })?;
                Ok(ClientKeyExchange::Rsa(secret.to_vec()))
            }
            _ => Ok(ClientKeyExchange::Raw(read_raw(r))),
        }
    }

    pub fn write(&self, w: &mut Writer) {
        match self {
            ClientKeyExchange::Ecdhe(p) => {
                w.vec8(p);
            }
            ClientKeyExchange::Rsa(p) | ClientKeyExchange::Dhe(p) => {
                w.vec16(p);
            }
            ClientKeyExchange::Psk { identity, public } => write_psk_client(identity, public, w),
            ClientKeyExchange::Raw(b) => {
                w.bytes(b);
            }
        }
    }
}
