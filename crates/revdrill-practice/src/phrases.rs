//! The phrasebook: English review-comment phrases, each with its Chinese meaning and when to use
//! it (`data/phrases.toml`, compiled in), and the learner's own best-scored comments picked from
//! stored reports.

use serde::{Deserialize, Serialize};

use revdrill_pack::{Lang, Localized};

/// What a phrase is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A question that invites the author to check.
    Asking,
    /// A change that would help but does not block.
    Suggesting,
    /// A problem that must be fixed before merging.
    Blocking,
    /// A small, optional point.
    Nit,
    /// Credit for something done well.
    Praise,
    /// Disagreeing politely.
    Disagreeing,
}

impl Kind {
    /// Every kind, in the phrasebook's order.
    pub const ALL: [Kind; 6] = [Kind::Asking, Kind::Suggesting, Kind::Blocking, Kind::Nit, Kind::Praise, Kind::Disagreeing];

    /// The kind's heading.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, zh) = match self {
            Kind::Asking => ("Asking", "提问"),
            Kind::Suggesting => ("Suggesting", "建议"),
            Kind::Blocking => ("Blocking", "阻塞问题"),
            Kind::Nit => ("Nit", "小问题"),
            Kind::Praise => ("Praise", "称赞"),
            Kind::Disagreeing => ("Disagreeing politely", "礼貌地表达不同意见"),
        };
        if lang == Lang::Zh { zh } else { en }
    }
}

/// One phrase of the phrasebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrase {
    /// What it is for.
    pub kind: Kind,
    /// The English phrase; `{}` marks where the reviewer's own words go.
    pub en: String,
    /// Its meaning in Chinese.
    pub zh: String,
    /// When to use it.
    pub when: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Book {
    phrase: Vec<Phrase>,
}

/// The phrasebook source, as compiled in.
pub const PHRASES_TOML: &str = include_str!("../data/phrases.toml");

/// Every phrase, in file order.
pub fn phrasebook() -> Vec<Phrase> {
    parse(PHRASES_TOML).expect("data/phrases.toml is checked by the crate's tests")
}

/// Parses a phrasebook text.
pub fn parse(text: &str) -> Result<Vec<Phrase>, toml::de::Error> {
    toml::from_str::<Book>(text).map(|b| b.phrase)
}

/// The phrases of one kind (all when `kind` is `None`).
pub fn of_kind(kind: Option<Kind>) -> Vec<Phrase> {
    phrasebook().into_iter().filter(|p| kind.is_none_or(|k| p.kind == k)).collect()
}

/// One of the learner's own comments, as graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnComment {
    /// The attempt it came from.
    pub attempt: i64,
    /// The drill.
    pub drill: String,
    /// The comment score, 0-100.
    pub score: u8,
    /// The comment as written.
    pub text: String,
}

/// The `top` best-scored comments among stored reports `(attempt, drill, report JSON)`; the
/// highest score first, the newer attempt first on a tie; empty comments and unreadable reports
/// are skipped, and the same text is listed once.
pub fn best_comments<'a>(reports: impl IntoIterator<Item = (i64, &'a str, &'a str)>, top: usize) -> Vec<OwnComment> {
    let mut all: Vec<OwnComment> = reports
        .into_iter()
        .filter_map(|(attempt, drill, json)| {
            let v: serde_json::Value = serde_json::from_str(json).ok()?;
            let text = v["comment"]["text"].as_str()?.trim();
            let score = v["comment"]["score"].as_u64()?;
            (!text.is_empty()).then(|| OwnComment {
                attempt,
                drill: drill.to_string(),
                score: score.min(100) as u8,
                text: text.to_string(),
            })
        })
        .collect();
    all.sort_by(|a, b| b.score.cmp(&a.score).then(b.attempt.cmp(&a.attempt)));
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|c| seen.insert(c.text.clone()));
    all.truncate(top);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_has_both_languages_and_every_kind_has_phrases() {
        let book = phrasebook();
        for p in &book {
            assert!(!p.en.trim().is_empty() && !p.zh.trim().is_empty(), "{p:?}");
            assert!(!p.when.en.trim().is_empty() && !p.when.zh.trim().is_empty(), "{p:?}");
            assert!(p.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "zh is Chinese: {p:?}");
            assert_eq!(p.en.matches("{}").count(), p.zh.matches("{}").count(), "same blanks: {p:?}");
        }
        for k in Kind::ALL {
            assert!(book.iter().filter(|p| p.kind == k).count() >= 3, "{k:?}");
        }
    }

    #[test]
    fn an_unknown_kind_is_refused() {
        let bad = "[[phrase]]\nkind = \"rant\"\nen = \"x\"\nzh = \"x\"\nwhen = { en = \"x\", zh = \"x\" }\n";
        assert!(parse(bad).unwrap_err().to_string().contains("rant"));
    }

    #[test]
    fn best_comments_ranks_by_score_then_recency_and_skips_the_rest() {
        let r = |score: u8, text: &str| format!(r#"{{"comment": {{"score": {score}, "text": {}}}}}"#, serde_json::json!(text));
        let (a, b, c, d, e) = (r(40, "ok"), r(90, "great"), r(90, "also great"), r(99, "  "), r(70, "great"));
        let rows = vec![
            (1, "x", a.as_str()),
            (2, "x", b.as_str()),
            (3, "y", c.as_str()),
            (4, "y", d.as_str()),
            (5, "z", "not json"),
            (6, "z", e.as_str()),
        ];
        let got: Vec<(i64, u8)> = best_comments(rows.clone(), 10).iter().map(|c| (c.attempt, c.score)).collect();
        assert_eq!(got, vec![(3, 90), (2, 90), (1, 40)]);
        assert_eq!(best_comments(rows, 1).len(), 1);
    }
}
