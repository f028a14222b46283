//! Findings as data: a [`Diagnostic`] names its rule, where it is, and what to do, in two languages.

use serde::Serialize;

/// How loudly a rule speaks. Maps to SARIF `error` / `warning` / `note`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Almost certainly a bug.
    Error,
    /// Likely a bug; worth a review comment.
    Warning,
    /// Worth a look; often fine on purpose.
    Hint,
}

impl Level {
    /// The lower-case name used in all outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Hint => "hint",
        }
    }
}

/// The language in which messages are rendered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

/// A user-facing string in English and Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

impl Text {
    /// Builds a text from its two translations.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text { en: en.into(), zh: zh.into() }
    }

    /// The translation for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// One finding of one rule at one place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Rule code, e.g. `GO002`.
    pub code: &'static str,
    /// Rule name, e.g. `goroutine-waits-only-on-context`.
    pub name: &'static str,
    /// How serious the rule considers it.
    pub level: Level,
    /// The file, as given (or as named in the diff), with `/` separators.
    pub path: String,
    /// 1-based first line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 1-based last line (inclusive).
    pub end_line: u32,
    /// 1-based column just past the end, in characters.
    pub end_column: u32,
    /// What is wrong.
    pub message: Text,
    /// What to do instead.
    pub help: Text,
    /// The source text of `line`, for code frames (tabs kept, at most 240 bytes).
    pub source_line: String,
}
