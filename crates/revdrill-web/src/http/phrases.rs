//! The phrasebook: English review-comment phrases with their Chinese meaning and when to use
//! them (`revdrill_practice::phrases`), filtered by kind, and the learner's best-scored comments.

use std::fmt::Write;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use revdrill_practice::phrases::{self, Kind, OwnComment, best_comments};
use serde_json::json;

use super::{PageCtx, ReqLang, query_param};
use crate::error::ApiError;
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

/// Newest attempts read for the learner's own comments.
const SCANNED_ATTEMPTS: usize = 500;
/// How many of the learner's comments are shown.
const TOP_COMMENTS: usize = 5;

pub fn router() -> Router<AppState> {
    Router::new().route("/phrases", get(page)).route("/api/phrases", get(api))
}

/// `?kind=`: a known kind, or none (all).
fn kind(uri: &Uri) -> Result<Option<Kind>, ApiError> {
    match query_param(uri.query(), "kind").filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) => serde_json::from_value(json!(k)).map(Some).map_err(|_| {
            ApiError::BadQuery(format!("kind must be one of asking, suggesting, blocking, nit, praise, disagreeing, not `{k}`"))
        }),
    }
}

async fn own(st: &AppState) -> Result<Vec<OwnComment>, ApiError> {
    let reports = st.with_store(|s| revdrill_store::graded_reports(s, SCANNED_ATTEMPTS)).await?;
    Ok(best_comments(reports.iter().map(|(a, d, r)| (*a, d.as_str(), r.as_str())), TOP_COMMENTS))
}

/// `GET /api/phrases?kind=`: `{"phrases": [{kind, en, zh, when: {en, zh}}], "own": [{attempt,
/// drill, score, text}]}`.
async fn api(State(st): State<AppState>, uri: Uri) -> Result<Json<serde_json::Value>, ApiError> {
    let k = kind(&uri)?;
    Ok(Json(json!({"phrases": phrases::of_kind(k), "own": own(&st).await?})))
}

/// `GET /phrases?kind=`.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let (k, own) = match (kind(&uri), own(&st).await) {
        (Ok(k), Ok(o)) => (k, o),
        (Err(e), _) | (_, Err(e)) => return ctx.error_page(&e).into_response(),
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"muted\">{}</p><nav class=\"kinds\"><a href=\"/phrases\">{}</a>",
        esc(t(l, "Phrasebook", "评审用语手册")),
        esc(t(
            l,
            "English phrases for review comments, with what each means and when to use it. `{}` is where your own words go.",
            "写评审评论常用的英文表达，附中文含义和使用场合。`{}` 处填入你自己的内容。"
        )),
        esc(t(l, "All", "全部")),
    );
    for x in Kind::ALL {
        let name = serde_json::to_value(x).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let cur = if k == Some(x) { " aria-current=\"true\"" } else { "" };
        let _ = write!(h, " · <a href=\"/phrases?kind={}\"{cur}>{}</a>", esc(&name), esc(x.label(l)));
    }
    h.push_str("</nav>");
    let list = phrases::of_kind(k);
    for x in Kind::ALL.into_iter().filter(|x| k.is_none_or(|k| k == *x)) {
        let _ = write!(h, "<section class=\"card phrases\"><h2>{}</h2><dl>", esc(x.label(l)));
        for p in list.iter().filter(|p| p.kind == x) {
            let _ = write!(
                h,
                "<dt lang=\"en\"><code>{}</code></dt><dd lang=\"zh-CN\">{}</dd><dd class=\"muted\">{} {}</dd>",
                esc(&p.en),
                esc(&p.zh),
                esc(t(l, "When:", "何时用：")),
                esc(p.when.get(l))
            );
        }
        h.push_str("</dl></section>");
    }
    let _ = write!(h, "<section class=\"card own\"><h2>{}</h2>", esc(t(l, "Your best comments", "你得分最高的评论")));
    if own.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted\">{}</p>",
            esc(t(
                l,
                "None yet: the comment item of each drill is scored; do a drill.",
                "还没有：每个练习的评论题都会评分，先做一个练习吧。"
            ))
        );
    } else {
        h.push_str("<ol>");
        for c in &own {
            let _ = write!(
                h,
                "<li><b>{}</b> <q lang=\"en\">{}</q> <a href=\"/attempts/{}\">#{} {}</a></li>",
                c.score,
                esc(&c.text),
                c.attempt,
                c.attempt,
                esc(&c.drill)
            );
        }
        h.push_str("</ol>");
    }
    h.push_str("</section>");
    ctx.page(Nav::Phrases, t(l, "Phrasebook", "评审用语手册"), "", &h).into_response()
}
