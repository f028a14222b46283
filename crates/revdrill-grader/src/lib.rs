//! Grading a learner's review against a drill's answer key: deterministic, offline, explainable.
//!
//! The pipeline: answers and inline comments are split into statements ([`text`]); each statement
//! is searched for the drill's concepts ([`concepts`]), with negation decided per occurrence; a
//! finding is earned when all concepts of one of its groups occur, un-negated, in one statement
//! ([`grade`]); the English comment is scored on a rubric ([`comment`]). Every verdict keeps the
//! statement and the terms that produced it, so feedback can quote the learner.
#![deny(missing_docs)]

pub mod comment;
pub mod concepts;
pub mod corpus;
mod grade;
mod lang;
mod report;
pub mod text;
mod validate;

pub use grade::{CARD_ITEM, Grader, Weights};
pub use report::*;
pub use validate::{check_concepts, lint_concepts};
