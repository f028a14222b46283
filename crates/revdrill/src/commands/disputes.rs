//! Disputes: the prompt after feedback ("I said this" / "this credit is wrong"), `revdrill
//! disputes` (the list) and `revdrill disputes export` (corpus cases for a pack author), and
//! reading a stored attempt back as the feedback view the learner was shown.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use revdrill_feedback::{FeedbackView, export_corpus, new_dispute};
use revdrill_grader::Report;
use revdrill_pack::{AnswerSet, Lang};
use revdrill_store::{Attempt, AttemptId, SqliteStore, Store};
use serde_json::json;

use crate::app::App;
use crate::cli::{DisputesArgs, DisputesCommand, Format};
use crate::i18n::t;
use crate::render;

/// A stored attempt as the learner was shown it: the stored report (never graded again), the
/// drill's texts when the drill is loaded, and the attempt's disputes.
pub fn stored_view(app: &App, store: &SqliteStore, id: AttemptId) -> Result<(Attempt, FeedbackView)> {
    let lang = app.lang;
    let a = store.attempt(id)?;
    let Some(report_json) = &a.report_json else {
        return Err(anyhow!(
            "{} #{id} {}",
            t(lang, "attempt", "第"),
            t(lang, "was not finished: no feedback was given", "次作答没有完成：没有反馈")
        ));
    };
    let report: Report = serde_json::from_str(report_json).with_context(|| {
        format!("{} #{id}: {}", t(lang, "attempt", "作答"), t(lang, "the stored report cannot be read", "存储的报告无法读取"))
    })?;
    let answers: AnswerSet = serde_json::from_str(&a.answers_json).with_context(|| {
        format!("{} #{id}: {}", t(lang, "attempt", "作答"), t(lang, "the stored answers cannot be read", "存储的回答无法读取"))
    })?;
    let disputes = store.disputes(Some(id))?;
    let view = FeedbackView::build(&report, app.catalog.get(&a.summary.drill_id), &answers, &disputes, lang);
    Ok((a, view))
}

fn help(out: &mut impl Write, v: &FeedbackView, lang: Lang) -> Result<()> {
    writeln!(out)?;
    render::statements(out, v, lang)?;
    writeln!(out, "{}", t(lang, "Verdicts:", "判定："))?;
    for f in &v.findings {
        let mark = if f.disputed.is_some() { " ⚑" } else { "" };
        writeln!(out, "  {}. {} {}{mark}", f.n, render::pad(f.verdict_label, 12), f.id)?;
    }
    writeln!(
        out,
        "{}",
        t(
            lang,
            "Dispute a verdict? `FINDING STATEMENT` says a missed or partly found finding is in your statement (e.g. `2 3`); `FINDING` alone says a credit is wrong (e.g. `1`); add ` -- why` for a note. The score is not changed: a pack author reviews disputes. An empty line finishes.",
            "对判定有异议？输入 `要点编号 陈述编号` 表示某个未发现或部分命中的要点其实在你的那句话里（如 `2 3`）；只输入 `要点编号` 表示某项得分不应给（如 `1`）；可在后面加 ` -- 理由` 作为备注。分数不会改变，异议由题目作者复核。空行结束。"
        )
    )?;
    Ok(())
}

/// A dispute line: finding (number or id), optional statement number, optional ` -- note`.
fn parse_line<'a>(line: &'a str, v: &FeedbackView, lang: Lang) -> Result<(String, Option<usize>, &'a str), String> {
    let (head, note) = line.split_once("--").map_or((line, ""), |(h, n)| (h, n.trim()));
    let mut words = head.split_whitespace();
    let finding = words.next().unwrap_or("");
    let id = match finding.parse::<usize>() {
        Ok(n) => v.findings.iter().find(|f| f.n == n).map(|f| f.id.clone()).ok_or_else(|| match lang {
            Lang::En => format!("no finding {n}: they are numbered 1 to {}", v.findings.len()),
            Lang::Zh => format!("没有第 {n} 个要点：编号为 1 到 {}", v.findings.len()),
        })?,
        Err(_) => finding.to_string(),
    };
    let statement = match words.next() {
        None => None,
        Some(w) => Some(w.parse::<usize>().map_err(|_| match lang {
            Lang::En => format!("`{w}` is not a statement number"),
            Lang::Zh => format!("`{w}` 不是陈述编号"),
        })?),
    };
    if let Some(extra) = words.next() {
        return Err(match lang {
            Lang::En => format!("unexpected `{extra}`: write a note after ` -- `"),
            Lang::Zh => format!("多余的 `{extra}`：备注请写在 ` -- ` 之后"),
        });
    }
    Ok((id, statement, note))
}

/// Reads dispute lines from `next_line` until an empty line or the end of input, recording each
/// (one transaction each); returns how many were recorded.
pub fn prompt(
    out: &mut impl Write,
    next_line: &mut dyn FnMut() -> Result<Option<String>>,
    store: &mut SqliteStore,
    attempt: AttemptId,
    view: &FeedbackView,
    lang: Lang,
) -> Result<Prompted> {
    help(out, view, lang)?;
    let mut refused = 0;
    loop {
        write!(out, "{} ", t(lang, "dispute>", "异议>"))?;
        out.flush()?;
        let Some(line) = next_line()? else { break };
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        let parsed = parse_line(line, view, lang);
        let d = parsed.and_then(|(id, n, note)| new_dispute(view, attempt, &id, n, note).map_err(|e| e.message(lang)));
        match d {
            Ok(d) => {
                store.add_dispute(&d)?;
                let msg = match lang {
                    Lang::En => format!(
                        "Recorded your dispute of `{}` (the score is unchanged until a pack author reviews it)",
                        d.finding
                    ),
                    Lang::Zh => format!("已记录你对 `{}` 的异议（分数不变，待题目作者复核）", d.finding),
                };
                writeln!(out, "{msg}")?;
            }
            Err(msg) => {
                refused += 1;
                writeln!(out, "{}{}{} {msg}", render::ERROR.render(), t(lang, "error:", "错误："), render::ERROR.render_reset())?
            }
        }
    }
    writeln!(out)?;
    Ok(Prompted { refused })
}

/// What [`prompt`] did: how many lines it refused (each was said at once).
pub struct Prompted {
    /// Lines that were not a valid dispute.
    pub refused: usize,
}

impl Prompted {
    /// Whether the run must end with exit code 2: dispute lines were refused and stdin is not a
    /// terminal (a script piping disputes would not see the errors; at a terminal the learner
    /// saw each and could type it again). Says so on stderr.
    pub fn refused_on_a_pipe(&self, lang: Lang) -> bool {
        use std::io::IsTerminal;
        if self.refused == 0 || std::io::stdin().is_terminal() {
            return false;
        }
        let msg = match lang {
            Lang::En => format!("<stdin>: {} dispute line(s) refused (see above); the others were recorded", self.refused),
            Lang::Zh => format!("<stdin>：有 {} 行异议被拒绝（见上文）；其余已记录", self.refused),
        };
        let _ = writeln!(
            crate::render::stderr(),
            "{}{}{} {msg}",
            render::ERROR.render(),
            t(lang, "error:", "错误："),
            render::ERROR.render_reset()
        );
        true
    }
}

/// `revdrill disputes` and `revdrill disputes export`.
pub fn run(app: &App, args: DisputesArgs) -> Result<ExitCode> {
    let store = app.open_store()?;
    match args.command {
        None => list(app, &store, args.format),
        Some(DisputesCommand::Export { output, drill }) => export(app, &store, output.as_deref(), drill.as_deref()),
    }
}

fn list(app: &App, store: &SqliteStore, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    let all = store.disputes(None)?;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&json!(all))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        writeln!(
            out,
            "{}",
            t(
                lang,
                "No disputes: after feedback, `revdrill drill` lets you dispute a verdict.",
                "没有异议：`revdrill drill` 给出反馈后可以对判定提出异议。"
            )
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for d in &all {
        let nd = &d.dispute;
        let claim = match nd.kind {
            revdrill_store::DisputeKind::SaidIt => t(lang, "says they stated it", "认为已经说明"),
            revdrill_store::DisputeKind::WrongCredit => t(lang, "says the credit is wrong", "认为不应得分"),
        };
        writeln!(
            out,
            "#{:<4} {} #{} {} · {} ({}: {}) {claim}",
            d.id,
            t(lang, "attempt", "作答"),
            nd.attempt_id,
            d.drill_id,
            nd.finding,
            t(lang, "graded", "判定"),
            nd.verdict
        )?;
        writeln!(out, "      “{}”", nd.statement)?;
        if !nd.note.is_empty() {
            writeln!(out, "      {} {}", t(lang, "note:", "备注："), nd.note)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn export(app: &App, store: &SqliteStore, output: Option<&Path>, drill: Option<&str>) -> Result<ExitCode> {
    let lang = app.lang;
    let mut rows = Vec::new();
    for d in store.disputes(None)?.into_iter().filter(|d| drill.is_none_or(|id| d.drill_id == id)) {
        let report = store.attempt(d.dispute.attempt_id)?.report_json.and_then(|j| serde_json::from_str::<Report>(&j).ok());
        rows.push((d, report));
    }
    let text = export_corpus(&rows).map_err(|e| anyhow!(e.message(lang)))?;
    match output {
        None => write!(crate::render::stdout(), "{text}")?,
        Some(path) => {
            crate::saver::write_atomically(path, text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                crate::render::stderr(),
                "{} {} → {}",
                rows.len(),
                t(lang, "disputes exported", "条异议已导出"),
                path.display()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
