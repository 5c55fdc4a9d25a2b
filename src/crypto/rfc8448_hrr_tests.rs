//! Known-answer test for the HelloRetryRequest trace of RFC 8448 §5 (TLS_AES_128_GCM_SHA256; the
//! client offers an X25519 share, the server asks for secp256r1 with a cookie). It drives the
//! transcript the way the handshake does (ClientHello1 collapsed into message_hash, RFC 8446
//! §4.4.1), then the key schedule, the Finished values and record protection, and compares every
//! step with the trace.

use p256::elliptic_curve::sec1::ToEncodedPoint;

use super::aead::{AeadAlg, RecordCipher};
use super::hash::{HashAlg, Transcript};
use super::key_schedule::tests::h;
use super::key_schedule::{
    derive_secret, early_secret, finished_verify_data, handshake_secret, master_secret,
    traffic_keys, TrafficKeys,
};

// The records exactly as the trace prints them ("complete record"); the handshake messages are
// the records without their 5-byte headers.

/// {client} send handshake record: ClientHello1 (X25519 share), 185 octets.
const CH1_RECORD: &str = "16 03 01 00 b4 01 00 00 b0 03 03 b0 b1 c5 a5 aa 37 c5 91 9f 2e d1 d5
    c6 ff f7 fc b7 84 97 16 94 5a 2b 8c ee 92 58 a3 46 67 7b 6f 00 00 06 13 01 13 03 13 02 01 00
    00 81 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 08 00 06 00 1d 00
    17 00 18 00 33 00 26 00 24 00 1d 00 20 e8 e8 e3 f3 b9 3a 25 ed 97 a1 4a 7d ca cb 8a 27 2c 62
    88 e5 85 c6 48 4d 05 26 2f ca d0 62 ad 1f 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03
    06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01
    01 00 1c 00 02 40 01";

/// {server} send handshake record: HelloRetryRequest (secp256r1, cookie), 181 octets.
const HRR_RECORD: &str = "16 03 03 00 b0 02 00 00 ac 03 03 cf 21 ad 74 e5 9a 61 11 be 1d 8c 02
    1e 65 b8 91 c2 a2 11 16 7a bb 8c 5e 07 9e 09 e2 c8 a8 33 9c 00 13 01 00 00 84 00 33 00 02 00
    17 00 2c 00 74 00 72 71 dc d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00 ee fa fc 76 c1 46 b8 23
    b0 96 f8 aa ca d3 65 dd 00 30 95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc 65 4b 1b 5b 40 31 8d
    10 d1 37 ab cb b8 75 74 e3 6e 8a 1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1 5b 0c 8b e7 78 25
    7d 16 aa 30 30 e9 e7 84 1d d9 e4 c0 34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9 34 b0 00 2b 00
    02 03 04";

/// {client} send handshake record: ClientHello2 (secp256r1 share, cookie, padding), 517 octets.
const CH2_RECORD: &str = "16 03 03 02 00 01 00 01 fc 03 03 b0 b1 c5 a5 aa 37 c5 91 9f 2e
    d1 d5 c6 ff f7 fc b7 84 97 16 94 5a 2b 8c ee 92 58 a3 46 67 7b 6f 00 00 06 13 01 13 03 13 02
    01 00 01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 08 00 06 00
    1d 00 17 00 18 00 33 00 47 00 45 00 17 00 41 04 a6 da 73 92 ec 59 1e 17 ab fd 53 59 64 b9 98
    94 d1 3b ef b2 21 b3 de f2 eb e3 83 0e ac 8f 01 51 81 26 77 c4 d6 d2 23 7e 85 cf 01 d6 91 0c
    fb 83 95 4e 76 ba 73 52 83 05 34 15 98 97 e8 06 57 80 00 2b 00 03 02 03 04 00 0d 00 20 00 1e
    04 03 05 03 06 03 02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00
    2c 00 74 00 72 71 dc d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00 ee fa fc 76 c1 46 b8 23 b0 96
    f8 aa ca d3 65 dd 00 30 95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc 65 4b 1b 5b 40 31 8d 10 d1
    37 ab cb b8 75 74 e3 6e 8a 1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1 5b 0c 8b e7 78 25 7d 16
    aa 30 30 e9 e7 84 1d d9 e4 c0 34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9 34 b0 00 2d 00 02 01
    01 00 1c 00 02 40 01 00 15 00 af 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";

/// {server} send handshake record: ServerHello (secp256r1 share), 128 octets.
const SH_RECORD: &str = "16 03 03 00 7b 02 00 00 77 03 03 bb 34 1d 84 7f d7 89 c4 7c 38 71 72
    dc 0c 9b f1 47 fc ca cb 50 43 d8 6c a4 c5 98 d3 ff 57 1b 98 00 13 01 00 00 4f 00 33 00 45 00
    17 00 41 04 58 3e 05 4b 7a 66 67 2a e0 20 ad 9d 26 86 fc c8 5b 5a d4 1a 13 4a 0f 03 ee 72 b8
    93 05 2b d8 5b 4c 8d e6 77 6f 5b 04 ac 07 d8 35 40 ea b3 e3 d9 c5 47 bc 65 28 c4 31 7d 29 46
    86 09 3a 6c ad 7d 00 2b 00 02 03 04";

/// {server} send handshake record: EncryptedExtensions, Certificate, CertificateVerify and
/// Finished under the server handshake traffic key, 667 octets.
const SERVER_FLIGHT_RECORD: &str = "17 03 03 02 96 99 be e2 0b af 5b 7f c7 27 bf ab 62 23 92 8a
    38 1e 6d 0c f9 c4 da 65 3f 9d 2a 7b 23 f7 de 11 cc e8 42 d5 cf 75 63 17 63 45 0f fb 8b 0c c1
    d2 38 e6 58 af 7a 12 ad c8 62 43 11 4a b1 4a 1d a2 fa e4 26 21 ce 48 3f b6 24 2e ab fa ad 52
    56 6b 02 b3 1d 2e dd ed ef eb 80 e6 6a 99 00 d5 f9 73 b4 0c 4f df 74 71 9e cf 1b 68 d7 f9 c3
    b6 ce b9 03 ca 13 dd 1b b8 f8 18 7a e3 34 17 e1 d1 52 52 2c 58 22 a1 a0 3a d5 2c 83 8c 55 95
    3d 61 02 22 87 4c ce 8e 17 90 b2 29 a2 aa 0b 53 c8 d3 77 ee 72 01 82 95 1d c6 18 1d c5 d9 0b
    d1 f0 10 5e d1 e8 4a a5 f7 59 57 c6 66 18 97 07 9e 5e a5 00 74 49 e3 19 7b dc 7c 9b ee ed dd
    ea fd d8 44 af a5 c3 15 ec fe 65 e5 76 af e9 09 81 28 80 62 0e c7 04 8b 42 d7 f5 c7 8d 76 f2
    99 d6 d8 25 34 bd d8 f5 12 fe bc 0e d3 81 4a ca 47 0c d8 00 0d 3e 1c b9 96 2b 05 2f bb 95 0d
    f6 83 a5 2c 2b a7 7e d3 71 3b 12 29 37 a6 e5 17 09 64 e2 ab 79 69 dc d9 80 b3 db 9b 45 8d a7
    60 31 24 d6 dc 00 5e 4d 6e 04 b4 d0 c4 ba f3 27 5d b8 27 db ba 0a 6d b0 96 72 17 1f c0 57 b3
    85 1d 7e 02 68 41 e2 97 8f bd 23 46 bb ef dd 03 76 bb 11 08 fe 9a cc 92 18 9f 56 50 aa 5e 85
    d8 e8 c7 b6 7a c5 10 db a0 03 d3 d7 e1 63 50 bb 66 d4 50 13 ef d4 4c 9b 60 7c 0d 31 8c 4c 7d
    1a 1f 5c bc 57 e2 06 11 80 4e 37 87 d7 b4 a4 b5 f0 8e d8 fd 70 bd ae ad e0 22 60 b1 2a b8 42
    ef 69 0b 4a 3e e7 91 1e 84 1b 37 4e cd 5e bb bc 2a 54 d0 47 b6 00 33 6d d7 d0 c8 8b 4b c1 0e
    58 ee 6c b6 56 de 72 47 fa 20 d8 e9 1d eb 84 62 86 08 cf 80 61 5b 62 e9 6c 14 91 c7 ac 37 55
    eb 69 01 40 5d 34 74 fe 1a c7 9d 10 6a 0c ee 56 c2 57 7f c8 84 80 f9 6c b6 b8 c6 81 b7 b6 8b
    53 c1 46 09 39 08 f3 50 88 81 75 bd fb 0b 1e 31 ad 61 e3 0b a0 ad fe 6d 22 3a a0 3c 07 83 b5
    00 1a 57 58 7c 32 8a 9a fc fc fb 97 8d 1c d4 32 8f 7d 9d 60 53 0e 63 0b ef d9 6c 0c 81 6e e2
    0b 01 00 76 8a e2 a6 df 51 fc 68 f1 72 74 0a 79 af 11 39 8e e3 be 12 52 49 1f a9 c6 93 47 9e
    87 7f 94 ab 7c 5f 8c ad 48 02 03 e6 ab 7b 87 dd 71 e8 a0 72 91 13 df 17 f5 ee e8 6c e1 08 d1
    d7 20 07 ec 1c d1 3c 85 a6 c1 49 62 1e 77 b7 d7 8d 80 5a 30 f0 be 03 0c 31 5e 54";

/// {client} send handshake record: the client Finished under the client handshake traffic key,
/// 58 octets.
const CLIENT_FINISHED_RECORD: &str = "17 03 03 00 35 d7 4f 19 23 c6 62 fd 34 13 7c 6f 50 2f 3d
    d2 b9 3d 95 1d 1b 3b c9 7e 42 af e2 3c 31 ab ea 92 fe 91 b4 74 99 9e 85 e3 b7 91 ce 25 2f e8
    c3 e9 f9 39 a4 12 0c b2";

/// {client} send alert record: close_notify under the client application traffic key.
const CLIENT_ALERT_RECORD: &str = "17 03 03 00 13 2e a6 cd f7 49 19 60 23 e2 b3 a4 94 91 69 55
    36 42 60 47";

/// {server} send alert record: close_notify under the server application traffic key.
const SERVER_ALERT_RECORD: &str = "17 03 03 00 13 51 9f c5 07 5c b0 88 43 49 75 9f f9 ef 6f 01
    1b b4 c6 f2";

// The ephemeral secp256r1 keys ({client}/{server} create an ephemeral P-256 key pair).
const CLIENT_P256_PRIVATE: &str = "ab 54 73 46 7e 19 34 6c eb 0a 04 14 e4 1d a2 1d 4d 24 45 bc
    30 25 af e9 7c 4e 8d c8 d5 13 da 39";
const CLIENT_P256_PUBLIC: &str = "04 a6 da 73 92 ec 59 1e 17 ab fd 53 59 64 b9 98 94 d1 3b ef b2
    21 b3 de f2 eb e3 83 0e ac 8f 01 51 81 26 77 c4 d6 d2 23 7e 85 cf 01 d6 91 0c fb 83 95 4e 76
    ba 73 52 83 05 34 15 98 97 e8 06 57 80";
const SERVER_P256_PRIVATE: &str = "8c 51 06 01 f9 76 5b fb 8e d6 93 44 9a 48 98 98 59 b5 cf a8
    79 cb 9f 54 43 c4 1c 5f f1 06 34 ed";
const SERVER_P256_PUBLIC: &str = "04 58 3e 05 4b 7a 66 67 2a e0 20 ad 9d 26 86 fc c8 5b 5a d4 1a
    13 4a 0f 03 ee 72 b8 93 05 2b d8 5b 4c 8d e6 77 6f 5b 04 ac 07 d8 35 40 ea b3 e3 d9 c5 47 bc
    65 28 c4 31 7d 29 46 86 09 3a 6c ad 7d";

// The key schedule.
/// {server} extract secret "handshake": IKM, the secp256r1 shared secret.
const SHARED: &str = "c1 42 ce 13 ca 11 b5 c2 23 36 52 e6 3a d3 d9 78 44 f1 62 1f bf b9 de 69
    d5 47 dc 8f ed ea be b4";
const EARLY: &str = "33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60
    e1 b2 2e 10 f1 70 f9 2a";
/// {server} derive secret for handshake "tls13 derived".
const HS_DERIVED: &str = "6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25
    0c eb ea c3 57 6c 36 11 ba";
const HS: &str = "ce 02 2e 5e 6e 81 e5 07 36 d7 73 f2 d3 ad fc e8 22 0d 04 9b f5 10 f0 db fa c9
    27 ef 42 43 b1 48";
/// Transcript-Hash(message_hash(ClientHello1), HelloRetryRequest, ClientHello2, ServerHello).
const HS_HASH: &str = "8a a8 e8 28 ec 2f 8a 88 4f ec 95 a3 13 9d e0 1c 15 a3 da a7 ff 5b fc 3f
    4b fc c2 1b 43 8d 7b f8";
const C_HS: &str = "15 8a a7 ab 88 55 07 35 82 b4 1d 67 4b 40 55 ca bc c5 34 72 8f 65 93 14 86
    1b 4e 08 e2 01 15 66";
const S_HS: &str = "34 03 e7 81 e2 af 7b 65 08 da 28 57 4f 6e 95 a1 ab f1 62 de 83 a9 79 27 c3
    76 72 a4 a0 ce f8 a1";
/// {server} derive secret for master "tls13 derived".
const MS_DERIVED: &str = "ad 1c bc d3 a0 dc 70 53 ee b3 ed 3a 47 90 1d 16 a9 fc 63 a7 3c 64 be
    b5 67 48 1a 7d fb 3a 2c b3";
const MASTER: &str = "11 31 54 5d 0b af 79 dd ce 9b 87 f0 69 45 78 1a 57 dd 18 ef 37 8d cd 20
    60 f8 f9 a5 69 02 7e d8";
/// Transcript-Hash(.., server Finished): the context of the application traffic secrets.
const AP_HASH: &str = "50 f6 3c bf 36 b0 dd 04 9e 7a 0b a2 7d 64 55 74 5e a2 aa ac 54 bb 16 7f
    99 50 b2 b7 ce 95 09 da";
const C_AP: &str = "75 ec f4 b9 72 52 5a a0 dc d0 57 c9 94 4d 4c d5 d8 26 71 d8 84 31 41 d7 dc
    2a 4f f1 5a 21 dc 51";
const S_AP: &str = "5c 74 f8 7d f0 42 25 db 0f 82 09 c9 de 64 29 e4 94 35 fd ef a7 ca d6 18 64
    87 4d 12 f3 1c fc 8d";
const EXP_MASTER: &str = "7c 06 d3 ae 10 6a 3a 37 4a ce 48 37 b3 98 5c ac 67 78 0a 6e 2c 5c 04
    b5 83 19 d5 84 df 09 d2 23";
const RES_MASTER: &str = "09 17 0c 6d 47 27 21 56 6f 9c f9 9b 08 69 9d af f5 61 ec 8f b2 2d 5a
    32 c3 f9 4c e0 09 b6 99 75";

/// The server's verify_data (the body of the Finished in the server's handshake payload).
const SERVER_FINISHED: &str = "88 63 e6 bf b0 42 0a 92 7f a2 7f 34 33 6a 70 ae 42 6e 96 8e 3e
    b8 84 94 5b 96 85 6d ba 39 76 d1";
/// The server's EncryptedExtensions (supported_groups, record_size_limit, server_name).
const ENCRYPTED_EXTENSIONS: &str = "08 00 00 18 00 16 00 0a 00 08 00 06 00 17 00 18 00 1d 00 1c
    00 02 40 01 00 00 00 00";

/// A handshake message: the record without its header, checking that the header's length field
/// covers exactly the rest.
fn message(record: &str) -> Vec<u8> {
    let r = h(record);
    assert_eq!(r[0], 22, "not a handshake record");
    assert_eq!(u16::from_be_bytes([r[3], r[4]]) as usize, r.len() - 5);
    r[5..].to_vec()
}

/// Opens a TLS 1.3 record and strips the content type: (inner type, content).
fn open13(keys: &TrafficKeys, seq: u64, record: &str) -> (u8, Vec<u8>) {
    let r = h(record);
    assert_eq!(&r[..3], &[23, 3, 3]);
    assert_eq!(u16::from_be_bytes([r[3], r[4]]) as usize, r.len() - 5);
    let mut c = RecordCipher::tls13(AeadAlg::Aes128Gcm, &keys.key, &keys.iv).unwrap();
    let mut inner = c.open(seq, 23, 0x0303, &r[5..]).unwrap();
    while inner.last() == Some(&0) {
        inner.pop();
    }
    let t = inner.pop().unwrap();
    (t, inner)
}

/// Splits handshake messages (4-byte headers) out of a byte string.
fn split_messages(mut b: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        assert!(b.len() >= 4, "trailing bytes after the last message");
        let n = 4 + u32::from_be_bytes([0, b[1], b[2], b[3]]) as usize;
        out.push(b[..n].to_vec());
        b = &b[n..];
    }
    out
}

#[test]
fn rfc8448_hrr_p256_shared_secret() {
    // The trace's private keys give the shares on the wire and the shared secret it feeds in.
    let client = p256::SecretKey::from_slice(&h(CLIENT_P256_PRIVATE)).unwrap();
    let server = p256::SecretKey::from_slice(&h(SERVER_P256_PRIVATE)).unwrap();
    let client_pub = client.public_key().to_encoded_point(false);
    let server_pub = server.public_key().to_encoded_point(false);
    assert_eq!(client_pub.as_bytes(), &h(CLIENT_P256_PUBLIC)[..]);
    assert_eq!(server_pub.as_bytes(), &h(SERVER_P256_PUBLIC)[..]);
    // ... and they are the key_share entries of ClientHello2 and ServerHello.
    let ch2 = message(CH2_RECORD);
    let sh = message(SH_RECORD);
    assert!(ch2.windows(65).any(|w| w == client_pub.as_bytes()));
    assert!(sh.windows(65).any(|w| w == server_pub.as_bytes()));
    let from_client = p256::ecdh::diffie_hellman(
        client.to_nonzero_scalar(),
        p256::PublicKey::from_sec1_bytes(server_pub.as_bytes())
            .unwrap()
            .as_affine(),
    );
    let from_server =
        p256::ecdh::diffie_hellman(server.to_nonzero_scalar(), client.public_key().as_affine());
    assert_eq!(from_client.raw_secret_bytes().to_vec(), h(SHARED));
    assert_eq!(from_server.raw_secret_bytes().to_vec(), h(SHARED));
}

#[test]
fn rfc8448_hrr_key_schedule() {
    let sha = HashAlg::Sha256;

    // Transcript: ClientHello1, collapsed into message_hash on the HelloRetryRequest, then
    // HelloRetryRequest, ClientHello2, ServerHello (RFC 8446 §4.4.1).
    let ch1 = message(CH1_RECORD);
    let hrr = message(HRR_RECORD);
    let ch2 = message(CH2_RECORD);
    let sh = message(SH_RECORD);
    assert_eq!(
        (ch1.len(), hrr.len(), ch2.len(), sh.len()),
        (180, 176, 512, 123)
    );
    let mut t = Transcript::new();
    t.update(&ch1);
    let ch1_hash = t.hash(sha);
    t.replace_with_message_hash(sha);
    assert_eq!(&t.bytes()[..4], &[254, 0, 0, 32]);
    assert_eq!(&t.bytes()[4..], &ch1_hash[..]);
    t.update(&hrr);
    t.update(&ch2);
    t.update(&sh);
    assert_eq!(t.hash(sha), h(HS_HASH));

    // Early secret (no PSK), handshake secret from the secp256r1 shared secret.
    let early = early_secret(sha, None);
    assert_eq!(early, h(EARLY));
    assert_eq!(
        derive_secret(sha, &early, "derived", &sha.empty_hash()),
        h(HS_DERIVED)
    );
    let hs = handshake_secret(sha, &early, &h(SHARED));
    assert_eq!(hs, h(HS));
    let c_hs = derive_secret(sha, &hs, "c hs traffic", &t.hash(sha));
    let s_hs = derive_secret(sha, &hs, "s hs traffic", &t.hash(sha));
    assert_eq!(c_hs, h(C_HS));
    assert_eq!(s_hs, h(S_HS));

    let s_hs_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &s_hs);
    assert_eq!(
        s_hs_keys.key,
        h("46 46 bf ac 17 12 c4 26 cd 78 d8 a2 4a 8a 6f 6b")
    );
    assert_eq!(s_hs_keys.iv, h("c7 d3 95 c0 8d 62 f2 97 d1 37 68 ea"));
    let c_hs_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &c_hs);
    assert_eq!(
        c_hs_keys.key,
        h("2f 1f 91 86 63 d5 90 e7 42 11 49 a2 9d 94 b0 b6")
    );
    assert_eq!(c_hs_keys.iv, h("41 4d 54 85 23 5e 1a 68 87 93 bd 74"));

    // The server's encrypted flight, opened with the server handshake key (sequence 0).
    let (ty, flight) = open13(&s_hs_keys, 0, SERVER_FLIGHT_RECORD);
    assert_eq!(ty, 22);
    assert_eq!(flight.len(), 645);
    let msgs = split_messages(&flight);
    assert_eq!(
        msgs.iter().map(|m| m[0]).collect::<Vec<_>>(),
        vec![8, 11, 15, 20]
    );
    assert_eq!(msgs[0], h(ENCRYPTED_EXTENSIONS));
    // CertificateVerify: rsa_pss_rsae_sha256 with a 128-byte signature.
    assert_eq!(&msgs[2][..8], &[15, 0, 0, 0x84, 0x08, 0x04, 0x00, 0x80]);

    // Server Finished over EE .. CertificateVerify.
    for m in &msgs[..3] {
        t.update(m);
    }
    let server_finished = finished_verify_data(sha, &s_hs, &t.hash(sha));
    assert_eq!(server_finished, h(SERVER_FINISHED));
    assert_eq!(&msgs[3][..4], &[20, 0, 0, 32]);
    assert_eq!(&msgs[3][4..], &server_finished[..]);
    t.update(&msgs[3]);
    assert_eq!(t.hash(sha), h(AP_HASH));

    // Master secret and the application traffic secrets.
    assert_eq!(
        derive_secret(sha, &hs, "derived", &sha.empty_hash()),
        h(MS_DERIVED)
    );
    let master = master_secret(sha, &hs);
    assert_eq!(master, h(MASTER));
    let c_ap = derive_secret(sha, &master, "c ap traffic", &t.hash(sha));
    let s_ap = derive_secret(sha, &master, "s ap traffic", &t.hash(sha));
    assert_eq!(c_ap, h(C_AP));
    assert_eq!(s_ap, h(S_AP));
    assert_eq!(
        derive_secret(sha, &master, "exp master", &t.hash(sha)),
        h(EXP_MASTER)
    );
    let s_ap_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &s_ap);
    assert_eq!(
        s_ap_keys.key,
        h("f2 7a 5d 97 bd 25 55 0c 48 23 b0 f3 e5 d2 93 88")
    );
    assert_eq!(s_ap_keys.iv, h("0d d6 31 f7 b7 1c bb c7 97 c3 5f e7"));
    let c_ap_keys = traffic_keys(sha, AeadAlg::Aes128Gcm, &c_ap);
    assert_eq!(
        c_ap_keys.key,
        h("a7 eb 2a 05 25 eb 43 31 d5 8f cb f9 f7 ca 2e 9c")
    );
    assert_eq!(c_ap_keys.iv, h("86 e8 be 22 7c 1b d2 b3 e3 9c b4 44"));

    // Client Finished: computed, and as the trace's record carries it under the client
    // handshake key.
    let client_finished = finished_verify_data(sha, &c_hs, &t.hash(sha));
    assert_ne!(client_finished, server_finished);
    let (ty, cfin) = open13(&c_hs_keys, 0, CLIENT_FINISHED_RECORD);
    assert_eq!(ty, 22);
    assert_eq!(&cfin[..4], &[20, 0, 0, 32]);
    assert_eq!(&cfin[4..], &client_finished[..]);
    t.update(&cfin);
    assert_eq!(
        derive_secret(sha, &master, "res master", &t.hash(sha)),
        h(RES_MASTER)
    );

    // Both close_notify alerts, the first records under the application keys.
    assert_eq!(open13(&c_ap_keys, 0, CLIENT_ALERT_RECORD), (21, vec![1, 0]));
    assert_eq!(open13(&s_ap_keys, 0, SERVER_ALERT_RECORD), (21, vec![1, 0]));

    // Sealing the client Finished again reproduces the trace's record byte for byte.
    let mut inner = cfin.clone();
    inner.push(22);
    let mut c = RecordCipher::tls13(AeadAlg::Aes128Gcm, &c_hs_keys.key, &c_hs_keys.iv).unwrap();
    assert_eq!(
        c.seal(0, 23, 0x0303, &inner),
        h(CLIENT_FINISHED_RECORD)[5..].to_vec()
    );
}
