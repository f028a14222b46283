//! The fresh-batch series of a pack's corpus (`corpus/series.toml`, docs/pack-format.md,
//! "Corpus"): the blind batches in the order they were written, each drill's **before-tuning**
//! figures (scored before anything was changed for the batch: the honest measure, never edited
//! afterwards) and the floor the grader's tests hold it to now.
//!
//! A drill ships when the last batch that holds it scored, before tuning, at least
//! [`GOAL_AGREEMENT`] and at most [`GOAL_MAX_FALSE_CREDIT`] ([`Series::verdict`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::CorpusError;

/// The series file's name, inside the pack's `corpus/` folder; every other `*.toml` there is a
/// corpus file.
pub const SERIES_FILE: &str = "series.toml";
/// Issue 10's goal for a fresh batch, before tuning: agreement at least this...
pub const GOAL_AGREEMENT: f64 = 0.95;
/// ...and false credit at most this.
pub const GOAL_MAX_FALSE_CREDIT: f64 = 0.03;

/// The batches, oldest first.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// One entry per batch folder.
    #[serde(rename = "batch", default)]
    pub batches: Vec<Batch>,
}

/// One fresh blind batch: the folder `corpus/<id>/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The folder name.
    pub id: String,
    /// The grader commit the before-tuning figures were measured at.
    pub scored_at: String,
    /// Who wrote it and what was done with it.
    #[serde(default)]
    pub note: String,
    /// Per drill id.
    #[serde(default)]
    pub drills: BTreeMap<String, Record>,
}

/// One drill's figures in one batch, each `[agreement, false credit]`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Scored before anything was changed for the batch.
    pub before: [f64; 2],
    /// Least agreement and most false credit the tests accept now.
    pub floor: [f64; 2],
}

/// Whether a drill's last fresh batch meets the goal.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict<'a> {
    /// No batch holds the drill.
    NoBatch,
    /// The last batch that holds it.
    Last {
        /// Its id.
        batch: &'a str,
        /// The drill's figures there.
        record: Record,
        /// Whether `before` meets the goal.
        meets: bool,
    },
}

impl Series {
    /// Parses `series.toml`; `file` names it in errors. Batch ids must be unique and figures
    /// within 0..=1.
    pub fn parse(file: &str, text: &str) -> Result<Series, CorpusError> {
        let err = |message: String| CorpusError { file: file.to_string(), message };
        let series: Series = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let mut seen = std::collections::BTreeSet::new();
        for b in &series.batches {
            if !seen.insert(b.id.as_str()) {
                return Err(err(format!("batch `{}` is listed twice", b.id)));
            }
            for (drill, r) in &b.drills {
                if r.before.iter().chain(&r.floor).any(|x| !(0.0..=1.0).contains(x)) {
                    return Err(err(format!("batch `{}`, drill `{drill}`: figures must lie within 0 and 1", b.id)));
                }
            }
        }
        Ok(series)
    }

    /// The floor of `drill` in `batch`, if recorded.
    pub fn floor(&self, batch: &str, drill: &str) -> Option<[f64; 2]> {
        self.batches.iter().find(|b| b.id == batch)?.drills.get(drill).map(|r| r.floor)
    }

    /// The last batch holding `drill`, and whether its before-tuning figures meet the goal.
    pub fn verdict(&self, drill: &str) -> Verdict<'_> {
        match self.batches.iter().rev().find_map(|b| b.drills.get(drill).map(|r| (b, *r))) {
            None => Verdict::NoBatch,
            Some((b, record)) => {
                let [agreement, false_credit] = record.before;
                let meets = agreement >= GOAL_AGREEMENT && false_credit <= GOAL_MAX_FALSE_CREDIT;
                Verdict::Last { batch: &b.id, record, meets }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"
[[batch]]
id = "one"
scored_at = "abc"
drills.a = { before = [0.90, 0.05], floor = [0.95, 0.02] }
drills.b = { before = [0.97, 0.01], floor = [0.96, 0.02] }
[[batch]]
id = "two"
scored_at = "def"
drills.a = { before = [0.96, 0.02], floor = [0.95, 0.03] }
"#;

    #[test]
    fn the_last_batch_holding_a_drill_decides() {
        let s = Series::parse("series.toml", TEXT).unwrap();
        assert!(matches!(s.verdict("a"), Verdict::Last { batch: "two", meets: true, .. }));
        assert!(matches!(s.verdict("b"), Verdict::Last { batch: "one", meets: true, .. }));
        assert_eq!(s.verdict("c"), Verdict::NoBatch);
        assert_eq!(s.floor("one", "a"), Some([0.95, 0.02]));
        assert_eq!(s.floor("two", "b"), None);
    }

    #[test]
    fn a_batch_below_the_goal_on_either_measure_does_not_meet_it() {
        let text = TEXT.replace("[0.96, 0.02]", "[0.96, 0.031]");
        let s = Series::parse("series.toml", &text).unwrap();
        assert!(matches!(s.verdict("a"), Verdict::Last { meets: false, .. }));
    }

    #[test]
    fn bad_series_are_errors_naming_the_file() {
        let twice = format!("{TEXT}\n[[batch]]\nid = \"one\"\nscored_at = \"x\"\n");
        let e = Series::parse("p/corpus/series.toml", &twice).unwrap_err();
        assert_eq!(e.file, "p/corpus/series.toml");
        assert!(e.message.contains("`one` is listed twice"), "{e}");
        let e = Series::parse("s", &TEXT.replace("0.90", "9.0")).unwrap_err();
        assert!(e.message.contains("within 0 and 1"), "{e}");
        assert!(Series::parse("s", "[[batch]]\nid = 1\n").is_err());
    }
}
