//! Diff mode: analyse the files a unified diff touches and keep findings on added lines.
//!
//! With the repository at hand the full post-change file is analysed (if its lines agree with
//! the diff); without it, the post-image is rebuilt from the hunks, with unknown lines left
//! blank so that line numbers stay those of the new file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::diagnostic::{Diagnostic, Text};
use crate::package::Package;
use crate::rules::package_without_test::PackageWithoutTest;
use crate::{
    Options, Report, SKIP_BINARY, SKIP_TOO_LARGE, Skipped, check_tree, decode, find_go_version, is_binary, parse,
    read_file_capped, sort,
};

/// One file of a diff: its new path and the new-file lines the hunks show.
#[derive(Debug, Default)]
struct FileDiff {
    path: String,
    deleted: bool,
    /// New-file line number to text, for context and added lines.
    lines: BTreeMap<u32, String>,
    added: BTreeSet<u32>,
}

fn parse_diff(text: &str) -> Vec<FileDiff> {
    let mut files: Vec<FileDiff> = Vec::new();
    let mut cur: Option<FileDiff> = None;
    let mut new_line = 0u32;
    let mut in_hunk = false;
    let mut remaining_old = 0u32;
    let mut remaining_new = 0u32;
    let lines = text.split('\n').peekable();
    for raw in lines {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if in_hunk && (remaining_old > 0 || remaining_new > 0) {
            let Some(f) = cur.as_mut() else { break };
            match line.as_bytes().first() {
                Some(b'+') => {
                    f.lines.insert(new_line, line[1..].to_string());
                    f.added.insert(new_line);
                    new_line = new_line.saturating_add(1);
                    remaining_new = remaining_new.saturating_sub(1);
                }
                Some(b'-') => remaining_old = remaining_old.saturating_sub(1),
                Some(b'\\') => {}
                _ => {
                    f.lines.insert(new_line, line.get(1..).unwrap_or("").to_string());
                    new_line = new_line.saturating_add(1);
                    remaining_new = remaining_new.saturating_sub(1);
                    remaining_old = remaining_old.saturating_sub(1);
                }
            }
            continue;
        }
        in_hunk = false;
        if line.starts_with("diff --git ") {
            files.extend(cur.take());
        } else if let Some(rest) = line.strip_prefix("+++ ") {
            let path = rest.split('\t').next().unwrap_or("").trim();
            let f = cur.get_or_insert_with(FileDiff::default);
            if !f.path.is_empty() {
                let done = std::mem::take(f);
                files.push(done);
            }
            f.deleted = path == "/dev/null";
            f.path = path.strip_prefix("b/").unwrap_or(path).to_string();
        } else if line.starts_with("--- ") {
            if cur.as_ref().is_some_and(|f| !f.path.is_empty()) {
                files.extend(cur.take());
            }
        } else if let Some(h) = line.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@
            let mut parts = h.split_whitespace();
            let old = parts.next().unwrap_or("-0");
            let new = parts.next().unwrap_or("+0");
            let (_, old_len) = range(old.trim_start_matches('-'));
            let (start, new_len) = range(new.trim_start_matches('+'));
            new_line = start;
            remaining_old = old_len;
            remaining_new = new_len;
            in_hunk = cur.is_some();
        }
    }
    files.extend(cur);
    files.retain(|f| !f.path.is_empty());
    files
}

fn range(s: &str) -> (u32, u32) {
    let mut it = s.split(',');
    let start = it.next().and_then(|x| x.parse().ok()).unwrap_or(0);
    let len = it.next().map_or(1, |x| x.parse().unwrap_or(0));
    (start, len)
}

/// The new file rebuilt from hunks, unknown lines blank.
fn reconstruct(f: &FileDiff) -> String {
    let last = f.lines.keys().next_back().copied().unwrap_or(0);
    let mut out = String::new();
    for n in 1..=last {
        if let Some(l) = f.lines.get(&n) {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

/// True when the file on disk shows the diff's lines at the diff's line numbers.
fn agrees(src: &str, f: &FileDiff) -> bool {
    let lines: Vec<&str> = src.lines().collect();
    f.added.iter().all(|n| lines.get(*n as usize - 1).map(|l| l.trim_end_matches('\r')) == f.lines.get(n).map(|s| s.as_str()))
}

/// Analyses a unified diff. Only findings on added lines are kept. When `repo` is given and a
/// file there matches the diff's new side, the full file is analysed; otherwise the file is
/// rebuilt from the hunks. Non-Go files and deleted files are ignored.
///
/// Files of `repo` are read without following symlinks, only below `repo`, and at most
/// [`Options::max_file_bytes`] of them; a file left out for one of these reasons is listed in
/// [`Report::skipped`] (and analysed from its hunks). Text that is not a unified diff at all is
/// an entry of [`Report::errors`].
pub fn analyze_diff(diff_text: &str, repo: Option<&Path>, options: &Options) -> Report {
    let options = Options { go_version: options.go_version.or_else(|| repo.and_then(find_go_version)), ..options.clone() };
    let notes = std::cell::RefCell::new(Vec::new());
    let read = |path: &str| {
        let repo = repo?;
        let rel = Path::new(path);
        if rel.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            notes.borrow_mut().push(Skipped { path: path.into(), reason: SKIP_OUTSIDE.into() });
            return None;
        }
        let full = repo.join(rel);
        match read_file_capped(&full, options.max_file_bytes) {
            Ok(bytes) => Some(bytes),
            Err(reason) if full.symlink_metadata().is_ok() => {
                notes.borrow_mut().push(Skipped { path: path.into(), reason });
                None
            }
            Err(_) => None, // not in this checkout: the hunks are all there is
        }
    };
    let mut report = analyze_diff_with(diff_text, &read, &options);
    report.skipped.extend(notes.into_inner());
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

/// [`Skipped::reason`] for a diff path that would leave the repository (`../x.go`, `/etc/x.go`).
pub const SKIP_OUTSIDE: &str = "outside the repository";

/// [`Report::errors`] reason for a `--diff` input with no file header or hunk at all.
pub const NOT_A_DIFF: &str = "not a unified diff: no `diff --git`, `---`/`+++` or `@@` line";

/// True when some line of `text` opens a file or a hunk of a unified diff. Blank text is a
/// diff with no changes.
fn looks_like_diff(text: &str) -> bool {
    text.trim().is_empty() || text.lines().any(|l| ["diff --git ", "+++ ", "--- ", "@@ "].iter().any(|p| l.starts_with(p)))
}

/// [`analyze_diff`] with the post-change files from `post_image` (path in the diff -> bytes),
/// e.g. the blobs of a commit in a bare repository. Without the whole file, the analyzer sees
/// only the hunks, rebuilt as one text, and code of two hunks can look adjacent.
pub fn analyze_diff_with(diff_text: &str, post_image: &dyn Fn(&str) -> Option<Vec<u8>>, options: &Options) -> Report {
    let mut report = Report::default();
    if !looks_like_diff(diff_text) {
        report.errors.push(Skipped { path: "diff".into(), reason: NOT_A_DIFF.into() });
        return report;
    }
    let files: Vec<FileDiff> = parse_diff(diff_text).into_iter().filter(|f| !f.deleted && f.path.ends_with(".go")).collect();
    let version = options.go_version;

    let mut sources = Vec::new();
    for f in &files {
        let whole = post_image(&f.path);
        if let Some(bytes) = &whole
            && decode(bytes, options).is_none()
        {
            let reason = if is_binary(bytes) { SKIP_BINARY } else { SKIP_TOO_LARGE };
            report.skipped.push(Skipped { path: f.path.clone().into(), reason: reason.into() });
        }
        let from_repo = whole.and_then(|bytes| decode(&bytes, options)).filter(|src| agrees(src, f));
        // A bogus hunk header must not make us allocate gigabytes of blank lines.
        let last = f.lines.keys().next_back().copied().unwrap_or(0) as usize;
        if from_repo.is_none() && last > options.max_file_bytes {
            report.skipped.push(Skipped { path: f.path.clone().into(), reason: "hunk lines out of range".into() });
            continue;
        }
        let src = from_repo.unwrap_or_else(|| reconstruct(f));
        let Some(tree) = parse(&src) else { continue };
        sources.push((f, src, tree));
    }
    // Packages: the files of one folder with one `package` clause.
    let mut folders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (f, _, _)) in sources.iter().enumerate() {
        folders.entry(f.path.rsplit_once('/').map_or("", |(d, _)| d)).or_default().push(i);
    }
    for members in folders.values() {
        let group: Vec<(&str, &tree_sitter::Tree)> = members.iter().map(|&i| (sources[i].1.as_str(), &sources[i].2)).collect();
        for (package, idx) in Package::by_clause(&group) {
            for (f, src, tree) in idx.iter().map(|&j| &sources[members[j]]) {
                report.files += 1;
                report.lines += src.lines().count();
                match check_tree(&f.path, src, tree, version, &package, options) {
                    Ok(diags) => report.diagnostics.extend(diags.into_iter().filter(|d| f.added.contains(&d.line))),
                    Err(reason) => report.skipped.push(Skipped { path: f.path.clone().into(), reason: reason.into() }),
                }
            }
        }
    }
    if options.enabled(PackageWithoutTest::INFO.code) {
        report.diagnostics.extend(missing_tests(&files));
    }
    sort(&mut report.diagnostics);
    report
}

/// GO018: for each non-test Go file with added code, a finding unless its folder gains a test.
fn missing_tests(files: &[FileDiff]) -> Vec<Diagnostic> {
    let dir = |p: &str| p.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
    let tested: BTreeSet<String> =
        files.iter().filter(|f| f.path.ends_with("_test.go") && !f.added.is_empty()).map(|f| dir(&f.path)).collect();
    let mut out = Vec::new();
    for f in files.iter().filter(|f| !f.path.ends_with("_test.go") && !tested.contains(&dir(&f.path))) {
        let code_lines: Vec<u32> = f
            .added
            .iter()
            .copied()
            .filter(|n| {
                let t = f.lines.get(n).map(|s| s.trim()).unwrap_or("");
                !t.is_empty() && !t.starts_with("//") && !t.starts_with("import") && !t.starts_with('"')
            })
            .collect();
        let Some(&code) = code_lines.first() else { continue };
        // Start at the comment block written just above the first added code line.
        let mut first = code;
        while first > 1
            && f.added.contains(&(first - 1))
            && f.lines.get(&(first - 1)).is_some_and(|t| t.trim_start().starts_with("//"))
        {
            first -= 1;
        }
        let text = f.lines.get(&first).cloned().unwrap_or_default();
        let end_text = f.lines.get(&code).cloned().unwrap_or_default();
        let info = &PackageWithoutTest::INFO;
        let d = dir(&f.path);
        let pkg = if d.is_empty() { ".".to_string() } else { d };
        out.push(Diagnostic {
            code: info.code,
            name: info.name,
            level: info.level,
            path: f.path.clone(),
            line: first,
            column: 1,
            end_line: code,
            end_column: end_text.chars().count() as u32 + 1,
            message: Text::new(
                format!("`{}` changes code in `{pkg}` but the change adds or updates no test there", f.path),
                format!("`{}` 修改了 `{pkg}` 中的代码，但这次改动没有在该包中新增或修改任何测试", f.path),
            ),
            help: Text::new(
                "add a test that fails without this change (for a leak: cancel the context and assert the cleanup ran)",
                "补充一个没有这次改动就会失败的测试（对于泄露问题：cancel context 并断言清理已执行）",
            ),
            source_line: text.chars().take(240).collect(),
        });
    }
    out
}
