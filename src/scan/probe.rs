//! One probe: a connection opened by `net` (along the scan's route), a ClientHello built
//! with the wire codec, the server's first flight (ServerHello or HelloRetryRequest,
//! Certificate, ServerKeyExchange, CertificateStatus, ServerHelloDone) or its alert read back
//! record by record, and close. No handshake is completed, so suites and versions tlsprobe
//! cannot speak are detected too (RFC 8446 §4.1, RFC 5246 §7.4).

use std::sync::atomic::{AtomicUsize, Ordering};

use rand::RngCore;

use crate::error::Alert;
use crate::net::endpoint::Endpoint;
use crate::net::limit::Limits;
use crate::net::raw::{RawConnection, RecordEnd};
use crate::net::OpenError;
use crate::wire::codec::{Reader, Writer};
use crate::wire::codepoints::{
    CompressionMethod, ContentType, EcPointFormat, ExtensionType, HandshakeType, NamedGroup,
    ProtocolVersion, SignatureScheme,
};
use crate::wire::extensions::{find, ExtBody, Extension, ServerNames};
use crate::wire::handshake::{
    split_messages, CertificateStatus, ClientHello, DecodeContext, HandshakeMessage, ServerHello,
};
use crate::wire::record::RecordHeader;
use crate::wire::suites::{CipherSuite, Kx};

/// Most bytes read from one server per probe (a long chain fits; a flood does not).
const MAX_FLIGHT_BYTES: usize = 512 * 1024;

/// What a ClientHello offers.
#[derive(Debug, Clone)]
pub struct Hello {
    /// The version probed: SSL 3.0 .. TLS 1.3.
    pub version: ProtocolVersion,
    pub suites: Vec<CipherSuite>,
    /// supported_groups (TLS 1.0+; RFC 8422 §5.1.1, RFC 8446 §4.2.7).
    pub groups: Vec<NamedGroup>,
    /// TLS 1.3 key shares to send (random but well-formed; RFC 8446 §4.2.8).
    pub key_shares: Vec<NamedGroup>,
    pub sigalgs: Vec<SignatureScheme>,
    pub alpn: Vec<Vec<u8>>,
    pub sni: Option<String>,
    /// Also offer DEFLATE (RFC 3749) to detect compression (CRIME).
    pub deflate: bool,
    /// Append TLS_FALLBACK_SCSV (RFC 7507).
    pub fallback_scsv: bool,
    /// Offer extended_master_secret, renegotiation_info, session_ticket, status_request,
    /// encrypt_then_mac, heartbeat and signed_certificate_timestamp, so one ServerHello tells which the server acknowledges.
    pub feature_exts: bool,
}

/// Signature schemes offered by default (most common first).
pub const DEFAULT_SIGALGS: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_SECP256R1_SHA256,
    SignatureScheme::ECDSA_SECP384R1_SHA384,
    SignatureScheme::ECDSA_SECP521R1_SHA512,
    SignatureScheme::ED25519,
    SignatureScheme::ED448,
    SignatureScheme::RSA_PSS_RSAE_SHA256,
    SignatureScheme::RSA_PSS_RSAE_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA512,
    SignatureScheme::RSA_PSS_PSS_SHA256,
    SignatureScheme::RSA_PSS_PSS_SHA384,
    SignatureScheme::RSA_PSS_PSS_SHA512,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA512,
    SignatureScheme::ECDSA_SHA224,
    SignatureScheme::RSA_PKCS1_SHA224,
    SignatureScheme::DSA_SHA256,
    SignatureScheme::DSA_SHA224,
    SignatureScheme::ECDSA_SHA1,
    SignatureScheme::RSA_PKCS1_SHA1,
    SignatureScheme::DSA_SHA1,
];

/// Groups offered by default in TLS 1.0-1.2 supported_groups (named curves and FFDHE).
pub const DEFAULT_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::X448,
    NamedGroup::SECP521R1,
    NamedGroup::SECP384R1,
    NamedGroup::BRAINPOOLP256R1,
    NamedGroup::BRAINPOOLP384R1,
    NamedGroup::BRAINPOOLP512R1,
    NamedGroup::SECP256K1,
    NamedGroup::SECP224R1,
    NamedGroup::SECP192R1,
    NamedGroup::FFDHE2048,
    NamedGroup::FFDHE3072,
    NamedGroup::FFDHE4096,
    NamedGroup::FFDHE6144,
    NamedGroup::FFDHE8192,
];

/// The groups defined for TLS 1.3 only (draft-ietf-tls-ecdhe-mlkem, draft-connolly-tls-mlkem-
/// key-agreement), listed in TLS 1.3 hellos after `DEFAULT_GROUPS`.
pub const TLS13_ONLY_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519MLKEM768,
    NamedGroup::SECP256R1MLKEM768,
    NamedGroup::SECP384R1MLKEM1024,
    NamedGroup::MLKEM768,
    NamedGroup::MLKEM1024,
    NamedGroup::MLKEM512,
];

impl Hello {
    /// A hello for `version` offering `suites` with the default groups and signature schemes.
    pub fn new(version: ProtocolVersion, suites: Vec<CipherSuite>, sni: Option<String>) -> Self {
        let tls13 = version == ProtocolVersion::TLS13;
        Hello {
            version,
            suites,
            // A TLS 1.3 hello must not offer the obsolete groups (RFC 8446 §4.2.7): servers
            // that enforce it refuse the whole hello. It lists the ML-KEM groups too (after
            // the others, without a share: a server that takes only those answers with a
            // HelloRetryRequest, which still tells its version and suite).
            groups: DEFAULT_GROUPS
                .iter()
                .copied()
                .filter(|g| !tls13 || !g.obsolete_in_tls13())
                .chain(TLS13_ONLY_GROUPS.iter().copied().filter(|_| tls13))
                .collect(),
            key_shares: if tls13 {
                vec![NamedGroup::X25519]
            } else {
                vec![]
            },
            sigalgs: DEFAULT_SIGALGS.to_vec(),
            alpn: vec![],
            sni,
            deflate: !tls13,
            fallback_scsv: false,
            feature_exts: !tls13,
        }
    }

    /// The ClientHello message.
    pub fn client_hello(&self) -> ClientHello {
        let mut random = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut random);
        let ssl3 = self.version == ProtocolVersion::SSL3;
        let tls13 = self.version == ProtocolVersion::TLS13;
        let mut suites = self.suites.clone();
        if ssl3 {
            // No extensions in SSL 3.0: signal secure renegotiation with the SCSV (RFC 5746 §3.3).
            suites.push(CipherSuite::EMPTY_RENEGOTIATION_INFO_SCSV);
        }
        if self.fallback_scsv {
            suites.push(CipherSuite::FALLBACK_SCSV);
        }
        let mut compression = vec![];
        if self.deflate && !tls13 {
            compression.push(CompressionMethod::DEFLATE);
        }
        compression.push(CompressionMethod::NULL);
        // No extensions in SSL 3.0.
        let exts = if ssl3 { vec![] } else { self.extensions() };
        ClientHello {
            extensions_absent: false,
            // TLS 1.3 keeps legacy_version 0x0303 (RFC 8446 §4.1.2).
            version: if tls13 {
                ProtocolVersion::TLS12
            } else {
                self.version
            },
            random,
            session_id: if tls13 { random.to_vec() } else { vec![] },
            cipher_suites: suites,
            compression_methods: compression,
            extensions: exts,
        }
    }

    /// The extensions of a TLS 1.0+ hello, in the order common clients send them.
    fn extensions(&self) -> Vec<Extension> {
        let mut exts = vec![];
        if let Some(name) = &self.sni {
            exts.push(Extension::new(
                ExtensionType::SERVER_NAME,
                ExtBody::ServerName(ServerNames::host(name)),
            ));
        }
        if !self.groups.is_empty() {
            exts.push(Extension::new(
                ExtensionType::SUPPORTED_GROUPS,
                ExtBody::SupportedGroups(self.groups.clone()),
            ));
            exts.push(Extension::new(
                ExtensionType::EC_POINT_FORMATS,
                ExtBody::EcPointFormats(vec![EcPointFormat::UNCOMPRESSED]),
            ));
        }
        // signature_algorithms exists from TLS 1.2 on (RFC 5246 §7.4.1.4.1).
        if self.version >= ProtocolVersion::TLS12 && !self.sigalgs.is_empty() {
            exts.push(Extension::new(
                ExtensionType::SIGNATURE_ALGORITHMS,
                ExtBody::SignatureAlgorithms(self.sigalgs.clone()),
            ));
        }
        if !self.alpn.is_empty() {
            exts.push(Extension::new(
                ExtensionType::ALPN,
                ExtBody::Alpn(self.alpn.clone()),
            ));
        }
        if self.feature_exts {
            exts.extend(feature_extensions());
        }
        if self.version == ProtocolVersion::TLS13 {
            exts.extend(self.tls13_extensions());
        }
        exts
    }

    /// supported_versions, psk_key_exchange_modes and key_share (RFC 8446 §4.2.1, §4.2.9,
    /// §4.2.8).
    fn tls13_extensions(&self) -> [Extension; 3] {
        let shares = self
            .key_shares
            .iter()
            .map(|&g| (g, fake_key_share(g)))
            .collect();
        [
            Extension::new(
                ExtensionType::SUPPORTED_VERSIONS,
                ExtBody::SupportedVersionsClient(vec![ProtocolVersion::TLS13]),
            ),
            Extension::new(
                ExtensionType::PSK_KEY_EXCHANGE_MODES,
                ExtBody::PskKeyExchangeModes(vec![
                    crate::wire::codepoints::PskKeyExchangeMode::PSK_DHE_KE,
                ]),
            ),
            Extension::new(ExtensionType::KEY_SHARE, ExtBody::KeyShareClient(shares)),
        ]
    }

    /// The hello as records (record version 0x0300 for SSL 3.0, else 0x0301 as common
    /// clients send; RFC 8446 §5.1).
    pub fn to_records(&self) -> Vec<u8> {
        let msg = HandshakeMessage::ClientHello(self.client_hello()).encode();
        let rv = if self.version == ProtocolVersion::SSL3 {
            ProtocolVersion::SSL3
        } else {
            ProtocolVersion::TLS10
        };
        let mut w = Writer::new();
        for chunk in msg.chunks(16384) {
            let h = RecordHeader {
                content_type: ContentType::HANDSHAKE,
                version: rv,
                length: chunk.len() as u16,
            };
            w.bytes(&h.encode()).bytes(chunk);
        }
        w.into_bytes()
    }
}

/// Extensions whose acknowledgement in a ServerHello is a feature: extended_master_secret
/// (RFC 7627), renegotiation_info (RFC 5746), session_ticket (RFC 5077), status_request
/// (RFC 6066 §8), encrypt_then_mac (RFC 7366), heartbeat (RFC 6520) and
/// signed_certificate_timestamp (RFC 6962 §3.3.1: empty in the hello; a server with SCTs
/// answers with their list in its ServerHello).
fn feature_extensions() -> [Extension; 7] {
    [
        Extension::new(
            ExtensionType::EXTENDED_MASTER_SECRET,
            ExtBody::ExtendedMasterSecret,
        ),
        Extension::new(
            ExtensionType::RENEGOTIATION_INFO,
            ExtBody::RenegotiationInfo(vec![]),
        ),
        Extension::new(
            ExtensionType::SESSION_TICKET,
            ExtBody::SessionTicket(vec![]),
        ),
        Extension::new(ExtensionType::STATUS_REQUEST, ExtBody::ocsp_request()),
        Extension::new(ExtensionType::ENCRYPT_THEN_MAC, ExtBody::EncryptThenMac),
        // peer_allowed_to_send (RFC 6520 §2).
        Extension::new(ExtensionType::HEARTBEAT, ExtBody::Heartbeat(1)),
        Extension::new(
            ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP,
            ExtBody::SignedCertificateTimestamp(vec![]),
        ),
    ]
}

/// A well-formed but throw-away key share: random x25519/x448 strings, an uncompressed point
/// shape for the NIST curves, random DH values, and ML-KEM-768 encapsulation key || x25519
/// for the hybrid (draft-ietf-tls-ecdhe-mlkem). The scan never finishes the handshake.
pub fn fake_key_share(g: NamedGroup) -> Vec<u8> {
    // Real points for the curves tlsprobe implements: a server that validates the share
    // before answering (as RFC 8446 §4.2.8.2 asks) must not refuse the probe for it.
    if matches!(
        g,
        NamedGroup::X25519 | NamedGroup::SECP256R1 | NamedGroup::SECP384R1
    ) {
        let mut rng = crate::crypto::rng::system_rng();
        if let Ok(k) = crate::crypto::kx::EphemeralKey::generate(g, &mut rng) {
            return k.public_key();
        }
    }
    let len = match g {
        NamedGroup::X25519 => 32,
        NamedGroup::X448 => 56,
        NamedGroup::SECP256R1 => 65,
        NamedGroup::SECP384R1 => 97,
        NamedGroup::SECP521R1 => 133,
        NamedGroup::FFDHE2048 => 256,
        NamedGroup::FFDHE3072 => 384,
        NamedGroup::FFDHE4096 => 512,
        NamedGroup::FFDHE6144 => 768,
        NamedGroup::FFDHE8192 => 1024,
        NamedGroup::X25519MLKEM768 => 1216,
        NamedGroup::SECP256R1MLKEM768 => 1184 + 65,
        NamedGroup::SECP384R1MLKEM1024 => 1568 + 97,
        _ => 32,
    };
    let mut v = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut v);
    match g {
        NamedGroup::SECP256R1 | NamedGroup::SECP384R1 | NamedGroup::SECP521R1 => v[0] = 4,
        NamedGroup::SECP256R1MLKEM768 => v[0] = 4,
        NamedGroup::SECP384R1MLKEM1024 => v[0] = 4,
        _ => {}
    }
    if matches!(
        g,
        NamedGroup::FFDHE2048
            | NamedGroup::FFDHE3072
            | NamedGroup::FFDHE4096
            | NamedGroup::FFDHE6144
            | NamedGroup::FFDHE8192
    ) {
        // Keep 1 < y < p - 1: clear the top bit.
        v[0] &= 0x7f;
    }
    v
}

/// What the ServerKeyExchange revealed (RFC 8422 §5.4, RFC 5246 §7.4.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkeInfo {
    pub group: Option<NamedGroup>,
    /// Size of the DHE prime in bits.
    pub dh_bits: Option<usize>,
    /// The DHE prime itself (dh_p, big-endian), to name its group (`scan::dh`).
    pub dh_p: Option<Vec<u8>>,
    /// The TLS 1.2 signature scheme.
    pub scheme: Option<SignatureScheme>,
}

/// The server's answer up to what the scan needs.
#[derive(Debug, Clone)]
pub struct Flight {
    pub hello: ServerHello,
    /// Negotiated version (supported_versions for TLS 1.3, else ServerHello.version).
    pub version: ProtocolVersion,
    pub hrr: bool,
    /// DER certificates of a plaintext (TLS 1.2 and older) Certificate message.
    pub certs: Vec<Vec<u8>>,
    pub ske: Option<SkeInfo>,
    pub ocsp_stapled: bool,
    /// The OCSPResponse of a CertificateStatus message (RFC 6066 §8), DER.
    pub ocsp_response: Option<Vec<u8>>,
    /// The body of a plaintext (TLS 1.2 and older) CertificateRequest (RFC 5246 §7.4.4).
    pub cert_request: Option<Vec<u8>>,
}

impl Flight {
    pub fn suite(&self) -> CipherSuite {
        self.hello.cipher_suite
    }

    pub fn has_ext(&self, t: ExtensionType) -> bool {
        find(&self.hello.extensions, t).is_some()
    }

    /// The group chosen in a TLS 1.3 ServerHello or asked for in a HelloRetryRequest.
    pub fn key_share_group(&self) -> Option<NamedGroup> {
        match find(&self.hello.extensions, ExtensionType::KEY_SHARE).map(|e| &e.body) {
            Some(ExtBody::KeyShareServer(g, _)) | Some(ExtBody::KeyShareHrr(g)) => Some(*g),
            _ => None,
        }
    }

    pub fn alpn(&self) -> Option<Vec<u8>> {
        match find(&self.hello.extensions, ExtensionType::ALPN).map(|e| &e.body) {
            Some(ExtBody::Alpn(p)) => p.first().cloned(),
            _ => None,
        }
    }
}

/// How a probe ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Hello(Box<Flight>),
    /// The server sent an alert (any level) instead of a ServerHello.
    Alert(Alert),
    /// The connection closed without a ServerHello.
    Closed,
    /// No (complete) answer within the timeout.
    Timeout,
    /// The server's bytes were not a TLS answer.
    Malformed(String),
}

/// Where and how to connect, shared by all probes of one target: every connection goes
/// through the endpoint (`net`), one permit of the global limits and one count each.
pub struct Conn<'a> {
    pub endpoint: Endpoint,
    pub limits: &'a Limits,
    pub count: AtomicUsize,
}

impl Conn<'_> {
    /// Sends `hello` and reads the answer. `full`: for a TLS 1.2-or-older ServerHello also
    /// read the rest of the flight (Certificate, ServerKeyExchange) up to ServerHelloDone.
    pub fn probe(&self, hello: &Hello, full: bool) -> Result<Outcome, OpenError> {
        let _permit = self.limits.begin();
        self.count.fetch_add(1, Ordering::Relaxed);
        let mut c = self.endpoint.open_raw(MAX_FLIGHT_BYTES)?;
        if c.send(&hello.to_records()).is_err() {
            return Ok(Outcome::Closed);
        }
        Ok(read_flight(&mut c, full))
    }
}

/// What a record that ended the reading means: a partial flight after a ServerHello still
/// tells what we need.
fn ended(flight: Option<Flight>, end: RecordEnd) -> Outcome {
    if let Some(f) = flight {
        return Outcome::Hello(Box::new(f));
    }
    match end {
        RecordEnd::Closed => Outcome::Closed,
        RecordEnd::Timeout => Outcome::Timeout,
        RecordEnd::TooMuch => {
            Outcome::Malformed("the server sent too much before a ServerHello".into())
        }
        RecordEnd::Malformed(e) => Outcome::Malformed(e.message),
    }
}

fn read_flight(c: &mut RawConnection, full: bool) -> Outcome {
    let mut hs_buf: Vec<u8> = vec![];
    let mut flight: Option<Flight> = None;
    loop {
        let (h, body) = match c.next_record() {
            Ok(r) => r,
            Err(end) => return ended(flight, end),
        };
        match h.content_type {
            ContentType::ALERT => {
                if let Some(f) = flight {
                    return Outcome::Hello(Box::new(f));
                }
                return match body.get(1) {
                    Some(&d) => Outcome::Alert(Alert::from_u8(d)),
                    None => Outcome::Malformed("truncated alert".into()),
                };
            }
            ContentType::HANDSHAKE => {
                hs_buf.extend_from_slice(&body);
                let msgs = match split_messages(&mut hs_buf) {
                    Ok(m) => m,
                    Err(e) => {
                        return match flight {
                            Some(f) => Outcome::Hello(Box::new(f)),
                            None => Outcome::Malformed(e.message),
                        }
                    }
                };
                for (typ, body, _) in msgs {
                    match &mut flight {
                        None => {
                            if typ != HandshakeType::SERVER_HELLO {
                                return Outcome::Malformed(format!(
                                    "expected server_hello, got {typ}"
                                ));
                            }
                            let ctx = DecodeContext {
                                version: ProtocolVersion::TLS12,
                                kx: None,
                            };
                            let sh = match HandshakeMessage::decode(typ, &body, ctx) {
                                Ok(HandshakeMessage::ServerHello(sh)) => sh,
                                Ok(_) => return Outcome::Malformed("not a server_hello".into()),
                                Err(e) => return Outcome::Malformed(e.message),
                            };
                            let hrr = sh.is_hello_retry_request();
                            let version =
                                match find(&sh.extensions, ExtensionType::SUPPORTED_VERSIONS)
                                    .map(|e| &e.body)
                                {
                                    Some(ExtBody::SupportedVersionsServer(v)) => *v,
                                    _ => sh.version,
                                };
                            let f = Flight {
                                hello: sh,
                                version,
                                hrr,
                                certs: vec![],
                                ske: None,
                                ocsp_stapled: false,
                                ocsp_response: None,
                                cert_request: None,
                            };
                            if !full || hrr || version >= ProtocolVersion::TLS13 {
                                return Outcome::Hello(Box::new(f));
                            }
                            flight = Some(f);
                        }
                        Some(f) => match typ {
                            HandshakeType::CERTIFICATE => {
                                f.certs = parse_certificate12(&body);
                            }
                            HandshakeType::SERVER_KEY_EXCHANGE => {
                                let kx = f.suite().info().map(|i| i.kx);
                                f.ske = parse_ske(&body, kx, f.version);
                            }
                            HandshakeType::CERTIFICATE_STATUS => {
                                f.ocsp_stapled = true;
                                f.ocsp_response = CertificateStatus::read(&mut Reader::new(&body))
                                    .ok()
                                    .filter(|s| s.status_type == 1)
                                    .map(|s| s.response);
                            }
                            HandshakeType::CERTIFICATE_REQUEST => {
                                f.cert_request = Some(body.to_vec());
                                return Outcome::Hello(Box::new(flight.take().expect("set")));
                            }
                            HandshakeType::SERVER_HELLO_DONE => {
                                return Outcome::Hello(Box::new(flight.take().expect("set")));
                            }
                            _ => {}
                        },
                    }
                }
            }
            // ChangeCipherSpec (TLS 1.3 middlebox compatibility) and anything else: skip.
            _ => {}
        }
    }
}

/// The certificate_list of a TLS 1.2 Certificate message (RFC 5246 §7.4.2); empty on error.
fn parse_certificate12(body: &[u8]) -> Vec<Vec<u8>> {
    let mut r = Reader::new(body);
    let mut out = vec![];
    let Ok(mut list) = r.sub24("certificate_list") else {
        return out;
    };
    while !list.is_empty() {
        match list.vec24("certificate") {
            Ok(der) if !der.is_empty() => out.push(der.to_vec()),
            _ => break,
        }
    }
    out
}

/// The parameters of a ServerKeyExchange: ECDHE (RFC 8422 §5.4) or DHE (RFC 5246 §7.4.3);
/// the signature algorithm field exists from TLS 1.2 on.
pub fn parse_ske(body: &[u8], kx: Option<Kx>, version: ProtocolVersion) -> Option<SkeInfo> {
    let mut r = Reader::new(body);
    let mut info = SkeInfo::default();
    match kx? {
        Kx::Ecdhe => {
            if r.u8("curve_type").ok()? != 3 {
                return None;
            }
            info.group = Some(NamedGroup(r.u16("named_curve").ok()?));
            r.vec8("public").ok()?;
        }
        Kx::Dhe => {
            let p = r.vec16("dh_p").ok()?;
            r.vec16("dh_g").ok()?;
            r.vec16("dh_Ys").ok()?;
            info.dh_bits = Some(super::dh::prime_bits(p));
            info.dh_p = Some(p.to_vec());
        }
        _ => return None,
    }
    if version >= ProtocolVersion::TLS12 && r.remaining() >= 4 {
        info.scheme = r.u16("scheme").ok().map(SignatureScheme);
    }
    Some(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::record::HEADER_LEN;

    #[test]
    fn hello_encodes_and_decodes() {
        for v in [
            ProtocolVersion::SSL3,
            ProtocolVersion::TLS10,
            ProtocolVersion::TLS12,
            ProtocolVersion::TLS13,
        ] {
            let mut h = Hello::new(v, vec![CipherSuite(0xc02f), CipherSuite(0x1301)], None);
            h.key_shares = vec![NamedGroup::X25519MLKEM768, NamedGroup::SECP384R1];
            h.sni = Some("example.com".into());
            let rec = h.to_records();
            let body = &rec[HEADER_LEN + 4..];
            let m = HandshakeMessage::decode(
                HandshakeType::CLIENT_HELLO,
                body,
                DecodeContext {
                    version: ProtocolVersion::TLS12,
                    kx: None,
                },
            )
            .unwrap();
            let HandshakeMessage::ClientHello(ch) = m else {
                panic!()
            };
            assert_eq!(ch.extensions.is_empty(), v == ProtocolVersion::SSL3);
        }
    }

    #[test]
    fn ske_parsing_is_total() {
        let ec = [3u8, 0, 29, 2, 9, 9, 4, 3, 0, 1, 7];
        let i = parse_ske(&ec, Some(Kx::Ecdhe), ProtocolVersion::TLS12).unwrap();
        assert_eq!(i.group, Some(NamedGroup::X25519));
        assert_eq!(i.scheme, Some(SignatureScheme::ECDSA_SECP256R1_SHA256));
        for cut in 0..ec.len() {
            let _ = parse_ske(&ec[..cut], Some(Kx::Ecdhe), ProtocolVersion::TLS12);
            let _ = parse_ske(&ec[..cut], Some(Kx::Dhe), ProtocolVersion::TLS12);
        }
        let dh = [0u8, 2, 0x01, 0xff, 0, 1, 2, 0, 1, 5];
        let i = parse_ske(&dh, Some(Kx::Dhe), ProtocolVersion::TLS11).unwrap();
        assert_eq!(i.dh_bits, Some(9));
    }
}
