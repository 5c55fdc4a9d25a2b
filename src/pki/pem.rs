//! PEM loading: extract the CERTIFICATE blocks of a PEM text as DER, in order.

use super::error::PkiError;

/// All CERTIFICATE blocks in a PEM text, in order, as DER. Error when there is none or a block is malformed ("no CERTIFICATE block found in FILE" style message without the file name; the caller adds it).
pub fn parse_cert_chain_pem(text: &str) -> Result<Vec<Vec<u8>>, PkiError> {
    let blocks = ::pem::parse_many(text).map_err(|e| PkiError::MalformedPem(e.to_string()))?;
    let certs: Vec<Vec<u8>> = blocks
        .into_iter()
        .filter(|b| matches!(b.tag(), "CERTIFICATE" | "X509 CERTIFICATE"))
        .map(|b| b.into_contents())
        .collect();
    if certs.is_empty() {
        return Err(PkiError::NoCertificateBlock);
    }
    if let Some(i) = certs.iter().position(|c| c.is_empty()) {
        return Err(PkiError::EmptyCertificateBlock(i + 1));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert_pem(cn: &str) -> (String, Vec<u8>) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec![cn.to_string()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, cn);
        let cert = params.self_signed(&key).unwrap();
        (cert.pem(), cert.der().to_vec())
    }

    #[test]
    fn two_blocks_in_order_with_key_and_text_in_between() {
        let (p1, d1) = cert_pem("one.test");
        let (p2, d2) = cert_pem("two.test");
        let key = rcgen::KeyPair::generate().unwrap().serialize_pem();
        let text = format!("subject=CN=one\n{p1}\n{key}\nsome comment\n{p2}");
        let got = parse_cert_chain_pem(&text).unwrap();
        assert_eq!(got, vec![d1, d2]);
    }

    #[test]
    fn crlf_line_endings() {
        let (p1, d1) = cert_pem("crlf.test");
        let text = p1.replace('\n', "\r\n");
        assert_eq!(parse_cert_chain_pem(&text).unwrap(), vec![d1]);
    }

    #[test]
    fn no_block_is_an_error() {
        let e = parse_cert_chain_pem("hello world\n").unwrap_err();
        assert!(matches!(e, PkiError::NoCertificateBlock), "{e:?}");
        assert_eq!(e.to_string(), "no CERTIFICATE block found");
        let key = rcgen::KeyPair::generate().unwrap().serialize_pem();
        assert!(matches!(
            parse_cert_chain_pem(&key).unwrap_err(),
            PkiError::NoCertificateBlock
        ));
        assert!(parse_cert_chain_pem("").is_err());
    }

    #[test]
    fn malformed_block_is_an_error() {
        let bad = "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n";
        let e = parse_cert_chain_pem(bad).unwrap_err();
        assert!(matches!(e, PkiError::MalformedPem(_)), "{e:?}");
        assert!(e.to_string().starts_with("malformed PEM block"), "{e}");
        let unterminated = "-----BEGIN CERTIFICATE-----\nMIIB\n";
        assert!(parse_cert_chain_pem(unterminated).is_err());
    }
}
