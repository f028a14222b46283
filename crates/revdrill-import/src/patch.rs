//! Reading a `git format-patch` file or a plain unified diff into the same [`FileChange`]s a
//! commit gives.

use crate::select::FileChange;

/// A patch, read.
pub(crate) struct Patch {
    /// The commit id of the `From <sha> ...` line of a format-patch file.
    pub commit: Option<String>,
    pub subject: String,
    pub body: String,
    pub files: Vec<FileChange>,
}

/// Parses `text`; `None` when it holds no file header at all.
pub(crate) fn parse(text: &str) -> Option<Patch> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let git_style = lines.iter().any(|l| l.starts_with("diff --git "));
    let is_start = |i: usize| {
        let l = lines[i];
        if git_style {
            l.starts_with("diff --git ")
        } else {
            l.starts_with("--- ") && lines.get(i + 1).is_some_and(|n| n.starts_with("+++ "))
        }
    };
    let first = (0..lines.len()).find(|&i| is_start(i))?;
    let (commit, subject, body) = header(&lines[..first]);
    let mut starts: Vec<usize> = (first..lines.len()).filter(|&i| is_start(i)).collect();
    // A `--- `/`+++ ` pair inside a hunk would be read as a start: only trust pairs outside hunks.
    starts = prune_in_hunks(&lines, starts);
    let mut files = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let mut section: String = lines[s..end].concat();
        // The `-- ` signature line of format-patch and anything after it.
        if k + 1 == starts.len() {
            if let Some(pos) = section.find("\n-- \n") {
                section.truncate(pos + 1);
            }
        }
        files.push(file_change(&section));
    }
    Some(Patch { commit, subject, body, files })
}

fn prune_in_hunks(lines: &[&str], starts: Vec<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut skip_until = 0;
    for s in starts {
        if s < skip_until {
            continue;
        }
        out.push(s);
        // Skip past this section's hunks by their counts.
        let mut i = s;
        while i < lines.len() && !lines[i].starts_with("@@") {
            i += 1;
            if i < lines.len() && lines[i].starts_with("diff --git ") {
                break;
            }
        }
        while i < lines.len() && lines[i].starts_with("@@") {
            let (o, n) = counts(lines[i]).unwrap_or((0, 0));
            let (mut o, mut n) = (o, n);
            i += 1;
            while i < lines.len() && (o > 0 || n > 0) {
                match lines[i].as_bytes().first() {
                    Some(b'+') => n = n.saturating_sub(1),
                    Some(b'-') => o = o.saturating_sub(1),
                    Some(b'\\') => {}
                    _ => {
                        o = o.saturating_sub(1);
                        n = n.saturating_sub(1);
                    }
                }
                i += 1;
            }
            while i < lines.len() && lines[i].starts_with('\\') {
                i += 1;
            }
        }
        skip_until = i;
    }
    out
}

fn counts(header: &str) -> Option<(u32, u32)> {
    let rest = header.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let len = |s: &str| s.split_once(',').map_or(Some(1), |(_, b)| b.parse().ok());
    Some((len(old)?, len(new)?))
}

/// `From <sha> <date>`, `Subject: [PATCH n/m] subject` (folded lines joined), body up to `---`.
fn header(lines: &[&str]) -> (Option<String>, String, String) {
    let mut commit = None;
    let mut subject = String::new();
    let mut body = Vec::new();
    let mut i = 0;
    let mut in_headers = false;
    while i < lines.len() {
        let l = lines[i].trim_end_matches(['\n', '\r']);
        if i == 0 {
            if let Some(rest) = l.strip_prefix("From ") {
                let sha = rest.split(' ').next().unwrap_or("");
                if sha.len() >= 7 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                    commit = Some(sha.to_string());
                    in_headers = true;
                }
            }
        }
        if let Some(s) = l.strip_prefix("Subject: ") {
            in_headers = true;
            subject = s.to_string();
            while let Some(next) = lines.get(i + 1).filter(|n| n.starts_with(' ') || n.starts_with('\t')) {
                subject.push(' ');
                subject.push_str(next.trim());
                i += 1;
            }
        } else if in_headers && l.is_empty() {
            // The body runs to the `---` before the diffstat.
            let rest: Vec<&str> =
                lines[i + 1..].iter().map(|l| l.trim_end_matches(['\n', '\r'])).take_while(|l| *l != "---").collect();
            body = rest;
            break;
        }
        i += 1;
    }
    if !subject.is_empty() {
        subject = strip_patch_prefix(&subject).to_string();
    }
    if subject.is_empty() && !in_headers {
        // A plain diff may start with free text: first line is the subject, the rest the body.
        let text: Vec<&str> = lines.iter().map(|l| l.trim_end_matches(['\n', '\r'])).collect();
        if let Some((first, rest)) = text.split_first() {
            subject = first.trim().to_string();
            body = rest.to_vec();
        }
    }
    (commit, subject, body.join("\n").trim().to_string())
}

fn strip_patch_prefix(s: &str) -> &str {
    let t = s.trim();
    if t.starts_with('[') {
        if let Some(end) = t.find(']') {
            if t[..end].contains("PATCH") {
                return t[end + 1..].trim();
            }
        }
    }
    t
}

fn file_change(section: &str) -> FileChange {
    let mut f = FileChange {
        path: String::new(),
        old_path: None,
        text: String::new(),
        added: 0,
        removed: 0,
        binary: false,
        submodule: false,
        deleted: false,
        lossy: section.contains('\u{fffd}'),
        crlf: false,
        generated_marker: false,
        post_image: None,
    };
    let mut from_git: Option<(String, String)> = None;
    let mut in_hunk = false;
    let mut first_added = Vec::new();
    let mut text = String::new();
    for raw in section.split_inclusive('\n') {
        let l = raw.trim_end_matches('\n');
        if l.ends_with('\r') {
            f.crlf = true;
        }
        let l = l.trim_end_matches('\r');
        text.push_str(l);
        text.push('\n');
        if l.starts_with("@@") {
            in_hunk = true;
            continue;
        }
        if in_hunk {
            if let Some(a) = l.strip_prefix('+') {
                f.added += 1;
                if first_added.len() < 5 {
                    first_added.push(a.to_string());
                }
                f.submodule |= a.starts_with("Subproject commit ");
            } else if l.starts_with('-') {
                f.removed += 1;
                f.submodule |= l.starts_with("-Subproject commit ");
            }
            continue;
        }
        if let Some(rest) = l.strip_prefix("diff --git ") {
            from_git = rest.split_once(" b/").map(|(a, b)| (a.trim_start_matches("a/").to_string(), b.to_string()));
        } else if let Some(p) = l.strip_prefix("rename from ").or_else(|| l.strip_prefix("copy from ")) {
            f.old_path = Some(p.to_string());
        } else if l.starts_with("deleted file mode") || l == "+++ /dev/null" {
            f.deleted = true;
        } else if l.starts_with("Binary files ") || l == "GIT binary patch" {
            f.binary = true;
        } else if l.contains(" mode 160000") || l.starts_with("index ") && l.ends_with(" 160000") {
            f.submodule = true;
        } else if let Some(p) = l.strip_prefix("+++ ") {
            if p != "/dev/null" {
                f.path = clean(p, "b/");
            }
        } else if let Some(p) = l.strip_prefix("--- ") {
            if f.path.is_empty() && p != "/dev/null" {
                f.path = clean(p, "a/");
            }
        }
    }
    if let Some((a, b)) = from_git {
        if f.path.is_empty() || f.old_path.is_some() {
            f.path = if f.deleted && f.path.is_empty() { a } else { b };
        }
    }
    if f.deleted {
        // `+++ /dev/null`: name the file by its old path.
        if let Some(p) = text.lines().find_map(|l| l.strip_prefix("--- ")).filter(|p| *p != "/dev/null") {
            f.path = clean(p, "a/");
        }
    }
    f.generated_marker = crate::git::is_generated(first_added.join("\n").as_bytes());
    f.text = if text.contains("\n@@ ") || text.starts_with("@@ ") { text } else { String::new() };
    f
}

fn clean(p: &str, prefix: &str) -> String {
    let p = p.split('\t').next().unwrap_or(p).trim();
    p.strip_prefix(prefix).unwrap_or(p).to_string()
}
