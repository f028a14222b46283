//! Each export checked against its specification: SARIF 2.1.0 (the `required` lists, enums and
//! minimums of the OASIS schema, by hand), GitHub's documented create-a-review fields and
//! types, and the Conventional Comments labels in the Markdown.

use revdrill_catalog::{Catalog, SEED_DRILL};
use revdrill_pack::{AnswerSet, Drill, Lang, LineComment, Severity};
use revdrill_practice::export::{self, Format, Review};
use serde_json::Value;

fn drill() -> Drill {
    let c = Catalog::load(&[] as &[&str]).unwrap();
    c.get(SEED_DRILL).unwrap().clone()
}

/// A line the drill's first file shows on its new side.
fn shown_line(d: &Drill) -> u32 {
    d.diff[0].lines().find_map(|l| l.new_line).unwrap()
}

fn answers(d: &Drill) -> AnswerSet {
    let line = shown_line(d);
    let mut a = AnswerSet { drill: d.id.clone(), ..Default::default() };
    a.answers.insert(d.checklist[0].id.clone(), "The goroutine outlives the request.".into());
    let sevs = [Some(Severity::Blocker), Some(Severity::Major), Some(Severity::Minor), Some(Severity::Nit), None];
    for (i, s) in sevs.into_iter().enumerate() {
        a.comments.push(LineComment { line, file: None, severity: s, body: format!("comment {i} about `ctx`") });
    }
    a
}

fn review<'a>(d: &'a Drill, a: &'a AnswerSet, lang: Lang) -> Review<'a> {
    Review { drill: d, answers: a, attempt: 7, score: Some(61), lang }
}

/// The JSON type names of the specifications.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Bool(_) => "boolean",
        Value::Null => "null",
    }
}

/// (field, type, required) as GitHub's REST reference documents the request body of
/// "Create a review for a pull request".
const GITHUB_REVIEW: &[(&str, &str, bool)] =
    &[("commit_id", "string", false), ("body", "string", false), ("event", "string", false), ("comments", "array", false)];
/// The same for each object of `comments`.
const GITHUB_COMMENT: &[(&str, &str, bool)] = &[
    ("path", "string", true),
    ("position", "integer", false),
    ("body", "string", true),
    ("line", "integer", false),
    ("side", "string", false),
    ("start_line", "integer", false),
    ("start_side", "string", false),
];

fn check_fields(obj: &Value, table: &[(&str, &str, bool)], what: &str) {
    let map = obj.as_object().unwrap_or_else(|| panic!("{what} is not an object"));
    for key in map.keys() {
        assert!(table.iter().any(|(k, _, _)| k == key), "{what}: `{key}` is not a documented field");
    }
    for (k, ty, required) in table {
        match map.get(*k) {
            Some(v) => assert_eq!(json_type(v), *ty, "{what}.{k}"),
            None => assert!(!required, "{what}: required `{k}` is missing"),
        }
    }
}

#[test]
fn github_body_has_the_documented_fields_and_types() {
    let d = drill();
    let a = answers(&d);
    let v: Value = serde_json::from_str(&export::render(&review(&d, &a, Lang::En), Format::Github)).unwrap();
    check_fields(&v, GITHUB_REVIEW, "review");
    assert_eq!(v["event"], "COMMENT");
    // `body` is required when the event is COMMENT.
    assert!(v["body"].as_str().is_some_and(|b| b.contains("outlives the request")));
    let comments = v["comments"].as_array().unwrap();
    assert_eq!(comments.len(), a.comments.len());
    for (c, mine) in comments.iter().zip(&a.comments) {
        check_fields(c, GITHUB_COMMENT, "comment");
        assert_eq!(c["side"], "RIGHT");
        assert_eq!(c["line"], mine.line);
        assert_eq!(c["path"], d.diff[0].path());
        assert!(c["body"].as_str().unwrap().ends_with(&mine.body));
    }
}

#[test]
fn github_body_is_never_empty_without_free_text() {
    let d = drill();
    let mut a = answers(&d);
    a.answers.clear();
    let v = export::github(&review(&d, &a, Lang::Zh));
    assert!(v["body"].as_str().is_some_and(|b| !b.trim().is_empty()));
}

/// `required` lists of the SARIF 2.1.0 schema for the objects revdrill writes, as JSON pointers
/// from the log (`*` = every element).
const SARIF_REQUIRED: &[(&str, &[&str])] = &[
    ("", &["version", "runs"]),
    ("/runs/*", &["tool"]),
    ("/runs/*/tool", &["driver"]),
    ("/runs/*/tool/driver", &["name"]),
    ("/runs/*/results/*", &["message"]),
];

fn at<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut cur = vec![v];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        cur = cur
            .into_iter()
            .flat_map(|x| match seg {
                "*" => x.as_array().map(|a| a.iter().collect()).unwrap_or_default(),
                k => x.get(k).into_iter().collect::<Vec<_>>(),
            })
            .collect();
    }
    cur
}

#[test]
fn sarif_meets_the_schema_requirements() {
    let d = drill();
    let a = answers(&d);
    let log: Value = serde_json::from_str(&export::render(&review(&d, &a, Lang::En), Format::Sarif)).unwrap();
    for (path, required) in SARIF_REQUIRED {
        let objs = at(&log, path);
        assert!(!objs.is_empty(), "nothing at {path}");
        for o in objs {
            for r in *required {
                assert!(o.get(*r).is_some(), "{path} lacks required `{r}`");
            }
        }
    }
    assert_eq!(log["version"], "2.1.0", "the schema's version enum");
    assert!(log["$schema"].as_str().unwrap().ends_with("sarif-schema-2.1.0.json"));
    let results = at(&log, "/runs/*/results/*");
    assert_eq!(results.len(), a.comments.len(), "one result per inline comment");
    let want = ["error", "error", "warning", "note", "note"];
    for ((res, mine), level) in results.iter().zip(&a.comments).zip(want) {
        // message: anyOf [text] / [id]; level: enum none|note|warning|error.
        assert!(res["message"]["text"].as_str().is_some_and(|t| t.contains(&mine.body)));
        assert_eq!(res["level"], level, "{:?}", mine.severity);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d.diff[0].path());
        // region.startLine: integer, minimum 1.
        assert_eq!(loc["region"]["startLine"], mine.line);
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn markdown_labels_follow_conventional_comments() {
    let d = drill();
    let a = answers(&d);
    for lang in [Lang::En, Lang::Zh] {
        let md = export::render(&review(&d, &a, lang), Format::Markdown);
        for (i, label) in ["issue (blocking)", "issue", "suggestion", "nitpick", "note"].iter().enumerate() {
            let line = format!("{label}: comment {i} about `ctx`");
            assert!(md.lines().any(|l| l == line), "{lang:?}: no line `{line}` in\n{md}");
        }
        assert!(md.contains("The goroutine outlives the request."), "summary section");
        assert!(md.contains(&format!("`{}:{}`", d.diff[0].path(), shown_line(&d))));
    }
    let en = export::markdown(&review(&d, &a, Lang::En));
    let zh = export::markdown(&review(&d, &a, Lang::Zh));
    assert!(en.contains("## Summary") && zh.contains("## 总结"));
}

#[test]
fn conventional_is_the_comments_with_their_locations() {
    let d = drill();
    let a = answers(&d);
    let text = export::render(&review(&d, &a, Lang::En), Format::Conventional);
    assert!(text.starts_with(&format!("<!-- {}:{} -->\nissue (blocking): comment 0", d.diff[0].path(), shown_line(&d))));
    assert!(text.contains("note: **"), "free text as a note");
}

#[test]
fn a_comment_names_its_own_file_when_it_has_one() {
    let d = drill();
    let mut a = answers(&d);
    a.comments[0].file = Some("other/file.go".into());
    let v = export::github(&review(&d, &a, Lang::En));
    assert_eq!(v["comments"][0]["path"], "other/file.go");
}
