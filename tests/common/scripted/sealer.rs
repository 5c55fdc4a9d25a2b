//! One direction's record protection rebuilt from the keys a peer reports (`Event::Keys`
//! with revealed secrets), so that a scripted peer can open what a connection sent and seal
//! what it sends in its place (RFC 5246 §6.2.3.3, RFC 8446 §5.2).

use tlsprobe::crypto::aead::RecordCipher;
use tlsprobe::event::Event;
use tlsprobe::handshake::suite_params;
use tlsprobe::wire::suites::CipherSuite;

use super::records::{parse, Rec, APP};

/// A record cipher and the sequence number of the next record.
pub struct Sealer {
    pub c: RecordCipher,
    pub seq: u64,
    pub tls13: bool,
}

impl Sealer {
    /// Opens the next record; it must deprotect.
    pub fn open(&mut self, r: &Rec) -> Vec<u8> {
        let p = self.c.open(self.seq, r.ct, r.ver, &r.frag).unwrap();
        self.seq += 1;
        p
    }

    /// Opens a TLS 1.3 record: (inner content type, content).
    pub fn open13(&mut self, r: &Rec) -> (u8, Vec<u8>) {
        let mut p = self.open(r);
        while p.last() == Some(&0) {
            p.pop();
        }
        let t = p.pop().unwrap();
        (t, p)
    }

    /// Protects `data` of content type `ct` as the next record.
    pub fn seal(&mut self, ct: u8, data: &[u8]) -> Rec {
        if self.tls13 {
            let mut inner = data.to_vec();
            inner.push(ct);
            self.seal_inner(&inner)
        } else {
            let frag = self.c.seal(self.seq, ct, 0x0303, data);
            self.seq += 1;
            Rec::new(ct, frag)
        }
    }

    /// TLS 1.3: seals a TLSInnerPlaintext given whole (type byte and padding included).
    pub fn seal_inner(&mut self, inner: &[u8]) -> Rec {
        let frag = self.c.seal(self.seq, APP, 0x0303, inner);
        self.seq += 1;
        Rec::new(APP, frag)
    }

    /// Moves past every record of `sent` (a connection's output) that these keys deprotect
    /// at the current sequence number: what the connection itself already sent under them,
    /// so that the next `seal` continues its numbering.
    pub fn catch_up(&mut self, sent: &[u8]) {
        for r in parse(sent) {
            if self.c.open(self.seq, r.ct, r.ver, &r.frag).is_ok() {
                self.seq += 1;
            }
        }
    }
}

/// The newest revealed secret labelled `label` in `events`.
pub fn secret(events: &[Event], label: &str) -> Vec<u8> {
    events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Keys(k) if k.label == label => k.secret.clone(),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {label} key event"))
}

/// A sealer for `prefix` ("server_handshake_traffic", "client_application_traffic", ...) in
/// TLS 1.3, or "server"/"client" write keys in TLS 1.2, at sequence number 0.
pub fn sealer(events: &[Event], suite: u16, prefix: &str) -> Sealer {
    let p = suite_params::params(CipherSuite(suite)).unwrap();
    if p.tls13 {
        let key = secret(events, &format!("{prefix} key"));
        let iv = secret(events, &format!("{prefix} iv"));
        Sealer {
            c: RecordCipher::tls13(p.aead().unwrap(), &key, &iv).unwrap(),
            seq: 0,
            tls13: true,
        }
    } else {
        let key = secret(events, &format!("{prefix}_write_key"));
        let iv = secret(events, &format!("{prefix}_write_IV"));
        Sealer {
            c: RecordCipher::tls12(p.aead().unwrap(), &key, &iv).unwrap(),
            seq: 0,
            tls13: false,
        }
    }
}
