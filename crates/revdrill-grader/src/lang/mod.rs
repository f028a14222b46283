//! Each language's rule tables, one file per language: negation, dismissal, clause words,
//! function words, advice openings and (English) comment cues. Adding a language is adding a file
//! here and reading its tables where the others are read.

pub(crate) mod en;
pub(crate) mod zh;
