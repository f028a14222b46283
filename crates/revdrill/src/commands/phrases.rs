//! `revdrill phrases`: the phrasebook of English review comments (from `revdrill_practice`),
//! then the learner's own best-scored comments from the store.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use revdrill_practice::phrases::{self, Kind, best_comments};
use revdrill_store::SqliteStore;
use serde_json::json;

use crate::app::App;
use crate::cli::{Format, PhrasesArgs};
use crate::i18n::t;

/// How many of the newest attempts are read for the learner's own comments and missed items.
pub const SCANNED_ATTEMPTS: usize = 500;

/// `(attempt, drill, report JSON)` of the newest graded attempts.
pub fn stored_reports(store: &SqliteStore) -> Result<Vec<(i64, String, String)>, revdrill_store::StoreError> {
    revdrill_store::graded_reports(store, SCANNED_ATTEMPTS)
}

pub fn run(app: &App, args: PhrasesArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let kind = args.kind.map(|k| match k {
        crate::cli::PhraseKind::Asking => Kind::Asking,
        crate::cli::PhraseKind::Suggesting => Kind::Suggesting,
        crate::cli::PhraseKind::Blocking => Kind::Blocking,
        crate::cli::PhraseKind::Nit => Kind::Nit,
        crate::cli::PhraseKind::Praise => Kind::Praise,
        crate::cli::PhraseKind::Disagreeing => Kind::Disagreeing,
    });
    let list = phrases::of_kind(kind);
    // The phrasebook works without a database; the learner's own comments need one.
    let reports = app.open_store().ok().and_then(|s| stored_reports(&s).ok()).unwrap_or_default();
    let own = best_comments(reports.iter().map(|(a, d, r)| (*a, d.as_str(), r.as_str())), args.top);
    let mut out = crate::render::stdout();
    if args.format == Format::Json {
        let v = json!({"phrases": list, "own": own});
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for k in Kind::ALL.into_iter().filter(|k| kind.is_none_or(|x| x == *k)) {
        writeln!(out, "## {}\n", k.label(lang))?;
        for p in list.iter().filter(|p| p.kind == k) {
            writeln!(out, "  {}", p.en)?;
            writeln!(out, "    {}", p.zh)?;
            writeln!(out, "    {} {}\n", t(lang, "When:", "何时用："), p.when.get(lang))?;
        }
    }
    writeln!(out, "## {}\n", t(lang, "Your best comments", "你得分最高的评论"))?;
    if own.is_empty() {
        writeln!(
            out,
            "  {}",
            t(
                lang,
                "None yet: the comment item of each drill is scored; do a drill.",
                "还没有：每个练习的评论题都会评分，先做一个练习吧。"
            )
        )?;
    }
    for c in &own {
        writeln!(out, "  [{}] {} (#{} {})", c.score, crate::render::safe(&c.text), c.attempt, c.drill)?;
    }
    Ok(ExitCode::SUCCESS)
}
