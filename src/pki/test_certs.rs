//! Certificates for the unit tests of certificate checking (pki::verify, scan::trust): a CA
//! chain and leaves made with rcgen, valid around the tests' fixed time (2026-06-01).

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};

/// A CA certificate and its key.
pub struct Ca {
    pub cert: Certificate,
    pub key: KeyPair,
}

impl Ca {
    pub fn der(&self) -> Vec<u8> {
        self.cert.der().to_vec()
    }
}

/// A CA named `cn`, self-signed or issued by `issuer`, valid 2020-2040.
pub fn ca(cn: &str, issuer: Option<&Ca>) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(vec![]).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(2020, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    let cert = match issuer {
        Some(i) => p.signed_by(&key, &i.cert, &i.key).unwrap(),
        None => p.self_signed(&key).unwrap(),
    };
    Ca { cert, key }
}

/// What a leaf certificate says; `Default`: leaf.test and 127.0.0.1, 2026-2027, serverAuth.
pub struct Leaf<'a> {
    pub names: &'a [&'a str],
    pub from: (i32, u8, u8),
    pub to: (i32, u8, u8),
    pub eku: Vec<ExtendedKeyUsagePurpose>,
}

impl Default for Leaf<'_> {
    fn default() -> Self {
        Leaf {
            names: &["leaf.test", "127.0.0.1"],
            from: (2026, 1, 1),
            to: (2027, 1, 1),
            eku: vec![ExtendedKeyUsagePurpose::ServerAuth],
        }
    }
}

/// A leaf certificate (CN leaf.test) as `spec` says, self-signed or issued by `issuer`.
pub fn leaf(spec: Leaf<'_>, issuer: Option<&Ca>) -> Vec<u8> {
    let key = KeyPair::generate().unwrap();
    let mut p =
        CertificateParams::new(spec.names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap();
    p.distinguished_name = rcgen::DistinguishedName::new();
    p.distinguished_name.push(DnType::CommonName, "leaf.test");
    p.not_before = rcgen::date_time_ymd(spec.from.0, spec.from.1, spec.from.2);
    p.not_after = rcgen::date_time_ymd(spec.to.0, spec.to.1, spec.to.2);
    p.extended_key_usages = spec.eku;
    match issuer {
        Some(i) => p.signed_by(&key, &i.cert, &i.key).unwrap().der().to_vec(),
        None => p.self_signed(&key).unwrap().der().to_vec(),
    }
}
