//! `revdrill list` and `revdrill show`.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use revdrill_store::Store;

use crate::app::App;
use crate::cli::Format;
use crate::i18n::t;
use crate::render::{self, pad};

pub fn list(app: &App, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    // Scores are a bonus here: a missing or broken database must not hide the catalog.
    let best: HashMap<String, u8> = app
        .open_store()
        .and_then(|s| s.drill_stats())
        .map(|v| v.into_iter().map(|d| (d.drill_id, d.best)).collect())
        .unwrap_or_default();
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
        return Ok(ExitCode::SUCCESS);
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
        let b = best.get(&d.id).map_or("-".to_string(), |b| b.to_string());
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
    Ok(ExitCode::SUCCESS)
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
