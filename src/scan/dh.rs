//! Finite-field Diffie-Hellman strength: the size of the DHE prime a server uses and whether
//! it is a well-known group (RFC 7919 ffdhe, RFC 3526 MODP, common server defaults) or custom,
//! the RFC 7919 groups a TLS 1.2 server honours, and the weakest DHE group seen.

use super::probe::{Conn, Flight, Hello, Outcome};
use crate::crypto::dh::known_group;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::suites::{CipherSuite, Kx};

/// The DHE parameters of the weakest DHE key exchange seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhInfo {
    /// Size of the prime in bits.
    pub bits: usize,
    /// The well-known group's name, as connect's summary names it (`crypto::dh_groups`:
    /// "ffdhe2048", "modp_2048", "rfc2409_group2", "dh_2048_256"), or "custom".
    pub group: String,
    /// Where the well-known group is defined (e.g. "RFC 2409 Oakley group 2 (1024-bit
    /// MODP)"); `None` for a custom prime.
    pub source: Option<&'static str>,
}

impl DhInfo {
    /// Whether the prime is a published one many servers share: a 1024-bit shared prime is
    /// worse than a custom one, one precomputation breaks them all (Logjam, "Imperfect
    /// Forward Secrecy", 2015).
    pub fn shared(&self) -> bool {
        self.source.is_some()
    }

    /// The group as one word for per-suite lists: its name, or "custom-BITS".
    pub fn label(&self) -> String {
        if self.shared() {
            self.group.clone()
        } else {
            format!("custom-{}", self.bits)
        }
    }
}

/// The explanation of the Logjam finding for a DHE group under 2048 bits.
pub fn finding_detail(d: &DhInfo) -> String {
    let what = match d.source {
        Some(src) => format!(
            "the well-known {}-bit group {} ({src}), shared by many servers: one precomputation \
             breaks them all",
            d.bits, d.group
        ),
        None => format!("a custom {}-bit group", d.bits),
    };
    format!("DHE key exchange with {what} (Logjam; fewer than 2048 bits)")
}

/// The prime without leading zero bytes.
fn trimmed(p: &[u8]) -> &[u8] {
    let lead = p.iter().position(|&b| b != 0).unwrap_or(p.len());
    &p[lead..]
}

/// Size of a big-endian prime in bits.
pub fn prime_bits(p: &[u8]) -> usize {
    let p = trimmed(p);
    match p.first() {
        Some(&b) => p.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

/// Names a DHE prime (dh_p of a ServerKeyExchange, RFC 5246 §7.4.3): a well-known group or
/// "custom".
pub fn identify(p: &[u8]) -> DhInfo {
    let known = known_group(trimmed(p));
    DhInfo {
        bits: prime_bits(p),
        group: known.map_or("custom", |k| k.name).to_string(),
        source: known.map(|k| k.description),
    }
}

/// The RFC 7919 named group whose prime `p` is, if any.
pub fn ffdhe_group(p: &[u8]) -> Option<NamedGroup> {
    let name = identify(p).group;
    FFDHE.iter().copied().find(|g| g.to_string() == name)
}

/// The RFC 7919 groups (supported_groups code points 256-260).
pub const FFDHE: [NamedGroup; 5] = [
    NamedGroup::FFDHE2048,
    NamedGroup::FFDHE3072,
    NamedGroup::FFDHE4096,
    NamedGroup::FFDHE6144,
    NamedGroup::FFDHE8192,
];

/// The weakest of several DHE groups: fewest bits; at equal size a shared (well-known) prime
/// before a custom one.
pub fn weakest(seen: impl IntoIterator<Item = DhInfo>) -> Option<DhInfo> {
    seen.into_iter().min_by_key(|d| (d.bits, !d.shared()))
}

/// The DHE primes of the flights (those that chose a DHE suite).
pub fn from_flights<'a>(flights: impl IntoIterator<Item = &'a Flight>) -> Vec<DhInfo> {
    flights
        .into_iter()
        .filter_map(|f| f.ske.as_ref().and_then(|s| s.dh_p.as_deref()))
        .map(identify)
        .collect()
}

/// What the DHE probes found at one version.
#[derive(Debug, Default)]
pub struct DheProbes {
    /// The group a client that offers no RFC 7919 group gets (most clients); `None` when the
    /// probe got no DHE ServerKeyExchange.
    pub legacy: Option<DhInfo>,
    /// The RFC 7919 groups the server picks when offered (RFC 7919 §4), in pick order.
    pub ffdhe: Vec<NamedGroup>,
}

/// The DHE suites among `suites`.
pub fn dhe_suites(suites: &[CipherSuite]) -> Vec<CipherSuite> {
    suites
        .iter()
        .copied()
        .filter(|s| s.info().is_some_and(|i| i.kx == Kx::Dhe))
        .collect()
}

/// The DHE probes at version `v` (see [`probe_dhe`]) when the server accepted DHE suites
/// there: `accepted` its suites, `flights` the enumeration's flights of that version, `only`
/// the groups the scan is narrowed to (`--groups`).
pub fn probe_version(
    conn: &Conn,
    hello: &dyn Fn(ProtocolVersion, Vec<CipherSuite>) -> Hello,
    v: ProtocolVersion,
    accepted: &[CipherSuite],
    flights: &[&Flight],
    only: &Option<Vec<NamedGroup>>,
) -> Option<(ProtocolVersion, DheProbes)> {
    let suites = dhe_suites(accepted);
    if suites.is_empty() {
        return None;
    }
    let ffdhe = super::Narrow::keep(only, &FFDHE);
    let known: Vec<NamedGroup> = flights
        .iter()
        .filter_map(|f| f.ske.as_ref()?.dh_p.as_deref().and_then(ffdhe_group))
        .collect();
    Some((v, probe_dhe(conn, hello, v, &suites, &ffdhe, &known)))
}

/// Probes DHE at version `v` with the server's DHE `suites`: one hello without any RFC 7919
/// group (the server's own parameters, RFC 7919 §4's "legacy" client), then the ffdhe groups
/// the server honours, offering the remaining ones until it picks none (at most 6
/// connections). `hello` builds a probe hello (narrowed as the scan is); `ffdhe` the groups to
/// try; `known` those the enumeration's flights showed.
pub fn probe_dhe(
    conn: &Conn,
    hello: &dyn Fn(ProtocolVersion, Vec<CipherSuite>) -> Hello,
    v: ProtocolVersion,
    suites: &[CipherSuite],
    ffdhe: &[NamedGroup],
    known: &[NamedGroup],
) -> DheProbes {
    let mut out = DheProbes::default();
    if suites.is_empty() {
        return out;
    }
    let dh_p = |groups: Vec<NamedGroup>| -> Option<Vec<u8>> {
        let mut h = hello(v, suites.to_vec());
        h.groups = groups;
        match conn.probe(&h, true) {
            Ok(Outcome::Hello(f)) if f.version == v && !f.hrr => f.ske.and_then(|s| s.dh_p),
            _ => None,
        }
    };
    // The groups the scan offers (narrowed by --groups), without the finite-field ones.
    let mut curves = hello(v, vec![]).groups;
    curves.retain(|g| !FFDHE.contains(g));
    out.legacy = dh_p(curves).map(|p| identify(&p));
    // The groups the enumeration's flights already showed; a probe still follows, to tell a
    // server that honours the offer from one whose own prime is an ffdhe group.
    out.ffdhe = ffdhe
        .iter()
        .copied()
        .filter(|g| known.contains(g))
        .collect();
    let mut remaining: Vec<NamedGroup> = ffdhe
        .iter()
        .copied()
        .filter(|g| !out.ffdhe.contains(g))
        .collect();
    // Bounded: one probe per group, plus the one that picks none.
    for _ in 0..=ffdhe.len() {
        if remaining.is_empty() {
            break;
        }
        let Some(p) = dh_p(remaining.clone()) else {
            break;
        };
        // A prime that is none of the groups offered: the server ignores the offer and uses
        // its own parameters, whatever they are (RFC 7919 §4 forbids a DHE suite then), so
        // the groups it seemed to pick before were its own too.
        let Some(i) = ffdhe_group(&p).and_then(|g| remaining.iter().position(|&x| x == g)) else {
            out.ffdhe.clear();
            break;
        };
        let g = remaining[i];
        remaining.remove(i);
        out.ffdhe.push(g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prime(name: &str) -> Vec<u8> {
        let k = crate::crypto::dh_groups::KNOWN
            .iter()
            .find(|k| k.name == name)
            .unwrap();
        crate::crypto::dh::group_bytes(k).0
    }

    #[test]
    fn primes_are_named_or_custom() {
        let mut p = prime("ffdhe2048");
        assert_eq!(identify(&p).group, "ffdhe2048");
        assert_eq!(ffdhe_group(&p), Some(NamedGroup::FFDHE2048));
        p.insert(0, 0); // a leading zero byte changes nothing
        assert_eq!(identify(&p).bits, 2048);
        let m = identify(&prime("rfc2409_group2"));
        assert_eq!(
            (m.bits, m.shared(), m.label().as_str()),
            (1024, true, "rfc2409_group2")
        );
        assert_eq!(ffdhe_group(&prime("modp_2048")), None);
        let mut c = prime("rfc2409_group2");
        c[100] ^= 2;
        let c = identify(&c);
        assert_eq!(
            (c.group.as_str(), c.label().as_str()),
            ("custom", "custom-1024")
        );
        assert_eq!(identify(&[]).bits, 0);
    }

    #[test]
    fn weakest_prefers_fewer_bits_then_shared() {
        let custom = identify(&[0xff; 128]);
        let shared = identify(&prime("rfc2409_group2"));
        let big = identify(&prime("ffdhe3072"));
        let w = weakest([big.clone(), custom.clone(), shared.clone()]).unwrap();
        assert_eq!(w, shared);
        assert_eq!(weakest([big.clone(), custom.clone()]), Some(custom));
        assert_eq!(weakest(Vec::new()), None);
    }
}
