//! SSLv2 (DROWN exposure, CVE-2016-0800): whether a server answers an SSL 2.0 CLIENT-HELLO
//! with a SERVER-HELLO. SSL 2.0 is prohibited (RFC 6176 §3); a server speaking it lends
//! itself as a Bleichenbacher oracle against every TLS connection using the same RSA key.

use rand::RngCore;

use super::legacy_hs;
use super::{Check, Scope};
use crate::net::raw::RecordEnd;
use crate::scan::findings::Severity;
use crate::wire::sslv2::{self, CipherKind, Header, ServerMessage, CIPHER_KINDS};

pub const ID: &str = "sslv2";

/// The verdict on the server's first SSL 2.0 message.
fn judge(msg: ServerMessage) -> Check {
    match msg {
        ServerMessage::Hello { kinds, .. } => {
            let list = if kinds.is_empty() {
                "no cipher".to_string()
            } else {
                kinds
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut c = Check::vulnerable(
                ID,
                Severity::Critical,
                format!(
                    "the server speaks SSL 2.0 (SERVER-HELLO offering {list}): DROWN \
                     (CVE-2016-0800) lets an attacker decrypt TLS sessions of every server \
                     sharing its RSA key; disable SSLv2 (RFC 6176)"
                ),
            );
            c.reason = Some(format!("SSLv2 ciphers offered: {list}"));
            c
        }
        ServerMessage::Error(code) => seen(format!(
            "the server answered with an SSL 2.0 ERROR (code {code}) and no SERVER-HELLO"
        )),
        ServerMessage::Other(t) => seen(format!(
            "the server answered with SSL 2.0 message type {t}, not a SERVER-HELLO"
        )),
    }
}

fn seen(why: impl Into<String>) -> Check {
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some(why.into());
    c
}

fn ended(e: RecordEnd) -> Check {
    seen(match e {
        RecordEnd::Closed => "the server closed the connection on an SSL 2.0 CLIENT-HELLO",
        RecordEnd::Timeout => "no answer to an SSL 2.0 CLIENT-HELLO within the timeout",
        _ => "the answer to an SSL 2.0 CLIENT-HELLO is not SSL 2.0",
    })
}

/// The check: 1 connection.
pub fn run(scope: &Scope) -> Check {
    let mut s = match legacy_hs::open(scope.conn, ID) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let kinds: Vec<CipherKind> = CIPHER_KINDS.iter().map(|&(c, _)| CipherKind(c)).collect();
    let mut challenge = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut challenge);
    if s.raw
        .send(&sslv2::client_hello(&kinds, &challenge))
        .is_err()
    {
        return ended(RecordEnd::Closed);
    }
    let head = match s.raw.read_bytes(2) {
        Ok(b) => [b[0], b[1]],
        Err(e) => return ended(e),
    };
    let (len, skip) = match sslv2::header(head) {
        Header::Tls => return seen("the server answered an SSL 2.0 CLIENT-HELLO in TLS"),
        Header::Ssl2 { len, skip } => (len, skip),
    };
    let body = match s.raw.read_bytes(len + skip) {
        Ok(b) => b,
        Err(e) => return ended(e),
    };
    match sslv2::server_message(&body[skip..]) {
        Ok(m) => judge(m),
        Err(_) => seen("the answer to an SSL 2.0 CLIENT-HELLO is not SSL 2.0"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::vulns::Verdict;

    #[test]
    fn verdicts() {
        let v = judge(ServerMessage::Hello {
            version: 2,
            kinds: vec![CipherKind(0x010080)],
            certificate_len: 0,
        });
        assert_eq!(v.verdict, Verdict::Vulnerable);
        assert_eq!(v.reason.as_deref(), Some("SSLv2 ciphers offered: RC4-MD5"));
        assert_eq!(
            judge(ServerMessage::Error(1)).verdict,
            Verdict::NotVulnerable
        );
    }
}
