//! Trust anchors: the system CA bundle (converted cheaply to webpki anchors), a --ca-file, or the built-in webpki-roots.

use super::error::PkiError;
use base64::Engine as _;
use rustls_pki_types::{CertificateDer, TrustAnchor};
use std::path::{Path, PathBuf};

/// The usual system CA bundle files (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/BSD/macOS).
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/ssl/cert.pem",
];

/// A set of trust anchors and a description of where they came from.
#[derive(Debug, Clone)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor<'static>>,
    source: String,
}

impl TrustStore {
    /// The system store: $SSL_CERT_FILE, the usual bundle files, the platform store, then webpki-roots. Never fails.
    pub fn system() -> TrustStore {
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(f) = std::env::var_os("SSL_CERT_FILE") {
            candidates.push(PathBuf::from(f));
        }
        candidates.extend(SYSTEM_BUNDLES.iter().map(PathBuf::from));
        for path in candidates {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let anchors = anchors_from_pem_lenient(&bytes);
            if !anchors.is_empty() {
                let source = format!(
                    "system store {} ({})",
                    path.display(),
                    plural(anchors.len())
                );
                return TrustStore { anchors, source };
            }
        }
        let native = rustls_native_certs::load_native_certs();
        let anchors: Vec<TrustAnchor<'static>> = native
            .certs
            .iter()
            .filter_map(|c| {
                webpki::anchor_from_trusted_cert(c)
                    .ok()
                    .map(|a| a.to_owned())
            })
            .collect();
        if !anchors.is_empty() {
            let source = format!("system store ({})", plural(anchors.len()));
            return TrustStore { anchors, source };
        }
        Self::webpki_roots()
    }

    /// The Mozilla roots compiled into the binary (webpki-roots).
    pub fn webpki_roots() -> TrustStore {
        let anchors = webpki_roots::TLS_SERVER_ROOTS.to_vec();
        let source = format!("built-in webpki-roots ({})", plural(anchors.len()));
        TrustStore { anchors, source }
    }

    /// The certificates of a PEM file (--ca-file), replacing the store.
    pub fn from_pem_file(path: &Path) -> Result<TrustStore, PkiError> {
        let text = std::fs::read_to_string(path).map_err(|e| PkiError::Read {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let in_file = |e: PkiError| PkiError::InFile {
            path: path.to_path_buf(),
            error: Box::new(e),
        };
        let certs = super::pem::parse_cert_chain_pem(&text).map_err(in_file)?;
        let mut store = Self::from_der_certs(&certs).map_err(in_file)?;
        store.source = format!("--ca-file {} ({})", path.display(), plural(store.len()));
        Ok(store)
    }

    /// Trust exactly these DER certificates.
    pub fn from_der_certs(certs: &[Vec<u8>]) -> Result<TrustStore, PkiError> {
        let mut anchors = Vec::with_capacity(certs.len());
        for (i, der) in certs.iter().enumerate() {
            let der = CertificateDer::from(der.as_slice());
            let anchor =
                webpki::anchor_from_trusted_cert(&der).map_err(|e| PkiError::NotAnAnchor {
                    n: i + 1,
                    detail: format!("{e:?}"),
                })?;
            anchors.push(anchor.to_owned());
        }
        if anchors.is_empty() {
            return Err(PkiError::NoAnchor);
        }
        let source = format!("given certificates ({})", plural(anchors.len()));
        Ok(TrustStore { anchors, source })
    }

    /// Where the anchors came from, e.g. "system store /etc/ssl/certs/ca-certificates.crt (146 anchors)".
    pub fn source(&self) -> String {
        self.source.clone()
    }

    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// The anchors, for webpki path building.
    pub fn anchors(&self) -> &[TrustAnchor<'static>] {
        &self.anchors
    }

    /// The anchor whose subject (DER contents, without the SEQUENCE header) is `subject`.
    pub fn find_by_subject(&self, subject: &[u8]) -> Option<&TrustAnchor<'static>> {
        self.anchors.iter().find(|a| a.subject.as_ref() == subject)
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 anchor".to_string()
    } else {
        format!("{n} anchors")
    }
}

/// Every well-formed CERTIFICATE block of a bundle as a trust anchor; bad blocks are skipped.
/// Only the anchor fields (subject, SPKI, name constraints) are extracted: nothing else is parsed.
fn anchors_from_pem_lenient(bytes: &[u8]) -> Vec<TrustAnchor<'static>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    // `str::find` is a fast substring search; bundles are ASCII (lossy conversion copies only if not UTF-8).
    let text = String::from_utf8_lossy(bytes);
    let mut anchors = Vec::with_capacity(160);
    let mut rest: &str = &text;
    let mut b64 = Vec::with_capacity(4096);
    let mut der = Vec::with_capacity(4096);
    while let Some(start) = rest.find(BEGIN) {
        let body = &rest[start + BEGIN.len()..];
        let Some(end) = body.find(END) else {
            break;
        };
        b64.clear();
        b64.extend(
            body.as_bytes()[..end]
                .iter()
                .filter(|b| !b.is_ascii_whitespace()),
        );
        rest = &body[end + END.len()..];
        der.clear();
        if base64::engine::general_purpose::STANDARD
            .decode_vec(&b64, &mut der)
            .is_err()
        {
            continue;
        }
        let cert = CertificateDer::from(der.as_slice());
        if let Ok(anchor) = webpki::anchor_from_trusted_cert(&cert) {
            anchors.push(anchor.to_owned());
        }
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn ca_pem(cn: &str) -> (String, Vec<u8>) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut p = rcgen::CertificateParams::new(vec![]).unwrap();
        p.distinguished_name.push(rcgen::DnType::CommonName, cn);
        p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let c = p.self_signed(&key).unwrap();
        (c.pem(), c.der().to_vec())
    }

    #[test]
    fn system_store_loads_fast() {
        let t = Instant::now();
        let store = TrustStore::system();
        let first = t.elapsed();
        let t = Instant::now();
        let again = TrustStore::system();
        let second = t.elapsed();
        println!(
            "TrustStore::system(): {} in {:?} (cold), {:?} (warm)",
            store.source(),
            first,
            second
        );
        assert!(!store.is_empty());
        assert_eq!(store.len(), again.len());
        assert!(store.source().contains(&store.len().to_string()));
    }

    #[test]
    fn webpki_roots_fallback() {
        let s = TrustStore::webpki_roots();
        assert!(s.len() > 100);
        assert!(s.source().starts_with("built-in webpki-roots ("));
    }

    #[test]
    fn ca_file() {
        let (p1, d1) = ca_pem("One CA");
        let (p2, _) = ca_pem("Two CA");
        let dir = tempfile::tempdir().unwrap();
        let one = dir.path().join("ca.pem");
        std::fs::write(&one, &p1).unwrap();
        let s = TrustStore::from_pem_file(&one).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(
            s.source(),
            format!("--ca-file {} (1 anchor)", one.display())
        );
        let parsed = crate::pki::summary::parse(&d1).unwrap();
        let subject = crate::pki::summary::der_contents(parsed.subject().as_raw());
        assert!(s.find_by_subject(subject).is_some());

        let two = dir.path().join("two.pem");
        std::fs::write(&two, format!("{p1}{p2}")).unwrap();
        let s = TrustStore::from_pem_file(&two).unwrap();
        assert!(s.source().ends_with("(2 anchors)"));

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "nothing here").unwrap();
        let e = TrustStore::from_pem_file(&empty).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("no CERTIFICATE block found in {}", empty.display())
        );
        let missing = dir.path().join("missing.pem");
        let e = TrustStore::from_pem_file(&missing).unwrap_err();
        assert!(matches!(e, PkiError::Read { .. }), "{e:?}");
        assert!(e.to_string().starts_with("cannot read CA file"));
    }

    #[test]
    fn der_certs() {
        let (_, d) = ca_pem("Der CA");
        let s = TrustStore::from_der_certs(&[d]).unwrap();
        assert_eq!(s.len(), 1);
        assert!(TrustStore::from_der_certs(&[]).is_err());
        let e = TrustStore::from_der_certs(&[vec![1, 2, 3]]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("certificate 1 cannot be used as a trust anchor"),
            "{e}"
        );
    }

    #[test]
    fn lenient_bundle_skips_bad_blocks() {
        let (p1, _) = ca_pem("Good CA");
        let bundle = format!(
            "# comment\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n{p1}\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n"
        );
        assert_eq!(anchors_from_pem_lenient(bundle.as_bytes()).len(), 1);
        assert!(anchors_from_pem_lenient(b"").is_empty());
    }
}
