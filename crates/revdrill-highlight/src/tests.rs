//! Every catalog language: keywords, strings and comments come back classed, and text is kept.

use super::*;

/// Highlights `code` (lines split on `\n`) and checks that every `(class, text)` in `expect`
/// is one span, and that the spans of each line concatenate back to the line.
fn check(language: &str, code: &str, expect: &[(Class, &str)]) {
    let lines: Vec<&str> = code.split('\n').collect();
    let out = highlight(language, &lines);
    assert_eq!(out.len(), lines.len(), "{language}: one line out per line in");
    for (spans, line) in out.iter().zip(&lines) {
        assert_eq!(spans.iter().map(|s| s.text.as_str()).collect::<std::string::String>(), *line, "{language}: text kept");
    }
    for (class, text) in expect {
        let found = out.iter().flatten().find(|s| s.text == *text);
        assert_eq!(found.and_then(|s| s.class), Some(*class), "{language}: {text:?} in {out:#?}");
    }
}

use Class::*;

#[test]
fn go() {
    check(
        "go",
        "func f() string {\n\treturn \"x\" // done\n}",
        &[(Keyword, "func"), (Keyword, "return"), (String, "\"x\""), (Comment, "// done"), (Type, "string")],
    );
}

#[test]
fn rust() {
    check(
        "rust",
        "fn f() -> u32 {\n    let s = \"x\"; // done\n    42\n}",
        &[(Keyword, "fn"), (Keyword, "let"), (String, "\"x\""), (Comment, "// done"), (Constant, "42"), (Type, "u32")],
    );
}

#[test]
fn python() {
    check(
        "python",
        "def f(x):\n    # done\n    return \"x\" if x else None",
        &[(Keyword, "def"), (Keyword, "return"), (String, "\"x\""), (Comment, "# done"), (Constant, "None")],
    );
}

#[test]
fn java() {
    check(
        "java",
        "class A {\n  // done\n  String f() { return \"x\"; }\n}",
        &[(Keyword, "class"), (Keyword, "return"), (String, "\"x\""), (Comment, "// done"), (Type, "String")],
    );
}

#[test]
fn typescript() {
    check(
        "typescript",
        "export function f(x: number): string {\n  // done\n  return \"x\";\n}",
        &[(Keyword, "export"), (Keyword, "function"), (Keyword, "return"), (String, "\"x\""), (Comment, "// done")],
    );
}

#[test]
fn a_block_comment_spanning_lines_is_a_comment_on_each_line() {
    check("go", "/* a\nb */ x := 1", &[(Comment, "/* a"), (Comment, "b */")]);
}

#[test]
fn unknown_language_is_plain() {
    assert!(!supported("cobol"));
    assert_eq!(highlight("cobol", &["MOVE A TO B"]), vec![vec![Span { class: None, text: "MOVE A TO B".into() }]]);
}

#[test]
fn a_hunk_is_highlighted_per_side_in_hunk_order() {
    // The removed line opens a block comment only on the old side; the added line is code.
    let hunk = [(Side::Old, "/* old"), (Side::New, "return 1"), (Side::Both, "x */")];
    let out = highlight_hunk("go", &hunk);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0][0].class, Some(Comment));
    assert_eq!(out[1][0], Span { class: Some(Keyword), text: "return".into() });
    // Context comes from the new side, where `x */` is not inside a comment.
    assert_ne!(out[2][0].class, Some(Comment));
}

#[test]
fn every_grammar_and_query_loads() {
    for l in LANGUAGES {
        assert!(config(l).is_some(), "{l}");
    }
}

#[test]
fn calls_numbers_and_template_strings() {
    check("python", "x = foo(1)", &[(Function, "foo"), (Number, "1")]);
    check("typescript", "const t = `a${b}`; foo(1);", &[(Keyword, "const"), (String, "`a"), (Function, "foo"), (Number, "1")]);
    check("java", "int x = foo(1); Bar.baz();", &[(Type, "int"), (Function, "foo"), (Type, "Bar"), (Function, "baz")]);
}
