//! Terminal rendering: the drill, the diff, feedback and the final review. Colours go through
//! `anstream`, which drops them when the output is not a terminal or NO_COLOR is set.

use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};
use revdrill_grader::{Report, SetAsideReason, Verdict};
use revdrill_pack::diff::LineKind;
use revdrill_pack::{ChecklistItem, Drill, ItemKind, Lang};

use crate::highlight::highlight;
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

fn styled(s: Style, text: &str) -> String {
    format!("{}{text}{}", s.render(), s.render_reset())
}

fn heading(out: &mut impl Write, text: &str) -> io::Result<()> {
    writeln!(out, "\n{}", styled(HEADING, text))
}

/// Title, source, purpose and what the new logic does.
pub fn drill_header(out: &mut impl Write, d: &Drill, lang: Lang) -> io::Result<()> {
    writeln!(out, "{}", styled(Style::new().bold(), &format!("{} · {}", d.id, d.title)))?;
    writeln!(out, "{} {}", styled(DIM, t(lang, "Modeled on:", "原型 PR：")), d.source)?;
    let cats: Vec<&str> = d.categories().iter().map(|c| c.label(lang)).collect();
    writeln!(
        out,
        "{} {} · {} · {}",
        styled(DIM, t(lang, "Language:", "语言：")),
        d.language,
        d.difficulty.label(lang),
        cats.join(", ")
    )?;
    heading(out, t(lang, "Purpose", "变更目的"))?;
    writeln!(out, "{}", d.purpose.get(lang))?;
    heading(out, t(lang, "Diff", "Diff"))?;
    diff(out, d)?;
    heading(out, t(lang, "What the new logic does", "新逻辑"))?;
    for b in d.new_logic.get(lang) {
        writeln!(out, "  • {b}")?;
    }
    Ok(())
}

/// The diff with old and new line numbers, highlighted.
pub fn diff(out: &mut impl Write, d: &Drill) -> io::Result<()> {
    for f in &d.diff {
        writeln!(out, "{}", styled(Style::new().bold(), &format!("--- {}", f.path())))?;
        for h in &f.hunks {
            writeln!(out, "{}", styled(fg(AnsiColor::Cyan), &h.header))?;
            let new_side: Vec<&str> = h.lines.iter().filter(|l| l.kind != LineKind::Removed).map(|l| l.text.as_str()).collect();
            let old_side: Vec<&str> = h.lines.iter().filter(|l| l.kind != LineKind::Added).map(|l| l.text.as_str()).collect();
            let new_hl = highlight(&d.language, &new_side);
            let old_hl = highlight(&d.language, &old_side);
            let (mut ni, mut oi) = (0, 0);
            for l in &h.lines {
                let segs = match l.kind {
                    LineKind::Removed => {
                        oi += 1;
                        &old_hl[oi - 1]
                    }
                    LineKind::Added => {
                        ni += 1;
                        &new_hl[ni - 1]
                    }
                    LineKind::Context => {
                        oi += 1;
                        ni += 1;
                        &new_hl[ni - 1]
                    }
                };
                let num = |n: Option<u32>| n.map_or("    ".to_string(), |v| format!("{v:>4}"));
                let (mark, mark_style) = match l.kind {
                    LineKind::Added => ('+', ADDED),
                    LineKind::Removed => ('-', REMOVED),
                    LineKind::Context => (' ', Style::new()),
                };
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
        }
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

/// Feedback on one checklist item, right after it is answered.
pub fn item_feedback(out: &mut impl Write, d: &Drill, item: &ChecklistItem, r: &Report, lang: Lang) -> io::Result<()> {
    if item.kind == ItemKind::Comment {
        let c = &r.comment;
        writeln!(out, "{} {}/100", styled(Style::new().bold(), t(lang, "Comment score:", "评论得分：")), c.score)?;
        for dim in &c.dimensions {
            let mark = if dim.score >= dim.max && dim.max > 0.0 { styled(GOOD, "✓") } else { styled(WARN, "•") };
            writeln!(out, "  {mark} {}: {}", dim.name, dim.feedback.get(lang))?;
        }
        return Ok(());
    }
    for id in &item.covers {
        let (Some(f), Some(res)) = (d.finding(id), r.finding(id)) else { continue };
        writeln!(out, "  {} {} ({})", styled(verdict_style(res.verdict), res.verdict.label(lang)), f.id, f.severity.label(lang))?;
        if let Some(ev) = &res.evidence {
            writeln!(out, "      {} “{}”", styled(DIM, t(lang, "you wrote:", "你写道：")), ev)?;
        }
        if let Some(note) = &res.note {
            writeln!(out, "      {}", styled(DIM, note.get(lang)))?;
        }
        match res.verdict {
            Verdict::Hit => {}
            Verdict::Partial => {
                if !res.missing.is_empty() {
                    writeln!(
                        out,
                        "      {} {}",
                        t(lang, "To make it complete, also say:", "要完整，还需说明："),
                        res.missing.join(", ")
                    )?;
                }
                writeln!(out, "      {}", styled(DIM, f.problem.get(lang)))?;
            }
            Verdict::Miss => writeln!(out, "      {}", f.problem.get(lang))?,
        }
    }
    for tr in &r.traps {
        writeln!(out, "  {} {}", styled(WARN, t(lang, "Careful:", "注意：")), tr.feedback.get(lang))?;
    }
    Ok(())
}

/// The final review: verdicts, the reference review, traps, decoys, the comment and the score.
pub fn final_report(out: &mut impl Write, d: &Drill, r: &Report, lang: Lang) -> io::Result<()> {
    heading(out, t(lang, "Reference review", "参考评审"))?;
    for (f, res) in d.findings.iter().zip(&r.findings) {
        writeln!(
            out,
            "\n{} {} [{} · {}] {}",
            styled(verdict_style(res.verdict), &format!("{:<6}", res.verdict.label(lang))),
            styled(Style::new().bold(), &f.id),
            f.category.label(lang),
            f.severity.label(lang),
            styled(DIM, &format!("{}: {}", t(lang, "lines", "行"), lines(f)))
        )?;
        if let Some(ev) = &res.evidence {
            writeln!(out, "  {} “{}”", styled(DIM, t(lang, "your words:", "你的原话：")), ev)?;
        }
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Problem:", "问题：")), f.problem.get(lang))?;
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Risk:", "风险：")), f.risk.get(lang))?;
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Suggestion:", "建议：")), f.suggestion.get(lang))?;
        if let Some(code) = &f.code {
            for l in code.lines() {
                writeln!(out, "      {}", styled(fg(AnsiColor::Cyan), &l.replace('\t', "    ")))?;
            }
        }
        writeln!(out, "  {} {}", styled(DIM, t(lang, "Comment:", "评论范例：")), f.comment)?;
    }
    if !r.traps.is_empty() {
        heading(out, t(lang, "Misconceptions", "常见误区"))?;
        for tr in &r.traps {
            writeln!(out, "  “{}”\n  {} {}", tr.evidence, styled(WARN, "→"), tr.feedback.get(lang))?;
        }
    }
    if !r.decoys.is_empty() {
        heading(out, t(lang, "Flagged but fine", "误报"))?;
        for dc in &r.decoys {
            let at = dc.line.map(|l| format!(" ({} {l})", t(lang, "line", "行"))).unwrap_or_default();
            writeln!(out, "  “{}”{at}\n  {} {}", dc.evidence, styled(WARN, "→"), dc.why.get(lang))?;
        }
    }
    let aside: Vec<_> = r.set_aside.iter().collect();
    if !aside.is_empty() {
        heading(out, t(lang, "Statements that earned nothing", "未得分的陈述"))?;
        for s in aside {
            let style = if s.reason == SetAsideReason::NotInKey { DIM } else { WARN };
            writeln!(out, "  “{}”\n    {}", s.text, styled(style, s.reason.explain().get(lang)))?;
        }
    }
    heading(out, t(lang, "Your English comment", "你的英文评论"))?;
    let c = &r.comment;
    if c.text.is_empty() {
        writeln!(out, "  {}", t(lang, "(none written)", "（未填写）"))?;
    } else {
        writeln!(out, "  {} {}/100", t(lang, "Score:", "得分："), c.score)?;
        for dim in &c.dimensions {
            let mark = if dim.score >= dim.max && dim.max > 0.0 { styled(GOOD, "✓") } else { styled(WARN, "•") };
            writeln!(out, "  {mark} {} {}", pad(dim.name, 9), dim.feedback.get(lang))?;
        }
    }
    if let Some(rw) = &c.rewrite {
        writeln!(out, "  {}\n    {rw}", styled(Style::new().bold(), t(lang, "Your point, rewritten:", "基于你的观点改写：")))?;
    }
    if let Some(m) = &c.model {
        writeln!(out, "  {}\n    {m}", styled(Style::new().bold(), t(lang, "Model comment:", "范例评论：")))?;
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
    )?;
    heading(out, t(lang, "Score", "得分"))?;
    let style = if r.score >= 80 {
        GOOD
    } else if r.score >= 50 {
        WARN
    } else {
        BAD
    };
    writeln!(out, "  {} / 100", styled(style, &r.score.to_string()))?;
    for c in &r.categories {
        writeln!(out, "  {} {:>3}  {}", pad(c.category.label(lang), 16), c.score, bar(c.score))?;
    }
    Ok(())
}

fn lines(f: &revdrill_pack::Finding) -> String {
    f.lines
        .iter()
        .map(|r| if r.start() == r.end() { r.start().to_string() } else { format!("{}-{}", r.start(), r.end()) })
        .collect::<Vec<_>>()
        .join(", ")
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
