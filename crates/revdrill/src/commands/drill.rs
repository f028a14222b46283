//! `revdrill drill`: the interactive drill. Answers are saved before any feedback is shown;
//! when the database fails, they go to a file instead and the exit code says so.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use revdrill_feedback::FeedbackView;
use revdrill_grader::Grader;
use revdrill_pack::{AnswerSet, Drill, Lang, LineComment};
use revdrill_store::{SqliteStore, Store};

use crate::app::App;
use crate::cli::DrillArgs;
use crate::commands::disputes;
use crate::i18n::t;
use crate::input::{AnswerReader, editor_command, shown_ranges, split_inline_comments};
use crate::render;
use crate::saver::{Saved, Saver};

pub fn run(app: &App, args: DrillArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let mut out = crate::render::stdout();
    let mut opened = app.open_store();
    let drill = match (&args.id, &args.track) {
        (Some(id), _) => app.drill(id)?,
        (None, Some(track)) => match super::tracks::next_in_track(app, track, opened.as_ref().ok())? {
            Some(d) => d,
            None => {
                let msg = t(
                    lang,
                    "Every drill of this track is done. `revdrill tracks` shows the others; `revdrill drill ID` repeats one.",
                    "这条学习路线的练习都已完成。`revdrill tracks` 列出其他路线；`revdrill drill ID` 可重做某个练习。",
                );
                writeln!(out, "{msg}")?;
                return Ok(ExitCode::SUCCESS);
            }
        },
        (None, None) => {
            if let Ok(store) = opened.as_mut() {
                // Due review cards first (their own reader, dropped before the drill's).
                let tty = std::io::stdin().is_terminal();
                super::review::offer(app, store, &mut AnswerReader::new(std::io::stdin().lock(), tty.then(editor_command)), tty)?;
            }
            next_drill(app, opened.as_ref().ok())
        }
    };
    let mut saver = Saver::new(opened, &drill.id, lang);

    render::drill_header(&mut out, drill, lang)?;
    let interactive = std::io::stdin().is_terminal();
    writeln!(out)?;
    if interactive {
        writeln!(
            out,
            "{}",
            render_dim(t(
                lang,
                "Answer each item in English, Chinese or both. End an answer with an empty line or Ctrl-D; a line with only `e` opens $EDITOR; `-` skips. A line `@LINE [blocker|major|minor|nit]: text` is an inline comment on that line.",
                "每一项可以用中文、英文或中英混合回答。空行或 Ctrl-D 结束一项回答；单独一行 `e` 打开 $EDITOR；`-` 跳过。`@行号 [blocker|major|minor|nit]: 内容` 表示对该行的行内评论。"
            ))
        )?;
    }

    let grader = Grader::new(drill);
    let mut answers = AnswerSet { drill: drill.id.clone(), ..Default::default() };
    let mut reader = AnswerReader::new(std::io::stdin().lock(), interactive.then(editor_command));
    let n = drill.checklist.len();
    for (i, item) in drill.checklist.iter().enumerate() {
        writeln!(out, "\n{}", render_bold(&format!("[{}/{n}] {}", i + 1, item.prompt.get(lang))))?;
        out.flush()?;
        let text = if reader.at_eof() { String::new() } else { reader.read_block(item.prompt.get(lang))? };
        if reader.at_eof() && text.trim().is_empty() && answers.is_empty() {
            // The input ended before anything was typed: nothing to grade or record.
            break;
        }
        let text = if text.trim() == "-" { String::new() } else { text };
        let (rest, comments) = inline_comments(&mut out, &mut reader, drill, &text, interactive, lang)?;
        answers.answers.insert(item.id.clone(), rest);
        answers.comments.extend(comments);
        if !answers.is_empty() {
            saver.save_answers(&answers)?;
        }
        let report = grader.grade(&answers);
        render::item_feedback(&mut out, &FeedbackView::build(&report, Some(drill), &answers, &[], lang), i, lang)?;
    }

    if answers.is_empty() {
        let mut err = crate::render::stderr();
        writeln!(
            err,
            "{}",
            t(
                lang,
                "Nothing was typed (the input ended or every item was skipped): no attempt was recorded.",
                "没有输入任何内容（输入已结束或所有项都被跳过）：未记录这次练习。"
            )
        )?;
        return Ok(ExitCode::from(2));
    }
    let report = grader.grade(&answers);
    saver.finish(&answers, &report)?;
    let view = FeedbackView::build(&report, Some(drill), &answers, &[], lang);
    render::final_report(&mut out, &view, lang)?;
    writeln!(out)?;
    saver.tell_backup(&mut out, &answers)?;
    match saver.where_saved() {
        Saved::Db(id, path) => {
            writeln!(out, "{} #{id} → {}", t(lang, "Saved as attempt", "已保存为第"), path.display())?;
            // Disputes: asked at a terminal, or read from what is left of piped input.
            if interactive || !reader.at_eof() {
                if let Ok(mut store) = app.open_store() {
                    disputes::prompt(&mut out, &mut || reader.read_line(), &mut store, id, &view, lang)?;
                }
            }
            if let Some(store) = saver.store() {
                let next = next_drill(app, Some(store));
                let done = store.drill_stats().map(|s| s.len()).unwrap_or(0);
                writeln!(
                    out,
                    "{} {done}/{} · {} `revdrill drill {}`",
                    t(lang, "Progress:", "进度："),
                    app.catalog.drills().len(),
                    t(lang, "next:", "下一个："),
                    next.id
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Saved::File(_) | Saved::Nowhere(_) | Saved::Nothing => Ok(ExitCode::from(2)),
    }
}

/// Splits the inline comments out of an answer and keeps only those on lines the diff shows.
/// A comment on another line is refused with the valid ranges: in a terminal the learner
/// retypes it (an empty line keeps it as plain text); on a pipe it stays in the answer as
/// plain text. Either way nothing typed is dropped, and no such comment is stored.
fn inline_comments<R: std::io::BufRead>(
    out: &mut impl Write,
    reader: &mut AnswerReader<R>,
    drill: &Drill,
    text: &str,
    interactive: bool,
    lang: Lang,
) -> Result<(String, Vec<LineComment>)> {
    let (mut rest, found) = split_inline_comments(text);
    let (mut good, mut bad): (Vec<_>, Vec<_>) = found.into_iter().partition(|c| drill.shows_line(c.line));
    while !bad.is_empty() {
        let lines: Vec<String> = bad.iter().map(|c| format!("@{}", c.line)).collect();
        let mut err = crate::render::stderr();
        writeln!(
            err,
            "{}{}{} {} {} ({} {})",
            render::ERROR.render(),
            t(lang, "error:", "错误："),
            render::ERROR.render_reset(),
            lines.join(", "),
            t(lang, "is not a line shown in the diff", "不是 diff 中显示的行"),
            t(lang, "comment on one of:", "可评论的行："),
            shown_ranges(drill)
        )?;
        if !interactive || reader.at_eof() {
            writeln!(err, "{}", t(lang, "Kept as plain text in the answer.", "已作为普通文字保留在回答中。"))?;
            break;
        }
        writeln!(
            out,
            "{}",
            render_dim(t(
                lang,
                "Retype the comment line(s) with a line from the diff, or press Enter to keep them as plain text:",
                "请用 diff 中的行号重新输入这条（些）评论，或直接回车将其作为普通文字保留："
            ))
        )?;
        out.flush()?;
        let retyped = reader.read_block("")?;
        if retyped.trim().is_empty() {
            break;
        }
        let (more_text, more) = split_inline_comments(&retyped);
        if !more_text.trim().is_empty() {
            rest = if rest.is_empty() { more_text } else { format!("{rest}\n{more_text}") };
        }
        let (ok, still_bad): (Vec<_>, Vec<_>) = more.into_iter().partition(|c| drill.shows_line(c.line));
        good.extend(ok);
        bad = still_bad;
    }
    for c in bad {
        let line = match c.severity {
            Some(sev) => format!("@{} {}: {}", c.line, sev.as_str(), c.body),
            None => format!("@{} {}", c.line, c.body),
        };
        rest = if rest.is_empty() { line } else { format!("{rest}\n{line}") };
    }
    Ok((rest, good))
}

fn render_dim(s: &str) -> String {
    format!("{}{s}{}", render::DIM.render(), render::DIM.render_reset())
}

fn render_bold(s: &str) -> String {
    let b = anstyle::Style::new().bold();
    format!("{}{s}{}", b.render(), b.render_reset())
}

/// The next drill, from the catalog's rule and the learner's stats.
fn next_drill<'a>(app: &'a App, store: Option<&SqliteStore>) -> &'a Drill {
    let best = store.and_then(|s| s.drill_stats().ok()).unwrap_or_default().into_iter().map(|d| (d.drill_id, d.best)).collect();
    let strength = store
        .and_then(|s| s.category_stats().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let share = c.share().unwrap_or(1.0);
            (c.category, share)
        })
        .collect();
    app.catalog.next_drill(&best, &strength).expect("the embedded catalog is never empty")
}
