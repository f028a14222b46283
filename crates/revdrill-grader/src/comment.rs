//! The English review comment, scored on a rubric anyone can check by hand.
//!
//! Seven dimensions, after Conventional Comments and Google's review guide (see
//! `docs/grading.md`): label, grounding, problem, why, guidance, courtesy, concision. A comment
//! that names no problem of the drill is capped, so that "LGTM" or a polite nothing scores near 0.

use revdrill_pack::{Localized, Severity};

use crate::grade::{Analysed, Grader};
use crate::lang::en;
use crate::report::{CommentReport, Dimension, SetAsideReason, Verdict};
use crate::text::is_cjk;

/// Points of the label dimension, and what a `nit:` label on a blocker or major problem earns.
const LABEL_MAX: f64 = 10.0;
const LABEL_UNDERSOLD: f64 = 4.0;
/// Points for quoting code, naming a diff identifier or giving a line.
const GROUNDING_MAX: f64 = 15.0;
/// Points for stating a finding in full, and for a partial.
const PROBLEM_MAX: f64 = 25.0;
const PROBLEM_PARTIAL: f64 = 12.0;
/// Points for giving a consequence.
const WHY_MAX: f64 = 15.0;
/// Points for offering a way forward.
const GUIDANCE_MAX: f64 = 15.0;
/// Points for no blame, contempt or shouting.
const COURTESY_MAX: f64 = 10.0;
/// Points for a focused length, and for one near it (in words, two CJK characters a word).
const CONCISE_MAX: f64 = 10.0;
const CONCISE_NEAR: f64 = 5.0;
const CONCISE_WORDS: std::ops::RangeInclusive<usize> = 12..=90;
const CONCISE_NEAR_WORDS: [std::ops::RangeInclusive<usize>; 2] = [6..=11, 91..=130];
/// A comment that states no problem of the drill keeps this share of its points ("LGTM" → 2).
const NO_PROBLEM_FACTOR: f64 = 0.2;
/// A rude comment keeps this share: a correct point made rudely still hurts the review, so it
/// costs more than the courtesy points alone.
const RUDE_FACTOR: f64 = 0.7;
/// A comment with more CJK characters than this many times its ASCII letters is "in Chinese"
/// and keeps [`CHINESE_FACTOR`] of its points.
const CHINESE_COMMENT_RATIO: f64 = 0.5;
const CHINESE_FACTOR: f64 = 0.5;

/// The prose words of a comment, lower-cased, as cues see them: code (backticks, `a.b`, `f(`)
/// left out, contractions expanded ("didn't" → "did not"), apostrophes splitting ("let's" →
/// "let s").
fn prose_words(text: &str) -> Vec<String> {
    crate::text::analyze(text).tokens.into_iter().filter(|t| !t.cjk && !t.code).map(|t| t.text).collect()
}

/// A cue as words, split the way [`prose_words`] splits text.
fn cue_words(cue: &str) -> Vec<String> {
    cue.to_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The cues of `table` that occur in `words` as whole words, in order, not right after a
/// negation ("no need to use" offers nothing); each at most once, in table order.
pub(crate) fn find_cues(words: &[String], table: &CueTable) -> Vec<String> {
    let split = table.split.get_or_init(|| table.cues.iter().map(|c| cue_words(c)).collect());
    let mut out = Vec::new();
    for (cue, parts) in table.cues.iter().zip(split) {
        if parts.is_empty() || words.len() < parts.len() {
            continue;
        }
        let found = (0..=words.len() - parts.len()).any(|i| {
            words[i..i + parts.len()] == parts[..] && !(table.negatable && i > 0 && en::NEG.contains(&words[i - 1].as_str()))
        });
        if found {
            out.push(cue.to_string());
        }
    }
    out
}

/// A table of comment cues, split into words once per process.
pub(crate) struct CueTable {
    cues: &'static [&'static str],
    /// A negation right before a cue cancels it ("don't use"); blame stays blame.
    negatable: bool,
    split: std::sync::OnceLock<Vec<Vec<String>>>,
}

impl CueTable {
    const fn new(cues: &'static [&'static str], negatable: bool) -> CueTable {
        CueTable { cues, negatable, split: std::sync::OnceLock::new() }
    }
}

static WHY: CueTable = CueTable::new(en::WHY_CUES, true);
static GUIDANCE: CueTable = CueTable::new(en::GUIDANCE_CUES, true);
static RUDE: CueTable = CueTable::new(en::RUDE, false);

/// Whether `needle` occurs in `hay` with no identifier character on either side.
fn contains_word(hay: &str, needle: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    hay.match_indices(needle).any(|(i, m)| !ident(hay[..i].chars().next_back()) && !ident(hay[i + m.len()..].chars().next()))
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
    en::LABELS.contains(&word.as_str()).then_some((word, deco))
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

    let label = label_of(text);
    let words = prose_words(text);
    let dims_found = [
        label_dimension(&label, finding),
        grounding_dimension(g, text, &lower),
        problem_dimension(drill, best, stuffed),
        why_dimension(&words),
        guidance_dimension(&words),
        courtesy_dimension(text, &words),
        concise_dimension(text),
    ];
    let problem_found = dims_found[2].score > 0.0;
    let mut dims: Vec<Dimension> = dims_found.into_iter().collect();

    let mut total: f64 = dims.iter().map(|d| d.score).sum();
    if !problem_found {
        total *= NO_PROBLEM_FACTOR;
    }
    // A correct point made rudely still hurts the review: it costs more than its courtesy points.
    if dims.iter().any(|d| d.name == "courtesy" && d.score == 0.0) {
        total *= RUDE_FACTOR;
    }
    // A comment written mostly in Chinese misses the point of the exercise.
    let cjk = text.chars().filter(|&c| is_cjk(c)).count();
    let ascii = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if (cjk as f64) > CHINESE_COMMENT_RATIO * ascii as f64 {
        total *= CHINESE_FACTOR;
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

    let rewrite = finding.map(|f| rewrite(text, label.is_some(), &dims, f, &g.idents));
    CommentReport {
        score: total.round().clamp(0.0, 100.0) as u8,
        text: text.to_string(),
        dimensions: dims,
        finding: finding.map(|f| f.id.clone()),
        rewrite,
        model: finding.or_else(|| drill.findings.iter().min_by_key(|f| f.severity)).map(|f| f.comment.clone()),
    }
}

/// The label dimension of the rubric.
fn label_dimension(label: &Option<(String, Option<String>)>, finding: Option<&revdrill_pack::Finding>) -> Dimension {
    let (score, fb) = match (label, finding) {
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
                LABEL_UNDERSOLD,
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
            LABEL_MAX,
            Localized::new(
                format!("Labelled `{w}`: the author knows how much it matters."),
                format!("使用了 `{w}` 标签：作者一眼就知道轻重。"),
            ),
        ),
    };
    Dimension { name: "label", score, max: LABEL_MAX, feedback: fb }
}

/// The grounding dimension of the rubric.
fn grounding_dimension(g: &Grader, text: &str, lower: &str) -> Dimension {
    let has_code = text.matches('`').count() >= 2;
    let ident = g.idents.iter().find(|i| contains_word(lower, i));
    let line_ref = lower.contains("line ") && lower.chars().any(|c| c.is_ascii_digit());
    let (score, fb) = if has_code || ident.is_some() || line_ref {
        let what = ident.cloned().unwrap_or_else(|| "code".into());
        (
            GROUNDING_MAX,
            Localized::new(format!("Grounded in the diff (`{what}`)."), format!("落到了 diff 中的具体代码（`{what}`）。")),
        )
    } else {
        (
            0.0,
            Localized::new(
                "Name the code you mean: quote an identifier from the diff in backticks or give the line.",
                "点名你说的代码：用反引号引用 diff 中的标识符，或给出行号。",
            ),
        )
    };
    Dimension { name: "grounding", score, max: GROUNDING_MAX, feedback: fb }
}

/// The problem dimension of the rubric.
fn problem_dimension(drill: &revdrill_pack::Drill, best: Option<(usize, Verdict, usize)>, stuffed: bool) -> Dimension {
    let (score, fb) = match best {
        _ if stuffed => (
            0.0,
            Localized::new(
                "A list of keywords is not a comment: say what goes wrong, in a sentence.",
                "关键词堆砌不是评论：用一句话说明出了什么问题。",
            ),
        ),
        Some((fi, Verdict::Hit, _)) => (
            PROBLEM_MAX,
            Localized::new(
                format!("States a real problem of this change (`{}`).", drill.findings[fi].id),
                format!("指出了这个改动的真实问题（`{}`）。", drill.findings[fi].id),
            ),
        ),
        Some((fi, _, _)) => (
            PROBLEM_PARTIAL,
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
    Dimension { name: "problem", score, max: PROBLEM_MAX, feedback: fb }
}

/// The why dimension of the rubric.
fn why_dimension(words: &[String]) -> Dimension {
    let cues = find_cues(words, &WHY);
    let (score, fb) = if !cues.is_empty() {
        (WHY_MAX, Localized::new(format!("Gives the consequence (\"{}\").", cues[0]), format!("说明了后果（“{}”）。", cues[0])))
    } else {
        (
            0.0,
            Localized::new(
                "Say why it matters: what happens if it is merged as is (\"so ...\", \"which means ...\").",
                "说明为什么重要：原样合并会发生什么（“so ...”、“which means ...”）。",
            ),
        )
    };
    Dimension { name: "why", score, max: WHY_MAX, feedback: fb }
}

/// The guidance dimension of the rubric.
fn guidance_dimension(words: &[String]) -> Dimension {
    let cues = find_cues(words, &GUIDANCE);
    let (score, fb) = if !cues.is_empty() {
        (
            GUIDANCE_MAX,
            Localized::new(format!("Offers a way forward (\"{}\").", cues[0]), format!("给出了可行的改法（“{}”）。", cues[0])),
        )
    } else {
        (
            0.0,
            Localized::new(
                "Offer a concrete alternative or ask about one: \"Could we ...?\", \"Consider ...\".",
                "给出一个具体的替代方案，或以提问的方式提出：“Could we ...?”、“Consider ...”。",
            ),
        )
    };
    Dimension { name: "guidance", score, max: GUIDANCE_MAX, feedback: fb }
}

/// The courtesy dimension of the rubric.
fn courtesy_dimension(text: &str, words: &[String]) -> Dimension {
    let rude = find_cues(words, &RUDE);
    let shouting = text.split_whitespace().filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_uppercase())).count() >= 2
        || text.contains("!!");
    let (score, fb) = if rude.is_empty() && !shouting {
        (COURTESY_MAX, Localized::new("About the code, not the person.", "对事不对人。"))
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
    Dimension { name: "courtesy", score, max: COURTESY_MAX, feedback: fb }
}

/// The concision dimension of the rubric.
fn concise_dimension(text: &str) -> Dimension {
    let words = text.split_whitespace().count() + text.chars().filter(|&c| is_cjk(c)).count() / 2;
    let (score, fb) = match words {
        w if CONCISE_WORDS.contains(&w) => {
            (CONCISE_MAX, Localized::new(format!("{words} words: focused."), format!("{words} 个词：简洁聚焦。")))
        }
        w if CONCISE_NEAR_WORDS.iter().any(|r| r.contains(&w)) => (
            CONCISE_NEAR,
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
    Dimension { name: "concise", score, max: CONCISE_MAX, feedback: fb }
}

/// The learner's point, rebuilt into one comment a reviewer would post: a label, the learner's
/// own point (grounded in the code the finding is about when it names none), why it matters (the
/// first sentence of the key's risk) and one ask (the question of the key's model comment, or its
/// suggestion as a question). Vague closing orders ("Fix it.") give way to the ask.
fn rewrite(text: &str, has_label: bool, dims: &[Dimension], f: &revdrill_pack::Finding, idents: &[String]) -> String {
    let ok = |name: &str| dims.iter().any(|d| d.name == name && d.score >= d.max * 0.99 && d.max > 0.0);
    let label = match f.severity {
        Severity::Blocker => "issue (blocking):",
        Severity::Major => "issue:",
        Severity::Minor => "suggestion:",
        Severity::Nit => "nit:",
    };
    let english = text.chars().filter(|&c| is_cjk(c)).count() == 0;
    let stated = dims.iter().any(|d| d.name == "problem" && d.score > 0.0);
    let words = text.split_whitespace().count();
    let learner = english && ok("courtesy") && stated && words >= REWRITE_MIN_WORDS && !text.trim_end().ends_with('?');
    // Rude, Chinese or off the point: nothing of the learner's can be kept; the key's model
    // comment is the comment to post.
    if !learner {
        return f.comment.trim().to_string();
    }
    let mut point = text.trim().to_string();
    if has_label
        && label_of(&point).is_some()
        && let Some(colon) = point.find(':')
    {
        point = point[colon + 1..].trim().to_string();
    }
    let add_ask = !ok("guidance");
    let mut sentences = split_sentences(&point);
    if add_ask {
        // "Fix it." / "Please change this." add nothing once the comment asks for something real.
        while sentences.len() > 1 && sentences.last().is_some_and(|s| vague_order(s)) {
            sentences.pop();
        }
    }
    let mut body = sentences.join(" ");
    if !ok("grounding") {
        body = quote_names(&body, idents);
    }
    if !body.contains('`')
        && let Some(code) = first_name(&f.comment).or_else(|| first_name(&f.problem.en))
    {
        body = format!("In {code}, {}", lower_first(&body));
    }
    let mut out = format!("{label} {}", end_sentence(&body));
    if !ok("why") {
        out.push(' ');
        out.push_str(&end_sentence(&first_sentence(&f.risk.en)));
    }
    if add_ask {
        out.push(' ');
        out.push_str(&ask(f));
    }
    out
}

/// One ask: the model comment's question when it has one, else the suggestion as a question.
fn ask(f: &revdrill_pack::Finding) -> String {
    if let Some(q) = split_sentences(&f.comment).into_iter().rev().find(|s| s.ends_with('?')) {
        let q = q.trim();
        // The model comment's question may follow its label on the same sentence.
        let q = match label_of(q) {
            Some(_) => q.split_once(':').map_or(q, |(_, rest)| rest.trim()),
            None => q,
        };
        if q.starts_with(|c: char| c.is_uppercase()) {
            return q.to_string();
        }
    }
    let s = first_sentence(&f.suggestion.en);
    let s = strip_asides(s.trim_end_matches('.'));
    format!("Could we {}?", lower_first(&s))
}

/// Sentences of `text` (split after `.`, `?`, `!` followed by a space, not inside backticks).
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut code = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        if c == '`' {
            code = !code;
        }
        let next_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if !code && matches!(c, '.' | '?' | '!') && next_space && !cur.trim_end().ends_with("e.g.") {
            out.push(cur.trim().to_string());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn first_sentence(text: &str) -> String {
    split_sentences(text).into_iter().next().unwrap_or_default()
}

/// Fewest words of a learner's comment that the rewrite keeps as the point ("race?" is a topic;
/// the rewrite then offers the key's model comment).
const REWRITE_MIN_WORDS: usize = 5;

/// Most words of a closing order that says nothing the ask does not ("Fix it.", "Please change this.").
const VAGUE_ORDER_MAX_WORDS: usize = 4;

fn vague_order(sentence: &str) -> bool {
    !sentence.contains('`') && !sentence.ends_with('?') && sentence.split_whitespace().count() <= VAGUE_ORDER_MAX_WORDS
}

/// Puts backticks around the words of `text` that name code from the diff: a whole identifier
/// (`s.tasks.Get`) or its last part written with a capital or a dot (`Get`, `ctx.Err`).
fn quote_names(text: &str, idents: &[String]) -> String {
    let is_name = |w: &str| {
        let lw = w.to_lowercase();
        let last_part = idents.iter().any(|i| i.rsplit('.').next() == Some(lw.as_str()));
        idents.contains(&lw) || (last_part && (w.chars().any(char::is_uppercase) || w.contains('.')))
    };
    let mut out = String::new();
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = word.trim_end_matches(['.', ',', ';', ':', '?', '!', ')']).trim_start_matches('(');
        let core = core.trim_end_matches("()");
        match word.find(core) {
            Some(at) if !core.is_empty() && !word.contains('`') && is_name(core) => {
                out.push_str(&word[..at]);
                out.push('`');
                out.push_str(core);
                out.push('`');
                out.push_str(&word[at + core.len()..]);
            }
            _ => out.push_str(word),
        }
    }
    out
}

/// The first code span of a text that is a plain name (`waitOrphaned`, `s.tasks.Get`), with
/// its backticks.
fn first_name(text: &str) -> Option<&str> {
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find('`') {
        let end = rest[start + 1..].find('`')? + start + 1;
        let inner = &rest[start + 1..end];
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return Some(&text[offset + start..offset + end + 1]);
        }
        offset += end + 1;
        rest = &rest[end + 1..];
    }
    None
}

/// Drops asides in parentheses that hold no code ("(see the trap)", "(Go 1.21+)").
fn strip_asides(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find(" (") {
        let Some(close) = rest[open..].find(')') else { break };
        let aside = &rest[open..open + close + 1];
        out.push_str(&rest[..open]);
        if aside.contains('`') {
            out.push_str(aside);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Lower-cases the first letter unless the first word is a name (`NotFound`, `URL`, code).
fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            let first_word = s.split_whitespace().next().unwrap_or("");
            if first_word.chars().skip(1).any(char::is_uppercase) {
                s.to_string()
            } else {
                a.to_lowercase().collect::<String>() + &s[a.len_utf8()..]
            }
        }
        _ => s.to_string(),
    }
}

/// The text with a closing full stop unless it already ends a sentence.
fn end_sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '?', '!']) { s.to_string() } else { format!("{s}.") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cues` of `table` found in `text`, joined with `|` (empty when none).
    fn check(text: &str, table: &CueTable, expect: &str) {
        assert_eq!(find_cues(&prose_words(text), table).join("|"), expect, "{text}");
    }

    #[test]
    fn cues_match_whole_words_outside_code() {
        // Substrings are not words.
        check("This fails because the ctx is cancelled.", &GUIDANCE, "");
        check("The cleanup would become one more leak.", &RUDE, "");
        check("`LazyLock` initialises it once, so it is safe.", &RUDE, "");
        check("Use `LazyLock` here.", &GUIDANCE, "use");
        // Code in backticks or dotted names is not prose.
        check("`s.use(x)` and `handle.check()` are fine.", &GUIDANCE, "");
        check("Could we use `%w` instead?", &GUIDANCE, "could we|instead|use");
        // Contractions are read expanded.
        check("You didn't close the body.", &RUDE, "you did not");
        check("Let's log it with the task id.", &GUIDANCE, "let's|log");
        // A negated cue offers nothing; blame stays blame.
        check("Don't use a mutex here.", &GUIDANCE, "");
        check("It was just cancelled, so it fails.", &RUDE, "");
        check("Just use `%w`, obviously.", &RUDE, "obviously|just use");
        check("Come on, this leaks.", &RUDE, "come on");
        check("So the error is lost, which means nobody knows.", &WHY, "so|which means|means");
    }
}
