//! `revdrill template`: the PR review template, personal when the learner has history (their
//! weakest categories first, with the questions they most often missed; see
//! `revdrill_practice::template`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use revdrill_pack::Category;
use revdrill_practice::template::{Missed, Strength, missed_in_reports, personalize};
use revdrill_store::{SqliteStore, Store};

use crate::app::App;
use crate::cli::TemplateArgs;
use crate::i18n::t;

pub fn run(app: &App, args: TemplateArgs) -> Result<ExitCode> {
    let base = revdrill_catalog::review_template(app.lang);
    let text = match (args.generic, app.open_store()) {
        (false, Ok(store)) => {
            let (strengths, missed) = history(app, &store).unwrap_or_default();
            personalize(base, app.lang, &strengths, &missed)
        }
        // Without a readable database there is no history: the generic template.
        _ => base.to_string(),
    };
    match args.output {
        Some(path) => {
            crate::saver::write_atomically(&path, text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} {}", t(app.lang, "Template written to", "模板已写入"), path.display());
        }
        None => crate::render::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Strength per category and the findings missed (or partly found), counted over attempts.
fn history(app: &App, store: &SqliteStore) -> Result<(Vec<Strength>, Vec<Missed>), revdrill_store::StoreError> {
    let strengths = store
        .category_stats()?
        .iter()
        .filter_map(|c| Some(Strength { category: Category::parse(&c.category)?, share: c.share()? }))
        .collect();
    let reports = super::phrases::stored_reports(store)?;
    let missed =
        missed_in_reports(reports.iter().map(|(a, d, r)| (*a, d.as_str(), r.as_str())), |id| app.catalog.get(id), app.lang);
    Ok((strengths, missed))
}
