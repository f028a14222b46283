//! Syntax highlighting of diff lines with tree-sitter grammars (Go and Rust so far); other
//! languages are shown plain.
//!
//! Each side of a hunk (old: context + removed, new: context + added) is highlighted as one
//! fragment, so that strings and comments spanning lines are coloured right; the result is
//! split back into lines.

use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// Capture names we colour, and how.
const NAMES: &[(&str, Style)] = &[
    ("keyword", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Magenta)))),
    ("string", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)))),
    ("comment", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::BrightBlack))).italic()),
    ("function", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)))),
    ("type", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)))),
    ("number", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)))),
    ("constant", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)))),
    ("escape", Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)))),
    ("property", Style::new()),
    ("operator", Style::new()),
];

/// A piece of a line and its style.
pub type Segment = (Style, String);

fn config(language: &str) -> Option<&'static HighlightConfiguration> {
    static GO: OnceLock<Option<HighlightConfiguration>> = OnceLock::new();
    static RUST: OnceLock<Option<HighlightConfiguration>> = OnceLock::new();
    let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
    let make = |lang: tree_sitter::Language, name: &str, query: &str| {
        let mut c = HighlightConfiguration::new(lang, name, query, "", "").ok()?;
        c.configure(&names);
        Some(c)
    };
    match language {
        "go" => GO.get_or_init(|| make(tree_sitter_go::LANGUAGE.into(), "go", tree_sitter_go::HIGHLIGHTS_QUERY)).as_ref(),
        "rust" => {
            RUST.get_or_init(|| make(tree_sitter_rust::LANGUAGE.into(), "rust", tree_sitter_rust::HIGHLIGHTS_QUERY)).as_ref()
        }
        _ => None,
    }
}

/// Highlights `lines` (one fragment of `language` source) line by line; plain when the language
/// has no grammar here or highlighting fails.
pub fn highlight(language: &str, lines: &[&str]) -> Vec<Vec<Segment>> {
    let plain = || lines.iter().map(|l| vec![(Style::new(), l.to_string())]).collect();
    let Some(cfg) = config(language) else { return plain() };
    let source = lines.join("\n");
    let mut hl = Highlighter::new();
    let Ok(events) = hl.highlight(cfg, source.as_bytes(), None, |_| None) else { return plain() };
    let mut out: Vec<Vec<Segment>> = vec![Vec::new()];
    let mut stack: Vec<Style> = Vec::new();
    for ev in events {
        let Ok(ev) = ev else { return plain() };
        match ev {
            HighlightEvent::HighlightStart(h) => stack.push(NAMES.get(h.0).map(|n| n.1).unwrap_or_default()),
            HighlightEvent::HighlightEnd => {
                stack.pop();
            }
            HighlightEvent::Source { start, end } => {
                let style = stack.last().copied().unwrap_or_default();
                for (i, piece) in source[start..end].split('\n').enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        out.last_mut().expect("never empty").push((style, piece.to_string()));
                    }
                }
            }
        }
    }
    if out.len() != lines.len() {
        return plain();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_keywords_and_strings_are_styled_and_text_is_kept() {
        let lines = ["func f() string {", "\treturn \"x\" // done", "}"];
        let out = highlight("go", &lines);
        assert_eq!(out.len(), 3);
        for (segs, line) in out.iter().zip(lines) {
            assert_eq!(segs.iter().map(|s| s.1.as_str()).collect::<String>(), line);
        }
        let styled = |word: &str| out.iter().flatten().find(|s| s.1.contains(word)).map(|s| s.0);
        assert_ne!(styled("func"), Some(Style::new()));
        assert_ne!(styled("\"x\""), Some(Style::new()));
    }

    #[test]
    fn unknown_language_is_plain() {
        let out = highlight("cobol", &["MOVE A TO B"]);
        assert_eq!(out, vec![vec![(Style::new(), "MOVE A TO B".to_string())]]);
    }
}
