//! `revdrill history` and `revdrill stats`.

use std::io::Write;
use std::process::ExitCode;

use std::io::BufRead;

use anyhow::Result;
use revdrill_pack::{Category, Lang};
use revdrill_store::{SqliteStore, Store};
use serde_json::json;

use crate::app::App;
use crate::cli::{Format, HistoryArgs};
use crate::commands::disputes;
use crate::i18n::t;
use crate::render;
use crate::render::{bar, pad};

pub fn history(app: &App, args: HistoryArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let mut store = app.open_store().map_err(|e| app.store_error(e))?;
    if let Some(id) = args.id {
        return show(app, &mut store, id, args.dispute, args.format);
    }
    let (limit, format) = (args.limit, args.format);
    let rows = store.history(limit).map_err(|e| app.store_error(e))?;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        writeln!(out, "{}", t(lang, "No attempts yet: run `revdrill drill`.", "还没有练习记录：运行 `revdrill drill` 开始。"))?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:>5}  {} {} {} {}",
        "#",
        pad(t(lang, "STARTED (UTC)", "开始时间 (UTC)"), 17),
        pad(t(lang, "DRILL", "练习"), 34),
        pad(t(lang, "LANG", "语言"), 4),
        t(lang, "SCORE", "得分")
    )?;
    for r in rows {
        let score = r.score.map_or_else(|| t(lang, "unfinished", "未完成").to_string(), |s| s.to_string());
        let disputed = match (r.disputed, lang) {
            (0, _) => String::new(),
            (n, Lang::En) => format!("  ⚑ {n} disputed"),
            (n, Lang::Zh) => format!("  ⚑ {n} 项有异议"),
        };
        writeln!(out, "{:>5}  {:<17} {:<34} {:<4} {:>5}{disputed}", r.id, utc(r.started_at), r.drill_id, r.lang, score)?;
    }
    writeln!(
        out,
        "{}",
        render::dim(t(
            lang,
            "`revdrill history ATTEMPT` shows an attempt's feedback.",
            "`revdrill history 编号` 显示某次作答的反馈。"
        ))
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One attempt's feedback as it was given: the stored report, never graded again.
fn show(app: &App, store: &mut SqliteStore, id: i64, dispute: bool, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    if !dispute {
        let a = store.attempt(id).map_err(|e| app.store_error(e))?;
        if a.report_json.is_none() {
            return unfinished(app, &a, format);
        }
    }
    let (a, view) = disputes::stored_view(app, store, id)?;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        // As `GET /api/attempts/{id}`: the stored report, never graded again.
        let report: revdrill_grader::Report = serde_json::from_str(a.report_json.as_deref().unwrap_or("null"))?;
        let answers: serde_json::Value = serde_json::from_str(&a.answers_json)?;
        let v = json!({"attempt": a.summary, "answers": answers, "report": report.to_json(lang), "statements": view.statements, "disputes": store.disputes(Some(id))?});
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let title = view.title.as_deref().unwrap_or("");
    writeln!(out, "#{} · {} {title} · {} UTC", a.summary.id, a.summary.drill_id, utc(a.summary.started_at))?;
    render::final_report(&mut out, &view, lang)?;
    if dispute {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        let mut next = || lines.next().transpose().map_err(anyhow::Error::from);
        if disputes::prompt(&mut out, &mut next, store, id, &view, lang)?.refused_on_a_pipe(lang) {
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An attempt that was never graded (the drill was interrupted, or the database failed before
/// the grade was stored): its answers are all there is, so they are shown as an answers file
/// on stdout (text) or as `answers` with a `null` report (JSON), with the command that grades
/// and stores them on stderr. Before, it was only "was not finished": what was typed could not
/// be reached.
fn unfinished(app: &App, a: &revdrill_store::Attempt, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    let answers: serde_json::Value = serde_json::from_str(&a.answers_json).map_err(|e| {
        anyhow::anyhow!(
            "{} #{}: {} ({e})",
            t(lang, "attempt", "作答"),
            a.summary.id,
            t(lang, "the stored answers cannot be read", "存储的回答无法读取")
        )
    })?;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        let v = json!({"attempt": a.summary, "answers": answers, "report": null, "statements": [], "disputes": []});
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (id, drill) = (a.summary.id, &a.summary.drill_id);
    let mut err = crate::render::stderr();
    writeln!(
        err,
        "{} #{id} ({drill}) {}",
        t(lang, "Attempt", "第"),
        t(
            lang,
            "was not finished, so it has no feedback. Its answers, as an answers file, follow on stdout. To grade and store them:",
            "次作答没有完成，因此没有反馈。它的回答以回答文件格式输出在标准输出上。评分并保存："
        )
    )?;
    writeln!(
        err,
        "  revdrill history {id} > attempt-{id}.json && revdrill grade --drill {drill} --answers attempt-{id}.json --save"
    )?;
    writeln!(out, "{}", serde_json::to_string_pretty(&answers)?)?;
    Ok(ExitCode::SUCCESS)
}

pub fn stats(app: &App, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    let mut store = app.open_store().map_err(|e| app.store_error(e))?;
    let (due, streak) = super::review::due_and_streak(app, &mut store);
    let cats = store.category_stats().map_err(|e| app.store_error(e))?;
    let drills = store.drill_stats().map_err(|e| app.store_error(e))?;
    let mut out = crate::render::stdout();
    let pct = |e: f64, m: f64| if m > 0.0 { (e / m * 100.0).round() as u8 } else { 0 };
    if format == Format::Json {
        let v = json!({
            "categories": cats.iter().map(|c| json!({"category": c.category, "score": pct(c.earned, c.max), "earned": c.earned, "max": c.max, "attempts": c.attempts})).collect::<Vec<_>>(),
            "drills": drills,
            "disputed": store.disputes(None)?.len(),
            "review": {"due": due, "streak": streak},
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let line = match lang {
        Lang::En => format!("Review cards due today: {due} · streak: {streak} day(s) in a row"),
        Lang::Zh => format!("今天到期的复习卡片：{due} 张 · 连续练习：{streak} 天"),
    };
    writeln!(
        out,
        "{line}{}",
        if due > 0 { render::dim(t(lang, "  (`revdrill review`)", "  （`revdrill review`）")) } else { String::new() }
    )?;
    if cats.is_empty() {
        writeln!(
            out,
            "{}",
            t(lang, "No graded attempts yet: run `revdrill drill`.", "还没有已评分的练习：运行 `revdrill drill` 开始。")
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", t(lang, "By category (points earned / available, all attempts):", "按类别（所有练习的得分 / 满分）："))?;
    let mut sorted = cats.clone();
    sorted.sort_by(|a, b| pct(a.earned, a.max).cmp(&pct(b.earned, b.max)));
    for c in &sorted {
        let label = Category::parse(&c.category).map_or(c.category.as_str(), |k| k.label(lang));
        writeln!(
            out,
            "  {} {:>3}%  {}  ({} {})",
            pad(label, 16),
            pct(c.earned, c.max),
            bar(pct(c.earned, c.max)),
            c.attempts,
            t(lang, "attempts", "次")
        )?;
    }
    if let Some(weakest) = sorted.first() {
        let label = Category::parse(&weakest.category).map_or(weakest.category.as_str(), |k| k.label(lang));
        writeln!(out, "{} {label}", t(lang, "Weakest:", "最弱项："))?;
    }
    let disputed = store.disputes(None)?.len();
    if disputed > 0 {
        let line = match lang {
            Lang::En => {
                format!("⚑ {disputed} verdict(s) disputed; scores stand until a pack author reviews them (`revdrill disputes`).")
            }
            Lang::Zh => format!("⚑ {disputed} 项判定有异议；分数不变，待题目作者复核（`revdrill disputes`）。"),
        };
        writeln!(out, "{}", render::dim(&line))?;
    }
    writeln!(out, "\n{}", t(lang, "By drill:", "按练习："))?;
    for d in &drills {
        writeln!(
            out,
            "  {:<34} {} {:>3}  {} {:>3}  ({} {})",
            d.drill_id,
            t(lang, "best", "最佳"),
            d.best,
            t(lang, "last", "最近"),
            d.last,
            d.attempts,
            t(lang, "attempts", "次")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `yyyy-mm-dd hh:mm` in UTC from unix seconds (Howard Hinnant's civil-from-days).
fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, rem % 3600 / 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(super::utc(0), "1970-01-01 00:00");
        assert_eq!(super::utc(1_795_000_000), "2026-11-18 11:06");
    }
}
