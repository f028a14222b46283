//! Syntax highlighting of the diff as escaped HTML: the spans of the shared highlighter
//! (`revdrill-highlight`), each class a CSS class (`hl-k` keyword, `hl-s` string, `hl-c`
//! comment, `hl-n` number, `hl-b` constant, `hl-f` function, `hl-t` type; see app.css).

use revdrill_highlight::{Class, Side, Span, highlight_hunk};
use revdrill_pack::diff::{Hunk, LineKind};

use crate::html::esc;

/// The CSS class of a token class.
pub fn css(class: Class) -> &'static str {
    match class {
        Class::Keyword => "hl-k",
        Class::String => "hl-s",
        Class::Comment => "hl-c",
        Class::Number => "hl-n",
        Class::Constant => "hl-b",
        Class::Function => "hl-f",
        Class::Type => "hl-t",
    }
}

/// One line's spans as HTML: plain text escaped, classed text in an escaped `<span>`.
pub fn line_html(spans: &[Span]) -> String {
    let mut out = String::new();
    for s in spans {
        match s.class {
            None => out.push_str(&esc(&s.text)),
            Some(c) => {
                out.push_str("<span class=\"");
                out.push_str(css(c));
                out.push_str("\">");
                out.push_str(&esc(&s.text));
                out.push_str("</span>");
            }
        }
    }
    out
}

/// The side of the diff a line is on.
pub fn side(kind: LineKind) -> Side {
    match kind {
        LineKind::Removed => Side::Old,
        LineKind::Added => Side::New,
        LineKind::Context => Side::Both,
    }
}

/// The lines of one hunk as HTML, in hunk order.
pub fn hunk_html(language: &str, hunk: &Hunk) -> Vec<String> {
    let lines: Vec<(Side, &str)> = hunk.lines.iter().map(|l| (side(l.kind), l.text.as_str())).collect();
    highlight_hunk(language, &lines).iter().map(|l| line_html(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Highlights `code` as `language` and checks the HTML of each line.
    fn check(language: &str, code: &[&str], expect: &[&str]) {
        let got: Vec<String> = revdrill_highlight::highlight(language, code).iter().map(|l| line_html(l)).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn every_catalog_language_colours_keywords_strings_and_comments() {
        check(
            "go",
            &["go func() { x := \"a<b\" // done"],
            &[
                "<span class=\"hl-k\">go</span> <span class=\"hl-k\">func</span>() { x := <span class=\"hl-s\">&quot;a&lt;b&quot;</span> <span class=\"hl-c\">// done</span>",
            ],
        );
        check(
            "rust",
            &["let s = \"x\"; // done"],
            &[
                "<span class=\"hl-k\">let</span> s = <span class=\"hl-s\">&quot;x&quot;</span>; <span class=\"hl-c\">// done</span>",
            ],
        );
        check(
            "python",
            &["return \"x\"  # 注释 <b>"],
            &[
                "<span class=\"hl-k\">return</span> <span class=\"hl-s\">&quot;x&quot;</span>  <span class=\"hl-c\"># 注释 &lt;b&gt;</span>",
            ],
        );
        check(
            "java",
            &["return \"x\"; // done"],
            &[
                "<span class=\"hl-k\">return</span> <span class=\"hl-s\">&quot;x&quot;</span>; <span class=\"hl-c\">// done</span>",
            ],
        );
        check(
            "typescript",
            &["return \"x\"; // done"],
            &[
                "<span class=\"hl-k\">return</span> <span class=\"hl-s\">&quot;x&quot;</span>; <span class=\"hl-c\">// done</span>",
            ],
        );
    }

    #[test]
    fn markup_in_code_is_escaped_and_unknown_languages_are_plain() {
        check("cobol", &["<script>alert(1)</script>"], &["&lt;script&gt;alert(1)&lt;/script&gt;"]);
        check("rust", &["/* <script> */"], &["<span class=\"hl-c\">/* &lt;script&gt; */</span>"]);
    }
}
