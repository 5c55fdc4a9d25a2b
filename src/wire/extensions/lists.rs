//! The extensions that are one list of code points: supported_groups (RFC 8446 §4.2.7),
//! signature_algorithms and signature_algorithms_cert (§4.2.3), ec_point_formats (RFC 8422
//! §5.1.2), psk_key_exchange_modes (RFC 8446 §4.2.9), supported_versions (§4.2.1; the
//! server's is one version).

use std::fmt::Display;

use super::super::codec::{Reader, Writer};
use super::super::codepoints::{
    EcPointFormat, NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};
use super::super::span::{count, Field};
use super::{ExtBody, ExtContext};
use crate::error::TlsError;

fn non_empty<T>(v: Vec<T>, what: &str) -> Result<Vec<T>, TlsError> {
    if v.is_empty() {
        Err(TlsError::decode(format!("{what}: empty list")))
    } else {
        Ok(v)
    }
}

/// A list of two-byte code points with a two-byte length prefix, shown as `label` and items.
fn read_list16<T: Display>(
    r: &mut Reader,
    what: &str,
    label: &str,
    item: &str,
    make: impl Fn(u16) -> T,
) -> Result<Vec<T>, TlsError> {
    let mut sub = r.sub16_as(Field::shown_as(what, label), |l| count(l / 2, item))?;
    if sub.remaining() % 2 != 0 {
        return Err(TlsError::decode(format!("{what}: odd length")));
    }
    let mut out = Vec::with_capacity(sub.remaining() / 2);
    while !sub.is_empty() {
        out.push(sub.code16(Field::shown_as(what, item), &make)?);
    }
    Ok(out)
}

/// A list of one-byte code points with a one-byte length prefix.
fn read_list8<T: Display>(
    r: &mut Reader,
    what: &str,
    label: &str,
    item: &str,
    make: impl Fn(u8) -> T,
) -> Result<Vec<T>, TlsError> {
    let mut sub = r.sub8_as(Field::shown_as(what, label), |l| count(l, item))?;
    let mut out = Vec::with_capacity(sub.remaining());
    while !sub.is_empty() {
        out.push(sub.code8(Field::shown_as(what, item), &make)?);
    }
    Ok(out)
}

fn write_list16(w: &mut Writer, items: impl Iterator<Item = u16>) {
    w.nested(2, |w| {
        items.for_each(|x| {
            w.u16(x);
        })
    });
}

fn write_list8(w: &mut Writer, items: impl Iterator<Item = u8>) {
    w.nested(1, |w| {
        items.for_each(|x| {
            w.u8(x);
        })
    });
}

/// supported_groups: NamedGroupList <2..2^16-1>.
pub(super) fn read_groups(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    let groups = read_list16(r, what, "named_group list", "group", NamedGroup)?;
    Ok(ExtBody::SupportedGroups(non_empty(groups, what)?))
}

pub(super) fn write_groups(groups: &[NamedGroup], w: &mut Writer) {
    write_list16(w, groups.iter().map(|g| g.0));
}

/// signature_algorithms(_cert): SignatureSchemeList <2..2^16-2>.
pub(super) fn read_schemes(r: &mut Reader, what: &str) -> Result<Vec<SignatureScheme>, TlsError> {
    let schemes = read_list16(r, what, "signature scheme list", "scheme", SignatureScheme)?;
    non_empty(schemes, what)
}

pub(super) fn write_schemes(schemes: &[SignatureScheme], w: &mut Writer) {
    write_list16(w, schemes.iter().map(|s| s.0));
}

/// ec_point_formats: ECPointFormatList <1..2^8-1> (RFC 8422 §5.1.2), so an empty list is a
/// decode_error (RFC 5246 §7.2.2) in either hello. (A ClientHello's malformed
/// ec_point_formats is kept as `ExtBody::Malformed`: a TLS 1.3 server ignores it.)
pub(super) fn read_point_formats(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    let formats = read_list8(r, what, "ec_point_format list", "format", EcPointFormat)?;
    Ok(ExtBody::EcPointFormats(non_empty(formats, what)?))
}

pub(super) fn write_point_formats(formats: &[EcPointFormat], w: &mut Writer) {
    write_list8(w, formats.iter().map(|f| f.0));
}

/// psk_key_exchange_modes: ke_modes <1..255>.
pub(super) fn read_psk_modes(r: &mut Reader, what: &str) -> Result<ExtBody, TlsError> {
    let modes = read_list8(r, what, "ke_modes", "mode", PskKeyExchangeMode)?;
    Ok(ExtBody::PskKeyExchangeModes(non_empty(modes, what)?))
}

pub(super) fn write_psk_modes(modes: &[PskKeyExchangeMode], w: &mut Writer) {
    write_list8(w, modes.iter().map(|m| m.0));
}

/// supported_versions: the client's list <2..254>, or the version a server selected.
pub(super) fn read_versions(
    r: &mut Reader,
    what: &str,
    ctx: ExtContext,
) -> Result<ExtBody, TlsError> {
    if ctx != ExtContext::ClientHello {
        let selected = r.code16(Field::shown_as(what, "selected_version"), ProtocolVersion)?;
        return Ok(ExtBody::SupportedVersionsServer(selected));
    }
    let mut l = r.sub8_as(Field::shown_as(what, "versions"), |l| {
        format!("{} versions", l / 2)
    })?;
    if l.remaining() % 2 != 0 || l.is_empty() {
        return Err(TlsError::decode("supported_versions: bad list length"));
    }
    let mut versions = Vec::with_capacity(l.remaining() / 2);
    while !l.is_empty() {
        versions.push(l.code16(Field::shown_as(what, "version"), ProtocolVersion)?);
    }
    Ok(ExtBody::SupportedVersionsClient(versions))
}

pub(super) fn write_client_versions(versions: &[ProtocolVersion], w: &mut Writer) {
    w.nested(1, |w| {
        versions.iter().for_each(|v| {
            w.u16(v.0);
        })
    });
}
