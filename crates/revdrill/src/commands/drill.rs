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
use crate::input::{AnswerReader, MAX_TYPED_BYTES, Stop, editor_command, shown_ranges, split_inline_comments};
use crate::render;
use crate::saver::{Saved, Saver};

pub fn run(app: &App, args: DrillArgs) -> Result<ExitCode> {
    let lang = app.lang;
    // Ctrl-C, SIGTERM and a closed terminal end the input instead of the process, so that the
    // lines typed so far are saved first (see `interrupt`).
    crate::interrupt::catch();
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
    let mut saver = Saver::new(opened, &drill.id, lang).with_db(&app.db_path);

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
    let mut reader =
        AnswerReader::new(std::io::stdin().lock(), interactive.then(editor_command)).with_lang(lang).terminal(interactive);
    let n = drill.checklist.len();
    for (i, item) in drill.checklist.iter().enumerate() {
        writeln!(out, "\n{}", render_bold(&format!("[{}/{n}] {}", i + 1, item.prompt.get(lang))))?;
        out.flush()?;
        let text = if reader.at_eof() { String::new() } else { reader.read_block(item.prompt.get(lang))? };
        if let Some(sig) = reader.interrupted() {
            if !text.trim().is_empty() {
                answers.answers.insert(item.id.clone(), text);
            }
            return interrupted(&mut saver, &answers, sig, lang, &app.db_path);
        }
        warn_not_utf8(&mut reader, lang)?;
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
        input_problems(&reader, lang)?;
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
    out.flush()?;
    let mut bad_input = input_problems(&reader, lang)?;
    match saver.where_saved() {
        Saved::Db(id, path) => {
            writeln!(out, "{} #{id} → {}", t(lang, "Saved as attempt", "已保存为第"), path.display())?;
            // Disputes: asked at a terminal, or read from what is left of piped input.
            if interactive || !reader.at_eof() {
                if let Ok(mut store) = app.open_store() {
                    let p = disputes::prompt(&mut out, &mut || reader.read_line(), &mut store, id, &view, lang)?;
                    bad_input |= p.refused_on_a_pipe(lang);
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
            Ok(if bad_input { ExitCode::from(2) } else { ExitCode::SUCCESS })
        }
        Saved::File(_) | Saved::Nowhere(_) | Saved::Nothing => Ok(ExitCode::from(2)),
    }
}

/// A signal ended the input: saves what was typed (the database, else a backup file), says
/// where, and exits `128 + signal`. Nothing is graded. The terminal may be gone (SIGHUP), so
/// the answers are saved before anything is written, and failed writes are ignored.
fn interrupted(saver: &mut Saver, answers: &AnswerSet, sig: i32, lang: Lang, db: &std::path::Path) -> Result<ExitCode> {
    if !answers.is_empty() {
        saver.save_answers(answers)?;
    }
    let mut err = crate::render::stderr();
    let _ = match saver.where_saved() {
        Saved::Db(id, path) => writeln!(
            err,
            "\n{} #{id} ({}). {}",
            t(lang, "Interrupted: your answers so far are saved as unfinished attempt", "已中断：目前的回答已保存为未完成的第"),
            path.display(),
            match lang {
                Lang::En =>
                    format!("`revdrill history {id}{}` shows them and how to grade them.", crate::saver::db_flag(Some(db))),
                Lang::Zh =>
                    format!("次作答。`revdrill history {id}{}` 可查看这些回答以及如何评分。", crate::saver::db_flag(Some(db))),
            }
        ),
        Saved::Nothing => writeln!(
            err,
            "\n{}",
            t(lang, "Interrupted: nothing was typed, nothing was recorded.", "已中断：没有输入任何内容，未记录。")
        ),
        Saved::File(_) | Saved::Nowhere(_) => {
            let _ = writeln!(err, "\n{}", t(lang, "Interrupted.", "已中断。"));
            saver.tell_backup(&mut err, answers)
        }
    };
    let _ = err.flush();
    Ok(ExitCode::from(128u8.saturating_add(u8::try_from(sig).unwrap_or(0))))
}

/// Warns at once about lines just read that were not UTF-8 (their bad bytes are kept as �).
fn warn_not_utf8<R: std::io::BufRead>(reader: &mut AnswerReader<R>, lang: Lang) -> Result<()> {
    let new = reader.new_not_utf8_lines();
    if new.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = new.iter().map(|n| n.to_string()).collect();
    let mut err = crate::render::stderr();
    writeln!(
        err,
        "{}{}{} <stdin> {} {}: {}",
        render::ERROR.render(),
        t(lang, "error:", "错误："),
        render::ERROR.render_reset(),
        t(lang, "line", "第"),
        lines.join(", "),
        t(
            lang,
            "not UTF-8 text; the bad bytes are kept as � (is the terminal set to UTF-8?)",
            "行不是 UTF-8 文本；无效字节已保留为 �（终端是否设置为 UTF-8？）"
        )
    )?;
    Ok(())
}

/// Says on stderr why reading stopped early or what was wrong with the input; whether anything
/// was (the exit code is then 2, after the answers are saved).
fn input_problems<R: std::io::BufRead>(reader: &AnswerReader<R>, lang: Lang) -> Result<bool> {
    let mut err = crate::render::stderr();
    let e = || format!("{}{}{}", render::ERROR.render(), t(lang, "error:", "错误："), render::ERROR.render_reset());
    let mut bad = false;
    match reader.stop() {
        Some(Stop::Cap) => {
            let kib = MAX_TYPED_BYTES >> 10;
            let msg = match lang {
                Lang::En => format!(
                    "<stdin>: more than {kib} KiB of answers, the limit; the rest was not read (what came before it is kept)"
                ),
                Lang::Zh => format!("<stdin>：回答超过 {kib} KiB 上限；其余部分未读取（之前的内容已保留）"),
            };
            writeln!(err, "{} {msg}", e())?;
            bad = true;
        }
        Some(Stop::Error(why)) => {
            writeln!(err, "{} {} {why}", e(), t(lang, "cannot read the answers from <stdin>:", "无法从 <stdin> 读取回答："))?;
            bad = true;
        }
        Some(Stop::Signal(_)) | None => {}
    }
    let not_utf8 = reader.not_utf8_total();
    if not_utf8 > 0 {
        let msg = match lang {
            Lang::En => format!("<stdin>: {not_utf8} line(s) were not UTF-8 text; their bad bytes were kept as �"),
            Lang::Zh => format!("<stdin>：有 {not_utf8} 行不是 UTF-8 文本；无效字节已保留为 �"),
        };
        writeln!(err, "{} {msg}", e())?;
        bad = true;
    }
    Ok(bad)
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
