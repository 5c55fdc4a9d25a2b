//! key_share (RFC 8446 §4.2.8): the client's shares, the server's share, or the group a
//! HelloRetryRequest asks for; the byte view labels each share's parts (`crypto::kx::layout`).

use super::super::codec::{Reader, Writer};
use super::super::codepoints::NamedGroup;
use super::super::span::Field;
use super::{ExtBody, ExtContext};
use crate::crypto::kx::{self, ShareFrom};
use crate::error::TlsError;

/// Parts longer than this are shown abbreviated at one `--hex` (an ML-KEM key or ciphertext).
const BULKY_PART: usize = 200;

/// One KeyShareEntry: group, key_exchange. When recording, the key_exchange is labelled by
/// what it holds (`kx::share_parts`): one public value, or an ML-KEM share's parts in the
/// draft's order (a hybrid's encapsulation key or ciphertext and its ECDHE share), each span
/// one level deeper.
fn read_entry<'a>(r: &mut Reader<'a>, from: ShareFrom) -> Result<(NamedGroup, &'a [u8]), TlsError> {
    let group = r.code16(Field::shown_as("key_share group", "group"), NamedGroup)?;
    if !r.is_recording() || !kx::is_kem(group) {
        let label = |b: &[u8]| match kx::share_parts(group, b, from).as_slice() {
            [one] if kx::supports(group) => format!("{} bytes, {}", b.len(), one.label),
            _ => format!("{} bytes, public key", b.len()),
        };
        return r.vec16_as("key_exchange", label).map(|key| (group, key));
    }
    let mut share = r.sub16("key_exchange")?;
    let key = share.whole();
    for part in kx::share_parts(group, key, from) {
        let len = part.range.len();
        let field = Field::shown_as("key_exchange", part.label);
        let field = if len > BULKY_PART {
            field.bulk()
        } else {
            field
        };
        share.take_as(len, field, |b| format!("{} bytes", b.len()))?;
    }
    Ok((group, key))
}

pub(super) fn read(r: &mut Reader, what: &str, ctx: ExtContext) -> Result<ExtBody, TlsError> {
    match ctx {
        ExtContext::ClientHello => {
            let mut list = r.sub16("client_shares")?;
            let mut shares = vec![];
            while !list.is_empty() {
                let (g, k) = read_entry(&mut list, ShareFrom::Client)?;
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
            let (g, k) = read_entry(r, ShareFrom::Server)?;
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
