//! What grading returns: verdicts with their evidence, the comment's rubric, and the score.
//!
//! A `Report` is stored with each attempt as JSON and read back to show the learner what they
//! were told (the stored report is the record; it is never graded again), so every type here is
//! `Serialize` and `Deserialize` and round-trips.

use revdrill_pack::{Category, Lang, Localized, Severity};
use serde::{Deserialize, Deserializer, Serialize};

/// How much of a finding the learner found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Not found.
    Miss,
    /// Named, but without what makes it a problem (a group of `partial` concepts).
    Partial,
    /// Found: all concepts of a `hit` group in one statement.
    Hit,
}

impl Verdict {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Miss => "miss",
            Verdict::Partial => "partial",
            Verdict::Hit => "hit",
        }
    }

    /// The name shown to the learner.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Hit, Lang::En) => "found",
            (Verdict::Partial, Lang::En) => "partly found",
            (Verdict::Miss, Lang::En) => "missed",
            (Verdict::Hit, Lang::Zh) => "命中",
            (Verdict::Partial, Lang::Zh) => "部分命中",
            (Verdict::Miss, Lang::Zh) => "未发现",
        }
    }
}

/// Where a statement came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Source {
    /// The answer to a checklist item.
    Item {
        /// Checklist item id.
        id: String,
    },
    /// An inline comment.
    Line {
        /// New-file line.
        line: u32,
    },
}

/// A concept as it occurred in the learner's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptEvidence {
    /// Concept name.
    pub concept: String,
    /// The pack's term that matched.
    pub term: String,
    /// The learner's words that matched it.
    pub words: String,
    /// Whether it was negated (and so did not count).
    pub negated: bool,
}

/// The verdict on one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingResult {
    /// Finding id.
    pub id: String,
    /// Hit, partial or miss.
    pub verdict: Verdict,
    /// The learner's statement that earned it.
    pub evidence: Option<String>,
    /// Where that statement was written.
    pub source: Option<Source>,
    /// The concepts of the winning group, as they occurred.
    pub concepts: Vec<ConceptEvidence>,
    /// For a partial or a miss: concepts of the nearest `hit` group the learner did not state.
    pub missing: Vec<String>,
    /// Kind of problem.
    pub category: Category,
    /// Weight.
    pub severity: Severity,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
    /// Why the verdict changed from what the words alone gave (line comments), if it did.
    pub note: Option<Localized>,
}

/// A misconception the learner showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrapResult {
    /// Trap id.
    pub id: String,
    /// The statement that showed it.
    pub evidence: String,
    /// What to know instead.
    pub feedback: Localized,
}

/// A line flagged that is fine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecoyResult {
    /// Decoy id.
    pub id: String,
    /// The statement or comment that flagged it.
    pub evidence: String,
    /// The line commented on, when it was an inline comment.
    pub line: Option<u32>,
    /// Why the code is fine.
    pub why: Localized,
}

/// A statement the grader set aside, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAside {
    /// The statement.
    pub text: String,
    /// Where it was written.
    pub source: Source,
    /// Why it earned nothing.
    pub reason: SetAsideReason,
}

/// Why a statement earned nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetAsideReason {
    /// It repeats a checklist question.
    EchoesPrompt,
    /// It lists keywords without saying anything about them.
    KeywordList,
    /// It states something the answer key does not hold ("not in the key").
    NotInKey,
}

impl SetAsideReason {
    /// An explanation for the learner.
    pub fn explain(self) -> Localized {
        match self {
            SetAsideReason::EchoesPrompt => Localized::new(
                "repeats the checklist question: say what you found instead",
                "重复了检查项的问题：请写出你发现了什么",
            ),
            SetAsideReason::KeywordList => Localized::new(
                "a list of keywords is not a review point: say what goes wrong and when",
                "关键词堆砌不是评审意见：请说明出了什么问题、在什么情况下",
            ),
            SetAsideReason::NotInKey => Localized::new(
                "not in the answer key: it may still be a fair point, but it earned no credit",
                "答案要点中没有这一条：它可能有道理，但不计分",
            ),
        }
    }
}

/// One rubric dimension of the English comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    /// Stable name: label, grounding, problem, why, guidance, courtesy, concise.
    #[serde(deserialize_with = "dimension_name")]
    pub name: DimensionName,
    /// Points earned.
    pub score: f64,
    /// Points available.
    pub max: f64,
    /// What was good or what to change.
    pub feedback: Localized,
}

/// The rubric's dimension names; a stored report naming another reads back as `unknown`.
pub const DIMENSION_NAMES: [&str; 7] = ["label", "grounding", "problem", "why", "guidance", "courtesy", "concise"];

/// A dimension's name (an alias, so that serde does not try to borrow it from the input).
pub type DimensionName = &'static str;

/// Reads a stored dimension name back as the `'static` name the grader uses.
fn dimension_name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    Ok(DIMENSION_NAMES.iter().find(|n| **n == name).copied().unwrap_or("unknown"))
}

/// The English review comment's grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentReport {
    /// 0-100.
    pub score: u8,
    /// The comment graded (empty when none was written).
    pub text: String,
    /// Per-dimension scores and feedback.
    pub dimensions: Vec<Dimension>,
    /// The finding the comment is closest to.
    pub finding: Option<String>,
    /// The learner's point rewritten to meet the rubric.
    pub rewrite: Option<String>,
    /// The answer key's model comment for that finding.
    pub model: Option<String>,
}

/// A per-category sub-score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryScore {
    /// Category.
    pub category: Category,
    /// 0-100.
    pub score: u8,
    /// Points earned.
    pub earned: f64,
    /// Points available.
    pub max: f64,
}

/// The whole grade of one answer set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Drill id.
    pub drill: String,
    /// 0-100.
    pub score: u8,
    /// Score of the findings alone, 0-100.
    pub findings_score: f64,
    /// Points lost to traps and decoys.
    pub penalty: f64,
    /// One verdict per finding, in answer-key order.
    pub findings: Vec<FindingResult>,
    /// Misconceptions shown.
    pub traps: Vec<TrapResult>,
    /// Decoys flagged.
    pub decoys: Vec<DecoyResult>,
    /// Statements that earned nothing, with the reason.
    pub set_aside: Vec<SetAside>,
    /// The English comment.
    pub comment: CommentReport,
    /// Sub-scores per category.
    pub categories: Vec<CategoryScore>,
}

impl Report {
    /// The verdict on a finding.
    pub fn finding(&self, id: &str) -> Option<&FindingResult> {
        self.findings.iter().find(|f| f.id == id)
    }

    /// The JSON form `revdrill grade --format json` prints: texts in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        use serde_json::json;
        let t = |l: &Localized| l.get(lang).to_string();
        json!({
            "drill": self.drill,
            "score": self.score,
            "findings_score": (self.findings_score * 10.0).round() / 10.0,
            "penalty": self.penalty,
            "findings": self.findings.iter().map(|f| json!({
                "id": f.id,
                "verdict": f.verdict,
                "evidence": f.evidence,
                "source": f.source,
                "category": f.category,
                "severity": f.severity,
                "points": f.points,
                "max_points": f.max_points,
                "concepts": f.concepts,
                "missing": f.missing,
                "note": f.note.as_ref().map(t),
            })).collect::<Vec<_>>(),
            "traps": self.traps.iter().map(|x| json!({"id": x.id, "evidence": x.evidence, "feedback": t(&x.feedback)})).collect::<Vec<_>>(),
            "decoys": self.decoys.iter().map(|x| json!({"id": x.id, "evidence": x.evidence, "line": x.line, "why": t(&x.why)})).collect::<Vec<_>>(),
            "set_aside": self.set_aside.iter().map(|x| json!({"text": x.text, "source": x.source, "reason": x.reason, "explain": t(&x.reason.explain())})).collect::<Vec<_>>(),
            "comment": {
                "score": self.comment.score,
                "text": self.comment.text,
                "finding": self.comment.finding,
                "dimensions": self.comment.dimensions.iter().map(|d| json!({"name": d.name, "score": d.score, "max": d.max, "feedback": t(&d.feedback)})).collect::<Vec<_>>(),
                "rewrite": self.comment.rewrite,
                "model": self.comment.model,
            },
            "categories": self.categories.iter().map(|c| json!({"category": c.category, "score": c.score, "earned": c.earned, "max": c.max})).collect::<Vec<_>>(),
        })
    }
}
