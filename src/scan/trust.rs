//! Trust: the certificate chain a server sends, checked as `connect` checks it (`pki::verify`,
//! against the system store or `--ca-file`, with the same host-name rules), with its
//! completeness, its order, the stapled OCSP response and the SCTs, and the findings they give.

use std::path::Path;
use std::sync::OnceLock;

use super::cert::{self, CertInfo};
use super::findings::{Finding, Severity};
use super::probe::Flight;
use super::staple::{self, OcspStaple, Scts};
use super::TargetReport;
use crate::pki::error::PkiError;
use crate::pki::summary;
use crate::pki::trust::TrustStore;
use crate::pki::verify::verify_server;
use crate::wire::codepoints::ExtensionType;
use crate::wire::extensions::{find, ExtBody};

/// The chain's verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainInfo {
    /// The chain verifies to a trust anchor and names the host, as `connect` requires.
    pub trusted: bool,
    /// Why it is not trusted, one short stable word each (empty when trusted): see
    /// [`error_kind`].
    pub errors: Vec<String>,
    /// Every intermediate needed to reach a trust anchor was sent.
    pub complete: bool,
    /// Each certificate is followed by its issuer (RFC 8446 §4.4.2, RFC 5246 §7.4.2).
    pub order_ok: bool,
    /// connect's sentences for the errors (`pki::verify`).
    pub details: Vec<String>,
    /// Where the anchors came from ("system store ...", "--ca-file ...").
    pub anchors: String,
    /// The subjects of the certificates as sent, leaf first.
    pub sent: Vec<String>,
    /// The certificates sent after the leaf that are not self-signed (the intermediates).
    pub intermediates: Vec<CertInfo>,
    /// The stapled OCSP response; `None` when none was stapled.
    pub ocsp: Option<OcspStaple>,
    pub sct: Scts,
}

/// The trust anchors of a scan: a store, and for a `--ca-file` that holds both self-signed
/// roots and other certificates, the roots alone and the others, to tell a chain that is
/// complete from one that verifies only because the file supplies an intermediate.
#[derive(Debug, Clone)]
pub struct Anchors {
    pub store: TrustStore,
    split: Option<(TrustStore, Vec<Vec<u8>>)>,
}

impl Anchors {
    /// `--ca-file`: the file's certificates replace the system store, as for `connect`.
    pub fn from_pem_file(path: &Path) -> Result<Anchors, PkiError> {
        let store = TrustStore::from_pem_file(path)?;
        let text = std::fs::read_to_string(path).map_err(|e| PkiError::Read {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let certs = crate::pki::pem::parse_cert_chain_pem(&text)?;
        let (roots, others): (Vec<Vec<u8>>, Vec<Vec<u8>>) =
            certs.into_iter().partition(|d| self_signed(d));
        let split = match (roots.is_empty(), others.is_empty()) {
            (false, false) => Some((TrustStore::from_der_certs(&roots)?, others)),
            _ => None,
        };
        Ok(Anchors { store, split })
    }

    /// The system store, loaded once per process.
    pub fn system() -> &'static Anchors {
        static SYSTEM: OnceLock<Anchors> = OnceLock::new();
        SYSTEM.get_or_init(|| Anchors {
            store: TrustStore::system(),
            split: None,
        })
    }
}

fn self_signed(der: &[u8]) -> bool {
    summary::parse(der).is_ok_and(|c| summary::is_self_signed(&c, der))
}

/// What the scan saw of the chain: the certificates as sent (leaf first), the stapled OCSP
/// response and the signed_certificate_timestamp extension's list.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub chain: Vec<Vec<u8>>,
    pub ocsp: Option<Vec<u8>>,
    pub sct_ext: Option<Vec<u8>>,
}

impl Seen {
    /// From TLS 1.2-and-older flights, newest version first: the first flight with a
    /// certificate; its staple and SCTs, else those of another flight with the same leaf.
    pub fn from_flights(flights: &[&Flight]) -> Seen {
        let Some(first) = flights.iter().find(|f| !f.certs.is_empty()) else {
            return Seen::default();
        };
        let same_leaf: Vec<&&Flight> = flights
            .iter()
            .filter(|f| f.certs.first() == first.certs.first())
            .collect();
        let sct_ext = |f: &Flight| match find(
            &f.hello.extensions,
            ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP,
        )
        .map(|e| &e.body)
        {
            Some(ExtBody::SignedCertificateTimestamp(l)) => Some(l.clone()),
            _ => None,
        };
        Seen {
            chain: first.certs.clone(),
            ocsp: same_leaf.iter().find_map(|f| f.ocsp_response.clone()),
            sct_ext: same_leaf.iter().find_map(|f| sct_ext(f)),
        }
    }
}

/// Checks the chain seen for `host` at `now` (Unix seconds); `None` when no chain was seen.
pub fn assess(seen: &Seen, anchors: &Anchors, host: &str, now: i64) -> Option<ChainInfo> {
    let chain = &seen.chain;
    chain.first()?;
    let out = verify_server(&anchors.store, chain, host, now);
    let mut errors: Vec<String> = vec![];
    for e in &out.errors {
        let k = error_kind(e);
        if !errors.contains(&k) {
            errors.push(k);
        }
    }
    let complete = !errors.iter().any(|e| e == "missing intermediate")
        && !completed_by_the_file(anchors, chain, host, now);
    let parsed: Vec<Option<CertInfo>> = chain.iter().map(|d| cert::parse(d)).collect();
    Some(ChainInfo {
        trusted: out.ok,
        errors,
        complete,
        order_ok: in_issuer_order(chain),
        details: out.errors,
        anchors: anchors.store.source(),
        sent: parsed
            .iter()
            .map(|c| {
                c.as_ref()
                    .map(|c| c.subject.clone())
                    .unwrap_or_else(|| "(unparsable certificate)".into())
            })
            .collect(),
        intermediates: parsed
            .into_iter()
            .skip(1)
            .flatten()
            .filter(|c| !c.self_signed)
            .collect(),
        ocsp: seen
            .ocsp
            .as_deref()
            .map(|o| staple::ocsp_staple(o, chain.first().map(Vec::as_slice))),
        sct: staple::scts(
            seen.sct_ext.as_deref(),
            chain.first().map(Vec::as_slice),
            seen.ocsp.as_deref(),
        ),
    })
}

/// For a `--ca-file` with roots and intermediates: whether the chain as sent reaches none
/// of the roots (unknown issuer or missing intermediate) but does with the file's
/// intermediates added, i.e. it verifies only because the file supplies an intermediate.
/// Host-name and validity problems do not matter here: only the path does.
fn completed_by_the_file(anchors: &Anchors, chain: &[Vec<u8>], host: &str, now: i64) -> bool {
    let Some((roots, extra)) = &anchors.split else {
        return false;
    };
    let no_path = |c: &[Vec<u8>]| {
        verify_server(roots, c, host, now).errors.iter().any(|e| {
            matches!(
                error_kind(e).as_str(),
                "unknown issuer" | "missing intermediate"
            )
        })
    };
    let filled: Vec<Vec<u8>> = chain.iter().chain(extra.iter()).cloned().collect();
    no_path(chain) && !no_path(&filled)
}

/// Whether each certificate is followed by the one that issued it (by name), as RFC 5246
/// §7.4.2 requires and RFC 8446 §4.4.2 recommends; an unparsable certificate is out of order.
pub fn in_issuer_order(chain: &[Vec<u8>]) -> bool {
    let names: Vec<Option<(Vec<u8>, Vec<u8>)>> = chain
        .iter()
        .map(|d| {
            summary::parse(d)
                .ok()
                .map(|c| (c.subject().as_raw().to_vec(), c.issuer().as_raw().to_vec()))
        })
        .collect();
    names.windows(2).all(|w| match (&w[0], &w[1]) {
        (Some((_, issuer)), Some((subject, _))) => issuer == subject,
        _ => false,
    }) && names.iter().all(Option::is_some)
}

/// The short, stable word for one of `pki::verify`'s sentences: "self-signed", "expired",
/// "not yet valid", "name mismatch", "unknown issuer", "missing intermediate",
/// "weak signature (ALG)", "unsupported algorithm", "not for server authentication",
/// "CA certificate as leaf", "issuer not a CA", "bad signature", "constraint violated",
/// "unparsable certificate", else "invalid chain".
pub fn error_kind(sentence: &str) -> String {
    let s = sentence;
    let has = |w: &str| s.contains(w);
    let kind = if s.starts_with("self-signed certificate") {
        "self-signed"
    } else if s.starts_with("missing intermediate") {
        "missing intermediate"
    } else if has(" expired on ") || has("has expired") {
        "expired"
    } else if has(" not valid until ") || has("not valid yet") {
        "not yet valid"
    } else if s.starts_with("name ") || has("not a valid DNS name") || has("names could not") {
        "name mismatch"
    } else if has("(unknown CA)")
        || has("(unknown issuer)")
        || has("does not match the trust store")
    {
        "unknown issuer"
    } else if let Some(alg) = s
        .split_once(" is signed with ")
        .and_then(|(_, r)| r.split_once(", which is not accepted"))
        .map(|(a, _)| a)
    {
        return format!("weak signature ({alg})");
    } else if has("signature algorithm or key") {
        "unsupported algorithm"
    } else if has("(extended key usage)") {
        "not for server authentication"
    } else if has("is a CA certificate") {
        "CA certificate as leaf"
    } else if has("is not a CA") || has("that is not a CA") {
        "issuer not a CA"
    } else if has("signature does not verify") {
        "bad signature"
    } else if has("constraint") {
        "constraint violated"
    } else if has("could not be parsed") || has("sent no certificate") {
        "unparsable certificate"
    } else {
        "invalid chain"
    };
    kind.to_string()
}

fn finding(id: &str, severity: Severity, detail: String) -> Finding {
    Finding {
        id: id.into(),
        severity,
        detail,
    }
}

/// The chain's findings, one per problem. The leaf's expiry, weak signature and name are
/// findings of `findings::certificate_findings` (by each leaf's `CertInfo`); here are the
/// rest: self-signed, unknown issuer, missing intermediate, not yet valid, other failures,
/// the intermediates' expiry and weak signatures, the order, a revoked OCSP staple.
pub fn findings(r: &TargetReport, now: i64) -> Vec<Finding> {
    let Some(c) = &r.chain else {
        return vec![];
    };
    let mut out = vec![];
    let detail_of = |kind: &str| {
        c.details
            .iter()
            .find(|d| error_kind(d) == kind)
            .cloned()
            .unwrap_or_else(|| kind.to_string())
    };
    for e in &c.errors {
        let (id, sev) = match e.as_str() {
            "self-signed" => ("self_signed", Severity::High),
            "unknown issuer" => ("untrusted_issuer", Severity::High),
            "not yet valid" => ("certificate_not_yet_valid", Severity::High),
            // Findings of their own (certificate_findings, or missing_intermediate below).
            "expired" | "name mismatch" | "missing intermediate" => continue,
            w if w.starts_with("weak signature") => continue,
            _ => ("chain_invalid", Severity::High),
        };
        out.push(finding(id, sev, detail_of(e)));
    }
    if !c.complete {
        out.push(finding(
            "missing_intermediate",
            Severity::Medium,
            if c.trusted {
                "the server does not send every intermediate certificate: the chain verifies only with an intermediate from --ca-file".into()
            } else {
                detail_of("missing intermediate")
            },
        ));
    }
    intermediate_findings(c, now, &mut out);
    if !c.order_ok {
        out.push(finding(
            "chain_order",
            Severity::Low,
            format!(
                "the certificates are not each followed by their issuer (RFC 5246 §7.4.2): {}",
                c.sent.join(" / ")
            ),
        ));
    }
    if let Some(o) = c.ocsp.as_ref().filter(|o| o.status == "revoked") {
        out.push(finding(
            "certificate_revoked",
            Severity::Critical,
            format!(
                "the stapled OCSP response says the certificate is revoked ({})",
                o.detail.as_deref().unwrap_or("revoked")
            ),
        ));
    }
    out
}

/// The intermediates' expiry and weak signatures, under the leaf's finding ids.
fn intermediate_findings(c: &ChainInfo, now: i64, out: &mut Vec<Finding>) {
    for i in &c.intermediates {
        if i.not_after_unix < now {
            out.push(finding(
                "certificate_expired",
                Severity::High,
                format!(
                    "intermediate certificate {} expired on {}",
                    i.subject, i.not_after
                ),
            ));
        }
        if i.weak_signature {
            out.push(finding(
                "sha1_certificate_signature",
                Severity::Medium,
                format!(
                    "intermediate certificate {} is signed with {}",
                    i.subject, i.signature_algorithm
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::test_certs::{self, ca, Ca, Leaf};
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

    // 2026-06-01 00:00:00 UTC
    const NOW: i64 = 1_780_272_000;

    /// A leaf for leaf.test (no extended key usage) valid from 2025 to January of `to`.
    fn leaf(issuer: Option<&Ca>, to: i32) -> Vec<u8> {
        let spec = Leaf {
            names: &["leaf.test"],
            from: (2025, 1, 1),
            to: (to, 1, 1),
            eku: vec![],
        };
        test_certs::leaf(spec, issuer)
    }

    fn anchors(certs: &[&Ca]) -> Anchors {
        let pem: String = certs.iter().map(|c| c.cert.pem()).collect();
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("ca.pem");
        std::fs::write(&f, pem).unwrap();
        Anchors::from_pem_file(&f).unwrap()
    }

    fn check(chain: Vec<Vec<u8>>, a: &Anchors, host: &str) -> ChainInfo {
        let seen = Seen {
            chain,
            ..Seen::default()
        };
        assess(&seen, a, host, NOW).unwrap()
    }

    #[test]
    fn verdicts() {
        let root = ca("Root", None);
        let inter = ca("Inter", Some(&root));
        let a = anchors(&[&root]);
        let l = leaf(Some(&inter), 2027);
        let der = |c: &Ca| c.cert.der().to_vec();

        let c = check(vec![l.clone(), der(&inter)], &a, "leaf.test");
        assert!(
            c.trusted && c.complete && c.order_ok && c.errors.is_empty(),
            "{c:?}"
        );
        assert_eq!(c.sent, vec!["CN=leaf.test", "CN=Inter"]);
        assert_eq!(c.intermediates.len(), 1);

        let c = check(vec![l.clone()], &a, "leaf.test");
        assert!(!c.trusted && !c.complete && c.order_ok, "{c:?}");
        assert_eq!(c.errors, vec!["missing intermediate"]);

        let c = check(vec![l.clone(), der(&root), der(&inter)], &a, "leaf.test");
        assert!(c.trusted && c.complete && !c.order_ok, "{c:?}");

        let c = check(vec![l.clone(), der(&inter)], &a, "other.test");
        assert_eq!(c.errors, vec!["name mismatch"]);
        assert!(!c.trusted && c.complete);

        let old = leaf(Some(&inter), 2026);
        let c = check(vec![old, der(&inter)], &a, "leaf.test");
        assert_eq!(c.errors, vec!["expired"]);

        let ss = leaf(None, 2027);
        let c = check(vec![ss], &a, "leaf.test");
        assert_eq!(c.errors, vec!["self-signed"]);
        assert!(c.complete);

        let other = ca("Other Root", None);
        let l2 = leaf(Some(&other), 2027);
        let c = check(vec![l2, der(&other)], &a, "leaf.test");
        assert_eq!(c.errors, vec!["unknown issuer"]);
    }

    /// A chain that verifies only because --ca-file holds the intermediate is trusted but
    /// not complete; with the intermediate sent it is complete.
    #[test]
    fn intermediate_from_the_ca_file() {
        let root = ca("Root", None);
        let inter = ca("Inter", Some(&root));
        let a = anchors(&[&root, &inter]);
        let l = leaf(Some(&inter), 2027);
        let c = check(vec![l.clone()], &a, "leaf.test");
        assert!(c.trusted && !c.complete, "{c:?}");
        let c = check(vec![l.clone(), inter.cert.der().to_vec()], &a, "leaf.test");
        assert!(c.trusted && c.complete, "{c:?}");
        // The intermediate alone as anchor: nothing more was needed.
        let c = check(vec![l], &anchors(&[&inter]), "leaf.test");
        assert!(c.trusted && c.complete, "{c:?}");
    }

    /// An expired intermediate: the chain's error, and one finding naming it.
    #[test]
    fn expired_intermediate_is_one_finding() {
        let root = ca("Root", None);
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(vec![]).unwrap();
        p.distinguished_name.push(DnType::CommonName, "Old Inter");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.not_before = rcgen::date_time_ymd(2020, 1, 1);
        p.not_after = rcgen::date_time_ymd(2026, 3, 1);
        let inter = Ca {
            cert: p.signed_by(&key, &root.cert, &root.key).unwrap(),
            key,
        };
        let l = leaf(Some(&inter), 2027);
        let c = check(
            vec![l, inter.cert.der().to_vec()],
            &anchors(&[&root]),
            "leaf.test",
        );
        assert_eq!(c.errors, vec!["expired"]);
        let r = TargetReport {
            chain: Some(c),
            ..Default::default()
        };
        let f = findings(&r, NOW);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].id, "certificate_expired");
        assert!(f[0].detail.contains("CN=Old Inter"), "{f:?}");
    }

    #[test]
    fn kinds_of_sentences() {
        for (s, k) in [
            ("certificate expired on 2024-01-01 00:00:00 UTC", "expired"),
            ("intermediate certificate CN=X expired on 2026", "expired"),
            ("certificate not valid until 2027-01-01", "not yet valid"),
            ("name a.test not in [b.test]", "name mismatch"),
            (
                "self-signed certificate not in the trust store",
                "self-signed",
            ),
            (
                "missing intermediate: the server did not send",
                "missing intermediate",
            ),
            (
                "certificate issued by CN=Foo is not trusted (unknown CA)",
                "unknown issuer",
            ),
            (
                "certificate CN=a is signed with sha1WithRSAEncryption, which is not accepted",
                "weak signature (sha1WithRSAEncryption)",
            ),
            (
                "certificate not valid for server authentication (extended key usage)",
                "not for server authentication",
            ),
            ("something new", "invalid chain"),
        ] {
            assert_eq!(error_kind(s), k, "{s}");
        }
    }

    #[test]
    fn order_of_garbage() {
        assert!(in_issuer_order(&[]));
        assert!(!in_issuer_order(&[vec![1, 2, 3]]));
        assert!(
            check(vec![vec![0x30, 0x03, 1, 2, 3]], Anchors::system(), "a.test").errors
                == vec!["unparsable certificate"]
        );
    }
}
