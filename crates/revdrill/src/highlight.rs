//! Syntax highlighting of diff lines in the terminal: the spans of the shared highlighter
//! (`revdrill-highlight`, the same the web app uses), each class an `anstyle` style.

use anstyle::{AnsiColor, Color, Style};
use revdrill_highlight::{Class, Side, highlight_hunk};
use revdrill_pack::diff::{Hunk, LineKind};

const fn fg(c: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(c)))
}

/// The terminal style of a token class.
pub fn style(class: Option<Class>) -> Style {
    match class {
        None => Style::new(),
        Some(Class::Keyword) => fg(AnsiColor::Magenta),
        Some(Class::String) => fg(AnsiColor::Green),
        Some(Class::Comment) => fg(AnsiColor::BrightBlack).italic(),
        Some(Class::Number) | Some(Class::Constant) => fg(AnsiColor::Cyan),
        Some(Class::Function) => fg(AnsiColor::Blue),
        Some(Class::Type) => fg(AnsiColor::Yellow),
    }
}

/// A piece of a line and its style.
pub type Segment = (Style, String);

/// The lines of one hunk, highlighted, in hunk order.
pub fn hunk(language: &str, hunk: &Hunk) -> Vec<Vec<Segment>> {
    let lines: Vec<(Side, &str)> = hunk.lines.iter().map(|l| (side(l.kind), l.text.as_str())).collect();
    highlight_hunk(language, &lines).into_iter().map(|l| l.into_iter().map(|s| (style(s.class), s.text)).collect()).collect()
}

fn side(kind: LineKind) -> Side {
    match kind {
        LineKind::Removed => Side::Old,
        LineKind::Added => Side::New,
        LineKind::Context => Side::Both,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terminal styles `code` as `language` so that each `(class, text)` in `expect` is one
    /// segment in that class's style.
    fn check(language: &str, code: &str, expect: &[(Class, &str)]) {
        let h = Hunk {
            header: "@@ -1 +1 @@".into(),
            old_start: 1,
            new_start: 1,
            lines: code
                .lines()
                .map(|l| revdrill_pack::diff::DiffLine {
                    kind: LineKind::Added,
                    old_line: None,
                    new_line: Some(1),
                    text: l.into(),
                })
                .collect(),
        };
        let out = hunk(language, &h);
        for (class, text) in expect {
            let got = out.iter().flatten().find(|s| s.1 == *text).map(|s| s.0);
            assert_eq!(got, Some(style(Some(*class))), "{language}: {text:?} in {out:?}");
            assert_ne!(style(Some(*class)), Style::new());
        }
    }

    use Class::{Comment, Keyword};

    #[test]
    fn every_catalog_language_colours_keywords_strings_and_comments() {
        check("go", "func f() { return \"x\" } // done", &[(Keyword, "func"), (Class::String, "\"x\""), (Comment, "// done")]);
        check("rust", "fn f() { let s = \"x\"; } // done", &[(Keyword, "fn"), (Class::String, "\"x\""), (Comment, "// done")]);
        check("python", "def f():\n    return \"x\"  # done", &[(Keyword, "def"), (Class::String, "\"x\""), (Comment, "# done")]);
        check(
            "java",
            "class A { String f() { return \"x\"; } } // done",
            &[(Keyword, "class"), (Class::String, "\"x\""), (Comment, "// done")],
        );
        check(
            "typescript",
            "function f() { return \"x\"; } // done",
            &[(Keyword, "function"), (Class::String, "\"x\""), (Comment, "// done")],
        );
    }

    /// Reads the web's HTML for a line back into `(css class, text)` pieces.
    fn web_pieces(html: &str) -> Vec<(String, String)> {
        let unescape = |s: &str| {
            s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
        };
        let mut out = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix("<span class=\"") {
                let (class, r) = r.split_once("\">").expect("class");
                let (text, r) = r.split_once("</span>").expect("close");
                out.push((class.to_string(), unescape(text)));
                rest = r;
            } else {
                let end = rest.find("<span").unwrap_or(rest.len());
                out.push((String::new(), unescape(&rest[..end])));
                rest = &rest[end..];
            }
        }
        out
    }

    #[test]
    fn terminal_and_web_colour_every_catalog_hunk_from_the_same_spans() {
        let css_of = |s: Style| {
            Class::ALL.into_iter().filter(|c| style(Some(*c)) == s).map(revdrill_web::highlight::css).collect::<Vec<_>>()
        };
        let mut classed = 0;
        for d in revdrill_catalog::embedded().unwrap() {
            for h in d.diff.iter().flat_map(|f| &f.hunks) {
                let term = hunk(&d.language, h);
                let web = revdrill_web::highlight::hunk_html(&d.language, h);
                assert_eq!(term.len(), web.len());
                for (t, w) in term.iter().zip(&web) {
                    let w = web_pieces(w);
                    assert_eq!(t.len(), w.len(), "{}: {t:?} vs {w:?}", d.id);
                    for ((style, text), (css, wtext)) in t.iter().zip(&w) {
                        assert_eq!(text, wtext, "{}", d.id);
                        if css.is_empty() {
                            assert_eq!(*style, Style::new(), "{}: {text:?}", d.id);
                        } else {
                            assert!(css_of(*style).contains(&css.as_str()), "{}: {text:?} {css}", d.id);
                            classed += 1;
                        }
                    }
                }
            }
        }
        assert!(classed > 100, "the catalog's diffs are coloured ({classed} spans)");
    }
}
