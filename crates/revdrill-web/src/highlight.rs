//! Lexical syntax highlighting for the diff: keywords, strings, comments and numbers, as escaped
//! HTML spans. A lexer, not a parser: it is meant to help the eye, and it never fails.

use crate::html::esc;

const GO: &[&str] = &[
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "nil",
    "true",
    "false",
];
const RUST: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct",
    "super", "trait", "true", "type", "unsafe", "use", "where", "while", "Some", "None", "Ok", "Err",
];
const PYTHON: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "False",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "None", "nonlocal", "not", "or", "pass", "raise",
    "return", "True", "try", "while", "with", "yield", "self",
];
const C_LIKE: &[&str] = &[
    "abstract",
    "async",
    "await",
    "boolean",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "final",
    "finally",
    "for",
    "function",
    "if",
    "implements",
    "import",
    "instanceof",
    "interface",
    "let",
    "new",
    "null",
    "private",
    "protected",
    "public",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "throws",
    "true",
    "try",
    "typeof",
    "undefined",
    "var",
    "void",
    "while",
    "yield",
];

fn keywords(language: &str) -> (&'static [&'static str], &'static str) {
    match language {
        "go" => (GO, "//"),
        "rust" => (RUST, "//"),
        "python" => (PYTHON, "#"),
        _ => (C_LIKE, "//"),
    }
}

/// The lines of one file, highlighted; block comments carry across lines.
pub struct Highlighter {
    words: &'static [&'static str],
    line_comment: &'static str,
    in_block: bool,
    backtick: bool,
    lifetimes: bool,
}

impl Highlighter {
    /// A highlighter for a drill's `language`.
    pub fn new(language: &str) -> Self {
        let (words, line_comment) = keywords(language);
        Highlighter { words, line_comment, in_block: false, backtick: language == "go", lifetimes: language == "rust" }
    }

    /// One line as HTML.
    pub fn line(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        let b = text.as_bytes();
        let mut i = 0;
        let span = |out: &mut String, class: &str, s: &str| {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str("\">");
            out.push_str(&esc(s));
            out.push_str("</span>");
        };
        while i < b.len() {
            if self.in_block {
                let end = match text[i..].find("*/") {
                    Some(e) => {
                        self.in_block = false;
                        i + e + 2
                    }
                    None => b.len(),
                };
                span(&mut out, "hl-c", &text[i..end]);
                i = end;
                continue;
            }
            let rest = &text[i..];
            if rest.starts_with(self.line_comment) {
                span(&mut out, "hl-c", rest);
                break;
            }
            if self.line_comment == "//" && rest.starts_with("/*") {
                let end = match rest[2..].find("*/") {
                    Some(e) => i + 2 + e + 2,
                    None => {
                        self.in_block = true;
                        b.len()
                    }
                };
                span(&mut out, "hl-c", &text[i..end]);
                i = end;
                continue;
            }
            let c = b[i];
            if c == b'"' || c == b'\'' || (c == b'`' && self.backtick) {
                let mut j = i + 1;
                while j < b.len() && b[j] != c {
                    if b[j] == b'\\' && c != b'`' {
                        j += 1;
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                // A Rust lifetime (`'a`) is not a string.
                if c == b'\'' && self.lifetimes && end - i > 4 {
                    out.push_str(&esc("'"));
                    i += 1;
                    continue;
                }
                span(&mut out, "hl-s", &text[i..end]);
                i = end;
                continue;
            }
            if c.is_ascii_digit() {
                let mut j = i;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
                    j += 1;
                }
                span(&mut out, "hl-n", &text[i..j]);
                i = j;
                continue;
            }
            if c.is_ascii_alphabetic() || c == b'_' {
                let mut j = i;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                let word = &text[i..j];
                if self.words.contains(&word) {
                    span(&mut out, "hl-k", word);
                } else if j < b.len() && b[j] == b'(' {
                    span(&mut out, "hl-f", word);
                } else {
                    out.push_str(word);
                }
                i = j;
                continue;
            }
            // Copy one character (UTF-8 safe).
            let ch = rest.chars().next().unwrap_or(' ');
            out.push_str(&esc(ch.encode_utf8(&mut [0; 4])));
            i += ch.len_utf8();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(language: &str, lines: &[&str], expect: &[&str]) {
        let mut h = Highlighter::new(language);
        let got: Vec<String> = lines.iter().map(|l| h.line(l)).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn keywords_strings_comments_numbers() {
        check(
            "go",
            &["go func() { x := \"a<b\" // done", "return 42"],
            &[
                "<span class=\"hl-k\">go</span> <span class=\"hl-k\">func</span>() { x := <span class=\"hl-s\">&quot;a&lt;b&quot;</span> <span class=\"hl-c\">// done</span>",
                "<span class=\"hl-k\">return</span> <span class=\"hl-n\">42</span>",
            ],
        );
    }

    #[test]
    fn block_comments_span_lines_and_markup_is_escaped() {
        check(
            "rust",
            &["/* <script>", "still */ fn f<'a>()"],
            &[
                "<span class=\"hl-c\">/* &lt;script&gt;</span>",
                "<span class=\"hl-c\">still */</span> <span class=\"hl-k\">fn</span> f&lt;&#39;a&gt;()",
            ],
        );
    }

    #[test]
    fn python_hash_comments_and_unicode() {
        check(
            "python",
            &["x = 1  # 注释 <b>"],
            &["x = <span class=\"hl-n\">1</span>  <span class=\"hl-c\"># 注释 &lt;b&gt;</span>"],
        );
    }
}
