//! Answer files against the seed drill: located errors, bounded work on hostile input
//! (issue 9, items 8, 13 and 17).

use std::path::Path;

use revdrill_pack::{Drill, MAX_ANSWERS_BYTES, MAX_REPORTED_ERRORS, load_dir, parse_answers};

fn seed() -> Drill {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog/containerd-shimv1-leak")).unwrap()
}

/// Parses `text` and renders its errors one per line (`ok` when it parses).
fn check(text: &str, expect: &str) {
    let got = match parse_answers("a.json", text, Some(&seed())) {
        Ok(_) => "ok".to_string(),
        Err(errs) => errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"),
    };
    assert_eq!(got, expect, "for input {text:?}");
}

#[test]
fn non_objects_are_refused_with_what_was_found() {
    check("[]", "a.json:1: expected a JSON object {\"drill\": …, \"answers\": {…}}, found an array");
    check(
        "\n [\"containerd-shimv1-leak\", {}]",
        "a.json:1: expected a JSON object {\"drill\": …, \"answers\": {…}}, found an array",
    );
    check("\"x\"", "a.json:1: expected a JSON object {\"drill\": …, \"answers\": {…}}, found a string");
    check("42", "a.json:1: expected a JSON object {\"drill\": …, \"answers\": {…}}, found a number");
    check("null", "a.json:1: expected a JSON object {\"drill\": …, \"answers\": {…}}, found null");
    check("  \n", "a.json:1: expected a JSON object {\"drill\": …, \"answers\": {…}}, found an empty file");
}

#[test]
fn a_comment_written_as_an_array_is_refused_where_it_is() {
    check(
        "{\"comments\": [\n {\"line\": 258, \"body\": \"ok\"},\n [258, null, null, \"as array\"]\n]}",
        "a.json:3: comments[1]: expected an object {\"line\": N, \"body\": \"…\"}",
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    check("\u{feff}{\"answers\": {\"concurrency\": \"leak\"}}", "ok");
    check(
        "\u{feff}{\n\"answers\": {\"nope\": \"x\"}}",
        "a.json:2: answers.nope: no checklist item `nope` in this drill (items: concurrency, error-paths, testing, expression)",
    );
}

/// The line of each error is where the field is, not where its text first appears (before:
/// a text search found `"ghost"` as an earlier answer's value, and missed `"line":99999`
/// written without a space).
#[test]
fn errors_name_the_line_of_the_field_not_of_an_earlier_mention() {
    check(
        "{\"answers\": {\n \"concurrency\": \"ghost\",\n \"testing\": \"\",\n \"ghost\": \"x\"\n},\n\"comments\": [{\"line\": 1,\n \"body\": \"\"}, {\"body\": \"b\",\n\n \"line\":99999}]}",
        "a.json:4: answers.ghost: no checklist item `ghost` in this drill (items: concurrency, error-paths, testing, expression)\n\
         a.json:6: comments[0].line: line 1 is not shown in the drill's diff\n\
         a.json:9: comments[1].line: line 99999 is not shown in the drill's diff",
    );
}

/// Issue 9, item 8: 100,000 unknown item ids. Before the fix every error searched the text
/// again (quadratic: over a minute) and all 100,000 were listed. Now the line index is built
/// once, the list is capped, and the lines are still right. (Timing: scripts/bench-answers.sh.)
#[test]
fn many_unknown_items_give_a_capped_list_with_correct_lines() {
    const N: usize = 100_000;
    let mut text = String::from("{\"answers\": {\n");
    for i in 0..N {
        text.push_str(&format!("\"item{i:06}\": \"x\"{}\n", if i + 1 < N { "," } else { "" }));
    }
    text.push_str("}}");
    assert!((text.len() as u64) < MAX_ANSWERS_BYTES);
    let errs = parse_answers("big.json", &text, Some(&seed())).unwrap_err();
    assert_eq!(errs.len(), MAX_REPORTED_ERRORS + 1);
    // Keys are sorted, so item000000 (line 2) comes first.
    assert_eq!(errs[0].line, Some(2));
    assert_eq!(errs[0].field, "answers.item000000");
    assert_eq!(errs[MAX_REPORTED_ERRORS - 1].line, Some(MAX_REPORTED_ERRORS + 1));
    let last = errs.last().unwrap();
    assert_eq!(last.to_string(), format!("big.json: {} more problems not listed", N - MAX_REPORTED_ERRORS));
}

#[test]
fn text_over_the_size_cap_is_refused_before_parsing() {
    let text = format!("{{\"answers\": {{\"concurrency\": \"{}\"}}}}", "a".repeat(MAX_ANSWERS_BYTES as usize));
    let errs = parse_answers("huge.json", &text, Some(&seed())).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].to_string(), "huge.json: answers file is larger than 4 MiB");
}

/// Hostile probe: an item given twice. JSON parsers keep the last value, so the first answer
/// (here the long one) was silently dropped and graded as if never written. Now both places
/// are named, with or without a drill to check against (the escaped spelling is the same key).
#[test]
fn an_item_given_twice_is_refused_naming_both_lines() {
    check(
        "{\"answers\": {\n \"concurrency\": \"a long careful answer\",\n \"testing\": \"t\",\n \"concurrency\": \"\"\n}}",
        "a.json:4: answers.concurrency: given twice (first on line 2); only one answer per item is kept, so merge them",
    );
    check(
        "{\"answers\": {\"concurrency\": \"a\",\n\"concurr\\u0065ncy\": \"b\"}}",
        "a.json:2: answers.concurrency: given twice (first on line 1); only one answer per item is kept, so merge them",
    );
    let err = parse_answers("b.json", "{\"answers\": {\"x\": \"1\", \"x\": \"2\"}}", None).unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "b.json:1: answers.x: given twice (first on line 1); only one answer per item is kept, so merge them"
    );
}
