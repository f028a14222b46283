//! Labelled corpora: hand-labelled answers for one drill, and how well the grader agrees with them.
//!
//! A corpus file (format in `docs/pack-format.md`, "Corpus") names its drill and holds cases: an
//! answer (under a checklist item, or as an inline comment on a line), its language and kind, and
//! a label per finding (`found`, `not-found`, or `either`, which is left out of agreement).
//! [`evaluate`] grades every case and counts, per language and per kind:
//! - **agreement**: the share of labelled (answer, finding) pairs where found / not found matches;
//! - **false credit**: of the pairs labelled `not-found`, the share the grader credited;
//! - **misses**: of the pairs labelled `found`, the share the grader did not credit.
//!
//! [`series`] reads the pack's record of fresh blind batches (`corpus/series.toml`).
//!
//! Parsing takes text, not paths: the caller reads the files (the grader does no I/O).

pub mod series;

use std::collections::BTreeMap;
use std::fmt;

use revdrill_pack::{AnswerSet, Drill, LineComment};
use serde::Deserialize;

use crate::grade::Grader;
use crate::report::Verdict;

/// One corpus file: cases for one drill.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusFile {
    /// The drill the cases are written for.
    pub drill: String,
    /// The fresh batch the file belongs to (absent for the tuning corpus).
    #[serde(default)]
    pub batch: Option<String>,
    /// Who wrote the batch.
    #[serde(default)]
    pub writer: Option<String>,
    /// The labelled answers.
    #[serde(rename = "case", default)]
    pub cases: Vec<Case>,
}

/// One labelled answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the learner wrote.
    pub answer: String,
    /// The checklist item it answers (default: the first item).
    #[serde(default)]
    pub item: Option<String>,
    /// Instead of `item`: an inline comment on this new-file line.
    #[serde(default)]
    pub line: Option<u32>,
    /// `en`, `zh` or `mixed`.
    pub lang: String,
    /// What the case probes (`paraphrase`, `negation`, `dismissal`, `gaming`...).
    pub kind: String,
    /// Finding id to label; findings not named are `not-found`.
    #[serde(default)]
    pub expect: BTreeMap<String, Label>,
    /// Trap and decoy ids the answer commits (checked when given).
    #[serde(default)]
    pub commits: Option<Vec<String>>,
    /// Probe pins (`tests/probes.rs`): exactly these traps fire, no others.
    #[serde(default)]
    pub traps: Option<Vec<String>>,
    /// Probe pins (`tests/probes.rs`): exactly these decoys fire, no others.
    #[serde(default)]
    pub decoys: Option<Vec<String>>,
    /// Why the label is what it is.
    #[serde(default)]
    pub note: Option<String>,
}

/// A hand label for one (answer, finding) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// The answer identifies the finding: it must earn a hit or a partial.
    Found,
    /// It does not: it must earn nothing.
    NotFound,
    /// Honestly borderline: left out of agreement.
    Either,
}

/// A corpus that cannot be read or does not fit its drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusError {
    /// The file, as the caller named it.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for CorpusError {}

/// Parses a corpus file; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<CorpusFile, CorpusError> {
    toml::from_str(text).map_err(|e| CorpusError { file: file.to_string(), message: e.to_string() })
}

/// Counts over labelled (answer, finding) pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases graded.
    pub cases: usize,
    /// Pairs labelled `found` or `not-found`.
    pub pairs: usize,
    /// Pairs where the grader agrees.
    pub agree: usize,
    /// Pairs labelled `not-found`.
    pub negatives: usize,
    /// `not-found` pairs the grader credited.
    pub false_credit: usize,
    /// Pairs labelled `found`.
    pub positives: usize,
    /// `found` pairs the grader did not credit.
    pub misses: usize,
    /// Pairs labelled `either` (not counted).
    pub either: usize,
    /// Trap or decoy expectations checked (`commits`), and how many the grader got wrong.
    pub commit_checks: usize,
    /// Of `commit_checks`, the wrong ones.
    pub commit_wrong: usize,
}

impl Tally {
    /// Share of pairs in agreement (1 when there are none).
    pub fn agreement(&self) -> f64 {
        ratio(self.agree, self.pairs, 1.0)
    }

    /// Share of `not-found` pairs credited.
    pub fn false_credit_rate(&self) -> f64 {
        ratio(self.false_credit, self.negatives, 0.0)
    }

    /// Share of `found` pairs not credited.
    pub fn miss_rate(&self) -> f64 {
        ratio(self.misses, self.positives, 0.0)
    }

    fn add(&mut self, o: &Tally) {
        self.cases += o.cases;
        self.pairs += o.pairs;
        self.agree += o.agree;
        self.negatives += o.negatives;
        self.false_credit += o.false_credit;
        self.positives += o.positives;
        self.misses += o.misses;
        self.either += o.either;
        self.commit_checks += o.commit_checks;
        self.commit_wrong += o.commit_wrong;
    }
}

fn ratio(n: usize, d: usize, empty: f64) -> f64 {
    if d == 0 { empty } else { n as f64 / d as f64 }
}

/// One pair (or trap/decoy expectation) where the grader and the label differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// Index of the case in its file.
    pub case: usize,
    /// The case's kind.
    pub kind: String,
    /// The case's language.
    pub lang: String,
    /// The finding (or trap/decoy) id.
    pub id: String,
    /// The label.
    pub want: String,
    /// What the grader said.
    pub got: String,
    /// The answer.
    pub answer: String,
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} [{} {}] {}: want {}, got {}: {}",
            self.case, self.lang, self.kind, self.id, self.want, self.got, self.answer
        )
    }
}

/// The grader against one corpus file.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Every pair.
    pub total: Tally,
    /// By language (`en`, `zh`, `mixed`).
    pub by_lang: BTreeMap<String, Tally>,
    /// By kind.
    pub by_kind: BTreeMap<String, Tally>,
    /// Where grader and label differ.
    pub disagreements: Vec<Disagreement>,
}

impl Evaluation {
    /// Adds another evaluation's counts (disagreements included).
    pub fn merge(&mut self, o: &Evaluation) {
        self.total.add(&o.total);
        for (k, t) in &o.by_lang {
            self.by_lang.entry(k.clone()).or_default().add(t);
        }
        for (k, t) in &o.by_kind {
            self.by_kind.entry(k.clone()).or_default().add(t);
        }
        self.disagreements.extend(o.disagreements.iter().cloned());
    }
}

/// The answer set a case stands for.
pub fn answers_for(drill: &Drill, case: &Case) -> AnswerSet {
    let mut a = AnswerSet { drill: drill.id.clone(), ..Default::default() };
    match case.line {
        Some(line) => a.comments.push(LineComment { line, file: None, severity: None, body: case.answer.clone() }),
        None => {
            let item = case.item.clone().unwrap_or_else(|| drill.checklist[0].id.clone());
            a.answers.insert(item, case.answer.clone());
        }
    }
    a
}

/// Checks that a corpus file fits the grader's drill: its id, every labelled finding, every
/// item, and every trap/decoy id it names.
pub fn check(file_name: &str, file: &CorpusFile, drill: &Drill) -> Result<(), CorpusError> {
    let err = |message: String| Err(CorpusError { file: file_name.to_string(), message });
    if file.drill != drill.id {
        return err(format!("written for drill `{}`, not `{}`", file.drill, drill.id));
    }
    for (i, c) in file.cases.iter().enumerate() {
        if let Some(k) = c.expect.keys().find(|k| drill.finding(k).is_none()) {
            return err(format!("case {i}: unknown finding `{k}`"));
        }
        if let Some(item) = c.item.as_deref().filter(|it| !drill.checklist.iter().any(|x| x.id == *it)) {
            return err(format!("case {i}: unknown checklist item `{item}`"));
        }
        let known = |id: &str| drill.traps.iter().any(|t| t.id == id) || drill.decoys.iter().any(|d| d.id == id);
        if let Some(id) = c.commits.iter().flatten().find(|id| !known(id)) {
            return err(format!("case {i}: unknown trap or decoy `{id}`"));
        }
    }
    Ok(())
}

/// Grades every case of `file` with `grader` and counts agreement with the labels.
pub fn evaluate(file_name: &str, file: &CorpusFile, grader: &Grader) -> Result<Evaluation, CorpusError> {
    let drill = grader.drill();
    check(file_name, file, drill)?;
    let mut ev = Evaluation::default();
    for (i, c) in file.cases.iter().enumerate() {
        let report = grader.grade(&answers_for(drill, c));
        let mut t = Tally { cases: 1, ..Tally::default() };
        let mut disagree = |id: &str, want: &str, got: String| {
            ev.disagreements.push(Disagreement {
                case: i,
                kind: c.kind.clone(),
                lang: c.lang.clone(),
                id: id.to_string(),
                want: want.to_string(),
                got,
                answer: c.answer.clone(),
            });
        };
        for f in &report.findings {
            let label = c.expect.get(&f.id).copied().unwrap_or(Label::NotFound);
            let got = f.verdict != Verdict::Miss;
            let want = match label {
                Label::Either => {
                    t.either += 1;
                    continue;
                }
                Label::Found => true,
                Label::NotFound => false,
            };
            t.pairs += 1;
            if want {
                t.positives += 1;
            } else {
                t.negatives += 1;
            }
            if want == got {
                t.agree += 1;
                continue;
            }
            if want {
                t.misses += 1;
            } else {
                t.false_credit += 1;
            }
            disagree(&f.id, if want { "found" } else { "not-found" }, f.verdict.as_str().to_string());
        }
        if let Some(commits) = &c.commits {
            let fired: Vec<&str> =
                report.traps.iter().map(|t| t.id.as_str()).chain(report.decoys.iter().map(|d| d.id.as_str())).collect();
            for id in drill.traps.iter().map(|t| &t.id).chain(drill.decoys.iter().map(|d| &d.id)) {
                let want = commits.contains(id);
                let got = fired.contains(&id.as_str());
                if want || got {
                    t.commit_checks += 1;
                    if want != got {
                        t.commit_wrong += 1;
                        disagree(id, if want { "fired" } else { "silent" }, if got { "fired" } else { "silent" }.into());
                    }
                }
            }
        }
        ev.total.add(&t);
        ev.by_lang.entry(c.lang.clone()).or_default().add(&t);
        ev.by_kind.entry(c.kind.clone()).or_default().add(&t);
    }
    Ok(ev)
}

/// One line of figures: `cases, pairs, agreement, false credit, misses`, and how many of the
/// trap/decoy expectations (`commits`) the grader got wrong.
pub fn figures(t: &Tally) -> String {
    format!(
        "{:>3} cases {:>4} pairs  agreement {:.3}  false credit {:.3} ({}/{})  missed {}/{}  traps/decoys wrong {}/{}",
        t.cases,
        t.pairs,
        t.agreement(),
        t.false_credit_rate(),
        t.false_credit,
        t.negatives,
        t.misses,
        t.positives,
        t.commit_wrong,
        t.commit_checks
    )
}
