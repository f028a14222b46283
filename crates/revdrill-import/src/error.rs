//! Everything that can stop an import, each naming what is wrong.

use std::path::PathBuf;

/// Why an import failed. Messages are English; the binary translates the common ones.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// `--repo` is not a git repository (bare or not).
    #[error("`{path}` is not a git repository: {reason}")]
    NotARepository {
        /// The path given.
        path: PathBuf,
        /// What gix said.
        reason: String,
    },
    /// `--commit` names no commit of the repository.
    #[error("there is no commit `{rev}` in `{repo}`: {}", .why.en())]
    UnknownRevision {
        /// The revision given.
        rev: String,
        /// The repository.
        repo: PathBuf,
        /// Why, in plain words.
        why: NoCommit,
    },
    /// An object could not be read (a corrupt or shallow repository).
    #[error("cannot read {what} from the repository: {reason}")]
    Git {
        /// What was being read.
        what: String,
        /// What gix said.
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The patch file is binary (a NUL byte early on), not a text diff.
    #[error("`{path}` is a binary file, not a patch: give a `git format-patch` file or a unified diff")]
    BinaryPatch {
        /// The file.
        path: PathBuf,
    },
    /// The patch file is larger than `PATCH_LIMIT`.
    #[error("`{path}` is larger than {limit} bytes: too large to review as one drill")]
    PatchTooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The patch file holds no unified diff.
    #[error("`{path}` is not a patch: {reason}")]
    NotAPatch {
        /// The file.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// A `--path` glob points outside the repository (absolute or with `..`).
    #[error("--path `{glob}` points outside the repository: give a path relative to its root")]
    PathOutside {
        /// The glob.
        glob: String,
    },
    /// No changed file matches the `--path` globs.
    #[error("no changed file matches --path {globs}; the change touches: {}", list(.largest))]
    NoPathMatches {
        /// The globs, joined.
        globs: String,
        /// The largest changed files (path, changed lines).
        largest: Vec<(String, usize)>,
    },
    /// Too many files to review at once: pick some with `--path`.
    #[error("the change touches {count} files (more than {max}): pick the ones to review with --path GLOB; the largest are: {}", list(.largest))]
    TooManyFiles {
        /// Files left after dropping generated, vendored, lock and binary files.
        count: usize,
        /// The limit.
        max: usize,
        /// The largest (path, changed lines).
        largest: Vec<(String, usize)>,
    },
    /// Every file was dropped, or the commit changes nothing.
    #[error("nothing left to review: {reason}")]
    NothingToReview {
        /// Why (which files were dropped).
        reason: String,
    },
    /// `--id` is not a drill id.
    #[error("`{id}` is not a drill id: use lower-case letters, digits and `-`")]
    BadId {
        /// The id given.
        id: String,
    },
    /// The output folder already holds this drill.
    #[error("`{path}` already exists: remove it or choose another --id or -o")]
    Exists {
        /// The drill folder.
        path: PathBuf,
    },
    /// The drafted pack does not validate: a bug in the importer, reported instead of writing
    /// a broken pack.
    #[error("the drafted pack is invalid (this is a bug in revdrill import):\n{0}")]
    InvalidPack(String),
}

fn list(largest: &[(String, usize)]) -> String {
    largest.iter().map(|(p, n)| format!("{p} ({n} lines)")).collect::<Vec<_>>().join(", ")
}

/// Why a revision names no commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoCommit {
    /// No branch, tag or commit id has that name.
    NoSuchName,
    /// `BASE~N` goes back further than the history: `BASE` has only `count` first-parent
    /// ancestors.
    HistoryTooShort {
        /// The revision the `~N` counts from.
        base: String,
        /// How many commits come before it along first parents.
        count: usize,
    },
    /// The name is an object that is not a commit (a tree or a blob).
    NotACommit,
}

impl NoCommit {
    /// In English.
    pub fn en(&self) -> String {
        match self {
            NoCommit::NoSuchName => "no branch, tag or commit id has that name".into(),
            NoCommit::HistoryTooShort { base, count } => {
                format!("the history is too short: `{base}` has only {count} commit(s) before it")
            }
            NoCommit::NotACommit => "that name is a file or a folder of the repository, not a commit".into(),
        }
    }

    /// In Chinese.
    pub fn zh(&self) -> String {
        match self {
            NoCommit::NoSuchName => "没有叫这个名字的分支、标签或提交 id".into(),
            NoCommit::HistoryTooShort { base, count } => format!("历史不够长：`{base}` 之前只有 {count} 个提交"),
            NoCommit::NotACommit => "这个名字指向仓库里的文件或目录，不是提交".into(),
        }
    }
}
