//! `revdrill packs check`: validate packs on disk, including their model answers.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use revdrill_grader::{Grader, check_concepts};
use revdrill_pack::{PackError, duplicate_ids, load_pack, parse_answers};

use crate::app::App;
use crate::i18n::t;
use crate::render;

/// Model answers must score at least this much.
const MODEL_MIN: u8 = 95;

pub fn check(app: &App, dirs: &[PathBuf]) -> Result<ExitCode> {
    let lang = app.lang;
    let mut out = crate::render::stdout();
    let mut problems: Vec<PackError> = Vec::new();
    let mut ok = 0;
    let mut seen = Vec::new();
    for dir in dirs {
        let (drills, errs) = load_pack(dir);
        problems.extend(errs.0);
        seen.extend(drills.iter().cloned());
        for d in &drills {
            let before = problems.len();
            problems.extend(check_concepts(d));
            let grader = Grader::new(d);
            let base = d.toml_path().trim_end_matches("drill.toml").to_string();
            for (name, text) in &d.examples {
                let file = format!("{base}{name}");
                match parse_answers(&file, text, Some(d)) {
                    Err(e) => problems.extend(e),
                    Ok(a) => {
                        let score = grader.grade(&a).score;
                        let is_model = name.rsplit('/').next().is_some_and(|n| n.starts_with("model"));
                        if is_model && score < MODEL_MIN {
                            problems.push(PackError {
                                file,
                                line: None,
                                field: String::new(),
                                message: format!("model answer scores {score}; a model answer must score at least {MODEL_MIN}"),
                            });
                        }
                    }
                }
            }
            if problems.len() == before {
                ok += 1;
                writeln!(out, "{} {}", render_ok("ok"), d.id)?;
            }
        }
    }
    problems.extend(duplicate_ids(&seen));
    let mut err = crate::render::stderr();
    for p in &problems {
        writeln!(err, "{}{}{} {p}", render::ERROR.render(), t(lang, "error:", "错误："), render::ERROR.render_reset())?;
    }
    writeln!(out, "{ok} {}, {} {}", t(lang, "drills valid", "个 drill 有效"), problems.len(), t(lang, "problems", "个问题"))?;
    Ok(if problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn render_ok(s: &str) -> String {
    format!("{}{s}{}", render::GOOD.render(), render::GOOD.render_reset())
}
