//! `revdrill analyze` end to end on bad input: every one is a clear error with exit code 2, or a
//! note on stderr for a file left out (issue 9, item 15).

use std::process::{Command, Stdio};

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(dir: &std::path::Path, args: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_revdrill"))
        .args(["--db", dir.join("db.sqlite").to_str().unwrap()])
        .args(args)
        .current_dir(dir)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("REVDRILL_DB")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&o.stdout).into(),
        err: String::from_utf8_lossy(&o.stderr).into(),
    }
}

#[test]
fn a_file_that_is_not_a_diff_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just some notes\nnothing to see\n").unwrap();
    let r = run(dir.path(), &["analyze", "--diff", "notes.txt"]);
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(r.err.contains("notes.txt") && r.err.contains("not a unified diff"), "{}", r.err);
}

#[test]
fn a_missing_repo_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.diff"), "--- a/x.go\n+++ b/x.go\n@@ -1,1 +1,2 @@\n package x\n+var y = 1\n").unwrap();
    let r = run(dir.path(), &["analyze", "--diff", "x.diff", "--repo", "/nonexistent/revdrill"]);
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(r.err.contains("/nonexistent/revdrill"), "{}", r.err);
}

#[cfg(unix)]
#[test]
fn skipped_files_are_noted_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/a.go"), "package a\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("src/a.go"), dir.path().join("src/b.go")).unwrap();
    let r = run(dir.path(), &["analyze", "src"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.err.contains("b.go") && r.err.contains("symlink"), "{}", r.err);
    let r = run(dir.path(), &["analyze", "/dev/zero"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    assert!(r.err.contains("/dev/zero") && r.err.contains("too large"), "{}", r.err);
}
