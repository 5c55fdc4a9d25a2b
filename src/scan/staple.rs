//! What a server staples to its certificate: the OCSP response's status (RFC 6066 §8,
//! RFC 6960 §4.2.1) and the Signed Certificate Timestamps (RFC 6962 §3.3) from the three
//! places they travel: the TLS extension, the certificate itself and the OCSP response.

use x509_parser::prelude::*;

use crate::pki::ocsp;
use crate::wire::codec::Reader;

/// The stapled OCSP response, as far as the scan reads it (its signature is not checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspStaple {
    /// "good", "revoked", "unknown" (the responder does not know the certificate), or
    /// "error" (not a successful response, or unparsable: `detail` says which).
    pub status: &'static str,
    /// The responder's words: the revocation time, the responseStatus, the parse error.
    pub detail: Option<String>,
    pub this_update: Option<String>,
    pub next_update: Option<String>,
}

/// Reads a DER OCSPResponse stapled to `leaf` (DER): a response about another certificate
/// (by serial number; RFC 6960 §4.1.1 CertID) is an error.
pub fn ocsp_staple(der: &[u8], leaf: Option<&[u8]>) -> OcspStaple {
    let mut o = read_staple(der);
    let leaf_serial = leaf
        .and_then(|d| X509Certificate::from_der(d).ok())
        .map(|(_, c)| hex::encode(c.raw_serial()));
    if let (Some(theirs), Some(ours)) =
        (ocsp::describe(der).ok().and_then(|s| s.serial), leaf_serial)
    {
        if theirs != ours {
            o.status = "error";
            o.detail = Some(format!(
                "the response is about serial number {theirs}, not the certificate's {ours}"
            ));
        }
    }
    o
}

fn read_staple(der: &[u8]) -> OcspStaple {
    let s = match ocsp::describe(der) {
        Ok(s) => s,
        Err(e) => {
            return OcspStaple {
                status: "error",
                detail: Some(format!("unparsable OCSP response: {e}")),
                this_update: None,
                next_update: None,
            }
        }
    };
    let (status, detail) = match s.cert_status.as_deref() {
        _ if s.response_status != "successful" => (
            "error",
            Some(format!("responseStatus {}", s.response_status)),
        ),
        Some("good") => ("good", None),
        Some(r) if r.starts_with("REVOKED") => ("revoked", Some(r.to_string())),
        Some("unknown to the responder") => ("unknown", None),
        Some(other) => ("error", Some(other.to_string())),
        None => ("error", Some("the response has no single response".into())),
    };
    OcspStaple {
        status,
        detail,
        this_update: s.this_update,
        next_update: s.next_update,
    }
}

/// The SCTs seen: how many, and where they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scts {
    pub count: usize,
    /// "tls_extension", "certificate", "ocsp", in that order, each once.
    pub sources: Vec<&'static str>,
}

impl Scts {
    fn add(&mut self, source: &'static str, n: Option<usize>) {
        if let Some(n) = n.filter(|&n| n > 0) {
            self.count += n;
            self.sources.push(source);
        }
    }
}

/// Counts the SCTs of the signed_certificate_timestamp extension's list (`ext`), the leaf
/// certificate (`leaf`, DER) and the OCSP response (`ocsp`, DER).
pub fn scts(ext: Option<&[u8]>, leaf: Option<&[u8]>, ocsp_der: Option<&[u8]>) -> Scts {
    let mut out = Scts::default();
    out.add("tls_extension", ext.and_then(count_list));
    out.add(
        "certificate",
        leaf.and_then(embedded_list).and_then(count_list),
    );
    out.add(
        "ocsp",
        ocsp_der.and_then(ocsp::sct_list).and_then(count_list),
    );
    out
}

/// The number of SerializedSCTs in a SignedCertificateTimestampList (RFC 6962 §3.3:
/// `SerializedSCT sct_list<1..2^16-1>`, each `opaque SerializedSCT<1..2^16-1>`); `None` when
/// it does not parse.
pub fn count_list(list: &[u8]) -> Option<usize> {
    let mut r = Reader::new(list);
    let mut items = Reader::new(r.vec16("sct_list").ok()?);
    if !r.is_empty() {
        return None;
    }
    let mut n = 0;
    while !items.is_empty() {
        let sct = items.vec16("SerializedSCT").ok()?;
        if sct.is_empty() {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The SCT list a certificate embeds (extension 1.3.6.1.4.1.11129.2.4.2, RFC 6962 §3.3: an
/// OCTET STRING holding the TLS-encoded list).
fn embedded_list(der: &[u8]) -> Option<&[u8]> {
    let (_, c) = X509Certificate::from_der(der).ok()?;
    let value = c
        .extensions()
        .iter()
        .find(|e| e.oid.to_id_string() == "1.3.6.1.4.1.11129.2.4.2")?
        .value;
    ocsp::octet_string(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(count_list(&[0, 0]), Some(0));
        assert_eq!(count_list(&[0, 6, 0, 1, 9, 0, 1, 8]), Some(2));
        // An empty SCT, a truncated list, trailing bytes.
        assert_eq!(count_list(&[0, 2, 0, 0]), None);
        assert_eq!(count_list(&[0, 6, 0, 1, 9]), None);
        assert_eq!(count_list(&[0, 3, 0, 1, 9, 7]), None);
        for n in 0..12 {
            let v: Vec<u8> = (0..n).map(|i| (i * 29 + 3) as u8).collect();
            let _ = count_list(&v);
            let _ = scts(Some(&v), Some(&v), Some(&v));
            let _ = ocsp_staple(&v, Some(&v));
        }
    }

    #[test]
    fn no_scts() {
        let ck = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        let s = scts(None, Some(ck.cert.der()), None);
        assert_eq!(s, Scts::default());
        let s = scts(Some(&[0, 3, 0, 1, 9]), Some(ck.cert.der()), None);
        assert_eq!(s.count, 1);
        assert_eq!(s.sources, vec!["tls_extension"]);
    }

    #[test]
    fn embedded_and_ocsp_lists() {
        // A certificate with the SCT extension (rcgen custom extension: the OCTET STRING
        // around the TLS list is part of the value).
        let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        let list = [0u8, 8, 0, 2, 1, 2, 0, 2, 3, 4];
        let mut value = vec![0x04, list.len() as u8];
        value.extend_from_slice(&list);
        p.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
            &[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2],
            value.clone(),
        )];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = p.self_signed(&key).unwrap();
        // An OCSP-like blob: the extension's OID, then extnValue.
        let mut blob = vec![0x30, 0x00, 0x06, 10, 0x2b, 6, 1, 4, 1, 0xd6, 0x79, 2, 4, 5];
        blob.extend_from_slice(&[0x04, value.len() as u8]);
        blob.extend_from_slice(&value);
        let s = scts(None, Some(cert.der()), Some(&blob));
        assert_eq!(s.count, 4);
        assert_eq!(s.sources, vec!["certificate", "ocsp"]);
    }
}
