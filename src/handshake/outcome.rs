//! What a connection reported about how it ended up, kept for after the handshake: the
//! `Summary` of what was negotiated and the check of the peer's certificate chain. Commands
//! read them from the connection (`Connection::summary`, `Connection::chain_check`), not
//! from the event stream.

use super::config::ChainCheck;
use crate::event::{Event, Summary};

/// The latest Summary and chain check reported.
#[derive(Default)]
pub(super) struct Outcome {
    pub summary: Option<Summary>,
    pub chain_check: Option<ChainCheck>,
}

impl Outcome {
    /// Keeps what an event about to be reported says about the outcome.
    pub fn observe(&mut self, e: &Event) {
        match e {
            Event::Summary(s) => self.summary = Some((**s).clone()),
            Event::Verify { ok, errors, detail } => {
                self.chain_check = Some(ChainCheck {
                    ok: *ok,
                    errors: errors.clone(),
                    detail: detail.clone(),
                })
            }
            _ => {}
        }
    }
}
