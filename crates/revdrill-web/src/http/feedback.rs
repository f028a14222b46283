//! The feedback page's HTML, drawn from the one [`FeedbackView`] the terminal also draws: the
//! score, the answers item by item (each statement numbered and clickable, for "I said this"),
//! the reference review with each verdict's dispute control, traps, decoys, the comment rubric
//! and the category scores. Every learner or pack text goes through `esc` / `rich`.

use std::fmt::Write;

use revdrill_feedback::{FeedbackView, FindingView, StatementView};
use revdrill_grader::{Source, Verdict};
use revdrill_pack::{AnswerSet, Lang};

use crate::html::{esc, rich};
use crate::i18n::t;

fn verdict_badge(v: Verdict, label: &str) -> String {
    format!("<span class=\"verdict v-{}\">{}</span>", v.as_str(), esc(label))
}

fn quote(s: &str) -> String {
    format!("<blockquote class=\"evidence\">{}</blockquote>", esc(s))
}

fn statement(h: &mut String, s: &StatementView) {
    let _ = write!(
        h,
        "<span class=\"stmt\" data-n=\"{n}\" id=\"s-{n}\"><sup class=\"stmt-n\">{n}</sup>{}</span> ",
        esc(&s.text),
        n = s.n
    );
}

/// The `data-s-*` attributes the script reads its texts from (`str()` in app.js).
pub fn script_strings(l: Lang) -> String {
    let pairs = [
        (
            "pick",
            t(l, "Click the statement of yours that says it (Esc to cancel).", "点击你写的、说明了这一点的那句话（Esc 取消）。"),
        ),
        ("note", t(l, "Why? (optional)", "理由（可选）")),
        ("send", t(l, "Send the dispute", "提交异议")),
        ("cancel", t(l, "Cancel", "取消")),
        ("failed", t(l, "Could not save:", "保存失败：")),
        ("chosen", t(l, "Your statement:", "你的陈述：")),
        ("drop", t(l, "Discard the note you typed for the other dispute?", "放弃你为另一条异议写的理由？")),
    ];
    pairs.iter().map(|(k, v)| format!(" data-s-dispute-{k}=\"{}\"", esc(v))).collect()
}

fn dispute_mark(h: &mut String, f: &FindingView, l: Lang) {
    let Some(d) = &f.disputed else { return };
    let _ = write!(h, "<div class=\"disputed\"><span class=\"flag\">⚑</span> {}", esc(&d.label));
    if d.kind == revdrill_store::DisputeKind::SaidIt {
        h.push_str(&quote(&d.statement));
    }
    if !d.note.is_empty() {
        let _ = write!(h, "<p class=\"muted small\">{} {}</p>", esc(t(l, "Your note:", "你的备注：")), esc(&d.note));
    }
    let _ = write!(
        h,
        "<p class=\"muted small\">{} <button type=\"button\" class=\"link dispute-withdraw\" data-finding=\"{}\">{}</button></p></div>",
        esc(t(l, "The score stands until a pack author reviews it.", "分数不变，待题目作者复核。")),
        esc(&f.id),
        esc(t(l, "Withdraw", "撤回"))
    );
}

fn dispute_control(h: &mut String, f: &FindingView, l: Lang) {
    if f.disputed.is_some() {
        return;
    }
    let (credited, label) = match f.verdict {
        Verdict::Hit => (true, t(l, "This credit is wrong…", "这项得分不对…")),
        _ => (false, t(l, "I said this…", "我说过这一点…")),
    };
    let _ = write!(
        h,
        "<div class=\"dispute-ctl\" data-finding=\"{}\" data-credited=\"{credited}\"><button type=\"button\" class=\"dispute-open\">{}</button></div>",
        esc(&f.id),
        esc(label)
    );
}

fn score_card(h: &mut String, v: &FeedbackView, l: Lang) {
    let cls = if v.score >= 80 {
        "good"
    } else if v.score >= 50 {
        "warn"
    } else {
        "bad"
    };
    let _ = write!(
        h,
        "<section class=\"card score-card\"><div class=\"big-score {cls}\" id=\"score\"><span>{}</span><small>/100</small></div><div>\
         <p>{}: {:.1} · {}: −{}</p>",
        v.score,
        esc(t(l, "Findings", "要点得分")),
        v.findings_score,
        esc(t(l, "Penalties", "扣分")),
        v.penalty,
    );
    if v.disputed() > 0 {
        let _ = write!(
            h,
            "<p class=\"disputed\" id=\"disputed-count\">⚑ {}</p>",
            esc(&match l {
                Lang::En => format!("{} verdict(s) disputed: the score stands until a pack author reviews them.", v.disputed()),
                Lang::Zh => format!("{} 项判定有异议：分数不变，待题目作者复核。", v.disputed()),
            })
        );
    }
    let _ = write!(
        h,
        "<p><a href=\"/drills/{id}\">{}</a> · <a href=\"/progress\">{}</a></p></div></section>",
        esc(t(l, "Try this drill again", "再做一次")),
        esc(t(l, "Progress and next drill", "进度与下一个练习")),
        id = esc(&v.drill_id),
    );
}

fn items(h: &mut String, v: &FeedbackView, answers: &AnswerSet, l: Lang) {
    let _ = write!(
        h,
        "<section class=\"card\" id=\"answers\"><h2>{}</h2><p class=\"muted small\">{}</p>",
        esc(t(l, "Your answers, item by item", "逐项反馈")),
        esc(t(l, "Each statement is numbered as the grader read it.", "每句陈述按评分时的切分编号。"))
    );
    if v.items.is_empty() {
        // The drill is not loaded: the statements alone.
        h.push_str("<div class=\"answer\">");
        for s in &v.statements {
            statement(h, s);
        }
        h.push_str("</div>");
    } else {
        h.push_str("<ol class=\"items\">");
        for it in &v.items {
            let _ = write!(h, "<li><h3>{}</h3>", rich(&it.prompt));
            if it.statements.is_empty() {
                let _ = write!(h, "<p class=\"muted\">{}</p>", esc(t(l, "(no answer)", "（未作答）")));
            } else {
                h.push_str("<div class=\"answer\">");
                for &n in &it.statements {
                    if let Some(s) = v.statement(n) {
                        statement(h, s);
                    }
                }
                h.push_str("</div>");
            }
            for &fi in &it.covers {
                let f = &v.findings[fi];
                let _ = write!(h, "<div class=\"fv\">{} <b>{}</b>", verdict_badge(f.verdict, f.verdict_label), esc(&f.id));
                if f.disputed.is_some() {
                    let _ = write!(h, " <span class=\"flag\" title=\"{}\">⚑</span>", esc(t(l, "disputed", "有异议")));
                }
                // The sentence that earned it may have been written under another item.
                let elsewhere = !matches!(&f.source, Some(Source::Item { id }) if *id == it.id);
                if let Some(at) = f.source_label.as_ref().filter(|_| elsewhere) {
                    let _ = write!(h, " <span class=\"muted small\">({})</span>", esc(at));
                }
                if let Some(ev) = &f.evidence {
                    h.push_str(&quote(ev));
                }
                h.push_str("</div>");
            }
            h.push_str("</li>");
        }
        h.push_str("</ol>");
    }
    if !answers.comments.is_empty() {
        let _ = write!(h, "<h3>{}</h3><ul class=\"comments\">", esc(t(l, "Your inline comments", "你的行内评论")));
        for c in &answers.comments {
            let sev = c
                .severity
                .map_or(String::new(), |s| format!("<span class=\"sev sev-{}\">{}</span> ", s.as_str(), esc(s.label(l))));
            let _ = write!(h, "<li><span class=\"muted\">{} {}</span> {sev}", esc(t(l, "line", "行")), c.line);
            let own = v.statements.iter().find(|s| s.source == Source::Line { line: c.line } && s.text == c.body.trim());
            match own {
                Some(s) => statement(h, s),
                None => h.push_str(&esc(&c.body)),
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
}

fn reference(h: &mut String, v: &FeedbackView, l: Lang) {
    let _ = write!(h, "<section class=\"card\" id=\"reference\"><h2>{}</h2>", esc(t(l, "Reference review", "参考评审")));
    if v.findings.iter().any(|f| f.reference.is_none()) {
        let _ = write!(
            h,
            "<p class=\"muted\" id=\"no-drill\">{}</p>",
            esc(t(
                l,
                "This drill is not loaded in this server, so only the verdicts are shown: start `revdrill serve --packs DIR` to see the reference review.",
                "本服务没有加载这个练习，只显示判定结果：用 `revdrill serve --packs DIR` 启动后可看参考评审。"
            ))
        );
    }
    for f in &v.findings {
        let lines = f.reference.as_ref().map_or(String::new(), |r| format!("{} {} · ", esc(t(l, "lines", "行")), esc(&r.lines)));
        let _ = write!(
            h,
            "<div class=\"finding v-{}\" id=\"f-{}\"><h3>{} {} <span class=\"chip\">{}</span><span class=\"sev sev-{}\">{}</span> <span class=\"muted small\">{lines}{}/{}</span></h3>",
            f.verdict.as_str(),
            esc(&f.id),
            verdict_badge(f.verdict, f.verdict_label),
            esc(&f.id),
            esc(f.category_label),
            f.severity.as_str(),
            esc(f.severity_label),
            f.points,
            f.max_points,
        );
        dispute_mark(h, f, l);
        if let Some(ev) = &f.evidence {
            let at = f.source_label.as_deref().unwrap_or("");
            let _ = write!(h, "<p class=\"muted small\">{} ({})</p>{}", esc(t(l, "Your words", "你的原话")), esc(at), quote(ev));
        }
        if !f.missing.is_empty() && f.verdict != Verdict::Hit {
            let _ =
                write!(h, "<p class=\"muted small\">{} {}</p>", esc(t(l, "Not stated:", "未说明：")), esc(&f.missing.join(", ")));
        }
        if let Some(n) = &f.note {
            let _ = write!(h, "<p class=\"muted small\">{}</p>", esc(n));
        }
        if let Some(r) = &f.reference {
            let _ = write!(
                h,
                "<dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
                esc(t(l, "Problem", "问题")),
                rich(&r.problem),
                esc(t(l, "Risk", "风险")),
                rich(&r.risk),
                esc(t(l, "Suggestion", "建议")),
                rich(&r.suggestion),
            );
            if let Some(code) = &r.code {
                let _ = write!(h, "<pre class=\"code-block\">{}</pre>", esc(code));
            }
            let _ = write!(
                h,
                "<p><span class=\"muted small\">{}</span> <span class=\"model\">{}</span></p>",
                esc(t(l, "Model comment:", "范例评论：")),
                rich(&r.comment)
            );
        }
        dispute_control(h, f, l);
        h.push_str("</div>");
    }
    h.push_str("</section>");
}

fn asides(h: &mut String, v: &FeedbackView, l: Lang) {
    if v.traps.is_empty() && v.decoys.is_empty() && v.set_aside.is_empty() {
        return;
    }
    h.push_str("<section class=\"card\">");
    if !v.traps.is_empty() {
        let _ = write!(h, "<h2>{} <span class=\"muted small\">−3</span></h2>", esc(t(l, "Misconceptions", "常见误区")));
        for tr in &v.traps {
            let _ = write!(h, "<div class=\"trap\">{}<p>→ {}</p></div>", quote(&tr.evidence), rich(&tr.feedback));
        }
    }
    if !v.decoys.is_empty() {
        let _ = write!(
            h,
            "<h2>{} <span class=\"muted small\">−5</span></h2>",
            esc(t(l, "Flagged but fine (decoys)", "误报（诱饵）"))
        );
        for dc in &v.decoys {
            let at = dc.line.map_or(String::new(), |n| format!(" ({} {n})", t(l, "line", "行")));
            let _ = write!(h, "<div class=\"decoy\">{}<p>{}→ {}</p></div>", quote(&dc.evidence), esc(&at), rich(&dc.why));
        }
    }
    if !v.set_aside.is_empty() {
        let _ = write!(h, "<h2>{}</h2>", esc(t(l, "Statements that earned nothing", "未得分的陈述")));
        for s in &v.set_aside {
            let cls = if s.not_in_key { "muted" } else { "warn" };
            let _ = write!(h, "<div class=\"aside\">{}<p class=\"{cls} small\">{}</p></div>", quote(&s.text), esc(&s.reason));
        }
    }
    h.push_str("</section>");
}

fn comment(h: &mut String, v: &FeedbackView, l: Lang) {
    let c = &v.comment;
    let _ = write!(h, "<section class=\"card\" id=\"comment\"><h2>{}</h2>", esc(t(l, "Your English comment", "你的英文评论")));
    if c.text.trim().is_empty() {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(t(l, "(none written)", "（未填写）")));
    } else {
        let _ =
            write!(h, "{}<p>{} <b>{}</b>/100</p><table class=\"dims\">", quote(&c.text), esc(t(l, "Score:", "得分：")), c.score);
        for dim in &c.dimensions {
            let _ = write!(
                h,
                "<tr class=\"{}\"><td>{}</td><td class=\"num\">{}/{}</td><td>{}</td></tr>",
                if dim.full { "ok" } else { "todo" },
                esc(dim.label),
                dim.score,
                dim.max,
                rich(&dim.feedback)
            );
        }
        h.push_str("</table>");
    }
    if let Some(rw) = &c.rewrite {
        let _ =
            write!(h, "<h3>{}</h3><p class=\"rewrite\">{}</p>", esc(t(l, "Your point, rewritten", "基于你的观点改写")), esc(rw));
    }
    if let Some(m) = &c.model {
        let _ = write!(h, "<h3>{}</h3><p class=\"rewrite\">{}</p>", esc(t(l, "Model comment", "范例评论")), rich(m));
    }
    h.push_str("</section>");
}

/// The page body after the drill header: everything the view holds.
pub fn render(h: &mut String, v: &FeedbackView, answers: &AnswerSet, l: Lang) {
    score_card(h, v, l);
    items(h, v, answers, l);
    reference(h, v, l);
    asides(h, v, l);
    comment(h, v, l);
    let _ = write!(h, "<section class=\"card\"><h2>{}</h2><table class=\"cats\">", esc(t(l, "Score by category", "分类得分")));
    for cs in &v.categories {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"barcell\"><progress max=\"100\" value=\"{}\"></progress></td></tr>",
            esc(cs.label),
            cs.score,
            cs.score
        );
    }
    h.push_str("</table></section>");
    h.push_str("<p id=\"dispute-status\" role=\"status\" aria-live=\"polite\"></p>");
}
