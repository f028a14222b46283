//! The one feedback view: what the learner is shown about a graded attempt, built once from the
//! *stored* [`Report`] (the record of what they were told; never graded again), the answers they
//! wrote, the drill's texts when the drill is loaded, and their disputes. The terminal renderer
//! (`revdrill`) and the HTML renderer (`revdrill-web`) both draw a [`FeedbackView`]; neither
//! reads a `Report` or a `Drill` for feedback on its own.
//!
//! Architecture invariant: the view is plain data, in one language, with no styling; deciding
//! *what* to show (which finding a later checklist item still covers, what is disputed) happens
//! here, and renderers only decide *how*.
//! Architecture invariant: a view can be built without the drill (an attempt made with `--packs`
//! served without it): verdicts, evidence, the comment rubric and the score come from the stored
//! report; only the reference texts are missing.
#![deny(missing_docs)]

pub mod dispute;
mod i18n;

use revdrill_grader::{CommentReport, FindingResult, Report, SetAsideReason, Source, Verdict};
use revdrill_pack::{AnswerSet, Category, Drill, ItemKind, Lang, Severity};
use revdrill_store::{Dispute, DisputeKind};

use crate::i18n::t;

pub use dispute::{DisputeError, ExportError, export_corpus, new_dispute};

/// One statement the learner wrote, numbered over the whole attempt (checklist items in order,
/// then inline comments); a dispute points at one by its number. Serialised as the
/// `statements` of `GET /api/attempts/{id}` and `revdrill history ATTEMPT --format json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StatementView {
    /// 1-based number.
    pub n: usize,
    /// The statement as written.
    pub text: String,
    /// Where it was written.
    pub source: Source,
    /// Where, short: "item 2" / "line 258".
    pub at: String,
}

/// The learner's dispute of a verdict, as shown next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct DisputeMark {
    /// "I said this" or "wrong credit".
    pub kind: DisputeKind,
    /// The statement pointed at (or the one that earned the disputed credit).
    pub statement: String,
    /// The learner's note (may be empty).
    pub note: String,
    /// "disputed: you said it in …" / "disputed: you say this credit is wrong", in the view's language.
    pub label: String,
}

/// The reference review of one finding: only present when the drill is loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// New-file lines, e.g. `255-259, 262`.
    pub lines: String,
    /// What is wrong.
    pub problem: String,
    /// Why it matters.
    pub risk: String,
    /// What to do.
    pub suggestion: String,
    /// A code sketch of the fix.
    pub code: Option<String>,
    /// The model review comment.
    pub comment: String,
}

/// The verdict on one finding, with its evidence and reference.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingView {
    /// 1-based number in the answer key (what a terminal dispute names).
    pub n: usize,
    /// Finding id.
    pub id: String,
    /// Hit, partial or miss, as stored.
    pub verdict: Verdict,
    /// "found" / "命中" ...
    pub verdict_label: &'static str,
    /// Category.
    pub category: Category,
    /// Category label.
    pub category_label: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Severity label.
    pub severity_label: &'static str,
    /// The learner's statement that earned it.
    pub evidence: Option<String>,
    /// Where that statement was written: "checklist item 2", "comment on line 258".
    pub source_label: Option<String>,
    /// Where it was written, as data.
    pub source: Option<Source>,
    /// For a partial or a miss: concepts the learner did not state.
    pub missing: Vec<String>,
    /// Why line comments changed the verdict, if they did.
    pub note: Option<String>,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
    /// The reference review, when the drill is loaded.
    pub reference: Option<Reference>,
    /// The learner's dispute, if any (the score stays as graded).
    pub disputed: Option<DisputeMark>,
}

/// A checklist item: the question, what the learner wrote, and the findings it asks about.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemView {
    /// 1-based position.
    pub n: usize,
    /// Item id.
    pub id: String,
    /// The question.
    pub prompt: String,
    /// Free text or the English comment.
    pub kind: ItemKind,
    /// The answer as written (empty when skipped).
    pub answer: String,
    /// Numbers of the statements written under this item.
    pub statements: Vec<usize>,
    /// Indexes into [`FeedbackView::findings`] of the findings this item asks about.
    pub covers: Vec<usize>,
}

/// A misconception shown.
#[derive(Debug, Clone, PartialEq)]
pub struct TrapView {
    /// The learner's statement.
    pub evidence: String,
    /// What to know instead.
    pub feedback: String,
}

/// A fine line flagged.
#[derive(Debug, Clone, PartialEq)]
pub struct DecoyView {
    /// The learner's statement.
    pub evidence: String,
    /// The line commented on.
    pub line: Option<u32>,
    /// Why the code is fine.
    pub why: String,
}

/// A statement that earned nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct AsideView {
    /// The statement.
    pub text: String,
    /// Why it earned nothing.
    pub reason: String,
    /// "not in the key" (a milder note than an echo or a keyword list).
    pub not_in_key: bool,
}

/// One rubric dimension of the English comment.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionView {
    /// Stable name.
    pub name: &'static str,
    /// Name as the learner reads it.
    pub label: &'static str,
    /// Points earned.
    pub score: f64,
    /// Points available.
    pub max: f64,
    /// Full marks.
    pub full: bool,
    /// What was good or what to change.
    pub feedback: String,
}

/// The English comment's grade.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentView {
    /// 0-100.
    pub score: u8,
    /// The comment (empty when none was written).
    pub text: String,
    /// Rubric dimensions.
    pub dimensions: Vec<DimensionView>,
    /// The learner's point rewritten.
    pub rewrite: Option<String>,
    /// The model comment.
    pub model: Option<String>,
}

/// A per-category score.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryView {
    /// Label.
    pub label: &'static str,
    /// 0-100.
    pub score: u8,
}

/// Everything the learner is shown about a graded attempt, in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackView {
    /// Language of every text.
    pub lang: Lang,
    /// Drill id.
    pub drill_id: String,
    /// Drill title, when the drill is loaded.
    pub title: Option<String>,
    /// 0-100, as stored.
    pub score: u8,
    /// Score of the findings alone.
    pub findings_score: f64,
    /// Points lost to traps and decoys.
    pub penalty: f64,
    /// Checklist items (empty when the drill is not loaded).
    pub items: Vec<ItemView>,
    /// Every statement the learner wrote, numbered.
    pub statements: Vec<StatementView>,
    /// One per finding, in answer-key order.
    pub findings: Vec<FindingView>,
    /// Misconceptions.
    pub traps: Vec<TrapView>,
    /// Decoys flagged.
    pub decoys: Vec<DecoyView>,
    /// Statements that earned nothing.
    pub set_aside: Vec<AsideView>,
    /// The English comment.
    pub comment: CommentView,
    /// Per-category scores.
    pub categories: Vec<CategoryView>,
}

/// What the learner wrote, split into the statements the grader reads: an answer into sentences,
/// lines and bullets; an inline comment whole. Checklist items in checklist order (or id order
/// without the drill), then inline comments.
pub fn statements(drill: Option<&Drill>, answers: &AnswerSet, lang: Lang) -> Vec<StatementView> {
    let items: Vec<&str> = match drill {
        Some(d) => d.checklist.iter().map(|c| c.id.as_str()).collect(),
        None => answers.answers.keys().map(String::as_str).collect(),
    };
    let mut out: Vec<StatementView> = Vec::new();
    for (i, id) in items.into_iter().enumerate() {
        let Some(text) = answers.answers.get(id) else { continue };
        let at = match (lang, drill.is_some()) {
            (Lang::En, true) => format!("item {}", i + 1),
            (Lang::Zh, true) => format!("第 {} 项", i + 1),
            (_, false) => id.to_string(),
        };
        for s in revdrill_grader::text::statements(text) {
            out.push(StatementView {
                n: out.len() + 1,
                text: s.text,
                source: Source::Item { id: id.to_string() },
                at: at.clone(),
            });
        }
    }
    for c in &answers.comments {
        let text = c.body.trim();
        if text.chars().any(char::is_alphanumeric) {
            let at = match lang {
                Lang::En => format!("line {}", c.line),
                Lang::Zh => format!("第 {} 行", c.line),
            };
            out.push(StatementView { n: out.len() + 1, text: text.to_string(), source: Source::Line { line: c.line }, at });
        }
    }
    out
}

/// "checklist item 2" / "comment on line 258".
pub fn source_label(s: &Source, drill: Option<&Drill>, lang: Lang) -> String {
    match s {
        Source::Item { id } => match drill.and_then(|d| d.checklist.iter().position(|c| &c.id == id)) {
            Some(i) => format!("{} {}", t(lang, "checklist item", "检查项"), i + 1),
            None => format!("{} `{id}`", t(lang, "checklist item", "检查项")),
        },
        Source::Line { line } => format!("{} {line}", t(lang, "comment on line", "行内评论，行")),
    }
}

/// The comment rubric's dimensions, as the learner reads them.
pub fn dimension_label(name: &'static str, lang: Lang) -> &'static str {
    let (en, zh) = match name {
        "label" => ("label", "标签"),
        "grounding" => ("grounding", "指向代码"),
        "problem" => ("problem", "问题"),
        "why" => ("why", "原因"),
        "guidance" => ("guidance", "建议"),
        "courtesy" => ("courtesy", "语气"),
        "concise" => ("concise", "简洁"),
        other => (other, other),
    };
    t(lang, en, zh)
}

fn lines_of(f: &revdrill_pack::Finding) -> String {
    f.lines
        .iter()
        .map(|r| if r.start() == r.end() { r.start().to_string() } else { format!("{}-{}", r.start(), r.end()) })
        .collect::<Vec<_>>()
        .join(", ")
}

fn dispute_mark(d: &Dispute, drill: Option<&Drill>, lang: Lang) -> DisputeMark {
    let label = match d.dispute.kind {
        DisputeKind::SaidIt => {
            let at = match (&d.dispute.item, d.dispute.line) {
                (Some(id), _) => source_label(&Source::Item { id: id.clone() }, drill, lang),
                (None, Some(line)) => source_label(&Source::Line { line }, drill, lang),
                (None, None) => String::new(),
            };
            format!("{} {at}", t(lang, "disputed: you say you stated it in", "有异议：你认为已在此处说明："))
        }
        DisputeKind::WrongCredit => t(lang, "disputed: you say this credit is wrong", "有异议：你认为这项得分不应给").to_string(),
    };
    DisputeMark { kind: d.dispute.kind, statement: d.dispute.statement.clone(), note: d.dispute.note.clone(), label }
}

fn finding_view(n: usize, fr: &FindingResult, drill: Option<&Drill>, disputes: &[Dispute], lang: Lang) -> FindingView {
    FindingView {
        n,
        id: fr.id.clone(),
        verdict: fr.verdict,
        verdict_label: fr.verdict.label(lang),
        category: fr.category,
        category_label: fr.category.label(lang),
        severity: fr.severity,
        severity_label: fr.severity.label(lang),
        evidence: fr.evidence.clone(),
        source_label: fr.source.as_ref().map(|s| source_label(s, drill, lang)),
        source: fr.source.clone(),
        missing: fr.missing.clone(),
        note: fr.note.as_ref().map(|n| n.get(lang).to_string()),
        points: fr.points,
        max_points: fr.max_points,
        reference: drill.and_then(|d| d.finding(&fr.id)).map(|f| Reference {
            lines: lines_of(f),
            problem: f.problem.get(lang).to_string(),
            risk: f.risk.get(lang).to_string(),
            suggestion: f.suggestion.get(lang).to_string(),
            code: f.code.clone(),
            comment: f.comment.clone(),
        }),
        disputed: disputes.iter().find(|d| d.dispute.finding == fr.id).map(|d| dispute_mark(d, drill, lang)),
    }
}

/// The verdict on one finding alone, as a review card shows it after the learner's answer: the
/// same [`FindingView`] the attempt feedback draws (verdict, the learner's words, what is
/// missing, the reference review), without checklist or disputes.
pub fn card_view(result: &FindingResult, drill: Option<&Drill>, lang: Lang) -> FindingView {
    finding_view(1, result, drill, &[], lang)
}

fn item_views(
    d: &Drill,
    answers: &AnswerSet,
    statements: &[StatementView],
    findings: &[FindingView],
    lang: Lang,
) -> Vec<ItemView> {
    d.checklist
        .iter()
        .enumerate()
        .map(|(i, c)| ItemView {
            n: i + 1,
            id: c.id.clone(),
            prompt: c.prompt.get(lang).to_string(),
            kind: c.kind,
            answer: answers.answers.get(&c.id).cloned().unwrap_or_default(),
            statements: statements
                .iter()
                .filter(|s| matches!(&s.source, Source::Item { id } if *id == c.id))
                .map(|s| s.n)
                .collect(),
            covers: c.covers.iter().filter_map(|id| findings.iter().position(|f| &f.id == id)).collect(),
        })
        .collect()
}

fn comment_view(c: &CommentReport, lang: Lang) -> CommentView {
    CommentView {
        score: c.score,
        text: c.text.clone(),
        dimensions: c
            .dimensions
            .iter()
            .map(|d| DimensionView {
                name: d.name,
                label: dimension_label(d.name, lang),
                score: d.score,
                max: d.max,
                full: d.max > 0.0 && d.score >= d.max,
                feedback: d.feedback.get(lang).into(),
            })
            .collect(),
        rewrite: c.rewrite.clone(),
        model: c.model.clone(),
    }
}

impl FeedbackView {
    /// Builds the view of a stored report. `drill` is `None` when the drill is no longer loaded;
    /// `disputes` are the attempt's (others are ignored).
    pub fn build(report: &Report, drill: Option<&Drill>, answers: &AnswerSet, disputes: &[Dispute], lang: Lang) -> FeedbackView {
        let findings: Vec<FindingView> =
            report.findings.iter().enumerate().map(|(i, fr)| finding_view(i + 1, fr, drill, disputes, lang)).collect();
        let statements = statements(drill, answers, lang);
        let items = drill.map_or_else(Vec::new, |d| item_views(d, answers, &statements, &findings, lang));
        FeedbackView {
            lang,
            drill_id: report.drill.clone(),
            title: drill.map(|d| d.title.clone()),
            score: report.score,
            findings_score: report.findings_score,
            penalty: report.penalty,
            items,
            statements,
            findings,
            traps: report
                .traps
                .iter()
                .map(|x| TrapView { evidence: x.evidence.clone(), feedback: x.feedback.get(lang).into() })
                .collect(),
            decoys: report
                .decoys
                .iter()
                .map(|x| DecoyView { evidence: x.evidence.clone(), line: x.line, why: x.why.get(lang).into() })
                .collect(),
            set_aside: report
                .set_aside
                .iter()
                .map(|x| AsideView {
                    text: x.text.clone(),
                    reason: x.reason.explain().get(lang).into(),
                    not_in_key: x.reason == SetAsideReason::NotInKey,
                })
                .collect(),
            comment: comment_view(&report.comment, lang),
            categories: report
                .categories
                .iter()
                .map(|x| CategoryView { label: x.category.label(lang), score: x.score })
                .collect(),
        }
    }

    /// The statement with this number.
    pub fn statement(&self, n: usize) -> Option<&StatementView> {
        n.checked_sub(1).and_then(|i| self.statements.get(i))
    }

    /// How many verdicts are disputed.
    pub fn disputed(&self) -> usize {
        self.findings.iter().filter(|f| f.disputed.is_some()).count()
    }

    /// What to say right after checklist item `index` (0-based) is answered, in the middle of a
    /// drill: later items have not been answered yet, so a finding missed or partly found here
    /// that a later item still covers is not revealed (neither its problem text nor, when
    /// missed, its name); the learner is told that something was missed in this area and which
    /// item comes back to it. The final review reveals everything.
    pub fn item_feedback(&self, index: usize) -> ItemFeedback<'_> {
        let mut out = ItemFeedback { shown: Vec::new(), withheld: Vec::new() };
        let Some(item) = self.items.get(index) else { return out };
        for &fi in &item.covers {
            let f = &self.findings[fi];
            let later = self.items[index + 1..].iter().find(|i| i.covers.contains(&fi));
            match (f.verdict, later) {
                (Verdict::Hit, _) | (_, None) => out.shown.push(Shown { finding: f, reveal: f.verdict != Verdict::Hit }),
                (Verdict::Partial, Some(next)) => {
                    out.shown.push(Shown { finding: f, reveal: false });
                    out.withheld.push(Withheld { item: next.n, prompt: &next.prompt, missed: 0, partial: 1 });
                }
                (Verdict::Miss, Some(next)) => {
                    out.withheld.push(Withheld { item: next.n, prompt: &next.prompt, missed: 1, partial: 0 })
                }
            }
        }
        // One line per later item.
        out.withheld.sort_by_key(|w| w.item);
        out.withheld.dedup_by(|b, a| {
            let same = a.item == b.item;
            if same {
                a.missed += b.missed;
                a.partial += b.partial;
            }
            same
        });
        out
    }
}

/// Feedback on one checklist item during a drill (see [`FeedbackView::item_feedback`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFeedback<'a> {
    /// Findings whose verdict can be shown now.
    pub shown: Vec<Shown<'a>>,
    /// Findings not revealed yet, grouped by the later item that comes back to them.
    pub withheld: Vec<Withheld<'a>>,
}

/// A finding shown in item feedback.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown<'a> {
    /// The finding.
    pub finding: &'a FindingView,
    /// Show what was missing and the problem text (a miss or partial no later item covers).
    pub reveal: bool,
}

/// Findings of this area not revealed yet, because a later item covers them.
#[derive(Debug, Clone, PartialEq)]
pub struct Withheld<'a> {
    /// The later item's number.
    pub item: usize,
    /// Its question.
    pub prompt: &'a str,
    /// Findings missed here.
    pub missed: usize,
    /// Findings partly found here.
    pub partial: usize,
}

impl Withheld<'_> {
    /// "Something in this area was missed; item 2 comes back to it." in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let what = match (self.missed, self.partial) {
            (0, _) => t(lang, "A point in this area is not complete yet", "这一方面还有一点说得不完整").to_string(),
            (1, _) => t(lang, "Something in this area was missed", "这一方面还有问题没有发现").to_string(),
            (n, _) => match lang {
                Lang::En => format!("{n} points in this area were missed"),
                Lang::Zh => format!("这一方面还有 {n} 个问题没有发现"),
            },
        };
        match lang {
            Lang::En => format!("{what}; item {} comes back to it, and the final review shows it.", self.item),
            Lang::Zh => format!("{what}；第 {} 项会再问到它，最后的参考评审会给出答案。", self.item),
        }
    }
}
