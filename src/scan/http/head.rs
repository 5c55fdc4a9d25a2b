//! The head of an HTTP/1.1 response (RFC 9112 §2-§5): where it ends, its status line and its
//! field lines, read from bytes without trusting them.

/// A response head: the status code and the field lines in order (names as sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub fields: Vec<(String, String)>,
}

impl Head {
    /// The values of every field named `name` (case-insensitive, RFC 9110 §5.1), in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of the field `name`.
    pub fn first<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.all(name).next()
    }
}

/// The length of the head in `buf` up to and including the empty line that ends it, once it
/// is all there. RFC 9112 §2.2 lets a recipient take a bare LF as a line end.
pub fn end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(p) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + p;
        // The line that starts after this LF: empty (LF or CRLF) ends the head.
        match buf.get(nl + 1..) {
            Some([b'\n', ..]) => return Some(nl + 2),
            Some([b'\r', b'\n', ..]) => return Some(nl + 3),
            _ => i = nl + 1,
        }
    }
    None
}

/// Parses a complete head (as [`end`] delimits it). The error says why it is not an HTTP/1.x
/// response.
pub fn parse(head: &[u8]) -> Result<Head, String> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let status = status_line(lines.next().unwrap_or(""))?;
    let mut fields: Vec<(String, String)> = vec![];
    for line in lines.take_while(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            // obs-fold: a client replaces it with SP before interpreting (RFC 9112 §5.2).
            match fields.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim_matches([' ', '\t']));
                }
                None => return Err("a folded line before any header field".into()),
            }
            continue;
        }
        // field-line = field-name ":" OWS field-value OWS; no whitespace before the colon
        // (RFC 9112 §5.1): such a line is not a field line and is ignored here.
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("a header line without a colon: {:?}", clip(line)));
        };
        if name.is_empty() || !name.bytes().all(is_tchar) {
            continue;
        }
        fields.push((
            name.to_string(),
            value.trim_matches([' ', '\t']).to_string(),
        ));
    }
    Ok(Head { status, fields })
}

/// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); the reason
/// (and the SP before it) is tolerated missing.
fn status_line(line: &str) -> Result<u16, String> {
    let not_http = || format!("not an HTTP/1.x status line: {:?}", clip(line));
    let rest = line.strip_prefix("HTTP/").ok_or_else(not_http)?;
    let (version, rest) = rest.split_once(' ').ok_or_else(not_http)?;
    let v = version.as_bytes();
    if !(v.len() == 3 && v[0] == b'1' && v[1] == b'.' && v[2].is_ascii_digit()) {
        return Err(not_http());
    }
    let code = rest.get(..3).ok_or_else(not_http)?;
    let after = &rest[3..];
    if !code.bytes().all(|b| b.is_ascii_digit()) || !(after.is_empty() || after.starts_with(' ')) {
        return Err(not_http());
    }
    code.parse::<u16>()
        .ok()
        .filter(|c| (100..=599).contains(c))
        .ok_or_else(not_http)
}

/// token characters (RFC 9110 §5.6.2).
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// At most 60 characters of peer text, for a note.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_ends_at_the_empty_line() {
        let r = b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody";
        assert_eq!(end(r), Some(r.len() - 4));
        assert_eq!(end(b"HTTP/1.1 200 OK\nA: b\n\nbody"), Some(22));
        assert_eq!(end(b"HTTP/1.1 200 OK\r\nA: b\r\n"), None);
        assert_eq!(end(b""), None);
    }

    #[test]
    fn status_and_fields() {
        let h =
            parse(b"HTTP/1.1 301 Moved\r\nServer: nginx\r\nX-A:  1 \r\n folded\r\n\r\n").unwrap();
        assert_eq!(h.status, 301);
        assert_eq!(h.first("server"), Some("nginx"));
        assert_eq!(h.first("x-a"), Some("1 folded"));
        assert_eq!(parse(b"HTTP/1.0 200\r\n\r\n").unwrap().status, 200);
    }

    #[test]
    fn not_http() {
        for bad in [
            &b"SSH-2.0-OpenSSH\r\n\r\n"[..],
            b"HTTP/2 200\r\n\r\n",
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTP/1.1 099 x\r\n\r\n",
            b"HTTP/1.1 abc x\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            b"\r\n\r\n",
        ] {
            assert!(parse(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        // Whitespace before the colon: the line is dropped, not taken as a field.
        let h = parse(b"HTTP/1.1 200 OK\r\nServer : x\r\n\r\n").unwrap();
        assert_eq!(h.first("server"), None);
    }
}
