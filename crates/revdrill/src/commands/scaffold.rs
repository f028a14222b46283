//! `revdrill packs new ID --language L`: a drill folder to fill in. Every required field is
//! there with a `TODO` marker in English and Chinese; a placeholder `change.diff` explains what
//! goes there and has one hunk so the folder loads at once; `AUDIT.md` is the template of
//! docs/pack-format.md. `revdrill packs check` then lists what is left (see `ready.rs`).
//! The folder is written in a temporary folder beside it and renamed into place, so it is
//! either complete or absent.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::app::App;
use crate::i18n::t;

/// The file the placeholder diff changes, and how a comment starts, per language.
fn placeholder(language: &str) -> (&'static str, &'static str) {
    match language {
        "go" => ("main.go", "//"),
        "rust" => ("src/lib.rs", "//"),
        "python" => ("app.py", "#"),
        "java" => ("src/main/java/App.java", "//"),
        "typescript" => ("src/index.ts", "//"),
        _ => ("TODO.txt", "#"),
    }
}

const DIFF: &str = "\
TODO: replace this whole file with the change under review, a unified diff as `git diff` prints
it (docs/pack-format.md, \"change.diff\"); text before the first `---` line is ignored. The hunk
below is a placeholder so the scaffold loads: the `lines` in drill.toml point at its line 1.
--- a/{path}
+++ b/{path}
@@ -0,0 +1 @@
+{comment} TODO: the change under review
";

const DRILL: &str = r#"# A drill scaffolded by `revdrill packs new`; see docs/pack-format.md for every field.
# Replace each TODO (en and zh), then run `revdrill packs check` until it lists nothing.
id = "{id}"
title = "TODO: the PR title as its author wrote it"
source = "https://github.com/TODO/TODO/pull/0"
language = "{language}"
difficulty = "medium"   # easy (one hunk, >= 2 findings) | medium | hard (>= 4 findings, a trap, a decoy)
tags = []

[purpose]
en = "TODO: why the author made the change, as the PR would say it."
zh = "TODO：作者为什么做这个改动（PR 描述里会怎么说）。"

[new_logic]
en = ["TODO: what the new code does, one bullet a line."]
zh = ["TODO：新代码做了什么，每行一条。"]

[[checklist]]
id = "main"
covers = ["todo-finding"]
prompt = { en = "TODO: a question tailored to this change.", zh = "TODO：针对这个改动的检查问题。" }

[[checklist]]
id = "expression"
kind = "comment"
covers = []
prompt = { en = "Write one review comment in English for the most important problem.", zh = "用英文为最重要的问题写一条 review 评论。" }

[concepts]
todo-concept = { en = ["todo concept"], zh = ["待定概念"] }

[[findings]]
id = "todo-finding"
category = "correctness"
severity = "major"
lines = [1]
hit = [["todo-concept"]]
problem = { en = "TODO: the problem.", zh = "TODO：问题。" }
risk = { en = "TODO: what goes wrong, and when.", zh = "TODO：会出什么问题，什么时候。" }
suggestion = { en = "TODO: the fix.", zh = "TODO：怎么改。" }
comment = "issue: TODO"

[[traps]]
id = "todo-trap"
match = [["todo-concept"]]
feedback = { en = "TODO: why this tempting fix is wrong.", zh = "TODO：这个看似合理的修法为什么不对。" }

[[decoys]]
id = "todo-decoy"
match = [["todo-concept"]]
why = { en = "TODO: why this line that looks wrong is fine.", zh = "TODO：这行看着可疑，为什么其实没问题。" }
"#;

const AUDIT: &str = "\
# Audit: {id}

- Grade: TODO (A–F; see docs/pack-format.md, \"Audit every drill before it ships\")
- Auditor: TODO (not the drill's author), Date: YYYY-MM-DD
- Source: TODO: the PR URL, and what its thread says that matters for the key

## Checked
TODO: one line per finding, trap and decoy: what was checked and the verdict.

## Changed
TODO: what the audit changed (en and zh), and why.

## Snippets
TODO: each snippet and how it was verified.
";

const ANSWERS_README: &str = "\
Model answers go here, in the `revdrill grade` input format (docs/pack-format.md):
model-en.json and model-zh.json, each scoring at least 95.
";

/// Whether `id` is a drill id: `[a-z0-9-]+`.
fn is_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The files of the scaffold, relative to the drill folder.
pub fn files(id: &str, language: &str) -> Vec<(&'static str, String)> {
    let (path, comment) = placeholder(language);
    vec![
        ("drill.toml", DRILL.replace("{id}", id).replace("{language}", language)),
        ("change.diff", DIFF.replace("{path}", path).replace("{comment}", comment)),
        ("AUDIT.md", AUDIT.replace("{id}", id)),
        ("answers/README.md", ANSWERS_README.to_string()),
    ]
}

pub fn run(app: &App, id: &str, language: &str, output: &Path) -> Result<ExitCode> {
    let lang = app.lang;
    if !is_id(id) {
        bail!("`{id}` is not a drill id: use lower-case letters, digits and `-`");
    }
    if !is_id(language) {
        bail!("`{language}` is not a language name: use lower-case letters, e.g. go, rust, python, java, typescript");
    }
    let dest = output.join(id);
    if dest.exists() {
        bail!("{} already exists; pick another id or folder", dest.display());
    }
    std::fs::create_dir_all(output).with_context(|| format!("creating {}", output.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".revdrill-new-")
        .tempdir_in(output)
        .with_context(|| format!("creating a folder in {}", output.display()))?;
    for (name, text) in files(id, language) {
        let file = tmp.path().join(name);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&file, text).with_context(|| format!("writing {}", dest.join(name).display()))?;
    }
    std::fs::rename(tmp.path(), &dest).with_context(|| format!("moving the scaffold to {}", dest.display()))?;
    drop(tmp); // its folder was renamed away; nothing is left to remove
    let mut out = crate::render::stdout();
    writeln!(out, "{} {}", t(lang, "wrote", "已写入"), dest.display())?;
    writeln!(
        out,
        "{} revdrill packs check {}",
        t(
            lang,
            "next: fill in every TODO (en and zh), replace change.diff, then run",
            "下一步：填写每个 TODO（英文和中文），替换 change.diff，然后运行"
        ),
        dest.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
