//! `revdrill packs check`: validate packs on disk, including their model answers, and warn (without
//! failing) on a drill that has no `AUDIT.md`, the notes of an independent audit of its answer key
//! (docs/pack-format.md, "Audit every drill before it ships").

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use revdrill_grader::corpus::series::{SERIES_FILE, Series, Verdict};
use revdrill_grader::corpus::{self, Evaluation};
use revdrill_grader::{Grader, check_concepts, lint_concepts};
use revdrill_pack::{PackError, duplicate_ids, load_pack, parse_answers};

use crate::app::App;
use crate::i18n::t;
use crate::render;

/// Model answers must score at least this much.
const MODEL_MIN: u8 = 95;

/// The audit notes every drill folder should hold.
const AUDIT_FILE: &str = "AUDIT.md";

pub fn check(app: &App, dirs: &[PathBuf]) -> Result<ExitCode> {
    let lang = app.lang;
    let mut out = crate::render::stdout();
    let mut problems: Vec<PackError> = Vec::new();
    let mut unaudited: Vec<String> = Vec::new();
    let mut ok = 0;
    let mut seen = Vec::new();
    let mut not_ready: Vec<(String, Vec<super::ready::Gap>)> = Vec::new();
    for dir in dirs {
        let (drills, errs) = load_pack(dir);
        problems.extend(errs.0);
        let series = super::ready::load_series(dir).unwrap_or_else(|e| {
            problems.push(PackError { file: e.file, line: None, field: "batch".into(), message: e.message });
            None
        });
        problems.extend(check_tracks(app, dir, &drills));
        seen.extend(drills.iter().cloned());
        for d in &drills {
            let before = problems.len();
            problems.extend(check_concepts(d));
            for w in lint_concepts(d) {
                writeln!(out, "{}{}{} {w}", render::WARN.render(), t(lang, "warning:", "警告："), render::WARN.render_reset())?;
            }
            let grader = Grader::new(d);
            let base = d.toml_path().trim_end_matches("drill.toml").to_string();
            let audit = format!("{base}{AUDIT_FILE}");
            if !Path::new(&audit).is_file() {
                unaudited.push(audit);
            }
            let gaps = super::ready::gaps(d, Path::new(&base), series.as_ref());
            if !gaps.is_empty() {
                not_ready.push((d.toml_path().to_string(), gaps));
            }
            for (name, text) in &d.examples {
                let file = format!("{base}{name}");
                match parse_answers(&file, text, Some(d)) {
                    Err(e) => problems.extend(e),
                    Ok(a) => {
                        let score = grader.grade(&a).score;
                        let is_model = name.rsplit('/').next().is_some_and(|n| n.starts_with("model"));
                        if is_model && score < MODEL_MIN {
                            problems.push(PackError {
                                file,
                                line: None,
                                field: String::new(),
                                message: format!("model answer scores {score}; a model answer must score at least {MODEL_MIN}"),
                            });
                        }
                    }
                }
            }
            if problems.len() == before {
                ok += 1;
                writeln!(out, "{} {}", render_ok("ok"), d.id)?;
            }
        }
        check_corpus(&mut out, lang, dir, &drills, series.as_ref(), &mut problems)?;
    }
    problems.extend(duplicate_ids(&seen));
    let mut err = crate::render::stderr();
    for p in &problems {
        writeln!(err, "{}{}{} {p}", render::ERROR.render(), t(lang, "error:", "错误："), render::ERROR.render_reset())?;
    }
    for file in &unaudited {
        writeln!(
            err,
            "{}{}{} {file}: {}",
            render::WARN.render(),
            t(lang, "warning:", "警告："),
            render::WARN.render_reset(),
            t(
                lang,
                "no audit notes: have someone who did not write this drill audit its answer key against the diff and the real PR, and record it here (docs/pack-format.md)",
                "没有审核记录：请让不是这个 drill 作者的人对照 diff 和真实 PR 审核答案，并把结果记在这里（见 docs/pack-format.md）"
            )
        )?;
    }
    super::ready::print(&mut err, lang, &not_ready)?;
    write!(out, "{ok} {}, {} {}", t(lang, "drills valid", "个 drill 有效"), problems.len(), t(lang, "problems", "个问题"))?;
    if !unaudited.is_empty() {
        write!(out, ", {} {}", unaudited.len(), t(lang, "not audited", "个未审核"))?;
    }
    writeln!(out)?;
    let total = seen.len();
    super::ready::summary(&mut out, lang, total - not_ready.len(), total)?;
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Grades the pack's labelled corpus (`DIR/corpus/**/*.toml`, see docs/pack-format.md) and prints
/// each drill's agreement, false credit and misses (all files together, as tuned today), then its
/// last fresh batch's before-tuning figures from `series`. A file that cannot be read or names an
/// unknown drill, finding or item is a problem.
fn check_corpus(
    out: &mut impl Write,
    lang: revdrill_pack::Lang,
    dir: &std::path::Path,
    drills: &[revdrill_pack::Drill],
    series: Option<&Series>,
    problems: &mut Vec<PackError>,
) -> Result<()> {
    let mut files = Vec::new();
    collect_toml(&dir.join("corpus"), 2, &mut files);
    files.retain(|f| !f.ends_with(SERIES_FILE));
    files.sort();
    let mut per_drill: std::collections::BTreeMap<String, Evaluation> = Default::default();
    for path in &files {
        let name = path.display().to_string();
        let result = std::fs::read_to_string(path)
            .map_err(|e| corpus::CorpusError { file: name.clone(), message: e.to_string() })
            .and_then(|text| corpus::parse(&name, &text))
            .and_then(|file| match drills.iter().find(|d| d.id == file.drill) {
                None => {
                    Err(corpus::CorpusError { file: name.clone(), message: format!("no drill `{}` in this pack", file.drill) })
                }
                Some(d) => corpus::evaluate(&name, &file, &Grader::new(d)).map(|ev| (d.id.clone(), ev)),
            });
        match result {
            Ok((id, ev)) => per_drill.entry(id).or_default().merge(&ev),
            Err(e) => problems.push(PackError { file: e.file, line: None, field: "corpus".into(), message: e.message }),
        }
    }
    for (id, ev) in &per_drill {
        let tl = &ev.total;
        writeln!(
            out,
            "{} {id}: {} {}, {} {:.3}, {} {:.3} ({}/{}), {} {}/{}",
            t(lang, "corpus", "语料"),
            tl.cases,
            t(lang, "cases", "条"),
            t(lang, "agreement", "一致率"),
            tl.agreement(),
            t(lang, "false credit", "误给分率"),
            tl.false_credit_rate(),
            tl.false_credit,
            tl.negatives,
            t(lang, "missed", "漏判"),
            tl.misses,
            tl.positives,
        )?;
        if let Some(Verdict::Last { batch, record, meets }) = series.map(|s| s.verdict(id)) {
            let [a, f] = record.before;
            let verdict =
                if meets { t(lang, "meets the goal", "达到目标") } else { t(lang, "below the goal", "未达目标") };
            writeln!(
                out,
                "  {} `{batch}` {} {a:.3} / {f:.3}: {verdict}",
                t(lang, "last fresh batch", "最近的盲写批次"),
                t(lang, "before tuning", "调优前"),
            )?;
        }
    }
    Ok(())
}

/// `*.toml` files under `dir`, `depth` folders deep at most (`corpus/batch1/x.toml`).
fn collect_toml(dir: &std::path::Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for p in rd.filter_map(|e| e.ok()).map(|e| e.path()) {
        if p.is_dir() && depth > 1 {
            collect_toml(&p, depth - 1, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}

/// A `tracks.toml` beside the drill folders, checked against those drills and the catalog's.
fn check_tracks(app: &App, dir: &Path, drills: &[revdrill_pack::Drill]) -> Vec<PackError> {
    let path = dir.join("tracks.toml");
    let Ok(text) = std::fs::read_to_string(&path) else { return Vec::new() };
    let mut all: Vec<revdrill_pack::Drill> = app.catalog.drills().to_vec();
    all.extend(drills.iter().cloned());
    revdrill_catalog::parse_tracks(&path.display().to_string(), &text, &all).err().unwrap_or_default()
}

fn render_ok(s: &str) -> String {
    format!("{}{s}{}", render::GOOD.render(), render::GOOD.render_reset())
}
