//! A static analyzer for Go that reviews changes the way a Staff engineer would: goroutine
//! leaks, races on shared state, cancelled contexts and swallowed errors.
//!
//! It reads code with tree-sitter-go only: no Go toolchain, no type checker, no network. That
//! makes it fast and lets it run on any input, including a diff with no repository, at the cost
//! of guessing types from names; each rule documents what it cannot see.
//!
//! Entry points:
//! - [`analyze_source`]: one file in memory;
//! - [`analyze_paths`]: files and folders, in parallel on all cores;
//! - [`analyze_diff`]: a unified diff, reporting only findings on added lines;
//! - [`rules`] / [`rule`]: the registry, with each rule's documentation;
//! - [`render`]: text, JSON, SARIF 2.1.0 and GitHub review-comment outputs.
//!
//! Parsing never fails and nothing here panics on bad input: malformed Go is analysed as far as
//! the tree allows, binary or oversized files are skipped and counted in the [`Report`].
//!
//! A finding is silenced by `// revdrill:ignore GO006 why` on its line or the line above
//! (without a code, every rule on that line).
#![deny(missing_docs)]

mod ast;
mod checker;
mod diagnostic;
mod diff;
mod files;
mod package;
mod registry;
pub mod render;
mod rules;
mod summary;
mod types;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Lang, Level, Text};
pub use diff::{NOT_A_DIFF, SKIP_OUTSIDE, analyze_diff, analyze_diff_with};
pub use files::{analyze_paths, go_files};
pub use registry::{RuleInfo, Vocabulary, rule, rules};

use serde::Serialize;

/// The `go` directive of a `go.mod`: decides language semantics such as per-iteration loop
/// variables (Go 1.22).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GoVersion {
    /// Always 1 in practice.
    pub major: u32,
    /// The minor version, e.g. 22 for `go 1.22.3`.
    pub minor: u32,
}

impl GoVersion {
    /// Parses `1.21`, `1.21.3` or `go1.21rc1`.
    pub fn parse(s: &str) -> Option<GoVersion> {
        let s = s.trim().trim_start_matches("go");
        let mut parts = s.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor_str: String = parts.next().unwrap_or("0").chars().take_while(char::is_ascii_digit).collect();
        Some(GoVersion { major, minor: minor_str.parse().ok()? })
    }

    /// Reads the `go` directive from the text of a `go.mod`.
    pub fn from_go_mod(text: &str) -> Option<GoVersion> {
        text.lines().find_map(|l| l.trim().strip_prefix("go ").and_then(GoVersion::parse))
    }

    /// True when this version is older than `major.minor`.
    pub fn before(self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) < (major, minor)
    }
}

/// What to analyse and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Overrides the version read from the nearest `go.mod`. When neither is known, rules that
    /// depend on it assume the old semantics (Go code outside a module gets them too).
    pub go_version: Option<GoVersion>,
    /// Also analyse `vendor/` folders.
    pub include_vendor: bool,
    /// Files larger than this are skipped (and listed in [`Report::skipped`]).
    pub max_file_bytes: usize,
    /// Only run these rule codes (all when empty).
    pub select: Vec<String>,
    /// Never run these rule codes.
    pub ignore: Vec<String>,
}

/// The default [`Options::max_file_bytes`]: larger Go files are generated, not reviewed.
pub const MAX_FILE_BYTES: usize = 8 << 20;

/// The largest unified diff [`read_capped`] callers should accept (the CLI does).
pub const MAX_DIFF_BYTES: usize = 64 << 20;

impl Default for Options {
    fn default() -> Options {
        Options {
            go_version: None,
            include_vendor: false,
            max_file_bytes: MAX_FILE_BYTES,
            select: Vec::new(),
            ignore: Vec::new(),
        }
    }
}

/// Reads at most `cap` bytes from `reader`: `Ok(None)` when there is more (so `/dev/zero` or a
/// huge file costs `cap + 1` bytes of memory, never more).
pub fn read_capped(reader: impl std::io::Read, cap: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut buf = Vec::new();
    reader.take(cap as u64 + 1).read_to_end(&mut buf)?;
    Ok((buf.len() <= cap).then_some(buf))
}

/// Reads a file of at most `cap` bytes without following a symlink: `Err` says why not, in
/// English (`symlink (not followed)`, `too large`, or the I/O error).
pub(crate) fn read_file_capped(path: &Path, cap: usize) -> Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err(SKIP_SYMLINK.into());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    read_capped(file, cap).map_err(|e| e.to_string())?.ok_or_else(|| SKIP_TOO_LARGE.into())
}

/// [`Skipped::reason`] for a file over [`Options::max_file_bytes`].
pub const SKIP_TOO_LARGE: &str = "too large";
/// [`Skipped::reason`] for a symlink, which is never followed.
pub const SKIP_SYMLINK: &str = "symlink (not followed)";
/// [`Skipped::reason`] for a file nested deeper than any hand-written Go (generated or hostile).
pub const SKIP_TOO_DEEP: &str = "nested too deeply to analyse";
/// [`Skipped::reason`] for a file with NUL bytes.
pub const SKIP_BINARY: &str = "binary";

impl Options {
    pub(crate) fn enabled(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.eq_ignore_ascii_case(code)))
            && !self.ignore.iter().any(|s| s.eq_ignore_ascii_case(code))
    }
}

/// A file that was not analysed, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why, in English ([`SKIP_BINARY`], [`SKIP_TOO_LARGE`], [`SKIP_SYMLINK`], or the I/O error).
    pub reason: String,
}

/// The outcome of analysing many files.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// All findings, sorted by path, line, column and code.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were analysed.
    pub files: usize,
    /// How many lines they had.
    pub lines: usize,
    /// Files not analysed (binary, too large, symlinks).
    pub skipped: Vec<Skipped>,
    /// Inputs that could not be read at all (missing path, permission).
    pub errors: Vec<Skipped>,
}

/// Analyses one Go file in memory. Never panics; returns no findings for binary, oversized or
/// too deeply nested input. The file is its own package: names resolve to its declarations only.
pub fn analyze_source(path: &str, source: &[u8], options: &Options) -> Vec<Diagnostic> {
    let Some(src) = decode(source, options) else { return Vec::new() };
    let Some(tree) = parse(&src) else { return Vec::new() };
    let package = package::Package::collect([(src.as_str(), &tree)]);
    let Ok(mut out) = check_tree(path, &src, &tree, options.go_version, &package, options) else { return Vec::new() };
    sort(&mut out);
    out
}

/// Decodes input as text: `None` for binary (NUL bytes) or oversized input; invalid UTF-8 is
/// replaced, which keeps line numbers.
pub(crate) fn decode(source: &[u8], options: &Options) -> Option<String> {
    if source.len() > options.max_file_bytes || is_binary(source) {
        return None;
    }
    Some(String::from_utf8_lossy(source).into_owned())
}

pub(crate) fn is_binary(source: &[u8]) -> bool {
    source[..source.len().min(8192)].contains(&0)
}

/// Parses Go source; `None` only if tree-sitter gives up entirely. One parser per thread is
/// reused: a fresh parser per file costs a noticeable share of the parse itself.
pub(crate) fn parse(src: &str) -> Option<tree_sitter::Tree> {
    thread_local! {
        static PARSER: std::cell::RefCell<Option<tree_sitter::Parser>> = const { std::cell::RefCell::new(None) };
    }
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&tree_sitter_go::LANGUAGE.into()).ok()?;
            *slot = Some(parser);
        }
        let parser = slot.as_mut()?;
        let tree = parser.parse(src, None);
        if tree.is_none() {
            parser.reset();
        }
        tree
    })
}

/// Runs every enabled per-file rule on a parsed file; `Err` with a [`Skipped::reason`] when the
/// file is not analysed.
pub(crate) fn check_tree(
    path: &str,
    src: &str,
    tree: &tree_sitter::Tree,
    go_version: Option<GoVersion>,
    package: &package::Package,
    options: &Options,
) -> Result<Vec<Diagnostic>, &'static str> {
    let checker = checker::Checker::new(tree, src, path, go_version, package);
    if checker.index.too_deep {
        return Err(SKIP_TOO_DEEP);
    }
    let mut out = Vec::new();
    for rule in rules::RULES {
        if !rule.info.diff_only && options.enabled(rule.info.code) && (rule.tests || !checker.is_test) {
            (rule.check)(&checker, &mut out);
        }
    }
    if src.contains("revdrill:ignore") {
        out.retain(|d| !suppressed(src, d));
    }
    if src.contains("nolint") {
        out.retain(|d| !nolint(src, d));
    }
    drop_subsumed(&mut out);
    Ok(out)
}

/// A `// revdrill:ignore GO006 reason` comment on the finding's line or the line above hides
/// it; without a code it hides every rule there.
fn suppressed(src: &str, d: &Diagnostic) -> bool {
    let line = d.line as usize;
    src.lines().skip(line.saturating_sub(2)).take(if line >= 2 { 2 } else { 1 }).any(|l| {
        l.split_once("revdrill:ignore").is_some_and(|(_, rest)| {
            let codes: Vec<&str> = rest.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| w.starts_with("GO")).collect();
            codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(d.code))
        })
    })
}

/// A golangci-lint `//nolint` on the finding's first line (or alone on the line above): bare, it silences every rule; with
/// linter names (`//nolint:errcheck,gosec`), the rules that report what one of them reports
/// ([`RuleInfo::nolint`]). The author already judged that line.
fn nolint(src: &str, d: &Diagnostic) -> bool {
    let at = (d.line as usize).saturating_sub(1);
    let mut lines = src.lines().skip(at.saturating_sub(1));
    let above = if at > 0 { lines.next().filter(|l| l.trim_start().starts_with("//nolint")) } else { None };
    let Some(line) = lines.next() else { return false };
    // On the line itself, or alone on the line above (golangci-lint applies it to the next
    // statement).
    let Some((_, rest)) = line.split_once("//nolint").or_else(|| above?.split_once("//nolint")) else { return false };
    let Some(names) = rest.strip_prefix(':') else { return true };
    let names = names.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    let same = rule(d.code).map_or(&[][..], |r| r.nolint);
    names.split(',').any(|n| n.eq_ignore_ascii_case("all") || same.iter().any(|s| s.eq_ignore_ascii_case(n)))
}

/// Sorts findings and drops exact duplicates (same rule, same place).
pub(crate) fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code)));
    diags.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.column == b.column && a.code == b.code);
}

/// Rules that say more about a call than another rule on the very same call: (kept, dropped).
/// `srv.Shutdown(ctx)` after `<-ctx.Done()` is one comment (the cancelled context), not two.
const SUBSUMES: &[(&str, &str)] = &[("GO003", "GO006")];

fn drop_subsumed(diags: &mut Vec<Diagnostic>) {
    let kept: Vec<(u32, u32, &'static str)> = diags.iter().map(|d| (d.line, d.column, d.code)).collect();
    diags.retain(|d| !SUBSUMES.iter().any(|(k, dropped)| *dropped == d.code && kept.contains(&(d.line, d.column, *k))));
}

/// Finds the `go` version of the module that contains `dir`, looking upwards for `go.mod`.
pub fn find_go_version(dir: &Path) -> Option<GoVersion> {
    dir.ancestors().find_map(|d| std::fs::read_to_string(d.join("go.mod")).ok()).and_then(|t| GoVersion::from_go_mod(&t))
}
