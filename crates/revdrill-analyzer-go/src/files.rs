//! Many files: finding `.go` files under folders and analysing them on all cores.
//!
//! Two passes: the first reads every file and collects the error-returning functions they
//! declare (from the text, without parsing); the second parses each file and runs the rules
//! with that shared set, dropping the tree as soon as the file is done.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::checker::ErrorFuncs;
use crate::{GoVersion, Options, Report, Skipped, check_tree, decode, find_go_version, is_binary, parse, sort};

/// Lists the `.go` files under `paths` (files are taken as given), sorted. Skips `vendor/`
/// (unless [`Options::include_vendor`]), `testdata/`, and folders starting with `.` or `_`, as the
/// Go tool does. Paths that cannot be read are returned as errors.
pub fn go_files(paths: &[PathBuf], options: &Options) -> (Vec<PathBuf>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk_dir(path, options, &mut files, &mut errors),
            Ok(_) => files.push(path.clone()),
            Err(e) => errors.push(Skipped { path: path.clone(), reason: e.to_string() }),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk_dir(dir: &Path, options: &Options, files: &mut Vec<PathBuf>, errors: &mut Vec<Skipped>) {
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
            }
        }
    }
}

struct Loaded {
    path: PathBuf,
    src: String,
    version: Option<GoVersion>,
}

/// Analyses files and folders in parallel on all cores.
pub fn analyze_paths(paths: &[PathBuf], options: &Options) -> Report {
    let (files, errors) = go_files(paths, options);
    let versions = versions_by_dir(&files, options);
    let skipped = Mutex::new(Vec::new());

    // Pass 1: read, and collect error-returning functions from the text (cheap, no parse).
    let loaded: Vec<Option<(Loaded, ErrorFuncs)>> = par_map(&files, |path| {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                skipped.lock().unwrap_or_else(|p| p.into_inner()).push(Skipped { path: path.clone(), reason: e.to_string() });
                return None;
            }
        };
        let Some(src) = decode(&bytes, options) else {
            let reason = if is_binary(&bytes) { "binary" } else { "too large" };
            skipped.lock().unwrap_or_else(|p| p.into_inner()).push(Skipped { path: path.clone(), reason: reason.into() });
            return None;
        };
        let funcs = ErrorFuncs::collect(&src);
        let version = path.parent().and_then(|d| versions.get(d).copied().flatten());
        Some((Loaded { path: path.clone(), src, version }, funcs))
    });
    let mut funcs = ErrorFuncs::default();
    let loaded: Vec<Loaded> = loaded
        .into_iter()
        .flatten()
        .map(|(p, f)| {
            funcs.merge(&f);
            p
        })
        .collect();

    // Pass 2: parse and run the rules; each tree is dropped as soon as its file is done.
    let results = par_map(&loaded, |p| {
        let path = p.path.to_string_lossy().replace('\\', "/");
        let Some(tree) = parse(&p.src) else { return Vec::new() };
        check_tree(&path, &p.src, &tree, options.go_version.or(p.version), &funcs, options)
    });
    let mut report = Report {
        diagnostics: results.into_iter().flatten().collect(),
        files: loaded.len(),
        lines: loaded.iter().map(|p| p.src.lines().count()).sum(),
        skipped: skipped.into_inner().unwrap_or_else(|p| p.into_inner()),
        errors,
    };
    sort(&mut report.diagnostics);
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report
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
