//! Attempts: submit a review (saved like `revdrill drill` saves one: the answers first, then the
//! graded report), list past attempts, and the feedback page with the reference review.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use revdrill_grader::{Report, SetAsideReason, Source, Verdict};
use revdrill_pack::{AnswerSet, Drill, Lang};
use revdrill_store::{Attempt, Graded, Store};
use serde_json::json;

use super::drills::{header, parse_body};
use super::{JsonText, PageCtx, ReqLang, query_param};
use crate::error::ApiError;
use crate::html::{Nav, esc, rich};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/drills/{id}/attempts", post(submit))
        .route("/api/attempts", get(list))
        .route("/api/attempts/{id}", get(one))
        .route("/attempts/{id}", get(page))
}

/// `POST /api/drills/{id}/attempts`: stores the answers, grades them, stores the grade; `201`
/// with the attempt id, the score, the feedback page URL and the report.
async fn submit(
    State(st): State<AppState>,
    Path(id): Path<String>,
    lang: ReqLang,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    let lang = lang.lang;
    let drill_id = st.drill(&id)?.id.clone();
    // Parsing and grading run on the blocking pool (`AppState::cpu`), the store on its own.
    let (answers, answers_json) = st
        .cpu(move |st| {
            let answers = parse_body(st.drill(&id)?, &body)?;
            let json = serde_json::to_string(&answers).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok((answers, json))
        })
        .await?;
    // The answers are written before grading, so nothing typed is lost if grading fails.
    let start_id = drill_id.clone();
    let attempt = st.with_store(move |s| s.start_attempt(&start_id, lang.code(), &answers_json)).await?;
    let (report, graded) = st
        .cpu(move |st| {
            let report = st.grader(st.drill(&drill_id)?).grade(&answers);
            let graded = Graded {
                score: report.score,
                report_json: serde_json::to_string(&report).map_err(|e| ApiError::Internal(e.to_string()))?,
                categories: report.categories.iter().map(|c| (c.category.as_str().to_string(), c.earned, c.max)).collect(),
            };
            Ok((report, graded))
        })
        .await?;
    st.with_store(move |s| s.finish_attempt(attempt, &graded)).await?;
    let body =
        json!({"attempt": attempt, "score": report.score, "url": format!("/attempts/{attempt}"), "report": report.to_json(lang)});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /api/attempts?limit=N`: past attempts, newest first (as `revdrill history --format json`).
async fn list(State(st): State<AppState>, uri: Uri) -> Result<Json<serde_json::Value>, ApiError> {
    let limit = match query_param(uri.query(), "limit") {
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| ApiError::BadQuery(format!("limit must be 1-1000, not `{v}`")))?,
        None => 20,
    };
    let rows = st.with_store(move |s| s.history(limit)).await?;
    Ok(Json(json!(rows)))
}

/// An attempt, its answers, and its report graded again from the answers (the grader is a pure
/// function, so this is the report the learner saw).
async fn load(st: &AppState, id: &str) -> Result<(Attempt, AnswerSet, Option<Report>), ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let a = st.with_store(move |s| s.attempt(id)).await?;
    let (drill_id, answers_json) = (a.summary.drill_id.clone(), a.answers_json.clone());
    let (answers, report) = st
        .cpu(move |st| {
            let answers: AnswerSet = serde_json::from_str(&answers_json).map_err(|e| ApiError::Internal(e.to_string()))?;
            let report = st.catalog().get(&drill_id).map(|d| st.grader(d).grade(&answers));
            Ok((answers, report))
        })
        .await?;
    Ok((a, answers, report))
}

/// `GET /api/attempts/{id}`.
async fn one(State(st): State<AppState>, Path(id): Path<String>, lang: ReqLang) -> Result<Json<serde_json::Value>, ApiError> {
    let (a, answers, report) = load(&st, &id).await?;
    Ok(Json(json!({"attempt": a.summary, "answers": answers, "report": report.map(|r| r.to_json(lang.lang))})))
}

/// The comment rubric's dimensions, as the learner reads them.
fn dimension_label(name: &str, l: Lang) -> &str {
    let (en, zh) = match name {
        "label" => ("label", "标签"),
        "grounding" => ("grounding", "指向代码"),
        "problem" => ("problem", "问题"),
        "why" => ("why", "原因"),
        "guidance" => ("guidance", "建议"),
        "courtesy" => ("courtesy", "语气"),
        "concise" => ("concise", "简洁"),
        other => (other, other),
    };
    t(l, en, zh)
}

fn verdict_badge(v: Verdict, l: Lang) -> String {
    format!("<span class=\"verdict v-{}\">{}</span>", v.as_str(), esc(v.label(l)))
}

fn quote(s: &str) -> String {
    format!("<blockquote class=\"evidence\">{}</blockquote>", esc(s))
}

fn source_label(s: &Option<Source>, d: &Drill, l: Lang) -> String {
    match s {
        Some(Source::Item { id }) => {
            let n = d.checklist.iter().position(|c| &c.id == id).map_or(0, |i| i + 1);
            format!("{} {n}", t(l, "checklist item", "检查项"))
        }
        Some(Source::Line { line }) => format!("{} {line}", t(l, "comment on line", "行内评论，行")),
        None => String::new(),
    }
}

/// `GET /attempts/{id}`: the feedback page.
async fn page(State(st): State<AppState>, Path(id): Path<String>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let (a, answers, report) = match load(&st, &id).await {
        Ok(x) => x,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let (Some(d), Some(r)) = (st.catalog().get(&a.summary.drill_id), report) else {
        return ctx.error_page(&ApiError::UnknownDrill(a.summary.drill_id.clone())).into_response();
    };
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<article class=\"feedback\">");
    header(&mut h, d, l);
    let cls = if r.score >= 80 {
        "good"
    } else if r.score >= 50 {
        "warn"
    } else {
        "bad"
    };
    let _ = write!(
        h,
        "<section class=\"card score-card\"><div class=\"big-score {cls}\" id=\"score\"><span>{}</span><small>/100</small></div><div>\
         <p>{}: {:.1} · {}: −{}</p><p><a href=\"/drills/{id}\">{}</a> · <a href=\"/progress\">{}</a></p></div></section>",
        r.score,
        esc(t(l, "Findings", "要点得分")),
        r.findings_score,
        esc(t(l, "Penalties", "扣分")),
        r.penalty,
        esc(t(l, "Try this drill again", "再做一次")),
        esc(t(l, "Progress and next drill", "进度与下一个练习")),
        id = esc(&d.id),
    );

    // Per checklist item: what the learner wrote and the verdict on each finding it covers.
    let _ =
        write!(h, "<section class=\"card\"><h2>{}</h2><ol class=\"items\">", esc(t(l, "Your answers, item by item", "逐项反馈")));
    for c in &d.checklist {
        let text = answers.answers.get(&c.id).map(String::as_str).unwrap_or("");
        let _ = write!(h, "<li><h3>{}</h3>", rich(c.prompt.get(l)));
        if text.trim().is_empty() {
            let _ = write!(h, "<p class=\"muted\">{}</p>", esc(t(l, "(no answer)", "（未作答）")));
        } else {
            let _ = write!(h, "<pre class=\"answer\">{}</pre>", esc(text));
        }
        for fid in &c.covers {
            if let Some(fr) = r.finding(fid) {
                let _ = write!(h, "<div class=\"fv\">{} <b>{}</b>", verdict_badge(fr.verdict, l), esc(fid));
                // The sentence that earned it may have been written under another item.
                if !matches!(&fr.source, Some(Source::Item { id }) if id == &c.id) && fr.source.is_some() {
                    let _ = write!(h, " <span class=\"muted small\">({})</span>", esc(&source_label(&fr.source, d, l)));
                }
                if let Some(ev) = &fr.evidence {
                    h.push_str(&quote(ev));
                }
                h.push_str("</div>");
            }
        }
        h.push_str("</li>");
    }
    h.push_str("</ol>");
    if !answers.comments.is_empty() {
        let _ = write!(h, "<h3>{}</h3><ul class=\"comments\">", esc(t(l, "Your inline comments", "你的行内评论")));
        for c in &answers.comments {
            let sev = c
                .severity
                .map_or(String::new(), |s| format!("<span class=\"sev sev-{}\">{}</span> ", s.as_str(), esc(s.label(l))));
            let _ =
                write!(h, "<li><span class=\"muted\">{} {}</span> {sev}{}</li>", esc(t(l, "line", "行")), c.line, esc(&c.body));
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");

    // The reference review: every finding, with the verdict and the learner's sentence.
    let _ = write!(h, "<section class=\"card\" id=\"reference\"><h2>{}</h2>", esc(t(l, "Reference review", "参考评审")));
    for (f, fr) in d.findings.iter().zip(&r.findings) {
        let lines: Vec<String> = f
            .lines
            .iter()
            .map(|x| if x.start() == x.end() { x.start().to_string() } else { format!("{}-{}", x.start(), x.end()) })
            .collect();
        let _ = write!(
            h,
            "<div class=\"finding v-{}\" id=\"f-{}\"><h3>{} {} <span class=\"chip\">{}</span><span class=\"sev sev-{}\">{}</span> <span class=\"muted small\">{} {} · {}/{}</span></h3>",
            fr.verdict.as_str(),
            esc(&f.id),
            verdict_badge(fr.verdict, l),
            esc(&f.id),
            esc(f.category.label(l)),
            f.severity.as_str(),
            esc(f.severity.label(l)),
            esc(t(l, "lines", "行")),
            lines.join(", "),
            fr.points,
            fr.max_points,
        );
        if let Some(ev) = &fr.evidence {
            let _ = write!(
                h,
                "<p class=\"muted small\">{} ({})</p>{}",
                esc(t(l, "Your words", "你的原话")),
                esc(&source_label(&fr.source, d, l)),
                quote(ev)
            );
        }
        if !fr.missing.is_empty() && fr.verdict != Verdict::Hit {
            let _ = write!(
                h,
                "<p class=\"muted small\">{} {}</p>",
                esc(t(l, "Not stated:", "未说明：")),
                esc(&fr.missing.join(", "))
            );
        }
        if let Some(n) = &fr.note {
            let _ = write!(h, "<p class=\"muted small\">{}</p>", esc(n.get(l)));
        }
        let _ = write!(
            h,
            "<dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl>",
            esc(t(l, "Problem", "问题")),
            rich(f.problem.get(l)),
            esc(t(l, "Risk", "风险")),
            rich(f.risk.get(l)),
            esc(t(l, "Suggestion", "建议")),
            rich(f.suggestion.get(l)),
        );
        if let Some(code) = &f.code {
            let _ = write!(h, "<pre class=\"code-block\">{}</pre>", esc(code));
        }
        let _ = write!(
            h,
            "<p><span class=\"muted small\">{}</span> <span class=\"model\">{}</span></p></div>",
            esc(t(l, "Model comment:", "范例评论：")),
            rich(&f.comment)
        );
    }
    h.push_str("</section>");

    if !r.traps.is_empty() || !r.decoys.is_empty() || !r.set_aside.is_empty() {
        h.push_str("<section class=\"card\">");
        if !r.traps.is_empty() {
            let _ = write!(h, "<h2>{} <span class=\"muted small\">−3</span></h2>", esc(t(l, "Misconceptions", "常见误区")));
            for tr in &r.traps {
                let _ = write!(h, "<div class=\"trap\">{}<p>→ {}</p></div>", quote(&tr.evidence), rich(tr.feedback.get(l)));
            }
        }
        if !r.decoys.is_empty() {
            let _ = write!(
                h,
                "<h2>{} <span class=\"muted small\">−5</span></h2>",
                esc(t(l, "Flagged but fine (decoys)", "误报（诱饵）"))
            );
            for dc in &r.decoys {
                let at = dc.line.map_or(String::new(), |n| format!(" ({} {n})", t(l, "line", "行")));
                let _ =
                    write!(h, "<div class=\"decoy\">{}<p>{}→ {}</p></div>", quote(&dc.evidence), esc(&at), rich(dc.why.get(l)));
            }
        }
        if !r.set_aside.is_empty() {
            let _ = write!(h, "<h2>{}</h2>", esc(t(l, "Statements that earned nothing", "未得分的陈述")));
            for s in &r.set_aside {
                let cls = if s.reason == SetAsideReason::NotInKey { "muted" } else { "warn" };
                let _ = write!(
                    h,
                    "<div class=\"aside\">{}<p class=\"{cls} small\">{}</p></div>",
                    quote(&s.text),
                    esc(s.reason.explain().get(l))
                );
            }
        }
        h.push_str("</section>");
    }

    let c = &r.comment;
    let _ = write!(h, "<section class=\"card\" id=\"comment\"><h2>{}</h2>", esc(t(l, "Your English comment", "你的英文评论")));
    if c.text.trim().is_empty() {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(t(l, "(none written)", "（未填写）")));
    } else {
        let _ =
            write!(h, "{}<p>{} <b>{}</b>/100</p><table class=\"dims\">", quote(&c.text), esc(t(l, "Score:", "得分：")), c.score);
        for dim in &c.dimensions {
            let ok = dim.max > 0.0 && dim.score >= dim.max;
            let _ = write!(
                h,
                "<tr class=\"{}\"><td>{}</td><td class=\"num\">{}/{}</td><td>{}</td></tr>",
                if ok { "ok" } else { "todo" },
                esc(dimension_label(dim.name, l)),
                dim.score,
                dim.max,
                rich(dim.feedback.get(l))
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

    let _ = write!(h, "<section class=\"card\"><h2>{}</h2><table class=\"cats\">", esc(t(l, "Score by category", "分类得分")));
    for cs in &r.categories {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"barcell\"><progress max=\"100\" value=\"{}\"></progress></td></tr>",
            esc(cs.category.label(l)),
            cs.score,
            cs.score
        );
    }
    h.push_str("</table></section></article>");
    let title = format!("{} · {}", t(l, "Feedback", "反馈"), d.title);
    ctx.page(Nav::Drill, &title, &format!(" data-attempt=\"{}\" data-drill=\"{}\"", a.summary.id, esc(&d.id)), &h).into_response()
}
