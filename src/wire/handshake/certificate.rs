//! The certificate messages: Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2),
//! CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8) and CertificateStatus (RFC 6066 §8),
//! each read and written in one place.

use super::super::codec::{Reader, Writer};
use super::super::codepoints::{ProtocolVersion, SignatureScheme};
use super::super::extensions::{write_extensions, ExtContext, Extension};
use super::super::span::{Field, SpanKind};
use super::{read_extensions_required, DecodeContext};
use crate::error::TlsError;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateVerify {
    /// The signature scheme; None in TLS 1.0/1.1, which have no algorithm field (RFC 4346
    /// §7.4.8: MD5+SHA-1 for RSA, SHA-1 for ECDSA, RFC 4492 §5.8).
    pub scheme: Option<SignatureScheme>,
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateStatus {
    pub status_type: u8,
    pub response: Vec<u8>,
}

/// The span value of a CertificateStatusType (RFC 6066 §8: 1 is ocsp).
pub(crate) fn status_type_name(v: u8) -> String {
    if v == 1 {
        "ocsp".into()
    } else {
        v.to_string()
    }
}

impl Certificate {
    /// TLS 1.3: certificate_request_context, then entries of (cert_data, extensions); TLS 1.2:
    /// a list of certificates. Empty certificates are a decode_error.
    pub fn read(r: &mut Reader, ctx: DecodeContext) -> Result<Certificate, TlsError> {
        let context = if ctx.tls13() {
            Some(r.vec8("certificate_request_context")?.to_vec())
        } else {
            None
        };
        let mut list = r.sub24("certificate_list")?;
        let mut entries = vec![];
        while !list.is_empty() {
            let label = if list.is_recording() {
                format!("certificate [{}]", entries.len())
            } else {
                String::new()
            };
            let field = Field::shown_as("certificate", &label).kind(SpanKind::Certificate);
            let der = list.vec24_as(field, |_| "DER (X.509)".into())?;
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
        Ok(Certificate { context, entries })
    }

    pub fn write(&self, w: &mut Writer) {
        if let Some(ctx) = &self.context {
            w.vec8(ctx);
        }
        w.nested(3, |w| {
            for e in &self.entries {
                w.vec24(&e.der);
                if self.context.is_some() {
                    write_extensions(w, &e.extensions);
                }
            }
        });
    }
}

impl CertificateVerify {
    /// The signature scheme (TLS 1.2 and 1.3 only) and the signature over the transcript.
    pub fn read(r: &mut Reader, ctx: DecodeContext) -> Result<CertificateVerify, TlsError> {
        let scheme = if ctx.version < ProtocolVersion::TLS12 {
            None
        } else {
            Some(r.code16("signature algorithm", SignatureScheme)?)
        };
        let signature = r
            .vec16_as("signature", |_| "over the transcript hash".into())?
            .to_vec();
        Ok(CertificateVerify { scheme, signature })
    }

    pub fn write(&self, w: &mut Writer) {
        if let Some(s) = self.scheme {
            w.u16(s.0);
        }
        w.vec16(&self.signature);
    }
}

impl CertificateStatus {
    /// status_type, then the OCSPResponse <1..2^24-1> (RFC 6066 §8).
    pub fn read(r: &mut Reader) -> Result<CertificateStatus, TlsError> {
        let status_type = r.u8_as("status_type", status_type_name)?;
        let field = Field::shown_as("OCSPResponse", "OCSP response").bulk();
        let response = r.vec24_as(field, |_| "DER".into())?.to_vec();
        Ok(CertificateStatus {
            status_type,
            response,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.u8(self.status_type).vec24(&self.response);
    }
}
