//! Mozilla's server-side TLS guidelines, embedded (data/mozilla/guidelines-5.8.json, its
//! source in data/mozilla/README.md) and read once with serde_json.

use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded guidelines file, as published.
pub const JSON: &str = include_str!("../../../data/mozilla/guidelines-5.8.json");

/// The file: its version and the three configurations.
#[derive(Debug, Deserialize)]
pub struct Guidelines {
    pub version: f64,
    pub href: String,
    pub configurations: Configurations,
}

#[derive(Debug, Deserialize)]
pub struct Configurations {
    pub modern: Config,
    pub intermediate: Config,
    pub old: Config,
}

/// One configuration (the keys the profile checks use; the others are ignored).
#[derive(Debug, Deserialize)]
pub struct Config {
    /// OpenSSL curve names: "prime256v1", "secp384r1".
    pub certificate_curves: Vec<String>,
    /// OpenSSL signature names: "sha256WithRSAEncryption", "ecdsa-with-SHA256", ...
    pub certificate_signatures: Vec<String>,
    /// "ecdsa", "rsa".
    pub certificate_types: Vec<String>,
    pub ciphers: Ciphers,
    /// TLS 1.3 suites by IANA name.
    pub ciphersuites: Vec<String>,
    pub dh_param_size: Option<usize>,
    pub ecdh_param_size: Option<usize>,
    pub hsts_min_age: u64,
    /// Days.
    pub maximum_certificate_lifespan: i64,
    pub rsa_key_size: Option<usize>,
    /// OpenSSL group names: "X25519MLKEM768", "X25519", "prime256v1", "secp384r1".
    pub tls_curves: Vec<String>,
    /// "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3".
    pub tls_versions: Vec<String>,
}

/// The TLS 1.0-1.2 suites, by IANA and by OpenSSL name.
#[derive(Debug, Deserialize)]
pub struct Ciphers {
    pub iana: Vec<String>,
    pub openssl: Vec<String>,
}

impl Guidelines {
    /// The three configurations by name, strictest first.
    pub fn profiles(&self) -> [(&'static str, &Config); 3] {
        let c = &self.configurations;
        [
            ("modern", &c.modern),
            ("intermediate", &c.intermediate),
            ("old", &c.old),
        ]
    }
}

/// The embedded guidelines (parsed on first use; the file is checked by a unit test, so a
/// parse failure here cannot ship).
pub fn get() -> &'static Guidelines {
    static G: OnceLock<Guidelines> = OnceLock::new();
    G.get_or_init(|| serde_json::from_str(JSON).expect("the embedded Mozilla guidelines parse"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codepoints::NamedGroup;
    use crate::wire::suites::CipherSuite;

    #[test]
    fn the_embedded_file_parses_and_names_known_things() {
        let g = get();
        assert_eq!(g.version, 5.8);
        for (name, c) in g.profiles() {
            for s in c.ciphersuites.iter().chain(&c.ciphers.iana) {
                let cs = CipherSuite::parse_user(s).unwrap_or_else(|| panic!("{name}: {s}"));
                assert_eq!(cs.info().unwrap().iana, s, "{name}");
            }
            // Each IANA name has its OpenSSL twin at the same place (where the registry
            // has an OpenSSL name: not for 3DES, which OpenSSL 3 dropped from its default).
            assert_eq!(c.ciphers.iana.len(), c.ciphers.openssl.len());
            for (i, o) in c.ciphers.iana.iter().zip(&c.ciphers.openssl) {
                let cs = CipherSuite::parse_user(i).unwrap();
                if let Some(ours) = cs.info().unwrap().openssl {
                    assert_eq!(ours, o, "{name}");
                }
            }
            for g in &c.tls_curves {
                assert!(NamedGroup::parse_user(g).is_some(), "{name}: {g}");
            }
            for v in &c.tls_versions {
                assert!(super::super::version(v).is_some(), "{name}: {v}");
            }
        }
    }
}
