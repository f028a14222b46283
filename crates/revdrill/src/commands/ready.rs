//! What a valid drill still lacks to ship (issue 11, "What every drill must have"): traps and
//! decoys, enough findings for its difficulty, model answers in both languages, Chinese texts
//! that are written (not TODO, not a copy of the English), a labelled corpus, audit notes.
//! `revdrill packs check` prints these as warnings; they never fail the check.

use std::io::{self, Write};
use std::path::Path;

use revdrill_grader::corpus::series::{GOAL_AGREEMENT, GOAL_MAX_FALSE_CREDIT, SERIES_FILE, Series, Verdict};
use revdrill_pack::{Difficulty, Drill, Lang, Localized};

use crate::i18n::t;
use crate::render;

/// Findings a medium or hard drill needs.
pub const MIN_FINDINGS: usize = 4;
/// Findings an easy drill needs.
pub const MIN_FINDINGS_EASY: usize = 2;
/// The folder of labelled answers at the top of a pack (docs/pack-format.md, "Corpus"): one
/// `*.toml` file per drill, naming it in `drill = "ID"`, one level of sub-folders allowed.
pub const CORPUS_DIR: &str = "corpus";
/// The audit notes, in the drill folder.
pub const AUDIT_FILE: &str = "AUDIT.md";
/// The marker `revdrill packs new` leaves in every text to write.
pub const TODO: &str = "TODO";

/// One thing missing, in both languages.
pub type Gap = (String, String);

/// What `d` (whose folder is `folder`) lacks to ship; empty when it is ready. `series` is the
/// pack's record of fresh blind batches (`corpus/series.toml`), when it has one.
pub fn gaps(d: &Drill, folder: &Path, series: Option<&Series>) -> Vec<Gap> {
    let mut g: Vec<Gap> = Vec::new();
    let mut gap = |en: String, zh: String| g.push((en, zh));
    let hard = d.difficulty != Difficulty::Easy;
    let need = if hard { MIN_FINDINGS } else { MIN_FINDINGS_EASY };
    if d.findings.len() < need {
        let n = d.findings.len();
        let (en, zh) = (d.difficulty.as_str(), d.difficulty.label(Lang::Zh));
        gap(format!("{n} findings ({en} needs ≥ {need})"), format!("{n} 个发现（{zh}难度至少 {need} 个）"));
    }
    if hard && d.traps.is_empty() {
        gap("no trap".into(), "没有陷阱（trap）".into());
    }
    if hard && d.decoys.is_empty() {
        gap("no decoy".into(), "没有诱饵（decoy）".into());
    }
    for l in ["en", "zh"] {
        if !d.examples.iter().any(|(p, _)| p.starts_with(&format!("answers/model-{l}"))) {
            gap(format!("no answers/model-{l}.json"), format!("没有 answers/model-{l}.json"));
        }
    }
    let texts = texts(d);
    let todo: Vec<&str> =
        texts.iter().filter(|(_, t)| t.en.contains(TODO) || t.zh.contains(TODO)).map(|(f, _)| f.as_str()).collect();
    if !todo.is_empty() {
        gap(format!("{TODO} left in {}", list(&todo)), format!("{} 中仍有 {TODO}", list(&todo)));
    }
    let untranslated: Vec<&str> =
        texts.iter().filter(|(_, t)| !t.zh.contains(TODO) && !has_cjk(&t.zh)).map(|(f, _)| f.as_str()).collect();
    if !untranslated.is_empty() {
        gap(format!("no Chinese in {}.zh", list(&untranslated)), format!("{}.zh 没有中文", list(&untranslated)));
    }
    if !has_corpus(&d.id, folder) {
        gap(format!("no labelled corpus ({CORPUS_DIR}/*.toml)"), format!("没有标注语料（{CORPUS_DIR}/*.toml）"));
    } else if let Some((en, zh)) = batch_gap(&d.id, series) {
        gap(en, zh);
    }
    if !folder.join(AUDIT_FILE).is_file() {
        gap(format!("no {AUDIT_FILE}"), format!("没有 {AUDIT_FILE}"));
    }
    g
}

/// Whether a corpus file for drill `id` lies in the `corpus/` folder of the drill's pack (the
/// folder above the drill's) or of the drill folder itself (a one-drill pack).
fn has_corpus(id: &str, folder: &Path) -> bool {
    let wanted = format!("drill = \"{id}\"");
    let names = |text: &str| text.lines().any(|l| l.trim() == wanted);
    let mut files = Vec::new();
    for root in [Some(folder), folder.parent()].into_iter().flatten() {
        toml_files(&root.join(CORPUS_DIR), 2, &mut files);
    }
    files.iter().any(|f| std::fs::read_to_string(f).is_ok_and(|t| names(&t)))
}

/// Why the drill's last fresh blind batch does not let it ship, if it does not: no batch holds it,
/// or the batch scored below the goal before tuning.
fn batch_gap(id: &str, series: Option<&Series>) -> Option<Gap> {
    let goal = format!("≥ {GOAL_AGREEMENT} / ≤ {GOAL_MAX_FALSE_CREDIT}");
    match series.map(|s| s.verdict(id)) {
        None | Some(Verdict::NoBatch) => Some((
            format!("no fresh blind batch recorded in {CORPUS_DIR}/{SERIES_FILE}"),
            format!("{CORPUS_DIR}/{SERIES_FILE} 中没有盲写的新批次"),
        )),
        Some(Verdict::Last { meets: true, .. }) => None,
        Some(Verdict::Last { batch, record, .. }) => {
            let [a, f] = record.before;
            Some((
                format!("last fresh batch `{batch}` scored {a:.3} / {f:.3} before tuning (goal {goal})"),
                format!("最近的盲写批次 `{batch}` 调优前为 {a:.3} / {f:.3}（目标 {goal}）"),
            ))
        }
    }
}

/// The fresh-batch series of the pack whose folder is `dir`: `dir/corpus/series.toml`, if any.
pub fn load_series(dir: &Path) -> Result<Option<Series>, revdrill_grader::corpus::CorpusError> {
    let path = dir.join(CORPUS_DIR).join(SERIES_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Series::parse(&path.display().to_string(), &text).map(Some),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(revdrill_grader::corpus::CorpusError { file: path.display().to_string(), message: e.to_string() }),
    }
}

/// `*.toml` files under `dir`, at most `depth` folders deep.
fn toml_files(dir: &Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for p in rd.filter_map(|e| e.ok()).map(|e| e.path()) {
        if p.is_dir() && depth > 1 {
            toml_files(&p, depth - 1, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// Every localized text of the drill, with its field name.
fn texts(d: &Drill) -> Vec<(String, Localized)> {
    let mut v = vec![("purpose".to_string(), d.purpose.clone())];
    v.push(("new_logic".into(), Localized { en: d.new_logic.en.join("\n"), zh: d.new_logic.zh.join("\n") }));
    for (i, c) in d.checklist.iter().enumerate() {
        v.push((format!("checklist[{i}].prompt"), c.prompt.clone()));
    }
    for (i, f) in d.findings.iter().enumerate() {
        for (name, t) in [("problem", &f.problem), ("risk", &f.risk), ("suggestion", &f.suggestion)] {
            v.push((format!("findings[{i}].{name}"), t.clone()));
        }
    }
    for (i, t) in d.traps.iter().enumerate() {
        v.push((format!("traps[{i}].feedback"), t.feedback.clone()));
    }
    for (i, x) in d.decoys.iter().enumerate() {
        v.push((format!("decoys[{i}].why"), x.why.clone()));
    }
    v
}

/// At most three field names, then how many more.
fn list(fields: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut s = fields.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if fields.len() > SHOWN {
        s.push_str(&format!(" (+{})", fields.len() - SHOWN));
    }
    s
}

/// Whether the text holds a CJK ideograph.
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'))
}

/// One warning line per drill that is not ready: `warning: FILE: not ready to ship: GAP; GAP`.
pub fn print(err: &mut impl Write, lang: Lang, not_ready: &[(String, Vec<Gap>)]) -> io::Result<()> {
    for (file, gaps) in not_ready {
        let list: Vec<&str> = gaps.iter().map(|(en, zh)| if lang == Lang::Zh { zh.as_str() } else { en.as_str() }).collect();
        writeln!(
            err,
            "{}{}{} {file}: {} {}",
            render::WARN.render(),
            t(lang, "warning:", "警告："),
            render::WARN.render_reset(),
            t(lang, "not ready to ship:", "尚不能发布："),
            list.join(if lang == Lang::Zh { "；" } else { "; " })
        )?;
    }
    Ok(())
}

/// The summary line: how many of the drills are ready to ship.
pub fn summary(out: &mut impl Write, lang: Lang, ready: usize, total: usize) -> io::Result<()> {
    match lang {
        Lang::Zh => writeln!(out, "{total} 个 drill 中 {ready} 个可以发布"),
        Lang::En => writeln!(out, "{ready} of {total} drills ready to ship"),
    }
}
