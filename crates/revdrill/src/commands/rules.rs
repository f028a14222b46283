//! `revdrill rules`: the analyzer's rules, or one rule's documentation.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use revdrill_analyzer_go::{Lang, rule, rules};

use crate::app::App;
use crate::i18n::t;

/// `revdrill rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code (`GO002`) or name (`goroutine-waits-only-on-context`): print its full
    /// documentation instead of the list.
    pub code: Option<String>,
}

pub fn run(app: &App, args: RulesArgs) -> Result<ExitCode> {
    let lang = match app.lang {
        revdrill_pack::Lang::En => Lang::En,
        revdrill_pack::Lang::Zh => Lang::Zh,
    };
    let mut out = crate::render::stdout();
    match args.code {
        Some(code) => {
            let Some(r) = rule(&code) else {
                bail!("{} `{code}`", t(app.lang, "no such rule:", "没有这条规则："));
            };
            writeln!(out, "{} {} ({})\n{}\n", r.code, r.name, r.level.as_str(), r.summary(lang))?;
            write!(out, "{}", r.doc())?;
        }
        None => {
            for r in rules() {
                let diff = if r.diff_only { t(app.lang, " [diff only]", "［仅 diff 模式］") } else { "" };
                writeln!(out, "{}  {:<34} {:<8} {}{diff}", r.code, r.name, r.level.as_str(), r.summary(lang))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
