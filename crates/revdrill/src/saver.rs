//! Nothing the learner typed is lost: [`Saver`] keeps the answers in the database while it
//! works, and in a backup file when it fails. `drill` and `grade --save` both save through it.
//!
//! The backup is an answers file (`revdrill grade --answers FILE` reads it back; see
//! `docs/reliability.md`). It is created with a unique name and exclusive creation
//! (`O_CREAT|O_EXCL`, mode 0600) in the working folder, else in a private (0700) `backups`
//! folder under the user's data folder; never under a predictable name in a shared folder, so
//! a planted file or symlink cannot redirect it. Later versions replace it by renaming a new
//! exclusive file over it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use revdrill_grader::Report;
use revdrill_pack::{AnswerSet, Lang};
use revdrill_store::{AttemptId, Graded, SqliteStore, Store, StoreError};

use crate::i18n::t;
use crate::render;

/// Where the answers ended up.
pub enum Saved {
    /// In the database: the attempt and the database path.
    Db(AttemptId, PathBuf),
    /// In a backup file.
    File(PathBuf),
    /// Nothing was saved yet (nothing typed).
    Nothing,
    /// The database failed and no backup could be written: why (every folder tried).
    Nowhere(String),
}

/// Saves one attempt's answers, falling back to a backup file.
pub struct Saver {
    store: Option<SqliteStore>,
    attempt: Option<AttemptId>,
    backup: Option<PathBuf>,
    backup_error: Option<String>,
    drill_id: String,
    lang: Lang,
    /// "Now" for the review cards the graded attempt's misses become (`REVDRILL_NOW`, checked
    /// when the app starts, else the system clock).
    clock: revdrill_review::Clock,
    db: Option<PathBuf>,
}

impl Saver {
    /// A saver for `drill_id` on the store `opened` (when it failed to open, the learner is told
    /// at once that the answers will go to a file).
    pub fn new(opened: Result<SqliteStore, StoreError>, drill_id: &str, lang: Lang) -> Saver {
        let clock = revdrill_review::Clock::from_env().unwrap_or_default();
        let mut s = Saver {
            store: None,
            attempt: None,
            backup: None,
            backup_error: None,
            drill_id: drill_id.to_string(),
            lang,
            clock,
            db: None,
        };
        match opened {
            Ok(store) => s.store = Some(store),
            Err(e) => s.fail(&e),
        }
        s
    }

    /// Names the database in the recovery command (`--db PATH`), so that the answers go back
    /// to the database that failed, whatever `--db` or `REVDRILL_DB` said.
    pub fn with_db(mut self, db: &Path) -> Saver {
        self.db = Some(db.to_path_buf());
        self
    }

    /// The store, while it works.
    pub fn store(&self) -> Option<&SqliteStore> {
        self.store.as_ref()
    }

    fn fail(&mut self, why: &StoreError) {
        self.store = None;
        let mut err = crate::render::stderr();
        let _ = writeln!(
            err,
            "{}{}{} {}\n{}",
            render::ERROR.render(),
            t(self.lang, "error:", "错误："),
            render::ERROR.render_reset(),
            store_error(self.lang, why),
            t(
                self.lang,
                "Your answers will be written to a file instead, so that nothing is lost.",
                "你的回答将改为写入文件，不会丢失。"
            )
        );
    }

    /// Saves the answers so far (an attempt in progress).
    pub fn save_answers(&mut self, answers: &AnswerSet) -> Result<()> {
        let json = serde_json::to_string(answers)?;
        if let Some(store) = self.store.as_mut() {
            let r = match self.attempt {
                None => store.start_attempt(&self.drill_id, self.lang.code(), &json).map(|id| self.attempt = Some(id)),
                Some(id) => store.save_answers(id, &json),
            };
            match r {
                Ok(()) => return Ok(()),
                Err(e) => self.fail(&e),
            }
        }
        self.write_backup(answers)
    }

    /// Saves the final answers and the grade.
    pub fn finish(&mut self, answers: &AnswerSet, report: &Report) -> Result<()> {
        self.save_answers(answers)?;
        if let (Some(store), Some(id)) = (self.store.as_mut(), self.attempt) {
            let graded = Graded {
                score: report.score,
                report_json: serde_json::to_string(report)?,
                categories: report.categories.iter().map(|c| (c.category.as_str().to_string(), c.earned, c.max)).collect(),
            };
            match store.finish_attempt(id, &graded) {
                Ok(()) => {
                    // Its misses become review cards right after, idempotently; if this fails,
                    // the next `review`, `stats` or `drill` records them (`record_pending`).
                    let _ = revdrill_review::record(store, id, report, self.clock.now());
                    return Ok(());
                }
                Err(e) => self.fail(&e),
            }
        }
        self.write_backup(answers)
    }

    /// Writes (or replaces) the backup file. Failing to write it anywhere is remembered, not
    /// returned: the caller still shows the report, then the answers themselves.
    fn write_backup(&mut self, answers: &AnswerSet) -> Result<()> {
        let json = serde_json::to_string_pretty(answers)?;
        let r = match &self.backup {
            Some(path) => replace(path, &json).or_else(|_| create(&self.drill_id, &json, self.lang)),
            None => create(&self.drill_id, &json, self.lang),
        };
        match r {
            Ok(path) => {
                self.backup = Some(path);
                self.backup_error = None;
            }
            Err(why) => self.backup_error = Some(why),
        }
        Ok(())
    }

    /// Where the answers are now.
    pub fn where_saved(&self) -> Saved {
        if let Some(why) = &self.backup_error {
            return Saved::Nowhere(why.clone());
        }
        match (&self.store, self.attempt, &self.backup) {
            (_, _, Some(p)) => Saved::File(p.clone()),
            (Some(store), Some(id), None) => Saved::Db(id, store.path().to_path_buf()),
            _ => Saved::Nothing,
        }
    }

    /// Tells the learner where a backup is and how to store it later, or (when none could be
    /// written) prints the answers so that they can be copied. Nothing for the database.
    pub fn tell_backup(&self, out: &mut impl Write, answers: &AnswerSet) -> std::io::Result<()> {
        match self.where_saved() {
            Saved::File(path) => {
                let p = path.display();
                writeln!(
                    out,
                    "{} {p}\n{} revdrill grade --drill {} --answers {} --save{}",
                    t(self.lang, "The database failed; your answers are saved in", "数据库出错；你的回答已保存到"),
                    t(self.lang, "When the database works again, store them with:", "数据库恢复后，可用以下命令补存："),
                    self.drill_id,
                    shell_quoted(&p.to_string()),
                    db_flag(self.db.as_deref()),
                )
            }
            Saved::Nowhere(why) => {
                writeln!(
                    out,
                    "{}{}{} {why}\n{}",
                    render::ERROR.render(),
                    t(self.lang, "error:", "错误："),
                    render::ERROR.render_reset(),
                    t(
                        self.lang,
                        "Your answers follow; copy them into a file and pass it to `revdrill grade --answers FILE --save` later:",
                        "你的回答如下；请复制到一个文件中，之后用 `revdrill grade --answers FILE --save` 补存："
                    )
                )?;
                writeln!(out, "{}", serde_json::to_string_pretty(answers).map_err(std::io::Error::other)?)
            }
            Saved::Db(..) | Saved::Nothing => Ok(()),
        }
    }
}

/// `s` as one shell word: as is when it holds only characters no shell treats specially, else
/// in single quotes (a working folder named `My Reviews` or `评审 2` still gives a command that
/// can be pasted).
pub fn shell_quoted(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !s.is_empty() && s.chars().all(plain) { s.to_string() } else { format!("'{}'", s.replace('\'', "'\\''")) }
}

/// ` --db PATH` (shell-quoted) for a command the learner is told to run, or nothing.
pub fn db_flag(db: Option<&Path>) -> String {
    db.map(|p| format!(" --db {}", shell_quoted(&p.display().to_string()))).unwrap_or_default()
}

/// The folders a backup may go to, in order, and whether each must be private: the working
/// folder, then a private folder under the user's data folder.
fn backup_dirs() -> Vec<(PathBuf, bool)> {
    let mut dirs = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        dirs.push((cwd, false));
    }
    if let Some(p) = directories::ProjectDirs::from("", "", "revdrill") {
        dirs.push((p.data_dir().join("backups"), true));
    }
    dirs
}

/// Creates a new backup file in the first folder that takes it; the error lists every folder
/// tried and why it failed.
fn create(drill_id: &str, json: &str, lang: Lang) -> std::result::Result<PathBuf, String> {
    let mut tried = Vec::new();
    for (dir, private) in backup_dirs() {
        match create_in(&dir, private, drill_id, json) {
            Ok(p) => return Ok(p),
            Err(e) => tried.push(format!("{} ({e})", dir.display())),
        }
    }
    Err(format!(
        "{} {}",
        t(lang, "cannot write a backup of your answers in any folder tried:", "无法在以下任何文件夹中写入回答的备份："),
        tried.join(", ")
    ))
}

/// Exclusive creation of `revdrill-attempt-<drill>-<unix seconds>-<random>.json` in `dir`; a
/// `private` folder is created (0700) if missing and made private if it is not.
fn create_in(dir: &Path, private: bool, drill_id: &str, json: &str) -> std::io::Result<PathBuf> {
    if private {
        private_dir(dir)?;
    }
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let safe: String =
        drill_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let mut file = tempfile::Builder::new()
        .prefix(&format!("revdrill-attempt-{safe}-{stamp}-"))
        .suffix(".json")
        .rand_bytes(6)
        .tempfile_in(dir)?;
    file.write_all(json.as_bytes())?;
    file.as_file().sync_all()?;
    let (_, path) = file.keep().map_err(|e| e.error)?;
    Ok(path)
}

/// Replaces the backup at `path` atomically: a new exclusive file in the same folder, renamed
/// over it (a rename replaces a planted symlink itself, never what it points to).
fn replace(path: &Path, json: &str) -> std::io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new().prefix(".revdrill-attempt-").suffix(".tmp").rand_bytes(6).tempfile_in(dir)?;
    file.write_all(json.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(path.to_path_buf())
}

/// Writes `bytes` to `path` all or nothing: a new exclusive file in the same folder, synced,
/// then renamed over `path`. A failure (a full disk, a file size limit) removes the new file
/// and leaves an earlier `path` as it was, never half written. The file keeps the permissions
/// of the one it replaces (0644 for a new one). `export`, `template` and `disputes export`
/// write their `--output` through it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".tmp").rand_bytes(6).tempfile_in(dir)?;
    file.write_all(bytes)?;
    let perms = std::fs::metadata(path).map(|m| m.permissions()).unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
    file.as_file().set_permissions(perms)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Makes sure `dir` is a real folder (not a symlink) that only its owner can enter.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::other("not a folder (a symlink?)"));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// A database error in the learner's language.
pub fn store_error(lang: Lang, e: &StoreError) -> String {
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        StoreError::Open { path, detail } => format!("无法打开数据库 {path}：{detail}"),
        StoreError::Locked { path } => format!("数据库 {path} 被另一个进程锁定（是否有另一个 revdrill 正在运行？）"),
        StoreError::ReadOnly { path } => {
            format!("数据库 {path} 是只读的：该文件或其所在文件夹不可写（请检查权限，或用 --db 指定其他路径）")
        }
        StoreError::Foreign { path, tables } => {
            format!("{path} 不是 revdrill 数据库（其中已有表 {}）；请用 --db 指定其他路径", tables.join(", "))
        }
        StoreError::Corrupt { path, detail } => format!("数据库 {path} 已损坏或不是 revdrill 数据库：{detail}"),
        StoreError::Migration { path, version, detail } => format!("无法把数据库 {path} 升级到第 {version} 版结构：{detail}"),
        StoreError::TooNew { path, found, known } => {
            format!("数据库 {path} 的结构版本为 {found}，此 revdrill 最高支持 {known}：请升级 revdrill")
        }
        StoreError::Other { path, detail } => format!("数据库 {path} 出错：{detail}"),
        StoreError::NoSuchAttempt(id) => format!("没有编号为 #{id} 的练习"),
        StoreError::NoSuchCard(id) => format!("没有编号为 #{id} 的复习卡片"),
        StoreError::NoSuchReview(id) => format!("没有编号为 #{id} 的卡片复习记录"),
        _ => e.to_string(),
    }
}
