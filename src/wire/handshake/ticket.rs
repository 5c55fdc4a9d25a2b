//! NewSessionTicket: TLS 1.2 (RFC 5077 §3.3) and TLS 1.3 (RFC 8446 §4.6.1), each read and
//! written in one place.

use super::super::codec::{Reader, Writer};
use super::super::extensions::{write_extensions, ExtContext, Extension};
use super::read_extensions_required;
use crate::error::TlsError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSessionTicket12 {
    pub lifetime_hint: u32,
    pub ticket: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSessionTicket13 {
    pub lifetime: u32,
    pub age_add: u32,
    pub nonce: Vec<u8>,
    pub ticket: Vec<u8>,
    pub extensions: Vec<Extension>,
}

fn seconds(v: u32) -> String {
    format!("{v} s")
}

fn opaque_ticket(b: &[u8]) -> String {
    format!("{} bytes, opaque to the client", b.len())
}

impl NewSessionTicket12 {
    /// ticket_lifetime_hint, then the ticket <0..2^16-1>.
    pub fn read(r: &mut Reader) -> Result<NewSessionTicket12, TlsError> {
        let lifetime_hint = r.u32_as("ticket_lifetime_hint", seconds)?;
        let ticket = r.vec16_as("ticket", opaque_ticket)?.to_vec();
        Ok(NewSessionTicket12 {
            lifetime_hint,
            ticket,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.lifetime_hint).vec16(&self.ticket);
    }
}

impl NewSessionTicket13 {
    /// ticket_lifetime, ticket_age_add, ticket_nonce, ticket <1..2^16-1>, extensions (the
    /// block is not optional).
    pub fn read(r: &mut Reader) -> Result<NewSessionTicket13, TlsError> {
        let lifetime = r.u32_as("ticket_lifetime", seconds)?;
        let age_add = r.u32("ticket_age_add")?;
        let nonce = r.vec8("ticket_nonce")?.to_vec();
        let ticket = r.vec16_as("ticket", opaque_ticket)?.to_vec();
        if ticket.is_empty() {
            return Err(TlsError::decode("NewSessionTicket: empty ticket"));
        }
        let extensions = read_extensions_required(r, ExtContext::NewSessionTicket)?;
        Ok(NewSessionTicket13 {
            lifetime,
            age_add,
            nonce,
            ticket,
            extensions,
        })
    }

    pub fn write(&self, w: &mut Writer) {
        w.u32(self.lifetime)
            .u32(self.age_add)
            .vec8(&self.nonce)
            .vec16(&self.ticket);
        write_extensions(w, &self.extensions);
    }
}
