//! Certificates for the tests, made with `openssl`: one request builder (`CertSpec`) for
//! self-signed and CA-issued certificates, and the run's shared set (`certs()`: a leaf per
//! key type, a small CA and a client certificate it issued). Files go under the target
//! directory, never /tmp.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Key types the tests use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Rsa,
    P256,
    P384,
    Ed25519,
    /// id-RSASSA-PSS, 2048 bits, no parameters.
    RsaPss,
    P521,
    Ed448,
}

impl Key {
    pub const ALL: [Key; 4] = [Key::Rsa, Key::P256, Key::P384, Key::Ed25519];
    /// The key types of issue 15 (tests/key_types.rs).
    pub const MORE: [Key; 3] = [Key::RsaPss, Key::P521, Key::Ed448];

    pub fn name(self) -> &'static str {
        match self {
            Key::Rsa => "rsa",
            Key::P256 => "p256",
            Key::P384 => "p384",
            Key::Ed25519 => "ed25519",
            Key::RsaPss => "rsapss",
            Key::P521 => "p521",
            Key::Ed448 => "ed448",
        }
    }

    /// The `openssl req` arguments making a fresh key of this type.
    fn newkey(self) -> &'static [&'static str] {
        match self {
            Key::Rsa => &["-newkey", "rsa:2048"],
            Key::P256 => &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
            Key::P384 => &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
            Key::Ed25519 => &["-newkey", "ed25519"],
            Key::RsaPss => &["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"],
            Key::P521 => &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521"],
            Key::Ed448 => &["-newkey", "ed448"],
        }
    }

    /// The TLS 1.3 CertificateVerify scheme tlsprobe should report for this key.
    pub fn tls13_scheme(self) -> &'static str {
        match self {
            Key::Rsa => "rsa_pss_rsae_sha256",
            Key::P256 => "ecdsa_secp256r1_sha256",
            Key::P384 => "ecdsa_secp384r1_sha384",
            Key::Ed25519 => "ed25519",
            Key::RsaPss => "rsa_pss_pss_sha256",
            Key::P521 => "ecdsa_secp521r1_sha512",
            Key::Ed448 => "ed448",
        }
    }
}

/// A certificate and its key on disk.
#[derive(Clone, Debug)]
pub struct CertPair {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Runs `openssl ARGS` in `dir`; the test fails with openssl's stderr when it does.
pub fn openssl_in(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A certificate to make: a fresh key of a type, a subject, a validity and X.509v3
/// extensions (in `openssl` configuration syntax, one per entry).
#[derive(Clone, Debug)]
pub struct CertSpec {
    key: Key,
    subject: String,
    days: u32,
    exts: Vec<String>,
}

impl CertSpec {
    /// Subject `/CN=cn`, valid 30 days, no extensions yet.
    pub fn new(key: Key, cn: &str) -> CertSpec {
        CertSpec {
            key,
            subject: format!("/CN={cn}"),
            days: 30,
            exts: vec![],
        }
    }

    pub fn days(mut self, days: u32) -> CertSpec {
        self.days = days;
        self
    }

    /// Adds an extension, e.g. `basicConstraints=critical,CA:FALSE`.
    pub fn ext(mut self, ext: &str) -> CertSpec {
        self.exts.push(ext.to_string());
        self
    }

    fn pair(dir: &Path, stem: &str) -> CertPair {
        CertPair {
            cert: dir.join(format!("{stem}.pem")),
            key: dir.join(format!("{stem}.key")),
        }
    }

    /// `openssl req -x509`: a self-signed certificate in `dir/STEM.pem`, its key in
    /// `dir/STEM.key`.
    pub fn self_signed(&self, dir: &Path, stem: &str) -> CertPair {
        let pair = Self::pair(dir, stem);
        let days = self.days.to_string();
        let mut args = vec!["req", "-x509"];
        args.extend(self.key.newkey());
        args.extend([
            "-nodes",
            "-keyout",
            pair.key.to_str().unwrap(),
            "-out",
            pair.cert.to_str().unwrap(),
            "-days",
            &days,
            "-subj",
            &self.subject,
        ]);
        for e in &self.exts {
            args.extend(["-addext", e]);
        }
        openssl_in(dir, &args);
        pair
    }

    /// A key and request (`openssl req`), then the certificate `ca` issues for it
    /// (`openssl x509 -req`, extensions from `dir/STEM.ext`): `dir/STEM.pem`, `dir/STEM.key`.
    pub fn issued_by(&self, ca: &CertPair, dir: &Path, stem: &str) -> CertPair {
        let pair = Self::pair(dir, stem);
        let csr = dir.join(format!("{stem}.csr"));
        let ext = dir.join(format!("{stem}.ext"));
        let mut args = vec!["req"];
        args.extend(self.key.newkey());
        args.extend([
            "-nodes",
            "-keyout",
            pair.key.to_str().unwrap(),
            "-out",
            csr.to_str().unwrap(),
            "-subj",
            &self.subject,
        ]);
        openssl_in(dir, &args);
        let lines: String = self.exts.iter().map(|e| format!("{e}\n")).collect();
        std::fs::write(&ext, lines).expect("write the extensions file");
        let days = self.days.to_string();
        openssl_in(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                csr.to_str().unwrap(),
                "-CA",
                ca.cert.to_str().unwrap(),
                "-CAkey",
                ca.key.to_str().unwrap(),
                "-CAcreateserial",
                "-days",
                &days,
                "-extfile",
                ext.to_str().unwrap(),
                "-out",
                pair.cert.to_str().unwrap(),
            ],
        );
        pair
    }
}

/// A self-signed end-entity certificate (CA:FALSE) for `cn` and 127.0.0.1 with a fresh `key`,
/// written to `dir/STEM.pem` and `dir/STEM.key`.
pub fn self_signed(dir: &Path, stem: &str, key: Key, cn: &str) -> CertPair {
    CertSpec::new(key, cn)
        .ext("basicConstraints=critical,CA:FALSE")
        .ext(&format!("subjectAltName=DNS:{cn},IP:127.0.0.1"))
        .self_signed(dir, stem)
}

/// A self-signed P-256 certificate for localhost, 127.0.0.1 and ::1 (no basicConstraints),
/// in `dir/cert.pem` and `dir/cert.key`.
pub fn loopback_cert(dir: &Path) -> CertPair {
    CertSpec::new(Key::P256, "localhost")
        .days(2)
        .ext("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1")
        .self_signed(dir, "cert")
}

/// All certificates of one test run.
pub struct Certs {
    pub dir: PathBuf,
    /// Self-signed leaves (CA:FALSE) for localhost and 127.0.0.1, one per key type.
    leaves: Vec<(Key, CertPair)>,
    /// A small CA and a client certificate it issued (for client auth).
    pub ca: CertPair,
    pub client: CertPair,
}

impl Certs {
    pub fn leaf(&self, k: Key) -> &CertPair {
        &self.leaves.iter().find(|(kk, _)| *kk == k).unwrap().1
    }
}

fn make_certs() -> Certs {
    // Under the target directory so a run leaves nothing in /tmp; fresh for every run.
    let dir = scratch().keep();
    let leaves = Key::ALL
        .iter()
        .map(|&k| (k, self_signed(&dir, k.name(), k, "localhost")))
        .collect();
    let ca = CertSpec::new(Key::P256, "tlsprobe test CA")
        .days(2)
        .ext("basicConstraints=critical,CA:TRUE")
        .ext("keyUsage=critical,keyCertSign,cRLSign")
        .self_signed(&dir, "ca");
    let client = CertSpec::new(Key::P256, "test client")
        .days(2)
        .ext("basicConstraints=critical,CA:FALSE")
        .ext("keyUsage=critical,digitalSignature")
        .ext("extendedKeyUsage=clientAuth")
        .issued_by(&ca, &dir, "client");
    Certs {
        ca,
        client,
        dir,
        leaves,
    }
}

/// The run's certificates (made once per test binary).
pub fn certs() -> &'static Certs {
    static C: OnceLock<Certs> = OnceLock::new();
    C.get_or_init(make_certs)
}

/// A fresh empty directory for files of one test (certificates, key logs, sessions), under
/// the target directory; removed when dropped.
pub fn scratch() -> tempfile::TempDir {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&base).unwrap();
    tempfile::Builder::new()
        .prefix("scratch-")
        .tempdir_in(base)
        .unwrap()
}
