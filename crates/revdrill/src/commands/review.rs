//! `revdrill review`: the review cards due today, one at a time. A card shows the hunk around a
//! finding the learner once missed and asks "What would you comment here?"; the answer is graded
//! against that finding only, stored with the card's next FSRS state (one transaction) before
//! the feedback is shown, and the card goes out further after a success or comes back tomorrow
//! after a miss. When the database fails, the answer goes to a backup answers file (the same
//! path as `drill`), so nothing typed is lost. `drill` without an id offers the due cards first.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use revdrill_feedback::{FindingView, card_view};
use revdrill_grader::{Grader, Verdict};
use revdrill_pack::{AnswerSet, Drill, Lang, LineComment};
use revdrill_review::card::{self, Excerpt};
use revdrill_review::{Scheduler, end_of_day, record_pending};
use revdrill_store::{CardAnswer, ReviewStore, SqliteStore};

use crate::app::App;
use crate::cli::ReviewArgs;
use crate::i18n::t;
use crate::input::{AnswerReader, editor_command};
use crate::render::{self, DIM, GOOD, WARN, safe, styled};
use crate::saver::Saver;

pub fn run(app: &App, args: ReviewArgs) -> Result<ExitCode> {
    let mut store = app.open_store().map_err(|e| app.store_error(e))?;
    let interactive = std::io::stdin().is_terminal();
    let mut reader = AnswerReader::new(std::io::stdin().lock(), interactive.then(editor_command));
    let mut out = render::stdout();
    session(app, &mut store, &mut reader, &mut out, args.limit, interactive)
}

/// How many cards are due today (after recording any graded attempt not recorded yet).
pub fn due_today(app: &App, store: &mut SqliteStore) -> usize {
    let _ = record_pending(store);
    store.due_count(end_of_day(app.clock.now())).unwrap_or(0)
}

/// Cards due today and the daily streak (days in a row with a graded attempt or a card
/// answered), as `stats` shows them; zero when the database cannot say.
pub fn due_and_streak(app: &App, store: &mut SqliteStore) -> (usize, u32) {
    let due = due_today(app, store);
    let days = store.active_days(revdrill_review::STREAK_DAYS_READ).unwrap_or_default();
    (due, revdrill_review::streak(&days, app.clock.now()))
}

/// Runs up to `limit` due cards. Exit code 2 when an answer could only be kept in a backup file.
pub fn session<R: BufRead>(
    app: &App,
    store: &mut SqliteStore,
    reader: &mut AnswerReader<R>,
    out: &mut impl Write,
    limit: usize,
    interactive: bool,
) -> Result<ExitCode> {
    let lang = app.lang;
    // A database that cannot be written still shows what is due; the answer then goes to a backup.
    let _ = record_pending(store);
    let now = app.clock.now();
    let cards = store.due_cards(end_of_day(now), limit).map_err(|e| app.store_error(e))?;
    if cards.is_empty() && store.due_count(end_of_day(now)).unwrap_or(0) == 0 {
        writeln!(out, "{}", t(lang, "No review cards are due today.", "今天没有到期的复习卡片。"))?;
        return Ok(ExitCode::SUCCESS);
    }
    if interactive && !cards.is_empty() {
        let hint = t(
            lang,
            "Answer in English, Chinese or both; end with an empty line or Ctrl-D; `-` skips a card.",
            "可以用中文、英文或中英混合回答；空行或 Ctrl-D 结束；`-` 跳过这张卡片。",
        );
        writeln!(out, "{}", styled(DIM, hint))?;
    }
    let mut graders: HashMap<String, Grader> = HashMap::new();
    let (mut answered, mut code) = (0, ExitCode::SUCCESS);
    for (i, c) in cards.iter().enumerate() {
        let Some((drill, x)) = app.catalog.get(&c.drill_id).and_then(|d| Some((d, card::excerpt(d, &c.finding)?))) else {
            writeln!(
                out,
                "{} {} · {}",
                styled(DIM, t(lang, "skipped (drill not loaded):", "已跳过（未加载该练习）：")),
                safe(&c.drill_id),
                safe(&c.finding)
            )?;
            continue;
        };
        show_card(out, drill, &x, i + 1, cards.len(), lang)?;
        out.flush()?;
        let text = reader.read_block(card::question(lang))?;
        if text.trim().is_empty() && reader.at_eof() {
            break;
        }
        if text.trim() == "-" || text.trim().is_empty() {
            writeln!(out, "{}", styled(DIM, t(lang, "Skipped: the card stays due.", "已跳过：这张卡片仍然到期。")))?;
            continue;
        }
        let grader = graders.entry(drill.id.clone()).or_insert_with(|| Grader::new(drill));
        let Some((result, rating)) = card::grade(grader, &c.finding, &text) else { continue };
        let answer = CardAnswer {
            answer: text.clone(),
            verdict: result.verdict.as_str().into(),
            rating,
            result_json: serde_json::to_string(&result)?,
            lang: lang.code().into(),
            at: now,
        };
        let sch = Scheduler::default();
        let due = match store.answer_card(c.id, &answer, &|p, g, at| sch.next(p, g, at)) {
            Ok(r) => Some(r.due),
            Err(e) => {
                keep_in_backup(out, e, drill, &x, &text, lang)?;
                code = ExitCode::from(2);
                None
            }
        };
        answered += 1;
        feedback(out, &card_view(&result, Some(drill), lang), due.map(|d| (d - now).div_euclid(revdrill_review::DAY)), lang)?;
    }
    let left = store.due_count(end_of_day(now)).unwrap_or(0);
    let summary = match lang {
        Lang::En => format!("\nReviewed {answered} card(s); {left} still due today."),
        Lang::Zh => format!("\n已复习 {answered} 张卡片；今天还有 {left} 张到期。"),
    };
    writeln!(out, "{summary}")?;
    Ok(code)
}

/// The card: where it is from, the hunk with the anchor lines marked, the question.
fn show_card(out: &mut impl Write, drill: &Drill, x: &Excerpt<'_>, n: usize, of: usize, lang: Lang) -> std::io::Result<()> {
    let head = format!("{} {n}/{of} · {} · {}", t(lang, "Card", "卡片"), drill.title, x.path);
    writeln!(out, "\n{}", styled(anstyle::Style::new().bold(), &head))?;
    render::hunk_lines(out, &drill.language, x.hunk, x.shown.clone(), &x.anchors)?;
    writeln!(out, "{}", styled(anstyle::Style::new().bold(), card::question(lang)))
}

/// The verdict and the reference review of the card's finding, from the shared feedback view.
fn feedback(out: &mut impl Write, f: &FindingView, days: Option<i64>, lang: Lang) -> std::io::Result<()> {
    let style = match f.verdict {
        Verdict::Hit => GOOD,
        Verdict::Partial => WARN,
        Verdict::Miss => render::BAD,
    };
    writeln!(out, "  {} {} ({} · {})", styled(style, f.verdict_label), safe(&f.id), f.category_label, f.severity_label)?;
    if let Some(ev) = &f.evidence {
        writeln!(out, "      {} “{}”", styled(DIM, t(lang, "you wrote:", "你写道：")), safe(ev))?;
    }
    if f.verdict != Verdict::Hit && !f.missing.is_empty() {
        writeln!(
            out,
            "      {} {}",
            t(lang, "To make it complete, also say:", "要完整，还需说明："),
            safe(&f.missing.join(", "))
        )?;
    }
    if let Some(r) = &f.reference {
        writeln!(out, "  {} {}", t(lang, "Problem:", "问题："), safe(&r.problem))?;
        writeln!(out, "  {} {}", t(lang, "Risk:", "风险："), safe(&r.risk))?;
        writeln!(out, "  {} {}", t(lang, "Suggestion:", "建议："), safe(&r.suggestion))?;
        writeln!(out, "  {} {}", styled(DIM, t(lang, "Comment:", "评论范例：")), safe(&r.comment))?;
    }
    if let Some(days) = days {
        let next = match lang {
            Lang::En => format!("Next review in {days} day(s)."),
            Lang::Zh => format!("{days} 天后再次复习。"),
        };
        writeln!(out, "  {}", styled(DIM, &next))?;
    }
    Ok(())
}

/// The database failed: the answer goes to a backup answers file through the same [`Saver`] as
/// `drill` (an inline comment on the card's first anchor line, which `grade --answers` reads).
fn keep_in_backup(
    out: &mut impl Write,
    e: revdrill_store::StoreError,
    drill: &Drill,
    x: &Excerpt<'_>,
    text: &str,
    lang: Lang,
) -> Result<()> {
    let line = x.anchors.first().and_then(|&i| x.hunk.lines[i].new_line).unwrap_or(0);
    let answers = AnswerSet {
        drill: drill.id.clone(),
        comments: vec![LineComment { line, file: Some(x.path.to_string()), severity: None, body: text.to_string() }],
        ..Default::default()
    };
    let mut saver = Saver::new(Err(e), &drill.id, lang);
    saver.save_answers(&answers)?;
    saver.tell_backup(out, &answers)?;
    Ok(())
}

/// `drill` without an id: at a terminal, offers the due cards first; on a pipe (answers coming),
/// only says how many are due.
pub fn offer<R: BufRead>(app: &App, store: &mut SqliteStore, reader: &mut AnswerReader<R>, interactive: bool) -> Result<()> {
    let lang = app.lang;
    let due = due_today(app, store);
    if due == 0 {
        return Ok(());
    }
    let mut out = render::stdout();
    if !interactive {
        let note = match lang {
            Lang::En => format!("{due} review card(s) due today: run `revdrill review`."),
            Lang::Zh => format!("今天有 {due} 张复习卡片到期：运行 `revdrill review`。"),
        };
        writeln!(out, "{}", styled(DIM, &note))?;
        return Ok(());
    }
    let ask = match lang {
        Lang::En => format!("{due} review card(s) are due today. Review them first? [Y/n] "),
        Lang::Zh => format!("今天有 {due} 张复习卡片到期。先复习吗？[Y/n] "),
    };
    write!(out, "{}", styled(anstyle::Style::new().bold(), &ask))?;
    out.flush()?;
    let reply = reader.read_line()?.unwrap_or_default();
    if matches!(reply.trim().to_lowercase().as_str(), "" | "y" | "yes" | "是" | "好") {
        session(app, store, reader, &mut out, usize::MAX, interactive)?;
        writeln!(out, "\n{}", t(lang, "Now the next drill:", "接下来是下一个练习："))?;
    }
    Ok(())
}
