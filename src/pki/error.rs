//! Typed errors of the certificate layer: what went wrong reading PEM and DER, generating a
//! self-signed certificate or building a trust store, each written as one sentence here.

use std::fmt;
use std::path::PathBuf;

/// A failure in `pki`. `Display` gives the sentence shown to the user; callers that add
/// context (a file name) wrap it with [`PkiError::InFile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PkiError {
    /// A PEM text that does not parse.
    MalformedPem(String),
    /// A PEM text without a CERTIFICATE block.
    NoCertificateBlock,
    /// CERTIFICATE block `n` (1-based) has no content.
    EmptyCertificateBlock(usize),
    /// DER that is not an X.509 certificate.
    NotX509(String),
    /// A certificate followed by bytes that belong to no DER element.
    TrailingBytes(usize),
    /// A DER element that ends before its header or its length says.
    TruncatedDer,
    /// A DER length form longer than 3 bytes.
    UnsupportedDerLength,
    /// A DER length that reaches past the data.
    DerLengthBeyondData,
    /// An element of `what` (an ASN.1 type name) with another tag than expected.
    UnexpectedDerTag { what: &'static str, tag: u8 },
    /// An OCSP response whose responseType is not id-pkix-ocsp-basic (RFC 6960 §4.2.1).
    NotBasicOcsp,
    /// Key generation or encoding for a self-signed certificate failed.
    KeyGeneration { what: &'static str, detail: String },
    /// A self-signed certificate was asked for an empty name.
    EmptyName,
    /// A name rcgen cannot put in a certificate.
    BadName { name: String, detail: String },
    /// Signing the self-signed certificate failed.
    Signing(String),
    /// Certificate `n` (1-based) cannot be a trust anchor.
    NotAnAnchor { n: usize, detail: String },
    /// A trust store was asked for with no certificate.
    NoAnchor,
    /// A file that cannot be read.
    Read { path: PathBuf, detail: String },
    /// An error about the contents of a file.
    InFile { path: PathBuf, error: Box<PkiError> },
}

impl fmt::Display for PkiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PkiError::MalformedPem(e) => write!(f, "malformed PEM block ({e})"),
            PkiError::NoCertificateBlock => write!(f, "no CERTIFICATE block found"),
            PkiError::EmptyCertificateBlock(n) => write!(f, "CERTIFICATE block {n} is empty"),
            PkiError::NotX509(e) => write!(f, "certificate is not valid DER X.509 ({e})"),
            PkiError::TrailingBytes(n) => write!(
                f,
                "certificate has {n} unexpected trailing bytes after its DER encoding"
            ),
            PkiError::TruncatedDer => write!(f, "truncated DER"),
            PkiError::UnsupportedDerLength => write!(f, "unsupported DER length"),
            PkiError::DerLengthBeyondData => write!(f, "DER length beyond the data"),
            PkiError::UnexpectedDerTag { what, tag } => {
                write!(f, "{what}: unexpected DER tag 0x{tag:02x}")
            }
            PkiError::NotBasicOcsp => write!(f, "not a basic OCSP response"),
            PkiError::KeyGeneration { what, detail } => write!(f, "cannot {what} ({detail})"),
            PkiError::EmptyName => write!(f, "cannot make a certificate for an empty name"),
            PkiError::BadName { name, detail } => {
                write!(f, "cannot use {name:?} as a certificate name ({detail})")
            }
            PkiError::Signing(e) => write!(f, "cannot sign the certificate ({e})"),
            PkiError::NotAnAnchor { n, detail } => {
                write!(
                    f,
                    "certificate {n} cannot be used as a trust anchor ({detail})"
                )
            }
            PkiError::NoAnchor => write!(f, "no certificate to trust"),
            PkiError::Read { path, detail } => {
                write!(f, "cannot read CA file {}: {detail}", path.display())
            }
            PkiError::InFile { path, error } => write!(f, "{error} in {}", path.display()),
        }
    }
}

impl std::error::Error for PkiError {}

/// Lets callers that collect messages (`CliError::usage`, scan notes) take a `PkiError`
/// where they took the sentence before.
impl From<PkiError> for String {
    fn from(e: PkiError) -> String {
        e.to_string()
    }
}
