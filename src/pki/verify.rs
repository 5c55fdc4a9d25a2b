//! Chain and host-name verification (rustls-webpki builds the path, with the algorithms of
//! `pki::algs` beside its own), with precise one-sentence explanations of failures.

use super::summary::{self, der_contents, format_unix, name_contents_to_string};
use super::trust::TrustStore;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use webpki::{EndEntityCert, Error as WError, KeyUsage};

/// The result of verifying a chain: `ok`, or the reasons it failed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyOutcome {
    pub ok: bool,
    /// One sentence per problem found.
    pub errors: Vec<String>,
    /// Subjects from leaf up to the trust anchor, when a path was built.
    pub path: Vec<String>,
    /// Trust anchor subject.
    pub anchor: Option<String>,
    /// Indexes (in the sent chain) of certificates the path did not need.
    pub unused: Vec<usize>,
}

/// Verify a server chain (leaf first) for `host` (a DNS name, or an IP literal matched against IP SANs) at time `now_unix`, EKU serverAuth.
pub fn verify_server(
    store: &TrustStore,
    chain: &[Vec<u8>],
    host: &str,
    now_unix: i64,
) -> VerifyOutcome {
    verify_chain(store, chain, Some(host), Purpose::Server, now_unix)
}

/// Verify a client chain (EKU clientAuth), no name check.
pub fn verify_client(store: &TrustStore, chain: &[Vec<u8>], now_unix: i64) -> VerifyOutcome {
    verify_chain(store, chain, None, Purpose::Client, now_unix)
}

/// Seconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[derive(Clone, Copy)]
enum Purpose {
    Server,
    Client,
}

impl Purpose {
    fn usage(self) -> KeyUsage {
        match self {
            Purpose::Server => KeyUsage::server_auth(),
            Purpose::Client => KeyUsage::client_auth(),
        }
    }
    fn word(self) -> &'static str {
        match self {
            Purpose::Server => "server",
            Purpose::Client => "client",
        }
    }
}

/// What we need to know about each sent certificate to explain a failure.
struct Info {
    subject: String,
    issuer: String,
    subject_raw: Vec<u8>,
    issuer_raw: Vec<u8>,
    spki_raw: Vec<u8>,
    not_before: i64,
    not_after: i64,
    self_signed: bool,
    is_ca: bool,
    eku: Option<(bool, bool, bool)>, // (serverAuth, clientAuth, any)
    names: Vec<String>,
    sig_alg: String,
}

impl Info {
    fn new(der: &[u8]) -> Option<Info> {
        let cert = summary::parse(der).ok()?;
        let (mut names, ips) = summary::san_names(&cert);
        names.extend(ips);
        Some(Info {
            subject: summary::name_to_string(cert.subject()),
            issuer: summary::name_to_string(cert.issuer()),
            subject_raw: der_contents(cert.subject().as_raw()).to_vec(),
            issuer_raw: der_contents(cert.issuer().as_raw()).to_vec(),
            spki_raw: der_contents(cert.public_key().raw).to_vec(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            self_signed: summary::is_self_signed(&cert, der),
            is_ca: cert.is_ca(),
            eku: cert
                .extended_key_usage()
                .ok()
                .flatten()
                .map(|e| (e.value.server_auth, e.value.client_auth, e.value.any)),
            names,
            sig_alg: summary::signature_algorithm_name(&cert.signature_algorithm.algorithm),
        })
    }
}

/// A path webpki built: chain indexes of the intermediates it used, and the anchor.
struct Built {
    used: Vec<usize>,
    anchor_subject: Vec<u8>,
    anchor_spki: Vec<u8>,
}

fn to_time(unix: i64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(unix).unwrap_or(0)))
}

fn build(
    ee: &EndEntityCert<'_>,
    store: &TrustStore,
    chain: &[Vec<u8>],
    intermediates: &[CertificateDer<'_>],
    now: i64,
    purpose: Purpose,
) -> Result<Built, WError> {
    let path = ee.verify_for_usage(
        &super::algs::all(),
        store.anchors(),
        intermediates,
        to_time(now),
        purpose.usage(),
        None,
        None,
    )?;
    let mut used = Vec::new();
    for cert in path.intermediate_certificates() {
        let der = cert.der();
        if let Some(i) = chain
            .iter()
            .enumerate()
            .skip(1)
            .position(|(i, c)| c.as_slice() == der.as_ref() && !used.contains(&i))
        {
            used.push(i + 1);
        }
    }
    let anchor = path.anchor();
    Ok(Built {
        used,
        anchor_subject: anchor.subject.as_ref().to_vec(),
        anchor_spki: anchor.subject_public_key_info.as_ref().to_vec(),
    })
}

fn verify_chain(
    store: &TrustStore,
    chain: &[Vec<u8>],
    host: Option<&str>,
    purpose: Purpose,
    now: i64,
) -> VerifyOutcome {
    let mut out = VerifyOutcome {
        ok: false,
        errors: Vec::new(),
        path: Vec::new(),
        anchor: None,
        unused: Vec::new(),
    };
    let Some(leaf) = chain.first() else {
        out.errors
            .push(format!("the {} sent no certificate", purpose.word()));
        return out;
    };
    let leaf_der = CertificateDer::from(leaf.as_slice());
    let ee = match EndEntityCert::try_from(&leaf_der) {
        Ok(ee) => ee,
        Err(e) => {
            out.errors
                .push(format!("certificate could not be parsed ({e:?})"));
            return out;
        }
    };
    let infos: Vec<Option<Info>> = chain.iter().map(|c| Info::new(c)).collect();
    let own_anchor = match infos.first() {
        Some(Some(leaf)) if is_own_anchor(leaf, store) => Some(leaf),
        _ => None,
    };
    if let Some(leaf) = own_anchor {
        trust_directly(&mut out, leaf, chain.len(), now);
    } else if let Some(b) = build_path(&mut out, &ee, store, chain, &infos, purpose, now) {
        describe_path(&mut out, &b, &infos, chain.len());
    }
    if let Some(host) = host {
        if let Some(e) = check_name(&ee, infos.first().and_then(|i| i.as_ref()), host) {
            out.errors.push(e);
        }
    }
    out.ok = out.errors.is_empty();
    out
}

/// A self-signed leaf that is itself in the trust store is trusted directly, as OpenSSL
/// and curl do with `--cacert cert.pem` (webpki alone rejects a CA:TRUE leaf).
fn is_own_anchor(leaf: &Info, store: &TrustStore) -> bool {
    leaf.self_signed
        && leaf.is_ca
        && store
            .find_by_subject(&leaf.subject_raw)
            .is_some_and(|a| a.subject_public_key_info.as_ref() == leaf.spki_raw.as_slice())
}

/// The outcome for a leaf that is its own trust anchor: only its validity period is checked.
fn trust_directly(out: &mut VerifyOutcome, leaf: &Info, chain_len: usize, now: i64) {
    if now > leaf.not_after {
        out.errors.push(format!(
            "certificate expired on {}",
            format_unix(leaf.not_after)
        ));
    } else if now < leaf.not_before {
        out.errors.push(format!(
            "certificate not valid until {}",
            format_unix(leaf.not_before)
        ));
    }
    out.path.push(leaf.subject.clone());
    out.anchor = Some(format!(
        "{} (the certificate itself is a trust anchor)",
        leaf.subject
    ));
    out.unused = (1..chain_len).collect();
}

/// Builds the path with webpki, explaining a failure into `out.errors`. A time error stops
/// webpki early: the path is built again at a time when the leaf is valid, to report the
/// path (or the other problems) too.
fn build_path(
    out: &mut VerifyOutcome,
    ee: &EndEntityCert<'_>,
    store: &TrustStore,
    chain: &[Vec<u8>],
    infos: &[Option<Info>],
    purpose: Purpose,
    now: i64,
) -> Option<Built> {
    let intermediates: Vec<CertificateDer<'_>> = chain
        .iter()
        .skip(1)
        .map(|c| CertificateDer::from(c.as_slice()))
        .collect();
    let e = match build(ee, store, chain, &intermediates, now, purpose) {
        Ok(b) => return Some(b),
        Err(e) => e,
    };
    out.errors.push(explain(e, infos, store, purpose, now));
    if !matches!(e, WError::CertExpired | WError::CertNotValidYet) {
        return None;
    }
    let Some(Some(leaf)) = infos.first() else {
        return None;
    };
    let mid = leaf.not_before / 2 + leaf.not_after / 2;
    match build(ee, store, chain, &intermediates, mid, purpose) {
        Ok(b) => Some(b),
        Err(WError::CertExpired | WError::CertNotValidYet) => None,
        Err(e2) => {
            out.errors.push(explain(e2, infos, store, purpose, mid));
            None
        }
    }
}

/// The path webpki built, by subject, and the certificates sent but not needed for it.
fn describe_path(out: &mut VerifyOutcome, b: &Built, infos: &[Option<Info>], chain_len: usize) {
    let subject_of = |i: usize| match infos.get(i) {
        Some(Some(info)) => info.subject.clone(),
        _ => "(unparsable certificate)".to_string(),
    };
    out.path.push(subject_of(0));
    out.path.extend(b.used.iter().map(|&i| subject_of(i)));
    let anchor = name_contents_to_string(&b.anchor_subject);
    out.path.push(anchor.clone());
    out.anchor = Some(anchor);
    out.unused = (1..chain_len)
        .filter(|i| !b.used.contains(i))
        .filter(|&i| match &infos[i] {
            // The trust anchor itself, when sent, is part of the path.
            Some(info) => info.subject_raw != b.anchor_subject || info.spki_raw != b.anchor_spki,
            None => true,
        })
        .collect();
}

fn check_name(ee: &EndEntityCert<'_>, leaf: Option<&Info>, host: &str) -> Option<String> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let Ok(name) = ServerName::try_from(bare) else {
        return Some(format!("{host} is not a valid DNS name or IP address"));
    };
    match ee.verify_is_valid_for_subject_name(&name) {
        Ok(()) => None,
        Err(WError::CertNotValidForName) => {
            let names = leaf.map(|l| l.names.clone()).unwrap_or_default();
            let hint = if names.is_empty() {
                " (the certificate has no subjectAltName; the CN is not used for matching)"
            } else {
                ""
            };
            Some(format!("name {bare} not in [{}]{hint}", names.join(", ")))
        }
        Err(e) => Some(format!(
            "the certificate's names could not be checked against {bare} ({e:?})"
        )),
    }
}

fn explain(
    e: WError,
    infos: &[Option<Info>],
    store: &TrustStore,
    purpose: Purpose,
    now: i64,
) -> String {
    match e {
        WError::CertExpired | WError::CertNotValidYet => explain_time(e, infos, now),
        WError::UnknownIssuer => explain_unknown_issuer(infos, store),
        WError::RequiredEkuNotFound => explain_eku(infos, purpose),
        // `openssl req -x509` makes a CA:TRUE self-signed certificate: say what it is.
        WError::CaUsedAsEndEntity
            if matches!(infos, [Some(leaf)] if leaf.self_signed) =>
        {
            "self-signed certificate not in the trust store".to_string()
        }
        WError::CaUsedAsEndEntity => format!(
            "certificate is a CA certificate (basicConstraints CA:TRUE) and cannot be used as a {} certificate",
            purpose.word()
        ),
        WError::EndEntityUsedAsCa => match parsed(infos).skip(1).find(|(_, c)| !c.is_ca) {
            Some((_, c)) => format!(
                "certificate {} is not a CA (basicConstraints) but was needed to issue another certificate",
                c.subject
            ),
            None => "a certificate that is not a CA was needed to issue another certificate".to_string(),
        },
        WError::UnsupportedSignatureAlgorithm
        | WError::UnsupportedSignatureAlgorithmForPublicKey => explain_signature_algorithm(infos),
        e => explain_structure(e),
    }
}

/// The certificates x509-parser could read, with their positions in the chain.
fn parsed(infos: &[Option<Info>]) -> impl Iterator<Item = (usize, &Info)> {
    infos
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
}

/// Expired or not yet valid (RFC 5280 §4.1.2.5): which certificate, and when.
fn explain_time(e: WError, infos: &[Option<Info>], now: i64) -> String {
    if e == WError::CertExpired {
        match parsed(infos).find(|(_, c)| now > c.not_after) {
            Some((0, c)) => format!("certificate expired on {}", format_unix(c.not_after)),
            Some((_, c)) => format!(
                "intermediate certificate {} expired on {}",
                c.subject,
                format_unix(c.not_after)
            ),
            None => "a certificate in the chain has expired".to_string(),
        }
    } else {
        match parsed(infos).find(|(_, c)| now < c.not_before) {
            Some((0, c)) => format!("certificate not valid until {}", format_unix(c.not_before)),
            Some((_, c)) => format!(
                "intermediate certificate {} not valid until {}",
                c.subject,
                format_unix(c.not_before)
            ),
            None => "a certificate in the chain is not valid yet".to_string(),
        }
    }
}

/// Extended key usage (RFC 5280 §4.2.1.12) without the purpose asked for.
fn explain_eku(infos: &[Option<Info>], purpose: Purpose) -> String {
    let lacks = |c: &Info| match c.eku {
        Some((server, client, any)) => {
            !any && !(match purpose {
                Purpose::Server => server,
                Purpose::Client => client,
            })
        }
        None => false,
    };
    match parsed(infos).find(|(_, c)| lacks(c)) {
        Some((i, c)) if i > 0 => format!(
            "intermediate certificate {} not valid for {} authentication (extended key usage)",
            c.subject,
            purpose.word()
        ),
        _ => format!(
            "certificate not valid for {} authentication (extended key usage)",
            purpose.word()
        ),
    }
}

/// A signature algorithm webpki does not accept: names the weak one (SHA-1, MD5) if any.
fn explain_signature_algorithm(infos: &[Option<Info>]) -> String {
    let weak = parsed(infos).find(|(_, c)| {
        c.sig_alg.starts_with("sha1") || c.sig_alg.starts_with("md") || c.sig_alg.contains("SHA1")
    });
    match weak {
        Some((_, c)) => format!(
            "certificate {} is signed with {}, which is not accepted",
            c.subject, c.sig_alg
        ),
        None => {
            "a certificate in the chain uses a signature algorithm or key that is not supported"
                .to_string()
        }
    }
}

/// The failures that need no certificate named: signatures, constraints, limits, versions.
fn explain_structure(e: WError) -> String {
    match e {
        WError::InvalidSignatureForPublicKey => {
            "a certificate's signature does not verify with its issuer's public key".to_string()
        }
        WError::NameConstraintViolation => {
            "certificate names violate the name constraints of an issuing CA".to_string()
        }
        WError::PathLenConstraintViolated => {
            "the chain is longer than a CA's path length constraint allows".to_string()
        }
        WError::MaximumPathDepthExceeded
        | WError::MaximumSignatureChecksExceeded
        | WError::MaximumPathBuildCallsExceeded
        | WError::MaximumNameConstraintComparisonsExceeded => {
            "the chain is too long or too complex to verify".to_string()
        }
        WError::UnsupportedCertVersion => {
            "a certificate in the chain is not an X.509 v3 certificate".to_string()
        }
        WError::UnsupportedCriticalExtension => {
            "a certificate in the chain has a critical extension that is not supported".to_string()
        }
        WError::InvalidCertValidity => {
            "a certificate in the chain has an invalid validity period (notAfter before notBefore)"
                .to_string()
        }
        e => format!("certificate verification failed ({e:?})"),
    }
}

fn explain_unknown_issuer(infos: &[Option<Info>], store: &TrustStore) -> String {
    let Some(Some(leaf)) = infos.first() else {
        return "certificate is not trusted (unknown issuer)".to_string();
    };
    if leaf.self_signed {
        return "self-signed certificate not in the trust store".to_string();
    }
    // Follow the issuer names through the certificates that were sent.
    let mut used = vec![0usize];
    let mut top = 0usize;
    while let Some(Some(cur)) = infos.get(top) {
        if cur.self_signed {
            break;
        }
        let next = infos.iter().enumerate().find(|(i, c)| {
            !used.contains(i) && c.as_ref().is_some_and(|c| c.subject_raw == cur.issuer_raw)
        });
        match next {
            Some((i, _)) => {
                used.push(i);
                top = i;
            }
            None => break,
        }
    }
    let Some(Some(t)) = infos.get(top) else {
        return "certificate is not trusted (unknown issuer)".to_string();
    };
    if !t.self_signed && store.find_by_subject(&t.issuer_raw).is_some() {
        return format!(
            "certificate {} names {} as its issuer, but it does not match the trust store's certificate of that name",
            t.subject, t.issuer
        );
    }
    if top == 0 {
        return format!(
            "missing intermediate: the server did not send the certificate that issued {} (issuer {})",
            leaf.subject, leaf.issuer
        );
    }
    format!(
        "certificate issued by {} is not trusted: that CA is not in the trust store (unknown CA)",
        t.issuer
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::test_certs::{ca, leaf, Ca, Leaf};
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    };

    // 2026-06-01T00:00:00Z
    const NOW: i64 = 1_780_272_000;

    struct Pki {
        root: Ca,
        inter: Ca,
        store: TrustStore,
    }

    fn pki() -> Pki {
        let root = ca("Test Root", None);
        let inter = ca("Test Intermediate", Some(&root));
        let store = TrustStore::from_der_certs(&[root.der()]).unwrap();
        Pki { root, inter, store }
    }

    fn assert_only_error(out: &VerifyOutcome, msg: &str) {
        assert!(!out.ok, "{out:?}");
        assert_eq!(out.errors, vec![msg.to_string()], "{out:?}");
    }

    #[test]
    fn valid_chain_with_intermediate() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let out = verify_server(&p.store, &[l.clone(), p.inter.der()], "leaf.test", NOW);
        assert!(out.ok, "{out:?}");
        assert!(out.errors.is_empty());
        assert_eq!(
            out.path,
            vec!["CN=leaf.test", "CN=Test Intermediate", "CN=Test Root"]
        );
        assert_eq!(out.anchor.as_deref(), Some("CN=Test Root"));
        assert!(out.unused.is_empty());
        // Sending the root too is fine and it is part of the path.
        let out = verify_server(
            &p.store,
            &[l, p.inter.der(), p.root.der()],
            "LEAF.TEST",
            NOW,
        );
        assert!(out.ok, "{out:?}");
        assert!(out.unused.is_empty(), "{out:?}");
    }

    #[test]
    fn chain_in_wrong_order_still_builds() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let other = ca("Unrelated CA", None);
        let out = verify_server(&p.store, &[l, other.der(), p.inter.der()], "leaf.test", NOW);
        assert!(out.ok, "{out:?}");
        assert_eq!(out.unused, vec![1]);
    }

    #[test]
    fn extra_unneeded_certificate_is_reported_unused() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let other = ca("Unrelated CA", None);
        let out = verify_server(&p.store, &[l, p.inter.der(), other.der()], "leaf.test", NOW);
        assert!(out.ok, "{out:?}");
        assert_eq!(out.unused, vec![2]);
    }

    #[test]
    fn leaf_signed_directly_by_root() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.root));
        let out = verify_server(&p.store, &[l], "leaf.test", NOW);
        assert!(out.ok, "{out:?}");
        assert_eq!(out.path, vec!["CN=leaf.test", "CN=Test Root"]);
    }

    #[test]
    fn expired_leaf() {
        let p = pki();
        let l = leaf(
            Leaf {
                from: (2023, 1, 1),
                to: (2024, 1, 1),
                ..Leaf::default()
            },
            Some(&p.inter),
        );
        let out = verify_server(&p.store, &[l, p.inter.der()], "leaf.test", NOW);
        assert_only_error(&out, "certificate expired on 2024-01-01T00:00:00Z");
        // The path is still shown.
        assert_eq!(out.path.len(), 3);
    }

    #[test]
    fn expired_leaf_and_unknown_ca_both_reported() {
        let other = ca("Other Root", None);
        let p = pki();
        let l = leaf(
            Leaf {
                from: (2023, 1, 1),
                to: (2024, 1, 1),
                ..Leaf::default()
            },
            Some(&other),
        );
        let out = verify_server(&p.store, &[l, other.der()], "leaf.test", NOW);
        assert_eq!(
            out.errors,
            vec![
                "certificate expired on 2024-01-01T00:00:00Z",
                "certificate issued by CN=Other Root is not trusted: that CA is not in the trust store (unknown CA)"
            ]
        );
    }

    #[test]
    fn not_yet_valid_leaf() {
        let p = pki();
        let l = leaf(
            Leaf {
                from: (2027, 1, 1),
                to: (2028, 1, 1),
                ..Leaf::default()
            },
            Some(&p.inter),
        );
        let out = verify_server(&p.store, &[l, p.inter.der()], "leaf.test", NOW);
        assert_only_error(&out, "certificate not valid until 2027-01-01T00:00:00Z");
    }

    #[test]
    fn wrong_name() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let out = verify_server(&p.store, &[l, p.inter.der()], "wrong.example", NOW);
        assert_only_error(&out, "name wrong.example not in [leaf.test, 127.0.0.1]");
        assert_eq!(out.path.len(), 3, "the chain itself verified");
    }

    #[test]
    fn unknown_ca() {
        let p = pki();
        let other = ca("Foo CA", None);
        let l = leaf(Leaf::default(), Some(&other));
        let out = verify_server(&p.store, &[l, other.der()], "leaf.test", NOW);
        assert_only_error(
            &out,
            "certificate issued by CN=Foo CA is not trusted: that CA is not in the trust store (unknown CA)",
        );
        assert!(out.path.is_empty());
        assert!(out.anchor.is_none());

        // An intermediate sent, its root unknown.
        let other_inter = ca("Foo Intermediate", Some(&other));
        let l = leaf(Leaf::default(), Some(&other_inter));
        let out = verify_server(&p.store, &[l, other_inter.der()], "leaf.test", NOW);
        assert_only_error(
            &out,
            "certificate issued by CN=Foo CA is not trusted: that CA is not in the trust store (unknown CA)",
        );
    }

    #[test]
    fn missing_intermediate() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let out = verify_server(&p.store, &[l], "leaf.test", NOW);
        assert_only_error(
            &out,
            "missing intermediate: the server did not send the certificate that issued CN=leaf.test (issuer CN=Test Intermediate)",
        );
    }

    #[test]
    fn ip_san() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let chain = [l, p.inter.der()];
        assert!(verify_server(&p.store, &chain, "127.0.0.1", NOW).ok);
        let out = verify_server(&p.store, &chain, "127.0.0.2", NOW);
        assert_only_error(&out, "name 127.0.0.2 not in [leaf.test, 127.0.0.1]");
        let l6 = leaf(
            Leaf {
                names: &["::1"],
                ..Leaf::default()
            },
            Some(&p.inter),
        );
        let chain6 = [l6, p.inter.der()];
        assert!(verify_server(&p.store, &chain6, "::1", NOW).ok);
        assert!(verify_server(&p.store, &chain6, "[::1]", NOW).ok);
        // An IP literal is never matched against DNS names.
        let dns_only = leaf(
            Leaf {
                names: &["127.0.0.1.nip.test"],
                ..Leaf::default()
            },
            Some(&p.inter),
        );
        let out = verify_server(&p.store, &[dns_only, p.inter.der()], "127.0.0.1", NOW);
        assert_only_error(&out, "name 127.0.0.1 not in [127.0.0.1.nip.test]");
    }

    #[test]
    fn leaf_without_server_auth_eku() {
        let p = pki();
        let l = leaf(
            Leaf {
                eku: vec![ExtendedKeyUsagePurpose::ClientAuth],
                ..Leaf::default()
            },
            Some(&p.inter),
        );
        let chain = [l, p.inter.der()];
        let out = verify_server(&p.store, &chain, "leaf.test", NOW);
        assert_only_error(
            &out,
            "certificate not valid for server authentication (extended key usage)",
        );
        let out = verify_client(&p.store, &chain, NOW);
        assert!(out.ok, "{out:?}");
    }

    #[test]
    fn client_chain_needs_client_auth() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let out = verify_client(&p.store, &[l, p.inter.der()], NOW);
        assert_only_error(
            &out,
            "certificate not valid for client authentication (extended key usage)",
        );
        let no_eku = leaf(
            Leaf {
                eku: vec![],
                ..Leaf::default()
            },
            Some(&p.inter),
        );
        assert!(verify_client(&p.store, &[no_eku.clone(), p.inter.der()], NOW).ok);
        assert!(verify_server(&p.store, &[no_eku, p.inter.der()], "leaf.test", NOW).ok);
    }

    #[test]
    fn self_signed_leaf() {
        let p = pki();
        let l = leaf(Leaf::default(), None);
        let out = verify_server(&p.store, std::slice::from_ref(&l), "leaf.test", NOW);
        assert_only_error(&out, "self-signed certificate not in the trust store");
        // Trusted explicitly (e.g. --ca-file with the server's own certificate): fine.
        let store = TrustStore::from_der_certs(std::slice::from_ref(&l)).unwrap();
        let out = verify_server(&store, &[l], "leaf.test", NOW);
        assert!(out.ok, "{out:?}");
        assert_eq!(out.path, vec!["CN=leaf.test", "CN=leaf.test"]);
    }

    #[test]
    fn self_signed_ca_leaf_trusted_directly() {
        // `openssl req -x509` makes CA:TRUE certificates; curl and openssl accept them as the
        // server certificate when they are in the trust store themselves.
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap().der().to_vec();
        let store = TrustStore::from_der_certs(std::slice::from_ref(&cert)).unwrap();
        let now = now_unix();
        let out = verify_server(&store, std::slice::from_ref(&cert), "localhost", now);
        assert!(out.ok, "{out:?}");
        let out = verify_server(&store, std::slice::from_ref(&cert), "other.test", now);
        assert!(!out.ok && out.errors[0].contains("other.test"), "{out:?}");
        let out = verify_server(&TrustStore::webpki_roots(), &[cert], "localhost", now);
        assert!(!out.ok);
    }

    #[test]
    fn generated_self_signed_verifies_when_trusted() {
        let ss = crate::pki::selfsigned::generate("localhost").unwrap();
        let store = TrustStore::from_der_certs(std::slice::from_ref(&ss.cert_der)).unwrap();
        let chain = [ss.cert_der.clone()];
        let now = now_unix();
        assert!(verify_server(&store, &chain, "localhost", now).ok);
        assert!(verify_server(&store, &chain, "127.0.0.1", now).ok);
        assert!(verify_server(&store, &chain, "::1", now).ok);
        assert!(verify_client(&store, &chain, now).ok);
        let out = verify_server(&TrustStore::webpki_roots(), &chain, "localhost", now);
        assert_only_error(&out, "self-signed certificate not in the trust store");
    }

    #[test]
    fn ca_as_leaf() {
        let p = pki();
        let out = verify_server(&p.store, &[p.inter.der()], "leaf.test", NOW);
        assert!(!out.ok);
        assert!(
            out.errors[0].starts_with("certificate is a CA certificate"),
            "{out:?}"
        );
    }

    #[test]
    fn expired_intermediate() {
        let root = ca("Test Root", None);
        let key = KeyPair::generate().unwrap();
        let mut ip = CertificateParams::new(vec![]).unwrap();
        ip.distinguished_name
            .push(DnType::CommonName, "Old Intermediate");
        ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ip.not_before = rcgen::date_time_ymd(2020, 1, 1);
        ip.not_after = rcgen::date_time_ymd(2026, 3, 1);
        let inter = Ca {
            cert: ip.signed_by(&key, &root.cert, &root.key).unwrap(),
            key,
        };
        let store = TrustStore::from_der_certs(&[root.der()]).unwrap();
        let l = leaf(Leaf::default(), Some(&inter));
        let out = verify_server(&store, &[l, inter.der()], "leaf.test", NOW);
        assert_eq!(
            out.errors,
            vec!["intermediate certificate CN=Old Intermediate expired on 2026-03-01T00:00:00Z"]
        );
    }

    #[test]
    fn timing_system_store_plus_verify() {
        let p = pki();
        let l = leaf(Leaf::default(), Some(&p.inter));
        let chain = [l, p.inter.der()];
        let t = std::time::Instant::now();
        let store = TrustStore::system();
        let loaded = t.elapsed();
        let out = verify_server(&store, &chain, "leaf.test", NOW);
        let total = t.elapsed();
        println!(
            "system store load {loaded:?}, load + verify {total:?} ({} anchors, ok={})",
            store.len(),
            out.ok
        );
        assert!(!out.ok);
    }

    #[test]
    fn hostile_input_never_panics() {
        let p = pki();
        let out = verify_server(&p.store, &[], "leaf.test", NOW);
        assert_only_error(&out, "the server sent no certificate");
        let out = verify_client(&p.store, &[], NOW);
        assert_only_error(&out, "the client sent no certificate");
        let out = verify_server(&p.store, &[vec![0x30, 0x03, 0x01]], "leaf.test", NOW);
        assert!(!out.ok);
        assert!(out.errors[0].starts_with("certificate could not be parsed"));
        let l = leaf(Leaf::default(), Some(&p.inter));
        let out = verify_server(
            &p.store,
            &[l.clone(), vec![1, 2, 3], vec![]],
            "leaf.test",
            NOW,
        );
        assert!(!out.ok);
        let out = verify_server(&p.store, &[l.clone(), p.inter.der()], "not a host!", NOW);
        assert_only_error(&out, "not a host! is not a valid DNS name or IP address");
        for t in [i64::MIN, -1, 0, i64::MAX] {
            let _ = verify_server(&p.store, &[l.clone(), p.inter.der()], "leaf.test", t);
        }
        for i in 0..l.len() {
            let mut d = l.clone();
            d[i] ^= 0x55;
            let _ = verify_server(&p.store, &[d.clone(), p.inter.der()], "leaf.test", NOW);
            let _ = verify_server(&p.store, &[d[..i].to_vec()], "leaf.test", NOW);
        }
        assert!(now_unix() > 1_700_000_000);
    }
}
