//! Record size limits both roles negotiate: record_size_limit (RFC 8449) and
//! max_fragment_length (RFC 6066 §4): the client's offer, the server's answer, and the limits
//! they put on the record layer.

use super::Common;
use crate::error::TlsError;
use crate::event::{Event, Info, LimitSource};
use crate::wire::codepoints::ExtensionType as ET;
use crate::wire::extensions::{find, ExtBody, Extension};

/// The largest record_size_limit each version allows (RFC 8449 §4): 2^14 in TLS 1.2 and
/// earlier, 2^14 + 1 in TLS 1.3 (whose inner plaintext carries the content type byte).
pub fn protocol_max(tls13: bool) -> u16 {
    if tls13 {
        (1 << 14) + 1
    } else {
        1 << 14
    }
}

/// RFC 8449 §4: the smallest record_size_limit.
pub const MIN_RECORD_SIZE_LIMIT: u16 = 64;

/// The max_fragment_length code for a limit of 512, 1024, 2048 or 4096 bytes (RFC 6066 §4).
pub fn mfl_code(limit: u16) -> Option<u8> {
    match limit {
        512 => Some(1),
        1024 => Some(2),
        2048 => Some(3),
        4096 => Some(4),
        _ => None,
    }
}

/// The length a max_fragment_length code stands for: 2^(8+code).
fn mfl_len(code: u8) -> usize {
    1 << (8 + usize::from(code))
}

/// The client's offer for `limit`: record_size_limit, and max_fragment_length too when the
/// limit is one it can express (for servers that know only RFC 6066).
pub fn client_offer(limit: u16) -> Vec<Extension> {
    let mut exts = vec![Extension::new(
        ET::RECORD_SIZE_LIMIT,
        ExtBody::RecordSizeLimit(limit),
    )];
    if let Some(code) = mfl_code(limit) {
        exts.push(Extension::new(
            ET::MAX_FRAGMENT_LENGTH,
            ExtBody::MaxFragmentLength(code),
        ));
    }
    exts
}

/// What one side agreed: the extension the server answers with, and the record layer's
/// limits on our side.
pub struct Agreement {
    pub answer: Extension,
    send: usize,
    recv: usize,
    source: LimitSource,
}

/// The server's answer to the client's extensions (`own`: our configured limit). RFC 8449
/// §5: with both extensions, record_size_limit wins and max_fragment_length is ignored. The
/// client's value may exceed the protocol's largest (it is then the protocol's, §4).
pub fn server_answer(own: Option<u16>, client: &[Extension], tls13: bool) -> Option<Agreement> {
    let max = protocol_max(tls13);
    let content_type = usize::from(tls13);
    if let Some(ExtBody::RecordSizeLimit(theirs)) =
        find(client, ET::RECORD_SIZE_LIMIT).map(|e| &e.body)
    {
        // RFC 8449 §4: a server that supports the extension echoes its own limit.
        let ours = own.unwrap_or(max).min(max);
        return Some(Agreement {
            answer: Extension::new(ET::RECORD_SIZE_LIMIT, ExtBody::RecordSizeLimit(ours)),
            send: usize::from((*theirs).min(max)) - content_type,
            recv: usize::from(ours),
            source: LimitSource::RecordSizeLimit,
        });
    }
    if let Some(ExtBody::MaxFragmentLength(code)) =
        find(client, ET::MAX_FRAGMENT_LENGTH).map(|e| &e.body)
    {
        let len = mfl_len(*code);
        return Some(Agreement {
            answer: Extension::new(ET::MAX_FRAGMENT_LENGTH, ExtBody::MaxFragmentLength(*code)),
            send: len,
            recv: len + content_type,
            source: LimitSource::MaxFragmentLength,
        });
    }
    None
}

/// The client's reading of the server's answer (ServerHello in TLS 1.2, EncryptedExtensions
/// in TLS 1.3) to our offer of `offered`. RFC 8449 §4: a value below 64 is illegal_parameter;
/// RFC 6066 §4: a max_fragment_length other than the one we asked for is illegal_parameter.
pub fn client_agreement(
    offered: Option<u16>,
    server: &[Extension],
    tls13: bool,
) -> Result<Option<Agreement>, TlsError> {
    let Some(offered) = offered else {
        return Ok(None);
    };
    let max = protocol_max(tls13);
    let content_type = usize::from(tls13);
    if let Some(ExtBody::RecordSizeLimit(theirs)) =
        find(server, ET::RECORD_SIZE_LIMIT).map(|e| &e.body)
    {
        if *theirs < MIN_RECORD_SIZE_LIMIT {
            return Err(TlsError::illegal(format!(
                "the server's record_size_limit of {theirs} is below 64 (RFC 8449 §4)"
            )));
        }
        return Ok(Some(Agreement {
            answer: Extension::new(ET::RECORD_SIZE_LIMIT, ExtBody::RecordSizeLimit(*theirs)),
            send: usize::from((*theirs).min(max)) - content_type,
            recv: usize::from(offered.min(max)),
            source: LimitSource::RecordSizeLimit,
        }));
    }
    if let Some(ExtBody::MaxFragmentLength(code)) =
        find(server, ET::MAX_FRAGMENT_LENGTH).map(|e| &e.body)
    {
        if mfl_code(offered) != Some(*code) {
            return Err(TlsError::illegal(format!(
                "the server's max_fragment_length of {} bytes is not the {offered} we asked for (RFC 6066 §4)",
                mfl_len(*code)
            )));
        }
        let len = mfl_len(*code);
        return Ok(Some(Agreement {
            answer: Extension::new(ET::MAX_FRAGMENT_LENGTH, ExtBody::MaxFragmentLength(*code)),
            send: len,
            recv: len + content_type,
            source: LimitSource::MaxFragmentLength,
        }));
    }
    Ok(None)
}

/// Puts the agreed limits on the record layer and reports them.
pub fn apply(c: &mut Common, a: &Agreement) {
    c.rl.send_limit = Some(a.send);
    c.rl.recv_limit = Some(a.recv);
    c.emit(Event::Info(Info::RecordLimits {
        source: a.source,
        send: a.send,
        receive: a.recv,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsl(n: u16) -> Extension {
        Extension::new(ET::RECORD_SIZE_LIMIT, ExtBody::RecordSizeLimit(n))
    }

    fn mfl(code: u8) -> Extension {
        Extension::new(ET::MAX_FRAGMENT_LENGTH, ExtBody::MaxFragmentLength(code))
    }

    #[test]
    fn server_echoes_its_own_limit_clamped_to_the_version() {
        let a = server_answer(None, &[rsl(u16::MAX)], false).unwrap();
        assert_eq!(a.answer.body, ExtBody::RecordSizeLimit(16384));
        assert_eq!((a.send, a.recv), (16384, 16384));
        let a = server_answer(None, &[rsl(64)], true).unwrap();
        assert_eq!(a.answer.body, ExtBody::RecordSizeLimit(16385));
        // TLS 1.3: the limit counts the content type byte (RFC 8449 §4).
        assert_eq!((a.send, a.recv), (63, 16385));
        let a = server_answer(Some(1000), &[rsl(2000)], false).unwrap();
        assert_eq!(a.answer.body, ExtBody::RecordSizeLimit(1000));
        assert_eq!((a.send, a.recv), (2000, 1000));
    }

    #[test]
    fn record_size_limit_overrides_max_fragment_length() {
        let a = server_answer(None, &[rsl(16385), mfl(1)], false).unwrap();
        assert_eq!(a.answer.typ, ET::RECORD_SIZE_LIMIT);
        let a = server_answer(None, &[mfl(1)], false).unwrap();
        assert_eq!(a.answer.body, ExtBody::MaxFragmentLength(1));
        assert_eq!((a.send, a.recv), (512, 512));
        assert!(server_answer(None, &[], true).is_none());
    }

    #[test]
    fn client_refuses_a_small_limit_or_another_fragment_length() {
        assert!(client_agreement(Some(512), &[rsl(63)], false).is_err());
        assert!(client_agreement(Some(512), &[mfl(2)], false).is_err());
        let a = client_agreement(Some(512), &[mfl(1)], true)
            .unwrap()
            .unwrap();
        assert_eq!((a.send, a.recv), (512, 513));
        let a = client_agreement(Some(100), &[rsl(200)], true)
            .unwrap()
            .unwrap();
        assert_eq!((a.send, a.recv), (199, 100));
        assert!(client_agreement(None, &[rsl(200)], true).unwrap().is_none());
        assert_eq!(client_offer(1000).len(), 1);
        assert_eq!(client_offer(4096).len(), 2);
    }
}
