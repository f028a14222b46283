//! Validation gaps found by a hostile probe (issue 9): a folder walk that never ends, anchors
//! left unchecked, line numbers that wrap, control characters that would reach the terminal,
//! and two drills with one id. Each case goes through one `check(toml, diff, expect)` helper.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use revdrill_pack::{DrillFiles, Origin, duplicate_ids, load_drill, load_pack};

/// A small valid drill; tests replace parts of it.
const TOML: &str = r#"id = "tiny"
title = "fix: close the body"
source = "https://github.com/example/example/pull/1"
language = "go"
difficulty = "easy"

[purpose]
en = "Close the body."
zh = "关闭 body。"

[new_logic]
en = ["Closes it."]
zh = ["关闭它。"]

[[checklist]]
id = "leaks"
covers = ["body-leak"]
prompt = { en = "Leaks?", zh = "泄漏？" }

[[findings]]
id = "body-leak"
category = "resource-leak"
severity = "major"
lines = [2]
hit = [["leak"]]
problem = { en = "p", zh = "问题" }
risk = { en = "r", zh = "风险" }
suggestion = { en = "s", zh = "建议" }
comment = "issue: the body leaks."
"#;

const DIFF: &str = "--- a/x.go\n+++ b/x.go\n@@ -1,2 +1,3 @@\n a\n+b\n c\n";

/// Loads (toml, diff) from memory and compares the problems, one `line: field: message` each
/// (or `ok`), with `expect`.
fn check(toml: &str, diff: &str, expect: &str) {
    let files = BTreeMap::from([("drill.toml".to_string(), toml.to_string()), ("change.diff".to_string(), diff.to_string())]);
    let got = match load_drill(&DrillFiles { dir: "d".into(), origin: Origin::Dir("d".into()), files }) {
        Ok(_) => "ok".to_string(),
        Err(e) => {
            e.0.iter()
                .map(|p| format!("{}:{}: {}: {}", p.file, p.line.map_or("-".into(), |l| l.to_string()), p.field, p.message))
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    assert_eq!(got, expect);
}

#[test]
fn the_base_drill_is_valid() {
    check(TOML, DIFF, "ok");
}

#[test]
fn an_empty_hunk_is_refused_and_does_not_turn_off_anchor_checks() {
    // Before: the empty hunk made the set of shown lines empty, and an empty set meant "do not
    // check", so the anchor on line 99 passed.
    let toml = TOML.replace("lines = [2]", "lines = [99]");
    check(
        &toml,
        "--- a/x.go\n+++ b/x.go\n@@ -0,0 +0,0 @@\n",
        "d/change.diff:3: : empty hunk `@@ -0,0 +0,0 @@`: a hunk needs at least one line",
    );
    // A diff that only removes lines shows no new line: every anchor is wrong.
    check(
        &toml,
        "--- a/x.go\n+++ b/x.go\n@@ -1,1 +0,0 @@\n-a\n",
        concat!(
            "d/drill.toml:24: findings[0].lines[0]: line 99 is not a new-file line of the diff\n",
            "d/drill.toml:24: findings[0].lines: a finding needs at least one anchor line"
        ),
    );
}

#[test]
fn a_hunk_start_near_u32_max_is_a_located_error_not_a_wrap() {
    check(
        TOML,
        "--- a/x.go\n+++ b/x.go\n@@ -1,2 +4294967295,3 @@\n a\n+b\n c\n",
        "d/change.diff:3: : hunk `@@ -1,2 +4294967295,3 @@`: new-file lines 4294967295 + 3 go past 4294967295",
    );
}

#[test]
fn a_huge_decoy_range_beside_a_broken_diff_is_answered_at_once() {
    // Before: with the diff broken no line was checked, and the decoy's range was then walked
    // number by number (four billion of them) against every finding's anchors.
    let toml = format!("{TOML}\n[[decoys]]\nid = \"wide\"\nlines = [\"3-4294967295\"]\nwhy = {{ en = \"w\", zh = \"w\" }}\n");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let files = BTreeMap::from([("drill.toml".to_string(), toml), ("change.diff".to_string(), "not a diff\n".to_string())]);
        let errs = load_drill(&DrillFiles { dir: "d".into(), origin: Origin::Dir("d".into()), files }).unwrap_err();
        let _ = tx.send(errs.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>());
    });
    let got = rx.recv_timeout(Duration::from_secs(30)).expect("validation did not finish in 30 s");
    assert_eq!(got, [": no `---`/`+++` file header found: not a unified diff"]);
}

#[test]
fn control_characters_in_texts_are_refused_with_their_field() {
    let toml = TOML.replace("fix: close the body", "fix\\u001b]0;pwned\\u0007");
    check(&toml, DIFF, "d/drill.toml:2: title: control character U+001B is not allowed in a one-line text");
    let toml = TOML.replace("Close the body.\"", "Close\\u001b[2J the body.\"");
    check(&toml, DIFF, "d/drill.toml:8: purpose.en: control character U+001B is not allowed in a text");
    let toml = TOML.replace("issue: the body leaks.", "issue: \\u009b2J leaks.");
    check(&toml, DIFF, "d/drill.toml:29: findings[0].comment: control character U+009B is not allowed in a text");
    // A newline is fine in a paragraph, not in a title.
    check(&TOML.replace("Close the body.", "Close\\nthe body.\\tok"), DIFF, "ok");
    check(
        &TOML.replace("fix: close the body", "fix:\\nclose"),
        DIFF,
        "d/drill.toml:2: title: control character U+000A is not allowed in a one-line text",
    );
}

fn write_drill(dir: &Path, id: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("drill.toml"), TOML.replace("\"tiny\"", &format!("\"{id}\""))).unwrap();
    std::fs::write(dir.join("change.diff"), DIFF).unwrap();
}

#[cfg(unix)]
#[test]
fn symlinks_to_the_folder_itself_do_not_make_the_walk_endless() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    write_drill(&pack.join("tiny"), "tiny");
    // Two links to `.` inside the drill and one inside the pack: followed, they make 2^depth
    // paths to walk before the path length runs out.
    std::os::unix::fs::symlink(".", pack.join("tiny/a")).unwrap();
    std::os::unix::fs::symlink(".", pack.join("tiny/b")).unwrap();
    std::os::unix::fs::symlink(".", pack.join("loop")).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (drills, errs) = load_pack(&pack);
        let _ = tx.send((drills.iter().map(|d| d.id.clone()).collect::<Vec<_>>(), errs.0.len()));
    });
    let (ids, errors) = rx.recv_timeout(Duration::from_secs(60)).expect("the pack walk did not finish in 60 s");
    assert_eq!((ids, errors), (vec!["tiny".to_string()], 0));
}

#[test]
fn two_drills_with_one_id_are_an_error_naming_both_files() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    write_drill(&pack.join("one"), "tiny");
    write_drill(&pack.join("two"), "tiny");
    let (drills, errs) = load_pack(&pack);
    assert!(errs.0.is_empty(), "{errs}");
    let dups = duplicate_ids(&drills);
    assert_eq!(dups.len(), 1, "{dups:?}");
    let msg = dups[0].to_string();
    let (one, two) = (pack.join("one/drill.toml"), pack.join("two/drill.toml"));
    assert!(msg.starts_with(&format!("{}:1: id: drill id `tiny` is also the id of {}", two.display(), one.display())), "{msg}");
}

#[test]
fn an_oversized_file_in_a_drill_folder_is_refused_without_reading_it_all() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny");
    write_drill(&dir, "tiny");
    std::fs::create_dir(dir.join("answers")).unwrap();
    let big = dir.join("answers/huge.json");
    std::fs::write(&big, vec![b' '; revdrill_pack::MAX_FILE_SIZE as usize + 1]).unwrap();
    let err = revdrill_pack::load_dir(&dir).unwrap_err().to_string();
    assert_eq!(err, format!("{}: larger than 8388608 bytes: drill files are meant to be small", big.display()));
}
