//! The record layer (RFC 8446 §5, RFC 5246 §6.2): deframing received bytes into records,
//! protecting and unprotecting them with the current keys, fragmenting what we send (within
//! the peer's record_size_limit or max_fragment_length, and 1/n-1 for TLS 1.0 CBC).

use crate::crypto::aead::RecordCipher;
use crate::error::{Alert, TlsError};
use crate::wire::codepoints::{ContentType, ProtocolVersion};
use crate::wire::record::{RecordHeader, HEADER_LEN, MAX_CIPHERTEXT_TLS13, MAX_PLAINTEXT};

/// A record after unprotection.
#[derive(Debug, Clone)]
pub struct PlainRecord {
    pub content_type: ContentType,
    pub version: ProtocolVersion,
    pub data: Vec<u8>,
    pub encrypted: bool,
    /// The record as it arrived on the wire.
    pub raw: Vec<u8>,
}

/// One step of reading: a record (or None: more bytes needed), or a skipped early data record.
enum Next {
    Record(Option<PlainRecord>),
    Skipped,
}

/// One direction's protection state.
#[derive(Default)]
struct Direction {
    cipher: Option<RecordCipher>,
    seq: u64,
    tls13: bool,
}

/// Record framing and protection for one connection.
pub struct RecordLayer {
    inbuf: Vec<u8>,
    read: Direction,
    write: Direction,
    out: Vec<u8>,
    /// The version written in outgoing record headers.
    pub write_version: ProtocolVersion,
    /// When true, records sent are kept in `sent` for the byte view.
    pub log_records: bool,
    /// Records sent, as (content type, raw bytes, encrypted), when `log_records` is set.
    pub sent: Vec<(ContentType, Vec<u8>, bool)>,
    /// The plaintext of each record in `sent`, in the same order.
    pub sent_plain: Vec<Vec<u8>>,
    /// A TLS 1.3 server that declined the client's 0-RTT data (RFC 8446 §4.2.10): how many
    /// more bytes of early data records it will still skip. While set, application_data
    /// records are dropped when there are no read keys (after a HelloRetryRequest) or when
    /// they fail to deprotect with the handshake keys; the first record that deprotects
    /// ends the skipping.
    pub skip_early_data: Option<usize>,
    /// The most content bytes a record we send may carry (TLS 1.3: without the content type
    /// byte), once negotiated (RFC 8449 §4, RFC 6066 §4). It binds every record sent from
    /// then on: max_fragment_length binds all records after the ServerHello (RFC 6066 §4);
    /// RFC 8449 §4 exempts unprotected ones, but smaller records are always allowed and GnuTLS
    /// refuses larger unprotected ones (TLS 1.2 Certificate) with record_overflow.
    pub send_limit: Option<usize>,
    /// The largest protected record plaintext we accept (RFC 8449 §4: in TLS 1.3 the inner
    /// plaintext, content type and padding included); larger is record_overflow.
    pub recv_limit: Option<usize>,
    /// Split TLS 1.0 CBC application data 1/n-1 (RFC 7457 §2.1, the BEAST countermeasure):
    /// on by default, off with `--no-split`.
    pub split_cbc: bool,
}

/// How much early data a server that declines 0-RTT skips before giving up (RFC 8446
/// §4.2.10 bounds it by max_early_data_size; we never accept 0-RTT, so this is our own cap).
pub const MAX_SKIPPED_EARLY_DATA: usize = 1 << 16;

impl Default for RecordLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordLayer {
    pub fn new() -> Self {
        RecordLayer {
            inbuf: Vec::new(),
            read: Direction::default(),
            write: Direction::default(),
            out: Vec::new(),
            write_version: ProtocolVersion::TLS10,
            log_records: false,
            sent: Vec::new(),
            sent_plain: Vec::new(),
            skip_early_data: None,
            send_limit: None,
            recv_limit: None,
            split_cbc: true,
        }
    }

    pub fn push_input(&mut self, data: &[u8]) {
        self.inbuf.extend_from_slice(data);
    }

    /// Bytes waiting in the input buffer (not yet a whole record).
    pub fn pending_input(&self) -> usize {
        self.inbuf.len()
    }

    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    pub fn has_output(&self) -> bool {
        !self.out.is_empty()
    }

    pub fn reading_encrypted(&self) -> bool {
        self.read.cipher.is_some()
    }

    pub fn writing_encrypted(&self) -> bool {
        self.write.cipher.is_some()
    }

    pub fn set_read_cipher(&mut self, c: RecordCipher, tls13: bool) {
        self.read = Direction {
            cipher: Some(c),
            seq: 0,
            tls13,
        };
    }

    pub fn set_write_cipher(&mut self, c: RecordCipher, tls13: bool) {
        self.write = Direction {
            cipher: Some(c),
            seq: 0,
            tls13,
        };
    }

    /// Back to sending unprotected records (a client's rejected 0-RTT keys before its second
    /// ClientHello, RFC 8446 §4.1.2).
    pub fn clear_write_cipher(&mut self) {
        self.write = Direction::default();
    }

    /// The next whole record, unprotected, or None when more bytes are needed.
    pub fn next_record(&mut self) -> Result<Option<PlainRecord>, TlsError> {
        loop {
            match self.next_record_or_skip()? {
                Next::Skipped => continue,
                Next::Record(r) => return Ok(r),
            }
        }
    }

    /// Counts a skipped early data record against the allowance (RFC 8446 §4.2.10: more than
    /// max_early_data_size is an unexpected_message).
    fn skip(&mut self, len: usize) -> Result<Next, TlsError> {
        let left = self.skip_early_data.unwrap_or(0);
        if len > left {
            return Err(TlsError::unexpected(format!(
                "more than {MAX_SKIPPED_EARLY_DATA} bytes of early data, which we do not accept"
            )));
        }
        self.skip_early_data = Some(left - len);
        Ok(Next::Skipped)
    }

    fn next_record_or_skip(&mut self) -> Result<Next, TlsError> {
        if self.inbuf.len() < HEADER_LEN {
            // An SSLv2-style or HTTP request is recognisable early: reject it at once.
            if !self.inbuf.is_empty() && ContentType(self.inbuf[0]).name().is_none() {
                let mut h = [0u8; HEADER_LEN];
                h[..self.inbuf.len()].copy_from_slice(&self.inbuf);
                RecordHeader::parse(&h)?;
            }
            return Ok(Next::Record(None));
        }
        let mut hb = [0u8; HEADER_LEN];
        hb.copy_from_slice(&self.inbuf[..HEADER_LEN]);
        let header = RecordHeader::parse(&hb)?;
        let len = header.length as usize;
        if self.read.tls13 && len > MAX_CIPHERTEXT_TLS13 {
            return Err(TlsError::new(
                Alert::RecordOverflow,
                format!("TLS 1.3 record of {len} bytes exceeds 2^14 + 256"),
            ));
        }
        if self.read.cipher.is_none() && len > MAX_PLAINTEXT {
            return Err(TlsError::new(
                Alert::RecordOverflow,
                format!("plaintext record of {len} bytes exceeds 2^14"),
            ));
        }
        if self.inbuf.len() < HEADER_LEN + len {
            return Ok(Next::Record(None));
        }
        let raw: Vec<u8> = self.inbuf.drain(..HEADER_LEN + len).collect();
        let fragment = &raw[HEADER_LEN..];
        let ct = header.content_type;

        // Early data we declined, arriving before any read keys (after a HelloRetryRequest,
        // RFC 8446 §4.2.10): skipped.
        if self.read.cipher.is_none()
            && self.skip_early_data.is_some()
            && ct == ContentType::APPLICATION_DATA
        {
            return self.skip(fragment.len());
        }
        if !self.protected(ct)? {
            if fragment.is_empty() && ct != ContentType::APPLICATION_DATA {
                return Err(TlsError::unexpected(format!("zero-length {ct} record")));
            }
            return Ok(Next::Record(Some(PlainRecord {
                content_type: ct,
                version: header.version,
                data: fragment.to_vec(),
                encrypted: false,
                raw,
            })));
        }
        let cipher = self.read.cipher.as_mut().expect("checked above");
        let seq = self.read.seq;
        let plain = match cipher.open(seq, ct.0, header.version.0, fragment) {
            Ok(p) => {
                // The first record that deprotects ends any early data skipping.
                self.skip_early_data = None;
                p
            }
            // RFC 8446 §4.2.10: declined early data fails to deprotect with the handshake
            // keys and is skipped (the sequence number does not advance).
            Err(_) if self.skip_early_data.is_some() && self.read.tls13 => {
                return self.skip(fragment.len());
            }
            Err(e) => return Err(e),
        };
        self.read.seq = self.read.seq.wrapping_add(1);
        self.check_recv_limit(plain.len())?;
        if self.read.tls13 {
            let (content_type, data) = inner_plaintext13(plain)?;
            return Ok(Next::Record(Some(PlainRecord {
                content_type,
                version: header.version,
                data,
                encrypted: true,
                raw,
            })));
        }
        if plain.len() > MAX_PLAINTEXT {
            return Err(TlsError::new(
                Alert::RecordOverflow,
                "decrypted record exceeds 2^14 bytes",
            ));
        }
        // RFC 5246 §6.2.1: no zero-length handshake, alert or change_cipher_spec fragments,
        // protected or not.
        if plain.is_empty() && ct != ContentType::APPLICATION_DATA {
            return Err(TlsError::unexpected(format!("zero-length {ct} record")));
        }
        Ok(Next::Record(Some(PlainRecord {
            content_type: ct,
            version: header.version,
            data: plain,
            encrypted: true,
            raw,
        })))
    }

    /// RFC 8449 §4 (and RFC 6066 §4): a protected record whose plaintext is over the limit
    /// we announced is a record_overflow.
    fn check_recv_limit(&self, len: usize) -> Result<(), TlsError> {
        match self.recv_limit {
            Some(limit) if len > limit => Err(TlsError::new(
                Alert::RecordOverflow,
                format!("a record of {len} bytes of plaintext exceeds our limit of {limit}"),
            )),
            _ => Ok(()),
        }
    }

    /// TLS 1.0 with a CBC suite: whether application data is split 1/n-1 (None: another
    /// version or cipher, where there is nothing to split).
    pub fn cbc_split(&self) -> Option<bool> {
        let cbc = matches!(self.write.cipher, Some(RecordCipher::Cbc(_)));
        (cbc && !self.write.tls13 && self.write_version == ProtocolVersion::TLS10)
            .then_some(self.split_cbc)
    }

    /// The most content bytes the next record of ours may carry.
    fn max_fragment(&self) -> usize {
        self.send_limit
            .map_or(MAX_PLAINTEXT, |l| l.min(MAX_PLAINTEXT))
    }

    /// Whether a record of type `ct` is protected. RFC 8446 §5: unprotected change_cipher_spec
    /// may appear during the TLS 1.3 handshake. An unprotected alert is also taken there (a
    /// peer that could not process our flight may not have the keys, RFC 8446 §6); the
    /// connection refuses it once established. Any other unprotected record after the keys
    /// changed is unexpected_message.
    fn protected(&self, ct: ContentType) -> Result<bool, TlsError> {
        match &self.read.cipher {
            None => Ok(false),
            Some(_) if self.read.tls13 => {
                if ct == ContentType::CHANGE_CIPHER_SPEC || ct == ContentType::ALERT {
                    Ok(false)
                } else if ct != ContentType::APPLICATION_DATA {
                    Err(TlsError::unexpected(format!(
                        "unprotected {ct} record after the keys changed"
                    )))
                } else {
                    Ok(true)
                }
            }
            Some(_) => Ok(true),
        }
    }

    /// Sends `data` as one or more records of type `ct`, protected with the current keys.
    /// TLS 1.0 CBC application data goes out 1/n-1 when `split_cbc` is on: a first record
    /// of one byte, whose MAC makes the next record's IV unpredictable (RFC 7457 §2.1).
    pub fn send(&mut self, ct: ContentType, mut data: &[u8]) {
        if data.is_empty() {
            return self.send_one(ct, data);
        }
        if ct == ContentType::APPLICATION_DATA && data.len() > 1 && self.cbc_split() == Some(true) {
            self.send_one(ct, &data[..1]);
            data = &data[1..];
        }
        let max = self.max_fragment().max(1);
        for chunk in data.chunks(max) {
            self.send_one(ct, chunk);
        }
    }

    /// Sends `data` as one TLS 1.0-1.2 CBC record (MAC-then-encrypt) whose padding is
    /// `padding` instead of the correct one (RFC 5246 §6.2.3.2); for probing a peer's
    /// padding check. Nothing is sent, and the sequence number stays, when the keys are not
    /// CBC or the lengths do not fill whole blocks.
    pub fn send_with_padding(
        &mut self,
        ct: ContentType,
        data: &[u8],
        padding: &[u8],
    ) -> Result<(), TlsError> {
        let v = self.write_version;
        let seq = self.write.seq;
        let fragment = match &mut self.write.cipher {
            Some(c) if !self.write.tls13 => c.seal_with_padding(seq, ct.0, v.0, data, padding),
            _ => None,
        }
        .ok_or_else(|| {
            TlsError::internal("a chosen padding needs CBC MAC-then-encrypt keys and whole blocks")
        })?;
        self.write.seq = seq.wrapping_add(1);
        let header = RecordHeader {
            content_type: ct,
            version: v,
            length: fragment.len() as u16,
        };
        self.out.extend_from_slice(&header.encode());
        self.out.extend_from_slice(&fragment);
        Ok(())
    }

    fn send_one(&mut self, ct: ContentType, chunk: &[u8]) {
        let (outer_ct, version, payload, encrypted) = match &mut self.write.cipher {
            None => (ct, self.write_version, chunk.to_vec(), false),
            Some(c) => {
                let seq = self.write.seq;
                self.write.seq = self.write.seq.wrapping_add(1);
                if self.write.tls13 {
                    let mut inner = chunk.to_vec();
                    inner.push(ct.0);
                    let outer = ContentType::APPLICATION_DATA;
                    let v = ProtocolVersion::TLS12;
                    (outer, v, c.seal(seq, outer.0, v.0, &inner), true)
                } else {
                    let v = self.write_version;
                    (ct, v, c.seal(seq, ct.0, v.0, chunk), true)
                }
            }
        };
        let header = RecordHeader {
            content_type: outer_ct,
            version,
            length: payload.len() as u16,
        };
        let start = self.out.len();
        self.out.extend_from_slice(&header.encode());
        self.out.extend_from_slice(&payload);
        if self.log_records {
            self.sent.push((ct, self.out[start..].to_vec(), encrypted));
            self.sent_plain.push(chunk.to_vec());
        }
    }
}

/// RFC 8446 §5.4: a TLS 1.3 inner plaintext, its zero padding stripped: the real content
/// type (the last non-zero byte) and the content before it.
fn inner_plaintext13(mut plain: Vec<u8>) -> Result<(ContentType, Vec<u8>), TlsError> {
    if plain.len() > MAX_PLAINTEXT + 1 {
        return Err(TlsError::new(
            Alert::RecordOverflow,
            "TLS 1.3 inner plaintext exceeds 2^14 + 1 bytes",
        ));
    }
    let Some(pos) = plain.iter().rposition(|&b| b != 0) else {
        return Err(TlsError::unexpected(
            "TLS 1.3 record with no content type (all-zero inner plaintext)",
        ));
    };
    let inner = ContentType(plain[pos]);
    if inner.name().is_none() || inner == ContentType::CHANGE_CIPHER_SPEC {
        return Err(TlsError::unexpected(format!(
            "encrypted record with inner content type {}",
            inner.0
        )));
    }
    if pos == 0 && inner != ContentType::APPLICATION_DATA {
        return Err(TlsError::unexpected(format!("zero-length {inner} record")));
    }
    // The content stays where it was decrypted: no copy.
    plain.truncate(pos);
    Ok((inner, plain))
}
