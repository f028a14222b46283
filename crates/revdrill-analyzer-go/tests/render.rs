//! Output formats: SARIF 2.1.0 structure, GitHub review comments, JSON round trip, text frames.

use revdrill_analyzer_go::{Lang, Options, analyze_source, render, rules};
use serde_json::Value;

const SRC: &str = "package p\n\nfunc f(s *S) {\n\ts.store.Delete(ctx, \"a\")\n\tfor {\n\t\tselect {\n\t\tcase <-ch:\n\t\tdefault:\n\t\t}\n\t}\n}\ntype S struct{ store *T }\ntype T struct{}\nfunc (*T) Delete(ctx context.Context, k string) error { return nil }\n";

fn diags() -> Vec<revdrill_analyzer_go::Diagnostic> {
    let d = analyze_source("pkg/p.go", SRC.as_bytes(), &Options::default());
    assert!(d.len() >= 2, "{d:#?}");
    d
}

/// The properties SARIF 2.1.0 requires (sarifLog, run, tool, toolComponent, result, message,
/// location, region), checked by hand against the schema's `required` lists.
#[test]
fn sarif_has_the_required_structure() {
    let d = diags();
    let log: Value = serde_json::from_str(&render::sarif(&d, Lang::En)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert!(driver["name"].is_string());
    let rule_list = driver["rules"].as_array().unwrap();
    assert_eq!(rule_list.len(), rules().count());
    for r in rule_list {
        assert!(r["id"].is_string());
        assert!(r["shortDescription"]["text"].is_string());
        assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), d.len());
    for (res, diag) in results.iter().zip(&d) {
        assert_eq!(res["ruleId"], diag.code);
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_list[idx]["id"], diag.code, "ruleIndex points at the rule");
        assert!(res["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "pkg/p.go");
        let region = &loc["region"];
        assert_eq!(region["startLine"], diag.line);
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1);
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
    }
}

#[test]
fn github_review_comments() {
    let d = diags();
    let review: Value = serde_json::from_str(&render::github(&d, Lang::Zh)).unwrap();
    assert_eq!(review["event"], "COMMENT");
    let comments = review["comments"].as_array().unwrap();
    assert_eq!(comments.len(), d.len());
    for (c, diag) in comments.iter().zip(&d) {
        assert_eq!(c["path"], "pkg/p.go");
        assert_eq!(c["side"], "RIGHT");
        assert_eq!(c["line"], diag.end_line);
        assert!(c["body"].as_str().unwrap().contains(&diag.message.zh));
    }
}

#[test]
fn json_lists_both_languages() {
    let d = diags();
    let v: Value = serde_json::from_str(&render::json(&d)).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["code"], d[0].code);
    assert_eq!(first["message"]["en"], d[0].message.en.as_str());
    assert_eq!(first["message"]["zh"], d[0].message.zh.as_str());
    assert_eq!(first["line"], d[0].line);
}

#[test]
fn text_frame_underlines_the_span() {
    let d = diags();
    let text = render::text(&d[..1], Lang::En);
    insta::assert_snapshot!(text);
}
