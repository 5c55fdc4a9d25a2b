//! key_share (RFC 8446 §4.2.8): the client's shares, the server's share, or the group a
//! HelloRetryRequest asks for.

use super::super::codec::{Reader, Writer};
use super::super::codepoints::NamedGroup;
use super::super::span::Field;
use super::{ExtBody, ExtContext};
use crate::error::TlsError;

fn public_key(b: &[u8]) -> String {
    format!("{} bytes, public key", b.len())
}

/// One KeyShareEntry: group, key_exchange.
fn read_entry<'a>(r: &mut Reader<'a>) -> Result<(NamedGroup, &'a [u8]), TlsError> {
    let group = r.code16(Field::shown_as("key_share group", "group"), NamedGroup)?;
    let key = r.vec16_as("key_exchange", public_key)?;
    Ok((group, key))
}

pub(super) fn read(r: &mut Reader, what: &str, ctx: ExtContext) -> Result<ExtBody, TlsError> {
    match ctx {
        ExtContext::ClientHello => {
            let mut list = r.sub16("client_shares")?;
            let mut shares = vec![];
            while !list.is_empty() {
                let (g, k) = read_entry(&mut list)?;
                // An empty share is not a valid public value for any group: refused as
                // illegal_parameter like any other bad share (RFC 8446 §4.2.8).
                if k.is_empty() {
                    return Err(TlsError::illegal(format!(
                        "key_share for {g}: empty key_exchange"
                    )));
                }
                shares.push((g, k.to_vec()));
            }
            Ok(ExtBody::KeyShareClient(shares))
        }
        ExtContext::HelloRetryRequest => {
            let selected = r.code16(Field::shown_as(what, "selected_group"), NamedGroup)?;
            Ok(ExtBody::KeyShareHrr(selected))
        }
        _ => {
            let (g, k) = read_entry(r)?;
            if k.is_empty() {
                return Err(TlsError::decode("key_share: empty key_exchange"));
            }
            Ok(ExtBody::KeyShareServer(g, k.to_vec()))
        }
    }
}

pub(super) fn write_client(shares: &[(NamedGroup, Vec<u8>)], w: &mut Writer) {
    w.nested(2, |w| {
        for (g, k) in shares {
            w.u16(g.0).vec16(k);
        }
    });
}

pub(super) fn write_server(group: NamedGroup, key: &[u8], w: &mut Writer) {
    w.u16(group.0).vec16(key);
}
