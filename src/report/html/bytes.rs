//! The page's byte tables: the byte spans of the JSON events (`report::json`, recorded with
//! `--hex`) as rows of offset, bytes, field and value, the same spans the terminal's `--hex`
//! view shows (`report::hex`).

use serde::Serialize;
use serde_json::Value;

/// Bytes per line in the byte column, as in the terminal view.
const PER_LINE: usize = 16;
/// Bytes of a bulky span (certificate, ciphertext) shown before the rest is folded away.
const BULKY_SHOWN: usize = 32;

/// One row of a byte table.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ByteRow {
    /// Hex offset into the annotated buffer, e.g. "0005".
    pub offset: String,
    /// The bytes shown at once, 16 to a line ("16 03 01 …").
    pub lines: Vec<String>,
    /// The rest of a bulky span's bytes, folded (16 to a line), and how many.
    pub folded: Vec<String>,
    pub folded_bytes: usize,
    pub field: String,
    pub value: String,
    /// Nesting depth (0: record or message level), for indentation.
    pub depth: usize,
    /// Lines shown above the bytes (a certificate's summary).
    pub notes: Vec<String>,
}

/// Bytes from a hex string; None when it is not hex (a hand-edited transcript).
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s).ok()
}

/// "16 03 01" lines, 16 bytes each.
fn lines(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(PER_LINE)
        .map(|c| {
            c.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn field_str(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn field_usize(v: &Value, key: &str) -> Option<usize> {
    v.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// One span as a row, its bytes taken from `buf`; None when the span lies outside `buf`
/// (a transcript whose spans do not match its bytes).
fn span_row(span: &Value, buf: &[u8]) -> Option<ByteRow> {
    let offset = field_usize(span, "offset")?;
    let length = field_usize(span, "length")?;
    let bytes = buf.get(offset..offset.checked_add(length)?)?;
    let bulky = span.get("bulky").and_then(Value::as_bool).unwrap_or(false);
    let (shown, rest) = if bulky && bytes.len() > BULKY_SHOWN {
        bytes.split_at(BULKY_SHOWN)
    } else {
        (bytes, &[][..])
    };
    let notes = span
        .get("notes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    Some(ByteRow {
        offset: format!("{offset:04x}"),
        lines: lines(shown),
        folded: lines(rest),
        folded_bytes: rest.len(),
        field: field_str(span, "field"),
        value: field_str(span, "value"),
        depth: field_usize(span, "depth").unwrap_or(0).min(12),
        notes,
    })
}

/// The rows of `spans` over `buf` whose bytes lie within `range` (all when None).
pub fn span_rows(spans: &[Value], buf: &[u8], range: Option<(usize, usize)>) -> Vec<ByteRow> {
    spans
        .iter()
        .filter(|s| match range {
            None => true,
            Some((from, to)) => match (field_usize(s, "offset"), field_usize(s, "length")) {
                (Some(o), Some(l)) => o >= from && o.saturating_add(l) <= to,
                _ => false,
            },
        })
        .filter_map(|s| span_row(s, buf))
        .collect()
}

/// Bytes without annotation: one row per 16 bytes (what the page shows when only the raw
/// bytes were recorded).
pub fn raw_rows(bytes: &[u8], field: &str) -> Vec<ByteRow> {
    bytes
        .chunks(PER_LINE)
        .enumerate()
        .map(|(i, c)| ByteRow {
            offset: format!("{:04x}", i * PER_LINE),
            lines: lines(c),
            folded: vec![],
            folded_bytes: 0,
            field: if i == 0 {
                field.to_string()
            } else {
                String::new()
            },
            value: String::new(),
            depth: 0,
            notes: vec![],
        })
        .collect()
}

/// Where `needle` starts within `hay` (a handshake message within its record), if it does.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spans_become_rows_with_their_bytes() {
        let buf = unhex("160301000401000000").unwrap();
        let spans = vec![
            json!({"offset": 0, "length": 5, "field": "record", "value": "handshake", "depth": 0, "bulky": false}),
            json!({"offset": 5, "length": 4, "field": "ClientHello", "value": "", "depth": 1, "bulky": false}),
        ];
        let rows = span_rows(&spans, &buf, None);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].lines, vec!["16 03 01 00 04"]);
        assert_eq!(rows[1].offset, "0005");
        assert_eq!(rows[1].depth, 1);
        assert_eq!(span_rows(&spans, &buf, Some((5, 9))).len(), 1);
    }

    #[test]
    fn spans_outside_the_bytes_are_dropped_not_a_panic() {
        let buf = [1u8, 2, 3];
        let spans = vec![
            json!({"offset": 2, "length": 9, "field": "x"}),
            json!({"offset": 18446744073709551615u64, "length": 2, "field": "y"}),
            json!({"field": "no offset"}),
        ];
        assert!(span_rows(&spans, &buf, None).is_empty());
    }

    #[test]
    fn bulky_spans_fold_after_32_bytes() {
        let buf = vec![0xabu8; 100];
        let spans =
            vec![json!({"offset": 0, "length": 100, "field": "certificate", "bulky": true})];
        let rows = span_rows(&spans, &buf, None);
        assert_eq!(rows[0].lines.len(), 2);
        assert_eq!(rows[0].folded.len(), 5);
    }

    #[test]
    fn finds_a_message_in_its_record() {
        assert_eq!(find(&[1, 2, 3, 4], &[3, 4]), Some(2));
        assert_eq!(find(&[1, 2], &[1, 2, 3]), None);
        assert_eq!(find(&[1, 2], &[]), None);
    }
}
