//! The binary end to end: every subcommand, both languages, bad input, and the database failing.
//! Each test runs `revdrill` in a fresh temporary folder with its own database.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    out: String,
    err: String,
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("data/revdrill.sqlite")
    }

    /// Runs revdrill with `args` and `stdin`, in the temp folder, with its database.
    fn run(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_revdrill"))
            .args(["--db", self.db().to_str().unwrap()])
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            .env_remove("REVDRILL_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8(o.stdout).unwrap(),
            err: String::from_utf8(o.stderr).unwrap(),
        }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

const SEED: &str = "containerd-shimv1-leak";

/// Answers for the seed drill, piped: one block per checklist item.
const PIPED: &str = "The goroutine might leak if ctx is never cancelled.\n@258 blocker: Get runs on the already cancelled ctx so it fails at once.\n\nErrors other than NotFound are silently ignored.\n\n-\n\nissue: `waitOrphaned` leaks a goroutine when ctx is never cancelled, so memory grows. Could we select on a shutdown context too?\n";

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn list_shows_every_embedded_drill_in_text_and_json() {
    let env = Env::new();
    let r = env.run(&["list", "--format", "json"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json(&r.out);
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&SEED) && ids.len() >= 6, "{ids:?}");
    assert!(v.as_array().unwrap().iter().any(|d| d["language"] == "rust"));
    let r = env.run(&["list"], "");
    assert!(r.out.contains(SEED) && r.out.contains("fix: shimv1 leak issue"));
}

#[test]
fn show_json_has_the_drill_but_not_its_answer_key() {
    let env = Env::new();
    let r = env.run(&["show", SEED, "--format", "json"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json(&r.out);
    for key in ["id", "title", "source", "purpose", "language", "difficulty", "checklist", "diff"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["source"], "https://github.com/containerd/containerd/pull/9344");
    assert!(v["diff"].as_str().unwrap().contains("s.tasks.Delete(ctx, id)"));
    let items: Vec<&str> = v["checklist"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(items, ["concurrency", "error-paths", "testing", "expression"]);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    for leaked in ["findings", "traps", "decoys", "concepts"] {
        assert!(!keys.iter().any(|k| *k == leaked), "answer key field `{leaked}` leaked");
    }
    for item in v["checklist"].as_array().unwrap() {
        let mut k: Vec<&String> = item.as_object().unwrap().keys().collect();
        k.sort();
        assert_eq!(k, ["id", "kind", "prompt"]);
    }
    assert!(!r.out.contains("context.WithoutCancel"), "a suggestion leaked");
}

#[test]
fn show_text_numbers_new_file_lines_and_has_no_colour_when_piped() {
    let env = Env::new();
    let r = env.run(&["show", SEED], "");
    assert!(r.out.contains("      258 +        if _, err := s.tasks.Get(ctx, id)"), "{}", r.out);
    assert!(!r.out.contains('\u{1b}'), "escape codes in piped output");
}

#[test]
fn grade_json_follows_the_contract() {
    let env = Env::new();
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog").join(SEED).join("answers/model-en.json");
    let r = env.run(&["grade", "--drill", SEED, "--answers", model.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json(&r.out);
    assert_eq!(v["drill"], SEED);
    assert!(v["score"].as_u64().unwrap() >= 95);
    let f = &v["findings"][0];
    for key in ["id", "verdict", "evidence", "category", "severity"] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["verdict"] == "hit"));
    assert!(v["traps"].is_array() && v["comment"]["score"].is_u64());
}

#[test]
fn grade_reads_stdin_and_explains_in_chinese() {
    let env = Env::new();
    let answers = r#"{"drill":"containerd-shimv1-leak","answers":{"concurrency":"如果 ctx 一直不被 cancel，这个 goroutine 会泄露。不存在竞态。"}}"#;
    let r = env.run(&["--lang", "zh", "grade", "--drill", SEED, "--answers", "-", "--explain"], answers);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("每个要点的判定依据"), "{}", r.out);
    assert!(r.out.contains("goroutine-lifetime") && r.out.contains("命中"));
    assert!(r.out.contains("✗race"), "negation not shown: {}", r.out);
    let r = env.run(&["grade", "--drill", SEED, "--answers", "-", "--format", "json"], answers);
    let v = json(&r.out);
    let verdict = |id: &str| v["findings"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap()["verdict"].clone();
    assert_eq!(verdict("goroutine-lifetime"), "hit");
    assert_eq!(verdict("check-then-act-race"), "miss");
}

#[test]
fn grade_rejects_bad_answers_with_file_line_and_field() {
    let env = Env::new();
    let bad_item = env.write(
        "bad-item.json",
        "{\n  \"drill\": \"containerd-shimv1-leak\",\n  \"answers\": {\n    \"concurency\": \"typo\"\n  }\n}\n",
    );
    let r = env.run(&["grade", "--drill", SEED, "--answers", bad_item.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("bad-item.json:4: answers.concurency: no checklist item `concurency`"), "{}", r.err);

    let bad_line = env
        .write("bad-line.json", "{\"drill\": \"containerd-shimv1-leak\",\n \"comments\": [{\"line\": 9999, \"body\": \"x\"}]}");
    let r = env.run(&["grade", "--drill", SEED, "--answers", bad_line.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("bad-line.json:2: comments[0].line: line 9999 is not shown"), "{}", r.err);

    let broken = env.write("broken.json", "{\n\"drill\": \"x\",\n\"answers\": {\"a\": }\n}");
    let r = env.run(&["grade", "--drill", SEED, "--answers", broken.to_str().unwrap()], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("broken.json:3:"), "{}", r.err);

    let r = env.run(&["grade", "--drill", "no-such-drill", "--answers", "-"], "{}");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("no-such-drill"), "{}", r.err);
}

#[test]
fn drill_with_piped_answers_gives_item_feedback_saves_then_shows_history() {
    let env = Env::new();
    let r = env.run(&["drill", SEED], PIPED);
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    assert!(r.out.contains("[1/4] Concurrency"));
    assert!(r.out.contains("found goroutine-lifetime"), "{}", r.out);
    assert!(r.out.contains("missed check-then-act-race"), "{}", r.out);
    assert!(r.out.contains("Reference review") && r.out.contains("Comment score:"));
    assert!(r.out.contains("Saved as attempt #1"), "{}", r.out);
    let h = json(&env.run(&["history", "--format", "json"], "").out);
    assert_eq!(h[0]["drill_id"], SEED);
    let score = h[0]["score"].as_u64().unwrap();
    assert!((40..95).contains(&score), "{score}");
    let s = json(&env.run(&["stats", "--format", "json"], "").out);
    assert!(s["categories"].as_array().unwrap().iter().any(|c| c["category"] == "testing" && c["score"] == 0));
    let text = env.run(&["--lang", "zh", "stats"], "").out;
    assert!(text.contains("最弱项") && text.contains("测试"), "{text}");
}

#[test]
fn drill_speaks_chinese_from_the_flag_or_the_locale() {
    let env = Env::new();
    let r = env.run(&["--lang", "zh", "drill", SEED], PIPED);
    assert!(r.out.contains("变更目的") && r.out.contains("参考评审"), "{}", r.out);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_revdrill"));
    let o = cmd
        .args(["--db", env.db().to_str().unwrap(), "show", SEED])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8(o.stdout).unwrap().contains("变更目的"));
}

#[test]
fn drill_without_id_offers_the_seed_first_then_another() {
    let env = Env::new();
    let first = env.run(&["drill"], PIPED);
    assert!(first.out.starts_with(SEED), "{}", &first.out[..80]);
    let second = env.run(&["drill"], "");
    assert!(!second.out.starts_with(SEED), "{}", &second.out[..80]);
}

/// A line `e` opens `$EDITOR` only from a terminal: on a pipe the editor would read the rest of
/// the pipe, so `e` is text there (the editor itself is tested in `input.rs`).
#[test]
fn a_piped_line_e_is_text_and_starts_no_editor() {
    let env = Env::new();
    let marker = env.dir.path().join("editor-ran");
    let editor = env.write("editor.sh", &format!("#!/bin/sh\ntouch '{}'\n", marker.display()));
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_revdrill"))
        .args(["--db", env.db().to_str().unwrap(), "--lang", "en", "drill", SEED])
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"-\n\ne\n\nErrors other than NotFound are silently ignored.\n").unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    assert!(!marker.exists(), "the editor was started on a pipe");
    assert!(out.contains("[3/4]") && out.contains("Saved as attempt"), "{out}");
}

fn fallback_file(env: &Env) -> Option<serde_json::Value> {
    let f = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with("revdrill-attempt-"))?;
    Some(json(&std::fs::read_to_string(f.path()).unwrap()))
}

#[test]
fn corrupt_database_is_reported_and_answers_are_written_to_a_file() {
    let env = Env::new();
    env.write("data/revdrill.sqlite", &"not a database ".repeat(400));
    let r = env.run(&["drill", SEED], PIPED);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.err.contains("damaged or not a revdrill database"), "{}", r.err);
    let saved = fallback_file(&env).expect("answers written to a file");
    assert!(saved["answers"]["concurrency"].as_str().unwrap().contains("never cancelled"));
    assert!(saved.get("score").is_none(), "the backup must be an answers file: {saved}");
    assert!(r.out.contains("your answers are saved in"), "{}", r.out);
}

#[test]
fn locked_database_is_reported_and_answers_are_written_to_a_file() {
    let env = Env::new();
    env.run(&["history"], "");
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let r = env.run(&["drill", SEED], PIPED);
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.err.contains("is locked by another process"), "{}", r.err);
    assert!(fallback_file(&env).is_some());
    drop(holder);
}

#[test]
fn template_prints_both_languages_and_writes_a_file() {
    let env = Env::new();
    let en = env.run(&["template"], "").out;
    assert!(en.starts_with("# Pull request review") && en.contains("issue (blocking)"));
    let zh = env.run(&["--lang", "zh", "template"], "").out;
    assert!(zh.contains("检查清单"));
    let r = env.run(&["template", "-o", "review.md"], "");
    assert_eq!(r.code, 0);
    assert_eq!(std::fs::read_to_string(env.dir.path().join("review.md")).unwrap(), en);
}

const MINI_DIFF: &str = "--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,3 @@\n func f() {\n+\tgo work()\n }\n";

fn mini_drill(id: &str, extra: &str) -> String {
    format!(
        r#"id = "{id}"
title = "add worker"
source = "https://github.com/example/example/pull/1"
language = "go"
difficulty = "easy"
purpose = {{ en = "Start a worker.", zh = "启动一个 worker。" }}
new_logic = {{ en = ["starts work"], zh = ["启动 work"] }}

[[checklist]]
id = "concurrency"
covers = ["unbounded"]
prompt = {{ en = "Can it leak?", zh = "会泄露吗？" }}

[concepts]
no-stop = {{ en = ["no way to stop"], zh = ["无法停止"] }}

[[findings]]
id = "unbounded"
category = "concurrency"
severity = "major"
lines = [2]
hit = [["goroutine", "no-stop"]]
problem = {{ en = "p", zh = "问题" }}
risk = {{ en = "r", zh = "风险" }}
suggestion = {{ en = "s", zh = "建议" }}
comment = "issue: the goroutine has no way to stop."
{extra}"#
    )
}

#[test]
fn packs_check_reports_each_problem_with_file_line_and_field() {
    let env = Env::new();
    env.write("pack/good/drill.toml", &mini_drill("good-one", ""));
    env.write("pack/good/change.diff", MINI_DIFF);
    let bad = mini_drill("bad-one", "")
        .replace("lines = [2]", "lines = [2, 40]")
        .replace("hit = [[\"goroutine\", \"no-stop\"]]", "hit = [[\"goroutine\", \"nowhere\"]]")
        .replace("covers = [\"unbounded\"]", "covers = [\"unbounded\", \"ghost\"]")
        .replace("zh = \"风险\"", "zh = \"\"");
    env.write("pack/bad/drill.toml", &bad);
    env.write("pack/bad/change.diff", MINI_DIFF);
    env.write("pack/syntax/drill.toml", "id = \"s\"\ntitle = \"t\"\nsource = 3\n");
    env.write("pack/syntax/change.diff", MINI_DIFF);
    let r = env.run(&["packs", "check", "pack"], "");
    assert_eq!(r.code, 1, "{}\n{}", r.out, r.err);
    assert!(r.out.contains("ok good-one"));
    let expect = [
        "pack/bad/drill.toml:11: checklist[0].covers[1]: no finding has id `ghost`",
        "pack/bad/drill.toml:21: findings[0].lines[1]: line 40 is not a new-file line of the diff",
        "pack/bad/drill.toml:24: findings[0].risk.zh: must not be empty",
        "pack/syntax/drill.toml:3: source: invalid type: integer `3`, expected a string",
    ];
    for e in expect {
        assert!(r.err.contains(e), "missing `{e}` in:\n{}", r.err);
    }
    let r = env.run(
        &["--packs", "pack/good", "grade", "--drill", "good-one", "--answers", "-", "--format", "json"],
        r#"{"answers": {"concurrency": "This goroutine has no way to stop."}}"#,
    );
    assert_eq!(json(&r.out)["findings"][0]["verdict"], "hit", "{}", r.err);
}

#[test]
fn packs_check_on_the_catalog_passes_and_a_weak_model_answer_fails() {
    let env = Env::new();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let r = env.run(&["packs", "check", catalog.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(!r.err.contains("AUDIT.md"), "every catalog drill is audited:\n{}", r.err);
    env.write("pack/weak/drill.toml", &mini_drill("weak-one", ""));
    env.write("pack/weak/change.diff", MINI_DIFF);
    env.write("pack/weak/answers/model-en.json", r#"{"drill": "weak-one", "answers": {"concurrency": "looks fine"}}"#);
    let r = env.run(&["packs", "check", "pack"], "");
    assert_eq!(r.code, 1);
    assert!(r.err.contains("model-en.json: model answer scores 0"), "{}", r.err);
}

#[test]
fn packs_check_warns_without_failing_on_a_drill_with_no_audit_notes() {
    let env = Env::new();
    env.write("pack/plain/drill.toml", &mini_drill("plain-one", ""));
    env.write("pack/plain/change.diff", MINI_DIFF);
    env.write("pack/audited/drill.toml", &mini_drill("audited-one", ""));
    env.write("pack/audited/change.diff", MINI_DIFF);
    env.write("pack/audited/AUDIT.md", "# Audit\n\nGrade: A\n");
    let r = env.run(&["packs", "check", "pack"], "");
    assert_eq!(r.code, 0, "a missing audit is a warning, not a failure:\n{}", r.err);
    assert!(r.out.contains("ok plain-one") && r.out.contains("ok audited-one"), "{}", r.out);
    assert!(r.err.contains("warning:") && r.err.contains("pack/plain/AUDIT.md: no audit notes"), "{}", r.err);
    assert!(!r.err.contains("pack/audited/AUDIT.md"), "{}", r.err);
    assert!(r.out.contains("2 drills valid, 0 problems, 1 not audited"), "{}", r.out);
    let r = env.run(&["--lang", "zh", "packs", "check", "pack"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("警告：") && r.err.contains("没有审核记录"), "{}", r.err);
}

#[test]
fn invalid_extra_pack_is_a_clear_error_for_every_command() {
    let env = Env::new();
    env.write("pack/broken/drill.toml", "id = \"x\"\n");
    let r = env.run(&["--packs", "pack", "list"], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("invalid drill pack") && r.err.contains("pack/broken/drill.toml"), "{}", r.err);
}

#[test]
fn rules_lists_and_documents_the_analyzer_rules() {
    let env = Env::new();
    let r = env.run(&["rules"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("GO002") && r.out.contains("goroutine-waits-only-on-context"), "{}", r.out);
    let r = env.run(&["rules", "GO003"], "");
    assert!(r.out.contains("## What it does") && r.out.contains("## Why is this bad?"), "{}", r.out);
    let r = env.run(&["rules", "GO999"], "");
    assert_eq!(r.code, 2);
}

#[test]
fn analyze_reports_the_seed_drill_findings_with_exit_code_1() {
    let env = Env::new();
    let diff = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog").join(SEED).join("change.diff");
    let r = env.run(&["analyze", "--diff", diff.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(r.code, 1, "{}", r.err);
    let codes: Vec<String> = json(&r.out).as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect();
    for c in ["GO002", "GO003", "GO004", "GO005"] {
        assert!(codes.iter().any(|x| x == c), "{c} missing from {codes:?}");
    }
    let sarif = json(&env.run(&["analyze", "--diff", diff.to_str().unwrap(), "--format", "sarif"], "").out);
    assert_eq!(sarif["version"], "2.1.0");
    let clean = env.write("clean/ok.go", "package ok\n\nfunc Add(a, b int) int { return a + b }\n");
    let r = env.run(&["analyze", clean.parent().unwrap().to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let r = env.run(&["analyze", "no/such/dir"], "");
    assert_eq!(r.code, 2, "{}", r.err);
}

#[test]
fn packs_check_prints_the_corpus_figures_and_rejects_a_bad_corpus() {
    let env = Env::new();
    env.write("pack/good/drill.toml", &mini_drill("good-one", ""));
    env.write("pack/good/change.diff", MINI_DIFF);
    let corpus = r#"drill = "good-one"

[[case]]
answer = "This goroutine has no way to stop."
lang = "en"
kind = "strong"
expect = { unbounded = "found" }

[[case]]
answer = "Looks fine to me."
lang = "en"
kind = "vague"
"#;
    env.write("pack/corpus/batch1/good-one.toml", corpus);
    let r = env.run(&["packs", "check", "pack"], "");
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    assert!(r.out.contains("corpus good-one: 2 cases, agreement 1.000, false credit 0.000 (0/1), missed 0/1"), "{}", r.out);
    env.write(
        "pack/corpus/wrong.toml",
        "drill = \"good-one\"\n[[case]]\nanswer = \"x\"\nlang = \"en\"\nkind = \"vague\"\nexpect = { ghost = \"found\" }\n",
    );
    let r = env.run(&["packs", "check", "pack"], "");
    assert_eq!(r.code, 1);
    assert!(r.err.contains("wrong.toml") && r.err.contains("unknown finding `ghost`"), "{}", r.err);
}
