//! The record-boundary rule (RFC 8446 §5.1): a handshake message after which the keys can
//! change must be the last handshake data of its record; anything after it is refused with
//! unexpected_message before the message is acted on.

use crate::error::TlsError;
use crate::wire::codepoints::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::{find, ExtBody};
use crate::wire::handshake::{HandshakeMessage, ServerHello};

/// Refuses `msg` when more handshake bytes follow it in its record (`more_follows`: further
/// whole messages, or the start of one) and it is a message that must end its record.
/// Called for every received message, before it is handled, so that nothing is answered
/// and no key is changed on the strength of a misaligned message.
pub fn check(msg: &HandshakeMessage, tls13: bool, more_follows: bool) -> Result<(), TlsError> {
    if !more_follows {
        return Ok(());
    }
    match must_end_record(msg, tls13) {
        Some((name, why)) => Err(TlsError::unexpected(format!(
            "{name} followed by more handshake data in its record; {why}"
        ))),
        None => Ok(()),
    }
}

/// RFC 8446 §5.1: "Because the ClientHello, EndOfEarlyData, ServerHello, Finished, and
/// KeyUpdate messages can immediately precede a key change, implementations MUST verify that
/// these messages are aligned with a record boundary." Returns the message's name and why
/// it must end its record, or None for a message that may share its record.
fn must_end_record(msg: &HandshakeMessage, tls13: bool) -> Option<(&'static str, &'static str)> {
    const KEY_CHANGE: &str = "RFC 8446 §5.1: handshake messages must not span a key change, \
                              so a message the keys can change after must end its record";
    use HandshakeMessage as M;
    match msg {
        // Whatever the version: the version is not known yet when it arrives, and no client
        // has more handshake data to send before the server answers its hello.
        M::ClientHello(_) => Some(("ClientHello", KEY_CHANGE)),
        // RFC 8446 §4.1.4: a HelloRetryRequest is a ServerHello, answered by the client's
        // second ClientHello; the server has nothing to send after it until then.
        M::ServerHello(sh) if sh.is_hello_retry_request() => Some((
            "HelloRetryRequest",
            "RFC 8446 §5.1 (a HelloRetryRequest is a ServerHello, §4.1.4): it must end its \
             record, and nothing may follow it before the second ClientHello",
        )),
        // A TLS 1.2 ServerHello shares its record with the rest of the flight (RFC 5246
        // §7.4); a TLS 1.3 one is followed by the handshake keys.
        M::ServerHello(sh) if selects_tls13(sh) => Some(("ServerHello", KEY_CHANGE)),
        M::EndOfEarlyData => Some(("EndOfEarlyData", KEY_CHANGE)),
        M::KeyUpdate(_) => Some(("KeyUpdate", KEY_CHANGE)),
        M::Finished(_) if tls13 => Some(("Finished", KEY_CHANGE)),
        // RFC 5246 §7.3, §7.4.9: a TLS 1.2 Finished ends its sender's flight; what comes
        // next is the other side's ChangeCipherSpec and Finished or, the handshake over, a
        // new handshake, which may not begin in the record of the old one's Finished.
        M::Finished(_) => Some((
            "Finished",
            "a TLS 1.2 Finished ends its flight, and what follows it comes after a change of \
             keys (the record-boundary rule of RFC 8446 §5.1)",
        )),
        _ => None,
    }
}

/// Whether a ServerHello selects TLS 1.3 (RFC 8446 §4.2.1: by supported_versions).
fn selects_tls13(sh: &ServerHello) -> bool {
    matches!(
        find(&sh.extensions, ExtensionType::SUPPORTED_VERSIONS).map(|e| &e.body),
        Some(ExtBody::SupportedVersionsServer(v)) if *v == ProtocolVersion::TLS13
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::extensions::Extension;

    fn server_hello(random: [u8; 32], exts: Vec<Extension>) -> HandshakeMessage {
        HandshakeMessage::ServerHello(ServerHello {
            version: ProtocolVersion::TLS12,
            random,
            session_id: vec![],
            cipher_suite: crate::wire::suites::CipherSuite(0x1301),
            compression_method: crate::wire::codepoints::CompressionMethod::NULL,
            extensions: exts,
            extensions_absent: false,
        })
    }

    #[test]
    fn messages_that_must_end_their_record() {
        let v13 = vec![Extension::new(
            ExtensionType::SUPPORTED_VERSIONS,
            ExtBody::SupportedVersionsServer(ProtocolVersion::TLS13),
        )];
        let hrr = server_hello(crate::wire::handshake::HRR_RANDOM, v13.clone());
        let client_hello = HandshakeMessage::ClientHello(crate::wire::handshake::ClientHello {
            version: ProtocolVersion::TLS12,
            random: [2; 32],
            session_id: vec![],
            cipher_suites: vec![crate::wire::suites::CipherSuite(0x1301)],
            compression_methods: vec![crate::wire::codepoints::CompressionMethod::NULL],
            extensions: vec![],
            extensions_absent: false,
        });
        for (msg, tls13, name) in [
            (client_hello.clone(), false, "ClientHello"),
            (client_hello, true, "ClientHello"),
            (server_hello([1; 32], v13), true, "ServerHello"),
            (hrr, true, "HelloRetryRequest"),
            (HandshakeMessage::KeyUpdate(0), true, "KeyUpdate"),
            (HandshakeMessage::EndOfEarlyData, true, "EndOfEarlyData"),
            (HandshakeMessage::Finished(vec![0; 32]), true, "Finished"),
            (HandshakeMessage::Finished(vec![0; 12]), false, "Finished"),
        ] {
            let e = check(&msg, tls13, true).unwrap_err();
            assert_eq!(e.alert, crate::error::Alert::UnexpectedMessage);
            assert!(e.message.starts_with(name), "{e}");
            assert!(e.message.contains("RFC 8446 §5.1"), "{e}");
            check(&msg, tls13, false).unwrap();
        }
    }

    #[test]
    fn messages_that_may_share_their_record() {
        // a TLS 1.2 ServerHello and ServerHelloDone, EncryptedExtensions
        for msg in [
            server_hello([1; 32], vec![]),
            HandshakeMessage::ServerHelloDone,
            HandshakeMessage::EncryptedExtensions(vec![]),
        ] {
            check(&msg, false, true).unwrap();
            check(&msg, true, true).unwrap();
        }
    }
}
