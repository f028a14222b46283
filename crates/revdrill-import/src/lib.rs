//! Turns a real commit into a drill pack: `revdrill import`.
//!
//! [`import_commit`] reads one commit of a local repository (bare or not) with gix and diffs it
//! against its first parent (the empty tree for a root commit); [`import_patch`] reads a
//! `git format-patch` file or a plain unified diff. Both keep source files and tests, drop
//! generated, vendored, lock and binary files and submodule moves (each with a note), and draft
//! a pack: checklist from what the change touches, answer key from the Go analyzer's findings
//! on the added lines, `missing-tests` when no test changed. [`Imported::write`] writes the
//! folder after checking that it loads, so a broken pack is never written.
#![deny(missing_docs)]

mod draft;
mod error;
mod git;
mod patch;
mod select;
mod udiff;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{ImportError, NoCommit};
pub use select::{Dropped, FileChange, is_test, matches};

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only files matching one of these globs (`--path`).
    pub paths: Vec<String>,
    /// The drill id; derived from the subject when `None`.
    pub id: Option<String>,
    /// More files than this (after dropping) and the user must pick with `--path`.
    pub max_files: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { paths: Vec::new(), id: None, max_files: 40 }
    }
}

/// A drafted drill, not yet written.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The drill id.
    pub id: String,
    /// `drill.toml`.
    pub drill_toml: String,
    /// `change.diff`.
    pub diff: String,
    /// The files shown.
    pub files: Vec<FileChange>,
    /// The files left out, with why.
    pub dropped: Vec<Dropped>,
    /// Facts worth telling the user (merge commit, CRLF, non-UTF-8), in English and Chinese.
    pub notes: Vec<(String, String)>,
    /// How many findings the analyzer drafted (besides the testing one).
    pub drafted_findings: usize,
}

/// Imports commit `rev` of the repository at `repo`.
pub fn import_commit(repo: &Path, rev: &str, options: &Options) -> Result<Imported, ImportError> {
    let c = git::read_commit(repo, rev)?;
    let hex = c.id.to_string();
    let mut notes = Vec::new();
    if c.parents > 1 {
        let p = c.parent.map(|p| p.to_hex_with_len(10).to_string()).unwrap_or_default();
        notes.push((
            format!("Merge commit with {} parents: the diff is against the first parent `{p}`.", c.parents),
            format!("这是有 {} 个父提交的合并提交：diff 是相对第一个父提交 `{p}` 的。", c.parents),
        ));
    } else if c.parent.is_none() {
        notes.push(("Root commit: the diff is against the empty tree.".into(), "根提交：diff 是相对空树的。".into()));
    }
    let repo_abs = std::fs::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
    let source = c.remote_url.clone().unwrap_or_else(|| format!("git:{}@{hex}", repo_abs.display()));
    let origin = format!("commit {hex} of {}", repo_abs.display());
    let go = c.go_mod.as_deref().and_then(revdrill_analyzer_go::GoVersion::from_go_mod);
    build(&c.subject, &c.body, &source, &origin, Some(&hex), c.files, notes, c.workdir.as_deref(), go, options)
}

/// Imports a `git format-patch` file or a plain unified diff.
pub fn import_patch(file: &Path, options: &Options) -> Result<Imported, ImportError> {
    let bytes = read_patch(file)?;
    let text = String::from_utf8_lossy(&bytes);
    let p = patch::parse(&text).ok_or_else(|| ImportError::NotAPatch {
        path: file.to_path_buf(),
        reason: "no `diff --git` or `---`/`+++` file header found".into(),
    })?;
    let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let source = format!("file://{}", abs.display());
    let subject = if p.subject.is_empty() {
        file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        p.subject
    };
    let origin = format!("the patch {}", abs.display());
    build(&subject, &p.body, &source, &origin, p.commit.as_deref(), p.files, Vec::new(), None, None, options)
}

/// The largest patch file `import --patch` reads, in bytes.
pub const PATCH_LIMIT: u64 = 32 * 1024 * 1024;

/// Reads a patch file up to `PATCH_LIMIT`, refusing a binary file (a NUL byte in its first
/// 8,000 bytes, as git decides) before parsing it as text.
fn read_patch(file: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let io = |source| ImportError::Io { path: file.to_path_buf(), source };
    let mut bytes = Vec::new();
    std::fs::File::open(file).map_err(io)?.take(PATCH_LIMIT + 1).read_to_end(&mut bytes).map_err(io)?;
    if git::is_binary(&bytes) {
        return Err(ImportError::BinaryPatch { path: file.to_path_buf() });
    }
    if bytes.len() as u64 > PATCH_LIMIT {
        return Err(ImportError::PatchTooLarge { path: file.to_path_buf(), limit: PATCH_LIMIT });
    }
    Ok(bytes)
}

/// A commit subject (or any text) as one line for a title: control characters, line breaks
/// included, become spaces, so nothing in a subject can reach a terminal raw.
pub(crate) fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

#[allow(clippy::too_many_arguments)]
fn build(
    subject: &str,
    body: &str,
    source: &str,
    origin: &str,
    commit: Option<&str>,
    files: Vec<FileChange>,
    mut notes: Vec<(String, String)>,
    workdir: Option<&Path>,
    go_version: Option<revdrill_analyzer_go::GoVersion>,
    options: &Options,
) -> Result<Imported, ImportError> {
    let (kept, dropped) = select::select(files, &options.paths, options.max_files)?;
    if kept.iter().any(|f| f.crlf) {
        notes.push((
            "Some files use CRLF line endings; they are shown without the `\\r`.".into(),
            "部分文件使用 CRLF 换行；展示时去掉了 `\\r`。".into(),
        ));
    }
    if kept.iter().any(|f| f.lossy) {
        notes.push((
            "Some lines are not UTF-8; their invalid bytes are shown as `\u{fffd}`.".into(),
            "部分行不是 UTF-8；无效字节显示为 `\u{fffd}`。".into(),
        ));
    }
    let id = match &options.id {
        Some(id) if is_id(id) => id.clone(),
        Some(id) => return Err(ImportError::BadId { id: id.clone() }),
        None => derive_id(subject, commit),
    };
    let subject = one_line(subject);
    let title = if subject.is_empty() { id.clone() } else { subject };
    let diff: String = kept.iter().map(|f| f.text.as_str()).collect();
    let parsed = revdrill_pack::diff::parse_unified(&diff)
        .map_err(|e| ImportError::InvalidPack(format!("change.diff:{}: {}", e.line, e.message)))?;
    // The analyzer reads whole post-change files: the commit's blobs, else the work tree.
    let post_image = |path: &str| {
        kept.iter()
            .find(|f| f.path == path)
            .and_then(|f| f.post_image.clone())
            .or_else(|| workdir.and_then(|w| std::fs::read(w.join(path)).ok()))
    };
    let report = revdrill_analyzer_go::analyze_diff_with(
        &diff,
        &post_image,
        &revdrill_analyzer_go::Options { go_version, ..Default::default() },
    );
    let meta = draft::Meta { id: &id, title: &title, source, body, notes: &notes, origin };
    let drill_toml = draft::drill_toml(&meta, &kept, &dropped, &parsed, &report.diagnostics);
    let drafted_findings = drill_toml.matches("\n[[findings]]").count().saturating_sub(1);
    let imported = Imported { id, drill_toml, diff, files: kept, dropped, notes, drafted_findings };
    imported.check()?;
    Ok(imported)
}

impl Imported {
    /// Loads the drafted pack from memory; any problem is a bug of the importer.
    fn check(&self) -> Result<(), ImportError> {
        let files =
            BTreeMap::from([("drill.toml".to_string(), self.drill_toml.clone()), ("change.diff".to_string(), self.diff.clone())]);
        let dir = self.id.clone();
        revdrill_pack::load_drill(&revdrill_pack::DrillFiles { dir: dir.clone(), origin: revdrill_pack::Origin::Dir(dir), files })
            .map(|_| ())
            .map_err(|e| ImportError::InvalidPack(e.0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")))
    }

    /// Writes `DIR/<id>/drill.toml` and `change.diff`; refuses to overwrite an existing drill.
    /// All or nothing: both files are written in a new hidden folder beside it, then moved in
    /// (the folder renamed, or into an existing folder that has no `drill.toml` yet, the diff
    /// first and `drill.toml` last); a failure (a full disk) removes what was written.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, ImportError> {
        let folder = dir.join(&self.id);
        if folder.join("drill.toml").exists() {
            return Err(ImportError::Exists { path: folder });
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ImportError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let tmp = dir.join(format!(".{}.import-{}-{nanos}", self.id, std::process::id()));
        std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        let r = self.write_into(&tmp, &folder);
        let _ = std::fs::remove_dir_all(&tmp);
        r.map(|()| folder)
    }

    /// Writes both files in `tmp`, then moves them to `folder`. Errors name the final paths.
    fn write_into(&self, tmp: &Path, folder: &Path) -> Result<(), ImportError> {
        let io = |path: PathBuf| move |source| ImportError::Io { path, source };
        for (name, text) in [("change.diff", &self.diff), ("drill.toml", &self.drill_toml)] {
            let file = std::fs::File::create(tmp.join(name)).map_err(io(folder.join(name)))?;
            let mut w = std::io::BufWriter::new(file);
            std::io::Write::write_all(&mut w, text.as_bytes()).map_err(io(folder.join(name)))?;
            let file = w.into_inner().map_err(|e| io(folder.join(name))(e.into_error()))?;
            file.sync_all().map_err(io(folder.join(name)))?;
        }
        if std::fs::rename(tmp, folder).is_ok() {
            return Ok(());
        }
        // The folder exists (without a drill.toml): move the files in, drill.toml last.
        for name in ["change.diff", "drill.toml"] {
            std::fs::rename(tmp.join(name), folder.join(name)).map_err(io(folder.join(name)))?;
        }
        Ok(())
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `fix: shimv1 leak issue` at `1a2b3c4...` -> `fix-shimv1-leak-issue-1a2b3c4`.
fn derive_id(subject: &str, commit: Option<&str>) -> String {
    let mut slug = String::new();
    for ch in subject.chars().flat_map(char::to_lowercase) {
        if ch == '\'' || ch == '\u{2019}' {
            continue; // don't -> dont
        }
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 48 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "imported" } else { slug };
    match commit {
        Some(c) => format!("{slug}-{}", &c[..c.len().min(7)].to_ascii_lowercase()),
        None => slug.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids() {
        assert_eq!(super::derive_id("fix: shimv1 leak issue", Some("1A2B3C4D5")), "fix-shimv1-leak-issue-1a2b3c4");
        assert_eq!(super::derive_id("修复", None), "imported");
    }
}
