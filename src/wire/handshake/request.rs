//! CertificateRequest (RFC 8446 §4.3.2 for TLS 1.3, RFC 5246 §7.4.4 and RFC 4346 §7.4.4 for
//! TLS 1.2 and earlier), each form read and written in one place.

use super::super::codec::{Reader, Writer};
use super::super::codepoints::{ClientCertificateType, ProtocolVersion, SignatureScheme};
use super::super::extensions::{write_extensions, ExtContext, Extension};
use super::super::span::count;
use super::{read_extensions_required, DecodeContext};
use crate::error::TlsError;

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

/// A non-empty list of signature schemes with a two-byte length prefix.
fn read_schemes(r: &mut Reader, what: &str) -> Result<Vec<SignatureScheme>, TlsError> {
    let mut l = r.sub16_as(what, |l| count(l / 2, "scheme"))?;
    if l.remaining() % 2 != 0 || l.is_empty() {
        return Err(TlsError::decode(format!("{what}: bad length")));
    }
    let mut out = Vec::with_capacity(l.remaining() / 2);
    while !l.is_empty() {
        out.push(l.code16("scheme", SignatureScheme)?);
    }
    Ok(out)
}

impl CertificateRequest12 {
    /// certificate_types <1..2^8-1>, supported_signature_algorithms <2..2^16-2> (TLS 1.2
    /// only), certificate_authorities <0..2^16-1>.
    pub fn read(r: &mut Reader, ctx: DecodeContext) -> Result<CertificateRequest12, TlsError> {
        let mut types = r.sub8_as("certificate_types", |l| count(l, "type"))?;
        if types.is_empty() {
            return Err(TlsError::decode("certificate_types: empty"));
        }
        let mut certificate_types = Vec::with_capacity(types.remaining());
        while !types.is_empty() {
            certificate_types.push(types.code8("type", ClientCertificateType)?);
        }
        // RFC 4346 §7.4.4: TLS 1.0/1.1 have no supported_signature_algorithms.
        let signature_algorithms = if ctx.version < ProtocolVersion::TLS12 {
            vec![]
        } else {
            read_schemes(r, "supported_signature_algorithms")?
        };
        let mut cas = r.sub16("certificate_authorities")?;
        let mut authorities = vec![];
        while !cas.is_empty() {
            authorities.push(
                cas.vec16_as("distinguished name", |_| "DER".into())?
                    .to_vec(),
            );
        }
        Ok(CertificateRequest12 {
            certificate_types,
            signature_algorithms,
            authorities,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.nested(1, |w| {
            for t in &self.certificate_types {
                w.u8(t.0);
            }
        });
        // TLS 1.0/1.1 have no supported_signature_algorithms field (RFC 4346 §7.4.4); in
        // TLS 1.2 the list is never empty (RFC 5246 §7.4.4), so an empty list means the older
        // form (found by fuzzing).
        if !self.signature_algorithms.is_empty() {
            w.nested(2, |w| {
                for s in &self.signature_algorithms {
                    w.u16(s.0);
                }
            });
        }
        w.nested(2, |w| {
            for a in &self.authorities {
                w.vec16(a);
            }
        });
    }
}

impl CertificateRequest13 {
    /// certificate_request_context, then extensions (signature_algorithms required, §4.3.2).
    pub fn read(r: &mut Reader) -> Result<CertificateRequest13, TlsError> {
        let context = r.vec8("certificate_request_context")?.to_vec();
        let extensions = read_extensions_required(r, ExtContext::CertificateRequest)?;
        Ok(CertificateRequest13 {
            context,
            extensions,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.vec8(&self.context);
        write_extensions(w, &self.extensions);
    }
}
