//! Unified diffs: parsed into files, hunks and numbered lines.
//!
//! Only what a drill needs: the old and new line number of every line, so that the learner sees
//! new-file numbers and answer keys can anchor findings on them.

use serde::Serialize;

/// What a diff line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// Unchanged.
    Context,
    /// Added by the change.
    Added,
    /// Removed by the change.
    Removed,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// Added, removed or context.
    pub kind: LineKind,
    /// Line number in the old file (none for added lines).
    pub old_line: Option<u32>,
    /// Line number in the new file (none for removed lines).
    pub new_line: Option<u32>,
    /// The text, without the leading marker and line ending.
    pub text: String,
}

/// One `@@` hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    /// The `@@ ... @@` line as written.
    pub header: String,
    /// First line in the old file.
    pub old_start: u32,
    /// First line in the new file.
    pub new_start: u32,
    /// Its lines, in order.
    pub lines: Vec<DiffLine>,
}

/// The changes to one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    /// Path before the change (`None` for a new file).
    pub old_path: Option<String>,
    /// Path after the change (`None` for a deleted file).
    pub new_path: Option<String>,
    /// Its hunks, in order.
    pub hunks: Vec<Hunk>,
}

impl FileDiff {
    /// The path to show: the new path, or the old one for a deleted file.
    pub fn path(&self) -> &str {
        self.new_path.as_deref().or(self.old_path.as_deref()).unwrap_or("")
    }

    /// Whether new-file line `line` is shown by this diff (added or context).
    pub fn shows_new_line(&self, line: u32) -> bool {
        self.lines().any(|l| l.new_line == Some(line))
    }

    /// All lines of all hunks.
    pub fn lines(&self) -> impl Iterator<Item = &DiffLine> {
        self.hunks.iter().flat_map(|h| h.lines.iter())
    }
}

/// A malformed diff: 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DiffError {
    /// 1-based line of the diff text.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses a unified diff (`git diff`, `git format-patch` or `diff -u` output).
pub fn parse_unified(text: &str) -> Result<Vec<FileDiff>, DiffError> {
    let mut files: Vec<FileDiff> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(old) = line.strip_prefix("--- ") {
            let Some(new) = lines.get(i + 1).and_then(|l| l.strip_prefix("+++ ")) else {
                return Err(DiffError { line: i + 2, message: "expected a `+++ ` line after `--- `".into() });
            };
            files.push(FileDiff { old_path: clean_path(old, "a/"), new_path: clean_path(new, "b/"), hunks: Vec::new() });
            i += 2;
            continue;
        }
        if line.starts_with("@@") {
            let Some(file) = files.last_mut() else {
                return Err(DiffError { line: i + 1, message: "hunk before any `---`/`+++` file header".into() });
            };
            let (old_start, old_len, new_start, new_len) = parse_hunk_header(line)
                .ok_or_else(|| DiffError { line: i + 1, message: format!("malformed hunk header `{line}`") })?;
            let header_line = i + 1;
            check_hunk_header(line, header_line, (old_start, old_len), (new_start, new_len))?;
            i += 1;
            let (mut old_no, mut new_no) = (old_start, new_start);
            let (mut old_seen, mut new_seen) = (0u32, 0u32);
            let mut hunk = Hunk { header: line.to_string(), old_start, new_start, lines: Vec::new() };
            while i < lines.len() && (old_seen < old_len || new_seen < new_len) {
                let l = lines[i];
                let (kind, body) = match l.chars().next() {
                    Some(' ') => (LineKind::Context, &l[1..]),
                    None => (LineKind::Context, ""),
                    Some('+') => (LineKind::Added, &l[1..]),
                    Some('-') => (LineKind::Removed, &l[1..]),
                    Some('\\') => {
                        i += 1;
                        continue;
                    }
                    _ => break,
                };
                let (o, n) = match kind {
                    LineKind::Context => (Some(old_no), Some(new_no)),
                    LineKind::Added => (None, Some(new_no)),
                    LineKind::Removed => (Some(old_no), None),
                };
                if o.is_some() {
                    old_no += 1;
                    old_seen += 1;
                }
                if n.is_some() {
                    new_no += 1;
                    new_seen += 1;
                }
                hunk.lines.push(DiffLine { kind, old_line: o, new_line: n, text: body.trim_end_matches('\r').to_string() });
                i += 1;
            }
            if old_seen != old_len || new_seen != new_len {
                return Err(DiffError {
                    line: header_line,
                    message: format!(
                        "hunk header promises {old_len} old and {new_len} new lines but the hunk has {old_seen} and {new_seen}"
                    ),
                });
            }
            while lines.get(i).is_some_and(|l| l.starts_with('\\')) {
                i += 1;
            }
            file.hunks.push(hunk);
            continue;
        }
        i += 1;
    }
    if files.is_empty() {
        return Err(DiffError { line: 1, message: "no `---`/`+++` file header found: not a unified diff".into() });
    }
    if let Some(empty) = files.iter().position(|f| f.hunks.is_empty()) {
        let name = files[empty].path().to_string();
        return Err(DiffError { line: 1, message: format!("file `{name}` has no hunk") });
    }
    Ok(files)
}

/// A hunk must hold at least one line (an empty one would show nothing and anchor nothing),
/// and its last line number must fit in a `u32` (so numbering never wraps).
fn check_hunk_header(line: &str, at: usize, old: (u32, u32), new: (u32, u32)) -> Result<(), DiffError> {
    if old.1 == 0 && new.1 == 0 {
        return Err(DiffError { line: at, message: format!("empty hunk `{line}`: a hunk needs at least one line") });
    }
    for (side, (start, len)) in [("old", old), ("new", new)] {
        if start.checked_add(len).is_none() {
            return Err(DiffError {
                line: at,
                message: format!("hunk `{line}`: {side}-file lines {start} + {len} go past {}", u32::MAX),
            });
        }
    }
    Ok(())
}

fn clean_path(raw: &str, prefix: &str) -> Option<String> {
    let raw = raw.split('\t').next().unwrap_or(raw).trim();
    if raw == "/dev/null" {
        return None;
    }
    Some(raw.strip_prefix(prefix).unwrap_or(raw).to_string())
}

/// `@@ -a,b +c,d @@ section` -> (a, b, c, d); a missing length means 1.
fn parse_hunk_header(line: &str) -> Option<(u32, u32, u32, u32)> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let range = |s: &str| -> Option<(u32, u32)> {
        match s.split_once(',') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => Some((s.parse().ok()?, 1)),
        }
    };
    let (a, b) = range(old)?;
    let (c, d) = range(new)?;
    Some((a, b, c, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(diff: &str, expect: &str) {
        let got = match parse_unified(diff) {
            Ok(files) => files
                .iter()
                .map(|f| {
                    let mut s = format!("{}:", f.path());
                    for l in f.lines() {
                        let mark = match l.kind {
                            LineKind::Context => ' ',
                            LineKind::Added => '+',
                            LineKind::Removed => '-',
                        };
                        let n = |x: Option<u32>| x.map_or("_".to_string(), |v| v.to_string());
                        s += &format!(" {mark}{}/{}", n(l.old_line), n(l.new_line));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn numbers_lines_of_each_kind() {
        check(
            "diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -10,3 +10,4 @@ func f() {\n a\n-b\n+c\n+d\n e\n",
            "x.go:  10/10 -11/_ +_/11 +_/12  12/13",
        );
    }

    #[test]
    fn new_file_and_no_newline_marker() {
        check(
            "--- /dev/null\n+++ b/new.rs\n@@ -0,0 +1,2 @@\n+fn a() {}\n+fn b() {}\n\\ No newline at end of file\n",
            "new.rs: +_/1 +_/2",
        );
    }

    #[test]
    fn short_hunk_is_an_error_with_its_line() {
        check(
            "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n",
            "error: line 3: hunk header promises 3 old and 3 new lines but the hunk has 1 and 1",
        );
    }

    #[test]
    fn empty_hunk_is_an_error_with_its_line() {
        check(
            "--- a/x\n+++ b/x\n@@ -0,0 +0,0 @@\n",
            "error: line 3: empty hunk `@@ -0,0 +0,0 @@`: a hunk needs at least one line",
        );
    }

    #[test]
    fn hunk_numbers_near_u32_max_do_not_wrap() {
        check(
            "--- a/x\n+++ b/x\n@@ -1,2 +4294967295,2 @@\n a\n b\n",
            "error: line 3: hunk `@@ -1,2 +4294967295,2 @@`: new-file lines 4294967295 + 2 go past 4294967295",
        );
        // The last line number that fits is fine.
        check("--- a/x\n+++ b/x\n@@ -1,1 +4294967294,1 @@\n a\n", "x:  1/4294967294");
    }

    #[test]
    fn text_without_headers_is_not_a_diff() {
        check("hello\n", "error: line 1: no `---`/`+++` file header found: not a unified diff");
    }
}
