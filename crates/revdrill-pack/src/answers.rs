//! Answer files: what a learner wrote for one drill, in the `revdrill grade` input format.
//!
//! Parsing is bounded on any input: the text is at most [`MAX_ANSWERS_BYTES`], it is read once
//! by `serde_json` and once by a small scanner that records where each field is (so every error
//! names its line without searching the text again), and at most [`MAX_REPORTED_ERRORS`]
//! problems are listed.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::PackError;
use crate::model::{Drill, Severity};

/// The largest answers file revdrill reads, in bytes (4 MiB: a thorough review is a few KiB).
/// The CLI stops reading at this size, so `--answers /dev/zero` cannot fill memory.
pub const MAX_ANSWERS_BYTES: u64 = 4 * 1024 * 1024;

/// At most this many problems of one answers file are listed; the rest are counted in one
/// last line.
pub const MAX_REPORTED_ERRORS: usize = 20;

/// A learner's answers to one drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AnswerSet {
    /// Drill id (may be left out; `revdrill grade --drill` names it).
    #[serde(default)]
    pub drill: String,
    /// Checklist item id -> free text.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Inline comments on lines of the diff.
    #[serde(default)]
    pub comments: Vec<LineComment>,
}

impl AnswerSet {
    /// Whether the learner wrote anything at all (an answer or an inline comment).
    pub fn is_empty(&self) -> bool {
        self.answers.values().all(|a| a.trim().is_empty()) && self.comments.is_empty()
    }
}

/// An inline comment on one line of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineComment {
    /// New-file line number, as the drill shows it.
    pub line: u32,
    /// The file, when the diff has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// How serious the learner thinks it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The comment.
    pub body: String,
}

/// Parses an answer file and checks it against its drill (when given): unknown items and lines
/// outside the diff are errors that name the field. A leading byte order mark is skipped; the
/// file must be one JSON object, and each comment an object.
pub fn parse_answers(file: &str, text: &str, drill: Option<&Drill>) -> Result<AnswerSet, Vec<PackError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: Option<usize>, field: String, message: String| PackError { file: file.to_string(), line, field, message };
    if text.len() as u64 > MAX_ANSWERS_BYTES {
        let message = format!("answers file is larger than {} MiB", MAX_ANSWERS_BYTES >> 20);
        return Err(vec![err(None, String::new(), message)]);
    }
    if let Some(found) = not_an_object(text) {
        let message = format!("expected a JSON object {{\"drill\": …, \"answers\": {{…}}}}, found {found}");
        return Err(vec![err(Some(1), String::new(), message)]);
    }
    let mut set: AnswerSet = serde_json::from_str(text).map_err(|e| vec![err(Some(e.line()), String::new(), e.to_string())])?;
    let lines = LineIndex::new(text);
    let at = Locations::scan(text);
    let mut errs = Errors { list: Vec::new(), hidden: 0 };
    for (i, c) in at.comments.iter().enumerate().filter(|(_, c)| !c.is_object) {
        let message = "expected an object {\"line\": N, \"body\": \"…\"}".to_string();
        errs.push(|| err(Some(lines.line(c.start)), format!("comments[{i}]"), message));
    }
    for (key, first, again) in &at.repeated {
        errs.push(|| {
            let message =
                format!("given twice (first on line {}); only one answer per item is kept, so merge them", lines.line(*first));
            err(Some(lines.line(*again)), format!("answers.{key}"), message)
        });
    }
    let Some(drill) = drill else { return errs.into_result(file, set) };
    if set.drill.is_empty() {
        set.drill = drill.id.clone();
    }
    if set.drill != drill.id {
        let message = format!("answers are for drill `{}`, not `{}`", set.drill, drill.id);
        errs.push(|| err(at.drill.map(|o| lines.line(o)), "drill".into(), message));
    }
    let known: Vec<&str> = drill.checklist.iter().map(|c| c.id.as_str()).collect();
    for id in set.answers.keys().filter(|id| !known.contains(&id.as_str())) {
        errs.push(|| {
            let message = format!("no checklist item `{id}` in this drill (items: {})", known.join(", "));
            err(at.answers.get(id.as_str()).map(|&o| lines.line(o)), format!("answers.{id}"), message)
        });
    }
    for (i, c) in set.comments.iter().enumerate().filter(|(_, c)| !drill.shows_line(c.line)) {
        errs.push(|| {
            let line = at.comments.get(i).map(|l| lines.line(l.line.unwrap_or(l.start)));
            err(line, format!("comments[{i}].line"), format!("line {} is not shown in the drill's diff", c.line))
        });
    }
    errs.into_result(file, set)
}

/// What the text starts with when it is not an object (`None` for an object, or for text that
/// is not JSON at all: the parser then says where it breaks).
fn not_an_object(text: &str) -> Option<&'static str> {
    Some(match text.trim_start().bytes().next() {
        None => "an empty file",
        Some(b'{') => return None,
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'-' | b'0'..=b'9') => "a number",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(_) => return None,
    })
}

/// The problems found so far: the first [`MAX_REPORTED_ERRORS`], and how many more.
struct Errors {
    list: Vec<PackError>,
    hidden: usize,
}

impl Errors {
    /// Adds the problem `e()` builds, or only counts it once the list is full (so that a
    /// hostile file costs no message formatting per hidden problem).
    fn push(&mut self, e: impl FnOnce() -> PackError) {
        if self.list.len() < MAX_REPORTED_ERRORS { self.list.push(e()) } else { self.hidden += 1 }
    }

    fn into_result(mut self, file: &str, set: AnswerSet) -> Result<AnswerSet, Vec<PackError>> {
        if self.list.is_empty() {
            return Ok(set);
        }
        if self.hidden > 0 {
            let message = format!("{} more problems not listed", self.hidden);
            self.list.push(PackError { file: file.to_string(), line: None, field: String::new(), message });
        }
        Err(self.list)
    }
}

/// Byte offset -> 1-based line, built in one pass over the text.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts: starts.collect() }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// Where the fields of an answers file are (byte offsets), found in one pass over text that
/// `serde_json` has already accepted.
#[derive(Default)]
struct Locations<'a> {
    /// The `"drill"` key.
    drill: Option<usize>,
    /// Each key of `answers` (escaped keys are decoded), at its first occurrence.
    answers: HashMap<std::borrow::Cow<'a, str>, usize>,
    /// Keys of `answers` given again: (key, first offset, repeated offset). The parser keeps
    /// only the last value, so each is an error rather than a silently dropped answer.
    repeated: Vec<(std::borrow::Cow<'a, str>, usize, usize)>,
    /// Each element of `comments`, in order.
    comments: Vec<CommentAt>,
}

struct CommentAt {
    start: usize,
    is_object: bool,
    /// The value of its `"line"` key.
    line: Option<usize>,
}

impl<'a> Locations<'a> {
    fn scan(text: &'a str) -> Locations<'a> {
        let mut at = Locations::default();
        let mut s = Scanner { b: text.as_bytes(), text, pos: 0 };
        s.object(&mut |s, key, key_at| match key.as_ref() {
            "drill" => {
                at.drill = Some(key_at);
                s.skip_value();
            }
            "answers" if s.peek() == Some(b'{') => s.object(&mut |s, k, k_at| {
                match at.answers.get(&k) {
                    Some(&first) => at.repeated.push((k, first, k_at)),
                    None => {
                        at.answers.insert(k, k_at);
                    }
                }
                s.skip_value();
            }),
            "comments" if s.peek() == Some(b'[') => s.array(&mut |s| {
                let start = s.pos;
                let mut c = CommentAt { start, is_object: s.peek() == Some(b'{'), line: None };
                if c.is_object {
                    s.object(&mut |s, k, _| {
                        if k == "line" {
                            c.line = Some(s.pos);
                        }
                        s.skip_value();
                    });
                } else {
                    s.skip_value();
                }
                at.comments.push(c);
            }),
            _ => s.skip_value(),
        });
        at
    }
}

/// A forward-only walk over valid JSON. On anything unexpected it stops (moves to the end)
/// rather than panic: the locations are then incomplete, never wrong.
struct Scanner<'a> {
    b: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// The next non-space byte, after skipping white space.
    fn peek(&mut self) -> Option<u8> {
        while self.b.get(self.pos).is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
        self.b.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let ok = self.peek() == Some(c);
        if ok {
            self.pos += 1;
        }
        ok
    }

    fn give_up(&mut self) {
        self.pos = self.b.len();
    }

    /// An object: calls `f(scanner, key, key offset)` with the scanner on each value.
    fn object(&mut self, f: &mut dyn FnMut(&mut Self, std::borrow::Cow<'a, str>, usize)) {
        if !self.eat(b'{') || self.eat(b'}') {
            return;
        }
        loop {
            let key_at = self.pos;
            let Some(key) = self.string() else { return self.give_up() };
            if !self.eat(b':') {
                return self.give_up();
            }
            self.peek();
            f(self, key, key_at);
            if self.eat(b'}') {
                return;
            }
            if !self.eat(b',') {
                return self.give_up();
            }
            self.peek();
        }
    }

    /// An array: calls `f(scanner)` with the scanner on each element.
    fn array(&mut self, f: &mut dyn FnMut(&mut Self)) {
        if !self.eat(b'[') || self.eat(b']') {
            return;
        }
        loop {
            self.peek();
            f(self);
            if self.eat(b']') {
                return;
            }
            if !self.eat(b',') {
                return self.give_up();
            }
        }
    }

    /// A string literal, decoded when it has escapes.
    fn string(&mut self) -> Option<std::borrow::Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos;
        let mut escaped = false;
        self.pos += 1;
        loop {
            match *self.b.get(self.pos)? {
                b'\\' => {
                    escaped = true;
                    self.pos += 2;
                }
                b'"' => break,
                _ => self.pos += 1,
            }
        }
        self.pos += 1;
        let raw = self.text.get(start..self.pos)?;
        if escaped { serde_json::from_str::<String>(raw).ok().map(Into::into) } else { Some(raw[1..raw.len() - 1].into()) }
    }

    /// Any value.
    fn skip_value(&mut self) {
        match self.peek() {
            Some(b'{') => self.object(&mut |s, _, _| s.skip_value()),
            Some(b'[') => self.array(&mut |s| s.skip_value()),
            Some(b'"') if self.string().is_none() => self.give_up(),
            Some(b'"') => {}
            Some(_) => {
                while self.b.get(self.pos).is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace()) {
                    self.pos += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_locates_keys_comments_and_escaped_keys() {
        let text = "{\n \"answers\": {\"a\": \"x\\\"}\", \"b\\u0041\": \"\"},\n \"drill\": \"d\",\n \"comments\": [\n  {\"body\": \"[\", \"line\": 3},\n  [1]\n ]\n}";
        let at = Locations::scan(text);
        let lines = LineIndex::new(text);
        assert_eq!(at.drill.map(|o| lines.line(o)), Some(3));
        assert_eq!(
            at.answers.keys().map(|k| k.to_string()).collect::<std::collections::BTreeSet<_>>(),
            ["a".into(), "bA".into()].into()
        );
        assert_eq!(at.comments.len(), 2);
        assert_eq!((lines.line(at.comments[0].start), at.comments[0].is_object), (5, true));
        assert_eq!(&text[at.comments[0].line.unwrap()..][..1], "3");
        assert_eq!((lines.line(at.comments[1].start), at.comments[1].is_object), (6, false));
    }

    #[test]
    fn scanner_never_panics_on_broken_text() {
        for text in
            ["{", "{\"a\"", "{\"a\":", "{\"comments\": [", "{\"comments\": [{\"line\"", "{\"x\": \"\\", "[1,", "{\"a\" 1}"]
        {
            let _ = Locations::scan(text);
        }
    }

    #[test]
    fn line_index_maps_offsets_to_lines() {
        let l = LineIndex::new("ab\ncd\n\nx");
        assert_eq!([0, 2, 3, 5, 6, 7, 100].map(|o| l.line(o)), [1, 1, 2, 2, 3, 4, 4]);
    }
}
