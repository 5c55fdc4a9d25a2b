//! server_name (RFC 6066 §3): a client's ServerNameList, or a server's empty acknowledgement.

use super::super::codec::{Reader, Writer};
use super::super::span::{quoted, Field};
use super::ExtContext;
use crate::error::TlsError;

/// A server_name ServerNameList (RFC 6066 §3), every entry kept in order as
/// (name_type, name). Only name_type 0 (host_name) is defined; entries of other types are
/// kept so that the extension encodes back to the bytes that were read. Empty: the server's
/// acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerNames(pub Vec<(u8, Vec<u8>)>);

impl ServerNames {
    /// One host_name entry.
    pub fn host(name: &str) -> ServerNames {
        ServerNames(vec![(0, name.as_bytes().to_vec())])
    }

    /// The host names (type 0); decoding has checked that they are printable ASCII.
    pub fn host_names(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(t, _)| *t == 0)
            .map(|(_, n)| String::from_utf8_lossy(n).into_owned())
            .collect()
    }

    /// How many entries have a name_type other than host_name.
    pub fn other_types(&self) -> usize {
        self.0.iter().filter(|(t, _)| *t != 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Only the server's acknowledgement is empty; a client's extension carries a
    /// ServerNameList <1..2^16-1> of at most one host_name.
    pub fn read(r: &mut Reader, ctx: ExtContext) -> Result<ServerNames, TlsError> {
        if r.is_empty() && ctx != ExtContext::ClientHello {
            return Ok(ServerNames::default());
        }
        let mut list = r.sub16("server_name list")?;
        let mut entries = vec![];
        let mut hosts = 0;
        while !list.is_empty() {
            let kind = list.u8_as(Field::shown_as("server_name type", "name type"), |v| {
                if v == 0 {
                    "host_name".into()
                } else {
                    v.to_string()
                }
            })?;
            let name = list.vec16_as(Field::shown_as("server_name", "host name"), quoted)?;
            entries.push((kind, name.to_vec()));
            // Names of unknown types are kept but not used (RFC 6066 §3).
            if kind != 0 {
                continue;
            }
            // HostName <1..2^16-1>: an empty name is malformed.
            if name.is_empty() {
                return Err(TlsError::decode("server_name: empty host_name"));
            }
            // RFC 6066 §3: "the ServerNameList MUST NOT contain more than one name of
            // the same name_type", and a host_name is an ASCII DNS name: control
            // characters, spaces and non-ASCII bytes are illegal_parameter (tlsfuzzer's
            // test-invalid-server-name-extension). Underscores and other printable
            // ASCII are let through: real clients send them.
            hosts += 1;
            if hosts > 1 {
                return Err(TlsError::illegal(
                    "server_name lists more than one host_name (RFC 6066 §3)",
                ));
            }
            if let Some(b) = name.iter().find(|b| !(0x21..0x7f).contains(*b)) {
                return Err(TlsError::illegal(format!(
                    "server_name host_name has the byte {b:#04x}, not allowed in a DNS name (RFC 6066 §3)"
                )));
            }
        }
        if entries.is_empty() {
            return Err(TlsError::decode("server_name: empty list"));
        }
        Ok(ServerNames(entries))
    }

    pub fn write(&self, w: &mut Writer) {
        if !self.is_empty() {
            w.nested(2, |w| {
                for (kind, name) in &self.0 {
                    w.u8(*kind).vec16(name);
                }
            });
        }
    }
}
