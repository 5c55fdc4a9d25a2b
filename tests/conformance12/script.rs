//! A scripted TLS 1.2 client in front of our server `Connection`, in the manner of
//! tlsfuzzer: it sends hand-built hellos, reads the server's flight by hand, derives the TLS
//! 1.2 keys itself (RFC 5246 §8.1, §6.3, RFC 7627 §4) with the library's PRF and seals its
//! records, so the server is checked against an independent peer.

use std::sync::Arc;

use tlsprobe::crypto::aead::RecordCipher;
use tlsprobe::crypto::kx::EphemeralKey;
use tlsprobe::crypto::rng::seeded_rng;
use tlsprobe::crypto::{prf, sign};
use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::config::{CertifiedKey, ServerConfig};
use tlsprobe::handshake::suite_params::{self, SuiteParams};
use tlsprobe::handshake::Connection;
use tlsprobe::inmem::self_signed;
use tlsprobe::wire::codepoints::{NamedGroup, SignatureScheme};
use tlsprobe::wire::suites::CipherSuite;

use crate::common::scripted::{drain, expect_plain, join, parse, raw_msg, Rec, Sealer};
use crate::common::scripted::{ALERT, APP, CCS, HS};
use crate::hello::*;

/// A server on a fresh P-256 key and certificate, default configuration.
pub fn ecdsa_server() -> Arc<ServerConfig> {
    server_with(self_signed("localhost"), |_| {})
}

/// A server on `key`, its configuration changed by `f`.
pub fn server_with(key: CertifiedKey, f: impl FnOnce(&mut ServerConfig)) -> Arc<ServerConfig> {
    let mut sc = ServerConfig::new(key);
    f(&mut sc);
    Arc::new(sc)
}

/// The server's ServerKeyExchange, decoded by hand (RFC 8422 §5.4).
pub struct Ske {
    pub group: NamedGroup,
    pub public: Vec<u8>,
    pub scheme: SignatureScheme,
    pub signature: Vec<u8>,
    pub params: Vec<u8>,
}

/// A scripted TLS 1.2 client in front of a server `Connection`, in the manner of tlsfuzzer.
pub struct Script {
    pub s: Connection,
    pub cfg: Arc<ServerConfig>,
    pub transcript: Vec<u8>,
    pub server_random: [u8; 32],
    pub suite: Option<SuiteParams>,
    pub sh_exts: Vec<u16>,
    pub ske: Option<Ske>,
    pub master: Vec<u8>,
    pub ems: bool,
    pub cw: Option<Sealer>,
    pub sw: Option<Sealer>,
    /// The ticket of the server's NewSessionTicket, if it sent one.
    pub ticket: Option<Vec<u8>>,
}

impl Script {
    pub fn new(cfg: Arc<ServerConfig>) -> Script {
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
    pub fn hello(&mut self, ch: &[u8]) -> Vec<Rec> {
        self.hello_in(ch, 1 << 14)
    }

    /// `hello` with the message split in records of at most `frag` bytes.
    pub fn hello_in(&mut self, ch: &[u8], frag: usize) -> Vec<Rec> {
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

    pub fn suite(&self) -> u16 {
        self.suite.unwrap().suite.0
    }

    pub fn ske(&self) -> &Ske {
        self.ske.as_ref().unwrap()
    }

    /// Checks the ServerKeyExchange signature over client_random + server_random + params.
    pub fn check_ske_signature(&self) {
        let ske = self.ske();
        let mut signed = [0x5a; 32].to_vec();
        signed.extend_from_slice(&self.server_random);
        signed.extend_from_slice(&ske.params);
        let spki = tlsprobe::handshake::cert_auth::leaf_spki(&self.cfg.cert.chain[0]).unwrap();
        // (never MD5 or SHA-1: `sign::verify` refuses them, as RFC 9155 §4 forbids them here)
        sign::verify(ske.scheme, &spki, &signed, &ske.signature, true).unwrap();
    }

    /// A ClientKeyExchange carrying `public` (hand-made, for bad points).
    pub fn cke_with(public: &[u8]) -> Vec<u8> {
        raw_msg(16, &vec8(public))
    }

    /// A valid ClientKeyExchange; derives the master secret and both record keys.
    pub fn cke(&mut self) -> Vec<u8> {
        let eph = EphemeralKey::generate(self.ske().group, &mut seeded_rng(9)).unwrap();
        let msg = Self::cke_with(&eph.public_key());
        let pre_master = eph.agree(&self.ske().public).unwrap();
        self.derive(&msg, &pre_master);
        msg
    }

    pub fn derive(&mut self, cke: &[u8], pre_master: &[u8]) {
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

    pub fn finished(&self, label: &[u8]) -> Vec<u8> {
        let p = self.suite.unwrap();
        let th = p.hash.hash(&self.transcript);
        raw_msg(
            20,
            &prf::finished_verify_data(p.hash, &self.master, label, &th),
        )
    }

    /// CKE, CCS and the (possibly tampered) Finished, sealed: tlsfuzzer's second flight.
    pub fn flight2(&mut self, tamper: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let cke = self.cke();
        let mut fin = self.finished(b"client finished");
        tamper(&mut fin);
        self.transcript.extend_from_slice(&fin);
        let sealed = self.cw.as_mut().unwrap().seal(HS, &fin);
        join(&[Rec::new(HS, cke), Rec::new(CCS, vec![1]), sealed])
    }

    /// Completes the handshake: the server answers CCS and a Finished that verifies.
    pub fn complete(&mut self) {
        let f2 = self.flight2(|_| {});
        self.s.feed(&f2).unwrap();
        self.expect_server_finished();
    }

    /// The server's answer to a second flight it accepted: CCS and a Finished that verifies,
    /// after a NewSessionTicket if the ServerHello answered session_ticket (RFC 5077 §3.3).
    pub fn expect_server_finished(&mut self) {
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

    pub fn seal(&mut self, ct: u8, data: &[u8]) -> Vec<u8> {
        self.cw.as_mut().unwrap().seal(ct, data).bytes()
    }

    /// The happy end of test-conversation: GET, data comes back to the application, then
    /// close_notify both ways.
    pub fn conversation(&mut self) {
        let get = self.seal(APP, b"GET / HTTP/1.0\r\n\r\n");
        self.s.feed(&get).unwrap();
        let evs = drain(&mut self.s);
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

/// Feeds one ClientHello message (in one record) and expects a plaintext fatal `want`.
pub fn hello_refused(cfg: &Arc<ServerConfig>, ch: Vec<u8>, want: Alert) {
    let mut s = Connection::server(cfg.clone(), seeded_rng(3));
    let r = s.feed(&Rec::new(HS, ch).bytes());
    expect_plain(&mut s, r, want);
}

/// Runs a handshake to the server's first flight and feeds `f(script)`; expects a plaintext
/// fatal `want` (the server has not switched its write keys yet).
pub fn second_flight_refused(
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

/// An established connection for the post-handshake cases.
pub fn established(suite: u16) -> Script {
    let mut sc = Script::new(ecdsa_server());
    sc.hello(&client_hello(0x0303, &[suite], Some(&[sigs()])));
    sc.complete();
    sc
}

pub fn valid_p256_point() -> Vec<u8> {
    EphemeralKey::generate(NamedGroup::SECP256R1, &mut seeded_rng(8))
        .unwrap()
        .public_key()
}
