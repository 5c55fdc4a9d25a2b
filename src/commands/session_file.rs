//! `connect --sess-out/--sess-in`: a resumable session written to a file and read back in a
//! later run (as `openssl s_client -sess_out/-sess_in`). The file holds the session's secret
//! (the TLS 1.2 master secret or the TLS 1.3 resumption PSK), so it is written mode 0600.
//!
//! The format is text, one `key value` per line (hex for bytes), after a comment line:
//! `version`, `suite`, `session_id`, `secret`, `ticket`, `ems`, `age_add`, `lifetime`,
//! `received_ms`, `verified`, `max_early_data`, `alpn`.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::handshake::ClientSession;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::CipherSuite;

const HEADER: &str = "# tlsprobe session: it holds the session's secret, keep it private";

/// Bytes in hex, "-" for none (so that no line ends in a space).
fn some_hex(b: &[u8]) -> String {
    if b.is_empty() {
        "-".into()
    } else {
        hex::encode(b)
    }
}

/// The session as the file's text.
fn encode(s: &ClientSession) -> String {
    let opt_hex = |b: &Option<Vec<u8>>| b.as_deref().map_or("-".to_string(), some_hex);
    let verified = match s.verified {
        Some(true) => "yes",
        Some(false) => "no",
        None => "-",
    };
    let lines = [
        format!("version {:04x}", s.version.0),
        format!("suite {:04x}", s.suite.0),
        format!("session_id {}", some_hex(&s.session_id)),
        format!("secret {}", hex::encode(&s.secret)),
        format!("ticket {}", opt_hex(&s.ticket)),
        format!(
            "ems {}",
            if s.extended_master_secret {
                "yes"
            } else {
                "no"
            }
        ),
        format!("age_add {}", s.age_add),
        format!("lifetime {}", s.lifetime),
        format!("received_ms {}", s.received_ms),
        format!("verified {verified}"),
        format!("max_early_data {}", s.max_early_data),
        format!("alpn {}", opt_hex(&s.alpn)),
    ];
    format!("{HEADER}\n{}\n", lines.join("\n"))
}

/// The session in a file's text; the error names what is wrong.
fn decode(text: &str) -> Result<ClientSession, String> {
    let fields: HashMap<&str, &str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.trim().split_once(' '))
        .collect();
    let get = |k: &str| fields.get(k).copied().ok_or(format!("no {k} line"));
    let num = |k: &str| -> Result<u64, String> { get(k)?.parse().map_err(|_| format!("bad {k}")) };
    let code = |k: &str| -> Result<u16, String> {
        u16::from_str_radix(get(k)?, 16).map_err(|_| format!("bad {k}"))
    };
    let bytes = |k: &str| -> Result<Vec<u8>, String> {
        match get(k)? {
            "" | "-" => Ok(vec![]),
            v => hex::decode(v).map_err(|_| format!("bad {k}")),
        }
    };
    let opt_bytes = |k: &str| -> Result<Option<Vec<u8>>, String> {
        match get(k)? {
            "-" => Ok(None),
            _ => bytes(k).map(Some),
        }
    };
    let u32_of =
        |k: &str| -> Result<u32, String> { u32::try_from(num(k)?).map_err(|_| format!("bad {k}")) };
    Ok(ClientSession {
        version: ProtocolVersion(code("version")?),
        suite: CipherSuite(code("suite")?),
        session_id: bytes("session_id")?,
        secret: bytes("secret")?,
        ticket: opt_bytes("ticket")?,
        extended_master_secret: get("ems")? == "yes",
        age_add: u32_of("age_add")?,
        lifetime: u32_of("lifetime")?,
        received_ms: num("received_ms")?,
        verified: match get("verified")? {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        max_early_data: u32_of("max_early_data")?,
        alpn: opt_bytes("alpn")?,
    })
}

/// Writes `s` to `path`, mode 0600 (an existing file is truncated and made 0600 too).
pub fn write(path: &Path, s: &ClientSession) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    let mut f = options.open(path)?;
    f.write_all(encode(s).as_bytes())
}

/// Reads the session in `path`; the error is one sentence.
pub fn read(path: &Path) -> Result<ClientSession, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    decode(&text).map_err(|e| format!("not a tlsprobe session file ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_round_trips_through_its_text() {
        let s = ClientSession {
            version: ProtocolVersion::TLS13,
            suite: CipherSuite(0x1302),
            session_id: vec![],
            secret: vec![7; 48],
            ticket: Some(vec![1, 2, 3]),
            extended_master_secret: true,
            age_add: 4_000_000_000,
            lifetime: 7200,
            received_ms: 1_800_000_000_123,
            verified: Some(true),
            max_early_data: 16384,
            alpn: None,
        };
        assert_eq!(decode(&encode(&s)), Ok(s.clone()));
        let mut t = s;
        t.version = ProtocolVersion::TLS12;
        t.ticket = None;
        t.verified = None;
        t.alpn = Some(b"h2".to_vec());
        t.session_id = vec![9; 32];
        assert_eq!(decode(&encode(&t)), Ok(t));
        assert!(decode("version 0304\n").unwrap_err().contains("no suite"));
    }
}
