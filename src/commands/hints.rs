//! Hints: one line after an error saying what to try next, where users get stuck (a server
//! that speaks only old versions, no common suite or group, a private root or a self-signed
//! certificate, a server that wants a client certificate, a port that does not speak TLS).

use crate::error::Alert;
use crate::handshake::config::ClientConfig;
use crate::net::driver::DriveError;
use crate::net::target::Target;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};

/// The names of `items`, the first `max` and a count of the rest.
fn some<T: ToString>(items: &[T], max: usize) -> String {
    let mut v: Vec<String> = items.iter().take(max).map(T::to_string).collect();
    if items.len() > max {
        v.push(format!("{} more", items.len() - max));
    }
    v.join(", ")
}

fn scan_hint(target: &Target) -> String {
    format!(
        "run `tlsprobe scan {}` to see what it supports",
        target.display()
    )
}

/// Said on stderr when the pipe opens after ALPN chose h2 (RFC 9113 §3.2: the bytes are
/// HTTP/2 frames, starting with the connection preface).
pub const H2_PIPE: &str = "note: ALPN chose h2: the pipe now carries HTTP/2 frames (binary), not text; offer only --alpn http/1.1 to type HTTP/1.1 requests";

/// What to try after a handshake that failed with `e`.
pub fn after_handshake(e: &DriveError, config: &ClientConfig, target: &Target) -> Option<String> {
    let DriveError::Tls(t) = e else {
        return None;
    };
    if !t.received {
        return t.message.starts_with("this is not TLS").then(|| {
            format!(
                "is the port right? for a protocol that upgrades to TLS use --starttls (smtp, imap, pop3, ftp, xmpp, ...), or {}",
                scan_hint(target)
            )
        });
    }
    let versions = some(&config.versions, 4);
    match t.alert {
        Alert::ProtocolVersion => Some(format!(
            "we offered {versions}; the server may speak only other versions: try --tls 1.0,1.1,1.2 or {}",
            scan_hint(target)
        )),
        Alert::HandshakeFailure | Alert::InsufficientSecurity => {
            let cert = if config.client_cert.is_none() {
                " (if the server asked for a client certificate, give --cert and --key)"
            } else {
                ""
            };
            // A TLS 1.2-only hello lists no TLS 1.3-only group (ML-KEM, the hybrids).
            let tls13 = config.versions.contains(&ProtocolVersion::TLS13);
            let groups: Vec<NamedGroup> = config
                .groups
                .iter()
                .copied()
                .filter(|g| tls13 || !crate::crypto::kx::is_kem(*g))
                .collect();
            let n = config.suites.len();
            Some(format!(
                "no suite or group in common? we offered {versions}, {n} suite{} ({}) and the groups {}; {}{cert}",
                if n == 1 { "" } else { "s" },
                some(&config.suites, 2),
                some(&groups, 4),
                scan_hint(target)
            ))
        }
        Alert::CertificateRequired => {
            Some("the server requires a client certificate: give --cert and --key".into())
        }
        Alert::UnrecognizedName => Some(
            "the server does not serve this name: give the name it expects with --sni NAME (or --no-sni)"
                .into(),
        ),
        _ => None,
    }
}

/// What to try after a chain that did not verify, from its errors.
pub fn after_verification(errors: &[String]) -> Option<String> {
    let any = |s: &str| errors.iter().any(|e| e.contains(s));
    if any("self-signed") {
        Some("the server's certificate is self-signed: trust that very certificate with --ca-file FILE, or use -k to go on without verification".into())
    } else if any("not in the trust store") || any("unknown CA") || any("unknown issuer") {
        Some("the chain ends at a root that is not in the trust store (a private CA?): give that CA with --ca-file FILE".into())
    } else if any("missing intermediate") {
        Some("the server did not send its intermediate certificate: fix the server's chain, or give the intermediate with --ca-file FILE".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TlsError;

    fn target() -> Target {
        Target::parse("example.test:443", 443).unwrap()
    }

    #[test]
    fn protocol_version_suggests_older_versions() {
        let e = DriveError::Tls(TlsError::received(Alert::ProtocolVersion, "x"));
        let h = after_handshake(&e, &ClientConfig::default(), &target()).unwrap();
        assert!(h.contains("--tls 1.0,1.1"), "{h}");
        assert!(h.contains("tlsprobe scan example.test:443"), "{h}");
    }

    #[test]
    fn our_own_alerts_and_other_errors_get_no_hint() {
        let e = DriveError::Tls(TlsError::decode("bad length"));
        assert!(after_handshake(&e, &ClientConfig::default(), &target()).is_none());
        let e = DriveError::PeerClosed { peer: "server" };
        assert!(after_handshake(&e, &ClientConfig::default(), &target()).is_none());
    }

    #[test]
    fn verification_hints() {
        let h = after_verification(&["self-signed certificate not in the trust store".into()]);
        assert!(h.unwrap().contains("self-signed"));
        let h = after_verification(&[
            "certificate issued by CN=x: that CA is not in the trust store".into(),
        ]);
        assert!(h.unwrap().contains("--ca-file"));
        assert!(after_verification(&["name a not in [b]".into()]).is_none());
    }
}
