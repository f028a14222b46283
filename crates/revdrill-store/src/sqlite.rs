//! The SQLite store: one file in the user's data folder, migrations applied on open.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use crate::*;

/// Migrations, in order; applied ones are never edited.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_attempts.sql")),
    (2, include_str!("../migrations/0002_disputes.sql")),
    (3, include_str!("../migrations/0003_review_cards.sql")),
];

/// The summary columns of `attempts` (with alias `a`), in the order [`summary`] reads them.
const SUMMARY_COLUMNS: &str = "a.id, a.drill_id, a.lang, a.started_at, a.finished_at, a.score, \
     (SELECT COUNT(*) FROM disputes d WHERE d.attempt_id = a.id)";

/// How long to wait for another process's lock before giving up (then the CLI keeps the
/// answers in a backup file). 1.5 s was too short for 20 processes writing a new database at
/// once on a loaded 2-core machine (1 run in 160 gave up); a learner waits this long only when
/// another process really holds the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Attempts in a SQLite file.
pub struct SqliteStore {
    pub(crate) conn: Connection,
    path: PathBuf,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open { path: shown.clone(), detail: e.to_string() })?;
        }
        let conn = Connection::open(path).map_err(|e| classify(&shown, e))?;
        let mut store = SqliteStore { conn, path: path.to_path_buf() };
        store.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| classify(&shown, e))?;
        store.conn.pragma_update(None, "foreign_keys", true).map_err(|e| classify(&shown, e))?;
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An in-memory store, for tests.
    pub fn in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory().map_err(|e| classify(":memory:", e))?;
        let mut store = SqliteStore { conn, path: PathBuf::from(":memory:") };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path.display().to_string(), e)
    }

    /// Brings the schema up to date. The version is read once without a lock (the common case:
    /// nothing to do), then again inside a `BEGIN IMMEDIATE` transaction that holds the write
    /// lock while every pending migration runs: processes opening a new database at the same
    /// time wait for each other (up to the busy timeout) instead of creating the same tables
    /// twice. A file at version 0 that already holds tables belongs to another program.
    fn migrate(&mut self) -> Result<(), StoreError> {
        if self.schema_version()? == KNOWN_VERSION {
            return Ok(());
        }
        let path = self.path.display().to_string();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| classify(&path, e))?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| classify(&path, e))?;
        if current > KNOWN_VERSION {
            return Err(StoreError::TooNew { path, found: current, known: KNOWN_VERSION });
        }
        if current == 0 {
            let tables = foreign_tables(&tx).map_err(|e| classify(&path, e))?;
            if !tables.is_empty() {
                return Err(StoreError::Foreign { path, tables });
            }
        }
        for &(version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            tx.execute_batch(sql).map_err(|e| StoreError::Migration { path: path.clone(), version, detail: short(&e) })?;
            tx.pragma_update(None, "user_version", version).map_err(|e| classify(&path, e))?;
        }
        tx.commit().map_err(|e| classify(&path, e))
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        let v: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.err(e))?;
        if v > KNOWN_VERSION {
            return Err(StoreError::TooNew { path: self.path.display().to_string(), found: v, known: KNOWN_VERSION });
        }
        Ok(v)
    }
}

/// The newest schema version this build knows.
const KNOWN_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Tables (and views) of a database at version 0: any means the file is someone else's.
fn foreign_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 6",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect()
}

/// Whether a file can be created in the database's folder (SQLite needs it for its journal: an
/// existing database in a read-only folder fails with "unable to open database file"). Probed
/// only after such a failure, with an exclusive, unique name that is removed at once.
fn folder_writable(db: &Path) -> bool {
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return true; // a missing folder is an open error, not a read-only one
    }
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let probe = dir.join(format!(".revdrill-probe-{}-{nanos}", std::process::id()));
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(e) => e.kind() == std::io::ErrorKind::AlreadyExists,
    }
}

/// What SQLite said, without the SQL text it was running.
fn short(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(f, Some(msg)) => format!("{msg} ({:?})", f.code),
        other => other.to_string(),
    }
}

pub(crate) fn classify(path: &str, e: rusqlite::Error) -> StoreError {
    let path = path.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked { path },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt { path, detail: short(&e) },
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) if !folder_writable(Path::new(&path)) => {
            StoreError::ReadOnly { path }
        }
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => StoreError::Open { path, detail: short(&e) },
        _ => StoreError::Other { path, detail: short(&e) },
    }
}

fn summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<AttemptSummary> {
    Ok(AttemptSummary {
        id: r.get(0)?,
        drill_id: r.get(1)?,
        lang: r.get(2)?,
        started_at: r.get(3)?,
        finished_at: r.get(4)?,
        score: r.get::<_, Option<i64>>(5)?.map(|s| s.clamp(0, 100) as u8),
        disputed: r.get(6)?,
    })
}

fn dispute(r: &rusqlite::Row<'_>) -> rusqlite::Result<Dispute> {
    let kind: String = r.get(5)?;
    Ok(Dispute {
        id: r.get(0)?,
        drill_id: r.get(1)?,
        lang: r.get(2)?,
        created_at: r.get(3)?,
        dispute: NewDispute {
            attempt_id: r.get(4)?,
            // The table's CHECK admits only the two names.
            kind: DisputeKind::parse(&kind).unwrap_or(DisputeKind::SaidIt),
            finding: r.get(6)?,
            verdict: r.get(7)?,
            statement: r.get(8)?,
            item: r.get(9)?,
            line: r.get(10)?,
            note: r.get(11)?,
        },
    })
}

impl Store for SqliteStore {
    fn start_attempt(&mut self, drill_id: &str, lang: &str, answers_json: &str) -> Result<AttemptId, StoreError> {
        let tx = self.conn.transaction().map_err(|e| classify(&self.path.display().to_string(), e))?;
        tx.execute(
            "INSERT INTO attempts (drill_id, lang, started_at, answers_json) VALUES (?1, ?2, ?3, ?4)",
            params![drill_id, lang, now(), answers_json],
        )
        .map_err(|e| classify(&self.path.display().to_string(), e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| classify(&self.path.display().to_string(), e))?;
        Ok(id)
    }

    fn save_answers(&mut self, id: AttemptId, answers_json: &str) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute("UPDATE attempts SET answers_json = ?2 WHERE id = ?1", params![id, answers_json])
            .map_err(|e| self.err(e))?;
        if n == 0 { Err(StoreError::NoSuchAttempt(id)) } else { Ok(()) }
    }

    fn finish_attempt(&mut self, id: AttemptId, graded: &Graded) -> Result<(), StoreError> {
        let path = self.path.display().to_string();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let n = tx
            .execute(
                "UPDATE attempts SET score = ?2, report_json = ?3, finished_at = ?4 WHERE id = ?1",
                params![id, graded.score as i64, graded.report_json, now()],
            )
            .map_err(|e| classify(&path, e))?;
        if n == 0 {
            return Err(StoreError::NoSuchAttempt(id));
        }
        tx.execute("DELETE FROM attempt_categories WHERE attempt_id = ?1", params![id]).map_err(|e| classify(&path, e))?;
        for (cat, earned, max) in &graded.categories {
            tx.execute(
                "INSERT INTO attempt_categories (attempt_id, category, earned, max) VALUES (?1, ?2, ?3, ?4)",
                params![id, cat, earned, max],
            )
            .map_err(|e| classify(&path, e))?;
        }
        tx.commit().map_err(|e| classify(&path, e))
    }

    fn history(&self, limit: usize) -> Result<Vec<AttemptSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {SUMMARY_COLUMNS} FROM attempts a ORDER BY a.id DESC LIMIT ?1"))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![limit as i64], summary).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn attempt(&self, id: AttemptId) -> Result<Attempt, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {SUMMARY_COLUMNS}, a.answers_json, a.report_json FROM attempts a WHERE a.id = ?1"),
                params![id],
                |r| Ok(Attempt { summary: summary(r)?, answers_json: r.get(7)?, report_json: r.get(8)? }),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or(StoreError::NoSuchAttempt(id))
    }

    fn category_stats(&self) -> Result<Vec<CategoryStat>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT category, SUM(earned), SUM(max), COUNT(*) FROM attempt_categories GROUP BY category ORDER BY category",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok(CategoryStat { category: r.get(0)?, earned: r.get(1)?, max: r.get(2)?, attempts: r.get(3)? }))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn drill_stats(&self) -> Result<Vec<DrillStat>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT drill_id, COUNT(*), MAX(score), \
                 (SELECT score FROM attempts b WHERE b.drill_id = a.drill_id AND b.score IS NOT NULL ORDER BY b.id DESC LIMIT 1) \
                 FROM attempts a WHERE score IS NOT NULL GROUP BY drill_id ORDER BY drill_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DrillStat {
                    drill_id: r.get(0)?,
                    attempts: r.get(1)?,
                    best: r.get::<_, i64>(2)?.clamp(0, 100) as u8,
                    last: r.get::<_, i64>(3)?.clamp(0, 100) as u8,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    fn add_dispute(&mut self, d: &NewDispute) -> Result<DisputeId, StoreError> {
        let path = self.path.display().to_string();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let exists = tx
            .query_row("SELECT 1 FROM attempts WHERE id = ?1", params![d.attempt_id], |_| Ok(()))
            .optional()
            .map_err(|e| classify(&path, e))?;
        if exists.is_none() {
            return Err(StoreError::NoSuchAttempt(d.attempt_id));
        }
        tx.execute(
            "INSERT INTO disputes (attempt_id, finding, kind, verdict, statement, item, line, note, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
             ON CONFLICT (attempt_id, finding) DO UPDATE SET kind = excluded.kind, verdict = excluded.verdict, \
             statement = excluded.statement, item = excluded.item, line = excluded.line, note = excluded.note, \
             created_at = excluded.created_at",
            params![d.attempt_id, d.finding, d.kind.as_str(), d.verdict, d.statement, d.item, d.line, d.note, now()],
        )
        .map_err(|e| classify(&path, e))?;
        let id = tx
            .query_row("SELECT id FROM disputes WHERE attempt_id = ?1 AND finding = ?2", params![d.attempt_id, d.finding], |r| {
                r.get(0)
            })
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(id)
    }

    fn remove_dispute(&mut self, attempt: AttemptId, finding: &str) -> Result<bool, StoreError> {
        let path = self.path.display().to_string();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let n = tx
            .execute("DELETE FROM disputes WHERE attempt_id = ?1 AND finding = ?2", params![attempt, finding])
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(n > 0)
    }

    fn disputes(&self, attempt: Option<AttemptId>) -> Result<Vec<Dispute>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT d.id, a.drill_id, a.lang, d.created_at, d.attempt_id, d.kind, d.finding, d.verdict, d.statement, \
                 d.item, d.line, d.note FROM disputes d JOIN attempts a ON a.id = d.attempt_id \
                 WHERE ?1 IS NULL OR d.attempt_id = ?1 ORDER BY d.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![attempt], dispute).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(score: u8, cats: &[(&str, f64, f64)]) -> Graded {
        Graded { score, report_json: "{}".into(), categories: cats.iter().map(|(c, e, m)| (c.to_string(), *e, *m)).collect() }
    }

    #[test]
    fn attempt_round_trip_and_stats() {
        let mut s = SqliteStore::in_memory().unwrap();
        let a = s.start_attempt("d1", "en", "{\"answers\":{}}").unwrap();
        s.save_answers(a, "{\"answers\":{\"x\":\"y\"}}").unwrap();
        assert_eq!(s.attempt(a).unwrap().summary.score, None);
        s.finish_attempt(a, &graded(40, &[("concurrency", 10.0, 40.0)])).unwrap();
        let b = s.start_attempt("d1", "zh", "{}").unwrap();
        s.finish_attempt(b, &graded(90, &[("concurrency", 30.0, 40.0), ("testing", 15.0, 15.0)])).unwrap();
        let h = s.history(10).unwrap();
        assert_eq!(h.iter().map(|x| x.id).collect::<Vec<_>>(), vec![b, a]);
        assert_eq!(s.attempt(a).unwrap().answers_json, "{\"answers\":{\"x\":\"y\"}}");
        let cats = s.category_stats().unwrap();
        assert_eq!(cats[0].category, "concurrency");
        assert_eq!((cats[0].earned, cats[0].max, cats[0].attempts), (40.0, 80.0, 2));
        let d = s.drill_stats().unwrap();
        assert_eq!((d[0].attempts, d[0].best, d[0].last), (2, 90, 90));
    }

    fn said_it(attempt: AttemptId, finding: &str, statement: &str) -> NewDispute {
        NewDispute {
            attempt_id: attempt,
            finding: finding.into(),
            kind: DisputeKind::SaidIt,
            verdict: "miss".into(),
            statement: statement.into(),
            item: Some("concurrency".into()),
            line: None,
            note: String::new(),
        }
    }

    #[test]
    fn disputes_round_trip_replace_and_count_in_history() {
        let mut s = SqliteStore::in_memory().unwrap();
        let a = s.start_attempt("d1", "zh", "{}").unwrap();
        s.finish_attempt(a, &graded(40, &[])).unwrap();
        let b = s.start_attempt("d2", "en", "{}").unwrap();
        let first = s.add_dispute(&said_it(a, "race", "Get 和 Delete 之间有窗口")).unwrap();
        let mut again = said_it(a, "race", "the window between Get and Delete");
        again.note = "second thought".into();
        assert_eq!(s.add_dispute(&again).unwrap(), first, "disputing the same finding again replaces the dispute");
        let credit = NewDispute {
            kind: DisputeKind::WrongCredit,
            verdict: "hit".into(),
            line: Some(258),
            item: None,
            ..said_it(a, "leak", "leak")
        };
        s.add_dispute(&credit).unwrap();
        let all = s.disputes(None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].drill_id.as_str(), all[0].lang.as_str()), ("d1", "zh"));
        assert_eq!(all[0].dispute, again);
        assert_eq!(all[1].dispute, credit);
        assert!(s.disputes(Some(b)).unwrap().is_empty());
        let h = s.history(10).unwrap();
        assert_eq!(h.iter().map(|x| (x.id, x.disputed)).collect::<Vec<_>>(), vec![(b, 0), (a, 2)]);
        assert_eq!(s.attempt(a).unwrap().summary.score, Some(40), "a dispute never changes the score");
        assert!(s.remove_dispute(a, "leak").unwrap());
        assert!(!s.remove_dispute(a, "leak").unwrap());
        assert_eq!(s.attempt(a).unwrap().summary.disputed, 1);
    }

    #[test]
    fn dispute_of_unknown_attempt_is_refused() {
        let mut s = SqliteStore::in_memory().unwrap();
        assert!(matches!(s.add_dispute(&said_it(7, "race", "x")), Err(StoreError::NoSuchAttempt(7))));
        assert!(s.disputes(None).unwrap().is_empty());
    }

    #[test]
    fn a_version_1_database_gains_disputes_and_keeps_its_attempts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        {
            let c = Connection::open(&p).unwrap();
            c.execute_batch(MIGRATIONS[0].1).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            c.execute(
                "INSERT INTO attempts (drill_id, lang, started_at, answers_json, score) VALUES ('d', 'en', 1, '{}', 70)",
                [],
            )
            .unwrap();
        }
        let mut s = SqliteStore::open(&p).unwrap();
        let h = s.history(10).unwrap();
        assert_eq!((h.len(), h[0].score, h[0].disputed), (1, Some(70), 0));
        s.add_dispute(&said_it(h[0].id, "race", "x")).unwrap();
        let v: i64 = s.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, KNOWN_VERSION);
    }

    #[test]
    fn unknown_attempt_is_an_error() {
        let mut s = SqliteStore::in_memory().unwrap();
        assert!(matches!(s.save_answers(42, "{}"), Err(StoreError::NoSuchAttempt(42))));
    }

    #[test]
    fn garbage_file_is_reported_as_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        std::fs::write(&p, vec![b'x'; 4096]).unwrap();
        assert!(matches!(SqliteStore::open(&p), Err(StoreError::Corrupt { .. })));
    }

    #[test]
    fn lock_held_by_another_connection_is_reported_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        drop(SqliteStore::open(&p).unwrap());
        let holder = Connection::open(&p).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let r = SqliteStore::open(&p).and_then(|mut s| s.start_attempt("d", "en", "{}"));
        assert!(matches!(r, Err(StoreError::Locked { .. })), "{r:?}");
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        Connection::open(&p).unwrap().pragma_update(None, "user_version", 99).unwrap();
        assert!(matches!(SqliteStore::open(&p), Err(StoreError::TooNew { found: 99, .. })));
    }

    /// Issue 9, item 2: connections that open a new database while another process is
    /// migrating it wait for that migration and then find nothing to do. Before the fix they
    /// read `user_version` 0 without a lock, then failed with `table attempts already exists`.
    /// The other process is played by `holder`, which takes the write lock first and migrates
    /// while the openers wait.
    #[test]
    fn opening_while_another_process_migrates_waits_and_succeeds() {
        const THREADS: usize = 8;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.sqlite");
        let mut holder = Connection::open(&p).unwrap();
        let tx = holder.transaction_with_behavior(TransactionBehavior::Immediate).unwrap();
        let results: Vec<Result<AttemptId, StoreError>> = std::thread::scope(|s| {
            let openers: Vec<_> = (0..THREADS)
                .map(|_| s.spawn(|| SqliteStore::open(&p).and_then(|mut st| st.start_attempt("d", "en", "{}"))))
                .collect();
            // Let every opener reach the lock before the "other process" migrates.
            std::thread::sleep(Duration::from_millis(300));
            for &(version, sql) in MIGRATIONS {
                tx.execute_batch(sql).unwrap();
                tx.pragma_update(None, "user_version", version).unwrap();
            }
            tx.commit().unwrap();
            openers.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let failed: Vec<String> = results.iter().filter_map(|r| r.as_ref().err().map(|e| e.to_string())).collect();
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(SqliteStore::open(&p).unwrap().history(100).unwrap().len(), THREADS);
    }

    /// Many connections opening one new database at once all succeed.
    #[test]
    fn concurrent_first_open_of_a_new_database_migrates_once() {
        const THREADS: usize = 12;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.sqlite");
        let barrier = std::sync::Barrier::new(THREADS);
        let results: Vec<Result<AttemptId, StoreError>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        SqliteStore::open(&p).and_then(|mut st| st.start_attempt("d", "en", "{}"))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let failed: Vec<String> = results.iter().filter_map(|r| r.as_ref().err().map(|e| e.to_string())).collect();
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(SqliteStore::open(&p).unwrap().history(100).unwrap().len(), THREADS);
    }

    /// Issue 9, item 17: another program's SQLite file is named as such; the migration SQL is
    /// not dumped, and the file is left untouched.
    #[test]
    fn foreign_sqlite_file_is_not_a_revdrill_database() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("other.sqlite");
        Connection::open(&p).unwrap().execute_batch("CREATE TABLE attempts (x); CREATE TABLE notes (y);").unwrap();
        let e = SqliteStore::open(&p).err().expect("refused");
        assert!(matches!(&e, StoreError::Foreign { tables, .. } if tables == &["attempts", "notes"]), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains("is not a revdrill database") && !msg.contains("CREATE"), "{msg}");
        let v: i64 = Connection::open(&p).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, 0);
    }

    /// A failing migration reports SQLite's message, never the SQL text.
    #[test]
    fn errors_never_carry_the_sql_text() {
        let conn = Connection::open_in_memory().unwrap();
        let e = conn.execute_batch("CREATE TABLE t (a); CREATE TABLE t (a);").unwrap_err();
        let shown = classify("db", e).to_string();
        assert!(shown.contains("already exists") && !shown.contains("CREATE"), "{shown}");
    }

    /// Issue 9, item 17: a write refused because the file is read-only says "read-only".
    #[test]
    fn write_to_a_read_only_database_is_reported_as_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        drop(SqliteStore::open(&p).unwrap());
        let ro = Connection::open_with_flags(&p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut store = SqliteStore { conn: ro, path: p.clone() };
        let e = store.start_attempt("d", "en", "{}").unwrap_err();
        assert!(matches!(e, StoreError::ReadOnly { .. }), "{e:?}");
        assert!(e.to_string().contains("is read-only"), "{e}");
    }
}
