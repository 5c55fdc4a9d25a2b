//! The words of a check: its label (`what`) and its sentence (`detail`), written from the
//! data a `CheckKind` carries. Both renderers use them, so the human trace and JSON's
//! `"checks":[{"what","ok","detail"}]` say the same.

use crate::crypto::dh::DhParamsInfo;
use crate::event::{Check, CheckKind as K, KxSignature};
use crate::handshake::Side;
use crate::pki::ocsp::OcspSummary;

/// A check's label and sentence.
pub fn describe(c: &Check) -> (&'static str, String) {
    (what(&c.kind), detail(&c.kind))
}

/// The short label of a check: what it was about.
pub fn what(k: &K) -> &'static str {
    match k {
        K::DowngradeSentinelAbsent { .. } | K::DowngradeSentinelSet { .. } => "downgrade sentinel",
        K::DeprecatedVersion { .. } => "protocol version",
        K::Beast => "BEAST",
        K::EncryptThenMac { .. } => "encrypt-then-MAC",
        K::NoSecureRenegotiation => "secure renegotiation",
        K::Resumed { .. } | K::SessionIdEchoed => "resumption",
        K::PskAccepted { .. } => "PSK",
        K::PskBinderValid { .. } => "PSK binder",
        K::SessionTicket { .. } => "session ticket",
        K::TicketAllowsEarlyData { .. } | K::EarlyDataAccepted { .. } => "early data",
        K::RetryRequested { .. } | K::RetryReceived { .. } => "retry",
        K::HelloRequestIgnored => "hello request",
        K::DhParams(_) | K::DhParamsRejected(_) | K::DhGroupSent { .. } => "DH parameters",
        K::DhPublicInRange { .. } => "DH public value",
        K::DhGroupWeak { .. } => "DH group strength",
        K::DhGroupUnknown => "DH group",
        K::PremasterEncrypted { .. } | K::PremasterDecrypted => "key transport",
        K::KeyExchangeSignature(_)
        | K::CertificateVerify { .. }
        | K::CertificateVerifyLegacy { .. } => "signature",
        K::FinishedPrf { .. } | K::FinishedHmac { .. } => "verify_data",
        K::KeyUpdated { .. } => "key update",
        K::Ocsp(_) | K::OcspStatusUnreadable { .. } | K::OcspEntryUnreadable(_) => "OCSP",
        K::ClientCertificateRequested { .. }
        | K::ClientCertificateWithheld { .. }
        | K::NoClientCertificate => "client certificate",
    }
}

/// The sentence of a check: what was found.
pub fn detail(k: &K) -> String {
    match k {
        K::DowngradeSentinelAbsent { version } => format!(
            "absent ({version} chosen while a higher version was offered; RFC 8446 §4.1.3)"
        ),
        K::DowngradeSentinelSet { version, sentinel } => format!(
            "{} set in the random: {version} chosen while a higher version is enabled (RFC 8446 §4.1.3)",
            sentinel_text(sentinel)
        ),
        K::DeprecatedVersion { version } => format!("{version} is deprecated (RFC 8996)"),
        K::Beast => BEAST.into(),
        K::EncryptThenMac { negotiated, by } => encrypt_then_mac(*negotiated, *by).into(),
        K::NoSecureRenegotiation => NO_SECURE_RENEGOTIATION.into(),
        K::Resumed { from_ticket } => resumed(*from_ticket).into(),
        K::SessionIdEchoed => "the server echoed our session id: abbreviated handshake".into(),
        K::PskAccepted { identity, psk } => {
            format!("the server accepted PSK identity {identity}: {psk}")
        }
        K::PskBinderValid { identity, psk } => {
            format!("identity {identity}, {psk}, with a valid binder: using it")
        }
        K::SessionTicket { len, lifetime_hint } => {
            format!("{len} bytes, lifetime hint {lifetime_hint} s (RFC 5077)")
        }
        K::TicketAllowsEarlyData { max_early_data } => format!(
            "the ticket allows {max_early_data} bytes of 0-RTT data (connect --early-data sends some)"
        ),
        K::EarlyDataAccepted { bytes } => {
            format!("0-RTT accepted: {bytes} bytes of early data (RFC 8446 §4.2.10)")
        }
        K::RetryRequested { group } => {
            format!("the client sent no key share for {group}, our preferred group it supports")
        }
        K::RetryReceived { group: Some(g) } => format!("the server wants a key share for {g}"),
        K::RetryReceived { group: None } => "the server sent a cookie".into(),
        K::HelloRequestIgnored => "ignored during the handshake".into(),
        K::DhParams(info) => dh_params(info),
        K::DhParamsRejected(e) => e.message.clone(),
        K::DhGroupSent { description, bits } => format!("{description} ({bits} bits)"),
        K::DhPublicInRange { of } => format!("1 < {} < p-1 (RFC 7919 §5.1)", dh_public(*of)),
        K::DhGroupWeak { bits } => weak_dh_group(*bits),
        K::DhGroupUnknown => DH_GROUP_UNKNOWN.into(),
        K::PremasterEncrypted { len } => format!("{len}-byte {PREMASTER_ENCRYPTED}"),
        K::PremasterDecrypted => PREMASTER_DECRYPTED.into(),
        K::KeyExchangeSignature(how) => format!("{} {KX_SIGNATURE}", kx_signature(how)),
        K::CertificateVerify { scheme, signer } => {
            format!("{scheme} {}", certificate_verify(*signer))
        }
        K::CertificateVerifyLegacy { how, signer } => {
            format!("{how} {}", certificate_verify(*signer))
        }
        K::FinishedPrf { sender } => format!(
            "matches PRF(master_secret, \"{} finished\", transcript hash)",
            sender.name()
        ),
        K::FinishedHmac { sender } => {
            format!("matches HMAC({} finished_key, transcript)", sender.name())
        }
        K::KeyUpdated {
            peer,
            update_requested,
        } => key_updated(*peer, *update_requested),
        K::Ocsp(o) => ocsp(o),
        K::OcspStatusUnreadable { len, error } => {
            format!("stapled response of {len} bytes could not be read: {error}")
        }
        K::OcspEntryUnreadable(error) => format!("stapled response unreadable: {error}"),
        K::ClientCertificateRequested { have_cert } => certificate_requested(*have_cert).into(),
        K::ClientCertificateWithheld { have_cert } => certificate_withheld(*have_cert).into(),
        K::NoClientCertificate => "the client sent no certificate".into(),
    }
}

const BEAST: &str = "TLS 1.0 with a CBC suite: each record's IV is the previous ciphertext block, exposed to BEAST (CVE-2011-3389)";
const NO_SECURE_RENEGOTIATION: &str = "the server does not support RFC 5746 secure renegotiation";
const DH_GROUP_UNKNOWN: &str =
    "the prime is not one of the well-known groups; its primality was not tested";
const PREMASTER_ENCRYPTED: &str =
    "pre-master secret encrypted to the server certificate's RSA key (RFC 5246 §7.4.7.1)";
const PREMASTER_DECRYPTED: &str = "pre-master secret decrypted with our RSA key (any failure silently replaced by random bytes, RFC 5246 §7.4.7.1)";
const KX_SIGNATURE: &str = "over client_random + server_random + params verified with the leaf key";

/// "DOWNGRD\x01": the sentinel's seven letters, then its last byte escaped.
fn sentinel_text(sentinel: &[u8; 8]) -> String {
    let last = if sentinel[7] == 1 { "\\x01" } else { "\\x00" };
    format!("{}{last}", String::from_utf8_lossy(&sentinel[..7]))
}

/// The client judges the server's choice; the server tells how it protects what it receives.
fn encrypt_then_mac(negotiated: bool, by: Side) -> &'static str {
    match (negotiated, by) {
        (true, Side::Client) => "negotiated (RFC 7366): the MAC covers the ciphertext",
        (false, Side::Client) => {
            "not negotiated: MAC-then-encrypt, the order padding-oracle attacks exploit"
        }
        (true, Side::Server) => "negotiated (RFC 7366)",
        (false, Side::Server) => {
            "not negotiated: MAC-then-encrypt (checked in constant time on receive)"
        }
    }
}

fn resumed(from_ticket: bool) -> &'static str {
    if from_ticket {
        "session resumed from the client's ticket"
    } else {
        "session resumed from the session-id cache"
    }
}

/// "2048-bit prime, generator 2, RFC 7919 ffdhe2048".
fn dh_params(info: &DhParamsInfo) -> String {
    format!(
        "{}-bit prime, generator {}, {}",
        info.bits,
        info.generator,
        info.known.unwrap_or("not a well-known group")
    )
}

/// The name RFC 5246 gives a side's DH public value.
fn dh_public(of: Side) -> &'static str {
    match of {
        Side::Client => "Yc",
        Side::Server => "Ys",
    }
}

/// The server's DHE prime is too short (also the words of `Warning::WeakDhGroup`).
pub fn weak_dh_group(bits: usize) -> String {
    format!(
        "the server's DHE group has a {bits}-bit prime: weaker than 2048 bits (Logjam, RFC 7919)"
    )
}

fn kx_signature(how: &KxSignature) -> String {
    match how {
        KxSignature::Scheme(s) => s.to_string(),
        KxSignature::Legacy(name) => name.to_string(),
    }
}

fn certificate_verify(signer: Side) -> &'static str {
    match signer {
        Side::Server => "over the handshake transcript verified with the leaf key",
        Side::Client => "verified with the client certificate's key",
    }
}

fn key_updated(peer: Side, update_requested: bool) -> String {
    let peer = peer.name();
    if update_requested {
        format!("{peer} keys updated; the {peer} asks us to update ours too")
    } else {
        format!("{peer} keys updated")
    }
}

fn certificate_requested(have_cert: bool) -> &'static str {
    if have_cert {
        "the server asks for a client certificate; we will send ours"
    } else {
        "the server asks for a client certificate; we have none (--cert) and will send an empty one"
    }
}

fn certificate_withheld(have_cert: bool) -> &'static str {
    if have_cert {
        "our key cannot sign with any scheme the server accepts: sending no certificate"
    } else {
        "no --cert given: sending an empty certificate list"
    }
}

/// One line for a stapled OCSP response: its status and the fields present.
fn ocsp(o: &OcspSummary) -> String {
    let mut s = format!("OCSP response {}", o.response_status);
    let fields = [
        ("certificate", &o.cert_status),
        ("produced at", &o.produced_at),
        ("this update", &o.this_update),
        ("next update", &o.next_update),
        ("responder", &o.responder),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            s += &format!(", {name} {v}");
        }
    }
    s
}
