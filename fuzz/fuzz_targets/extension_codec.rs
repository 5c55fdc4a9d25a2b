//! The extension codec: bytes 0-1 are the ExtensionType, byte 2 selects the message it is in
//! (`ExtContext`), the rest is the extension data. Data that decodes must encode back to the
//! same bytes (known extensions; unknown and GREASE ones are kept raw by design), and
//! re-decode to the same meaning. The bytes after the selector are also read as a whole extensions block.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::codec::Reader;
use tlsprobe::wire::codec::Writer;
use tlsprobe::wire::codepoints::ExtensionType;
use tlsprobe::wire::extensions::{
    decode_body, encode_body, read_extensions, write_extensions, ExtBody,
};
use tlsprobe_fuzz::ext_context;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let typ = ExtensionType(u16::from_be_bytes([data[0], data[1]]));
    let ctx = ext_context(data[2]);
    let body = &data[3..];
    if let Ok(decoded) = decode_body(typ, body, ctx) {
        // Unknown and GREASE extensions are kept only as raw bytes (`Extension::data`).
        if matches!(decoded, ExtBody::Unknown | ExtBody::Grease) {
            return;
        }
        let enc = encode_body(&decoded);
        let again = match decode_body(typ, &enc, ctx) {
            Ok(a) => a,
            Err(e) => panic!("{typ} in {ctx:?}: the encoding does not decode again: {e:?}"),
        };
        assert_eq!(again, decoded);
        assert!(
            enc == body,
            "{typ} in {ctx:?}: decode then encode changed the bytes\n in: {}\nout: {}",
            hex(body),
            hex(&enc)
        );
    }
    let block = &data[3..];
    let mut r = Reader::new(block);
    if let Ok(exts) = read_extensions(&mut r, ctx) {
        if !exts.is_empty() {
            let mut w = Writer::new();
            write_extensions(&mut w, &exts);
            let out = w.into_bytes();
            assert_eq!(&out[..], &block[..out.len()]);
        }
    }
});

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
