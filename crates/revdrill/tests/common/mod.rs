//! The harness the binary's end-to-end tests share: `revdrill` run in a fresh temporary folder
//! with its own database and data folder, in English unless a test says otherwise.
#![allow(dead_code)] // each test file uses part of it

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The seed drill.
pub const SEED: &str = "containerd-shimv1-leak";

/// Answers for the seed drill, piped: one block per checklist item.
pub const PIPED: &str = "The goroutine might leak if ctx is never cancelled.\n@258 blocker: Get runs on the already cancelled ctx so it fails at once.\n\nErrors other than NotFound are silently ignored.\n\n-\n\nissue: `waitOrphaned` leaks a goroutine when ctx is never cancelled, so memory grows. Could we select on a shutdown context too?\n";

/// What one run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

/// A temporary folder with its own database and data folder (`XDG_DATA_HOME`).
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.path().join("data/revdrill.sqlite")
    }

    /// The command, in the temp folder, with its database and data folder, in English.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_revdrill"));
        c.args(["--db", self.db().to_str().unwrap()])
            .args(args)
            .current_dir(self.path())
            .env("XDG_DATA_HOME", self.path().join("xdg"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            .env_remove("REVDRILL_DB")
            .env_remove("REVDRILL_NOW")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs revdrill with `args` and `stdin`.
    pub fn run(&self, args: &[&str], stdin: &str) -> Run {
        run_cmd(self.cmd(args), stdin)
    }

    /// Runs revdrill with `args`, expects exit 0, and parses its output as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let r = self.run(args, "");
        assert_eq!(r.code, 0, "{}", r.err);
        json(&r.out)
    }

    /// Writes `text` to `name` under the temp folder, creating folders.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Replaces the database with bytes SQLite does not read.
    pub fn corrupt_db(&self) {
        self.write("data/revdrill.sqlite", "not a database ".repeat(400));
    }
}

/// Runs `cmd` with `stdin` and collects what it printed.
pub fn run_cmd(mut cmd: Command, stdin: &str) -> Run {
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8(o.stdout).unwrap(),
        err: String::from_utf8(o.stderr).unwrap(),
    }
}

/// `s` parsed as JSON, or a panic that shows it.
pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// Runs revdrill in `dir` (its database `dir/db.sqlite`, no colour) with `args` and `stdin`:
/// (exit code, stdout, stderr), for tests that keep their own folder.
pub fn revdrill_in(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_revdrill"));
    cmd.args(["--db", dir.join("db.sqlite").to_str().unwrap()])
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
