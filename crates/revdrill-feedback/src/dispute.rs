//! Disputes: checking what the learner points at against the stored view, and exporting disputes
//! as labelled corpus cases (`catalog/corpus/README.md`) for a pack author
//! to review.

use std::collections::BTreeMap;

use revdrill_grader::{Report, Source, Verdict};
use revdrill_pack::Lang;
use revdrill_store::{AttemptId, Dispute, DisputeKind, NewDispute};
use serde::Serialize;

use crate::FeedbackView;

/// Longest note a learner may attach to a dispute, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Why a dispute cannot be recorded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DisputeError {
    /// The attempt's report has no finding with that id.
    #[error("no finding `{0}` in this attempt's report")]
    UnknownFinding(String),
    /// A missed or partial verdict is disputed by pointing at a statement.
    #[error("`{0}` was not credited: name the number of your statement that says it")]
    NeedsStatement(String),
    /// A credit is disputed as a whole.
    #[error("`{0}` was credited: a credit is disputed as a whole, without a statement number")]
    StatementForCredit(String),
    /// No statement with that number.
    #[error("no statement {n}: your statements are numbered 1 to {max}")]
    NoSuchStatement {
        /// The number given.
        n: usize,
        /// The highest number.
        max: usize,
    },
    /// The note is too long.
    #[error("the note is longer than {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
}

impl DisputeError {
    /// The message in `lang` (the `Display` text is the English one).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DisputeError::UnknownFinding(id), Lang::Zh) => format!("这次作答的报告中没有要点 `{id}`"),
            (DisputeError::NeedsStatement(id), Lang::Zh) => format!("`{id}` 未得分：请给出说明了它的那句话的编号"),
            (DisputeError::StatementForCredit(id), Lang::Zh) => format!("`{id}` 已得分：对得分的异议针对整项，不需要句子编号"),
            (DisputeError::NoSuchStatement { n, max }, Lang::Zh) => format!("没有第 {n} 句：你的陈述编号为 1 到 {max}"),
            (DisputeError::NoteTooLong, Lang::Zh) => format!("备注超过 {MAX_NOTE_CHARS} 个字符"),
        }
    }
}

/// A dispute of `finding` on a graded attempt, checked against its view: a missed or partial
/// verdict needs the number of the learner's statement that says it ("I said this"); a credit is
/// disputed as a whole, quoting the statement that earned it.
pub fn new_dispute(
    view: &FeedbackView,
    attempt: AttemptId,
    finding: &str,
    statement: Option<usize>,
    note: &str,
) -> Result<NewDispute, DisputeError> {
    let f = view.findings.iter().find(|f| f.id == finding).ok_or_else(|| DisputeError::UnknownFinding(finding.into()))?;
    let note = note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(DisputeError::NoteTooLong);
    }
    let (kind, text, source) = match (f.verdict, statement) {
        (Verdict::Hit, Some(_)) => return Err(DisputeError::StatementForCredit(f.id.clone())),
        (Verdict::Hit, None) => (DisputeKind::WrongCredit, f.evidence.clone().unwrap_or_default(), f.source.clone()),
        (_, None) => return Err(DisputeError::NeedsStatement(f.id.clone())),
        (_, Some(n)) => {
            let s = view.statement(n).ok_or(DisputeError::NoSuchStatement { n, max: view.statements.len() })?;
            (DisputeKind::SaidIt, s.text.clone(), Some(s.source.clone()))
        }
    };
    let (item, line) = match source {
        Some(Source::Item { id }) => (Some(id), None),
        Some(Source::Line { line }) => (None, Some(line)),
        None => (None, None),
    };
    Ok(NewDispute {
        attempt_id: attempt,
        finding: f.id.clone(),
        kind,
        verdict: f.verdict.as_str().into(),
        statement: text,
        item,
        line,
        note: note.into(),
    })
}

/// Why disputes cannot be exported as one corpus file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// Nothing to export.
    #[error("no disputes to export")]
    Nothing,
    /// A corpus file holds one drill.
    #[error("the disputes are about several drills ({}); a corpus file holds one: choose one with --drill", .0.join(", "))]
    SeveralDrills(Vec<String>),
}

impl ExportError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (ExportError::Nothing, Lang::Zh) => "没有可导出的异议".into(),
            (ExportError::SeveralDrills(v), Lang::Zh) => {
                format!("异议涉及多个练习（{}）；一个语料文件只对应一个练习：请用 --drill 选择", v.join("、"))
            }
        }
    }
}

#[derive(Serialize)]
struct CorpusFile {
    drill: String,
    case: Vec<Case>,
}

#[derive(Serialize)]
struct Case {
    answer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    lang: &'static str,
    kind: &'static str,
    note: String,
    expect: BTreeMap<String, &'static str>,
}

/// `en`, `zh` or `mixed`, from the characters of a text.
fn text_lang(s: &str) -> &'static str {
    let cjk = s.chars().any(|c| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF));
    let latin = s.chars().filter(char::is_ascii_alphabetic).count() >= 3;
    match (cjk, latin) {
        (true, true) => "mixed",
        (true, false) => "zh",
        _ => "en",
    }
}

/// One corpus case per dispute, labelled with the learner's claim: `found` for "I said this",
/// `not-found` for a wrong credit. Other findings the stored report credited from the same
/// statement stay `found`, so that the case does not call them unearned. `report` is the
/// disputed attempt's stored report, when it can be read.
fn case(d: &Dispute, report: Option<&Report>) -> Case {
    let nd = &d.dispute;
    let mut expect = BTreeMap::new();
    for f in report.map_or(&[][..], |r| &r.findings) {
        if f.id != nd.finding && f.verdict != Verdict::Miss && f.evidence.as_deref() == Some(nd.statement.as_str()) {
            expect.insert(f.id.clone(), "found");
        }
    }
    if nd.kind == DisputeKind::SaidIt {
        expect.insert(nd.finding.clone(), "found");
    }
    let claim = match nd.kind {
        DisputeKind::SaidIt => "the learner says they stated it",
        DisputeKind::WrongCredit => "the learner says the credit is wrong",
    };
    let mut note =
        format!("dispute #{} of attempt #{}: graded {} for `{}`; {claim}", d.id, nd.attempt_id, nd.verdict, nd.finding);
    if !nd.note.is_empty() {
        note.push_str(": ");
        note.push_str(&nd.note);
    }
    Case {
        answer: nd.statement.clone(),
        item: nd.item.clone(),
        line: if nd.item.is_some() { None } else { nd.line },
        lang: text_lang(&nd.statement),
        kind: "dispute",
        note,
        expect,
    }
}

/// The disputes (each with its attempt's stored report) as one corpus file in TOML, for the one
/// drill they are about. Labels are the learner's claims: a pack author reviews each before
/// adding it to the pack's `corpus/<drill>.toml`.
pub fn export_corpus(disputes: &[(Dispute, Option<Report>)]) -> Result<String, ExportError> {
    let mut drills: Vec<String> = disputes.iter().map(|(d, _)| d.drill_id.clone()).collect();
    drills.sort();
    drills.dedup();
    match drills.len() {
        0 => return Err(ExportError::Nothing),
        1 => {}
        _ => return Err(ExportError::SeveralDrills(drills)),
    }
    let file = CorpusFile { drill: drills.remove(0), case: disputes.iter().map(|(d, r)| case(d, r.as_ref())).collect() };
    let body = toml::to_string(&file).unwrap_or_else(|e| format!("# cannot write TOML: {e}\n"));
    Ok(format!(
        "# Disputes exported by `revdrill disputes export`. Each label is the learner's claim, not a\n\
         # reviewed label: check every case against the finding's text before adding it to\n\
         # corpus/{}.toml of the pack (catalog/corpus/ for the catalog) (kinds other than `dispute` may fit better).\n\n{body}",
        file.drill
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_language_is_read_from_its_characters() {
        assert_eq!(super::text_lang("the lookup runs on a cancelled ctx"), "en");
        assert_eq!(super::text_lang("两次调用之间，别人可能已经建了新的"), "zh");
        assert_eq!(super::text_lang("Get 和 Delete 之间有窗口"), "mixed");
    }
}
