//! ClientHello messages built byte by byte, as tlsfuzzer's `ClientHelloGenerator` builds
//! them (RFC 5246 §7.4.1.2): the code points the scripts use, the length-prefixed vectors,
//! the extensions the cases put in, and what a hello offered.

use crate::common::scripted::raw_msg;

/// Cipher suites (and signalling values) by their code point.
pub const SCSV: u16 = 0x00ff;
pub const FALLBACK_SCSV: u16 = 0x5600;
pub const ECDHE_ECDSA_AES128GCM: u16 = 0xc02b;
pub const ECDHE_ECDSA_AES256GCM: u16 = 0xc02c;
pub const ECDHE_ECDSA_CHACHA: u16 = 0xcca9;
pub const ECDHE_RSA_AES128GCM: u16 = 0xc02f;
pub const ECDHE_RSA_CHACHA: u16 = 0xcca8;

/// Extension types by their code point.
pub const SNI: u16 = 0;
pub const GROUPS: u16 = 10;
pub const POINT_FORMATS: u16 = 11;
pub const SIGALGS: u16 = 13;
pub const PADDING: u16 = 21;
pub const EMS: u16 = 23;
pub const RSL: u16 = 28;
pub const SESSION_TICKET: u16 = 35;
pub const RENEGO: u16 = 0xff01;
pub const ALPN: u16 = 16;
pub const HEARTBEAT: u16 = 15;

/// Each value big-endian, one after the other.
pub fn u16s(v: &[u16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_be_bytes()).collect()
}

/// `v` with a one-byte length in front.
pub fn vec8(v: &[u8]) -> Vec<u8> {
    [&[v.len() as u8][..], v].concat()
}

/// `v` with a two-byte length in front.
pub fn vec16(v: &[u8]) -> Vec<u8> {
    [&(v.len() as u16).to_be_bytes()[..], v].concat()
}

/// supported_groups with `g` (RFC 8422 §5.1.1).
pub fn groups_ext(g: &[u16]) -> (u16, Vec<u8>) {
    (GROUPS, vec16(&u16s(g)))
}

/// signature_algorithms with `s` (RFC 5246 §7.4.1.4.1).
pub fn sigalgs_ext(s: &[u16]) -> (u16, Vec<u8>) {
    (SIGALGS, vec16(&u16s(s)))
}

/// signature_algorithms as tlsfuzzer's ECDHE and DHE scripts send it (ECDSA and RSA with
/// SHA-256 and SHA-384): since RFC 9155 §2 a TLS 1.2 server that signs needs it (without it,
/// only RSA key transport is left).
pub fn sigs() -> (u16, Vec<u8>) {
    sigalgs_ext(&[0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501])
}

/// application_layer_protocol_negotiation with `names` (RFC 7301 §3.1).
pub fn alpn_ext(names: &[&[u8]]) -> (u16, Vec<u8>) {
    let list: Vec<u8> = names.iter().flat_map(|n| vec8(n)).collect();
    (ALPN, vec16(&list))
}

/// server_name with (name type, name) entries (RFC 6066 §3).
pub fn sni_ext(entries: &[(u8, &[u8])]) -> (u16, Vec<u8>) {
    let list: Vec<u8> = entries
        .iter()
        .flat_map(|(t, n)| [&[*t][..], &vec16(n)].concat())
        .collect();
    (SNI, vec16(&list))
}

/// A ClientHello handshake message (header included) as tlsfuzzer's ClientHelloGenerator
/// builds it: `extensions: None` leaves the extensions block out entirely.
pub fn client_hello(
    version: u16,
    suites: &[u16],
    extensions: Option<&[(u16, Vec<u8>)]>,
) -> Vec<u8> {
    let mut b = version.to_be_bytes().to_vec();
    b.extend_from_slice(&[0x5a; 32]);
    b.push(0); // session_id
    b.extend(vec16(&u16s(suites)));
    b.extend(vec8(&[0])); // null compression
    if let Some(exts) = extensions {
        let block: Vec<u8> = exts
            .iter()
            .flat_map(|(t, d)| [&t.to_be_bytes()[..], &vec16(d)].concat())
            .collect();
        b.extend(vec16(&block));
    }
    raw_msg(1, &b)
}

/// `ch` (a ClientHello message) with `sid` as its session id.
pub fn with_session_id(ch: &[u8], sid: &[u8]) -> Vec<u8> {
    let mut m = ch.to_vec();
    m.splice(38..39, [&[sid.len() as u8][..], sid].concat());
    raw_msg(1, &m[4..])
}

/// The extension types a ClientHello message offers (the SCSV counting as
/// renegotiation_info).
pub fn offered_extensions(ch: &[u8]) -> Vec<u16> {
    let b = &ch[4..];
    let sid = b[34] as usize;
    let cs = u16::from_be_bytes([b[35 + sid], b[36 + sid]]) as usize;
    let at = 37 + sid + cs;
    let cm = b[at] as usize;
    let mut rest = &b[at + 1 + cm..];
    // RFC 5746 §3.6: the SCSV asks for renegotiation_info as the extension does.
    let suites = &b[37 + sid..37 + sid + cs];
    let mut out = vec![];
    if suites.chunks(2).any(|c| c == SCSV.to_be_bytes()) {
        out.push(RENEGO);
    }
    if rest.len() >= 2 {
        rest = &rest[2..];
        while rest.len() >= 4 {
            out.push(u16::from_be_bytes([rest[0], rest[1]]));
            let l = u16::from_be_bytes([rest[2], rest[3]]) as usize;
            rest = &rest[(4 + l).min(rest.len())..];
        }
    }
    out
}
