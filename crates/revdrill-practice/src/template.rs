//! The PR review template made personal: when the learner has history, a "your focus" section
//! first (their weakest categories, and the questions they most often missed), and the checklist
//! rows of their weakest categories moved to the top of the table. Without history, the template
//! is returned unchanged.

use std::collections::BTreeMap;

use revdrill_pack::{Category, Drill, Lang};

/// A category is listed as weak when the learner earned less than this share of its points.
pub const WEAK_SHARE: f64 = 0.8;
/// At most this many weak categories are listed.
pub const MAX_WEAK: usize = 3;
/// At most this many missed questions are listed per category.
pub const MAX_MISSED_PER_CATEGORY: usize = 3;

/// The learner's strength in one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    /// The category.
    pub category: Category,
    /// Share of available points earned, 0.0-1.0.
    pub share: f64,
}

/// A question the learner missed (a finding not found, or only partly), counted over attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    /// The finding's category.
    pub category: Category,
    /// The drill.
    pub drill: String,
    /// The checklist question that asked about it.
    pub question: String,
    /// What the learner did not see (the finding's problem).
    pub problem: String,
    /// Attempts that missed it.
    pub times: u32,
}

/// The template for a learner with these strengths and misses (`base` is the generic template
/// in `lang`).
pub fn personalize(base: &str, lang: Lang, strengths: &[Strength], missed: &[Missed]) -> String {
    let weak = weakest(strengths);
    if weak.is_empty() {
        return base.to_string();
    }
    let mut focus = format!("## 0. {}\n", tr(lang, "Your focus", "你的重点"));
    focus.push_str(tr(
        lang,
        "From your past drills, these areas cost you the most points. Check them first.\n",
        "根据你过去的练习，这些方面失分最多，请优先检查。\n",
    ));
    for s in &weak {
        let pct = (s.share * 100.0).round() as u32;
        focus.push_str(&format!("\n### {} ({pct}%)\n", s.category.label(lang)));
        let mut mine: Vec<&Missed> = missed.iter().filter(|m| m.category == s.category).collect();
        mine.sort_by(|a, b| b.times.cmp(&a.times).then(a.drill.cmp(&b.drill)));
        if mine.is_empty() {
            focus.push_str(tr(
                lang,
                "- No single question stands out: read this area's checklist rows slowly.\n",
                "- 没有特别突出的题目：请仔细逐行检查这一方面的清单。\n",
            ));
        }
        for m in mine.into_iter().take(MAX_MISSED_PER_CATEGORY) {
            focus.push_str(&format!(
                "- {} — {} (`{}`, {} {})\n",
                m.question.trim(),
                m.problem.trim(),
                m.drill,
                tr(lang, "missed", "漏掉"),
                times(lang, m.times)
            ));
        }
    }
    let reordered = reorder_checklist(base, &weak);
    match reordered.find("\n## 1.") {
        Some(i) => format!("{}\n{focus}{}", &reordered[..i + 1], &reordered[i + 1..]),
        None => format!("{focus}\n{reordered}"),
    }
}

/// The findings missed or only partly found in stored reports `(attempt, drill, report JSON)`,
/// counted per drill and finding, with their question (the checklist item that covers the
/// finding, else its problem) and problem text in `lang`; drills no longer found by `drill` and
/// unreadable reports are skipped.
pub fn missed_in_reports<'d, 'r>(
    reports: impl IntoIterator<Item = (i64, &'r str, &'r str)>,
    drill: impl Fn(&str) -> Option<&'d Drill>,
    lang: Lang,
) -> Vec<Missed> {
    let mut counts: BTreeMap<(String, String), u32> = BTreeMap::new();
    for (_, drill_id, report) in reports {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(report) else { continue };
        for f in v["findings"].as_array().into_iter().flatten() {
            if let (Some("miss" | "partial"), Some(id)) = (f["verdict"].as_str(), f["id"].as_str()) {
                *counts.entry((drill_id.to_string(), id.to_string())).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter_map(|((drill_id, finding), times)| {
            let d = drill(&drill_id)?;
            let f = d.finding(&finding)?;
            let problem = f.problem.get(lang).to_string();
            let question = d
                .checklist
                .iter()
                .find(|i| i.covers.contains(&finding))
                .map_or_else(|| problem.clone(), |i| i.prompt.get(lang).to_string());
            Some(Missed { category: f.category, drill: drill_id, question, problem, times })
        })
        .collect()
}

fn times(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "once".into(),
        (Lang::En, n) => format!("{n} times"),
        (Lang::Zh, n) => format!("{n} 次"),
    }
}

/// The weak categories, weakest first.
fn weakest(strengths: &[Strength]) -> Vec<Strength> {
    let mut weak: Vec<Strength> = strengths.iter().filter(|s| s.share < WEAK_SHARE).cloned().collect();
    weak.sort_by(|a, b| a.share.total_cmp(&b.share).then(a.category.cmp(&b.category)));
    weak.truncate(MAX_WEAK);
    weak
}

/// The categories a checklist row of the template is about, from its first cell (both
/// languages of `templates/review-template.*.md`).
fn row_categories(area: &str) -> &'static [Category] {
    match area.trim() {
        "Concurrency" | "并发" | "Context & cancellation" | "Context 与取消" => &[Category::Concurrency],
        "Error paths" | "错误路径" => &[Category::ErrorHandling, Category::Correctness],
        "Resources" | "资源" => &[Category::ResourceLeak],
        "Security" | "安全" => &[Category::Security],
        "API & compatibility" | "API 与兼容性" => &[Category::ApiDesign],
        "Performance" | "性能" => &[Category::Performance],
        "Tests" | "测试" => &[Category::Testing],
        "Observability" | "可观测性" | "Rollout" | "发布" => &[Category::Maintainability],
        _ => &[],
    }
}

/// The checklist table with the rows of weak categories first (weakest first), the others in
/// their order.
fn reorder_checklist(base: &str, weak: &[Strength]) -> String {
    let lines: Vec<&str> = base.lines().collect();
    let Some(sep) = lines.iter().position(|l| l.starts_with("| ---")) else { return base.to_string() };
    let end = lines[sep + 1..].iter().position(|l| !l.starts_with('|')).map_or(lines.len(), |i| sep + 1 + i);
    let rank = |row: &str| -> usize {
        let area = row.split('|').nth(1).unwrap_or("");
        row_categories(area).iter().filter_map(|c| weak.iter().position(|w| w.category == *c)).min().unwrap_or(weak.len())
    };
    let mut rows: Vec<&str> = lines[sep + 1..end].to_vec();
    rows.sort_by_key(|r| rank(r));
    let mut out: Vec<&str> = lines[..=sep].to_vec();
    out.extend(rows);
    out.extend(&lines[end..]);
    let mut s = out.join("\n");
    if base.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}
