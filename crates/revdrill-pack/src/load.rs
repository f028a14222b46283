//! Reading drills from `drill.toml` + `change.diff`, on disk or in memory, with every problem
//! located by file, line and field.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::path::Path;

use serde::Deserialize;

use crate::diff::{FileDiff, parse_unified};
use crate::error::{PackError, PackErrors, line_of_offset};
use crate::model::*;

/// The files of one drill folder, already read.
#[derive(Debug, Clone)]
pub struct DrillFiles {
    /// The folder as the user names it, for messages (e.g. `catalog/foo`).
    pub dir: String,
    /// Where it came from.
    pub origin: Origin,
    /// Every file of the folder: path relative to it (with `/`) and text.
    pub files: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDrill {
    id: String,
    title: String,
    source: String,
    language: String,
    difficulty: Difficulty,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default = "default_diff")]
    diff: String,
    purpose: Localized,
    new_logic: LocalizedList,
    checklist: Vec<RawItem>,
    #[serde(default)]
    concepts: BTreeMap<String, ConceptTerms>,
    findings: Vec<RawFinding>,
    #[serde(default)]
    traps: Vec<RawTrap>,
    #[serde(default)]
    decoys: Vec<RawDecoy>,
}

fn default_diff() -> String {
    "change.diff".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    #[serde(default)]
    kind: ItemKind,
    #[serde(default)]
    covers: Vec<String>,
    prompt: Localized,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawLine {
    One(u32),
    Range(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    id: String,
    category: Category,
    severity: Severity,
    lines: Vec<RawLine>,
    #[serde(default)]
    rules: Vec<String>,
    hit: Vec<ConceptGroup>,
    #[serde(default)]
    partial: Vec<ConceptGroup>,
    problem: Localized,
    risk: Localized,
    suggestion: Localized,
    #[serde(default)]
    code: Option<String>,
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrap {
    id: String,
    #[serde(rename = "match")]
    matches: Vec<ConceptGroup>,
    #[serde(default)]
    unless: Vec<String>,
    feedback: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecoy {
    id: String,
    #[serde(default)]
    lines: Vec<RawLine>,
    #[serde(default, rename = "match")]
    matches: Vec<ConceptGroup>,
    why: Localized,
}

/// Collects errors for one drill, locating fields in its `drill.toml`.
struct Errors<'a> {
    file: String,
    text: &'a str,
    list: Vec<PackError>,
}

impl Errors<'_> {
    fn at(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        let line = locate(self.text, &field);
        self.list.push(PackError { file: self.file.clone(), line, field, message: message.into() });
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Loads one drill from its files; every problem found is returned, not only the first.
pub fn load_drill(files: &DrillFiles) -> Result<Drill, PackErrors> {
    let toml_file = format!("{}/drill.toml", files.dir);
    let Some(text) = files.files.get("drill.toml") else {
        return Err(PackErrors(vec![PackError {
            file: toml_file,
            line: None,
            field: String::new(),
            message: "missing file".into(),
        }]));
    };
    let raw: RawDrill = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map(|s| line_of_offset(text, s.start));
            let message = e.message().to_string();
            let field = locate_error_field(text, e.span());
            return Err(PackErrors(vec![PackError { file: toml_file, line, field, message }]));
        }
    };
    let mut errs = Errors { file: toml_file, text, list: Vec::new() };

    check_header(&mut errs, &raw);
    let (diff_text, diff, shown) = load_diff(&mut errs, files, &raw.diff);
    let shown = shown.as_ref();
    check_concept_terms(&mut errs, &raw.concepts);

    // Findings.
    let mut finding_ids = BTreeSet::new();
    let mut findings = Vec::new();
    for (i, f) in raw.findings.into_iter().enumerate() {
        let field = format!("findings[{i}]");
        if !is_id(&f.id) {
            errs.at(format!("{field}.id"), format!("`{}` is not an id", f.id));
        }
        if !finding_ids.insert(f.id.clone()) {
            errs.at(format!("{field}.id"), format!("duplicate finding id `{}`", f.id));
        }
        let lines = parse_lines(&mut errs, &format!("{field}.lines"), &f.lines, shown);
        if lines.is_empty() {
            errs.at(format!("{field}.lines"), "a finding needs at least one anchor line");
        }
        check_groups(&mut errs, &format!("{field}.hit"), &f.hit, true);
        check_groups(&mut errs, &format!("{field}.partial"), &f.partial, false);
        for (name, t) in [("problem", &f.problem), ("risk", &f.risk), ("suggestion", &f.suggestion)] {
            check_localized(&mut errs, &format!("{field}.{name}"), t);
        }
        if f.comment.trim().is_empty() {
            errs.at(format!("{field}.comment"), "a model English comment is required");
        }
        findings.push(Finding {
            id: f.id,
            category: f.category,
            severity: f.severity,
            lines,
            rules: f.rules,
            hit: f.hit,
            partial: f.partial,
            problem: f.problem,
            risk: f.risk,
            suggestion: f.suggestion,
            code: f.code.map(|c| c.trim_matches('\n').to_string()),
            comment: f.comment,
        });
    }
    if findings.is_empty() {
        errs.at("findings", "a drill needs at least one finding");
    }

    // Checklist.
    let mut item_ids = BTreeSet::new();
    let mut checklist = Vec::new();
    for (i, it) in raw.checklist.into_iter().enumerate() {
        let field = format!("checklist[{i}]");
        if !is_id(&it.id) {
            errs.at(format!("{field}.id"), format!("`{}` is not an id", it.id));
        }
        if !item_ids.insert(it.id.clone()) {
            errs.at(format!("{field}.id"), format!("duplicate checklist id `{}`", it.id));
        }
        for (j, c) in it.covers.iter().enumerate() {
            if !finding_ids.contains(c) {
                errs.at(format!("{field}.covers[{j}]"), format!("no finding has id `{c}`"));
            }
        }
        check_localized(&mut errs, &format!("{field}.prompt"), &it.prompt);
        checklist.push(ChecklistItem { id: it.id, kind: it.kind, covers: it.covers, prompt: it.prompt });
    }
    if checklist.is_empty() {
        errs.at("checklist", "a drill needs at least one checklist item");
    }

    // Traps and decoys.
    let mut traps = Vec::new();
    for (i, t) in raw.traps.into_iter().enumerate() {
        let field = format!("traps[{i}]");
        if !is_id(&t.id) {
            errs.at(format!("{field}.id"), format!("`{}` is not an id", t.id));
        }
        check_groups(&mut errs, &format!("{field}.match"), &t.matches, true);
        check_localized(&mut errs, &format!("{field}.feedback"), &t.feedback);
        traps.push(Trap { id: t.id, matches: t.matches, unless: t.unless, feedback: t.feedback });
    }
    let mut decoys = Vec::new();
    for (i, d) in raw.decoys.into_iter().enumerate() {
        let field = format!("decoys[{i}]");
        if !is_id(&d.id) {
            errs.at(format!("{field}.id"), format!("`{}` is not an id", d.id));
        }
        let lines = parse_lines(&mut errs, &format!("{field}.lines"), &d.lines, shown);
        for r in &lines {
            let overlaps = |f: &&Finding| f.lines.iter().any(|a| a.start() <= r.end() && r.start() <= a.end());
            if let Some(f) = findings.iter().find(overlaps) {
                errs.at(format!("{field}.lines"), format!("overlaps the anchor lines of finding `{}`", f.id));
            }
        }
        if lines.is_empty() && d.matches.is_empty() {
            errs.at(&field, "a decoy needs `lines`, `match`, or both");
        }
        check_groups(&mut errs, &format!("{field}.match"), &d.matches, false);
        check_localized(&mut errs, &format!("{field}.why"), &d.why);
        decoys.push(Decoy { id: d.id, lines, matches: d.matches, why: d.why });
    }

    let examples = files
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("answers/") && p.ends_with(".json"))
        .map(|(p, t)| (p.clone(), t.clone()))
        .collect();

    if !errs.list.is_empty() {
        errs.list.sort_by_key(|e| (e.file.clone(), e.line));
        return Err(PackErrors(errs.list));
    }
    Ok(Drill {
        id: raw.id,
        title: raw.title,
        source: raw.source,
        language: raw.language,
        difficulty: raw.difficulty,
        tags: raw.tags,
        purpose: raw.purpose,
        new_logic: raw.new_logic,
        checklist,
        concepts: raw.concepts,
        findings,
        traps,
        decoys,
        diff_text,
        diff,
        examples,
        origin: files.origin.clone(),
        toml_text: text.clone(),
    })
}

/// Whether a text is one line (title, source, terms) or may hold line breaks and tabs.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    OneLine,
    MultiLine,
}

/// The first control character of `s` not allowed in a text of this shape: ESC, BEL and the
/// other C0 and C1 controls could retitle, clear or take over the learner's terminal.
fn bad_control(s: &str, shape: Shape) -> Option<char> {
    s.chars().find(|&c| c.is_control() && !(shape == Shape::MultiLine && matches!(c, '\n' | '\t' | '\r')))
}

fn check_text(errs: &mut Errors, field: &str, s: &str, shape: Shape) {
    if let Some(c) = bad_control(s, shape) {
        let what = if shape == Shape::OneLine { "a one-line text" } else { "a text" };
        errs.at(field, format!("control character U+{:04X} is not allowed in {what}", c as u32));
    }
}
/// The drill's own fields: id, source, title, language, purpose and new-logic bullets.
fn check_header(errs: &mut Errors, raw: &RawDrill) {
    if !is_id(&raw.id) {
        errs.at("id", format!("`{}` is not an id: use lower-case letters, digits and `-`", raw.id));
    }
    // `git:` and `file://` name where `revdrill import` read a commit or patch with no web URL.
    let local = ["git:", "file://"].iter().any(|p| raw.source.strip_prefix(p).is_some_and(|r| !r.trim().is_empty()));
    if !(raw.source.starts_with("https://") || raw.source.starts_with("http://") || local) {
        errs.at("source", "must be the URL of the real pull request or issue the drill is modeled on (or, for an imported drill, `git:REPO@COMMIT` or `file://PATCH`)");
    }
    if raw.title.trim().is_empty() {
        errs.at("title", "must not be empty");
    }
    check_texts(errs, raw);
    if raw.language.trim().is_empty() {
        errs.at("language", "must not be empty");
    }
    check_localized(errs, "purpose", &raw.purpose);
    if raw.new_logic.en.is_empty() || raw.new_logic.en.len() != raw.new_logic.zh.len() {
        errs.at("new_logic", "needs the same number (at least one) of `en` and `zh` bullets");
    }
}

/// Reads and parses the drill's diff: its text, its files, and the new-file lines anchors may
/// name (`None` when the diff is missing or broken, which is already an error, so anchors are not
/// checked twice).
fn load_diff(errs: &mut Errors, files: &DrillFiles, name: &str) -> (String, Vec<FileDiff>, Option<BTreeSet<u32>>) {
    let diff_file = format!("{}/{}", files.dir, name);
    let (diff_text, diff) = match files.files.get(name) {
        None => {
            errs.at("diff", format!("file `{diff_file}` not found"));
            (String::new(), Vec::new())
        }
        Some(t) => match parse_unified(t) {
            Ok(d) => (t.clone(), d),
            Err(e) => {
                errs.list.push(PackError {
                    file: diff_file.clone(),
                    line: Some(e.line),
                    field: String::new(),
                    message: e.message,
                });
                (t.clone(), Vec::new())
            }
        },
    };
    let diff_ok = !errs.list.iter().any(|e| e.file == diff_file) && files.files.contains_key(name);
    let shown = diff_ok.then(|| diff.iter().flat_map(|f| f.lines()).filter_map(|l| l.new_line).collect());
    (diff_text, diff, shown)
}

/// Concept names and terms.
fn check_concept_terms(errs: &mut Errors, concepts: &BTreeMap<String, ConceptTerms>) {
    for (name, terms) in concepts {
        let field = format!("concepts.{name}");
        if !is_id(name) {
            errs.at(&field, "concept names use lower-case letters, digits and `-`");
        }
        if terms.en.is_empty() && terms.zh.is_empty() {
            errs.at(&field, "a concept needs at least one term");
        }
        for (lang, list) in [("en", &terms.en), ("zh", &terms.zh)] {
            for (i, t) in list.iter().enumerate() {
                if t.trim().is_empty() {
                    errs.at(format!("{field}.{lang}[{i}]"), "empty term");
                } else if t.matches('`').count() % 2 == 1 {
                    errs.at(format!("{field}.{lang}[{i}]"), "unbalanced backtick: code is wrapped in backticks on both sides");
                }
            }
        }
    }
}

/// Every text of the drill that reaches a terminal, checked for control characters.
fn check_texts(errs: &mut Errors, raw: &RawDrill) {
    use Shape::*;
    for (field, s) in [("title", &raw.title), ("source", &raw.source), ("language", &raw.language), ("diff", &raw.diff)] {
        check_text(errs, field, s, OneLine);
    }
    for (i, t) in raw.tags.iter().enumerate() {
        check_text(errs, &format!("tags[{i}]"), t, OneLine);
    }
    let localized = |errs: &mut Errors, field: &str, t: &Localized| {
        check_text(errs, &format!("{field}.en"), &t.en, MultiLine);
        check_text(errs, &format!("{field}.zh"), &t.zh, MultiLine);
    };
    localized(errs, "purpose", &raw.purpose);
    for (lang, list) in [("en", &raw.new_logic.en), ("zh", &raw.new_logic.zh)] {
        for (i, b) in list.iter().enumerate() {
            check_text(errs, &format!("new_logic.{lang}[{i}]"), b, MultiLine);
        }
    }
    for (name, terms) in &raw.concepts {
        for (lang, list) in [("en", &terms.en), ("zh", &terms.zh)] {
            for (i, t) in list.iter().enumerate() {
                check_text(errs, &format!("concepts.{name}.{lang}[{i}]"), t, OneLine);
            }
        }
    }
    for (i, it) in raw.checklist.iter().enumerate() {
        localized(errs, &format!("checklist[{i}].prompt"), &it.prompt);
    }
    for (i, f) in raw.findings.iter().enumerate() {
        let field = format!("findings[{i}]");
        for (name, t) in [("problem", &f.problem), ("risk", &f.risk), ("suggestion", &f.suggestion)] {
            localized(errs, &format!("{field}.{name}"), t);
        }
        check_text(errs, &format!("{field}.code"), f.code.as_deref().unwrap_or(""), MultiLine);
        check_text(errs, &format!("{field}.comment"), &f.comment, MultiLine);
    }
    for (i, t) in raw.traps.iter().enumerate() {
        localized(errs, &format!("traps[{i}].feedback"), &t.feedback);
    }
    for (i, d) in raw.decoys.iter().enumerate() {
        localized(errs, &format!("decoys[{i}].why"), &d.why);
    }
}

fn check_localized(errs: &mut Errors, field: &str, t: &Localized) {
    if t.en.trim().is_empty() {
        errs.at(format!("{field}.en"), "must not be empty");
    }
    if t.zh.trim().is_empty() {
        errs.at(format!("{field}.zh"), "must not be empty");
    }
}

fn check_groups(errs: &mut Errors, field: &str, groups: &[ConceptGroup], required: bool) {
    if required && groups.is_empty() {
        errs.at(field, "needs at least one group of concepts");
    }
    for (i, g) in groups.iter().enumerate() {
        if g.is_empty() {
            errs.at(format!("{field}[{i}]"), "an empty group would match everything");
        }
    }
}

fn parse_lines(errs: &mut Errors, field: &str, raw: &[RawLine], shown: Option<&BTreeSet<u32>>) -> Vec<RangeInclusive<u32>> {
    let mut out = Vec::new();
    for (i, l) in raw.iter().enumerate() {
        let range = match l {
            RawLine::One(n) => Some(*n..=*n),
            RawLine::Range(s) => s
                .split_once('-')
                .and_then(|(a, b)| Some(a.trim().parse::<u32>().ok()?..=b.trim().parse::<u32>().ok()?))
                .filter(|r| r.start() <= r.end()),
        };
        let Some(range) = range else {
            errs.at(format!("{field}[{i}]"), "a line is a number or a range such as \"12-15\"");
            continue;
        };
        if let Some(shown) = shown {
            if let Some(bad) = range.clone().find(|n| !shown.contains(n)) {
                errs.at(format!("{field}[{i}]"), format!("line {bad} is not a new-file line of the diff"));
                continue;
            }
        }
        out.push(range);
    }
    out
}

/// How deep `load_dir` looks below a drill folder (`answers/` is one level).
pub const MAX_DEPTH: usize = 8;

/// The largest file a drill folder may hold, in bytes (diffs are meant to be small).
pub const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// Reads one drill folder from disk. Symbolic links to folders are not followed (a link to `.`
/// would make the walk endless), the walk stops `MAX_DEPTH` folders down, and files are read
/// only up to `MAX_FILE_SIZE`.
pub fn load_dir(dir: &Path) -> Result<Drill, PackErrors> {
    let name = dir.display().to_string();
    let mut files = BTreeMap::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| io_error(&d.display().to_string(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&name, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| io_error(&path.display().to_string(), e))?;
            if kind.is_dir() {
                if depth < MAX_DEPTH {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let interesting = rel == "drill.toml" || rel.ends_with(".diff") || rel.ends_with(".patch") || rel.ends_with(".json");
            // A link to a folder is skipped; a link to a file is read like the file.
            if interesting && (kind.is_file() || (kind.is_symlink() && path.is_file())) {
                files.insert(rel, read_capped(&path)?);
            }
        }
    }
    load_drill(&DrillFiles { dir: name.clone(), origin: Origin::Dir(name), files })
}

/// Reads a text file, refusing one over `MAX_FILE_SIZE` without reading all of it.
fn read_capped(path: &Path) -> Result<String, PackErrors> {
    use std::io::Read;
    let file = path.display().to_string();
    let f = std::fs::File::open(path).map_err(|e| io_error(&file, e))?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_SIZE + 1).read_to_end(&mut bytes).map_err(|e| io_error(&file, e))?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(one_error(&file, format!("larger than {MAX_FILE_SIZE} bytes: drill files are meant to be small")));
    }
    String::from_utf8(bytes).map_err(|e| one_error(&file, format!("not UTF-8 text ({e})")))
}

fn one_error(file: &str, message: String) -> PackErrors {
    PackErrors(vec![PackError { file: file.to_string(), line: None, field: String::new(), message }])
}

fn io_error(file: &str, e: std::io::Error) -> PackErrors {
    one_error(file, e.to_string())
}

/// Reads every drill of a pack folder (or the folder itself when it holds `drill.toml`).
/// Drills that load are returned beside the problems of those that do not.
pub fn load_pack(dir: &Path) -> (Vec<Drill>, PackErrors) {
    if dir.join("drill.toml").is_file() {
        return match load_dir(dir) {
            Ok(d) => (vec![d], PackErrors::default()),
            Err(e) => (Vec::new(), e),
        };
    }
    let mut drills = Vec::new();
    let mut errors = PackErrors::default();
    let mut subdirs: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.join("drill.toml").is_file()).collect(),
        Err(e) => return (Vec::new(), io_error(&dir.display().to_string(), e)),
    };
    subdirs.sort();
    if subdirs.is_empty() {
        errors.0.push(PackError {
            file: dir.display().to_string(),
            line: None,
            field: String::new(),
            message: "no drill here: a pack folder holds drill folders, each with a drill.toml".into(),
        });
    }
    for sub in subdirs {
        match load_dir(&sub) {
            Ok(d) => drills.push(d),
            Err(e) => errors.0.extend(e.0),
        }
    }
    (drills, errors)
}

/// One error for each drill whose id an earlier drill of `drills` already has, naming both
/// `drill.toml` files (a drill must never silently shadow another).
pub fn duplicate_ids(drills: &[Drill]) -> Vec<PackError> {
    let mut first: BTreeMap<&str, &Drill> = BTreeMap::new();
    let mut out = Vec::new();
    for d in drills {
        match first.get(d.id.as_str()) {
            None => {
                first.insert(&d.id, d);
            }
            Some(earlier) => out.push(PackError {
                file: d.toml_path(),
                line: d.line_of("id"),
                field: "id".into(),
                message: format!(
                    "drill id `{}` is also the id of {}: ids must be unique across the catalog and --packs",
                    d.id,
                    earlier.toml_path()
                ),
            }),
        }
    }
    out
}

/// The field named by a deserialization error's span, as `a.b[2].c`, when it can be found.
fn locate_error_field(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else { return String::new() };
    let Ok(doc) = toml_edit::Document::parse(text) else { return String::new() };
    let mut best: Option<(usize, String)> = None;
    walk(doc.as_table(), String::new(), &mut |path, s| {
        if s.start <= span.start && span.end <= s.end.max(s.start + 1) {
            let width = s.end - s.start;
            if best.as_ref().is_none_or(|(w, _)| width <= *w) {
                best = Some((width, path.to_string()));
            }
        }
    });
    best.map(|(_, p)| p).unwrap_or_default()
}

fn walk(table: &toml_edit::Table, prefix: String, f: &mut dyn FnMut(&str, std::ops::Range<usize>)) {
    for (key, item) in table.iter() {
        let path = if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
        walk_item(item, path, f);
    }
}

fn walk_item(item: &toml_edit::Item, path: String, f: &mut dyn FnMut(&str, std::ops::Range<usize>)) {
    match item {
        toml_edit::Item::Table(t) => {
            if let Some(s) = t.span() {
                f(&path, s);
            }
            walk(t, path, f);
        }
        toml_edit::Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                let p = format!("{path}[{i}]");
                if let Some(s) = t.span() {
                    f(&p, s);
                }
                walk(t, p, f);
            }
        }
        toml_edit::Item::Value(v) => walk_value(v, path, f),
        toml_edit::Item::None => {}
    }
}

fn walk_value(v: &toml_edit::Value, path: String, f: &mut dyn FnMut(&str, std::ops::Range<usize>)) {
    if let Some(s) = v.span() {
        f(&path, s);
    }
    match v {
        toml_edit::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk_value(x, format!("{path}[{i}]"), f);
            }
        }
        toml_edit::Value::InlineTable(t) => {
            for (k, x) in t.iter() {
                walk_value(x, format!("{path}.{k}"), f);
            }
        }
        _ => {}
    }
}

/// The 1-based line of `field` (e.g. `findings[1].lines[0]`) in a TOML text; falls back to the
/// nearest enclosing field that exists.
pub(crate) fn locate(text: &str, field: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut spans: BTreeMap<String, usize> = BTreeMap::new();
    walk(doc.as_table(), String::new(), &mut |path, s| {
        spans.entry(path.to_string()).or_insert(s.start);
    });
    let mut f = field.to_string();
    loop {
        if let Some(&off) = spans.get(&f) {
            return Some(line_of_offset(text, off));
        }
        let cut = f.rfind(['.', '['])?;
        f.truncate(cut);
    }
}

/// The 1-based line of `field` (e.g. `track[1].drills[0]`) in a TOML text, for other files of
/// the catalog that report located errors the way packs do.
pub fn field_line(text: &str, field: &str) -> Option<usize> {
    locate(text, field)
}

/// A TOML text that did not deserialize, as a located error (line and field from the span).
pub fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> PackError {
    PackError {
        file: file.to_string(),
        line: e.span().map(|s| line_of_offset(text, s.start)),
        field: locate_error_field(text, e.span()),
        message: e.message().to_string(),
    }
}
