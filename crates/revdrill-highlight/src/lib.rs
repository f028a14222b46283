//! One syntax highlighter for the terminal and the browser.
//!
//! Source lines of a catalog language (Go, Rust, Python, Java, TypeScript) are parsed with the
//! tree-sitter grammar and coloured by the grammar's own highlight query
//! (`tree-sitter-highlight`); the captures are folded into a small closed set of token
//! [`Class`]es. The terminal maps a class to an `anstyle` colour, the web to a CSS class; neither
//! knows about grammars. An unknown language, or a fragment the highlighter gives up on, comes
//! back plain, with its text unchanged.
//!
//! Architecture invariant: every renderer of code colours it from [`highlight`] or
//! [`highlight_hunk`]; there is no second lexer.

use std::sync::OnceLock;

use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// The token classes a renderer colours; everything else is plain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    Keyword,
    String,
    Comment,
    Number,
    /// Built-in constants: `true`, `nil`, `None`, `null`, all-caps names.
    Constant,
    Function,
    Type,
}

impl Class {
    /// Every class, for renderers' tables and tests.
    pub const ALL: [Class; 7] =
        [Class::Keyword, Class::String, Class::Comment, Class::Number, Class::Constant, Class::Function, Class::Type];
}

/// A piece of one line: its class (`None` = plain) and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub class: Option<Class>,
    pub text: String,
}

/// One highlighted line.
pub type Line = Vec<Span>;

/// Capture names the grammars' queries use, and the class each folds into. tree-sitter-highlight
/// matches a capture to its longest listed prefix (`function.method` → `function`). Names that
/// stay plain are listed too, so a query's earlier, more specific pattern keeps its precedence.
const CAPTURES: &[(&str, Option<Class>)] = &[
    ("keyword", Some(Class::Keyword)),
    ("string", Some(Class::String)),
    ("escape", Some(Class::String)),
    ("comment", Some(Class::Comment)),
    ("number", Some(Class::Number)),
    ("boolean", Some(Class::Constant)),
    ("constant", Some(Class::Constant)),
    ("function", Some(Class::Function)),
    ("type", Some(Class::Type)),
    ("constructor", Some(Class::Type)),
    ("variable", None),
    ("property", None),
    ("operator", None),
    ("punctuation", None),
    ("attribute", None),
    ("label", None),
    ("embedded", None),
];

/// The languages with a grammar here (the `language` field of a drill).
pub const LANGUAGES: &[&str] = &["go", "rust", "python", "java", "typescript"];

/// Whether `language` is highlighted (otherwise it is shown plain).
pub fn supported(language: &str) -> bool {
    LANGUAGES.contains(&language)
}

fn config(language: &str) -> Option<&'static HighlightConfiguration> {
    static CONFIGS: [OnceLock<Option<HighlightConfiguration>>; 5] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = LANGUAGES.iter().position(|l| *l == language)?;
    CONFIGS[i].get_or_init(|| build(language)).as_ref()
}

fn build(language: &str) -> Option<HighlightConfiguration> {
    let (lang, query): (tree_sitter::Language, String) = match language {
        "go" => (tree_sitter_go::LANGUAGE.into(), tree_sitter_go::HIGHLIGHTS_QUERY.into()),
        "rust" => (tree_sitter_rust::LANGUAGE.into(), tree_sitter_rust::HIGHLIGHTS_QUERY.into()),
        "python" => (tree_sitter_python::LANGUAGE.into(), tree_sitter_python::HIGHLIGHTS_QUERY.into()),
        "java" => (tree_sitter_java::LANGUAGE.into(), tree_sitter_java::HIGHLIGHTS_QUERY.into()),
        // As the TypeScript grammar's tree-sitter.json says: the JavaScript query, then its own.
        "typescript" => (
            tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            format!("{}\n{}", tree_sitter_javascript::HIGHLIGHT_QUERY, tree_sitter_typescript::HIGHLIGHTS_QUERY),
        ),
        _ => return None,
    };
    let mut c = HighlightConfiguration::new(lang, language, &query, "", "").ok()?;
    let names: Vec<&str> = CAPTURES.iter().map(|(n, _)| *n).collect();
    c.configure(&names);
    Some(c)
}

fn plain(lines: &[&str]) -> Vec<Line> {
    lines.iter().map(|l| vec![Span { class: None, text: (*l).to_string() }]).collect()
}

/// Highlights `lines`, one fragment of `language` source (a string or comment may span lines),
/// and returns one [`Line`] per input line whose texts concatenate to it. Plain when the
/// language has no grammar here or highlighting fails.
pub fn highlight(language: &str, lines: &[&str]) -> Vec<Line> {
    let Some(cfg) = config(language) else { return plain(lines) };
    let source = lines.join("\n");
    let mut hl = Highlighter::new();
    let Ok(events) = hl.highlight(cfg, source.as_bytes(), None, |_| None) else { return plain(lines) };
    let mut out: Vec<Line> = vec![Vec::new()];
    let mut stack: Vec<Option<Class>> = Vec::new();
    for ev in events {
        let Ok(ev) = ev else { return plain(lines) };
        match ev {
            HighlightEvent::HighlightStart(h) => stack.push(CAPTURES.get(h.0).and_then(|c| c.1)),
            HighlightEvent::HighlightEnd => {
                stack.pop();
            }
            HighlightEvent::Source { start, end } => {
                let class = stack.last().copied().flatten();
                for (i, piece) in source[start..end].split('\n').enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    push(out.last_mut().expect("never empty"), class, piece);
                }
            }
        }
    }
    if out.len() != lines.len() {
        return plain(lines);
    }
    out
}

/// Appends `text` to `line`, merging it into the last span when the class is the same.
fn push(line: &mut Line, class: Option<Class>, text: &str) {
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some(last) if last.class == class => last.text.push_str(text),
        _ => line.push(Span { class, text: text.to_string() }),
    }
}

/// Which side of a diff a hunk line belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Removed: only in the old file.
    Old,
    /// Added: only in the new file.
    New,
    /// Context: in both.
    Both,
}

/// Highlights one diff hunk: the old side (context + removed) and the new side (context +
/// added) are each highlighted as one fragment, so constructs spanning lines are coloured
/// right; the result has one [`Line`] per hunk line, in hunk order (context from the new side).
pub fn highlight_hunk(language: &str, lines: &[(Side, &str)]) -> Vec<Line> {
    let old: Vec<&str> = lines.iter().filter(|l| l.0 != Side::New).map(|l| l.1).collect();
    let new: Vec<&str> = lines.iter().filter(|l| l.0 != Side::Old).map(|l| l.1).collect();
    let mut old_hl = highlight(language, &old).into_iter();
    let mut new_hl = highlight(language, &new).into_iter();
    lines
        .iter()
        .map(|(side, _)| match side {
            Side::Old => old_hl.next().unwrap_or_default(),
            Side::New => new_hl.next().unwrap_or_default(),
            Side::Both => {
                old_hl.next();
                new_hl.next().unwrap_or_default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
