//! pre_shared_key (RFC 8446 §4.2.11: the client's identities and binders, the server's
//! selected identity) and early_data (§4.2.10).

use super::super::codec::{Reader, Writer};
use super::super::span::Field;
use super::{ExtBody, ExtContext};
use crate::error::TlsError;

/// A PSK identity offered in the ClientHello pre_shared_key extension (RFC 8446 §4.2.11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PskIdentity {
    pub identity: Vec<u8>,
    pub obfuscated_ticket_age: u32,
}

fn read_identities(r: &mut Reader) -> Result<Vec<PskIdentity>, TlsError> {
    let mut ids = r.sub16(Field::shown_as("psk identities", "identities"))?;
    let mut identities = vec![];
    while !ids.is_empty() {
        let identity = ids
            .vec16_as(Field::shown_as("psk identity", "identity"), |b| {
                format!("{} bytes (a ticket)", b.len())
            })?
            .to_vec();
        let age = ids.u32("obfuscated_ticket_age")?;
        identities.push(PskIdentity {
            identity,
            obfuscated_ticket_age: age,
        });
    }
    Ok(identities)
}

fn read_binders(r: &mut Reader) -> Result<Vec<Vec<u8>>, TlsError> {
    let mut list = r.sub16(Field::shown_as("psk binders", "binders"))?;
    let mut binders = vec![];
    while !list.is_empty() {
        let b = list.vec8_as(Field::shown_as("psk binder", "binder"), |_| {
            "HMAC(binder finished key, truncated ClientHello)".into()
        })?;
        if b.len() < 32 {
            return Err(TlsError::decode("psk binder shorter than 32 bytes"));
        }
        binders.push(b.to_vec());
    }
    Ok(binders)
}

/// The client's OfferedPsks (as many binders as identities), or the server's selected_identity.
pub(super) fn read(r: &mut Reader, what: &str, ctx: ExtContext) -> Result<ExtBody, TlsError> {
    if ctx != ExtContext::ClientHello {
        let selected = r.u16(Field::shown_as(what, "selected_identity"))?;
        return Ok(ExtBody::PreSharedKeyServer(selected));
    }
    let identities = read_identities(r)?;
    let binders = read_binders(r)?;
    if identities.is_empty() || identities.len() != binders.len() {
        return Err(TlsError::decode(
            "pre_shared_key: identities and binders differ in number",
        ));
    }
    Ok(ExtBody::PreSharedKeyClient {
        identities,
        binders,
    })
}

pub(super) fn write_client(identities: &[PskIdentity], binders: &[Vec<u8>], w: &mut Writer) {
    w.nested(2, |w| {
        for i in identities {
            w.vec16(&i.identity).u32(i.obfuscated_ticket_age);
        }
    });
    w.nested(2, |w| {
        binders.iter().for_each(|b| {
            w.vec8(b);
        })
    });
}

/// early_data: empty in a ClientHello or EncryptedExtensions, max_early_data_size in a
/// NewSessionTicket.
pub(super) fn read_early_data(
    r: &mut Reader,
    what: &str,
    ctx: ExtContext,
) -> Result<ExtBody, TlsError> {
    if ctx != ExtContext::NewSessionTicket {
        return Ok(ExtBody::EarlyData(None));
    }
    let max = r.u32(Field::shown_as(what, "max_early_data_size"))?;
    Ok(ExtBody::EarlyData(Some(max)))
}
