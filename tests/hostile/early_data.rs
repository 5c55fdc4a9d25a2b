//! 0-RTT against our server (RFC 8446 §4.2.10, §8): a ticket's early data is accepted once
//! and a replay's refused with the handshake going on, early data past max_early_data_size
//! is unexpected_message, and early data to a server without 0-RTT is skipped; the JSON
//! summary's `early_data` in each case.

use std::sync::Arc;

use tlsprobe::error::Alert;
use tlsprobe::event::{Dir, EarlyData, EarlyDataRefusal, Event, Info, Summary};
use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::handshake::ClientSession;
use tlsprobe::inmem::Pair;
use tlsprobe::report::json;

use crate::common::scripted::*;

/// A server with 0-RTT up to `max` bytes (None: off).
fn server(max: Option<u32>) -> Arc<ServerConfig> {
    let mut sc = ServerConfig::new(server_key());
    sc.reveal_secrets = true;
    sc.max_early_data = max;
    Arc::new(sc)
}

/// A ticket from a first, complete connection to `sc`.
fn ticket(sc: &Arc<ServerConfig>) -> ClientSession {
    let mut first = Pair::seeded(cc13(), sc.clone(), 31).unwrap();
    first.complete();
    first.client.session().expect("a ticket")
}

/// A client resuming `sess` with `data` as early data, not started yet.
fn resuming(sc: &Arc<ServerConfig>, sess: ClientSession, data: &[u8], seed: u64) -> Pair {
    let cc = ClientConfig {
        resume: Some(sess),
        early_data: Some(data.to_vec()),
        ..cc13()
    };
    Pair::seeded(cc, sc.clone(), seed).unwrap()
}

fn summary(ev: &[Event]) -> Summary {
    ev.iter()
        .find_map(|e| match e {
            Event::Summary(s) => Some((**s).clone()),
            _ => None,
        })
        .expect("a summary")
}

fn received(ev: &[Event]) -> Vec<u8> {
    ev.iter()
        .filter_map(|e| match e {
            Event::AppData { dir: Dir::In, data } => Some(data.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn refusal(ev: &[Event]) -> Option<EarlyDataRefusal> {
    ev.iter().find_map(|e| match e {
        Event::Info(Info::EarlyDataRejected { reason }) => Some(*reason),
        _ => None,
    })
}

#[test]
fn server_accepts_a_tickets_early_data_once_and_rejects_the_replay() {
    let sc = server(Some(16384));
    let sess = ticket(&sc);
    assert_eq!(sess.max_early_data, 16384, "the ticket announces 0-RTT");

    let mut p = resuming(&sc, sess.clone(), b"GET /0rtt HTTP/1.0\r\n\r\n", 41);
    p.complete();
    let s = summary(&p.server_events);
    assert_eq!((s.resumed, s.early_data), (true, Some(EarlyData::Accepted)));
    assert_eq!(
        summary(&p.client_events).early_data,
        Some(EarlyData::Accepted)
    );
    assert_eq!(json::summary(&s)["early_data"], "accepted");
    assert_eq!(received(&p.server_events), b"GET /0rtt HTTP/1.0\r\n\r\n");
    // The early data came before the Summary (before the client's Finished).
    let at = |f: &dyn Fn(&Event) -> bool| p.server_events.iter().position(f).unwrap();
    assert!(
        at(&|e| matches!(e, Event::AppData { dir: Dir::In, .. }))
            < at(&|e| matches!(e, Event::Summary(_)))
    );

    // RFC 8446 §8.1: the same ticket again: the early data is refused and skipped, the
    // handshake completes as a resumption without 0-RTT.
    let mut replay = resuming(&sc, sess, b"GET /0rtt HTTP/1.0\r\n\r\n", 43);
    replay.complete();
    let s = summary(&replay.server_events);
    assert_eq!((s.resumed, s.early_data), (true, Some(EarlyData::Rejected)));
    assert_eq!(json::summary(&s)["early_data"], "rejected");
    assert_eq!(
        summary(&replay.client_events).early_data,
        Some(EarlyData::Rejected)
    );
    assert_eq!(
        refusal(&replay.server_events),
        Some(EarlyDataRefusal::Replay)
    );
    assert!(received(&replay.server_events).is_empty());
    // Application data after the handshake still flows.
    replay.client.send_data(b"after").unwrap();
    replay.pump();
    assert!(replay.errors.is_empty(), "{:?}", replay.errors);
}

#[test]
fn server_without_0rtt_skips_early_data_and_completes() {
    let sc = server(None);
    let mut sess = ticket(&sc);
    assert_eq!(sess.max_early_data, 0, "no early_data in the ticket");
    // A client that sends early data anyway.
    sess.max_early_data = 16384;
    let mut p = resuming(&sc, sess, &[7; 3000], 45);
    p.complete();
    let s = summary(&p.server_events);
    assert_eq!((s.resumed, s.early_data), (true, Some(EarlyData::Rejected)));
    assert_eq!(
        refusal(&p.server_events),
        Some(EarlyDataRefusal::NotEnabled)
    );
    assert!(received(&p.server_events).is_empty());
}

#[test]
fn server_early_data_past_max_early_data_size_is_unexpected_message() {
    let sc = server(Some(1000));
    let mut sess = ticket(&sc);
    // RFC 8446 §4.2.10: a client that ignores the ticket's limit.
    sess.max_early_data = 1_000_000;
    let mut p = resuming(&sc, sess, &[b'x'; 2000], 47);
    let bytes = p.client.take_output();
    let r = p.server.feed(&bytes);
    expect_fatal(&mut p.server, r, Alert::UnexpectedMessage);
}

#[test]
fn first_connection_summary_has_null_early_data() {
    let sc = server(Some(16384));
    let mut first = Pair::seeded(cc13(), sc, 49).unwrap();
    first.complete();
    let s = summary(&first.server_events);
    assert_eq!(s.early_data, None);
    assert!(json::summary(&s)["early_data"].is_null());
    assert!(json::summary(&summary(&first.client_events))["early_data"].is_null());
}
