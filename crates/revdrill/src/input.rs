//! Reading the learner's answers: multi-line blocks from a terminal, an editor or a pipe,
//! `@LINE [severity]: text` lines that become inline comments, and whole answer files read
//! with a size cap.

use std::io::{BufRead, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use revdrill_pack::{Drill, Lang, LineComment, MAX_ANSWERS_BYTES, Severity};

use crate::i18n::t;

/// Reads answer blocks from `input`: lines up to an empty line or end of input.
pub struct AnswerReader<R> {
    input: R,
    eof: bool,
    /// The editor a line `e` opens; `None` when the input is not a terminal (on a pipe the
    /// editor would read the pipe and swallow the rest of the answers).
    editor: Option<String>,
}

impl<R: BufRead> AnswerReader<R> {
    /// A reader over `input`; `editor` is the command a line `e` opens (see [`editor_command`]),
    /// `None` to treat `e` as text.
    pub fn new(input: R, editor: Option<String>) -> Self {
        AnswerReader { input, eof: false, editor }
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

    /// The next block (possibly empty). A first line of just `e` opens `$EDITOR` instead, when
    /// allowed; otherwise it is text like any other.
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
            if let (Some(editor), true) = (&self.editor, lines.is_empty() && line.trim() == "e") {
                return edit(editor, editor_header);
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

/// `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into())
}

/// Opens `editor` on a temporary file and returns what was written below the header.
fn edit(editor: &str, header: &str) -> Result<String> {
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
    let text = read_bounded(std::fs::File::open(file.path())?, &file.path().display().to_string(), Lang::En)?;
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

/// Reads all of `input` as UTF-8 text, stopping at [`MAX_ANSWERS_BYTES`] (so `/dev/zero` or an
/// endless pipe cannot fill memory); errors name `name`.
pub fn read_bounded(input: impl Read, name: &str, lang: Lang) -> Result<String> {
    let mut buf = Vec::new();
    input
        .take(MAX_ANSWERS_BYTES + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("{} {name}", t(lang, "cannot read", "无法读取")))?;
    if buf.len() as u64 > MAX_ANSWERS_BYTES {
        let mib = MAX_ANSWERS_BYTES >> 20;
        anyhow::bail!(match lang {
            Lang::En => format!("{name}: larger than {mib} MiB, the limit for answers; nothing was graded"),
            Lang::Zh => format!("{name}：超过回答文件的上限 {mib} MiB；未评分"),
        });
    }
    String::from_utf8(buf).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        match lang {
            Lang::En => anyhow::anyhow!("{name}: not UTF-8 text (invalid byte at offset {at})"),
            Lang::Zh => anyhow::anyhow!("{name}：不是 UTF-8 文本（偏移 {at} 处的字节无效）"),
        }
    })
}

/// Reads the answers file `path` (`-` for stdin) with [`read_bounded`]; returns the name to
/// use in messages and the text.
pub fn read_answers_file(path: &str, lang: Lang) -> Result<(String, String)> {
    if path == "-" {
        let text = read_bounded(std::io::stdin().lock(), "<stdin>", lang)?;
        return Ok(("<stdin>".to_string(), text));
    }
    let file = std::fs::File::open(Path::new(path)).with_context(|| format!("{} {path}", t(lang, "cannot read", "无法读取")))?;
    Ok((path.to_string(), read_bounded(file, path, lang)?))
}

/// The new-file lines a drill shows, as ranges (`250-262, 300-310`), prefixed by the file
/// when the diff has several: what an `@LINE` comment may name.
pub fn shown_ranges(drill: &Drill) -> String {
    let many = drill.diff.len() > 1;
    let mut parts = Vec::new();
    for f in &drill.diff {
        let mut lines: Vec<u32> = f.lines().filter_map(|l| l.new_line).collect();
        lines.sort_unstable();
        lines.dedup();
        let mut runs: Vec<String> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let mut j = i;
            while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
                j += 1;
            }
            runs.push(if i == j { lines[i].to_string() } else { format!("{}-{}", lines[i], lines[j]) });
            i = j + 1;
        }
        let name = f.new_path.as_deref().or(f.old_path.as_deref()).unwrap_or("");
        parts.push(if many { format!("{name} {}", runs.join(", ")) } else { runs.join(", ") });
    }
    parts.join("; ")
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
        let mut r = AnswerReader::new(input.as_bytes(), None);
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

    /// Issue 9, item 6: on a pipe, `e` is an answer, not a request to start `$EDITOR` (which
    /// would read the rest of the pipe).
    #[test]
    fn a_piped_e_is_text() {
        check("e\n\nnext\n", "e | next");
    }

    /// A line `e` opens the editor when one is given (a terminal), and its text is the answer.
    #[test]
    fn a_line_e_opens_the_given_editor() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("editor.sh");
        std::fs::write(&script, "#!/bin/sh\necho 'typed in the editor' >> \"$1\"\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let mut r = AnswerReader::new(&b"e\nafter\n"[..], Some(script.display().to_string()));
        assert_eq!(r.read_block("header").unwrap(), "typed in the editor");
        assert_eq!(r.read_block("").unwrap(), "after");
    }

    /// Issue 9, item 10: reading stops at the cap (an endless reader ends with an error).
    #[test]
    fn reading_is_capped() {
        let err = read_bounded(std::io::repeat(b'x'), "/dev/zero", Lang::En).unwrap_err().to_string();
        assert_eq!(err, "/dev/zero: larger than 4 MiB, the limit for answers; nothing was graded");
        let err = read_bounded(&b"{\"a\": \"\xff\"}"[..], "f.json", Lang::Zh).unwrap_err().to_string();
        assert!(err.starts_with("f.json：不是 UTF-8"), "{err}");
        assert_eq!(read_bounded(&b"ok"[..], "f", Lang::En).unwrap(), "ok");
    }
}
