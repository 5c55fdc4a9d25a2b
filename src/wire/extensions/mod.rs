//! Hello extensions (RFC 8446 §4.2, RFC 6066, RFC 7301, RFC 7627, RFC 5746, RFC 5077, RFC 8422,
//! RFC 7366, RFC 7685). Every extension is kept in order with its raw bytes; known ones are
//! also decoded, unknown and GREASE ones kept as they are. Each body's layout is read and
//! written in one module; `read_body` and `write_body` dispatch to them.
//!
//! Adding an extension: its code point in `codepoints::ExtensionType` (when new), an `ExtBody`
//! variant, a `read` and a `write` side by side (a new module, or the family module it
//! belongs to), naming each field as the byte view should show it, and one line in each of
//! `read_body` and `write_body`. The `--hex` view then shows it with nothing more; the
//! human and JSON renderers take its fields and its line of words from one arm in
//! `report::ext_fields`.

mod alpn;
mod authorities;
mod key_share;
mod lists;
mod psk;
mod server_name;
mod simple;
mod status;

#[cfg(test)]
mod tests;

pub use psk::PskIdentity;
pub use server_name::ServerNames;

use super::codec::{Reader, Writer};
use super::codepoints::{
    is_grease_u16, EcPointFormat, ExtensionType, NamedGroup, ProtocolVersion, PskKeyExchangeMode,
    SignatureScheme,
};
use super::span::Field;
use crate::error::{Alert, TlsError};

/// Which message an extension block belongs to; some extensions differ by message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtContext {
    ClientHello,
    ServerHello,
    HelloRetryRequest,
    EncryptedExtensions,
    CertificateRequest,
    Certificate,
    NewSessionTicket,
}

/// The decoded meaning of an extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtBody {
    /// server_name with host names (client); empty acknowledgement (server).
    ServerName(ServerNames),
    SupportedGroups(Vec<NamedGroup>),
    EcPointFormats(Vec<EcPointFormat>),
    SignatureAlgorithms(Vec<SignatureScheme>),
    SignatureAlgorithmsCert(Vec<SignatureScheme>),
    Alpn(Vec<Vec<u8>>),
    /// status_request as a client sends it (RFC 6066 §8; also accepted in a TLS 1.3
    /// CertificateRequest): status_type (1 = ocsp), then the responder_id_list and
    /// request_extensions, each kept as its raw list bytes.
    StatusRequest {
        status_type: u8,
        responder_ids: Vec<u8>,
        request_extensions: Vec<u8>,
    },
    /// An empty status_request: the server's acknowledgement (a CertificateStatus or a stapled
    /// response follows), a TLS 1.3 CertificateRequest asking the client to staple (RFC 8446
    /// §4.4.2.1), or the empty one GnuTLS 3.7 puts in certificate entries.
    StatusRequestEmpty,
    /// An OCSP response inside a TLS 1.3 certificate entry.
    OcspResponse(Vec<u8>),
    /// Signed certificate timestamps (RFC 6962), as raw list bytes.
    SignedCertificateTimestamp(Vec<u8>),
    ExtendedMasterSecret,
    EncryptThenMac,
    RenegotiationInfo(Vec<u8>),
    SessionTicket(Vec<u8>),
    SupportedVersionsClient(Vec<ProtocolVersion>),
    SupportedVersionsServer(ProtocolVersion),
    KeyShareClient(Vec<(NamedGroup, Vec<u8>)>),
    KeyShareServer(NamedGroup, Vec<u8>),
    KeyShareHrr(NamedGroup),
    PskKeyExchangeModes(Vec<PskKeyExchangeMode>),
    PreSharedKeyClient {
        identities: Vec<PskIdentity>,
        binders: Vec<Vec<u8>>,
    },
    PreSharedKeyServer(u16),
    /// early_data: empty in ClientHello/EncryptedExtensions; max_early_data_size in NewSessionTicket.
    EarlyData(Option<u32>),
    Cookie(Vec<u8>),
    /// padding (RFC 7685): the bytes as sent, which §3 requires to be zero.
    Padding(Vec<u8>),
    Heartbeat(u8),
    RecordSizeLimit(u16),
    /// max_fragment_length (RFC 6066 §4): 1..=4, a limit of 2^(8+n) bytes.
    MaxFragmentLength(u8),
    /// certificate_authorities: DER distinguished names (RFC 8446 §4.2.4).
    CertificateAuthorities(Vec<Vec<u8>>),
    /// A known extension that carries nothing (e.g. post_handshake_auth).
    Empty,
    /// A GREASE value (RFC 8701).
    Grease,
    /// Not decoded: kept as raw bytes in `Extension::data`.
    Unknown,
    /// A ClientHello extension defined only for TLS 1.2 and earlier (ec_point_formats,
    /// extended_master_secret, encrypt_then_mac, renegotiation_info) whose body does not
    /// decode. The error is kept, not raised: a TLS 1.2 server refuses the hello with it, a
    /// TLS 1.3 server ignores the extension as it ignores any it does not use (RFC 8446
    /// §4.2; tlsfuzzer's test-tls13-large-number-of-extensions sends these with random
    /// bodies and expects the handshake to complete, as OpenSSL does).
    Malformed {
        alert: Alert,
        reason: String,
    },
}

/// One extension: its type, raw body and decoded meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub typ: ExtensionType,
    pub data: Vec<u8>,
    pub body: ExtBody,
}

impl ExtBody {
    /// The status_request a client sends to ask for a stapled OCSP response: status_type
    /// ocsp, no responder ids, no request extensions (RFC 6066 §8).
    pub fn ocsp_request() -> ExtBody {
        ExtBody::StatusRequest {
            status_type: 1,
            responder_ids: vec![],
            request_extensions: vec![],
        }
    }

    /// Whether this is a status_request for OCSP (status_type 1).
    pub fn is_ocsp_request(&self) -> bool {
        matches!(self, ExtBody::StatusRequest { status_type: 1, .. })
    }
}

impl Extension {
    /// Builds an extension from its meaning (the body bytes are encoded here).
    pub fn new(typ: ExtensionType, body: ExtBody) -> Extension {
        let data = encode_body(&body);
        Extension { typ, data, body }
    }

    pub fn name(&self) -> String {
        if is_grease_u16(self.typ.0) {
            format!("GREASE(0x{:04x})", self.typ.0)
        } else {
            self.typ.to_string()
        }
    }
}

/// Decodes one extension body for its context.
pub fn decode_body(typ: ExtensionType, data: &[u8], ctx: ExtContext) -> Result<ExtBody, TlsError> {
    read_body(typ, &mut Reader::new(data), ctx)
}

/// Reads one extension body (all of `r`) for its context: the layouts are in the modules
/// this dispatches to. Bytes left over are a decode_error.
pub fn read_body(typ: ExtensionType, r: &mut Reader, ctx: ExtContext) -> Result<ExtBody, TlsError> {
    use ExtensionType as T;
    if is_grease_u16(typ.0) {
        r.take_rest_as("data", |_| String::new());
        return Ok(ExtBody::Grease);
    }
    let was_empty = r.is_empty();
    // Only known types are decoded, and their registry name is what errors say.
    let what = typ.name().unwrap_or("extension");
    let body = match typ {
        T::SERVER_NAME => ExtBody::ServerName(ServerNames::read(r, ctx)?),
        T::SUPPORTED_GROUPS => lists::read_groups(r, what)?,
        T::EC_POINT_FORMATS => lists::read_point_formats(r, what)?,
        T::SIGNATURE_ALGORITHMS => ExtBody::SignatureAlgorithms(lists::read_schemes(r, what)?),
        T::SIGNATURE_ALGORITHMS_CERT => {
            ExtBody::SignatureAlgorithmsCert(lists::read_schemes(r, what)?)
        }
        T::ALPN => ExtBody::Alpn(alpn::read(r, what, ctx)?),
        T::STATUS_REQUEST => status::read(r, what, ctx)?,
        T::SIGNED_CERTIFICATE_TIMESTAMP => status::read_sct(r),
        T::EXTENDED_MASTER_SECRET => ExtBody::ExtendedMasterSecret,
        T::ENCRYPT_THEN_MAC => ExtBody::EncryptThenMac,
        T::RENEGOTIATION_INFO => simple::read_renegotiation_info(r, what)?,
        T::SESSION_TICKET => simple::read_session_ticket(r),
        T::SUPPORTED_VERSIONS => lists::read_versions(r, what, ctx)?,
        T::KEY_SHARE => key_share::read(r, what, ctx)?,
        T::PSK_KEY_EXCHANGE_MODES => lists::read_psk_modes(r, what)?,
        T::PRE_SHARED_KEY => psk::read(r, what, ctx)?,
        T::EARLY_DATA => psk::read_early_data(r, what, ctx)?,
        T::COOKIE => simple::read_cookie(r, what)?,
        T::PADDING => simple::read_padding(r),
        T::HEARTBEAT => simple::read_heartbeat(r, what)?,
        T::RECORD_SIZE_LIMIT => simple::read_record_size_limit(r, what)?,
        T::MAX_FRAGMENT_LENGTH => simple::read_max_fragment_length(r, what)?,
        T::CERTIFICATE_AUTHORITIES => ExtBody::CertificateAuthorities(authorities::read(r, what)?),
        T::POST_HANDSHAKE_AUTH => ExtBody::Empty,
        _ => {
            r.take_rest_as("data", |b| format!("{} bytes, not decoded", b.len()));
            return Ok(ExtBody::Unknown);
        }
    };
    if !r.is_empty() {
        return Err(TlsError::decode(format!(
            "{what}: {} trailing bytes",
            r.remaining()
        )));
    }
    // Extensions that must be empty (RFC 7627 §5.1, RFC 7366 §2, RFC 8446 §4.2.10 in CH/EE).
    let must_be_empty = matches!(
        body,
        ExtBody::ExtendedMasterSecret | ExtBody::EncryptThenMac | ExtBody::Empty
    ) || matches!(body, ExtBody::EarlyData(None) | ExtBody::StatusRequestEmpty);
    if must_be_empty && !was_empty {
        return Err(TlsError::decode(format!("{what}: must be empty")));
    }
    Ok(body)
}

/// Writes an extension body from its meaning (the layouts are in the modules this
/// dispatches to).
pub fn write_body(body: &ExtBody, w: &mut Writer) {
    use ExtBody as B;
    match body {
        B::ServerName(names) => names.write(w),
        B::SupportedGroups(g) => lists::write_groups(g, w),
        B::EcPointFormats(f) => lists::write_point_formats(f, w),
        B::SignatureAlgorithms(s) | B::SignatureAlgorithmsCert(s) => lists::write_schemes(s, w),
        B::Alpn(p) => alpn::write(p, w),
        B::StatusRequest {
            status_type,
            responder_ids,
            request_extensions,
        } => status::write_request(*status_type, responder_ids, request_extensions, w),
        B::OcspResponse(resp) => status::write_ocsp_response(resp, w),
        B::SignedCertificateTimestamp(b) | B::SessionTicket(b) | B::Padding(b) => {
            simple::write_raw(b, w)
        }
        B::ExtendedMasterSecret
        | B::EncryptThenMac
        | B::Empty
        | B::Grease
        | B::Unknown
        | B::Malformed { .. }
        | B::StatusRequestEmpty
        | B::EarlyData(None) => {}
        B::RenegotiationInfo(b) => simple::write_opaque8(b, w),
        B::SupportedVersionsClient(v) => lists::write_client_versions(v, w),
        B::SupportedVersionsServer(v) => {
            w.u16(v.0);
        }
        B::KeyShareClient(shares) => key_share::write_client(shares, w),
        B::KeyShareServer(g, k) => key_share::write_server(*g, k, w),
        B::KeyShareHrr(g) => {
            w.u16(g.0);
        }
        B::PskKeyExchangeModes(m) => lists::write_psk_modes(m, w),
        B::PreSharedKeyClient {
            identities,
            binders,
        } => psk::write_client(identities, binders, w),
        B::PreSharedKeyServer(i) => {
            w.u16(*i);
        }
        B::EarlyData(Some(n)) => {
            w.u32(*n);
        }
        B::Cookie(c) => simple::write_opaque16(c, w),
        B::Heartbeat(m) => {
            w.u8(*m);
        }
        B::CertificateAuthorities(names) => authorities::write(names, w),
        B::RecordSizeLimit(n) => {
            w.u16(*n);
        }
        B::MaxFragmentLength(n) => {
            w.u8(*n);
        }
    }
}

/// Encodes an extension body from its meaning.
pub fn encode_body(body: &ExtBody) -> Vec<u8> {
    let mut w = Writer::new();
    write_body(body, &mut w);
    w.into_bytes()
}

/// ClientHello extensions that only TLS 1.2 and earlier use (RFC 8446 §4.2 lists the
/// extensions of TLS 1.3; these are not among them).
fn tls12_only(typ: ExtensionType) -> bool {
    matches!(
        typ,
        ExtensionType::EC_POINT_FORMATS
            | ExtensionType::EXTENDED_MASTER_SECRET
            | ExtensionType::ENCRYPT_THEN_MAC
            | ExtensionType::RENEGOTIATION_INFO
    )
}

/// Reads an extensions block (two-byte total length, then type/length/data entries).
/// Duplicate extension types are `illegal_parameter` (RFC 8446 §4.2). An absent block (no
/// bytes left) yields an empty list, as RFC 5246 §7.4.1.2 allows.
pub fn read_extensions(r: &mut Reader, ctx: ExtContext) -> Result<Vec<Extension>, TlsError> {
    if r.is_empty() {
        return Ok(vec![]);
    }
    let mut block = r.sub16("extensions")?;
    let mut out: Vec<Extension> = vec![];
    while !block.is_empty() {
        let typ = block.code16(
            Field::shown_as("extension type", "extension"),
            ExtensionType,
        )?;
        let mut data = block.sub16(Field::shown_as("extension data", "extension"))?;
        if out.iter().any(|e| e.typ == typ) {
            return Err(TlsError::new(
                Alert::IllegalParameter,
                format!("duplicate {typ} extension"),
            ));
        }
        let body = match read_body(typ, &mut data, ctx) {
            Ok(b) => b,
            Err(e) if ctx == ExtContext::ClientHello && tls12_only(typ) => {
                data.label_unread("malformed", &e.message);
                ExtBody::Malformed {
                    alert: e.alert,
                    reason: e.message,
                }
            }
            Err(e) => return Err(e),
        };
        out.push(Extension {
            typ,
            data: data.whole().to_vec(),
            body,
        });
    }
    Ok(out)
}

/// Writes an extensions block from the raw bytes of each extension.
pub fn write_extensions(w: &mut Writer, exts: &[Extension]) {
    w.nested(2, |w| {
        for e in exts {
            w.u16(e.typ.0).vec16(&e.data);
        }
    });
}

/// Finds an extension by type.
pub fn find(exts: &[Extension], typ: ExtensionType) -> Option<&Extension> {
    exts.iter().find(|e| e.typ == typ)
}
