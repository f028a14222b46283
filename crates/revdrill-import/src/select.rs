//! Which changed files a drill shows: source files and tests are kept; generated, vendored,
//! lock and binary files, submodule moves and changes with no lines are dropped with a note.

use crate::error::ImportError;

/// One changed file of the commit or patch.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Path after the change (before it, for a deleted file).
    pub path: String,
    /// Path before a rename or copy.
    pub old_path: Option<String>,
    /// The `diff --git` section: headers and hunks ("" when there are no hunks).
    pub text: String,
    /// Added lines.
    pub added: usize,
    /// Removed lines.
    pub removed: usize,
    /// A binary file on either side.
    pub binary: bool,
    /// A submodule (gitlink) moved.
    pub submodule: bool,
    /// The file was deleted.
    pub deleted: bool,
    /// Some line was not UTF-8 and is shown with U+FFFD.
    pub lossy: bool,
    /// Some line ended in CRLF and is shown without the `\r`.
    pub crlf: bool,
    /// The post-image starts with a `Code generated ... DO NOT EDIT` marker.
    pub generated_marker: bool,
    /// The whole file after the change, when known (from a repository, not from a patch): the
    /// analyzer reads it instead of guessing the file from the hunks.
    pub post_image: Option<Vec<u8>>,
}

impl FileChange {
    /// Added plus removed lines.
    pub fn size(&self) -> usize {
        self.added + self.removed
    }
}

/// A file left out of the drill, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The file.
    pub path: String,
    /// Why, in English and Chinese.
    pub why: (&'static str, &'static str),
}

const LOCK_FILES: &[&str] = &[
    "go.sum",
    "Cargo.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "Gemfile.lock",
    "composer.lock",
    "Pipfile.lock",
    "uv.lock",
    "flake.lock",
    "go.work.sum",
];
const VENDOR_DIRS: &[&str] = &["vendor/", "third_party/", "node_modules/", "Godeps/"];
const GENERATED_SUFFIXES: &[&str] =
    &[".pb.go", ".pb.gw.go", "_generated.go", ".pb.validate.go", ".min.js", ".min.css", "_pb2.py", ".snap", ".map"];

/// Whether `path` is a test file in a common convention.
pub fn is_test(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with("_test.go")
        || name.ends_with("_test.py")
        || (name.starts_with("test_") && name.ends_with(".py"))
        || name.contains(".test.")
        || name.contains(".spec.")
        || (name.starts_with("Test") || name.ends_with("Test.java") || name.ends_with("Tests.java"))
        || path.starts_with("tests/")
        || path.starts_with("test/")
        || path.contains("/tests/")
        || path.contains("/test/")
        || path.contains("/testdata/")
}

fn drop_reason(f: &FileChange) -> Option<(&'static str, &'static str)> {
    let name = f.path.rsplit('/').next().unwrap_or(&f.path);
    if f.submodule {
        return Some(("submodule moved to another commit", "子模块指向了另一个提交"));
    }
    if f.binary {
        return Some(("binary file", "二进制文件"));
    }
    if LOCK_FILES.contains(&name) {
        return Some(("lock file", "锁文件"));
    }
    if VENDOR_DIRS.iter().any(|d| f.path.starts_with(d) || f.path.contains(&format!("/{d}"))) {
        return Some(("vendored code", "vendored 第三方代码"));
    }
    if f.generated_marker || GENERATED_SUFFIXES.iter().any(|s| name.ends_with(s)) || name.starts_with("zz_generated") {
        return Some(("generated file", "生成的文件"));
    }
    if f.text.is_empty() || !f.text.contains("\n@@ ") {
        return Some(match (&f.old_path, f.deleted) {
            (Some(_), _) => ("renamed or copied without changes", "仅重命名或复制，内容未变"),
            (None, true) => ("deleted empty file", "删除了空文件"),
            _ => ("no line changed (mode or empty file)", "没有改动任何行（权限或空文件）"),
        });
    }
    None
}

/// Keeps the files to review, in order, and says which were dropped.
pub fn select(
    files: Vec<FileChange>,
    globs: &[String],
    max_files: usize,
) -> Result<(Vec<FileChange>, Vec<Dropped>), ImportError> {
    for g in globs {
        if g.starts_with('/') || g.split('/').any(|c| c == "..") || g.contains(':') && g.len() > 1 && g.as_bytes()[1] == b':' {
            return Err(ImportError::PathOutside { glob: g.clone() });
        }
    }
    let mut dropped = Vec::new();
    let mut kept = Vec::new();
    for f in files {
        match drop_reason(&f) {
            Some(why) => dropped.push(Dropped { path: f.path.clone(), why }),
            None => kept.push(f),
        }
    }
    let largest = |files: &[FileChange]| {
        let mut v: Vec<(String, usize)> = files.iter().map(|f| (f.path.clone(), f.size())).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(10);
        v
    };
    if !globs.is_empty() {
        let (chosen, rest): (Vec<_>, Vec<_>) = kept
            .into_iter()
            .partition(|f| globs.iter().any(|g| matches(g, &f.path) || f.old_path.as_deref().is_some_and(|o| matches(g, o))));
        if chosen.is_empty() {
            return Err(ImportError::NoPathMatches { globs: globs.join(" "), largest: largest(&rest) });
        }
        for f in rest {
            dropped.push(Dropped { path: f.path, why: ("not picked with --path", "未被 --path 选中") });
        }
        kept = chosen;
    }
    if kept.len() > max_files {
        return Err(ImportError::TooManyFiles { count: kept.len(), max: max_files, largest: largest(&kept) });
    }
    if kept.is_empty() {
        let reason = if dropped.is_empty() {
            "the change has no file changes".to_string()
        } else {
            let list: Vec<String> = dropped.iter().map(|d| format!("{} ({})", d.path, d.why.0)).collect();
            format!("every changed file was dropped: {}", list.join(", "))
        };
        return Err(ImportError::NothingToReview { reason });
    }
    Ok((kept, dropped))
}

/// Glob match: `*` and `?` within one path component, `**` across them. A glob without `/`
/// matches the file name anywhere; a glob without wildcards also matches a folder prefix.
pub fn matches(glob: &str, path: &str) -> bool {
    let glob = glob.trim_start_matches("./");
    if !glob.contains(['*', '?', '[']) {
        let g = glob.trim_end_matches('/');
        return path == g || path.starts_with(&format!("{g}/")) || (!g.contains('/') && path.rsplit('/').next() == Some(g));
    }
    if !glob.contains('/') {
        return wild(glob.as_bytes(), path.rsplit('/').next().unwrap_or(path).as_bytes());
    }
    wild(glob.as_bytes(), path.as_bytes())
}

fn wild(g: &[u8], p: &[u8]) -> bool {
    match g.first() {
        None => p.is_empty(),
        Some(b'*') if g.get(1) == Some(&b'*') => {
            if g.len() == 2 {
                return true;
            }
            let rest = g[2..].strip_prefix(b"/").unwrap_or(&g[2..]);
            (0..=p.len()).any(|i| (i == 0 || p[i - 1] == b'/') && wild(rest, &p[i..]))
        }
        Some(b'*') => (0..=p.len()).take_while(|&i| i == 0 || p[i - 1] != b'/').any(|i| wild(&g[1..], &p[i..])),
        Some(b'?') => p.first().is_some_and(|&c| c != b'/') && wild(&g[1..], &p[1..]),
        Some(&c) => p.first() == Some(&c) && wild(&g[1..], &p[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let cases = [
            ("*.go", "a/b/c.go", true),
            ("*.go", "a/b/c.rs", false),
            ("pkg/*", "pkg/a.go", true),
            ("pkg/*", "pkg/x/a.go", false),
            ("pkg/**", "pkg/x/a.go", true),
            ("**/a.go", "pkg/x/a.go", true),
            ("**/a.go", "a.go", true),
            ("pkg", "pkg/x/a.go", true),
            ("pk", "pkg/x/a.go", false),
            ("f?le.go", "dir/file.go", true),
        ];
        for (g, p, want) in cases {
            assert_eq!(matches(g, p), want, "{g} vs {p}");
        }
    }
}
