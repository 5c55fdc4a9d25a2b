//! Client certificates: whether the server asks for one (CertificateRequest, RFC 5246
//! §7.4.4, RFC 8446 §4.3.2), whether it insists, and what it accepts.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::fullhs::every_group;
use super::probe::{Conn, Flight};
use super::TargetReport;
use crate::crypto::rng::system_rng;
use crate::error::{Alert, AlertLevel};
use crate::event::{Dir, Event};
use crate::handshake::config::ClientConfig;
use crate::handshake::Connection;
use crate::pki::summary::dn_to_string;
use crate::wire::codec::Reader;
use crate::wire::codepoints::{ExtensionType, ProtocolVersion, SignatureScheme};
use crate::wire::extensions::{find, ExtBody};
use crate::wire::handshake::{
    CertificateRequest12, CertificateRequest13, DecodeContext, HandshakeMessage,
};

/// How the server treats client certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthMode {
    None,
    Optional,
    Required,
}

impl ClientAuthMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuthMode::None => "none",
            ClientAuthMode::Optional => "optional",
            ClientAuthMode::Required => "required",
        }
    }
}

/// What the CertificateRequest said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAuth {
    pub mode: ClientAuthMode,
    /// The distinguished names of acceptable CAs, as text.
    pub ca_names: Vec<String>,
    /// The signature schemes named, e.g. "ecdsa_secp256r1_sha256".
    pub signature_algorithms: Vec<String>,
}

/// The lists of a CertificateRequest: acceptable CAs (DER names) and signature schemes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Request {
    authorities: Vec<Vec<u8>>,
    schemes: Vec<SignatureScheme>,
}

impl Request {
    /// A TLS 1.2-or-older CertificateRequest body (RFC 5246 §7.4.4; TLS 1.0/1.1 have no
    /// supported_signature_algorithms, RFC 4346 §7.4.4).
    fn tls12(body: &[u8], version: ProtocolVersion) -> Option<Request> {
        let ctx = DecodeContext { version, kx: None };
        let r = CertificateRequest12::read(&mut Reader::new(body), ctx).ok()?;
        Some(Request {
            authorities: r.authorities,
            schemes: r.signature_algorithms,
        })
    }

    /// A TLS 1.3 CertificateRequest: its signature_algorithms and certificate_authorities
    /// extensions (RFC 8446 §4.3.2, §4.2.3, §4.2.4).
    fn tls13(r: &CertificateRequest13) -> Request {
        let mut out = Request::default();
        if let Some(ExtBody::SignatureAlgorithms(s)) =
            find(&r.extensions, ExtensionType::SIGNATURE_ALGORITHMS).map(|e| &e.body)
        {
            out.schemes = s.clone();
        }
        if let Some(ExtBody::CertificateAuthorities(a)) =
            find(&r.extensions, ExtensionType::CERTIFICATE_AUTHORITIES).map(|e| &e.body)
        {
            out.authorities = a.clone();
        }
        out
    }

    fn report(&self, mode: ClientAuthMode) -> ClientAuth {
        ClientAuth {
            mode,
            ca_names: self.authorities.iter().map(|d| dn_to_string(d)).collect(),
            signature_algorithms: self.schemes.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// What one complete handshake without a client certificate showed.
#[derive(Debug, Default)]
struct Attempt {
    request: Option<Request>,
    /// Our side of the handshake completed.
    completed: bool,
    /// The server went on after our (empty) Certificate: its Finished (TLS 1.2), or a
    /// message, data or close_notify after ours (TLS 1.3).
    proceeded: bool,
    /// The fatal alert the server sent.
    alert: Option<Alert>,
}

impl Attempt {
    fn observe(&mut self, e: &Event) {
        match e {
            Event::Handshake {
                dir: Dir::In, msg, ..
            } => match &**msg {
                HandshakeMessage::CertificateRequest13(r) => self.request = Some(Request::tls13(r)),
                HandshakeMessage::CertificateRequest12(r) => {
                    self.request = Some(Request {
                        authorities: r.authorities.clone(),
                        schemes: r.signature_algorithms.clone(),
                    })
                }
                _ if self.completed => self.proceeded = true,
                _ => {}
            },
            Event::AppData { .. } if self.completed => self.proceeded = true,
            Event::Alert {
                dir: Dir::In,
                level,
                description,
            } => {
                if *level == AlertLevel::Fatal {
                    self.alert.get_or_insert(*description);
                } else if *description == Alert::CloseNotify && self.completed {
                    self.proceeded = true;
                }
            }
            _ => {}
        }
    }

    /// The mode, when the server asked and its answer to our empty Certificate was clear.
    fn mode(&self) -> Option<ClientAuthMode> {
        self.request.as_ref()?;
        match (self.alert, self.completed, self.proceeded) {
            (Some(_), _, _) => Some(ClientAuthMode::Required),
            (None, true, true) => Some(ClientAuthMode::Optional),
            _ => None,
        }
    }
}

/// How long to wait after our TLS 1.3 Finished for the server's verdict on our empty
/// Certificate (its alert, or tickets/close_notify), at most.
const VERDICT_WAIT: Duration = Duration::from_secs(3);

/// One complete handshake at `version` with tlsprobe's client holding no certificate: it
/// answers a CertificateRequest with an empty Certificate (RFC 8446 §4.4.2, RFC 5246
/// §7.4.6), then sends close_notify and reads the server's answer, bounded.
fn attempt(conn: &Conn, sni: &Option<String>, version: ProtocolVersion) -> Attempt {
    let mut out = Attempt::default();
    let _permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    let config = ClientConfig {
        versions: vec![version],
        sni: sni.clone(),
        groups: every_group(),
        ..ClientConfig::default()
    };
    let Ok(client) = Connection::client(config, system_rng()) else {
        return out;
    };
    let Ok(mut d) = conn.endpoint.open_driver(client) else {
        return out;
    };
    let mut sink = |e: &Event| {
        out.observe(e);
        Ok(())
    };
    if d.handshake(&mut sink).is_err() {
        return out;
    }
    out.completed = true;
    // TLS 1.2: the server's Finished came after our Certificate.
    out.proceeded = version < ProtocolVersion::TLS13;
    let mut sink = |e: &Event| {
        out.observe(e);
        Ok(())
    };
    let _ = d.close(&mut sink);
    let deadline = Instant::now() + VERDICT_WAIT.min(conn.endpoint.timeout());
    // Bounded by the deadline: each poll waits at most what is left.
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match d.poll_once(left, &mut sink) {
            Ok(true) => {}
            _ => break,
        }
    }
    out
}

/// Finds the client-certificate mode: a TLS 1.2-or-older CertificateRequest in the probes'
/// flights (`legacy`), then at most two complete handshakes without a certificate (TLS 1.3
/// when the server speaks it, else or failing that the newest older version) telling whether
/// the server goes on without one. No CertificateRequest: "none". Sets `rep.client_auth`, or a
/// note when it could not be told.
pub fn detect(
    conn: &Conn,
    sni: &Option<String>,
    legacy: &[&Flight],
    tls13: bool,
    rep: &mut TargetReport,
) {
    let asked12 = legacy
        .iter()
        .find_map(|f| f.cert_request.as_deref().map(|b| (f.version, b)));
    let req12 = asked12.and_then(|(v, b)| Request::tls12(b, v));
    if asked12.is_none() && !legacy.is_empty() && !tls13 {
        rep.client_auth = Some(Request::default().report(ClientAuthMode::None));
        return;
    }
    let mut seen: Option<Request> = None;
    if tls13 && (asked12.is_some() || legacy.is_empty()) {
        let a = attempt(conn, sni, ProtocolVersion::TLS13);
        if let Some(m) = a.mode() {
            rep.client_auth = a.request.map(|r| r.report(m));
            return;
        }
        if a.completed && a.request.is_none() {
            rep.client_auth = Some(Request::default().report(ClientAuthMode::None));
            return;
        }
        seen = a.request;
    } else if tls13 {
        // TLS 1.2 asks for nothing; the same server configuration applies to TLS 1.3.
        rep.client_auth = Some(Request::default().report(ClientAuthMode::None));
        return;
    }
    if let Some((v, _)) = asked12 {
        let a = attempt(conn, sni, v.min(ProtocolVersion::TLS12));
        if let Some(m) = a.mode() {
            let r = a.request.or(req12).unwrap_or_default();
            rep.client_auth = Some(r.report(m));
            return;
        }
    }
    let why = match seen.or(req12) {
        Some(_) => "the server asks for a client certificate, but no handshake without one got a clear answer (required or optional)",
        None => "no handshake showed whether the server asks for a client certificate",
    };
    rep.notes.push(format!("client_auth unknown: {why}"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codec::Writer;
    use crate::wire::codepoints::ClientCertificateType;

    fn request12(version: ProtocolVersion) -> Vec<u8> {
        let r = CertificateRequest12 {
            certificate_types: vec![ClientCertificateType(1), ClientCertificateType(64)],
            signature_algorithms: if version == ProtocolVersion::TLS12 {
                vec![
                    SignatureScheme::ECDSA_SECP256R1_SHA256,
                    SignatureScheme::RSA_PSS_RSAE_SHA256,
                ]
            } else {
                vec![]
            },
            // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String "Test CA" } } }
            authorities: vec![vec![
                0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x07, b'T',
                b'e', b's', b't', b' ', b'C', b'A',
            ]],
        };
        let mut w = Writer::new();
        r.write(&mut w);
        w.into_bytes()
    }

    #[test]
    fn tls12_requests_are_read_and_named() {
        let b = request12(ProtocolVersion::TLS12);
        let r = Request::tls12(&b, ProtocolVersion::TLS12).unwrap();
        let a = r.report(ClientAuthMode::Optional);
        assert_eq!(a.ca_names, vec!["CN=Test CA".to_string()]);
        assert_eq!(
            a.signature_algorithms,
            vec!["ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256"]
        );
        let b = request12(ProtocolVersion::TLS10);
        let r = Request::tls12(&b, ProtocolVersion::TLS10).unwrap();
        assert!(r.schemes.is_empty());
        // Any truncation is an answer, never a panic.
        let b = request12(ProtocolVersion::TLS12);
        for cut in 0..b.len() {
            assert!(Request::tls12(&b[..cut], ProtocolVersion::TLS12).is_none());
        }
    }

    #[test]
    fn the_mode_needs_a_request_and_a_clear_answer() {
        let mut a = Attempt::default();
        assert_eq!(a.mode(), None);
        a.request = Some(Request::default());
        assert_eq!(a.mode(), None);
        a.completed = true;
        a.proceeded = true;
        assert_eq!(a.mode(), Some(ClientAuthMode::Optional));
        a.alert = Some(Alert::CertificateRequired);
        assert_eq!(a.mode(), Some(ClientAuthMode::Required));
    }
}
