//! Every handshake message codec: byte 0 selects the `DecodeContext` (version and key
//! exchange), byte 1 is the HandshakeType, the rest the body. A body that decodes must encode
//! back to the same bytes (the codec keeps what it read), and the whole message must encode to
//! type || uint24 length || body. Decoding the re-encoded body must give the same message
//! The same bytes also go through `split_messages`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::codepoints::HandshakeType;
use tlsprobe::wire::handshake::{split_messages, HandshakeMessage};
use tlsprobe_fuzz::decode_context;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let ctx = decode_context(data[0]);
    let typ = HandshakeType(data[1]);
    let body = &data[2..];
    if let Ok(msg) = HandshakeMessage::decode(typ, body, ctx) {
        let enc = msg.encode_body();
        // Decoding the encoding gives the same message.
        let again = HandshakeMessage::decode(typ, &enc, ctx).expect("re-decode");
        assert_eq!(again, msg);
        assert!(
            enc == body,
            "{typ} in {:?}: decode then encode changed the bytes\n in: {}\nout: {}",
            ctx,
            hex(body),
            hex(&enc)
        );
        let whole = msg.encode();
        assert_eq!(&whole[4..], body);
        assert_eq!(whole[0], msg.typ().0);
    }
    let mut buf = data[1..].to_vec();
    let before = buf.len();
    if let Ok(msgs) = split_messages(&mut buf) {
        let taken: usize = msgs.iter().map(|(_, _, raw)| raw.len()).sum();
        assert_eq!(taken + buf.len(), before);
        for (t, body, raw) in msgs {
            assert_eq!(raw[0], t.0);
            assert_eq!(&raw[4..], &body[..]);
        }
    }
});

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
