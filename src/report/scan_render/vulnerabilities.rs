//! The human lines of a scan's vulnerability checks: one per check, its verdict (coloured
//! when asked) and its reason, vulnerable ones first so nothing serious scrolls away.

use std::fmt::Write;

use colored::Colorize;

use crate::scan::vulns::{Check, Verdict};

fn verdict_word(v: Verdict, color: bool) -> String {
    let w = match v {
        Verdict::Vulnerable => "VULNERABLE",
        Verdict::NotVulnerable => "ok",
        Verdict::NotApplicable => "n/a",
        Verdict::Unknown => "unknown",
    };
    if !color {
        return w.to_string();
    }
    match v {
        Verdict::Vulnerable => w.red().bold().to_string(),
        Verdict::NotVulnerable => w.green().to_string(),
        Verdict::NotApplicable => w.dimmed().to_string(),
        Verdict::Unknown => w.yellow().to_string(),
    }
}

/// "Vulnerabilities:" and a line per check: `  heartbleed           ok  (reason)`.
pub fn human(o: &mut String, checks: &[Check], color: bool) {
    if checks.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nVulnerabilities:");
    let mut sorted: Vec<&Check> = checks.iter().collect();
    // Stable: vulnerable first, then the rest in registry order.
    sorted.sort_by_key(|c| c.verdict != Verdict::Vulnerable);
    for c in sorted {
        let why = match (&c.finding, &c.reason) {
            (Some((_, detail)), _) => format!(": {detail}"),
            // The verdict word already says "unknown" / "n/a".
            (None, Some(reason)) => format!(
                " ({})",
                reason
                    .strip_prefix("unknown: ")
                    .or_else(|| reason.strip_prefix("not applicable: "))
                    .unwrap_or(reason)
            ),
            (None, None) => String::new(),
        };
        let _ = writeln!(o, "  {:<24} {}{why}", c.id, verdict_word(c.verdict, color));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::findings::Severity;

    #[test]
    fn vulnerable_first_with_reasons() {
        let checks = [
            Check::not_vulnerable("heartbleed"),
            Check::unknown("robot", "unknown: cannot connect"),
            Check::vulnerable("sweet32", Severity::Medium, "3DES accepted"),
        ];
        let mut o = String::new();
        human(&mut o, &checks, false);
        let lines: Vec<&str> = o.lines().filter(|l| l.starts_with("  ")).collect();
        assert!(lines[0].contains("sweet32") && lines[0].contains("VULNERABLE: 3DES accepted"));
        assert!(lines[1].contains("heartbleed") && lines[1].ends_with("ok"));
        assert!(
            lines[2].contains("unknown (cannot connect)"),
            "{}",
            lines[2]
        );
    }
}
