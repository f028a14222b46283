//! Problems found in a pack, each located by file, line and field.

use std::fmt;

/// One problem in a drill pack: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    /// The file, as the user would name it (e.g. `catalog/foo/drill.toml`).
    pub file: String,
    /// 1-based line in `file`, when known.
    pub line: Option<usize>,
    /// The field path, e.g. `findings[2].lines`; empty for whole-file problems.
    pub field: String,
    /// What is wrong, in English (pack authors read English errors, like compiler errors).
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems of one load, in file order.
#[derive(Debug, Clone, Default, thiserror::Error)]
pub struct PackErrors(pub Vec<PackError>);

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}
