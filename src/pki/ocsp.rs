//! Stapled OCSP responses (RFC 6960 §4.2.1, delivered per RFC 6066 §8 / RFC 8446 §4.4.2.1):
//! a small DER walk to the fields a user needs: status, produced at, this/next update,
//! responder. The signature is not checked here.

use super::error::PkiError;
use serde::Serialize;

/// What a stapled OCSP response says (worded for the trace by `report::checks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OcspSummary {
    /// responseStatus: successful, malformedRequest, internalError, tryLater, sigRequired, unauthorized.
    pub response_status: String,
    /// good, revoked (with time), unknown; None when the response carries no single response.
    pub cert_status: Option<String>,
    pub produced_at: Option<String>,
    pub this_update: Option<String>,
    pub next_update: Option<String>,
    pub responder: Option<String>,
    /// Serial number of the certificate the response is about (hex).
    pub serial: Option<String>,
}

/// A DER element: tag, contents.
struct Tlv<'a> {
    tag: u8,
    body: &'a [u8],
}

struct Der<'a> {
    b: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(b: &'a [u8]) -> Self {
        Der { b }
    }

    fn next(&mut self) -> Result<Tlv<'a>, PkiError> {
        let b = self.b;
        if b.len() < 2 {
            return Err(PkiError::TruncatedDer);
        }
        let tag = b[0];
        let (len, hdr) = match b[1] {
            n if n < 0x80 => (n as usize, 2),
            0x81 if b.len() >= 3 => (b[2] as usize, 3),
            0x82 if b.len() >= 4 => (((b[2] as usize) << 8) | b[3] as usize, 4),
            0x83 if b.len() >= 5 => (
                ((b[2] as usize) << 16) | ((b[3] as usize) << 8) | b[4] as usize,
                5,
            ),
            _ => return Err(PkiError::UnsupportedDerLength),
        };
        if b.len() < hdr + len {
            return Err(PkiError::DerLengthBeyondData);
        }
        self.b = &b[hdr + len..];
        Ok(Tlv {
            tag,
            body: &b[hdr..hdr + len],
        })
    }

    fn peek_tag(&self) -> Option<u8> {
        self.b.first().copied()
    }

    fn is_empty(&self) -> bool {
        self.b.is_empty()
    }
}

fn expect<'a>(d: &mut Der<'a>, tag: u8, what: &'static str) -> Result<&'a [u8], PkiError> {
    let t = d.next()?;
    if t.tag != tag {
        return Err(PkiError::UnexpectedDerTag { what, tag: t.tag });
    }
    Ok(t.body)
}

/// GeneralizedTime YYYYMMDDHHMMSS[.f]Z as RFC 3339, "YYYY-MM-DDTHH:MM:SSZ" (as every date
/// tlsprobe prints).
fn gtime(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    if s.len() >= 14 && s.is_char_boundary(14) {
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[8..10],
            &s[10..12],
            &s[12..14]
        )
    } else {
        s.into_owned()
    }
}

const STATUS: [&str; 7] = [
    "successful",
    "malformedRequest",
    "internalError",
    "tryLater",
    "(unused status 4)",
    "sigRequired",
    "unauthorized",
];

/// The OID of id-pkix-ocsp-basic (1.3.6.1.5.5.7.48.1.1), DER contents.
const OCSP_BASIC: [u8; 9] = [0x2b, 6, 1, 5, 5, 7, 48, 1, 1];

/// Describes a DER OCSPResponse.
pub fn describe(der: &[u8]) -> Result<OcspSummary, PkiError> {
    let mut top = Der::new(der);
    let mut resp = Der::new(expect(&mut top, 0x30, "OCSPResponse")?);
    let status = expect(&mut resp, 0x0a, "responseStatus")?;
    let code = status.first().copied().unwrap_or(255) as usize;
    let mut out = OcspSummary {
        response_status: STATUS
            .get(code)
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("unknown status {code}")),
        cert_status: None,
        produced_at: None,
        this_update: None,
        next_update: None,
        responder: None,
        serial: None,
    };
    if resp.is_empty() {
        return Ok(out);
    }
    let mut rb = Der::new(expect(&mut resp, 0xa0, "responseBytes")?);
    let mut rb = Der::new(expect(&mut rb, 0x30, "ResponseBytes")?);
    let oid = expect(&mut rb, 0x06, "responseType")?;
    if oid != OCSP_BASIC {
        return Err(PkiError::NotBasicOcsp);
    }
    let basic = expect(&mut rb, 0x04, "response")?;
    let mut basic = Der::new(expect(&mut Der::new(basic), 0x30, "BasicOCSPResponse")?);
    let mut data = Der::new(expect(&mut basic, 0x30, "ResponseData")?);
    if data.peek_tag() == Some(0xa0) {
        data.next()?; // version
    }
    let responder = data.next()?;
    out.responder = Some(match responder.tag {
        0xa1 => {
            use x509_parser::prelude::FromDer;
            x509_parser::x509::X509Name::from_der(responder.body)
                .map(|(_, n)| n.to_string())
                .unwrap_or_else(|_| "(unparsable name)".into())
        }
        0xa2 => {
            let mut k = Der::new(responder.body);
            let h = expect(&mut k, 0x04, "KeyHash")?;
            format!("key hash {}", hex::encode(h))
        }
        t => format!("(unknown responder id tag 0x{t:02x})"),
    });
    out.produced_at = Some(gtime(expect(&mut data, 0x18, "producedAt")?));
    let mut responses = Der::new(expect(&mut data, 0x30, "responses")?);
    if !responses.is_empty() {
        let mut single = Der::new(expect(&mut responses, 0x30, "SingleResponse")?);
        let mut cert_id = Der::new(expect(&mut single, 0x30, "CertID")?);
        cert_id.next()?; // hashAlgorithm
        cert_id.next()?; // issuerNameHash
        cert_id.next()?; // issuerKeyHash
        out.serial = Some(hex::encode(expect(&mut cert_id, 0x02, "serialNumber")?));
        let st = single.next()?;
        out.cert_status = Some(match st.tag {
            0x80 => "good".to_string(),
            0xa1 => {
                let mut r = Der::new(st.body);
                match r.next() {
                    Ok(t) if t.tag == 0x18 => format!("REVOKED at {}", gtime(t.body)),
                    _ => "REVOKED".to_string(),
                }
            }
            0x82 => "unknown to the responder".to_string(),
            t => format!("(unknown status tag 0x{t:02x})"),
        });
        out.this_update = Some(gtime(expect(&mut single, 0x18, "thisUpdate")?));
        if single.peek_tag() == Some(0xa0) {
            let nu = single.next()?;
            let mut n = Der::new(nu.body);
            out.next_update = Some(gtime(expect(&mut n, 0x18, "nextUpdate")?));
        }
    }
    Ok(out)
}

/// The OID of the SCT list extension of an OCSP SingleResponse (1.3.6.1.4.1.11129.2.4.5,
/// RFC 6962 §3.3), DER contents.
const OCSP_SCT_OID: [u8; 10] = [0x2b, 6, 1, 4, 1, 0xd6, 0x79, 2, 4, 5];

/// The contents of one DER OCTET STRING that is the whole of `der`.
pub fn octet_string(der: &[u8]) -> Option<&[u8]> {
    let mut d = Der::new(der);
    let t = d.next().ok()?;
    (t.tag == 0x04 && d.is_empty()).then_some(t.body)
}

/// The SignedCertificateTimestampList (TLS encoding) a stapled OCSP response carries in its
/// singleExtensions (RFC 6962 §3.3: extnValue is an OCTET STRING holding an OCTET STRING of
/// the list). Found by the extension's OID followed by the Extension's remaining fields
/// (critical BOOLEAN, optional; extnValue), so the walk needs no knowledge of the rest of
/// the response; `None` when absent or malformed.
pub fn sct_list(der: &[u8]) -> Option<&[u8]> {
    let mut pat = vec![0x06, OCSP_SCT_OID.len() as u8];
    pat.extend_from_slice(&OCSP_SCT_OID);
    der.windows(pat.len())
        .enumerate()
        .filter(|(_, w)| *w == pat.as_slice())
        .find_map(|(i, _)| {
            let mut d = Der::new(&der[i + pat.len()..]);
            let mut t = d.next().ok()?;
            if t.tag == 0x01 {
                t = d.next().ok()?;
            }
            (t.tag == 0x04).then_some(())?;
            octet_string(t.body)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for n in 0..40 {
            let v: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let _ = describe(&v);
        }
        assert!(
            describe(&[0x30, 0x03, 0x0a, 0x01, 0x01])
                .unwrap()
                .response_status
                == "malformedRequest"
        );
        assert!(describe(&[0x30, 0x80]).is_err());
    }

    /// A response made with `openssl ocsp` (see tests/ocsp.rs for the full round trip).
    #[test]
    fn openssl_response() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let run = |args: &[&str]| {
            std::process::Command::new("openssl")
                .args(args)
                .current_dir(d)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        };
        if !run(&["version"]) {
            eprintln!("skipped: openssl not installed");
            return;
        }
        assert!(run(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=Test CA",
            "-days",
            "30"
        ]));
        assert!(run(&[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=leaf"
        ]));
        assert!(run(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "30"
        ]));
        std::fs::write(d.join("index.txt"), "").unwrap();
        assert!(run(&[
            "ocsp",
            "-issuer",
            "ca.pem",
            "-cert",
            "leaf.pem",
            "-reqout",
            "req.der",
            "-no_nonce"
        ]));
        assert!(run(&[
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            "ca.pem",
            "-rkey",
            "ca.key",
            "-CA",
            "ca.pem",
            "-reqin",
            "req.der",
            "-respout",
            "resp.der",
            "-ndays",
            "7"
        ]));
        let der = std::fs::read(d.join("resp.der")).unwrap();
        let s = describe(&der).unwrap();
        assert_eq!(s.response_status, "successful");
        // The index is empty, so the responder does not know the certificate.
        assert_eq!(s.cert_status.as_deref(), Some("unknown to the responder"));
        assert!(s.responder.as_deref().unwrap().contains("Test CA"), "{s:?}");
        assert!(s.next_update.is_some() && s.this_update.is_some() && s.produced_at.is_some());
    }
}
