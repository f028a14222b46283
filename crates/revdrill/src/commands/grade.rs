//! `revdrill grade`: grade an answers file without prompting.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Result;
use revdrill_feedback::FeedbackView;
use revdrill_grader::{Grader, Report};
use revdrill_pack::{AnswerSet, Drill, Lang, parse_answers};
use serde_json::json;

use crate::app::App;
use crate::cli::{Format, GradeArgs};
use crate::commands::disputes;
use crate::i18n::t;
use crate::input::read_answers_file;
use crate::render;
use crate::saver::{Saved, Saver};

pub fn run(app: &App, args: GradeArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let drill = app.drill(&args.drill)?;
    if args.dispute && args.answers == "-" {
        anyhow::bail!(
            "{}",
            t(
                lang,
                "--dispute reads your disputes from stdin: pass the answers as a file, not `-`",
                "--dispute 从标准输入读取异议：请用文件传入回答，不要用 `-`"
            )
        );
    }
    let (name, text) = read_answers_file(&args.answers, lang)?;
    let answers = match parse_answers(&name, &text, Some(drill)) {
        Ok(a) => a,
        Err(errs) => {
            let mut err = crate::render::stderr();
            for e in &errs {
                writeln!(err, "{}{}{} {e}", render::ERROR.render(), t(lang, "error:", "错误："), render::ERROR.render_reset())?;
            }
            return Ok(ExitCode::from(2));
        }
    };
    let grader = Grader::new(drill);
    let report = grader.grade(&answers);
    // Saved before the report is printed; when the database fails the answers go to a backup
    // file (named on stderr, so that `--format json` output stays JSON) and the exit code is 2.
    let saver = args.save.then(|| save(app, &answers, &report)).transpose()?;
    let mut out = crate::render::stdout();
    match args.format {
        Format::Json => {
            let mut v = report.to_json(lang);
            if args.explain {
                v["explain"] = explain_json(&grader, drill, &answers);
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Text => {
            if args.explain {
                explain_text(&mut out, &grader, drill, &answers, &report, lang)?;
            }
            let view = FeedbackView::build(&report, Some(drill), &answers, &[], lang);
            render::final_report(&mut out, &view, lang)?;
        }
    }
    let mut refused = false;
    if let (true, Some(Saved::Db(id, _))) = (args.dispute, saver.as_ref().map(Saver::where_saved)) {
        let mut store = app.open_store().map_err(|e| app.store_error(e))?;
        let view = FeedbackView::build(&report, Some(drill), &answers, &[], lang);
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        let mut next = || lines.next().transpose().map_err(anyhow::Error::from);
        // With --format json the prompt goes to stderr, so stdout stays one JSON document.
        let p = if args.format == Format::Json {
            disputes::prompt(&mut crate::render::stderr(), &mut next, &mut store, id, &view, lang)?
        } else {
            disputes::prompt(&mut out, &mut next, &mut store, id, &view, lang)?
        };
        refused = p.refused_on_a_pipe(lang);
    }
    out.flush()?;
    match saver {
        _ if refused => Ok(ExitCode::from(2)),
        None => Ok(ExitCode::SUCCESS),
        Some(s) if matches!(s.where_saved(), Saved::Db(..)) => Ok(ExitCode::SUCCESS),
        Some(s) => {
            s.tell_backup(&mut crate::render::stderr(), &answers)?;
            Ok(ExitCode::from(2))
        }
    }
}

/// Stores the graded answers through the same [`Saver`] as `drill`.
fn save(app: &App, answers: &AnswerSet, report: &Report) -> Result<Saver> {
    let mut saver = Saver::new(app.open_store(), &answers.drill, app.lang).with_db(&app.db_path);
    saver.finish(answers, report)?;
    Ok(saver)
}

/// Every text the learner wrote, labelled by where it was written.
fn texts(drill: &Drill, answers: &AnswerSet) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> =
        drill.checklist.iter().filter_map(|c| answers.answers.get(&c.id).map(|a| (c.id.clone(), a.clone()))).collect();
    v.extend(answers.comments.iter().map(|c| (format!("@{}", c.line), c.body.clone())));
    v
}

fn explain_json(grader: &Grader, drill: &Drill, answers: &AnswerSet) -> serde_json::Value {
    let mut out = Vec::new();
    for (source, text) in texts(drill, answers) {
        for (stmt, aside, concepts) in grader.explain(&text) {
            out.push(json!({"source": source, "statement": stmt, "set_aside": aside, "concepts": concepts}));
        }
    }
    serde_json::Value::Array(out)
}

fn explain_text(
    out: &mut impl Write,
    grader: &Grader,
    drill: &Drill,
    answers: &AnswerSet,
    report: &Report,
    lang: Lang,
) -> Result<()> {
    writeln!(out, "{}", t(lang, "How each finding was decided:", "每个要点的判定依据："))?;
    for f in &report.findings {
        write!(out, "  {:<22} {:<8}", f.id, f.verdict.as_str())?;
        if let Some(ev) = &f.evidence {
            write!(out, " “{ev}”")?;
        }
        writeln!(out)?;
        for c in &f.concepts {
            writeln!(out, "      {} ← “{}” ({} `{}`)", c.concept, c.words, t(lang, "term", "词条"), c.term)?;
        }
        if !f.missing.is_empty() {
            writeln!(out, "      {} {}", t(lang, "not stated:", "未说明："), f.missing.join(", "))?;
        }
        if let Some(n) = &f.note {
            writeln!(out, "      {}", n.get(lang))?;
        }
    }
    writeln!(out, "\n{}", t(lang, "Concepts seen per statement (✗ = negated):", "每句话识别到的概念（✗ = 被否定）："))?;
    for (source, text) in texts(drill, answers) {
        for (stmt, aside, concepts) in grader.explain(&text) {
            writeln!(out, "  [{source}] “{stmt}”")?;
            if let Some(a) = aside {
                writeln!(out, "      {}", a.explain().get(lang))?;
            }
            let list: Vec<String> =
                concepts.iter().map(|c| format!("{}{}=“{}”", if c.negated { "✗" } else { "" }, c.concept, c.words)).collect();
            if !list.is_empty() {
                writeln!(out, "      {}", list.join("  "))?;
            }
        }
    }
    Ok(())
}
