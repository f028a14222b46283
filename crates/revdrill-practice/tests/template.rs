//! The personal template: unchanged without history; weakest categories first, with the
//! questions most often missed; different for two learners with different histories.

use revdrill_catalog::review_template;
use revdrill_pack::{Category, Lang};
use revdrill_practice::template::{Missed, Strength, personalize};

fn s(category: Category, share: f64) -> Strength {
    Strength { category, share }
}

fn m(category: Category, drill: &str, question: &str, times: u32) -> Missed {
    Missed { category, drill: drill.into(), question: question.into(), problem: format!("problem of {drill}"), times }
}

/// The first cell of the checklist table's first row.
fn first_row(t: &str) -> String {
    let sep = t.lines().position(|l| l.starts_with("| ---")).unwrap();
    t.lines().nth(sep + 1).unwrap().split('|').nth(1).unwrap().trim().to_string()
}

#[test]
fn without_history_the_template_is_the_generic_one() {
    for lang in [Lang::En, Lang::Zh] {
        assert_eq!(personalize(review_template(lang), lang, &[], &[]), review_template(lang));
        let strong = [s(Category::Security, 0.95)];
        assert_eq!(personalize(review_template(lang), lang, &strong, &[]), review_template(lang));
    }
}

#[test]
fn two_learners_with_different_histories_get_different_templates() {
    let base = review_template(Lang::En);
    let a = personalize(
        base,
        Lang::En,
        &[s(Category::Security, 0.2), s(Category::Concurrency, 0.9)],
        &[
            m(Category::Security, "stereoscope-untar-traversal", "Which input reaches the path?", 3),
            m(Category::Security, "hyper-to-bytes-reserve", "How big can it get?", 1),
        ],
    );
    let b = personalize(
        base,
        Lang::En,
        &[s(Category::Security, 0.9), s(Category::Testing, 0.1), s(Category::Concurrency, 0.5)],
        &[m(Category::Testing, "moby-plugin-body-leak", "Which test fails without the change?", 2)],
    );
    assert_ne!(a, b);
    assert_eq!(first_row(&a), "Security");
    assert_eq!(first_row(&b), "Tests");
    // Learner A: security first, the most missed question before the less missed one.
    let focus = &a[a.find("## 0. Your focus").unwrap()..a.find("## 1.").unwrap()];
    let (three, one) = (focus.find("Which input reaches the path?").unwrap(), focus.find("How big can it get?").unwrap());
    assert!(three < one, "{focus}");
    assert!(focus.contains("missed 3 times") && focus.contains("### security (20%)"), "{focus}");
    assert!(!focus.contains("concurrency"), "strong categories are not listed: {focus}");
    // Learner B: testing (10%) before concurrency (50%).
    let focus = &b[b.find("## 0.").unwrap()..b.find("## 1.").unwrap()];
    assert!(focus.find("### testing").unwrap() < focus.find("### concurrency").unwrap(), "{focus}");
    // Every line of the generic template is still there.
    for l in base.lines() {
        assert!(a.lines().any(|x| x == l), "lost: {l}");
    }
}

#[test]
fn the_chinese_template_is_personal_too() {
    let zh = personalize(
        review_template(Lang::Zh),
        Lang::Zh,
        &[s(Category::Performance, 0.3)],
        &[m(Category::Performance, "d", "循环里有查询吗？", 2)],
    );
    assert!(zh.contains("## 0. 你的重点") && zh.contains("漏掉 2 次"), "{zh}");
    assert_eq!(first_row(&zh), "性能");
}

#[test]
fn misses_are_counted_from_stored_reports_with_their_question() {
    let catalog = revdrill_catalog::Catalog::load(&[] as &[&str]).unwrap();
    let d = catalog.get("stereoscope-untar-traversal").unwrap();
    let miss = r#"{"findings": [{"id": "symlink-escape", "verdict": "miss"}, {"id": "sibling-prefix", "verdict": "hit"}, {"id": "no-such", "verdict": "miss"}]}"#;
    let partial = r#"{"findings": [{"id": "symlink-escape", "verdict": "partial"}]}"#;
    let reports = [(1, d.id.as_str(), miss), (2, d.id.as_str(), partial), (3, "gone-drill", miss), (4, d.id.as_str(), "{broken")];
    let got = revdrill_practice::template::missed_in_reports(reports, |id| catalog.get(id), Lang::Zh);
    assert_eq!(got.len(), 1, "{got:?}");
    let f = d.finding("symlink-escape").unwrap();
    let item = d.checklist.iter().find(|i| i.covers.iter().any(|c| c == "symlink-escape")).unwrap();
    assert_eq!(
        got[0],
        Missed {
            category: Category::Security,
            drill: d.id.clone(),
            question: item.prompt.zh.clone(),
            problem: f.problem.zh.clone(),
            times: 2,
        }
    );
}
