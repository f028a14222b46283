//! The drill and its answer key, as the rest of revdrill sees them after validation.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::diff::FileDiff;

/// A language revdrill speaks to the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The language named by a locale such as `zh_CN.UTF-8` or `en_US`; English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En }
    }

    /// `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// A text the learner reads, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

impl Localized {
    /// A text from its two translations.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Localized { en: en.into(), zh: zh.into() }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A list of texts (bullets) in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LocalizedList {
    /// English bullets.
    pub en: Vec<String>,
    /// Chinese bullets.
    pub zh: Vec<String>,
}

impl LocalizedList {
    /// The bullets in `lang`.
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// How much a finding matters; also the weight it carries in the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before merging.
    Blocker,
    /// Should be fixed before merging.
    Major,
    /// Worth fixing.
    Minor,
    /// A matter of taste.
    Nit,
}

impl Severity {
    /// All severities, most severe first.
    pub const ALL: [Severity; 4] = [Severity::Blocker, Severity::Major, Severity::Minor, Severity::Nit];

    /// The lower-case name used in packs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Nit => "nit",
        }
    }

    /// The name shown to the learner.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Blocker, Lang::En) => "blocker",
            (Severity::Major, Lang::En) => "major",
            (Severity::Minor, Lang::En) => "minor",
            (Severity::Nit, Lang::En) => "nit",
            (Severity::Blocker, Lang::Zh) => "阻断",
            (Severity::Major, Lang::Zh) => "严重",
            (Severity::Minor, Lang::Zh) => "一般",
            (Severity::Nit, Lang::Zh) => "细节",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of problem a finding is, for per-category progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Goroutines, threads, locks, races.
    Concurrency,
    /// Which errors are handled, how, and what the caller learns.
    ErrorHandling,
    /// Handles, memory, goroutines that outlive their use.
    ResourceLeak,
    /// Anything an attacker can use.
    Security,
    /// Interfaces, signatures, compatibility, error types.
    ApiDesign,
    /// Time and memory.
    Performance,
    /// The code does not do what it says.
    Correctness,
    /// Tests, metrics, observability of the change.
    Testing,
    /// Readability and the cost of future change.
    Maintainability,
}

impl Category {
    /// All categories.
    pub const ALL: [Category; 9] = [
        Category::Concurrency,
        Category::ErrorHandling,
        Category::ResourceLeak,
        Category::Security,
        Category::ApiDesign,
        Category::Performance,
        Category::Correctness,
        Category::Testing,
        Category::Maintainability,
    ];

    /// The kebab-case name used in packs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Concurrency => "concurrency",
            Category::ErrorHandling => "error-handling",
            Category::ResourceLeak => "resource-leak",
            Category::Security => "security",
            Category::ApiDesign => "api-design",
            Category::Performance => "performance",
            Category::Correctness => "correctness",
            Category::Testing => "testing",
            Category::Maintainability => "maintainability",
        }
    }

    /// The category parsed from its kebab-case name.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The name shown to the learner.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => match self {
                Category::Concurrency => "concurrency",
                Category::ErrorHandling => "error handling",
                Category::ResourceLeak => "resource leaks",
                Category::Security => "security",
                Category::ApiDesign => "API design",
                Category::Performance => "performance",
                Category::Correctness => "correctness",
                Category::Testing => "testing",
                Category::Maintainability => "maintainability",
            },
            Lang::Zh => match self {
                Category::Concurrency => "并发",
                Category::ErrorHandling => "错误处理",
                Category::ResourceLeak => "资源泄露",
                Category::Security => "安全",
                Category::ApiDesign => "API 设计",
                Category::Performance => "性能",
                Category::Correctness => "正确性",
                Category::Testing => "测试",
                Category::Maintainability => "可维护性",
            },
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How hard a drill is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// One or two obvious problems.
    Easy,
    /// Several problems, one of them subtle.
    Medium,
    /// Subtle problems that interact.
    Hard,
}

impl Difficulty {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    /// The name shown to the learner.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Difficulty::Easy, Lang::En) => "easy",
            (Difficulty::Medium, Lang::En) => "medium",
            (Difficulty::Hard, Lang::En) => "hard",
            (Difficulty::Easy, Lang::Zh) => "简单",
            (Difficulty::Medium, Lang::Zh) => "中等",
            (Difficulty::Hard, Lang::Zh) => "困难",
        }
    }
}

/// How a checklist item's answer is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Free text matched against the findings.
    #[default]
    Findings,
    /// One English review comment, scored on the comment rubric (and matched against findings).
    Comment,
}

/// One question of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// Stable id, the key of the answer in an answer file.
    pub id: String,
    /// How the answer is graded.
    pub kind: ItemKind,
    /// Finding ids this item asks about.
    pub covers: Vec<String>,
    /// The question.
    pub prompt: Localized,
}

/// The phrasings of one idea, in both languages (see `docs/pack-format.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConceptTerms {
    /// English phrases and backticked code.
    #[serde(default)]
    pub en: Vec<String>,
    /// Chinese phrases (`*` is a short gap).
    #[serde(default)]
    pub zh: Vec<String>,
}

/// A set of concepts that must all occur in one statement.
pub type ConceptGroup = Vec<String>;

/// A problem the change has: the answer key's unit of credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id.
    pub id: String,
    /// Kind of problem.
    pub category: Category,
    /// Weight.
    pub severity: Severity,
    /// Anchor lines (new-file line numbers).
    pub lines: Vec<RangeInclusive<u32>>,
    /// Analyzer rule codes that detect it.
    pub rules: Vec<String>,
    /// Groups of concepts: any group fully present in a statement earns full credit.
    pub hit: Vec<ConceptGroup>,
    /// Groups of concepts: any group present earns partial credit.
    pub partial: Vec<ConceptGroup>,
    /// What is wrong.
    pub problem: Localized,
    /// What happens because of it.
    pub risk: Localized,
    /// What to do instead.
    pub suggestion: Localized,
    /// Suggested code, if any.
    pub code: Option<String>,
    /// A model English review comment.
    pub comment: String,
}

impl Finding {
    /// Whether new-file line `line` is one of this finding's anchors.
    pub fn anchors(&self, line: u32) -> bool {
        self.lines.iter().any(|r| r.contains(&line))
    }
}

/// A known misconception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trap {
    /// Stable id.
    pub id: String,
    /// Groups of concepts that reveal the misconception.
    pub matches: Vec<ConceptGroup>,
    /// Concepts showing the learner already sees the catch.
    pub unless: Vec<String>,
    /// What the learner should know.
    pub feedback: Localized,
}

/// A line that looks wrong but is fine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoy {
    /// Stable id.
    pub id: String,
    /// Lines where an inline comment flags the decoy.
    pub lines: Vec<RangeInclusive<u32>>,
    /// Groups of concepts by which a statement flags the decoy.
    pub matches: Vec<ConceptGroup>,
    /// Why the code is fine.
    pub why: Localized,
}

impl Decoy {
    /// Whether new-file line `line` is one of this decoy's lines.
    pub fn covers_line(&self, line: u32) -> bool {
        self.lines.iter().any(|r| r.contains(&line))
    }
}

/// Where a drill was loaded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Compiled into the binary.
    Embedded,
    /// A folder on disk.
    Dir(String),
}

/// A validated drill: the change, the checklist and the answer key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drill {
    /// Stable id.
    pub id: String,
    /// The PR title, verbatim.
    pub title: String,
    /// URL of the real PR or issue it is modeled on.
    pub source: String,
    /// Programming language of the change.
    pub language: String,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Free words for filtering.
    pub tags: Vec<String>,
    /// Why the change was made.
    pub purpose: Localized,
    /// What the new code does, as bullets.
    pub new_logic: LocalizedList,
    /// The questions, in order.
    pub checklist: Vec<ChecklistItem>,
    /// The drill's own concepts (the grader adds its lexicon).
    pub concepts: BTreeMap<String, ConceptTerms>,
    /// The answer key.
    pub findings: Vec<Finding>,
    /// Known misconceptions.
    pub traps: Vec<Trap>,
    /// Lines that look wrong but are fine.
    pub decoys: Vec<Decoy>,
    /// The unified diff, as written.
    pub diff_text: String,
    /// The diff, parsed.
    pub diff: Vec<FileDiff>,
    /// Example answer files (`answers/*.json`): name and JSON text.
    pub examples: Vec<(String, String)>,
    /// Where it came from.
    pub origin: Origin,
    /// `drill.toml` as written, to locate fields in later checks.
    #[serde(skip)]
    pub toml_text: String,
}

impl Drill {
    /// The categories of its findings, without repeats, in key order.
    pub fn categories(&self) -> Vec<Category> {
        let mut out: Vec<Category> = Vec::new();
        for f in &self.findings {
            if !out.contains(&f.category) {
                out.push(f.category);
            }
        }
        out
    }

    /// The finding with this id.
    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.id == id)
    }

    /// Whether new-file line `line` appears in the diff (added or context).
    pub fn shows_line(&self, line: u32) -> bool {
        self.diff.iter().any(|f| f.shows_new_line(line))
    }

    /// The 1-based line of `drill.toml` that holds `field` (e.g. `findings[1].lines`).
    pub fn line_of(&self, field: &str) -> Option<usize> {
        crate::load::locate(&self.toml_text, field)
    }

    /// The file name used in error messages for `drill.toml`.
    pub fn toml_path(&self) -> String {
        match &self.origin {
            Origin::Embedded => format!("catalog/{}/drill.toml", self.id),
            Origin::Dir(d) => format!("{d}/drill.toml"),
        }
    }
}

/// What a learner may see of a drill: everything but the answer key, texts in one language.
/// This is the shape of `revdrill show --format json` and of the web API's drill.
#[derive(Debug, Clone, Serialize)]
pub struct DrillView<'a> {
    /// Stable id.
    pub id: &'a str,
    /// The PR title.
    pub title: &'a str,
    /// URL of the real PR.
    pub source: &'a str,
    /// Why the change was made.
    pub purpose: &'a str,
    /// Programming language.
    pub language: &'a str,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Free words.
    pub tags: &'a [String],
    /// Categories of its findings (names only: what to look for, not what is there).
    pub categories: Vec<Category>,
    /// What the new code does.
    pub new_logic: &'a [String],
    /// The questions.
    pub checklist: Vec<ItemView<'a>>,
    /// The unified diff text.
    pub diff: &'a str,
}

/// A checklist item as the learner sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView<'a> {
    /// Item id (the key of the answer).
    pub id: &'a str,
    /// How it is graded.
    pub kind: ItemKind,
    /// The question.
    pub prompt: &'a str,
}

/// One line of the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct DrillSummary<'a> {
    /// Stable id.
    pub id: &'a str,
    /// The PR title.
    pub title: &'a str,
    /// URL of the real PR.
    pub source: &'a str,
    /// Programming language.
    pub language: &'a str,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Categories of its findings.
    pub categories: Vec<Category>,
    /// Free words.
    pub tags: &'a [String],
}

impl Drill {
    /// The drill without its answer key, texts in `lang`.
    pub fn view(&self, lang: Lang) -> DrillView<'_> {
        DrillView {
            id: &self.id,
            title: &self.title,
            source: &self.source,
            purpose: self.purpose.get(lang),
            language: &self.language,
            difficulty: self.difficulty,
            tags: &self.tags,
            categories: self.categories(),
            new_logic: self.new_logic.get(lang),
            checklist: self.checklist.iter().map(|c| ItemView { id: &c.id, kind: c.kind, prompt: c.prompt.get(lang) }).collect(),
            diff: &self.diff_text,
        }
    }

    /// The drill's catalog line.
    pub fn summary(&self) -> DrillSummary<'_> {
        DrillSummary {
            id: &self.id,
            title: &self.title,
            source: &self.source,
            language: &self.language,
            difficulty: self.difficulty,
            categories: self.categories(),
            tags: &self.tags,
        }
    }
}
