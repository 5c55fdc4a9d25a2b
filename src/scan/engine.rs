//! The scan of one target: version and cipher-suite enumeration ("offer all remaining,
//! remove the one chosen, repeat", in chunks so hellos stay small), the server's preference
//! order, groups (TLS 1.3 HelloRetryRequest, RFC 8446 §4.1.4; TLS 1.2 ServerKeyExchange,
//! RFC 8422 §5.4), signature algorithms (TLS 1.2 ServerKeyExchange), certificates, features
//! and findings. Independent parts run in parallel, bounded by the global connection limiter.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::candidates::{suite_chunks, TLS13_GROUPS};
use super::client_auth;
use super::dh;
use super::error::ScanError;
use super::features;
use super::findings;
use super::fullhs;
use super::http;
use super::kx_groups;
use super::probe::{Conn, Flight, Hello, Outcome, DEFAULT_GROUPS, DEFAULT_SIGALGS};
use super::profiles;
use super::trust;
use super::versions::{
    answers_version, enumerate, enumerate_from, enumerate_version, order_suites, VersionScan,
};
use super::vulns;
use super::Narrow;
use super::{ProtocolResult, ScanOptions, TargetReport, ALL_VERSIONS};
use crate::error::Alert;
use crate::net::endpoint::Endpoint;
use crate::net::limit::Limits;
use crate::net::target::Target;
use crate::net::OpenError;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::suites::{Auth, CipherSuite, Kx};

pub(super) struct Ctx<'a> {
    pub(super) conn: Conn<'a>,
    pub(super) sni: Option<String>,
    pub(super) only: &'a Narrow,
}

impl Ctx<'_> {
    /// A probe hello with the default groups and schemes, narrowed to `--groups`/`--sigalgs`.
    pub(super) fn hello(&self, v: ProtocolVersion, suites: Vec<CipherSuite>) -> Hello {
        let mut h = Hello::new(v, suites, self.sni.clone());
        if let Some(g) = &self.only.groups {
            let tls13 = v == ProtocolVersion::TLS13;
            h.groups = g
                .iter()
                .copied()
                .filter(|g| !tls13 || !g.obsolete_in_tls13())
                .collect();
            h.key_shares.retain(|k| h.groups.contains(k));
        }
        h.sigalgs = Narrow::keep(&self.only.sigalgs, &h.sigalgs);
        h
    }

    /// The candidate suites for `v` in hellos, narrowed to `--suites`.
    pub(super) fn suite_chunks(&self, v: ProtocolVersion) -> Vec<Vec<CipherSuite>> {
        suite_chunks(v)
            .into_iter()
            .map(|c| Narrow::keep(&self.only.suites, &c))
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// The groups to enumerate from `table`: the user's list when given (in its order), else
    /// the table.
    pub(super) fn groups_from(&self, table: &[NamedGroup]) -> Vec<NamedGroup> {
        self.only.groups.clone().unwrap_or_else(|| table.to_vec())
    }

    pub(super) fn probe(&self, h: &Hello, full: bool) -> Result<Outcome, OpenError> {
        self.conn.probe(h, full)
    }
}

/// TLS 1.3 groups through HelloRetryRequest: an empty key_share makes the server name the
/// group it wants among supported_groups (RFC 8446 §4.2.8, §4.1.4).
fn groups_tls13(ctx: &Ctx, suites: &[CipherSuite]) -> (Vec<NamedGroup>, Option<bool>) {
    let v = ProtocolVersion::TLS13;
    let probe = |groups: &[NamedGroup]| -> Option<NamedGroup> {
        let mut h = ctx.hello(v, suites.to_vec());
        h.groups = groups.to_vec();
        h.key_shares = vec![];
        match ctx.probe(&h, false) {
            Ok(Outcome::Hello(f)) if f.version == v => f.key_share_group(),
            _ => None,
        }
    };
    let table = ctx.groups_from(TLS13_GROUPS);
    let picks = enumerate(&table, probe);
    order_by_probe(picks, &table, probe)
}

/// TLS 1.2 curves through the ServerKeyExchange of an ECDHE suite (RFC 8422 §5.4).
fn groups_tls12(
    ctx: &Ctx,
    v: ProtocolVersion,
    suites: &[CipherSuite],
    known: &[NamedGroup],
) -> (Vec<NamedGroup>, Option<bool>) {
    let cands: Vec<NamedGroup> = ctx
        .groups_from(DEFAULT_GROUPS)
        .into_iter()
        .filter(|g| g.0 < 0x100)
        .chain(
            [NamedGroup::SECP224R1, NamedGroup::SECP192R1]
                .into_iter()
                .filter(|g| ctx.only.groups.as_ref().is_none_or(|o| o.contains(g))),
        )
        .fold(vec![], |mut acc, g| {
            if !acc.contains(&g) {
                acc.push(g);
            }
            acc
        });
    let probe = |groups: &[NamedGroup]| -> Option<NamedGroup> {
        let mut h = ctx.hello(v, suites.to_vec());
        h.groups = groups.to_vec();
        match ctx.probe(&h, true) {
            Ok(Outcome::Hello(f)) if answers_version(&f, v) => f.ske.and_then(|s| s.group),
            _ => None,
        }
    };
    let picks = enumerate_from(&cands, known, probe);
    order_by_probe(picks, &cands, probe)
}

/// Given picks found by offering in `table` order, decides whether the server enforces its
/// own order (offer the first two reversed) and returns the list in the right order.
fn order_by_probe<T: Copy + PartialEq>(
    picks: Vec<T>,
    table: &[T],
    probe: impl Fn(&[T]) -> Option<T>,
) -> (Vec<T>, Option<bool>) {
    if picks.len() < 2 {
        return (picks, None);
    }
    let idx = |x: &T| table.iter().position(|t| t == x).unwrap_or(usize::MAX);
    let mut table_order = picks.clone();
    table_order.sort_by_key(idx);
    match probe(&[picks[1], picks[0]]) {
        Some(p) if p == picks[0] => (picks, Some(true)),
        Some(_) => (table_order, Some(false)),
        None => (table_order, None),
    }
}

/// The kind of certificate (as a suite's authentication names it) that signs with `scheme`:
/// RSA-PSS and Ed25519/Ed448 by their code points (RFC 8446 §4.2.3; EdDSA certificates use
/// the ECDSA suites, RFC 8422 §5.1.3), the others by the signature byte of the TLS 1.2 pair
/// (RFC 5246 §7.4.1.4.1: 1 RSA, 2 DSA, 3 ECDSA).
fn signing_certificate(scheme: SignatureScheme) -> Option<Auth> {
    match scheme.0 {
        0x0804..=0x0806 | 0x0809..=0x080b => Some(Auth::Rsa),
        0x0807 | 0x0808 => Some(Auth::Ecdsa),
        0x0800..=0x08ff => None,
        v => match v & 0xff {
            1 => Some(Auth::Rsa),
            2 => Some(Auth::Dss),
            3 => Some(Auth::Ecdsa),
            _ => None,
        },
    }
}

/// TLS 1.2 signature schemes, per certificate type, through the ServerKeyExchange.
fn sigalgs_tls12(
    ctx: &Ctx,
    suites: &[CipherSuite],
    known: &[SignatureScheme],
) -> Vec<SignatureScheme> {
    let v = ProtocolVersion::TLS12;
    let mut out = vec![];
    for auth in [Auth::Ecdsa, Auth::Rsa, Auth::Dss] {
        let s: Vec<CipherSuite> = suites
            .iter()
            .copied()
            .filter(|s| {
                s.info()
                    .is_some_and(|i| i.auth == auth && matches!(i.kx, Kx::Ecdhe | Kx::Dhe))
            })
            .collect();
        if s.is_empty() {
            continue;
        }
        let cands: Vec<SignatureScheme> = Narrow::keep(&ctx.only.sigalgs, DEFAULT_SIGALGS)
            .into_iter()
            .filter(|&a| signing_certificate(a) == Some(auth))
            .collect();
        let picks = enumerate_from(&cands, known, |algs| {
            let mut h = ctx.hello(v, s.clone());
            h.sigalgs = algs.to_vec();
            match ctx.probe(&h, true) {
                Ok(Outcome::Hello(f)) if answers_version(&f, v) => f.ske.and_then(|k| k.scheme),
                _ => None,
            }
        });
        for p in picks {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out.sort_by_key(|s| DEFAULT_SIGALGS.iter().position(|x| x == s));
    out
}

fn alpn_probe(ctx: &Ctx, v: ProtocolVersion, suites: &[CipherSuite]) -> Option<Vec<String>> {
    // Offer both; the server picks one (or ignores ALPN: then it supports none of them);
    // offer the rest again, until nothing more is picked (RFC 7301 §3.2).
    let all: Vec<Vec<u8>> = ctx.only.alpn_protocols();
    let mut remaining = all.clone();
    let mut got = vec![];
    for _ in 0..all.len() {
        let mut h = ctx.hello(v, suites.to_vec());
        h.alpn = remaining.clone();
        match ctx.probe(&h, false) {
            Ok(Outcome::Hello(f)) if answers_version(&f, v) => match f.alpn() {
                Some(p) if remaining.contains(&p) => {
                    remaining.retain(|x| *x != p);
                    got.push(p);
                }
                _ => break,
            },
            // no_application_protocol or anything else: nothing more is accepted.
            Ok(_) => break,
            Err(_) => return None,
        }
        if remaining.is_empty() {
            break;
        }
    }
    // Report in the scanner's order.
    Some(
        all.iter()
            .filter(|p| got.contains(p))
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    )
}

/// TLS_FALLBACK_SCSV (RFC 7507): a lower version with the SCSV must be refused with
/// inappropriate_fallback.
fn fallback_probe(ctx: &Ctx, lower: ProtocolVersion, suites: &[CipherSuite]) -> Option<bool> {
    let mut h = ctx.hello(lower, suites.to_vec());
    h.fallback_scsv = true;
    match ctx.probe(&h, false) {
        Ok(Outcome::Alert(Alert::InappropriateFallback)) => Some(true),
        Ok(Outcome::Hello(f)) if answers_version(&f, lower) => Some(false),
        _ => None,
    }
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Scans one target of a list; a target that does not parse names where it came from.
/// `addr`: where the reachability stage (`scan::reach`) found the target; else resolved here.
pub fn scan_job(
    job: &super::Job,
    opts: &ScanOptions,
    limits: &Limits,
    addr: Option<SocketAddr>,
) -> TargetReport {
    let mut r = scan_target(&job.target, opts, limits, addr);
    if let (Some(origin), Some(e)) = (&job.origin, &mut r.error) {
        if Target::parse(&job.target, opts.route.default_port()).is_err() {
            *e = format!("{origin}: {e}");
        }
    }
    r
}

/// The server name a scan of `t` sends: `--sni`, else the target's host name, none with
/// `--no-sni`.
pub(super) fn sni_for(t: &Target, opts: &ScanOptions) -> Option<String> {
    if opts.no_sni {
        None
    } else {
        opts.sni.clone().or_else(|| t.default_sni())
    }
}

/// Scans one target completely.
fn scan_target(
    input: &str,
    opts: &ScanOptions,
    limits: &Limits,
    addr: Option<SocketAddr>,
) -> TargetReport {
    let start = Instant::now();
    let mut rep = TargetReport {
        target: input.trim().to_string(),
        ..Default::default()
    };
    let t = match Target::parse(input, opts.route.default_port()) {
        Ok(t) => t,
        Err(e) => {
            rep.error = Some(ScanError::Target(e).to_string());
            return rep;
        }
    };
    let sni = sni_for(&t, opts);
    rep.sni = sni.clone();
    let name = sni.clone().unwrap_or_else(|| t.host.clone());
    let (route, timeout) = (opts.route.clone(), opts.timeout);
    let endpoint = match addr {
        Some(a) => Ok(Endpoint::at(t.clone(), route, name, timeout, a)),
        None => Endpoint::resolve(t.clone(), route, name, timeout),
    };
    let endpoint = match endpoint {
        Ok(e) => e,
        Err(e) => {
            rep.error = Some(ScanError::Unreachable(e).to_string());
            rep.elapsed_ms = start.elapsed().as_millis() as u64;
            return rep;
        }
    };
    rep.ip = endpoint.target_addr().map(|a| a.ip().to_string());
    let ctx = Ctx {
        conn: Conn {
            endpoint,
            limits,
            count: AtomicUsize::new(0),
        },
        sni: sni.clone(),
        only: &opts.only,
    };
    let seen = scan_with(&ctx, opts, &mut rep);
    let host = sni.unwrap_or_else(|| t.host.clone());
    if rep.error.is_none() && http::wanted(opts.http, t.port) {
        let authority = http::authority(&host, t.port);
        http::run(&ctx.conn, &ctx.sni, &authority, opts.timeout, &mut rep);
    }
    if rep.error.is_none() {
        let anchors = opts
            .ca
            .as_deref()
            .unwrap_or_else(|| trust::Anchors::system());
        rep.chain = trust::assess(&seen, anchors, &host, now_unix());
        rep.vulnerabilities = vulns::run_all(&vulns::Scope {
            conn: &ctx.conn,
            sni: &ctx.sni,
            report: &rep,
        });
        rep.findings = findings::derive(&rep, &host, now_unix());
        vulns::supersede(&mut rep.findings, &rep.vulnerabilities);
        rep.findings.extend(vulns::findings(&rep.vulnerabilities));
        rep.findings.extend(http::findings(&rep));
        rep.profiles = profiles::evaluate(&rep, &opts.only);
        rep.findings.sort_by_key(|x| std::cmp::Reverse(x.severity));
    }
    rep.connections = ctx.conn.count.load(Ordering::Relaxed);
    rep.elapsed_ms = start.elapsed().as_millis() as u64;
    rep
}

/// The versions to probe, oldest first, without repeats.
fn versions_to_probe(opts: &ScanOptions) -> Vec<ProtocolVersion> {
    let mut versions: Vec<ProtocolVersion> = if opts.versions.is_empty() {
        ALL_VERSIONS.to_vec()
    } else {
        ALL_VERSIONS
            .iter()
            .copied()
            .filter(|v| opts.versions.contains(v))
            .collect()
    };
    versions.dedup();
    versions
}

/// What phase 1 found: each version's enumeration.
struct Found {
    scans: Vec<(ProtocolVersion, VersionScan)>,
}

impl Found {
    /// Every version in parallel (newest first, it answers most).
    fn enumerate(ctx: &Ctx, versions: &[ProtocolVersion]) -> Found {
        let scans = std::thread::scope(|s| {
            let hs: Vec<_> = versions
                .iter()
                .rev()
                .map(|&v| (v, s.spawn(move || enumerate_version(ctx, v))))
                .collect();
            hs.into_iter()
                .map(|(v, h)| (v, h.join().unwrap_or_default()))
                .collect()
        });
        Found { scans }
    }

    fn answered(&self) -> bool {
        self.scans.iter().any(|(_, s)| s.answered)
    }

    /// Why nothing answered: the first connection failure, else the first silence.
    fn silence(mut self) -> ScanError {
        let scans = &mut self.scans;
        scans
            .iter_mut()
            .find_map(|(_, s)| s.connect_error.take().map(ScanError::Unreachable))
            .or_else(|| {
                scans
                    .iter_mut()
                    .find_map(|(_, s)| s.silent_reason.take().map(ScanError::Silent))
            })
            .unwrap_or(ScanError::NoAnswer)
    }

    fn get(&self, v: ProtocolVersion) -> Option<&VersionScan> {
        self.scans.iter().find(|(x, _)| *x == v).map(|(_, s)| s)
    }

    fn supported(&self, v: ProtocolVersion) -> bool {
        self.get(v).is_some_and(|s| s.supported)
    }

    /// The suites accepted for `v`, in pick order.
    fn accepted(&self, v: ProtocolVersion) -> Vec<CipherSuite> {
        self.get(v)
            .map(|s| s.seqs.iter().flatten().copied().collect())
            .unwrap_or_default()
    }

    /// The newest supported version before TLS 1.3.
    fn legacy_max(&self) -> Option<ProtocolVersion> {
        [
            ProtocolVersion::TLS12,
            ProtocolVersion::TLS11,
            ProtocolVersion::TLS10,
            ProtocolVersion::SSL3,
        ]
        .into_iter()
        .find(|&v| self.supported(v))
    }

    /// The ServerHello flights of the versions `keep` selects.
    fn flights(&self, keep: impl Fn(ProtocolVersion) -> bool) -> Vec<&Flight> {
        self.scans
            .iter()
            .filter(|(v, _)| keep(*v))
            .flat_map(|(_, s)| s.flights.iter())
            .collect()
    }
}

/// What phase 2 found.
#[derive(Default)]
struct Details {
    orders: Vec<(ProtocolVersion, Option<bool>, Vec<CipherSuite>)>,
    groups: (Vec<NamedGroup>, Option<bool>),
    /// The curves of the newest version before TLS 1.3 when TLS 1.3 is supported too.
    groups_legacy: Option<(Vec<NamedGroup>, Option<bool>)>,
    dhe: Option<(ProtocolVersion, dh::DheProbes)>,
    sigalgs: Vec<SignatureScheme>,
    alpn: Option<Vec<String>>,
    fallback: Option<bool>,
}

/// The groups: by HelloRetryRequest when TLS 1.3 is supported, else through the
/// ServerKeyExchange of the newest version's ECDHE suites.
fn groups(ctx: &Ctx, found: &Found) -> (Vec<NamedGroup>, Option<bool>) {
    if found.supported(ProtocolVersion::TLS13) {
        return groups_tls13(ctx, &found.accepted(ProtocolVersion::TLS13));
    }
    groups_legacy(ctx, found)
}

/// The curves of the newest version before TLS 1.3, through its ECDHE suites.
fn groups_legacy(ctx: &Ctx, found: &Found) -> (Vec<NamedGroup>, Option<bool>) {
    let Some(v) = found.legacy_max() else {
        return (vec![], None);
    };
    let ec: Vec<CipherSuite> = found
        .accepted(v)
        .into_iter()
        .filter(|s| s.info().is_some_and(|i| i.kx == Kx::Ecdhe))
        .collect();
    if ec.is_empty() {
        return (vec![], None);
    }
    let known = found
        .get(v)
        .map(|s| s.seen_groups.clone())
        .unwrap_or_default();
    groups_tls12(ctx, v, &ec, &known)
}

/// DHE at the newest version before TLS 1.3: the server's own group and the RFC 7919 groups
/// it honours (`dh::probe_dhe`).
fn dhe_probes(ctx: &Ctx, found: &Found) -> Option<(ProtocolVersion, dh::DheProbes)> {
    let v = found.legacy_max()?;
    let hello = |v, s| ctx.hello(v, s);
    let flights = found.flights(|x| x == v);
    dh::probe_version(
        &ctx.conn,
        &hello,
        v,
        &found.accepted(v),
        &flights,
        &ctx.only.groups,
    )
}

/// Phase 2: suite order per version, groups, signature algorithms, ALPN and the fallback
/// SCSV, in parallel.
fn details(ctx: &Ctx, found: &Found, versions: &[ProtocolVersion]) -> Details {
    let supported: Vec<ProtocolVersion> = versions
        .iter()
        .copied()
        .filter(|&v| found.supported(v))
        .collect();
    let legacy_max = found.legacy_max();
    let mut d = Details::default();
    std::thread::scope(|s| {
        let order_hs: Vec<_> = found
            .scans
            .iter()
            .filter(|(_, vs)| vs.supported)
            .map(|(v, vs)| (*v, s.spawn(move || order_suites(ctx, *v, vs))))
            .collect();
        let g = s.spawn(|| groups(ctx, found));
        let gl = s.spawn(|| {
            let both = found.supported(ProtocolVersion::TLS13) && legacy_max.is_some();
            both.then(|| groups_legacy(ctx, found))
        });
        let dhe = s.spawn(|| dhe_probes(ctx, found));
        let sa = s.spawn(|| {
            let v = ProtocolVersion::TLS12;
            if !found.supported(v) {
                return vec![];
            }
            let known = found
                .get(v)
                .map(|s| s.seen_sigalgs.clone())
                .unwrap_or_default();
            sigalgs_tls12(ctx, &found.accepted(v), &known)
        });
        let al = s.spawn(|| legacy_max.and_then(|v| alpn_probe(ctx, v, &found.accepted(v))));
        let fb = s.spawn(|| {
            // The second-highest supported version, offered with the SCSV.
            let lower = *supported.iter().rev().nth(1)?;
            fallback_probe(ctx, lower, &found.accepted(lower))
        });
        for (v, h) in order_hs {
            if let Ok((so, list)) = h.join() {
                d.orders.push((v, so, list));
            }
        }
        d.groups = g.join().unwrap_or_default();
        d.groups_legacy = gl.join().unwrap_or_default();
        d.dhe = dhe.join().unwrap_or_default();
        d.sigalgs = sa.join().unwrap_or_default();
        d.alpn = al.join().unwrap_or_default();
        d.fallback = fb.join().unwrap_or_default();
    });
    d
}

/// The groups of each version, the group of each suite and the weakest DHE group
/// (`kx_groups`).
fn kx_lists(ctx: &Ctx, found: &Found, d: &mut Details, rep: &mut TargetReport) {
    let lists = kx_groups::lists(
        found
            .supported(ProtocolVersion::TLS13)
            .then(|| d.groups.clone()),
        found.legacy_max(),
        d.groups_legacy.take().unwrap_or_else(|| d.groups.clone()),
    );
    let flights: Vec<(ProtocolVersion, Vec<&Flight>)> = found
        .scans
        .iter()
        .map(|(v, s)| (*v, s.flights.iter().collect()))
        .collect();
    let client_order = ctx.groups_from(DEFAULT_GROUPS);
    let l = kx_groups::Lists {
        lists,
        dhe: d.dhe.take(),
        client_order,
    };
    kx_groups::assemble(rep, l, &flights);
}

/// Fills `rep`; returns what was seen of the certificate chain.
fn scan_with(ctx: &Ctx, opts: &ScanOptions, rep: &mut TargetReport) -> trust::Seen {
    let versions = versions_to_probe(opts);
    let found = Found::enumerate(ctx, &versions);
    if !found.answered() {
        // No ServerHello and no alert to any probe: unreachable or not TLS.
        rep.error = Some(found.silence().to_string());
        return trust::Seen::default();
    }
    if !versions.iter().any(|&v| found.supported(v)) {
        // Every probe was refused (with an alert, or a version not asked for): no handshake.
        let alert = found.scans.iter().find_map(|(_, s)| s.first_alert);
        rep.error = Some(
            ScanError::NoHandshake {
                versions: versions.clone(),
                alert,
            }
            .to_string(),
        );
        return trust::Seen::default();
    }
    for (_, s) in &found.scans {
        rep.notes.extend(s.notes.iter().cloned());
        if let Some(e) = &s.connect_error {
            rep.notes.push(format!("a probe failed: {e}"));
        }
    }
    let mut d = details(ctx, &found, &versions);
    rep.protocols = versions
        .iter()
        .map(|&v| {
            let o = d.orders.iter().find(|(x, _, _)| *x == v);
            ProtocolResult {
                version: v,
                supported: found.supported(v),
                server_order: o.and_then(|o| o.1),
                cipher_suites: o.map(|o| o.2.clone()).unwrap_or_default(),
            }
        })
        .collect();
    (rep.groups, rep.groups_server_order) = d.groups.clone();
    rep.signature_algorithms = d.sigalgs.clone();
    kx_lists(ctx, &found, &mut d, rep);

    // Features and certificates from the TLS 1.0-1.2 ServerHellos seen (SSL 3.0 has no
    // extensions, but it has certificates and compression).
    let tls13 = found.supported(ProtocolVersion::TLS13);
    let legacy_flights =
        found.flights(|v| v != ProtocolVersion::TLS13 && v != ProtocolVersion::SSL3);
    let all_legacy = found.flights(|v| v != ProtocolVersion::TLS13);
    rep.features = features::from_flights(&legacy_flights, &all_legacy, tls13, d.fallback, d.alpn);
    rep.certificates = features::leaf_certificates(&all_legacy);
    let full13 = fullhs::complete_handshakes(
        &ctx.conn,
        &ctx.sni,
        &ctx.only.alpn_protocols(),
        rep,
        tls13 && found.legacy_max().is_none(),
        &found.accepted(ProtocolVersion::TLS12),
    );
    client_auth::detect(&ctx.conn, &ctx.sni, &all_legacy, tls13, rep);
    let supported: Vec<ProtocolVersion> = versions
        .iter()
        .copied()
        .filter(|&v| found.supported(v))
        .collect();
    rep.features.unknown =
        features::explain_unknown(&rep.features, &supported, &versions, &rep.notes);
    match full13 {
        Some(f) => trust::Seen {
            chain: f.chain,
            ocsp: f.ocsp_response,
            sct_ext: f.sct_ext,
        },
        None => trust::Seen::from_flights(&all_legacy),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed classification agrees with the schemes' names for every scheme offered.
    #[test]
    fn signing_certificates_of_the_offered_schemes() {
        for &a in DEFAULT_SIGALGS {
            let n = a.to_string();
            let by_name = if n.starts_with("ecdsa") || n.starts_with("ed") {
                Auth::Ecdsa
            } else if n.starts_with("rsa") {
                Auth::Rsa
            } else {
                assert!(n.starts_with("dsa"), "{n}");
                Auth::Dss
            };
            assert_eq!(signing_certificate(a), Some(by_name), "{n}");
        }
    }
}
