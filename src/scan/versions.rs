//! Phase 1 of a scan: which versions the server speaks and which suites it accepts in each
//! ("offer all remaining, remove the one chosen, repeat", in chunks so hellos stay small),
//! then the server's preference order among them (RFC 8446 §4.1.1, RFC 5246 §7.4.1.3: the
//! server picks; a server that follows the client's order picks the first offered).

use super::engine::Ctx;
use super::error::Silence;
use super::probe::{Flight, Outcome, DEFAULT_GROUPS};
use crate::error::Alert;
use crate::net::OpenError;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, SignatureScheme};
use crate::wire::suites::CipherSuite;

/// The result of enumerating one version.
#[derive(Debug, Default)]
pub(super) struct VersionScan {
    pub(super) supported: bool,
    /// Pick sequence of each chunk.
    pub(super) seqs: Vec<Vec<CipherSuite>>,
    pub(super) flights: Vec<Flight>,
    pub(super) connect_error: Option<OpenError>,
    pub(super) answered: bool,
    /// Last reason a probe got no TLS answer.
    pub(super) silent_reason: Option<Silence>,
    /// The first alert a probe was refused with.
    pub(super) first_alert: Option<Alert>,
    /// Signature schemes and groups seen in ServerKeyExchanges along the way.
    pub(super) seen_sigalgs: Vec<SignatureScheme>,
    pub(super) seen_groups: Vec<NamedGroup>,
    pub(super) notes: Vec<String>,
}

/// Whether a flight is a usable answer for version `v`: a ServerHello of that version, or for
/// TLS 1.3 a HelloRetryRequest, which names the chosen suite too (RFC 8446 §4.1.4) and is
/// what a server sends when it prefers a group the probe sent no key share for.
pub(super) fn answers_version(f: &Flight, v: ProtocolVersion) -> bool {
    f.version == v && (!f.hrr || v == ProtocolVersion::TLS13)
}

pub(super) fn enumerate_version(ctx: &Ctx, v: ProtocolVersion) -> VersionScan {
    let mut out = VersionScan::default();
    for (ci, chunk) in ctx.suite_chunks(v).into_iter().enumerate() {
        let mut remaining = chunk;
        let mut seq = vec![];
        // Bounded: at most one probe per suite in the chunk, plus the final refusal.
        for _ in 0..=remaining.len() {
            if remaining.is_empty() {
                break;
            }
            let mut h = ctx.hello(v, remaining.clone());
            // Offer every scheme and group, the ones not seen yet first: a server that follows
            // the client's order then reveals a new one with each ECDHE/DHE suite found, which
            // saves most of the dedicated probes later. Suite selection is unaffected.
            if v == ProtocolVersion::TLS12 {
                h.sigalgs = unseen_first(&h.sigalgs, &out.seen_sigalgs);
            }
            if v != ProtocolVersion::TLS13 {
                h.groups = unseen_first(&ctx.groups_from(DEFAULT_GROUPS), &out.seen_groups);
            }
            match ctx.probe(&h, v != ProtocolVersion::TLS13) {
                Err(e) => {
                    out.connect_error = Some(e);
                    out.seqs.push(seq);
                    return out;
                }
                Ok(Outcome::Hello(f)) => {
                    out.answered = true;
                    if !answers_version(&f, v) {
                        // A different version (or a HelloRetryRequest): not this version.
                        break;
                    }
                    let s = f.suite();
                    if let Some(pos) = remaining.iter().position(|&x| x == s) {
                        remaining.remove(pos);
                        seq.push(s);
                        out.supported = true;
                        if let Some(k) = &f.ske {
                            if let Some(a) = k.scheme.filter(|a| !out.seen_sigalgs.contains(a)) {
                                out.seen_sigalgs.push(a);
                            }
                            if let Some(g) = k.group.filter(|g| !out.seen_groups.contains(g)) {
                                out.seen_groups.push(g);
                            }
                        }
                        out.flights.push(*f);
                    } else {
                        out.notes.push(format!(
                            "{v}: the server chose {} which was not offered",
                            suite_name(s)
                        ));
                        break;
                    }
                }
                Ok(Outcome::Alert(a)) => {
                    out.answered = true;
                    out.first_alert.get_or_insert(a);
                    if ci == 0 && seq.is_empty() && a == Alert::ProtocolVersion {
                        out.seqs.push(seq);
                        return out;
                    }
                    break;
                }
                Ok(Outcome::Closed) => {
                    out.silent_reason = Some(Silence::Closed);
                    break;
                }
                Ok(Outcome::Timeout) => {
                    out.silent_reason = Some(Silence::Timeout);
                    break;
                }
                Ok(Outcome::Malformed(m)) => {
                    out.silent_reason = Some(Silence::NotTls(m));
                    break;
                }
            }
        }
        out.seqs.push(seq);
    }
    out
}

/// Offers `[b, a]` (client order prefers b) and returns the server's pick.
fn pick_of_two(
    ctx: &Ctx,
    v: ProtocolVersion,
    a: CipherSuite,
    b: CipherSuite,
) -> Option<CipherSuite> {
    let h = ctx.hello(v, vec![b, a]);
    match ctx.probe(&h, false) {
        Ok(Outcome::Hello(f)) if answers_version(&f, v) => Some(f.suite()),
        _ => None,
    }
}

/// Decides server order and, if enforced, the full preference order for one version.
pub(super) fn order_suites(
    ctx: &Ctx,
    v: ProtocolVersion,
    vs: &VersionScan,
) -> (Option<bool>, Vec<CipherSuite>) {
    let mut table: Vec<CipherSuite> = vs.seqs.iter().flatten().copied().collect();
    table.sort();
    // The first two picks of one chunk: a pick sequence is descending server preference
    // when the server enforces its order, ascending client (table) order otherwise.
    let Some(seq) = vs.seqs.iter().find(|s| s.len() >= 2) else {
        if table.len() < 2 {
            return (None, table);
        }
        // One pick per chunk: offer the first two both ways round.
        let (a, b) = (table[0], table[1]);
        return match (pick_of_two(ctx, v, a, b), pick_of_two(ctx, v, b, a)) {
            (Some(x), Some(y)) if x == y => (Some(true), insert_sorted(ctx, v, vs)),
            (Some(_), Some(_)) => (Some(false), table),
            _ => (None, table),
        };
    };
    let (p1, p2) = (seq[0], seq[1]);
    match pick_of_two(ctx, v, p1, p2) {
        Some(p) if p == p1 => (Some(true), insert_sorted(ctx, v, vs)),
        Some(p) if p == p2 => (Some(false), table),
        _ => (None, table),
    }
}

/// Merges the per-chunk pick sequences (each already in server order) into one server
/// order by binary insertion with two-suite probes.
fn insert_sorted(ctx: &Ctx, v: ProtocolVersion, vs: &VersionScan) -> Vec<CipherSuite> {
    let mut seqs = vs.seqs.iter().filter(|s| !s.is_empty());
    let mut ranked: Vec<CipherSuite> = seqs.next().cloned().unwrap_or_default();
    for seq in seqs {
        let mut lo = 0;
        for &s in seq {
            let mut hi = ranked.len();
            while lo < hi {
                let mid = (lo + hi) / 2;
                // Does the server prefer s over ranked[mid]?
                match pick_of_two(ctx, v, ranked[mid], s) {
                    Some(p) if p == s => hi = mid,
                    _ => lo = mid + 1,
                }
            }
            ranked.insert(lo, s);
            lo += 1;
        }
    }
    ranked
}

/// `all` reordered with the items not in `seen` first.
pub(super) fn unseen_first<T: Copy + PartialEq>(all: &[T], seen: &[T]) -> Vec<T> {
    let mut v: Vec<T> = all.iter().copied().filter(|x| !seen.contains(x)).collect();
    v.extend(all.iter().copied().filter(|x| seen.contains(x)));
    v
}

/// "Offer all remaining, remove the chosen" over items, with `probe` returning the pick.
pub(super) fn enumerate<T: Copy + PartialEq>(
    candidates: &[T],
    probe: impl FnMut(&[T]) -> Option<T>,
) -> Vec<T> {
    enumerate_from(candidates, &[], probe)
}

/// Like [`enumerate`], with `known` picks already found (they are not offered again).
pub(super) fn enumerate_from<T: Copy + PartialEq>(
    candidates: &[T],
    known: &[T],
    mut probe: impl FnMut(&[T]) -> Option<T>,
) -> Vec<T> {
    let mut remaining: Vec<T> = candidates
        .iter()
        .copied()
        .filter(|c| !known.contains(c))
        .collect();
    let mut picks: Vec<T> = known
        .iter()
        .copied()
        .filter(|k| candidates.contains(k))
        .collect();
    for _ in 0..candidates.len() {
        if remaining.is_empty() {
            break;
        }
        match probe(&remaining) {
            Some(p) => match remaining.iter().position(|&x| x == p) {
                Some(i) => {
                    remaining.remove(i);
                    picks.push(p);
                }
                None => break,
            },
            None => break,
        }
    }
    picks
}

fn suite_name(s: CipherSuite) -> String {
    s.name()
        .map(str::to_string)
        .unwrap_or_else(|| format!("0x{:04x}", s.0))
}
