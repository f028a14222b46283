//! Answer files: what a learner wrote for one drill, in the `revdrill grade` input format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::PackError;
use crate::model::{Drill, Severity};

/// A learner's answers to one drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AnswerSet {
    /// Drill id (may be left out; `revdrill grade --drill` names it).
    #[serde(default)]
    pub drill: String,
    /// Checklist item id -> free text.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Inline comments on lines of the diff.
    #[serde(default)]
    pub comments: Vec<LineComment>,
}

/// An inline comment on one line of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineComment {
    /// New-file line number, as the drill shows it.
    pub line: u32,
    /// The file, when the diff has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// How serious the learner thinks it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The comment.
    pub body: String,
}

/// Parses an answer file and checks it against its drill (when given): unknown items and lines
/// outside the diff are errors that name the field.
pub fn parse_answers(file: &str, text: &str, drill: Option<&Drill>) -> Result<AnswerSet, Vec<PackError>> {
    let mut set: AnswerSet = serde_json::from_str(text).map_err(|e| {
        vec![PackError { file: file.to_string(), line: Some(e.line()), field: String::new(), message: e.to_string() }]
    })?;
    let Some(drill) = drill else { return Ok(set) };
    let mut errs = Vec::new();
    let line_of = |needle: &str| text.find(needle).map(|o| text[..o].lines().count().max(1));
    if set.drill.is_empty() {
        set.drill = drill.id.clone();
    }
    if set.drill != drill.id {
        errs.push(PackError {
            file: file.into(),
            line: line_of("\"drill\""),
            field: "drill".into(),
            message: format!("answers are for drill `{}`, not `{}`", set.drill, drill.id),
        });
    }
    for id in set.answers.keys() {
        if !drill.checklist.iter().any(|c| &c.id == id) {
            let known: Vec<&str> = drill.checklist.iter().map(|c| c.id.as_str()).collect();
            errs.push(PackError {
                file: file.into(),
                line: line_of(&format!("\"{id}\"")),
                field: format!("answers.{id}"),
                message: format!("no checklist item `{id}` in this drill (items: {})", known.join(", ")),
            });
        }
    }
    for (i, c) in set.comments.iter().enumerate() {
        if !drill.shows_line(c.line) {
            errs.push(PackError {
                file: file.into(),
                line: line_of(&format!("\"line\": {}", c.line)),
                field: format!("comments[{i}].line"),
                message: format!("line {} is not shown in the drill's diff", c.line),
            });
        }
    }
    if errs.is_empty() { Ok(set) } else { Err(errs) }
}
