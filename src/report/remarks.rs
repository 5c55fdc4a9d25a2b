//! The words of info and warning events: `Display` for `event::Info` and `event::Warning`,
//! one sentence each, written from the data the kind carries. Both renderers use them (the
//! human trace after "* " or "warning:", JSON as the `message`).

use std::fmt;

use crate::event::{
    CertOrigin, EarlyDataRefusal, Info, LimitSource, SignatureGap, SocksAddress, Warning,
};
use crate::handshake::Side;
use crate::net::proxy::socks_reply_name;

impl fmt::Display for Info {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Info::HappyEyeballs { waited, next } => write!(
                f,
                "no answer yet after {} ms: trying {next} as well (happy eyeballs, RFC 8305)",
                waited.as_millis()
            ),
            Info::ViaProxy { target, proxy } => {
                write!(f, "connecting to {target} through the proxy {proxy}")
            }
            Info::HttpTunnelOpened { authority } => {
                write!(f, "the proxy opened a tunnel to {authority}")
            }
            Info::SocksMethodsOffered { user_password } => write!(
                f,
                "SOCKS5 (RFC 1928): offering authentication methods: {}",
                if *user_password {
                    "none, username/password"
                } else {
                    "none"
                }
            ),
            Info::SocksNoAuthentication => f.write_str("SOCKS5: the proxy chose no authentication"),
            Info::SocksUserPassword { user } => write!(
                f,
                "SOCKS5: the proxy chose username/password authentication (RFC 1929); sending user '{user}'"
            ),
            Info::SocksAuthenticated => f.write_str("SOCKS5: authenticated"),
            Info::SocksConnect { target, address } => {
                write!(f, "SOCKS5: CONNECT {target} ({})", socks_address(*address))
            }
            Info::SocksConnected { target, reply } => write!(
                f,
                "SOCKS5: the proxy connected to {target} ({})",
                socks_reply_name(*reply)
            ),
            Info::StarttlsDialogue { protocol } => write!(
                f,
                "STARTTLS: {} plaintext dialogue first ({})",
                protocol.name(),
                protocol.rfc()
            ),
            Info::StarttlsAgreed { protocol } => write!(
                f,
                "the {} server agreed to start TLS; the handshake follows",
                protocol.name()
            ),
            Info::StarttlsRequested { .. } => {
                f.write_str("the client asked to start TLS; the handshake follows")
            }
            Info::WarningAlert { alert, in_a_row } if *in_a_row > 1 => write!(
                f,
                "peer sent a warning alert: {alert} ({in_a_row} in a row without progress; more than {} ends the connection)",
                crate::handshake::MAX_WARNINGS_IN_A_ROW
            ),
            Info::WarningAlert { alert, .. } => write!(f, "peer sent a warning alert: {alert}"),
            Info::RenegotiationRefused { by } => write!(
                f,
                "{}; refused with a no_renegotiation warning",
                match by {
                    Side::Server => "the server asked to renegotiate",
                    Side::Client => "the client tried to renegotiate",
                }
            ),
            Info::Reconnecting => f.write_str("Reconnecting to resume the session"),
            Info::EarlyDataRejected { .. }
            | Info::EarlyDataReceived { .. }
            | Info::EarlyDataResent { .. }
            | Info::PostHandshakeAuth { .. }
            | Info::RecordLimits { .. } => session_mode(self, f),
            Info::Listening { local, origin, key } => {
                write!(f, "Listening on {local} ({}, {key} key)", cert_origin(*origin))
            }
            Info::CertificateFingerprint { sha256 } => {
                write!(f, "certificate SHA-256 fingerprint {sha256}")
            }
            Info::SecondCertificate {
                origin,
                key,
                sha256,
            } => write!(
                f,
                "second {} ({key} key) for clients the first does not suit, SHA-256 fingerprint {sha256}",
                cert_origin(*origin)
            ),
            Info::ListenStarttls { protocol } => write!(
                f,
                "each connection starts with the server side of the {} STARTTLS dialogue",
                protocol.name()
            ),
        }
    }
}

fn socks_address(a: SocksAddress) -> &'static str {
    match a {
        SocksAddress::Ipv4 => "IPv4 address",
        SocksAddress::Ipv6 => "IPv6 address",
        SocksAddress::HostName => "host name, resolved by the proxy",
    }
}

fn cert_origin(o: CertOrigin) -> &'static str {
    match o {
        CertOrigin::SelfSigned => "self-signed certificate",
        CertOrigin::File => "certificate from --cert",
    }
}

/// The sentences of 0-RTT, post-handshake authentication and record size limits.
fn session_mode(info: &Info, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match info {
        Info::EarlyDataRejected { reason } => {
            write!(f, "0-RTT early data rejected: {}", early_refusal(*reason))
        }
        Info::EarlyDataReceived { bytes, start } => {
            let text: String = String::from_utf8_lossy(start).escape_debug().collect();
            let more = if *bytes > start.len() { "..." } else { "" };
            write!(f, "0-RTT early data received: {bytes} bytes: \"{text}\"{more}")
        }
        Info::EarlyDataResent { bytes } => write!(
            f,
            "sending the {bytes} bytes of early data as ordinary application data after the handshake"
        ),
        Info::PostHandshakeAuth {
            client_certificate: Some(subject),
            verified,
        } => write!(
            f,
            "post-handshake authentication (RFC 8446 §4.6.2): the client sent the certificate of {subject}{}",
            match verified {
                Some(true) => ", which verified",
                Some(false) => ", which did not verify",
                None => " (not verified: no --ca-file)",
            }
        ),
        Info::PostHandshakeAuth {
            client_certificate: None,
            ..
        } => f.write_str(
            "post-handshake authentication (RFC 8446 §4.6.2): the client sent no certificate",
        ),
        Info::RecordLimits {
            source,
            send,
            receive,
        } => write!(
            f,
            "record sizes limited by {}: we send at most {send} bytes of content per record, we accept at most {receive} bytes of plaintext per protected record",
            match source {
                LimitSource::RecordSizeLimit => "record_size_limit (RFC 8449)",
                LimitSource::MaxFragmentLength => "max_fragment_length (RFC 6066 §4)",
            }
        ),
        _ => Ok(()),
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Beast { split: true } => f.write_str(
                "TLS 1.0 CBC: chained IVs (CVE-2011-3389); application data is split 1/n-1 (a first record of one byte), the BEAST countermeasure",
            ),
            Warning::Beast { split: false } => f.write_str(
                "TLS 1.0 CBC: chained IVs are exposed to BEAST (CVE-2011-3389); records are not split 1/n-1 (--no-split)",
            ),
            Warning::WeakDhGroup { bits } => {
                f.write_str(&super::checks::weak_dh_group(*bits))
            }
            Warning::PostHandshakeAuthUnavailable { tls13: true } => f.write_str(
                "no post-handshake CertificateRequest: the client did not offer post_handshake_auth (RFC 8446 §4.6.2)",
            ),
            Warning::PostHandshakeAuthUnavailable { tls13: false } => f.write_str(
                "no post-handshake CertificateRequest: post-handshake authentication is TLS 1.3 only",
            ),
            Warning::TicketMissing => f.write_str(
                "the server acknowledged session_ticket but sent no NewSessionTicket",
            ),
            Warning::VerificationIgnored { errors } if errors.is_empty() => f.write_str(
                "certificate verification failed (the certificate chain did not verify); continuing because of -k",
            ),
            Warning::VerificationIgnored { errors } => write!(
                f,
                "certificate verification failed ({}); continuing because of -k",
                errors.join("; ")
            ),
            Warning::SessionNotSaved { path } => write!(
                f,
                "the server offered no session to resume (no session id or ticket); --sess-out {path} was not written"
            ),
            Warning::NothingToResume => f.write_str(
                "the server offered nothing to resume (no session id or ticket); the second handshake is a full one",
            ),
            Warning::ClientCertificatesUnverified => f.write_str(
                "no --ca-file: client certificates are shown but not verified",
            ),
            Warning::NoSignatureForClient { gap } => write!(
                f,
                "{}, so only a suite without a server signature (RSA key transport) can be chosen",
                signature_gap(gap)
            ),
        }
    }
}

/// Why the client allows no signature we may make.
fn signature_gap(gap: &SignatureGap) -> String {
    match gap {
        SignatureGap::NotSent => "the client sent no signature_algorithms, and RFC 9155 §2 forbids the SHA-1 default of RFC 5246 §7.4.1.4.1".into(),
        SignatureGap::OnlyForbidden(schemes) => format!(
            "the client accepts only MD5 or SHA-1 signatures ({}), which RFC 9155 §4 forbids",
            schemes
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Why 0-RTT data was refused, in words.
fn early_refusal(r: EarlyDataRefusal) -> &'static str {
    use EarlyDataRefusal as R;
    match r {
        R::NotEnabled => "0-RTT is off (listen --early-data turns it on); the early data is skipped (RFC 8446 §4.2.10)",
        R::NotResumed => "no ticket of ours was resumed with the first PSK identity; the early data is skipped",
        R::TicketWithoutEarlyData => "the ticket was issued without early_data (RFC 8446 §4.6.1)",
        R::Replay => "this ticket's early data was already accepted once: a replay (RFC 8446 §8.1); the early data is skipped, the handshake goes on",
        R::ParametersChanged => "the cipher suite or ALPN protocol differs from the ticket's (RFC 8446 §4.2.10); the early data is skipped",
        R::TicketAge => "the ticket's age is outside the window (RFC 8446 §8.3); the early data is skipped",
        R::HelloRetry => "a HelloRetryRequest was needed (RFC 8446 §4.1.2); the early data is skipped",
        R::ByServer => "the server's EncryptedExtensions has no early_data (RFC 8446 §4.2.10)",
    }
}
