//! "Due today": the review cards due, one at a time, as `revdrill review` runs them. A card shows
//! the hunk around a finding the learner once missed (highlighted by the shared highlighter, the
//! anchor lines marked) and asks one question; the answer is graded against that finding only,
//! stored with the card's next FSRS state in one transaction, and the answer page draws the
//! stored verdict through the shared feedback view. "Now" is [`AppState::now`] (the
//! `REVDRILL_NOW` clock in tests).

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use revdrill_feedback::card_view;
use revdrill_grader::{FindingResult, Verdict};
use revdrill_pack::diff::LineKind;
use revdrill_pack::{Drill, Lang};
use revdrill_review::card::{self, Excerpt};
use revdrill_review::{DAY, Scheduler, end_of_day, record_pending, streak};
use revdrill_store::{Card, CardAnswer, CardReview, ReviewStore};
use serde_json::json;

use super::{JsonText, PageCtx, ReqLang};
use crate::error::ApiError;
use crate::highlight::hunk_html;
use crate::html::{Nav, esc, rich};
use crate::i18n::t;
use crate::state::AppState;

/// Due cards listed by `GET /api/review` (the page shows the first).
const LISTED: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/review", get(page))
        .route("/review/answers/{id}", get(answer_page))
        .route("/api/review", get(api))
        .route("/api/review/cards/{id}", post(answer))
}

/// Cards due today (those whose drill is loaded), how many are due, and the streak.
pub struct Due {
    /// Due cards, most overdue first.
    pub cards: Vec<Card>,
    /// How many cards are due today.
    pub count: usize,
    /// Days in a row with practice.
    pub streak: u32,
}

/// Records graded attempts not yet recorded, then reads what is due today.
pub async fn due(st: &AppState, limit: usize) -> Result<Due, ApiError> {
    let now = st.now();
    st.with_store(move |s| {
        record_pending(s)?;
        let days = s.active_days(revdrill_review::STREAK_DAYS_READ)?;
        Ok(Due { cards: s.due_cards(end_of_day(now), limit)?, count: s.due_count(end_of_day(now))?, streak: streak(&days, now) })
    })
    .await
}

/// The drill and excerpt of a card, when its drill is loaded.
fn card_of<'a>(st: &'a AppState, c: &Card) -> Option<(&'a Drill, Excerpt<'a>)> {
    let d = st.catalog().get(&c.drill_id)?;
    Some((d, card::excerpt(d, &c.finding)?))
}

fn lines_json(x: &Excerpt<'_>) -> Vec<serde_json::Value> {
    x.shown
        .clone()
        .map(|i| {
            let l = &x.hunk.lines[i];
            json!({"old": l.old_line, "new": l.new_line, "kind": format!("{:?}", l.kind).to_lowercase(), "text": l.text, "anchor": x.anchors.contains(&i)})
        })
        .collect()
}

/// `GET /api/review`: `{"due": n, "streak": days, "cards": [{id, drill, title, path, question,
/// due, lines: [{old, new, kind, text, anchor}]}]}` (the finding's id is not shown before the
/// answer).
async fn api(State(st): State<AppState>, lang: ReqLang) -> Result<Json<serde_json::Value>, ApiError> {
    let d = due(&st, LISTED).await?;
    let cards: Vec<_> = d
        .cards
        .iter()
        .filter_map(|c| {
            let (drill, x) = card_of(&st, c)?;
            Some(json!({"id": c.id, "drill": drill.id, "title": drill.title, "path": x.path, "question": card::question(lang.lang), "due": c.state.due, "lines": lines_json(&x)}))
        })
        .collect();
    Ok(Json(json!({"due": d.count, "streak": d.streak, "cards": cards})))
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerBody {
    answer: String,
}

/// `POST /api/review/cards/{id}` with `{"answer": "..."}`: grades the answer against the card's
/// finding, stores it with the card's next state (one transaction), and answers `201` with
/// `{review, url, verdict, rating, due, interval_days, finding}`.
async fn answer(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    lang: ReqLang,
    JsonText(body): JsonText,
) -> Result<Response, ApiError> {
    let lang = lang.lang;
    let text = serde_json::from_str::<AnswerBody>(&body).map_err(|e| ApiError::BadJson(e.to_string()))?.answer;
    if text.trim().is_empty() {
        return Err(ApiError::BadJson("`answer` is empty".into()));
    }
    let c = st.with_store(move |s| s.card(id)).await?;
    let (result, rating, text) = st
        .cpu(move |st| {
            let drill = st.drill(&c.drill_id)?;
            let (r, g) = card::grade(st.grader(drill), &c.finding, &text).ok_or(ApiError::NotFound)?;
            Ok((r, g, text))
        })
        .await?;
    let now = st.now();
    let stored = CardAnswer {
        answer: text,
        verdict: result.verdict.as_str().into(),
        rating,
        result_json: serde_json::to_string(&result).map_err(|e| ApiError::Internal(e.to_string()))?,
        lang: lang.code().into(),
        at: now,
    };
    let r = st
        .with_store(move |s| {
            let sch = Scheduler::default();
            s.answer_card(id, &stored, &|p, g, at| sch.next(p, g, at))
        })
        .await?;
    let body = json!({
        "review": r.id, "url": format!("/review/answers/{}", r.id), "verdict": r.verdict, "rating": r.rating,
        "due": r.due, "interval_days": (r.due - now).div_euclid(DAY), "finding": result.id,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The excerpt as a diff table, anchor lines marked.
fn excerpt_html(h: &mut String, drill: &Drill, x: &Excerpt<'_>) {
    let code = hunk_html(&drill.language, x.hunk);
    let _ = write!(
        h,
        "<div class=\"file\"><div class=\"file-head\">{}</div><div class=\"scroll\"><table class=\"diff excerpt\">",
        esc(x.path)
    );
    for i in x.shown.clone() {
        let l = &x.hunk.lines[i];
        let kind = match l.kind {
            LineKind::Added => ("add", "+"),
            LineKind::Removed => ("del", "-"),
            LineKind::Context => ("ctx", " "),
        };
        let anchor = if x.anchors.contains(&i) { " anchor" } else { "" };
        let num = |n: Option<u32>| n.map_or(String::new(), |n| n.to_string());
        let _ = write!(
            h,
            "<tr class=\"ln {}{anchor}\"><td class=\"no\">{}</td><td class=\"no nn\">{}</td><td class=\"code\"><span class=\"sign\">{}</span>{}</td></tr>",
            kind.0,
            num(l.old_line),
            num(l.new_line),
            kind.1,
            code.get(i).map_or("", String::as_str)
        );
    }
    h.push_str("</table></div></div>");
}

fn summary(count: usize, streak: u32, l: Lang) -> String {
    match l {
        Lang::En => format!("{count} card(s) due today · streak: {streak} day(s) in a row"),
        Lang::Zh => format!("今天到期 {count} 张卡片 · 连续练习 {streak} 天"),
    }
}

/// `GET /review`: the first due card with its question and an answer box.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let d = match due(&st, LISTED).await {
        Ok(d) => d,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"muted\" id=\"review-summary\">{}</p>",
        esc(t(l, "Due today", "今日复习")),
        esc(&summary(d.count, d.streak, l))
    );
    let Some((c, drill, x)) = d.cards.iter().find_map(|c| card_of(&st, c).map(|(d, x)| (c, d, x))) else {
        let _ = write!(
            h,
            "<section class=\"card\" id=\"review-empty\"><p>{}</p></section>",
            esc(t(
                l,
                "Nothing is due today. Findings you miss in a drill come back here on the day the scheduler says.",
                "今天没有到期的卡片。练习中漏掉的问题会在调度算法指定的那天回到这里。"
            ))
        );
        return ctx.page(Nav::Review, t(l, "Due today", "今日复习"), "", &h).into_response();
    };
    let _ =
        write!(h, "<section class=\"card review-card\" id=\"review-card\" data-card=\"{}\"><h2>{}</h2>", c.id, esc(&drill.title));
    excerpt_html(&mut h, drill, &x);
    let _ = write!(
        h,
        "<label for=\"review-answer\"><b>{}</b></label><textarea id=\"review-answer\" rows=\"4\" lang=\"{}\"></textarea>\
         <p><button class=\"primary\" id=\"review-send\" type=\"button\">{}</button> <span id=\"review-status\" role=\"status\"></span></p></section>",
        esc(card::question(l)),
        if l == Lang::Zh { "zh-CN" } else { "en" },
        esc(t(l, "Submit", "提交")),
    );
    let attrs = format!(" data-s-review-empty=\"{}\"", esc(t(l, "Write your comment first.", "请先写下你的评论。")));
    ctx.page(Nav::Review, t(l, "Due today", "今日复习"), &attrs, &h).into_response()
}

/// `GET /review/answers/{id}`: one stored answer to a card and its feedback, drawn from the
/// stored verdict (never graded again).
async fn answer_page(State(st): State<AppState>, Path(id): Path<i64>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let r: CardReview = match st.with_store(move |s| s.card_review(id)).await {
        Ok(r) => r,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let Some(result) = r.result_json.as_deref().and_then(|j| serde_json::from_str::<FindingResult>(j).ok()) else {
        return ctx.error_page(&ApiError::NotFound).into_response();
    };
    let drill = st.catalog().get(&r.drill_id);
    let f = card_view(&result, drill, l);
    let mut h = String::new();
    let _ = write!(h, "<h1>{}</h1>", esc(t(l, "Due today", "今日复习")));
    let _ = write!(h, "<section class=\"card review-answer\" id=\"review-result\">");
    if let Some((d, x)) = drill.and_then(|d| Some((d, card::excerpt(d, &r.finding)?))) {
        let _ = write!(h, "<h2>{}</h2>", esc(&d.title));
        excerpt_html(&mut h, d, &x);
    }
    let cls = format!("v-{}", f.verdict.as_str());
    let _ = write!(
        h,
        "<p><b>{}</b></p><blockquote class=\"answer evidence\">{}</blockquote><div class=\"finding {cls}\"><p><span class=\"verdict {cls}\" id=\"review-verdict\">{}</span> <b>{}</b> · {} · {}</p>",
        esc(card::question(l)),
        esc(&r.answer),
        esc(f.verdict_label),
        esc(&f.id),
        esc(f.category_label),
        esc(f.severity_label)
    );
    if f.verdict != Verdict::Hit && !f.missing.is_empty() {
        let _ = write!(
            h,
            "<p>{} {}</p>",
            esc(t(l, "To make it complete, also say:", "要完整，还需说明：")),
            esc(&f.missing.join(", "))
        );
    }
    if let Some(rf) = &f.reference {
        for (k, v) in [
            (t(l, "Problem", "问题"), &rf.problem),
            (t(l, "Risk", "风险"), &rf.risk),
            (t(l, "Suggestion", "建议"), &rf.suggestion),
        ] {
            let _ = write!(h, "<p><b>{}</b> {}</p>", esc(k), rich(v));
        }
        let _ = write!(
            h,
            "<p class=\"muted\">{} <q lang=\"en\">{}</q></p>",
            esc(t(l, "Model comment:", "评论范例：")),
            rich(&rf.comment)
        );
    }
    let days = (r.due - r.reviewed_at).div_euclid(DAY);
    let next = match l {
        Lang::En => format!("Next review in {days} day(s)."),
        Lang::Zh => format!("{days} 天后再次复习。"),
    };
    let _ = write!(
        h,
        "</div><p class=\"muted\" id=\"review-next-due\">{}</p><p><a class=\"button primary\" id=\"review-next\" href=\"/review\">{}</a></p></section>",
        esc(&next),
        esc(t(l, "Next card", "下一张"))
    );
    ctx.page(Nav::Review, t(l, "Due today", "今日复习"), "", &h).into_response()
}
