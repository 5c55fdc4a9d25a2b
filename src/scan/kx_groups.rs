//! Key-exchange groups per protocol version (TLS 1.3 and TLS 1.2 may differ) and the group
//! each suite found uses, assembled from the enumerations (RFC 8446 §4.1.4 HelloRetryRequest,
//! RFC 8422 §5.4 ServerKeyExchange curves, RFC 7919 §4 ffdhe) and the probes' flights; also
//! the weakest DHE group (`scan::dh`).

use super::dh::{self, DheProbes};
use super::probe::Flight;
use super::TargetReport;
use crate::wire::codepoints::{NamedGroup, ProtocolVersion};
use crate::wire::suites::{CipherSuite, Kx};

/// One version's groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionGroups {
    pub version: Option<ProtocolVersion>,
    /// The groups enumerated for this version (TLS 1.3: by HelloRetryRequest; TLS 1.2 and
    /// older: the ECDHE curves, then the RFC 7919 groups the server picks for DHE); `None`
    /// when this version's groups were not enumerated.
    pub groups: Option<Vec<NamedGroup>>,
    /// For each suite found: the group a client offering every group gets with it (a curve or
    /// group name, "custom-BITS" for a DHE prime of no known group); suites without
    /// (EC)DHE are left out.
    pub suite_groups: Vec<(CipherSuite, String)>,
}

/// What the enumerations found, per version: the groups and whether the server enforces
/// their order.
pub struct Lists {
    pub lists: Vec<(ProtocolVersion, Vec<NamedGroup>, Option<bool>)>,
    /// The DHE probes and the version they ran at.
    pub dhe: Option<(ProtocolVersion, DheProbes)>,
    /// The order the probes offered the groups in (the client's order).
    pub client_order: Vec<NamedGroup>,
}

/// The lists per version: TLS 1.3's (`tls13`, when supported) and that of the newest
/// version before it (`legacy`: the ECDHE curves found at `legacy_max`).
pub fn lists(
    tls13: Option<(Vec<NamedGroup>, Option<bool>)>,
    legacy_max: Option<ProtocolVersion>,
    legacy: (Vec<NamedGroup>, Option<bool>),
) -> Vec<(ProtocolVersion, Vec<NamedGroup>, Option<bool>)> {
    let mut out = vec![];
    if let Some((g, o)) = tls13 {
        out.push((ProtocolVersion::TLS13, g, o));
    }
    if let Some(v) = legacy_max {
        out.push((v, legacy.0, legacy.1));
    }
    out
}

/// The curve an ECDHE handshake with every curve offered gets: the server's first when it
/// enforces its order, else the first the client offers among those the server has.
fn preferred(
    list: &[NamedGroup],
    server_order: Option<bool>,
    client: &[NamedGroup],
) -> Option<NamedGroup> {
    let curves: Vec<NamedGroup> = list
        .iter()
        .copied()
        .filter(|g| !dh::FFDHE.contains(g))
        .collect();
    if server_order == Some(true) || curves.len() < 2 {
        return curves.first().copied();
    }
    client.iter().copied().find(|g| curves.contains(g))
}

/// The group of each (EC)DHE or TLS 1.3 suite of one version, from the flights that found it.
fn suite_groups(
    v: ProtocolVersion,
    flights: &[&Flight],
    list: Option<&(ProtocolVersion, Vec<NamedGroup>, Option<bool>)>,
    client: &[NamedGroup],
) -> Vec<(CipherSuite, String)> {
    let mut out: Vec<(CipherSuite, String)> = vec![];
    let ecdhe = list.and_then(|(_, l, o)| preferred(l, *o, client));
    for f in flights {
        let s = f.suite();
        if out.iter().any(|(x, _)| *x == s) {
            continue;
        }
        let g = if v == ProtocolVersion::TLS13 {
            f.key_share_group().map(|g| g.to_string())
        } else {
            match s.info().map(|i| i.kx) {
                Some(Kx::Dhe) => f
                    .ske
                    .as_ref()
                    .and_then(|k| k.dh_p.as_deref())
                    .map(|p| dh::identify(p).label()),
                // The enumerated list says which curve a full offer gets; the flight that
                // found the suite offered the curves not seen yet first.
                Some(Kx::Ecdhe) => ecdhe
                    .or_else(|| f.ske.as_ref().and_then(|k| k.group))
                    .map(|g| g.to_string()),
                _ => None,
            }
        };
        if let Some(g) = g {
            out.push((s, g));
        }
    }
    out
}

/// Fills `rep.version_groups`, `rep.dh` (the weakest DHE group seen: the flights, and the
/// probe without RFC 7919 groups) and `rep.dh_min_bits` (its size).
pub fn assemble(rep: &mut TargetReport, found: Lists, flights: &[(ProtocolVersion, Vec<&Flight>)]) {
    let mut lists = found.lists;
    if let Some((v, probes)) = &found.dhe {
        if let Some(l) = lists.iter_mut().find(|(x, _, _)| x == v) {
            for &g in &probes.ffdhe {
                if !l.1.contains(&g) {
                    l.1.push(g);
                }
            }
        }
    }
    let mut seen = dh::from_flights(flights.iter().flat_map(|(_, f)| f.iter().copied()));
    seen.extend(found.dhe.as_ref().and_then(|(_, p)| p.legacy.clone()));
    rep.dh = dh::weakest(seen);
    rep.dh_min_bits = rep.dh.as_ref().map(|d| d.bits);
    rep.version_groups = rep
        .protocols
        .iter()
        .filter(|p| p.supported)
        .map(|p| {
            let v = p.version;
            let list = lists.iter().find(|(x, _, _)| *x == v);
            let fl = flights
                .iter()
                .find(|(x, _)| *x == v)
                .map(|(_, f)| f.as_slice())
                .unwrap_or(&[]);
            VersionGroups {
                version: Some(v),
                groups: list.map(|l| l.1.clone()),
                suite_groups: suite_groups(v, fl, list, &found.client_order),
            }
        })
        .collect();
}

/// The groups of version `v` (for rendering), if it is supported.
pub fn of_version(rep: &TargetReport, v: ProtocolVersion) -> Option<&VersionGroups> {
    rep.version_groups.iter().find(|g| g.version == Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferred_curve_follows_who_decides() {
        let client = [
            NamedGroup::X25519,
            NamedGroup::SECP256R1,
            NamedGroup::SECP384R1,
        ];
        let server = [
            NamedGroup::SECP384R1,
            NamedGroup::X25519,
            NamedGroup::FFDHE2048,
        ];
        assert_eq!(
            preferred(&server, Some(true), &client),
            Some(NamedGroup::SECP384R1)
        );
        assert_eq!(
            preferred(&server, Some(false), &client),
            Some(NamedGroup::X25519)
        );
        assert_eq!(preferred(&server, None, &client), Some(NamedGroup::X25519));
        assert_eq!(preferred(&[NamedGroup::FFDHE2048], None, &client), None);
        assert_eq!(preferred(&[], Some(true), &client), None);
    }
}
