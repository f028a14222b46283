//! `revdrill drill`: the interactive drill. Answers are saved before any feedback is shown;
//! when the database fails, they go to a file instead and the exit code says so.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use revdrill_feedback::FeedbackView;
use revdrill_grader::{Grader, Report};
use revdrill_pack::{AnswerSet, Drill, Lang};
use revdrill_store::{AttemptId, Graded, SqliteStore, Store};

use crate::app::App;
use crate::cli::DrillArgs;
use crate::commands::disputes;
use crate::i18n::t;
use crate::input::{AnswerReader, split_inline_comments};
use crate::render;

pub fn run(app: &App, args: DrillArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let mut out = anstream::stdout();
    let (store, store_err) = match app.open_store() {
        Ok(s) => (Some(s), None),
        Err(e) => (None, Some(e)),
    };
    let drill = match &args.id {
        Some(id) => app.drill(id)?,
        None => next_drill(app, store.as_ref()),
    };
    let mut saver = Saver::new(store, drill, lang);
    if let Some(e) = store_err {
        saver.fail(&e.to_string());
    }

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
    let mut reader = AnswerReader::new(std::io::stdin().lock());
    let n = drill.checklist.len();
    for (i, item) in drill.checklist.iter().enumerate() {
        writeln!(out, "\n{}", render_bold(&format!("[{}/{n}] {}", i + 1, item.prompt.get(lang))))?;
        out.flush()?;
        let text = if reader.at_eof() { String::new() } else { reader.read_block(item.prompt.get(lang))? };
        let text = if text.trim() == "-" { String::new() } else { text };
        let (rest, comments) = split_inline_comments(&text);
        answers.answers.insert(item.id.clone(), rest);
        answers.comments.extend(comments);
        saver.save_answers(&answers)?;
        let report = grader.grade(&answers);
        render::item_feedback(&mut out, &FeedbackView::build(&report, Some(drill), &answers, &[], lang), i, lang)?;
    }

    let report = grader.grade(&answers);
    saver.finish(&answers, &report)?;
    let view = FeedbackView::build(&report, Some(drill), &answers, &[], lang);
    render::final_report(&mut out, &view, lang)?;
    writeln!(out)?;
    match saver.where_saved() {
        Saved::Db(id, path) => {
            writeln!(out, "{} #{id} → {}", t(lang, "Saved as attempt", "已保存为第"), path.display())?;
            if let Ok(mut store) = app.open_store() {
                // Disputes: asked at a terminal, or read from what is left of piped input.
                if interactive || !reader.at_eof() {
                    disputes::prompt(&mut out, &mut || reader.read_line(), &mut store, id, &view, lang)?;
                }
                let next = next_drill(app, Some(&store));
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
        Saved::File(path) => {
            writeln!(
                out,
                "{} {}",
                t(lang, "The database failed; your answers are saved in", "数据库出错；你的回答已保存到"),
                path.display()
            )?;
            Ok(ExitCode::from(2))
        }
        Saved::Nowhere => Ok(ExitCode::from(2)),
    }
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

enum Saved {
    Db(AttemptId, PathBuf),
    File(PathBuf),
    Nowhere,
}

/// Keeps the learner's answers safe: in the database while it works, else in a file.
struct Saver {
    store: Option<SqliteStore>,
    db_path: PathBuf,
    attempt: Option<AttemptId>,
    fallback: Option<PathBuf>,
    drill_id: String,
    lang: Lang,
}

impl Saver {
    fn new(store: Option<SqliteStore>, drill: &Drill, lang: Lang) -> Saver {
        Saver { store, db_path: PathBuf::new(), attempt: None, fallback: None, drill_id: drill.id.clone(), lang }
    }

    fn fail(&mut self, why: &str) {
        self.store = None;
        let mut err = anstream::stderr();
        let _ = writeln!(
            err,
            "{}{}{} {why}\n{}",
            render::ERROR.render(),
            t(self.lang, "error:", "错误："),
            render::ERROR.render_reset(),
            t(
                self.lang,
                "Your answers will be written to a file instead, so that nothing is lost.",
                "你的回答将改为写入文件，不会丢失。"
            )
        );
    }

    fn save_answers(&mut self, answers: &AnswerSet) -> Result<()> {
        let json = serde_json::to_string(answers)?;
        if let Some(store) = self.store.as_mut() {
            self.db_path = store.path().to_path_buf();
            let r = match self.attempt {
                None => store.start_attempt(&self.drill_id, self.lang.code(), &json).map(|id| self.attempt = Some(id)),
                Some(id) => store.save_answers(id, &json),
            };
            match r {
                Ok(()) => return Ok(()),
                Err(e) => self.fail(&e.to_string()),
            }
        }
        self.write_fallback(answers, None)
    }

    fn finish(&mut self, answers: &AnswerSet, report: &Report) -> Result<()> {
        self.save_answers(answers)?;
        if let (Some(store), Some(id)) = (self.store.as_mut(), self.attempt) {
            let graded = Graded {
                score: report.score,
                report_json: serde_json::to_string(report)?,
                categories: report.categories.iter().map(|c| (c.category.as_str().to_string(), c.earned, c.max)).collect(),
            };
            match store.finish_attempt(id, &graded) {
                Ok(()) => return Ok(()),
                Err(e) => self.fail(&e.to_string()),
            }
        }
        self.write_fallback(answers, Some(report))
    }

    fn write_fallback(&mut self, answers: &AnswerSet, report: Option<&Report>) -> Result<()> {
        let path = match &self.fallback {
            Some(p) => p.clone(),
            None => {
                let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
                let name = format!("revdrill-attempt-{}-{stamp}.json", self.drill_id);
                let dir = std::env::current_dir().ok().filter(|d| writable(d)).unwrap_or_else(std::env::temp_dir);
                dir.join(name)
            }
        };
        let mut v = serde_json::to_value(answers)?;
        if let Some(r) = report {
            v["score"] = r.score.into();
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(&v)?)?;
        std::fs::rename(&tmp, &path)?;
        self.fallback = Some(path);
        Ok(())
    }

    fn where_saved(&self) -> Saved {
        match (&self.store, self.attempt, &self.fallback) {
            (_, _, Some(p)) => Saved::File(p.clone()),
            (Some(_), Some(id), None) => Saved::Db(id, self.db_path.clone()),
            _ => Saved::Nowhere,
        }
    }
}

fn writable(dir: &std::path::Path) -> bool {
    tempfile::tempfile_in(dir).is_ok()
}
