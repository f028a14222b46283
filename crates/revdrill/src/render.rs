//! Terminal rendering: the drill, the diff, feedback and the final review. Colours go through
//! `anstream`, which drops them when the output is not a terminal or NO_COLOR is set.
//!
//! No text from a pack, an import or the learner reaches the terminal raw: every command writes
//! through [`stdout`] / [`stderr`], whose [`Terminal`] writer shows each control character
//! escaped (`\x1b`, `\u{9b}`) except line breaks, tabs and the colour codes of [`styled`]; and
//! the texts this module prints go through [`safe`], which escapes colour codes too.

use std::fmt;
use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};
use revdrill_feedback::FeedbackView;
use revdrill_grader::Verdict;
use revdrill_pack::diff::LineKind;
use revdrill_pack::{Drill, ItemKind, Lang};

use crate::highlight;
use crate::i18n::t;

const fn fg(c: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(c)))
}
/// Errors.
pub const ERROR: Style = fg(AnsiColor::Red).bold();
/// Headings.
pub const HEADING: Style = Style::new().bold().underline();
/// Secondary text.
pub const DIM: Style = fg(AnsiColor::BrightBlack);
/// Good news.
pub const GOOD: Style = fg(AnsiColor::Green).bold();
/// Half good.
pub const WARN: Style = fg(AnsiColor::Yellow).bold();
/// Bad news.
pub const BAD: Style = fg(AnsiColor::Red).bold();
const ADDED: Style = fg(AnsiColor::Green);
const REMOVED: Style = fg(AnsiColor::Red);

/// `text` in style `s`; control characters in `text` are escaped.
pub fn styled(s: Style, text: &str) -> String {
    format!("{}{}{}", s.render(), safe(text), s.render_reset())
}

/// Text to print, with every control character but `\n` and `\t` escaped: ESC as `\x1b`, BEL
/// as `\x07`, C1 controls as `\u{9b}`. Pack texts, imported subjects and the learner's words
/// are printed through this, so they can neither move the cursor, clear the screen, set the
/// window title nor write the clipboard (OSC 52).
pub fn safe(text: &str) -> Safe<'_> {
    Safe(text)
}

/// See [`safe`].
pub struct Safe<'a>(&'a str);

impl fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(|c: char| is_unsafe(c)) {
            f.write_str(&rest[..i])?;
            let c = rest[i..].chars().next().expect("found at i");
            escape(c, f)?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// A control character that must not reach a terminal raw (all but line feed and tab).
fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn escape(c: char, f: &mut impl fmt::Write) -> fmt::Result {
    if (c as u32) < 0x80 { write!(f, "\\x{:02x}", c as u32) } else { write!(f, "\\u{{{:x}}}", c as u32) }
}

/// Standard output for every command: colours as `anstream` decides, control characters
/// escaped by [`Terminal`].
pub fn stdout() -> Terminal<anstream::Stdout> {
    Terminal::new(anstream::stdout())
}

/// Standard error, like [`stdout`].
pub fn stderr() -> Terminal<anstream::Stderr> {
    Terminal::new(anstream::stderr())
}

/// Longest colour code (`ESC [ params m`) let through, in bytes.
const MAX_SGR: usize = 32;

/// A writer that lets through text, line breaks, tabs and colour codes (`ESC [ digits;... m`,
/// which only change colour and weight), and escapes every other control character, so that no
/// path that forgot [`safe`] can let a pack move the cursor, clear the screen, set the title or
/// write the clipboard. Bytes are handled one at a time, so a sequence split across writes is
/// still seen.
pub struct Terminal<W: Write> {
    inner: W,
    /// Bytes of an escape sequence or of a two-byte UTF-8 character not decided yet.
    pending: Vec<u8>,
}

impl<W: Write> Terminal<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Terminal { inner, pending: Vec::new() }
    }

    /// Decides the pending bytes as text: escaped ESC, the rest as is.
    fn release(&mut self, out: &mut Vec<u8>) {
        let pending = std::mem::take(&mut self.pending);
        match pending.first() {
            Some(0x1b) => {
                out.extend_from_slice(b"\\x1b");
                out.extend_from_slice(&pending[1..]);
            }
            Some(_) => out.extend_from_slice(&pending),
            None => {}
        }
    }

    fn push(&mut self, b: u8, out: &mut Vec<u8>) {
        match (self.pending.first().copied(), b) {
            // A colour code: `ESC [`, digits and `;`, `m`.
            (Some(0x1b), b'[') if self.pending.len() == 1 => self.pending.push(b),
            (Some(0x1b), b'0'..=b'9' | b';') if self.pending.len() >= 2 && self.pending.len() < MAX_SGR => self.pending.push(b),
            (Some(0x1b), b'm') if self.pending.len() >= 2 => {
                out.extend_from_slice(&self.pending);
                out.push(b);
                self.pending.clear();
            }
            // A C1 control is U+0080..=U+009F, in UTF-8 `C2 80`..=`C2 9F`.
            (Some(0xc2), 0x80..=0x9f) => {
                self.pending.clear();
                let _ = escape(char::from(b), &mut FmtBytes(out));
            }
            (Some(_), _) => {
                self.release(out);
                self.push(b, out);
            }
            (None, 0x1b | 0xc2) => self.pending.push(b),
            (None, b'\n' | b'\t') => out.push(b),
            (None, 0..=0x1f | 0x7f) => {
                let _ = escape(char::from(b), &mut FmtBytes(out));
            }
            (None, _) => out.push(b),
        }
    }
}

/// `fmt::Write` into a byte buffer.
struct FmtBytes<'a>(&'a mut Vec<u8>);

impl fmt::Write for FmtBytes<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len() + 8);
        for &b in buf {
            self.push(b, &mut out);
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Terminal<W> {
    fn drop(&mut self) {
        let mut out = Vec::new();
        self.release(&mut out);
        let _ = self.inner.write_all(&out);
        let _ = self.inner.flush();
    }
}

/// `text` in the secondary style.
pub fn dim(text: &str) -> String {
    styled(DIM, text)
}

fn heading(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "\n{}", styled(HEADING, text))
}

/// Title, source, purpose and what the new logic does.
pub fn drill_header(out: &mut impl Write, d: &Drill, lang: Lang) -> io::Result<()> {
    writeln!(out, "{}", styled(Style::new().bold(), &format!("{} · {}", d.id, d.title)))?;
    writeln!(out, "{} {}", styled(DIM, t(lang, "Modeled on:", "原型 PR：")), safe(&d.source))?;
    let cats: Vec<&str> = d.categories().iter().map(|c| c.label(lang)).collect();
    writeln!(
        out,
        "{} {} · {} · {}",
        styled(DIM, t(lang, "Language:", "语言：")),
        safe(&d.language),
        d.difficulty.label(lang),
        cats.join(", ")
    )?;
    heading(out, t(lang, "Purpose", "变更目的"))?;
    writeln!(out, "{}", safe(d.purpose.get(lang)))?;
    heading(out, t(lang, "Diff", "Diff"))?;
    diff(out, d)?;
    heading(out, t(lang, "What the new logic does", "新逻辑"))?;
    for b in d.new_logic.get(lang) {
        writeln!(out, "  • {}", safe(b))?;
    }
    Ok(())
}

/// The diff with old and new line numbers, highlighted.
pub fn diff(out: &mut impl Write, d: &Drill) -> io::Result<()> {
    for f in &d.diff {
        writeln!(out, "{}", styled(Style::new().bold(), &format!("--- {}", f.path())))?;
        for h in &f.hunks {
            writeln!(out, "{}", styled(fg(AnsiColor::Cyan), &h.header))?;
            hunk_lines(out, &d.language, h, 0..h.lines.len(), &[])?;
        }
    }
    Ok(())
}

/// Lines `shown` of a hunk with old and new line numbers, highlighted (the whole hunk, so that
/// constructs spanning lines are right); the lines at `marked` indexes get a `▶` in the margin.
pub fn hunk_lines(
    out: &mut impl Write,
    language: &str,
    h: &revdrill_pack::diff::Hunk,
    shown: std::ops::Range<usize>,
    marked: &[usize],
) -> io::Result<()> {
    let lines = highlight::hunk(language, h);
    for (i, (l, segs)) in h.lines.iter().zip(&lines).enumerate().filter(|(i, _)| shown.contains(i)) {
        let num = |n: Option<u32>| n.map_or("    ".to_string(), |v| format!("{v:>4}"));
        let (mark, mark_style) = match l.kind {
            LineKind::Added => ('+', ADDED),
            LineKind::Removed => ('-', REMOVED),
            LineKind::Context => (' ', Style::new()),
        };
        if !marked.is_empty() {
            write!(out, "{}", if marked.contains(&i) { styled(WARN, "▶ ") } else { "  ".to_string() })?;
        }
        write!(
            out,
            "{} {} {}",
            styled(DIM, &num(l.old_line)),
            styled(DIM, &num(l.new_line)),
            styled(mark_style, &mark.to_string())
        )?;
        for (s, text) in segs {
            write!(out, "{}", styled(*s, &text.replace('\t', "    ")))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Hit => GOOD,
        Verdict::Partial => WARN,
        Verdict::Miss => BAD,
    }
}

/// Feedback on checklist item `index`, right after it is answered: a finding a later item still
/// asks about is not revealed yet (see `FeedbackView::item_feedback`).
pub fn item_feedback(out: &mut impl Write, v: &FeedbackView, index: usize, lang: Lang) -> io::Result<()> {
    let Some(item) = v.items.get(index) else { return Ok(()) };
    if item.kind == ItemKind::Comment {
        let c = &v.comment;
        writeln!(out, "{} {}/100", styled(Style::new().bold(), t(lang, "Comment score:", "评论得分：")), c.score)?;
        for dim in &c.dimensions {
            let mark = if dim.full { styled(GOOD, "✓") } else { styled(WARN, "•") };
            writeln!(out, "  {mark} {}: {}", dim.label, safe(&dim.feedback))?;
        }
        return Ok(());
    }
    let fb = v.item_feedback(index);
    for s in &fb.shown {
        let f = s.finding;
        writeln!(out, "  {} {} ({})", styled(verdict_style(f.verdict), f.verdict_label), safe(&f.id), f.severity_label)?;
        if let Some(ev) = &f.evidence {
            writeln!(out, "      {} “{}”", styled(DIM, t(lang, "you wrote:", "你写道：")), safe(ev))?;
        }
        if let Some(note) = &f.note {
            writeln!(out, "      {}", styled(DIM, note))?;
        }
        if !s.reveal {
            continue;
        }
        if f.verdict == Verdict::Partial && !f.missing.is_empty() {
            writeln!(
                out,
                "      {} {}",
                t(lang, "To make it complete, also say:", "要完整，还需说明："),
                safe(&f.missing.join(", "))
            )?;
        }
        if let Some(r) = &f.reference {
            let style = if f.verdict == Verdict::Partial { DIM } else { Style::new() };
            writeln!(out, "      {}", styled(style, &r.problem))?;
        }
    }
    for w in &fb.withheld {
        writeln!(out, "  {} {}", styled(WARN, "…"), w.message(lang))?;
    }
    for tr in &v.traps {
        writeln!(out, "  {} {}", styled(WARN, t(lang, "Careful:", "注意：")), safe(&tr.feedback))?;
    }
    Ok(())
}

/// The final review, drawn from the stored report's view: verdicts (and disputes), the reference
/// review, traps, decoys, the comment and the score.
pub fn final_report(out: &mut impl Write, v: &FeedbackView, lang: Lang) -> io::Result<()> {
    heading(out, t(lang, "Reference review", "参考评审"))?;
    if v.findings.iter().any(|f| f.reference.is_none()) {
        writeln!(
            out,
            "{}",
            styled(
                DIM,
                t(
                    lang,
                    "The drill is not loaded, so only the verdicts are shown: pass --packs DIR to see the reference review.",
                    "当前没有加载这个练习，只显示判定结果：用 --packs DIR 加载后可看参考评审。"
                )
            )
        )?;
    }
    for f in &v.findings {
        let lines =
            f.reference.as_ref().map(|r| format!(" {}", styled(DIM, &format!("{}: {}", t(lang, "lines", "行"), r.lines))));
        writeln!(
            out,
            "\n{} {} [{} · {}]{}",
            styled(verdict_style(f.verdict), &format!("{:<6}", f.verdict_label)),
            styled(Style::new().bold(), &f.id),
            f.category_label,
            f.severity_label,
            lines.unwrap_or_default()
        )?;
        if let Some(d) = &f.disputed {
            writeln!(out, "  {} {}", styled(WARN, "⚑"), d.label)?;
            if d.kind == revdrill_store::DisputeKind::SaidIt {
                writeln!(out, "    “{}”", safe(&d.statement))?;
            }
            if !d.note.is_empty() {
                writeln!(out, "    {}", styled(DIM, &d.note))?;
            }
        }
        if let Some(ev) = &f.evidence {
            writeln!(out, "  {} “{}”", styled(DIM, t(lang, "your words:", "你的原话：")), safe(ev))?;
        }
        let Some(r) = &f.reference else { continue };
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Problem:", "问题：")), safe(&r.problem))?;
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Risk:", "风险：")), safe(&r.risk))?;
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Suggestion:", "建议：")), safe(&r.suggestion))?;
        if let Some(code) = &r.code {
            for l in code.lines() {
                writeln!(out, "      {}", styled(fg(AnsiColor::Cyan), &l.replace('\t', "    ")))?;
            }
        }
        writeln!(out, "  {} {}", styled(DIM, t(lang, "Comment:", "评论范例：")), safe(&r.comment))?;
    }
    if !v.traps.is_empty() {
        heading(out, t(lang, "Misconceptions", "常见误区"))?;
        for tr in &v.traps {
            writeln!(out, "  “{}”\n  {} {}", safe(&tr.evidence), styled(WARN, "→"), safe(&tr.feedback))?;
        }
    }
    if !v.decoys.is_empty() {
        heading(out, t(lang, "Flagged but fine", "误报"))?;
        for dc in &v.decoys {
            let at = dc.line.map(|l| format!(" ({} {l})", t(lang, "line", "行"))).unwrap_or_default();
            writeln!(out, "  “{}”{at}\n  {} {}", safe(&dc.evidence), styled(WARN, "→"), safe(&dc.why))?;
        }
    }
    if !v.set_aside.is_empty() {
        heading(out, t(lang, "Statements that earned nothing", "未得分的陈述"))?;
        for s in &v.set_aside {
            let style = if s.not_in_key { DIM } else { WARN };
            writeln!(out, "  “{}”\n    {}", safe(&s.text), styled(style, &s.reason))?;
        }
    }
    comment_report(out, v, lang)?;
    heading(out, t(lang, "Score", "得分"))?;
    let style = if v.score >= 80 {
        GOOD
    } else if v.score >= 50 {
        WARN
    } else {
        BAD
    };
    writeln!(out, "  {} / 100", styled(style, &v.score.to_string()))?;
    if v.disputed() > 0 {
        writeln!(
            out,
            "  {}",
            styled(
                DIM,
                &match lang {
                    Lang::En =>
                        format!("{} verdict(s) disputed: the score stands until a pack author reviews them.", v.disputed()),
                    Lang::Zh => format!("{} 项判定有异议：分数不变，待题目作者复核。", v.disputed()),
                }
            )
        )?;
    }
    for c in &v.categories {
        writeln!(out, "  {} {:>3}  {}", pad(c.label, 16), c.score, bar(c.score))?;
    }
    Ok(())
}

fn comment_report(out: &mut impl Write, v: &FeedbackView, lang: Lang) -> io::Result<()> {
    heading(out, t(lang, "Your English comment", "你的英文评论"))?;
    let c = &v.comment;
    if c.text.is_empty() {
        writeln!(out, "  {}", t(lang, "(none written)", "（未填写）"))?;
    } else {
        writeln!(out, "  {} {}/100", t(lang, "Score:", "得分："), c.score)?;
        for dim in &c.dimensions {
            let mark = if dim.full { styled(GOOD, "✓") } else { styled(WARN, "•") };
            writeln!(out, "  {mark} {} {}", pad(dim.label, 9), safe(&dim.feedback))?;
        }
    }
    if let Some(rw) = &c.rewrite {
        writeln!(
            out,
            "  {}\n    {}",
            styled(Style::new().bold(), t(lang, "Your point, rewritten:", "基于你的观点改写：")),
            safe(rw)
        )?;
    }
    if let Some(m) = &c.model {
        writeln!(out, "  {}\n    {}", styled(Style::new().bold(), t(lang, "Model comment:", "范例评论：")), safe(m))?;
    }
    writeln!(
        out,
        "  {}",
        styled(
            DIM,
            t(
                lang,
                "Template: <label> (<decoration>): <what is wrong, naming the code> — <why it matters> — <what to do instead>?",
                "句式：<label> (<decoration>): <哪里不对，点名代码> — <为什么重要> — <建议怎么改>?"
            )
        )
    )
}

/// The learner's statements, numbered as a dispute names them.
pub fn statements(out: &mut impl Write, v: &FeedbackView, lang: Lang) -> io::Result<()> {
    writeln!(out, "{}", styled(Style::new().bold(), t(lang, "Your statements:", "你的陈述：")))?;
    for s in &v.statements {
        writeln!(out, "  [{}] {} {}", s.n, styled(DIM, &format!("({})", s.at)), s.text)?;
    }
    Ok(())
}

/// `s` padded with spaces to `width` terminal columns (CJK characters take two).
pub fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// A 20-character bar for a 0-100 value.
pub fn bar(v: u8) -> String {
    let n = (v as usize * 20).div_ceil(100);
    format!("{}{}", "█".repeat(n), "░".repeat(20 - n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Control characters in `out` that a terminal would act on: everything but `\n`, `\t` and
    /// colour codes (`ESC [ digits;... m`), each with a little context.
    fn raw_controls(out: &str) -> Vec<String> {
        let mut found = Vec::new();
        let chars: Vec<char> = out.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\x1b' && chars.get(i + 1) == Some(&'[') {
                let end = chars[i + 2..].iter().position(|c| !(c.is_ascii_digit() || *c == ';')).map(|p| i + 2 + p);
                if let Some(end) = end.filter(|&e| chars[e] == 'm') {
                    i = end + 1;
                    continue;
                }
            }
            if c.is_control() && c != '\n' && c != '\t' {
                found.push(chars[i.saturating_sub(8)..(i + 8).min(chars.len())].iter().collect());
            }
            i += 1;
        }
        found
    }

    /// Hostile text: window title (OSC 0), clipboard (OSC 52), clear screen, bell, C1 CSI.
    const HOSTILE: &str = "x\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x1b[8mhidden\u{9b}31m\r";

    #[test]
    fn no_pack_or_learner_text_reaches_the_terminal_raw() {
        let mut d = revdrill_catalog::Catalog::load(&[] as &[&std::path::Path])
            .unwrap()
            .get(revdrill_catalog::SEED_DRILL)
            .unwrap()
            .clone();
        d.title = HOSTILE.into();
        d.source = HOSTILE.into();
        d.language = HOSTILE.into();
        d.purpose = revdrill_pack::Localized::new(HOSTILE, HOSTILE);
        d.new_logic.en.push(HOSTILE.into());
        d.diff[0].hunks[0].header = HOSTILE.into();
        d.diff[0].hunks[0].lines[0].text = HOSTILE.into();
        for f in &mut d.findings {
            f.problem = revdrill_pack::Localized::new(HOSTILE, HOSTILE);
            f.risk = f.problem.clone();
            f.suggestion = f.problem.clone();
            f.comment = HOSTILE.into();
            f.code = Some(HOSTILE.into());
        }
        for t in &mut d.traps {
            t.feedback = revdrill_pack::Localized::new(HOSTILE, HOSTILE);
        }
        let mut answers = revdrill_pack::AnswerSet { drill: d.id.clone(), ..Default::default() };
        for item in &d.checklist {
            answers.answers.insert(item.id.clone(), format!("The goroutine leaks {HOSTILE}. nit: {HOSTILE}"));
        }
        let report = revdrill_grader::Grader::new(&d).grade(&answers);
        let mut out = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            drill_header(&mut out, &d, lang).unwrap();
            let view = revdrill_feedback::FeedbackView::build(&report, Some(&d), &answers, &[], lang);
            for i in 0..d.checklist.len() {
                item_feedback(&mut out, &view, i, lang).unwrap();
            }
            final_report(&mut out, &view, lang).unwrap();
        }
        let out = String::from_utf8(out).unwrap();
        let raw = raw_controls(&out);
        assert!(raw.is_empty(), "{} raw control characters, the first: {:?}", raw.len(), &raw[..raw.len().min(3)]);
        // Colour codes from a text are escaped too, so they show rather than hide the text.
        assert!(out.contains("\\x1b[8mhidden"), "{out}");
        assert!(!out.contains("\x1b[8m"));
    }

    fn through_terminal(writes: &[&str]) -> String {
        let mut buf = Vec::new();
        {
            let mut t = Terminal::new(&mut buf);
            for w in writes {
                t.write_all(w.as_bytes()).unwrap();
            }
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn the_terminal_writer_escapes_controls_but_keeps_colour_and_line_breaks() {
        assert_eq!(through_terminal(&["a\x1b]0;t\x07b\n\tc"]), "a\\x1b]0;t\\x07b\n\tc",);
        assert_eq!(through_terminal(&["\x1b[1;31mred\x1b[0m"]), "\x1b[1;31mred\x1b[0m");
        assert_eq!(through_terminal(&["\x1b[2J", "\u{9b}2J", "\r\x7f"]), "\\x1b[2J\\u{9b}2J\\x0d\\x7f");
        // Split across writes, and cut off at the end.
        assert_eq!(through_terminal(&["\x1b", "[2", "J é", "\u{e9}", "\x1b"]), "\\x1b[2J éé\\x1b");
        assert_eq!(through_terminal(&["\x1b[3", "m¢", "\u{85}"]), "\x1b[3m¢\\u{85}");
        assert_eq!(raw_controls(&through_terminal(&[HOSTILE])), Vec::<String>::new());
    }
}
