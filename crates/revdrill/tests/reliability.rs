//! Issue 9 (CLI and store): nothing typed is lost, no input is read without bound, and every
//! failure is said clearly with a non-zero exit. Each test names the item it holds; see
//! `docs/reliability.md`.

mod common;
use common::*;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Backup files in `dir`.
fn backups(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("revdrill-attempt-"))
        .collect();
    v.sort();
    v
}

/// The backup must be an answers file `grade` accepts; returns the graded score.
fn grade_backup(env: &Env, backup: &Path) -> u64 {
    let r = env.run(&["grade", "--drill", SEED, "--answers", backup.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(r.code, 0, "backup refused by grade: {}", r.err);
    json(&r.out)["score"].as_u64().unwrap()
}

/// Items 1 and 4: runs failing in the same folder at the same second each keep their own
/// backup (unique names, exclusive creation), and each backup is an answers file that
/// `grade --answers` accepts. Before: one fixed `.json.tmp`, answer sets overwritten, and a
/// `score` field that `grade` refused.
#[test]
fn concurrent_backups_in_one_folder_never_collide_and_can_be_graded() {
    const RUNS: usize = 6;
    let env = Env::new();
    env.corrupt_db();
    let children: Vec<_> = (0..RUNS)
        .map(|i| {
            let mut child = env.cmd(&["drill", SEED]).spawn().unwrap();
            let answers = format!("run {i}: the goroutine leaks when ctx is never cancelled.\n");
            child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
            child
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let files = backups(env.path());
    let mut runs: Vec<String> = files
        .iter()
        .map(|f| {
            let v = json(&std::fs::read_to_string(f).unwrap());
            assert!(v.get("score").is_none(), "not an answers file: {v}");
            v["answers"]["concurrency"].as_str().unwrap()[..5].to_string()
        })
        .collect();
    runs.sort();
    assert_eq!(runs, (0..RUNS).map(|i| format!("run {i}")).collect::<Vec<_>>(), "{files:?}");
    assert!(grade_backup(&env, &files[0]) > 0);
}

/// Item 4: the message says where the backup is and how to store it later; the backup fed
/// back with `--save` becomes an attempt once the database works.
#[test]
fn the_backup_message_says_how_to_recover_in_both_languages() {
    let env = Env::new();
    env.corrupt_db();
    let r = env.run(&["drill", SEED], PIPED);
    assert_eq!(r.code, 2);
    let backup = backups(env.path()).pop().expect("a backup");
    let expect = format!("revdrill grade --drill {SEED} --answers {} --save", backup.display());
    assert!(r.out.contains("your answers are saved in") && r.out.contains(&expect), "{}", r.out);
    std::fs::remove_file(env.db()).unwrap();
    let r = env.run(&["grade", "--drill", SEED, "--answers", backup.to_str().unwrap(), "--save"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(json(&env.run(&["history", "--format", "json"], "").out).as_array().unwrap().len(), 1);

    let zh = Env::new();
    zh.corrupt_db();
    let r = zh.run(&["--lang", "zh", "drill", SEED], PIPED);
    assert!(r.out.contains("你的回答已保存到") && r.out.contains("数据库恢复后"), "{}", r.out);
    assert!(r.err.contains("已损坏或不是 revdrill 数据库"), "{}", r.err);
}

/// Item 5: a symlink planted under the names the backup used to take (the predictable
/// `revdrill-attempt-<drill>-<seconds>.json.tmp`) is not followed; the file it points to is
/// untouched.
#[test]
fn the_backup_never_follows_a_planted_symlink() {
    let env = Env::new();
    env.corrupt_db();
    let victim = env.write("victim.txt", b"precious");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    for s in now..now + 30 {
        for suffix in ["json", "json.tmp"] {
            let name = format!("revdrill-attempt-{SEED}-{s}.{suffix}");
            std::os::unix::fs::symlink(&victim, env.path().join(name)).unwrap();
        }
    }
    let r = env.run(&["drill", SEED], PIPED);
    assert_eq!(r.code, 2, "{}", r.err);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let real: Vec<PathBuf> = backups(env.path()).into_iter().filter(|p| !p.is_symlink()).collect();
    assert_eq!(real.len(), 1, "{real:?}");
    assert!(grade_backup(&env, &real[0]) > 0);
}

/// Item 5: when the working folder cannot be written, the backup goes to a private (0700)
/// folder under the data folder, never to a shared temporary folder.
#[test]
fn without_a_writable_working_folder_the_backup_goes_to_a_private_data_folder() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.corrupt_db();
    let mut cmd = env.cmd(&["drill", SEED]);
    cmd.current_dir("/proc"); // not writable, even for root
    let r = run_cmd(cmd, PIPED);
    assert_eq!(r.code, 2, "{}", r.err);
    let dir = env.path().join("xdg/revdrill/backups");
    let files = backups(&dir);
    assert_eq!(files.len(), 1, "{}\n{}", r.out, r.err);
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(r.out.contains(&files[0].display().to_string()), "{}", r.out);
}

/// Item 17: with no folder to write a backup to, the message names every folder tried and the
/// answers themselves are printed so they can be copied.
#[test]
fn with_no_writable_folder_the_paths_tried_are_named_and_the_answers_printed() {
    let env = Env::new();
    env.corrupt_db();
    let mut cmd = env.cmd(&["drill", SEED]);
    cmd.current_dir("/proc").env("XDG_DATA_HOME", "/proc/revdrill-test-none");
    let r = run_cmd(cmd, PIPED);
    assert_eq!(r.code, 2);
    assert!(r.out.contains("cannot write a backup of your answers in any folder tried: /proc ("), "{}", r.out);
    assert!(r.out.contains("/proc/revdrill-test-none/revdrill/backups ("), "{}", r.out);
    assert!(r.out.contains("Errors other than NotFound are silently ignored."), "answers not printed: {}", r.out);
}

/// Item 3: `grade --save` on a locked database keeps the answers in a backup, says where,
/// still prints the report and exits 2 (like `drill`). Before: no report, answers gone.
#[test]
fn grade_save_on_a_locked_database_keeps_the_answers_and_prints_the_report() {
    let env = Env::new();
    env.run(&["history"], "");
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let answers = r#"{"answers": {"concurrency": "the goroutine leaks when ctx is never cancelled"}}"#;
    let r = env.run(&["grade", "--drill", SEED, "--answers", "-", "--save", "--format", "json"], answers);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(json(&r.out)["score"].is_u64(), "no report: {}", r.out);
    assert!(r.err.contains("is locked by another process") && r.err.contains("your answers are saved in"), "{}", r.err);
    let files = backups(env.path());
    assert_eq!(files.len(), 1);
    assert!(r.err.contains(&files[0].display().to_string()));
    drop(holder);
    assert!(grade_backup(&env, &files[0]) > 0);
}

/// Items 3 and 17: on a read-only database, `grade --save` says "read-only" (not "cannot
/// open") and keeps the answers in a backup.
#[test]
fn grade_save_on_a_read_only_database_says_read_only() {
    let env = Env::new();
    env.run(&["history"], "");
    let Some(_guard) = ReadOnly::make(&env.db()) else {
        eprintln!("cannot make a read-only file here (root without chattr): skipped");
        return;
    };
    let answers = r#"{"answers": {"concurrency": "the goroutine leaks when ctx is never cancelled"}}"#;
    let r = env.run(&["grade", "--drill", SEED, "--answers", "-", "--save"], answers);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("is read-only") && !r.err.contains("cannot open"), "{}", r.err);
    assert!(r.out.contains("Reference review"), "no report: {}", r.out);
    assert_eq!(backups(env.path()).len(), 1);
}

/// Makes a file or folder read-only for this process (chmod, and `chattr +i` when running as
/// root); undoes it on drop. `None` when neither works here.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn make(p: &Path) -> Option<ReadOnly> {
        use std::os::unix::fs::PermissionsExt;
        let mode = if p.is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        let guard = ReadOnly(p.to_path_buf());
        if writable(p) {
            let ok = Command::new("chattr").arg("+i").arg(p).status().is_ok_and(|s| s.success());
            if !ok || writable(p) {
                return None;
            }
        }
        Some(guard)
    }
}

fn writable(p: &Path) -> bool {
    if p.is_dir() {
        let probe = p.join(".probe");
        let ok = std::fs::File::create(&probe).is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    } else {
        std::fs::OpenOptions::new().write(true).open(p).is_ok()
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

/// Item 17: a database in a folder that cannot be written (its journal cannot be created) is
/// "read-only" too, not "cannot open ... unable to open database file"; `drill` keeps a backup.
#[test]
fn a_database_in_a_read_only_folder_says_read_only() {
    let env = Env::new();
    env.run(&["history"], "");
    let Some(_guard) = ReadOnly::make(env.db().parent().unwrap()) else {
        eprintln!("cannot make a read-only folder here (root without chattr): skipped");
        return;
    };
    let r = env.run(&["drill", SEED], PIPED);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("is read-only: the file or its folder cannot be written"), "{}", r.err);
    assert!(!r.err.contains("cannot open"), "{}", r.err);
    assert_eq!(backups(env.path()).len(), 1);
}

/// Item 2: processes using a new database for the first time at once all succeed (the
/// migration runs once, under the write lock). Before: "table attempts already exists".
#[test]
fn concurrent_first_use_of_a_new_database_loses_nothing() {
    const PROCS: usize = 10;
    let env = Env::new();
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog").join(SEED).join("answers/model-en.json");
    let children: Vec<_> = (0..PROCS)
        .map(|_| {
            let mut c = env.cmd(&["grade", "--drill", SEED, "--answers", model.to_str().unwrap(), "--save", "--format", "json"]);
            c.stdin(Stdio::null());
            c.spawn().unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(json(&env.run(&["history", "--format", "json"], "").out).as_array().unwrap().len(), PROCS);
    assert!(backups(env.path()).is_empty());
}

/// Item 6: stdin at end of file records nothing (before: a 0-score attempt).
#[test]
fn drill_with_nothing_typed_records_nothing() {
    let env = Env::new();
    let r = env.run(&["drill", SEED], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("Nothing was typed") && r.err.contains("no attempt was recorded"), "{}", r.err);
    assert!(!r.out.contains("Reference review"), "{}", r.out);
    assert_eq!(env.run(&["history", "--format", "json"], "").out.trim(), "[]");
    let r = env.run(&["--lang", "zh", "drill", SEED], "-\n\n-\n");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("未记录这次练习"), "{}", r.err);
    assert_eq!(env.run(&["history", "--format", "json"], "").out.trim(), "[]");
}

/// Item 6: `@0` and `@99999` are refused when typed, with the valid range; on a pipe they stay
/// in the answer as text, never as stored comments that `grade` would later refuse.
#[test]
fn inline_comments_outside_the_diff_are_refused_at_input_time() {
    let env = Env::new();
    let r = env.run(&["drill", SEED], "leak.\n@0 nit: zero\n@99999 blocker: far away\n@258 blocker: real one\n");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("@0, @99999 is not a line shown in the diff (comment on one of: 250-266)"), "{}", r.err);
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let stored: String = db.query_row("SELECT answers_json FROM attempts", [], |r| r.get(0)).unwrap();
    let v = json(&stored);
    let lines: Vec<u64> = v["comments"].as_array().unwrap().iter().map(|c| c["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [258]);
    let text = v["answers"]["concurrency"].as_str().unwrap();
    assert!(text.contains("@0 nit: zero") && text.contains("@99999 blocker: far away"), "{text}");
    let f = env.write("stored.json", stored.as_bytes());
    grade_backup(&env, &f);
}

/// Item 10: `grade --answers` reads at most 4 MiB: an oversized file is refused by name.
#[test]
fn grade_refuses_an_oversized_answers_file_by_name() {
    let env = Env::new();
    let big = env.write("big.json", &vec![b' '; 5 << 20]);
    let r = env.run(&["grade", "--drill", SEED, "--answers", big.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("big.json: larger than 4 MiB"), "{}", r.err);
}

/// Item 10: an endless input ends with an error, not with all memory.
#[test]
fn grade_answers_dev_zero_is_refused() {
    let env = Env::new();
    let r = env.run(&["grade", "--drill", SEED, "--answers", "/dev/zero"], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("/dev/zero: larger than 4 MiB"), "{}", r.err);
}

/// Items 13 and 17: a JSON array is a clear located error; a byte order mark is accepted.
#[test]
fn answers_file_shape_and_byte_order_mark() {
    let env = Env::new();
    let arr = env.write("arr.json", b"[\"containerd-shimv1-leak\", {}]");
    let r = env.run(&["grade", "--drill", SEED, "--answers", arr.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("arr.json:1: expected a JSON object"), "{}", r.err);
    let bom = env.write("bom.json", "\u{feff}{\"answers\": {\"concurrency\": \"the goroutine leaks\"}}".as_bytes());
    let r = env.run(&["grade", "--drill", SEED, "--answers", bom.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.err);
}

/// Item 16: `list` does not hide a database error: the catalog is listed with unknown scores,
/// the error is printed, and the exit code is 2. Before: exit 0, every score `-`.
#[test]
fn list_reports_a_broken_database() {
    let env = Env::new();
    env.corrupt_db();
    let r = env.run(&["list"], "");
    assert_eq!(r.code, 2);
    assert!(r.out.contains(SEED), "{}", r.out);
    assert!(r.err.contains("damaged or not a revdrill database") && r.err.contains("unknown"), "{}", r.err);
    let r = env.run(&["list", "--format", "json"], "");
    assert_eq!(r.code, 2);
    assert!(json(&r.out).as_array().unwrap().iter().all(|d| d["best"].is_null()));
    for cmd in ["history", "stats"] {
        let r = env.run(&["--lang", "zh", cmd], "");
        assert_eq!(r.code, 2, "{cmd}");
        assert!(r.err.contains("已损坏或不是 revdrill 数据库"), "{cmd}: {}", r.err);
    }
}

/// Item 17: another program's SQLite file is "not a revdrill database", without the migration
/// SQL, and is left as it was.
#[test]
fn a_foreign_sqlite_file_is_named_without_dumping_sql() {
    let env = Env::new();
    std::fs::create_dir_all(env.db().parent().unwrap()).unwrap();
    rusqlite::Connection::open(env.db()).unwrap().execute_batch("CREATE TABLE attempts (x); CREATE TABLE notes (y);").unwrap();
    let r = env.run(&["history"], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("is not a revdrill database (it holds the tables attempts, notes)"), "{}", r.err);
    assert!(!r.err.contains("CREATE"), "{}", r.err);
}

/// Item 6, in a terminal (a pseudo-terminal from `script`, util-linux): the refused `@99999`
/// is retyped as `@258` and only that is stored.
#[test]
fn in_a_terminal_a_refused_inline_comment_is_retyped() {
    let env = Env::new();
    let bin = env!("CARGO_BIN_EXE_revdrill");
    let line = format!("{bin} --db {} drill {SEED}", env.db().display());
    let mut script = Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .current_dir(env.path())
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    script.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let Ok(mut child) = script.spawn() else {
        eprintln!("no `script` here: skipped");
        return;
    };
    let typed = "leak when ctx is never cancelled\n@99999 blocker: far away\n\n@258 blocker: far away\n\n\x04";
    child.stdin.take().unwrap().write_all(typed.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Retype the comment line(s)"), "{out}");
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let stored: String = db.query_row("SELECT answers_json FROM attempts", [], |r| r.get(0)).unwrap();
    let v = json(&stored);
    assert_eq!(v["comments"], serde_json::json!([{"line": 258, "severity": "blocker", "body": "far away"}]), "{stored}");
    assert_eq!(v["answers"]["concurrency"], "leak when ctx is never cancelled");
    assert_eq!(v["answers"]["error-paths"], "");
}
