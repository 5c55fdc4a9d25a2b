//! TLS 1.2 server conformance, mirroring the expectations of tlsfuzzer's TLS 1.2 scripts
//! (`scripts/test-*.py` of github.com/tlsfuzzer/tlsfuzzer; the script each test follows is
//! named in its doc comment). Nothing of tlsfuzzer is used: a small scripted client here
//! builds every ClientHello byte by byte (often with no extensions at all, as tlsfuzzer's
//! `ClientHelloGenerator` does), derives the TLS 1.2 keys itself (RFC 5246 §8.1, §6.3,
//! RFC 7627 §4) and seals its records, so the server is checked against an independent peer.
//!
//! What tlsfuzzer checks, and so what each case asserts: the exact alert (level fatal,
//! description) sent in answer, that it is the only thing sent, and that the connection then
//! refuses everything (listen closes the TCP connection: tests/conformance_listen12.rs), or
//! that the handshake completes, answers application data and exchanges close_notify.

use std::sync::Arc;

use super::config::{CertifiedKey, ServerConfig};
use super::hostile_tests::{expect_fatal, expect_plain, expect_sealed, join, parse, Rec, Sealer};
use super::hostile_tests::{ALERT, APP, CCS, HS};
use super::suite_params::{self, SuiteParams};
use super::tests::self_signed;
use super::Connection;
use crate::crypto::aead::RecordCipher;
use crate::crypto::kx::EphemeralKey;
use crate::crypto::rng::seeded_rng;
use crate::crypto::sign::SigningKey;
use crate::crypto::{prf, sign};
use crate::error::{Alert, AlertLevel};
use crate::event::{Dir, Event};
use crate::wire::codepoints::{ExtensionType as ET, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::suites::CipherSuite;

const SCSV: u16 = 0x00ff;
const FALLBACK_SCSV: u16 = 0x5600;
const ECDHE_ECDSA_AES128GCM: u16 = 0xc02b;
const ECDHE_ECDSA_AES256GCM: u16 = 0xc02c;
const ECDHE_ECDSA_CHACHA: u16 = 0xcca9;
const ECDHE_RSA_AES128GCM: u16 = 0xc02f;
const ECDHE_RSA_CHACHA: u16 = 0xcca8;

// extension types
const SNI: u16 = 0;
const GROUPS: u16 = 10;
const POINT_FORMATS: u16 = 11;
const SIGALGS: u16 = 13;
const PADDING: u16 = 21;
const EMS: u16 = 23;
const RSL: u16 = 28;
const SESSION_TICKET: u16 = 35;
const RENEGO: u16 = 0xff01;

fn u16s(v: &[u16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_be_bytes()).collect()
}

fn vec8(v: &[u8]) -> Vec<u8> {
    [&[v.len() as u8][..], v].concat()
}

fn vec16(v: &[u8]) -> Vec<u8> {
    [&(v.len() as u16).to_be_bytes()[..], v].concat()
}

fn hs_msg(typ: u8, body: &[u8]) -> Vec<u8> {
    let l = (body.len() as u32).to_be_bytes();
    [&[typ, l[1], l[2], l[3]][..], body].concat()
}

fn groups_ext(g: &[u16]) -> (u16, Vec<u8>) {
    (GROUPS, vec16(&u16s(g)))
}

fn sigalgs_ext(s: &[u16]) -> (u16, Vec<u8>) {
    (SIGALGS, vec16(&u16s(s)))
}

/// A ClientHello handshake message (header included) as tlsfuzzer's ClientHelloGenerator
/// builds it: `extensions: None` leaves the extensions block out entirely.
fn client_hello(version: u16, suites: &[u16], extensions: Option<&[(u16, Vec<u8>)]>) -> Vec<u8> {
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
    hs_msg(1, &b)
}

fn ecdsa_server() -> Arc<ServerConfig> {
    server_with(self_signed("localhost"), |_| {})
}

pub(super) fn rsa_key() -> CertifiedKey {
    let pem = include_str!("../crypto/testdata/rsa.pem");
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let kp = rcgen::KeyPair::from_pem(pem).unwrap();
    CertifiedKey {
        chain: vec![params.self_signed(&kp).unwrap().der().to_vec()],
        key: Arc::new(SigningKey::from_pem(pem).unwrap()),
    }
}

fn server_with(key: CertifiedKey, f: impl FnOnce(&mut ServerConfig)) -> Arc<ServerConfig> {
    let mut sc = ServerConfig::new(key);
    f(&mut sc);
    Arc::new(sc)
}

/// The server's ServerKeyExchange, decoded by hand (RFC 8422 §5.4).
struct Ske {
    group: NamedGroup,
    public: Vec<u8>,
    scheme: SignatureScheme,
    signature: Vec<u8>,
    params: Vec<u8>,
}

/// A scripted TLS 1.2 client in front of a server `Connection`, in the manner of tlsfuzzer.
struct Script {
    s: Connection,
    cfg: Arc<ServerConfig>,
    transcript: Vec<u8>,
    server_random: [u8; 32],
    suite: Option<SuiteParams>,
    sh_exts: Vec<u16>,
    ske: Option<Ske>,
    master: Vec<u8>,
    ems: bool,
    cw: Option<Sealer>,
    sw: Option<Sealer>,
    /// The ticket of the server's NewSessionTicket, if it sent one.
    ticket: Option<Vec<u8>>,
}

impl Script {
    fn new(cfg: Arc<ServerConfig>) -> Script {
        Script {
            s: Connection::server(cfg.clone(), seeded_rng(7)),
            cfg,
            transcript: vec![],
            server_random: [0; 32],
            suite: None,
            sh_exts: vec![],
            ske: None,
            master: vec![],
            ems: false,
            cw: None,
            sw: None,
            ticket: None,
        }
    }

    /// Sends a ClientHello message in one record; on success reads SH, Certificate,
    /// ServerKeyExchange, ServerHelloDone, checking the ServerHello answers only extensions
    /// the client sent (tlsfuzzer's ExpectServerHello).
    fn hello(&mut self, ch: &[u8]) -> Vec<Rec> {
        self.hello_in(ch, 1 << 14)
    }

    /// `hello` with the message split in records of at most `frag` bytes.
    fn hello_in(&mut self, ch: &[u8], frag: usize) -> Vec<Rec> {
        self.transcript.extend_from_slice(ch);
        let recs: Vec<u8> = ch
            .chunks(frag)
            .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
            .collect();
        self.s.feed(&recs).unwrap();
        let recs = parse(&self.s.take_output());
        let types: Vec<_> = recs.iter().map(|r| r.hs_type()).collect();
        // (a CertificateRequest before ServerHelloDone when the server asks for one)
        assert!(
            types == [Some(2), Some(11), Some(12), Some(14)]
                || types == [Some(2), Some(11), Some(12), Some(13), Some(14)],
            "{types:?}"
        );
        for r in &recs {
            self.transcript.extend_from_slice(&r.frag);
        }
        let sh = &recs[0].frag[4..];
        assert_eq!(&sh[..2], &[3, 3], "TLS 1.2");
        self.server_random.copy_from_slice(&sh[2..34]);
        let sid = sh[34] as usize;
        let suite = u16::from_be_bytes([sh[35 + sid], sh[36 + sid]]);
        self.suite = Some(suite_params::params(CipherSuite(suite)).unwrap());
        let mut rest = &sh[38 + sid..];
        let offered = offered_extensions(ch);
        if !rest.is_empty() {
            rest = &rest[2..];
            while !rest.is_empty() {
                let t = u16::from_be_bytes([rest[0], rest[1]]);
                let l = u16::from_be_bytes([rest[2], rest[3]]) as usize;
                assert!(offered.contains(&t), "unsolicited extension {t:#x}");
                self.sh_exts.push(t);
                rest = &rest[4 + l..];
            }
        }
        self.ems = self.sh_exts.contains(&EMS);
        let ske = &recs[2].frag[4..];
        assert_eq!(ske[0], 3, "named_curve");
        let plen = ske[3] as usize;
        let params = ske[..4 + plen].to_vec();
        let sig = &ske[4 + plen..];
        self.ske = Some(Ske {
            group: NamedGroup(u16::from_be_bytes([ske[1], ske[2]])),
            public: ske[4..4 + plen].to_vec(),
            scheme: SignatureScheme(u16::from_be_bytes([sig[0], sig[1]])),
            signature: sig[4..].to_vec(),
            params,
        });
        recs
    }

    fn suite(&self) -> u16 {
        self.suite.unwrap().suite.0
    }

    fn ske(&self) -> &Ske {
        self.ske.as_ref().unwrap()
    }

    /// Checks the ServerKeyExchange signature over client_random + server_random + params.
    fn check_ske_signature(&self) {
        let ske = self.ske();
        let mut signed = [0x5a; 32].to_vec();
        signed.extend_from_slice(&self.server_random);
        signed.extend_from_slice(&ske.params);
        let spki = super::cert_auth::leaf_spki(&self.cfg.cert.chain[0]).unwrap();
        match ske.scheme {
            SignatureScheme::ECDSA_SHA1 => {
                sign::verify_legacy(&spki, &signed, &ske.signature).unwrap();
            }
            SignatureScheme::RSA_PKCS1_SHA1 => {
                use rsa::Pkcs1v15Sign;
                let pk = sign::rsa_public_key(&spki).unwrap();
                let mut info = vec![
                    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00,
                    0x04, 0x14,
                ];
                info.extend(crate::crypto::hash::HashAlg::Sha1.hash(&signed));
                pk.verify(Pkcs1v15Sign::new_unprefixed(), &info, &ske.signature)
                    .unwrap();
            }
            s => sign::verify(s, &spki, &signed, &ske.signature, true).unwrap(),
        }
    }

    /// A ClientKeyExchange carrying `public` (hand-made, for bad points).
    fn cke_with(public: &[u8]) -> Vec<u8> {
        hs_msg(16, &vec8(public))
    }

    /// A valid ClientKeyExchange; derives the master secret and both record keys.
    fn cke(&mut self) -> Vec<u8> {
        let eph = EphemeralKey::generate(self.ske().group, &mut seeded_rng(9)).unwrap();
        let msg = Self::cke_with(&eph.public_key());
        let pre_master = eph.agree(&self.ske().public).unwrap();
        self.derive(&msg, &pre_master);
        msg
    }

    fn derive(&mut self, cke: &[u8], pre_master: &[u8]) {
        self.transcript.extend_from_slice(cke);
        let p = self.suite.unwrap();
        self.master = if self.ems {
            let session_hash = p.hash.hash(&self.transcript);
            prf::extended_master_secret(p.hash, pre_master, &session_hash).to_vec()
        } else {
            prf::master_secret(p.hash, pre_master, &[0x5a; 32], &self.server_random).to_vec()
        };
        let a = p.aead().unwrap();
        let (kl, il) = (a.key_len(), a.tls12_fixed_iv_len());
        let kb = prf::key_block(
            p.hash,
            &self.master,
            &self.server_random,
            &[0x5a; 32],
            2 * kl + 2 * il,
        );
        let sealer = |k: &[u8], iv: &[u8]| Sealer {
            c: RecordCipher::tls12(a, k, iv).unwrap(),
            seq: 0,
            tls13: false,
        };
        self.cw = Some(sealer(&kb[..kl], &kb[2 * kl..2 * kl + il]));
        self.sw = Some(sealer(&kb[kl..2 * kl], &kb[2 * kl + il..]));
    }

    fn finished(&self, label: &[u8]) -> Vec<u8> {
        let p = self.suite.unwrap();
        let th = p.hash.hash(&self.transcript);
        hs_msg(
            20,
            &prf::finished_verify_data(p.hash, &self.master, label, &th),
        )
    }

    /// CKE, CCS and the (possibly tampered) Finished, sealed: tlsfuzzer's second flight.
    fn flight2(&mut self, tamper: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let cke = self.cke();
        let mut fin = self.finished(b"client finished");
        tamper(&mut fin);
        self.transcript.extend_from_slice(&fin);
        let sealed = self.cw.as_mut().unwrap().seal(HS, &fin);
        join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
    }

    /// Completes the handshake: the server answers CCS and a Finished that verifies.
    fn complete(&mut self) {
        let f2 = self.flight2(|_| {});
        self.s.feed(&f2).unwrap();
        self.expect_server_finished();
    }

    /// The server's answer to a second flight it accepted: CCS and a Finished that verifies,
    /// after a NewSessionTicket if the ServerHello answered session_ticket (RFC 5077 §3.3).
    fn expect_server_finished(&mut self) {
        let mut recs = parse(&self.s.take_output());
        if recs.first().and_then(Rec::hs_type) == Some(4) {
            assert!(self.sh_exts.contains(&SESSION_TICKET), "unannounced ticket");
            let nst = recs.remove(0).frag;
            self.ticket = Some(nst[10..].to_vec()); // header, lifetime hint, length
            self.transcript.extend_from_slice(&nst);
        }
        assert_eq!(recs.iter().map(|r| r.ct).collect::<Vec<_>>(), vec![CCS, HS]);
        let want = self.finished(b"server finished");
        assert_eq!(self.sw.as_mut().unwrap().open(&recs[1]), want);
        assert!(self.s.is_established());
    }

    fn seal(&mut self, ct: u8, data: &[u8]) -> Vec<u8> {
        self.cw.as_mut().unwrap().seal(ct, data).bytes()
    }

    /// The happy end of test-conversation: GET, data comes back to the application, then
    /// close_notify both ways.
    fn conversation(&mut self) {
        let get = self.seal(APP, b"GET / HTTP/1.0\r\n\r\n");
        self.s.feed(&get).unwrap();
        let evs = super::hostile_tests::drain(&mut self.s);
        assert!(evs.iter().any(
            |e| matches!(e, Event::AppData { dir: Dir::In, data } if data == b"GET / HTTP/1.0\r\n\r\n")
        ));
        self.s.send_data(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
        let out = parse(&self.s.take_output());
        assert_eq!(
            self.sw.as_mut().unwrap().open(&out[0]),
            b"HTTP/1.0 200 OK\r\n\r\n"
        );
        let close = self.seal(ALERT, &[1, 0]);
        self.s.feed(&close).unwrap();
        assert!(self.s.peer_closed());
        self.s.close();
        let out = parse(&self.s.take_output());
        assert_eq!(self.sw.as_mut().unwrap().open(&out[0]), vec![1, 0]);
    }
}

fn offered_extensions(ch: &[u8]) -> Vec<u16> {
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

/// Feeds one ClientHello message (in one record) and expects a plaintext fatal `want`.
fn hello_refused(cfg: &Arc<ServerConfig>, ch: Vec<u8>, want: Alert) {
    let mut s = Connection::server(cfg.clone(), seeded_rng(3));
    let r = s.feed(&Rec::new(HS, ch).bytes());
    expect_plain(&mut s, r, want);
}

// ================================================================== complete handshakes

/// test-x25519 "default to P-256/sha-1 when no extensions specified", test-conversation,
/// test-ecdhe-rsa-key-exchange, test-chacha20, test-aes-gcm-nonces and the "sanity" probe of
/// every script: ECDHE + AEAD handshakes, with no extensions at all or only some. Without
/// supported_groups the server uses secp256r1 (RFC 8422 §4); without signature_algorithms
/// it signs with SHA-1 (RFC 5246 §7.4.1.4.1).
#[test]
fn ecdhe_aead_handshakes_with_few_or_no_extensions() {
    let ecdsa = ecdsa_server();
    let rsa = server_with(rsa_key(), |_| {});
    let all_sigs = sigalgs_ext(&[0x0403, 0x0804, 0x0401, 0x0201, 0x0203]);
    type Case<'a> = (
        &'a Arc<ServerConfig>,
        u16,
        Option<Vec<(u16, Vec<u8>)>>,
        NamedGroup,
        SignatureScheme,
    );
    let cases: Vec<Case> = vec![
        (
            &ecdsa,
            ECDHE_ECDSA_AES128GCM,
            None,
            NamedGroup::SECP256R1,
            SignatureScheme::ECDSA_SHA1,
        ),
        (
            &rsa,
            ECDHE_RSA_AES128GCM,
            None,
            NamedGroup::SECP256R1,
            SignatureScheme::RSA_PKCS1_SHA1,
        ),
        (
            &rsa,
            ECDHE_RSA_CHACHA,
            Some(vec![]),
            NamedGroup::SECP256R1,
            SignatureScheme::RSA_PKCS1_SHA1,
        ),
        (
            &ecdsa,
            ECDHE_ECDSA_CHACHA,
            Some(vec![groups_ext(&[0x001d, 0x0017])]),
            NamedGroup::X25519,
            SignatureScheme::ECDSA_SHA1,
        ),
        (
            &ecdsa,
            ECDHE_ECDSA_AES256GCM,
            Some(vec![all_sigs.clone()]),
            NamedGroup::SECP256R1,
            SignatureScheme::ECDSA_SECP256R1_SHA256,
        ),
        (
            &rsa,
            ECDHE_RSA_AES128GCM,
            Some(vec![groups_ext(&[0x0018]), all_sigs.clone()]),
            NamedGroup::SECP384R1,
            SignatureScheme::RSA_PSS_RSAE_SHA256,
        ),
        (
            &rsa,
            ECDHE_RSA_AES128GCM,
            Some(vec![
                groups_ext(&[0x0017, 0x0100]),
                all_sigs.clone(),
                (RENEGO, vec![0]),
                (EMS, vec![]),
            ]),
            NamedGroup::SECP256R1,
            SignatureScheme::RSA_PSS_RSAE_SHA256,
        ),
    ];
    for (cfg, suite, exts, group, scheme) in cases {
        let mut sc = Script::new(cfg.clone());
        sc.hello(&client_hello(0x0303, &[suite, SCSV], exts.as_deref()));
        assert_eq!(sc.suite(), suite);
        assert_eq!(
            (sc.ske().group, sc.ske().scheme),
            (group, scheme),
            "{suite:#x}"
        );
        sc.check_ske_signature();
        // A SHA-1 default is flagged on the ServerKeyExchange (RFC 9155 deprecates it).
        let warned = std::iter::from_fn(|| sc.s.next_event()).any(|e| {
            matches!(e, Event::Handshake { checks, .. }
                if checks.iter().any(|c| !c.ok && c.detail.starts_with("SHA-1")))
        });
        let sha1 = matches!(
            scheme,
            SignatureScheme::ECDSA_SHA1 | SignatureScheme::RSA_PKCS1_SHA1
        );
        assert_eq!(warned, sha1, "{suite:#x}");
        assert!(sc.sh_exts.contains(&RENEGO), "RFC 5746 §3.6");
        sc.complete();
        sc.conversation();
    }
}

/// test-extended-master-secret-extension "extended master secret w/ECDHE": the server
/// answers the extension and derives the master secret from the session hash (RFC 7627 §4),
/// which the independent derivation here must match for the Finished messages to verify.
#[test]
fn extended_master_secret_is_negotiated_and_used() {
    let mut sc = Script::new(ecdsa_server());
    let exts = [(RENEGO, vec![0]), (EMS, vec![]), groups_ext(&[0x0017])];
    sc.hello(&client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&exts)));
    assert!(sc.ems);
    sc.complete();
    sc.conversation();
}

/// test-fallback-scsv "FALLBACK - hello TLSv1.2": with TLS 1.3 enabled, TLS_FALLBACK_SCSV in a
/// TLS 1.2 hello is inappropriate_fallback (RFC 7507 §3); a TLS 1.2-only server accepts it.
#[test]
fn fallback_scsv() {
    for place in 0..3 {
        let mut suites = vec![SCSV, ECDHE_ECDSA_AES128GCM, 0x1301];
        suites.insert(place, FALLBACK_SCSV);
        hello_refused(
            &ecdsa_server(),
            client_hello(0x0303, &suites, None),
            Alert::InappropriateFallback,
        );
        let only12 = server_with(self_signed("localhost"), |c| {
            c.versions = vec![ProtocolVersion::TLS12]
        });
        let mut sc = Script::new(only12);
        sc.hello(&client_hello(0x0303, &suites, None));
        sc.complete();
    }
}

/// test-empty-extensions, test-large-number-of-extensions, test-record-layer-fragmentation,
/// test-large-hello: an empty extensions block, many unknown extensions, and hellos of up to
/// the 2^16-5 byte padding extension, fragmented down to 1-byte records, all complete.
#[test]
fn odd_but_valid_hellos_complete() {
    let cfg = ecdsa_server();
    let many: Vec<(u16, Vec<u8>)> = (0..1000u16).map(|i| (0x4000 + i, vec![])).collect();
    let hellos = vec![
        (
            client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[])),
            1 << 14,
        ),
        (
            client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&many)),
            1 << 14,
        ),
        (
            client_hello(
                0x0303,
                &[ECDHE_ECDSA_AES128GCM],
                Some(&[(PADDING, vec![0; 65531])]),
            ),
            1 << 14,
        ),
        (
            client_hello(
                0x0303,
                &[ECDHE_ECDSA_AES128GCM],
                Some(&[(PADDING, vec![0; 1024])]),
            ),
            1,
        ),
        (
            client_hello(
                0x0303,
                &[ECDHE_ECDSA_AES128GCM],
                Some(&[(PADDING, vec![0; 4096])]),
            ),
            20,
        ),
    ];
    for (ch, frag) in hellos {
        let mut sc = Script::new(cfg.clone());
        sc.hello_in(&ch, frag);
        sc.complete();
        sc.conversation();
    }
}

/// test-renegotiation-disabled "try secure renegotiation with incomplete GET": a ClientHello
/// after the handshake gets a warning no_renegotiation (RFC 5746 §4.2, RFC 5246 §7.2.2) and
/// the connection goes on; test-hello-request-by-client: HelloRequest to the server is
/// unexpected_message.
#[test]
fn renegotiation_refused_with_a_warning_and_hello_request_is_unexpected() {
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&client_hello(
        0x0303,
        &[ECDHE_ECDSA_AES128GCM],
        Some(&[(RENEGO, vec![0])]),
    ));
    sc.complete();
    let part = sc.seal(APP, b"GET / HTTP/1.0\r\n");
    sc.s.feed(&part).unwrap();
    let ch = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[(RENEGO, vec![0])]));
    let reneg = sc.seal(HS, &ch);
    sc.s.feed(&reneg).unwrap();
    let out = parse(&sc.s.take_output());
    assert_eq!(out.len(), 1);
    assert_eq!(
        sc.sw.as_mut().unwrap().open(&out[0]),
        vec![1, Alert::NoRenegotiation.to_u8()]
    );
    sc.conversation();

    hello_refused(&ecdsa_server(), hs_msg(0, &[]), Alert::UnexpectedMessage);
}

// ================================================================== refused ClientHellos

/// test-invalid-client-hello "Client Hello type fuzz to N": any handshake type other than
/// client_hello first is unexpected_message, whatever its body (RFC 5246 §7.4).
#[test]
fn client_hello_type_fuzz_is_unexpected_message() {
    let cfg = ecdsa_server();
    let ch = client_hello(0x0303, &[0x002f, SCSV], None);
    for t in (0..=255u8).filter(|t| *t != 1) {
        let mut m = ch.clone();
        m[0] = t;
        hello_refused(&cfg, m, Alert::UnexpectedMessage);
    }
}

/// test-invalid-client-hello: session ID, cipher suites, compression methods and extensions
/// lengths fuzzed (substituted or XORed at tlsfuzzer's offsets) are all decode_error.
#[test]
fn client_hello_length_fuzz_is_decode_error() {
    let cfg = ecdsa_server();
    let plain = client_hello(0x0303, &[0x002f, SCSV], None);
    let with_ext = client_hello(0x0303, &[0x002f], Some(&[(RENEGO, vec![0])]));
    let mut cases: Vec<Vec<u8>> = vec![];
    let subst = |base: &Vec<u8>, at: &[(usize, u8)]| {
        let mut m = base.clone();
        for (i, v) in at {
            m[*i] = *v;
        }
        m
    };
    let xor = |base: &Vec<u8>, at: usize, v: u8| subst(base, &[(at, base[at] ^ v)]);
    for i in 1..=255u8 {
        cases.push(subst(&plain, &[(38, i)])); // session ID length
        cases.push(subst(&with_ext, &[(38, i)]));
        cases.push(xor(&plain, 40, i)); // cipher suites length
        cases.push(xor(&with_ext, 40, i));
        cases.push(xor(&plain, 45, i)); // compression methods length
        if 1 ^ i != 8 {
            cases.push(xor(&with_ext, 43, i)); // (8 makes a valid extension-less hello)
        }
        cases.push(xor(&with_ext, 46, i)); // extensions length
    }
    for i in [1u8, 2, 4, 8, 16, 128, 254, 255] {
        for j in 0..=255u8 {
            cases.push(subst(&plain, &[(39, i), (40, j)]));
            cases.push(subst(&with_ext, &[(39, i), (40, j)]));
            if i != 128 {
                cases.push(subst(&with_ext, &[(45, i), (46, j)]));
            }
        }
    }
    for m in cases {
        hello_refused(&cfg, m, Alert::DecodeError);
    }
}

/// Refused hellos, each with tlsfuzzer's expected alert:
/// test-invalid-compression-methods, test-invalid-session-id, test-invalid-cipher-suites,
/// test-extended-master-secret-extension "malformed extended master secret ext",
/// test-point-extension, test-record-size-limit "Invalid value in extension in TLS 1.2",
/// test-x25519 "only unknown group - no fallback to DHE", test-invalid-version.
#[test]
fn refused_client_hellos() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let ecc = groups_ext(&[0x0017, 0x0100]);
    let mut no_null = client_hello(0x0303, &[0x002f, SCSV], None);
    let n = no_null.len();
    no_null[n - 1] = 1; // only deflate
    let mut b = 0x0303u16.to_be_bytes().to_vec();
    b.extend_from_slice(&[1; 32]);
    b.push(0);
    b.extend(vec16(&u16s(&[e])));
    b.extend(vec8(&(1..=255).collect::<Vec<u8>>()));
    let all_but_null = hs_msg(1, &b);
    let mut long_sid = client_hello(0x0303, &[e], None);
    long_sid.splice(38..39, [&[33u8][..], &[3; 33]].concat());
    long_sid = hs_msg(1, &long_sid[4..]);
    let cases: Vec<(Vec<u8>, Alert)> = vec![
        (no_null, Alert::IllegalParameter),
        (all_but_null, Alert::IllegalParameter),
        (long_sid, Alert::DecodeError),
        (
            client_hello(0x0303, &(0x0100..0x1001).collect::<Vec<u16>>(), None),
            Alert::HandshakeFailure,
        ),
        (client_hello(0x0303, &[SCSV], None), Alert::HandshakeFailure),
        (
            client_hello(0x0303, &[e], Some(&[(EMS, vec![0])])),
            Alert::DecodeError,
        ),
        (
            client_hello(
                0x0303,
                &[e],
                Some(&[ecc.clone(), (POINT_FORMATS, vec8(&[1]))]),
            ),
            Alert::IllegalParameter,
        ),
        (
            client_hello(
                0x0303,
                &[e],
                Some(&[ecc.clone(), (POINT_FORMATS, vec8(&[]))]),
            ),
            Alert::IllegalParameter,
        ),
        (
            client_hello(0x0303, &[e], Some(&[(RSL, 63u16.to_be_bytes().to_vec())])),
            Alert::IllegalParameter,
        ),
        (
            client_hello(0x0303, &[e, SCSV], Some(&[groups_ext(&[11200])])),
            Alert::HandshakeFailure,
        ),
        (
            client_hello(0x0303, &[e], Some(&[(RENEGO, vec![1, 0])])),
            Alert::HandshakeFailure,
        ),
        (client_hello(0x0103, &[e], None), Alert::ProtocolVersion),
        (
            client_hello(0x0303, &[e], Some(&[(SNI, vec![0, 3, 0, 0, 5])])),
            Alert::DecodeError,
        ),
    ];
    for (ch, want) in cases {
        hello_refused(&cfg, ch, want);
    }
    // ...while a point format list that has uncompressed among unsupported ones is fine
    // (test-point-extension "ECDHE uncompressed with unsupported compressed").
    let mut sc = Script::new(cfg);
    sc.hello(&client_hello(
        0x0303,
        &[e],
        Some(&[ecc, (POINT_FORMATS, vec8(&[2, 0]))]),
    ));
    assert!(sc.sh_exts.contains(&POINT_FORMATS));
    sc.complete();
}

/// test-invalid-content-type, test-invalid-client-hello-w-record-overflow,
/// test-record-layer-fragmentation "non fragmented, over fragmentation limit": unknown record
/// types are unexpected_message, plaintext records over 2^14 are record_overflow, and a
/// zero-length handshake record is unexpected_message (RFC 5246 §6.2.1).
#[test]
fn record_layer_refusals_before_the_handshake() {
    let cfg = ecdsa_server();
    let ch = client_hello(
        0x0303,
        &[ECDHE_ECDSA_AES128GCM],
        Some(&[(PADDING, vec![0; 1 << 14])]),
    );
    let mut cases = vec![
        (Rec::new(HS, ch).bytes(), Alert::RecordOverflow),
        (Rec::new(HS, vec![]).bytes(), Alert::UnexpectedMessage),
    ];
    for ct in [0u8, 1, 19, 24, 25, 255] {
        cases.push((Rec::new(ct, vec![1, 0]).bytes(), Alert::UnexpectedMessage));
    }
    for (bytes, want) in cases {
        let mut s = Connection::server(cfg.clone(), seeded_rng(3));
        let r = s.feed(&bytes);
        expect_plain(&mut s, r, want);
    }
}

// ================================================================== refused second flights

/// Runs a handshake to the server's first flight and feeds `f(script)`; expects a plaintext
/// fatal `want` (the server has not switched its write keys yet).
fn second_flight_refused(
    suite: u16,
    groups: &[u16],
    f: impl FnOnce(&mut Script) -> Vec<u8>,
    want: Alert,
) {
    let mut sc = Script::new(ecdsa_server());
    let exts = [groups_ext(groups), sigalgs_ext(&[0x0403])];
    sc.hello(&client_hello(0x0303, &[suite], Some(&exts)));
    let bytes = f(&mut sc);
    let r = sc.s.feed(&bytes);
    expect_plain(&mut sc.s, r, want);
}

/// test-ecdhe-rsa-key-exchange-with-bad-messages and test-x25519: bad ecdh_Yc values in
/// ClientKeyExchange (sent with CCS and Finished in one write, like TCPBufferingEnable).
/// Invalid points and wrong sizes are illegal_parameter (RFC 8422 §5.10, RFC 8446 §4.2.8.2
/// via RFC 8422 §5.11), a truncated or padded message decode_error; an x25519 value with
/// the high bit set is accepted (RFC 7748 §5), so only the Finished fails: bad_record_mac.
#[test]
fn bad_client_key_exchange() {
    let p256 = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut pt = EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(4))
            .unwrap()
            .public_key();
        f(&mut pt);
        Script::cke_with(&pt)
    };
    type Make = Box<dyn Fn(&mut Script) -> Vec<u8>>;
    let rest = |cke: Vec<u8>| {
        join(&[
            Rec::new(HS, cke),
            Rec::new(CCS, vec![1]),
            Rec::new(HS, hs_msg(20, &[0; 12])),
        ])
    };
    let cases: Vec<(u16, Make, Alert)> = vec![
        (
            0x17,
            Box::new(move |_| {
                rest(p256(&|p| {
                    p[1..].fill(0);
                    p[64] = 1;
                }))
            }),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| rest(p256(&|p| p[1..].fill(0)))),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| rest(p256(&|p| p[33..].fill(0)))),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| rest(p256(&|p| p[64] ^= 0xff))),
            Alert::IllegalParameter,
        ),
        (
            0x17,
            Box::new(move |_| {
                let mut m = p256(&|_| {});
                m.pop();
                rest(hs_msg(16, &m[4..]))
            }),
            Alert::DecodeError,
        ),
        (
            0x17,
            Box::new(move |_| {
                let m = p256(&|_| {});
                rest(hs_msg(16, &[&m[4..], &[0]].concat()))
            }),
            Alert::DecodeError,
        ),
        (
            0x1d,
            Box::new(move |_| rest(Script::cke_with(&[55; 31]))),
            Alert::IllegalParameter,
        ),
        (
            0x1d,
            Box::new(move |_| rest(Script::cke_with(&[55; 33]))),
            Alert::IllegalParameter,
        ),
        (
            0x1d,
            Box::new(move |_| rest(hs_msg(16, &[0]))),
            Alert::DecodeError,
        ),
        (
            0x1d,
            Box::new(move |_| rest(Script::cke_with(&[0; 32]))),
            Alert::IllegalParameter,
        ),
    ];
    for (g, make, want) in cases {
        // (our ECDSA certificate's curve must be offered too, RFC 8422 §5.1)
        second_flight_refused(ECDHE_ECDSA_AES128GCM, &[g, 0x17], make, want);
    }
    // high bit set: the key exchange goes through with a secret we do not know
    second_flight_refused(
        ECDHE_ECDSA_AES128GCM,
        &[0x1d, 0x17],
        |sc| {
            let mut v = [55u8; 32];
            v[31] = 0x80;
            let cke = Script::cke_with(&v);
            sc.derive(&cke, &[0x11; 32]);
            let fin = sc.finished(b"client finished");
            let sealed = sc.cw.as_mut().unwrap().seal(HS, &fin);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        },
        Alert::BadRecordMac,
    );
}

/// test-fuzzed-finished (XOR of verify_data bytes: decrypt_error) and truncated or padded
/// Finished messages (decode_error, RFC 5246 §7.4.9: verify_data is 12 bytes).
#[test]
fn fuzzed_finished() {
    type Tamper = fn(&mut Vec<u8>);
    type Case = (Box<dyn Fn(&mut Vec<u8>)>, Alert);
    let mut cases: Vec<Case> = vec![];
    for pos in [1usize, 2, 6, 12] {
        for val in [0x01u8, 0xff] {
            cases.push((
                Box::new(move |m: &mut Vec<u8>| {
                    let n = m.len();
                    m[n - pos] ^= val
                }),
                Alert::DecryptError,
            ));
        }
    }
    let truncate: Tamper = |m| *m = hs_msg(20, &m[4..15]);
    let pad: Tamper = |m| *m = hs_msg(20, &[&m[4..], &[0][..]].concat());
    cases.push((Box::new(truncate), Alert::DecodeError));
    cases.push((Box::new(pad), Alert::DecodeError));
    for (tamper, want) in cases {
        second_flight_refused(
            ECDHE_ECDSA_AES128GCM,
            &[0x17],
            |sc| sc.flight2(|m| tamper(m)),
            want,
        );
    }
}

/// test-message-skipping, test-message-duplication, test-interleaved-CKE-with-CCS, test-ccs:
/// messages out of order, twice, a CCS splitting the ClientKeyExchange, and a two-byte CCS
/// are all unexpected_message (RFC 5246 §7.1, §7.4).
#[test]
fn out_of_order_second_flights() {
    type Make = fn(&mut Script) -> Vec<u8>;
    let cases: Vec<Make> = vec![
        // Finished without ChangeCipherSpec
        |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke), Rec::new(HS, hs_msg(20, &[0; 12]))])
        },
        // ChangeCipherSpec before ClientKeyExchange
        |sc| join(&[Rec::new(CCS, vec![1]), Rec::new(HS, sc.cke())]),
        // Finished before ClientKeyExchange
        |_| Rec::new(HS, hs_msg(20, &[0; 12])).bytes(),
        // ClientKeyExchange twice
        |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke.clone()), Rec::new(HS, cke)])
        },
        // ClientHello again
        |_| Rec::new(HS, client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], None)).bytes(),
        // CCS inside the ClientKeyExchange
        |sc| {
            let cke = sc.cke();
            join(&[
                Rec::new(HS, cke[..10].to_vec()),
                Rec::new(CCS, vec![1]),
                Rec::new(HS, cke[10..].to_vec()),
            ])
        },
        // two-byte CCS
        |sc| join(&[Rec::new(HS, sc.cke()), Rec::new(CCS, vec![1, 1])]),
        // ServerHelloDone from the client
        |_| Rec::new(HS, hs_msg(14, &[])).bytes(),
        // application data before Finished
        |sc| join(&[Rec::new(HS, sc.cke()), Rec::new(APP, b"GET /".to_vec())]),
    ];
    for make in cases {
        second_flight_refused(
            ECDHE_ECDSA_AES128GCM,
            &[0x17],
            make,
            Alert::UnexpectedMessage,
        );
    }
}

// ================================================================== after the handshake

/// An established connection for the post-handshake cases.
fn established(suite: u16) -> Script {
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&client_hello(0x0303, &[suite], None));
    sc.complete();
    sc
}

/// test-fuzzed-ciphertext, test-fuzzed-MAC, test-chacha20, test-aes-gcm-nonces: any bit
/// flipped in a protected record (explicit nonce, ciphertext or tag) is bad_record_mac, sent
/// protected (RFC 5246 §6.2.3.3).
#[test]
fn fuzzed_ciphertext_is_bad_record_mac() {
    for suite in [ECDHE_ECDSA_AES128GCM, ECDHE_ECDSA_CHACHA] {
        let len = established(suite)
            .seal(APP, b"GET / HTTP/1.0\r\n\r\n")
            .len()
            - 5;
        for pos in 1..=len {
            for bit in [0x01u8, 0x80] {
                let mut sc = established(suite);
                let mut rec = sc.seal(APP, b"GET / HTTP/1.0\r\n\r\n");
                let n = rec.len();
                rec[n - pos] ^= bit;
                let r = sc.s.feed(&rec);
                let mut sw = sc.sw.take().unwrap();
                expect_sealed(&mut sc.s, r, Alert::BadRecordMac, &mut sw);
            }
        }
    }
}

/// test-zero-length-data: empty application data records are accepted (RFC 5246 §6.2.1);
/// test-invalid-content-type after the handshake; test-lengths: a protected record over
/// 2^14 + 2048 is record_overflow (RFC 5246 §6.2.3).
#[test]
fn post_handshake_records() {
    let mut sc = established(ECDHE_ECDSA_AES128GCM);
    let empty = sc.seal(APP, &[]);
    sc.s.feed(&empty).unwrap();
    sc.conversation();

    for (bytes, want) in [
        (
            Rec::new(24, vec![1, 0, 3, 0, 0, 0]).bytes(),
            Alert::UnexpectedMessage,
        ),
        (
            Rec::new(0x30, vec![0; 40]).bytes(),
            Alert::UnexpectedMessage,
        ),
        (
            Rec::new(APP, vec![0; (1 << 14) + 2049]).bytes(),
            Alert::RecordOverflow,
        ),
    ] {
        let mut sc = established(ECDHE_ECDSA_AES128GCM);
        let r = sc.s.feed(&bytes);
        let mut sw = sc.sw.take().unwrap();
        expect_sealed(&mut sc.s, r, want, &mut sw);
    }
}

/// After a fatal alert the server sends nothing more and accepts nothing more (tlsfuzzer's
/// ExpectAlert + ExpectClose; listen then closes the socket).
#[test]
fn one_fatal_alert_then_nothing() {
    let mut s = Connection::server(ecdsa_server(), seeded_rng(3));
    let r = s.feed(&Rec::new(HS, hs_msg(20, &[0; 12])).bytes());
    let out = expect_fatal(&mut s, r, Alert::UnexpectedMessage);
    assert_eq!(out, vec![21, 3, 3, 0, 2, AlertLevel::Fatal.to_u8(), 10]);
}

// ================================================================== second round

/// test-truncating-of-client-hello: a ClientHello (renegotiation_info its only extension)
/// with bytes added after the extensions — from 1 byte to a 2^24-1 byte message — or cut
/// from its end — into the extensions, into the hello, down to an empty body — with the
/// handshake length adjusted each time, sent in records of at most 2^14 bytes: always
/// decode_error (RFC 5246 §7.4.1.2, §4.3), sent when the message is known bad. An extension
/// written after an empty extensions block is trailing data too.
#[test]
fn padded_or_truncated_client_hello_is_decode_error() {
    let cfg = ecdsa_server();
    let base = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[(RENEGO, vec![0])]));
    let body = &base[4..];
    let mut bodies: Vec<Vec<u8>> = vec![];
    for (n, b) in [
        (1usize, 0u8),
        (2, 0),
        (3, 0),
        (1, 0xff),
        (2, 0xff),
        (3, 0xff),
        (256, 0),
        (4096, 0),
        (1 << 16, 0),
        ((1 << 17) + 512, 0),
        ((1 << 24) - 1 - body.len(), 0),
    ] {
        bodies.push([body, &vec![b; n][..]].concat());
    }
    for cut in (1..=6).chain([8, 9, 10, 11, 12, 13, 32, 39, body.len() - 1, body.len()]) {
        bodies.push(body[..body.len() - cut].to_vec());
    }
    let empty_exts = client_hello(0x0303, &[ECDHE_ECDSA_AES128GCM], Some(&[]));
    bodies.push([&empty_exts[4..], &[0xff, 0x01, 0x00, 0x01, 0x00][..]].concat());
    for b in bodies {
        let msg = hs_msg(1, &b);
        let recs: Vec<u8> = msg
            .chunks(1 << 14)
            .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
            .collect();
        let mut s = Connection::server(cfg.clone(), seeded_rng(3));
        let r = s.feed(&recs);
        assert_eq!(
            r.as_ref().map_err(|e| e.alert),
            Err(Alert::DecodeError),
            "body of {} bytes",
            b.len()
        );
        expect_plain(&mut s, r, Alert::DecodeError);
    }
}

const ALPN: u16 = 16;
const HEARTBEAT: u16 = 15;

fn alpn_ext(names: &[&[u8]]) -> (u16, Vec<u8>) {
    let list: Vec<u8> = names.iter().flat_map(|n| vec8(n)).collect();
    (ALPN, vec16(&list))
}

/// test-alpn-negotiation (server configured with http/1.1, as `listen --alpn http/1.1`):
/// http/1.1 alone or after an unknown name is selected and echoed; only unknown names is
/// no_application_protocol (RFC 7301 §3.2); an empty name, an empty list, an empty
/// extension, and a protocol_name_list length or last name length that under- or overflows
/// are decode_error.
#[test]
fn alpn_negotiation() {
    let cfg = server_with(self_signed("localhost"), |c| {
        c.alpn = vec![b"http/1.1".to_vec()]
    });
    let e = ECDHE_ECDSA_AES128GCM;
    for names in [&[&b"http/1.1"[..]][..], &[b"http/1.", b"http/1.1"]] {
        let mut sc = Script::new(cfg.clone());
        let recs = sc.hello(&client_hello(0x0303, &[e, SCSV], Some(&[alpn_ext(names)])));
        let sh = super::hostile_tests::server_hello(&recs[0]);
        let alpn = crate::wire::extensions::find(&sh.extensions, ET::ALPN).unwrap();
        assert_eq!(alpn.data, alpn_ext(&[b"http/1.1"]).1);
        sc.complete();
        sc.conversation();
    }
    let two = alpn_ext(&[b"http/1.1", b"http/2"]).1;
    let with_len = |at: usize, v: u8| {
        let mut d = two.clone();
        d[at] = v;
        (ALPN, d)
    };
    let cases = [
        (alpn_ext(&[b"http/1."]), Alert::NoApplicationProtocol),
        (alpn_ext(&[b"http/1.X"]), Alert::NoApplicationProtocol),
        (alpn_ext(&[b""]), Alert::DecodeError),
        (alpn_ext(&[]), Alert::DecodeError),
        ((ALPN, vec![]), Alert::DecodeError),
        (with_len(1, 9), Alert::DecodeError),
        (with_len(1, 18), Alert::DecodeError),
        (with_len(11, 8), Alert::DecodeError),
    ];
    for (ext, want) in cases {
        hello_refused(&cfg, client_hello(0x0303, &[e, SCSV], Some(&[ext])), want);
    }
}

/// test-no-heartbeat: heartbeat in the ClientHello is not answered (we do not do RFC 6520);
/// a heartbeat record (or a "heartbleed" one) right behind the ClientHello gets the
/// server's flight, then unexpected_message; after the handshake, a protected heartbeat
/// record is unexpected_message too.
#[test]
fn heartbeat_is_not_supported() {
    let e = ECDHE_ECDSA_AES128GCM;
    for hb in [
        [&[1u8, 0, 14][..], b"test heartbeat"].concat(),
        [&[1u8, 0, 64][..], b"test heartbeat"].concat(),
    ] {
        let ch = client_hello(0x0303, &[e, SCSV], Some(&[(HEARTBEAT, vec![1])]));
        let mut s = Connection::server(ecdsa_server(), seeded_rng(3));
        let bytes = join(&[Rec::new(HS, ch), Rec::new(24, hb.clone())]);
        let r = s.feed(&bytes);
        assert_eq!(r.as_ref().unwrap_err().alert, Alert::UnexpectedMessage);
        let out = parse(&s.take_output());
        let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
        assert_eq!(types, vec![Some(2), Some(11), Some(12), Some(14), None]);
        let sh = super::hostile_tests::server_hello(&out[0]);
        assert!(sh.extensions.iter().all(|x| x.typ.0 != HEARTBEAT));
        assert_eq!(
            (out[4].ct, &out[4].frag[..]),
            (ALERT, &[2, Alert::UnexpectedMessage.to_u8()][..])
        );

        let mut sc = established(e);
        let rec = sc.seal(24, &hb);
        let r = sc.s.feed(&rec);
        let mut sw = sc.sw.take().unwrap();
        expect_sealed(&mut sc.s, r, Alert::UnexpectedMessage, &mut sw);
    }
}

fn sni_ext(entries: &[(u8, &[u8])]) -> (u16, Vec<u8>) {
    let list: Vec<u8> = entries
        .iter()
        .flat_map(|(t, n)| [&[*t][..], &vec16(n)].concat())
        .collect();
    (SNI, vec16(&list))
}

/// test-invalid-server-name-extension: an empty server_name extension, an empty list, an
/// empty host name, trailing data and a bad overall length are decode_error; a host name
/// with NUL, BEL, a UTF-8 character or ANSI escapes, and two host names, are
/// illegal_parameter (RFC 6066 §3); names of unknown type before or after the host name
/// are skipped and the handshake completes. ("incorrect SNI" depends on `listen --sni`,
/// which refuses other names with a fatal unrecognized_name: tlsfuzzer's --sni-fatal.)
#[test]
fn invalid_server_name_extension() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let cases: Vec<((u16, Vec<u8>), Alert)> = vec![
        ((SNI, vec![]), Alert::DecodeError),
        ((SNI, vec![0, 0]), Alert::DecodeError),
        (sni_ext(&[(0, b"")]), Alert::DecodeError),
        ((SNI, vec![0, 4, 0, 0, 1, b'e', b'x']), Alert::DecodeError),
        ((SNI, vec![0xff; 4]), Alert::DecodeError),
        (sni_ext(&[(0, b"localhos\0t")]), Alert::IllegalParameter),
        (sni_ext(&[(0, b"localhos\x07t")]), Alert::IllegalParameter),
        (
            sni_ext(&[(0, "localhos\u{105}t".as_bytes())]),
            Alert::IllegalParameter,
        ),
        (
            sni_ext(&[(0, b"localhost\x1b[31mBAD\x1b[0;37m")]),
            Alert::IllegalParameter,
        ),
        (
            sni_ext(&[(0, b"localhost"), (0, b"www.localhost")]),
            Alert::IllegalParameter,
        ),
    ];
    for (ext, want) in cases {
        hello_refused(&cfg, client_hello(0x0303, &[e, SCSV], Some(&[ext])), want);
    }
    let odd: Vec<u8> = (0..24).collect();
    for entries in [
        vec![(0u8, &b"localhost"[..]), (1, &odd[..])],
        vec![(1, &odd[..]), (0, &b"localhost"[..])],
        vec![(0, &b"my_host.localhost"[..])],
    ] {
        let mut sc = Script::new(cfg.clone());
        sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[sni_ext(&entries)]),
        ));
        assert!(sc.sh_exts.contains(&SNI), "the name is acknowledged");
        sc.complete();
        sc.conversation();
    }
}

/// test-downgrade-protection: a TLS 1.2 ClientHello to a server that also does TLS 1.3 gets
/// a ServerHello random ending in "DOWNGRD" 01 (RFC 8446 §4.1.3); a TLS 1.2-only server
/// does not set it. test-TLSv1_2-rejected-without-TLSv1_2: a TLS 1.1 ClientHello offering only
/// TLS 1.2 (AEAD) suites is refused with an alert, never answered with a ServerHello.
#[test]
fn downgrade_sentinel_and_tls12_suites_in_tls11() {
    let e = ECDHE_ECDSA_AES128GCM;
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&client_hello(0x0303, &[e, SCSV], None));
    assert_eq!(&sc.server_random[24..], b"DOWNGRD\x01");
    sc.complete();
    sc.conversation();
    let only12 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![ProtocolVersion::TLS12]
    });
    let mut sc = Script::new(only12);
    sc.hello(&client_hello(0x0303, &[e, SCSV], None));
    assert_ne!(&sc.server_random[24..31], b"DOWNGRD");

    hello_refused(
        &ecdsa_server(),
        client_hello(0x0302, &[e, ECDHE_ECDSA_CHACHA], Some(&[(RENEGO, vec![0])])),
        Alert::ProtocolVersion,
    );
    let with11 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![ProtocolVersion::TLS12, ProtocolVersion::TLS11]
    });
    let mut s = Connection::server(with11, seeded_rng(3));
    let ch = client_hello(0x0302, &[e, ECDHE_ECDSA_CHACHA], Some(&[(RENEGO, vec![0])]));
    let r = s.feed(&Rec::new(HS, ch).bytes());
    assert!(r.is_err(), "no TLS 1.2 suite in TLS 1.1");
    let out = parse(&s.take_output());
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].ct, out[0].frag[0]), (ALERT, 2));
}

/// test-unsupported-cuve-fallback: ECDHE and DHE suites offered with only an unknown curve
/// (secp160k1) in supported_groups: the server falls back to the DHE suite (RFC 8422 §5.1:
/// a server that cannot do ECC with the client's curves does not pick an ECC suite).
#[test]
fn unsupported_curve_falls_back_to_dhe() {
    let cfg = server_with(rsa_key(), |_| {});
    let ch = client_hello(
        0x0303,
        &[0xc030, 0x009f],
        Some(&[(RENEGO, vec![0]), groups_ext(&[0x000f])]),
    );
    let mut s = Connection::server(cfg, seeded_rng(3));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    let out = parse(&s.take_output());
    let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
    assert_eq!(types, vec![Some(2), Some(11), Some(12), Some(14)]);
    let sh = super::hostile_tests::server_hello(&out[0]);
    assert_eq!(sh.cipher_suite, CipherSuite(0x009f));
}

/// test-sig-algs (RSA certificate, ECDHE_RSA with AEAD here): each rsa_pss_rsae_* alone is
/// used for the ServerKeyExchange; MD5 first is never chosen (RFC 9155 §2 deprecates MD5
/// and SHA-1 signatures), nor are undefined pairs; only undefined values is
/// handshake_failure; an empty list, a list length that is odd, too long or too short,
/// and trailing bytes are decode_error. rsa_pss_pss_* alone needs an RSASSA-PSS key, so an
/// rsaEncryption server refuses it with handshake_failure (tlsfuzzer expects success: it
/// assumes a server that has such a key).
#[test]
fn tls12_signature_algorithms() {
    let rsa = server_with(rsa_key(), |_| {});
    let e = ECDHE_RSA_AES128GCM;
    for s in [0x0804u16, 0x0805, 0x0806] {
        let mut sc = Script::new(rsa.clone());
        sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[sigalgs_ext(&[s])]),
        ));
        assert_eq!(sc.ske().scheme, SignatureScheme(s));
        sc.check_ske_signature();
        sc.complete();
    }
    let md5_first = [0x0101u16, 0x0601, 0x0501, 0x0401, 0x0301, 0x0201, 0x0809];
    let undefined_first = [0x0418u16, 0x1801, 0x0a0a, 0x0918, 0xffff, 0x0601, 0x0401];
    for offer in [&md5_first[..], &md5_first[..5], &undefined_first[..]] {
        let mut sc = Script::new(rsa.clone());
        sc.hello(&client_hello(
            0x0303,
            &[e, SCSV],
            Some(&[sigalgs_ext(offer)]),
        ));
        let got = sc.ske().scheme.0;
        assert!(got != 0x0101 && offer[1..].contains(&got), "{got:#06x}");
        sc.check_ske_signature();
        sc.complete();
    }
    let cases: Vec<((u16, Vec<u8>), Alert)> = vec![
        (sigalgs_ext(&undefined_first[..5]), Alert::HandshakeFailure),
        (
            sigalgs_ext(&[0x0809, 0x080a, 0x080b]),
            Alert::HandshakeFailure,
        ),
        (sigalgs_ext(&[]), Alert::DecodeError),
        ((SIGALGS, vec![0, 3, 4, 1]), Alert::DecodeError),
        ((SIGALGS, vec![0, 4, 4, 1]), Alert::DecodeError),
        ((SIGALGS, vec![0, 3, 4, 1, 4]), Alert::DecodeError),
        ((SIGALGS, vec![0, 4, 2, 1, 4, 1, 4, 3]), Alert::DecodeError),
    ];
    for (ext, want) in cases {
        hello_refused(&rsa, client_hello(0x0303, &[e, SCSV], Some(&[ext])), want);
    }
}

/// `ch` (a ClientHello message) with `sid` as its session id.
fn with_session_id(ch: &[u8], sid: &[u8]) -> Vec<u8> {
    let mut m = ch.to_vec();
    m.splice(38..39, [&[sid.len() as u8][..], sid].concat());
    hs_msg(1, &m[4..])
}

/// test-extended-master-secret-extension, resumption cases (RFC 7627 §5.3): an EMS session
/// is resumed by a hello with EMS (abbreviated handshake, EMS echoed); a hello without EMS
/// trying to resume it is handshake_failure; a non-EMS session asked for with EMS gets a
/// full handshake (with EMS) instead of resumption.
#[test]
fn extended_master_secret_and_resumption() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let first = |ems: bool| {
        let mut exts = vec![(RENEGO, vec![0])];
        if ems {
            exts.push((EMS, vec![]));
        }
        let mut sc = Script::new(cfg.clone());
        let recs = sc.hello(&client_hello(0x0303, &[e], Some(&exts)));
        sc.complete();
        let sh = &recs[0].frag[4..];
        let sid = sh[35..35 + sh[34] as usize].to_vec();
        assert!(!sid.is_empty(), "a session id to resume");
        sid
    };
    let ems_ch = client_hello(0x0303, &[e], Some(&[(RENEGO, vec![0]), (EMS, vec![])]));
    let plain_ch = client_hello(0x0303, &[e], Some(&[(RENEGO, vec![0])]));

    // EMS session, EMS hello: resumed
    let sid = first(true);
    let mut s = Connection::server(cfg.clone(), seeded_rng(4));
    s.feed(&Rec::new(HS, with_session_id(&ems_ch, &sid)).bytes())
        .unwrap();
    let out = parse(&s.take_output());
    assert_eq!(
        out.iter().map(|r| r.ct).collect::<Vec<_>>(),
        vec![HS, CCS, HS],
        "abbreviated handshake"
    );
    let sh = super::hostile_tests::server_hello(&out[0]);
    assert_eq!(sh.session_id, sid);
    assert!(sh.extensions.iter().any(|x| x.typ.0 == EMS));

    // EMS session, hello without EMS: refused
    let sid = first(true);
    hello_refused(
        &cfg,
        with_session_id(&plain_ch, &sid),
        Alert::HandshakeFailure,
    );

    // non-EMS session, EMS hello: a full handshake with EMS
    let sid = first(false);
    let mut sc = Script::new(cfg.clone());
    sc.hello(&with_session_id(&ems_ch, &sid));
    assert!(sc.ems);
    sc.complete();
    sc.conversation();
}

/// test-fallback-scsv, the other hellos: TLS_FALLBACK_SCSV (at any place) in a TLS 1.1
/// hello is inappropriate_fallback even though TLS 1.1 is not supported at all (RFC 7507 §3
/// allows protocol_version too; tlsfuzzer expects this one), for a TLS 1.3 and a TLS
/// 1.2-only server; in an "SSL 3.4" hello (0x0304 without supported_versions, negotiated
/// as TLS 1.2) it is inappropriate_fallback when TLS 1.3 is enabled and accepted otherwise.
/// Without the SCSV the TLS 1.1 hello is protocol_version.
#[test]
fn fallback_scsv_with_other_versions() {
    let e = ECDHE_ECDSA_AES128GCM;
    let only12 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![ProtocolVersion::TLS12]
    });
    for place in 0..3 {
        let mut suites = vec![SCSV, e, 0x1301];
        suites.insert(place, FALLBACK_SCSV);
        for cfg in [ecdsa_server(), only12.clone()] {
            hello_refused(
                &cfg,
                client_hello(0x0302, &suites, None),
                Alert::InappropriateFallback,
            );
        }
        hello_refused(
            &ecdsa_server(),
            client_hello(0x0304, &suites, None),
            Alert::InappropriateFallback,
        );
        let mut sc = Script::new(only12.clone());
        sc.hello(&client_hello(0x0304, &suites, None));
        sc.complete();
    }
    hello_refused(
        &ecdsa_server(),
        client_hello(0x0302, &[SCSV, e], None),
        Alert::ProtocolVersion,
    );
}

/// test-certificate-request (listen --client-auth request): the server sends a
/// CertificateRequest, and an empty client Certificate is accepted — the handshake
/// completes. With --client-auth require the empty Certificate is refused with
/// handshake_failure (RFC 5246 §7.4.6), the alert tlsfuzzer's client-certificate scripts
/// expect from a server that requires one.
#[test]
fn empty_client_certificate() {
    use super::config::ClientAuth;
    for (auth, ok) in [(ClientAuth::Request, true), (ClientAuth::Require, false)] {
        let cfg = server_with(self_signed("localhost"), |c| c.client_auth = auth);
        let mut sc = Script::new(cfg);
        let recs = sc.hello(&client_hello(
            0x0303,
            &[ECDHE_ECDSA_AES128GCM],
            Some(&[sigalgs_ext(&[0x0403, 0x0804])]),
        ));
        assert_eq!(recs[3].hs_type(), Some(13), "CertificateRequest");
        let cert = hs_msg(11, &[0, 0, 0]);
        sc.transcript.extend_from_slice(&cert);
        let f2 = sc.flight2(|_| {});
        let bytes = [Rec::new(HS, cert).bytes(), f2].concat();
        let r = sc.s.feed(&bytes);
        if ok {
            r.unwrap();
            sc.expect_server_finished();
            sc.conversation();
        } else {
            expect_plain(&mut sc.s, r, Alert::HandshakeFailure);
        }
    }
}

/// Against `listen --client-auth request`, a scripted TLS 1.2 client with `client` offering
/// `suite` sends its Certificate, ClientKeyExchange, a CertificateVerify labelled `label`
/// but signed with `scheme`, CCS and Finished in one write (as with TCPBufferingEnable);
/// `want` None means the handshake completes and converses, else that plaintext alert.
fn client_certificate_verify12(
    client: &CertifiedKey,
    suite: u16,
    label: u16,
    scheme: u16,
    want: Option<Alert>,
) {
    use super::config::ClientAuth;
    let cfg = server_with(self_signed("localhost"), |c| {
        c.client_auth = ClientAuth::Request
    });
    let mut sc = Script::new(cfg);
    sc.hello(&client_hello(
        0x0303,
        &[suite],
        Some(&[sigalgs_ext(&[0x0403, 0x0503, 0x0603, 0x0804])]),
    ));
    let chain: Vec<u8> = client
        .chain
        .iter()
        .flat_map(|c| {
            let l = (c.len() as u32).to_be_bytes();
            [&l[1..], &c[..]].concat()
        })
        .collect();
    let l = (chain.len() as u32).to_be_bytes();
    let cert = hs_msg(11, &[&l[1..], &chain[..]].concat());
    sc.transcript.extend_from_slice(&cert);
    let cke = sc.cke();
    let sig = client
        .key
        .sign(SignatureScheme(scheme), &sc.transcript, &mut seeded_rng(5))
        .unwrap();
    let cv = hs_msg(15, &[&label.to_be_bytes()[..], &vec16(&sig)].concat());
    sc.transcript.extend_from_slice(&cv);
    let fin = sc.finished(b"client finished");
    sc.transcript.extend_from_slice(&fin);
    let sealed = sc.cw.as_mut().unwrap().seal(HS, &fin);
    let bytes = join(&[
        Rec::new(HS, cert),
        Rec::new(HS, cke),
        Rec::new(HS, cv),
        Rec::new(CCS, vec![1]),
        sealed,
    ]);
    let r = sc.s.feed(&bytes);
    match want {
        None => {
            r.unwrap();
            sc.expect_server_finished();
            sc.conversation();
        }
        Some(a) => expect_plain(&mut sc.s, r, a),
    }
}

/// test-ecdsa-in-certificate-verify (listen --client-auth request, ECDSA P-256 client key):
/// a CertificateVerify made with the scheme it names completes; one naming a scheme the
/// CertificateRequest did not offer (md5+ecdsa) is illegal_parameter (RFC 5246 §7.4.8);
/// a SHA-256 signature labelled sha384+ecdsa is decrypt_error.
#[test]
fn client_certificate_verify_schemes() {
    let client = self_signed("client");
    let cases: [(u16, Option<Alert>); 4] = [
        (0x0403, None),
        (0x0103, Some(Alert::IllegalParameter)),
        (0x0503, Some(Alert::DecryptError)),
        // sha512+ecdsa is not in our CertificateRequest (nor sha224/sha1+ecdsa, which
        // tlsfuzzer also expects to be accepted; RFC 9155 §4 excludes SHA-1): refused
        (0x0603, Some(Alert::IllegalParameter)),
    ];
    for (label, want) in cases {
        client_certificate_verify12(&client, ECDHE_ECDSA_AES128GCM, label, 0x0403, want);
    }
}

/// test-rsa-sigs-on-certificate-verify (SLOTH; an RSA client key, with a SHA-256 and a
/// SHA-384 PRF — ECDHE-AEAD suites here, TLS_RSA_* in the script): PKCS#1 CertificateVerify
/// with SHA-256, SHA-384 or SHA-512 completes; SHA-1 (which the script also expects to
/// work) is illegal_parameter: not in our CertificateRequest (RFC 9155 §4).
#[test]
fn rsa_client_certificate_verify_hashes() {
    let client = rsa_key();
    for suite in [ECDHE_ECDSA_AES128GCM, ECDHE_ECDSA_AES256GCM] {
        for scheme in [0x0401u16, 0x0501, 0x0601] {
            client_certificate_verify12(&client, suite, scheme, scheme, None);
        }
        client_certificate_verify12(
            &client,
            suite,
            0x0201,
            0x0401,
            Some(Alert::IllegalParameter),
        );
    }
}

/// test-message-duplication: a second ClientHello after the ClientKeyExchange, or (sealed)
/// after the ChangeCipherSpec; a second ClientKeyExchange after the ChangeCipherSpec
/// (sealed); a second ChangeCipherSpec before the Finished: all unexpected_message, in the
/// clear (the server has not switched keys). After the handshake, a ClientKeyExchange or a
/// ChangeCipherSpec is unexpected_message too, sent protected (RFC 5246 §7.1, §7.4).
#[test]
fn duplicated_messages() {
    let e = ECDHE_ECDSA_AES128GCM;
    let ch = client_hello(0x0303, &[e], None);
    type Make = Box<dyn Fn(&mut Script) -> Vec<u8>>;
    let ch2 = ch.clone();
    let ch3 = ch.clone();
    let cases: Vec<Make> = vec![
        Box::new(move |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke), Rec::new(HS, ch2.clone())])
        }),
        Box::new(move |sc| {
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(HS, &ch3);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        }),
        Box::new(|sc| {
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(HS, &cke);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        }),
        Box::new(|sc| {
            // (after the first CCS the client's records are protected: tlsfuzzer seals
            // the second one too)
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(CCS, &[1]);
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        }),
    ];
    for make in cases {
        let mut sc = Script::new(ecdsa_server());
        sc.hello(&ch);
        let bytes = make(&mut sc);
        let r = sc.s.feed(&bytes);
        expect_plain(&mut sc.s, r, Alert::UnexpectedMessage);
    }
    for after in [0, 1] {
        let mut sc = established(e);
        let bytes = if after == 0 {
            let cke = Script::cke_with(&valid_p256_point());
            sc.seal(HS, &cke)
        } else {
            sc.seal(CCS, &[1])
        };
        let r = sc.s.feed(&bytes);
        let mut sw = sc.sw.take().unwrap();
        expect_sealed(&mut sc.s, r, Alert::UnexpectedMessage, &mut sw);
    }
}

fn valid_p256_point() -> Vec<u8> {
    EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(8))
        .unwrap()
        .public_key()
}

/// test-aes-gcm-nonces: the explicit nonces of the server's AES-GCM records (Finished, then
/// application data) are never reused and go up by one (RFC 5288 §3 lets any unique value
/// be used; tlsfuzzer checks a counter), for AES-128-GCM and AES-256-GCM.
#[test]
fn aes_gcm_explicit_nonces_count_up() {
    for suite in [ECDHE_ECDSA_AES128GCM, ECDHE_ECDSA_AES256GCM] {
        let mut sc = Script::new(ecdsa_server());
        sc.hello(&client_hello(0x0303, &[suite], None));
        let f2 = sc.flight2(|_| {});
        sc.s.feed(&f2).unwrap();
        let fin = parse(&sc.s.take_output()).remove(1);
        sc.s.send_data(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
        let data = parse(&sc.s.take_output()).remove(0);
        let nonce = |r: &Rec| u64::from_be_bytes(r.frag[..8].try_into().unwrap());
        assert_eq!(nonce(&data), nonce(&fin) + 1, "{suite:#06x}");
    }
}

/// test-encrypt-then-mac "Encrypt-then-MAC smoke test" (with -d: ECDHE_RSA with AES-CBC):
/// the server answers encrypt_then_mac for a CBC suite (RFC 7366 §2); for an AEAD suite it
/// must not (RFC 7366 §3), and the handshake completes.
#[test]
fn encrypt_then_mac_only_for_cbc() {
    let rsa = server_with(rsa_key(), |c| {
        if !c.suites.contains(&CipherSuite(0xc013)) {
            c.suites.push(CipherSuite(0xc013));
        }
    });
    let etm = (22u16, vec![]);
    let mut s = Connection::server(rsa.clone(), seeded_rng(3));
    let ch = client_hello(0x0303, &[0xc013, SCSV], Some(std::slice::from_ref(&etm)));
    s.feed(&Rec::new(HS, ch).bytes()).unwrap();
    let sh = super::hostile_tests::server_hello(&parse(&s.take_output())[0]);
    assert_eq!(sh.cipher_suite, CipherSuite(0xc013));
    assert!(sh.extensions.iter().any(|x| x.typ.0 == 22), "ETM for CBC");

    let mut sc = Script::new(rsa);
    sc.hello(&client_hello(
        0x0303,
        &[ECDHE_RSA_AES128GCM, SCSV],
        Some(&[etm]),
    ));
    assert!(!sc.sh_exts.contains(&22), "no ETM with an AEAD suite");
    sc.complete();
    sc.conversation();
}

// ================================================================== third round

/// test-message-skipping "skip Client Hello" and "skip all but Finished in SSLv3 / TLS 1.0 /
/// TLS 1.1 / TLS 1.2 / TLS 1.3": a ClientKeyExchange (RSA-sized or ECDHE) or a Finished (TLS
/// or SSLv3-sized) as the very first message, in a record of version 3.0 to 3.3, is
/// unexpected_message (RFC 5246 §7.4: the ClientHello comes first).
#[test]
fn first_message_other_than_client_hello_at_any_record_version() {
    let cfg = ecdsa_server();
    let msgs = [
        hs_msg(16, &vec16(&[0xff; 256])),
        Script::cke_with(&valid_p256_point()),
        hs_msg(20, &[0; 12]),
        hs_msg(20, &[0; 36]),
    ];
    for ver in [0x0300u16, 0x0301, 0x0302, 0x0303] {
        for msg in &msgs {
            let mut s = Connection::server(cfg.clone(), seeded_rng(3));
            let rec = Rec {
                ct: HS,
                ver,
                frag: msg.clone(),
            };
            let r = s.feed(&rec.bytes());
            expect_plain(&mut s, r, Alert::UnexpectedMessage);
        }
    }
}

/// test-invalid-content-type "before Client Key Exchange", "before Change Cipher Spec",
/// "before Finished": a record of the unnegotiated heartbeat type (24) after the server's
/// flight, after the ClientKeyExchange, or (protected) after the ChangeCipherSpec is
/// unexpected_message (RFC 5246 §6: unknown record types), in the clear since the server
/// has not switched its keys.
#[test]
fn unknown_content_type_during_the_second_flight() {
    type Make = fn(&mut Script) -> Vec<u8>;
    let cases: [Make; 3] = [
        |_| Rec::new(24, b"hello server!\n".to_vec()).bytes(),
        |sc| {
            let cke = sc.cke();
            join(&[Rec::new(HS, cke), Rec::new(24, b"hello server!\n".to_vec())])
        },
        |sc| {
            let cke = sc.cke();
            let sealed = sc.cw.as_mut().unwrap().seal(24, b"hello server!\n");
            join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
        },
    ];
    for make in cases {
        second_flight_refused(
            ECDHE_ECDSA_AES128GCM,
            &[0x17],
            make,
            Alert::UnexpectedMessage,
        );
    }
}

/// test-chacha20 (ECDHE + ChaCha20-Poly1305; the same limits hold for AES-GCM, as in
/// test-aes-gcm-nonces): an empty record then the request, and the request split 1/n-1, are
/// answered; 2^14 bytes of plaintext in one record are accepted; 2^14 + 1, 2^14 + 1024 and
/// 2^14 + 1025 bytes are record_overflow (RFC 5246 §6.2.1, §6.2.3: the limit applies to
/// the decrypted TLSCompressed.length too), and a ciphertext of 0 to 15 bytes (shorter
/// than the tag) is bad_record_mac (RFC 5246 §6.2.3.3), both sent protected.
#[test]
fn aead_record_lengths() {
    for suite in [ECDHE_ECDSA_CHACHA, ECDHE_ECDSA_AES128GCM] {
        // empty record, then 1/n-1 split request
        let mut sc = established(suite);
        for part in [&b""[..], b"G", b"ET / HTTP/1.0\r\n\r\n"] {
            let rec = sc.seal(APP, part);
            sc.s.feed(&rec).unwrap();
        }
        let got: Vec<u8> = super::hostile_tests::drain(&mut sc.s)
            .into_iter()
            .filter_map(|e| match e {
                Event::AppData { dir: Dir::In, data } => Some(data),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(got, b"GET / HTTP/1.0\r\n\r\n");

        let mut sc = established(suite);
        let rec = sc.seal(APP, &vec![b'A'; 1 << 14]);
        sc.s.feed(&rec).unwrap();
        assert!(!sc.s.is_failed());

        for n in [(1 << 14) + 1, (1 << 14) + 1024, (1 << 14) + 1025] {
            let mut sc = established(suite);
            let rec = sc.seal(APP, &vec![b'A'; n]);
            let r = sc.s.feed(&rec);
            let mut sw = sc.sw.take().unwrap();
            expect_sealed(&mut sc.s, r, Alert::RecordOverflow, &mut sw);
        }
        for n in 0..16 {
            let mut sc = established(suite);
            let r = sc.s.feed(&Rec::new(APP, vec![0xa1; n]).bytes());
            let mut sw = sc.sw.take().unwrap();
            expect_sealed(&mut sc.s, r, Alert::BadRecordMac, &mut sw);
        }
    }
}

/// test-chacha20 "Chacha20 in TLS1.1": a TLS 1.1 hello offering only ChaCha20 suites is
/// handshake_failure when TLS 1.1 is enabled (RFC 7905 §2: TLS 1.2 and later only), and
/// protocol_version with listen's default versions (TLS 1.0/1.1 off, RFC 8996).
#[test]
fn chacha20_in_tls11() {
    let ch = client_hello(
        0x0302,
        &[ECDHE_RSA_CHACHA, 0xccaa, ECDHE_ECDSA_CHACHA, SCSV],
        None,
    );
    let with11 = server_with(self_signed("localhost"), |c| {
        c.versions = vec![
            ProtocolVersion::TLS11,
            ProtocolVersion::TLS12,
            ProtocolVersion::TLS13,
        ]
    });
    hello_refused(&with11, ch.clone(), Alert::HandshakeFailure);
    hello_refused(&ecdsa_server(), ch, Alert::ProtocolVersion);
}

/// test-ocsp-stapling (the probes without renegotiation: listen does not renegotiate): a
/// status_request (empty, or with a 626-entry, 16 KB responder_id_list) is answered with status_request and a CertificateStatus after the
/// Certificate when listen has a response to staple (`--ocsp`, RFC 6066 §8); without one
/// the extension is not answered and no CertificateStatus is sent (the script's
/// --no-status), and the handshake completes either way.
#[test]
fn ocsp_status_request() {
    const STATUS_REQUEST: u16 = 5;
    let empty = vec![1, 0, 0, 0, 0];
    let mut ids = vec![];
    for i in 0..626usize {
        let mut id = vec![0xa2, 0x16, 0x04, 0x14];
        id.extend([((i + 2) % 256) as u8; 20]);
        ids.extend(vec16(&id));
    }
    let large = [&[1u8][..], &vec16(&ids), &[0, 0]].concat();
    let e = ECDHE_ECDSA_AES128GCM;
    for body in [empty, large] {
        let ch = client_hello(0x0303, &[e, SCSV], Some(&[(STATUS_REQUEST, body)]));
        let mut sc = Script::new(ecdsa_server());
        sc.hello_in(&ch, 1 << 14);
        assert!(!sc.sh_exts.contains(&STATUS_REQUEST));
        sc.complete();
        sc.conversation();

        let staple = vec![0x30, 0x03, 0x0a, 0x01, 0x00];
        let cfg = server_with(self_signed("localhost"), |c| c.ocsp = Some(staple.clone()));
        let mut s = Connection::server(cfg, seeded_rng(3));
        let recs: Vec<u8> = ch
            .chunks(1 << 14)
            .flat_map(|c| Rec::new(HS, c.to_vec()).bytes())
            .collect();
        s.feed(&recs).unwrap();
        let out = parse(&s.take_output());
        let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
        assert_eq!(types, [Some(2), Some(11), Some(22), Some(12), Some(14)]);
        let sh = super::hostile_tests::server_hello(&out[0]);
        assert!(sh.extensions.iter().any(|x| x.typ.0 == STATUS_REQUEST));
        // CertificateStatus: status_type ocsp(1), then the response as opaque<1..2^24-1>
        let l = (staple.len() as u32).to_be_bytes();
        assert_eq!(
            out[2].frag[4..],
            [&[1u8, l[1], l[2], l[3]][..], &staple].concat()
        );
    }
}

/// test-client-compatibility: the TLS 1.2 ClientHellos of real clients the script replays
/// (Android 4.4.2, Android 6.0, Android 7.0, Apple ATS 9 on iOS 9; record layer 3.1 as they
/// sent it) each get a TLS 1.2 ServerHello from listen's default pair of certificates
/// (the script checks only that), and the handshake completes with the scripted client.
/// Their old-fashioned parts — MD5/SHA-224/DSA signature schemes, secp521r1, draft
/// ChaCha20 code points, NPN, an empty SessionTicket — are skipped, not refused. (The
/// script's TLS 1.0 hellos get protocol_version: TLS 1.0/1.1 are off by default.)
#[test]
fn real_client_hellos_get_a_server_hello() {
    let cfg = server_with(self_signed("localhost"), |c| c.alt_certs = vec![rsa_key()]);
    let sni = sni_ext(&[(0, b"localhost")]);
    let old_sigalgs = (
        SIGALGS,
        vec16(&[
            6, 1, 6, 2, 6, 3, 5, 1, 5, 2, 5, 3, 4, 1, 4, 2, 4, 3, 3, 1, 3, 2, 3, 3, 2, 1, 2, 2, 2,
            3, 1, 1,
        ]),
    );
    let point_formats = (POINT_FORMATS, vec8(&[0]));
    let ticket = (SESSION_TICKET, vec![]);
    let npn = (13172u16, vec![]);
    type Hello = (Vec<u16>, Vec<(u16, Vec<u8>)>);
    let hellos: Vec<Hello> = vec![
        // Android 4.4.2
        (
            vec![
                49200, 49196, 49172, 49162, 163, 159, 107, 106, 57, 56, 157, 61, 53, 49170, 49160,
                22, 19, 10, 49199, 49195, 49191, 49187, 49171, 49161, 162, 158, 103, 64, 51, 50,
                156, 60, 47, 49169, 49159, 5, 4, 255,
            ],
            vec![
                sni.clone(),
                point_formats.clone(),
                groups_ext(&[0x19, 0x18, 0x17]),
                ticket.clone(),
                old_sigalgs.clone(),
                npn.clone(),
            ],
        ),
        // Android 6.0
        (
            vec![
                52244, 52243, 52245, 49195, 49199, 158, 49162, 49172, 57, 49161, 49171, 51, 156,
                53, 47, 10, 255,
            ],
            vec![
                sni.clone(),
                (EMS, vec![]),
                ticket.clone(),
                (
                    SIGALGS,
                    vec16(&[6, 1, 6, 3, 5, 1, 5, 3, 4, 1, 4, 3, 3, 1, 3, 3, 2, 1, 2, 3]),
                ),
                (5, vec![1, 0, 0, 0, 0]),
                npn.clone(),
                (18, vec![]),
                alpn_ext(&[b"http/1.1", b"spdy/3.1"]),
                point_formats.clone(),
                groups_ext(&[0x17, 0x18]),
            ],
        ),
        // Android 7.0
        (
            vec![
                52393, 52392, 52244, 52243, 49195, 49199, 49196, 49200, 49161, 49171, 49162, 49172,
                156, 157, 47, 53, 10,
            ],
            vec![
                (RENEGO, vec![0]),
                sni.clone(),
                (EMS, vec![]),
                ticket.clone(),
                (
                    SIGALGS,
                    vec16(&[6, 1, 6, 3, 5, 1, 5, 3, 4, 1, 4, 3, 2, 1, 2, 3]),
                ),
                (5, vec![1, 0, 0, 0, 0]),
                (18, vec![]),
                alpn_ext(&[b"h2", b"spdy/3.1", b"http/1.1"]),
                point_formats.clone(),
                groups_ext(&[0x1d, 0x17, 0x18]),
            ],
        ),
        // Apple ATS 9 on iOS 9
        (
            vec![
                255, 49196, 49195, 49188, 49162, 49187, 49161, 49200, 49199, 49192, 49191, 49171,
            ],
            vec![
                sni,
                groups_ext(&[0x17, 0x18, 0x19]),
                point_formats,
                (SIGALGS, vec16(&[5, 1, 4, 1, 2, 1, 5, 3, 4, 3, 2, 3])),
                npn,
                alpn_ext(&[
                    b"h2",
                    b"h2-16",
                    b"h2-15",
                    b"h2-14",
                    b"spdy/3.1",
                    b"spdy/3",
                    b"http/1.1",
                ]),
                (5, vec![1, 0, 0, 0, 0]),
                (18, vec![]),
            ],
        ),
    ];
    for (suites, exts) in hellos {
        let ch = client_hello(0x0303, &suites, Some(&exts));
        let mut s = Connection::server(cfg.clone(), seeded_rng(3));
        let rec = Rec {
            ct: HS,
            ver: 0x0301,
            frag: ch.clone(),
        };
        s.feed(&rec.bytes()).unwrap();
        let out = parse(&s.take_output());
        let sh = super::hostile_tests::server_hello(&out[0]);
        assert_eq!(sh.version, ProtocolVersion::TLS12);
        assert!(suites.contains(&sh.cipher_suite.0), "{:?}", sh.cipher_suite);

        let mut sc = Script::new(cfg.clone());
        sc.hello(&ch);
        sc.complete();
        sc.conversation();
    }
}

/// test-resumption-with-wrong-ciphers (ECDHE-AEAD suites here, TLS_RSA_* in the script):
/// a session-id resumption offering the session's suite is resumed (ServerHello with the
/// same id, then CCS), but one that leaves the session's suite out — offering the other
/// suite of the first hello, or only TLS_RSA_WITH_NULL_SHA — is illegal_parameter
/// (RFC 5246 §7.4.1.2: the client MUST include it; CVE-2010-4180), not a full handshake.
/// An unknown session id with any suite still gets a full handshake.
#[test]
fn resumption_without_the_session_suite_is_illegal_parameter() {
    let cfg = ecdsa_server();
    let both = [ECDHE_ECDSA_AES256GCM, ECDHE_ECDSA_AES128GCM];
    let renego = [(RENEGO, vec![0])];
    let mut sc = Script::new(cfg.clone());
    let recs = sc.hello(&client_hello(0x0303, &both, Some(&renego)));
    sc.complete();
    let sh = &recs[0].frag[4..];
    let sid = sh[35..35 + sh[34] as usize].to_vec();
    assert!(!sid.is_empty(), "a session id to resume");
    let chosen = sc.suite();
    let other = both.into_iter().find(|s| *s != chosen).unwrap();

    for suites in [&both[..], &[chosen]] {
        let ch = client_hello(0x0303, suites, Some(&renego));
        let mut s = Connection::server(cfg.clone(), seeded_rng(4));
        s.feed(&Rec::new(HS, with_session_id(&ch, &sid)).bytes())
            .unwrap();
        let out = parse(&s.take_output());
        let sh = &out[0].frag[4..];
        assert_eq!(&sh[35..35 + sh[34] as usize], &sid[..], "resumed");
        assert_eq!(out[1].ct, CCS, "abbreviated handshake");
    }
    for suites in [&[other][..], &[0x0002]] {
        let ch = client_hello(0x0303, suites, Some(&renego));
        hello_refused(&cfg, with_session_id(&ch, &sid), Alert::IllegalParameter);
    }
    let ch = client_hello(0x0303, &[other], Some(&renego));
    let mut sc = Script::new(cfg);
    sc.hello(&with_session_id(&ch, &[7; 32]));
    sc.complete();
}

/// test-invalid-server-name-extension-resumption: a session made with server name
/// "localhost" is resumed (by session id, or by ticket) under the same name in any case,
/// but under "www.localhost" or with no name a full handshake follows (RFC 6066 §3: "MUST
/// NOT accept the request to resume the session if the server_name extension contains a
/// different name"), and a malformed name ("localhost\0") is illegal_parameter.
#[test]
fn resumption_is_tied_to_the_server_name() {
    let cfg = ecdsa_server();
    let e = ECDHE_ECDSA_AES128GCM;
    let hello = |name: Option<&[u8]>, ticket: Option<&[u8]>| {
        let mut exts = vec![(RENEGO, vec![0])];
        if let Some(n) = name {
            exts.push(sni_ext(&[(0, n)]));
        }
        if let Some(t) = ticket {
            exts.push((SESSION_TICKET, t.to_vec()));
        }
        client_hello(0x0303, &[e], Some(&exts))
    };
    let mut sc = Script::new(cfg.clone());
    let recs = sc.hello(&hello(Some(b"localhost"), Some(&[])));
    sc.complete();
    let sh = &recs[0].frag[4..];
    let sid = sh[35..35 + sh[34] as usize].to_vec();
    assert!(!sid.is_empty(), "a session id to resume");
    let ticket = sc.ticket.clone().expect("a ticket");

    // (session id, ticket) ways of asking for the session
    let asks: [(&[u8], Option<&[u8]>); 2] = [(&sid, None), (&[0x11; 32], Some(&ticket))];
    for (id, t) in asks {
        for (name, resumed) in [
            (Some(&b"localhost"[..]), true),
            (Some(b"LocalHost"), true),
            (Some(b"www.localhost"), false),
            (None, false),
        ] {
            let ch = with_session_id(&hello(name, t), id);
            let mut s = Connection::server(cfg.clone(), seeded_rng(4));
            s.feed(&Rec::new(HS, ch.clone()).bytes()).unwrap();
            let out = parse(&s.take_output());
            let types: Vec<_> = out.iter().map(|r| r.hs_type()).collect();
            if resumed {
                assert_eq!(
                    types[1],
                    None,
                    "CCS: resumed ({name:?}, ticket: {})",
                    t.is_some()
                );
            } else {
                assert_eq!(types[1], Some(11), "Certificate: full ({name:?})");
                let mut sc = Script::new(cfg.clone());
                sc.hello(&ch);
                sc.complete();
            }
        }
        let ch = with_session_id(&hello(Some(b"localhost\0"), t), id);
        hello_refused(&cfg, ch, Alert::IllegalParameter);
    }
}
