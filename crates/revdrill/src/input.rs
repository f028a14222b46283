//! Reading the learner's answers: multi-line blocks from a terminal, an editor or a pipe,
//! `@LINE [severity]: text` lines that become inline comments, and whole answer files read
//! with a size cap.

use std::io::{BufRead, Read, Write};
use std::path::Path;

use anyhow::{Context, Result};
use revdrill_pack::{Drill, Lang, LineComment, MAX_ANSWERS_BYTES, Severity};

use crate::i18n::t;

/// The most `drill` reads from stdin in one run, in bytes (as much as the web app's body
/// limit): `drill < /dev/zero` or `yes | revdrill drill` stops here instead of filling memory,
/// and the answers' JSON (at most 6 bytes per byte typed) stays under [`MAX_ANSWERS_BYTES`],
/// so a backup of them can always be graded again with `grade --answers`.
pub const MAX_TYPED_BYTES: u64 = 256 * 1024;

/// The longest line a Linux terminal in canonical mode passes on, in bytes (its line buffer
/// holds 4096 with the line feed): what is typed past it is dropped by the kernel, silently.
/// A line this long from a terminal is taken as cut, and the learner is told at once.
pub const TERMINAL_LINE_MAX: usize = 4095;

/// At most this many lines that were not UTF-8 are remembered (by number); the rest are counted.
const MAX_NOT_UTF8_LINES: usize = 20;

/// Why the reader stopped before the end of its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// [`MAX_TYPED_BYTES`] were read.
    Cap,
    /// A signal was caught (see [`crate::interrupt`]).
    Signal(i32),
    /// Reading failed (what the system said).
    Error(String),
}

/// Reads answer blocks from `input`: lines up to an empty line or end of input. Reading is
/// bounded ([`MAX_TYPED_BYTES`]); bytes that are not UTF-8 are kept as U+FFFD and their lines
/// remembered; a read error or a caught signal ends the input like end of file, keeping the
/// lines read so far. [`AnswerReader::stop`] says which.
pub struct AnswerReader<R> {
    input: R,
    eof: bool,
    /// The editor a line `e` opens; `None` when the input is not a terminal (on a pipe the
    /// editor would read the pipe and swallow the rest of the answers).
    editor: Option<String>,
    left: u64,
    stop: Option<Stop>,
    line_no: usize,
    not_utf8: Vec<usize>,
    not_utf8_more: usize,
    not_utf8_told: usize,
    lang: Lang,
    terminal: bool,
}

impl<R: BufRead> AnswerReader<R> {
    /// A reader over `input`; `editor` is the command a line `e` opens (see [`editor_command`]),
    /// `None` to treat `e` as text.
    pub fn new(input: R, editor: Option<String>) -> Self {
        AnswerReader {
            input,
            eof: false,
            editor,
            left: MAX_TYPED_BYTES,
            stop: None,
            line_no: 0,
            not_utf8: Vec::new(),
            not_utf8_more: 0,
            not_utf8_told: 0,
            lang: Lang::En,
            terminal: false,
        }
    }

    /// Marks the input as a terminal: a line of [`TERMINAL_LINE_MAX`] bytes was cut by it,
    /// and the learner is told at once to type the rest on the next line.
    pub fn terminal(mut self, yes: bool) -> Self {
        self.terminal = yes;
        self
    }

    /// The language of the reader's own messages (an editor that failed).
    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Whether the input has ended (or reading stopped: see [`AnswerReader::stop`]).
    pub fn at_eof(&self) -> bool {
        self.eof
    }

    /// Why reading stopped before the end of the input, if it did.
    pub fn stop(&self) -> Option<&Stop> {
        self.stop.as_ref()
    }

    /// The signal that ended the input, if one did.
    pub fn interrupted(&self) -> Option<i32> {
        match self.stop {
            Some(Stop::Signal(sig)) => Some(sig),
            _ => None,
        }
    }

    /// Lines (1-based) that were not UTF-8, not yet returned by this call (the first
    /// [`MAX_NOT_UTF8_LINES`] are remembered).
    pub fn new_not_utf8_lines(&mut self) -> Vec<usize> {
        let new = self.not_utf8[self.not_utf8_told..].to_vec();
        self.not_utf8_told = self.not_utf8.len();
        new
    }

    /// How many lines were not UTF-8.
    pub fn not_utf8_total(&self) -> usize {
        self.not_utf8.len() + self.not_utf8_more
    }

    /// The next line without its line ending; `None` at the end of input.
    pub fn read_line(&mut self) -> Result<Option<String>> {
        Ok(self.next_line())
    }

    fn end(&mut self, why: Option<Stop>) {
        self.eof = true;
        if self.stop.is_none() {
            self.stop = why;
        }
    }

    /// The next line, read within the byte budget; `None` once the input has ended. A line cut
    /// short by the end, the cap, an error or a signal is still returned.
    fn next_line(&mut self) -> Option<String> {
        if self.eof {
            return None;
        }
        let mut buf = Vec::new();
        loop {
            if let Some(sig) = crate::interrupt::caught() {
                self.end(Some(Stop::Signal(sig)));
                break;
            }
            if self.left == 0 {
                self.end(Some(Stop::Cap));
                break;
            }
            let chunk = match self.input.fill_buf() {
                Ok(c) => c,
                // A signal: the check above decides (EINTR without one of ours: read again).
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) if crate::interrupt::caught().is_some() => continue,
                Err(e) => {
                    self.end(Some(Stop::Error(e.to_string())));
                    break;
                }
            };
            if chunk.is_empty() {
                self.end(None);
                break;
            }
            let room = chunk.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
            let (n, done) = match chunk[..room].iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (room, false),
            };
            buf.extend_from_slice(&chunk[..n]);
            self.input.consume(n);
            self.left -= n as u64;
            if done {
                break;
            }
        }
        if buf.is_empty() && self.eof {
            return None;
        }
        self.line_no += 1;
        if self.terminal && buf.strip_suffix(b"\n").unwrap_or(&buf).len() >= TERMINAL_LINE_MAX {
            self.say_cut();
        }
        let text = match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => {
                if self.not_utf8.len() < MAX_NOT_UTF8_LINES {
                    self.not_utf8.push(self.line_no);
                } else {
                    self.not_utf8_more += 1;
                }
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        Some(text.trim_end_matches(['\n', '\r']).to_string())
    }

    /// Tells the learner that the terminal cut the line just read.
    fn say_cut(&self) {
        let mut err = crate::render::stderr();
        let _ = writeln!(
            err,
            "{} {}",
            t(self.lang, "error:", "错误："),
            match self.lang {
                Lang::En => format!(
                    "this line reached the terminal's limit of {TERMINAL_LINE_MAX} bytes: what was typed past it was dropped by the terminal. \
                     Type the rest on the next line (the answer goes on until an empty line), or use `e` for your editor."
                ),
                Lang::Zh => format!(
                    "这一行达到了终端的 {TERMINAL_LINE_MAX} 字节上限：超出部分已被终端丢弃。请在下一行继续输入其余内容（回答直到空行才结束），或用 `e` 打开编辑器。"
                ),
            }
        );
    }

    /// The next block (possibly empty). A first line of just `e` opens `$EDITOR` instead, when
    /// allowed (if the editor fails, the learner is told and types the answer here instead);
    /// otherwise it is text like any other.
    pub fn read_block(&mut self, editor_header: &str) -> Result<String> {
        let mut lines: Vec<String> = Vec::new();
        while let Some(line) = self.next_line() {
            if let (Some(editor), true) = (&self.editor, lines.is_empty() && line.trim() == "e") {
                match edit(editor, editor_header) {
                    Ok(text) => return Ok(text),
                    Err(e) => {
                        let mut err = crate::render::stderr();
                        let _ = writeln!(
                            err,
                            "{} {e:#}: {}",
                            t(self.lang, "error:", "错误："),
                            t(
                                self.lang,
                                "type the answer here instead (end it with an empty line).",
                                "请直接在这里输入回答（以空行结束）。"
                            )
                        );
                        continue;
                    }
                }
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

/// Opens `editor` on a temporary file and returns what was written, without the header lines
/// it wrote (only those: a line of the learner's own that starts with `#`, a Markdown heading
/// or `#258 races`, is kept).
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
        .with_context(|| format!("cannot start the editor `{editor}`"));
    // A Ctrl-C typed in the editor reached `revdrill` too: it was the editor's.
    crate::interrupt::forget_interrupt();
    let status = status?;
    if !status.success() {
        anyhow::bail!("the editor `{editor}` exited with {status}");
    }
    let text = read_bounded(std::fs::File::open(file.path())?, &file.path().display().to_string(), Lang::En)?;
    let written: Vec<String> = header.lines().map(|l| format!("# {l}").trim_end().to_string()).collect();
    let kept: Vec<&str> = text.lines().filter(|l| !written.iter().any(|h| h == l.trim_end())).collect();
    Ok(kept.join("\n").trim().to_string())
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

    /// Hostile probe 2: lines of the learner's own that start with `#` are kept (before: every
    /// such line was dropped with the header, silently); only the header lines go.
    #[test]
    fn the_editor_keeps_the_learners_own_hash_lines() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("editor.sh");
        std::fs::write(&script, "#!/bin/sh\nprintf '# Summary\\n#258 races with Delete\\nplain text\\n' >> \"$1\"\n").unwrap();
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let mut r = AnswerReader::new(&b"e\n"[..], Some(script.display().to_string()));
        let got = r.read_block("Concurrency: can this leak?\nSecond line").unwrap();
        assert_eq!(got, "# Summary\n#258 races with Delete\nplain text");
    }

    /// Hostile probe 2: an editor that cannot start (or fails) no longer ends the drill with an
    /// error: the learner is told and types the answer at the prompt instead.
    #[test]
    fn a_failing_editor_falls_back_to_typing() {
        let mut r = AnswerReader::new(&b"e\ntyped instead\n\nnext\n"[..], Some("/nonexistent/editor".into()));
        assert_eq!(r.read_block("header").unwrap(), "typed instead");
        assert_eq!(r.read_block("").unwrap(), "next");
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
