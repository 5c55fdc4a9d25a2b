//! JSON Lines rendering of events, with the keys cli.md specifies.

use serde_json::{json, Map, Value};

use super::ext_fields::{describe, put_fields};
use super::hex;
use crate::event::{Closed, Event, Summary};
use crate::pki::summary::summarize;
use crate::pki::verify::now_unix;
use crate::wire::codepoints::is_grease_u16;
use crate::wire::extensions::Extension;
use crate::wire::handshake::{
    Certificate, ClientKeyExchange, HandshakeMessage as HM, PskParams, PskPublic, ServerKeyExchange,
};
use crate::wire::suites::CipherSuite;

fn names<T: std::fmt::Display>(v: &[T]) -> Value {
    Value::Array(v.iter().map(|x| Value::String(x.to_string())).collect())
}

fn suite_name(s: CipherSuite) -> String {
    s.to_string()
}

/// One extension as `{"name","id",...decoded fields}` (the fields from `report::ext_fields`).
pub fn extension(e: &Extension) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(e.name()));
    m.insert("id".into(), json!(e.typ.0));
    put_fields(&mut m, &describe(e).fields);
    Value::Object(m)
}

fn extensions(v: &[Extension]) -> Value {
    Value::Array(v.iter().map(extension).collect())
}

fn certificate(der: &[u8]) -> Value {
    match summarize(der, now_unix()) {
        Ok(s) => {
            let mut v = serde_json::to_value(&s).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("der_length".into(), json!(der.len()));
            }
            v
        }
        Err(e) => json!({"error": e.to_string(), "der_length": der.len()}),
    }
}

/// Each certificate summarized (`pki::summary`), with its extensions in TLS 1.3.
fn certificates(c: &Certificate) -> Value {
    Value::Array(
        c.entries
            .iter()
            .map(|e| {
                let mut v = certificate(&e.der);
                if let Value::Object(m) = &mut v {
                    if c.context.is_some() {
                        m.insert("extensions".into(), extensions(&e.extensions));
                    }
                }
                v
            })
            .collect(),
    )
}

/// A ServerKeyExchange's public value and signature (RFC 8422 §5.4, RFC 5246 §7.4.3).
fn server_key_exchange(ske: &ServerKeyExchange, put: &mut dyn FnMut(&str, Value)) {
    match ske {
        ServerKeyExchange::Ecdhe {
            group,
            public,
            scheme,
            signature,
            ..
        } => {
            put("group", json!(group.to_string()));
            put("public", json!(hex(public)));
            put("signature_scheme", json!(scheme.map(|s| s.to_string())));
            put("signature", json!(hex(signature)));
        }
        ServerKeyExchange::Dhe {
            p,
            g,
            ys,
            scheme,
            signature,
            ..
        } => {
            put("dh_p", json!(hex(p)));
            put("dh_g", json!(hex(g)));
            put("dh_Ys", json!(hex(ys)));
            put("signature_scheme", json!(scheme.map(|s| s.to_string())));
            put("signature", json!(hex(signature)));
        }
        ServerKeyExchange::Psk { hint, params } => {
            put("psk_identity_hint", json!(String::from_utf8_lossy(hint)));
            match params {
                PskParams::None => {}
                PskParams::Dhe { p, g, ys } => {
                    put("dh_p", json!(hex(p)));
                    put("dh_g", json!(hex(g)));
                    put("dh_Ys", json!(hex(ys)));
                }
                PskParams::Ecdhe { group, public } => {
                    put("group", json!(group.to_string()));
                    put("public", json!(hex(public)));
                }
            }
        }
        ServerKeyExchange::Raw(b) => put("data", json!(hex(b))),
    }
}

/// A ClientKeyExchange's public value or encrypted secret (RFC 8422 §5.7, RFC 5246 §7.4.7).
fn client_key_exchange(cke: &ClientKeyExchange, put: &mut dyn FnMut(&str, Value)) {
    match cke {
        ClientKeyExchange::Dhe(y) => put("dh_Yc", json!(hex(y))),
        ClientKeyExchange::Ecdhe(p) => put("public", json!(hex(p))),
        ClientKeyExchange::Rsa(p) => put("encrypted_pre_master_secret", json!(hex(p))),
        ClientKeyExchange::Psk { identity, public } => {
            put("psk_identity", json!(String::from_utf8_lossy(identity)));
            match public {
                PskPublic::None => {}
                PskPublic::Dhe(y) => put("dh_Yc", json!(hex(y))),
                PskPublic::Ecdhe(p) => put("public", json!(hex(p))),
                PskPublic::Rsa(p) => put("encrypted_pre_master_secret", json!(hex(p))),
            }
        }
        ClientKeyExchange::Raw(b) => put("data", json!(hex(b))),
    }
}

/// The message-specific fields of a handshake event.
pub fn message_fields(msg: &HM, m: &mut Map<String, Value>) {
    let mut put = |k: &str, v: Value| {
        m.insert(k.into(), v);
    };
    match msg {
        HM::ClientHello(ch) => {
            put("version", json!(ch.version.to_string()));
            put("random", json!(hex(&ch.random)));
            put("session_id", json!(hex(&ch.session_id)));
            put(
                "cipher_suites",
                Value::Array(
                    ch.cipher_suites
                        .iter()
                        .map(|s| json!(suite_name(*s)))
                        .collect(),
                ),
            );
            put("compression_methods", names(&ch.compression_methods));
            put("extensions", extensions(&ch.extensions));
        }
        HM::ServerHello(sh) => {
            put("version", json!(sh.version.to_string()));
            put("random", json!(hex(&sh.random)));
            put("session_id", json!(hex(&sh.session_id)));
            put("cipher_suite", json!(suite_name(sh.cipher_suite)));
            put(
                "compression_method",
                json!(sh.compression_method.to_string()),
            );
            put("extensions", extensions(&sh.extensions));
        }
        HM::Certificate(c) => {
            if let Some(ctx) = &c.context {
                put("request_context", json!(hex(ctx)));
            }
            put("certificates", certificates(c));
        }
        HM::ServerKeyExchange(ske) => server_key_exchange(ske, &mut put),
        HM::ClientKeyExchange(cke) => client_key_exchange(cke, &mut put),
        HM::CertificateRequest12(r) => {
            put("certificate_types", names(&r.certificate_types));
            put("signature_algorithms", names(&r.signature_algorithms));
            put(
                "authorities",
                Value::Array(
                    r.authorities
                        .iter()
                        .map(|d| json!(crate::pki::summary::dn_to_string(d)))
                        .collect(),
                ),
            );
        }
        HM::CertificateRequest13(r) => {
            put("request_context", json!(hex(&r.context)));
            put("extensions", extensions(&r.extensions));
        }
        HM::CertificateVerify(cv) => {
            put("signature_scheme", json!(cv.scheme.map(|s| s.to_string())));
            put("signature", json!(hex(&cv.signature)));
        }
        HM::Finished(vd) => put("verify_data", json!(hex(vd))),
        HM::NewSessionTicket12(t) => {
            put("lifetime_hint", json!(t.lifetime_hint));
            put("ticket_length", json!(t.ticket.len()));
        }
        HM::NewSessionTicket13(t) => {
            put("lifetime", json!(t.lifetime));
            put("age_add", json!(t.age_add));
            put("nonce", json!(hex(&t.nonce)));
            put("ticket_length", json!(t.ticket.len()));
            put("extensions", extensions(&t.extensions));
        }
        HM::EncryptedExtensions(e) => put("extensions", extensions(e)),
        HM::KeyUpdate(r) => put("update_requested", json!(*r == 1)),
        HM::CertificateStatus(s) => {
            put("status_type", json!(s.status_type));
            put("response_length", json!(s.response.len()));
        }
        HM::Unknown(_, b) => put("data", json!(hex(b))),
        HM::HelloRequest | HM::EndOfEarlyData | HM::ServerHelloDone => {}
    }
}

pub fn summary(s: &Summary) -> Value {
    json!({
        "type": "summary",
        "version": s.version.map(|v| v.to_string()),
        "cipher_suite": s.cipher_suite.map(|c| c.to_string()),
        "group": s.group_name(),
        "dh_bits": s.dh_bits,
        "signature_scheme": s.signature_scheme.map(|x| x.to_string()),
        "alpn": s.alpn,
        "resumed": s.resumed,
        "verified": s.verified,
        "sni": s.sni,
        "extended_master_secret": s.extended_master_secret,
        "secure_renegotiation": s.secure_renegotiation,
        "session_ticket": s.session_ticket,
        "client_certificate": s.client_certificate.as_ref().map(|c| json!({
            "subject": c.subject,
            "key": c.key,
        })),
        "early_data": s.early_data.map(|e| e.name()),
        "psk": s.psk.as_ref().map(|p| json!({
            "kind": p.kind.as_str(),
            "identity": p.identity,
            "mode": p.mode.map(|m| m.to_string()),
        })),
    })
}

/// The `closed` event: the reason word, the final facts, and the sentence (`detail`).
pub fn closed(c: &Closed) -> Value {
    json!({
        "type": "closed",
        "reason": c.reason.as_str(),
        "clean": c.clean(),
        "detail": c.detail,
        "established": c.established,
        "close_notify_sent": c.close_notify_sent,
        "close_notify_received": c.close_notify_received,
        "alert": c.alert.map(|(dir, a)| json!({"dir": dir.as_str(), "description": a.name()})),
        "tickets": c.tickets,
        "app_bytes_sent": c.app_bytes_sent,
        "app_bytes_received": c.app_bytes_received,
    })
}

/// One event as a JSON object.
pub fn event(e: &Event) -> Value {
    match e {
        Event::Connecting { target, addr } => {
            json!({"type": "connecting", "target": target, "addr": addr})
        }
        Event::Connected { addr, local } => {
            json!({"type": "connected", "addr": addr, "local": local})
        }
        Event::ConnectFailed { addr, error } => {
            json!({"type": "connect_failed", "addr": addr, "error": error})
        }
        Event::Accepted { peer } => json!({"type": "accepted", "peer": peer}),
        Event::Record {
            dir,
            content_type,
            version,
            raw,
            encrypted,
            ..
        } => {
            json!({"type": "record", "dir": dir.as_str(), "content_type": content_type.to_string(),
                   "version": version.to_string(), "length": raw.len(), "encrypted": encrypted, "hex": hex(raw)})
        }
        Event::Handshake {
            dir,
            msg,
            raw,
            encrypted,
            checks,
        } => {
            let mut m = Map::new();
            m.insert("type".into(), json!("handshake"));
            m.insert("dir".into(), json!(dir.as_str()));
            m.insert("msg".into(), json!(msg.name()));
            m.insert("length".into(), json!(raw.len()));
            m.insert("encrypted".into(), json!(encrypted));
            message_fields(msg, &mut m);
            if !checks.is_empty() {
                m.insert(
                    "checks".into(),
                    Value::Array(
                        checks
                            .iter()
                            .map(|c| {
                                let (what, detail) = super::checks::describe(c);
                                json!({"what": what, "ok": c.ok, "detail": detail})
                            })
                            .collect(),
                    ),
                );
            }
            Value::Object(m)
        }
        Event::ChangeCipherSpec { dir, middlebox } => {
            json!({"type": "change_cipher_spec", "dir": dir.as_str(), "middlebox": middlebox})
        }
        Event::Alert {
            dir,
            level,
            description,
        } => {
            json!({"type": "alert", "dir": dir.as_str(), "level": level.name(), "description": description.name()})
        }
        Event::Keys(k) => {
            let mut v = json!({"type": "keys", "label": k.label, "derivation": k.derivation});
            if let Some(s) = &k.secret {
                v["secret"] = json!(hex(s));
            }
            v
        }
        Event::Verify { ok, errors, detail } => {
            json!({"type": "verify", "ok": ok, "errors": errors, "detail": detail})
        }
        Event::AppData { dir, data } => {
            let mut v = json!({"type": "app_data", "dir": dir.as_str(), "len": data.len()});
            match std::str::from_utf8(data) {
                Ok(t) => v["text"] = json!(t),
                Err(_) => v["hex"] = json!(hex(data)),
            }
            v
        }
        Event::Info(m) => json!({"type": "info", "message": m.to_string()}),
        Event::Plaintext { dir, from, text } => {
            json!({"type": "plaintext", "dir": dir.as_str(), "from": from, "text": text})
        }
        Event::Warning(m) => json!({"type": "warning", "message": m.to_string()}),
        Event::Summary(s) => summary(s),
        Event::Closed(c) => closed(c),
    }
}

/// Whether a u16 code point list entry is GREASE (re-exported for renderers).
pub fn grease(v: u16) -> bool {
    is_grease_u16(v)
}
