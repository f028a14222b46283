//! Terminal rendering: the drill, the diff, feedback and the final review. Colours go through
//! `anstream`, which drops them when the output is not a terminal or NO_COLOR is set.

use std::io::{self, Write};

use anstyle::{AnsiColor, Color, Style};
use revdrill_feedback::FeedbackView;
use revdrill_grader::Verdict;
use revdrill_pack::diff::LineKind;
use revdrill_pack::{Drill, ItemKind, Lang};

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

/// Feedback on checklist item `index`, right after it is answered: a finding a later item still
/// asks about is not revealed yet (see `FeedbackView::item_feedback`).
pub fn item_feedback(out: &mut impl Write, v: &FeedbackView, index: usize, lang: Lang) -> io::Result<()> {
    let Some(item) = v.items.get(index) else { return Ok(()) };
    if item.kind == ItemKind::Comment {
        let c = &v.comment;
        writeln!(out, "{} {}/100", styled(Style::new().bold(), t(lang, "Comment score:", "评论得分：")), c.score)?;
        for dim in &c.dimensions {
            let mark = if dim.full { styled(GOOD, "✓") } else { styled(WARN, "•") };
            writeln!(out, "  {mark} {}: {}", dim.label, dim.feedback)?;
        }
        return Ok(());
    }
    let fb = v.item_feedback(index);
    for s in &fb.shown {
        let f = s.finding;
        writeln!(out, "  {} {} ({})", styled(verdict_style(f.verdict), f.verdict_label), f.id, f.severity_label)?;
        if let Some(ev) = &f.evidence {
            writeln!(out, "      {} “{}”", styled(DIM, t(lang, "you wrote:", "你写道：")), ev)?;
        }
        if let Some(note) = &f.note {
            writeln!(out, "      {}", styled(DIM, note))?;
        }
        if !s.reveal {
            continue;
        }
        if f.verdict == Verdict::Partial && !f.missing.is_empty() {
            writeln!(out, "      {} {}", t(lang, "To make it complete, also say:", "要完整，还需说明："), f.missing.join(", "))?;
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
        writeln!(out, "  {} {}", styled(WARN, t(lang, "Careful:", "注意：")), tr.feedback)?;
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
                writeln!(out, "    “{}”", d.statement)?;
            }
            if !d.note.is_empty() {
                writeln!(out, "    {}", styled(DIM, &d.note))?;
            }
        }
        if let Some(ev) = &f.evidence {
            writeln!(out, "  {} “{}”", styled(DIM, t(lang, "your words:", "你的原话：")), ev)?;
        }
        let Some(r) = &f.reference else { continue };
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Problem:", "问题：")), r.problem)?;
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Risk:", "风险：")), r.risk)?;
        writeln!(out, "  {} {}", styled(Style::new().bold(), t(lang, "Suggestion:", "建议：")), r.suggestion)?;
        if let Some(code) = &r.code {
            for l in code.lines() {
                writeln!(out, "      {}", styled(fg(AnsiColor::Cyan), &l.replace('\t', "    ")))?;
            }
        }
        writeln!(out, "  {} {}", styled(DIM, t(lang, "Comment:", "评论范例：")), r.comment)?;
    }
    if !v.traps.is_empty() {
        heading(out, t(lang, "Misconceptions", "常见误区"))?;
        for tr in &v.traps {
            writeln!(out, "  “{}”\n  {} {}", tr.evidence, styled(WARN, "→"), tr.feedback)?;
        }
    }
    if !v.decoys.is_empty() {
        heading(out, t(lang, "Flagged but fine", "误报"))?;
        for dc in &v.decoys {
            let at = dc.line.map(|l| format!(" ({} {l})", t(lang, "line", "行"))).unwrap_or_default();
            writeln!(out, "  “{}”{at}\n  {} {}", dc.evidence, styled(WARN, "→"), dc.why)?;
        }
    }
    if !v.set_aside.is_empty() {
        heading(out, t(lang, "Statements that earned nothing", "未得分的陈述"))?;
        for s in &v.set_aside {
            let style = if s.not_in_key { DIM } else { WARN };
            writeln!(out, "  “{}”\n    {}", s.text, styled(style, &s.reason))?;
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
            writeln!(out, "  {mark} {} {}", pad(dim.label, 9), dim.feedback)?;
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
