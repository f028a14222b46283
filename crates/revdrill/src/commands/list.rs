//! `revdrill list` and `revdrill show`.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use revdrill_pack::Lang;
use revdrill_store::Store;

use crate::app::App;
use crate::cli::Format;
use crate::i18n::t;
use crate::render::{self, pad};

/// Prints the catalog with the learner's best scores. A database that fails does not hide the
/// catalog, but it is not hidden either: the scores show as `?` (`null` in JSON), the error is
/// printed on stderr and the exit code is 2.
pub fn list(app: &App, format: Format) -> Result<ExitCode> {
    let (best, db_error) = match app.open_store().and_then(|s| s.drill_stats()) {
        Ok(v) => (v.into_iter().map(|d| (d.drill_id, d.best)).collect(), None),
        Err(e) => (HashMap::new(), Some(e)),
    };
    print_list(app, format, &best, db_error.is_some())?;
    let Some(e) = db_error else { return Ok(ExitCode::SUCCESS) };
    let mut err = crate::render::stderr();
    writeln!(
        err,
        "{}{}{} {}\n{}",
        render::ERROR.render(),
        t(app.lang, "error:", "错误："),
        render::ERROR.render_reset(),
        crate::saver::store_error(app.lang, &e),
        t(app.lang, "The scores above are unknown (`?`).", "上面的得分未知（`?`）。")
    )?;
    Ok(ExitCode::from(2))
}

fn print_list(app: &App, format: Format, best: &HashMap<String, u8>, unknown: bool) -> Result<()> {
    let lang = app.lang;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            drill: revdrill_pack::DrillSummary<'a>,
            best: Option<u8>,
        }
        let rows: Vec<Row> =
            app.catalog.drills().iter().map(|d| Row { drill: d.summary(), best: best.get(&d.id).copied() }).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} {} {} {}  {}",
        pad(t(lang, "ID", "ID"), 34),
        pad(t(lang, "LANG", "语言"), 6),
        pad(t(lang, "LEVEL", "难度"), 7),
        pad(t(lang, "BEST", "最佳"), 5),
        t(lang, "CATEGORIES", "类别")
    )?;
    for d in app.catalog.drills() {
        let cats: Vec<&str> = d.categories().iter().map(|c| c.label(lang)).collect();
        let b = best.get(&d.id).map_or(if unknown { "?" } else { "-" }.to_string(), |b| b.to_string());
        writeln!(
            out,
            "{} {} {} {:>5}  {}",
            pad(&d.id, 34),
            pad(&d.language, 6),
            pad(d.difficulty.label(lang), 7),
            b,
            cats.join(", ")
        )?;
        writeln!(out, "{:<34} {}", "", render_dim(&d.title))?;
    }
    writeln!(out, "\n{}", summary(&revdrill_catalog::counts(app.catalog.drills()), lang))?;
    Ok(())
}

/// The catalog's size on one line: `18 drills · go 5, … · easy 3, … · concurrency 6, …`.
pub fn summary(c: &revdrill_catalog::Counts, lang: Lang) -> String {
    let join = |v: Vec<String>| v.join(", ");
    let langs = join(c.languages.iter().map(|(l, n)| format!("{l} {n}")).collect());
    let levels = join(c.difficulties.iter().map(|(d, n)| format!("{} {n}", d.label(lang))).collect());
    let cats = join(c.categories.iter().map(|(k, n)| format!("{} {n}", k.label(lang))).collect());
    format!("{} {} · {langs} · {levels} · {cats}", c.total, t(lang, "drills", "个练习"))
}

fn render_dim(s: &str) -> String {
    format!("{}{s}{}", render::DIM.render(), render::DIM.render_reset())
}

pub fn show(app: &App, id: &str, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    let d = app.drill(id)?;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        let v = d.view(lang);
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    render::drill_header(&mut out, d, lang)?;
    writeln!(out, "\n{}", t(lang, "Checklist:", "检查清单："))?;
    for (i, c) in d.checklist.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, c.prompt.get(lang))?;
    }
    Ok(ExitCode::SUCCESS)
}
