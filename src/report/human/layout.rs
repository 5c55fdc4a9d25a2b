//! The layout of the human trace: the width lines are wrapped to, the column values start
//! at, and wrapping a list at that width (colour escapes take no room).

use colored::Colorize;

/// Width the compact lines are wrapped to.
pub(super) const WIDTH: usize = 100;
/// Column where field values start ("    name        value").
pub(super) const VALUE_COL: usize = 20;

/// Visible width of a string that may hold colour escapes.
pub(super) fn width(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            esc = c != 'm';
        } else if c == '\x1b' {
            esc = true;
        } else {
            n += 1;
        }
    }
    n
}

/// Items joined with ", " and wrapped at WIDTH; continuation lines start at column `col`.
pub(super) fn wrap_list(first: String, items: &[String], col: usize) -> Vec<String> {
    let mut out = vec![];
    let mut line = first;
    let mut empty = true;
    for (i, it) in items.iter().enumerate() {
        let sep = if i + 1 < items.len() { "," } else { "" };
        let piece = format!("{it}{sep}");
        if !empty && width(&line) + 1 + width(&piece) > WIDTH {
            out.push(line);
            line = " ".repeat(col);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(&piece);
        empty = false;
    }
    out.push(line);
    out
}

/// "    name         value" with the value wrapped at WIDTH on ", " boundaries.
pub(super) fn field(out: &mut Vec<String>, name: &str, value: impl std::fmt::Display) {
    let v = value.to_string();
    let first = format!("    {:<15} ", name.dimmed());
    if width(&first) + width(&v) <= WIDTH || !v.contains(", ") {
        out.push(format!("{first}{v}"));
        return;
    }
    let items: Vec<String> = v.split(", ").map(str::to_string).collect();
    out.extend(wrap_list(first, &items, VALUE_COL));
}
