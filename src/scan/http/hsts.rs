//! The Strict-Transport-Security header field (RFC 6797 §6.1): directives, case-insensitive
//! names, token or quoted-string values; a field that does not conform is reported as invalid.

use super::head::{clip, is_tchar};
use super::Hsts;

/// Parses one STS field value (RFC 6797 §6.1). An error says why the field is invalid (the
/// user agent then ignores it, §6.1 rule 6, so the site has no HSTS).
pub fn parse(value: &str) -> Result<Hsts, String> {
    let mut max_age: Option<u64> = None;
    let mut include_subdomains = false;
    let mut preload = false;
    let mut seen: Vec<String> = vec![];
    for d in directives(value)? {
        let (name, val) = d;
        let lname = name.to_ascii_lowercase();
        // §6.1 rule 2: every directive appears at most once.
        if seen.contains(&lname) {
            return Err(format!("the directive {name} appears twice"));
        }
        seen.push(lname.clone());
        match lname.as_str() {
            // §6.1.1: max-age = delta-seconds, as a token or a quoted-string.
            "max-age" => {
                let v = val.ok_or("max-age has no value")?;
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!(
                        "max-age is not a number of seconds: {:?}",
                        clip(&v)
                    ));
                }
                // Saturate absurd values instead of failing (delta-seconds has no bound).
                max_age = Some(v.parse::<u64>().unwrap_or(u64::MAX));
            }
            // §6.1.2: includeSubDomains is valueless; preload (hstspreload.org) likewise.
            "includesubdomains" | "preload" => {
                if val.is_some() {
                    return Err(format!("{name} takes no value"));
                }
                if lname == "preload" {
                    preload = true;
                } else {
                    include_subdomains = true;
                }
            }
            // §6.1 rule 5: unknown directives are ignored.
            _ => {}
        }
    }
    let max_age = max_age.ok_or("no max-age directive (it is required)")?;
    Ok(Hsts {
        max_age,
        include_subdomains,
        preload,
    })
}

/// `[ directive ] *( ";" [ directive ] )` with `directive = name [ "=" value ]` and
/// `value = token / quoted-string` (RFC 6797 §6.1, RFC 9110 §5.6.4 for quoted-string).
fn directives(value: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let b = value.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t') {
            *i += 1;
        }
    };
    // Bounded: every step consumes at least one byte or ends.
    while i <= b.len() {
        skip_ws(&mut i);
        let start = i;
        while i < b.len() && is_tchar(b[i]) {
            i += 1;
        }
        let name = &value[start..i];
        skip_ws(&mut i);
        let mut val = None;
        if i < b.len() && b[i] == b'=' {
            if name.is_empty() {
                return Err("a value without a directive name".into());
            }
            i += 1;
            skip_ws(&mut i);
            val = Some(directive_value(b, &mut i)?);
            skip_ws(&mut i);
        }
        if !name.is_empty() {
            out.push((name.to_string(), val));
        }
        match b.get(i) {
            None => break,
            Some(b';') => i += 1,
            Some(&c) => {
                return Err(format!(
                    "unexpected character {:?} in {:?}",
                    c as char,
                    clip(value)
                ))
            }
        }
    }
    Ok(out)
}

/// A token or a quoted-string (its escapes undone) starting at `b[*i]`.
fn directive_value(b: &[u8], i: &mut usize) -> Result<String, String> {
    if b.get(*i) != Some(&b'"') {
        let start = *i;
        while *i < b.len() && is_tchar(b[*i]) {
            *i += 1;
        }
        return Ok(String::from_utf8_lossy(&b[start..*i]).into_owned());
    }
    *i += 1;
    let mut v = vec![];
    while *i < b.len() {
        match b[*i] {
            b'"' => {
                *i += 1;
                return Ok(String::from_utf8_lossy(&v).into_owned());
            }
            b'\\' if *i + 1 < b.len() => {
                v.push(b[*i + 1]);
                *i += 2;
            }
            c => {
                v.push(c);
                *i += 1;
            }
        }
    }
    Err("an unterminated quoted string".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: &str) -> Hsts {
        parse(v).unwrap_or_else(|e| panic!("{v:?}: {e}"))
    }

    #[test]
    fn valid_fields() {
        let h = ok("max-age=63072000; includeSubDomains; preload");
        assert_eq!(
            h,
            Hsts {
                max_age: 63_072_000,
                include_subdomains: true,
                preload: true
            }
        );
        let h = ok("MAX-AGE=\"300\";INCLUDESUBDOMAINS");
        assert_eq!(
            (h.max_age, h.include_subdomains, h.preload),
            (300, true, false)
        );
        assert_eq!(ok(" ; max-age = 0 ;; future=\"a;b\" ; ").max_age, 0);
        assert_eq!(ok("max-age=99999999999999999999999").max_age, u64::MAX);
    }

    #[test]
    fn invalid_fields() {
        for bad in [
            "",
            "includeSubDomains",
            "max-age=10; max-age=20",
            "max-age=abc",
            "max-age=-1",
            "max-age",
            "max-age=\"10",
            "max-age=10, includeSubDomains",
            "max-age=10; includeSubDomains=yes",
            "=10",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
