//! The driver's path for received application data, apart from the events: kept for the
//! command to read (listen's http and echo modes), or written to the output the command gave
//! (the pipe's stdout) before the `app_data` event about it reaches the sink. Over loopback
//! TCP, with tlsprobe's own server on a thread that sends two messages and closes.

use std::io::{self, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tlsprobe::crypto::rng::system_rng;
use tlsprobe::event::{Dir, Event};
use tlsprobe::handshake::config::{ClientConfig, ServerConfig};
use tlsprobe::handshake::Connection;
use tlsprobe::inmem::self_signed;
use tlsprobe::net::driver::Driver;

const TIMEOUT: Duration = Duration::from_secs(20);
const FIRST: &[u8] = b"first message\n";
const SECOND: &[u8] = b"second message\n";

/// A server on a loopback port: one connection, the handshake, FIRST then SECOND as two
/// records, then close_notify and a bounded wait for the client's.
fn server() -> (u16, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let conn = Connection::server(
            Arc::new(ServerConfig::new(self_signed("localhost"))),
            system_rng(),
        );
        let mut d = Driver::new(conn, stream, TIMEOUT, "client");
        let mut quiet = |_: &Event| Ok(());
        d.handshake(&mut quiet).unwrap();
        d.send(FIRST, &mut quiet).unwrap();
        d.send(SECOND, &mut quiet).unwrap();
        let _ = d.close_and_wait(&mut quiet);
    });
    (port, handle)
}

fn client(port: u16) -> Driver {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let conn = Connection::client(ClientConfig::default(), system_rng()).unwrap();
    Driver::new(conn, stream, TIMEOUT, "server")
}

/// Reads until the server's close_notify (bounded by the driver's timeout).
fn until_closed(d: &mut Driver, sink: &mut dyn FnMut(&Event) -> io::Result<()>) {
    let mut sink = |e: &Event| sink(e);
    d.handshake(&mut sink).unwrap();
    for _ in 0..100 {
        if !d.poll_once(TIMEOUT, &mut sink).unwrap() {
            break;
        }
    }
    assert!(
        d.conn.peer_closed(),
        "the server's close_notify did not come"
    );
}

/// A writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn received_data_is_kept_for_the_command() {
    let (port, server) = server();
    let mut d = client(port);
    let mut events = 0;
    until_closed(&mut d, &mut |e| {
        events += matches!(e, Event::AppData { dir: Dir::In, .. }) as usize;
        Ok(())
    });
    assert_eq!(events, 2, "each message is still an app_data event");
    assert_eq!(d.received(), [FIRST, SECOND].concat());
    assert_eq!(d.take_received(), [FIRST, SECOND].concat());
    assert!(d.received().is_empty(), "taken data is gone");
    drop(d);
    server.join().unwrap();
}

#[test]
fn received_data_is_written_before_its_event() {
    let (port, server) = server();
    let mut d = client(port);
    let out = Shared::default();
    d.write_received_to(Box::new(out.clone()));
    let mut seen = vec![];
    until_closed(&mut d, &mut |e| {
        if let Event::AppData { dir: Dir::In, data } = e {
            // By the time the event is shown, its data is already out.
            let written = out.0.lock().unwrap().clone();
            assert!(written.ends_with(data), "data not written before its event");
            seen.push(written.len());
        }
        Ok(())
    });
    assert_eq!(seen, [FIRST.len(), FIRST.len() + SECOND.len()]);
    assert_eq!(*out.0.lock().unwrap(), [FIRST, SECOND].concat());
    assert!(d.received().is_empty(), "written data is not kept too");
    drop(d);
    server.join().unwrap();
}

#[test]
fn a_closed_output_ends_the_connection_quietly() {
    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let (port, server) = server();
    let mut d = client(port);
    d.write_received_to(Box::new(Closed));
    let mut quiet = |_: &Event| Ok(());
    d.handshake(&mut quiet).unwrap();
    let mut ended = None;
    for _ in 0..100 {
        match d.poll_once(TIMEOUT, &mut quiet) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                ended = Some(e);
                break;
            }
        }
    }
    assert!(
        matches!(ended, Some(tlsprobe::net::driver::DriveError::SinkClosed)),
        "{ended:?}"
    );
    drop(d);
    server.join().unwrap();
}
