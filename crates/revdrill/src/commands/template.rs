//! `revdrill template`: the PR review template, personal when the learner has history (their
//! weakest categories first, with the questions they most often missed; see
//! `revdrill_practice::template`).

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use revdrill_pack::{Category, Lang};
use revdrill_practice::template::{Missed, Strength, personalize};
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
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} {}", t(app.lang, "Template written to", "模板已写入"), path.display());
        }
        None => anstream::stdout().write_all(text.as_bytes())?,
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
    let mut counts: BTreeMap<(String, String), u32> = BTreeMap::new();
    for (_, drill, report) in super::phrases::stored_reports(store)? {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&report) else { continue };
        for f in v["findings"].as_array().into_iter().flatten() {
            if matches!(f["verdict"].as_str(), Some("miss" | "partial")) {
                if let Some(id) = f["id"].as_str() {
                    *counts.entry((drill.clone(), id.to_string())).or_default() += 1;
                }
            }
        }
    }
    let missed = counts.into_iter().filter_map(|((drill, id), times)| missed(app, app.lang, &drill, &id, times)).collect();
    Ok((strengths, missed))
}

/// A missed finding with its question and problem text, when the drill is still in the catalog.
fn missed(app: &App, lang: Lang, drill_id: &str, finding: &str, times: u32) -> Option<Missed> {
    let drill = app.catalog.get(drill_id)?;
    let f = drill.finding(finding)?;
    let question = drill
        .checklist
        .iter()
        .find(|i| i.covers.iter().any(|c| c == finding))
        .map_or_else(|| f.problem.get(lang).to_string(), |i| i.prompt.get(lang).to_string());
    Some(Missed { category: f.category, drill: drill_id.to_string(), question, problem: f.problem.get(lang).to_string(), times })
}
