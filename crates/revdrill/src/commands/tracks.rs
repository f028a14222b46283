//! `revdrill tracks` and `revdrill drill --track`: the learning tracks of the catalog with the
//! learner's completion (a drill is done when it has a graded attempt).

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use revdrill_pack::Drill;
use revdrill_store::{SqliteStore, Store};

use crate::app::App;
use crate::cli::Format;
use crate::i18n::t;
use crate::render::{bar, pad};

/// Drill ids with a graded attempt.
pub fn done_drills(store: &SqliteStore) -> Result<BTreeSet<String>, revdrill_store::StoreError> {
    Ok(store.drill_stats()?.into_iter().map(|d| d.drill_id).collect())
}

pub fn run(app: &App, format: Format) -> Result<ExitCode> {
    let lang = app.lang;
    let store = app.open_store().map_err(|e| app.store_error(e))?;
    let done = done_drills(&store).map_err(|e| app.store_error(e))?;
    let mut out = crate::render::stdout();
    if format == Format::Json {
        let rows: Vec<_> = app.catalog.tracks().iter().map(|tr| tr.view(lang, &done)).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for tr in app.catalog.tracks() {
        let (n, total) = (tr.done_count(&done), tr.drills.len());
        let pct = (n * 100 / total.max(1)) as u8;
        writeln!(out, "{}  {}  {n}/{total}  {}", pad(&tr.id, 18), bar(pct), tr.title(lang))?;
        writeln!(out, "    {}", tr.description.get(lang))?;
        let cats: Vec<&str> = tr.categories.iter().map(|c| c.label(lang)).collect();
        writeln!(out, "    {} {}", t(lang, "Trains:", "训练："), cats.join(", "))?;
        for d in &tr.drills {
            let mark = if done.contains(d) { "✓" } else { "·" };
            writeln!(out, "    {mark} {d}")?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "{}",
        t(lang, "Next drill of a track: `revdrill drill --track ID`.", "做某个路线的下一个练习：`revdrill drill --track ID`。")
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The next undone drill of track `id` (`None` when all are done), or an error naming the
/// known tracks.
pub fn next_in_track<'a>(app: &'a App, id: &str, store: Option<&SqliteStore>) -> Result<Option<&'a Drill>> {
    let Some(track) = app.catalog.track(id) else {
        let ids: Vec<&str> = app.catalog.tracks().iter().map(|t| t.id.as_str()).collect();
        anyhow::bail!(
            "{} `{id}` ({}: {})",
            t(app.lang, "no track with id", "没有这个 id 的学习路线："),
            t(app.lang, "known", "已有"),
            ids.join(", ")
        );
    };
    let done = store.and_then(|s| done_drills(s).ok()).unwrap_or_default();
    Ok(track.next(&done).and_then(|d| app.catalog.get(d)))
}
