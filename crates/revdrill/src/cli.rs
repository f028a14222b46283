//! The command line: global flags and one subcommand per job, each flag documented.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Practise code review on drills modeled on real pull requests.
///
/// Run `revdrill drill` to start the next drill. Answers may be written in English, Chinese or
/// both; every screen exists in both languages (`--lang`).
#[derive(Debug, Parser)]
#[command(name = "revdrill", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Language of every screen and of feedback: `en` or `zh`.
    ///
    /// Defaults to the language of LC_ALL, LC_MESSAGES or LANG (Chinese when it starts with
    /// `zh`), English otherwise.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// The attempts database (SQLite).
    ///
    /// Defaults to `revdrill.sqlite` in the user's data folder (e.g.
    /// `~/.local/share/revdrill/` on Linux); the REVDRILL_DB environment variable also sets it.
    #[arg(long, global = true, env = "REVDRILL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Extra drill packs beside the embedded catalog (repeatable).
    ///
    /// A pack is a folder of drill folders (or one drill folder); drill ids must be unique
    /// across the embedded catalog and every pack (two drills with one id are an error naming
    /// both). See docs/pack-format.md.
    #[arg(long, global = true, value_name = "DIR")]
    pub packs: Vec<PathBuf>,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Chinese (简体中文).
    Zh,
}

/// Output formats of listing commands.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For scripts.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Do a drill interactively: read the PR, answer the checklist, get feedback.
    ///
    /// Answers are multi-line: finish one with an empty line or Ctrl-D; a line with only `e`
    /// opens $EDITOR. A line `@LINE [severity]: text` inside an answer is an inline comment on
    /// that new-file line (severity: blocker, major, minor or nit). Answers may also be piped
    /// on stdin, one block per checklist item, blocks separated by empty lines.
    Drill(DrillArgs),
    /// List the drills with language, difficulty, categories and your best score.
    List(FormatArgs),
    /// Show a drill (without its answer key).
    Show(ShowArgs),
    /// Grade an answers file without prompting (the contract other tools build on).
    Grade(GradeArgs),
    /// Print the PR review template (Markdown); with history, your weakest categories come first,
    /// with the questions you most often missed.
    Template(TemplateArgs),
    /// List past attempts, newest first.
    History(HistoryArgs),
    /// Scores per category and per drill, from past attempts.
    Stats(FormatArgs),
    /// List the verdicts you disputed, or export them as grading-corpus cases for a pack author.
    ///
    /// A dispute is made after feedback (`revdrill drill`, `grade --save --dispute`, `history
    /// ATTEMPT --dispute`, or the web feedback page); it never changes the score.
    Disputes(DisputesArgs),
    /// Work with drill packs on disk.
    Packs(PacksArgs),
    /// Serve the local web app: review drills in the browser, like a pull request. With
    /// `--database-url`, the team server on PostgreSQL instead (docs/team-server.md).
    Serve(ServeArgs),
    /// The team server's administration (docs/team-server.md).
    Team(TeamArgs),
    /// Analyze Go files, folders or a unified diff for leaks, races, context and error-path
    /// problems. Exits 1 when it finds something, 0 when not, 2 on error.
    Analyze(crate::commands::analyze::AnalyzeArgs),
    /// List the analyzer's rules, or print one rule's documentation.
    Rules(crate::commands::rules::RulesArgs),
    /// Turn a commit of a local repository, or a patch file, into a drill pack with a drafted
    /// answer key.
    Import(crate::commands::import::ImportArgs),
    /// List the learning tracks (ordered paths of drills, easy to hard) with your completion.
    Tracks(FormatArgs),
    /// The phrasebook of English review comments (asking, suggesting, blocking, nit, praise,
    /// disagreeing), each with its Chinese meaning and when to use it, then your own
    /// best-scored comments.
    Phrases(PhrasesArgs),
    /// Export your review of a stored attempt: Markdown (Conventional Comments), GitHub's
    /// create-a-review JSON body, or SARIF 2.1.0.
    Export(ExportArgs),
    /// Review the cards due today: findings you missed or only partly found, scheduled with FSRS.
    ///
    /// Each card shows the hunk around the finding (its lines marked `▶`) and asks "What would
    /// you comment here?"; the answer (ended by an empty line or Ctrl-D; `-` skips) is graded
    /// against that finding only. Found: the card comes back later each time; partly found: a
    /// little later; missed: soon (a new card the next day). `revdrill drill` without an id
    /// offers due cards first; `revdrill stats` shows how many are due and your daily streak.
    /// The REVDRILL_NOW environment variable (unix seconds or YYYY-MM-DD; for tests only) fixes
    /// "now".
    Review(ReviewArgs),
}

/// `revdrill review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The most cards to review in this session (the most overdue first).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// `revdrill drill`.
#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The drill to do; without it, the next one: one not done yet, else one in your weakest
    /// category. Without it, review cards due today are offered first (at a terminal; piped, a
    /// line says how many are due).
    pub id: Option<String>,
    /// Do the next drill of this learning track (`revdrill tracks` lists them): the first one
    /// without a graded attempt, in the track's easy-to-hard order.
    #[arg(long, value_name = "TRACK", conflicts_with = "id")]
    pub track: Option<String>,
}

/// `--format` alone.
#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `revdrill show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Drill id.
    pub id: String,
    /// Output format; JSON holds id, title, source, purpose, language, difficulty, tags,
    /// new_logic, checklist (id, kind, prompt) and the unified diff text.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `revdrill grade`.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Drill id (must match the `drill` field of the answers file).
    #[arg(long)]
    pub drill: String,
    /// Answers file in the grade input format (docs/pack-format.md), or `-` for stdin. At most
    /// 4 MiB of UTF-8 is read (a byte order mark is skipped); a backup file written when the
    /// database failed is such a file.
    #[arg(long, value_name = "FILE|-")]
    pub answers: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also print, per statement, the concepts the grader saw and whether they were negated.
    #[arg(long)]
    pub explain: bool,
    /// Record the graded attempt in the database (shown by `history` and `stats`). When the
    /// database fails, the answers go to a backup file (named on stderr), the report is still
    /// printed, and the exit code is 2.
    #[arg(long)]
    pub save: bool,
    /// After the feedback, read disputes of verdicts from stdin, one per line (`FINDING
    /// STATEMENT` for "I said this", `FINDING` for a wrong credit; see `revdrill disputes`).
    /// Needs `--save` and an answers file (not `-`).
    #[arg(long, requires = "save")]
    pub dispute: bool,
}

/// `revdrill template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Write the template to this file instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The generic template, without the "your focus" section and reordering from your history.
    #[arg(long)]
    pub generic: bool,
}

/// `revdrill export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The attempt id, as `revdrill history` shows it.
    pub attempt: i64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ExportFormat,
    /// Write the export to this file instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `revdrill export --format` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// A Markdown document: summary from your free-text answers, inline comments labelled in
    /// Conventional Comments form (blocker → `issue (blocking)`, major → `issue`, minor →
    /// `suggestion`, nit → `nitpick`).
    #[default]
    Md,
    /// Only the comments in Conventional Comments form, each after a `<!-- path:line -->` line.
    Conventional,
    /// The JSON body of GitHub's "create a review for a pull request" call (`event` COMMENT,
    /// one comment per inline comment on the RIGHT side).
    Github,
    /// SARIF 2.1.0: one result per inline comment, level from severity (blocker/major → error,
    /// minor → warning, nit → note).
    Sarif,
}

/// `revdrill phrases`.
#[derive(Debug, Args)]
pub struct PhrasesArgs {
    /// Only the phrases of this kind.
    #[arg(long, value_enum)]
    pub kind: Option<PhraseKind>,
    /// How many of your own best-scored comments to show.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `revdrill phrases --kind` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PhraseKind {
    /// Questions that invite the author to check.
    Asking,
    /// Changes that would help but do not block.
    Suggesting,
    /// Problems that must be fixed before merging.
    Blocking,
    /// Small, optional points.
    Nit,
    /// Credit for something done well.
    Praise,
    /// Disagreeing politely.
    Disagreeing,
}

/// `revdrill history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Show this attempt's feedback as it was given (the stored report, with disputes) instead
    /// of the list.
    #[arg(value_name = "ATTEMPT")]
    pub id: Option<i64>,
    /// With ATTEMPT: after its feedback, read disputes of its verdicts from stdin, one per line.
    #[arg(long, requires = "id")]
    pub dispute: bool,
    /// How many attempts to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Output format; with ATTEMPT, JSON holds the attempt, its answers, the stored report, the
    /// numbered statements and the disputes (as `GET /api/attempts/{id}`).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `revdrill disputes`.
#[derive(Debug, Args)]
pub struct DisputesArgs {
    #[command(subcommand)]
    pub command: Option<DisputesCommand>,
    /// Output format of the list.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `revdrill disputes ...`.
#[derive(Debug, Subcommand)]
pub enum DisputesCommand {
    /// Write the disputes of one drill as cases in the grading-corpus format
    /// (catalog/corpus/README.md), labelled with the learner's claim, for a
    /// pack author to review and add to the drill's corpus.
    Export {
        /// Write to this file instead of stdout.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only this drill's disputes (needed when disputes are about several drills).
        #[arg(long, value_name = "ID")]
        drill: Option<String>,
    },
}

/// `revdrill serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback unless you say otherwise (the local app has no login).
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "IP:PORT")]
    pub addr: std::net::SocketAddr,
    /// Team mode: serve the team server on this PostgreSQL database (`postgres://user:password@host/db`)
    /// instead of the local app on SQLite; migrations run on start. See docs/team-server.md.
    #[arg(long, env = "REVDRILL_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Team mode behind a reverse proxy: believe its X-Forwarded-For (client address for rate
    /// limiting), X-Forwarded-Proto (Secure cookies) and X-Forwarded-Host. Only behind a proxy
    /// that sets them.
    #[arg(long, requires = "database_url")]
    pub trust_proxy: bool,
}

/// `revdrill team`.
#[derive(Debug, Args)]
pub struct TeamArgs {
    #[command(subcommand)]
    pub command: TeamCommand,
}

/// `revdrill team ...`.
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Prepare a team database (migrations) and create its first admin; prints a one-time setup
    /// link (valid 7 days) where they choose a password. Refused once the database has accounts.
    Init {
        /// The PostgreSQL database (`postgres://user:password@host/db`).
        #[arg(long, env = "REVDRILL_DATABASE_URL", value_name = "URL", hide_env_values = true)]
        database_url: String,
        /// The admin's email (their login name).
        #[arg(long)]
        email: String,
        /// The admin's display name.
        #[arg(long, default_value = "Admin")]
        name: String,
        /// The server's public address, to print the setup link with.
        #[arg(long, default_value = "http://127.0.0.1:7878", value_name = "URL")]
        url: String,
    },
}

/// `revdrill packs`.
#[derive(Debug, Args)]
pub struct PacksArgs {
    #[command(subcommand)]
    pub command: PacksCommand,
}

/// `revdrill packs ...`.
#[derive(Debug, Subcommand)]
pub enum PacksCommand {
    /// Validate packs: every problem as `file:line: field: message`; model answers must score
    /// at least 95. Exits 1 when anything is wrong.
    Check {
        /// Pack folders (or drill folders).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
    },
    /// Scaffold a new drill folder: drill.toml with every required field marked TODO (en and
    /// zh), a placeholder change.diff, answers/ and an AUDIT.md template. `packs check` then
    /// lists what is left. For a Go change in a local repository, `revdrill import` drafts a
    /// fuller starting point.
    New {
        /// Drill id (`[a-z0-9-]+`), also the folder's name.
        id: String,
        /// Language of the code under review: go, rust, python, java or typescript (another
        /// name is allowed and shown without highlighting).
        #[arg(long, value_name = "L")]
        language: String,
        /// Folder to create the drill folder in.
        #[arg(short = 'o', long, default_value = ".", value_name = "DIR")]
        output: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_flag_and_subcommand_is_documented() {
        fn walk(cmd: &clap::Command) {
            for arg in cmd.get_arguments() {
                if arg.get_id() != "help" && arg.get_id() != "version" {
                    assert!(arg.get_help().is_some(), "`{}` of `{}` has no help", arg.get_id(), cmd.get_name());
                }
            }
            for sub in cmd.get_subcommands() {
                assert!(sub.get_about().is_some(), "subcommand `{}` has no about", sub.get_name());
                walk(sub);
            }
        }
        walk(&Cli::command());
    }
}
