//! Many files: finding `.go` files under folders and analysing them on all cores.
//!
//! Two passes: the first reads every file and collects the error-returning functions they
//! declare (from the text, without parsing); the second parses each file and runs the rules
//! with that shared set, dropping the tree as soon as the file is done.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::Diagnostic;
use crate::package::Package;
use crate::{
    GoVersion, Options, Report, SKIP_BINARY, SKIP_SYMLINK, SKIP_TOO_LARGE, Skipped, check_tree, decode, find_go_version,
    is_binary, parse, read_file_capped, sort,
};

/// Lists the `.go` files under `paths` (files are taken as given), sorted. Skips `vendor/`
/// (unless [`Options::include_vendor`]), `testdata/`, and folders starting with `.` or `_`, as the
/// Go tool does. Paths that cannot be read are returned as errors.
///
/// Symlinks found while walking a folder are not followed (a link to `.` would loop); a
/// symlinked `.go` file is listed in `skipped`, so that leaving it out is never silent.
/// Paths given explicitly are taken as given.
pub fn go_files(paths: &[PathBuf], options: &Options) -> (Vec<PathBuf>, Vec<Skipped>) {
    let (files, errors, _) = list_go_files(paths, options);
    (files, errors)
}

/// [`go_files`] with the symlinked `.go` files left out, as a third list.
fn list_go_files(paths: &[PathBuf], options: &Options) -> (Vec<PathBuf>, Vec<Skipped>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk_dir(path, options, &mut files, &mut errors, &mut skipped),
            Ok(_) => files.push(path.clone()),
            Err(e) => errors.push(Skipped { path: path.clone(), reason: e.to_string() }),
        }
    }
    files.sort();
    files.dedup();
    (files, errors, skipped)
}

fn walk_dir(dir: &Path, options: &Options, files: &mut Vec<PathBuf>, errors: &mut Vec<Skipped>, skipped: &mut Vec<Skipped>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                errors.push(Skipped { path: d, reason: e.to_string() });
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                let skip = name.starts_with('.')
                    || name.starts_with('_')
                    || name == "testdata"
                    || (name == "vendor" && !options.include_vendor);
                if !skip {
                    stack.push(path);
                }
            } else if ft.is_file() && name.ends_with(".go") {
                files.push(path);
            } else if ft.is_symlink() && name.ends_with(".go") {
                skipped.push(Skipped { path, reason: SKIP_SYMLINK.into() });
            }
        }
    }
}

struct Loaded {
    path: PathBuf,
    src: String,
    version: Option<GoVersion>,
}

/// Analyses files and folders in parallel on all cores, one package at a time: the files of a
/// folder are parsed together, so that names resolve within their package (see
/// [`Package`]), and their trees are dropped as soon as the folder is done.
pub fn analyze_paths(paths: &[PathBuf], options: &Options) -> Report {
    let (files, errors, symlinks) = list_go_files(paths, options);
    let versions = versions_by_dir(&files, options);
    let skipped = Mutex::new(symlinks);

    // Pass 1: read, capped at the size limit.
    let loaded: Vec<Option<Loaded>> = par_map(&files, |path| {
        let skip =
            |reason: String| skipped.lock().unwrap_or_else(|p| p.into_inner()).push(Skipped { path: path.clone(), reason });
        let bytes = match read_file_capped(path, options.max_file_bytes) {
            Ok(b) => b,
            Err(reason) => {
                skip(reason);
                return None;
            }
        };
        let Some(src) = decode(&bytes, options) else {
            skip(if is_binary(&bytes) { SKIP_BINARY } else { SKIP_TOO_LARGE }.into());
            return None;
        };
        let version = path.parent().and_then(|d| versions.get(d).copied().flatten());
        Some(Loaded { path: path.clone(), src, version })
    });
    let loaded: Vec<Loaded> = loaded.into_iter().flatten().collect();

    // Pass 2: per folder, parse, collect each package's declarations, run the rules.
    let mut by_dir: std::collections::BTreeMap<Option<&Path>, Vec<&Loaded>> = Default::default();
    for l in &loaded {
        by_dir.entry(l.path.parent()).or_default().push(l);
    }
    let folders: Vec<Vec<&Loaded>> = by_dir.into_values().collect();
    let results = par_map(&folders, |folder| analyze_folder(folder, options));
    let mut skipped = skipped.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut diagnostics = Vec::new();
    for (diags, skips) in results {
        diagnostics.extend(diags);
        skipped.extend(skips);
    }
    let mut report =
        Report { diagnostics, files: loaded.len(), lines: loaded.iter().map(|p| p.src.lines().count()).sum(), skipped, errors };
    sort(&mut report.diagnostics);
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

/// The files of one folder: parsed, grouped by `package` clause, and checked.
fn analyze_folder(folder: &[&Loaded], options: &Options) -> (Vec<Diagnostic>, Vec<Skipped>) {
    let parsed: Vec<(&Loaded, tree_sitter::Tree)> = folder.iter().filter_map(|&l| Some((l, parse(&l.src)?))).collect();
    let sources: Vec<(&str, &tree_sitter::Tree)> = parsed.iter().map(|(l, t)| (l.src.as_str(), t)).collect();
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for (package, members) in Package::by_clause(&sources) {
        for i in members {
            let (l, tree) = &parsed[i];
            let path = l.path.to_string_lossy().replace('\\', "/");
            match check_tree(&path, &l.src, tree, options.go_version.or(l.version), &package, options) {
                Ok(diags) => out.extend(diags),
                Err(reason) => skipped.push(Skipped { path: l.path.clone(), reason: reason.into() }),
            }
        }
    }
    (out, skipped)
}

fn versions_by_dir(files: &[PathBuf], options: &Options) -> HashMap<PathBuf, Option<GoVersion>> {
    let mut map = HashMap::new();
    if options.go_version.is_some() {
        return map;
    }
    for f in files {
        if let Some(d) = f.parent() {
            map.entry(d.to_path_buf()).or_insert_with(|| find_go_version(d));
        }
    }
    map
}

/// Maps `f` over `items` on all cores, keeping order.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = Vec::with_capacity(items.len());
    slots.resize_with(items.len(), || None);
    let slots = Mutex::new(slots);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    local.push((i, f(&items[i])));
                }
                let mut slots = slots.lock().unwrap_or_else(|p| p.into_inner());
                for (i, r) in local {
                    slots[i] = Some(r);
                }
            });
        }
    });
    slots.into_inner().unwrap_or_else(|p| p.into_inner()).into_iter().flatten().collect()
}
