//! `poodle_tls`: whether the server checks every CBC padding byte of the records it
//! receives (CVE-2014-8730, "POODLE against TLS").
//!
//! In TLS 1.0-1.2 MAC-then-encrypt, the padding is not covered by the MAC; every padding byte
//! must equal the padding length (RFC 5246 §6.2.3.2, RFC 2246 §6.2.3.2) and a record that
//! breaks this must fail with bad_record_mac. A server that checks only the length byte (as
//! SSL 3.0 did) lets a man in the middle mount POODLE against TLS. The probe completes a
//! handshake with tlsprobe's client on a CBC suite, without encrypt_then_mac (RFC 7366: with
//! it the MAC covers the padding), sends one application-data record with a right MAC and a
//! right length byte but the other padding bytes altered, then close_notify. A fatal alert
//! is a refusal (not vulnerable); the server's close_notify, data or silence means the record
//! was taken. One connection; a second (the same record, correctly padded) only when the
//! refusal was not bad_record_mac, to tell whether it was the padding that was refused.

use std::cell::RefCell;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{Check, CheckSpec, Scope};
use crate::crypto::rng::system_rng;
use crate::error::Alert;
use crate::event::{Dir, Event};
use crate::handshake::config::ClientConfig;
use crate::handshake::{suite_params, Connection};
use crate::scan::findings::Severity;
use crate::wire::codepoints::ProtocolVersion;
use crate::wire::suites::{Cipher, CipherSuite};

pub const ID: &str = "poodle_tls";

pub fn spec() -> CheckSpec {
    CheckSpec {
        id: ID,
        max_connections: 2,
        run,
    }
}

/// The application data sent in the probed record.
const PROBE: &[u8] = b"tlsprobe poodle_tls probe\r\n";

/// What the server did after the probed record and our close_notify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A fatal (or other non-close_notify) alert: the record was refused.
    Refused(Alert),
    /// close_notify or application data: the record was taken.
    Took(&'static str),
    /// The connection closed with no alert.
    ClosedSilently,
    /// Nothing within the timeout.
    Silent,
}

fn run(scope: &Scope) -> Check {
    let (version, suites) = match plan(scope) {
        Ok(p) => p,
        Err(c) => return c,
    };
    let bad = match probe(scope, version, &suites, true) {
        Ok(a) => a,
        Err(e) => return Check::unknown(ID, format!("unknown: {e}")),
    };
    match bad {
        Answer::Refused(Alert::BadRecordMac) | Answer::Refused(Alert::DecryptionFailed) => {
            not_vulnerable(format!(
                "{} alert to a record with wrong padding bytes",
                alert_name(&bad)
            ))
        }
        Answer::Refused(a) => match probe(scope, version, &suites, false) {
            Ok(Answer::Refused(b)) => Check::unknown(
                ID,
                format!("unknown: the server refuses application data even when correctly padded ({a} alert, then {b})"),
            ),
            Ok(_) => not_vulnerable(format!("{a} alert to a record with wrong padding bytes, none to a correct one")),
            Err(e) => Check::unknown(ID, format!("unknown: the correctly padded control failed: {e}")),
        },
        Answer::ClosedSilently => Check::unknown(
            ID,
            "unknown: the server closed the connection without an alert after a record with wrong padding bytes",
        ),
        Answer::Took(how) => vulnerable(version, how),
        Answer::Silent => vulnerable(version, "sent no alert"),
    }
}

fn alert_name(a: &Answer) -> String {
    match a {
        Answer::Refused(a) => a.to_string(),
        _ => String::new(),
    }
}

fn not_vulnerable(why: String) -> Check {
    let mut c = Check::not_vulnerable(ID);
    c.reason = Some(why);
    c
}

fn vulnerable(v: ProtocolVersion, how: &str) -> Check {
    Check::vulnerable(
        ID,
        Severity::High,
        format!(
            "POODLE TLS (CVE-2014-8730): in {v} the server accepted a CBC record whose padding bytes were wrong (it {how}): it checks only the padding length, so a man in the middle can decrypt secrets such as cookies byte by byte; fix the TLS stack or disable the CBC suites"
        ),
    )
}

/// The newest TLS 1.0-1.2 version with CBC suites, and those of them tlsprobe's client
/// speaks; or the verdict when there are none.
fn plan(scope: &Scope) -> Result<(ProtocolVersion, Vec<CipherSuite>), Check> {
    let cbc = |s: &CipherSuite| s.info().is_some_and(|i| is_cbc(i.cipher));
    let tls = |v: ProtocolVersion| v >= ProtocolVersion::TLS10 && v <= ProtocolVersion::TLS12;
    let versions = [
        ProtocolVersion::TLS10,
        ProtocolVersion::TLS11,
        ProtocolVersion::TLS12,
    ];
    if let Some(why) = super::derived::no_versions(scope.report, &versions, "TLS 1.0-1.2") {
        return Err(super::derived::absent(ID, why));
    }
    let Some(p) = scope
        .report
        .protocols
        .iter()
        .filter(|p| p.supported && tls(p.version) && p.cipher_suites.iter().any(cbc))
        .max_by_key(|p| p.version)
    else {
        return Err(Check::not_applicable(
            ID,
            "not applicable: the server accepts no CBC suite in TLS 1.0-1.2",
        ));
    };
    let ours: Vec<CipherSuite> = p
        .cipher_suites
        .iter()
        .copied()
        .filter(|s| suite_params::params(*s).is_some_and(|x| x.is_cbc() && x.usable_in(p.version)))
        .collect();
    if ours.is_empty() {
        return Err(Check::unknown(
            ID,
            "unknown: none of the server's CBC suites is one tlsprobe's client speaks",
        ));
    }
    Ok((p.version, ours))
}

/// The block ciphers in CBC mode (the suites whose records carry a padding).
fn is_cbc(c: Cipher) -> bool {
    use Cipher::*;
    matches!(
        c,
        Rc2Cbc40
            | IdeaCbc
            | Des40Cbc
            | DesCbc
            | TripleDesCbc
            | Aes128Cbc
            | Aes256Cbc
            | Camellia128Cbc
            | Camellia256Cbc
            | Aria128Cbc
            | Aria256Cbc
            | SeedCbc
    )
}

/// The padding for a record: p + 1 bytes, the last (the length byte) p, the others p + 1
/// when `wrong`, else p (RFC 5246 §6.2.3.2).
pub fn padding(p: u8, wrong: bool) -> Vec<u8> {
    let mut v = vec![if wrong { p.wrapping_add(1) } else { p }; p as usize];
    v.push(p);
    v
}

/// One connection: a handshake on `suites` in `version`, the probed record, close_notify,
/// and the server's answer.
fn probe(
    scope: &Scope,
    version: ProtocolVersion,
    suites: &[CipherSuite],
    wrong: bool,
) -> Result<Answer, String> {
    let conn = scope.conn;
    let _permit = conn.limits.begin();
    conn.count.fetch_add(1, Ordering::Relaxed);
    let config = ClientConfig {
        versions: vec![version],
        suites: suites.to_vec(),
        sni: scope.sni.clone(),
        session_tickets: false,
        status_request: false,
        encrypt_then_mac: false,
        ..ClientConfig::default()
    };
    let client = Connection::client(config, system_rng()).map_err(|e| e.to_string())?;
    let mut d = conn
        .endpoint
        .open_driver(client)
        .map_err(|e| e.to_string())?;
    let answer: RefCell<Option<Answer>> = RefCell::new(None);
    let mut sink = |e: &Event| {
        let mut a = answer.borrow_mut();
        if a.is_none() {
            *a = match e {
                Event::Alert {
                    dir: Dir::In,
                    description: Alert::CloseNotify,
                    ..
                } => Some(Answer::Took("answered our close_notify with its own")),
                Event::Alert {
                    dir: Dir::In,
                    description,
                    ..
                } => Some(Answer::Refused(*description)),
                Event::AppData { dir: Dir::In, .. } => Some(Answer::Took("answered with data")),
                _ => None,
            };
        }
        Ok(())
    };
    d.handshake(&mut |_: &Event| Ok(()))
        .map_err(|e| format!("the handshake on a CBC suite failed ({e})"))?;
    // Whichever padding length fills whole blocks with this MAC (1 to 16 bytes of value).
    let sent = (1..=16u8).any(|p| {
        d.conn
            .send_data_with_padding(PROBE, &padding(p, wrong))
            .is_ok()
    });
    if !sent {
        return Err("no padding fits the negotiated CBC suite".into());
    }
    let _ = d.flush(&mut sink);
    let _ = d.close(&mut sink);
    let deadline = Instant::now() + conn.endpoint.timeout();
    // Bounded by the deadline: each turn waits for input until it.
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if answer.borrow().is_some() || left.is_zero() {
            break;
        }
        match d.poll_once(left.max(Duration::from_millis(1)), &mut sink) {
            Ok(true) => {}
            Ok(false) if d.net_eof() => {
                answer.borrow_mut().get_or_insert(Answer::ClosedSilently);
            }
            Ok(false) | Err(_) => break,
        }
    }
    let a = answer.borrow().clone();
    Ok(a.unwrap_or(Answer::Silent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paddings() {
        assert_eq!(padding(3, false), vec![3, 3, 3, 3]);
        assert_eq!(padding(3, true), vec![4, 4, 4, 3]);
        assert_eq!(padding(1, true), vec![2, 1]);
    }
}
