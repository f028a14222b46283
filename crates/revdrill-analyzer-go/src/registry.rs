//! The rule registry: what each rule is called, how loud it is, and its documentation.
//!
//! Rules are declared with [`declare_rule!`], which keeps the `///` doc comment of the rule
//! struct as the user documentation (ruff/oxc style) and exposes it at run time.

use crate::diagnostic::{Lang, Level};
use serde::Serialize;

/// Static facts about one rule.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleInfo {
    /// Stable code, e.g. `GO002`.
    pub code: &'static str,
    /// Kebab-case name saying what is flagged, e.g. `goroutine-waits-only-on-context`.
    pub name: &'static str,
    /// Default level.
    pub level: Level,
    /// One-line summary in English.
    pub summary_en: &'static str,
    /// One-line summary in Chinese.
    pub summary_zh: &'static str,
    /// True when the rule only runs on unified diffs (it looks at what the change adds).
    pub diff_only: bool,
    /// The words a reviewer uses for what this rule finds: drafted answer keys grade with them.
    pub vocabulary: Vocabulary,
    /// golangci-lint linter names that report the same thing: `//nolint:NAME` on the line
    /// silences this rule too (a bare `//nolint` silences every rule).
    pub nolint: &'static [&'static str],
    /// The raw doc comment (lines carry the leading space of `/// `); see [`RuleInfo::doc`].
    #[serde(skip)]
    pub raw_doc: &'static str,
}

/// How a reviewer names what a rule finds, for drafting answer keys (`revdrill import`): the
/// category and checklist item of the finding, the general concept that goes with it, and the
/// phrases (in the grader's pattern syntax) that show the learner saw it, in English and Chinese.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Vocabulary {
    /// Finding category, e.g. `resource-leak`, `concurrency`, `correctness`.
    pub category: &'static str,
    /// Checklist item the finding belongs to, e.g. `concurrency`, `error-paths`.
    pub item: &'static str,
    /// A general concept (`leak`, `lock`, `error`) that earns partial credit, if any.
    pub general: Option<&'static str>,
    /// English phrases.
    pub en: &'static [&'static str],
    /// Chinese phrases.
    pub zh: &'static [&'static str],
}

impl RuleInfo {
    /// The one-line summary in `lang`.
    pub fn summary(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.summary_en,
            Lang::Zh => self.summary_zh,
        }
    }

    /// The full documentation as Markdown (`## What it does`, `## Why is this bad?`, ...).
    pub fn doc(&self) -> String {
        let mut out = String::with_capacity(self.raw_doc.len());
        for line in self.raw_doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declares a rule: a documented unit struct with an associated `INFO: RuleInfo`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            level: $level:ident,
            summary: ($en:literal, $zh:literal) $(,)?
            $(diff_only: $diff_only:literal $(,)?)?
            $(nolint: [$($nolint:literal),* $(,)?] $(,)?)?
            vocabulary: {
                category: $cat:literal,
                item: $item:literal,
                general: $general:expr,
                en: $ven:expr,
                zh: $vzh:expr $(,)?
            } $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        pub(crate) struct $name;

        impl $name {
            pub(crate) const INFO: $crate::registry::RuleInfo = $crate::registry::RuleInfo {
                code: $code,
                name: $rule_name,
                level: $crate::diagnostic::Level::$level,
                summary_en: $en,
                summary_zh: $zh,
                diff_only: false $(|| $diff_only)?,
                nolint: &[$($($nolint),*)?],
                vocabulary: $crate::registry::Vocabulary { category: $cat, item: $item, general: $general, en: $ven, zh: $vzh },
                raw_doc: concat!($($doc, "\n"),+),
            };
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub fn rules() -> impl Iterator<Item = &'static RuleInfo> {
    crate::rules::RULES.iter().map(|r| &r.info)
}

/// The rule with this code (case-insensitive) or name.
pub fn rule(code_or_name: &str) -> Option<&'static RuleInfo> {
    rules().find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
