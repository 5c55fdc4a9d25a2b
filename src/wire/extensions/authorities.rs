//! certificate_authorities (RFC 8446 §4.2.4): DistinguishedName authorities <3..2^16-1>, each
//! a DER name <1..2^16-1>.

use super::super::codec::{Reader, Writer};
use super::super::span::Field;
use crate::error::TlsError;

pub(super) fn read(r: &mut Reader, what: &str) -> Result<Vec<Vec<u8>>, TlsError> {
    let mut list = r.sub16("certificate_authorities")?;
    let mut names = vec![];
    while !list.is_empty() {
        let dn = list.vec16_as(
            Field::shown_as("DistinguishedName", "distinguished name"),
            |_| "DER".into(),
        )?;
        if dn.is_empty() {
            return Err(TlsError::decode("certificate_authorities: empty name"));
        }
        names.push(dn.to_vec());
    }
    if names.is_empty() {
        return Err(TlsError::decode(format!("{what}: empty list")));
    }
    Ok(names)
}

pub(super) fn write(names: &[Vec<u8>], w: &mut Writer) {
    w.nested(2, |w| {
        for n in names {
            w.vec16(n);
        }
    });
}
