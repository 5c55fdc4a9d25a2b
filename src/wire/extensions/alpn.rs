//! application_layer_protocol_negotiation (RFC 7301 §3.1): ProtocolNameList; a server's
//! names exactly one protocol.

use super::super::codec::{Reader, Writer};
use super::super::span::{quoted, Field};
use super::ExtContext;
use crate::error::TlsError;

pub(super) fn read(r: &mut Reader, what: &str, ctx: ExtContext) -> Result<Vec<Vec<u8>>, TlsError> {
    let mut list = r.sub16(Field::shown_as(what, "protocol name list"))?;
    let mut protos = vec![];
    while !list.is_empty() {
        let p = list.vec8_as(Field::shown_as("ALPN protocol name", "protocol"), quoted)?;
        if p.is_empty() {
            return Err(TlsError::decode("empty ALPN protocol name"));
        }
        protos.push(p.to_vec());
    }
    if ctx != ExtContext::ClientHello && protos.len() != 1 {
        return Err(TlsError::decode(
            "server ALPN must name exactly one protocol",
        ));
    }
    if protos.is_empty() {
        return Err(TlsError::decode(format!("{what}: empty list")));
    }
    Ok(protos)
}

pub(super) fn write(protocols: &[Vec<u8>], w: &mut Writer) {
    w.nested(2, |w| {
        protocols.iter().for_each(|p| {
            w.vec8(p);
        })
    });
}
