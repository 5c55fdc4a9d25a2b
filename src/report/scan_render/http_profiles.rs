//! The human lines of a scan's HTTP answer (status, Server, HSTS, compression) and of the
//! Mozilla profiles (one line each).

use std::fmt::Write;

use colored::Colorize;

use crate::scan::http::HttpInfo;
use crate::scan::profiles::{self, ProfileResult};
use crate::scan::TargetReport;

/// The HTTP line (when a GET was sent) and the profile lines (when evaluated).
pub fn human(o: &mut String, r: &TargetReport, color: bool) {
    if let Some(h) = &r.http {
        let _ = writeln!(o, "\nHTTP (GET /): {}", http_line(h));
    }
    if r.profiles.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\nMozilla TLS profiles (guidelines {}):",
        profiles::guidelines_version()
    );
    for p in &r.profiles {
        let _ = writeln!(o, "  {:<13} {}", p.name, profile_line(p, color));
    }
}

fn http_line(h: &HttpInfo) -> String {
    let Some(status) = h.status else {
        return "no answer (see notes)".into();
    };
    let hsts = match &h.hsts {
        Some(x) => format!(
            "HSTS max-age={}{}{}",
            x.max_age,
            if x.include_subdomains {
                "; includeSubDomains"
            } else {
                ""
            },
            if x.preload { "; preload" } else { "" }
        ),
        None => "no HSTS".into(),
    };
    let server = h.server.as_deref().unwrap_or("not named");
    let compression = match &h.compression {
        Some(c) => format!("compressed ({c})"),
        None => "not compressed".into(),
    };
    format!("status {status}, server {server}, {hsts}, {compression}")
}

/// "compliant" or "not compliant: first deviations; and N more", with what was not checked.
fn profile_line(p: &ProfileResult, color: bool) -> String {
    let mut s = if p.compliant {
        let t = "compliant";
        if color {
            t.green().to_string()
        } else {
            t.to_string()
        }
    } else {
        let t = "not compliant";
        let mut s = if color {
            t.red().to_string()
        } else {
            t.to_string()
        };
        let shown: Vec<&str> = p.deviations.iter().take(2).map(String::as_str).collect();
        let _ = write!(s, ": {}", shown.join("; "));
        if p.deviations.len() > 2 {
            let _ = write!(s, "; and {} more", p.deviations.len() - 2);
        }
        s
    };
    if !p.not_checked.is_empty() {
        // The subject of each rule not checked, without its reason (the JSON has both).
        let what: Vec<&str> = p
            .not_checked
            .iter()
            .map(|n| n.split(" (").next().unwrap_or(n))
            .collect();
        let _ = write!(s, " (not checked: {})", what.join(", "));
    }
    s
}
