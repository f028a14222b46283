//! `revdrill analyze`: the Go analyzer on files, folders or a unified diff.
//!
//! Exit codes: 0 when nothing is found, 1 when there are findings, 2 on error (an unreadable
//! input or diff), as `main` maps `Err`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use revdrill_analyzer_go::{
    Lang, MAX_DIFF_BYTES, NOT_A_DIFF, Options, SKIP_BINARY, SKIP_OUTSIDE, SKIP_SYMLINK, SKIP_TOO_LARGE, analyze_diff,
    analyze_paths, read_capped, render,
};

use crate::app::App;
use crate::i18n::t;

/// `revdrill analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Go files or folders to analyse (folders recursively; `vendor/` and `testdata/` skipped).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Analyse a unified diff instead (`-` for stdin): only findings on added lines. At most
    /// 64 MiB; text that is not a unified diff is an error.
    #[arg(long, value_name = "FILE|-", conflicts_with = "paths")]
    pub diff: Option<String>,
    /// The repository the diff applies to (must be a folder): its post-change files are analysed
    /// whole, and its go.mod decides the Go version. Symlinks and paths outside it are not read.
    #[arg(long, value_name = "DIR", requires = "diff")]
    pub repo: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: AnalyzeFormat,
    /// Also analyse `vendor/` folders.
    #[arg(long)]
    pub include_vendor: bool,
    /// Only run these rule codes (repeatable, or comma-separated).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Never run these rule codes (repeatable, or comma-separated).
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// `revdrill analyze --format` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum AnalyzeFormat {
    /// rustc-like text with a code frame and the fix.
    #[default]
    Text,
    /// A JSON array of findings, messages in English and Chinese.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// The body of a GitHub pull-request review (`POST .../pulls/N/reviews`).
    Github,
}

pub fn run(app: &App, args: AnalyzeArgs) -> Result<ExitCode> {
    let lang = match app.lang {
        revdrill_pack::Lang::En => Lang::En,
        revdrill_pack::Lang::Zh => Lang::Zh,
    };
    let options = Options { include_vendor: args.include_vendor, select: args.select, ignore: args.ignore, ..Options::default() };
    let report = match &args.diff {
        Some(file) => {
            if let Some(repo) = &args.repo
                && !repo.is_dir()
            {
                bail!("{}: {}", repo.display(), t(app.lang, "--repo is not a folder", "--repo 不是一个文件夹"));
            }
            let text = read_diff(app, file)?;
            analyze_diff(&text, args.repo.as_deref(), &options)
        }
        None if args.paths.is_empty() => bail!("{}", t(app.lang, "give PATH... or --diff FILE", "请提供 PATH... 或 --diff FILE")),
        None => analyze_paths(&args.paths, &options),
    };
    if let Some(e) = report.errors.first() {
        if e.reason == NOT_A_DIFF {
            let name = args.diff.as_deref().unwrap_or("-");
            bail!("{name}: {}", t(app.lang, NOT_A_DIFF, "不是 unified diff：没有 `diff --git`、`---`/`+++` 或 `@@` 行"));
        }
        bail!("{}: {}", e.path.display(), e.reason);
    }
    let out = match args.format {
        AnalyzeFormat::Text => render::text(&report.diagnostics, lang),
        AnalyzeFormat::Json => render::json(&report.diagnostics),
        AnalyzeFormat::Sarif => render::sarif(&report.diagnostics, lang),
        AnalyzeFormat::Github => render::github(&report.diagnostics, lang),
    };
    let mut stdout = crate::render::stdout();
    stdout.write_all(out.as_bytes())?;
    if !out.ends_with('\n') {
        writeln!(stdout)?;
    }
    let mut stderr = crate::render::stderr();
    for s in &report.skipped {
        writeln!(stderr, "{} {}: {}", t(app.lang, "skipped", "已跳过"), s.path.display(), skip_reason(app, &s.reason))?;
    }
    Ok(if report.diagnostics.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Reads the `--diff` input, at most [`MAX_DIFF_BYTES`] of it, as UTF-8.
fn read_diff(app: &App, file: &str) -> Result<String> {
    let bytes = if file == "-" {
        read_capped(std::io::stdin().lock(), MAX_DIFF_BYTES).context("cannot read the diff from stdin")?
    } else {
        let f = std::fs::File::open(file).with_context(|| format!("cannot read {file}"))?;
        read_capped(f, MAX_DIFF_BYTES).with_context(|| format!("cannot read {file}"))?
    };
    let Some(bytes) = bytes else {
        let mib = MAX_DIFF_BYTES >> 20;
        bail!("{file}: {}", t(app.lang, &format!("larger than {mib} MiB"), &format!("超过 {mib} MiB")));
    };
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{file}: {} ({e})", t(app.lang, "not UTF-8 text", "不是 UTF-8 文本")))
}

/// A skip reason of the analyzer in the user's language.
fn skip_reason<'a>(app: &App, reason: &'a str) -> &'a str {
    match reason {
        SKIP_TOO_LARGE => t(app.lang, "too large", "文件过大"),
        SKIP_SYMLINK => t(app.lang, "symlink (not followed)", "符号链接（不跟随）"),
        SKIP_BINARY => t(app.lang, "binary", "二进制文件"),
        SKIP_OUTSIDE => t(app.lang, "outside the repository", "位于仓库之外"),
        other => other,
    }
}
