//! A learner's review of one attempt in the forms real code review tools take.
//!
//! - [`markdown`]: a Markdown document; inline comments in Conventional Comments form
//!   (`issue (blocking): ...`), free-text checklist answers as a summary section.
//! - [`conventional`]: only the comments, one block each, ready to paste.
//! - [`github`]: the JSON body of GitHub's "create a review for a pull request" call
//!   (`POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`): `body`, `event` = `COMMENT`,
//!   `comments[]` with `path`, `line`, `side` = `RIGHT` and `body`.
//! - [`sarif`]: a SARIF 2.1.0 log, one result per inline comment, `level` from the severity.
//!
//! Paths come from the drill's diff: the comment's own `file`, else the file whose new side
//! shows the line, else the first file.

use revdrill_pack::{AnswerSet, Drill, Lang, LineComment, Severity};
use serde_json::{Value, json};

/// The formats `revdrill export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Markdown document with a summary and the comments.
    Markdown,
    /// The comments alone, in Conventional Comments form.
    Conventional,
    /// GitHub's create-a-review request body (JSON).
    Github,
    /// SARIF 2.1.0 (JSON).
    Sarif,
}

/// The `$schema` URI of SARIF 2.1.0 as OASIS publishes it.
pub const SARIF_SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// What is exported: one attempt of one drill.
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    /// The drill the attempt was on.
    pub drill: &'a Drill,
    /// The learner's answers and inline comments.
    pub answers: &'a AnswerSet,
    /// The attempt id, as `revdrill history` shows it.
    pub attempt: i64,
    /// The attempt's score, when graded.
    pub score: Option<u8>,
    /// Language of headings (the learner's words are kept as written).
    pub lang: Lang,
}

/// The review in `format`, as text (JSON formats pretty-printed, with a final newline).
pub fn render(review: &Review<'_>, format: Format) -> String {
    match format {
        Format::Markdown => markdown(review),
        Format::Conventional => conventional(review),
        Format::Github => pretty(&github(review)),
        Format::Sarif => pretty(&sarif(review)),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The Conventional Comments label and decoration for a severity: blocker → `issue (blocking)`,
/// major → `issue`, minor → `suggestion`, nit → `nitpick`; no severity → `note`.
pub fn label(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Blocker) => "issue (blocking)",
        Some(Severity::Major) => "issue",
        Some(Severity::Minor) => "suggestion",
        Some(Severity::Nit) => "nitpick",
        None => "note",
    }
}

/// The SARIF `level` for a severity: blocker and major → `error`, minor → `warning`, nit →
/// `note`; no severity → `note`.
pub fn sarif_level(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Blocker | Severity::Major) => "error",
        Some(Severity::Minor) => "warning",
        Some(Severity::Nit) | None => "note",
    }
}

/// The diff path a comment is on.
pub fn comment_path<'a>(drill: &'a Drill, c: &'a LineComment) -> &'a str {
    if let Some(f) = c.file.as_deref().filter(|f| !f.is_empty()) {
        return f;
    }
    drill.diff.iter().find(|f| f.shows_new_line(c.line)).or(drill.diff.first()).map_or("", |f| f.path())
}

/// One comment as Conventional Comments text: `label: first line`, then the rest.
fn conventional_body(c: &LineComment) -> String {
    format!("{}: {}", label(c.severity), c.body.trim())
}

/// The free-text answers, in checklist order, with the question each answers.
fn summary_items<'a>(r: &'a Review<'a>) -> impl Iterator<Item = (&'a str, &'a str)> {
    r.drill.checklist.iter().filter_map(move |item| {
        let text = r.answers.answers.get(&item.id).map(|s| s.trim()).filter(|s| !s.is_empty())?;
        Some((item.prompt.get(r.lang), text))
    })
}

/// The summary as plain Markdown (used as the body of the GitHub review too).
fn summary_markdown(r: &Review<'_>) -> String {
    let mut out = String::new();
    for (prompt, text) in summary_items(r) {
        out.push_str(&format!("**{}**\n\n{}\n\n", prompt.trim(), text));
    }
    out.trim_end().to_string()
}

/// The Markdown document.
pub fn markdown(r: &Review<'_>) -> String {
    let l = r.lang;
    let mut out = format!("# {}: {}\n\n", tr(l, "Review", "评审"), r.drill.title);
    out.push_str(&format!("- {}: `{}`\n", tr(l, "Drill", "练习"), r.drill.id));
    out.push_str(&format!("- {}: #{}\n", tr(l, "Attempt", "练习记录"), r.attempt));
    if let Some(s) = r.score {
        out.push_str(&format!("- {}: {s}/100\n", tr(l, "Score", "得分")));
    }
    if !r.drill.source.is_empty() {
        out.push_str(&format!("- {}: {}\n", tr(l, "Modeled on", "原型 PR"), r.drill.source));
    }
    let summary = summary_markdown(r);
    out.push_str(&format!("\n## {}\n\n", tr(l, "Summary", "总结")));
    if summary.is_empty() {
        out.push_str(tr(l, "_No free-text answers._", "_没有文字回答。_"));
    } else {
        out.push_str(&summary);
    }
    out.push_str(&format!("\n\n## {}\n", tr(l, "Inline comments", "行内评论")));
    if r.answers.comments.is_empty() {
        out.push_str(&format!("\n{}\n", tr(l, "_No inline comments._", "_没有行内评论。_")));
    }
    for c in &r.answers.comments {
        out.push_str(&format!("\n### `{}:{}`\n\n{}\n", comment_path(r.drill, c), c.line, conventional_body(c)));
    }
    out
}

/// The comments alone, one block each, located by an HTML comment line GitHub does not show.
pub fn conventional(r: &Review<'_>) -> String {
    let mut out = String::new();
    for c in &r.answers.comments {
        out.push_str(&format!("<!-- {}:{} -->\n{}\n\n", comment_path(r.drill, c), c.line, conventional_body(c)));
    }
    let summary = summary_markdown(r);
    if !summary.is_empty() {
        out.push_str(&format!("{}\n", label_summary(&summary)));
    }
    out
}

/// The summary as one Conventional Comments `note`.
fn label_summary(summary: &str) -> String {
    format!("note: {summary}")
}

/// GitHub's create-a-review request body.
pub fn github(r: &Review<'_>) -> Value {
    let mut body = summary_markdown(r);
    if body.is_empty() {
        body = format!("{} ({})", tr(r.lang, "Review", "评审"), r.drill.id);
    }
    json!({
        "body": body,
        "event": "COMMENT",
        "comments": r.answers.comments.iter().map(|c| json!({
            "path": comment_path(r.drill, c),
            "line": c.line,
            "side": "RIGHT",
            "body": conventional_body(c),
        })).collect::<Vec<_>>(),
    })
}

/// The SARIF 2.1.0 log.
pub fn sarif(r: &Review<'_>) -> Value {
    let results: Vec<Value> = r
        .answers
        .comments
        .iter()
        .map(|c| {
            json!({
                "ruleId": c.severity.map_or("comment", |s| s.as_str()),
                "level": sarif_level(c.severity),
                "message": {"text": conventional_body(c)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": comment_path(r.drill, c)},
                        "region": {"startLine": c.line.max(1)},
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "revdrill",
                "informationUri": "https://github.com/revdrill/revdrill",
                "version": env!("CARGO_PKG_VERSION"),
            }},
            "automationDetails": {"id": format!("revdrill/{}/{}", r.drill.id, r.attempt)},
            "results": results,
        }],
    })
}

fn tr(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
