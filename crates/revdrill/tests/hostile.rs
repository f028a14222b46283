//! The second, hostile probe of "nothing typed is lost" and "every input is bounded" for
//! `revdrill drill`: endless or binary stdin, signals while typing (piped and in a terminal),
//! Ctrl-C inside the editor, and getting back the answers of an interrupted drill.
//! `docs/reliability.md` lists each with the defect it pins.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, SEED, json};

/// The stored answers of each attempt, oldest first.
fn stored(env: &Env) -> Vec<(String, Option<i64>)> {
    let Ok(db) = rusqlite::Connection::open(env.db()) else { return Vec::new() };
    let Ok(mut stmt) = db.prepare("SELECT answers_json, score FROM attempts ORDER BY id") else { return Vec::new() };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap_or_default()
}

/// Waits (up to 60 s, for a loaded machine) until some stored answers contain `text`.
fn wait_for_stored(env: &Env, text: &str) {
    let start = Instant::now();
    while !stored(env).iter().any(|(a, _)| a.contains(text)) {
        assert!(start.elapsed() < Duration::from_secs(60), "`{text}` was never stored");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits for `child` up to `limit`; kills it and fails after that.
fn wait_within(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Before: `drill < /dev/zero` grew one line until memory ran out (abort), and `yes | revdrill
/// drill` read forever. Now reading stops at 256 KiB with an error naming stdin, exit 2, and
/// what came before the cap is saved. (Not run on the old code: it reads until memory runs out.)
#[test]
fn endless_stdin_stops_at_the_cap_and_keeps_what_came_before() {
    let env = Env::new();
    let mut cmd = env.cmd(&["drill", SEED]);
    cmd.stdin(Stdio::from(std::fs::File::open("/dev/zero").unwrap()));
    let mut child = cmd.spawn().unwrap();
    let st = wait_within(&mut child, Duration::from_secs(120));
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(st.code(), Some(2), "{err}");
    assert!(err.contains("<stdin>: more than 256 KiB of answers, the limit; the rest was not read"), "{err}");
}

/// `yes`-like input: many short lines; the answer typed before them is kept.
#[test]
fn endless_lines_on_stdin_stop_at_the_cap() {
    let env = Env::new();
    let mut input = String::from("first answer: the goroutine leaks\n\n");
    input.push_str(&"y\n".repeat(300 * 1024));
    let mut child = env.cmd(&["drill", SEED]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes()); // the reader stops early: a broken pipe is fine
    });
    let st = wait_within(&mut child, Duration::from_secs(120));
    writer.join().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(st.code(), Some(2), "{err}");
    assert!(err.contains("more than 256 KiB"), "{err}");
    let rows = stored(&env);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let v = json(&rows[0].0);
    assert_eq!(v["answers"]["concurrency"], "first answer: the goroutine leaks");
    assert!(v["answers"]["error-paths"].as_str().unwrap().starts_with("y\ny\n"));
}

/// Before: a byte that is not UTF-8 (a GBK terminal, a pasted binary) ended the drill with
/// "stream did not contain valid UTF-8", losing that answer and every later one. Now the line is
/// kept (bad bytes as U+FFFD), its number is named, the drill goes on and exits 2.
#[test]
fn a_line_that_is_not_utf8_is_kept_and_named() {
    let env = Env::new();
    let mut child = env.cmd(&["drill", SEED]).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"first answer ok\n\nsecond \xff\xfe answer\nmore\n\nthird \xc0\n\nfourth\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("<stdin> line 3: not UTF-8 text; the bad bytes are kept as �"), "{err}");
    assert!(err.contains("<stdin> line 6: not UTF-8"), "{err}");
    assert!(err.contains("<stdin>: 2 line(s) were not UTF-8 text"), "{err}");
    let rows = stored(&env);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].1.is_some(), "graded and stored");
    let v = json(&rows[0].0);
    assert_eq!(v["answers"]["error-paths"], "second \u{fffd}\u{fffd} answer\nmore");
    assert_eq!(v["answers"]["testing"], "third \u{fffd}");
    assert_eq!(v["answers"]["expression"], "fourth");
}

/// Before: SIGTERM (or Ctrl-C, or a closed terminal) while an answer was being typed ended the
/// process at once: the lines already entered for that item were lost. Now they are saved as
/// an unfinished attempt, the learner is told where, and the exit code is 128 + 15.
#[test]
fn sigterm_while_typing_saves_the_lines_already_entered() {
    let env = Env::new();
    let mut child = env.cmd(&["drill", SEED]).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"item one\n\n").unwrap();
    wait_for_stored(&env, "item one");
    stdin.write_all(b"line A of two\nline B of two\n").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(800)); // read, then blocked on the next line
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let st = wait_within(&mut child, Duration::from_secs(60));
    drop(stdin);
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(st.code(), Some(143), "{err}");
    assert!(err.contains("Interrupted: your answers so far are saved as unfinished attempt #1"), "{err}");
    let rows = stored(&env);
    let v = json(&rows[0].0);
    assert_eq!(v["answers"]["error-paths"], "line A of two\nline B of two", "{rows:?}");
    assert_eq!(rows[0].1, None, "not graded");
}

/// Before: `history N` of an unfinished attempt (an interrupted drill, or a database that
/// failed before the grade) said only "was not finished": the answers it holds could not be
/// reached. Now they are printed as an answers file, with the command that grades them.
#[test]
fn an_unfinished_attempt_shows_its_answers_and_how_to_grade_them() {
    let env = Env::new();
    let answers = env.write("a.json", "{\"answers\": {\"concurrency\": \"item one\", \"error-paths\": \"line A\\nline B\"}}");
    let g = env.run(&["grade", "--drill", SEED, "--answers", answers.to_str().unwrap(), "--save"], "");
    assert_eq!(g.code, 0, "{}", g.err);
    let db = rusqlite::Connection::open(env.db()).unwrap();
    db.execute("UPDATE attempts SET score = NULL, report_json = NULL, finished_at = NULL", []).unwrap();
    db.execute("DELETE FROM attempt_categories", []).unwrap();
    drop(db);

    let r = env.run(&["history", "1"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("was not finished"), "{}", r.err);
    assert!(r.err.contains(&format!("revdrill grade --drill {SEED} --answers attempt-1.json --save")), "{}", r.err);
    let file = env.write("attempt-1.json", &r.out);
    let g = env.run(&["grade", "--drill", SEED, "--answers", file.to_str().unwrap(), "--save"], "");
    assert_eq!(g.code, 0, "{}", g.err);
    let rows = stored(&env);
    assert_eq!(json(&rows[1].0)["answers"]["error-paths"], "line A\nline B");
    assert!(rows[1].1.is_some());
    let j = env.json(&["history", "1", "--format", "json"]);
    assert_eq!(j["report"], serde_json::Value::Null);
    assert_eq!(j["answers"]["answers"]["concurrency"], "item one");
}

/// Runs `revdrill drill` in a pseudo-terminal (`script`, util-linux) with `env_vars`; `None`
/// when `script` is missing.
fn in_terminal(env: &Env, env_vars: &[(&str, &str)]) -> Option<std::process::Child> {
    let bin = env!("CARGO_BIN_EXE_revdrill");
    let line = format!("{bin} --db {} drill {SEED}", env.db().display());
    let mut script = Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .current_dir(env.path())
        .env("LANG", "C")
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("XDG_DATA_HOME", env.path().join("xdg"));
    for (k, v) in env_vars {
        script.env(k, v);
    }
    script.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    script.spawn().ok()
}

/// Ctrl-C typed in a terminal while an answer is half written: the lines entered so far are
/// saved (before: the process died and they were lost, with no word said).
#[test]
fn ctrl_c_in_a_terminal_saves_the_lines_already_entered() {
    let env = Env::new();
    let Some(mut child) = in_terminal(&env, &[]) else {
        eprintln!("no `script` here: skipped");
        return;
    };
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"item one\n\n").unwrap();
    wait_for_stored(&env, "item one");
    stdin.write_all(b"line A of two\nline B of two\n").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    stdin.write_all(b"\x03").unwrap();
    stdin.flush().unwrap();
    wait_within(&mut child, Duration::from_secs(60));
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(out.contains("Interrupted: your answers so far are saved as unfinished attempt #1"), "{out}");
    let rows = stored(&env);
    assert_eq!(json(&rows[0].0)["answers"]["error-paths"], "line A of two\nline B of two", "{rows:?}");
}

/// Ctrl-C inside the editor (vim's way out of insert mode) reached revdrill too and killed it:
/// the editor's text and the answer were lost. Now it is the editor's alone.
#[test]
fn ctrl_c_in_the_editor_does_not_end_the_drill() {
    let env = Env::new();
    let editor = env.write(
        "editor.sh",
        "#!/bin/sh\ntrap 'echo \"typed after ctrl-c\" >> \"$1\"; exit 0' INT\nsleep 5 &\nwait\necho \"no ctrl-c came\" >> \"$1\"\n",
    );
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let Some(mut child) = in_terminal(&env, &[("EDITOR", editor.to_str().unwrap()), ("VISUAL", editor.to_str().unwrap())]) else {
        eprintln!("no `script` here: skipped");
        return;
    };
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"item one\n\n").unwrap();
    wait_for_stored(&env, "item one");
    stdin.write_all(b"e\n").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    stdin.write_all(b"\x03").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    stdin.write_all(b"\x04").unwrap();
    stdin.flush().unwrap();
    wait_within(&mut child, Duration::from_secs(60));
    let rows = stored(&env);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let v = json(&rows[0].0);
    assert_eq!(v["answers"]["error-paths"], "typed after ctrl-c", "{rows:?}");
    assert!(rows[0].1.is_some(), "the drill went on to grade: {rows:?}");
}

/// Before: `export --output FILE` (and `template --output`) wrote in place: a full disk or a
/// file size limit left FILE half written, and the earlier export in it was gone. Now the new
/// text goes to a temporary file renamed over FILE only once it is whole. (The limit is
/// `ulimit -f` with SIGXFSZ ignored, so the write fails with EFBIG as on a full disk.)
#[test]
fn a_failed_export_leaves_the_earlier_file_whole() {
    let env = Env::new();
    let long = "the goroutine leaks when ctx is never cancelled, so memory grows. ".repeat(400);
    let answers = env.write("a.json", format!("{{\"answers\": {{\"concurrency\": \"{long}\"}}}}"));
    let g = env.run(&["grade", "--drill", SEED, "--answers", answers.to_str().unwrap(), "--save"], "");
    assert_eq!(g.code, 0, "{}", g.err);
    let bin = env!("CARGO_BIN_EXE_revdrill");
    for args in ["export 1 --output review.md", "export 1 --format github --output review.md"] {
        env.write("review.md", "EARLIER EXPORT\n");
        let line = format!("trap '' XFSZ; ulimit -f 8; exec {bin} --db {} {args}", env.db().display());
        let o = Command::new("sh").args(["-c", &line]).current_dir(env.path()).env("LANG", "C").output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("cannot write review.md"), "{err}");
        assert_eq!(std::fs::read_to_string(env.path().join("review.md")).unwrap(), "EARLIER EXPORT\n", "{args}");
        let left: Vec<_> = std::fs::read_dir(env.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
    let ok = env.run(&["export", "1", "--output", "review.md"], "");
    assert_eq!(ok.code, 0, "{}", ok.err);
    assert!(std::fs::read_to_string(env.path().join("review.md")).unwrap().contains("memory grows"));
}

/// Before: `revdrill export` wrote the learner's words to the terminal raw (through `anstream`,
/// which passes everything to a terminal): an answer holding OSC 0 (window title), a clear
/// screen, OSC 52 (clipboard) or a C1 CSI acted on the terminal. Now Markdown shows them
/// escaped and the JSON formats stay valid JSON with `\u00XX` escapes. `phrases`, which lists
/// the learner's best comments, had the same hole. Run in a pty (`script`).
#[test]
fn export_never_sends_the_learners_control_sequences_to_the_terminal() {
    let env = Env::new();
    let answers = env.write(
        "esc.json",
        "{\"answers\": {\"concurrency\": \"leak \\u001b]0;PWNED\\u0007 \\u001b[2J cleared \\u009b31m \\u007f\", \
         \"expression\": \"issue (blocking): `waitOrphaned` leaks a goroutine when ctx is never cancelled, so memory grows \\u001b]0;PWNED\\u0007\"}, \
         \"comments\": [{\"line\": 258, \"body\": \"x \\u001b]52;c;ZWNobyBodWg=\\u0007\"}]}",
    );
    let g = env.run(&["grade", "--drill", SEED, "--answers", answers.to_str().unwrap(), "--save"], "");
    assert_eq!(g.code, 0, "{}", g.err);
    let bin = env!("CARGO_BIN_EXE_revdrill");
    for format in ["md", "conventional", "github", "sarif"] {
        let line = format!("{bin} --db {} export 1 --format {format}", env.db().display());
        let Ok(o) = Command::new("script").args(["-qec", &line, "/dev/null"]).current_dir(env.path()).env("LANG", "C").output()
        else {
            eprintln!("no `script` here: skipped");
            return;
        };
        let out = String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n");
        let raw: Vec<char> = out.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\t')).collect();
        assert!(raw.is_empty(), "{format}: raw controls {raw:?} in {out}");
        if matches!(format, "github" | "sarif") {
            let v = json(&out);
            assert!(v.to_string().contains("52;c;ZWNobyBodWg="), "{format}: {v}");
        } else {
            assert!(out.contains("\\x1b]0;PWNED\\x07"), "{format}: {out}");
        }
    }
    // `phrases` lists the learner's best comments: the same words, escaped.
    let line = format!("{bin} --db {} phrases", env.db().display());
    let o = Command::new("script").args(["-qec", &line, "/dev/null"]).current_dir(env.path()).env("LANG", "C").output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("memory grows \\x1b]0;PWNED\\x07"), "{out}");
}

/// Before: `import` wrote `change.diff`, then `drill.toml`, in place: a full disk left a half
/// `change.diff` (or a cut `drill.toml`, which later imports then refused to replace). Now both
/// are written in a hidden folder and moved in whole; a failure leaves nothing. (The limit is
/// `ulimit -f` with SIGXFSZ ignored: EFBIG, as on a full disk.)
#[test]
fn a_failed_import_leaves_no_half_drill() {
    let env = Env::new();
    let lines: String = (0..300).map(|i| format!("+\tx{i} := compute({i}) // a line to make the diff long\n")).collect();
    let patch = format!(
        "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.com>\n\
         Date: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: [PATCH] shim: compute many things\n\nAdds many computations.\n---\n\
         diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -1,3 +1,303 @@\n package a\n \n func f() {{\n{lines}"
    );
    env.write("big.patch", patch);
    let bin = env!("CARGO_BIN_EXE_revdrill");
    let line = format!("trap '' XFSZ; ulimit -f 16; exec {bin} import --patch big.patch --output out");
    let o = Command::new("sh").args(["-c", &line]).current_dir(env.path()).env("LANG", "C").output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("change.diff: File too large"), "{err}");
    let left: Vec<String> = std::fs::read_dir(env.path().join("out"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    // Without the limit the same import is written whole, and a second one is refused.
    let r = env.run(&["import", "--patch", "big.patch", "--output", "out"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    let folder = env.path().join("out/shim-compute-many-things-1111111");
    assert!(std::fs::read_to_string(folder.join("change.diff")).unwrap().contains("x299 := compute(299)"));
    assert!(folder.join("drill.toml").is_file());
    assert_eq!(std::fs::read_dir(env.path().join("out")).unwrap().count(), 1);
}

/// Before: a line longer than 4095 bytes typed (or pasted) into a terminal was cut by the
/// kernel's line buffer, and the rest dropped without a word (7,000 bytes typed, 4,095 stored).
/// The terminal drops it before revdrill can read it, so now the learner is told at once and
/// types the rest on the next line, which joins the same answer.
#[test]
fn a_line_cut_by_the_terminal_is_said_at_once() {
    let env = Env::new();
    let Some(mut child) = in_terminal(&env, &[]) else {
        eprintln!("no `script` here: skipped");
        return;
    };
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let long: String = (0..1000).map(|i| format!("w{i:05} ")).collect();
    for chunk in long.as_bytes().chunks(512) {
        stdin.write_all(chunk).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }
    stdin.write_all(b"\nthe rest, typed again\n\n").unwrap();
    wait_for_stored(&env, "the rest, typed again");
    stdin.write_all(b"\x04").unwrap();
    stdin.flush().unwrap();
    wait_within(&mut child, Duration::from_secs(60));
    let mut out = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(out.contains("this line reached the terminal's limit of 4095 bytes"), "{}", &out[out.len().saturating_sub(3000)..]);
    let rows = stored(&env);
    let a = json(&rows[0].0)["answers"]["concurrency"].as_str().unwrap().to_string();
    assert!(a.ends_with("\nthe rest, typed again"), "{}", &a[a.len().saturating_sub(100)..]);
}

/// Before: the recovery command printed with a backup named the file unquoted, so in a working
/// folder with a space (`My Reviews`) the pasted command split the path and failed; and it
/// named no `--db`, so with `--db` (or `REVDRILL_DB`) the answers went to another database.
/// Now the path is shell-quoted and `--db` named, and the command, run as printed, stores the
/// answers in the database that failed.
#[test]
fn the_recovery_command_works_from_a_folder_with_spaces() {
    let env = Env::new();
    env.corrupt_db();
    let work = env.path().join("My Reviews 评审 'x'");
    std::fs::create_dir_all(&work).unwrap();
    let answers = env.write("a.json", "{\"answers\": {\"concurrency\": \"the goroutine leaks\"}}");
    let mut cmd = env.cmd(&["grade", "--drill", SEED, "--answers", answers.to_str().unwrap(), "--save"]);
    cmd.current_dir(&work);
    let r = common::run_cmd(cmd, "");
    assert_eq!(r.code, 2, "{}", r.err);
    let command = r.err.lines().find_map(|l| l.strip_prefix("When the database works again, store them with: ")).unwrap();
    assert!(command.ends_with(&format!("--save --db {}", env.db().display())), "{command}");
    // The database works again (here: the damaged file is gone); the command, run as printed
    // from elsewhere, stores the answers in that database.
    std::fs::remove_file(env.db()).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_revdrill")).parent().unwrap().display().to_string();
    let o = Command::new("sh")
        .args(["-c", command])
        .current_dir(env.path())
        .env("PATH", format!("{bin_dir}:{}", std::env::var("PATH").unwrap()))
        .env_remove("REVDRILL_DB")
        .env("XDG_DATA_HOME", env.path().join("xdg"))
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(o.status.success(), "{command}: {}", String::from_utf8_lossy(&o.stderr));
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let stored: String = db.query_row("SELECT answers_json FROM attempts", [], |r| r.get(0)).unwrap();
    assert!(stored.contains("the goroutine leaks"), "{stored}");
}

/// Before: dispute lines piped to `grade --dispute` (or after the answers of a piped `drill`)
/// that were refused printed an error but the run still exited 0, so a script never knew. Now
/// the valid ones are recorded, the refused ones counted on stderr, and the exit code is 2.
#[test]
fn refused_piped_disputes_give_a_non_zero_exit() {
    let env = Env::new();
    let answers = env.write("a.json", "{\"answers\": {\"concurrency\": \"the goroutine leaks\"}}");
    let a = answers.to_str().unwrap();
    let r = env.run(&["grade", "--drill", SEED, "--answers", a, "--save", "--dispute"], "nonsense here\n99 said it\n");
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("<stdin>: 2 dispute line(s) refused"), "{}", r.err);
    let ok = env.run(&["grade", "--drill", SEED, "--answers", a, "--save", "--dispute"], "\n");
    assert_eq!(ok.code, 0, "{}", ok.err);
    let d = env.run(&["drill", SEED], "x\n\n-\n\n-\n\n-\n\nnonsense dispute\n");
    assert_eq!(d.code, 2, "{}", d.err);
    assert!(d.err.contains("<stdin>: 1 dispute line(s) refused"), "{}", d.err);
    let h = env.run(&["history", "1", "--dispute"], "nonsense\n");
    assert_eq!(h.code, 2, "{}", h.err);
}
