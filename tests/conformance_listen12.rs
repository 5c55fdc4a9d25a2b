//! `tlsprobe listen` over loopback against a scripted TLS 1.2 client, in the manner of
//! tlsfuzzer's TLS 1.2 scripts (test-conversation, test-x25519 "default to P-256/sha-1 when
//! no extensions specified" as RFC 9155 changed it, test-sig-algs-renegotiation-resumption,
//! test-invalid-compression-methods, test-invalid-client-hello,
//! test-fallback-scsv, test-message-skipping, test-zero-length-data, test-chacha20,
//! test-serverhello-random, test-lengths): what the in-memory tests (tests/conformance12/)
//! cannot show, namely the bytes on the socket, the HTTP answer, the close_notify exchange
//! and the TCP connection being closed after a fatal alert.
//!
//! The client is built from the library's primitives (ECDHE, PRF, AEAD), never from its
//! handshake code. Every read has a timeout and every loop a bound; the listener is killed
//! when the test ends.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use common::{connect_raw, expect_closed, listen, read_record, record};
use tlsprobe::crypto::aead::{AeadAlg, RecordCipher};
use tlsprobe::crypto::hash::HashAlg;
use tlsprobe::crypto::kx::{rsa_encrypt_premaster, EphemeralKey};
use tlsprobe::crypto::prf;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::handshake::cert_auth::leaf_spki;
use tlsprobe::wire::codepoints::NamedGroup;

const HS: u8 = 22;
const CCS: u8 = 20;
const ALERT: u8 = 21;
const APP: u8 = 23;

fn hs_msg(typ: u8, body: &[u8]) -> Vec<u8> {
    let l = (body.len() as u32).to_be_bytes();
    [&[typ, l[1], l[2], l[3]][..], body].concat()
}

/// A ClientHello without any extension block (tlsfuzzer's ClientHelloGenerator default).
fn bare_hello(suites: &[u16], compression: &[u8]) -> Vec<u8> {
    let mut b = vec![3, 3];
    b.extend_from_slice(&[0x5a; 32]);
    b.push(0);
    b.extend_from_slice(&((suites.len() * 2) as u16).to_be_bytes());
    for s in suites {
        b.extend_from_slice(&s.to_be_bytes());
    }
    b.push(compression.len() as u8);
    b.extend_from_slice(compression);
    hs_msg(1, &b)
}

/// The schemes `hello` offers in signature_algorithms: ecdsa_secp256r1_sha256,
/// rsa_pss_rsae_sha256, rsa_pkcs1_sha256.
const SIGALGS: [u16; 3] = [0x0403, 0x0804, 0x0401];

/// A ClientHello (null compression) whose only extension is signature_algorithms, which a
/// server needs to sign its key exchange (RFC 9155 §2).
fn hello(suites: &[u16]) -> Vec<u8> {
    let list: Vec<u8> = SIGALGS.iter().flat_map(|s| s.to_be_bytes()).collect();
    let mut ext = vec![0, 13];
    ext.extend_from_slice(&((list.len() + 2) as u16).to_be_bytes());
    ext.extend_from_slice(&(list.len() as u16).to_be_bytes());
    ext.extend_from_slice(&list);
    let mut b = bare_hello(suites, &[0])[4..].to_vec();
    b.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    b.extend_from_slice(&ext);
    hs_msg(1, &b)
}

/// The cipher suites a ClientHello message offers.
fn offered_suites(ch: &[u8]) -> Vec<u16> {
    let b = &ch[4..];
    let sid = b[34] as usize;
    let n = u16::from_be_bytes([b[35 + sid], b[36 + sid]]) as usize;
    b[37 + sid..37 + sid + n]
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect()
}

/// Sends `hello` and expects exactly one fatal alert `desc` in clear, then the TCP close.
fn refused(port: u16, hello: &[u8], desc: u8) {
    let mut s = connect_raw(port);
    s.write_all(&record(HS, hello)).unwrap();
    assert_eq!(read_record(&mut s), Some((ALERT, vec![2, desc])));
    expect_closed(&mut s);
}

/// An established TLS 1.2 connection to listen, from a scripted client: the socket and
/// both directions' record protection with their sequence numbers.
struct Conn12 {
    s: TcpStream,
    cw: RecordCipher,
    sw: RecordCipher,
    cseq: u64,
    sseq: u64,
}

impl Conn12 {
    /// Runs a handshake offering `suites` with signature_algorithms (`hello`): checks the
    /// server flight (SH, Certificate, SKE on secp256r1 signed with a scheme offered, SHD),
    /// sends CKE, CCS and Finished, and checks the server's CCS and Finished.
    fn handshake(port: u16, suites: &[u16]) -> Conn12 {
        Conn12::handshake_with(port, &hello(suites))
    }

    /// The handshake for the ClientHello `ch`: ECDHE (the SKE checked as in `handshake`),
    /// or RSA key transport with TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c: no SKE; the
    /// pre-master secret encrypted to the certificate's key, RFC 5246 §7.4.7.1).
    fn handshake_with(port: u16, ch: &[u8]) -> Conn12 {
        let mut s = connect_raw(port);
        let ch = ch.to_vec();
        s.write_all(&record(HS, &ch)).unwrap();
        let mut transcript = ch.clone();
        let mut msgs = vec![];
        for _ in 0..8 {
            let (ct, frag) = read_record(&mut s).expect("server flight");
            assert_eq!(ct, HS);
            transcript.extend_from_slice(&frag);
            let done = frag[0] == 14;
            msgs.push(frag);
            if done {
                break;
            }
        }
        let types: Vec<u8> = msgs.iter().map(|m| m[0]).collect();
        let sh = &msgs[0][4..];
        let server_random = sh[2..34].to_vec();
        let sid = sh[34] as usize;
        let suite = u16::from_be_bytes([sh[35 + sid], sh[36 + sid]]);
        assert!(offered_suites(&ch).contains(&suite), "{suite:#x}");
        // Only renegotiation_info (asked for by the SCSV) may come back (RFC 5746 §3.6).
        assert_eq!(&sh[38 + sid..], &[0, 5, 0xff, 0x01, 0, 1, 0]);
        let (pre_master, cke) = if suite == 0x009c {
            assert_eq!(types, vec![2, 11, 14], "SH, Certificate, SHD");
            let cert = &msgs[1][4..];
            let leaf_len = u32::from_be_bytes([0, cert[3], cert[4], cert[5]]) as usize;
            let spki = leaf_spki(&cert[6..6 + leaf_len]).unwrap();
            let mut pre_master = vec![3, 3];
            pre_master.extend_from_slice(&[0x42; 46]);
            let enc = rsa_encrypt_premaster(&spki, &pre_master, &mut seeded_rng(1)).unwrap();
            let body = [&(enc.len() as u16).to_be_bytes()[..], &enc].concat();
            (pre_master, hs_msg(16, &body))
        } else {
            assert_eq!(types, vec![2, 11, 12, 14], "SH, Certificate, SKE, SHD");
            let ske = &msgs[2][4..];
            assert_eq!(&ske[..3], &[3, 0, 0x17], "secp256r1 (RFC 8422 §4)");
            let plen = ske[3] as usize;
            let server_public = ske[4..4 + plen].to_vec();
            let scheme = u16::from_be_bytes([ske[4 + plen], ske[5 + plen]]);
            assert!(SIGALGS.contains(&scheme), "a scheme offered: {scheme:#06x}");
            let eph = EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(1)).unwrap();
            let public = eph.public_key();
            let pre_master = eph.agree(&server_public).unwrap();
            (
                pre_master,
                hs_msg(16, &[&[public.len() as u8][..], &public].concat()),
            )
        };
        transcript.extend_from_slice(&cke);
        let h = HashAlg::Sha256;
        let alg = match suite {
            0xc02b | 0xc02f | 0x009c => AeadAlg::Aes128Gcm,
            0xcca8 | 0xcca9 => AeadAlg::ChaCha20Poly1305,
            s => panic!("suite {s:#x} not handled by this client"),
        };
        let (kl, il) = (alg.key_len(), alg.tls12_fixed_iv_len());
        let master = prf::master_secret(h, &pre_master, &[0x5a; 32], &server_random);
        let kb = prf::key_block(h, &master, &server_random, &[0x5a; 32], 2 * kl + 2 * il);
        let mut cw = RecordCipher::tls12(alg, &kb[..kl], &kb[2 * kl..2 * kl + il]).unwrap();
        let mut sw = RecordCipher::tls12(alg, &kb[kl..2 * kl], &kb[2 * kl + il..]).unwrap();
        let vd = prf::finished_verify_data(h, &master, b"client finished", &h.hash(&transcript));
        let fin = hs_msg(20, &vd);
        transcript.extend_from_slice(&fin);
        let mut flight = record(HS, &cke);
        flight.extend(record(CCS, &[1]));
        flight.extend(record(HS, &cw.seal(0, HS, 0x0303, &fin)));
        s.write_all(&flight).unwrap();

        assert_eq!(read_record(&mut s), Some((CCS, vec![1])));
        let (ct, frag) = read_record(&mut s).expect("server Finished");
        assert_eq!(ct, HS);
        let want = prf::finished_verify_data(h, &master, b"server finished", &h.hash(&transcript));
        assert_eq!(sw.open(0, HS, 0x0303, &frag).unwrap(), hs_msg(20, &want));
        Conn12 {
            s,
            cw,
            sw,
            cseq: 1,
            sseq: 1,
        }
    }

    fn send(&mut self, ct: u8, data: &[u8]) {
        let rec = record(ct, &self.cw.seal(self.cseq, ct, 0x0303, data));
        self.cseq += 1;
        self.s.write_all(&rec).unwrap();
    }

    /// The next record from the server, opened: (content type, plaintext).
    fn recv(&mut self) -> (u8, Vec<u8>) {
        let (ct, frag) = read_record(&mut self.s).expect("a record from the server");
        let plain = self.sw.open(self.sseq, ct, 0x0303, &frag).unwrap();
        self.sseq += 1;
        (ct, plain)
    }

    /// Reads the HTTP answer up to the server's close_notify, answers it, and expects the
    /// TCP close; returns the answer.
    fn answer_then_close(&mut self) -> String {
        let mut answer = vec![];
        let mut closed = false;
        for _ in 1..64 {
            match self.recv() {
                (APP, plain) => answer.extend(plain),
                (ALERT, plain) => {
                    assert_eq!(plain, vec![1, 0], "warning close_notify");
                    closed = true;
                    break;
                }
                (t, _) => panic!("unexpected record type {t}"),
            }
        }
        assert!(closed, "the server closes with close_notify");
        self.send(ALERT, &[1, 0]);
        expect_closed(&mut self.s);
        String::from_utf8_lossy(&answer).into_owned()
    }
}

/// test-x25519 "default to P-256/sha-1 when no extensions specified" end to end, with
/// signature_algorithms (RFC 9155 §2), and the test-conversation exchange: GET (ended by a
/// bare "\n\n" as many tlsfuzzer scripts send it), the HTTP answer, close_notify both ways,
/// then the TCP close. Without any extension the ECDHE suites are refused with
/// handshake_failure (the SHA-1 default is gone), while RSA key transport, where the server
/// signs nothing, still serves such a hello (test-sig-algs-renegotiation-resumption
/// "without signature_algorithms and signature_algorithms_cert ext").
#[test]
fn ecdhe_needs_signature_algorithms_rsa_key_transport_does_not() {
    let l = listen(&[]);
    // ECDHE_ECDSA and ECDHE_RSA with AES-128-GCM (the same key schedule), then the SCSV
    let mut c = Conn12::handshake(l.port, &[0xc02b, 0xc02f, 0x00ff]);
    c.send(APP, b"GET / HTTP/1.0\n\n");
    let text = c.answer_then_close();
    assert!(text.starts_with("HTTP/1.0 200 OK"), "{text}");

    refused(l.port, &bare_hello(&[0xc02b, 0xc02f, 0x00ff], &[0]), 40);
    let mut c = Conn12::handshake_with(l.port, &bare_hello(&[0xc02b, 0x009c, 0x00ff], &[0]));
    c.send(APP, b"GET / HTTP/1.0\n\n");
    let text = c.answer_then_close();
    assert!(text.starts_with("HTTP/1.0 200 OK"), "{text}");
}

/// The signature policy in listen's trace, human and JSON: a hello without
/// signature_algorithms gets the warning that RFC 9155 §2 leaves only RSA key transport,
/// and when it offers none, the refusal's reason names signature algorithms.
#[test]
fn signature_policy_is_in_the_trace() {
    let warning = "the client sent no signature_algorithms, and RFC 9155 §2 forbids the SHA-1 default of RFC 5246 §7.4.1.4.1, so only a suite without a server signature (RSA key transport) can be chosen";
    for json in [false, true] {
        let mut l = listen(if json { &["--json"][..] } else { &[] });
        refused(l.port, &bare_hello(&[0xc02b, 0x00ff], &[0]), 40);
        let mut s = connect_raw(l.port);
        s.write_all(&record(HS, &bare_hello(&[0x009c, 0x00ff], &[0])))
            .unwrap();
        let (ct, frag) = read_record(&mut s).expect("ServerHello");
        assert_eq!((ct, frag[0]), (HS, 2));
        drop(s);
        let out = l.output(Duration::from_secs(1));
        let lines: Vec<&str> = out.lines().filter(|l| l.contains(warning)).collect();
        assert_eq!(lines.len(), 2, "one warning per connection:\n{out}");
        let kind = if json {
            "\"type\":\"warning\""
        } else {
            "warning:"
        };
        assert!(lines.iter().all(|l| l.contains(kind)), "{out}");
        assert!(
            out.contains("no suite without signatures in common"),
            "{out}"
        );
    }
}

/// test-invalid-compression-methods, test-invalid-client-hello "Client Hello type fuzz",
/// test-fallback-scsv: one fatal alert in clear, then listen closes the TCP connection; the
/// listener goes on serving (tlsfuzzer runs its sanity probe again at the end).
#[test]
fn fatal_alerts_then_the_connection_is_closed() {
    let l = listen(&[]);
    // illegal_parameter (47): no null compression
    refused(l.port, &bare_hello(&[0xc02b, 0xc02f], &[1]), 47);
    // unexpected_message (10): a ServerHello-typed first message
    let mut wrong_type = bare_hello(&[0xc02b], &[0]);
    wrong_type[0] = 2;
    refused(l.port, &wrong_type, 10);
    // inappropriate_fallback (86): TLS 1.2 with TLS_FALLBACK_SCSV while 1.3 is enabled
    refused(l.port, &bare_hello(&[0xc02b, 0xc02f, 0x5600], &[0]), 86);
    // decode_error (50): a truncated hello
    let mut short = bare_hello(&[0xc02b], &[0]);
    short.truncate(30);
    short[3] = 26;
    refused(l.port, &short, 50);
    // still serving
    let mut s = connect_raw(l.port);
    s.write_all(&record(HS, &hello(&[0xc02b, 0xc02f]))).unwrap();
    let (ct, frag) = read_record(&mut s).expect("ServerHello");
    assert_eq!((ct, frag[0]), (HS, 2));
}

/// test-tls13-record-layer-limits / test-invalid-client-hello-w-record-overflow with the
/// oversized record actually sent: the client keeps writing megabytes after the header that
/// listen refuses. listen must still deliver its record_overflow alert (it reads and drops
/// what follows before closing; closing with unread data would reset the connection and
/// could destroy the alert before the client reads it), then close.
#[test]
fn alert_survives_a_client_that_keeps_sending() {
    let l = listen(&[]);
    let mut s = connect_raw(l.port);
    let mut w = s.try_clone().unwrap();
    w.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    let writer = std::thread::spawn(move || {
        // A handshake record announcing 2^14 + 1 bytes (RFC 8446 §5.1, RFC 5246 §6.2.1),
        // then 4 MiB that a tlsfuzzer-style client sends regardless.
        let mut ok = w.write_all(&[HS, 3, 3, 0x40, 0x01]).is_ok();
        let junk = vec![0u8; 64 * 1024];
        for _ in 0..64 {
            ok = ok && w.write_all(&junk).is_ok();
        }
        ok
    });
    let wrote_all = writer.join().unwrap();
    assert!(
        wrote_all,
        "listen reset the connection while the client was still sending"
    );
    assert_eq!(read_record(&mut s), Some((ALERT, vec![2, 22])));
    expect_closed(&mut s);
}

/// test-message-skipping "skip all but Finished in SSLv3 / TLS 1.0 / TLS 1.1 / TLS 1.2 /
/// TLS 1.3" and "skip Client Hello": a Finished or a ClientKeyExchange as the first
/// message, in a record of version 3.0 to 3.3, is answered with one unexpected_message,
/// then the TCP close.
#[test]
fn first_message_not_a_client_hello() {
    let l = listen(&[]);
    for ver in [0u8, 1, 2, 3] {
        for msg in [
            hs_msg(20, &[0; 12]),
            hs_msg(16, &[&[1, 0][..], &[0xff; 256]].concat()),
        ] {
            let mut s = connect_raw(l.port);
            let mut rec = record(HS, &msg);
            rec[2] = ver;
            s.write_all(&rec).unwrap();
            assert_eq!(read_record(&mut s), Some((ALERT, vec![2, 10])), "3.{ver}");
            expect_closed(&mut s);
        }
    }
}

/// test-zero-length-data and test-chacha20 "empty app data", "1/n-1 record splitting": an
/// empty application data record, then the request in two records ("G", then the rest),
/// get the HTTP answer and the close_notify exchange; with AES-128-GCM and ChaCha20.
#[test]
fn empty_and_split_application_data_records() {
    let l = listen(&[]);
    for suite in [0xc02bu16, 0xcca9] {
        let mut c = Conn12::handshake(l.port, &[suite, 0x00ff]);
        c.send(APP, b"");
        c.send(APP, b"G");
        c.send(APP, b"ET / HTTP/1.0\nX-bad: aaaa\n\n");
        let text = c.answer_then_close();
        assert!(text.starts_with("HTTP/1.0 200 OK"), "{suite:#x}: {text}");
    }
}

/// test-chacha20 "max size plaintext", "too big plaintext", "N bytes long ciphertext": a
/// 2^14-byte request in one record is answered; 2^14 + 1 bytes of plaintext is
/// record_overflow and a 5-byte ciphertext (shorter than the tag) is bad_record_mac, each
/// one alert under the server's keys, then the TCP close.
#[test]
fn aead_record_length_limits() {
    let l = listen(&[]);
    let request = |n: usize| {
        let mut r = b"GET / HTTP/1.0\r\nX-test: ".to_vec();
        r.resize(n - 4, b'A');
        r.extend_from_slice(b"\r\n\r\n");
        r
    };
    let mut c = Conn12::handshake(l.port, &[0xcca9, 0x00ff]);
    c.send(APP, &request(1 << 14));
    let text = c.answer_then_close();
    assert!(text.starts_with("HTTP/1.0 200 OK"), "{text}");

    let mut c = Conn12::handshake(l.port, &[0xcca9, 0x00ff]);
    c.send(APP, &request((1 << 14) + 1));
    assert_eq!(c.recv(), (ALERT, vec![2, 22]));
    expect_closed(&mut c.s);

    let mut c = Conn12::handshake(l.port, &[0xcca9, 0x00ff]);
    c.s.write_all(&record(APP, &[0xa1; 5])).unwrap();
    assert_eq!(c.recv(), (ALERT, vec![2, 20]));
    expect_closed(&mut c.s);
}

/// test-serverhello-random: over 32 connections, the ServerHello random values are all
/// different, and so are the session IDs the server chose (empty ones aside).
#[test]
fn server_hello_random_is_unique() {
    let l = listen(&[]);
    let mut randoms = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    for _ in 0..32 {
        let mut s = connect_raw(l.port);
        s.write_all(&record(HS, &hello(&[0xc02b, 0xc02f, 0x00ff])))
            .unwrap();
        let (ct, frag) = read_record(&mut s).expect("ServerHello");
        assert_eq!((ct, frag[0]), (HS, 2));
        let sh = &frag[4..];
        assert!(randoms.insert(sh[2..34].to_vec()), "repeated random");
        let sid = &sh[35..35 + sh[34] as usize];
        if !sid.is_empty() {
            assert!(ids.insert(sid.to_vec()), "repeated session ID");
        }
    }
}

/// test-lengths with an AEAD suite (`-C TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` etc.) against
/// `listen --mode echo`: a record of 1 to 2^14 bytes of application data comes back as one
/// record of the same length, and the close_notify exchange follows.
#[test]
fn echo_returns_each_record_length() {
    let l = listen(&["--mode", "echo"]);
    for suite in [0xc02bu16, 0xcca9] {
        for n in [1usize, 2, 255, 256, 1000, 4096, (1 << 14) - 1, 1 << 14] {
            let mut c = Conn12::handshake(l.port, &[suite, 0x00ff]);
            let mut data = vec![b'A'; n - 1];
            data.push(b'\n');
            c.send(APP, &data);
            assert_eq!(c.recv(), (APP, data), "{suite:#x}, {n} bytes");
            c.send(ALERT, &[1, 0]);
            assert_eq!(c.recv(), (ALERT, vec![1, 0]));
            expect_closed(&mut c.s);
        }
    }
}
