//! The event stream: every observable step of a connection, produced by the core and the
//! network layer, consumed by the renderers (human text, JSON Lines) and by tests. Events
//! carry data, not sentences: checks (`check`), info and warnings (`remark`) have kinds, and
//! the English is written in `report` (`report::checks`, `report::remarks`).

mod check;
mod closed;
mod remark;

pub use check::{Check, CheckKind, KxSignature};
pub use closed::{CloseReason, CloseTracker, Closed};
pub use remark::{
    CertOrigin, EarlyDataRefusal, Info, LimitSource, SignatureGap, SocksAddress, Warning,
};

use crate::error::{Alert, AlertLevel};
use crate::wire::codepoints::{ContentType, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::suites::CipherSuite;

/// Direction of a message relative to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Sent by us.
    Out,
    /// Received from the peer.
    In,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Out => "out",
            Dir::In => "in",
        }
    }
}

/// A derived secret: which one, from what, and (only when the user asked) its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEvent {
    /// e.g. "master_secret", "client_handshake_traffic_secret", "client write key".
    pub label: String,
    /// How it was derived, e.g. `PRF(pre_master_secret, "extended master secret", session_hash)`.
    pub derivation: String,
    /// The NSS key-log label when this secret belongs in a key log.
    pub keylog_label: Option<&'static str>,
    /// The value, present only when the configuration reveals secrets (`--keylog`, `--hex`).
    pub secret: Option<Vec<u8>>,
}

/// What was negotiated, emitted once per connection when the handshake completes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub version: Option<ProtocolVersion>,
    pub cipher_suite: Option<CipherSuite>,
    pub group: Option<NamedGroup>,
    pub signature_scheme: Option<SignatureScheme>,
    pub alpn: Option<String>,
    pub resumed: bool,
    /// None when the peer's certificate was not checked (e.g. listen without client auth).
    pub verified: Option<bool>,
    pub sni: Option<String>,
    pub extended_master_secret: Option<bool>,
    pub secure_renegotiation: Option<bool>,
    pub session_ticket: bool,
    /// The client's certificate: the one we sent (client side) or received (server side)
    /// in the handshake; None when none was.
    pub client_certificate: Option<CertIdentity>,
    /// TLS 1.2 DHE: the size of the server's prime, in bits (`group` names it when it is an
    /// RFC 7919 group).
    pub dh_bits: Option<u32>,
    /// TLS 1.2 DHE: the well-known group the prime is, when it is one that has no TLS code
    /// point (RFC 3526 `modp_2048`, ...; `crypto::dh_groups`).
    pub dh_group: Option<&'static str>,
    /// TLS 1.3 0-RTT (RFC 8446 §4.2.10): None when not offered.
    pub early_data: Option<EarlyData>,
    /// The PSK the handshake used: external or resumption, identity, mode (never the key).
    pub psk: Option<crate::handshake::psk::PskUse>,
}

impl Summary {
    /// The key-exchange group's name (a DHE prime's well-known name), or "DH N bits" for a
    /// DHE prime of no known group.
    pub fn group_name(&self) -> Option<String> {
        self.group
            .map(|g| g.to_string())
            .or_else(|| self.dh_group.map(str::to_string))
            .or_else(|| self.dh_bits.map(|b| format!("DH {b} bits")))
    }
}

/// A certificate as the summary names it: its subject and its key type ("EC P-256",
/// "RSA 2048", as `pki::summary` describes keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertIdentity {
    pub subject: String,
    pub key: String,
}

/// What became of the 0-RTT data a client offered (RFC 8446 §4.2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarlyData {
    Accepted,
    Rejected,
}

impl EarlyData {
    /// "accepted" or "rejected", as the JSON summary writes it.
    pub fn name(self) -> &'static str {
        match self {
            EarlyData::Accepted => "accepted",
            EarlyData::Rejected => "rejected",
        }
    }
}

/// One observable step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The network layer is trying an address.
    Connecting {
        target: String,
        addr: String,
    },
    /// TCP connection established.
    Connected {
        addr: String,
        local: String,
    },
    /// A connection attempt to one address failed (another may follow).
    ConnectFailed {
        addr: String,
        error: String,
    },
    /// A listener accepted a connection.
    Accepted {
        peer: String,
    },
    /// A record as it crossed the wire (for the byte view).
    Record {
        dir: Dir,
        content_type: ContentType,
        version: ProtocolVersion,
        raw: Vec<u8>,
        encrypted: bool,
        /// The record's content after decryption (or before encryption, for records we
        /// send), without the TLS 1.3 inner content type and padding; None when unknown.
        plaintext: Option<Vec<u8>>,
    },
    /// A handshake message, decoded, with its raw bytes and the checks made on it.
    Handshake {
        dir: Dir,
        msg: Box<HandshakeMessage>,
        raw: Vec<u8>,
        encrypted: bool,
        checks: Vec<Check>,
    },
    ChangeCipherSpec {
        dir: Dir,
        middlebox: bool,
    },
    Alert {
        dir: Dir,
        level: AlertLevel,
        description: Alert,
    },
    Keys(KeyEvent),
    /// Certificate chain verification result.
    Verify {
        ok: bool,
        errors: Vec<String>,
        detail: Vec<String>,
    },
    AppData {
        dir: Dir,
        data: Vec<u8>,
    },
    /// One line (or message) of a plaintext exchange before TLS: a STARTTLS dialogue or an
    /// HTTP CONNECT request to a proxy. `from` is who sent it: "client", "server" or "proxy";
    /// `text` is sanitized (control characters escaped) and has no line terminator.
    Plaintext {
        dir: Dir,
        from: &'static str,
        text: String,
    },
    /// A remark about the connection (e.g. a refused renegotiation).
    Info(Info),
    /// A weakness or a caveat (e.g. a weak DHE group).
    Warning(Warning),
    Summary(Box<Summary>),
    /// The connection ended: always its last event (`closed::CloseTracker` gathers it; the
    /// driver and the commands write it, the core never does).
    Closed(Box<Closed>),
}
