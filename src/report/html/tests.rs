//! The page from hand-written events: escaping, the template data, the connection split.

use serde_json::{json, Value};

use super::{page, split};

const HOSTILE: &str = "<script>alert(1)</script>\"'&";

fn tls13_client_events() -> Vec<Value> {
    vec![
        json!({"type": "connecting", "target": "example.test:443", "addr": "127.0.0.1:443"}),
        json!({"type": "connected", "addr": "127.0.0.1:443", "local": "127.0.0.1:5000"}),
        json!({"type": "record", "dir": "out", "content_type": "handshake", "version": "TLS 1.0",
               "length": 9, "encrypted": false, "hex": "160301000401000000",
               "spans": [
                 {"offset": 0, "length": 5, "field": "record", "value": "handshake", "depth": 0, "bulky": false},
                 {"offset": 5, "length": 4, "field": "ClientHello (type 1)", "value": "length 0", "depth": 0, "bulky": false}]}),
        json!({"type": "handshake", "dir": "out", "msg": "client_hello", "length": 4, "encrypted": false,
               "hex": "01000000", "extensions": [{"name": "server_name", "id": 0, "server_name": [HOSTILE]}]}),
        json!({"type": "keys", "label": "server_handshake_traffic key", "derivation": "HKDF-Expand-Label(server_handshake_traffic_secret, \"key\", \"\", 16)"}),
        json!({"type": "record", "dir": "in", "content_type": "handshake", "version": "TLS 1.2",
               "length": 8, "encrypted": true, "hex": "1703030003aabbcc", "plaintext": "08000000",
               "spans": [{"offset": 0, "length": 5, "field": "record", "value": "application_data", "depth": 0, "bulky": false},
                         {"offset": 5, "length": 3, "field": "encrypted_record", "value": "", "depth": 1, "bulky": true}],
               "inner": {"note": "decrypted TLSInnerPlaintext", "hex": "0800000016",
                         "spans": [{"offset": 0, "length": 4, "field": "EncryptedExtensions (type 8)", "value": "", "depth": 0, "bulky": false},
                                   {"offset": 4, "length": 1, "field": "content type", "value": "handshake", "depth": 0, "bulky": false}]}}),
        json!({"type": "handshake", "dir": "in", "msg": "encrypted_extensions", "length": 4, "encrypted": true, "hex": "08000000", "extensions": []}),
        json!({"type": "handshake", "dir": "in", "msg": "certificate", "length": 4, "encrypted": true,
               "certificates": [{"subject": format!("CN={HOSTILE}"), "issuer": "CN=ca", "self_signed": false}]}),
        json!({"type": "verify", "ok": false, "errors": ["certificate is not trusted (unknown issuer)"], "detail": []}),
        json!({"type": "app_data", "dir": "in", "len": 30, "text": HOSTILE}),
        json!({"type": "alert", "dir": "in", "level": "fatal", "description": "bad_certificate"}),
        json!({"type": "closed", "reason": "alert_received", "clean": false, "detail": "the server sent bad_certificate"}),
    ]
}

#[test]
fn peer_text_is_escaped_everywhere() {
    let html = page(&tls13_client_events()).unwrap();
    assert!(
        !html.contains("<script>alert"),
        "raw markup from the peer in the page"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
    assert!(!html.contains("\"'&<"), "quotes unescaped");
    assert_eq!(
        html.matches("<script>").count(),
        1,
        "only the page's own script"
    );
}

#[test]
fn one_element_per_message_in_order_with_its_bytes() {
    let html = page(&tls13_client_events()).unwrap();
    let order: Vec<usize> = ["client_hello", "encrypted_extensions", "certificate"]
        .iter()
        .map(|m| html.find(&format!("data-msg=\"{m}\"")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The EncryptedExtensions' table comes from the decrypted content's spans.
    assert!(html.contains("EncryptedExtensions (type 8)"));
    assert!(html.contains("decrypted TLSInnerPlaintext"));
    let ee = &html[html.find("data-msg=\"encrypted_extensions\"").unwrap()..];
    let ee = &ee[..ee.find("</details>").unwrap()];
    assert!(
        ee.contains("ciphertext: the record that carried it"),
        "{ee}"
    );
    assert!(ee.contains("encrypted_record") && ee.contains("EncryptedExtensions (type 8)"));
    assert!(
        html.contains("server handshake traffic keys"),
        "the key band"
    );
    assert!(
        html.contains("with the server handshake keys"),
        "the record names its keys"
    );
    assert!(html.contains("bad_certificate"));
    assert!(html.contains("certificate is not trusted (unknown issuer)"));
}

#[test]
fn without_hex_the_page_says_how_to_get_the_bytes() {
    let events: Vec<Value> = tls13_client_events()
        .into_iter()
        .filter(|e| e["type"] != "record")
        .map(|mut e| {
            e.as_object_mut().unwrap().remove("hex");
            e
        })
        .collect();
    let html = page(&events).unwrap();
    assert!(html.contains("Recorded without <code>--hex</code>"));
    assert!(html.contains("Its bytes were not recorded"));
    assert!(html.contains("Values not shown"));
}

#[test]
fn reconnect_and_listen_numbers_make_sections() {
    let mut two = tls13_client_events();
    two.extend(tls13_client_events());
    assert_eq!(split(&two).len(), 2);
    let listen: Vec<Value> = [1, 2, 1, 2]
        .iter()
        .map(|n| json!({"type": if *n == 1 { "accepted" } else { "info" }, "peer": "127.0.0.1:1", "message": "x", "conn": n}))
        .chain([json!({"type": "info", "message": "listening"})])
        .collect();
    let parts = split(&listen);
    assert_eq!(parts.len(), 2, "{parts:?}");
    let html = page(&listen).unwrap();
    assert!(html.contains("tlsprobe was the server"));
}

#[test]
fn demo_server_side_events_are_left_out() {
    let mut ev = tls13_client_events();
    for e in &mut ev {
        e["side"] = json!("client");
    }
    ev.push(json!({"type": "handshake", "side": "server", "dir": "in", "msg": "client_hello", "length": 4}));
    let html = page(&ev).unwrap();
    assert_eq!(html.matches("data-msg=\"client_hello\"").count(), 1);
}

#[test]
fn nothing_to_draw_is_an_error_and_odd_input_no_panic() {
    assert!(page(&[]).is_err());
    let odd = vec![
        json!({"type": "record", "dir": 5, "hex": "zz", "spans": "no"}),
        json!({"type": "handshake", "msg": null, "hex": "0"}),
        json!("not an object"),
        json!({"type": "keys"}),
        json!({"type": "closed"}),
    ];
    assert!(page(&odd).is_ok());
}
