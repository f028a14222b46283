//! Reading the learner's answers: multi-line blocks from a terminal, an editor or a pipe, and
//! `@LINE [severity]: text` lines that become inline comments.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use revdrill_pack::{LineComment, Severity};

/// Reads answer blocks from `input`: lines up to an empty line or end of input.
pub struct AnswerReader<R> {
    input: R,
    eof: bool,
}

impl<R: BufRead> AnswerReader<R> {
    /// A reader over `input`.
    pub fn new(input: R) -> Self {
        AnswerReader { input, eof: false }
    }

    /// Whether the input has ended.
    pub fn at_eof(&self) -> bool {
        self.eof
    }

    /// The next line without its line ending; `None` at the end of input.
    pub fn read_line(&mut self) -> Result<Option<String>> {
        let mut line = String::new();
        if self.input.read_line(&mut line).context("cannot read from stdin")? == 0 {
            self.eof = true;
            return Ok(None);
        }
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
    }

    /// The next block (possibly empty). A first line of just `e` opens `$EDITOR` instead.
    pub fn read_block(&mut self, editor_header: &str) -> Result<String> {
        let mut lines: Vec<String> = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.input.read_line(&mut line).context("cannot read the answer from stdin")?;
            if n == 0 {
                self.eof = true;
                break;
            }
            let line = line.trim_end_matches(['\n', '\r']).to_string();
            if lines.is_empty() && line.trim() == "e" {
                return edit(editor_header);
            }
            if line.trim().is_empty() {
                if lines.is_empty() {
                    // Leading blank lines separate blocks in piped input; skip them.
                    continue;
                }
                break;
            }
            lines.push(line);
        }
        Ok(lines.join("\n"))
    }
}

/// Opens `$VISUAL`/`$EDITOR` (or `vi`) on a temporary file and returns what was written below
/// the header.
fn edit(header: &str) -> Result<String> {
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let mut file = tempfile::Builder::new().prefix("revdrill-answer-").suffix(".md").tempfile()?;
    for l in header.lines() {
        writeln!(file, "# {l}")?;
    }
    file.flush()?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(file.path())
        .status()
        .with_context(|| format!("cannot start the editor `{editor}`"))?;
    if !status.success() {
        anyhow::bail!("the editor `{editor}` exited with {status}");
    }
    let text = std::fs::read_to_string(file.path())?;
    Ok(text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n").trim().to_string())
}

/// Splits `@LINE [severity]: text` lines out of an answer: (the rest of the answer, comments).
pub fn split_inline_comments(answer: &str) -> (String, Vec<LineComment>) {
    let mut rest = Vec::new();
    let mut comments = Vec::new();
    for line in answer.lines() {
        match parse_inline(line.trim()) {
            Some(c) => comments.push(c),
            None => rest.push(line),
        }
    }
    (rest.join("\n"), comments)
}

fn parse_inline(line: &str) -> Option<LineComment> {
    let body = line.strip_prefix('@')?;
    let digits: String = body.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: u32 = digits.parse().ok()?;
    let after = body[digits.len()..].trim_start();
    let (head, text) = after.split_once(':').unwrap_or(("", after));
    let head = head.trim().to_lowercase();
    let severity = match head.as_str() {
        "" => None,
        "blocker" => Some(Severity::Blocker),
        "major" => Some(Severity::Major),
        "minor" => Some(Severity::Minor),
        "nit" => Some(Severity::Nit),
        // Not a severity: the colon belonged to the text.
        _ => return Some(LineComment { line: n, file: None, severity: None, body: after.trim().to_string() }),
    };
    Some(LineComment { line: n, file: None, severity, body: text.trim().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let mut r = AnswerReader::new(input.as_bytes());
        let mut got = Vec::new();
        while !r.at_eof() {
            got.push(r.read_block("").unwrap());
        }
        assert_eq!(got.join(" | "), expect);
    }

    #[test]
    fn blocks_end_at_empty_lines_and_eof() {
        check("a\nb\n\n\nc\n", "a\nb | c");
        check("", "");
    }

    #[test]
    fn inline_comments_are_split_out() {
        let (rest, c) = split_inline_comments("text\n@258 blocker: Get then Delete races\n@12 plain: colon text");
        assert_eq!(rest, "text");
        assert_eq!((c[0].line, c[0].severity, c[0].body.as_str()), (258, Some(Severity::Blocker), "Get then Delete races"));
        assert_eq!((c[1].line, c[1].severity, c[1].body.as_str()), (12, None, "plain: colon text"));
    }
}
