//! `revdrill import`: a commit of a local repository, or a patch file, as a drill pack with a
//! drafted answer key (crates/revdrill-import does the work; this prints and translates).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::{ArgGroup, Args};
use revdrill_import::{ImportError, Options, import_commit, import_patch};
use revdrill_pack::Lang;

use crate::app::App;
use crate::i18n::t;

/// `revdrill import`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["repo", "patch"])))]
pub struct ImportArgs {
    /// A local git repository (bare or not) to read the commit from.
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// The commit to import (any revision: sha, branch, tag, `HEAD~2`); merge commits are
    /// diffed against their first parent, root commits against the empty tree.
    #[arg(long, value_name = "REV", default_value = "HEAD", requires = "repo")]
    pub commit: String,
    /// A `git format-patch` file or a plain unified diff, instead of --repo.
    #[arg(long, value_name = "FILE", conflicts_with = "repo")]
    pub patch: Option<PathBuf>,
    /// Only the changed files matching this glob (repeatable): `*` and `?` within a folder,
    /// `**` across folders; a glob without `/` matches file names anywhere.
    #[arg(long = "path", value_name = "GLOB")]
    pub paths: Vec<String>,
    /// The drill id; by default derived from the subject and the commit.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The pack folder to write the drill folder into (`DIR/ID/`); run it with
    /// `revdrill drill --packs DIR ID`.
    #[arg(short = 'o', long = "output", value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    /// More changed files than this (after dropping generated, vendored, lock and binary files)
    /// and you must pick some with --path.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub max_files: usize,
}

pub fn run(app: &App, args: ImportArgs) -> Result<ExitCode> {
    let lang = app.lang;
    let options = Options { paths: args.paths, id: args.id, max_files: args.max_files };
    let imported = match (&args.repo, &args.patch) {
        (_, Some(patch)) => import_patch(patch, &options),
        (Some(repo), None) => import_commit(repo, &args.commit, &options),
        (None, None) => unreachable!("clap requires --repo or --patch"),
    };
    let imported = imported.map_err(|e| anyhow!("{}{}", t(lang, "cannot import: ", "无法导入："), message(lang, &e)))?;
    let folder =
        imported.write(&args.output).map_err(|e| anyhow!("{}{}", t(lang, "cannot import: ", "无法导入："), message(lang, &e)))?;

    let mut out = crate::render::stdout();
    writeln!(out, "{} {}", t(lang, "wrote", "已写入"), folder.display())?;
    for (en, zh) in &imported.notes {
        writeln!(out, "  {} {}", t(lang, "note:", "说明："), t(lang, en, zh))?;
    }
    writeln!(out, "  {} {}", imported.files.len(), t(lang, "files shown:", "个文件展示："))?;
    for f in &imported.files {
        writeln!(out, "    {} (+{} -{})", f.path, f.added, f.removed)?;
    }
    if !imported.dropped.is_empty() {
        writeln!(out, "  {} {}", imported.dropped.len(), t(lang, "files not shown:", "个文件未展示："))?;
        for d in imported.dropped.iter().take(20) {
            writeln!(out, "    {} ({})", d.path, t(lang, d.why.0, d.why.1))?;
        }
        if imported.dropped.len() > 20 {
            writeln!(out, "    ... {}", imported.dropped.len() - 20)?;
        }
    }
    writeln!(
        out,
        "  {} {}",
        imported.drafted_findings,
        t(
            lang,
            "findings drafted from the analyzer, plus one on testing: read and edit drill.toml before relying on the grades",
            "条答案要点由 analyzer 起草，另加一条测试相关：评分前请先阅读并修改 drill.toml"
        )
    )?;
    let pack = args.output.display();
    writeln!(out, "{} revdrill drill --packs {pack} {}", t(lang, "next:", "下一步："), imported.id)?;
    Ok(ExitCode::SUCCESS)
}

/// The error in the user's language; details from git stay as they are.
fn message(lang: Lang, e: &ImportError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    let largest = |l: &[(String, usize)]| l.iter().map(|(p, n)| format!("{p}（{n} 行）")).collect::<Vec<_>>().join("、");
    match e {
        ImportError::NotARepository { path, reason } => format!("`{}` 不是 git 仓库：{reason}", path.display()),
        ImportError::UnknownRevision { rev, repo, why } => {
            format!("仓库 `{}` 中没有提交 `{rev}`：{}", repo.display(), why.zh())
        }
        ImportError::Git { what, reason } => format!("无法从仓库读取 {what}：{reason}"),
        ImportError::Io { path, source } => format!("{}：{source}", path.display()),
        ImportError::BinaryPatch { path } => {
            format!("`{}` 是二进制文件，不是补丁：请给出 `git format-patch` 生成的文件或 unified diff", path.display())
        }
        ImportError::PatchTooLarge { path, limit } => {
            format!("`{}` 超过 {limit} 字节：太大，无法作为一个练习评审", path.display())
        }
        ImportError::NotAPatch { path, .. } => {
            format!("`{}` 不是补丁文件：找不到 `diff --git` 或 `---`/`+++` 文件头", path.display())
        }
        ImportError::PathOutside { glob } => format!("--path `{glob}` 指向仓库之外：请给出相对仓库根目录的路径"),
        ImportError::NoPathMatches { globs, largest: l } => {
            format!("没有改动的文件匹配 --path {globs}；这次改动涉及：{}", largest(l))
        }
        ImportError::TooManyFiles { count, max, largest: l } => {
            format!(
                "这次改动涉及 {count} 个文件（超过 {max} 个）：请用 --path GLOB 选出要评审的文件；最大的几个是：{}",
                largest(l)
            )
        }
        ImportError::NothingToReview { reason } => format!("没有可评审的内容：{reason}"),
        ImportError::BadId { id } => format!("`{id}` 不是合法的 drill id：请使用小写字母、数字和 `-`"),
        ImportError::Exists { path } => format!("`{}` 已存在：请删除它，或换一个 --id 或 -o", path.display()),
        ImportError::InvalidPack(detail) => format!("起草的 pack 无效（这是 revdrill import 的 bug）：\n{detail}"),
    }
}
