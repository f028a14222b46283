//! A unified diff (three lines of context, as `git show`) of two byte buffers.
//!
//! Lines are compared as bytes, so CRLF and non-UTF-8 content diff exactly; they are then
//! written as UTF-8 text without the `\r` (the pack format is text), and the caller is told.

use std::ops::Range;

use imara_diff::intern::InternedInput;
use imara_diff::{Algorithm, diff, sources::byte_lines_with_terminator};

const CONTEXT: u32 = 3;

/// The hunks of one file and what had to be changed to show them.
#[derive(Debug, Default)]
pub(crate) struct Hunks {
    /// `@@` hunks, each line ending in `\n`.
    pub text: String,
    /// Added lines.
    pub added: usize,
    /// Removed lines.
    pub removed: usize,
    /// Some line was not UTF-8 (shown with U+FFFD).
    pub lossy: bool,
    /// Some line ended in CRLF (shown without the `\r`).
    pub crlf: bool,
}

/// Similarity of two texts in percent: twice the unchanged lines over all lines (as git's
/// rename score, by lines).
pub(crate) fn similarity(old: &[u8], new: &[u8]) -> u32 {
    let input = InternedInput::new(byte_lines_with_terminator(old), byte_lines_with_terminator(new));
    let total = input.before.len() + input.after.len();
    if total == 0 {
        return 100;
    }
    let mut changed = 0usize;
    diff(Algorithm::Histogram, &input, |b: Range<u32>, a: Range<u32>| changed += b.len() + a.len());
    (((total - changed) * 100) / total) as u32
}

/// The hunks turning `old` into `new`.
pub(crate) fn hunks(old: &[u8], new: &[u8]) -> Hunks {
    let input = InternedInput::new(byte_lines_with_terminator(old), byte_lines_with_terminator(new));
    let mut changes: Vec<(Range<u32>, Range<u32>)> = Vec::new();
    diff(Algorithm::Myers, &input, |b: Range<u32>, a: Range<u32>| changes.push((b, a)));
    slide_down(&mut changes, &input.before, &input.after);
    let mut out = Hunks::default();
    let line = |tok| -> &[u8] { input.interner[tok] };
    let nb = input.before.len() as u32;
    let mut i = 0;
    while i < changes.len() {
        // Extend the hunk while the next change is within two contexts.
        let mut j = i;
        while j + 1 < changes.len() && changes[j + 1].0.start - changes[j].0.end <= 2 * CONTEXT {
            j += 1;
        }
        let (first, last) = (&changes[i], &changes[j]);
        let b_start = first.0.start.saturating_sub(CONTEXT);
        let a_start = first.1.start - (first.0.start - b_start);
        let b_end = (last.0.end + CONTEXT).min(nb);
        let a_end = last.1.end + (b_end - last.0.end);
        let (bl, al) = (b_end - b_start, a_end - a_start);
        let shown = |start: u32, len: u32| if len == 0 { start } else { start + 1 };
        out.text.push_str(&format!("@@ -{},{bl} +{},{al} @@", shown(b_start, bl), shown(a_start, al)));
        // The section heading, as git's default: the last line before the hunk that starts
        // with a letter, `_` or `$`.
        let heading = (0..b_start)
            .rev()
            .map(|k| line(input.before[k as usize]))
            .find(|l| l.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'$'));
        if let Some(h) = heading {
            let h = String::from_utf8_lossy(h);
            let h = h.trim_end();
            let cut = h.char_indices().nth(80).map_or(h.len(), |(i, _)| i);
            out.text.push(' ');
            out.text.push_str(&h[..cut]);
        }
        out.text.push('\n');
        let mut pos = b_start;
        for (b, a) in &changes[i..=j] {
            for k in pos..b.start {
                push_line(&mut out, ' ', line(input.before[k as usize]));
            }
            for k in b.clone() {
                push_line(&mut out, '-', line(input.before[k as usize]));
                out.removed += 1;
            }
            for k in a.clone() {
                push_line(&mut out, '+', line(input.after[k as usize]));
                out.added += 1;
            }
            pos = b.end;
        }
        for k in pos..b_end {
            push_line(&mut out, ' ', line(input.before[k as usize]));
        }
        i = j + 1;
    }
    out
}

/// Moves each pure insertion or deletion as far down as equal lines allow, as git does before
/// its heuristics: `}` + new function + `}` becomes new function + `}` + `}`.
fn slide_down(
    changes: &mut [(Range<u32>, Range<u32>)],
    before: &[imara_diff::intern::Token],
    after: &[imara_diff::intern::Token],
) {
    for i in 0..changes.len() {
        let next_b = changes.get(i + 1).map_or(before.len() as u32, |c| c.0.start);
        let next_a = changes.get(i + 1).map_or(after.len() as u32, |c| c.1.start);
        let (b, a) = &mut changes[i];
        if b.start == b.end && a.start < a.end {
            while a.end < next_a && b.start < next_b && after[a.start as usize] == after[a.end as usize] {
                *a = a.start + 1..a.end + 1;
                *b = b.start + 1..b.start + 1;
            }
        } else if a.start == a.end && b.start < b.end {
            while b.end < next_b && a.start < next_a && before[b.start as usize] == before[b.end as usize] {
                *b = b.start + 1..b.end + 1;
                *a = a.start + 1..a.start + 1;
            }
        }
    }
}

fn push_line(out: &mut Hunks, mark: char, raw: &[u8]) {
    let (body, newline) = match raw.strip_suffix(b"\n") {
        Some(b) => (b, true),
        None => (raw, false),
    };
    let body = match body.strip_suffix(b"\r") {
        Some(b) => {
            out.crlf = true;
            b
        }
        None => body,
    };
    out.text.push(mark);
    match std::str::from_utf8(body) {
        Ok(s) => out.text.push_str(s),
        Err(_) => {
            out.lossy = true;
            out.text.push_str(&String::from_utf8_lossy(body));
        }
    }
    out.text.push('\n');
    if !newline {
        out.text.push_str("\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(old: &str, new: &str, expect: &str) {
        assert_eq!(hunks(old.as_bytes(), new.as_bytes()).text, expect);
    }

    #[test]
    fn context_and_merged_hunks() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n";
        let new = "1\n2\nthree\n4\n5\n6\n7\n8\nnine\n10\n11\n12\n13\n14\n15\n16\nseventeen\n";
        check(
            old,
            new,
            "@@ -1,12 +1,12 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n 11\n 12\n@@ -14,3 +14,4 @@\n 14\n 15\n 16\n+seventeen\n",
        );
    }

    #[test]
    fn section_heading_is_the_last_line_starting_with_a_letter() {
        let old = "package p\n\nfunc A() {\n\t1\n\t2\n\t3\n\t4\n}\n";
        let new = "package p\n\nfunc A() {\n\t1\n\t2\n\t3\n\tfour\n}\n";
        check(old, new, "@@ -4,5 +4,5 @@ func A() {\n \t1\n \t2\n \t3\n-\t4\n+\tfour\n }\n");
    }

    #[test]
    fn new_file_and_missing_newline() {
        check("", "a\nb", "@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n");
    }

    #[test]
    fn crlf_and_latin1() {
        let h = hunks(b"a\r\nb\r\n", b"a\r\nc\xe9\r\n");
        assert_eq!(h.text, "@@ -1,2 +1,2 @@\n a\n-b\n+c\u{fffd}\n");
        assert!(h.crlf && h.lossy);
        assert_eq!(similarity(b"a\nb\nc\nd\n", b"a\nb\nc\nx\n"), 75);
    }
}
