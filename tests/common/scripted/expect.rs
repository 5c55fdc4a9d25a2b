//! What a connection must do when it refuses a peer's bytes (RFC 8446 §6, RFC 5246 §7.2):
//! return the error with the right alert, report exactly that one fatal alert as sent, close,
//! and then accept and send nothing more; and the alert record's bytes, plain or protected.

use tlsprobe::error::{Alert, AlertLevel, TlsError};
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::Connection;

use super::records::{parse, plain_alert, Rec, ALERT, APP};
use super::sealer::Sealer;

/// The events `conn` has queued, taken.
pub fn drain(conn: &mut Connection) -> Vec<Event> {
    std::iter::from_fn(|| conn.next_event()).collect()
}

/// `r` must be an error we detected, with alert `want`; the one fatal alert is reported as
/// sent; the connection is closed and refuses further input. Returns the bytes sent.
pub fn expect_fatal(conn: &mut Connection, r: Result<(), TlsError>, want: Alert) -> Vec<u8> {
    let e = r.expect_err("the peer's bytes must be refused");
    assert_eq!(e.alert, want, "wrong alert for: {e}");
    assert!(!e.received);
    assert!(e.message.len() > 10, "a clear error message: {e}");
    assert!(conn.is_failed());
    let evs = drain(conn);
    let sent: Vec<_> = evs
        .iter()
        .filter_map(|e| match e {
            Event::Alert {
                dir: Dir::Out,
                level,
                description,
            } => Some((*level, *description)),
            _ => None,
        })
        .collect();
    assert_eq!(sent, vec![(AlertLevel::Fatal, want)], "{evs:#?}");
    // The core writes no `closed` event (the driver does, as the connection's last).
    assert!(
        !evs.iter().any(|e| matches!(e, Event::Closed(_))),
        "{evs:#?}"
    );
    let out = conn.take_output();
    // Nothing more is accepted, nothing more is sent.
    assert!(conn.feed(&Rec::new(APP, vec![0; 20]).bytes()).is_err());
    assert!(conn.send_data(b"x").is_err());
    assert!(!conn.has_output());
    out
}

/// As `expect_fatal`, and the alert went out unencrypted: 15 03 03 00 02 02 XX.
pub fn expect_plain(conn: &mut Connection, r: Result<(), TlsError>, want: Alert) {
    let out = expect_fatal(conn, r, want);
    assert_eq!(out, plain_alert(want), "alert bytes");
}

/// As `expect_fatal`, and the alert went out protected by `keys`.
pub fn expect_sealed(
    conn: &mut Connection,
    r: Result<(), TlsError>,
    want: Alert,
    keys: &mut Sealer,
) {
    let out = expect_fatal(conn, r, want);
    let recs = parse(&out);
    assert_eq!(recs.len(), 1, "one alert record");
    if keys.tls13 {
        assert_eq!(recs[0].ct, APP);
        assert_eq!(keys.open13(&recs[0]), (ALERT, vec![2, want.to_u8()]));
    } else {
        assert_eq!(recs[0].ct, ALERT);
        assert_eq!(keys.open(&recs[0]), vec![2, want.to_u8()]);
    }
}
