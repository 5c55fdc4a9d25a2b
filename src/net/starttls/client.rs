//! The client side of each dialogue, for `connect --starttls` and `scan --starttls`: until
//! the server has agreed to start TLS.

use super::error::StarttlsError as E;
use super::{contains_ci, tag_is, Starttls, Talk, MAX_LINES, MAX_XML, PG_SSL_REQUEST};
use crate::net::plain::printable;

type Step = Result<(), E>;

pub(super) fn smtp(t: &mut Talk) -> Step {
    let p = Starttls::Smtp;
    let (code, lines) = t.coded_reply("SMTP greeting")?;
    if code != 220 {
        return Err(E::Greeting {
            proto: p,
            expected: "220",
            got: lines.join(" / "),
        });
    }
    t.send_line("EHLO tlsprobe")?;
    let (code, lines) = t.coded_reply("EHLO reply")?;
    if code != 250 {
        return Err(E::Refused {
            proto: p,
            command: "EHLO",
            maybe_not_offered: false,
            got: lines.join(" / "),
        });
    }
    let offered = lines.iter().skip(1).any(|l| {
        l.get(4..)
            .is_some_and(|k| k.trim().eq_ignore_ascii_case("STARTTLS"))
    });
    if !offered {
        return Err(E::NotOffered {
            proto: p,
            evidence: "no STARTTLS line in its EHLO reply",
        });
    }
    t.send_line("STARTTLS")?;
    let (code, lines) = t.coded_reply("STARTTLS reply")?;
    if code != 220 {
        return Err(E::Refused {
            proto: p,
            command: "STARTTLS",
            maybe_not_offered: false,
            got: lines.join(" / "),
        });
    }
    Ok(())
}

pub(super) fn imap(t: &mut Talk) -> Step {
    let g = t.line("IMAP greeting")?;
    let up = g.to_ascii_uppercase();
    if up.starts_with("* PREAUTH") {
        return Err(E::ImapPreauth);
    }
    if !up.starts_with("* OK") {
        return Err(E::Greeting {
            proto: Starttls::Imap,
            expected: "'* OK'",
            got: g,
        });
    }
    t.send_line("a001 STARTTLS")?;
    for _ in 0..MAX_LINES {
        let l = t.line("STARTTLS reply")?;
        let up = l.to_ascii_uppercase();
        if up.starts_with("* BYE") {
            return Err(E::ImapBye(l));
        }
        if let Some(rest) = up.strip_prefix("A001 ") {
            if rest.starts_with("OK") {
                return Ok(());
            }
            return Err(E::Refused {
                proto: Starttls::Imap,
                command: "STARTTLS",
                maybe_not_offered: true,
                got: l,
            });
        }
    }
    Err(E::ImapNoAnswer)
}

pub(super) fn pop3(t: &mut Talk) -> Step {
    let g = t.line("POP3 greeting")?;
    if !g.starts_with("+OK") {
        return Err(E::Greeting {
            proto: Starttls::Pop3,
            expected: "'+OK'",
            got: g,
        });
    }
    t.send_line("STLS")?;
    let r = t.line("STLS reply")?;
    if !r.starts_with("+OK") {
        return Err(E::Refused {
            proto: Starttls::Pop3,
            command: "STLS",
            maybe_not_offered: true,
            got: r,
        });
    }
    Ok(())
}

pub(super) fn ftp(t: &mut Talk) -> Step {
    let (code, lines) = t.coded_reply("FTP greeting")?;
    if code != 220 {
        return Err(E::Greeting {
            proto: Starttls::Ftp,
            expected: "220",
            got: lines.join(" / "),
        });
    }
    t.send_line("AUTH TLS")?;
    let (code, lines) = t.coded_reply("AUTH TLS reply")?;
    if code != 234 {
        return Err(E::Refused {
            proto: Starttls::Ftp,
            command: "AUTH TLS",
            maybe_not_offered: true,
            got: lines.join(" / "),
        });
    }
    Ok(())
}

/// Quotes an XML attribute value.
pub(super) fn xml_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&apos;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// RFC 6120 §5: stream header, features, `<starttls/>`, `<proceed/>`. `host` goes in `to=`.
pub(super) fn xmpp(t: &mut Talk, host: &str) -> Step {
    let header = format!(
        "<?xml version='1.0'?><stream:stream to='{}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
        xml_attr(host)
    );
    t.send_raw(header.as_bytes(), &header)?;
    // The server's stream header, then its features (RFC 6120 §4.3.2).
    let got = t.io.read_until(MAX_XML, "stream features", |v| {
        tag_is(v, "</stream:features")
            || tag_is(v, "<stream:features/")
            || tag_is(v, "</stream:stream")
            || tag_is(v, "<stream:error")
    })?;
    t.shown_in(printable(&got));
    if contains_ci(&got, "<stream:error") || contains_ci(&got, "</stream:stream>") {
        return Err(E::XmppStreamError);
    }
    if !contains_ci(&got, "<starttls") {
        return Err(E::NotOffered {
            proto: Starttls::Xmpp,
            evidence: "no <starttls/> in its stream features",
        });
    }
    let cmd = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    t.send_raw(cmd.as_bytes(), cmd)?;
    let got = t.io.read_until(MAX_XML, "answer to <starttls/>", |v| {
        tag_is(v, "<proceed") || tag_is(v, "<failure") || tag_is(v, "</stream:stream")
    })?;
    t.shown_in(printable(&got));
    if !tag_is(&got, "<proceed") {
        return Err(E::XmppNoProceed);
    }
    Ok(())
}

pub(super) fn postgres(t: &mut Talk) -> Step {
    t.send_raw(
        &PG_SSL_REQUEST,
        "SSLRequest (00 00 00 08 04 d2 16 2f: length 8, code 80877103)",
    )?;
    let b = t.io.read_exact(1, "answer to SSLRequest")?[0];
    match b {
        b'S' => {
            t.shown_in("S (the server accepts SSL)".into());
            Ok(())
        }
        b'N' => {
            t.shown_in("N (the server does not accept SSL)".into());
            Err(E::PostgresRefused)
        }
        b'E' => {
            t.shown_in("E (error)".into());
            Err(E::PostgresError)
        }
        other => {
            t.shown_in(format!("0x{other:02x}"));
            Err(E::PostgresUnknownAnswer(other))
        }
    }
}
