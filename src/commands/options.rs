//! Turns command-line lists (versions, suites, groups, schemes, ALPN) into core
//! configuration, with a clear usage error for anything unknown.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::CliError;
use crate::cli::{PskArgs, PskModeArg, TlsArgs};
use crate::crypto::kx;
use crate::crypto::sign::SigningKey;
use crate::handshake::config::{
    all_ffdhe_groups, default_client_groups, default_server_groups, default_sigalgs,
    default_versions, CertifiedKey,
};
use crate::handshake::groups;
use crate::handshake::psk::ExternalPsk;
use crate::handshake::{forbidden_hash, suite_params};
use crate::wire::codepoints::{NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme};
use crate::wire::suites::CipherSuite;

fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// Parses `--tls` for connect/listen/demo: 1.0, 1.1, 1.2 and 1.3. TLS 1.0 and 1.1 are used
/// only when listed here (never by default, RFC 8996).
pub fn versions(list: Option<&str>) -> anyhow::Result<Vec<ProtocolVersion>> {
    let Some(list) = list else {
        return Ok(default_versions());
    };
    let mut out = vec![];
    for v in items(list) {
        let pv = match v
            .to_ascii_lowercase()
            .trim_start_matches("tls")
            .trim_start_matches("v")
        {
            "1.0" | "1" | "10" => ProtocolVersion::TLS10,
            "1.1" | "11" => ProtocolVersion::TLS11,
            "1.2" | "12" => ProtocolVersion::TLS12,
            "1.3" | "13" => ProtocolVersion::TLS13,
            _ => {
                return Err(CliError::usage(format!(
                    "--tls: unknown protocol version '{v}' (expected 1.0, 1.1, 1.2 or 1.3)"
                )))
            }
        };
        if !out.contains(&pv) {
            out.push(pv);
        }
    }
    if out.is_empty() {
        return Err(CliError::usage("--tls: the list is empty"));
    }
    Ok(out)
}

/// listen's `--suites`: as [`suites`], but without the flag every implemented suite is served
/// (CCM, CAMELLIA and ARIA only when the client offers nothing preferred).
pub fn listen_suites(
    list: Option<&str>,
    versions: &[ProtocolVersion],
) -> anyhow::Result<Vec<CipherSuite>> {
    match list {
        None => Ok(suite_params::server_suites()),
        Some(_) => suites(list, versions),
    }
}

/// Parses `--suites`; every name must be one tlsprobe can negotiate. Without the flag: the
/// client's default offer.
pub fn suites(
    list: Option<&str>,
    versions: &[ProtocolVersion],
) -> anyhow::Result<Vec<CipherSuite>> {
    let Some(list) = list else {
        return Ok(suite_params::default_suites());
    };
    let mut out = vec![];
    for s in items(list) {
        let cs = CipherSuite::parse_user(s)
            .ok_or_else(|| CliError::usage(format!("--suites: unknown cipher suite '{s}'")))?;
        let p = suite_params::params(cs).ok_or_else(|| {
            CliError::usage(format!(
                "--suites: {cs} is a real suite, but tlsprobe cannot complete a handshake with it (supported: {}); `tlsprobe scan` detects it",
                suite_params::IMPLEMENTED
                    .iter()
                    .map(|p| p.suite.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let _ = p;
        if !out.contains(&cs) {
            out.push(cs);
        }
    }
    let usable = out.iter().any(|s| {
        suite_params::params(*s).is_some_and(|p| versions.iter().any(|v| p.usable_in(*v)))
    });
    if !usable {
        return Err(CliError::usage(
            "--suites: none of these suites can be used with the versions allowed by --tls",
        ));
    }
    Ok(out)
}

/// Parses a `--groups` list: registry names and OpenSSL's (`X25519MLKEM768`, `MLKEM768`,
/// `P-521`, `X448`, `ffdhe2048`, ...), each one tlsprobe can use, in the order given.
fn group_list(list: &str) -> anyhow::Result<Vec<NamedGroup>> {
    let mut out = vec![];
    for g in items(list) {
        let ng = NamedGroup::parse_user(g)
            .ok_or_else(|| CliError::usage(format!("--groups: unknown group '{g}'")))?;
        if !kx::supports(ng) {
            let known: Vec<String> = kx::ALL_GROUPS.iter().map(|g| g.to_string()).collect();
            return Err(CliError::usage(format!(
                "--groups: {ng} is not implemented (supported: {})",
                known.join(", ")
            )));
        }
        if !out.contains(&ng) {
            out.push(ng);
        }
    }
    if out.is_empty() {
        return Err(CliError::usage("--groups: the list is empty"));
    }
    Ok(out)
}

/// Parses `--groups` for connect and demo's client: supported_groups in this order, the first
/// (and, after a KEM first, the first Diffie-Hellman group) with a key share.
pub fn groups(list: Option<&str>) -> anyhow::Result<Vec<NamedGroup>> {
    match list {
        None => Ok(default_client_groups()),
        Some(list) => group_list(list),
    }
}

/// Parses `--groups` for listen. Returns (groups, DHE groups): the groups in preference order
/// for TLS 1.3 (the finite-field ones after the others) and, the curves among them, TLS 1.2
/// ECDHE; the finite-field groups also for TLS 1.2 DHE suites. A list without curves or ML-KEM
/// groups keeps the default ones before its finite-field groups; one without finite-field
/// groups uses none in TLS 1.3 and keeps all five for DHE suites.
pub fn listen_groups(list: Option<&str>) -> anyhow::Result<(Vec<NamedGroup>, Vec<NamedGroup>)> {
    let Some(list) = list else {
        return Ok((default_server_groups(), all_ffdhe_groups()));
    };
    let (ff, other): (Vec<NamedGroup>, Vec<NamedGroup>) = group_list(list)?
        .into_iter()
        .partition(|g| groups::is_ffdhe(*g));
    let mut tls13 = if other.is_empty() {
        default_server_groups()
            .into_iter()
            .filter(|g| !groups::is_ffdhe(*g))
            .collect()
    } else {
        other
    };
    tls13.extend(&ff);
    let dhe = if ff.is_empty() {
        all_ffdhe_groups()
    } else {
        ff
    };
    Ok((tls13, dhe))
}

pub fn sigalgs(list: Option<&str>) -> anyhow::Result<Vec<SignatureScheme>> {
    let Some(list) = list else {
        return Ok(default_sigalgs());
    };
    let mut out = vec![];
    for s in items(list) {
        let ss = SignatureScheme::from_name(s)
            .ok_or_else(|| CliError::usage(format!("--sigalgs: unknown signature scheme '{s}'")))?;
        if forbidden_hash(ss) {
            return Err(CliError::usage(format!(
                "--sigalgs: {ss} signs with MD5 or SHA-1, which RFC 9155 forbids in TLS 1.2 (and TLS 1.3 never allowed); tlsprobe neither offers nor accepts it"
            )));
        }
        if !out.contains(&ss) {
            out.push(ss);
        }
    }
    if out.is_empty() {
        return Err(CliError::usage("--sigalgs: the list is empty"));
    }
    Ok(out)
}

pub fn alpn(list: Option<&str>) -> anyhow::Result<Vec<Vec<u8>>> {
    let Some(list) = list else {
        return Ok(vec![]);
    };
    let out: Vec<Vec<u8>> = items(list).map(|s| s.as_bytes().to_vec()).collect();
    if out.iter().any(|p| p.len() > 255) {
        return Err(CliError::usage(
            "--alpn: a protocol name is longer than 255 bytes",
        ));
    }
    Ok(out)
}

/// Checks a `--sni` value: a non-empty name of at most 253 bytes (RFC 6066 §3 HostName).
/// `dns_only` also refuses IP addresses (listen matches the names clients ask for, and
/// RFC 6066 server names are never addresses; connect may send one on purpose).
pub fn sni(s: &str, dns_only: bool) -> anyhow::Result<()> {
    if s.is_empty() || s.len() > 253 {
        return Err(CliError::usage(format!(
            "--sni '{s}': not a valid server name"
        )));
    }
    if dns_only && s.parse::<std::net::IpAddr>().is_ok() {
        return Err(CliError::usage(format!(
            "--sni '{s}': not a DNS name (RFC 6066 server names are host names)"
        )));
    }
    Ok(())
}

pub fn timeout(secs: f64) -> anyhow::Result<Duration> {
    if !(secs.is_finite() && secs > 0.0 && secs < 1e6) {
        return Err(CliError::usage(format!(
            "--timeout {secs}: must be a positive number of seconds"
        )));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn read_text(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::usage(format!("cannot read {what} {}: {e}", path.display())))
}

/// Loads a certificate chain and its key, and checks that they belong together.
pub fn certified_key(cert: &Path, key: &Path) -> anyhow::Result<CertifiedKey> {
    let chain = crate::pki::pem::parse_cert_chain_pem(&read_text(cert, "certificate file")?)
        .map_err(|e| CliError::usage(format!("{}: {e}", cert.display())))?;
    let k = SigningKey::from_pem(&read_text(key, "key file")?)
        .map_err(|e| CliError::usage(format!("{}: {e}", key.display())))?;
    let spki = crate::handshake::cert_auth::leaf_spki(&chain[0])
        .map_err(|e| CliError::usage(format!("{}: {}", cert.display(), e.message)))?;
    if spki != k.public_key_spki_der() {
        return Err(CliError::usage(format!(
            "the key in {} does not match the certificate in {} (different public keys)",
            key.display(),
            cert.display()
        )));
    }
    Ok(CertifiedKey {
        chain,
        key: Arc::new(k),
    })
}

/// The suites with `--psk`: the TLS 1.2 PSK suites join the defaults (ahead of the other
/// TLS 1.2 suites, after TLS 1.3's); a `--suites` list is kept as given. Without a PSK, PSK
/// suites cannot be used.
pub fn suites_with_psk(
    mut suites: Vec<CipherSuite>,
    args: &TlsArgs,
    psk: bool,
) -> anyhow::Result<Vec<CipherSuite>> {
    let is_psk = |s: &CipherSuite| suite_params::psk_suites().contains(s);
    if !psk && suites.iter().any(is_psk) {
        return Err(CliError::usage("--suites: the PSK suites need --psk"));
    }
    if psk && args.suites.is_none() {
        let at = suites
            .iter()
            .position(|s| suite_params::params(*s).is_some_and(|p| !p.tls13))
            .unwrap_or(suites.len());
        suites.splice(at..at, suite_params::psk_suites());
    }
    Ok(suites)
}

/// `--psk HEX`, `--psk-identity`, `--psk-mode`: the external PSK, if any.
pub fn psk(args: &PskArgs) -> anyhow::Result<Option<ExternalPsk>> {
    let Some(hex) = &args.psk else {
        return Ok(None);
    };
    let digits = hex.trim();
    let digits = digits.strip_prefix("0x").unwrap_or(digits);
    let bad =
        || CliError::usage("--psk: give the key as an even number of hex digits (e.g. 1a2b3c4d)");
    if digits.is_empty() || digits.len() % 2 != 0 || !digits.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(bad());
    }
    let key = (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    let identity = args.psk_identity.as_deref().unwrap_or("Client_identity");
    if identity.is_empty() || identity.len() > 0xffff {
        return Err(CliError::usage("--psk-identity: give 1 to 65535 bytes"));
    }
    let mode = match args.psk_mode {
        PskModeArg::Ke => PskKeyExchangeMode::PSK_KE,
        PskModeArg::DheKe => PskKeyExchangeMode::PSK_DHE_KE,
    };
    Ok(Some(ExternalPsk::new(
        identity.as_bytes().to_vec(),
        key,
        mode,
    )))
}

/// Where key-log lines go: --keylog, else SSLKEYLOGFILE.
pub fn keylog_path(args: &TlsArgs) -> Option<std::path::PathBuf> {
    args.keylog.clone().or_else(|| {
        std::env::var_os("SSLKEYLOGFILE")
            .filter(|v| !v.is_empty())
            .map(Into::into)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        assert_eq!(versions(Some("1.3")).unwrap(), vec![ProtocolVersion::TLS13]);
        assert_eq!(
            versions(Some("1.0,tls1.1,1.2")).unwrap(),
            vec![
                ProtocolVersion::TLS10,
                ProtocolVersion::TLS11,
                ProtocolVersion::TLS12
            ]
        );
        assert!(!default_versions().contains(&ProtocolVersion::TLS11));
        assert!(!default_versions().contains(&ProtocolVersion::TLS10));
        assert!(versions(Some("2.0")).is_err());
        let v = default_versions();
        assert_eq!(
            suites(Some("ECDHE-RSA-AES128-GCM-SHA256,0x1301"), &v).unwrap(),
            vec![CipherSuite(0xc02f), CipherSuite(0x1301)]
        );
        assert!(suites(Some("NOPE"), &v).is_err());
        assert_eq!(
            suites(Some("AES128-SHA"), &v).unwrap(),
            vec![CipherSuite(0x002f)]
        );
        assert!(suites(Some("AES128-SHA256"), &[ProtocolVersion::TLS10]).is_err());
        assert!(suites(Some("DES-CBC3-SHA"), &v).is_err());
        assert!(suites(Some("0x1301"), &[ProtocolVersion::TLS12]).is_err());
        assert_eq!(groups(Some("P-256")).unwrap(), vec![NamedGroup::SECP256R1]);
        assert_eq!(
            groups(Some("X25519MLKEM768,SecP256r1MLKEM768,SecP384r1MLKEM1024")).unwrap(),
            vec![
                NamedGroup::X25519MLKEM768,
                NamedGroup::SECP256R1MLKEM768,
                NamedGroup::SECP384R1MLKEM1024
            ]
        );
        assert_eq!(
            groups(Some("MLKEM512,mlkem768,MLKEM1024,P-521,X448,ffdhe8192")).unwrap(),
            vec![
                NamedGroup::MLKEM512,
                NamedGroup::MLKEM768,
                NamedGroup::MLKEM1024,
                NamedGroup::SECP521R1,
                NamedGroup::X448,
                NamedGroup::FFDHE8192
            ]
        );
        assert_eq!(
            groups(None).unwrap()[..2],
            [NamedGroup::X25519MLKEM768, NamedGroup::X25519]
        );
        let not_implemented = groups(Some("brainpoolP256r1")).unwrap_err().to_string();
        assert!(
            not_implemented.contains("not implemented"),
            "{not_implemented}"
        );
        assert!(groups(Some("nope")).is_err());
        let (all, ff) = listen_groups(Some("ffdhe3072,x25519,ffdhe2048")).unwrap();
        assert_eq!(
            all,
            vec![
                NamedGroup::X25519,
                NamedGroup::FFDHE3072,
                NamedGroup::FFDHE2048
            ]
        );
        assert_eq!(ff, vec![NamedGroup::FFDHE3072, NamedGroup::FFDHE2048]);
        let (all, ff) = listen_groups(None).unwrap();
        assert_eq!(all, default_server_groups());
        assert_eq!(all[0], NamedGroup::X25519MLKEM768);
        assert_eq!(ff, all_ffdhe_groups());
        let (all, ff) = listen_groups(Some("x25519")).unwrap();
        assert_eq!((all, ff), (vec![NamedGroup::X25519], all_ffdhe_groups()));
        let (all, ff) = listen_groups(Some("ffdhe4096")).unwrap();
        assert_eq!(all.last(), Some(&NamedGroup::FFDHE4096));
        assert_eq!(all[0], NamedGroup::X25519MLKEM768);
        assert_eq!(ff, vec![NamedGroup::FFDHE4096]);
        assert!(sigalgs(Some("ed25519,foo")).is_err());
        for sha1 in ["rsa_pkcs1_sha1", "ecdsa_sha1", "rsa_pkcs1_md5"] {
            let e = sigalgs(Some(&format!("ed25519,{sha1}"))).unwrap_err();
            assert!(e.to_string().contains("RFC 9155"), "{e}");
        }
        assert!(timeout(0.0).is_err());
    }
}
