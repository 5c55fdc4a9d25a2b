//! Certificates: PEM loading, summaries for display (x509-parser), self-signed certificates (rcgen), chain and host-name verification.
