//! Which extensions a server may answer with, and in which message (RFC 8446 §4.2, RFC 5246
//! §7.4.1.4): only ones we offered (the HelloRetryRequest's cookie excepted), and in TLS 1.3
//! only in the messages the table of RFC 8446 §4.2 lists them for.

use super::offered;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::ExtensionType as ET;
use crate::wire::extensions::Extension;

/// A server message whose extensions answer our ClientHello's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ServerMessage {
    /// A TLS 1.0-1.2 ServerHello.
    ServerHello12,
    /// A TLS 1.3 ServerHello (one with supported_versions).
    ServerHello13,
    HelloRetryRequest,
    EncryptedExtensions,
}

impl ServerMessage {
    fn name(self) -> &'static str {
        match self {
            ServerMessage::ServerHello12 | ServerMessage::ServerHello13 => "the ServerHello",
            ServerMessage::HelloRetryRequest => "a HelloRetryRequest",
            ServerMessage::EncryptedExtensions => "EncryptedExtensions",
        }
    }

    /// RFC 8446 §4.2, the table's SH, HRR and EE columns (EE also: record_size_limit, RFC
    /// 8449 §4); a TLS 1.2 ServerHello may answer any extension we offered (RFC 5246
    /// §7.4.1.4).
    fn carries(self, typ: ET) -> bool {
        match self {
            ServerMessage::ServerHello12 => true,
            ServerMessage::ServerHello13 => {
                matches!(
                    typ,
                    ET::KEY_SHARE | ET::PRE_SHARED_KEY | ET::SUPPORTED_VERSIONS
                )
            }
            ServerMessage::HelloRetryRequest => {
                matches!(typ, ET::KEY_SHARE | ET::COOKIE | ET::SUPPORTED_VERSIONS)
            }
            ServerMessage::EncryptedExtensions => matches!(
                typ,
                ET::SERVER_NAME
                    | ET::MAX_FRAGMENT_LENGTH
                    | ET::SUPPORTED_GROUPS
                    | ET::USE_SRTP
                    | ET::HEARTBEAT
                    | ET::ALPN
                    | ET::CLIENT_CERTIFICATE_TYPE
                    | ET::SERVER_CERTIFICATE_TYPE
                    | ET::EARLY_DATA
                    | ET::RECORD_SIZE_LIMIT
            ),
        }
    }
}

/// The server's extensions `exts` in `msg`, against our ClientHello's `offer`: first that
/// each answers a request of ours, then that each belongs in `msg`.
pub(super) fn check(
    exts: &[Extension],
    offer: &[Extension],
    msg: ServerMessage,
) -> Result<(), TlsError> {
    // RFC 8446 §4.2, RFC 5246 §7.4.1.4: an answer to a request we did not make, "with the
    // exception of the "cookie" extension in the HelloRetryRequest", is
    // unsupported_extension.
    let cookie = |e: &Extension| msg == ServerMessage::HelloRetryRequest && e.typ == ET::COOKIE;
    if let Some(e) = exts.iter().find(|e| !offered(offer, e.typ) && !cookie(e)) {
        return Err(TlsError::new(
            Alert::UnsupportedExtension,
            format!(
                "the server sent the {} extension in {}, which we did not offer",
                e.name(),
                msg.name()
            ),
        ));
    }
    // RFC 8446 §4.2: "If an implementation receives an extension which it recognizes and
    // which is not specified for the message in which it appears, it MUST abort the
    // handshake with an "illegal_parameter" alert."
    if let Some(e) = exts.iter().find(|e| !msg.carries(e.typ)) {
        return Err(TlsError::illegal(format!(
            "the server sent the {} extension in {}, where it does not belong (RFC 8446 §4.2)",
            e.name(),
            msg.name()
        )));
    }
    Ok(())
}
