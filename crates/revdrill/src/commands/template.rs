//! `revdrill template`: the reusable PR review template.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::app::App;
use crate::cli::TemplateArgs;
use crate::i18n::t;

pub fn run(app: &App, args: TemplateArgs) -> Result<ExitCode> {
    let text = revdrill_catalog::review_template(app.lang);
    match args.output {
        Some(path) => {
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} {}", t(app.lang, "Template written to", "模板已写入"), path.display());
        }
        None => crate::render::stdout().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
