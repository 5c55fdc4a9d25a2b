//! Certificates: PEM loading, summaries for display (x509-parser), self-signed certificates (rcgen), chain and host-name verification.

pub mod algs;
pub mod error;
pub mod ocsp;
pub mod pem;
pub mod selfsigned;
pub mod summary;
#[cfg(test)]
pub(crate) mod test_certs;
pub mod trust;
pub mod verify;
