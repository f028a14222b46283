//! Learning tracks: each track of the catalog with the learner's completion (a drill is done
//! when it has a graded attempt) and a link to its next drill.

use std::collections::BTreeSet;
use std::fmt::Write;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use revdrill_store::Store;
use serde_json::json;

use super::{PageCtx, ReqLang};
use crate::error::ApiError;
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/tracks", get(page)).route("/api/tracks", get(api))
}

/// Drill ids with a graded attempt.
async fn done(st: &AppState) -> Result<BTreeSet<String>, ApiError> {
    st.with_store(|s| Ok(s.drill_stats()?.into_iter().map(|d| d.drill_id).collect())).await
}

/// `GET /api/tracks`: every track with its drills, which are done, and the next one.
async fn api(State(st): State<AppState>, lang: ReqLang) -> Result<Json<serde_json::Value>, ApiError> {
    let done = done(&st).await?;
    let l = lang.lang;
    let rows: Vec<_> = st.catalog().tracks().iter().map(|tr| tr.view(l, &done)).collect();
    Ok(Json(json!(rows)))
}

/// `GET /tracks`.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let done = match done(&st).await {
        Ok(d) => d,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<h1>{}</h1><p class=\"muted\">{}</p>",
        esc(t(l, "Learning tracks", "学习路线")),
        esc(t(
            l,
            "Ordered paths through the drills, from easy to hard. A drill counts as done once it has a graded attempt.",
            "按从易到难排列的练习路线。一个练习有了评分记录就算完成。"
        ))
    );
    for tr in st.catalog().tracks() {
        let (n, total) = (tr.done_count(&done), tr.drills.len());
        let cats: Vec<&str> = tr.categories.iter().map(|c| c.label(l)).collect();
        let _ = write!(
            h,
            "<section class=\"card track\" id=\"track-{id}\"><h2>{}</h2><p>{}</p><p class=\"muted\">{} {}</p>\
             <p><progress value=\"{n}\" max=\"{total}\"></progress> <span class=\"done-count\">{n}/{total}</span></p><ol>",
            esc(tr.title(l)),
            esc(tr.description.get(l)),
            esc(t(l, "Trains:", "训练：")),
            esc(&cats.join(", ")),
            id = esc(&tr.id),
        );
        for d in &tr.drills {
            let title = st.catalog().get(d).map_or(d.as_str(), |x| x.title.as_str());
            let mark = if done.contains(d) { t(l, "done", "已完成") } else { "" };
            let _ = write!(
                h,
                "<li><a href=\"/drills/{}\">{}</a> <span class=\"muted\">{}</span></li>",
                esc(d),
                esc(title),
                esc(mark)
            );
        }
        h.push_str("</ol>");
        match tr.next(&done) {
            Some(next) => {
                let _ = write!(
                    h,
                    "<a class=\"button primary next\" href=\"/drills/{}\">{}</a>",
                    esc(next),
                    esc(t(l, "Next drill", "下一个练习"))
                );
            }
            None => {
                let _ = write!(
                    h,
                    "<p class=\"all-done\">{}</p>",
                    esc(t(l, "Every drill of this track is done.", "这条路线的练习都已完成。"))
                );
            }
        }
        h.push_str("</section>");
    }
    ctx.page(Nav::Tracks, t(l, "Tracks", "学习路线"), "", &h).into_response()
}
