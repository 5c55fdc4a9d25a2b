//! Code-point registries as newtypes with named constants (IANA TLS parameters;
//! RFC 8446 §4, RFC 5246 §7.4, RFC 8422, RFC 7919). Unknown values are kept and print as hex.

use std::fmt;

/// True for the GREASE values of RFC 8701 (0x0a0a, 0x1a1a, ... 0xfafa).
pub fn is_grease_u16(v: u16) -> bool {
    (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff)
}

macro_rules! codepoint {
    (
        $(#[$meta:meta])*
        $name:ident($ty:ty), $hexw:tt {
            $( $cname:ident = $val:expr => $str:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $ty);

        impl $name {
            $( pub const $cname: $name = $name($val); )*

            /// Every named value, in registry order.
            pub const ALL: &'static [$name] = &[$( $name($val) ),*];

            /// The registry name, when this value has one.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $val => Some($str), )*
                    _ => None,
                }
            }

            /// Looks a value up by its registry name (case-insensitive).
            pub fn from_name(s: &str) -> Option<$name> {
                $( if s.eq_ignore_ascii_case($str) { return Some($name($val)); } )*
                None
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(f, "unknown(0x{:0w$x})", self.0, w = $hexw),
                }
            }
        }
    };
}

codepoint! {
    /// Record content types (RFC 8446 §5.1).
    ContentType(u8), 2 {
        CHANGE_CIPHER_SPEC = 20 => "change_cipher_spec",
        ALERT = 21 => "alert",
        HANDSHAKE = 22 => "handshake",
        APPLICATION_DATA = 23 => "application_data",
        HEARTBEAT = 24 => "heartbeat",
    }
}

codepoint! {
    /// Handshake message types (RFC 8446 §4, RFC 5246 §7.4).
    HandshakeType(u8), 2 {
        HELLO_REQUEST = 0 => "hello_request",
        CLIENT_HELLO = 1 => "client_hello",
        SERVER_HELLO = 2 => "server_hello",
        NEW_SESSION_TICKET = 4 => "new_session_ticket",
        END_OF_EARLY_DATA = 5 => "end_of_early_data",
        ENCRYPTED_EXTENSIONS = 8 => "encrypted_extensions",
        CERTIFICATE = 11 => "certificate",
        SERVER_KEY_EXCHANGE = 12 => "server_key_exchange",
        CERTIFICATE_REQUEST = 13 => "certificate_request",
        SERVER_HELLO_DONE = 14 => "server_hello_done",
        CERTIFICATE_VERIFY = 15 => "certificate_verify",
        CLIENT_KEY_EXCHANGE = 16 => "client_key_exchange",
        FINISHED = 20 => "finished",
        CERTIFICATE_STATUS = 22 => "certificate_status",
        KEY_UPDATE = 24 => "key_update",
        MESSAGE_HASH = 254 => "message_hash",
    }
}

codepoint! {
    /// Protocol versions as they appear on the wire.
    ProtocolVersion(u16), 4 {
        SSL3 = 0x0300 => "SSL 3.0",
        TLS10 = 0x0301 => "TLS 1.0",
        TLS11 = 0x0302 => "TLS 1.1",
        TLS12 = 0x0303 => "TLS 1.2",
        TLS13 = 0x0304 => "TLS 1.3",
    }
}

codepoint! {
    /// Supported groups (RFC 8446 §4.2.7, RFC 8422, RFC 7919, draft-ietf-tls-ecdhe-mlkem).
    NamedGroup(u16), 4 {
        SECT163K1 = 1 => "sect163k1",
        SECT163R2 = 3 => "sect163r2",
        SECT233K1 = 6 => "sect233k1",
        SECT233R1 = 7 => "sect233r1",
        SECT283K1 = 9 => "sect283k1",
        SECT283R1 = 10 => "sect283r1",
        SECT409K1 = 11 => "sect409k1",
        SECT409R1 = 12 => "sect409r1",
        SECT571K1 = 13 => "sect571k1",
        SECT571R1 = 14 => "sect571r1",
        SECP160K1 = 15 => "secp160k1",
        SECP192K1 = 18 => "secp192k1",
        SECP192R1 = 19 => "secp192r1",
        SECP224K1 = 20 => "secp224k1",
        SECP224R1 = 21 => "secp224r1",
        SECP256K1 = 22 => "secp256k1",
        SECP256R1 = 23 => "secp256r1",
        SECP384R1 = 24 => "secp384r1",
        SECP521R1 = 25 => "secp521r1",
        BRAINPOOLP256R1 = 26 => "brainpoolP256r1",
        BRAINPOOLP384R1 = 27 => "brainpoolP384r1",
        BRAINPOOLP512R1 = 28 => "brainpoolP512r1",
        X25519 = 29 => "x25519",
        X448 = 30 => "x448",
        BRAINPOOLP256R1TLS13 = 31 => "brainpoolP256r1tls13",
        BRAINPOOLP384R1TLS13 = 32 => "brainpoolP384r1tls13",
        BRAINPOOLP512R1TLS13 = 33 => "brainpoolP512r1tls13",
        FFDHE2048 = 256 => "ffdhe2048",
        FFDHE3072 = 257 => "ffdhe3072",
        FFDHE4096 = 258 => "ffdhe4096",
        FFDHE6144 = 259 => "ffdhe6144",
        FFDHE8192 = 260 => "ffdhe8192",
        MLKEM512 = 0x0200 => "MLKEM512",
        MLKEM768 = 0x0201 => "MLKEM768",
        MLKEM1024 = 0x0202 => "MLKEM1024",
        SECP256R1MLKEM768 = 0x11eb => "SecP256r1MLKEM768",
        X25519MLKEM768 = 0x11ec => "X25519MLKEM768",
        SECP384R1MLKEM1024 = 0x11ed => "SecP384r1MLKEM1024",
        X25519KYBER768DRAFT00 = 0x6399 => "X25519Kyber768Draft00",
    }
}

impl NamedGroup {
    /// RFC 8446 §4.2.7 (Appendix B.3.1.4): the obsolete_RESERVED groups (the TLS 1.2 curves
    /// other than secp256r1/384r1/521r1 and the explicit-curve codes) MUST NOT be offered or
    /// negotiated in TLS 1.3.
    pub fn obsolete_in_tls13(self) -> bool {
        matches!(self.0, 0x0001..=0x0016 | 0x001a..=0x001c | 0xff01..=0xff02)
    }

    /// Parses a user-given group name: the registry's (case-insensitive), OpenSSL's aliases
    /// `P-256`, `P-384`, `P-521` (and `prime256v1`), and `ML-KEM-768` style names for the pure
    /// ML-KEM groups.
    pub fn parse_user(s: &str) -> Option<NamedGroup> {
        match s.to_ascii_lowercase().as_str() {
            "p-256" | "p256" | "prime256v1" => Some(NamedGroup::SECP256R1),
            "p-384" | "p384" => Some(NamedGroup::SECP384R1),
            "p-521" | "p521" => Some(NamedGroup::SECP521R1),
            "ml-kem-512" => Some(NamedGroup::MLKEM512),
            "ml-kem-768" => Some(NamedGroup::MLKEM768),
            "ml-kem-1024" => Some(NamedGroup::MLKEM1024),
            _ => NamedGroup::from_name(s),
        }
    }
}

codepoint! {
    /// Signature schemes (RFC 8446 §4.2.3; the TLS 1.2 hash/signature pairs of RFC 5246 §7.4.1.4.1
    /// share the same code points).
    SignatureScheme(u16), 4 {
        RSA_PKCS1_MD5 = 0x0101 => "rsa_pkcs1_md5",
        RSA_PKCS1_SHA1 = 0x0201 => "rsa_pkcs1_sha1",
        DSA_SHA1 = 0x0202 => "dsa_sha1",
        ECDSA_SHA1 = 0x0203 => "ecdsa_sha1",
        RSA_PKCS1_SHA224 = 0x0301 => "rsa_pkcs1_sha224",
        DSA_SHA224 = 0x0302 => "dsa_sha224",
        ECDSA_SHA224 = 0x0303 => "ecdsa_sha224",
        RSA_PKCS1_SHA256 = 0x0401 => "rsa_pkcs1_sha256",
        DSA_SHA256 = 0x0402 => "dsa_sha256",
        ECDSA_SECP256R1_SHA256 = 0x0403 => "ecdsa_secp256r1_sha256",
        RSA_PKCS1_SHA384 = 0x0501 => "rsa_pkcs1_sha384",
        DSA_SHA384 = 0x0502 => "dsa_sha384",
        ECDSA_SECP384R1_SHA384 = 0x0503 => "ecdsa_secp384r1_sha384",
        RSA_PKCS1_SHA512 = 0x0601 => "rsa_pkcs1_sha512",
        DSA_SHA512 = 0x0602 => "dsa_sha512",
        ECDSA_SECP521R1_SHA512 = 0x0603 => "ecdsa_secp521r1_sha512",
        RSA_PSS_RSAE_SHA256 = 0x0804 => "rsa_pss_rsae_sha256",
        RSA_PSS_RSAE_SHA384 = 0x0805 => "rsa_pss_rsae_sha384",
        RSA_PSS_RSAE_SHA512 = 0x0806 => "rsa_pss_rsae_sha512",
        ED25519 = 0x0807 => "ed25519",
        ED448 = 0x0808 => "ed448",
        RSA_PSS_PSS_SHA256 = 0x0809 => "rsa_pss_pss_sha256",
        RSA_PSS_PSS_SHA384 = 0x080a => "rsa_pss_pss_sha384",
        RSA_PSS_PSS_SHA512 = 0x080b => "rsa_pss_pss_sha512",
        ECDSA_BRAINPOOLP256R1TLS13_SHA256 = 0x081a => "ecdsa_brainpoolP256r1tls13_sha256",
        ECDSA_BRAINPOOLP384R1TLS13_SHA384 = 0x081b => "ecdsa_brainpoolP384r1tls13_sha384",
        ECDSA_BRAINPOOLP512R1TLS13_SHA512 = 0x081c => "ecdsa_brainpoolP512r1tls13_sha512",
        MLDSA44 = 0x0904 => "mldsa44",
        MLDSA65 = 0x0905 => "mldsa65",
        MLDSA87 = 0x0906 => "mldsa87",
    }
}

codepoint! {
    /// Extension types (IANA "TLS ExtensionType Values").
    ExtensionType(u16), 4 {
        SERVER_NAME = 0 => "server_name",
        MAX_FRAGMENT_LENGTH = 1 => "max_fragment_length",
        CLIENT_CERTIFICATE_URL = 2 => "client_certificate_url",
        TRUSTED_CA_KEYS = 3 => "trusted_ca_keys",
        TRUNCATED_HMAC = 4 => "truncated_hmac",
        STATUS_REQUEST = 5 => "status_request",
        USER_MAPPING = 6 => "user_mapping",
        CLIENT_AUTHZ = 7 => "client_authz",
        SERVER_AUTHZ = 8 => "server_authz",
        CERT_TYPE = 9 => "cert_type",
        SUPPORTED_GROUPS = 10 => "supported_groups",
        EC_POINT_FORMATS = 11 => "ec_point_formats",
        SRP = 12 => "srp",
        SIGNATURE_ALGORITHMS = 13 => "signature_algorithms",
        USE_SRTP = 14 => "use_srtp",
        HEARTBEAT = 15 => "heartbeat",
        ALPN = 16 => "application_layer_protocol_negotiation",
        STATUS_REQUEST_V2 = 17 => "status_request_v2",
        SIGNED_CERTIFICATE_TIMESTAMP = 18 => "signed_certificate_timestamp",
        CLIENT_CERTIFICATE_TYPE = 19 => "client_certificate_type",
        SERVER_CERTIFICATE_TYPE = 20 => "server_certificate_type",
        PADDING = 21 => "padding",
        ENCRYPT_THEN_MAC = 22 => "encrypt_then_mac",
        EXTENDED_MASTER_SECRET = 23 => "extended_master_secret",
        TOKEN_BINDING = 24 => "token_binding",
        CACHED_INFO = 25 => "cached_info",
        COMPRESS_CERTIFICATE = 27 => "compress_certificate",
        RECORD_SIZE_LIMIT = 28 => "record_size_limit",
        DELEGATED_CREDENTIAL = 34 => "delegated_credential",
        SESSION_TICKET = 35 => "session_ticket",
        PRE_SHARED_KEY = 41 => "pre_shared_key",
        EARLY_DATA = 42 => "early_data",
        SUPPORTED_VERSIONS = 43 => "supported_versions",
        COOKIE = 44 => "cookie",
        PSK_KEY_EXCHANGE_MODES = 45 => "psk_key_exchange_modes",
        CERTIFICATE_AUTHORITIES = 47 => "certificate_authorities",
        OID_FILTERS = 48 => "oid_filters",
        POST_HANDSHAKE_AUTH = 49 => "post_handshake_auth",
        SIGNATURE_ALGORITHMS_CERT = 50 => "signature_algorithms_cert",
        KEY_SHARE = 51 => "key_share",
        TRANSPARENCY_INFO = 52 => "transparency_info",
        CONNECTION_ID = 54 => "connection_id",
        QUIC_TRANSPORT_PARAMETERS = 57 => "quic_transport_parameters",
        TICKET_REQUEST = 58 => "ticket_request",
        APPLICATION_SETTINGS = 17513 => "application_settings",
        ENCRYPTED_CLIENT_HELLO = 0xfe0d => "encrypted_client_hello",
        RENEGOTIATION_INFO = 0xff01 => "renegotiation_info",
    }
}

codepoint! {
    /// Compression methods (RFC 5246 §7.4.1.2, RFC 3749).
    CompressionMethod(u8), 2 {
        NULL = 0 => "null",
        DEFLATE = 1 => "deflate",
        LZS = 64 => "lzs",
    }
}

codepoint! {
    /// EC point formats (RFC 8422 §5.1.2).
    EcPointFormat(u8), 2 {
        UNCOMPRESSED = 0 => "uncompressed",
        ANSIX962_COMPRESSED_PRIME = 1 => "ansiX962_compressed_prime",
        ANSIX962_COMPRESSED_CHAR2 = 2 => "ansiX962_compressed_char2",
    }
}

codepoint! {
    /// PSK key exchange modes (RFC 8446 §4.2.9).
    PskKeyExchangeMode(u8), 2 {
        PSK_KE = 0 => "psk_ke",
        PSK_DHE_KE = 1 => "psk_dhe_ke",
    }
}

codepoint! {
    /// Client certificate types in a TLS 1.2 CertificateRequest (RFC 5246 §7.4.4, RFC 8422).
    ClientCertificateType(u8), 2 {
        RSA_SIGN = 1 => "rsa_sign",
        DSS_SIGN = 2 => "dss_sign",
        RSA_FIXED_DH = 3 => "rsa_fixed_dh",
        DSS_FIXED_DH = 4 => "dss_fixed_dh",
        ECDSA_SIGN = 64 => "ecdsa_sign",
        RSA_FIXED_ECDH = 65 => "rsa_fixed_ecdh",
        ECDSA_FIXED_ECDH = 66 => "ecdsa_fixed_ecdh",
    }
}

/// A name for a u16 code point that may be GREASE.
pub fn grease_or<T: fmt::Display>(v: u16, known: T) -> String {
    if is_grease_u16(v) {
        format!("GREASE(0x{v:04x})")
    } else {
        known.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unknowns() {
        assert_eq!(NamedGroup::X25519.to_string(), "x25519");
        assert_eq!(NamedGroup(0x1234).to_string(), "unknown(0x1234)");
        assert_eq!(
            SignatureScheme::from_name("RSA_PSS_RSAE_SHA256"),
            Some(SignatureScheme::RSA_PSS_RSAE_SHA256)
        );
        assert_eq!(NamedGroup::parse_user("P-256"), Some(NamedGroup::SECP256R1));
        assert_eq!(
            NamedGroup::parse_user("x25519mlkem768"),
            Some(NamedGroup::X25519MLKEM768)
        );
        assert_eq!(
            NamedGroup::parse_user("ML-KEM-768"),
            Some(NamedGroup::MLKEM768)
        );
        assert_eq!(NamedGroup(0x0202).to_string(), "MLKEM1024");
        assert_eq!(ProtocolVersion::TLS13.to_string(), "TLS 1.3");
        assert_eq!(ExtensionType(0xff01).to_string(), "renegotiation_info");
    }

    #[test]
    fn grease() {
        assert!(is_grease_u16(0x0a0a));
        assert!(is_grease_u16(0xfafa));
        assert!(!is_grease_u16(0x0a1a));
        assert_eq!(grease_or(0x2a2a, "x"), "GREASE(0x2a2a)");
    }
}
