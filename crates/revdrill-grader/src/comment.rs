//! The English review comment, scored on a rubric anyone can check by hand.
//!
//! Seven dimensions, after Conventional Comments and Google's review guide (see
//! `docs/grading.md`): label, grounding, problem, why, guidance, courtesy, concision. A comment
//! that names no problem of the drill is capped, so that "LGTM" or a polite nothing scores near 0.

use revdrill_pack::{Localized, Severity};

use crate::grade::{Analysed, Grader};
use crate::report::{CommentReport, Dimension, SetAsideReason, Verdict};
use crate::text::is_cjk;

const LABELS: &[&str] = &[
    "praise",
    "nitpick",
    "nit",
    "suggestion",
    "issue",
    "todo",
    "question",
    "thought",
    "chore",
    "note",
    "typo",
    "polish",
    "quibble",
    "optional",
    "consider",
    "fyi",
];

const WHY_CUES: &[&str] = &[
    "because",
    "so ",
    "so,",
    "otherwise",
    "which means",
    "this means",
    "that means",
    "meaning",
    "leads to",
    "lead to",
    "result in",
    "results in",
    "cause",
    "would ",
    "will ",
    "since ",
    "as a result",
    "then ",
    "therefore",
    "means ",
    "risk",
    "can ",
    "could ",
];

const GUIDANCE_CUES: &[&str] = &[
    "consider",
    "could we",
    "can we",
    "should we",
    "would it",
    "how about",
    "what about",
    "suggest",
    "instead",
    "prefer",
    "please",
    "use ",
    "add ",
    "replace",
    "move ",
    "wrap",
    "let's",
    "recommend",
    "switch to",
    "pass ",
    "log ",
    "return ",
    "check ",
    "handle ",
    "should ",
    "might want",
    "i'd ",
    "we could",
    "maybe ",
];

/// Blame, contempt and diminishing words (thoughtbot's list and Google's example).
const RUDE: &[&str] = &[
    "you forgot",
    "you didn't",
    "you did not",
    "you should have",
    "why did you",
    "why would you",
    "obviously",
    "clearly",
    "simply",
    "stupid",
    "dumb",
    "lazy",
    "terrible",
    "horrible",
    "awful",
    "wtf",
    "nonsense",
    "sloppy",
    "careless",
    "idiot",
    "ridiculous",
    "any idiot",
    "come on",
    "seriously?",
    "your code",
    "you always",
    "you never",
    // "just" diminishes when it tells someone what to do; "was just cancelled" is only time.
    "just fix",
    "just use",
    "just add",
    "just do ",
    "just make",
    "just change",
    "just remove",
    "just call",
    "just read",
];

fn contains_any(hay: &str, needles: &[&str]) -> Vec<String> {
    needles.iter().filter(|n| hay.contains(*n)).map(|n| n.trim().to_string()).collect()
}

/// The label at the start of the comment (`issue (blocking)`, `nit`), if any.
fn label_of(text: &str) -> Option<(String, Option<String>)> {
    let t = text.trim_start().trim_start_matches(['*', '_']);
    let colon = t.find(':')?;
    let head = t[..colon].trim().trim_end_matches(['*', '_']).to_lowercase();
    let (word, deco) = match head.split_once('(') {
        Some((w, d)) => (w.trim().to_string(), Some(d.trim_end_matches(')').trim().to_string())),
        None => (head.clone(), None),
    };
    LABELS.contains(&word.as_str()).then_some((word, deco))
}

/// Scores one English comment against the drill.
/// `analysed` are the comment's statements, as `Grader::grade` already read them.
pub(crate) fn grade_comment(g: &Grader, text: &str, analysed: &[&Analysed]) -> CommentReport {
    let drill = g.drill();
    let text = text.trim();
    if text.is_empty() {
        return CommentReport {
            score: 0,
            text: String::new(),
            dimensions: Vec::new(),
            finding: None,
            rewrite: None,
            model: drill.findings.iter().min_by_key(|f| f.severity).map(|f| f.comment.clone()),
        };
    }
    let lower = text.to_lowercase().replace('\u{2019}', "'");
    let stuffed = analysed.iter().any(|a| a.set_aside == Some(SetAsideReason::KeywordList));
    let best = g.best_finding(analysed);
    let finding = best.map(|(fi, _, _)| &drill.findings[fi]);
    let mut dims = Vec::new();

    // 1. Label.
    let label = label_of(text);
    let (score, fb) = match (&label, finding) {
        (None, _) => (
            0.0,
            Localized::new(
                "Start with a label that says how much it matters: `issue (blocking):`, `suggestion:`, `nit:`, `question:`.",
                "开头加一个表明轻重的标签：`issue (blocking):`、`suggestion:`、`nit:`、`question:`。",
            ),
        ),
        (Some((w, _)), Some(f))
            if matches!(w.as_str(), "nit" | "nitpick" | "typo" | "polish" | "quibble") && f.severity <= Severity::Major =>
        {
            (
                4.0,
                Localized::new(
                    format!("`{w}:` undersells it: this is a {} problem; use `issue (blocking):` or `issue:`.", f.severity),
                    format!(
                        "`{w}:` 把问题说轻了：这是 {} 级别的问题，应使用 `issue (blocking):` 或 `issue:`。",
                        f.severity.label(revdrill_pack::Lang::Zh)
                    ),
                ),
            )
        }
        (Some((w, _)), _) => (
            10.0,
            Localized::new(
                format!("Labelled `{w}`: the author knows how much it matters."),
                format!("使用了 `{w}` 标签：作者一眼就知道轻重。"),
            ),
        ),
    };
    dims.push(Dimension { name: "label", score, max: 10.0, feedback: fb });

    // 2. Grounding.
    let has_code = text.matches('`').count() >= 2;
    let ident = g.idents.iter().find(|i| lower.contains(i.as_str()));
    let line_ref = lower.contains("line ") && lower.chars().any(|c| c.is_ascii_digit());
    let (score, fb) = if has_code || ident.is_some() || line_ref {
        let what = ident.cloned().unwrap_or_else(|| "code".into());
        (15.0, Localized::new(format!("Grounded in the diff (`{what}`)."), format!("落到了 diff 中的具体代码（`{what}`）。")))
    } else {
        (
            0.0,
            Localized::new(
                "Name the code you mean: quote an identifier from the diff in backticks or give the line.",
                "点名你说的代码：用反引号引用 diff 中的标识符，或给出行号。",
            ),
        )
    };
    dims.push(Dimension { name: "grounding", score, max: 15.0, feedback: fb });

    // 3. Problem.
    let (score, fb) = match best {
        _ if stuffed => (
            0.0,
            Localized::new(
                "A list of keywords is not a comment: say what goes wrong, in a sentence.",
                "关键词堆砌不是评论：用一句话说明出了什么问题。",
            ),
        ),
        Some((fi, Verdict::Hit, _)) => (
            25.0,
            Localized::new(
                format!("States a real problem of this change (`{}`).", drill.findings[fi].id),
                format!("指出了这个改动的真实问题（`{}`）。", drill.findings[fi].id),
            ),
        ),
        Some((fi, _, _)) => (
            12.0,
            Localized::new(
                format!("Points towards `{}` but does not say exactly what is wrong or when.", drill.findings[fi].id),
                format!("指向了 `{}`，但没有说清楚具体哪里错、在什么情况下出错。", drill.findings[fi].id),
            ),
        ),
        None => (
            0.0,
            Localized::new(
                "No problem of this change is stated: what exactly is wrong?",
                "没有指出这个改动的具体问题：到底哪里不对？",
            ),
        ),
    };
    let problem_found = score > 0.0;
    dims.push(Dimension { name: "problem", score, max: 25.0, feedback: fb });

    // 4. Why.
    let cues = contains_any(&lower, WHY_CUES);
    let (score, fb) = if !cues.is_empty() {
        (15.0, Localized::new(format!("Gives the consequence (\"{}\").", cues[0]), format!("说明了后果（“{}”）。", cues[0])))
    } else {
        (
            0.0,
            Localized::new(
                "Say why it matters: what happens if it is merged as is (\"so ...\", \"which means ...\").",
                "说明为什么重要：原样合并会发生什么（“so ...”、“which means ...”）。",
            ),
        )
    };
    dims.push(Dimension { name: "why", score, max: 15.0, feedback: fb });

    // 5. Guidance.
    let cues = contains_any(&lower, GUIDANCE_CUES);
    let (score, fb) = if !cues.is_empty() {
        (15.0, Localized::new(format!("Offers a way forward (\"{}\").", cues[0]), format!("给出了可行的改法（“{}”）。", cues[0])))
    } else {
        (
            0.0,
            Localized::new(
                "Offer a concrete alternative or ask about one: \"Could we ...?\", \"Consider ...\".",
                "给出一个具体的替代方案，或以提问的方式提出：“Could we ...?”、“Consider ...”。",
            ),
        )
    };
    dims.push(Dimension { name: "guidance", score, max: 15.0, feedback: fb });

    // 6. Courtesy.
    let rude = contains_any(&lower, RUDE);
    let shouting = text.split_whitespace().filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_uppercase())).count() >= 2
        || text.contains("!!");
    let (score, fb) = if rude.is_empty() && !shouting {
        (10.0, Localized::new("About the code, not the person.", "对事不对人。"))
    } else {
        let what = rude.first().cloned().unwrap_or_else(|| "!!".into());
        (
            0.0,
            Localized::new(
                format!("\"{what}\" reads as blame or contempt: talk about the code (\"this call ...\"), not the author."),
                format!("“{what}” 听起来像指责或轻视：请就代码本身讨论（“this call ...”），而不是针对作者。"),
            ),
        )
    };
    dims.push(Dimension { name: "courtesy", score, max: 10.0, feedback: fb });

    // 7. Concision.
    let words = text.split_whitespace().count() + text.chars().filter(|&c| is_cjk(c)).count() / 2;
    let (score, fb) = match words {
        12..=90 => (10.0, Localized::new(format!("{words} words: focused."), format!("{words} 个词：简洁聚焦。"))),
        6..=11 | 91..=130 => (
            5.0,
            Localized::new(
                format!("{words} words: aim for 12 to 90, one point per comment."),
                format!("{words} 个词：建议 12 到 90 个词，一条评论只讲一件事。"),
            ),
        ),
        _ => (
            0.0,
            Localized::new(
                format!("{words} words: too short to be actionable or too long to be read; aim for 12 to 90."),
                format!("{words} 个词：太短无法执行，或太长没人读完；建议 12 到 90 个词。"),
            ),
        ),
    };
    dims.push(Dimension { name: "concise", score, max: 10.0, feedback: fb });

    let mut total: f64 = dims.iter().map(|d| d.score).sum();
    if !problem_found {
        total *= 0.2;
    }
    // A correct point made rudely still hurts the review: it costs more than its courtesy points.
    if dims.iter().any(|d| d.name == "courtesy" && d.score == 0.0) {
        total *= 0.7;
    }
    // A comment written mostly in Chinese misses the point of the exercise.
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    let ascii = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if cjk * 2 > ascii {
        total *= 0.5;
        dims.push(Dimension {
            name: "english",
            score: 0.0,
            max: 0.0,
            feedback: Localized::new(
                "Write the comment in English: it is what the PR author reads.",
                "请用英文写这条评论：PR 作者读的是英文。",
            ),
        });
    }

    let rewrite = finding.map(|f| rewrite(text, label.is_some(), &dims, f));
    CommentReport {
        score: total.round().clamp(0.0, 100.0) as u8,
        text: text.to_string(),
        dimensions: dims,
        finding: finding.map(|f| f.id.clone()),
        rewrite,
        model: finding.or_else(|| drill.findings.iter().min_by_key(|f| f.severity)).map(|f| f.comment.clone()),
    }
}

/// The learner's point, rebuilt to meet the rubric: their own sentence where it is usable,
/// the answer key's words for what is missing.
fn rewrite(text: &str, has_label: bool, dims: &[Dimension], f: &revdrill_pack::Finding) -> String {
    let ok = |name: &str| dims.iter().any(|d| d.name == name && d.score >= d.max * 0.99 && d.max > 0.0);
    let label = match f.severity {
        Severity::Blocker => "issue (blocking):",
        Severity::Major => "issue:",
        Severity::Minor => "suggestion:",
        Severity::Nit => "nit:",
    };
    let english = text.chars().filter(|&c| is_cjk(c)).count() == 0;
    // The learner's whole comment when it is usable English, else the key's problem statement.
    let mut point = if english && ok("courtesy") { text.to_string() } else { f.problem.en.clone() };
    if has_label {
        if let Some(colon) = point.find(':') {
            if label_of(&point).is_some() {
                point = point[colon + 1..].trim().to_string();
            }
        }
    }
    let mut out = format!("{label} {}", point.trim());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    if !ok("why") {
        out.push(' ');
        out.push_str(&f.risk.en);
    }
    if !ok("guidance") {
        out.push_str(" Could we ");
        let s = f.suggestion.en.trim_end_matches('.');
        let mut cs = s.chars();
        let first = cs.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
        out.push_str(&(first + cs.as_str()));
        out.push('?');
    }
    out
}
