//! The drill pack format: what a drill is, how it is read from disk or from memory, and how
//! its mistakes are reported.
//!
//! A drill is a folder with `drill.toml` and `change.diff` (see `docs/pack-format.md`). Loading
//! never stops at the first problem: every problem is collected as a [`PackError`] that names the
//! file, the line and the field, so that an author can fix a pack in one pass.
#![deny(missing_docs)]

mod answers;
pub mod diff;
mod error;
mod load;
mod model;

pub use answers::{AnswerSet, LineComment, MAX_ANSWERS_BYTES, MAX_REPORTED_ERRORS, parse_answers};
pub use error::{PackError, PackErrors};
pub use load::{DrillFiles, MAX_DEPTH, MAX_FILE_SIZE, duplicate_ids, field_line, load_dir, load_drill, load_pack, toml_error};
pub use model::*;
