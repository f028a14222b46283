//! What a review card shows and how its answer is graded: the hunk around the finding's anchor
//! lines, one question, and the grader's verdict on that finding alone.

use std::ops::Range;

use revdrill_grader::{FindingResult, Grader, Report, Verdict};
use revdrill_pack::diff::Hunk;
use revdrill_pack::{Drill, Lang};
use revdrill_store::{AttemptReview, Rating};

/// Lines of the hunk shown before the first and after the last anchor line.
pub const CONTEXT_LINES: usize = 4;

/// The one question of every card.
pub fn question(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "What would you comment here?",
        Lang::Zh => "这里你会写什么评论？",
    }
}

/// The part of the diff a card shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt<'d> {
    /// The file's path.
    pub path: &'d str,
    /// The whole hunk (renderers highlight it whole, so that constructs spanning lines are right,
    /// and show only `shown`).
    pub hunk: &'d Hunk,
    /// Indexes into `hunk.lines` to show.
    pub shown: Range<usize>,
    /// Indexes into `hunk.lines` of the finding's anchor lines (to mark).
    pub anchors: Vec<usize>,
}

/// The hunk around `finding`'s anchor lines: the first hunk that shows one of them, from
/// [`CONTEXT_LINES`] before its first anchor line to as many after its last. `None` when the
/// drill has no such finding or its lines are not in the diff.
pub fn excerpt<'d>(drill: &'d Drill, finding: &str) -> Option<Excerpt<'d>> {
    let f = drill.finding(finding)?;
    for file in &drill.diff {
        for hunk in &file.hunks {
            let anchors: Vec<usize> =
                hunk.lines.iter().enumerate().filter(|(_, l)| l.new_line.is_some_and(|n| f.anchors(n))).map(|(i, _)| i).collect();
            let (Some(&first), Some(&last)) = (anchors.first(), anchors.last()) else { continue };
            let shown = first.saturating_sub(CONTEXT_LINES)..(last + 1 + CONTEXT_LINES).min(hunk.lines.len());
            return Some(Excerpt { path: file.path(), hunk, shown, anchors });
        }
    }
    None
}

/// The FSRS rating of a verdict: found → Good, partly found → Hard, missed → Again.
pub fn rating(v: Verdict) -> Rating {
    match v {
        Verdict::Hit => Rating::Good,
        Verdict::Partial => Rating::Hard,
        Verdict::Miss => Rating::Again,
    }
}

/// Grades an answer to the card of `finding` with the drill's grader, against that finding
/// only; `None` when the drill has no such finding.
pub fn grade(grader: &Grader, finding: &str, answer: &str) -> Option<(FindingResult, Rating)> {
    let r = grader.grade_finding(finding, answer)?;
    let g = rating(r.verdict);
    Some((r, g))
}

/// A graded attempt's verdicts as reviews of their cards: a finding missed or only partly found
/// becomes a card or lapses its card; one found moves its card out, if it has one.
pub fn attempt_reviews(report: &Report) -> Vec<AttemptReview> {
    report
        .findings
        .iter()
        .map(|f| AttemptReview { finding: f.id.clone(), verdict: f.verdict.as_str().to_string(), rating: rating(f.verdict) })
        .collect()
}
