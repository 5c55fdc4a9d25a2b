//! The server side of each dialogue, for `listen --starttls`: greets, answers the few
//! commands a client sends before upgrading, and returns once it has agreed to start TLS.

use super::client::xml_attr;
use super::error::StarttlsError as E;
use super::{
    contains_ci, tag_is, Starttls, Talk, MAX_COMMANDS, MAX_XML, PG_GSSENC_REQUEST, PG_SSL_REQUEST,
};
use crate::net::plain::printable;

type Step = Result<(), E>;

/// The first word of a command line, upper-cased, and the rest.
fn verb(l: &str) -> (String, &str) {
    let l = l.trim_start();
    match l.split_once(' ') {
        Some((v, r)) => (v.to_ascii_uppercase(), r.trim()),
        None => (l.trim().to_ascii_uppercase(), ""),
    }
}

pub(super) fn smtp(t: &mut Talk, name: &str) -> Step {
    t.send_line(&format!("220 {name} ESMTP tlsprobe"))?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("SMTP command")?;
        let (v, _) = verb(&l);
        match v.as_str() {
            "EHLO" => t.send_lines(&[
                &format!("250-{name} at your service"),
                "250-8BITMIME",
                "250 STARTTLS",
            ])?,
            "HELO" => t.send_line(&format!("250 {name}"))?,
            "STARTTLS" => {
                t.send_line("220 2.0.0 Ready to start TLS")?;
                return Ok(());
            }
            "NOOP" | "RSET" => t.send_line("250 2.0.0 OK")?,
            "QUIT" => {
                t.send_line("221 2.0.0 Bye")?;
                return Err(E::ClientLeft {
                    how: "quit",
                    command: "STARTTLS",
                });
            }
            _ => t.send_line("530 5.7.0 Must issue a STARTTLS command first")?,
        }
    }
    Err(E::TooManyCommands(Starttls::Smtp))
}

pub(super) fn imap(t: &mut Talk) -> Step {
    const CAPS: &str = "IMAP4rev1 STARTTLS LOGINDISABLED";
    t.send_line(&format!("* OK [CAPABILITY {CAPS}] tlsprobe IMAP ready"))?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("IMAP command")?;
        let (tag, rest) = match l.split_once(' ') {
            Some((tag, rest)) if !tag.is_empty() => (tag.to_string(), rest),
            _ => {
                t.send_line("* BAD missing tag")?;
                continue;
            }
        };
        let (v, _) = verb(rest);
        match v.as_str() {
            "CAPABILITY" => t.send_lines(&[
                &format!("* CAPABILITY {CAPS}"),
                &format!("{tag} OK CAPABILITY completed"),
            ])?,
            "STARTTLS" => {
                t.send_line(&format!("{tag} OK Begin TLS negotiation now"))?;
                return Ok(());
            }
            "NOOP" => t.send_line(&format!("{tag} OK NOOP completed"))?,
            "LOGOUT" => {
                t.send_lines(&["* BYE logging out", &format!("{tag} OK LOGOUT completed")])?;
                return Err(E::ClientLeft {
                    how: "logged out",
                    command: "STARTTLS",
                });
            }
            _ => t.send_line(&format!(
                "{tag} BAD only CAPABILITY, NOOP, LOGOUT and STARTTLS before TLS"
            ))?,
        }
    }
    Err(E::TooManyCommands(Starttls::Imap))
}

pub(super) fn pop3(t: &mut Talk) -> Step {
    t.send_line("+OK tlsprobe POP3 ready")?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("POP3 command")?;
        let (v, _) = verb(&l);
        match v.as_str() {
            "CAPA" => t.send_lines(&["+OK capability list follows", "STLS", "."])?,
            "STLS" => {
                t.send_line("+OK Begin TLS negotiation")?;
                return Ok(());
            }
            "NOOP" => t.send_line("+OK")?,
            "QUIT" => {
                t.send_line("+OK bye")?;
                return Err(E::ClientLeft {
                    how: "quit",
                    command: "STLS",
                });
            }
            _ => t.send_line("-ERR only CAPA, NOOP, QUIT and STLS before TLS")?,
        }
    }
    Err(E::TooManyCommands(Starttls::Pop3))
}

pub(super) fn ftp(t: &mut Talk) -> Step {
    t.send_line("220 tlsprobe FTP ready")?;
    for _ in 0..MAX_COMMANDS {
        let l = t.line("FTP command")?;
        let (v, arg) = verb(&l);
        match v.as_str() {
            "FEAT" => t.send_lines(&["211-Features:", " AUTH TLS", "211 End"])?,
            "AUTH" if matches!(arg.to_ascii_uppercase().as_str(), "TLS" | "TLS-C" | "SSL") => {
                t.send_line("234 AUTH TLS successful")?;
                return Ok(());
            }
            "AUTH" => t.send_line("504 only AUTH TLS is supported")?,
            "NOOP" => t.send_line("200 OK")?,
            "QUIT" => {
                t.send_line("221 Bye")?;
                return Err(E::ClientLeft {
                    how: "quit",
                    command: "AUTH TLS",
                });
            }
            _ => t.send_line("530 Please use AUTH TLS first")?,
        }
    }
    Err(E::TooManyCommands(Starttls::Ftp))
}

pub(super) fn xmpp(t: &mut Talk, name: &str) -> Step {
    let got =
        t.io.read_until(MAX_XML, "stream header", |v| tag_is(v, "<stream:stream"))?;
    t.shown_in(printable(&got));
    let reply = format!(
        "<?xml version='1.0'?><stream:stream from='{}' id='tlsprobe' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
        xml_attr(name)
    );
    t.send_raw(reply.as_bytes(), &reply)?;
    let got = t.io.read_until(MAX_XML, "<starttls/>", |v| {
        tag_is(v, "<starttls") || tag_is(v, "</stream:stream")
    })?;
    t.shown_in(printable(&got));
    if !contains_ci(&got, "<starttls") {
        return Err(E::XmppClientClosed);
    }
    let p = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
    t.send_raw(p.as_bytes(), p)
}

pub(super) fn postgres(t: &mut Talk) -> Step {
    for _ in 0..2 {
        let m = t.io.read_exact(8, "startup message")?;
        if m == PG_SSL_REQUEST {
            t.shown_in("SSLRequest (00 00 00 08 04 d2 16 2f)".into());
            return t.send_raw(b"S", "S (SSL accepted)");
        }
        if m == PG_GSSENC_REQUEST {
            t.shown_in("GSSENCRequest (00 00 00 08 04 d2 16 30)".into());
            t.send_raw(b"N", "N (no GSSAPI encryption)")?;
            continue;
        }
        t.shown_in(format!("{} (not an SSLRequest)", hex::encode(&m)));
        return Err(E::PostgresNotSslRequest);
    }
    Err(E::PostgresNoSslRequest)
}
