//! Moves bytes between a TCP socket (and, for the pipe, stdin) and a `Connection`: one loop
//! that feeds the core, flushes its output (one write per flight) and hands every event to a
//! sink (`report::sink::Sink`). The application data the peer sends also takes its own path
//! to the command (`Received`): kept for it to read (listen's http and echo modes), or
//! written to the output it chose (the pipe's stdout). The socket is read directly by that
//! loop (its read timeout bounding each wait) until stdin is read too; then a reader thread
//! per input feeds a channel that the loop waits on.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::error::TlsError;
use crate::event::{CloseTracker, Dir, Event};
use crate::handshake::Connection;
use crate::report::sink::Sink;

enum Input {
    Net(Vec<u8>),
    NetEof,
    NetError(io::Error),
    Stdin(Vec<u8>),
    StdinEof,
}

/// Why driving a connection stopped. `peer` is "server" or "client".
#[derive(Debug)]
pub enum DriveError {
    /// A protocol error (already reported as events; the alert was sent when we raised it).
    Tls(TlsError),
    /// The peer closed the connection during the handshake.
    PeerClosed { peer: &'static str },
    /// Sending to the peer failed.
    Send {
        peer: &'static str,
        error: io::Error,
    },
    /// Reading the connection failed.
    Connection(io::Error),
    /// The reader thread ended without a word (it cannot, short of a panic).
    ReaderStopped,
    /// Nothing arrived within the timeout during the handshake.
    TimedOut { peer: &'static str, after: Duration },
    /// Writing an output (the sink's or the received data's) failed.
    Output(io::Error),
    /// An output is gone, the sink's or the received data's (a closed pipe): end quietly.
    SinkClosed,
}

impl std::fmt::Display for DriveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DriveError::Tls(e) => write!(f, "{e}"),
            DriveError::PeerClosed { peer } => {
                write!(f, "the {peer} closed the connection during the handshake")
            }
            DriveError::Send { peer, error } => write!(f, "cannot send to the {peer}: {error}"),
            DriveError::Connection(e) => write!(f, "connection error: {e}"),
            DriveError::ReaderStopped => f.write_str("reader stopped"),
            DriveError::TimedOut { peer, after } => write!(
                f,
                "timed out after {:.1} s waiting for the {peer} during the handshake",
                after.as_secs_f64()
            ),
            DriveError::Output(e) => write!(f, "cannot write output: {e}"),
            DriveError::SinkClosed => f.write_str("output closed"),
        }
    }
}

impl std::error::Error for DriveError {}

/// Where the application data the peer sends goes, apart from the events about it.
enum Received {
    /// Kept until the command reads it ([`Driver::received`], [`Driver::take_received`]).
    Kept(Vec<u8>),
    /// Written (and flushed) as it arrives, before its `app_data` event reaches the sink, so
    /// that the data comes before the trace line about it (the pipe's stdout).
    Written(Box<dyn Write + Send>),
}

pub struct Driver {
    pub conn: Connection,
    stream: TcpStream,
    /// The peer's application data (kept unless the command gave an output for it).
    received: Received,
    /// Until stdin is read (`start_stdin`), the socket is read right here, with the read
    /// timeout set on it; afterwards a reader thread per input feeds this channel.
    threads: Option<(Sender<Input>, Receiver<Input>)>,
    /// The read timeout currently set on the socket (direct mode), to set it only on change.
    read_timeout: Option<Option<Duration>>,
    timeout: Duration,
    net_eof: bool,
    stdin_eof: bool,
    /// Name of the peer in messages ("server" or "client").
    peer: &'static str,
    /// What the `closed` event will say (`finish`), gathered as the connection goes.
    close: CloseTracker,
    /// The `closed` event has been written.
    finished: bool,
}

/// What waiting for input gave: the input, or why there was none.
enum Wait {
    Got(Input),
    Timeout,
    Disconnected,
}

fn sink_err(e: io::Error) -> DriveError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        DriveError::SinkClosed
    } else {
        DriveError::Output(e)
    }
}

/// Reads the socket on its own thread until EOF or an error, sending what arrives.
fn spawn_net_reader(mut rd: TcpStream, ntx: Sender<Input>) {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 32 * 1024];
        loop {
            match rd.read(&mut buf) {
                Ok(0) => {
                    let _ = ntx.send(Input::NetEof);
                    break;
                }
                Ok(n) => {
                    if ntx.send(Input::Net(buf[..n].to_vec())).is_err() {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = ntx.send(Input::NetError(e));
                    break;
                }
            }
        }
    });
}

impl Driver {
    pub fn new(
        conn: Connection,
        stream: TcpStream,
        timeout: Duration,
        peer: &'static str,
    ) -> Driver {
        Driver {
            conn,
            stream,
            received: Received::Kept(Vec::new()),
            threads: None,
            read_timeout: None,
            timeout,
            net_eof: false,
            stdin_eof: false,
            peer,
            close: CloseTracker::default(),
            finished: false,
        }
    }

    /// Reads stdin on a thread; each chunk is sent as application data by `run`. From here
    /// on the socket is read on a thread too, so that both inputs are waited for at once.
    pub fn start_stdin(&mut self) {
        let tx = match &self.threads {
            Some((tx, _)) => tx.clone(),
            None => {
                let (tx, rx) = channel();
                match self.stream.try_clone() {
                    Ok(rd) => {
                        // Blocking reads without a timeout from now on (the channel waits).
                        let _ = rd.set_read_timeout(None);
                        spawn_net_reader(rd, tx.clone())
                    }
                    Err(e) => {
                        let _ = tx.send(Input::NetError(e));
                    }
                }
                self.threads = Some((tx.clone(), rx));
                tx
            }
        };
        std::thread::spawn(move || {
            let mut stdin = io::stdin().lock();
            let mut buf = vec![0u8; 16 * 1024];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(Input::StdinEof);
                        break;
                    }
                    Ok(n) => {
                        if tx.send(Input::Stdin(buf[..n].to_vec())).is_err() {
                            break;
                        }
                    }
                }
            }
        });
    }

    /// The next input, waiting at most `timeout` (None: as long as it takes). In the direct
    /// mode this is one read of the socket.
    fn wait(&mut self, timeout: Option<Duration>) -> Wait {
        if let Some((_, rx)) = &self.threads {
            return match timeout {
                Some(t) => match rx.recv_timeout(t) {
                    Ok(i) => Wait::Got(i),
                    Err(RecvTimeoutError::Timeout) => Wait::Timeout,
                    Err(RecvTimeoutError::Disconnected) => Wait::Disconnected,
                },
                None => match rx.recv() {
                    Ok(i) => Wait::Got(i),
                    Err(_) => Wait::Disconnected,
                },
            };
        }
        // SO_RCVTIMEO refuses zero (it would mean "no timeout"): the shortest wait instead.
        let timeout = timeout.map(|t| t.max(Duration::from_micros(1)));
        if self.read_timeout != Some(timeout) {
            if let Err(e) = self.stream.set_read_timeout(timeout) {
                return Wait::Got(Input::NetError(e));
            }
            self.read_timeout = Some(timeout);
        }
        thread_local! {
            // One read buffer per thread (listen's connection threads are reused), not one
            // zeroed 32 KiB allocation per connection.
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUF.with(|buf| self.read_into(&mut buf.borrow_mut()))
    }

    fn read_into(&mut self, buf: &mut Vec<u8>) -> Wait {
        if buf.is_empty() {
            buf.resize(32 * 1024, 0);
        }
        loop {
            return match self.stream.read(buf) {
                Ok(0) => Wait::Got(Input::NetEof),
                Ok(n) => Wait::Got(Input::Net(buf[..n].to_vec())),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    Wait::Timeout
                }
                Err(e) => Wait::Got(Input::NetError(e)),
            };
        }
    }

    /// From now on the peer's application data is written to `out` as it arrives (the
    /// pipe's stdout) instead of being kept.
    pub fn write_received_to(&mut self, out: Box<dyn Write + Send>) {
        self.received = Received::Written(out);
    }

    /// The application data received and kept so far (empty when it is written out).
    pub fn received(&self) -> &[u8] {
        match &self.received {
            Received::Kept(data) => data,
            Received::Written(_) => &[],
        }
    }

    /// Takes the application data kept so far.
    pub fn take_received(&mut self) -> Vec<u8> {
        match &mut self.received {
            Received::Kept(data) => std::mem::take(data),
            Received::Written(_) => Vec::new(),
        }
    }

    /// Writes what the core wants to send and hands its events to the sink: after the
    /// write, or before it when the sink asks (`Sink::events_before_send`).
    pub fn flush(&mut self, sink: &mut dyn Sink) -> Result<(), DriveError> {
        let out = self.conn.take_output();
        let before = sink.events_before_send();
        if before {
            self.deliver_events(sink)?;
        }
        let wrote = if out.is_empty() {
            Ok(())
        } else {
            self.stream.write_all(&out)
        };
        if !before {
            self.deliver_events(sink)?;
        }
        wrote.map_err(|error| {
            let e = DriveError::Send {
                peer: self.peer,
                error,
            };
            self.close.error(e.to_string());
            e
        })
    }

    /// Hands the core's pending events to the sink, in order.
    fn deliver_events(&mut self, sink: &mut dyn Sink) -> Result<(), DriveError> {
        while let Some(e) = self.conn.next_event() {
            self.deliver(e, sink)?;
        }
        Ok(())
    }

    /// Hands one event to the sink; received application data also goes its own way
    /// (written out before its event, or moved into the kept data after it, without a copy
    /// when nothing is kept yet).
    fn deliver(&mut self, e: Event, sink: &mut dyn Sink) -> Result<(), DriveError> {
        self.close.observe(&e);
        let r = self.deliver_to(e, sink);
        if matches!(r, Err(DriveError::SinkClosed)) {
            // `| head` closed an output: the run ends quietly, without a `closed` event.
            self.finished = true;
        }
        r
    }

    fn deliver_to(&mut self, e: Event, sink: &mut dyn Sink) -> Result<(), DriveError> {
        let data = match e {
            Event::AppData { dir: Dir::In, data } => data,
            other => return sink.event(&other).map_err(sink_err),
        };
        if let Received::Written(out) = &mut self.received {
            out.write_all(&data)
                .and_then(|()| out.flush())
                .map_err(sink_err)?;
        }
        let e = Event::AppData { dir: Dir::In, data };
        sink.event(&e).map_err(sink_err)?;
        if let (Received::Kept(kept), Event::AppData { data, .. }) = (&mut self.received, e) {
            if kept.is_empty() {
                *kept = data;
            } else {
                kept.extend_from_slice(&data);
            }
        }
        Ok(())
    }

    fn feed(&mut self, data: &[u8], sink: &mut dyn Sink) -> Result<(), DriveError> {
        let r = self.conn.feed(data);
        // The alert (if any) goes out before we report the failure.
        let f = self.flush(sink);
        if let Err(e) = &r {
            self.close.tls_error(e);
        }
        r.map_err(DriveError::Tls)?;
        f
    }

    /// Runs until the handshake is complete.
    pub fn handshake(&mut self, sink: &mut dyn Sink) -> Result<(), DriveError> {
        self.flush(sink)?;
        while !self.conn.is_established() {
            match self.wait(Some(self.timeout)) {
                Wait::Got(Input::Net(d)) => self.feed(&d, sink)?,
                Wait::Got(Input::NetEof) => {
                    self.saw_eof();
                    return Err(DriveError::PeerClosed { peer: self.peer });
                }
                Wait::Got(Input::NetError(e)) => return Err(self.failed(DriveError::Connection(e))),
                Wait::Got(_) => {}
                Wait::Timeout => {
                    return Err(self.failed(DriveError::TimedOut {
                        peer: self.peer,
                        after: self.timeout,
                    }))
                }
                Wait::Disconnected => return Err(self.failed(DriveError::ReaderStopped)),
            }
        }
        Ok(())
    }

    /// Sends application data.
    pub fn send(&mut self, data: &[u8], sink: &mut dyn Sink) -> Result<(), DriveError> {
        self.conn.send_data(data).map_err(DriveError::Tls)?;
        self.flush(sink)
    }

    /// Waits for the next received data (or close) for at most `timeout`; returns false when
    /// the connection is over (peer closed, EOF) or nothing came in time.
    pub fn poll_once(
        &mut self,
        timeout: Duration,
        sink: &mut dyn Sink,
    ) -> Result<bool, DriveError> {
        if self.conn.peer_closed() || self.net_eof {
            return Ok(false);
        }
        match self.wait(Some(timeout)) {
            Wait::Got(Input::Net(d)) => {
                self.feed(&d, sink)?;
                Ok(!self.conn.peer_closed())
            }
            Wait::Got(Input::NetEof) => {
                self.saw_eof();
                Ok(false)
            }
            Wait::Got(Input::NetError(e)) => Err(self.failed(DriveError::Connection(e))),
            Wait::Got(Input::Stdin(d)) => {
                self.send(&d, sink)?;
                Ok(true)
            }
            Wait::Got(Input::StdinEof) => {
                self.stdin_eof = true;
                Ok(true)
            }
            Wait::Timeout | Wait::Disconnected => Ok(false),
        }
    }

    /// The pipe: stdin (when started) goes out as application data, received data goes its
    /// own way (`write_received_to`) and its events to the sink. End of stdin sends close_notify and waits (bounded) for the peer's.
    /// Returns Ok(true) when the peer closed with close_notify, Ok(false) on a TCP close
    /// without it (truncation).
    pub fn run(&mut self, sink: &mut dyn Sink) -> Result<bool, DriveError> {
        loop {
            if self.conn.peer_closed() {
                self.close(sink)?;
                return Ok(true);
            }
            if self.net_eof {
                return Ok(false);
            }
            if self.stdin_eof && !self.conn.sent_close() {
                return self.close_and_wait(sink);
            }
            match self.wait(None) {
                Wait::Got(Input::Net(d)) => self.feed(&d, sink)?,
                Wait::Got(Input::NetEof) => self.saw_eof(),
                Wait::Got(Input::NetError(e)) => return Err(self.failed(DriveError::Connection(e))),
                Wait::Got(Input::Stdin(d)) => self.send(&d, sink)?,
                Wait::Got(Input::StdinEof) => self.stdin_eof = true,
                // Nothing to wait for (no timeout): only a broken reader ends up here.
                Wait::Timeout | Wait::Disconnected => return Ok(false),
            }
        }
    }

    /// Sends close_notify (once).
    pub fn close(&mut self, sink: &mut dyn Sink) -> Result<(), DriveError> {
        self.conn.close();
        let r = self.flush(sink);
        if self.conn.peer_closed() {
            let _ = self.stream.shutdown(Shutdown::Both);
        }
        r
    }

    /// Sends close_notify and waits for the peer's, bounded by the timeout; data that arrives
    /// meanwhile is still delivered. Ok(true) when the peer closed cleanly.
    pub fn close_and_wait(&mut self, sink: &mut dyn Sink) -> Result<bool, DriveError> {
        self.close(sink)?;
        let deadline = Instant::now() + self.timeout;
        while !self.conn.peer_closed() && !self.net_eof {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.wait(Some(left)) {
                Wait::Got(Input::Net(d)) => self.feed(&d, sink)?,
                Wait::Got(Input::NetEof) => self.saw_eof(),
                Wait::Got(Input::NetError(_)) => break,
                Wait::Got(_) => {}
                Wait::Timeout | Wait::Disconnected => break,
            }
        }
        let _ = self.stream.shutdown(Shutdown::Both);
        Ok(self.conn.peer_closed())
    }

    pub fn net_eof(&self) -> bool {
        self.net_eof
    }

    fn saw_eof(&mut self) {
        self.net_eof = true;
        self.close.tcp_close();
    }

    /// Notes a local error as the connection's end (when nothing ended it before).
    fn failed(&mut self, e: DriveError) -> DriveError {
        self.close.error(e.to_string());
        e
    }

    /// Notes a local error that ends the connection (a deadline, a command's failure).
    pub fn note_error(&mut self, detail: impl Into<String>) {
        self.close.error(detail);
    }

    /// Notes that a deadline cut the connection (listen's watchdog shut its socket down).
    pub fn note_deadline(&mut self, detail: impl Into<String>) {
        self.close.deadline(detail);
    }

    /// Notes that the peer's certificate did not verify (connect, exit 3): call before
    /// closing, so that this is the reason the `closed` event gives.
    pub fn note_verify_failed(&mut self, detail: impl Into<String>) {
        self.close.verify_failed(detail);
    }

    /// Writes the `closed` event, the connection's last (once; later calls do nothing, and
    /// so does a call after an output was found closed: that run ends quietly).
    pub fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), DriveError> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let closed = self.close.closed(self.peer);
        sink.event(&Event::Closed(Box::new(closed)))
            .map_err(sink_err)
    }

    /// The socket (for a watchdog that may shut it down).
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }
}
