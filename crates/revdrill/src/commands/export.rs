//! `revdrill export`: the learner's review of a stored attempt, in a form real review tools
//! take. The conversion lives in `revdrill_practice::export`; this module loads and writes.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use revdrill_pack::AnswerSet;
use revdrill_practice::export::{self, Format, Review};
use revdrill_store::{Store, StoreError};

use crate::app::App;
use crate::cli::{ExportArgs, ExportFormat};
use crate::i18n::t;

pub fn run(app: &App, args: ExportArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let store = app.open_store().map_err(|e| app.store_error(e))?;
    let attempt = match store.attempt(args.attempt) {
        Ok(a) => a,
        Err(StoreError::NoSuchAttempt(id)) => anyhow::bail!(
            "{} #{id} ({})",
            t(lang, "no attempt", "没有练习记录"),
            t(lang, "`revdrill history` lists the attempt ids", "`revdrill history` 列出练习记录的编号")
        ),
        Err(e) => return Err(app.store_error(e)),
    };
    let answers: AnswerSet = serde_json::from_str(&attempt.answers_json).with_context(|| {
        format!("{} #{}", t(lang, "cannot read the stored answers of attempt", "无法读取练习记录的答案："), args.attempt)
    })?;
    let drill = app.drill(&attempt.summary.drill_id)?;
    let format = match args.format {
        ExportFormat::Md => Format::Markdown,
        ExportFormat::Conventional => Format::Conventional,
        ExportFormat::Github => Format::Github,
        ExportFormat::Sarif => Format::Sarif,
    };
    let review = Review { drill, answers: &answers, attempt: args.attempt, score: attempt.summary.score, lang };
    let text = export::render(&review, format);
    match args.output {
        Some(path) => {
            crate::saver::write_atomically(&path, text.as_bytes())
                .with_context(|| format!("{} {}", t(lang, "cannot write", "无法写入"), path.display()))?;
            eprintln!("{} {}", t(lang, "Export written to", "导出已写入"), path.display());
        }
        None => crate::render::stdout().write_all(shown(&text, format).as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The export as it may reach a terminal: the learner's words can hold control sequences (a
/// pasted escape, a backup from elsewhere). Markdown shows them escaped (`\x1b`); the JSON
/// formats write the control characters `serde_json` leaves raw (DEL, C1 such as `\u{9b}`) as
/// `\u00XX` escapes, so the JSON means the same and stays valid.
fn shown(text: &str, format: Format) -> String {
    match format {
        Format::Github | Format::Sarif => text
            .chars()
            .map(|c| if c.is_control() && c != '\n' { format!("\\u{:04x}", c as u32) } else { c.to_string() })
            .collect(),
        _ => crate::render::safe(text).to_string(),
    }
}
