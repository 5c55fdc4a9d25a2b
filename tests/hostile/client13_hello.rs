//! A hostile TLS 1.3 server's ServerHello and HelloRetryRequest in front of our client: each
//! client-side MUST of RFC 8446 §4.1.3, §4.1.4, §4.2, §4.2.1, §4.2.8, §4.2.11 and Appendix D.5
//! that names an alert, with that exact alert (sent in clear: no keys are installed yet).

use tlsprobe::error::Alert;
use tlsprobe::wire::codepoints::{
    CompressionMethod, ExtensionType as ET, NamedGroup, ProtocolVersion,
};
use tlsprobe::wire::extensions::{ExtBody, Extension};
use tlsprobe::wire::suites::CipherSuite;

use crate::client_steps::*;
use crate::common::scripted::*;

/// RFC 8446 §4.1.3: "A client which receives a legacy_session_id_echo field that does not
/// match what it sent in the ClientHello MUST abort the handshake with an
/// "illegal_parameter" alert." Our client sends 32 random bytes (Appendix D.4).
#[test]
fn tls13_server_hello_wrong_session_id_echo_is_illegal_parameter() {
    for echo in [vec![], vec![7u8; 32], vec![7u8; 31]] {
        let mut p = peers(cc13());
        let mut sh = first_server_hello(&mut p);
        assert_eq!(sh.session_id.len(), 32, "the middlebox-compatibility id");
        sh.session_id = echo;
        let r = feed_server_hello(&mut p, sh);
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
    // one bit changed
    let mut p = peers(cc13());
    let mut sh = first_server_hello(&mut p);
    sh.session_id[31] ^= 1;
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.1.4: the client checks the HelloRetryRequest's legacy_session_id_echo as in
/// §4.1.3.
#[test]
fn tls13_hello_retry_request_wrong_session_id_echo_is_illegal_parameter() {
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.session_id[0] ^= 0x80;
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.2.1: "If the "supported_versions" extension in the ServerHello contains a
/// version not offered by the client or contains a version prior to TLS 1.3, the client
/// MUST abort the handshake with an "illegal_parameter" alert."
#[test]
fn tls13_supported_versions_not_offered_is_illegal_parameter() {
    for v in [
        ProtocolVersion::TLS12,
        ProtocolVersion(0x0305),
        ProtocolVersion(0x7f1c),
    ] {
        // a client offering TLS 1.2 and 1.3: TLS 1.2 belongs in legacy_version, not here
        let mut p = peers(cc_both());
        let mut sh = first_server_hello(&mut p);
        set_ext(
            &mut sh.extensions,
            ET::SUPPORTED_VERSIONS,
            ExtBody::SupportedVersionsServer(v),
        );
        let r = feed_server_hello(&mut p, sh);
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
    // in a HelloRetryRequest as well (§4.1.4: the version is determined the same way)
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    set_ext(
        &mut hrr.extensions,
        ET::SUPPORTED_VERSIONS,
        ExtBody::SupportedVersionsServer(ProtocolVersion::TLS12),
    );
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// A client that offered only TLS 1.2 sent no supported_versions: a ServerHello carrying
/// one answers a request that was never made (RFC 8446 §4.2: unsupported_extension).
#[test]
fn supported_versions_to_a_tls12_only_client_is_unsupported_extension() {
    let mut p = peers(cc13());
    let sh13 = first_server_hello(&mut p);
    let mut p = peers(cc12());
    let mut sh = first_server_hello(&mut p);
    sh.extensions.extend(
        sh13.extensions
            .into_iter()
            .filter(|e| e.typ == ET::SUPPORTED_VERSIONS),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
}

/// RFC 8446 §4.1.3: legacy_version "MUST be set to 0x0303" in TLS 1.3; a ServerHello that
/// selects TLS 1.3 with another value is inconsistent: illegal_parameter (§6.2). Appendix
/// D.5: "Any endpoint receiving a Hello message with ... ServerHello.legacy_version set to
/// 0x0300 MUST abort the handshake with a "protocol_version" alert."
#[test]
fn tls13_legacy_version_not_0x0303_is_refused() {
    for (v, want) in [
        (0x0304, Alert::IllegalParameter),
        (0x0301, Alert::IllegalParameter),
        (0x0300, Alert::ProtocolVersion),
    ] {
        let mut p = peers(cc13());
        let mut sh = first_server_hello(&mut p);
        sh.version = ProtocolVersion(v);
        let r = feed_server_hello(&mut p, sh);
        expect_plain(&mut p.client, r, want);

        // and in a HelloRetryRequest (§4.1.4 checks legacy_version as §4.1.3)
        let (mut p, recs) = hrr_peers();
        let mut hrr = server_hello(&recs[0]);
        hrr.version = ProtocolVersion(v);
        let r = feed_server_hello(&mut p, hrr);
        expect_plain(&mut p.client, r, want);
    }
}

/// RFC 8446 §4.1.3: legacy_compression_method "MUST have the value 0"; we offered only
/// null, so any other is a value we did not offer: illegal_parameter. §4.1.4: the
/// HelloRetryRequest's is checked the same way.
#[test]
fn tls13_compression_method_not_null_is_illegal_parameter() {
    let mut p = peers(cc13());
    let mut sh = first_server_hello(&mut p);
    sh.compression_method = CompressionMethod::DEFLATE;
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.compression_method = CompressionMethod::DEFLATE;
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.2: an extension we offered but which the table does not list for the
/// ServerHello ("If an implementation receives an extension which it recognizes and which
/// is not specified for the message in which it appears, it MUST abort the handshake with an
/// "illegal_parameter" alert"); §4.1.3: the ServerHello carries only what establishes the
/// keys and the version. The cookie belongs to the HelloRetryRequest alone: in a ServerHello
/// it answers nothing we sent (unsupported_extension, checked first).
#[test]
fn tls13_server_hello_extension_for_another_message_is_illegal_parameter() {
    let mut cc = cc_both();
    cc.alpn = vec![b"h2".to_vec()];
    cc.sni = Some("localhost".into());
    for ext in [
        Extension::new(ET::ALPN, ExtBody::Alpn(vec![b"h2".to_vec()])),
        Extension::new(
            ET::SUPPORTED_GROUPS,
            ExtBody::SupportedGroups(vec![NamedGroup::X25519]),
        ),
        Extension::new(ET::EXTENDED_MASTER_SECRET, ExtBody::ExtendedMasterSecret),
        Extension::new(ET::RENEGOTIATION_INFO, ExtBody::RenegotiationInfo(vec![])),
        Extension::new(ET::SERVER_NAME, ExtBody::ServerName(Default::default())),
    ] {
        let mut p = peers(cc.clone());
        let mut sh = first_server_hello(&mut p);
        sh.extensions.push(ext.clone());
        let r = feed_server_hello(&mut p, sh);
        let e = r.as_ref().unwrap_err();
        assert!(e.message.contains(&ext.name()), "{e}");
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
    let mut p = peers(cc);
    let mut sh = first_server_hello(&mut p);
    sh.extensions
        .push(Extension::new(ET::COOKIE, ExtBody::Cookie(vec![1, 2, 3])));
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
}

/// RFC 8446 Appendix D.1: "If the version chosen by the server is not supported by the
/// client (or is not acceptable), the client MUST abort the handshake with a
/// "protocol_version" alert": a TLS 1.2 ServerHello to a client that offered only TLS 1.3.
#[test]
fn tls12_server_hello_to_a_tls13_only_client_is_protocol_version() {
    let mut p = tls12_server_peers(cc_both());
    let sh = first_server_hello(&mut p);
    let mut p = peers(cc13());
    let sh13 = first_server_hello(&mut p);
    let sh = tlsprobe::wire::handshake::ServerHello {
        session_id: sh13.session_id,
        cipher_suite: CipherSuite(0x1301),
        extensions: vec![],
        ..sh
    };
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::ProtocolVersion);
}

/// RFC 8446 §4.2 for the HelloRetryRequest: key_share, cookie and supported_versions only;
/// an extension we did not offer is unsupported_extension (the cookie is the one exception).
#[test]
fn tls13_hello_retry_request_extensions() {
    let mut cc = cc13();
    cc.alpn = vec![b"h2".to_vec()];
    let (mut p, recs) = hrr_pair(cc);
    let mut hrr = server_hello(&recs[0]);
    hrr.extensions.push(Extension::new(
        ET::ALPN,
        ExtBody::Alpn(vec![b"h2".to_vec()]),
    ));
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.extensions.push(Extension {
        typ: ET(0x1234),
        data: vec![],
        body: ExtBody::Unknown,
    });
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);

    // a cookie alone is a change (we must echo it): accepted, and echoed
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.extensions.retain(|e| e.typ != ET::KEY_SHARE);
    hrr.extensions
        .push(Extension::new(ET::COOKIE, ExtBody::Cookie(vec![9; 20])));
    feed_server_hello(&mut p, hrr).unwrap();
    let ch2 = client_hello(&p.client.take_output());
    assert!(ch2
        .extensions
        .iter()
        .any(|e| e.body == ExtBody::Cookie(vec![9; 20])));
}

/// RFC 8446 §4.1.4: "All TLS 1.3 ServerHello messages MUST contain the supported_versions
/// extension" (§4.1.3), and the HelloRetryRequest too: without it the HelloRetryRequest lacks
/// an extension mandatory for the version it asks for: missing_extension (§6.2).
#[test]
fn tls13_hello_retry_request_without_supported_versions_is_missing_extension() {
    let (mut p, recs) = hrr_peers();
    let mut hrr = server_hello(&recs[0]);
    hrr.extensions.retain(|e| e.typ != ET::SUPPORTED_VERSIONS);
    let r = feed_server_hello(&mut p, hrr);
    expect_plain(&mut p.client, r, Alert::MissingExtension);
}

/// RFC 8446 §4.1.4: the HelloRetryRequest's cipher_suite is checked as in §4.1.3: one we
/// did not offer, or a TLS 1.2 suite, is illegal_parameter.
#[test]
fn tls13_hello_retry_request_suite_not_offered_is_illegal_parameter() {
    for suite in [0x1302u16, 0x1303, 0xc02b, 0x0a0a] {
        let (mut p, recs) = hrr_pair(cc_both());
        let mut hrr = server_hello(&recs[0]);
        hrr.cipher_suite = CipherSuite(suite);
        let r = feed_server_hello(&mut p, hrr);
        expect_plain(&mut p.client, r, Alert::IllegalParameter);
    }
}

/// RFC 8446 §4.1.4: "Upon receiving the ServerHello, clients MUST check that the cipher
/// suite supplied in the ServerHello is the same as that in the HelloRetryRequest and
/// otherwise abort the handshake with an "illegal_parameter" alert."
#[test]
fn tls13_server_hello_suite_differs_from_the_retry_is_illegal_parameter() {
    let (mut p, recs) = hrr_pair(with_suites(cc13(), &[0x1301, 0x1302]));
    let retried = server_hello(&recs[0]).cipher_suite;
    let mut sh = server_hello_after_retry(&mut p, &recs);
    assert_eq!(sh.cipher_suite, retried);
    sh.cipher_suite = CipherSuite(if retried.0 == 0x1301 { 0x1302 } else { 0x1301 });
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.1.4: "The value of selected_version in the HelloRetryRequest
/// "supported_versions" extension MUST be retained in the ServerHello, and a client MUST
/// abort the handshake with an "illegal_parameter" alert if the value changes." A TLS 1.2
/// ServerHello after a HelloRetryRequest changes it.
#[test]
fn tls12_server_hello_after_a_retry_is_illegal_parameter() {
    let (mut p, recs) = hrr_pair(cc_both());
    let mut sh = server_hello_after_retry(&mut p, &recs);
    sh.extensions
        .retain(|e| e.typ != ET::SUPPORTED_VERSIONS && e.typ != ET::KEY_SHARE);
    sh.cipher_suite = CipherSuite(0xc02b);
    let r = feed_server_hello(&mut p, sh);
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("HelloRetryRequest"), "{e}");
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.2.8: "If using (EC)DHE key establishment and a HelloRetryRequest containing a
/// "key_share" extension was received by the client, the client MUST verify that the
/// selected NamedGroup in the ServerHello is the same as that in the HelloRetryRequest. If
/// this check fails, the client MUST abort the handshake with an "illegal_parameter" alert."
#[test]
fn tls13_server_hello_group_differs_from_the_retry_is_illegal_parameter() {
    let (mut p, recs) = hrr_peers();
    let mut sh = server_hello_after_retry(&mut p, &recs);
    set_ext(
        &mut sh.extensions,
        ET::KEY_SHARE,
        ExtBody::KeyShareServer(NamedGroup::SECP256R1, valid_p256()),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// Without a PSK the ServerHello must carry key_share (we offer only psk_dhe_ke, RFC 8446
/// §4.2.9): its absence is missing_extension (§6.2, §9.2). With a PSK accepted, §4.2.11:
/// the client MUST verify "that a server "key_share" extension is present if required by
/// the ClientHello "psk_key_exchange_modes" extension ... If these values are not
/// consistent, the client MUST abort the handshake with an "illegal_parameter" alert."
#[test]
fn tls13_server_hello_without_key_share() {
    let mut p = peers(cc13());
    let mut sh = first_server_hello(&mut p);
    sh.extensions.retain(|e| e.typ != ET::KEY_SHARE);
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::MissingExtension);

    let mut p = resuming_peers();
    let mut sh = first_server_hello(&mut p);
    assert!(sh.extensions.iter().any(|e| e.typ == ET::PRE_SHARED_KEY));
    sh.extensions.retain(|e| e.typ != ET::KEY_SHARE);
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);
}

/// RFC 8446 §4.2.11: "Clients MUST verify that the server's selected_identity is within the
/// range supplied by the client, that the server selected a cipher suite indicating a Hash
/// associated with the PSK ... the client MUST abort the handshake with an
/// "illegal_parameter" alert." And a pre_shared_key we did not offer at all answers no
/// request: unsupported_extension (§4.2).
#[test]
fn tls13_pre_shared_key_checks() {
    // identity 1: we sent one identity
    let mut p = resuming_peers();
    let mut sh = first_server_hello(&mut p);
    set_ext(
        &mut sh.extensions,
        ET::PRE_SHARED_KEY,
        ExtBody::PreSharedKeyServer(1),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    // the PSK (SHA-256) accepted with a SHA-384 suite
    let mut p = resuming_pair(with_suites(cc13(), &[0x1301, 0x1302]), |s| {
        assert_eq!(s.suite, CipherSuite(0x1301))
    });
    let mut sh = first_server_hello(&mut p);
    assert!(sh.extensions.iter().any(|e| e.typ == ET::PRE_SHARED_KEY));
    sh.cipher_suite = CipherSuite(0x1302);
    let r = feed_server_hello(&mut p, sh);
    let e = r.as_ref().unwrap_err();
    assert!(e.message.contains("PSK"), "{e}");
    expect_plain(&mut p.client, r, Alert::IllegalParameter);

    // a client that offered no PSK
    let mut p = resuming_peers();
    let with_psk = first_server_hello(&mut p);
    let mut p = peers(cc13());
    let mut sh = first_server_hello(&mut p);
    sh.extensions.extend(
        with_psk
            .extensions
            .into_iter()
            .filter(|e| e.typ == ET::PRE_SHARED_KEY),
    );
    let r = feed_server_hello(&mut p, sh);
    expect_plain(&mut p.client, r, Alert::UnsupportedExtension);
}

/// RFC 8446 §4.1.3: "Upon receiving a message with type server_hello, implementations MUST
/// first examine the Random value": a ServerHello whose random is the HelloRetryRequest
/// value but whose extensions are a ServerHello's (key_share with a key) does not decode as
/// a HelloRetryRequest: decode_error.
#[test]
fn tls13_server_hello_with_the_retry_random_is_decode_error() {
    let mut p = peers(cc13());
    let recs = p.first_flight();
    let mut body = recs[0].frag[4..].to_vec();
    body[2..34].copy_from_slice(&tlsprobe::wire::handshake::HRR_RANDOM);
    let r = p.client.feed(&Rec::new(HS, raw_msg(2, &body)).bytes());
    expect_plain(&mut p.client, r, Alert::DecodeError);
}

/// A HelloRetryRequest must come first: once the ServerHello is in, another server_hello
/// message (a HelloRetryRequest or a ServerHello) is unexpected_message (RFC 8446 §4.1.4:
/// "If a client receives a second HelloRetryRequest ... unexpected_message").
#[test]
fn tls13_hello_after_the_server_hello_is_unexpected_message() {
    let (_, hrr) = hrr_peers();
    let mut p = peers(cc13());
    let (items, _) = flight13(&mut p);
    for second in [hrr[0].frag.clone(), items[0].1.clone()] {
        let mut p = peers(cc13());
        let r = edited_flight13(&mut p, |items| {
            items.insert(2, (HS, second.clone(), true));
        });
        expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
    }
}

/// RFC 8446 §5: "An implementation may receive an unencrypted record of type
/// change_cipher_spec consisting of the single byte value 0x01 at any time after the first
/// ClientHello message has been sent or received and before the peer's Finished message has
/// been received and MUST simply drop it": one before the ServerHello too. If the server
/// then negotiates TLS 1.2, that ChangeCipherSpec came before the key exchange (RFC 5246
/// §7.1, the CVE-2014-0224 early CCS): unexpected_message. A client that offered only TLS
/// 1.2 refuses it at once.
#[test]
fn ccs_before_the_server_hello() {
    let ccs = Rec::new(CCS, vec![1]);
    let mut p = peers(cc13());
    let recs = p.first_flight();
    assert!(p.to_client(&join(&[ccs.clone(), ccs.clone()])).is_empty());
    let answer = p.to_client(&join(&recs));
    p.to_server(&join(&answer));
    p.complete();

    let mut p = tls12_server_peers(cc_both());
    let recs = p.first_flight();
    p.to_client(&ccs.bytes());
    let r = p.client.feed(&join(&recs));
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);

    let mut p = peers(cc12());
    p.take(tlsprobe::inmem::Side::Client);
    let r = p.client.feed(&ccs.bytes());
    expect_plain(&mut p.client, r, Alert::UnexpectedMessage);
}
