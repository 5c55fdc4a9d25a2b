//! Certificate status extensions: status_request (RFC 6066 §8; in a TLS 1.3 CertificateRequest
//! and certificate entry, RFC 8446 §4.4.2.1) and signed_certificate_timestamp (RFC 6962 §3.3).

use super::super::codec::{Reader, Writer};
use super::super::handshake::status_type_name;
use super::super::span::Field;
use super::{ExtBody, ExtContext};
use crate::error::TlsError;

/// status_request by where it is: a request (ClientHello, CertificateRequest), an OCSP
/// response in a certificate entry, or an empty acknowledgement.
pub(super) fn read(r: &mut Reader, what: &str, ctx: ExtContext) -> Result<ExtBody, TlsError> {
    use ExtContext as C;
    let status_type = Field::shown_as(what, "status_type");
    Ok(match ctx {
        // RFC 8446 §4.4.2.1: an empty status_request in a CertificateRequest asks the
        // client to staple an OCSP response.
        C::CertificateRequest if r.is_empty() => ExtBody::StatusRequestEmpty,
        C::ClientHello | C::CertificateRequest => {
            let status_type = r.u8_as(status_type, status_type_name)?;
            let responder_ids = r.vec16("responder_id_list")?.to_vec();
            let request_extensions = r.vec16("request_extensions")?.to_vec();
            ExtBody::StatusRequest {
                status_type,
                responder_ids,
                request_extensions,
            }
        }
        // GnuTLS 3.7 sends an empty status_request in a certificate entry when it has no
        // response to staple; RFC 8446 §4.4.2.1 expects a CertificateStatus. Tolerated.
        C::Certificate if r.is_empty() => ExtBody::StatusRequestEmpty,
        C::Certificate => {
            let kind = r.u8_as(status_type, status_type_name)?;
            if kind != 1 {
                return Err(TlsError::decode("status_request: unknown status type"));
            }
            let response = r.vec24_as(Field::from("OCSP response").bulk(), |_| "DER".into())?;
            ExtBody::OcspResponse(response.to_vec())
        }
        _ => ExtBody::StatusRequestEmpty,
    })
}

pub(super) fn write_request(
    status_type: u8,
    responder_ids: &[u8],
    request_extensions: &[u8],
    w: &mut Writer,
) {
    w.u8(status_type)
        .vec16(responder_ids)
        .vec16(request_extensions);
}

pub(super) fn write_ocsp_response(response: &[u8], w: &mut Writer) {
    w.u8(1).vec24(response);
}

/// signed_certificate_timestamp: the SignedCertificateTimestampList, kept as it is.
pub(super) fn read_sct(r: &mut Reader) -> ExtBody {
    let list = r.take_rest_as("data", |b| format!("{} bytes, not decoded", b.len()));
    ExtBody::SignedCertificateTimestamp(list.to_vec())
}
