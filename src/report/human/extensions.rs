//! Extensions in the human trace: a line per extension with its words from
//! `report::ext_fields` (and the lines it adds below, e.g. a hybrid key share's parts), the
//! flags together on one line, long values wrapped.

use colored::Colorize;

use super::layout::{field, width, wrap_list, VALUE_COL, WIDTH};
use crate::report::ext_fields::{describe, ExtView};
use crate::wire::extensions::{ExtBody, Extension};

/// The words after an extension's name (`report::ext_fields` has every extension's).
pub(super) fn ext_value(e: &Extension) -> String {
    describe(e).summary
}

/// An extensions block: a line per extension with data, then the flags (extensions
/// without data) together on one line.
pub(super) fn extensions(out: &mut Vec<String>, label: &str, exts: &[Extension]) {
    extensions_in(out, label, exts, false)
}

/// The extensions of a TLS 1.3 CertificateRequest, where an empty status_request asks the
/// client for its OCSP response (RFC 8446 §4.4.2.1) instead of announcing a staple.
pub(super) fn request_extensions(out: &mut Vec<String>, exts: &[Extension]) {
    extensions_in(out, "extensions", exts, true)
}

fn extensions_in(out: &mut Vec<String>, label: &str, exts: &[Extension], request: bool) {
    if exts.is_empty() {
        field(out, label, "none");
        return;
    }
    // Extensions with an empty body share one line; the others get a line each.
    let views: Vec<(&Extension, ExtView)> = exts
        .iter()
        .map(|e| {
            let mut v = describe(e);
            if request && matches!(e.body, ExtBody::StatusRequestEmpty) {
                v.summary = "(empty) the server asks for the client's OCSP response".into();
            }
            (e, v)
        })
        .collect();
    let (empty, full): (Vec<_>, Vec<_>) = views.into_iter().partition(|(_, v)| v.flag);
    let mut first = true;
    let head = |first: &mut bool| {
        let h = if *first {
            format!("    {:<15} ", format!("{label} ({})", exts.len()).dimmed())
        } else {
            " ".repeat(VALUE_COL)
        };
        *first = false;
        h
    };
    for (e, view) in full {
        let line = format!(
            "{}{} {}",
            head(&mut first),
            ext_name(e).cyan(),
            view.summary
        );
        if width(&line) <= WIDTH || !line.contains(", ") {
            out.push(line);
        } else {
            let items: Vec<String> = view.summary.split(", ").map(str::to_string).collect();
            let start = format!("{} ", head_of(&line, e));
            out.extend(wrap_list(start, &items, VALUE_COL + 2));
        }
        for d in &view.detail {
            out.extend(detail_lines(VALUE_COL + 2, d));
        }
    }
    if !empty.is_empty() {
        let mut items: Vec<String> = empty
            .iter()
            .map(|(e, _)| format!("{} ({})", e.name(), e.typ.0).cyan().to_string())
            .collect();
        if let Some(last) = items.last_mut() {
            *last = format!("{last}: no data (flags)");
        }
        let h = head(&mut first);
        out.extend(wrap_list(h, &items, VALUE_COL + 2));
    }
}

/// A line under an extension, at column `col`, wrapped at its " ‖ " joints (a concatenation,
/// "a = x ‖ y") when longer than the width, each joint under the "=".
fn detail_lines(col: usize, d: &str) -> Vec<String> {
    let indent = " ".repeat(col);
    if col + width(d) <= WIDTH || !d.contains(" ‖ ") {
        return vec![format!("{indent}{}", d.dimmed())];
    }
    let under = d.find(" = ").map_or(0, |i| d[..i].chars().count() + 1);
    d.split(" ‖ ")
        .enumerate()
        .map(|(i, piece)| match i {
            0 => format!("{indent}{}", piece.dimmed()),
            _ => format!(
                "{indent}{}{}",
                " ".repeat(under),
                format!("‖ {piece}").dimmed()
            ),
        })
        .collect()
}

/// "name (code point):", as each extension line starts.
pub(super) fn ext_name(e: &Extension) -> String {
    format!("{} ({}):", e.name(), e.typ.0)
}

/// The start of an extension line up to its name (for wrapping its value).
fn head_of(line: &str, e: &Extension) -> String {
    let name = ext_name(e).cyan().to_string();
    match line.find(&name) {
        Some(i) => line[..i + name.len()].to_string(),
        None => line.to_string(),
    }
}
